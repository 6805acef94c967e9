"""Declared schemas for the processed datasets, their validation and their canonical CSV form.

Every processed dataset is declared once, as a :class:`Dataset` (tables) or :class:`GeoDataset`
(TopoJSON boundaries). The declaration drives validation, the CSV written to
``data/processed/``, the typed read in :func:`nhsreport.data.load` and the Data Package
descriptor, so the four can never disagree.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from nhsreport.errors import DataError

# Code patterns of the NHS Organisation Data Service, used by readers and dataset declarations.
ODS_CODE = r"[A-Z0-9]{3,5}"  # any organisation
CCG_CODE = r"[0-9]{2}[A-Z]|[0-9]{2}[A-Z]{2}|[A-Z][0-9][A-Z][0-9][A-Z]"  # a CCG or sub-ICB location
ICB_CODE = r"Q[A-Z0-9]{2}"  # an STP, ICS or ICB of 2016-2022 (and the 2026 boards that kept their code)
CARE_TRUST_CODE = r"TA[A-Z]"  # a care trust (NHS and social care in one body; not in the trusts file)

# The type of an NHS trust throughout the report, in the order tables and charts list them.
TRUST_TYPES = ("acute", "mental health", "community", "ambulance", "other")
SERVICE_TRUST_TYPES = TRUST_TYPES[:4]  # without "other" (NHS Direct, Nightingale and similar)

TYPES = ("string", "integer", "number", "boolean", "date")

# NHS England regions since April 2019 (ODS codes) and their names.
REGIONS = {
    "Y56": "London",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}

# 2022 ICBs split between several 2026 ICBs: 2022 code -> (kind of part, part -> 2026 code, the
# split in words). Parts are April 2021 CCGs ("ccg", exact) or, for Frimley (a single CCG), local
# authority districts ("lad"; LSOA counts stand in for population). The trust HQs of the ODS etr
# June 2026 file must agree (checked by the icbs builder). The builders of the 2026 tables and
# the analysis of the boards both read it.
SPLITS_2026 = {
    "QJG": (
        "ccg",
        {"06L": "T6Y0W", "07K": "T6Y0W", "06T": "D7T5G"},
        "Suffolk (Ipswich and East Suffolk, West Suffolk) to Norfolk and Suffolk; North East Essex to Essex",
    ),
    "QM7": (
        "ccg",
        {"06K": "S1Y5D", "06N": "S1Y5D", "07H": "D7T5G"},
        "Hertfordshire to Central East; West Essex to Essex",
    ),
    "QNQ": (
        "lad",
        {
            "E06000036": "S0E4D",
            "E06000039": "S0E4D",
            "E06000040": "S0E4D",  # East Berkshire
            "E07000214": "S9B9J",
            "E07000209": "S9B9J",
            "E07000212": "S9B9J",
            "E07000216": "S9B9J",  # Surrey part
            "E07000089": "QRL",
            "E07000092": "QRL",
        },  # North East Hampshire
        "East Berkshire to Thames Valley; Surrey Heath and Farnham to Surrey and Sussex; "
        "North East Hampshire to Hampshire and Isle of Wight",
    ),
}

# The sub-ICB locations of the August 2026 practice map that took the parts of a 2021 CCG whose
# area was redrawn in 2026 (Frimley): 2021 CCG -> {2026 board: 2026 sub-ICB location}. Every
# other 2021 CCG is the 2026 sub-ICB location of the same ODS code (after the July 2022 moves).
REDRAWN_2026 = {"D4U1Y": {"S0E4D": "U2G6B", "S9B9J": "92A", "QRL": "D9Y0V"}}

# The unitary councils of 1 April 2023 (2023 district code -> name and the 2021 districts it
# replaced): the only differences between the districts of the 2021 LSOA lookup and those of the
# mid-2024 population estimates (2023 boundaries).
UNITARIES_2023 = {
    "E06000063": ("Cumberland", ("E07000026", "E07000028", "E07000029")),
    "E06000064": ("Westmorland and Furness", ("E07000027", "E07000030", "E07000031")),
    "E06000065": (
        "North Yorkshire",
        ("E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169"),
    ),
    "E06000066": ("Somerset", ("E07000187", "E07000188", "E07000189", "E07000246")),
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    enum: tuple | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: type {self.type!r} is not one of {TYPES}")

    def descriptor(self) -> dict:
        d = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            d["unit"] = self.unit
        cons = {}
        if self.required:
            cons["required"] = True
        if self.enum is not None:
            cons["enum"] = list(self.enum)
        if self.pattern:
            cons["pattern"] = self.pattern
        if self.minimum is not None:
            cons["minimum"] = self.minimum
        if self.maximum is not None:
            cons["maximum"] = self.maximum
        if cons:
            d["constraints"] = cons
        return d


@dataclass(frozen=True)
class Dataset:
    """A processed table: ``data/processed/<name>.csv``."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sources: tuple[str, ...]  # ids in nhsreport.build.sources, or "curated:<file>" for curated tables
    build: Callable  # build(ctx) -> DataFrame
    as_of: str
    rows: tuple[int, int] | None = None  # inclusive bounds on the row count
    foreign_keys: dict = field(default_factory=dict)  # column -> (dataset, column)
    checks: tuple[Callable, ...] = ()  # check(df, label) raises DataError
    caveats: str = ""
    method: str = ""
    depends: tuple[str, ...] = ()  # other processed datasets the builder reads through ctx.dataset

    kind = "table"

    @property
    def path(self) -> str:
        return f"processed/{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class GeoDataset:
    """Boundaries: ``data/processed/geo/<name>.topo.json`` with feature properties ``code`` and ``name``."""

    name: str
    title: str
    description: str
    sources: tuple[str, ...]
    build: Callable  # build(ctx) -> TopoJSON dict
    as_of: str
    n_features: int
    code_pattern: str
    caveats: str = ""
    method: str = ""
    depends: tuple[str, ...] = ()
    primary_key: tuple[str, ...] = ("code",)

    kind = "geo"

    @property
    def path(self) -> str:
        return f"processed/geo/{self.name}.topo.json"


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------


