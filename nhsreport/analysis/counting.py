"""Analysis helpers for the organisation datasets (``trusts``, ``trust_changes``, ``trust_beds``).

Chapters import these rather than re-implementing date logic, so that every count of trusts in
the report uses the one definition of "open on a date", :func:`nhsreport.dates.is_open_on`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from nhsreport.dates import day, is_open_on, to_dates
from nhsreport.schema import CARE_TRUST_CODE


def trusts_open_on(trusts: pd.DataFrame, date, *, trust_type: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The rows of ``trusts`` open on ``date`` (optionally of one or several ``trust_type``)."""
    mask = is_open_on(trusts["opened"], trusts["closed"], date)
    if trust_type is not None:
        types = [trust_type] if isinstance(trust_type, str) else list(trust_type)
        mask &= trusts["trust_type"].isin(types)
    return trusts[mask.to_numpy()].copy()


def last_count_year(trusts: pd.DataFrame, month: int = 4, day: int = 1) -> int:
    """The latest year whose ``day``/``month`` (1 April) is on or before the last date the
    ``trusts`` table records (an opening or a closure): the last year the table can count."""
    latest = max(to_dates(trusts["opened"]).max(), to_dates(trusts["closed"]).max())
    return int(latest.year if (latest.month, latest.day) >= (month, day) else latest.year - 1)


def care_trusts_reporting(managers: pd.DataFrame) -> tuple[int, list[str]]:
    """Care trusts (codes :data:`nhsreport.schema.CARE_TRUST_CODE`) reporting staff in the last
    year of ``managers`` (the ``managers_by_org`` table): ``(year, sorted codes)``. The trusts
    file does not list care trusts, so counts of trusts leave them out."""
    year = int(managers["year"].max())
    codes = managers.loc[(managers["year"] == year) & managers["org_code"].str.fullmatch(CARE_TRUST_CODE), "org_code"]
    return year, sorted(codes.unique())


def count_trusts_by_year(
    trusts: pd.DataFrame, years: Iterable[int], month: int = 4, day: int = 1, by: str | None = None
) -> pd.DataFrame:
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


def count_changes_by_year(
    changes: pd.DataFrame, *, include_splits: bool = True, types: Iterable[str] | None = None
) -> pd.Series:
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
