"""The training contract shared by the trainer engine, the "Train on my images" dialog and `aigc train-gan`.

A training job is a JobSpec of kind TRAIN run by the built-in trainer (model_id TRAINER_MODEL_ID) on its own "train"
lane. `inputs` holds "images_dir" (a folder of the user's pictures) and "name" (the new model's folder name);
`params` is a TrainParams. The trainer sends a TrainProgress partial after every step (with a sample grid now and then)
and returns a TrainOutput. Each finished epoch is saved as a model folder `<models_dir>/image/<name>/`
(aigc_model.json + model.safetensors + samples.png), so Stop keeps the last finished epoch as a usable model.

No torch here: the dialog and the CLI import this module before any heavy library loads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.names import NameMessages, check_folder_name
from aigc_desktop.core.specs import MAX_SEED, JobKind, JobSpec, params_from_spec

TRAINER_MODEL_ID = "aigc-trainer"  # the built-in trainer (core/runner.py BUILTIN_MODELS)
TRAINER_BACKEND = "aigc-train"
GAN_BACKEND = "aigc-gan"
VAE_BACKEND = "aigc-vae"
IMAGE_SIZE = 64  # both architectures make 64×64 pictures
MODELS_SUBDIR = "image"  # trained models live in <models_dir>/image/<name>/
LICENCE = QT_TRANSLATE_NOOP("Training", "your own images")  # written to aigc_model.json in English
MAX_EPOCHS = 10_000
MAX_BATCH_SIZE = 512


class TrainKind(StrEnum):
    GAN = "gan"  # DCGAN: a generator learns to fool a discriminator
    VAE = "vae"  # a convolutional variational autoencoder: samples, variations and interpolation


BACKEND_FOR_KIND = {TrainKind.GAN: GAN_BACKEND, TrainKind.VAE: VAE_BACKEND}

# Defaults per kind, from the DCGAN paper (Adam 2e-4, beta1 0.5, z of 100) and common practice for small conv VAEs.
DEFAULT_LR = {TrainKind.GAN: 2e-4, TrainKind.VAE: 1e-3}
DEFAULT_BETA1 = {TrainKind.GAN: 0.5, TrainKind.VAE: 0.9}
DEFAULT_LATENT = {TrainKind.GAN: 100, TrainKind.VAE: 128}
DEFAULT_WIDTH = {TrainKind.GAN: 64, TrainKind.VAE: 32}
DEFAULT_EPOCHS = {TrainKind.GAN: 100, TrainKind.VAE: 60}


@dataclass(frozen=True)
class TrainParams:
    """The knobs of one training run. None means "the default for this kind" (resolved() fills them in, so the spec
    records exactly what ran)."""

    kind: str = TrainKind.GAN.value
    epochs: int = DEFAULT_EPOCHS[TrainKind.GAN]
    # 16, not 32: measured on 2 CPU cores it trains ~70 % of the images/s of 32 but makes 1.4× the steps per second,
    # and for a DCGAN on a few hundred pictures the number of steps is what turns grey noise into shapes.
    batch_size: int = 16
    lr: float | None = None  # Adam learning rate
    beta1: float | None = None  # Adam's first-moment decay
    latent_dim: int | None = None  # size of the noise (GAN) or latent code (VAE)
    width: int | None = None  # channels of the first/last conv layer (DCGAN's ngf = ndf); cost grows with its square
    sample_every: int = 20  # steps between sample grids (one is made at each epoch's end too)
    flip: bool = True  # random left-right flips: doubles what a small folder teaches
    augment: bool = True  # GAN: DiffAugment (colour, translation, cutout) so few pictures are not memorised
    kl_weight: float = 1.0  # VAE: weight of the KL term against the reconstruction
    precision: str = "auto"  # "auto" (bf16 autocast where the CPU multiplies bf16 natively), "fp32", "bf16"

    def __post_init__(self) -> None:
        problems: list[Msg] = []
        try:
            TrainKind(self.kind)
        except ValueError:
            problems.append(
                QT_TRANSLATE_NOOP("Training", "The kind must be one of {kinds}, not '{kind}'.").format(
                    kinds=", ".join(k.value for k in TrainKind), kind=self.kind
                )
            )
        if not 1 <= self.epochs <= MAX_EPOCHS:
            problems.append(
                QT_TRANSLATE_NOOP("Training", "Epochs must be a whole number from 1 to {max}.").format(max=MAX_EPOCHS)
            )
        if not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            problems.append(
                QT_TRANSLATE_NOOP("Training", "The batch size must be from 1 to {max}.").format(max=MAX_BATCH_SIZE)
            )
        if self.lr is not None and not 0 < self.lr <= 0.1:
            problems.append(QT_TRANSLATE_NOOP("Training", "The learning rate must be more than 0 and at most 0.1."))
        if self.beta1 is not None and not 0 <= self.beta1 < 1:
            problems.append(QT_TRANSLATE_NOOP("Training", "beta1 must be at least 0 and less than 1."))
        if self.latent_dim is not None and not 2 <= self.latent_dim <= 1024:
            problems.append(QT_TRANSLATE_NOOP("Training", "The latent size must be from 2 to 1024."))
        if self.width is not None and not 4 <= self.width <= 256:
            problems.append(QT_TRANSLATE_NOOP("Training", "The width must be from 4 to 256."))
        if self.sample_every < 0:
            problems.append(QT_TRANSLATE_NOOP("Training", "sample_every must be 0 (each epoch only) or more."))
        if not 0 <= self.kl_weight <= 100:
            problems.append(QT_TRANSLATE_NOOP("Training", "The KL weight must be from 0 to 100."))
        if self.precision not in ("auto", "fp32", "bf16"):
            problems.append(QT_TRANSLATE_NOOP("Training", "Precision must be auto, fp32 or bf16."))
        if problems:
            message = problems[0]
            for more in problems[1:]:  # one sentence after the other
                message = QT_TRANSLATE_NOOP("Training", "{first} {then}").format(first=message, then=more)
            raise UserError(message)

    @property
    def train_kind(self) -> TrainKind:
        return TrainKind(self.kind)

    def resolved(self) -> TrainParams:
        """The same params with every per-kind default filled in."""
        kind = self.train_kind
        return TrainParams(
            **{
                **asdict(self),
                "lr": DEFAULT_LR[kind] if self.lr is None else self.lr,
                "beta1": DEFAULT_BETA1[kind] if self.beta1 is None else self.beta1,
                "latent_dim": DEFAULT_LATENT[kind] if self.latent_dim is None else self.latent_dim,
                "width": DEFAULT_WIDTH[kind] if self.width is None else self.width,
            }
        )

    def to_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: JobSpec) -> TrainParams:
        return params_from_spec(cls, spec, QT_TRANSLATE_NOOP("Training", "Bad training parameters: {reason}"))


_NAME_MESSAGES = NameMessages(
    empty=QT_TRANSLATE_NOOP("Training", "Give the new model a name."),
    bad_chars=QT_TRANSLATE_NOOP("Training", "The name '{name}' cannot hold path separators or any of : * ? \" < > |."),
    dot=QT_TRANSLATE_NOOP("Training", "The name cannot start with a dot (such folders are hidden and not listed)."),
    too_long=QT_TRANSLATE_NOOP("Training", "The name is too long (at most {max} characters)."),
)


def check_model_name(name: str) -> str:
    """The name stripped, or a UserError: it becomes a folder name and part of the model's id."""
    return check_folder_name(name, _NAME_MESSAGES)


