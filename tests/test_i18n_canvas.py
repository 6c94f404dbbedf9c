"""The Canvas pane in another language (issue #12): every visible text goes through the translator (the pseudo language
wraps each one in ⟦…⟧) — both side tabs, the tool bar, each tool's options, the Canvas ▾ menu, the status line and
the two dialogs —, a switch there and back restores the English texts exactly, undo steps and the names the app gives
new layers follow the language, numbers follow QLocale, Chinese typed through an input method reaches the Text tool
and the prompt, and Chinese on the canvas is drawn with real Han glyphs from a Simplified-Chinese face. Real window,
queue and worker; a fake engine stands in for diffusers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest
from fakes import FakeImageEngine
from i18n_sweep import OPEN, _visible_texts, pseudo_language, untranslated
from PIL import Image
from PySide6.QtCore import QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QInputMethodEvent, QRawFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from aigc_desktop.core.engines import base
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image.job import SCHEDULERS, ImageMode
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project.model import Layer
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.state.image_generation import MODE_LABELS
from aigc_desktop.ui.canvas.dialogs import CanvasSizeDialog, ResizeImageDialog
from aigc_desktop.ui.canvas.pane import CanvasPane
from aigc_desktop.ui.canvas.toolbar import SWATCHES
from aigc_desktop.ui.canvas.tools import TOOL_CLASSES, TextTool, rasterise_text
from aigc_desktop.ui.fonts import chinese_faces, with_chinese_faces
from aigc_desktop.ui.main_window import MainWindow

W, H = 240, 160
# Rightly not translated: the samplers' library names, the swatches' colour codes.
SAMPLER_NAMES = [label for key, label in SCHEDULERS.items() if key != "default"]
ALLOWED = [*SAMPLER_NAMES, *SWATCHES]


@pytest.fixture(autouse=True)
def fake_image_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.IMAGE, "diffusers"), "fakes:FakeImageEngine")
    FakeImageEngine.runs.clear()
    FakeImageEngine.step_delay = 0.0
    yield


def install_fake_model(paths: AppPaths) -> None:
    folder = paths.models_dir / "image" / "fake-sd"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline"}))
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")


def settle() -> None:
    """Deliver the LanguageChange events that (un)installing a translator posts (the application forwards them to
    every top-level widget, which passes them to its children)."""
    for _ in range(2):
        QApplication.processEvents()


def canvas(window: MainWindow, layers: int = 1) -> CanvasPane:
    """The Canvas pane at W×H, 100 % zoom, with `layers` transparent layers named by the user."""
    pane = window.canvas_pane
    window.show_pane(pane)
    c = window.session.project.canvas
    c.width, c.height = W, H
    pane.model.reload()
    for i in range(layers):
        pane.model.add_layer(Layer(f"sky {i}", Image.new("RGBA", (W, H), (0, 0, 0, 0))))
    pane.view.set_zoom(1.0)
    pane.view.centerOn(W / 2, H / 2)
    settle()
    return pane


def at(pane: CanvasPane, x: float, y: float) -> QPoint:
    return pane.view.mapFromScene(QPointF(x, y))


def click(pane: CanvasPane, x: float, y: float) -> None:
    QTest.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(pane, x, y))


def content(pane: CanvasPane) -> list[QWidget]:
    """What the sweep leaves alone: the model picker and its "Model:" label, and the drag-out handle (the Pane base's,
    ui/model_selector's and ui/drag_out's, swept by their own tests), and the font picker's rows (font names)."""
    handles = pane.findChildren(QWidget, "dragCanvasButton")
    return [pane.model_selector, pane.model_label, pane.tool_options.font_box, *handles]


def sweep(root: QWidget, pane: CanvasPane) -> list[str]:
    return untranslated(root, allowed=ALLOWED, content=content(pane))


def texts(pane: CanvasPane) -> list[tuple[str, str]]:
    """Every text a user can see or hover in the pane and its Canvas ▾ menu, the layer rows and their tooltips, and
    the undo steps (what Edit ▸ Undo names)."""
    found = [(w, t) for child in [pane, *pane.findChildren(QWidget)] for w, t in _visible_texts(child)]
    rows = pane.layer_panel.layer_list
    for i in range(rows.count()):
        found += [(f"layer row {i}", rows.item(i).text()), (f"layer row {i} tooltip", rows.item(i).toolTip())]
    stack = pane.model.undo_stack
    found += [(f"undo step {i}", stack.command(i).text()) for i in range(stack.count())]
    return found


