"""Readers of the NHS Organisation Data Service files and NHS England's reference files:
trusts (``etr``), CCGs (``eccg``), organisation change paths and successors, the 2020-21 trust
merger list, provider types, the April 2020 CCG-STP reference file and the April 2019 STP
partner mapping."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from nhsreport.build.rawio import read_csv, read_excel, require_columns, require_values, to_date, to_number
from nhsreport.errors import DataError
from nhsreport.schema import CCG_CODE, ICB_CODE, ODS_CODE, first_bad

# The headerless layout of the ODS etr and eccg downloads (27 columns).
ODS_COLUMNS = [
    "code",
    "name",
    "region",
    "icb",
    "addr1",
    "addr2",
    "addr3",
    "addr4",
    "addr5",
    "postcode",
    "open_date",
    "close_date",
    "col13",
    "org_sub_type",
] + [f"col{i}" for i in range(15, 28)]

# ORG_TYPE values of the provider type file and the report's trust type for each.
PROVIDER_TYPES = {
    "Acute": "acute",
    "Mental Health": "mental health",
    "Community Provider Trust": "community",
    "Ambulance": "ambulance",
    "Clinical Commissioning Group": "CCG",
}


def _ods_date(s: pd.Series, file, column: str) -> pd.Series:
    """ODS dates (YYYYMMDD) in a headerless file: row 0 is line 1."""
    return to_date(s, file, column, fmt="%Y%m%d", line_offset=1)


def _read_ods(path: Path) -> pd.DataFrame:
    df = read_csv(path, names=ODS_COLUMNS, encoding="utf-8-sig")
    require_values(df, ["code", "name", "open_date"], path, line_offset=1)
    pos = first_bad(~df["code"].str.strip().str.fullmatch(ODS_CODE))
    if pos is not None:
        raise DataError(
            path,
            f"line {pos + 1}, column 1 (organisation code)",
            "an ODS code of 3-5 letters/digits",
            repr(df["code"].iloc[pos]),
        )
    return df


def read_etr(path: Path, *, require_gor: bool = False) -> pd.DataFrame:
    """ODS ``etr`` (NHS trusts, headerless): ``code``, ``name``, ``region``, ``icb`` (the STP or
    ICB of the headquarters), ``postcode``, ``opened``, ``closed`` and ``gor`` (government office
    region, column 24: ``W`` for Welsh trusts). English trusts must have a region and an ICB;
    ``require_gor`` asks for a region code on (almost) every row, as the 2026 layout has."""
    df = _read_ods(path)
    english = df["col24"].fillna("") != "W"
    for c, label in (("region", "column 3 (region)"), ("icb", "column 4 (STP/ICB)")):
        pos = first_bad(english & df[c].isna())
        if pos is not None:
            raise DataError(
                path,
                f"line {pos + 1}, {label}",
                "a value for an English trust",
                "an empty cell (truncated or damaged file?)",
            )
    gor = df["col24"]
    if require_gor and gor.notna().mean() < 0.9:
        raise DataError(
            path,
            "column 24 (government office region)",
            "a region code on (almost) every row",
            f"{int(gor.isna().sum())} empty cells of {len(gor)}",
        )
    return pd.DataFrame(
        {
            "code": df["code"].str.strip(),
            "name": df["name"].str.strip(),
            "region": df["region"],
            "icb": df["icb"],
            "postcode": df["postcode"],
            "opened": _ods_date(df["open_date"], path, "11 (open date)"),
            "closed": _ods_date(df["close_date"], path, "12 (close date)"),
            "gor": gor,
        }
    )


def read_eccg(path: Path) -> pd.DataFrame:
    """ODS ``eccg`` (CCGs and commissioning hubs, headerless): ``code``, ``name``, ``region``,
    ``icb`` (STP), ``opened``, ``closed`` and ``org_sub_type`` (column 14: ``C`` for a CCG)."""
    df = _read_ods(path)
    require_values(df, ["org_sub_type"], path, line_offset=1)
    return pd.DataFrame(
        {
            "code": df["code"].str.strip(),
            "name": df["name"].str.strip(),
            "region": df["region"],
            "icb": df["icb"],
            "opened": _ods_date(df["open_date"], path, "11 (open date)"),
            "closed": _ods_date(df["close_date"], path, "12 (close date)"),
            "org_sub_type": df["org_sub_type"],
        }
    )


CHANGE_PATH_COLUMNS = [
    "old_code",
    "new_code_0",
    "new_code_1",
    "date_change_1",
    "change_type_1",
    "new_code_2",
    "date_change_2",
    "change_type_2",
    "new_code_3",
    "date_change_3",
    "change_type_3",
    "final_code",
]


def read_change_paths(path: Path) -> pd.DataFrame:
    """ODS org-change-paths: each code's chain of up to three changes and its final successor,
    as published (dates as text, ``NA`` as empty)."""
    df = read_csv(path, columns=CHANGE_PATH_COLUMNS, na_values=["", "NA"])
    require_values(df, ["old_code", "new_code_0", "new_code_1", "date_change_1", "change_type_1", "final_code"], path)
    return df


def change_steps(paths: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The chains of :func:`read_change_paths` unrolled into distinct steps ``old``, ``new``,
    ``date`` (first day under the new code, as given) and ``ods_type``."""
    steps = []
    for i in (1, 2, 3):
        d = to_date(paths[f"date_change_{i}"], path, f"date_change_{i}")
        part = pd.DataFrame(
            {
                "old": paths[f"new_code_{i - 1}"],
                "new": paths[f"new_code_{i}"],
                "date": d,
                "ods_type": paths[f"change_type_{i}"],
            }
        )
        part = part[part["new"].notna()]
        pos = first_bad(part["date"].isna())
        if pos is not None:
            raise DataError(
                path, f"line {part.index[pos] + 2}, column 'date_change_{i}'", "a date for each change", "an empty cell"
            )
        steps.append(part)
    out = pd.concat(steps).drop_duplicates().reset_index(drop=True)
    dup = out.duplicated(["old", "new"], keep=False)
    if dup.any():
        r = out[dup].iloc[0]
        raise DataError(path, f"change {r['old']} -> {r['new']}", "one date per change", "several")
    return out


