"""Analysis helpers for the chapter on reorganisation and national leadership, 2010–2026.

They take processed tables (``load("timeline")``, ``load("commissioners_over_time")``,
``load("trusts")``, ``load("icbs")``, ``load("icb_allocations")``) and return plain numbers or
small tidy tables, so that the chapter, its tests and the briefings state the same figures.

* :data:`KEY_EVENTS` names the events of the ``timeline`` table that the chapter labels, each
  with a short label for charts; :func:`key_events` finds them (and fails loudly if the curated
  table no longer holds one) and :func:`event_date_text` writes an event's date at the precision
  the table records.
* :func:`label_tiers` places timeline labels in rows so that they do not overlap.
* :func:`commissioner_counts`, :func:`trust_counts`, :func:`running_costs` and
  :func:`icb_mergers_2026` compute the counts the chapter states.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nhsreport.analysis import counting, management
from nhsreport.dates import day
from nhsreport.formatting import date_at_precision

__all__ = [
    "KeyEvent",
    "KEY_EVENTS",
    "CATEGORY_ORDER",
    "key_events",
    "event_date_text",
    "label_tiers",
    "timeline_layout",
    "commissioning_series",
    "commissioner_counts",
    "trust_counts",
    "trusts_by_type",
    "FIRST_TRUST_YEAR",
    "trust_years",
    "ambulance_mergers",
    "types_missing_at_end",
    "published_value",
    "care_trust_gap",
    "running_costs",
    "icb_mergers_2026",
    "years_between",
    "events_by_year",
    "STRUCTURAL_CATEGORIES",
    "structural_change_years",
]

#: Order (and legend order) of the timeline's categories.
CATEGORY_ORDER = ["legislation", "policy", "structure", "national body", "programme", "merger"]


@dataclass(frozen=True)
class KeyEvent:
    id: str
    date: str  # ISO date as recorded in the timeline table
    category: str
    label: str  # short label for charts (no figures in it: figures are computed)


#: The events the chapter labels on its timeline, matched to the ``timeline`` table by date and
#: category. Short labels are the report's own wording.
KEY_EVENTS: tuple[KeyEvent, ...] = (
    KeyEvent("white_paper_2010", "2010-07-01", "policy", "White paper: GPs to commission"),
    KeyEvent("hsca_2012", "2012-03-01", "legislation", "Health and Social Care Act"),
    KeyEvent("ccgs_2013", "2013-04-01", "structure", "CCGs replace PCTs and SHAs"),
    KeyEvent("pioneers", "2013-11-01", "programme", "Integration pioneers"),
    KeyEvent("fyfv", "2014-10-23", "policy", "Five Year Forward View"),
    KeyEvent("vanguards", "2015-03-10", "programme", "First vanguards chosen"),
    KeyEvent("stp_guidance", "2015-12-22", "policy", "STPs required"),
    KeyEvent("stp_footprints", "2016-03-15", "structure", "STP footprints"),
    KeyEvent("nhsi_formed", "2016-04-01", "national body", "NHS Improvement formed"),
    KeyEvent("acs_2017", "2017-06-19", "structure", "First accountable care systems"),
    KeyEvent("mft_2017", "2017-10-01", "merger", "Manchester University FT formed"),
    KeyEvent("nhsei_announced", "2018-03-27", "national body", "NHSE and NHSI to work together"),
    KeyEvent("regions_proposed", "2018-05-24", "national body", "Joint regional teams proposed"),
    KeyEvent("ltp", "2019-01-07", "policy", "NHS Long Term Plan"),
    KeyEvent("nhsei_single", "2019-04-01", "national body", "NHSE/I as one; seven regions"),
    KeyEvent("ccg_mergers_2020", "2020-04-01", "structure", "Wave of CCG mergers"),
    KeyEvent("ics_everywhere", "2021-04-01", "structure", "ICSs cover England"),
    KeyEvent("hca_2022", "2022-04-28", "legislation", "Health and Care Act"),
    KeyEvent("icbs_2022", "2022-07-01", "structure", "ICBs replace CCGs"),
    KeyEvent("nhsd_merged", "2023-02-01", "national body", "NHS Digital joins NHSE"),
    KeyEvent("icb_costs_2023", "2023-03-01", "policy", "ICB running costs to fall"),
    KeyEvent("hee_merged", "2023-04-01", "national body", "HEE joins NHSE"),
    KeyEvent("icb_costs_2025", "2025-03-01", "policy", "ICBs told to halve costs"),
    KeyEvent("nhse_abolition", "2025-03-13", "national body", "NHS England to be abolished"),
    KeyEvent("ten_year_plan", "2025-07-03", "policy", "10 Year Health Plan"),
    KeyEvent("icb_footprints", "2025-09-09", "policy", "New ICB footprints announced"),
    KeyEvent("icb_mergers_2026", "2026-04-01", "structure", "First ICB mergers"),
)


def key_events(timeline: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``timeline`` named in :data:`KEY_EVENTS`, with columns ``id`` and ``label``
    added, in date order. Raises ``LookupError`` if a key event is missing or ambiguous."""
    tl = timeline.copy()
    tl["_d"] = pd.to_datetime(tl["date"]).dt.strftime("%Y-%m-%d")
    rows = []
    for k in KEY_EVENTS:
        m = tl[(tl["_d"] == k.date) & (tl["category"] == k.category)]
        if len(m) != 1:
            raise LookupError(f"key event {k.id!r} ({k.date}, {k.category}) matches {len(m)} timeline rows")
        r = m.iloc[0].drop(labels="_d").to_dict()
        r.update(id=k.id, label=k.label)
        rows.append(r)
    out = pd.DataFrame(rows)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values("date", kind="mergesort").reset_index(drop=True)