def first_bad(mask: pd.Series) -> int | None:
    """0-based position of the first True in a boolean mask, or ``None`` if there is none: the
    row an error message names."""
    hits = mask.to_numpy().nonzero()[0]
    return int(hits[0]) if len(hits) else None


def _row(df: pd.DataFrame, pos: int, pk: Iterable[str]) -> str:
    keys = [k for k in pk if k in df.columns]
    key = ", ".join(f"{k}={df[k].iloc[pos]!r}" for k in keys)
    return f"row {pos + 1}" + (f" ({key})" if key else "")


def validate(df: pd.DataFrame, ds: Dataset, label: str, others: dict | None = None) -> None:
    """Raise :class:`DataError` naming ``label``, the row/column and what was expected."""
    _check_columns(df, ds, label)
    for f in ds.fields:
        _check_field(df, f, ds.primary_key, label)
    _check_keys_and_size(df, ds, label)
    _check_foreign_keys(df, ds, label, others)
    for check in ds.checks:
        check(df, label)


def _check_columns(df: pd.DataFrame, ds: Dataset, label: str) -> None:
    """Raise unless ``df`` is a non-empty DataFrame with exactly the declared columns."""
    if not isinstance(df, pd.DataFrame):
        raise DataError(label, "builder result", "a pandas DataFrame", type(df).__name__)
    if len(df) == 0:
        raise DataError(label, "rows", "at least one row", "an empty table")
    cols = list(df.columns)
    for name in ds.columns:
        if name not in cols:
            raise DataError(label, f"column {name!r}", "a column of that name", f"columns {cols}")
    extra = [c for c in cols if c not in ds.columns]
    if extra:
        raise DataError(label, f"column {extra[0]!r}", f"only the declared columns {ds.columns}", f"undeclared {extra}")


def _raise_at_first(
    df: pd.DataFrame, bad: pd.Series, column: str, pk: Iterable[str], label: str, expected: str
) -> None:
    """Raise :class:`DataError` for the first row flagged in ``bad`` (a mask indexed like ``df``),
    showing that row's value in ``column``; return quietly if no row is flagged."""
    if not bad.any():
        return
    pos = df.index.get_loc(bad[bad].index[0])
    raise DataError(label, f"{_row(df, pos, pk)}, column {column!r}", expected, repr(df[column].iloc[pos]))


def _type_errors(values: pd.Series, type_: str) -> tuple[pd.Series | None, str]:
    """A mask of the non-empty ``values`` that are not of the declared field type (``None`` for a
    type with no check) and the words for what was expected."""
    if type_ == "integer":
        num = pd.to_numeric(values, errors="coerce")
        return num.isna() | (num.astype("float64") % 1 != 0), "a whole number"
    if type_ == "number":
        return pd.to_numeric(values, errors="coerce").isna(), "a number"
    if type_ == "boolean":
        ok = values.map(lambda x: isinstance(x, (bool,)) or str(x) in ("True", "False"))
        return ~ok.astype(bool), "true or false"
    if type_ == "date":
        return values.map(_date_text).isna(), "a date YYYY-MM-DD"
    if type_ == "string":
        ok = values.map(lambda x: isinstance(x, str))
        return ~ok.astype(bool), "text"
    return None, ""


