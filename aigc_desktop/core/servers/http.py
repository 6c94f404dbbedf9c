"""One HTTP request to a server, on the stdlib's http.client.

Why the stdlib and not httpx: the app ships no HTTP client library, and what a streamed generation needs is small
and must be exact — a connect timeout and a separate silence (read) timeout, TLS verified by default, no redirect
followed to another host (the key would go with it), the raw body bytes as they arrive (sse.py decodes them), and a
Stop that closes the socket at once even while the server is still reading a long prompt and sends nothing (a
watcher thread shuts the socket down; the server sees the disconnect and ends its generation).

Every failure is an HttpFailure: a UserError whose message names the server and says what went wrong in the user's
terms (unreachable, refused, timed out, TLS, 401/403, ...), with a `reason` code tests and the window can tell apart.
Nothing here logs headers or bodies: the key must not reach the log.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import logging
import os
import select
import socket
import ssl
import time
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

from aigc_desktop import __version__
from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.servers.config import ServerConfig

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
MAX_REDIRECTS = 3
_CANCEL_POLL_S = 0.02
_READ_SIZE = 65536
_DETAIL_CHARS = 300


class Reason(StrEnum):
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    TLS = "tls"
    UNAUTHORIZED = "unauthorized"  # 401
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    REDIRECT = "redirect"  # to another host
    HTTP = "http"  # any other error status
    DROPPED = "dropped"  # the connection ended in the middle of an answer
    BAD_ANSWER = "bad_answer"  # not what this kind of server answers


Raw = tuple[bytes, str]  # a request body that is not JSON, and its content type


class HttpFailure(UserError):
    def __init__(self, message: Msg, reason: Reason, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status
        self.body = body  # the start of an error answer, for a client that reads its own errors (ComfyUI's 400)


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8", errors="replace"))


class Http:
    """Requests to one server. A new connection per request: a Stop closes exactly that request's socket."""

    def __init__(
        self, server: ServerConfig, api_key: str | None, *, connect_timeout_s: float = CONNECT_TIMEOUT_S
    ) -> None:
        self.server = server
        self._api_key = api_key
        self._connect_timeout = connect_timeout_s
        self._read_timeout = server.timeout_s
        base = urlsplit(server.url)
        self._origin = (base.scheme, base.hostname, base.port)
        self._base_path = base.path

    @property
    def has_key(self) -> bool:
        return self._api_key is not None

    def get(self, path: str, cancel: CancelToken | None = None) -> Response:
        with self.stream("GET", path, None, cancel) as (status, content_type, chunks):
            body = b"".join(chunks)
        return Response(status, content_type, body)

    def post(
        self, path: str, payload: Mapping[str, Any] | None, cancel: CancelToken | None = None, *, raw: Raw | None = None
    ) -> Response:
        with self.stream("POST", path, payload, cancel, raw=raw) as (status, content_type, chunks):
            body = b"".join(chunks)
        return Response(status, content_type, body)

    @contextlib.contextmanager
    def stream(
        self,
        method: str,
        path: str,
        payload: Mapping[str, Any] | None,
        cancel: CancelToken | None = None,
        *,
        raw: Raw | None = None,
    ) -> Iterator[tuple[int, str, Iterator[bytes]]]:
        """Send one request; yields (status, content type, body chunks as they arrive). Only 2xx answers come
        through; redirects within the same server are followed, any other status raises an HttpFailure. `raw` is a
        body that is not JSON (an image upload's multipart form): (bytes, content type)."""
        cancel = cancel or CancelToken()
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        content_type = "application/json"
        if raw is not None:
            body, content_type = raw
        target = self.server.url + path
        for _ in range(MAX_REDIRECTS + 1):
            conn, response = self._open(method, target, body, cancel, content_type)
            try:
                if response.status in (301, 302, 303, 307, 308):
                    target = self._redirect_target(target, response.getheader("Location") or "")
                    continue
                if not 200 <= response.status < 300:
                    raise self._status_failure(response, path)
                content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
                chunks = self._chunks(response, cancel, conn)
                try:
                    yield response.status, content_type, chunks
                finally:
                    chunks.close()  # a caller that stops reading early: the watcher thread ends with it
                return
            finally:
                conn.close()
        raise HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "{name} redirected the request more than {count} times.").format(
                name=self.server.name, count=MAX_REDIRECTS
            ),
            Reason.REDIRECT,
        )

    # ------------------------------------------------------------ connecting

    def _open(
        self, method: str, url: str, body: bytes | None, cancel: CancelToken, content_type: str = "application/json"
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            context = tls_context(self.server)
            conn = http.client.HTTPSConnection(host, port, timeout=self._connect_timeout, context=context)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self._connect_timeout)

        # Stop must end a connect that waits on a silent host (SYNs dropped) at once, not after the connect timeout.
        def create_connection(
            address: tuple[str, int], timeout: float | None, source: tuple[str, int] | None = None
        ) -> socket.socket:
            return _connect(address, timeout, source, cancel)

        conn._create_connection = create_connection  # type: ignore[attr-defined]
        headers = {
            "User-Agent": f"aigc-desktop/{__version__}",
            "Accept": "application/json, text/event-stream, application/x-ndjson",
        }
        if body is not None:
            headers["Content-Type"] = content_type
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request_path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        cancel.check()
        try:
            with _closing_on_cancel(conn, cancel):
                conn.connect()
                assert conn.sock is not None
                conn.sock.settimeout(self._read_timeout)  # from now on: how long the server may stay silent
                conn.request(method, request_path, body=body, headers=headers)
                response = conn.getresponse()
        except BaseException as exc:
            connected = conn.sock is not None
            conn.close()
            if cancel.cancelled:
                raise JobCancelled() from None
            if isinstance(exc, OSError | http.client.HTTPException):
                raise self._connect_failure(exc, connected=connected) from None
            raise
        log.debug("%s %s -> %d", method, urlsplit(url).path, response.status)
        return conn, response

    def _chunks(
        self, response: http.client.HTTPResponse, cancel: CancelToken, conn: http.client.HTTPConnection
    ) -> Generator[bytes, None, None]:
        with _closing_on_cancel(conn, cancel):
            while True:
                try:
                    chunk = response.read1(_READ_SIZE)
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    if cancel.cancelled:
                        raise JobCancelled() from None
                    raise self._read_failure(exc) from None
                if cancel.cancelled:
                    raise JobCancelled()
                if not chunk:
                    return
                yield chunk

    # ------------------------------------------------------------ redirects

    def _redirect_target(self, current: str, location: str) -> str:
        target = urljoin(current, location)
        parts = urlsplit(target)
        if (parts.scheme, parts.hostname, parts.port) != self._origin:
            # Not followed at all: the key would go with it, and so would the prompt.
            raise HttpFailure(
                QT_TRANSLATE_NOOP(
                    "Servers",
                    "{name} redirected to another address ({target}); the app does not follow it with your key "
                    "and prompt. If you trust that address, use it as the server's address.",
                ).format(name=self.server.name, target=f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"),
                Reason.REDIRECT,
            )
        return target

    # ------------------------------------------------------------ failures in the user's words

    def _connect_failure(self, exc: BaseException, *, connected: bool) -> HttpFailure:
        name, host = self.server.name, self.server.host
        if isinstance(exc, ssl.SSLCertVerificationError):
            return HttpFailure(
                QT_TRANSLATE_NOOP(
                    "Servers",
                    "The certificate of {name} ({host}) could not be verified: {detail}. If the server uses its own "
                    "certificate, add it to the system's trusted certificates, or turn TLS verification off for "
                    "this server.",
                ).format(name=name, host=host, detail=exc.verify_message or str(exc)),
                Reason.TLS,
            )
        if isinstance(exc, ssl.SSLError):
            hint = "wrong version number" in str(exc).lower()
            message = (
                QT_TRANSLATE_NOOP(
                    "Servers", "{name} ({host}) did not answer in TLS: is it an http:// server rather than https://?"
                )
                if hint
                else QT_TRANSLATE_NOOP("Servers", "The secure (TLS) connection to {name} ({host}) failed: {detail}.")
            )
            return HttpFailure(message.format(name=name, host=host, detail=exc.reason or str(exc)), Reason.TLS)
        if isinstance(exc, ConnectionRefusedError):
            return HttpFailure(
                QT_TRANSLATE_NOOP(
                    "Servers", "{name} refused the connection: nothing is listening at {url} (is the server running?)."
                ).format(name=name, url=self.server.url),
                Reason.REFUSED,
            )
        if isinstance(exc, TimeoutError):
            if not connected:
                return HttpFailure(
                    QT_TRANSLATE_NOOP(
                        "Servers", "{name} ({host}) is unreachable: no answer within {seconds} s."
                    ).format(name=name, host=host, seconds=f"{self._connect_timeout:g}"),
                    Reason.UNREACHABLE,
                )
            return self._silence_failure()
        if isinstance(exc, socket.gaierror):
            return HttpFailure(
                QT_TRANSLATE_NOOP("Servers", "{name} is unreachable: the host name {host} could not be found.").format(
                    name=name, host=host
                ),
                Reason.UNREACHABLE,
            )
        if connected and isinstance(exc, ConnectionError | http.client.HTTPException):
            return HttpFailure(
                QT_TRANSLATE_NOOP("Servers", "{name} closed the connection without answering.").format(name=name),
                Reason.DROPPED,
            )
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "{name} ({host}) is unreachable: {detail}.").format(
                name=name, host=host, detail=getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            ),
            Reason.UNREACHABLE,
        )

    def _silence_failure(self) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "{name} sent nothing for {seconds} s; the request was given up.").format(
                name=self.server.name, seconds=f"{self._read_timeout:g}"
            ),
            Reason.TIMEOUT,
        )

    def _read_failure(self, exc: BaseException) -> HttpFailure:
        if isinstance(exc, TimeoutError):
            return self._silence_failure()
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "The connection to {name} dropped in the middle of its answer.").format(
                name=self.server.name
            ),
            Reason.DROPPED,
        )

    def _status_failure(self, response: http.client.HTTPResponse, path: str) -> HttpFailure:
        status = response.status
        try:
            raw = response.read(64 * 1024)
        except (OSError, http.client.HTTPException):
            raw = b""
        detail = error_detail(raw) or response.reason or ""
        name = self.server.name
        if status == 401:
            message = (
                QT_TRANSLATE_NOOP(
                    "Servers", "{name} did not accept the API key (401 Unauthorized): check the key for this server."
                )
                if self.has_key
                else QT_TRANSLATE_NOOP(
                    "Servers", "{name} needs an API key (401 Unauthorized): add the key for this server."
                )
            )
            return HttpFailure(message.format(name=name), Reason.UNAUTHORIZED, status)
        if status == 403:
            return HttpFailure(
                QT_TRANSLATE_NOOP("Servers", "{name} denied access (403 Forbidden): {detail}").format(
                    name=name, detail=detail or "-"
                ),
                Reason.FORBIDDEN,
                status,
            )
        if status == 404:
            return HttpFailure(
                QT_TRANSLATE_NOOP("Servers", "{name} has no {path} (404 Not Found): {detail}").format(
                    name=name, path=self._base_path + path, detail=detail or "-"
                ),
                Reason.NOT_FOUND,
                status,
            )
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "{name} answered {status}: {detail}").format(
                name=name, status=status, detail=detail or "-"
            ),
            Reason.HTTP,
            status,
            raw,
        )


