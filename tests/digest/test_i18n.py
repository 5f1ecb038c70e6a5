"""The digest and the alerts in the channel's language (``EMAILSTATUS_DIGEST_LOCALE``): posted
end to end in Simplified Chinese, and every alert, partial day and note rendered in it."""

from __future__ import annotations

from datetime import date

import pytest

from emailstatus.digest.run import run_digest
from emailstatus.events.alerts import AlertKind, Reading
from emailstatus.i18n import use_locale
from emailstatus.render.slack_alerts import alert_text, all_clear_text
from emailstatus.render.slack_digest import digest_message, thread_reply
from emailstatus.tencent.client import SesClient
from ses_simulator import Simulator
from testkit.fake_slack import FakeSlack
from tests.digest.conftest import digest_settings
from tests.digest.test_render import healthy, record, report
from tests.slack.test_i18n import assert_chinese, assert_english


def test_the_digest_is_posted_in_the_channels_language(
    dsim: Simulator, day: date, fake_slack: FakeSlack
) -> None:
    """``EMAILSTATUS_DIGEST_LOCALE=zh-CN``: both posts in Chinese, however the run's caller
    (Lambda, the CLI) was set; the process's own language is untouched."""
    settings = digest_settings(
        dsim, EMAILSTATUS_SLACK_API_URL=fake_slack.api_url, EMAILSTATUS_DIGEST_LOCALE="zh-CN"
    )
    run_digest(settings, day=day, client=SesClient(settings))
    [summary] = fake_slack.posts(thread=False)
    [thread] = fake_slack.posts(thread=True)
    assert_chinese(summary)
    assert_chinese(thread)
    assert "邮件日报" in summary["text"]


def test_without_a_digest_language_the_configured_one_is_used(
    dsim: Simulator, day: date, fake_slack: FakeSlack
) -> None:
    settings = digest_settings(dsim, EMAILSTATUS_SLACK_API_URL=fake_slack.api_url)
    run_digest(settings, day=day, client=SesClient(settings))
    [summary] = fake_slack.posts(thread=False)
    assert_english(summary)


def days() -> dict[str, object]:
    """Every shape a digest takes: calm, alerts of each kind, a partial day, notes."""
    restricted = [record(1000 + i, send_status=3030, deliver_status=0) for i in range(3)]
    refused = [record(3000 + i, send_status=1006, deliver_status=0) for i in range(9)]
    bounces = [record(2000 + i, deliver_status=3, reply="550 5.1.1 no") for i in range(40)]
    return {
        "calm": report(healthy()),
        "alerts": report([*healthy(), *bounces, *restricted, *refused]),
        "partial": report(healthy(), complete=False),
        "notes": report(
            healthy(),
            notes=("Tencent's statistics could not be read in time.",),
            blocklisted=3,
            history=(0.01, 0.02, None, 0.03),
        ),
    }


@pytest.mark.parametrize("name", ["calm", "alerts", "partial", "notes"])
def test_every_digest_shape_reads_in_chinese(name: str) -> None:
    with use_locale("zh-CN"):
        day = days()[name]
        message = digest_message(day)  # type: ignore[arg-type]
        reply = thread_reply(day, show_addresses=False, csv_attached=True)  # type: ignore[arg-type]
    assert_chinese(message.to_dict())
    if reply is not None:
        assert_chinese(reply.to_dict())


@pytest.mark.parametrize("kind", list(AlertKind))
@pytest.mark.parametrize("usual", [None, 0.01])
def test_every_alert_and_all_clear_reads_in_chinese(kind: AlertKind, usual: float | None) -> None:
    reading = Reading(
        kind,
        value=0.2 if kind is not AlertKind.DROPPED else 40,
        level=0.05 if kind is not AlertKind.DROPPED else 25,
        usual=usual,
        emails=500,
        firing=True,
        clear=False,
        top_reasons=(("userunknown", 30), ("mailboxfull", 5)),
        top_domains=(("example.com", 20),),
    )
    with use_locale("zh-CN"):
        texts = [alert_text(reading), all_clear_text(reading)]
    for text in texts:
        assert_chinese({"text": text})