def final_successors(table: pd.DataFrame) -> dict[str, str]:
    """``old_code`` -> ``final_code`` of a change-paths or successor table, where they differ."""
    df = table.dropna(subset=["old_code", "final_code"])
    return {o: f for o, f in zip(df["old_code"], df["final_code"]) if o != f}


def read_successor_lookup(path: Path) -> pd.DataFrame:
    """ODS trust successor lookup: ``old_code``, ``final_code`` and the flags ``experiences_split``
    and ``problematic`` (0 or 1)."""
    df = read_csv(path, columns=["old_code", "final_code", "experiences_split", "problematic"], na_values=["", "NA"])
    require_values(df, ["old_code", "final_code"], path)
    df["problematic"] = to_number(df["problematic"], path, "problematic", integer=True)
    df["experiences_split"] = to_number(df["experiences_split"], path, "experiences_split", integer=True)
    return df


def read_mergers_2020(path: Path) -> pd.DataFrame:
    """Trust mergers of 2020-21: ``old``, ``new`` and ``date`` (first day under the new code)."""
    df = read_csv(path, columns=["trust_code_old", "trust_code_new", "from_date"])
    require_values(df, ["trust_code_old", "trust_code_new", "from_date"], path)
    return pd.DataFrame(
        {
            "old": df["trust_code_old"].str.strip(),
            "new": df["trust_code_new"].str.strip(),
            "date": to_date(df["from_date"], path, "from_date"),
        }
    )


