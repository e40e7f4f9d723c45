"""The command line reads well: options where users put them, help for every option,
plain words, and output that ends quietly when its reader goes away."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from leaddesk.cli.main import build_parser
from leaddesk.sandbox import Sandbox
from tests.support.cli_home import HEADER, Home, free_port, lead_lines, row

COMMANDS = ("send", "history", "show", "resend", "purge", "sandbox", "config")


@pytest.mark.parametrize("command", COMMANDS)
def test_demo_and_debug_are_taken_before_or_after_the_command(command: str) -> None:
    parser = build_parser()
    extra = {"send": ["x.csv"], "show": ["1"], "purge": ["--older-than", "1"]}
    extra |= {"config": ["show"]}
    tail = extra.get(command, [])
    demo = command not in ("sandbox", "config")
    before = parser.parse_args(["--debug", *(["--demo"] if demo else []), command, *tail])
    assert before.debug and before.demo == demo, "the value before the command is kept"
    after = parser.parse_args([command, *tail, "--debug", *(["--demo"] if demo else [])])
    assert after.debug and after.demo == demo
    neither = parser.parse_args([command, *tail])
    assert not neither.debug and not neither.demo


def test_send_with_demo_after_the_file_sends_to_the_demo_sandbox(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")  # no destination configured: --demo is the way out
    path = home.write_csv("leads.csv", HEADER, [row(1)])
    result = home.run("send", path, "--demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert lead_lines(result.stdout)[2].startswith("accepted, customer ")
    assert not home.database.exists(), "demo leads are kept apart from real ones"


def test_help_of_every_command_names_its_values_plainly() -> None:
    env = dict(os.environ)
    texts = []
    for command in ((), *((c,) for c in COMMANDS), ("config", "check")):
        result = subprocess.run(
            [sys.executable, "-m", "leaddesk", *command, "--help"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        texts.append(result.stdout)
    text = "\n".join(texts)
    assert "WINDOW_" not in text and "SOURCE_ID" not in text
    assert "--url URL" in text and "--source-id ID" in text
    assert re.search(r"--batch-size N +leads per post, 1 to 100", texts[1])


def test_every_option_and_argument_has_help() -> None:
    def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        found = [parser]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    found += parsers(child)
        return found

    for parser in parsers(build_parser()):
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"{parser.prog}: {action.dest} has no help"


def test_a_lead_that_failed_after_one_try_says_try(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    home.configure(f"http://127.0.0.1:{free_port()}/demo/leadpostxml.php", retry_limit=1)
    result = home.run("send", home.write_csv("leads.csv", HEADER, [row(1)]))
    assert result.returncode == 1
    assert lead_lines(result.stdout)[2].startswith("failed after 1 try: "), result.stdout


# --- output whose reader went away (`leaddesk history | head -1`) ---------------------------


def run_into_a_closed_pipe(home: Home, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command with its stdout a pipe whose reader is gone before it starts: every
    write fails with EPIPE, as when `head` has read its lines and quit."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "leaddesk", *map(str, args)],
            env={**os.environ, "LEADDESK_HOME": str(home.root)},
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)


def test_history_into_a_closed_pipe_ends_quietly(home: Home, sandbox: Sandbox) -> None:
    path = home.write_csv("leads.csv", HEADER, [row(i) for i in range(1, 4)])
    assert home.run("send", path).returncode == 0
    for args in (("history",), ("history", "--json"), ("show", "1")):
        result = run_into_a_closed_pipe(home, *args)
        assert result.stderr == "", result.stderr
        assert result.returncode == 141


def test_send_into_a_closed_pipe_ends_quietly_and_sends_nothing_twice(
    home: Home, sandbox: Sandbox
) -> None:
    path = home.write_csv("leads.csv", HEADER, [row(i) for i in range(1, 4)])
    result = run_into_a_closed_pipe(home, "send", path)
    assert result.stderr == "", result.stderr
    assert result.returncode == 141
    assert set(sandbox.accepted_count().values()) == {1}
    again = home.run("send", path)  # what the first run left queued goes out now, once
    assert again.returncode == 0, again.stdout + again.stderr
    counts = sandbox.accepted_count()
    assert len(counts) == 3 and set(counts.values()) == {1}
