"""`leaddesk sandbox`: serve on the command line until Ctrl+C, one log line per request."""

from __future__ import annotations

import errno
import ipaddress
import logging
import sys

from leaddesk.sandbox.faults import Faults
from leaddesk.sandbox.server import Sandbox, logger


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(host: str, port: int, faults: Faults, allow_remote: bool = False) -> int:
    """Serve for the command line until Ctrl+C; the exit status is 0, or 2 if it cannot listen."""
    if not allow_remote and not _is_loopback(host):
        print(
            f"Refusing to listen on {host}: the sandbox accepts anything, so it stays on this "
            "computer (use 127.0.0.1, or allow remote access explicitly).",
            file=sys.stderr,
        )
        return 2
    console: logging.Handler | None = None
    if not any(isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is sys.stderr
               for h in logging.getLogger().handlers):  # fmt: skip
        console = logging.StreamHandler(sys.stderr)  # one line per request, on the terminal
        console.setFormatter(logging.Formatter("%(message)s"))
        logging.getLogger().addHandler(console)
    logging.getLogger().setLevel(min(logging.getLogger().level or logging.INFO, logging.INFO))
    try:
        return _serve(host, port, faults)
    finally:
        if console is not None:  # not left writing to a stream that may close after us
            logging.getLogger().removeHandler(console)


def _serve(host: str, port: int, faults: Faults) -> int:
    sandbox = Sandbox(host, port, faults)
    # Everything after start() sits inside the try, so Ctrl+C at any moment stops cleanly.
    try:
        try:
            sandbox.start()
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                print(
                    f"Port {port} on {host} is already in use; choose another port.",
                    file=sys.stderr,
                )
            else:
                print(f"Cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
            return 2
        print(
            f"LeadDesk sandbox listening: post leads to {sandbox.url()} "
            "(any site name works). Ctrl+C stops it.",
            flush=True,
        )
        sandbox.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    logger.info("sandbox stopped")
    return 0
