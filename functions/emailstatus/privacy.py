"""Masking personal data before it leaves the process in a log line or a digest.

One definition for every place that shows an address it should not show in full.

Example::

    >>> mask_address("alice@example.com")
    'a•••e@example.com'
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

MASK = "•••"
#: An address in any spelling a server reply uses: ``a@b.c``, ``a%40b.c``, ``a@[192.0.2.1]``.
_ANY_ADDRESS = re.compile(r"[\w.+'-]+(?:@|%40)(?:\[[^\]\s]*\]|[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE)
#: Separators inside a local part that a server may turn into a name (alice.smith → Alice Smith).
_NAME_SEPARATORS = re.compile(r"[._+-]+")
#: Shorter name parts are too likely to be ordinary words or codes to mask.
MIN_NAME_PART = 3


def mask_address(address: str) -> str:
    """Keep the first and last letter of the local part and the whole domain."""
    local, at, domain = address.rpartition("@")
    if not at:
        return mask_text(address)
    if len(local) <= 2:
        return f"{local[:1]}{MASK}@{domain}"
    return f"{local[0]}{MASK}{local[-1]}@{domain}"


def mask_text(text: str) -> str:
    """Mask anything that might be an address: keep a short prefix only."""
    if "@" in text:
        return mask_address(text)
    return text if len(text) <= 3 else f"{text[:2]}{MASK}"


def mask_reply(reply: str, address: str) -> str:
    """A receiving server's reply with every trace of the recipient masked.

    Servers repeat the recipient in many spellings: the address itself (also ``%40``-encoded
    or at an IP literal, ``<alice.smith@[192.0.2.1]>``), the bare local part
    (``alice.smith... User unknown``) and a name made of it (``(Alice Smith)``). Every address
    is masked, and so are the recipient's local part and its name-like parts wherever they
    appear, case-insensitively.
    """
    text = _ANY_ADDRESS.sub(lambda match: mask_address(unquote(match.group())), reply)
    local = address.rpartition("@")[0]
    words = {local, *_NAME_SEPARATORS.split(local)}
    words = {word for word in words if len(word) >= MIN_NAME_PART}
    if not words:
        return text
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w•])(?:{alternatives})(?![\w•])", re.IGNORECASE)
    return pattern.sub(lambda match: mask_text(match.group()), text)


#: Libraries that log whole requests at DEBUG: the Tencent SDK (SecretId, X-TC-Token and the
#: body with the recipient) and slack_sdk (every response_url and Web API body).
REQUEST_DUMPERS = ("tencentcloud_sdk_common", "slack_sdk")


def quiet_request_dumpers() -> None:
    """Cap those loggers at INFO, so a DEBUG root logger (Lambda's ApplicationLogLevel=DEBUG)
    can never write a secret or a full address."""
    for name in REQUEST_DUMPERS:
        logging.getLogger(name).setLevel(logging.INFO)
