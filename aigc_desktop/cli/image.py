"""`aigc image`: text-to-image, img2img (--init) and inpainting (--init + --mask) with a local diffusion model, or on
a ComfyUI server (--server NAME, its checkpoint with --model), through the same spec, registry, EngineHost and engine
as the Canvas pane.

Every input is checked before torch loads (a bad one is one line on stderr, exit 2). The PNG is written atomically
with its provenance: the A1111 `parameters` text and the IPTC DigitalSourceType (trainedAlgorithmicMedia, or
compositeWithTrainedAlgorithmicMedia when an image of the user's was edited). Same seed, settings and model: the
same pixels.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from aigc_desktop.cli.common import TerminalProgress, open_registry, quiet_libraries, refuse_pickle, run_on
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.image.job import MIN_SIDE, SCHEDULERS, SIZE_MULTIPLE


def register(sub: Any) -> None:
    """Adds the `image` command to the `aigc` sub-command parser."""
    image = sub.add_parser("image", help="make or edit an image with a local diffusion model (PNG with provenance)")
    image.add_argument("--prompt", required=True, help="what the picture shows (may be empty)")
    image.add_argument(
        "--model",
        help="model id or path (default: the first diffusion model installed); with --server: its checkpoint "
        "(default: the first the last test listed)",
    )
    image.add_argument("--server", metavar="NAME", help="run on this ComfyUI server (see `aigc servers`)")
    image.add_argument("--yes", action="store_true", help="send over plain http to another machine without asking")
    image.add_argument("--negative", default="", help="what the picture must not show")
    image.add_argument("--steps", type=int, help="denoising steps (default 20)")
    image.add_argument("--guidance", type=float, help="how closely to follow the prompt, CFG (default 7)")
    image.add_argument("--width", type=int, help="pixels, a multiple of 8 (default 512, or the --init image's)")
    image.add_argument("--height", type=int, help="pixels, a multiple of 8 (default 512, or the --init image's)")
    image.add_argument("--seed", type=int, help="random seed; the same seed and settings give the same pixels")
    image.add_argument("--init", metavar="IMAGE", help="start from this image (img2img; with --mask, inpaint)")
    image.add_argument("--strength", type=float, help="with --init: how much is repainted, 0-1 (default 0.75)")
    image.add_argument("--mask", metavar="MASK.png", help="with --init: white = repaint, black = keep (same size)")
    image.add_argument("--scheduler", choices=tuple(SCHEDULERS), help="sampler (default: the model's own)")
    image.add_argument("--out", required=True, metavar="FILE.png", help="the PNG to write")
    image.add_argument("--json", action="store_true", help="print one JSON object describing the result")
    image.set_defaults(func=cmd_image)


def _default_size(init_size: tuple[int, int] | None, width: int | None, height: int | None) -> tuple[int, int]:
    """The asked size; else the init image's, rounded down to a multiple of 8; else 512×512."""
    if (width is None) != (height is None):
        raise UserError("Give both --width and --height, or neither.")
    if width is not None and height is not None:
        return width, height
    if init_size is None:
        return 512, 512
    w, h = (max(MIN_SIDE, side - side % SIZE_MULTIPLE) for side in init_size)
    return w, h


def cmd_image(args: argparse.Namespace) -> int:
    # Only light imports until every input is checked: bad input must fail in a fraction of a second.
    from aigc_desktop.core.audio.edit import check_writable
    from aigc_desktop.core.image import ops as image_ops
    from aigc_desktop.core.image.job import ImageParams, image_spec
    from aigc_desktop.core.media import read_image_file
    from aigc_desktop.core.specs import ModelKind

    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".png":
        raise UserError(f"--out must name a .png file, not {out.name}.")
    check_writable(out)  # before generating: minutes of work must not be lost at the end
    if args.mask and not args.init:
        raise UserError("--mask needs --init: the image whose masked part is repainted.")
    if args.strength is not None and not args.init:
        raise UserError("--strength needs --init: it says how much of that image is repainted.")
    init_path = mask_path = None
    init = None
    if args.init:
        init_path = Path(args.init).expanduser().resolve()
        init = read_image_file(init_path)  # unreadable, or a decompression bomb: one clear line
    if args.mask and init is not None:
        mask_path = Path(args.mask).expanduser().resolve()
        image_ops.check_mask_size(read_image_file(mask_path), init)
    width, height = _default_size(None if init is None else init.size, args.width, args.height)
    mode = "inpaint" if mask_path else "img2img" if init_path else "txt2img"
    defaults = ImageParams()
    params = ImageParams(  # checks steps, guidance, size (multiple of 8), strength, scheduler
        mode=mode,
        steps=defaults.steps if args.steps is None else args.steps,
        guidance=defaults.guidance if args.guidance is None else args.guidance,
        width=width,
        height=height,
        scheduler=args.scheduler or defaults.scheduler,
        strength=defaults.strength if args.strength is None else args.strength,
    )
    registry = open_registry()
    if args.server:
        entry = _server_model(registry, args)
    else:
        entry = registry.get(args.model) if args.model else _default_model(registry)
    if entry.kind != ModelKind.IMAGE:
        raise UserError(f"{entry.id} is a {entry.kind.value} model, not an image model.")
    refuse_pickle(registry, entry, can_allow=True)
    spec = image_spec(
        entry.id,
        args.prompt,
        params,
        args.seed,
        negative_prompt=args.negative,
        init_image=None if init_path is None else str(init_path),
        mask_image=None if mask_path is None else str(mask_path),
    ).resolved()
    return _generate(args, registry, entry, spec, out, edited=init_path is not None)


