"""App Home: the asker's recent lookups, today's and yesterday's sending, the lookup form.

Built with ``slack_sdk.models`` like the other Slack renderers. Figures are Tencent's own
counters (``GetStatisticsReport``) for Beijing days, with the bounce rate set against the alert
threshold the digest and the alerts use; recent lookups show the masked target, the verdict word
and when, with *Look again*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from emailstatus.command import TENCENT_DAYS
from emailstatus.digest.trends import percent
from emailstatus.i18n import _, format_day
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.render.mrkdwn import context, date_token, escape, fit_message, mrkdwn, section
from emailstatus.render.slack_message import ACTION_OPEN_FORM, ButtonValue
from emailstatus.render.slack_modal import MAX_VIEW_BLOCKS

#: *Look again* on a recent lookup: opens a modal with the answer.
ACTION_LOOK_AGAIN: Final = "emailstatus_home_look_again"


@dataclass(frozen=True, slots=True)
class Figures:
    """Tencent's counters for today (so far) and yesterday, and when they were read; or why
    they could not be (``problem``)."""

    today: date
    volumes: dict[date, DailyVolume]
    read_at: datetime | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Recent:
    """One recent lookup: command text for *Look again*, the masked target, the verdict word,
    when (Unix seconds)."""

    query_text: str
    shown: str
    verdict: str
    at: int


def home_view(figures: Figures, recent: Sequence[Recent], bounce_threshold: float) -> View:
    """The Home tab for one asker (only they see it)."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="emailstatus")),
        SectionBlock(
            text=mrkdwn(
                _("What happened to an email sent through Tencent Cloud SES, in plain words.")
            ),
            accessory=ButtonElement(
                text=PlainTextObject(text=_("Look up an email")),
                action_id=ACTION_OPEN_FORM,
                style="primary",
            ),
        ),
        context(
            _(
                "Also: `/emailstatus alice@example.com` · ⋮ on a message → *Check email status* · "
                "`/emailstatus blocklist alice@example.com`"
            )
        ),
        DividerBlock(),
        *_figures_blocks(figures, bounce_threshold),
        DividerBlock(),
        section(_("*Your recent lookups*")),
        *_recent_blocks(recent),
    ]
    return View(type="home", blocks=fit_message(blocks, max_blocks=MAX_VIEW_BLOCKS))


def _figures_blocks(figures: Figures, threshold: float) -> list[Block]:
    title = section(_("*Sending* (Tencent's counters, {zone})").format(zone=_(TENCENT_DAYS)))
    if figures.problem is not None:
        return [title, context(f":grey_question: {escape(figures.problem)}")]
    fields = []
    for label, day in (
        (_("Today so far"), figures.today),
        (_("Yesterday"), figures.today - timedelta(days=1)),
    ):
        volume = figures.volumes.get(day)
        heading = _("*{label}* ({day})").format(label=label, day=format_day(day))
        if volume is None:
            fields.append(mrkdwn(f"{heading}\n" + _("No figures yet")))
            continue
        rate = volume.bounce_rate
        warn = rate is not None and rate >= threshold
        counts = _("{requests:,} requests · {delivered:,} delivered").format(
            requests=volume.requests, delivered=volume.delivered
        )
        bounce = _("Bounce rate {rate}").format(rate=percent(rate))
        if warn:
            bounce = ":warning: " + bounce + _(" (alert at {rate})").format(rate=percent(threshold))
        fields.append(mrkdwn(f"{heading}\n{counts}\n{bounce}"))
    read = (
        _("Read {time}; refreshed at most once a minute. ").format(
            time=date_token(figures.read_at, pattern="{time}")
        )
        if figures.read_at
        else ""
    )
    note = context(
        read
        + _("Bounce rate alert at {rate} (EMAILSTATUS_ALERT_BOUNCE_RATE).").format(
            rate=percent(threshold)
        )
    )
    return [title, SectionBlock(fields=fields), note]


def _recent_blocks(recent: Sequence[Recent]) -> list[Block]:
    if not recent:
        return [context(_("None yet: lookups you make show here, for you only, for a week."))]
    blocks: list[Block] = []
    for lookup in recent:
        blocks.append(
            SectionBlock(
                text=mrkdwn(
                    f"*{escape(_(lookup.verdict))}* · {escape(lookup.shown)}\n"
                    f"{date_token(datetime.fromtimestamp(lookup.at, UTC))}"
                ),
                accessory=ButtonElement(
                    text=PlainTextObject(text=_("Look again")),
                    action_id=ACTION_LOOK_AGAIN,
                    value=ButtonValue(lookup.query_text).encode(),
                ),
            )
        )
    blocks.append(context(_("Only you see this list; addresses are masked, kept a week.")))
    return blocks
