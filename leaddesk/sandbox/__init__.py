"""A local SecurityTrax-compatible lead-post endpoint for demos, agent training and tests.

It is a separate implementation of the server side of the protocol: it parses requests on its
own (defusedxml) and checks each lead the way the SecurityTrax spec describes, so that it can
catch mistakes in `leaddesk.wire.securitytrax_xml` instead of sharing them. Fault switches
make it misbehave in the ways a real dealer server does: slow, failing, answering HTML, or
hanging up.

faults: the fault switches; checks: reading a post and checking its leads; replies: the
answers; server: the endpoint and its HTTP server; run: `leaddesk sandbox`.
"""

from leaddesk.sandbox.checks import check_lead, parse_leads
from leaddesk.sandbox.faults import Faults
from leaddesk.sandbox.replies import (
    REFUSE_DOCUMENT_MESSAGE,
    REJECT_MESSAGE,
    failure_response,
    reply_document,
    success_response,
)
from leaddesk.sandbox.run import run
from leaddesk.sandbox.server import MAX_BODY_BYTES, Sandbox

__all__ = [
    "MAX_BODY_BYTES",
    "REFUSE_DOCUMENT_MESSAGE",
    "REJECT_MESSAGE",
    "Faults",
    "Sandbox",
    "check_lead",
    "failure_response",
    "parse_leads",
    "reply_document",
    "run",
    "success_response",
]
