"""The numbers and words of the briefings, computed with the same functions as the chapters.

:func:`load_context` reads every dataset the briefings use once (a :class:`BriefingData`);
:func:`england` and :func:`ics` turn it into plain dicts (strings already formatted, lists of
rows) that are written as JSON for the Typst templates. Nothing here imports Altair, so the
worker processes that build the 42 ICS briefings stay light.

Numbers become text only through :mod:`nhsreport.formatting`; the tests use it too, so a figure
in a PDF can be checked against an independent computation formatted the same way.
"""

from __future__ import annotations

import datetime as _dt
from functools import cached_property

import pandas as pd

from nhsreport import data
from nhsreport.analysis import board_facts, management, reorganisation, systems
from nhsreport.analysis import boards as _boards
from nhsreport.formatting import fmt_1dp, fmt_gbp, fmt_int, fmt_pct, month_year, uk_date
from nhsreport.publish import words
from nhsreport.schema import TRUST_TYPES

__all__ = [
    "DATASETS",
    "BriefingData",
    "load_context",
    "IcsNotFoundError",
    "resolve_ics",
    "england",
    "ics",
    "BOARD_QUESTIONS",
    "BOARD_DATASETS",
    "board_headlines",
    "board",
    "resolve_board",
    "board_trusts",
    "board_arrangements",
    "board_change",
    "board_partner_trusts",
    "trust_boards_served",
]

#: Every dataset the briefings read (they are not chapters, so nothing is declared).
DATASETS = (
    "icbs",
    "staff_by_org",
    "icb_allocations",
    "trusts",
    "integration_arrangements",
    "commissioners_over_time",
    "workforce_national",
    "lad_icb_overlap",
    "geo_icb_2022",
    "lad_board_overlap",
    "ccg_board_overlap",
    "gp_practices",
    "ccg_lineage",
    "geo_lad_2022",
    "stp_trust_partners_2019",
)

#: The datasets behind the figures of the 36 boards of 1 April 2026 (profiles and briefings).
BOARD_DATASETS = (
    "icbs",
    "staff_by_org",
    "icb_allocations",
    "trusts",
    "lad_board_overlap",
    "ccg_board_overlap",
    "gp_practices",
    "ccg_lineage",
    "integration_arrangements",
    "geo_lad_2022",
    "stp_trust_partners_2019",
    "lad_upper_tier",
)

#: The financial year of the running cost allowances shown.
RCA_YEAR = "2025/26"


