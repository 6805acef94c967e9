"""Dates: one rule for "open on a date", and the month names every formatter uses.

An organisation is open on day ``d`` when it opened on or before ``d`` and either has no close
date or closed on or after ``d`` (ODS close dates are the last day of operation, so a trust closed
on 31 March is not open on 1 April). The pipeline and the analysis both use :func:`is_open_on`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: the book's extension needs only MONTHS
    import pandas as pd

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day(date) -> pd.Timestamp:
    """``date`` as a timestamp at midnight."""
    import pandas as pd

    return pd.Timestamp(date).normalize()


def to_dates(s: pd.Series) -> pd.Series:
    """A column of dates, blanks and unparseable cells as ``NaT``."""
    import pandas as pd

    return pd.to_datetime(s, errors="coerce")


def is_open_on(opened: pd.Series, closed: pd.Series, date) -> pd.Series:
    """Boolean mask: opened on or before ``date`` and not closed before it."""
    d = day(date)
    o, c = to_dates(opened), to_dates(closed)
    return (o <= d) & (c.isna() | (c >= d))
