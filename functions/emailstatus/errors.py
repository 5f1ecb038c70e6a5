"""The errors emailstatus explains to people instead of showing a traceback.

Each carries a plain explanation, a next step and who must act, so the Slack answer, the CLI
and the logs can all say the same useful thing.
"""

from __future__ import annotations

import logging
import traceback
from enum import StrEnum

log = logging.getLogger(__name__)


class Actor(StrEnum):
    """Who has to do something about a failure."""

    USER = "user"
    OPERATOR = "operator"
    TENCENT = "tencent"


class EmailStatusError(Exception):
    """A failure with a human explanation. ``str(error)`` is the explanation."""

    actor: Actor = Actor.OPERATOR
    #: Detail only whoever runs emailstatus needs (settings, API names): small print.
    operator_note: str = ""

    def __init__(self, explanation: str, *, next_step: str = "", actor: Actor | None = None):
        super().__init__(explanation)
        self.explanation = explanation
        self.next_step = next_step
        if actor is not None:
            self.actor = actor


class ConfigError(EmailStatusError):
    """The deployment is misconfigured: the operator must fix a setting."""

    actor = Actor.OPERATOR


def log_bug(where: str, error: BaseException) -> None:
    """Log an unexpected exception by type and frames (file, line, function) only.

    Neither its message nor the source lines: either may hold an address.
    """
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    )
    log.error(
        "Unexpected %s in %s\n%s", type(error).__name__, where, frames, extra={"where": where}
    )
