"""Reply reader benchmark: ``explain --batch`` throughput, and what the reader costs at start-up.

1. ``emailstatus explain --batch`` reading 10,000 replies (JSON Lines on stdin) in one fresh
   process, start-up included: wall-clock seconds, median of ``BATCH_RUNS``. Target < 2 s. The
   replies are the reply corpus's, each made distinct (its own address and ID), in order.
2. The reader's own import cost in a fresh interpreter (its standard-library imports done
   first, so only the reader's modules and tables count), median of ``IMPORT_RUNS`` interleaved
   runs, against the reader it replaced (``ses/replies.py`` before issue 10, read from git at
   ``OLD_READER_COMMIT``; about 16 ms of ``emailstatus check``'s start-up, by ``-X importtime``).

Run: ``.venv/bin/python bench/bench_explain.py``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from testkit import cold_import

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "reply_corpus.toml"
EMAILSTATUS = Path(sys.executable).with_name("emailstatus")
REPLIES = 10_000
BATCH_RUNS = 3
BATCH_TARGET_S = 2.0
IMPORT_RUNS = 11
#: The last commit with the regex reader that issue 10 replaced.
OLD_READER_COMMIT = "64d3039"
#: What both readers import from the standard library: paid by anything, not by the reader.
_STDLIB = "import re, dataclasses, enum, collections.abc"


def batch_input(count: int = REPLIES) -> str:
    """``count`` JSON lines cycling through the corpus, each reply made distinct."""
    cases = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]
    lines = []
    for n in range(count):
        reply = cases[n % len(cases)]["reply"].replace("user@", f"user{n}@")
        lines.append(json.dumps({"id": n, "text": f"{reply} id={n:08x}"}))
    return "\n".join(lines) + "\n"


def measure_batch(runs: int = BATCH_RUNS) -> dict[str, float]:
    """Seconds for one ``explain --batch`` process over ``REPLIES`` lines, and a sanity count."""
    stdin = batch_input()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [str(EMAILSTATUS), "explain", "--batch"],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(time.perf_counter() - started)
        answers = result.stdout.splitlines()
        assert len(answers) == REPLIES, len(answers)
        assert all('"reason"' in answer for answer in answers)
    return {"median": statistics.median(times), "best": min(times)}


def import_seconds(statement: str, path: Path) -> float:
    """Seconds ``statement`` takes in a fresh interpreter with ``path`` first on sys.path."""
    return cold_import.import_seconds(
        statement, before=_STDLIB, env={"PYTHONPATH": str(path)}, cwd=path
    )


def measure_imports(runs: int = IMPORT_RUNS) -> dict[str, float | None]:
    """Median import seconds of the reader, and of the old one when git can still show it."""
    new = ROOT / "functions"
    with tempfile.TemporaryDirectory() as scratch:
        old = Path(scratch)
        shown = subprocess.run(
            ["git", "show", f"{OLD_READER_COMMIT}:functions/emailstatus/knowledge/replies.py"],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        has_old = shown.returncode == 0
        if has_old:
            (old / "old_replies.py").write_text(shown.stdout, encoding="utf-8")
        statements = [("new", "import emailstatus.knowledge.replies", new)]
        if has_old:
            statements.append(("old", "import old_replies", old))
        for _name, statement, path in statements:  # warm the bytecode caches
            import_seconds(statement, path)
        samples: dict[str, list[float]] = {name: [] for name, _, _ in statements}
        for _ in range(runs):
            for name, statement, path in statements:
                samples[name].append(import_seconds(statement, path))
    return {
        "new": statistics.median(samples["new"]),
        "old": statistics.median(samples["old"]) if has_old else None,
    }


def run() -> dict[str, object]:
    """Measure both and return the figures."""
    batch = measure_batch()
    imports = measure_imports()
    old_ms = round(imports["old"] * 1000, 1) if imports["old"] is not None else None
    return {
        "batch_replies": REPLIES,
        "batch_s_median": round(batch["median"], 3),
        "batch_s_best": round(batch["best"], 3),
        "batch_replies_per_s": round(REPLIES / batch["median"]),
        "batch_s_target": BATCH_TARGET_S,
        "batch_s_ok": batch["median"] < BATCH_TARGET_S,
        "reader_import_ms": round((imports["new"] or 0) * 1000, 1),
        "old_reader_import_ms": old_ms,
        "import_runs": IMPORT_RUNS,
    }


def main() -> None:
    results = run()
    print("Reply reader (bench/bench_explain.py)")
    print(f"  explain --batch, {results['batch_replies']:,} replies, one process, start-up in")
    print(
        f"    median of {BATCH_RUNS}                          {results['batch_s_median']:>8} s"
        f"   (target < {BATCH_TARGET_S} s: {'ok' if results['batch_s_ok'] else 'MISSED'})"
    )
    print(f"    replies/s                            {results['batch_replies_per_s']:>8,}")
    print(f"  reader import, median of {results['import_runs']} fresh interpreters")
    print(f"    ses.replies + rules + reasons        {results['reader_import_ms']:>8} ms")
    print(f"    the regex reader it replaced         {results['old_reader_import_ms']!s:>8} ms")


if __name__ == "__main__":
    main()
