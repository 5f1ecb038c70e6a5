"""The simulator, driven by the real Tencent SDK over HTTP (and by raw HTTP where the SDK can't).

Everything the rest of the suite relies on is checked here: signing, validation, paging,
filters, rate limiting, every fault kind as the SDK surfaces it, the admin endpoints, the
statistics and the determinism of the data.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from tencentcloud.common import abstract_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ses.v20201002 import models

from ses_simulator import (
    ABSENT_ADDRESS,
    FIXTURES,
    SHANGHAI,
    Dataset,
    Faults,
    RateMode,
    Simulator,
)
from ses_simulator.cli import main as simulate_main
from ses_simulator.ratelimit import RequestAdmission
from ses_simulator.server import MAX_BODY_BYTES
from ses_simulator.wire import total_opens
from tests.conftest import make_sdk_client

STATUS = "GetSendEmailStatus"
REPORT = "GetStatisticsReport"
YESTERDAY = FIXTURES["bounced"].day


def query(day: date, **extra: Any) -> dict[str, Any]:
    """GetSendEmailStatus parameters for a whole day, first page of 100."""
    return {"RequestDate": day.isoformat(), "Offset": 0, "Limit": 100, **extra}


def status_list(client: Any, **params: Any) -> list[dict[str, Any]]:
    """The raw ``EmailStatusList`` of one call."""
    items: list[dict[str, Any]] = client.call_json(STATUS, params)["Response"]["EmailStatusList"]
    return items


def sdk_error(call: Callable[[], object]) -> TencentCloudSDKException:
    """The SDK exception ``call`` raises."""
    with pytest.raises(TencentCloudSDKException) as caught:
        call()
    return caught.value


# --- raw HTTP helpers (an independent TC3 signer, so the SDK is not the only reference) ---


def sign(
    sim: Simulator,
    body: bytes,
    *,
    signed: tuple[str, ...] = ("content-type", "host"),
    timestamp: int | None = None,
    lower_values: bool = True,
) -> dict[str, str]:
    """Headers for a request signed with ``sim``'s credentials over ``signed`` headers."""
    stamp = int(time.time()) if timestamp is None else timestamp
    day = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")
    headers = {
        "Content-Type": "application/json",
        "Host": sim.netloc,
        "X-TC-Action": STATUS,
        "X-TC-Timestamp": str(stamp),
        "X-TC-Version": "2020-10-02",
        "X-TC-Region": "ap-singapore",
    }
    lower = {name.lower(): value for name, value in headers.items()}
    names = ";".join(signed)
    canonical = "POST\n/\n\n{}\n{}\n{}".format(  # TC3: header values lower-cased too
        "".join(
            f"{name}:{lower[name].lower() if lower_values else lower[name]}\n" for name in signed
        ),
        names,
        hashlib.sha256(body).hexdigest(),
    )
    scope = f"{day}/ses/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = ("TC3" + sim.secret_key).encode()
    for part in (day, "ses", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (
        f"TC3-HMAC-SHA256 Credential={sim.secret_id}/{scope}, "
        f"SignedHeaders={names}, Signature={signature}"
    )
    return headers


def raw(
    sim: Simulator, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, str, Any]:
    """(status, Content-Type, parsed JSON body) of one plain HTTP request."""
    connection = http.client.HTTPConnection(sim.config.host, sim.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        return response.status, response.getheader("Content-Type") or "", json.loads(payload)
    finally:
        connection.close()


def admin(sim: Simulator, method: str, path: str, document: object = None) -> Any:
    """Call an admin endpoint; returns the JSON answer."""
    body = b"" if document is None else json.dumps(document).encode()
    status, _, answer = raw(sim, method, f"/_simulator/{path}", body)
    assert status == 200, answer
    return answer


# --- signing and the envelope ---


def test_signed_request_succeeds_with_the_typed_sdk_api(sdk_client: Any, sim: Simulator) -> None:
    fixture = FIXTURES["delivered"]
    request = models.GetSendEmailStatusRequest()
    request.RequestDate = fixture.day.isoformat()
    request.Offset, request.Limit = 0, 100
    request.ToEmailAddress = fixture.address
    response = sdk_client.GetSendEmailStatus(request)
    (item,) = response.EmailStatusList
    assert item.MessageId == fixture.message_id
    assert (item.SendStatus, item.DeliverStatus) == (0, 1)
    assert item.UserOpened and item.UserClicked and not item.UserComplained
    assert item.DeliverTime >= item.RequestTime == fixture.request_time
    assert uuid.UUID(response.RequestId).version == 4
    assert sim.stats().served == {STATUS: 1}


def test_envelope_and_a_client_signing_more_headers(sim: Simulator) -> None:
    body = json.dumps(query(YESTERDAY, ToEmailAddress="bounced@example.com")).encode()
    headers = sign(sim, body, signed=("content-type", "host", "x-tc-action"))
    status, content_type, answer = raw(sim, "POST", "/", body, headers)
    assert (status, content_type) == (200, "application/json")
    assert answer["Response"]["EmailStatusList"][0]["DeliverStatus"] == 3
    uuid.UUID(answer["Response"]["RequestId"])


def test_signed_header_values_are_canonicalised_in_lower_case(sim: Simulator) -> None:
    """Tencent's TC3 document signs ``x-tc-action:describeinstances``: a client that signs the
    action's value as sent (mixed case) does not match."""
    body = json.dumps(query(YESTERDAY, ToEmailAddress="bounced@example.com")).encode()
    headers = sign(sim, body, signed=("content-type", "host", "x-tc-action"))
    assert raw(sim, "POST", "/", body, headers)[2]["Response"]["EmailStatusList"]
    mixed = sign(sim, body, signed=("content-type", "host", "x-tc-action"), lower_values=False)
    error = raw(sim, "POST", "/", body, mixed)[2]["Response"]["Error"]
    assert error["Code"] == "AuthFailure.SignatureFailure"


def test_get_with_query_string_parameters_through_the_sdk(sim: Simulator) -> None:
    client = make_sdk_client(sim)
    client.profile.httpProfile.reqMethod = "GET"
    fixture = FIXTURES["bounced"]
    params = {"RequestDate": fixture.day.isoformat(), "Offset": 0, "Limit": 100}
    answer = client.call_json(STATUS, {**params, "ToEmailAddress": fixture.address})
    (item,) = answer["Response"]["EmailStatusList"]
    assert item["MessageId"] == fixture.message_id


def test_only_get_and_post_and_bodies_up_to_10_mb(sim: Simulator) -> None:
    status, _, answer = raw(sim, "PUT", "/", b"{}")
    assert (status, answer["Response"]["Error"]["Code"]) == (200, "UnsupportedProtocol")
    huge = b" " * (MAX_BODY_BYTES + 1)
    status, _, answer = raw(sim, "POST", "/", huge, sign(sim, huge))
    assert (status, answer["Response"]["Error"]["Code"]) == (200, "RequestSizeLimitExceeded")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"secret_key": "x" * 32}, "AuthFailure.SignatureFailure"),
        ({"secret_id": "AKIDnobody000000000000000000000000"}, "AuthFailure.SecretIdNotFound"),
        ({"region": "ap-beijing"}, "UnsupportedRegion"),
    ],
)
def test_credentials_and_region_are_checked(sim: Simulator, change: Any, code: str) -> None:
    client = make_sdk_client(sim, **change)
    error = sdk_error(lambda: client.call_json(STATUS, query(YESTERDAY)))
    assert error.code == code
    assert error.message and error.requestId


