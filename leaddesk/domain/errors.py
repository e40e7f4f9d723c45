"""The errors LeadDesk reports to people rather than as bugs: each message says what is
wrong and what to do. Apart from the modules that raise them so that the command line can
catch them without loading those modules."""

from __future__ import annotations

from pathlib import Path


class UsageError(Exception):
    """The command cannot run as given; the message says what to change."""


class CsvError(Exception):
    """The file as a whole cannot be read; the message names the file and the problem."""


class SettingsError(Exception):
    """The config file cannot be used; the message names the file and the problem."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class StoreError(Exception):
    """The history database cannot be used; the message says why and what to do.

    `lasting`: waiting will not help (a read-only folder, no permission, a damaged
    file), unlike a busy file or a full disk; a caller that retries gives up at once."""

    def __init__(self, message: str, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting
