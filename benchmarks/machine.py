"""One line about the CPU a benchmark ran on: the model and the vector instructions that change kernel speed
(CI machines differ: AVX-512/BF16 on some, AVX2 only on others)."""

from __future__ import annotations

import os
from pathlib import Path


def describe() -> str:
    model, flags = "unknown CPU", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:
        pass
    vector = [f for f in ("avx512_bf16", "amx_tile", "avx512f", "avx2") if f in flags]
    return f"{model}, {os.cpu_count()} logical CPUs, {' '.join(vector) or 'no AVX2'}"


if __name__ == "__main__":
    print(describe())
