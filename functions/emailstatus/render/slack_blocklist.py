"""Blocklists in Slack: the line in every answer, ``/emailstatus blocklist``, the removal modal
and the message a removal leaves behind. Built with ``slack_sdk.models`` like ``render.slack``.

The wording is ``render.blocklist``'s, shared with the terminal; times are Slack date tokens
(each reader's own zone), the receiving server's reply is ``literal`` text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from emailstatus.command import BLOCKLIST_USAGE
from emailstatus.errors import EmailStatusError
from emailstatus.i18n import _
from emailstatus.render.blocklist import (
    LISTED_STEP,
    failed_line,
    list_names,
    removed_line,
    wording,
)
from emailstatus.render.mrkdwn import (
    clip_plain,
    context,
    date_token,
    escape,
    literal,
    mrkdwn,
    section,
)
from emailstatus.render.slack_message import ACTION_CHECK_AGAIN, ButtonValue, Message, message
from emailstatus.results import LIST_NAMES, BlocklistStatus, Removal

ACTION_REMOVE = "emailstatus_blocklist_remove"
VIEW_REMOVE = "emailstatus_blocklist_remove"
REASON_BLOCK = "reason"
REASON_INPUT = "reason"
MAX_REASON_CHARS = 500
#: Slack's limits on a modal's title and private_metadata.
MAX_VIEW_TITLE = 24
MAX_METADATA = 3000


@dataclass(frozen=True, slots=True)
class RemovalRequest:
    """What the *Remove from blocklist…* button and then the modal carry: the address, the
    lookup to offer again, and the response_url of the answer to update in place."""

    address: str
    query_text: str
    response_url: str = ""
    #: The lists that held it when the answer was drawn (the modal names them).
    lists: tuple[str, ...] = ()

    def encode(self) -> str:
        data = {"a": self.address, "q": self.query_text, "u": self.response_url, "l": self.lists}
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> RemovalRequest | None:
        """The request, or None when the value is not one of ours."""
        try:
            data = json.loads(value)
            address, query_text, url = data["a"], data["q"], data.get("u", "")
            lists = tuple(name for name in data.get("l", ()) if name in LIST_NAMES)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if not all(isinstance(item, str) for item in (address, query_text, url)):
            return None
        return cls(address, query_text, url, lists)


def blocklist_blocks(
    check: BlocklistStatus | EmailStatusError,
    *,
    remove: RemovalRequest | None = None,
    shown_reply: str | None = None,
) -> list[Block]:
    """The answer's blocklist line: where the address stands, or that it could not be
    checked; with ``remove``, an operator's *Remove from blocklist…* button beside it.
    ``shown_reply``: a reply the answer already shows, not repeated."""
    if isinstance(check, EmailStatusError):
        return [context(f":grey_question: {escape(failed_line(check))}")]
    said = wording(check, _since, escape)
    text = f"{':no_entry:' if said.listed else ':white_check_mark:'} *{said.line}*"
    accessory = None
    if remove is not None and said.listed:
        accessory = ButtonElement(
            text=PlainTextObject(text=_("Remove from blocklist…")),
            action_id=ACTION_REMOVE,
            value=remove.encode(),
        )
    small: list[str | PlainTextObject] = []
    if said.reply and said.reply != shown_reply:
        reply = clip_plain(said.reply, 300)
        small.append(literal(_("Reply that listed it: “{reply}”").format(reply=reply)))
    small.extend(escape(note) for note in said.notes)
    return [SectionBlock(text=mrkdwn(text), accessory=accessory), context(*small)]


def _since(moment: datetime) -> str:
    """ "Dec 3 5:20 PM" in the reader's zone: mid-sentence, so no capitalised "Yesterday"."""
    return date_token(moment, pattern="{date_short} {time}")


def blocklist_message(
    address: str,
    check: BlocklistStatus | EmailStatusError,
    *,
    remove: RemovalRequest | None = None,
) -> Message:
    """The answer to ``/emailstatus blocklist <address>``."""
    blocks: list[Block] = [section(f"*{escape(address)}*")]
    blocks.extend(blocklist_blocks(check, remove=remove))
    if isinstance(check, BlocklistStatus) and check.listed_on:
        blocks.insert(2, section(_("*Next step:* {step}").format(step=escape(_(LISTED_STEP)))))
    if isinstance(check, EmailStatusError):
        summary = failed_line(check)
    else:
        summary = wording(check, lambda moment: moment.date().isoformat()).line
    return message(escape(f"{address}: {summary}"), blocks)


def removal_modal(address: str, lists: tuple[str, ...], metadata: RemovalRequest) -> View:
    """The confirmation: what will happen, on which list, and a required reason."""
    names = list_names(lists) or _("a blocklist")
    return View(
        type="modal",
        callback_id=VIEW_REMOVE,
        title=PlainTextObject(text=_("Remove from blocklist")),
        submit=PlainTextObject(text=_("Remove")),
        close=PlainTextObject(text=_("Cancel")),
        private_metadata=metadata.encode(),
        blocks=[
            section(
                _(
                    "Tencent will send to *{address}* again. Only do this when the customer "
                    "has confirmed the address works."
                ).format(address=escape(address))
            ),
            context(
                _("It is on {lists}. The removal is logged with your name and reason.").format(
                    lists=escape(names)
                )
            ),
            InputBlock(
                block_id=REASON_BLOCK,
                label=PlainTextObject(text=_("Reason")),
                element=PlainTextInputElement(
                    action_id=REASON_INPUT,
                    multiline=True,
                    max_length=MAX_REASON_CHARS,
                    placeholder=PlainTextObject(
                        text=_("e.g. The customer confirmed the mailbox works again (ticket 4521)")
                    ),
                ),
            ),
        ],
    )


def removed_message(
    removal: Removal, user_id: str, at: datetime, reason: str, query_text: str
) -> Message:
    """What replaces the answer once removed: who, when, why; a button to look again."""
    line = removed_line(removal, f"<@{user_id}>", date_token(at, "%H:%M UTC", "{time}"))
    blocks: list[Block] = [
        section(f":white_check_mark: *{escape(removal.address)}*: {line}"),
        context(
            literal(_("Reason: {reason}").format(reason=clip_plain(reason, MAX_REASON_CHARS))),
            escape(f"RequestId {', '.join(removal.request_ids)}"),
        ),
        SectionBlock(
            text=mrkdwn(_("Tencent sends to it again from now on.")),
            accessory=ButtonElement(
                text=PlainTextObject(text=_("Look up again")),
                action_id=ACTION_CHECK_AGAIN,
                value=ButtonValue(query_text).encode(),
            ),
        ),
    ]
    said = _("{address}: removed from {lists}").format(
        address=removal.address, lists=list_names(removal.lists)
    )
    return message(escape(said), blocks)


def removal_refused_message(text: str) -> Message:
    """Why nothing was removed (not an operator, no operator key, not listed)."""
    said = f":warning: {escape(text)}"
    return message(said, [section(said), context(f"`{escape(_(BLOCKLIST_USAGE))}`")])
