"""The history's file: opened with the owner's permissions only, brought to the current
schema, and what the disk or another process did told apart from bugs (StoreError, with
a message for people).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from leaddesk.domain.errors import StoreError
from leaddesk.domain.name_key import SQL_FUNCTION, name_key
from leaddesk.history.schema import MIGRATIONS, SCHEMA_VERSION


def open_history(path: Path) -> sqlite3.Connection:
    """A connection to an up-to-date history. What the disk or the file did is a
    StoreError, except "busy", left to the caller to wait out."""
    with environment_errors(path, let_busy_through=True):
        db = _connect(path)
        try:
            _migrate(db)
        except BaseException:
            db.close()
            raise
    return db


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can only read the history: it neither creates the file nor
    changes it (no schema update, no journal mode). sqlite3 errors are the caller's."""
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro",
        uri=True,
        timeout=5.0,
        isolation_level=None,
        check_same_thread=False,  # for interrupt() from another thread
    )


def is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Personal data: the file (and the -wal/-shm files SQLite gives the same mode) is the
    # owner's alone. Create it with that mode rather than fix it up afterwards. Only when
    # it is new: closing a descriptor of a file drops every POSIX lock this process holds
    # on it, those of its other Stores too, and another program closing the history then
    # takes itself for the last one and deletes the WAL under them.
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _check_writable(path)
    else:
        os.close(fd)
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    try:
        # Refuse a newer or damaged database before changing anything about it.
        _check_version(db, path)
        if os.name == "posix":  # an older file, or its -wal/-shm, may be readable by others
            for owned in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                if owned.exists():
                    owned.chmod(0o600)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        db.close()
        raise
    return db


def _check_writable(path: Path) -> None:
    """The OSError that opening the file to write would raise (a read-only disk, no
    permission), found without a descriptor to close, for the words of environment_errors."""
    if hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
    if not os.access(path, os.R_OK | os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def _check_version(db: sqlite3.Connection, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The history database {path} was written by a newer LeadDesk (schema {version}, "
            f"this one knows {SCHEMA_VERSION}). It has not been changed: update LeadDesk."
        )


def _migrate(db: sqlite3.Connection) -> None:
    """Bring a history _connect has checked (not newer than this LeadDesk) to the schema."""
    if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return  # up to date: no write lock needed (and none taken on a read-only disk)
    db.create_function(SQL_FUNCTION, 1, name_key, deterministic=True)
    while True:
        db.execute("BEGIN IMMEDIATE")
        # Read again under the write lock: another LeadDesk may have migrated meanwhile.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            db.execute("COMMIT")
            return
        try:
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            version += 1
            db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


_ADVICE = {
    sqlite3.SQLITE_BUSY: "another LeadDesk is busy with it; try again in a moment",
    sqlite3.SQLITE_LOCKED: "another LeadDesk is busy with it; try again in a moment",
    sqlite3.SQLITE_READONLY: "its folder or file is read-only; LeadDesk needs to write there",
    sqlite3.SQLITE_PERM: "LeadDesk is not allowed to write there",
    sqlite3.SQLITE_IOERR: "the disk reported an error (is it full or disconnected?)",
    sqlite3.SQLITE_FULL: "the disk is full; free some space",
    sqlite3.SQLITE_CANTOPEN: "it cannot be opened (check the folder exists and is writable)",
    sqlite3.SQLITE_CORRUPT: (
        "the file is damaged. LeadDesk has not changed it: move it aside to start a new "
        "history, or restore it from a backup"
    ),
    sqlite3.SQLITE_NOTADB: (
        "the file is not a LeadDesk database or is damaged. LeadDesk has not changed it: move "
        "it aside to start a new history, or restore it from a backup"
    ),
}


# Problems that waiting does not solve: a person has to act.
_LASTING = frozenset(
    {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
    }
)


@contextmanager
def environment_errors(path: Path, let_busy_through: bool = False) -> Iterator[None]:
    """Turn what the disk or another process did into StoreError; let bugs through (and,
    when asked, "busy", for a caller that waits and tries again)."""
    try:
        yield
    except sqlite3.Error as error:
        if let_busy_through and is_busy(error):
            raise
        code = getattr(error, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        advice = _ADVICE.get(primary) if primary is not None else None
        if advice is None:
            raise
        raise StoreError(
            f"Cannot use the history database {path}: {advice}. ({error})",
            lasting=primary in _LASTING,
        ) from None
    except OSError as error:
        why = error.strerror or str(error)
        lasting = isinstance(error, PermissionError) or error.errno == errno.EROFS
        raise StoreError(f"Cannot use the history database {path}: {why}.", lasting) from None


def is_history_file(path: Path, database: Path) -> bool:
    """Whether `path` is the history database or one of SQLite's files beside it: chosen
    by mistake as a file of leads to read, or to export to. Written to, the history is
    gone; only opened and closed by this process, the locks SQLite holds on it are gone
    (POSIX drops them all at any close), and another program may delete its WAL."""
    for own in (database, *(database.with_name(database.name + end) for end in _BESIDE)):
        try:
            if path.samefile(own):
                return True
        except OSError:  # one of them does not exist: compare the names as they resolve
            if path.resolve() == own.resolve():
                return True
    return False


_BESIDE = ("-wal", "-shm", "-journal")


def file_identity(path: Path) -> tuple[int, int]:
    """Which file is at `path` now (device and inode): two different files differ."""
    with environment_errors(path):
        found = path.stat()
    return found.st_dev, found.st_ino


def check_still_there(path: Path, identity: tuple[int, int]) -> None:
    """StoreError (lasting) when the file at `path` is no longer the one opened: a
    connection to a deleted or replaced history writes where no one will read again (the
    next start opens what is at `path`), and a lead queued there would be lost."""
    try:
        now_there = path.stat()
    except FileNotFoundError:
        now_there = None
    except OSError:
        return  # the write that follows says what is wrong with the disk
    if now_there is None or (now_there.st_dev, now_there.st_ino) != identity:
        raise StoreError(
            f"Cannot use the history database {path}: it was moved, replaced or deleted "
            "while LeadDesk had it open. Nothing more is written to it: close LeadDesk "
            "(and any leaddesk command running) and start it again.",
            lasting=True,
        )


def needs_update(path: Path) -> bool:
    """Whether opening the history will bring it to a newer schema: for a long history
    that takes seconds, which the window tells the agent about before it starts."""
    try:
        if not path.exists():
            return False  # a new history is set up at once
        db = connect_read_only(path)
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        finally:
            db.close()
    except (sqlite3.Error, OSError, ValueError):
        return False  # opening it for real says what is wrong, in the history's words
    return 0 < version < SCHEMA_VERSION
