"""Masking personal data before it leaves the process in a log line or a digest.

One definition for every place that shows an address it should not show in full.

Example::

    >>> mask_address("alice@example.com")
    'a•••e@example.com'
"""

from __future__ import annotations

import logging

MASK = "•••"


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


#: Libraries that log whole requests at DEBUG: the Tencent SDK (SecretId, X-TC-Token and the
#: body with the recipient) and slack_sdk (every response_url and Web API body).
REQUEST_DUMPERS = ("tencentcloud_sdk_common", "slack_sdk")


def quiet_request_dumpers() -> None:
    """Cap those loggers at INFO, so a DEBUG root logger (Lambda's ApplicationLogLevel=DEBUG)
    can never write a secret or a full address."""
    for name in REQUEST_DUMPERS:
        logging.getLogger(name).setLevel(logging.INFO)
