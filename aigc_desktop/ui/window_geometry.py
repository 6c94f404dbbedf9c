"""Where the main window goes: inside the available area of the screen it opens on (a 1366×768 laptop has less room
than the window would like), and a saved geometry is pulled back onto that screen when the screen got smaller or the
window was last seen on a monitor that is gone."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1200, 780)
# The title bar and borders a window manager adds around the window (not known before it is shown).
FRAME = QMargins(8, 40, 8, 8)


def fitted(rect: QRect, available: QRect, minimum: QSize) -> QRect:
    """`rect` (the window's client area) moved and shrunk until it, with its frame, lies inside `available`; never
    below `minimum` (the layout's own minimum: better a window that overflows than one whose widgets overlap)."""
    room = available.marginsRemoved(FRAME)
    width = max(minimum.width(), min(rect.width(), room.width()))
    height = max(minimum.height(), min(rect.height(), room.height()))
    x = min(max(rect.x(), room.left()), max(room.left(), room.right() - width + 1))
    y = min(max(rect.y(), room.top()), max(room.top(), room.bottom() - height + 1))
    return QRect(x, y, width, height)


def first_geometry(available: QRect, minimum: QSize) -> QRect:
    """The preferred size, centred on the available area, shrunk to fit it."""
    rect = QRect(0, 0, PREFERRED.width(), PREFERRED.height())
    rect.moveCenter(available.center())
    return fitted(rect, available, minimum)


def _layout_minimum(window: QWidget) -> QSize:
    """The smallest size the window's layout allows (its hint, or a minimum set on the window if larger)."""
    return window.minimumSizeHint().expandedTo(window.minimumSize())


def place_window(window: QWidget, saved_hex: str) -> None:
    """Restore the saved geometry (Qt's saveGeometry as hex) or choose a first one; either way inside the available
    area of the screen the window will open on."""
    if saved_hex and window.restoreGeometry(QByteArray.fromHex(saved_hex.encode())):
        if window.isMaximized() or window.isFullScreen():
            return  # the window manager sizes those to the screen
        wanted = window.geometry()
    else:
        wanted = QRect(0, 0, PREFERRED.width(), PREFERRED.height())
        saved_hex = ""
    screen = QGuiApplication.screenAt(wanted.center()) or window.screen() or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (some offscreen setups): keep what we have
        window.resize(wanted.size())
        return
    available = screen.availableGeometry()
    minimum = _layout_minimum(window)
    target = fitted(wanted, available, minimum) if saved_hex else first_geometry(available, minimum)
    window.setGeometry(target)


def refit_window(window: QWidget) -> None:
    """Pull the window back inside its screen once panes built after the first paint have grown the layout's minimum
    (Qt widens the window to that minimum on its own, at some later event, past the screen's edge if it must)."""
    layout = window.layout()
    if layout is not None:
        layout.activate()  # apply the grown minimum now, not at a later layout request
    screen = window.screen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    target = fitted(window.geometry(), screen.availableGeometry(), _layout_minimum(window))
    if target != window.geometry():
        window.setGeometry(target)
