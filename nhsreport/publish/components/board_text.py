"""The sentences the profiles and the boards' briefings share, written from the records of
:mod:`nhsreport.analysis.board_facts` (no figure is computed here), and how old a figure is, in
words, counted from a reference date (the report's release date) so that the same inputs always
give the same text."""

from __future__ import annotations

import pandas as pd

from nhsreport.analysis import boards
from nhsreport.formatting import age_text, fmt_1dp, fmt_gbp, fmt_pct, month_year, ordinal, period_text, uk_date
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
    "million",
    "allowance_trend_text",
    "density_trend_text",
    "peer_position_text",
    "board_questions",
    "ambulance_text",
    "partners_text",
    "density_place_text",
    "driver_text",
    "driver_note",
    "population_text",
    "practices_text",
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
    record ``rec`` (:class:`~nhsreport.analysis.board_facts.BoardRecord`), in one or two sentences;
    how a divided board's share is measured is said only where a divided board is involved."""
    labels = [
        f"{p['icb_name']} ({fmt_pct(p['share'])} of it)" if p["share"] < 1 else p["icb_name"] for p in rec.predecessors
    ]
    divided = [p["icb_code"] for p in rec.predecessors if p["share"] < 1]
    basis = f"; a divided board is shared by {boards.divided_share_basis(divided)}" if divided else ""
    if not bool(rec.figures["changed_2026"]):
        return f"On {day} the board continued unchanged, with the same area and code."
    if rec.kept_code:
        others = [lab for p, lab in zip(rec.predecessors, labels) if p["icb_code"] != rec.code]
        return f"On {day} the board kept its code and took in {words.and_list(others)}{basis}."
    return f"On {day} the board was formed from {words.and_list(labels)}{basis}."


def predecessor_change(pred: dict, day: str) -> str:
    """What happened on ``day`` to the 2022 board ``pred`` (an item of
    :func:`nhsreport.analysis.board_facts.predecessors`), in one or two sentences."""
    parts, with_ = pred["parts"], pred["merged_with"]
    if len(parts) > 1:
        bits = [f"{fmt_pct(share)} to {name}" for _, name, share in parts]
        return (
            f"On {day} the board was closed and its area divided between new boards: "
            f"{words.and_list(bits)} (shares of {boards.divided_share_basis([pred['icb_code']])})."
        )
    c26, name26, _ = parts[0]
    if c26 == pred["icb_code"] and not with_:
        return f"On {day} the board continued unchanged, with the same area and code."
    if c26 == pred["icb_code"]:
        return f"On {day} the board continued under its code and took in {words.and_list(with_)}."
    if with_:
        return f"On {day} the board merged with {words.and_list(with_)} to form {name26} ICB (code {c26})."
    return f"On {day} the board was replaced by {name26} ICB (code {c26})."


def reference_date(data_date=None) -> pd.Timestamp:
    """The day ages are counted from and a briefing is dated: the report's release date
    (``nhsreport.RELEASED``, the date the book prints), or ``data_date`` (the latest date of the data
    shown) if that is later, so that the same inputs always give the same text."""
    from nhsreport import RELEASED

    released = pd.Timestamp(RELEASED)
    return max(released, pd.Timestamp(data_date).normalize()) if data_date is not None else released


def dateline(now: pd.Timestamp) -> str:
    """The line under a briefing's title: the day it was produced (``now``, the release date:
    :func:`reference_date`)."""
    return f"Produced {uk_date(now)}. Each figure is as of the date shown beside it."


def age_in_words(then, now) -> str:
    """How old a figure of ``then`` is on ``now``, in words (:func:`nhsreport.formatting.age_text`,
    the report's one age rule): "this month's", "a month old", "a year old", "6 years old"."""
    return age_text(then, now)


def ended_ago(then, now) -> str:
    """How long before ``now`` a period ended, in words: "ended this month", "ended 9 months ago"."""
    age = age_in_words(then, now)
    return "ended this month" if age == "this month's" else "ended " + age.removesuffix(" old") + " ago"


def financial_year_end(year: str) -> pd.Timestamp:
    """The last day of a financial year written ``2025/26``: 31 March 2026."""
    return pd.Timestamp(int(year[:4]) + 1, 3, 31)


# ---------------------------------------------------------------------------------------------
# "What this means for your board": the board's trend, its position and the questions to ask
# ---------------------------------------------------------------------------------------------


