"""One lookup against Tencent's own CLI, cold start with and without bytecode, a day's walk.

1. **One lookup.** ``emailstatus check ADDRESS DAY`` vs ``tccli ses GetSendEmailStatus`` (Tencent's
   official CLI, installed into a throwaway virtualenv under the temp directory, never a
   project dependency) asking the simulator the same question: a fresh process each, interleaved,
   median wall time of ``RUNS`` and the ratio (target <= 0.6). Both answers are compared, and the
   simulator's own counters must show exactly one request per run from each tool.
2. **Cold start.** Importing ``emailstatus.handlers`` (the Lambda entry points; builds the Bolt
   app) and the modules ``emailstatus check`` loads, each against the bare dependency imports
   they cannot avoid, with warm bytecode caches and with none: a deployment zip without
   ``__pycache__`` compiles every module on every cold start, since ``/var/task`` is read-only.
   The "no .pyc" runs import copies of exactly the packages loaded, made without
   ``__pycache__`` and put first on ``PYTHONPATH`` with ``PYTHONDONTWRITEBYTECODE=1``; the
   standard library keeps its bytecode, as in the Lambda runtime.
3. **A day's walk** at 20 requests/s and 150 ms a request: the digest's concurrent walk
   (``SesClient.iter_day``), a plain sequential SDK pager and a ``tccli`` page loop (one process
   a page, as a shell script would do it; sampled over the first ``TCCLI_PAGES`` pages, since
   each page costs the same) — records/s and the ratio to the 2,000 records/s ceiling. The walk
   is timed in process, like the SDK loop; ``bench_digest`` times the whole ``emailstatus
   digest`` process (start-up included) on a 30,000-email day against its >= 0.9 target.

The simulator runs in its own process (``emailstatus simulate``), so the server never competes
for the client's interpreter lock. Run alone: ``.venv/bin/python -m bench.bench_lookup``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from bench import bench_slack
from testkit.simulator_process import SimulatorProcess

RUNS = 10
LOOKUP_TARGET = 0.6
#: 20 requests/s × 100 records a page: no client can read a day faster.
WALK_CEILING = 2000.0
WALK_RATE = 20
WALK_LATENCY = 0.15
WALK_EMAILS = 10_000
TCCLI_PAGES = 20
IMPORT_RUNS = 9
IMPORT_RUNS_NO_PYC = 7
#: The modules ``emailstatus check --format text`` imports, and the one it cannot do without.
CHECK_IMPORTS = (
    "import emailstatus.cli, emailstatus.command, emailstatus.config, emailstatus.lookup, "
    "emailstatus.tencent.client, emailstatus.render.terminal"
)
CHECK_BASELINE = "import argparse, tencentcloud.ses.v20201002.ses_client"
#: The Tencent CLI and its SDK (the all-products one, ~650 MB): kept between runs, never in .venv.
TCCLI_DIR = Path(tempfile.gettempdir()) / "emailstatus-bench-tccli"
TCCLI_SPEC = os.environ.get("EMAILSTATUS_BENCH_TCCLI", "tccli")
EMAILSTATUS = str(Path(sys.executable).with_name("emailstatus"))
PAGE = 100


# --- Tencent's CLI -----------------------------------------------------------------------------


def install_tccli() -> tuple[Path, str]:
    """``tccli`` in its own virtualenv (reused by later runs) and its version."""
    venv = TCCLI_DIR / "venv"
    exe = venv / "bin" / "tccli"
    if not exe.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", TCCLI_SPEC],
            capture_output=True,
            text=True,
            check=False,
        )
        if pip.returncode:
            raise RuntimeError(f"pip install {TCCLI_SPEC} failed:\n{pip.stderr[-2000:]}")
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import tccli; print(tccli.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return exe, version


def tccli_page(
    exe: Path, sim: SimulatorProcess, day: date, offset: int, to: str | None = None
) -> list[dict[str, Any]]:
    """One ``tccli ses GetSendEmailStatus`` process against the simulator; its EmailStatusList.

    ``--endpoint`` with an ``http://`` URL makes the SDK underneath send plain HTTP to it (the
    CLI has no protocol option); credentials come from the variables tccli reads.
    """
    home = TCCLI_DIR / "home"
    home.mkdir(parents=True, exist_ok=True)
    command = [
        str(exe),
        "ses",
        "GetSendEmailStatus",
        "--region",
        "ap-singapore",
        "--endpoint",
        sim.endpoint,
        "--RequestDate",
        day.isoformat(),
        "--Offset",
        str(offset),
        "--Limit",
        str(PAGE),
    ]
    if to:
        command += ["--ToEmailAddress", to]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TENCENTCLOUD_SECRET_ID": sim.env["TENCENTCLOUD_SECRET_ID"],
        "TENCENTCLOUD_SECRET_KEY": sim.env["TENCENTCLOUD_SECRET_KEY"],
    }
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    items: list[dict[str, Any]] = json.loads(result.stdout)["EmailStatusList"]
    return items


def check_json(sim: SimulatorProcess, address: str, day: date) -> list[dict[str, Any]]:
    """One ``emailstatus check ADDRESS DAY --format json`` process; the emails it found."""
    env = {**os.environ, **sim.env}
    env.pop("EMAILSTATUS_SSM_PATH", None)
    result = subprocess.run(
        [EMAILSTATUS, "check", address, day.isoformat(), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    emails: list[dict[str, Any]] = json.loads(result.stdout)["emails"]
    return emails


def measure_lookup(exe: Path, sim: SimulatorProcess, runs: int = RUNS) -> dict[str, Any]:
    """Median seconds of one lookup by each tool, interleaved; both must find the same email."""
    from ses_simulator import FIXTURES

    fixture = FIXTURES["delivered"]
    ours_ids = [email["message_id"] for email in check_json(sim, fixture.address, fixture.day)]
    theirs_ids = [
        item["MessageId"] for item in tccli_page(exe, sim, fixture.day, 0, fixture.address)
    ]
    if ours_ids != theirs_ids or ours_ids != [fixture.message_id]:
        raise RuntimeError(f"the tools disagree: {ours_ids} vs {theirs_ids}")
    ours: list[float] = []
    theirs: list[float] = []
    before = sim.served()
    for _ in range(runs):
        ours.append(_timed(lambda: check_json(sim, fixture.address, fixture.day)))
        theirs.append(_timed(lambda: tccli_page(exe, sim, fixture.day, 0, fixture.address)))
    requests = sim.served() - before
    if requests != 2 * runs:
        raise RuntimeError(f"expected {2 * runs} requests at the simulator, it saw {requests}")
    ratio = statistics.median(ours) / statistics.median(theirs)
    return {
        "check_ms": _ms(statistics.median(ours)),
        "tccli_ms": _ms(statistics.median(theirs)),
        "ratio": round(ratio, 3),
        "ratio_target": f"<= {LOOKUP_TARGET}",
        "ratio_ok": ratio <= LOOKUP_TARGET,
        "runs": runs,
        "simulator_requests": requests,
    }


# --- cold start --------------------------------------------------------------------------------


def loaded_files(statement: str) -> list[str]:
    """The source files of every module ``statement`` loads in a fresh interpreter."""
    probe = (
        f"{statement}\nimport sys, json\n"
        "print(json.dumps(sorted({getattr(m, '__file__', None) or '' "
        "for m in list(sys.modules.values())})))"
    )
    with patch.dict(os.environ, bench_slack.ENV):
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
    files: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return [name for name in files if name]


def copy_without_bytecode(statements: Sequence[str], target: Path) -> list[str]:
    """Copy the top-level packages the statements load (ours and the dependencies) to
    ``target`` without ``__pycache__``; the names copied."""
    paths = sysconfig.get_paths()
    roots = {Path(paths["purelib"]), Path(paths["platlib"])}
    import emailstatus

    roots.add(Path(emailstatus.__file__).resolve().parent.parent)
    tops: set[Path] = set()
    for statement in statements:
        for name in loaded_files(statement):
            path = Path(name).resolve()
            for root in roots:
                if path.is_relative_to(root):
                    tops.add(root / path.relative_to(root).parts[0])
    for top in tops:
        if top.is_dir():
            shutil.copytree(top, target / top.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(top, target / top.name)
    return sorted(top.name for top in tops)


def import_ms(statement: str, runs: int) -> float:
    """Median milliseconds of ``statement`` in fresh interpreters (bench_slack's measure)."""
    return _ms(statistics.median(bench_slack.import_seconds(statement) for _ in range(runs)))


def measure_cold_start() -> dict[str, Any]:
    """Ours vs the bare dependencies, for the handlers and the CLI, with and without .pyc."""
    pairs = {
        "handlers": (bench_slack.HANDLERS, bench_slack.BASELINE),
        "check": (CHECK_IMPORTS, CHECK_BASELINE),
    }
    statements = [statement for pair in pairs.values() for statement in pair]
    figures: dict[str, Any] = {}
    for statement in statements:  # warm every bytecode cache first
        bench_slack.import_seconds(statement)
    for name, (ours, bare) in pairs.items():
        ours_ms, bare_ms = import_ms(ours, IMPORT_RUNS), import_ms(bare, IMPORT_RUNS)
        figures[name] = {"pyc_ms": ours_ms, "pyc_bare_ms": bare_ms}
        figures[name]["pyc_ratio"] = round(ours_ms / bare_ms, 3)
    with tempfile.TemporaryDirectory(prefix="emailstatus-nopyc-") as copy:
        copied = copy_without_bytecode(statements, Path(copy))
        no_pyc = {"PYTHONPATH": copy, "PYTHONDONTWRITEBYTECODE": "1"}
        with patch.dict(os.environ, no_pyc):
            _check_copy_is_used(Path(copy))
            for name, (ours, bare) in pairs.items():
                ours_ms = import_ms(ours, IMPORT_RUNS_NO_PYC)
                bare_ms = import_ms(bare, IMPORT_RUNS_NO_PYC)
                figures[name] |= {"no_pyc_ms": ours_ms, "no_pyc_bare_ms": bare_ms}
                figures[name]["no_pyc_ratio"] = round(ours_ms / bare_ms, 3)
    figures["handlers"]["pyc_ratio_target"] = f"<= {bench_slack.IMPORT_TARGET}"
    figures["handlers"]["pyc_ratio_ok"] = figures["handlers"]["pyc_ratio"] <= (
        bench_slack.IMPORT_TARGET
    )
    figures["no_pyc_packages_copied"] = len(copied)
    figures["handlers"]["top_imports_ms"] = import_profile(bench_slack.HANDLERS)
    figures["check"]["top_imports_ms"] = import_profile(CHECK_IMPORTS)
    return figures


def _check_copy_is_used(copy: Path) -> None:
    files = loaded_files("import emailstatus.handlers")
    for package in ("emailstatus", "slack_bolt"):
        if not any(Path(name).is_relative_to(copy / package) for name in files):
            raise RuntimeError(f"{package} was not imported from the bytecode-free copy")


def import_profile(statement: str, top: int = 6) -> dict[str, float]:
    """``-X importtime``, each module's own time summed by top-level package: what dominates
    (milliseconds; the profiler inflates them, so read them as shares, not as figures)."""
    with patch.dict(os.environ, bench_slack.ENV):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement],
            capture_output=True,
            text=True,
            check=True,
        )
    costs: dict[str, float] = {}
    for line in result.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if found:
            package = found.group(2).split(".")[0]
            costs[package] = costs.get(package, 0.0) + int(found.group(1)) / 1000
    ranked = sorted(costs.items(), key=lambda item: item[1], reverse=True)[:top]
    return {name: round(ms, 1) for name, ms in ranked}


