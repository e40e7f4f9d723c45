"""Import throughput: rows per second through `leaddesk send --dry-run` against the bare
csv module plus the Lead model over the same rows, with each one's peak memory.

    .venv/bin/python bench/import_throughput.py [--rows 100000] [--send-rows 20000] [--dir DIR]

It writes one file of `--rows` leads (SecurityTrax's column names, so that the bare arm
needs no mapping; one row in a thousand invalid), then runs, in turn, each as a process of
its own (so that neither pays for the other's imports or memory):

1. bare: bench/import_bare.py, csv.DictReader and Lead.parse per row;
2. dry run: `python -m leaddesk send FILE --dry-run`: detection, the mapping, every row
   read, checked and counted as it would be sent (nothing is sent).

Each is checked (both count the same valid and invalid rows) and timed as a whole process;
peak memory is the process's maximum resident set size (from the operating system). It
prints rows per second, the ratio dry run / bare against issue 15's target (>= 0.5x), and
both peaks, then the dry run's peak at a tenth of the rows: memory must not grow with the
file. Then a real `send` of `--send-rows` rows (and of a tenth of them) to the sandbox in a
process of its own: how long until the first post reaches it, the whole run, and its peak
memory (issue 15: sending starts within a second; 0 skips this part).
Exit status 0 whether or not the target is met (a report); 1 when the bench failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchkit import REPO_ROOT, BenchError, SandboxProcess, load_average, run_benchmark

TARGET = 0.5
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    output: str


def write_rows(path: Path, count: int) -> int:
    """The file; how many of its rows are invalid (a phone too short)."""
    invalid = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("fname,lname,address1,city,state,zip,phone1,email,lead_comments\r\n")
        for i in range(count):
            phone = f"801312{i % 10000:04d}"
            if i % 1000 == 999:
                phone, invalid = "801312", invalid + 1
            out.write(
                f"Ann{i},Smith{i},{i % 900 + 1} Elm St,Boise,ID,83702,{phone},"
                f'ann{i}@example.com,"Call after 5, ask for Bob"\r\n'
            )
    return invalid


def run(command: list[str], home: Path, first_post: list[float] | None = None,
        sandbox: SandboxProcess | None = None) -> Run:  # fmt: skip
    """Run to the end; with a sandbox, the seconds until its first post go in first_post."""
    env = {**os.environ, "LEADDESK_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}
    posts_before = _posts(sandbox)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    if sandbox is not None and first_post is not None:
        while _posts(sandbox) == posts_before and process.poll() is None:
            time.sleep(0.01)
        first_post.append(time.perf_counter() - started)
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise BenchError(f"{' '.join(command)} exited {process.returncode}:\n{output[-2000:]}")
    kib = usage.ru_maxrss if platform.system() != "Darwin" else usage.ru_maxrss // 1024
    return Run(seconds, kib / 1024, output)


def _posts(sandbox: SandboxProcess | None) -> int:
    if sandbox is None:
        return 0
    return sandbox.log_path.read_bytes().count(b"POST ")


def send(path: Path, home: Path, sandbox: SandboxProcess) -> tuple[Run, float]:
    first_post: list[float] = []
    command = [sys.executable, "-m", "leaddesk", "send", str(path), "--url", sandbox.url]
    command += ["--source-id", "B1", "--batch-size", "100", "--allow-duplicates"]
    result = run(command, home, first_post, sandbox)
    if not re.search(r"^\d+ leads: \d+ accepted\.", result.output, re.M):
        raise BenchError(f"the send said {result.output[-500:]!r}")
    return result, first_post[0]


def dry_run(path: Path, home: Path) -> Run:
    command = [sys.executable, "-m", "leaddesk", "send", str(path), "--dry-run"]
    return run(
        [*command, "--url", "https://dealer.example/x/leadpostxml.php", "--source-id", "B1"], home
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--send-rows", type=int, default=20_000, help="0: no real send")
    parser.add_argument("--dir", type=Path, default=None, help="where the files go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        root = Path(folder)
        big, small = root / "leads.csv", root / "leads-tenth.csv"
        invalid = write_rows(big, args.rows)
        write_rows(small, args.rows // 10)
        home = root / "home"
        bare = run([sys.executable, str(HERE / "import_bare.py"), str(big), "B1"], home)
        dry = dry_run(big, home)
        tenth = dry_run(small, home)
        sent = send_arms(root, args.send_rows)
    valid = args.rows - invalid
    if bare.output.split() != [str(valid), str(invalid)]:
        raise BenchError(f"the bare arm counted {bare.output.strip()!r}, not {valid} {invalid}")
    told = re.search(r"Dry run: (\d+) rows? would be sent, (\d+) invalid", dry.output)
    if told is None or told.groups() != (str(valid), str(invalid)):
        raise BenchError(f"the dry run said {dry.output[-500:]!r}")
    ratio = bare.seconds / dry.seconds
    print(f"import throughput, {args.rows:,} rows ({invalid} invalid), load {load_average()}")
    for name, each in (("bare csv + Lead", bare), ("send --dry-run", dry)):
        rate = args.rows / each.seconds
        print(
            f"  {name:16} {each.seconds:7.2f} s  {rate:9,.0f} rows/s  peak {each.peak_mb:6.1f} MB"
        )
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"  dry run / bare: {ratio:.2f}x (target >= {TARGET}x: {verdict})")
    print(f"  dry run peak at {args.rows // 10:,} rows: {tenth.peak_mb:.1f} MB "
          f"(at {args.rows:,}: {dry.peak_mb:.1f} MB)")  # fmt: skip
    for rows, (each, first) in sent:
        print(f"  send of {rows:,} rows to the sandbox: first post after {first:.2f} s, "
              f"all in {each.seconds:.1f} s, peak {each.peak_mb:.1f} MB")  # fmt: skip
    return 0


def send_arms(root: Path, rows: int) -> list[tuple[int, tuple[Run, float]]]:
    """A real send of a tenth of the rows, then of all of them, each from a fresh home."""
    if rows <= 0:
        return []
    sandbox = SandboxProcess(root)
    try:
        done = []
        for count in (rows // 10, rows):
            path = root / f"send-{count}.csv"
            write_rows(path, count)
            done.append((count, send(path, root / f"send-home-{count}", sandbox)))
        return done
    finally:
        sandbox.close()


if __name__ == "__main__":
    run_benchmark(main, "import_throughput")