def read_provider_types(path: Path) -> pd.DataFrame:
    """provider-org-types.csv: ``org_code`` (published with trailing spaces, stripped),
    ``org_name`` (as published), ``provider_type`` (one of :data:`PROVIDER_TYPES`) and
    ``specialist`` (the file's SPECIALIST flag, TRUE or FALSE)."""
    df = read_csv(path, columns=["ORG_CODE", "ORG_NAME", "ORG_TYPE", "SPECIALIST"])
    require_values(df, ["ORG_CODE", "ORG_TYPE"], path)
    types = df["ORG_TYPE"].str.strip()
    pos = first_bad(~types.isin(list(PROVIDER_TYPES)))
    if pos is not None:
        raise DataError(
            path, f"line {pos + 2}, column 'ORG_TYPE'", f"one of {list(PROVIDER_TYPES)}", repr(df["ORG_TYPE"].iloc[pos])
        )
    flag = df["SPECIALIST"].str.strip().str.upper()
    pos = first_bad(~flag.isin(["TRUE", "FALSE"]))
    if pos is not None:
        raise DataError(path, f"line {pos + 2}, column 'SPECIALIST'", "TRUE or FALSE", repr(df["SPECIALIST"].iloc[pos]))
    return pd.DataFrame(
        {
            "org_code": df["ORG_CODE"].str.strip(),
            "org_name": df["ORG_NAME"],
            "provider_type": types,
            "specialist": flag == "TRUE",
        }
    )


def _reffile_codes(df: pd.DataFrame, col: str, path, sheet: str) -> None:
    pos = first_bad(~df[col].astype(str).str.fullmatch(CCG_CODE))
    if pos is not None:
        raise DataError(
            path,
            f"sheet {sheet!r}, row {pos + 1 + df.attrs.get('header_row', 1)}, column {col!r}",
            "an ODS CCG code",
            repr(df[col].iloc[pos]),
        )


def read_ccg_stp_reffile(path: Path) -> dict[str, pd.DataFrame]:
    """CCG_STP_RefFile_Apr20: ``pre`` and ``post`` (the CCGs before and after April 2020, with
    ``CCG Code``, ``CCG Name``, ``STP Code``, ``Region Code``) and ``mergers`` (``old``, ``new``)."""
    out = {}
    for sheet, key in (("Pre-Apr 2020", "pre"), ("Post-Apr 2020", "post")):
        df = read_excel(path, sheet, header_contains=["CCG Code", "CCG Name", "STP Code"])
        require_columns(df, ["CCG Code", "CCG Name", "STP Code", "Region Code"], path, f"sheet {sheet!r}")
        df = df.dropna(subset=["CCG Code"]).copy()
        require_values(df, ["STP Code"], path, line_offset=df.attrs["header_row"] + 1)
        for c in ("CCG Code", "CCG Name", "STP Code", "Region Code"):
            df[c] = df[c].astype(str).str.strip()
        _reffile_codes(df, "CCG Code", path, sheet)
        out[key] = df.reset_index(drop=True)
    sheet = "CCG Mergers"
    df = read_excel(path, sheet, header_contains=["Legacy (closing) CCG Code", "New CCG Code"])
    df = df.dropna(subset=["Legacy (closing) CCG Code"]).copy()
    for c in ("Legacy (closing) CCG Code", "New CCG Code", "New CCG Name"):
        df[c] = df[c].astype(str).str.strip()
    _reffile_codes(df, "Legacy (closing) CCG Code", path, sheet)
    _reffile_codes(df, "New CCG Code", path, sheet)
    out["mergers"] = df.rename(columns={"Legacy (closing) CCG Code": "old", "New CCG Code": "new"}).reset_index(
        drop=True
    )
    return out


# --- the STP partner mapping workbook of 3 April 2019 ------------------------------------------


