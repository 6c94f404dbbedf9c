"""Learn my style's training step on a model of Gemma 3 270M's real shape (random weights: speed depends on the shape,
not the values), saved as a transformers folder and trained through the app's EngineHost exactly as a style job runs,
on the GPU when there is one, else on the CPU. Prints seconds per step and tokens per second; asserts nothing.

The embedded GGUF (253 MB) cannot travel to a lent GPU machine; this shape can be built there in seconds.

    .venv/bin/python benchmarks/style_step.py [--steps 8] [--precision fp32|bf16]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tiny_models: the offline tokenizer
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

BASE = "gemma3-270m-shape"


def build(folder: Path) -> None:
    import tiny_models
    import torch
    from transformers import AutoModelForCausalLM, Gemma3TextConfig

    config = Gemma3TextConfig(
        vocab_size=262144,
        hidden_size=640,
        intermediate_size=2048,
        num_hidden_layers=18,
        num_attention_heads=4,
        num_key_value_heads=1,
        head_dim=256,
        max_position_embeddings=32768,
        sliding_window=512,
        pad_token_id=tiny_models.PAD_ID,
        bos_token_id=tiny_models.BOS_ID,
        eos_token_id=tiny_models.EOS_ID,
    )
    torch.manual_seed(0)
    AutoModelForCausalLM.from_config(config).save_pretrained(folder)
    tiny_models.build_tokenizer(add_bos=True).save_pretrained(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"))
    args = parser.parse_args()

    import torch

    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.train.style_job import StyleOutput, StyleParams, StyleProgress, learn_style_spec

    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU, {torch.get_num_threads()} threads"
    print(f"torch {torch.__version__}; {device}", flush=True)
    paths = app_paths().ensure()
    started = time.perf_counter()
    build(paths.models_dir / BASE)
    print(f"built and saved {BASE} in {time.perf_counter() - started:.1f} s", flush=True)
    texts = Path(tempfile.mkdtemp(prefix="aigc-style-texts-"))
    rng = random.Random(0)
    words = ["river", "stone", "morning", "light", "garden", "window", "letter", "bread", "winter", "road", "music"]
    (texts / "corpus.txt").write_text(
        "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(400)), encoding="utf-8"
    )
    params = StyleParams(minutes=10, steps=args.steps, sample_tokens=0, precision=args.precision)
    spec = learn_style_spec(name="bench", base=BASE, texts=[texts], params=params, seed=0)
    times: list[float] = []
    ctx = RunContext(
        on_partial=lambda payload: times.append(time.perf_counter()) if isinstance(payload, StyleProgress) else None
    )
    host = EngineHost(ModelRegistry(paths))
    try:
        started = time.perf_counter()
        output = host.run(spec, ctx).output
        job = time.perf_counter() - started
    finally:
        host.unload_all()
    assert isinstance(output, StyleOutput)
    steady = [b - a for a, b in itertools.pairwise(times[1:])]  # after the first step's warm-up
    per_step = sorted(steady)[len(steady) // 2] if steady else output.seconds_per_step
    tokens = params.batch_size * params.block_tokens
    print(
        f"{output.steps} steps of {params.batch_size}×{params.block_tokens} tokens ({args.precision}): median "
        f"{per_step:.3f} s/step after the first ({tokens / per_step:.0f} tokens/s); the job's own figure "
        f"{output.seconds_per_step:.3f} s/step; whole job {job:.1f} s; held-back perplexity "
        f"{output.perplexity_before:.1f} -> {output.perplexity_after:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
