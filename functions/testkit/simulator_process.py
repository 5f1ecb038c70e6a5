"""``emailstatus simulate`` in its own process, so it never competes with the code being
timed or smoke-tested; the variables it prints, and its admin endpoints.

Example::

    with SimulatorProcess(executable, "--latency", "0.15") as sim:
        os.environ.update(sim.env)      # TENCENTCLOUD_SECRET_ID/KEY, EMAILSTATUS_SES_ENDPOINT
        sim.served()                    # GetSendEmailStatus requests admitted so far
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import urllib.request
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any


class SimulatorProcess:
    """The simulator on a free port (or ``--port N`` among ``options``), stopped on exit."""

    def __init__(self, executable: str | Path, *options: str) -> None:
        port = () if "--port" in options else ("--port", "0")
        self._command = [str(executable), "simulate", *port, *options]
        self._process: subprocess.Popen[str] | None = None
        #: What it printed to export: the key pair and the endpoint.
        self.env: dict[str, str] = {}
        #: The simulator's "today" (Beijing time), which its data is seeded around.
        self.today = date.min

    def __enter__(self) -> SimulatorProcess:
        process = subprocess.Popen(
            self._command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self._process = process
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                self.env[name] = value
            elif found := re.match(r"# Today is (\d{4}-\d{2}-\d{2})", line):
                self.today = date.fromisoformat(found.group(1))
            elif line.startswith("# Press Ctrl-C"):
                # Keep the pipe drained, so a chatty simulator never blocks on a full pipe.
                threading.Thread(target=process.stdout.read, daemon=True).start()
                return self
        self.__exit__(None, None, None)
        raise RuntimeError(f"the simulator did not start: {' '.join(self._command)}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    @property
    def endpoint(self) -> str:
        """Where the SDK sends its requests (``EMAILSTATUS_SES_ENDPOINT``)."""
        return self.env["EMAILSTATUS_SES_ENDPOINT"]

    def admin(self, path: str, document: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET (or POST ``document`` to) ``/_simulator/<path>``."""
        data = None if document is None else json.dumps(document).encode()
        request = urllib.request.Request(f"{self.endpoint}/_simulator/{path}", data=data)
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, Any] = json.load(response)
        return answer

    def served(self) -> int:
        """``GetSendEmailStatus`` requests admitted so far."""
        return int(self.admin("stats")["served"].get("GetSendEmailStatus", 0))
