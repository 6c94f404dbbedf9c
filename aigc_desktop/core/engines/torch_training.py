"""What the built-in trainers (pictures: train_gan.py; styles: train_style.py) share: torch imported on the worker
thread in `load()`, never on the GUI thread, the device (CUDA when present) and the CPU thread count."""

from __future__ import annotations

from typing import Any

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry

# Intra-op threads for training on CPU; None means one per physical core. The test suite sets 1: on its shared
# two-core machine, OpenMP threads of tiny models mostly wait for each other while other processes hold the cores.
TORCH_THREADS: int | None = None


class TorchTrainingEngine:
    """The load/unload half of a trainer engine; subclasses add `run`."""

    def __init__(self) -> None:
        self._torch: Any = None
        self._device = "cpu"

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ctx.progress(None, QT_TRANSLATE_NOOP("Training", "Loading torch…"))
        import torch  # heavy: imported on the worker thread, never on the GUI thread

        from aigc_desktop.core.engines.text_transformers import physical_cores

        self._torch = torch
        self._device = "cuda" if torch.cuda.is_available() else "cpu"
        if self._device == "cpu":
            # Process-wide, as the text engine sets it: SMT siblings only slow training down.
            torch.set_num_threads(TORCH_THREADS or physical_cores())

    def unload(self) -> None:
        self._torch = None

    def threads(self) -> int | None:
        """The thread count torch runs with (for the job's metrics)."""
        return int(self._torch.get_num_threads()) if self._torch is not None else None
