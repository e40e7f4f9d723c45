"""The wire formats LeadDesk knows, by the tag stored with each post."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TypeVar

from leaddesk.wire.format import WireFormat
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML

Format = TypeVar("Format")

DEFAULT_FORMAT: WireFormat = SECURITYTRAX_XML
FORMATS: dict[str, WireFormat] = {
    wire_format.name: wire_format for wire_format in (SECURITYTRAX_XML,)
}


def by_name(tag: str) -> WireFormat:
    """The format a stored post was made in; ValueError for a tag no format has."""
    try:
        return FORMATS[tag]
    except KeyError:
        raise ValueError(f"no wire format is named {tag!r}") from None


def cut_document(tag: str, document: bytes, positions: Collection[int]) -> bytes:
    """A stored request less the leads at these positions, read in the format it was sent
    in (what the history's purge is given, so that it never parses a document itself)."""
    return by_name(tag).without(document, positions)


def everywhere(wire_format: Format) -> Callable[[str], Format]:
    """Every destination speaks this one format (one-off commands, tests, benches)."""
    return lambda _url: wire_format
