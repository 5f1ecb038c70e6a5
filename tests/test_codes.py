"""The code tables cover every code the reference pages name, and read each one usefully.

The codes are parsed from the reference pages themselves (SES-REFERENCE.md and the API seed
page) so the tables cannot silently drift from them.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from emailstatus.errors import SesError
from emailstatus.knowledge.codes import (
    API_ERRORS,
    DELIVER_STATUS,
    INCOMPLETE_RESPONSE,
    MALFORMED_RESPONSE,
    NO_RELATED_RECORD,
    RETENTION,
    SEND_STATUS,
    Actor,
    deliver_status_info,
    error_info,
    send_status_info,
)
from emailstatus.knowledge.records import EmailRecord
from emailstatus.render.terminal import render_error
from emailstatus.verdict import State, judge

#: Snapshots of the shared reference pages (tests/data/README.md says where from).
DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "ses-reference.md"
API_PAGE = DATA / "getsendemailstatus-api-page.txt"

#: Retried with backoff, per SES-REFERENCE "Errors": these and nothing else.
RETRYABLE = {
    "RequestLimitExceeded",
    "InternalError",
    "ServiceUnavailable",
    "FailedOperation.ServiceNotAvailable",
    "ClientNetworkError",
    "ServerNetworkError",
    # Answers that cannot be trusted (garbled JSON, a success without its list) are treated
    # like a network fault: retried a bounded number of times, never read as "no emails".
    "MalformedResponse",
    "IncompleteResponse",
    "JSONDecodeError",
    "KeyError",
    "TypeError",
}
RETRYABLE_FAMILIES = ("RequestLimitExceeded.", "InternalError")

_BACKTICKED = re.compile(r"`([A-Z][A-Za-z]*(?:\.[A-Za-z]+)*)(\.\*|\*)?`")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of the same or higher level."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading)
    following = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE)
    end = following.search(text, start + len(heading))
    return text[start : end.start() if end else len(text)]


def _table_codes(section: str) -> set[int]:
    """Integer codes in the first column of a markdown table ("| 1001, 1002 | ... |")."""
    codes: set[int] = set()
    for line in section.splitlines():
        cell = line.split("|")[1].strip() if line.startswith("|") else ""
        if re.fullmatch(r"\d+(?:,\s*\d+)*", cell):
            codes.update(int(code) for code in cell.split(","))
    return codes


def _reference_error_codes(reference: str) -> list[tuple[str, bool]]:
    """Backticked error codes in the Errors section and the TC3 rejects: (code, is_family)."""
    errors = _section(reference, "## Errors")
    rejects_at = reference.index("Reject:", reference.index("## TC3"))
    tc3_rejects = reference[rejects_at : reference.index("\n\n", rejects_at)]
    return [(code, bool(star)) for code, star in _BACKTICKED.findall(errors + tc3_rejects)]


def _seed_error_codes() -> list[str]:
    """The error-code list at the end of the GetSendEmailStatus API page."""
    page = _read(API_PAGE)
    lines = page.split("Error Code Description", 1)[1].splitlines()
    codes = []
    for line in filter(None, (line.strip() for line in lines)):
        match = re.match(r"([A-Z][A-Za-z]+(?:\.[A-Za-z]+)?) [A-Z]", line)
        if match is None:
            break
        codes.append(match.group(1))
    return codes


# --- coverage of the reference pages ------------------------------------------------------


def test_every_send_status_in_the_reference_is_known() -> None:
    codes = _table_codes(_section(_read(REFERENCE), "### SendStatus"))
    assert {0, 1007, 3030, 3033} <= codes  # the parse found the table
    assert codes <= SEND_STATUS.keys()


def test_every_deliver_status_in_the_reference_is_known() -> None:
    codes = _table_codes(_section(_read(REFERENCE), "### DeliverStatus"))
    assert codes == {0, 1, 2, 3, 8}
    assert codes <= DELIVER_STATUS.keys()


def test_send_status_matches_the_sdk_docs() -> None:
    """The SDK's SendEmailStatus docstring lists these; the source wins over the pages."""
    sdk = {0, *range(1001, 1012), 1013, 2001, 3007, 3008, 3009, 3010, 3014, 3020, 3024, 3030}
    assert sdk | {3033} == set(SEND_STATUS)


