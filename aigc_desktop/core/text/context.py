"""How much of a long document a text model reads, and what that costs in memory.

- `gguf_context_facts` reads the few GGUF metadata keys that size a llama.cpp KV cache (layers, KV heads, head
  dimensions, trained context) from the file's header, stopping before the tokenizer's large arrays where it can.
- `default_budget_tokens` picks a context size from the machine's memory; `kv_megabytes` says what a size costs.
- The window policy: when the text before the cursor is longer than the model may read, the start of what it reads
  moves in large, stable steps (`stable_cut`), so consecutive Continues share their whole prefix and the KV cache keeps
  it. The token-level cut in the llama.cpp engine uses the same function.

No Qt here: the Document pane, the engines, the CLI and the benchmark share it.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from aigc_desktop.core.models.entry import ModelEntry, ModelSource

# llama.cpp keeps K and V in f16 unless told otherwise: 2 bytes per value.
KV_BYTES_PER_VALUE = 2
LLAMA_BATCH = 512  # llama-cpp-python's n_batch, which the engine keeps
MIN_CONTEXT_TOKENS = 2048
# A model reads at most what it was trained for; without metadata (a server, a transformers folder) this is assumed.
FALLBACK_TRAINED_TOKENS = 4096
# What the Document pane sends at most, in characters per token of context: generous for English (~4 per token), so
# the engine's token cut decides; Chinese text (~1.3 characters per token) is cut by the engine as well.
CHARS_PER_TOKEN_SENT = 6
# The window's start moves by this fraction of the context: 4 steps per context means a jump re-reads 3/4 of it once,
# and in between every Continue reuses the whole cache.
WINDOW_STEPS = 4
# The share of the machine's memory the default budget lets a KV cache take.
DEFAULT_MEMORY_SHARE = 0.125

_GGUF_VALUE = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


@dataclass(frozen=True)
class ContextFacts:
    """What sizes a model's KV cache, from its GGUF metadata."""

    trained_tokens: int
    layers: int
    kv_heads: int
    key_length: int
    value_length: int
    sliding_window: int = 0  # > 0: most layers attend to this many tokens (Gemma 3); llama.cpp still keeps them all
    heads: int = 0  # attention heads: size llama.cpp's working buffer for the attention scores

    @property
    def kv_bytes_per_token(self) -> int:
        # llama.cpp's default (swa_full) gives sliding-window layers a full-size cache too: only then can it rewind to
        # any earlier position, which reusing a document's prefix needs.
        return self.layers * self.kv_heads * (self.key_length + self.value_length) * KV_BYTES_PER_VALUE


def kv_megabytes(facts: ContextFacts, tokens: int) -> float:
    return facts.kv_bytes_per_token * tokens / 1024**2


def work_megabytes(facts: ContextFacts, tokens: int, batch: int = LLAMA_BATCH) -> float:
    """llama.cpp's working memory while it reads a batch: the attention scores, f32, batch × context × heads."""
    return tokens * batch * max(facts.heads, 1) * 4 / 1024**2


def machine_memory_bytes() -> int:
    """Physical memory (0 when unknown)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return 0


def process_memory_bytes() -> int:
    """This process's resident memory now (0 when unknown): the app's own share of what a budget line adds up. Linux's
    /proc first: the pane asks while it is built, and importing psutil would cost ~27 ms there."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import psutil  # type: ignore[import-untyped]  # installed with peft/accelerate; optional here all the same

        return int(psutil.Process().memory_info().rss)
    except (ImportError, OSError):
        return 0