# --- a day's walk ------------------------------------------------------------------------------


def walk_digest(sim: SimulatorProcess, day: date) -> tuple[int, float]:
    """Records and seconds for ``SesClient.iter_day`` at the full 20 requests/s."""
    from emailstatus.config import load_settings
    from emailstatus.tencent.client import SesClient

    settings = load_settings({**sim.env, "EMAILSTATUS_SES_RATE": str(WALK_RATE)})
    walk = SesClient(settings).iter_day(day, rate=WALK_RATE)
    started = time.perf_counter()
    records = sum(len(page.records) for page in walk)
    seconds = time.perf_counter() - started
    if not walk.progress.complete:
        raise RuntimeError(f"the digest's walk stopped early: {walk.progress}")
    return records, seconds


def walk_sdk_loop(sim: SimulatorProcess, day: date) -> tuple[int, float]:
    """Records and seconds for the obvious loop: one SDK request after another, Limit 100."""
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.ses.v20201002.ses_client import SesClient

    profile = ClientProfile(
        httpProfile=HttpProfile(endpoint=sim.endpoint.removeprefix("http://"), protocol="http")
    )
    credential = Credential(sim.env["TENCENTCLOUD_SECRET_ID"], sim.env["TENCENTCLOUD_SECRET_KEY"])
    client = SesClient(credential, "ap-singapore", profile)
    records, offset = 0, 0
    started = time.perf_counter()
    while True:
        params = {"RequestDate": day.isoformat(), "Offset": offset, "Limit": PAGE}
        items = client.call_json("GetSendEmailStatus", params)["Response"]["EmailStatusList"]
        records += len(items)
        if len(items) < PAGE:
            return records, time.perf_counter() - started
        offset += PAGE


