"""What the Audio pane plays: one StreamPlayer at a time, whether it plays, is paused or stopped, and where it is.

A clip plays from a position; a narration plays while it is generated (its generation feeds the stream). The
transport buttons, the position label and the waveform's playhead render this object; none of it is read back from
a widget. Without a sound device `problem` says why once, and nothing else breaks; the why is a marked Msg
(core/i18n.py), carried unchanged to the pane, which shows it in the interface language.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from aigc_desktop.core.audio.playback import StreamPlayer, playback_problem
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.model import Clip

TICK_MS = 50  # how often the position is read from the player (20 playhead moves a second)


class PlaybackState(StrEnum):
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"


class Playback(QObject):
    state_changed = Signal(object)  # PlaybackState
    position_changed = Signal(float)  # seconds into `clip_id`
    # A narration could not start playing (why: a str, a marked Msg when core wrote it); it still generates.
    stream_failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problem: str | None = playback_problem()  # None: sound can play; a marked Msg the pane translates
        self.state = PlaybackState.STOPPED
        self.clip_id: str | None = None  # the clip that plays, or that `position_s` is a place in
        self.position_s = 0.0
        self._player: StreamPlayer | None = None
        self._offset = 0.0  # where in the clip the player started
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    # ------------------------------------------------------------ requests

    def play(self, clip: Clip, start_s: float = 0.0) -> None:
        """Play `clip` from `start_s` (from the start when that is at or past its end). UserError when sound cannot
        play."""
        self.stop()
        start = start_s if 0.0 <= start_s < clip.duration_s else 0.0
        player = StreamPlayer(clip.sample_rate)
        player.feed(clip.samples[int(start * clip.sample_rate) :])
        player.end()
        self._begin(player, clip.id, start)

    def stream(self, clip_id: str, sample_rate: int) -> StreamPlayer | None:
        """A player for audio still being generated into `clip_id`: the caller feeds it and ends it. None (and
        `stream_failed` says why) when sound cannot play."""
        self.stop()
        try:
            player = StreamPlayer(sample_rate)
        except UserError as exc:
            self.stream_failed.emit(exc.message)
            return None
        self._begin(player, clip_id, 0.0)
        return player

    def release(self, player: StreamPlayer) -> None:
        """A generation that fed `player` ended without its whole result (stopped, failed): silence it."""
        if player is self._player:
            self.stop()
        else:
            player.stop()

    def pause(self) -> None:
        if self.state is PlaybackState.PLAYING and self._player is not None:
            self._player.pause(True)
            self._set_state(PlaybackState.PAUSED)

    def resume(self) -> None:
        if self.state is PlaybackState.PAUSED and self._player is not None:
            self._player.pause(False)
            self._set_state(PlaybackState.PLAYING)

    def stop(self) -> None:
        """Stop; the position stays where playback was, so the playhead shows where it stopped."""
        if self._player is not None:
            self._player.stop()
            self._player = None
        self._timer.stop()
        self._set_state(PlaybackState.STOPPED)

    def seek(self, clip_id: str | None, seconds: float) -> None:
        """Place the position without playing (where Play starts from)."""
        self.clip_id = clip_id
        self._set_position(seconds)

    # ------------------------------------------------------------ internals

    def _begin(self, player: StreamPlayer, clip_id: str, offset: float) -> None:
        self._player, self.clip_id, self._offset = player, clip_id, offset
        self._set_position(offset)
        self._set_state(PlaybackState.PLAYING)
        self._timer.start()

    def _tick(self) -> None:
        if self._player is None:
            return
        self._set_position(self._offset + self._player.position_s)
        if self._player.finished:
            self.stop()

    def _set_state(self, state: PlaybackState) -> None:
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state)

    def _set_position(self, seconds: float) -> None:
        if seconds != self.position_s:
            self.position_s = seconds
            self.position_changed.emit(seconds)
