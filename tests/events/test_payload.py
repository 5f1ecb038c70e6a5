"""Callback bodies → events: both documented versions, and every way a body can be refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emailstatus.events.model import BounceKind, EventType
from emailstatus.events.payload import MAX_BODY_BYTES, PayloadError, parse_body
from tests.events.conftest import T0

NOW = T0 + 3600

#: The 2025-10 page's example, with this suite's addresses.
CURRENT = {
    "event": "bounce",
    "email": "alice@example.com",
    "bulkId": "qcloudses-30-251200670-date-20220601142439-8jolHvR2XcXC1",
    "timestamp": T0,
    "reason": "551 5.1.1 recipient is not exist",
    "bounceType": "hard_bounce",
    "username": "251200670",
    "from": "test@notify.example.com",
    "fromDomain": "notify.example.com",
    "templateId": 123456,
    "subject": "example subject",
    "messageId": "ea2783c1-7704-48a8-af36-2b9e83e767ec@notify.example.com",
    "sentTimestamp": T0 - 5,
    "X-Tencentcloudses-Cb-Custom": "ses callback",
    "eventid": 3,
}
#: The China site's older page: seven fields, ``soft``/``hard``.
OLDER = {
    "event": "bounce",
    "email": "bob@example.org",
    "link": "",
    "bulkId": "qcloudses-30-251200670-date-20220601142439-8jolHvR2XcXC2",
    "timestamp": T0,
    "reason": "452 4.2.2 mailbox full",
    "bounceType": "soft",
}


def parse(data: Any) -> list[Any]:
    return parse_body(json.dumps(data).encode(), now=NOW)


def refusal(data: Any) -> str:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    with pytest.raises(PayloadError) as caught:
        parse_body(body, now=NOW)
    return caught.value.reason


def test_the_current_payload_is_read_field_by_field() -> None:
    (event,) = parse(CURRENT)
    assert event.type is EventType.BOUNCE
    assert event.message_id == CURRENT["bulkId"]
    assert (event.at, event.sent_at) == (T0, T0 - 5)
    assert event.bounce is BounceKind.HARD
    assert (event.app_id, event.template_id) == ("251200670", 123456)
    assert event.sender == "test@notify.example.com"
    assert event.smtp_message_id.startswith("ea2783c1")
    assert event.custom == "ses callback"
    assert event.recipient_domain == "example.com"


def test_the_older_payload_is_read_with_its_short_bounce_types() -> None:
    (event,) = parse(OLDER)
    assert (event.type, event.bounce, event.reason) == (
        EventType.BOUNCE,
        BounceKind.SOFT,
        "452 4.2.2 mailbox full",
    )
    assert event.subject == "" and event.template_id is None


@pytest.mark.parametrize(
    ("raw", "subject"),
    [
        ("=?UTF-8?B?6YeN572u5oKo55qE5a+G56CB?=", "重置您的密码"),
        ("=?utf-8?q?R=C3=A9initialiser_le_mot_de_passe?=", "Réinitialiser le mot de passe"),
        ("=?GB2312?B?xOO6ww==?= world", "你好 world"),
        ("=?x-unknown?B?AAAA?=", "=?x-unknown?B?AAAA?="),  # undecodable: kept as sent
        ("Plain =? not encoded", "Plain =? not encoded"),
    ],
)
def test_mime_encoded_subjects_are_decoded(raw: str, subject: str) -> None:
    (event,) = parse({**CURRENT, "subject": raw})
    assert event.subject == subject


def test_eventid_alone_names_the_event_and_numbers_as_strings_are_accepted() -> None:
    data = {k: v for k, v in CURRENT.items() if k != "event"} | {"eventid": 8, "bounceType": ""}
    data["timestamp"] = str(T0)
    data["username"] = 251200670
    (event,) = parse(data)
    assert (event.type, event.at, event.app_id) == (EventType.DEFERRED, T0, "251200670")


def test_an_array_body_holds_several_events_and_unknown_fields_are_ignored() -> None:
    opened = {**OLDER, "event": "open", "bounceType": "", "useragent": "Mozilla/5.0", "new": 1}
    events = parse([CURRENT, opened])
    assert [e.type for e in events] == [EventType.BOUNCE, EventType.OPEN]
    assert events[1].user_agent == "Mozilla/5.0"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json", "body is not UTF-8 JSON"),
        (b"\xff\xfe{}", "body is not UTF-8 JSON"),
        (b"x" * (MAX_BODY_BYTES + 1), f"body is over {MAX_BODY_BYTES} bytes"),
        ([], "body is an empty list"),
        ([OLDER] * 101, "body holds 101 events; at most 100"),
        ("bounce", "an event must be a JSON object, not a string"),
        ({**OLDER, "event": "exploded"}, "event 'exploded' is not a Tencent event type"),
        ({**CURRENT, "eventid": 1}, "event 'bounce' disagrees with eventid 1 (delivered)"),
        ({**CURRENT, "eventid": 42}, "eventid 42 is not one of Tencent's"),
        ({k: v for k, v in OLDER.items() if k != "event"}, "event is missing"),
        ({k: v for k, v in OLDER.items() if k != "bulkId"}, "bulkId (the MessageId) is missing"),
        ({**OLDER, "bulkId": "qcloudses 30"}, "bulkId must be printable ASCII"),
        ({k: v for k, v in OLDER.items() if k != "timestamp"}, "timestamp is missing"),
        ({**OLDER, "timestamp": T0 * 1000}, "is not a plausible event time"),
        ({**OLDER, "timestamp": -5}, "timestamp must be a non-negative integer"),
        ({**OLDER, "timestamp": 1.5}, "timestamp must be a non-negative integer, not a number"),
        ({**OLDER, "bounceType": "medium"}, "bounceType 'medium' is not soft_bounce"),
        ({**OLDER, "email": ["alice@example.com"]}, "email must be a string, not a list"),
        ({**OLDER, "email": "alice"}, "email is not an address"),
        ({**OLDER, "reason": "x" * 5000}, "reason is 5000 characters; at most 4096"),
        ({**OLDER, "link": "https://example.com/\x00"}, "link holds control characters"),
        ({**CURRENT, "username": "app-1"}, "username (the AppId) must be digits"),
        ({**OLDER, **{f"f{n}": n for n in range(64)}}, "an event has 71 fields; at most 64"),
        ([OLDER, {**OLDER, "event": 5}], "event 2: event must be a string, not a number"),
    ],
)
def test_a_bad_body_is_refused_with_the_reason(data: Any, reason: str) -> None:
    assert reason in refusal(data)


@given(st.binary(max_size=512))
def test_any_bytes_are_either_events_or_a_payload_error(body: bytes) -> None:
    try:
        parse_body(body, now=NOW)
    except PayloadError as error:
        assert error.reason


_value = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.lists(st.integers(), max_size=2)
)


@given(st.dictionaries(st.sampled_from(sorted(CURRENT)), _value, max_size=6))
def test_any_mix_of_known_fields_is_either_an_event_or_a_payload_error(
    data: dict[str, Any],
) -> None:
    try:
        parse_body(json.dumps({**CURRENT, **data}).encode(), now=NOW)
    except PayloadError as error:
        assert error.reason
