"""What checking the blocklists adds to a lookup: ≤ 10% of its median at 150 ms a request.

A bounced email's lookup (``run_lookup`` for ``bounced@example.com`` on its day) with and
without the blocklist check, against the simulator in its own process (``emailstatus simulate
--latency 0.15``), interleaved, ``RUNS`` each after a warm-up; the check's two list calls run
alongside the status call, so only the wait for the slower of them can show. Run alone:
``.venv/bin/python -m bench.bench_blocklist``.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from unittest.mock import patch

from bench.bench_lookup import EMAILSTATUS
from testkit.simulator_process import SimulatorProcess

RUNS = 21
LATENCY = 0.15
TARGET = 1.10
ADDRESS = "bounced@example.com"


def measure() -> tuple[list[float], list[float]]:
    """Seconds per lookup without and with the check, ``RUNS`` of each, interleaved."""
    from emailstatus.command import Query, TargetKind
    from emailstatus.config import load_settings
    from emailstatus.lookup import run_lookup
    from emailstatus.tencent.client import SesClient

    without: list[float] = []
    with_check: list[float] = []
    with SimulatorProcess(EMAILSTATUS, "--latency", str(LATENCY)) as sim:
        with patch.dict("os.environ", sim.env):
            settings = load_settings()
        client = SesClient(settings)
        query = Query(ADDRESS, TargetKind.ADDRESS, (sim.today - timedelta(days=1),))
        for run in range(RUNS + 1):
            for days, times in ((None, without), (settings.blocklist_days, with_check)):
                started = time.perf_counter()
                outcome = run_lookup(query, client, blocklist_days=days)
                if run:  # the first round warms connections and the simulator's caches
                    times.append(time.perf_counter() - started)
                assert (outcome.blocklist is None) == (days is None)
    return without, with_check


def run() -> dict[str, object]:
    without, with_check = measure()
    plain, checked = statistics.median(without), statistics.median(with_check)
    ratio = checked / plain
    return {
        "lookup_ms_median": round(plain * 1000, 1),
        "lookup_with_blocklist_ms_median": round(checked * 1000, 1),
        "blocklist_ratio": round(ratio, 3),
        "blocklist_ratio_target": TARGET,
        "blocklist_ratio_ok": ratio <= TARGET,
        "runs": RUNS,
        "latency_ms": LATENCY * 1000,
    }


def main() -> None:
    results = run()
    print("Blocklist check in a lookup (bench/bench_blocklist.py)")
    print(
        f"  bounced email, {results['runs']} lookups each, {results['latency_ms']:g} ms a request"
    )
    print(f"    lookup alone                   {results['lookup_ms_median']:>8} ms median")
    checked = results["lookup_with_blocklist_ms_median"]
    print(f"    lookup + blocklist check       {checked:>8} ms median")
    print(
        f"    ratio                          {results['blocklist_ratio']:>8}"
        f"   (target <= {TARGET}: {'ok' if results['blocklist_ratio_ok'] else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
