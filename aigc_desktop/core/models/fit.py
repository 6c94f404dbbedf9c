"""Whether a catalog model fits this machine (RAM, GPU memory, disk), with the reason in one sentence.

Probing is cheap and imports no torch: memory from psutil (or /proc/meminfo), the GPU from `nvidia-smi` when it is
on PATH, free disk from the models folder. `AIGC_FAKE_HARDWARE="ram_gb=8,vram_gb=6,disk_gb=50,free_ram_gb=4"` replaces
the probe (tests and screenshots); missing keys keep the probed values.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.catalog import CatalogModel, GpuUse
from aigc_desktop.core.runtime.hardware import find_gpus
from aigc_desktop.core.runtime.layout import free_bytes
from aigc_desktop.core.units import Measure, Unit

log = logging.getLogger(__name__)

FAKE_HARDWARE_ENV = "AIGC_FAKE_HARDWARE"
GIB = 1024**3
# Room kept free on the disk beyond the download itself (the OS and other programs need some).
DISK_MARGIN = 512 * 1024**2
_NVIDIA_SMI_TIMEOUT_S = 3.0


class Verdict(StrEnum):
    FITS = "fits"
    SLOW = "slow"  # fits, but without a usable GPU it takes minutes per result
    TIGHT = "tight"  # fits this machine, not in the memory free right now
    NO = "no"


class FitDevice(StrEnum):
    """Where the model would run (`device` in `aigc models catalog --json`)."""

    GPU = "gpu"
    CPU = "cpu"
    NONE = ""  # it does not fit


class Shortage(StrEnum):
    """What a model that does not fit lacks."""

    DISK = "disk"
    MEMORY = "memory"  # RAM (and GPU memory, when there is a GPU)


@dataclass(frozen=True)
class Hardware:
    ram_total: int
    ram_available: int
    disk_free: int
    gpu_name: str | None = None
    vram_total: int | None = None  # None: no usable GPU found

    def summary(self) -> Msg:
        gpu = (
            QT_TRANSLATE_NOOP("Fit", "{gpu} with {vram} of GPU memory").format(
                gpu=self.gpu_name, vram=gb(self.vram_total or 0)
            )
            if self.gpu_name
            else QT_TRANSLATE_NOOP("Fit", "no GPU")
        )
        return QT_TRANSLATE_NOOP("Fit", "This machine: {ram} RAM ({free} free), {gpu}, {disk} free for models.").format(
            ram=gb(self.ram_total), free=gb(self.ram_available), gpu=gpu, disk=gb(self.disk_free)
        )


@dataclass(frozen=True)
class Fit:
    verdict: Verdict
    reason: Msg
    device: FitDevice
    short_of: Shortage | None = None  # set when the verdict is NO

    @property
    def ok(self) -> bool:
        return self.verdict is not Verdict.NO


def gb(n: float) -> Measure:
    """A memory or disk amount in GB: "0.5 GB", "8.0 GB", "12 GB"."""
    value = n / GIB
    return Measure(f"{value:.1f} GB" if value < 10 else f"{value:.0f} GB", n, Unit.GIGABYTES)


def check_fit(model: CatalogModel, hw: Hardware, already_downloaded: int = 0) -> Fit:
    """`already_downloaded`: bytes of an unfinished download of it (they need no more disk)."""
    need_disk = max(model.download_bytes - already_downloaded, 0)
    if hw.disk_free < need_disk + DISK_MARGIN:
        return Fit(
            Verdict.NO,
            QT_TRANSLATE_NOOP(
                "Fit", "Needs {need} of disk space for the download; {free} are free in the models folder."
            ).format(need=gb(need_disk), free=gb(hw.disk_free)),
            FitDevice.NONE,
            Shortage.DISK,
        )
    # Said after the RAM sentence when a GPU was found but is too small.
    gpu_note: Msg | str = ""
    if model.vram_gb is not None and model.gpu is not GpuUse.NONE and hw.vram_total:
        need_vram = int(model.vram_gb * GIB)
        if hw.vram_total >= need_vram:
            return Fit(
                Verdict.FITS,
                QT_TRANSLATE_NOOP("Fit", "Runs on the GPU: needs about {need} of GPU memory, {gpu} has {vram}.").format(
                    need=gb(need_vram), gpu=hw.gpu_name, vram=gb(hw.vram_total)
                ),
                FitDevice.GPU,
            )
        gpu_note = QT_TRANSLATE_NOOP("Fit", " ({gpu} has {vram} of GPU memory, it needs {need})").format(
            gpu=hw.gpu_name, vram=gb(hw.vram_total), need=gb(need_vram)
        )
    need_ram = int(model.ram_gb * GIB)
    if hw.ram_total < need_ram:
        return Fit(
            Verdict.NO,
            QT_TRANSLATE_NOOP(
                "Fit", "Needs about {need} of RAM to run on the CPU; this machine has {ram}{gpu_note}."
            ).format(need=gb(need_ram), ram=gb(hw.ram_total), gpu_note=gpu_note),
            FitDevice.NONE,
            Shortage.MEMORY,
        )
    if hw.ram_available < need_ram:
        return Fit(
            Verdict.TIGHT,
            QT_TRANSLATE_NOOP(
                "Fit",
                "Needs about {need} of RAM; {free} of {ram} are free now: close other programs before using "
                "it{gpu_note}.",
            ).format(need=gb(need_ram), free=gb(hw.ram_available), ram=gb(hw.ram_total), gpu_note=gpu_note),
            FitDevice.CPU,
        )
    if model.gpu is GpuUse.RECOMMENDED:
        return Fit(
            Verdict.SLOW,
            QT_TRANSLATE_NOOP(
                "Fit",
                "Fits in RAM ({need} of {ram}) but has no usable GPU{gpu_note}: each result takes minutes on the CPU.",
            ).format(need=gb(need_ram), ram=gb(hw.ram_total), gpu_note=gpu_note),
            FitDevice.CPU,
        )
    return Fit(
        Verdict.FITS,
        QT_TRANSLATE_NOOP(
            "Fit", "Runs on the CPU: needs about {need} of RAM, this machine has {ram}{gpu_note}."
        ).format(need=gb(need_ram), ram=gb(hw.ram_total), gpu_note=gpu_note),
        FitDevice.CPU,
    )


def probe_hardware(models_dir: Path) -> Hardware:
    """This machine's memory, GPU and free disk (under `models_dir`, or its nearest existing parent)."""
    total, available = _memory()
    name, vram = _nvidia_gpu()
    hw = Hardware(
        ram_total=total, ram_available=available, disk_free=free_bytes(models_dir), gpu_name=name, vram_total=vram
    )
    return _apply_fake(hw, os.environ.get(FAKE_HARDWARE_ENV, ""))


