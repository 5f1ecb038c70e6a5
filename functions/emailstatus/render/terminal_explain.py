"""A reading of pasted reply text for the terminal: ``emailstatus explain`` (text and JSON).

Plain text, no Slack markup; the JSON is the reading's own ``as_dict``, the shape
``explain --batch`` writes too.
"""

from __future__ import annotations

import json

from emailstatus.knowledge.reasons import FINALITY_LABELS, WHO_LABELS
from emailstatus.knowledge.replies import Reading


def render_explain_text(reading: Reading) -> str:
    """The reading, one labelled line each, for a person at a terminal."""
    lines = [
        f"{reading.headline} ({reading.reason})",
        f"Who acts:    {WHO_LABELS[reading.who]}",
        f"Delivery:    {FINALITY_LABELS[reading.final]}",
    ]
    if reading.codes:
        lines.append(f"Codes:       {reading.codes}")
    if reading.provider:
        lines.append(f"Provider:    {reading.provider}")
    lines += [
        f"Why:         {reading.explanation}",
        f"Next step:   {reading.next_step}",
        f"Decided by:  {reading.basis.value}",
    ]
    return "\n".join(lines)


def render_explain_json(reading: Reading) -> str:
    """The reading as one indented JSON object."""
    return json.dumps(reading.as_dict(), indent=2, ensure_ascii=False)
