"""Provenance written into exported images: the A1111 `parameters` text chunk and the IPTC DigitalSourceType XMP.

No Qt here, so the CLI, the File > Export actions and drag-out all label PNGs the same way. The `parameters` chunk is
what Stable Diffusion tools (A1111, ComfyUI, Civitai) read back; the XMP DigitalSourceType is what content-credential
aware viewers (and search engines) use to tell AI-made images from photographs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from PIL import Image, PngImagePlugin

from aigc_desktop.core import atomic
from aigc_desktop.core.audio.edit import check_writable
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Canvas, Layer, Project
from aigc_desktop.core.specs import JobSpec

SourceType = Literal["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"]
TRAINED: SourceType = "trainedAlgorithmicMedia"
COMPOSITE: SourceType = "compositeWithTrainedAlgorithmicMedia"
SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
XMP_KEY = "XML:com.adobe.xmp"  # the iTXt keyword Adobe's XMP spec assigns to XMP in PNG
PARAMETERS_KEY = "parameters"
_SOURCE_RE = re.compile(r"DigitalSourceType(?:>|=\")\s*([^<\"\s]+)")


def _param(params: Mapping[str, object], *names: str) -> object | None:
    # Engines name the same knob differently (guidance_scale vs cfg_scale); take the first one present.
    for name in names:
        value = params.get(name)
        if value not in (None, ""):
            return value
    return None


def png_parameters(spec: JobSpec, model_name: str, size: tuple[int, int] | None = None) -> str:
    """A1111-style text: the prompt, an optional "Negative prompt:" line, then "Key: value" pairs.

    Only what is known is written: a non-diffusion spec (no steps, no sampler) still gets its prompt, seed, size and
    model, so the file always says how it was made without inventing numbers.
    """
    inputs, params = spec.inputs, spec.params
    prompt = str(inputs.get("prompt") or inputs.get("text") or "")
    lines = [prompt]
    negative = _param(inputs, "negative_prompt") or _param(params, "negative_prompt")
    if negative:
        lines.append(f"Negative prompt: {negative}")
    pairs: list[tuple[str, object | None]] = [
        ("Steps", _param(params, "steps", "num_inference_steps")),
        ("Sampler", _param(params, "sampler", "scheduler")),
        ("CFG scale", _param(params, "cfg_scale", "guidance_scale", "guidance")),
        ("Seed", spec.seed),
    ]
    width, height = _param(params, "width"), _param(params, "height")
    if size is not None:
        width, height = size  # the pixels actually exported win over what was asked for
    if width and height:
        pairs.append(("Size", f"{width}x{height}"))
    pairs.append(("Model", model_name or spec.model_id))
    lines.append(", ".join(f"{key}: {value}" for key, value in pairs if value is not None and value != ""))
    return "\n".join(lines)


def xmp_digital_source_type(kind: SourceType | None) -> bytes:
    """An XMP packet with Iptc4xmpExt:DigitalSourceType set to the IPTC news code for `kind` (no property for None)."""
    prop = f'\n   Iptc4xmpExt:DigitalSourceType="{escape(SOURCE_TYPE_BASE + kind)}"' if kind else ""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '   xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        f'   xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n   xmp:CreatorTool="AIGC Desktop"{prop}/>\n'
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def write_png(
    path: str | os.PathLike[str], image: Image.Image, parameters: str | None, source_type: SourceType | None
) -> Path:
    """Writes `image` as PNG with the provenance chunks, atomically (a hidden temp file renamed over `path`)."""
    target = check_writable(path)
    info = PngImagePlugin.PngInfo()
    if parameters:
        # add_text picks tEXt for Latin-1 and falls back to iTXt (UTF-8) for anything else (a Chinese prompt).
        info.add_text(PARAMETERS_KEY, parameters)
    info.add_itxt(XMP_KEY, xmp_digital_source_type(source_type).decode("utf-8"))
    try:
        with atomic.replacing(target) as temp:
            image.save(temp, format="PNG", pnginfo=info)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("ProjectExport", "Could not save {path}: {reason}").format(
                path=str(target), reason=str(exc)
            )
        ) from exc
    return target


def read_png_provenance(path: str | os.PathLike[str]) -> dict[str, str | None]:
    """{"parameters": text or None, "digital_source_type": the full IPTC code URL or None}."""
    with Image.open(path) as im:
        im.load()  # text chunks after the image data are only read with the pixels
        text = dict(getattr(im, "text", {}) or {})
        xmp = text.get(XMP_KEY) or im.info.get("xmp") or ""
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", errors="replace")
    match = _SOURCE_RE.search(str(xmp))
    return {"parameters": text.get(PARAMETERS_KEY), "digital_source_type": match.group(1) if match else None}


# ---------------------------------------------------------------- what a layer or the canvas is


def is_ai_layer(project: Project, layer: Layer) -> bool:
    """A layer is AI-made when its spec_id points at a generation in the history (a stale id proves nothing)."""
    return layer.spec_id is not None and project.find_history(layer.spec_id) is not None


def layer_source_type(project: Project, layer: Layer) -> SourceType | None:
    return TRAINED if is_ai_layer(project, layer) else None


def canvas_source_type(project: Project, canvas: Canvas | None = None) -> SourceType | None:
    """Over the visible layers: all AI → trained; AI plus any hand-made layer → composite; no AI → None.

    Painting over an AI layer is not tracked yet, so a single visible AI layer counts as purely AI-made.
    """
    visible = [layer for layer in (canvas or project.canvas).layers if layer.visible and layer.opacity > 0]
    ai = [is_ai_layer(project, layer) for layer in visible]
    if not any(ai):
        return None
    return TRAINED if all(ai) else COMPOSITE


def layer_parameters(project: Project, layer: Layer) -> str | None:
    entry = project.find_history(layer.spec_id) if layer.spec_id else None
    if entry is None:
        return None
    return png_parameters(entry.spec, entry.spec.model_id, layer.image.size)


def canvas_parameters(project: Project) -> str | None:
    """The parameters of the topmost visible AI layer: one block, because A1111-style readers parse only one."""
    for layer in reversed(project.canvas.layers):
        text = layer_parameters(project, layer) if layer.visible else None
        if text:
            return text
    return None