def available_memory() -> int:
    """Bytes of memory available to a new allocation now (psutil, or /proc/meminfo's MemAvailable)."""
    return _memory()[1]


def _memory() -> tuple[int, int]:
    try:
        import psutil  # type: ignore[import-untyped]

        vm = psutil.virtual_memory()
        return int(vm.total), int(vm.available)
    except ImportError:
        pass
    values: dict[str, int] = {}
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                key, _, rest = line.partition(":")
                values[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return 0, 0
    total = values.get("MemTotal", 0)
    return total, values.get("MemAvailable", total)


def _nvidia_gpu() -> tuple[str | None, int | None]:
    """The first NVIDIA GPU's name and memory in bytes (nvidia-smi: no CUDA library is loaded into this process)."""
    gpus = find_gpus(timeout=_NVIDIA_SMI_TIMEOUT_S)
    return (gpus[0].name, gpus[0].memory_mb * 1024**2) if gpus else (None, None)


def _apply_fake(hw: Hardware, spec: str) -> Hardware:
    if not spec.strip():
        return hw
    values: dict[str, float] = {}
    for part in spec.split(","):
        key, _, value = part.partition("=")
        try:
            values[key.strip()] = float(value)
        except ValueError:
            log.warning("ignoring %s entry %r", FAKE_HARDWARE_ENV, part)
    if "ram_gb" in values:
        hw = replace(hw, ram_total=int(values["ram_gb"] * GIB), ram_available=int(values["ram_gb"] * GIB))
    if "free_ram_gb" in values:
        hw = replace(hw, ram_available=int(values["free_ram_gb"] * GIB))
    if "disk_gb" in values:
        hw = replace(hw, disk_free=int(values["disk_gb"] * GIB))
    if "vram_gb" in values:
        vram = int(values["vram_gb"] * GIB)
        hw = replace(hw, vram_total=vram or None, gpu_name=(hw.gpu_name or "GPU") if vram else None)
    return hw
