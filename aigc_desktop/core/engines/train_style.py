"""The built-in style trainer: runs a "Learn my style" TRAIN job (core/train/style_job.py) — reads the texts, loads the
base model in float32, trains a LoRA adapter on it (core/train/style_trainer.py) and saves each finished epoch as a
style the registry lists as "<base> · <name>" (core/models/styles.py).

Everything that can be refused is refused before the base loads: a bad name or base, not enough memory (with the
numbers), unreadable or too little text. Stop (cancel) ends the run at the next step; the last saved epoch stays a
usable style and the run stays resumable. A run stopped before its first epoch leaves nothing in the models folder.
The run holds the style's training lock (styles.hold_training_lock) from start to end.
torch is imported in `load()`, on the worker thread.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.torch_training import TorchTrainingEngine
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import styles
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.train.style_job import StyleParams, check_memory, trainable_base

if TYPE_CHECKING:
    from aigc_desktop.core.models.registry import ModelRegistry

log = logging.getLogger(__name__)


class StyleTrainEngine(TorchTrainingEngine):
    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if ctx.registry is None:
            raise UserError(QT_TRANSLATE_NOOP("LearnStyle", "The style trainer needs the model registry."))
        name = styles.check_style_name(str(spec.inputs.get("name") or ""))
        # Held for the whole run: the style cannot be renamed or removed under it (nor its name taken) meanwhile.
        lock = styles.hold_training_lock(ctx.models_dir, name)
        try:
            return self._train(spec, ctx, ctx.registry, name)
        finally:
            lock.release(remove=True)

    def _train(self, spec: JobSpec, ctx: RunContext, registry: ModelRegistry, name: str) -> JobResult:
        from aigc_desktop.core.train import checkpoint
        from aigc_desktop.core.train.corpus import scan_corpus
        from aigc_desktop.core.train.style_trainer import StyleTrainer, load_base

        models_dir = ctx.models_dir
        resume = bool(spec.inputs.get("resume"))
        seed = spec.seed if spec.seed is not None else 0
        started = time.perf_counter()
        epoch_dir: Path | None = None
        if resume:
            run = next((r for r in styles.find_resumable(models_dir) if r.name == name), None)
            if run is None:
                raise UserError(
                    QT_TRANSLATE_NOOP("LearnStyle", "There is no stopped run of '{name}' to resume.").format(name=name)
                )
            record = styles.get_style(models_dir, name).record
            params = StyleParams(**{k: v for k, v in record.params.items() if k in StyleParams.__dataclass_fields__})
            base_id, seed = record.base_model_id, record.seed
            folder = run.path
            epoch_dir = folder / record.adapter_dir
        else:
            params = StyleParams.from_spec(spec)
            base_id = str(spec.inputs.get("base") or "")
            folder = styles.style_folder(models_dir, name)
            styles.check_style_name_free(models_dir, name)
        base = registry.get(base_id)
        trainable_base(base)
        base = registry.materialize(base, ctx.progress)
        check_memory(base, params)
        corpus = None
        if not resume:
            ctx.progress(0.0, QT_TRANSLATE_NOOP("LearnStyle", "Reading your texts…"))
            texts = [str(t) for t in spec.inputs.get("texts") or []]
            document = spec.inputs.get("document_text")
            corpus = scan_corpus(
                texts, document_text=str(document) if document else None, check_cancel=ctx.cancel.check
            )
            folder = styles.reserve_style_folder(models_dir, name)
        try:
            ctx.progress(None, QT_TRANSLATE_NOOP("LearnStyle", "Loading {name} for training…").format(name=base.name))
            model, tokenizer = load_base(base, self._device)
            ctx.cancel.check()
            trainer = StyleTrainer(
                model=model,
                tokenizer=tokenizer,
                base=base,
                params=params,
                seed=seed,
                device=self._device,
                folder=folder,
                name=name,
            )
            if corpus is not None:
                ctx.progress(None, QT_TRANSLATE_NOOP("LearnStyle", "Cutting the texts into tokens…"))
                trainer.prepare_texts(corpus.texts, corpus.summary)
                trainer.attach_adapter()
                output = trainer.run(ctx)
            else:
                assert epoch_dir is not None
                trainer.load_texts()
                trainer.restore(epoch_dir)
                trainer.attach_adapter(resume_from=epoch_dir)
                output = trainer.run(ctx, resumed_from=trainer.state.epoch)
        except (JobCancelled, KeyboardInterrupt):  # Stop in the window, Ctrl+C in `aigc learn-style`
            styles.mark_stopped(folder)
            if not resume:
                checkpoint.release_folder(folder)
            raise
        except BaseException:
            if not resume:
                checkpoint.release_folder(folder)  # nothing saved yet: the name is free again
            raise
        metrics = {
            "words": output.record.words,
            "tokens": output.record.tokens,
            "epochs": output.epochs,
            "steps": output.steps,
            "seconds_per_step": round(output.seconds_per_step, 3),
            "perplexity_before": round(output.perplexity_before, 3),
            "perplexity_after": round(output.perplexity_after, 3),
            "train_seconds": round(output.seconds, 3),
            "device": self._device,
            "threads": self.threads(),
        }
        return JobResult(spec=spec, output=output, seconds=time.perf_counter() - started, metrics=metrics)
