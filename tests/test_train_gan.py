"""Training a DCGAN / VAE on the user's pictures: the dataset loader, the loop (losses fall, samples move towards the
pictures), checkpoints the registry lists and the sampling engine loads, pause/resume/stop through the JobQueue, and
`aigc train-gan`. Models are narrow (width 8–16) so each run takes a second or two on two cores."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from train_images import write_shapes

from aigc_desktop.core.engines.base import CancelToken, PauseToken, RunContext
from aigc_desktop.core.engines.host import LANES, EngineHost
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.image.job import ImageMode, ImageOutput, ImageParams, ImagePreview, batch_seed, image_spec
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.specs import JobKind, ModelKind
from aigc_desktop.core.train.dataset import load_images, scan_folder, to_square
from aigc_desktop.core.train.job import (
    TRAINER_MODEL_ID,
    TrainOutput,
    TrainParams,
    TrainProgress,
    check_model_name,
    train_spec,
)
from aigc_desktop.workers.jobs import JobState
from aigc_desktop.workers.queue import JobQueue

TINY_GAN = {"kind": "gan", "width": 16, "latent_dim": 32, "batch_size": 16, "sample_every": 0}
TINY_VAE = {"kind": "vae", "width": 8, "latent_dim": 16, "batch_size": 8, "sample_every": 0}

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def train(paths: AppPaths, folder: Path, name: str, seed: int = 1, **params: object) -> tuple[TrainOutput, list]:  # type: ignore[type-arg]
    """Runs a training spec through an EngineHost as a worker lane would; returns the output and the partials."""
    registry = ModelRegistry(paths)
    partials: list[TrainProgress] = []
    ctx = RunContext(on_partial=partials.append)
    spec = train_spec(folder, name, TrainParams(**params), seed=seed)  # type: ignore[arg-type]
    host = EngineHost(registry)
    try:
        result = host.run(spec, ctx)
    finally:
        host.unload_all()
    assert isinstance(result.output, TrainOutput)
    return result.output, partials


def sample(paths: AppPaths, model_id: str, params: ImageParams, seed: int, **inputs: str) -> ImageOutput:
    registry = ModelRegistry(paths)
    host = EngineHost(registry)
    try:
        result = host.run(image_spec(model_id, "", params, seed, **inputs), RunContext())
    finally:
        host.unload_all()
    assert isinstance(result.output, ImageOutput)
    return result.output


def colour_stats(pictures: np.ndarray) -> np.ndarray:
    """Mean and spread of each colour channel over uint8 (N, H, W, 3) pictures."""
    flat = pictures.reshape(-1, 3).astype(np.float64)
    return np.concatenate([flat.mean(axis=0), flat.std(axis=0)])


def grid_tiles(grid: Image.Image, count: int = 16, columns: int = 4, size: int = 64, padding: int = 2) -> np.ndarray:
    """The pictures of a sample grid (core/train/checkpoint.make_grid's layout) as uint8 (N, 64, 64, 3)."""
    a = np.asarray(grid.convert("RGB"))
    tiles = []
    for i in range(count):
        r, c = divmod(i, columns)
        top, left = padding + r * (size + padding), padding + c * (size + padding)
        tiles.append(a[top : top + size, left : left + size])
    return np.stack(tiles)


# ---------------------------------------------------------------- the pictures


def test_the_pause_token_says_when_the_job_holds_at_a_boundary() -> None:
    token, cancel = PauseToken(), CancelToken()
    token.pause()
    assert token.paused and not token.holding  # pressed; the step in flight has not reached a boundary yet
    waiter = threading.Thread(target=token.wait, args=(cancel,))
    waiter.start()
    deadline = 200
    while not token.holding and deadline:
        threading.Event().wait(0.05)
        deadline -= 1
    assert token.holding
    token.resume()
    waiter.join(10)
    assert not waiter.is_alive() and not token.holding and not token.paused


def test_every_picture_format_below_the_folder_is_read_cropped_and_resized(shapes_dir: Path) -> None:
    images = load_images(shapes_dir)
    assert images.images.shape == (48, 64, 64, 3) and images.images.dtype == np.uint8
    assert {p.suffix for p in images.files} == {".png", ".jpg", ".webp", ".bmp"}
    assert any(p.parent.name == "more" for p in images.files)  # recursive
    assert not images.skipped
    assert scan_folder(shapes_dir).usable == 48


def test_center_crop_keeps_the_middle_and_transparency_becomes_white() -> None:
    wide = Image.new("RGB", (192, 64), (255, 0, 0))
    wide.paste((0, 0, 255), (64, 0, 128, 64))
    out = np.asarray(to_square(wide))
    assert out.shape == (64, 64, 3)
    assert (np.abs(out.astype(int) - [0, 0, 255]) <= 2).all()  # only the blue middle is left
    clear = np.asarray(to_square(Image.new("RGBA", (80, 80), (10, 200, 10, 0))))
    assert (clear == 255).all()


def test_unreadable_files_are_skipped_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_shapes(tmp_path / "pics", 10, seed=3)
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (folder / "notes.txt").write_text("not a picture")
    (folder / ".hidden.png").write_bytes(b"ignored")
    big = folder / "huge.png"
    Image.new("RGB", (300, 300), (1, 2, 3)).save(big)
    # A decompression bomb is refused from its header by core/media; shrink the limit so a small file shows it.
    monkeypatch.setattr("aigc_desktop.core.media.MAX_IMAGE_PIXELS", 200 * 200)
    images = load_images(folder)
    assert len(images) == 10
    reasons = {p.name: why for p, why in images.skipped}
    assert set(reasons) == {"broken.png", "huge.png"}
    assert "decompression bomb" in reasons["huge.png"]


def test_empty_and_too_small_folders_are_one_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("hello")
    with pytest.raises(UserError, match="holds no pictures"):
        load_images(empty)
    few = write_shapes(tmp_path / "few", 3)
    with pytest.raises(UserError, match=r"3 usable pictures.*at least 8"):
        load_images(few)
    with pytest.raises(UserError, match="no folder"):
        load_images(tmp_path / "missing")


@pytest.mark.parametrize(
    ("name", "ok"), [("cats", True), (" my cats 2 ", True), ("a/b", False), ("..", False), (".x", False), ("", False)]
)
def test_model_names_cannot_escape_the_models_folder(name: str, ok: bool) -> None:
    if ok:
        assert check_model_name(name) == name.strip()
    else:
        with pytest.raises(UserError):
            check_model_name(name)


def test_bad_training_numbers_are_one_sentence() -> None:
    with pytest.raises(UserError, match=r"^Epochs must be a whole number from 1 to 10000\.$"):
        TrainParams(epochs=0)
    with pytest.raises(UserError, match=r"^The kind must be one of gan, vae"):
        TrainParams(kind="diffusion")
    # Several problems: each its own sentence (each is marked for translation whole), all of them said.
    both = r"^The batch size must be from 1 to 512\. The KL weight must be from 0 to 100\.$"
    with pytest.raises(UserError, match=both):
        TrainParams(batch_size=0, kl_weight=-1)


# ---------------------------------------------------------------- training


@pytest.fixture
def deterministic_torch() -> Iterator[None]:
    """Deterministic kernels where torch has them (warn_only: CUDA lacks some), put back after the test. With one
    thread, fp32 and a fixed seed, a run repeats exactly on one machine; across CPUs (AVX2, AVX-512, AMX kernels
    add in other orders) a GAN still takes another path, which is why the thresholds below carry wide margins."""
    import torch

    before = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    yield
    torch.use_deterministic_algorithms(before[0], warn_only=before[1])


@pytest.mark.usefixtures("deterministic_torch")
def test_gan_training_lowers_the_discriminator_loss_and_moves_samples_to_the_pictures(
    paths: AppPaths, shapes_dir: Path
) -> None:
    data = load_images(shapes_dir).images
    # 120 steps: a batch of 8, and a higher learning rate than the default, so that a 16-wide DCGAN shows it learns
    # in a few seconds. fp32 always: `auto` would pick bf16 on CPUs that have it, another path on each machine.
    params = {**TINY_GAN, "batch_size": 8, "lr": 1e-3, "precision": "fp32"}
    out, partials = train(paths, shapes_dir, "shapes-gan", epochs=20, **params)
    # The thresholds come from 70 runs (seeds 1-40 in fp32, 1-30 in bf16: other seeds stand in for other CPUs, on
    # which the same seed takes another path) and 20 fp32 runs each with one optimizer step taken out.
    # The discriminator learns to tell the pictures from the generator's output: adversarial losses do not fall
    # steadily (each side's progress raises the other's loss), but at some epoch its mean loss is far below chance
    # (2·ln 2 ≈ 1.39). Measured lowest epoch mean: 0.07-0.79 when training works; 1.29-1.58 when the
    # discriminator never steps.
    lowest = min(e["discriminator"] for e in out.epoch_losses)
    assert lowest < 1.0, out.epoch_losses
    # The generator learns too: its samples' colours move from mid-grey noise towards the pictures' pale
    # backgrounds and coloured shapes. Distance of the last 5 epochs' grids (averaged: one grid can be an off
    # epoch) over the first epoch's: 0.28-0.54 when training works; 0.88-0.93 when the generator never steps.
    grids = [p.samples for p in partials if p.samples is not None]
    assert len(grids) == 20  # one per epoch (sample_every=0)
    target = colour_stats(data)
    distance = [float(np.abs(colour_stats(grid_tiles(g)) - target).sum()) for g in grids]
    late = float(np.mean(distance[-5:]))
    assert late < 0.7 * distance[0], (distance[0], late, distance)
    # Every step's losses reached the reports, in order.
    steps = [s for p in partials for s in p.step_losses]
    assert len(steps) == partials[-1].step == partials[-1].total_steps == 20 * 6
    assert [s["generator"] for s in steps] == out.step_losses["generator"]
    assert out.images == 48 and out.epochs == 20 and out.images_per_second > 0


@pytest.mark.usefixtures("deterministic_torch")
def test_vae_training_lowers_its_loss(paths: AppPaths, shapes_dir: Path) -> None:
    out, _ = train(paths, shapes_dir, "shapes-vae", epochs=8, **{**TINY_VAE, "precision": "fp32"})
    # Last epoch over first, measured on 80 runs (seeds 1-40, fp32 and bf16): 0.49-0.65 for both losses when
    # training works (a quarter of the seeds missed the 0.6 this test once asked for); 1.00 when it never steps.
    first, last = out.epoch_losses[0], out.epoch_losses[-1]
    assert last["total"] < 0.8 * first["total"], out.epoch_losses
    assert last["reconstruction"] < 0.8 * first["reconstruction"], out.epoch_losses
    assert set(out.final_losses) == {"total", "reconstruction", "kl"}
    assert out.samples is not None and out.samples.size == (266, 266)


def test_sample_grids_come_every_n_steps_and_at_each_epoch_end(paths: AppPaths, shapes_dir: Path) -> None:
    _, partials = train(paths, shapes_dir, "grids", epochs=2, **{**TINY_VAE, "batch_size": 16, "sample_every": 2})
    # 3 steps per epoch: grids after steps 2, 3 (epoch end), 4, 6 (epoch end and a multiple of 2).
    assert [p.step for p in partials if p.samples is not None] == [2, 3, 4, 6]
    assert [p.checkpoint_epoch for p in partials if p.samples is not None] == [0, 1, 1, 2]


# ---------------------------------------------------------------- the saved model and sampling it


def test_a_trained_gan_is_a_model_the_registry_lists_and_the_engine_samples(paths: AppPaths, shapes_dir: Path) -> None:
    out, _ = train(paths, shapes_dir, "my shapes", epochs=2, seed=9, **TINY_GAN)
    folder = paths.models_dir / "image" / "my shapes"
    assert out.model_id == "image/my shapes" and out.path == folder
    assert sorted(p.name for p in folder.iterdir()) == ["aigc_model.json", "model.safetensors", "samples.png"]
    meta = json.loads((folder / "aigc_model.json").read_text())
    assert meta["kind"] == "image" and meta["backend"] == "aigc-gan" and meta["name"] == "my shapes"
    assert meta["licence"] == "your own images" and meta["architecture"] == "dcgan"
    assert meta["config"] == {"latent_dim": 32, "width": 16, "channels": 3, "image_size": 64}
    assert meta["epochs_trained"] == 2 and meta["dataset_size"] == 48
    entry = ModelRegistry(paths).get("image/my shapes")
    assert (entry.kind, entry.backend, entry.name, entry.licence) == (
        ModelKind.IMAGE,
        "aigc-gan",
        "my shapes",
        "your own images",
    )

    params = ImageParams(batch=3, width=512, height=512)
    first = sample(paths, entry.id, params, seed=41)
    assert [im.size for im in first.images] == [(64, 64)] * 3  # the model's own size; the canvas scales it
    assert first.seeds == [41, 42, 43] and first.steps == 1
    assert first.method == "DCGAN trained on 48 images (2 epochs)"
    again = sample(paths, entry.id, params, seed=41)
    assert [im.tobytes() for im in again.images] == [im.tobytes() for im in first.images]
    alone = sample(paths, entry.id, ImageParams(batch=1), seed=batch_seed(41, 2))
    assert alone.images[0].tobytes() == first.images[2].tobytes()  # any picture of a batch can be made alone
    assert len({im.tobytes() for im in first.images}) == 3


def test_a_gan_refuses_picture_modes_with_the_reason(paths: AppPaths, shapes_dir: Path) -> None:
    train(paths, shapes_dir, "gan", epochs=1, **TINY_GAN)
    init = str(next(shapes_dir.glob("*.png")))
    with pytest.raises(UserError, match="GAN, which cannot start from a picture"):
        sample(paths, "image/gan", ImageParams(mode="img2img"), seed=1, init_image=init)


def test_a_trained_vae_samples_varies_and_interpolates(paths: AppPaths, shapes_dir: Path) -> None:
    train(paths, shapes_dir, "vae", epochs=3, **TINY_VAE)
    pictures = sorted(shapes_dir.glob("*.png"))
    a, b = str(pictures[0]), str(pictures[1])
    new = sample(paths, "image/vae", ImageParams(batch=2), seed=5)
    assert len(new.images) == 2 and new.method.startswith("VAE trained on 48 images")

    frames = sample(paths, "image/vae", ImageParams(mode="interpolate", batch=5), seed=0, init_image=a, end_image=b)
    assert frames.mode == ImageMode.INTERPOLATE.value and len(frames.images) == 5
    arrays = [np.asarray(im, dtype=np.float64) for im in frames.images]
    # A straight line in latent space: each frame is further from the first and nearer the last.
    from_first = [np.abs(f - arrays[0]).mean() for f in arrays]
    to_last = [np.abs(f - arrays[-1]).mean() for f in arrays]
    assert from_first == sorted(from_first) and to_last == sorted(to_last, reverse=True)
    assert from_first[-1] > 1.0

    gentle = sample(paths, "image/vae", ImageParams(mode="img2img", strength=0.1, batch=2), seed=3, init_image=a)
    strong = sample(paths, "image/vae", ImageParams(mode="img2img", strength=1.0, batch=2), seed=3, init_image=a)
    start = np.asarray(frames.images[0], dtype=np.float64)  # the VAE's own view of picture a
    near = np.mean([np.abs(np.asarray(im, dtype=np.float64) - start).mean() for im in gentle.images])
    far = np.mean([np.abs(np.asarray(im, dtype=np.float64) - start).mean() for im in strong.images])
    assert near < far
    assert "strength 0.1" in gentle.method


def test_previews_arrive_per_picture(paths: AppPaths, shapes_dir: Path) -> None:
    train(paths, shapes_dir, "pv", epochs=1, **TINY_VAE)
    registry = ModelRegistry(paths)
    previews: list[ImagePreview] = []
    host = EngineHost(registry)
    host.run(image_spec("image/pv", "", ImageParams(batch=3), 1), RunContext(on_partial=previews.append))
    host.unload_all()
    assert [p.index for p in previews] == [0, 1, 2] and all(p.fraction == 1.0 for p in previews)


def test_a_taken_name_is_refused_and_a_failed_run_leaves_nothing(
    paths: AppPaths, shapes_dir: Path, tmp_path: Path
) -> None:
    train(paths, shapes_dir, "taken", epochs=1, **TINY_VAE)
    with pytest.raises(UserError, match="already exists"):
        train(paths, shapes_dir, "taken", epochs=1, **TINY_VAE)
    few = write_shapes(tmp_path / "few", 2)
    with pytest.raises(UserError, match="at least"):
        train(paths, few, "never", epochs=1, **TINY_VAE)
    assert not (paths.models_dir / "image" / "never").exists()


def test_stopping_mid_run_keeps_the_last_finished_epoch(paths: AppPaths, shapes_dir: Path) -> None:
    registry = ModelRegistry(paths)
    ctx = RunContext()
    seen: list[TrainProgress] = []

    def on_partial(p: TrainProgress) -> None:
        seen.append(p)
        if p.checkpoint_epoch == 2:
            ctx.cancel.cancel()  # Stop, pressed just after epoch 2 was saved

    ctx.on_partial = on_partial
    spec = train_spec(shapes_dir, "stopped", TrainParams(epochs=50, **TINY_GAN), seed=2)  # type: ignore[arg-type]
    host = EngineHost(registry)
    with pytest.raises(JobCancelled):
        host.run(spec, ctx)
    host.unload_all()
    meta = json.loads((paths.models_dir / "image" / "stopped" / "aigc_model.json").read_text())
    assert meta["epochs_trained"] == 2 and seen[-1].step == 6
    assert len(sample(paths, "image/stopped", ImageParams(batch=1), seed=1).images) == 1
    # Stopped before any epoch finished: nothing is left, and the name is free again.
    ctx2 = RunContext()
    ctx2.cancel.cancel()
    with pytest.raises(JobCancelled):
        EngineHost(registry).run(train_spec(shapes_dir, "early", TrainParams(**TINY_GAN)), ctx2)
    assert not (paths.models_dir / "image" / "early").exists()


# ---------------------------------------------------------------- through the job queue


@pytest.fixture
def queue(qtbot, paths: AppPaths) -> Iterator[JobQueue]:  # type: ignore[no-untyped-def]
    registry = ModelRegistry(paths)
    q = JobQueue(lambda lane: EngineHost(registry))
    yield q
    q.shutdown()


def test_training_has_its_own_lane() -> None:
    assert LANES[JobKind.TRAIN] == "train" and LANES[JobKind.IMAGE] == "image"


def test_pause_resume_and_stop_through_the_queue(qtbot, queue: JobQueue, paths: AppPaths, shapes_dir: Path) -> None:  # type: ignore[no-untyped-def]
    reports: list[TrainProgress] = []
    queue.job_partial.connect(lambda job, payload: reports.append(payload) if job.lane == "train" else None)
    spec = train_spec(shapes_dir, "paused", TrainParams(epochs=2000, **{**TINY_VAE, "width": 4}), seed=1)
    job = queue.submit(spec, title="Train paused")
    assert job.spec.model_id == TRAINER_MODEL_ID and job.lane == "train"
    qtbot.waitUntil(lambda: any(r.checkpoint_epoch >= 1 for r in reports), timeout=60_000)

    queue.pause(job.id)
    assert job.pause.paused
    qtbot.waitUntil(lambda: job.pause.holding, timeout=60_000)  # the step in flight finishes, however slow
    qtbot.wait(50)  # and its report is delivered
    steps_at_pause = reports[-1].step
    qtbot.wait(600)
    assert reports[-1].step == steps_at_pause  # nothing trained while paused
    assert job.state is JobState.RUNNING

    queue.resume(job.id)
    qtbot.waitUntil(lambda: reports[-1].step > steps_at_pause + 3, timeout=30_000)

    # A sampling job on the image lane runs while training goes on.
    with qtbot.waitSignal(queue.job_finished, timeout=30_000) as done:
        queue.submit(image_spec("image/paused", "", ImageParams(batch=1), 3))
    assert isinstance(done.args[1].output, ImageOutput) and job.state is JobState.RUNNING

    queue.pause(job.id)  # Stop works while paused too
    with qtbot.waitSignal(queue.job_cancelled, timeout=10_000):
        queue.cancel(job.id)
    saved = max(r.checkpoint_epoch for r in reports)
    meta = json.loads((paths.models_dir / "image" / "paused" / "aigc_model.json").read_text())
    assert meta["epochs_trained"] == saved >= 1


# ---------------------------------------------------------------- aigc train-gan


def test_cli_trains_and_reports_json(capsys: pytest.CaptureFixture[str], paths: AppPaths, shapes_dir: Path) -> None:
    from aigc_desktop.cli.entry import main

    args = ["--images", str(shapes_dir), "--kind", "vae", "--epochs", "2", "--out", "cli-vae", "--batch-size", "24"]
    code = main(["train-gan", *args, "--seed", "3", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert set(report) == {"model", "path", "epochs", "images", "seconds", "images_per_second", "final_losses"}
    assert report["model"] == "image/cli-vae" and report["epochs"] == 2 and report["images"] == 48
    assert Path(report["path"]) == paths.models_dir / "image" / "cli-vae"
    assert set(report["final_losses"]) == {"total", "reconstruction", "kl"} and report["images_per_second"] > 0
    lines = captured.err.strip().splitlines()
    assert lines[0].startswith("aigc: training a VAE on 48 pictures")
    assert [line.split(" ·")[0] for line in lines[1:]] == ["epoch 1/2", "epoch 2/2"]
    assert ModelRegistry(paths).get("image/cli-vae").backend == "aigc-vae"


def test_cli_ctrl_c_says_what_was_kept_and_a_finished_run_one_line(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, shapes_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigc_desktop.cli import train as cli_module
    from aigc_desktop.cli.entry import main

    real = cli_module._EpochLines.partial
    stop_at = {"epoch": 0}  # 0: at the first step, before any epoch is saved

    def interrupt(self: object, payload: object) -> None:
        real(self, payload)  # type: ignore[arg-type]
        if isinstance(payload, TrainProgress) and payload.checkpoint_epoch == stop_at["epoch"]:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_module._EpochLines, "partial", interrupt)

    def argv(name: str, epochs: int) -> list[str]:
        images = ["--images", str(shapes_dir), "--kind", "vae", "--batch-size", "24", "--seed", "3"]
        return ["train-gan", *images, "--epochs", str(epochs), "--out", name]

    assert main(argv("nothing-yet", 3)) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "aigc: interrupted; no epoch had finished, so nothing was saved."

    stop_at["epoch"] = 1
    assert main(argv("one-epoch", 3)) == 130
    err = capsys.readouterr().err
    folder = paths.models_dir / "image" / "one-epoch"
    assert err.strip().splitlines()[-1] == f"aigc: interrupted; the model as of epoch 1 is saved in {folder}."
    assert json.loads((folder / "aigc_model.json").read_text())["epochs_trained"] == 1

    monkeypatch.setattr(cli_module._EpochLines, "partial", real)
    assert main(argv("finished", 1)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Saved image/finished to {paths.models_dir / 'image' / 'finished'}: 1 epochs on 48 pictures")
    assert len(out.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--images", "{missing}", "--epochs", "1", "--out", "x"], "no folder"),
        (["--images", "{empty}", "--epochs", "1", "--out", "x"], "holds no pictures"),
        (["--images", "{shapes}", "--epochs", "0", "--out", "x"], "--epochs must be 1 or more"),
        (["--images", "{shapes}", "--epochs", "1", "--out", "a/b"], "path separators"),
        (["--images", "{shapes}", "--epochs", "1", "--out", "taken"], "already exists"),
        (["--images", "{shapes}", "--epochs", "1", "--out", "x", "--kind", "diffusion"], "invalid choice"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], paths: AppPaths, shapes_dir: Path, tmp_path: Path
) -> None:
    from aigc_desktop.cli.entry import main

    (tmp_path / "empty").mkdir()
    (paths.models_dir / "image" / "taken").mkdir(parents=True)
    where = {"missing": tmp_path / "missing", "empty": tmp_path / "empty", "shapes": shapes_dir}
    argv = ["train-gan", *(a.format(**where) for a in args)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err, err
