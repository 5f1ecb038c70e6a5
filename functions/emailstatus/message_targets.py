"""The email addresses and Tencent MessageIds in a Slack message, for the message shortcut.

A message that reaches support carries its addresses in many shapes: typed plainly, turned into
``<mailto:a@example.com|a@example.com>`` by Slack, inside a link (``?email=a%40example.com``),
in inline or block code, in a bot's attachments and blocks. So every string of the message
(its text, its blocks, its attachments) is read: Slack's markup and escapes undone, URLs
percent-decoded, then each candidate is checked by ``command.parse`` like anything typed after
``/emailstatus``, so the shortcut never looks up what the command would refuse.

Pure: no I/O, so it is tested on messages as Slack delivers them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final
from urllib.parse import unquote

from emailstatus.command import Query, parse

#: Message keys whose strings are Slack's own identifiers, never content.
_NOT_CONTENT: Final = frozenset(
    {
        "type",
        "ts",
        "thread_ts",
        "user",
        "bot_id",
        "app_id",
        "team",
        "block_id",
        "action_id",
        "client_msg_id",
        "image_url",
        "thumb_url",
        "icon_url",
        "style",
    }
)
#: A candidate address: the widest local part ``command`` accepts, then a dotted domain.
_ADDRESS: Final = re.compile(
    r"[^\s@<>()\[\]\\,;:\"'|`*/?=&]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
_MESSAGE_ID: Final = re.compile(r"qcloudses-30-[0-9]+-date-[0-9]{14}-[A-Za-z0-9_-]+")
#: Slack's markup around links and addresses: ``<mailto:x|label>``, ``<https://x|label>``.
_SLACK_LINK: Final = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
#: The most strings read from one message: a message is at most ~40 KB of text in Slack.
MAX_STRINGS: Final = 2000


def find_queries(message: dict[str, Any], now: datetime) -> tuple[Query, ...]:
    """Every address and MessageId in ``message`` (a Slack message object), first seen first,
    each once, as lookups of the command's default days (``now`` in the configured zone)."""
    seen: set[str] = set()
    queries: list[Query] = []
    for text in _strings(message):
        for candidate in _candidates(text):
            key = candidate.lower()
            if key in seen:
                continue
            seen.add(key)
            parsed = parse(candidate, now)
            if isinstance(parsed, Query):
                queries.append(parsed)
    return tuple(queries)


def _strings(message: dict[str, Any]) -> Iterator[str]:
    """The message's content strings: text, blocks (rich text, sections, links), attachments."""
    stack: list[Any] = [message.get(key) for key in ("attachments", "blocks", "text")]
    count = 0
    while stack and count < MAX_STRINGS:
        item = stack.pop()
        if isinstance(item, str):
            count += 1
            yield item
        elif isinstance(item, dict):
            stack.extend(value for key, value in item.items() if key not in _NOT_CONTENT)
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _candidates(text: str) -> Iterator[str]:
    """Addresses and MessageIds in one string, in order, with Slack's markup undone."""
    plain = _SLACK_LINK.sub(lambda link: f" {link.group(1)} {link.group(2) or ''} ", text)
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    plain = unquote(plain.replace("mailto:", " "))
    found = [(match.start(), match.group()) for match in _MESSAGE_ID.finditer(plain)]
    found += [(match.start(), match.group().rstrip(".-")) for match in _ADDRESS.finditer(plain)]
    for _, candidate in sorted(found):
        yield candidate
