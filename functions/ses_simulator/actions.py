"""The two API actions: parameter validation as Tencent does it, and the answers.

Each action is a pure function of the dataset, the parsed JSON parameters and the retention, so
it can be tested without HTTP. Errors are raised as ``ApiError`` with Tencent's codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from ses_simulator.dataset import Counts, Dataset
from ses_simulator.protocol import ApiError

MAX_LIMIT = 100
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Action = Callable[[Dataset, Mapping[str, Any], int], dict[str, Any]]


def get_send_email_status(
    dataset: Dataset, params: Mapping[str, Any], retention_days: int
) -> dict[str, Any]:
    """``EmailStatusList`` = the day's matching records [Offset:Offset+Limit], oldest first."""
    _known(params, {"RequestDate", "Offset", "Limit", "MessageId", "ToEmailAddress"})
    day = _date(params, "RequestDate")
    offset, limit = _page(params)
    message_id = _optional_text(params, "MessageId")
    to_address = _optional_text(params, "ToEmailAddress")
    _within_retention(dataset, day, retention_days)
    if day > dataset.today:
        return {"EmailStatusList": []}
    found = dataset.find(day, message_id=message_id, to_address=to_address)
    return {"EmailStatusList": list(found[offset : offset + limit])}


def get_statistics_report(
    dataset: Dataset, params: Mapping[str, Any], retention_days: int
) -> dict[str, Any]:
    """One ``Volume`` per day from StartDate to EndDate (future days left out), and their sum.

    ``Domain`` filters on the sender's domain, ``ReceivingMailboxType`` on the recipient's; the
    counts are defined in ``Dataset.counts``.
    """
    _known(params, {"StartDate", "EndDate", "Domain", "ReceivingMailboxType"})
    start = _date(params, "StartDate")
    end = _date(params, "EndDate")
    if end < start:
        raise ApiError("InvalidParameterValue", "`EndDate` must not be earlier than `StartDate`.")
    domain = _optional_text(params, "Domain")
    mailbox = _optional_text(params, "ReceivingMailboxType")
    _within_retention(dataset, start, retention_days)
    daily: list[dict[str, Any]] = []
    counts: list[Counts] = []
    day = start
    while day <= min(end, dataset.today):
        volume = dataset.counts(day, sender_domain=domain, mailbox_domain=mailbox)
        counts.append(volume)
        daily.append({"SendDate": day.isoformat(), **_volume(volume)})
        day += timedelta(days=1)
    # The SDK model gives OverallVolume a SendDate too; what Tencent puts there for a sum over
    # several days is not documented: the first day of the range is our guess.
    overall = {"SendDate": start.isoformat(), **_volume(Counts.total(counts))}
    return {"DailyVolumes": daily, "OverallVolume": overall}


#: Action name -> handler.
ACTIONS: Mapping[str, Action] = {
    "GetSendEmailStatus": get_send_email_status,
    "GetStatisticsReport": get_statistics_report,
}


def _volume(counts: Counts) -> dict[str, int]:
    return {
        "RequestCount": counts.request,
        "AcceptedCount": counts.accepted,
        "DeliveredCount": counts.delivered,
        "OpenedCount": counts.opened,
        "ClickedCount": counts.clicked,
        "BounceCount": counts.bounced,
        "UnsubscribeCount": counts.unsubscribed,
    }


def _known(params: Mapping[str, Any], allowed: set[str]) -> None:
    for name in params:
        if name not in allowed:
            raise ApiError("UnknownParameter", f"The parameter `{name}` is not recognized.")


def _required(params: Mapping[str, Any], name: str) -> Any:
    if params.get(name) is None:
        raise ApiError("MissingParameter", f"The request is missing a required parameter `{name}`.")
    return params[name]


def _date(params: Mapping[str, Any], name: str) -> date:
    value = _required(params, name)
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ApiError(
        "InvalidParameterValue.WrongDate",
        f"Incorrect search date `{value}` in `{name}`. "
        "Make sure the date and its format (YYYY-MM-DD) are valid.",
    )


def _integer(params: Mapping[str, Any], name: str) -> int:
    value = _required(params, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(
            "InvalidParameter", f"The value of the parameter `{name}` must be an integer."
        )
    return value


def _page(params: Mapping[str, Any]) -> tuple[int, int]:
    """Offset and Limit: integers, Limit 1..100 (over: InvalidLimit), Offset from 0."""
    offset, limit = _integer(params, "Offset"), _integer(params, "Limit")
    if limit > MAX_LIMIT:
        raise ApiError("FailedOperation.InvalidLimit")
    if limit < 1:
        raise _bad_value("Limit", limit)
    if offset < 0:
        raise _bad_value("Offset", offset)
    return offset, limit


def _optional_text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ApiError("InvalidParameter", f"The value of the parameter `{name}` must be a string.")
    return value


def _within_retention(dataset: Dataset, day: date, retention_days: int) -> None:
    if day < dataset.today - timedelta(days=retention_days):
        raise ApiError("FailedOperation.NotSupportDate")


def _bad_value(name: str, value: object) -> ApiError:
    return ApiError(
        "InvalidParameterValue",
        f"The value `{value}` specified in the parameter `{name}` is invalid.",
    )