def test_skewed_client_clock_is_signature_expire(
    sdk_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_time = time.time
    monkeypatch.setattr(abstract_client, "time", SimpleNamespace(time=lambda: real_time() - 600))
    error = sdk_error(lambda: sdk_client.call_json(STATUS, query(YESTERDAY)))
    assert error.code == "AuthFailure.SignatureExpire"


def test_unknown_action_and_version(sdk_client: Any, sim: Simulator) -> None:
    assert sdk_error(lambda: sdk_client.call_json("SendEmail", {})).code == "InvalidAction"
    old = make_sdk_client(sim)
    old._apiVersion = "2019-01-01"
    assert sdk_error(lambda: old.call_json(STATUS, query(YESTERDAY))).code == "NoSuchVersion"


@pytest.mark.parametrize(
    "authorization",
    [None, "TC3-HMAC-SHA256 garbage", "HMAC-SHA1 Credential=a/b/ses/tc3_request"],
)
def test_missing_or_garbled_authorization(sim: Simulator, authorization: str | None) -> None:
    body = json.dumps(query(YESTERDAY)).encode()
    headers = sign(sim, body)
    del headers["Authorization"]
    if authorization:
        headers["Authorization"] = authorization
    status, content_type, answer = raw(sim, "POST", "/", body, headers)
    assert (status, content_type) == (200, "application/json")
    assert answer["Response"]["Error"]["Code"] == "AuthFailure.InvalidAuthorization"


def test_tampered_body_fails_the_signature(sim: Simulator) -> None:
    headers = sign(sim, json.dumps(query(YESTERDAY)).encode())
    tampered = json.dumps(query(YESTERDAY, Limit=99)).encode()
    _, _, answer = raw(sim, "POST", "/", tampered, headers)
    assert answer["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


# --- GetSendEmailStatus parameters, paging and filters ---

TODAY = FIXTURES["queued"].day


@pytest.mark.parametrize(
    ("params", "code"),
    [
        (query(YESTERDAY, Limit=101), "FailedOperation.InvalidLimit"),
        (query(YESTERDAY, Limit=0), "InvalidParameterValue"),
        (query(YESTERDAY, Offset=-1), "InvalidParameterValue"),
        (query(YESTERDAY, Limit="10"), "InvalidParameter"),
        (query(YESTERDAY, RequestDate="2024/01/01"), "InvalidParameterValue.WrongDate"),
        (query(YESTERDAY, RequestDate="2024-02-30"), "InvalidParameterValue.WrongDate"),
        ({"Offset": 0, "Limit": 10}, "MissingParameter"),
        ({"RequestDate": YESTERDAY.isoformat(), "Offset": 0}, "MissingParameter"),
        (query(YESTERDAY, Foo=1), "UnknownParameter"),
        (query(TODAY - timedelta(days=31)), "FailedOperation.NotSupportDate"),
    ],
)
def test_parameter_validation(sdk_client: Any, params: dict[str, Any], code: str) -> None:
    error = sdk_error(lambda: sdk_client.call_json(STATUS, params))
    assert error.code == code
    if code == "FailedOperation.NotSupportDate":
        assert "Only data within 90 days can be queried" in error.message


def test_oldest_retained_and_future_dates(sdk_client: Any) -> None:
    assert status_list(sdk_client, **query(TODAY - timedelta(days=30))) == []
    assert status_list(sdk_client, **query(TODAY + timedelta(days=1))) == []


def test_pagination_past_100(sdk_client: Any) -> None:
    many = FIXTURES["many"]
    pages = [
        status_list(sdk_client, **query(many.day, Offset=offset, ToEmailAddress=many.address))
        for offset in (0, 100, 200, 300)
    ]
    assert [len(page) for page in pages] == [100, 100, 50, 0]
    rows = [item for page in pages for item in page]
    assert len({item["MessageId"] for item in rows}) == 250
    assert rows[0]["MessageId"] == many.message_id
    times = [item["RequestTime"] for item in rows]
    assert times == sorted(times)


def test_unfiltered_day_pages_match_day_records(sdk_client: Any, sim: Simulator) -> None:
    truth = list(sim.dataset.day_records(YESTERDAY))
    served: list[dict[str, Any]] = []
    while page := status_list(sdk_client, **query(YESTERDAY, Offset=len(served))):
        served.extend(page)
    assert served == truth
    assert len(truth) > 450  # 200 generated + 257 fixture emails


def test_filters(sdk_client: Any, sim: Simulator) -> None:
    bounced = FIXTURES["bounced"]
    by_id = status_list(sdk_client, **query(bounced.day, MessageId=bounced.message_id))
    assert [item["ToEmailAddress"] for item in by_id] == [bounced.address]
    upper = status_list(sdk_client, **query(bounced.day, ToEmailAddress="Bounced@Example.COM"))
    assert [item["MessageId"] for item in upper] == [bounced.message_id]
    assert upper[0]["DeliverMessage"].startswith("550-5.1.1 The email account")
    both = query(bounced.day, MessageId=bounced.message_id, ToEmailAddress="delivered@example.com")
    assert status_list(sdk_client, **both) == []
    other_day = query(bounced.day - timedelta(days=1), MessageId=bounced.message_id)
    assert status_list(sdk_client, **other_day) == []
    for offset in range(5):
        day = TODAY - timedelta(days=offset)
        assert status_list(sdk_client, **query(day, ToEmailAddress=ABSENT_ADDRESS)) == []
        multi = status_list(sdk_client, **query(day, ToEmailAddress="multi@example.com"))
        assert len(multi) == (1 if 1 <= offset <= 4 else 0)
        if offset == 1:
            assert multi[0]["DeliverStatus"] == 3
            assert multi[0]["DeliverMessage"] == "552 5.2.2 user is over quota"
    (queued,) = status_list(sdk_client, **query(TODAY, ToEmailAddress="queued@example.com"))
    assert queued["DeliverStatus"] == 0
    assert queued["RequestTime"] <= sim.dataset.now.timestamp()


def test_both_complaint_spellings_then_only_the_old_one(sdk_client: Any, sim: Simulator) -> None:
    fixture = FIXTURES["complained"]
    params = query(fixture.day, ToEmailAddress=fixture.address)
    (item,) = status_list(sdk_client, **params)
    assert item["UserComplained"] is True and item["UserComplainted"] is True
    assert item["UserUnsubscribed"] is True
    sim.dataset.complaint_spelling = "old"
    (item,) = status_list(sdk_client, **params)
    assert "UserComplained" not in item and item["UserComplainted"] is True
    sim.reset()
    restored: str = sim.dataset.complaint_spelling
    assert restored == "both"


# --- rate limiting and concurrency ---


def burst(sim: Simulator, count: int, action: str = STATUS) -> list[str]:
    """Fire ``count`` calls at once from as many threads; the outcome codes ("ok" on success)."""
    clients = [make_sdk_client(sim) for _ in range(count)]
    params = query(YESTERDAY, Limit=1) if action == STATUS else {"StartDate": "x", "EndDate": "y"}
    start = threading.Barrier(count)
    outcomes: list[str] = []

    def call(client: Any) -> None:
        start.wait()
        try:
            client.call_json(action, params)
            outcomes.append("ok")
        except TencentCloudSDKException as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return outcomes


def test_sliding_rate_limit(sim: Simulator) -> None:
    sim.set_rate_limit(20, "sliding")
    outcomes = burst(sim, 30)
    rejected = outcomes.count("RequestLimitExceeded")
    assert rejected >= 1 and outcomes.count("ok") + rejected == 30
    stats = sim.stats()
    assert stats.served[STATUS] == outcomes.count("ok")
    assert stats.rejected == rejected
    assert stats.max_per_window[STATUS] <= 20


def test_fixed_rate_limit_is_per_action(sim: Simulator) -> None:
    outcomes = burst(sim, 45)
    assert outcomes.count("RequestLimitExceeded") >= 5
    report = {"StartDate": YESTERDAY.isoformat(), "EndDate": YESTERDAY.isoformat()}
    assert make_sdk_client(sim).call_json(REPORT, report)["Response"]["DailyVolumes"]


def test_limiter_modes_on_a_fake_clock() -> None:
    now = [10.5]
    modes: tuple[tuple[RateMode, int], ...] = (("fixed", 4), ("sliding", 2))
    for mode, admitted in modes:
        limiter = RequestAdmission(2, mode, clock=lambda: now[0], wall_clock=lambda: now[0])
        results = []
        for at in (10.7, 10.9, 11.0, 11.1, 11.2):
            now[0] = at
            results.append(limiter.admit(STATUS))
        assert sum(results) == admitted
        assert limiter.max_per_window()[STATUS] == admitted


def test_requests_are_served_concurrently(sim: Simulator) -> None:
    sim.set_faults(Faults(latency=0.3))
    started = time.monotonic()
    outcomes = burst(sim, 10)
    assert outcomes == ["ok"] * 10
    assert time.monotonic() - started < 1.5
    assert sim.stats().max_in_flight >= 5


# --- faults ---


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("drop", "ClientNetworkError"),
        ("http500", "ServerNetworkError"),
        ("malformed", "JSONDecodeError"),
        ("InternalError", "InternalError"),
        ("FailedOperation.ServiceNotAvailable", "FailedOperation.ServiceNotAvailable"),
    ],
)
def test_each_fault_kind_surfaces_in_the_sdk(
    sdk_client: Any, sim: Simulator, kind: str, code: str
) -> None:
    request = models.GetSendEmailStatusRequest()
    request._deserialize(query(YESTERDAY, Limit=1))
    sdk_client.GetSendEmailStatus(request)  # the fault then hits a reused keep-alive connection
    sim.fail_next(kind)
    assert sdk_error(lambda: sdk_client.GetSendEmailStatus(request)).code == code
    assert len(sdk_client.GetSendEmailStatus(request).EmailStatusList) == 1
    assert sim.stats().faults == {kind: 1}


