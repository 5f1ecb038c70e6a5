"""What every Slack answer is made of: the message envelope, the button ids and values.

Apart from ``render.slack`` (the verdict's answers) so that the other Slack renderers (the
blocklist, the digest, the modals, Home) share these without importing each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block

from emailstatus.render.mrkdwn import clip, fit_message

#: ``action_id`` of each button; the Bolt app listens for these.
ACTION_PREVIOUS_DAY = "emailstatus_previous_day"
ACTION_SHARE = "emailstatus_share"
ACTION_NEXT_PAGE = "emailstatus_more"  # the id older answers' "Show more" buttons carry
ACTION_PREVIOUS_PAGE = "emailstatus_previous_page"
ACTION_CHECK_AGAIN = "emailstatus_check_again"
ACTION_TRY_AGAIN = "emailstatus_try_again"
ACTION_LAST_WEEK = "emailstatus_last_week"
ACTION_OPEN_FORM = "emailstatus_open_form"


#: A top-level ``text`` longer than this helps no notification.
MAX_NOTIFICATION_TEXT = 300


@dataclass(frozen=True)
class Message:
    """A Slack message: notification ``text`` and ``blocks``, already within Block Kit limits."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready payload (``blocks`` validated by ``slack_sdk`` on the way)."""
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}


@dataclass(frozen=True)
class ButtonValue:
    """What a button carries: the command text to look up again, and the page to show.

    The text is re-read by ``command.parse``, so a button can never ask for more than a user
    could type.
    """

    text: str
    page: int = 0

    def encode(self) -> str:
        return json.dumps({"q": self.text, "p": self.page}, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> ButtonValue | None:
        """The value, or None when it is not one of ours (say, from an older version)."""
        try:
            data = json.loads(value)
            text, page = data["q"], data["p"]
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(text, str) or not isinstance(page, int) or page < 0:
            return None
        return cls(text, page)


def message(text: str, blocks: list[Block]) -> Message:
    """The one way to finish a message: shorten the text and fit the blocks to the limits."""
    return Message(clip(text, MAX_NOTIFICATION_TEXT), fit_message(blocks))
