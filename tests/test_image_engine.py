"""DiffusersImageEngine on tiny random Stable Diffusion models of the real architecture, loaded exactly as a user's
models: folders and single files in the models dir, found by the registry, run through EngineHost. A bare diffusers
pipeline built from the same folder with the same seed is the reference, pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from aigc_desktop.core.engines.base import RunContext, has_engine
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.image_diffusers import SCHEDULER_CLASSES, memory_plan
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.image import ops as image_ops
from aigc_desktop.core.image.job import SCHEDULERS, ImageMode, ImageOutput, ImageParams, ImagePreview, image_spec
from aigc_desktop.core.models.image_models import UNetShape, checkpoint_shape, supported_modes
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.models.safety import set_pickle_consent
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.settings import Settings
from aigc_desktop.core.specs import JobResult, ModelKind

PROMPT = "a red cat on the sea"
NEGATIVE = "blurry"
SIZE = 64
FAST = ImageParams(steps=4, width=SIZE, height=SIZE, guidance=7.0)
Install = Callable[..., str]


pytestmark = pytest.mark.usefixtures("torch_one_thread")


@pytest.fixture
def sd_id(install_tiny_sd: Install) -> str:
    return install_tiny_sd("sd")


def run(
    host: EngineHost,
    model_id: str,
    params: ImageParams = FAST,
    seed: int | None = 7,
    ctx: RunContext | None = None,
    prompt: str = PROMPT,
    **inputs: Any,
) -> tuple[ImageOutput, JobResult]:
    result = host.run(
        image_spec(model_id, prompt, params, seed, negative_prompt=NEGATIVE, **inputs), ctx or RunContext()
    )
    assert isinstance(result.output, ImageOutput)
    return result.output, result


def bare(class_name: str, folder: Path) -> Any:
    """The library alone, as its documentation shows it."""
    import diffusers

    pipe = getattr(diffusers, class_name).from_pretrained(
        folder, local_files_only=True, safety_checker=None, requires_safety_checker=False
    )
    pipe.set_progress_bar_config(disable=True)
    return pipe


def generator(seed: int) -> Any:
    import torch

    return torch.Generator("cpu").manual_seed(seed)


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def write_picture(path: Path, size: tuple[int, int] = (SIZE, SIZE), alpha: np.ndarray | None = None) -> Path:
    """A smooth colourful picture (gradients), optionally with an alpha channel."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) * 255 // max(w + h - 2, 1)], -1)
    image = Image.fromarray(rgb.astype(np.uint8), "RGB")
    if alpha is not None:
        image = image.convert("RGBA")
        image.putalpha(Image.fromarray(alpha.astype(np.uint8), "L"))
    image.save(path)
    return path


def write_mask(path: Path, box: tuple[int, int, int, int] = (16, 16, 48, 48), size: int = SIZE) -> Path:
    mask = Image.new("L", (size, size), 0)
    mask.paste(255, box)
    mask.save(path)
    return path


# ---------------------------------------------------------------- registry and capabilities


def test_registry_detects_the_folders_and_files_and_an_engine_runs_each(
    paths: AppPaths, install_tiny_sd: Install
) -> None:
    ids = {v: install_tiny_sd(v) for v in ("sd", "sd-inpaint", "sd-upscaler", "sd-single")}
    registry = ModelRegistry(paths)
    entries = {e.id: e for e in registry.entries(ModelKind.IMAGE)}
    assert ids["sd"] == "tiny-sd" and ids["sd-single"] == "tiny-sd-single.safetensors"
    for variant, model_id in ids.items():
        entry = entries[model_id]
        expected = "diffusers-single-file" if variant == "sd-single" else "diffusers"
        assert entry.backend == expected and entry.kind == ModelKind.IMAGE and not entry.pickle_only
        assert has_engine(ModelKind.IMAGE, entry.backend)
    assert supported_modes(entries["tiny-sd-x4-upscaler"]) == {ImageMode.UPSCALE}
    assert ImageMode.INPAINT in supported_modes(entries["tiny-sd"])
    assert ImageMode.INTERPOLATE not in supported_modes(entries["tiny-sd-single.safetensors"])


# ---------------------------------------------------------------- equivalence with bare diffusers