def _check_field(df: pd.DataFrame, f: Field, pk: tuple[str, ...], label: str) -> None:
    """Raise at the first row whose value of field ``f`` is missing (when required), of the wrong
    type, outside its enumeration or pattern, or outside its minimum and maximum."""
    s = df[f.name]
    null = s.isna()
    if f.required and null.any():
        pos = first_bad(null)
        raise DataError(label, f"{_row(df, pos, pk)}, column {f.name!r}", "a value", "an empty cell")
    v = s[~null]
    if v.empty:
        return
    bad, expected = _type_errors(v, f.type)
    if bad is not None:
        _raise_at_first(df, bad, f.name, pk, label, expected)
    if f.enum is not None:
        _raise_at_first(df, ~v.isin(list(f.enum)), f.name, pk, label, f"one of {list(f.enum)}")
    if f.pattern is not None:
        rx = re.compile(f.pattern)
        bad = ~v.astype(str).map(lambda x, rx=rx: bool(rx.fullmatch(x))).astype(bool)
        _raise_at_first(df, bad, f.name, pk, label, f"a value matching {f.pattern}")
    if f.minimum is not None or f.maximum is not None:
        num = pd.to_numeric(v, errors="coerce")
        lo = f.minimum if f.minimum is not None else -float("inf")
        hi = f.maximum if f.maximum is not None else float("inf")
        _raise_at_first(df, (num < lo) | (num > hi), f.name, pk, label, f"a value between {lo} and {hi}")


def _check_keys_and_size(df: pd.DataFrame, ds: Dataset, label: str) -> None:
    """Raise if two rows share a primary key or the row count is outside the declared range."""
    if ds.primary_key:
        dup = df.duplicated(list(ds.primary_key), keep=False)
        if dup.any():
            positions = dup.to_numpy().nonzero()[0][:2]
            key = {k: df[k].iloc[positions[0]] for k in ds.primary_key}
            raise DataError(
                label,
                f"rows {positions[0] + 1} and {positions[1] + 1}",
                f"a unique primary key {list(ds.primary_key)}",
                f"the key {key} twice",
            )
    if ds.rows is not None:
        lo, hi = ds.rows
        if not lo <= len(df) <= hi:
            raise DataError(label, "row count", f"between {lo} and {hi} rows", len(df))


def _check_foreign_keys(df: pd.DataFrame, ds: Dataset, label: str, others: dict | None) -> None:
    """Raise at the first code of a foreign-key column not listed in the table it refers to (the
    check is skipped for a table not in ``others``)."""
    for col, (other, other_col) in ds.foreign_keys.items():
        if others is None or other not in others:
            continue
        allowed = set(others[other][other_col])
        v = df[col].dropna()
        _raise_at_first(df, ~v.isin(allowed), col, ds.primary_key, label, f"a code listed in {other}.{other_col}")


def _date_text(x) -> str | None:
    if isinstance(x, pd.Timestamp):
        return x.strftime("%Y-%m-%d")
    if isinstance(x, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", x):
        try:
            pd.Timestamp(x)
        except ValueError:
            return None
        return x
    return None


# --------------------------------------------------------------------------------------------
# canonical CSV form and typed read
# --------------------------------------------------------------------------------------------


def to_csv_bytes(df: pd.DataFrame, ds: Dataset) -> bytes:
    """The canonical, deterministic CSV of a validated table: declared column order, rows sorted
    by primary key, dates as YYYY-MM-DD, booleans as true/false, floats to 10 significant digits."""
    out = df[ds.columns].copy()
    for f in ds.fields:
        s = out[f.name]
        if f.type == "date":
            out[f.name] = s.map(lambda x: _date_text(x) if pd.notna(x) else None)
        elif f.type == "boolean":
            out[f.name] = s.map(
                lambda x: None if pd.isna(x) else ("true" if bool(x) and str(x) != "False" else "false")
            )
        elif f.type == "integer":
            out[f.name] = pd.to_numeric(s).astype("Int64")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(s).astype("float64").map(lambda x: None if pd.isna(x) else _num(x))
    if ds.primary_key:
        out = out.sort_values(list(ds.primary_key), kind="mergesort")
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _num(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.10g}"


def read_typed(path, fields: list[dict]) -> pd.DataFrame:
    """A processed CSV with its declared column types: ``fields`` is the dataset's Table Schema
    field list as the data package records it (``{"name": ..., "type": ...}`` each, in column
    order). Strings stay strings, integers are nullable ``Int64``, dates become timestamps."""
    dtypes = {}
    dates = []
    for f in fields:
        if f["type"] == "string":
            dtypes[f["name"]] = "string"
        elif f["type"] == "integer":
            dtypes[f["name"]] = "Int64"
        elif f["type"] == "number":
            dtypes[f["name"]] = "float64"
        elif f["type"] == "boolean":
            dtypes[f["name"]] = "boolean"
        elif f["type"] == "date":
            dtypes[f["name"]] = "string"
            dates.append(f["name"])
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    columns = [f["name"] for f in fields]
    if list(df.columns) != columns:
        raise DataError(path, "header", f"the declared columns {columns}", list(df.columns))
    for c in dates:
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    return df