# kept for the briefings, which still call it by this name: the rule is formatting.date_at_precision
format_date = date_at_precision


def event_date_text(timeline: pd.DataFrame, event_id: str) -> str:
    """The date of key event ``event_id`` written at the precision the timeline records."""
    ev = key_events(timeline).set_index("id").loc[event_id]
    return date_at_precision(ev["date"], ev["date_precision"])


def years_between(timeline: pd.DataFrame, first_id: str, second_id: str) -> float:
    """Years (365.25 days) from key event ``first_id`` to key event ``second_id``."""
    ev = key_events(timeline).set_index("id")["date"]
    return float((ev[second_id] - ev[first_id]).days / 365.25)


def events_by_year(timeline: pd.DataFrame, categories=None) -> pd.Series:
    """Number of timeline events per calendar year (optionally of some categories only),
    with years without events as zeros."""
    tl = timeline if categories is None else timeline[timeline["category"].isin(list(categories))]
    years = pd.to_datetime(timeline["date"]).dt.year
    y = pd.to_datetime(tl["date"]).dt.year
    idx = range(int(years.min()), int(years.max()) + 1)
    return y.value_counts().reindex(idx, fill_value=0).sort_index().astype("int64").rename("events")


#: Timeline categories that count as a change of structure (a law, a change of NHS structures or
#: of a national body).
STRUCTURAL_CATEGORIES = ("legislation", "structure", "national body")


def structural_change_years(timeline: pd.DataFrame) -> dict:
    """Years with at least one structural event (:data:`STRUCTURAL_CATEGORIES`) over the whole
    span of the timeline, so that every chapter quotes the same window: ``first``, ``last``,
    ``n_years`` (calendar years in the span), ``years_with`` and ``events``."""
    per_year = events_by_year(timeline, STRUCTURAL_CATEGORIES)
    return {
        "first": int(per_year.index.min()),
        "last": int(per_year.index.max()),
        "n_years": int(len(per_year)),
        "years_with": int((per_year > 0).sum()),
        "events": int(per_year.sum()),
    }


# ---------------------------------------------------------------------------------------------
# timeline layout
# ---------------------------------------------------------------------------------------------


def label_tiers(x_px, widths_px, *, plot_width: float, gap: float = 10.0) -> tuple[list[int], list[str]]:
    """Greedy placement of labels in rows so that none overlap.

    ``x_px`` are the anchor positions (in pixels, increasing order not required), ``widths_px``
    the label widths. A label starts at its anchor and runs right, unless it would pass
    ``plot_width``, in which case it ends at its anchor. Each label goes in the lowest row
    whose labels it does not touch (``gap`` pixels apart). Returns (row per label, align per
    label: ``"left"`` or ``"right"``), in the input order."""
    order = sorted(range(len(x_px)), key=lambda i: x_px[i])
    rows: list[list[tuple[float, float]]] = []
    tier = [0] * len(x_px)
    align = ["left"] * len(x_px)
    for i in order:
        x, w = float(x_px[i]), float(widths_px[i])
        if x + w > plot_width:
            span, align[i] = (x - w, x), "right"
        else:
            span = (x, x + w)
        for t, occupied in enumerate(rows):
            if all(span[0] > b + gap or span[1] < a - gap for a, b in occupied):
                occupied.append(span)
                tier[i] = t
                break
        else:
            rows.append([span])
            tier[i] = len(rows) - 1
    return tier, align


