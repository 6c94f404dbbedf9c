"""Build the runtime: a venv for this machine's hardware, packages from its lock, one progress figure throughout.

    builder = RuntimeBuilder(plan, on_progress=..., on_log=..., cancel=CancelToken())
    installed = builder.run()   # raises Cancelled, NoNetwork, NotEnoughSpace, PackageFailed, UserError

Steps: create the venv in a fresh build folder (layout.py); fetch every wheel of the lock with `pip wheel --no-deps
--progress-bar raw` (pip prints `Progress <bytes> of <bytes>` per file: real bytes; sdists such as llama.cpp are
compiled here) or take them from an offline bundle; install them in batches with `pip install --no-index --no-deps`
(packages installed count, weighted by their size); check that the app's imports load; only then write the marker
that makes the folder the runtime. Whatever stops a build (cancel, error, crash) leaves a folder that is never run
and is removed by the next build. Every line pip prints goes to the log (the window's Details, setup.log).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.runtime import layout
from aigc_desktop.core.runtime.locks import BUILD_ENV, Lock
from aigc_desktop.core.units import human_bytes

DEFAULT_INDEX = "https://pypi.org/simple/"
PIP_MIN = "24.1"  # the first with `--progress-bar raw`
VENV_WEIGHT = 0.02  # share of the bar for creating the venv (a few seconds)
BATCH_SHARE = 0.04  # install wheels in batches of about this share of the bytes (pip reports nothing inside one)
BATCH_MAX = 12
# pip's words for a network that is not there (urllib3/requests errors it prints when it gives up).
_OFFLINE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|"
    r"Network is unreachable|Name or service not known|No route to host|ConnectTimeoutError|Max retries exceeded"
)
_PROGRESS = re.compile(r"^Progress (\d+) of (\d+)")
_COLLECTING = re.compile(r"^Collecting ([A-Za-z0-9._-]+)")
_DOWNLOADING = re.compile(r"^\s*Downloading (\S+\.whl|\S+\.tar\.gz|\S+\.zip)")
_SAVED = re.compile(r"^Saved (.+\.whl)$")
_FAILED_NAME = re.compile(
    r"(?:satisfies the requirement|No matching distribution found for|Failed to build|"
    r"Failed building wheel for|Could not build wheels for)\s+([A-Za-z0-9][A-Za-z0-9._-]*(?:==\S+)?)"
)
_BUILDING = re.compile(r"^\s*Building wheel for ([A-Za-z0-9._-]+)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_project(filename: str) -> str:
    return normalize(Path(filename).name.split("-", 1)[0])


class Cancelled(Exception):
    """The user cancelled: the build folder is gone, the previous runtime (if any) untouched."""


class NoNetwork(UserError):
    pass


class NotEnoughSpace(UserError):
    pass


class PackageFailed(UserError):
    """One package could not be fetched, built or installed; `package` names it, `details` is pip's error."""

    def __init__(self, message: str, package: str, details: str) -> None:
        super().__init__(message)
        self.package, self.details = package, details


