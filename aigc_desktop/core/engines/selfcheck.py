"""Hardware check: times matrix products with torch on the device generation would use.

It answers the question users of the anchor apps ask most ("is my GPU used? how fast is this machine?") and is the
smallest real torch job, which also makes it the job the worker tests and the UI-stall benchmark run.
"""

from __future__ import annotations

import os
import platform
import time
from typing import Any

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobResult, JobSpec


class SelfCheckEngine:
    def __init__(self) -> None:
        self._torch: Any = None
        self._device = "cpu"

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ctx.progress(None, QT_TRANSLATE_NOOP("Engine", "Loading {name}…").format(name="torch"))
        import torch  # heavy: imported on the worker thread, never on the GUI thread

        self._torch = torch
        self._device = "cuda" if torch.cuda.is_available() else "cpu"

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        torch = self._torch
        size = int(spec.params.get("size", 512))
        iterations = int(spec.params.get("iterations", 20))
        if size <= 0 or iterations <= 0:
            raise ValueError("size and iterations must be positive")
        seed = spec.seed if spec.seed is not None else 0
        gen = torch.Generator().manual_seed(seed)
        a = torch.randn(size, size, generator=gen).to(self._device)
        b = torch.randn(size, size, generator=gen).to(self._device)
        started = time.perf_counter()
        c = a
        for i in range(iterations):
            ctx.cancel.check()  # natural boundary: one product
            c = torch.tanh(a @ b)
            if self._device == "cuda":
                torch.cuda.synchronize()
            ctx.progress(
                (i + 1) / iterations,
                QT_TRANSLATE_NOOP("Engine", "Hardware check {done}/{total}").format(done=i + 1, total=iterations),
            )
        seconds = time.perf_counter() - started
        gflops = 2.0 * size**3 * iterations / seconds / 1e9
        report = {
            "device": self._device,
            "device_name": torch.cuda.get_device_name(0) if self._device == "cuda" else platform.processor() or "CPU",
            "torch": torch.__version__,
            "cuda_available": bool(torch.cuda.is_available()),
            "threads": torch.get_num_threads(),
            "cpu_count": os.cpu_count() or 1,
            "gflops": round(gflops, 2),
            "checksum": float(c.float().sum().item()),
        }
        return JobResult(spec=spec, output=report, seconds=seconds, metrics={"gflops": report["gflops"]})

    def unload(self) -> None:
        self._torch = None