def timeline_layout(
    events: pd.DataFrame, start, end, *, plot_width: float = 560.0, char_px: float = 6.4, pad_px: float = 12.0
) -> pd.DataFrame:
    """Key events between ``start`` and ``end`` with a row (``tier``) and text alignment
    (``align``) for each label, for a chart ``plot_width`` pixels wide over that period.

    Label widths are estimated at ``char_px`` per character (11 px sans-serif), plus the gap
    between dot and text (``pad_px``)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    ev = events[(events["date"] >= s) & (events["date"] <= e)].copy().reset_index(drop=True)
    span = (e - s).total_seconds()
    x = [(d - s).total_seconds() / span * plot_width for d in ev["date"]]
    w = [len(str(t)) * char_px + pad_px for t in ev["label"]]
    ev["tier"], ev["align"] = label_tiers(x, w, plot_width=plot_width)
    return ev


# ---------------------------------------------------------------------------------------------
# commissioners and systems
# ---------------------------------------------------------------------------------------------

#: How each body type of ``commissioners_over_time`` is grouped in the chapter.
BODY_GROUPS = {
    "SHA": "regional tier",
    "PCT": "commissioners",
    "CCG": "commissioners",
    "ICB": "commissioners",
    "STP": "systems (footprints)",
    "ICS": "systems (footprints)",
}


def commissioning_series(cot: pd.DataFrame) -> pd.DataFrame:
    """``commissioners_over_time`` sorted by date with ``group`` (see :data:`BODY_GROUPS`) and
    ``computed`` (True where the count was computed from a data file, False where published)."""
    df = cot.copy()
    df["date"] = pd.to_datetime(df["date"])
    df["group"] = df["body_type"].map(BODY_GROUPS).fillna("other")
    df["computed"] = df["basis"].astype(str).str.startswith("computed")
    return df.sort_values(["date", "body_type"], kind="mergesort").reset_index(drop=True)


def _count(cot: pd.DataFrame, body: str, date: str) -> int:
    d = pd.to_datetime(cot["date"])
    m = cot[(cot["body_type"] == body) & (d == pd.Timestamp(date))]
    if len(m) != 1:
        raise LookupError(f"commissioners_over_time has {len(m)} rows for {body} on {date}")
    return int(m["count"].iloc[0])


def commissioner_counts(cot: pd.DataFrame) -> dict:
    """The counts the chapter quotes: SHAs (Sept 2012), PCTs (March 2013), CCGs (April 2013,
    2019, 2020, 2021), ICBs (July 2022, April 2026), STP footprints (March 2016) and the
    percentage fall from CCGs in 2013 to ICBs in 2022 and 2026."""
    out = {
        "sha_2012": _count(cot, "SHA", "2012-09-30"),
        "pct_2013": _count(cot, "PCT", "2013-03-31"),
        "ccg_2013": _count(cot, "CCG", "2013-04-01"),
        "ccg_2019": _count(cot, "CCG", "2019-04-01"),
        "ccg_2020": _count(cot, "CCG", "2020-04-01"),
        "ccg_2021": _count(cot, "CCG", "2021-04-01"),
        "icb_2022": _count(cot, "ICB", "2022-07-01"),
        "icb_2026": _count(cot, "ICB", "2026-04-01"),
        "stp_2016": _count(cot, "STP", "2016-03-15"),
    }
    out["fall_2013_2022"] = 1 - out["icb_2022"] / out["ccg_2013"]
    out["fall_2013_2026"] = 1 - out["icb_2026"] / out["ccg_2013"]
    return out


# ---------------------------------------------------------------------------------------------
# trusts
# ---------------------------------------------------------------------------------------------


#: The first 1 April the chapter counts trusts on (the trusts file is complete from then on).
FIRST_TRUST_YEAR = 2012


def trust_years(trusts: pd.DataFrame) -> tuple[int, int]:
    """The first and last years whose 1 April the chapter counts trusts on: from
    :data:`FIRST_TRUST_YEAR` to the last the table can count (:func:`counting.last_count_year`)."""
    return FIRST_TRUST_YEAR, counting.last_count_year(trusts)


def trusts_by_type(trusts: pd.DataFrame, first: int = 2012, last: int = 2026) -> pd.DataFrame:
    """Trusts open on 1 April of each year by ``trust_type`` (long format: ``year``,
    ``trust_type``, ``trusts``), using :func:`nhsreport.analysis.counting.count_trusts_by_year`."""
    return counting.count_trusts_by_year(trusts, range(first, last + 1), by="trust_type")


def trust_counts(trusts: pd.DataFrame, first: int = 2012, last: int = 2026) -> dict:
    """Trusts open on 1 April of ``first`` and ``last``, the change, the percentage change, the
    year with the largest fall (on the year before) and the acute and ambulance counts (first and
    last year, smallest and largest)."""
    tot = counting.count_trusts_by_year(trusts, range(first, last + 1)).set_index("year")["trusts"]
    by = trusts_by_type(trusts, first, last).pivot(index="year", columns="trust_type", values="trusts")
    diff = tot.diff()
    worst = int(diff.idxmin())
    return {
        "first": int(tot[first]),
        "last": int(tot[last]),
        "change": int(tot[last] - tot[first]),
        "pct_change": float(tot[last] / tot[first] - 1),
        "largest_fall_year": worst,
        "largest_fall": int(-diff[worst]),
        "acute_first": int(by.loc[first, "acute"]),
        "acute_last": int(by.loc[last, "acute"]),
        "ambulance_min": int(by["ambulance"].min()),
        "ambulance_max": int(by["ambulance"].max()),
        "ambulance_first": int(by.loc[first, "ambulance"]),
        "ambulance_last": int(by.loc[last, "ambulance"]),
    }


def ambulance_mergers(trusts: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Ambulance trusts open on 1 April of ``first`` but not of ``last``: ``org_code``,
    ``org_name``, ``successor_code`` and ``merged`` (the day after the last day of operation)."""
    then = counting.trusts_open_on(trusts, day(f"{first}-04-01"), trust_type="ambulance")
    now = counting.trusts_open_on(trusts, day(f"{last}-04-01"), trust_type="ambulance")
    gone = then[~then["org_code"].isin(now["org_code"])].copy()
    gone["merged"] = gone["closed"] + pd.Timedelta(days=1)
    return gone[["org_code", "org_name", "successor_code", "merged"]].reset_index(drop=True)


