"""Alerts into Slack: ``chat.postMessage`` to the alert channel, the all-clear in its thread.

Slack allows about one message a second per channel and answers more with HTTP 429 and
``Retry-After``; ``RateLimitErrorRetryHandler`` waits that long and tries again.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from emailstatus.config import SLACK_TIMEOUT_S, Settings
from emailstatus.errors import AlertPostError, ConfigError
from emailstatus.events.alerts import Reading
from emailstatus.privacy import quiet_request_dumpers
from emailstatus.render.slack_alerts import alert_text, all_clear_text

#: Times a 429 is waited out before the post counts as failed.
RATE_RETRIES = 3


class SlackAlertPoster:
    """Posts to ``EMAILSTATUS_ALERT_CHANNEL`` with the bot token."""

    def __init__(self, settings: Settings) -> None:
        if not settings.slack_bot_token or not settings.alert_channel:
            raise ConfigError(
                "Alerts need SLACK_BOT_TOKEN and EMAILSTATUS_ALERT_CHANNEL.",
                next_step="Set EMAILSTATUS_ALERT_CHANNEL to a channel ID the bot is a member of.",
            )
        self.channel = settings.alert_channel
        quiet_request_dumpers()  # before the first call that could log a request
        self._client = WebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            timeout=SLACK_TIMEOUT_S,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=RATE_RETRIES)],
        )

    def alert(self, reading: Reading) -> str:
        return self._post(alert_text(reading), thread_ts=None)

    def all_clear(self, reading: Reading, thread_ts: str) -> None:
        self._post(all_clear_text(reading), thread_ts=thread_ts)

    def _post(self, text: str, *, thread_ts: str | None) -> str:
        try:
            answer = self._client.chat_postMessage(
                channel=self.channel, text=text, thread_ts=thread_ts, unfurl_links=False
            )
        except SlackApiError as error:
            reason = str(error.response.get("error", "unknown"))
            raise AlertPostError(
                f"Slack refused the alert ({reason}).",
                next_step="Check SLACK_BOT_TOKEN and that the bot is in the alert channel.",
            ) from None
        except SlackClientError as error:
            raise AlertPostError(
                f"Could not reach Slack to post the alert ({type(error).__name__}).",
                next_step="The next run (in 5 minutes) tries again.",
            ) from None
        return str(answer.get("ts", ""))
