"""``make demo``: the main job with no cloud account.

Starts the simulator in-process on a free port, points the settings at it and runs real
lookups through ``emailstatus check`` — the same parser, SDK calls and renderer a user gets —
then shows a blocklisted address and lifts it with ``emailstatus blocklist remove``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from ses_simulator import FIXTURES, Simulator, SimulatorConfig

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
        worst = 0
        steps = [["check", *arguments] for arguments in lookups or demo_lookups()]
        if lookups is None:
            steps.extend(BLOCKLIST_STEPS)
        for arguments in steps:
            print(f"$ emailstatus {' '.join(arguments)}")
            sys.stdout.flush()
            worst = max(worst, main(list(arguments)))
            print()
        return worst
