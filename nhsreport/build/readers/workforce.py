"""Readers of the NHS workforce statistics: the ethnicity facts file (national headcount by
staff and role group, 2009-2022), managers FTE by organisation (2009-2018), staff FTE by group,
nationality and organisation (September 2017, June 2018) and the turnover benchmarking files
(staff in post by organisation and staff group, 2025)."""

from __future__ import annotations

import re

import pandas as pd

from nhsreport.build.rawio import read_csv, read_excel, require_columns, require_values, to_number
from nhsreport.errors import DataError
from nhsreport.formatting import sentence_case, tidy_name
from nhsreport.schema import first_bad

# CLUSTER_GROUP values of the turnover benchmarking files and the report's organisation type of each.
CLUSTERS = {
    "Acute": "acute",
    "Mental Health": "mental health",
    "Community Provider Trust": "community",
    "Ambulance": "ambulance",
    "Integrated Care Board": "ICB",
}


_ETH_ALL = "All"
_ETH_ALL_INCL = "All - Including Unknown, Not Stated And Discontinued Codes"


def read_ethnicity_workforce(path) -> pd.DataFrame:
    """Headcount by role group (and its broad staff group) for Grade = All Grades: with known
    ethnicity (Ethnicity = All) and including unknown ethnicity."""
    sheet = "nhs-workforce-data-june-2022"
    cols = ["Time", "Ethnicity", "Staff_Group", "Role_Group", "Grade", "Value"]
    df = read_excel(path, sheet, header_contains=cols)
    where = f"sheet {sheet!r}"
    require_columns(df, cols, path, where)
    line0 = df.attrs.get("header_row", 1) + 1
    require_values(df, cols, f"{path} ({where})", line_offset=line0)
    df["Value"] = to_number(df["Value"], f"{path} ({where})", "Value", integer=True, line_offset=line0)
    df = df[(df["Grade"] == "All Grades") & df["Ethnicity"].isin([_ETH_ALL, _ETH_ALL_INCL])].reset_index(drop=True)
    for e in (_ETH_ALL, _ETH_ALL_INCL):
        if not (df["Ethnicity"] == e).any():
            raise DataError(
                path, f"{where}, column 'Ethnicity'", f"rows with Ethnicity = {e!r} and Grade = 'All Grades'", "none"
            )
    dates = pd.to_datetime(df["Time"], errors="coerce")
    if dates.isna().any():
        pos = first_bad(dates.isna())
        raise DataError(path, f"{where}, column 'Time'", "a date", repr(df["Time"].iloc[pos]))
    df["date"] = dates.dt.normalize()
    df["role"] = df["Role_Group"].map(sentence_case)
    df["group"] = df["Staff_Group"].map(sentence_case)
    wide = df.pivot_table(
        index=["date", "group", "role"], columns="Ethnicity", values="Value", aggfunc="sum"
    ).reset_index()
    wide = wide.rename(columns={_ETH_ALL: "headcount", _ETH_ALL_INCL: "headcount_incl_unknown_ethnicity"})
    return wide


def read_managers_fte(path) -> pd.DataFrame:
    """Managers FTE by organisation and September of each year: ``year``, ``org_code``, ``managers_fte``."""
    df = read_csv(path, columns=["YEAR", "ORG_CODE", "SIMPLE_MANAGERS_FTE"])
    require_values(df, ["YEAR", "ORG_CODE", "SIMPLE_MANAGERS_FTE"], path)
    out = pd.DataFrame(
        {
            "year": to_number(df["YEAR"], path, "YEAR", integer=True),
            "org_code": df["ORG_CODE"].str.strip(),
            "managers_fte": to_number(df["SIMPLE_MANAGERS_FTE"], path, "SIMPLE_MANAGERS_FTE"),
        }
    )
    return out


_SUPPRESSED = {"*", "-", "..", "c", "x", ""}


