"""Is this a message Slack would show? Block Kit read back through slack_sdk's own models.

One check for the tests (``assert_valid_message``) and for the fake Slack, which refuses what
Slack refuses (``invalid_blocks``) on ``chat.postMessage`` and on a ``response_url``.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    SectionBlock,
)

#: Slack's limit on blocks in one message (docs.slack.dev, "Blocks").
MAX_MESSAGE_BLOCKS = 50
#: Slack's limit on one section field's text (slack_sdk's SectionBlock does not state it).
SECTION_FIELD_MAX = 2000


def blocks_problem(raw: object) -> str | None:
    """Why Slack would refuse ``raw`` as a message's ``blocks``, or None.

    slack_sdk's models validate each block (their limits are Slack's documented ones); a block
    they cannot read back unchanged has fields Slack does not know.
    """
    if not isinstance(raw, list):
        return "blocks must be a list"
    if len(raw) > MAX_MESSAGE_BLOCKS:
        return f"no more than {MAX_MESSAGE_BLOCKS} blocks in a message"
    try:
        blocks = Block.parse_all(raw)
        for parsed, original in zip(blocks, raw, strict=True):
            parsed.validate_json()
            if parsed.to_dict() != original:
                return f"a block slack_sdk does not read back unchanged: {original}"
    except (SlackObjectFormationError, ValueError, TypeError, AttributeError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def assert_valid_message(payload: dict[str, Any]) -> list[Block]:
    """Parse ``payload['blocks']`` back with slack_sdk and check Block Kit's limits; the blocks.

    Stricter than Slack: a message must also carry fallback ``text`` (notifications and screen
    readers show it). The limits are slack_sdk's model attributes (Slack's documented ones),
    asserted one by one so a failure names the one broken.
    """
    assert isinstance(payload.get("text"), str) and payload["text"].strip(), payload
    raw = payload.get("blocks", [])
    blocks = Block.parse_all(raw)
    assert len(blocks) == len(raw) <= MAX_MESSAGE_BLOCKS
    for parsed, original in zip(blocks, raw, strict=True):
        assert parsed.to_dict() == original  # validates, and nothing was lost or unknown
        if isinstance(parsed, HeaderBlock):
            assert parsed.text is not None and len(parsed.text.text) <= HeaderBlock.text_max_length
        elif isinstance(parsed, SectionBlock):
            assert parsed.text is None or len(parsed.text.text) <= SectionBlock.text_max_length
            assert len(parsed.fields or []) <= SectionBlock.fields_max_length
            assert all(len(f.text) <= SECTION_FIELD_MAX for f in parsed.fields or [])
        elif isinstance(parsed, ContextBlock):
            assert 1 <= len(parsed.elements) <= ContextBlock.elements_max_length
        elif isinstance(parsed, ActionsBlock):
            for element in parsed.elements:
                assert isinstance(element, ButtonElement)
                assert (
                    element.text is not None
                    and len(element.text.text) <= ButtonElement.text_max_length
                )
                assert len(element.value or "") <= ButtonElement.value_max_length
    return blocks


def all_text(payload: dict[str, Any]) -> str:
    """Every string in a payload, for "does it say / does it never say" checks."""
    return json.dumps(payload, ensure_ascii=False)
