"""The sandbox, over real sockets: the spec's sample, each rule, each fault, keep-alive, logs."""

from __future__ import annotations

import logging
import re
import signal
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
import requests

from leaddesk import sandbox as sandbox_module
from leaddesk.config.settings import Sending
from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import REFUSE_DOCUMENT_MESSAGE, REJECT_MESSAGE, Faults, Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Outcome, Poster, Timeouts
from leaddesk.wire.securitytrax_xml import NAMES_CONTRADICT
from tests.support.leads import make_lead
from tests.support.spec_samples import SPEC_SAMPLE_REQUEST

SPEC_SAMPLE = SPEC_SAMPLE_REQUEST

# A complete valid lead (the spec sample's second lead), as (element, text) pairs in spec order.
VALID_LEAD: dict[str, str] = {
    child.tag: child.text or "" for child in SafeET.fromstring(SPEC_SAMPLE)[1]
}

Lead = list[tuple[str, str]]


def lead(**changes: str | None) -> Lead:
    """VALID_LEAD with fields changed; None leaves the element out."""
    values: dict[str, str | None] = {**VALID_LEAD, **changes}
    return [(name, value) for name, value in values.items() if value is not None]


def leads_xml(*leads: Lead) -> bytes:
    root = ET.Element("leads")
    for fields in leads:
        element = ET.SubElement(root, "lead")
        for name, value in fields:
            ET.SubElement(element, name).text = value
    return b'<?xml version="1.0"?>\n' + ET.tostring(root, encoding="unicode").encode()


def post(sandbox: Sandbox, body: bytes, site: str = "demo") -> requests.Response:
    return requests.post(sandbox.url(site), data=body, timeout=5)


def outcomes(reply: requests.Response) -> list[tuple[bool, list[str], dict[str, str]]]:
    """(success, error texts, data fields) for each <response>, in order."""
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = SafeET.fromstring(reply.content)
    assert root.tag == "root"
    found = []
    for response in root.findall("./responses/response"):
        data = response.find("data")
        assert data is not None
        errors = [error.text or "" for error in data.findall("error")]
        fields = {child.tag: child.text or "" for child in data if child.tag != "error"}
        found.append((response.get("success") == "true", errors, fields))
    return found


def only_errors(reply: requests.Response) -> list[str]:
    [(success, errors, _)] = outcomes(reply)
    assert not success
    return errors


# --- the protocol --------------------------------------------------------------------------


def test_the_spec_sample_request_is_accepted(sandbox: Sandbox) -> None:
    reply = post(sandbox, SPEC_SAMPLE)

    assert outcomes(reply) == [
        (True, [], {"fname": "Sue", "lname": "Stallman", "customer_id": "1001"}),
        (True, [], {"fname": "Mike", "lname": "Smith", "customer_id": "1002"}),
    ]
    assert reply.content.startswith(b'<?xml version="1.0"?>\n<root>')
    assert [lead["source_id"] for lead in sandbox.accepted] == ["Partner ID", "1"]
    assert list(sandbox.accepted[0])[:-1] == list(FIELD_NAMES)
    assert sandbox.accepted[1]["customer_id"] == "1002"
    assert sandbox.posts == 1