def test_timeout_fault_fires_the_client_timeout(sim: Simulator) -> None:
    sim.set_faults(Faults(hang_seconds=3))
    sim.fail_next("timeout")
    client = make_sdk_client(sim, timeout=0.5)
    started = time.monotonic()
    assert sdk_error(lambda: client.call_json(STATUS, query(YESTERDAY))).code == (
        "ClientNetworkError"
    )
    assert time.monotonic() - started < 2


def test_missing_list_is_a_success_without_the_list(sdk_client: Any, sim: Simulator) -> None:
    sim.fail_next("missing_list")
    request = models.GetSendEmailStatusRequest()
    request._deserialize(query(YESTERDAY, Limit=1))
    response = sdk_client.GetSendEmailStatus(request)
    assert response.EmailStatusList is None and response.RequestId


def test_fail_next_then_success_and_per_action(sdk_client: Any, sim: Simulator) -> None:
    sim.fail_next("InternalError", times=2)
    sim.fail_next("RequestLimitExceeded", action=REPORT)
    params = query(YESTERDAY, Limit=1)
    codes = [sdk_error(lambda: sdk_client.call_json(STATUS, params)).code for _ in range(2)]
    assert codes == ["InternalError", "InternalError"]
    assert len(status_list(sdk_client, **params)) == 1
    report = {"StartDate": YESTERDAY.isoformat(), "EndDate": YESTERDAY.isoformat()}
    assert sdk_error(lambda: sdk_client.call_json(REPORT, report)).code == "RequestLimitExceeded"
    assert sdk_client.call_json(REPORT, report)["Response"]["DailyVolumes"]


