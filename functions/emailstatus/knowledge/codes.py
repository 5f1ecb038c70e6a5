"""What every SES status and error code means, as data: a headline, a plain explanation and a
next step a support agent can act on.

Sources: the SDK's ``SendEmailStatus`` docstring (status codes), its ``errorcodes.py`` and the
GetSendEmailStatus API page (business error codes), Tencent Cloud API 3.0's common error codes,
and the SDK's own client-side codes. Where the pages and the SDK source disagree, the source
wins. Lookups never raise: a code Tencent adds tomorrow reads as "unknown (code N)".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

#: How long Tencent keeps status, said the same way everywhere (its docs promise 30 days; the
#: NotSupportDate error's own text says 90, so 31..90 days back is tried, never promised).
RETENTION = "Tencent keeps status for about 30 days"


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
    "Refused: Tencent had an internal error",
    "Tencent's own system failed while handling this email, so it never left Tencent. "
    "Nothing is wrong with the address.",
    "Resend the email. If it happens again, escalate to Tencent support with the MessageId.",
)

SEND_STATUS: Mapping[int, CodeInfo] = {
    0: CodeInfo(
        "Accepted by Tencent",
        "Tencent accepted the request and handed the email on for delivery.",
        "Look at the delivery status: it says what the recipient's side did.",
    ),
    1001: _TENCENT_INTERNAL,
    1002: _TENCENT_INTERNAL,
    1003: _TENCENT_INTERNAL,
    1004: CodeInfo(
        "Refused: Tencent timed out sending it",
        "Tencent's system timed out while sending, so the email did not go out.",
        "Resend the email. If it happens again, escalate to Tencent support with the MessageId.",
    ),
    1005: _TENCENT_INTERNAL,
    1006: CodeInfo(
        "Refused: too many emails to this address in an hour",
        "By default Tencent sends at most 10 emails an hour to the same address; this one was "
        "over that limit and was refused.",
        "Resend after an hour. If our product often mails one address that much, tell an operator.",
    ),
    1007: CodeInfo(
        "Refused: the address is on a blocklist",
        "This address is on a blocklist, so Tencent refuses to send to it: either Tencent's "
        "own (after an earlier hard bounce or complaint) or our account's custom blocklist. "
        "The code does not say which.",
        "Confirm the address with the customer; once it is confirmed valid, ask an operator to "
        "take it off the blocklist.",
        "Operator: Tencent's list is ListBlackEmailAddress / DeleteBlackList; the account's "
        "custom list is ListCustomBlacklist / DeleteCustomBlackList (DeleteBlackList does not "
        "touch it).",
    ),
    1008: CodeInfo(
        "Refused: the recipient's side rejects our sender domain",
        "The recipient's mail provider refuses mail from our sender domain, so Tencent did not "
        "send it.",
        "Ask the customer to allow-list our sender address. If many recipients at one provider "
        "are affected, escalate.",
    ),
    1009: _TENCENT_INTERNAL,
    1010: CodeInfo(
        "Refused: the daily sending limit is used up",
        "The account reached its daily sending limit (it grows with the sender domain's "
        "reputation level), so Tencent refused further emails today.",
        "Resend tomorrow. If the limit is too low for our volume, escalate to an operator.",
    ),
    1011: CodeInfo(
        "Refused: this account may only send with templates",
        "The Tencent account has no permission to send custom content; only approved templates "
        "can be used.",
        "Escalate to an operator: the sending code must use an approved template.",
    ),
    1013: CodeInfo(
        "Refused: the recipient unsubscribed from our sender domain",
        "The recipient unsubscribed, and after an unsubscribe Tencent stops our sender domain "
        "from mailing the address.",
        "Don't resend. If the customer wants these emails again, they must re-subscribe in our "
        "product.",
    ),
    2001: CodeInfo(
        "Status unknown: Tencent has no related record",
        "Tencent reports no related record for this email (SendStatus 2001), so it cannot say "
        "what happened to it.",
        "Escalate to an operator with the MessageId.",
    ),
    3007: CodeInfo(
        "Refused: the template is invalid or unavailable",
        "The email asked for a template ID that does not exist or is not approved.",
        "Escalate to an operator: check the template ID and its approval in the SES console.",
    ),
    3008: CodeInfo(
        "Refused: the recipient's provider is temporarily blocking us",
        "The recipient's mail provider hit a limit, so Tencent pauses sending to that provider "
        "for about 10 minutes; the pause lifts by itself.",
        "Resend after 10 minutes.",
    ),
    3009: CodeInfo(
        "Refused: no permission to use this template",
        "The account is not allowed to use the template the email asked for.",
        "Escalate to an operator: check which account owns the template.",
    ),
    3010: CodeInfo(
        "Refused: the template data is not valid JSON",
        "The template variables (TemplateData) sent with the email were not valid JSON.",
        "Escalate to engineering: this is a bug in the code that sends the email.",
    ),
    3014: CodeInfo(
        "Refused: the sender domain is not verified",
        "Tencent only sends from verified domains, and the sender's domain has not passed (or "
        "has lost) verification.",
        "Escalate to an operator: verify the sender domain's DNS records in the SES console.",
    ),
    3020: CodeInfo(
        "Refused: this kind of recipient mailbox is blocklisted",
        "Tencent refuses this type of recipient mailbox (the SDK says the mailbox type is on "
        "the blocklist).",
        "Ask the customer for an address at another provider; escalate if a common provider is "
        "affected.",
    ),
    3024: CodeInfo(
        "Refused: the address failed the format check",
        "The recipient address is not a well-formed email address.",
        "Check the address with the customer (typos, spaces, missing @) and correct it.",
    ),
    3030: CodeInfo(
        "Refused: sending is restricted because our bounce rate is too high",
        "Tencent temporarily restricted sending for the whole account because too many recent "
        "emails bounced (5% or less is considered healthy).",
        "Escalate now: this affects every customer. Clean the lists (stop mailing addresses "
        "that bounce) and ask Tencent to lift the restriction.",
    ),
    3033: CodeInfo(
        "Refused: the Tencent account is out of balance",
        "The Tencent Cloud account has insufficient balance or is in arrears, so nothing is sent.",
        "Escalate to an operator: top up the Tencent Cloud account.",
    ),
}


# --- DeliverStatus: what the receiving side did (meaningful when SendStatus is 0) ------------

DELIVER_STATUS: Mapping[int, CodeInfo] = {
    0: CodeInfo(
        "Queued: waiting to be delivered",
        "Tencent accepted the email and it is waiting in the send queue.",
        "Wait: delivery usually takes seconds to minutes.",
    ),
    1: CodeInfo(
        "Delivered",
        "The recipient's mail server accepted the email. Whether it went to the inbox or the "
        "spam folder is up to the recipient's provider.",
        "If the customer can't find it, ask them to check the spam folder and add our sender "
        "address to their contacts.",
    ),
    2: CodeInfo(
        "Dropped: Tencent gave no reason",
        "Tencent discarded the email instead of delivering it, and its reply does not say why.",
        "Escalate to an operator with the MessageId: Tencent support can say why it was dropped.",
    ),
    3: CodeInfo(
        "Bounced: the recipient's mail server rejected it",
        "The recipient's mail server refused the email, usually because the mailbox does not "
        "exist. A hard bounce also puts the address on Tencent's blocklist.",
        "Confirm the address with the customer; once it is confirmed valid, ask an operator to "
        "take it off the blocklist.",
        "Operator: ListBlackEmailAddress shows the entry, DeleteBlackList removes it.",
    ),
    8: CodeInfo(
        "Delayed: the recipient's server asked Tencent to try later",
        "The recipient's mail server temporarily refused or delayed the email (a soft bounce "
        "or greylisting), and Tencent keeps retrying.",
        "Wait: Tencent keeps trying. Check again later.",
    ),
}


#: DeliverStatus 2 ("discarded; DeliverMessage says why"): when Tencent itself drops an email, the
#: message is Tencent's own words, not a receiving server's SMTP reply, so these come first.
#: Matched as lower-case substrings.
TENCENT_DROP_REASONS: tuple[tuple[tuple[str, ...], CodeInfo], ...] = (
    (
        ("unsubscribed",),
        CodeInfo(
            "Dropped: the recipient unsubscribed from our sender domain",
            "Tencent dropped the email because the recipient unsubscribed; after an unsubscribe "
            "Tencent stops our sender domain from mailing the address.",
            "Don't resend. If the customer wants these emails again, they must re-subscribe in "
            "our product.",
        ),
    ),
    (
        ("suppression list", "suppressed"),
        CodeInfo(
            "Dropped: suppressed after an earlier bounce",
            "Tencent dropped the email without trying: an earlier email to this address hard-"
            "bounced, so the address is on Tencent's blocklist.",
            "Confirm the address with the customer; once it is confirmed valid, ask an operator "
            "to take it off the blocklist.",
            "Operator: ListBlackEmailAddress shows the entry, DeleteBlackList removes it.",
        ),
    ),
)


def tencent_drop_reason(message: str) -> CodeInfo | None:
    """Tencent's own reason for dropping an email, if its message gives one we know."""
    text = message[:500].lower()
    for needles, info in TENCENT_DROP_REASONS:
        if any(needle in text for needle in needles):
            return info
    return None


