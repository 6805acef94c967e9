"""NHS workforce: national headcount by staff and role group (2009-2022), managers FTE by
organisation (2009-2018) and staff FTE/headcount by organisation and staff group (2017, 2018, 2025)."""

from __future__ import annotations

import re

import pandas as pd

from nhsreport import paths
from nhsreport.build.readers.kh03 import read_kh03_annual, read_kh03_quarterly
from nhsreport.build.readers.ods import (
    PROVIDER_TYPES,
    ccg_mergers_2019,
    final_successors,
    read_ccg_stp_reffile,
    read_change_paths,
    read_eccg,
    read_etr,
    read_provider_types,
    read_stp_change_log,
    read_successor_lookup,
)
from nhsreport.build.readers.ons import read_ccg13, read_crosswalk
from nhsreport.build.readers.workforce import read_ethnicity_workforce, read_hchs_fte, read_managers_fte, read_turnover
from nhsreport.errors import DataError
from nhsreport.formatting import tidy_name
from nhsreport.schema import ICB_CODE, REGIONS, SERVICE_TRUST_TYPES, Dataset, Field

# --------------------------------------------------------------------------------------------
# names and shared lookups
# --------------------------------------------------------------------------------------------

# The ten strategic health authorities of July 2006 - March 2013 (ODS codes Q30-Q39).
SHA_NAMES = {
    "Q30": "North East SHA",
    "Q31": "North West SHA",
    "Q32": "Yorkshire and the Humber SHA",
    "Q33": "East Midlands SHA",
    "Q34": "West Midlands SHA",
    "Q35": "East of England SHA",
    "Q36": "London SHA",
    "Q37": "South East Coast SHA",
    "Q38": "South Central SHA",
    "Q39": "South West SHA",
}


def provider_types(path) -> pd.DataFrame:
    """The provider type file as organisation code, tidied name and report type."""
    pt = read_provider_types(path)
    return pd.DataFrame(
        {
            "org_code": pt["org_code"],
            "org_name": pt["org_name"].map(tidy_name),
            "org_type": pt["provider_type"].map(PROVIDER_TYPES),
        }
    )


def ods_names(table: pd.DataFrame) -> pd.DataFrame:
    """``code`` and tidied ``name`` of an ODS etr or eccg table."""
    return pd.DataFrame({"code": table["code"], "name": table["name"].map(tidy_name)})


def ccg13_names(path) -> pd.DataFrame:
    df = read_ccg13(path)
    return pd.DataFrame({"code": df["CCG13CDH"].str.strip(), "name": df["CCG13NM"].map(tidy_name)})


_BEDS = ("general_acute_on_beds_available", "mental_illness_on_beds_available", "learn_disabil_on_beds_available")


def kh03_latest(kh03: pd.DataFrame) -> pd.DataFrame:
    """Latest name of each organisation in a KH03 table and its bed mix (for types of closed trusts)."""
    df = kh03[["year", "org_code", "org_name", *_BEDS]].copy()
    for c in _BEDS:
        df[c] = df[c].fillna(0.0)
    df = df.sort_values(["org_code", "year"], kind="mergesort")
    last = df.groupby("org_code", sort=True).tail(1)
    beds = df.groupby("org_code")[list(_BEDS)].sum()
    out = last.set_index("org_code")[["org_name"]].join(beds)
    out["org_name"] = out["org_name"].map(tidy_name)
    return out


def successors_2018(ctx) -> dict[str, str]:
    """Final successor of each code: the ODS trust successor lookup, then the change paths."""
    successors = final_successors(read_successor_lookup(ctx.raw("trust_successor_lookup_2000_2018")))
    for k, v in final_successors(read_change_paths(ctx.raw("org_change_paths_2000_2018"))).items():
        successors.setdefault(k, v)
    return successors


# --------------------------------------------------------------------------------------------
# 1. workforce_national
# --------------------------------------------------------------------------------------------


