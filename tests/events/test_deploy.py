"""serverless.yml's events table is the table the code writes: same keys, same indexes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML comes with the dev tools (moto)

from emailstatus.events.dynamodb import table_definition

SERVERLESS = Path(__file__).resolve().parents[2] / "serverless.yml"


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """Reads CloudFormation's short tags (``!Ref``, ``!Sub``...) as plain values, and refuses
    a key given twice in one mapping (osls refuses it; PyYAML would keep the last)."""

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


def _normal(value: Any) -> Any:
    """Lists of dicts compared as sets: order carries no meaning in these schemas."""
    if isinstance(value, list):
        return sorted((_normal(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    return value


def test_the_deployed_events_table_matches_the_code() -> None:
    template = yaml.load(SERVERLESS.read_text(), Loader=_Loader)
    deployed = template["resources"]["Resources"]["EventsTable"]["Properties"]
    expected = table_definition(deployed["TableName"])
    for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode"):
        assert _normal(deployed[key]) == _normal(expected[key]), key
    assert deployed["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}
