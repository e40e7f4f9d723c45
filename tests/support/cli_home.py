"""The CLI as a user runs it, for tests: a LEADDESK_HOME with its config file, CSV rows to
send, and the `leaddesk` process run against it (the `home` fixture is in tests/conftest.py)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaddesk.history.store import Store, StoredLead

HEADER = ("phone1", "city", "lname", "state", "fname", "email")  # not the spec's order


def row(i: int, lname: str = "") -> tuple[str, ...]:
    return (
        f"(801) 312-{i:04d}",
        "Boise",
        lname or f"Smith{i}",
        "Idaho",
        f"Ann{i}",
        f"ann{i}@example.com",
    )


@dataclass
class Home:
    """A LEADDESK_HOME with its config file, and the CLI run against it."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "data" / "history.sqlite3"

    def configure(self, url: str, **sending: float) -> None:
        values: dict[str, float] = {
            "batch_size": 10,
            "retry_limit": 3,
            "backoff_seconds": 0.05,
            "backoff_max_seconds": 0.2,
            "connect_timeout": 2,
            "read_timeout": 10,
            "deadline": 20,
        }
        values.update(sending)
        lines = ["[destination]", f'url = "{url}"', 'source_id = "SRC1"', "", "[sending]"]
        lines += [f"{name} = {value}" for name, value in values.items()]
        config = self.root / "config" / "leaddesk.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def start(self, *args: str | Path) -> subprocess.Popen[str]:
        env = {**os.environ, "LEADDESK_HOME": str(self.root)}
        return subprocess.Popen(
            [sys.executable, "-m", "leaddesk", *map(str, args)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return finish(self.start(*args))

    def leads(self) -> list[StoredLead]:
        """The history as the store holds it (read in-process: a CLI run costs ~1 s)."""
        with Store(self.database) as store:
            return store.history()

    def history(self, *args: str) -> list[dict[str, Any]]:
        result = self.run("history", "--json", *args)
        assert result.returncode == 0, result.stderr
        leads: list[dict[str, Any]] = json.loads(result.stdout)
        return leads

    def write_csv(
        self, name: str, header: Sequence[str], rows: Sequence[Sequence[str]], bom: bool = False
    ) -> Path:
        lines = [",".join(header)] + [",".join(f'"{cell}"' for cell in r) for r in rows]
        path = self.root.parent / name
        path.write_bytes(("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode())
        return path


def lead_lines(stdout: str) -> dict[int, str]:
    """Row number -> what the run said about that row's lead."""
    found = re.findall(r"^row (\d+): lead \d+ (.*)$", stdout, re.MULTILINE)
    return {int(number): text for number, text in found}


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """Wait for a command started with Home.start; independent commands can run at once
    (each takes about a second to start)."""
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def assert_clean_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("leaddesk: "), result.stderr
    for word in words:
        assert word in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