def send_status_info(code: int) -> CodeInfo:
    """The reading of a SendStatus; an unknown code reads as "unknown (code N)"."""
    return SEND_STATUS.get(code) or CodeInfo(
        f"Refused: unknown (code {code})",
        f"Tencent did not send the email and gave SendStatus {code}, which this tool does not "
        "know yet.",
        "Escalate with the MessageId, and tell the maintainers about the new code.",
    )


def deliver_status_info(code: int) -> CodeInfo:
    """The reading of a DeliverStatus; an unknown code reads as "unknown (code N)"."""
    return DELIVER_STATUS.get(code) or CodeInfo(
        f"Status unknown (code {code})",
        f"Tencent gave DeliverStatus {code}, which this tool does not know yet.",
        "Check the email in the SES console, and tell the maintainers about the new code.",
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
    "Tencent's answer could not be read",
    "The answer was not the JSON the API promises (a proxy page, a cut-off body or a missing "
    "Response), so nothing in it can be trusted.",
    "Try again in a minute. If it persists, escalate with the time of the attempt.",
    Actor.TENCENT,
    retryable=True,
)
_RATE_LIMITED = ErrorInfo(
    "Too many lookups at once",
    "Our own requests went over Tencent's limit for this account (20 a second for the status "
    "lookup, shared by every lookup and the daily digest); emailstatus tried several times, "
    "waiting longer each time.",
    "Try again in a few seconds. If it happens often, tell whoever runs emailstatus.",
    Actor.OPERATOR,
    retryable=True,
    operator_note="Operator: lower EMAILSTATUS_SES_RATE or EMAILSTATUS_DIGEST_RATE, or move "
    "the digest away from busy hours.",
)
_BAD_CREDENTIALS = ErrorInfo(
    "Tencent rejected our API key",
    "The SecretId/SecretKey this deployment uses is wrong, deleted or disabled.",
    "Operator: check the Tencent credentials in the settings (SSM) against the CAM console.",
    Actor.OPERATOR,
    retryable=False,
)
_BAD_SIGNATURE = ErrorInfo(
    "Tencent rejected the request signature",
    "The request's signature did not match: usually the SecretKey does not belong to the SecretId.",
    "Operator: re-enter the SecretId and SecretKey as a matching pair.",
    Actor.OPERATOR,
    retryable=False,
)
_NO_PERMISSION = ErrorInfo(
    "Our API key lacks permission",
    "The Tencent API key emailstatus uses is not allowed to look up email status.",
    "Tell whoever runs emailstatus: the key needs permission to read SES email status.",
    Actor.OPERATOR,
    retryable=False,
    operator_note="Operator: attach infra/tencent-cam-policy.json (ses:GetSendEmailStatus, "
    "ses:GetStatisticsReport) to the key's CAM user.",
)
_BAD_INPUT = ErrorInfo(
    "Tencent rejected a value in the request",
    "One of the values sent (date, address, MessageId) is not valid for this API.",
    "Check the address, MessageId and dates, and try again.",
    Actor.USER,
    retryable=False,
)
_CLIENT_MISUSE = ErrorInfo(
    "The Tencent SDK refused to build the request",
    "The SDK stopped before calling Tencent: a setting (signature method, endpoint, "
    "language) or a credential is not usable.",
    "Operator: check the SES settings and credentials; escalate to engineering if they are right.",
    Actor.OPERATOR,
    retryable=False,
)

