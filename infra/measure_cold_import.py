"""Cold import of both handlers from the packaged artifact, with and without matching bytecode.

Why it matters: Lambda's ``/var/task`` is read-only, so a module without a ``.pyc`` written by
the runtime's own Python minor version is compiled again on *every* cold start, and the Slack
handler's first request must be acknowledged within 3 seconds. This measures what that costs,
per Python version, so the runtime in serverless.yml is chosen on figures.

For each interpreter given: the artifact is unzipped, its bytecode stripped, and then
(a) run as is (no usable ``.pyc``: every module compiled in memory, as on Lambda with a
mismatched runtime), and (b) compiled by that interpreter with ``unchecked-hash`` pyc (what
``infra/compile_artifact.py`` ships). Each case runs ``--runs`` fresh ``python -I -S -B``
processes whose path holds only the artifact and a boto3 directory (compiled for that Python in
both cases: the runtime's copy is not ours to ship), and reports the median import time.

Usage: ``.venv/bin/python infra/measure_cold_import.py --artifact .serverless/X.zip PY [PY...]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import boto3  # type: ignore[import-untyped]
from smoke_package import RUNTIME_PACKAGES  # type: ignore[import-not-found,unused-ignore]

from testkit import cold_import

#: Imported in this order by one fresh interpreter per measurement; the Slack handler builds
#: its Bolt app at import, so settings must be present (no SSM call: values in the environment).
HANDLER_MODULES = {
    "slack": "emailstatus.handlers",
    # handlers.daily_digest imports digest_job on its first call: the digest's cold start.
    "digest": "emailstatus.handlers, emailstatus.digest.run",
}
ENV = {
    "SLACK_SIGNING_SECRET": "measure-signing-secret",
    "SLACK_BOT_TOKEN": "xoxb-measure",
    "TENCENTCLOUD_SECRET_ID": "AKIDmeasure",
    "TENCENTCLOUD_SECRET_KEY": "measure",
    "EMAILSTATUS_TABLE": "measure",
    "AWS_REGION": "ap-southeast-1",
    "AWS_ACCESS_KEY_ID": "x",
    "AWS_SECRET_ACCESS_KEY": "x",
    "LANG": "C.UTF-8",
}


def _compile(python: str, directory: Path) -> None:
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
         str(directory)],
        check=True,
    )  # fmt: skip


def _strip_bytecode(directory: Path) -> None:
    for cache in list(directory.rglob("__pycache__")):
        shutil.rmtree(cache)


def _median_import(python: str, task: Path, runtime: Path, module: str, runs: int) -> float:
    times = [
        cold_import.import_seconds(
            f"import {module}",
            python=python,
            flags=("-I", "-S", "-B"),
            path_first=(task, runtime),
            env=ENV,
        )
        for _ in range(runs)
    ]
    return statistics.median(times)


def measure(python: str, artifact: Path, runs: int) -> dict[str, object]:
    version = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    result: dict[str, object] = {"python": version}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        runtime = root / "runtime"
        site = Path(boto3.__file__).parent.parent
        runtime.mkdir()
        for name in RUNTIME_PACKAGES:
            source = site / name
            if source.is_dir():
                shutil.copytree(source, runtime / name, ignore=shutil.ignore_patterns("*.pyc"))
            else:
                shutil.copy2(source, runtime / name)
        _compile(python, runtime)
        task = root / "task"
        with zipfile.ZipFile(artifact) as archive:
            archive.extractall(task)
        _strip_bytecode(task)
        for handler, module in HANDLER_MODULES.items():
            result[f"{handler}_without_pyc_s"] = _median_import(python, task, runtime, module, runs)
        _compile(python, task)
        for handler, module in HANDLER_MODULES.items():
            result[f"{handler}_with_pyc_s"] = _median_import(python, task, runtime, module, runs)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--artifact", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("pythons", nargs="+")
    args = parser.parse_args(argv)
    zipped = args.artifact.stat().st_size
    with zipfile.ZipFile(args.artifact) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    print(json.dumps({"zip_bytes": zipped, "unzipped_bytes": unzipped}))
    for python in args.pythons:
        print(json.dumps(measure(python, args.artifact, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
