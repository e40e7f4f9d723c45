"""HTTP: post one lead document and give every lead in it exactly one outcome.

The outcome says what we know for certain. "Not sent" is only used when the request can
not have reached the dealer (nothing was connected, or the server refused to process it),
so a retry is safe. Whenever the request may have been processed but no valid answer came
back, the outcome is "unconfirmed": a resend could create a duplicate lead.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from leaddesk import __version__
from leaddesk.destination_url import UnsafeUrl, check_destination_url, is_loopback
from leaddesk.lead import Lead
from leaddesk.outcomes import LeadResult, Outcome, PostResult, Timeouts
from leaddesk.wire import CONTENT_TYPE, MAX_REPLY_BYTES, ReplyError, Verdict, build_document
from leaddesk.wire import parse_reply as parse_reply_document

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

    def __init__(self, timeouts: Timeouts | None = None) -> None:
        self.timeouts = timeouts or Timeouts()
        self._session = requests.Session()
        adapter = _DeadlineAdapter()
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"User-Agent": USER_AGENT, "Content-Type": CONTENT_TYPE})
        self._environment: dict[str, dict[str, Any]] = {}

    def _settings_for(self, url: str) -> dict[str, Any]:
        """Proxy, CA bundle and client certificate for a URL, read from the environment once
        per destination: requests would read them again on every post (1.5 ms each)."""
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

    def post(self, url: str, leads: Sequence[Lead], document: bytes | None = None) -> PostResult:
        """Post the leads in one document (`document`, when the caller already built it from
        these leads). Never raises for anything the network or server does."""
        leads = [lead.with_unique_id() for lead in leads]
        if document is None:
            document = build_document(leads)
        started = time.monotonic()
        status: int | None = None
        reply = b""
        try:
            _check_as_requests_reads_it(url)
            status, reply, reason, outcome = self._exchange(url, document, len(leads))
            if outcome is None:
                results = _results_from_reply(leads, reply)
            else:
                results = tuple(LeadResult(lead, outcome, errors=(reason,)) for lead in leads)
        except UnsafeUrl as error:
            results = tuple(
                LeadResult(lead, Outcome.NOT_SENT, errors=(str(error),)) for lead in leads
            )
        return PostResult(url, document, status, reply, time.monotonic() - started, results)

    def _exchange(
        self, url: str, document: bytes, lead_count: int
    ) -> tuple[int | None, bytes, str, Outcome | None]:
        """(status, reply, reason, outcome for every lead or None to read the reply)."""
        watchdog = _Watchdog(self.timeouts.deadline)
        status: int | None = None
        try:
            with watchdog:
                response = self._session.post(
                    url,
                    data=document,
                    timeout=(self.timeouts.connect, self.timeouts.read),
                    allow_redirects=False,  # a redirected POST turns into a GET and loses the leads
                    stream=True,
                    **self._settings_for(url),
                )
                status = response.status_code
                reply, complete = _read_capped(response)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            if watchdog.fired:
                late = (
                    f"No complete answer within {self.timeouts.deadline:g} s; it may have arrived."
                )
                return status, b"", late, Outcome.UNCONFIRMED
            outcome, reason = _classify_failure(error, self.timeouts)
            return status, b"", reason, outcome
        except Exception as error:  # errors are data: a post never raises
            reason = (
                f"Unexpected error while posting ({type(error).__name__}); it may have arrived."
            )
            return status, b"", reason, Outcome.UNCONFIRMED
        if not complete:
            too_large = "The answer was too large to be a SecurityTrax reply; it may have arrived."
            return status, reply, too_large, Outcome.UNCONFIRMED
        if status >= 500:
            reason = (
                f"The server failed (HTTP {status} {response.reason}); "
                "the lead may have been stored."
            )
            return status, reply, reason, Outcome.UNCONFIRMED
        if 300 <= status < 400:
            where = response.headers.get("Location", "another address")
            reason = (
                f"The server redirected to {where} (HTTP {status}); update the destination URL."
            )
            return status, reply, reason, Outcome.NOT_SENT
        if status >= 400 and not _is_reply(reply, lead_count):
            reason = (
                f"The server refused the post (HTTP {status} {response.reason}); "
                "check the destination URL."
            )
            return status, reply, reason, Outcome.NOT_SENT
        return status, reply, "", None


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


def _is_reply(body: bytes, lead_count: int) -> bool:
    """Some servers answer with a 4xx status but a proper SecurityTrax reply: believe the reply."""
    try:
        parse_reply_document(body, lead_count)
    except ReplyError:
        return False
    return True


def _results_from_reply(leads: Sequence[Lead], reply: bytes) -> tuple[LeadResult, ...]:
    from leaddesk.wire import read_reply  # matches each response to its lead with evidence

    try:
        answers = read_reply(reply, leads)
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


def _read_capped(response: requests.Response) -> tuple[bytes, bool]:
    """(the body, up to MAX_REPLY_BYTES; whether that was all of it)."""
    body: bytes = response.raw.read(MAX_REPLY_BYTES + 1, decode_content=True)
    if len(body) > MAX_REPLY_BYTES:
        response.close()  # drop the connection rather than drain an endless body
        return body[:MAX_REPLY_BYTES], False
    response.raw.release_conn()  # fully read: the connection can be reused
    return body, True


def _classify_failure(error: Exception, timeouts: Timeouts) -> tuple[Outcome, str]:
    if isinstance(error, requests.ConnectTimeout):
        return Outcome.NOT_SENT, f"Could not connect within {timeouts.connect:g} s."
    if isinstance(error, requests.exceptions.SSLError):
        return Outcome.NOT_SENT, f"The secure connection failed: {_innermost(error)}."
    if isinstance(error, requests.exceptions.ProxyError):
        return Outcome.NOT_SENT, f"The proxy could not be reached: {_innermost(error)}."
    if isinstance(error, requests.ReadTimeout | urllib3.exceptions.ReadTimeoutError):
        return Outcome.UNCONFIRMED, f"No answer within {timeouts.read:g} s; it may have arrived."
    if isinstance(error, requests.ConnectionError) and _never_connected(error):
        return Outcome.NOT_SENT, f"Could not connect: {_innermost(error)}."
    if isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return Outcome.NOT_SENT, f"The destination URL is not valid: {error}."
    return Outcome.UNCONFIRMED, f"The connection broke before an answer came: {_innermost(error)}."


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


def _never_connected(error: requests.ConnectionError) -> bool:
    """True when it failed while connecting (DNS, refused), before any byte was sent."""
    connecting = urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError
    return any(isinstance(cause, connecting) for cause in _causes(error))


_CONNECTION_REPR = re.compile(r"^\w+\(host='[^']*', port=\d+\): ")
_UNRESOLVED = re.compile(r"Failed to resolve '([^']+)'")


def _innermost(error: BaseException) -> str:
    """The reason in plain words, without urllib3's class names and object reprs."""
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


