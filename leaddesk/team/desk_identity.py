"""A stable id for each LeadDesk home (a desk), so that the floor tells desks apart and a
desk pushing its history again updates its own rows instead of adding new ones."""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import uuid
from pathlib import Path

DESK_FILE = "desk-id"


def desk_id(data_dir: Path) -> str:
    """This home's desk id: made once (the machine's name and a random part, so that a
    supervisor can tell which machine), then read back for ever."""
    path = data_dir / DESK_FILE
    with contextlib.suppress(FileNotFoundError):
        found = path.read_text(encoding="utf-8").strip()
        if found:
            return found
    data_dir.mkdir(parents=True, exist_ok=True)
    made = f"{socket.gethostname().split('.')[0][:40]}-{uuid.uuid4().hex[:8]}"
    try:  # two processes of one home starting at once: the first one's id wins
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip() or made
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(made + "\n")
        file.flush()
        os.fsync(file.fileno())
    return made


def agent_name(configured: str, floor_login: str = "") -> str:
    """The agent's name as the settings give it, else their login to the floor, else the
    login name of the desk's user."""
    if configured:
        return configured
    if floor_login:
        return floor_login
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (containers)
        return "unknown"
