"""SES failures as typed errors carrying who must act and Tencent's RequestId."""

from __future__ import annotations

from emailstatus.errors import EmailStatusError
from emailstatus.ses.codes import ErrorInfo, error_info


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
        self.headline = self.info.headline
        self.tencent_message = tencent_message
        self.request_id = request_id
        self.operator_note = self.info.operator_note
        #: How many calls were made before giving up (set by the retry loop).
        self.attempts = 1

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
