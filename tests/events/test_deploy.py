"""serverless.yml's events table is the table the code writes: same keys, same indexes."""

from __future__ import annotations

from typing import Any

from emailstatus.events.dynamodb import table_definition
from testkit.serverless_yml import serverless_template


def _normal(value: Any) -> Any:
    """Lists of dicts compared as sets: order carries no meaning in these schemas."""
    if isinstance(value, list):
        return sorted((_normal(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    return value


def test_the_deployed_events_table_matches_the_code() -> None:
    template = serverless_template()
    deployed = template["resources"]["Resources"]["EventsTable"]["Properties"]
    expected = table_definition(deployed["TableName"])
    for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode"):
        assert _normal(deployed[key]) == _normal(expected[key]), key
    assert deployed["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}
