"""`aigc learn-style`: teach a text model the user's style (a LoRA adapter) from their texts, headless, through the same
style trainer and EngineHost as the window's Tools ▸ Learn my style…; and `aigc styles` to list, rename, remove,
export and import the styles.

Every input is checked before torch loads (a bad one is one line on stderr, exit 2): the texts (read and counted),
the base model, the name, the memory. Progress goes to stderr: one line when the plan is made, a line every tenth of
the steps, and one per saved epoch. `--json` prints one object at the end. Ctrl+C stops at once and keeps the last
finished epoch (exit 130); `--resume` continues it later.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aigc_desktop.cli.common import open_registry, quiet_libraries
from aigc_desktop.cli.training import TrainingLines, run_training
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.units import human_duration

if TYPE_CHECKING:
    from aigc_desktop.core.train.style_job import StyleOutput


def register(sub: Any) -> None:
    """Adds `learn-style` and `styles` to the `aigc` sub-command parser."""
    learn = sub.add_parser("learn-style", help="learn your writing style from your texts (a LoRA on a text model)")
    learn.add_argument("--texts", nargs="+", metavar="PATH", help=".txt/.md/.docx files or folders of them")
    learn.add_argument("--base", metavar="ID", help="the text model to teach (default: the embedded Gemma)")
    learn.add_argument("--minutes", type=float, default=10.0, help="time budget in minutes (default 10)")
    learn.add_argument("--out", required=True, metavar="NAME", help="the style's name (listed as '<base> · NAME')")
    learn.add_argument("--steps", type=int, help="exactly this many steps instead of the time budget")
    learn.add_argument(
        "--seed", type=int, default=0, help="random seed (default 0): same seed, texts, settings → same style"
    )
    learn.add_argument("--resume", action="store_true", help="continue the stopped run named by --out")
    learn.add_argument("--json", action="store_true", help="print one JSON object describing the result")
    learn.set_defaults(func=cmd_learn_style)

    manage = sub.add_parser("styles", help="list, rename, remove, export or import learned styles")
    actions = manage.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="the styles in the models folder")
    listing.add_argument("--json", action="store_true", help="print JSON")
    rename = actions.add_parser("rename", help="rename a style")
    rename.add_argument("old")
    rename.add_argument("new")
    remove = actions.add_parser("remove", help="delete a style (its adapter; your texts are not touched)")
    remove.add_argument("name")
    export = actions.add_parser("export", help="write a style to one small .aigcstyle file")
    export.add_argument("name")
    export.add_argument("file")
    imp = actions.add_parser("import", help="add the style in an .aigcstyle file")
    imp.add_argument("file")
    imp.add_argument("--name", help="import under this name")
    manage.set_defaults(func=cmd_styles)


class _Lines(TrainingLines["StyleOutput"]):
    """Progress on stderr: the plan, a step line every tenth of the run, one line per saved epoch."""

    made = ("style trainer", "style")

    def partial(self, payload: Any) -> None:
        from aigc_desktop.core.train.style_job import StyleEpoch, StylePrepared, StyleProgress

        if isinstance(payload, StylePrepared):
            c = payload.corpus
            self._print(
                f"aigc: {c.words} words, {c.tokens} tokens in {len(c.files)} source(s); {payload.held_back_blocks} "
                f"block(s) of {payload.block_tokens} tokens held back; {payload.total_steps} steps in "
                f"{payload.epochs} epoch(s) at {payload.seconds_per_step:.2f} s/step on {payload.device}; held-back "
                f"perplexity {payload.perplexity_before:.2f}"
            )
            for problem in c.problems:
                self._print(f"aigc: skipped {problem}")
        elif isinstance(payload, StyleProgress):
            every = max(1, payload.total_steps // 10)
            if payload.step % every == 0 and payload.step != payload.total_steps:
                eta = f" · ETA {human_duration(payload.eta_seconds)}" if payload.eta_seconds else ""
                self._print(
                    f"step {payload.step}/{payload.total_steps} · loss {payload.loss:.4f} · "
                    f"{payload.tokens_per_second:.0f} tokens/s{eta}"
                )
        elif isinstance(payload, StyleEpoch):
            self.saved_epoch, self.saved_path = payload.epoch, payload.saved_path
            self._print(
                f"epoch {payload.epoch}/{payload.epochs} · step {payload.step} · loss {payload.mean_loss:.4f} · "
                f"held-back perplexity {payload.perplexity_before:.2f} → {payload.perplexity_now:.2f} · saved"
            )
            if payload.sample_text:
                sample = (payload.sample_prompt + "⟨" + payload.sample_text + "⟩").replace("\n", " ")
                self._print(f"  sample: {sample[:200]}")

    def summary(self, output: StyleOutput) -> str:
        return (
            f"Saved style {output.model_id} to {output.path}: {output.epochs} epoch(s), {output.steps} steps in "
            f"{human_duration(output.seconds)}; held-back perplexity {output.perplexity_before:.2f} → "
            f"{output.perplexity_after:.2f}."
        )

    def details(self, output: StyleOutput) -> Mapping[str, Any]:
        return {
            "base": output.record.base_model_id,
            "words": output.record.words,
            "tokens": output.record.tokens,
            "epochs": output.epochs,
            "steps": output.steps,
            "seconds": round(output.seconds, 3),
            "seconds_per_step": round(output.seconds_per_step, 4),
            "words_per_minute": round(output.words_per_minute, 1),
            "perplexity_before": round(output.perplexity_before, 4),
            "perplexity_after": round(output.perplexity_after, 4),
        }


def cmd_learn_style(args: argparse.Namespace) -> int:
    # Only light imports until every input is checked: bad input must fail before torch loads.
    from aigc_desktop.core.models import embedded, styles
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.train.corpus import scan_corpus
    from aigc_desktop.core.train.style_job import StyleParams, check_memory, learn_style_spec, trainable_base

    paths = app_paths().ensure()
    registry = open_registry(paths)
    name = styles.check_style_name(args.out)
    if args.steps is not None and args.steps <= 0:
        raise UserError("--steps must be 1 or more.")
    if args.resume:
        if args.texts:
            raise UserError("--resume continues with the stopped run's own texts; leave out --texts.")
        run = next((r for r in styles.find_resumable(paths.models_dir) if r.name == name), None)
        if run is None:
            raise UserError(f"There is no stopped run of '{name}' to resume.")
        spec = learn_style_spec(name=name, base="", resume=True)
        base = registry.get(run.base_model_id)
        print(
            f"aigc: resuming '{name}' after epoch {run.epochs_done}/{run.epochs_planned} "
            f"(step {run.steps_done}/{run.total_steps}) on {base.name}",
            file=sys.stderr,
            flush=True,
        )
    else:
        if not args.texts:
            raise UserError("--texts: give the files or folders to learn from.")
        fields: dict[str, Any] = {"minutes": args.minutes}
        if args.steps is not None:
            fields["steps"] = args.steps
        params = StyleParams(**fields)
        base = registry.get(args.base or embedded.GEMMA_ID)
        trainable_base(base)
        styles.check_style_name_free(paths.models_dir, name)
        corpus = scan_corpus(args.texts)
        check_memory(base, params)
        spec = learn_style_spec(name=name, base=base.id, texts=args.texts, params=params, seed=args.seed)
        print(
            f"aigc: learning '{name}' on {base.name} from {corpus.summary.words} words in "
            f"{len(corpus.summary.files)} file(s) for {args.minutes:g} min into "
            f"{styles.style_folder(paths.models_dir, name)}",
            file=sys.stderr,
            flush=True,
        )
    from aigc_desktop.core.engines.host import BUILTIN_MODELS
    from aigc_desktop.core.train.style_job import STYLE_TRAINER_MODEL_ID, StyleOutput

    quiet_libraries(paths)
    lines = _Lines(sys.stderr, StyleOutput, resume_hint=f"`aigc learn-style --out {name} --resume` continues it")
    return run_training(registry, BUILTIN_MODELS[STYLE_TRAINER_MODEL_ID], spec, lines, as_json=args.json)


def cmd_styles(args: argparse.Namespace) -> int:
    from aigc_desktop.core.models import styles
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.specs import ModelKind

    paths = app_paths().ensure()
    models_dir = paths.models_dir
    if args.action == "list":
        bases = open_registry(paths).entries(ModelKind.TEXT)
        found = styles.list_styles(models_dir, bases)
        if args.json:
            rows = [
                {**s.record.to_dict(), "id": s.record.model_id, "path": str(s.path), "usable": s.usable} for s in found
            ]
            print(json.dumps(rows, ensure_ascii=False))
        elif not found:
            print("No styles yet: `aigc learn-style --texts PATH --out NAME` learns one.")
        for s in found if not args.json else []:
            r = s.record
            missing = "" if s.usable else " (base model not installed)"
            print(
                f"{r.model_id}\t{r.base_model_id}{missing}\t{r.words} words\tepoch {r.epochs_done}/{r.epochs_planned}"
                f"\t{r.status}\tperplexity {r.perplexity_before:.2f} → {r.perplexity_after:.2f}"
            )
    elif args.action == "rename":
        style = styles.rename_style(models_dir, args.old, args.new)
        print(f"Renamed to {style.record.model_id}.")
    elif args.action == "remove":
        styles.remove_style(models_dir, args.name)
        print(f"Removed style {args.name}.")
    elif args.action == "export":
        target = styles.export_style(models_dir, args.name, Path(args.file).expanduser())
        print(f"Exported {args.name} to {target}.")
    elif args.action == "import":
        style = styles.import_style(models_dir, Path(args.file).expanduser(), args.name)
        print(f"Imported {style.record.model_id}.")
    return 0
