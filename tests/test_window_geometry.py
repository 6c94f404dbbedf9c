"""The main window fits the screen it opens on: first start, a saved geometry from a bigger screen, a saved
geometry on a monitor that is gone, and the layout's minimum on a 1280×720 screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

from aigc_desktop.ui.window_geometry import FRAME, PREFERRED, first_geometry, fitted

LAPTOP = QRect(0, 0, 1366, 768 - 32)  # 1366×768 with a 32 px panel at the bottom
SMALL = QRect(0, 0, 1280, 720)
MIN = QSize(956, 494)  # about the main window's minimum size hint


def framed(rect: QRect) -> QRect:
    return rect.marginsAdded(FRAME)


def test_the_first_window_fits_a_laptop_screen_with_its_frame() -> None:
    rect = first_geometry(LAPTOP, MIN)
    assert LAPTOP.contains(framed(rect)), (rect, LAPTOP)
    assert rect.width() == PREFERRED.width()  # wide enough: not shrunk needlessly
    assert rect.height() < PREFERRED.height()  # 780 would push the status bar off the screen


def test_on_a_big_screen_the_first_window_has_its_preferred_size_centred() -> None:
    big = QRect(0, 0, 2560, 1440)
    rect = first_geometry(big, MIN)
    assert rect.size() == PREFERRED
    assert abs(rect.center().x() - big.center().x()) <= 1 and abs(rect.center().y() - big.center().y()) <= 1


def test_a_saved_geometry_from_a_bigger_screen_is_shrunk_onto_this_one() -> None:
    rect = fitted(QRect(100, 80, 1800, 1000), SMALL, MIN)
    assert SMALL.contains(framed(rect))


def test_a_window_last_seen_on_a_monitor_that_is_gone_comes_back() -> None:
    rect = fitted(QRect(3000, 1500, 1000, 600), LAPTOP, MIN)
    assert LAPTOP.contains(framed(rect)) and rect.size() == QSize(1000, 600)


def test_never_below_the_layouts_minimum() -> None:
    tiny = QRect(0, 0, 800, 480)
    rect = fitted(QRect(0, 0, 1200, 780), tiny, MIN)
    assert rect.size() == MIN  # overflowing beats overlapping widgets


def test_the_real_window_fits_1280x720(window) -> None:  # type: ignore[no-untyped-def]
    minimum = window.minimumSizeHint()
    room = SMALL.marginsRemoved(FRAME)
    assert minimum.width() <= room.width() and minimum.height() <= room.height(), minimum
    for pane in window.panes():
        window.show_pane(pane)
        hint = window.minimumSizeHint()
        assert hint.width() <= room.width() and hint.height() <= room.height(), (pane.pane_id, hint)


def test_the_window_opens_inside_the_screen_and_restores_its_saved_place(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from aigc_desktop.ui.window_geometry import place_window

    available = window.screen().availableGeometry()  # the offscreen screen is 800×800: narrower than the minimum
    # As narrow as the layout allows, no narrower: the panes built after the first paint widen it (the window system
    # reports a new geometry at its next event, so this waits for that report).
    qtbot.waitUntil(lambda: window.width() == window.minimumSizeHint().width())
    framed_now = framed(window.geometry())
    assert available.top() <= framed_now.top() and framed_now.bottom() <= available.bottom()
    window.setGeometry(QRect(40, 60, 1000, 560))
    saved = bytes(window.saveGeometry().toHex().data()).decode()
    window.setGeometry(QRect(0, 0, 700, 500))
    place_window(window, saved)  # restored, then pulled onto the screen as far as the layout's minimum allows
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert window.geometry() == fitted(QRect(40, 60, 1000, 560), available, minimum)
    assert window.height() == 560


def test_a_window_whose_layout_grew_after_placing_is_pulled_back_onto_the_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from aigc_desktop.ui.window_geometry import refit_window

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("a pane built at once"))
    window.show()
    qtbot.waitExposed(window)
    room = window.screen().availableGeometry().marginsRemoved(FRAME)
    window.setGeometry(QRect(room.right() - 300, room.top() + 10, 300, 200))
    late = QWidget()  # a pane built after the first paint, wider than the window was
    late.setMinimumWidth(room.width() // 2 + 100)
    layout.addWidget(late)
    late.show()
    refit_window(window)
    minimum = window.minimumSizeHint()
    assert minimum.width() > 300
    qtbot.waitUntil(lambda: window.width() == minimum.width())  # the window system reports it at its next event
    assert room.contains(window.geometry()), (window.geometry(), room)  # moved left so its right edge is shown


def test_opening_the_history_dock_keeps_the_window_on_its_screen(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The dock widens the window by its own width; the window is pulled back so as much of it as fits is shown (the
    offscreen screen is narrower than the window: its left edge goes to the screen's)."""
    room = window.screen().availableGeometry().marginsRemoved(FRAME)
    qtbot.waitUntil(lambda: window.width() == window.minimumSizeHint().width())
    window.setGeometry(window.geometry().translated(room.left() + 200 - window.geometry().x(), 0))
    qtbot.waitUntil(lambda: window.geometry().x() == room.left() + 200)
    narrow = window.width()
    window.action_history.trigger()
    qtbot.waitUntil(lambda: window.history_panel.isVisible() and window.width() > narrow)
    qtbot.waitUntil(lambda: window.geometry().x() == room.left(), timeout=2000)
