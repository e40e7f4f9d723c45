"""Which destination URLs leads may be posted to.

Leads hold personal data: only https, or plain http to this machine (the sandbox). The
check is strict about the URL's shape, so that no other parser can read another host in it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    """A destination URL that would send personal data unprotected, or is not a URL at all."""


def check_destination_url(url: str) -> str:
    """The URL, stripped, if leads may be posted to it; else UnsafeUrl saying why."""
    url = url.strip()
    if not url.isascii() or any(ch.isspace() or ch in "\\@" for ch in url):
        raise UnsafeUrl(
            f"{url!r} is not a valid address (it has spaces, backslashes, @ or non-ASCII "
            "characters); use the https:// address the dealer gave you."
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        raise UnsafeUrl(f"{url!r} is not a valid address.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeUrl(f"{url!r} is not an http:// or https:// address.")
    if parts.scheme == "http" and not is_loopback(host):
        raise UnsafeUrl(
            f"{url} is plain http: leads hold personal data, so use https:// "
            "(plain http is allowed only for this machine, e.g. the sandbox)."
        )
    return url


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
