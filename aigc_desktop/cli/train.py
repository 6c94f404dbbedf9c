"""`aigc train-gan`: train a DCGAN or a VAE on a folder of pictures, headless, through the same trainer (and the same
EngineHost) as the window's "Train on my images" dialog.

Every input is checked before torch loads (a bad one is one line on stderr, exit 2); a line per finished epoch goes
to stderr; `--json` prints one object at the end. Ctrl+C stops at once and keeps the last finished epoch.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from aigc_desktop.cli.common import open_registry, quiet_libraries
from aigc_desktop.cli.training import TrainingLines, run_training
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.units import human_duration

if TYPE_CHECKING:
    from aigc_desktop.core.train.job import TrainOutput


def register(sub: Any) -> None:
    """Adds the `train-gan` command to the `aigc` sub-command parser."""
    train = sub.add_parser("train-gan", help="train a small image model (DCGAN or VAE, 64×64) on a folder of pictures")
    train.add_argument(
        "--images", required=True, metavar="DIR", help="folder of PNG/JPEG/WebP/BMP pictures (recursive)"
    )
    train.add_argument("--kind", choices=("gan", "vae"), default="gan", help="gan (DCGAN, the default) or vae")
    train.add_argument("--epochs", type=int, help="passes over the pictures (default: 100 for gan, 60 for vae)")
    train.add_argument("--out", required=True, metavar="NAME", help="name of the new model (models/image/NAME)")
    train.add_argument("--batch-size", type=int, help="pictures per step (default 16)")
    train.add_argument("--lr", type=float, help="Adam learning rate (default 2e-4 for gan, 1e-3 for vae)")
    train.add_argument("--seed", type=int, help="random seed; the same seed, pictures and settings repeat a run")
    train.add_argument("--json", action="store_true", help="print one JSON object describing the result")
    train.set_defaults(func=cmd_train_gan)


class _EpochLines(TrainingLines["TrainOutput"]):
    """Prints one line per finished epoch on stderr (mean losses, speed, ETA) and remembers the last checkpoint."""

    def __init__(self, err: TextIO, output_type: type[TrainOutput]) -> None:
        super().__init__(err, output_type)
        self._sums: dict[str, float] = {}
        self._count = 0
        self._printed = 0

    def partial(self, payload: Any) -> None:
        from aigc_desktop.core.train.job import TrainProgress

        if not isinstance(payload, TrainProgress):
            return
        for losses in payload.step_losses:
            for name, value in losses.items():
                self._sums[name] = self._sums.get(name, 0.0) + value
            self._count += 1
        if payload.checkpoint_epoch:
            self.saved_epoch, self.saved_path = payload.checkpoint_epoch, payload.model_path
        if payload.checkpoint_epoch == payload.epoch and payload.epoch != self._printed:
            self._printed = payload.epoch
            means = " · ".join(f"{k} {v / max(1, self._count):.4g}" for k, v in self._sums.items())
            eta = "" if not payload.eta_seconds else f" · ETA {human_duration(payload.eta_seconds)}"
            self._print(
                f"epoch {payload.epoch}/{payload.epochs} · {means} · {payload.images_per_second:.1f} images/s{eta}"
            )
            self._sums, self._count = {}, 0

    def summary(self, output: TrainOutput) -> str:
        return (
            f"Saved {output.model_id} to {output.path}: {output.epochs} epochs on {output.images} pictures in "
            f"{human_duration(output.seconds)} ({output.images_per_second:.1f} images/s)."
        )

    def details(self, output: TrainOutput) -> Mapping[str, Any]:
        return {
            "epochs": output.epochs,
            "images": output.images,
            "seconds": round(output.seconds, 3),
            "images_per_second": round(output.images_per_second, 2),
            "final_losses": {k: round(v, 6) for k, v in output.final_losses.items()},
        }


def cmd_train_gan(args: argparse.Namespace) -> int:
    # Only light imports until every input is checked: bad input must fail in a fraction of a second.
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.train.dataset import MIN_IMAGES, scan_folder
    from aigc_desktop.core.train.job import (
        DEFAULT_EPOCHS,
        TrainKind,
        TrainParams,
        check_model_name,
        check_name_free,
        model_folder,
        train_spec,
    )

    folder = Path(args.images).expanduser()
    if not folder.is_dir():
        raise UserError(f"--images: there is no folder at {folder}.")
    if args.epochs is not None and args.epochs <= 0:
        raise UserError("--epochs must be 1 or more.")
    if args.batch_size is not None and args.batch_size <= 0:
        raise UserError("--batch-size must be 1 or more.")
    fields: dict[str, Any] = {"kind": args.kind}
    for key in ("epochs", "batch_size", "lr"):
        if getattr(args, key) is not None:
            fields[key] = getattr(args, key)
    if args.epochs is None:
        fields["epochs"] = DEFAULT_EPOCHS[TrainKind(args.kind)]
    params = TrainParams(**fields).resolved()  # checks the numbers
    name = check_model_name(args.out)
    paths = app_paths().ensure()
    check_name_free(paths.models_dir, name)
    scan = scan_folder(folder)
    if scan.usable == 0:
        raise UserError(f"{folder} holds no pictures (PNG, JPEG, WebP or BMP), so there is nothing to train on.")
    if scan.usable < MIN_IMAGES:
        raise UserError(f"{folder} has {scan.usable} usable pictures; training needs at least {MIN_IMAGES}.")
    spec = train_spec(folder, name, params, seed=args.seed).resolved()

    from aigc_desktop.core.engines.host import BUILTIN_MODELS
    from aigc_desktop.core.train.job import TRAINER_MODEL_ID, TrainOutput

    quiet_libraries(paths)
    what = "a DCGAN" if params.kind == "gan" else "a VAE"
    print(
        f"aigc: training {what} on {scan.usable} pictures from {folder} for {params.epochs} epochs "
        f"(batch {params.batch_size}, seed {spec.seed}) into {model_folder(paths.models_dir, name)}",
        file=sys.stderr,
        flush=True,
    )
    lines = _EpochLines(sys.stderr, TrainOutput)
    return run_training(open_registry(paths), BUILTIN_MODELS[TRAINER_MODEL_ID], spec, lines, as_json=args.json)
