"""What every SES status and error code means, as data: a headline, a plain explanation and a
next step a support agent can act on.

Sources: the SDK's ``SendEmailStatus`` docstring (status codes), its ``errorcodes.py`` and the
GetSendEmailStatus API page (business error codes), Tencent Cloud API 3.0's common error codes,
and the SDK's own client-side codes. Where the pages and the SDK source disagree, the source
wins. Lookups never raise: a code Tencent adds tomorrow reads as "unknown (code N)".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from emailstatus.i18n import N_, _, is_english

#: How long Tencent keeps status, said the same way everywhere (its docs promise 30 days; the
#: NotSupportDate error's own text says 90, so 31..90 days back is tried, never promised).
RETENTION = N_("Tencent keeps status for about 30 days")


class Actor(StrEnum):
    """Who has to do something about a failure."""

    USER = "user"
    OPERATOR = "operator"
    TENCENT = "tencent"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """The plain-language reading of one status code."""

    headline: str
    explanation: str
    next_step: str
    #: Detail for whoever runs emailstatus (API names, settings); small print, never the step.
    operator_note: str = ""


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """The plain-language reading of one API error code, and how to treat it."""

    headline: str
    explanation: str
    next_step: str
    actor: Actor
    retryable: bool
    #: Detail for whoever runs emailstatus (API names, settings); small print, never the step.
    operator_note: str = ""


# --- SendStatus: what Tencent itself did with the request ----------------------------------

_TENCENT_INTERNAL = CodeInfo(
    N_("Refused: Tencent had an internal error"),
    N_(
        "Tencent's own system failed while handling this email, so it never left Tencent. "
        "Nothing is wrong with the address."
    ),
    N_("Resend the email. If it happens again, escalate to Tencent support with the MessageId."),
)

SEND_STATUS: Mapping[int, CodeInfo] = {
    0: CodeInfo(
        N_("Accepted by Tencent"),
        N_("Tencent accepted the request and handed the email on for delivery."),
        N_("Look at the delivery status: it says what the recipient's side did."),
    ),
    1001: _TENCENT_INTERNAL,
    1002: _TENCENT_INTERNAL,
    1003: _TENCENT_INTERNAL,
    1004: CodeInfo(
        N_("Refused: Tencent timed out sending it"),
        N_("Tencent's system timed out while sending, so the email did not go out."),
        N_(
            "Resend the email. If it happens again, escalate to Tencent support with the MessageId."
        ),
    ),
    1005: _TENCENT_INTERNAL,
    1006: CodeInfo(
        N_("Refused: too many emails to this address in an hour"),
        N_(
            "By default Tencent sends at most 10 emails an hour to the same address; this one was "
            "over that limit and was refused."
        ),
        N_(
            "Resend after an hour. If our product often mails one address that much, tell an "
            "operator."
        ),
    ),
    1007: CodeInfo(
        N_("Refused: the address is on a blocklist"),
        N_(
            "This address is on a blocklist, so Tencent refuses to send to it: either Tencent's "
            "own (after an earlier hard bounce or complaint) or our account's custom blocklist. "
            "The code does not say which."
        ),
        N_(
            "Confirm the address with the customer; once it is confirmed valid, ask an operator to "
            "take it off the blocklist."
        ),
        N_(
            "Operator: Tencent's list is ListBlackEmailAddress / DeleteBlackList; the account's "
            "custom list is ListCustomBlacklist / DeleteCustomBlackList (DeleteBlackList does not "
            "touch it)."
        ),
    ),
    1008: CodeInfo(
        N_("Refused: the recipient's side rejects our sender domain"),
        N_(
            "The recipient's mail provider refuses mail from our sender domain, so Tencent did not "
            "send it."
        ),
        N_(
            "Ask the customer to allow-list our sender address. If many recipients at one provider "
            "are affected, escalate."
        ),
    ),
    1009: _TENCENT_INTERNAL,
    1010: CodeInfo(
        N_("Refused: the daily sending limit is used up"),
        N_(
            "The account reached its daily sending limit (it grows with the sender domain's "
            "reputation level), so Tencent refused further emails today."
        ),
        N_("Resend tomorrow. If the limit is too low for our volume, escalate to an operator."),
    ),
    1011: CodeInfo(
        N_("Refused: this account may only send with templates"),
        N_(
            "The Tencent account has no permission to send custom content; only approved templates "
            "can be used."
        ),
        N_("Escalate to an operator: the sending code must use an approved template."),
    ),
    1013: CodeInfo(
        N_("Refused: the recipient unsubscribed from our sender domain"),
        N_(
            "The recipient unsubscribed, and after an unsubscribe Tencent stops our sender domain "
            "from mailing the address."
        ),
        N_(
            "Don't resend. If the customer wants these emails again, they must re-subscribe in our "
            "product."
        ),
    ),
    2001: CodeInfo(
        N_("Status unknown: Tencent has no related record"),
        N_(
            "Tencent reports no related record for this email (SendStatus 2001), so it cannot say "
            "what happened to it."
        ),
        N_("Escalate to an operator with the MessageId."),
    ),
    3007: CodeInfo(
        N_("Refused: the template is invalid or unavailable"),
        N_("The email asked for a template ID that does not exist or is not approved."),
        N_("Escalate to an operator: check the template ID and its approval in the SES console."),
    ),
    3008: CodeInfo(
        N_("Refused: the recipient's provider is temporarily blocking us"),
        N_(
            "The recipient's mail provider hit a limit, so Tencent pauses sending to that provider "
            "for about 10 minutes; the pause lifts by itself."
        ),
        N_("Resend after 10 minutes."),
    ),
    3009: CodeInfo(
        N_("Refused: no permission to use this template"),
        N_("The account is not allowed to use the template the email asked for."),
        N_("Escalate to an operator: check which account owns the template."),
    ),
    3010: CodeInfo(
        N_("Refused: the template data is not valid JSON"),
        N_("The template variables (TemplateData) sent with the email were not valid JSON."),
        N_("Escalate to engineering: this is a bug in the code that sends the email."),
    ),
    3014: CodeInfo(
        N_("Refused: the sender domain is not verified"),
        N_(
            "Tencent only sends from verified domains, and the sender's domain has not passed (or "
            "has lost) verification."
        ),
        N_("Escalate to an operator: verify the sender domain's DNS records in the SES console."),
    ),
    3020: CodeInfo(
        N_("Refused: this kind of recipient mailbox is blocklisted"),
        N_(
            "Tencent refuses this type of recipient mailbox (the SDK says the mailbox type is on "
            "the blocklist)."
        ),
        N_(
            "Ask the customer for an address at another provider; escalate if a common provider is "
            "affected."
        ),
    ),
    3024: CodeInfo(
        N_("Refused: the address failed the format check"),
        N_("The recipient address is not a well-formed email address."),
        N_("Check the address with the customer (typos, spaces, missing @) and correct it."),
    ),
    3030: CodeInfo(
        N_("Refused: sending is restricted because our bounce rate is too high"),
        N_(
            "Tencent temporarily restricted sending for the whole account because too many recent "
            "emails bounced (healthy means a bounce rate up to 5%)."
        ),
        N_(
            "Escalate now: this affects every customer. Clean the lists (stop mailing addresses "
            "that bounce) and ask Tencent to lift the restriction."
        ),
    ),
    3033: CodeInfo(
        N_("Refused: the Tencent account is out of balance"),
        N_(
            "The Tencent Cloud account has insufficient balance or is in arrears, so nothing "
            "is sent."
        ),
        N_("Escalate to an operator: top up the Tencent Cloud account."),
    ),
}


# --- DeliverStatus: what the receiving side did (meaningful when SendStatus is 0) ------------

DELIVER_STATUS: Mapping[int, CodeInfo] = {
    0: CodeInfo(
        N_("Queued: waiting to be delivered"),
        N_("Tencent accepted the email and it is waiting in the send queue."),
        N_("Wait: delivery usually takes seconds to minutes."),
    ),
    1: CodeInfo(
        N_("Delivered"),
        N_(
            "The recipient's mail server accepted the email. Whether it went to the inbox or the "
            "spam folder is up to the recipient's provider."
        ),
        N_(
            "If the customer can't find it, ask them to check the spam folder and add our sender "
            "address to their contacts."
        ),
    ),
    2: CodeInfo(
        N_("Dropped: Tencent gave no reason"),
        N_("Tencent discarded the email instead of delivering it, and its reply does not say why."),
        N_(
            "Escalate to an operator with the MessageId: Tencent support can say why it was "
            "dropped."
        ),
    ),
    3: CodeInfo(
        N_("Bounced: the recipient's mail server rejected it"),
        N_(
            "The recipient's mail server refused the email, usually because the mailbox does not "
            "exist. A hard bounce also puts the address on Tencent's blocklist."
        ),
        N_(
            "Confirm the address with the customer; once it is confirmed valid, ask an operator to "
            "take it off the blocklist."
        ),
        N_("Operator: ListBlackEmailAddress shows the entry, DeleteBlackList removes it."),
    ),
    8: CodeInfo(
        N_("Delayed: the recipient's server asked Tencent to try later"),
        N_(
            "The recipient's mail server temporarily refused or delayed the email (a soft bounce "
            "or greylisting), and Tencent keeps retrying."
        ),
        N_("Wait: Tencent keeps trying. Check again later."),
    ),
}


#: DeliverStatus 2 ("discarded; DeliverMessage says why"): when Tencent itself drops an email, the
#: message is Tencent's own words, not a receiving server's SMTP reply, so these come first.
#: Matched as lower-case substrings.
TENCENT_DROP_REASONS: tuple[tuple[tuple[str, ...], CodeInfo], ...] = (
    (
        ("unsubscribed",),
        CodeInfo(
            N_("Dropped: the recipient unsubscribed from our sender domain"),
            N_(
                "Tencent dropped the email because the recipient unsubscribed; after an "
                "unsubscribe "
                "Tencent stops our sender domain from mailing the address."
            ),
            N_(
                "Don't resend. If the customer wants these emails again, they must re-subscribe in "
                "our product."
            ),
        ),
    ),
    (
        ("suppression list", "suppressed"),
        CodeInfo(
            N_("Dropped: suppressed after an earlier bounce"),
            N_(
                "Tencent dropped the email without trying: an earlier email to this address hard-"
                "bounced, so the address is on Tencent's blocklist."
            ),
            N_(
                "Confirm the address with the customer; once it is confirmed valid, ask an "
                "operator "
                "to take it off the blocklist."
            ),
            N_("Operator: ListBlackEmailAddress shows the entry, DeleteBlackList removes it."),
        ),
    ),
)


_Info = TypeVar("_Info", CodeInfo, ErrorInfo)


def said(info: _Info) -> _Info:
    """``info`` in the reader's language: the tables hold English, read where they are used."""
    if is_english():
        return info
    return replace(
        info,
        headline=_(info.headline),
        explanation=_(info.explanation),
        next_step=_(info.next_step),
        operator_note=_(info.operator_note),
    )


