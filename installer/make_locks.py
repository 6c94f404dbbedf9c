"""Write installer/locks/{cuda,cpu}.txt from pyproject.toml: every package the runtime needs, pinned, with its
download size (core/runtime/locks.py explains the format). Run after changing dependencies; needs the network.

    .venv/bin/python installer/make_locks.py
    .venv/bin/python installer/make_locks.py --derive-cpu   # only cpu.txt, from the shipped cuda.txt, offline

Resolution is pip's own (`pip install --dry-run --ignore-installed --report`) for Python 3.11 on Linux x86-64, against
PyPI only (this machine's pip.conf is ignored). CUDA: torch from PyPI (its Linux wheels are the CUDA build). CPU:
torch from the PyTorch CPU index (`+cpu` builds, no nvidia-* or triton); when that index cannot be reached, the CPU
lock is derived from the CUDA resolution (the same packages less the CUDA-only ones, the torch trio as `+cpu`) and the
script says so. Packages that installer/setup.sh installs with `--no-deps` (the embedded-model packages) are resolved
alone and marked `no-deps`; llama-cpp-python is an sdist compiled on the user's machine (`build`).

Every pin gets a size (the window's disk estimate and the build's disk check add them up). A file whose size the index
does not give (all of the PyTorch CPU index's when it is unreachable) takes the size of the same version's PyPI wheel,
marked `estimate`: PyPI's Linux torch wheels are the CUDA builds, and a `+cpu` build is the same code without the CUDA
kernels, so the figure is an upper bound (torch 2.9.1: 900 MB on PyPI; a +cpu torch is ~190 MB, 2.13.0+cpu's measured).
It stays one on disk too: a +cpu torch unpacks to ~3.7× its wheel, 700 MB, under 900 MB × layout.INSTALL_FACTOR.
The script stops when neither index knows a size.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aigc_desktop.core.runtime.locks import BUILD_ENV, Lock, Pin, load  # noqa: E402

OUT = ROOT / "installer" / "locks"
PYPI = "https://pypi.org/simple"
TORCH_CPU = "https://download.pytorch.org/whl/cpu"
TORCH = ("torch", "torchvision", "torchaudio")
PIP = "pip==26.3"
CUDA_ONLY = re.compile(r"^(nvidia-.*|triton)$")
DEV_ONLY = re.compile(r"^(pip|setuptools|wheel)$")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements() -> tuple[list[str], list[str]]:
    """pyproject's dependencies, and the `--no-deps` installs named in setup.sh (name==version)."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    setup = (ROOT / "installer" / "setup.sh").read_text()
    no_deps = []
    for line in setup.splitlines():
        if "pip" in line and "install" in line and "--no-deps" in line:
            no_deps += re.findall(r"[\"']?([A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+)", line)
    return deps, no_deps


def resolve(reqs: list[str], *options: str) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
        cmd += ["--report", str(report), *options, *reqs]
        env = {**os.environ, **BUILD_ENV, "PIP_CONFIG_FILE": os.devnull}
        env = {k: v for k, v in env.items() if not k.startswith("PIP_") or k == "PIP_CONFIG_FILE"}
        subprocess.run(cmd, check=True, env=env)
        return list(json.loads(report.read_text())["install"])


