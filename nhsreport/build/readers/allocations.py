"""Reader of NHS England's ICB allocation workbooks (2023/24-2024/25 and 2025/26): one sheet
at a time, the 42 ICB rows with the wanted measures as published."""

from __future__ import annotations

import pandas as pd

from nhsreport.build.rawio import read_excel, require_columns
from nhsreport.errors import DataError
from nhsreport.schema import ICB_CODE, REGIONS, first_bad


def _norm(s) -> str:
    return " ".join(str(s).split())


def read_allocation_sheet(path, sheet: str, wanted: dict[str, str]) -> pd.DataFrame:
    """One allocations table: the 42 ICB rows (ICB23 code Qxx) with region, name and the wanted
    measures, as published (£ thousand, or £ per head)."""
    df = read_excel(path, sheet, header_contains=["ICB23"])
    df.columns = [_norm(c) for c in df.columns]
    name_col = next(
        (c for c in df.columns if c in ("System Name", "Integrated Care Board (ICB)", "Integrated Care Board")), None
    )
    where = f"sheet {sheet!r}, header row {df.attrs.get('header_row')}"
    require_columns(df, ["R23", "ICB23"], path, where)
    if name_col is None:
        raise DataError(
            path, f"{where}, column 'System Name'", "a column naming the ICB", f"columns {list(df.columns)}"
        )
    require_columns(df, [_norm(h) for h in wanted.values()], path, where)
    code = df["ICB23"].astype("string").str.strip()
    rows = df[code.str.fullmatch(ICB_CODE).fillna(False)].copy()
    out = pd.DataFrame(
        {
            "icb_code": rows["ICB23"].astype(str).str.strip().to_numpy(),
            "icb_name": rows[name_col].astype(str).str.strip().to_numpy(),
            "region_code": rows["R23"].astype(str).str.strip().to_numpy(),
        }
    )
    for col, header in wanted.items():
        raw = rows[_norm(header)].reset_index(drop=True)
        num = pd.to_numeric(raw.astype("string").str.replace(",", "", regex=False).str.strip(), errors="coerce")
        bad = num.isna()
        if bad.any():
            pos = first_bad(bad)
            raise DataError(
                path,
                f"sheet {sheet!r}, row of ICB {out['icb_code'].iloc[pos]}, column {_norm(header)!r}",
                "a number",
                repr(raw.iloc[pos]),
            )
        out[col] = num.astype("float64").to_numpy()
    if len(out) != 42:
        raise DataError(path, f"sheet {sheet!r}, column 'ICB23'", "42 ICB rows (codes Qxx)", f"{len(out)} rows")
    dup = out["icb_code"].duplicated()
    if dup.any():
        raise DataError(
            path, f"sheet {sheet!r}, column 'ICB23'", "each ICB once", f"{out['icb_code'][dup].iloc[0]} twice"
        )
    bad = ~out["region_code"].isin(list(REGIONS))
    if bad.any():
        raise DataError(
            path,
            f"sheet {sheet!r}, column 'R23'",
            f"a region code in {sorted(REGIONS)}",
            repr(out["region_code"][bad].iloc[0]),
        )
    return out
