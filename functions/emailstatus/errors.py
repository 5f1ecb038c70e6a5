"""The errors emailstatus explains to people instead of showing a traceback.

Each carries a plain explanation, a next step and who must act, so the Slack answer, the CLI
and the logs can all say the same useful thing.
"""

from __future__ import annotations

from enum import StrEnum


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
