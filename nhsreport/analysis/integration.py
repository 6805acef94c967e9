"""Analysis for the chapter on contractual versus structural integration (``book/04_integration``).

Every number the chapter states, and the PDF briefings reuse, comes from a function here, applied
to processed datasets loaded with :func:`nhsreport.data.load`:

* named arrangements (``integration_arrangements``): :func:`arrangement_spans`,
  :func:`form_summary`, :func:`phased_paths`;
* structural consolidation (``trusts``, ``trust_changes``, ``published_org_counts``):
  :func:`trusts_on_1_april`, :func:`dissolutions_by_year`, :func:`trust_count_crosscheck`,
  :func:`dissolutions_between`;
* new care models (``vanguards``, ``evaluations``): :func:`vanguard_counts`,
  :func:`evaluation_effects`;
* beds around major mergers (``trust_beds``, ``trust_changes``): :func:`major_mergers`,
  :func:`merger_bed_panels`, :func:`merger_bed_summary`.

Counting rules (open on a date, dissolved codes) are those of :mod:`nhsreport.analysis.counting`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from nhsreport.analysis import counting
from nhsreport.analysis.reorganisation import key_events
from nhsreport.formatting import month_year, uk_date
from nhsreport.schema import TRUST_TYPES

# ---------------------------------------------------------------------------------------------
# named arrangements
# ---------------------------------------------------------------------------------------------

#: Statuses that mean an arrangement ended without being replaced by a successor arrangement.
FAILED_STATUSES = ("collapsed", "wound down")


def arrangement_spans(arrangements: pd.DataFrame, as_of) -> pd.DataFrame:
    """One row per named arrangement with the span to draw on a timeline.

    ``end_drawn`` is the end date, or ``as_of`` for arrangements with no end date;
    ``open_ended`` says which, and ``end_unknown`` marks those that ended (superseded, wound down)
    on a date the sources do not give. Sorted by form, then start."""
    df = arrangements.copy()
    df["start"] = pd.to_datetime(df["start"])
    df["end"] = pd.to_datetime(df["end"])
    df["open_ended"] = df["end"].isna()
    # ended (superseded, wound down...) but on a date the sources do not give
    df["end_unknown"] = df["open_ended"] & ~df["status"].isin(["live", "template"])
    df["end_drawn"] = df["end"].fillna(pd.Timestamp(as_of))
    df["years"] = (df["end_drawn"] - df["start"]).dt.days / 365.25
    return df.sort_values(["form", "start", "arrangement"]).reset_index(drop=True)


def form_summary(arrangements: pd.DataFrame) -> pd.DataFrame:
    """Named arrangements by form: how many, how many live, superseded, and ended in failure
    (collapsed or wound down), and how many are national templates or programmes."""
    df = arrangements
    out = df.groupby("form").agg(
        arrangements=("arrangement", "count"),
        live=("status", lambda s: int((s == "live").sum())),
        superseded=("status", lambda s: int((s == "superseded").sum())),
        failed=("status", lambda s: int(s.isin(FAILED_STATUSES).sum())),
        national=("area", lambda s: int((s == "England").sum())),
    )
    return out.astype("int64")


def fates_by_confidence(arrangements: pd.DataFrame) -> pd.DataFrame:
    """Named arrangements by form and by the confidence of their source (high, medium, low): how
    many there are and how many ended in failure (collapsed or wound down, :data:`FAILED_STATUSES`),
    so that a count of failures can be read with the weight of the sources it rests on. All three
    confidence levels are rows for both forms, with zeros."""
    levels = ["high", "medium", "low"]
    rows = []
    for form in ("contractual", "structural"):
        for level in levels:
            g = arrangements[(arrangements["form"] == form) & (arrangements["confidence"] == level)]
            rows.append(
                {
                    "form": form,
                    "confidence": level,
                    "arrangements": len(g),
                    "failed": int(g["status"].isin(FAILED_STATUSES).sum()),
                    "failed_names": sorted(g.loc[g["status"].isin(FAILED_STATUSES), "arrangement"]),
                }
            )
    return pd.DataFrame(rows)


def phased_paths(arrangements: pd.DataFrame) -> pd.DataFrame:
    """Local areas (ICB codes) where a looser arrangement was followed by a tighter one.

    Arrangements are ranked by how tightly they bind the partners: contractual forms (1), group
    models (2), and mergers, acquisitions and vertical integration (3). For each ICB area with
    named arrangements, every pair (earlier, later) whose later arrangement started after the
    earlier one and is tighter is a step on a phased approach (the article: "a phased approach
    might be preferable"). The column ``same_partners`` is true when the earlier arrangement was
    superseded on the day the later one started (the Northern Care Alliance group becoming one
    foundation trust); ``earlier_form`` and ``later_form`` say whether each is contractual or
    structural, so that a step from a group model to a merger (structural to structural) is told
    apart from the step from contractual to structural the article describes."""
    tight = {"group model": 2, "merger": 3, "acquisition": 3, "vertical integration": 3, "new trust": 3}
    df = arrangements.dropna(subset=["icb_code"]).copy()
    df["start"] = pd.to_datetime(df["start"])
    df["tightness"] = df["mechanism"].map(tight).fillna(1).astype(int)
    rows = []
    for icb, g in df.groupby("icb_code"):
        g = g.sort_values("start")
        for _, a in g.iterrows():
            for _, b in g.iterrows():
                if b["start"] > a["start"] and b["tightness"] > a["tightness"]:
                    rows.append(
                        {
                            "icb_code": icb,
                            "earlier": a["arrangement"],
                            "earlier_mechanism": a["mechanism"],
                            "earlier_form": a["form"],
                            "earlier_start": a["start"],
                            "later": b["arrangement"],
                            "later_mechanism": b["mechanism"],
                            "later_form": b["form"],
                            "later_start": b["start"],
                            "later_status": b["status"],
                            "same_partners": _continues(a, b),
                        }
                    )
    cols = [
        "icb_code",
        "earlier",
        "earlier_mechanism",
        "earlier_form",
        "earlier_start",
        "later",
        "later_mechanism",
        "later_form",
        "later_start",
        "later_status",
        "same_partners",
    ]
    return pd.DataFrame(rows, columns=cols)


def _continues(a: pd.Series, b: pd.Series) -> bool:
    """Whether arrangement ``b`` is the same partners' arrangement ``a`` made tighter.

    Read from the curated data: ``a`` was superseded on the day ``b`` started."""
    end = pd.to_datetime(a.get("end"))
    return bool(a["status"] == "superseded" and pd.notna(end) and end == b["start"])


# ---------------------------------------------------------------------------------------------
# structural consolidation: trust counts and dissolutions
# ---------------------------------------------------------------------------------------------


def trusts_on_1_april(trusts: pd.DataFrame, years: Iterable[int] = range(2012, 2027)) -> pd.DataFrame:
    """Trusts open on 1 April of each year, by type and in total.

    Columns ``year``, ``date``, ``trust_type``, ``trusts`` with one row per type and one with
    ``trust_type == "all"``. The trusts dataset covers trusts open on or after 1 April 2012, so
    earlier years are refused."""
    years = list(years)
    if min(years) < 2012:
        raise ValueError("the trusts dataset only covers trusts open on or after 1 April 2012")
    by = counting.count_trusts_by_year(trusts, years, by="trust_type")
    total = counting.count_trusts_by_year(trusts, years).assign(trust_type="all")
    out = pd.concat([by, total], ignore_index=True)
    return out[["year", "date", "trust_type", "trusts"]]


def trust_count_change(trusts: pd.DataFrame, first: int = 2012, last: int = 2026) -> dict:
    """Trusts open on 1 April of ``first`` and ``last`` and the change between them."""
    c = counting.count_trusts_by_year(trusts, [first, last]).set_index("year")["trusts"]
    a, b = int(c[first]), int(c[last])
    return {"first": a, "last": b, "change": b - a, "pct": (b - a) / a}


def closed_without_successor(trusts: pd.DataFrame, changes: pd.DataFrame, start, end) -> pd.DataFrame:
    """Trusts that closed between ``start`` and ``end`` (inclusive) and appear in no change of
    ``trust_changes`` as the trust dissolved: closed without a successor (NHS Direct in 2014), or
    with one the files do not give. Columns ``org_code, org_name, closed``, by close date."""
    closed = pd.to_datetime(trusts["closed"])
    out = trusts[(closed >= pd.Timestamp(start)) & (closed <= pd.Timestamp(end))]
    out = out[~out["org_code"].isin(changes["old_code"])]
    return out.assign(closed=pd.to_datetime(out["closed"])).sort_values("closed")[["org_code", "org_name", "closed"]]


def trusts_outside_ods_file(trusts: pd.DataFrame, date) -> pd.DataFrame:
    """Trusts open on ``date`` that the ODS trust files omit and the trusts dataset adds from other
    official files (their ``record_note`` begins "Not in the ODS trust files"), such as Great Western
    Ambulance Service, known from the workforce statistics and the ODS successor file."""
    open_then = counting.trusts_open_on(trusts, pd.Timestamp(date))
    note = open_then["record_note"].fillna("")
    return open_then[note.str.startswith("Not in the ODS trust files")][["org_code", "org_name"]]


def changes_up_to(changes: pd.DataFrame, as_of) -> pd.DataFrame:
    """Changes that had taken effect by ``as_of`` (later ones in the file are planned)."""
    return changes[pd.to_datetime(changes["date"]) <= pd.Timestamp(as_of)]


def dissolutions_by_year(
    changes: pd.DataFrame, years: Iterable[int] = range(2000, 2027), by: str | None = "trust_type"
) -> pd.DataFrame:
    """Trust codes dissolved into another trust per calendar year (each code counted once,
    as in :func:`nhsreport.analysis.counting.count_changes_by_year`), optionally split by a column
    of ``trust_changes`` (``trust_type``: the successor's type; ``change_type``). Zeros included."""
    years = list(years)
    df = changes.drop_duplicates("old_code")
    if by is None:
        s = df.groupby("year")["old_code"].count()
        return pd.DataFrame({"year": years, "dissolved": [int(s.get(y, 0)) for y in years]})
    values = TRUST_TYPES if by == "trust_type" else sorted(df[by].dropna().unique())
    counts = df.groupby(["year", by])["old_code"].count()
    rows = [{"year": y, by: v, "dissolved": int(counts.get((y, v), 0))} for y in years for v in values]
    return pd.DataFrame(rows)


def dissolutions_between(changes: pd.DataFrame, start, end) -> dict:
    """Dissolved trust codes and distinct combination events (successor and date) between two
    dates inclusive, with how many were mergers into a new code and acquisitions."""
    d = pd.to_datetime(changes["date"])
    df = changes[(d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))].drop_duplicates("old_code")
    events = df[df["change_type"] != "split"].drop_duplicates(["new_code", "date"])
    return {
        "codes": int(len(df)),
        "events": int(len(events) + df.loc[df["change_type"] == "split", "old_code"].nunique()),
        "merger_codes": int((df["change_type"] == "merger").sum()),
        "acquisition_codes": int((df["change_type"] == "acquisition").sum()),
        "split_codes": int((df["change_type"] == "split").sum()),
        "inferred_codes": int((df["basis"] == "inferred").sum()),
    }


#: Published counts of the trust population (not of groups, collaborations or events) that a
#: count from the ODS trust file can be set against, with the trust types each one covers.
TRUST_POPULATION_MEASURES = {
    "NHS provider trusts": None,
    "extant NHS trusts": None,
    "NHS trusts and foundation trusts": None,
    "acute NHS trusts and foundation trusts": ["acute"],
    "acute NHS trusts": ["acute"],
}


def trust_count_crosscheck(published: pd.DataFrame, trusts: pd.DataFrame) -> pd.DataFrame:
    """Published counts of trusts beside the count of the ODS trust file on the same date.

    The computed count is left empty for dates before 1 April 2012 (outside the trusts
    dataset). For acute-only measures the computed count uses the trust's latest type."""
    pub = published[published["measure"].isin(TRUST_POPULATION_MEASURES)].copy()
    rows = []
    for _, r in pub.iterrows():
        date = pd.Timestamp(r["date"])
        types = TRUST_POPULATION_MEASURES[r["measure"]]
        computed = None
        if date >= pd.Timestamp(2012, 4, 1):
            computed = int(len(counting.trusts_open_on(trusts, date, trust_type=types)))
        rows.append(
            {
                "measure": r["measure"],
                "date": date,
                "date_precision": r["date_precision"],
                "published": float(r["value"]),
                "value_type": r["value_type"],
                "computed": computed,
                "difference": (float(r["value"]) - computed) if computed is not None else None,
                "source_key": r["source_key"],
                "source_title": r["source_title"],
                "source_url": r["source_url"],
                "notes": r["notes"],
            }
        )
    out = pd.DataFrame(rows).sort_values(["date", "measure"]).reset_index(drop=True)
    out["computed"] = out["computed"].astype("Int64")
    return out


# ---------------------------------------------------------------------------------------------
# new care models
# ---------------------------------------------------------------------------------------------

VANGUARD_TYPES = ["PACS", "MCP", "EHCH", "UEC", "ACC"]


def vanguard_counts(vanguards: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The vanguards by type and wave (``type_wave``) and by region and type (``region_type``)."""
    tw = vanguards.groupby(["type", "wave", "announced"]).size().rename("vanguards").reset_index()
    tw["type"] = pd.Categorical(tw["type"], VANGUARD_TYPES, ordered=True)
    tw = tw.sort_values("type").reset_index(drop=True)
    tw["type"] = tw["type"].astype(str)
    rt = vanguards.groupby(["region", "type"]).size().rename("vanguards").reset_index()
    return {"type_wave": tw, "region_type": rt}


def effect_kind(row: pd.Series) -> str:
    """What a published percentage measures: ``growth in the group`` (a rise within the group
    studied, to be read against a comparison group's rise), ``difference from comparison`` (an
    effect against a control or comparison), ``change before and after`` (no comparison group)
    or ``forecast``."""
    outcome = str(row["outcome"]).lower()
    design = str(row["design"]).lower()
    if "forecast" in outcome or "forecast" in design:
        return "forecast"
    if outcome.startswith(("growth", "rise")):
        return "growth in the group"
    if "before-after" in design and pd.isna(row.get("comparison")):
        return "change before and after"
    return "difference from comparison"


def evaluation_effects(evaluations: pd.DataFrame) -> pd.DataFrame:
    """The evaluation results published as a single percentage, with what kind of number each
    is (:func:`effect_kind`), whether an interval was published, and a label for charts."""
    df = evaluations[evaluations["effect_pct"].notna()].copy()
    df["kind"] = df.apply(effect_kind, axis=1)
    df["has_interval"] = df["ci_low_pct"].notna() & df["ci_high_pct"].notna()
    study = df["study"].str.split(":").str[0].str.strip()
    study = study.map(lambda x: next((v for k, v in SHORT_STUDIES.items() if x.startswith(k)), x))
    what = df["subject"].where(df["kind"] == "growth in the group", df["outcome"])
    for a, b in LABEL_SHORTENINGS:
        what = what.str.replace(a, b, regex=False)
    df["label"] = study + ": " + what
    return df.reset_index(drop=True)


#: Shortenings applied to outcome and subject text in chart labels (tooltips keep the full text).
LABEL_SHORTENINGS = [
    ("potentially avoidable emergency admissions", "avoidable admissions"),
    ("emergency admissions", "admissions"),
    (" programme only", " only"),
    (" (of 206 CCGs)", ""),
    ("Wakefield CCG local figures", "local figures"),
    ("Wolverhampton integrated practices", "trust-run practices"),
    ("local authority areas", "areas"),
    (", 2016-17 to 2020-21", ""),
    (" programmes", ""),
]


#: Short names of studies for chart labels.
SHORT_STUDIES = {
    "BMC Health Services Research": "BMC HSR 2021",
    "BMJ Open 2019": "BMJ Open 2019",
    "Improvement Analytics Unit": "IAU",
    "Morciano": "Morciano et al. 2020",
    "NHS Long Term Plan": "Long Term Plan",
    "HSJ analysis of vanguard activity plans": "HSJ, vanguard plans",
    "Royal Wolverhampton": "Royal Wolverhampton",
    "Wakefield CCG": "Wakefield CCG",
}


def pounds(text: str) -> str:
    """Published text with 'GBP 329m' written as '£329m'."""
    import re

    return re.sub(r"GBP\s?(?=\d)", "£", str(text))


# ---------------------------------------------------------------------------------------------
# beds around major mergers
# ---------------------------------------------------------------------------------------------


def _quarterly(beds: pd.DataFrame) -> pd.DataFrame:
    q = beds[beds["period_type"] == "quarter"].copy()
    q["period_end"] = pd.to_datetime(q["period_end"])
    q["quarter"] = q["period_end"].dt.to_period("Q")
    return q


def merger_groups(changes: pd.DataFrame, since=2012) -> pd.DataFrame:
    """Each combination of trusts since ``since``: one row per (successor, date) with the codes
    involved (the dissolved codes plus the successor's code) and the successor's name."""
    df = changes[(changes["year"] >= since) & (changes["change_type"] != "split")]
    rows = []
    for (new, date), g in df.groupby(["new_code", "date"]):
        rows.append(
            {
                "successor_code": new,
                "successor_name": g["new_name"].iloc[0],
                "date": pd.Timestamp(date),
                "codes": sorted(set(g["old_code"]) | {new}),
                "dissolved": sorted(g["old_code"]),
                "change_type": "/".join(sorted(g["change_type"].unique())),
            }
        )
    return pd.DataFrame(rows)


#: Thresholds for a "major" merger (see :func:`major_mergers`).
MAJOR_MIN_PARTNER_BEDS = 400
MAJOR_MIN_COMBINED_BEDS = 1500


def major_mergers(
    beds: pd.DataFrame,
    changes: pd.DataFrame,
    *,
    since: int = 2012,
    min_partner_beds: float = MAJOR_MIN_PARTNER_BEDS,
    min_combined_beds: float = MAJOR_MIN_COMBINED_BEDS,
    after_quarters: int = 8,
) -> pd.DataFrame:
    """Combinations of trusts since ``since`` between partners of comparable size.

    A combination is major when, averaged over the four quarters before it, every partner
    reported at least ``min_partner_beds`` available beds and together they had at least
    ``min_combined_beds``, and KH03 covers at least ``after_quarters`` quarters after it."""
    q = _quarterly(beds)
    last = q["quarter"].max()
    out = []
    for _, m in merger_groups(changes, since).iterrows():
        dq = pd.Period(m["date"], "Q")
        pre = q[(q["quarter"] >= dq - 4) & (q["quarter"] < dq) & q["org_code"].isin(m["codes"])]
        size = pre.groupby("org_code")["beds_available_total"].mean()
        if len(size) < 2 or size.min() < min_partner_beds or size.sum() < min_combined_beds:
            continue
        if dq + after_quarters - 1 > last:
            continue
        out.append(
            {
                **m.to_dict(),
                "beds_before": float(size.sum()),
                "smallest_partner_beds": float(size.min()),
                "partners": int(len(size)),
            }
        )
    return pd.DataFrame(out).sort_values("date").reset_index(drop=True)


def merger_bed_panels(beds: pd.DataFrame, mergers: pd.DataFrame, window: int = 8) -> pd.DataFrame:
    """Quarterly available beds of each merger's trusts, aligned on the merger.

    ``q`` is the number of quarters from the first quarter under the successor (q = 0); before
    the merger the predecessors' beds are summed, after it the successor's (the sum over the
    same codes, since the dissolved codes stop reporting). ``index`` sets the mean of the four
    quarters before the merger to 100; ``england_index`` does the same for all trusts in England,
    as a comparison for changes that had nothing to do with the merger (COVID-19 in 2020). Each
    merger is identified by ``successor_code`` and ``merger_date``, with ``successor_name`` as
    published (its display label is made in :mod:`nhsreport.publish.chapters.integration`)."""
    q = _quarterly(beds)
    england = q.groupby("quarter")["beds_available_total"].sum()
    rows = []
    for _, m in mergers.iterrows():
        dq = pd.Period(m["date"], "Q")
        g = q[q["org_code"].isin(m["codes"])].groupby("quarter")["beds_available_total"].sum()
        base = g[(g.index >= dq - 4) & (g.index < dq)].mean()
        ebase = england[(england.index >= dq - 4) & (england.index < dq)].mean()
        # start the window at the first quarter in which every trust of the year before reported
        # (a predecessor missing from the first quarters of KH03 would look like a rise in beds)
        pre = q[(q["quarter"] >= dq - 4) & (q["quarter"] < dq) & q["org_code"].isin(m["codes"])]
        needed = set(pre["org_code"])
        reporting = q[q["org_code"].isin(m["codes"])].groupby("quarter")["org_code"].agg(set)
        first = next((k for k in range(-window, 0) if needed <= reporting.get(dq + k, set())), 0)
        for k in range(max(-window, first), window + 1):
            pq = dq + k
            if pq not in g.index:
                continue
            rows.append(
                {
                    "successor_code": m["successor_code"],
                    "successor_name": m["successor_name"],
                    "merger_date": m["date"],
                    "q": k,
                    "quarter_end": pq.end_time.normalize(),
                    "beds": float(g[pq]),
                    "index": float(100 * g[pq] / base),
                    "england_index": float(100 * england[pq] / ebase) if pq in england.index else None,
                    "period": "before" if k < 0 else "after",
                }
            )
    return pd.DataFrame(rows)


def merger_bed_summary(
    panels: pd.DataFrame, before: tuple[int, int] = (-4, -1), after: tuple[int, int] = (4, 7)
) -> pd.DataFrame:
    """Per merger: mean beds in the quarters ``before`` (default the year before, q = -4..-1)
    and ``after`` (default the second year after, q = 4..7), the percentage change, England's
    change between the same quarters, and the difference between the two in percentage points."""
    rows = []
    for _, g in panels.groupby(["successor_code", "merger_date"], sort=False):
        b_rows = g[g["q"].between(*before)]
        a_rows = g[g["q"].between(*after)]
        if len(b_rows) < before[1] - before[0] + 1 or len(a_rows) < after[1] - after[0] + 1:
            continue
        b, a = b_rows["beds"].mean(), a_rows["beds"].mean()
        eng = a_rows["england_index"].mean() / b_rows["england_index"].mean() - 1
        rows.append(
            {
                "successor_code": g["successor_code"].iloc[0],
                "successor_name": g["successor_name"].iloc[0],
                "merger_date": g["merger_date"].iloc[0],
                "beds_before": float(b),
                "beds_after": float(a),
                "change_pct": float(a / b - 1),
                "england_change_pct": float(eng),
                "relative_pp": float(100 * ((a / b - 1) - eng)),
            }
        )
    return pd.DataFrame(rows)


def bed_shift(beds: pd.DataFrame, codes: Iterable[str], quarter_end) -> pd.DataFrame:
    """Change in each code's available beds from the quarter before ``quarter_end`` to that
    quarter (used to show a hospital moving between trusts outside any merger)."""
    q = _quarterly(beds)
    pq = pd.Period(pd.Timestamp(quarter_end), "Q")
    sub = q[q["org_code"].isin(list(codes)) & q["quarter"].isin([pq - 1, pq])]
    pv = sub.pivot_table(index="org_code", columns="quarter", values="beds_available_total")
    return pd.DataFrame(
        {
            "org_code": pv.index,
            "before": pv[pq - 1].to_numpy(),
            "after": pv[pq].to_numpy(),
            "change": (pv[pq] - pv[pq - 1]).to_numpy(),
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# labels and dates for charts
# ---------------------------------------------------------------------------------------------

#: Short labels for the named arrangements in charts (full names are in the tables).
SHORT_NAMES = {
    "Barts Health NHS Trust": "Barts Health merger",
    "Barts Health and BHRUT group": "Barts Health–BHRUT group",
    "Bury Locality Care Alliance": "Bury locality care alliance",
    "Connecting Care, Wakefield": "Connecting Care, Wakefield",
    "Dudley Integrated Health and Care NHS Trust": "Dudley Integrated Health and Care trust",
    "Greater Manchester health and social care devolution": "Greater Manchester devolution",
    "Integrated Care Provider contract": "ICP contract (national)",
    "Lambeth Integrated Personalised Support Alliance": "Lambeth mental health alliance",
    "Lambeth Living Well Network Alliance": "Lambeth Living Well alliance",
    "Manchester Local Care Organisation": "Manchester local care organisation",
    "Manchester University NHS Foundation Trust": "Manchester University FT merger",
    "NHS template Alliance Agreement for virtual MCP and PACS models": "Template alliance agreement (national)",
    "NHS-led specialised mental health provider collaboratives": "Specialised mental health collaboratives",
    "Northern Care Alliance NHS Foundation Trust": "Northern Care Alliance FT merger",
    "Northern Care Alliance NHS Group": "Northern Care Alliance group",
    "Provider collaboratives for all acute and mental health trusts": "Collaboratives for all acute and MH trusts",
    "Royal Wolverhampton vertical integration with general practice": "Royal Wolverhampton and GP practices",
    "Torbay and South Devon NHS Foundation Trust (integrated care organisation)": "Torbay and South Devon ICO",
    "UnitingCare Partnership (Cambridgeshire and Peterborough)": "UnitingCare, Cambs and Peterborough",
    "Wirral integrated health and social care contract": "Wirral health and social care contract",
}


def short_name(arrangement: str) -> str:
    """Chart label of a named arrangement (the name itself when no short form is set)."""
    return SHORT_NAMES.get(arrangement, arrangement if len(arrangement) <= 45 else arrangement[:44] + "…")


#: The key events (:data:`nhsreport.analysis.reorganisation.KEY_EVENTS`, by id) marked on the chart
#: of trust numbers, with the chart's shorter label for each.
TRUST_CHART_EVENTS = {
    "ccgs_2013": "2012 Act takes effect",
    "fyfv": "Five Year Forward View",
    "stp_footprints": "STP footprints",
    "ltp": "Long Term Plan",
    "icbs_2022": "ICBs established",
    "nhse_abolition": "NHS England abolition announced",
}


def policy_events(timeline: pd.DataFrame, events: dict | None = None) -> pd.DataFrame:
    """The timeline rows of the key events ``events`` (key-event id -> chart label; by default
    :data:`TRUST_CHART_EVENTS`), in date order, with columns ``date``, ``label``, ``event``,
    ``source_key`` and ``source_url``."""
    events = events or TRUST_CHART_EVENTS
    ev = key_events(timeline).set_index("id")
    missing = [k for k in events if k not in ev.index]
    if missing:
        raise KeyError(f"no key events {missing}; known: {', '.join(ev.index)}")
    rows = [
        {
            "date": ev.at[k, "date"],
            "label": label,
            "event": ev.at[k, "event"],
            "source_key": ev.at[k, "source_key"],
            "source_url": ev.at[k, "source_url"],
        }
        for k, label in events.items()
    ]
    return pd.DataFrame(rows).sort_values("date", kind="mergesort").reset_index(drop=True)


def as_of(name: str) -> str:
    """The as-of date of a processed dataset (``x_as_of`` in the data package)."""
    from nhsreport import data

    cat = data.catalog()
    return str(cat.loc[cat["name"] == name, "as_of"].iloc[0])


def as_of_label(name: str) -> str:
    """The as-of date of a dataset in words: '25 September 2015', 'June 2026'."""
    s = as_of(name)
    if len(s) == 10:
        return uk_date(s)
    if len(s) == 7:
        return month_year(s + "-01")
    return s


def as_of_end(name: str) -> pd.Timestamp:
    """The last day covered by a dataset's as-of date (the month's end for 'YYYY-MM')."""
    s = as_of(name)
    t = pd.Timestamp(s if len(s) == 10 else s + "-01")
    return t if len(s) == 10 else t + pd.offsets.MonthEnd(0)


def programme_cost(evaluations: pd.DataFrame, source_key: str = "morciano2020vanguards") -> str:
    """The vanguard programme's cost as the independent evaluation published it (from the
    curated row's notes, e.g. 'GBP 389m' -> '£389m')."""
    import re

    notes = " ".join(evaluations.loc[evaluations["source_key"] == source_key, "notes"].dropna())
    m = re.search(r"GBP\s?([\d.,]+\s?(?:m|bn))", notes)
    if not m:
        raise ValueError(f"no GBP amount in the notes of {source_key}")
    return "£" + m.group(1).replace(" ", "")


# ---------------------------------------------------------------------------------------------
# small look-ups the chapter's numbers share
# ---------------------------------------------------------------------------------------------


def months_between(start, end) -> int:
    """Whole calendar months from ``start`` to ``end`` (``2014-04-01`` to ``2015-12-03``: 20)."""
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    return (b.year - a.year) * 12 + (b.month - a.month)


def one_effect(effects: pd.DataFrame, study_prefix: str, outcome_part: str) -> pd.Series:
    """The one row of :func:`evaluation_effects` whose study starts with ``study_prefix`` and whose
    outcome contains ``outcome_part``; a ``LookupError`` if there is not exactly one."""
    rows = effects[
        effects["study"].str.startswith(study_prefix) & effects["outcome"].str.contains(outcome_part, regex=False)
    ]
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} results for {study_prefix!r}, {outcome_part!r} (expected one)")
    return rows.iloc[0]


def largest_annual_fall(by_year: pd.DataFrame) -> tuple[int, int]:
    """The largest fall in all trusts open on 1 April from one year to the next
    (:func:`trusts_on_1_april`), and the year it was reached."""
    total = by_year[by_year["trust_type"] == "all"].set_index("year")["trusts"]
    fall = (total.shift(1) - total).dropna()
    return int(fall.max()), int(fall.idxmax())


def arrangements_in_board(arrangements: pd.DataFrame, icbs: pd.DataFrame, board_code: str) -> list[str]:
    """The named arrangements in the area of the 2026 board ``board_code``: those whose 2022
    system (``icb_code``) became that board, or most of it went into it (``icbs.icb_2026_code``).
    National arrangements (no ``icb_code``) are in no board."""
    to_2026 = icbs.drop_duplicates("icb_code").set_index("icb_code")["icb_2026_code"]
    board_of = arrangements["icb_code"].map(to_2026)
    return arrangements.loc[board_of == board_code, "arrangement"].tolist()
