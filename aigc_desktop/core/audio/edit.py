"""Clip editing and export for the Audio pane and `aigc speak/music`: pure functions on float32 samples, no Qt.

Samples are numpy float32 arrays, mono `(frames,)` or `(frames, channels)` (the layout of `Clip.samples` and of
soundfile). Every function returns a new array and leaves its input alone, so the pane can keep the original for undo.
Bad arguments raise UserError with a sentence the user can act on, marked for translation (core/i18n.py). The tags
written into files stay English: other apps read them.
"""

from __future__ import annotations

import math
import os
import re
import uuid
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg

FORMATS = ("wav", "flac")
# The tags libsndfile stores in each format (checked by writing and reading back): WAV keeps them in RIFF INFO, which
# has no licence field; FLAC keeps them as Vorbis comments. A tag a format cannot hold is refused, never dropped.
_WAV_TAGS = frozenset({"title", "copyright", "software", "artist", "comment", "date", "album", "tracknumber", "genre"})
_FLAC_TAGS = _WAV_TAGS | {"license"}
FORMAT_TAGS: dict[str, frozenset[str]] = {"wav": _WAV_TAGS, "flac": _FLAC_TAGS}
# libsndfile silently drops a WAV INFO string of 2048 bytes or more and cuts "software" to about 127 bytes (it
# appends its own version there). Long values (a long prompt in the comment) are shortened to fit instead of vanishing.
MAX_TAG_BYTES = 1000
MAX_SOFTWARE_BYTES = 100
_SNDFILE_SUFFIX = re.compile(r"\s*\(libsndfile-[^)]*\)$")
_SUBTYPE = "PCM_16"  # what every player and editor opens; the clip itself stays float32 in the project


# ---------------------------------------------------------------- checks


def _samples(samples: np.ndarray) -> np.ndarray:
    array = np.asarray(samples)
    if array.ndim not in (1, 2) or (array.ndim == 2 and array.shape[1] < 1):
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "Audio must be mono (frames,) or (frames, channels) samples."))
    if not np.issubdtype(array.dtype, np.floating):
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "Audio samples must be floating point (-1.0 … 1.0)."))
    return np.ascontiguousarray(array, dtype=np.float32)


def _rate(rate: int) -> int:
    if isinstance(rate, bool) or not isinstance(rate, int | np.integer) or rate <= 0:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "The sample rate must be a positive whole number of Hz, not {rate}.").format(
                rate=repr(rate)
            )
        )
    return int(rate)


def _finite(value: float, what: Msg) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "{what} must be a finite number.").format(what=what))
    return number


# ---------------------------------------------------------------- editing


def duration_s(samples: np.ndarray, rate: int) -> float:
    return len(_samples(samples)) / float(_rate(rate))


def trim(samples: np.ndarray, rate: int, start_s: float, end_s: float) -> np.ndarray:
    """The part from start_s to end_s (seconds from the start of the clip)."""
    data, sr = _samples(samples), _rate(rate)
    start = _finite(start_s, QT_TRANSLATE_NOOP("AudioEdit", "The trim start"))
    end = _finite(end_s, QT_TRANSLATE_NOOP("AudioEdit", "The trim end"))
    length = len(data) / sr
    # Half a sample of slack: a range picked on the waveform may end at the clip's length rounded up.
    if start < 0 or end > length + 0.5 / sr or start >= end:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "AudioEdit", "The trim range {start}–{end} s must lie inside the clip (0–{length} s) and not be empty."
            ).format(start=f"{start:.3f}", end=f"{end:.3f}", length=f"{length:.3f}")
        )
    first, last = round(start * sr), min(len(data), round(end * sr))
    if last <= first:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "The trim range {start}–{end} s is shorter than one sample.").format(
                start=f"{start:.3f}", end=f"{end:.3f}"
            )
        )
    return data[first:last].copy()


