"""The whole window after every share of the interface was marked: a pseudo-language sweep over the main window with
all three panes built, their side tabs and menus, finds no visible text that skipped translation. Only the user's
own content (the document, layer and clip names, font names) and words that are rightly the same in every language
are left alone."""

from __future__ import annotations

from i18n_sweep import pseudo_language, untranslated
from PySide6.QtWidgets import QMenu

from aigc_desktop.ui.i18n import LANGUAGES
from aigc_desktop.ui.main_window import MainWindow

# The formatting buttons' letters (as Chinese word processors show them; their tooltips are translated) and the
# languages by their own names (a user who cannot read the current language still finds theirs).
SAME_IN_EVERY_LANGUAGE = ["B", "I", "H1", "H2", *LANGUAGES.values()]


def test_no_visible_text_of_the_whole_window_skips_translation(window: MainWindow) -> None:
    panes = window.panes()
    content = [
        window.document_pane.editor,
        window.canvas_pane.layer_list,
        window.canvas_pane.tool_options.font_box,
        window.audio_pane.clip_list,
    ]
    from test_i18n_canvas import ALLOWED as CANVAS_WORDS  # sampler names and colour codes

    with pseudo_language():
        for pane in panes:
            window.show_pane(pane)
            menus = [pane, *pane.findChildren(QMenu)]
            for root in menus:
                found = untranslated(root, allowed=[*SAME_IN_EVERY_LANGUAGE, *CANVAS_WORDS], content=content)
                assert found == [], f"{pane.objectName()}: " + "\n".join(found)
        assert untranslated(window, allowed=SAME_IN_EVERY_LANGUAGE, content=[*panes, *content]) == []
