"""A real server started as a child process on 127.0.0.1 for a test: a free port, its output in a log file, ready
once it answers HTTP at all, stopped (terminate, then kill) however the test ends. llama_server.py and
piper_server.py start theirs through it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar


@dataclass
class LocalServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


S = TypeVar("S", bound=LocalServer)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def local_server(
    kind: type[S], name: str, args: Callable[[int], list[str]], log: Path, ready_path: str, guard_s: float
) -> Iterator[S]:
    """Start `args(port)` and wait until `ready_path` answers; `guard_s` only guards against a hang."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the log shows each line as the server writes it
    with log.open("wb") as out:
        process = subprocess.Popen(args(port), stdout=out, stderr=subprocess.STDOUT, env=env)
    server = kind(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server, name, ready_path, guard_s)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(20)


def _wait_ready(server: LocalServer, name: str, ready_path: str, guard_s: float) -> None:
    deadline = time.monotonic() + guard_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited ({server.process.returncode}):\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + ready_path, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers (e.g. 401 when it wants a key): ready
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within {guard_s:.0f} s:\n{server.log_text()[-3000:]}")
