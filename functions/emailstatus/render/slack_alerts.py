"""The words of an alert and of its all-clear (mrkdwn; every outside string escaped)."""

from __future__ import annotations

from emailstatus.digest.trends import percent
from emailstatus.events.alerts import AlertKind, Reading
from emailstatus.i18n import N_, _
from emailstatus.knowledge.reasons import reason_headline
from emailstatus.render.mrkdwn import clip, escape

_WHAT = {
    AlertKind.BOUNCES: N_("Bounce rate"),
    AlertKind.COMPLAINTS: N_("Complaint rate"),
    AlertKind.DROPPED: N_("Dropped emails"),
}
_WHY = {
    AlertKind.BOUNCES: N_(
        "Tencent restricts an account's sending when its bounce rate stays high "
        "(SendStatus 3030). Find where the bad addresses come from and stop mailing them."
    ),
    AlertKind.COMPLAINTS: N_(
        "Recipients are marking these emails as spam; providers and Tencent "
        "act on complaint rates. Check what was sent just now and to whom."
    ),
    AlertKind.DROPPED: N_(
        "Tencent discarded these emails without trying the recipient's server: "
        "usually blocklisted or invalid addresses."
    ),
}


def alert_text(reading: Reading) -> str:
    """The alert: what is high, against what, what is behind it, and what to do."""
    what, value, level = _(_WHAT[reading.kind]), _value(reading), _amount(reading, reading.level)
    if reading.usual:
        said = _(
            "*{what} {value}* in the last 15 minutes (alert at {level}; usual at this hour {usual})"
        ).format(what=what, value=value, level=level, usual=_amount(reading, reading.usual))
    else:
        said = _("*{what} {value}* in the last 15 minutes (alert at {level})").format(
            what=what, value=value, level=level
        )
    lines = [f":rotating_light: {said}"]
    if reading.top_reasons:
        reasons = "; ".join(
            f"{escape(clip(reason_headline(r), 120))} ({n})" for r, n in reading.top_reasons
        )
        lines.append(_("Top reasons: {reasons}").format(reasons=reasons))
    if reading.top_domains:
        domains = ", ".join(f"{escape(d)} ({n})" for d, n in reading.top_domains)
        lines.append(_("Top domains: {domains}").format(domains=domains))
    lines.append(_(_WHY[reading.kind]))
    return "\n".join(lines)


def all_clear_text(reading: Reading) -> str:
    """The thread reply when it clears."""
    said = _("All clear: {what} back to {value} in the last 15 minutes.").format(
        what=_(_WHAT[reading.kind]).lower(), value=_value(reading)
    )
    return f":white_check_mark: {said}"


def _value(reading: Reading) -> str:
    return _amount(reading, reading.value)


def _amount(reading: Reading, value: float | None) -> str:
    if value is None:
        return _("unknown")
    return percent(value) if reading.is_rate else f"{value:,.0f}"
