"""The receiver and consumer Lambdas on moto: callbacks in, events stored once, failures named."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest

from emailstatus.events import handlers
from emailstatus.events.dynamodb import DynamoEventStore
from emailstatus.events.queue import encode
from emailstatus.secrets import forget_events_tokens
from tests.events.conftest import (
    PREVIOUS_TOKEN,
    T0,
    TABLE,
    TOKEN,
    ZONE,
    alb_event,
    http_api_event,
    make_event,
    queued_records,
)

CALLBACK: dict[str, Any] = {
    "event": "delivered",
    "email": "alice@example.com",
    "bulkId": "qcloudses-30-1300000007-date-20261203100000-AbCdEfGhIjKl",
    "timestamp": T0,
    "username": "1300000007",
    "from": "noreply@notify.example.com",
    "subject": "=?UTF-8?B?6YeN572u5oKo55qE5a+G56CB?=",
    "eventid": 1,
}


def post(body: Any, token: str = TOKEN) -> dict[str, Any]:
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    response: dict[str, Any] = handlers.receive_callback(
        http_api_event(f"/tencent/events/{token}", text), None
    )
    return response


def queue_url() -> str:
    return os.environ["EMAILSTATUS_EVENTS_QUEUE_URL"]


def stored(dynamodb: Any) -> DynamoEventStore:
    return DynamoEventStore(TABLE, zone=ZONE, client=dynamodb)


def test_a_callback_is_queued_then_stored_once_however_often_it_comes(
    lambda_env: Any, dynamodb: Any
) -> None:
    first, again = post(CALLBACK), post(CALLBACK)
    assert first["statusCode"] == again["statusCode"] == 200
    assert json.loads(first["body"]) == {"ok": True, "events": 1}
    records = queued_records(lambda_env, queue_url())
    assert len(records) == 2
    assert handlers.consume_queue({"Records": records}, None) == {"batchItemFailures": []}
    # SQS redelivers a batch (a consumer timed out): nothing changes.
    assert handlers.consume_queue({"Records": records}, None) == {"batchItemFailures": []}
    (event,) = stored(dynamodb).timeline(CALLBACK["bulkId"])
    assert event.subject == "重置您的密码"
    assert stored(dynamodb).window_counters(T0 - 300, T0 + 300)["events:delivered"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/tencent/events/wrong_token_0123456789abcdefgh",
        "/tencent/events/",
        f"/tencent/events/{TOKEN}/extra",
        f"/tencent/events/{TOKEN[:-1]}",
        f"/tencent/events/{PREVIOUS_TOKEN}",  # not configured: not accepted
    ],
)
def test_a_wrong_token_gets_404_and_nothing_is_queued(lambda_env: Any, path: str) -> None:
    response = handlers.receive_callback(http_api_event(path, json.dumps(CALLBACK)), None)
    assert response["statusCode"] == 404
    assert TOKEN not in response["body"]
    assert queued_records(lambda_env, queue_url()) == []


def test_both_tokens_work_while_the_token_is_rotated(
    lambda_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAILSTATUS_EVENTS_TOKEN_PREVIOUS", PREVIOUS_TOKEN)
    assert post(CALLBACK, token=TOKEN)["statusCode"] == 200
    assert post(CALLBACK, token=PREVIOUS_TOKEN)["statusCode"] == 200
    assert len(queued_records(lambda_env, queue_url())) == 2


def test_a_bad_payload_gets_400_with_the_reason_is_counted_and_not_queued(
    lambda_env: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    response = post({**CALLBACK, "bounceType": "medium"})
    assert response["statusCode"] == 400
    assert "bounceType 'medium'" in json.loads(response["body"])["error"]
    assert queued_records(lambda_env, queue_url()) == []
    (metrics,) = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line
    ]
    assert metrics["callback_bad_payload"] in (1, [1])  # Embedded Metric Format, to CloudWatch


def test_the_alb_listener_gets_an_alb_answer(lambda_env: Any) -> None:
    event = alb_event(f"/tencent/events/{TOKEN}", json.dumps(CALLBACK))
    response = handlers.receive_callback(event, None)
    assert (response["statusCode"], response["statusDescription"]) == (200, "200 OK")
    wrong = handlers.receive_callback({**event, "httpMethod": "GET"}, None)
    assert wrong["statusDescription"] == "404 Not Found"


def test_a_base64_body_is_decoded(lambda_env: Any) -> None:
    assert post(json.dumps(CALLBACK).encode())["statusCode"] == 200
    assert post(b"\xff\xfe not json")["statusCode"] == 400


def test_tokens_are_read_from_ssm_when_the_environment_has_none(
    lambda_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMAILSTATUS_EVENTS_TOKEN")
    monkeypatch.setenv("EMAILSTATUS_EVENTS_TOKEN_PATH", "/emailstatus/test/")
    forget_events_tokens()
    try:
        # Not written yet: the receiver cannot tell right from wrong, so it says "try later".
        assert post(CALLBACK)["statusCode"] == 503
        ssm = boto3.client("ssm")
        for name, value in (("events-token", TOKEN), ("events-token-previous", PREVIOUS_TOKEN)):
            ssm.put_parameter(Name=f"/emailstatus/test/{name}", Value=value, Type="SecureString")
        assert post(CALLBACK)["statusCode"] == 200
        assert post(CALLBACK, token=PREVIOUS_TOKEN)["statusCode"] == 200
        assert post(CALLBACK, token="x" * 32)["statusCode"] == 404
    finally:
        forget_events_tokens()


def test_a_queue_that_cannot_be_reached_gets_503(
    lambda_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAILSTATUS_EVENTS_QUEUE_URL", queue_url() + "-gone")
    response = post(CALLBACK)
    assert response["statusCode"] == 503
    assert "SQS" not in response["body"]


def test_a_message_that_does_not_decode_fails_alone(lambda_env: Any, dynamodb: Any) -> None:
    good = [make_event(message_id="qcloudses-one")]
    other = [make_event(message_id="qcloudses-two")]
    records = [
        {"messageId": "m1", "body": encode(good)},
        {"messageId": "m2", "body": '[{"type": "delivered"}]'},
        {"messageId": "m3", "body": encode(other)},
    ]
    answer = handlers.consume_queue({"Records": records}, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert stored(dynamodb).timeline("qcloudses-one") == good
    assert stored(dynamodb).timeline("qcloudses-two") == other


def test_when_the_table_is_unusable_every_message_is_reported_failed(
    lambda_env: Any, dynamodb: Any
) -> None:
    dynamodb.delete_table(TableName=TABLE)
    records = [{"messageId": f"m{n}", "body": encode([make_event(at=T0 + n)])} for n in range(3)]
    answer = handlers.consume_queue({"Records": records}, None)
    assert [item["itemIdentifier"] for item in answer["batchItemFailures"]] == ["m0", "m1", "m2"]
