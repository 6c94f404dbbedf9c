"""The built-in trainer: runs a TRAIN job (core/training.py) — reads the folder of pictures, trains a DCGAN or a conv
VAE on it and saves each finished epoch as a model folder the registry lists (core/train/checkpoint.py).

Stop (cancel) ends the run at the next step; whatever epoch was last saved stays a usable model, and a run stopped
before its first epoch leaves nothing behind. torch is imported in `load()`, on the worker thread.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.torch_training import TorchTrainingEngine
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.train.job import TrainParams, check_model_name, model_id_for

log = logging.getLogger(__name__)


class TrainEngine(TorchTrainingEngine):
    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        from aigc_desktop.core.train import checkpoint
        from aigc_desktop.core.train.dataset import load_images
        from aigc_desktop.core.train.trainer import Trainer

        params = TrainParams.from_spec(spec).resolved()
        images_dir = Path(str(spec.inputs.get("images_dir") or ""))
        name = check_model_name(str(spec.inputs.get("name") or ""))
        if not images_dir.is_dir():
            raise UserError(QT_TRANSLATE_NOOP("Training", "There is no folder at {folder}.").format(folder=images_dir))
        seed = spec.seed if spec.seed is not None else 0
        models_dir = ctx.models_dir
        started = time.perf_counter()
        folder = checkpoint.reserve_folder(models_dir, name)
        try:
            ctx.progress(
                0.0,
                QT_TRANSLATE_NOOP("Training", "Reading pictures in {folder}…").format(folder=images_dir.name),
            )

            def reading(done: int, total: int) -> None:
                if done % 25 == 0 or done == total:  # thousands of files must not mean thousands of GUI wake-ups
                    ctx.progress(
                        None,
                        QT_TRANSLATE_NOOP("Training", "Reading pictures {done}/{total}…").format(
                            done=done, total=total
                        ),
                    )

            images = load_images(images_dir, on_progress=reading, check_cancel=ctx.cancel.check)
            if images.skipped:
                log.info("training %s: skipped %s", name, [str(p) for p, _ in images.skipped])
            trainer = Trainer(
                params,
                images.images,
                seed,
                device=self._device,
                folder=folder,
                meta={"name": name},
                model_id=model_id_for(name),
                skipped=len(images.skipped),
            )
            kind = "DCGAN" if params.kind == "gan" else "VAE"
            ctx.progress(
                0.0,
                QT_TRANSLATE_NOOP("Training", "Training a {kind} on {count} pictures…").format(
                    kind=kind, count=len(images)
                ),
            )
            output = trainer.run(ctx)
        except BaseException:
            checkpoint.release_folder(folder)  # nothing finished: the name is free again
            raise
        seconds = time.perf_counter() - started
        metrics = {
            "images": output.images,
            "skipped": output.skipped,
            "epochs": output.epochs,
            "images_per_second": round(output.images_per_second, 2),
            "train_seconds": round(output.seconds, 3),
            "device": self._device,
            "precision": trainer.precision,
            "threads": self.threads(),
        }
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)
