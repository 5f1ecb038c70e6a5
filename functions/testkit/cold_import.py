"""How long an import takes in a fresh interpreter: the one timer behind the cold-start figures
(``bench/``, ``infra/measure_cold_import.py``).

The interpreter's own start-up is not counted: the statement is timed inside it, around the
import alone, which is what a Lambda cold start pays on top of the runtime's.

Example::

    import_seconds("import emailstatus.handlers", env={**os.environ, **SETTINGS})
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

_TIMED = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"


def import_seconds(
    statement: str,
    *,
    python: str = sys.executable,
    flags: Sequence[str] = (),
    path_first: Sequence[str | Path] = (),
    before: str = "",
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> float:
    """Seconds ``statement`` takes in a fresh ``python`` (run with ``flags``, e.g. ``-I -S
    -B``), with ``path_first`` put ahead of everything on ``sys.path``; ``before`` runs first,
    untimed (imports that should not count)."""
    setup = f"import sys; sys.path[:0] = {[str(entry) for entry in path_first]!r}; "
    if before:
        setup += f"{before}; "
    done = subprocess.run(
        [python, *flags, "-c", setup + _TIMED.format(statement=statement)],
        capture_output=True,
        text=True,
        check=False,
        env=None if env is None else dict(env),
        cwd=cwd,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{python}: {statement!r} failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.strip().splitlines()[-1])
