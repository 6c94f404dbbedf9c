"""One window per user: a second start hands its file to the running window instead of opening another.

The first instance listens on a local socket named for the user (QLocalServer: a Unix socket on Linux and macOS, a
named pipe on Windows); a later start connects, sends the absolute path of the file it was given (or nothing: just
bring the window forward) and exits. A listener left by a crashed instance is removed before listening again.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from aigc_desktop.core.paths import app_paths

TIMEOUT_MS = 2000


def server_name() -> str:
    """Per user and per data folder (tests and portable installs with their own AIGC_DESKTOP_HOME stay apart)."""
    key = f"{getpass.getuser()}:{app_paths().data_dir}".encode()
    return f"aigc-desktop-{hashlib.sha256(key).hexdigest()[:16]}"


def hand_over(project: Path | None, name: str | None = None) -> bool:
    """True when a running instance took `project` (this process should exit); False when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write((str(project.resolve()) if project else "").encode() + b"\n")
    socket.flush()
    ok = socket.waitForBytesWritten(TIMEOUT_MS) or socket.bytesToWrite() == 0
    socket.waitForReadyRead(TIMEOUT_MS)  # the answer: the window has the file
    socket.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    """Listens for later starts; `file_received(path or None)` on the GUI thread for each."""

    file_received = Signal(object)  # Path | None

    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._sockets: list[QLocalSocket] = []

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a crashed instance's socket file
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._sockets.append(socket)  # children of the server; held here so Python never frees one under Qt
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        text = bytes(socket.readLine().data()).decode(errors="replace").strip()
        socket.write(b"ok\n")
        socket.flush()
        self.file_received.emit(Path(text) if text else None)

    def _forget(self, socket: QLocalSocket) -> None:
        if socket in self._sockets:
            self._sockets.remove(socket)
            socket.deleteLater()

    def close(self) -> None:
        for socket in self._sockets:
            socket.readyRead.disconnect()
            socket.disconnected.disconnect()
            socket.abort()
        self._sockets.clear()
        self.server.close()
