"""The words of an alert and of its all-clear (mrkdwn; every outside string escaped)."""

from __future__ import annotations

from emailstatus.digest.trends import percent
from emailstatus.events.alerts import AlertKind, Reading
from emailstatus.knowledge.reasons import reason_headline
from emailstatus.render.mrkdwn import clip, escape

_WHAT = {
    AlertKind.BOUNCES: "Bounce rate",
    AlertKind.COMPLAINTS: "Complaint rate",
    AlertKind.DROPPED: "Dropped emails",
}
_WHY = {
    AlertKind.BOUNCES: "Tencent restricts an account's sending when its bounce rate stays high "
    "(SendStatus 3030). Find where the bad addresses come from and stop mailing them.",
    AlertKind.COMPLAINTS: "Recipients are marking these emails as spam; providers and Tencent "
    "act on complaint rates. Check what was sent just now and to whom.",
    AlertKind.DROPPED: "Tencent discarded these emails without trying the recipient's server: "
    "usually blocklisted or invalid addresses.",
}


def alert_text(reading: Reading) -> str:
    """The alert: what is high, against what, what is behind it, and what to do."""
    lines = [
        f":rotating_light: *{_WHAT[reading.kind]} {_value(reading)}* in the last 15 minutes "
        f"(alert at {_amount(reading, reading.level)}"
        + (f"; usual at this hour {_amount(reading, reading.usual)})" if reading.usual else ")"),
    ]
    if reading.top_reasons:
        reasons = "; ".join(
            f"{escape(clip(reason_headline(r), 120))} ({n})" for r, n in reading.top_reasons
        )
        lines.append(f"Top reasons: {reasons}")
    if reading.top_domains:
        domains = ", ".join(f"{escape(d)} ({n})" for d, n in reading.top_domains)
        lines.append(f"Top domains: {domains}")
    lines.append(_WHY[reading.kind])
    return "\n".join(lines)


def all_clear_text(reading: Reading) -> str:
    """The thread reply when it clears."""
    return (
        f":white_check_mark: All clear: {_WHAT[reading.kind].lower()} back to "
        f"{_value(reading)} in the last 15 minutes."
    )


def _value(reading: Reading) -> str:
    return _amount(reading, reading.value)


def _amount(reading: Reading, value: float | None) -> str:
    if value is None:
        return "unknown"
    return percent(value) if reading.is_rate else f"{value:,.0f}"
