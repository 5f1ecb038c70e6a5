"""Slash-command text → ``Query | Help | UsageError``.

Anyone in the workspace can type anything after ``/emailstatus``, so this module reads it once,
tolerantly, and turns every way it can be wrong into a specific, plain-text message instead of an
exception. It is pure (no I/O, no SDKs) so it can be tested exhaustively. Messages echo user text
unescaped: the renderer escapes them for mrkdwn like any other outside string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from emailstatus.days import BEIJING_TIME, bounds, is_beijing, request_dates, zone_name
from emailstatus.filters import FilterError, Filters, take_filters
from emailstatus.i18n import N_, _, format_day, format_days, is_english, ngettext
from emailstatus.knowledge.codes import RETENTION
from emailstatus.knowledge.records import BEIJING

USAGE = N_(
    'Usage: /emailstatus <recipient address | MessageId | subject:"…"> [template:<id>] '
    "[today | yesterday | YYYY-MM-DD | MM-DD | 3d | 3 days ago | last 3 days | A..B]"
)
BLOCKLIST_WORD = "blocklist"
BLOCKLIST_USAGE = N_("Usage: /emailstatus blocklist <recipient address>")
#: One API call per Beijing date the days overlap (8 for 7 days away from UTC+8): keep a lookup
#: within Slack's patience.
MAX_RANGE_DAYS = 7
MAX_AGE_DAYS = 90  # older is refused unasked: not even the NotSupportDate error's text claims it
#: With subject: or template: the events pick the emails first, so the API is asked only for
#: the days they were sent on: a month at a time, as far back as the events are kept.
MAX_FILTERED_RANGE_DAYS = 31
MAX_FILTERED_AGE_DAYS = 400  # the events' default retention (events.store.DEFAULT_RETENTION)
GUARANTEED_DAYS = 30  # what the docs promise; 31..90 is tried but may be gone (see RETENTION)
MAX_TEXT_CHARS = 500
EXPLAIN_WORD = "explain"
EXPLAIN_USAGE = N_("Usage: /emailstatus explain <the bounce message or the server's reply>")
#: Longest text ``explain`` reads: a bounce's reply lines are far shorter than a whole email.
MAX_EXPLAIN_CHARS = 10_000
ECHO_CHARS = 60

TENCENT_DAYS = BEIJING_TIME  # whose days RequestDate counts (marked for translation there)

HELP_WORDS = frozenset({"help", "-h", "--help", "?", "—help", "–help"})  # dashes: smart punctuation
_EXPECTED = N_("the recipient's email address (like alice@example.com) or an SES MessageId")
_DATE_FORMS = "today, yesterday, 2026-11-28, 11-28, 3d, 3 days ago, last 3 days or A..B"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Slack's own markup arrives as <...>; user-typed < > & arrive escaped as &lt; &gt; &amp;.
_TOKEN = re.compile(r"<[^<>]*>|[^\s<>]+|[<>]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # copy-paste debris
_ALLOWED_CONTROLS = frozenset("\t\n\r")
#: What pasted text must not hold: control characters (but tab and line breaks), surrogates,
#: private-use characters and U+FFFD, which a decoder leaves in place of undecodable bytes.
_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")
_EXPLAIN = re.compile(rf"\s*{EXPLAIN_WORD}(?:\s+(.*)|$)", re.IGNORECASE | re.DOTALL)
#: Slack's markup for links and addresses: ``<mailto:x|label>``, ``<https://x>``.
_SLACK_LINK = re.compile(r"<(?:mailto:)?([^<>|]*)(?:\|([^<>]*))?>")

_MESSAGE_ID = re.compile(
    r"""qcloudses-30-[0-9]+-date-
        (?P<stamp>([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2}))  # UTC+8
        -[A-Za-z0-9_-]+""",
    re.VERBOSE,
)
_LOCAL_PART = re.compile(r"[^\s@<>()\[\]\\,;:\"]{1,64}")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")

# Numbers are capped at five digits: enough for any sensible date, and no overflow to guard.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONTH_DAY = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")
_N_D = re.compile(r"([0-9]{1,5})d")
_N_DAYS = re.compile(r"([0-9]{1,5})days?")
_NUMBER = re.compile(r"[0-9]{1,5}")
_DAY_WORDS = frozenset({"day", "days"})


class TargetKind(StrEnum):
    """What the user asked about: decides which SES filter the lookup uses."""

    ADDRESS = "address"
    MESSAGE_ID = "message_id"
    #: ``subject:"…"`` alone: the emails of those days with that subject (from the events).
    SUBJECT = "subject"


@dataclass(frozen=True)
class Query:
    """A valid lookup: the asker's days, newest first, in the asker's ``zone``.

    ``request_dates`` are the Beijing dates Tencent is asked about (``GetSendEmailStatus``'s
    RequestDate, one call each): those the days overlap, or a MessageId's own; by default the
    dates themselves (Beijing days). ``beyond_guarantee`` is set when a date is older than the 30
    days SES promises, so the answer can explain a refusal. ``today`` is the date relative words
    were read against; it only lets ``describe`` say "today" and takes no part in equality.
    """

    target: str
    kind: TargetKind
    dates: tuple[date, ...]
    beyond_guarantee: bool = False
    today: date | None = field(default=None, compare=False)
    #: ``subject:``/``template:`` (a ``SUBJECT`` query's subject is its target, and here too).
    filters: Filters = field(default_factory=Filters)
    zone: tzinfo = BEIJING
    request_dates: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        if not self.request_dates:
            object.__setattr__(self, "request_dates", self.dates)

    @property
    def window(self) -> tuple[datetime, datetime] | None:
        """When the asked emails were sent: the asker's days, start inclusive, end exclusive;
        None for a MessageId (it names its email) or when the days are Beijing's own."""
        if self.kind is TargetKind.MESSAGE_ID or not self.dates or is_beijing(self.zone):
            return None
        return bounds(self.dates, self.zone)

    def seconds(self) -> tuple[int, int]:
        """The asked days as Unix seconds, start inclusive, end exclusive (events are kept by
        their time, not by Tencent's date)."""
        start, end = bounds(self.dates, self.zone)
        return int(start.timestamp()), int(end.timestamp())

    def holds(self, sent: datetime | None) -> bool:
        """Whether an email sent at ``sent`` belongs to the asked days (an unknown time does:
        it cannot be placed, and hiding it would hide an email)."""
        window = self.window
        if window is None or sent is None:
            return True
        return window[0].timestamp() <= sent.timestamp() < window[1].timestamp()  # absolute

    def describe(self, *, exact: bool = True) -> str:
        """The question in words, for the top of every answer.

        The days are the asker's, said with their zone ("yesterday (3 Dec, America/Los_Angeles)",
        "yesterday (3 Dec, Beijing time)"): Slack shows each time in the reader's own zone, and
        Tencent's dates are Beijing's. Not ``exact`` (an acknowledgement, which cannot wait for
        the asker's zone): the days as they were asked for ("yesterday"), no zone.
        """
        if not self.dates:
            return self.target
        if not exact and self.kind is TargetKind.MESSAGE_ID:
            return self.target
        when = _describe_dates(self.dates, self.today, zone_name(self.zone) if exact else None)
        if self.kind is TargetKind.MESSAGE_ID:
            return _("{message_id}, sent {when}").format(message_id=self.target, when=when)
        if self.kind is TargetKind.SUBJECT:
            template = Filters(template_id=self.filters.template_id).describe()
            return _("emails with the subject “{subject}”{template}, {when}").format(
                subject=self.target, template=template, when=when
            )
        return _("{address}{filters}, {when}").format(
            address=self.target, filters=self.filters.describe(), when=when
        )


