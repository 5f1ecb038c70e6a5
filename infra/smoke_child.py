"""Run one Lambda handler from an unzipped artifact, the way the Lambda Python runtime would.

Started by ``infra/smoke_package.py`` as ``python3.13 -I -S -B smoke_child.py SPEC.json``: ``-I``
ignores every ``PYTHON*`` variable and the user's site, ``-S`` skips site-packages and ``-B``
never writes bytecode (Lambda's ``/var/task`` is read-only). So the only code on the path is the
standard library, the artifact and a directory holding boto3 (the runtime's copy) — anything
the artifact forgot to ship fails here, not in production. Standard library only.

The spec says where those are, which handler to call (the template's ``Handler`` string,
resolved as the runtime resolves it), the events and, for Bolt's lazy listener, where to fetch
the self-invocations the first call made so they can be fed back in, as Lambda would. It prints
one JSON line: each call's result, plus what was imported from where.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any


class Context:
    """The attributes of Lambda's context object that handlers and Bolt read."""

    def __init__(self, function_name: str, region: str, timeout_s: int) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:123456789012:function:{function_name}"
        self.memory_limit_in_mb = "1024"
        self.aws_request_id = f"smoke-{time.monotonic_ns()}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "smoke"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _resolve(handler: str) -> Any:
    """``emailstatus/handlers.slack_events`` → the function, as the runtime's bootstrap does."""
    module_path, _, name = handler.rpartition(".")
    module = importlib.import_module(module_path.replace("/", "."))
    if not hasattr(module, name):
        raise SystemExit(f"Handler {handler!r} is missing: {module.__name__} has no {name!r}.")
    return getattr(module, name)


def _take_invocations(url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        taken: list[dict[str, Any]] = json.load(answer)
    return taken


def _imports(task: Path, runtime: Path) -> dict[str, Any]:
    """Where every loaded module came from, and which artifact modules lacked bytecode."""
    from_task, from_runtime, elsewhere, no_pyc = 0, 0, [], []
    stdlib = Path(sys.base_prefix).resolve()
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file:
            continue
        path = Path(os.path.abspath(file))  # not resolve(): the runtime dir holds symlinks
        if path == Path(os.path.abspath(__file__)):
            continue  # this script, as __main__
        if path.is_relative_to(task):
            from_task += 1
            if path.suffix == ".py":
                cached = importlib.util.cache_from_source(str(path))
                if not Path(cached).exists():
                    no_pyc.append(name)
        elif path.is_relative_to(runtime):
            from_runtime += 1
        elif not path.is_relative_to(stdlib):
            elsewhere.append(f"{name}={path}")
    return {
        "from_artifact": from_task,
        "from_runtime": from_runtime,
        "elsewhere": elsewhere,
        "artifact_modules_without_pyc": no_pyc,
    }


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    task, runtime = Path(spec["task"]).resolve(), Path(spec["runtime"]).resolve()
    sys.path[:0] = [str(task), str(runtime)]

    started = time.perf_counter()
    handler = _resolve(spec["handler"])
    import_s = time.perf_counter() - started
    context = Context(spec["function_name"], spec["region"], spec["timeout_s"])

    results = []
    pending = list(spec["events"])
    while pending:
        event = pending.pop(0)
        results.append(handler(event, context))
        if spec.get("lazy_url"):
            pending.extend(
                json.loads(call["Payload"]) for call in _take_invocations(spec["lazy_url"])
            )
        if len(results) > 10:
            raise SystemExit("more than 10 invocations: a self-invocation loop?")
    report = {"results": results, "import_s": import_s, "imports": _imports(task, runtime)}
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
