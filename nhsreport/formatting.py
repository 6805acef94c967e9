"""How numbers and dates become text: the one set of formatters the chapters' helpers, the
appendices and the briefings share, so a figure reads the same wherever it is printed."""

from __future__ import annotations

import pandas as pd

from nhsreport.dates import MONTHS


def uk_date(d) -> str:
    """``2025-11-30`` -> ``"30 November 2025"`` (UK style, no leading zero)."""
    d = pd.Timestamp(d)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_year(d) -> str:
    """``2025-11-30`` -> ``"November 2025"``."""
    d = pd.Timestamp(d)
    return f"{MONTHS[d.month - 1]} {d.year}"


def fmt_int(x) -> str:
    """``1234567`` -> ``"1,234,567"``."""
    return f"{float(x):,.0f}"


def fmt_1dp(x) -> str:
    """One decimal place: ``3.0228`` -> ``"3.0"``."""
    return f"{float(x):,.1f}"


def fmt_gbp(x, decimals: int = 2) -> str:
    """Pounds: ``13.688`` -> ``"£13.69"``."""
    return f"\u00a3{float(x):,.{decimals}f}"


def fmt_pct(x, decimals: int = 0) -> str:
    """A proportion as a percentage: ``-0.2117`` -> ``"-21%"`` (with a true minus sign)."""
    return f"{float(x) * 100:.{decimals}f}%".replace("-", "\u2212")


def ordinal(n: int) -> str:
    """``1`` -> ``"1st"``, ``22`` -> ``"22nd"``, ``13`` -> ``"13th"``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
