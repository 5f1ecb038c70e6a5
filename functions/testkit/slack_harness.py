"""Slack's requests sent through ``handlers.slack_events`` as API Gateway and Lambda send them,
against the fake Slack (``testkit.fake_slack``): what a test drives the Slack function with.

Bolt's lazy listener invokes the function itself (``InvocationType="Event"``) through the
real boto3 Lambda client, pointed at the fake Slack's Lambda Invoke endpoint; the harness takes
the queued invocation and runs it, as Lambda would. moto cannot stand in for that endpoint here:
with its default Lambda backend, ``LambdaFunction.invoke`` runs every invocation, ``Event``
included, in Docker (moto 5.2, ``moto/awslambda/models.py``: ``invoke`` calls
``self._invoke_lambda(event=body)`` before looking at the invocation type), and this machine has
no Docker engine; its Docker-free backend (``moto/awslambda_simple/models.py``,
``LambdaSimpleBackend.invoke``) echoes the payload back without recording it or even checking
the function exists, so nothing could hand the invocation to the harness.
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints

from emailstatus.config import get_settings
from testkit.block_kit import assert_valid_message
from testkit.fake_slack import VIEW_METHODS, FakeSlack
from testkit.slack_requests import (
    CHANNEL,
    USER,
    action_body,
    app_home_opened_body,
    command_body,
    global_shortcut_body,
    message_shortcut_body,
    signed_event,
    view_submission_body,
)

FUNCTION_ARN = "arn:aws:lambda:ap-southeast-1:123456789012:function:emailstatus-test-slack"
#: Refusals that mean the app built a view Slack does not accept.
APP_BUGS = frozenset({"invalid_arguments", "view_too_large", "duplicate_external_id"})


@dataclass
class LambdaContext:
    function_name: str = "emailstatus-test-slack"
    invoked_function_arn: str = FUNCTION_ARN


@functools.cache
def lambda_client(endpoint: str) -> Any:
    """boto3's Lambda client sending to ``endpoint`` (the fake Slack's Invoke API), with dummy
    credentials; one per endpoint, as boto3 clients are thread-safe and slow to build."""
    return boto3.client(
        "lambda",
        region_name="ap-southeast-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@dataclass
class Exchange:
    """One request and everything it caused."""

    ack: dict[str, Any]
    ack_seconds: float
    invocations: list[dict[str, Any]]
    posts: list[dict[str, Any]]

    @property
    def ack_body(self) -> dict[str, Any]:
        body = self.ack.get("body") or ""
        return json.loads(body) if body else {}

    @property
    def answer(self) -> dict[str, Any]:
        """The answer this exchange ended with: its last response_url post."""
        assert self.posts, "nothing was posted to response_url"
        return self.posts[-1]


class SlackHarness:
    """Sends Slack's requests through ``handlers.slack_events`` like API Gateway and Lambda do."""

    def __init__(self, hooks: FakeSlack) -> None:
        import emailstatus.handlers

        self.handlers = emailstatus.handlers
        self.hooks = hooks
        self.lambda_client = lambda_client(hooks.base_url)
        self.context = LambdaContext()

    def rebuild(self) -> None:
        """Re-read the settings and rebuild the handler (the module does this once at import)."""
        get_settings.cache_clear()
        self.handlers.reset(self.lambda_client)

    def send(
        self, event: dict[str, Any], *, run_lazy: bool = True, message_ack: bool = True
    ) -> Exchange:
        """``message_ack``: the ack body, if any, is a message (a modal's is not)."""
        self.hooks.response_urls.posts.clear()
        calls_before = len(self.hooks.calls)
        started = time.perf_counter()
        ack = self.handlers.slack_events(event, self.context)
        seconds = time.perf_counter() - started
        if message_ack and ack["statusCode"] == 200 and ack.get("body"):
            # Slack shows the ack before any post
            self.hooks.response_urls.show(json.loads(ack["body"]))
        invocations = self.hooks.take_invocations()
        for call in invocations if run_lazy else []:
            assert call["FunctionName"] == FUNCTION_ARN
            assert call["InvocationType"] == "Event"
            lazy = self.handlers.slack_events(json.loads(call["Payload"]), self.context)
            assert lazy["statusCode"] == 200, lazy
        posts = [body for _, body in self.hooks.response_urls.posts]
        other_methods = [
            call.method
            for call in self.hooks.calls[calls_before:]
            if call.method not in VIEW_METHODS
        ]
        assert other_methods == [], "the Slack function called a Web API method besides views.*"
        invalid = [call for call in self.hooks.views.refused if call[1] in APP_BUGS]
        assert invalid == [], f"Slack would have refused a view: {invalid}"
        if message_ack and ack["statusCode"] == 200 and ack.get("body"):
            assert_valid_message(json.loads(ack["body"]))
        for post in posts:
            assert_valid_message(post)
        return Exchange(ack, seconds, invocations, posts)

    def command(self, text: str, **kwargs: Any) -> Exchange:
        user = kwargs.pop("user", USER)
        channel = kwargs.pop("channel", CHANNEL)
        body = command_body(text, self.hooks.response_url(), user=user, channel=channel)
        return self.send(signed_event(body, **kwargs))

    def click(self, action_id: str, value: str, **kwargs: Any) -> Exchange:
        user = kwargs.pop("user", USER)
        channel = kwargs.pop("channel", CHANNEL)
        url = self.hooks.button_url(self.hooks.response_urls.holding(value))
        trigger = self.hooks.views.new_trigger(kwargs.pop("trigger_age", 0.0))
        body = action_body(action_id, value, url, user=user, channel=channel, trigger_id=trigger)
        return self.send(signed_event(body, **kwargs))

    def submit(self, view: dict[str, Any], reason: str | None, **kwargs: Any) -> Exchange:
        """Submit an opened modal (signed like Slack), with ``reason`` typed in."""
        user = kwargs.pop("user", USER)
        view_id = kwargs.pop("view_id", "V0TESTVIEW")
        body = view_submission_body(view, reason, user=user, view_id=view_id)
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def shortcut(self, message: dict[str, Any], *, closed: bool = False, **kwargs: Any) -> Exchange:
        """Use the message shortcut on ``message``; ``closed``: in a conversation that does not
        take the app's messages."""
        user = kwargs.pop("user", USER)
        channel = kwargs.pop("channel", CHANNEL)
        url = self.hooks.response_url(closed=closed)
        trigger = self.hooks.views.new_trigger(kwargs.pop("trigger_age", 0.0))
        body = message_shortcut_body(message, url, user=user, channel=channel, trigger_id=trigger)
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def submit_values(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        response_urls: list[dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> Exchange:
        """Submit an opened modal with its inputs' state ``values`` (block → action → value)."""
        user = kwargs.pop("user", USER)
        body = view_submission_body(
            view, None, user=user, view_id=view["id"], values=values, response_urls=response_urls
        )
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def global_shortcut(self, callback_id: str, **kwargs: Any) -> Exchange:
        """Use a global shortcut (from Slack's search or the composer's shortcuts menu)."""
        user = kwargs.pop("user", USER)
        trigger = self.hooks.views.new_trigger(kwargs.pop("trigger_age", 0.0))
        body = global_shortcut_body(callback_id, user=user, trigger_id=trigger)
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def open_home(self, *, user: str = USER, tab: str = "home", **kwargs: Any) -> Exchange:
        """The user opens the app's Home tab: Slack's ``app_home_opened`` event (JSON)."""
        headers = {"content-type": "application/json"}
        body = app_home_opened_body(user, tab)
        return self.send(signed_event(body, headers=headers, **kwargs), message_ack=False)

    def seen(self) -> list[dict[str, Any]]:
        """What the user sees now, oldest message first."""
        return self.hooks.response_urls.visible()
