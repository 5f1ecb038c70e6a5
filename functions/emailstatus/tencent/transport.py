"""Bounds on every HTTP exchange with SES: a total time limit and a cap on the answer's size.

The SDK gives ``requests`` a timeout per socket operation only, so a server dripping one byte a
second holds a call forever, and it reads any body whole into memory. ``bound`` mounts an
adapter on the SDK client's own ``requests`` session: each exchange (connect, send, headers,
body) gets a watchdog that shuts the socket down when its time is up, and the body is read in
chunks up to ``MAX_RESPONSE_BYTES``. ``time_limit`` tightens the limit for the calls a thread
makes inside it (a lookup's or a digest's deadline).

The SDK wraps whatever the adapter raises in a ``ClientNetworkError``; the original exception
stays on its ``__context__``, where ``exceeded`` finds it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any, Final

from requests import PreparedRequest, Response, Session
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

#: A full page is 100 records of well under 2 KB each (the SMTP reply is the longest field):
#: ~200 KB. Eight times that still fits easily in memory; anything larger is not an SES answer.
MAX_RESPONSE_BYTES: Final = 2 * 1024 * 1024
_CHUNK: Final = 64 * 1024

_local = threading.local()


class ResponseTooLargeError(Exception):
    """The answer was larger than ``MAX_RESPONSE_BYTES``; the rest was not read."""


class TooSlowError(Exception):
    """No complete answer arrived within the exchange's total time limit."""


def bound(session: Session, seconds: float) -> None:
    """Give every exchange of ``session`` at most ``seconds`` and ``MAX_RESPONSE_BYTES``."""
    adapter = _BoundedAdapter(seconds)
    session.mount("http://", adapter)
    session.mount("https://", adapter)


@contextlib.contextmanager
def time_limit(deadline: float | None) -> Iterator[None]:
    """Exchanges this thread starts inside end by ``deadline`` (``time.monotonic()``) too."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = deadline
    try:
        yield
    finally:
        _local.deadline = previous


def exceeded(error: BaseException) -> Exception | None:
    """The bound an SDK exception was caused by, if any."""
    cause = error.__context__
    return cause if isinstance(cause, ResponseTooLargeError | TooSlowError) else None


class _Watchdog:
    """Shuts down the socket of the connection in use when the time is up."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._connection: HTTPConnection | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def watch(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connection = connection

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sock = getattr(self._connection, "sock", None)
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        _local.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _local.watchdog = None


class _WatchedConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        watchdog = getattr(_local, "watchdog", None)
        if watchdog is not None:
            watchdog.watch(self)
        super().request(*args, **kwargs)


class _WatchedTlsConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        watchdog = getattr(_local, "watchdog", None)
        if watchdog is not None:
            watchdog.watch(self)
        super().request(*args, **kwargs)


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedTlsPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedTlsConnection


class _BoundedAdapter(HTTPAdapter):
    """``requests``' adapter with a watchdog per exchange and a capped, chunked body read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedTlsPool}

    def send(  # type: ignore[override]  # requests' signature, every argument passed on
        self, request: PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> Response:
        seconds = self.seconds
        deadline = getattr(_local, "deadline", None)
        if deadline is not None:
            seconds = min(seconds, deadline - time.monotonic())
        if seconds <= 0:
            raise TooSlowError("no time left for another request")
        with _Watchdog(seconds) as watchdog:
            try:
                response = super().send(request, stream=True, **kwargs)
                response._content = _read_capped(response)  # what requests' .content reads
            except ResponseTooLargeError:
                raise
            except Exception:
                if watchdog.fired:
                    raise TooSlowError(f"no complete answer within {seconds:.1f} s") from None
                raise
        if watchdog.fired:
            response.close()
            raise TooSlowError(f"no complete answer within {seconds:.1f} s")
        return response


def _read_capped(response: Response) -> bytes:
    """The whole body, or ``ResponseTooLargeError`` as soon as it passes the cap."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        response.close()
        raise ResponseTooLargeError(f"the answer declares {int(declared):,} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.raw.stream(_CHUNK, decode_content=True):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            response.close()
            raise ResponseTooLargeError(f"the answer passed {MAX_RESPONSE_BYTES:,} bytes")
        chunks.append(chunk)
    response.raw.release_conn()
    return b"".join(chunks)
