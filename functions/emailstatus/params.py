"""``emailstatus params put --stage S``: write the deployment's secrets to SSM Parameter Store.

The deployed functions read four SecureString parameters under ``/emailstatus/<stage>/``
(see ``emailstatus.secrets``). This writes them with boto3, taking each value from its
environment variable when set (scripts, CI, the local stack) and otherwise asking with
``getpass`` (no echo). Nothing it prints or raises ever contains a value: only parameter names
and versions.
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from emailstatus.errors import ConfigError
from emailstatus.secrets import OPERATOR_KEY_PARAMETERS, SECRET_PARAMETERS, stage_path

#: A cheap sanity check per value, so a token pasted into the wrong prompt is caught before it
#: breaks the deployment. Only the rule is ever shown, never the value.
_PREFIXES: Mapping[str, str] = {
    "SLACK_BOT_TOKEN": "xoxb-",
    "TENCENTCLOUD_SECRET_ID": "AKID",
    "TENCENTCLOUD_OPERATOR_SECRET_ID": "AKID",
}

Prompt = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Written:
    """One parameter written: its full name and the version SSM gave it."""

    name: str
    version: int


def collect_values(environ: Mapping[str, str], prompt: Prompt | None) -> dict[str, str]:
    """Each secret from its environment variable, else from ``prompt``; validated, not echoed.

    ``prompt`` is ``None`` when nobody can answer (no terminal): then every variable must be set.
    """
    values: dict[str, str] = {}
    missing = [var for var in SECRET_PARAMETERS.values() if not environ.get(var, "").strip()]
    if missing and prompt is None:
        raise ConfigError(
            f"No terminal to ask for {', '.join(missing)}.",
            next_step="Set those environment variables, or run this in a terminal.",
        )
    for name, var in SECRET_PARAMETERS.items():
        value = environ.get(var, "").strip()
        if not value and prompt is not None:
            value = prompt(f"{var} (for {name}, input hidden): ").strip()
        if not value:
            raise ConfigError(f"{var} is empty.", next_step=f"Provide a value for {var}.")
        _check_prefix(var, value)
        values[var] = value
    values.update(_operator_key(environ, prompt))
    return values


def _operator_key(environ: Mapping[str, str], prompt: Prompt | None) -> dict[str, str]:
    """The optional operator key (both halves or neither): from the environment, else asked
    once on a terminal, where Enter skips it (then nobody can remove from a blocklist)."""
    values = {var: environ.get(var, "").strip() for var in OPERATOR_KEY_PARAMETERS.values()}
    if not any(values.values()) and prompt is not None:
        for name, var in OPERATOR_KEY_PARAMETERS.items():
            values[var] = prompt(f"{var} (for {name}, input hidden; Enter to skip): ").strip()
            if not values[var]:
                break
    if not any(values.values()):
        return {}
    for var, value in values.items():
        if not value:
            raise ConfigError(
                f"{var} is empty but its partner is set.",
                next_step="Give both halves of the operator key, or neither.",
            )
        _check_prefix(var, value)
    return values


def _check_prefix(var: str, value: str) -> None:
    prefix = _PREFIXES.get(var)
    if prefix and not value.startswith(prefix):
        raise ConfigError(
            f"{var} does not start with {prefix!r}; is it the right value?",
            next_step=f"Check the value you gave for {var} and run this again.",
        )


def put_parameters(
    stage: str,
    values: Mapping[str, str],
    *,
    client: Any,
    kms_key_id: str | None = None,
) -> list[Written]:
    """Write (or overwrite: rotation) each secret as a SecureString under the stage's path."""
    path = stage_path(stage)
    written: list[Written] = []
    for name, var in {**SECRET_PARAMETERS, **OPERATOR_KEY_PARAMETERS}.items():
        if var not in values:
            continue
        description = f"emailstatus {stage}: {var}"
        written.append(_put_secure(client, path + name, values[var], description, kms_key_id))
    return written


