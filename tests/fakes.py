"""Small engines for worker tests: they follow the Engine interface exactly, with behaviour tests can steer."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
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
            if spec.params.get("break_at") == i:
                raise UserError(f"broke at step {i}")
            if spec.params.get("words"):  # stream text, as a text engine does (the worker batches text pieces)
                from aigc_desktop.core.text.job import TextChunk

                ctx.partial(TextChunk(0, f"w{i} "))
            else:
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
        source=ModelSource.LOCAL,
    )


def wait_for_release(hold: threading.Event, ctx: RunContext) -> None:
    """Wait until a test sets `hold` or stops the job: the test sees a job still running without racing a clock."""
    deadline = time.monotonic() + 30  # a test that forgets to release must fail, not hang
    while not hold.wait(0.01) and time.monotonic() < deadline:
        ctx.cancel.check()


class FakeTextEngine:
    """Streams seeded pseudo-words like a text engine (TextChunk partials, TextOutput result) without a model.

    `delay` seconds pass per token; with `hold` set it waits after the first word until the event is set or the job is
    stopped. The text depends only on (prompt, seed, index).
    """

    delay: ClassVar[float] = 0.0
    hold: ClassVar[threading.Event | None] = None
    WORDS: ClassVar[list[str]] = ["lantern", "river", "quiet", "morning", "灯", "山", "wind", "stone", "light", "path"]

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        self.model = model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        import random

        from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, prompt_of

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
                if len(words) == 1 and i == 0 and self.hold is not None:
                    wait_for_release(self.hold, ctx)
            texts.append("".join(words))
            if params.num_beams > 1:
                ctx.partial(TextChunk(i, texts[-1]))
        seconds = time.perf_counter() - started
        tokens = sum(len(t.split()) for t in texts)
        output = TextOutput(texts, tokens, 1.0, tokens / max(seconds, 1e-6), "fake", [False] * len(texts))
        return JobResult(spec=spec, output=output, seconds=seconds, metrics={"new_tokens": tokens})

    def unload(self) -> None:
        pass


class FakeSpeechEngine:
    """Speaks each sentence as a 0.2 s tone (AudioChunk partials, AudioOutput result); `delay` s per sentence;
    with `fail_after` set, the voice breaks (RuntimeError) after that many sentences; with `hold` set, it waits after
    the first sentence until the event is set or the job is stopped (so a test sees a narration still running without
    racing a clock)."""

    delay: ClassVar[float] = 0.0
    fail_after: ClassVar[int | None] = None
    hold: ClassVar[threading.Event | None] = None
    RATE: ClassVar[int] = 16000

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        self.model = model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        import numpy as np

        from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams

        params = SpeechParams.from_spec(spec)
        sentences = [s.strip() for s in str(spec.inputs["text"]).split(".") if s.strip()]
        pieces = []
        for i, sentence in enumerate(sentences):
            ctx.cancel.check()
            if i == self.fail_after:
                raise RuntimeError(f"the fake voice broke after {i} sentences")
            time.sleep(self.delay)
            t = np.arange(int(0.2 * self.RATE * params.length_scale)) / self.RATE
            tone = (0.3 * np.sin(2 * np.pi * (200 + 50 * i + (spec.seed or 0) % 7) * t)).astype(np.float32)
            if i:
                tone = np.concatenate([np.zeros(int(params.sentence_pause_s * self.RATE), np.float32), tone])
            pieces.append(tone)
            ctx.partial(AudioChunk(i, tone, self.RATE, text=sentence, fraction=(i + 1) / len(sentences)))
            if i == 0 and self.hold is not None:
                wait_for_release(self.hold, ctx)
        samples = np.concatenate(pieces)
        out = AudioOutput(samples, self.RATE, 0.01, 1.0, "fake", sentences)
        return JobResult(spec=spec, output=out, seconds=0.01, metrics={"rtf": 0.01})

    def unload(self) -> None:
        pass


class FakeMusicEngine:
    """A seeded noise-and-tone "song" of the asked duration, with progress per tenth."""

    RATE: ClassVar[int] = 8000

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        self.model = model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        import numpy as np

        from aigc_desktop.core.audio.job import AudioOutput, MusicParams

        params = MusicParams.from_spec(spec)
        for step in range(10):
            ctx.cancel.check()
            ctx.progress((step + 1) / 10, f"step {step + 1}/10")
        rng = np.random.default_rng(spec.seed)
        samples = (0.1 * rng.standard_normal(int(params.duration_s * self.RATE))).astype(np.float32)
        out = AudioOutput(samples, self.RATE, 0.01, None, "fake")
        return JobResult(spec=spec, output=out, seconds=0.01)

    def unload(self) -> None:
        pass


class FakeOutputStream:
    """Stands in for sounddevice.OutputStream: tests pull audio through the callback as the device would."""

    instances: ClassVar[list[FakeOutputStream]] = []

    def __init__(self, samplerate: int, channels: int, dtype: str, blocksize: int, callback: object) -> None:
        self.samplerate, self.callback, self.started, self.closed = samplerate, callback, False, False
        FakeOutputStream.instances.append(self)

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False

    def close(self) -> None:
        self.closed = True

    def pull(self, frames: int) -> object:
        import numpy as np

        out = np.zeros((frames, 1), np.float32)
        self.callback(out, frames, None, None)  # type: ignore[operator]
        return out[:, 0]


class FakeImageEngine:
    """Follows the image contract: a preview per step (cancel checked each step), then one flat-coloured image per
    batch item whose colour comes from its seed, at the asked size (the init image's size for upscale × factor)."""

    runs: ClassVar[list[JobSpec]] = []
    step_delay: ClassVar[float] = 0.0  # seconds per step, so a test can stop a job midway

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        self.model = model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        from PIL import Image

        from aigc_desktop.core.image.job import ImageOutput, ImageParams, ImagePreview, batch_seed

        FakeImageEngine.runs.append(spec)
        p = ImageParams.from_spec(spec)
        assert spec.seed is not None
        size = (p.width, p.height)
        if p.mode == "upscale":
            with Image.open(str(spec.inputs["init_image"])) as init:
                size = (init.width * p.upscale_factor, init.height * p.upscale_factor)
        images, seeds = [], []
        for i in range(p.batch):
            seed = batch_seed(spec.seed, i)
            colour = (seed % 251, (seed // 251) % 251, 90)
            for step in range(p.steps):
                ctx.cancel.check()
                time.sleep(FakeImageEngine.step_delay)
                if p.previews:
                    ctx.partial(
                        ImagePreview(i, step + 1, p.steps, Image.new("RGB", (size[0] // 8, size[1] // 8), colour))
                    )
            images.append(Image.new("RGB", size, colour))
            seeds.append(seed)
        out = ImageOutput(images=images, seeds=seeds, mode=p.mode, steps=p.steps, seconds_per_step=0.0, method="fake")
        return JobResult(spec=spec, output=out, seconds=0.01, metrics={"seconds_per_step": 0.0})

    def unload(self) -> None:
        pass