def read_stp_change_log(path: Path) -> pd.DataFrame:
    """STP partner mapping, sheet "Change Log": ``Date``, ``STP Code``, ``Type of Change``, ``Details``."""
    sheet = "Change Log"
    df = read_excel(path, sheet, header_contains=["Date", "STP Code", "Type of Change", "Details"])
    df = df.dropna(subset=["Type of Change"]).copy()
    df["Date"] = pd.to_datetime(df["Date"], errors="coerce")
    pos = first_bad(df["Date"].isna())
    if pos is not None:
        raise DataError(
            path,
            f"sheet {sheet!r}, row {pos + 1 + df.attrs.get('header_row', 1)}, column 'Date'",
            "a date",
            "not a date",
        )
    for c in ("STP Code", "Type of Change", "Details"):
        df[c] = df[c].astype(str).str.strip()
    return df[["Date", "STP Code", "Type of Change", "Details"]].reset_index(drop=True)


def ccg_mergers_2019(change_log: pd.DataFrame, path) -> pd.DataFrame:
    """The April 2019 CCG mergers recorded as "Partner merger" in the change log, e.g.
    "... CCG (99P) and ... CCG (99Q) have merged to form NHS Devon CCG (15N)"."""
    rows = []
    for _, r in change_log.iterrows():
        if not r["Type of Change"].lower().startswith("partner merger") or "CCG" not in r["Details"]:
            continue
        before, sep, after = r["Details"].partition("to form")
        olds = re.findall(r"\(([0-9A-Z]{3})\)", before)
        new = re.findall(r"\(([0-9A-Z]{3})\)", after)
        if not sep or not olds or len(new) != 1:
            raise DataError(
                path,
                f"sheet 'Change Log', {r['Date']:%Y-%m-%d} {r['STP Code']}",
                "'<CCG> (code) and <CCG> (code) have merged to form <CCG> (code)'",
                r["Details"],
            )
        rows += [{"old": o, "new": new[0], "logged": r["Date"]} for o in olds]
    return pd.DataFrame(rows, columns=["old", "new", "logged"])


def _read_stp_sheet(path: Path, sheet: str) -> pd.DataFrame:
    df = read_excel(path, sheet, header_contains=["ODS STP Code", "ONS STP Code", "STP Footprint no"])
    df = df.dropna(subset=["STP Name"])
    out = pd.DataFrame(
        {
            "ods": df["ODS STP Code"].astype(str).str.strip(),
            "footprint_no": to_number(df["STP Footprint no"], path, "STP Footprint no", integer=True).to_numpy(),
            "gss": df["ONS STP Code"].astype(str).str.strip(),
            "name": df["STP Name"].astype(str).str.strip(),
        }
    )
    return out.reset_index(drop=True)


def read_current_stps(path: Path) -> pd.DataFrame:
    """STP partner mapping, sheet "Current STPs": the 42 STPs of April 2019 (``ods``,
    ``footprint_no``, ``gss``, ``name``)."""
    return _read_stp_sheet(path, "Current STPs")


def read_closed_stps(path: Path) -> pd.DataFrame:
    """STP partner mapping, sheet "Closed STP codes": the STPs that merged (columns as
    :func:`read_current_stps`)."""
    return _read_stp_sheet(path, "Closed STP codes")


