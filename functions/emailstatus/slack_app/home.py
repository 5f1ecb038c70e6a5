"""App Home: ``app_home_opened`` → ``views.publish``, and *Look again* on a recent lookup.

The event is acknowledged at once; a lazy listener reads the asker's recent lookups and the
figures and publishes. Tencent's figures (``GetStatisticsReport``, today and yesterday in one
call) are kept in the store's state items, shared by every container: opening Home reads them
from there, and only the one request that wins a one-minute claim asks Tencent again, so Home
costs at most one Tencent call a minute however often and wherever it is opened.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeGuard

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from emailstatus.command import Query
from emailstatus.errors import EmailStatusError, log_bug
from emailstatus.i18n import _
from emailstatus.knowledge.records import BEIJING
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.render.slack import unreadable_button_message
from emailstatus.render.slack_home import ACTION_LOOK_AGAIN, Figures, home_view
from emailstatus.render.slack_message import ButtonValue
from emailstatus.render.slack_modal import ModalOrigin, looking_up_modal, refusal_modal
from emailstatus.slack_app import recent
from emailstatus.slack_app.answer import Answers, immediate_answer
from emailstatus.slack_app.audit import Asker
from emailstatus.slack_app.modal_answer import external_id, open_view, show_answer

if TYPE_CHECKING:
    from emailstatus.events.store import EventStore
    from emailstatus.tencent.client import SesClient

log = logging.getLogger(__name__)

FIGURES_KEY: Final = "home#figures"
REFRESH_KEY: Final = "home#figures#refresh"
#: At most one Tencent call per this many seconds, across all containers.
REFRESH_S: Final = 60
#: Figures older than this are not shown at all (a refresh that keeps failing).
KEEP_FIGURES_S: Final = 3600
#: Seconds ``GetStatisticsReport`` may take: Home is published from a lazy listener.
STATISTICS_SECONDS: Final = 5.0


def register(app: App, answers: Answers) -> None:
    """Add App Home's listeners to ``app``."""

    def acknowledge(ack: Ack) -> None:
        ack()

    def publish(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab") != "home" or not context.user_id:
            return
        view = home_for(answers, context.user_id)
        try:
            client.views_publish(user_id=context.user_id, view=view)
        except SlackApiError as error:
            log.warning("views.publish failed", extra={"slack_error": error.response.get("error")})

    def is_query(action: dict[str, Any], request: BoltRequest) -> bool:
        value = ButtonValue.decode(str(action.get("value", "")))
        return value is not None and isinstance(answers.read(value.text, request), Query)

    def open_again(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        request: BoltRequest,
        client: WebClient,
    ) -> None:
        ack()
        trigger = str(body.get("trigger_id", ""))
        value = ButtonValue.decode(str(action.get("value", "")))
        parsed = answers.read(value.text, request) if value is not None else None
        if isinstance(parsed, Query):
            open_view(client, trigger, looking_up_modal(parsed, external_id(trigger)))
        else:
            said = immediate_answer(parsed) if parsed is not None else unreadable_button_message()
            open_view(client, trigger, refusal_modal(said))

    def look_again(
        action: dict[str, Any],
        body: dict[str, Any],
        request: BoltRequest,
        context: BoltContext,
        client: WebClient,
    ) -> None:
        value = ButtonValue.decode(str(action.get("value", "")))
        query = answers.read(value.text, request, as_asker=True) if value is not None else None
        if query is None:
            return  # never: the matcher let only lookups through
        if isinstance(query, Query):
            answer = answers.answer(query, Asker("home_again", context.user_id, None))
        else:  # a lookup in the configured zone, but not in the asker's
            answer = immediate_answer(query)
        show_answer(client, answer, ModalOrigin(), trigger_id=str(body.get("trigger_id", "")))

    app.event("app_home_opened")(ack=acknowledge, lazy=[publish])
    app.action(ACTION_LOOK_AGAIN, matchers=[is_query])(ack=open_again, lazy=[look_again])
    app.action(ACTION_LOOK_AGAIN)(open_again)


def home_for(answers: Answers, user: str) -> View:
    """The user's Home view: figures and recent lookups, each replaced by a note on failure."""
    bounce = answers.settings.thresholds.bounce_rate
    try:
        store = answers.home_store()
        mine = recent.recent(store, user)
        shown = figures(store, answers.client, datetime.now(UTC))
    except EmailStatusError as error:
        today = datetime.now(BEIJING).date()
        return home_view(Figures(today, {}, problem=error.explanation), [], bounce)
    except Exception as error:
        log_bug("home", error)
        today = datetime.now(BEIJING).date()
        return home_view(Figures(today, {}, problem=_("Home could not be read.")), [], bounce)
    return home_view(shown, mine, bounce)


def figures(store: EventStore, client: Callable[[], SesClient], now: datetime) -> Figures:
    """Today's and yesterday's counters: from the store when read within the minute (or when
    another request is reading them), else from Tencent, once."""
    today = now.astimezone(BEIJING).date()
    cached = _decode(store.get_state(FIGURES_KEY))
    if _fresh(cached, today, now):
        return cached
    if not store.claim(REFRESH_KEY, ttl_s=REFRESH_S):
        return cached or Figures(
            today, {}, problem="Tencent's figures are being read: look again in a minute."
        )
    try:
        volumes = client().statistics(
            today - timedelta(days=1), today, deadline=time.monotonic() + STATISTICS_SECONDS
        )
    except EmailStatusError as error:
        log.warning("GetStatisticsReport failed for Home", extra={"code": error.code})
        return cached or Figures(
            today,
            {},
            problem=_("Tencent's figures could not be read: {why}").format(
                why=_(error.explanation)
            ),
        )
    fresh = Figures(today, volumes, now)
    store.put_state(FIGURES_KEY, _encode(fresh), ttl_s=KEEP_FIGURES_S)
    return fresh


def _fresh(cached: Figures | None, today: date, now: datetime) -> TypeGuard[Figures]:
    """Read for today within the last ``REFRESH_S`` seconds."""
    return (
        cached is not None
        and cached.today == today
        and cached.read_at is not None
        and (now - cached.read_at).total_seconds() < REFRESH_S
    )


def _encode(figures: Figures) -> str:
    volumes = [
        {**dataclasses.asdict(volume), "day": volume.day.isoformat()}
        for volume in figures.volumes.values()
    ]
    read_at = figures.read_at.timestamp() if figures.read_at else None
    return json.dumps({"today": figures.today.isoformat(), "read_at": read_at, "volumes": volumes})


def _decode(value: str | None) -> Figures | None:
    if not value:
        return None
    try:
        data = json.loads(value)
        volumes = [
            DailyVolume(**{**item, "day": date.fromisoformat(item["day"])})
            for item in data["volumes"]
        ]
        read_at = datetime.fromtimestamp(float(data["read_at"]), UTC)
        today = date.fromisoformat(data["today"])
    except (ValueError, TypeError, KeyError):
        log.warning("Unreadable Home figures ignored")
        return None
    return Figures(today, {volume.day: volume for volume in volumes}, read_at)
