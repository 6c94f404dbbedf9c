"""A local stand-in for the Hugging Face Hub on 127.0.0.1, answering what huggingface_hub 2.4 asks for a download.

Endpoints (the ones `HfApi.model_info`, `get_hf_file_metadata` and a plain GET use):
- GET  /api/models/{repo}[/revision/{rev}]        -> {"id", "sha", "siblings"} (404 + X-Error-Code otherwise)
- HEAD /{repo}/resolve/{rev}/{path}               -> X-Repo-Commit, ETag, Content-Length, Accept-Ranges; LFS files
                                                     answer 302 to /cdn/{sha256} with X-Linked-Size / X-Linked-Etag,
                                                     as the real Hub does (its CDN is another host; here the same)
- GET  the same, and /cdn/{sha256}                -> the bytes, honouring `Range: bytes=a-` / `bytes=a-b` (206, 416)

Knobs for tests: `throttle` (bytes per second), `fail_next` (answer the next N file GETs with 503), `drop_after`
(close the connection after that many body bytes, once), `corrupt` (serve other bytes than the advertised sha256).
Every request is recorded (method, path, Range header, status, body bytes sent).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

SEND_BLOCK = 16 * 1024


@dataclass
class FakeFile:
    data: bytes
    lfs: bool = True

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def git_sha1(self) -> str:
        return hashlib.sha1(b"blob %d\0" % len(self.data) + self.data).hexdigest()


@dataclass
class Seen:
    method: str
    path: str
    range: str | None
    status: int = 0
    sent: int = 0


@dataclass
class FakeHub:
    throttle: float | None = None  # bytes per second for file bodies
    fail_next: int = 0
    drop_after: int | None = None
    corrupt: set[str] = field(default_factory=set)  # repo paths whose body differs from their sha256
    repos: dict[str, dict[str, FakeFile]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    branches: tuple[str, ...] = ("main",)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ content

    def add(self, repo: str, path: str, data: bytes, *, lfs: bool = True) -> FakeFile:
        f = FakeFile(data, lfs)
        self.repos.setdefault(repo, {})[path] = f
        return f

    def commit(self, repo: str) -> str:
        return hashlib.sha1(repo.encode()).hexdigest()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the hub first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ------------------------------------------------------------ life cycle

    def start(self) -> FakeHub:
        hub = self

        class Handler(_Handler):
            fake = hub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-hub", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ what tests look at

    def gets(self, part: str = "") -> list[Seen]:
        """The GETs that were answered with file bytes, for paths containing `part`."""
        with self._lock:
            return [r for r in self.requests if r.method == "GET" and part in r.path and r.status in (200, 206)]

    def sent_bytes(self) -> int:
        with self._lock:
            return sum(r.sent for r in self.requests)

    def record(self, seen: Seen) -> Seen:
        with self._lock:
            self.requests.append(seen)
        return seen


class _Handler(BaseHTTPRequestHandler):
    fake: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures, not traffic
        pass

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    # ------------------------------------------------------------ routing

    def _route(self, *, head: bool) -> None:
        path = unquote(urlparse(self.path).path)
        seen = self.fake.record(Seen("HEAD" if head else "GET", path, self.headers.get("Range")))
        api = re.match(r"^/api/models/(?P<repo>[^/]+/[^/]+?)(?:/revision/(?P<rev>[^/]+))?/?$", path)
        if api:
            self._model_info(seen, api["repo"], api["rev"] or "main")
            return
        cdn = re.match(r"^/cdn/(?P<sha>[0-9a-f]{64})$", path)
        if cdn:
            found = self._by_sha(cdn["sha"])
            if found is None:
                self._empty(seen, 404)
            else:  # the redirect is followed here (same host), so the commit header must be here too
                self._serve(seen, found[1], found[2], head=head, repo=found[0])
            return
        resolve = re.match(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$", path)
        if not resolve:
            self._empty(seen, 404)
            return
        repo, rev, name = resolve["repo"], resolve["rev"], resolve["file"]
        files = self.fake.repos.get(repo)
        if files is None:
            self._empty(seen, 404, {"X-Error-Code": "RepoNotFound"})
            return
        if rev not in self.fake.branches and rev != self.fake.commit(repo):
            self._empty(seen, 404, {"X-Error-Code": "RevisionNotFound"})
            return
        entry = files.get(name)
        if entry is None:
            self._empty(seen, 404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": self.fake.commit(repo)})
            return
        if entry.lfs:  # the real Hub redirects LFS files to its CDN and says what they are on the redirect
            self._empty(
                seen,
                302,
                {
                    "Location": f"/cdn/{entry.sha256}",
                    "X-Repo-Commit": self.fake.commit(repo),
                    "X-Linked-Size": str(len(entry.data)),
                    "X-Linked-Etag": f'"{entry.sha256}"',
                    "ETag": f'"{entry.git_sha1}"',
                },
            )
            return
        self._serve(seen, name, entry, head=head, repo=repo)

    def _by_sha(self, sha: str) -> tuple[str, str, FakeFile] | None:
        for repo, files in self.fake.repos.items():
            for name, entry in files.items():
                if entry.sha256 == sha:
                    return repo, name, entry
        return None

    def _model_info(self, seen: Seen, repo: str, rev: str) -> None:
        files = self.fake.repos.get(repo)
        if files is None:
            self._empty(seen, 404, {"X-Error-Code": "RepoNotFound"})
            return
        if rev not in self.fake.branches and rev != self.fake.commit(repo):
            self._empty(seen, 404, {"X-Error-Code": "RevisionNotFound"})
            return
        body = json.dumps(
            {
                "id": repo,
                "modelId": repo,
                "sha": self.fake.commit(repo),
                "private": False,
                "siblings": [{"rfilename": name} for name in sorted(files)],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        seen.status = 200

    # ------------------------------------------------------------ answers

    def _empty(self, seen: Seen, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()
        seen.status = status

    def _serve(self, seen: Seen, name: str, entry: FakeFile, *, head: bool, repo: str) -> None:
        fake = self.fake
        data = entry.data
        if name in fake.corrupt:
            data = bytes(b ^ 0x5A for b in data)  # same length, other bytes
        if not head and fake.fail_next > 0:
            fake.fail_next -= 1
            self._empty(seen, 503)
            return
        total = len(data)
        start, end = 0, total - 1
        status = 200
        wanted = self.headers.get("Range")
        if wanted and not head:
            match = re.match(r"^bytes=(\d+)-(\d*)$", wanted.strip())
            if not match or int(match.group(1)) >= total:
                self._empty(seen, 416, {"Content-Range": f"bytes */{total}"})
                return
            start = int(match.group(1))
            end = min(int(match.group(2)), total - 1) if match.group(2) else total - 1
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", f'"{entry.sha256 if entry.lfs else entry.git_sha1}"')
        if repo:
            self.send_header("X-Repo-Commit", fake.commit(repo))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{total}")
        self.send_header("Content-Length", str(end - start + 1 if not head else total))
        self.end_headers()
        seen.status = status
        if head:
            return
        body = memoryview(data)[start : end + 1]
        started = time.monotonic()
        drop_at = fake.drop_after
        try:
            for offset in range(0, len(body), SEND_BLOCK):
                block = body[offset : offset + SEND_BLOCK]
                if drop_at is not None and seen.sent + len(block) > drop_at:
                    fake.drop_after = None  # once
                    self.wfile.write(block[: max(drop_at - seen.sent, 0)])
                    seen.sent = max(drop_at, seen.sent)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(block)
                seen.sent += len(block)
                if fake.throttle:
                    ahead = seen.sent / fake.throttle - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (paused, cancelled, killed)


def add_model_files(hub: FakeHub, repo: str, files: dict[str, bytes], *, lfs_over: int = 1024) -> dict[str, FakeFile]:
    """Add several files; those over `lfs_over` bytes are LFS files (redirected, sha256 ETag) as on the Hub."""
    return {path: hub.add(repo, path, data, lfs=len(data) > lfs_over) for path, data in files.items()}


def catalog_entry(
    hub: FakeHub,
    model_id: str,
    repo: str,
    *,
    kind: str,
    backend: str,
    model_path: str,
    pin_sha: bool = True,
    pin_size: bool = True,
    save_as: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A catalog entry (as in resources/catalog.json) for the files `hub` holds for `repo`."""
    files = []
    for path, f in sorted(hub.repos[repo].items()):
        item: dict[str, Any] = {
            "path": path,
            "size": len(f.data) if pin_size else None,
            "sha256": f.sha256 if pin_sha else None,
        }
        if save_as and path in save_as:
            item["save_as"] = save_as[path]
        files.append(item)
    entry = {
        "id": model_id,
        "name": extra.pop("name", model_id),
        "kind": kind,
        "backend": backend,
        "repo": repo,
        "revision": "main",
        "files": files,
        "model_path": model_path,
        "licence": extra.pop("licence", "Apache-2.0"),
        "languages": extra.pop("languages", ["en"]),
        "ram_gb": extra.pop("ram_gb", 0.1),
        "vram_gb": extra.pop("vram_gb", None),
        "gpu": extra.pop("gpu", "optional"),
        "approx_bytes": sum(len(f.data) for f in hub.repos[repo].values()),
        "description": extra.pop("description", "A test model served by the fake Hub."),
    }
    entry.update(extra)
    return entry


