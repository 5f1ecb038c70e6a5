"""``make bench``: run every ``bench/bench_*.py``, print one table, write ``bench/results.json``.

One failing benchmark does not hide the others' figures: its error is recorded in the table
and the results, and the run exits non-zero at the end. The results carry the date and the
machine's core count, because every figure here depends on both.

Run: ``.venv/bin/python -m bench.run_all [--only lookup slack ...] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUTPUT = BENCH_DIR / "results.json"
TARGET_SUFFIX = "_target"
OK_SUFFIX = "_ok"


def discover() -> list[str]:
    """The short names of the bench modules (``bench_lookup.py`` → ``lookup``), sorted."""
    return sorted(path.stem.removeprefix("bench_") for path in BENCH_DIR.glob("bench_*.py"))


def run_one(name: str) -> dict[str, Any]:
    """Import ``bench.bench_<name>`` and call its ``run()``; an exception becomes ``error``."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        figures = module.run()
    except Exception as error:  # one broken bench must not hide the others' figures
        traceback.print_exc()
        return {"error": f"{type(error).__name__}: {error}", "seconds": _elapsed(started)}
    return {"figures": figures, "seconds": _elapsed(started)}


def flatten(figures: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested dicts as dotted names, in the order the bench returned them."""
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten(value, f"{name}.")
        else:
            yield name, value


def table(results: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The printable table and the list of missed targets (``bench.figure``)."""
    rows: list[tuple[str, str, str, str]] = []
    missed: list[str] = []
    for bench, outcome in results["benches"].items():
        if "error" in outcome:
            rows.append((bench, "ERROR", outcome["error"], ""))
            missed.append(f"{bench}: {outcome['error']}")
            continue
        flat = dict(flatten(outcome["figures"]))
        for name, value in flat.items():
            if name.endswith((TARGET_SUFFIX, OK_SUFFIX)) and _base(name) in flat:
                continue
            target = flat.get(name + TARGET_SUFFIX)
            ok = flat.get(name + OK_SUFFIX)
            verdict = ""
            if target is not None or ok is not None:
                verdict = f"target {target}" if target is not None else "target"
                if ok is not None:
                    verdict += ": ok" if ok else ": MISSED"
                    if not ok:
                        missed.append(f"{bench}.{name} = {_show(value)} ({verdict})")
            rows.append((bench, name, _show(value), verdict))
        rows.append((bench, "(bench seconds)", _show(outcome["seconds"]), ""))
    widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else [0, 0, 0]
    lines = [
        f"emailstatus benchmarks — {results['date']}, {results['cpu_count']} cores, "
        f"Python {results['python']}",
        "",
    ]
    for bench, name, value, verdict in rows:
        lines.append(
            f"{bench:<{widths[0]}}  {name:<{widths[1]}}  {value:>{widths[2]}}  {verdict}".rstrip()
        )
    return "\n".join(lines), missed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benches, print the table, write the JSON; 1 if a bench failed (a missed target
    is a figure to report, not a failure of the run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="e.g. lookup slack digest")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    names = args.only or discover()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "benches": {},
    }
    for name in names:
        print(f"running bench_{name} …", file=sys.stderr, flush=True)
        results["benches"][name] = run_one(name)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text, missed = table(results)
    print(text)
    print(f"\nwritten to {args.output}")
    if missed:
        print("\nmissed or failed:\n  " + "\n  ".join(missed))
    return 1 if any("error" in outcome for outcome in results["benches"].values()) else 0


def _base(name: str) -> str:
    return name.removesuffix(TARGET_SUFFIX).removesuffix(OK_SUFFIX)


def _elapsed(started: float) -> float:
    return round(time.perf_counter() - started, 1)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return ", ".join(_show(item) for item in value)
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
