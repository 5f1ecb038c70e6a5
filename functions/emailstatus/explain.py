"""Pasted reply text → a reading: ``emailstatus explain``, its ``--batch`` and the Slack command.

Support agents get bounce messages forwarded by customers and want them read. Text is checked
first (``command.explain_problem``: empty, too long, binary), then read by the one reply reader.
``--batch`` reads JSON Lines, ``{"text": "..."}`` (an ``id`` is echoed back), and answers each
line with one JSON object, in order: the reading, or ``{"line": N, "error": "..."}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from emailstatus.command import explain_problem
from emailstatus.knowledge.replies import Reading, read_reply


class ExplainError(ValueError):
    """Text that cannot be read; ``message`` says what is wrong with it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def explain(text: str) -> Reading:
    """Read pasted text; raises ``ExplainError`` saying what is wrong with bad input."""
    problem = explain_problem(text)
    reading = None if problem else read_reply(text)
    if reading is None:
        raise ExplainError(problem or "There is no text to read.")
    return reading


def explain_lines(lines: Iterable[str]) -> Iterator[tuple[dict[str, Any], bool]]:
    """One answer per input line, in order, and whether it is a reading (not an error)."""
    for number, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
        except ValueError:
            yield {"line": number, "error": 'not JSON: expected {"text": "..."}'}, False
            continue
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str):
            yield {"line": number, "error": 'expected an object with a "text" string'}, False
            continue
        echo = {"id": item["id"]} if "id" in item else {}
        try:
            yield {**echo, **explain(text).as_dict()}, True
        except ExplainError as error:
            yield {**echo, "line": number, "error": error.message}, False
