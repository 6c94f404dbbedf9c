"""Small engines for worker tests: they follow the Engine interface exactly, with behaviour tests can steer."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind


class RecordingEngine:
    """Counts loads/unloads across instances; `params.fail` raises, `params.steps` loops with cancel checks."""

    loads: ClassVar[list[str]] = []
    unloads: ClassVar[list[str]] = []
    threads: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.model: ModelEntry | None = None

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        self.model = model
        RecordingEngine.loads.append(model.id)

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        RecordingEngine.threads.append(threading.current_thread().name)
        if spec.params.get("fail"):
            raise RuntimeError("boom")
        steps = int(spec.params.get("steps", 1))
        for i in range(steps):
            ctx.cancel.check()
            time.sleep(float(spec.params.get("sleep", 0.0)))
            ctx.partial(i)
            ctx.progress((i + 1) / steps, f"step {i + 1}")
        assert self.model is not None
        return JobResult(spec=spec, output={"model": self.model.id, "seed": spec.seed}, seconds=0.0)

    def unload(self) -> None:
        assert self.model is not None
        RecordingEngine.unloads.append(self.model.id)


def fake_entry(model_id: str, kind: ModelKind = ModelKind.TEXT, backend: str = "fake") -> ModelEntry:
    return ModelEntry(
        id=model_id,
        name=model_id,
        kind=kind,
        backend=backend,
        path=Path("/nonexistent"),
        size_bytes=0,
        licence="test",
        source="local",
    )


class FakeTextEngine:
    """Streams seeded pseudo-words like a text engine (TextChunk partials, TextOutput result) without a model.

    `delay` seconds pass per token, so tests can stop it midway; the text depends only on (prompt, seed, index).
    """

    delay: ClassVar[float] = 0.0
    WORDS: ClassVar[list[str]] = ["lantern", "river", "quiet", "morning", "灯", "山", "wind", "stone", "light", "path"]

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        self.model = model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        import random

        from aigc_desktop.core.text import TextChunk, TextOutput, TextParams, prompt_of

        params = TextParams.from_spec(spec)
        prompt = prompt_of(spec)
        texts: list[str] = []
        started = time.perf_counter()
        for i in range(params.n):
            rng = random.Random(f"{prompt}|{spec.seed}|{i}|{params.greedy}")
            words = []
            for _ in range(min(params.max_new_tokens, 12)):
                ctx.cancel.check()
                time.sleep(self.delay)
                word = " " + rng.choice(self.WORDS)
                words.append(word)
                if params.num_beams == 1:
                    ctx.partial(TextChunk(i, word))
            texts.append("".join(words))
            if params.num_beams > 1:
                ctx.partial(TextChunk(i, texts[-1]))
        seconds = time.perf_counter() - started
        tokens = sum(len(t.split()) for t in texts)
        output = TextOutput(texts, tokens, 1.0, tokens / max(seconds, 1e-6), "fake", [False] * len(texts))
        return JobResult(spec=spec, output=output, seconds=seconds, metrics={"new_tokens": tokens})

    def unload(self) -> None:
        pass
