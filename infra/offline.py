"""``make offline``: the whole service on this machine, and a way to poke it.

``up`` starts, in the foreground until Ctrl-C:

- the Tencent SES simulator on :8800 (``emailstatus simulate``);
- ``moto_server`` on :5005 standing in for SSM and DynamoDB (``AWS_ENDPOINT_URL``), seeded with
  the digest table and the four secrets (written by ``emailstatus params put --stage offline``);
- the fake Slack (``testkit.fake_slack``) on :3005, printing every ``response_url`` answer and
  Web API call, with Slack's limits and Block Kit checks;
- serverless-offline (``osls offline --stage offline``): the HTTP API on :3000 and Lambda's
  Invoke API on :3002, where Bolt's lazy self-invocation goes (``AWS_ENDPOINT_URL_LAMBDA``).

``send "bounced@example.com yesterday"`` posts one signed slash command to :3000 and prints the
acknowledgement and then the answer that arrives on ``response_url``. ``digest`` invokes the
digest function through :3002 and prints what it posted. Secrets here are local dummies
(``SLACK_SIGNING_SECRET`` from the environment if set), never real ones.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testkit.fake_slack import FakeSlack
from testkit.simulator_process import SimulatorProcess
from testkit.slack_requests import command_body, signed_event

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
STAGE = "offline"
HTTP_PORT, LAMBDA_PORT, SIM_PORT, MOTO_PORT, SLACK_PORT = 3000, 3002, 8800, 5005, 3005
REGION = "ap-southeast-1"
TABLE = f"emailstatus-{STAGE}-digest"
SIGNING_SECRET = os.environ.get("SLACK_SIGNING_SECRET") or "offline-signing-secret"
BOT_TOKEN = "xoxb-offline-token"
AWS = {
    "AWS_ACCESS_KEY_ID": "AKIAOFFLINE",
    "AWS_SECRET_ACCESS_KEY": "offline-dummy",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def _print_arrival(path: str, body: dict[str, Any]) -> None:
    """What the fake Slack received, one line each, in the ``make offline`` terminal."""
    print(f"[slack] {path}: {str(body.get('text', ''))[:200]}", flush=True)


@contextlib.contextmanager
def started(command: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[str]]:
    """A child process, stopped by its own pid (and its process group) on the way out."""
    child = subprocess.Popen(command, text=True, start_new_session=True, **kwargs)
    try:
        yield child
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)


def wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{what} did not start on {url}")


def seed(tencent: dict[str, str]) -> None:
    """The digest table and the secrets, in moto, as a deployment would have them."""
    import boto3  # type: ignore[import-untyped]

    aws = {**AWS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{MOTO_PORT}"}
    subprocess.run(
        [str(VENV_BIN / "emailstatus"), "params", "put", "--stage", STAGE],
        env={
            **os.environ,
            **aws,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            **tencent,
        },
        stdin=subprocess.DEVNULL,
        check=True,
    )
    dynamodb = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=aws["AWS_ENDPOINT_URL"],
        aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
    )
    dynamodb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )


def up() -> int:
    # Ctrl-C, or a SIGTERM from a supervisor, unwinds the stack below and stops every child;
    # set explicitly because a shell's background job starts with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    with contextlib.ExitStack() as stack:
        stack.enter_context(FakeSlack(port=SLACK_PORT, bot_token=BOT_TOKEN, echo=_print_arrival))
        simulator = stack.enter_context(
            SimulatorProcess(VENV_BIN / "emailstatus", "--port", str(SIM_PORT))
        )
        tencent = {
            name: value for name, value in simulator.env.items() if name.startswith("TENCENTCLOUD_")
        }
        stack.enter_context(
            started(
                [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(MOTO_PORT)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for(f"http://127.0.0.1:{MOTO_PORT}/moto-api/", "moto_server")
        seed(tencent)
        env = {
            **os.environ,
            **AWS,
            # serverless-offline copies AWS_* into the handlers' environment.
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{MOTO_PORT}",
            "AWS_ENDPOINT_URL_LAMBDA": f"http://127.0.0.1:{LAMBDA_PORT}",
            # Its Python runner uses `python3` from this venv.
            "VIRTUAL_ENV": str(ROOT / ".venv"),
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        offline = stack.enter_context(
            started(
                ["npx", "osls", "offline", "--stage", STAGE, "--region", REGION],
                cwd=ROOT,
                env=env,
            )
        )
        wait_for(f"http://127.0.0.1:{HTTP_PORT}/", "serverless-offline")
        print(
            f"\nemailstatus is up: HTTP http://127.0.0.1:{HTTP_PORT}/slack/events, Lambda "
            f"http://127.0.0.1:{LAMBDA_PORT}, SES simulator :{SIM_PORT}, moto :{MOTO_PORT}, "
            f"Slack stand-in :{SLACK_PORT}.\nIn another shell:\n"
            '  .venv/bin/python infra/offline.py send "bounced@example.com yesterday"\n'
            "  .venv/bin/python infra/offline.py digest\nCtrl-C stops everything.",
            flush=True,
        )
        try:
            return offline.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            print("stopping the local stack", flush=True)


def send(text: str) -> int:
    """One signed slash command to serverless-offline; prints the ack, then the answer."""
    before = len(_received())
    response_url = f"http://127.0.0.1:{SLACK_PORT}/response/{time.time_ns()}"
    body = command_body(text, response_url, user="U0OFFLINE", channel="C0OFFLINE")
    request = urllib.request.Request(
        f"http://127.0.0.1:{HTTP_PORT}/slack/events",
        data=body.encode(),
        headers=signed_event(body, secret=SIGNING_SECRET)["headers"],
    )
    started_at = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as answer:
        print(f"ack {answer.status} in {time.monotonic() - started_at:.2f}s: {answer.read()!r}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answers = [r for r in _received()[before:] if r["path"] == urllib.parse.urlparse(
            response_url).path]  # fmt: skip
        if answers:
            for item in answers:
                print(json.dumps(item["body"], indent=2, ensure_ascii=False))
            return 0
        time.sleep(0.5)
    print("no answer arrived on response_url within 60 s (see the `make offline` terminal)")
    return 1


def digest(day: str | None) -> int:
    """Invoke the digest function through serverless-offline's Lambda endpoint."""
    import boto3

    before = len(_received())
    client = boto3.client(
        "lambda",
        region_name=REGION,
        endpoint_url=f"http://127.0.0.1:{LAMBDA_PORT}",
        aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
    )
    payload = json.dumps({"date": day} if day else {})
    result = client.invoke(FunctionName=f"emailstatus-{STAGE}-digest", Payload=payload)
    print(result["Payload"].read().decode())
    for item in _received()[before:]:
        print(f"posted {item['path']}: {str(item['body'].get('text', ''))[:300]}")
    return 0


def _received() -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{SLACK_PORT}/_fake/received"
    with urllib.request.urlopen(url, timeout=5) as answer:
        received: list[dict[str, Any]] = json.load(answer)
    return received


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start everything (make offline)")
    send_parser = commands.add_parser("send", help="send one signed slash command")
    send_parser.add_argument("text")
    digest_parser = commands.add_parser("digest", help="invoke the digest function")
    digest_parser.add_argument("--date", help="YYYY-MM-DD (default: yesterday)")
    args = parser.parse_args(argv)
    if args.command == "up":
        return up()
    if args.command == "send":
        return send(args.text)
    return digest(args.date)


if __name__ == "__main__":
    sys.exit(main())
