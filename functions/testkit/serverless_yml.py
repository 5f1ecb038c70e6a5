"""serverless.yml as the tests read it: CloudFormation's short tags (``!Ref``, ``!Sub``...)
as plain values, and a key given twice in one mapping refused (osls refuses it; PyYAML would
keep the last).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML comes with the dev tools (moto)

#: The repository's serverless.yml (testkit lives in the repository, never installed apart).
SERVERLESS = Path(__file__).resolve().parents[2] / "serverless.yml"


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader, strict about repeated keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = sorted({str(key) for key in keys if keys.count(key) > 1})
        assert not twice, f"serverless.yml repeats {twice} near line {node.start_mark.line + 1}"
        return super().construct_mapping(node, deep=deep)


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_Loader.add_multi_constructor("!", _tag)


def serverless_template() -> dict[str, Any]:
    """The repository's serverless.yml, read."""
    template: dict[str, Any] = yaml.load(SERVERLESS.read_text(), Loader=_Loader)
    return template