class CancelToken:
    """Set from any thread; stops the running pip at once (its process is ended) and the build at the next step."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def attach(self, process: subprocess.Popen[str] | None) -> None:
        with self._lock:
            self._process = process
        if process is not None and self.cancelled:
            process.terminate()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled


@dataclass(frozen=True)
class Progress:
    fraction: float  # 0..1 of the whole build
    stage: Msg
    bytes_done: int = 0  # downloaded
    bytes_total: int = 0
    packages_done: int = 0  # installed
    packages_total: int = 0
    seconds_left: float | None = None


@dataclass(frozen=True)
class Plan:
    lock: Lock
    root: Path  # the runtime location
    python: str  # the interpreter the venv is made from (3.11/3.12 with venv)
    app_version: str
    bundle: Path | None = None  # an offline bundle: a folder or archive of wheels
    index_probe: str = DEFAULT_INDEX  # fetched once before downloading: no answer → NoNetwork
    verify: tuple[str, ...] = ()  # modules the finished runtime must import


@dataclass(frozen=True)
class DiskNeeds:
    """What a build takes: `download` bytes from the index (none from a bundle), `disk` free bytes where the runtime
    goes. `estimated`: the lock holds sizes that are upper bounds (locks.py), so both figures are too."""

    download: int
    disk: int
    estimated: bool = False


def disk_needs(lock: Lock, bundle: Path | None = None) -> DiskNeeds:
    """The one estimate the window shows and the build checks. A bundle folder's wheels stay where they are (only
    what they unpack to is needed); downloaded wheels, or those unpacked from a bundle archive, take their size in
    the build folder as well until the end."""
    in_place = bundle is not None and bundle.is_dir()
    disk = layout.needed_bytes(lock.download_bytes, wheels_here=not in_place)
    return DiskNeeds(0 if bundle is not None else lock.download_bytes, disk, lock.estimated)


def find_python(candidates: Iterable[str] = ()) -> str | None:
    """A Python 3.11/3.12 that can make venvs: AIGC_RUNTIME_PYTHON, then python3.11, python3.12, python3."""
    names = [*candidates, os.environ.get("AIGC_RUNTIME_PYTHON", ""), "python3.11", "python3.12", "python3"]
    for name in filter(None, names):
        exe = shutil.which(name) or (name if Path(name).is_file() else None)
        if not exe:
            continue
        check = "import sys, venv, ensurepip; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)"
        try:
            if subprocess.run([exe, "-c", check], capture_output=True, timeout=20, check=False).returncode == 0:
                return exe
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def check_network(url: str, timeout: float = 10.0) -> None:
    if not url.startswith(("http://", "https://")):
        return
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            return
    except urllib.error.HTTPError:
        return  # the server answered: the network is there
    except (urllib.error.URLError, OSError) as exc:
        raise NoNetwork(
            QT_TRANSLATE_NOOP(
                "Setup",
                "No internet connection: the package server ({host}) cannot be reached. Connect to the internet "
                "and try again, or install from an offline bundle.",
            ).format(host=urllib.parse.urlparse(url).hostname or url)
        ) from exc


class _Rate:
    """Time left from the rate over the last ~30 s (a whole-run average lags when the network speed changes)."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float]] = deque()

    def seconds_left(self, done: float, total: float) -> float | None:
        now = time.monotonic()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > 30:
            self._samples.popleft()
        t0, d0 = self._samples[0]
        if now - t0 < 2 or done <= d0:
            return None
        return max(0.0, (total - done) / ((done - d0) / (now - t0)))


@dataclass
class _Tally:
    """Bytes downloaded so far. pip fetches several files at once and its `Progress <done> of <size>` lines do not
    say which file they are about, so a file in flight is known by its size until pip says it was saved."""

    sizes: dict[str, int]  # project → download size from the lock (0: unknown)
    saved: dict[str, int] = field(default_factory=dict)  # project → bytes of its saved file
    in_flight: dict[int, int] = field(default_factory=dict)  # file size → bytes received
    current: str = ""

    @property
    def done(self) -> int:
        return sum(self.saved.values()) + sum(self.in_flight.values())

    @property
    def total(self) -> int:
        known = {n: s for n, s in self.sizes.items() if s}
        learned = sum(size for name, size in self.saved.items() if name not in known)
        unknown_in_flight = sum(size for size in self.in_flight if size not in known.values())
        return sum(known.values()) + learned + unknown_in_flight

    def save(self, name: str, size: int) -> None:
        self.saved[name] = size
        self.in_flight.pop(size, None)


