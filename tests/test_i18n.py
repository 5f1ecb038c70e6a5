"""The translations: every text the code marks has one, with the same placeholders; the locale
a Slack language asks for; days written as the reader's language writes them.

The catalog is checked against the code itself (Babel's own extraction, as ``make messages``
runs it), so a text added without ``make messages`` and a translation fails here, not in Slack.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from emailstatus import i18n
from emailstatus.command import Query, parse
from emailstatus.config import load_settings
from emailstatus.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
CATALOG = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def code_messages() -> dict[str | tuple[str, ...], Message]:
    """Every text the product's code marks (``_``, ``N_``, ``ngettext``), as Babel extracts it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    catalog = Catalog()
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        catalog.add(message, None, [(filename, 0)])
    return {_key(message.id): message for message in catalog if message.id}


def _key(message_id: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return tuple(message_id) if isinstance(message_id, list) else message_id


@pytest.fixture(scope="module")
def chinese() -> Catalog:
    with CATALOG.open("rb") as po:
        return read_po(po, locale="zh_CN")


def fields(text: str) -> set[tuple[str, str]]:
    """The ``{name:spec}`` placeholders of a brace-format text."""
    return {
        (name, spec or "")
        for _literal, name, spec, _conversion in string.Formatter().parse(text)
        if name is not None
    }


def forms(texts: str | tuple[str, ...] | list[str] | None) -> Iterator[str]:
    """A message's source texts or translations, one by one (plurals have several)."""
    if texts is not None:
        yield from ((texts,) if isinstance(texts, str) else texts)


def test_every_marked_text_has_a_chinese_translation(chinese: Catalog) -> None:
    in_code = code_messages()
    assert len(in_code) > 300  # the extraction read the product at all
    untranslated = [
        message_id
        for message_id in in_code
        if (found := chinese.get(message_id)) is None
        or found.fuzzy
        or not all(text.strip() for text in forms(found.string))
    ]
    assert untranslated == [], "run `make messages` and translate these (docs/i18n.md)"
    stale = [message.id for message in chinese if message.id and message.id not in in_code]
    assert stale == [], "no longer in the code: run `make messages`"


def test_every_translation_keeps_the_placeholders(chinese: Catalog) -> None:
    """A translation may move a placeholder, never drop, add or rename one (``.format`` would
    raise, or say the wrong thing)."""
    wrong = []
    for message in chinese:
        if not message.id:
            continue
        wanted = set().union(*(fields(text) for text in forms(message.id)))
        for said in forms(message.string):
            if fields(said) != wanted:
                wrong.append((message.id, said))
    assert wrong == []
    # and Babel's own checks (python-format texts, plural forms)
    assert [(message.id, errors) for message, errors in chinese.check()] == []


def test_a_placeholder_mismatch_is_caught() -> None:
    """The check above can fail: a translation that renames a field is reported."""
    assert fields("还有 {count} 个") != fields("{count} more {what}")
    assert fields("{count:,} 封") != fields("{count} emails")


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("zh-CN", "zh-CN"),
        ("zh_CN", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("zh-SG", "zh-CN"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("en", "en"),
        ("zh-TW", None),  # Traditional Chinese: the workspace's default, not another script
        ("zh-HK", None),
        ("ja-JP", None),
        ("", None),
        (None, None),
    ],
)
def test_slack_locales_map_to_the_nearest_supported(tag: str | None, locale: str | None) -> None:
    assert i18n.supported(tag) == locale


def test_the_setting_names_a_supported_language() -> None:
    assert load_settings({"EMAILSTATUS_LOCALE": "zh-CN"}).locale == "zh-CN"
    assert load_settings({"EMAILSTATUS_DIGEST_LOCALE": "zh_cn"}).digest_locale == "zh-CN"
    assert load_settings({}).locale == "en"
    with pytest.raises(ConfigError, match="EMAILSTATUS_LOCALE"):
        load_settings({"EMAILSTATUS_LOCALE": "ja-JP"})


def test_the_locale_is_per_context_and_english_by_default() -> None:
    assert i18n._("Delivered") == "Delivered"
    with i18n.use_locale("zh-CN"):
        assert i18n._("Delivered") == "已送达"
        assert i18n.ngettext("{count} day", "{count} days", 3).format(count=3) == "3 天"
    assert i18n._("Delivered") == "Delivered"


NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def described(text: str, now: datetime = NOW) -> str:
    query = parse(text, now)
    assert isinstance(query, Query)
    return query.describe()


def test_days_are_written_as_the_reader_writes_them() -> None:
    """CLDR's patterns through Babel: the Chinese reader gets 12月3日, the English one 3 Dec."""
    assert described("alice@example.com yesterday") == (
        "alice@example.com, yesterday (3 Dec, Beijing time)"
    )
    with i18n.use_locale("zh-CN"):
        assert described("alice@example.com yesterday") == (
            "alice@example.com，昨天（12月3日，北京时间）"
        )
        assert described("alice@example.com last 5 days") == (
            "alice@example.com，最近 5 天（11月30日至12月4日，北京时间）"
        )
        new_year = datetime(2026, 1, 3, tzinfo=ZoneInfo("Asia/Shanghai"))
        assert described("alice@example.com 2025-12-30..2026-01-02", new_year) == (
            # CLDR puts thin spaces around the dash
            "alice@example.com，2025年12月30日\u2009–\u20092026年1月2日（北京时间）"
        )
        assert i18n.format_day(date(2026, 12, 2)) == "12月2日"
