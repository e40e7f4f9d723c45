"""Leads brought to a state the way the send loop brings them: a claim, then the post's
outcome recorded (no post is made)."""

from __future__ import annotations

from leaddesk.config.settings import Sending
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.domain.stored import StoredLead
from leaddesk.history.store import Store
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML


def settle(store: Store, outcome: Outcome, *errors: str, retry_limit: int = 1) -> StoredLead:
    """The next due lead claimed and its post recorded with this outcome; with the default
    retry limit of one, a lead not sent fails at once. The lead as it is now."""
    claim = store.claim("tester", 1, everywhere(SECURITYTRAX_XML))
    assert claim is not None
    results = tuple(LeadResult(s.lead, outcome, errors=errors) for s in claim.leads)
    post = PostResult(claim.destination, claim.request, 500, b"", 0.01, results)
    [settled] = store.record("tester", claim, post, Sending(retry_limit=retry_limit))
    return settled
