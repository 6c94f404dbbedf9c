"""Tiny random-weight Stable Diffusion models of the real architecture, built offline and saved like a user's model.

A CLIP text encoder (hidden 32) with a real CLIP BPE tokenizer over a small vocabulary written here, a UNet with two
levels (32, 64 channels), an AutoencoderKL that downsamples by 8 as SD's does (so a 64×64 image has 8×8 latents) and
SD's scheduler settings. Variants: the plain text-to-image pipeline, an inpainting one (UNet with 9 input channels),
an x4 upscaler (StableDiffusionUpscalePipeline: 7 input channels, a VAE that downsamples by 4) and the same
text-to-image weights as one original-format (LDM/A1111) `.safetensors` file, as single-file checkpoints ship.
Building and saving each takes about a second.

The SD-1.5-shaped random model of benchmarks/image.py comes from here too (`sd15_components`).
Heavy imports (torch, transformers, diffusers) happen inside the functions, so importing this module is free.
The pytest fixtures at the end (registered in conftest.py) build each variant once per session and copy it into a
test's models folder, as a user installs a model.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TOKEN_LENGTH = 77  # CLIP's context, as every SD tokenizer
START, END = "<|startoftext|>", "<|endoftext|>"
WORDS = (
    "a", "an", "the", "of", "in", "on", "with", "and", "cat", "dog", "red", "blue", "green", "sky", "sea", "tree",
    "house", "portrait", "painting", "photo", "landscape", "mountain", "sunset", "forest", "city", "night",
    "blurry", "ugly", "bright", "dark", "watercolor", "oil", "sketch",
)  # fmt: skip
HIDDEN = 32
SD_SCHEDULER = {  # the scheduler settings SD 1.x/2.x ship with (scheduler_config.json of stable-diffusion-v1-5)
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "num_train_timesteps": 1000,
    "steps_offset": 1,
    "timestep_spacing": "leading",
}


# ---------------------------------------------------------------- tokenizer


def clip_vocab() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """CLIP's layout: every byte symbol, the same with the end-of-word mark "</w>", a few words, then the specials.

    Merges spell the words letter by letter, so "cat" becomes one token and any other text falls back to letters.
    """
    from tokenizers import pre_tokenizers

    symbols = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab: dict[str, int] = {}
    for symbol in symbols:
        vocab[symbol] = len(vocab)
    for symbol in symbols:
        vocab[symbol + "</w>"] = len(vocab)
    merges: list[tuple[str, str]] = []
    for word in WORDS:
        if len(word) < 2:
            continue
        piece = word[0]
        for i, char in enumerate(word[1:], start=1):
            last = i == len(word) - 1
            right = char + ("</w>" if last else "")
            merges.append((piece, right))
            piece += right
            vocab.setdefault(piece, len(vocab))
    vocab[START] = len(vocab)
    vocab[END] = len(vocab)
    # Drop duplicate merges (words share prefixes), keeping the first: the BPE model refuses repeats.
    return vocab, list(dict.fromkeys(merges))


def build_tokenizer() -> Any:
    from transformers import CLIPTokenizer

    vocab, merges = clip_vocab()
    return CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=TOKEN_LENGTH)


def write_tokenizer_files(folder: Path) -> None:
    """vocab.json + merges.txt as the SD repositories ship them (besides what save_pretrained writes)."""
    vocab, merges = clip_vocab()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")


# ---------------------------------------------------------------- components


def text_encoder(vocab_size: int, seed: int = 0, hidden: int = HIDDEN, layers: int = 2, heads: int = 4) -> Any:
    import torch
    from transformers import CLIPTextConfig, CLIPTextModel

    vocab, _ = clip_vocab()
    torch.manual_seed(seed)
    config = CLIPTextConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        intermediate_size=hidden * 4,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        max_position_embeddings=TOKEN_LENGTH,
        bos_token_id=vocab[START],
        eos_token_id=vocab[END],
        pad_token_id=vocab[END],
        hidden_act="quick_gelu",
    )
    return CLIPTextModel(config).eval()


def tiny_unet(in_channels: int = 4, seed: int = 0) -> Any:
    import torch
    from diffusers import UNet2DConditionModel

    torch.manual_seed(seed)
    return UNet2DConditionModel(
        sample_size=8,  # latents of a 64×64 image
        in_channels=in_channels,
        out_channels=4,
        block_out_channels=(32, 64),
        layers_per_block=1,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=HIDDEN,
        attention_head_dim=8,
        norm_num_groups=32,
    ).eval()


def tiny_vae(levels: int = 4, seed: int = 0, scaling_factor: float = 0.18215) -> Any:
    """An AutoencoderKL downsampling by 2**(levels-1): 4 levels = 8, as SD's."""
    import torch
    from diffusers import AutoencoderKL

    torch.manual_seed(seed)
    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * levels,
        up_block_types=("UpDecoderBlock2D",) * levels,
        block_out_channels=(32,) * levels,
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=32,
        sample_size=64,
        scaling_factor=scaling_factor,
    ).eval()