def default_budget_tokens(facts: ContextFacts | None, memory_bytes: int) -> int:
    """The model's whole trained context when its KV cache fits in an eighth of the machine's memory, else what does
    (never below MIN_CONTEXT_TOKENS)."""
    trained = facts.trained_tokens if facts is not None else FALLBACK_TRAINED_TOKENS
    if facts is None or memory_bytes <= 0 or facts.kv_bytes_per_token <= 0:
        return trained
    fits = int(memory_bytes * DEFAULT_MEMORY_SHARE) // facts.kv_bytes_per_token
    return max(min(trained, MIN_CONTEXT_TOKENS), min(trained, fits // 1024 * 1024))


def stable_cut(length: int, room: int, step: int) -> int:
    """How many leading items (characters or tokens) to drop so that at most `room` remain: a multiple of `step`, so
    the cut stays put while the text grows by less than a step."""
    if length <= room:
        return 0
    step = max(1, min(step, room))
    return -(-(length - room) // step) * step


def window_text(text: str, budget_tokens: int) -> str:
    """The text before the cursor that the pane sends: all of it when it may fit the context, else its end, cut at a
    stable point (the engine cuts again in tokens)."""
    room = budget_tokens * CHARS_PER_TOKEN_SENT
    cut = stable_cut(len(text), room, max(1, room // WINDOW_STEPS))
    return text[cut:]


# ---------------------------------------------------------------- GGUF header


@lru_cache(maxsize=16)
def _facts_cached(path: str, size: int, mtime: float) -> ContextFacts | None:
    try:
        with open(path, "rb") as f:
            return _read_facts(f)
    except (OSError, ValueError, struct.error, UnicodeDecodeError):
        return None


def gguf_context_facts(path: Path) -> ContextFacts | None:
    """The KV-cache facts of a GGUF file, or None when it is not one (or lacks the keys)."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return _facts_cached(str(path), st.st_size, st.st_mtime)


def model_context_facts(entry: ModelEntry) -> ContextFacts | None:
    """The KV-cache facts of a llama.cpp model; the embedded Gemma's come from its first chunk until it is assembled.
    None for other backends (their cache is not sized from a header)."""
    if entry.backend != "llama.cpp" or entry.path.suffix.lower() != ".gguf":
        return None
    facts = gguf_context_facts(entry.path)
    if facts is None and entry.source is ModelSource.EMBEDDED:
        from aigc_desktop.core.models.embedded import gemma_header_file

        header = gemma_header_file()
        facts = gguf_context_facts(header) if header is not None else None
    return facts


def _read(f: BinaryIO, fmt: str) -> int | float | bool:
    size = struct.calcsize(fmt)
    data = f.read(size)
    if len(data) != size:
        raise ValueError("truncated GGUF header")
    value: int | float | bool = struct.unpack(fmt, data)[0]
    return value


def _read_string(f: BinaryIO) -> str:
    n = int(_read(f, "<Q"))
    if n > 1 << 24:
        raise ValueError("implausible GGUF string")
    return f.read(n).decode("utf-8")


def _read_value(f: BinaryIO, kind: int) -> object:
    if kind == _STRING:
        return _read_string(f)
    if kind == _ARRAY:
        item = int(_read(f, "<I"))
        count = int(_read(f, "<Q"))
        if item in _GGUF_VALUE and count <= 4096:  # per-layer values (head counts of some models)
            return [_read(f, _GGUF_VALUE[item]) for _ in range(count)]
        if item in _GGUF_VALUE:  # a large numeric array (token scores): skip it without reading
            f.seek(count * struct.calcsize(_GGUF_VALUE[item]), os.SEEK_CUR)
            return None
        if item == _STRING:
            for _ in range(count):
                f.seek(int(_read(f, "<Q")), os.SEEK_CUR)
            return None
        raise ValueError("unsupported GGUF array")
    if kind not in _GGUF_VALUE:
        raise ValueError("unsupported GGUF value type")
    return _read(f, _GGUF_VALUE[kind])


def _read_facts(f: BinaryIO) -> ContextFacts | None:
    if f.read(4) != b"GGUF":
        return None
    version = int(_read(f, "<I"))
    if version < 2:
        return None
    _read(f, "<Q")  # tensor count
    kv_count = int(_read(f, "<Q"))
    meta: dict[str, object] = {}
    wanted = ("context_length", "block_count", "attention.head_count_kv", "attention.head_count", "embedding_length")
    for _ in range(kv_count):
        key = _read_string(f)
        meta[key] = _read_value(f, int(_read(f, "<I")))
        arch = meta.get("general.architecture")
        if isinstance(arch, str) and all(f"{arch}.{k}" in meta for k in (*wanted, "attention.key_length")):
            break  # the tokenizer's arrays usually follow: not needed here
    arch = meta.get("general.architecture")
    if not isinstance(arch, str):
        return None

    def number(name: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{name}", default)
        if isinstance(value, list):
            value = max((int(v) for v in value), default=default)
        return int(value) if isinstance(value, int | float) else default

    layers, heads = number("block_count"), number("attention.head_count")
    kv_heads = number("attention.head_count_kv", heads)
    head_dim = number("embedding_length") // heads if heads else 0
    facts = ContextFacts(
        trained_tokens=number("context_length", FALLBACK_TRAINED_TOKENS),
        layers=layers,
        kv_heads=kv_heads,
        key_length=number("attention.key_length", head_dim),
        value_length=number("attention.value_length", head_dim),
        sliding_window=number("attention.sliding_window"),
        heads=heads,
    )
    return facts if facts.layers > 0 and facts.kv_heads > 0 and facts.key_length > 0 else None