def tencent_drop_reason(message: str) -> CodeInfo | None:
    """Tencent's own reason for dropping an email, if its message gives one we know."""
    text = message[:500].lower()
    for needles, info in TENCENT_DROP_REASONS:
        if any(needle in text for needle in needles):
            return said(info)
    return None


def send_status_info(code: int) -> CodeInfo:
    """The reading of a SendStatus; an unknown code reads as "unknown (code N)"."""
    known = SEND_STATUS.get(code)
    if known is not None:
        return said(known)
    return CodeInfo(
        _("Refused: unknown (code {code})").format(code=code),
        _(
            "Tencent did not send the email and gave SendStatus {code}, which this tool does not "
            "know yet."
        ).format(code=code),
        _("Escalate with the MessageId, and tell the maintainers about the new code."),
    )


def deliver_status_info(code: int) -> CodeInfo:
    """The reading of a DeliverStatus; an unknown code reads as "unknown (code N)"."""
    known = DELIVER_STATUS.get(code)
    if known is not None:
        return said(known)
    return CodeInfo(
        _("Status unknown (code {code})").format(code=code),
        _("Tencent gave DeliverStatus {code}, which this tool does not know yet.").format(
            code=code
        ),
        _("Check the email in the SES console, and tell the maintainers about the new code."),
    )