def test_random_faults_and_latency(sdk_client: Any, sim: Simulator) -> None:
    sim.set_faults(Faults(latency=0.15, error_rates={"ServiceUnavailable": 1.0}))
    started = time.monotonic()
    error = sdk_error(lambda: sdk_client.call_json(STATUS, query(YESTERDAY, Limit=1)))
    assert error.code == "ServiceUnavailable"
    assert time.monotonic() - started >= 0.15
    sim.set_faults(Faults())
    assert status_list(sdk_client, **query(YESTERDAY, Limit=1))
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(drop_rate=2)
    with pytest.raises(ValueError, match="unknown fault"):
        sim.fail_next("drops")


def test_admin_endpoints(sdk_client: Any, sim: Simulator) -> None:
    sim.set_rate_limit(1, "sliding")
    for _ in range(5):  # admin calls are not rate limited
        assert admin(sim, "GET", "stats")["served_total"] == 0
    settings = admin(sim, "POST", "faults", {"latency": 0.01, "fail_next": {"kind": "drop"}})
    assert settings["latency"] == 0.01 and settings["pending"] == 1
    params = query(YESTERDAY, Limit=1)
    assert sdk_error(lambda: sdk_client.call_json(STATUS, params)).code == "ClientNetworkError"
    admin(sim, "POST", "faults", {"error_rates": {"InternalError": 1.0}})
    time.sleep(1.01)  # let the 1/s window pass
    assert sdk_error(lambda: sdk_client.call_json(STATUS, params)).code == "InternalError"
    stats = admin(sim, "GET", "stats")
    assert stats["served"] == {STATUS: 2} and stats["faults"] == {"drop": 1, "InternalError": 1}
    status, _, answer = raw(sim, "POST", "/_simulator/faults", b'{"drop_rat": 1}')
    assert status == 400 and "drop_rat" in answer["error"]
    admin(sim, "POST", "reset")
    assert sim.faults == Faults()
    assert status_list(sdk_client, **params)


