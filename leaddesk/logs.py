"""LeadDesk's log: a rotating file in the user log folder, for support and for IT.

Personal data never belongs in it. The code logs lead ids, states, hosts and timings,
never field values; as a second line of defence, every record passes through a filter
that blanks what looks like an email address, a phone or ZIP number, or a lead field in a
request or reply XML, whatever a third-party library or an exception message put there.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from leaddesk.fields import FIELD_NAMES

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
    """Opens each log file readable by its owner only, rotated ones included."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(log_dir: Path, debug: bool = False) -> Path | None:
    """Log to the rotating file (DEBUG with --debug, else INFO); the file's path, or None
    when the folder cannot be written (LeadDesk works on without a log)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    path = log_dir / LOG_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
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
