"""``make offline`` only: the production handlers with serverless-offline's context corrected.

serverless-offline's Python runner builds its context from a class whose ``function_name`` is
``"Fake"``, whose ``invoked_function_arn`` is ``arn:aws:lambda:serverless:Fake`` and whose
``get_remaining_time_in_millis`` counts down from 6 s whatever the function's timeout. Bolt's
lazy listener re-invokes ``invoked_function_arn``, which serverless-offline's own Invoke
endpoint (:3002) does not know, and the digest stops its walk at the reported deadline. The
real name is in ``AWS_LAMBDA_FUNCTION_NAME`` (set by Lambda and serverless-offline alike), so
these wrappers pass that on, with the timeouts serverless.yml gives the functions, and call the
production handlers unchanged. Never packaged: serverless.yml selects them for the ``offline``
stage only.
"""

from __future__ import annotations

import os
import time
from typing import Any

from emailstatus import handlers

#: The functions' ``timeout`` in serverless.yml (serverless-offline enforces it, too).
SLACK_TIMEOUT_S = 30
DIGEST_TIMEOUT_S = 900


class _OfflineContext:
    """The offline context, with the real function name and remaining time."""

    def __init__(self, context: Any, timeout_s: int) -> None:
        self._context = context
        self._deadline = time.monotonic() + timeout_s
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.invoked_function_arn = self.function_name

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def slack_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """``emailstatus.handlers.slack_events`` with the function's name as its invoke target."""
    response: dict[str, Any] = handlers.slack_events(
        event, _OfflineContext(context, SLACK_TIMEOUT_S)
    )
    return response


def daily_digest(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """``emailstatus.handlers.daily_digest`` with the function's real time budget."""
    response: dict[str, Any] = handlers.daily_digest(
        event, _OfflineContext(context, DIGEST_TIMEOUT_S)
    )
    return response
