"""Every error emailstatus explains to people instead of showing a traceback: one home.

Each carries the same attributes, so the Slack answer, the CLI and the logs can all say the
same useful thing without asking which kind it is: ``explanation`` (``str(error)``),
``next_step``, ``actor`` (who must act), ``headline``, and, for errors Tencent answered,
``code``, ``request_id``, ``attempts`` and ``tencent_said``. Internal signals that never reach
a person (a walk stopping, a deadline reached) are plain exceptions here too, so every module
raises from one place.
"""

from __future__ import annotations

import logging
import traceback

from emailstatus.i18n import N_
from emailstatus.knowledge.codes import Actor, ErrorInfo, error_info

log = logging.getLogger(__name__)


class EmailStatusError(Exception):
    """A failure with a human explanation. ``str(error)`` is the explanation."""

    actor: Actor = Actor.OPERATOR
    #: Detail only whoever runs emailstatus needs (settings, API names): small print.
    operator_note: str = ""
    #: Tencent's (or Slack's, or the SDK's) error code; empty for our own failures.
    code: str = ""
    #: Tencent's RequestId, what its support asks for; None when Tencent did not answer.
    request_id: str | None = None
    #: How many calls were made before giving up (set by the retry loop).
    attempts: int = 1

    def __init__(self, explanation: str, *, next_step: str = "", actor: Actor | None = None):
        super().__init__(explanation)
        self.explanation = explanation
        self.next_step = next_step
        if actor is not None:
            self.actor = actor

    @property
    def headline(self) -> str:
        """A few words for the top of an answer."""
        return N_("The lookup failed")

    @property
    def tencent_said(self) -> str:
        """Tencent's own words, only when Tencent answered; empty otherwise."""
        return ""


class ConfigError(EmailStatusError):
    """The deployment is misconfigured: the operator must fix a setting."""

    actor = Actor.OPERATOR


class SesError(EmailStatusError):
    """A ``GetSendEmailStatus`` (or other SES) call failed for good.

    ``code`` is Tencent's error code (or the SDK's ``ClientNetworkError``/``ServerNetworkError``),
    ``tencent_message`` Tencent's own words, ``request_id`` what Tencent support asks for.
    """

    def __init__(self, code: str, tencent_message: str = "", request_id: str | None = None):
        self.info: ErrorInfo = error_info(code)
        super().__init__(
            self.info.explanation or self.info.headline,
            next_step=self.info.next_step,
            actor=self.info.actor,
        )
        self.code = code
        self.tencent_message = tencent_message
        self.request_id = request_id
        self.operator_note = self.info.operator_note

    @property
    def headline(self) -> str:
        """The code's headline (``knowledge.codes``)."""
        return self.info.headline

    @property
    def tencent_said(self) -> str:
        """Tencent's own words, only when Tencent answered (its answers carry a RequestId).

        Without one the message is ours or the HTTP library's ("Read timed out", "non-JSON
        error body"): nothing a support agent should read as Tencent's.
        """
        return self.tencent_message if self.request_id else ""

    @property
    def retryable(self) -> bool:
        """Whether trying the same request again may succeed."""
        return self.info.retryable


class FiltersNeedEventsError(EmailStatusError):
    """``subject:``/``template:`` asked of an installation without Tencent's events."""

    actor = Actor.OPERATOR


class LookupTimeoutError(EmailStatusError):
    """The deadline came before Tencent answered anything."""

    actor = Actor.TENCENT


class NotListedError(EmailStatusError):
    """Removal asked for an address that neither list blocks (now)."""

    actor = Actor.USER


class StoreError(EmailStatusError):
    """The digest's DynamoDB table could not be used."""


class FencedOutError(StoreError):
    """This run's claim was taken over (its lease ran out): it must not post or mark."""


class EventStoreError(EmailStatusError):
    """The events table could not be used."""


class DigestPostError(EmailStatusError):
    """Slack refused or could not take a digest; ``code`` is Slack's error code.

    ``refused`` is True when Slack answered and said no: then nothing was posted. Otherwise
    (a timeout, a dropped connection) Slack may have taken the message.
    """

    def __init__(self, explanation: str, *, code: str, refused: bool = True) -> None:
        super().__init__(
            explanation,
            next_step="Check SLACK_BOT_TOKEN and that the bot is in the channel; a retry posts "
            "only where the digest is missing.",
        )
        self.code = code
        self.refused = refused


class AlertPostError(EmailStatusError):
    """Slack refused or could not take an alert."""


class DeadlineError(Exception):
    """The caller's deadline would pass before it gets a turn (an internal signal)."""


def log_bug(where: str, error: BaseException) -> None:
    """Log an unexpected exception by type and frames (file, line, function) only.

    Neither its message nor the source lines: either may hold an address.
    """
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    )
    log.error(
        "Unexpected %s in %s\n%s", type(error).__name__, where, frames, extra={"where": where}
    )
