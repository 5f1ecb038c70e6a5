"""Fuzzing what anyone in the workspace can type: the parser alone, then the whole Slack path.

The parser's own tests (``tests/test_command.py``) fuzz it with random text and plausible
phrases; here the inputs are the hostile ones Slack actually delivers — its own markup
(``<mailto:…|…>``, ``<@U…>``, ``<!channel>``, links), mrkdwn specials, control and format
characters, look-alike Unicode, 10 KB pastes — and they go through the signed request, the
acknowledgement, the lazy lookup against the simulator and the answer. Properties: no exception
escapes (nor is one logged as a bug), every payload is within Block Kit's limits (the Slack
suite's checker), and nothing from outside comes out as live markup.

The coverage-guided atheris target for the parser (``atheris_parser.py``) runs briefly here and
longer under ``make soak``.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emailstatus.command import Query, parse
from ses_simulator import FIXTURES, SHANGHAI, Simulator
from testkit.command_properties import NOWS, WORDS, check_invariants
from testkit.slack_harness import Exchange, SlackHarness

ATHERIS_TARGET = Path(__file__).with_name("atheris_parser.py")
TEN_KB = 10_240
#: A Slack date token, the one ``<…>`` the renderer itself writes.
DATE_TOKEN = re.compile(r"<!date\^\d+\^[^|<>]*\|[^<>]*>")
ADDRESSES = [fixture.address for fixture in FIXTURES.values()] + ["x@example.com"]

_ids = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=11)
_label = st.text(max_size=20).filter(lambda label: "|" not in label and ">" not in label)
_address = st.sampled_from(ADDRESSES) | st.emails().map(lambda email: email.split("@")[0])
#: What Slack turns user input into, and what users paste.
SLACK_MARKUP = st.one_of(
    st.builds(lambda a, b: f"<mailto:{a}|{b}>", st.sampled_from(ADDRESSES), _address | _label),
    st.builds(lambda a: f"<mailto:{a}>", _address),
    st.builds(lambda i: f"<@U{i}>", _ids),
    st.builds(lambda i, n: f"<@U{i}|{n}>", _ids, _label),
    st.builds(lambda i, n: f"<#C{i}|{n}>", _ids, _label),
    st.builds(lambda i, n: f"<!subteam^S{i}|{n}>", _ids, _label),
    st.sampled_from(["<!channel>", "<!here>", "<!everyone>", "<!here|here>"]),
    st.builds(lambda n: f"<https://example.com/{n}|{n}>", _label),
    st.builds(lambda n: f"<!date^1700000000^{{date}}|{n}>", _label),
    st.sampled_from(["*", "_", "~", "`", "```", ">", ">>>", "&", "&lt;", "&gt;", "&amp;"]),
)
#: Characters that break naive code: controls, bidi and zero-width marks, separators.
AWKWARD = st.text(
    st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn"], exclude_characters="\x00"),
    min_size=1,
    max_size=4,
) | st.sampled_from(["\x00", "＠", "аlice@example.com", "ALICE@EXAMPLE.COM", "é", "🙂", "\u202e"])
TOKEN = st.one_of(WORDS, SLACK_MARKUP, AWKWARD, st.text(max_size=12))
SEPARATOR = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u3000", ""])
COMMAND_TEXT = st.lists(st.tuples(TOKEN, SEPARATOR), max_size=8).map(
    lambda parts: "".join(token + separator for token, separator in parts)
)
BIG_TEXT = st.text(min_size=1, max_size=40).map(lambda chunk: (chunk * TEN_KB)[:TEN_KB])


def mrkdwn_texts(payload: Any) -> list[str]:
    """The top-level ``text`` and every mrkdwn text object in a payload: what Slack parses."""
    found: list[str] = []
    if isinstance(payload, dict):
        if payload.get("type") == "mrkdwn" and isinstance(payload.get("text"), str):
            found.append(payload["text"])
        for value in payload.values():
            found.extend(mrkdwn_texts(value))
    elif isinstance(payload, list):
        for item in payload:
            found.extend(mrkdwn_texts(item))
    return found


def assert_inert(payload: dict[str, Any]) -> None:
    """No ``<…>`` markup in what Slack will parse, except the renderer's own date tokens."""
    for text in [payload.get("text", ""), *mrkdwn_texts(payload.get("blocks", []))]:
        remainder = DATE_TOKEN.sub("", text)
        assert "<" not in remainder and ">" not in remainder, text


@settings(max_examples=400, deadline=None)
@given(COMMAND_TEXT, NOWS)
def test_parser_holds_on_slack_markup_and_awkward_text(text: str, now: datetime) -> None:
    result = parse(text, now)
    check_invariants(result, now)
    if isinstance(result, Query):  # what goes to Tencent is one clean token
        assert result.target and result.target == result.target.strip()
        assert not any(char in result.target for char in "<>| \t\n\x00")


