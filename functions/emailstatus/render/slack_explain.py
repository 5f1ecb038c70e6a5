"""A reading of pasted reply text as a Slack message: the answer to ``/emailstatus explain``.

Ephemeral, answered in the acknowledgement itself (reading text needs no lookup). The pasted
text is quoted back, escaped and clipped, so the agent sees what was read.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, SectionBlock

from emailstatus.i18n import _
from emailstatus.knowledge.reasons import FINALITY_LABELS, WHO_LABELS
from emailstatus.knowledge.replies import Reading
from emailstatus.render.mrkdwn import clip, context, escape, labelled, mrkdwn, section
from emailstatus.render.slack_message import Message, message

#: Characters of the pasted text quoted back under the reading.
QUOTE_CHARS = 600


def explain_message(reading: Reading, pasted: str) -> Message:
    """The reading: the reason as a headline, why, who acts, the next step, the quoted text."""
    quote = clip(" ".join(pasted.split()), QUOTE_CHARS)
    provider = _(reading.provider) if reading.provider else _("not named in the text")
    fields = [
        labelled(_("Who acts"), escape(_(WHO_LABELS[reading.who]))),
        labelled(_("Delivery"), escape(_(FINALITY_LABELS[reading.final]))),
        labelled(_("Codes"), escape(reading.codes) or "—"),
        labelled(_("Provider"), escape(provider)),
    ]
    blocks: list[Block] = [
        section(f":mag: *{escape(reading.headline)}*\n{escape(reading.explanation)}"),
        SectionBlock(fields=[mrkdwn(text) for text in fields]),
        section(_("*Next step:* {step}").format(step=escape(reading.next_step))),
        context(
            _(
                "Reason `{reason}` (Sisimai's vocabulary), decided by the {basis}. Read: “{quote}”"
            ).format(
                reason=reading.reason, basis=escape(_(reading.basis.value)), quote=escape(quote)
            )
        ),
    ]
    return message(f"{reading.headline}: {reading.next_step}", blocks)
