"""What the engines share about loading model weights safely and freeing them again.

No torch or transformers here at import time: importing them costs seconds and gigabytes, and this module is imported
with the engines, before anything loads. Engines pass in the torch module they already imported.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Mapping
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry

log = logging.getLogger(__name__)

PICKLE_REFUSED = QT_TRANSLATE_NOOP(
    "ModelLoading",
    "{name} only has pickle weights (.bin); this app loads safetensors only, because pickle files can run code. "
    "Convert it to safetensors.",
)
# Only engines that honour the user's explicit pickle opt-in may point at it.
PICKLE_REFUSED_OR_ALLOW = QT_TRANSLATE_NOOP(
    "ModelLoading",
    "{name} only has pickle weights (.bin); this app loads safetensors only, because pickle files can run code. "
    "Convert it to safetensors or allow its pickle weights in Models > Installed (or with `aigc models "
    "allow-pickle`).",
)
# What the user sees of a library error: its first line, capped (some are whole pages of advice).
MAX_REASON_CHARS = 300


def refuse_pickle_only(model: ModelEntry, allowed: bool = False, *, can_allow: bool = False) -> None:
    """Raises UserError for a folder with only pickle weights unless the user `allowed` them.

    `can_allow`: the engine has a pickle opt-in, so the message names it; elsewhere it would point at nothing.
    """
    if model.pickle_only and not allowed:
        raise UserError((PICKLE_REFUSED_OR_ALLOW if can_allow else PICKLE_REFUSED).format(name=model.name))


def reason(exc: BaseException) -> str:
    """An exception as one short line for a message: its first line, capped, or its type when it says nothing."""
    lines = str(exc).strip().splitlines()
    first = lines[0].strip() if lines else type(exc).__name__
    return first if len(first) <= MAX_REASON_CHARS else first[: MAX_REASON_CHARS - 1] + "…"


def check_complete_weights(model_name: str, info: Mapping[str, Any]) -> None:
    """Raises UserError when from_pretrained(output_loading_info=True) reported missing weights.

    The library only warns about them and fills them with random numbers: that is a broken model, not a usable one.
    """
    missing = sorted(info.get("missing_keys") or ())
    if missing:
        message = QT_TRANSLATE_NOOP(
            "ModelLoading", "{name} could not be loaded: its weights lack {count} tensors (e.g. {example})."
        )
        raise UserError(message.format(name=model_name, count=len(missing), example=missing[0]))


def load_checked(
    model: ModelEntry,
    as_what: str,
    load: Callable[[], Any],
    release: Callable[[], None],
) -> Any:
    """The model that `load` returns with its loading info, or a one-line UserError naming `model`.

    `load` makes the from_pretrained(..., output_loading_info=True) call and returns its (model, info) pair, typed Any
    as the library types it. `as_what` ("as a MusicGen model", a marked Msg so that it is translated with the
    message) says what the folder failed to be. `release` frees
    whatever the engine holds, after a failure, before the error is raised.
    """
    try:
        loaded, info = load()
    except UserError:
        raise
    except Exception as exc:  # bad config, missing files, unknown architecture, mismatched shapes
        log.warning("loading %s failed", model.path, exc_info=True)
        release()
        message = QT_TRANSLATE_NOOP("ModelLoading", "{name} could not be loaded {as_what}: {reason}")
        raise UserError(message.format(name=model.name, as_what=as_what, reason=reason(exc))) from exc
    try:
        check_complete_weights(model.name, info)
    except UserError:
        # The traceback keeps this frame alive: drop the weights first, or release() could not free their memory.
        del loaded
        release()
        raise
    return loaded


def free_memory(torch: Any, device: str) -> None:
    """Frees the memory of the models the caller just dropped its references to, on the CPU and on CUDA.

    `torch` is None when it was never imported (nothing to free on a GPU then).
    """
    gc.collect()  # models hold reference cycles; without this their tensors live until some later collection
    if torch is not None and device == "cuda":
        torch.cuda.empty_cache()  # else the caching allocator keeps the blocks and other processes see them in use