def write_catalog(path: Any, models: list[dict[str, Any]]) -> Any:
    path.write_text(json.dumps({"schema": 1, "models": models}, indent=2), encoding="utf-8")
    return path


def gguf_bytes(size: int, seed: int = 0) -> bytes:
    """A file the model detector takes for a GGUF model (magic, version 3) padded with reproducible bytes."""
    import random

    rng = random.Random(seed)
    header = b"GGUF" + (3).to_bytes(4, "little")
    body = max(size - len(header), 0)
    block = rng.randbytes(min(body, 1 << 20))  # big files repeat one random megabyte
    return header + (block * (body // max(len(block), 1) + 1))[:body]


# ---------------------------------------------------------------- pytest fixtures (registered in conftest.py)

TINY_GGUF_REPO = "fake-org/tiny-GGUF"
TINY_VOICE_REPO = "fake-org/tiny-voice"
PIPER_CONFIG = {"audio": {"sample_rate": 22050}, "language": {"code": "en_US"}, "phoneme_id_map": {"a": [1]}}


@dataclass
class HubCatalog:
    """A catalog file (AIGC_CATALOG) of small models that `hub` serves."""

    hub: FakeHub
    path: Any
    models: list[dict[str, Any]]

    def add(self, entry: dict[str, Any]) -> dict[str, Any]:
        self.models.append(entry)
        write_catalog(self.path, self.models)
        return entry

    def replace(self, model_id: str, **changes: Any) -> dict[str, Any]:
        entry = next(m for m in self.models if m["id"] == model_id)
        entry.update(changes)
        write_catalog(self.path, self.models)
        return entry


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A fake Hub on 127.0.0.1; HF_ENDPOINT points at it for this test."""
    hub = FakeHub().start()
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield hub
    hub.stop()


@pytest.fixture
def hub_catalog(fake_hub: FakeHub, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> HubCatalog:
    """'tiny-gguf' (one 3 MB GGUF file, LFS) and 'tiny-voice' (a Piper voice: .onnx + .onnx.json + MODEL_CARD)."""
    fake_hub.add(TINY_GGUF_REPO, "tiny-q4.gguf", gguf_bytes(3_000_000))
    fake_hub.add(TINY_GGUF_REPO, "README.md", b"---\nlicense: apache-2.0\n---\n# tiny\n", lfs=False)
    fake_hub.add(TINY_VOICE_REPO, "en/en_US/tiny/medium/en_US-tiny-medium.onnx", bytes(range(256)) * 2048)
    voice_config = json.dumps(PIPER_CONFIG).encode()
    fake_hub.add(TINY_VOICE_REPO, "en/en_US/tiny/medium/en_US-tiny-medium.onnx.json", voice_config, lfs=False)
    fake_hub.add(TINY_VOICE_REPO, "en/en_US/tiny/medium/MODEL_CARD", b"# Tiny\n* License: CC0\n", lfs=False)
    models = [
        catalog_entry(
            fake_hub,
            "tiny-gguf",
            TINY_GGUF_REPO,
            kind="text",
            backend="llama.cpp",
            model_path="tiny-q4.gguf",
            name="Tiny GGUF (test)",
            licence="Apache-2.0",
            languages=["en", "zh"],
        ),
        catalog_entry(
            fake_hub,
            "tiny-voice",
            TINY_VOICE_REPO,
            kind="speech",
            backend="piper",
            model_path="en_US-tiny-medium.onnx",
            name="Tiny voice (test)",
            licence="CC0",
            gpu="none",
            save_as={
                "en/en_US/tiny/medium/en_US-tiny-medium.onnx": "en_US-tiny-medium.onnx",
                "en/en_US/tiny/medium/en_US-tiny-medium.onnx.json": "en_US-tiny-medium.onnx.json",
                "en/en_US/tiny/medium/MODEL_CARD": "MODEL_CARD",
            },
        ),
    ]
    path = write_catalog(tmp_path / "catalog.json", models)
    monkeypatch.setenv("AIGC_CATALOG", str(path))
    return HubCatalog(fake_hub, path, models)
