"""``emailstatus serve``: the same Bolt app without AWS, for development and a trial workspace.

Over HTTP it listens on ``POST /slack/events``; lazy listeners run in threads. Bolt's own
development server parses a body before the signature check and drops the connection on one it
cannot parse, so this small server puts every request through the same ``gate`` as the Lambda
handler first. With Socket Mode it connects out to Slack with an app-level token, so a
workspace can reach it without a public URL.

With ``EMAILSTATUS_EVENTS_TOKEN`` set, the same server also takes Tencent's event callbacks at
``POST /tencent/events/<token>`` into the SQLite event store (``emailstatus.events.local``);
in Socket Mode it then listens for those alone.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from emailstatus.config import Settings
from emailstatus.errors import ConfigError
from emailstatus.events.local import PATH_PREFIX, CallbackEndpoint
from emailstatus.events.payload import MAX_BODY_BYTES as MAX_CALLBACK_BYTES
from emailstatus.slack_app import build_app
from emailstatus.slack_app.gate import MAX_BODY_BYTES, Refused, admit, http_headers

EVENTS_PATH = "/slack/events"


def serve(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 3000, socket_mode: bool = False
) -> None:
    """Run until interrupted."""
    app = build_app(settings)
    callbacks = None
    if settings.events_tokens:
        from emailstatus.events.backend import open_store

        callbacks = CallbackEndpoint(open_store(settings), settings.events_tokens)
        print(
            f"emailstatus: event callbacks on http://{host}:{port}{PATH_PREFIX}<token> "
            f"into {settings.events_db}",
            file=sys.stderr,
        )
    if not socket_mode or callbacks is not None:
        server = events_server(
            app, settings.slack_signing_secret or "", host=host, port=port, callbacks=callbacks
        )
    if not socket_mode:
        print(f"emailstatus: listening on http://{host}:{port}{EVENTS_PATH}", file=sys.stderr)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return
    if callbacks is not None:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    if not settings.slack_app_token:
        raise ConfigError(
            "Socket Mode needs an app-level token: SLACK_APP_TOKEN is not set.",
            next_step="In the Slack app's settings, turn on Socket Mode and create an app-level "
            "token with the connections:write scope; set it as SLACK_APP_TOKEN (xapp-…).",
        )
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    print("emailstatus: connected to Slack over Socket Mode", file=sys.stderr)
    SocketModeHandler(app, settings.slack_app_token).start()  # type: ignore[no-untyped-call]


def events_server(
    app: App,
    signing_secret: str,
    *,
    host: str,
    port: int,
    callbacks: CallbackEndpoint | None = None,
) -> ThreadingHTTPServer:
    """An HTTP server for ``POST /slack/events`` that verifies before Bolt parses anything, and
    for event callbacks when ``callbacks`` is given."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            path = self.path.partition("?")[0]
            if callbacks is not None and path.startswith(PATH_PREFIX):
                self._callback(path)
                return
            if path != EVENTS_PATH:
                self._answer(BoltResponse(status=404, body=""))
                return
            length = self.headers.get("content-length", "0").strip()
            if not length.isascii() or not length.isdigit() or "transfer-encoding" in self.headers:
                self._answer(BoltResponse(status=411, body=""))
                return
            if int(length) > MAX_BODY_BYTES:
                self.close_connection = True  # the body stays unread
                self._answer(BoltResponse(status=413, body=""))
                return
            body = self.rfile.read(int(length))
            headers = http_headers(dict(self.headers.items()))
            admitted = admit(body, headers, signing_secret)
            if isinstance(admitted, Refused):
                self._answer(BoltResponse(status=admitted.status, body={"error": "refused"}))
                return
            self._answer(app.dispatch(BoltRequest(body=admitted, headers=dict(headers))))

        def _callback(self, path: str) -> None:
            """A callback; a body over the limit is read no further (and refused as such)."""
            length = self.headers.get("content-length", "0").strip()
            size = int(length) if length.isascii() and length.isdigit() else 0
            self.close_connection = size > MAX_CALLBACK_BYTES
            assert callbacks is not None
            reception = callbacks.receive(path, self.rfile.read(min(size, MAX_CALLBACK_BYTES + 1)))
            self._answer(BoltResponse(status=reception.status, body=reception.body))

        def _answer(self, response: BoltResponse) -> None:
            body = response.body if isinstance(response.body, str) else json.dumps(response.body)
            data = body.encode("utf-8")
            self.send_response(response.status)
            for name, values in response.headers.items():
                if name.lower() != "content-length":
                    for value in values:
                        self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: a request line may hold nothing useful and Bolt logs what matters."""

    return ThreadingHTTPServer((host, port), Handler)
