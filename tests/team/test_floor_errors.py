"""A floor that answers an error LeadDesk has no words for (a table changed under it by a
migration half done): the desk sends as without a floor, says so once with the error's
class for IT, and gives the floor its leads once it is mended."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tests.support.floor import floor_count, send_while_the_floor_is_unusable


def rename_email(floor: str, old: str, new: str) -> None:
    with psycopg.connect(floor, autocommit=True) as admin:
        admin.execute(f"ALTER TABLE floor_leads RENAME COLUMN {old} TO {new}")


def test_a_floor_that_answers_an_error_leaves_the_desk_sending(tmp_path: Path, floor: str) -> None:
    """It stopped `send` with a traceback after queueing, nothing posted."""
    rename_email(floor, "email", "email_gone")
    ann, sent = send_while_the_floor_is_unusable(tmp_path / "ann", floor)
    assert "UndefinedColumn" in sent.stderr, sent.stderr
    rename_email(floor, "email_gone", "email")
    synced = ann.run("sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert floor_count(floor, "state = 'accepted'") == 2
