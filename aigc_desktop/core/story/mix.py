"""The story's sound, block by block: each scene's narration at its place, and the music bed under the whole story,
looped or trimmed, ducked under the narration with short ramps and faded out at the end.

Computed on demand for any range of samples (`StoryMixer.block`), so an export holds one block at a time, never the
whole soundtrack: memory stays flat however long the story is. Mono, at the timeline's rate; clips at another rate
are resampled once when the mixer is built.
"""

from __future__ import annotations

import numpy as np

from aigc_desktop.core.audio.edit import mix_to_mono, resample
from aigc_desktop.core.project.model import Clip
from aigc_desktop.core.story.board import MusicBed
from aigc_desktop.core.story.timeline import Timeline


def _mono_at(clip: Clip, rate: int) -> np.ndarray:
    samples = mix_to_mono(clip.samples) if clip.samples.ndim == 2 else clip.samples
    if clip.sample_rate != rate:
        samples = resample(samples, clip.sample_rate, rate)
    return np.ascontiguousarray(samples, dtype=np.float32)


class StoryMixer:
    def __init__(self, timeline: Timeline, bed_clip: Clip | None, bed: MusicBed) -> None:
        self.rate = timeline.sample_rate
        self.total = round(timeline.duration_s * self.rate)
        self.voices = [
            (round(slot.start_s * self.rate), _mono_at(slot.narration, self.rate))
            for slot in timeline.slots
            if slot.narration is not None
        ]
        self.spans = timeline.narration_spans()
        self.bed = bed
        self.music = None if bed_clip is None else _mono_at(bed_clip, self.rate)
        if self.music is not None and self.music.size == 0:
            self.music = None

    def duck_amount(self, t: np.ndarray) -> np.ndarray:
        """0 (bed at its level) to 1 (fully ducked) at times `t`: 1 during narration, linear ramps of ramp_s that end
        as a narration starts and begin as it ends, so the voice never starts over a loud bed."""
        ramp = max(self.bed.ramp_s, 1e-3)
        amount = np.zeros_like(t)
        lo, hi = float(t[0]) if t.size else 0.0, float(t[-1]) if t.size else 0.0
        for a, b in self.spans:
            if b + ramp < lo or a - ramp > hi:
                continue
            inside = np.minimum((t - (a - ramp)) / ramp, ((b + ramp) - t) / ramp)
            np.maximum(amount, np.clip(inside, 0.0, 1.0), out=amount)
        return amount

    def music_gain(self, t: np.ndarray) -> np.ndarray:
        """The bed's linear gain at times `t`: its level, ducked under narration, faded out over the last seconds."""
        db = self.bed.volume_db + self.bed.duck_db * self.duck_amount(t)
        gain = np.power(10.0, db / 20.0)
        end = self.total / self.rate
        if self.bed.fade_out_s > 0:
            gain *= np.clip((end - t) / self.bed.fade_out_s, 0.0, 1.0)
        return gain

    def block(self, start: int, count: int) -> np.ndarray:
        """Samples [start, start + count) of the mix, float32 mono in [-1, 1]."""
        count = max(0, min(count, self.total - start))
        out = np.zeros(count, dtype=np.float32)
        if count == 0:
            return out
        if self.music is not None:
            index = np.arange(start, start + count, dtype=np.int64)
            n = self.music.size
            if self.bed.loop:
                bed = self.music[index % n]
            else:
                bed = np.where(index < n, self.music[np.minimum(index, n - 1)], 0.0).astype(np.float32)
            t = index / float(self.rate)
            out += (bed * self.music_gain(t)).astype(np.float32)
        for at, voice in self.voices:
            a, b = max(start, at), min(start + count, at + voice.size)
            if a < b:
                out[a - start : b - start] += voice[a - at : b - at]
        np.clip(out, -1.0, 1.0, out=out)
        return out