def national_table(wide: pd.DataFrame) -> pd.DataFrame:
    """Role-group rows, staff-group sums and an 'All staff' sum per date."""
    roles = wide.assign(level="role group", staff_group=wide["role"], parent=wide["group"])
    vals = ["headcount", "headcount_incl_unknown_ethnicity"]
    groups = wide.groupby(["date", "group"], as_index=False)[vals].sum()
    groups = groups.assign(level="staff group", staff_group=groups["group"], parent="All staff")
    total = wide.groupby("date", as_index=False)[vals].sum().assign(level="total", staff_group="All staff", parent=None)
    cols = ["date", "level", "staff_group", "parent"] + vals
    out = pd.concat([total[cols], groups[cols], roles[cols]], ignore_index=True)
    for v in vals:
        out[v] = out[v].astype("Int64")
    return out.sort_values(["date", "staff_group"], kind="mergesort").reset_index(drop=True)


def build_workforce_national(ctx) -> pd.DataFrame:
    return national_table(read_ethnicity_workforce(ctx.raw("workforce_ethnicity_2009_2022")))


def _check_national(df: pd.DataFrame, label: str) -> None:
    """Managers + senior managers: 35,240 (Sep 2010) and 34,977 (Sep 2019), the figures behind
    IPPR's 35,200 -> 34,900 (published_management_figures, rows A5)."""
    for date, want in (("2010-09-01", 35240), ("2019-09-01", 34977)):
        d = df[(df["date"] == pd.Timestamp(date)) & df["staff_group"].isin(["Managers", "Senior managers"])]
        got = int(d["headcount"].sum())
        if got != want:
            raise DataError(label, f"date {date}, Managers + Senior managers", f"a headcount of {want:,}", f"{got:,}")


# --------------------------------------------------------------------------------------------
# 2. managers_by_org
# --------------------------------------------------------------------------------------------

MANAGER_ORG_TYPES = (*SERVICE_TRUST_TYPES, "PCT", "SHA", "CCG", "CSU/other")


def _bed_type(row) -> str | None:
    if row is None:
        return None
    ga = row["general_acute_on_beds_available"]
    mh = row["mental_illness_on_beds_available"] + row["learn_disabil_on_beds_available"]
    if not ga and not mh:
        return None
    return "mental health" if mh > ga else "acute"


def classify_org(code: str, types: dict, successors: dict, kh03: pd.DataFrame) -> tuple[str, str]:
    """(org_type, rule) for a code in the 2009-2018 managers file."""
    if code in types:
        return types[code], "provider list"
    if re.fullmatch(r"5[A-Z0-9]{2}", code):
        return "PCT", "code 5xx"
    if code in SHA_NAMES:
        return "SHA", "code Q30-Q39"
    if re.fullmatch(r"\d\d[A-Z]", code) and not re.fullmatch(r"0[A-D][A-Z]", code):
        return "CCG", "code 00C-99X"
    if re.fullmatch(r"R[A-Z0-9]{2}|TA[A-Z]", code):
        seen = set()
        c = code
        while c in successors and c not in seen:
            seen.add(c)
            c = successors[c]
            if c in types and types[c] != "CCG":
                return types[c], "successor's type"
        if code.startswith("TA"):
            return "PCT", "care trust"
        t = _bed_type(kh03.loc[code] if code in kh03.index else None)
        if t:
            return t, "KH03 bed mix"
    return "CSU/other", "other code"


def name_lookup(*tables: pd.DataFrame) -> dict[str, str]:
    """First name found for each code, in the order of the tables given."""
    names: dict[str, str] = {}
    for t in tables:
        for c, n in zip(t["code"], t["name"]):
            if isinstance(n, str) and n and c not in names:
                names[c] = n
    return names


def managers_table(mgr, provider, successors, kh03, names) -> pd.DataFrame:
    types = dict(zip(provider["org_code"], provider["org_type"]))
    cls = {c: classify_org(c, types, successors, kh03) for c in sorted(mgr["org_code"].unique())}
    out = mgr.copy()
    out["org_type"] = out["org_code"].map(lambda c: cls[c][0])
    out["type_rule"] = out["org_code"].map(lambda c: cls[c][1])
    out["org_name"] = out["org_code"].map(names)
    out["successor_code"] = out["org_code"].map(successors)
    cols = [f.name for f in MANAGERS_FIELDS]
    return out[cols].sort_values(["year", "org_code"]).reset_index(drop=True)


