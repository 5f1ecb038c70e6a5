"""Why a receiving server refused or delayed an email: the reasons, and who must act on each.

The slugs are Sisimai's reason vocabulary (the de facto standard of bounce classification, so a
reading here is comparable with other tools), plus ``greylisted``, which Sisimai has no word
for. Each reason is written once: its plain label, who must act, what it means, and the next
step, in two forms: once delivery has ended (``next_step``), and while Tencent is still
retrying (``while_retrying``). A final bounce or drop never gets "wait" advice: Tencent will not
try that email again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from emailstatus.i18n import N_, _


class Who(StrEnum):
    """Who must act on a reason."""

    #: The recipient: their address or mailbox (the support agent talks to the customer).
    CUSTOMER = "customer"
    #: Us, the sender: our domain, DNS, content, volume or reputation (engineers, operators).
    SENDER = "sender"
    #: Tencent Cloud: its sending IPs, their reverse DNS, its MTA or our account there.
    TENCENT = "tencent"
    #: The recipient's mail provider: its own fault, load or policy.
    RECIPIENT_PROVIDER = "recipient_provider"
    UNKNOWN = "unknown"


#: Who must act, in words (``explain``'s answers).
WHO_LABELS: Mapping[Who, str] = {
    Who.CUSTOMER: N_("the customer: the recipient's address or mailbox"),
    Who.SENDER: N_("us, the sender: our domain, content or sending (engineering)"),
    Who.TENCENT: N_("Tencent Cloud: its sending IPs or mail servers (Tencent support)"),
    Who.RECIPIENT_PROVIDER: N_("the recipient's mail provider: its own fault or policy"),
    Who.UNKNOWN: N_("unclear from the reply"),
}

#: Whether a reply ends delivery, in words.
FINALITY_LABELS: Mapping[bool | None, str] = {
    True: N_("ended: the email was refused for good and will not be retried"),
    False: N_("not over yet: a temporary refusal; the sending server tries again"),
    None: N_("unclear: the text carries no reply code"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: a short label for headlines, who acts, what it means, what to do."""

    label: str
    who: Who
    explanation: str
    next_step: str
    #: The next step while Tencent still retries; None: the same as ``next_step``.
    while_retrying: str | None = None
    #: Whether this reason ends delivery whatever the reply class says (expiry does; a
    #: greylisting never does); None: the reply class decides.
    final: bool | None = None


