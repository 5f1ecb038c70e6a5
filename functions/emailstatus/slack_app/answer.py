"""Run a lookup for someone in Slack and answer through ``response_url``: always an answer.

Bolt only logs an exception raised in a lazy listener (without its traceback), and the user
would wait forever. So every path here ends in a message: the verdict, a usage hint, an
explanation of an SES or configuration failure with who must act, or, for a bug, a plain
apology while the log gets the exception's type and frames (never its message, which may hold
an address).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.context.respond import Respond

from emailstatus.command import Explain, Help, Query, UsageError, parse, parse_explain
from emailstatus.config import Settings
from emailstatus.errors import EmailStatusError, log_bug
from emailstatus.explain import explain
from emailstatus.i18n import N_
from emailstatus.knowledge.codes import Actor
from emailstatus.render.slack import (
    failure_message,
    help_message,
    usage_error_message,
    verdict_message,
)
from emailstatus.render.slack_explain import explain_message
from emailstatus.render.slack_message import Message
from emailstatus.slack_app import audit, recent, response_url
from emailstatus.slack_app.asker import AskerProfile, asker_profile, cached_profile
from emailstatus.slack_app.audit import Asker
from emailstatus.verdict import STATE_TITLES

if TYPE_CHECKING:
    from emailstatus.events.store import EventStore
    from emailstatus.tencent.client import SesClient

log = logging.getLogger(__name__)

#: The zones that reach a calendar day first and last (Kiribati's UTC+14, UTC-12).
_EDGE_ZONES = (timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)))

#: What a user sees when emailstatus itself is at fault.
UNEXPECTED = EmailStatusError(
    N_("emailstatus ran into an unexpected problem and could not finish the lookup."),
    next_step=N_(
        "Try again. If it keeps happening, tell the operator: the details are in the logs."
    ),
    actor=Actor.OPERATOR,
)


class Answers:
    """Reads requests and answers them, for every listener of the app.

    ``client`` builds the SES client on first use: the Tencent SDK is imported only when a
    lookup runs, never on the acknowledgement's path.
    """

    def __init__(self, settings: Settings, client: Callable[[], SesClient] | None = None) -> None:
        self.settings = settings
        self.client = client or cache(lambda: _ses_client(settings))
        self.operator_client = cache(lambda: _ses_client(settings, operator=True))
        self.events = cache(lambda: _event_store(settings))
        #: Where App Home's recent lookups and cached figures live (``open_store``).
        self.home_store = cache(lambda: _home_store(settings))

    def read(
        self, text: str, request: BoltRequest, *, as_asker: bool = False
    ) -> Query | Explain | Help | UsageError:
        """Parse command text (``explain <text>`` first) as of the request's own timestamp.

        The acknowledgement and the lazy listener (possibly another Lambda invocation, maybe
        after midnight) read "yesterday" as of the same moment. ``as_asker`` (lazy listeners
        only) reads the days in the asker's zone (``asker_time``), asking Slack if need be.
        Otherwise (an acknowledgement, a matcher: they may not wait for Slack) the days are
        read in the asker's zone when this process already holds it, else in the configured
        zone; and text that is no lookup there but is one somewhere on Earth right now (a date
        that is already today east of the configured zone) counts as a lookup, for the lazy
        listener to settle in the asker's zone.
        """
        explained = parse_explain(text)
        if explained is not None:
            return explained
        if as_asker:
            return parse(text, self.asker_time(request))
        now = self.request_time(request)
        held = cached_profile(request.context.user_id)
        if held is not None:
            return parse(text, now.astimezone(held.zone))
        parsed = parse(text, now)
        if isinstance(parsed, UsageError):
            return _lookup_somewhere(text, now) or parsed
        return parsed

    def request_time(self, request: BoltRequest) -> datetime:
        """When Slack sent the request (signed, so trustworthy), in the configured zone."""
        stamp = request.headers.get("x-slack-request-timestamp", [""])[0]
        if stamp.isdigit():
            return datetime.fromtimestamp(int(stamp), self.settings.zone)
        return datetime.now(self.settings.zone)  # Socket Mode has no timestamp header

    def asker_time(self, request: BoltRequest) -> datetime:
        """``request_time`` in the asker's zone (their Slack ``tz``, the configured zone when
        Slack does not say). It may wait for Slack's ``users.info``: lazy listeners only."""
        return self.request_time(request).astimezone(self.asker(request.context).zone)

    def asker(self, context: BoltContext) -> AskerProfile:
        """The asker's zone and locale (``slack_app.asker``: cached, never raises)."""
        settings = self.settings
        if context.client is None:
            return AskerProfile(settings.zone, settings.locale, from_slack=False)
        return asker_profile(
            context.client,
            context.user_id,
            default_zone=settings.zone,
            default_locale=settings.locale,
        )

    def reply(self, parsed: Explain | Help | UsageError, respond: Respond) -> None:
        """A reading, help or a usage error, as a new ephemeral message."""
        self.send(respond, immediate_answer(parsed), replace_original=False)

    def lookup(
        self,
        query: Query,
        respond: Respond,
        asker: Asker,
        *,
        page: int = 0,
        replace_original: bool = False,
    ) -> None:
        """Look ``query`` up, audit it and answer; never raises.

        ``replace_original`` only works for a button's message: a slash command's
        acknowledgement cannot be replaced, so a command's answer is always a new message.
        """
        answer = self.answer(query, asker, page=page)
        self.send(respond, answer, replace_original=replace_original)

    def answer(self, query: Query, asker: Asker, *, page: int = 0) -> Message:
        """Look ``query`` up and audit it: the verdict, or the failure explained; never raises.

        A message that cannot be rendered (a bug, or a locale's date data missing from the
        package) becomes the plain apology, which names nothing of the question.
        """
        try:
            return self._look_up(query, asker, page=page)
        except Exception as error:
            log_bug("answer", error)
            return failure_message(UNEXPECTED)

    def _look_up(self, query: Query, asker: Asker, *, page: int) -> Message:
        """``answer``'s work: a failed lookup is explained here, a failed rendering is not."""
        from emailstatus.lookup import run_lookup  # the Tencent SDK, on demand

        started = time.monotonic()
        try:
            outcome = run_lookup(
                query,
                self.client(),
                blocklist_days=self.settings.blocklist_days,
                events=self.events(),
            )
        except Exception as error:
            failure = error if isinstance(error, EmailStatusError) else UNEXPECTED
            if failure is UNEXPECTED:
                log_bug("lookup", error)
            audit.record_lookup(
                asker,
                query,
                seconds=time.monotonic() - started,
                verdict="error",
                error_code=getattr(failure, "code", None) or type(error).__name__,
                request_id=getattr(failure, "request_id", None),
            )
            return failure_message(failure, query)
        audit.record_lookup(
            asker,
            query,
            seconds=time.monotonic() - started,
            verdict=outcome.verdict.state.value,
            emails=len(outcome.verdict.emails),
            request_id=outcome.lookup.request_ids[-1] if outcome.lookup.request_ids else None,
        )
        self.remember(asker, query, STATE_TITLES[outcome.verdict.state])
        remove = None
        if self.may_remove(asker.user):
            from emailstatus.render.slack import query_text
            from emailstatus.render.slack_blocklist import RemovalRequest
            from emailstatus.results import BlocklistStatus

            listed = outcome.blocklist
            if isinstance(listed, BlocklistStatus):
                remove = RemovalRequest(listed.address, query_text(query), lists=listed.listed_on)
        return verdict_message(outcome, page=page, remove=remove)

    def remember(self, asker: Asker, query: Query, verdict: str) -> None:
        """Add the lookup to the asker's recent lookups on App Home; a failure is only logged."""
        if not asker.user:
            return
        from emailstatus.render.slack import query_text

        try:
            recent.remember(self.home_store(), asker.user, query, query_text(query), verdict)
        except Exception as error:
            log_bug("recent lookups", error)

    def may_remove(self, user: str | None) -> bool:
        """Whether ``user`` is an operator and an operator key is configured (else no button)."""
        settings = self.settings
        return (
            bool(user) and user in settings.operators and settings.operator_credentials is not None
        )

    def send(
        self,
        respond: Respond,
        answer: Message,
        *,
        response_type: str = "ephemeral",
        replace_original: bool = False,
    ) -> bool:
        """Post to the request's ``response_url`` (Slack's hosts only, short timeout); a refusal
        or a network failure is logged, not raised. True when Slack took the message."""
        return self.post(
            respond.response_url,
            answer,
            response_type=response_type,
            replace_original=replace_original,
        )

    def post(
        self,
        url: str | None,
        answer: Message,
        *,
        response_type: str = "ephemeral",
        replace_original: bool = False,
    ) -> bool:
        """``send`` to a response_url kept from an earlier request (a modal carries one)."""
        payload = {
            **answer.to_dict(),
            "response_type": response_type,
            "replace_original": replace_original,
        }
        try:
            response = response_url.post(url, self.settings, payload)
        except Exception as error:
            log_bug("respond", error)
            return False
        if response is not None and response.status_code != 200:
            log.error(
                "Slack refused the answer posted to response_url",
                extra={"status": response.status_code, "slack_body": response.body[:200]},
            )
        return response is not None and response.status_code == 200

    def on_error(
        self, error: Exception, body: dict[str, Any], respond: Respond | None
    ) -> BoltResponse:
        """Bolt's error handler: an exception before the acknowledgement still gets an answer."""
        log_bug("listener", error)
        answer = failure_message(UNEXPECTED)
        if body.get("command"):
            payload = {"response_type": "ephemeral", **answer.to_dict()}
            return BoltResponse(
                status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
            )
        if respond is not None and respond.response_url:
            self.send(respond, answer)
        return BoltResponse(status=200, body="")


