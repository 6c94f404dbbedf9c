"""What `aigc train-gan` and `aigc learn-style` share: the progress lines' base (stderr, the last saved epoch) and
the run itself with its two endings. Ctrl+C (or a cancelled job) stops at once and says what was kept (exit 130); a
finished run prints one summary line, or one JSON object with --json."""

from __future__ import annotations

import json
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from aigc_desktop.cli.common import EXIT_INTERRUPTED, run_on
from aigc_desktop.core.errors import JobCancelled, UserError

if TYPE_CHECKING:
    from aigc_desktop.core.models.entry import ModelEntry
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.specs import JobSpec

Output = TypeVar("Output")


class TrainingLines(ABC):
    """Progress on stderr, one line at a time; `partial` (the subclass's) sees every partial the trainer sends and
    sets `saved_epoch`/`saved_path` whenever an epoch is saved, so an interrupted run can say what it kept."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self.saved_epoch = 0
        self.saved_path = ""

    def _print(self, text: str) -> None:
        self._err.write(text + "\n")
        self._err.flush()

    @abstractmethod
    def partial(self, payload: Any) -> None: ...


def run_training(
    registry: ModelRegistry,
    trainer: ModelEntry,
    spec: JobSpec,
    lines: TrainingLines,
    *,
    made: tuple[str, str],
    output_type: type[Output],
    summary: Callable[[Output], str],
    report: Callable[[Output], Mapping[str, Any]],
    as_json: bool,
    resume_hint: str = "",
) -> int:
    """Run `spec` on the built-in `trainer`, progress to `lines`. `made` names the trainer and what it makes
    ("trainer", "model"); `resume_hint` tells how to continue an interrupted run, where one can be."""
    from aigc_desktop.core.engines.base import RunContext

    who, what = made
    try:
        result = run_on(registry, trainer, spec, RunContext(on_partial=lines.partial))
    except (KeyboardInterrupt, JobCancelled):
        if lines.saved_epoch:
            kept = f"the {what} as of epoch {lines.saved_epoch} is saved in {lines.saved_path}"
            kept += f"; {resume_hint}" if resume_hint else ""
        else:
            kept = "no epoch had finished, so nothing was saved"
        print(f"aigc: interrupted; {kept}.", file=sys.stderr)
        return EXIT_INTERRUPTED
    output = result.output
    if not isinstance(output, output_type):
        raise UserError(f"The {who} did not return a {what}.")
    print(json.dumps(report(output), ensure_ascii=False) if as_json else summary(output))
    return 0
