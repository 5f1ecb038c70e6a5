"""The events settings: tokens that are hard to guess, and a per-user SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from emailstatus.config import load_settings
from emailstatus.errors import ConfigError
from tests.events.conftest import PREVIOUS_TOKEN, TOKEN


def test_the_sqlite_file_defaults_to_the_users_data_directory() -> None:
    assert load_settings({"XDG_DATA_HOME": "/data/u1"}).events_db == Path(
        "/data/u1/emailstatus/events.sqlite3"
    )
    assert load_settings({}).events_db == Path.home() / ".local/share/emailstatus/events.sqlite3"
    chosen = load_settings({"EMAILSTATUS_EVENTS_DB": "/tmp/e.sqlite3"})
    assert chosen.events_db == Path("/tmp/e.sqlite3")
    assert chosen.events_retention_days == 400


def test_two_tokens_are_read_current_first_and_never_shown() -> None:
    settings = load_settings(
        {"EMAILSTATUS_EVENTS_TOKEN": TOKEN, "EMAILSTATUS_EVENTS_TOKEN_PREVIOUS": PREVIOUS_TOKEN}
    )
    assert settings.events_tokens == (TOKEN, PREVIOUS_TOKEN)
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize("token", ["short", "has spaces in it 0123456789", "a/b" * 10])
def test_a_guessable_or_unusable_token_is_refused_with_how_to_make_one(token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"EMAILSTATUS_EVENTS_TOKEN": token})
    assert "EMAILSTATUS_EVENTS_TOKEN must be 24 to 128" in caught.value.explanation
    assert "token_urlsafe" in caught.value.next_step
    assert token not in caught.value.explanation
