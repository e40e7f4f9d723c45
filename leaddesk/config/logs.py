"""LeadDesk's log: a rotating file in the user log folder, for support and for IT.

Personal data never belongs in it. The code logs lead ids, states, hosts and timings,
never field values; as a second line of defence, every record passes through a filter
that blanks what looks like an email address, a phone or ZIP number, or a lead field in a
request or reply XML, whatever a third-party library or an exception message put there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from leaddesk.domain.fields import FIELD_NAMES

LOG_FILE_NAME = "leaddesk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phones as people write them, ZIP+4, and any run of 7 or more digits.
_NUMBER = re.compile(
    r"(?<!\w)(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?!\w)"
    r"|(?<!\w)\d{5}-\d{4}(?!\w)|\d{7,}"
)
# A lead field, or a reply's <data> with everything in it, in request or reply XML.
_FIELD_XML = re.compile(rf"<({'|'.join(FIELD_NAMES)}|data)>.*?</\1>", re.DOTALL)
_PYDANTIC_INPUT = re.compile(r"input_value=(?:'[^']*'|\"[^\"]*\"|\S+)")


def redact(text: str) -> str:
    text = _FIELD_XML.sub(lambda match: f"<{match.group(1)}>…</{match.group(1)}>", text)
    text = _PYDANTIC_INPUT.sub("input_value=…", text)
    text = _EMAIL.sub("<email>", text)
    return _NUMBER.sub("<number>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.msg, record.args = message, None
        return True


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Opens each log file readable by its owner only, rotated ones included, and tightens
    a file an older LeadDesk left readable by others.

    When the file cannot be written (a full disk, a folder gone read-only), it says so once
    in one plain line and stops logging, rather than print a traceback for every record
    (logging's default) in front of the message the user needs.
    """

    failed = False

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):  # never chmod a device the path leads to
                os.fchmod(fd, 0o600)
        except OSError:
            pass  # someone else's file: it is written as it is
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if self.failed:
            return
        self.failed = True
        error = sys.exc_info()[1]
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        _stop_logging(f"cannot write the log file {self.baseFilename} ({reason})", self)
        with contextlib.suppress(Exception):  # closing flushes, which fails the same way
            self.close()


def _stop_logging(why: str, failed: logging.Handler | None = None) -> None:
    """Go on without a log file: one line on stderr; records go nowhere, not to logging's
    last-resort printer (which would print each warning a second time, unredacted)."""
    root = logging.getLogger()
    quiet = logging.NullHandler()
    quiet.leaddesk = True  # type: ignore[attr-defined]
    # A new list: the failed handler's caller may be iterating over the old one.
    kept = [h for h in root.handlers if h is not failed and not getattr(h, "leaddesk", False)]
    root.handlers = [*kept, quiet]
    with contextlib.suppress(Exception):
        sys.stderr.write(f"leaddesk: {why}; going on without a log.\n")
        sys.stderr.flush()


def setup_logging(log_dir: Path, debug: bool = False) -> Path | None:
    """Log to the rotating file (DEBUG with --debug, else INFO); the file's path, or None
    when the folder cannot be written (LeadDesk works on without a log, and says so once)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    path = log_dir / LOG_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        _stop_logging(f"cannot write the log in {log_dir} ({error.strerror or error})")
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    for old in [h for h in root.handlers if getattr(h, "leaddesk", False)]:
        root.removeHandler(old)
        old.close()
    handler.leaddesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    # urllib3 logs every connection at DEBUG; the send loop logs what matters.
    logging.getLogger("urllib3").setLevel(logging.INFO if debug else logging.WARNING)
    return path
