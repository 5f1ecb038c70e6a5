"""The simulator's blocklists through the real SDK: the four calls, their validation, the
seeded and fixed entries, deletes, the per-key permissions and injected faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ses.v20201002 import models

from ses_simulator import BLOCK_FIXTURES, FIXTURES, SHANGHAI, Simulator
from ses_simulator.config import LOOKUP_ACTIONS, OPERATOR_ACTIONS
from tests.conftest import make_sdk_client

TODAY = FIXTURES["queued"].day
#: The widest range the simulator accepts: its retention (30 days) back to today.
OLDEST = TODAY - timedelta(days=30)


def tencent_query(**extra: Any) -> dict[str, Any]:
    return {
        "StartDate": OLDEST.isoformat(),
        "EndDate": TODAY.isoformat(),
        "Offset": 0,
        "Limit": 100,
        **extra,
    }


def custom_query(**extra: Any) -> dict[str, Any]:
    return {"Offset": 0, "Limit": 100, "Status": 2, **extra}


def sdk_error(call: Callable[[], object]) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as caught:
        call()
    return caught.value


@pytest.fixture
def operator_client(sim: Simulator) -> Any:
    return make_sdk_client(
        sim, secret_id=sim.config.operator_secret_id, secret_key=sim.config.operator_secret_key
    )


def tencent_list(client: Any, **extra: Any) -> dict[str, Any]:
    request = models.ListBlackEmailAddressRequest()
    request._deserialize(tencent_query(**extra))
    response = client.ListBlackEmailAddress(request)
    return {
        "total": response.TotalCount,
        "entries": [(e.EmailAddress, e.BounceTime, e.IspDesc) for e in response.BlackList],
    }


def test_tencent_list_holds_the_seeded_hard_bounces_and_the_fixtures(
    sdk_client: Any, sim: Simulator
) -> None:
    hard = {
        email["ToEmailAddress"]
        for offset in range(31)
        for email in sim.dataset.day_records(TODAY - timedelta(days=offset))
        if email["DeliverStatus"] == 3
        and email["DeliverMessage"].startswith("5")
        and "over quota" not in email["DeliverMessage"]
        and "blocked using" not in email["DeliverMessage"]
        and "DT:SPM" not in email["DeliverMessage"]
    }
    listed: set[str] = set()
    offset = 0
    while True:
        page = sdk_client.call_json("ListBlackEmailAddress", tencent_query(Offset=offset))
        listed |= {entry["EmailAddress"] for entry in page["Response"]["BlackList"]}
        total = page["Response"]["TotalCount"]
        offset += 100
        if offset >= total:
            break
    assert len(listed) == total
    assert hard <= listed
    assert listed - hard == {"refused@example.com", "dropped@example.com"}
    assert FIXTURES["multi"].address not in listed  # its bounce was a full mailbox


def test_tencent_fixture_entry_reads_like_tencents_example(sdk_client: Any) -> None:
    bounced = FIXTURES["bounced"]
    found = tencent_list(sdk_client, EmailAddress="Bounced@Example.com")
    assert found["total"] == 1
    address, bounce_time, isp_desc = found["entries"][0]
    assert address == bounced.address
    at = datetime.strptime(bounce_time, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    assert at.date() == bounced.day
    assert isp_desc.startswith("550-5.1.1 The email account that you tried to reach")
    assert tencent_list(sdk_client, EmailAddress="delivered@example.com")["total"] == 0


def test_the_date_range_filters_on_the_bounce_day(sdk_client: Any) -> None:
    refused = BLOCK_FIXTURES["refused"].address
    (entry,) = tencent_list(sdk_client, EmailAddress=refused)["entries"]
    day = date.fromisoformat(entry[1][:10])
    assert (TODAY - day).days in (20, 21)
    that_day = tencent_list(sdk_client, StartDate=day.isoformat(), EndDate=day.isoformat())
    assert refused in {address for address, _, _ in that_day["entries"]}
    after = (day + timedelta(days=1)).isoformat()
    assert tencent_list(sdk_client, EmailAddress=refused, StartDate=after)["total"] == 0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        (
            tencent_query(StartDate=(OLDEST - timedelta(days=1)).isoformat()),
            "FailedOperation.NotSupportDate",
        ),
        (tencent_query(EndDate=(OLDEST - timedelta(days=1)).isoformat()), "InvalidParameterValue"),
        (tencent_query(Limit=101), "FailedOperation.InvalidLimit"),
        (tencent_query(Limit=0), "InvalidParameterValue"),
        (tencent_query(Offset=-1), "InvalidParameterValue"),
        (tencent_query(StartDate="2026/01/01"), "InvalidParameterValue.WrongDate"),
        ({"EndDate": TODAY.isoformat(), "Offset": 0, "Limit": 10}, "MissingParameter"),
        ({"StartDate": TODAY.isoformat(), "Offset": 0, "Limit": 10}, "MissingParameter"),
        (tencent_query(Email="x@example.com"), "UnknownParameter"),
    ],
)
def test_tencent_list_validation(sdk_client: Any, params: dict[str, Any], code: str) -> None:
    assert sdk_error(lambda: sdk_client.call_json("ListBlackEmailAddress", params)).code == code


def test_custom_list_cases_and_status_filter(sdk_client: Any) -> None:
    def listed(status: int, email: str | None = None) -> dict[str, dict[str, Any]]:
        params = custom_query(Status=status, **({"Email": email} if email else {}))
        data = sdk_client.call_json("ListCustomBlacklist", params)["Response"]["Data"]
        return {entry["Email"]: entry for entry in data}

    every = listed(2)
    assert set(every) == {"held@example.com", "banned@example.com", "expired@example.com"}
    assert date.fromisoformat(every["held@example.com"]["ExpireDate"]) == TODAY + timedelta(30)
    assert every["banned@example.com"]["ExpireDate"] == ""
    assert set(listed(1)) == {"held@example.com", "banned@example.com"}
    assert set(listed(0)) == {"expired@example.com"}
    assert every["expired@example.com"]["Status"] == 0
    assert set(listed(2, "HELD@example.com")) == {"held@example.com"}
    assert listed(2, "delivered@example.com") == {}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        (custom_query(Status=3), "InvalidParameterValue"),
        ({"Offset": 0, "Limit": 10}, "MissingParameter"),
        (custom_query(Limit=101), "FailedOperation.InvalidLimit"),
        (custom_query(Offset="0"), "InvalidParameter"),
    ],
)
def test_custom_list_validation(sdk_client: Any, params: dict[str, Any], code: str) -> None:
    assert sdk_error(lambda: sdk_client.call_json("ListCustomBlacklist", params)).code == code


def test_operator_deletes_from_each_list_until_reset(
    sdk_client: Any, operator_client: Any, sim: Simulator
) -> None:
    request = models.DeleteBlackListRequest()
    request.EmailAddressList = ["bounced@example.com"]
    assert operator_client.DeleteBlackList(request).RequestId
    assert tencent_list(sdk_client, EmailAddress="bounced@example.com")["total"] == 0
    custom = models.DeleteCustomBlackListRequest()
    custom.Emails = ["held@example.com", "nobody@example.com"]
    operator_client.DeleteCustomBlackList(custom)
    data = sdk_client.call_json("ListCustomBlacklist", custom_query())["Response"]["Data"]
    assert "held@example.com" not in {entry["Email"] for entry in data}
    assert sim.blocklists.deleted == [
        ("tencent", "bounced@example.com"),
        ("custom", "held@example.com"),
    ]
    assert sim.stats().served["DeleteBlackList"] == 1
    sim.reset()
    assert tencent_list(sdk_client, EmailAddress="bounced@example.com")["total"] == 1


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("DeleteBlackList", {"EmailAddressList": []}, "InvalidParameterValue"),
        ("DeleteBlackList", {}, "MissingParameter"),
        (
            "DeleteBlackList",
            {"EmailAddressList": ["not-an-address"]},
            "InvalidParameterValue.IllegalEmailAddress",
        ),
        ("DeleteBlackList", {"EmailAddressList": "a@example.com"}, "InvalidParameter"),
        ("DeleteCustomBlackList", {"Emails": []}, "MissingParameter.EmailsNecessary"),
    ],
)
def test_delete_validation(
    operator_client: Any, action: str, params: dict[str, Any], code: str
) -> None:
    assert sdk_error(lambda: operator_client.call_json(action, params)).code == code


def test_each_key_may_do_only_what_its_policy_allows(
    sdk_client: Any, operator_client: Any, sim: Simulator
) -> None:
    unauthorized = "AuthFailure.UnauthorizedOperation"
    delete = {"EmailAddressList": ["bounced@example.com"]}
    assert sdk_error(lambda: sdk_client.call_json("DeleteBlackList", delete)).code == unauthorized
    assert (
        sdk_error(
            lambda: sdk_client.call_json("DeleteCustomBlackList", {"Emails": ["held@example.com"]})
        ).code
        == unauthorized
    )
    assert (
        sdk_error(lambda: operator_client.call_json("ListBlackEmailAddress", tencent_query())).code
        == unauthorized
    )
    assert sim.blocklists.deleted == []


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("InternalError", "InternalError"),
        ("RequestLimitExceeded", "RequestLimitExceeded"),
        ("http500", "ServerNetworkError"),
    ],
)
def test_faults_reach_the_blocklist_calls(
    sdk_client: Any, sim: Simulator, kind: str, code: str
) -> None:
    sim.fail_next(kind, action="ListCustomBlacklist")
    tencent_list(sdk_client)  # another action is not affected
    error = sdk_error(lambda: sdk_client.call_json("ListCustomBlacklist", custom_query()))
    assert error.code == code
    assert (
        sdk_client.call_json("ListCustomBlacklist", custom_query())["Response"]["TotalCount"] == 3
    )


def test_missing_list_fault_drops_the_blocklist(sdk_client: Any, sim: Simulator) -> None:
    sim.fail_next("missing_list", action="ListBlackEmailAddress")
    response = sdk_client.call_json("ListBlackEmailAddress", tencent_query())["Response"]
    assert "BlackList" not in response


def test_the_simulated_permissions_are_the_cam_policies_in_infra() -> None:
    root = Path(__file__).resolve().parent.parent / "infra"

    def allowed(name: str) -> set[str]:
        policy = json.loads((root / name).read_text())
        return {
            action.removeprefix("ses:")
            for statement in policy["statement"]
            if statement["effect"] == "allow"
            for action in statement["action"]
        }

    assert allowed("tencent-cam-policy.json") == LOOKUP_ACTIONS
    assert allowed("tencent-cam-policy-operator.json") == OPERATOR_ACTIONS
