"""Is an address on a blocklist, and lifting it: the one home of both, for Slack and the CLI.

Tencent refuses to send to an address on either list (SendStatus 1007 does not say which).
The check asks both lists at once with the lookup key; removal uses the operator key, whose
CAM policy allows only the two deletes, so a leaked lookup key cannot change anything.
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import date, datetime, timedelta

from emailstatus.errors import NotListedError
from emailstatus.i18n import ContextExecutor, _
from emailstatus.knowledge.blocklist_entries import CustomEntry, TencentEntry
from emailstatus.knowledge.records import BEIJING
from emailstatus.results import CUSTOM_LIST, TENCENT_LIST, BlocklistStatus, Removal
from emailstatus.tencent.client import SesClient

#: Two list calls at a time for any number of lookups in the process.
_POOL = ContextExecutor(max_workers=4, thread_name_prefix="blocklist")


def check_blocklists(
    client: SesClient,
    address: str,
    *,
    days: int,
    today: date | None = None,
    deadline: float | None = None,
) -> BlocklistStatus:
    """Both lists for ``address``, asked at the same time; an ``SesError`` if either fails.

    Tencent's list is searched for bounces ``days`` back to ``today`` (Beijing time).
    """
    return start_check(client, address, days=days, today=today, deadline=deadline).result()


def start_check(
    client: SesClient,
    address: str,
    *,
    days: int,
    today: date | None = None,
    deadline: float | None = None,
) -> Future[BlocklistStatus]:
    """``check_blocklists`` started in the background, to run alongside a status lookup."""
    end = today or datetime.now(BEIJING).date()
    start = end - timedelta(days=days)
    tencent = _POOL.submit(client.tencent_blocklist, address, start, end, deadline=deadline)
    custom = _POOL.submit(client.custom_blocklist, address, deadline=deadline)
    done: Future[BlocklistStatus] = Future()

    def finish(_: object) -> None:
        if not (tencent.done() and custom.done()) or done.done():
            return
        try:
            tencent_entries, tencent_id = tencent.result()
            custom_entries, custom_id = custom.result()
        except BaseException as error:  # handed to whoever waits on ``done``
            done.set_exception(error)
            return
        done.set_result(
            BlocklistStatus(
                address,
                _newest_tencent(tencent_entries, address),
                _newest_custom(custom_entries, address),
                start,
                tuple(rid for rid in (tencent_id, custom_id) if rid),
            )
        )

    tencent.add_done_callback(finish)
    custom.add_done_callback(finish)
    return done


def remove_from_blocklists(operator: SesClient, status: BlocklistStatus) -> Removal:
    """Lift ``status.address`` from every list that blocks it, with the operator's client.

    ``NotListedError`` when neither does; an ``SesError`` if a delete fails.
    """
    lists = status.listed_on
    if not lists:
        raise NotListedError(
            _(
                "{address} is not on Tencent's blocklist or our custom blocklist: "
                "nothing to remove."
            ).format(address=status.address),
            next_step=_("If Tencent still refuses it, look up the latest email to see why."),
        )
    request_ids = []
    if TENCENT_LIST in lists:
        request_ids.append(operator.delete_from_tencent_blocklist(status.address))
    if CUSTOM_LIST in lists:
        request_ids.append(operator.delete_from_custom_blocklist(status.address))
    return Removal(status.address, lists, tuple(request_ids))


def _newest_tencent(entries: tuple[TencentEntry, ...], address: str) -> TencentEntry | None:
    """The latest listing of exactly this address (the filter is matched case-insensitively)."""
    mine = [entry for entry in entries if entry.address.lower() == address.lower()]
    return (
        max(mine, key=lambda entry: entry.since or datetime.min.replace(tzinfo=BEIJING))
        if mine
        else None
    )


def _newest_custom(entries: tuple[CustomEntry, ...], address: str) -> CustomEntry | None:
    """The entry that blocks it now if any, else the latest expired one."""
    mine = [entry for entry in entries if entry.address.lower() == address.lower()]
    if not mine:
        return None
    return max(mine, key=lambda entry: (entry.active, entry.id or 0))