def read_footprints_2016(path: Path) -> pd.DataFrame:
    """STP partner mapping, sheet "ONS STP-CCG mapping": the 44 footprints of March 2016.

    The sheet has two side-by-side lists: ONS's (column "ONS Mapping": footprint code, then one
    CCG code per row) and ODS's (footprint code, name, stated number of CCGs, region, CCG names).
    CCG membership is taken from the ONS list; name, region and stated count from the ODS side.
    Returns one row per footprint with a ``ccgs`` list."""
    sheet = "ONS STP-CCG mapping"
    df = read_excel(path, sheet, header_contains=["ONS Mapping", "ONS STP Code", "Footprint name", "Number of CCGs"])
    hdr = df.attrs["header_row"]
    cols = list(df.columns)
    ccg_col = cols[cols.index("ONS Mapping") + 1]
    fp = df["ONS Mapping"].ffill()
    mem = pd.DataFrame({"gss": fp, "ccg": df[ccg_col]}).dropna()
    mem["ccg"] = mem["ccg"].astype(str).str.strip()
    bad = ~mem["ccg"].str.fullmatch(CCG_CODE) | ~mem["gss"].astype(str).str.fullmatch(r"E54\d{6}")
    if bad.any():
        i = bad[bad].index[0]
        raise DataError(
            path,
            f"sheet {sheet!r}, row {hdr + 1 + i}, columns 1-2",
            "an ONS STP code (E54…) and an ODS CCG code",
            f"{mem.loc[i, 'gss']!r}, {mem.loc[i, 'ccg']!r}",
        )
    ods = df[["ONS STP Code", "Footprint name", "Number of CCGs", "Region"]].dropna(subset=["Footprint name"])
    ods = ods.assign(gss=ods["ONS STP Code"].astype(str).str.strip())
    out = []
    for gss, g in mem.groupby("gss", sort=True):
        meta = ods[ods["gss"] == gss]
        if len(meta) != 1:
            raise DataError(
                path, f"sheet {sheet!r}, column 'ONS STP Code'", f"one footprint row for {gss}", f"{len(meta)} rows"
            )
        m = meta.iloc[0]
        out.append(
            {
                "gss": gss,
                "name": " ".join(str(m["Footprint name"]).split()),
                "n_stated": int(
                    to_number(pd.Series([m["Number of CCGs"]]), path, "Number of CCGs", integer=True).iloc[0]
                ),
                "region": str(m["Region"]).strip(),
                "ccgs": sorted(set(g["ccg"])),
            }
        )
    return pd.DataFrame(out)


# --- GP practice mapping (Patients registered at a GP practice), September 2020

UNALLOCATED = "U"
_PRACTICE_COLS = [
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "CCG_CODE",
    "ONS_CCG_CODE",
    "STP_CODE",
    "ONS_STP_CODE",
    "COMM_REGION_CODE",
    "EXTRACT_DATE",
]


def read_practice_map(path) -> pd.DataFrame:
    """Each GP practice with its PCN (empty for 'U', Unallocated), CCG, STP and region; names as
    published. A repeated practice, a CCG in two STPs, an STP in two regions or more than one extract
    date is an error."""
    df = read_csv(path, columns=_PRACTICE_COLS)
    require_values(df, [c for c in _PRACTICE_COLS if c != "PRACTICE_POSTCODE"], path)
    dates = df["EXTRACT_DATE"].unique()
    if len(dates) != 1:
        raise DataError(path, "column 'EXTRACT_DATE'", "one extract date for every practice", list(dates)[:3])
    dup = df["PRACTICE_CODE"].duplicated(keep=False)
    if dup.any():
        pos = dup.to_numpy().nonzero()[0][:2]
        raise DataError(
            path,
            f"lines {pos[0] + 2} and {pos[1] + 2}, column 'PRACTICE_CODE'",
            "each practice once",
            repr(df["PRACTICE_CODE"].iloc[pos[0]]),
        )
    # practices in no network carry the code "U" ("Unallocated")
    df["PCN_CODE"] = df["PCN_CODE"].str.strip()
    unallocated = df["PCN_CODE"] == UNALLOCATED
    df.loc[unallocated, ["PCN_CODE", "PCN_NAME"]] = None
    # a CCG lies in one STP, an STP in one region: a file that breaks this is not the published mapping
    # (a few PCNs span two CCGs, as published)
    for child, parent in (("CCG_CODE", "STP_CODE"), ("STP_CODE", "COMM_REGION_CODE")):
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
    return pd.DataFrame(
        {
            "practice_code": df["PRACTICE_CODE"].str.strip(),
            "practice_name": df["PRACTICE_NAME"].str.strip(),
            "postcode": df["PRACTICE_POSTCODE"].str.strip(),
            "pcn_code": df["PCN_CODE"],
            "pcn_name": df["PCN_NAME"].str.strip(),
            "ccg_code": df["CCG_CODE"].str.strip(),
            "ccg_gss_code": df["ONS_CCG_CODE"].str.strip(),
            "icb_code": df["STP_CODE"].str.strip(),
            "region_code": df["COMM_REGION_CODE"].str.strip(),
        }
    )