def test_every_error_code_in_the_reference_is_known() -> None:
    codes = _reference_error_codes(_read(REFERENCE))
    assert ("RequestLimitExceeded", False) in codes  # the parse found the section
    for code, is_family in codes:
        assert code in API_ERRORS, f"{code}{'.*' if is_family else ''} has no entry"


def test_every_error_code_on_the_api_page_is_known() -> None:
    codes = _seed_error_codes()
    assert "FailedOperation.NotSupportDate" in codes  # the parse found the list
    assert sorted(set(codes) - API_ERRORS.keys()) == []


def test_every_sdk_error_code_resolves_to_an_entry_or_its_family() -> None:
    """The SDK's errorcodes.py, read as text (these modules never import the SDK)."""
    spec = importlib.util.find_spec("tencentcloud.ses.v20201002.errorcodes")
    assert spec is not None and spec.origin is not None  # a dependency: always installed
    codes = re.findall(r"^[A-Z_]+ = '([^']+)'", Path(spec.origin).read_text(), re.MULTILINE)
    assert "FAILEDOPERATION_NOTSUPPORTDATE" in Path(spec.origin).read_text()  # read it at all
    unknown = [code for code in codes if error_info(code).headline.startswith("Tencent answered")]
    assert unknown == []


def test_retry_bullet_of_the_reference_is_retryable_and_never_retry_bullets_are_not() -> None:
    errors = _section(_read(REFERENCE), "## Errors")
    for bullet in errors.split("\n- ")[1:]:
        retry = bullet.startswith("Retry")
        for code, _family in _BACKTICKED.findall(bullet):
            assert error_info(code).retryable is retry, code


# --- every code reaches the reader with a step --------------------------------------------


def test_every_tencent_error_is_answered_with_who_acts_and_a_step() -> None:
    """What ``emailstatus check`` prints for each error code Tencent or the SDK can give: the
    explanation, who must act and what to do, and the code itself for whoever escalates."""
    for code in API_ERRORS:
        printed = render_error(SesError(code, "", "req-1")).splitlines()
        assert printed[0].startswith("error: ") and len(printed[0]) > len("error: ") + 10, code
        assert printed[1].startswith("next step ("), code
        assert f"code: {code} " in "\n".join(printed), code


def test_every_refusal_code_reads_as_a_refusal_with_its_own_step() -> None:
    """An email Tencent refused with any SendStatus is answered as refused (2001, "no related
    record", as unknown), headed by the code's own words, with the code's own next step."""
    for code, info in SEND_STATUS.items():
        if code == 0:
            continue
        record = EmailRecord(
            message_id="qcloudses-30-1234567-date-20240531190000-abcDEF",
            to_address="alice@example.com",
            from_address="noreply@mail.example.com",
            send_status=code,
            deliver_status=0,
            deliver_message="",
            requested_at=None,
            delivered_at=None,
            opened=False,
            clicked=False,
            unsubscribed=False,
            complained=False,
        )
        verdict = judge([record])
        expected = State.UNKNOWN if code == NO_RELATED_RECORD else State.REFUSED
        assert verdict.state is expected, code
        assert verdict.headline.endswith(info.headline.partition(": ")[2] or info.headline), code
        assert verdict.next_step == info.next_step, code


def test_retryable_is_exactly_the_transient_codes() -> None:
    for code, info in API_ERRORS.items():
        expected = code in RETRYABLE or code.startswith(RETRYABLE_FAMILIES)
        assert info.retryable is expected, code


@pytest.mark.parametrize("prefix", ["AuthFailure", "InvalidParameter", "MissingParameter"])
def test_auth_and_parameter_errors_are_never_retried(prefix: str) -> None:
    for code, info in API_ERRORS.items():
        if code.startswith(prefix):
            assert not info.retryable, code


