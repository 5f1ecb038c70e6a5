"""The alert thresholds (``EMAILSTATUS_ALERT_*``): one value for the daily digest's warnings and
the 5-minute alerts, so both judge by the same numbers and neither needs the whole settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where a rate or a count becomes worth a warning (``Settings.thresholds``; the defaults
    live on ``Settings``)."""

    bounce_rate: float
    complaint_rate: float
    #: SendStatus codes that mean Tencent is restricting the account (3030, 3033).
    refusals: frozenset[int]
    #: Dropped emails in the 5-minute alerts' window.
    dropped: int
    #: Fewer emails than this in a window make no rate alert (a few bounces are not a spike).
    min_emails: int
