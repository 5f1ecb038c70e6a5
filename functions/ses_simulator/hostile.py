"""A Tencent SES that misbehaves for a whole run: the lasting faults of ``Faults``.

Each is something a broken or hostile endpoint does that a client must survive: pages that
ignore ``Offset``, pages that overlap, times far out of range, statistics that disagree with the
emails, and answers far larger than any page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ses_simulator.faults import Faults

#: What a broken clock or a millisecond timestamp puts in RequestTime/DeliverTime.
BAD_TIMES: Final = (10**12, 253_402_300_800, 10**18, 10**20)
_STATUS = "GetSendEmailStatus"
_STATISTICS = "GetStatisticsReport"


def request_params(action: str, params: dict[str, Any], faults: Faults) -> dict[str, Any]:
    """The parameters the simulated server acts on (it may ignore or shift ``Offset``)."""
    if action != _STATUS or not isinstance(params.get("Offset"), int):
        return params
    if faults.ignore_offset:
        return {**params, "Offset": 0}
    if faults.repeat_records and params["Offset"] > 0:
        return {**params, "Offset": max(0, params["Offset"] - faults.repeat_records)}
    return params


def answer(action: str, payload: dict[str, Any], faults: Faults) -> dict[str, Any]:
    """The success payload as the hostile server sends it."""
    if action == _STATUS and faults.bad_times:
        emails = payload.get("EmailStatusList", [])
        payload = {**payload, "EmailStatusList": [_bad_time(i, e) for i, e in enumerate(emails)]}
    if action == _STATISTICS and faults.lying_totals != 1.0:
        factor = faults.lying_totals
        payload = {
            **payload,
            "DailyVolumes": [_scaled(v, factor) for v in payload.get("DailyVolumes", [])],
            "OverallVolume": _scaled(payload.get("OverallVolume", {}), factor),
        }
    return payload


def huge(faults: Faults) -> dict[str, Any]:
    """A success with ``huge_records`` emails, whatever was asked."""
    email = {
        "MessageId": "qcloudses-30-1234567-date-20261128091405-HugeReplyXXXX",
        "ToEmailAddress": "someone@example.com",
        "FromEmailAddress": "noreply@example.com",
        "SendStatus": 0,
        "DeliverStatus": 1,
        "DeliverMessage": "250 2.0.0 OK",
        "RequestTime": 1_764_300_000,
        "DeliverTime": 1_764_300_001,
    }
    return {"EmailStatusList": [email] * faults.huge_records}


def _bad_time(index: int, email: Mapping[str, Any]) -> Mapping[str, Any]:
    if index % 10:
        return email
    bad = BAD_TIMES[(index // 10) % len(BAD_TIMES)]
    return {**email, "RequestTime": bad, "DeliverTime": bad}


def _scaled(volume: Mapping[str, Any], factor: float) -> dict[str, Any]:
    return {
        key: round(value * factor) if isinstance(value, int) and key.endswith("Count") else value
        for key, value in volume.items()
    }
