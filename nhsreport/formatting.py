"""How numbers and dates become text: the one set of formatters the chapters' helpers, the
appendices and the briefings share, so a figure reads the same wherever it is printed."""

from __future__ import annotations

import re

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


def financial_year(d) -> str:
    """The financial year starting on ``d``: ``2025-04-01`` -> ``"2025/26"``."""
    y = pd.Timestamp(d).year
    return f"{y}/{str(y + 1)[-2:]}"


def period_text(d, precision: str) -> str:
    """A reporting period as text: ``precision`` ``"day"`` -> "1 April 2026", ``"month"`` ->
    "November 2025", ``"mid-year"`` -> "mid-2020", ``"financial year"`` (``d`` its first day) ->
    "2025/26"."""
    if precision == "day":
        return uk_date(d)
    if precision == "month":
        return month_year(d)
    if precision == "mid-year":
        return f"mid-{pd.Timestamp(d).year}"
    if precision == "financial year":
        return financial_year(d)
    raise ValueError(f"unknown precision of a period: {precision!r}")


def whole_months(then, now) -> int:
    """Whole calendar months from ``then`` to ``now``, counted day to day (as an age is): 31 March
    and 1 April 2026 are both 8 months before 6 December 2026, and both 4 months before 1 August
    2026 (31 March to 31 July is 4 months; 1 August is one day more). Negative when ``now`` is earlier."""
    then, now = pd.Timestamp(then), pd.Timestamp(now)
    months = (now.year - then.year) * 12 + now.month - then.month
    # a month is complete when ``now`` reaches the same day of the month (or the month's last day)
    if now.day < then.day and now.day < now.days_in_month:
        months -= 1
    return months


def age_text(then, now) -> str:
    """How old a figure of ``then`` is on ``now``, in words (the one age rule of the report):
    "this month's" (under a month), "a month old", "8 months old", "a year old", "6 years old"."""
    months = whole_months(then, now)
    if months < 1:
        return "this month's"
    if months < 12:
        return "a month old" if months == 1 else f"{months} months old"
    years = months // 12
    return "a year old" if years == 1 else f"{years} years old"


def as_of_text(value) -> str:
    """A dataset's "as of" (``x_as_of`` in the data package) as a caption prints it: ``"2022-07-01"``
    -> "1 July 2022", ``"2026-06"`` -> "June 2026"; anything else (a financial year, "2025/26") as
    it is."""
    value = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return uk_date(value)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return month_year(value + "-01")
    return value


#: an ISO date or month, or a range of two ("2013-04/2022-07"), standing alone: not part of a code,
#: a file name or a longer number
ISO_DATES = re.compile(r"(?<![\w/.\-])(\d{4}-\d{2}(?:-\d{2})?)(?:/(\d{4}-\d{2}(?:-\d{2})?))?(?![\w/\-])")


def _iso_in_words(iso: str, short: bool) -> str | None:
    """``iso`` ("2015-02", "2022-07-01") in words, or None when it is not a date: a month past 12,
    or a financial year ("2011-12" is 2011/12 as often as December 2011)."""
    year, month = int(iso[:4]), int(iso[5:7])
    if not 1 <= month <= 12 or (len(iso) == 7 and month == (year + 1) % 100):
        return None
    if len(iso) == 10:
        return uk_date(iso)
    return short_month_year(iso + "-01") if short else month_year(iso + "-01")


def dates_in_words(text: str, short: bool = False, join=" to ".join) -> str:
    """``text`` with every ISO date, month or range of them in words: "As of 2026-11" -> "As of
    November 2026", "2013-04/2022-07" -> "April 2013 to July 2022"; ``short`` months ("Feb 2015")
    for table cells. A financial year ("2010-11") and what is not a date ("2019-2022", "2010-13")
    stay as they are. ``join`` makes one text of a match's dates in words."""

    def words(m: re.Match) -> str:
        dates = [_iso_in_words(iso, short) for iso in m.groups() if iso]
        return m.group(0) if None in dates else join(dates)

    return ISO_DATES.sub(words, text)


def date_at_precision(d, precision: str) -> str:
    """A date written at the precision it is known to: ``"13 March 2025"`` (``"day"``),
    ``"March 2025"`` (``"month"``) or ``"2025"`` (``"year"`` or coarser)."""
    if precision in ("day", "month"):
        return period_text(d, precision)
    return str(pd.Timestamp(d).year)


def short_month_year(d) -> str | None:
    """``2017-10-01`` -> ``"Oct 2017"`` (a chart's or table's short date); ``None`` for a missing date."""
    if d is None or pd.isna(d):
        return None
    d = pd.Timestamp(d)
    return f"{MONTHS[d.month - 1][:3]} {d.year}"


def year_month(d) -> str | None:
    """``2017-10-01`` -> ``"2017-10"`` (a table's month, sorting as text); ``None`` for a missing date."""
    if d is None or pd.isna(d):
        return None
    d = pd.Timestamp(d)
    return f"{d.year:04d}-{d.month:02d}"


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


#: What breaks the style of a number in text: a sign or "£" parted from its digits ("+ 5", "£ 1,109"),
#: a space before "%" ("4.2 %"), or a hyphen standing for a minus sign ("-5%"; the style is "−5%").
NUMBER_STYLE_FAULT = re.compile(r"(^|[\s(])[+\u2212-]\s+\d|\d\s+%|\u00a3\s+\d|(^|[\s(\u00a3])-\d")


