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