@dataclass(frozen=True)
class Help:
    """The user asked for help (or typed nothing); ``topic`` is any word after ``help``."""

    topic: str | None = None


@dataclass(frozen=True)
class UsageError:
    """What is wrong with the text, specifically, plus the usage line to show under it."""

    message: str
    usage: str = USAGE


@dataclass(frozen=True)
class BlocklistQuery:
    """``blocklist <address>``: where one address stands on the blocklists."""

    address: str


def parse_blocklist(text: str) -> BlocklistQuery | UsageError | None:
    """Read ``blocklist <address>``; None when the text does not start with ``blocklist``."""
    text = text.translate(_INVISIBLE).strip()
    tokens: list[str] = _TOKEN.findall(text[: MAX_TEXT_CHARS + 1])
    if not tokens or tokens[0].lower() != BLOCKLIST_WORD:
        return None
    if len(tokens) != 2 or len(text) > MAX_TEXT_CHARS:
        return UsageError(_("Give one recipient address after “blocklist”."), BLOCKLIST_USAGE)
    try:
        target = _read_target(tokens[1])
    except _InputError as problem:
        return UsageError(problem.message, BLOCKLIST_USAGE)
    if target.kind is not TargetKind.ADDRESS:
        return UsageError(
            _("The blocklists hold addresses: give the recipient's address, not a MessageId."),
            BLOCKLIST_USAGE,
        )
    return BlocklistQuery(target.text)


