"""Continue on a server: the app's server engine against a bare HTTP client streaming the same request from the same
local `llama_cpp.server` (embedded Gemma GGUF), alternating in one run; then the app through the real JobQueue and
lane worker with a 10 ms QTimer ticking on the GUI thread. Prints numbers, asserts nothing.

    .venv/bin/python benchmarks/server_text.py [--tokens 128] [--reps 3] [--gguf PATH]

Goals (issue 14): app/bare tokens/s ≥ 0.95×; GUI stall while streaming ≤ 16 ms. The bare client is httpx's API
(the `httpx2` package, when installed; else the stdlib's http.client): POST, iterate the lines, parse each `data:`
JSON — the least any client must do. Both sides send the identical body (the app's own, openai_text.openai_request),
so the server does identical work; both count streamed pieces with text (one per token on this server).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # llama_server: the launcher the server tests use
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

from llama_server import llama_server  # noqa: E402
from machine import describe  # noqa: E402

from aigc_desktop.core.engines.base import RunContext  # noqa: E402
from aigc_desktop.core.engines.host import EngineHost  # noqa: E402
from aigc_desktop.core.models import embedded  # noqa: E402
from aigc_desktop.core.models.registry import ModelRegistry  # noqa: E402
from aigc_desktop.core.paths import app_paths  # noqa: E402
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore, with_test_result  # noqa: E402
from aigc_desktop.core.servers.entries import model_id  # noqa: E402
from aigc_desktop.core.servers.openai_text import Dialect, Sampling, TextClient, openai_request  # noqa: E402
from aigc_desktop.core.text.job import TextOutput, TextParams, text_spec  # noqa: E402

PROMPT = "The history of the printing press begins"


def bare_lines(url: str, body: dict[str, Any]) -> Iterator[str]:
    try:
        import httpx2 as httpx  # httpx's API under its new name; the plain `httpx` when that is what is installed
    except ImportError:
        try:
            import httpx  # type: ignore[no-redef]
        except ImportError:
            httpx = None  # type: ignore[assignment]
    if httpx is not None:
        with httpx.stream("POST", url + "/v1/completions", json=body, timeout=600) as response:
            yield from response.iter_lines()
        return
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    conn.request("POST", "/v1/completions", json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    while line := response.readline():
        yield line.decode("utf-8").rstrip("\r\n")
    conn.close()


def bare_run(url: str, body: dict[str, Any]) -> tuple[float, float, int]:
    """(tokens/s, first piece ms, pieces) of the plain client."""
    started = time.perf_counter()
    first = None
    count = 0
    for line in bare_lines(url, body):
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        if json.loads(line[6:])["choices"][0].get("text"):
            count += 1
            if first is None:
                first = time.perf_counter()
    seconds = time.perf_counter() - started
    return count / seconds, ((first or started) - started) * 1000, count


def app_run(host: EngineHost, model: str, tokens: int) -> TextOutput:
    spec = text_spec(model, PROMPT, TextParams(max_new_tokens=tokens, greedy=True), seed=0)
    output = host.run(spec, RunContext(on_partial=lambda chunk: None)).output
    assert isinstance(output, TextOutput)
    return output


def queued(model: str, tokens: int, reps: int) -> tuple[list[float], list[float]]:
    """Through JobQueue + lane worker: (tokens/s per run, the largest GUI-thread QTimer gap per run)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.workers.queue import JobQueue

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # held: Qt needs it alive while the queue runs
    registry = ModelRegistry(app_paths().ensure())
    queue = JobQueue(lambda lane: EngineHost(registry))
    tps: list[float] = []
    gaps: list[float] = []
    for _ in range(reps):
        done: list[Any] = []
        ticks: list[float] = []
        loop = QEventLoop()

        def finished(job: Any, result: Any, done: list[Any] = done, loop: QEventLoop = loop) -> None:
            done.append(result)
            loop.quit()

        queue.job_finished.connect(finished)
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
        timer.start()
        queue.submit(text_spec(model, PROMPT, TextParams(max_new_tokens=tokens, greedy=True), seed=0))
        if not done:
            loop.exec()
        timer.stop()
        queue.job_finished.disconnect(finished)
        tps.append(done[0].output.tokens_per_second)
        gaps.append(max(((b - a) * 1000 for a, b in itertools.pairwise(ticks)), default=float("nan")))
    queue.shutdown()
    return tps, gaps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--gguf", type=Path, help="an assembled GGUF (default: assemble the embedded one)")
    args = parser.parse_args()

    paths = app_paths().ensure()
    registry = ModelRegistry(paths)
    gguf = args.gguf or registry.materialize(registry.get(embedded.GEMMA_ID)).path
    print(f"machine: {describe()}")
    print(f"model: {gguf.name}; load average at start: {os.getloadavg()[0]:.2f}")
    with llama_server(gguf, Path(tempfile.mkdtemp(prefix="aigc-bench-server-")) / "server.log") as server:
        store = ServerStore(paths)
        store.add(ServerConfig("bench", ServerKind.TEXT, server.url))
        offer = TextClient(store.get("bench"), None).probe()
        store.update(with_test_result(store.get("bench"), offer.dialect.value, offer.models))
        model = model_id("bench", offer.models[0])
        sampling = Sampling(
            max_tokens=args.tokens, temperature=0.0, top_p=1.0, top_k=1, repeat_penalty=1.1, seed=0
        )  # what the engine sends for this spec
        body = openai_request(Dialect(offer.dialect), offer.models[0], PROMPT, sampling, chat=False)
        host = EngineHost(registry)
        app_run(host, model, 8)  # both sides warmed once: the server's first decode pays its page faults
        bare_run(server.url, body)
        app_tps: list[float] = []
        app_first: list[float] = []
        bare_tps: list[float] = []
        bare_first: list[float] = []
        app_tokens = bare_tokens = 0
        for _ in range(args.reps):
            tps, first, bare_tokens = bare_run(server.url, body)
            bare_tps.append(tps)
            bare_first.append(first)
            output = app_run(host, model, args.tokens)
            app_tps.append(output.tokens_per_second)
            app_first.append(output.first_token_ms or float("nan"))
            app_tokens = output.new_tokens
        host.unload_all()
        queue_tps, gaps = queued(model, args.tokens, args.reps)
    b, a = statistics.median(bare_tps), statistics.median(app_tps)
    print(
        f"bare client:  {b:6.1f} tok/s median of {args.reps} ({bare_tokens} tokens), first piece "
        f"{statistics.median(bare_first):.0f} ms   runs: {', '.join(f'{x:.1f}' for x in bare_tps)}"
    )
    print(
        f"app engine:   {a:6.1f} tok/s median of {args.reps} ({app_tokens} tokens), first piece "
        f"{statistics.median(app_first):.0f} ms   runs: {', '.join(f'{x:.1f}' for x in app_tps)}"
    )
    print(f"ratio app/bare: {a / b:.3f} (medians), {max(app_tps) / max(bare_tps):.3f} (best runs)   (goal >= 0.95)")
    print(
        f"through JobQueue + lane worker: {statistics.median(queue_tps):.1f} tok/s; largest gap of a 10 ms QTimer on "
        f"the GUI thread while streaming: {max(gaps):.1f} ms (per run: {', '.join(f'{g:.1f}' for g in gaps)})"
        "   (goal <= 16 ms)"
    )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
