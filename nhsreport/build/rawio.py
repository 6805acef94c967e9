"""Readers for the raw official files, turning every pandas failure into a :class:`DataError`
that names the file, the place (sheet, line, column) and what was expected.

Builders use only these to read ``data/raw/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nhsreport.errors import DataError
from nhsreport.schema import first_bad


def read_csv(
    path: Path,
    *,
    columns: Iterable[str] | None = None,
    names: list[str] | None = None,
    encoding: str = "utf-8-sig",
    **kwargs,
) -> pd.DataFrame:
    """Read a raw CSV as text (``dtype=str``). ``columns`` are required to be present;
    ``names`` gives the header of a headerless file (ODS downloads)."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file", "the raw file to be present (run `make data-raw`)", "no such file")
    if path.stat().st_size == 0:
        raise DataError(path, "contents", "a header and data rows", "an empty file")
    opts = dict(dtype=str, keep_default_na=False, na_values=[""], encoding=encoding)
    if names is not None:
        opts.update(header=None, names=names, index_col=False)
    opts.update(kwargs)
    try:
        df = pd.read_csv(path, **opts)
    except pd.errors.EmptyDataError:
        raise DataError(path, "contents", "a header and data rows", "no data") from None
    except pd.errors.ParserError as e:
        raise DataError(path, "parsing", "rows with the same number of fields as the header", str(e)) from None
    except UnicodeDecodeError as e:
        raise DataError(
            path, f"byte {e.start}", f"text encoded as {encoding}", repr(e.object[e.start : e.start + 8])
        ) from None
    if df.empty:
        raise DataError(path, "rows", "at least one data row", "a header only")
    if columns is not None:
        require_columns(df, columns, path)
    return df


def require_columns(df: pd.DataFrame, columns: Iterable[str], file, where: str = "header") -> None:
    have = [str(c) for c in df.columns]
    for c in columns:
        if c not in have:
            raise DataError(file, f"{where}, column {c!r}", "a column of that name", f"columns {have}")


def require_values(df: pd.DataFrame, columns: Iterable[str], file, line_offset: int = 2) -> None:
    """Every listed column has a value on every row (a truncated file leaves empty cells).
    ``line_offset`` converts a 0-based row position into the file's line number."""
    for c in columns:
        null = df[c].isna() | (df[c].astype("string").str.strip() == "")
        if null.any():
            pos = first_bad(null)
            raise DataError(
                file, f"line {pos + line_offset}, column {c!r}", "a value", "an empty cell (truncated or damaged file?)"
            )


def to_number(s: pd.Series, file, column: str, line_offset: int = 2, integer: bool = False) -> pd.Series:
    """Convert text to numbers; a value that is not a number is an error naming its line."""
    txt = s.astype("string").str.replace(",", "", regex=False).str.strip()
    num = pd.to_numeric(txt, errors="coerce")
    bad = num.isna() & txt.notna() & (txt != "")
    if bad.any():
        pos = first_bad(bad)
        raise DataError(file, f"line {pos + line_offset}, column {column!r}", "a number", repr(s.iloc[pos]))
    if integer:
        frac = num.dropna() % 1 != 0
        if frac.any():
            pos = s.index.get_loc(frac[frac].index[0])
            raise DataError(file, f"line {pos + line_offset}, column {column!r}", "a whole number", repr(s.iloc[pos]))
        return num.astype("Int64")
    return num.astype("float64")


def to_date(s: pd.Series, file, column: str, fmt: str = "%Y-%m-%d", line_offset: int = 2) -> pd.Series:
    """Convert text to dates in ``fmt``; a value that is not such a date is an error naming its
    line (``line_offset`` turns a 0-based row into the file's line: 2 below a header, 1 for the
    headerless ODS files)."""
    txt = s.astype("string").str.strip()
    out = pd.to_datetime(txt, format=fmt, errors="coerce")
    bad = out.isna() & txt.notna() & (txt != "")
    if bad.any():
        pos = first_bad(bad)
        shown = fmt.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        raise DataError(file, f"line {pos + line_offset}, column {column!r}", f"a date {shown}", repr(s.iloc[pos]))
    return out


def sheet_names(path: Path) -> list[str]:
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file", "the raw file to be present (run `make data-raw`)", "no such file")
    try:
        return list(pd.ExcelFile(path, engine="calamine").sheet_names)
    except Exception as e:  # calamine raises its own error types for damaged workbooks
        raise DataError(path, "workbook", "a readable Excel workbook", f"{type(e).__name__}: {e}") from None


def read_excel(
    path: Path, sheet: str, *, header_contains: Iterable[str] | None = None, scan_rows: int = 40
) -> pd.DataFrame:
    """Read one sheet. With ``header_contains``, the header row is the first of the top
    ``scan_rows`` rows that holds all those labels (official workbooks put title rows above the
    table); the returned frame starts below it. Cells are kept as read (numbers as numbers)."""
    path = Path(path)
    names = sheet_names(path)
    if sheet not in names:
        raise DataError(path, f"sheet {sheet!r}", "a sheet of that name", f"sheets {names}")
    raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    if raw.empty:
        raise DataError(path, f"sheet {sheet!r}", "a table", "an empty sheet")
    if header_contains is None:
        header_row = 0
    else:
        want = [str(w).strip().lower() for w in header_contains]
        header_row = None
        for i in range(min(scan_rows, len(raw))):
            cells = [str(v).strip().lower() for v in raw.iloc[i].tolist() if pd.notna(v)]
            if all(any(w == c or w in c for c in cells) for w in want):
                header_row = i
                break
        if header_row is None:
            raise DataError(
                path,
                f"sheet {sheet!r}, rows 1-{scan_rows}",
                f"a header row with {list(header_contains)}",
                "no such row",
            )
    header = [str(v).strip() if pd.notna(v) else f"unnamed_{j}" for j, v in enumerate(raw.iloc[header_row])]
    df = raw.iloc[header_row + 1 :].copy()
    df.columns = header
    df = df.dropna(how="all").reset_index(drop=True)
    df.attrs["header_row"] = header_row + 1  # 1-based spreadsheet row of the header
    return df
