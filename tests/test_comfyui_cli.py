"""`aigc servers add/test` for a ComfyUI server and `aigc image --server NAME [--model CKPT] [--yes]`, as a user runs
them (subprocesses), against the fake ComfyUI (tests/fake_comfyui.py; ComfyUI cannot run here)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fake_comfyui import FakeComfyUI
from PIL import Image
from test_servers_config import aigc, one_line_error

from aigc_desktop.core.project.provenance import COMPOSITE, SOURCE_TYPE_BASE, TRAINED, read_png_provenance

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def comfy(tmp_path: Path) -> Iterator[FakeComfyUI]:
    fake = FakeComfyUI(root=tmp_path / "comfy").start()
    yield fake
    fake.close()


def test_cli_adds_tests_and_generates_on_a_comfyui_server(comfy: FakeComfyUI, aigc_home: Path, tmp_path: Path) -> None:
    assert aigc("servers", "add", "pics", comfy.url, "--kind", "images").returncode == 0
    tested = aigc("servers", "test", "pics", "--json")
    assert tested.returncode == 0, tested.stderr
    report = json.loads(tested.stdout)
    assert (report["dialect"], report["version"], report["models"], report["notes"]) == (
        "comfyui",
        "0.3.40",
        ["sd15.safetensors", "sdxl_base.safetensors"],
        [],
    )

    out = tmp_path / "fox.png"
    made = aigc(
        "image", "--server", "pics", "--prompt", "a red fox", "--seed", "5", "--steps", "3",
        "--width", "64", "--height", "64", "--scheduler", "euler_a", "--out", str(out), "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert (result["model"], result["server"], result["server_model"], result["seed"]) == (
        "server:pics/sd15.safetensors",  # no --model: the first checkpoint the test listed
        "pics",
        "sd15.safetensors",
        5,
    )
    meta = read_png_provenance(out)
    assert meta["digital_source_type"] == SOURCE_TYPE_BASE + TRAINED
    assert meta["parameters"] == (
        "a red fox\nSteps: 3, Sampler: Euler a, CFG scale: 7.0, Seed: 5, Size: 64x64, "
        "Model: sd15.safetensors on pics (ComfyUI 0.3.40 on pics: sd15.safetensors)"
    )
    sampler = next(n["inputs"] for n in comfy.prompts[-1].values() if n["class_type"] == "KSampler")
    assert (sampler["sampler_name"], sampler["seed"]) == ("euler_ancestral", 5)

    # img2img with another checkpoint; the same seed and settings give the same pixels again.
    init = tmp_path / "init.png"
    Image.new("RGB", (64, 64), (30, 120, 200)).save(init)
    edits = []
    for name in ("a.png", "b.png"):
        done = aigc(
            "image", "--server", "pics", "--model", "sdxl_base.safetensors", "--prompt", "oil", "--seed", "9",
            "--steps", "2", "--init", str(init), "--strength", "0.5", "--out", str(tmp_path / name),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"Wrote {tmp_path / name} (64×64, seed 9) with server:pics/sdxl_base")
        edits.append(np.asarray(Image.open(tmp_path / name)))
    assert np.array_equal(edits[0], edits[1])
    assert read_png_provenance(tmp_path / "a.png")["digital_source_type"] == SOURCE_TYPE_BASE + COMPOSITE


@pytest.mark.parametrize("case", ["unknown checkpoint", "not an image server", "plain http remote", "node error"])
def test_cli_image_server_bad_input_is_one_line(case: str, comfy: FakeComfyUI, aigc_home: Path, tmp_path: Path) -> None:
    assert aigc("servers", "add", "pics", comfy.url, "--kind", "images").returncode == 0
    assert aigc("servers", "test", "pics").returncode == 0
    args = ["image", "--server", "pics", "--prompt", "my secret idea", "--out", str(tmp_path / "x.png")]
    if case == "unknown checkpoint":
        args += ["--model", "nope.safetensors"]
    elif case == "not an image server":
        assert aigc("servers", "add", "words", "http://127.0.0.1:9", "--kind", "text").returncode == 0
        args[2] = "words"
        args += ["--model", "m"]
    elif case == "plain http remote":
        assert aigc("servers", "add", "far", "http://192.0.2.7:8188", "--kind", "images").returncode == 0
        args[2] = "far"
        args += ["--model", "sd15.safetensors"]
    elif case == "node error":
        args += ["--steps", "2", "--width", "64", "--height", "64"]
        comfy.fail_with = "Allocation on device"
    line = one_line_error(aigc(*args))
    assert "secret" not in line and not (tmp_path / "x.png").exists()
    expected = {
        "unknown checkpoint": "pics has no checkpoint “nope.safetensors”. It has: sd15.safetensors, sdxl_base",
        "not an image server": "words is not an image server.",
        "plain http remote": "Pass --yes",
        "node error": "pics could not run the job: KSampler failed: Allocation on device",
    }[case]
    assert expected in line
    if case == "plain http remote":
        assert not [r for r in comfy.requests if r[0] == "POST"]  # nothing was sent anywhere
