"""Lookups in Slack modals: the lookup form, the message shortcut's choice of address, the
"looking up" view, and an answer in a modal with *Share in channel*.

Built with ``slack_sdk.models`` like ``render.slack``; every view's blocks go through
``mrkdwn.fit_message`` with Slack's 100-block limit for views, so no data makes Slack refuse one.
What a modal must remember between Slack's requests (where it was opened, the answer to share)
travels in its ``private_metadata`` as a ``ModalOrigin``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Final

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from emailstatus.command import MAX_RANGE_DAYS, Query
from emailstatus.i18n import N_, _
from emailstatus.knowledge.codes import RETENTION
from emailstatus.render.mrkdwn import clip_plain, context, escape, fit_message, section
from emailstatus.render.slack import LOOKING_UP
from emailstatus.render.slack_message import ACTION_SHARE, Message

#: ``callback_id`` of the shortcut's "which one?" modal; its radio buttons' block and action.
VIEW_PICK: Final = "emailstatus_pick"
PICK_BLOCK: Final = "target"
PICK_INPUT: Final = "target"
#: ``callback_id`` of the modals that only show something (no submit).
VIEW_SHOW: Final = "emailstatus_show"
#: The lookup form: its ``callback_id`` and its inputs (each block holds one action, same ID).
VIEW_FORM: Final = "emailstatus_lookup_form"
FORM_TARGET: Final = "target_text"
FORM_FROM: Final = "from_date"
FORM_TO: Final = "to_date"
#: An answer in a modal with *Share in channel*: its ``callback_id`` and the conversation input.
VIEW_ANSWER: Final = "emailstatus_answer"
SHARE_TO: Final = "share_to"
#: Slack's limits: a view's blocks, a modal's title, an option's text and value.
MAX_VIEW_BLOCKS: Final = 100
MAX_TITLE: Final = 24
MAX_OPTION_TEXT: Final = 75
MAX_OPTION_VALUE: Final = 150
#: Radio buttons hold at most 10 options: the shortcut offers the first 10 and counts the rest.
MAX_CHOICES: Final = 10
TITLE: Final = N_("Check email status")
FORM_TITLE: Final = N_("Look up an email")


@dataclass(frozen=True, slots=True)
class ModalOrigin:
    """Where a modal came from: the conversation's response_url and channel (for the channel
    allow-list), and for an answer the packed snapshot *Share in channel* posts (the share
    button's value, see ``render.slack``). Carried in the view's ``private_metadata``."""

    response_url: str = ""
    channel: str | None = None
    share: str = ""

    def encode(self) -> str:
        data = {"u": self.response_url, "c": self.channel, "s": self.share}
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> ModalOrigin | None:
        """The origin, or None when the metadata is not one of ours."""
        try:
            data = json.loads(value)
            url, channel, share = data["u"], data["c"], data.get("s", "")
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(url, str) or not isinstance(share, str):
            return None
        if not (channel is None or isinstance(channel, str)):
            return None
        return cls(url, channel, share)


def lookup_form(origin: ModalOrigin, *, note: str | None = None) -> View:
    """The lookup form: an address or MessageId and, optionally, the days to search."""
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    blocks += [
        InputBlock(
            block_id=FORM_TARGET,
            label=PlainTextObject(text=_("Address or MessageId")),
            element=PlainTextInputElement(
                action_id=FORM_TARGET,
                placeholder=PlainTextObject(text=_("alice@example.com or qcloudses-30-…")),
                max_length=500,
                focus_on_load=True,
            ),
        ),
        InputBlock(
            block_id=FORM_FROM,
            label=PlainTextObject(text=_("From")),
            optional=True,
            element=DatePickerElement(
                action_id=FORM_FROM, placeholder=PlainTextObject(text=_("Yesterday"))
            ),
        ),
        InputBlock(
            block_id=FORM_TO,
            label=PlainTextObject(text=_("To")),
            optional=True,
            element=DatePickerElement(
                action_id=FORM_TO, placeholder=PlainTextObject(text=_("Today"))
            ),
        ),
        context(
            _(
                "Empty dates: today and yesterday. At most {days} days; {retention}. "
                "A MessageId carries its own date."
            ).format(days=MAX_RANGE_DAYS, retention=_(RETENTION))
        ),
    ]
    return _submit_modal(VIEW_FORM, FORM_TITLE, blocks, origin, submit=_("Look up"))


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
        section(
            _("This message mentions *{count}* addresses or MessageIds.").format(count=len(queries))
        ),
        InputBlock(
            block_id=PICK_BLOCK,
            label=PlainTextObject(text=_("Look up")),
            element=RadioButtonsElement(
                action_id=PICK_INPUT, options=options, initial_option=options[0]
            ),
        ),
    ]
    more = len(queries) - len(shown)
    if more:
        blocks.append(
            context(
                _(
                    "{count} more not shown: look them up with `/emailstatus` or pick one of these."
                ).format(count=more)
            )
        )
    blocks.append(context(_("The answer is visible only to you, in the conversation.")))
    return _submit_modal(VIEW_PICK, TITLE, blocks, origin, submit=_("Look up"))


def nothing_found_modal(origin: ModalOrigin) -> View:
    """The message holds no address or MessageId: say so, and offer the lookup form."""
    return lookup_form(
        origin,
        note=":mag: "
        + _(
            "*No email address or MessageId in this message.* I read its text, links, "
            "code, attachments and blocks. Type what to look up:"
        ),
    )


def looking_up_modal(query: Query, external_id: str | None = None, *, title: str = TITLE) -> View:
    """Shown while a lookup runs for a modal; replaced by the answer with ``views.update``."""
    return _show_modal(
        [
            section(
                f"{LOOKING_UP} "
                + _("Looking up *{question}*…").format(question=escape(query.describe(exact=False)))
            )
        ],
        external_id=external_id,
        title=title,
    )


def answer_modal(
    answer: Message, origin: ModalOrigin, *, note: str | None = None, title: str = TITLE
) -> View:
    """An answer in a modal: its blocks without the buttons (they act on a message, not from a
    modal) and, when the answer can be shared, a conversation to share it in. ``title``: the
    modal's own (a title changed by ``views.update`` jumps)."""
    blocks = [
        _without_button(block) for block in answer.blocks if not isinstance(block, ActionsBlock)
    ]
    if note:
        blocks.append(context(note))
    share = share_snapshot(answer)
    if share is None:
        return _show_modal(blocks, external_id=None, title=title)
    blocks.append(
        InputBlock(
            block_id=SHARE_TO,
            label=PlainTextObject(text=_("Share in channel")),
            hint=PlainTextObject(text=_("Posts this answer where everyone there can see it.")),
            element=ConversationSelectElement(
                action_id=SHARE_TO,
                response_url_enabled=True,
                default_to_current_conversation=True,
                placeholder=PlainTextObject(text=_("Pick a conversation")),
            ),
        )
    )
    shared = ModalOrigin(origin.response_url, origin.channel, share)
    return _submit_modal(VIEW_ANSWER, title, blocks, shared, submit=_("Share"), close=_("Done"))


def _without_button(block: Block) -> Block:
    """A section's button (an operator's *Remove from blocklist…*) left out: in a modal it
    would have no message to act on."""
    if isinstance(block, SectionBlock) and isinstance(block.accessory, ButtonElement):
        block = copy.copy(block)
        block.accessory = None
    return block


def share_snapshot(answer: Message) -> str | None:
    """What the answer's *Share in channel* button carries, if it has one."""
    for block in answer.blocks:
        if isinstance(block, ActionsBlock):
            for element in block.elements:
                if isinstance(element, ButtonElement) and element.action_id == ACTION_SHARE:
                    return element.value
    return None


def refusal_modal(refusal: Message) -> View:
    """A refusal (allow-list, rate limit) shown in the modal that asked."""
    return _show_modal(list(refusal.blocks))


def _submit_modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    origin: ModalOrigin,
    *,
    submit: str,
    close: str = N_("Cancel"),
) -> View:
    """A modal with a submit button, its origin carried in ``private_metadata``."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=_(title)),
        submit=PlainTextObject(text=submit),
        close=PlainTextObject(text=_(close)),
        private_metadata=origin.encode(),
        blocks=fit_message(blocks, max_blocks=MAX_VIEW_BLOCKS),
    )


def _show_modal(blocks: list[Block], *, external_id: str | None = None, title: str = TITLE) -> View:
    return View(
        type="modal",
        callback_id=VIEW_SHOW,
        title=PlainTextObject(text=_(title)),
        close=PlainTextObject(text=_("Close")),
        external_id=external_id,
        blocks=fit_message(blocks, max_blocks=MAX_VIEW_BLOCKS),
    )
