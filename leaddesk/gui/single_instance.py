"""One window per user and LeadDesk home: a local socket that a running window listens on,
and that `leaddesk open` hands a dialer's link to.

The socket's name is a hash of the user and the LeadDesk home, so that two homes (or demo
and real) each have their own window. On Unix it lives in the user's runtime folder, which
only the user can enter (Qt checks it is 0700), rather than /tmp, where another user could
create it first and be handed the leads; the socket is also made private to the user
(UserAccessOption; on Windows, the pipe's access list). A socket file left by a window that
crashed answers no one: it is removed and listened on again.

What goes over it: one line of JSON, the link's fields (already filtered by the sender, and
filtered again here), answered by one line, "ok".
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from leaddesk.app.dialer_link import handed_over
from leaddesk.config.paths import Paths

log = logging.getLogger(__name__)

CONNECT_MS = 1000
ANSWER_MS = 5000
MAX_MESSAGE_BYTES = 64 * 1024
OK = b"ok\n"


def server_name(paths: Paths, demo: bool) -> str:
    """The local socket's name for this user's window on this LeadDesk home."""
    who = f"{getpass.getuser()}\0{paths.data_dir}\0{'demo' if demo else 'real'}"
    name = "leaddesk-" + hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()[:16]
    if sys.platform == "win32":
        return name  # a named pipe: \\.\pipe\<name>
    runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    return str(Path(runtime) / name) if runtime else name


def hand_over(name: str, values: dict[str, str]) -> bool:
    """Give the running window these values; False when no window listens. Blocking: for
    `leaddesk open`, before any event loop exists."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return False  # nobody there, or a socket file a crash left behind
    socket.write(json.dumps(values).encode("utf-8") + b"\n")
    socket.waitForBytesWritten(ANSWER_MS)
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(ANSWER_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if answer != OK:
        raise OSError("The LeadDesk window that is open did not take the link; try again.")
    return True


class LinkServer(QObject):
    """Listens for links handed over by `leaddesk open` and tells `received`."""

    received = Signal(dict)  # the fields a link fills
    closed = Signal()  # no longer listening: what this window held for the home goes

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False when another window of this home already does.

        Asked first, not told by listen() failing: with an access option, Qt makes the
        socket aside and renames it into place, which would take the name from a live
        window."""
        if self._someone_listens():
            log.info("Another LeadDesk window takes the dialer's links for this home.")
            return False
        QLocalServer.removeServer(self.name)  # a file left by a window that crashed
        if self._server.listen(self.name):
            return True
        log.warning("Cannot take dialer links: %s", self._server.errorString())
        return False

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        """Stop listening and remove the socket file."""
        self._server.close()
        self.closed.emit()

    def _someone_listens(self) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(CONNECT_MS)
        probe.abort()
        return alive

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE_BYTES:
                socket.abort()
                return
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            socket.abort()
            return
        values = handed_over(message) if isinstance(message, dict) else {}
        socket.write(OK)
        socket.flush()
        socket.disconnectFromServer()
        self.received.emit(values)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
