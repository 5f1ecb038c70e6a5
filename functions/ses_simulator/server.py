"""The HTTP side: a threaded server around ``Service``, and the ``Simulator`` that runs it.

Standard library only. Each request gets its own thread (injected latency must not serialise
requests); connections are HTTP/1.1 keep-alive like the SDK's ``requests.Session`` expects, and
are closed on ``stop()`` so a stopped simulator stops answering at once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from ses_simulator.blocklist import Blocklists
from ses_simulator.config import SimulatorConfig
from ses_simulator.dataset import Dataset
from ses_simulator.faults import Faults
from ses_simulator.ratelimit import RateMode
from ses_simulator.service import Reply, Service
from ses_simulator.stats import Stats

log = logging.getLogger(__name__)

ADMIN_PREFIX = "/_simulator/"
#: Tencent's limit for a TC3-signed POST body; larger gets ``RequestSizeLimitExceeded``.
MAX_BODY_BYTES = 10 << 20
#: A body this much larger is not even read before answering: the connection is closed.
MAX_DRAIN_BYTES = 32 << 20


class _HTTPServer(ThreadingHTTPServer):
    """Thread per request, a deep accept backlog for bursts, and tracked open connections."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], service: Service) -> None:
        self.service = service
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-request is normal here (timeouts, drops): no traceback."""
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Cut every open connection, idle keep-alive ones included."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TencentSESSimulator/1.0"
    #: Idle keep-alive connections are closed after this many seconds.
    timeout = 120

    def setup(self) -> None:
        """Headers and body go out in separate writes: without TCP_NODELAY, Nagle plus the
        client's delayed ACK would add ~40 ms to every answer."""
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        body = self._read_body()
        if body is not None:
            self._route("POST", body)

    def do_GET(self) -> None:
        self._route("GET", b"")

    def do_PUT(self) -> None:
        self._unsupported_method()

    def do_DELETE(self) -> None:
        self._unsupported_method()

    def do_PATCH(self) -> None:
        self._unsupported_method()

    def _unsupported_method(self) -> None:
        self.close_connection = True
        self._write(self._service().unsupported())

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _route(self, method: str, body: bytes) -> None:
        service = self._service()
        path = urlsplit(self.path).path
        if path.startswith(ADMIN_PREFIX):
            if not ipaddress.ip_address(self.client_address[0]).is_loopback:
                self._write(Reply(403, b'{"error": "admin endpoints are local only"}'))
            else:
                self._write(service.handle_admin(method, path, body))
            return
        if path != "/":
            self._write(Reply(404, b'{"error": "the API answers on / only"}'))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        service.recorder.enter()
        try:
            reply = service.handle_api(headers, body, method, urlsplit(self.path).query)
        finally:
            service.recorder.leave()
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._write(reply)

    def _read_body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._write(Reply(400, b'{"error": "bad Content-Length"}'))
            return None
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            if length <= MAX_DRAIN_BYTES:  # read it away, so the client gets to read the answer
                for offset in range(0, length, 1 << 16):
                    self.rfile.read(min(1 << 16, length - offset))
            self._write(self._service().too_large(MAX_BODY_BYTES))
            return None
        return self.rfile.read(length)

    def _write(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.drip:
                self.wfile.flush()
                for index in range(len(reply.body)):
                    self.wfile.write(reply.body[index : index + 1])
                    self.wfile.flush()
                    self._service().pause(reply.drip)
            else:
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            # The client gave up (its timeout fired during an injected hang).
            self.close_connection = True

    def _service(self) -> Service:
        assert isinstance(self.server, _HTTPServer)
        return self.server.service


class Simulator:
    """A local Tencent SES API on a background thread.

    Example::

        with Simulator(SimulatorConfig(seed=7)) as sim:
            sim.fail_next("InternalError", times=2)
            ...  # point the SDK at sim.netloc with protocol "http"
    """

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self._service = Service(self.config)
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def start(self) -> Simulator:
        """Bind (port 0 = a free port) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("simulator already started")
        server = _HTTPServer((self.config.host, self.config.port), self._service)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"ses-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut open connections; pending sleeps end at once."""
        server, self._server = self._server, None
        if server is None:
            return
        self._service.wake_sleepers()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # Where and who

    @property
    def port(self) -> int:
        """The bound port (the configured one before ``start``)."""
        if self._server is None:
            return self.config.port
        return int(self._server.server_address[1])

    @property
    def netloc(self) -> str:
        """``host:port``, what ``HttpProfile(endpoint=...)`` wants."""
        return f"{self.config.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """``http://host:port``."""
        if self._server is None:
            raise RuntimeError("simulator not started")
        return f"http://{self.netloc}"

    @property
    def secret_id(self) -> str:
        return self.config.secret_id

    @property
    def secret_key(self) -> str:
        return self.config.secret_key

    @property
    def dataset(self) -> Dataset:
        return self._service.dataset

    @property
    def blocklists(self) -> Blocklists:
        """Tencent's and the custom blocklist as the simulated account holds them now."""
        return self._service.blocklists

    # Control while running

    @property
    def faults(self) -> Faults:
        """The current fault settings."""
        return self._service.injector.faults

    def set_faults(self, faults: Faults) -> None:
        """Replace the fault settings (queued ``fail_next`` faults are kept)."""
        self._service.set_faults(faults)

    def fail_next(self, kind: str, times: int = 1, action: str | None = None) -> None:
        """The next ``times`` requests (of ``action``, or of any) get this fault.

        ``kind``: a Tencent error code, or "http500", "drop", "timeout", "malformed",
        "missing_list".
        """
        self._service.fail_next(kind, times, action)

    def set_rate_limit(self, rate: float | None, mode: RateMode | None = None) -> None:
        """Change requests/second per action (None: unlimited) and optionally the mode."""
        self._service.set_rate_limit(rate, mode)

    def stats(self) -> Stats:
        """Counters since start or the last ``reset``."""
        return self._service.stats()

    def reset(self) -> None:
        """Faults, rate limit, complaint spelling, blocklists as configured; counters zeroed."""
        self._service.reset()