def dialog_texts(dialog: QDialog) -> list[tuple[str, str]]:
    return [(w, t) for child in [dialog, *dialog.findChildren(QWidget)] for w, t in _visible_texts(child)]


# ---------------------------------------------------------------- every text translated


def test_every_canvas_pane_text_is_translated(window: MainWindow, qtbot, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    """Layers tab (with an AI layer), each tool's options bar, the Canvas ▾ menu, the Generate tab without a model
    and with a diffusion model (each mode), the status line, a generation's status and its error dialog."""
    pane = canvas(window)
    model = pane.model
    with pseudo_language():
        settle()
        model.add_layer(Layer("made", Image.new("RGBA", (W, H)), spec_id="spec-1"))
        assert sweep(pane, pane) == []
        rows = pane.layer_panel.layer_list
        assert rows.item(0).text() == "made  ⟦✦ AI⟧"  # the user's name, the app's mark
        assert rows.item(1).text() == "sky 0" and rows.item(1).toolTip() == "⟦Tick to show, untick to hide⟧"
        for cls in TOOL_CLASSES:
            pane.set_tool(cls.name)
            assert pane.tool_options.tool_name.text() == f"⟦{cls.label}⟧"
            assert pane.hint_label.text() == f"⟦{cls.tip}⟧"
            assert sweep(pane.tool_options, pane) == [], cls.name
        menu = pane.tool_bar.canvas_menu_button.menu()
        assert menu is not None and sweep(menu, pane) == []
        assert [a.text() for a in menu.actions() if not a.isSeparator()][:2] == ["⟦Resize image…⟧", "⟦Canvas size…⟧"]
        assert pane.tool_bar.canvas_menu_button.text() == "⟦Canvas ▾⟧"
        assert pane.canvas_actions["zoom_in"].toolTip().startswith("⟦Zoom in⟧ (")  # the shortcut is Qt's
        # The status line: a notice from the model, shown translated.
        model.deselect()
        model.clear_selection()
        assert pane.status_label.text() == "⟦Nothing is selected: select an area first (M or L), then press Delete.⟧"

        panel = pane.image_panel
        pane.side_tabs.setCurrentWidget(panel)
        assert panel.status.text().startswith(OPEN)  # no model: upscaling is Lanczos, says the status line
        assert sweep(panel, pane) == []
        install_fake_model(paths)
        pane.refresh_models()
        for mode in MODE_LABELS:
            if mode not in panel.available_modes():  # disabled, saying why (a diffusion model cannot interpolate)
                item = panel.mode.model().item(panel.mode.findData(mode.value))  # type: ignore[attr-defined]
                assert item.toolTip().startswith("⟦") and item.toolTip().endswith(" cannot do this⟧"), mode
                continue
            panel.set_mode(mode)
            assert panel.mode.currentText() == f"⟦{MODE_LABELS[mode]}⟧"
            assert sweep(pane, pane) == [], mode
        assert panel.scheduler.itemText(0) == "⟦Model default⟧" and panel.scheduler.itemText(1) == "Euler"
        # A generation: its status line and its undo step are translated.
        panel.set_mode(ImageMode.TXT2IMG)
        panel.prompt.setPlainText("灯笼")
        panel.steps.setValue(2)
        panel.width_.setValue(64)
        panel.height_.setValue(64)
        job = panel.generate()
        assert job is not None and job.title == "Text to image"
        qtbot.waitUntil(lambda: job.done and not pane.generation.running, timeout=20_000)
        assert panel.status.text().startswith("⟦⟦Text to image⟧: 1 image(s) in ")
        assert model.undo_stack.undoText() == "⟦⟦Text to image⟧: 1 layer(s)⟧"
        assert sweep(pane, pane) == []
        # A refusal: an error dialog in the language.
        panel.set_mode(ImageMode.INPAINT)
        model.set_mask(None)
        assert panel.generate() is None
        boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
        assert [(b.windowTitle(), b.text()) for b in boxes] == [
            ("⟦Cannot generate⟧", "⟦Paint a mask over the part to repaint (Mask tool), or select it, first.⟧")
        ]
        for box in boxes:
            box.close()
    settle()


def test_the_canvas_dialogs_are_translated(window: MainWindow) -> None:
    pane = canvas(window)
    with pseudo_language():
        settle()
        for dialog in (ResizeImageDialog(W, H, parent=pane), CanvasSizeDialog(W, H, parent=pane)):
            assert untranslated(dialog) == [], type(dialog).__name__
            assert dialog.windowTitle().startswith(OPEN)
            dialog.deleteLater()
    settle()


def test_the_sweep_sees_the_pane_texts_in_english(window: MainWindow) -> None:
    """The sweeps above mean something: without the pseudo language they find the pane's texts."""
    pane = canvas(window)
    found = " | ".join(sweep(pane, pane))
    for text in ("Brush", "Eraser", "Canvas ▾", "Layers", "Generate", "Opacity", "Import…", "Resize image…", "Fit"):
        assert text in found, text
    pane.set_tool("mask")
    assert "Remove" in " | ".join(sweep(pane.tool_options, pane))
    assert "Keep proportions" in " | ".join(untranslated(ResizeImageDialog(W, H, parent=pane)))


# ---------------------------------------------------------------- switching language live


def test_switching_language_and_back_restores_every_text(window: MainWindow, paths: AppPaths) -> None:
    """English → pseudo → English: the pane (both tabs' controls, the bars, the menu, the status line, the layer
    rows), its undo steps (a group of steps too) and the two dialogs show their English texts again, exactly."""
    install_fake_model(paths)
    pane = canvas(window)
    pane.refresh_models()
    model = pane.model
    model.add_layer(Layer("made", Image.new("RGBA", (W, H)), spec_id="spec-1"))
    model.set_visible(model.layers[0], False)
    model.select_all()
    model.crop_to_selection()
    group = QT_TRANSLATE_NOOP("ImageGeneration", "{title}: {count} layer(s)")
    with model.group(group.format(title=MODE_LABELS[ImageMode.TXT2IMG], count=2)):  # a generation's two results
        model.new_layer()
        model.new_layer()
    model.clear_selection()  # nothing is selected after the crop: the status line says so
    pane.set_tool("mask")
    pane.image_panel.set_mode(ImageMode.OUTPAINT)
    resize, extend = ResizeImageDialog(W, H, parent=pane), CanvasSizeDialog(W, H, parent=pane)
    settle()
    english = texts(pane)
    english_dialogs = dialog_texts(resize) + dialog_texts(extend)
    stack = model.undo_stack
    assert [t for w, t in english if w.startswith("undo step")] == [
        "Add layer sky 0",
        "Add layer made",
        "Hide sky 0",
        f"Crop to {W}×{H}",
        "Text to image: 2 layer(s)",
    ]
    assert stack.command(4).child(0).text() == "Add layer Layer 3"
    notice = "Nothing is selected: select an area first (M or L), then press Delete."
    assert pane.status_label.text() == notice
    rows = ["layer row 0", "layer row 1", "layer row 2", "layer row 3"]
    assert [t for w, t in english if w in rows] == ["made  ✦ AI", "Layer 4", "Layer 3", "sky 0"]
    with pseudo_language():
        settle()
        switched = texts(pane)
        assert [t for w, t in switched if w.startswith("undo step")] == [
            "⟦Add layer sky 0⟧",
            "⟦Add layer made⟧",
            "⟦Hide sky 0⟧",
            f"⟦Crop to {W}×{H}⟧",
            "⟦⟦Text to image⟧: 2 layer(s)⟧",
        ]
        assert stack.command(4).child(0).text() == "⟦Add layer Layer 3⟧"
        assert stack.undoText() == "⟦⟦Text to image⟧: 2 layer(s)⟧"
        assert pane.status_label.text() == f"⟦{notice}⟧"
        assert [t for w, t in switched if w in rows] == ["made  ⟦✦ AI⟧", "Layer 4", "Layer 3", "sky 0"]
        assert pane.tool_options.tool_name.text() == "⟦Mask⟧"
        assert sweep(pane, pane) == []
        for (where, before), (_, after) in zip(
            english_dialogs, dialog_texts(resize) + dialog_texts(extend), strict=True
        ):
            assert not before or after == f"⟦{before}⟧" or after.startswith(OPEN), (where, before, after)
    settle()
    assert texts(pane) == english
    assert dialog_texts(resize) + dialog_texts(extend) == english_dialogs
    assert stack.command(4).child(0).text() == "Add layer Layer 3"


def test_undo_steps_are_named_in_the_current_language(window: MainWindow) -> None:
    pane = canvas(window)
    model = pane.model
    with pseudo_language():
        settle()
        model.new_layer()
        layer = model.current_layer()
        assert layer is not None and layer.name == "⟦Layer 2⟧"  # the app's name, in the language of the moment
        model.duplicate_layer()
        copy = model.current_layer()
        assert copy is not None and copy.name == "⟦⟦Layer 2⟧ copy⟧"
        model.move_layer(-1)
        model.set_opacity(copy, 0.5)
        pane.set_tool("brush")
        pane.settings.sizes["brush"] = 10
        QTest.mousePress(
            pane.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(pane, 20, 20)
        )
        QTest.mouseRelease(
            pane.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(pane, 60, 20)
        )
        model.extend_canvas(0, 0, 16, 0)
        model.invert_mask()
        model.delete_layer()
        stack = model.undo_stack
        assert [stack.command(i).text() for i in range(stack.count())] == [
            "⟦Add layer sky 0⟧",
            "⟦Add layer ⟦Layer 2⟧⟧",
            "⟦Add layer ⟦⟦Layer 2⟧ copy⟧⟧",
            "⟦Move layer ⟦⟦Layer 2⟧ copy⟧⟧",
            "⟦Change opacity of ⟦⟦Layer 2⟧ copy⟧⟧",
            "⟦⟦Brush stroke⟧ on ⟦⟦Layer 2⟧ copy⟧⟧",
            f"⟦Canvas size {W}×{H} → {W + 16}×{H}⟧",
            "⟦Invert mask⟧",
            "⟦Delete layer ⟦⟦Layer 2⟧ copy⟧⟧",
        ]
        assert stack.undoText() == "⟦Delete layer ⟦⟦Layer 2⟧ copy⟧⟧"
    settle()
    # Back in English with the language; the layers keep the names they were given (they are the user's now).
    assert stack.undoText() == "Delete layer ⟦⟦Layer 2⟧ copy⟧"
    assert stack.command(5).text() == "Brush stroke on ⟦⟦Layer 2⟧ copy⟧"


# ---------------------------------------------------------------- numbers


def test_sizes_zoom_and_timings_follow_the_locale(window: MainWindow, qtbot, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    """Numbers are written through QLocale when shown (again after a change): German writes a decimal comma."""
    install_fake_model(paths)
    pane = canvas(window, layers=0)
    pane.refresh_models()
    c = window.session.project.canvas
    c.width, c.height = 1200, 800
    pane.model.reload()
    pane.view.set_zoom(0.045)
    panel = pane.image_panel
    panel.steps.setValue(2)
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    job = panel.generate()
    assert job is not None
    qtbot.waitUntil(lambda: job.done and not pane.generation.running, timeout=20_000)
    status = "Text to image: 1 image(s) in 0.0 s (0.00 s/step) with fake"
    assert panel.status.text() == status
    assert pane.tool_bar.zoom_label.text() == "4.5%" and pane.size_label.text() == "1200 × 800 px"
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        for widget in (pane, pane.tool_bar, panel):
            widget.retranslate()  # what a language switch does
        assert pane.tool_bar.zoom_label.text() == "4,5%"
        assert pane.size_label.text() == "1200 × 800 px"  # no group separator in a size
        assert panel.status.text() == "Text to image: 1 image(s) in 0,0 s (0,00 s/step) with fake"
        assert ResizeImageDialog(1200, 800, parent=pane).note.text() == (
            "Now 1200 × 800 px. Every layer is scaled (Lanczos)."
        )
    finally:
        QLocale.setDefault(before)
        for widget in (pane, pane.tool_bar, panel):
            widget.retranslate()
    assert panel.status.text() == status


# ---------------------------------------------------------------- Chinese through an input method


def type_with_input_method(widget: QWidget, preedit: str, commit: str) -> None:
    QApplication.sendEvent(widget, QInputMethodEvent(preedit, []))
    done = QInputMethodEvent()
    done.setCommitString(commit)
    QApplication.sendEvent(widget, done)


def test_chinese_from_an_input_method_goes_into_the_text_tool(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = canvas(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    layer = pane.model.layers[0]
    pane.set_tool("text")
    click(pane, 20, 20)
    tool = pane.tool
    assert isinstance(tool, TextTool) and tool.editor is not None
    typing = QApplication.focusWidget()
    assert typing is pane.view  # the view hands keys and input-method events to the text being typed
    assert typing.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)  # so the system input method attaches
    assert typing.inputMethodQuery(Qt.InputMethodQuery.ImEnabled)
    QApplication.sendEvent(typing, QInputMethodEvent("denglong", []))
    assert tool.editor.toPlainText() == ""  # what is being composed is not text yet
    assert layer.image.getbbox() is None
    done = QInputMethodEvent()
    done.setCommitString("灯笼")
    QApplication.sendEvent(typing, done)
    assert tool.editor.toPlainText() == "灯笼"
    QTest.keyClick(pane.view, Qt.Key.Key_Return)
    assert tool.editor is None and layer.image.getbbox() is not None
    assert pane.model.undo_stack.undoText() == "Text on sky 0"


def test_chinese_from_an_input_method_goes_into_the_prompts(window: MainWindow, qtbot, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    install_fake_model(paths)
    pane = canvas(window)
    pane.refresh_models()
    panel = pane.image_panel
    pane.side_tabs.setCurrentWidget(panel)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    for box, preedit, text in ((panel.prompt, "dengta", "灯塔，黄昏"), (panel.negative, "mohu", "模糊")):
        box.setFocus()
        qtbot.waitUntil(lambda box=box: QApplication.focusWidget() is box)
        QApplication.sendEvent(box, QInputMethodEvent(preedit, []))
        assert box.toPlainText() == ""
        done = QInputMethodEvent()
        done.setCommitString(text)
        QApplication.sendEvent(box, done)
        assert box.toPlainText() == text
    request = panel.request()
    assert (request.prompt, request.negative_prompt) == ("灯塔，黄昏", "模糊")


# ---------------------------------------------------------------- Chinese drawn with Chinese glyphs


def han_runs(tool: TextTool) -> list[tuple[str, QRawFont]]:
    """(family, font) of each glyph run of the text being typed, as the editor lays it out (and draws it)."""
    assert tool.editor is not None
    layout = tool.editor.document().firstBlock().layout()
    runs = [run for i in range(layout.lineCount()) for run in layout.lineAt(i).glyphRuns()]
    return [(run.rawFont().familyName(), run.rawFont()) for run in runs]


def ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.getchannel("A")) > 64


def differ(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels where two ink masks disagree, laid over each other at the top-left."""
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa, pb = np.zeros((h, w), bool), np.zeros((h, w), bool)
    pa[: a.shape[0], : a.shape[1]], pb[: b.shape[0], : b.shape[1]] = a, b
    return float((pa != pb).mean())


def test_chinese_on_the_canvas_is_drawn_with_han_glyphs_of_a_simplified_chinese_face(window: MainWindow) -> None:
    if not chinese_faces():
        pytest.skip("no Simplified-Chinese face installed (fonts-noto-cjk)")
    pane = canvas(window)
    layer = pane.model.layers[0]
    pane.settings.font_size = 48
    pane.settings.font_family = "DejaVu Sans"  # a Latin font without Han: the characters come from the fallback
    pane.set_tool("text")
    click(pane, 10, 10)
    tool = pane.tool
    assert isinstance(tool, TextTool) and tool.editor is not None
    type_with_input_method(pane.view, "denglong", "灯笼")
    runs = han_runs(tool)
    assert runs and all(raw.supportsCharacter(ord("灯")) and raw.supportsCharacter(ord("笼")) for _, raw in runs)
    assert {family for family, _ in runs} <= set(chinese_faces()), runs  # an SC face, never Noto Sans CJK JP
    # The pixels are glyphs, not the missing-glyph box Qt draws for a code point no font has: each character is its
    # own shape, unlike two missing ones, which draw the same box.
    editor = tool.editor

    def drawn(text: str) -> np.ndarray:
        editor.setPlainText(text)
        return ink(rasterise_text(editor, QColor("black")))

    lantern, cage, box, other_box = drawn("灯"), drawn("笼"), drawn("\U000f0000"), drawn("\U000f0001")
    assert box.sum() > 0 and differ(box, other_box) < 0.01  # the measure sees two boxes as the same
    assert differ(lantern, box) > 0.1 and differ(cage, box) > 0.1 and differ(lantern, cage) > 0.1
    typed = drawn("灯笼")
    QTest.keyClick(pane.view, Qt.Key.Key_Return)
    placed = ink(layer.image)
    assert placed.sum() == pytest.approx(typed.sum(), rel=0.02)  # what was placed is what was laid out


def test_the_text_tools_font_keeps_the_chosen_family_for_latin() -> None:
    from PySide6.QtGui import QFont, QFontInfo

    font = with_chinese_faces(QFont())
    assert font.families()[0] == QFontInfo(QFont()).family()  # the family Latin really comes from, not an alias
    assert font.families()[1:] == list(chinese_faces())
