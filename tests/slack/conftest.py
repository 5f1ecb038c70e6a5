"""Slack end to end: signed requests into ``handlers.slack_events``, answers caught on a local
``response_url`` server, lookups against the shared Tencent SES simulator.

Only the boto3 Lambda client is faked (nothing real can run a Lambda here): it records the
lazy self-invocation's payload, which the harness feeds back into the handler, as Lambda would.
"""

from __future__ import annotations

import io
import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    SectionBlock,
)
from slack_sdk.models.views import View

from emailstatus.config import get_settings
from emailstatus.slack_app.asker import forget_profiles
from ses_simulator import Simulator
from testkit import slack_requests
from testkit.fake_slack_users import METHOD as USERS_INFO
from testkit.fake_slack_users import FakeUsers, SlackUser

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-0000000000-token"
USER = "U0TESTUSER"
CHANNEL = "C0TESTCHAN"
TEAM = "T0TESTTEAM"
#: Refusals that mean the app built a view Slack does not accept.
APP_BUGS = frozenset({"invalid_arguments", "view_too_large", "duplicate_external_id"})
VIEW_METHODS = ("views.open", "views.update", "views.publish")
FUNCTION_ARN = "arn:aws:lambda:ap-southeast-1:123456789012:function:emailstatus-test-slack"
#: What the bot token was granted: the manifest's scopes (test_manifest checks they agree).
GRANTED_SCOPES = ("commands", "chat:write", "channels:history", "groups:history", "users:read")


# --- what every payload must satisfy ----------------------------------------------------------


def assert_valid_message(payload: dict[str, Any]) -> list[Block]:
    """Parse ``payload['blocks']`` back with slack_sdk and check Block Kit's limits.

    Used on every ack body and every response_url post in this suite. Returns the blocks.
    """
    assert isinstance(payload.get("text"), str) and payload["text"].strip(), payload
    raw = payload.get("blocks", [])
    blocks = Block.parse_all(raw)
    assert len(blocks) == len(raw) <= 50
    for parsed, original in zip(blocks, raw, strict=True):
        assert parsed.to_dict() == original  # validates, and nothing was lost or unknown
        if isinstance(parsed, HeaderBlock):
            assert parsed.text is not None and len(parsed.text.text) <= 150
        elif isinstance(parsed, SectionBlock):
            assert parsed.text is None or len(parsed.text.text) <= 3000
            assert len(parsed.fields or []) <= 10
            assert all(len(f.text) <= 2000 for f in parsed.fields or [])
        elif isinstance(parsed, ContextBlock):
            assert 1 <= len(parsed.elements) <= 10
        elif isinstance(parsed, ActionsBlock):
            for element in parsed.elements:
                assert isinstance(element, ButtonElement)
                assert element.text is not None and len(element.text.text) <= 75
                assert len(element.value or "") <= 2000
    return blocks


def all_text(payload: dict[str, Any]) -> str:
    """Every string in a payload, for "does it say / does it never say" checks."""
    return json.dumps(payload, ensure_ascii=False)


# --- Slack's side: signed events, the response_url server -------------------------------------


#: A request signed with the suite's signing secret (``testkit.slack_requests``).
signed_event = partial(slack_requests.signed_event, secret=SIGNING_SECRET)


def command_body(text: str, response_url: str, *, user: str = USER, channel: str = CHANNEL) -> str:
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "support",
            "user_id": user,
            "user_name": "agent",
            "command": "/emailstatus",
            "text": text,
            "api_app_id": "A0TESTAPP",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def action_body(
    action_id: str,
    value: str,
    response_url: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    trigger_id: str = "1.2.3",
) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": "agent", "team_id": TEAM},
        "api_app_id": "A0TESTAPP",
        "token": "deprecated-verification-token",
        "container": {"type": "message", "is_ephemeral": True, "channel_id": channel},
        "trigger_id": trigger_id,
        "channel": {"id": channel, "name": "support"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "x"},
                "value": value,
                "action_ts": "1700000000.000001",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def message_shortcut_body(
    message: dict[str, Any],
    response_url: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    trigger_id: str = "1.2.3",
    callback_id: str = "check_email_status",
) -> str:
    """A message shortcut's request as Slack sends it: the whole message it was used on."""
    payload = {
        "type": "message_action",
        "callback_id": callback_id,
        "action_ts": "1700000000.000002",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": "agent", "team_id": TEAM, "name": "agent"},
        "channel": {"id": channel, "name": "support"},
        "is_enterprise_install": False,
        "api_app_id": "A0TESTAPP",
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message.get("ts", "1700000000.000100"),
        "message": {"type": "message", "ts": "1700000000.000100", "user": "U0CUSTOMER", **message},
    }
    return urlencode({"payload": json.dumps(payload)})