def model_folder(models_dir: Path, name: str) -> Path:
    return models_dir / MODELS_SUBDIR / name


def model_id_for(name: str) -> str:
    """The registry id a trained model gets (its path relative to the models dir)."""
    return f"{MODELS_SUBDIR}/{name}"


def check_name_free(models_dir: Path, name: str) -> None:
    folder = model_folder(models_dir, name)
    if folder.exists():
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Training", "A model named '{name}' already exists ({folder}); choose another name."
            ).format(name=name, folder=folder)
        )


def train_spec(images_dir: str | Path, name: str, params: TrainParams, seed: int | None = None) -> JobSpec:
    """A validated training JobSpec (the folder's pictures are read by the trainer, on its lane)."""
    folder = Path(images_dir).expanduser()
    if not folder.is_dir():
        raise UserError(QT_TRANSLATE_NOOP("Training", "There is no folder at {folder}.").format(folder=folder))
    name = check_model_name(name)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UserError(
            QT_TRANSLATE_NOOP("Training", "The seed must be a whole number from 0 to {max}.").format(max=MAX_SEED)
        )
    return JobSpec(
        kind=JobKind.TRAIN,
        model_id=TRAINER_MODEL_ID,
        inputs={"images_dir": str(folder.resolve()), "name": name},
        params=params.resolved().to_params(),
        seed=seed,
    )


@dataclass(frozen=True)
class TrainProgress:
    """Sent after every training step. `samples` is a grid of the model's pictures when one was made at this step
    (from the same fixed noise each time, so the grid shows the model learning); None otherwise."""

    epoch: int  # the epoch this step belongs to, from 1
    epochs: int
    step: int  # steps done so far, from 1
    total_steps: int
    losses: Mapping[str, float]  # this step's losses by name ("discriminator", "generator" / "total", ...)
    images_per_second: float  # training throughput so far (time spent paused does not count)
    eta_seconds: float | None
    images: int  # pictures in the training set
    step_losses: tuple[Mapping[str, float], ...] = ()  # every step's losses since the previous report (curves)
    samples: Image.Image | None = None
    checkpoint_epoch: int = 0  # the last epoch saved as a usable model (0: none yet)
    model_path: str = ""  # the model folder, once a checkpoint exists

    @property
    def fraction(self) -> float:
        return self.step / self.total_steps if self.total_steps else 0.0


@dataclass(frozen=True)
class TrainOutput:
    model_id: str  # registry id, e.g. "image/cats"
    path: Path  # the model folder
    kind: str
    epochs: int  # epochs trained (and saved)
    images: int  # pictures trained on
    skipped: int  # files in the folder that could not be read
    seconds: float  # wall time of the training loop, pauses excluded
    images_per_second: float
    final_losses: dict[str, float]  # the last epoch's mean losses
    epoch_losses: list[dict[str, float]] = field(default_factory=list)  # mean losses of each epoch, in order
    step_losses: dict[str, list[float]] = field(default_factory=dict)  # every step's losses, by name
    samples: Image.Image | None = None  # the last sample grid (also saved as samples.png)
