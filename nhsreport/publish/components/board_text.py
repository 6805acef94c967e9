"""The sentences the profiles and the boards' briefings share, written from the records of
:mod:`nhsreport.analysis.board_facts` (no figure is computed here), and how old a figure is, in
words, counted from a reference date (the data's, or ``SOURCE_DATE_EPOCH`` when set) so that
the same inputs always give the same text."""

from __future__ import annotations

import os

import pandas as pd

from nhsreport.formatting import fmt_pct, month_year, uk_date
from nhsreport.publish.components import words

__all__ = [
    "ARRANGEMENT_TEXTS",
    "board_change",
    "predecessor_change",
    "reference_date",
    "age_in_words",
    "ended_ago",
    "financial_year_end",
    "dateline",
]

#: What a board's briefing and profile say about the curated integration arrangements.
ARRANGEMENT_TEXTS = {
    "no_arrangements": (
        "None of the named contractual or structural arrangements in the report's curated list is "
        "recorded in this area. The list holds examples from published sources, not a census."
    ),
    "arrangements_note": "From the report's curated list of named examples (not a census), each with its source.",
}


def board_change(rec, day: str) -> str:
    """What the day the boards took over (``day``, e.g. "1 April 2026") meant for the board of
    record ``rec`` (:class:`~nhsreport.analysis.board_facts.BoardRecord`), in one or two sentences."""
    labels = [
        f"{p['icb_name']} ({fmt_pct(p['share'])} of it)" if p["share"] < 1 else p["icb_name"] for p in rec.predecessors
    ]
    if not bool(rec.figures["changed_2026"]):
        return f"On {day} the board continued unchanged, with the same area and code."
    if rec.kept_code:
        others = [lab for p, lab in zip(rec.predecessors, labels) if p["icb_code"] != rec.code]
        return (
            f"On {day} the board kept its code and took in {words.and_list(others)}; shares of a divided "
            f"board are of its LSOAs or population."
        )
    return (
        f"On {day} the board was formed from {words.and_list(labels)}; shares of a divided board are of its "
        f"LSOAs or population."
    )


def predecessor_change(pred: dict, day: str) -> str:
    """What happened on ``day`` to the 2022 board ``pred`` (an item of
    :func:`nhsreport.analysis.board_facts.predecessors`), in one or two sentences."""
    parts, with_ = pred["parts"], pred["merged_with"]
    if len(parts) > 1:
        bits = [f"{fmt_pct(share)} to {name}" for _, name, share in parts]
        return (
            f"On {day} the board was closed and its area divided between new boards: "
            f"{words.and_list(bits)} (approximate shares of its population, or of its small areas where a CCG was "
            f"divided)."
        )
    c26, name26, _ = parts[0]
    if c26 == pred["icb_code"] and not with_:
        return f"On {day} the board continued unchanged, with the same area and code."
    if c26 == pred["icb_code"]:
        return f"On {day} the board continued under its code and took in {words.and_list(with_)}."
    if with_:
        return f"On {day} the board merged with {words.and_list(with_)} to form {name26} ICB (code {c26})."
    return f"On {day} the board was replaced by {name26} ICB (code {c26})."


def reference_date(data_date) -> pd.Timestamp:
    """The day ages are counted from: ``SOURCE_DATE_EPOCH`` (seconds since 1970) when set, else
    ``data_date`` (the latest date of the data shown)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return pd.Timestamp(int(epoch), unit="s").normalize()
    return pd.Timestamp(data_date).normalize()


def dateline(now: pd.Timestamp) -> str:
    """The line under a briefing's title: the day it was produced when ``SOURCE_DATE_EPOCH`` gives
    it, otherwise the month of the latest data (``now``), so that the same inputs give the same PDF."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return f"Produced {uk_date(now)} from the report\u2019s data module. Figures as of the dates shown."
    return f"Produced from the report\u2019s data module as of {month_year(now)}. Figures as of the dates shown."


def age_in_words(then, now) -> str:
    """How old a figure of ``then`` is on ``now``, in words: "this month's", "a month old",
    "a year old", "6 years old"."""
    now = pd.Timestamp(now)
    months = (now.year - pd.Timestamp(then).year) * 12 + now.month - pd.Timestamp(then).month
    if months < 1:
        return "this month's"
    if months < 12:
        return "a month old" if months == 1 else f"{months} months old"
    years = months // 12
    return "a year old" if years == 1 else f"{years} years old"


def ended_ago(then, now) -> str:
    """How long before ``now`` a period ended, in words: "ended this month", "ended 9 months ago"."""
    age = age_in_words(then, now)
    return "ended this month" if age == "this month's" else "ended " + age.removesuffix(" old") + " ago"


def financial_year_end(year: str) -> pd.Timestamp:
    """The last day of a financial year written ``2025/26``: 31 March 2026."""
    return pd.Timestamp(int(year[:4]) + 1, 3, 31)
