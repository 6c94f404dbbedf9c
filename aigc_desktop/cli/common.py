"""What every `aigc` command shares: the one-line-error parser, the runner (the same EngineHost a worker lane uses),
choosing a model, terminal progress and quiet libraries. Bad input is a UserError: one line on stderr, exit 2."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.paths import AppPaths, app_paths
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind

if TYPE_CHECKING:
    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.models.entry import ModelEntry
    from aigc_desktop.core.models.registry import ModelRegistry

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class Parser(argparse.ArgumentParser):
    """argparse prints usage + error over several lines; we keep to one clear line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{self.prog}: {message}")


def open_registry(paths: AppPaths | None = None) -> ModelRegistry:
    from aigc_desktop.core.models.registry import ModelRegistry

    return ModelRegistry(paths or app_paths().ensure())


def choose_model(registry: ModelRegistry, wanted: str | None, kind: ModelKind, noun: str, missing: str) -> ModelEntry:
    """The model the user named (id or path), else the default of `kind`; `missing` says what to install when there
    is none. Either way it must be a `kind` model (`noun` names it: "a text model", "a voice")."""
    if wanted:
        entry = registry.get(wanted)
    else:
        default = registry.default_for(kind)
        if default is None:
            raise UserError(missing)
        entry = default
    if entry.kind != kind:
        raise UserError(f"{entry.id} is a {entry.kind.value} model, not {noun}.")
    return entry


def refuse_pickle(registry: ModelRegistry, entry: ModelEntry, *, can_allow: bool) -> None:
    """Pickle weights can run code: refused before torch loads, unless the command's engine can load them with the
    user's consent (`can_allow`) and the user gave it for this model (Models window, `aigc models allow-pickle`) or
    set the global opt-in."""
    if not entry.pickle_only:
        return
    from aigc_desktop.core.engines.hf_loading import refuse_pickle_only
    from aigc_desktop.core.models.safety import can_consent, pickle_allowed

    allowed = can_allow and pickle_allowed(entry, registry.paths)
    refuse_pickle_only(entry, allowed, can_allow=can_allow and can_consent(entry))


def run_on(registry: ModelRegistry, entry: ModelEntry, spec: JobSpec, ctx: RunContext) -> JobResult:
    """Load `entry` and run `spec` on it through the same EngineHost a worker lane uses. Any failure to load becomes
    one line naming the model, never a traceback."""
    from aigc_desktop.core.engines.host import EngineHost

    host = EngineHost(registry, resolve=lambda model_id: entry if model_id == entry.id else registry.get(model_id))
    try:
        try:
            host.ensure_loaded(entry.id, ctx)
        except (UserError, JobCancelled, MemoryError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a broken model file or folder
            raise UserError(f"{entry.name} could not be loaded: {exc}") from exc
        return host.run(spec, ctx)
    finally:
        host.unload_all()


def pick(value: Any, default: Any) -> Any:
    return default if value is None else value


class TerminalProgress:
    """A one-line progress display on stderr, only when stderr is a terminal (scripts and --json get none)."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._shown = False
        self.enabled = err.isatty()

    def __call__(self, fraction: float | None, message: str) -> None:
        if not self.enabled or not message:
            return
        pct = "" if fraction is None else f" {fraction * 100:3.0f}%"
        self._err.write(f"\r\033[K{message}{pct}")
        self._err.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self._err.write("\r\033[K")
            self._err.flush()
            self._shown = False


def quiet_libraries(paths: AppPaths, libraries: tuple[str, ...] = ()) -> None:
    """Our log and the libraries' messages and warnings go to the log file; stderr stays for progress and errors."""
    import importlib
    import logging

    from aigc_desktop.logging_setup import setup_logging

    setup_logging(paths)
    if not libraries:
        return
    logging.captureWarnings(True)
    for library in libraries:
        hf_logging: Any = importlib.import_module(f"{library}.utils.logging")
        hf_logging.disable_default_handler()
        hf_logging.enable_propagation()
