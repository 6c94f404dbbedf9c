"""A minimal WebSocket client (RFC 6455) for reading a server's event stream (ComfyUI's `/ws`).

Why our own and not a library: the app only listens — it sends nothing but the pongs and the close the protocol
requires — and it must connect exactly as http.py does (the same connect timeout, TLS verification and the user's
choice to turn it off, the key as a bearer token, the server named in every failure). That is a handshake and a frame
reader, about a hundred lines; a dependency would bring its own TLS, proxy and timeout behaviour to reconcile.

`receive(wait_s)` returns one whole message (fragments joined), or None when nothing came within `wait_s`, so the
caller can check Stop and its own deadlines between messages. A dropped connection raises an HttpFailure with
Reason.DROPPED: the caller decides whether to reconnect.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from aigc_desktop import __version__
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.servers.config import ServerConfig
from aigc_desktop.core.servers.http import CONNECT_TIMEOUT_S, HttpFailure, Reason, tls_context

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
TEXT, BINARY, CLOSE, PING, PONG, CONTINUATION = 0x1, 0x2, 0x8, 0x9, 0xA, 0x0
MAX_MESSAGE = 64 * 1024 * 1024  # a preview or an event is far smaller; more is a broken or hostile peer
_MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class Message:
    opcode: int  # TEXT or BINARY
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


class WebSocket:
    """One connection to `server` at `path` (with its query), opened by connect()."""

    def __init__(self, server: ServerConfig, api_key: str | None, path: str) -> None:
        self.server = server
        self._api_key = api_key
        self._path = path
        self._sock: socket.socket | None = None
        self._buffer = b""

    # ------------------------------------------------------------ connecting

    def connect(self) -> None:
        parts = urlsplit(self.server.url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
            if parts.scheme == "https":
                sock = tls_context(self.server).wrap_socket(sock, server_hostname=host)
        except (OSError, ValueError) as exc:
            raise self._failure(
                QT_TRANSLATE_NOOP("Servers", "{name} could not be reached for its live updates: {detail}"), exc
            ) from None
        key = base64.b64encode(os.urandom(16))
        host_header = parts.netloc.rpartition("@")[2]
        lines = [
            f"GET {parts.path}{self._path} HTTP/1.1",
            f"Host: {host_header}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key.decode()}",
            "Sec-WebSocket-Version: 13",
            f"User-Agent: aigc-desktop/{__version__}",
        ]
        if self._api_key:
            lines.append(f"Authorization: Bearer {self._api_key}")
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(4096)
                if not chunk or len(head) > _MAX_HEADER:
                    raise ConnectionError("no handshake")
                head += chunk
        except (OSError, ConnectionError) as exc:
            sock.close()
            raise self._failure(
                QT_TRANSLATE_NOOP("Servers", "{name} could not be reached for its live updates: {detail}"), exc
            ) from None
        header, _, rest = head.partition(b"\r\n\r\n")
        status_line, *fields = header.decode("latin-1").split("\r\n")
        status = status_line.split(" ")[1] if len(status_line.split(" ")) > 1 else ""
        accept = ""
        for line in fields:
            name, _, value = line.partition(":")
            if name.strip().lower() == "sec-websocket-accept":
                accept = value.strip()
        expected = base64.b64encode(hashlib.sha1(key + _GUID).digest()).decode()
        if status != "101" or accept != expected:
            sock.close()
            reason = Reason.UNAUTHORIZED if status in ("401", "403") else Reason.BAD_ANSWER
            raise HttpFailure(
                QT_TRANSLATE_NOOP(
                    "Servers", "{name} did not open its live updates at {path} (answer {status})."
                ).format(name=self.server.name, path=self._path.split("?")[0], status=status or "-"),
                reason,
            )
        self._sock, self._buffer = sock, rest

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        with contextlib.suppress(OSError):
            sock.sendall(_frame(CLOSE, struct.pack(">H", 1000)))
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    @property
    def connected(self) -> bool:
        return self._sock is not None

    # ------------------------------------------------------------ reading

    def receive(self, wait_s: float) -> Message | None:
        """The next whole message, or None when no frame began within `wait_s`."""
        if self._sock is None:
            raise self._dropped()
        parts: list[bytes] = []
        first_opcode = 0
        while True:
            if not self._buffer and not parts and not self._fill(wait_s, quiet_ok=True):
                return None
            opcode, fin, payload = self._frame()
            if opcode == PING:
                self._send(PONG, payload)
                continue
            if opcode == PONG:
                continue
            if opcode == CLOSE:
                self.close()
                raise self._dropped()
            if opcode != CONTINUATION:
                first_opcode = opcode
            parts.append(payload)
            if sum(map(len, parts)) > MAX_MESSAGE:
                self.close()
                raise self._dropped()
            if fin:
                return Message(first_opcode, b"".join(parts))

    def _frame(self) -> tuple[int, bool, bytes]:
        head = self._take(2)
        fin, opcode = bool(head[0] & 0x80), head[0] & 0x0F
        masked, length = bool(head[1] & 0x80), head[1] & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._take(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._take(8))[0]
        if length > MAX_MESSAGE:
            self.close()
            raise self._dropped()
        mask = self._take(4) if masked else b""
        payload = self._take(length)
        if masked:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return opcode, fin, payload

    def _take(self, count: int) -> bytes:
        while len(self._buffer) < count:
            self._fill(self.server.timeout_s, quiet_ok=False)
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def _fill(self, wait_s: float, *, quiet_ok: bool) -> bool:
        sock = self._sock
        if sock is None:
            raise self._dropped()
        sock.settimeout(max(wait_s, 0.001))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            if quiet_ok:
                return False
            self.close()
            raise self._dropped() from None
        except OSError:
            self.close()
            raise self._dropped() from None
        if not chunk:
            self.close()
            raise self._dropped()
        self._buffer += chunk
        return True

    def _send(self, opcode: int, payload: bytes) -> None:
        if self._sock is None:
            return
        try:
            self._sock.sendall(_frame(opcode, payload))
        except OSError:
            self.close()
            raise self._dropped() from None

    # ------------------------------------------------------------ failures

    def _dropped(self) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "The live connection to {name} dropped.").format(name=self.server.name),
            Reason.DROPPED,
        )

    def _failure(self, message: Msg, exc: BaseException) -> HttpFailure:
        reason = Reason.REFUSED if isinstance(exc, ConnectionRefusedError) else Reason.UNREACHABLE
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return HttpFailure(message.format(name=self.server.name, detail=detail), reason)


def _frame(opcode: int, payload: bytes) -> bytes:
    """One final frame from the client: always masked (RFC 6455 5.3)."""
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        head = struct.pack(">BB", 0x80 | opcode, 0x80 | length)
    elif length < 65536:
        head = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, length)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