def global_shortcut_body(callback_id: str, *, user: str = USER, trigger_id: str = "1.2.3") -> str:
    """A global shortcut's request: no conversation, no response_url, only a trigger."""
    payload = {
        "type": "shortcut",
        "callback_id": callback_id,
        "action_ts": "1700000000.000003",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": "agent", "team_id": TEAM},
        "is_enterprise_install": False,
        "api_app_id": "A0TESTAPP",
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id,
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    view: dict[str, Any],
    reason: str | None,
    *,
    user: str = USER,
    view_id: str = "V0TESTVIEW",
    values: dict[str, Any] | None = None,
    response_urls: list[dict[str, str]] | None = None,
) -> str:
    """A modal's submission as Slack sends it: the opened view with its state and ID.

    ``values``: the view's state (block → action → value); by default the removal's reason.
    ``response_urls``: one per conversation picked in a ``response_url_enabled`` menu.
    """
    value = {"type": "plain_text_input", "value": reason}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": "operator", "team_id": TEAM},
        "api_app_id": "A0TESTAPP",
        "token": "deprecated-verification-token",
        "trigger_id": "9.9.9",
        "view": {
            **view,
            "id": view_id,
            "team_id": TEAM,
            "state": {"values": values if values is not None else {"reason": {"reason": value}}},
            "hash": "1700000000.abc",
        },
        "response_urls": response_urls or [],
    }
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class _Trigger:
    issued: float
    used: bool = False


