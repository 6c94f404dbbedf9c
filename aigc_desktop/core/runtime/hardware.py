"""What this machine can run generation on: an NVIDIA GPU found through `nvidia-smi` (name and memory), else the CPU.

The user may override what was found (an old driver that `nvidia-smi` misreads, or a GPU they want left alone):
`detect(override=...)` or AIGC_HARDWARE=cpu|cuda. Works the same on every OS that has `nvidia-smi` on its PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Literal

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg

Kind = Literal["cpu", "cuda"]
KINDS: tuple[Kind, ...] = ("cuda", "cpu")
OVERRIDE_ENV = "AIGC_HARDWARE"
KIND_LABELS: dict[str, Msg] = {
    "cuda": QT_TRANSLATE_NOOP("Hardware", "NVIDIA GPU (CUDA)"),
    "cpu": QT_TRANSLATE_NOOP("Hardware", "CPU only"),
}


@dataclass(frozen=True)
class Gpu:
    name: str
    memory_mb: int


@dataclass(frozen=True)
class Hardware:
    """What was found, and the kind of runtime to build (`kind` differs from `found_kind` when overridden)."""

    kind: Kind
    gpus: tuple[Gpu, ...] = ()
    overridden: bool = False

    @property
    def found_kind(self) -> Kind:
        return "cuda" if self.gpus else "cpu"

    def with_kind(self, kind: Kind) -> Hardware:
        return Hardware(kind, self.gpus, overridden=kind != self.found_kind)


def parse_nvidia_smi(output: str) -> tuple[Gpu, ...]:
    """Rows of `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits` (memory in MiB)."""
    gpus = []
    for line in output.splitlines():
        name, _, memory = line.rpartition(",")
        try:
            gpus.append(Gpu(name.strip(), int(float(memory.strip()))))
        except ValueError:
            continue
    return tuple(g for g in gpus if g.name)


def find_gpus(nvidia_smi: str | None = None, timeout: float = 10.0) -> tuple[Gpu, ...]:
    """The NVIDIA GPUs the driver reports; none when there is no `nvidia-smi` or it fails (no driver loaded)."""
    exe = nvidia_smi or shutil.which("nvidia-smi")
    if not exe:
        return ()
    try:
        done = subprocess.run(
            [exe, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return parse_nvidia_smi(done.stdout) if done.returncode == 0 else ()


def detect(override: str | None = None, nvidia_smi: str | None = None) -> Hardware:
    gpus = find_gpus(nvidia_smi)
    found: Kind = "cuda" if gpus else "cpu"
    wanted = (override or os.environ.get(OVERRIDE_ENV, "")).strip().lower()
    if wanted in KINDS:
        return Hardware(found, gpus).with_kind(wanted)
    return Hardware(found, gpus)
