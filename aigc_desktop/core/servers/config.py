"""The servers the user added, and their keys.

`servers.json` in the config folder holds what is safe to show and copy: name, kind, URL, TLS verification, how long
the server may stay silent, and what the last test found (its dialect and models). API keys live apart in
`server-keys.json`, created owner-only (0600) and read only by the code that sends them: no ServerConfig, project,
log line, export or `aigc servers list --json` ever holds one.

A URL is checked before it is saved: http or https only, no user name or password in it (a key goes in the key file,
not into a URL that ends up in shell history and logs), no query. Plain http to a machine other than this one is
allowed but flagged (`ServerConfig.plain_http_remote`, `plain_http_warning`): the window and the CLI ask before they
send a prompt over it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.paths import AppPaths

log = logging.getLogger(__name__)

SERVERS_FILE = "servers.json"
KEYS_FILE = "server-keys.json"
DEFAULT_TIMEOUT_S = 120.0  # how long a server may stay silent: a big prompt on a busy GPU box takes a while
MAX_NAME = 64


class ServerKind(StrEnum):
    TEXT = "text"
    IMAGES = "images"
    SPEECH = "speech"


@dataclass(frozen=True)
class ServerConfig:
    name: str
    kind: ServerKind
    url: str  # normalised by check_url: scheme://host[:port][/path], no trailing slash, no "/v1"
    verify_tls: bool = True
    timeout_s: float = DEFAULT_TIMEOUT_S
    dialect: str = ""  # what the last test found (openai_text.Dialect values); "" = not tested yet
    models: tuple[str, ...] = field(default_factory=tuple)  # the models the last test listed
    # What else the last test found the server can do, in its kind's words (an image server: the ImageMode values
    # its nodes and models allow); () = not tested yet.
    features: tuple[str, ...] = field(default_factory=tuple)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def plain_http_remote(self) -> bool:
        """Prompts (and the key) would cross the network unencrypted: the window and the CLI ask first."""
        return urlsplit(self.url).scheme == "http" and not is_loopback(self.host)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind.value,
            "url": self.url,
            "verify_tls": self.verify_tls,
            "timeout_s": self.timeout_s,
            "dialect": self.dialect,
            "models": list(self.models),
            "features": list(self.features),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServerConfig:
        timeout = data.get("timeout_s", DEFAULT_TIMEOUT_S)
        return cls(
            name=check_name(str(data["name"])),
            kind=ServerKind(str(data["kind"])),
            url=check_url(str(data["url"])),
            verify_tls=data.get("verify_tls", True) is not False,
            timeout_s=float(timeout) if isinstance(timeout, int | float) and timeout > 0 else DEFAULT_TIMEOUT_S,
            dialect=str(data.get("dialect") or ""),
            models=tuple(str(m) for m in data.get("models") or () if str(m)),
            features=tuple(str(f) for f in data.get("features") or () if str(f)),
        )


def is_loopback(host: str) -> bool:
    """This machine: localhost and the loopback addresses (traffic that never leaves it)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_name(name: str) -> str:
    """A server's name: shown in model lists and part of model ids ("server:NAME/MODEL"), so no "/" in it."""
    if not name or name != name.strip() or len(name) > MAX_NAME:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Servers", "A server's name must be 1 to {max} characters, without spaces at either end."
            ).format(max=MAX_NAME)
        )
    if "/" in name or any(not ch.isprintable() for ch in name):
        raise UserError(QT_TRANSLATE_NOOP("Servers", "A server's name must not contain “/” or control characters."))
    return name


def check_url(url: str) -> str:
    """The server's base URL, normalised; a UserError for anything the app will not send a request to."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Servers", "“{url}” is not a valid address: {reason}.").format(
                url=_redacted(text), reason=str(exc)
            )
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Servers", "“{url}” is not a server address: it must start with http:// or https:// and name a host."
            ).format(url=_redacted(text))
        )
    if parts.username is not None or parts.password is not None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Servers",
                "The address contains a user name or password; remove it and give the key as the server's API key "
                "instead (an address ends up in logs and shell history).",
            )
        )
    if parts.query or parts.fragment:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Servers", "The address must not have a query (“?…”) or fragment (“#…”): give the key as the API key."
            )
        )
    path = parts.path.rstrip("/")
    # OpenAI clients are configured with ".../v1"; the app adds the /v1 (and Ollama's /api) paths itself.
    if path.endswith("/v1"):
        path = path[: -len("/v1")]
    host = parts.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def _redacted(url: str) -> str:
    """A URL as it may be echoed in a message: without anything before an "@" in its authority."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "…@" + authority.rsplit("@", 1)[1]
    return f"{scheme}://{authority}{slash}{tail}"


