"""Tiny random-weight MusicGen models of the real architecture, built offline and saved like a user's model folder.

The text side is a real T5 Unigram tokenizer over a small vocabulary written here (words, letters, digits), so any
English prompt tokenises; the audio side is a real EnCodec 32 kHz codec (50 frames per second, 4 codebooks of 2048
codes, as musicgen-small) with very few filters. Building, saving and loading take about a second; generating 1 s of
audio takes a few tenths of a second on one CPU thread.

The same builders make the musicgen-small-shaped model of benchmarks/music.py (`musicgen_small_config`).
Heavy imports (torch, transformers) happen inside the functions, so importing this module from conftest is free.
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path
from typing import Any

SAMPLING_RATE = 32_000
UPSAMPLING_RATIOS = [8, 5, 4, 4]  # hop 640 samples: 50 frames per second at 32 kHz
FRAME_RATE = SAMPLING_RATE // 640
NUM_CODEBOOKS = 4
CODEBOOK_SIZE = 2048  # 11 bits: with 2.2 kbps at 50 Hz EnCodec uses exactly 4 codebooks, as musicgen-small
WORDS = [
    "a",
    "the",
    "and",
    "of",
    "with",
    "in",
    "on",
    "for",
    "music",
    "song",
    "beat",
    "melody",
    "rhythm",
    "piano",
    "guitar",
    "drums",
    "bass",
    "violin",
    "synth",
    "choir",
    "calm",
    "happy",
    "sad",
    "slow",
    "fast",
    "soft",
    "loud",
    "jazz",
    "rock",
    "pop",
    "lofi",
    "ambient",
    "classical",
    "electronic",
    "folk",
    "upbeat",
    "dreamy",
]


def tokenizer_vocab() -> list[tuple[str, float]]:
    """T5's layout: <pad>=0, </s>=1, <unk>=2, then pieces with log-probability scores (whole words likelier)."""
    pieces: list[tuple[str, float]] = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    pieces += [(f"▁{w}", -3.0) for w in WORDS]
    pieces += [(c, -5.0) for c in string.ascii_lowercase + string.ascii_uppercase + string.digits + ".,!?'-"]
    pieces += [(f"▁{c}", -6.0) for c in string.ascii_lowercase]
    return pieces


def build_tokenizer() -> Any:
    from transformers import T5Tokenizer

    return T5Tokenizer(vocab=tokenizer_vocab(), extra_ids=0)


def build_processor() -> Any:
    from transformers import EncodecFeatureExtractor, MusicgenProcessor

    extractor = EncodecFeatureExtractor(feature_size=1, sampling_rate=SAMPLING_RATE, padding_value=0.0)
    return MusicgenProcessor(feature_extractor=extractor, tokenizer=build_tokenizer())


def _config(text: dict[str, Any], audio: dict[str, Any], decoder: dict[str, Any]) -> Any:
    from transformers import EncodecConfig, MusicgenConfig, MusicgenDecoderConfig, T5Config

    special = CODEBOOK_SIZE  # one past the last code, as in the released checkpoints
    return MusicgenConfig(
        text_encoder=T5Config(**text),
        audio_encoder=EncodecConfig(
            sampling_rate=SAMPLING_RATE,
            audio_channels=1,
            upsampling_ratios=UPSAMPLING_RATIOS,
            codebook_size=CODEBOOK_SIZE,
            target_bandwidths=[2.2],
            **audio,
        ),
        decoder=MusicgenDecoderConfig(
            vocab_size=CODEBOOK_SIZE,
            num_codebooks=NUM_CODEBOOKS,
            pad_token_id=special,
            decoder_start_token_id=special,
            bos_token_id=special,
            **decoder,
        ),
    )


def tiny_config(vocab_size: int) -> Any:
    return _config(
        text={"vocab_size": vocab_size, "d_model": 32, "d_ff": 64, "num_layers": 2, "num_heads": 2, "d_kv": 16},
        audio={"hidden_size": 32, "num_filters": 4, "num_residual_layers": 1, "num_lstm_layers": 1, "codebook_dim": 32},
        decoder={"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "ffn_dim": 64},
    )


def musicgen_small_config(vocab_size: int = 32128) -> Any:
    """The public facebook/musicgen-small shapes (ENVIRONMENT.md, "Real-size shapes"): 588M parameters."""
    return _config(
        text={"vocab_size": vocab_size, "d_model": 768, "d_ff": 3072, "num_layers": 12, "num_heads": 12, "d_kv": 64},
        audio={"hidden_size": 128, "num_filters": 64, "num_lstm_layers": 2},
        decoder={"hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16, "ffn_dim": 4096},
    )


def build_model(config: Any, seed: int = 0) -> Any:
    import torch
    from transformers import MusicgenForConditionalGeneration

    torch.manual_seed(seed)
    model = MusicgenForConditionalGeneration(config).eval()
    # EnCodec's codebooks start as zeros (training fills them), so every code would decode to the same sound and
    # different music could not be told apart: give each code its own random vector, as a trained codec has.
    with torch.no_grad():
        for layer in model.audio_encoder.quantizer.layers:
            layer.codebook.embed.normal_()
            layer.codebook.embed_avg.copy_(layer.codebook.embed)
    # The released checkpoints' generation_config.json: sampling, guidance 3, top-k 250, up to 30 s.
    gen = model.generation_config
    gen.decoder_start_token_id = gen.pad_token_id = gen.bos_token_id = CODEBOOK_SIZE
    gen.do_sample, gen.guidance_scale, gen.top_k, gen.max_length = True, 3.0, 250, 1500
    return model


def save_music_model(folder: Path, config: Any | None = None, seed: int = 0) -> Path:
    """A model folder as a user gets it: config, safetensors weights, tokenizer and processor files."""
    processor = build_processor()
    model = build_model(config or tiny_config(len(processor.tokenizer)), seed)
    model.save_pretrained(folder)  # safetensors by default
    processor.save_pretrained(folder)
    return folder


def save_pickle_only(folder: Path) -> Path:
    """The same tiny model with only a pytorch_model.bin (the legacy pickle format) for its weights."""
    import torch

    processor = build_processor()
    model = build_model(tiny_config(len(processor.tokenizer)))
    folder.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(folder)
    model.generation_config.save_pretrained(folder)
    processor.save_pretrained(folder)
    torch.save(model.state_dict(), folder / "pytorch_model.bin")
    return folder


def copy_model(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
