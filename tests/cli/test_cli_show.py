"""`leaddesk show`: one lead's story, and nothing of the other customers of its batches."""

from __future__ import annotations

import json
from pathlib import Path

from leaddesk.domain.server_text import escape_controls
from leaddesk.sandbox import Sandbox
from tests.support.cli_home import HEADER, Home, free_port, row


def test_show_prints_only_this_leads_part_of_a_batch(home: Home, sandbox: Sandbox) -> None:
    sent = home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2), row(3)]))
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert sandbox.posts == 1, "one post carried all three"
    (lead,) = [lead for lead in home.leads() if lead.id == 2]

    result = home.run("show", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "accepted, HTTP 200" in out and "sent in a batch of 3" in out
    assert f"<lead_company_unique_id>{lead.lead.lead_company_unique_id}<" in out
    assert out.count("<lead>") == 1, "the request as sent, less the other leads"
    assert f"<customer_id>{lead.customer_id}</customer_id>" in out, "its own response"
    for other in ("Ann1", "Ann3", "Smith1", "Smith3", "8013120001", "8013120003"):
        assert other not in out, f"{other} belongs to another lead of the batch"
    assert "Ann2" in out and "8013120002" in out


def test_show_json_keeps_its_fields_and_adds_this_leads_part(home: Home, sandbox: Sandbox) -> None:
    assert home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2)])).returncode == 0
    shown = json.loads(home.run("show", "1", "--json").stdout)
    (attempt,) = shown["attempts"]
    assert attempt["outcome"] == "accepted" and attempt["outcome_words"] == "accepted"
    assert attempt["request"].count("<lead>") == 2, "the stored request, as before"
    assert attempt["batch_size"] == 2
    assert attempt["request_for_this_lead"].count("<lead>") == 1
    assert "Ann2" not in attempt["request_for_this_lead"]
    assert "Ann2" not in attempt["reply_for_this_lead"]
    assert "Ann1" in attempt["reply_for_this_lead"]


def test_show_says_not_sent_in_words_for_every_attempt(tmp_path: Path) -> None:
    down = Home(tmp_path / "home")
    down.configure(f"http://127.0.0.1:{free_port()}/demo/leadpostxml.php", retry_limit=2)
    assert down.run("send", down.write_csv("leads.csv", HEADER, [row(1)])).returncode == 1
    out = down.run("show", "1").stdout
    assert "Attempt 1:" in out and "Attempt 2:" in out
    assert out.count("not sent, no answer") == 2, out
    assert out.count("  ! ") >= 2, "each attempt gives its reason"
    assert "not_sent" not in out and "sent in a batch" not in out


def test_server_text_cannot_drive_the_terminal() -> None:
    text = "Bad \x1b[2J\x1b]0;owned\x07 source\x9b\nnext line\ttab"
    assert escape_controls(text) == "Bad \\x1b[2J\\x1b]0;owned\\x07 source\\x9b\nnext line\ttab"
