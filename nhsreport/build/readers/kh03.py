"""Readers of NHS England's bed availability returns (KH03): annual 2000/01-2009/10 and
quarterly June 2010 - September 2024, one row per organisation and period, beds as numbers and
``year`` as published."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nhsreport.build.rawio import read_csv, require_values, to_number
from nhsreport.errors import DataError
from nhsreport.schema import first_bad

_KH03_COLS = [
    "org_code",
    "org_name",
    "total_on_beds_available",
    "general_acute_on_beds_available",
    "total_on_beds_occupied",
]
_MONTHS = {"March": 3, "June": 6, "September": 9, "December": 12}


def _kh03_numbers(df: pd.DataFrame, path, extra=()) -> pd.DataFrame:
    out = {}
    for c in ["total_on_beds_available", "general_acute_on_beds_available", "total_on_beds_occupied", *extra]:
        out[c] = to_number(df[c], path, c)
    return pd.DataFrame(out, index=df.index)


def read_kh03_annual(path: Path) -> pd.DataFrame:
    """KH03 2000-2010: ``year`` is the first calendar year of the financial year (2000 = 2000/01,
    checked against trust mergers on 1 April), so period_end = 31 March of year + 1."""
    extra = ("mental_illness_on_beds_available", "learn_disabil_on_beds_available", "maternity_on_beds_available")
    df = read_csv(path, columns=["year", *_KH03_COLS, *extra], na_values=["", "NA"])
    df = df[df["org_code"].notna()].reset_index(drop=True)  # England totals have no code
    require_values(df, ["year", "org_name", "total_on_beds_available"], path)
    year = to_number(df["year"], path, "year", integer=True)
    out = pd.concat([df[["org_code", "org_name"]], _kh03_numbers(df, path, extra)], axis=1)
    out.insert(0, "period_end", pd.to_datetime((year + 1).astype(str) + "-03-31"))
    out.insert(1, "period_type", "annual")
    out["year"] = year.to_numpy()
    return out


def read_kh03_quarterly(path: Path) -> pd.DataFrame:
    """KH03 June 2010 - Sept 2024: ``year`` is the calendar year of the quarter's last month."""
    extra = ("mental_illness_on_beds_available", "learn_disabil_on_beds_available", "maternity_on_beds_available")
    df = read_csv(path, columns=["year", "period_end", *_KH03_COLS, *extra], na_values=["", "NA"])
    df = df[df["org_code"].notna()].reset_index(drop=True)
    require_values(df, ["year", "period_end", "org_name", "total_on_beds_available"], path)
    year = to_number(df["year"], path, "year", integer=True)
    month = df["period_end"].map(_MONTHS)
    if month.isna().any():
        pos = first_bad(month.isna())
        raise DataError(
            path, f"line {pos + 2}, column 'period_end'", f"one of {list(_MONTHS)}", repr(df["period_end"].iloc[pos])
        )
    pe = pd.to_datetime(
        pd.DataFrame({"year": year.astype(int), "month": month.astype(int), "day": 1})
    ) + pd.offsets.MonthEnd(0)
    out = pd.concat([df[["org_code", "org_name"]], _kh03_numbers(df, path, extra)], axis=1)
    out.insert(0, "period_end", pe)
    out.insert(1, "period_type", "quarter")
    out["year"] = year.to_numpy()
    return out
