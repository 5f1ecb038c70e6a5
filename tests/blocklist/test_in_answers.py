"""Every lookup of a bounced, dropped or refused email says where the address stands on the
blocklists; a failed check is one line and the verdict still arrives."""

from __future__ import annotations

import json

import pytest

from ses_simulator import FIXTURES, Simulator
from tests.reliability.conftest import RunCli

LISTS = ("ListBlackEmailAddress", "ListCustomBlacklist")


def check(run_cli: RunCli, name: str, *extra: str) -> str:
    fixture = FIXTURES[name]
    result = run_cli("check", fixture.address, fixture.day.isoformat(), *extra)
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("bounced", "  Blocklist: On Tencent's blocklist since "),
        ("refused", "  Blocklist: On Tencent's blocklist since "),
        ("dropped", "  Blocklist: On Tencent's blocklist since "),
        ("multi", "  Blocklist: Not on any blocklist"),  # a full mailbox lists nobody
    ],
)
def test_failed_emails_say_where_the_address_stands(
    run_cli: RunCli, sim: Simulator, name: str, line: str
) -> None:
    out = check(run_cli, name)
    assert any(text.startswith(line) for text in out.splitlines()), out
    served = sim.stats().served
    assert all(served.get(action) == 1 for action in LISTS)


def test_a_delivered_email_has_no_blocklist_line(run_cli: RunCli) -> None:
    assert "Blocklist:" not in check(run_cli, "delivered")


def test_the_reason_is_read_by_the_reply_reader(run_cli: RunCli) -> None:
    out = check(run_cli, "bounced")
    line = next(text for text in out.splitlines() if "Blocklist:" in text)
    assert line.endswith("— The mailbox does not exist")


def test_json_carries_the_blocklist(run_cli: RunCli) -> None:
    document = json.loads(check(run_cli, "refused", "--format", "json"))
    assert document["verdict"]["state"] == "refused"
    assert document["blocklist"]["tencent"]["listed"] is True
    assert document["blocklist"]["custom"]["listed"] is False


def test_a_failed_check_is_one_line_and_the_verdict_stands(run_cli: RunCli, sim: Simulator) -> None:
    # twice: a check still running from an earlier test's lookup may take the first
    sim.fail_next("AuthFailure.UnauthorizedOperation", times=2, action="ListBlackEmailAddress")
    out = check(run_cli, "bounced")
    assert out.startswith("BOUNCED: ")
    lines = [text for text in out.splitlines() if "Blocklist" in text]
    assert len(lines) == 1
    assert lines[0].startswith("  Blocklist: Blocklists could not be checked: ")
    sim.reset()
    document = json.loads(check(run_cli, "bounced", "--format", "json"))
    assert document["blocklist"]["tencent"]["listed"] is True
