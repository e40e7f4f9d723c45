"""A desk back on the floor after a long outage: what it sent meanwhile reaches the floor,
even when its first act there is a push of a few new leads only (a `send` of a file,
a Submit), which the floor then has newer than the whole backlog."""

from __future__ import annotations

import time
from pathlib import Path

from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from tests.support.cli_home import HEADER, row
from tests.support.floor import floor_count, make_desk
from tests.support.history_data import populate
from tests.support.leads import make_lead

OUTAGE_SECONDS = 3600.0  # longer than any overlap a push allows itself


def test_a_backlog_older_than_a_new_lead_still_reaches_the_floor(
    tmp_path: Path, floor: str
) -> None:
    with Sandbox() as dealer:
        ann = make_desk(tmp_path / "ann", floor, "ann", dealer.url())
        bob = make_desk(tmp_path / "bob", floor, "bob", dealer.url())
        # Sent by Ann's desk while the floor was away (an hour ago): the floor never saw them.
        ann.home.database.parent.mkdir(parents=True, exist_ok=True)
        with Store(ann.home.database) as store:
            backlog = populate(
                store,
                [State.ACCEPTED] * 3,
                leads=[make_lead(i) for i in (1, 2, 3)],
                destination=dealer.url(),
                now=time.time() - OUTAGE_SECONDS,
            )
        # The floor is back; Ann's next command sends a new file.
        sent = ann.run("send", ann.home.write_csv("new.csv", HEADER, [row(4)]))
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert floor_count(floor, "true") == len(backlog) + 1, sent.stderr
        # Bob calls a household Ann sold during the outage: the floor holds it back.
        bob_sent = bob.run("send", bob.home.write_csv("b.csv", HEADER, [row(2)]))
        assert "likely a duplicate of floor lead" in bob_sent.stdout, bob_sent.stdout
        assert dealer.accepted_count().total() == 1  # Ann's new lead; Bob's copy never went
