"""The wire format: lead documents out, SecurityTrax replies in."""

from __future__ import annotations

import time
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from leaddesk.domain.fields import FIELDS, LeadInvalid
from leaddesk.domain.lead import Lead
from leaddesk.domain.name_key import name_key
from leaddesk.domain.server_text import printable
from leaddesk.wire import securitytrax_xml as wire
from leaddesk.wire.securitytrax_xml import (
    NAMES_CONTRADICT,
    NO_REASON,
    ReplyError,
    Verdict,
    build_document,
    parse_leads_document,
    parse_reply,
    read_reply,
)
from tests.support.leads import make_lead, sample_lead
from tests.support.spec_samples import SPEC_SAMPLE_REQUEST

FIELD_NAMES = [spec.name for spec in FIELDS]


# The spec's "Sample Response", verbatim (without the stray page markup above it).
SPEC_SAMPLE_RESPONSE = b"""<?xml version="1.0"?>
<root>
	<responses>
		<response success="true">
			<data>
				<fname>testfirst</fname>
				<lname>testlast</lname>
				<customer_id>1003</customer_id>
			</data>
		</response>
 	</responses>
</root>"""  # noqa: E101 (verbatim from the spec)


def reply(*responses: str, declaration: bool = True) -> bytes:
    head = '<?xml version="1.0"?>' if declaration else ""
    return f"{head}<root><responses>{''.join(responses)}</responses></root>".encode()


ACCEPTED_RESPONSE = (
    '<response success="true"><data><fname>Sue</fname><lname>Stallman</lname>'
    "<customer_id>1004</customer_id></data></response>"
)


# --- building ---------------------------------------------------------------------------


def test_document_starts_with_the_spec_declaration() -> None:
    document = build_document([sample_lead()])
    assert document.startswith(b'<?xml version="1.0" standalone="yes"?>')
    assert document.count(b"<?xml") == 1


def test_document_is_utf8() -> None:
    document = build_document([sample_lead(fname="Zoë", city="Москва")])
    text = document.decode("utf-8")  # raises if it is not
    assert "Zoë" in text
    assert "Москва" in text


def test_every_element_once_in_spec_order() -> None:
    root = ET.fromstring(build_document([sample_lead(email="sue@example.com")]))
    assert root.tag == "leads"
    [lead] = list(root)
    assert lead.tag == "lead"
    assert [child.tag for child in lead] == FIELD_NAMES
    assert len(FIELD_NAMES) == 30


def test_blank_fields_are_empty_elements_not_left_out() -> None:
    lead = sample_lead()
    element_of_lead = ET.fromstring(build_document([lead])).find("lead")
    assert element_of_lead is not None
    elements = {child.tag: child for child in element_of_lead}
    assert set(elements) == set(FIELD_NAMES)
    for name, value in lead.values().items():
        element = elements[name]
        assert len(element) == 0
        assert (element.text or "") == value
        if not value:
            assert not element.text
            assert not element.attrib


def test_several_leads_in_one_document_in_order() -> None:
    leads = [sample_lead(fname=name) for name in ("Sue", "Mike", "Ann")]
    root = ET.fromstring(build_document(leads))
    assert [lead.findtext("fname") for lead in root.findall("lead")] == ["Sue", "Mike", "Ann"]
    assert all([c.tag for c in lead] == FIELD_NAMES for lead in root.findall("lead"))


def test_document_parses_back_to_the_lead_values() -> None:
    leads = [sample_lead(fname="Sue"), sample_lead(fname="Mike", zip="83660-1234")]
    assert parse_leads_document(build_document(leads)) == [lead.values() for lead in leads]


@pytest.mark.parametrize(
    "value",
    [
        "Smith & Sons",
        "&amp;",
        "&lt;b&gt;",
        "<script>alert(1)</script>",
        "a < b > c",
        'He said "call me"',
        "O'Brien",
        'It\'s "fine" & <ok>',
        "]]>",
        "x]]>y",
        "<![CDATA[x]]>",
        "&#0;",
        "José Ñúñez",
        "Nguyễn Thị Minh Khai",
        "Москва",
        "北京市朝阳区",
        "שלום עליכם",
        "مرحبا",
        "👍",
        "👨‍👩‍👧 family 🏠🔒",
        "\U0010fffd",
    ],
)
@pytest.mark.parametrize("name", ["fname", "city", "lead_comments", "lead_custom4"])
def test_special_characters_round_trip_exactly(name: str, value: str) -> None:
    lead = sample_lead(**{name: value})
    assert getattr(lead, name) == value  # the model keeps it as typed
    [back] = parse_leads_document(build_document([lead]))
    assert back[name] == value
    assert back == lead.values()
    # and a plain XML parser reads the same
    assert ET.fromstring(build_document([lead])).findtext(f"lead/{name}") == value