class _InputError(Exception):
    """Internal: unwinds the parser with a user-facing message; never escapes ``parse``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Target:
    text: str
    kind: TargetKind
    sent_at: datetime | None = None  # a MessageId's own send time (Beijing's clock)


@dataclass(frozen=True)
class _Span:
    """The user's "when", resolved to dates but not yet checked against SES's limits."""

    newest: date
    oldest: date
    given: bool = True

    @property
    def days(self) -> int:
        return (self.newest - self.oldest).days + 1

    @property
    def label(self) -> str:
        if self.newest == self.oldest:
            return self.newest.isoformat()
        return f"{self.oldest.isoformat()}..{self.newest.isoformat()}"


@dataclass(frozen=True)
class Explain:
    """``/emailstatus explain <pasted text>``: read a bounce or reply text, no lookup."""

    text: str


def parse_explain(text: str) -> Explain | UsageError | None:
    """``explain <text>`` as typed in Slack; None when the command is not ``explain``.

    Slack's link markup and escapes are undone, so the text reads as it was pasted; text that
    cannot be read (empty, too long, binary) gets what is wrong with it and the explain usage.
    """
    command = _EXPLAIN.match(text)
    if command is None:
        return None
    pasted = _from_slack(command.group(1) or "")
    problem = explain_problem(pasted)
    return UsageError(problem, EXPLAIN_USAGE) if problem else Explain(pasted)


def explain_problem(text: str) -> str | None:
    """What is wrong with pasted reply text, or None when it can be read."""
    if not text.strip():
        return _("There is no text to read: paste the bounce message or the server's reply.")
    if len(text) > MAX_EXPLAIN_CHARS:
        return _(
            "That is {count:,} characters; paste at most {limit:,}: "
            "the server's reply lines (the ones with 550, 5.1.1 and so on), not "
            "the whole email."
        ).format(count=len(text), limit=MAX_EXPLAIN_CHARS)
    binary = _BINARY.search(text)
    if binary:
        return _(
            "That does not look like text: it holds the control character "
            "U+{code:04X}. Paste the server's reply as plain text."
        ).format(code=ord(binary.group()))
    return None


def _from_slack(text: str) -> str:
    """Slack's ``<mailto:a@example.com|a@example.com>`` and ``<https://…>`` back to plain text."""
    return _unescape(_SLACK_LINK.sub(lambda link: link.group(2) or link.group(1), text))


def parse(text: str, now: datetime) -> Query | Help | UsageError:
    """Read slash-command text; never raises on any ``str``.

    ``now`` is an aware datetime in the asker's zone: "today" is ``now.date()``, and every date
    is a day in that zone.
    """
    try:
        return _parse(text, now)
    except _InputError as problem:
        return UsageError(problem.message)


