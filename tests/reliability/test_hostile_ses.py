"""A hostile or broken Tencent SES: every lookup and every digest still ends, in bounded time
and memory, with a true account of what was read.

The simulator misbehaves on purpose (``simulator.hostile`` and the drip/huge faults); the
client is the real SDK behind ``SesClient``, the CLI runs in-process, Slack through the real
Bolt app.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emailstatus import lookup as lookup_module
from emailstatus.command import Query, TargetKind
from emailstatus.config import load_settings
from emailstatus.digest.run import build_report
from emailstatus.errors import SesError
from emailstatus.knowledge.codes import MALFORMED_RESPONSE, RESPONSE_TOO_LARGE
from emailstatus.lookup import run_lookup
from emailstatus.results import (
    CUT_BY_DEADLINE,
    CUT_BY_PAGE_LIMIT,
    DEADLINE,
    LOOKUP_MAX_PAGES,
    REPEATING,
)
from emailstatus.tencent.client import SesClient
from emailstatus.tencent.retry import RetryPolicy
from ses_simulator import FIXTURES, Faults, Simulator
from ses_simulator.hostile import BAD_TIMES
from testkit.block_kit import all_text
from testkit.slack_harness import SlackHarness
from tests.digest.conftest import digest_settings
from tests.digest.truth import assert_matches, ground_truth
from tests.reliability.conftest import FAST_RETRY, STATUS, RunCli

MANY = FIXTURES["many"]


def _client(sim: Simulator, **env: str) -> SesClient:
    settings = load_settings(
        {
            "TENCENTCLOUD_SECRET_ID": sim.secret_id,
            "TENCENTCLOUD_SECRET_KEY": sim.secret_key,
            "EMAILSTATUS_SES_ENDPOINT": sim.endpoint,
            "EMAILSTATUS_SES_RATE": "400",
            **env,
        }
    )
    return SesClient(settings, retry=FAST_RETRY)


# --- drip: a server that sends one byte at a time -----------------------------------------------


def test_a_dripping_server_cannot_hold_a_lookup(
    sim: Simulator, run_cli: RunCli, fast_retries: RetryPolicy
) -> None:
    """0.2 s a byte: each answer would take minutes; each attempt ends at the SES timeout."""
    sim.set_faults(Faults(drip_rate=1.0, drip_interval=0.2))
    result = run_cli("check", FIXTURES["delivered"].address)
    assert result.code == 1
    assert "code: ClientNetworkError" in result.err and "Traceback" not in result.err
    assert sim.stats().served[STATUS] == fast_retries.attempts


def test_a_dripping_server_gets_an_answer_to_slack(
    sim: Simulator, slack: SlackHarness, slack_env: pytest.MonkeyPatch, fast_retries: RetryPolicy
) -> None:
    slack_env.setenv("EMAILSTATUS_SES_TIMEOUT", "0.3")
    slack.rebuild()
    sim.set_faults(Faults(drip_rate=1.0, drip_interval=0.2))
    answer = slack.command(FIXTURES["delivered"].address).answer
    assert answer["text"].startswith(":warning: Tencent could not be reached")


def test_the_digest_walk_deadline_holds_while_requests_drip(dsim: Simulator, day: Any) -> None:
    """A 10 s-deadline run used to stay alive past 45 s: now it stops at its deadline."""
    import time

    dsim.set_faults(Faults(drip_rate=0.3, drip_interval=0.5))
    settings = digest_settings(dsim, EMAILSTATUS_SES_TIMEOUT="30")
    started = time.monotonic()
    report = build_report(
        SesClient(settings, retry=FAST_RETRY), settings, day, deadline=started + 2.0
    )
    assert not report.complete
    assert report.progress.stopped_by == DEADLINE
    assert time.monotonic() - started < 2.0 + 10  # the statistics call has its own 10 s


# --- ignore-offset and overlapping pages -----------------------------------------------------


def test_a_server_ignoring_offset_is_paged_only_to_the_lookup_limit(
    sim: Simulator, run_cli: RunCli
) -> None:
    sim.set_faults(Faults(ignore_offset=True))
    result = run_cli("check", MANY.address, MANY.day.isoformat(), "--format", "json")
    document = json.loads(result.out)
    assert result.code == 0
    assert sim.stats().served[STATUS] == LOOKUP_MAX_PAGES
    assert len(document["emails"]) == 100  # the same page ten times, kept once
    assert "Narrow the search" in document["cut_short"]
    assert MANY.day.isoformat() in document["cut_short"]


def test_overlapping_pages_are_counted_once_in_a_lookup(sim: Simulator, run_cli: RunCli) -> None:
    sim.set_faults(Faults(repeat_records=30))
    result = run_cli("check", MANY.address, MANY.day.isoformat(), "--format", "json")
    emails = json.loads(result.out)["emails"]
    assert len(emails) == MANY.count
    assert len({email["message_id"] for email in emails}) == MANY.count


def test_overlapping_pages_are_counted_once_in_the_digest(dsim: Simulator, day: Any) -> None:
    dsim.set_faults(Faults(repeat_records=7))
    settings = digest_settings(dsim)
    report = build_report(SesClient(settings), settings, day)
    assert report.complete
    assert report.progress.duplicates > 0
    assert_matches(report.as_dict(), ground_truth(dsim.dataset.day_records(day)))
    assert any("counted once" in note for note in report.notes)


def test_a_digest_against_a_server_ignoring_offset_stops_and_says_so(
    dsim: Simulator, day: Any
) -> None:
    dsim.set_faults(Faults(ignore_offset=True))
    settings = digest_settings(dsim)
    report = build_report(SesClient(settings), settings, day)
    assert not report.complete and report.progress.stopped_by == REPEATING
    assert report.summary.total == 100
    assert dsim.stats().served[STATUS] <= 1 + 2 * 10 + 1  # one page, plus those dispatched ahead
    assert any("ignored the offset" in note for note in report.notes)


# --- the lookup's deadline ---------------------------------------------------------------------


def test_a_slow_week_answers_with_what_was_read_by_the_deadline(
    sim: Simulator, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like 8,000 emails a day over 7 days: past the limit, the answer says what it covered."""
    monkeypatch.setattr(lookup_module, "LOOKUP_SECONDS", 1.0)
    sim.set_faults(Faults(latency=0.15))  # under the SES timeout: each request succeeds
    result = run_cli("check", MANY.address, "last 7 days", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["cut_short"].startswith("Stopped at the time limit (1 s)")
    assert "not read to the end" in document["cut_short"]
    assert sim.stats().served[STATUS] <= 8


def test_the_deadline_note_reaches_slack(
    sim: Simulator, slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup_module, "LOOKUP_SECONDS", 1.0)
    sim.set_faults(Faults(latency=0.15))
    answer = slack.command(f"{MANY.address} last 7 days").answer
    assert "Stopped at the time limit (1 s)" in all_text(answer)


def test_run_lookup_reports_which_dates_were_read(sim: Simulator) -> None:
    sim.set_faults(Faults(latency=0.2))
    days = tuple(MANY.day - __import__("datetime").timedelta(days=n) for n in range(7))
    outcome = run_lookup(Query(MANY.address, TargetKind.ADDRESS, days), _client(sim), seconds=0.9)
    assert outcome.lookup.cut_short == CUT_BY_DEADLINE
    assert set(outcome.lookup.dates_read) < set(days)


def test_the_page_limit_is_named_as_such(sim: Simulator) -> None:
    lookup = _client(sim).find([MANY.day], to_address=MANY.address, max_pages=2)
    assert lookup.cut_short == CUT_BY_PAGE_LIMIT and lookup.dates_read == ()
    assert len(lookup.records) == 200


# --- huge replies and lying totals -------------------------------------------------------------


def test_a_huge_reply_is_refused_unread(
    sim: Simulator, run_cli: RunCli, slack_env: pytest.MonkeyPatch
) -> None:
    """100,000 records in one reply took the CLI to 562 MB; the cap stops reading at 2 MiB."""
    slack_env.setenv("EMAILSTATUS_SES_TIMEOUT", "20")  # the simulator takes a while to build it
    sim.fail_next("huge", action=STATUS)
    result = run_cli("check", FIXTURES["delivered"].address)
    assert result.code == 1
    assert f"code: {RESPONSE_TOO_LARGE}" in result.err
    assert sim.stats().served[STATUS] == 1  # the same endpoint would answer the same: no retry


def test_lying_totals_do_not_change_what_the_digest_counts(dsim: Simulator, day: Any) -> None:
    dsim.set_faults(Faults(lying_totals=3.0))
    settings = digest_settings(dsim)
    report = build_report(SesClient(settings), settings, day)
    wire = dsim.dataset.day_records(day)
    assert report.complete
    assert_matches(report.as_dict(), ground_truth(wire))
    assert report.day_totals is not None and report.day_totals.requests == 3 * len(wire)


# --- out-of-range times ----------------------------------------------------------------------


def test_out_of_range_times_are_unknown_not_a_crash(sim: Simulator, run_cli: RunCli) -> None:
    sim.set_faults(Faults(bad_times=True))
    result = run_cli("check", MANY.address, MANY.day.isoformat(), "--format", "json")
    assert result.code == 0, result.err
    emails = json.loads(result.out)["emails"]
    assert len(emails) == MANY.count
    assert sum(1 for email in emails if email["requested_at"] is None) == 10 + 10 + 5
    text = run_cli("check", MANY.address, MANY.day.isoformat())
    assert text.code == 0 and "Traceback" not in text.err


def test_out_of_range_times_reach_slack_as_unknown(sim: Simulator, slack: SlackHarness) -> None:
    sim.set_faults(Faults(bad_times=True))
    answer = slack.command(f"{FIXTURES['delivered'].address}").answer
    assert not answer["text"].startswith(":warning:")


def test_the_digest_counts_emails_with_out_of_range_times(dsim: Simulator, day: Any) -> None:
    dsim.set_faults(Faults(bad_times=True))
    settings = digest_settings(dsim)
    report = build_report(SesClient(settings), settings, day)
    total = len(dsim.dataset.day_records(day))
    assert report.complete and report.summary.total == total
    assert report.summary.unknown_times == sum(
        1
        for page_start in range(0, total, 100)
        for i in range(min(100, total - page_start))
        if i % 10 == 0
    )
    assert any("out of range" in note for note in report.notes)
    assert set(BAD_TIMES)  # the four shapes the issue found, all served


# --- malformed success bodies: every shape is "malformed", retried then explained --------------


class _ShapeServer:
    """Answers every request with 200, ``application/json`` and the body it is given."""

    def __init__(self) -> None:
        self.body = b"{}"
        self.requests = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                owner.requests += 1
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def shapes() -> Iterator[_ShapeServer]:
    server = _ShapeServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(["Response", "Error", "Code", "Message", "RequestId", "EmailStatusList"])
SHAPED = st.recursive(
    JSON,
    lambda inner: st.dictionaries(KEYS, inner, max_size=4) | st.lists(inner, max_size=2),
    max_leaves=10,
)
KNOWN_BAD = st.sampled_from(
    [
        {},
        [],
        [1, 2],
        {"Response": []},
        {"Response": {"Error": {}}},
        {"Response": {"Error": {"Code": "InternalError"}}},
        {"Response": {"Error": {"Code": "InternalError", "Message": "x"}}},
        {"Response": {"Error": []}},
        {"Response": {"EmailStatusList": [1, "x", None]}},
        {"Response": {"EmailStatusList": [{"RequestTime": 1e300}]}},
        "just a string",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=KNOWN_BAD | SHAPED)
def test_any_success_body_is_a_page_or_an_explained_error(shapes: _ShapeServer, body: Any) -> None:
    shapes.body = json.dumps(body).encode()
    settings_ = load_settings(
        {
            "TENCENTCLOUD_SECRET_ID": "AKIDshapes",
            "TENCENTCLOUD_SECRET_KEY": "shapes-key",
            "EMAILSTATUS_SES_ENDPOINT": shapes.endpoint,
            "EMAILSTATUS_SES_RATE": "1000",
        }
    )
    client = SesClient(settings_, retry=RetryPolicy(attempts=2, base_delay=0, max_delay=0))
    before = shapes.requests
    try:
        page = client.page(MANY.day, 0, to_address=MANY.address)
    except SesError as error:
        assert error.explanation and error.next_step
        if error.code == MALFORMED_RESPONSE:
            assert shapes.requests - before == 2  # retried, then explained
    else:
        assert all(record.message_id is not None for record in page.records)
