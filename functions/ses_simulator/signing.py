"""TC3-HMAC-SHA256 verification, the server side of what the SDK signs.

The canonical request is rebuilt from the ``SignedHeaders`` the client actually listed (the SDK
signs ``content-type;host``), so a client that signs more headers is verified just as well.
Header values are canonicalised as Tencent's TC3 document requires: trimmed and lower-cased (its
worked example signs ``x-tc-action:describeinstances``; the SDK's own values are lower-case
already). A GET signs its query string, as sent, and an empty payload.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from ses_simulator.protocol import ApiError

ALGORITHM = "TC3-HMAC-SHA256"
TERMINATOR = "tc3_request"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
#: Tencent refuses a request whose timestamp is more than five minutes off.
MAX_SKEW_SECONDS = 300
_REQUIRED_SIGNED = frozenset({"content-type", "host"})


@dataclass(frozen=True, slots=True)
class Authorization:
    """The parts of an ``Authorization: TC3-HMAC-SHA256 ...`` header."""

    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str | None) -> Authorization:
    """Split the header; anything that is not a well-formed TC3 header is InvalidAuthorization."""
    if not value:
        raise _invalid("the Authorization header is missing")
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _invalid(f"the algorithm must be {ALGORITHM}")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, sep, field_value = part.strip().partition("=")
        if not sep:
            raise _invalid(f"cannot parse {part.strip()!r}")
        fields[name] = field_value
    try:
        credential = fields["Credential"]
        signed = fields["SignedHeaders"]
        signature = fields["Signature"]
    except KeyError as missing:
        raise _invalid(f"{missing.args[0]} is missing") from None
    scope = credential.split("/")
    if len(scope) != 4 or scope[3] != TERMINATOR or not scope[0]:
        raise _invalid("Credential must be <SecretId>/<date>/<service>/tc3_request")
    headers = tuple(signed.split(";"))
    if any(not name or name != name.lower() for name in headers):
        raise _invalid("SignedHeaders must be lower-case names separated by ';'")
    if not _REQUIRED_SIGNED.issubset(headers):
        raise _invalid("SignedHeaders must include content-type and host")
    return Authorization(scope[0], scope[1], scope[2], headers, signature.lower())


def verify(
    headers: Mapping[str, str],
    body: bytes,
    secrets: Mapping[str, str],
    *,
    service: str,
    now: float,
    max_skew: int = MAX_SKEW_SECONDS,
    method: str = "POST",
    query: str = "",
) -> str:
    """Check the request's signature; return the SecretId, or raise the error Tencent would.

    ``headers`` must have lower-case names. Order of checks: header shape, timestamp present,
    SecretId known, clock skew, then the signature itself.
    """
    auth = parse_authorization(headers.get("authorization"))
    if auth.service != service:
        raise _invalid(f"the credential scope names service {auth.service!r}, not {service!r}")
    raw_timestamp = headers.get("x-tc-timestamp")
    if raw_timestamp is None:
        raise ApiError(
            "MissingParameter", "The request is missing a required parameter `Timestamp`."
        )
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise ApiError(
            "InvalidParameterValue", f"The value `{raw_timestamp}` of `Timestamp` is not valid."
        ) from None
    secret_key = secrets.get(auth.secret_id)
    if secret_key is None:
        raise ApiError("AuthFailure.SecretIdNotFound")
    if abs(now - timestamp) > max_skew:
        raise ApiError(
            "AuthFailure.SignatureExpire",
            f"Signature expired. Timestamp track: {timestamp}, server current time: {int(now)}.",
        )
    if auth.date != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d"):
        raise ApiError(
            "AuthFailure.SignatureFailure",
            "The date in the credential scope does not match the UTC date of X-TC-Timestamp.",
        )
    expected = signature(headers, body, auth, secret_key, raw_timestamp, method=method, query=query)
    if not hmac.compare_digest(expected, auth.signature):
        raise ApiError("AuthFailure.SignatureFailure")
    return auth.secret_id


def signature(
    headers: Mapping[str, str],
    body: bytes,
    auth: Authorization,
    secret_key: str,
    timestamp: str,
    *,
    method: str = "POST",
    query: str = "",
) -> str:
    """The hex signature the client should have sent for this request."""
    canonical_headers = ""
    for name in auth.signed_headers:
        value = headers.get(name)
        if value is None:
            raise ApiError(
                "AuthFailure.SignatureFailure", f"The signed header `{name}` is missing."
            )
        canonical_headers += f"{name}:{value.strip().lower()}\n"
    if headers.get("x-tc-content-sha256") == UNSIGNED_PAYLOAD:
        body = UNSIGNED_PAYLOAD.encode()
    canonical_request = "\n".join(
        (
            method,
            "/",
            query,
            canonical_headers,
            ";".join(auth.signed_headers),
            hashlib.sha256(body).hexdigest(),
        )
    )
    scope = f"{auth.date}/{auth.service}/{TERMINATOR}"
    string_to_sign = "\n".join(
        (ALGORITHM, timestamp, scope, hashlib.sha256(canonical_request.encode()).hexdigest())
    )
    k_date = _hmac(("TC3" + secret_key).encode(), auth.date)
    k_service = _hmac(k_date, auth.service)
    k_signing = _hmac(k_service, TERMINATOR)
    return hmac.new(k_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def _invalid(reason: str) -> ApiError:
    return ApiError(
        "AuthFailure.InvalidAuthorization", f"The Authorization header is invalid: {reason}."
    )
