"""Analysis helpers for the organisation datasets (``trusts``, ``trust_changes``, ``trust_beds``).

Chapters import these rather than re-implementing date logic, so that every count of trusts in
the report uses the one definition of "open on a date", :func:`nhsreport.dates.is_open_on`.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from nhsreport.dates import day, is_open_on, to_dates


def trusts_open_on(trusts: pd.DataFrame, date, *, trust_type: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The rows of ``trusts`` open on ``date`` (optionally of one or several ``trust_type``)."""
    mask = is_open_on(trusts["opened"], trusts["closed"], date)
    if trust_type is not None:
        types = [trust_type] if isinstance(trust_type, str) else list(trust_type)
        mask &= trusts["trust_type"].isin(types)
    return trusts[mask.to_numpy()].copy()


def count_trusts_by_year(trusts: pd.DataFrame, years: Iterable[int], month: int = 4, day: int = 1,
                         by: str | None = None) -> pd.DataFrame:
    """Number of trusts open on ``day``/``month`` of each year.

    Returns columns ``date``, ``year``, ``trusts``; with ``by`` (e.g. ``"trust_type"`` or
    ``"region_code"``) one row per year and value of that column, zeros included."""
    rows = []
    for y in years:
        d = pd.Timestamp(int(y), month, day)
        open_ = trusts_open_on(trusts, d)
        if by is None:
            rows.append({"date": d, "year": int(y), "trusts": len(open_)})
        else:
            counts = open_[by].value_counts()
            for v in sorted(trusts[by].dropna().unique()):
                rows.append({"date": d, "year": int(y), by: v, "trusts": int(counts.get(v, 0))})
    out = pd.DataFrame(rows)
    out["trusts"] = out["trusts"].astype("int64")
    return out


def closures_by_financial_year(trusts: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Trust codes closed and opened in the financial year ending 31 March of each year."""
    c, o = to_dates(trusts["closed"]), to_dates(trusts["opened"])
    rows = []
    for y in years:
        start, end = pd.Timestamp(int(y) - 1, 4, 1), pd.Timestamp(int(y), 3, 31)
        rows.append({"fy_end": int(y), "closed": int(((c >= start) & (c <= end)).sum()),
                     "opened": int(((o >= start) & (o <= end)).sum())})
    return pd.DataFrame(rows)


def count_changes_by_year(changes: pd.DataFrame, *, include_splits: bool = True,
                          types: Iterable[str] | None = None) -> pd.Series:
    """Trust codes dissolved into another trust per calendar year of the change.

    ``trust_changes`` has one row per (dissolved code, successor) pair, so a code split between
    two successors has two rows; it is counted once here."""
    df = changes
    if not include_splits:
        df = df[df["change_type"] != "split"]
    if types is not None:
        df = df[df["change_type"].isin(list(types))]
    return df.drop_duplicates("old_code").groupby("year")["old_code"].count().rename("dissolved_codes")


def successor_map(changes: pd.DataFrame) -> dict[str, str]:
    """Old code -> immediate successor code, for codes with a single successor (splits left out)."""
    single = changes[~changes["old_code"].duplicated(keep=False)]
    return dict(zip(single["old_code"], single["new_code"]))


def final_successor(code: str, changes: pd.DataFrame, *, as_of=None) -> str:
    """Follow single-successor changes from ``code`` to the code that carries it on
    (optionally only through changes dated on or before ``as_of``). Codes that were split or
    that have no successor map to themselves at the point the chain stops."""
    df = changes
    if as_of is not None:
        df = df[to_dates(df["date"]) <= day(as_of)]
    nxt = successor_map(df)
    seen = {code}
    while code in nxt:
        code = nxt[code]
        if code in seen:  # defensive: a cycle would be a data error upstream
            break
        seen.add(code)
    return code


def harmonise_codes(codes: pd.Series, changes: pd.DataFrame, *, as_of=None) -> pd.Series:
    """Map each trust code to its final successor (see :func:`final_successor`), e.g. to build a
    panel of trusts on today's boundaries."""
    cache: dict[str, str] = {}
    def f(c):
        if pd.isna(c):
            return c
        if c not in cache:
            cache[c] = final_successor(c, changes, as_of=as_of)
        return cache[c]
    return codes.map(f)


def beds_around_change(beds: pd.DataFrame, changes: pd.DataFrame, old_code: str, *,
                       quarters: int = 4) -> pd.DataFrame:
    """Available beds of a dissolved trust and its successor(s) in the quarters around the change:
    columns ``period_end``, ``org_code``, ``beds_available_total``."""
    rows = changes[changes["old_code"] == old_code]
    if rows.empty:
        raise KeyError(f"{old_code!r} is not a dissolved code in trust_changes")
    date = day(rows["date"].iloc[0])
    codes = [old_code] + rows["new_code"].tolist()
    q = beds[beds["period_type"] == "quarter"] if "period_type" in beds.columns else beds
    pe = to_dates(q["period_end"])
    window = (pe >= date - pd.DateOffset(months=3 * quarters)) & (pe <= date + pd.DateOffset(months=3 * quarters))
    out = q[window.to_numpy() & q["org_code"].isin(codes).to_numpy()]
    return out[["period_end", "org_code", "beds_available_total"]].sort_values(["period_end", "org_code"]).reset_index(drop=True)