def number_style(text: str) -> str:
    """A number printed in text in the report's one style: a true minus sign, and no space between
    a sign or "£" and its digits or between the digits and "%": ``"- 5 %"`` -> ``"−5%"``,
    ``"£ 1,109"`` -> ``"£1,109"``, ``"-14 to +5"`` -> ``"−14 to +5"``. Hyphens inside words and
    spans of years ("2015-16") are left alone."""
    text = re.sub(r"(^|[\s(])([+\u2212-])\s+(?=\d)", r"\1\2", str(text))
    text = re.sub(r"(\d)\s+%", r"\1%", text)
    text = re.sub(r"\u00a3\s+(?=\d)", "\u00a3", text)
    return re.sub(r"(^|[\s(\u00a3])-(?=\d)", "\\1\u2212", text)


_YEAR_SPAN = re.compile(r"(?<![\w/.:\-\u2013])((?:19|20)\d\d)-((?:19|20)\d\d|\d\d)(?![\w/\-])")
_NOT_PROSE = re.compile(r"(`[^`\n]*`|https?://\S+|\]\([^)]*\))")


def year_spans(text: str) -> str:
    """Spans of years in the report's style: a financial year with a slash (``"2014-15"`` ->
    ``"2014/15"``), any other span of years with an en dash (``"2000-2026"`` -> ``"2000–2026"``,
    ``"2010-13"`` -> ``"2010–13"``). Addresses, code spans, ISO dates (``"2025-11"``,
    ``"2025-11-30"``) and identifiers (``"geo_2019-2020"`` inside a word) are left alone."""

    def styled(m: re.Match) -> str:
        first, second = int(m.group(1)), m.group(2)
        if len(second) == 2:
            if int(second) == (first + 1) % 100:
                return f"{m.group(1)}/{second}"
            if int(second) <= first % 100:
                return m.group(0)  # not a span of years (an ISO month, say)
        elif int(second) <= first:
            return m.group(0)
        return f"{m.group(1)}\u2013{second}"

    parts = _NOT_PROSE.split(str(text))
    return "".join(part if i % 2 else _YEAR_SPAN.sub(styled, part) for i, part in enumerate(parts))


_NUMBER_RANGE = re.compile(r"(?<![\w.,/\-])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?=%|\s+(?:years?|months?)\b)")
_NEGATIVE_IN_BRACKETS = re.compile(r"\(-(?=\d[\d,.]*%?\))")
_QUOTED = re.compile(r"(\u201c[^\u201d]*\u201d)")


def number_ranges(text: str) -> str:
    """Ranges of numbers and negative numbers in brackets in the report's style, outside quotations
    (“...”): ``"4.5-5.5%"`` -> ``"4.5–5.5%"``, ``"5-6 years"`` -> ``"5–6 years"`` (an en dash),
    ``"(-2,552)"`` -> ``"(−2,552)"`` (a true minus). Spans of years are :func:`year_spans`'s."""
    parts = _QUOTED.split(str(text))
    return "".join(
        part if i % 2 else _NEGATIVE_IN_BRACKETS.sub("(\u2212", _NUMBER_RANGE.sub("\\1\u2013\\2", part))
        for i, part in enumerate(parts)
    )


def ordinal(n: int) -> str:
    """``1`` -> ``"1st"``, ``22`` -> ``"22nd"``, ``13`` -> ``"13th"``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_label(rank: int, n: int, tied: int = 1) -> str:
    """A place in a ranking, with ties: ``rank_label(3, 36)`` -> ``"3rd of 36"``,
    ``rank_label(1, 36, 30)`` -> ``"joint 1st of 36"`` (``tied``: how many share the place)."""
    return f"{'joint ' if tied > 1 else ''}{ordinal(rank)} of {n}"


# --- names ---------------------------------------------------------------------------------

_ACRONYMS = {"nhs": "NHS", "hchs": "HCHS", "st&t": "ST&T", "ccg": "CCG", "pct": "PCT", "icb": "ICB"}


def sentence_case(name: str) -> str:
    """'Support To St&T Staff' -> 'Support to ST&T staff'; 'Hchs Doctors' -> 'HCHS doctors'."""
    words = str(name).strip().lower().split()
    words = [_ACRONYMS.get(w, w) for w in words]
    if words:
        words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words)


_SMALL = {"and", "of", "the", "for", "on", "upon", "in", "with", "to", "at"}
_UPPER = {"nhs", "pct", "ccg", "sha", "csu", "uk", "ii"}


def tidy_name(name) -> str | None:
    """Names published in capitals (ODS files, KH03) in title case; others stripped as published."""
    if name is None or pd.isna(name):
        return None
    s = " ".join(str(name).split())
    if not s:
        return None
    if s != s.upper():
        return s
    out = []
    for i, w in enumerate(s.lower().split(" ")):
        if w in _UPPER:
            out.append(w.upper())
        elif i > 0 and w in _SMALL:
            out.append(w)
        else:
            out.append(re.sub(r"(^|[-(/])([a-z])", lambda m: m.group(1) + m.group(2).upper(), w))
    return " ".join(out).replace("'S ", "'s ")
