"""What an HTTP status says about a post, when no SecurityTrax reply settles it.

- 4xx (but 408 and 429): the server refused the post unprocessed, and will again until a
  person fixes the destination: REFUSED, with what to check.
- 307 and 308: the server asks for the post to be made elsewhere, unprocessed: REFUSED.
- 301, 302, 303 (and any other 3xx): the post may have been processed before the redirect
  (post, then redirect is a common pattern): UNCONFIRMED.
- 408, 429 and 503: the server was busy and says to try later: NOT_SENT, with its Retry-After.
- other 5xx: the server failed somewhere while handling it: UNCONFIRMED.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.server_text import printable

BUSY = frozenset({408, 429, 503})
ELSEWHERE = frozenset({307, 308})  # the same request, unprocessed, to be made elsewhere
PHRASE_LIMIT = 60
LOCATION_LIMIT = 200
_SECONDS = re.compile(r"-?\d{1,12}(?:\.\d+)?")


@dataclass(frozen=True)
class StatusMeaning:
    outcome: Outcome
    reason: str
    retry_after: float | None = None  # NOT_SENT: seconds the server asked us to wait


def meaning_of_status(
    status: int,
    phrase: str,
    headers: Mapping[str, str],
    destination_name: str = "",
    now: float | None = None,
) -> StatusMeaning | None:
    """What the status means for every lead of the post; None for a 2xx (the reply says)."""
    if 200 <= status < 300:
        return None
    label = _label(status, phrase)
    check_url = _of_destination("URL", destination_name)
    if status in BUSY:
        wait = parse_retry_after(headers.get("Retry-After"), now)
        when = "shortly" if wait is None else f"in {_duration(wait)}, as it asked"
        return StatusMeaning(
            Outcome.NOT_SENT,
            f"The server was busy (it answered {label}); it will be tried again {when}.",
            wait,
        )
    if 300 <= status < 400:
        where = printable(headers.get("Location", ""), LOCATION_LIMIT) or "another address"
        if status in ELSEWHERE:
            return StatusMeaning(
                Outcome.REFUSED,
                f"The dealer's address answered {label}: the server asks for leads to be "
                f"posted to {where} instead. Check {check_url}.",
            )
        return StatusMeaning(
            Outcome.UNCONFIRMED,
            f"The dealer's address answered {label} (to {where}): the leads may have been "
            f"processed before the redirect. Check with the dealer, and {check_url}.",
        )
    if 400 <= status < 500:
        advice = _advice(status, destination_name)
        return StatusMeaning(Outcome.REFUSED, f"The dealer's address answered {label}: {advice}.")
    if 500 <= status < 600:
        reason = f"The server failed (HTTP {label}); the leads may have been stored."
        return StatusMeaning(Outcome.UNCONFIRMED, reason)
    return StatusMeaning(
        Outcome.UNCONFIRMED,
        f"The server answered with an unknown status ({label}); the leads may have been stored.",
    )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait, from a Retry-After of delta seconds or an HTTP date; None when it
    is missing or unreadable; 0 for a time already past."""
    if value is None:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return max(0.0, float(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": a date in UTC, sent by a sender that did not say where
        when = when.replace(tzinfo=UTC)
    wait = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, wait) if math.isfinite(wait) else None


def _label(status: int, phrase: str) -> str:
    """ "404 Not Found": the server's own phrase, made safe, or the standard one."""
    shown = printable(phrase, PHRASE_LIMIT)
    if not shown:
        try:
            shown = HTTPStatus(status).phrase
        except ValueError:
            shown = ""
    return f"{status} {shown}".strip()


def _of_destination(what: str, destination_name: str) -> str:
    """ "the URL of destination Acme Alarms", or "the destination's URL" without a name."""
    name = printable(destination_name, 80)
    return f"the {what} of destination {name}" if name else f"the destination's {what}"


def _advice(status: int, destination_name: str) -> str:
    """What a person should check after a refusal, by status family."""
    if status in (401, 403):
        source = _of_destination("source ID", destination_name)
        return f"check {source} and that the dealer lets it post leads"
    if status == 407:
        return "check the proxy settings (HTTPS_PROXY) and the proxy's password"
    if status in (413, 414, 431):
        return "the post was too large for the server: lower the batch size"
    return f"check {_of_destination('URL', destination_name)}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
