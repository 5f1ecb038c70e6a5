"""Lookups in Slack modals: the message shortcut's choice of address, "nothing found", the
"looking up" view and an answer shown in a modal where it cannot be posted.

Built with ``slack_sdk.models`` like ``render.slack``; every view's blocks go through
``mrkdwn.fit_message`` with Slack's 100-block limit for views, so no data makes Slack refuse one.
What a modal must remember between Slack's requests (where to answer) travels in its
``private_metadata`` as a ``ModalOrigin``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    InputBlock,
    Option,
    PlainTextObject,
    RadioButtonsElement,
)
from slack_sdk.models.views import View

from emailstatus.command import Query
from emailstatus.render.mrkdwn import clip_plain, context, escape, fit_message, section
from emailstatus.render.slack import LOOKING_UP, Message

#: ``callback_id`` of the shortcut's "which one?" modal; its radio buttons' block and action.
VIEW_PICK: Final = "emailstatus_pick"
PICK_BLOCK: Final = "target"
PICK_INPUT: Final = "target"
#: ``callback_id`` of the modals that only show something (no submit).
VIEW_SHOW: Final = "emailstatus_show"
#: Slack's limits: a view's blocks, a modal's title, an option's text and value.
MAX_VIEW_BLOCKS: Final = 100
MAX_TITLE: Final = 24
MAX_OPTION_TEXT: Final = 75
MAX_OPTION_VALUE: Final = 150
#: Radio buttons hold at most 10 options: the shortcut offers the first 10 and counts the rest.
MAX_CHOICES: Final = 10
TITLE: Final = "Check email status"


@dataclass(frozen=True, slots=True)
class ModalOrigin:
    """Where a modal's lookup answers: the conversation's response_url, and its channel (for
    the channel allow-list). Carried in the view's ``private_metadata``."""

    response_url: str = ""
    channel: str | None = None

    def encode(self) -> str:
        return json.dumps({"u": self.response_url, "c": self.channel}, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> ModalOrigin | None:
        """The origin, or None when the metadata is not one of ours."""
        try:
            data = json.loads(value)
            url, channel = data["u"], data["c"]
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(url, str) or not (channel is None or isinstance(channel, str)):
            return None
        return cls(url, channel)


def pick_modal(queries: tuple[Query, ...], origin: ModalOrigin) -> View:
    """Several addresses or MessageIds in the message: the agent picks which to look up."""
    shown = queries[:MAX_CHOICES]
    options = [
        Option(
            text=PlainTextObject(text=clip_plain(query.target, MAX_OPTION_TEXT), emoji=False),
            value=query.target,
        )
        for query in shown
        if len(query.target) <= MAX_OPTION_VALUE
    ]
    blocks: list[Block] = [
        section(f"This message mentions *{len(queries)}* addresses or MessageIds."),
        InputBlock(
            block_id=PICK_BLOCK,
            label=PlainTextObject(text="Look up"),
            element=RadioButtonsElement(
                action_id=PICK_INPUT, options=options, initial_option=options[0]
            ),
        ),
    ]
    more = len(queries) - len(shown)
    if more:
        blocks.append(
            context(
                f"{more} more not shown: look them up with `/emailstatus` or pick one of these."
            )
        )
    blocks.append(context("The answer is visible only to you, in the conversation."))
    return View(
        type="modal",
        callback_id=VIEW_PICK,
        title=PlainTextObject(text=TITLE),
        submit=PlainTextObject(text="Look up"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=origin.encode(),
        blocks=fit_message(blocks, max_blocks=MAX_VIEW_BLOCKS),
    )


def nothing_found_modal() -> View:
    """The message holds no address or MessageId: say so, and what to do instead."""
    return _show_modal(
        [
            section(
                ":mag: *No email address or MessageId in this message.*\n"
                "I read its text, links, code, attachments and blocks."
            ),
            context(
                "Type the address with `/emailstatus alice@example.com`, or copy the "
                "MessageId (`qcloudses-30-…`) from your sending logs."
            ),
        ]
    )


def looking_up_modal(query: Query, external_id: str | None = None) -> View:
    """Shown while a lookup runs for a modal; replaced by the answer with ``views.update``."""
    return _show_modal(
        [section(f"{LOOKING_UP} Looking up *{escape(query.describe())}*…")],
        external_id=external_id,
    )


def answer_modal(answer: Message, external_id: str | None = None) -> View:
    """An answer in a modal (where it cannot be posted): its blocks without the buttons, which
    act on a message and cannot act from a modal."""
    blocks = [block for block in answer.blocks if not isinstance(block, ActionsBlock)]
    blocks.append(context("Shown here because emailstatus cannot post in that conversation."))
    return _show_modal(blocks, external_id=external_id)


def refusal_modal(refusal: Message) -> View:
    """A refusal (allow-list, rate limit) shown in the modal that asked."""
    return _show_modal(list(refusal.blocks))


def _show_modal(blocks: list[Block], *, external_id: str | None = None) -> View:
    return View(
        type="modal",
        callback_id=VIEW_SHOW,
        title=PlainTextObject(text=TITLE),
        close=PlainTextObject(text="Close"),
        external_id=external_id,
        blocks=fit_message(blocks, max_blocks=MAX_VIEW_BLOCKS),
    )
