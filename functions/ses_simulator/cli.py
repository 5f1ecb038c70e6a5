"""``emailstatus simulate``: run the simulator in the foreground for manual testing.

Everything printed is shell-safe (export lines, then ``#`` comments), so the export lines
(lookup key, endpoint, operator key) can be pasted into another terminal as they are.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import timedelta

from ses_simulator.blocklist import BLOCK_FIXTURES
from ses_simulator.config import SimulatorConfig
from ses_simulator.faults import Faults
from ses_simulator.fixtures import ABSENT_ADDRESS
from ses_simulator.server import Simulator

DEFAULT_PORT = 8800


def build_parser() -> argparse.ArgumentParser:
    """The ``simulate`` options."""
    parser = argparse.ArgumentParser(
        prog="emailstatus simulate",
        description="Run a local Tencent Cloud SES API (GetSendEmailStatus, GetStatisticsReport).",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--emails-per-day", type=int, default=200, metavar="N")
    parser.add_argument("--seed", type=int, default=7, metavar="S")
    parser.add_argument(
        "--rate", type=float, default=20.0, metavar="R", help="requests/s per action, 0 = no limit"
    )
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS")
    callbacks = parser.add_argument_group(
        "event callbacks", "post Tencent's event callbacks for the simulated emails to a URL"
    )
    callbacks.add_argument(
        "--callback-url", metavar="URL", help="e.g. http://localhost:3000/tencent/events/<token>"
    )
    callbacks.add_argument(
        "--callback-days", type=int, default=2, metavar="N", help="the last N days (default 2)"
    )
    callbacks.add_argument(
        "--callback-version", choices=("current", "older", "mixed"), default="mixed"
    )
    callbacks.add_argument(
        "--callback-duplicates",
        type=float,
        default=0.1,
        metavar="SHARE",
        help="share of events sent twice (default 0.1)",
    )
    callbacks.add_argument(
        "--callback-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="random wait before each post, up to this",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM; 0 on a clean stop, 1 if the port cannot be bound."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--"]:  # passed through by a parent parser
        arguments = arguments[1:]
    args = build_parser().parse_args(arguments)
    if args.emails_per_day < 0 or args.latency < 0 or args.rate < 0:
        print("emails-per-day, rate and latency must not be negative", file=sys.stderr)
        return 2
    if args.callback_url and (
        not args.callback_url.startswith(("http://", "https://"))
        or not 0 <= args.callback_duplicates <= 1
        or args.callback_delay < 0
    ):
        print(
            "--callback-url must be an http(s) URL, --callback-duplicates between 0 and 1, "
            "--callback-delay not negative",
            file=sys.stderr,
        )
        return 2
    config = SimulatorConfig(
        seed=args.seed,
        emails_per_day=args.emails_per_day,
        rate_limit=args.rate or None,
        port=args.port,
        faults=Faults(latency=args.latency),
    )
    simulator = Simulator(config)
    try:
        simulator.start()
    except OSError as error:
        print(f"cannot listen on {config.host}:{config.port}: {error.strerror}", file=sys.stderr)
        return 1
    done = threading.Event()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM)
    if in_main_thread:
        signal.signal(signal.SIGTERM, lambda _signum, _frame: done.set())
    try:
        print(describe(simulator), flush=True)
        if args.callback_url:
            _send_callbacks(simulator, args)
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    print("# simulator stopped", flush=True)
    return 0


def _send_callbacks(simulator: Simulator, args: argparse.Namespace) -> None:
    """Post the last days' callbacks in the background and print what came back."""
    from ses_simulator.callbacks import CallbackSender, day_items

    dataset = simulator.dataset
    days = [dataset.today - timedelta(days=n) for n in range(max(args.callback_days, 0))]
    sender = CallbackSender(
        args.callback_url,
        version=args.callback_version,
        duplicates=args.callback_duplicates,
        max_delay=args.callback_delay,
        seed=simulator.config.seed,
    )

    def run() -> None:
        report = sender.send(day_items(dataset, days), now=int(dataset.now.timestamp()))
        print(
            f"# callbacks to {args.callback_url.rsplit('/', 1)[0]}/…: {report.describe()}",
            flush=True,
        )

    threading.Thread(target=run, name="callbacks", daemon=True).start()


def describe(simulator: Simulator) -> str:
    """The environment to use and the fixture addresses to try."""
    config, dataset = simulator.config, simulator.dataset
    rate = f"{config.rate_limit:g} req/s per action" if config.rate_limit else "no rate limit"
    lines = [
        f"export TENCENTCLOUD_SECRET_ID={simulator.secret_id}",
        f"export TENCENTCLOUD_SECRET_KEY={simulator.secret_key}",
        f"export EMAILSTATUS_SES_ENDPOINT={simulator.endpoint}",
        f"export TENCENTCLOUD_OPERATOR_SECRET_ID={config.operator_secret_id}",
        f"export TENCENTCLOUD_OPERATOR_SECRET_KEY={config.operator_secret_key}",
        "",
        f"# Simulated Tencent SES at {simulator.endpoint}: seed {config.seed}, "
        f"{config.emails_per_day} emails/day, {rate}, regions {', '.join(sorted(config.regions))}",
        f"# Today is {dataset.today} (Asia/Shanghai). Fixture addresses:",
    ]
    for fixture in dataset.fixtures.values():
        lines.append(f"#   {fixture.address:<24} {fixture.description}")
    lines.append(f"#   {ABSENT_ADDRESS:<24} never sent")
    lines.append("# Blocklists:")
    for block in BLOCK_FIXTURES.values():
        lines.append(f"#   {block.address:<24} {block.description}")
    lines.append("# Admin: GET /_simulator/stats, POST /_simulator/faults, POST /_simulator/reset")
    lines.append("# Press Ctrl-C to stop.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