def _parse(text: str, now: datetime) -> Query | Help:
    text = text.translate(_INVISIBLE).strip()
    if len(text) > MAX_TEXT_CHARS:
        raise _InputError(
            _(
                "That is {count:,} characters long; I expect at most {limit}: "
                "an address or MessageId and a date."
            ).format(count=len(text), limit=MAX_TEXT_CHARS)
        )
    control = next((c for c in text if _is_control(c)), None)
    if control is not None:
        raise _InputError(
            _(
                "The text contains an invisible control character (U+{code:04X}); "
                "please type it again."
            ).format(code=ord(control))
        )
    try:
        text, filters = take_filters(text)
    except FilterError as problem:
        raise _InputError(str(problem)) from None
    if filters.subject is not None:
        filters = replace(filters, subject=_unescape(filters.subject))
    tokens: list[str] = _TOKEN.findall(text)
    if not tokens and not filters:
        return Help()
    if tokens and tokens[0].lower() in HELP_WORDS:
        topic = " ".join(tokens[1:]).lower()[:ECHO_CHARS]
        return Help(topic or None)

    targets = [token for token in tokens if _looks_like_target(token)]
    if not targets and filters.subject is not None:
        span = _read_when(tokens, now.date(), max_days=MAX_RANGE_DAYS)
        return _subject_query(filters, span, now)
    if not targets and filters:
        raise _InputError(
            _(
                "template: narrows a lookup: give the recipient's address or a subject "
                "with it, like /emailstatus alice@example.com template:12345."
            )
        )
    if not targets:
        raise _InputError(_missing_target(tokens[0]))
    if len(targets) > 1:
        raise _InputError(
            _("One address or MessageId at a time, please; I see {first} and {second}.").format(
                first=_quote(targets[0]), second=_quote(targets[1])
            )
        )
    at = tokens.index(targets[0])
    target = _read_target(targets[0])
    if target.sent_at is not None and filters:
        raise _InputError(
            _(
                "A MessageId names one email already: leave out subject: and "
                "template:, or give the recipient's address with them."
            )
        )
    max_days = MAX_FILTERED_RANGE_DAYS if filters else MAX_RANGE_DAYS
    span = _read_when([*tokens[:at], *tokens[at + 1 :]], now.date(), max_days=max_days)
    if target.sent_at is None:
        return _address_query(target, span, now, filters)
    return _message_query(target, target.sent_at, span, now)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Cs"} and char not in _ALLOWED_CONTROLS


def _quote(text: str) -> str:
    """User text in curly quotes, cut to ``ECHO_CHARS`` so a paste cannot flood the answer."""
    if len(text) > ECHO_CHARS:
        text = text[: ECHO_CHARS - 1] + "…"
    return f"“{text}”"


