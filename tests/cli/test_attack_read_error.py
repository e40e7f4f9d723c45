"""`leaddesk send FILE` that cannot read its file to the end (a quote never closed, far
down a long file) while a post is on the wire: the run stops as after Ctrl+C, the post
in flight is recorded, and nothing is left "sending" to come back as unconfirmed."""

from __future__ import annotations

from pathlib import Path

from leaddesk.cli.send_stream import CHUNK_ROWS, FIRST_CHUNK_ROWS, MAX_AHEAD
from leaddesk.domain.states import State
from leaddesk.sandbox import Faults, Sandbox
from tests.support.cli_home import HEADER, Home, finish, row

# Rows enough for reading to wait for the first post (the run reads at most MAX_AHEAD
# leads ahead of the dealer), then a chunk's worth less one to read once it is answered:
# the worker has the next post on the wire long before reading reaches the bad row. (With
# the bad row right after the wait, a loaded machine let reading get there first.)
GOOD_ROWS = FIRST_CHUNK_ROWS + MAX_AHEAD + CHUNK_ROWS - 1


def a_file_broken_far_down(home: Home) -> Path:
    good = home.write_csv("leads.csv", HEADER, [row(i) for i in range(1, GOOD_ROWS + 1)])
    never_closed = '"(801) 555-0000,Boise,Quote,Idaho,Ann,a@example.com\r\n'
    rest = "x" * 200 + "\r\n"  # past the csv module's cell limit before the file ends
    with good.open("a", encoding="utf-8", newline="") as file:
        file.write("\r\n" + never_closed + rest * 1000)
    return good


def test_a_file_unreadable_past_a_row_stops_after_the_post_in_flight(tmp_path: Path) -> None:
    with Sandbox(faults=Faults(delay=0.5)) as sandbox:
        home = Home(tmp_path / "home")
        home.configure(sandbox.url(), batch_size=20)
        result = finish(home.start("send", a_file_broken_far_down(home)))
        assert result.returncode == 2, (result.returncode, result.stderr[-300:])
        assert "cannot be read past row" in result.stderr
        accepted = sandbox.accepted_count()
    leads = home.leads()
    assert sandbox.posts >= 2, "the file broke before a post was on the wire: nothing tested"
    assert not [lead.id for lead in leads if lead.state is State.SENDING], (
        "leads left sending: the next run calls them unconfirmed, though the dealer answered"
    )
    at_dealer = {lead.lead.lead_company_unique_id for lead in leads if lead.state is State.ACCEPTED}
    assert set(accepted) == at_dealer
    assert set(accepted.values()) == {1}
