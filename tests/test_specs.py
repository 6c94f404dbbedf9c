from __future__ import annotations

import dataclasses

import pytest

from aigc_desktop.core.specs import MAX_SEED, JobKind, JobSpec


def test_spec_round_trips_through_json_dict() -> None:
    spec = JobSpec(kind=JobKind.TEXT, model_id="m", inputs={"prompt": "你好"}, params={"temperature": 0.7}, seed=5)
    again = JobSpec.from_dict(spec.to_dict())
    assert again == spec
    assert again.inputs["prompt"] == "你好"


def test_spec_is_frozen_inside_and_out() -> None:
    spec = JobSpec(kind="image", model_id="m", params={"steps": 4})  # type: ignore[arg-type]
    assert spec.kind is JobKind.IMAGE
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.model_id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.params["steps"] = 5  # type: ignore[index]


def test_resolved_picks_a_seed_once_and_replay_keeps_it() -> None:
    spec = JobSpec(kind=JobKind.TEXT, model_id="m")
    resolved = spec.resolved()
    assert resolved.seed is not None and 0 <= resolved.seed <= MAX_SEED
    assert resolved.resolved() is resolved
    replay = resolved.replay()
    assert replay.seed == resolved.seed and replay.id != resolved.id
    assert (replay.inputs, replay.params, replay.model_id) == (resolved.inputs, resolved.params, resolved.model_id)


@pytest.mark.parametrize(
    "bad", [{"kind": "nope", "model_id": "m"}, {"model_id": "m"}, {"kind": "text", "model_id": "m", "seed": -1}]
)
def test_invalid_spec_dicts_raise_value_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        JobSpec.from_dict(bad)