def _lookup_somewhere(text: str, now: datetime) -> Query | None:
    """``text`` as a lookup where it is one at ``now`` (UTC+14 or UTC-12, the first and the
    last zone to reach a day), its days said without "today" or "yesterday", which are true
    only in some zones; None when it is a lookup nowhere."""
    for zone in _EDGE_ZONES:
        parsed = parse(text, now.astimezone(zone))
        if isinstance(parsed, Query):
            return replace(parsed, today=None)
    return None


def _ses_client(settings: Settings, *, operator: bool = False) -> SesClient:
    """The lookup key's client, or with ``operator`` the operator key's (deletes only)."""
    from emailstatus.tencent.client import SesClient  # kept off the ack's path

    if operator:
        return SesClient(settings, credentials=settings.require_operator_credentials())
    return SesClient(settings)


def _event_store(settings: Settings) -> EventStore | None:
    """The events lookups add (DynamoDB on Lambda, the SQLite file of ``emailstatus serve``),
    None without them; opened on the first lookup, never on the acknowledgement's path."""
    from emailstatus.events.backend import store_for_lookups

    return store_for_lookups(settings)


def _home_store(settings: Settings) -> EventStore:
    """The store App Home keeps its state in: the events table on AWS, else the SQLite file."""
    from emailstatus.events.backend import open_store

    return open_store(settings)


def immediate_answer(parsed: Explain | Help | UsageError) -> Message:
    """What needs no lookup, answered at once: a reading of pasted text, help, a usage error."""
    if isinstance(parsed, Explain):
        return explain_message(explain(parsed.text), parsed.text)
    if isinstance(parsed, Help):
        return help_message()
    return usage_error_message(parsed)