# --- API errors: Response.Error.Code, plus the SDK's and our client's own codes ---------------

#: SendStatus for "no related record": Tencent cannot say what happened, not a refusal.
NO_RELATED_RECORD = 2001

#: Our client's code for an answer that is not what the API promises (not JSON, no Response).
MALFORMED_RESPONSE = "MalformedResponse"
#: Our client's code for a success whose ``EmailStatusList`` is missing: not "no emails".
INCOMPLETE_RESPONSE = "IncompleteResponse"
#: Our client's code for an answer over ``tencent.transport.MAX_RESPONSE_BYTES``: not read at all.
RESPONSE_TOO_LARGE = "ResponseTooLarge"

_MALFORMED = ErrorInfo(
    N_("Tencent's answer could not be read"),
    N_(
        "The answer was not the JSON the API promises (a proxy page, a cut-off body or a missing "
        "Response), so nothing in it can be trusted."
    ),
    N_("Try again in a minute. If it persists, escalate with the time of the attempt."),
    Actor.TENCENT,
    retryable=True,
)
_RATE_LIMITED = ErrorInfo(
    N_("Too many lookups at once"),
    N_(
        "Our own requests went over Tencent's limit for this account (20 a second for the status "
        "lookup, shared by every lookup and the daily digest); emailstatus tried several times, "
        "waiting longer each time."
    ),
    N_("Try again in a few seconds. If it happens often, tell whoever runs emailstatus."),
    Actor.OPERATOR,
    retryable=True,
    operator_note=N_(
        "Operator: lower EMAILSTATUS_SES_RATE or EMAILSTATUS_DIGEST_RATE, or move "
        "the digest away from busy hours."
    ),
)
_BAD_CREDENTIALS = ErrorInfo(
    N_("Tencent rejected our API key"),
    N_("The SecretId/SecretKey this deployment uses is wrong, deleted or disabled."),
    N_("Operator: check the Tencent credentials in the settings (SSM) against the CAM console."),
    Actor.OPERATOR,
    retryable=False,
)
_BAD_SIGNATURE = ErrorInfo(
    N_("Tencent rejected the request signature"),
    N_(
        "The request's signature did not match: usually the SecretKey does not belong to the "
        "SecretId."
    ),
    N_("Operator: re-enter the SecretId and SecretKey as a matching pair."),
    Actor.OPERATOR,
    retryable=False,
)
_NO_PERMISSION = ErrorInfo(
    N_("Our API key lacks permission"),
    N_("The Tencent API key emailstatus uses is not allowed to look up email status."),
    N_("Tell whoever runs emailstatus: the key needs permission to read SES email status."),
    Actor.OPERATOR,
    retryable=False,
    operator_note=N_(
        "Operator: attach infra/tencent-cam-policy.json (ses:GetSendEmailStatus, "
        "ses:GetStatisticsReport) to the key's CAM user."
    ),
)
_BAD_INPUT = ErrorInfo(
    N_("Tencent rejected a value in the request"),
    N_("One of the values sent (date, address, MessageId) is not valid for this API."),
    N_("Check the address, MessageId and dates, and try again."),
    Actor.USER,
    retryable=False,
)
_CLIENT_MISUSE = ErrorInfo(
    N_("The Tencent SDK refused to build the request"),
    N_(
        "The SDK stopped before calling Tencent: a setting (signature method, endpoint, "
        "language) or a credential is not usable."
    ),
    N_(
        "Operator: check the SES settings and credentials; escalate to engineering if they are "
        "right."
    ),
    Actor.OPERATOR,
    retryable=False,
)