def test_txt2img_equals_bare_diffusers_with_a_preview_every_step(host: EngineHost, sd_id: str, paths: AppPaths) -> None:
    previews: list[ImagePreview] = []
    fractions: list[float] = []
    ctx = RunContext(on_partial=previews.append, on_progress=lambda f, m: fractions.append(f) if f else None)
    output, result = run(host, sd_id, ctx=ctx)
    reference = bare("StableDiffusionPipeline", paths.models_dir / sd_id)(
        PROMPT, negative_prompt=NEGATIVE, num_inference_steps=4, guidance_scale=7.0, width=SIZE, height=SIZE,
        generator=generator(7),
    ).images[0]  # fmt: skip
    assert output.images[0].size == (SIZE, SIZE)
    assert np.array_equal(pixels(output.images[0]), pixels(reference))
    assert output.method == "diffusers StableDiffusionPipeline" and output.seeds == [7] and output.steps == 4
    assert [(p.index, p.step, p.total_steps) for p in previews] == [(0, k, 4) for k in range(1, 5)]
    assert all(p.image.size == (SIZE // 8, SIZE // 8) for p in previews)  # latent-sized: the VAE downsamples by 8
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == 4
    assert result.metrics["seconds_per_step"] > 0 and result.metrics["steps"] == 4
    assert output.seconds_per_step == pytest.approx(result.metrics["seconds_per_step"], abs=1e-4)


def test_no_previews_when_switched_off(host: EngineHost, sd_id: str) -> None:
    previews: list[Any] = []
    first, _ = run(host, sd_id, ImageParams(steps=3, width=SIZE, height=SIZE, previews=False),
                   ctx=RunContext(on_partial=previews.append))  # fmt: skip
    assert previews == []
    again, _ = run(host, sd_id, ImageParams(steps=3, width=SIZE, height=SIZE, previews=True))
    assert np.array_equal(pixels(first.images[0]), pixels(again.images[0]))  # previews never change the pixels


def test_img2img_equals_bare_diffusers(host: EngineHost, sd_id: str, paths: AppPaths, tmp_path: Path) -> None:
    init = write_picture(tmp_path / "init.png")
    params = ImageParams(mode="img2img", steps=8, strength=0.5, width=SIZE, height=SIZE, guidance=7.0)
    previews: list[ImagePreview] = []
    output, _ = run(host, sd_id, params, ctx=RunContext(on_partial=previews.append), init_image=str(init))
    reference = bare("StableDiffusionImg2ImgPipeline", paths.models_dir / sd_id)(
        PROMPT, image=Image.open(init).convert("RGB"), strength=0.5, negative_prompt=NEGATIVE, num_inference_steps=8,
        guidance_scale=7.0, generator=generator(7),
    ).images[0]  # fmt: skip
    assert np.array_equal(pixels(output.images[0]), pixels(reference))
    assert output.steps == 4 == len(previews)  # 8 steps × strength 0.5
    assert output.method == "diffusers StableDiffusionImg2ImgPipeline"


def test_inpaint_equals_bare_diffusers_inside_the_mask_and_keeps_the_rest(
    host: EngineHost, sd_id: str, paths: AppPaths, tmp_path: Path
) -> None:
    init, mask = write_picture(tmp_path / "init.png"), write_mask(tmp_path / "mask.png")
    params = ImageParams(mode="inpaint", steps=4, strength=1.0, width=SIZE, height=SIZE, guidance=7.0)
    output, _ = run(host, sd_id, params, init_image=str(init), mask_image=str(mask))
    original = Image.open(init).convert("RGB")
    raw = bare("StableDiffusionInpaintPipeline", paths.models_dir / sd_id)(
        PROMPT, image=original, mask_image=Image.open(mask), strength=1.0, negative_prompt=NEGATIVE,
        num_inference_steps=4, guidance_scale=7.0, width=SIZE, height=SIZE, generator=generator(7),
    ).images[0]  # fmt: skip
    got, inside = pixels(output.images[0]), np.asarray(Image.open(mask)) == 255
    assert np.array_equal(got, pixels(image_ops.keep_unmasked(original, raw, Image.open(mask))))
    assert np.array_equal(got[inside], pixels(raw)[inside])  # the painted region is the pipeline's
    assert np.array_equal(got[~inside], pixels(original)[~inside])  # the rest stays the user's pixels exactly
    assert output.method == "diffusers StableDiffusionInpaintPipeline"


def test_inpainting_model_equals_bare_and_also_runs_txt2img(
    host: EngineHost, install_tiny_sd: Install, paths: AppPaths, tmp_path: Path
) -> None:
    model_id = install_tiny_sd("sd-inpaint")
    init, mask = write_picture(tmp_path / "init.png"), write_mask(tmp_path / "mask.png")
    params = ImageParams(mode="inpaint", steps=4, strength=1.0, width=SIZE, height=SIZE, guidance=7.0)
    output, _ = run(host, model_id, params, init_image=str(init), mask_image=str(mask))
    original = Image.open(init).convert("RGB")
    raw = bare("StableDiffusionInpaintPipeline", paths.models_dir / model_id)(
        PROMPT, image=original, mask_image=Image.open(mask), strength=1.0, negative_prompt=NEGATIVE,
        num_inference_steps=4, guidance_scale=7.0, width=SIZE, height=SIZE, generator=generator(7),
    ).images[0]  # fmt: skip
    assert np.array_equal(pixels(output.images[0]), pixels(image_ops.keep_unmasked(original, raw, Image.open(mask))))
    text_only, _ = run(host, model_id)  # a 9-channel UNet needs a mask: txt2img inpaints a blank canvas
    assert text_only.images[0].size == (SIZE, SIZE) and "blank canvas" in text_only.notes[0]


def test_inpaint_refuses_a_mask_of_another_size_or_an_empty_mask(host: EngineHost, sd_id: str, tmp_path: Path) -> None:
    init = write_picture(tmp_path / "init.png")
    params = ImageParams(mode="inpaint", steps=2, width=SIZE, height=SIZE)
    with pytest.raises(UserError, match="mask is 32×32 pixels but the image is 64×64"):
        run(host, sd_id, params, init_image=str(init), mask_image=str(write_mask(tmp_path / "m.png", size=32)))
    with pytest.raises(UserError, match="mask is empty"):
        run(host, sd_id, params, init_image=str(init), mask_image=str(write_mask(tmp_path / "e.png", (0, 0, 0, 0))))


# ---------------------------------------------------------------- seeds, batches, cancel, schedulers


def test_same_seed_same_pixels_and_batch_seeds_follow_on(host: EngineHost, sd_id: str) -> None:
    first, result = run(host, sd_id, seed=11)
    again, _ = run(host, sd_id, seed=11)
    assert np.array_equal(pixels(first.images[0]), pixels(again.images[0]))
    assert np.array_equal(
        pixels(first.images[0]), pixels(host.run(result.spec.replay(), RunContext()).output.images[0])
    )
    batch, _ = run(host, sd_id, ImageParams(steps=4, width=SIZE, height=SIZE, guidance=7.0, batch=2), seed=11)
    second, _ = run(host, sd_id, seed=12)
    assert batch.seeds == [11, 12]
    assert np.array_equal(pixels(batch.images[0]), pixels(first.images[0]))
    assert np.array_equal(pixels(batch.images[1]), pixels(second.images[0]))  # any batch image regenerates alone
    assert not np.array_equal(pixels(batch.images[0]), pixels(batch.images[1]))
    _, unseeded = run(host, sd_id, seed=None)
    assert unseeded.spec.seed is not None  # recorded, so Regenerate replays it


def test_cancel_stops_at_the_next_step_and_the_engine_stays_usable(host: EngineHost, sd_id: str) -> None:
    ctx = RunContext()
    previews: list[ImagePreview] = []

    def on_partial(preview: Any) -> None:
        previews.append(preview)
        if len(previews) == 2:
            ctx.cancel.cancel()

    ctx.on_partial = on_partial
    with pytest.raises(JobCancelled):
        run(host, sd_id, ImageParams(steps=20, width=SIZE, height=SIZE, batch=2), ctx=ctx)
    assert [p.step for p in previews] == [1, 2]  # not one step more, and no second image
    output, _ = run(host, sd_id)
    assert output.images[0].size == (SIZE, SIZE)


def test_every_scheduler_choice_maps_to_a_diffusers_scheduler(host: EngineHost, sd_id: str) -> None:
    assert set(SCHEDULER_CLASSES) == set(SCHEDULERS) - {"default"}
    params = {name: ImageParams(steps=3, width=SIZE, height=SIZE, scheduler=name) for name in SCHEDULERS}
    seen: dict[str, np.ndarray] = {}
    for name, p in params.items():
        output, result = run(host, sd_id, p)
        expected = "EulerDiscreteScheduler" if name == "default" else SCHEDULER_CLASSES[name][0]
        assert result.metrics["scheduler"] == expected, name
        again, _ = run(host, sd_id, p)
        assert np.array_equal(pixels(output.images[0]), pixels(again.images[0])), name  # deterministic, stateless
        seen[name] = pixels(output.images[0])
    assert np.array_equal(seen["default"], seen["euler"])  # the tiny model ships with Euler
    assert not np.array_equal(seen["euler"], seen["ddim"]) and not np.array_equal(seen["euler"], seen["euler_a"])
    assert not np.array_equal(seen["dpmpp_2m"], seen["dpmpp_2m_karras"])


def test_scheduler_choice_equals_bare_diffusers_with_that_scheduler(
    host: EngineHost, sd_id: str, paths: AppPaths
) -> None:
    from diffusers import DPMSolverMultistepScheduler

    output, _ = run(
        host, sd_id, ImageParams(steps=4, width=SIZE, height=SIZE, guidance=7.0, scheduler="dpmpp_2m_karras")
    )
    pipe = bare("StableDiffusionPipeline", paths.models_dir / sd_id)
    pipe.scheduler = DPMSolverMultistepScheduler.from_config(
        pipe.scheduler.config, algorithm_type="dpmsolver++", solver_order=2, use_karras_sigmas=True
    )
    reference = pipe(PROMPT, negative_prompt=NEGATIVE, num_inference_steps=4, guidance_scale=7.0, width=SIZE,
                     height=SIZE, generator=generator(7)).images[0]  # fmt: skip
    assert np.array_equal(pixels(output.images[0]), pixels(reference))


def test_img2img_with_too_few_steps_for_its_strength_says_so(host: EngineHost, sd_id: str, tmp_path: Path) -> None:
    params = ImageParams(mode="img2img", steps=2, strength=0.2, width=SIZE, height=SIZE)
    with pytest.raises(UserError, match="no denoising step"):
        run(host, sd_id, params, init_image=str(write_picture(tmp_path / "i.png")))


# ---------------------------------------------------------------- outpaint, upscale, style


def test_outpaint_fills_the_transparent_border_and_keeps_the_picture(
    host: EngineHost, sd_id: str, tmp_path: Path
) -> None:
    alpha = np.zeros((SIZE, SIZE), np.uint8)
    alpha[16:48, 8:56] = 255  # the picture; around it the extended, transparent canvas
    init = write_picture(tmp_path / "extended.png", alpha=alpha)
    params = ImageParams(mode="outpaint", steps=4, strength=1.0, width=SIZE, height=SIZE)
    output, _ = run(host, sd_id, params, init_image=str(init))
    got = pixels(output.images[0])
    assert output.images[0].size == (SIZE, SIZE) and "outpaint" in output.method
    seam = image_ops.OUTPAINT_SEAM_PX
    core = (slice(16 + seam * 2, 48 - seam * 2), slice(8 + seam * 2, 56 - seam * 2))
    assert np.array_equal(got[core], pixels(Image.open(init))[core])  # well inside the picture: untouched
    filled, _, _ = image_ops.outpaint_inputs(Image.open(init))
    assert not np.array_equal(got[:8], pixels(filled)[:8])  # the border was painted, not left as the fill
    with pytest.raises(UserError, match="extend the canvas"):
        run(host, sd_id, params, init_image=str(write_picture(tmp_path / "opaque.png")))


def test_upscale_without_an_upscaler_is_lanczos_and_says_so(host: EngineHost, sd_id: str, tmp_path: Path) -> None:
    source = write_picture(tmp_path / "small.png", (40, 24))
    output, _ = run(host, sd_id, ImageParams(mode="upscale", upscale_factor=4), init_image=str(source))
    assert output.method == "Lanczos (no upscaler model)" and output.steps == 0
    assert output.images[0].size == (160, 96)
    assert np.array_equal(pixels(output.images[0]), pixels(image_ops.lanczos_upscale(Image.open(source), 4)))


def test_upscaler_model_equals_bare_diffusers(host: EngineHost, install_tiny_sd: Install, paths: AppPaths,
                                              tmp_path: Path) -> None:  # fmt: skip
    model_id = install_tiny_sd("sd-upscaler")
    source = write_picture(tmp_path / "low.png", (16, 16))
    fractions: list[float] = []
    params = ImageParams(mode="upscale", steps=3, guidance=7.0, upscale_factor=4)
    output, _ = run(host, model_id, params, ctx=RunContext(on_progress=lambda f, m: fractions.append(f) if f else None),
                    init_image=str(source))  # fmt: skip
    reference = bare("StableDiffusionUpscalePipeline", paths.models_dir / model_id)(
        PROMPT, image=Image.open(source).convert("RGB"), negative_prompt=NEGATIVE, num_inference_steps=3,
        guidance_scale=7.0, generator=generator(7),
    ).images[0]  # fmt: skip
    assert output.images[0].size == (64, 64) and output.method == "diffusers StableDiffusionUpscalePipeline (x4)"
    assert np.array_equal(pixels(output.images[0]), pixels(reference))
    assert len(fractions) == 3 and fractions[-1] == 1.0
    half, _ = run(host, model_id, ImageParams(mode="upscale", steps=3, upscale_factor=2), init_image=str(source))
    assert half.images[0].size == (32, 32) and "Lanczos to x2" in half.method
    with pytest.raises(UserError, match="upscaler: it can only upscale"):
        run(host, model_id)


def test_style_without_ip_adapter_is_the_documented_recipe(
    host: EngineHost, sd_id: str, paths: AppPaths, tmp_path: Path
) -> None:
    init, style = write_picture(tmp_path / "init.png"), tmp_path / "style.png"
    Image.new("RGB", (48, 80), (30, 60, 200)).save(style)  # any size: only its colours are used
    params = ImageParams(mode="style", steps=4, strength=0.5, width=SIZE, height=SIZE, guidance=7.0)
    output, _ = run(host, sd_id, params, init_image=str(init), style_image=str(style))
    assert output.images[0].size == (SIZE, SIZE) and "recipe" in output.notes[0]
    recoloured = image_ops.transfer_colour(Image.open(init), Image.open(style))
    reference = bare("StableDiffusionImg2ImgPipeline", paths.models_dir / sd_id)(
        PROMPT, image=recoloured, strength=0.5, negative_prompt=NEGATIVE, num_inference_steps=4, guidance_scale=7.0,
        generator=generator(7),
    ).images[0]  # fmt: skip
    assert np.array_equal(pixels(output.images[0]), pixels(reference))


def test_style_with_an_installed_ip_adapter_equals_bare_and_is_unloaded_after(
    host: EngineHost, sd_id: str, install_tiny_sd: Install, paths: AppPaths, tmp_path: Path
) -> None:
    install_tiny_sd("ip-adapter")
    init, style = write_picture(tmp_path / "init.png"), tmp_path / "style.png"
    Image.new("RGB", (SIZE, SIZE), (30, 60, 200)).save(style)
    params = ImageParams(mode="style", steps=4, strength=0.75, width=SIZE, height=SIZE, guidance=7.0)
    output, _ = run(host, sd_id, params, init_image=str(init), style_image=str(style))
    assert output.notes == ["style: IP-Adapter ip-adapter_tiny.safetensors (scale 0.6)"]
    pipe = bare("StableDiffusionImg2ImgPipeline", paths.models_dir / sd_id)
    pipe.load_ip_adapter(str(paths.models_dir / "IP-Adapter"), subfolder="models",
                         weight_name="ip-adapter_tiny.safetensors", local_files_only=True)  # fmt: skip
    pipe.set_ip_adapter_scale(0.6)
    reference = pipe(
        PROMPT, image=Image.open(init).convert("RGB"), strength=0.75, ip_adapter_image=Image.open(style),
        negative_prompt=NEGATIVE, num_inference_steps=4, guidance_scale=7.0, generator=generator(7),
    ).images[0]  # fmt: skip
    assert np.array_equal(pixels(output.images[0]), pixels(reference))
    # Later jobs run without the adapter: plain txt2img still equals the bare pipeline.
    after, _ = run(host, sd_id)
    plain = bare("StableDiffusionPipeline", paths.models_dir / sd_id)(
        PROMPT, negative_prompt=NEGATIVE, num_inference_steps=4, guidance_scale=7.0, width=SIZE, height=SIZE,
        generator=generator(7),
    ).images[0]  # fmt: skip
    assert np.array_equal(pixels(after.images[0]), pixels(plain))


def test_interpolation_is_refused_for_diffusion_models(host: EngineHost, sd_id: str, tmp_path: Path) -> None:
    a, b = write_picture(tmp_path / "a.png"), write_picture(tmp_path / "b.png")
    with pytest.raises(UserError, match="interpolation needs a VAE"):
        run(host, sd_id, ImageParams(mode="interpolate", batch=2), init_image=str(a), end_image=str(b))


# ---------------------------------------------------------------- pickle weights


def test_pickle_weights_are_refused_unless_allowed(
    host: EngineHost, install_tiny_sd: Install, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder_id, ckpt_id = install_tiny_sd("sd-pickle"), install_tiny_sd("sd-ckpt")
    install_tiny_sd("sd")  # the configuration the .ckpt borrows
    registry = ModelRegistry(paths)
    assert registry.get(folder_id).pickle_only and registry.get(ckpt_id).pickle_only
    for model_id in (folder_id, ckpt_id):
        with pytest.raises(UserError, match="pickle"):
            run(host, model_id)
    reference, _ = run(host, "tiny-sd")
    # The user's consent for one model (as the Models window records it) lets that model load, and only that one.
    settings = Settings.load(paths)
    set_pickle_consent(settings, registry.get(folder_id), True)
    settings.save(paths)
    output, _ = run(host, folder_id)
    assert np.array_equal(pixels(output.images[0]), pixels(reference.images[0]))  # same weights, same pixels
    with pytest.raises(UserError, match="pickle"):
        run(host, ckpt_id)
    monkeypatch.setenv("AIGC_ALLOW_PICKLE", "1")  # the global opt-in; loading is weights_only even then
    output, _ = run(host, ckpt_id)
    assert np.array_equal(pixels(output.images[0]), pixels(reference.images[0]))


# ---------------------------------------------------------------- single-file checkpoints


def test_single_file_takes_its_config_offline_from_an_installed_folder(
    host: EngineHost, install_tiny_sd: Install, paths: AppPaths
) -> None:
    single = install_tiny_sd("sd-single")
    with pytest.raises(UserError) as refused:  # no diffusers folder of its shape installed yet
        run(host, single)
    message = str(refused.value)
    assert "single-file Stable Diffusion-style (text width 32) checkpoint" in message
    assert "model_index.json" in message and str(paths.models_dir) in message
    install_tiny_sd("sd-inpaint")  # another shape (9 input channels) does not fit
    with pytest.raises(UserError, match="carries no configuration"):
        run(host, single)
    sd_id = install_tiny_sd("sd")
    from_file, _ = run(host, single)
    from_folder, _ = run(host, sd_id)
    assert np.array_equal(pixels(from_file.images[0]), pixels(from_folder.images[0]))


def test_single_file_inpainting_checkpoint_borrows_the_inpainting_config(
    host: EngineHost, install_tiny_sd: Install, tmp_path: Path
) -> None:
    install_tiny_sd("sd")
    inpaint_id = install_tiny_sd("sd-inpaint")
    single = install_tiny_sd("sd-single-inpaint")
    init, mask = write_picture(tmp_path / "init.png"), write_mask(tmp_path / "mask.png")
    params = ImageParams(mode="inpaint", steps=3, strength=1.0, width=SIZE, height=SIZE)
    from_file, _ = run(host, single, params, init_image=str(init), mask_image=str(mask))
    from_folder, _ = run(host, inpaint_id, params, init_image=str(init), mask_image=str(mask))
    assert np.array_equal(pixels(from_file.images[0]), pixels(from_folder.images[0]))


def test_checkpoint_family_comes_from_tensor_names_and_the_advice_names_it(tmp_path: Path) -> None:
    import tiny_sd

    from aigc_desktop.core.models.headers import safetensors_shapes
    from aigc_desktop.core.models.image_models import missing_config_message

    unet = "model.diffusion_model."
    sdxl = tiny_sd.write_fake_checkpoint_header(tmp_path / "xl.safetensors", {
        unet + "input_blocks.0.0.weight": [320, 4, 3, 3],
        unet + "input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight": [640, 2048],
        "conditioner.embedders.1.model.positional_embedding": [77, 1280],
    })  # fmt: skip
    shape = checkpoint_shape("xl", safetensors_shapes(sdxl))
    assert shape == UNetShape(xl=True, in_channels=4, model_channels=320, context_dim=2048)
    assert "SDXL checkpoint" in missing_config_message("xl", shape, tmp_path)
    assert "stable-diffusion-xl-base-1.0" in missing_config_message("xl", shape, tmp_path)
    sd2_inpaint = {
        unet + "input_blocks.0.0.weight": [320, 9, 3, 3],
        unet + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight": [320, 1024],
        "cond_stage_model.model.token_embedding.weight": [49408, 1024],
    }
    assert checkpoint_shape("sd2", sd2_inpaint).family == "Stable Diffusion 2.x inpainting"
    sd1 = {unet + "input_blocks.0.0.weight": [320, 4, 3, 3], unet + "a.attn2.to_k.weight": [320, 768]}
    assert checkpoint_shape("sd1", sd1).family == "Stable Diffusion 1.x"
    lora = {"lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight": [4, 320]}
    with pytest.raises(UserError, match=r"no Stable Diffusion UNet.*LoRA"):
        checkpoint_shape("lora", lora)


# ---------------------------------------------------------------- small pure parts


def test_memory_plan_for_small_and_large_gpus() -> None:
    gib = 1024**3
    sd15 = 2 * gib  # fp16 weights
    assert memory_plan("auto", 24 * gib, sd15) == "none"
    assert memory_plan("auto", 4 * gib, sd15) == "attention_slicing"
    assert memory_plan("auto", 2 * gib, sd15) == "cpu_offload"
    assert memory_plan("cpu_offload", 80 * gib, sd15) == "cpu_offload"  # an explicit choice wins
    with pytest.raises(UserError, match="Unknown memory setting"):
        ImageParams(memory="lots")


def test_latent_preview_and_pixel_helpers() -> None:
    latents = np.zeros((4, 8, 12), np.float32)
    latents[0] = 2.0  # only the first channel: its row of SD's factors, mapped from -1..1 to 0..255
    preview = image_ops.latent_preview(latents)
    assert preview.size == (12, 8) and preview.mode == "RGB"
    row = image_ops.LATENT_RGB_FACTORS["sd"][0][0]
    assert tuple(pixels(preview)[0, 0]) == tuple(int((1 + 2 * f) * 127.5 + 0.5) for f in row)
    assert tuple(pixels(image_ops.latent_preview(np.zeros((4, 2, 2), np.float32), "sdxl"))[0, 0]) != (128, 128, 128)
    # a mask painted on a transparent layer: only its opaque strokes count
    painted = Image.new("RGBA", (4, 4), (255, 255, 255, 0))
    painted.putpixel((1, 1), (255, 255, 255, 255))
    mask = np.asarray(image_ops.mask_from(painted))
    assert mask[1, 1] == 255 and mask.sum() == 255
    # colour transfer moves the picture's mean colour to the style's
    grey = Image.new("RGB", (8, 8), (128, 128, 128))
    blue = Image.new("RGB", (8, 8), (20, 40, 220))
    assert np.abs(pixels(image_ops.transfer_colour(grey, blue)).mean(axis=(0, 1)) - (20, 40, 220)).max() <= 2
    # push-pull fill: opaque pixels unchanged, transparent ones take nearby colours
    half = Image.new("RGBA", (16, 8), (0, 0, 0, 0))
    half.paste(Image.new("RGBA", (8, 8), (200, 10, 10, 255)), (0, 0))
    filled = pixels(image_ops.fill_transparent(half))
    assert (filled[:, :8] == (200, 10, 10)).all() and (filled[:, 8:] == (200, 10, 10)).all()
