"""A floor that takes no writes for a while (a standby after a failover, a database IT set
read-only for maintenance): the desk sends as without a floor, says so once, and gives
the floor its leads once it takes writes again."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from tests.support.floor import floor_count, send_while_the_floor_is_unusable


def read_only(floor: str, on: bool) -> None:
    name = urlsplit(floor).path.lstrip("/")
    with psycopg.connect(floor, autocommit=True) as admin:
        admin.execute("SET default_transaction_read_only = off")  # this session may write
        admin.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = {on}")


def test_a_read_only_floor_leaves_the_desk_sending_and_gets_its_leads_later(
    tmp_path: Path, floor: str
) -> None:
    read_only(floor, True)
    ann, _sent = send_while_the_floor_is_unusable(tmp_path / "ann", floor)
    read_only(floor, False)
    synced = ann.run("sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert floor_count(floor, "state = 'accepted'") == 2