API_ERRORS: Mapping[str, ErrorInfo] = {
    # Transient: retried, waiting longer each time.
    "RequestLimitExceeded": _RATE_LIMITED,
    "InternalError": ErrorInfo(
        N_("Tencent had an internal error"),
        N_("Something failed inside Tencent; the request itself was fine."),
        N_(
            "Try again in a minute. If it persists, escalate to Tencent support with the RequestId."
        ),
        Actor.TENCENT,
        retryable=True,
    ),
    "InternalError.QueryDataBaseFailed": ErrorInfo(
        N_("Tencent's database query failed"),
        N_("Tencent's status database timed out or failed while answering."),
        N_(
            "Try again in a minute. If it persists, escalate to Tencent support with the RequestId."
        ),
        Actor.TENCENT,
        retryable=True,
    ),
    "ServiceUnavailable": ErrorInfo(
        N_("Tencent SES is temporarily unavailable"),
        N_("The SES service is not answering right now."),
        N_("Try again in a few minutes; check Tencent Cloud's status page if it persists."),
        Actor.TENCENT,
        retryable=True,
    ),
    "FailedOperation.ServiceNotAvailable": ErrorInfo(
        N_("Tencent SES is temporarily unavailable"),
        N_("Tencent reported a temporary error: the request did not take effect."),
        N_("Try again in a few minutes."),
        Actor.TENCENT,
        retryable=True,
    ),
    "ClientNetworkError": ErrorInfo(
        N_("Tencent could not be reached"),
        N_("The connection to Tencent failed or timed out before an answer arrived."),
        N_(
            "Try again. If it persists, an operator checks the endpoint setting and the network "
            "path to Tencent."
        ),
        Actor.TENCENT,
        retryable=True,
    ),
    "ServerNetworkError": ErrorInfo(
        N_("Tencent answered with an HTTP error"),
        N_("Tencent (or a proxy on the way) answered with an HTTP status other than 200."),
        N_("Try again. If it persists, an operator checks the endpoint setting."),
        Actor.TENCENT,
        retryable=True,
    ),
    # Answers that cannot be trusted. The SDK names a non-SDK failure after its exception type.
    MALFORMED_RESPONSE: _MALFORMED,
    "JSONDecodeError": _MALFORMED,
    "KeyError": _MALFORMED,
    "TypeError": _MALFORMED,
    RESPONSE_TOO_LARGE: ErrorInfo(
        N_("Tencent's answer was far too large"),
        N_(
            "The answer was larger than any page of emails can be, so it was not read: the "
            "endpoint is not behaving like Tencent SES."
        ),
        N_(
            "Check the endpoint setting (EMAILSTATUS_SES_ENDPOINT); if it is Tencent's, escalate "
            "to Tencent support with the time of the attempt."
        ),
        Actor.OPERATOR,
        retryable=False,
    ),
    INCOMPLETE_RESPONSE: ErrorInfo(
        N_("Tencent's answer was incomplete"),
        N_(
            "Tencent reported success but left out the list of emails, so 'no emails' cannot be "
            "told apart from a fault."
        ),
        N_(
            "Try again in a minute. If it persists, escalate to Tencent support with the RequestId."
        ),
        Actor.TENCENT,
        retryable=True,
    ),
    # The SDK's own client-side codes: the request never left this machine.
    "ClientError": _CLIENT_MISUSE,
    "ClientParamsError": _CLIENT_MISUSE,
    "ClientSideError": _CLIENT_MISUSE,
    "InvalidCredential": _BAD_CREDENTIALS,
    # Credentials, permissions and configuration: the operator must act; retrying won't help.
    "AuthFailure": ErrorInfo(
        N_("Tencent refused our credentials"),
        N_("Tencent could not authenticate or authorize this deployment's API key."),
        N_("Operator: check the Tencent credentials and their CAM permissions."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.SecretIdNotFound": _BAD_CREDENTIALS,
    "AuthFailure.InvalidSecretId": _BAD_CREDENTIALS,
    "AuthFailure.SignatureFailure": _BAD_SIGNATURE,
    "AuthFailure.InvalidAuthorization": _BAD_SIGNATURE,
    "AuthFailure.SignatureExpire": ErrorInfo(
        N_("Tencent rejected the request as expired"),
        N_(
            "The request's timestamp was more than 5 minutes off Tencent's clock: this machine's "
            "clock is wrong."
        ),
        N_("Operator: fix the clock (enable NTP time sync) on the machine that calls Tencent."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.TokenFailure": ErrorInfo(
        N_("Tencent rejected the session token"),
        N_("The temporary credentials' token is wrong or has expired."),
        N_("Operator: renew the temporary credentials, or use a permanent key."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.MFAFailure": ErrorInfo(
        N_("Tencent requires MFA for this key"),
        N_("The CAM user's settings require multi-factor authentication for API calls."),
        N_("Operator: use a CAM user meant for API access, without an MFA requirement."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.UnauthorizedOperation": _NO_PERMISSION,
    "UnauthorizedOperation": _NO_PERMISSION,
    "OperationDenied": ErrorInfo(
        N_("Tencent denied the operation"),
        N_("Tencent refused to carry out the request for this account."),
        N_(
            "Operator: check the account's SES setup in the console; escalate to Tencent support "
            "if it looks right."
        ),
        Actor.OPERATOR,
        retryable=False,
    ),
    "IpInBlacklist": ErrorInfo(
        N_("Tencent blocks the IP we call from"),
        N_("The calling IP address is on the account's or Tencent's blocklist."),
        N_("Operator: check the API key's IP restrictions in the CAM console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "IpNotInWhitelist": ErrorInfo(
        N_("The IP we call from is not allowed"),
        N_("The API key only accepts calls from listed IP addresses, and ours is not one of them."),
        N_(
            "Operator: add the function's egress IP to the key's allow-list, or lift the "
            "restriction."
        ),
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnsupportedRegion": ErrorInfo(
        N_("SES is not offered in the configured region"),
        N_(
            "The region setting names a region where this SES API does not exist (the "
            "international site supports ap-singapore)."
        ),
        N_(
            "Operator: set the SES region to ap-singapore (international) or ap-guangzhou / "
            "ap-hongkong (China site), matching the endpoint."
        ),
        Actor.OPERATOR,
        retryable=False,
    ),
    "InvalidAction": ErrorInfo(
        N_("Tencent does not know the requested action"),
        N_("The API action (or its version) does not exist at the configured endpoint."),
        N_("Operator: check the SES endpoint setting; escalate to engineering if it is right."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "ActionOffline": ErrorInfo(
        N_("Tencent has retired this API action"),
        N_("The API action this tool calls has been taken offline."),
        N_("Escalate to engineering: the tool needs updating."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "NoSuchProduct": ErrorInfo(
        N_("The endpoint does not serve SES"),
        N_("The configured endpoint does not host the SES product."),
        N_("Operator: check the SES endpoint setting."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "NoSuchVersion": ErrorInfo(
        N_("Tencent does not know the API version"),
        N_("The API version (2020-10-02) is not served at the configured endpoint."),
        N_("Operator: check the SES endpoint setting."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnsupportedProtocol": ErrorInfo(
        N_("Tencent refused the HTTP method"),
        N_("The request used an HTTP method Tencent's API does not accept (only GET and POST)."),
        N_("Escalate to engineering: the client sent the request with the wrong method."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnsupportedOperation": ErrorInfo(
        N_("Tencent does not support this operation"),
        N_("The operation is not supported for this account or in this form."),
        N_("Escalate to an operator."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnknownParameter": ErrorInfo(
        N_("Tencent did not recognise a request parameter"),
        N_(
            "The request carried a parameter this API does not know: a mismatch between the tool "
            "and the API version."
        ),
        N_("Escalate to engineering."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "InvalidRequest": ErrorInfo(
        N_("Tencent could not parse the request"),
        N_("The request body was not in the format Tencent expects."),
        N_("Escalate to engineering."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation": ErrorInfo(
        N_("Tencent could not carry out the request"),
        N_("Tencent refused the request for a business reason of its own."),
        N_("Escalate to an operator with the RequestId and Tencent's message."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.InvalidLimit": ErrorInfo(
        N_("Tencent refused the page size"),
        N_("The request asked for more than 100 records at once, the API's maximum."),
        N_("Escalate to engineering: the tool must page with Limit 100 or less."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.SendEmailErr": ErrorInfo(
        N_("Tencent reports a problem with our sending"),
        N_("Tencent found a problem with this account's sending and asks for a support ticket."),
        N_("Escalate: an operator opens a Tencent support ticket."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "LimitExceeded": ErrorInfo(
        N_("A Tencent quota was exceeded"),
        N_("The request went over one of the account's quotas."),
        N_("Operator: check the account's SES quotas in the console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "RequestSizeLimitExceeded": ErrorInfo(
        N_("The request was too large for Tencent"),
        N_("The request body went over Tencent's size limit."),
        N_("Escalate to engineering."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResponseSizeLimitExceeded": ErrorInfo(
        N_("Tencent's answer would be too large"),
        N_("The answer would exceed Tencent's size limit."),
        N_("Escalate to engineering: ask for smaller pages."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceInsufficient": ErrorInfo(
        N_("Tencent reports insufficient resources"),
        N_("Tencent does not have (or the account has not bought) enough of a resource."),
        N_("Operator: check the account's SES packages in the console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceNotFound": ErrorInfo(
        N_("Tencent could not find the resource"),
        N_("Something the request refers to does not exist in this account."),
        N_("Operator: check the SES setup in the console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceUnavailable": ErrorInfo(
        N_("The Tencent resource is unavailable"),
        N_("Something the request refers to exists but cannot be used now."),
        N_("Operator: check the SES setup in the console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceInUse": ErrorInfo(
        N_("The Tencent resource is in use"),
        N_("Something the request refers to is busy."),
        N_("Try again later; escalate to an operator if it persists."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "DryRunOperation": ErrorInfo(
        N_("Tencent only checked the request"),
        N_("The request was a dry run: it would have succeeded, but nothing was done."),
        N_("Escalate to engineering: the tool should not send dry runs."),
        Actor.OPERATOR,
        retryable=False,
    ),
    # The user's input: they can fix it themselves.
    "InvalidParameter": _BAD_INPUT,
    "InvalidParameterValue": _BAD_INPUT,
    "MissingParameter": ErrorInfo(
        N_("A value Tencent requires was left out"),
        N_(
            "Tencent says a required parameter is missing. emailstatus always sends the required "
            "ones (the date, the page offset and size), so this is a bug in emailstatus, not "
            "something you typed."
        ),
        N_("Tell whoever runs emailstatus, with the RequestId."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "InvalidParameterValue.WrongDate": ErrorInfo(
        N_("Tencent rejected the date"),
        N_("The date is not a valid calendar date in the form Tencent expects (YYYY-MM-DD)."),
        N_("Give a real date, such as 2024-05-31, or 'today' or 'yesterday'."),
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.NotSupportDate": ErrorInfo(
        N_("Tencent no longer has status for that date"),
        N_(
            "Tencent keeps status for about 30 days, and the date asked for is older than what "
            "it still has."
        ),
        N_("Ask about a more recent date; older emails cannot be looked up."),
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.IncorrectEmail": ErrorInfo(
        N_("Tencent rejected the email address"),
        N_("The address is not a valid email address."),
        N_("Check the address for typos (spaces, missing @) and try again."),
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.EmailAddressIsNULL": ErrorInfo(
        N_("An email address was empty"),
        N_("The request carried an empty recipient or sender address."),
        N_("Give the full email address and try again."),
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.IllegalEmailAddress": ErrorInfo(
        N_("Tencent rejected the email address"),
        N_("The address is not in a valid email address format."),
        N_("Check the address for typos and try again."),
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.ReceiverEmailInvalid": ErrorInfo(
        N_("Tencent rejected the recipient address"),
        N_("The recipient address is not valid."),
        N_("Check the address for typos and try again."),
        Actor.USER,
        retryable=False,
    ),
    # Send-time business codes (SendEmail): they explain why an email was refused when it was
    # sent. Several mirror a SendStatus (1006, 1007, 1010, 3008, 3030, 3033).
    "FailedOperation.EmailAddrInBlacklist": ErrorInfo(
        N_("The address is on Tencent's blocklist"),
        N_("Tencent refuses to send to this address after an earlier hard bounce or complaint."),
        N_(
            "Confirm the address with the customer; once it is confirmed valid, ask an operator to "
            "take it off the blocklist."
        ),
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.FrequencyLimit": ErrorInfo(
        N_("Too many emails to the same address"),
        N_("Too many emails went to the same address in a short time (by default 10 an hour)."),
        N_("Resend after an hour."),
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.ExceedSendLimit": ErrorInfo(
        N_("The daily sending limit is used up"),
        N_(
            "The account reached its daily sending limit, which depends on the sender domain's "
            "reputation level."
        ),
        N_("Resend tomorrow; if the limit is too low, escalate to an operator."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.HighRejectionRate": ErrorInfo(
        N_("Sending is blocked for a high rejection rate"),
        N_(
            "Tencent temporarily blocked sending because too many recent emails were rejected or "
            "bounced."
        ),
        N_(
            "Escalate now: clean the lists (stop mailing addresses that bounce) and ask Tencent to "
            "lift the block."
        ),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.TemporaryBlocked": ErrorInfo(
        N_("Sending to that provider is paused for 10 minutes"),
        N_(
            "The recipient's provider hit a limit, so Tencent pauses sending to it for 10 minutes; "
            "the pause lifts by itself."
        ),
        N_("Resend after 10 minutes."),
        Actor.TENCENT,
        retryable=False,
    ),
    "FailedOperation.InsufficientBalance": ErrorInfo(
        N_("The Tencent account is out of balance"),
        N_("The Tencent Cloud account has insufficient balance or is in arrears."),
        N_("Escalate to an operator: top up the Tencent Cloud account."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.InsufficientQuota": ErrorInfo(
        N_("The SES package is used up"),
        N_("The account's prepaid SES email package has no emails left."),
        N_("Escalate to an operator: buy more SES package quota."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.NotAuthenticatedSender": ErrorInfo(
        N_("The sender is not verified"),
        N_("Tencent only sends from verified sender addresses and domains."),
        N_("Escalate to an operator: verify the sender in the SES console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.InvalidTemplateID": ErrorInfo(
        N_("The template is invalid or unavailable"),
        N_("The template ID does not exist or is not approved."),
        N_("Escalate to an operator: check the template in the SES console."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.WithOutPermission": ErrorInfo(
        N_("This account may only send with templates"),
        N_("The account has no permission to send custom content."),
        N_("Escalate to an operator: the sending code must use an approved template."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.WrongContentJson": ErrorInfo(
        N_("The template data is not valid JSON"),
        N_("The TemplateData sent with the email was not valid JSON."),
        N_("Escalate to engineering: this is a bug in the code that sends the email."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.EmailContentToolarge": ErrorInfo(
        N_("The email is too large"),
        N_("The email's content is over Tencent's size limit."),
        N_("Escalate to engineering: make the email smaller."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.TooManyRecipients": ErrorInfo(
        N_("Too many recipients in one request"),
        N_("One send request can address at most 50 recipients."),
        N_("Escalate to engineering: split the send into batches of 50."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.UnsupportMailType": ErrorInfo(
        N_("Tencent does not support this type of email"),
        N_("The email's type is not one Tencent supports."),
        N_("Escalate to engineering."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.ProtocolCheckErr": ErrorInfo(
        N_("Tencent rejected the request's protocol"),
        N_("The request did not pass Tencent's protocol check."),
        N_("Escalate to engineering."),
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.ReceiverHasUnsubscribed": ErrorInfo(
        N_("The recipient unsubscribed"),
        N_("The recipient unsubscribed, and Tencent stops our sender domain from mailing them."),
        N_(
            "Don't resend. If the customer wants these emails again, they must re-subscribe in our "
            "product."
        ),
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.RejectedByRecipients": ErrorInfo(
        N_("The recipient refuses our email"),
        N_("The recipient's side rejects mail from our sender."),
        N_("Ask the customer to allow-list our sender address."),
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.EmailContentIsWrong": ErrorInfo(
        N_("The email content is malformed"),
        N_("The email's TEXT/HTML content was not valid base64."),
        N_("Escalate to engineering: this is a bug in the code that sends the email."),
        Actor.OPERATOR,
        retryable=False,
    ),
}


def error_info(code: str) -> ErrorInfo:
    """The reading of an API error code: exact match, then its family (``AuthFailure.Xyz`` reads
    as ``AuthFailure``), else a generic, non-retryable reading that names the code."""
    candidate = code
    while True:
        if candidate in API_ERRORS:
            return said(API_ERRORS[candidate])
        if "." not in candidate:
            break
        candidate = candidate.rsplit(".", 1)[0]
    shown = code or _("an error without a code")
    return ErrorInfo(
        _("Tencent answered {code}").format(code=shown),
        _("Tencent returned {code}, which this tool does not know.").format(code=shown),
        _("Escalate to an operator with the RequestId and Tencent's message."),
        Actor.OPERATOR,
        retryable=False,
    )