def _unescape(text: str) -> str:
    """Undo Slack's escaping of user-typed ``& < >`` (``&amp;`` last, so it is not re-read)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- target -----------------------------------------------------------------------------------


def _looks_like_target(token: str) -> bool:
    is_slack_markup = len(token) > 1 and token[0] == "<" and token[-1] == ">"
    return is_slack_markup or "@" in token or token.lower().startswith("qcloudses")


def _missing_target(first: str) -> str:
    word = _unescape(first).lower()
    if word in {"today", "yesterday", "last"} or word[:1].isdigit():
        return _(
            "Whose email? Start with {expected}, e.g. /emailstatus alice@example.com {word}."
        ).format(expected=_(_EXPECTED), word=word)
    return _("{text} is not an address or a MessageId; I need {expected}.").format(
        text=_quote(_unescape(first)), expected=_(_EXPECTED)
    )


def _read_target(token: str) -> _Target:
    if token.startswith("<"):
        reference = token[1:-1].partition("|")[0]
        if reference.lower().startswith("mailto:"):
            return _Target(
                _read_address(_unescape(reference[len("mailto:") :])), TargetKind.ADDRESS
            )
        raise _InputError(_slack_markup_problem(reference, token))
    token = _unescape(token)
    if token.lower().startswith("qcloudses"):
        return _read_message_id(token)
    return _Target(_read_address(token), TargetKind.ADDRESS)


def _slack_markup_problem(reference: str, token: str) -> str:
    kind = {"@": N_("a Slack user"), "#": N_("a Slack channel"), "!": N_("a Slack mention")}.get(
        reference[:1], N_("a link")
    )
    return _("{token} is {kind}; I need {expected}.").format(
        token=_quote(token), kind=_(kind), expected=_(_EXPECTED)
    )


def _read_address(text: str) -> str:
    """A plausible address with its domain lower-cased; SES matches local parts as typed."""
    if text.startswith("@") and text.count("@") == 1 and "." not in text:
        raise _InputError(
            _("{text} looks like a Slack mention; I need {expected}.").format(
                text=_quote(text), expected=_(_EXPECTED)
            )
        )
    not_address = _("{text} is not an email address I can read").format(text=_quote(text))
    if text.count("@") != 1:
        raise _InputError(
            _("{not_address}: it should have exactly one @.").format(not_address=not_address)
        )
    local, _at, domain = text.partition("@")
    if not local:
        raise _InputError(
            _("{not_address}: there is nothing before the @.").format(not_address=not_address)
        )
    if not _LOCAL_PART.fullmatch(local) or ".." in local or local[0] == "." or local[-1] == ".":
        raise _InputError(
            _("{not_address}: the part before the @ has characters or dots out of place.").format(
                not_address=not_address
            )
        )
    domain = domain.lower()
    labels = domain.split(".")
    if (
        len(labels) < 2
        or len(domain) > 253
        or labels[-1].isdigit()
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
    ):
        raise _InputError(
            _("{not_address}: {domain} is not a domain name like example.com.").format(
                not_address=not_address, domain=_quote(domain)
            )
        )
    return f"{local}@{domain}"


def message_id_time(text: str) -> datetime | None:
    """When a MessageId's email was sent (it carries the time, on Beijing's clock), or None
    if unreadable."""
    try:
        return _read_message_id(text).sent_at
    except _InputError:
        return None


def _read_message_id(text: str) -> _Target:
    match = _MESSAGE_ID.fullmatch(text)
    if match is None:
        raise _InputError(
            _(
                "{text} is not a whole SES MessageId; it should look like "
                "qcloudses-30-<app id>-date-<YYYYMMDDhhmmss>-<code>."
            ).format(text=_quote(text))
        )
    stamp = match["stamp"]
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[1:])
    try:
        sent = datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)
    except ValueError:
        raise _InputError(
            _(
                "The send time inside that MessageId ({stamp}) is not a real date and "
                "time; check it was copied whole."
            ).format(stamp=stamp)
        ) from None
    return _Target(text, TargetKind.MESSAGE_ID, sent)


# --- when -------------------------------------------------------------------------------------


def _read_when(tokens: list[str], today: date, *, max_days: int) -> _Span:
    """Everything except the target: one date form, ``last N days`` (at most ``max_days``) or
    ``A..B``, or nothing."""
    phrase = " ".join(_unescape(token) for token in tokens).lower().replace("…", "..")
    words = phrase.replace("..", " .. ").split()
    if not words:
        return _Span(today, today - timedelta(days=1), given=False)
    if words[0] == "last":
        span, used = _read_last(words, today, max_days)
    elif words[0] == "..":
        raise _InputError(
            _("A range needs a date on both sides of “..”, like {example}.").format(
                example=_example_range(today)
            )
        )
    else:
        first, used = _read_day(words, 0, today)
        if first is None:
            raise _InputError(
                _("{word} is not a date I understand; try {forms}.").format(
                    word=_quote(words[0]), forms=_DATE_FORMS
                )
            )
        span = _Span(first, first)
        if used < len(words) and words[used] == "..":
            second, used = _read_day(words, used + 1, today)
            if second is None:
                raise _InputError(
                    _("A range needs a date on both sides of “..”, like {example}.").format(
                        example=_example_range(today)
                    )
                )
            span = _Span(max(first, second), min(first, second))
    if used < len(words):
        raise _InputError(
            _("I didn't expect {extra} after {said}; give one date or one range.").format(
                extra=_quote(" ".join(words[used:])), said=_quote(" ".join(words[:used]))
            )
        )
    return span


def _read_day(words: list[str], at: int, today: date) -> tuple[date | None, int]:
    """One single-date form starting at ``words[at]``: the date and the index after it.

    ``None`` means "not a date form at all"; a malformed date raises with a specific message.
    """
    if at >= len(words):
        return None, at
    word = words[at]
    after = words[at + 1 : at + 3]
    if word == "today":
        return today, at + 1
    if word == "yesterday":
        return today - timedelta(days=1), at + 1
    if match := _ISO_DATE.fullmatch(word):
        return _real_date(int(match[1]), int(match[2]), int(match[3]), word), at + 1
    if match := _MONTH_DAY.fullmatch(word):
        return _month_day(int(match[1]), int(match[2]), today, word), at + 1
    if match := _N_D.fullmatch(word):
        return _days_back(int(match[1]), today), at + 1
    if match := _N_DAYS.fullmatch(word):  # "3days ago"
        if after[:1] == ["ago"]:
            return _days_back(int(match[1]), today), at + 2
        raise _InputError(_did_you_mean(match[1], word))
    if _NUMBER.fullmatch(word) and after[:1] and after[0] in _DAY_WORDS:
        if after[1:] == ["ago"]:
            return _days_back(int(word), today), at + 3
        raise _InputError(_did_you_mean(word, f"{word} {after[0]}"))
    if any(char.isdigit() for char in word):
        raise _InputError(_("{word} is not a date I can read.").format(word=_quote(word)))
    return None, at


def _read_last(words: list[str], today: date, max_days: int) -> tuple[_Span, int]:
    """``last N days``: today and the N-1 days before it."""
    if len(words) > 1 and (match := _N_D.fullmatch(words[1]) or _N_DAYS.fullmatch(words[1])):
        count, used = int(match[1]), 2
    elif len(words) > 2 and _NUMBER.fullmatch(words[1]) and words[2] in _DAY_WORDS:
        count, used = int(words[1]), 3
    else:
        raise _InputError(
            _("Write “last 3 days” for today and the days before it (at most {max_days}).").format(
                max_days=max_days
            )
        )
    said = _quote(" ".join(words[:used]))
    if count < 1:
        raise _InputError(_("{said} covers no days; try “last 3 days”.").format(said=said))
    if count > max_days:
        raise _InputError(_too_long(max_days, said, count))
    return _Span(today, today - timedelta(days=count - 1)), used


def _real_date(year: int, month: int, day: int, word: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _InputError(_("{word} is not a date I can read.").format(word=_quote(word))) from None


def _month_day(month: int, day: int, today: date, word: str) -> date:
    """``MM-DD`` in this year, or last year when this year's would still be to come."""
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    if month == 2 and day == 29:
        raise _InputError(
            _("There was no 29 Feb in the past year; write the full date, like 2024-02-29.")
        )
    raise _InputError(_("{word} is not a date I can read.").format(word=_quote(word)))


