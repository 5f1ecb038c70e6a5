"""What the simulator answers, independent of sockets: rate limit, faults, signature, dispatch.

The HTTP layer hands over headers and body and writes back the ``Reply``; everything that
decides the answer lives here, so its order (limit, fault, latency, auth, parameters) is in one
place.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from ses_simulator import hostile
from ses_simulator.actions import ACTIONS
from ses_simulator.blocklist import Blocklists
from ses_simulator.config import (
    API_VERSION,
    LOOKUP_ACTIONS,
    OPERATOR_ACTIONS,
    SERVICE,
    SimulatorConfig,
)
from ses_simulator.dataset import Dataset
from ses_simulator.faults import (
    DRIP,
    DROP,
    HTTP500,
    HUGE,
    MALFORMED,
    MISSING_LIST,
    TIMEOUT,
    TRANSPORT_KINDS,
    FaultInjector,
    Faults,
    check_kind,
)
from ses_simulator.protocol import ApiError, error_body, new_request_id, success_body
from ses_simulator.ratelimit import RateMode, RequestAdmission
from ses_simulator.signing import verify
from ses_simulator.stats import Recorder, Stats

log = logging.getLogger(__name__)

JSON = "application/json"
#: What a gateway in front of a broken backend sends.
HTTP500_BODY = (
    b"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    b"<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n"
)
#: A response cut off mid-way: 200 and application/json, but not JSON.
MALFORMED_BODY = b'{"Response": {"EmailStatusList": [{"MessageId": "qcloudses-30-'
_LIST_FIELDS = ("EmailStatusList", "DailyVolumes", "OverallVolume", "BlackList", "Data")


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer, or ``drop``: close the connection without one."""

    status: int = 200
    body: bytes = b""
    content_type: str = JSON
    drop: bool = False
    #: Seconds between the body's bytes (0: all at once).
    drip: float = 0.0


