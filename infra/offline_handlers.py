"""``make offline`` only: the Slack handler with serverless-offline's context corrected.

serverless-offline's Python runner builds its context from a class whose ``function_name`` is
``"Fake"`` and whose ``invoked_function_arn`` is ``arn:aws:lambda:serverless:Fake``. Bolt's lazy
listener re-invokes ``invoked_function_arn``, which serverless-offline's own Invoke endpoint
(:3002) does not know. The real name is in ``AWS_LAMBDA_FUNCTION_NAME`` (set by Lambda and by
serverless-offline alike), so this wrapper passes that on and calls the production handler
unchanged. Never packaged: serverless.yml selects it for the ``offline`` stage only.
"""

from __future__ import annotations

import os
from typing import Any

from emailstatus import handlers


class _NamedContext:
    """The offline context, with the function's real name where Bolt looks for it."""

    def __init__(self, context: Any) -> None:
        self._context = context
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.invoked_function_arn = self.function_name

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def slack_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """``emailstatus.handlers.slack_events`` with the function's name as its invoke target."""
    response: dict[str, Any] = handlers.slack_events(event, _NamedContext(context))
    return response
