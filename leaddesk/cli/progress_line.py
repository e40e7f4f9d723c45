"""How far a long send has got: a bar redrawn on one line when the output is a terminal,
a plain line now and then when it is a file or a pipe (a log has no carriage returns).

A one-line renderer of its own rather than rich or tqdm: the line is one f-string, and
the send's own lead lines must be printed between redraws, which it already does.
"""

from __future__ import annotations

import time
from typing import TextIO

_WIDTH = 30
_PLAIN_EVERY_SECONDS = 10.0
_REDRAW_EVERY_SECONDS = 0.1


class ProgressLine:
    def __init__(self, out: TextIO, total_bytes: int, tty: bool | None = None) -> None:
        self._out = out
        self._total = max(1, total_bytes)
        self._tty = out.isatty() if tty is None else tty
        self._started = time.monotonic()
        self._last = self._started
        self._drawn = False

    def update(self, bytes_read: int, read: int, queued: int, final: int) -> None:
        now = time.monotonic()
        if self._tty:
            if now - self._last < _REDRAW_EVERY_SECONDS:
                return
            share = min(1.0, bytes_read / self._total)
            filled = int(_WIDTH * share)
            self._out.write(
                f"\r[{'#' * filled}{'.' * (_WIDTH - filled)}] {share:4.0%} {read:,} rows read, "
                f"{queued:,} queued, {final:,} final\x1b[K"
            )
            self._out.flush()
            self._drawn = True
        elif now - self._last >= _PLAIN_EVERY_SECONDS:
            self._out.write(
                f"leaddesk: {read:,} rows read ({bytes_read * 100 // self._total}% of the file), "
                f"{queued:,} leads queued, {final:,} final\n"
            )
            self._out.flush()
        else:
            return
        self._last = now

    def clear(self) -> None:
        """Before a line of its own is printed: the bar is drawn again at the next update."""
        if self._drawn:
            self._out.write("\r\x1b[K")
            self._out.flush()
            self._drawn = False
