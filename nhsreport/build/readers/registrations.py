"""Readers of NHS England's "Patients registered at a GP practice" files (each a zip holding one
CSV of the same name) and of the ODS ``epraccur`` file of mid-2026 (Data Search and Export
layout): the August 2026 practice map (practice → PCN → sub-ICB location → board → region), the
registered patients by single year of age of August 2026 (regions, boards, sub-ICB locations,
PCNs) and the registered patients of each practice of April 2025."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nhsreport.build.rawio import read_csv, require_values, to_date, to_number
from nhsreport.errors import DataError

UNALLOCATED = "U"

_MAP_COLS = [
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "ONS_SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ONS_ICB_CODE",
    "ICB_CODE",
    "ICB_NAME",
    "ONS_COMM_REGION_CODE",
    "COMM_REGION_CODE",
    "COMM_REGION_NAME",
]


def _one_value(df: pd.DataFrame, column: str, path) -> str:
    values = df[column].unique()
    if len(values) != 1:
        raise DataError(path, f"column {column!r}", "one value for every row", list(values)[:3])
    return str(values[0])


def _each_once(df: pd.DataFrame, column: str, path) -> None:
    dup = df[column].duplicated(keep=False)
    if dup.any():
        pos = dup.to_numpy().nonzero()[0][:2]
        raise DataError(
            path,
            f"lines {pos[0] + 2} and {pos[1] + 2}, column {column!r}",
            "each code once",
            repr(df[column].iloc[pos[0]]),
        )


def _nested(df: pd.DataFrame, child: str, parent: str, path) -> None:
    """Each ``child`` code lies in one ``parent``: a file that breaks this is not the published map."""
    n = df.groupby(child)[parent].nunique()
    if (n > 1).any():
        code = n[n > 1].index[0]
        line = int((df[child] == code).to_numpy().nonzero()[0][0]) + 2
        raise DataError(
            path,
            f"line {line}, column {parent!r}",
            f"one {parent} for each {child}",
            f"{code} in {sorted(df.loc[df[child] == code, parent].unique())}",
        )


def read_practice_map_2026(path) -> pd.DataFrame:
    """Each GP practice of the mapping file (2026 layout, zipped) with its PCN (empty for 'U',
    Unallocated), sub-ICB location, board and region, codes and names as published, and the
    extract date (``extract_date``, one for the file). A practice listed twice, a sub-ICB location
    in two boards or a board in two regions is an error."""
    df = read_csv(path, columns=_MAP_COLS)
    require_values(df, [c for c in _MAP_COLS if c not in ("PRACTICE_POSTCODE", "PCN_NAME")], path)
    extract = to_date(pd.Series([_one_value(df, "EXTRACT_DATE", path)]), path, "EXTRACT_DATE", fmt="%d%b%Y")[0]
    _each_once(df, "PRACTICE_CODE", path)
    for child, parent in (("SUB_ICB_LOCATION_CODE", "ICB_CODE"), ("ICB_CODE", "COMM_REGION_CODE")):
        _nested(df, child, parent, path)
    df = df.apply(lambda s: s.str.strip())
    unallocated = df["PCN_CODE"] == UNALLOCATED
    df.loc[unallocated, ["PCN_CODE", "PCN_NAME"]] = None
    return pd.DataFrame(
        {
            "practice_code": df["PRACTICE_CODE"],
            "practice_name": df["PRACTICE_NAME"],
            "postcode": df["PRACTICE_POSTCODE"],
            "pcn_code": df["PCN_CODE"],
            "pcn_name": df["PCN_NAME"],
            "sub_icb_code": df["SUB_ICB_LOCATION_CODE"],
            "sub_icb_gss_code": df["ONS_SUB_ICB_LOCATION_CODE"],
            "sub_icb_name": df["SUB_ICB_LOCATION_NAME"],
            "icb_code": df["ICB_CODE"],
            "icb_gss_code": df["ONS_ICB_CODE"],
            "icb_name": df["ICB_NAME"],
            "region_code": df["COMM_REGION_CODE"],
            "region_name": df["COMM_REGION_NAME"],
            "extract_date": extract,
        }
    )


_PATIENT_COLS = ["EXTRACT_DATE", "TYPE", "CODE", "POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]


def read_practice_patients(path) -> pd.DataFrame:
    """Registered patients of each GP practice (all ages, both sexes) from the practice-level file
    ("gp-reg-pat-prac-all"): ``practice_code``, ``postcode``, ``patients`` and the one
    ``extract_date``. A practice listed twice or a count that is not a whole number is an error."""
    df = read_csv(path, columns=_PATIENT_COLS)
    require_values(df, [c for c in _PATIENT_COLS if c != "POSTCODE"], path)
    extract = to_date(pd.Series([_one_value(df, "EXTRACT_DATE", path)]), path, "EXTRACT_DATE")[0]
    for column, value in (("TYPE", "GP"), ("SEX", "ALL"), ("AGE", "ALL")):
        bad = df[column].str.strip() != value
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(path, f"line {pos + 2}, column {column!r}", repr(value), repr(df[column].iloc[pos]))
    _each_once(df, "CODE", path)
    return pd.DataFrame(
        {
            "practice_code": df["CODE"].str.strip(),
            "postcode": df["POSTCODE"].str.strip(),
            "patients": to_number(df["NUMBER_OF_PATIENTS"], path, "NUMBER_OF_PATIENTS", integer=True),
            "extract_date": extract,
        }
    )


_AGE_COLS = ["EXTRACT_DATE", "ORG_TYPE", "ORG_CODE", "ONS_CODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]
ORG_TYPES = {"Comm Region": "region", "ICB": "board", "SUB_ICB_LOCATION_CODE": "sub_icb", "PCN": "pcn"}
TOP_AGE = "95+"


def read_registered_ages(path) -> pd.DataFrame:
    """Registered patients by organisation, sex and single year of age ("gp-reg-pat-prac-sing-age-
    regions"): ``level`` (region, board, sub_icb, pcn), ``org_code``, ``gss_code``, ``sex`` (ALL,
    MALE, FEMALE), ``age`` (``None`` for all ages; 95 stands for 95 and over), ``patients`` and the
    one ``extract_date``. An unknown organisation type or age is an error."""
    df = read_csv(path, columns=_AGE_COLS)
    require_values(df, [c for c in _AGE_COLS if c != "ONS_CODE"], path)
    extract = to_date(pd.Series([_one_value(df, "EXTRACT_DATE", path)]), path, "EXTRACT_DATE")[0]
    level = df["ORG_TYPE"].str.strip().map(ORG_TYPES)
    if level.isna().any():
        pos = int(level.isna().to_numpy().nonzero()[0][0])
        raise DataError(
            path, f"line {pos + 2}, column 'ORG_TYPE'", f"one of {sorted(ORG_TYPES)}", df["ORG_TYPE"].iloc[pos]
        )
    age_text = df["AGE"].str.strip()
    age = to_number(age_text.where(~age_text.isin(["ALL", TOP_AGE])), path, "AGE", integer=True)
    age = age.mask(age_text == TOP_AGE, 95)
    return pd.DataFrame(
        {
            "level": level,
            "org_code": df["ORG_CODE"].str.strip(),
            "gss_code": df["ONS_CODE"].str.strip(),
            "sex": df["SEX"].str.strip(),
            "age": age,
            "patients": to_number(df["NUMBER_OF_PATIENTS"], path, "NUMBER_OF_PATIENTS", integer=True),
            "extract_date": extract,
        }
    )


# The ODS Data Search and Export layout of epraccur (27 columns, no header).
EPRACCUR_COLUMNS = {
    0: "code",
    1: "name",
    2: "region",
    3: "icb",
    9: "postcode",
    10: "open_date",
    11: "close_date",
    12: "status",
    14: "sub_icb",
    25: "role",
}
EPRACCUR_STATUSES = ("ACTIVE", "INACTIVE", "DORMANT")
GP_PRACTICE_ROLE = "RO76"


def read_epraccur_2026(path: Path) -> pd.DataFrame:
    """GP practices and prescribing cost centres of ``epraccur`` (Data Search and Export layout):
    code, name, region, board (ICB, April 2026 codes), postcode, open and close dates, status
    (a word), sub-ICB location and role (RO76 for a GP practice). An unknown status is an error."""
    names = [EPRACCUR_COLUMNS.get(i, f"col{i + 1}") for i in range(27)]
    df = read_csv(path, names=names, encoding="utf-8-sig")
    require_values(df, ["code", "name", "open_date", "status"], path, line_offset=1)
    df = df[list(EPRACCUR_COLUMNS.values())].apply(lambda s: s.str.strip())
    bad = ~df["status"].isin(EPRACCUR_STATUSES)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            path, f"line {pos + 1}, column 13 (status)", f"one of {EPRACCUR_STATUSES}", df["status"].iloc[pos]
        )
    for column in ("open_date", "close_date"):
        df[column] = to_date(df[column], path, column, fmt="%Y%m%d", line_offset=1)
    return df.reset_index(drop=True)