def fade(samples: np.ndarray, rate: int, fade_in_s: float, fade_out_s: float) -> np.ndarray:
    """Linear fade in and fade out (gain ramps 0→1 and 1→0 over the given seconds), as Audacity's Fade In/Out do.

    Linear rather than equal-power: equal-power curves keep loudness constant when two clips overlap (a crossfade);
    on a single clip edge a linear ramp is the expected, predictable shape. 0 s leaves that end alone.
    """
    data, sr = _samples(samples), _rate(rate)
    fade_in = _finite(fade_in_s, QT_TRANSLATE_NOOP("AudioEdit", "The fade-in"))
    fade_out = _finite(fade_out_s, QT_TRANSLATE_NOOP("AudioEdit", "The fade-out"))
    length = len(data) / sr
    if fade_in < 0 or fade_out < 0:
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "Fade lengths must not be negative."))
    if fade_in + fade_out > length + 0.5 / sr:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "AudioEdit", "The fades ({fade_in} s in + {fade_out} s out) are longer than the clip ({length} s)."
            ).format(fade_in=f"{fade_in:.3f}", fade_out=f"{fade_out:.3f}", length=f"{length:.3f}")
        )
    out = data.copy()
    n_in, n_out = min(len(out), round(fade_in * sr)), min(len(out), round(fade_out * sr))
    shape = (-1, 1) if out.ndim == 2 else (-1,)
    if n_in > 0:
        out[:n_in] *= (np.arange(n_in, dtype=np.float32) / n_in).reshape(shape)
    if n_out > 0:
        out[len(out) - n_out :] *= (np.arange(n_out, 0, -1, dtype=np.float32) - 1).reshape(shape) / n_out
    return out


def gain(samples: np.ndarray, db: float) -> np.ndarray:
    """Louder (db > 0) or quieter (db < 0). Nothing is clipped here: export clips to the file's range."""
    data = _samples(samples)
    change = _finite(db, QT_TRANSLATE_NOOP("AudioEdit", "The gain"))
    if abs(change) > 96:  # beyond the range of 16-bit audio either way: surely a typo
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "A gain of {gain} dB is outside -96 … +96 dB.").format(gain=f"{change:g}")
        )
    return (data * np.float32(10.0 ** (change / 20.0))).astype(np.float32)


def peak_db(samples: np.ndarray) -> float:
    """The loudest sample in dBFS (-inf for silence)."""
    peak = float(np.max(np.abs(_samples(samples)), initial=0.0))
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def normalise(samples: np.ndarray, peak_db: float = -1.0) -> np.ndarray:
    """Scales the clip so its loudest sample reaches peak_db dBFS; a silent clip comes back unchanged."""
    data = _samples(samples)
    target = _finite(peak_db, QT_TRANSLATE_NOOP("AudioEdit", "The peak level"))
    if not -60.0 <= target <= 0.0:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "The peak level must be between -60 and 0 dBFS, not {level}.").format(
                level=f"{target:g}"
            )
        )
    peak = float(np.max(np.abs(data), initial=0.0))
    if peak == 0.0:
        return data.copy()
    return (data * np.float32(10.0 ** (target / 20.0) / peak)).astype(np.float32)


def mix_to_mono(samples: np.ndarray) -> np.ndarray:
    """The mean of the channels (so a full-scale stereo clip stays within full scale)."""
    data = _samples(samples)
    if data.ndim == 1:
        return data.copy()
    return np.ascontiguousarray(data.mean(axis=1, dtype=np.float32))


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """The clip at another sample rate (torchaudio's band-limited sinc interpolation)."""
    data, src, dst = _samples(samples), _rate(from_rate), _rate(to_rate)
    if src == dst:
        return data.copy()
    if len(data) == 0:
        return np.zeros((0, *data.shape[1:]), dtype=np.float32)
    import torch  # heavy: only when a clip really changes rate
    import torchaudio.functional as taf

    # torchaudio wants (channels, time); the clip is (time,) or (time, channels).
    waveform = torch.from_numpy(data.T.copy() if data.ndim == 2 else data[None, :].copy())
    out = taf.resample(waveform, src, dst).numpy()
    result = out.T if data.ndim == 2 else out[0]
    return np.ascontiguousarray(result, dtype=np.float32)


# ---------------------------------------------------------------- export


def _format_of(fmt: str) -> str:
    name = fmt.lower().lstrip(".")
    if name not in FORMATS:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "Audio can be saved as WAV or FLAC, not '{format}'.").format(format=fmt)
        )
    return name


def format_for_path(path: str | os.PathLike[str]) -> str:
    """'wav' or 'flac' from the file's extension (a clear UserError for anything else)."""
    suffix = Path(path).suffix
    if not suffix:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "{path}: give the file a .wav or .flac extension.").format(path=path)
        )
    return _format_of(suffix)


def _clip_utf8(value: str, limit: int) -> str:
    raw = value.encode("utf-8")
    if len(raw) <= limit:
        return value
    ellipsis = "…".encode()
    # errors="ignore" drops a character cut in half at the end.
    return raw[: limit - len(ellipsis)].decode("utf-8", errors="ignore") + "…"


