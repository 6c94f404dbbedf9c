"""What `aigc train-gan` and `aigc learn-style` share: a training command's output on the terminal (progress lines on
stderr, remembering the last saved epoch; the ending) and the run itself. Ctrl+C (or a cancelled job) stops at once
and says what was kept (exit 130); a finished run prints one summary line, or one JSON object with --json."""

from __future__ import annotations

import json
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TextIO, TypeVar

from aigc_desktop.cli.common import EXIT_INTERRUPTED, run_on
from aigc_desktop.core.errors import JobCancelled, UserError

if TYPE_CHECKING:
    from aigc_desktop.core.models.entry import ModelEntry
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.specs import JobSpec


class Made(Protocol):
    """What every trainer's output says of the model it made (TrainOutput, StyleOutput)."""

    @property
    def model_id(self) -> str: ...

    @property
    def path(self) -> Path: ...


Output = TypeVar("Output", bound=Made)


class TrainingLines(ABC, Generic[Output]):
    """A training command's terminal output. The subclass prints progress from the partials (`partial`), setting
    `saved_epoch`/`saved_path` whenever an epoch is saved, and words the ending (`summary`, `details`); `made` names
    the trainer and what it makes, `resume_hint` how to continue an interrupted run (where one can be)."""

    made: tuple[str, str] = ("trainer", "model")

    def __init__(self, err: TextIO, output_type: type[Output], resume_hint: str = "") -> None:
        self._err = err
        self.output_type = output_type
        self.resume_hint = resume_hint
        self.saved_epoch = 0
        self.saved_path = ""

    def _print(self, text: str) -> None:
        self._err.write(text + "\n")
        self._err.flush()

    @abstractmethod
    def partial(self, payload: Any) -> None: ...

    @abstractmethod
    def summary(self, output: Output) -> str: ...

    @abstractmethod
    def details(self, output: Output) -> Mapping[str, Any]:
        """The --json report's fields after the model's id and folder."""

    def report(self, output: Output) -> dict[str, Any]:
        return {"model": output.model_id, "path": str(output.path), **self.details(output)}

    def interrupted(self) -> str:
        if not self.saved_epoch:
            return "aigc: interrupted; no epoch had finished, so nothing was saved."
        hint = f"; {self.resume_hint}" if self.resume_hint else ""
        return (
            f"aigc: interrupted; the {self.made[1]} as of epoch {self.saved_epoch} is saved in {self.saved_path}{hint}."
        )


def run_training(
    registry: ModelRegistry, trainer: ModelEntry, spec: JobSpec, lines: TrainingLines[Any], as_json: bool
) -> int:
    """Run `spec` on the built-in `trainer`, its progress and its ending on the terminal through `lines`."""
    from aigc_desktop.core.engines.base import RunContext

    try:
        result = run_on(registry, trainer, spec, RunContext(on_partial=lines.partial))
    except (KeyboardInterrupt, JobCancelled):
        print(lines.interrupted(), file=sys.stderr)
        return EXIT_INTERRUPTED
    output = result.output
    if not isinstance(output, lines.output_type):
        who, what = lines.made
        raise UserError(f"The {who} did not return a {what}.")
    print(json.dumps(lines.report(output), ensure_ascii=False) if as_json else lines.summary(output))
    return 0