class RuntimeBuilder:
    def __init__(
        self,
        plan: Plan,
        on_progress: Callable[[Progress], None],
        on_log: Callable[[str], None],
        cancel: CancelToken | None = None,
    ) -> None:
        self.plan = plan
        self.on_progress, self.on_log = on_progress, on_log
        self.cancel = cancel or CancelToken()
        self._rate = _Rate()
        self._pins = {normalize(p.name): p for p in plan.lock.pins}
        self._fetch_weight = 0.0 if plan.bundle else 1.0
        self._bytes = (0, 0)  # downloaded, to download: shown on through the install stage

    # --- the steps --------------------------------------------------------------------------------------------
    def run(self) -> layout.Installed:
        plan = self.plan
        layout.sweep(plan.root)
        self.check_space()
        if plan.bundle is None:
            self.log(f"checking the connection to {plan.index_probe}")
            check_network(plan.index_probe)
        folder = layout.new_build_folder(plan.root, plan.lock.kind, plan.lock.digest)
        self.log(f"building the runtime in {folder}")
        try:
            self._report(0.0, QT_TRANSLATE_NOOP("Setup", "Creating the Python environment…"))
            self._run([plan.python, "-m", "venv", str(folder)], package="")
            python = str(layout.venv_python(folder))
            source = plan.bundle
            if source is not None and source.is_file():
                source = self._unpack(source, folder / ".bundle")
            self._upgrade_pip(python, source)
            wheels = [w for w in self._wheels(folder, python, source) if wheel_project(w.name) != "pip"]
            self._install(python, wheels)
            self._verify(python)
            self.cancel.check()
            installed = layout.mark_current(plan.root, folder, plan.lock.kind, plan.lock.digest, plan.app_version)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        for scratch in (".wheels", ".bundle"):  # fetched or unpacked wheels: installed now, gigabytes otherwise
            shutil.rmtree(folder / scratch, ignore_errors=True)
        layout.sweep(plan.root)  # the runtime this one replaced (a repair)
        count = len(self._pins)
        self._report(1.0, QT_TRANSLATE_NOOP("Setup", "Done"), packages_done=count, packages_total=count)
        self.log("the runtime is ready")
        return installed

    def check_space(self) -> None:
        needed = disk_needs(self.plan.lock, self.plan.bundle).disk
        free = layout.free_bytes(self.plan.root)
        if free < needed:
            raise NotEnoughSpace(
                QT_TRANSLATE_NOOP(
                    "Setup",
                    "Not enough disk space in {folder}: {needed} needed, {free} free. Free some space or "
                    "choose another location.",
                ).format(folder=str(self.plan.root), needed=human_bytes(needed), free=human_bytes(free))
            )

    def _upgrade_pip(self, python: str, source: Path | None) -> None:
        """The venv's own pip (ensurepip's) may predate `--progress-bar raw`: the lock's pip first, on its own."""
        pin = self._pins.get("pip")
        where = ["--no-index", "--find-links", str(source)] if source else list(self.plan.lock.index_options)
        cmd = [python, "-m", "pip", "install", "--no-deps", *where, pin.requirement if pin else f"pip>={PIP_MIN}"]
        self._run(cmd, package="pip")

    def _wheels(self, folder: Path, python: str, source: Path | None) -> list[Path]:
        """Every wheel of the lock on disk: fetched (downloaded or built) into the build folder, or the bundle's."""
        plan = self.plan
        if source is not None:
            return self._match(source.glob("*.whl"), str(plan.bundle))
        target = folder / ".wheels"
        tally = _Tally({n: p.exact_size for n, p in self._pins.items()})  # an estimate: learned on download
        env = {**os.environ, **BUILD_ENV}
        cmd = [python, "-m", "pip", "wheel", "--no-deps", "--progress-bar", "raw", "-w", str(target)]
        cmd += [*plan.lock.index_options, *(p.requirement for p in plan.lock.pins)]
        self._run(cmd, package="", env=env, on_line=lambda line: self._fetch_line(line, tally))
        return self._match(target.glob("*.whl"), str(target))

    def _fetch_line(self, line: str, tally: _Tally) -> None:
        downloading = QT_TRANSLATE_NOOP("Setup", "Downloading {name}…")
        if m := _PROGRESS.match(line):
            tally.in_flight[int(m[2])] = int(m[1])
        elif m := _DOWNLOADING.match(line):
            tally.current = wheel_project(m[1])
        elif m := _SAVED.match(line):
            path = Path(m[1].strip())
            tally.save(wheel_project(path.name), path.stat().st_size if path.is_file() else 0)
        elif m := _BUILDING.match(line):
            message = QT_TRANSLATE_NOOP("Setup", "Building {name} for this computer (a few minutes)…")
            self._report_fetch(tally, message.format(name=normalize(m[1])))
            return
        elif m := _COLLECTING.match(line):
            tally.current = normalize(m[1])
        else:
            return
        self._report_fetch(tally, downloading.format(name=tally.current))

    def _report_fetch(self, tally: _Tally, stage: Msg) -> None:
        total = max(tally.total, 1)
        done = min(tally.done, total)
        self._bytes = (done, tally.total)
        self._report(
            self._fraction(done / total, 0.0),
            stage,
            bytes_done=done,
            bytes_total=tally.total,
            packages_total=len(self._pins),
        )

    def _install(self, python: str, wheels: list[Path]) -> None:
        sizes = [w.stat().st_size for w in wheels]
        total = max(sum(sizes), 1)
        done, count = 0, 0
        for batch in _batches(list(zip(wheels, sizes, strict=True)), total):
            self.cancel.check()
            names = ", ".join(wheel_project(w.name) for w, _ in batch)
            stage = QT_TRANSLATE_NOOP("Setup", "Installing {names}…").format(names=names)
            self._report(self._fraction(1.0, done / total), stage, packages_done=count, packages_total=len(wheels))
            cmd = [python, "-m", "pip", "install", "--no-index", "--no-deps", *(str(w) for w in batch_files(batch))]
            self._run(cmd, package=names)
            done += sum(s for _, s in batch)
            count += len(batch)
        self._report(
            self._fraction(1.0, 1.0),
            QT_TRANSLATE_NOOP("Setup", "Checking the installation…"),
            packages_done=count,
            packages_total=len(wheels),
        )

    def _verify(self, python: str) -> None:
        if not self.plan.verify:
            return
        code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
        try:
            self._run([python, "-c", code, *self.plan.verify], package=", ".join(self.plan.verify))
        except PackageFailed as exc:
            raise PackageFailed(
                QT_TRANSLATE_NOOP("Setup", "The installed components do not load: {error}").format(
                    error=exc.details.splitlines()[-1] if exc.details else "?"
                ),
                exc.package,
                exc.details,
            ) from exc

    # --- helpers ------------------------------------------------------------------------------------------------
    def _match(self, wheels: Iterable[Path], where: str) -> list[Path]:
        """One wheel per pin (the bundle may hold other builds); a pin without one is a failed package."""
        by_name: dict[str, Path] = {}
        for w in sorted(wheels):
            pin = self._pins.get(wheel_project(w.name))
            if pin is not None and f"-{pin.version}-" in w.name.replace("_", "-") + "-":
                by_name.setdefault(normalize(pin.name), w)
        missing = [p for n, p in self._pins.items() if n not in by_name]
        if missing:
            names = ", ".join(p.requirement for p in missing)
            raise PackageFailed(
                QT_TRANSLATE_NOOP("Setup", "{names} not found in {where}.").format(names=names, where=where),
                missing[0].name,
                names,
            )
        return [by_name[n] for n in self._pins]

    def _unpack(self, archive: Path, target: Path) -> Path:
        self.log(f"unpacking {archive}")
        self._report(self._fraction(0.0, 0.0), QT_TRANSLATE_NOOP("Setup", "Unpacking the offline bundle…"))
        target.mkdir(parents=True, exist_ok=True)
        try:
            if tarfile.is_tarfile(archive):  # first: a tar of wheels ends in a zip directory (its last wheel's)
                with tarfile.open(archive) as tf:
                    tf.extractall(target, filter="data")
            else:
                with zipfile.ZipFile(archive) as zf:
                    zf.extractall(target)
        except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
            raise UserError(
                QT_TRANSLATE_NOOP("Setup", "The offline bundle {path} could not be read: {reason}").format(
                    path=str(archive), reason=str(exc)
                )
            ) from exc
        inner = [p for p in target.iterdir() if p.is_dir()]
        return inner[0] if len(inner) == 1 and not any(target.glob("*.whl")) else target

    def _fraction(self, fetched: float, installed: float) -> float:
        total = VENV_WEIGHT + self._fetch_weight + 1.0
        return (VENV_WEIGHT + self._fetch_weight * fetched + installed) / total

    def _report(self, fraction: float, stage: Msg, **counts: int) -> None:
        left = self._rate.seconds_left(fraction, 1.0) if 0 < fraction < 1 else None
        counts.setdefault("bytes_done", self._bytes[0])
        counts.setdefault("bytes_total", self._bytes[1])
        self.on_progress(Progress(min(max(fraction, 0.0), 1.0), stage, seconds_left=left, **counts))

    def log(self, line: str) -> None:
        self.on_log(line)

    def _run(
        self,
        cmd: list[str],
        package: str,
        env: dict[str, str] | None = None,
        on_line: Callable[[str], None] | None = None,
    ) -> None:
        self.cancel.check()
        self.log("$ " + " ".join(cmd))
        full_env = {**(env or os.environ), "PYTHONUNBUFFERED": "1", "PIP_NO_INPUT": "1"}
        full_env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        tail: deque[str] = deque(maxlen=40)
        current = package
        try:
            process = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                env=full_env,
                errors="replace",
            )
        except OSError as exc:
            raise UserError(
                QT_TRANSLATE_NOOP("Setup", "Could not run {program}: {reason}").format(program=cmd[0], reason=str(exc))
            ) from exc
        self.cancel.attach(process)
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.rstrip("\n")
                if not _PROGRESS.match(line):  # the byte counts would bury the log
                    self.log(line)
                tail.append(line)
                if m := _COLLECTING.match(line):
                    current = m[1]
                if on_line is not None:
                    on_line(line)
            code = process.wait()
        finally:
            self.cancel.attach(None)
            if process.poll() is None:
                process.kill()
                process.wait()
        self.cancel.check()
        if code != 0:
            self._fail(current, list(tail))

    def _fail(self, package: str, tail: list[str]) -> None:
        text = "\n".join(tail)
        if _OFFLINE.search(text):
            raise NoNetwork(
                QT_TRANSLATE_NOOP(
                    "Setup",
                    "The connection was lost while downloading {name}. Connect to the internet and try again, or "
                    "install from an offline bundle.",
                ).format(name=package or "?")
            )
        for line in reversed(tail):  # pip names the package in its error; with parallel downloads nothing else does
            if m := _FAILED_NAME.search(line):
                package = re.split(r"[=<>!~\[;]", m[1])[0]
                break
        errors = [line for line in tail if line.startswith("ERROR") or "error:" in line.lower()]
        details = "\n".join(errors[-6:] or tail[-6:])
        raise PackageFailed(
            QT_TRANSLATE_NOOP("Setup", "{name} could not be installed.").format(name=package or "Python"),
            package,
            details,
        )


def _batches(items: list[tuple[Path, int]], total: int) -> Iterable[list[tuple[Path, int]]]:
    batch: list[tuple[Path, int]] = []
    size = 0
    for item in items:
        if batch and (size + item[1] > total * BATCH_SHARE or len(batch) >= BATCH_MAX):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item[1]
    if batch:
        yield batch


def batch_files(batch: list[tuple[Path, int]]) -> list[Path]:
    return [w for w, _ in batch]


def default_plan(lock: Lock, root: Path, app_version: str, bundle: Path | None = None) -> Plan:
    python = find_python()
    if python is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Setup",
                "Python 3.11 or 3.12 with its venv module is needed to build the runtime. On Debian or Ubuntu: "
                "sudo apt install python3 python3-venv",
            )
        )
    probe = next((o for o in lock.index_options if o.startswith("http")), DEFAULT_INDEX)
    return Plan(lock, root, python, app_version, bundle, probe, lock.verify)