def test_multiline_notes_round_trip_with_line_breaks_and_tabs() -> None:
    notes = "Line one\nLine two\n\tindented\n\nafter a blank line"
    lead = sample_lead(lead_callcenter_notes=notes)
    [back] = parse_leads_document(build_document([lead]))
    assert back["lead_callcenter_notes"] == notes


def test_building_no_leads_is_an_error_not_an_empty_post() -> None:
    with pytest.raises(ValueError):
        build_document([])


# --- the spec's sample request ----------------------------------------------------------


def test_spec_sample_request_parses_into_two_valid_leads() -> None:
    parsed = parse_leads_document(SPEC_SAMPLE_REQUEST)
    assert len(parsed) == 2
    for values in parsed:
        assert list(values) == FIELD_NAMES
        lead = Lead.parse(values)
        assert lead.values() == values  # already in the form it is sent
    assert parsed[0]["fname"] == "Sue"
    assert parsed[0]["lead_purchase_price"] == "27.50"
    assert parsed[0]["campaign_id"] == ""
    assert parsed[1]["fname"] == "Mike"
    assert parsed[1]["lead_type_id"] == "2"
    assert parsed[1]["address2"] == "Suite 2"


def test_spec_sample_request_rebuilds_into_the_same_elements_and_values() -> None:
    leads = [Lead.parse(values) for values in parse_leads_document(SPEC_SAMPLE_REQUEST)]
    rebuilt = ET.fromstring(build_document(leads))
    original = ET.fromstring(SPEC_SAMPLE_REQUEST)

    def shape(root: ET.Element) -> list[list[tuple[str, str]]]:
        return [
            [(child.tag, (child.text or "").strip()) for child in lead]
            for lead in root.findall("lead")
        ]

    assert rebuilt.tag == original.tag == "leads"
    assert shape(rebuilt) == shape(original)


# --- replies ----------------------------------------------------------------------------


def test_spec_sample_response_is_one_accepted_lead() -> None:
    [answer] = parse_reply(SPEC_SAMPLE_RESPONSE, 1)
    assert answer.verdict is Verdict.ACCEPTED
    assert answer.customer_id == "1003"
    assert answer.data["fname"] == "testfirst"
    assert answer.data["lname"] == "testlast"
    assert answer.errors == ()


def test_rejection_carries_every_error_text_in_order() -> None:
    body = reply(
        '<response success="false"><data>'
        "<error>Invalid source_id</error>"
        "<error>phone1 is required</error>"
        "<error>state must be a 2 letter state code</error>"
        "</data></response>"
    )
    [answer] = parse_reply(body, 1)
    assert answer.verdict is Verdict.REJECTED
    assert answer.errors == (
        "Invalid source_id",
        "phone1 is required",
        "state must be a 2 letter state code",
    )
    assert answer.customer_id == ""


def test_rejection_with_no_error_text_still_says_something() -> None:
    [answer] = parse_reply(reply('<response success="false"><data/></response>'), 1)
    assert answer.verdict is Verdict.REJECTED
    assert answer.errors and all(text.strip() for text in answer.errors)


def test_one_response_per_lead_in_order() -> None:
    body = reply(
        ACCEPTED_RESPONSE,
        '<response success="false"><data><error>Duplicate lead</error></data></response>',
        ACCEPTED_RESPONSE.replace("1004", "1005"),
    )
    answers = parse_reply(body, 3)
    assert [a.verdict for a in answers] == [Verdict.ACCEPTED, Verdict.REJECTED, Verdict.ACCEPTED]
    assert [a.customer_id for a in answers] == ["1004", "", "1005"]
    assert answers[1].errors == ("Duplicate lead",)


def test_customer_id_is_trimmed() -> None:
    body = reply(
        '<response success="true"><data><customer_id>\n  77\n</customer_id></data></response>'
    )
    assert parse_reply(body, 1)[0].customer_id == "77"


@pytest.mark.parametrize(
    "response",
    [
        "<response><data><customer_id>1</customer_id></data></response>",
        '<response success=""><data/></response>',
        '<response success="maybe"><data/></response>',
    ],
)
def test_response_without_a_clear_success_is_unreadable(response: str) -> None:
    [answer] = parse_reply(reply(response), 1)
    assert answer.verdict is Verdict.UNREADABLE
    assert answer.errors and all(text.strip() for text in answer.errors)


