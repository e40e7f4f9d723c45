"""The window and a `leaddesk send` at once: while the agent reads the duplicate question,
another LeadDesk process queues the same lead. "Send anyway" was said about the lead the
agent was shown, not about that one: the window asks again instead of queueing a third
copy in silence."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from leaddesk.domain.states import State
from tests.support.gui_helpers import (
    GOOD_CALL,
    SOURCE_ID,
    Bench,
    DialogAnswerer,
    Rig,
    activate,
    click,
    type_call,
    wait_for_state,
)


@dataclass
class AnswerInTurn(DialogAnswerer):
    """Answers the questions in turn with `answers`; runs `meanwhile` before the first."""

    answers: list[str] = field(default_factory=list)
    meanwhile: Callable[[], None] | None = None

    def _answer(self, box: QMessageBox) -> None:
        if self.meanwhile is not None:
            self.meanwhile()
            self.meanwhile = None
        turn = len(self.seen)
        self.button = self.answers[turn] if turn < len(self.answers) else None
        super()._answer(box)


def submit(qtbot: QtBot, rig: Rig) -> None:
    button = rig.window.findChild(QPushButton, "submit")
    assert isinstance(button, QPushButton)
    click(qtbot, button)


def send_the_same_lead_anyway(rig: Rig, tmp_path: Path) -> Callable[[], None]:
    """Another agent's `leaddesk send --allow-duplicates` of the lead the window has."""

    def run() -> None:
        csv = tmp_path / "same.csv"
        csv.write_text(
            "fname,lname,phone1,zip,city,state\n"
            f"Ann,{GOOD_CALL['lname']},{GOOD_CALL['phone1']},83660,Parma,ID\n",
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "leaddesk", "send", str(csv), "--allow-duplicates"]
        command += ["--url", rig.desk.destination.url, "--source-id", SOURCE_ID]
        sent = subprocess.run(
            command, env=dict(os.environ), capture_output=True, text=True, timeout=60
        )
        assert sent.returncode == 0, sent.stdout + sent.stderr

    return run


def first_lead_accepted(qtbot: QtBot, rig: Rig) -> None:
    type_call(qtbot, rig.form)
    submit(qtbot, rig)
    wait_for_state(qtbot, rig.store, 1, State.ACCEPTED)
    activate(qtbot, rig.window)


def test_a_copy_queued_during_the_question_is_asked_about_too(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    rig = bench.open()
    first_lead_accepted(qtbot, rig)
    type_call(qtbot, rig.form)
    answers = AnswerInTurn(None, answers=["Send anyway", "Don't send"])
    answers.meanwhile = send_the_same_lead_anyway(rig, tmp_path)
    with answers:
        submit(qtbot, rig)
    assert [seen.text.split(" has ")[0] for seen in answers.seen] == ["Lead 1", "Lead 2"]
    assert rig.stored_count() == 2, "the window queued a copy of lead 2 without a word"
    assert rig.form.values()["lname"] == GOOD_CALL["lname"], "the lead stays in the form"
    qtbot.waitUntil(lambda: len(rig.accepted) == 2)


def test_send_anyway_to_both_queues_it_once_more(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    rig = bench.open()
    first_lead_accepted(qtbot, rig)
    type_call(qtbot, rig.form)
    answers = AnswerInTurn(None, answers=["Send anyway", "Send anyway"])
    answers.meanwhile = send_the_same_lead_anyway(rig, tmp_path)
    with answers:
        submit(qtbot, rig)
    assert len(answers.seen) == 2
    assert rig.last_result() == "Lead 3 (Ann Smith) queued."
    assert rig.stored_count() == 3
    qtbot.waitUntil(lambda: len(rig.accepted) == 3)