def build_managers_by_org(ctx) -> pd.DataFrame:
    mgr = read_managers_fte(ctx.raw("managers_fte_by_org_2009_2018"))
    provider = provider_types(ctx.raw("provider_org_types"))
    successors = successors_2018(ctx)
    k1 = kh03_latest(read_kh03_annual(ctx.raw("kh03_beds_2000_2010")))
    k2 = kh03_latest(read_kh03_quarterly(ctx.raw("kh03_beds_2010_2024")))
    kh03 = pd.concat([k2, k1[~k1.index.isin(k2.index)]])
    beds_latest = kh03.reset_index().rename(columns={"org_code": "code", "org_name": "name"})
    names = name_lookup(
        provider.rename(columns={"org_code": "code", "org_name": "name"}),
        ods_names(read_etr(ctx.raw("ods_etr_2026_06"))),
        ods_names(read_etr(ctx.raw("ods_etr_2020_10"))),
        ods_names(read_eccg(ctx.raw("ods_eccg_2018_11"))),
        ccg13_names(ctx.raw("ccg13_names_codes")),
        beds_latest,
        pd.DataFrame({"code": list(SHA_NAMES), "name": list(SHA_NAMES.values())}),
    )
    return managers_table(mgr, provider, successors, kh03, names)


def published_managers_2016() -> float:
    """NHS Digital's managers plus senior managers FTE of September 2016, as published (rows A10a
    and A10b of the curated table ``published_management_figures``)."""
    from nhsreport.build.datasets.curated import PUBLISHED_MANAGEMENT_FIGURES, parse_curated

    t = parse_curated(paths.CURATED / "published_management_figures.csv", PUBLISHED_MANAGEMENT_FIGURES)
    rows = t[t["id"].isin(["A10a", "A10b"])]
    if len(rows) != 2:
        raise DataError(
            paths.CURATED / "published_management_figures.csv", "column 'id'", "rows A10a and A10b", sorted(rows["id"])
        )
    return float(rows["value"].astype(float).sum())


def _check_managers(df: pd.DataFrame, label: str) -> None:
    """The September 2016 total must be within 0.5% of NHS Digital's published figure."""
    got = df.loc[df["year"] == 2016, "managers_fte"].sum()
    published = published_managers_2016()
    if abs(got - published) > 0.005 * published:
        raise DataError(
            label,
            "year 2016, column 'managers_fte'",
            f"a total within 0.5% of {published:,.0f} FTE (published)",
            f"{got:,.0f}",
        )


MANAGERS_FIELDS = (
    Field("year", "integer", "Year of the September snapshot.", minimum=2009, maximum=2018),
    Field("org_code", "string", "ODS code of the employing organisation, as in the source."),
    Field(
        "org_name", "string", "Name of the organisation (empty where no name source covers the code).", required=False
    ),
    Field("org_type", "string", "Type of organisation (see the method for how it is derived).", enum=MANAGER_ORG_TYPES),
    Field(
        "type_rule",
        "string",
        "Which rule gave org_type.",
        enum=(
            "provider list",
            "code 5xx",
            "code Q30-Q39",
            "code 00C-99X",
            "successor's type",
            "care trust",
            "KH03 bed mix",
            "other code",
        ),
    ),
    Field(
        "successor_code",
        "string",
        "Final successor code in the ODS successor file, where the organisation closed or merged by 2018.",
        required=False,
    ),
    Field(
        "managers_fte",
        "number",
        "Managers and senior managers, full-time equivalent (basic definition).",
        unit="FTE",
        minimum=0,
    ),
)

# --------------------------------------------------------------------------------------------
# 3. staff_by_org
# --------------------------------------------------------------------------------------------

STAFF_ORG_TYPES = (*SERVICE_TRUST_TYPES, "ICB", "CCG")
# harmonised staff groups: published name (lower case) -> standard name
STD_GROUPS = {
    "all staff groups": "All staff",
    "managers": "Managers",
    "senior managers": "Senior managers",
    "hchs doctors": "HCHS doctors",
    "hchs doctors (exc. resident doctors and equivalents)": "HCHS doctors excluding resident doctors",
    "nurses & health visitors": "Nurses & health visitors",
    "midwives": "Midwives",
    "ambulance staff": "Ambulance staff",
    "scientific, therapeutic & technical staff": "Scientific, therapeutic & technical staff",
    "support to doctors, nurses & midwives": "Support to doctors, nurses & midwives",
    "support to ambulance staff": "Support to ambulance staff",
    "support to st&t staff": "Support to ST&T staff",
    "central functions": "Central functions",
    "hotel, property & estates": "Hotel, property & estates",
    "unknown": "Unknown",
    "unknown classification": "Unknown",
}


