"""Slack text that is safe to show and a message that Slack will accept.

Shared by every Slack renderer (the slash-command answer and the daily digest):

- ``escape(text)`` for every string that came from outside (a DeliverMessage, an address, what
  the user typed), so it can never ping ``<!channel>``, mention a user or forge a link;
- ``clip(text, limit)`` to shorten mrkdwn with "…" without cutting an entity or a ``<…>`` token;
- ``date_token(moment)`` so each reader sees a time in their own time zone;
- ``mrkdwn(text)``, ``section(text)``, ``context(*texts)`` build text with Slack's auto-linking
  off, so only markup we wrote ourselves is live;
- ``fit_message(blocks)`` as the last step of building a message: whatever the data, the result
  is within Block Kit's limits, shortened rather than rejected.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
    TextObject,
)

ELLIPSIS = "…"

# Block Kit's limits, read from slack_sdk's own models where they state them (one home: the
# library that validates the payloads); the rest are Slack's documented limits that the models
# do not carry (blocks per message, a field's and a context element's text).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = SectionBlock.text_max_length
MAX_FIELDS = SectionBlock.fields_max_length
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = HeaderBlock.text_max_length
MAX_CONTEXT_ELEMENTS = ContextBlock.elements_max_length
MAX_CONTEXT_TEXT = 3000
MAX_ACTION_ELEMENTS = ActionsBlock.elements_max_length
MAX_BUTTON_TEXT = ButtonElement.text_max_length
MAX_BUTTON_VALUE = ButtonElement.value_max_length

_ENTITIES = ("&amp;", "&lt;", "&gt;")
_Text = TypeVar("_Text", bound=TextObject)


def escape(text: str) -> str:
    """Make outside text inert in mrkdwn: ``&`` first, then ``<`` and ``>``; nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut.

    Never leaves half an entity (``&am``) or half a Slack token (``<!date^…``) behind: the cut
    moves back to before it, so clipped mrkdwn still renders as intended.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    cut = limit - len(ELLIPSIS)
    head = text[:cut]
    opened = head.rfind("<")
    if opened > head.rfind(">"):
        cut = opened
    amp = text.rfind("&", 0, cut)
    if amp != -1 and any(
        text.startswith(entity, amp) and amp + len(entity) > cut for entity in _ENTITIES
    ):
        cut = amp
    return text[:cut] + ELLIPSIS


def date_token(
    moment: datetime,
    fallback_format: str = "%Y-%m-%d %H:%M UTC",
    pattern: str = "{date_short_pretty} {time}",
) -> str:
    """A Slack date token: the reader's own zone in the client, UTC where it cannot render."""
    fallback = moment.astimezone(UTC).strftime(fallback_format)
    return f"<!date^{int(moment.timestamp())}^{pattern}|{fallback}>"


def mrkdwn(text: str) -> MarkdownTextObject:
    """mrkdwn with Slack's auto-linking off: only markup we wrote ourselves is live."""
    return MarkdownTextObject(text=text, verbatim=True)


def labelled(label: str, value: str) -> str:
    """A section field's mrkdwn: the label in bold over its (already escaped) value."""
    return f"*{label}*\n{value}"


def section(text: str) -> SectionBlock:
    """A section of our own (already escaped) mrkdwn."""
    return SectionBlock(text=mrkdwn(text))


def context(*texts: str | PlainTextObject) -> ContextBlock:
    """A quiet context line of our own (already escaped) mrkdwn pieces, or ``literal`` ones."""
    return ContextBlock(
        elements=[text if isinstance(text, PlainTextObject) else mrkdwn(text) for text in texts]
    )


def literal(text: str) -> PlainTextObject:
    """Outside text shown exactly as written: plain_text formats nothing, so a server reply's
    ``*``, ``_``, ``~`` and backticks stay literal (mrkdwn has no escape for them). ``&``, ``<``
    and ``>`` are still escaped, as Slack expects in every text field."""
    return PlainTextObject(text=escape(text), emoji=False)


def fit_message(blocks: Sequence[Block], *, max_blocks: int = MAX_BLOCKS) -> list[Block]:
    """A copy of ``blocks`` that Slack accepts: every text, field, element and count clipped.

    Blocks beyond ``max_blocks`` are replaced by a context line saying how many were left out.
    The inputs are not modified.
    """
    fitted = [_fit_block(block) for block in blocks]
    if len(fitted) <= max_blocks:
        return fitted
    kept = fitted[: max_blocks - 1]
    left_out = len(fitted) - len(kept)
    note = ContextBlock(elements=[MarkdownTextObject(text=f"{ELLIPSIS} {left_out} more not shown")])
    return [*kept, note]


def _fit_block(block: Block) -> Block:
    block = copy.copy(block)
    if isinstance(block, HeaderBlock) and block.text is not None:
        block.text = _fit_text(block.text, MAX_HEADER_TEXT)
    elif isinstance(block, SectionBlock):
        if block.text is not None:
            block.text = _fit_text(block.text, MAX_SECTION_TEXT)
        if block.fields:
            block.fields = [_fit_text(field, MAX_FIELD_TEXT) for field in block.fields[:MAX_FIELDS]]
    elif isinstance(block, ContextBlock):
        block.elements = [
            _fit_text(element, MAX_CONTEXT_TEXT) if isinstance(element, TextObject) else element
            for element in block.elements[:MAX_CONTEXT_ELEMENTS]
        ]
    elif isinstance(block, ActionsBlock):
        # A button whose value had to be cut would act on the wrong thing: leave it out.
        block.elements = [
            _fit_button(element) if isinstance(element, ButtonElement) else element
            for element in block.elements
            if not isinstance(element, ButtonElement)
            or len(element.value or "") <= MAX_BUTTON_VALUE
        ][:MAX_ACTION_ELEMENTS]
    return block


def _fit_text(text: _Text, limit: int) -> _Text:
    if len(text.text) <= limit:
        return text
    fitted = copy.copy(text)
    if isinstance(text, MarkdownTextObject):
        fitted.text = clip(text.text, limit)
    else:
        fitted.text = clip_plain(text.text, limit)
    return fitted


def _fit_button(button: ButtonElement) -> ButtonElement:
    text = button.text
    if text is None or len(text.text) <= MAX_BUTTON_TEXT:
        return button
    button = copy.copy(button)
    button.text = _fit_text(text, MAX_BUTTON_TEXT)
    return button


def clip_plain(text: str, limit: int) -> str:
    """Plain text has no markup to protect: cut and mark the cut."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS
