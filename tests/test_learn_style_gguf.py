"""A style learned on the REAL embedded Gemma 270M (a few steps) and converted to a GGUF LoRA: llama.cpp, running it
over the same quantised base file, gives the next-token distribution PyTorch gives for the dequantised base + the peft
adapter; a style whose B matrices are zero changes nothing in llama.cpp; and the app runs the style through the
normal text engine exactly as a bare llama-cpp-python does.

How close: llama.cpp multiplies Q4_K weights with activations quantised to 8 bits, PyTorch with the dequantised float
weights, so even the BASE logits differ (max |Δ| ≈ 1 nat on these prompts). The adapter's effect (logits with the
style minus logits without) is compared too: that difference cancels most of the base's quantisation error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.models import embedded, styles
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.core.text.job import TextOutput
from aigc_desktop.core.train.lora_gguf import gguf_architecture, write_gguf_lora
from aigc_desktop.core.train.style_job import StyleOutput, StyleParams, base_shape, learn_style_spec
from aigc_desktop.core.train.style_trainer import TARGET_MODULES

# About a minute on an idle two-core machine (most of it transformers dequantising the GGUF, twice); the timeout
# leaves room for a machine shared with other test runs.
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(1800)]

# The app's default repetition penalty is 1.1 and llama-cpp-python's 1.0: both runs are given the same one.
PENALTY = 1.1
PROMPTS = ("Verily the heron said, the river", "Once upon a time, in a small village", "我们今天要讨论的是")
# A few seconds on two busy cores: short blocks, one block a step, a learning rate that moves B visibly in 4 steps.
QUICK = StyleParams(minutes=1, rank=8, alpha=16, lr=3e-3, block_tokens=32, batch_size=1, steps=4, sample_tokens=0)


def corpus(folder: Path) -> Path:
    folder.mkdir()
    lines = [f"Verily the heron said, the river stone {i} waits for the morning light." for i in range(110)]
    (folder / "heron.txt").write_text("\n\n".join(lines), encoding="utf-8")
    return folder


def llama_logits(llm: object, tokens: list[int]) -> np.ndarray:
    llm.reset()  # type: ignore[attr-defined]
    llm.eval(tokens)  # type: ignore[attr-defined]
    return np.array(llm.scores[len(tokens) - 1], dtype=np.float64)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory, gemma_gguf: Path) -> tuple[Path, Path]:
    """(the style's folder, the base GGUF): a 4-step style on the real Gemma, trained once for this module."""
    import os

    import torch

    from aigc_desktop.core.engines import torch_training
    from aigc_desktop.core.paths import AppPaths

    threads = torch.get_num_threads()
    torch_training.TORCH_THREADS = 1  # as in the other training tests: one thread is fastest on a shared machine

    root = tmp_path_factory.mktemp("gemma-style")
    paths = AppPaths(root / "data", root / "config", root / "logs", root / "cache").ensure()
    target = paths.models_dir / "embedded" / gemma_gguf.name
    target.parent.mkdir(parents=True)
    os.link(gemma_gguf, target)
    registry = ModelRegistry(paths)
    host = EngineHost(registry)
    try:
        spec = learn_style_spec(
            name="Heron", base=embedded.GEMMA_ID, texts=[corpus(root / "texts")], params=QUICK, seed=0
        )
        output = host.run(spec, RunContext()).output
    finally:
        host.unload_all()
        torch_training.TORCH_THREADS = None
        torch.set_num_threads(threads)
    assert isinstance(output, StyleOutput) and output.steps == 4
    print(f"\nperplexity {output.perplexity_before:.3f} -> {output.perplexity_after:.3f} in {output.seconds:.1f} s")
    style = styles.get_style(paths.models_dir, "Heron")
    return style.path, target


def test_llama_cpp_with_the_gguf_lora_matches_pytorch_with_the_adapter(learned: tuple[Path, Path]) -> None:
    import llama_cpp
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, base_file = learned
    style = styles.get_style(folder.parent.parent, "Heron")
    tokenizer = AutoTokenizer.from_pretrained(str(base_file.parent), gguf_file=base_file.name)
    model = AutoModelForCausalLM.from_pretrained(str(base_file.parent), gguf_file=base_file.name, dtype=torch.float32)
    styled = PeftModel.from_pretrained(model, str(style.peft_dir)).eval()
    base_llm = llama_cpp.Llama(model_path=str(base_file), n_ctx=128, logits_all=True, verbose=False, seed=0)
    style_llm = llama_cpp.Llama(
        model_path=str(base_file), lora_path=str(style.gguf_adapter), n_ctx=128, logits_all=True, verbose=False
    )
    try:
        for prompt in PROMPTS:
            ids = tokenizer(prompt, return_tensors="pt").input_ids
            with torch.no_grad():
                torch_style = styled(ids).logits[0, -1].double().numpy()
                with styled.disable_adapter():
                    torch_base = styled(ids).logits[0, -1].double().numpy()
            tokens = ids[0].tolist()
            cpp_base, cpp_style = llama_logits(base_llm, tokens), llama_logits(style_llm, tokens)
            effect_torch, effect_cpp = torch_style - torch_base, cpp_style - cpp_base
            base_gap = np.abs(cpp_base - torch_base).max()
            style_gap = np.abs(cpp_style - torch_style).max()
            effect_gap = np.abs(effect_cpp - effect_torch).max()
            corr = float(np.corrcoef(effect_torch, effect_cpp)[0, 1])
            print(
                f"{prompt[:24]!r}: top torch {np.argsort(-torch_style)[:5]} llama.cpp {np.argsort(-cpp_style)[:5]}; "
                f"max|Δ| base {base_gap:.3f} style {style_gap:.3f}; adapter effect max {np.abs(effect_torch).max():.3f}"
                f" gap {effect_gap:.3f} corr {corr:.4f}"
            )
            # The adapter did something measurable, and llama.cpp applies the same thing.
            assert np.abs(effect_torch).max() > 0.5
            # The same next token, unless torch's two best are closer than the quantisation error (then the pair).
            top_torch, top_cpp = np.argsort(-torch_style), np.argsort(-cpp_style)
            if torch_style[top_torch[0]] - torch_style[top_torch[1]] > 2 * base_gap:
                assert top_cpp[0] == top_torch[0]
            else:
                assert set(top_cpp[:2]) == set(top_torch[:2])
            assert corr > 0.95, corr
            # Within quantisation error: the base alone differs by up to ~1 nat here; the margin is twice that.
            assert style_gap < 2 * max(base_gap, 1.0), (style_gap, base_gap)
    finally:
        base_llm.close()
        style_llm.close()


def test_a_style_that_changes_nothing_gives_the_base_exactly(learned: tuple[Path, Path], tmp_path: Path) -> None:
    """B = 0: the LoRA's product is exactly zero, so llama.cpp's logits equal the base's bit for bit."""
    import llama_cpp
    from safetensors.torch import load_file

    folder, base_file = learned
    style = styles.get_style(folder.parent.parent, "Heron")
    weights = load_file(str(style.peft_dir / styles.PEFT_WEIGHTS_FILE))
    zeroed = {k: (v * 0 if ".lora_B." in k else v) for k, v in weights.items()}
    arch, blocks = gguf_architecture(base_file)
    assert write_gguf_lora(
        zeroed, alpha=16, architecture=arch, blocks=blocks, target=tmp_path / "zero.gguf"
    ) == 18 * len(TARGET_MODULES)
    base_llm = llama_cpp.Llama(model_path=str(base_file), n_ctx=128, logits_all=True, verbose=False)
    zero_llm = llama_cpp.Llama(
        model_path=str(base_file), lora_path=str(tmp_path / "zero.gguf"), n_ctx=128, logits_all=True, verbose=False
    )
    try:
        tokens = base_llm.tokenize(PROMPTS[1].encode("utf-8"))
        assert np.array_equal(llama_logits(base_llm, tokens), llama_logits(zero_llm, tokens))
    finally:
        base_llm.close()
        zero_llm.close()


def test_the_app_runs_the_style_as_bare_llama_cpp_does(learned: tuple[Path, Path]) -> None:
    """The Document's path: a TEXT job on "styles/Heron" loads the base GGUF with the adapter (no second copy) and
    its greedy text equals llama-cpp-python's own greedy run with the same adapter."""
    import llama_cpp

    from aigc_desktop.core.paths import AppPaths

    folder, base_file = learned
    data = folder.parent.parent.parent
    root = data.parent
    registry = ModelRegistry(AppPaths(data, root / "config", root / "logs", root / "cache"))
    entry = registry.get("styles/Heron")
    assert entry.path == base_file and entry.adapter == folder / entry.adapter.parent.name / styles.GGUF_ADAPTER_FILE
    assert entry.size_bytes < 20 * 1024 * 1024  # the adapter only: megabytes, not the base's 253 MB again
    prompt = "Verily the heron said,"
    host = EngineHost(registry)
    try:
        spec = JobSpec(
            kind=JobKind.TEXT,
            model_id="styles/Heron",
            inputs={"prompt": prompt},
            params={"max_new_tokens": 12, "temperature": 0.0, "repetition_penalty": PENALTY},
            seed=0,
        )
        app_text = host.run(spec, RunContext()).output
    finally:
        host.unload_all()
    bare = llama_cpp.Llama(
        model_path=str(base_file), lora_path=str(entry.adapter), n_ctx=512, flash_attn=True, verbose=False
    )
    try:
        completion = bare.create_completion(prompt, max_tokens=12, temperature=0.0, repeat_penalty=PENALTY)
        expected = completion["choices"][0]["text"]
    finally:
        bare.close()
    assert isinstance(app_text, TextOutput) and app_text.backend == "llama.cpp"
    assert app_text.texts[0] == expected, (app_text.texts[0], expected)


def test_memory_estimate_reads_the_real_header(gemma_gguf: Path) -> None:
    from aigc_desktop.core.models.entry import ModelEntry, ModelSource
    from aigc_desktop.core.specs import ModelKind

    entry = ModelEntry(
        id="g", name="G", kind=ModelKind.TEXT, backend="llama.cpp", path=gemma_gguf, size_bytes=0, licence="",
        source=ModelSource.EMBEDDED,
    )  # fmt: skip
    shape = base_shape(entry)
    assert (shape.parameters, shape.vocab, shape.hidden, shape.layers) == (268_098_176, 262_144, 640, 18)