def _std_group(name: str) -> str:
    return STD_GROUPS.get(str(name).strip().lower(), str(name).strip())


def staff_table(
    hchs, turnover_frames, provider, icb_of, icb_region, trust_types=None, hchs_path="HCHS staff file"
) -> pd.DataFrame:
    """The 2017/18 rows typed from the organisation list of about 2018, then from ``trust_types``
    (code -> type of the trusts dataset, for trusts formed after the list, e.g. R0A in October 2017),
    then CCG codes (00C-99X). An organisation with staff and no type stops the build (DataError
    naming ``hchs_path``, the organisation and the date): it must not drop out of the type totals."""
    types = dict(zip(provider["org_code"], provider["org_type"]))
    trust_types = trust_types or {}

    def t17(code):
        if code in types:
            return types[code]
        if code in trust_types:
            return trust_types[code]
        if re.fullmatch(r"\d\d[A-Z]", code):
            return "CCG"
        return None

    h = hchs.copy()
    h["org_type"] = h["org_code"].map(t17)
    untyped = h[h["org_type"].isna()]
    if not untyped.empty:
        r = untyped.sort_values(["date", "org_code"]).iloc[0]
        raise DataError(
            hchs_path,
            f"organisation {r['org_code']} ({r['org_name']}), {r['date']:%B %Y}",
            "an organisation type from the organisation list of about 2018, the trusts dataset or a CCG code",
            f"no type for {untyped['org_code'].nunique()} organisation(s) with staff: "
            f"{sorted(untyped['org_code'].unique())}",
        )
    h["icb_code"] = h["org_code"].map(icb_of)
    h["region_code"] = h["icb_code"].map(icb_region)
    out = pd.concat([h] + list(turnover_frames), ignore_index=True)
    out["staff_group_std"] = out["staff_group"].map(_std_group)
    out["headcount"] = out["headcount"].astype("Int64")
    cols = [f.name for f in STAFF_FIELDS]
    return out[cols].sort_values(["date", "org_code", "staff_group"]).reset_index(drop=True)


def icb_lookup_2017(ctx, turnover: pd.DataFrame) -> dict[str, str]:
    """ICB (ODS Qxx) of each organisation in the 2017/18 file: CCGs through the 2021 crosswalk or
    the April 2020 CCG-STP file (after following mergers); trusts through the ODS trust files or,
    for trusts that have since merged, their successor; and any code still reporting in 2025."""
    cross = read_crosswalk(ctx.raw("ccg21_icb22_crosswalk"))
    icbs = set(cross["ICB22CDH"])
    icb_of: dict[str, str] = {}
    for code, icb in zip(turnover["org_code"], turnover["icb_code"]):
        icb_of.setdefault(code, icb)
    for code, icb in zip(cross["CCG21CDH"], cross["ICB22CDH"]):
        icb_of.setdefault(code, icb)
    ref = read_ccg_stp_reffile(ctx.raw("ccg_stp_reffile_2020"))["pre"]
    for code, stp in zip(ref["CCG Code"], ref["STP Code"]):
        if stp in icbs:
            icb_of.setdefault(code, stp)
    for src in ("ods_etr_2020_10", "ods_etr_2026_06"):
        ods = read_etr(ctx.raw(src))
        for code, hlhg in zip(ods["code"], ods["icb"]):
            if isinstance(hlhg, str) and hlhg.strip() in icbs:
                icb_of.setdefault(code, hlhg.strip())
    succ = successors_2018(ctx)
    log_path = ctx.raw("ods_stp_partner_mapping_2019")
    m19 = ccg_mergers_2019(read_stp_change_log(log_path), log_path)
    succ.update(dict(zip(m19["old"], m19["new"])))
    for code in list(succ):
        if code not in icb_of and succ[code] in icb_of:
            icb_of[code] = icb_of[succ[code]]
    return icb_of


