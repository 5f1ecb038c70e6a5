"""``/emailstatus`` with Tencent's events, end to end: the simulator's callbacks (duplicated,
shuffled) → the receiver Lambda → SQS → the consumer Lambda → DynamoDB (moto), then a signed
slash command → Bolt → the lookup against the simulator and the events table → the answer.

The Slack function's role in serverless.yml is checked against the DynamoDB calls the lookups
really made: everything they need is allowed, and nothing more.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest

from emailstatus.config import get_settings
from emailstatus.events import handlers as event_handlers
from ses_simulator import FIXTURES, Simulator
from ses_simulator.callbacks import CallbackSender, template_of
from ses_simulator.wire import message_id
from testkit.block_kit import all_text
from testkit.fake_slack import FakeSlack
from testkit.serverless_yml import serverless_template
from testkit.slack_harness import SlackHarness
from tests.events.conftest import (  # noqa: F401  (fixtures: moto, the table, the queue)
    TOKEN,
    aws,
    dynamodb,
    http_api_event,
    lambda_env,
    queued_records,
)

OLD_DAYS = 40


def _deliver_callbacks(items: list[Mapping[str, Any]]) -> None:
    """Every callback of ``items`` as the simulator sends them (30% repeated, shuffled), into
    the receiver Lambda, then the queue drained through the consumer Lambda."""
    sender = CallbackSender("http://callbacks.invalid/", version="current", duplicates=0.3, seed=3)
    path = f"/tencent/events/{TOKEN}"
    for body in sender.plan(items, now=int(time.time())):
        answer = event_handlers.receive_callback(http_api_event(path, json.dumps(body)), None)
        assert answer["statusCode"] == 200, answer
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName="emailstatus-test-events")["QueueUrl"]
    records = queued_records(sqs, url)
    for start in range(0, len(records), 10):
        batch = {"Records": records[start : start + 10]}
        assert event_handlers.consume_queue(batch, None) == {"batchItemFailures": []}


def _item(sim: Simulator, name: str) -> dict[str, Any]:
    fixture = FIXTURES[name]
    (item,) = sim.dataset.find(fixture.day, message_id=fixture.message_id)
    return dict(item)


@pytest.fixture
def dynamodb_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """Every DynamoDB call made through a client built from now on: (operation, index)."""
    calls: list[tuple[str, str | None]] = []
    original = boto3.session.Session.client

    def client(self: Any, service: str, *args: Any, **kwargs: Any) -> Any:
        built = original(self, service, *args, **kwargs)
        if service == "dynamodb":

            def record(params: dict[str, Any], model: Any, **_: Any) -> None:
                calls.append((model.name, params.get("IndexName")))

            built.meta.events.register("provide-client-params.dynamodb.*", record)
        return built

    monkeypatch.setattr(boto3.session.Session, "client", client)
    return calls


@pytest.fixture
def slack(
    lambda_env: Any,  # noqa: F811
    slack_env: pytest.MonkeyPatch,
    hooks: FakeSlack,
    sim: Simulator,
) -> Iterator[SlackHarness]:
    """The Slack function with EMAILSTATUS_EVENTS_TABLE set, the table holding the callbacks
    of the ``delivered`` fixture and of an email to the same address 40 days earlier."""
    delivered = _item(sim, "delivered")
    old_at = int(delivered["RequestTime"]) - OLD_DAYS * 86400
    old = {
        **delivered,
        "MessageId": message_id(old_at, "OldOldOldOld"),
        "RequestTime": old_at,
        "DeliverTime": old_at + 14,
    }
    _deliver_callbacks([delivered, old])
    hooks.reset()
    harness = SlackHarness(hooks)
    harness.rebuild()
    yield harness
    get_settings.cache_clear()


def test_the_answer_shows_the_timeline_subject_and_template(
    slack: SlackHarness, sim: Simulator
) -> None:
    fixture = FIXTURES["delivered"]
    answer = slack.command(f"{fixture.address} {fixture.day.isoformat()}").answer
    text = all_text(answer)
    template_id, subject = template_of(_item(sim, "delivered"))
    assert f"*Subject:* {subject} · template {template_id}" in text
    timeline = next(line for line in text.split("\\n") if line.startswith("*Timeline:*"))
    steps = [
        step.split(" <!date^")[0] for step in timeline.removeprefix("*Timeline:* ").split(" → ")
    ]
    assert steps == ["requested", "delivered", "opened", "clicked"]  # duplicates stored once
    assert "{time_secs}" in timeline
    assert "Tencent's status API says" not in text  # they agree


def test_an_email_older_than_30_days_is_answered_from_its_events(slack: SlackHarness) -> None:
    fixture = FIXTURES["delivered"]
    day = fixture.day - timedelta(days=OLD_DAYS)
    answer = slack.command(f"{fixture.address} {day.isoformat()}").answer
    text = all_text(answer)
    header = answer["blocks"][0]["text"]["text"]
    assert header.startswith(":white_check_mark: Delivered"), header
    assert "Answered from Tencent's event callbacks alone" in text
    assert f"no longer has {day.isoformat()}" in text
    assert "OldOldOldOld" in text and "→ opened" in text
    assert "SendStatus" not in text  # codes read from events are not shown as Tencent's


def test_where_the_status_api_and_the_events_disagree_the_answer_says_who_said_what(
    slack: SlackHarness, sim: Simulator
) -> None:
    delivered = _item(sim, "delivered")
    bounced_later = {
        **delivered,
        "DeliverStatus": 3,
        "DeliverMessage": "550 5.1.1 <alice@example.com>: user unknown",
        "DeliverTime": int(delivered["DeliverTime"]) + 600,
        "UserOpened": False,
        "UserClicked": False,
    }
    queued = _item(sim, "queued")
    delivered_already = {
        **queued,
        "DeliverStatus": 1,
        "DeliverTime": int(queued["RequestTime"]) + 5,
    }
    _deliver_callbacks([bounced_later, delivered_already])

    fixture = FIXTURES["delivered"]
    text = all_text(slack.command(f"{fixture.address} {fixture.day.isoformat()}").answer)
    assert "Tencent's status API says delivered; its event callbacks say bounced" in text
    assert "The answer above follows the status API." in text
    assert "Reply in the events: “550 5.1.1 &lt;alice@example.com&gt;: user unknown”" in text

    text = all_text(slack.command(FIXTURES["queued"].address).answer)
    assert "Tencent's status API says queued; its event callbacks say delivered" in text
    assert "The events are newer" in text


def test_an_unreadable_events_table_leaves_the_status_apis_answer(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAILSTATUS_EVENTS_TABLE", "emailstatus-no-such-table")
    slack.rebuild()
    fixture = FIXTURES["delivered"]
    answer = slack.command(f"{fixture.address} {fixture.day.isoformat()}").answer
    text = all_text(answer)
    assert answer["blocks"][0]["text"]["text"].startswith(":white_check_mark: Delivered")
    assert "No timeline: Tencent's event callbacks could not be read" in text
    assert "emailstatus-no-such-table" in text and "*Timeline:*" not in text


def test_the_slack_role_allows_exactly_the_event_reads_lookups_make(
    slack: SlackHarness, sim: Simulator, dynamodb_calls: list[tuple[str, str | None]]
) -> None:
    fixture = FIXTURES["delivered"]
    slack.rebuild()  # the event store's client is built after the recorder is in place
    slack.command(f"{fixture.address} {fixture.day.isoformat()}")
    slack.command(f"{fixture.address} {(fixture.day - timedelta(days=OLD_DAYS)).isoformat()}")
    slack.command(fixture.message_id)
    _, subject = template_of(_item(sim, "delivered"))
    slack.command(f'subject:"{subject}" {fixture.day.isoformat()}')
    made = {
        (
            "dynamodb:" + operation,
            f"${{EventsTable.Arn}}/index/{index}" if index else "EventsTable.Arn",
        )
        for operation, index in dynamodb_calls
    }
    assert made, "the lookups read no events"

    template = serverless_template()
    role = template["resources"]["Resources"]["SlackRole"]["Properties"]
    granted = set()
    for policy in role["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            if not isinstance(statement, dict):  # ${file(...)} includes: not DynamoDB
                continue
            actions = statement.get("Action", [])
            resources = statement.get("Resource", [])
            for action in [actions] if isinstance(actions, str) else actions:
                if action.startswith("dynamodb:"):
                    for resource in [resources] if isinstance(resources, str) else resources:
                        granted.add((action, resource))
    assert made <= granted, f"the Slack role misses {sorted(made - granted)}"
    assert made == granted, f"the Slack role grants more than lookups use: {granted - made}"
    slack_function = template["functions"]["slack"]["environment"]
    assert slack_function["EMAILSTATUS_EVENTS_TABLE"] == "${self:custom.eventsTableName}"


def test_filters_narrow_and_a_subject_alone_lists_its_emails(
    slack: SlackHarness, sim: Simulator
) -> None:
    fixture = FIXTURES["delivered"]
    template_id, subject = template_of(_item(sim, "delivered"))
    day = fixture.day.isoformat()
    text = all_text(slack.command(f'subject:"{subject}" {day}').answer)
    assert "Tencent's status API cannot search by subject" in text
    assert f"*To*\\n{fixture.address}" in text and "*Timeline:*" in text

    narrowed = slack.command(f"{fixture.address} template:{template_id} last 30 days").answer
    assert narrowed["blocks"][0]["text"]["text"].startswith(":white_check_mark: Delivered")
    assert f"template {template_id}, " in all_text(narrowed)  # the question, as understood

    refused = all_text(slack.command(f'{fixture.address} subject:"Reset your password').ack_body)
    assert "no closing quote" in refused and "Usage: /emailstatus" in refused
