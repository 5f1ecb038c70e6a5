"""docs/architecture.md stays true: what it names exists, and its layers are the enforced ones."""

from __future__ import annotations

import configparser
import importlib
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _exists(dotted: str) -> bool:
    """A module, or an attribute of one (``emailstatus.results.WalkProgress``)."""
    try:
        if importlib.util.find_spec(dotted) is not None:
            return True
    except ModuleNotFoundError:  # a name inside a module, not a submodule
        pass
    module, _, attribute = dotted.rpartition(".")
    return bool(module) and hasattr(importlib.import_module(module), attribute)


def test_every_module_the_map_names_exists() -> None:
    named = set(re.findall(r"`((?:emailstatus|ses_simulator)(?:\.\w+)*)`", DOC))
    assert "emailstatus.handlers" in named  # the pattern reads the doc's names at all
    missing = sorted(name for name in named if not _exists(name))
    assert not missing, f"docs/architecture.md names modules that no longer exist: {missing}"


def test_every_file_the_map_names_exists() -> None:
    paths = set(re.findall(r"`((?:functions|tests|docs)/[\w/.]*|\.importlinter)`", DOC))
    missing = sorted(path for path in paths if not (ROOT / path).exists())
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_the_layers_table_is_the_enforced_contract() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    enforced = [
        sorted(module.strip() for module in re.split(r"[:|]", line) if module.strip())
        for line in config["importlinter:contract:layers"]["layers"].strip().splitlines()
    ]
    table = DOC.split("## The layers", 1)[1].split("\n\n| layer |", 1)[1].split("\n\n", 1)[0]
    documented = [
        sorted(re.findall(r"`(emailstatus[\w.]*)`", row))
        for row in table.splitlines()
        if row.startswith("| ") and "`" in row
    ]
    assert documented == enforced