def sd_pipeline(inpaint: bool = False, seed: int = 0) -> Any:
    from diffusers import EulerDiscreteScheduler, StableDiffusionInpaintPipeline, StableDiffusionPipeline

    tokenizer = build_tokenizer()
    cls = StableDiffusionInpaintPipeline if inpaint else StableDiffusionPipeline
    return cls(
        vae=tiny_vae(seed=seed),
        text_encoder=text_encoder(len(tokenizer), seed=seed),
        tokenizer=tokenizer,
        unet=tiny_unet(9 if inpaint else 4, seed=seed),
        scheduler=EulerDiscreteScheduler(**SD_SCHEDULER),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


def upscaler_pipeline(seed: int = 0) -> Any:
    """StableDiffusionUpscalePipeline as stabilityai/stable-diffusion-x4-upscaler is built, at toy widths."""
    import torch
    from diffusers import DDIMScheduler, DDPMScheduler, StableDiffusionUpscalePipeline, UNet2DConditionModel

    tokenizer = build_tokenizer()
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        sample_size=16,
        in_channels=7,  # 4 latent channels + the 3 channels of the low-resolution image
        out_channels=4,
        block_out_channels=(32, 64),
        layers_per_block=1,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=HIDDEN,
        attention_head_dim=8,
        num_class_embeds=1000,  # the noise level of the low-resolution image is a class embedding
        norm_num_groups=32,
    ).eval()
    return StableDiffusionUpscalePipeline(
        vae=tiny_vae(levels=3, seed=seed, scaling_factor=0.08333),  # downsamples by 4: the output is 4× the input
        text_encoder=text_encoder(len(tokenizer), seed=seed),
        tokenizer=tokenizer,
        unet=unet,
        low_res_scheduler=DDPMScheduler(num_train_timesteps=1000, beta_schedule="scaled_linear"),
        scheduler=DDIMScheduler(prediction_type="v_prediction", beta_schedule="scaled_linear"),
        max_noise_level=350,
    )


def sd15_components(seed: int = 0) -> dict[str, Any]:
    """Stable Diffusion 1.5's shapes with random weights (ENVIRONMENT.md, "Real-size shapes"): speed depends on the
    shapes, not the values. The CLIP text encoder is ViT-L/14's text tower (768 wide, 12 layers), with this module's
    small vocabulary."""
    import torch
    from diffusers import AutoencoderKL, PNDMScheduler, UNet2DConditionModel

    tokenizer = build_tokenizer()
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(sample_size=64, cross_attention_dim=768, attention_head_dim=8).eval()
    vae = AutoencoderKL(
        block_out_channels=(128, 256, 512, 512),
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        layers_per_block=2,
        latent_channels=4,
        sample_size=512,
    ).eval()
    return {
        "vae": vae,
        "text_encoder": text_encoder(len(tokenizer), seed=seed, hidden=768, layers=12, heads=12),
        "tokenizer": tokenizer,
        "unet": unet,
        "scheduler": PNDMScheduler(**SD_SCHEDULER, skip_prk_steps=True),
    }


