"""The Linux downloads end to end (installer/build_packages.py), slow: build the .deb and the tarball; check them
with dpkg-deb --info/--contents, tar and desktop-file-validate; install the .deb; then, as a non-root user with an
empty home, run `aigc-desktop --setup --yes` from an offline bundle made from the pip cache, ending with `--smoke`
painting the window; open a .aigc through its MIME association; remove the package: the app and the user's runtime
go, the user's projects (and models) stay.

The runtime it builds here is the real lock's window packages (PySide6, numpy, pillow, sounddevice, soundfile,
filelock, platformdirs, their dependencies, the lock's pip), not torch: the CPU lock's torch comes from the PyTorch
CPU index, which this machine cannot reach, and the CUDA lock is a 4.7 GB download — too much for each CI run. The
same builder installs the full lock (test_runtime_build.py covers its steps); `--smoke` needs no model library.
Needs root (dpkg, a second user); elsewhere it is skipped with that reason.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aigc_desktop import __version__

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "dist"
DEB = DIST / f"aigc-desktop_{__version__}_amd64.deb"
TARBALL = DIST / f"aigc-desktop-{__version__}-linux-x86_64.tar.gz"
SMOKE_PACKAGES = ("pip", "pyside6-essentials", "shiboken6", "platformdirs", "numpy", "pillow", "filelock",
                  "sounddevice", "cffi", "pycparser", "soundfile")  # fmt: skip
USER = "aigc-ci"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("dpkg-deb"), reason="needs root and dpkg"),
]


def sh(*cmd: str, timeout: float = 1800, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def built() -> Iterator[dict[str, float]]:
    t0 = time.monotonic()
    done = sh(sys.executable, str(REPO / "installer" / "build_packages.py"), cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    yield {"build_s": time.monotonic() - t0}


@pytest.fixture(scope="module")
def user_home() -> Iterator[Path]:
    """A non-root user whose home is empty (removed again afterwards)."""
    root = Path(tempfile.mkdtemp(prefix="aigc-ci-"))
    root.chmod(0o755)
    home = root / "home"
    sh("userdel", "-r", USER)
    made = sh("useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", USER)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in home.iterdir() if not p.name.startswith(".")) == []
    yield home
    sh("userdel", "-r", USER)
    shutil.rmtree(root, ignore_errors=True)


def as_user(
    home: Path, *cmd: str, env: dict[str, str] | None = None, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    clean = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "USER": USER,
             "QT_QPA_PLATFORM": "offscreen", **(env or {})}  # fmt: skip
    return sh("runuser", "-u", USER, "--", "env", "-i", *(f"{k}={v}" for k, v in clean.items()), *cmd, timeout=timeout)


def test_deb_and_tarball_contents(built: dict[str, float]) -> None:
    info = sh("dpkg-deb", "--info", str(DEB)).stdout
    assert "Package: aigc-desktop" in info and f"Version: {__version__}" in info and "Architecture: amd64" in info
    assert "python3-venv" in info and "postinst" in info and "postrm" in info
    contents = sh("dpkg-deb", "--contents", str(DEB)).stdout
    for path in ("./opt/aigc-desktop/aigc-desktop", "./usr/bin/aigc-desktop -> /opt/aigc-desktop/aigc-desktop",
                 "./usr/share/applications/aigc-desktop.desktop", "./usr/share/mime/packages/aigc-desktop.xml",
                 "./usr/share/icons/hicolor/scalable/apps/aigc-desktop.svg", "./opt/aigc-desktop/locks/cpu.txt",
                 "./opt/aigc-desktop/locks/cuda.txt", "./opt/aigc-desktop/app/main.py",
                 "./opt/aigc-desktop/app/aigc_desktop/app.py", "./opt/aigc-desktop/qt.conf",
                 "./opt/aigc-desktop/app/resources/translations/aigc_desktop_zh_CN.qm",
                 "./usr/share/doc/aigc-desktop/THIRD_PARTY_NOTICES.md"):  # fmt: skip
        assert path in contents, path
    assert "/torch/" not in contents and "libtorch" not in contents  # the runtime is built on the user's machine
    with tarfile.open(TARBALL) as tf:
        names = set(tf.getnames())
    top = f"aigc-desktop-{__version__}"
    for name in ("aigc-desktop", "AIGC Desktop", "uninstall.sh", "share/aigc-desktop.desktop", "locks/cpu.txt",
                 "app/main.py", "THIRD_PARTY_NOTICES.md"):  # fmt: skip
        assert f"{top}/{name}" in names, name
    with tempfile.TemporaryDirectory() as tmp:
        sh("dpkg-deb", "-x", str(DEB), tmp)
        check = sh("desktop-file-validate", f"{tmp}/usr/share/applications/aigc-desktop.desktop")
        assert check.returncode == 0 and check.stdout == "", check.stdout
    print(f"\nsizes: deb {DEB.stat().st_size / 1e6:.1f} MB, tarball {TARBALL.stat().st_size / 1e6:.1f} MB, "
          f"build {built['build_s']:.0f} s")  # fmt: skip


def test_install_setup_open_and_remove(built: dict[str, float], user_home: Path, tmp_path: Path) -> None:
    # The window's packages of the real CPU lock, and an offline bundle of them from the pip cache (launcher itself).
    share = Path(tempfile.mkdtemp(prefix="aigc-ci-share-"))
    share.chmod(0o755)
    locks = share / "locks"
    locks.mkdir()
    lines = (REPO / "installer" / "locks" / "cpu.txt").read_text().splitlines()
    keep = [line for line in lines if line.split("==")[0].lower().replace("_", "-") in SMOKE_PACKAGES]
    assert len(keep) == len(SMOKE_PACKAGES)
    (locks / "cpu.txt").write_text("# verify: PySide6.QtWidgets numpy PIL\n" + "\n".join(keep) + "\n")
    bundle_env = dict(os.environ, AIGC_LOCKS_DIR=str(locks))
    launcher = str(REPO / "installer" / "launcher.py")
    made = sh(sys.executable, launcher, "--make-bundle", str(share / "bundle"), "--hardware", "cpu", env=bundle_env)
    assert made.returncode == 0, made.stderr[-2000:]
    for p in [share, *share.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)

    installed = sh("dpkg", "-i", str(DEB))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    try:
        t0 = time.monotonic()
        env = {"AIGC_LOCKS_DIR": str(locks)}
        setup = as_user(user_home, "aigc-desktop", "--setup", "--yes", "--bundle", str(share / "bundle.tar"),
                        "--smoke", env=env)  # fmt: skip
        seconds = time.monotonic() - t0
        assert setup.returncode == 0, setup.stderr[-3000:]
        painted = json.loads(setup.stdout.strip().splitlines()[-1])
        assert painted["panes"] == ["document", "canvas", "audio", "story"] and painted["startup_ms"] > 0
        runtime = user_home / ".local/share/aigc-desktop/runtime"
        marker = json.loads((runtime / "current.json").read_text())
        size = sh("du", "-sb", str(runtime / marker["folder"])).stdout.split()[0]
        print(f"\nsetup from the bundle + first paint: {seconds:.0f} s; runtime {int(size) / 1e6:.0f} MB")

        # Later start, then a .aigc opened through its MIME association, resolved as xdg-open/gio do: the file's
        # type from the shared MIME database, the type's application from mimeinfo.cache, that entry's Exec line.
        later = as_user(user_home, "aigc-desktop", "--smoke")
        assert later.returncode == 0 and json.loads(later.stdout.strip().splitlines()[-1])["title"].startswith(
            "Untitled"
        )
        project = user_home / ".local/share/aigc-desktop/projects/Trip.aigc"
        code = (
            "import sys; from pathlib import Path; from aigc_desktop.core.project.model import Project;"
            "from aigc_desktop.core.project.store import save_project;"
            "save_project(Project(name='Trip'), Path(sys.argv[1]))"
        )
        python = str(runtime / marker["folder"] / "bin" / "python")
        saved = as_user(user_home, python, "-c", code, str(project), env={"PYTHONPATH": "/opt/aigc-desktop/app"})
        assert saved.returncode == 0, saved.stderr
        globs = Path("/usr/share/mime/globs2").read_text()
        assert "application/x-aigc-project:*.aigc" in globs
        cache = Path("/usr/share/applications/mimeinfo.cache").read_text()
        assert "application/x-aigc-project=aigc-desktop.desktop;" in cache
        entry = Path("/usr/share/applications/aigc-desktop.desktop").read_text()
        exec_line = next(line[5:] for line in entry.splitlines() if line.startswith("Exec="))
        words = [str(project) if w == "%f" else w for w in exec_line.split()]
        opened = as_user(user_home, *words, "--smoke")
        assert opened.returncode == 0, opened.stderr[-2000:]
        assert json.loads(opened.stdout.strip().splitlines()[-1])["title"] == f"Trip — {project} — AIGC Desktop"
        (user_home / ".local/share/aigc-desktop/models").mkdir(exist_ok=True)
        (user_home / ".local/share/aigc-desktop/models/voice.onnx").write_bytes(b"x")
    finally:
        removed = sh("dpkg", "--purge", "aigc-desktop")
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/aigc-desktop").exists() and not Path("/usr/bin/aigc-desktop").exists()
    assert not (user_home / ".local/share/aigc-desktop/runtime").exists()
    assert project.exists() and (user_home / ".local/share/aigc-desktop/models/voice.onnx").exists()
    assert pwd.getpwnam(USER).pw_dir == str(user_home)
    shutil.rmtree(share, ignore_errors=True)
