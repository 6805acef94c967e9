"""What trust mergers did: an event study of the mergers and acquisitions of 2010-2018 that the
data can see, against a comparison group of trusts of the same type that did not merge.

Method (one for every outcome)
------------------------------
* **Events.** Each successor code and date in ``trust_changes`` (mergers and acquisitions, not
  splits) from April 2010 to March 2019. The *merger year* ``t0`` is the financial year in which
  it took effect (a merger on 1 February 2015 falls in 2014/15, ``t0 = 2014``); ``k`` counts years
  from it. ``k = -1`` is the last full year before, the baseline.
* **The merged trust** in every year is the sum over all the codes involved (the dissolved trusts
  and the successor): before the merger that is the partners added together, after it the
  successor, since the dissolved codes stop reporting. A year before the merger in which any
  partner is missing is left out.
* **Comparison group.** For each event, the trusts of the same type with no merger, acquisition
  or split from ``t0 - 3`` to ``t0 + 3``, observed in the same calendar years. Their median change
  from ``t0 - 1`` (the median, so that a few very small or fast-changing trusts do not dominate)
  is subtracted from the merged trust's change (a difference in differences).
* **Outcomes.** Managers FTE (September, percentage change), managers per £10m of operating cost
  and the net financial position as a percentage of operating cost (changes in points), operating
  cost (percentage change) and available beds (KH03, the mean of the year's quarters, percentage
  change).
* **Intervals.** 95% percentile intervals from a bootstrap that resamples events (and, within
  each, its comparison trusts).

These are estimates for the mergers the data can see, and differences from the comparison group
are associations: trusts do not merge at random.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhsreport.analysis.finance import N_BOOT, SEED, TRUST_TYPES

WINDOW = 3
FIRST_YEAR, LAST_YEAR = 2010, 2018
OUTCOMES = {
    "managers_fte": ("Managers (FTE)", "pct"),
    "managers_per_10m": ("Managers per £10m of operating cost", "diff"),
    "surplus_pct": ("Surplus or deficit, % of operating cost", "diff"),
    "cost_gbp_k": ("Operating cost", "pct"),
    "beds": ("Available beds", "pct"),
}


def financial_year(date) -> int:
    """The year in which the financial year containing ``date`` begins (1 Feb 2015 -> 2014)."""
    d = pd.Timestamp(date)
    return d.year if d.month >= 4 else d.year - 1


def merger_events(trust_changes: pd.DataFrame, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    """One row per merger or acquisition taking effect in financial years ``first``..``last``:
    ``successor_code, successor_name, date, t0, change_type, trust_type, codes`` (all codes
    involved), ``dissolved`` and ``acquirer`` (the successor's code if it existed before, else None)."""
    c = trust_changes[trust_changes["change_type"].isin(["merger", "acquisition"])].copy()
    c["t0"] = c["date"].map(financial_year)
    c = c[c["t0"].between(first, last)]
    rows = []
    for (new, date), g in c.groupby(["new_code", "date"]):
        acq = "acquisition" in set(g["change_type"])
        rows.append(
            {
                "successor_code": new,
                "successor_name": g["new_name"].iloc[0],
                "date": pd.Timestamp(date),
                "t0": int(g["t0"].iloc[0]),
                "change_type": "acquisition" if acq else "merger",
                "trust_type": g["trust_type"].iloc[0],
                "codes": sorted(set(g["old_code"]) | {new}),
                "dissolved": sorted(g["old_code"]),
                "acquirer": new if acq else None,
            }
        )
    return pd.DataFrame(rows).sort_values(["date", "successor_code"]).reset_index(drop=True)


def annual_beds(trust_beds: pd.DataFrame) -> pd.DataFrame:
    """Available beds of each trust in each financial year (the mean over its four quarters), from the
    quarterly KH03 returns."""
    q = trust_beds[trust_beds["period_type"] == "quarter"].copy()
    q["year"] = q["period_end"].map(financial_year)
    # the sum over the year's four quarters / 4: a trust that reported for part of the year counts for that part,
    # so the partners of a mid-year merger add up without counting the merged beds twice
    out = q.groupby(["org_code", "year"], as_index=False)["beds_available_total"].sum()
    out["beds_available_total"] = out["beds_available_total"] / 4
    return out.rename(columns={"beds_available_total": "beds"})


def trust_years(trust_finances: pd.DataFrame, managers_by_org: pd.DataFrame, trust_beds: pd.DataFrame) -> pd.DataFrame:
    """Additive quantities of every trust and financial year: managers, cost, surplus, beds."""
    f = trust_finances[trust_finances["reported"].astype(bool)][
        ["year", "org_code", "org_type", "cost_gbp_k", "surplus_gbp_k"]
    ]
    m = managers_by_org[["year", "org_code", "managers_fte", "org_type"]]
    out = f.merge(m, on=["year", "org_code"], how="outer", suffixes=("", "_m"))
    out["org_type"] = out["org_type"].fillna(out.pop("org_type_m"))
    out = out.merge(annual_beds(trust_beds), on=["org_code", "year"], how="left")
    return out[out["org_type"].isin(TRUST_TYPES)].reset_index(drop=True)


def _ratios(d):
    """``d`` (a table, or a mapping of columns to arrays) with managers per £10m and the surplus as
    a percentage of operating cost."""
    d = d.copy()
    d["managers_per_10m"] = d["managers_fte"] / (d["cost_gbp_k"] / 1e4)
    d["surplus_pct"] = 100 * d["surplus_gbp_k"] / d["cost_gbp_k"]
    return d


def _partners(event: pd.Series) -> list[str]:
    """The trusts that came together: the dissolved ones and, in an acquisition, the acquirer."""
    acq = event["acquirer"]
    return list(event["dissolved"]) + ([acq] if isinstance(acq, str) else [])


ADDITIVE = ("managers_fte", "cost_gbp_k", "surplus_gbp_k", "beds")


def _trust_year_arrays(ty: pd.DataFrame) -> dict:
    """The columns of ``ty`` that :func:`_merged_series` reads, as NumPy arrays: ``org_code``,
    ``code_id`` (a number for each code), ``ids`` (code -> number), ``year`` (as floats, a missing
    year as NaN, which matches no year) and the additive quantities."""
    code_id, uniques = pd.factorize(ty["org_code"])
    out = {
        "org_code": ty["org_code"].to_numpy(dtype=object),
        "code_id": code_id,
        "ids": {code: i for i, code in enumerate(uniques)},
        "year": ty["year"].to_numpy(dtype=float, na_value=np.nan),
    }
    return out | {col: ty[col].to_numpy(dtype=float, na_value=np.nan) for col in ADDITIVE}


def _rows_of(arrays: dict, codes) -> np.ndarray:
    """Whether each row of :func:`_trust_year_arrays` is one of the trusts ``codes``."""
    ids = [arrays["ids"][c] for c in codes if c in arrays["ids"]]
    return np.isin(arrays["code_id"], ids)


def _merged_series(ty, event: pd.Series, years) -> dict[str, dict[int, float]]:
    """The merged trust's additive quantities and their ratios (:func:`_ratios`) by year, as
    ``{column: {year: value}}`` (NaN where a partner is missing before t0).

    ``ty`` is the trust-year table or its :func:`_trust_year_arrays`. Each sum adds the year's rows
    in table order, a missing value counting as zero, as pandas' ``Series.sum`` does."""
    arrays = ty if isinstance(ty, dict) else _trust_year_arrays(ty)
    codes = arrays["org_code"]
    sub = np.flatnonzero(_rows_of(arrays, event["codes"]))
    partners = set(_partners(event))
    sums = {col: np.full(len(years), np.nan) for col in ADDITIVE}
    for j, y in enumerate(years):
        in_year = sub[arrays["year"][sub] == y]
        for col in ADDITIVE:
            values = arrays[col][in_year]
            have = set(codes[in_year][~np.isnan(values)])
            if partners <= have if y < event["t0"] else event["successor_code"] in have:
                sums[col][j] = np.where(np.isnan(values), 0.0, values).sum()
    with np.errstate(divide="ignore", invalid="ignore"):  # as pandas divides: x / 0 is infinite
        sums = _ratios(sums)
    return {col: dict(zip(years, values)) for col, values in sums.items()}


def _change(v, base, kind: str):
    return 100 * (v / base - 1) if kind == "pct" else v - base


def matched_codes(ty_r: pd.DataFrame, codes: list[str], merged: pd.Series, year: int, n: int) -> list[str]:
    """Of the candidate comparison trusts ``codes``, the ``n`` nearest in size (operating cost, on a
    log scale) to the merged trust in ``year`` among those on the same side of break-even (in
    deficit, or not) that year. ``merged`` (a mapping) holds the merged trust's ``cost_gbp_k`` and
    ``surplus_gbp_k`` in that year; no trust is matched when they are missing."""
    if pd.isna(merged.get("cost_gbp_k")) or pd.isna(merged.get("surplus_gbp_k")) or merged["cost_gbp_k"] <= 0:
        return []
    base = ty_r[ty_r["org_code"].isin(codes) & (ty_r["year"] == year) & (ty_r["cost_gbp_k"] > 0)].dropna(
        subset=["cost_gbp_k", "surplus_gbp_k"]
    )
    base = base[(base["surplus_gbp_k"] < 0) == (merged["surplus_gbp_k"] < 0)]
    distance = (np.log(base["cost_gbp_k"]) - np.log(merged["cost_gbp_k"])).abs()
    return base.assign(distance=distance).nsmallest(n, "distance")["org_code"].tolist()


def _comparison_changes(cw: pd.DataFrame, base_year: int, kind: str, years=None) -> dict[int, np.ndarray]:
    """The comparison trusts' changes from ``base_year`` (``kind`` as in :data:`OUTCOMES`): for each
    year (column) of ``cw`` (one row per trust; only those of ``years`` when given), the changes of
    the trusts with a value that year and in ``base_year`` (above zero there, for a percentage
    change), in the order of the rows."""
    values = cw.to_numpy(float)
    base = cw[base_year].to_numpy(float)
    has_base = ~np.isnan(base) & ((base > 0) if kind == "pct" else True)
    out = {}
    for j, year in enumerate(cw.columns):
        if years is not None and year not in years:
            continue
        ok = has_base & ~np.isnan(values[:, j])
        out[year] = _change(values[ok, j], base[ok], kind)
    return out


def event_panels(
    events: pd.DataFrame, ty: pd.DataFrame, window: int = WINDOW, baseline: int = -1, matched: int | None = None
) -> pd.DataFrame:
    """Changes from ``k = baseline`` (by default -1, the last full year before the merger) for every
    event, outcome and ``k`` in -window..window, for the merged trust and its comparison trusts.

    With ``matched`` set, each event's comparison trusts are only the ``matched`` nearest to the
    merged trust in size and on the same side of break-even in the baseline year
    (:func:`matched_codes`), so that merging trusts in deficit are compared with trusts in deficit
    (a guard against regression to the mean).

    Columns: ``successor_code, t0, k, year, outcome, merged, comparison`` (the comparison trusts'
    median), ``n_comparison, did`` and ``_comp`` (the comparison trusts' changes, for the bootstrap)."""
    involved = {}
    for _, e in events.iterrows():
        for c in e["codes"]:
            involved.setdefault(c, []).append(e["t0"])
    rows = []
    ty_r = _ratios(ty)
    arrays = _trust_year_arrays(ty)
    # each outcome of every trust and year, summed once: an event's comparison trusts are rows of it
    by_trust_year = {col: ty_r.groupby(["org_code", "year"])[col].sum(min_count=1).unstack() for col in OUTCOMES}
    of_type = {}  # the trusts of each type, in order of first appearance
    for _, e in events.iterrows():
        t0 = e["t0"]
        base_year = t0 + baseline
        years = list(range(t0 - window, t0 + window + 1))
        merged = _merged_series(arrays, e, years)  # {outcome: {year: value}}
        if e["trust_type"] not in of_type:
            of_type[e["trust_type"]] = ty_r.loc[ty_r["org_type"] == e["trust_type"], "org_code"].unique()
        # comparison: same type, never involved in a change from t0-3 to t0+3 (earlier or later ones are allowed)
        comp_codes = [
            c for c in of_type[e["trust_type"]] if not any(abs(y - t0) <= window for y in involved.get(c, []))
        ]
        if matched is not None:
            at_base = {col: by_year[base_year] for col, by_year in merged.items()}
            comp_codes = matched_codes(ty_r, comp_codes, at_base, base_year, matched)
        if not (_rows_of(arrays, comp_codes) & np.isin(arrays["year"], years)).any():
            continue  # no comparison trust reports in the event's years
        for col, (_, kind) in OUTCOMES.items():
            base = merged[col].get(base_year, np.nan)
            if pd.isna(base) or (kind == "pct" and base <= 0):
                continue
            # min_count=1: a trust with no value in a year stays missing there (a plain sum would make it 0, a -100% change)
            cw = by_trust_year[col]
            cw = cw[cw.index.isin(comp_codes)]
            if base_year not in cw.columns:
                continue
            changes = _comparison_changes(cw, base_year, kind, years)
            for y in years:
                if y == base_year or pd.isna(merged[col][y]) or y not in changes or len(changes[y]) < 3:
                    continue
                cchg = changes[y]
                median = float(np.median(cchg))  # as pandas' Series.median of values with no NaN
                m = float(_change(merged[col][y], base, kind))
                rows.append(
                    {
                        "successor_code": e["successor_code"],
                        "t0": t0,
                        "k": y - t0,
                        "year": y,
                        "outcome": col,
                        "merged": m,
                        "comparison": median,
                        "n_comparison": len(cchg),
                        "did": m - median,
                        "_comp": cchg,
                    }
                )
    return pd.DataFrame(rows)


def resampled_medians(values: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """The medians of ``n_boot`` resamples (with replacement, of the same size) of ``values``:
    exactly ``np.median(values[rng.integers(0, n, (n_boot, n))], axis=1)``, with the same draws
    from ``rng``, but faster.

    The draws are taken as 32-bit integers (the same numbers from the same stream: NumPy draws an
    index below 2**32 from 32 random bits whatever the integer type) and replaced by the ranks of the
    values they point at, which sort faster than the values; the median's order statistics are then
    read back from the sorted values, and averaged as ``np.median`` does."""
    n = len(values)
    draws = rng.integers(0, n, (n_boot, n), dtype=np.int32)
    order = np.argsort(values, kind="stable")
    rank = np.empty(n, dtype=np.int16 if n <= np.iinfo(np.int16).max else np.int32)
    rank[order] = np.arange(n)
    ranks = rank[draws]
    ranks.sort(axis=1)
    ordered = values[order]
    middle = n // 2
    if n % 2:
        return ordered[ranks[:, middle]]
    return (ordered[ranks[:, middle - 1]] + ordered[ranks[:, middle]]) / 2


def event_study(panels: pd.DataFrame, n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Mean difference from the comparison group by outcome and ``k``, over events, with a 95%
    bootstrap interval (events resampled, and each event's comparison trusts within it).

    Columns: ``outcome, label, unit`` ("%" or "points"), ``k, n_events, merged, comparison, did``
    (the mean difference), ``median`` (the median event's difference), ``lo, hi``."""
    rng = np.random.default_rng(seed)
    rows = []
    for (col, k), g in panels.groupby(["outcome", "k"], sort=True):
        merged = g["merged"].to_numpy()
        comps = list(g["_comp"])
        n = len(g)
        # each event's comparison median under resampling of its comparison trusts, one per bootstrap draw
        comp_meds = np.stack([resampled_medians(c, rng, n_boot) for c in comps])
        pick = rng.integers(0, n, (n_boot, n))
        boots = (merged[pick] - comp_meds[pick, np.arange(n_boot)[:, None]]).mean(axis=1)
        lo, hi = np.percentile(boots, [2.5, 97.5]) if n > 1 else (np.nan, np.nan)
        label, kind = OUTCOMES[col]
        rows.append(
            {
                "outcome": col,
                "label": label,
                "unit": "%" if kind == "pct" else "points",
                "k": int(k),
                "n_events": n,
                "merged": float(merged.mean()),
                "comparison": float(g["comparison"].mean()),
                "did": float(g["did"].mean()),
                "median": float(g["did"].median()),
                "lo": float(lo),
                "hi": float(hi),
            }
        )
    return pd.DataFrame(rows)


def pre_merger_deficits(
    events: pd.DataFrame, trust_finances: pd.DataFrame, n_boot: int = N_BOOT, seed: int = SEED
) -> pd.DataFrame:
    """Were the trusts that merged in deficit the year before (``t0 - 1``)? Two groups: all the
    partners (dissolved trusts and acquirers) and the dissolved trusts alone, each against all
    trusts of the same type in the same year.

    One row per group: ``group, n_events, n_trusts, n_deficit, share`` (in deficit),
    ``share_same_type`` (the mean, over the group's trusts, of the deficit share among all trusts
    of the same type that year), ``difference``, ``lo, hi`` (95% interval, events resampled)."""
    f = trust_finances[trust_finances["reported"].astype(bool)].set_index(["org_code", "year"])
    type_share = f.assign(d=f["surplus_gbp_k"] < 0).reset_index().groupby(["org_type", "year"])["d"].mean()
    per_event = []
    for _, e in events.iterrows():
        y = e["t0"] - 1
        partners = _partners(e)
        flags = [(c in e["dissolved"], bool(f.at[(c, y), "surplus_gbp_k"] < 0)) for c in partners if (c, y) in f.index]
        if flags:
            per_event.append((flags, float(type_share.get((e["trust_type"], y), np.nan))))

    def summary(evs, dissolved_only):
        d = [(flag, base) for flags, base in evs for dis, flag in flags if dis or not dissolved_only]
        return (
            (np.mean([x for x, _ in d]), np.mean([b for _, b in d]), len(d), sum(x for x, _ in d))
            if d
            else (np.nan,) * 4
        )

    rng = np.random.default_rng(seed)
    picks = [rng.integers(0, len(per_event), len(per_event)) for _ in range(n_boot)]
    rows = []
    for group, only in (("all partners", False), ("dissolved trusts", True)):
        share, base, n, nd = summary(per_event, only)
        boots = [np.subtract(*summary([per_event[i] for i in p], only)[:2]) for p in picks]
        lo, hi = np.nanpercentile(boots, [2.5, 97.5])
        rows.append(
            {
                "group": group,
                "n_events": len(per_event),
                "n_trusts": int(n),
                "n_deficit": int(nd),
                "share": float(share),
                "share_same_type": float(base),
                "difference": float(share - base),
                "lo": float(lo),
                "hi": float(hi),
            }
        )
    return pd.DataFrame(rows)


def relative_change(merged_pct: float, comparison_pct: float) -> float:
    """The merged trusts' change relative to the comparison's, in per cent: a rise of
    ``merged_pct`` per cent against one of ``comparison_pct`` per cent (-7 against +14 is about
    -18%, where the difference of the two is -21 percentage points)."""
    return 100 * ((1 + merged_pct / 100) / (1 + comparison_pct / 100) - 1)


def event_spread(panels: pd.DataFrame, outcome: str, k: int, n_largest: int = 5) -> dict:
    """How far the mean difference on ``outcome`` at ``k`` rests on single mergers.

    Returns ``n`` (events), ``mean``, ``median``, ``loo_min`` and ``loo_max`` (the smallest and
    largest mean when each event in turn is left out), ``n_largest`` and ``mean_without_largest``
    (the mean without the ``n_largest`` events furthest below zero), and ``largest`` (their
    successor codes and differences, most negative first)."""
    g = panels[(panels["outcome"] == outcome) & (panels["k"] == k)]
    did = g["did"].to_numpy(dtype=float)
    if len(did) < 2:
        raise ValueError(f"{outcome} at k = {k}: {len(did)} events, too few to leave one out")
    loo = (did.sum() - did) / (len(did) - 1)
    order = np.argsort(did)
    return {
        "n": len(did),
        "mean": float(did.mean()),
        "median": float(np.median(did)),
        "loo_min": float(loo.min()),
        "loo_max": float(loo.max()),
        "n_largest": n_largest,
        "mean_without_largest": float(np.delete(did, order[:n_largest]).mean()),
        "largest": [(g["successor_code"].iloc[i], float(did[i])) for i in order[:n_largest]],
    }


def incomplete_partner_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events whose partners the trust files do not all hold: a "merger" into a new trust with one
    dissolved trust and no acquirer. Its other partner was outside the trust files (in 2010-2011,
    typically the provider arm of a primary care trust, as when Worcestershire Mental Health
    Partnership (RWQ) became Worcestershire Health and Care (R1A) in July 2011), so the merged
    trust's earlier years are seen without it."""
    one_partner = events.apply(lambda e: len(_partners(e)) < 2, axis=1)
    return events[one_partner]


def event_study_variants(
    events: pd.DataFrame, ty: pd.DataFrame, n_boot: int = N_BOOT, seed: int = SEED, matched: int = 10
) -> dict[str, pd.DataFrame]:
    """The event study (:func:`event_study`) in its main form and four checks of it, by name:

    * ``main``: every event, baseline the year before the merger (``k = -1``);
    * ``baseline_m2``, ``baseline_m3``: changes measured from two or three years before, so that a
      change already under way in the year before does not set the baseline;
    * ``matched``: comparison trusts matched to each merged trust on baseline deficit and size
      (the ``matched`` nearest, :func:`matched_codes`), against regression to the mean;
    * ``complete``: without the events whose partners the trust files do not all hold
      (:func:`incomplete_partner_events`).

    Each has the columns of :func:`event_study`; ``panels`` adds the main form's per-event rows."""
    incomplete = set(incomplete_partner_events(events)["successor_code"] + events["date"].astype(str))
    complete = events[~(events["successor_code"] + events["date"].astype(str)).isin(incomplete)]
    panels = {
        "main": event_panels(events, ty),
        "baseline_m2": event_panels(events, ty, baseline=-2),
        "baseline_m3": event_panels(events, ty, baseline=-3),
        "matched": event_panels(events, ty, matched=matched),
        "complete": event_panels(complete, ty),
    }
    out = {name: event_study(p, n_boot=n_boot, seed=seed) for name, p in panels.items()}
    out["panels"] = panels["main"]
    return out