def million(gbp: float) -> str:
    """Pounds in millions, one decimal place: ``47018690`` -> "£47.0 million"."""
    return f"\u00a3{fmt_1dp(gbp / 1e6)} million"


def allowance_trend_text(code: str, allowances: pd.DataFrame, cut: dict, cut_pct: float) -> str:
    """The board's running cost allowance from the first to the last financial year of
    ``allowances`` (:func:`nhsreport.analysis.board_trends.allowance_trend`), with England's per
    head, and what a cut of ``cut_pct`` per cent (``cut``:
    :func:`nhsreport.analysis.board_trends.running_cost_cut`) takes off it."""
    mine = allowances[allowances["icb_2026_code"] == code].sort_values("financial_year")
    eng = allowances[allowances["icb_2026_code"] == "England"].sort_values("financial_year")
    first, last = mine.iloc[0], mine.iloc[-1]
    estimate = " (estimates: part of a divided 2022 board is apportioned)" if last["estimate"] else ""
    return (
        f"Running cost allowance: {million(first['rca_gbp'])} in {first['financial_year']} and "
        f"{million(last['rca_gbp'])} in {last['financial_year']}{estimate}, or {fmt_gbp(first['rca_per_head'])} and "
        f"{fmt_gbp(last['rca_per_head'])} per head of allocation population (England "
        f"{fmt_gbp(eng.iloc[0]['rca_per_head'])} and {fmt_gbp(eng.iloc[-1]['rca_per_head'])}; cash, not adjusted "
        f"for inflation). The cut of {cut_pct:.0f}% that ministers described for the 2025 instruction to halve "
        f"running costs would take {million(cut['cut_gbp'])} a year off the {cut['year']} allowance, leaving "
        f"{million(cut['after_gbp'])} ({fmt_gbp(cut['after_per_head'])} per head)."
    )


def _series(rows: pd.DataFrame, dates: bool = True) -> str:
    """Managers per 100 staff at each date of ``rows``, in words: "3.6 in September 2017, ..."
    (or, without ``dates``, "3.6, 3.4 and 4.1")."""
    return words.and_list(
        fmt_1dp(r.managers_per_100_staff) + (f" in {month_year(r.date)}" if dates else "") for r in rows.itertuples()
    )


def density_trend_text(code: str, density: pd.DataFrame, n: int) -> str:
    """Managers per 100 staff on the board's footprint at each snapshot of ``density``
    (:func:`nhsreport.analysis.board_trends.density_trend`) on both bases, with England's and the
    board's rank among the ``n`` boards at the first and last snapshot."""
    mine = density[density["icb_2026_code"] == code]
    eng = density[density["icb_2026_code"] == "England"]
    pub, excl = (mine[mine["basis"] == b].sort_values("date") for b in ("published", "excluding_doctors"))
    eng_pub, eng_excl = (eng[eng["basis"] == b].sort_values("date") for b in ("published", "excluding_doctors"))
    first, last = pub.iloc[0], pub.iloc[-1]
    return (
        f"Managers per 100 staff on its footprint (the trusts headquartered in the area and its commissioners): "
        f"{_series(pub)} (England {_series(eng_pub, dates=False)}). The published staff totals of "
        f"{last['date'].year} leave out resident doctors and those of {first['date'].year} include them; per 100 "
        f"staff other than doctors, which counts every year the same way, the figures are {_series(excl, dates=False)} "
        f"(England {_series(eng_excl, dates=False)}). As published, the board ranks {ordinal(int(first['rank']))} of {n} in "
        f"{first['date'].year} and {ordinal(int(last['rank']))} in {last['date'].year}."
    )


def peer_position_text(name: str, peer_ranges: dict, england: dict) -> str:
    """Where the board stands against England and its peers on managers per 100 staff and the
    allowance per head (``peer_ranges``: :func:`nhsreport.analysis.board_facts.peer_ranges`)."""
    fmt = {"managers_per_100_staff": fmt_1dp, "rca_per_head": fmt_gbp}
    what = {"managers_per_100_staff": "managers per 100 staff", "rca_per_head": "allowance per head"}
    parts = []
    for key, r in peer_ranges.items():
        f = fmt[key]
        where = {"above": "above", "below": "below", "within": "within"}[r["place"]]
        parts.append(
            f"{what[key]} {f(r['value'])} (England {f(england[key])}; its peers {f(r['min'])} to {f(r['max'])}, "
            f"so {where} their range)"
        )
    return f"Against England and its peers, {name} has {words.and_list(parts)}."