def run_put(
    stage: str,
    *,
    region: str | None = None,
    kms_key_id: str | None = None,
    environ: Mapping[str, str] | None = None,
    prompt: Prompt | None = None,
    interactive: bool | None = None,
) -> list[Written]:
    """The ``params put`` command: collect, write, and return what was written."""
    env = os.environ if environ is None else environ
    if interactive is None:
        interactive = sys.stdin.isatty()
    ask = (prompt or getpass.getpass) if interactive else None
    values = collect_values(env, ask)
    client = ssm_client(region)
    try:
        return put_parameters(stage, values, client=client, kms_key_id=kms_key_id)
    except BotoCoreError as error:
        raise ConfigError(
            f"Could not reach SSM ({type(error).__name__}).",
            next_step="Check AWS credentials, AWS_REGION and the network (or AWS_ENDPOINT_URL).",
        ) from None


@dataclass(frozen=True, slots=True)
class TokenRotation:
    """A new callback token, written; the one it replaces is still accepted until finished."""

    token: str
    written: list[Written]
    kept_previous: bool


def put_events_token(stage: str, *, client: Any, kms_key_id: str | None = None) -> TokenRotation:
    """Write a new random callback token; the current one (if any) becomes the previous one,
    still accepted, so callbacks keep arriving while Tencent's console is switched over."""
    path = stage_path(stage)
    current = None
    try:
        answer = client.get_parameter(Name=path + "events-token", WithDecryption=True)
        current = answer["Parameter"]["Value"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise _write_failed(path + "events-token", error) from None
    token = secrets.token_urlsafe(32)
    values = {"events-token": token}
    if current:
        values["events-token-previous"] = current
    description = f"emailstatus {stage}: event callback token"
    written = [
        _put_secure(client, path + name, value, description, kms_key_id)
        for name, value in sorted(
            values.items(), key=lambda item: item[0] != "events-token-previous"
        )
    ]
    return TokenRotation(token, written, kept_previous=bool(current))


def finish_events_token_rotation(stage: str, *, client: Any) -> bool:
    """Stop accepting the previous callback token; False when there was none."""
    name = stage_path(stage) + "events-token-previous"
    try:
        client.delete_parameter(Name=name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
            return False
        raise _write_failed(name, error) from None
    return True


def ssm_client(region: str | None) -> Any:
    """An SSM client, or a ``ConfigError`` saying what to configure."""
    try:
        return boto3.session.Session(region_name=region).client("ssm")
    except BotoCoreError as error:
        raise ConfigError(
            f"Could not create an SSM client ({type(error).__name__}).",
            next_step="Pass --region or set AWS_REGION, and configure AWS credentials.",
        ) from None


def _put_secure(
    client: Any, name: str, value: str, description: str, kms_key_id: str | None
) -> Written:
    """Write one SecureString (overwriting: rotation), with the customer key when given, through
    Powertools' SSM provider (the same library the functions read it back with)."""
    from aws_lambda_powertools.utilities.parameters import SSMProvider
    from aws_lambda_powertools.utilities.parameters.exceptions import SetParameterError

    # Its type hints demand a KMS key for SecureString, but its code (and SSM) take none and
    # use the account's aws/ssm key: typed as Any to call it as the code allows.
    provider: Any = SSMProvider(boto3_client=client)
    try:
        response = provider.set(
            name,
            value,
            overwrite=True,
            description=description,
            parameter_type="SecureString",
            kms_key_id=kms_key_id,
        )
    except SetParameterError as error:
        if isinstance(error.__cause__, ClientError):
            raise _write_failed(
                name, error.__cause__, needs="ssm:PutParameter permission"
            ) from None
        raise
    return Written(name, int(response.get("Version", 0)))


def _write_failed(
    name: str,
    error: ClientError,
    needs: str = "ssm:GetParameter/PutParameter/DeleteParameter permissions",
) -> ConfigError:
    code = error.response.get("Error", {}).get("Code", "ClientError")
    return ConfigError(
        f"Could not write {name} ({code}).",
        next_step=f"Check your AWS credentials, region and {needs}.",
    )
