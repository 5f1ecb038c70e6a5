"""Slack path benchmark: what our code adds to a cold Lambda start, and how fast the ack is.

1. Cold import of ``emailstatus.handlers`` (which builds the Bolt app) in a fresh interpreter,
   as a ratio to importing only ``slack_bolt``, its Lambda adapter and the Tencent SES client:
   the floor any Bolt-on-Lambda SES tool pays. Target <= 1.25. Median of ``IMPORT_RUNS``
   interleaved runs each, bytecode caches warm (as in a deployed zip).
2. In-process acknowledgement latency of ``/emailstatus <address>`` through
   ``handlers.slack_events`` with correctly signed API Gateway v2 events, the lazy
   self-invocation going to a recording stand-in for boto3's Lambda client: median and p99.

Run: ``.venv/bin/python bench/bench_slack.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import urlencode

from testkit import cold_import

IMPORT_RUNS = 11
ACK_REQUESTS = 300
IMPORT_TARGET = 1.25

SIGNING_SECRET = "bench-signing-secret"
ENV = {
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "SLACK_BOT_TOKEN": "xoxb-bench",
    "TENCENTCLOUD_SECRET_ID": "AKIDbench",
    "TENCENTCLOUD_SECRET_KEY": "bench",
}
HANDLERS = "import emailstatus.handlers"
BASELINE = "import slack_bolt, slack_bolt.adapter.aws_lambda, tencentcloud.ses.v20201002.ses_client"


def import_seconds(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter, with the settings it needs."""
    env = {**os.environ, **ENV}
    env.pop("EMAILSTATUS_SSM_PATH", None)
    return cold_import.import_seconds(statement, env=env, cwd=Path(__file__).resolve().parents[1])


def measure_imports(runs: int = IMPORT_RUNS) -> dict[str, float]:
    import_seconds(HANDLERS)  # warm the bytecode caches
    import_seconds(BASELINE)
    ours, base = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        ours.append(import_seconds(HANDLERS))
        base.append(import_seconds(BASELINE))
    return {"handlers": statistics.median(ours), "baseline": statistics.median(base)}


class _RecordingLambda:
    """Stands in for boto3's Lambda client: the invoke is recorded, not sent."""

    def __init__(self) -> None:
        self.calls = 0

    def invoke(self, **_: Any) -> dict[str, Any]:
        self.calls += 1
        return {"StatusCode": 202}


class _Context:
    function_name = "emailstatus-bench"
    invoked_function_arn = "arn:aws:lambda:ap-southeast-1:123456789012:function:emailstatus-bench"


def _event(text: str, index: int) -> dict[str, Any]:
    from slack_sdk.signature import SignatureVerifier

    body = urlencode(
        {
            "team_id": "T0BENCH",
            "channel_id": "C0BENCH",
            "user_id": "U0BENCH",
            "command": "/emailstatus",
            "text": text,
            "response_url": f"https://hooks.slack.com/commands/T0BENCH/{index}/x",
        }
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    return {
        "version": "2.0",
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature,
        },
        "requestContext": {"http": {"method": "POST", "path": "/slack/events"}},
        "body": body,
        "isBase64Encoded": False,
    }


def measure_ack(requests: int = ACK_REQUESTS) -> dict[str, float]:
    """Milliseconds from event in to ack out, for ``requests`` signed slash commands."""
    from emailstatus.config import get_settings

    with patch.dict(os.environ, ENV):  # restored whole afterwards, the popped name included
        os.environ.pop("EMAILSTATUS_SSM_PATH", None)
        get_settings.cache_clear()
        import emailstatus.handlers  # built at import from this environment

        handlers = emailstatus.handlers

        lambda_client = _RecordingLambda()
        handlers.reset(lambda_client)
        events = [_event("alice@example.com yesterday", i) for i in range(requests + 20)]
        timings = []
        for index, event in enumerate(events):
            started = time.perf_counter()
            response = handlers.slack_events(event, _Context())
            elapsed = time.perf_counter() - started
            if response["statusCode"] != 200 or "Looking up" not in response["body"]:
                raise RuntimeError(f"unexpected ack: {response}")
            if index >= 20:  # the first few warm caches up
                timings.append(elapsed * 1000)
        get_settings.cache_clear()
    if lambda_client.calls != len(events):
        raise RuntimeError("every lookup should have started one lazy self-invocation")
    ordered = sorted(timings)
    return {
        "median": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, round(0.99 * len(ordered)))],
    }


def run() -> dict[str, object]:
    """Measure both and return the figures (milliseconds, and the import ratio)."""
    imports = measure_imports()
    ack = measure_ack()
    ratio = imports["handlers"] / imports["baseline"]
    return {
        "import_handlers_ms": round(imports["handlers"] * 1000, 1),
        "import_baseline_ms": round(imports["baseline"] * 1000, 1),
        "import_ratio": round(ratio, 3),
        "import_ratio_target": IMPORT_TARGET,
        "import_ratio_ok": ratio <= IMPORT_TARGET,
        "import_runs": IMPORT_RUNS,
        "ack_ms_median": round(ack["median"], 3),
        "ack_ms_p99": round(ack["p99"], 3),
        "ack_requests": ACK_REQUESTS,
    }


def main() -> None:
    results = run()
    print("Slack path (bench/bench_slack.py)")
    print(f"  cold import, median of {results['import_runs']} fresh interpreters")
    print(f"    emailstatus.handlers (app built)     {results['import_handlers_ms']:>8} ms")
    print(f"    slack_bolt + Lambda adapter + SES    {results['import_baseline_ms']:>8} ms")
    print(
        f"    ratio                                {results['import_ratio']:>8}"
        f"   (target <= {IMPORT_TARGET}: {'ok' if results['import_ratio_ok'] else 'MISSED'})"
    )
    print(f"  ack latency in process, {results['ack_requests']} signed /emailstatus requests")
    print(f"    median                               {results['ack_ms_median']:>8} ms")
    print(f"    p99                                  {results['ack_ms_p99']:>8} ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
