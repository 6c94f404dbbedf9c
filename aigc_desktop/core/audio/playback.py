"""Playback through sounddevice (PortAudio), streamed: audio can be fed while it plays, so narration starts with the
first sentence. Without PortAudio or without an output device, `playback_problem()` says so in one sentence and the
rest of the app (generate, view, export) works as usual. The sentence is a marked `Msg` (core/i18n.py): the window
shows it translated.
"""

from __future__ import annotations

import threading
from collections import deque
from types import ModuleType
from typing import Any

import numpy as np

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg


def _sounddevice() -> ModuleType:
    import sounddevice  # imported on use: it raises OSError at import when PortAudio is missing

    module: ModuleType = sounddevice
    return module


def playback_problem() -> Msg | None:
    """None when sound can play; otherwise why not, for the user (marked for translation)."""
    try:
        sd = _sounddevice()
    except OSError:
        return QT_TRANSLATE_NOOP(
            "AudioPlayback",
            "Playback is off: the PortAudio library is not installed (Debian: libportaudio2). Export still works.",
        )
    try:
        devices = sd.query_devices()
        has_output = any(d.get("max_output_channels", 0) > 0 for d in devices)
    except Exception as exc:  # PortAudio may fail in many ways on a machine without sound
        return QT_TRANSLATE_NOOP(
            "AudioPlayback", "Playback is off: the sound system did not answer ({reason}). Export still works."
        ).format(reason=str(exc))
    if not has_output:
        return QT_TRANSLATE_NOOP(
            "AudioPlayback", "Playback is off: no sound output device was found. Export still works."
        )
    return None


class StreamPlayer:
    """Plays float32 mono samples fed in pieces. `position_s` is what has been heard so far."""

    def __init__(self, sample_rate: int, blocksize: int = 1024) -> None:
        problem = playback_problem()
        if problem:
            raise UserError(problem)
        self.sample_rate = sample_rate
        self._pieces: deque[np.ndarray] = deque()
        self._lock = threading.Lock()
        self._played = 0
        self._paused = False
        self._ended = False  # no more pieces will come: stop when the queue runs dry
        sd = _sounddevice()
        self._stream: Any = sd.OutputStream(
            samplerate=sample_rate, channels=1, dtype="float32", blocksize=blocksize, callback=self._callback
        )
        self._stream.start()

    def feed(self, samples: np.ndarray) -> None:
        mono = samples.mean(axis=1) if samples.ndim == 2 else samples
        with self._lock:
            self._pieces.append(np.ascontiguousarray(mono, dtype=np.float32))

    def end(self) -> None:
        self._ended = True

    def pause(self, paused: bool = True) -> None:
        self._paused = paused

    @property
    def position_s(self) -> float:
        return self._played / self.sample_rate

    @property
    def finished(self) -> bool:
        with self._lock:
            return self._ended and not self._pieces

    def stop(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        except Exception:  # the device may already be gone; stopping must never raise
            pass

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        out = outdata[:, 0]
        out[:] = 0.0
        if self._paused:
            return
        filled = 0
        with self._lock:
            while filled < frames and self._pieces:
                piece = self._pieces[0]
                take = min(frames - filled, len(piece))
                out[filled : filled + take] = piece[:take]
                filled += take
                if take == len(piece):
                    self._pieces.popleft()
                else:
                    self._pieces[0] = piece[take:]
        self._played += filled