class FakeViews:
    """Slack's ``views.open``, ``views.update`` and ``views.publish``, with Slack's rules:

    - the bot token; a trigger_id used at most once and within 3 seconds of the click
      (``views.open``); an update names an open view by ``view_id`` or ``external_id``
      (else ``not_found``), and a stale ``hash`` is a ``hash_conflict``; an ``external_id``
      is unique in the team (``duplicate_external_id``);
    - a view that slack_sdk's ``View`` model accepts, with nothing it does not know, and Slack's
      limits answered as Slack answers them: at most 100 blocks, a title (and submit, close) of
      at most 24 characters, private_metadata of at most 3,000, ``view_too_large`` over 250 KB;
    - a Home tab only for an app whose manifest enables it (``home_enabled``).

    ``opened`` lists modals as opened, ``modals`` each modal's current view by ID, ``homes``
    each user's published Home, ``refused`` every call Slack would have refused and why.
    """

    TRIGGER_SECONDS = 3.0
    MAX_BLOCKS = 100
    MAX_TITLE = 24
    MAX_METADATA = 3000
    MAX_VIEW_BYTES = 250 * 1024

    def __init__(self, clock: Any) -> None:
        self.opened: list[dict[str, Any]] = []
        self.modals: dict[str, dict[str, Any]] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.refused: list[tuple[str, str]] = []
        self.home_enabled = True
        self.clock = clock
        self._triggers: dict[str, _Trigger] = {}
        self._external: dict[str, str] = {}
        self._names = itertools.count(1)
        self._lock = threading.Lock()

    def new_trigger(self, age: float = 0.0) -> str:
        """A trigger_id for a click made ``age`` seconds ago."""
        trigger = f"{next(self._names)}.{int(time.time())}.trigger"
        self._triggers[trigger] = _Trigger(self.clock() - age)
        return trigger

    def call(self, method: str, authorization: str, body: dict[str, Any]) -> dict[str, Any]:
        """One Web API call as Slack answers it (``refused`` records a refusal)."""
        with self._lock:
            if authorization != f"Bearer {BOT_TOKEN}":
                answer: dict[str, Any] = {"ok": False, "error": "invalid_auth"}
            else:
                answer = getattr(self, "_" + method.replace("views.", ""))(body)
            if not answer["ok"]:
                self.refused.append((method, answer["error"]))
            return answer

    def current(self, view_id: str) -> dict[str, Any]:
        """The modal ``view_id`` as the user sees it now."""
        with self._lock:
            return self.modals[view_id]

    def _open(self, body: dict[str, Any]) -> dict[str, Any]:
        trigger = self._triggers.get(str(body.get("trigger_id")))
        if trigger is None:
            return {"ok": False, "error": "invalid_trigger_id"}
        if trigger.used:
            return {"ok": False, "error": "exchanged_trigger_id"}
        if self.clock() - trigger.issued > self.TRIGGER_SECONDS:
            return {"ok": False, "error": "expired_trigger_id"}
        view, problem = self._checked(body, "modal")
        if problem:
            return problem
        trigger.used = True
        view_id = f"V{next(self._names):08d}"
        self.opened.append(view)
        return self._store(view_id, view)

    def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        view_id = body.get("view_id") or self._external.get(str(body.get("external_id")))
        if not view_id or view_id not in self.modals:
            return {"ok": False, "error": "not_found"}
        if body.get("hash") and body["hash"] != self.modals[view_id]["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        view, problem = self._checked(body, "modal", view_id)
        return problem or self._store(view_id, view)

    def _publish(self, body: dict[str, Any]) -> dict[str, Any]:
        if not self.home_enabled:
            return {"ok": False, "error": "not_enabled"}
        user = str(body.get("user_id") or "")
        if not user.startswith(("U", "W")):
            return {"ok": False, "error": "invalid_arguments"}
        published = self.homes.get(user)
        if body.get("hash") and published and body["hash"] != published["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        view, problem = self._checked(body, "home", published["id"] if published else None)
        if problem:
            return problem
        view_id = published["id"] if published else f"V{next(self._names):08d}"
        self.homes[user] = {**view, "id": view_id, "hash": f"{time.time():.6f}.h"}
        return {"ok": True, "view": self.homes[user]}

    def _store(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        external = view.get("external_id")
        if external:
            self._external[external] = view_id
        stored = {**view, "id": view_id, "hash": f"{time.time():.6f}.{next(self._names)}"}
        self.modals[view_id] = stored
        return {"ok": True, "view": stored}

    def _checked(
        self, body: dict[str, Any], kind: str, view_id: str | None = None
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The view in ``body`` and, when Slack would refuse it, Slack's answer."""
        raw = body.get("view")
        view = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(view, dict) or view.get("type") != kind:
            return {}, _invalid(f"view must be a {kind} view [json-pointer:/view/type]")
        if len(json.dumps(view).encode()) > self.MAX_VIEW_BYTES:
            return view, {"ok": False, "error": "view_too_large"}
        if len(view.get("blocks", [])) > self.MAX_BLOCKS:
            return view, _invalid("must provide no more than 100 items [json-pointer:/view/blocks]")
        for part in ("title", "submit", "close"):
            if len(view.get(part, {}).get("text", "")) > self.MAX_TITLE:
                return view, _invalid(
                    f"must be less than 25 characters [json-pointer:/view/{part}/text]"
                )
        if len(view.get("private_metadata", "")) > self.MAX_METADATA:
            return view, _invalid(
                "must be less than 3001 characters [json-pointer:/view/private_metadata]"
            )
        try:
            parsed = View(**view)
            parsed.validate_json()
        except SlackObjectFormationError as error:
            return view, _invalid(str(error))
        assert parsed.to_dict() == view, "the view has fields slack_sdk does not know"
        external = view.get("external_id")
        if external and self._external.get(external, view_id) != view_id:
            return view, {"ok": False, "error": "duplicate_external_id"}
        return view, None


def _invalid(message: str) -> dict[str, Any]:
    """Slack's answer to a payload its schema refuses."""
    return {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": [f"[ERROR] {message}"]},
    }


@dataclass
class _ResponseUrl:
    """One response_url as Slack keeps it: what it belongs to and how often it was used."""

    message: int | None  # index in ``shown`` of the message with the button; None: a command
    posts: int = 0
    first_post: float | None = None


class ResponseUrlServer:
    """Stands in for Slack's response_url endpoint, with Slack's rules (PLATFORM-NOTES.md):

    - a slash command's response_url cannot replace or delete the command's acknowledgement:
      ``replace_original``/``delete_original`` are ignored there and every post is a new
      message (slackapi/bolt-python#1268, bolt-js#2287);
    - a button's response_url belongs to the message holding the button: ``replace_original``
      replaces that message, ``delete_original`` removes it, anything else is a new message;
    - each response_url takes at most 5 posts within 30 minutes (then 404 ``used_url`` /
      ``expired_url``).

    ``shown`` is the conversation as the user sees it (acks included, added by the harness);
    ``posts`` every accepted or refused post, raw.

    It is also the configured fake Web API (``api_url``), so its response_urls pass the app's
    host rule. It serves the views (``views``: ``FakeViews``) and ``users.info`` (``users``:
    ``testkit.fake_slack_users``); any other Web API call is only recorded (``api_calls``) for
    the harness to fail on.
    """

    MAX_POSTS = 5
    LIFETIME_SECONDS = 30 * 60

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        self.shown: list[dict[str, Any] | None] = []
        self.api_calls: list[str] = []
        self.status = 200
        self.clock = time.monotonic
        self.views = FakeViews(self.clock)
        self.users = _workspace()
        self._urls: dict[str, _ResponseUrl] = {}
        self._closed: set[str] = set()
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                method = self.path.removeprefix("/api/")
                if method.partition("?")[0] == USERS_INFO:
                    recorder._users_info(self, self.rfile.read(length))
                    return
                if method in VIEW_METHODS:
                    raw = self.rfile.read(length)
                    answer = recorder.views.call(
                        method, self.headers.get("authorization", ""), json.loads(raw)
                    )
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps(answer).encode())
                    return
                if self.path.startswith("/api/"):
                    recorder.api_calls.append(self.path)
                    self.send_error(404)
                    return
                payload = json.loads(self.rfile.read(length))
                status, body = recorder._receive(self.path, payload)
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, name: str | None = None) -> str:
        """A slash command's response_url (a new one unless ``name`` is given)."""
        name = name or f"command-{next(self._names)}"
        return f"http://127.0.0.1:{self._server.server_address[1]}/{name}"

    @property
    def api_url(self) -> str:
        """The fake Web API's base URL, for ``EMAILSTATUS_SLACK_API_URL``."""
        return self.url("api/")

    def closed_url(self) -> str:
        """A response_url of a conversation that does not take the app's messages: Slack
        answers every post with 404 ``channel_not_found``."""
        url = self.url()
        with self._lock:
            self._closed.add(url.rsplit("/", 1)[1])
        return url

    def button_url(self, message: int | None) -> str:
        """The response_url of a click on a button in ``shown[message]``."""
        name = f"button-{next(self._names)}"
        with self._lock:
            self._urls[f"/{name}"] = _ResponseUrl(message)
        return self.url(name)

    def holding(self, value: str) -> int | None:
        """The index in ``shown`` of the newest message with a button of this ``value``."""
        with self._lock:
            for index in range(len(self.shown) - 1, -1, -1):
                if f'"value": {json.dumps(value)}' in json.dumps(self.shown[index] or {}):
                    return index
        return None

    def show(self, payload: dict[str, Any]) -> None:
        """A message Slack displays without a response_url post (a command's ack body)."""
        with self._lock:
            self.shown.append(payload)

    def visible(self) -> list[dict[str, Any]]:
        """The messages the user sees now, oldest first."""
        with self._lock:
            return [message for message in self.shown if message is not None]

    def reset(self) -> None:
        with self._lock:
            self.posts.clear()
            self.shown.clear()
            self._urls.clear()
            self._closed.clear()
            self.views = FakeViews(self.clock)
            self.users = _workspace()

    def _users_info(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        """``users.info`` (testkit.fake_slack_users): slack_sdk sends its parameters in the
        query string, other clients in a form body."""
        query = handler.path.partition("?")[2]
        params = dict(parse_qsl(query)) | dict(parse_qsl(raw.decode()))
        answer = self.users.call(handler.headers.get("authorization", ""), params)
        if answer.body is None:  # a network failure: the connection drops unanswered
            handler.close_connection = True
            return
        handler.send_response(answer.status)
        for name, value in {"content-type": "application/json", **answer.headers}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(json.dumps(answer.body).encode())

    def _receive(self, path: str, payload: dict[str, Any]) -> tuple[int, str]:
        with self._lock:
            self.posts.append((path, payload))
            if self.status != 200:
                return self.status, "expired_url"
            if path.lstrip("/") in self._closed:
                return 404, "channel_not_found"
            url = self._urls.setdefault(path, _ResponseUrl(None))
            now = self.clock()
            if url.first_post is not None and now - url.first_post > self.LIFETIME_SECONDS:
                return 404, "expired_url"
            if url.posts >= self.MAX_POSTS:
                return 404, "used_url"
            url.posts += 1
            url.first_post = now if url.first_post is None else url.first_post
            index = url.message
            if (
                index is not None
                and self.shown[index] is not None
                and (payload.get("delete_original") or payload.get("replace_original"))
            ):
                self.shown[index] = None if payload.get("delete_original") else payload
            else:
                self.shown.append(payload)
            return 200, "ok"

    def __enter__(self) -> ResponseUrlServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _workspace() -> FakeUsers:
    """The fake workspace's members: the suite's asker, in Beijing's zone (as configured)."""
    users = FakeUsers(BOT_TOKEN, GRANTED_SCOPES)
    users.users[USER] = SlackUser(tz="Asia/Shanghai", locale="en-US")
    return users


# --- AWS's side: the Lambda context and the lazy self-invocation ------------------------------


@dataclass
class LambdaContext:
    function_name: str = "emailstatus-test-slack"
    invoked_function_arn: str = FUNCTION_ARN


@dataclass
class FakeLambdaClient:
    """Records ``invoke`` calls instead of invoking; nothing real can run a Lambda here."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"StatusCode": 202}

    def take(self) -> list[dict[str, Any]]:
        calls, self.calls = self.calls, []
        return calls


@dataclass
class Exchange:
    """One request and everything it caused."""

    ack: dict[str, Any]
    ack_seconds: float
    invocations: list[dict[str, Any]]
    posts: list[dict[str, Any]]

    @property
    def ack_body(self) -> dict[str, Any]:
        body = self.ack.get("body") or ""
        return json.loads(body) if body else {}

    @property
    def answer(self) -> dict[str, Any]:
        """The answer this exchange ended with: its last response_url post."""
        assert self.posts, "nothing was posted to response_url"
        return self.posts[-1]


class SlackHarness:
    """Sends Slack's requests through ``handlers.slack_events`` like API Gateway and Lambda do."""

    def __init__(self, hooks: ResponseUrlServer, lambda_client: FakeLambdaClient) -> None:
        import emailstatus.handlers

        self.handlers = emailstatus.handlers
        self.hooks = hooks
        self.lambda_client = lambda_client
        self.context = LambdaContext()

    def rebuild(self) -> None:
        """Re-read the settings and rebuild the handler (the module does this once at import)."""
        get_settings.cache_clear()
        self.handlers.reset(self.lambda_client)

    def send(
        self, event: dict[str, Any], *, run_lazy: bool = True, message_ack: bool = True
    ) -> Exchange:
        """``message_ack``: the ack body, if any, is a message (a modal's is not)."""
        self.hooks.posts.clear()
        self.hooks.api_calls.clear()
        started = time.perf_counter()
        ack = self.handlers.slack_events(event, self.context)
        seconds = time.perf_counter() - started
        if message_ack and ack["statusCode"] == 200 and ack.get("body"):
            self.hooks.show(json.loads(ack["body"]))  # Slack shows the ack before any post
        invocations = self.lambda_client.take()
        for call in invocations if run_lazy else []:
            assert call["FunctionName"] == FUNCTION_ARN
            assert call["InvocationType"] == "Event"
            lazy = self.handlers.slack_events(json.loads(call["Payload"]), self.context)
            assert lazy["statusCode"] == 200, lazy
        posts = [body for _, body in self.hooks.posts]
        assert self.hooks.api_calls == [], "the app called a Web API method Slack does not have"
        invalid = [call for call in self.hooks.views.refused if call[1] in APP_BUGS]
        assert invalid == [], f"Slack would have refused a view: {invalid}"
        if message_ack and ack["statusCode"] == 200 and ack.get("body"):
            assert_valid_message(json.loads(ack["body"]))
        for post in posts:
            assert_valid_message(post)
        return Exchange(ack, seconds, invocations, posts)

    def command(self, text: str, **kwargs: Any) -> Exchange:
        user = kwargs.pop("user", USER)
        channel = kwargs.pop("channel", CHANNEL)
        body = command_body(text, self.hooks.url(), user=user, channel=channel)
        return self.send(signed_event(body, **kwargs))

    def click(self, action_id: str, value: str, **kwargs: Any) -> Exchange:
        user = kwargs.pop("user", USER)
        channel = kwargs.pop("channel", CHANNEL)
        url = self.hooks.button_url(self.hooks.holding(value))
        trigger = self.hooks.views.new_trigger(kwargs.pop("trigger_age", 0.0))
        body = action_body(action_id, value, url, user=user, channel=channel, trigger_id=trigger)
        return self.send(signed_event(body, **kwargs))

    def submit(self, view: dict[str, Any], reason: str | None, **kwargs: Any) -> Exchange:
        """Submit an opened modal (signed like Slack), with ``reason`` typed in."""
        user = kwargs.pop("user", USER)
        view_id = kwargs.pop("view_id", "V0TESTVIEW")
        body = view_submission_body(view, reason, user=user, view_id=view_id)
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def shortcut(self, message: dict[str, Any], *, closed: bool = False, **kwargs: Any) -> Exchange:
        """Use the message shortcut on ``message``; ``closed``: in a conversation that does not
        take the app's messages."""
        user = kwargs.pop("user", USER)
        channel = kwargs.pop("channel", CHANNEL)
        url = self.hooks.closed_url() if closed else self.hooks.url()
        trigger = self.hooks.views.new_trigger(kwargs.pop("trigger_age", 0.0))
        body = message_shortcut_body(message, url, user=user, channel=channel, trigger_id=trigger)
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def submit_values(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        response_urls: list[dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> Exchange:
        """Submit an opened modal with its inputs' state ``values`` (block → action → value)."""
        user = kwargs.pop("user", USER)
        body = view_submission_body(
            view, None, user=user, view_id=view["id"], values=values, response_urls=response_urls
        )
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def global_shortcut(self, callback_id: str, **kwargs: Any) -> Exchange:
        """Use a global shortcut (from Slack's search or the composer's shortcuts menu)."""
        user = kwargs.pop("user", USER)
        trigger = self.hooks.views.new_trigger(kwargs.pop("trigger_age", 0.0))
        body = global_shortcut_body(callback_id, user=user, trigger_id=trigger)
        return self.send(signed_event(body, **kwargs), message_ack=False)

    def open_home(self, *, user: str = USER, tab: str = "home", **kwargs: Any) -> Exchange:
        """The user opens the app's Home tab: Slack's ``app_home_opened`` event (JSON)."""
        body = json.dumps(
            {
                "token": "deprecated-verification-token",
                "team_id": TEAM,
                "api_app_id": "A0TESTAPP",
                "type": "event_callback",
                "event_id": f"Ev{time.time_ns()}",
                "event_time": int(time.time()),
                "event": {
                    "type": "app_home_opened",
                    "user": user,
                    "channel": "D0APPHOME",
                    "tab": tab,
                    "event_ts": f"{time.time():.6f}",
                },
            }
        )
        headers = {"content-type": "application/json"}
        return self.send(signed_event(body, headers=headers, **kwargs), message_ack=False)

    def seen(self) -> list[dict[str, Any]]:
        """What the user sees now, oldest message first."""
        return self.hooks.visible()


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hooks() -> Iterator[ResponseUrlServer]:
    with ResponseUrlServer() as server:
        yield server


@pytest.fixture
def slack_env(
    monkeypatch: pytest.MonkeyPatch, sim: Simulator, hooks: ResponseUrlServer
) -> Iterator[pytest.MonkeyPatch]:
    """The environment a deployed function has, pointed at the simulator; settings re-read."""
    for name in (
        "EMAILSTATUS_ALLOWED_USERS",
        "EMAILSTATUS_ALLOWED_CHANNELS",
        "EMAILSTATUS_SSM_PATH",
        "SLACK_APP_TOKEN",
        "TENCENTCLOUD_SESSION_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    # The fake Slack: its response_urls are allowed, and any Web API call is caught.
    monkeypatch.setenv("EMAILSTATUS_SLACK_API_URL", hooks.api_url)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", sim.secret_id)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", sim.secret_key)
    monkeypatch.setenv("EMAILSTATUS_SES_ENDPOINT", sim.endpoint)
    monkeypatch.setenv("EMAILSTATUS_TIMEZONE", "Asia/Shanghai")
    # Suites send hundreds of commands as one user; test_guard tests the limit itself.
    monkeypatch.setenv("EMAILSTATUS_USER_LOOKUPS_PER_MINUTE", "100000")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def slack(slack_env: pytest.MonkeyPatch, hooks: ResponseUrlServer) -> SlackHarness:
    """The Lambda handler, rebuilt from this test's environment, with the fake Lambda client.

    Change the environment, then call ``slack.rebuild()`` to see it.
    """
    hooks.reset()
    forget_profiles()
    harness = SlackHarness(hooks, FakeLambdaClient())
    harness.rebuild()
    return harness


@pytest.fixture
def audit_log() -> Iterator[io.StringIO]:
    """Everything the audit logger writes during the test (its real JSON lines)."""
    from emailstatus.slack_app.audit import audit_logger

    stream = io.StringIO()
    handler = audit_logger().registered_handler
    assert hasattr(handler, "setStream")
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
