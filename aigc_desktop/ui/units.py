"""Numbers, sizes, speeds and durations as the window shows them: in the interface language, through QLocale.

core/units.py formats in English for the terminal and the log, and returns `Measure`s (the English text that keeps
its number). Here the same quantities are formatted with the default QLocale (which follows the chosen language:
ui/i18n.py apply_language) and translated unit words, and `tr_local` shows a core message translated with every
Measure inside it formatted this way: the fit reason "needs 6.0 GB of RAM" a core function wrote reads in Chinese
with the number as QLocale writes it. Why a value type rather than a formatting hook in core: core stays free of
global state (the CLI, tests and worker threads all get the same English), and nothing needs to be installed first.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale

from aigc_desktop.core.i18n import Msg
from aigc_desktop.core.units import Measure, Unit
from aigc_desktop.ui.i18n import tr_msg, translate

GIB = 1024**3


def _locale() -> QLocale:
    """The interface language's locale, without group separators: these are short measurements ("1006.7 MB",
    "12345 steps" read better whole)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale


def format_number(value: float, decimals: int = 0) -> str:
    """`value` with the locale's digits and decimal point."""
    if decimals <= 0:
        return _locale().toString(round(value))
    return _locale().toString(float(value), "f", decimals)


def format_percent(fraction: float) -> str:
    """0.42 → "42%" (whole percent: the progress bars' precision)."""
    return f"{format_number(fraction * 100)}{QLocale().percent()}"


def format_bytes(n: float) -> str:
    """A size as core.units.human_bytes shapes it ("512 B", "12 KB", "4.7 MB", "1.2 GB": 1024-based, the units as
    they are), its number in the locale's form."""
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if abs(size) < 1024:
            return f"{format_number(size, 0 if unit in ('B', 'KB') else 1)} {unit}"
        size /= 1024
    return f"{format_number(size, 1)} GB"


def format_gb(n: float) -> str:
    """A memory or disk amount, always in GB as the fit check says it: "0.5 GB", "8.0 GB", "12 GB"."""
    value = n / GIB
    return translate("Units", "{value} GB").format(value=format_number(value, 1 if value < 10 else 0))


def format_speed(bytes_per_second: float) -> str:
    """ "3.1 MB/s"."""
    return translate("Units", "{size}/s").format(size=format_bytes(bytes_per_second))


def format_duration(seconds: float, *, tenths: bool = False) -> str:
    """ "5 s", "1 min 15 s", "1 h 02 min" in the interface language; with `tenths`, under a minute keeps one decimal."""
    if tenths and seconds < 59.95:
        return translate("Units", "{seconds} s").format(seconds=format_number(max(seconds, 0.0), 1))
    s = max(round(seconds), 0)
    if s < 60:
        return translate("Units", "{seconds} s").format(seconds=format_number(s))
    if s < 3600:
        return translate("Units", "{minutes} min {seconds} s").format(
            minutes=format_number(s // 60), seconds=format_number(s % 60).rjust(2, QLocale().zeroDigit())
        )
    return translate("Units", "{hours} h {minutes} min").format(
        hours=format_number(s // 3600), minutes=format_number(s % 3600 // 60).rjust(2, QLocale().zeroDigit())
    )


def format_date_time(stamp: float) -> str:
    """A moment as year-month-day and 24-hour time ("2025-03-09 14:05:31"), read the same way in both languages."""
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(stamp * 1000)), "yyyy-MM-dd HH:mm:ss")


def format_clock_time(stamp: float) -> str:
    """The time of day of a moment today ("14:05:31")."""
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(stamp * 1000)), "HH:mm:ss")


def format_measure(measure: Measure) -> str:
    """A core Measure as the window shows it."""
    if measure.unit is Unit.BYTES:
        return format_bytes(measure.value)
    if measure.unit is Unit.GIGABYTES:
        return format_gb(measure.value)
    return format_duration(measure.value, tenths=measure.unit is Unit.SECONDS_TENTHS)


def localized(text: str) -> str:
    """`text` with every Measure in it (itself, or a value of a Msg, at any depth) in the window's form; a Msg stays
    a Msg (for tr_msg), anything else is returned as it is."""
    if isinstance(text, Measure):
        return format_measure(text)
    if isinstance(text, Msg) and text.values:
        values = {k: localized(v) if isinstance(v, str) else v for k, v in text.values.items()}
        return Msg(text.context, text.source, values)
    return text


def tr_local(text: str) -> str:
    """A text from core shown in the interface language: translated where marked, its sizes and durations in the
    locale's form."""
    return tr_msg(localized(text))
