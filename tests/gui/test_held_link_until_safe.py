"""A held link taken into the form leaves the held-links file only once its lead is safe
elsewhere: in the form's saved draft, or stored (submitted), or let go by the agent. Until
then a crash must not lose it; after, a restart must not offer it again (a second send)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from leaddesk.config.held_links import held_links_for
from leaddesk.domain.states import State
from leaddesk.gui.link_inbox import LinkInbox, serve_links
from leaddesk.gui.single_instance import LinkServer
from tests.support.gui_helpers import Bench, DialogAnswerer, Rig, quit_now, type_into

MARY = {"fname": "Mary Ann", "lname": "Lee", "phone1": "8013127735", "zip": "83660"}


def _on_disk(home: Path) -> list[str]:
    """The first names in the held-links file: what a crash at this moment leaves."""
    path = home / "data" / "held-links.json"
    if not path.exists():
        return []
    return [values.get("fname", "") for values in json.loads(path.read_text(encoding="utf-8"))]


@pytest.fixture
def taken_unsaved(
    qtbot: QtBot, bench: Bench, leaddesk_home: Path
) -> Iterator[tuple[Rig, LinkInbox, LinkServer]]:
    """A window started with one held link (a quit before took it), whose draft cannot be
    saved, the link taken from the menu into the empty form."""
    data = leaddesk_home / "data"
    held_links_for(data, demo=False).save([MARY])
    (data / "draft.json").mkdir()  # the draft's save fails there, as on a broken disk
    rig = bench.open()
    inbox, server = serve_links(rig.window, bench.paths, demo=False)
    try:
        assert [values["fname"] for values in inbox.held] == ["Mary Ann"]
        inbox.held_menu.actions()[0].trigger()
        assert rig.form.values()["fname"] == "Mary Ann"
        yield rig, inbox, server
    finally:
        server.close()


def test_a_held_link_whose_draft_cannot_be_saved_stays_on_disk_and_comes_back(
    qtbot: QtBot,
    bench: Bench,
    taken_unsaved: tuple[Rig, LinkInbox, LinkServer],
    leaddesk_home: Path,
) -> None:
    """The link was removed from the file while its lead was only in the form's memory:
    a crash (or a quit, whose draft save fails too) lost the dialer's lead."""
    rig, inbox, server = taken_unsaved
    assert _on_disk(leaddesk_home) == ["Mary Ann"]  # was []: only in the form's memory
    told = rig.last_result()
    assert "Could not save the form's draft" in told
    assert "the dialer's link stays on disk" in told
    assert inbox.held == []  # in the form, not waiting in the menu
    quit_now(rig.window)  # its draft cannot be saved either
    server.close()
    assert _on_disk(leaddesk_home) == ["Mary Ann"]

    again = bench.open()
    inbox_again, server_again = serve_links(again.window, bench.paths, demo=False)
    try:
        assert [values["fname"] for values in inbox_again.held] == ["Mary Ann"]
        assert again.form.values()["fname"] == ""  # no draft: the lead is held once
    finally:
        server_again.close()


