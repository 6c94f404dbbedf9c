"""Numbers, sizes, durations and times as the window shows them: through QLocale, whose default follows the chosen
interface language (ui/i18n.py apply_language), with the units' words translated. core/units.py keeps the CLI's
English forms; in English these read the same as those."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale

from aigc_desktop.ui.i18n import translate


def number(value: float, decimals: int = 0) -> str:
    """`value` with `decimals` digits after the point, in the interface language's way (no group separators: these
    are short measurements, not amounts)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(float(value), "f", decimals) if decimals else locale.toString(round(value))


def duration(seconds: float, *, tenths: bool = False) -> str:
    """ "5 s", "1 min 15 s", "1 h 02 min" (core.units.human_duration's shapes); with `tenths`, under a minute keeps
    one decimal ("0.7 s": generations)."""
    if tenths and seconds < 59.95:
        return translate("Units", "{seconds} s").format(seconds=number(max(seconds, 0.0), 1))
    s = max(round(seconds), 0)
    if s < 60:
        return translate("Units", "{seconds} s").format(seconds=number(s))
    if s < 3600:
        return translate("Units", "{minutes} min {seconds} s").format(minutes=number(s // 60), seconds=f"{s % 60:02d}")
    return translate("Units", "{hours} h {minutes} min").format(
        hours=number(s // 3600), minutes=f"{s % 3600 // 60:02d}"
    )


def size(n: float) -> str:
    """ "512 B", "12 KB", "4.7 MB", "1.2 GB" (1024-based, as file managers show; the units stay as they are)."""
    value = float(n)
    for unit in ("B", "KB", "MB"):
        if abs(value) < 1024:
            return f"{number(value, 0 if unit in ('B', 'KB') else 1)} {unit}"
        value /= 1024
    return f"{number(value, 1)} GB"


def date_time(stamp: float) -> str:
    """A moment as year-month-day and 24-hour time ("2025-03-09 14:05:31"), read the same way in both languages."""
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(stamp * 1000)), "yyyy-MM-dd HH:mm:ss")


def clock_time(stamp: float) -> str:
    """The time of day of a moment today ("14:05:31")."""
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(stamp * 1000)), "HH:mm:ss")