@settings(max_examples=30, deadline=None)
@given(BIG_TEXT, NOWS)
def test_parser_refuses_ten_kilobytes_quickly(text: str, now: datetime) -> None:
    check_invariants(parse(text, now), now)


@pytest.fixture
def bug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.ERROR, logger="emailstatus")
    return caplog


def send_and_check(slack: SlackHarness, text: str, bug_log: pytest.LogCaptureFixture) -> Exchange:
    """One command through the handler; the properties every answer must have."""
    bug_log.clear()
    exchange = slack.command(text)  # the harness validates every payload against Block Kit

    assert exchange.ack["statusCode"] == 200
    payloads = [exchange.ack_body, *exchange.posts] if exchange.ack.get("body") else []
    assert payloads, "every command gets an answer"
    assert len(exchange.invocations) <= 1
    assert len(exchange.posts) == len(exchange.invocations)  # a lookup answers exactly once
    for payload in payloads:
        assert_inert(payload)
        assert "unexpected problem" not in json.dumps(payload)
    assert not [record for record in bug_log.records if record.name.startswith("emailstatus")]
    return exchange


_FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(_FUZZ, max_examples=60)
@given(text=COMMAND_TEXT)
def test_slack_answers_any_text_once_validly_and_inertly(
    text: str, slack: SlackHarness, sim: Simulator, bug_log: pytest.LogCaptureFixture
) -> None:
    sim.set_rate_limit(None)  # the fuzzer is not the subject of the rate limit here
    send_and_check(slack, text, bug_log)


#: Ways a real address arrives: typed, auto-linked by Slack (with or without the label),
#: pasted with zero-width debris or in capitals.
TARGET_FORMS = st.sampled_from(
    [
        "{}",
        "<mailto:{0}|{0}>",
        "<mailto:{}>",
        "\u200b{}\u200b",
        "{}\ufeff",
    ]
)
WHEN_FORMS = st.sampled_from(["", "today", "yesterday", "last 3 days", "2 days ago", "2d"])


@settings(_FUZZ, max_examples=25)
@given(
    address=st.sampled_from(ADDRESSES),
    form=TARGET_FORMS,
    when=WHEN_FORMS,
    gap=st.sampled_from([" ", "  ", "\t", "\u00a0"]),
)
def test_slack_lookups_in_every_form_reach_one_verdict(
    *,
    address: str,
    form: str,
    when: str,
    gap: str,
    slack: SlackHarness,
    sim: Simulator,
    bug_log: pytest.LogCaptureFixture,
) -> None:
    """Reaches the lookup and the verdict renderer (long answers included: ``many@``)."""
    sim.set_rate_limit(None)
    text = form.format(address) + (gap + when if when else "")
    assert isinstance(parse(text, datetime.now(SHANGHAI)), Query), text
    exchange = send_and_check(slack, text, bug_log)
    assert len(exchange.invocations) == len(exchange.posts) == 1  # looked up, answered once


@pytest.mark.soak
@settings(_FUZZ, max_examples=2000)
@given(text=COMMAND_TEXT)
def test_slack_soak_two_thousand_texts(
    text: str, slack: SlackHarness, sim: Simulator, bug_log: pytest.LogCaptureFixture
) -> None:
    sim.set_rate_limit(None)
    send_and_check(slack, text, bug_log)


@settings(_FUZZ, max_examples=8)
@given(text=BIG_TEXT)
def test_slack_answers_ten_kilobytes(
    text: str, slack: SlackHarness, bug_log: pytest.LogCaptureFixture
) -> None:
    send_and_check(slack, text, bug_log)


def run_atheris(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("atheris", reason="atheris ships wheels for Linux x86_64 only")
    sys.path.insert(0, str(ATHERIS_TARGET.parent))
    try:
        from atheris_parser import seed_corpus  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    corpus = seed_corpus(tmp_path / "corpus")
    crashes = f"-artifact_prefix={tmp_path}/"  # a crashing input is kept there, not in the cwd
    # libFuzzer's RSS limit reads the peak RSS, which Linux carries over from the forking parent
    # (a pytest that once held gigabytes trips it at once); cap each allocation instead.
    memory = ("-rss_limit_mb=0", "-malloc_limit_mb=2048")
    return subprocess.run(
        [sys.executable, str(ATHERIS_TARGET), crashes, *memory, *options, str(corpus)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_atheris_parser_target_runs_clean(tmp_path: Path) -> None:
    result = run_atheris(tmp_path, "-atheris_runs=20000")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 20000" in result.stderr


@pytest.mark.soak
def test_atheris_parser_for_two_minutes(tmp_path: Path) -> None:
    result = run_atheris(tmp_path, "-max_total_time=120")
    assert result.returncode == 0, result.stderr[-3000:]
