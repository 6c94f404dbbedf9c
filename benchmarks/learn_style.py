"""Learn my style on the embedded Gemma 270M, in one run:

1. Training speed: the app's style trainer (through the same EngineHost a worker lane uses: reading the texts,
   tokenising, held-back checks, a sample and an atomic save per epoch) against a bare peft loop written here (the
   same base, LoRA config, blocks and AdamW, nothing else): seconds per step and the ratio.
2. Learning: held-back perplexity before/after on a public-domain English text and a Chinese one of ~20k words each,
   within a time budget (default 5 minutes each: the goal is a clear drop within 10), and words learned per minute
   (corpus words × passes over it / minutes).
3. Writing with the style: Continue tokens/s of llama-cpp-python on the base GGUF alone vs with the style's GGUF LoRA,
   bare and through the app's text engine (goal: with the style ≥ 0.9× without).

Texts (Debian packages, read from where they install; `apt-get install bible-kjv fortunes-zh`):
- English: the King James Bible's Genesis (bible-kjv / bible-kjv-text: "provided for unrestricted use"; the KJV text
  is public domain), the first ~20k words, verse labels removed.
- Chinese: 唐诗三百首 (fortunes-zh's tang300: Tang-dynasty poems, public domain; the package's own files GPL-3+),
  the first ~20k characters, colour escapes removed.
`--english FILE` / `--chinese FILE` use other texts.

    .venv/bin/python benchmarks/learn_style.py [--minutes 5] [--words 20000] [--skip-chinese | --chinese-only]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

TANG300 = Path("/usr/share/games/fortunes/tang300")


def english_text(words: int, given: str | None) -> str:
    if given:
        return Path(given).read_text(encoding="utf-8")
    bible = shutil.which("bible")
    if bible is None:
        raise SystemExit("no English text: `apt-get install bible-kjv` or pass --english FILE")
    out = subprocess.run([bible, "-f", "Genesis 1:1-50:26"], capture_output=True, text=True, check=True).stdout
    verses = [re.sub(r"^\w+\d+:\d+\s*", "", line).strip() for line in out.splitlines() if line.strip()]
    text, count = [], 0
    for verse in verses:  # a paragraph per verse, up to the word budget
        text.append(verse)
        count += len(verse.split())
        if count >= words:
            break
    return "\n\n".join(text)


def chinese_text(chars: int, given: str | None) -> str:
    if given:
        return Path(given).read_text(encoding="utf-8")
    if not TANG300.is_file():
        raise SystemExit("no Chinese text: `apt-get install fortunes-zh` or pass --chinese FILE")
    raw = re.sub(r"\x1b\[[0-9;]*m", "", TANG300.read_text(encoding="utf-8"))
    poems = [p.strip() for p in raw.split("\n%\n") if p.strip()]
    out, count = [], 0
    for poem in poems:
        out.append(poem)
        count += len(re.findall(r"[\u4e00-\u9fff]", poem))
        if count >= chars:
            break
    return "\n\n".join(out)


def learn(registry: object, name: str, folder: Path, minutes: float) -> object:
    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.models import embedded
    from aigc_desktop.core.train.style_job import StyleEpoch, StyleParams, learn_style_spec

    def show(payload: object) -> None:
        if isinstance(payload, StyleEpoch):
            print(
                f"    epoch {payload.epoch}/{payload.epochs} step {payload.step}: perplexity "
                f"{payload.perplexity_before:.2f} -> {payload.perplexity_now:.2f} ({payload.seconds:.0f} s)",
                flush=True,
            )

    host = EngineHost(registry)  # type: ignore[arg-type]
    spec = learn_style_spec(
        name=name, base=embedded.GEMMA_ID, texts=[folder], params=StyleParams(minutes=minutes), seed=0
    )
    try:
        return host.run(spec, RunContext(on_partial=show)).output
    finally:
        host.unload_all()


def bare_steps(gguf: Path, text: str, steps: int) -> float:
    """The bare peft loop on the same base and settings: seconds per step (after one warm-up step)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from aigc_desktop.core.train.style_job import StyleParams
    from aigc_desktop.core.train.style_trainer import TARGET_MODULES

    p = StyleParams()
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    torch.manual_seed(0)
    config = LoraConfig(
        r=p.rank, lora_alpha=p.alpha, target_modules=list(TARGET_MODULES), lora_dropout=0.0, task_type="CAUSAL_LM"
    )
    model = get_peft_model(model, config)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    n = p.block_tokens - 1
    blocks = torch.tensor([[tokenizer.bos_token_id, *ids[i * n : (i + 1) * n]] for i in range(p.batch_size * 2)])
    opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=p.lr, weight_decay=0.0)
    times = []
    for step in range(steps + 1):
        batch = blocks[(step % 2) * p.batch_size : (step % 2 + 1) * p.batch_size]
        t0 = time.perf_counter()
        loss = model(input_ids=batch, labels=batch).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