def _days_back(count: int, today: date) -> date:
    return today - timedelta(days=count)


def _did_you_mean(count: str, said: str) -> str:
    return _("{said}: did you mean “{count} days ago” or “last {count} days”?").format(
        said=_quote(said), count=count
    )


def _example_range(today: date) -> str:
    return f"{(today - timedelta(days=2)).isoformat()}..{today.isoformat()}"


# --- checks against what SES can answer -------------------------------------------------------


def _address_query(target: _Target, span: _Span, now: datetime, filters: Filters) -> Query:
    max_age, max_days = (MAX_AGE_DAYS, MAX_RANGE_DAYS)
    if filters:
        max_age, max_days = (MAX_FILTERED_AGE_DAYS, MAX_FILTERED_RANGE_DAYS)
    dates = _dates(span, now.date(), max_age=max_age, max_days=max_days)
    return _dated_query(target.text, target.kind, dates, now, filters)


def _subject_query(filters: Filters, span: _Span, now: datetime) -> Query:
    """``subject:"…"`` alone: that subject's emails, from the events' per-day index."""
    assert filters.subject is not None
    dates = _dates(span, now.date(), max_age=MAX_FILTERED_AGE_DAYS, max_days=MAX_RANGE_DAYS)
    return _dated_query(filters.subject, TargetKind.SUBJECT, dates, now, filters)


def _dated_query(
    target: str, kind: TargetKind, dates: tuple[date, ...], now: datetime, filters: Filters
) -> Query:
    """The asker's ``dates`` with the Beijing dates that hold their emails (none still to
    come); beyond the guarantee when the oldest of those is (retention counts Beijing days)."""
    zone = _asker_zone(now)
    beijing_today = now.astimezone(BEIJING).date()
    asked = request_dates(dates, zone, until=beijing_today)
    old = (beijing_today - asked[-1]).days > GUARANTEED_DAYS
    return Query(target, kind, dates, old, now.date(), filters, zone, asked)


def _asker_zone(now: datetime) -> tzinfo:
    """The zone of ``now``; Beijing's own under one name, whatever it was called."""
    zone = now.tzinfo
    return BEIJING if zone is None or is_beijing(zone) else zone


def _dates(span: _Span, today: date, *, max_age: int, max_days: int) -> tuple[date, ...]:
    """The span's dates, newest first; refused past the limits (counted in the asker's days:
    the extra Beijing date an eastern zone's day reaches into is tried, and Tencent says if it
    is gone)."""
    if span.newest > today:
        raise _InputError(_("{newest} is in the future.").format(newest=span.newest.isoformat()))
    age = (today - span.oldest).days
    if age > max_age:
        raise _InputError(_too_old(span.oldest.isoformat(), age, max_age))
    if span.days > max_days:
        raise _InputError(_too_long(max_days, span.label, span.days))
    return tuple(span.newest - timedelta(days=back) for back in range(span.days))


