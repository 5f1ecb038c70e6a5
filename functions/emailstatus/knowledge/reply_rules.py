"""What SMTP replies say, as data: the knowledge behind ``replies.read_reply``.

Everything is matched against the reply lower-cased with its spaces squeezed, as plain
substrings (Sisimai's approach): no regular expression to compile at import, and no pattern
that can backtrack. A phrase is a string, or a tuple of fragments that must appear in that
order ("mailbox ", " does not exist"). The tables, in the order the reader consults them:

1. ``STAGES`` and ``SENDER_SIDE``: which SMTP command was refused, and whether the reply is
   about our sender rather than the recipient.
2. ``PROVIDER_RULES``: replies only one provider gives (from its own pages).
3. ``WORDING_RULES``: wording any server uses, most specific first.
4. ``BY_STATUS_CODE`` / ``BY_SUBJECT``: the enhanced status code (RFC 3463, the IANA registry),
   exact, then its subject digit.
5. The reply class (2, 4, 5), in ``replies``.

Sources (SMTP-REPLIES.md has the key): the IANA SMTP Enhanced Status Codes registry; Google
Workspace's "SMTP errors and codes"; Microsoft's Exchange Online NDR pages; Yahoo's SMTP error
codes; Apple's iCloud postmaster page; QQ Mail's and Tencent Exmail's help (service.mail.qq.com
/detail/122/NN); NetEase's bounce-code list; ActiveCampaign's smtp-field-manual; KumoMTA's bounce
rules; Sisimai's reason definitions (its vocabulary and published phrases, not its test data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from emailstatus.i18n import N_
from emailstatus.knowledge.reasons import Who

#: A substring, or fragments that must appear in this order.
Phrase = str | tuple[str, ...]


class Stage(StrEnum):
    """The SMTP command a refusal answered, when the reply names it."""

    CONNECT = "connect"
    MAIL_FROM = "mail_from"
    RCPT_TO = "rcpt_to"
    DATA = "data"


@dataclass(frozen=True, slots=True)
class Rule:
    """Replies holding any of ``phrases`` mean ``reason``; the rest overrides the reason's own
    who, finality, explanation or next step where a provider says more."""

    reason: str
    phrases: tuple[Phrase, ...]
    provider: str | None = None
    who: Who | None = None
    final: bool | None = None
    explanation: str | None = None
    next_step: str | None = None
    #: Only when the reply also names ``provider`` (the phrase alone is too common).
    needs_provider: bool = False


#: How Postfix, Exim and Sendmail name the command a reply answered.
STAGES: tuple[tuple[Stage, tuple[Phrase, ...]], ...] = (
    (
        Stage.MAIL_FROM,
        ("in reply to mail from", "after mail from", ">>> mail from", "mail from command"),
    ),
    (Stage.RCPT_TO, ("in reply to rcpt to", "after rcpt to", ">>> rcpt to", "rcpt to command")),
    (
        Stage.DATA,
        (
            "in reply to end of data",
            "after end of data",
            "in reply to data",
            "after data",
            ">>> data",
            "data command",
        ),
    ),
    (
        Stage.CONNECT,
        (
            "after initial connection",
            "in reply to helo",
            "in reply to ehlo",
            "after ehlo",
            "after helo",
            ">>> ehlo",
            ">>> helo",
            "while connected to",
        ),
    ),
)

#: Wording (and ``SENDER_CODES``) that puts a refusal on our sender's side, not the recipient's.
SENDER_SIDE: tuple[Phrase, ...] = (
    "sender address rejected",
    "sender address is",
    "sender address has",
    "mail from invalid",
    "denies the sender",
    "sender is unvalidated",
    "domain of sender address",
    "sender domain",
    "sender verify failed",
    "sender verification",
    "envelope sender",
    "envelope from",
    "invalid sender",
    "bad sender address",
    "emetteur invalide",
    "sender rejected",
    "sender was rejected",
    "unroutable sender",
    "sender email address rejected",
    "null sender",
    "empty envelope sender",
    "mail from not",
    "return-path",
    "return path",
    "mailfrom domain",
    ("sender ", " does not exist"),
    ("sender ", " has no a, aaaa, or mx"),
)
#: Enhanced codes about the sender's address: RFC 3463 X.1.7, X.1.8; RFC 7505 X.7.27.
SENDER_CODES = frozenset({"4.1.7", "4.1.8", "5.1.7", "5.1.8"})

#: Reasons about the recipient's address or mailbox: on the sender's side they become
#: ``rejected`` (our sender address was refused), at connection time ``blocked``.
RECIPIENT_REASONS = frozenset(
    {"userunknown", "hostunknown", "notaccept", "hasmoved", "suspend", "filtered", "norelaying"}
)

#: The provider a reply comes from, by the host names and tags it carries.
PROVIDERS: tuple[tuple[str, tuple[Phrase, ...]], ...] = (
    (N_("Gmail"), ("gsmtp", "google.com", "gmail.com", "googlemail.com")),
    (
        N_("Microsoft"),
        (
            "outlook.com",
            "hotmail.com",
            "mail.live.com",
            "postmaster.live.com",
            "@live.com",
            "protection.outlook",
            "office365",
            "microsoft.com",
            "recipientnotfound",
        ),
    ),
    (N_("Yahoo"), ("yahoo", "aol.com", "yahoodns")),
    (N_("Apple iCloud"), ("icloud.com", "@me.com", ".me.com", "@mac.com", "apple.com")),
    (N_("Tencent Exmail"), ("exmail.qq.com",)),
    (N_("QQ Mail"), ("qq.com", "foxmail.com")),
    (N_("NetEase"), ("163.com", "126.com", "yeah.net", "netease", "163mx", "188.com")),
    (N_("Sina"), ("sina.com", "sina.cn")),
    (N_("Sohu"), ("sohu.com",)),
    (N_("Aliyun Mail"), ("aliyun", "alibaba", "antispam_bat")),
    (N_("Yandex"), ("yandex",)),
    (N_("Mail.ru"), ("mail.ru",)),
    (N_("Orange"), ("orange.fr", "wanadoo", "ofr_", "ofr0")),
    (N_("Comcast"), ("comcast",)),
    (N_("Zoho"), ("zoho",)),
    (N_("Exchange"), ("resolver.adr", "resolver.rst", "exchange server", "#5.", "#4.")),
    (N_("Domino"), ("domino directory", "lotus")),
    (N_("Postfix"), ("(in reply to", "local recipient table", "virtual mailbox table")),
    (N_("Exim"), ("smtp error from remote mail server",)),
    (N_("Sendmail"), ("while talking to",)),
)

_GMAIL_REPUTATION = N_(
    "Gmail refused it because of the low reputation of our sending IP or domain "
    "(spam complaints, spam-like volume)."
)
_MICROSOFT_DELIST = N_(
    "Escalate to Tencent support: Microsoft must delist the sending IP "
    "(sender.office.com). Then an operator removes valid addresses from Tencent's blocklist. "
    "Not the customer's fault."
)
_NETEASE_DAILY = N_("NetEase says our daily quota with it is used up.")

#: Replies only one provider gives, from its own documentation.
PROVIDER_RULES: tuple[Rule, ...] = (
    # Google Workspace "SMTP errors and codes" (support.google.com/a/answer/3726730)
    Rule("userunknown", ("email account that you tried to reach does not exist",), "Gmail"),
    Rule("hostunknown", ("weren't able to find the recipient domain",), "Gmail"),
    Rule("suspend", ("account that you tried to reach is disabled",), "Gmail"),
    Rule("suspend", ("account that you tried to reach is inactive",), "Gmail"),
    Rule(
        "mailboxfull",
        ("inbox is out of storage space", "account that you tried to reach is over quota"),
        "Gmail",
    ),
    Rule(
        "speeding",
        ("receiving mail too quickly", "rate that prevents additional messages"),
        "Gmail",
    ),
    Rule(
        "badreputation",
        ("very low reputation of the sending",),
        "Gmail",
        explanation=_GMAIL_REPUTATION,
    ),
    Rule(
        "blocked",
        ("unusual rate of unsolicited mail", "unusual rate of mail"),
        "Gmail",
        who=Who.SENDER,
        explanation=N_(
            "Gmail sees an unusual rate of unsolicited mail from our sending IP and limits it."
        ),
    ),
    Rule(
        "spamdetected",
        (
            "likely unsolicited mail",
            "nature of the content and/or the links",
            "due to the nature of the content",
        ),
        "Gmail",
    ),
    Rule(
        "authfailure",
        (
            "fails to pass authentication checks",
            "authenticate with either spf or dkim",
            "authenticate with spf",
            "authenticate with dkim",
            "authenticate their email with",
            "hard fail policy",
            "aligned with either",
            "no dmarc alignment",
            "the spf record of the sending domain",
            "is not accepted due to domain's dmarc policy",
        ),
        "Gmail",
    ),
    Rule("rejected", ("unauthenticated email is not accepted",), "Gmail", who=Who.SENDER),
    Rule(
        "requireptr",
        ("does not have a ptr record", "ptr record setup", "ptr record, or the ptr record"),
        "Gmail",
    ),
    Rule(
        "notcompliantrfc",
        (
            "missing a valid address in from: header",
            "missing a valid address in the from: header",
            "multiple addresses in from: header",
            "is not rfc 5322 compliant",
            "rfcmessagenoncompliant",
            "missing a valid message-id",
        ),
        "Gmail",
    ),
    Rule("policyviolation", ("illegal attachment on your message",), "Gmail", who=Who.SENDER),
    Rule("mesgtoobig", (("5.3.4", "google's message size limit"),), "Gmail"),
    Rule("exceedlimit", ("exceeded google's message size limits",), "Gmail"),
    Rule("policyviolation", ("has a policy that prohibited",), "Gmail"),
    Rule("notcompliantrfc", ("mail message is malformed",), "Gmail"),
    Rule(
        "systemerror",
        ("mail server temporarily rejected message", "mail server has temporarily rejected"),
        "Gmail",
    ),
    Rule("ratelimited", ("this mail has been rate limited",), "Gmail", who=Who.SENDER),
    # Microsoft 365 / Outlook.com (Exchange Online NDR pages)
    Rule(
        "blocked",
        ("part of their network is on our block list", "(s3140)", "(s3150)"),
        "Microsoft",
        next_step=_MICROSOFT_DELIST,
    ),
    Rule(
        "blocked",
        ("banned sending ip", "access denied, banned"),
        "Microsoft",
        next_step=_MICROSOFT_DELIST,
    ),
    Rule("blocked", ("not currently accepting mail from your ip",), "Microsoft"),
    Rule(
        "badreputation",
        ("rate limited due to ip reputation", "4.7.650", "4.7.651"),
        "Microsoft",
        who=Who.TENCENT,
    ),
    Rule(
        "userunknown",
        ("recipientnotfound", "resolver.adr.recipientnotfound", "resolver.adr.recipient notfound"),
        "Microsoft",
    ),
    Rule(
        "userunknown",
        ("recipient address rejected: access denied",),
        "Microsoft",
        explanation=N_(
            "Microsoft 365 says this address does not exist in the recipient's organization."
        ),
        next_step=N_(
            "Confirm the address with the customer; if it is right, their IT checks that "
            "the mailbox exists in their Microsoft 365 tenant."
        ),
    ),
    Rule(
        "rejected",
        ("all recipient addresses rejected : access denied",),
        "Microsoft",
        who=Who.CUSTOMER,
        explanation=N_(
            "The recipient's Microsoft 365 organization accepts mail only from senders "
            "it allows, and we are not one of them."
        ),
        next_step=N_("Ask the customer's IT to allow our sender in their Microsoft 365 settings."),
    ),
    Rule(
        "rejected",
        (
            "customer block list",
            "not in allowed-senders list",
            "5.7.124",
            "5.7.133",
            "5.7.134",
            "5.7.135",
            "5.7.136",
            "resolver.rst.notauthorized",
        ),
        "Microsoft",
        who=Who.CUSTOMER,
        explanation=N_(
            "The recipient's organization blocks our sender or accepts mail only from "
            "its own senders."
        ),
        next_step=N_("Ask the customer's IT to allow-list our sender."),
    ),
    Rule(
        "authfailure",
        ("5.7.509", "5.7.515", "dmarcrejection", "does not pass dmarc verification"),
        "Microsoft",
    ),
    Rule(
        "speeding",
        ("exceeded their limit for the number of messages they can receive",),
        "Microsoft",
    ),
    Rule(
        "ratelimited",
        ("exceeded the limit for the number of messages they can send to this recipient",),
        "Microsoft",
        who=Who.SENDER,
    ),
    Rule("speeding", ("organization queue quota exceeded",), "Microsoft"),
    Rule("systemfull", ("insufficient system resources",), "Microsoft"),
    Rule("systemerror", ("message failed to be replicated",), "Microsoft"),
    # Yahoo / AOL (senders.yahooinc.com/smtp-error-codes)
    Rule("userunknown", (("this user doesn't have a ", " account"),), "Yahoo"),
    Rule(
        "suspend",
        (
            "is no longer valid",
            "disabled or discontinued",
            "mailbox is disabled (554.30)",
            "(554.30)",
        ),
        "Yahoo",
    ),
    Rule(
        "badreputation",
        ("[tss04]", "unexpected volume or user complaints"),
        "Yahoo",
    ),
    Rule(
        "blocked",
        ("[tss09]", "[tss11]", "[bl21]", "[bl22]", "[bl23]", "permanently deferred"),
        "Yahoo",
    ),
    Rule(
        "policyviolation",
        (
            "[ph01]",
            "email not accepted for policy reasons",
            "message not accepted for policy reasons",
        ),
        "Yahoo",
        who=Who.SENDER,
    ),
    Rule("notcompliantrfc", ("headers are not rfc compliant",), "Yahoo"),
    Rule("speeding", ("user is receiving mail too quickly",), "Yahoo"),
    Rule("toomanyconn", ("max message per connection reached",), "Yahoo"),
    # Apple iCloud (support.apple.com/en-us/102322)
    Rule("userunknown", ("inactive email address", "unknown or illegal alias"), "Apple iCloud"),
    Rule("hasmoved", ("recipient no longer on server",), "Apple iCloud"),
    Rule("speeding", ("deferred due to excessive volume",), "Apple iCloud"),
    Rule("policyviolation", ("[hme1]", "[cs01]"), "Apple iCloud"),
    Rule("notaccept", ("host/domain does not accept mail",), "Apple iCloud"),
    # NetEase 163 / 126 / yeah.net (its bounce-code list: mail.163.com/help/help_spam_16.htm)
    Rule("suspend", ("user suspend",), "NetEase"),
    Rule("authfailure", ("mi:spf", "mi:dma"), "NetEase"),
    Rule("rejected", ("mi:imf", "dt:sum", "wm:blu"), "NetEase", who=Who.SENDER),
    Rule(
        "syntaxerror",
        ("mi:cel", "rp:cel", "mi:ccl", "rp:ccl", "mi:nhd"),
        "NetEase",
        who=Who.TENCENT,
    ),
    Rule("toomanyconn", ("hl:icc", "mi:dmc", "rp:drc"), "NetEase"),
    Rule("ratelimited", ("hl:ifc",), "NetEase"),
    Rule("ratelimited", ("mi:sfq",), "NetEase", who=Who.SENDER),
    Rule(
        "ratelimited",
        ("mi:stc", "rp:trc"),
        "NetEase",
        explanation=_NETEASE_DAILY,
        next_step=N_("Resend tomorrow; Tencent will not retry this email."),
    ),
    Rule(
        "blocked",
        ("hl:rep", "hl:mep"),
        "NetEase",
        explanation=N_(
            "NetEase has temporarily banned our sending IP (many unknown recipients "
            "or forged sender domains)."
        ),
    ),
    Rule("ratelimited", ("rp:qrc", "rp:dbc"), "NetEase"),
    Rule("blocked", ("hl:ihu", "hl:ipb", "ip in blacklist", "dt:rbl", "wm:bli"), "NetEase"),
    Rule("rejected", ("user in blacklist",), "NetEase", who=Who.SENDER),
    Rule("spamdetected", ("dt:spm", "mail.163.com/help/help_spam_16.htm"), "NetEase"),
    Rule("userunknown", ("rp:rcl",), "NetEase"),
    # QQ Mail / Tencent Exmail (service.mail.qq.com/detail/122/NN)
    Rule("suspend", ("is a deactivated mailbox",), "QQ Mail"),
    Rule(
        "speeding",
        ("mailbox unavailable or access denied", "mailbox unavailable or access denined"),
        "QQ Mail",
        explanation=N_(
            "QQ Mail says the recipient got too much mail in a short time, so it "
            "refuses more for now."
        ),
    ),
    Rule(
        "toomanyconn",
        ("ip frequency limited", "connection frequency limited", "domain frequency limited"),
        "QQ Mail",
        explanation=N_(
            "QQ Mail limits how much mail it takes from our sending IP, connection or "
            "domain; the limit lasts minutes to the rest of the day."
        ),
    ),
    Rule(
        "ratelimited",
        ("sender frequency limited",),
        "QQ Mail",
        who=Who.SENDER,
        explanation=N_(
            "QQ Mail limits how much mail it takes from our sender address; the limit "
            "lasts minutes to the rest of the day."
        ),
    ),
    Rule("blocked", ("suspected bounce attacks", "suspected spam ip"), "QQ Mail"),
    Rule("spamdetected", ("mail content denied", "spam is embedded in the email"), "QQ Mail"),
    Rule(
        "badreputation",
        ("suspected spam sender",),
        "QQ Mail",
        explanation=N_("QQ Mail suspects our sender domain of sending spam."),
    ),
    Rule(
        "filtered",
        ("mail is rejected by recipients",),
        "QQ Mail",
        explanation=N_("The recipient has blocked our sender (a personal blocklist or filter)."),
        next_step=N_("Ask the customer to remove the block or add our sender to their contacts."),
    ),
    Rule("rejected", ("suspected spam",), "QQ Mail", needs_provider=True),
    Rule("authfailure", ("spf check failed", "dmarc check failed"), "QQ Mail"),
    # Aliyun Mail
    Rule(
        "ratelimited",
        ("transient reject by behaviour spam", "transient reject by behavior spam"),
        "Aliyun Mail",
    ),
    Rule("blocked", ("reject by behaviour spam", "reject by behavior spam"), "Aliyun Mail"),
    Rule("spamdetected", ("reject by content spam",), "Aliyun Mail"),
    # Others from smtp-field-manual and the providers' pages
    Rule("userunknown", ("not our customer", "recipient mailbox unallocated"), "Comcast"),
    Rule("rejected", ("sender rejected aup", "aup#"), "AT&T", who=Who.SENDER),
    Rule("blocked", ("comcast block for spam",), "Comcast"),
    Rule("blocked", ("client host blocked for spamming", "adresse ip source bloquee"), "Orange"),
    Rule("suspend", ("policy rejection on the target address",), "Yandex"),
    Rule(
        "filtered",
        ("mail rejected by destination domain", "mailbox delivery restricted by policy"),
        "Zoho",
    ),
    Rule("policyviolation", ("reject due to policy restrictions",), "Web.de"),
    Rule(
        "rejected",
        ("invalid dns mx or a/aaaa resource record",),
        "Web.de",
        who=Who.SENDER,
        explanation=N_(
            "Web.de says our sender domain has no working MX or A record to take replies."
        ),
    ),
    Rule(
        "userunknown",
        ("not listed in domino directory", "not listed in public name", "not listed in the domino"),
        "Domino",
    ),
)

#: Wording any server may use, most specific first (the first rule that matches wins).
#: Tencent's own words when it drops an email itself (DeliverStatus 2): not a receiving server's
#: SMTP reply, so they are read first and no SMTP stage or sender wording overrides them
#: ("unsubscribed from this sender domain" is not a refusal of our sender).
TENCENT_RULES: tuple[Rule, ...] = (
    Rule(
        "suppressed",
        ("unsubscribed from this sender", "unsubscribed from our sender", "recipient unsubscribed"),
        final=True,
        explanation=N_(
            "Tencent did not send it: the recipient unsubscribed, and after an "
            "unsubscribe Tencent stops our sender domain from mailing the address."
        ),
        next_step=N_(
            "Don't resend. If the customer wants these emails again, they must "
            "re-subscribe in our product."
        ),
    ),
    Rule("suppressed", ("on the suppression list", "in the suppression list"), final=True),
)

WORDING_RULES: tuple[Rule, ...] = (
    Rule(
        "greylisted",
        ("greylist", "graylist", "grey-list", "gray-list"),
    ),
    Rule(
        "expired",
        (
            "delivery time expired",
            "message expired",
            "retry timeout exceeded",
            "retry time not reached",
            "in the queue too long",
            "in queue too long",
            "too long in queue",
            "too long in the queue",
            "giving up",
            "delivery expired",
            "have been failing for a long time",
            "unable to deliver message after multiple retries",
            "could not be delivered for more than",
            "not reachable within the allowed queue period",
            "message timed out",
            "it has not been collected after",
            ("could not be delivered for", " days"),
        ),
    ),
    Rule(
        "virusdetected",
        (
            "virus",
            "malware",
            "infected",
            "potentially executable attachment",
            "prohibited attachment",
        ),
    ),
    Rule(
        "mailboxfull",
        (
            "over quota",
            "overquota",
            "over the quota",
            "quota exceeded",
            "exceeded storage allocation",
            "quota violation",
            "mailbox full",
            "mailbox is full",
            "mailfolder is full",
            "full mailbox",
            "boite du destinataire pleine",
            "out of storage",
            "insufficient storage",
            "not enough storage",
            "disk quota",
            "mailbox size limit exceeded",
            "exceeded its disk space limit",
            "would exceed maximum allowed storage",
            "user's space has been used up",
            "does not have enough space",
            "mail quota",
            "mailbox quota",
            "exceeding its mailbox quota",
        ),
    ),
    Rule(
        "systemfull",
        (
            "insufficient disk space",
            "insufficient system storage",
            "mail system full",
            "no space left on device",
            "system resources",
        ),
    ),
    Rule(
        "mesgtoobig",
        (
            "message size exceeds",
            "message too big",
            "message too large",
            "message is too large",
            "message is too big",
            "message is too long",
            "email is too large",
            "mail is too large",
            "size limit",
            "exceeded maximum inbound message size",
            "message file too big",
            "taille limite du message",
        ),
    ),
    Rule("exceedlimit", ("message header size exceeds", "exceeds administrative limit")),
    Rule(
        "requireptr",
        (
            "cannot find your hostname",
            "ptr record",
            "(ptr)",
            "ptr resource record",
            "reverse dns",
            "reverse lookup",
            "rdns",
            "no ptr",
            "fix reverse dns",
            "dynamic ip or generic dns",
            "ip name lookup failed",
            "unresolvable relay host name",
            "hostname does not resolve",
        ),
    ),
    Rule(
        "authfailure",
        (
            "dmarc",
            "spf",
            "dkim",
            "sender policy framework",
            "domainkeys",
            "not authorized to send on behalf",
        ),
    ),
    Rule(
        "norelaying",
        (
            "relay access denied",
            "relaying denied",
            "relay denied",
            "relay not permitted",
            "relaying disallowed",
            "not permitted to relay",
            "unable to relay",
            "no relaying",
            "isn't allowed to relay",
            "not allowed to relay",
            "as a relay",
            "we don't handle mail for",
            "not in my list of allowed rcpthosts",
            "not a gateway",
            "relaying mail to",
            "denies relay",
        ),
    ),
    Rule(
        "suspend",
        (
            "account is disabled",
            "account has been disabled",
            "account disabled",
            "mailbox disabled",
            "mailbox is disabled",
            "mailbox has been disabled",
            "user disabled",
            "is disabled",
            "has been suspended",
            "is suspended",
            "currently suspended",
            "account suspended",
            "mailbox suspended",
            "user suspended",
            "inactive account",
            "account is inactive",
            "mailbox is inactive",
            "account inactive",
            "user inactive",
            "is inactive",
            ": inactive",
            "deactivated",
            "mailbox is frozen",
            "account is locked",
            "is locked",
            "blocked due to inactivity",
            "due to extended inactivity",
            "not active",
            "account closed",
            "account expired",
            "is terminated",
            "archived recipient",
            "temporarily inactive",
            "no longer accepts mail",
        ),
    ),
    Rule(
        "userunknown",
        ("bad address syntax", "bad recipient address syntax"),
        explanation=N_("The recipient's server says the address is malformed."),
        next_step=N_("Check the address with the customer (typos, spaces) and correct it."),
    ),
    Rule(
        "hasmoved",
        ("has been replaced by", "has moved", "no longer on server", "mailbox has moved"),
    ),
    Rule(
        "speeding",
        (
            "receiving mail at a rate",
            "receiving mail too quickly",
            "too many recent messages",
            "recipient has exceeded",
            "too much mail",
            "too many messages for this recipient",
            "is receiving too much mail",
        ),
    ),
    Rule(
        "toomanyconn",
        (
            "too many connections",
            "too many concurrent",
            "connection rate limit",
            "connection limit",
            "too many smtp sessions",
            "too many recipients",
            "rcpt numbers",
            "too many errors",
            "max connections",
        ),
    ),
    Rule(
        "ratelimited",
        (
            "rate limit",
            "ratelimit",
            "rate limited",
            "too many messages",
            "too many emails",
            "too many mails",
            "sending too fast",
            "please try again slower",
            "throttl",
            "frequency limited",
            "daily sending quota",
            "sending limit exceeded",
            "deferred due to",
            "temporarily deferred",
            "exceeded the max emails",
            "too quickly",
        ),
    ),
    Rule(
        "spamdetected",
        (
            "spam content",
            "spam pattern",
            "url in this email",
            "domain present in the spamhaus dbl",
            "spam or virus classification",
            "spamtext",
        ),
    ),
    Rule(
        "badreputation",
        (
            "poor reputation",
            "bad reputation",
            "low reputation",
            "reputation score",
            "poor email reputation",
            "none/bad reputation",
        ),
    ),
    Rule(
        "blocked",
        (
            "blacklist",
            "blocklist",
            "block list",
            "black list",
            "spamhaus",
            "spamcop",
            "barracuda",
            "dnsbl",
            "rbl",
            "blocked using",
            "listed on",
            "listed in",
            "listed at",
            "ip address is listed",
            "not in whitelist",
            "black ip",
            "ip is rejected",
            "ip is forbidden",
            "email blocked by",
            "abuseat.org",
            "client host rejected",
            "your ip",
            "sending ip",
            "helo command rejected",
            "rejecting open proxy",
            "dynamic ip",
            "host network not allowed",
            "refused to talk to me",
            "not allowed to connect",
            "go away",
            "access from ip address",
            "connection denied",
            "connection refused",
            "connections not accepted",
            "cloudmark",
            "ivmsip",
        ),
    ),
    Rule(
        "spamdetected",
        (
            "spam",
            "unsolicited",
            "ube,",
            " ube ",
            "bulk mail",
            "bulk email",
            "junk mail",
            "content rejected",
            "message content rejected",
            "content filter",
            "rejecting mail content",
            "unacceptable content",
            "banned content",
            "message filtered",
            "looks like spam",
            "uribl",
            "surbl",
            "phish",
        ),
    ),
    Rule(
        "filtered",
        (
            "user rules",
            "recipient preferences",
            "refuses to receive",
            "refuse to receive",
            "user reject",
            "blocked by the recipient",
            "is not accepting any mail",
            "only accepting mail from specific",
            "not on the recipient's list of senders",
            "rejected by recipients",
            "recipient rejected your",
        ),
    ),
    Rule(
        "hostunknown",
        (
            "bad destination system",
            "couldn't find a mail exchanger",
            "couldn't find any host",
            "domain does not exist",
            "domain not found",
            "domain name not found",
            "no such domain",
            "unknown domain",
            "host unknown",
            "unknown host",
            "host not found",
            "host or domain name not found",
            "domain must exist",
            "unrouteable address",
            "unroutable address",
            "unrouteable mail domain",
            "name or service not known",
            "nxdomain",
            "domain is not reachable",
            "domain may not exist",
            "no mx",
            "invalid dns mx",
            "mail domain mentioned in email address is unknown",
        ),
    ),
    Rule(
        "notaccept",
        ("service not available", "system not accepting network messages"),
        who=Who.RECIPIENT_PROVIDER,
        explanation=N_(
            "The recipient's mail server is not accepting mail at the moment (load or maintenance)."
        ),
    ),
    Rule(
        "notaccept",
        ("null mx", "nullmx", "does not accept mail", "accepts no mail", "mail receiving disabled"),
    ),
    Rule(
        "userunknown",
        (
            "user unknown",
            "unknown user",
            "unknown recipient",
            "recipient unknown",
            "addressee unknown",
            "address unknown",
            "unknown mailbox",
            "unknown address",
            "unknown or invalid",
            "no such user",
            "no such mailbox",
            "no such recipient",
            "no such address",
            "no such person",
            "no such account",
            "no such id",
            "no mailbox",
            "no account by that name",
            "invalid user",
            "invalid recipient",
            "invalid mailbox",
            "invalid address",
            "invalid final delivery userid",
            "not a valid rfc-5321 address",
            "not a valid rfc 5321 address",
            "does no exist",
            "not exist",
            "unavailable mail user",
            "mailbox unallocated",
            "invalid account",
            "address invalid",
            "mailbox invalid",
            "not a valid user",
            "not a valid recipient",
            "not a valid mailbox",
            "not a known user",
            "is not a valid address",
            "user not found",
            "user not exist",
            "user does not exist",
            "user doesn't exist",
            "user doesn't have",
            "recipient not found",
            "recipient not exist",
            "recipient does not exist",
            "recipient doesn't exist",
            "recipient address rejected",
            "recipient rejected",
            "recipient is not local",
            "mailbox not found",
            "mailbox does not exist",
            "mailbox doesn't exist",
            "mailbox not present",
            "mailbox unavailable",
            "mailbox is unavailable",
            "mailbox not available",
            "mailbox name not allowed",
            "address does not exist",
            "address doesn't exist",
            "address not found",
            "address could not be found",
            "address rejected",
            "account does not exist",
            "account doesn't exist",
            "email address does not exist",
            "does not exist here",
            "utilisateur inconnu",
            "invalid recipient",
            "bad destination",
            "bad recipient",
            "bad address",
            "undeliverable address",
            "no valid recipients",
            "recipient unrecognized",
            "not listed in",
            "there is no one at this address",
            "no one at this address",
            "not our customer",
            "i cannot deliver mail for",
            "nonexistent user",
            "non-existent user",
            ("mailbox ", " does not exist"),
            ("account ", " does not exist"),
            ("recipient ", " does not exist"),
            ("user ", " does not exist"),
            ("user ", " not found"),
            ("recipient ", " not found"),
            ("<", "> not found"),
            ("user ", "unknown"),
        ),
    ),
    Rule(
        "notcompliantrfc",
        (
            "rfc 5322",
            "rfc5322",
            "rfc 2822",
            "rfc2822",
            "rfc 822",
            "not rfc compliant",
            "rfc compliant",
        ),
    ),
    Rule(
        "contenterror",
        (
            "duplicate header",
            "header size",
            "8-bit data",
            "8bit data",
            "invalid mime",
            "mime complexity",
            "improperly-formatted",
            "base64 encoding",
            "header error",
            "malformed",
            "encoding",
        ),
    ),
    Rule(
        "securityerror",
        (
            "authentication required",
            "authentication failure",
            "authentication credentials invalid",
            "starttls",
            "tls required",
            "requires tls",
            "encryption required",
            "insecure mail relay",
            "unauthenticated senders not allowed",
            "must be authenticated",
            "not authenticated",
            "unauthenticated",
        ),
    ),
    Rule(
        "policyviolation",
        (
            "denied by policy",
            "policy reasons",
            "policy violation",
            "local policy",
            "security policies",
            "security policy",
            "organizational settings",
            "organization policy",
            "content policy",
            "policy restrictions",
            "prohibited by policy",
            "restricted by policy",
            "rejected by policy",
            "mailpolicy violation",
            "policy rejection",
            "delivery restricted",
            "members-only list",
            "closed mailing list",
            "not subscribed to this group",
        ),
    ),
    Rule(
        "networkerror",
        (
            "connection timed out",
            "timed out",
            "timeout",
            "no route to host",
            "host is unreachable",
            "host unreachable",
            "network is unreachable",
            "could not connect",
            "couldn't connect",
            "unable to connect",
            "connection reset",
            "connection dropped",
            "connection lost",
            "connection closed",
            "lost connection",
            "host name lookup failure",
            "dns lookup failure",
            "dns records for the destination",
            "name server",
            "temporary dns",
            "dns error",
            "mail loop",
            "routing loop",
            "too many hops",
            "hop count exceeded",
            "message looping",
            "no answer from host",
            "server did not respond",
            "did not respond",
        ),
    ),
    Rule(
        "mailererror",
        (
            "mailer error",
            "command failed",
            "command died with status",
            "procmail",
            "pipe to |",
            "x-unix;",
        ),
    ),
    Rule(
        "systemerror",
        (
            "internal error",
            "internal server error",
            "local error",
            "system error",
            "temporary failure",
            "temporary error",
            "temporary local problem",
            "temporary system problem",
            "temporarily unable",
            "server error",
            "configuration error",
            "misconfigured",
            "service currently unavailable",
            "service is currently unavailable",
            "loop detected",
            "service unavailable",
            "service not available",
            "resources temporarily unavailable",
            "try again later",
            "transaction failed",
            "server busy",
            "queue file write error",
            "loops back to myself",
            "could not load",
            "unknown error",
        ),
    ),
    Rule(
        "syntaxerror",
        (
            "syntax error",
            "bad sequence of commands",
            "unrecognized command",
            "command not recognized",
            "command unrecognized",
            "unimplemented command",
            "protocol violation",
            "smtp protocol",
            "line too long",
        ),
    ),
    Rule(
        "rejected",
        (
            "access denied",
            "administrative prohibition",
            "not accepted here",
        ),
    ),
)

#: Enhanced status codes, exact (IANA registry meanings; Sisimai's mapping where the registry
#: leaves a choice). Codes whose subject digit already says it are left to ``BY_SUBJECT``.
BY_STATUS_CODE: Mapping[str, str] = {
    "5.1.0": "userunknown",
    "5.1.1": "userunknown",
    "4.1.1": "userunknown",
    "5.1.2": "hostunknown",
    "4.1.2": "hostunknown",
    "5.1.3": "userunknown",
    "5.1.4": "filtered",
    "5.1.6": "hasmoved",
    "4.1.6": "hasmoved",
    "5.1.7": "rejected",
    "4.1.7": "rejected",
    "5.1.8": "rejected",
    "4.1.8": "rejected",
    "5.1.9": "systemerror",
    "5.1.10": "notaccept",
    "5.2.0": "filtered",
    "5.2.1": "filtered",
    "4.2.1": "suspend",
    "4.2.2": "mailboxfull",
    "5.2.2": "mailboxfull",
    "4.2.3": "exceedlimit",
    "5.2.3": "exceedlimit",
    "5.2.4": "filtered",
    "4.3.1": "systemfull",
    "5.3.1": "systemfull",
    "4.3.2": "notaccept",
    "5.3.2": "notaccept",
    "5.3.4": "mesgtoobig",
    "4.4.1": "expired",
    "4.4.2": "networkerror",
    "4.4.3": "systemerror",
    "5.4.3": "systemerror",
    "4.4.4": "networkerror",
    "5.4.4": "hostunknown",
    "4.4.5": "systemfull",
    "4.4.6": "networkerror",
    "5.4.6": "networkerror",
    "4.4.7": "expired",
    "5.4.7": "expired",
    "5.5.3": "toomanyconn",
    "4.5.3": "toomanyconn",
    "4.7.1": "blocked",
    "5.7.13": "suspend",
    "5.7.16": "mesgtoobig",
    "5.7.17": "hasmoved",
    "5.7.18": "hasmoved",
    "5.7.20": "authfailure",
    "5.7.21": "authfailure",
    "5.7.22": "authfailure",
    "5.7.23": "authfailure",
    "4.7.24": "authfailure",
    "5.7.24": "authfailure",
    "4.7.25": "requireptr",
    "5.7.25": "requireptr",
    "5.7.26": "authfailure",
    "4.7.26": "authfailure",
    "5.7.27": "rejected",
    "5.7.28": "spamdetected",
    "5.7.29": "authfailure",
}

#: The enhanced code's subject digit (X.<subject>.x) when the exact code is not in the table.
BY_SUBJECT: Mapping[str, str] = {
    "1": "userunknown",
    "2": "filtered",
    "3": "systemerror",
    "4": "networkerror",
    "5": "syntaxerror",
    "6": "contenterror",
    "7": "securityerror",
}
