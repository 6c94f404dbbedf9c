"""The live views of "Learn my style" that the image trainer has no use for: the sample continuations of a held-back
opening, one after each epoch (the loss curve is train_views.LossCurves, reused).

The opening and the continuations are the user's text and the model's (never translated); the headings between them
are the app's words, rendered again in the interface language on every LanguageChange.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from aigc_desktop.ui.i18n import Retranslating, translate
from aigc_desktop.ui.units import format_number


class StyleSamples(Retranslating, QTextBrowser):
    """The held-back opening, then "After epoch N" and what the model wrote on from it, newest last (scrolled to)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("styleSamples")
        self.setOpenLinks(False)
        self.setMinimumSize(300, 160)
        self.opening = ""
        self.samples: list[tuple[int, str]] = []  # (epoch, continuation); epoch 0: before training
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(
            translate(
                "StyleSamples",
                "After each epoch the model continues a passage it was not trained on: its words appear here.",
            )
        )
        self._render()

    def clear_samples(self) -> None:
        self.opening = ""
        self.samples = []
        self._render()

    def set_opening(self, text: str) -> None:
        self.opening = text
        self._render()

    def add_sample(self, epoch: int, text: str) -> None:
        self.samples.append((epoch, text))
        self._render()

    def _render(self) -> None:
        if not self.opening and not self.samples:
            self.clear()
            return
        parts: list[str] = []
        if self.opening:
            title = translate("StyleSamples", "The opening (held back, never trained on):")
            parts.append(f"<p><b>{html.escape(title)}</b><br>{_paragraphs(self.opening)}</p>")
        for epoch, text in self.samples:
            title = (
                translate("StyleSamples", "Before training:")
                if epoch == 0
                else translate("StyleSamples", "After epoch {epoch}:").format(epoch=format_number(epoch))
            )
            parts.append(
                f"<p><b>{html.escape(title)}</b><br><span style='color:#1c5d99;'>…{_paragraphs(text)}</span></p>"
            )
        self.setHtml("".join(parts))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


def _paragraphs(text: str) -> str:
    return html.escape(text.strip()).replace("\n", "<br>")
