"""The one place that talks to Tencent Cloud SES, through the official SDK.

Build one ``SesClient`` per process and share it (the Slack app caches its own): the SDK keeps
one HTTP session (and its connection pool) per client, and the rate limiter must be shared by
every caller in the process to mean anything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.ses.v20201002.ses_client import SesClient as SdkSesClient

from emailstatus.config import Settings, TencentCredentials
from emailstatus.errors import DeadlineError, SesError
from emailstatus.knowledge.blocklist_entries import (
    CUSTOM_STATUS_ALL,
    DELETE_CUSTOM,
    DELETE_TENCENT,
    LIST_CUSTOM,
    LIST_TENCENT,
    CustomEntry,
    TencentEntry,
)
from emailstatus.knowledge.codes import INCOMPLETE_RESPONSE, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE
from emailstatus.knowledge.records import EmailRecord
from emailstatus.knowledge.statistics import DailyVolume, parse_volumes
from emailstatus.privacy import quiet_request_dumpers
from emailstatus.results import (
    CUT_BY_DEADLINE,
    CUT_BY_PAGE_LIMIT,
    LOOKUP_MAX_PAGES,
    PAGE_SIZE,
    Lookup,
    Page,
)
from emailstatus.tencent import transport
from emailstatus.tencent.limiter import RateLimiter
from emailstatus.tencent.retry import RetryPolicy, call_with_retries
from emailstatus.tencent.walk import DayWalk

log = logging.getLogger(__name__)

STATUS_ACTION = "GetSendEmailStatus"
STATISTICS_ACTION = "GetStatisticsReport"
NOT_SUPPORTED_DATE = "FailedOperation.NotSupportDate"
#: The share of an action's rate the blocklist calls use (see ``SesClient.__init__``).
BLOCKLIST_RATE_SHARE = 0.9
T = TypeVar("T")


class SesClient:
    """``GetSendEmailStatus`` with paging, retries and a shared rate limit.

    Example::

        client = SesClient(load_settings())
        lookup = client.find([date(2026, 11, 28)], to_address="alice@example.com")
    """

    def __init__(
        self,
        settings: Settings,
        *,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        credentials: TencentCredentials | None = None,
    ) -> None:
        """``credentials``: another key than the lookup key (the operator's, for deletes)."""
        quiet_request_dumpers()  # the SDK logs whole requests at DEBUG
        credentials = credentials or settings.require_credentials()
        endpoint = urlsplit(settings.ses_endpoint)
        profile = ClientProfile(
            httpProfile=HttpProfile(
                protocol=endpoint.scheme,
                endpoint=endpoint.netloc,
                reqTimeout=settings.ses_timeout,
            ),
            language="en-US",
        )
        credential = Credential(
            credentials.secret_id, credentials.secret_key, credentials.session_token
        )
        self._sdk = SdkSesClient(credential, settings.ses_region, profile)
        # The SDK's one requests session (``ApiRequest.conn._session``): every exchange on it
        # gets a total time limit and a size cap (``tencent.transport``).
        transport.bound(self._sdk.request.conn._session, settings.ses_timeout)
        self.limiter = limiter or RateLimiter(settings.ses_rate)
        #: Tencent limits each action on its own (20/s each): the blocklist calls get their
        #: own limiters, so a check beside a lookup never waits for the lookup's turn. Evenly
        #: spaced turns at the full rate can still put 21 in one of Tencent's seconds: these
        #: extras keep a tenth in reserve, so they are never the call that gets throttled.
        self._action_limiters = {
            action: RateLimiter(settings.ses_rate * BLOCKLIST_RATE_SHARE)
            for action in (LIST_TENCENT, LIST_CUSTOM, DELETE_TENCENT, DELETE_CUSTOM)
        }
        self.retry = retry or RetryPolicy()

    def page(
        self,
        day: date,
        offset: int,
        *,
        to_address: str | None = None,
        message_id: str | None = None,
        share: RateLimiter | None = None,
        deadline: float | None = None,
    ) -> Page:
        """One page of a day, retried until it succeeds or fails for good.

        ``share`` is an extra, stricter limiter a caller may spend from (the digest's own
        share of the account's rate); the process-wide limiter is always honoured too.
        """
        params: dict[str, Any] = {
            "RequestDate": day.isoformat(),
            "Offset": offset,
            "Limit": PAGE_SIZE,
        }
        if to_address:
            params["ToEmailAddress"] = to_address
        if message_id:
            params["MessageId"] = message_id

        def parse(response: dict[str, Any]) -> Page:
            items = _list(response, "EmailStatusList")
            if not all(isinstance(item, dict) for item in items):
                raise SesError(MALFORMED_RESPONSE, "an email was not a JSON object")
            return Page(
                tuple(EmailRecord.from_api(item) for item in items),
                str(response.get("RequestId", "")),
            )

        return self._request(STATUS_ACTION, params, parse, share=share, deadline=deadline)

    def iter_day(
        self, day: date, *, rate: float | None = None, deadline: float | None = None
    ) -> DayWalk:
        """Every email of ``day``, pages fetched concurrently at up to ``rate`` requests/s.

        ``rate`` is the caller's share of the account's rate (the process-wide limiter is
        honoured as well); ``deadline`` is a ``time.monotonic()`` value. See ``tencent.walk``.
        """

        def fetch(offset: int, limiter: RateLimiter) -> Page:
            return self.page(day, offset, share=limiter, deadline=deadline)

        return DayWalk(
            fetch, rate=rate or self.limiter.ceiling, page_size=PAGE_SIZE, deadline=deadline
        )

    def statistics(
        self, start: date, end: date, *, deadline: float | None = None
    ) -> dict[date, DailyVolume]:
        """Tencent's daily totals (``GetStatisticsReport``) for ``start``..``end``, by day."""
        params = {"StartDate": start.isoformat(), "EndDate": end.isoformat()}

        def parse(response: dict[str, Any]) -> dict[date, DailyVolume]:
            return parse_volumes(_list(response, "DailyVolumes"))

        return self._request(STATISTICS_ACTION, params, parse, deadline=deadline)

    def iter_emails(
        self,
        day: date,
        *,
        to_address: str | None = None,
        message_id: str | None = None,
        deadline: float | None = None,
    ) -> Iterator[Page]:
        """Every page of one day for a filter, in order, stopping after the first short page."""
        offset = 0
        while True:
            page = self.page(
                day, offset, to_address=to_address, message_id=message_id, deadline=deadline
            )
            yield page
            if page.is_last:
                return
            offset += PAGE_SIZE

    def find(
        self,
        dates: Sequence[date],
        *,
        to_address: str | None = None,
        message_id: str | None = None,
        deadline: float | None = None,
        max_pages: int = LOOKUP_MAX_PAGES,
    ) -> Lookup:
        """All emails to ``to_address`` (or with ``message_id``) on ``dates``, newest first.

        A date Tencent no longer keeps (``NotSupportDate``) is noted and skipped while other
        dates still answer; when none does, the error is raised for the caller to explain.
        At ``deadline`` (``time.monotonic()``) or after ``max_pages``, what was read is returned
        with ``cut_short`` saying why; a failure before anything was read is raised. An email
        listed twice (offsets shifting under new mail) is kept once.
        """
        records: dict[tuple[str, str], EmailRecord] = {}
        request_ids: list[str] = []
        unsupported: list[date] = []
        read: list[date] = []
        last_refusal: SesError | None = None
        cut_short: str | None = None
        for day in dates:
            try:
                for page in self.iter_emails(
                    day, to_address=to_address, message_id=message_id, deadline=deadline
                ):
                    for record in page.records:
                        key = (record.message_id, record.to_address)
                        records[key if record.message_id else ("", str(len(records)))] = record
                    request_ids.append(page.request_id)
                    if len(request_ids) >= max_pages and not page.is_last:
                        cut_short = CUT_BY_PAGE_LIMIT
                        break
                else:
                    read.append(day)
            except SesError as error:
                if error.code != NOT_SUPPORTED_DATE:
                    if not _out_of_time(deadline) or not request_ids:
                        raise
                    cut_short = CUT_BY_DEADLINE
                else:
                    unsupported.append(day)
                    last_refusal = error
            except DeadlineError:
                if not request_ids:
                    raise
                cut_short = CUT_BY_DEADLINE
            if cut_short:
                break
        if last_refusal is not None and len(unsupported) == len(dates):
            raise last_refusal
        ordered = sorted(records.values(), key=lambda record: record.sort_key, reverse=True)
        return Lookup(
            tuple(ordered), tuple(request_ids), tuple(unsupported), cut_short, tuple(read)
        )

    def tencent_blocklist(
        self, address: str, start: date, end: date, *, deadline: float | None = None
    ) -> tuple[tuple[TencentEntry, ...], str]:
        """``address``'s entries on Tencent's blocklist bounced ``start``..``end`` (Beijing
        days), every page, and the last RequestId."""

        def page(offset: int) -> tuple[list[Any], int, str]:
            params = {
                "StartDate": start.isoformat(),
                "EndDate": end.isoformat(),
                "Offset": offset,
                "Limit": PAGE_SIZE,
                "EmailAddress": address,
            }
            return self._request(LIST_TENCENT, params, _listing("BlackList"), deadline=deadline)

        items, request_id = _all_pages(page)
        return tuple(TencentEntry.from_api(item) for item in items), request_id

    def blocklist_joined(self, day: date, *, deadline: float | None = None) -> int:
        """How many addresses bounced onto Tencent's blocklist on ``day``: one call's
        ``TotalCount``."""
        params = {
            "StartDate": day.isoformat(),
            "EndDate": day.isoformat(),
            "Offset": 0,
            "Limit": 1,
        }
        _, total, _ = self._request(LIST_TENCENT, params, _listing("BlackList"), deadline=deadline)
        return total

    def custom_blocklist(
        self, address: str, *, deadline: float | None = None
    ) -> tuple[tuple[CustomEntry, ...], str]:
        """``address``'s entries on the account's custom blocklist, expired ones too."""

        def page(offset: int) -> tuple[list[Any], int, str]:
            params = {
                "Offset": offset,
                "Limit": PAGE_SIZE,
                "Status": CUSTOM_STATUS_ALL,
                "Email": address,
            }
            return self._request(LIST_CUSTOM, params, _listing("Data"), deadline=deadline)

        items, request_id = _all_pages(page)
        return tuple(CustomEntry.from_api(item) for item in items), request_id

    def delete_from_tencent_blocklist(self, address: str) -> str:
        """``DeleteBlackList`` for one address (needs the operator key); its RequestId."""
        params = {"EmailAddressList": [address]}
        return self._request(DELETE_TENCENT, params, _request_id)

    def delete_from_custom_blocklist(self, address: str) -> str:
        """``DeleteCustomBlackList`` for one address (needs the operator key); its RequestId."""
        return self._request(DELETE_CUSTOM, {"Emails": [address]}, _request_id)

    def _request(
        self,
        action: str,
        params: dict[str, Any],
        parse: Callable[[dict[str, Any]], T],
        *,
        share: RateLimiter | None = None,
        deadline: float | None = None,
    ) -> T:
        """One action, paced by the limiters and retried; ``parse`` reads the ``Response``."""
        own = self._action_limiters.get(action, self.limiter)
        limiters = (own,) if share is None else (share, own)

        def attempt() -> T:
            for limiter in limiters:
                limiter.acquire(deadline)
            response = self._call(action, params, deadline)
            for limiter in limiters:
                limiter.on_success()
            return parse(response)

        def before_retry(error: SesError) -> None:
            if error.code.startswith("RequestLimitExceeded"):
                for limiter in limiters:
                    limiter.on_throttled()
            log.warning(
                "SES call failed, retrying",
                extra={"code": error.code, "request_id": error.request_id},
            )

        return call_with_retries(attempt, self.retry, deadline=deadline, on_retry=before_retry)

    def _call(self, action: str, params: dict[str, Any], deadline: float | None) -> dict[str, Any]:
        """One SDK call within ``deadline``, its failures turned into ``SesError``s."""
        try:
            with transport.time_limit(deadline):
                response = self._sdk.call_json(action, params)
        except TencentCloudSDKException as error:
            raise _from_sdk(error) from None
        except ValueError:  # the body was not JSON: a proxy page, a cut-off answer
            raise SesError(MALFORMED_RESPONSE, "the answer was not valid JSON") from None
        except (KeyError, TypeError, AttributeError, IndexError):
            # The SDK reads ``Response.Error.Code/Message`` and ``RequestId`` unguarded: ``{}``,
            # an error without a Message, or a JSON array raise bare lookup errors there.
            raise SesError(MALFORMED_RESPONSE, "the answer was not a Response object") from None
        body = response.get("Response") if isinstance(response, dict) else None
        if not isinstance(body, dict):
            raise SesError(MALFORMED_RESPONSE, "the answer had no Response object")
        return body


def _list(response: dict[str, Any], key: str) -> list[Any]:
    """A list the API promises; a success without it is suspicious, not "nothing"."""
    items = response.get(key)
    if not isinstance(items, list):
        raise SesError(INCOMPLETE_RESPONSE, f"{key} missing", response.get("RequestId"))
    return items


def _listing(key: str) -> Callable[[dict[str, Any]], tuple[list[Any], int, str]]:
    """A parser of one list page: its JSON objects, ``TotalCount`` and RequestId."""

    def parse(response: dict[str, Any]) -> tuple[list[Any], int, str]:
        items = _list(response, key)
        if not all(isinstance(item, dict) for item in items):
            raise SesError(MALFORMED_RESPONSE, f"an entry of {key} was not a JSON object")
        total = response.get("TotalCount")
        count = total if isinstance(total, int) and not isinstance(total, bool) else len(items)
        return items, count, str(response.get("RequestId", ""))

    return parse


def _all_pages(
    page: Callable[[int], tuple[list[Any], int, str]],
) -> tuple[list[Any], str]:
    """Every item of a paged list call, until a short page or ``TotalCount`` is reached
    (at most ``LOOKUP_MAX_PAGES`` pages: one address has a handful of entries)."""
    items: list[Any] = []
    request_id = ""
    for number in range(LOOKUP_MAX_PAGES):
        found, total, request_id = page(number * PAGE_SIZE)
        items.extend(found)
        if len(found) < PAGE_SIZE or len(items) >= total:
            break
    return items, request_id


def _request_id(response: dict[str, Any]) -> str:
    return str(response.get("RequestId", ""))


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline - 0.05


def _from_sdk(error: TencentCloudSDKException) -> SesError:
    bound = transport.exceeded(error)
    if isinstance(bound, transport.ResponseTooLargeError):
        return SesError(RESPONSE_TOO_LARGE, str(bound))
    if isinstance(bound, transport.TooSlowError):
        return SesError("ClientNetworkError", str(bound))
    code = str(error.code or "ClientError")
    message = error.message if isinstance(error.message, str) else "non-JSON error body"
    return SesError(code, message[:300], error.requestId or None)