def _density_question(rank: int, n: int) -> str:
    if rank <= n // 3:
        return (
            f"Managers are a larger share of staff here than in most boards ({ordinal(rank)} of {n}): is that the "
            f"board's own staff, or one or two trusts headquartered in the area, such as a specialist or ambulance "
            f"trust that serves far more than this area?"
        )
    if rank > n - n // 3:
        return (
            f"Managers are a smaller share of staff here than in most boards ({ordinal(rank)} of {n}): is there the "
            f"capacity to lead the changes asked of the board and its trusts?"
        )
    return "Which of its trusts have the most managers per 100 staff, and why?"


def board_questions(rec, n: int, cut: dict) -> list[dict]:
    """Three to five questions board ``rec`` (:class:`~nhsreport.analysis.board_facts.BoardRecord`,
    one of ``n`` boards) should ask, each with the ``section`` of its profile that answers it (a key
    of the page's section labels: ``ranks``, ``trusts``, ``councils``, ``partners``, ``who``).
    ``cut``: :func:`nhsreport.analysis.board_trends.running_cost_cut`."""
    rank = {h["key"]: h["rank"] for h in rec.headlines}["managers_per_100_staff"]
    n_councils, n_shared = len(rec.councils), int(rec.councils["split"].sum())
    councils = (
        f"How does it plan adult social care with the {words.count_phrase(n_shared, 'council')} it shares with "
        f"another board?"
        if n_shared
        else f"How does it plan adult social care with {words.count_phrase(n_councils, 'upper-tier council')}, "
        f"{'wholly' if n_councils == 1 else 'each wholly'} inside its area?"
    )
    out = [
        {
            "question": f"What will the board stop doing to live within {million(cut['after_gbp'])} a year, "
            f"down from its {cut['year']} running cost allowance of {million(cut['allowance_gbp'])}?",
            "section": "ranks",
        },
        {"question": _density_question(rank, n), "section": "trusts"},
        {"question": councils, "section": "councils"},
        {
            "question": "Which trusts headquartered elsewhere, the ambulance trust among them, does it plan urgent "
            "and specialist care with?",
            "section": "partners",
        },
    ]
    if bool(rec.figures["changed_2026"]):
        others = [p for p in rec.predecessors if p["icb_code"] != rec.code]
        joined = (
            f"taking in {words.count_phrase(len(others), 'other 2022 board')} (or part of one)"
            if rec.kept_code
            else f"forming it from {words.count_phrase(len(rec.predecessors), '2022 board')} (or parts of them)"
        )
        out.append(
            {
                "question": f"What did {joined} change in where decisions about local services are made?",
                "section": "who",
            }
        )
    return out


def ambulance_text(ambulance: list[dict]) -> str:
    """Which ambulance trust serves the area, in one sentence (``ambulance``:
    :func:`nhsreport.analysis.board_services.ambulance_trusts`)."""
    if ambulance and all(t["basis"] == "region_candidate" for t in ambulance):
        names = words.and_list(t["trust"] for t in ambulance)
        return (
            f"Ambulance service: one of {names}, the ambulance trusts headquartered in the region; the files the "
            f"report holds do not say which serves the area."
        )
    named = [
        t["trust"]
        + (", headquartered in the area" if t["basis"] == "headquarters" else f" (headquartered in {t['hq_board']})")
        for t in ambulance
    ]
    return f"Ambulance service: {words.and_list(named)}."


def partners_text(name: str, n_other: int, partners_period: str) -> str:
    """What the partner lists (of ``partners_period``, "April 2019") say about the other trusts
    headquartered elsewhere that serve board ``name``: ``n_other`` of them."""
    return (
        f"The partner lists of {partners_period}, the latest the report holds, name "
        f"{words.count_phrase(n_other, 'other trust')} headquartered in another board as "
        f"{'a partner' if n_other == 1 else 'partners'} of a system whose area is now wholly or partly in {name}. "
        f"The lists stop in {partners_period[-4:]} and were not complete, and partnerships may have changed since."
    )