def reason_text(text: str) -> str:
    """A reason's explanation or step in the reader's language, the delivery window filled in."""
    return _(text).format(hours=DELIVERY_WINDOW // timedelta(hours=1))


def reason_headline(slug: str) -> str:
    """A reason's label as a sentence start ("The mailbox does not exist"); a slug this
    vocabulary does not know (say, a counter kept by an older version) stays as it is."""
    reason = REASONS.get(slug)
    if reason is None:
        return slug
    label = _(reason.label)
    return label[:1].upper() + label[1:]


#: Tencent's delivery FAQ: delivery takes at most this long (a maximum, not a promise); a
#: deferred email is retried until then. Texts say it as ``{hours}`` (``reason_text``).
DELIVERY_WINDOW = timedelta(hours=72)

_CONFIRM_ADDRESS = N_(
    "Confirm the spelling with the customer or get another address. Tencent blocklists "
    "addresses that hard-bounce: once the address is confirmed valid, an operator can remove "
    "it from the blocklist."
)
_RESEND_LATER = N_("Resend it later; Tencent will not retry this email.")
_WAIT = N_("Wait: Tencent retries for up to {hours} hours. Escalate if it lasts for days.")
_ESCALATE_TENCENT = N_(
    "Escalate to Tencent support with the MessageId: the sending IP is theirs to fix. "
    "Not the customer's fault."
)
_ESCALATE_ENGINEERING = N_("Escalate to engineering with the MessageId. Not the customer's fault.")

#: Every reason a reading can give, by slug.
REASONS: Mapping[str, Reason] = {
    "userunknown": Reason(
        N_("the mailbox does not exist"),
        Who.CUSTOMER,
        N_("The recipient's server says this mailbox does not exist."),
        _CONFIRM_ADDRESS,
    ),
    "hostunknown": Reason(
        N_("the recipient's domain does not exist"),
        Who.CUSTOMER,
        N_("The part after the @ is not a domain that can receive mail."),
        N_(
            "Check the domain for a typo (e.g. gmial.com) with the customer, or get another "
            "address."
        ),
    ),
    "notaccept": Reason(
        N_("the recipient's domain accepts no mail"),
        Who.CUSTOMER,
        N_(
            "The recipient's domain or server does not accept email at all (for example a null "
            "MX record)."
        ),
        N_("Ask the customer for another address; their IT can check the domain's mail setup."),
    ),
    "hasmoved": Reason(
        N_("the mailbox has moved"),
        Who.CUSTOMER,
        N_("The account no longer exists on the recipient's server and mail is not forwarded."),
        N_("Ask the customer for their new address."),
    ),
    "suspend": Reason(
        N_("the mailbox is disabled"),
        Who.CUSTOMER,
        N_("The recipient's account is disabled, suspended or closed."),
        N_("Ask the customer to reactivate the account, or for another address."),
    ),
    "mailboxfull": Reason(
        N_("the mailbox is full"),
        Who.CUSTOMER,
        N_(
            "The recipient's mailbox is full. That is temporary: once space is freed, mail gets "
            "through."
        ),
        N_("Ask the customer to free space in their mailbox, then resend."),
        N_(
            "Tencent retries for up to {hours} hours; ask the customer to free space in their "
            "mailbox."
        ),
    ),
    "filtered": Reason(
        N_("the recipient's mailbox refused it"),
        Who.CUSTOMER,
        N_(
            "The recipient's mailbox refused it: a rule or filter the recipient set, or a mailbox "
            "that accepts no mail now."
        ),
        N_(
            "Ask the customer to allow-list our sender or check their mailbox settings, then "
            "resend."
        ),
    ),
    "norelaying": Reason(
        N_("the recipient's mail server does not handle that domain"),
        Who.CUSTOMER,
        N_(
            "The server that answered does not accept mail for the recipient's domain: that "
            "domain's mail setup (MX) looks wrong."
        ),
        N_(
            "Ask the customer's IT to check their domain's mail (MX) records, or get another "
            "address."
        ),
    ),
    "rejected": Reason(
        N_("our sender address was refused"),
        Who.SENDER,
        N_(
            "The recipient's server refused our sender (envelope From) address or domain, not the "
            "recipient. Not the customer's fault."
        ),
        N_(
            "Escalate to engineering: check that our sender domain exists, has MX/A records and is "
            "verified in Tencent SES."
        ),
    ),
    "blocked": Reason(
        N_("the recipient's server blocks our sending IP"),
        Who.TENCENT,
        N_(
            "The recipient's server refuses connections from our sending IP or host (a blocklist "
            "or its own rules), not this customer."
        ),
        _ESCALATE_TENCENT,
        N_(
            "Tencent retries for up to {hours} hours. Escalate to Tencent support with the "
            "MessageId: the sending IP is theirs to fix. Not the customer's fault."
        ),
    ),
    "badreputation": Reason(
        N_("our sending reputation is too low"),
        Who.SENDER,
        N_(
            "The recipient's provider refused it because of the reputation of our sending IP or "
            "domain (complaints, spam-like volume, bounces)."
        ),
        N_(
            "Escalate to engineering and Tencent support; clean lists of addresses that bounce. "
            "Resend later, once the reputation has recovered."
        ),
        N_(
            "Tencent retries for up to {hours} hours. Escalate if it lasts: our sending reputation "
            "needs "
            "attention."
        ),
    ),
    "spamdetected": Reason(
        N_("the email was judged to be spam"),
        Who.SENDER,
        N_("The recipient's spam filter judged the email's content or links to be spam."),
        N_(
            "Review the email's content and links; escalate to engineering if many recipients are "
            "affected. Not the customer's fault."
        ),
    ),
    "virusdetected": Reason(
        N_("the email was judged to carry a virus"),
        Who.SENDER,
        N_("The recipient's server found a virus or a dangerous attachment in the email."),
        _ESCALATE_ENGINEERING,
    ),
    "policyviolation": Reason(
        N_("the recipient's server refused it by policy"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "The recipient's server refused it by its own policy (content, headers or sender "
            "rules)."
        ),
        N_(
            "Read the server's words; ask the customer whether their IT blocks outside mail, or "
            "escalate if many recipients are affected."
        ),
    ),
    "securityerror": Reason(
        N_("the recipient's server refused it by security policy"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "The recipient's server refused it for a security reason (authentication, encryption "
            "or a security policy)."
        ),
        N_(
            "Escalate to engineering with the MessageId if many recipients are affected; otherwise "
            "ask the customer's IT whether they block outside mail."
        ),
    ),
    "authfailure": Reason(
        N_("our SPF/DKIM/DMARC check failed"),
        Who.SENDER,
        N_("The recipient's server checked our sender domain's SPF, DKIM or DMARC, and it failed."),
        N_(
            "Escalate to engineering: check our SPF, DKIM and DMARC records. Not the "
            "customer's fault."
        ),
    ),
    "requireptr": Reason(
        N_("our sending IP has no valid reverse DNS"),
        Who.TENCENT,
        N_(
            "The recipient's server wants the sending IP to have valid reverse DNS (PTR), and it "
            "did not."
        ),
        _ESCALATE_TENCENT,
        N_(
            "Tencent retries for up to {hours} hours. Escalate to Tencent support with the "
            "MessageId: the sending IP is theirs to fix. Not the customer's fault."
        ),
    ),
    "expired": Reason(
        N_("delivery attempts ran out"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "Delivery was retried until time ran out: the recipient's server kept refusing or "
            "could not be reached."
        ),
        N_(
            "Confirm the address with the customer; their IT checks that their mail server works. "
            "Resend once it does."
        ),
        final=True,
    ),
    "networkerror": Reason(
        N_("the recipient's mail server could not be reached"),
        Who.RECIPIENT_PROVIDER,
        N_("The recipient's mail server did not answer, or the connection or DNS lookup failed."),
        N_(
            "Confirm the domain with the customer; their IT checks their mail server. "
            "Resend it later; Tencent will not retry this email."
        ),
        _WAIT,
    ),
    "toomanyconn": Reason(
        N_("too many connections from our side"),
        Who.TENCENT,
        N_(
            "The recipient's server limits how many connections or recipients it takes from our "
            "sending IP at once."
        ),
        N_(
            "Resend it later; Tencent will not retry this email. Escalate to Tencent "
            "support if it keeps happening."
        ),
        _WAIT,
    ),
    "speeding": Reason(
        N_("the recipient is getting mail too fast"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "The recipient's server is taking mail for this recipient more slowly for now (too "
            "much mail in a short time)."
        ),
        _RESEND_LATER,
        _WAIT,
    ),
    "ratelimited": Reason(
        N_("the recipient's provider is limiting our mail"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "The recipient's provider is limiting how much mail it takes from our sending IP or "
            "domain for now (volume or reputation)."
        ),
        N_("Resend it later; Tencent will not retry this email. Escalate if it keeps happening."),
        _WAIT,
    ),
    "exceedlimit": Reason(
        N_("it exceeds the recipient's limits"),
        Who.SENDER,
        N_("The email exceeds a limit the recipient's server sets (size or number of recipients)."),
        N_(
            "Escalate to engineering if our emails are large (attachments); otherwise ask for "
            "another address."
        ),
    ),
    "mesgtoobig": Reason(
        N_("the email is too large"),
        Who.SENDER,
        N_("The email is larger than the recipient's server accepts."),
        N_(
            "Escalate to engineering if our emails are large (attachments); otherwise ask for "
            "another address."
        ),
    ),
    "contenterror": Reason(
        N_("the recipient's server could not handle the content"),
        Who.SENDER,
        N_("The recipient's server could not handle the email's format, headers or encoding."),
        _ESCALATE_ENGINEERING,
    ),
    "notcompliantrfc": Reason(
        N_("the email's format breaks the standard"),
        Who.SENDER,
        N_("The recipient's server says the email does not follow the email standards (RFC 5322)."),
        _ESCALATE_ENGINEERING,
    ),
    "syntaxerror": Reason(
        N_("the SMTP conversation went wrong"),
        Who.TENCENT,
        N_("The recipient's server did not understand a command from Tencent's mail server."),
        N_("Escalate to Tencent support with the MessageId if it keeps happening."),
    ),
    "systemerror": Reason(
        N_("the recipient's mail system had a problem"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "The recipient's mail system had a problem of its own (configuration, loop, internal "
            "error)."
        ),
        N_(
            "Resend it later; Tencent will not retry this email. If it keeps happening, the "
            "customer's IT checks their mail server."
        ),
        _WAIT,
    ),
    "systemfull": Reason(
        N_("the recipient's mail system is full"),
        Who.RECIPIENT_PROVIDER,
        N_("The recipient's mail system is out of storage or overloaded."),
        N_(
            "Resend it later; Tencent will not retry this email. If it keeps happening, the "
            "customer's IT checks their mail server."
        ),
        _WAIT,
    ),
    "mailererror": Reason(
        N_("the recipient's mail program failed"),
        Who.RECIPIENT_PROVIDER,
        N_("The program that delivers mail into the recipient's mailbox failed."),
        N_("Ask the customer's IT to check their mail delivery; resend once it works."),
    ),
    "suppressed": Reason(
        N_("the address is on Tencent's suppression list"),
        Who.CUSTOMER,
        N_(
            "Tencent did not send it: the address is on its suppression list, after an earlier "
            "hard "
            "bounce or because the recipient unsubscribed."
        ),
        N_(
            "Confirm the address with the customer; once it is confirmed valid, an operator "
            "can lift "
            "it from the blocklist (/emailstatus blocklist <address>)."
        ),
    ),
    "greylisted": Reason(
        N_("the recipient's server asked to try again later (greylisting)"),
        Who.RECIPIENT_PROVIDER,
        N_(
            "The recipient's server turns away first-time senders once (greylisting); the retry "
            "normally succeeds."
        ),
        N_("Resend it: greylisting lets the second attempt through."),
        N_("Wait: Tencent retries automatically and the retry normally succeeds."),
        final=False,
    ),
    "delivered": Reason(
        N_("the recipient's server accepted it"),
        Who.CUSTOMER,
        N_("The recipient's server accepted the email."),
        N_("Ask the customer to check the spam folder and add our sender to their contacts."),
        final=False,
    ),
    "undefined": Reason(
        N_("the reply does not say why"),
        Who.UNKNOWN,
        N_("The receiving server refused it and its reply does not say why in a way we recognise."),
        N_(
            "Read the server's words below; confirm the address with the customer, or escalate to "
            "engineering with the MessageId."
        ),
        N_(
            "Wait: Tencent retries for up to {hours} hours. If it then fails, read the "
            "server's words "
            "and escalate with the MessageId."
        ),
    ),
}
