"""Attacks on 'fixing a destination sends the held leads': a fix, or a move, must take only
the leads that wait for that destination, each to where a person sent it.

Holds and fixes are keyed by URL. Two configured destinations can share one URL (one dealer,
two campaigns or sources), and a person can move one refused lead to another dealer: in
both cases leads that nobody moved must keep their destination and its fields.
"""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Sending, Settings
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Poster, Timeouts
from leaddesk.wire.securitytrax_xml import parse_leads_document
from tests.support.cli_home import HEADER, Home, row
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, accepted_reply

QUICK = Timeouts(connect=2.0, read=3.0, deadline=8.0)
ONE_BY_ONE = Sending(batch_size=1, retry_limit=3, backoff_seconds=0.05, backoff_max_seconds=0.1)


class SourceCheckingDealer(RawHttpServer):
    """One dealer URL: 401 for a lead with the source ID it does not know, else accepted.
    Keeps every lead it accepted, as posted."""

    def __init__(self, unknown_source: str) -> None:
        self.accepted: list[dict[str, str]] = []
        self._unknown = unknown_source
        super().__init__(self._answer)

    def _answer(self, request: bytes) -> bytes:
        leads = parse_leads_document(request.partition(b"\r\n\r\n")[2])
        if any(lead["source_id"] == self._unknown for lead in leads):
            return b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
        self.accepted += leads
        return accepted_reply(len(leads))

    def __enter__(self) -> SourceCheckingDealer:
        super().__enter__()
        return self


def send_all(store: Store, senders: Path, ids: list[int]) -> None:
    with Poster(QUICK) as poster, Outbox(store, poster, ONE_BY_ONE, senders) as outbox:
        outbox.run_until_final(ids, threading.Event())


@pytest.fixture
def dealer() -> Iterator[SourceCheckingDealer]:
    with SourceCheckingDealer(unknown_source="WRONG") as server:
        yield server


def test_fixing_one_destination_leaves_another_at_the_same_url_its_own_fields(
    tmp_path: Path, dealer: SourceCheckingDealer
) -> None:
    """'Acme web' has a wrong source ID, 'Acme phone' (same dealer URL) a right one. The
    dealer refuses the web lead (401): the URL holds its queue, the phone lead too. Fixing
    the web destination's source ID must not send the phone lead as a web lead."""
    web = Destination(name="Acme web", url=dealer.url, source_id="WRONG", campaign_id="11")
    phone = Destination(name="Acme phone", url=dealer.url, source_id="PHONE", campaign_id="22")
    before = Settings(destinations=(web, phone), default_destination="Acme web")
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l", tmp_path / "k")
    with Store(paths.database()) as store:
        desk = Desk(Context.of(paths, before), web, store, Draft(tmp_path / "draft.json"),
                    ZipDirectory(paths.cache_dir))  # fmt: skip
        [web_lead] = store.add_many([(web_lead_of(1), dealer.url)], destination_name="Acme web")
        [phone_lead] = store.add_many(
            [(phone_lead_of(2), dealer.url)], destination_name="Acme phone"
        )
        send_all(store, tmp_path / "senders", [web_lead, phone_lead])
        assert store.states([web_lead]) == {web_lead: State.FAILED}

        fixed_web = web.replace(source_id="WEB")
        after = Settings(destinations=(fixed_web, phone), default_destination="Acme web")
        desk.send_fixed(before, after)
        send_all(store, tmp_path / "senders", [web_lead, phone_lead])

        phone_stored = store.get(phone_lead)
    assert phone_stored is not None
    by_name = {lead["lname"]: lead for lead in dealer.accepted}
    assert by_name["Phone2"]["source_id"] == "PHONE", "the phone lead went as a web lead"
    assert by_name["Phone2"]["campaign_id"] == "22"
    assert phone_stored.destination_name == "Acme phone"


def web_lead_of(i: int) -> Lead:
    return make_lead(i, lname=f"Web{i}", source_id="WRONG", campaign_id="11")


def phone_lead_of(i: int) -> Lead:
    return make_lead(i, lname=f"Phone{i}", source_id="PHONE", campaign_id="22")


def configure_north_and_south(home: Home, north_url: str, south_url: str) -> None:
    config = home.root / "config" / "leaddesk.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        textwrap.dedent(
            f"""
            schema_version = 2
            default_destination = "North"
            [[destinations]]
            name = "North"
            url = "{north_url}"
            source_id = "NORTH1"
            [[destinations]]
            name = "South"
            url = "{south_url}"
            source_id = "SOUTH2"
            [sending]
            batch_size = 1
            retry_limit = 2
            backoff_seconds = 0.05
            backoff_max_seconds = 0.1
            connect_timeout = 2
            read_timeout = 5
            deadline = 10
            """
        ),
        encoding="utf-8",
    )


def test_resending_one_lead_to_another_dealer_moves_only_that_lead(
    home: Home, sandbox: Sandbox
) -> None:
    """North's address has a typo: its first lead fails (404), two more wait for the fix.
    The agent sends lead 1 to another dealer, South: only lead 1 may go there. The two
    waiting leads are North's customers; South must never get them."""
    typo = sandbox.url("north").replace("leadpostxml.php", "leadpostxm.php")
    configure_north_and_south(home, typo, sandbox.url("south"))
    home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2), row(3)]))
    [failed] = [lead.id for lead in home.leads() if lead.state is State.FAILED]

    moved = home.run("resend", str(failed), "--destination", "South")
    assert moved.returncode == 0, moved.stdout + moved.stderr

    assert {lead["source_id"] for lead in sandbox.accepted} == {"SOUTH2"}
    assert len(sandbox.accepted) == 1, "leads nobody moved went to another dealer"
    waiting = [lead for lead in home.leads() if lead.id != failed]
    assert {(lead.state, lead.destination_name) for lead in waiting} == {(State.QUEUED, "North")}
