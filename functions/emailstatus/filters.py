"""``subject:"…"`` and ``template:<id>`` in slash-command text: what narrows a lookup.

Tencent's status API knows neither an email's subject nor its template; its event callbacks
carry both. So these filters are read here, taken out of the text before ``command`` reads the
address and the dates, and answered from the events (``emailstatus.lookup``). A subject is
matched whole, ignoring case, width and runs of spaces (``events.model.subject_key``): the
same key the per-day subject index is built on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from emailstatus.events.model import Event, subject_key
from emailstatus.events.timeline import subject_of
from emailstatus.i18n import _

#: ``subject:`` or ``template:`` at the start of a word, any case.
_FILTER = re.compile(r"(?<!\S)(subject|template):", re.IGNORECASE)
#: Opening quote → the closing quotes it accepts (phones and Macs type curly quotes).
_QUOTES: Final = {'"': '"', "“": "”", "”": "”", "„": "“”"}
#: Tencent's template IDs are numbers; ten digits is far beyond any issued.
_TEMPLATE_ID = re.compile(r"[0-9]{1,10}")
#: Longest subject accepted (Tencent's subject field is shorter; a paste can be anything).
MAX_SUBJECT_CHARS: Final = 300
#: The subject the examples use (as the help does: an example, kept in English).
EXAMPLE_SUBJECT: Final = "Reset your password"


class FilterError(ValueError):
    """What is wrong with a filter, in words for the person who typed it."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What narrows a lookup; both None: nothing."""

    subject: str | None = None
    template_id: int | None = None

    def __bool__(self) -> bool:
        return self.subject is not None or self.template_id is not None

    def match(self, events: Sequence[Event]) -> bool:
        """Whether one email's events carry this subject (whole, any case) and template."""
        subject, template = subject_of(events)
        if self.subject is not None and subject_key(subject) != subject_key(self.subject):
            return False
        return self.template_id is None or template == self.template_id

    def describe(self) -> str:
        """`` · subject “Reset your password” · template 12345`` (empty without filters)."""
        said = (
            _(" · subject “{subject}”").format(subject=self.subject)
            if self.subject is not None
            else ""
        )
        if self.template_id is not None:
            said += _(" · template {template_id}").format(template_id=self.template_id)
        return said

    def as_text(self) -> str:
        """The filters as typed, read back the same by ``take_filters`` (for buttons)."""
        parts = []
        if self.subject is not None:
            quoted = f'"{self.subject}"' if '"' not in self.subject else f"“{self.subject}”"
            parts.append(f"subject:{quoted}")
        if self.template_id is not None:
            parts.append(f"template:{self.template_id}")
        return " ".join(parts)


def take_filters(text: str) -> tuple[str, Filters]:
    """The text without its filters, and the filters; raises ``FilterError`` on bad input."""
    rest: list[str] = []
    values: dict[str, str] = {}
    position = 0
    while (found := _FILTER.search(text, position)) is not None:
        name = found.group(1).lower()
        if name in values:
            raise FilterError(_("Give {name}: once; I see it twice.").format(name=name))
        rest.append(text[position : found.start()])
        values[name], position = _value(text, found.end(), name)
    rest.append(text[position:])
    subject = values.get("subject")
    template = values.get("template")
    if subject is not None and len(subject) > MAX_SUBJECT_CHARS:
        raise FilterError(
            _("That subject is {count:,} characters; give at most {limit}.").format(
                count=len(subject), limit=MAX_SUBJECT_CHARS
            )
        )
    if template is not None and not _TEMPLATE_ID.fullmatch(template):
        shown = template if len(template) <= 30 else template[:29] + "…"
        raise FilterError(
            _(
                "template: takes Tencent's template ID, a number like template:12345; "
                "“{shown}” is not one."
            ).format(shown=shown)
        )
    filters = Filters(subject, int(template) if template is not None else None)
    return " ".join(part.strip() for part in rest if part.strip()), filters


def _value(text: str, start: int, name: str) -> tuple[str, int]:
    """The value after ``name:`` at ``start`` (quoted, or up to the next space) and where it
    ends."""
    opening = text[start : start + 1]
    if opening in _QUOTES:
        closing = _QUOTES[opening]
        end = next((i for i in range(start + 1, len(text)) if text[i] in closing), -1)
        if end == -1:
            raise FilterError(
                _('The {name} has no closing quote: write it like {name}:"{example}".').format(
                    name=name, example=EXAMPLE_SUBJECT
                )
            )
        value, after = text[start + 1 : end], end + 1
    else:
        word = re.match(r"\S*", text[start:])
        value = word.group() if word else ""
        after = start + len(value)
    value = " ".join(value.split())
    if not value:
        raise FilterError(
            _('{name}: needs a value, like subject:"{subject}" or template:12345.').format(
                name=name, subject=EXAMPLE_SUBJECT
            )
        )
    return value, after


def other_subjects(emails: Mapping[str, Sequence[Event]], limit: int = 3) -> str:
    """What the emails that did not match were about, for a "nothing matched" answer:
    ``“Verify your email address” (template 10002), “Your receipt” (template 10011)``."""
    seen: dict[str, str] = {}
    for events in emails.values():
        subject, template = subject_of(events)
        if subject and subject_key(subject) not in seen:
            about = _(" (template {template_id})").format(template_id=template) if template else ""
            seen[subject_key(subject)] = f"“{subject}”{about}"
    return ", ".join(list(seen.values())[:limit])
