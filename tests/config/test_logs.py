"""The log file: useful to support, and never holding a lead's personal data."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.config.logs import LOG_FILE_NAME, redact, setup_logging
from leaddesk.sandbox import Faults, Sandbox
from tests.support.disk import fill, tmpfs

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


# --- a log that cannot be written, and one left readable by others --------------------------


def test_an_existing_log_file_readable_by_others_is_tightened(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    old = log_dir / LOG_FILE_NAME
    old.write_text("written by an older LeadDesk\n", encoding="utf-8")
    old.chmod(0o644)
    assert setup_logging(log_dir) == old
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert old.read_text(encoding="utf-8").startswith("written by an older LeadDesk")


def leaddesk(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leaddesk", *args],
        env=dict(os.environ, LEADDESK_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_plain_line_about_the_log(stderr: str, *then: str) -> None:
    """The log's problem in one line, then the command's own messages, each once."""
    assert "Logging error" not in stderr and "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 + len(then), stderr
    assert lines[0].startswith("leaddesk: cannot write the log"), stderr
    assert lines[0].endswith("; going on without a log."), stderr
    for line, expected in zip(lines[1:], then, strict=True):
        assert line.startswith(expected), stderr


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB file system, filled up (needs root and permission to mount)."""
    with tmpfs(tmp_path / "home" / "logs", "64k") as mount_point:
        fill(mount_point)
        yield mount_point


def test_a_full_disk_says_so_once_and_then_the_commands_message(
    tiny_tmpfs: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.csv"
    result = leaddesk(tiny_tmpfs.parent, "send", str(missing))
    assert result.returncode == 2
    assert_one_plain_line_about_the_log(result.stderr, "leaddesk: No destination URL")
    assert "No space left on device" in result.stderr.splitlines()[0]


def test_a_log_file_on_a_device_that_is_always_full(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    mode_before = Path("/dev/full").stat().st_mode
    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    (home / "logs" / LOG_FILE_NAME).symlink_to("/dev/full")
    listing = leaddesk(home, "history")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout == "No leads yet.\n"
    assert_one_plain_line_about_the_log(listing.stderr)
    missing = tmp_path / "missing.csv"
    sending = leaddesk(home, "send", str(missing))
    assert_one_plain_line_about_the_log(sending.stderr, "leaddesk: No destination URL")
    assert Path("/dev/full").stat().st_mode == mode_before, "a device is never chmodded"


def test_a_log_folder_that_cannot_be_written_says_so_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "logs").write_text("a file where the log folder should be", encoding="utf-8")
    missing = tmp_path / "missing.csv"
    result = leaddesk(home, "send", str(missing))
    assert result.returncode == 2
    assert_one_plain_line_about_the_log(result.stderr, "leaddesk: No destination URL")


def test_a_read_only_log_folder_says_so_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log_dir = home / "logs"
    log_dir.mkdir(parents=True)
    if os.geteuid() == 0:  # root writes through permissions: a read-only mount instead
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(log_dir)],
            capture_output=True,
            check=False,
        )
        if made.returncode != 0:
            pytest.skip(f"root, and cannot mount a read-only tmpfs: {made.stderr!r}")
    else:
        log_dir.chmod(0o500)
    try:
        missing = tmp_path / "missing.csv"
        result = leaddesk(home, "send", str(missing))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(log_dir)], check=True)
        else:
            log_dir.chmod(0o700)
    assert result.returncode == 2
    assert_one_plain_line_about_the_log(result.stderr, "leaddesk: No destination URL")


def test_the_log_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name == LOG_FILE_NAME