def read_hchs_fte(path) -> pd.DataFrame:
    """FTE by organisation and staff group, summed over nationality, plus an 'All staff groups' sum."""
    cols = ["Month", "Organisation code", "Organisation name", "Staff group", "Nationality", "FTE"]
    df = read_excel(path, "Data", header_contains=cols)
    require_columns(df, cols, path, "sheet 'Data'")
    line0 = df.attrs.get("header_row", 1) + 1
    require_values(df, ["Month", "Organisation code", "Staff group"], f"{path} (sheet 'Data')", line_offset=line0)
    df["FTE"] = to_number(df["FTE"], f"{path} (sheet 'Data')", "FTE", line_offset=line0)
    months = {"2017-SEP": "2017-09-30", "2018-JUN": "2018-06-30"}
    bad = ~df["Month"].isin(list(months))
    if bad.any():
        pos = first_bad(bad)
        raise DataError(
            path,
            f"sheet 'Data', row {pos + line0}, column 'Month'",
            f"one of {list(months)}",
            repr(df["Month"].iloc[pos]),
        )
    df["date"] = pd.to_datetime(df["Month"].map(months))
    df["org_code"] = df["Organisation code"].astype(str).str.strip()
    df["staff_group"] = df["Staff group"].astype(str).str.strip()
    names = df.groupby("org_code")["Organisation name"].last().map(tidy_name)
    g = df.groupby(["date", "org_code", "staff_group"], as_index=False)["FTE"].sum(min_count=1)
    tot = g.groupby(["date", "org_code"], as_index=False)["FTE"].sum(min_count=1).assign(staff_group="All staff groups")
    out = pd.concat([g, tot], ignore_index=True).rename(columns={"FTE": "fte"})
    out["org_name"] = out["org_code"].map(names)
    out["headcount"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def read_turnover(path) -> pd.DataFrame:
    """Staff in post at the end of the month (TYPE = 'Denominator at end of period'), by
    organisation and staff group, with the organisation's cluster group as published
    (``cluster_group``) and as a report type (``org_type``, see :data:`CLUSTERS`)."""
    cols = [
        "PERIOD",
        "TYPE",
        "NHSE_REGION_CODE",
        "ICS_CODE",
        "REPORTING_ORG_NAME",
        "REPORTING_ORG_CODE",
        "CLUSTER_GROUP",
        "STAFF_GROUP_1_NAME",
        "HC",
        "FTE",
    ]
    df = read_csv(path, columns=cols)
    require_values(df, ["PERIOD", "TYPE", "REPORTING_ORG_CODE", "CLUSTER_GROUP", "STAFF_GROUP_1_NAME"], path)
    for c in ("HC", "FTE"):
        txt = df[c].astype("string").str.strip()
        df[c] = txt.where(~txt.isin(list(_SUPPRESSED)) & txt.notna(), None)
    df["HC"] = to_number(df["HC"], path, "HC", integer=True)
    df["FTE"] = to_number(df["FTE"], path, "FTE")
    df["line"] = range(2, len(df) + 2)
    df = df[df["TYPE"] == "Denominator at end of period"].copy()
    if df.empty:
        raise DataError(path, "column 'TYPE'", "rows with TYPE = 'Denominator at end of period'", "none")
    hc, fte, line = df["HC"], df["FTE"], df["line"]
    periods = df["PERIOD"].unique()
    m = re.fullmatch(r"\d{6} to (\d{4})(\d{2})", str(periods[0]))
    if len(periods) != 1 or not m:
        raise DataError(path, "column 'PERIOD'", "one period like '202510 to 202511'", list(periods)[:3])
    end = pd.Timestamp(int(m.group(1)), int(m.group(2)), 1) + pd.offsets.MonthEnd(0)
    bad = ~df["CLUSTER_GROUP"].isin(list(CLUSTERS))
    if bad.any():
        raise DataError(
            path,
            f"line {int(line[bad].iloc[0])}, column 'CLUSTER_GROUP'",
            f"one of {list(CLUSTERS)}",
            repr(df["CLUSTER_GROUP"][bad].iloc[0]),
        )
    out = pd.DataFrame(
        {
            "date": end,
            "org_code": df["REPORTING_ORG_CODE"].str.strip().to_numpy(),
            "org_name": df["REPORTING_ORG_NAME"].map(tidy_name).to_numpy(),
            "org_type": df["CLUSTER_GROUP"].map(CLUSTERS).to_numpy(),
            "cluster_group": df["CLUSTER_GROUP"].to_numpy(),
            "icb_code": df["ICS_CODE"].str.strip().to_numpy(),
            "region_code": df["NHSE_REGION_CODE"].str.strip().to_numpy(),
            "staff_group": df["STAFF_GROUP_1_NAME"].str.strip().to_numpy(),
            "fte": fte.to_numpy(),
            "headcount": hc.to_numpy(),
        }
    )
    return out


# --- replication data of Asaria, McGuire & Street: consultants, trust finances, variable definitions


def read_consultants_fte(path) -> pd.DataFrame:
    """Consultant FTE by organisation and September of each year: ``year``, ``org_code``, ``consultants_fte``
    (a negative FTE is an error)."""
    df = read_csv(path, columns=["YEAR", "ORG_CODE", "SIMPLE_CONSULTANTS_FTE"])
    require_values(df, ["YEAR", "ORG_CODE", "SIMPLE_CONSULTANTS_FTE"], path)
    out = pd.DataFrame(
        {
            "year": to_number(df["YEAR"], path, "YEAR", integer=True),
            "org_code": df["ORG_CODE"].str.strip(),
            "consultants_fte": to_number(df["SIMPLE_CONSULTANTS_FTE"], path, "SIMPLE_CONSULTANTS_FTE"),
        }
    )
    neg = out["consultants_fte"] < 0
    if neg.any():
        pos = int(neg.to_numpy().nonzero()[0][0])
        raise DataError(
            path,
            f"line {pos + 2}, column 'SIMPLE_CONSULTANTS_FTE'",
            "an FTE of zero or more",
            repr(df["SIMPLE_CONSULTANTS_FTE"].iloc[pos]),
        )
    return out


_FIN_COLS = ["ORG_CODE", "YEAR", "FINANCIAL_POSITION", "OP_INCOME", "OP_COST"]


def read_trust_finances(path) -> pd.DataFrame:
    """Operating income, operating cost (published as a negative number) and the net financial
    position, £ thousand; operating cost is returned as a positive amount."""
    df = read_csv(path, columns=_FIN_COLS)
    require_values(df, _FIN_COLS, path)
    out = pd.DataFrame(
        {
            "year": to_number(df["YEAR"], path, "YEAR", integer=True),
            "org_code": df["ORG_CODE"].str.strip(),
            "surplus_gbp_k": to_number(df["FINANCIAL_POSITION"], path, "FINANCIAL_POSITION"),
            "income_gbp_k": to_number(df["OP_INCOME"], path, "OP_INCOME"),
            "cost_gbp_k": -to_number(df["OP_COST"], path, "OP_COST"),
        }
    )
    for col, src, rule in (
        ("income_gbp_k", "OP_INCOME", "an income of zero or more"),
        ("cost_gbp_k", "OP_COST", "a cost of zero or less (costs are published as negative numbers)"),
    ):
        bad = out[col] < 0
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(path, f"line {pos + 2}, column {src!r}", rule, repr(df[src].iloc[pos]))
    dup = out.duplicated(["org_code", "year"], keep=False)
    if dup.any():
        pos = dup.to_numpy().nonzero()[0][:2]
        raise DataError(
            path,
            f"lines {pos[0] + 2} and {pos[1] + 2}",
            "one row per ORG_CODE and YEAR",
            f"{out['org_code'].iloc[pos[0]]} {out['year'].iloc[pos[0]]} twice",
        )
    return out


def read_variable_definitions(path) -> pd.DataFrame:
    """The replication repository's variable definitions (columns code, variable, label):
    ``variable``, ``label`` and the file's ``line``."""
    df = read_csv(path, columns=["code", "variable", "label"])
    require_values(df, ["variable", "label"], path)
    return pd.DataFrame(
        {"variable": df["variable"].str.strip(), "label": df["label"].str.strip(), "line": range(2, len(df) + 2)}
    )
