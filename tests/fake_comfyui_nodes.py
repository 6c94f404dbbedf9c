"""The core nodes of the fake ComfyUI (fake_comfyui.py) as ComfyUI's /object_info describes them: each node's
inputs, types, choices and limits copied from ComfyUI's nodes.py and comfy_extras/nodes_upscale_model.py, the sampler
and scheduler names from comfy/samplers.py (KSAMPLER_NAMES + ddim/uni_pc, SCHEDULER_NAMES; a subset of the samplers)."""

from __future__ import annotations

from typing import Any

KSAMPLERS = [
    "euler",
    "euler_cfg_pp",
    "euler_ancestral",
    "heun",
    "dpm_2",
    "lms",
    "dpmpp_2m",
    "dpmpp_2m_sde",
    "ddpm",
    "lcm",
    "ipndm",
    "ipndm_v",
    "deis",
    "ddim",
    "uni_pc",
    "uni_pc_bh2",
]
SCHEDULERS = ["simple", "sgm_uniform", "karras", "exponential", "ddim_uniform", "beta", "normal", "linear_quadratic"]
_SIZE = ["INT", {"default": 512, "min": 16, "max": 16384, "step": 8}]


def object_info(checkpoints: list[str], upscalers: list[str], inputs: list[str]) -> dict[str, Any]:
    """/object_info for ComfyUI's core nodes (nodes.py, comfy_extras/nodes_upscale_model.py), inputs as declared."""
    nodes: dict[str, tuple[dict[str, Any], list[str], bool]] = {
        "CheckpointLoaderSimple": ({"ckpt_name": [checkpoints]}, ["MODEL", "CLIP", "VAE"], False),
        "CLIPTextEncode": ({"text": ["STRING", {"multiline": True}], "clip": ["CLIP"]}, ["CONDITIONING"], False),
        "EmptyLatentImage": (
            {"width": _SIZE, "height": _SIZE, "batch_size": ["INT", {"default": 1, "min": 1, "max": 4096}]},
            ["LATENT"],
            False,
        ),
        "KSampler": (
            {
                "model": ["MODEL"],
                "seed": ["INT", {"default": 0, "min": 0, "max": 0xFFFFFFFFFFFFFFFF}],
                "steps": ["INT", {"default": 20, "min": 1, "max": 10000}],
                "cfg": ["FLOAT", {"default": 8.0, "min": 0.0, "max": 100.0}],
                "sampler_name": [KSAMPLERS],
                "scheduler": [SCHEDULERS],
                "positive": ["CONDITIONING"],
                "negative": ["CONDITIONING"],
                "latent_image": ["LATENT"],
                "denoise": ["FLOAT", {"default": 1.0, "min": 0.0, "max": 1.0}],
            },
            ["LATENT"],
            False,
        ),
        "VAEDecode": ({"samples": ["LATENT"], "vae": ["VAE"]}, ["IMAGE"], False),
        "VAEEncode": ({"pixels": ["IMAGE"], "vae": ["VAE"]}, ["LATENT"], False),
        "SetLatentNoiseMask": ({"samples": ["LATENT"], "mask": ["MASK"]}, ["LATENT"], False),
        "LoadImage": ({"image": [inputs, {"image_upload": True}]}, ["IMAGE", "MASK"], False),
        "LoadImageMask": (
            {"image": [inputs, {"image_upload": True}], "channel": [["alpha", "red", "green", "blue"]]},
            ["MASK"],
            False,
        ),
        "ImageScale": (
            {
                "image": ["IMAGE"],
                "upscale_method": [["nearest-exact", "bilinear", "area", "bicubic", "lanczos"]],
                "width": ["INT", {"default": 512, "min": 0, "max": 16384, "step": 1}],
                "height": ["INT", {"default": 512, "min": 0, "max": 16384, "step": 1}],
                "crop": [["disabled", "center"]],
            },
            ["IMAGE"],
            False,
        ),
        "EmptyImage": (
            {
                "width": ["INT", {"default": 512, "min": 1, "max": 16384, "step": 1}],
                "height": ["INT", {"default": 512, "min": 1, "max": 16384, "step": 1}],
                "batch_size": ["INT", {"default": 1, "min": 1, "max": 4096}],
                "color": ["INT", {"default": 0, "min": 0, "max": 0xFFFFFF, "step": 1, "display": "color"}],
            },
            ["IMAGE"],
            False,
        ),
        "SaveImage": ({"images": ["IMAGE"], "filename_prefix": ["STRING", {"default": "ComfyUI"}]}, [], True),
        "UpscaleModelLoader": ({"model_name": [upscalers]}, ["UPSCALE_MODEL"], False),
        "ImageUpscaleWithModel": ({"upscale_model": ["UPSCALE_MODEL"], "image": ["IMAGE"]}, ["IMAGE"], False),
    }
    return {
        name: {
            "input": {"required": required},
            "input_order": {"required": list(required)},
            "output": outputs,
            "output_is_list": [False] * len(outputs),
            "output_name": outputs,
            "name": name,
            "display_name": name,
            "description": "",
            "python_module": "nodes",
            "category": "sd",
            "output_node": output_node,
        }
        for name, (required, outputs, output_node) in nodes.items()
    }
