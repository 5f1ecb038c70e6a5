"""Receiving-server replies for ``DeliverMessage``, modelled on SMTP-REPLIES.md.

Realistic wording (including Gmail's repeated ``550-5.1.1`` continuation prefixes) lets the
verdict classifier be tested against what real providers say. ``{address}`` is replaced by the
recipient. IPs are from the documentation range 203.0.113.0/24.
"""

from __future__ import annotations

DELIVERED: tuple[str, ...] = (
    "250 2.0.0 OK",
    "250 2.0.0 OK  1718000000 d2e1a72fcca58-70f0c5a1b2csi1234567b3a.412 - gsmtp",
    "250 Ok: queued as 4Y7kQZ2bPcz9rwB",
    "250 2.6.0 Queued mail for delivery",
    "250 OK: queued as.",
    "",
)

GMAIL_NO_SUCH_USER = (
    "550-5.1.1 The email account that you tried to reach does not exist. Please try "
    "550-5.1.1 double-checking the recipient's email address for typos or "
    "550-5.1.1 unnecessary spaces. For more information, go to "
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b2a2f5 - gsmtp"
)
GREYLISTED = "451 4.7.1 Greylisted, please try again later"
OVER_QUOTA = "552 5.2.2 user is over quota"

#: DeliverStatus 3: the recipient's provider refused the email for good.
BOUNCED: tuple[str, ...] = (
    GMAIL_NO_SUCH_USER,
    "550-5.1.1 The email account that you tried to reach does not exist.",
    "550 Mailbox not found. "
    "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728",
    "550 User not found: {address}",
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
    "Recipient {address} not found by SMTP address lookup",
    "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).",
    "550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table",
    "550 5.1.1 <{address}>: inactive email address",
    "554 delivery error: dd This user doesn't have an account ({address}) [0] - mta4012.mail.gq1",
    "550-5.2.1 The email account that you tried to reach is disabled. "
    "550 5.2.1  https://support.google.com/mail/?p=DisabledUser - gsmtp",
    "550 User suspended",
    "550 5.7.1 Service unavailable, Client host [203.0.113.25] blocked using Spamhaus.",
    "554 DT:SPM 163 mx12,x8CowAD3Xw0a5Vhn: please see http://mail.163.com/help/help_spam_16.htm",
    OVER_QUOTA,
)

#: DeliverStatus 8: temporarily refused; SES keeps retrying.
DEFERRED: tuple[str, ...] = (
    GREYLISTED,
    "450 4.2.0 <{address}>: Recipient address rejected: Greylisted, see "
    "http://postgrey.schweikert.ch/help/",
    "452-4.2.2 The email account that you tried to reach is over quota. Please direct the "
    "452-4.2.2 recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp - gsmtp",
    "421 4.7.0 [TSS04] Messages from 203.0.113.25 temporarily deferred due to unexpected volume "
    "or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    "451 4.7.650 The mail server [203.0.113.25] has been temporarily rate limited due to IP "
    "reputation.",
    "451 MI:SFQ Sender frequency limited, please try again later",
    "421 4.4.1 Connection timed out",
)

#: DeliverStatus 2: Tencent discarded the email itself.
DROPPED: tuple[str, ...] = (
    "The recipient address is on the suppression list after an earlier hard bounce.",
    "Message discarded: the recipient unsubscribed from this sender domain.",
    "550 5.4.4 Unable to route: no MX record found for the recipient domain",
)


def render(template: str, address: str) -> str:
    """The reply with the recipient filled in; templates without a placeholder are shared."""
    return template.replace("{address}", address) if "{address}" in template else template