PROMPT = "In the beginning of the long winter, the old man walked to the river and"


def bare_speed(base: Path, adapter: Path | None, tokens: int, *, mapped: bool) -> float:
    """Bare llama-cpp-python tok/s for `tokens` greedy tokens, median of 5. `mapped`: the adapter set through
    llama.cpp's adapter API over the memory-mapped model (as the app does); otherwise `lora_path`, which turns memory
    mapping off for the whole model."""
    import llama_cpp

    from aigc_desktop.core.engines.llama_lora import apply_lora
    from aigc_desktop.core.engines.text_llama import physical_cores

    kwargs = {"lora_path": str(adapter)} if adapter and not mapped else {}
    llm = llama_cpp.Llama(model_path=str(base), n_ctx=2048, n_threads=physical_cores(), verbose=False, **kwargs)
    if adapter and mapped:
        apply_lora(llama_cpp, llm, adapter)
    rates = []
    for _ in range(5):
        t0 = time.perf_counter()
        out = llm.create_completion(PROMPT, max_tokens=tokens, temperature=0.0)
        rates.append(out["usage"]["completion_tokens"] / (time.perf_counter() - t0))
    llm.close()
    return statistics.median(rates)


def app_speed(registry: object, model_id: str, tokens: int) -> float:
    """The app's text engine tok/s for `tokens` greedy tokens, median of 5."""
    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.specs import JobKind, JobSpec

    prompt = PROMPT
    host = EngineHost(registry)  # type: ignore[arg-type]
    app = []
    try:
        for i in range(5):
            spec = JobSpec(
                kind=JobKind.TEXT,
                model_id=model_id,
                inputs={"prompt": prompt},
                params={"max_new_tokens": tokens, "temperature": 0.0},
                seed=i,
            )
            app.append(host.run(spec, RunContext()).output.tokens_per_second)
    finally:
        host.unload_all()
    return statistics.median(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="time budget per language (default 5)")
    parser.add_argument("--words", type=int, default=20000, help="corpus size per language (default 20000)")
    parser.add_argument("--english", help="an English UTF-8 text instead of KJV Genesis")
    parser.add_argument("--chinese", help="a Chinese UTF-8 text instead of 唐诗三百首")
    parser.add_argument("--skip-chinese", action="store_true")
    parser.add_argument("--chinese-only", action="store_true", help="only part 2, with the Chinese text")
    parser.add_argument("--bare-steps", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=96, help="tokens per Continue in the speed comparison")
    parser.add_argument(
        "--continue-only",
        action="store_true",
        help="only part 3, with the 'english' style an earlier run left in AIGC_DESKTOP_HOME",
    )
    args = parser.parse_args()

    from machine import describe

    from aigc_desktop.core.models import embedded
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.text.counting import count_words

    print(describe())
    print(f"load: {os.getloadavg()}")
    paths = app_paths().ensure()
    registry = ModelRegistry(paths)
    gguf = registry.materialize(registry.get(embedded.GEMMA_ID)).path
    if args.continue_only:
        continue_part(paths, registry, gguf, args.tokens)
        return
    work = Path(tempfile.mkdtemp(prefix="aigc-style-texts-"))
    texts = {} if args.chinese_only else {"english": english_text(args.words, args.english)}
    if not args.skip_chinese:
        texts["chinese"] = chinese_text(args.words, args.chinese)
    results = {}
    for language, text in texts.items():
        folder = work / language
        folder.mkdir()
        (folder / f"{language}.txt").write_text(text, encoding="utf-8")
        print(f"\n{language}: {count_words(text)} words; learning for {args.minutes:g} min", flush=True)
        t0 = time.perf_counter()
        output = learn(registry, language, folder, args.minutes)
        wall = time.perf_counter() - t0
        results[language] = output
        print(
            f"  {language}: perplexity {output.perplexity_before:.3f} -> {output.perplexity_after:.3f} "  # type: ignore[attr-defined]
            f"({100 * (1 - output.perplexity_after / output.perplexity_before):.1f} % lower) in "  # type: ignore[attr-defined]
            f"{output.epochs} epochs / {output.steps} steps; {output.seconds_per_step:.2f} s/step; "  # type: ignore[attr-defined]
            f"{output.words_per_minute:.0f} words learned/min; training {output.seconds:.0f} s, job {wall:.0f} s",  # type: ignore[attr-defined]
            flush=True,
        )

    if args.chinese_only:
        return
    english = results["english"]
    print(f"\nbare peft loop, {args.bare_steps} steps (same base, LoRA, blocks, AdamW):", flush=True)
    bare = bare_steps(gguf, texts["english"], args.bare_steps)
    app_step = english.seconds_per_step  # type: ignore[attr-defined]
    print(
        f"  bare {bare:.2f} s/step; app {app_step:.2f} s/step (with evaluation and saving); ratio {bare / app_step:.2f}"
    )

    continue_part(paths, registry, gguf, args.tokens)