def tls_context(server: ServerConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not server.verify_tls:  # the user turned it off for this server (a self-signed home box)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def error_detail(raw: bytes) -> str:
    """The human part of an error body: OpenAI's {"error": {"message"}}, FastAPI's {"detail"}, Ollama's {"error"}."""
    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        if text.lstrip().startswith("<"):
            return "(an HTML page)"
        return " ".join(text.split())[:_DETAIL_CHARS]
    return json_error_message(data)[:_DETAIL_CHARS]


def json_error_message(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("error", "detail", "message"):
            if key in data:
                value = data[key]
                if isinstance(value, dict):
                    return str(value.get("message") or value.get("msg") or value)
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    return str(value[0].get("msg") or value[0])  # FastAPI validation errors
                return str(value)
    return " ".join(str(data).split())


def _connect(
    address: tuple[str, int], timeout: float | None, source: tuple[str, int] | None, cancel: CancelToken
) -> socket.socket:
    """socket.create_connection, but waiting for the connection in short polls that look at the cancel token: a
    blocked connect() cannot be woken from another thread. The host name is looked up first (the system resolver has
    its own timeouts)."""
    host, port = address
    deadline = None if timeout is None else time.monotonic() + timeout
    last: OSError | None = None
    for family, kind, proto, _name, target in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            if source is not None:
                sock.bind(source)
            sock.setblocking(False)
            code = sock.connect_ex(target)
            while code in (errno.EINPROGRESS, errno.EALREADY, errno.EWOULDBLOCK):
                if cancel.cancelled:
                    raise JobCancelled()
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError("timed out")
                wait = _CANCEL_POLL_S if left is None else min(_CANCEL_POLL_S, left)
                _, writable, failed = select.select([], [sock], [sock], wait)
                if writable or failed:
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, os.strerror(code))
            sock.settimeout(timeout)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
            if isinstance(exc, TimeoutError):
                raise
        except BaseException:
            sock.close()
            raise
    raise last or OSError(f"no address for {host}")


@contextlib.contextmanager
def _closing_on_cancel(conn: http.client.HTTPConnection, cancel: CancelToken) -> Iterator[None]:
    """While the body runs, a small thread turns Stop into a shut-down socket: a blocked connect or read returns at
    once, and the server sees the client go."""

    def shut() -> None:
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    with cancel.calling_on_cancel(shut, "server-cancel-watch", _CANCEL_POLL_S):
        yield
