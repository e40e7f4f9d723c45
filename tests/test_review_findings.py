"""Findings of a second engineer's review, each kept as a test: lost or doubled leads,
personal data, and the site lock."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from leaddesk.cli import main
from leaddesk.csv_import import read_leads_csv
from leaddesk.errors import CsvError
from leaddesk.logs import LOG_FILE_NAME, setup_logging
from leaddesk.outbox import Outbox
from leaddesk.poster import Outcome, Poster, Timeouts
from leaddesk.sandbox import Sandbox
from leaddesk.settings import Sending
from leaddesk.states import NEEDS_ATTENTION, State
from leaddesk.store import PURGED_REPLY, Store
from tests.support.leads import make_lead

DAY = 86400.0


def test_purge_leaves_nothing_of_a_purged_lead_in_a_post_it_shared(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store, Sandbox() as sandbox, Poster() as poster:
        old = store.add(
            make_lead(1, fname="Purgedfirst"), sandbox.url(), now=time.time() - 40 * DAY
        )
        kept = store.add(make_lead(2, fname="Keptfirst"), sandbox.url())
        with Outbox(store, poster, Sending(batch_size=5), tmp_path / "senders") as outbox:
            outbox.run_until_final([old, kept], threading.Event())
        assert store.purge(30) == 1
        (attempt,) = store.attempts(kept)
        assert "Keptfirst" in attempt.request
        assert "Purgedfirst" not in attempt.request
        assert attempt.reply == PURGED_REPLY
        everything = b"".join(
            str(row).encode() for row in store.read("SELECT request, reply FROM posts")
        )
        assert b"Purgedfirst" not in everything


def test_purge_keeps_a_shared_post_as_it_was_sent_although_a_kept_lead_was_fixed(
    tmp_path: Path,
) -> None:
    """The post is the record of what was sent: a kept lead fixed since (edit and resend)
    must show there as it went, not as it is now."""
    with Store(tmp_path / "h.sqlite3") as store, Sandbox() as sandbox, Poster() as poster:
        old = store.add(make_lead(1, fname="Ann"), sandbox.url(), now=time.time() - 40 * DAY)
        refused = make_lead(2, fname="Bob").model_copy(update={"phone2": "123"})  # as stored by
        kept = store.add(refused, sandbox.url())  # an older LeadDesk: the dealer refuses it
        with Outbox(store, poster, Sending(batch_size=5), tmp_path / "senders") as outbox:
            outbox.run_until_final([old, kept], threading.Event())
        assert store.states([old, kept]) == {old: State.ACCEPTED, kept: State.REJECTED}
        store.replace_lead(kept, make_lead(2, fname="Robert"))
        assert store.purge(30, keep_unresolved=True) == 1
        (first, *_) = store.attempts(kept)
        assert "<fname>Bob</fname>" in first.request
        assert "<phone2>123</phone2>" in first.request
        assert "Robert" not in first.request
        assert "<fname>Ann</fname>" not in first.request


def test_retention_keeps_leads_that_still_need_a_person(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store:
        ids = {
            state: store.add(make_lead(i), "http://127.0.0.1:9/a", now=time.time() - 40 * DAY)
            for i, state in enumerate([State.ACCEPTED, *sorted(NEEDS_ATTENTION)])
        }
        for state, lead_id in ids.items():
            with store.transaction() as db:
                db.execute("UPDATE leads SET state = ? WHERE id = ?", (state.value, lead_id))
        assert store.purge(30, keep_unresolved=True) == 1
        assert {lead.state for lead in store.history()} == set(NEEDS_ATTENTION)


@pytest.mark.parametrize("attempt", range(5))
def test_several_openers_of_a_new_history_at_once_all_succeed(tmp_path: Path, attempt: int) -> None:
    """CI once saw 'database is locked' at once here: SQLite does not always wait its busy
    timeout while another connection switches a new file to WAL or migrates it."""
    path = tmp_path / "h.sqlite3"
    failures: list[BaseException] = []

    def open_it() -> None:
        try:
            with Store(path) as store:
                store.add(make_lead(threading.get_ident() % 1000), "http://127.0.0.1:9/a")
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_a_headerless_csv_names_none_of_its_values(tmp_path: Path) -> None:
    csv = tmp_path / "no-header.csv"
    csv.write_text("Ann,Smith,12 Elm Street,Parma,ID,83660\n", encoding="utf-8")
    with pytest.raises(CsvError) as caught:
        read_leads_csv(csv)
    for value in ("Ann", "Smith", "Elm", "Parma", "83660"):
        assert value not in str(caught.value)
    assert "header" in str(caught.value)


def test_a_header_in_the_wrong_case_is_told_what_the_names_look_like(tmp_path: Path) -> None:
    csv = tmp_path / "capitals.csv"
    csv.write_text("FName,LName,Phone1,City,State\nAnn,Smith,8013127735,Parma,ID\n", "utf-8")
    with pytest.raises(CsvError) as caught:
        read_leads_csv(csv)
    told = str(caught.value)
    assert "lower case" in told
    assert "source_id, fname, lname, city, state, phone1" in told  # what a lead needs


def test_the_log_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name == LOG_FILE_NAME


def test_the_sandbox_on_this_machine_is_never_reached_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with Sandbox() as sandbox, Poster(Timeouts(connect=2, read=5, deadline=10)) as poster:
        result = poster.post(sandbox.url(), [make_lead(1)])
    assert [r.outcome for r in result.results] == [Outcome.ACCEPTED]


def test_a_locked_site_destination_cannot_be_overridden_on_the_command_line(
    leaddesk_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Path(os.environ["LEADDESK_SITE_CONFIG"])
    site.mkdir(parents=True, exist_ok=True)
    (site / "leaddesk.toml").write_text(
        'schema_version = 2\n[[destinations]]\nname = "Acme"\n'
        'url = "https://acme.example/leadpostxml.php"\nsource_id = "A1"\nlocked = true\n',
        encoding="utf-8",
    )
    csv = tmp_path / "leads.csv"
    csv.write_text("fname,lname,city,state,phone1\nAnn,Lee,Boise,ID,2085550143\n")
    code = main(["send", str(csv), "--destination", "Acme", "--source-id", "OTHER"])
    assert code == 2
    assert "locked" in capsys.readouterr().err
