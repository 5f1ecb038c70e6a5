"""Answers in the asker's language: every message kind, in Simplified Chinese and in English.

End to end where a request makes the message (signed slash commands through Bolt, the lookup
against the simulator, the answer posted to the fake Slack), rendered directly where only a
table makes it (every status code, every API error, every reply the corpus holds). A Chinese
answer may keep codes, server replies, addresses, MessageIds and the command's own words; any
other English word in it is a text someone forgot to mark or translate.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from emailstatus.command import Query, TargetKind, UsageError
from emailstatus.errors import EmailStatusError, SesError
from emailstatus.i18n import use_locale
from emailstatus.knowledge.codes import API_ERRORS, DELIVER_STATUS, SEND_STATUS
from emailstatus.knowledge.records import EmailRecord
from emailstatus.knowledge.replies import read_reply
from emailstatus.render.slack import (
    failure_message,
    not_allowed_message,
    rate_limited_message,
    unreadable_button_message,
    usage_error_message,
    verdict_message,
)
from emailstatus.render.slack_explain import explain_message
from emailstatus.render.slack_message import Message
from emailstatus.render.slack_modal import (
    FORM_FROM,
    FORM_TARGET,
    FORM_TO,
    PICK_BLOCK,
    PICK_INPUT,
)
from emailstatus.results import Lookup, Outcome
from emailstatus.slack_app.asker import forget_profiles
from emailstatus.verdict import judge
from ses_simulator import BLOCK_FIXTURES, FIXTURES, Simulator
from ses_simulator.faults import Faults
from testkit.block_kit import all_text
from testkit.fake_slack.users import SlackUser
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import USER
from tests.events.conftest import aws  # noqa: F401  (fixture: moto)

CORPUS = Path(__file__).resolve().parents[1] / "reply_corpus.toml"
REPLIES = [case["reply"] for case in tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]]

#: Names, not words: mail providers and software, and the products an answer names.
PROPER_NOUNS = frozenset(
    {
        "emailstatus",
        "Slack",
        "Sisimai",
        "Gmail",
        "Microsoft",
        "Yahoo",
        "Apple",
        "Yandex",
        "Orange",
        "Comcast",
        "Zoho",
        "Exchange",
        "Domino",
        "Postfix",
        "Exim",
        "Sendmail",
    }
)
#: What an answer quotes or shows as code, never words to translate: `code`, Slack's <tokens>,
#: links, addresses, MessageIds, anything in “quotes” (a server's reply, what the user typed,
#: the command's own words), emoji names, HTML entities, region names.
_NOT_WORDS = re.compile(
    r"`[^`]*`|<[^<>]*>|https?://\S+|[\w.+-]+@[\w.-]+|qcloudses-[\w-]+|“[^”]*”|\"[^\"]*\""
    r"|:[a-z0-9_+-]+:|&(?:amp|lt|gt);|\bap-[a-z]+\b"
)
_TOKEN = re.compile(r"[A-Za-z][\w.:'/-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def english_words(text: str) -> list[str]:
    """The English words left in ``text`` once codes, quotes and names are taken out.

    Kept as code: acronyms (SES, SMTP), identifiers with an inner capital (MessageId,
    SendStatus, iCloud), anything with a digit, ``_``, ``.``, ``:`` or ``/`` (5.1.1,
    EMAILSTATUS_LOCALE, ses:GetStatisticsReport, Web.de, infra/policy.json), and words of one
    or two letters (IP, MX).
    """
    words = []
    for token in _TOKEN.findall(_NOT_WORDS.sub(" ", text)):
        word = token.rstrip(".'-/")
        coded = any(char.isdigit() or char in "_./:" for char in word)
        identifier = word.isupper() or any(char.isupper() for char in word[1:])
        if len(word) >= 3 and not coded and not identifier and word not in PROPER_NOUNS:
            words.append(word)
    return words


def visible_texts(payload: Any) -> Iterator[str]:
    """Every text a person sees in a message or view: text objects and the notification."""
    if isinstance(payload, dict):
        if payload.get("type") in ("plain_text", "mrkdwn") and isinstance(payload.get("text"), str):
            yield payload["text"]
        for key, value in payload.items():
            if key == "text" and isinstance(value, str) and "type" not in payload:
                yield value  # a message's notification text
            elif key not in ("value", "private_metadata", "action_id", "block_id"):
                yield from visible_texts(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from visible_texts(item)


def leaks(payload: Any) -> list[tuple[str, str]]:
    return [(word, text) for text in visible_texts(payload) for word in english_words(text)]


def assert_chinese(payload: Any) -> None:
    texts = list(visible_texts(payload))
    assert texts, payload
    assert any(_CJK.search(text) for text in texts), texts
    assert leaks(payload) == []


def assert_english(payload: Any) -> None:
    texts = list(visible_texts(payload))
    assert texts and not any(_CJK.search(text) for text in texts), texts


def test_the_leak_check_finds_english_and_spares_codes() -> None:
    assert english_words("已退信：the mailbox is full") == ["the", "mailbox", "full"]
    assert (
        english_words(
            "已退信 · SendStatus 0 · DeliverStatus 3 · MessageId `qcloudses-30-1-date-2-x` · "
            "回复：“550 5.1.1 user unknown” · RequestId abc-1 · Gmail · SMTP · bob@example.com"
        )
        == []
    )


# --- end to end: signed requests through Bolt, answers from the simulator ---------------------


@pytest.fixture(params=["zh-CN", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def profiles() -> Iterator[None]:
    """No profile read by an earlier test: each test starts as a cold container."""
    forget_profiles()
    yield
    forget_profiles()


@pytest.fixture
def asker(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch, language: str, profiles: None
) -> SlackHarness:
    """An asker whose Slack language is ``language``, in a workspace configured for it too (so
    even a first acknowledgement, before the profile is read, is in it)."""
    slack_env.setenv("EMAILSTATUS_LOCALE", language)
    slack.hooks.users.users[USER] = SlackUser(tz="Asia/Shanghai", locale=language)
    slack.rebuild()
    return slack


def slack_locale(slack: SlackHarness, locale: str) -> None:
    slack.hooks.users.users[USER] = SlackUser(tz="Asia/Shanghai", locale=locale)


def test_the_askers_slack_language_wins_over_the_configured_one(
    slack: SlackHarness, profiles: None
) -> None:
    """Configured English, an asker whose Slack is in Chinese: the lookup (which reads their
    profile) answers in Chinese; the very first acknowledgement, before the profile is known,
    in English; every acknowledgement after it in Chinese."""
    slack_locale(slack, "zh-CN")
    first = slack.command("bounced@example.com")
    assert_english(first.ack_body)
    assert_chinese(first.answer)
    assert (USER, True) in slack.hooks.users.calls  # users.info with include_locale
    second = slack.command("help")
    assert_chinese(second.ack_body)


@pytest.mark.parametrize(("configured", "expected"), [("en", "en"), ("zh-CN", "zh-CN")])
def test_traditional_chinese_gets_the_configured_language(
    slack: SlackHarness,
    slack_env: pytest.MonkeyPatch,
    profiles: None,
    configured: str,
    expected: str,
) -> None:
    slack_env.setenv("EMAILSTATUS_LOCALE", configured)
    slack.rebuild()
    slack_locale(slack, "zh-TW")
    check(slack.command("bounced@example.com").answer, expected)


def test_without_users_read_the_configured_language_answers(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch, profiles: None
) -> None:
    """Before the app is reinstalled with ``users:read``: the configured language, no error."""
    slack_env.setenv("EMAILSTATUS_LOCALE", "zh-CN")
    slack.rebuild()
    slack.hooks.users.scopes = ("commands", "chat:write")
    slack_locale(slack, "en-US")
    assert_chinese(slack.command("bounced@example.com").answer)


def check(payload: Any, language: str) -> None:
    if language == "zh-CN":
        assert_chinese(payload)
    else:
        assert_english(payload)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_verdict_kind_answers_in_the_askers_language(
    asker: SlackHarness, language: str, name: str
) -> None:
    """Each demo email (every state, a busy day, engagement, a hostile reply): the
    acknowledgement and the answer, with its buttons, timeline and blocklist line."""
    fixture = FIXTURES[name]
    exchange = asker.command(f"{fixture.address} {fixture.day.isoformat()}")
    check(exchange.ack_body, language)
    check(exchange.answer, language)


@pytest.mark.parametrize(
    "text",
    [
        "help",
        "",
        "nobody@example.com",
        "nobody@example.com last 7 days",
        "alice@ex",
        "alice@example.com bob@example.com",
        "alice@example.com 2026-13-45",
        "alice@example.com last 30 days",
        "alice@example.com 3days",
        "qcloudses-30-1-date-2",
        "explain 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown",
        "explain 421 4.7.0 Try again later, closing connection. (EHLO) - gsmtp",
        "explain",
        "blocklist",
        "blocklist qcloudses-30-1300000007-date-20261128091405-AbCdEfGhIjKl",
        'subject:"Reset your password" yesterday',
        "alice@example.com subject:a subject:b",
        "alice@example.com template:welcome",
        'alice@example.com subject:"Reset your password',
        "alice@example.com subject:",
        "subject:" + "9" * 301,
    ],
)
def test_help_usage_errors_and_readings_answer_in_the_askers_language(
    asker: SlackHarness, language: str, text: str
) -> None:
    exchange = asker.command(text)
    check(exchange.ack_body, language)
    for post in exchange.posts:
        check(post, language)


@pytest.mark.parametrize("name", sorted(BLOCK_FIXTURES))
def test_every_blocklist_state_answers_in_the_askers_language(
    asker: SlackHarness, language: str, name: str
) -> None:
    exchange = asker.command(f"blocklist {BLOCK_FIXTURES[name].address}")
    check(exchange.ack_body, language)
    check(exchange.answer, language)


def test_a_failed_lookup_answers_in_the_askers_language(
    asker: SlackHarness, language: str, sim: Simulator
) -> None:
    sim.set_faults(Faults(error_rates={"RequestLimitExceeded": 1.0}))
    check(asker.command("bounced@example.com").answer, language)


@pytest.mark.usefixtures("aws")
def test_what_only_an_operator_can_fix_answers_in_the_askers_language(
    asker: SlackHarness, language: str, slack_env: pytest.MonkeyPatch
) -> None:
    """The events table missing (the verdict stands, with a note saying why there is no
    timeline), then no Tencent key at all: the agent reads both in their language."""
    slack_env.setenv("EMAILSTATUS_EVENTS_TABLE", "emailstatus-test-missing")
    asker.rebuild()
    noted = asker.command("bounced@example.com").answer
    check(noted, language)
    assert "emailstatus-test-missing" in all_text(noted)
    assert "ResourceNotFoundException" in all_text(noted)

    for name in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"):
        slack_env.delenv(name)
    asker.rebuild()
    unconfigured = asker.command("bounced@example.com").answer
    check(unconfigured, language)
    assert "TENCENTCLOUD_SECRET_ID" in all_text(unconfigured)


# --- rendered directly: what only a table makes ----------------------------------------------

DAY = date(2026, 11, 28)


def outcome(send_status: int, deliver_status: int, reply: str = "") -> Outcome:
    sent = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    record = EmailRecord.from_api(
        {
            "MessageId": "qcloudses-30-1300000007-date-20261128170000-TestTestTest",
            "ToEmailAddress": "alice@example.com",
            "FromEmailAddress": "noreply@example.com",
            "SendStatus": send_status,
            "DeliverStatus": deliver_status,
            "DeliverMessage": reply,
            "RequestTime": int(sent.timestamp()),
            "DeliverTime": int(sent.timestamp()) + 5,
            "UserOpened": True,
            "UserClicked": True,
            "UserUnsubscribed": deliver_status == 1,
            "UserComplainted": False,
        }
    )
    query = Query("alice@example.com", TargetKind.ADDRESS, (DAY,), today=DAY + timedelta(days=1))
    return Outcome(query, Lookup((record,), ("req-1",)), judge([record]), 0.1)


def chinese(make: Any) -> Message:
    with use_locale("zh-CN"):
        answer = make()
    assert isinstance(answer, Message)
    return answer


@pytest.mark.parametrize("code", sorted({*SEND_STATUS, 4242} - {0}))
def test_every_refusal_code_reads_in_chinese(code: int) -> None:
    assert_chinese(chinese(lambda: verdict_message(outcome(code, 0))).to_dict())


@pytest.mark.parametrize("code", sorted({*DELIVER_STATUS, 5}))
def test_every_delivery_status_reads_in_chinese(code: int) -> None:
    answer = chinese(lambda: verdict_message(outcome(0, code, "550 5.1.1 user unknown")))
    assert_chinese(answer.to_dict())


@pytest.mark.parametrize("code", sorted({*API_ERRORS, "FailedOperation.SomethingNew", ""}))
def test_every_api_error_reads_in_chinese(code: str) -> None:
    query = Query("alice@example.com", TargetKind.ADDRESS, (DAY,), today=DAY)
    # built where the lookup runs: in the asker's request, under their language
    answer = chinese(lambda: failure_message(SesError(code, "Tencent's own words", "req-1"), query))
    assert_chinese(answer.to_dict())


def test_every_reply_in_the_corpus_reads_in_chinese() -> None:
    """Every reason, provider rule and wording rule the reader knows, through ``explain`` and
    through a bounced email's answer."""
    found: list[tuple[str, str]] = []
    for reply in REPLIES:
        with use_locale("zh-CN"):
            reading = read_reply(reply)
            assert reading is not None
            answers = [explain_message(reading, reply), verdict_message(outcome(0, 3, reply))]
        found.extend(leak for answer in answers for leak in leaks(answer.to_dict()))

    assert found == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: not_allowed_message(channel=True),
        lambda: not_allowed_message(channel=False),
        lambda: rate_limited_message(10),
        unreadable_button_message,
        lambda: usage_error_message(UsageError("…")),
        lambda: failure_message(EmailStatusError("Tencent did not answer in time.")),
    ],
)
def test_refusals_and_errors_read_in_chinese(make: Any) -> None:
    assert_chinese(chinese(make).to_dict())


