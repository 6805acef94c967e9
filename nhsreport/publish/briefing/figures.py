"""The numbers and words of the briefings, from the same functions as the chapters.

:func:`load_context` gives a :class:`BriefingData` (the boards' facts of
:class:`nhsreport.analysis.board_facts.BoardData`, and what the England briefing adds);
:func:`england` and :func:`board` turn it into plain dicts (strings already formatted, lists of
rows) that are written as JSON for the Typst templates. The figures of a board are those of its
record (:func:`nhsreport.analysis.board_facts.board_record`), which its profile page prints too.
Nothing here imports Altair, so the worker processes that build the boards' briefings stay light.

Numbers become text only through :mod:`nhsreport.formatting`; the tests use it too, so a figure
in a PDF can be checked against an independent computation formatted the same way.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from nhsreport import data
from nhsreport.analysis import board_facts, board_trends, management, reorganisation, systems
from nhsreport.analysis import boards as _boards
from nhsreport.formatting import fmt_1dp, fmt_gbp, fmt_int, fmt_pct, month_year, period_text, uk_date
from nhsreport.publish.components import words
from nhsreport.publish.components.board_text import (
    ARRANGEMENT_TEXTS,
    age_in_words,
    board_change,
    driver_note,
    ended_ago,
    financial_year_end,
    million,
    reference_date,
)

__all__ = [
    "BriefingData",
    "load_context",
    "IcsNotFoundError",
    "england",
    "board_questions",
    "ARRANGEMENT_TEXTS",
    "board",
    "board_back",
    "resolve_board",
    "board_list",
]


def board_questions(boards_day: str) -> tuple[tuple[str, str], ...]:
    """The three board questions of Copps (2021), each with a pointer to where the evidence is
    (``boards_day``: the day the boards of 2026 took over, as text)."""
    return (
        (
            "Where do we fit in an integrated care system?",
            f"Know your system's size, its trusts, its running costs and what changed on {boards_day}.",
        ),
        (
            "How do we become integration-ready?",
            "Finance, data sharing, estates, partnerships with local government, and above all staff with the "
            "capacity to manage change: management density is one measure of that capacity.",
        ),
        (
            "How do we make integration sustainable?",
            "Choose between contractual forms (alliances, lead providers) and structural ones (mergers, "
            "acute-community-primary care models), perhaps moving from the first to the second over time.",
        ),
    )


BOARD_QUESTIONS_SOURCE = (
    "Questions adapted from J. Copps, \u201cThree questions about integrated care that should "
    "be asked in every NHS boardroom\u201d, Mutual Ventures (updated 30 March 2021)."
)


class BriefingData(board_facts.BoardData):
    """The boards' facts (:class:`~nhsreport.analysis.board_facts.BoardData`) and the national
    tables the England briefing adds, each loaded or computed once, when first used."""

    @cached_property
    def commissioners(self) -> pd.DataFrame:
        return data.load("commissioners_over_time")

    @cached_property
    def published_management(self) -> pd.DataFrame:
        """The published management figures (curated), indexed by ``id``."""
        return data.load("published_management_figures").set_index("id")

    @cached_property
    def workforce(self) -> pd.DataFrame:
        return data.load("workforce_national")

    @cached_property
    def overlap(self) -> pd.DataFrame:
        return data.load("lad_icb_overlap")

    @cached_property
    def now(self) -> pd.Timestamp:
        """The day the briefing is dated and the ages of its figures are counted from: the report's
        release date (:func:`nhsreport.publish.components.board_text.reference_date`)."""
        return reference_date(max(p.date for p in self.periods.values()))

    @cached_property
    def density(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.management.density_by_ics` at the latest snapshot."""
        return management.density_by_ics(self.staff, self.icbs, self.staff_date)

    @cached_property
    def rca(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.management.running_cost_per_head` of the latest financial year."""
        rca = management.running_cost_per_head(self.alloc, self.icbs)
        rca = rca[rca["financial_year"] == self.rca_year].copy()
        if len(rca) != len(self.icbs):
            raise ValueError(
                f"expected a {self.rca_year} running cost allowance for each of the {len(self.icbs)} ICBs, "
                f"found {len(rca)}"
            )
        return rca

    @cached_property
    def england_rca(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.management.england_running_cost_per_head`, indexed by financial year."""
        return management.england_running_cost_per_head(self.alloc, self.icbs).set_index("financial_year")

    @cached_property
    def robust(self) -> dict:
        """:func:`nhsreport.analysis.management.spread_without_extremes` at the latest snapshot."""
        return management.spread_without_extremes(self.staff, self.icbs, self.staff_date)

    @cached_property
    def england_per100(self) -> float:
        return management.managers_per_100_staff(self.staff, self.staff_date)


def load_context() -> BriefingData:
    """A :class:`BriefingData`; datasets are read (hash-checked by :func:`nhsreport.data.load`) when
    first needed."""
    return BriefingData()


class IcsNotFoundError(LookupError):
    """No ICS (or more than one) matches a query; ``candidates`` are the closest (or matching) names."""

    def __init__(self, query: str, message: str, candidates: list[str]):
        self.query = query
        self.candidates = list(candidates)
        super().__init__(message)


def resolve_board(query: str, icbs: pd.DataFrame) -> str:
    """The 2026 board code for a 2026 or 2022 code or name (see :func:`nhsreport.analysis.boards.find_board`);
    raises :class:`IcsNotFoundError` with the closest names."""
    try:
        return _boards.find_board(query, icbs)
    except systems.IcbLookupError as e:
        raise IcsNotFoundError(
            query, f"{e} (`python scripts/briefing.py --list` lists every code and name)", e.candidates
        ) from None


def board_list(ctx: BriefingData) -> list[str]:
    """The boards a briefing can be made for, one line each: the boards of 2026 by name, with their
    ODS codes and the 2022 boards they were made from (whose codes and names are accepted too)."""
    when = period_text(ctx.periods["boards"].date, ctx.periods["boards"].precision)
    lines = [
        f"The {len(ctx.boards)} integrated care boards of {when} (code, name; made from the boards of "
        f"{month_year(ctx.formed[0])}):"
    ]
    for code, r in ctx.boards.sort_values("icb_2026_name").iterrows():
        made_from = r["icbs_2022"] if bool(r["changed_2026"]) else "unchanged"
        lines.append(f"  {code:<6} {r['icb_2026_name']}  ({made_from})")
    lines.append(
        f"A code or name of {month_year(ctx.formed[0])} gives the board of {when} that took its area (or most of it)."
    )
    return lines


def _england_facts(ctx: BriefingData) -> dict:
    """The figures the England briefing states, computed once, by name (the keyword arguments of
    the functions that write its parts)."""
    nat = management.managers_and_staff(ctx.staff, ctx.staff_date).iloc[0]
    per100 = ctx.england_per100
    # the boards of 2026, named and coded as the 2022 systems are for the functions shared with them
    b26 = ctx.boards.reset_index().rename(columns={"icb_2026_code": "icb_code", "icb_2026_name": "icb_name"})
    spread = management.ics_spread(b26)
    robust = ctx.robust
    iq = [robust[k]["iq_ratio"] for k in ("trusts", "all_but_outliers", "trusts_but_outliers")]
    hc = management.headcount_series(ctx.workforce)
    hc_annual = hc[hc["annual"]]
    hc_first, hc_last = hc.iloc[0], hc.iloc[-1]
    comm = reorganisation.commissioner_counts(ctx.commissioners)
    tc = reorganisation.trust_counts(ctx.trusts)
    eng_rc = ctx.england_rca
    rc_first_year, rc_last_year = eng_rc.index[0], ctx.rca_year
    rc = b26.set_index("icb_code").rename(columns={"rca_per_head": "gbp_per_head"})
    rc_lo, rc_hi = rc["gbp_per_head"].idxmin(), rc["gbp_per_head"].idxmax()
    pop = systems.population_range(b26)
    split = ctx.lad_boards[ctx.lad_boards["lad_split"].astype(bool)].drop_duplicates("lad_code")
    n_lads = int(ctx.boards_england["n_districts"])
    staff_month = month_year(ctx.staff_date)
    when = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    formed, now = ctx.periods["boards"].date, ctx.now
    boards_2022 = month_year(ctx.formed[0])
    cdates = ctx.commissioners.loc[ctx.commissioners["body_type"].isin(["CCG", "ICB"]), "date"]
    comm_years = f"{cdates.min().year}\u2013{cdates.max().year}"

    return {
        "n_systems_2022": len(ctx.icbs),
        "nat": nat,
        "per100": per100,
        "spread": spread,
        "robust": robust,
        "iq": iq,
        "hc": hc,
        "hc_annual": hc_annual,
        "hc_first": hc_first,
        "hc_last": hc_last,
        "comm": comm,
        "tc": tc,
        "eng_rc": eng_rc,
        "rc_first_year": rc_first_year,
        "rc_last_year": rc_last_year,
        "rc": rc,
        "rc_lo": rc_lo,
        "rc_hi": rc_hi,
        "pop": pop,
        "split": split,
        "n_lads": n_lads,
        "staff_month": staff_month,
        "when": when,
        "formed": formed,
        "now": now,
        "boards_2022": boards_2022,
        "comm_years": comm_years,
    }


def _england_key_figures(*, per100, comm, tc, eng_rc, rc_last_year, staff_month, when, boards_2022, **_) -> list[dict]:
    """The four key figures of the England briefing."""
    return [
        {
            "value": fmt_1dp(per100),
            "label": "managers per 100 staff",
            "note": f"NHS trusts and ICBs, FTE, {staff_month}",
        },
        {
            "value": f"{comm['icb_2022']} \u2192 {comm['icb_2026']}",
            "label": "integrated care boards",
            "note": f"{boards_2022} \u2192 {when['boards']}",
        },
        {
            "value": fmt_int(tc["last"]),
            "label": "NHS trusts",
            "note": f"{when['boards']} ({fmt_int(tc['first'])} in 2012)",
        },
        {
            "value": fmt_gbp(eng_rc.loc[rc_last_year, "gbp_per_head"]),
            "label": "ICB running cost allowance per head",
            "note": f"{rc_last_year}, cash",
        },
    ]


def _england_findings(
    *,
    nat,
    per100,
    hc_annual,
    hc_first,
    hc_last,
    spread,
    robust,
    iq,
    comm,
    tc,
    eng_rc,
    rc_first_year,
    rc_last_year,
    rc,
    rc_lo,
    rc_hi,
    pop,
    split,
    n_lads,
    staff_month,
    when,
    boards_2022,
    n_systems_2022,
    **_,
) -> list[str]:
    """The findings of the England briefing, one paragraph each."""
    return [
        f"Management is thin. In {staff_month} NHS trusts and ICBs employed {fmt_int(nat['all_managers_fte'])} "
        f"managers and senior managers (FTE) among {fmt_int(nat['staff_fte'])} FTE staff: {fmt_1dp(per100)} per "
        f"100 staff, or one for every {fmt_1dp(nat['staff_per_manager'])}. National bodies such as NHS England "
        f"are outside this count.",
        f"On a headcount basis the ratio moved from {fmt_1dp(hc_first['managers_per_100_staff'])} per 100 staff in "
        f"{month_year(hc_first['date'])} to {fmt_1dp(hc_last['managers_per_100_staff'])} in {month_year(hc_last['date'])} "
        f"(Figure 1); it was lowest, at {fmt_1dp(hc_annual['managers_per_100_staff'].min())}, in "
        f"{month_year(hc_annual.loc[hc_annual['managers_per_100_staff'].idxmin(), 'date'])}.",
        f"Boards differ. Counting each of the {spread['n']} boards of {when['boards']} with the trusts "
        f"headquartered in its area, managers per 100 staff range from {fmt_1dp(spread['min'])} in "
        f"{spread['min_name']} to {fmt_1dp(spread['max'])} in {spread['max_name']} (median "
        f"{fmt_1dp(spread['median'])}). Among the {n_systems_2022} systems of {boards_2022}, the middle half "
        f"differed by {fmt_1dp(robust['all']['iq_ratio'])} times, and by {fmt_1dp(min(iq))} to {fmt_1dp(max(iq))} "
        f"times without the boards' own staff or the trusts whose figures suggest jobs coded differently (Figure 2).",
        f"Commissioning has been consolidated: {comm['ccg_2013']} clinical commissioning groups in April 2013 became "
        f"{comm['icb_2022']} integrated care boards in {boards_2022} and {comm['icb_2026']} from {when['boards']}, a fall of "
        f"{fmt_pct(comm['fall_2013_2026'])} (Figure 4).",
        f"Trusts have merged: {fmt_int(tc['first'])} NHS trusts were open on 1 April 2012 and {fmt_int(tc['last'])} on "
        f"{when['boards']} ({fmt_pct(tc['pct_change'])}); acute trusts fell from {tc['acute_first']} to "
        f"{tc['acute_last']} (Figure 3).",
        f"ICB running cost allowances fell from {million(eng_rc.loc[rc_first_year, 'rca_gbp'])} in "
        f"{rc_first_year} to {million(eng_rc.loc[rc_last_year, 'rca_gbp'])} in {rc_last_year} "
        f"({fmt_pct(eng_rc.loc[rc_last_year, 'change_from_first'])} in cash), "
        f"{fmt_gbp(eng_rc.loc[rc_last_year, 'gbp_per_head'])} per head; by board of {when['boards']} from "
        f"{fmt_gbp(rc.loc[rc_lo, 'gbp_per_head'])} ({rc.loc[rc_lo, 'icb_name']}) to "
        f"{fmt_gbp(rc.loc[rc_hi, 'gbp_per_head'])} ({rc.loc[rc_hi, 'icb_name']}), its predecessors' allowances "
        f"added up.",
        f"The {pop['n']} boards of {when['boards']} are unequal in size: from {fmt_int(pop['min'])} people "
        f"({pop['min_name']}) to {fmt_int(pop['max'])} ({pop['max_name']}), {fmt_1dp(pop['ratio'])} times as many "
        f"(ONS {when['population']}). {words.number_words(len(split)).capitalize()} of the {fmt_int(n_lads)} local "
        f"authority {_boards.FIGURES['n_districts'][1]} {'is' if len(split) == 1 else 'are'} split between boards.",
    ]


def _england_bases(
    ctx: BriefingData, *, per100, hc_last, rc_last_year, staff_month, when, formed, now, **_
) -> list[str]:
    """What the England briefing's figures rest on, and how old they are."""
    return [
        f"Key figures and Figure 2: managers per 100 staff in full-time equivalents (FTE), {staff_month}, "
        f"{age_in_words(ctx.staff_date, now)}. Figure 1 counts heads, not FTE, and ends in "
        f"{month_year(hc_last['date'])}, {age_in_words(hc_last['date'], now)}: its {fmt_1dp(hc_last['managers_per_100_staff'])} per 100 is on another "
        f"basis from the headline {fmt_1dp(per100)} and the two should not be read as a change.",
        f"Figures 3 and 4 count organisations on dates up to {uk_date(formed)}, "
        f"{age_in_words(formed, now)}. Running costs per head divide the allowance for {rc_last_year} (the "
        f"financial year that {ended_ago(financial_year_end(rc_last_year), now)}) by NHS England's allocation "
        f"population, based on patients registered with GPs; system sizes use ONS {when['population']} estimates, "
        f"{age_in_words(ctx.periods['population'].date, now)}.",
    ]


def england(ctx: BriefingData) -> dict:
    """Everything the England briefing states, as formatted text and small tables."""
    facts = _england_facts(ctx)
    nat, eng_rc, rc_first_year, rc_last_year = (facts[k] for k in ("nat", "eng_rc", "rc_first_year", "rc_last_year"))
    return {
        "kind": "england",
        "title": "Joining up the NHS in England",
        "short_title": "England",
        "subtitle": "Management capacity, integrated care systems and integration, 2010\u20132026",
        "key_figures": _england_key_figures(**facts),
        "findings": _england_findings(**facts),
        "bases": _england_bases(ctx, **facts),
        "values": {  # raw values, for the tests and for reuse
            "managers_per_100_staff": facts["per100"],
            "all_managers_fte": float(nat["all_managers_fte"]),
            "staff_fte": float(nat["staff_fte"]),
            "staff_per_manager": float(nat["staff_per_manager"]),
            "spread": facts["spread"],
            "commissioners": facts["comm"],
            "trusts": facts["tc"],
            "rca_per_head": float(eng_rc.loc[rc_last_year, "gbp_per_head"]),
            "rca_total": float(eng_rc.loc[rc_last_year, "rca_gbp"]),
            "rca_total_first": float(eng_rc.loc[rc_first_year, "rca_gbp"]),
            "population": facts["pop"],
            "split_districts": int(len(facts["split"])),
        },
    }


def _board_staff_words(row) -> str:
    """Whose staff the board's management density counts besides its trusts' (after "they and the"):
    "board itself" (a board that continued unchanged), "board it succeeds" or "boards it succeeds"."""
    if not bool(row["changed_2026"]):
        return "board itself"
    return "boards it succeeds" if int(row["n_icbs_2022"]) > 1 else "board it succeeds"


def _board_summary(ctx: BriefingData, rec, when: dict) -> list[str]:
    """The three paragraphs of page 1 of a board's briefing."""
    row, n, heads = rec.figures, len(ctx.boards), {h["key"]: h for h in rec.headlines}
    pop, dens, rca, cot = (
        heads[k] for k in ("population", "managers_per_100_staff", "rca_per_head", "share_districts_whole")
    )
    others_below = ctx.boards_england["n_below_floor"] - 1
    floor = (
        f"below the {fmt_int(_boards.FLOOR)} mark, as are {words.count_phrase(others_below, 'other board')}"
        if bool(row["below_floor"]) and others_below
        else f"the only board below the {fmt_int(_boards.FLOOR)} mark"
        if bool(row["below_floor"])
        else f"above the {fmt_int(_boards.FLOOR)} mark"
    )
    return [
        f"{rec.name} (ODS code {rec.code}) is one of the {n} integrated care boards in place from "
        f"{when['boards']}, in the {rec.region} region. Its area held {pop['text']} residents (ONS {when['population']}"
        f"{', estimate' if pop['estimate'] else ''}), {floor}, and {heads['registered_patients']['text']} patients "
        f"registered with its {words.count_phrase(heads['n_practices']['value'], 'GP practice')} "
        f"({when['registered']}), across "
        f"{words.count_phrase(heads['n_districts']['value'], 'local authority district')} (2023), {cot['text']} of "
        f"them wholly inside it.",
        f"The area is the headquarters of {words.count_phrase(heads['n_trusts']['value'], 'NHS trust')}. In "
        f"{when['staff']} {'they' if heads['n_trusts']['value'] != 1 else 'it'} and the "
        f"{_board_staff_words(row)} employed {fmt_1dp(row['managers_per_100_staff'])} "
        f"managers and senior managers per 100 staff (England {dens['england_text']}), "
        f"{words.rank_text(dens['rank'], n)}"
        + (" (estimate)." if dens["estimate"] else ".")
        + (f" {driver_note(rec, n)}" if driver_note(rec, n) else ""),
        f"The running cost allowances of its predecessors for {ctx.rca_year} come to {million(row['rca_gbp'])}, "
        f"{rca['text']} per head (England {rca['england_text']}), {words.rank_text(rca['rank'], n)}"
        + (" (estimate)." if rca["estimate"] else "."),
    ]


def _board_key_figures(ctx: BriefingData, rec, when: dict) -> list[dict]:
    """The four key figures at the top of a board's briefing."""
    heads, n, est = {h["key"]: h for h in rec.headlines}, len(ctx.boards), " (estimate)"
    pop, dens, rca = heads["population"], heads["managers_per_100_staff"], heads["rca_per_head"]
    return [
        {
            "value": pop["text"],
            "label": "residents",
            "note": f"ONS {when['population']}" + (est if pop["estimate"] else ""),
        },
        {
            "value": heads["n_trusts"]["text"],
            "label": ("NHS trust" if heads["n_trusts"]["value"] == 1 else "NHS trusts") + " headquartered here",
            "note": when["boards"],
        },
        {
            "value": dens["text"],
            "label": "managers per 100 staff",
            "note": f"England {dens['england_text']}; {words.rank_text(dens['rank'], n)}"
            + (est if dens["estimate"] else "")
            + f"; trusts only {heads['trust_managers_per_100_staff']['text']} "
            f"({words.rank_text(heads['trust_managers_per_100_staff']['rank'], n).removesuffix(f' of {n}')})",
        },
        {
            "value": rca["text"],
            "label": "running cost allowance per head",
            "note": f"{ctx.rca_year}; England {rca['england_text']}; {words.rank_text(rca['rank'], n)}"
            + (est if rca["estimate"] else ""),
        },
    ]


def _board_bases(ctx: BriefingData, rec, when: dict) -> list[str]:
    """What the figures of a board's briefing are based on, and how old they are; where a figure is
    marked estimate, why (a district split between boards, or a 2022 board divided in 2026)."""
    now, formed = ctx.now, ctx.periods["boards"].date
    heads = {h["key"]: h for h in rec.headlines}
    notes = []
    if heads["population"]["estimate"]:
        notes.append(
            "Residents marked estimate include part of a district split between boards, shared by its "
            "registered patients."
        )
    if any(heads[k]["estimate"] for k in ("managers_per_100_staff", "rca_per_head")):
        notes.append(
            "Staff and allowance figures marked estimate take a share of a 2022 board divided in 2026 (see "
            "\u201cSince\u201d below)."
        )
    return [
        f"Staff: full-time equivalents (FTE), {when['staff']} ({age_in_words(ctx.staff_date, now)}), of the trusts "
        f"headquartered in the area and the board(s) it succeeds. Allowance: {ctx.rca_year} (the financial year "
        f"that {ended_ago(financial_year_end(ctx.rca_year), now)}), per head of allocation population (patients "
        f"registered with GPs), not the ONS {when['population']} residents shown "
        f"({age_in_words(ctx.periods['population'].date, now)}). Map: the boards of {uk_date(formed)} "
        f"({age_in_words(formed, now)})."
    ] + notes


def board(ctx: BriefingData, code: str) -> dict:
    """Everything the briefing for 2026 board ``code`` states, from its record
    (:func:`nhsreport.analysis.board_facts.board_record`)."""
    rec = ctx.records[code]
    when = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    return {
        "kind": "board",
        "code": code,
        "gss_code": "",
        "title": rec.name,
        "short_title": f"{rec.name} ({code})" if len(rec.name) <= 20 else code,
        "subtitle": f"Integrated care board from {when['boards']} \u00b7 ODS {code} \u00b7 {rec.region} region",
        "key_figures": _board_key_figures(ctx, rec, when),
        "summary": _board_summary(ctx, rec, when),
        "change_2026": board_change(rec, when["boards"]),
        "boards_day": when["boards"],
        "trusts": [
            {"name": t["trust"], "type": t["type"], "staff": t["staff_text"], "per100": t["per100_text"]}
            for t in rec.trusts
        ],
        "arrangements": [
            {"name": a["arrangement"], "form": a["form"], "start": a["start"], "status": a["status"]}
            for a in rec.arrangements
        ],
        "values": {h["key"]: h["value"] for h in rec.headlines},
        "bases": _board_bases(ctx, rec, when),
        "back": board_back(ctx, code),
    }


def board_back(ctx: BriefingData, code: str) -> dict:
    """The back page of a board's briefing: the board beside its peers (the record's ``peers``,
    as on its profile page) and what the figures mean for its board."""
    rec = ctx.records[code]
    b = ctx.boards
    rows = [
        {
            "name": str(b.loc[c, "icb_2026_name"]) + (" (this board)" if c == code else ""),
            "self": c == code,
            "population": fmt_int(b.loc[c, "population"]),
            "per100": fmt_1dp(b.loc[c, "managers_per_100_staff"]),
            "rca": fmt_gbp(b.loc[c, "rca_per_head"]),
            "trusts": str(int(b.loc[c, "n_trusts"])),
        }
        for c in [code] + rec.peers
    ]
    dens, rca = rec.peer_ranges["managers_per_100_staff"], rec.peer_ranges["rca_per_head"]
    n_peers = words.number_words(len(rec.peers))
    cut_pct = float(ctx.published_management.loc["C6a", "value"])
    allowance = pd.DataFrame(
        [
            {
                "icb_2026_code": code,
                "financial_year": ctx.rca_year,
                "rca_gbp": b.loc[code, "rca_gbp"],
                "allocation_population": b.loc[code, "allocation_population"],
            }
        ]
    )
    cut = board_trends.running_cost_cut(allowance, code, cut_pct)
    meaning = [
        f"Management density of {fmt_1dp(dens['value'])} per 100 staff is {dens['place']} the range of the "
        f"{n_peers} boards nearest in size ({fmt_1dp(dens['min'])} to {fmt_1dp(dens['max'])}). Differences this "
        f"size can come from how trusts code jobs as much as from how many managers they employ (chapter 2 of the "
        f"report).",
        f"The running cost allowance of {fmt_gbp(rca['value'])} per head is {rca['place']} its peers' range "
        f"({fmt_gbp(rca['min'])} to {fmt_gbp(rca['max'])}): the allowance is a cap set nationally. The cut of "
        f"{cut_pct:.0f}% that ministers described for the 2025 instruction to halve running costs would take "
        f"{million(cut['cut_gbp'])} a year off the {cut['year']} allowance, leaving {million(cut['after_gbp'])}.",
        "The board's page on the report's website has every figure here with its source and rank, and the "
        "trusts and practices of its area.",
    ]
    return {
        "population_header": f"Residents ({period_text(ctx.periods['population'].date, 'mid-year')})",
        "peers": rows,
        "peers_note": f"The {n_peers} boards closest in population (ONS "
        f"{period_text(ctx.periods['population'].date, 'mid-year')}, on a log scale); "
        f"staff {month_year(ctx.staff_date)}, allowance {ctx.rca_year}.",
        "meaning": meaning,
    }
