"""What the benchmark scripts share: the sandbox in a process of its own (so that it does
not compete with the measured client for the interpreter lock), the machine's load, and a
percentile. Imported as `benchkit` by the scripts beside it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, NoReturn

REPO_ROOT = Path(__file__).resolve().parent.parent
SANDBOX_START_TIMEOUT = 20.0


class BenchError(Exception):
    """The benchmark could not produce a trustworthy figure; the message says why."""


def load_average() -> str:
    """The 1-minute load average: other processes on the machine widen the tails."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


class SandboxProcess:
    """`python -m leaddesk sandbox [options]` on a free loopback port; its requests are
    logged to `log_path`."""

    def __init__(self, log_dir: Path, options: Sequence[str] = ()) -> None:
        self.log_path = log_dir / "sandbox.log"
        self._log: IO[bytes] = self.log_path.open("wb")
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0
        try:
            self._start(options)
        except BaseException:
            self.close()
            raise
        self.url = f"http://127.0.0.1:{self.port}/bench/leadpostxml.php"

    def _start(self, options: Sequence[str]) -> None:
        # The port is chosen here and handed over, so another program may take it in between:
        # then the sandbox exits at once and another port is tried.
        for _ in range(3):
            self.port = _free_port()
            self._process = subprocess.Popen(
                [sys.executable, "-m", "leaddesk", "sandbox", "--port", str(self.port), *options],
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
            )
            if self._wait_until_listening(self._process):
                return
        raise BenchError(f"The sandbox did not start; its log is in {self.log_path}.")

    def _wait_until_listening(self, process: subprocess.Popen[bytes]) -> bool:
        deadline = time.monotonic() + SANDBOX_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.05)
        process.kill()
        process.wait()
        raise BenchError(
            f"The sandbox did not accept connections within {SANDBOX_START_TIMEOUT:g} s."
        )

    def describe(self) -> str:
        pid = self._process.pid if self._process is not None else "?"
        return f"separate process (pid {pid}, port {self.port})"

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run_benchmark(main: Callable[[], int], name: str) -> NoReturn:
    """Exit with main()'s status; a BenchError (the benchmark itself went wrong) is told
    in one line and exits 1."""
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"{name}: {error}", file=sys.stderr)
        sys.exit(1)