# --- statistics ---


def test_statistics_report_matches_day_records(sdk_client: Any, sim: Simulator) -> None:
    start = TODAY - timedelta(days=3)
    for domain in (None, "notify.example.com"):
        params = {
            "StartDate": start.isoformat(),
            "EndDate": (TODAY + timedelta(days=5)).isoformat(),
        }
        if domain:
            params["Domain"] = domain
        response = sdk_client.call_json(REPORT, params)["Response"]
        daily = response["DailyVolumes"]
        assert [volume["SendDate"] for volume in daily] == [
            (start + timedelta(days=n)).isoformat() for n in range(4)
        ]
        totals = dict.fromkeys(response["OverallVolume"], 0)
        for volume in daily:
            day = date.fromisoformat(volume["SendDate"])
            rows = [
                row
                for row in sim.dataset.day_records(day)
                if domain is None or row["FromEmailAddress"].endswith("@" + domain)
            ]
            accepted = [row for row in rows if row["SendStatus"] == 0]
            expected = {
                "RequestCount": len(rows),
                "AcceptedCount": len(accepted),
                "DeliveredCount": sum(row["DeliverStatus"] == 1 for row in accepted),
                "OpenedCount": sum(
                    total_opens(row["MessageId"], row["UserOpened"]) for row in rows
                ),
                "ClickedCount": sum(row["UserClicked"] for row in rows),
                "BounceCount": sum(row["DeliverStatus"] in (2, 3) for row in accepted),
                "UnsubscribeCount": sum(row["UserUnsubscribed"] for row in rows),
            }
            assert {k: v for k, v in volume.items() if k != "SendDate"} == expected
            for name, value in expected.items():
                totals[name] += value
        assert response["OverallVolume"] == {**totals, "SendDate": start.isoformat()}
    error = sdk_error(lambda: sdk_client.call_json(REPORT, {"StartDate": TODAY.isoformat()}))
    assert error.code == "MissingParameter"


