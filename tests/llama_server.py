"""The real OpenAI-compatible server, llama-cpp-python's `llama_cpp.server`, on 127.0.0.1 with a GGUF: for the server
tests and benchmarks/server_text.py.

It gets the local engine's context and thread settings (text_llama.py: n_ctx 4096, n_batch 512, threads), so that
its first generation computes exactly what the local engine computes. `--interrupt_requests False`: a new request
must not end a running stream by itself, so a test sees that it was the client's Stop that ended it. The server's
output goes to a log file, unbuffered: it prints "Disconnected from client" when it notices a client went away.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aigc_desktop.core.engines.text_llama import DEFAULT_N_CTX, _logical_cpus, physical_cores

START_GUARD_S = 180.0  # a hang guard only: loading the 250 MB model takes a few seconds


@dataclass
class LlamaServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def llama_server(gguf: Path, log: Path, *extra: str) -> Iterator[LlamaServer]:
    port = free_port()
    args = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(DEFAULT_N_CTX), "--n_batch", "512", "--n_threads", str(physical_cores()),
        "--n_threads_batch", str(_logical_cpus()), "--interrupt_requests", "False", *extra,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = LlamaServer(f"http://127.0.0.1:{port}", process, log)
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


def _wait_ready(server: LlamaServer) -> None:
    deadline = time.monotonic() + START_GUARD_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited ({server.process.returncode}):\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/v1/models", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers (401 with --api_key): ready
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"llama_cpp.server did not answer within {START_GUARD_S:.0f} s:\n{server.log_text()[-3000:]}")
