"""The Slack app manifest matches the app: its command and shortcuts are the ones the app
listens for (each one sent to the app is handled), with the least scopes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML comes with the dev tools (moto)

from emailstatus.slack_app import lookup_form, shortcut
from emailstatus.slack_app.commands import COMMAND
from emailstatus.slack_app.local import EVENTS_PATH
from testkit.fake_slack import GRANTED_SCOPES
from testkit.fake_slack.users import SCOPE as USERS_READ
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import global_shortcut_body, message_shortcut_body, signed_event

MANIFEST = Path(__file__).resolve().parents[2] / "infra" / "slack-app-manifest.yml"


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    return loaded


def test_manifest_matches_the_app() -> None:
    app = manifest()
    (command,) = app["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert command["usage_hint"] and len(command["usage_hint"]) <= 100
    assert command["url"].endswith(EVENTS_PATH)
    interactivity = app["settings"]["interactivity"]
    assert interactivity["is_enabled"] is True
    assert interactivity["request_url"] == command["url"]
    assert app["settings"]["event_subscriptions"]["request_url"] == command["url"]
    assert app["features"]["app_home"]["home_tab_enabled"] is True
    # The fake Web API grants the token exactly these: users.info refuses without users:read.
    assert app["oauth_config"]["scopes"] == {"bot": list(GRANTED_SCOPES)}
    assert USERS_READ in GRANTED_SCOPES


def test_every_shortcut_in_the_manifest_is_handled(slack: SlackHarness) -> None:
    shortcuts = manifest()["features"]["shortcuts"]
    assert {(s["type"], s["callback_id"]) for s in shortcuts} == {
        ("message", shortcut.CALLBACK),
        ("global", lookup_form.CALLBACK),
    }
    for declared in shortcuts:
        assert len(declared["name"]) <= 24 and len(declared["description"]) <= 50
        trigger = slack.hooks.views.new_trigger()
        if declared["type"] == "message":
            body = message_shortcut_body(
                {"text": "nothing to look up"},
                slack.hooks.response_url(),
                trigger_id=trigger,
                callback_id=declared["callback_id"],
            )
        else:
            body = global_shortcut_body(declared["callback_id"], trigger_id=trigger)
        exchange = slack.send(signed_event(body), message_ack=False)
        assert exchange.ack["statusCode"] == 200, json.dumps(declared)
    assert len(slack.hooks.views.opened) == len(shortcuts)  # each opened its modal


def test_every_event_in_the_manifest_is_handled(slack: SlackHarness) -> None:
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert events == ["app_home_opened"]
    slack.open_home()
    assert slack.hooks.views.homes  # handled: the Home was published


def test_the_event_url_answers_slacks_challenge(slack: SlackHarness) -> None:
    """Slack checks an event subscription's URL before saving it (url_verification)."""
    body = json.dumps(
        {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    exchange = slack.send(
        signed_event(body, headers={"content-type": "application/json"}), message_ack=False
    )
    assert exchange.ack["statusCode"] == 200
    assert "3eZbrw1aBm2rZgRNFdxV" in exchange.ack["body"]