def plain_http_warning(server: ServerConfig) -> Msg | None:
    """What to tell the user before any project text goes to this server, or None when nothing needs saying."""
    if not server.plain_http_remote:
        return None
    return QT_TRANSLATE_NOOP(
        "Servers",
        "{name} is reached over plain http on {host}: your prompts, texts and API key cross the network "
        "unencrypted, readable by anyone on the way. Use https:// if the server offers it.",
    ).format(name=server.name, host=server.host)


def unknown_server(name: str, known: list[str]) -> UserError:
    return UserError(
        QT_TRANSLATE_NOOP("Servers", "No server called “{name}”. Servers: {known}.").format(
            name=name, known=", ".join(known) or "none"
        )
    )


class ServerStore:
    """The servers file and the key file of one config folder. Read on every call: the window and `aigc servers`
    may change them while the other runs."""

    def __init__(self, paths: AppPaths) -> None:
        self._dir = paths.config_dir

    @property
    def servers_file(self) -> Path:
        return self._dir / SERVERS_FILE

    @property
    def keys_file(self) -> Path:
        return self._dir / KEYS_FILE

    # ------------------------------------------------------------ servers

    def servers(self, kind: ServerKind | None = None) -> list[ServerConfig]:
        found: list[ServerConfig] = []
        for raw in self._read(self.servers_file).get("servers", []):
            try:
                server = ServerConfig.from_dict(raw)
            except (KeyError, TypeError, ValueError, UserError) as exc:  # one bad entry must not hide the others
                log.warning("skipping an unreadable server entry in %s: %s", self.servers_file, exc)
                continue
            if kind is None or server.kind is kind:
                found.append(server)
        return found

    def get(self, name: str) -> ServerConfig:
        servers = self.servers()
        for server in servers:
            if server.name == name:
                return server
        raise unknown_server(name, [s.name for s in servers])

    def add(self, server: ServerConfig, api_key: str | None = None, *, replace_existing: bool = False) -> None:
        check_name(server.name)
        server = replace(server, url=check_url(server.url))
        others = [s for s in self.servers() if s.name != server.name]
        if len(others) != len(self.servers()) and not replace_existing:
            raise UserError(
                QT_TRANSLATE_NOOP("Servers", "A server called “{name}” exists already.").format(name=server.name)
            )
        self._write_servers([*others, server])
        self.set_api_key(server.name, api_key)

    def update(self, server: ServerConfig) -> None:
        """Save what a test found (dialect, models) or an edit, keeping the key."""
        servers = self.servers()
        if not any(s.name == server.name for s in servers):
            raise unknown_server(server.name, [s.name for s in servers])
        self._write_servers([server if s.name == server.name else s for s in servers])

    def remove(self, name: str) -> None:
        servers = self.servers()
        if not any(s.name == name for s in servers):
            raise unknown_server(name, [s.name for s in servers])
        self._write_servers([s for s in servers if s.name != name])
        self.set_api_key(name, None)

    def _write_servers(self, servers: list[ServerConfig]) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        ordered = sorted(servers, key=lambda s: s.name.lower())
        atomic.write_json(self.servers_file, {"version": 1, "servers": [s.to_dict() for s in ordered]})

    # ------------------------------------------------------------ keys

    def api_key(self, name: str) -> str | None:
        key = self._read(self.keys_file, private=True).get(name)
        return key if isinstance(key, str) and key else None

    def has_api_key(self, name: str) -> bool:
        return self.api_key(name) is not None

    def set_api_key(self, name: str, key: str | None) -> None:
        keys = {k: v for k, v in self._read(self.keys_file, private=True).items() if isinstance(v, str)}
        key = (key or "").strip()
        if key:
            keys[name] = key
        elif name in keys:
            del keys[name]
        else:
            return
        self._dir.mkdir(parents=True, exist_ok=True)
        _write_private(self.keys_file, json.dumps(keys, ensure_ascii=False, indent=1).encode("utf-8"))

    # ------------------------------------------------------------ files

    @staticmethod
    def _read(path: Path, *, private: bool = False) -> dict[str, Any]:
        try:
            if private:
                _tighten(path)
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # never the content: the key file's text must not reach the log
            log.warning("%s is unreadable (%s); treating it as empty", path, type(exc).__name__)
            return {}
        return data if isinstance(data, dict) else {}


def _write_private(target: Path, data: bytes) -> None:
    """Replace `target` in one step with a file only its owner can read, from its first byte on (the temporary file
    is created 0600, so the key is never readable by others, not even for a moment)."""
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    _tighten(target)


def _tighten(path: Path) -> None:
    """A key file others can read (copied in, restored from a backup) is made owner-only again before use."""
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o777
        if mode & 0o077 and os.name == "posix":
            log.warning("%s was readable by others; made it owner-only", path)
            os.chmod(path, 0o600)


def with_test_result(
    server: ServerConfig, dialect: str, models: list[str], features: tuple[str, ...] = ()
) -> ServerConfig:
    return replace(server, dialect=dialect, models=tuple(models), features=features)
