"""``emailstatus explain``: one reply as text or JSON, ``--batch`` JSON Lines, bad input."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import threading
from typing import IO

import pytest

from emailstatus.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main

BOUNCE = "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str | None = None
) -> tuple[int, str, str]:
    if stdin is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(stdin))
            code = main(argv)
    else:
        code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_text_says_the_reason_who_acts_and_the_next_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["explain", BOUNCE], capsys)
    assert code == EXIT_OK
    assert out.startswith("The mailbox does not exist (userunknown)\n")
    assert "Who acts:    the customer" in out
    assert "Codes:       550 5.1.1" in out
    assert "Next step:   Confirm the spelling" in out


def test_json_has_every_field_of_the_reading(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["explain", "--format", "json", "452 4.2.2 mailbox full"], capsys)
    assert code == EXIT_OK
    assert json.loads(out) == {
        "reason": "mailboxfull",
        "who": "customer",
        "final": False,
        "provider": None,
        "status_code": "4.2.2",
        "reply_code": 452,
        "basis": "wording",
        "stage": None,
        "headline": "The mailbox is full",
        "explanation": "The recipient's mailbox is full. That is temporary: once space is "
        "freed, mail gets through.",
        "next_step": "Tencent retries for up to 72 hours; ask the customer to free space in "
        "their mailbox.",
    }


def test_a_dash_reads_the_text_from_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["explain", "-"], capsys, stdin="550 User suspended\n")
    assert code == EXIT_OK
    assert out.startswith("The mailbox is disabled (suspend)")


def test_batch_answers_every_line_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        json.dumps({"id": "a", "text": BOUNCE}),
        json.dumps({"text": "550 Mailbox not found. http://service.exmail.qq.com/help"}),
        "not json",
        json.dumps({"txt": "typo"}),
        json.dumps({"id": 5, "text": ""}),
        json.dumps({"text": "501 5.1.8 Sender address rejected"}),
    ]
    code, out, _ = run(["explain", "--batch"], capsys, stdin="\n".join(lines) + "\n")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == EXIT_FAILED  # some lines could not be read; the rest still were
    assert [answer.get("reason") for answer in answers] == [
        "userunknown",
        "userunknown",
        None,
        None,
        None,
        "rejected",
    ]
    assert answers[0]["id"] == "a"
    assert answers[1]["provider"] == "Tencent Exmail"
    assert answers[2] == {"line": 3, "error": 'not JSON: expected {"text": "..."}'}
    assert answers[3] == {"line": 4, "error": 'expected an object with a "text" string'}
    assert answers[4]["id"] == 5 and "no text to read" in answers[4]["error"]
    assert answers[5]["who"] == "sender"


def test_a_clean_batch_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["explain", "--batch"], capsys, stdin=json.dumps({"text": BOUNCE}) + "\n")
    assert (code, len(out.splitlines())) == (EXIT_OK, 1)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["explain"], "What should I read?"),
        (["explain", ""], "There is no text to read"),
        (["explain", "x" * 10_001], "paste at most 10,000"),
        (["explain", "550 \x00 nope"], "U+0000"),
        (["explain", "--batch", BOUNCE], "--batch reads stdin"),
    ],
    ids=["nothing", "empty", "too long", "binary", "batch with text"],
)
def test_bad_input_is_a_usage_error(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == EXIT_USAGE
    assert out == ""
    assert says in err
    assert "Usage: emailstatus explain" in err


def test_a_reader_that_goes_away_gets_no_traceback() -> None:
    """``emailstatus explain --batch … | head -1``: the pipe closes after one line; the command
    stops quietly, as Unix tools do, instead of printing a BrokenPipeError traceback."""
    lines = "".join(json.dumps({"text": "550 5.1.1 user unknown"}) + "\n" for _ in range(20_000))
    command = [sys.executable, "-m", "emailstatus.cli", "explain", "--batch"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdin is not None and child.stdout is not None and child.stderr is not None
        feeder = threading.Thread(target=_feed, args=(child.stdin, lines.encode()))
        feeder.start()
        first = child.stdout.readline()
        child.stdout.close()  # the reader goes away
        feeder.join()
        errors = child.stderr.read().decode()
        child.wait(timeout=30)
    assert b'"reason": "userunknown"' in first
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def _feed(stdin: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(BrokenPipeError):
        stdin.write(data)
        stdin.close()