def test_any_site_name_works_and_ids_keep_increasing(sandbox: Sandbox) -> None:
    first = outcomes(post(sandbox, leads_xml(lead()), site="acme"))
    second = outcomes(post(sandbox, leads_xml(lead()), site="other-dealer"))

    assert [first[0][2]["customer_id"], second[0][2]["customer_id"]] == ["1001", "1002"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        *[({name: None}, name) for name in ("source_id", "fname", "lname", "city", "state")],
        *[({name: "  "}, name) for name in ("source_id", "fname", "lname", "city", "phone1")],
        ({"phone1": None}, "phone1"),
        ({"state": "id"}, "state"),
        ({"state": "IDA"}, "state"),
        ({"state": "Idaho"}, "state"),
        ({"zip": "8366"}, "zip"),
        ({"zip": "83660-1234"}, "zip"),
        ({"zip": "836601234567"}, "zip"),
        ({"zip": "٨٣٦٦٠"}, "zip"),  # Arabic-Indic digits are digits to \d, not to SecurityTrax
        *[({name: "801-312-7735"}, name) for name in ("phone1", "phone2", "phone3", "phone4")],
        ({"phone1": "801312773"}, "phone1"),
        ({"phone2": "18013127735"}, "phone2"),
        ({"contact_time": "x" * 51}, "contact_time"),
        ({"lead_home_ownership": "Own"}, "lead_home_ownership"),
        ({"lead_home_ownership": "mine"}, "lead_home_ownership"),
        ({"lead_type_id": "1"}, "lead_type_id"),
        ({"lead_type_id": "Pending"}, "lead_type_id"),
        ({"lead_purchase_price": "$27.50"}, "lead_purchase_price"),
        ({"lead_purchase_price": "27.5"}, "lead_purchase_price"),
        ({"lead_purchase_price": "27"}, "lead_purchase_price"),
    ],
)
def test_each_rule_rejects_with_an_error_naming_the_field(
    sandbox: Sandbox, changes: dict[str, str | None], field: str
) -> None:
    errors = only_errors(post(sandbox, leads_xml(lead(**changes))))

    assert len(errors) == 1
    assert errors[0].startswith(f"{field} ")
    assert sandbox.accepted == []


def test_the_required_error_and_the_phone_error_read_plainly(sandbox: Sandbox) -> None:
    assert only_errors(post(sandbox, leads_xml(lead(city="")))) == ["city is required"]
    [error] = only_errors(post(sandbox, leads_xml(lead(phone1="12345"))))
    assert "phone1 must be 10 digits" in error


def test_every_problem_of_a_lead_is_reported(sandbox: Sandbox) -> None:
    errors = only_errors(post(sandbox, leads_xml(lead(fname="", state="Idaho", zip="1"))))

    assert [error.split()[0] for error in errors] == ["fname", "state", "zip"]


def test_unknown_and_repeated_elements_are_errors(sandbox: Sandbox) -> None:
    unknown = [*lead(), ("favourite_colour", "blue")]
    repeated = [*lead(), ("fname", "Again")]

    [(_, unknown_errors, _), (_, repeated_errors, _)] = outcomes(
        post(sandbox, leads_xml(unknown, repeated))
    )

    assert unknown_errors == ["favourite_colour is not a SecurityTrax lead field"]
    assert repeated_errors == ["fname is given more than once"]
    assert sandbox.accepted == []


@pytest.mark.parametrize(
    "changes",
    [
        {"zip": "836601234"},
        {"zip": ""},
        {"contact_time": "x" * 50},
        {"lead_home_ownership": ""},
        {"lead_type_id": "3"},
        {"lead_purchase_price": "0.99"},
        {"lead_purchase_price": ""},
        {"phone2": "", "phone3": None, "email": None, "address1": None},
    ],
)
def test_edge_values_that_the_spec_allows_are_accepted(
    sandbox: Sandbox, changes: dict[str, str | None]
) -> None:
    [(success, errors, _)] = outcomes(post(sandbox, leads_xml(lead(**changes))))

    assert (success, errors) == (True, [])


def test_one_bad_lead_among_good_ones_gets_its_own_false_in_order(sandbox: Sandbox) -> None:
    reply = post(sandbox, leads_xml(lead(fname="A"), lead(phone1="nope"), lead(fname="C")))

    assert [(ok, fields.get("customer_id")) for ok, _, fields in outcomes(reply)] == [
        (True, "1001"),
        (False, None),
        (True, "1002"),
    ]
    assert [lead["fname"] for lead in sandbox.accepted] == ["A", "C"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<leads><lead><fname>Sue</fname></lead>", "not well-formed"),
        (b"this is not xml", "not well-formed"),
        (b"", "empty"),
        (b"<lead><fname>Sue</fname></lead>", "root element must be <leads>"),
        (b"<leads><customer/></leads>", "only <lead> elements"),
        (b"<leads/>", "no <lead> elements"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><leads>&a;</leads>', "not well-formed"),
    ],
)
def test_a_bad_document_gets_one_false_response(sandbox: Sandbox, body: bytes, words: str) -> None:
    [error] = only_errors(post(sandbox, body))

    assert words in error
    assert sandbox.accepted == []


