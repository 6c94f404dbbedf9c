"""The engine interface and the small objects that flow between an engine and whoever drives it."""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind

if TYPE_CHECKING:
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.paths import AppPaths


class CancelToken:
    """Set from any thread; the engine checks it at its next natural boundary."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise JobCancelled()

    @contextlib.contextmanager
    def calling_on_cancel(self, action: Callable[[], None], name: str, poll_s: float = 0.02) -> Iterator[None]:
        """While the body runs, a small thread calls `action` once if this token is cancelled: how Stop reaches a
        blocking call the engine cannot check between (a socket connect or read, llama_decode)."""
        done = threading.Event()

        def watch() -> None:
            while not done.wait(poll_s):
                if self.cancelled:
                    action()
                    return

        watcher = threading.Thread(target=watch, name=name, daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()


class PauseToken:
    """Set from any thread; a long job (training) waits at its next natural boundary until resumed or cancelled."""

    POLL_S = 0.05  # how soon a Stop pressed while paused is noticed

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._holding = threading.Event()  # the job has reached a boundary and waits there

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def holding(self) -> bool:
        """Paused and stopped at a boundary: the step that was in flight when Pause was pressed has finished."""
        return self._holding.is_set()

    def wait(self, cancel: CancelToken) -> None:
        """Returns once resumed; raises JobCancelled if cancelled meanwhile."""
        self._holding.set()
        try:
            while not self._running.wait(self.POLL_S):
                cancel.check()
        finally:
            self._holding.clear()
        cancel.check()


@dataclass
class RunContext:
    """Callbacks an engine reports through, and the registry its model came from. Drivers (worker, CLI, tests)
    decide what the callbacks turn into; the EngineHost fills in its registry."""

    cancel: CancelToken = field(default_factory=CancelToken)
    on_progress: Callable[[float | None, str], None] = lambda fraction, message: None
    on_partial: Callable[[Any], None] = lambda payload: None
    pause: PauseToken = field(default_factory=PauseToken)
    # Where the models folder and the user's per-model consents are; None for a bare engine in a test.
    registry: ModelRegistry | None = None

    @property
    def paths(self) -> AppPaths | None:
        return None if self.registry is None else self.registry.paths

    @property
    def models_dir(self) -> Path:
        if self.registry is None:
            raise UserError(
                QT_TRANSLATE_NOOP("Engine", "This engine needs the models folder, and its driver gave none.")
            )
        return self.registry.models_dir

    def progress(self, fraction: float | None, message: str = "") -> None:
        self.on_progress(fraction, message)

    def partial(self, payload: Any) -> None:
        self.on_partial(payload)

    def wait_if_paused(self) -> None:
        self.pause.wait(self.cancel)


class Engine(Protocol):
    """load(model) once, run(spec) many times, unload() when another model takes its place."""

    def load(self, model: ModelEntry, ctx: RunContext) -> None: ...

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult: ...

    def unload(self) -> None: ...


# (model kind, backend) -> "module:Class". Strings, so that no engine module (nor its libraries) loads before use.
# The kind is part of the key because one backend ("transformers") serves text, speech and music models.
ENGINE_CLASSES: dict[tuple[ModelKind, str], str] = {
    (ModelKind.SYSTEM, "torch-selfcheck"): "aigc_desktop.core.engines.selfcheck:SelfCheckEngine",
    (ModelKind.TEXT, "llama.cpp"): "aigc_desktop.core.engines.text_llama:LlamaCppEngine",
    (ModelKind.TEXT, "transformers"): "aigc_desktop.core.engines.text_transformers:TransformersTextEngine",
    (ModelKind.TEXT, "openai"): "aigc_desktop.core.engines.text_openai:OpenAITextEngine",  # OpenAI-compatible servers
    (ModelKind.SPEECH, "piper"): "aigc_desktop.core.engines.speech_piper:PiperEngine",
    (ModelKind.SPEECH, "transformers"): "aigc_desktop.core.engines.speech_vits:VitsEngine",
    # speech servers: Piper's HTTP server and OpenAI-style /v1/audio/speech (one engine, the dialect picks the request)
    (ModelKind.SPEECH, "piper-http"): "aigc_desktop.core.engines.speech_server:ServerSpeechEngine",
    (ModelKind.SPEECH, "openai-speech"): "aigc_desktop.core.engines.speech_server:ServerSpeechEngine",
    (ModelKind.MUSIC, "transformers"): "aigc_desktop.core.engines.music_musicgen:MusicGenEngine",
    (ModelKind.IMAGE, "diffusers"): "aigc_desktop.core.engines.image_diffusers:DiffusersImageEngine",
    (ModelKind.IMAGE, "diffusers-single-file"): "aigc_desktop.core.engines.image_diffusers:DiffusersImageEngine",
    (ModelKind.SYSTEM, "aigc-train"): "aigc_desktop.core.engines.train_gan:TrainEngine",
    (ModelKind.SYSTEM, "aigc-style-train"): "aigc_desktop.core.engines.train_style:StyleTrainEngine",
    (ModelKind.IMAGE, "aigc-gan"): "aigc_desktop.core.engines.image_gan:TrainedImageEngine",
    (ModelKind.IMAGE, "aigc-vae"): "aigc_desktop.core.engines.image_gan:TrainedImageEngine",
    (ModelKind.IMAGE, "comfyui"): "aigc_desktop.core.engines.image_comfyui:ComfyUIImageEngine",  # ComfyUI servers
}


def has_engine(kind: ModelKind, backend: str) -> bool:
    return (kind, backend) in ENGINE_CLASSES


def create_engine(kind: ModelKind, backend: str) -> Engine:
    target = ENGINE_CLASSES.get((kind, backend))
    if target is None:
        raise UserError(
            QT_TRANSLATE_NOOP("Engine", "No engine can run {kind} models of backend '{backend}' yet.").format(
                kind=kind.value, backend=backend
            )
        )
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    engine: Engine = cls()
    return engine
