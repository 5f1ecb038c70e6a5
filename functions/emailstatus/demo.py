"""``make demo``: the main job with no cloud account.

Starts the simulator in-process on a free port, points the settings at it and runs real
lookups through ``emailstatus check`` — the same parser, SDK calls and renderer a user gets —
then shows a blocklisted address and lifts it with ``emailstatus blocklist remove``.

Before the lookups, the simulator's event callbacks for the last two days (repeated and out of
order, as Tencent may send them) go through the same receiver ``emailstatus serve`` runs
(``events.local.CallbackEndpoint``) into an embedded SQLite store in a temporary folder, so each
answer shows its email's timeline, and the demo ends with a lookup by subject.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from ses_simulator import FIXTURES, Simulator, SimulatorConfig
from ses_simulator.callbacks import CallbackSender, day_items, template_of

#: The lookups shown, in order: one per verdict, then by MessageId, then over several days.
VERDICT_FIXTURES = (
    "delivered",
    "bounced",
    "dropped",
    "deferred",
    "queued",
    "refused",
    "unknown",
    "complained",
)


def demo_lookups() -> list[list[str]]:
    """The ``check`` arguments the demo runs."""
    lookups = [[FIXTURES[name].address] for name in VERDICT_FIXTURES]
    lookups.append(["nobody@example.com"])
    lookups.append([FIXTURES["bounced"].message_id])
    lookups.append([FIXTURES["multi"].address, "last", "4", "days"])
    return lookups


#: Then a blocklisted address, its removal with the operator key, and the address again.
BLOCKLIST_STEPS = (
    ["blocklist", FIXTURES["bounced"].address],
    ["blocklist", "remove", FIXTURES["bounced"].address, "--yes"],
    ["blocklist", FIXTURES["bounced"].address],
)


def run_demo(
    main: Callable[[list[str]], int], lookups: Sequence[Sequence[str]] | None = None
) -> int:
    """Run each lookup through ``main`` (the CLI's, handed in by it) against a fresh simulator;
    the exit code is the worst one seen."""
    from emailstatus.config import get_settings

    with Simulator(SimulatorConfig()) as simulator:
        os.environ.update(
            TENCENTCLOUD_SECRET_ID=simulator.secret_id,
            TENCENTCLOUD_SECRET_KEY=simulator.secret_key,
            EMAILSTATUS_SES_ENDPOINT=simulator.endpoint,
            TENCENTCLOUD_OPERATOR_SECRET_ID=simulator.config.operator_secret_id,
            TENCENTCLOUD_OPERATOR_SECRET_KEY=simulator.config.operator_secret_key,
        )
        os.environ.pop("TENCENTCLOUD_SESSION_TOKEN", None)
        get_settings.cache_clear()
        print(f"Simulated Tencent SES at {simulator.endpoint}\n")
        with tempfile.TemporaryDirectory(prefix="emailstatus-demo-") as folder:
            steps = [["check", *arguments] for arguments in lookups or demo_lookups()]
            if lookups is None:
                receive_callbacks(simulator, Path(folder) / "events.sqlite3")
                steps.extend(BLOCKLIST_STEPS)
                steps.append(subject_step(simulator))
            worst = 0
            for arguments in steps:
                print(f"$ emailstatus {' '.join(arguments)}")
                sys.stdout.flush()
                worst = max(worst, main(list(arguments)))
                print()
            os.environ.pop("EMAILSTATUS_EVENTS_DB", None)
            get_settings.cache_clear()
        return worst


def receive_callbacks(simulator: Simulator, database: Path) -> None:
    """The simulator's callbacks of today and yesterday, through the local receiver into
    ``database``, which the lookups then read (``EMAILSTATUS_EVENTS_DB``)."""
    from emailstatus.config import get_settings
    from emailstatus.events.local import PATH_PREFIX, CallbackEndpoint
    from emailstatus.events.sqlite import SqliteEventStore

    os.environ["EMAILSTATUS_EVENTS_DB"] = str(database)
    get_settings.cache_clear()
    token = secrets.token_urlsafe(24)
    store = SqliteEventStore(database, zone=get_settings().zone)
    endpoint = CallbackEndpoint(store, (token,))
    today = simulator.dataset.today
    items = day_items(simulator.dataset, [today - timedelta(days=1), today])
    sender = CallbackSender("http://localhost/", version="current", duplicates=0.1, seed=1)
    bodies = sender.plan(items, now=int(time.time()))
    for body in bodies:
        endpoint.receive(f"{PATH_PREFIX}{token}", json.dumps(body).encode())
    store.close()
    accepted = endpoint.outcomes["accepted"]
    print(
        f"Tencent's event callbacks for {len(items):,} emails: {len(bodies):,} posted (repeats "
        f"and disorder included), {accepted:,} accepted into {database.name}\n"
    )


def subject_step(simulator: Simulator) -> list[str]:
    """``check subject:"…" yesterday``: the delivered email's subject, to everyone."""
    fixture = FIXTURES["delivered"]
    (item,) = simulator.dataset.find(fixture.day, message_id=fixture.message_id)
    _, subject = template_of(item)
    return ["check", f'subject:"{subject}"', fixture.day.isoformat()]
