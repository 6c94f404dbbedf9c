"""Tiny random-weight causal LMs of real architectures, built offline, saved the way a user's model folder looks.

The tokenizer is a real byte-level BPE (tokenizers library) with a small vocabulary written here: every byte has a
token, so any text (Chinese included) tokenises and decodes back. Models are Llama, GPT-2 and Gemma 3 text with
hidden size 64 and 2 layers: building, saving and loading each takes a few hundredths of a second.

Heavy imports (torch, transformers) happen inside the functions, so importing this module from conftest is free.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SPECIAL_TOKENS = (PAD, BOS, EOS)
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2
# A few English merges, so that common text does not fall apart into single bytes ("Ġ" is the byte-level space).
MERGES = (
    "Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r", "o n", "Ġ s", "r e", "a t", "e n", "o r", "Ġ w", "Ġ o", "i t",
    "Ġ b", "e s", "Ġ c", "a n", "Ġ f", "i s", "Ġ m", "in g", "Ġ p", "o u", "e d", "Ġ d", "l l", "Ġ h", "a r",
    "Ġa n", "Ġan d", "Ġo f", "Ġt o", "Ġ i", "Ġi n", "Ġi s", "Ġw it", "Ġwit h", "Ġ T", "ĠT he",
)  # fmt: skip
# A chat template in the style real instruction-tuned models ship (BOS written by the template itself).
CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
# Qwen's ChatML template (what Qwen2.5-Instruct ships): the instruct model of the Chinese writing tests.
CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
ARCHITECTURES = ("llama", "gpt2", "gemma3")
HIDDEN = 64
LAYERS = 2
CONTEXT = 512


def tokenizer_vocab() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Special tokens, then the 256 byte-level symbols, then one token per merge."""
    from tokenizers import pre_tokenizers

    vocab = {token: i for i, token in enumerate(SPECIAL_TOKENS)}
    for symbol in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[symbol] = len(vocab)
    merges: list[tuple[str, str]] = []
    for merge in MERGES:
        a, b = merge.split()
        merges.append((a, b))
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def tokenizer_size() -> int:
    return len(tokenizer_vocab()[0])


def build_tokenizer(*, add_bos: bool = True, chat_template: str | None = None) -> Any:
    """A byte-level BPE PreTrainedTokenizerFast with <pad>/<bos>/<eos>; `add_bos` as Llama/Gemma do (GPT-2 does not)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab, merges = tokenizer_vocab()
    backend = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    if add_bos:
        backend.post_processor = processors.TemplateProcessing(
            single=f"{BOS} $A", pair=f"{BOS} $A $B", special_tokens=[(BOS, BOS_ID)]
        )
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, bos_token=BOS, eos_token=EOS, pad_token=PAD)
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    return tokenizer


def tiny_config(arch: str, vocab_size: int | None = None) -> Any:
    from transformers import Gemma3TextConfig, GPT2Config, LlamaConfig

    vocab = vocab_size or tokenizer_size()
    ids = {"bos_token_id": BOS_ID, "eos_token_id": EOS_ID, "pad_token_id": PAD_ID}
    if arch == "llama":
        return LlamaConfig(
            vocab_size=vocab,
            hidden_size=HIDDEN,
            intermediate_size=2 * HIDDEN,
            num_hidden_layers=LAYERS,
            num_attention_heads=4,
            num_key_value_heads=2,
            max_position_embeddings=CONTEXT,
            **ids,
        )
    if arch == "gpt2":
        return GPT2Config(vocab_size=vocab, n_embd=HIDDEN, n_layer=LAYERS, n_head=4, n_positions=CONTEXT, **ids)
    if arch == "gemma3":
        return Gemma3TextConfig(
            vocab_size=vocab,
            hidden_size=HIDDEN,
            intermediate_size=2 * HIDDEN,
            num_hidden_layers=LAYERS,
            num_attention_heads=4,
            num_key_value_heads=1,
            head_dim=16,
            max_position_embeddings=CONTEXT,
            sliding_window=32,
            **ids,
        )
    raise ValueError(f"unknown tiny architecture {arch!r}; known: {', '.join(ARCHITECTURES)}")


def build_tiny_model(arch: str, seed: int = 0) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)  # same seed, same weights: the pickle and safetensors copies of one model agree
    model = AutoModelForCausalLM.from_config(tiny_config(arch))
    return model.eval()


def save_tiny_lm(folder: Path, arch: str, *, chat: bool = False, seed: int = 0) -> Path:
    """A model folder as the Hugging Face Hub ships it: config, safetensors weights, tokenizer (+ chat template)."""
    folder.mkdir(parents=True, exist_ok=True)
    build_tiny_model(arch, seed).save_pretrained(folder, safe_serialization=True)
    tokenizer = build_tokenizer(add_bos=arch != "gpt2", chat_template=CHAT_TEMPLATE if chat else None)
    tokenizer.save_pretrained(folder)
    return folder


def save_tiny_qwen2(folder: Path, seed: int = 0) -> Path:
    """A random-weight Qwen2 (the architecture of the Chinese-capable Qwen2.5 models) with a ChatML chat template,
    saved as a Hub folder: an "instruct" model to the registry, noise as a writer."""
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=tokenizer_size(),
        hidden_size=HIDDEN,
        intermediate_size=2 * HIDDEN,
        num_hidden_layers=LAYERS,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=CONTEXT,
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        pad_token_id=PAD_ID,
    )
    folder.mkdir(parents=True, exist_ok=True)
    AutoModelForCausalLM.from_config(config).eval().save_pretrained(folder, safe_serialization=True)
    build_tokenizer(add_bos=False, chat_template=CHATML_TEMPLATE).save_pretrained(folder)
    return folder


def save_pickle_only_lm(folder: Path, arch: str = "llama", seed: int = 0) -> Path:
    """The same model with its weights only in pytorch_model.bin (what older Hub repos ship)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    model = build_tiny_model(arch, seed)
    model.config.architectures = [type(model).__name__]  # save_pretrained of the model would write it; we skip that
    model.config.save_pretrained(folder)
    model.generation_config.save_pretrained(folder)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(state, folder / "pytorch_model.bin")
    build_tokenizer(add_bos=arch != "gpt2").save_pretrained(folder)
    return folder


def edit_config(folder: Path, **changes: Any) -> None:
    config_file = folder / "config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config.update(changes)
    config_file.write_text(json.dumps(config), encoding="utf-8")


def copy_model(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
