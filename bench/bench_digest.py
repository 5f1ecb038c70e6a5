"""The daily digest: how close its walk gets to the API's ceiling, and how flat its memory stays.

1. **Throughput.** A simulated day of ``WALK_EMAILS`` emails behind Tencent's limit (20
   requests/s per action) and ``LATENCY`` per request. ``emailstatus digest --format json`` runs
   in a fresh process, so interpreter start, imports and GetStatisticsReport are all counted;
   records/s over that wall time, against the budget's ceiling (budget × 100 records/s), with
   ``EMAILSTATUS_DIGEST_RATE=20`` and with the default 16 (target >= 0.9 both). For comparison,
   the same day read by a plain sequential SDK pager (one request after another).
2. **Memory.** Peak RSS of the same command for a day of ``SMALL_DAY`` and of ``LARGE_DAY``
   emails (no rate limit, no latency: only memory is measured), read from the child's own
   rusage (``os.wait4``); the fold keeps counters, bounded tallies and 20 samples, so the growth
   should stay under ``RSS_GROWTH_TARGET_MB``.

The simulator runs in its own process (``emailstatus simulate``), never competing with the
digest for an interpreter lock. Run alone: ``.venv/bin/python -m bench.bench_digest``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from bench.bench_lookup import EMAILSTATUS, PAGE, walk_sdk_loop
from testkit.simulator_process import SimulatorProcess

WALK_EMAILS = 30_000
API_RATE = 20
LATENCY = 0.15
BUDGETS = (20, 16)
RATIO_TARGET = 0.9
SMALL_DAY = 10_000
LARGE_DAY = 200_000
RSS_GROWTH_TARGET_MB = 10.0
#: Rates for the memory runs: only the simulator's speed should bound them.
UNTHROTTLED = "2000"


def digest_process(sim: SimulatorProcess, **env: str) -> tuple[dict[str, Any], float, int]:
    """One ``emailstatus digest`` for the simulator's yesterday: its JSON, wall seconds, peak RSS.

    Wall time runs from spawning the process to its exit; peak RSS (KiB on Linux) is the
    child's own ``ru_maxrss``.
    """
    day = sim.today - timedelta(days=1)
    environment = {**os.environ, **sim.env, **env}
    for name in ("EMAILSTATUS_TABLE", "EMAILSTATUS_SSM_PATH"):
        environment.pop(name, None)
    command = [EMAILSTATUS, "digest", "--date", day.isoformat(), "--format", "json"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout = process.stdout.read() if process.stdout else b""
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"emailstatus digest failed: {stderr.decode()[-500:]}")
    document: dict[str, Any] = json.loads(stdout)
    if not document["complete"]:
        raise RuntimeError(f"the digest stopped early: {document['coverage']}")
    return document, seconds, usage.ru_maxrss


def measure_throughput() -> dict[str, Any]:
    """Records/s of the digest process at each budget, and of a sequential pager."""
    figures: dict[str, Any] = {
        "emails": WALK_EMAILS,
        "api_rate_limit": API_RATE,
        "latency_ms": round(LATENCY * 1000),
    }
    options = ("--emails-per-day", str(WALK_EMAILS), "--rate", str(API_RATE))
    with SimulatorProcess(EMAILSTATUS, *options, "--latency", str(LATENCY)) as sim:
        # The pager goes first: it also makes the simulator generate the day, which must not
        # be charged to the digest.
        records, seconds = walk_sdk_loop(sim, sim.today - timedelta(days=1))
        figures["sequential_pager"] = {
            "records": records,
            "seconds": round(seconds, 2),
            "records_per_s": round(records / seconds),
            "ratio_to_api_ceiling": round(records / seconds / (API_RATE * PAGE), 3),
        }
        for budget in BUDGETS:
            sim.admin("reset", {})  # counters zeroed; the latency it started with stays
            document, seconds, _ = digest_process(sim, EMAILSTATUS_DIGEST_RATE=str(budget))
            stats = sim.admin("stats")
            rate = document["total"] / seconds
            figures[f"digest_rate_{budget}"] = {
                "records": document["total"],
                "seconds": round(seconds, 2),
                "records_per_s": round(rate),
                "ceiling_records_per_s": budget * PAGE,
                "ratio_to_ceiling": round(rate / (budget * PAGE), 3),
                "ratio_to_ceiling_target": f">= {RATIO_TARGET}",
                "ratio_to_ceiling_ok": rate / (budget * PAGE) >= RATIO_TARGET,
                "requests": stats["served"].get("GetSendEmailStatus", 0),
                "throttled": stats["rejected"],
                "busiest_second": stats["max_per_window"].get("GetSendEmailStatus", 0),
            }
    return figures


def measure_memory() -> dict[str, Any]:
    """Peak RSS of the digest process for a small and a large day."""
    peaks: dict[int, float] = {}
    for emails in (SMALL_DAY, LARGE_DAY):
        with SimulatorProcess(EMAILSTATUS, "--emails-per-day", str(emails), "--rate", "0") as sim:
            document, _, peak_kib = digest_process(
                sim, EMAILSTATUS_SES_RATE=UNTHROTTLED, EMAILSTATUS_DIGEST_RATE=UNTHROTTLED
            )
        if document["total"] < emails:
            raise RuntimeError(f"read {document['total']} of {emails} emails")
        peaks[emails] = peak_kib / 1024
    growth = peaks[LARGE_DAY] - peaks[SMALL_DAY]
    return {
        f"peak_rss_mb_{SMALL_DAY}": round(peaks[SMALL_DAY], 1),
        f"peak_rss_mb_{LARGE_DAY}": round(peaks[LARGE_DAY], 1),
        "growth_mb": round(growth, 1),
        "growth_mb_target": f"< {RSS_GROWTH_TARGET_MB:g}",
        "growth_mb_ok": growth < RSS_GROWTH_TARGET_MB,
    }


def run() -> dict[str, object]:
    """Every figure of this module."""
    return {"throughput": measure_throughput(), "memory": measure_memory()}


def main() -> None:
    figures = run()
    rows: list[tuple[str, str]] = []
    for section, values in figures.items():
        assert isinstance(values, dict)
        for name, value in values.items():
            if isinstance(value, dict):
                rows.extend((f"{section}.{name}.{key}", str(item)) for key, item in value.items())
            else:
                rows.append((f"{section}.{name}", str(value)))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
