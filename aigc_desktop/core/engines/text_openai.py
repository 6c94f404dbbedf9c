"""Text jobs on an OpenAI-compatible server (llama.cpp, vLLM, LM Studio, Ollama): the same JobSpec, TextChunk
partials and TextOutput as the local engines, the network I/O on the caller's (worker) thread.

`load` finds the server of a "server:NAME/MODEL" id in the user's servers file and learns its dialect (from the
last test, else by asking it); nothing is loaded. `run` streams each text with its own seed (seed, seed+1, ... as the
local engines do); Stop closes the connection, which ends the server's generation. A connection that drops or a
server that reports an error after some text raises StreamInterrupted: what arrived was already streamed as
partials and stays with the error. Beam search is not something servers offer: a beam job (Title) samples its
candidates instead, and says so in the metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.text_llama import variant_seed
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.servers.config import ServerConfig, ServerStore
from aigc_desktop.core.servers.entries import parse_model_id
from aigc_desktop.core.servers.http import HttpFailure
from aigc_desktop.core.servers.openai_text import Dialect, Sampling, TextClient
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, prompt_of

BACKEND = "openai"
_PROGRESS_EVERY_S = 0.1
# A beam job's stand-in on a server: a few sampled candidates, warm enough to differ, cool enough to stay on topic.
_BEAM_STAND_IN = {"temperature": 0.7, "top_p": 0.95, "top_k": 40}


class StreamInterrupted(UserError):
    """The server stopped answering midway; `texts` holds what had arrived (already streamed as partials)."""

    def __init__(self, message: Msg, texts: list[str]) -> None:
        super().__init__(message)
        self.texts = texts


class OpenAITextEngine:
    def __init__(self) -> None:
        self._store: ServerStore | None = None
        self._server_name = ""
        self._model = ""
        self._client: TextClient | None = None
        self._server: ServerConfig | None = None
        self._dialect = Dialect.OPENAI
        self._probed: Dialect | None = None  # what load asked an untested server

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ref = parse_model_id(model.id)
        if ref is None:
            raise UserError(QT_TRANSLATE_NOOP("ServerTextEngine", "{id} is not a server model.").format(id=model.id))
        self._store = ServerStore(ctx.paths or app_paths())
        self._server_name, self._model = ref
        self._probed = None
        self._connect(ctx)

    def _connect(self, ctx: RunContext) -> None:
        """The server as the user's files say now: an edit in Settings (URL, key, TLS) counts from the next job on,
        though the "model" stays loaded."""
        assert self._store is not None
        server = self._store.get(self._server_name)
        client = TextClient(server, self._store.api_key(server.name))
        if server.dialect in Dialect.__members__.values():
            dialect = Dialect(server.dialect)
        elif self._probed is not None and self._server is not None and self._server.url == server.url:
            dialect = self._probed
        else:  # never tested: ask it now (on the worker thread, with the request's timeouts)
            ctx.progress(None, QT_TRANSLATE_NOOP("ServerTextEngine", "Connecting to {name}…").format(name=server.name))
            dialect = self._probed = client.probe(ctx.cancel).dialect
        self._client, self._server, self._dialect = client, server, dialect

    def unload(self) -> None:
        self._client = self._server = self._store = None

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._store is None:
            raise RuntimeError("OpenAITextEngine.run before load")
        self._connect(ctx)
        assert self._server is not None
        params = TextParams.from_spec(spec)
        prompt = prompt_of(spec)
        seed = spec.seed if spec.seed is not None else 0
        beams = params.num_beams > 1
        started = time.perf_counter()
        first: list[float] = []
        texts: list[str] = []
        tokens = 0
        finishes: list[bool] = []
        reported: str | None = None
        for index in range(params.n):
            texts.append("")

            def emit(piece: str, index: int = index) -> None:
                if not first:
                    first.append(time.perf_counter())
                texts[index] += piece
                ctx.partial(TextChunk(index, piece))

            sampling = self._sampling(params, variant_seed(seed, index), beams)
            try:
                count, stopped, model = self._stream_one(index, prompt, sampling, params, ctx, emit)
            except HttpFailure as exc:
                if not any(texts):
                    raise
                raise StreamInterrupted(
                    QT_TRANSLATE_NOOP(
                        "ServerTextEngine", "{reason} What had arrived ({count} characters) is kept."
                    ).format(reason=exc.message, count=sum(len(t) for t in texts)),
                    texts,
                ) from exc
            tokens += count
            finishes.append(stopped)
            reported = reported or model
        seconds = time.perf_counter() - started
        first_ms = None if not first else (first[0] - started) * 1000.0
        tps = tokens / seconds if seconds > 0 else 0.0
        output = TextOutput(
            texts=texts,
            new_tokens=tokens,
            first_token_ms=first_ms,
            tokens_per_second=tps,
            backend=BACKEND,
            stopped_early=finishes,
        )
        metrics: dict[str, Any] = {
            "tokens_per_second": round(tps, 2),
            "first_token_ms": None if first_ms is None else round(first_ms, 1),
            "new_tokens": tokens,
            "seeds": [variant_seed(seed, i) for i in range(params.n)],
            "server": self._server.name,
            "server_model": reported or self._model,  # the model the server says it ran
            "dialect": self._dialect.value,
        }
        if beams:
            metrics["beam_search"] = "sampled"  # servers offer no beam search: candidates were sampled instead
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    @staticmethod
    def _sampling(params: TextParams, seed: int, beams: bool) -> Sampling:
        if beams:
            temperature, top_p, top_k = _BEAM_STAND_IN["temperature"], _BEAM_STAND_IN["top_p"], _BEAM_STAND_IN["top_k"]
        elif params.greedy or params.temperature == 0:
            temperature, top_p, top_k = 0.0, 1.0, 1
        else:
            temperature, top_p, top_k = params.temperature, params.top_p, params.top_k
        return Sampling(
            max_tokens=params.max_new_tokens,
            temperature=float(temperature),
            top_p=float(top_p),
            top_k=int(top_k),
            repeat_penalty=params.repetition_penalty,
            seed=seed,
            stop=params.stop,
        )

    def _stream_one(
        self,
        index: int,
        prompt: str,
        sampling: Sampling,
        params: TextParams,
        ctx: RunContext,
        emit: Callable[[str], None],
    ) -> tuple[int, bool, str | None]:
        """One text: (tokens generated, ended by a stop sequence or end-of-text, the model the server named)."""
        assert self._client is not None
        n, budget = params.n, params.max_new_tokens
        message = (
            QT_TRANSLATE_NOOP("ServerTextEngine", "Writing {index}/{count}…").format(index=index + 1, count=n)
            if n > 1
            else QT_TRANSLATE_NOOP("ServerTextEngine", "Writing…")
        )
        ctx.progress(index / n, message)
        pieces = 0
        reported_tokens: int | None = None
        finish: str | None = None
        model: str | None = None
        last_report = time.perf_counter()
        stream = self._client.stream(self._dialect, self._model, prompt, sampling, chat=params.chat, cancel=ctx.cancel)
        for piece in stream:
            if piece.text:
                pieces += 1
                emit(piece.text)
            finish = piece.finish or finish
            model = piece.model or model
            reported_tokens = piece.tokens if piece.tokens is not None else reported_tokens
            now = time.perf_counter()
            if now - last_report >= _PROGRESS_EVERY_S:
                last_report = now
                ctx.progress((index + min(pieces, budget) / budget) / n, message)
        ctx.cancel.check()
        # The server's count when it gives one; else one streamed piece per token, as these servers send them.
        return (reported_tokens if reported_tokens is not None else pieces), finish == "stop", model
