"""HTTP: post one lead document and give every lead in it exactly one outcome.

The outcome says what we know for certain. "Not sent" rests on evidence, never on the
type of an error: the connection records whether any byte of the request was handed to
the socket (leaddesk.sending.post_evidence), and only a post with none is "not sent" (or a server
that said it was busy: 408, 429, 503). Once a byte left, a failure is "unconfirmed": the
dealer may have the leads, and a resend could create duplicates. "Refused" is a clear
no that a person has to fix: a 4xx, a 307/308, a certificate this machine does not trust.
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from leaddesk import __version__
from leaddesk.domain.destination_url import UnsafeUrl, check_destination_url, is_loopback
from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult, Timeouts
from leaddesk.domain.server_text import printable
from leaddesk.sending.http_status import StatusMeaning, meaning_of_status
from leaddesk.sending.post_evidence import Flight, TrackedAdapter
from leaddesk.wire.format import ReplyError, Verdict, WireFormat
from leaddesk.wire.formats import DEFAULT_FORMAT

__all__ = [
    "LeadResult",
    "Outcome",
    "PostResult",
    "Poster",
    "Timeouts",
    "UnsafeUrl",
    "check_destination_url",
]

USER_AGENT = f"LeadDesk/{__version__} python-requests/{requests.__version__}"


class Poster:
    """Posts lead documents over one pooled, keep-alive requests.Session.

    TLS certificates are always verified; proxies and CA bundles come from the environment
    (HTTPS_PROXY, REQUESTS_CA_BUNDLE, ...) as requests reads them.
    """

    def __init__(
        self, timeouts: Timeouts | None = None, wire_format: WireFormat = DEFAULT_FORMAT
    ) -> None:
        self.timeouts = timeouts or Timeouts()
        self.wire_format = wire_format
        self._session = _NeverRedirected()
        adapter = TrackedAdapter()
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update(
            {"User-Agent": USER_AGENT, "Content-Type": wire_format.content_type}
        )
        self._environment: dict[str, dict[str, Any]] = {}

    def _settings_for(self, url: str) -> dict[str, Any]:
        """Proxy, CA bundle and client certificate for a URL, read from the environment once
        per destination: requests would read them again on every post, at a cost each time."""
        settings = self._environment.get(url)
        if settings is None:
            self._session.trust_env = True
            merged = self._session.merge_environment_settings(url, {}, False, None, None)
            settings = {key: merged[key] for key in ("proxies", "verify", "cert")}
            if is_loopback(urlsplit(url).hostname or ""):
                settings["proxies"] = {}  # this machine (the sandbox): never through a proxy
            if settings["verify"] is False:  # never: certificates are always checked
                settings["verify"] = True
            self._environment[url] = settings
        self._session.trust_env = False  # the settings above are passed explicitly
        return settings

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Poster:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def post(
        self,
        url: str,
        leads: Sequence[Lead],
        document: bytes | None = None,
        *,
        destination_name: str = "",
        wire_format: WireFormat | None = None,
    ) -> PostResult:
        """Post the leads in one document of `wire_format` (by default this poster's), or
        `document` when the caller already built it from these leads in that format.
        `destination_name` names the destination in reasons that ask a person to fix it.
        Never raises for anything the network or server does."""
        speaks = wire_format or self.wire_format
        leads = [lead.with_unique_id() for lead in leads]
        if document is None:
            document = speaks.build(leads)
        started = time.monotonic()
        status: int | None = None
        reply = b""
        try:
            _check_as_requests_reads_it(url)
            status, reply, verdict = self._exchange(
                url, document, len(leads), destination_name, speaks
            )
            if verdict is None:
                results = _results_from_reply(speaks, leads, reply)
            else:
                outcome, reason, wait = verdict.outcome, verdict.reason, verdict.retry_after
                results = tuple(
                    LeadResult(lead, outcome, errors=(reason,), retry_after=wait) for lead in leads
                )
        except UnsafeUrl as error:  # nothing left; only a person can fix the address
            results = tuple(
                LeadResult(lead, Outcome.REFUSED, errors=(str(error),)) for lead in leads
            )
        return PostResult(url, document, status, reply, time.monotonic() - started, results)

    def _exchange(
        self,
        url: str,
        document: bytes,
        lead_count: int,
        destination_name: str,
        speaks: WireFormat,
    ) -> tuple[int | None, bytes, StatusMeaning | None]:
        """(status, reply, what became of every lead, or None to read the reply)."""
        flight = Flight(self.timeouts.deadline)
        status: int | None = None
        try:
            with flight:
                response = self._session.post(
                    url,
                    data=document,
                    headers={"Content-Type": speaks.content_type},
                    timeout=(self.timeouts.connect, self.timeouts.read),
                    allow_redirects=False,  # a redirected POST turns into a GET and loses the leads
                    stream=True,
                    **self._settings_for(url),
                )
                status = response.status_code
                reply, complete = _read_capped(response, speaks.max_reply_bytes, status)
        except Exception as error:  # errors are data: a post never raises
            return status, b"", _failure(error, flight, self.timeouts, url)
        if 400 <= status < 500 and complete and speaks.is_reply(reply, lead_count):
            return status, reply, None  # a 4xx carrying a proper reply: believe it
        phrase = response.reason or ""
        meaning = meaning_of_status(status, phrase, response.headers, destination_name)
        if meaning is not None:
            if status == 503 and complete and speaks.is_reply(reply, lead_count):
                # "busy", yet an answer: it may have been processed; never retry on that
                reason = f"The server answered {status} with a reply; the leads may have arrived."
                meaning = StatusMeaning(Outcome.UNCONFIRMED, reason)
            return status, reply, meaning
        if not complete:
            too_large = "The answer was too large to be a SecurityTrax reply; it may have arrived."
            return status, reply, StatusMeaning(Outcome.UNCONFIRMED, too_large)
        return status, reply, None


class _NeverRedirected(requests.Session):
    """A session that never looks for where a redirect leads: a post is never followed (a
    redirected POST turns into a GET and loses the leads), and requests' reading of the
    Location header raises on bytes that are not UTF-8, which would hide the status."""

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


def _check_as_requests_reads_it(url: str) -> None:
    """The safety check, and the same host as urllib3 (which requests uses) will connect to:
    a URL that two parsers read differently must not slip plain http past the check."""
    checked_host = urlsplit(check_destination_url(url)).hostname
    try:
        host = parse_url(url).host or ""
    except LocationParseError:
        raise UnsafeUrl(f"{url!r} is not a valid address.") from None
    if host.strip("[]").lower() != checked_host:
        raise UnsafeUrl(f"{url!r} is ambiguous about which server it names.")


def _results_from_reply(
    wire_format: WireFormat, leads: Sequence[Lead], reply: bytes
) -> tuple[LeadResult, ...]:
    try:
        answers = wire_format.read_reply(reply, leads)  # each answer matched with evidence
    except ReplyError as error:
        reason = f"The answer could not be read: {error}. The lead may have been stored."
        return tuple(LeadResult(lead, Outcome.UNCONFIRMED, errors=(reason,)) for lead in leads)
    results = []
    for lead, answer in zip(leads, answers, strict=True):
        if answer.verdict is Verdict.ACCEPTED:
            results.append(LeadResult(lead, Outcome.ACCEPTED, customer_id=answer.customer_id))
        elif answer.verdict is Verdict.REJECTED:
            results.append(LeadResult(lead, Outcome.REJECTED, errors=answer.errors))
        else:  # unreadable, or not matched to its lead: it may have been stored
            results.append(LeadResult(lead, Outcome.UNCONFIRMED, errors=answer.errors))
    return tuple(results)


def _read_capped(response: requests.Response, limit: int, status: int) -> tuple[bytes, bool]:
    """(the body, up to `limit` bytes; whether that was all of it)."""
    if status < 200:
        # An interim answer ("102 Processing"): the real one is still to come on this
        # connection, and the next post on it would read it as its own. Dropped before
        # reading: a response read to its end gives its connection back to the pool.
        response.close()
        return b"", True
    body: bytes = response.raw.read(limit + 1, decode_content=True)
    if len(body) > limit:
        response.close()  # drop the connection rather than drain an endless body
        return body[:limit], False
    response.raw.release_conn()  # fully read: the connection can be reused
    return body, True


CERTIFICATE_NOT_TRUSTED = (
    "The dealer's server presented a certificate this computer does not trust (self-signed, "
    "expired, or for another name?). If your network uses its own certificate authority, "
    "point REQUESTS_CA_BUNDLE at its certificate file."
)


def _failure(error: Exception, flight: Flight, timeouts: Timeouts, url: str) -> StatusMeaning:
    """What a failed post means, from what the connection saw: once any byte of the request
    left, the dealer may have it, whatever the error; before that, nothing can have arrived."""
    if flight.request_left:
        if flight.deadline_passed:
            reason = f"No complete answer within {timeouts.deadline:g} s; it may have arrived."
        elif any(isinstance(cause, _READ_TIMEOUTS) for cause in _causes(error)):
            reason = f"No answer within {timeouts.read:g} s; it may have arrived."
        else:
            reason = (
                f"The connection broke before an answer came ({_innermost(error)}); "
                "it may have arrived."
            )
        return StatusMeaning(Outcome.UNCONFIRMED, reason)
    if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in _causes(error)):
        return StatusMeaning(Outcome.REFUSED, CERTIFICATE_NOT_TRUSTED)
    if flight.deadline_passed:
        reason = f"Could not send within {timeouts.deadline:g} s."
    elif isinstance(error, requests.ConnectTimeout):
        reason = f"Could not connect to {_server(url)} within {timeouts.connect:g} s."
    elif isinstance(error, requests.exceptions.ProxyError):
        reason = f"Could not get through the proxy (HTTPS_PROXY): {_innermost(error)}."
    elif isinstance(error, requests.exceptions.SSLError):
        reason = f"The secure connection could not be set up: {_innermost(error)}."
    elif isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        reason = f"The destination URL is not valid: {printable(str(error), REASON_LIMIT)}."
    elif isinstance(error, requests.RequestException | urllib3.exceptions.HTTPError | OSError):
        reason = f"Could not connect to {_server(url)}: {_innermost(error)}."
    else:
        reason = f"Unexpected error before sending ({type(error).__name__}); nothing was sent."
    return StatusMeaning(Outcome.NOT_SENT, reason)


def _server(url: str) -> str:
    """The server as the agent can check it: host and port, as the URL gives them."""
    return printable(urlsplit(url).netloc.rpartition("@")[2], 100) or "the server"


_READ_TIMEOUTS = (requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError)
REASON_LIMIT = 200


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what caused it, outermost first, through urllib3's wrapping."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        reason = getattr(cause, "reason", None)
        first = cause.args[0] if cause.args else None
        if isinstance(reason, BaseException):
            cause = reason
        elif isinstance(first, BaseException):
            cause = first
        else:
            cause = cause.__cause__ or cause.__context__


_CONNECTION_REPR = re.compile(r"^\w+\(host='[^']*', port=\d+\): ")
_UNRESOLVED = re.compile(r"Failed to resolve '([^']+)'")
_OPENSSL_NOISE = re.compile(r"^\[[A-Za-z_: ]+\] |\s*\(_ssl\.c:\d+\)")  # "[SSL: X] ... (_ssl.c:1)"


def _innermost(error: BaseException) -> str:
    """The reason in plain words, without urllib3's class names and object reprs, and
    without any control characters a server could have put in it."""
    return printable(_OPENSSL_NOISE.sub("", _innermost_text(error)), REASON_LIMIT)


def _innermost_text(error: BaseException) -> str:
    causes = list(_causes(error))
    for cause in causes:
        unresolved = _UNRESOLVED.search(str(cause))
        if unresolved:
            return f"the server name {unresolved.group(1)} could not be found"
    for cause in causes:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
    text = _CONNECTION_REPR.sub("", str(causes[-1]))
    return text.split(": ", 1)[1] if text.startswith("<") and ": " in text else text
