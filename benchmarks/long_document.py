"""Long documents in the Document pane on the embedded Gemma GGUF: first-word times through the pane's real prompt
building and the JobQueue, beside bare llama-cpp-python in the same run. Prints numbers, asserts nothing.

    .venv/bin/python benchmarks/long_document.py [--sizes 2k,8k,24k] [--langs en,zh] [--max-new 8] [--no-bare]

Runnable in parts (one size, one language at a time); the summary is a Markdown table, one row per document.

For each document (about 2k, 8k and 24k tokens of generated English or Chinese prose): the first-word time of
(a) the first Continue, (b) Continue after appending a sentence, right away and after a 2 s pause (reading ahead
meanwhile), (c) Continue after changing a word near the start, right away, after a 2 s pause and once the reading
ahead is done, (d) 3 variants; the process's peak RSS against the budget the Settings tab shows; and the largest gap
of a 10 ms QTimer on the GUI thread while typing as the document is read ahead. Beside them: bare llama-cpp-python
(its defaults: batch size 512, no flash attention) re-sending the trailing 6000 characters (what the pane did before)
and with its own prefix reuse on the whole text.
The first-word time is from the click (the pane's continue_writing) to the first text in the document.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

from machine import describe
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from aigc_desktop.core.models import embedded
from aigc_desktop.core.paths import app_paths
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.document.pane import DocumentPane

# Roughly; the real token count is printed.
SENTENCES_PER_1K_TOKENS = {"en": 49, "zh": 51}
OLD_WINDOW_CHARS = 6000  # what the pane sent before the whole document became the context

_EN_WHO = ("the miller", "his daughter", "the old ferryman", "a stranger from the hills", "the baker's boy", "Anna")
_EN_DID = ("counted the sacks of flour", "watched the water wheel turn", "mended a torn net", "sang an old song")
_EN_WHERE = ("by the river", "under the bridge", "at the edge of the wood", "in the empty square", "behind the mill")
_ZH_WHO = ("磨坊主", "他的女儿", "老船夫", "山里来的陌生人", "面包师的儿子", "安娜")
_ZH_DID = ("数着面粉袋", "看着水车转动", "补一张破网", "唱起一首老歌", "望着远处的山")
_ZH_WHERE = ("在河边", "在桥下", "在树林边上", "在空荡荡的广场上", "在磨坊后面")


def document(lang: str, sentences: int) -> str:
    """Deterministic prose that does not repeat itself token for token (so no stretch is cheaper than another)."""
    out: list[str] = []
    for i in range(sentences):
        k = i * 7 + 3
        if lang == "zh":
            out.append(f"第{i + 1}天，{_ZH_WHO[k % 6]}{_ZH_WHERE[(k // 3) % 5]}{_ZH_DID[(k // 5) % 5]}。")
        else:
            out.append(f"On day {i + 1}, {_EN_WHO[k % 6]} {_EN_DID[(k // 5) % 4]} {_EN_WHERE[(k // 3) % 5]}. ")
        if i % 7 == 6:
            out.append("\n\n")
    return "".join(out)


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Bench:
    def __init__(self, app: QApplication, max_new: int) -> None:
        self.app = app
        ctx = AppContext.start(app_paths().ensure())
        self.ctx = ctx
        self.session = ProjectSession(ctx.registry)
        self.model = DocumentModel(ctx, self.session)
        self.pane = DocumentPane(ctx, self.session, self.model)
        self.pane.controls.max_new_tokens.setValue(max_new)
        self.pane.controls.temperature.setValue(0.8)
        self.peak_rss = 0.0
        self.first: list[float] = []
        ctx.queue.job_partial.connect(lambda job, payload: self.first.append(time.perf_counter()))

    def wait(self, condition: Any, timeout: float = 3600.0) -> None:
        end = time.perf_counter() + timeout
        while not condition() and time.perf_counter() < end:
            self.app.processEvents()
            self.peak_rss = max(self.peak_rss, rss_mb())
            time.sleep(0.002)

    def pause(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        self.wait(lambda: time.perf_counter() >= end)

    def set_text(self, text: str) -> None:
        self.pane.editor.setPlainText(text)
        self.to_end()

    def to_end(self) -> None:
        cursor = self.pane.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.pane.editor.setTextCursor(cursor)

    def first_word_ms(self, start: Any) -> tuple[float, Any]:
        """Click → first streamed text, in ms; then wait for the job to end."""
        self.first.clear()
        began = time.perf_counter()
        job = start()
        self.wait(lambda: job.done)
        if not self.first:
            return float("nan"), job
        return (self.first[0] - began) * 1000.0, job

    def reading_done(self) -> bool:
        return self.ctx.queue.background("text") is None and not self.model.read_ahead.timer.isActive()

    def typing_stall_ms(self, keys: int = 20) -> float:
        """The largest gap of a 10 ms timer while the writer types a key every 150 ms and the pauses between
        bursts let the pane start reading ahead."""
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        self.model.read_ahead.start()  # reading as typing starts
        for i in range(keys):
            self.pane.editor.insertPlainText("a" if i % 5 else " ")
            self.pause(0.15 if i % 10 else 1.2)  # every tenth key a pause long enough to read ahead
        timer.stop()
        return max((b - a) * 1000 for a, b in itertools.pairwise(ticks))


def bare_first_token_ms(llm: Any, tokens: list[int]) -> float:
    began = time.perf_counter()
    for _ in llm.create_completion(tokens, max_tokens=1, temperature=0.0, stream=True):
        break
    return (time.perf_counter() - began) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2k,8k,24k", help="document sizes in tokens: 2k, 8k, 24k")
    parser.add_argument("--langs", default="en,zh")
    parser.add_argument("--max-new", type=int, default=8, help="tokens each Continue writes")
    parser.add_argument("--no-bare", action="store_true", help="skip bare llama-cpp-python")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    print(describe())
    bench = Bench(app, args.max_new)
    entry = bench.ctx.registry.materialize(bench.ctx.registry.get(embedded.GEMMA_ID))
    budget = bench.pane.controls.context_tokens()
    shown = bench.pane.controls.context_cost.text()
    print(f"budget (Settings tab): {shown}")
    # Load the model (not measured): a short Continue.
    bench.set_text("Hello.")
    bench.first_word_ms(bench.pane.continue_writing)
    import llama_cpp

    # The documents' token counts come from a vocab-only instance (~45 MB), closed before the measuring starts: the
    # peak RSS below is the app's.
    documents: list[tuple[str, str, str, int]] = []
    tokenizer_llm = llama_cpp.Llama(model_path=str(entry.path), n_ctx=512, vocab_only=True, verbose=False)
    for lang in args.langs.split(","):
        for size in args.sizes.split(","):
            target = float(size.rstrip("k")) * 1000
            text = document(lang, int(target / 1000 * SENTENCES_PER_1K_TOKENS[lang]))
            n_tokens = len(tokenizer_llm.tokenize(text.encode(), add_bos=True, special=True))
            documents.append((lang, size, text, n_tokens))
    tokenizer_llm.close()
    del tokenizer_llm
    shown_mb = bench.pane.controls.memory_estimate_mb()
    rows: list[str] = []
    for lang, size, text, n_tokens in documents:
        print(f"\n== {lang} {size}: {len(text)} characters, {n_tokens} tokens (budget {budget})", flush=True)
        bench.peak_rss = rss_mb()
        bench.set_text(text)
        a, _ = bench.first_word_ms(bench.pane.continue_writing)
        print(f"(a) first Continue: {a:.0f} ms", flush=True)
        bench.to_end()
        bench.pane.editor.insertPlainText(" Then the rain came." if lang == "en" else "然后下起了雨。")
        b, _ = bench.first_word_ms(bench.pane.continue_writing)
        print(f"(b) after appending a sentence: {b:.0f} ms", flush=True)
        bench.to_end()
        bench.pane.editor.insertPlainText(" The river rose." if lang == "en" else "河水涨了。")
        bench.pause(2.0)
        b2, _ = bench.first_word_ms(bench.pane.continue_writing)
        print(f"(b) the same after a 2 s pause: {b2:.0f} ms", flush=True)

        def edit_start(word: str) -> None:
            cursor = QTextCursor(bench.model.document)
            cursor.setPosition(3)
            cursor.insertText(word)
            bench.to_end()

        edit_start("x")
        c0, _ = bench.first_word_ms(bench.pane.continue_writing)
        print(f"(c) after a word changed near the start, right away: {c0:.0f} ms", flush=True)
        edit_start("y")
        bench.pause(2.0)
        c2, _ = bench.first_word_ms(bench.pane.continue_writing)
        print(f"(c) the same after a 2 s pause: {c2:.0f} ms", flush=True)
        edit_start("z")
        started = time.perf_counter()
        bench.pause(1.1)
        bench.wait(bench.reading_done)
        read_s = time.perf_counter() - started
        cr, _ = bench.first_word_ms(bench.pane.continue_writing)
        print(f"(c) the same once read ahead ({read_s:.1f} s after the edit): {cr:.0f} ms", flush=True)
        d, job = bench.first_word_ms(bench.pane.generate_variants)
        total = job.result.seconds if job.result is not None else float("nan")
        print(f"(d) 3 variants: first words {d:.0f} ms, all three {total:.1f} s", flush=True)
        stall = bench.typing_stall_ms()
        bench.model.read_ahead.enabled = False
        bench.model.read_ahead.cancel()
        bench.wait(lambda: bench.ctx.queue.background("text") is None)
        alone = bench.typing_stall_ms()
        bench.model.read_ahead.enabled = True
        print(
            f"typing while reading ahead: largest GUI gap {stall:.1f} ms; the same typing without reading ahead"
            f" {alone:.1f} ms (goal <= 16 ms)",
            flush=True,
        )
        print(
            f"peak RSS while working on this document {bench.peak_rss:.0f} MB; the Settings tab's budget line: "
            f"{shown_mb:.0f} MB in all ({bench.peak_rss / shown_mb:.2f}x of it; goal <= 1)"
        )
        bare = "| - | - | - | - | - |"
        if not args.no_bare:
            bare = compare_bare(entry.path, text, lang, budget, a, b, c0)
        rows.append(
            f"| {lang} | {size} | {n_tokens} | {a:.0f} | {b:.0f} | {b2:.0f} | {c0:.0f} | {c2:.0f} | {cr:.0f} | "
            f"{d:.0f} / {total:.1f} s | {bench.peak_rss:.0f} / {shown_mb:.0f} | {stall:.1f} / {alone:.1f} {bare}"
        )
    print("\nsummary: first-word ms through the pane and the JobQueue; b and c = right away / after a 2 s pause")
    print("(c: and once read ahead); d = first words / all three; peak RSS on the document; GUI gap typing with /")
    print("without reading ahead; bare")
    print("llama-cpp-python with its prefix reuse (first, after appending, after an edit near the start), re-sending")
    print("the trailing window after appending, and bare/app for (a); load average at the end:", os.getloadavg())
    print(
        "| lang | size | tokens | a | b now | b 2 s | c now | c 2 s | c read | d | RSS / shown MB | stall ms | bare a "
        "| bare b | bare c | window b | a bare/app |"
    )
    print("|" + "---|" * 17)
    for row in rows:
        print(row)
    bench.ctx.queue.shutdown()  # the lane's thread ends before the interpreter (else Qt aborts the exit)


def compare_bare(path: Path, text: str, lang: str, budget: int, a: float, b: float, c: float) -> str:
    import llama_cpp

    extra = " Then the rain came." if lang == "en" else "然后下起了雨。"
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=budget, verbose=False)
    try:
        whole = llm.tokenize(text.encode(), add_bos=True, special=True)
        first = bare_first_token_ms(llm, whole)
        appended = bare_first_token_ms(llm, llm.tokenize((text + extra).encode(), add_bos=True, special=True))
        edited = bare_first_token_ms(llm, llm.tokenize(("xx" + text[2:] + extra).encode(), add_bos=True, special=True))
    finally:
        llm.close()
    naive = llama_cpp.Llama(model_path=str(path), n_ctx=4096, verbose=False)

    def window_tokens(whole_text: str) -> list[int]:
        """The trailing characters, then (6000 Chinese characters are more than 4096 tokens) the tokens that fit."""
        tokens = naive.tokenize(whole_text[-OLD_WINDOW_CHARS:].encode(), add_bos=False, special=True)
        return [naive.token_bos(), *tokens[-(4096 - 16) :]]

    try:
        bare_first_token_ms(naive, window_tokens(text))
        sliding = bare_first_token_ms(naive, window_tokens(text + extra))
    finally:
        naive.close()
    print(
        f"bare llama-cpp-python, prefix reuse on the whole text: first {first:.0f} ms, after appending {appended:.0f}"
        f" ms, after an edit near the start {edited:.0f} ms"
    )
    print(
        f"bare llama-cpp-python re-sending the trailing {OLD_WINDOW_CHARS} characters after appending: {sliding:.0f} ms"
    )
    print(
        f"ratios: (a) bare/app {first / a:.2f}x (goal >= 0.95); (b) app vs bare prefix reuse {appended / b:.2f}x,"
        f" vs trailing window {sliding / b:.2f}x; (c) right away bare/app {edited / c:.2f}x"
    )
    return f"| {first:.0f} | {appended:.0f} | {edited:.0f} | {sliding:.0f} | {first / a:.2f} |"


if __name__ == "__main__":
    main()
