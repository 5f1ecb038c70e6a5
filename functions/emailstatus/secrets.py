"""Secrets from SSM Parameter Store (SecureString), read once per Lambda container.

The deployed functions never carry a secret in their environment or in the CloudFormation
template: they carry ``EMAILSTATUS_SSM_PATH=/emailstatus/<stage>/`` and read the four secrets
below from there. Slack's first acknowledgement waits on this read, so it is one
``GetParameters`` call (with decryption) for all of them, with short timeouts, and the result is
cached for the life of the container. Rotating a secret therefore means writing the new value
and then recycling the containers (README, "Rotating secrets").

Powertools' ``SSMProvider.get_parameters_by_name`` does exactly one ``GetParameters`` call for up
to ten names when every name is decrypted, so it is used rather than boto3 directly; its own
cache is bypassed (``max_age=0``) because this module's cache is the per-container one.

config.py imports this module only when ``EMAILSTATUS_SSM_PATH`` is set, so boto3 is paid for
only where SSM is used. Values never appear in a ``repr`` or an error message: errors name
parameters, not contents.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Mapping
from typing import Any, Final

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
from aws_lambda_powertools.utilities.parameters import SSMProvider
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from emailstatus.errors import ConfigError

#: The variable that switches SSM on; its value is the path, e.g. ``/emailstatus/prod/``.
SSM_PATH_VARIABLE: Final = "EMAILSTATUS_SSM_PATH"

#: Parameter name under the path → the environment variable it stands in for.
SECRET_PARAMETERS: Final[Mapping[str, str]] = {
    "slack-signing-secret": "SLACK_SIGNING_SECRET",
    "slack-bot-token": "SLACK_BOT_TOKEN",
    "tencent-secret-id": "TENCENTCLOUD_SECRET_ID",
    "tencent-secret-key": "TENCENTCLOUD_SECRET_KEY",
}

#: The operator key (blocklist deletes only): optional, and read only by the Slack function
#: (``EMAILSTATUS_OPERATOR_KEY=ssm``), whose role alone may read these two.
OPERATOR_KEY_PARAMETERS: Final[Mapping[str, str]] = {
    "tencent-operator-secret-id": "TENCENTCLOUD_OPERATOR_SECRET_ID",
    "tencent-operator-secret-key": "TENCENTCLOUD_OPERATOR_SECRET_KEY",
}
#: The variable that makes a function read the operator key from SSM too.
OPERATOR_KEY_VARIABLE: Final = "EMAILSTATUS_OPERATOR_KEY"

#: The event callback's tokens: read only by the receiver (``fetch_events_tokens``).
EVENTS_TOKEN_PARAMETERS: Final[Mapping[str, str]] = {
    "events-token": "EMAILSTATUS_EVENTS_TOKEN",
    "events-token-previous": "EMAILSTATUS_EVENTS_TOKEN_PREVIOUS",
}

#: How long a receiver trusts the tokens it read.
EVENTS_TOKEN_TTL_S: Final = 300.0
_events_tokens: dict[str, tuple[float, tuple[str, ...]]] = {}

#: Short, bounded waits: on a cold start Slack gives the whole request 3 s.
_CONNECT_TIMEOUT_S: Final = 1.0
_READ_TIMEOUT_S: Final = 2.0
_MAX_ATTEMPTS: Final = 2


def stage_path(stage: str) -> str:
    """The parameter path of one deployment stage: ``/emailstatus/<stage>/``."""
    return f"/emailstatus/{stage.strip('/')}/"


def normalize_path(path: str) -> str:
    """``/emailstatus/prod`` and ``/emailstatus/prod/`` name the same folder."""
    path = path.strip()
    if not path.startswith("/"):
        raise ConfigError(
            f"{SSM_PATH_VARIABLE} must be an absolute parameter path, not {path!r}.",
            next_step=f"Set {SSM_PATH_VARIABLE}=/emailstatus/<stage>/.",
        )
    return path.rstrip("/") + "/"


class SecretEnvironment(Mapping[str, str]):
    """The environment with missing secrets filled in; its ``repr`` names keys, never values.

    ``load_settings`` reads this exactly like ``os.environ``. Values already in the environment
    win, so a developer can override one secret locally without touching SSM.
    """

    __slots__ = ("_base", "_secrets")

    def __init__(self, base: Mapping[str, str], secrets: Mapping[str, str]) -> None:
        self._base = base
        self._secrets = dict(secrets)

    def __getitem__(self, key: str) -> str:
        value = self._base.get(key)
        if value is not None and value.strip():
            return value
        if key in self._secrets:
            return self._secrets[key]
        if value is not None:
            return value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        yield from (key for key in self._secrets if key not in self._base)

    def __len__(self) -> int:
        return len(self._base) + sum(1 for key in self._secrets if key not in self._base)

    def __repr__(self) -> str:
        return f"SecretEnvironment(secrets_from_ssm={sorted(self._secrets)})"


#: Which of ``SECRET_PARAMETERS`` a function reads (comma-separated names; default all). The
#: digest never verifies Slack requests, so its role may not read the signing secret at all.
SSM_SECRETS_VARIABLE: Final = "EMAILSTATUS_SSM_SECRETS"


def with_secrets(env: Mapping[str, str], path: str) -> Mapping[str, str]:
    """``env`` with every secret it lacks read from SSM under ``path`` (one call, cached).

    Nothing is fetched when the environment already holds every secret it needs. With
    ``EMAILSTATUS_OPERATOR_KEY=ssm`` the operator key is read in the same call, if it exists.
    """
    wanted = _wanted(env.get(SSM_SECRETS_VARIABLE, ""))
    if env.get(OPERATOR_KEY_VARIABLE, "").strip().lower() == "ssm":
        wanted += tuple(OPERATOR_KEY_PARAMETERS.values())
    missing = tuple(var for var in wanted if not env.get(var, "").strip())
    if not missing:
        return env
    return SecretEnvironment(env, fetch_secrets(normalize_path(path), missing))


@functools.cache
def fetch_secrets(path: str, variables: tuple[str, ...]) -> Mapping[str, str]:
    """The secrets for ``variables`` from ``path``: one decrypted GetParameters call.

    Cached per (path, variables) for the life of the process, i.e. of the Lambda container.
    A failure is not cached, so the next invocation tries again.
    """
    every = {**SECRET_PARAMETERS, **OPERATOR_KEY_PARAMETERS}
    by_name = {path + name: var for name, var in every.items() if var in variables}
    values = _get_parameters(path, by_name)
    required = set(SECRET_PARAMETERS.values())
    absent = sorted(name for name, var in by_name.items() if var in required and var not in values)
    if absent:
        raise ConfigError(
            f"SSM parameters missing, empty or unreadable: {', '.join(absent)}.",
            next_step=f"Write them with `emailstatus params put --stage {_stage(path)}` "
            "(SecureString), then retry.",
        )
    return _Secrets(values)


def fetch_events_tokens(path: str) -> tuple[str, ...]:
    """The event callback tokens under ``path`` (``events-token``, and ``events-token-previous``
    while rotating): one decrypted GetParameters call, cached for ``EVENTS_TOKEN_TTL_S``.

    Apart from the other secrets because the callback receiver may read only these. Cached for
    minutes, not for the container's life: a rotated token (``emailstatus params
    put-events-token``) must reach every warm receiver before Tencent's console is switched.
    """
    path = normalize_path(path)
    cached = _events_tokens.get(path)
    if cached is not None and time.monotonic() - cached[0] < EVENTS_TOKEN_TTL_S:
        return cached[1]
    by_name = {path + name: var for name, var in EVENTS_TOKEN_PARAMETERS.items()}
    values = _get_parameters(path, by_name)
    current, previous = (values.get(var) for var in EVENTS_TOKEN_PARAMETERS.values())
    if not current:
        raise ConfigError(
            f"SSM parameter {path}events-token is missing, empty or unreadable.",
            next_step=f"Write it with `emailstatus params put-events-token --stage "
            f"{_stage(path)}`, then retry.",
        )
    tokens = (current, previous) if previous else (current,)
    _events_tokens[path] = (time.monotonic(), tokens)
    return tokens


def forget_events_tokens() -> None:
    """Empty the token cache (tests)."""
    _events_tokens.clear()


def _get_parameters(path: str, by_name: Mapping[str, str]) -> dict[str, str]:
    """``{variable: value}`` for the parameters of ``by_name`` (full name → variable) that
    exist and are not empty: one decrypted GetParameters call."""
    try:
        provider = SSMProvider(boto3_client=_ssm_client())
        found = provider.get_parameters_by_name(
            {name: {} for name in by_name}, decrypt=True, max_age=0, raise_on_error=False
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "ClientError")
        raise _unreadable(path, code) from None
    except (BotoCoreError, GetParameterError) as error:
        raise _unreadable(path, type(error).__name__) from None
    return {
        by_name[name]: value
        for name, value in found.items()
        if name in by_name and isinstance(value, str) and value.strip()
    }


def _wanted(names: str) -> tuple[str, ...]:
    """The variables of the parameters named in ``EMAILSTATUS_SSM_SECRETS`` (all when empty)."""
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SECRET_PARAMETERS))
    if unknown:
        raise ConfigError(
            f"{SSM_SECRETS_VARIABLE} names unknown parameters: {', '.join(unknown)}.",
            next_step=f"Use names from: {', '.join(SECRET_PARAMETERS)}.",
        )
    return tuple(SECRET_PARAMETERS[name] for name in chosen or SECRET_PARAMETERS)


def _ssm_client() -> Any:
    """An SSM client with timeouts that fit inside Slack's 3-second budget."""
    config = Config(
        connect_timeout=_CONNECT_TIMEOUT_S,
        read_timeout=_READ_TIMEOUT_S,
        retries={"max_attempts": _MAX_ATTEMPTS, "mode": "standard"},
    )
    return boto3.session.Session().client("ssm", config=config)


class _Secrets(dict[str, str]):
    """A plain dict of secret values whose ``repr`` shows only the variable names."""

    def __repr__(self) -> str:
        return f"<secrets {sorted(self)}>"


def _stage(path: str) -> str:
    parts = [part for part in path.split("/") if part]
    return parts[1] if len(parts) == 2 and parts[0] == "emailstatus" else "<stage>"


def _unreadable(path: str, reason: str) -> ConfigError:
    return ConfigError(
        f"Could not read the secrets under SSM path {path} ({reason}).",
        next_step="Check the function's IAM role (ssm:GetParameters on that path, kms:Decrypt) "
        "and that the parameters exist in this region.",
    )
