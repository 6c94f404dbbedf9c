"""Real material for runtime-build tests, made here without the network: wheels written by hand, pip's own wheel
rebuilt from the test venv's installed pip (a newer pip than ensurepip's, for `--progress-bar raw`), and a PEP 503
package index served over HTTP from a folder (optionally slow, to cancel a download half-way)."""

from __future__ import annotations

import base64
import hashlib
import http.server
import importlib.metadata
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(folder: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A pure-Python wheel `name-version-py3-none-any.whl` holding `files` (path in site-packages → bytes)."""
    dist = f"{name.replace('-', '_')}-{version}"
    info = f"{dist}.dist-info"
    entries = dict(files)
    entries[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    entries[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [_record_line(path, data) for path, data in entries.items()] + [f"{info}/RECORD,,"]
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry, data in entries.items():
            zf.writestr(entry, data)
    return path


def module_wheel(folder: Path, name: str, version: str, padding: int = 0) -> Path:
    """A wheel with one module `name` (importable; `VERSION` inside) and `padding` bytes of incompressible data."""
    module = name.replace("-", "_")
    files = {f"{module}/__init__.py": f"VERSION = {version!r}\n".encode()}
    if padding:
        files[f"{module}/blob.bin"] = hashlib.shake_256(name.encode()).digest(padding)
    return write_wheel(folder, name, version, files)


def pip_wheel(folder: Path) -> tuple[Path, str]:
    """The running venv's pip as a wheel (its installed files zipped back up), and its version."""
    dist = importlib.metadata.distribution("pip")
    files = {}
    for f in dist.files or []:
        if f.name == "RECORD" or f.suffix == ".pyc" or str(f).startswith(".."):
            continue
        files[str(f)] = Path(str(f.locate())).read_bytes()
    files = {k: v for k, v in files.items() if not k.endswith(("INSTALLER", "REQUESTED", "direct_url.json"))}
    return write_wheel(folder, "pip", dist.version, files), dist.version


class _Index(http.server.SimpleHTTPRequestHandler):
    root: Path
    delay: float  # seconds between 64 KiB blocks of a file: a slow network to cancel in

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = [p for p in self.path.split("/") if p]
        if len(parts) == 2 and parts[0] == "simple":
            project = parts[1]
            links = [
                f'<a href="/files/{w.name}">{w.name}</a>'
                for w in sorted(self.root.glob("*.whl"))
                if w.name.split("-")[0].lower().replace("_", "-") == project.lower()
            ]
            if not links:
                self.send_error(404)
                return
            self._send(f"<html><body>{''.join(links)}</body></html>".encode(), "text/html")
        elif len(parts) == 2 and parts[0] == "files" and (self.root / parts[1]).is_file():
            data = (self.root / parts[1]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                for i in range(0, len(data), 65536):
                    self.wfile.write(data[i : i + 65536])
                    if self.delay:
                        time.sleep(self.delay)
            except (BrokenPipeError, ConnectionResetError):  # the client was cancelled mid-download
                return
        else:
            self.send_error(404)

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve_index(root: Path, delay: float = 0.0) -> Iterator[str]:
    """A package index over `root`'s wheels at http://127.0.0.1:PORT/simple/ (yielded)."""
    handler = type("Index", (_Index,), {"root": root, "delay": delay})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()
