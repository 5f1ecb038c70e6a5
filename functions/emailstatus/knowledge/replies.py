"""Read a receiving server's SMTP reply: why it bounced or waited, who must act, what to do.

The one reader of replies, used by lookups, the digest and ``emailstatus explain``. A reply is
free text from a stranger's mail server, so only its first ``MAX_READ`` characters are read, as
plain substrings (see ``reply_rules``). The precedence, pinned by the tests:

1. **Stage and direction**: a refusal of MAIL FROM, or one about the sender's address (X.1.7,
   X.1.8, "sender address rejected"), is about our sender, never the recipient's mailbox; a
   refusal at connection time is about our sending host.
2. **Provider rules**: replies a provider documents (Gmail, Microsoft, Yahoo, iCloud, QQ,
   NetEase, Aliyun …).
3. **Wording** any server uses, most specific first.
4. **The enhanced status code** (RFC 3463): exact, then its subject digit.
5. **The reply class**: 4xx is temporary, 5xx permanent; the reason then stays ``undefined``
   and the reading says so, quoting the reply, instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from emailstatus.i18n import N_, _
from emailstatus.knowledge.reasons import REASONS, Reason, Who, reason_headline, reason_text
from emailstatus.knowledge.reply_rules import (
    BY_STATUS_CODE,
    BY_SUBJECT,
    PROVIDER_RULES,
    PROVIDERS,
    RECIPIENT_REASONS,
    SENDER_CODES,
    SENDER_SIDE,
    STAGES,
    TENCENT_RULES,
    WORDING_RULES,
    Phrase,
    Rule,
    Stage,
)

#: Only this much of a reply is read: real SMTP replies are far shorter.
MAX_READ = 4096
#: Characters of the reply quoted when it is not recognised.
QUOTE_CHARS = 300
#: The reason when nothing in the reply says why.
UNDEFINED = "undefined"

#: Whether a reply of this class ends delivery (2xx: accepted; 4xx: tried again; 5xx: refused).
_CLASS_FINAL = {"2": True, "4": False, "5": True}


class Basis(StrEnum):
    """What decided the reason: the further down, the vaguer the reading."""

    TENCENT = N_("Tencent's own words")
    STAGE = N_("stage")
    PROVIDER = N_("provider rule")
    WORDING = N_("wording")
    STATUS_CODE = N_("enhanced code")
    SUBJECT = N_("enhanced code subject")
    REPLY_CLASS = N_("reply class")
    NONE = N_("none")


#: Readings that the stage or direction overrides: nothing but a code or class said why.
_VAGUE = frozenset({Basis.STATUS_CODE, Basis.SUBJECT, Basis.REPLY_CLASS, Basis.NONE})


@dataclass(frozen=True, slots=True)
class Reading:
    """What one reply says, in plain words.

    ``final`` is whether this reply ends delivery: from the reason, else the reply class; in a
    lookup, from DeliverStatus (``read_reply(..., final=...)``), which wins. None: cannot tell.
    """

    reason: str
    who: Who
    final: bool | None
    provider: str | None
    status_code: str | None
    reply_code: int | None
    basis: Basis
    label: str
    explanation: str
    next_step: str
    stage: Stage | None = None

    @property
    def headline(self) -> str:
        """The label as a sentence start: "The mailbox does not exist"."""
        return reason_headline(self.reason)

    @property
    def codes(self) -> str:
        """The reply code and enhanced code as the server gave them: "550 5.1.1"."""
        return " ".join(str(code) for code in (self.reply_code, self.status_code) if code)

    @property
    def recognised(self) -> bool:
        """Whether the reply says why (worth showing as the reason)."""
        return self.reason != UNDEFINED

    def as_dict(self) -> dict[str, object]:
        """The reading as JSON values (``explain --format json`` and ``--batch``)."""
        return {
            "reason": self.reason,
            "who": self.who.value,
            "final": self.final,
            "provider": self.provider,
            "status_code": self.status_code,
            "reply_code": self.reply_code,
            "basis": self.basis.value,
            "stage": self.stage.value if self.stage else None,
            "headline": self.headline,
            "explanation": self.explanation,
            "next_step": self.next_step,
        }


#: A reply line's own prefix: ``550-5.1.1 `` (``-`` means "more lines follow") or ``550 ``.
_LINE_PREFIX = re.compile(r"\s*[245]\d\d([ -])(?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?")
#: The same continuation prefix when a reply arrives run together on one line.
_INLINE_CONTINUATION = re.compile(r"(?<=\s)[245]\d\d-[245]\.\d{1,3}\.\d{1,3}\s+")
_FIRST_DASH = re.compile(r"^([245]\d\d)-")
#: An enhanced status code: class, subject 0-7, detail (not part of an IP address or version).
_ENHANCED = re.compile(r"(?<![\d.])([245])\.([0-7])\.(\d{1,3})(?!\.?\d)")
_BASIC = re.compile(r"(?<![\w.])([245]\d\d)(?=[ \-:;,)]|$)")
_SPACES = re.compile(r"\s+")


def read_reply(text: str, *, final: bool | None = None) -> Reading | None:
    """Read one reply; None when it is empty. ``final`` (from DeliverStatus) overrides the
    reply's own finality and picks the matching next step."""
    reply = normalise(text)
    if not reply:
        return None
    lowered = reply.lower()
    enhanced = _ENHANCED.search(reply)
    basic = _BASIC.search(reply)
    status_code = ".".join(enhanced.groups()) if enhanced else None
    reply_code = int(basic.group(1)) if basic else None
    klass = str(reply_code)[0] if reply_code else (status_code or "")[:1]

    stage = next((stage for stage, phrases in STAGES if _any(lowered, phrases)), None)
    provider = next((name for name, marks in PROVIDERS if _any(lowered, marks)), None)
    rule, basis = _first_rule(lowered, provider)
    if rule is not None:
        reason_slug = rule.reason
        provider = provider or rule.provider
    else:
        reason_slug, basis = _by_code(status_code, klass)

    tencents = basis is Basis.TENCENT  # not an SMTP reply: no stage or direction applies
    sender_words = not tencents and (status_code in SENDER_CODES or _any(lowered, SENDER_SIDE))
    sender_side = sender_words or (stage is Stage.MAIL_FROM and not tencents)
    vague = reason_slug in RECIPIENT_REASONS or basis in _VAGUE
    if sender_side and vague:
        reason_slug, basis, rule = "rejected", Basis.STAGE, None
    elif stage is Stage.CONNECT and vague and not tencents:
        reason_slug, basis, rule = "blocked", Basis.STAGE, None

    reason = REASONS[reason_slug]
    who = (rule.who if rule and rule.who else None) or reason.who
    # A blocklisted sender domain is ours to fix, not Tencent's (whose IPs "blocked" means).
    if (sender_side and who is Who.CUSTOMER) or (sender_words and reason_slug == "blocked"):
        who = Who.SENDER
    if final is None:
        final = _final(rule, reason, klass)
    explanation = reason_text((rule.explanation if rule else None) or reason.explanation)
    if reason_slug == UNDEFINED:
        explanation = _unrecognised(reply, klass)
    return Reading(
        reason=reason_slug,
        who=who,
        final=final,
        provider=provider,
        status_code=status_code,
        reply_code=reply_code,
        basis=basis,
        label=_(reason.label),
        explanation=explanation,
        next_step=reason_text(_next_step(rule, reason, final)),
        stage=stage,
    )


