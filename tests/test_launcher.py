"""The launcher (installer/launcher.py), run from this checkout as a user's double-click runs the frozen one: the
quick path (later starts) finds exactly the runtime core/runtime/layout.py finds and exec()s it; `--setup --yes`
builds a real runtime from an offline bundle; the failure is one line; `--add-to-menu` and `--uninstall`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from runtime_fixtures import module_wheel, pip_wheel

from aigc_desktop.core.project.model import Document, Project
from aigc_desktop.core.project.store import save_project
from aigc_desktop.core.runtime import layout

REPO = Path(__file__).resolve().parent.parent
LAUNCHER = REPO / "installer" / "launcher.py"
sys.path.insert(0, str(REPO / "installer"))
import launcher  # noqa: E402  (installer/ is not a package: the frozen launcher's own folder)


def fake_runtime(root: Path, python: str, name: str = "cpu-0123456789ab-1") -> Path:
    """A marked runtime whose bin/python runs `python` (the app's packages come from this test venv)."""
    folder = root / name
    (folder / "bin").mkdir(parents=True)
    (folder / "bin" / "python").write_text(f'#!/bin/sh\nexec {python} "$@"\n')
    (folder / "bin" / "python").chmod(0o755)
    layout.mark_current(root, folder, "cpu", "0123456789ab", "0.1.0")
    return folder


def run_launcher(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run([sys.executable, str(LAUNCHER), *args], capture_output=True, text=True, env=full,
                          timeout=timeout, cwd=REPO)  # fmt: skip


def test_quick_path_agrees_with_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aigc_home: Path) -> None:
    assert launcher.fast_python() is None and layout.installed() is None
    folder = fake_runtime(layout.location(), "/bin/true")
    assert launcher.fast_python() == str(layout.installed().python) == str(folder / "bin" / "python")  # type: ignore[union-attr]
    elsewhere = tmp_path / "elsewhere"
    layout.remember_location(elsewhere)  # a location the user chose
    assert launcher.fast_python() is None and layout.installed() is None
    moved = fake_runtime(elsewhere, "/bin/true")
    assert launcher.fast_python() == str(moved / "bin" / "python") == str(layout.installed().python)  # type: ignore[union-attr]
    (elsewhere / layout.CURRENT).write_text(json.dumps({"folder": moved.name}))  # a damaged marker
    assert launcher.fast_python() is None and layout.installed() is None
    # Without AIGC_DESKTOP_HOME: the XDG folders, as platformdirs has them.
    monkeypatch.delenv("AIGC_DESKTOP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    assert layout.location() == tmp_path / "xdg-data" / "aigc-desktop" / "runtime"
    xdg = fake_runtime(layout.location(), "/bin/true")
    assert launcher.fast_python() == str(xdg / "bin" / "python") == str(layout.installed().python)  # type: ignore[union-attr]


def test_later_start_runs_the_app_in_the_runtime(tmp_path: Path, aigc_home: Path) -> None:
    fake_runtime(layout.location(), sys.executable)
    project = tmp_path / "Sea.aigc"
    save_project(Project(name="Sea", document=Document(text="waves")), project)
    done = run_launcher(str(project), "--smoke")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["title"] == f"Sea — {project} — AIGC Desktop"
    assert result["heavy_modules_loaded"] == []


@pytest.fixture
def tiny_install(tmp_path: Path) -> tuple[Path, Path]:
    """A lock folder (cpu.txt) and an offline bundle for it: pip and one small package."""
    bundle = tmp_path / "bundle"
    pip, version = pip_wheel(bundle)
    alpha = module_wheel(bundle, "alpha-pkg", "1.0")
    locks = tmp_path / "locks"
    locks.mkdir()
    (locks / "cpu.txt").write_text(
        f"pip=={version}  # size={pip.stat().st_size}\nalpha-pkg==1.0  # size={alpha.stat().st_size}\n"
    )
    return locks, bundle


@pytest.mark.slow
def test_setup_yes_from_an_offline_bundle(tiny_install: tuple[Path, Path], aigc_home: Path) -> None:
    locks, bundle = tiny_install
    env = {"AIGC_LOCKS_DIR": str(locks), "PIP_CONFIG_FILE": os.devnull, "AIGC_RUNTIME_PYTHON": sys.executable}
    done = run_launcher("--setup", "--yes", "--hardware", "cpu", "--bundle", str(bundle), "--no-start", env=env)
    assert done.returncode == 0, done.stderr
    assert "building for: cpu" in done.stderr and "[setup] 100.0%" in done.stderr
    installed = layout.installed()
    assert installed is not None and installed.kind == "cpu"
    check = subprocess.run([str(installed.python), "-c", "import alpha_pkg"], capture_output=True)
    assert check.returncode == 0
    (layout.location() / "setup.log").read_text().index("Successfully installed alpha-pkg-1.0")

    # A bundle that lacks a package: one line on stderr, exit 1, the runtime that was there still there.
    (bundle / "alpha_pkg-1.0-py3-none-any.whl").unlink()
    failed = run_launcher("--setup", "--yes", "--hardware", "cpu", "--bundle", str(bundle), "--no-start", env=env)
    assert failed.returncode == 1
    errors = [line for line in failed.stderr.splitlines() if not line.startswith("[setup]")]
    assert len(errors) == 1 and errors[0].startswith("aigc-desktop: alpha-pkg==1.0 not found in")
    assert layout.installed() == installed


def test_add_to_menu_registers_the_aigc_type(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "share"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = run_launcher("--add-to-menu", env=env)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share" / "applications" / "aigc-desktop.desktop"
    assert Path(done.stdout.strip()) == entry
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert check.returncode == 0 and check.stdout == "", check.stdout
    text = entry.read_text()
    assert "MimeType=application/x-aigc-project;" in text and str(LAUNCHER) in text
    assert "application/x-aigc-project=aigc-desktop.desktop" in (tmp_path / "config" / "mimeapps.list").read_text()
    assert (tmp_path / "share" / "mime" / "packages" / "aigc-desktop-mime.xml").exists()
    if shutil.which("update-mime-database"):
        assert "application/x-aigc-project:*.aigc" in (tmp_path / "share" / "mime" / "globs2").read_text()


def test_uninstall_keeps_projects_and_asks_about_models(tmp_path: Path, aigc_home: Path) -> None:
    from aigc_desktop.core.paths import app_paths

    paths = app_paths().ensure()
    fake_runtime(layout.location(), "/bin/true")
    (paths.models_dir / "voice.onnx").write_bytes(b"x")
    (paths.projects_dir / "mine.aigc").write_bytes(b"x")
    env = {"XDG_DATA_HOME": str(tmp_path / "share"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = run_launcher("--uninstall", "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert not layout.location().exists() and (paths.models_dir / "voice.onnx").exists()
    assert (paths.projects_dir / "mine.aigc").exists()
    fake_runtime(layout.location(), "/bin/true")
    done = run_launcher("--uninstall", "--yes", "--remove-models", env=env)
    assert done.returncode == 0 and not paths.models_dir.exists() and not layout.location().exists()
    assert (paths.projects_dir / "mine.aigc").exists()  # never touched
