"""The ``emailstatus`` command line: ``check``, ``blocklist``, ``digest``, ``explain``, ``demo``,
``simulate``, ``params``, ``serve``.

Each subcommand imports what it needs only when it runs: a script calling ``emailstatus check``
in a loop pays for the Tencent SDK, never for Slack's or AWS's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date

from emailstatus.errors import EmailStatusError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; errors become a message on stderr and an exit code, never a trace."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.run is not _simulate:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return int(args.run(args))
    except EmailStatusError as error:
        from emailstatus.render.terminal import render_error

        print(render_error(error), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`emailstatus explain … | head`): stop quietly, as a Unix
        # tool does; stdout is pointed at /dev/null so the interpreter's final flush is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="emailstatus",
        description="What happened to an email sent through Tencent Cloud SES.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="look up one recipient or MessageId",
        description="Look up a recipient address or a MessageId, like /emailstatus in Slack.",
    )
    check.add_argument("target", help='recipient address, MessageId or subject:"…"')
    check.add_argument(
        "when",
        nargs="*",
        help='[subject:"…"] [template:<id>] today | yesterday | YYYY-MM-DD | MM-DD | 3d | '
        "last 3 days | A..B (filters need the events: README, Email events)",
    )
    check.add_argument("--format", choices=("text", "json", "blocks"), default="text")
    check.set_defaults(run=_check)

    digest = commands.add_parser(
        "digest",
        help="summarise one day of sending, or post it to Slack",
        description="Walk every email of one day, like the daily Slack digest, and print the "
        "summary; with --post, post it to --channel (default EMAILSTATUS_DIGEST_CHANNEL), "
        "claimed once per channel and day in EMAILSTATUS_TABLE when that is set.",
    )
    digest.add_argument(
        "--date",
        type=_iso_day,
        help="YYYY-MM-DD (default: yesterday in EMAILSTATUS_TIMEZONE)",
    )
    digest.add_argument("--format", choices=("text", "json", "blocks"), default="text")
    digest.add_argument("--post", action="store_true", help="post to Slack instead of printing")
    digest.add_argument(
        "--channel", action="append", help="channel ID to post to (repeatable; needs --post)"
    )
    digest.set_defaults(run=_digest)

    explain = commands.add_parser(
        "explain",
        help="read a bounce or SMTP reply: the reason, who acts, the next step",
        description="Read the receiving server's reply (or a bounce message a customer "
        "forwarded) like /emailstatus explain in Slack. With --batch, read JSON Lines "
        '{"text": "..."} on stdin and write one JSON reading per line.',
    )
    explain.add_argument("text", nargs="?", help='the reply text; "-" reads it from stdin')
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument(
        "--batch", action="store_true", help="JSON Lines in on stdin, JSON Lines out"
    )
    explain.set_defaults(run=_explain)
    blocklist = commands.add_parser(
        "blocklist",
        help="see whether an address is on a blocklist, or remove it",
        description="emailstatus blocklist ADDRESS: where ADDRESS stands on Tencent's blocklist "
        "and our custom blocklist. emailstatus blocklist remove ADDRESS: lift it from the "
        "lists that block it, with the operator key (TENCENTCLOUD_OPERATOR_SECRET_ID/KEY); "
        "asks for confirmation on a terminal unless --yes.",
    )
    blocklist.add_argument("words", nargs="+", metavar="[remove] ADDRESS")
    blocklist.add_argument("--format", choices=("text", "json"), default="text")
    blocklist.add_argument("--yes", action="store_true", help="remove without asking")
    blocklist.set_defaults(run=_blocklist)

    demo = commands.add_parser("demo", help="run real lookups against a built-in simulator")
    demo.set_defaults(run=_demo)

    simulate = commands.add_parser(
        "simulate",
        help="run a local Tencent SES simulator (--help for its options)",
        add_help=False,
    )
    simulate.set_defaults(run=_simulate)

    params = commands.add_parser("params", help="write the deployment's secrets to AWS SSM")
    params_commands = params.add_subparsers(required=True, metavar="ACTION")
    put = params_commands.add_parser(
        "put",
        help="write the four SecureString parameters under /emailstatus/<stage>/",
        description="Write the Slack and Tencent secrets as SSM SecureString parameters. Each "
        "value comes from its environment variable (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, "
        "TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY) or a hidden prompt; none is echoed.",
    )
    put.add_argument("--stage", required=True, help="deployment stage, e.g. prod")
    put.add_argument("--region", help="AWS region (default: AWS_REGION or your AWS config)")
    put.add_argument("--kms-key-id", help="a customer-managed KMS key (default: aws/ssm)")
    put.set_defaults(run=_params_put)
    rotate = params_commands.add_parser(
        "put-events-token",
        help="write a new event callback token (the current one stays valid until --finish)",
        description="Generate and write the event callback token (SecureString "
        "/emailstatus/<stage>/events-token) and print the callback path to register in "
        "Tencent's console. The token it replaces stays accepted (events-token-previous) "
        "until you run this again with --finish, once the console uses the new URL.",
    )
    rotate.add_argument("--stage", required=True, help="deployment stage, e.g. prod")
    rotate.add_argument("--region", help="AWS region (default: AWS_REGION or your AWS config)")
    rotate.add_argument("--kms-key-id", help="a customer-managed KMS key (default: aws/ssm)")
    rotate.add_argument("--finish", action="store_true", help="stop accepting the previous token")
    rotate.set_defaults(run=_params_events_token)

    serve = commands.add_parser(
        "serve",
        help="run the Slack app locally",
        description="Run the /emailstatus Slack app over HTTP at POST /slack/events, "
        "or over Socket Mode with SLACK_APP_TOKEN (no public URL needed).",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    serve.add_argument(
        "--socket-mode", action="store_true", help="connect out to Slack instead of listening"
    )
    serve.set_defaults(run=_serve)
    return parser


def _check(args: argparse.Namespace) -> int:
    from datetime import datetime

    from emailstatus.command import USAGE, Help, UsageError, parse
    from emailstatus.config import get_settings

    settings = get_settings()
    now = datetime.now(settings.zone)
    parsed = parse(" ".join([args.target, *args.when]), now)
    if isinstance(parsed, UsageError):
        print(f"{parsed.message}\n{parsed.usage}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(parsed, Help):
        print(USAGE)
        return EXIT_OK

    from emailstatus.events.backend import store_for_lookups
    from emailstatus.lookup import run_lookup
    from emailstatus.tencent.client import SesClient

    events = store_for_lookups(settings)
    outcome = run_lookup(
        parsed, SesClient(settings), now, blocklist_days=settings.blocklist_days, events=events
    )
    if args.format == "json":
        from emailstatus.render.terminal import render_json

        print(render_json(outcome, settings.zone))
    elif args.format == "blocks":
        from emailstatus.render.slack import verdict_payload_json

        print(verdict_payload_json(outcome))
    else:
        from emailstatus.render.terminal import render_text

        print(render_text(outcome, settings.zone))
    return EXIT_OK


def _blocklist(args: argparse.Namespace) -> int:
    from emailstatus.command import BlocklistQuery, parse_blocklist
    from emailstatus.config import get_settings

    remove = args.words[0] == "remove" and len(args.words) <= 2
    if args.words == ["remove"]:
        print(
            "Give the address to remove.\nUsage: emailstatus blocklist [remove] ADDRESS",
            file=sys.stderr,
        )
        return EXIT_USAGE
    parsed = parse_blocklist(" ".join(["blocklist", *args.words[remove:]]))
    if not isinstance(parsed, BlocklistQuery):
        message = parsed.message if parsed else "Give one recipient address."
        print(f"{message}\nUsage: emailstatus blocklist [remove] ADDRESS", file=sys.stderr)
        return EXIT_USAGE
    settings = get_settings()
    if remove:
        settings.require_operator_credentials()  # say what to configure before asking anything
        if not args.yes and not sys.stdin.isatty():
            print(
                "Removing needs a confirmation: run it in a terminal, or add --yes.",
                file=sys.stderr,
            )
            return EXIT_USAGE

    from emailstatus.blocklist import check_blocklists, remove_from_blocklists
    from emailstatus.render.blocklist import local_time, status_json, wording
    from emailstatus.results import LIST_NAMES
    from emailstatus.tencent.client import SesClient

    status = check_blocklists(SesClient(settings), parsed.address, days=settings.blocklist_days)
    said = wording(status, local_time(settings.zone))
    if args.format == "json" and not remove:
        print(json.dumps(status_json(status, settings.zone), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{parsed.address}: {said.line}")
    for line in said.small_print:
        print(f"  {line}")
    if not remove:
        return EXIT_OK
    if said.listed and not args.yes:
        answer = input(
            f"Tencent will send to {parsed.address} again. Only do this when the customer has "
            "confirmed the address works. Remove it? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing removed.", file=sys.stderr)
            return EXIT_FAILED
    operator = SesClient(settings, credentials=settings.require_operator_credentials())
    removal = remove_from_blocklists(operator, status)
    names = " and ".join(LIST_NAMES[name] for name in removal.lists)
    print(f"Removed {parsed.address} from {names} (RequestId {', '.join(removal.request_ids)}).")
    return EXIT_OK


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _digest(args: argparse.Namespace) -> int:
    from emailstatus.config import get_settings
    from emailstatus.digest import run as digest_job

    if args.channel and not args.post:
        print("--channel needs --post.", file=sys.stderr)
        return EXIT_USAGE
    settings = get_settings()
    day = args.date or digest_job.default_day(settings)
    if args.post:
        run = digest_job.run_digest(settings, day=day, channels=args.channel)
        if args.format == "json":
            print(json.dumps(run.to_json(), indent=2))
        else:
            for result in run.channels:
                print(f"{result.channel}: {result.outcome.value} {result.ts or ''}".rstrip())
        return EXIT_OK

    from emailstatus.tencent.client import SesClient

    store = None
    if settings.table_name:
        from emailstatus.digest.store import DigestStore

        store = DigestStore(settings.table_name)
    report = digest_job.build_report(SesClient(settings), settings, day, store=store)
    show = settings.digest_show_addresses
    if args.format == "json":
        from emailstatus.render.terminal_digest import render_digest_json

        print(render_digest_json(report, settings.zone, show_addresses=show))
    elif args.format == "blocks":
        from emailstatus.render.slack_digest import digest_payload_json

        print(digest_payload_json(report, show_addresses=show))
    else:
        from emailstatus.render.terminal_digest import render_digest_text

        print(render_digest_text(report, settings.zone, show_addresses=show))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from emailstatus.command import EXPLAIN_USAGE
    from emailstatus.explain import ExplainError, explain, explain_lines

    usage = EXPLAIN_USAGE.replace("/emailstatus", "emailstatus")
    if args.batch:
        if args.text is not None:
            print(f"--batch reads stdin; leave the text out.\n{usage}", file=sys.stderr)
            return EXIT_USAGE
        failed = 0
        write = sys.stdout.write
        for answer, read in explain_lines(sys.stdin):
            failed += not read
            write(json.dumps(answer, ensure_ascii=False) + "\n")
        return EXIT_FAILED if failed else EXIT_OK
    if args.text is None:
        print(
            f"What should I read? Give the reply text, or - to read stdin.\n{usage}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        reading = explain(sys.stdin.read() if args.text == "-" else args.text)
    except ExplainError as error:
        print(f"{error.message}\n{usage}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        from emailstatus.render.terminal_explain import render_explain_json

        print(render_explain_json(reading))
    else:
        from emailstatus.render.terminal_explain import render_explain_text

        print(render_explain_text(reading))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from emailstatus.demo import run_demo

    return run_demo(main)


def _simulate(args: argparse.Namespace) -> int:
    from ses_simulator.cli import main as simulate

    return simulate(args.extra)


def _params_put(args: argparse.Namespace) -> int:
    from emailstatus.params import run_put

    written = run_put(args.stage, region=args.region, kms_key_id=args.kms_key_id)
    for item in written:
        print(f"wrote {item.name} (SecureString, version {item.version})")
    return EXIT_OK


def _params_events_token(args: argparse.Namespace) -> int:
    from emailstatus import params

    client = params.ssm_client(args.region)
    if args.finish:
        done = params.finish_events_token_rotation(args.stage, client=client)
        print("previous token removed" if done else "there was no previous token")
        return EXIT_OK
    rotation = params.put_events_token(args.stage, client=client, kms_key_id=args.kms_key_id)
    for item in rotation.written:
        print(f"wrote {item.name} (SecureString, version {item.version})")
    print(f"callback path: /tencent/events/{rotation.token}")
    print(
        "Register https://<your API or listener>/tencent/events/<that token> in Tencent's console."
    )
    if rotation.kept_previous:
        print(
            "The previous token works until: emailstatus params put-events-token "
            f"--stage {args.stage} --finish"
        )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from emailstatus.config import get_settings
    from emailstatus.slack_app.local import serve

    serve(get_settings(), host=args.host, port=args.port, socket_mode=args.socket_mode)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