def build_staff_by_org(ctx) -> pd.DataFrame:
    frames = [read_turnover(ctx.raw(s)) for s in ("turnover_benchmarking_2025_10", "turnover_benchmarking_2025_11")]
    turnover = pd.concat(frames, ignore_index=True)
    icb_region = dict(zip(turnover["icb_code"], turnover["region_code"]))
    icb_of = icb_lookup_2017(ctx, turnover)
    hchs_path = ctx.raw("hchs_fte_by_org_2017_2018")
    hchs = read_hchs_fte(hchs_path)
    provider = provider_types(ctx.raw("provider_org_types"))
    trusts = ctx.dataset("trusts")
    trust_types = dict(zip(trusts["org_code"], trusts["trust_type"]))
    return staff_table(hchs, frames, provider, icb_of, icb_region, trust_types, hchs_path)


def _check_staff(df: pd.DataFrame, label: str) -> None:
    """Nov 2025, all 205 trusts and 42 ICBs: managers + senior managers 40,251 FTE of 1,331,554
    (published_management_figures, rows A4)."""
    d = df[df["date"] == pd.Timestamp("2025-11-30")]
    mgr = d.loc[d["staff_group_std"].isin(["Managers", "Senior managers"]), "fte"].sum()
    allf = d.loc[d["staff_group_std"] == "All staff", "fte"].sum()
    if round(mgr) != 40251 or round(allf) != 1331554:
        raise DataError(
            label, "date 2025-11-30", "managers + senior managers 40,251 FTE of 1,331,554", f"{mgr:,.0f} of {allf:,.0f}"
        )


STAFF_FIELDS = (
    Field("date", "date", "Date of the staff-in-post snapshot."),
    Field("org_code", "string", "ODS code of the employing organisation."),
    Field("org_name", "string", "Name of the organisation."),
    Field("org_type", "string", "Type of organisation.", enum=STAFF_ORG_TYPES),
    Field(
        "icb_code",
        "string",
        "ODS code of the integrated care board of the organisation's ICS (2022 ICBs), where known.",
        required=False,
        pattern=ICB_CODE,
    ),
    Field(
        "region_code", "string", "ODS code of the NHS England region, where known.", required=False, enum=tuple(REGIONS)
    ),
    Field("staff_group", "string", "Staff group as published."),
    Field(
        "staff_group_std",
        "string",
        "Staff group harmonised across the two sources (e.g. 'Managers', 'Senior managers', 'All staff').",
    ),
    Field("fte", "number", "Full-time equivalent staff.", unit="FTE", required=False, minimum=0),
    Field("headcount", "integer", "Headcount (2025 only).", unit="persons", required=False, minimum=0),
)

# --------------------------------------------------------------------------------------------
# declarations
# --------------------------------------------------------------------------------------------

NATIONAL_FIELDS = (
    Field(
        "date",
        "date",
        "Month of the snapshot, as given in the source (the first of the month; the statistics count staff at the end of that month).",
    ),
    Field("level", "string", "Level of the row.", enum=("total", "staff group", "role group")),
    Field("staff_group", "string", "Name of the total, broad staff group or role group (sentence case)."),
    Field(
        "parent",
        "string",
        "The broad staff group a role group belongs to ('All staff' for a broad group; empty for the total).",
        required=False,
    ),
    Field(
        "headcount",
        "integer",
        "Headcount of staff with a recorded ethnicity (source rows Ethnicity = All, Grade = All Grades).",
        unit="persons",
        minimum=0,
    ),
    Field(
        "headcount_incl_unknown_ethnicity",
        "integer",
        "Headcount including staff whose ethnicity is unknown, not stated or recorded with a discontinued code.",
        unit="persons",
        minimum=0,
    ),
)