def walk_tccli(exe: Path, sim: SimulatorProcess, day: date) -> tuple[int, float]:
    """Records and seconds for ``TCCLI_PAGES`` pages fetched by a tccli loop."""
    records = 0
    started = time.perf_counter()
    for page in range(TCCLI_PAGES):
        records += len(tccli_page(exe, sim, day, page * PAGE))
    return records, time.perf_counter() - started


def measure_walk(exe: Path, sim: SimulatorProcess) -> dict[str, Any]:
    """The three readers on the same simulated day, throttled like Tencent and 150 ms away."""
    day = sim.today - timedelta(days=1)
    sim.admin("faults", {"latency": WALK_LATENCY})
    figures: dict[str, Any] = {
        "emails": WALK_EMAILS,
        "rate_limit": WALK_RATE,
        "latency_ms": _ms(WALK_LATENCY),
    }
    walkers: dict[str, Callable[[], tuple[int, float]]] = {
        "digest_walk": lambda: walk_digest(sim, day),
        "sdk_loop": lambda: walk_sdk_loop(sim, day),
        "tccli_loop": lambda: walk_tccli(exe, sim, day),
    }
    for name, walker in walkers.items():
        sim.admin("reset", {})
        sim.admin("faults", {"latency": WALK_LATENCY})
        records, seconds = walker()
        stats = sim.admin("stats")
        rate = records / seconds
        figures[name] = {
            "records": records,
            "records_per_s": round(rate),
            "ratio_to_ceiling": round(rate / WALK_CEILING, 3),
            "throttled": stats["rejected"],
        }
    return figures


# --- all of it ---------------------------------------------------------------------------------


def run() -> dict[str, Any]:
    """Every figure of this module (milliseconds, ratios, records/s)."""
    exe, version = install_tccli()
    figures: dict[str, Any] = {"tccli_version": version}
    with SimulatorProcess(
        EMAILSTATUS, "--emails-per-day", str(WALK_EMAILS), "--rate", str(WALK_RATE)
    ) as sim:
        figures["lookup"] = measure_lookup(exe, sim)
        figures["walk"] = measure_walk(exe, sim)
    figures["cold_start"] = measure_cold_start()
    return figures


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> None:
    print(json.dumps(run(), indent=2))


if __name__ == "__main__":
    main()
