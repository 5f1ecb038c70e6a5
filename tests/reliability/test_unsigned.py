"""Unsigned and malformed requests: refused before any work, never a 500, never a post.

Every request here goes through ``handlers.slack_events`` as API Gateway delivers it (or, for
``emailstatus serve``, over a real socket) with a ``response_url`` pointing at a local listener
that must receive nothing. Malformed signature headers were the hole: slack_sdk's verifier
raised on them, and the app's error handler then answered on the unverified ``response_url``.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from emailstatus.config import get_settings
from emailstatus.slack_app import build_app
from emailstatus.slack_app.gate import MAX_BODY_BYTES
from emailstatus.slack_app.local import events_server
from emailstatus.slack_app.response_url import may_post_to
from ses_simulator import FIXTURES
from testkit.fake_slack import FakeSlack
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import SIGNING_SECRET, command_body, signature, signed_event

NOW = int(time.time())
BAD_TIMESTAMPS = {
    "letters": "abc",
    "empty": "",
    "exponent": "1e9",
    "fraction": f"{NOW}.5",
    "5,000 digits": "9" * 5000,
    "padded": f" {NOW}",
    "signed": f"+{NOW}",
    "Arabic-Indic digits": "".join(chr(0x0660 + int(d)) for d in str(NOW)),
    "two headers joined": f"{NOW},{NOW}",
}
BAD_SIGNATURES = {
    "non-ASCII": "v0=" + "é" * 64,
    "empty": "",
    "v1": "v1=" + "0" * 64,
    "short": "v0=abc",
    "upper-case hex of the right length": "v0=" + "A" * 64,
}


@pytest.fixture
def trap() -> Iterator[FakeSlack]:
    """A listener no request may reach: any post to it is the bug."""
    with FakeSlack() as server:
        yield server


def _command_to(url: str) -> str:
    return command_body(FIXTURES["bounced"].address, url)


def _assert_no_work(slack: SlackHarness, *hooks: FakeSlack) -> None:
    """No self-invocation, and no post to the ``/ssrf`` path of any listener (the session's
    listener may still get late answers from other tests on its other paths)."""
    time.sleep(0.05)  # a stray post would be in flight now
    assert slack.hooks.take_invocations() == []
    for server in hooks:
        assert [path for path, _ in server.response_urls.posts if path == "/ssrf"] == []


def _unverified_body(kind: str, url: str) -> str:
    """A slash command, or only a ``response_url`` (what reached the error handler's post)."""
    return _command_to(url) if kind == "command" else urlencode({"response_url": url})


@pytest.mark.parametrize("kind", ["command", "bare response_url"])
@pytest.mark.parametrize("stamp", BAD_TIMESTAMPS.values(), ids=BAD_TIMESTAMPS.keys())
def test_a_malformed_timestamp_is_401_and_nothing_is_posted(
    slack: SlackHarness, stamp: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The response_url is on the fake Slack's host: only the signature may stop it.
    event = signed_event(_unverified_body(kind, slack.hooks.response_url("ssrf")))
    event["headers"]["x-slack-request-timestamp"] = stamp
    with caplog.at_level(logging.DEBUG):
        response = slack.handlers.slack_events(event, slack.context)
    assert response["statusCode"] == 401
    _assert_no_work(slack, slack.hooks)
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []
    assert not any("bounced" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("kind", ["command", "bare response_url"])
@pytest.mark.parametrize("signature", BAD_SIGNATURES.values(), ids=BAD_SIGNATURES.keys())
def test_a_malformed_signature_is_401_and_nothing_is_posted(
    slack: SlackHarness, signature: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    event = signed_event(_unverified_body(kind, slack.hooks.response_url("ssrf")))
    event["headers"]["x-slack-signature"] = signature
    with caplog.at_level(logging.DEBUG):
        response = slack.handlers.slack_events(event, slack.context)
    assert response["statusCode"] == 401
    _assert_no_work(slack, slack.hooks)
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []


def _bad_bodies() -> dict[str, tuple[str, str, bool]]:
    """name → (body, content type, base64): every body Bolt used to crash on."""
    form = _command_to("http://127.0.0.1:9/ssrf")
    form_type = "application/x-www-form-urlencoded"
    return {
        "form as JSON": (form, "application/json", False),
        "invalid JSON": ('{"type": ', "application/json", False),
        "JSON array": ("[1, 2, 3]", "application/json", False),
        "payload not JSON": (
            urlencode({"payload": "x"}),
            "application/x-www-form-urlencoded",
            False,
        ),
        "payload a JSON list": (
            urlencode({"payload": "[]"}),
            "application/x-www-form-urlencoded",
            False,
        ),
        "base64 of non-UTF-8": ("\udcff\udcfe", form_type, True),
        "JSON nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "application/json", False),
    }


def _event(body: str, content_type: str, as_base64: bool, *, signed: bool) -> dict[str, object]:
    event = signed_event(
        body.encode("utf-8", "surrogateescape"),
        secret=SIGNING_SECRET,
        headers={"content-type": content_type},
        base64_body=as_base64,
    )
    if not signed:
        event["headers"]["x-slack-signature"] = "v0=" + "0" * 64
    return event


@pytest.mark.parametrize("name", _bad_bodies())
def test_a_bad_body_is_401_unsigned_and_400_signed_never_500(
    slack: SlackHarness, name: str
) -> None:
    body, content_type, as_base64 = _bad_bodies()[name]
    unsigned = slack.handlers.slack_events(
        _event(body, content_type, as_base64, signed=False), slack.context
    )
    signed = slack.handlers.slack_events(
        _event(body, content_type, as_base64, signed=True), slack.context
    )
    assert (unsigned["statusCode"], signed["statusCode"]) == (401, 400)
    _assert_no_work(slack, slack.hooks)


def test_a_huge_body_is_refused_unread(slack: SlackHarness) -> None:
    """10 MB used to cost 4 s and ~490 MB before the 401; now the length alone decides."""
    huge = "text=" + "a" * (10 * 1024 * 1024)
    for as_base64 in (False, True):
        event = signed_event("")
        event["body"] = base64.b64encode(huge.encode()).decode() if as_base64 else huge
        event["isBase64Encoded"] = as_base64
        response = slack.handlers.slack_events(event, slack.context)
        assert response["statusCode"] == 413
    just_fits = signed_event(
        "text=help&command=/emailstatus" + "&x=" + "a" * (MAX_BODY_BYTES - 100)
    )
    assert slack.handlers.slack_events(just_fits, slack.context)["statusCode"] == 200


def test_the_lazy_only_header_from_outside_does_not_skip_the_acknowledgement(
    slack: SlackHarness,
) -> None:
    event = signed_event(_command_to(slack.hooks.response_url()))
    event["headers"]["x-slack-bolt-lazy-only"] = "1"
    event["headers"]["x-slack-bolt-lazy-function-name"] = "look_up"
    exchange = slack.send(event)
    assert "Looking up" in exchange.ack["body"]
    assert len(exchange.invocations) == 1
    assert exchange.answer["text"].startswith(":x: Bounced")


def test_a_verified_request_answers_only_on_slacks_hosts(
    slack: SlackHarness, trap: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Even Slack's own (signed) payload cannot send the answer elsewhere."""
    exchange = slack.send(signed_event(_command_to(trap.response_url())))
    assert exchange.ack["statusCode"] == 200 and len(exchange.invocations) == 1
    time.sleep(0.05)
    assert trap.response_urls.posts == [] and exchange.posts == []
    assert any("outside Slack" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hooks.slack.com/commands/T1/1/abc", True),
        ("https://hooks.slack-gov.com/commands/T1/1/abc", True),
        ("https://HOOKS.SLACK.COM/actions/T1/1/abc", True),
        ("http://hooks.slack.com/commands/T1/1/abc", False),
        ("https://hooks.slack.com:8443/commands/T1", False),
        ("https://hooks.slack.com.example.com/commands", False),
        ("https://hooks.slack.com@example.com/commands", False),
        ("https://user:pw@hooks.slack.com/commands", False),
        ("https://slack.com/api/chat.postMessage", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("file:///etc/passwd", False),
        ("https://hooks.slack.com:99999/x", False),
        ("", False),
    ],
)
def test_response_urls_open_only_on_slacks_webhook_hosts(url: str, allowed: bool) -> None:
    assert may_post_to(url, "https://slack.com/api/") is allowed


def test_a_local_fake_slack_allows_only_its_own_scheme_host_and_port() -> None:
    fake = "http://127.0.0.1:3005/api/"
    assert may_post_to("http://127.0.0.1:3005/response/1", fake)
    assert may_post_to("https://hooks.slack.com/commands/T1/1/abc", fake)
    assert not may_post_to("http://127.0.0.1:3006/response/1", fake)
    assert not may_post_to("https://127.0.0.1:3005/response/1", fake)
    assert not may_post_to("http://localhost:3005/response/1", fake)


# --- emailstatus serve: the same door over a real socket --------------------------------------


@pytest.fixture
def served(slack_env: pytest.MonkeyPatch) -> Iterator[int]:
    server = events_server(build_app(get_settings()), SIGNING_SECRET, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _post(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("name", _bad_bodies())
def test_serve_answers_bad_bodies_instead_of_dropping_the_connection(
    served: int, hooks: FakeSlack, name: str
) -> None:
    body, content_type, _ = _bad_bodies()[name]
    raw = body.encode("utf-8", "surrogateescape")
    stamp = str(int(time.time()))
    headers = {"content-type": content_type, "x-slack-request-timestamp": stamp}
    assert _post(served, raw, {**headers, "x-slack-signature": "v0=" + "0" * 64})[0] == 401
    assert (
        _post(served, raw, {**headers, "x-slack-signature": signature(SIGNING_SECRET, stamp, raw)})[
            0
        ]
        == 400
    )
    for stamp_value in BAD_TIMESTAMPS.values():
        if stamp_value.isascii():
            bad = {**headers, "x-slack-request-timestamp": stamp_value, "x-slack-signature": "v0="}
            assert _post(served, raw, bad)[0] == 401


def test_serve_refuses_a_huge_body_and_answers_a_signed_command(
    served: int, hooks: FakeSlack
) -> None:
    # Declared, not sent: the server must answer from the length alone, without reading.
    too_long = {"content-type": "text/plain", "content-length": str(10 * 1024 * 1024)}
    status, _ = _post(served, b"text=", too_long)
    assert status == 413
    body = command_body("help", hooks.response_url())
    event = signed_event(body)
    status, answer = _post(served, body.encode(), event["headers"])
    assert status == 200 and "/emailstatus" in json.loads(answer)["text"]


def test_a_hanging_slack_is_given_up_on_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A response_url that accepts and never answers held the function 30 s (slack_sdk's
    default); every call to Slack now gives up after ``SLACK_TIMEOUT_S``."""
    import socket

    from emailstatus import config
    from emailstatus.slack_app import response_url

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    monkeypatch.setattr(response_url, "SLACK_TIMEOUT_S", 0.5)
    settings = config.load_settings({"EMAILSTATUS_SLACK_API_URL": f"http://127.0.0.1:{port}/api/"})
    started = time.monotonic()
    try:
        with pytest.raises(OSError):
            response_url.post(f"http://127.0.0.1:{port}/hook", settings, {"text": "x"})
    finally:
        listener.close()
    assert time.monotonic() - started < 10  # not the 30 s it used to be
    assert config.SLACK_TIMEOUT_S <= 5