# ---------------------------------------------------------------- saving as a user has them


def save_pipeline(pipe: Any, folder: Path) -> Path:
    """A diffusers folder (model_index.json, one subfolder per component, safetensors weights)."""
    pipe.save_pretrained(folder)  # safetensors by default
    write_tokenizer_files(folder / "tokenizer")
    return folder


def save_sd(folder: Path, *, inpaint: bool = False) -> Path:
    return save_pipeline(sd_pipeline(inpaint=inpaint), folder)


def save_upscaler(folder: Path) -> Path:
    return save_pipeline(upscaler_pipeline(), folder)


def save_pickle_only(folder: Path) -> Path:
    """The tiny text-to-image pipeline with only diffusion_pytorch_model.bin / pytorch_model.bin weights (pickle)."""
    import torch

    pipe = sd_pipeline()
    pipe.save_pretrained(folder, safe_serialization=False)
    # transformers 5 writes safetensors whatever it is asked: put the text encoder in the legacy file by hand.
    encoder = folder / "text_encoder"
    for file in encoder.glob("*.safetensors"):
        file.unlink()
    torch.save(pipe.text_encoder.state_dict(), encoder / "pytorch_model.bin")
    return folder


def copy_model(source: Path, target: Path) -> Path:
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return target


def save_ip_adapter(folder: Path, seed: int = 0) -> Path:
    """An IP-Adapter for the tiny UNet in the h94/IP-Adapter layout: models/ip-adapter_tiny.safetensors (image
    projection + one key/value projection pair per cross-attention layer) and models/image_encoder/ (a CLIP vision
    model with projection). Returns the weights file."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(seed)
    weights_dir = folder / "models"
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=HIDDEN, intermediate_size=HIDDEN * 4, projection_dim=HIDDEN, num_hidden_layers=2,
            num_attention_heads=4, image_size=32, patch_size=8,
        )
    ).eval()  # fmt: skip
    encoder.save_pretrained(weights_dir / "image_encoder")
    tokens = 4  # the plain IP-Adapter turns the image embedding into 4 extra text tokens
    state: dict[str, Any] = {
        "image_proj.proj.weight": torch.randn(HIDDEN * tokens, HIDDEN) * 0.1,
        "image_proj.proj.bias": torch.zeros(HIDDEN * tokens),
        "image_proj.norm.weight": torch.ones(HIDDEN),
        "image_proj.norm.bias": torch.zeros(HIDDEN),
    }
    unet = tiny_unet()
    widths = unet.config.block_out_channels
    key_id = 1  # diffusers numbers the cross-attention layers 1, 3, 5... in attn_processors order
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        if name.startswith("mid_block"):
            width = widths[-1]
        elif name.startswith("up_blocks"):
            width = list(reversed(widths))[int(name.split(".")[1])]
        else:
            width = widths[int(name.split(".")[1])]
        state[f"ip_adapter.{key_id}.to_k_ip.weight"] = torch.randn(width, HIDDEN) * 0.1
        state[f"ip_adapter.{key_id}.to_v_ip.weight"] = torch.randn(width, HIDDEN) * 0.1
        key_id += 2
    weights = weights_dir / "ip-adapter_tiny.safetensors"
    save_file({k: v.contiguous() for k, v in state.items()}, str(weights))
    return weights


# ---------------------------------------------------------------- one original-format (LDM / A1111) checkpoint file


def _unet_to_ldm(unet: Any) -> dict[str, Any]:
    """The UNet's weights under the original CompVis names (what diffusers' convert_ldm_unet_checkpoint reads)."""
    config = unet.config
    per_block = config.layers_per_block
    mapping: dict[str, str] = {
        "time_embedding.linear_1": "time_embed.0",
        "time_embedding.linear_2": "time_embed.2",
        "conv_in": "input_blocks.0.0",
        "conv_norm_out": "out.0",
        "conv_out": "out.2",
        "class_embedding": "label_emb",
        "mid_block.resnets.0": "middle_block.0",
        "mid_block.attentions.0": "middle_block.1",
        "mid_block.resnets.1": "middle_block.2",
    }
    levels = len(config.block_out_channels)
    for b in range(levels):
        for j in range(per_block):
            index = b * (per_block + 1) + j + 1
            mapping[f"down_blocks.{b}.resnets.{j}"] = f"input_blocks.{index}.0"
            mapping[f"down_blocks.{b}.attentions.{j}"] = f"input_blocks.{index}.1"
        mapping[f"down_blocks.{b}.downsamplers.0.conv"] = f"input_blocks.{(b + 1) * (per_block + 1)}.0.op"
        has_attention = config.up_block_types[b].startswith("CrossAttn")
        for j in range(per_block + 1):
            index = b * (per_block + 1) + j
            mapping[f"up_blocks.{b}.resnets.{j}"] = f"output_blocks.{index}.0"
            mapping[f"up_blocks.{b}.attentions.{j}"] = f"output_blocks.{index}.1"
        last = b * (per_block + 1) + per_block
        mapping[f"up_blocks.{b}.upsamplers.0.conv"] = f"output_blocks.{last}.{2 if has_attention else 1}.conv"
    resnet_names = {
        "norm1": "in_layers.0",
        "conv1": "in_layers.2",
        "norm2": "out_layers.0",
        "conv2": "out_layers.3",
        "time_emb_proj": "emb_layers.1",
        "conv_shortcut": "skip_connection",
    }
    out: dict[str, Any] = {}
    for key, tensor in unet.state_dict().items():
        prefix = max((p for p in mapping if key.startswith(p + ".")), key=len)
        rest = key[len(prefix) + 1 :]
        if ".resnets." in prefix:
            head, _, tail = rest.partition(".")
            rest = f"{resnet_names.get(head, head)}.{tail}"
        out["model.diffusion_model." + mapping[prefix] + "." + rest] = tensor
    return out


def _vae_to_ldm(vae: Any) -> dict[str, Any]:
    levels = len(vae.config.block_out_channels)
    mapping: dict[str, str] = {
        "encoder.conv_norm_out": "encoder.norm_out",
        "decoder.conv_norm_out": "decoder.norm_out",
        "encoder.mid_block.attentions.0": "encoder.mid.attn_1",
        "decoder.mid_block.attentions.0": "decoder.mid.attn_1",
    }
    for part in ("encoder", "decoder"):
        for k in range(2):
            mapping[f"{part}.mid_block.resnets.{k}"] = f"{part}.mid.block_{k + 1}"
    for i in range(levels):
        mapping[f"encoder.down_blocks.{i}.resnets"] = f"encoder.down.{i}.block"
        mapping[f"encoder.down_blocks.{i}.downsamplers.0"] = f"encoder.down.{i}.downsample"
        mapping[f"decoder.up_blocks.{i}.resnets"] = f"decoder.up.{levels - 1 - i}.block"
        mapping[f"decoder.up_blocks.{i}.upsamplers.0"] = f"decoder.up.{levels - 1 - i}.upsample"
    attention_names = {"group_norm": "norm", "to_q": "q", "to_k": "k", "to_v": "v", "to_out.0": "proj_out"}
    out: dict[str, Any] = {}
    for key, tensor in vae.state_dict().items():
        prefixes = [p for p in mapping if key.startswith(p + ".")]
        if prefixes:
            prefix = max(prefixes, key=len)
            rest = key[len(prefix) + 1 :].replace("conv_shortcut", "nin_shortcut")
            if "attn_1" in mapping[prefix]:
                name, _, param = rest.rpartition(".")
                rest = f"{attention_names[name]}.{param}"
                if param == "weight" and tensor.ndim == 2:  # the original attention uses 1×1 convolutions
                    tensor = tensor[:, :, None, None]
            key = mapping[prefix] + "." + rest
        out["first_stage_model." + key] = tensor
    return out


def ldm_state_dict(pipe: Any) -> dict[str, Any]:
    """A StableDiffusionPipeline's weights as one original-format SD 1.x checkpoint (UNet, VAE, CLIP text model)."""
    state = {**_unet_to_ldm(pipe.unet), **_vae_to_ldm(pipe.vae)}
    for key, tensor in pipe.text_encoder.state_dict().items():
        state["cond_stage_model.transformer.text_model." + key] = tensor
    return {k: v.contiguous().clone() for k, v in state.items()}