def _clean_tags(tags: Mapping[str, str] | None, fmt: str) -> dict[str, str]:
    allowed = FORMAT_TAGS[fmt]
    clean: dict[str, str] = {}
    for key, value in (tags or {}).items():
        name = key.lower()
        if name not in allowed:
            raise UserError(
                QT_TRANSLATE_NOOP("AudioEdit", "{format} files cannot hold a '{tag}' tag (they hold: {tags}).").format(
                    format=fmt.upper(), tag=key, tags=", ".join(sorted(allowed))
                )
            )
        text = str(value).replace("\x00", "")
        if text:
            clean[name] = _clip_utf8(text, MAX_SOFTWARE_BYTES if name == "software" else MAX_TAG_BYTES)
    return clean


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Raises UserError unless a file can be created at `path` (checked by creating and removing a probe file)."""
    target = Path(path).expanduser()
    folder = target.parent
    if target.is_dir():
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "{path} is a folder; give a file name.").format(path=target))
    if not folder.is_dir():
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "Cannot save to {path}: the folder {folder} does not exist.").format(
                path=target, folder=folder
            )
        )
    probe = folder / f".{target.name}.{uuid.uuid4().hex[:8]}.probe"
    try:
        probe.open("xb").close()
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "Cannot save to {path}: {reason}.").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    probe.unlink(missing_ok=True)
    return target


def write_audio(
    path: str | os.PathLike[str],
    samples: np.ndarray,
    rate: int,
    fmt: str = "wav",
    tags: Mapping[str, str] | None = None,
) -> Path:
    """Writes 16-bit PCM WAV or FLAC with provenance tags, atomically: a temporary file in the same folder is renamed
    over `path` only when complete, so a failure (full disk, bad tag) leaves nothing behind and never a half file.

    Samples beyond ±1.0 are clipped (16-bit PCM cannot hold them). Returns the written path.
    """
    import soundfile as sf

    data, sr, kind = _samples(samples), _rate(rate), _format_of(fmt)
    if len(data) == 0:
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "The clip is empty: there is nothing to save."))
    clean = _clean_tags(tags, kind)
    target = check_writable(path)
    channels = 1 if data.ndim == 1 else data.shape[1]
    # The temporary file is created by libsndfile with the user's umask, so the final file gets the same
    # permissions as any other file they save (mkstemp would make it private to them).
    try:
        with (
            atomic.replacing(target) as temp,
            sf.SoundFile(temp, "x", samplerate=sr, channels=channels, subtype=_SUBTYPE, format=kind.upper()) as f,
        ):
            # Tags must be set before the first frame: FLAC refuses strings once audio is written.
            for key, value in clean.items():
                setattr(f, key, value)
            f.write(np.clip(data, -1.0, 1.0))
    except (OSError, RuntimeError, sf.LibsndfileError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("AudioEdit", "Could not save {path}: {reason}").format(path=target, reason=exc)
        ) from exc
    return target


def read_audio(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """float32 samples ((frames,) for mono, else (frames, channels)) and the rate of a WAV/FLAC/OGG file."""
    import soundfile as sf

    source = Path(path).expanduser()
    if not source.is_file():
        raise UserError(QT_TRANSLATE_NOOP("AudioEdit", "There is no audio file at {path}.").format(path=source))
    try:
        data, rate = sf.read(source, dtype="float32", always_2d=True)
    except (OSError, RuntimeError, sf.LibsndfileError) as exc:
        raise UserError(_unreadable(source, exc)) from exc
    samples = data[:, 0] if data.shape[1] == 1 else data
    return np.ascontiguousarray(samples, dtype=np.float32), int(rate)


def read_tags(path: str | os.PathLike[str]) -> dict[str, str]:
    """The text tags of a WAV/FLAC file (title, comment, software…), as write_audio wrote them.

    libsndfile appends its own version to "software" ("AIGC Desktop (libsndfile-1.2.2)"); that suffix is removed so
    what was written reads back unchanged.
    """
    import soundfile as sf

    source = Path(path).expanduser()
    try:
        with sf.SoundFile(source) as f:
            tags = {str(k): str(v) for k, v in f.copy_metadata().items()}
    except (OSError, RuntimeError, sf.LibsndfileError) as exc:
        raise UserError(_unreadable(source, exc)) from exc
    if "software" in tags:
        tags["software"] = _SNDFILE_SUFFIX.sub("", tags["software"])
        if not tags["software"]:
            del tags["software"]
    return tags


def _unreadable(source: Path, exc: BaseException) -> Msg:
    return QT_TRANSLATE_NOOP("AudioEdit", "{path} is not an audio file this app can read: {reason}").format(
        path=source, reason=exc
    )


def provenance_tags(clip_name: str, model: str, prompt: str, software: str = "AIGC Desktop") -> dict[str, str]:
    """The tags that label an AI-made clip: title = clip name, comment = model and prompt, software = this app."""
    tags = {"software": software, "comment": f"AI-generated with {model}: {prompt}"}
    if clip_name:
        tags["title"] = clip_name
    return tags