class Service:
    """The simulated SES endpoint's state and logic; thread-safe."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.dataset = Dataset(
            config.seed,
            config.emails_per_day,
            config.days,
            now=config.now,
            complaint_spelling=config.complaint_spelling,
            max_cached_days=config.max_cached_days,
        )
        self.blocklists = Blocklists(self.dataset)
        self.injector = FaultInjector(config.faults, config.seed)
        self.limiter = RequestAdmission(config.rate_limit, config.rate_mode)
        self.recorder = Recorder()
        self._secrets = {
            config.secret_id: config.secret_key,
            config.operator_secret_id: config.operator_secret_key,
        }
        #: SecretId -> the actions its CAM policy allows.
        self._allowed = {
            config.secret_id: LOOKUP_ACTIONS,
            config.operator_secret_id: OPERATOR_ACTIONS,
        }
        self._wake = threading.Event()
        self._wake_lock = threading.Lock()

    def handle_api(
        self, headers: Mapping[str, str], body: bytes, method: str = "POST", query: str = ""
    ) -> Reply:
        """Answer one API request (a POST with a JSON body, or a GET with its parameters in
        ``query``, as API 3.0 accepts both); ``headers`` has lower-case names."""
        action = headers.get("x-tc-action", "")
        faults = self.injector.faults
        if not self.limiter.admit(action):
            self.recorder.rejected(action)
            self._pause(faults.latency)
            return self._error(ApiError("RequestLimitExceeded"))
        self.recorder.served(action)
        fault = self.injector.draw(action)
        self._pause(faults.latency)
        if fault is not None:
            self.recorder.fault(fault)
            log.debug("injecting %s into %s", fault, action)
        if fault == DROP:
            return Reply(drop=True)
        if fault == TIMEOUT:
            self._pause(faults.hang_seconds)
        if fault == HTTP500:
            return Reply(500, HTTP500_BODY, "text/html")
        if fault == MALFORMED:
            return Reply(200, MALFORMED_BODY)
        if fault is not None and fault not in TRANSPORT_KINDS:
            return self._error(ApiError(fault))
        try:
            payload = self._dispatch(action, headers, body, faults, method=method, query=query)
        except ApiError as error:
            return self._error(error)
        except Exception:
            log.exception("simulator bug while answering %s", action)
            return self._error(ApiError("InternalError"))
        if fault == MISSING_LIST:
            payload = {k: v for k, v in payload.items() if k not in _LIST_FIELDS}
        if fault == HUGE:
            payload = hostile.huge(faults)
        payload = hostile.answer(action, payload, faults)
        drip = faults.drip_interval if fault == DRIP else 0.0
        return Reply(200, success_body(payload, new_request_id()), drip=drip)

    def unsupported(self) -> Reply:
        """The answer to a request with another HTTP method than GET or POST."""
        return self._error(
            ApiError("UnsupportedProtocol", "The HTTP method only supports GET and POST.")
        )

    def too_large(self, limit: int) -> Reply:
        """The answer to a body over Tencent's limit (10 MB for a TC3-signed POST)."""
        return self._error(
            ApiError(
                "RequestSizeLimitExceeded",
                f"The request body exceeds the size limit of {limit // (1 << 20)} MB.",
            )
        )

    def handle_admin(self, method: str, path: str, body: bytes) -> Reply:
        """The unsigned local control endpoints under ``/_simulator/``."""
        try:
            if (method, path) == ("GET", "/_simulator/stats"):
                return _json_reply(self.stats().to_json())
            if (method, path) == ("GET", "/_simulator/faults"):
                return _json_reply(self._faults_json())
            if (method, path) == ("POST", "/_simulator/faults"):
                self._apply_admin_faults(json.loads(body or b"{}"))
                return _json_reply(self._faults_json())
            if (method, path) == ("POST", "/_simulator/reset"):
                self.reset()
                return _json_reply({"reset": True})
        except (ValueError, TypeError, AttributeError) as error:
            return _json_reply({"error": str(error)}, status=400)
        return _json_reply({"error": f"no such endpoint: {method} {path}"}, status=404)

    def fail_next(self, kind: str, times: int = 1, action: str | None = None) -> None:
        """Queue a fault for the next ``times`` requests (of ``action``, or of any)."""
        self.injector.fail_next(kind, times, action)

    def set_faults(self, faults: Faults) -> None:
        self.injector.set(faults)

    def set_rate_limit(self, rate: float | None, mode: RateMode | None = None) -> None:
        self.limiter.configure(rate, mode)

    def stats(self) -> Stats:
        return self.recorder.snapshot(self.limiter.max_per_window())

    def reset(self) -> None:
        """Back to the configured faults, limit, complaint spelling and blocklists; counters zeroed.

        Requests still waiting on injected latency or a hang are woken and answered.
        """
        self.injector.reset(self.config.faults)
        self.limiter.reset(self.config.rate_limit, self.config.rate_mode)
        self.recorder.reset()
        self.dataset.complaint_spelling = self.config.complaint_spelling
        self.blocklists.reset()
        self.wake_sleepers()

    def wake_sleepers(self) -> None:
        """End every pending latency or hang wait now."""
        with self._wake_lock:
            self._wake.set()
            self._wake = threading.Event()

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            with self._wake_lock:
                wake = self._wake
            wake.wait(seconds)

    def pause(self, seconds: float) -> None:
        """Wait ``seconds`` unless the simulator is reset or stopped first."""
        self._pause(seconds)

    def _dispatch(
        self,
        action: str,
        headers: Mapping[str, str],
        body: bytes,
        faults: Faults,
        *,
        method: str = "POST",
        query: str = "",
    ) -> dict[str, Any]:
        secret_id = verify(
            headers,
            body,
            self._secrets,
            service=SERVICE,
            now=time.time(),
            max_skew=self.config.max_clock_skew,
            method=method,
            query=query,
        )
        version = headers.get("x-tc-version")
        if not version:
            raise _missing("Version")
        if version != API_VERSION:
            raise ApiError(
                "NoSuchVersion",
                f"The requested version `{version}` of service `{SERVICE}` does not exist.",
            )
        if not action:
            raise _missing("Action")
        handler = ACTIONS.get(action) or self.blocklists.actions.get(action)
        if handler is None:
            raise ApiError("InvalidAction", f"The requested action `{action}` does not exist.")
        region = headers.get("x-tc-region")
        if not region:
            raise _missing("Region")
        if region not in self.config.regions:
            raise ApiError(
                "UnsupportedRegion",
                f"The action `{action}` does not support the region `{region}`.",
            )
        try:
            params = _form_params(query) if method == "GET" else json.loads(body or b"{}")
        except ValueError:
            raise ApiError("InvalidParameter", "The request body is not valid JSON.") from None
        if not isinstance(params, dict):
            raise ApiError("InvalidParameter", "The request body must be a JSON object.")
        if action not in self._allowed.get(secret_id, frozenset()):
            raise ApiError(
                "AuthFailure.UnauthorizedOperation",
                f"The key {secret_id[:8]}… is not authorized to perform ses:{action}.",
            )
        params = hostile.request_params(action, params, faults)
        return handler(self.dataset, params, self.config.retention_days)

    def _error(self, error: ApiError) -> Reply:
        self.recorder.error(error.code)
        return Reply(200, error_body(error, new_request_id()))

    def _faults_json(self) -> dict[str, Any]:
        return {**self.injector.faults.to_json(), "pending": self.injector.pending()}

    def _apply_admin_faults(self, document: object) -> None:
        """``{"latency": 0.2, ..., "fail_next": {"kind", "times", "action"} | [...] | "kind"}``.

        Everything is validated before anything changes.
        """
        if not isinstance(document, dict):
            raise ValueError("expected a JSON object")
        queued = document.pop("fail_next", None)
        if queued is None:
            queued = []
        elif not isinstance(queued, list):
            queued = [queued]
        entries: list[tuple[str, int, str | None]] = []
        for item in queued:
            entry = {"kind": item} if isinstance(item, str) else item
            if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
                raise ValueError("each fail_next entry needs a kind")
            times, action = entry.get("times", 1), entry.get("action")
            if isinstance(times, bool) or not isinstance(times, int) or times < 1:
                raise ValueError("fail_next times must be an integer >= 1")
            if action is not None and not isinstance(action, str):
                raise ValueError("fail_next action must be a string")
            entries.append((check_kind(entry["kind"]), times, action))
        self.injector.set(self.injector.faults.updated(document))
        for kind, times, action in entries:
            self.injector.fail_next(kind, times, action)


def _json_reply(document: Mapping[str, Any], status: int = 200) -> Reply:
    return Reply(status, json.dumps(document).encode())


def _missing(name: str) -> ApiError:
    return ApiError("MissingParameter", f"The request is missing a required parameter `{name}`.")


#: Parameters sent as numbers; a GET carries every value as text.
_FORM_INTEGERS = frozenset({"Offset", "Limit"})


def _form_params(query: str) -> dict[str, Any]:
    """A GET's query string as the parameters a JSON body would carry (numbers as numbers)."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    for name in _FORM_INTEGERS & params.keys():
        if params[name].isdigit():
            params[name] = int(params[name])
    return params