def save_single_file(file: Path, *, inpaint: bool = False) -> Path:
    """The tiny pipeline's weights as one `.safetensors` file with the original key names."""
    from safetensors.torch import save_file

    file.parent.mkdir(parents=True, exist_ok=True)
    save_file(ldm_state_dict(sd_pipeline(inpaint=inpaint)), str(file))
    return file


def save_single_ckpt(file: Path) -> Path:
    """The same weights as a pickle `.ckpt` (torch.save of {"state_dict": ...}, as the original checkpoints are)."""
    import torch

    file.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": ldm_state_dict(sd_pipeline())}, file)
    return file


def write_fake_checkpoint_header(file: Path, keys: dict[str, list[int]]) -> Path:
    """A `.safetensors` file whose header names `keys` with those shapes and whose data is zeros: enough for anything
    that only reads the header (family detection), cheap even for SDXL-sized shapes."""
    header: dict[str, Any] = {}
    offset = 0
    for name, shape in keys.items():
        size = 2
        for dim in shape:
            size *= dim
        header[name] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("wb") as f:
        f.write(len(raw).to_bytes(8, "little"))
        f.write(raw)
        f.truncate(8 + len(raw) + offset)
    return file


# ---------------------------------------------------------------- pytest fixtures

# variant -> (file or folder name, builder)
VARIANTS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "sd": ("tiny-sd", save_sd),
    "sd-inpaint": ("tiny-sd-inpaint", lambda p: save_sd(p, inpaint=True)),
    "sd-upscaler": ("tiny-sd-x4-upscaler", save_upscaler),
    "sd-pickle": ("tiny-sd-pickle", save_pickle_only),
    "sd-single": ("tiny-sd-single.safetensors", save_single_file),
    "sd-single-inpaint": ("tiny-sd-single-inpaint.safetensors", lambda p: save_single_file(p, inpaint=True)),
    "sd-ckpt": ("tiny-sd-old.ckpt", save_single_ckpt),
    "ip-adapter": ("IP-Adapter", lambda p: save_ip_adapter(p).parent.parent),
}


@pytest.fixture(scope="session")
def tiny_sd_source(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Builds each tiny SD variant once per session, on first use: `tiny_sd_source("sd")` -> its folder or file."""
    root = tmp_path_factory.mktemp("tiny-sd")
    built: dict[str, Path] = {}

    def get(variant: str) -> Path:
        if variant not in built:
            name, build = VARIANTS[variant]
            built[variant] = build(root / name)
        return built[variant]

    return get


@pytest.fixture
def install_tiny_sd(tiny_sd_source: Callable[[str], Path], paths: Any) -> Callable[..., str]:
    """Copies a tiny SD variant into this test's models folder, as a user would; returns its registry id."""

    def install(variant: str = "sd", name: str | None = None) -> str:
        source = tiny_sd_source(variant)
        target = paths.models_dir / (name or source.name)
        copy_model(source, target)
        return target.relative_to(paths.models_dir).as_posix()

    return install