# --- the overall deadline ---------------------------------------------------------------
# requests' read timeout is per socket read: a server that drips one byte a second never
# trips it. A watchdog shuts the in-flight socket down at the deadline, which wakes the
# blocked read with an error. Connections record themselves per thread when they send.

_IN_FLIGHT: dict[int, HTTPConnection] = {}


class _TrackedConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _IN_FLIGHT[threading.get_ident()] = self
        super().request(*args, **kwargs)


class _TrackedTLSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _IN_FLIGHT[threading.get_ident()] = self
        super().request(*args, **kwargs)


class _TrackedPool(HTTPConnectionPool):
    ConnectionCls = _TrackedConnection


class _TrackedTLSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedTLSConnection


_TRACKED_POOLS = {"http": _TrackedPool, "https": _TrackedTLSPool}


class _DeadlineAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _TRACKED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _TRACKED_POOLS
        return manager


class _Watchdog:
    """One post's deadline, watched by the shared watchdog thread (one thread for every
    post: starting a timer thread per post cost more than a millisecond each)."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._thread_id = threading.get_ident()
        self.fired = False

    def __enter__(self) -> _Watchdog:
        _WATCHER.arm(self, time.monotonic() + self._seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHER.disarm(self)
        _IN_FLIGHT.pop(self._thread_id, None)

    def fire(self) -> None:
        connection = _IN_FLIGHT.get(self._thread_id)
        sock = getattr(connection, "sock", None)
        if sock is None:
            return
        self.fired = True
        # socket.socket's own shutdown: SSLSocket's would tear down TLS state mid-read.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watcher:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._armed: dict[_Watchdog, float] = {}
        self._thread: threading.Thread | None = None

    def arm(self, watchdog: _Watchdog, deadline: float) -> None:
        with self._changed:
            self._armed[watchdog] = deadline
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="post-deadlines", daemon=True
                )
                self._thread.start()
            self._changed.notify()

    def disarm(self, watchdog: _Watchdog) -> None:
        with self._changed:
            self._armed.pop(watchdog, None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for watchdog, deadline in list(self._armed.items()):
                    if deadline <= now:
                        del self._armed[watchdog]
                        watchdog.fire()
                next_deadline = min(self._armed.values(), default=None)
                self._changed.wait(None if next_deadline is None else next_deadline - now)


_WATCHER = _Watcher()