# --- modals, the shortcut and App Home: end to end ------------------------------------------


def picked(address: str) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": address}, "value": address}
    return {PICK_BLOCK: {PICK_INPUT: {"type": "radio_buttons", "selected_option": option}}}


def form(target: str, start: str | None = None) -> dict[str, Any]:
    return {
        FORM_TARGET: {FORM_TARGET: {"type": "plain_text_input", "value": target}},
        FORM_FROM: {FORM_FROM: {"type": "datepicker", "selected_date": start}},
        FORM_TO: {FORM_TO: {"type": "datepicker", "selected_date": None}},
    }


def test_the_shortcut_and_its_modals_answer_in_the_askers_language(
    asker: SlackHarness, language: str
) -> None:
    """One address: the answer; several: the picker, then the pick's answer; none: the form;
    where the app cannot post: the answer in the modal."""
    bounced, delivered = FIXTURES["bounced"].address, FIXTURES["delivered"].address
    for post in asker.shortcut({"text": f"Did {bounced} get it?"}).posts:
        check(post, language)
    asker.shortcut({"text": f"{delivered} and {bounced}"})
    picker = asker.hooks.views.opened[-1]
    check(picker, language)
    (view_id,) = asker.hooks.views.modals
    submitted = asker.submit_values(asker.hooks.views.current(view_id), picked(bounced))
    for post in submitted.posts:
        check(post, language)
    asker.shortcut({"text": "nothing here, see <@U0BOB>"})
    check(asker.hooks.views.opened[-1], language)
    asker.shortcut({"text": bounced}, closed=True)
    for modal in asker.hooks.views.modals.values():
        check(modal, language)


def test_the_lookup_form_answers_in_the_askers_language(asker: SlackHarness, language: str) -> None:
    asker.global_shortcut("lookup_email")
    (view_id,) = asker.hooks.views.modals
    check(asker.hooks.views.current(view_id), language)
    wrong = asker.submit_values(asker.hooks.views.current(view_id), form("alice@ex"))
    check({"text": " ".join(wrong.ack_body["errors"].values())}, language)  # the field's error
    answered = asker.submit_values(
        asker.hooks.views.current(view_id), form(FIXTURES["bounced"].address)
    )
    check(answered.ack_body["view"], language)
    check(asker.hooks.views.current(view_id), language)


def test_app_home_answers_in_the_askers_language(asker: SlackHarness, language: str) -> None:
    asker.command(FIXTURES["bounced"].address)  # a recent lookup to list
    asker.open_home()
    check(asker.hooks.views.homes[USER], language)