def file_size(name: str, url: str, index: str = PYPI) -> int:
    """The file's size from the index's JSON API (PEP 691/700), 0 if it does not say."""
    request = urllib.request.Request(
        f"{index}/{normalize(name)}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    filename = url.rsplit("/", 1)[-1].split("#")[0]
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            files = json.load(answer).get("files", [])
    except (OSError, ValueError):
        return 0
    return next((int(f.get("size") or 0) for f in files if f.get("filename") == filename), 0)


def with_sizes(lock_pins: list[Pin], reference: list[Pin]) -> list[Pin]:
    """Every pin with a size: one the index did not give takes the size of the same version's wheel in `reference` (the
    PyPI resolution), marked `estimate` (see the module's docstring); neither → stop, a lock must count every wheel."""
    known = {normalize(p.name): p for p in reference if p.size and not p.estimate}
    out = []
    for pin in lock_pins:
        if not pin.size:
            ref = known.get(normalize(pin.name))
            if ref is None or ref.version.split("+")[0] != pin.version.split("+")[0]:
                raise SystemExit(f"error: no size for {pin.requirement}: neither its index nor PyPI gives one")
            pin = Pin(pin.name, pin.version, ref.size, pin.build, pin.no_deps, estimate=True)
        out.append(pin)
    return out


def pins(items: list[dict[str, object]], no_deps: bool = False, index: str = PYPI) -> list[Pin]:
    out = []
    for item in items:
        meta = item["metadata"]
        assert isinstance(meta, dict)
        name, version = str(meta["name"]), str(meta["version"])
        if DEV_ONLY.match(normalize(name)):
            continue
        url = str(item["download_info"]["url"])  # type: ignore[index]
        sdist = not url.split("#")[0].endswith(".whl")
        out.append(Pin(name, version, file_size(name, url, index), build=sdist, no_deps=no_deps))
    return out


# What the runtime must import before it is marked ready (module → its distribution): written into each lock.
APP_IMPORTS = {
    "PySide6.QtWidgets": "pyside6-essentials",
    "numpy": "numpy",
    "PIL": "pillow",
    "torch": "torch",
    "llama_cpp": "llama-cpp-python",
    "piper": "piper-tts",
}


def with_verify(lock: Lock) -> Lock:
    names = {normalize(p.name) for p in lock.pins}
    verify = tuple(module for module, dist in APP_IMPORTS.items() if dist in names)
    return Lock(lock.kind, lock.pins, lock.index_options, lock.source, verify)


def write(lock: Lock, note: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{lock.kind}.txt"
    header = f"AIGC Desktop runtime, {lock.kind}: written by installer/make_locks.py from pyproject.toml. {note}"
    path.write_text(with_verify(lock).text(header), encoding="utf-8")
    print(f"{path}: {len(lock.pins)} packages, {lock.download_bytes / 1e9:.2f} GB to download")
    return path


DERIVED_NOTE = "Derived from the CUDA resolution (the PyTorch CPU index was unreachable)."
ESTIMATE_NOTE = (
    " Sizes marked `estimate` are the same versions' PyPI (CUDA) wheels': upper bounds for these +cpu builds"
    " (installer/make_locks.py)."
)


def derive_cpu(cuda: list[Pin]) -> list[Pin]:
    """The CPU lock without the PyTorch CPU index: the CUDA resolution less the CUDA-only packages, the torch trio as
    `+cpu` with no size yet (with_sizes gives them their PyPI wheels' as estimates)."""
    return [
        Pin(p.name, f"{p.version}+cpu", 0, p.build, p.no_deps) if normalize(p.name) in TORCH else p
        for p in cuda
        if not CUDA_ONLY.match(normalize(p.name))
    ]


def main() -> int:
    deps, no_deps = requirements()
    pip_pin = Pin("pip", PIP.split("==")[1], file_size("pip", f"pip-{PIP.split('==')[1]}-py3-none-any.whl"))
    extra = [p for req in no_deps for p in pins(resolve([req], "--no-deps"), no_deps=True)]
    cuda = [pip_pin, *pins(resolve(deps, "--index-url", PYPI)), *extra]
    cuda.sort(key=lambda p: (p.name != "pip", normalize(p.name)))
    cuda = with_sizes(cuda, [])
    write(Lock("cuda", tuple(cuda)), "Python 3.11, Linux x86-64; torch from PyPI (CUDA 12.8).")
    cpu_options = ("--index-url", TORCH_CPU, "--extra-index-url", PYPI)
    try:
        urllib.request.urlopen(f"{TORCH_CPU}/torch/", timeout=20).close()
        cpu_deps = [f"{d.split('==')[0]}=={d.split('==')[1]}+cpu" if d.split("==")[0] in TORCH else d for d in deps]
        cpu = [pip_pin, *pins(resolve(cpu_deps, *cpu_options)), *extra]
        note = "torch from the PyTorch CPU index."
    except OSError as exc:
        print(f"warning: {TORCH_CPU} unreachable ({exc}): the CPU lock is derived from the CUDA one", file=sys.stderr)
        cpu = derive_cpu(cuda)
        note = DERIVED_NOTE
    write_cpu(cpu, cuda, note)
    return 0


def write_cpu(cpu: list[Pin], cuda: list[Pin], note: str) -> Path:
    cpu = with_sizes(sorted(cpu, key=lambda p: (p.name != "pip", normalize(p.name))), cuda)
    note += ESTIMATE_NOTE if any(p.estimate for p in cpu) else ""
    return write(Lock("cpu", tuple(cpu), ("--extra-index-url", TORCH_CPU)), note)


def derive_offline() -> int:
    """`--derive-cpu`: the CPU lock from the shipped CUDA lock, without the network (what main() writes when the
    PyTorch CPU index is unreachable)."""
    cuda = list(load("cuda", OUT).pins)
    write_cpu(derive_cpu(cuda), cuda, DERIVED_NOTE)
    return 0


if __name__ == "__main__":
    raise SystemExit(derive_offline() if sys.argv[1:] == ["--derive-cpu"] else main())
