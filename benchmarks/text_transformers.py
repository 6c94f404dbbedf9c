"""Text engine overhead: tokens/s of plain `model.generate` vs the app's TransformersTextEngine through EngineHost, on
the same folder, prompt and greedy settings, for fp32 and bf16 on this machine. Prints numbers, asserts nothing.

The model is a random-weight ~0.5B causal LM with the real Qwen2-0.5B shape (hidden 896, 24 layers, 14 heads, 2 KV
heads, intermediate 4864, vocab 151936, tied embeddings): speed depends on the shape, not on the values.

    .venv/bin/python benchmarks/text_transformers.py [--tokens 32] [--dtypes float32,bfloat16]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tiny_models: the offline byte-level tokenizer
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

PROMPT = "The best way to learn a new language is"


def build_model(folder: Path) -> None:
    import torch
    from tiny_models import build_tokenizer
    from transformers import Qwen2Config, Qwen2ForCausalLM

    config = Qwen2Config(
        vocab_size=151936,
        hidden_size=896,
        intermediate_size=4864,
        num_hidden_layers=24,
        num_attention_heads=14,
        num_key_value_heads=2,
        max_position_embeddings=32768,
        tie_word_embeddings=True,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
    )
    torch.manual_seed(0)
    with torch.device("cpu"):
        model = Qwen2ForCausalLM(config)
    tokenizer = build_tokenizer()
    # The tokenizer's few hundred ids are all valid in the big vocabulary. Zeroing the (tied) embedding rows past them
    # gives those ids logit 0, below the best of the random rest, so greedy output stays inside the tokenizer and
    # the app really decodes and streams text (unknown ids would decode to nothing and flatter the app).
    with torch.no_grad():
        model.get_input_embeddings().weight[len(tokenizer) :] = 0
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    print(f"built {sum(p.numel() for p in model.parameters()) / 1e6:.0f}M params in {folder}", flush=True)


class Plain:
    """The library alone: what a user's own script would do with the folder."""

    def __init__(self, folder: Path, dtype_name: str) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        # Where the app's engine runs: the GPU when there is one (there the engine picks bf16, or fp16 without it).
        device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self.model = (
            AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, dtype=getattr(torch, dtype_name))
            .eval()
            .to(device)
        )
        self.encoded = self.tokenizer(PROMPT, return_tensors="pt").to(device)

    def generate(self, tokens: int) -> float:
        """tok/s of one greedy generate() of exactly `tokens` new tokens."""
        with self.torch.inference_mode():
            started = time.perf_counter()
            out = self.model.generate(**self.encoded, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
            seconds = time.perf_counter() - started
        return int(out.shape[1] - self.encoded["input_ids"].shape[1]) / seconds


class App:
    """The app's engine through EngineHost, exactly as the worker runs a text job."""

    def __init__(self, folder: Path, dtype_name: str) -> None:
        from aigc_desktop.core.engines import text_transformers
        from aigc_desktop.core.engines.base import RunContext
        from aigc_desktop.core.engines.host import EngineHost
        from aigc_desktop.core.models.registry import ModelRegistry
        from aigc_desktop.core.paths import app_paths

        self.folder = folder
        self.ctx = RunContext()
        self.host = EngineHost(ModelRegistry(app_paths().ensure()))
        # The engine picks its CPU dtype per CPU unless this module constant names one: each row sets it for the load.
        chosen = text_transformers.CPU_DTYPE
        text_transformers.CPU_DTYPE = dtype_name
        try:
            self.host.ensure_loaded(str(folder), self.ctx)
        finally:
            text_transformers.CPU_DTYPE = chosen
        self.metrics: dict[str, Any] = {}

    def generate(self, tokens: int) -> float:
        from aigc_desktop.core.text.job import TextParams, text_spec

        # repetition_penalty 1.0: the plain run uses none either.
        params = TextParams(max_new_tokens=tokens, greedy=True, repetition_penalty=1.0)
        started = time.perf_counter()
        result = self.host.run(text_spec(str(self.folder), PROMPT, params, seed=0), self.ctx)
        seconds = time.perf_counter() - started
        self.metrics = dict(result.metrics)
        return int(result.output.new_tokens) / seconds

    def close(self) -> None:
        self.host.unload_all()


def compare(folder: Path, dtype_name: str, tokens: int, rounds: int) -> None:
    plain = Plain(folder, dtype_name)
    app = App(folder, dtype_name)
    plain.generate(4)  # warm-up: first-call allocations, thread pool start
    app.generate(4)
    # Alternating runs, best of each: this CPU is shared, and a neighbour's burst should not decide the ratio.
    plain_runs: list[float] = []
    app_runs: list[float] = []
    for _ in range(rounds):
        plain_runs.append(plain.generate(tokens))
        app_runs.append(app.generate(tokens))
    best_plain, best_app = max(plain_runs), max(app_runs)
    print(f"[{dtype_name}] plain model.generate: best {best_plain:.2f} tok/s  (runs {fmt(plain_runs)})", flush=True)
    print(
        f"[{dtype_name}] app engine (EngineHost): best {best_app:.2f} tok/s  (runs {fmt(app_runs)}; "
        f"last: {app.metrics['new_tokens']} tokens, first chunk {app.metrics['first_token_ms']} ms, "
        f"dtype {app.metrics['dtype']}, {app.metrics['threads']} threads)",
        flush=True,
    )
    print(f"[{dtype_name}] ratio app/plain: {best_app / best_plain:.3f}", flush=True)
    app.close()
    del plain


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dtypes", default="float32,bfloat16")
    args = parser.parse_args()
    import torch
    from transformers.utils import logging as hf_logging

    from aigc_desktop.core.engines.text_transformers import cpu_dtype_name, physical_cores

    hf_logging.disable_progress_bar()
    torch.set_num_threads(physical_cores())  # the same threads for the plain runs as the engine uses
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.tokens} new tokens, greedy", flush=True)
    capability = torch.backends.cpu.get_cpu_capability()
    print(f"CPU capability {capability}: the engine's default CPU dtype is {cpu_dtype_name()}", flush=True)
    if torch.cuda.is_available():
        print(f"GPU {torch.cuda.get_device_name(0)}: both sides run there (the engine in bf16, or fp16 without it)")
    with tempfile.TemporaryDirectory(prefix="aigc-qwen2-shape-") as tmp:
        folder = Path(tmp) / "qwen2-0.5b-shape"
        started = time.perf_counter()
        build_model(folder)
        print(f"build + save: {time.perf_counter() - started:.1f} s", flush=True)
        for dtype_name in args.dtypes.split(","):
            compare(folder, dtype_name, args.tokens, args.rounds)


if __name__ == "__main__":
    main()
