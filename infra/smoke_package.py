"""Prove the built Lambda artifact and template work: the last step of ``make package``.

For each function in the packaged CloudFormation template, its zip is unzipped into a temporary
directory and its handler (the template's ``Handler``, with the template's environment) is run
in a fresh ``python3.13 -I -S -B`` interpreter whose path holds only that directory and boto3
(``infra/smoke_child.py``): anything the package forgot to ship, or bytecode that does not match
the runtime, fails here rather than on the first cold start in production.

Around it, everything stays on this machine, with dummy AWS credentials:

- the Tencent SES simulator (``emailstatus simulate``) answers the lookups and the digest walk;
- ``moto_server`` is SSM and DynamoDB (``AWS_ENDPOINT_URL``): the four secrets are written with
  ``emailstatus params put`` and read by the package in its one GetParameters call; the digest
  claims its (channel, date) in the table the template defines;
- the fake Slack (``testkit.fake_slack``) is Slack's Web API and ``response_url``, with Slack's
  limits and Block Kit checks, and Lambda's Invoke API (``AWS_ENDPOINT_URL_LAMBDA``), so Bolt's
  lazy self-invocation is caught and fed back in.

The Slack function gets a signed slash command from a Chinese and an English asker; the digest
function one scheduled event.
Exit status 0 only if both answered as they should.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3  # type: ignore[import-untyped]

from emailstatus.i18n import format_day, use_locale

from testkit.fake_slack import FakeSlack
from testkit.fake_slack.users import SlackUser
from testkit.simulator_process import SimulatorProcess
from testkit.slack_requests import command_body, signed_event

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CHILD = Path(__file__).resolve().parent / "smoke_child.py"
#: What the Lambda runtime provides besides the standard library (it ships boto3).
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")
REGION = "ap-southeast-1"
CHANNEL = "C0SMOKETEST"
LOOKUP = "bounced@example.com yesterday"


@dataclass(frozen=True)
class Asker:
    """Someone asking ``LOOKUP``, and how its verdict reads in their Slack language."""

    user_id: str
    locale: str
    zone: str
    bounced: str

    @property
    def profile(self) -> SlackUser:
        """What ``users.info`` says of the asker."""
        return SlackUser(tz=self.zone, locale=self.locale)


#: One asker per language the answers speak (``users.info``): each answer must come back in
#: the asker's language with the day as that language writes it, which proves the artifact
#: carries the compiled catalogs and the CLDR data Babel needs for it (serverless.yml keeps
#: only those locales' data: see its ``slimPatterns``).
ASKERS = (
    Asker("U0SMOKEZH", "zh-CN", "Asia/Shanghai", "已退信"),
    Asker("U0SMOKEEN", "en-US", "Europe/London", "Bounced"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def process(command: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[str]]:
    """A child process that is always stopped (by its own pid) when the block ends."""
    child = subprocess.Popen(command, text=True, **kwargs)
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def start_simulator(stack: contextlib.ExitStack) -> dict[str, str]:
    """``emailstatus simulate`` on a free port; returns the variables it prints."""
    return stack.enter_context(SimulatorProcess(VENV_BIN / "emailstatus")).env


def start_moto(stack: contextlib.ExitStack) -> str:
    port = free_port()
    stack.enter_context(
        process(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url + "/moto-api/", timeout=1):
            return url
        time.sleep(0.2)
    raise SystemExit("moto_server did not start")


def runtime_dir(into: Path) -> Path:
    """boto3 and its dependencies (the Lambda runtime's share), linked from this venv."""
    site = Path(boto3.__file__).parent.parent
    into.mkdir()
    for name in RUNTIME_PACKAGES:
        (into / name).symlink_to(site / name)
    return into


def signed_slash_command(secret: str, response_url: str, user: str) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event carrying one signed ``/emailstatus`` command."""
    body = command_body(LOOKUP, response_url, user=user, channel="C0SMOKECMD")
    return signed_event(body, secret=secret)


def yesterday_as_said(asker: Asker) -> str:
    """How the asker's language writes the asker's yesterday ("12月3日", "3 Dec")."""
    yesterday = datetime.now(ZoneInfo(asker.zone)).date() - timedelta(days=1)
    with use_locale(asker.locale):
        return format_day(yesterday)


def scheduled_event() -> dict[str, Any]:
    """What EventBridge Scheduler delivers for the digest schedule (no Input configured)."""
    return {}


@dataclass
class Harness:
    """The local stand-ins and where things are; runs one function's handler in the artifact."""

    runtime_python: str
    service_dir: Path
    work: Path
    runtime: Path
    fake_url: str
    aws: dict[str, str]
    simulator: dict[str, str]

    def env(self, props: dict[str, Any]) -> dict[str, str]:
        """The template's environment, with Tencent, Slack and AWS pointed at the stand-ins."""
        return {
            **{k: str(v) for k, v in props["Environment"]["Variables"].items()},
            **self.aws,
            "AWS_ENDPOINT_URL_LAMBDA": self.fake_url,
            "AWS_LAMBDA_FUNCTION_NAME": props["FunctionName"],
            "EMAILSTATUS_SES_ENDPOINT": self.simulator["EMAILSTATUS_SES_ENDPOINT"],
            "EMAILSTATUS_SLACK_API_URL": self.fake_url + "/api/",
            "EMAILSTATUS_DIGEST_CHANNEL": CHANNEL,
            "LANG": "C.UTF-8",
            "TZ": "UTC",
        }

    def run(self, props: dict[str, Any], events: list[Any], *, lazy: bool) -> dict[str, Any]:
        """Unzip the function's artifact and run its handler on ``events`` in a fresh python."""
        artifact = self.service_dir / Path(props["Code"]["S3Key"]).name
        task = self.work / props["FunctionName"]
        with zipfile.ZipFile(artifact) as archive:
            archive.extractall(task)
        spec = {
            "task": str(task),
            "runtime": str(self.runtime),
            "handler": props["Handler"],
            "function_name": props["FunctionName"],
            "region": REGION,
            "timeout_s": props["Timeout"],
            "events": events,
            "lazy_url": self.fake_url + "/_fake/invocations" if lazy else None,
        }
        spec_file = self.work / f"spec-{props['FunctionName']}.json"
        spec_file.write_text(json.dumps(spec))
        done = subprocess.run(
            [self.runtime_python, "-I", "-S", "-B", str(CHILD), str(spec_file)],
            env=self.env(props),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-8000:])
            raise SystemExit(f"{props['Handler']} failed in the artifact (exit {done.returncode})")
        report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        imports = report["imports"]
        if imports["elsewhere"] or imports["artifact_modules_without_pyc"]:
            raise SystemExit(f"{props['Handler']}: bad imports {imports}")
        return report


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"smoke test failed: {message}")