def test_other_paths_are_not_found_and_get_is_not_allowed(sandbox: Sandbox) -> None:
    base = sandbox.url().removesuffix("/demo/leadpostxml.php")
    for path in ("/leadpostxml.php", "/demo/other.php", "/a/b/leadpostxml.php", "/"):
        reply = requests.post(base + path, data=SPEC_SAMPLE, timeout=5)
        assert (reply.status_code, reply.headers["Content-Type"]) == (
            404,
            "text/plain; charset=utf-8",
        )
        assert reply.text
    assert requests.get(sandbox.url(), timeout=5).status_code == 405
    assert (sandbox.posts, sandbox.accepted) == (0, [])


def test_a_body_over_5_mib_is_refused(sandbox: Sandbox) -> None:
    reply = post(sandbox, b" " * (5 * 1024 * 1024 + 1))

    assert reply.status_code == 413


def test_accepted_count_shows_duplicates(sandbox: Sandbox) -> None:
    post(sandbox, leads_xml(lead(lead_company_unique_id="LD1"), lead(lead_company_unique_id="")))
    post(sandbox, leads_xml(lead(lead_company_unique_id="LD1")))

    assert sandbox.accepted_count() == {"LD1": 2}
    assert sandbox.accepted_count("fname") == {"Mike": 3}


# --- fault switches --------------------------------------------------------------------------


