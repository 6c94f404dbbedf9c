"""A peft LoRA adapter written as a GGUF LoRA that llama.cpp loads over a GGUF base model (`Llama(model_path=base,
lora_path=adapter)`), so a style runs on the quantised base file with no second copy of it.

The format, as llama.cpp's convert_lora_to_gguf.py writes it and src/llama-adapter.cpp reads it:
- metadata `general.architecture` (the base's, e.g. "gemma3"; llama.cpp refuses a mismatch), `general.type` =
  "adapter", `adapter.type` = "lora", `adapter.lora.alpha` (llama.cpp scales by alpha / rank, as peft does);
- per adapted weight `<gguf tensor name>.lora_a` with torch shape (rank, in) and `.lora_b` with shape (out, rank)
  (GGUF stores dimensions reversed, so ne = [in, rank] and [rank, out]: llama-adapter.cpp checks
  a.ne[0] == weight.ne[0], b.ne[1] == weight.ne[1] and a.ne[1] == b.ne[0]).
Names map through gguf-py's TensorNameMap (HF "model.layers.3.self_attn.q_proj" → "blk.3.attn_q.weight"). Gemma's
converter applies no permutation to Q/K (only the LLaMA family's does) and its norm "+1" offsets touch no linear
layer, so the LoRA matrices go over as they are; tests/test_learn_style_gguf.py proves it against llama.cpp.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

# peft's saved names: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"
_PEFT_NAME = re.compile(r"^(?:base_model\.model\.)?(?P<module>.+)\.lora_(?P<which>[AB])(?:\.[^.]+)?\.weight$")


def gguf_architecture(base: Path) -> tuple[str, int]:
    """The base GGUF's architecture name and block count."""
    from gguf import GGUFReader

    reader = GGUFReader(base)
    arch_field = reader.fields.get("general.architecture")
    if arch_field is None:
        raise UserError(QT_TRANSLATE_NOOP("LearnStyle", "{path} names no architecture.").format(path=base))
    arch = bytes(arch_field.parts[arch_field.data[0]]).decode("utf-8")
    blocks_field = reader.fields.get(f"{arch}.block_count")
    blocks = int(blocks_field.parts[blocks_field.data[0]][0]) if blocks_field is not None else 0
    return arch, blocks


def write_gguf_lora(
    tensors: Mapping[str, Any], *, alpha: float, architecture: str, blocks: int, target: Path, name: str = ""
) -> int:
    """Writes the peft state dict `tensors` (torch tensors or arrays) as a GGUF LoRA at `target`; returns the number
    of adapted weights. UserError when a module has no GGUF name for this architecture."""
    import gguf

    arch = {v: k for k, v in gguf.MODEL_ARCH_NAMES.items()}.get(architecture)
    if arch is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "LearnStyle", "llama.cpp's architecture '{arch}' is not known to the GGUF writer."
            ).format(arch=architecture)
        )
    names = gguf.get_tensor_name_map(arch, blocks)
    pairs: dict[str, dict[str, np.ndarray[Any, Any]]] = {}
    for key, value in tensors.items():
        match = _PEFT_NAME.match(key)
        if match is None:
            continue
        array = value.detach().to("cpu").float().numpy() if hasattr(value, "detach") else np.asarray(value)
        pairs.setdefault(match["module"], {})[match["which"]] = np.ascontiguousarray(array, dtype=np.float32)
    writer = gguf.GGUFWriter(str(target), architecture)
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    if name:
        writer.add_name(name)
    count = 0
    for module, ab in sorted(pairs.items()):
        gguf_name = names.get_name(module + ".weight", try_suffixes=(".weight",))
        if gguf_name is None or "A" not in ab or "B" not in ab:
            raise UserError(
                QT_TRANSLATE_NOOP("LearnStyle", "The adapter's weights {module} have no llama.cpp counterpart.").format(
                    module=module
                )
            )
        writer.add_tensor(f"{gguf_name}.lora_a", ab["A"])  # (rank, in)
        writer.add_tensor(f"{gguf_name}.lora_b", ab["B"])  # (out, rank)
        count += 1
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return count
