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

    @property
    def retryable(self) -> bool:
        """Whether trying the same request again may succeed."""
        return self.info.retryable