DATASETS = [
    Dataset(
        name="workforce_national",
        title="NHS staff headcount by staff group and role, September 2009 to June 2022",
        description="Headcount of staff in NHS trusts and CCGs in England by broad staff group and role group "
        "(including managers and senior managers), annually each September 2009-2020 then quarterly to June 2022.",
        fields=NATIONAL_FIELDS,
        primary_key=("date", "staff_group"),
        sources=("workforce_ethnicity_2009_2022",),
        build=build_workforce_national,
        as_of="2022-06",
        rows=(19 * 18, 19 * 18),
        checks=(_check_national,),
        method=(
            "The Race Disparity Unit workbook is read and restricted to Grade = 'All Grades'. `headcount` takes the rows "
            "Ethnicity = 'All', `headcount_incl_unknown_ethnicity` the rows 'All - Including Unknown, Not Stated And "
            "Discontinued Codes'. The workbook has one row per role group (13 of them, each within one of four broad "
            "staff groups) and no totals: the broad staff group rows and the 'All staff' row are sums of the role groups. "
            "Names are put in sentence case (e.g. 'Senior managers', 'HCHS doctors'). Managers + senior managers give "
            "35,240 in September 2010 and 34,977 in September 2019, the figures IPPR rounded to 35,200 and 34,900."
        ),
        caveats=(
            "Ethnicity = 'All' covers only staff with a recorded ethnicity (it equals the sum of the six ethnic groups); "
            "staff with unknown or not-stated ethnicity are added in the second headcount column, which is 4.5-5.5% higher. "
            "A person working in more than one role group is counted once in each, so the 'All staff' row is the sum "
            "of role-group headcounts, slightly more than the number of distinct people. "
            "The series covers NHS trusts and CCGs only: support organisations and central bodies (NHS England, "
            "CSUs, arm's-length bodies) are excluded. "
            "There are steps that look like reclassifications rather than real change: between September 2019 and "
            "September 2020 Managers fell from 24,152 to 21,600 (-2,552) while Senior managers rose from 10,825 to "
            "11,265 (+440); and between September 2018 and September 2019 Ambulance staff fell from 21,479 to 16,733. "
            "The 2013 fall in managers reflects the abolition of PCTs and SHAs, whose staff partly moved to bodies "
            "outside the scope of these statistics."
        ),
    ),
    Dataset(
        name="managers_by_org",
        title="Managers and senior managers (FTE) by organisation, September 2009 to 2018",
        description="Full-time equivalent managers and senior managers in each NHS organisation (trusts, PCTs, SHAs, "
        "CCGs, CSUs and others) at each September 2009-2018, with organisation type and name.",
        fields=MANAGERS_FIELDS,
        primary_key=("year", "org_code"),
        sources=(
            "managers_fte_by_org_2009_2018",
            "provider_org_types",
            "trust_successor_lookup_2000_2018",
            "org_change_paths_2000_2018",
            "ods_etr_2026_06",
            "ods_etr_2020_10",
            "ods_eccg_2018_11",
            "ccg13_names_codes",
            "kh03_beds_2000_2010",
            "kh03_beds_2010_2024",
        ),
        build=build_managers_by_org,
        as_of="2018-09",
        rows=(4000, 5000),
        checks=(_check_managers,),
        method=(
            "FTE values are the replication data's SIMPLE_MANAGERS_FTE (the ESR staff groups Managers and Senior "
            "managers). The organisation type is derived in this order: (1) the organisation list of about 2018 "
            "(codes stripped of trailing spaces) gives acute, mental health, community, ambulance or CCG; "
            "(2) codes 5xx are primary care trusts (PCT); (3) codes Q30-Q39 are the ten strategic health authorities "
            "(SHA) of 2006-2013; (4) codes of two digits and a letter (00C-99X) are CCGs; (5) other trust codes (Rxx) and "
            "care trust codes (TAx) take the type of their final successor in the ODS successor files, or else, from "
            "their KH03 beds, mental health if mental illness beds outnumber general and acute beds, otherwise acute; "
            "(6) everything else is CSU/other: commissioning support units (0Ax, 0Cx, 0Dx), national bodies (Xxx, e.g. "
            "X24 NHS England, X26 the Health and Social Care Information Centre), independent and social-enterprise "
            "providers (Nxx), special health authorities (T plus four digits) and a few unidentified codes. "
            "`type_rule` records which rule applied. Names come from, in order: the organisation list, the ODS trust "
            "files of 2026 and 2020, the ODS CCG file of 2018, the ONS CCG names of 2013, the latest name in the KH03 "
            "bed returns and the SHA names; names published in capitals are put in title case."
        ),
        caveats=(
            "The series breaks in 2013, when PCTs and SHAs were abolished: PCT and SHA rows stop in 2012 (a few remain "
            "in 2013 with small values), CCGs and CSUs start in 2013, and NHS England and other national bodies appear "
            "in 2013-2015. From 2016 the file holds only trusts and CCGs, which is the scope of NHS Digital's published "
            "figures: the September 2016 total is 30,592 FTE against the published 21,000 managers + 9,610 senior "
            "managers = 30,610. Totals before 2016 include CSUs and national bodies and are not comparable with later "
            "years. Some organisation types are inferred (see `type_rule`): a trust whose successor is of a different "
            "type, or whose bed mix is misleading, may be misclassified. About 115 codes (CSUs, PCTs that had no beds, "
            "non-NHS providers and national bodies) have no name in any of the files used."
        ),
    ),
    Dataset(
        name="staff_by_org",
        title="Staff FTE and headcount by organisation and staff group: September 2017, June 2018, October and November 2025",
        description="Staff in post in each NHS trust and CCG (2017, 2018) or trust and ICB (2025) by staff group, "
        "with organisation type, ICB and region, and a staff group harmonised across the sources.",
        fields=STAFF_FIELDS,
        primary_key=("date", "org_code", "staff_group"),
        sources=(
            "hchs_fte_by_org_2017_2018",
            "turnover_benchmarking_2025_10",
            "turnover_benchmarking_2025_11",
            "provider_org_types",
            "ccg21_icb22_crosswalk",
            "ccg_stp_reffile_2020",
            "ods_etr_2020_10",
            "ods_etr_2026_06",
            "trust_successor_lookup_2000_2018",
            "org_change_paths_2000_2018",
        ),
        build=build_staff_by_org,
        as_of="2025-11-30",
        rows=(12000, 16000),
        foreign_keys={"icb_code": ("icbs", "icb_code")},
        depends=("trusts",),
        checks=(_check_staff,),
        method=(
            "30 September 2017 and 30 June 2018: the NHS Digital file gives FTE by organisation, staff group and "
            "nationality; FTE is summed over nationality, and an 'All staff groups' row is added as the sum of the staff "
            "groups. It has no headcount. Organisation types come from the organisation list of about 2018, then, for "
            "trusts formed after it (Manchester University NHS FT, R0A, from October 2017), from the trusts dataset; "
            "codes like 00C-99X not in either are CCGs. An organisation with staff and no type stops the build, so "
            "that none drops out of the totals by type. The ICB is found, in order, from the organisation's own code "
            "in the 2025 "
            "files, the ONS CCG 2021 to ICB 2022 lookup, the April 2020 CCG-to-STP reference file, the ODS trust files "
            "of 2020 and 2026 (STP codes equal to a 2022 ICB code), and else from the ICB of the organisation's "
            "successor (ODS successor files, plus the April 2019 Derbyshire and Devon CCG mergers); the region is that "
            "of the ICB. "
            "31 October and 30 November 2025: the NHS England turnover benchmarking files, rows TYPE = 'Denominator at "
            "end of period' (staff in post at the end of the month), with HC and FTE, the organisation's ICS (ODS "
            "ICB code) and region as published, and the type from CLUSTER_GROUP. "
            "`staff_group_std` maps both sources' names to one list ('All staff groups' -> 'All staff'). "
            "The November 2025 check: managers + senior managers = 40,251 FTE out of 1,331,554 FTE 'All staff groups', "
            "summing the rows of all 247 organisations (205 trusts and 42 ICBs) for those staff groups."
        ),
        caveats=(
            "The 2025 'All staff groups' totals and the doctors group exclude resident doctors (doctors in training), "
            "which the 2017/18 figures include, so 'All staff' and doctors are not like for like across the two "
            "sources (the 2025 doctors group is kept apart as 'HCHS doctors excluding resident doctors'). "
            "The 2025 headcount of 'All staff groups' counts each person once and is less than the sum of the "
            "staff-group headcounts. In 2017/18 FTE was adjusted by NHS Digital to prevent disclosure and rounded; "
            "in 2025 staff groups an organisation does not employ have no row. Cells suppressed in the source would "
            "be left empty; the files used contain none. The 2017/18 organisations are NHS trusts and CCGs; the 2025 "
            "ones trusts and ICBs (CCGs were abolished in July 2022), so organisation counts differ. ICBs of 2017/18 "
            "organisations are those of their 2022 ICB footprint, which did not exist at the time."
        ),
    ),
]