def _server_model(registry: Any, args: argparse.Namespace) -> Any:
    from aigc_desktop.cli.write import server_model
    from aigc_desktop.core.servers.config import ServerStore
    from aigc_desktop.core.specs import ModelKind

    model = args.model
    if not model:
        listed = ServerStore(registry.paths).get(args.server).models
        if not listed:
            raise UserError(
                f"{args.server} lists no checkpoint: run `aigc servers test {args.server}`, or give --model."
            )
        model = listed[0]
    return server_model(registry.paths, args.server, model, args.yes, ModelKind.IMAGE)


def _default_model(registry: Any) -> Any:
    """The first installed model that can make a picture from a prompt: a Stable Diffusion folder, else a single-file
    checkpoint with a UNet in it (not a LoRA or IP-Adapter file), else any other image model (a trained GAN/VAE)."""
    from aigc_desktop.core.image.job import ImageMode
    from aigc_desktop.core.models.headers import safetensors_shapes
    from aigc_desktop.core.models.image_models import checkpoint_shape, supported_modes
    from aigc_desktop.core.specs import ModelKind

    def has_unet(entry: Any) -> bool:
        try:
            checkpoint_shape(entry.name, safetensors_shapes(entry.path))
        except UserError:
            return False
        return True

    usable = [e for e in registry.entries(ModelKind.IMAGE) if not e.pickle_only]
    ranked = [
        *(e for e in usable if e.backend == "diffusers" and ImageMode.TXT2IMG in supported_modes(e)),
        *(e for e in usable if e.backend == "diffusers-single-file" and has_unet(e)),
        *(e for e in usable if not e.backend.startswith("diffusers")),
    ]
    if not ranked:
        raise UserError(
            f"No image model is installed: put a Stable Diffusion folder (diffusers format) or a .safetensors "
            f"checkpoint into {registry.models_dir}."
        )
    return ranked[0]


def _generate(args: argparse.Namespace, registry: Any, entry: Any, spec: Any, out: Path, *, edited: bool) -> int:
    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.image.job import ImageOutput
    from aigc_desktop.core.project.provenance import COMPOSITE, TRAINED, png_parameters, write_png

    quiet_libraries(registry.paths, ("diffusers", "transformers"))
    progress = TerminalProgress(sys.stderr)
    try:
        result = run_on(registry, entry, spec, RunContext(on_progress=progress))
    finally:
        progress.finish()
    output = result.output
    if not isinstance(output, ImageOutput) or not output.images:
        raise UserError(f"{entry.id} did not return an image.")
    image = output.images[0]
    # The sampler by its usual name (what A1111-style readers show), or the model's own scheduler class.
    sampler = SCHEDULERS[spec.params["scheduler"]] if spec.params["scheduler"] != "default" else None
    named = replace(spec, params={**spec.params, "scheduler": sampler or result.metrics.get("scheduler", "")})
    model_name = entry.name
    if "server" in result.metrics:  # provenance names the server and the checkpoint it ran
        model_name = f"{result.metrics['server_model']} on {result.metrics['server']} ({output.method})"
    written = write_png(out, image, png_parameters(named, model_name, image.size), COMPOSITE if edited else TRAINED)
    if args.json:
        report = {
            "model": entry.id,
            "out": str(written),
            "seed": spec.seed,
            "steps": spec.params["steps"],
            "seconds": round(result.seconds, 3),
            "seconds_per_step": round(output.seconds_per_step, 4),
        }
        if "server" in result.metrics:
            report["server"] = result.metrics["server"]
            report["server_model"] = result.metrics["server_model"]
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(
            f"Wrote {written} ({image.width}×{image.height}, seed {spec.seed}) with {entry.id} in "
            f"{result.seconds:.1f} s ({output.seconds_per_step:.2f} s/step)."
        )
    return 0
