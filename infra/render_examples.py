"""Render real Slack payloads to PNG with headless Chromium: what an agent sees, on a phone and on
a desktop. ``make docs-images`` writes ``docs/lookup-*.png`` (``lookup-events-*.png``: answers
with Tencent's event callbacks), ``docs/blocklist-*.png``, ``docs/shortcut-*.png``,
``docs/form-*.png``, ``docs/home-*.png`` and ``docs/digest-*.png``.

The payloads are the product's own: a lookup and a digest run against the local Tencent SES
simulator through the real SDK (nothing here builds a block). Slack's renderer is not available
outside Slack, and Block Kit Builder needs a browser session and a workspace, so this file turns
Block Kit into a small Slack-like HTML page itself: headers, sections with fields, context,
dividers, buttons, mrkdwn (bold, italic, strike, code, date tokens, the emoji we use). It is a
reading aid for people, not a Slack emulator; CI never runs it (it needs Debian's ``chromium``).

    .venv/bin/python infra/render_examples.py [--out docs] [--zone America/Los_Angeles]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from emailstatus.command import Query, parse
from emailstatus.config import Settings, load_settings
from emailstatus.digest.run import build_report
from emailstatus.errors import SesError
from emailstatus.events.payload import parse_body
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.i18n import CHINESE, format_day, is_english, use_locale
from emailstatus.knowledge.records import BEIJING
from emailstatus.lookup import run_lookup
from emailstatus.message_targets import find_queries
from emailstatus.privacy import mask_address
from emailstatus.render.slack import (
    failure_message,
    looking_up_message,
    query_text,
    verdict_message,
)
from emailstatus.render.slack_blocklist import RemovalRequest, removal_modal
from emailstatus.render.slack_digest import digest_message, thread_reply
from emailstatus.render.slack_home import Figures, Recent, home_view
from emailstatus.render.slack_modal import (
    FORM_TITLE,
    ModalOrigin,
    answer_modal,
    lookup_form,
    pick_modal,
)
from emailstatus.results import BlocklistStatus
from emailstatus.tencent.client import SesClient
from ses_simulator import ABSENT_ADDRESS, FIXTURES, Simulator, SimulatorConfig
from ses_simulator.callbacks import callbacks_for
from ses_simulator.wire import message_id

#: Widths drawn: a phone in portrait and a desktop Slack window's message column.
WIDTHS = {"phone": 390, "desktop": 900}
#: Pages drawn at phone width only: the same answer in another language.
PHONE_ONLY = frozenset({"lookup-zh-CN"})
#: The emoji shortcodes emailstatus writes, as Slack draws them.
EMOJI = {
    "white_check_mark": "✅",
    "x": "❌",
    "wastebasket": "🗑️",
    "hourglass_flowing_sand": "⏳",
    "hourglass": "⌛",
    "outbox_tray": "📤",
    "no_entry_sign": "🚫",
    "grey_question": "❔",
    "no_entry": "⛔",
    "mailbox_with_no_mail": "📭",
    "mag": "🔍",
    "warning": "⚠️",
    "information_source": "ℹ️",
    "large_green_circle": "🟢",
    "large_orange_circle": "🟠",
    "red_circle": "🔴",
}
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
STYLE = """
body { margin: 0; background: #fff; font: 15px/1.46668 -apple-system, "Segoe UI", "Noto Sans",
  "DejaVu Sans", sans-serif; color: #1d1c1d; }
.msg { display: flex; gap: 8px; padding: 8px 16px; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #2eb67d;
  color: #fff; font-weight: 700; display: flex; align-items: center; justify-content: center; }
.body { min-width: 0; flex: 1; }
.who { font-weight: 900; } .who small { font-weight: 400; color: #616061; font-size: 12px; }
.block { margin: 4px 0; overflow-wrap: anywhere; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 6px 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; }
.context { color: #616061; font-size: 13px; }
.context > span + span::before { content: "  "; white-space: pre; }
.divider { border: 0; border-top: 1px solid #ddd; margin: 10px 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.button { border: 1px solid #bbb; border-radius: 4px; padding: 3px 12px; font-size: 14px;
  font-weight: 700; }
code { font: 12px Menlo, "DejaVu Sans Mono", monospace; color: #e01e5a; background: #f6f6f6;
  border: 1px solid #ddd; border-radius: 3px; padding: 1px 3px; }
.note { color: #616061; font-size: 12px; padding: 0 16px 0 60px; }
.thread { border-left: 3px solid #ddd; margin-left: 60px; }
.thread .msg { padding-left: 8px; }
.block > .button { display: inline-block; margin-top: 6px; }
.modal { margin: 16px; padding: 16px; border: 1px solid #ddd; border-radius: 8px;
  box-shadow: 0 4px 12px rgba(0,0,0,.15); }
.input { border: 1px solid #bbb; border-radius: 4px; padding: 8px; min-height: 48px;
  color: #868686; margin-top: 4px; }
.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
.modal .actions { justify-content: flex-end; }
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--zone", default="America/Los_Angeles", help="the reader's time zone")
    parser.add_argument("--all", action="store_true", help="every demo lookup, not just one")
    args = parser.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print(
            "render_examples: needs Debian's chromium (apt-get install chromium)", file=sys.stderr
        )
        return 1
    reader = ZoneInfo(args.zone)
    args.out.mkdir(parents=True, exist_ok=True)
    with simulated_settings() as (settings, sim):
        client = SesClient(settings)
        names = sorted(FIXTURES) if args.all else ["multi"]
        pages = {}
        for name in names:
            fixture = FIXTURES[name]
            text = f"{fixture.address} last 5 days" if name == "multi" else fixture.address
            query = parse(text, datetime.now(settings.zone))
            assert isinstance(query, Query)
            payload = verdict_message(run_lookup(query, client)).to_dict()
            pages[f"lookup-{name}" if args.all else "lookup"] = page(
                [message_html(payload, reader, ack=looking_up_message(query).to_dict())]
            )
        if args.all:  # for review: nothing found, and a failure (every attempt rate-limited)
            nothing = parse(f"{ABSENT_ADDRESS} yesterday", datetime.now(settings.zone))
            assert isinstance(nothing, Query)
            found = verdict_message(run_lookup(nothing, client)).to_dict()
            pages["lookup-not-found"] = page([message_html(found, reader)])
            sim.fail_next("RequestLimitExceeded", times=10)
            try:
                run_lookup(nothing, client)
            except SesError as error:
                failed = failure_message(error, nothing).to_dict()
                pages["lookup-failure"] = page([message_html(failed, reader)])
        bounced = FIXTURES["bounced"]
        query = parse(bounced.address, datetime.now(settings.zone))
        assert isinstance(query, Query)
        outcome = run_lookup(query, client, blocklist_days=settings.blocklist_days)
        assert isinstance(outcome.blocklist, BlocklistStatus)
        remove = RemovalRequest(bounced.address, bounced.address, lists=outcome.blocklist.listed_on)
        modal = removal_modal(bounced.address, remove.lists, remove).to_dict()
        pages["blocklist"] = page(
            [message_html(verdict_message(outcome, remove=remove).to_dict(), reader)]
        )
        pages["blocklist-modal"] = page([modal_html(modal, reader)])
        pages["lookup-events"] = page(
            [message_html(payload, reader) for payload in events_answers(settings, sim, client)]
        )
        pages.update(shortcut_pages(client, settings, reader))
        pages["lookup-zh-CN"] = chinese_page(client, settings, reader)
        report = build_report(client, settings, sim.dataset.today - timedelta(days=1))
        summary = digest_message(report).to_dict()
        thread = thread_reply(report, show_addresses=False, csv_attached=False)
        pages["digest"] = page(
            [message_html(summary, reader)]
            + ([thread_html(thread.to_dict(), reader)] if thread is not None else [])
        )
    for stem, document in pages.items():
        for label, width in widths(stem).items():
            target = args.out / f"{stem}-{label}.png"
            screenshot(browser, document, width, target)
            print(target)
    return 0


def events_answers(settings: Settings, sim: Simulator, client: SesClient) -> list[dict[str, Any]]:
    """Answers with Tencent's events (the simulator's callbacks in an embedded store): a
    timeline, the status API and the events disagreeing, an email known from its events alone."""
    delivered = FIXTURES["delivered"]
    (item,) = sim.dataset.find(delivered.day, message_id=delivered.message_id)
    queued = FIXTURES["queued"]
    (waiting,) = sim.dataset.find(queued.day, message_id=queued.message_id)
    old_at = int(item["RequestTime"]) - 40 * 86400
    emails = [
        item,
        {**waiting, "DeliverStatus": 1, "DeliverTime": int(waiting["RequestTime"]) + 4},
        {
            **item,
            "MessageId": message_id(old_at, "OldOldOldOld"),
            "RequestTime": old_at,
            "DeliverTime": old_at + 14,
        },
    ]
    now = int(datetime.now().timestamp())
    store = SqliteEventStore(":memory:", zone=settings.zone)
    for email in emails:
        for callback in callbacks_for(email, version="current", now=now):
            store.put(parse_body(json.dumps(callback).encode(), now=now))
    asked = [
        f"{delivered.address} {delivered.day.isoformat()}",
        queued.address,
        f"{delivered.address} {(delivered.day - timedelta(days=40)).isoformat()}",
    ]
    answers = []
    for text in asked:
        query = parse(text, datetime.now(settings.zone))
        assert isinstance(query, Query)
        answers.append(verdict_message(run_lookup(query, client, events=store)).to_dict())
    return answers


def shortcut_pages(client: SesClient, settings: Settings, reader: ZoneInfo) -> dict[str, str]:
    """The message shortcut on a colleague's message: the answer, and the choice of several."""
    now = datetime.now(settings.zone)
    one = f"Did the reset email reach <mailto:{FIXTURES['bounced'].address}|the customer>?"
    (query,) = find_queries({"text": one}, now)
    answer = verdict_message(run_lookup(query, client, blocklist_days=settings.blocklist_days))
    several = (
        f"Ticket 4521: {FIXTURES['delivered'].address} says nothing arrived; cc "
        f"{FIXTURES['deferred'].address}, `{FIXTURES['multi'].message_id}`"
    )
    picker = pick_modal(find_queries({"text": several}, now), ModalOrigin()).to_dict()
    return {
        "shortcut": page(
            [
                _person(one.replace(f"<mailto:{query.target}|the customer>", "the customer")),
                "<div class='note'>⋮ More actions → Check email status</div>",
                message_html(answer.to_dict(), reader, ack=looking_up_message(query).to_dict()),
            ]
        ),
        "shortcut-pick": page([modal_html(picker, reader)]),
        "form": page([modal_html(lookup_form(ModalOrigin()).to_dict(), reader)]),
        "home": page([_home_html(client, settings, reader, query)]),
        "form-answer": page(
            [modal_html(answer_modal(answer, ModalOrigin(), title=FORM_TITLE).to_dict(), reader)]
        ),
    }


@contextmanager
def simulated_settings() -> Iterator[tuple[Settings, Simulator]]:
    """Settings pointed at a fresh simulator with a busy, deterministic day."""
    with Simulator(SimulatorConfig(seed=7, emails_per_day=300, rate_limit=None)) as sim:
        yield (
            load_settings(
                {
                    "TENCENTCLOUD_SECRET_ID": sim.secret_id,
                    "TENCENTCLOUD_SECRET_KEY": sim.secret_key,
                    "EMAILSTATUS_SES_ENDPOINT": sim.endpoint,
                    "EMAILSTATUS_SES_RATE": "200",
                    "EMAILSTATUS_DIGEST_RATE": "200",
                }
            ),
            sim,
        )


# --- Block Kit → HTML ---------------------------------------------------------------------------


def page(messages: list[str]) -> str:
    return (
        f"<!doctype html><meta charset='utf-8'><style>{STYLE}</style>"
        f"<body>{''.join(messages)}</body>"
    )


def message_html(
    payload: dict[str, Any], reader: ZoneInfo, ack: dict[str, Any] | None = None
) -> str:
    """One bot message (and, before it, the command's acknowledgement, as Slack shows both)."""
    first = ""
    if ack is not None:
        first = _bot(blocks_html(ack["blocks"], reader)) + (
            "<div class='note'>Only visible to you</div>"
        )
    return first + _bot(blocks_html(payload["blocks"], reader))


def modal_html(view: dict[str, Any], reader: ZoneInfo) -> str:
    """A modal: title, blocks, and its Close/Cancel and submit buttons."""
    buttons = "".join(
        f"<span class='button{' primary' if part == 'submit' else ''}'>{view[part]['text']}</span>"
        for part in ("close", "submit")
        if part in view
    )
    return (
        f"<div class='modal'><div class='header'>{html.escape(view['title']['text'])}</div>"
        f"{blocks_html(view['blocks'], reader)}<div class='actions'>{buttons}</div></div>"
    )


def _home_html(client: SesClient, settings: Settings, reader: ZoneInfo, query: Query) -> str:
    """App Home as one agent sees it after two lookups, with the real figures."""
    volumes = client.statistics(
        datetime.now(BEIJING).date() - timedelta(days=1), datetime.now(BEIJING).date()
    )
    figures = Figures(datetime.now(BEIJING).date(), volumes, datetime.now(UTC))
    now = int(datetime.now(UTC).timestamp())
    delivered = FIXTURES["delivered"].message_id
    recent = [
        Recent(query_text(query), mask_address(query.target), "Bounced", now - 120),
        Recent(delivered, delivered, "Delivered", now - 3600),
    ]
    view = home_view(figures, recent, settings.thresholds.bounce_rate).to_dict()
    return f"<div class='body' style='padding:16px'>{blocks_html(view['blocks'], reader)}</div>"


def _person(text: str) -> str:
    """A colleague's message, as the shortcut finds it."""
    return (
        "<div class='msg'><div class='avatar' style='background:#4a6fa5'>ag</div>"
        "<div class='body'><div class='who'>Ana García <small>9:40 AM</small></div>"
        f"<div class='block'>{html.escape(text)}</div></div></div>"
    )


def thread_html(payload: dict[str, Any], reader: ZoneInfo) -> str:
    return f"<div class='thread'>{_bot(blocks_html(payload['blocks'], reader))}</div>"


def _bot(inner: str) -> str:
    return (
        "<div class='msg'><div class='avatar'>es</div><div class='body'>"
        "<div class='who'>emailstatus <small>APP  9:41 AM</small></div>"
        f"{inner}</div></div>"
    )


def blocks_html(blocks: list[dict[str, Any]], reader: ZoneInfo) -> str:
    parts = []
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            parts.append(f"<div class='block header'>{text_html(block['text'], reader)}</div>")
        elif kind == "section":
            inner = text_html(block["text"], reader) if "text" in block else ""
            if block.get("fields"):
                cells = "".join(f"<div>{text_html(f, reader)}</div>" for f in block["fields"])
                inner += f"<div class='fields'>{cells}</div>"
            accessory = block.get("accessory") or {}
            if accessory.get("type") == "button":
                inner += f"<span class='button'>{text_html(accessory['text'], reader)}</span>"
            parts.append(f"<div class='block'>{inner}</div>")
        elif kind == "context":
            spans = "".join(f"<span>{text_html(e, reader)}</span>" for e in block["elements"])
            parts.append(f"<div class='block context'>{spans}</div>")
        elif kind == "input" and block["element"]["type"] == "radio_buttons":
            chosen = (block["element"].get("initial_option") or {}).get("value")
            options = "".join(
                f"<div>{'◉' if option['value'] == chosen else '○'} "
                f"{text_html(option['text'], reader)}</div>"
                for option in block["element"]["options"]
            )
            parts.append(
                f"<div class='block'><b>{text_html(block['label'], reader)}</b>{options}</div>"
            )
        elif kind == "input":
            hint = block["element"].get("placeholder", {}).get("text", "")
            if block["element"]["type"] == "datepicker":
                hint = f"📅 {hint}"
            parts.append(
                f"<div class='block'><b>{text_html(block['label'], reader)}</b>"
                f"<div class='input'>{hint}</div></div>"
            )
        elif kind == "divider":
            parts.append("<hr class='divider'>")
        elif kind == "actions":
            buttons = "".join(
                f"<span class='button'>{text_html(e['text'], reader)}</span>"
                for e in block["elements"]
            )
            parts.append(f"<div class='block actions'>{buttons}</div>")
    return "".join(parts)


def text_html(text: dict[str, Any], reader: ZoneInfo) -> str:
    """A text object as Slack draws it: plain_text literally, mrkdwn formatted."""
    raw = _unescape_slack(text["text"])
    if text["type"] == "plain_text":
        return _emoji(html.escape(raw)).replace("\n", "<br>")
    return mrkdwn_html(text["text"], reader)


_DATE = re.compile(r"<!date\^(\d+)\^([^|>]*)\|([^>]*)>")
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~([^~\n]+)~(?![\w~])")


def mrkdwn_html(source: str, reader: ZoneInfo) -> str:
    """Slack's mrkdwn, the parts emailstatus writes: date tokens, code, bold, italic, strike."""
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = _DATE.sub(lambda m: html.escape(_date(int(m.group(1)), m.group(2), reader)), source)
    text = _CODE.sub(keep_code, text)  # still Slack-escaped: &lt; stays an entity in HTML
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    text = _STRIKE.sub(r"<s>\1</s>", text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return _emoji(text).replace("\n", "<br>")


def widths(stem: str) -> dict[str, int]:
    """The widths a page is drawn at."""
    return {"phone": WIDTHS["phone"]} if stem in PHONE_ONLY else WIDTHS


def chinese_page(client: SesClient, settings: Settings, reader: ZoneInfo) -> str:
    """The busy address's lookup as a zh-CN asker reads it (docs/i18n.md), dates as Slack's
    Chinese client draws them."""
    with use_locale(CHINESE):
        query = parse(f"{FIXTURES['multi'].address} last 5 days", datetime.now(settings.zone))
        assert isinstance(query, Query)
        answer = verdict_message(run_lookup(query, client)).to_dict()
        ack = looking_up_message(query).to_dict()
        return page([message_html(answer, reader, ack=ack)])


def _date(stamp: int, pattern: str, reader: ZoneInfo) -> str:
    """A Slack date token as Slack's client shows it, in the reader's zone and language."""
    moment = datetime.fromtimestamp(stamp, reader)
    today = datetime.now(reader).date()
    if not is_english():  # Slack's Chinese client: 今天 / 昨天 / 12月2日, 上午9:20
        from babel.dates import format_time

        days = (today - moment.date()).days
        said_day = {0: "今天", 1: "昨天"}.get(days) or format_day(moment.date())
        clock = format_time(moment, "ah:mm", locale="zh_CN")
        seconds = format_time(moment, "ah:mm:ss", locale="zh_CN")
        return (
            pattern.replace("{date_short_pretty}", said_day)
            .replace("{date_short}", format_day(moment.date()))
            .replace("{time}", clock)
            .replace("{time_secs}", seconds)
        )
    pretty = {0: "Today", 1: "Yesterday"}.get((today - moment.date()).days)
    short = f"{moment:%b} {moment.day}"
    return (
        pattern.replace("{date_short_pretty}", pretty or short)
        .replace("{date_short}", short)
        .replace("{time}", moment.strftime("%I:%M %p").lstrip("0"))
        .replace("{time_secs}", moment.strftime("%I:%M:%S %p").lstrip("0"))
    )


def _emoji(text: str) -> str:
    return re.sub(r":([a-z0-9_+-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def _unescape_slack(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- Chromium ------------------------------------------------------------------------------------


def screenshot(browser: str, document: str, width: int, target: Path) -> None:
    """``document`` drawn ``width`` pixels wide, as tall as its content, into ``target``."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch, "page.html")
        # --dump-dom lays the page out in its own default window: pin the width to measure.
        measure = document + (
            f"<style>html {{ width: {width}px }}</style><script>document.title = "
            "Math.ceil(document.body.getBoundingClientRect().bottom) + 16</script>"
        )
        source.write_text(measure, encoding="utf-8")
        dom = _chromium(browser, scratch, (width, 2000), "--dump-dom", source)
        height = int(re.search(r"<title>(\d+)</title>", dom).group(1))  # type: ignore[union-attr]
        source.write_text(document, encoding="utf-8")
        _chromium(browser, scratch, (width, height), f"--screenshot={target.resolve()}", source)


def _chromium(browser: str, scratch: str, size: tuple[int, int], mode: str, page_: Path) -> str:
    profile = Path(scratch, f"profile-{mode[2:8]}")
    command = [
        browser,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={size[0]},{size[1]}",
        mode,
        page_.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
