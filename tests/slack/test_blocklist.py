"""Blocklists in Slack end to end: signed requests through Bolt, the simulator counting the
delete calls, the fake Slack checking every views.open like Slack does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emailstatus.render.slack_blocklist import ACTION_REMOVE
from ses_simulator import FIXTURES, Simulator
from testkit.block_kit import all_text
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import USER

OPERATOR = "U0OPERATOR"
DELETES = ("DeleteBlackList", "DeleteCustomBlackList")


@pytest.fixture
def operators(slack: SlackHarness, slack_env: pytest.MonkeyPatch, sim: Simulator) -> SlackHarness:
    slack_env.setenv("EMAILSTATUS_OPERATORS", f"{OPERATOR},U0OTHEROP")
    slack_env.setenv("TENCENTCLOUD_OPERATOR_SECRET_ID", sim.config.operator_secret_id)
    slack_env.setenv("TENCENTCLOUD_OPERATOR_SECRET_KEY", sim.config.operator_secret_key)
    slack.rebuild()
    return slack


def deletes(sim: Simulator) -> int:
    return sum(sim.stats().served.get(action, 0) for action in DELETES)


def remove_button(payload: dict[str, Any]) -> dict[str, Any] | None:
    for block in payload.get("blocks", []):
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == ACTION_REMOVE:
            return dict(accessory)
    return None


def lookup(slack: SlackHarness, name: str, user: str) -> dict[str, Any]:
    fixture = FIXTURES[name]
    return slack.command(f"{fixture.address} {fixture.day.isoformat()}", user=user).answer


def test_a_bounce_says_it_is_blocklisted_and_only_operators_get_the_button(
    operators: SlackHarness,
) -> None:
    agent = lookup(operators, "bounced", USER)
    assert "On Tencent's blocklist since <!date^" in all_text(agent)
    assert "The mailbox does not exist" in all_text(agent)
    assert remove_button(agent) is None
    operator = lookup(operators, "bounced", OPERATOR)
    assert remove_button(operator) is not None


def test_no_operator_key_no_button(slack: SlackHarness, slack_env: pytest.MonkeyPatch) -> None:
    slack_env.setenv("EMAILSTATUS_OPERATORS", OPERATOR)
    slack.rebuild()
    assert remove_button(lookup(slack, "bounced", OPERATOR)) is None


def test_a_delivered_email_has_no_blocklist_line(operators: SlackHarness) -> None:
    assert "blocklist" not in all_text(lookup(operators, "delivered", OPERATOR)).lower()


def test_a_failed_check_is_one_line_and_the_verdict_arrives(
    operators: SlackHarness, sim: Simulator
) -> None:
    # twice: a check still running from an earlier test's lookup may take the first
    sim.fail_next("AuthFailure.UnauthorizedOperation", times=2, action="ListCustomBlacklist")
    answer = lookup(operators, "refused", OPERATOR)
    text = all_text(answer)
    assert "Refused" in answer["text"]
    assert text.count("Blocklists could not be checked") == 1
    assert remove_button(answer) is None


def click_remove(
    slack: SlackHarness, answer: dict[str, Any], user: str = OPERATOR, age: float = 0.0
) -> Any:
    button = remove_button(answer)
    assert button is not None
    return slack.click(ACTION_REMOVE, button["value"], user=user, trigger_age=age)


def test_remove_end_to_end(operators: SlackHarness, sim: Simulator, audit_log: Any) -> None:
    answer = lookup(operators, "bounced", OPERATOR)
    click_remove(operators, answer)
    (view,) = operators.hooks.views.opened
    shown = all_text(view)
    assert "Tencent will send to *bounced@example.com* again" in shown
    assert "Only do this when the customer has confirmed the address works." in shown
    assert "Tencent's blocklist" in shown
    submitted = operators.submit(
        view, "Customer confirmed the mailbox works (ticket 4521)", user=OPERATOR
    )
    assert submitted.ack["statusCode"] == 200
    assert submitted.ack_body in ({}, None) or "errors" not in submitted.ack_body
    assert sim.blocklists.deleted == [("tencent", "bounced@example.com")]
    assert sim.stats().served["DeleteBlackList"] == 1
    updated = operators.seen()[-1]
    assert updated is not answer
    assert f"Removed from Tencent's blocklist by <@{OPERATOR}> at <!date^" in all_text(updated)
    assert remove_button(updated) is None
    lines = [json.loads(line) for line in audit_log.getvalue().splitlines() if line]
    removal = next(line for line in lines if line.get("message") == "blocklist_removal")
    assert removal["outcome"] == "removed"
    assert removal["user"] == OPERATOR
    assert "bounced@example.com" not in json.dumps(removal)  # masked
    assert removal["reason"].startswith("Customer confirmed")
    assert removal["request_ids"]


def test_custom_list_removal_uses_its_own_delete(operators: SlackHarness, sim: Simulator) -> None:
    exchange = operators.command("blocklist held@example.com", user=OPERATOR)
    answer = exchange.answer
    assert "On our custom blocklist until " in all_text(answer)
    click_remove(operators, answer)
    (view,) = operators.hooks.views.opened
    operators.submit(view, "Unblocked at the customer's request", user=OPERATOR)
    assert sim.blocklists.deleted == [("custom", "held@example.com")]
    assert sim.stats().served.get("DeleteBlackList") is None


def test_double_submit_removes_once(operators: SlackHarness, sim: Simulator) -> None:
    click_remove(operators, lookup(operators, "bounced", OPERATOR))
    (view,) = operators.hooks.views.opened
    operators.submit(view, "confirmed", user=OPERATOR)
    operators.submit(view, "confirmed", user=OPERATOR)
    assert deletes(sim) == 1


def test_forged_submit_from_a_non_operator_is_refused(
    operators: SlackHarness, sim: Simulator
) -> None:
    click_remove(operators, lookup(operators, "bounced", OPERATOR))
    (view,) = operators.hooks.views.opened
    forged = operators.submit(view, "let me in", user=USER)
    assert forged.ack_body["response_action"] == "errors"
    assert "Only operators" in forged.ack_body["errors"]["reason"]
    assert forged.invocations == []
    assert deletes(sim) == 0


def test_forged_click_from_a_non_operator_opens_nothing(
    operators: SlackHarness, sim: Simulator
) -> None:
    answer = lookup(operators, "bounced", OPERATOR)
    exchange = click_remove(operators, answer, user=USER)
    assert operators.hooks.views.opened == []
    assert "Only operators" in all_text(exchange.answer)
    assert deletes(sim) == 0


def test_empty_reason_keeps_the_modal_open(operators: SlackHarness, sim: Simulator) -> None:
    click_remove(operators, lookup(operators, "bounced", OPERATOR))
    (view,) = operators.hooks.views.opened
    exchange = operators.submit(view, "   ", user=OPERATOR)
    assert exchange.ack_body["response_action"] == "errors"
    assert deletes(sim) == 0


def test_address_no_longer_listed_says_so(operators: SlackHarness, sim: Simulator) -> None:
    click_remove(operators, lookup(operators, "bounced", OPERATOR))
    (view,) = operators.hooks.views.opened
    sim.blocklists.delete_tencent(sim.dataset, {"EmailAddressList": ["bounced@example.com"]}, 30)
    operators.submit(view, "confirmed", user=OPERATOR)
    assert "not on a blocklist any more: nothing was removed" in all_text(operators.seen()[-1])
    assert deletes(sim) == 0


def test_an_expired_trigger_is_explained(operators: SlackHarness, sim: Simulator) -> None:
    answer = lookup(operators, "bounced", OPERATOR)
    exchange = click_remove(operators, answer, age=3.5)  # the click reached us late
    assert "expired_trigger_id" in all_text(exchange.answer)
    assert operators.hooks.views.opened == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("blocklist banned@example.com", "On our custom blocklist with no end date"),
        ("blocklist delivered@example.com", "Not on any blocklist"),
    ],
)
def test_blocklist_command(operators: SlackHarness, text: str, says: str) -> None:
    exchange = operators.command(text)
    assert "blocklist" in exchange.ack_body["text"].lower()
    assert says in all_text(exchange.answer)


def test_blocklist_command_usage(operators: SlackHarness) -> None:
    exchange = operators.command(
        "blocklist qcloudses-30-1300000007-date-20261203091405-AbCdEfGhIjKl"
    )
    assert exchange.invocations == []
    assert "Usage: /emailstatus blocklist &lt;recipient address&gt;" in all_text(exchange.ack_body)
    assert "not a MessageId" in exchange.ack_body["text"]
