"""A second wire format, as small as one can be, for tests that need a format other than
SecurityTrax's XML."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from leaddesk.domain.lead import Lead
from leaddesk.wire.format import LeadReply, ReplyError, Verdict


class JsonLines:
    """A second wire format, as small as one can be: a lead per line, as JSON."""

    name = "test-json-lines"
    content_type = "application/x-ndjson"
    max_reply_bytes = 1024

    def build(self, leads: Sequence[Lead]) -> bytes:
        return b"".join(json.dumps(lead.values()).encode() + b"\n" for lead in leads)

    def read_reply(self, body: bytes, leads: Sequence[Lead]) -> list[LeadReply]:
        answers = body.decode().split()
        if len(answers) != len(leads):
            raise ReplyError("not one answer per lead")
        return [LeadReply(Verdict.ACCEPTED, customer_id=answer) for answer in answers]

    def is_reply(self, body: bytes, lead_count: int) -> bool:
        return len(body.split()) == lead_count

    def without(self, document: bytes, positions: Collection[int]) -> bytes:
        lines = document.splitlines(keepends=True)
        return b"".join(line for i, line in enumerate(lines) if i not in positions)