# --- STP partner mapping: trust partners of each STP, and the trust list

_STP_SHEET = "Current STPs"
_TRUST_SHEET = "Trusts"


def read_stp_trust_partners(path) -> pd.DataFrame:
    """One row per trust partner of each STP (sheet 'Current STPs'). A trust row whose STP code is
    blank belongs to the STP of the rows either side when both are the same; otherwise the build stops."""
    cols = ["ODS STP Code", "Trusts", "ODS Trust Code"]
    df = read_excel(path, _STP_SHEET, header_contains=cols)
    require_columns(df, cols, path, f"sheet {_STP_SHEET!r}")
    line0 = df.attrs.get("header_row", 1) + 1
    stp = df["ODS STP Code"].astype("string").str.strip()
    known = stp.where(stp.notna() & (stp != ""))
    before, after = known.ffill(), known.bfill()
    blank = known.isna() & df["ODS Trust Code"].notna()
    bad = blank & (before != after)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            path,
            f"sheet {_STP_SHEET!r}, row {pos + line0}, column 'ODS STP Code'",
            "an STP code (or blank between two rows of the same STP)",
            "a blank between different STPs",
        )
    t = df[df["ODS Trust Code"].notna()].copy()
    t["stp_code"] = known.fillna(before)[t.index]
    t["trust_code"] = t["ODS Trust Code"].astype(str).str.strip()
    t["row"] = t.index + line0
    badcode = ~t["trust_code"].str.fullmatch(r"[RT][A-Z0-9]{2}")
    if badcode.any():
        r = t[badcode].iloc[0]
        raise DataError(
            path,
            f"sheet {_STP_SHEET!r}, row {r['row']}, column 'ODS Trust Code'",
            "a trust code like RX8",
            repr(r["trust_code"]),
        )
    badstp = ~t["stp_code"].str.fullmatch(ICB_CODE)
    if badstp.any():
        r = t[badstp].iloc[0]
        raise DataError(
            path,
            f"sheet {_STP_SHEET!r}, row {r['row']}, column 'ODS STP Code'",
            "an STP code like QF7",
            repr(r["stp_code"]),
        )
    t["trust_name"] = t["Trusts"].astype(str).str.strip()
    t["stp_code_filled"] = blank[t.index]
    dup = t.duplicated(["stp_code", "trust_code"], keep=False)
    if dup.any():
        r = t[dup].iloc[:2]
        raise DataError(
            path,
            f"sheet {_STP_SHEET!r}, rows {r['row'].iloc[0]} and {r['row'].iloc[1]}",
            "each trust once per STP",
            f"{r['trust_code'].iloc[0]} twice in {r['stp_code'].iloc[0]}",
        )
    return t[["stp_code", "trust_code", "trust_name", "stp_code_filled"]].reset_index(drop=True)


def read_stp_trust_hq(path) -> dict[str, str]:
    """Each trust's own STP in the 'Trusts' sheet (column HLHG)."""
    df = read_excel(path, _TRUST_SHEET, header_contains=["ORG CODE", "HLHG"])
    require_columns(df, ["ORG CODE", "HLHG"], path, f"sheet {_TRUST_SHEET!r}")
    return {str(c).strip(): str(h).strip() for c, h in zip(df["ORG CODE"], df["HLHG"]) if pd.notna(h)}