def normalise(text: str) -> str:
    """The reply as one line: the first ``MAX_READ`` characters, the repeated ``550-5.1.1``
    prefixes of continuation lines dropped (the first line keeps its codes), spaces squeezed."""
    lines: list[str] = []
    continues = False
    for line in text[:MAX_READ].splitlines():
        prefix = _LINE_PREFIX.match(line)
        lines.append(line[prefix.end() :] if prefix and continues else line)
        continues = bool(prefix and prefix.group(1) == "-")
    reply = _INLINE_CONTINUATION.sub("", " ".join(lines).strip())
    return _SPACES.sub(" ", _FIRST_DASH.sub(r"\1 ", reply)).strip()


def _first_rule(lowered: str, provider: str | None) -> tuple[Rule | None, Basis]:
    """The first provider rule, then the first wording rule, whose phrases the reply holds."""
    for rules, basis in (
        (TENCENT_RULES, Basis.TENCENT),
        (PROVIDER_RULES, Basis.PROVIDER),
        (WORDING_RULES, Basis.WORDING),
    ):
        for rule in rules:
            if rule.needs_provider and rule.provider != provider:
                continue
            if _any(lowered, rule.phrases):
                return rule, basis
    return None, Basis.NONE


def _by_code(status_code: str | None, klass: str) -> tuple[str, Basis]:
    """The reason the enhanced code gives (exact, then subject digit), else ``undefined``."""
    if status_code and klass in "45":
        exact = BY_STATUS_CODE.get(status_code)
        if exact:
            return exact, Basis.STATUS_CODE
        subject = BY_SUBJECT.get(status_code.split(".")[1])
        if subject:
            return subject, Basis.SUBJECT
    if klass == "2":
        return "delivered", Basis.REPLY_CLASS
    return UNDEFINED, Basis.REPLY_CLASS if klass else Basis.NONE


def _final(rule: Rule | None, reason: Reason, klass: str) -> bool | None:
    if rule is not None and rule.final is not None:
        return rule.final
    if reason.final is not None:
        return reason.final
    return _CLASS_FINAL.get(klass)


def _next_step(rule: Rule | None, reason: Reason, final: bool | None) -> str:
    """The rule's own step, else the reason's: "while retrying" only when delivery goes on."""
    if rule is not None and rule.next_step:
        return rule.next_step
    if final is False and reason.while_retrying:
        return reason.while_retrying
    return reason.next_step


def _unrecognised(reply: str, klass: str) -> str:
    quote = reply if len(reply) <= QUOTE_CHARS else reply[: QUOTE_CHARS - 1] + "…"
    if klass == "4":
        return _(
            "The receiving server turned it away for now and its reply does not say why in a "
            "way we recognise: “{reply}”"
        ).format(reply=quote)
    return _(
        "The receiving server refused it and its reply does not say why in a way we "
        "recognise: “{reply}”"
    ).format(reply=quote)


def _any(lowered: str, phrases: tuple[Phrase, ...]) -> bool:
    """Whether ``lowered`` holds any phrase (a tuple: its fragments in order)."""
    for phrase in phrases:
        if isinstance(phrase, str):
            if phrase in lowered:
                return True
            continue
        start = 0
        for fragment in phrase:
            found = lowered.find(fragment, start)
            if found < 0:
                break
            start = found + len(fragment)
        else:
            return True
    return False