API_ERRORS: Mapping[str, ErrorInfo] = {
    # Transient: retried, waiting longer each time.
    "RequestLimitExceeded": _RATE_LIMITED,
    "InternalError": ErrorInfo(
        "Tencent had an internal error",
        "Something failed inside Tencent; the request itself was fine.",
        "Try again in a minute. If it persists, escalate to Tencent support with the RequestId.",
        Actor.TENCENT,
        retryable=True,
    ),
    "InternalError.QueryDataBaseFailed": ErrorInfo(
        "Tencent's database query failed",
        "Tencent's status database timed out or failed while answering.",
        "Try again in a minute. If it persists, escalate to Tencent support with the RequestId.",
        Actor.TENCENT,
        retryable=True,
    ),
    "ServiceUnavailable": ErrorInfo(
        "Tencent SES is temporarily unavailable",
        "The SES service is not answering right now.",
        "Try again in a few minutes; check Tencent Cloud's status page if it persists.",
        Actor.TENCENT,
        retryable=True,
    ),
    "FailedOperation.ServiceNotAvailable": ErrorInfo(
        "Tencent SES is temporarily unavailable",
        "Tencent reported a temporary error: the request did not take effect.",
        "Try again in a few minutes.",
        Actor.TENCENT,
        retryable=True,
    ),
    "ClientNetworkError": ErrorInfo(
        "Tencent could not be reached",
        "The connection to Tencent failed or timed out before an answer arrived.",
        "Try again. If it persists, an operator checks the endpoint setting and the network "
        "path to Tencent.",
        Actor.TENCENT,
        retryable=True,
    ),
    "ServerNetworkError": ErrorInfo(
        "Tencent answered with an HTTP error",
        "Tencent (or a proxy on the way) answered with an HTTP status other than 200.",
        "Try again. If it persists, an operator checks the endpoint setting.",
        Actor.TENCENT,
        retryable=True,
    ),
    # Answers that cannot be trusted. The SDK names a non-SDK failure after its exception type.
    MALFORMED_RESPONSE: _MALFORMED,
    "JSONDecodeError": _MALFORMED,
    "KeyError": _MALFORMED,
    "TypeError": _MALFORMED,
    RESPONSE_TOO_LARGE: ErrorInfo(
        "Tencent's answer was far too large",
        "The answer was larger than any page of emails can be, so it was not read: the "
        "endpoint is not behaving like Tencent SES.",
        "Check the endpoint setting (EMAILSTATUS_SES_ENDPOINT); if it is Tencent's, escalate "
        "to Tencent support with the time of the attempt.",
        Actor.OPERATOR,
        retryable=False,
    ),
    INCOMPLETE_RESPONSE: ErrorInfo(
        "Tencent's answer was incomplete",
        "Tencent reported success but left out the list of emails, so 'no emails' cannot be "
        "told apart from a fault.",
        "Try again in a minute. If it persists, escalate to Tencent support with the RequestId.",
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
        "Tencent refused our credentials",
        "Tencent could not authenticate or authorize this deployment's API key.",
        "Operator: check the Tencent credentials and their CAM permissions.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.SecretIdNotFound": _BAD_CREDENTIALS,
    "AuthFailure.InvalidSecretId": _BAD_CREDENTIALS,
    "AuthFailure.SignatureFailure": _BAD_SIGNATURE,
    "AuthFailure.InvalidAuthorization": _BAD_SIGNATURE,
    "AuthFailure.SignatureExpire": ErrorInfo(
        "Tencent rejected the request as expired",
        "The request's timestamp was more than 5 minutes off Tencent's clock: this machine's "
        "clock is wrong.",
        "Operator: fix the clock (enable NTP time sync) on the machine that calls Tencent.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.TokenFailure": ErrorInfo(
        "Tencent rejected the session token",
        "The temporary credentials' token is wrong or has expired.",
        "Operator: renew the temporary credentials, or use a permanent key.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.MFAFailure": ErrorInfo(
        "Tencent requires MFA for this key",
        "The CAM user's settings require multi-factor authentication for API calls.",
        "Operator: use a CAM user meant for API access, without an MFA requirement.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "AuthFailure.UnauthorizedOperation": _NO_PERMISSION,
    "UnauthorizedOperation": _NO_PERMISSION,
    "OperationDenied": ErrorInfo(
        "Tencent denied the operation",
        "Tencent refused to carry out the request for this account.",
        "Operator: check the account's SES setup in the console; escalate to Tencent support "
        "if it looks right.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "IpInBlacklist": ErrorInfo(
        "Tencent blocks the IP we call from",
        "The calling IP address is on the account's or Tencent's blocklist.",
        "Operator: check the API key's IP restrictions in the CAM console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "IpNotInWhitelist": ErrorInfo(
        "The IP we call from is not allowed",
        "The API key only accepts calls from listed IP addresses, and ours is not one of them.",
        "Operator: add the function's egress IP to the key's allow-list, or lift the restriction.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnsupportedRegion": ErrorInfo(
        "SES is not offered in the configured region",
        "The region setting names a region where this SES API does not exist (the "
        "international site supports ap-singapore).",
        "Operator: set the SES region to ap-singapore (international) or ap-guangzhou / "
        "ap-hongkong (China site), matching the endpoint.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "InvalidAction": ErrorInfo(
        "Tencent does not know the requested action",
        "The API action (or its version) does not exist at the configured endpoint.",
        "Operator: check the SES endpoint setting; escalate to engineering if it is right.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "ActionOffline": ErrorInfo(
        "Tencent has retired this API action",
        "The API action this tool calls has been taken offline.",
        "Escalate to engineering: the tool needs updating.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "NoSuchProduct": ErrorInfo(
        "The endpoint does not serve SES",
        "The configured endpoint does not host the SES product.",
        "Operator: check the SES endpoint setting.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "NoSuchVersion": ErrorInfo(
        "Tencent does not know the API version",
        "The API version (2020-10-02) is not served at the configured endpoint.",
        "Operator: check the SES endpoint setting.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnsupportedProtocol": ErrorInfo(
        "Tencent refused the HTTP method",
        "The request used an HTTP method Tencent's API does not accept (only GET and POST).",
        "Escalate to engineering: the client sent the request with the wrong method.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnsupportedOperation": ErrorInfo(
        "Tencent does not support this operation",
        "The operation is not supported for this account or in this form.",
        "Escalate to an operator.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "UnknownParameter": ErrorInfo(
        "Tencent did not recognise a request parameter",
        "The request carried a parameter this API does not know: a mismatch between the tool "
        "and the API version.",
        "Escalate to engineering.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "InvalidRequest": ErrorInfo(
        "Tencent could not parse the request",
        "The request body was not in the format Tencent expects.",
        "Escalate to engineering.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation": ErrorInfo(
        "Tencent could not carry out the request",
        "Tencent refused the request for a business reason of its own.",
        "Escalate to an operator with the RequestId and Tencent's message.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.InvalidLimit": ErrorInfo(
        "Tencent refused the page size",
        "The request asked for more than 100 records at once, the API's maximum.",
        "Escalate to engineering: the tool must page with Limit 100 or less.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.SendEmailErr": ErrorInfo(
        "Tencent reports a problem with our sending",
        "Tencent found a problem with this account's sending and asks for a support ticket.",
        "Escalate: an operator opens a Tencent support ticket.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "LimitExceeded": ErrorInfo(
        "A Tencent quota was exceeded",
        "The request went over one of the account's quotas.",
        "Operator: check the account's SES quotas in the console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "RequestSizeLimitExceeded": ErrorInfo(
        "The request was too large for Tencent",
        "The request body went over Tencent's size limit.",
        "Escalate to engineering.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResponseSizeLimitExceeded": ErrorInfo(
        "Tencent's answer would be too large",
        "The answer would exceed Tencent's size limit.",
        "Escalate to engineering: ask for smaller pages.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceInsufficient": ErrorInfo(
        "Tencent reports insufficient resources",
        "Tencent does not have (or the account has not bought) enough of a resource.",
        "Operator: check the account's SES packages in the console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceNotFound": ErrorInfo(
        "Tencent could not find the resource",
        "Something the request refers to does not exist in this account.",
        "Operator: check the SES setup in the console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceUnavailable": ErrorInfo(
        "The Tencent resource is unavailable",
        "Something the request refers to exists but cannot be used now.",
        "Operator: check the SES setup in the console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "ResourceInUse": ErrorInfo(
        "The Tencent resource is in use",
        "Something the request refers to is busy.",
        "Try again later; escalate to an operator if it persists.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "DryRunOperation": ErrorInfo(
        "Tencent only checked the request",
        "The request was a dry run: it would have succeeded, but nothing was done.",
        "Escalate to engineering: the tool should not send dry runs.",
        Actor.OPERATOR,
        retryable=False,
    ),
    # The user's input: they can fix it themselves.
    "InvalidParameter": _BAD_INPUT,
    "InvalidParameterValue": _BAD_INPUT,
    "MissingParameter": ErrorInfo(
        "A value Tencent requires was left out",
        "Tencent says a required parameter is missing. emailstatus always sends the required "
        "ones (the date, the page offset and size), so this is a bug in emailstatus, not "
        "something you typed.",
        "Tell whoever runs emailstatus, with the RequestId.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "InvalidParameterValue.WrongDate": ErrorInfo(
        "Tencent rejected the date",
        "The date is not a valid calendar date in the form Tencent expects (YYYY-MM-DD).",
        "Give a real date, such as 2024-05-31, or 'today' or 'yesterday'.",
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.NotSupportDate": ErrorInfo(
        "Tencent no longer has status for that date",
        f"{RETENTION}, and the date asked for is older than what it still has.",
        "Ask about a more recent date; older emails cannot be looked up.",
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.IncorrectEmail": ErrorInfo(
        "Tencent rejected the email address",
        "The address is not a valid email address.",
        "Check the address for typos (spaces, missing @) and try again.",
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.EmailAddressIsNULL": ErrorInfo(
        "An email address was empty",
        "The request carried an empty recipient or sender address.",
        "Give the full email address and try again.",
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.IllegalEmailAddress": ErrorInfo(
        "Tencent rejected the email address",
        "The address is not in a valid email address format.",
        "Check the address for typos and try again.",
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.ReceiverEmailInvalid": ErrorInfo(
        "Tencent rejected the recipient address",
        "The recipient address is not valid.",
        "Check the address for typos and try again.",
        Actor.USER,
        retryable=False,
    ),
    # Send-time business codes (SendEmail): they explain why an email was refused when it was
    # sent. Several mirror a SendStatus (1006, 1007, 1010, 3008, 3030, 3033).
    "FailedOperation.EmailAddrInBlacklist": ErrorInfo(
        "The address is on Tencent's blocklist",
        "Tencent refuses to send to this address after an earlier hard bounce or complaint.",
        "Confirm the address with the customer; once it is confirmed valid, ask an operator to "
        "take it off the blocklist.",
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.FrequencyLimit": ErrorInfo(
        "Too many emails to the same address",
        "Too many emails went to the same address in a short time (by default 10 an hour).",
        "Resend after an hour.",
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.ExceedSendLimit": ErrorInfo(
        "The daily sending limit is used up",
        "The account reached its daily sending limit, which depends on the sender domain's "
        "reputation level.",
        "Resend tomorrow; if the limit is too low, escalate to an operator.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.HighRejectionRate": ErrorInfo(
        "Sending is blocked for a high rejection rate",
        "Tencent temporarily blocked sending because too many recent emails were rejected or "
        "bounced.",
        "Escalate now: clean the lists (stop mailing addresses that bounce) and ask Tencent to "
        "lift the block.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.TemporaryBlocked": ErrorInfo(
        "Sending to that provider is paused for 10 minutes",
        "The recipient's provider hit a limit, so Tencent pauses sending to it for 10 minutes; "
        "the pause lifts by itself.",
        "Resend after 10 minutes.",
        Actor.TENCENT,
        retryable=False,
    ),
    "FailedOperation.InsufficientBalance": ErrorInfo(
        "The Tencent account is out of balance",
        "The Tencent Cloud account has insufficient balance or is in arrears.",
        "Escalate to an operator: top up the Tencent Cloud account.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.InsufficientQuota": ErrorInfo(
        "The SES package is used up",
        "The account's prepaid SES email package has no emails left.",
        "Escalate to an operator: buy more SES package quota.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.NotAuthenticatedSender": ErrorInfo(
        "The sender is not verified",
        "Tencent only sends from verified sender addresses and domains.",
        "Escalate to an operator: verify the sender in the SES console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.InvalidTemplateID": ErrorInfo(
        "The template is invalid or unavailable",
        "The template ID does not exist or is not approved.",
        "Escalate to an operator: check the template in the SES console.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.WithOutPermission": ErrorInfo(
        "This account may only send with templates",
        "The account has no permission to send custom content.",
        "Escalate to an operator: the sending code must use an approved template.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.WrongContentJson": ErrorInfo(
        "The template data is not valid JSON",
        "The TemplateData sent with the email was not valid JSON.",
        "Escalate to engineering: this is a bug in the code that sends the email.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.EmailContentToolarge": ErrorInfo(
        "The email is too large",
        "The email's content is over Tencent's size limit.",
        "Escalate to engineering: make the email smaller.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.TooManyRecipients": ErrorInfo(
        "Too many recipients in one request",
        "One send request can address at most 50 recipients.",
        "Escalate to engineering: split the send into batches of 50.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.UnsupportMailType": ErrorInfo(
        "Tencent does not support this type of email",
        "The email's type is not one Tencent supports.",
        "Escalate to engineering.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.ProtocolCheckErr": ErrorInfo(
        "Tencent rejected the request's protocol",
        "The request did not pass Tencent's protocol check.",
        "Escalate to engineering.",
        Actor.OPERATOR,
        retryable=False,
    ),
    "FailedOperation.ReceiverHasUnsubscribed": ErrorInfo(
        "The recipient unsubscribed",
        "The recipient unsubscribed, and Tencent stops our sender domain from mailing them.",
        "Don't resend. If the customer wants these emails again, they must re-subscribe in our "
        "product.",
        Actor.USER,
        retryable=False,
    ),
    "FailedOperation.RejectedByRecipients": ErrorInfo(
        "The recipient refuses our email",
        "The recipient's side rejects mail from our sender.",
        "Ask the customer to allow-list our sender address.",
        Actor.USER,
        retryable=False,
    ),
    "InvalidParameterValue.EmailContentIsWrong": ErrorInfo(
        "The email content is malformed",
        "The email's TEXT/HTML content was not valid base64.",
        "Escalate to engineering: this is a bug in the code that sends the email.",
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
            return API_ERRORS[candidate]
        if "." not in candidate:
            break
        candidate = candidate.rsplit(".", 1)[0]
    shown = code or "an error without a code"
    return ErrorInfo(
        f"Tencent answered {shown}",
        f"Tencent returned {shown}, which this tool does not know.",
        "Escalate to an operator with the RequestId and Tencent's message.",
        Actor.OPERATOR,
        retryable=False,
    )