def test_the_words_that_the_link_stays_on_disk_are_not_covered_a_moment_later(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """Filling the form set off an autosave a second later, which failed again and put
    its own words in the status line over those saying where the dialer's lead is kept."""
    rig, _inbox, _server = taken_unsaved
    assert "the dialer's link stays on disk" in rig.last_result()
    qtbot.waitUntil(lambda: not rig.window.drafts.timer.isActive(), timeout=5000)
    assert "the dialer's link stays on disk" in rig.last_result()


def test_a_draft_that_keeps_failing_is_told_once_and_kept_in_sight_until_it_saves(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """Each later edit's failed autosave put "Could not save the form's draft" over the
    words saying where the dialer's lead is kept; the failure now stays as a notice."""
    rig, _inbox, _server = taken_unsaved
    notices = rig.window.notifications

    def unsaved_notices() -> list[str]:
        return [text for text in notices.texts() if "cannot be saved to disk" in text]

    assert len(unsaved_notices()) == 1
    type_into(qtbot, rig.form, "lead_comments", "call after 5")
    qtbot.waitUntil(lambda: not rig.window.drafts.timer.isActive(), timeout=5000)
    assert "the dialer's link stays on disk" in rig.last_result()
    assert len(unsaved_notices()) == 1, notices.texts()

    (leaddesk_home / "data" / "draft.json").rmdir()  # the disk mended
    type_into(qtbot, rig.form, "lead_comments", " or 6")
    qtbot.waitUntil(lambda: unsaved_notices() == [], timeout=5000)


def test_a_held_link_leaves_the_disk_once_its_lead_is_submitted(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """Kept until then, the link would come back as held at the next start, and the lead
    could be sent a second time."""
    rig, _inbox, _server = taken_unsaved
    assert _on_disk(leaddesk_home) == ["Mary Ann"]
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.ACCEPTED)
    assert rig.form.values()["fname"] == ""
    assert _on_disk(leaddesk_home) == []


def test_a_held_link_leaves_the_disk_once_a_later_draft_save_works(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    rig, _inbox, _server = taken_unsaved
    assert _on_disk(leaddesk_home) == ["Mary Ann"]
    draft = leaddesk_home / "data" / "draft.json"
    draft.rmdir()  # the disk mended
    type_into(qtbot, rig.form, "lead_comments", "call after 5")  # autosaved a moment later
    qtbot.waitUntil(draft.is_file)
    assert "Mary Ann" in draft.read_text(encoding="utf-8")
    assert _on_disk(leaddesk_home) == []


def test_a_held_link_leaves_the_disk_once_the_agent_discards_its_lead(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    rig, _inbox, _server = taken_unsaved
    assert _on_disk(leaddesk_home) == ["Mary Ann"]
    with DialogAnswerer("Discard"):
        rig.window.new_lead()
    assert rig.form.values()["fname"] == ""
    assert _on_disk(leaddesk_home) == []


def test_a_held_link_that_cannot_leave_the_disk_once_its_lead_is_sent_says_so(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """It would come back as held at the next start, though its lead is sent: a notice
    says so, which the status line's "Queued" does not cover."""
    rig, _inbox, _server = taken_unsaved
    held = leaddesk_home / "data" / "held-links.json"
    held.unlink()
    held.mkdir()  # where the file goes, a folder: its next save fails
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.ACCEPTED)
    [told] = [text for text in rig.notices() if "could not be removed" in text]
    assert "though its lead is in the form or sent" in told


def _unsaved_notices(rig: Rig) -> list[str]:
    return [text for text in rig.window.notifications.texts() if "cannot be saved to disk" in text]


def test_the_unsaved_draft_notice_goes_once_its_lead_is_queued(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """The notice said the lead in the form would be lost if LeadDesk closed, and stayed
    so over an empty form once the lead was queued: an agent told of a loss that is none
    (and a later lead's own failure not said again on the status line)."""
    rig, _inbox, _server = taken_unsaved
    assert len(_unsaved_notices(rig)) == 1
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.ACCEPTED)
    assert rig.form.values()["fname"] == ""
    assert _unsaved_notices(rig) == []

    type_into(qtbot, rig.form, "fname", "Jo")  # the next lead: its draft fails as well
    qtbot.waitUntil(lambda: len(_unsaved_notices(rig)) == 1, timeout=5000)
    assert "Could not save the form's draft" in rig.last_result()


def test_the_unsaved_draft_notice_goes_once_its_lead_is_discarded(
    qtbot: QtBot, taken_unsaved: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    rig, _inbox, _server = taken_unsaved
    assert len(_unsaved_notices(rig)) == 1
    with DialogAnswerer("Discard"):
        rig.window.new_lead()
    assert rig.form.values()["fname"] == ""
    assert _unsaved_notices(rig) == []
