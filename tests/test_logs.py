"""The log file: useful to support, and never holding a lead's personal data."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leaddesk.logs import LOG_FILE_NAME, redact, setup_logging
from leaddesk.sandbox import Faults, Sandbox

# Canary values: if any of them reaches the log, personal data leaked.
CANARIES = {
    "fname": "Canaryfirst",
    "lname": "Canarylast",
    "address1": "77 Canary Lane",
    "address2": "Suite Canary",
    "city": "Canaryville",
    "zip": "83702",
    "email": "canary.bird@example.com",
    "spouse": "Canaryspouse",
    "lead_comments": "Canary comment",
}
PHONES = ("2085550143", "208-555-0143", "(208) 555-0143")


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("mail canary.bird@example.com failed", "canary.bird@example.com"),
        ("phone (208) 555-0143 refused", "555-0143"),
        ("phone 2085550143 refused", "2085550143"),
        ("zip+4 83702-1234", "83702-1234"),
        ("<lead><fname>Canaryfirst</fname><zip>83702</zip></lead>", "Canaryfirst"),
        ("<data><error>Canarylast is taken</error></data>", "Canarylast"),
        ("1 validation error: input_value='Canaryfirst', input_type=str", "Canaryfirst"),
    ],
)
def test_redact_blanks_personal_data(text: str, leaked: str) -> None:
    assert leaked not in redact(text)


def test_redact_keeps_what_support_needs() -> None:
    line = "post to secure.securitytrax.com: HTTP 500 in 0.42 s: lead 12 unconfirmed"
    assert redact(line) == line


def test_log_file_rotates_and_redacts_even_exception_text(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs", debug=True)
    assert path is not None
    logger = logging.getLogger("leaddesk.test")
    try:
        raise ValueError("bad email canary.bird@example.com for (208) 555-0143")
    except ValueError:
        logger.exception("sending failed for lead 3")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "sending failed for lead 3" in text
    assert "ValueError" in text
    assert "canary.bird" not in text and "555-0143" not in text


def test_a_send_with_faults_logs_no_personal_data(tmp_path: Path) -> None:
    """The whole command line path, at --debug, with rejections and server errors."""
    home = tmp_path / "home"
    csv = tmp_path / "leads.csv"
    header = ["source_id", "state", "phone1", *CANARIES]
    rows = [["1", "ID", phone, *CANARIES.values()] for phone in PHONES]
    csv.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    env = dict(os.environ, LEADDESK_HOME=str(home))
    with Sandbox(faults=Faults(reject_rate=0.5, error_rate=0.3, seed=7)) as sandbox:
        config = home / "config" / "leaddesk.toml"
        config.parent.mkdir(parents=True)
        config.write_text("[sending]\nbatch_size = 1\nduplicate_days = 0\n", encoding="utf-8")
        for command in (
            ["--debug", "send", str(csv), "--url", sandbox.url()],
            ["--debug", "history", "--json"],
            ["--debug", "show", "1", "--json"],
        ):
            subprocess.run(
                [sys.executable, "-m", "leaddesk", *command],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        assert sandbox.posts >= len(PHONES), "the leads really were posted"
    text = (home / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "post to 127.0.0.1" in text, "the log tells what was sent, by id"
    for canary in (*CANARIES.values(), *PHONES, "555-0143", "5550143"):
        assert canary not in text, f"{canary!r} leaked into the log"
