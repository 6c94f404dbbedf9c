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


@pytest.mark.parametrize(
    ("params_class", "wrong", "context", "source"),
    [
        ("TextParams", {"max_new_tokens": "many"}, "TextParams", "Bad text parameters: {reason}"),
        ("SpeechParams", {"length_scale": "slow"}, "AudioJob", "Bad audio parameters: {reason}"),
        ("MusicParams", {"duration_s": "long"}, "AudioJob", "Bad audio parameters: {reason}"),
        ("ImageParams", {"steps": "x"}, "ImageJob", "Bad image parameters: {reason}"),
        ("TrainParams", {"epochs": "x"}, "Training", "Bad training parameters: {reason}"),
        ("StyleParams", {"minutes": None}, "LearnStyle", "Bad style-training parameters: {reason}"),
    ],
)
def test_every_params_class_reads_a_spec_the_same_way(
    params_class: str, wrong: dict[str, object], context: str, source: str
) -> None:
    """params_from_spec: keys from another version are dropped, the rest validated; a value of the wrong type is
    the class's own marked UserError, not a TypeError."""
    from aigc_desktop.core.audio.job import MusicParams, SpeechParams
    from aigc_desktop.core.errors import UserError
    from aigc_desktop.core.i18n import Msg
    from aigc_desktop.core.image.job import ImageParams
    from aigc_desktop.core.text.job import TextParams
    from aigc_desktop.core.train.job import TrainParams
    from aigc_desktop.core.train.style_job import StyleParams

    cls: type = {c.__name__: c for c in (TextParams, SpeechParams, MusicParams, ImageParams, TrainParams, StyleParams)}[
        params_class
    ]
    default = cls()
    spec = JobSpec(kind=JobKind.TEXT, model_id="m", params={**default.to_params(), "from_a_newer_app": 1})
    assert cls.from_spec(spec) == default
    with pytest.raises(UserError) as caught:
        cls.from_spec(JobSpec(kind=JobKind.TEXT, model_id="m", params=wrong))
    message = caught.value.message
    assert isinstance(message, Msg) and (message.context, message.source) == (context, source)
    assert str(message).startswith(source.split("{")[0]) and len(str(message)) > len(source.split("{")[0])


def test_text_params_stop_list_becomes_a_tuple_and_a_bad_one_is_a_user_error() -> None:
    from aigc_desktop.core.errors import UserError
    from aigc_desktop.core.text.job import TextParams

    spec = JobSpec(kind=JobKind.TEXT, model_id="m", params={"stop": ["\n\n", "", "THE END"]})
    assert TextParams.from_spec(spec).stop == ("\n\n", "THE END")
    assert TextParams.from_spec(JobSpec(kind=JobKind.TEXT, model_id="m", params={"stop": None})).stop == ()
    with pytest.raises(UserError, match="Bad text parameters"):
        TextParams.from_spec(JobSpec(kind=JobKind.TEXT, model_id="m", params={"stop": 5}))
