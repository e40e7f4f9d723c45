"""A desk whose floor login cannot do what the desk asks: a shared machine where another
person's login now runs a desk whose leads were pushed under the first one's, and a login
IT made without a group. The floor refuses; the desk keeps working, says so once, and
never posts a lead behind a supervisor's back."""

from __future__ import annotations

from pathlib import Path

import psycopg

from leaddesk.sandbox import Sandbox
from tests.support.cli_home import HEADER, row
from tests.support.floor import desk_with_failed_leads, floor_count, login_url, make_desk


def test_a_desk_run_under_another_login_never_posts_a_lead_a_supervisor_also_resends(
    tmp_path: Path, floor: str
) -> None:
    ann, floor_ids = desk_with_failed_leads(tmp_path / "ann", floor, 2)
    with psycopg.connect(floor, autocommit=True) as admin:
        admin.execute("CREATE ROLE carl LOGIN IN ROLE leaddesk_agent")
    ann.floor_url = login_url(floor, "carl")  # Carl's login at Ann's machine and home
    with Sandbox() as dealer:
        own = ann.run("resend", "1", "--url", dealer.url())
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        floor_resend = sue.run("resend", "--floor", "--failed", "--url", dealer.url())
        received = dealer.accepted_count()
    for result in (own, floor_resend):
        assert "Traceback" not in result.stderr, result.stderr
    assert set(received.values()) <= {1}, (own.stdout, floor_resend.stdout)  # none twice
    assert len(received) == 2  # both leads went, once each
    assert "lead 1: not resent: on the floor under another login" in own.stdout, own.stdout
    assert floor_count(floor, "true") == len(floor_ids)


def test_a_login_in_no_group_leaves_the_desk_sending_and_says_so_once(
    tmp_path: Path, floor: str
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
