"""Undoable clip edits on the AudioModel: add, delete, rename, and any edit that replaces a clip's samples (trim,
fade, gain, normalise). Each one changes the model through its few plain mutators, which tell the views; the model's
undo stack marks the session edited. A command makes the clip it changes the current one, so undo shows what it
undid."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtGui import QUndoCommand

from aigc_desktop.core.project.model import Clip

if TYPE_CHECKING:  # the model imports these commands
    from aigc_desktop.state.audio import AudioModel


class AddClip(QUndoCommand):
    def __init__(self, model: AudioModel, clip: Clip) -> None:
        super().__init__(f"Add clip {clip.name}")
        self.model, self.clip = model, clip
        self.index = len(model.clips)

    def redo(self) -> None:
        self.model.insert_clip(self.index, self.clip)

    def undo(self) -> None:
        self.model.remove_clip(self.clip)


class RemoveClip(QUndoCommand):
    def __init__(self, model: AudioModel, clip: Clip) -> None:
        super().__init__(f"Delete clip {clip.name}")
        self.model, self.clip = model, clip
        self.index = model.clips.index(clip)

    def redo(self) -> None:
        self.model.remove_clip(self.clip)

    def undo(self) -> None:
        self.model.insert_clip(self.index, self.clip)


class RenameClip(QUndoCommand):
    def __init__(self, model: AudioModel, clip: Clip, name: str) -> None:
        super().__init__(f"Rename clip {clip.name}")
        self.model, self.clip, self.new, self.old = model, clip, name, clip.name

    def redo(self) -> None:
        self.model.set_name(self.clip, self.new)

    def undo(self) -> None:
        self.model.set_name(self.clip, self.old)


class EditClipSamples(QUndoCommand):
    """Any edit that replaces a clip's samples (trim, fade, gain, normalise)."""

    def __init__(self, model: AudioModel, clip: Clip, samples: np.ndarray, what: str) -> None:
        super().__init__(f"{what} {clip.name}")
        self.model, self.clip, self.new, self.old = model, clip, samples, clip.samples

    def redo(self) -> None:
        self.model.set_samples(self.clip, self.new)

    def undo(self) -> None:
        self.model.set_samples(self.clip, self.old)
