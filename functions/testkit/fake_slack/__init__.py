"""The one fake Slack for tests, ``bench/`` and ``infra/``: a local HTTP server that answers
what the product asks of Slack, with Slack's limits and refusals.

On one port:

- the Web API under ``/api/`` (``api_url``, for ``EMAILSTATUS_SLACK_API_URL``): the bot token
  or ``invalid_auth`` (``not_authed`` without one); ``views.open``/``update``/``publish``
  (``views``), ``chat.postMessage``, ``conversations.history`` and ``files_upload_v2``'s steps
  (``channels``), ``users.info`` (``users``: the workspace's members, the token's scopes,
  ``GRANTED_SCOPES`` by default); any other method is ``unknown_method``;
- ``response_url``\\s anywhere else (``response_url()``, ``button_url()``; ``response_urls``);
- Lambda's Invoke API (``/2015-03-31/functions/NAME/invocations``) for a handler run in another
  process (``infra/smoke_package.py``): the invocation is recorded, never run, and
  ``GET /_fake/invocations`` hands the new ones over. In-process tests use moto's Lambda instead
  (``testkit.slack_harness``).

``GET /_fake/received`` lists every response_url post and Web API call in arrival order, for a
process that did not start the fake (``infra/offline.py``). Scripted surprises:
``rate_limit_next``, ``fail_next``, ``accept_then_hang``.

Example::

    with FakeSlack() as slack:
        env["EMAILSTATUS_SLACK_API_URL"] = slack.api_url
        ...
        assert slack.posts()[0]["channel"] == "C0DIGEST01"
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from testkit.block_kit import blocks_problem
from testkit.fake_slack.channels import Answer, Channels
from testkit.fake_slack.response_urls import ResponseUrls
from testkit.fake_slack.users import METHOD as USERS_INFO
from testkit.fake_slack.users import FakeUsers, SlackUser
from testkit.fake_slack.views import VIEW_METHODS, Views
from testkit.slack_requests import USER

__all__ = ["BOT_TOKEN", "GRANTED_SCOPES", "VIEW_METHODS", "FakeSlack", "SlackCall"]

#: The bot token the fake accepts unless told another.
BOT_TOKEN = "xoxb-test-0000000000-token"
#: What the bot token was granted: the manifest's scopes (test_manifest checks they agree).
GRANTED_SCOPES = ("commands", "chat:write", "channels:history", "groups:history", "users:read")
#: Lambda's limit on an asynchronous invocation's payload (AWS Lambda API reference, Invoke).
ASYNC_PAYLOAD_LIMIT = 1024 * 1024
_INVOKE = re.compile(r"/2015-03-31/functions/([^/]+)/invocations")


@dataclass
class SlackCall:
    """One Web API call (or "upload", a file's bytes): its method, arguments and answer."""

    method: str
    args: dict[str, Any]
    status: int
    ok: bool = True
    body: bytes = b""


class FakeSlack:
    """Slack on ``127.0.0.1`` (a free port unless ``port``), started by ``with`` or ``start``.

    ``clock`` is the time Slack's limits are measured with (a test may move it); ``echo``
    is told of every arrival (``make offline`` prints them); ``burst``: see ``Channels``.
    """

    def __init__(
        self,
        *,
        bot_token: str = BOT_TOKEN,
        port: int = 0,
        burst: int = 2,
        echo: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.bot_token = bot_token
        self.clock: Callable[[], float] = time.monotonic
        self.echo = echo
        self.calls: list[SlackCall] = []
        self.invocations: list[dict[str, Any]] = []
        self.received: list[dict[str, Any]] = []
        self.views = Views(self._now)
        self.channels = Channels(self._now, burst=burst)
        self.response_urls = ResponseUrls(self._now)
        self.users = _workspace(bot_token)
        self._burst = burst
        self._scripted: dict[str, list[Answer]] = {}
        self._hang_after_post: list[float] = []
        self._handed_over = 0
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    # --- running ----------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget everything: a fresh Slack on the same port (a session-wide fake per test)."""
        with self._lock:
            self.calls.clear()
            self.invocations.clear()
            self._handed_over = 0
            self.received.clear()
            self._scripted.clear()
            self._hang_after_post.clear()
            self.clock = time.monotonic
            self.views = Views(self._now)
            self.channels = Channels(self._now, burst=self._burst)
            self.response_urls = ResponseUrls(self._now)
            self.users = _workspace(self.bot_token)

    # --- addresses --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The Web API's base URL, for ``EMAILSTATUS_SLACK_API_URL`` (it ends in ``/api/``)."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str | None = None, *, closed: bool = False) -> str:
        """A slash command's (or shortcut's) response_url, issued now, at ``/name`` (a new
        name unless given); ``closed``: in a conversation that does not take the app's
        messages (404 ``channel_not_found``)."""
        path = f"/{name or f'command-{next(self._names)}'}"
        self.response_urls.issue(path, closed=closed)
        return self.base_url + path

    def button_url(self, message: int | None) -> str:
        """The response_url of a click on a button in ``response_urls.shown[message]``."""
        path = f"/button-{next(self._names)}"
        self.response_urls.issue(path, message=message)
        return self.base_url + path

    # --- what arrived -----------------------------------------------------------------------

    def posts(self, *, thread: bool | None = None) -> list[dict[str, Any]]:
        """Accepted ``chat.postMessage`` calls; ``thread`` picks replies or top-level posts."""
        return [
            call.args
            for call in self.calls
            if call.method == "chat.postMessage"
            and call.ok
            and (thread is None or ("thread_ts" in call.args) == thread)
        ]

    def uploads(self) -> list[bytes]:
        """The bytes of every file uploaded (``files_upload_v2``)."""
        return [call.body for call in self.calls if call.method == "upload"]

    def methods(self) -> list[str]:
        """The Web API methods called so far, in order."""
        return [call.method for call in self.calls if call.method != "upload"]

    # --- scripted surprises -----------------------------------------------------------------

    def rate_limit_next(self, method: str, retry_after: int = 1) -> None:
        """The next call of ``method`` gets HTTP 429 with ``Retry-After``."""
        answer = {"ok": False, "error": "ratelimited"}
        self._script(method, (429, answer, {"Retry-After": str(retry_after)}))

    def fail_next(self, method: str, error: str) -> None:
        """The next call of ``method`` gets ``{"ok": false, "error": error}``."""
        self._script(method, (200, {"ok": False, "error": error}, {}))

    def accept_then_hang(self, seconds: float) -> None:
        """The next chat.postMessage is posted, then answered only after ``seconds``."""
        with self._lock:
            self._hang_after_post.append(seconds)

    # --- answering --------------------------------------------------------------------------

    def _now(self) -> float:
        return self.clock()

    def _script(self, method: str, answer: Answer) -> None:
        with self._lock:
            self._scripted.setdefault(method, []).append(answer)

    def _arrived(self, path: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.received.append({"path": path, "body": body})
        if self.echo is not None:
            self.echo(path, body)

    def _call(self, method: str, authorization: str | None, args: dict[str, Any]) -> Answer | None:
        """One Web API call as Slack answers it (None: the connection drops unanswered);
        recorded in ``calls``."""
        self._arrived(f"/api/{method}", args)
        if method == USERS_INFO:  # its own rate limit comes before the token check
            users = self.users.call(authorization or "", args)
            if users.body is None:
                return None
            return users.status, users.body, users.headers
        if not authorization:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if authorization != f"Bearer {self.bot_token}":
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        with self._lock:
            scripted = self._scripted.get(method)
            answer = scripted.pop(0) if scripted else None
        if answer is None:
            answer = self._method(method, args)
        status, body, _ = answer
        with self._lock:
            self.calls.append(SlackCall(method, args, status, ok=bool(body.get("ok"))))
        return answer

    def _method(self, method: str, args: dict[str, Any]) -> Answer:
        if method in VIEW_METHODS:
            return 200, self.views.call(method, args), {}
        if method == "chat.postMessage":
            answer = self.channels.post_message(args)
            with self._lock:
                hang = self._hang_after_post.pop(0) if self._hang_after_post else 0.0
            time.sleep(hang if answer[0] == 200 and answer[1]["ok"] else 0.0)
            return answer
        if method == "conversations.history":
            return self.channels.read_history(args)
        if method == "files.getUploadURLExternal":
            return self.channels.upload_url(self.base_url)
        if method == "files.completeUploadExternal":
            return self.channels.complete_upload(args)
        return 200, {"ok": False, "error": "unknown_method", "req_method": method}, {}

    def _respond(self, path: str, payload: dict[str, Any]) -> tuple[int, str]:
        """A post to a response_url: Slack refuses blocks it cannot show, then its URL rules."""
        self._arrived(path, payload)
        if "blocks" in payload and blocks_problem(payload["blocks"]):
            with self._lock:
                self.response_urls.posts.append((path, payload))
            return 400, "invalid_blocks"
        return self.response_urls.receive(path, payload)

    def _invoked(
        self, function: str, invocation_type: str, payload: bytes
    ) -> tuple[int, dict[str, str] | None]:
        """Lambda's Invoke: an asynchronous invocation is queued (202), with Lambda's 1 MB
        limit on its payload; the fake runs nothing, so it takes no other kind."""
        if invocation_type != "Event":
            message = "the fake Lambda only queues asynchronous (Event) invocations"
            return 400, {"Type": "InvalidRequestContentException", "message": message}
        if len(payload) > ASYNC_PAYLOAD_LIMIT:
            message = f"Request must be smaller than {ASYNC_PAYLOAD_LIMIT} bytes for Event"
            return 413, {"Type": "RequestEntityTooLargeException", "message": message}
        with self._lock:
            self.invocations.append(
                {
                    "FunctionName": function,
                    "InvocationType": invocation_type,
                    "Payload": payload.decode(),
                }
            )
        return 202, None

    def take_invocations(self) -> list[dict[str, Any]]:
        """The Lambda invocations not handed over yet, oldest first, each as boto3's
        ``invoke`` arguments (``FunctionName``, ``InvocationType``, ``Payload``)."""
        with self._lock:
            taken = self.invocations[self._handed_over :]
            self._handed_over = len(self.invocations)
        return taken

    def _upload(self, path: str, body: bytes) -> None:
        with self._lock:
            self.calls.append(SlackCall("upload", {"path": path}, 200, body=body))


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.partition("?")[0]
            if path == "/_fake/received":
                with fake._lock:
                    received = list(fake.received)
                self._send(200, json.dumps(received).encode())
            elif path == "/_fake/invocations":
                self._send(200, json.dumps(fake.take_invocations()).encode())
            elif path.startswith("/api/"):  # slack_sdk reads (conversations.history) with GET
                self._api(self.path, {})
            else:
                self._send(404, b'{"ok": false}')

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            invoke = _INVOKE.fullmatch(self.path)
            if invoke:
                function = urllib.parse.unquote(invoke.group(1))
                kind = self.headers.get("X-Amz-Invocation-Type") or "RequestResponse"
                status, error = fake._invoked(function, kind, raw)
                headers = {"x-amzn-ErrorType": error["Type"]} if error else {}
                self._send(status, json.dumps(error).encode() if error else b"", headers=headers)
            elif self.path.startswith("/upload/"):
                fake._upload(self.path, raw)
                self._send(200, b"OK", "text/plain")
            elif self.path.startswith("/api/"):
                self._api(self.path, _arguments(self.headers.get("Content-Type", ""), raw))
            else:
                status, text = fake._respond(self.path, json.loads(raw or b"{}"))
                self._send(status, text.encode(), "text/plain")

        def _api(self, path: str, body_args: dict[str, Any]) -> None:
            """A Web API call: its arguments from the query string and the body."""
            method, _, query = path.removeprefix("/api/").partition("?")
            args = dict(urllib.parse.parse_qsl(query)) | body_args
            answer = fake._call(method, self.headers.get("Authorization"), args)
            if answer is None:  # a network failure: the connection drops unanswered
                self.close_connection = True
                return
            status, body, headers = answer
            with contextlib.suppress(OSError):  # the client gave up waiting (accept_then_hang)
                self._send(status, json.dumps(body).encode(), headers=headers)

        def _send(
            self,
            status: int,
            body: bytes,
            kind: str = "application/json",
            headers: Mapping[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read ``calls``; ``echo`` is for people."""

    return Handler


def _arguments(content_type: str, body: bytes) -> dict[str, Any]:
    """A Web API call's arguments, sent as JSON or as a form (slack_sdk does both)."""
    if content_type.startswith("application/json"):
        parsed = json.loads(body or b"{}")
        return parsed if isinstance(parsed, dict) else {}
    return dict(urllib.parse.parse_qsl(body.decode()))


def _workspace(bot_token: str) -> FakeUsers:
    """The workspace's members: the tests' asker (``USER``), in Beijing's zone."""
    users = FakeUsers(bot_token, GRANTED_SCOPES)
    users.users[USER] = SlackUser(tz="Asia/Shanghai", locale="en-US")
    return users