# --- the dataset ---

NOW = datetime(2025, 3, 10, 15, 30, tzinfo=SHANGHAI)
MESSAGE_ID = re.compile(r"^qcloudses-30-\d+-date-(\d{14})-[A-Za-z0-9]{12}$")


def test_same_seed_same_records() -> None:
    first, second = Dataset(7, 300, now=NOW), Dataset(7, 300, now=NOW)
    other = Dataset(8, 300, now=NOW)
    for offset in (0, 1, 5):
        day = NOW.date() - timedelta(days=offset)
        assert list(first.day_records(day)) == list(second.day_records(day))
        assert list(first.day_records(day)) != list(other.day_records(day))
    assert first.fixtures == other.fixtures
    assert first.fixtures["bounced"].day == date(2025, 3, 9)


def test_records_are_realistic() -> None:
    dataset = Dataset(3, 5000, now=NOW)
    day = NOW.date() - timedelta(days=6)  # a day without fixtures
    rows = list(dataset.day_records(day))
    assert len(rows) == 5000
    share = {status: sum(r["DeliverStatus"] == status for r in rows) / 5000 for status in (1, 3, 8)}
    assert 0.86 < share[1] < 0.94 and 0.02 < share[3] < 0.04 and 0.01 < share[8] < 0.03
    assert 0.01 < sum(r["SendStatus"] != 0 for r in rows) / 5000 < 0.05
    assert not any(r["DeliverStatus"] == 0 and r["SendStatus"] == 0 for r in rows)  # none queued
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).timestamp()
    for row in rows:
        assert row["ToEmailAddress"].rpartition("@")[2].split(".")[-2:][0] == "example"
        stamp = MESSAGE_ID.match(row["MessageId"])
        assert stamp is not None
        sent = datetime.fromtimestamp(row["RequestTime"], SHANGHAI)
        assert stamp.group(1) == sent.strftime("%Y%m%d%H%M%S")
        assert start <= row["RequestTime"] < start + 86400
        assert row["DeliverTime"] == 0 or row["DeliverTime"] >= row["RequestTime"]
    assert ABSENT_ADDRESS not in {row["ToEmailAddress"] for row in rows}
    today = list(dataset.day_records(NOW.date()))
    assert today and max(row["RequestTime"] for row in today) <= NOW.timestamp()


# --- the command line ---


def test_cli_refuses_a_busy_port(sim: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert simulate_main(["--port", str(sim.port)]) == 1
    assert "cannot listen" in capsys.readouterr().err


@pytest.fixture
def cli_process() -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, "-m", "ses_simulator.cli", "--port", "0", "--seed", "3"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_cli_prints_the_environment_and_stops_cleanly(
    cli_process: subprocess.Popen[str],
) -> None:
    assert cli_process.stdout is not None
    lines: list[str] = []
    while not lines or "Ctrl-C" not in lines[-1]:
        line = cli_process.stdout.readline()
        assert line, "the simulator exited early"
        lines.append(line.rstrip("\n"))
    output = "\n".join(lines)
    assert "export TENCENTCLOUD_SECRET_ID=AKIDsimulator" in output
    assert "export TENCENTCLOUD_SECRET_KEY=" in output
    endpoint = re.search(r"export EMAILSTATUS_SES_ENDPOINT=http://127\.0\.0\.1:(\d+)", output)
    assert endpoint is not None
    for fixture in FIXTURES.values():
        assert fixture.address in output
    connection = http.client.HTTPConnection("127.0.0.1", int(endpoint.group(1)), timeout=5)
    connection.request("GET", "/_simulator/stats")
    assert connection.getresponse().status == 200
    connection.close()
    cli_process.send_signal(signal.SIGINT)
    _, stderr = cli_process.communicate(timeout=5)
    assert cli_process.returncode == 0
    assert "Traceback" not in stderr
