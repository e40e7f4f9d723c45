"""A desk whose floor login cannot do what the desk asks: a shared machine where another
person's login now runs a desk whose leads were pushed under the first one's, and a login
IT made without a group. The floor refuses; the desk keeps working, says so once, and
never posts a lead behind a supervisor's back."""

from __future__ import annotations

from pathlib import Path

import psycopg

from leaddesk.sandbox import Sandbox
from tests.support.cli_home import HEADER, row
from tests.support.floor import make_desk
from tests.support.postgres import PostgresServer


def test_a_login_in_no_group_leaves_the_desk_sending_and_says_so_once(
    tmp_path: Path, floor: str, postgres: PostgresServer
) -> None:
    with psycopg.connect(floor, autocommit=True) as admin:
        admin.execute("CREATE ROLE dan LOGIN")  # IT forgot IN ROLE leaddesk_agent
    with Sandbox() as dealer:
        dan = make_desk(tmp_path / "dan", floor, "dan", dealer.url())
        sent = dan.run("send", dan.home.write_csv("d.csv", HEADER, [row(1), row(2)]))
        synced = dan.run("sync")
        assert dealer.accepted_count().total() == 2
    assert sent.returncode == 0, sent.stdout + sent.stderr
    for result in (sent, synced):
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.count("floor offline") == 1, result.stderr
    assert synced.returncode == 1  # the floor's refusal, said
    assert "refused" in synced.stderr, synced.stderr
