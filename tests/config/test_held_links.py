"""The held dialer links' file: what it keeps, and what it makes of a file it did not write."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.config.held_links import MAX_FILE_BYTES, HeldLinks, SavedLinks, held_links_for


def test_links_are_kept_in_order_and_the_last_one_taken_removes_the_file(tmp_path: Path) -> None:
    kept = held_links_for(tmp_path / "data", demo=False)
    kept.save([{"fname": "Mary Ann", "phone1": "8013127735"}, {"fname": "Bob"}])
    assert kept.path.name == "held-links.json"
    assert kept.path.stat().st_mode & 0o777 == 0o600
    assert kept.path.parent.stat().st_mode & 0o777 == 0o700
    assert HeldLinks(kept.path).load() == [
        {"fname": "Mary Ann", "phone1": "8013127735"},
        {"fname": "Bob"},
    ]
    kept.save([])
    assert not kept.path.exists() and kept.load() == []


def test_demo_links_are_kept_apart(tmp_path: Path) -> None:
    assert held_links_for(tmp_path, demo=True).path != held_links_for(tmp_path, demo=False).path


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"{}", b'"a"', b"[1, null, []]", b'{"fname": "Ann"}', b"[\xff\xfe]"],
)
def test_a_file_it_did_not_write_gives_no_links(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "held-links.json"
    path.write_bytes(data)
    assert HeldLinks(path).load() == []


def test_values_that_are_not_text_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "held-links.json"
    path.write_text('[{"fname": "Ann", "phone1": 8013127735, "zip": null}]', encoding="utf-8")
    assert HeldLinks(path).load() == [{"fname": "Ann"}]


def test_a_failed_write_leaves_the_links_saved_before(tmp_path: Path) -> None:
    kept = HeldLinks(tmp_path / "held-links.json")
    kept.save([{"fname": "Ann"}])
    with pytest.raises(TypeError):  # json.dump fails midway: not JSON-able
        kept.save([{"fname": "Bob"}, {"fname": object()}])  # type: ignore[dict-item]
    assert kept.load() == [{"fname": "Ann"}]
    assert [p.name for p in tmp_path.iterdir()] == ["held-links.json"]  # no temp file left


@given(st.lists(st.dictionaries(st.text(min_size=1), st.text()), max_size=5))
def test_any_text_comes_back_as_it_was_saved(links: list[dict[str, str]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        kept = HeldLinks(Path(folder) / "held-links.json")
        kept.save(links)
        assert kept.load() == links


def test_only_a_file_it_cannot_read_whole_is_set_aside(tmp_path: Path) -> None:
    kept = HeldLinks(tmp_path / "held-links.json")
    assert kept.read().whole  # no file
    kept.save([{"fname": "Ann", "notes": ""}])
    assert kept.read().whole and kept.path.exists()
    kept.path.write_text('[{"fname": "Ann"}, "Bob 8013127735"]', encoding="utf-8")
    assert kept.read() == SavedLinks([{"fname": "Ann"}], whole=False)
    aside = kept.set_aside()
    assert not kept.path.exists()
    assert aside.name.startswith("held-links.json.unreadable-")
    assert aside.read_text(encoding="utf-8") == '[{"fname": "Ann"}, "Bob 8013127735"]'


def _links_of_size(size: int) -> bytes:
    """A held-links file of `size` bytes, wholly readable JSON: links with long notes."""
    link = '{"fname": "Ann", "lead_comments": "%s"}'
    one = len((link % "").encode()) + 2  # a link with no notes, and ", " after it
    count = 16
    notes = (size - 2 - count * one + 2) // count
    text = "[" + ", ".join(link % ("n" * notes) for _ in range(count)) + "]"
    return (text + " " * (size - len(text))).encode()


def test_a_file_above_the_cap_is_not_read_and_is_set_aside(tmp_path: Path) -> None:
    """Read on the window's thread at start-up: a file of many megabytes (a hostile or
    broken one) froze the window while it was read and parsed, and its links filled the
    menu. Above the cap it gives no links and goes aside, unread, as an unreadable one."""
    kept = HeldLinks(tmp_path / "held-links.json")
    kept.path.write_bytes(_links_of_size(MAX_FILE_BYTES))
    at_the_cap = kept.read()
    assert len(at_the_cap.links) == 16 and at_the_cap.whole  # at the cap: read
    too_big = _links_of_size(MAX_FILE_BYTES + 1)
    kept.path.write_bytes(too_big)
    assert kept.read() == SavedLinks([], whole=False)
    aside = kept.set_aside()
    assert not kept.path.exists()
    assert aside.read_bytes() == too_big