@pytest.mark.parametrize(
    ("code", "actor"),
    [
        ("AuthFailure.SignatureExpire", Actor.OPERATOR),
        ("AuthFailure.UnauthorizedOperation", Actor.OPERATOR),
        ("UnauthorizedOperation", Actor.OPERATOR),
        ("UnsupportedRegion", Actor.OPERATOR),
        ("InvalidAction", Actor.OPERATOR),
        ("InvalidParameterValue.WrongDate", Actor.USER),
        ("FailedOperation.NotSupportDate", Actor.USER),
        ("MissingParameter", Actor.OPERATOR),  # we always send the required ones: our bug
        ("RequestLimitExceeded", Actor.OPERATOR),  # our own traffic, not Tencent's problem
        ("InternalError", Actor.TENCENT),
        ("ClientNetworkError", Actor.TENCENT),
        (MALFORMED_RESPONSE, Actor.TENCENT),
        (INCOMPLETE_RESPONSE, Actor.TENCENT),
    ],
)
def test_who_must_act(code: str, actor: Actor) -> None:
    assert error_info(code).actor is actor


def test_the_texts_carry_the_facts_support_needs() -> None:
    assert "NTP" in error_info("AuthFailure.SignatureExpire").next_step
    no_permission = error_info("AuthFailure.UnauthorizedOperation")
    assert "ses:GetSendEmailStatus" in no_permission.operator_note
    assert "infra/" not in no_permission.next_step  # operator detail stays in the small print
    retention = error_info("FailedOperation.NotSupportDate").explanation
    assert retention.startswith(f"{RETENTION},")
    assert "90" not in retention
    assert "custom blocklist" in SEND_STATUS[1007].explanation  # 1007 does not say which list
    assert "DeleteCustomBlackList" in SEND_STATUS[1007].operator_note
    assert "DeleteBlackList" not in SEND_STATUS[1007].next_step
    assert "GET and POST" in error_info("UnsupportedProtocol").explanation
    assert "bug in emailstatus" in error_info("MissingParameter").explanation
    assert "no related record" in SEND_STATUS[2001].headline
    assert "backoff" not in error_info("RequestLimitExceeded").explanation
    assert "hour" in SEND_STATUS[1006].next_step
    assert "bounce rate" in SEND_STATUS[3030].headline
    assert "does not exist" in DELIVER_STATUS[3].explanation


# --- lookups that never raise -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("AuthFailure.Xyz", "AuthFailure"),
        ("RequestLimitExceeded.UinLimitExceeded", "RequestLimitExceeded"),
        ("RequestLimitExceeded.GlobalRegionUinLimitExceeded", "RequestLimitExceeded"),
        ("InternalError.Foo", "InternalError"),
        ("InvalidParameterValue.Whatever", "InvalidParameterValue"),
        ("FailedOperation.ServiceNotAvailable.Extra", "FailedOperation.ServiceNotAvailable"),
        ("FailedOperation.Brandnew", "FailedOperation"),
    ],
)
def test_unknown_sub_codes_read_as_their_family(code: str, family: str) -> None:
    assert error_info(code) == API_ERRORS[family]


def test_family_lookup_keeps_retryability() -> None:
    assert error_info("RequestLimitExceeded.UinLimitExceeded").retryable
    assert error_info("InternalError.Foo").retryable
    assert not error_info("AuthFailure.Xyz").retryable


@pytest.mark.parametrize("code", ["SomethingNew", "Weird.Code.Here", ""])
def test_unknown_error_codes_get_a_generic_reading_that_names_them(code: str) -> None:
    info = error_info(code)
    assert not info.retryable
    assert info.actor is Actor.OPERATOR
    assert (code or "without a code") in info.headline
    assert info.next_step


@pytest.mark.parametrize("code", [-1, 5, 1012, 9999])
def test_unknown_status_codes_never_raise(code: int) -> None:
    assert f"unknown (code {code})" in send_status_info(code).headline
    assert f"unknown (code {code})" in deliver_status_info(code).headline
    assert send_status_info(code).next_step
    assert deliver_status_info(code).explanation


def test_known_status_lookups_return_the_table_entry() -> None:
    assert send_status_info(1007) is SEND_STATUS[1007]
    assert deliver_status_info(3) is DELIVER_STATUS[3]