def types_missing_at_end(by_type: pd.DataFrame) -> tuple[list[int], list[str]]:
    """Trust types with trusts in some year of ``by_type`` (:func:`trusts_by_type`) but none in
    its last year: ``(years they have trusts in, types)``, both sorted."""
    last = by_type[by_type["year"] == by_type["year"].max()]
    present_at_end = set(last.loc[last["trusts"] > 0, "trust_type"])
    other = by_type[~by_type["trust_type"].isin(present_at_end) & (by_type["trusts"] > 0)]
    return sorted(int(y) for y in other["year"].unique()), sorted(other["trust_type"].unique())


def published_value(published: pd.DataFrame, measure: str, year: int | None = None) -> float:
    """The one value of ``measure`` in ``published_org_counts`` (of ``year``, when given).
    Raises ``LookupError`` unless exactly one row matches."""
    rows = published[published["measure"] == measure]
    if year is not None:
        rows = rows[pd.to_datetime(rows["date"]).dt.year == year]
    if len(rows) != 1:
        raise LookupError(f"published_org_counts has {len(rows)} rows for {measure!r} ({year})")
    return float(rows["value"].iloc[0])


def care_trust_gap(trusts: pd.DataFrame, published: pd.DataFrame, care_trusts: list[str]) -> dict:
    """The report's count of trusts against NHS Providers' published count of "NHS provider
    trusts" (which includes care trusts), on 1 April of the published count's year: ``year``,
    ``counted``, ``published``, ``with_care`` (counted plus ``care_trusts``) and ``gap``
    (with_care minus published)."""
    rows = published[published["measure"] == "NHS provider trusts"]
    year = int(pd.to_datetime(rows["date"]).dt.year.iloc[0])
    counted = int(counting.count_trusts_by_year(trusts, [year])["trusts"].iloc[0])
    pub = int(published_value(published, "NHS provider trusts", year))
    with_care = counted + len(care_trusts)
    return {"year": year, "counted": counted, "published": pub, "with_care": with_care, "gap": with_care - pub}


# ---------------------------------------------------------------------------------------------
# ICB running costs and the 2026 mergers
# ---------------------------------------------------------------------------------------------


def running_costs(alloc: pd.DataFrame) -> pd.DataFrame:
    """England totals of the ICB running cost allowance per financial year, in the units this
    chapter quotes: ``rca_gbp_m`` (£ million), ``population`` (sum of the allocation
    populations), ``per_head_gbp`` and ``change_on_first`` (proportional change on the first
    year, cash terms). Computed by :func:`nhsreport.analysis.management.england_running_cost_per_head`."""
    e = management.england_running_cost_per_head(alloc)
    return pd.DataFrame(
        {
            "financial_year": e["financial_year"].astype(str).to_numpy(),
            "rca_gbp_m": (e["rca_gbp"] / 1e6).to_numpy(),
            "population": e["population"].astype("int64").to_numpy(),
            "per_head_gbp": e["gbp_per_head"].to_numpy(),
            "change_on_first": e["change_from_first"].to_numpy(),
        }
    )


def icb_mergers_2026(icbs: pd.DataFrame) -> dict:
    """ICBs in July 2022 and from 1 April 2026, the 2022 ICBs that closed (their code is not
    carried on) and the new 2026 ICBs (codes that did not exist in 2022)."""
    old = set(icbs["icb_code"])
    new = set(icbs["icb_2026_code"])
    for parts in icbs["icb_2026_parts"].astype(str):
        new |= {p.split(":")[0] for p in parts.split(";")}
    return {"n_2022": len(old), "n_2026": len(new), "closed": len(old - new), "opened": len(new - old)}
