"""The real OpenAI-compatible server, llama-cpp-python's `llama_cpp.server`, on 127.0.0.1 with a GGUF: for the server
tests and benchmarks/server_text.py.

It gets the local engine's context, thread and attention settings (text_llama.py: n_ctx 4096, n_batch 512, threads,
flash attention), so that its first generation computes exactly what the local engine computes.
`--interrupt_requests False`: a new request must not end a running stream by itself, so a test sees that it was the
client's Stop that ended it. The server's output goes to a log file, unbuffered: it prints "Disconnected from client"
when it notices a client went away.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from local_server import LocalServer, local_server

from aigc_desktop.core.engines.text_llama import DEFAULT_N_CTX, _logical_cpus, physical_cores

START_GUARD_S = 180.0  # a hang guard only: loading the 250 MB model takes a few seconds


class LlamaServer(LocalServer):
    pass


def llama_server(gguf: Path, log: Path, *extra: str) -> contextlib.AbstractContextManager[LlamaServer]:
    def args(port: int) -> list[str]:
        return [
            sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
            "--n_ctx", str(DEFAULT_N_CTX), "--n_batch", "512", "--n_threads", str(physical_cores()),
            "--n_threads_batch", str(_logical_cpus()), "--flash_attn", "True", "--interrupt_requests", "False", *extra,
        ]  # fmt: skip

    return local_server(LlamaServer, "llama_cpp.server", args, log, "/v1/models", START_GUARD_S)