def _too_long(max_days: int, said: str, days: int) -> str:
    return _("Ranges can cover at most {max_days} days; {said} covers {days}.").format(
        max_days=max_days, said=said, days=days
    )


def _message_query(target: _Target, sent_at: datetime, span: _Span, now: datetime) -> Query:
    """A MessageId carries its own send time; a date the user adds may only confirm it.

    Tencent is asked for the Beijing date in the MessageId; the answer names the asker's day.
    """
    zone = _asker_zone(now)
    sent_on = sent_at.date()  # Beijing's, as Tencent files it
    asker_day = sent_at.astimezone(zone).date()
    if span.given and not span.oldest <= asker_day <= span.newest:
        raise _InputError(
            _(
                "That MessageId was sent on {sent_on}, but you asked for {label}; leave the "
                "date out and I will use the MessageId's own."
            ).format(sent_on=_sent_on(sent_at, zone), label=span.label)
        )
    today = now.astimezone(BEIJING).date()
    if sent_on > today:
        raise _InputError(
            _(
                "That MessageId says it was sent on {sent_on}, which is in the future; "
                "check it was copied whole."
            ).format(sent_on=sent_on.isoformat())
        )
    age = (today - sent_on).days
    if age > MAX_AGE_DAYS:
        raise _InputError(
            _too_old(
                _("that MessageId was sent on {sent_on}, which").format(
                    sent_on=sent_on.isoformat()
                ),
                age,
                MAX_AGE_DAYS,
            )
        )
    return Query(
        target.text,
        target.kind,
        (asker_day,),
        age > GUARANTEED_DAYS,
        now.date(),
        zone=zone,
        request_dates=(sent_on,),
    )


def _sent_on(sent_at: datetime, zone: tzinfo) -> str:
    """A MessageId's send date in the asker's zone, and Beijing's (the one it carries)."""
    beijing = _("{days} ({zone})").format(days=sent_at.date().isoformat(), zone=_(BEIJING_TIME))
    if is_beijing(zone):
        return beijing
    return _("{day} ({zone}; {beijing})").format(
        day=sent_at.astimezone(zone).date().isoformat(), zone=zone_name(zone), beijing=beijing
    )


def _too_old(what: str, age: int, max_age: int) -> str:
    if max_age > MAX_AGE_DAYS:
        why = _("emailstatus keeps Tencent's events for {max_age} days").format(max_age=max_age)
    else:
        why = _("{retention}, so it cannot be looked up").format(retention=_(RETENTION))
    said = _("{what} is {age} days ago: {why}.").format(what=what, age=age, why=why)
    return said[:1].upper() + said[1:]


# --- describe ---------------------------------------------------------------------------------


def _describe_dates(dates: tuple[date, ...], today: date | None, zone: str | None) -> str:
    newest, oldest = dates[0], dates[-1]
    days = _day(newest, today) if newest == oldest else _day_range(oldest, newest, today)
    relative = None
    if today is not None and newest == today:
        relative = {1: _("today"), 2: _("today and yesterday")}.get(len(dates)) or ngettext(
            "the last {count} day", "the last {count} days", len(dates)
        ).format(count=len(dates))
    elif today is not None and len(dates) == 1 and newest == today - timedelta(days=1):
        relative = _("yesterday")
    if zone is None:
        return relative or days
    if relative is None:
        return _("{days} ({zone})").format(days=days, zone=zone)
    return _("{relative} ({days}, {zone})").format(relative=relative, days=days, zone=zone)


def _day(day: date, today: date | None) -> str:
    return format_day(day, with_year=today is None or day.year != today.year)


def _day_range(old: date, new: date, today: date | None) -> str:
    if not is_english():  # CLDR's interval patterns ("11月30日至12月4日")
        years = {old.year, new.year} if today is None else {old.year, new.year, today.year}
        return format_days(old, new, with_year=len(years) > 1 or today is None)
    if old.year != new.year:
        return f"{_day(old, None)} – {_day(new, None)}"
    year = "" if today is not None and new.year == today.year else f" {new.year}"
    if old.month == new.month:
        return f"{old.day}–{new.day} {_MONTHS[new.month - 1]}{year}"
    return f"{old.day} {_MONTHS[old.month - 1]} – {new.day} {_MONTHS[new.month - 1]}{year}"
