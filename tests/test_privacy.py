"""Masking never lets a full address through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emailstatus.privacy import mask_address, mask_text


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("alice@example.com", "a•••e@example.com"),
        ("al@example.com", "a•••@example.com"),
        ("a@example.com", "a•••@example.com"),
        ("first.last+tag@mail.example.net", "f•••g@mail.example.net"),
    ],
)
def test_mask_address(address: str, masked: str) -> None:
    assert mask_address(address) == masked


@given(local=st.text(min_size=3, max_size=30).filter(lambda s: "@" not in s))
def test_mask_never_keeps_the_local_part(local: str) -> None:
    masked = mask_address(f"{local}@example.com")
    assert f"{local}@example.com" not in masked
    assert masked.endswith("@example.com")


def test_mask_text_without_at() -> None:
    assert mask_text("secretword") == "se•••"
    assert mask_text("ab") == "ab"


@pytest.mark.parametrize(
    ("reply", "masked"),
    [
        (
            "550 5.1.1 alice.smith... User unknown (Alice Smith)",
            "550 5.1.1 al•••... User unknown (Al••• Sm•••)",
        ),
        ("550 <alice%40example.com>: no such user", "550 <a•••e@example.com>: no such user"),
        ("550 <alice.smith@[192.0.2.1]>: rejected", "550 <a•••h@[192.0.2.1]>: rejected"),
        ("452 4.2.2 Mailbox full", "452 4.2.2 Mailbox full"),
    ],
)
def test_a_reply_keeps_no_trace_of_the_recipient(reply: str, masked: str) -> None:
    from emailstatus.privacy import mask_reply

    assert mask_reply(reply, "alice.smith@example.com") == masked