def seed_aws(
    template: dict[str, Any], harness: Harness, signing_secret: str, bot_token: str
) -> Any:
    """The secrets via ``emailstatus params put``, the table as the template defines it."""
    slack, digest = _functions(template)
    stage = slack["Environment"]["Variables"]["EMAILSTATUS_SSM_PATH"].strip("/").split("/")[1]
    params_env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        **harness.aws,
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_BOT_TOKEN": bot_token,
        "TENCENTCLOUD_SECRET_ID": harness.simulator["TENCENTCLOUD_SECRET_ID"],
        "TENCENTCLOUD_SECRET_KEY": harness.simulator["TENCENTCLOUD_SECRET_KEY"],
    }
    subprocess.run(
        [str(VENV_BIN / "emailstatus"), "params", "put", "--stage", stage],
        env=params_env,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    table = template["Resources"]["DigestTable"]["Properties"]
    dynamodb = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=harness.aws["AWS_ENDPOINT_URL"],
        aws_access_key_id=harness.aws["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=harness.aws["AWS_SECRET_ACCESS_KEY"],
    )
    dynamodb.create_table(
        TableName=digest["Environment"]["Variables"]["EMAILSTATUS_TABLE"],
        BillingMode=table["BillingMode"],
        AttributeDefinitions=table["AttributeDefinitions"],
        KeySchema=table["KeySchema"],
    )
    return dynamodb


def smoke_slack(harness: Harness, props: dict[str, Any], secret: str, slack: FakeSlack) -> None:
    """A signed slash command from each asker: ack, one async self-invocation each, and on each
    response_url a verdict in the asker's language."""
    days_before = [yesterday_as_said(asker) for asker in ASKERS]
    events = [
        signed_slash_command(secret, slack.response_url(asker.user_id), asker.user_id)
        for asker in ASKERS
    ]
    report = harness.run(props, events, lazy=True)
    acks = report["results"][: len(ASKERS)]
    check(all(ack.get("statusCode") == 200 for ack in acks), f"the acks were {acks}")
    check(len(slack.invocations) == len(ASKERS), f"lazy invocations: {slack.invocations}")
    for invocation in slack.invocations:
        kind = invocation["InvocationType"]
        check(kind == "Event", f"the lazy invoke was {kind}")
        check(props["FunctionName"] in invocation["FunctionName"], "it invoked another function")
    check(len(report["results"]) == 2 * len(ASKERS), "a lazy invocation was not run")
    posts = slack.response_urls.posts
    check(len(posts) == len(ASKERS), f"not one answer each: {posts}")
    answers = dict(posts)  # by response_url path, one per asker
    for asker, day_before in zip(ASKERS, days_before, strict=True):
        answer = json.dumps(answers.get(f"/{asker.user_id}"), ensure_ascii=False)
        days = {day_before, yesterday_as_said(asker)}  # the same day unless midnight passed
        check("bounced@example.com" in answer, f"no verdict reached response_url: {answer}")
        check(asker.bounced in answer, f"not in {asker.locale}: {answer}")
        check(any(day in answer for day in days), f"the day is not said as {days}: {answer}")
    languages = ", ".join(asker.locale for asker in ASKERS)
    print(
        f"slack: {len(acks)} acks 200, lazy self-invocations replayed, one answer each on "
        f"response_url, in the askers' {languages} (import {report['import_s']:.2f}s, "
        f"{report['imports']['from_artifact']} modules from the artifact, all from bytecode)"
    )


def smoke_digest(harness: Harness, props: dict[str, Any], slack: FakeSlack, dynamodb: Any) -> None:
    """One scheduled event: a digest posted to the channel, the run marked done in DynamoDB."""
    report = harness.run(props, [scheduled_event()], lazy=False)
    posts = slack.posts()
    check(any(body.get("channel") == CHANNEL for body in posts), f"no digest posted: {posts}")
    table = props["Environment"]["Variables"]["EMAILSTATUS_TABLE"]
    runs = [
        item
        for item in dynamodb.scan(TableName=table)["Items"]
        if item["id"]["S"].startswith("run#")
    ]
    check(
        any(item.get("status", {}).get("S") == "done" for item in runs),
        f"no completed digest run in {table}: {runs}",
    )
    print(
        f"digest: {len(posts)} message(s) posted to {CHANNEL}, run recorded in DynamoDB "
        f"(import {report['import_s']:.2f}s, {report['imports']['from_artifact']} modules "
        "from the artifact, all from bytecode)"
    )


def _functions(template: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The slack and digest functions' properties in the packaged template."""
    functions = {
        resource["Properties"]["FunctionName"]: resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Lambda::Function"
    }
    slack = next(p for name, p in functions.items() if name.endswith("-slack"))
    digest = next(p for name, p in functions.items() if name.endswith("-digest"))
    return slack, digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runtime-python", required=True, help="a python3.13 binary")
    parser.add_argument("--service-dir", type=Path, default=ROOT / ".serverless")
    args = parser.parse_args(argv)
    template = json.loads(
        (args.service_dir / "cloudformation-template-update-stack.json").read_text()
    )
    slack, digest = _functions(template)
    bot_token = "xoxb-smoke-" + secrets.token_hex(8)
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        fake = stack.enter_context(FakeSlack(bot_token=bot_token))
        for asker in ASKERS:
            fake.users.users[asker.user_id] = asker.profile
        work = Path(scratch)
        harness = Harness(
            runtime_python=args.runtime_python,
            service_dir=args.service_dir,
            work=work,
            runtime=runtime_dir(work / "runtime"),
            fake_url=fake.base_url,
            aws={
                "AWS_ACCESS_KEY_ID": "AKIASMOKETEST",
                "AWS_SECRET_ACCESS_KEY": "smoke-test-dummy",
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_ENDPOINT_URL": start_moto(stack),
                "AWS_EC2_METADATA_DISABLED": "true",
            },
            simulator=start_simulator(stack),
        )
        signing_secret = secrets.token_hex(16)
        dynamodb = seed_aws(template, harness, signing_secret, bot_token)
        smoke_slack(harness, slack, signing_secret, fake)
        smoke_digest(harness, digest, fake, dynamodb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
