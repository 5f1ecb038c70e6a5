"""``emailstatus blocklist [remove] ADDRESS`` against the simulator, through the real SDK."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import pytest

from ses_simulator import BLOCK_FIXTURES, Simulator
from tests.reliability.conftest import RunCli

DELETES = ("DeleteBlackList", "DeleteCustomBlackList")


def deletes(sim: Simulator) -> int:
    served = sim.stats().served
    return sum(served.get(action, 0) for action in DELETES)


def test_on_tencents_list_with_the_reason_read(run_cli: RunCli) -> None:
    result = run_cli("blocklist", "bounced@example.com")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.startswith("bounced@example.com: On Tencent's blocklist since ")
    assert "— The mailbox does not exist" in first
    assert "Reply that listed it: “550-5.1.1 The email account" in result.out


def test_json_shape_for_each_case(run_cli: RunCli, sim: Simulator) -> None:
    def document(name: str) -> dict[str, object]:
        result = run_cli("blocklist", BLOCK_FIXTURES[name].address, "--format", "json")
        assert result.code == 0, result.err
        return dict(json.loads(result.out))

    tencent = document("refused")
    assert tencent["tencent"]["listed"] is True  # type: ignore[index]
    assert str(tencent["tencent"]["since"]).endswith("+08:00")  # type: ignore[index]
    assert tencent["tencent"]["reason"] == "The mailbox does not exist"  # type: ignore[index]
    assert tencent["custom"] == {"listed": False, "expires": None, "status": None}
    held = document("held")
    expires = (sim.dataset.today + timedelta(days=30)).isoformat()
    assert held["custom"] == {"listed": True, "expires": expires, "status": "active"}
    assert held["tencent"]["listed"] is False  # type: ignore[index]
    assert document("banned")["custom"] == {"listed": True, "expires": None, "status": "active"}
    expired = document("expired")
    assert expired["custom"]["listed"] is False  # type: ignore[index]
    assert expired["custom"]["status"] == "expired"  # type: ignore[index]
    none = document("none")
    assert none["tencent"]["listed"] is False  # type: ignore[index]
    assert none["custom"]["listed"] is False  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("held", "On our custom blocklist until "),
        ("banned", "On our custom blocklist with no end date"),
        ("expired", "Not on any blocklist"),
        ("none", "Not on any blocklist"),
    ],
)
def test_text_for_the_other_cases(run_cli: RunCli, name: str, line: str) -> None:
    result = run_cli("blocklist", BLOCK_FIXTURES[name].address)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{BLOCK_FIXTURES[name].address}: {line}")


@pytest.mark.parametrize(
    ("name", "action"), [("tencent", "DeleteBlackList"), ("held", "DeleteCustomBlackList")]
)
def test_remove_with_yes_uses_the_right_delete_once(
    run_cli: RunCli, sim: Simulator, name: str, action: str
) -> None:
    address = BLOCK_FIXTURES[name].address
    result = run_cli("blocklist", "remove", address, "--yes")
    assert result.code == 0, result.err
    assert f"Removed {address} from " in result.out
    assert sim.stats().served.get(action) == 1
    assert deletes(sim) == 1
    after = run_cli("blocklist", address)
    assert "Not on any blocklist" in after.out
    again = run_cli("blocklist", "remove", address, "--yes")
    assert again.code == 1
    assert "nothing to remove" in again.err
    assert deletes(sim) == 1


def test_terminal_asks_and_no_keeps_it(
    run_cli: RunCli, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)

    def say_no(prompt: str) -> str:
        asked.append(prompt)
        return "n"

    monkeypatch.setattr("builtins.input", say_no)
    result = run_cli("blocklist", "remove", "bounced@example.com")
    assert result.code == 1
    assert "Nothing removed." in result.err
    assert "Tencent will send to bounced@example.com again" in asked[0]
    assert deletes(sim) == 0
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert run_cli("blocklist", "remove", "bounced@example.com").code == 0
    assert deletes(sim) == 1


def test_no_terminal_and_no_yes_is_a_usage_error(
    run_cli: RunCli, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    result = run_cli("blocklist", "remove", "bounced@example.com")
    assert result.code == 2
    assert "--yes" in result.err
    assert deletes(sim) == 0


def test_without_an_operator_key_says_what_to_configure(
    run_cli: RunCli, cli_env: pytest.MonkeyPatch, sim: Simulator
) -> None:
    cli_env.delenv("TENCENTCLOUD_OPERATOR_SECRET_ID")
    cli_env.delenv("TENCENTCLOUD_OPERATOR_SECRET_KEY")
    result = run_cli("blocklist", "remove", "bounced@example.com", "--yes")
    assert result.code == 1
    assert "TENCENTCLOUD_OPERATOR_SECRET_ID" in result.err
    assert "infra/tencent-cam-policy-operator.json" in result.err
    assert sim.stats().served_total == 0


def test_the_lookup_key_cannot_delete(
    run_cli: RunCli, cli_env: pytest.MonkeyPatch, sim: Simulator
) -> None:
    cli_env.setenv("TENCENTCLOUD_OPERATOR_SECRET_ID", sim.secret_id)
    cli_env.setenv("TENCENTCLOUD_OPERATOR_SECRET_KEY", sim.secret_key)
    result = run_cli("blocklist", "remove", "bounced@example.com", "--yes")
    assert result.code == 1
    assert "code: AuthFailure.UnauthorizedOperation" in result.err
    assert sim.blocklists.deleted == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("blocklist", "not-an-address"), "not an email address"),
        (
            ("blocklist", "qcloudses-30-1300000007-date-20261203091405-AbCdEfGhIjKl"),
            "not a MessageId",
        ),
        (("blocklist", "remove"), "Give the address to remove"),
        (("blocklist", "a@example.com", "b@example.com"), "one recipient address"),
    ],
)
def test_bad_input_is_a_usage_error(run_cli: RunCli, argv: tuple[str, ...], message: str) -> None:
    result = run_cli(*argv)
    assert result.code == 2
    assert message in result.err
    assert "Usage: emailstatus blocklist [remove] ADDRESS" in result.err


def test_a_failing_list_call_is_explained(run_cli: RunCli, sim: Simulator) -> None:
    sim.fail_next("AuthFailure.UnauthorizedOperation", action="ListCustomBlacklist")
    result = run_cli("blocklist", "bounced@example.com")
    assert result.code == 1
    assert "code: AuthFailure.UnauthorizedOperation" in result.err
    assert "Traceback" not in result.err