def test_error_rate_answers_500_and_accepts_nothing(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(error_rate=1.0)

    reply = post(sandbox, SPEC_SAMPLE)

    assert reply.status_code == 500
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert (sandbox.posts, sandbox.accepted) == (1, [])


def test_garbage_rate_answers_an_html_page_and_accepts_nothing(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(garbage_rate=1.0)

    reply = post(sandbox, SPEC_SAMPLE)

    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    assert b"<html>" in reply.content
    assert sandbox.accepted == []


def test_drop_rate_hangs_up_and_accepts_nothing(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(drop_rate=1.0)

    with pytest.raises(requests.ConnectionError):
        post(sandbox, SPEC_SAMPLE)

    assert (sandbox.posts, sandbox.accepted) == (1, [])


def test_lost_reply_rate_accepts_the_leads_but_never_answers(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(lost_reply_rate=1.0)

    with pytest.raises(requests.ConnectionError):
        post(sandbox, SPEC_SAMPLE)

    assert [lead["customer_id"] for lead in sandbox.accepted] == ["1001", "1002"]


def test_reject_rate_rejects_valid_leads(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(reject_rate=1.0)

    assert [errors for _, errors, _ in outcomes(post(sandbox, SPEC_SAMPLE))] == [
        [REJECT_MESSAGE],
        [REJECT_MESSAGE],
    ]
    assert sandbox.accepted == []


def test_delay_holds_the_answer_back(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(delay=0.2)

    started = time.monotonic()
    reply = post(sandbox, leads_xml(lead()))

    assert time.monotonic() - started >= 0.2
    assert outcomes(reply)[0][0]


def test_drip_sends_the_reply_slowly(sandbox: Sandbox) -> None:
    drip = 0.001
    sandbox.faults = Faults(error_rate=1.0, drip=drip)  # the 500 reply is short

    started = time.monotonic()
    reply = post(sandbox, b"<leads/>")
    elapsed = time.monotonic() - started

    assert reply.status_code == 500
    assert reply.text == "Internal Server Error (sandbox error rate)\n"
    status_line = b"HTTP/1.1 500 Internal Server Error\r\n"
    assert elapsed >= (len(status_line) + len(reply.content)) * drip


def test_a_seed_replays_the_same_faults(sandbox: Sandbox) -> None:
    def statuses() -> list[int]:
        sandbox.faults = Faults(error_rate=0.5, seed=7)
        return [post(sandbox, leads_xml(lead())).status_code for _ in range(12)]

    first = statuses()

    assert first == statuses()
    assert set(first) == {200, 500}
    assert len(sandbox.accepted) == 2 * first.count(200)


def test_swap_replies_answers_in_reverse_each_response_echoing_its_own_lead(
    sandbox: Sandbox,
) -> None:
    sandbox.faults = Faults(swap_replies=True)

    answered = outcomes(post(sandbox, leads_xml(lead(fname="A"), lead(fname="B"), lead(fname="C"))))

    assert [(fields["fname"], fields["customer_id"]) for _, _, fields in answered] == [
        ("C", "1003"),
        ("B", "1002"),
        ("A", "1001"),
    ]
    assert [lead["fname"] for lead in sandbox.accepted] == ["A", "B", "C"]  # stored once each
    assert [ok for ok, _, _ in outcomes(post(sandbox, leads_xml(lead(fname="D"))))] == [True]


def test_refuse_document_answers_one_false_and_stores_nothing(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(refuse_document=True)

    answered = outcomes(post(sandbox, leads_xml(lead(fname="A"), lead(fname="B"), lead())))

    assert answered == [(False, [REFUSE_DOCUMENT_MESSAGE], {})]
    assert sandbox.accepted == []


def test_through_the_poster_swapped_replies_store_no_customer_id_on_any_lead(
    sandbox: Sandbox,
) -> None:
    sandbox.faults = Faults(swap_replies=True)
    leads = [make_lead(i, fname=name) for i, name in enumerate(("Ann", "Bob", "Cat"))]

    with Poster(Timeouts(connect=2.0, read=5.0, deadline=10.0)) as poster:
        result = poster.post(sandbox.url(), leads)

    assert [(r.outcome, r.customer_id) for r in result.results] == [(Outcome.UNCONFIRMED, "")] * 3
    assert all(r.errors == (NAMES_CONTRADICT,) for r in result.results)
    sent_ids = {r.lead.lead_company_unique_id for r in result.results}
    assert sandbox.accepted_count() == dict.fromkeys(sent_ids, 1)  # each stored, once


def test_through_the_outbox_swapped_replies_leave_leads_unconfirmed_without_ids(
    sandbox: Sandbox, store: Store, tmp_path: Path
) -> None:
    sandbox.faults = Faults(swap_replies=True)
    ids = store.add_many([(make_lead(i), sandbox.url()) for i in range(4)])
    sending = Sending(batch_size=10, retry_limit=3, backoff_seconds=0.05, backoff_max_seconds=0.1)

    with (
        Poster(Timeouts(connect=2.0, read=5.0, deadline=10.0)) as poster,
        Outbox(store, poster, sending, tmp_path / "senders") as outbox,
    ):
        outbox.run_until_final(ids, threading.Event())

    stored = store.get_many(ids)
    assert [(lead.state, lead.customer_id) for lead in stored] == [(State.UNCONFIRMED, "")] * 4
    assert sandbox.posts == 1  # never resent
    assert sandbox.accepted_count() == {lead.lead.lead_company_unique_id: 1 for lead in stored}


def test_through_the_poster_a_refused_document_rejects_every_lead_with_its_reason(
    sandbox: Sandbox,
) -> None:
    sandbox.faults = Faults(refuse_document=True)

    with Poster(Timeouts(connect=2.0, read=5.0, deadline=10.0)) as poster:
        result = poster.post(sandbox.url(), [make_lead(i) for i in range(3)])

    assert [(r.outcome, r.errors) for r in result.results] == [
        (Outcome.REJECTED, (REFUSE_DOCUMENT_MESSAGE,))
    ] * 3
    assert sandbox.accepted == []


def test_faults_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError, match="negative"):
        Faults(delay=-1)


# --- connections, lifecycle, logs -----------------------------------------------------------


def test_keep_alive_serves_50_posts_over_one_connection_quickly(sandbox: Sandbox) -> None:
    body = leads_xml(lead())
    with requests.Session() as session:
        started = time.monotonic()
        replies = [session.post(sandbox.url(), data=body, timeout=5) for _ in range(50)]
        elapsed = time.monotonic() - started

    assert all(outcomes(reply)[0][0] for reply in replies)
    assert sandbox.connections == 1
    assert elapsed < 1.0  # Nagle plus delayed ACKs would make it about 2 s


def test_stop_then_start_on_the_same_port(sandbox: Sandbox) -> None:
    port = sandbox.port
    post(sandbox, leads_xml(lead()))

    sandbox.stop()
    with pytest.raises(requests.ConnectionError):
        post(sandbox, leads_xml(lead()))
    sandbox.start()

    assert sandbox.port == port
    assert outcomes(post(sandbox, leads_xml(lead())))[0][2]["customer_id"] == "1002"


def test_stop_hangs_up_an_idle_keep_alive_connection(sandbox: Sandbox) -> None:
    with requests.Session() as session:
        assert session.post(sandbox.url(), data=b"<leads/>", timeout=5).status_code == 200
        sandbox.stop()  # must not wait for the session to go away
        sandbox.start()
        assert session.post(sandbox.url(), data=b"<leads/>", timeout=5).status_code == 200


def test_log_lines_carry_no_personal_data(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="leaddesk.sandbox")
    canaries = {
        "fname": "Canaryfirst",
        "lname": "Canarylast",
        "phone1": "8013127735",
        "email": "canary@example.com",
        "address1": "1 Canary Lane",
        "city": "Canaryville",
    }
    post(sandbox, leads_xml(lead(**canaries)))
    post(sandbox, leads_xml(lead(**canaries, state="Canarystate")))
    sandbox.faults = Faults(garbage_rate=1.0)
    post(sandbox, leads_xml(lead(**canaries)))
    sandbox.stop()  # waits for the handlers, so every line is in

    lines = [record.getMessage() for record in caplog.records if record.name == "leaddesk.sandbox"]
    assert len(lines) == 3
    assert (
        "POST /demo/leadpostxml.php leads=1 accepted=1 rejected=0 fault=none status=200" in lines[0]
    )
    assert "accepted=0 rejected=1" in lines[1]
    assert "fault=garbage" in lines[2]
    logged = "\n".join(lines).casefold()
    for value in [*canaries.values(), "Canarystate", "Smith"]:
        assert value.casefold() not in logged


# --- run(), for the command line -------------------------------------------------------------


def test_run_refuses_a_remote_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert sandbox_module.run("0.0.0.0", 0, Faults()) == 2
    assert "Refusing" in capsys.readouterr().err


def test_run_reports_a_port_in_use(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    assert sandbox_module.run("127.0.0.1", sandbox.port, Faults()) == 2
    assert "already in use" in capsys.readouterr().err


class _WatchedStdout:
    """Stands in for sys.stdout and signals when run() has announced its URL."""

    def __init__(self) -> None:
        self.text = ""
        self.announced = threading.Event()

    def write(self, text: str) -> int:
        self.text += text
        if "leadpostxml.php" in self.text:
            self.announced.set()
        return len(text)

    def flush(self) -> None:
        pass


def test_run_serves_until_ctrl_c_and_returns_0(monkeypatch: pytest.MonkeyPatch) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("Ctrl+C reaches only the main thread")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is handled by something else in this run")
    stdout = _WatchedStdout()
    monkeypatch.setattr(sys, "stdout", stdout)
    statuses: list[int] = []

    def post_then_press_ctrl_c() -> None:
        if not stdout.announced.wait(5):
            return  # run() never got to serving; there is nothing to interrupt
        try:
            url = re.search(r"http://\S+leadpostxml\.php", stdout.text)
            assert url is not None
            statuses.append(requests.post(url.group(), data=SPEC_SAMPLE, timeout=5).status_code)
        finally:
            main_thread = threading.main_thread().ident
            assert main_thread is not None
            signal.pthread_kill(main_thread, signal.SIGINT)

    helper = threading.Thread(target=post_then_press_ctrl_c)
    helper.start()
    status = sandbox_module.run("127.0.0.1", 0, Faults())
    helper.join()

    assert status == 0
    assert statuses == [200]
    assert stdout.text.startswith("LeadDesk sandbox listening: post leads to http://127.0.0.1:")
    assert stdout.text.count("\n") == 1
