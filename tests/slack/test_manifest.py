"""The Slack app manifest matches the app: one command, its buttons, the least scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML comes with the dev tools (moto)

from emailstatus.slack_app.commands import COMMAND
from emailstatus.slack_app.local import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[2] / "infra" / "slack-app-manifest.yml"


def test_manifest_matches_the_app() -> None:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert command["usage_hint"] and len(command["usage_hint"]) <= 100
    assert command["url"].endswith(EVENTS_PATH)
    interactivity = manifest["settings"]["interactivity"]
    assert interactivity["is_enabled"] is True
    assert interactivity["request_url"] == command["url"]
    assert manifest["oauth_config"]["scopes"] == {
        "bot": ["commands", "chat:write", "channels:history", "groups:history"]
    }
