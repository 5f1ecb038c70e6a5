"""Slack's ``views.open``, ``views.update`` and ``views.publish`` as Slack answers them: the part
of the fake Slack (``testkit.fake_slack``) that keeps modals and Home tabs.

The limits are Slack's documented ones (docs.slack.dev, "Modal views" and the three methods'
pages): a modal's title, submit and close at most 24 characters, at most 100 blocks,
``private_metadata`` at most 3,000 characters, a trigger_id usable once within 3 seconds.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.views import View

#: The methods this module answers.
VIEW_METHODS = ("views.open", "views.update", "views.publish")


@dataclass
class _Trigger:
    issued: float
    used: bool = False


class Views:
    """Slack's ``views.open``, ``views.update`` and ``views.publish``, with Slack's rules:

    - a trigger_id used at most once and within 3 seconds of the click
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
    # Slack's documented limits, as slack_sdk's View model states them.
    MAX_BLOCKS = View.blocks_max_length
    MAX_TITLE = View.title_max_length
    MAX_METADATA = View.private_metadata_max_length
    #: Our assumption: Slack documents ``view_too_large`` but no figure for it.
    MAX_VIEW_BYTES = 250 * 1024

    def __init__(self, clock: Callable[[], float]) -> None:
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

    def call(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """One call of a ``views.*`` method as Slack answers it (``refused`` records a refusal)."""
        with self._lock:
            answer: dict[str, Any] = getattr(self, "_" + method.removeprefix("views."))(body)
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
            return view, _invalid(
                f"must provide no more than {self.MAX_BLOCKS} items [json-pointer:/view/blocks]"
            )
        for part in ("title", "submit", "close"):
            if len(view.get(part, {}).get("text", "")) > self.MAX_TITLE:
                return view, _invalid(
                    f"must be less than {self.MAX_TITLE + 1} characters "
                    f"[json-pointer:/view/{part}/text]"
                )
        if len(view.get("private_metadata", "")) > self.MAX_METADATA:
            return view, _invalid(
                f"must be less than {self.MAX_METADATA + 1} characters "
                "[json-pointer:/view/private_metadata]"
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
