"""Tiny random-weight Piper voices of the real architecture: Piper's own VITS generator (piper.train.vits, as Piper's
trainer builds it) with very few channels, exported to ONNX the way Piper's `export_onnx` does (same inputs, outputs,
opset and RandomNormalLike noise nodes), beside an .onnx.json config.

`HUAYAN_CONFIG` is the config of the catalog's Chinese voice, zh_CN-huayan-medium (rhasspy/piper-voices v1.0.0):
Piper 1.0.0, medium quality, 22050 Hz, one speaker, 256 symbols, `phoneme_type` "espeak" with eSpeak's Mandarin voice
"cmn", and the espeak IPA `phoneme_id_map` that the 1.0.0 voices share (151 ids, ɕ 55 ʂ 95 ʐ 106 ɤ 69 ɥ 70; the
embedded en_US joe voice has the same map). Only the network's size differs from the real voice, and its weights.

Building takes a few seconds (torch import, one trace). Heavy imports happen inside the functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OPSET_VERSION = 15  # piper.train.export_onnx's
_V1_IDS = 151  # the 1.0.0 voices' phoneme ids; newer Piper knows a few more (diphthongs, ↑), which they lack


def huayan_config() -> dict[str, Any]:
    """zh_CN-huayan-medium.onnx.json as published (its keys and values; the id map from Piper's inventory)."""
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    return {
        "audio": {"sample_rate": 22050, "quality": "medium"},
        "espeak": {"voice": "cmn"},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": {k: v for k, v in DEFAULT_PHONEME_ID_MAP.items() if v[0] < _V1_IDS},
        "num_symbols": 256,
        "num_speakers": 1,
        "speaker_id_map": {},
        "piper_version": "1.0.0",
        "language": {
            "code": "zh_CN",
            "family": "zh",
            "region": "CN",
            "name_native": "简体中文",
            "name_english": "Chinese",
            "country_english": "China",
        },
        "dataset": "huayan",
    }


def tiny_voice_onnx(config: dict[str, Any], seed: int = 0) -> bytes:
    """A random-weight Piper VITS generator for `config` (its symbols, speakers, hop 256), as ONNX bytes."""
    import torch
    from piper.train.vits.models import SynthesizerTrn
    from torch.onnx._internal.torchscript_exporter import onnx_proto_utils

    torch.manual_seed(seed)
    model = SynthesizerTrn(
        n_vocab=int(config["num_symbols"]),
        spec_channels=513,
        segment_size=32,
        inter_channels=16,
        hidden_channels=16,
        filter_channels=32,
        n_heads=2,
        n_layers=1,
        kernel_size=3,
        p_dropout=0.0,
        resblock="2",
        resblock_kernel_sizes=(3,),
        resblock_dilation_sizes=((1, 2),),
        upsample_rates=(8, 8, 4),  # 256 samples per frame, as Piper's medium voices
        upsample_initial_channel=32,
        upsample_kernel_sizes=(16, 16, 8),
        n_speakers=int(config["num_speakers"]),
        gin_channels=0,
        use_sdp=True,
    )
    model.eval()
    with torch.no_grad():
        model.dec.remove_weight_norm()

    def infer(text: Any, text_lengths: Any, scales: Any, sid: Any = None) -> Any:  # export_onnx's forward
        audio = model.infer(
            text, text_lengths, noise_scale=scales[0], length_scale=scales[1], noise_scale_w=scales[2], sid=sid
        )[0]
        return audio.unsqueeze(1)

    model.forward = infer  # type: ignore[method-assign,assignment]
    sequences = torch.randint(0, int(config["num_symbols"]), (1, 50), dtype=torch.long)
    args = (sequences, torch.LongTensor([50]), torch.FloatTensor([0.667, 1.0, 0.8]), None)
    # torch's TorchScript exporter asks the `onnx` package only to add onnx-script functions, which this model has
    # none of; `onnx` is not installed here, so that step is skipped (the bytes are the exporter's own).
    add_functions = onnx_proto_utils._add_onnxscript_fn
    onnx_proto_utils._add_onnxscript_fn = lambda proto, _opsets: proto
    try:
        import io

        buffer = io.BytesIO()
        torch.onnx.export(
            model,
            args,
            buffer,
            opset_version=OPSET_VERSION,
            input_names=["input", "input_lengths", "scales", "sid"],
            output_names=["output"],
            dynamic_axes={
                "input": {0: "batch_size", 1: "phonemes"},
                "input_lengths": {0: "batch_size"},
                "output": {0: "batch_size", 2: "time"},
            },
            dynamo=False,
        )
    finally:
        onnx_proto_utils._add_onnxscript_fn = add_functions
    return buffer.getvalue()


def config_bytes(config: dict[str, Any]) -> bytes:
    return json.dumps(config, ensure_ascii=False, indent=2).encode("utf-8")


def save_tiny_voice(onnx_path: Path, config: dict[str, Any]) -> Path:
    """`name.onnx` and `name.onnx.json`, as a Piper voice lies in a folder."""
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    onnx_path.write_bytes(tiny_voice_onnx(config))
    onnx_path.with_name(onnx_path.name + ".json").write_bytes(config_bytes(config))
    return onnx_path
