"""Undoable clip edits on the AudioModel: add, delete, rename, and any edit that replaces a clip's samples (trim,
fade, gain, normalise). Each one changes the model through its few plain mutators, which tell the views; the model's
undo stack marks the session edited. A command makes the clip it changes the current one, so undo shows what it
undid.

A command's text (what Edit ▸ Undo names) is a marked label with the clip's name, in the interface language; after
the language changes the model sets every command's text again (`AudioModel.retranslate`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.project.model import Clip

if TYPE_CHECKING:  # the model imports these commands
    from aigc_desktop.state.audio import AudioModel


class ClipCommand(QUndoCommand):
    """An edit of one clip, named by `label` ("Trim {name}") and the clip's name when the command was made."""

    def __init__(self, model: AudioModel, clip: Clip, label: Msg) -> None:
        super().__init__()
        self.model, self.clip, self.label, self.name = model, clip, label, clip.name
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(QCoreApplication.translate(self.label.context, self.label.source).format(name=self.name))


class AddClip(ClipCommand):
    def __init__(self, model: AudioModel, clip: Clip) -> None:
        super().__init__(model, clip, QT_TRANSLATE_NOOP("AudioCommands", "Add clip {name}"))
        self.index = len(model.clips)

    def redo(self) -> None:
        self.model.insert_clip(self.index, self.clip)

    def undo(self) -> None:
        self.model.remove_clip(self.clip)


class RemoveClip(ClipCommand):
    def __init__(self, model: AudioModel, clip: Clip) -> None:
        super().__init__(model, clip, QT_TRANSLATE_NOOP("AudioCommands", "Delete clip {name}"))
        self.index = model.clips.index(clip)

    def redo(self) -> None:
        self.model.remove_clip(self.clip)

    def undo(self) -> None:
        self.model.insert_clip(self.index, self.clip)


class RenameClip(ClipCommand):
    def __init__(self, model: AudioModel, clip: Clip, name: str) -> None:
        super().__init__(model, clip, QT_TRANSLATE_NOOP("AudioCommands", "Rename clip {name}"))
        self.new, self.old = name, clip.name

    def redo(self) -> None:
        self.model.set_name(self.clip, self.new)

    def undo(self) -> None:
        self.model.set_name(self.clip, self.old)


class EditClipSamples(ClipCommand):
    """Any edit that replaces a clip's samples (trim, fade, gain, normalise); `label` names it ("Trim {name}")."""

    def __init__(self, model: AudioModel, clip: Clip, samples: np.ndarray, label: Msg) -> None:
        super().__init__(model, clip, label)
        self.new, self.old = samples, clip.samples

    def redo(self) -> None:
        self.model.set_samples(self.clip, self.new)

    def undo(self) -> None:
        self.model.set_samples(self.clip, self.old)
