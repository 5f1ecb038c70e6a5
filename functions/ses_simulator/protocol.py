"""The Tencent Cloud API 3.0 envelope: error codes, their English messages, and response bodies.

Kept apart from the HTTP plumbing so every layer (signing, validation, faults) raises the same
``ApiError`` and the answer always has the exact shape the SDK parses.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

#: English messages as Tencent words them (the SES API page and the common error code list).
MESSAGES: Mapping[str, str] = {
    "AuthFailure.InvalidAuthorization": "The Authorization header is invalid.",
    "AuthFailure.SecretIdNotFound": (
        "The SecretId is not found, please ensure that your SecretId is correct."
    ),
    "AuthFailure.SignatureExpire": "Signature expired.",
    "AuthFailure.SignatureFailure": (
        "The provided credentials could not be validated. Please check your signature is correct."
    ),
    "AuthFailure.UnauthorizedOperation": "The request is not authorized by CAM.",
    "FailedOperation.EmailAddrInBlacklist": "The email address is in the blocklist.",
    "FailedOperation.ExceedSendLimit": "The number of emails exceeds the daily sending limit.",
    "FailedOperation.FrequencyLimit": (
        "You have sent too many emails to the same address in a short period."
    ),
    "FailedOperation.HighRejectionRate": (
        "The email has been blocked temporarily due to high rejection rate."
    ),
    "FailedOperation.InsufficientBalance": "Insufficient balance or account in arrears.",
    "FailedOperation.InvalidLimit": "Reached the query limit (100).",
    "FailedOperation.NotSupportDate": (
        "You cannot query email records for this date. Only data within 90 days can be queried."
    ),
    "FailedOperation.ServiceNotAvailable": "The service is not available.",
    "FailedOperation.TemporaryBlocked": (
        "The email push platform will suspend sending emails to the service provider for "
        "10 minutes due to the corresponding recipient service provider's limit. it will be "
        "automatically released after 10 minutes."
    ),
    "InternalError": "Internal error.",
    "InvalidAction": "The requested action does not exist.",
    "InvalidParameter": "Incorrect parameter.",
    "InvalidParameterValue": "Invalid parameter value.",
    "InvalidParameterValue.WrongDate": (
        "Incorrect search date. Make sure the date and its format are valid."
    ),
    "LimitExceeded": "The quota limit is exceeded.",
    "MissingParameter": "Missing parameter.",
    "NoSuchVersion": "The requested API version does not exist.",
    "OperationDenied": "Operation denied.",
    "RequestLimitExceeded": "The number of requests exceeds the frequency limit.",
    "ResourceUnavailable": "The resource is unavailable.",
    "ServiceUnavailable": "Service is unavailable now.",
    "UnknownParameter": "Unknown parameter error.",
    "UnsupportedOperation": "Unsupported operation.",
    "UnsupportedRegion": "The region is not supported by this API.",
}


class ApiError(Exception):
    """An error answer: raised anywhere in request handling, rendered once by the service."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message or message_for(code)
        super().__init__(f"{self.code}: {self.message}")


def message_for(code: str) -> str:
    """Tencent's message for ``code``, or a generic sentence for codes not in the table."""
    return MESSAGES.get(code) or f"The request failed with error code {code}."


def new_request_id() -> str:
    """A fresh RequestId; Tencent's are uuid4 strings."""
    return str(uuid.uuid4())


def success_body(payload: Mapping[str, Any], request_id: str) -> bytes:
    """``{"Response": {...payload, "RequestId": ...}}`` as UTF-8 JSON."""
    return _dump({"Response": {**payload, "RequestId": request_id}})


def error_body(error: ApiError, request_id: str) -> bytes:
    """``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` as UTF-8 JSON."""
    response = {"Error": {"Code": error.code, "Message": error.message}, "RequestId": request_id}
    return _dump({"Response": response})


def _dump(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
