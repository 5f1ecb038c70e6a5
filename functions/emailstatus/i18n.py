"""The reader's language: every text an agent reads, in English or Simplified Chinese.

Texts are written in English in the code and looked up in gettext catalogs
(``locale/<lang>/LC_MESSAGES/emailstatus.po``, compiled to ``.mo`` by ``make catalogs``):

- ``_("…")`` where a text is said, under the current locale; placeholders are ``{name}``
  filled by ``.format`` after translation, so a translation may move them;
- ``N_("…")`` in module-level tables (codes, reasons, labels): only marked for extraction, the
  text is translated where it is read, with ``_(table[key])``;
- ``ngettext`` where a count changes the words ("1 email", "3 emails").

The locale is a context variable, not a global: the Slack app sets it per request (each request
runs in its own context), the digest per channel, and everything else (the CLI, its JSON) reads
the default, English. docs/i18n.md says how to add a string and how the locale is chosen.
"""

from __future__ import annotations

import contextvars
import gettext
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path
from typing import ParamSpec, TypeVar

ENGLISH = "en"
CHINESE = "zh-CN"
#: The languages answers can be in, as Slack spells them.
LOCALES = (ENGLISH, CHINESE)
DOMAIN = "emailstatus"
LOCALE_DIR = Path(__file__).parent / "locale"

#: Locale tags (lower case, ``_`` read as ``-``) that mean Simplified Chinese. Traditional
#: Chinese (zh-TW, zh-HK, zh-Hant) is not among them: see ``supported``.
_SIMPLIFIED_CHINESE = frozenset({"zh", "zh-cn", "zh-sg", "zh-hans", "zh-hans-cn", "zh-hans-sg"})

_current: ContextVar[str] = ContextVar("emailstatus_locale", default=ENGLISH)
_P = ParamSpec("_P")
_T = TypeVar("_T")


def supported(tag: str | None) -> str | None:
    """The supported locale ``tag`` (Slack's "zh-CN", "en-US", POSIX "zh_CN") asks for, or None
    when it asks for a language we have no catalog for (then the configured default applies).

    Traditional Chinese is None, not Simplified: a reader of zh-TW gets the workspace's default
    language rather than a script they did not choose.
    """
    if not tag:
        return None
    normal = tag.strip().replace("_", "-").lower()
    if normal in _SIMPLIFIED_CHINESE:
        return CHINESE
    if normal == "en" or normal.startswith("en-"):
        return ENGLISH
    return None


def is_english() -> bool:
    return _current.get() == ENGLISH


def activate(locale: str) -> None:
    """Say texts in ``locale`` for the rest of the current context (a Slack request's own)."""
    _current.set(supported(locale) or ENGLISH)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Say texts in ``locale`` inside the block (the digest's channel, a test)."""
    token = _current.set(supported(locale) or ENGLISH)
    try:
        yield
    finally:
        _current.reset(token)


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in a copy of the submitter's context: work a request hands
    to a thread (Bolt's lazy listeners, the blocklist checks) speaks the request's language."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        context = contextvars.copy_context()

        def run() -> _T:
            return context.run(fn, *args, **kwargs)

        return super().submit(run)


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark ``message`` for translation where it is read, not here (module-level tables)."""
    return message


def _(message: str) -> str:
    """``message`` in the current locale."""
    locale = _current.get()
    if locale == ENGLISH or not message:  # gettext("") is the catalog's header
        return message
    return _catalog(locale).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a text for ``count`` in the current locale (Chinese has one form)."""
    locale = _current.get()
    if locale == ENGLISH:
        return singular if count == 1 else plural
    return _catalog(locale).ngettext(singular, plural, count)


@cache
def _catalog(locale: str) -> gettext.GNUTranslations:
    """The compiled catalog; a missing one raises (never a silent fall back to English)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale.replace("-", "_")])


def format_day(day: date, *, with_year: bool = False) -> str:
    """A day as the reader's language writes it: "2 Dec", "12月2日" (CLDR's patterns)."""
    from babel.dates import format_skeleton  # CLDR data: loaded only when a date is said

    return format_skeleton("yMMMd" if with_year else "MMMd", day, locale=_babel_locale())


def format_long_day(day: date) -> str:
    """A day with its weekday and year: "2026年12月3日周四" (CLDR's yMMMEd)."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMEd", day, locale=_babel_locale())


def format_days(first: date, last: date, *, with_year: bool = False) -> str:
    """A span of days as the reader's language writes it: "12月1日至3日"."""
    from babel.dates import format_interval

    skeleton = "yMMMd" if with_year else "MMMd"
    return format_interval(first, last, skeleton, locale=_babel_locale())


def _babel_locale() -> str:
    """CLDR's locale for the current one; English is written day first ("2 Dec"), as before."""
    locale = _current.get()
    return "en_GB" if locale == ENGLISH else locale.replace("-", "_")