def test_one_unreadable_response_does_not_spoil_the_others() -> None:
    answers = parse_reply(reply(ACCEPTED_RESPONSE, "<response><data/></response>"), 2)
    assert [a.verdict for a in answers] == [Verdict.ACCEPTED, Verdict.UNREADABLE]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE root [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<root><responses><response success="false"><data><error>&lol9;</error></data></response>
</responses></root>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<root><responses><response success="false"><data><error>&secret;</error></data></response>
</responses></root>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE root SYSTEM "http://127.0.0.1:9/evil.dtd">
<root><responses><response success="true"><data><customer_id>1</customer_id></data>
</response></responses></root>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<root><responses><response success="true"/></responses></root>"""


def _oversize() -> bytes:
    body = reply(ACCEPTED_RESPONSE)
    padding = wire.MAX_REPLY_BYTES + 1 - len(body)
    return body.replace(b"<root>", b"<root>" + b" " * padding, 1)


UNUSABLE_REPLIES: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b" \r\n\t ",
    "html page": b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1></body></html>",
    "html without doctype": b"<html><body>Service Unavailable<br></body></html>",
    "plain text": b"Internal Server Error",
    "json": b'{"success": true, "customer_id": 1003}',
    "truncated": reply(ACCEPTED_RESPONSE)[:-12],
    "the request echoed back": SPEC_SAMPLE_REQUEST,
    "another root": b'<?xml version="1.0"?><result success="true"><customer_id>1</customer_id>'
    b"</result>",
    "namespaced root": b'<x:root xmlns:x="urn:x"><responses>'
    + ACCEPTED_RESPONSE.encode()
    + b"</responses></x:root>",
    "no responses": reply(),
    "more responses than leads": reply(ACCEPTED_RESPONSE, ACCEPTED_RESPONSE),
    "invalid utf-8": b"<root><responses><response success='true'>\xff\xfe</response>"
    b"</responses></root>",
    "undefined entity": reply('<response success="true"><data>&nbsp;</data></response>'),
    "unknown encoding": b'<?xml version="1.0" encoding="x-no-such-charset"?>'
    + reply(ACCEPTED_RESPONSE, declaration=False),
    "oversize": _oversize(),
    "billion laughs": BILLION_LAUGHS,
    "external entity": EXTERNAL_ENTITY,
    "external dtd": EXTERNAL_DTD,
    "parameter entity": PARAMETER_ENTITY,
}


@pytest.mark.parametrize("body", UNUSABLE_REPLIES.values(), ids=UNUSABLE_REPLIES.keys())
def test_unusable_reply_is_a_reply_error_with_a_reason(body: bytes) -> None:
    with pytest.raises(ReplyError) as caught:
        parse_reply(body, 1)
    assert str(caught.value).strip()


def test_fewer_responses_than_leads_is_a_reply_error() -> None:
    with pytest.raises(ReplyError) as caught:
        parse_reply(reply(ACCEPTED_RESPONSE), 2)
    assert "1" in str(caught.value) and "2" in str(caught.value)


def test_reply_of_exactly_the_size_cap_is_still_read() -> None:
    body = reply(ACCEPTED_RESPONSE)
    body = body.replace(b"<root>", b"<root>" + b" " * (wire.MAX_REPLY_BYTES - len(body)), 1)
    assert len(body) == wire.MAX_REPLY_BYTES
    assert parse_reply(body, 1)[0].customer_id == "1004"


def test_entity_bomb_is_refused_quickly_not_expanded() -> None:
    started = time.monotonic()
    with pytest.raises(ReplyError) as caught:
        parse_reply(BILLION_LAUGHS, 1)
    assert time.monotonic() - started < 1.0
    assert "lollol" not in str(caught.value)


def test_external_entity_is_refused_not_read() -> None:
    with pytest.raises(ReplyError) as caught:
        parse_reply(EXTERNAL_ENTITY, 1)
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [UNUSABLE_REPLIES["html page"], UNUSABLE_REPLIES["html without doctype"]],
    ids=["with doctype", "without doctype"],
)
def test_html_page_is_described_as_html(body: bytes) -> None:
    # A proxy's or web server's error page is the most common wrong answer; the reason shown
    # to the agent should say that, not blame unsafe XML features.
    with pytest.raises(ReplyError) as caught:
        parse_reply(body, 1)
    assert "HTML" in str(caught.value)


# --- replies matched to leads with evidence (read_reply) ----------------------------------


def echo(lead: Lead, customer_id: str, success: str = "true") -> ET.Element:
    """A response that echoes the lead's names, as SecurityTrax (and the sandbox) do."""
    response = ET.Element("response", success=success)
    data = ET.SubElement(response, "data")
    ET.SubElement(data, "fname").text = lead.fname
    ET.SubElement(data, "lname").text = lead.lname
    ET.SubElement(data, "customer_id").text = customer_id
    return response


def reply_of(*responses: ET.Element) -> bytes:
    root = ET.Element("root")
    ET.SubElement(root, "responses").extend(responses)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0"?>' + body


def lead_named(fname: str, lname: str) -> Lead:
    try:
        return sample_lead(fname=fname, lname=lname)
    except LeadInvalid:
        assume(False)
        raise


def names_key(lead: Lead) -> tuple[str, str]:
    return (" ".join(name_key(lead.fname).split()), " ".join(name_key(lead.lname).split()))


NAMES = st.text(min_size=1, max_size=40)


@given(NAMES, NAMES, NAMES, NAMES)
@example("Sue", "Stallman", "Mike", "Stallman")
@example("Ann", "Núñez", "ANN", "Nunez ")  # the same person to the history: not evidence
def test_names_in_order_match_and_swapped_names_are_unmatched(
    fname_a: str, lname_a: str, fname_b: str, lname_b: str
) -> None:
    leads = [lead_named(fname_a, lname_a), lead_named(fname_b, lname_b)]

    in_order = read_reply(reply_of(echo(leads[0], "1001"), echo(leads[1], "1002")), leads)
    assert [(a.verdict, a.customer_id) for a in in_order] == [
        (Verdict.ACCEPTED, "1001"),
        (Verdict.ACCEPTED, "1002"),
    ]

    swapped = read_reply(reply_of(echo(leads[1], "1002"), echo(leads[0], "1001")), leads)
    if names_key(leads[0]) == names_key(leads[1]):
        return  # the names cannot tell these two leads apart: no evidence either way
    assert [(a.verdict, a.customer_id, a.errors) for a in swapped] == [
        (Verdict.UNMATCHED, "", (NAMES_CONTRADICT,)),
        (Verdict.UNMATCHED, "", (NAMES_CONTRADICT,)),
    ]


def test_echoed_names_match_whatever_their_case_spacing_and_accents() -> None:
    sent = sample_lead(fname="José Ángel", lname="Núñez")
    response = ET.fromstring(
        '<response success="true"><data><fname>  JOSE\n ANGEL </fname>'
        "<lname>nunez</lname><customer_id>7</customer_id></data></response>"
    )
    [answer] = read_reply(reply_of(response), [sent])
    assert (answer.verdict, answer.customer_id) == (Verdict.ACCEPTED, "7")
    decomposed = unicodedata.normalize("NFD", "Núñez")
    echoed = sample_lead(fname="JOSE ANGEL", lname=decomposed)
    [again] = read_reply(reply_of(echo(echoed, "8")), [sent])
    assert again.customer_id == "8"


@pytest.mark.parametrize(
    "data",
    [
        "<customer_id>1</customer_id>",
        "<fname></fname><lname> </lname><customer_id>1</customer_id>",
        "<fname/><customer_id>1</customer_id>",
    ],
    ids=["no echo", "blank echo", "empty element"],
)
def test_a_missing_or_blank_echo_is_no_evidence(data: str) -> None:
    leads = [make_lead(1), make_lead(2)]
    response = f'<response success="true"><data>{data}</data></response>'
    answers = read_reply(reply(response, response), leads)
    assert [a.verdict for a in answers] == [Verdict.ACCEPTED, Verdict.ACCEPTED]


def test_one_contradicting_name_among_three_makes_every_lead_unmatched() -> None:
    leads = [make_lead(1), make_lead(2), make_lead(3)]
    wrong = echo(make_lead(9), "1003", success="false")  # a refusal, about someone else
    body = reply_of(echo(leads[0], "1001"), echo(leads[1], "1002"), wrong)

    answers = read_reply(body, leads)

    assert [a.verdict for a in answers] == [Verdict.UNMATCHED] * 3
    assert all(a.customer_id == "" and a.errors == (NAMES_CONTRADICT,) for a in answers)
    assert all(lead.lname not in NAMES_CONTRADICT for lead in leads)  # no names in reasons


def test_a_first_name_alone_can_contradict() -> None:
    leads = [make_lead(1, fname="Ann"), make_lead(2, fname="Bob")]
    responses = [
        f'<response success="true"><data><fname>{name}</fname></data></response>'
        for name in ("Bob", "Ann")
    ]
    assert {a.verdict for a in read_reply(reply(*responses), leads)} == {Verdict.UNMATCHED}


ECHOED = "<fname>Sue</fname><lname>Stallman</lname><phone1>8013127735</phone1>"


@pytest.mark.parametrize(
    ("data", "reasons"),
    [
        ("<error>Invalid source_id</error><error>phone1 is required</error>",
         ("Invalid source_id", "phone1 is required")),
        ("<errors><error>Invalid source_id</error><error>Bad state</error></errors>",
         ("Invalid source_id", "Bad state")),
        ("<error_message>Duplicate lead</error_message>", ("Duplicate lead",)),
        ("<message>Source is disabled</message>", ("Source is disabled",)),
        ("<ErrorMessage>Quota reached</ErrorMessage>", ("Quota reached",)),
        ("<details><x:error xmlns:x='urn:x'>Nested deep</x:error></details>", ("Nested deep",)),
        ("<error><code>17</code><text>Bad zip</text></error>", ("17 Bad zip",)),
        ("<errors>Two problems:<error>one</error><error>two</error></errors>",
         ("Two problems:", "one", "two")),
        ("Plain words in data", ("Plain words in data",)),
    ],
)  # fmt: skip
def test_refusal_reasons_come_from_error_and_message_elements_not_echoed_fields(
    data: str, reasons: tuple[str, ...]
) -> None:
    body = reply(f'<response success="false"><data>{ECHOED}{data}</data></response>')

    [answer] = read_reply(body, [sample_lead()])

    assert (answer.verdict, answer.errors) == (Verdict.REJECTED, reasons)
    assert answer.data["errors"] == "\n".join(reasons)  # every error kept
    assert (answer.data["fname"], answer.data["phone1"]) == ("Sue", "8013127735")
    assert [parse_reply(body, 1)[0].errors] == [reasons]


def test_a_refusal_echoing_only_fields_gives_no_reason_rather_than_the_fields() -> None:
    body = reply(f'<response success="false"><data>{ECHOED}</data></response>')

    [answer] = read_reply(body, [sample_lead()])

    assert answer.errors == (NO_REASON,)
    assert "errors" not in answer.data


def test_error_texts_lose_control_characters_and_are_capped() -> None:
    # XML 1.0 cannot carry ESC and most C0 controls; C1 ones, DEL and bidi overrides it can.
    hostile = "\x9b2J\u202eBad\tzip\x7f\u2066\x85 code\n" + "x" * 1000
    response = ET.Element("response", success="false")
    ET.SubElement(ET.SubElement(response, "data"), "error").text = hostile
    body = reply_of(response)

    [answer] = read_reply(body, [sample_lead()])

    [reason] = answer.errors
    assert reason.startswith("Bad zip code")
    assert len(reason) <= 300
    assert reason == printable(reason)
    assert not any(unicodedata.category(c) == "Cc" for c in answer.data["errors"])


def test_a_reply_nesting_errors_deep_is_read_quickly_with_capped_reasons() -> None:
    depth = 45_000  # just under the reply size cap
    nested = "<error><b>x" * depth + "</b></error>" * depth
    body = reply(f'<response success="false"><data>{nested}</data></response>')
    assert len(body) <= wire.MAX_REPLY_BYTES

    started = time.monotonic()
    [answer] = read_reply(body, [sample_lead()])

    assert time.monotonic() - started < 2.0
    assert answer.verdict is Verdict.REJECTED
    assert 0 < len(answer.errors) <= 50


def test_one_refusal_for_a_document_of_three_rejects_all_three_with_its_reason() -> None:
    leads = [make_lead(1), make_lead(2), make_lead(3)]
    body = reply('<response success="false"><data><error>Invalid source_id</error></data>'
                 "</response>")  # fmt: skip

    answers = read_reply(body, leads)

    assert [(a.verdict, a.errors) for a in answers] == [
        (Verdict.REJECTED, ("Invalid source_id",))
    ] * 3


@pytest.mark.parametrize(
    "responses",
    [
        [echo(make_lead(1), "1", "false")],  # a refusal about one lead says nothing of others
        [ET.fromstring('<response success="true"><data><customer_id>1</customer_id></data>'
                       "</response>")],
        [echo(make_lead(1), "1001"), echo(make_lead(2), "1002")],
        [],
    ],
    ids=["one refusal naming a lead", "one acceptance", "two responses", "none"],
)  # fmt: skip
def test_any_other_count_of_responses_is_a_reply_error(responses: list[ET.Element]) -> None:
    leads = [make_lead(1), make_lead(2), make_lead(3)]
    with pytest.raises(ReplyError) as caught:
        read_reply(reply_of(*responses), leads)
    assert f"{len(responses)} responses for 3 leads" in str(caught.value)
