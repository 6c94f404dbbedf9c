"""Job specs: the one description of a generation that the UI, CLI, queue, engines, history and Regenerate share."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

JsonValue = Any  # str | int | float | bool | None | list | dict of those; kept loose so specs stay JSON-serialisable
P = TypeVar("P", bound="DataclassInstance")


class JobKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    SPEECH = "speech"
    MUSIC = "music"
    TRAIN = "train"
    SYSTEM = "system"


class ModelKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    SPEECH = "speech"
    MUSIC = "music"
    SYSTEM = "system"  # built-in tools such as the hardware check; never listed as models


MAX_SEED = 2**32 - 1


def parse_seed(text: str) -> int | None:
    """A seed typed by the user: blank means random (None); anything else must be a whole number in range."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_SEED:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "JobSpec", "The seed must be a whole number from 0 to {max}, or blank for random."
            ).format(max=MAX_SEED)
        )
    return int(text)


def _frozen(mapping: Mapping[str, JsonValue] | None) -> Mapping[str, JsonValue]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class JobSpec:
    """Everything needed to run (and re-run) one generation.

    `inputs` holds what the user gave (prompt, text, init image...), `params` the knobs (steps, temperature...).
    A spec with `seed=None` asks for a random seed; `resolved()` picks one so the history can replay it exactly.
    """

    kind: JobKind
    model_id: str
    inputs: Mapping[str, JsonValue] = field(default_factory=dict)
    params: Mapping[str, JsonValue] = field(default_factory=dict)
    seed: int | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", JobKind(self.kind))
        object.__setattr__(self, "inputs", _frozen(self.inputs))
        object.__setattr__(self, "params", _frozen(self.params))
        if self.seed is not None and not 0 <= int(self.seed) <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}")

    def resolved(self) -> JobSpec:
        """The same spec with a concrete seed (random when none was asked for)."""
        if self.seed is not None:
            return self
        return replace(self, seed=random.SystemRandom().randint(0, MAX_SEED))

    def replay(self) -> JobSpec:
        """A new job (fresh id and time) with exactly the same request, seed included: what Regenerate runs."""
        return replace(self, id=uuid.uuid4().hex, created_at=time.time())

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "model_id": self.model_id,
            "inputs": dict(self.inputs),
            "params": dict(self.params),
            "seed": self.seed,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, JsonValue]) -> JobSpec:
        try:
            return cls(
                kind=JobKind(data["kind"]),
                model_id=str(data["model_id"]),
                inputs=dict(data.get("inputs") or {}),
                params=dict(data.get("params") or {}),
                seed=None if data.get("seed") is None else int(data["seed"]),
                id=str(data.get("id") or uuid.uuid4().hex),
                created_at=float(data.get("created_at") or time.time()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a valid job spec: {exc}") from exc


def params_from_spec(
    cls: type[P], spec: JobSpec, bad: Msg, convert: Mapping[str, Callable[[Any], Any]] | None = None
) -> P:
    """A job's params dataclass (TextParams, ImageParams, ...) built from `spec.params`: keys it does not know (a spec
    from another version of the app) are dropped, `convert` turns a JSON value into the field's type (a list into a
    tuple), and the dataclass validates itself. A value of the wrong type is the UserError `bad` (it has a
    {reason} placeholder), not a traceback."""
    known = {f.name for f in fields(cls)}
    values = {k: v for k, v in spec.params.items() if k in known}
    try:
        for key, to_type in (convert or {}).items():
            if key in values:
                values[key] = to_type(values[key])
        return cls(**values)
    except TypeError as exc:
        raise UserError(bad.format(reason=str(exc))) from exc


@dataclass(frozen=True)
class JobResult:
    """What an engine returns: the spec it ran (seed resolved) plus its output and measurements.

    `output` is kind-specific (texts, images, audio samples, a report); `metrics` holds numbers such as tokens/s.
    """

    spec: JobSpec
    output: Any
    seconds: float
    metrics: Mapping[str, JsonValue] = field(default_factory=dict)
