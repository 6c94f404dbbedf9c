"""EngineHost: holds the loaded engines of one lane and runs specs on them. The worker thread and the CLI both use it,
so a job runs through exactly the same code whether it came from the window or the terminal."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from aigc_desktop.core.engines.base import Engine, RunContext, create_engine
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec, ModelKind

if TYPE_CHECKING:
    from aigc_desktop.core.models.registry import ModelRegistry

log = logging.getLogger(__name__)


def _tool(model_id: str, name: str, backend: str) -> ModelEntry:
    return ModelEntry(
        id=model_id,
        name=name,
        kind=ModelKind.SYSTEM,
        backend=backend,
        path=Path(),
        size_bytes=0,
        licence="",
        source=ModelSource.BUILTIN,
    )


# Tools that need no model file; they are not listed as models.
BUILTIN_MODELS: dict[str, ModelEntry] = {
    entry.id: entry
    for entry in (
        _tool("torch-selfcheck", QT_TRANSLATE_NOOP("Engine", "Hardware check"), "torch-selfcheck"),
        _tool("aigc-trainer", QT_TRANSLATE_NOOP("Engine", "Image trainer (DCGAN / VAE)"), "aigc-train"),
        _tool("aigc-style-trainer", QT_TRANSLATE_NOOP("Engine", "Style trainer (LoRA)"), "aigc-style-train"),
    )
}

# Which worker thread ("lane") runs which kind of job. One job at a time per lane; lanes run side by side.
LANES: dict[JobKind, str] = {
    JobKind.TEXT: "text",
    JobKind.IMAGE: "image",
    JobKind.TRAIN: "train",  # its own lane: hours of training must not hold up image generation
    JobKind.SPEECH: "audio",
    JobKind.MUSIC: "audio",
    JobKind.SYSTEM: "system",
}

Resolver = Callable[[str], ModelEntry]


class EngineHost:
    """Loads a model once and reuses it; loading another model of the same kind unloads the first.

    Models are looked up in `registry` (or by `resolve`, for a driver that knows its model already), and the engines
    get that registry through their RunContext: the models folder and the user's consents are the host's, not a
    fresh look at the default folders.
    """

    def __init__(self, registry: ModelRegistry | None = None, *, resolve: Resolver | None = None) -> None:
        if resolve is None:
            if registry is None:
                raise ValueError("an EngineHost needs a registry or a resolver")
            resolve = registry.get
        self.registry = registry
        self._resolve = resolve
        self._loaded: dict[ModelKind, tuple[ModelEntry, Engine]] = {}

    def resolve(self, model_id: str) -> ModelEntry:
        return BUILTIN_MODELS.get(model_id) or self._resolve(model_id)

    def _context(self, ctx: RunContext) -> RunContext:
        return ctx if ctx.registry is not None or self.registry is None else replace(ctx, registry=self.registry)

    def loaded_models(self) -> list[str]:
        return [entry.id for entry, _ in self._loaded.values()]

    def is_loaded(self, model_id: str) -> bool:
        return any(entry.id == model_id for entry, _ in self._loaded.values())

    def ensure_loaded(self, model_id: str, ctx: RunContext) -> tuple[ModelEntry, Engine]:
        ctx = self._context(ctx)
        entry = self.resolve(model_id)
        current = self._loaded.get(entry.kind)
        if current is not None and current[0].id == entry.id:
            return current
        if current is not None:
            self.unload(entry.kind)
        if not entry.ready and self.registry is not None:
            entry = self.registry.materialize(entry, ctx.progress)
        started = time.perf_counter()
        ctx.progress(None, QT_TRANSLATE_NOOP("Engine", "Loading {name}…").format(name=entry.name))
        engine = create_engine(entry.kind, entry.backend)
        engine.load(entry, ctx)
        log.info("loaded %s (%s) in %.2f s", entry.id, entry.backend, time.perf_counter() - started)
        self._loaded[entry.kind] = (entry, engine)
        return entry, engine

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        ctx = self._context(ctx)
        _, engine = self.ensure_loaded(spec.model_id, ctx)
        ctx.cancel.check()
        return engine.run(spec.resolved(), ctx)

    def unload(self, kind: ModelKind) -> None:
        current = self._loaded.pop(kind, None)
        if current is not None:
            log.info("unloading %s", current[0].id)
            try:
                current[1].unload()
            except Exception:  # an engine that fails to clean up must not take the worker down
                log.exception("unloading %s failed", current[0].id)

    def unload_all(self) -> None:
        for kind in list(self._loaded):
            self.unload(kind)