#: The three board questions of Copps (2021), with a pointer to where the evidence is.
BOARD_QUESTIONS = (
    (
        "Where do we fit in an integrated care system?",
        "Know your system's size, its trusts, its running costs and what changed on 1 April 2026.",
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


# ---------------------------------------------------------------------------------------------
# formatting: the only way numbers become text in a briefing
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# data, loaded once per process
# ---------------------------------------------------------------------------------------------


class BriefingData:
    """The datasets and derived tables the briefings need, each loaded or computed once, when
    first used (an ICS briefing never reads the national workforce series, for instance)."""

    @cached_property
    def icbs(self) -> pd.DataFrame:
        return data.load("icbs")

    @cached_property
    def staff(self) -> pd.DataFrame:
        return data.load("staff_by_org")

    @cached_property
    def alloc(self) -> pd.DataFrame:
        return data.load("icb_allocations")

    @cached_property
    def trusts(self) -> pd.DataFrame:
        return data.load("trusts")

    @cached_property
    def arrangements(self) -> pd.DataFrame:
        return data.load("integration_arrangements")

    @cached_property
    def commissioners(self) -> pd.DataFrame:
        return data.load("commissioners_over_time")

    @cached_property
    def workforce(self) -> pd.DataFrame:
        return data.load("workforce_national")

    @cached_property
    def overlap(self) -> pd.DataFrame:
        return data.load("lad_icb_overlap")

    @cached_property
    def staff_date(self) -> pd.Timestamp:
        """The latest staff snapshot (November 2025)."""
        return management.snapshot_date(self.staff)

    @cached_property
    def density(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.management.density_by_ics` at the latest snapshot."""
        return management.density_by_ics(self.staff, self.icbs, self.staff_date)

    @cached_property
    def rca(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.management.running_cost_per_head` for :data:`RCA_YEAR`, with ``rank``
        (1 = the highest allowance per head)."""
        rca = management.running_cost_per_head(self.alloc, self.icbs)
        rca = rca[rca["financial_year"] == RCA_YEAR].copy()
        if len(rca) != len(self.icbs):
            raise ValueError(
                f"expected a {RCA_YEAR} running cost allowance for each of the {len(self.icbs)} ICBs, found {len(rca)}"
            )
        rca["rank"] = rca["gbp_per_head"].rank(ascending=False, method="min").astype("int64")
        return rca

    @cached_property
    def england_rca(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.management.england_running_cost_per_head`, indexed by financial year."""
        return management.england_running_cost_per_head(self.alloc, self.icbs).set_index("financial_year")

    @cached_property
    def trend(self) -> dict:
        """What every system's back page compares, computed once: density by system at the first
        and latest snapshots, as published and without doctors; England the same; running costs
        per head in every year; the spread without extreme organisations; each organisation's own
        density."""
        first, latest = management.snapshot_date(self.staff, TREND_FROM), self.staff_date
        nodoc = lambda d, by=None: management.density_excluding_doctors(self.staff, d, by)  # noqa: E731
        return {
            "first": first,
            "latest": latest,
            "dens": {
                d: management.density_by_ics(self.staff, self.icbs, d).set_index("icb_code") for d in (first, latest)
            },
            "nodoc": {d: nodoc(d, "icb_code").set_index("icb_code") for d in (first, latest)},
            "eng": {d: management.managers_per_100_staff(self.staff, d) for d in (first, latest)},
            "eng_nodoc": {d: float(nodoc(d)["managers_per_100_staff"].iloc[0]) for d in (first, latest)},
            "rca": management.running_cost_per_head(self.alloc, self.icbs),
            "robust": management.spread_without_extremes(self.staff, self.icbs, latest),
            "orgs": management.org_density(self.staff, latest),
        }

    @cached_property
    def england_per100(self) -> float:
        return management.managers_per_100_staff(self.staff, self.staff_date)

    @cached_property
    def orgs(self) -> pd.DataFrame:
        """Managers and staff of every organisation at the latest snapshot, with its ICB."""
        return management.managers_and_staff(self.staff, self.staff_date, ["icb_code", "org_type", "org_name"])

    @cached_property
    def lad_boards(self) -> pd.DataFrame:
        return data.load("lad_board_overlap")

    @cached_property
    def practices(self) -> pd.DataFrame:
        """GP practices (September 2020) with the 2026 board(s) of their CCG's area
        (:func:`nhsreport.analysis.boards.practice_boards`)."""
        return _boards.practice_boards(
            data.load("gp_practices"), data.load("ccg_lineage"), data.load("ccg_board_overlap")
        )

    @cached_property
    def org_staff(self) -> pd.DataFrame:
        """Managers and staff of each organisation at the latest snapshot, indexed by ODS code."""
        s = self.staff.assign(org=self.staff["org_code"])
        return management.managers_and_staff(s, self.staff_date, ["org"]).set_index("org")

    @cached_property
    def icbs_2026(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.systems.icbs_2026`, indexed by 2026 code."""
        return systems.icbs_2026(self.icbs).set_index("icb_2026_code")

    @cached_property
    def upper_tier(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.boards.upper_tier_boards`: counties and unitary authorities in the boards."""
        return _boards.upper_tier_boards(self.lad_boards, data.load("lad_upper_tier"))

    @cached_property
    def trust_links(self) -> pd.DataFrame:
        return data.load("stp_trust_partners_2019")

    @cached_property
    def trusts_served(self) -> dict[str, list[str]]:
        """:func:`nhsreport.analysis.boards.trust_boards_served`."""
        return _boards.trust_boards_served(self.trusts, self.trust_links, self.icbs)

    @cached_property
    def boards(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.boards.board_figures`: the 36 boards of 1 April 2026, indexed by code."""
        return _boards.board_figures(
            self.icbs,
            self.staff,
            self.alloc,
            self.trusts,
            self.lad_boards,
            self.practices,
            staff_date=self.staff_date,
            rca_year=RCA_YEAR,
        ).set_index("icb_2026_code")

    @cached_property
    def periods(self) -> dict:
        """:func:`nhsreport.analysis.board_facts.periods`: the reporting periods of the boards' figures."""
        return board_facts.periods()

    @cached_property
    def boards_england(self) -> dict:
        return _boards.england_figures(self.boards.reset_index(), self.lad_boards)

    def sources(self, names) -> list[str]:
        """One line per dataset: its title, publishers, licence and as-of date (data package)."""
        out = []
        for name in names:
            r = data.resource(name)
            pubs = list(dict.fromkeys(s["title"].split(":")[0].split(" (")[0] for s in r["sources"]))
            out.append(f"{r['title']}. {'; '.join(pubs)}. {r['licenses'][0]['title']}. As of {r.get('x_as_of', '')}.")
        return out


def load_context() -> BriefingData:
    """A :class:`BriefingData`; datasets are read (hash-checked by :func:`nhsreport.data.load`) when
    first needed."""
    return BriefingData()


# ---------------------------------------------------------------------------------------------
# finding a system
# ---------------------------------------------------------------------------------------------


class IcsNotFoundError(LookupError):
    """No ICS (or more than one) matches a query; ``candidates`` are the closest (or matching) names."""

    def __init__(self, query: str, message: str, candidates: list[str]):
        self.query = query
        self.candidates = list(candidates)
        super().__init__(message)


def resolve_ics(query: str, icbs: pd.DataFrame) -> pd.Series:
    """The ``icbs`` row for an ODS code, ONS code or name (see :func:`nhsreport.analysis.systems.find_icb`).

    When nothing matches, the error lists the three closest names, and if the fuzzy match finds
    none it falls back to names sharing a word with the query, so a reader always gets a hint."""
    try:
        return systems.find_icb(query, icbs)
    except systems.IcbLookupError as e:
        cands = list(e.candidates)
        msg = str(e)
        if not cands:
            words = {w for w in systems.normalise_name(query).split() if len(w) > 2}
            cands = [n for n in (icbs["icb_name"].astype(str)) if words & set(systems.normalise_name(n).split())][:3]
            if cands:
                msg += f"; names sharing a word: {', '.join(cands)}"
        msg += " (`python scripts/briefing.py --list` lists every code and name)"
        raise IcsNotFoundError(query, msg, cands) from None


# ---------------------------------------------------------------------------------------------
# England
# ---------------------------------------------------------------------------------------------


def england(ctx: BriefingData) -> dict:
    """Everything the England briefing states, as formatted text and small tables."""
    nat = management.managers_and_staff(ctx.staff, ctx.staff_date).iloc[0]
    per100 = ctx.england_per100
    spread = management.ics_spread(ctx.density)
    robust = ctx.trend["robust"]
    iq = [robust[k]["iq_ratio"] for k in ("trusts", "all_but_outliers", "trusts_but_outliers")]
    hc = management.headcount_series(ctx.workforce)
    hc_annual = hc[hc["annual"]]
    hc_first, hc_last = hc.iloc[0], hc.iloc[-1]
    comm = reorganisation.commissioner_counts(ctx.commissioners)
    tc = reorganisation.trust_counts(ctx.trusts)
    eng_rc = ctx.england_rca
    rc_first_year, rc_last_year = eng_rc.index[0], RCA_YEAR
    rc = ctx.rca.set_index("icb_code")
    rc_lo, rc_hi = rc["gbp_per_head"].idxmin(), rc["gbp_per_head"].idxmax()
    pop = systems.population_range(ctx.icbs)
    split = systems.split_districts(ctx.overlap)
    n_lads = int(ctx.overlap["lad_code"].nunique())
    staff_month = month_year(ctx.staff_date)

    key_figures = [
        {
            "value": fmt_1dp(per100),
            "label": "managers per 100 staff",
            "note": f"NHS trusts and ICBs, FTE, {staff_month}",
        },
        {
            "value": f"{comm['icb_2022']} \u2192 {comm['icb_2026']}",
            "label": "integrated care boards",
            "note": "July 2022 \u2192 1 April 2026",
        },
        {"value": fmt_int(tc["last"]), "label": "NHS trusts", "note": f"1 April 2026 ({fmt_int(tc['first'])} in 2012)"},
        {
            "value": fmt_gbp(eng_rc.loc[rc_last_year, "gbp_per_head"]),
            "label": "ICB running cost allowance per head",
            "note": f"{rc_last_year}, cash",
        },
    ]
    findings = [
        f"Management is thin. In {staff_month} NHS trusts and ICBs employed {fmt_int(nat['all_managers_fte'])} "
        f"managers and senior managers (FTE) among {fmt_int(nat['staff_fte'])} FTE staff: {fmt_1dp(per100)} per "
        f"100 staff, or one for every {fmt_1dp(nat['staff_per_manager'])}. National bodies such as NHS England "
        f"are outside this count.",
        f"On a headcount basis the ratio moved from {fmt_1dp(hc_first['managers_per_100_staff'])} per 100 staff in "
        f"{month_year(hc_first['date'])} to {fmt_1dp(hc_last['managers_per_100_staff'])} in {month_year(hc_last['date'])} "
        f"(Figure 1); it was lowest, at {fmt_1dp(hc_annual['managers_per_100_staff'].min())}, in "
        f"{month_year(hc_annual.loc[hc_annual['managers_per_100_staff'].idxmin(), 'date'])}.",
        f"Systems differ. Counting each ICB with the trusts headquartered in its area, managers per 100 staff "
        f"range from {fmt_1dp(spread['min'])} in {spread['min_name']} to {fmt_1dp(spread['max'])} in "
        f"{spread['max_name']} (median {fmt_1dp(spread['median'])}; Figure 2). The middle half of systems differ by "
        f"{fmt_1dp(robust['all']['iq_ratio'])} times, and by {fmt_1dp(min(iq))} to {fmt_1dp(max(iq))} times without "
        f"the ICBs' own staff or the trusts whose figures suggest jobs coded differently; the "
        f"{fmt_1dp(spread['ratio'])}-fold range between the extremes rests on those organisations.",
        f"Commissioning has been consolidated: {comm['ccg_2013']} clinical commissioning groups in April 2013 became "
        f"{comm['icb_2022']} integrated care boards in July 2022 and {comm['icb_2026']} from 1 April 2026, a fall of "
        f"{fmt_pct(comm['fall_2013_2026'])} (Figure 4).",
        f"Trusts have merged: {fmt_int(tc['first'])} NHS trusts were open on 1 April 2012 and {fmt_int(tc['last'])} on "
        f"1 April 2026 ({fmt_pct(tc['pct_change'])}); acute trusts fell from {tc['acute_first']} to "
        f"{tc['acute_last']} (Figure 3).",
        f"ICB running cost allowances fell from \u00a3{eng_rc.loc[rc_first_year, 'rca_gbp'] / 1e6:,.1f}m in "
        f"{rc_first_year} to \u00a3{eng_rc.loc[rc_last_year, 'rca_gbp'] / 1e6:,.1f}m in {rc_last_year} "
        f"({fmt_pct(eng_rc.loc[rc_last_year, 'change_from_first'])} in cash), "
        f"{fmt_gbp(eng_rc.loc[rc_last_year, 'gbp_per_head'])} per head; by ICB from "
        f"{fmt_gbp(rc.loc[rc_lo, 'gbp_per_head'])} ({rc.loc[rc_lo, 'icb_name']}) to "
        f"{fmt_gbp(rc.loc[rc_hi, 'gbp_per_head'])} ({rc.loc[rc_hi, 'icb_name']}).",
        f"Systems are unequal in size: from {fmt_int(pop['min'])} people ({pop['min_name']}) to "
        f"{fmt_int(pop['max'])} ({pop['max_name']}), {fmt_1dp(pop['ratio'])} times as many (mid-2020). "
        f"{len(split)} of {n_lads} local authority districts are split between two ICBs.",
    ]
    return {
        "kind": "england",
        "title": "Joining up the NHS in England",
        "short_title": "England",
        "subtitle": "Management capacity, integrated care systems and integration, 2010\u20132026",
        "key_figures": key_figures,
        "findings": findings,
        "bases": [
            f"Key figures and Figure 2: managers per 100 staff in full-time equivalents (FTE), {staff_month}, "
            f"{age_in_words(ctx.staff_date)}. Figure 1 counts heads, not FTE, and ends in "
            f"{month_year(hc_last['date'])}, {age_in_words(hc_last['date'])}: its {fmt_1dp(hc_last['managers_per_100_staff'])} per 100 is on another "
            f"basis from the headline {fmt_1dp(per100)} and the two should not be read as a change.",
            f"Figures 3 and 4 count organisations on dates up to {uk_date(_boards.FORMED_2026)}, "
            f"{age_in_words(_boards.FORMED_2026)}. Running costs per head divide the allowance for {rc_last_year} (the "
            f"financial year that {ended_ago(financial_year_end(rc_last_year))}) by NHS England's allocation "
            f"population, based on patients registered with GPs; system sizes use ONS mid-2020 estimates, "
            f"{age_in_words('2020-06-30')}.",
        ],
        "values": {  # raw values, for the tests and for reuse
            "managers_per_100_staff": per100,
            "all_managers_fte": float(nat["all_managers_fte"]),
            "staff_fte": float(nat["staff_fte"]),
            "staff_per_manager": float(nat["staff_per_manager"]),
            "spread": spread,
            "commissioners": comm,
            "trusts": tc,
            "rca_per_head": float(eng_rc.loc[rc_last_year, "gbp_per_head"]),
            "rca_total": float(eng_rc.loc[rc_last_year, "rca_gbp"]),
            "rca_total_first": float(eng_rc.loc[rc_first_year, "rca_gbp"]),
            "population": pop,
            "split_districts": int(len(split)),
        },
        "as_of": [
            f"Staff: NHS workforce statistics, {uk_date(ctx.staff_date)} (FTE), and September 2009 to June 2022 "
            f"(headcount).",
            f"Running cost allowances: NHS England allocations, {RCA_YEAR} (and 2023/24, 2024/25).",
            "Population: ONS mid-2020 estimates on July 2022 ICB boundaries.",
            "Trusts: ODS trust file, June 2026; commissioners: ONS and ODS code lists, 2013\u20132026.",
        ],
    }


# ---------------------------------------------------------------------------------------------
# one ICS
# ---------------------------------------------------------------------------------------------


def _relative(ratio: float) -> str:
    """``2.45`` -> ``"2.5 times"``; ``0.63`` -> ``"63% of"``."""
    return f"{fmt_1dp(ratio)} times" if ratio >= 1.05 else f"{ratio * 100:.0f}% of"


def change_2026(ctx: BriefingData, code: str) -> str:
    """What happened to ICB ``code`` on 1 April 2026, in one or two sentences."""
    row = ctx.icbs.set_index("icb_code").loc[code]
    parts = [p.split(":") for p in str(row["icb_2026_parts"]).split(";")]
    names26 = dict(zip(ctx.icbs["icb_2026_code"], ctx.icbs["icb_2026_name"]))
    new26 = ctx.icbs_2026

    def others(code26: str) -> list[str]:
        labels = str(new26.loc[code26, "icbs_2022"]).split("; ")
        return [x for x in labels if x.removesuffix(" (part)") != row["icb_name"]]

    if len(parts) > 1:
        bits = [f"{fmt_pct(float(s))} to {names26[c]}" for c, s in sorted(parts, key=lambda p: -float(p[1]))]
        return (
            f"On 1 April 2026 the board was closed and its area divided between new boards: "
            f"{words.and_list(bits)} (approximate shares of its population, or of its small areas where a CCG was "
            f"divided)."
        )
    c26 = parts[0][0]
    with_ = others(c26)
    if c26 == code and not with_:
        return "On 1 April 2026 the board continued unchanged, with the same area and code."
    if c26 == code:
        return f"On 1 April 2026 the board continued under its code and took in {words.and_list(with_)}."
    if with_:
        return f"On 1 April 2026 the board merged with {words.and_list(with_)} to form {names26[c26]} ICB (code {c26})."
    return f"On 1 April 2026 the board was replaced by {names26[c26]} ICB (code {c26})."


def age_in_words(then, now=None) -> str:
    """How old a figure is, in words: "a month old", "a year old", "6 years old"."""
    now = pd.Timestamp(now or _dt.date.today())
    months = (now.year - pd.Timestamp(then).year) * 12 + now.month - pd.Timestamp(then).month
    if months < 1:
        return "this month's"
    if months < 12:
        return "a month old" if months == 1 else f"{months} months old"
    years = months // 12
    return "a year old" if years == 1 else f"{years} years old"


def ended_ago(then, now=None) -> str:
    """How long ago a period ended, in words: "ended this month", "ended 9 months ago", "ended a year ago"."""
    age = age_in_words(then, now)
    return "ended this month" if age == "this month's" else "ended " + age.removesuffix(" old") + " ago"


def financial_year_end(year: str) -> pd.Timestamp:
    """The last day of a financial year written ``2025/26``: 31 March 2026."""
    return pd.Timestamp(int(year[:4]) + 1, 3, 31)


def _as_of(name: str) -> pd.Timestamp:
    """The as-of date of a dataset of the data package, as a date (``2022-07-01``, ``2022-12``)."""
    from nhsreport import data

    return pd.Timestamp(str(data.resource(name)["x_as_of"]))


#: The staff snapshot the system trend starts from (the first in staff_by_org).
TREND_FROM = "2017-09-30"


def ics_back(ctx: BriefingData, code: str) -> dict:
    """The system-specific back page of an ICS briefing: its own trend, its peers by size, and
    what the figures mean for its board."""
    t = ctx.trend
    first, latest, dens, nodoc, eng, eng_nodoc = (
        t[k] for k in ("first", "latest", "dens", "nodoc", "eng", "eng_nodoc")
    )
    rca_all = t["rca"]
    rca = rca_all[rca_all["icb_code"] == code].set_index("financial_year")["gbp_per_head"]
    eng_rca = ctx.england_rca["gbp_per_head"]
    years = list(rca.index)
    m0, m1 = month_year(first), month_year(latest)
    trend = [
        {
            "measure": "Managers per 100 staff, as published",
            "first": fmt_1dp(dens[first].loc[code, "managers_per_100_staff"]),
            "last": fmt_1dp(dens[latest].loc[code, "managers_per_100_staff"]),
            "england": f"{fmt_1dp(eng[first])} \u2192 {fmt_1dp(eng[latest])}",
        },
        {
            "measure": "Managers per 100 staff other than doctors",
            "first": fmt_1dp(nodoc[first].loc[code, "managers_per_100_staff"]),
            "last": fmt_1dp(nodoc[latest].loc[code, "managers_per_100_staff"]),
            "england": f"{fmt_1dp(eng_nodoc[first])} \u2192 {fmt_1dp(eng_nodoc[latest])}",
        },
        {
            "measure": f"ICB running cost allowance per head ({years[0]} \u2192 {years[-1]})",
            "first": fmt_gbp(rca.iloc[0]),
            "last": fmt_gbp(rca.iloc[-1]),
            "england": f"{fmt_gbp(eng_rca.iloc[0])} \u2192 {fmt_gbp(eng_rca.iloc[-1])}",
        },
    ]
    trend_note = (
        f"Its commissioners (in {first.year} the CCGs of its 2022 area) and trusts. The published staff "
        f"total leaves out resident doctors in {latest.year}, not in {first.year}: a break in the series, so "
        f"the second row leaves out all doctors in both years. Allowances in cash."
    )

    # peers: the systems closest in population
    icbs = ctx.icbs.set_index("icb_code")
    gap = (icbs["population"] - icbs.loc[code, "population"]).abs().drop(code)
    peer_codes = list(gap.sort_values(kind="mergesort").index[:4])
    d_now = dens[latest]
    r_now = ctx.rca.set_index("icb_code")
    peers = [
        {
            "name": str(icbs.loc[c, "icb_name"]),
            "population": fmt_int(icbs.loc[c, "population"]),
            "per100": fmt_1dp(d_now.loc[c, "managers_per_100_staff"]),
            "trusts_per100": fmt_1dp(d_now.loc[c, "trust_managers_per_100_staff"]),
            "rca": fmt_gbp(r_now.loc[c, "gbp_per_head"]),
            "self": False,
        }
        for c in [code, *peer_codes]
    ]
    peers[0]["self"] = True
    peers[0]["name"] += " (this system)"

    # what the figures mean for the board
    mine = float(d_now.loc[code, "managers_per_100_staff"])
    peer_vals = d_now.loc[peer_codes, "managers_per_100_staff"]
    robust = t["robust"]
    q1, q3 = robust["all"]["q1"], robust["all"]["q3"]
    variants = [robust[k] for k in ("trusts", "all_but_outliers", "trusts_but_outliers")]
    iq, wide = [v["iq_ratio"] for v in variants], [v["ratio"] for v in variants]
    band = (
        "in the middle half of systems"
        if q1 <= mine <= q3
        else "above the middle half of systems"
        if mine > q3
        else "below the middle half of systems"
    )
    own = ctx.orgs[(ctx.orgs["icb_code"] == code) & (ctx.orgs["org_type"] != "ICB")]
    od = t["orgs"]
    here = set(od.loc[od["icb_code"] == code, "org_code"])
    outl = [o for o in robust["outliers"] if o["org_code"] in here]
    meaning = [
        f"At {fmt_1dp(mine)} managers per 100 staff the system is {band} ({fmt_1dp(q1)} to {fmt_1dp(q3)}) and "
        f"{'above' if mine > peer_vals.max() else 'below' if mine < peer_vals.min() else 'among'} the four systems "
        f"nearest to it in size ({fmt_1dp(peer_vals.min())} to {fmt_1dp(peer_vals.max())}). Between the quartiles "
        f"systems differ by {fmt_1dp(robust['all']['iq_ratio'])} times, and by {fmt_1dp(min(iq))} to "
        f"{fmt_1dp(max(iq))} times without the ICBs' own staff or the trusts with extreme figures: that much of the "
        f"spread is robust. The range between the extreme systems is not: {fmt_1dp(robust['all']['ratio'])}-fold as "
        f"published, {fmt_1dp(min(wide))}- to {fmt_1dp(max(wide))}-fold without those organisations.",
    ]
    if outl:
        meaning.append(
            f"{words.and_list([o['org_name'] for o in outl])} report{'s' if len(outl) == 1 else ''} "
            f"{words.and_list([fmt_1dp(o['managers_per_100_staff']) for o in outl])} managers per 100 staff, beyond "
            f"the range of most trusts (up to {fmt_1dp(robust['fences'][1])}): how jobs are coded may explain as "
            f"much as how many managers work there: ask before comparing."
        )
    else:
        meaning.append(
            f"None of the {len(own)} trusts headquartered here reports a figure beyond the range of most trusts "
            f"(up to {fmt_1dp(robust['fences'][1])} managers per 100 staff), so the system's figure does not rest on "
            f"one organisation's way of coding jobs."
        )
    meaning.append(
        "Density measures capacity, not performance: it cannot show whether more or fewer managers would make "
        "integration work here."
    )
    return {
        "trend": trend,
        "trend_note": trend_note,
        "trend_from": m0,
        "trend_to": m1,
        "peers": peers,
        "peers_note": (
            f"The four systems closest in population (ONS mid-2020); staff {m1}, allowance "
            f"{RCA_YEAR}. Trusts only: without the ICB's own staff, who are mostly managers."
        ),
        "meaning": meaning,
    }


def ics(ctx: BriefingData, code: str) -> dict:
    """Everything the briefing for ICB ``code`` (ODS code) states."""
    row = ctx.icbs.set_index("icb_code").loc[code]
    dens = ctx.density.set_index("icb_code").loc[code]
    rc = ctx.rca.set_index("icb_code").loc[code]
    n = len(ctx.icbs)
    eng_per100 = ctx.england_per100
    eng_rc_head = float(ctx.england_rca.loc[RCA_YEAR, "gbp_per_head"])
    staff_month = month_year(ctx.staff_date)

    # organisations of the system at the staff snapshot: the ICB and the trusts headquartered in it
    orgs = ctx.orgs
    orgs = orgs[(orgs["icb_code"] == code) & (orgs["org_type"] != "ICB")].copy()
    orgs["_o"] = orgs["org_type"].map({t: i for i, t in enumerate(TRUST_TYPES)}).fillna(len(TRUST_TYPES))
    orgs = orgs.sort_values(["_o", "staff_fte"], ascending=[True, False], kind="mergesort")
    trusts = [
        {
            "name": str(r.org_name),
            "type": str(r.org_type),
            "staff": fmt_int(r.staff_fte),
            "per100": fmt_1dp(r.managers_per_100_staff),
        }
        for r in orgs.itertuples()
    ]
    by_type = orgs["org_type"].value_counts()
    type_text = words.and_list(
        [f"{int(by_type[t])} {t}" for t in TRUST_TYPES if t in by_type]
        + [f"{int(v)} {t}" for t, v in by_type.items() if t not in TRUST_TYPES]
    )

    arr = ctx.arrangements[ctx.arrangements["icb_code"] == code].sort_values("start", kind="mergesort")
    arrangements = [
        {
            "name": str(r.arrangement),
            "form": f"{r.form}: {r.mechanism}",
            "start": reorganisation.format_date(r.start, r.start_precision) if pd.notna(r.start) else "",
            "status": str(r.status),
        }
        for r in arr.itertuples()
    ]

    rank_dens, rank_rc = int(dens["rank"]), int(rc["rank"])
    key_figures = [
        {
            "value": fmt_int(row["population"]),
            "label": "people",
            "note": "ONS mid-2020" + (" (approximate)" if bool(row["population_approximate"]) else ""),
        },
        {"value": str(len(orgs)), "label": "NHS trusts headquartered here", "note": staff_month},
        {
            "value": fmt_1dp(dens["managers_per_100_staff"]),
            "label": "managers per 100 staff",
            "note": f"England {fmt_1dp(eng_per100)}; {words.rank_text(rank_dens, n)}",
        },
        {
            "value": fmt_gbp(rc["gbp_per_head"]),
            "label": "ICB running cost allowance per head",
            "note": f"{RCA_YEAR}; England {fmt_gbp(eng_rc_head)}; {words.rank_text(rank_rc, n)}",
        },
    ]
    summary = [
        f"{row['icb_name_full']} (ODS code {code}, ONS code {row['icb_gss_code']}) is one of the {n} integrated "
        f"care boards set up on 1 July 2022, in the {row['region_name']} region. It served "
        f"{fmt_int(row['population'])} people (mid-2020) across {int(row['n_local_authorities'])} local authority "
        f"districts: {_relative(row['population'] / ctx.icbs['population'].median())} the median system's population.",
        f"In {staff_month} the area was home to the headquarters of {len(orgs)} NHS trusts ({type_text}), employing "
        f"{fmt_int(dens['trust_staff_fte'])} FTE staff; the ICB itself employed {fmt_int(dens['commissioner_staff_fte'])}.",
        f"Counting the ICB and these trusts, there were {fmt_1dp(dens['managers_per_100_staff'])} managers and senior "
        f"managers per 100 staff (England {fmt_1dp(eng_per100)}), {words.rank_text(rank_dens, n, 'systems')}. "
        f"In the trusts alone the figure was {fmt_1dp(dens['trust_managers_per_100_staff'])}.",
        f"Its running cost allowance for {RCA_YEAR} was \u00a3{rc['rca_gbp'] / 1e6:,.1f}m, "
        f"{fmt_gbp(rc['gbp_per_head'])} per head of its allocation population (England {fmt_gbp(eng_rc_head)}), "
        f"{words.rank_text(rank_rc, n)}.",
    ]
    return {
        "kind": "ics",
        "code": code,
        "gss_code": str(row["icb_gss_code"]),
        "title": f"{row['icb_name']}",
        "short_title": f"{row['icb_name']}",
        "subtitle": f"{row['icb_name_full']} \u00b7 ODS {code} \u00b7 ONS {row['icb_gss_code']} \u00b7 "
        f"{row['region_name']} region",
        "key_figures": key_figures,
        "summary": summary,
        "change_2026": change_2026(ctx, code),
        "bases": [
            f"Figure 1 and the staff figures: full-time equivalents (FTE), {staff_month}, "
            f"{age_in_words(ctx.staff_date)}. Figure 2: the allowance for {RCA_YEAR} (the financial "
            f"year that {ended_ago(financial_year_end(RCA_YEAR))}) per head of NHS England's allocation population for "
            f"{RCA_YEAR}, {fmt_int(rc['population'])}, patients registered with GPs: "
            f"{'more' if rc['population'] > row['population'] else 'fewer'} people than the ONS mid-2020 estimate of "
            f"{fmt_int(row['population'])} ({age_in_words('2020-06-30')}) that gives the system's size. Map: ICB "
            f"boundaries of {month_year(_as_of('geo_icb_2022'))}, {age_in_words(_as_of('geo_icb_2022'))}.",
        ],
        "back": ics_back(ctx, code),
        "trusts": trusts,
        "arrangements": arrangements,
        "values": {
            "population": int(row["population"]),
            "n_trusts": int(len(orgs)),
            "managers_per_100_staff": float(dens["managers_per_100_staff"]),
            "rank_density": rank_dens,
            "rca_per_head": float(rc["gbp_per_head"]),
            "rank_rca": rank_rc,
            "england_managers_per_100_staff": eng_per100,
            "england_rca_per_head": eng_rc_head,
        },
        "as_of": [  # the bases and ages of the figures are on page 1
            f"Staff: NHS workforce statistics, {uk_date(ctx.staff_date)}; running costs: NHS England allocations, "
            f"{RCA_YEAR}; population: ONS mid-2020 on July 2022 ICB boundaries; 2026 changes: ODS, June 2026.",
        ],
    }


def today() -> str:
    return uk_date(_dt.date.today())


# ---------------------------------------------------------------------------------------------
# the 36 boards of 1 April 2026: one function for the figures of the profile and the briefing
# ---------------------------------------------------------------------------------------------

_FORMAT = {"int": fmt_int, "1dp": fmt_1dp, "gbp": fmt_gbp, "pct": fmt_pct}
#: The reporting period (a key of :func:`nhsreport.analysis.board_facts.periods`) of each headline figure.
_FIGURE_PERIOD = {
    "population": "population",
    "managers_per_100_staff": "staff",
    "rca_per_head": "allowances",
    "n_trusts": "boards",
    "n_districts": "boards",
    "share_districts_whole": "boards",
    "n_practices": "practices",
}

#: What a system's briefing and profile say about the curated integration arrangements.
ARRANGEMENT_TEXTS = {
    "no_arrangements": (
        "None of the named contractual or structural arrangements in the report's curated list is "
        "recorded in this area. The list holds examples from published sources, not a census."
    ),
    "arrangements_note": "From the report's curated list of named examples (not a census), each with its source.",
}


def resolve_board(query: str, icbs: pd.DataFrame) -> str:
    """The 2026 board code for a 2026 or 2022 code or name (see :func:`nhsreport.analysis.boards.find_board`);
    raises :class:`IcsNotFoundError` with the closest names."""
    try:
        return _boards.find_board(query, icbs)
    except systems.IcbLookupError as e:
        raise IcsNotFoundError(
            query, f"{e} (`python scripts/briefing.py --list` lists every code and name)", e.candidates
        ) from None


def board_headlines(ctx: BriefingData, code: str) -> list[dict]:
    """The headline figures of 2026 board ``code``, in :data:`nhsreport.analysis.boards.FIGURES` order, as
    both the system profile and the board's briefing state them.

    Each item: ``key, label, unit, as_of``, ``as_of_date`` (the ISO date the figure refers to, from
    the data package), ``value`` (the number), ``text`` (it
    formatted), ``rank`` (1 = largest of the 36), ``n``, ``england`` and ``england_text``, and
    ``estimate`` (the figure apportions a 2022 board divided in 2026)."""
    row = ctx.boards.loc[code]
    eng = ctx.boards_england
    n = len(ctx.boards)
    out = []
    for key, (label, unit, as_of, kind) in _boards.FIGURES.items():
        fmt = _FORMAT[kind]
        value = row[key]
        estimate = (
            bool(row["population_estimate"])
            if key == "population"
            else (bool(row["estimate"]) if key in ("managers_per_100_staff", "rca_per_head") else False)
        )
        out.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "as_of": as_of,
                "as_of_date": ctx.periods[_FIGURE_PERIOD[key]].iso,
                "value": float(value) if kind in ("1dp", "gbp", "pct") else int(value),
                "text": fmt(value),
                "rank": int(row[f"rank_{key}"]),
                "n": n,
                "england": eng[key],
                "england_text": fmt(eng[key]),
                "estimate": estimate,
            }
        )
    return out


def board_change(ctx: BriefingData, code: str) -> str:
    """What 1 April 2026 meant for board ``code``, in one or two sentences."""
    row = ctx.boards.loc[code]
    parts = _boards.board_parts(ctx.icbs)
    p = parts[parts["icb_2026_code"] == code]
    labels = [f"{n} ({fmt_pct(s)} of it)" if s < 1 else n for n, s in zip(p["icb_name"], p["share"])]
    if not bool(row["changed_2026"]):
        return "On 1 April 2026 the board continued unchanged, with the same area and code."
    if code in set(ctx.icbs["icb_code"]):
        others = [lab for c, lab in zip(p["icb_code"], labels) if c != code]
        return (
            f"On 1 April 2026 the board kept its code and took in {words.and_list(others)}; shares of a divided "
            f"board are of its LSOAs or population."
        )
    return (
        f"On 1 April 2026 the board was formed from {words.and_list(labels)}; shares of a divided board are of its "
        f"LSOAs or population."
    )


def board(ctx: BriefingData, code: str) -> dict:
    """Everything the briefing for 2026 board ``code`` states, in the shape of :func:`ics` (so the
    same template prints it)."""
    row = ctx.boards.loc[code]
    heads = {h["key"]: h for h in board_headlines(ctx, code)}
    n = len(ctx.boards)
    staff_month = month_year(ctx.staff_date)
    est = " (estimate)"
    trusts = board_trusts(ctx, code)
    arr = board_arrangements(ctx, code)
    pop, dens, rca = heads["population"], heads["managers_per_100_staff"], heads["rca_per_head"]
    key_figures = [
        {"value": pop["text"], "label": "people", "note": "ONS mid-2020" + (est if pop["estimate"] else "")},
        {"value": heads["n_trusts"]["text"], "label": "NHS trusts headquartered here", "note": "1 April 2026"},
        {
            "value": dens["text"],
            "label": "managers per 100 staff",
            "note": f"England {dens['england_text']}; {words.rank_text(dens['rank'], n)}"
            + (est if dens["estimate"] else ""),
        },
        {
            "value": rca["text"],
            "label": "running cost allowance per head",
            "note": f"{RCA_YEAR}; England {rca['england_text']}; {words.rank_text(rca['rank'], n)}"
            + (est if rca["estimate"] else ""),
        },
    ]
    cot = heads["share_districts_whole"]
    floor = (
        f"below the {fmt_int(_boards.FLOOR)} mark, as are {ctx.boards_england['n_below_floor'] - 1} other boards"
        if bool(row["below_floor"])
        else f"above {fmt_int(_boards.FLOOR)}"
    )
    summary = [
        f"{row['icb_2026_name']} (ODS code {code}) is one of the {n} integrated care boards in place from 1 April "
        f"2026, in the {row['region_name']} region. Its area held {pop['text']} people (mid-2020"
        f"{', estimate' if pop['estimate'] else ''}), {floor}, across {heads['n_districts']['text']} local authority "
        f"districts, {cot['text']} of them wholly inside it.",
        f"{heads['n_trusts']['text']} NHS trusts are headquartered in the area. In {staff_month} they and the "
        f"{'boards' if int(row['n_icbs_2022']) > 1 else 'board'} it succeeds employed {fmt_1dp(row['managers_per_100_staff'])} "
        f"managers and senior managers per 100 staff (England {dens['england_text']}), "
        f"{words.rank_text(dens['rank'], n)}"
        + (
            "; the staff of a divided 2022 board are apportioned by population, an estimate."
            if dens["estimate"]
            else "."
        ),
        f"The running cost allowances of its predecessors for {RCA_YEAR} come to \u00a3{row['rca_gbp'] / 1e6:,.1f}m, "
        f"{rca['text']} per head (England {rca['england_text']}), {words.rank_text(rca['rank'], n)}"
        + (" (a divided board's allowance apportioned by population: an estimate)." if rca["estimate"] else "."),
    ]
    return {
        "kind": "board",
        "code": code,
        "gss_code": "",
        "title": str(row["icb_2026_name"]),
        "short_title": str(row["icb_2026_name"]),
        "subtitle": f"Integrated care board from 1 April 2026 \u00b7 ODS {code} \u00b7 {row['region_name']} region",
        "key_figures": key_figures,
        "summary": summary,
        "change_2026": board_change(ctx, code),
        "trusts": [
            {"name": t["trust"], "type": t["type"], "staff": t["staff_text"], "per100": t["per100_text"]}
            for t in trusts
        ],
        "arrangements": [
            {"name": a["arrangement"], "form": a["form"], "start": a["start"], "status": a["status"]} for a in arr
        ],
        "values": {h["key"]: h["value"] for h in heads.values()},
        "bases": [
            f"Figure 1 and the staff figures: full-time equivalents (FTE), {staff_month}, "
            f"{age_in_words(ctx.staff_date)}, of the trusts headquartered in the board's area and the board(s) it "
            f"succeeds. Figure 2: its predecessors' allowance for {RCA_YEAR} (the "
            f"financial year that {ended_ago(financial_year_end(RCA_YEAR))}) divided by their allocation population "
            f"(patients registered with GPs), another count of people than the ONS mid-2020 estimate shown ({age_in_words('2020-06-30')}). "
            f"Map: the boards of {uk_date(_boards.FORMED_2026)} ({age_in_words(_boards.FORMED_2026)}) drawn from "
            f"district boundaries of {month_year(_as_of('geo_lad_2022'))}."
            + (
                " Figures marked estimate apportion a divided 2022 board by population."
                if any(h.get("estimate") for h in heads.values())
                else ""
            ),
        ],
        "back": board_back(ctx, code),
        "as_of": [
            f"Staff: NHS workforce statistics, {uk_date(ctx.staff_date)} (FTE); a trust counts in the board of its "
            f"headquarters (ODS, June 2026).",
            f"Running cost allowance: NHS England allocations, {RCA_YEAR}, summed over the predecessor boards.",
            "Population: ONS mid-2020 estimates; districts: 2021, counted in LSOAs.",
        ],
    }


def board_back(ctx: BriefingData, code: str) -> dict:
    """The back page of a board's briefing: the board beside its peers (the boards closest in
    population, :func:`nhsreport.analysis.boards.peer_boards`, as on its profile page) and what the
    figures mean for its board."""
    b = ctx.boards
    peers = _boards.peer_boards(b, code)
    rows = []
    for c in [code] + peers:
        r = b.loc[c]
        rows.append(
            {
                "name": str(r["icb_2026_name"]) + (" (this board)" if c == code else ""),
                "self": c == code,
                "population": fmt_int(r["population"]),
                "per100": fmt_1dp(r["managers_per_100_staff"]),
                "rca": fmt_gbp(r["rca_per_head"]),
                "trusts": str(int(r["n_trusts"])),
            }
        )
    me = b.loc[code]
    peer_dens = b.loc[peers, "managers_per_100_staff"].astype(float)
    peer_rca = b.loc[peers, "rca_per_head"].astype(float)

    def place(v, vals):
        return "above" if v > vals.max() else "below" if v < vals.min() else "within"

    meaning = [
        f"Management density of {fmt_1dp(me['managers_per_100_staff'])} per 100 staff is "
        f"{place(float(me['managers_per_100_staff']), peer_dens)} the range of the five boards nearest in size "
        f"({fmt_1dp(peer_dens.min())} to {fmt_1dp(peer_dens.max())}). Differences this size can come from how "
        f"trusts code jobs as much as from how many managers they employ (chapter 2 of the report).",
        f"The running cost allowance of {fmt_gbp(me['rca_per_head'])} per head is "
        f"{place(float(me['rca_per_head']), peer_rca)} its peers' range ({fmt_gbp(peer_rca.min())} to "
        f"{fmt_gbp(peer_rca.max())}): the allowance is a cap set nationally, and ICBs were told in 2025 to halve their running costs.",
        "The board's profile page in the report's website has every figure here with its source, rank and "
        "download, and the trusts and practices of its area.",
    ]
    return {
        "peers": rows,
        "peers_note": "The five boards closest in population (ONS mid-2020, on a log scale); "
        f"staff {month_year(ctx.staff_date)}, allowance {RCA_YEAR}.",
        "meaning": meaning,
    }


def board_trusts(ctx: BriefingData, code: str) -> list[dict]:
    """The trusts headquartered in board ``code`` with their staff and managers per 100 staff at
    the latest staff snapshot (FTE), largest first within each type."""
    t = ctx.trusts
    open26 = t[
        (pd.to_datetime(t["opened"]) <= _boards.FORMED_2026)
        & (t["closed"].isna() | (pd.to_datetime(t["closed"]) >= _boards.FORMED_2026))
    ]
    mine = open26[open26["icb_code"] == code]
    o = ctx.org_staff
    rows = []
    for r in mine.itertuples():
        staff = o["staff_fte"].get(r.org_code)
        per100 = o["managers_per_100_staff"].get(r.org_code)
        rows.append(
            {
                "org_code": r.org_code,
                "trust": systems.tidy_trust_name(r.org_name),
                "type": str(r.trust_type),
                "staff": None if staff is None else float(staff),
                "per100": None if per100 is None else float(per100),
                "staff_text": "" if staff is None else fmt_int(staff),
                "per100_text": "" if per100 is None else fmt_1dp(per100),
            }
        )
    order = {t: i for i, t in enumerate(TRUST_TYPES)}
    return sorted(rows, key=lambda r: (order.get(r["type"], len(order)), -(r["staff"] or 0), r["trust"]))


def trust_boards_served(ctx: BriefingData) -> dict[str, list[str]]:
    """:func:`nhsreport.analysis.boards.trust_boards_served` for the briefing data (cached)."""
    return ctx.trusts_served


def board_partner_trusts(ctx: BriefingData, code: str) -> list[dict]:
    """The trusts headquartered in another board that were partners in April 2019 of a system
    whose area is now (in whole or part) board ``code``."""
    served = trust_boards_served(ctx)
    names = ctx.trusts.set_index("org_code")
    rows = []
    for org, boards26 in served.items():
        if code in boards26[1:]:
            hq = ctx.boards.loc[boards26[0], "icb_2026_name"] if boards26[0] in ctx.boards.index else boards26[0]
            rows.append(
                {
                    "org_code": org,
                    "trust": systems.tidy_trust_name(names.loc[org, "org_name"]),
                    "type": str(names.loc[org, "trust_type"]),
                    "hq_board": str(hq),
                }
            )
    return sorted(rows, key=lambda r: r["trust"])


def board_arrangements(ctx: BriefingData, code: str) -> list[dict]:
    """The curated integration arrangements recorded in the 2022 areas that make up board ``code``."""
    parts = _boards.board_parts(ctx.icbs)
    mine = set(parts.loc[parts["icb_2026_code"] == code, "icb_code"])
    arr = ctx.arrangements[ctx.arrangements["icb_code"].isin(mine)].sort_values("start", kind="mergesort")
    return [
        {
            "arrangement": str(r.arrangement),
            "form": f"{r.form}: {r.mechanism}",
            "start": reorganisation.format_date(r.start, r.start_precision) if pd.notna(r.start) else "",
            "status": str(r.status),
            "area": str(r.area),
            "source_title": str(r.source_title),
            "source_url": str(r.source_url),
        }
        for r in arr.itertuples()
    ]
