"""Recognise the receiving server's SMTP reply in ``DeliverMessage``: why it bounced or waited.

``DeliverMessage`` is free text from a stranger's mail server, so it is read defensively: only
its first ``MAX_READ`` characters, with precompiled patterns that have no unbounded gaps (no
catastrophic backtracking). The knowledge is data, in three layers tried in order (see
SMTP-REPLIES.md): provider-specific text, then the enhanced status code (RFC 3463: exact code,
then its subject digit), then the class digit (4 = temporary, 5 = permanent). Reasons use
sisimai's vocabulary so they line up with a well-known bounce classifier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

#: Only this much of a reply is read: real SMTP replies are far shorter.
MAX_READ = 4096


@dataclass(frozen=True, slots=True)
class ReplyReason:
    """Why a receiving server refused or delayed an email, and what a support agent can do.

    ``permanent`` is None when the row holds for both 4xx and 5xx replies: the reply's class
    digit decides then (see ``ReplyReading.permanent``).
    """

    reason: str
    permanent: bool | None
    explanation: str
    next_step: str
    provider: str | None = None

    @property
    def label(self) -> str:
        """A short phrase for headlines: "the mailbox does not exist"."""
        return REASON_LABELS.get(self.reason, self.reason)


class Basis(StrEnum):
    """Which layer recognised the reply: the further down, the vaguer the reading."""

    TEXT = "text"
    CODE = "code"
    SUBJECT = "subject"
    CLASS = "class"


@dataclass(frozen=True, slots=True)
class ReplyReading:
    """What ``read_reply`` found in one reply."""

    reason: ReplyReason
    enhanced_code: str | None
    smtp_code: int | None
    basis: Basis

    @property
    def permanent(self) -> bool | None:
        """Whether resending unchanged is pointless; from the reason, else the class digit."""
        if self.reason.permanent is not None:
            return self.reason.permanent
        digit = (self.enhanced_code or str(self.smtp_code or ""))[:1]
        return _CLASS_PERMANENT.get(digit)

    @property
    def specific(self) -> bool:
        """Whether it says more than "temporary" or "permanent" (worth showing as the why)."""
        return self.basis is not Basis.CLASS


#: Short phrases for each reason slug, for headlines and digests.
REASON_LABELS: Mapping[str, str] = {
    "userunknown": "the mailbox does not exist",
    "hasmoved": "the mailbox no longer exists on that server",
    "hostunknown": "the recipient's domain does not accept mail",
    "norelaying": "the recipient's mail server does not accept mail for that domain",
    "suspend": "the mailbox is disabled",
    "mailboxfull": "the mailbox is full",
    "mesgtoobig": "the email is too large for the recipient's server",
    "greylisted": "the recipient's server asked to try again later (greylisting)",
    "ratelimited": "the recipient's server is limiting how much mail it takes from us",
    "blocked": "the recipient's server blocks our sending IP or domain",
    "rejected": "the recipient's side refuses mail from our sender",
    "spamdetected": "the email was judged to be spam",
    "policyviolation": "the recipient's server refused it by policy",
    "authfailure": "our SPF/DKIM/DMARC authentication failed",
    "requireptr": "the recipient's server wants valid reverse DNS for our IP",
    "networkerror": "the recipient's mail server could not be reached",
    "systemerror": "the recipient's mail system had a problem",
    "contenterror": "the recipient's server could not handle the content",
    "expired": "delivery attempts ran out",
    "delivered": "the recipient's server accepted it",
    "softbounce": "a temporary problem at the recipient's side",
    "hardbounce": "a permanent refusal by the recipient's side",
}

_CLASS_PERMANENT: Mapping[str, bool] = {"2": False, "4": False, "5": True}

# --- The reasons, each written once; provider rows reuse them with ``replace`` -------------

_CONFIRM_ADDRESS = (
    "Confirm the spelling with the customer or get another address. Tencent blocklists "
    "addresses that hard-bounce: once the address is confirmed valid, an operator can remove "
    "it (DeleteBlackList)."
)
_ESCALATE_AUTH = "Escalate: engineering checks our SPF, DKIM and DMARC records."
_ESCALATE_IP = (
    "Escalate: Tencent support must get the sending IP delisted. Not the customer's fault."
)
_WAIT = "Wait: Tencent retries for up to 72 hours. Escalate if it lasts for days."

USER_UNKNOWN = ReplyReason(
    "userunknown",
    True,
    "The recipient's server says this mailbox does not exist.",
    _CONFIRM_ADDRESS,
)
BAD_SYNTAX = ReplyReason(
    "userunknown",
    True,
    "The recipient's server says the address is malformed.",
    "Check the address with the customer (typos, spaces) and correct it.",
)
HAS_MOVED = ReplyReason(
    "hasmoved",
    True,
    "The account no longer exists on the recipient's server.",
    "Ask the customer for another address.",
)
HOST_UNKNOWN = ReplyReason(
    "hostunknown",
    True,
    "The part after the @ is not a domain that accepts mail.",
    "Check the domain for a typo (e.g. gmial.com) with the customer, or get another address.",
)
NULL_MX = ReplyReason(
    "hostunknown",
    True,
    "The recipient's domain declares that it accepts no mail (null MX). Microsoft servers use "
    "the same code for 'recipient not found'.",
    "Ask the customer for another address.",
)
NO_RELAYING = ReplyReason(
    "norelaying",
    True,
    "The server that answered does not accept mail for the recipient's domain: that domain's "
    "mail setup (MX) looks wrong.",
    "Ask the customer's IT to check their domain's mail (MX) records, or get another address.",
)
DISABLED = ReplyReason(
    "suspend",
    True,
    "The recipient's account is disabled or closed.",
    "Ask the customer for another address, or to reactivate the account.",
)
MAILBOX_FULL = ReplyReason(
    "mailboxfull",
    False,
    "The recipient's mailbox is full. This is temporary even when the server says 5xx: once "
    "space is freed, mail gets through.",
    "Ask the customer to free space in their mailbox, then resend.",
)
TOO_BIG = ReplyReason(
    "mesgtoobig",
    True,
    "The email is larger than the recipient's server accepts.",
    "Escalate to engineering if our emails are large (attachments); otherwise ask for "
    "another address.",
)
GREYLISTED = ReplyReason(
    "greylisted",
    False,
    "The recipient's server turns away first-time senders once (greylisting); the retry "
    "normally succeeds.",
    "Wait: Tencent retries automatically.",
)
RATE_LIMITED = ReplyReason(
    "ratelimited",
    False,
    "The recipient's server is throttling mail from us for now (volume or reputation).",
    _WAIT,
)
RECIPIENT_FLOODED = ReplyReason(
    "ratelimited",
    False,
    "The recipient is getting too much mail right now, so their server is holding off.",
    "Wait, then resend later if it does not arrive.",
)
BLOCKED = ReplyReason(
    "blocked",
    None,
    "The recipient's server blocks our sending IP or domain (reputation or a blocklist), "
    "not this customer.",
    _ESCALATE_IP,
)
TEMP_BLOCKED = replace(
    BLOCKED,
    permanent=False,
    explanation="The recipient's server has temporarily banned our sending IP (too many "
    "unknown recipients, connections or messages).",
    next_step="Wait. Escalate if it persists; clean lists of addresses that bounce.",
)
REJECTED = ReplyReason(
    "rejected",
    True,
    "The recipient (or their organisation) blocks mail from our sender.",
    "Ask the customer to remove the block or allow-list our sender (their IT, for a company "
    "address).",
)
SPAM = ReplyReason(
    "spamdetected",
    None,
    "The recipient's server judged the email's content to be spam.",
    "Review the email's content; escalate if many recipients are affected.",
)
POLICY = ReplyReason(
    "policyviolation",
    None,
    "The recipient's server refused it by policy: a spam filter, a blocklist or a rule set "
    "by the recipient.",
    "Read the server's words: ask the customer to allow-list our sender, or escalate if many "
    "recipients are affected.",
)
AUTH_FAILURE = ReplyReason(
    "authfailure",
    None,
    "The recipient's server checked our sender domain's SPF/DKIM/DMARC and it failed.",
    _ESCALATE_AUTH,
)
REQUIRE_PTR = ReplyReason(
    "requireptr",
    None,
    "The recipient's server wants the sending IP to have valid reverse DNS (PTR), and it did not.",
    "Escalate to Tencent support: the sending IP's reverse DNS is theirs to fix.",
)
NETWORK_ERROR = ReplyReason(
    "networkerror",
    False,
    "The recipient's mail server did not answer or the connection failed.",
    _WAIT,
)
UNROUTABLE = ReplyReason(
    "hostunknown",
    True,
    "The recipient's domain has no working mail server to deliver to.",
    "Confirm the domain with the customer; their IT checks the domain's mail (MX) records.",
)
EXPIRED = ReplyReason(
    "expired",
    True,
    "Delivery was retried until the time ran out; the recipient's server kept refusing or "
    "was down.",
    "Confirm the address; the customer's IT checks their mail server. Resend once it works.",
)
SYSTEM_ERROR = ReplyReason(
    "systemerror",
    None,
    "The recipient's mail system had a problem of its own.",
    "Wait and resend later; escalate if it keeps happening.",
)
CONTENT_ERROR = ReplyReason(
    "contenterror",
    None,
    "The recipient's server could not handle the email's format or encoding.",
    "Escalate to engineering.",
)
DELIVERED = ReplyReason(
    "delivered",
    False,
    "The recipient's server accepted the email.",
    "Ask the customer to check the spam folder and add our sender to their contacts.",
)
SOFT_BOUNCE = ReplyReason(
    "softbounce",
    False,
    "The recipient's server reported a temporary problem; sending later may succeed.",
    _WAIT,
)
HARD_BOUNCE = ReplyReason(
    "hardbounce",
    True,
    "The recipient's server refused the email permanently; something must change before a "
    "resend can work.",
    "Read the server's words; confirm the address with the customer, or escalate.",
)

# --- Layer 1: text. Provider rows first, then generic wording. Order matters. ---------------

TEXT_ROWS: tuple[tuple[str, ReplyReason], ...] = (
    # Gmail
    (
        r"email account that you tried to reach does not exist",
        replace(USER_UNKNOWN, provider="Gmail"),
    ),
    (
        r"account that you tried to reach is (?:disabled|inactive)",
        replace(DISABLED, provider="Gmail"),
    ),
    (r"inbox is out of storage space", replace(MAILBOX_FULL, provider="Gmail")),
    (
        r"receiving mail too quickly|rate that prevents additional messages",
        replace(RECIPIENT_FLOODED, provider="Gmail"),
    ),
    (
        r"\b4\.7\.(?:0|28)\b.{0,200}?(?:unusual rate of|very low reputation)",
        replace(RATE_LIMITED, provider="Gmail"),
    ),
    (r"unusual rate of unsolicited|very low reputation", replace(BLOCKED, provider="Gmail")),
    (r"likely unsolicited mail", replace(SPAM, permanent=True, provider="Gmail")),
    (
        r"fails to pass authentication checks|authenticate with (?:either )?(?:spf|dkim)"
        r"|hard fail policy|aligned with either",
        replace(AUTH_FAILURE, provider="Gmail"),
    ),
    # Microsoft
    (
        r"part of their network is on our block list|\bS31[45]0\b",
        replace(
            BLOCKED,
            permanent=True,
            provider="Microsoft",
            next_step="Escalate: Microsoft must delist the sending IP (Tencent support). Then "
            "an operator removes valid addresses from Tencent's blocklist (DeleteBlackList).",
        ),
    ),
    (r"RecipientNotFound", replace(USER_UNKNOWN, provider="Microsoft")),
    (
        r"requested action not taken: mailbox unavailable",
        replace(USER_UNKNOWN, provider="Microsoft"),
    ),
    (
        r"recipient address rejected: access denied",
        replace(
            USER_UNKNOWN,
            provider="Microsoft",
            next_step="Confirm the address with the customer; if it is right, their IT checks "
            "that the mailbox exists in their Microsoft 365 tenant.",
        ),
    ),
    (
        r"\b4\.7\.650\b|rate limited due to ip reputation",
        replace(RATE_LIMITED, provider="Microsoft"),
    ),
    (r"banned sending ip", replace(BLOCKED, permanent=True, provider="Microsoft")),
    (r"\b5\.7\.509\b", replace(AUTH_FAILURE, provider="Microsoft")),
    (
        r"customer block list|\b5\.7\.13[3-6]\b",
        replace(REJECTED, provider="Microsoft"),
    ),
    # Yahoo / AOL
    (r"this user doesn't have an? (?:yahoo|aol)\.", replace(USER_UNKNOWN, provider="Yahoo")),
    (
        r"\bdd \S{1,254} is no longer valid|disabled or discontinued|\(554\.30\)",
        replace(DISABLED, provider="Yahoo"),
    ),
    (
        r"\[TSS04\]|unexpected volume or user complaints",
        replace(RATE_LIMITED, provider="Yahoo"),
    ),
    (r"\[TSS(?:09|11)\]|\[BL2[13]\]|permanently deferred", replace(BLOCKED, provider="Yahoo")),
    # iCloud
    (r"inactive email address|unknown or illegal alias", replace(USER_UNKNOWN, provider="iCloud")),
    (r"recipient no longer on server", replace(HAS_MOVED, provider="iCloud")),
    (r"\[HME1\]|\[CS01\]", replace(POLICY, permanent=True, provider="iCloud")),
    (r"deferred due to excessive volume", replace(RATE_LIMITED, provider="iCloud")),
    # QQ / Tencent Exmail
    (r"is a deactivated mailbox", replace(DISABLED, provider="QQ Mail")),
    (
        r"mailbox unavailable or access denied",
        replace(RECIPIENT_FLOODED, provider="QQ Mail"),
    ),
    (
        r"\b(?:ip|connection|domain|sender) frequency limited",
        replace(RATE_LIMITED, provider="QQ Mail"),
    ),
    (
        r"connection denied|suspected spam ip|suspected bounce attacks",
        replace(BLOCKED, permanent=True, provider="QQ Mail"),
    ),
    (
        r"mail content denied|spam is embedded in the email|suspected spam",
        replace(SPAM, permanent=True, provider="QQ Mail"),
    ),
    (r"\b(?:spf|dmarc) check failed", replace(AUTH_FAILURE, provider="QQ Mail")),
    (r"mail is rejected by recipients", replace(REJECTED, provider="QQ Mail")),
    # NetEase (163 / 126 / yeah.net)
    (r"\buser suspend", replace(DISABLED, provider="NetEase")),
    (r"\bMI:(?:SPF|DMA|NHD|IMF)\b|\bDT:SUM\b", replace(AUTH_FAILURE, provider="NetEase")),
    (
        r"\bMI:STC\b|\bRP:TRC\b",
        replace(
            RATE_LIMITED,
            provider="NetEase",
            explanation="The recipient's provider says our daily quota with it is used up.",
            next_step="Resend tomorrow.",
        ),
    ),
    (
        r"\bHL:(?:REP|ICC|IFC|MEP)\b",
        replace(TEMP_BLOCKED, provider="NetEase"),
    ),
    (
        r"\b(?:MI:SFQ|MI:DMC|RP:QRC|MI:CEL|RP:CEL)\b",
        replace(RATE_LIMITED, provider="NetEase"),
    ),
    (
        r"user in blacklist|\bHL:(?:IHU|IPB)\b|ip in blacklist|\bDT:RBL\b",
        replace(BLOCKED, provider="NetEase"),
    ),
    (r"\bDT:SPM\b", replace(SPAM, provider="NetEase")),
    # Aliyun Mail
    (r"transient reject by behaviou?r spam", replace(RATE_LIMITED, provider="Aliyun Mail")),
    (r"reject by behaviou?r spam", replace(BLOCKED, permanent=True, provider="Aliyun Mail")),
    # Generic wording, most specific first.
    (r"gr[ae]y-?list", GREYLISTED),
    (r"cannot find your hostname|\bptr record|reverse dns|\brdns\b", REQUIRE_PTR),
    (r"relay(?:ing)? (?:access )?denied|relay not permitted", NO_RELAYING),
    (
        r"over ?quota|quota exceeded|mailbox (?:is )?full|insufficient (?:storage|space)",
        MAILBOX_FULL,
    ),
    (
        r"\b(?:account|mailbox|user) (?:is |has been )?(?:disabled|inactive|suspended"
        r"|deactivated|frozen)|is no longer valid",
        DISABLED,
    ),
    (r"bad (?:recipient )?address syntax|invalid address", BAD_SYNTAX),
    (
        r"domain (?:name )?(?:not found|does not exist)|host (?:not found|unknown)|null mx"
        r"|\bno mx\b|nxdomain",
        HOST_UNKNOWN,
    ),
    (
        r"user unknown|unknown user|no such (?:user|mailbox|recipient)"
        r"|invalid (?:user|recipient|mailbox)"
        r"|(?:user|mailbox|recipient|address|account)"
        r" (?:does ?n[o']t exist|not found|not exist|unknown)",
        USER_UNKNOWN,
    ),
    (
        r"\b(?:spf|dkim|dmarc)\b|sender policy framework|unauthenticated|not authenticated",
        AUTH_FAILURE,
    ),
    (r"\bspam\b|unsolicited", SPAM),
    (
        r"\b(?:rbl|dnsbl|spamhaus|spamcop|barracuda|blocklist(?:ed)?|blacklist(?:ed)?"
        r"|block list|blocked)\b",
        BLOCKED,
    ),
    (
        r"too many (?:messages|connections|recipients|emails|mails)|rate limit|too quickly",
        RATE_LIMITED,
    ),
    (
        r"timed? ?out|connection refused|no route to host|could not connect|unreachable",
        NETWORK_ERROR,
    ),
    (r"delivery time expired|retry time(?:out)? exceeded|too long in (?:the )?queue", EXPIRED),
    (r"message (?:size )?exceeds|(?:message|mail|email) (?:is )?too (?:large|big)", TOO_BIG),
)

# --- Layer 2: the enhanced status code, exact, then by subject digit (X.<subject>.x) --------

BY_ENHANCED_CODE: Mapping[str, ReplyReason] = {
    "5.1.1": USER_UNKNOWN,
    "5.1.2": HOST_UNKNOWN,
    "5.1.3": BAD_SYNTAX,
    "5.1.6": HAS_MOVED,
    "5.1.10": NULL_MX,
    "5.2.1": DISABLED,
    "4.2.2": MAILBOX_FULL,
    "5.2.2": MAILBOX_FULL,
    "5.2.3": TOO_BIG,
    "5.3.4": TOO_BIG,
    "4.4.1": NETWORK_ERROR,
    "4.4.2": NETWORK_ERROR,
    "4.4.4": UNROUTABLE,
    "5.4.4": UNROUTABLE,
    "4.4.7": EXPIRED,
    "5.4.7": EXPIRED,
    "4.7.0": RATE_LIMITED,
    "4.7.1": replace(
        RATE_LIMITED,
        explanation="The recipient's server deferred it: often greylisting or volume throttling.",
    ),
    "5.7.1": replace(POLICY, permanent=True),
    "5.7.23": AUTH_FAILURE,
    "4.7.24": AUTH_FAILURE,
    "5.7.24": AUTH_FAILURE,
    "5.7.25": REQUIRE_PTR,
    "5.7.26": AUTH_FAILURE,
    "4.7.27": AUTH_FAILURE,
    "5.7.27": AUTH_FAILURE,
}

BY_SUBJECT: Mapping[str, ReplyReason] = {
    "1": replace(
        USER_UNKNOWN,
        permanent=None,
        explanation="The recipient's server has a problem with the address.",
    ),
    "2": replace(
        DISABLED,
        permanent=None,
        explanation="The recipient's mailbox cannot take mail (full or disabled).",
        next_step="The customer must act: ask them to check their mailbox, or for another address.",
    ),
    "3": SYSTEM_ERROR,
    "4": replace(
        NETWORK_ERROR,
        permanent=None,
        next_step="Wait; if it lasts, confirm the domain with the customer.",
    ),
    "5": replace(CONTENT_ERROR, explanation="The SMTP conversation with the server failed."),
    "6": CONTENT_ERROR,
    "7": POLICY,
}

# --- Layer 3: the class digit -----------------------------------------------------------------

BY_CLASS: Mapping[str, ReplyReason] = {"2": DELIVERED, "4": SOFT_BOUNCE, "5": HARD_BOUNCE}

_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], ReplyReason], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in TEXT_ROWS
)
#: A reply line's own prefix: ``550-5.1.1 `` (``-`` means "more lines follow") or ``550 ``.
_LINE_PREFIX = re.compile(r"\s*[245]\d\d([ -])(?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?")
#: The same continuation prefix when a reply arrives run together on one line.
_INLINE_CONTINUATION = re.compile(r"(?<=\s)[245]\d\d-[245]\.\d{1,3}\.\d{1,3}\s+")
_FIRST_DASH = re.compile(r"^([245]\d\d)-")
_ENHANCED = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)")
_BASIC = re.compile(r"(?<![\w.])([245]\d\d)(?=[ -]|$)")
_SPACES = re.compile(r"\s+")


def read_reply(text: str) -> ReplyReading | None:
    """Recognise an SMTP reply; None when it is empty or says nothing we recognise."""
    reply = normalise(text)
    enhanced = _ENHANCED.search(reply)
    basic = _BASIC.search(reply)
    enhanced_code = ".".join(enhanced.groups()) if enhanced else None
    smtp_code = int(basic.group(1)) if basic else None
    found = _recognise(reply, enhanced_code, smtp_code)
    if found is None:
        return None
    reason, basis = found
    return ReplyReading(reason, enhanced_code, smtp_code, basis)


def _recognise(
    reply: str, enhanced_code: str | None, smtp_code: int | None
) -> tuple[ReplyReason, Basis] | None:
    """The first layer that knows the reply: text, exact code, subject digit, class digit."""
    if not reply:
        return None
    for pattern, reason in _TEXT_PATTERNS:
        if pattern.search(reply):
            return reason, Basis.TEXT
    klass = (enhanced_code or str(smtp_code or ""))[:1]
    subject = enhanced_code.split(".")[1] if enhanced_code else ""
    if klass not in BY_CLASS:
        return None
    exact = BY_ENHANCED_CODE.get(enhanced_code or "")
    if exact is not None:
        return exact, Basis.CODE
    if klass != "2" and subject in BY_SUBJECT:
        return BY_SUBJECT[subject], Basis.SUBJECT
    return BY_CLASS[klass], Basis.CLASS


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