def continue_part(paths: object, registry: object, gguf: Path, tokens: int) -> None:
    from aigc_desktop.core.models import embedded, styles

    style = styles.get_style(paths.models_dir, "english")  # type: ignore[attr-defined]
    print(f"\nContinue, {tokens} greedy tokens, median of 5 (interleaved rounds, median of the rounds):", flush=True)
    rows: dict[str, list[float]] = {}
    for _ in range(3):  # interleaved, so a change in the machine's load falls on every row alike
        for label, rate in (
            ("bare base", lambda: bare_speed(gguf, None, tokens, mapped=True)),
            ("bare style, lora_path (no mmap)", lambda: bare_speed(gguf, style.gguf_adapter, tokens, mapped=False)),
            ("bare style, adapter API (mmap)", lambda: bare_speed(gguf, style.gguf_adapter, tokens, mapped=True)),
            ("app base", lambda: app_speed(registry, embedded.GEMMA_ID, tokens)),
            ("app style", lambda: app_speed(registry, "styles/english", tokens)),
        ):
            rows.setdefault(label, []).append(rate())
    speed = {label: statistics.median(rates) for label, rates in rows.items()}
    for label, rate in speed.items():
        print(f"  {label:34} {rate:6.1f} tok/s  ({', '.join(f'{r:.1f}' for r in rows[label])})")
    print(f"  app: style vs base {speed['app style'] / speed['app base']:.2f}x (goal >= 0.9)")
    print(f"  bare: style (lora_path) vs base {speed['bare style, lora_path (no mmap)'] / speed['bare base']:.2f}x")
    print(f"  bare: style (adapter API) vs base {speed['bare style, adapter API (mmap)'] / speed['bare base']:.2f}x")
    mapped = speed["bare style, adapter API (mmap)"]
    print(f"  app style vs bare style (adapter API): {speed['app style'] / mapped:.2f}x")
    print(f"\nload at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
