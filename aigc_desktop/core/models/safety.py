"""The user's explicit consent to load pickle weights (.bin/.ckpt/.pt/.pth) of one model, and who may honour it.

Pickle files can run code when they are loaded, so only safetensors, GGUF and ONNX load by default. The user can allow
one model's pickle weights in the Models window (or `aigc models allow-pickle ID`); the consent is stored in the
settings by the model's resolved path, so it follows the files, not a name. Engines that honour it still load with
torch.load(weights_only=True), which refuses arbitrary objects.
"""

from __future__ import annotations

import os
from pathlib import Path

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.settings import Settings
from aigc_desktop.core.specs import ModelKind

ALLOW_PICKLE_ENV = "AIGC_ALLOW_PICKLE"
# (kind, backend) pairs whose engine can load pickle weights with weights_only=True once the user allowed it.
CONSENT_ENGINES = frozenset(
    {
        (ModelKind.TEXT, "transformers"),
        (ModelKind.IMAGE, "diffusers"),
        (ModelKind.IMAGE, "diffusers-single-file"),
    }
)

PICKLE_EXPLANATION = QT_TRANSLATE_NOOP(
    "Safety",
    "Its weights are only in pickle files (.bin/.ckpt/.pt/.pth). Loading a pickle file can run code hidden in it, "
    "so the app refuses them unless you allow this one model. Allow it only if you trust where it came from; it is "
    "then loaded with weights_only=True, which refuses anything but tensors.",
)


def consent_key(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def can_consent(entry: ModelEntry) -> bool:
    """Whether an engine can load this model's pickle weights once the user allows it."""
    return entry.pickle_only and (entry.kind, entry.backend) in CONSENT_ENGINES


def pickle_consented(entry: ModelEntry, paths: AppPaths) -> bool:
    """Whether the user allowed this model's pickle weights (read from the settings file every time: the window
    and the `aigc` command share it)."""
    return consent_key(entry.path) in Settings.load(paths).pickle_allowed


def allow_pickle_from_env() -> bool:
    """The global opt-in for scripted use (AIGC_ALLOW_PICKLE=1)."""
    return os.environ.get(ALLOW_PICKLE_ENV, "").strip().lower() in {"1", "true", "yes"}


def pickle_allowed(entry: ModelEntry, paths: AppPaths | None) -> bool:
    """The global opt-in, or the user's consent for this model in the settings under `paths` (None: a driver that
    keeps no settings, so only the opt-in counts)."""
    return allow_pickle_from_env() or (paths is not None and pickle_consented(entry, paths))


def set_pickle_consent(settings: Settings, entry: ModelEntry, allowed: bool) -> None:
    """Record (or withdraw) the consent in `settings`; the caller saves them."""
    key = consent_key(entry.path)
    kept = [p for p in settings.pickle_allowed if p != key]
    settings.pickle_allowed = [*kept, key] if allowed else kept
