"""Coverage-guided fuzzing of ``command.parse`` with atheris (libFuzzer for Python).

Hypothesis (``test_fuzz.py``) draws from shapes we thought of; atheris mutates bytes towards
code paths nobody thought of. The property is the parser's contract: any text, at any moment,
gives a ``Query``, ``Help`` or ``UsageError`` whose invariants hold (the same checks as the
parser's own tests), and never an exception.

Run: ``.venv/bin/python tests/reliability/atheris_parser.py -atheris_runs=200000 [CORPUS_DIR]``
(``-max_total_time=60`` for a time bound; a corpus directory keeps and grows the findings).
``test_fuzz.py`` runs it briefly in ``make test`` and longer in ``make soak``.
"""

from __future__ import annotations

import sys
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["emailstatus.command"]):
    from emailstatus.command import parse

from testkit.command_properties import SHANGHAI, check_invariants

#: A fixed "now" far from any edge; each input moves it by up to a year either way. In the
#: configured zone (Beijing here), as ``parse`` is promised and as the invariants assume.
BASE = datetime(2026, 11, 28, 12, 0, tzinfo=SHANGHAI)
MINUTES_A_YEAR = 525_600
#: Starting points for the mutations: every form the parser knows (``seed_corpus``).
SEEDS = (
    "alice@example.com",
    "alice@example.com yesterday",
    "<mailto:bob@example.com|bob@example.com> 2026-11-20..2026-11-25",
    "qcloudses-30-1300000007-date-20261128091507-p3mxLKZ8aDr6",
    "carol@example.com last 3 days",
    "dave@example.com 3 days ago",
    "erin@example.com 11-27",
    "help dates",
)


def one_input(data: bytes) -> None:
    """libFuzzer's entry point: the bytes as UTF-8 text (so seeds stay readable) at a moment
    derived from them, then the contract."""
    now = BASE + timedelta(minutes=zlib.crc32(data) % (2 * MINUTES_A_YEAR) - MINUTES_A_YEAR)
    text = data.decode("utf-8", "replace")
    check_invariants(parse(text, now), now)


def seed_corpus(directory: Path) -> Path:
    """Write ``SEEDS`` into ``directory`` (libFuzzer reads and grows a corpus directory)."""
    directory.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(SEEDS):
        (directory / f"seed-{index}").write_text(seed, encoding="utf-8")
    return directory


def main(argv: list[str]) -> None:
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
