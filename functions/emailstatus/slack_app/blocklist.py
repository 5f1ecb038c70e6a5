"""Blocklists in Slack: ``/emailstatus blocklist <address>``, and lifting an address, safely.

The *Remove from blocklist…* button is shown only to operators (``EMAILSTATUS_OPERATORS``) when
an operator key is configured. A click opens the confirmation modal at once: a trigger_id lives
3 seconds, so this happens in the acknowledgement, not in a lazy listener. The modal's signed
submission is checked again (a forged one from anyone else is refused in the modal), and the
removal runs in a lazy listener: both lists read again, the right delete call made with the
operator key, an audit line written, and the answer replaced in place. A second submission of
the same modal (a double submit, a retry) removes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from emailstatus.command import BlocklistQuery
from emailstatus.errors import EmailStatusError, log_bug
from emailstatus.i18n import N_, _
from emailstatus.render.slack import failure_message, unreadable_button_message
from emailstatus.render.slack_blocklist import (
    ACTION_REMOVE,
    REASON_BLOCK,
    REASON_INPUT,
    VIEW_REMOVE,
    RemovalRequest,
    blocklist_message,
    removal_modal,
    removal_refused_message,
    removed_message,
)
from emailstatus.slack_app import audit
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker

log = logging.getLogger(__name__)

NOT_AN_OPERATOR = N_(
    "Only operators can remove an address from a blocklist. Ask one (the people in "
    "EMAILSTATUS_OPERATORS) to do it once the customer has confirmed the address works."
)
NO_OPERATOR_KEY = N_(
    "Removal is not set up: emailstatus has no operator key. The operator configures one "
    "(README, Blocklists)."
)


class Submissions:
    """The modal submissions already acted on in this process (by view ID)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def first(self, view_id: str) -> bool:
        """True exactly once per view ID."""
        with self._lock:
            if view_id in self._seen:
                return False
            self._seen.add(view_id)
            return True


def register(app: App, answers: Answers) -> None:
    """Add the removal button's and the modal's listeners to ``app``."""
    submissions = Submissions()
    app.action(ACTION_REMOVE)(_open_modal(answers))

    def may_submit(body: dict[str, Any]) -> bool:
        return answers.may_remove(body.get("user", {}).get("id"))

    app.view(VIEW_REMOVE, matchers=[may_submit])(ack=_accept, lazy=[_remove(answers, submissions)])
    app.view(VIEW_REMOVE)(_refuse(answers))


def check(answers: Answers, query: BlocklistQuery, respond: Respond, asker: Asker) -> None:
    """Answer ``/emailstatus blocklist <address>``; never raises."""
    from emailstatus.blocklist import check_blocklists

    try:
        status = check_blocklists(
            answers.client(), query.address, days=answers.settings.blocklist_days
        )
    except EmailStatusError as error:
        answers.send(respond, blocklist_message(query.address, error))
        return
    except Exception as error:
        log_bug("blocklist", error)
        answers.send(
            respond, failure_message(EmailStatusError(N_("The check failed unexpectedly.")))
        )
        return
    remove = None
    if answers.may_remove(asker.user):
        remove = RemovalRequest(query.address, query.address, lists=status.listed_on)
    answers.send(respond, blocklist_message(query.address, status, remove=remove))


def _open_modal(answers: Answers) -> Callable[..., None]:
    def open_modal(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond,
    ) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        request = RemovalRequest.decode(str(action.get("value", "")))
        if request is None:
            answers.send(respond, unreadable_button_message())
            return
        asker = Asker("blocklist_remove", context.user_id, context.channel_id)
        if not answers.may_remove(context.user_id):
            audit.record_removal(asker, request.address, outcome="refused")
            refusal = NOT_AN_OPERATOR
            if answers.settings.operator_credentials is None:
                refusal = NO_OPERATOR_KEY
            answers.send(respond, removal_refused_message(_(refusal)))
            return
        carried = replace(request, response_url=str(body.get("response_url", "")))
        try:
            client.views_open(
                trigger_id=str(body.get("trigger_id", "")),
                view=removal_modal(request.address, request.lists, carried),
            )
        except SlackApiError as error:
            reason = str(error.response.get("error", "unknown"))
            log.warning("views.open failed", extra={"slack_error": reason})
            answers.send(
                respond,
                removal_refused_message(
                    _(
                        "Slack did not open the confirmation ({error}): press the button again."
                    ).format(error=reason)
                ),
            )

    return open_modal


def _reason(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    return str(values.get(REASON_BLOCK, {}).get(REASON_INPUT, {}).get("value") or "").strip()


def _accept(ack: Ack, view: dict[str, Any]) -> None:
    """Close the modal, unless the reason is missing or the modal is not ours."""
    if RemovalRequest.decode(str(view.get("private_metadata", ""))) is None:
        ack(response_action="errors", errors={REASON_BLOCK: _("This form is out of date.")})
    elif not _reason(view):
        ack(
            response_action="errors",
            errors={REASON_BLOCK: _("Say why it is safe to send to this address again.")},
        )
    else:
        ack()


def _refuse(answers: Answers) -> Callable[..., None]:
    def refuse(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        request = RemovalRequest.decode(str(view.get("private_metadata", "")))
        user = body.get("user", {}).get("id")
        audit.record_removal(
            Asker("blocklist_submit", user, None),
            request.address if request else "",
            outcome="refused",
        )
        ack(response_action="errors", errors={REASON_BLOCK: _(NOT_AN_OPERATOR)})

    return refuse


def _remove(answers: Answers, submissions: Submissions) -> Callable[..., None]:
    def remove(body: dict[str, Any], view: dict[str, Any]) -> None:
        from emailstatus.blocklist import check_blocklists, remove_from_blocklists
        from emailstatus.errors import NotListedError
        from emailstatus.slack_app import response_url

        request = RemovalRequest.decode(str(view.get("private_metadata", "")))
        reason = _reason(view)
        if request is None or not reason or not submissions.first(str(view.get("id", ""))):
            return
        user = str(body.get("user", {}).get("id", ""))
        asker = Asker("blocklist_submit", user, None)
        try:
            status = check_blocklists(
                answers.client(), request.address, days=answers.settings.blocklist_days
            )
            removal = remove_from_blocklists(answers.operator_client(), status)
        except NotListedError:
            audit.record_removal(asker, request.address, outcome="not_listed", reason=reason)
            answer = removal_refused_message(
                _("{address} is not on a blocklist any more: nothing was removed.").format(
                    address=request.address
                )
            )
        except Exception as error:
            failure = error if isinstance(error, EmailStatusError) else None
            if failure is None:
                log_bug("blocklist removal", error)
            audit.record_removal(
                asker,
                request.address,
                outcome="error",
                reason=reason,
                error_code=getattr(failure, "code", None) or type(error).__name__,
            )
            answer = failure_message(failure or EmailStatusError(N_("The removal failed.")))
        else:
            audit.record_removal(
                asker,
                request.address,
                outcome="removed",
                reason=reason,
                lists=removal.lists,
                request_ids=removal.request_ids,
            )
            answer = removed_message(removal, user, datetime.now(UTC), reason, request.query_text)
        payload = {**answer.to_dict(), "replace_original": True, "response_type": "ephemeral"}
        try:
            response_url.post(request.response_url, answers.settings, payload)
        except Exception as error:
            log_bug("respond", error)

    return remove
