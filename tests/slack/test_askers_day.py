"""The asker's day: "today", "yesterday" and dates are calendar days in the asker's Slack zone
(``users.info``), read from the Beijing dates Tencent files emails under, keeping only the
emails sent inside them. End to end: signed requests through Bolt, the fake Slack serving
``users.info``, the simulator's fixed emails placed across a Beijing midnight."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from emailstatus.cli import main
from emailstatus.config import get_settings
from emailstatus.knowledge.records import BEIJING
from emailstatus.render.slack_message import ACTION_PREVIOUS_DAY
from emailstatus.render.slack_modal import FORM_FROM, FORM_TARGET, FORM_TO
from emailstatus.slack_app.asker import forget_profiles
from emailstatus.slack_app.lookup_form import CALLBACK as FORM_CALLBACK
from ses_simulator import ABSENT_ADDRESS, FIXTURES, Simulator
from testkit.block_kit import all_text
from testkit.fake_slack.users import SlackUser
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import USER, command_body, signed_event

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
_STAMP = re.compile(r"<!date\^([0-9]+)\^")


def sent_times(sim: Simulator, address: str, days: list[date]) -> list[datetime]:
    """When each email to ``address`` on these Beijing dates was sent, from the simulator's
    own data (not through the app)."""
    return [
        datetime.fromtimestamp(int(record["RequestTime"]), BEIJING)
        for day in days
        for record in sim.dataset.find(day, to_address=address)
    ]


def relative(day: date, zone: ZoneInfo) -> str:
    """How the asker says ``day`` (today, yesterday or the date) in ``zone`` right now."""
    today = datetime.now(zone).date()
    return {today: "today", today - timedelta(days=1): "yesterday"}.get(day, day.isoformat())


def named(day: date, zone: ZoneInfo) -> str:
    """The day as an answer names it to an asker in ``zone``."""
    word = relative(day, zone)
    name = "Beijing time" if zone.key == "Asia/Shanghai" else zone.key
    days = f"{day.day} {day.strftime('%b')}"
    return f"{word} ({days}, {name})" if word in {"today", "yesterday"} else f"{days} ({name})"


def shown_times(answer: dict[str, Any]) -> list[datetime]:
    """Every time the answer shows (Slack date tokens, drawn in each reader's own zone)."""
    return [
        datetime.fromtimestamp(int(stamp), BEIJING) for stamp in _STAMP.findall(all_text(answer))
    ]


def test_an_asker_in_los_angeles_gets_their_day_from_two_beijing_dates(
    slack: SlackHarness, sim: Simulator, audit_log: io.StringIO
) -> None:
    """The 250 "many" emails run from 00:30 to 21:20 Beijing time: 16:00 Beijing is midnight
    in Los Angeles, so they fall on two Los Angeles days."""
    slack.hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles")
    many = FIXTURES["many"]
    beijing_day = many.day
    la_day = datetime.combine(beijing_day, datetime.max.time(), BEIJING).astimezone(LOS_ANGELES)
    asked_day = la_day.date()  # the Los Angeles day holding the fixture's last hours
    start = datetime.combine(asked_day, datetime.min.time(), LOS_ANGELES)
    end = start + timedelta(days=1)
    every = sent_times(sim, many.address, [beijing_day])
    inside = [sent for sent in every if start <= sent < end]
    assert 0 < len(inside) < len(every) == many.count  # the fixture straddles the LA midnight

    exchange = slack.command(f"{many.address} {relative(asked_day, LOS_ANGELES)}")

    answer = all_text(exchange.answer)
    assert f"*{many.address}, {named(asked_day, LOS_ANGELES)}*" in answer
    assert f"*{len(inside)} emails*" in answer
    requested = sorted(
        {start.astimezone(BEIJING).date(), (end - timedelta(seconds=1)).astimezone(BEIJING).date()}
    )
    read = [day for day in requested if day <= sim.dataset.today]
    assert f"{', '.join(day.isoformat() for day in read)} were read." in answer
    assert f"{len(every) - len(inside)} emails sent outside your days are not shown." in answer
    shown = shown_times(exchange.answer)  # the newest in detail, then a screen of 10
    assert len(shown) >= 10
    assert all(start <= moment < end for moment in shown)
    (line,) = [json.loads(line) for line in audit_log.getvalue().splitlines()]
    assert line["emails"] == len(inside) and line["dates"] == [asked_day.isoformat()]


def test_an_asker_in_tokyo_gets_the_beijing_evening_before_their_day(
    slack: SlackHarness, sim: Simulator
) -> None:
    """Tokyo's day begins at 23:00 Beijing time the day before: an email sent at 23:xx in
    Beijing is the next day's in Tokyo, and is found there, not on its Beijing date."""
    slack.hooks.users.users[USER] = SlackUser(tz="Asia/Tokyo")
    beijing_day = sim.dataset.today - timedelta(days=2)
    days = [beijing_day - timedelta(days=1), beijing_day, beijing_day + timedelta(days=1)]
    late = next(
        record
        for record in sim.dataset.day_records(beijing_day)
        if datetime.fromtimestamp(int(record["RequestTime"]), BEIJING).hour == 23
        and len(sent_times(sim, str(record["ToEmailAddress"]), days)) == 1
    )
    address = str(late["ToEmailAddress"])
    tokyo_day = beijing_day + timedelta(days=1)

    found = all_text(slack.command(f"{address} {relative(tokyo_day, TOKYO)}").answer)
    assert f"*{address}, {named(tokyo_day, TOKYO)}*" in found
    assert str(late["MessageId"]) in found
    assert f"{beijing_day.isoformat()}, {tokyo_day.isoformat()} were read." in found

    missed = slack.command(f"{address} {beijing_day.isoformat()}").answer
    assert missed["text"].startswith(":mailbox_with_no_mail: No email found")
    earlier = beijing_day - timedelta(days=1)
    assert (
        f"{earlier.isoformat()}, {beijing_day.isoformat()} were read. 1 email sent outside your "
        "days is not shown."
    ) in all_text(missed)


def test_the_acknowledgement_never_waits_for_slack(slack: SlackHarness) -> None:
    slack.hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles")
    body = command_body(f"{FIXTURES['bounced'].address} yesterday", slack.hooks.response_url())
    exchange = slack.send(signed_event(body), run_lazy=False)
    assert exchange.ack["statusCode"] == 200
    assert slack.hooks.users.calls == []
    assert "America/Los_Angeles" not in all_text(exchange.ack_body)  # no zone it cannot know


def test_a_date_already_begun_east_of_the_configured_zone_is_looked_up(
    slack_env: pytest.MonkeyPatch, slack: SlackHarness
) -> None:
    """The configured zone 26 hours behind the asker (UTC-12; the asker on Kiritimati, UTC+14):
    the asker's own date is always the configured zone's future. Before this process knows the
    asker's zone, the acknowledgement lets it through (it is today somewhere) and names the
    date, not "today"; the lookup reads it as the asker's today. Once the zone is held, the
    acknowledgement reads days as the asker does. A date that has begun nowhere is refused."""
    slack_env.setenv("EMAILSTATUS_TIMEZONE", "Etc/GMT+12")
    slack.rebuild()
    slack.hooks.users.users[USER] = SlackUser(tz="Pacific/Kiritimati")
    address = FIXTURES["bounced"].address
    today = datetime.now(KIRITIMATI).date()

    cold = slack.command(f"{address} {today.isoformat()}")
    assert cold.ack_body["text"].startswith(
        f":mag: Looking up {address}, {today.day} {today:%b} {today.year}: "
    )
    assert f"*{address}, {named(today, KIRITIMATI)}*" in all_text(cold.answer)

    warm = slack.command(f"{address} {today.isoformat()}")
    assert warm.ack_body["text"].startswith(f":mag: Looking up {address}, today: ")

    forget_profiles()
    later = today + timedelta(days=1)
    refused = slack.command(f"{address} {later.isoformat()}")
    assert f"{later.isoformat()} is in the future" in all_text(refused.ack_body)
    assert refused.invocations == []  # no lookup started


def test_without_users_read_the_configured_zone_answers(
    slack_env: pytest.MonkeyPatch, slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """Installed before users:read was added: Slack refuses users.info (missing_scope); the
    lookup is answered in EMAILSTATUS_TIMEZONE, says so, and a warning says why."""
    slack_env.setenv("EMAILSTATUS_TIMEZONE", "Europe/Berlin")
    slack.rebuild()
    slack.hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles")
    slack.hooks.users.scopes = ("commands", "chat:write")
    bounced = FIXTURES["bounced"]  # sent 09:20 Beijing time: 02:20 the same day in Berlin
    exchange = slack.command(f"{bounced.address} {bounced.day.isoformat()}")
    answer = exchange.answer
    assert answer["text"].startswith(":x: Bounced")
    assert f"*{bounced.address}, {named(bounced.day, BERLIN)}*" in all_text(answer)
    assert "users:read" in caplog.text


def test_a_message_id_is_named_by_the_askers_day(slack: SlackHarness) -> None:
    """A MessageId carries its Beijing send time: asked on that Beijing date, named in the
    asker's zone."""
    slack.hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles")
    bounced = FIXTURES["bounced"]
    sent = datetime.fromtimestamp(bounced.request_time, LOS_ANGELES).date()
    answer = slack.command(bounced.message_id).answer
    assert answer["text"].startswith(":x: Bounced")
    assert f"*{bounced.message_id}, sent {named(sent, LOS_ANGELES)}*" in all_text(answer)


def _many_in_los_angeles(sim: Simulator) -> tuple[date, list[datetime]]:
    """The Los Angeles day holding the "many" fixture's last hours, and every send time."""
    many = FIXTURES["many"]
    last = datetime.combine(many.day, datetime.max.time(), BEIJING).astimezone(LOS_ANGELES)
    return last.date(), sent_times(sim, many.address, [many.day])


def _on(day: date, times: list[datetime]) -> int:
    return sum(moment.astimezone(LOS_ANGELES).date() == day for moment in times)


def test_the_previous_day_button_reads_the_askers_day_before(
    slack: SlackHarness, sim: Simulator
) -> None:
    """The button carries the date; the click is read in the clicker's zone again."""
    slack.hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles")
    day, every = _many_in_los_angeles(sim)
    answer = slack.command(f"{FIXTURES['many'].address} {day.isoformat()}").answer
    (button,) = [
        element
        for block in answer["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ACTION_PREVIOUS_DAY
    ]
    earlier = day - timedelta(days=1)
    assert button["text"]["text"] == f"Check {earlier.day} {earlier.strftime('%b')}"
    clicked = all_text(slack.click(ACTION_PREVIOUS_DAY, button["value"]).answer)
    assert f"*{FIXTURES['many'].address}, {named(earlier, LOS_ANGELES)}*" in clicked
    assert f"*{_on(earlier, every)} emails*" in clicked and _on(earlier, every) > 0


def test_the_lookup_forms_dates_are_the_askers_days(slack: SlackHarness, sim: Simulator) -> None:
    slack.hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles")
    day, every = _many_in_los_angeles(sim)
    opened = slack.global_shortcut(FORM_CALLBACK)
    assert opened.ack["statusCode"] == 200
    (view_id,) = slack.hooks.views.modals
    view = slack.hooks.views.current(view_id)
    values = {
        FORM_TARGET: {FORM_TARGET: {"type": "plain_text_input", "value": FIXTURES["many"].address}},
        FORM_FROM: {FORM_FROM: {"type": "datepicker", "selected_date": day.isoformat()}},
        FORM_TO: {FORM_TO: {"type": "datepicker", "selected_date": day.isoformat()}},
    }
    slack.submit_values(view, values)
    shown = all_text(slack.hooks.views.current(view_id))
    assert f"{named(day, LOS_ANGELES)}*" in shown
    assert f"*{_on(day, every)} emails*" in shown


def test_the_cli_reads_days_in_emailstatus_timezone(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {
        "TENCENTCLOUD_SECRET_ID": sim.secret_id,
        "TENCENTCLOUD_SECRET_KEY": sim.secret_key,
        "EMAILSTATUS_SES_ENDPOINT": sim.endpoint,
        "EMAILSTATUS_TIMEZONE": "America/Los_Angeles",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("EMAILSTATUS_EVENTS_TABLE", "EMAILSTATUS_EVENTS_DB", "EMAILSTATUS_SSM_PATH"):
        monkeypatch.delenv(name, raising=False)
    day, every = _many_in_los_angeles(sim)
    get_settings.cache_clear()
    try:
        assert main(["check", FIXTURES["many"].address, day.isoformat(), "--format", "json"]) == 0
    finally:
        get_settings.cache_clear()
    answer = json.loads(capsys.readouterr().out)
    assert answer["query"]["zone"] == "America/Los_Angeles"
    assert answer["query"]["dates"] == [day.isoformat()]
    assert FIXTURES["many"].day.isoformat() in answer["query"]["request_dates"]
    assert len(answer["emails"]) == _on(day, every)
    assert answer["left_out"] == len(every) - _on(day, every)
    assert all(email["requested_at"].endswith(("-08:00", "-07:00")) for email in answer["emails"])


def test_a_beijing_date_tencent_no_longer_keeps_is_named_as_beijings(
    slack: SlackHarness, sim: Simulator
) -> None:
    """Tokyo's day 30 days back begins on the Beijing date 31 days back, which the simulator
    (like Tencent) no longer keeps: the rest is read and the answer names the lost date."""
    slack.hooks.users.users[USER] = SlackUser(tz="Asia/Tokyo")
    day = sim.dataset.today - timedelta(days=30)
    gone = day - timedelta(days=1)
    answer = slack.command(f"{ABSENT_ADDRESS} {day.isoformat()}").answer
    assert answer["text"].startswith(":mailbox_with_no_mail: No email found")
    assert f"it no longer has {gone.isoformat()} (Beijing time)." in all_text(answer)