def _first_upper(text: str) -> str:
    """``text`` with its first letter in capitals, the rest as it is ("GP" stays "GP")."""
    return text[:1].upper() + text[1:]


def _heads(rec) -> dict:
    return {h["key"]: h for h in rec.headlines}


def density_place_text(rec) -> str:
    """The board's managers per 100 staff and its place among the boards, with its predecessors'
    own staff and counting the trusts only (ties shown: "joint 3rd of 36")."""
    heads = _heads(rec)
    d, t = heads["managers_per_100_staff"], heads["trust_managers_per_100_staff"]
    return (
        f"Managers per 100 staff: {d['text']} counting the trusts headquartered in the area and the board's "
        f"predecessors' own staff ({d['rank_text']}, first being the highest; England {d['england_text']}), and "
        f"{t['text']} counting the trusts only ({t['rank_text']}; England {t['england_text']})."
    )


def driver_text(rec, n: int) -> str:
    """A warning where one ambulance or specialist trust headquartered in the area drives the
    board's managers per 100 staff (:func:`nhsreport.analysis.boards.density_drivers`), or ""."""
    row = rec.figures
    if not bool(row.get("density_driven", False)):
        return ""
    kind = "an ambulance trust" if row["driver_type"] == "ambulance" else "a specialist trust"
    return (
        f"One trust drives this figure: {row['driver_name']}, {kind} headquartered in the area that serves people "
        f"far beyond it. Without it the board would have {fmt_1dp(row['density_without_driver'])} managers per 100 "
        f"staff and rank {ordinal(int(row['rank_without_driver']))} of {n}: read its place with that trust in mind. "
        f"(A trust drives the figure when taking it out alone changes it by "
        f"{boards.DRIVER_DENSITY_CHANGE} or more, or moves the board {words.count_phrase(boards.DRIVER_RANK_PLACES, 'place')} "
        f"or more.)"
    )


def population_text(rec, periods: dict) -> str:
    """The board's two populations, residents and registered patients, with their dates, and which
    one the figures per head use (``periods``: :func:`nhsreport.analysis.board_facts.periods`)."""
    heads = _heads(rec)
    pop, reg = heads["population"], heads["registered_patients"]
    when = {k: period_text(p.date, p.precision) for k, p in periods.items()}
    estimate = (
        "; an estimate, since a district split between boards is counted by the share of its registered patients"
        if pop["estimate"]
        else ""
    )
    return (
        f"{pop['text']} residents (ONS, {when['population']}{estimate}) and {reg['text']} patients registered with "
        f"its GP practices ({when['registered']}). The two differ: residents are counted where they live, registered "
        f"patients at the practice they are registered with, wherever they live, and lists also hold some people who "
        f"have moved away. The running cost allowance per head divides by NHS England's allocation population, which "
        f"is based on registered patients."
    )


def practices_text(rec, periods: dict) -> str:
    """The board's GP practices, networks and registered patients, with their ages against England's."""
    heads = _heads(rec)
    when = {k: period_text(p.date, p.precision) for k, p in periods.items()}
    old, oldest, per = heads["share_65_plus"], heads["share_85_plus"], heads["patients_per_practice"]
    return (
        f"{_first_upper(words.count_phrase(heads['n_practices']['value'], 'GP practice'))} in "
        f"{words.count_phrase(heads['n_pcns']['value'], 'primary care network')} on {when['practices']}, each placed "
        f"in the board by NHS England's map of practices to the boards of 2026. They had {heads['registered_patients']['text']} "
        f"registered patients, {old['text']} of them aged 65 or over (England {old['england_text']}) and "
        f"{oldest['text']} aged 85 or over (England {oldest['england_text']}). On {when['practice_lists']} their lists "
        f"held {per['text']} patients per practice (England {per['england_text']})."
    )


def driver_note(rec, n: int) -> str:
    """The warning of :func:`driver_text` in one short sentence (for the briefings), or ""."""
    row = rec.figures
    if not bool(row.get("density_driven", False)):
        return ""
    kind = "an ambulance trust" if row["driver_type"] == "ambulance" else "a specialist trust"
    return (
        f"One trust, {row['driver_name']} ({kind} serving far beyond the area), drives this figure: without it, "
        f"{fmt_1dp(row['density_without_driver'])} ({words.rank_text(int(row['rank_without_driver']), n)})."
    )
