"""``/emailstatus``: acknowledge at once, look up in a lazy listener, answer via response_url.

Help, usage errors and ``explain`` (reading pasted text needs no lookup) are answered in the
acknowledgement itself and never start a lazy
listener (on Lambda that would be a pointless self-invocation): a matcher sends only real
lookups to the listener that has one.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_bolt.context.respond import Respond

from emailstatus.command import BlocklistQuery, Query, parse_blocklist
from emailstatus.i18n import _
from emailstatus.render.slack import looking_up_message, usage_error_message, working_message
from emailstatus.slack_app import blocklist
from emailstatus.slack_app.answer import Answers, immediate_answer
from emailstatus.slack_app.audit import Asker

COMMAND = "/emailstatus"


def register(app: App, answers: Answers) -> None:
    """Add the slash command's listeners to ``app``."""

    def is_lookup(body: dict[str, Any], request: BoltRequest) -> bool:
        return isinstance(answers.read(body.get("text", ""), request), Query)

    def is_blocklist(body: dict[str, Any]) -> bool:
        return isinstance(parse_blocklist(body.get("text", "")), BlocklistQuery)

    def acknowledge(ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        text = body.get("text", "")
        wanted = parse_blocklist(text)
        if isinstance(wanted, BlocklistQuery):
            said = _("Checking the blocklists for {address}").format(address=wanted.address)
            answer = working_message(said)
        elif wanted is not None:
            answer = usage_error_message(wanted)
        else:
            parsed = answers.read(text, request)
            answer = (
                looking_up_message(parsed)
                if isinstance(parsed, Query)
                else immediate_answer(parsed)
            )
        ack(text=answer.text, blocks=answer.blocks, response_type="ephemeral")

    def look_up(
        body: dict[str, Any], request: BoltRequest, context: BoltContext, respond: Respond
    ) -> None:
        parsed = answers.read(body.get("text", ""), request, as_asker=True)
        if isinstance(parsed, Query):
            answers.lookup(parsed, respond, Asker("command", context.user_id, context.channel_id))
        else:  # a lookup in the configured zone, but not in the asker's (a date near midnight)
            answers.reply(parsed, respond)

    def check_blocklists(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        query = parse_blocklist(body.get("text", ""))
        if isinstance(query, BlocklistQuery):  # always: the matcher let only these through
            asker = Asker("blocklist", context.user_id, context.channel_id)
            blocklist.check(answers, query, respond, asker)

    app.command(COMMAND, matchers=[is_blocklist])(ack=acknowledge, lazy=[check_blocklists])
    app.command(COMMAND, matchers=[is_lookup])(ack=acknowledge, lazy=[look_up])
    app.command(COMMAND)(acknowledge)
