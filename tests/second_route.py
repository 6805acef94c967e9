"""A second route to the report's key figures, for tests/test_second_route.py.

Every figure here is recomputed from the official files in ``data/raw`` (and, for the few published
facts the report takes from them, the hand-maintained tables in ``data/curated``) with plain pandas,
openpyxl and calamine. Nothing here imports a builder, reader or analysis function of ``nhsreport``:
the point is that a mistake in one of those cannot reach both routes. The definitions follow what
each page says it counts, so where the two routes disagree, one of them has misread the source.

Each raw file is read once per test run (``functools.cache``).
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from nhsreport.publish.book.chapter import prose_numbers

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CURATED = ROOT / "data" / "curated"
BOOK = ROOT / "book"
EXECUTED = ROOT / "_build" / "jupyter_execute" / "book"


def raw_path(rel: str) -> Path:
    return RAW / rel


# --------------------------------------------------------------------------------------------
# what the pages say: glued values and the key points that quote them
# --------------------------------------------------------------------------------------------


def _keypoints_text(nb_path: Path) -> str:
    """The text of the chapter's "Key points" admonition (the first markdown block that opens one)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "{admonition} Key points" in src:
            start = src.index("{admonition} Key points")
            end = src.find("```", start)
            return src[start : end if end > 0 else None]
    return ""


def _findings_text(index_md: Path) -> str:
    """The "Key findings" section of the front page."""
    text = index_md.read_text(encoding="utf-8")
    start = text.index("## Key findings")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def key_figures() -> list[tuple[str, str, str, str]]:
    """(page, chapter, glue key, format spec) of every glued figure in the chapters' key points
    and the front page's key findings, in page order, without repeats."""
    out, seen = [], set()
    pages = [(p.stem, _keypoints_text(p)) for p in sorted(BOOK.glob("0*.ipynb"))]
    pages.append(("index", _findings_text(BOOK / "index.md")))
    for page, text in pages:
        for _, doc, key, spec in prose_numbers(text):
            chapter = doc or page
            item = (page, chapter, key, spec)
            if item[:3] not in seen:
                seen.add(item[:3])
                out.append(item)
    return out


@functools.cache
def glued(chapter: str) -> dict:
    """Glued values of one executed chapter: glue key -> Python value (numbers and strings)."""
    path = EXECUTED / f"{chapter}.glue.json"
    out = {}
    for name, rec in json.loads(path.read_text(encoding="utf-8")).items():
        text = rec.get("data", {}).get("text/plain")
        if text is None:
            continue
        try:
            out[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            out[name] = text
    return out


# --------------------------------------------------------------------------------------------
# raw files, read once
# --------------------------------------------------------------------------------------------


@functools.cache
def etr(name: str) -> pd.DataFrame:
    """An ODS trust file (no header): code, name, region, icb, open, close (YYYYMMDD strings, close
    empty while open) and, in the 2026 layout, gor (column 24; W = Wales)."""
    df = pd.read_csv(raw_path(f"nhs-ods/{name}"), header=None, dtype=str, keep_default_na=False)
    cols = {0: "code", 1: "name", 2: "region", 3: "icb", 10: "open", 11: "close"}
    if df.shape[1] > 23:
        cols[23] = "gor"
    df = df.rename(columns=cols)[list(cols.values())]
    return df.apply(lambda s: s.str.strip())


@functools.cache
def etr_like(name: str) -> pd.DataFrame:
    """Any headerless ODS file, every column as text (columns numbered from 0)."""
    return pd.read_csv(raw_path(f"nhs-ods/{name}"), header=None, dtype=str, keep_default_na=False)


def english_trusts_2026() -> pd.DataFrame:
    """The June 2026 trust file less the Welsh trusts and the temporary Nightingale trust (R0C,
    March 2020), which never ran services as a trust."""
    df = etr("etr-2026-06.csv")
    return df[(df["gor"] != "W") & (df["code"] != "R0C")]


def open_on(df: pd.DataFrame, day: str) -> pd.DataFrame:
    """Rows open on ``day`` (YYYYMMDD): ODS close dates are the last day of operation."""
    return df[(df["open"] <= day) & ((df["close"] == "") | (df["close"] >= day))]


@functools.cache
def managers_fte() -> pd.DataFrame:
    """Managers + senior managers FTE by organisation, September 2009-2018 (YEAR, ORG_CODE, FTE)."""
    df = pd.read_csv(
        raw_path("nhs-workforce/managers-fte-by-org-2009-2018.csv"), dtype={"ORG_CODE": str}, encoding="utf-8-sig"
    )
    df["ORG_CODE"] = df["ORG_CODE"].str.strip()
    return df.rename(columns={"SIMPLE_MANAGERS_FTE": "FTE"})


@functools.cache
def consultants_fte() -> pd.DataFrame:
    """Consultant FTE by organisation, September 2009-2018 (YEAR, ORG_CODE, FTE)."""
    df = pd.read_csv(
        raw_path("nhs-workforce/consultants-fte-by-org-2009-2018.csv"), dtype={"ORG_CODE": str}, encoding="utf-8-sig"
    )
    df["ORG_CODE"] = df["ORG_CODE"].str.strip()
    return df.rename(columns={"SIMPLE_CONSULTANTS_FTE": "FTE"})


@functools.cache
def provider_types() -> dict[str, str]:
    df = pd.read_csv(raw_path("nhs-workforce/provider-org-types.csv"), dtype=str, encoding="utf-8-sig")
    return dict(zip(df["ORG_CODE"].str.strip(), df["ORG_TYPE"].str.strip()))


@functools.cache
def final_successors() -> dict[str, str]:
    df = pd.read_csv(raw_path("nhs-org-changes/trust-successor-lookup-2000-2018.csv"), dtype=str)
    return dict(zip(df["old_code"], df["final_code"]))


@functools.cache
def change_paths() -> pd.DataFrame:
    return pd.read_csv(raw_path("nhs-org-changes/org-change-paths-2000-2018.csv"), dtype=str)


@functools.cache
def turnover(month: str) -> pd.DataFrame:
    """Staff in post at the end of ``month`` ("2025-10", "2025-11"): one row per organisation
    and staff group, FTE and HC as numbers."""
    df = pd.read_csv(raw_path(f"nhs-workforce/turnover-benchmarking-staff-group-org-{month}.csv"), dtype=str)
    df = df[df["TYPE"] == "Denominator at end of period"].copy()
    for c in ("FTE", "HC"):
        df[c] = pd.to_numeric(df[c])
    return df


@functools.cache
def turnover_by_org(month: str = "2025-11") -> pd.DataFrame:
    """Per organisation: cluster, ICS, managers + senior managers FTE and all staff FTE."""
    df = turnover(month)
    keys = ["REPORTING_ORG_CODE", "REPORTING_ORG_NAME", "CLUSTER_GROUP", "ICS_CODE", "ICS_NAME"]
    wide = df.pivot_table(index=keys, columns="STAFF_GROUP_1_NAME", values="FTE", aggfunc="sum").fillna(0.0)
    out = pd.DataFrame(
        {"managers": wide["Managers"] + wide["Senior managers"], "staff": wide["All staff groups"]}
    ).reset_index()
    return out


@functools.cache
def hchs() -> pd.DataFrame:
    """FTE by organisation, staff group and nationality, September 2017 and June 2018, with the
    snapshot as a date string."""
    df = pd.read_excel(
        raw_path("nhs-workforce/hchs-staff-by-group-nationality-org-2017-09_2018-06.xlsx"),
        sheet_name="Data",
        engine="calamine",
    )
    df["date"] = df["Month"].map({"2017-SEP": "2017-09-30", "2018-JUN": "2018-06-30"})
    return df


@functools.cache
def ethnicity_headcount() -> pd.DataFrame:
    """Headcount of staff with a recorded ethnicity, all grades: Time, Role_Group, Value."""
    df = pd.read_excel(raw_path("nhs-workforce/ethnicity-facts-nhs-workforce-2009-2022.xls"))
    return df[(df["Ethnicity"] == "All") & (df["Grade"] == "All Grades")]


def _sheet_rows(path: Path, sheet: str, header_cell: str) -> pd.DataFrame:
    """The table under the first row of ``sheet`` that has a cell equal to ``header_cell``,
    down to the first row with an empty first column after data started."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    top = next(i for i, r in enumerate(rows) if header_cell in r)
    header = [" ".join(str(c).split()) if c is not None else f"col{j}" for j, c in enumerate(rows[top])]
    return pd.DataFrame(rows[top + 1 :], columns=header)


@functools.cache
def allocations() -> pd.DataFrame:
    """Per ICB and financial year: running cost allowance (£k) and the population implied by the
    recurrent core allocation and its published £ per head."""
    files = {
        "2023/24": "icb-allocations-2023-24_2024-25.xlsx",
        "2024/25": "icb-allocations-2023-24_2024-25.xlsx",
        "2025/26": "icb-allocations-2025-26.xlsx",
    }
    rca_col = {"2023/24": "2023/24 £k", "2024/25": "2024/25 £k", "2025/26": "2025/26 (£k)"}
    parts = []
    for fy, f in files.items():
        path = raw_path(f"nhs-allocations/{f}")
        rca = _sheet_rows(path, "ICB running cost allowance", "ICB23")
        core = _sheet_rows(path, f"ICB Core Allocations {fy.replace('/', '-')}", "ICB23")
        rca = rca[rca["ICB23"].astype(str).str.fullmatch(r"Q[A-Z0-9]{2}")]
        core = core[core["ICB23"].astype(str).str.fullmatch(r"Q[A-Z0-9]{2}")]
        pop = (
            core[f"{fy} Recurrent allocation (£k)"].astype(float)
            * 1000
            / core[f"{fy} Recurrent allocation £/head"].astype(float)
        ).round(0)
        t = pd.DataFrame({"icb": rca["ICB23"].to_numpy(), "rca_k": rca[rca_col[fy]].astype(float).to_numpy()})
        t = t.merge(
            pd.DataFrame({"icb": core["ICB23"].to_numpy(), "population": pop.to_numpy()}), on="icb", validate="1:1"
        )
        t["year"] = fy
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


@functools.cache
def crosswalk() -> pd.DataFrame:
    return pd.read_csv(raw_path("ons-geography/ccg21-stp21-sicbl22-icb22-crosswalk.csv"), dtype=str)


@functools.cache
def lsoa_icb22() -> pd.DataFrame:
    """Every 2011 LSOA with its 2021 district and July 2022 ICB (ODS code). The lookup is on April
    2021 CCGs; three July 2022 moves cut across CCGs and are applied here to the LSOAs they moved
    (the crosswalk flags exactly these sub-ICB locations as changed): the Birmingham part of Black
    Country and West Birmingham CCG to Birmingham and Solihull, the High Peak part (Glossop) of
    Tameside and Glossop CCG to Derby and Derbyshire, and the North Northamptonshire part of
    Cambridgeshire and Peterborough CCG to Northamptonshire."""
    lk = pd.read_csv(raw_path("ons-geography/lsoa11-ccg21-lad21-lookup-2021-04.csv"), dtype=str, encoding="utf-8-sig")
    cw = crosswalk()
    icb = dict(zip(cw["CCG21CDH"], cw["ICB22CDH"]))
    # (CCG21 ODS code, district name) -> ICB22
    moves = {("D2P2L", "Birmingham"): "QHL", ("01Y", "High Peak"): "QJ2", ("06H", "North Northamptonshire"): "QPM"}
    lk["icb22"] = [moves.get((c, d), icb[c]) for c, d in zip(lk["CCG21CDH"], lk["LAD21NM"])]
    return lk


@functools.cache
def icb_population() -> pd.Series:
    """Mid-2020 population per July 2022 ICB (name from the crosswalk), summed over April 2021 CCGs
    (approximate for the six ICBs whose July 2022 boundaries cut CCGs)."""
    pop = pd.read_csv(raw_path("ons-population/ccg21-population-mid2020-agebands.csv"), dtype=str, encoding="utf-8-sig")
    cw = crosswalk()
    icb = dict(zip(cw["CCG21CD"], cw["ICB22CDH"]))
    p = pd.to_numeric(pop["All Ages"].str.replace(",", "")).groupby(pop["CCG Code"].map(icb)).sum()
    return p


def icb_names() -> dict[str, str]:
    """ODS ICB code -> short name ("NHS Somerset Integrated Care Board" -> "Somerset")."""
    cw = crosswalk().drop_duplicates("ICB22CDH")
    short = cw["ICB22NM"].str.replace(r"^NHS ", "", regex=True).str.replace(r" Integrated Care Board$", "", regex=True)
    return dict(zip(cw["ICB22CDH"], short))


@functools.cache
def workbook(rel: str) -> dict[str, pd.DataFrame]:
    return pd.read_excel(raw_path(rel), sheet_name=None, header=None, engine="calamine")


def curated(name: str) -> pd.DataFrame:
    return pd.read_csv(CURATED / f"{name}.csv")


# --------------------------------------------------------------------------------------------
# the figures, by second route
# --------------------------------------------------------------------------------------------

# Trusts that ran services but are missing from the ODS trust file of June 2026, with the evidence
# (code, name, last day of operation, source).
TRUSTS_MISSING_FROM_ODS = (
    (
        "RX5",
        "Great Western Ambulance Service NHS Trust",
        "20130131",
        "staff in the NHS workforce files every September 2009-2012 (managers-fte-by-org); merged into South "
        "Western Ambulance Service (RYF) on 1 February 2013 according to the ODS successor file "
        "(org-change-paths-2000-2018)",
    ),
)

# Trusts closed since April 2012 that no successor file or merger list passes to another trust, so
# they are not "dissolved into other trusts": NHS Direct (closed 31 March 2014) and Dudley Integrated
# Health and Care (30 September 2024), dissolved without a single successor, and Tavistock and
# Portman (31 March 2026), whose successor the files do not give (ODS close dates).
CLOSED_WITHOUT_SUCCESSOR = ("RYH", "RYK", "RNK")


def _with_missing(df: pd.DataFrame) -> pd.DataFrame:
    # open date: on or before the first workforce snapshot with staff (September 2009)
    extra = pd.DataFrame(
        [{"code": c, "name": n, "open": "20090930", "close": close} for c, n, close, _ in TRUSTS_MISSING_FROM_ODS]
    )
    return pd.concat([df, extra[~extra["code"].isin(df["code"])]], ignore_index=True)


@functools.cache
def trust_figures() -> dict:
    """NHS trusts open on 1 April 2012 and 2026 (ODS trust file, plus trusts it omits), and trust
    codes dissolved into another trust between 2 April 2012 and the end of June 2026."""
    t = _with_missing(english_trusts_2026())
    first, last = len(open_on(t, "20120401")), len(open_on(t, "20260401"))
    # closed on or after 1 April 2012 (so open that day or opened later), with the first day under
    # the successor on or before 30 June 2026 (the date of the trust file)
    closed = t[(t["close"] != "") & (t["close"] >= "20120401") & (t["close"] <= "20260629")]
    dissolved = closed[~closed["code"].isin(CLOSED_WITHOUT_SUCCESSOR)]
    fall = first - last
    ambulance = [
        int(open_on(t, f"{y}0401")["name"].str.upper().str.contains("AMBULANCE").sum()) for y in range(2012, 2027)
    ]
    return {
        "trusts_2012": first,
        "trusts_2026": last,
        "fall": fall,
        "pct": fall / first,
        "trusts_2020": len(open_on(t, "20200401")),
        "ambulance_2012": ambulance[0],
        "ambulance_max": max(ambulance),
        "ambulance_2026": ambulance[-1],
        "dissolved_since_2012": len(dissolved),
    }


def _is_trust_code(code: str) -> bool:
    return bool(re.fullmatch(r"R[A-Z0-9]{2}", code))


@functools.cache
def provider_care_trusts() -> frozenset:
    """Care trusts (T codes) that provide services: the ODS list of April 2019 (sheet 'CareTrusts')."""
    sheet = workbook("nhs-ods/stp-partner-mapping-2019-04.xlsx")["CareTrusts"]
    return frozenset(c for c in _strings(sheet.iloc[:, 0]) if re.fullmatch(r"TA[A-Z]", c))


def is_provider_trust(code: str) -> bool:
    """An NHS trust or foundation trust (R code) or a care trust that provides services."""
    return _is_trust_code(code) or code in provider_care_trusts()


CCG = "Clinical Commissioning Group"


@functools.cache
def commissioner_management() -> pd.DataFrame:
    """Managers FTE per September 2009-2018 in commissioners (SHAs Q30-Q39, PCTs 5xx and the
    commissioning care trusts, CCGs) and in NHS trusts (acute, mental health, community, ambulance;
    including care trusts that provide mental health services), from the code of each organisation."""
    m = managers_fte()
    types = provider_types()
    succ = final_successors()
    beds = kh03_codes()

    def provider(code: str) -> bool:
        t = types.get(code) or types.get(succ.get(code, ""))
        return t is not None and t != CCG

    def group(code: str) -> str:
        if types.get(code) == CCG:
            return "commissioner"
        if re.fullmatch(r"5[A-Z0-9]{2}|Q3[0-9]|TA[A-Z]", code) and not is_provider_trust(code):
            return "commissioner"  # PCTs, SHAs and commissioning care trusts
        if re.fullmatch(r"\d\d[A-Z]", code) and not re.fullmatch(r"0[A-D][A-Z]", code):  # 0Ax-0Dx: CSUs
            return "commissioner"
        if code in types or code in provider_care_trusts() or _is_trust_code(code) and (code in beds or provider(code)):
            return "trust"  # NHS Direct (no beds, no provider successor) is neither
        return "other"

    m = m.assign(group=m["ORG_CODE"].map(group))
    w = m.pivot_table(index="YEAR", columns="group", values="FTE", aggfunc="sum").fillna(0.0)
    w["share"] = w["commissioner"] / (w["commissioner"] + w["trust"])
    return w


@functools.cache
def kh03_codes() -> frozenset:
    """Organisation codes with any KH03 bed return, 2000-2024."""
    codes = set()
    for f in ("overnight-day-beds-2000-2010.csv", "overnight-day-beds-2010-2024.csv"):
        df = pd.read_csv(raw_path(f"nhs-beds-kh03/{f}"), usecols=["org_code"], dtype=str)
        codes |= set(df["org_code"].dropna().str.strip())
    return frozenset(codes)


@functools.cache
def management_figures() -> dict:
    o = turnover_by_org("2025-11")
    mgr, staff = o["managers"].sum(), o["staff"].sum()
    c = o.groupby("CLUSTER_GROUP")[["managers", "staff"]].sum()
    per100 = 100 * c["managers"] / c["staff"]
    share = c["managers"] / mgr
    ics = o.groupby(["ICS_CODE", "ICS_NAME"])[["managers", "staff"]].sum()
    dens = (100 * ics["managers"] / ics["staff"]).droplevel(0)
    hc = ethnicity_headcount()
    tot = hc.groupby("Time")["Value"].sum()
    mg = hc[hc["Role_Group"].isin(["Managers", "Senior Managers"])].groupby("Time")["Value"].sum()
    hc_ratio = 100 * mg / tot
    cm = commissioner_management()
    h = hchs()
    h18 = h[(h["date"] == "2018-06-30") & h["Organisation code"].str.strip().map(is_provider_trust)]
    # CCGs (codes 00C-99X) with staff in September 2017, and their managers and senior managers
    h17 = h[(h["date"] == "2017-09-30")]
    ccg17 = h17[h17["Organisation code"].astype(str).str.strip().str.fullmatch(r"\d\d[A-Z]")]
    ccg_mgr = ccg17.loc[ccg17["Staff group"].str.strip().isin(["Managers", "Senior managers"]), "FTE"].sum()
    return {
        "trust_fte_2018": h18["FTE"].sum(),
        "trust_fte_2025": o.loc[o["CLUSTER_GROUP"] != "Integrated Care Board", "staff"].sum(),
        "managers_2025": mgr,
        "per100_2025": 100 * mgr / staff,
        "staff_per_manager_2025": staff / mgr,
        "acute_share_2025": share["Acute"],
        "icb_share_2025": share["Integrated Care Board"],
        "acute_per100_2025": per100["Acute"],
        "mh_per100_2025": per100["Mental Health"],
        "ics_min": dens.min(),
        "ics_min_name": dens.idxmin(),
        "ics_max": dens.max(),
        "ics_max_name": dens.idxmax(),
        "ics_ratio": dens.max() / dens.min(),
        "ics_q1": dens.quantile(0.25),
        "ics_q3": dens.quantile(0.75),
        "hc_2009_per100": hc_ratio[pd.Timestamp("2009-09-01")],
        "hc_2022_per100": hc_ratio[pd.Timestamp("2022-06-01")],
        "hc_2013_per100": hc_ratio[pd.Timestamp("2013-09-01")],
        "ccg_per_org_2017": ccg_mgr / ccg17["Organisation code"].astype(str).str.strip().nunique(),
        "comm_2009": cm.loc[2009, "commissioner"],
        "comm_2013": cm.loc[2013, "commissioner"],
        "comm_share_2009": cm.loc[2009, "share"],
        "comm_share_2013": cm.loc[2013, "share"],
    }


@functools.cache
def allocation_figures() -> dict:
    a = allocations()
    e = a.groupby("year").agg(rca_k=("rca_k", "sum"), population=("population", "sum"))
    first, last = e.index[0], e.index[-1]
    return {
        "first_year": first,
        "last_year": last,
        "rca_first_m": e.loc[first, "rca_k"] / 1000,
        "rca_last_m": e.loc[last, "rca_k"] / 1000,
        "rca_cut": 1 - e.loc[last, "rca_k"] / e.loc[first, "rca_k"],
        "per_head_first": 1000 * e.loc[first, "rca_k"] / e.loc[first, "population"],
        "per_head_last": 1000 * e.loc[last, "rca_k"] / e.loc[last, "population"],
    }


@functools.cache
def system_figures() -> dict:
    cw = crosswalk()
    names = icb_names()
    pop = icb_population()
    lk = lsoa_icb22()
    per_lad = lk.groupby("LAD21CD")["icb22"].nunique()
    split = per_lad[per_lad > 1].index
    touched = lk.groupby("icb22")["LAD21CD"].unique()
    coterminous = sum(not set(lads) & set(split) for lads in touched)
    las = lk.groupby("icb22")["LAD21CD"].nunique()
    # trusts by the STP code of their headquarters, ODS trust file of October 2020 (English trusts
    # open then; the ODS STP codes are the ICB codes of July 2022)
    t20 = etr("etr-2020-10.csv")
    t20 = t20[(t20["close"] == "") & t20["region"].str.fullmatch(r"Y5[6-9]|Y6[0-3]")]
    trusts = t20.groupby("icb").size().reindex(sorted(names), fill_value=0)
    ref = workbook("nhs-ods/ccg-stp-reffile-2020-04.xlsx")
    pm = workbook("nhs-ods/stp-partner-mapping-2019-04.xlsx")
    ons_map = pm["ONS STP-CCG mapping"]
    current = pm["Current STPs"]
    stp_2019 = {v for v in _strings(current.iloc[:, 1]) if re.fullmatch(r"Q[A-Z0-9]{2}", v)}
    ccg13 = pd.read_csv(raw_path("ons-geography/ccg-names-codes-2013-04.csv"), dtype=str, encoding="cp1252")
    icb26 = open_on(english_trusts_2026(), "20260401")["icb"].nunique()
    regions = pd.read_csv(
        raw_path("ons-population/ccg21-population-mid2020-agebands.csv"), dtype=str, encoding="utf-8-sig"
    )["NHSER21 Code"].nunique()
    return {
        "n_icbs": cw["ICB22CDH"].nunique(),
        "n_icbs_2026": icb26,
        "n_regions": regions,
        "pop_max_name": names[pop.idxmax()],
        "pop_min_name": names[pop.idxmin()],
        "pop_ratio": pop.max() / pop.min(),
        "trusts_min": int(trusts.min()),
        "trusts_max": int(trusts.max()),
        "las_min": int(las.min()),
        "las_max": int(las.max()),
        "n_lads": lk["LAD21CD"].nunique(),
        "split_22": len(split),
        "coterminous": coterminous,
        "ccg_2013": ccg13["CCG13CDH"].nunique(),
        "ccg_2019": _codes(ref["Pre-Apr 2020"].iloc[1:, 0]),
        "ccg_2020": _codes(ref["Post-Apr 2020"].iloc[1:, 0]),
        "ccg_2021": cw["CCG21CDH"].nunique(),
        "stp_2016": len({v for v in _strings(ons_map.iloc[:, 4]) if re.fullmatch(r"E54\d{6}", v)}),
        "stp_2019": len(stp_2019),
    }


@functools.cache
def lookup_figures(day: str) -> dict:
    """The trust lookup: trusts open on ``day`` (YYYYMMDD) in the June 2026 trust file under the ICB
    of their headquarters; a board "changed in 2026" when its code is not a July 2022 ICB."""
    lookup = open_on(english_trusts_2026(), day)
    per_board = lookup.groupby("icb").size()
    changed = ~lookup["icb"].isin(set(crosswalk()["ICB22CDH"]))
    return {
        "n": len(lookup),
        "changed": int(changed.sum()),
        "n_boards": lookup["icb"].nunique(),
        "n_ambulance": int(lookup["name"].str.upper().str.contains("AMBULANCE").sum()),
        "min": int(per_board.min()),
        "max": int(per_board.max()),
    }


def _strings(s: pd.Series) -> list[str]:
    return [v.strip() for v in s if isinstance(v, str)]


def _codes(s: pd.Series) -> int:
    return int(s.dropna().astype(str).str.strip().str.fullmatch(r"[0-9A-Z]{3,5}").sum())


# --------------------------------------------------------------------------------------------
# beds around major mergers (KH03)
# --------------------------------------------------------------------------------------------

_KH03_MONTHS = {"March": 3, "June": 6, "September": 9, "December": 12}


@functools.cache
def quarterly_beds() -> pd.DataFrame:
    """Average available overnight beds (all specialties) of each trust (R code) per quarter, June
    2010 - September 2024: quarters in rows, trust codes in columns."""
    kh = pd.read_csv(
        raw_path("nhs-beds-kh03/overnight-day-beds-2010-2024.csv"),
        dtype={"org_code": str, "year": int},
        usecols=["year", "period_end", "org_code", "total_on_beds_available"],
        na_values=["NA", ""],
    )
    kh = kh[kh["org_code"].notna() & kh["org_code"].str.fullmatch(r"R[A-Z0-9]{2}")]
    kh["quarter"] = [
        pd.Period(f"{y}-{_KH03_MONTHS[m]:02d}", "M").asfreq("Q") for y, m in zip(kh["year"], kh["period_end"])
    ]
    return kh.pivot_table(index="quarter", columns="org_code", values="total_on_beds_available", aggfunc="sum")


def trust_combinations(since: int = 2012) -> pd.DataFrame:
    """Trust codes dissolved into another trust (old, new, date = first day under the successor)
    from the ODS successor file and the 2020-21 merger list; for closures after April 2018 that
    neither records (until the last KH03 quarter), the successor is a trust opened the next day in
    the same NHS region, or else the trust of the same region whose beds rose most in the next
    quarter, if by at least half the closed trust's beds."""
    p = change_paths()
    steps = []
    for i in (1, 2, 3):
        s = p[[f"new_code_{i - 1}", f"new_code_{i}", f"date_change_{i}"]].dropna()
        s.columns = ["old", "new", "date"]
        steps.append(s)
    st = pd.concat(steps).drop_duplicates()
    trust = r"R[A-Z0-9]{2}"
    st = st[st["old"].str.fullmatch(trust) & st["new"].str.fullmatch(trust) & (st["old"] != st["new"])]
    m = pd.read_csv(raw_path("nhs-org-changes/trust-mergers-2020-2021.csv"), dtype=str)
    m = m.rename(columns={"trust_code_old": "old", "trust_code_new": "new", "from_date": "date"})
    ch = pd.concat([st, m[["old", "new", "date"]]]).drop_duplicates(["old", "new"])
    ch["date"] = pd.to_datetime(ch["date"])
    beds = quarterly_beds()
    e = english_trusts_2026()
    closed = e[(e["close"] >= "20180401") & (e["close"] <= "20240630") & ~e["code"].isin(set(ch["old"]))]
    extra = []
    for r in closed.itertuples(index=False):
        last = pd.Period(pd.Timestamp(r.close), "Q")
        size = beds[r.code].get(last) if r.code in beds else None
        if size is None or pd.isna(size) or size <= 0:
            continue
        day = pd.Timestamp(r.close) + pd.Timedelta(days=1)
        born = e[(e["open"] == day.strftime("%Y%m%d")) & (e["region"] == r.region)]
        if len(born) == 1:
            extra.append({"old": r.code, "new": born["code"].iloc[0], "date": day})
            continue
        rise = (beds.loc[last + 1] - beds.loc[last]).drop(r.code).dropna()
        rise = rise[rise.index.isin(set(e.loc[e["region"] == r.region, "code"]))]
        if len(rise) and rise.max() >= size / 2:
            extra.append({"old": r.code, "new": rise.idxmax(), "date": day})
    ch = pd.concat([ch, pd.DataFrame(extra)], ignore_index=True)
    return ch[ch["date"].dt.year >= since]


@functools.cache
def bed_figures(band: float = 5.0) -> dict:
    """Major combinations (every partner at least 400 beds on average in the four quarters before,
    together at least 1,500, and eight quarters of KH03 after): the change in their beds from the
    year before to the second year after, against the change for all trusts in England."""
    beds = quarterly_beds()
    england = beds.sum(axis=1)
    last = beds.index.max()
    rel = []
    for (new, date), g in trust_combinations().groupby(["new", "date"]):
        dq = pd.Period(date, "Q")
        codes = [c for c in sorted(set(g["old"]) | {new}) if c in beds]
        before = beds.loc[(beds.index >= dq - 4) & (beds.index < dq), codes]
        size = before.mean().dropna()
        if len(size) < 2 or size.min() < 400 or size.sum() < 1500 or dq + 7 > last:
            continue
        after = beds.loc[(beds.index >= dq + 4) & (beds.index <= dq + 7), codes]
        eng_b = england[(england.index >= dq - 4) & (england.index < dq)].mean()
        eng_a = england[(england.index >= dq + 4) & (england.index <= dq + 7)].mean()
        rel.append(100 * (after.sum(axis=1).mean() / before.sum(axis=1).mean() - eng_a / eng_b))
    return {"n": len(rel), "within_band": int(sum(abs(v) <= band for v in rel)), "band": band}


# --------------------------------------------------------------------------------------------
# heft in volume, a wider definition, trust finances, and the mergers of 2010-2018
# --------------------------------------------------------------------------------------------


@functools.cache
def trust_accounts() -> pd.DataFrame:
    """Trust-years with accounts (ORG_CODE, YEAR, FINANCIAL_POSITION, OP_INCOME, OP_COST), leaving
    out the rows with zero income and zero cost."""
    df = pd.read_csv(raw_path("nhs-workforce/trust-financial-positions-2010-2018.csv"), dtype={"ORG_CODE": str})
    return df[~((df["OP_INCOME"] == 0) & (df["OP_COST"] == 0))]


@functools.cache
def evidence_figures() -> dict:
    m = managers_fte()
    ccg = m[m["ORG_CODE"].str.fullmatch(r"\d\d[A-Z]") & (m["FTE"] > 0)]
    o = turnover_by_org("2025-11")
    t = turnover("2025-11")
    central = t.loc[t["STAFF_GROUP_1_NAME"] == "Central functions", "FTE"].sum()
    narrow, staff = o["managers"].sum(), o["staff"].sum()
    a = trust_accounts()
    net = a.groupby("YEAR")["FINANCIAL_POSITION"].sum() / 1e6
    worst = int(net.idxmin())
    return {
        "ccg_2013_median": ccg.loc[ccg["YEAR"] == 2013, "FTE"].median(),
        "ccg_2018_median": ccg.loc[ccg["YEAR"] == 2018, "FTE"].median(),
        "icb_2025_median": o.loc[o["CLUSTER_GROUP"] == "Integrated Care Board", "managers"].median(),
        "wide_2025": 100 * (narrow + central) / staff,
        "wide_multiple_2025": (narrow + central) / narrow,
        "net_2010_bn": net[2010],
        "label_2010": "2010/11",
        "worst_deficit_bn": -net[worst],
        "worst_label": f"{worst}/{(worst + 1) % 100:02d}",
    }


def _financial_year(d: pd.Timestamp) -> int:
    return d.year if d.month >= 4 else d.year - 1


@functools.cache
def merger_events_2010_2018() -> pd.DataFrame:
    """Mergers and acquisitions taking effect in the financial years 2010/11 to 2018/19: one row per
    successor and date, with the dissolved codes; a code dissolved into two successors on one day
    (a split) is not an event."""
    c = trust_combinations(since=2009).copy()
    # the successor file dates some changes by the predecessor's last day: the event is the next day
    next_day = c["date"] + pd.Timedelta(days=1)
    c["date"] = c["date"].where(next_day.dt.day != 1, next_day)
    split = c.groupby(["old", "date"])["new"].transform("nunique") > 1
    c = c[~split].copy()
    c["t0"] = c["date"].map(_financial_year)
    c = c[c["t0"].between(2010, 2018)]
    return c.groupby(["new", "date", "t0"])["old"].agg(sorted).reset_index()


@functools.cache
def merger_figures() -> dict:
    ev = merger_events_2010_2018()
    a = trust_accounts().set_index(["ORG_CODE", "YEAR"])["FINANCIAL_POSITION"]
    flags = [a[(o, t - 1)] < 0 for olds, t in zip(ev["old"], ev["t0"]) for o in olds if (o, t - 1) in a.index]
    return {"n_events": len(ev), "dissolved_deficit_share": sum(flags) / len(flags)}


# --------------------------------------------------------------------------------------------
# the spread between systems without the organisations that code jobs differently
# --------------------------------------------------------------------------------------------


def _spread(orgs: pd.DataFrame) -> dict:
    """Managers per 100 staff of each system (its organisations summed): the ratio of the extremes
    and of the quartiles."""
    g = orgs.groupby("ICS_NAME")[["managers", "staff"]].sum()
    r = 100 * g["managers"] / g["staff"]
    q1, q3 = r.quantile([0.25, 0.75])
    return {
        "n": len(r),
        "ratio": r.max() / r.min(),
        "iq_ratio": q3 / q1,
        "min_name": r.idxmin(),
        "max_name": r.idxmax(),
    }


@functools.cache
def spread_figures(month: str = "2025-11") -> dict:
    """Management density of the 42 systems counted four ways, from the staff-in-post file: every
    organisation (ICB and trusts), trusts only, and each of these without the trusts whose own
    managers per 100 staff lie beyond Tukey's fences (1.5 interquartile ranges outside the
    quartiles of all trusts)."""
    o = turnover_by_org(month)
    o = o.assign(per100=100 * o["managers"] / o["staff"])
    trusts = o[o["CLUSTER_GROUP"] != "Integrated Care Board"]
    q1, q3 = trusts["per100"].quantile([0.25, 0.75])
    fences = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
    outlying = trusts[(trusts["per100"] < fences[0]) | (trusts["per100"] > fences[1])]
    keep = ~o["REPORTING_ORG_CODE"].isin(set(outlying["REPORTING_ORG_CODE"]))
    variants = {
        "all": _spread(o),
        "trusts": _spread(trusts),
        "all_but_outliers": _spread(o[keep]),
        "trusts_but_outliers": _spread(trusts[keep[trusts.index]]),
    }
    assert all(v["n"] == 42 for v in variants.values()), {k: v["n"] for k, v in variants.items()}
    others = [variants[k] for k in ("trusts", "all_but_outliers", "trusts_but_outliers")]
    return {
        "iq_ratio": variants["all"]["iq_ratio"],
        "ratio": variants["all"]["ratio"],
        "iq_ratio_lo": min(v["iq_ratio"] for v in others),
        "iq_ratio_hi": max(v["iq_ratio"] for v in others),
        "ratio_lo": min(v["ratio"] for v in others),
        "ratio_hi": max(v["ratio"] for v in others),
        "n_outliers": len(outlying),
        "fence": fences[1],
        "outliers": "; ".join(
            f"{n} ({v:.1f})"
            for n, v in outlying.sort_values("per100")[["REPORTING_ORG_NAME", "per100"]].itertuples(index=False)
        ),
        "without_min_name": variants["trusts_but_outliers"]["min_name"],
        "without_max_name": variants["trusts_but_outliers"]["max_name"],
    }


# --------------------------------------------------------------------------------------------
# care trusts, CCGs of 2017, and the trusts' accounts year by year
# --------------------------------------------------------------------------------------------


def care_trusts_with_staff(year: int = 2018) -> list[str]:
    """Care trusts (TA codes) with managers in the September workforce snapshot of ``year``."""
    m = managers_fte()
    return sorted(
        set(m.loc[(m["YEAR"] == year) & (m["FTE"] > 0) & m["ORG_CODE"].str.fullmatch(r"TA[A-Z]"), "ORG_CODE"])
    )


@functools.cache
def ccg_figures_2017() -> dict:
    """CCGs open on 30 September 2017 (ODS CCG file: column 14 C = CCG, columns 11-12 open and close)
    and CCGs (codes 00C-99X) with staff in the September 2017 workforce snapshot."""
    e = etr_like("eccg-2018-11.csv")
    c = e[e[13] == "C"]
    open_ = (c[10] <= "20170930") & ((c[11] == "") | (c[11] >= "20170930"))
    h = hchs()
    codes = h.loc[h["date"] == "2017-09-30", "Organisation code"].astype(str).str.strip()
    return {"open": int(open_.sum()), "with_staff": codes[codes.str.fullmatch(r"\d\d[A-Z]")].nunique()}


@functools.cache
def accounts_by_year() -> pd.DataFrame:
    """Per financial year (YEAR = its first calendar year) of the trust accounts (£ thousand): trusts,
    trusts in deficit, the net position, the deficits added up and operating costs, in £bn."""
    a = trust_accounts()
    pos = a["FINANCIAL_POSITION"]
    return (
        a.assign(deficit=pos < 0, gross=-pos.where(pos < 0, 0.0))
        .groupby("YEAR")
        .agg(
            n_trusts=("ORG_CODE", "nunique"),
            n_deficit=("deficit", "sum"),
            net_bn=("FINANCIAL_POSITION", "sum"),
            gross_deficit_bn=("gross", "sum"),
            cost_bn=("OP_COST", "sum"),
        )
        .assign(
            net_bn=lambda d: d["net_bn"] / 1e6,
            gross_deficit_bn=lambda d: d["gross_deficit_bn"] / 1e6,
            cost_bn=lambda d: -d["cost_bn"] / 1e6,
            share_deficit=lambda d: d["n_deficit"] / d["n_trusts"],
        )
    )


@functools.cache
def hchs_totals(date: str) -> dict:
    """Managers and senior managers, and all staff, FTE, in every organisation of the September 2017
    or June 2018 workforce snapshot (trusts and CCGs)."""
    h = hchs()
    x = h[h["date"] == date]
    mgr = x.loc[x["Staff group"].str.strip().isin(["Managers", "Senior managers"]), "FTE"].sum()
    staff = x["FTE"].sum()
    return {"managers": mgr, "staff": staff, "per100": 100 * mgr / staff, "staff_per_manager": staff / mgr}


# --------------------------------------------------------------------------------------------
# chapter 2: the FTE ratio like for like, and management and money within trusts
# --------------------------------------------------------------------------------------------

#: The range of resident doctors (FTE, 2025) the chapter assumes when it adds them back to the 2025
#: staff total: an assumption the chapter states, so it is given here, not recomputed.
RESIDENT_DOCTORS_FTE = (70_000, 75_000)


@functools.cache
def like_for_like_figures() -> dict:
    """Managers and senior managers per 100 staff (FTE), September 2017 and November 2025: with no
    doctor in either year's staff, and with resident doctors added back to 2025."""
    x = hchs()
    x = x[x["date"] == "2017-09-30"]
    group = x["Staff group"].str.strip()
    mgr17 = x.loc[group.isin(["Managers", "Senior managers"]), "FTE"].sum()
    staff17 = x["FTE"].sum()
    doctors17 = x.loc[group == "HCHS doctors", "FTE"].sum()
    t = turnover("2025-11")
    fte = t.groupby(t["STAFF_GROUP_1_NAME"].str.strip())["FTE"].sum()
    mgr25 = fte["Managers"] + fte["Senior managers"]
    staff25 = fte["All staff groups"]
    doctors25 = fte[[g for g in fte.index if g.startswith("HCHS Doctors")]].sum()
    lo, hi = RESIDENT_DOCTORS_FTE
    return {
        "nondoctors_2017": 100 * mgr17 / (staff17 - doctors17),
        "nondoctors_2025": 100 * mgr25 / (staff25 - doctors25),
        "residents_lo": 100 * mgr25 / (staff25 + hi),
        "residents_hi": 100 * mgr25 / (staff25 + lo),
        "other_doctors_2025": doctors25,
    }


#: NHS Direct NHS Trust: a national telephone service with accounts and managers in 2010-2012, not
#: one of the four types of trust (acute, mental health, community, ambulance) the chapter compares.
NOT_A_SERVICE_TRUST = {"RYH"}


@functools.cache
def within_trust_figure() -> float:
    """The surplus (% of operating cost) per standard deviation of managers per £10m of operating
    cost, with one indicator for each trust and each year and log operating cost, by plain least
    squares over every trust-year with accounts and managers, 2010/11 to 2018/19."""
    a = trust_accounts()
    a = a.assign(ORG_CODE=a["ORG_CODE"].str.strip(), cost=-a["OP_COST"])
    a = a[a["ORG_CODE"].map(is_provider_trust) & ~a["ORG_CODE"].isin(NOT_A_SERVICE_TRUST) & (a["cost"] > 0)]
    p = a.merge(managers_fte()[["YEAR", "ORG_CODE", "FTE"]], on=["YEAR", "ORG_CODE"])
    p = p[p["FTE"] > 0]
    per_10m = p["FTE"] / (p["cost"] / 1e4)
    surplus = 100 * p["FINANCIAL_POSITION"] / p["cost"]
    trusts = pd.get_dummies(p["ORG_CODE"], dtype=float)
    years = pd.get_dummies(p["YEAR"], dtype=float).iloc[:, 1:]
    X = np.column_stack([per_10m, np.log(p["cost"]), trusts, years])
    coef = np.linalg.lstsq(X, surplus.to_numpy(float), rcond=None)[0][0]
    return float(coef * per_10m.std())


# --------------------------------------------------------------------------------------------
# the 36 boards of April 2026: residents, registered patients, practices (csv and zipfile only)
# --------------------------------------------------------------------------------------------

GP_MAP_2026 = "nhs-gp-registrations/gp-reg-pat-prac-map-2026-08.zip"
GP_AGES_2026 = "nhs-gp-registrations/gp-reg-pat-prac-sing-age-regions-2026-08.zip"
GP_LISTS_2025 = "nhs-gp-registrations/gp-reg-pat-prac-all-2025-04.zip"
MYE_2024 = "ons-population/mye24-persons-lad23.csv"
LSOA_LOOKUP = "ons-geography/lsoa11-ccg21-lad21-lookup-2021-04.csv"

# (2021 CCG, 2021 district) -> the 2026 sub-ICB location its LSOAs are in: the July 2022 moves
MOVED_2022 = {("D2P2L", "E08000025"): "15E", ("01Y", "E07000037"): "15M", ("06H", "E06000061"): "78H"}
# Frimley (CCG D4U1Y, divided in 2026), by district -> 2026 sub-ICB location
FRIMLEY_2026 = {c: "U2G6B" for c in ("E06000036", "E06000039", "E06000040")}
FRIMLEY_2026 |= {c: "D9Y0V" for c in ("E07000089", "E07000092")}
FRIMLEY_2026 |= {c: "92A" for c in ("E07000209", "E07000212", "E07000214", "E07000216")}
# the unitary councils of April 2023, from the 2021 districts they replaced
UNITARY_2023 = {c: "E06000063" for c in ("E07000026", "E07000028", "E07000029")}
UNITARY_2023 |= {c: "E06000064" for c in ("E07000027", "E07000030", "E07000031")}
UNITARY_2023 |= {f"E07000{n}": "E06000065" for n in range(163, 170)}
UNITARY_2023 |= {c: "E06000066" for c in ("E07000187", "E07000188", "E07000189", "E07000246")}


def zip_rows(rel: str) -> list[dict]:
    """The rows of the one CSV inside a raw zip file, as dictionaries of text."""
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(RAW / rel) as z:
        return list(csv.DictReader(io.TextIOWrapper(z.open(z.namelist()[0]), encoding="utf-8-sig")))


@functools.cache
def practice_map_2026() -> list[dict]:
    return zip_rows(GP_MAP_2026)


@functools.cache
def registered_2026() -> dict[tuple, int]:
    """(ORG_TYPE, ORG_CODE) -> all-ages patients; (ORG_TYPE, ORG_CODE, '65+'/'85+') -> the older."""
    out: dict = {}
    for r in zip_rows(GP_AGES_2026):
        n = int(r["NUMBER_OF_PATIENTS"])
        key = (r["ORG_TYPE"], r["ORG_CODE"])
        if r["SEX"] == "ALL" and r["AGE"] == "ALL":
            out[key] = out.get(key, 0) + n
        elif r["SEX"] != "ALL" and r["AGE"] != "ALL":
            age = 95 if r["AGE"] == "95+" else int(r["AGE"])
            for group, youngest in (("65+", 65), ("85+", 85)):
                out[key + (group,)] = out.get(key + (group,), 0) + (n if age >= youngest else 0)
    return out


@functools.cache
def residents_2024() -> dict[str, int]:
    df = pd.read_csv(RAW / MYE_2024, dtype=str, encoding="utf-8-sig")
    return dict(zip(df["Code"], df["All ages"].astype(int)))


@functools.cache
def district_parts_2026() -> dict[str, dict[str, float]]:
    """2023 district -> {board: registered-patient weight of its LSOAs in that board}, each LSOA
    weighing its 2026 sub-ICB location's patients divided by that location's LSOAs."""
    board_of = {r["SUB_ICB_LOCATION_CODE"]: r["ICB_CODE"] for r in practice_map_2026()}
    lk = pd.read_csv(RAW / LSOA_LOOKUP, dtype=str, encoding="utf-8-sig")
    sub = [
        FRIMLEY_2026[lad] if ccg == "D4U1Y" else MOVED_2022.get((ccg, lad), ccg)
        for ccg, lad in zip(lk["CCG21CDH"], lk["LAD21CD"])
    ]
    n_lsoas = pd.Series(sub).value_counts()
    pats = registered_2026()
    out: dict = {}
    for lad21, s in zip(lk["LAD21CD"], sub):
        lad = UNITARY_2023.get(lad21, lad21)
        parts = out.setdefault(lad, {})
        parts[board_of[s]] = parts.get(board_of[s], 0.0) + pats[("SUB_ICB_LOCATION_CODE", s)] / n_lsoas[s]
    return out


@functools.cache
def board_figures_2026() -> dict:
    """The key figures of the 36 boards of April 2026 from the raw files: residents (split
    districts divided by registered-patient weights), practices, patients per practice,
    districts split and boards coterminous with districts."""
    res, parts = residents_2024(), district_parts_2026()
    by_board: dict = {}
    split_boards: set = set()
    for lad, shares in parts.items():
        total = sum(shares.values())
        for board, weight in shares.items():
            by_board[board] = by_board.get(board, 0.0) + res[lad] * weight / total
        if len(shares) > 1:
            split_boards |= set(shares)
    names = {
        r["ICB_CODE"]: r["ICB_NAME"].removeprefix("NHS ").removesuffix(" Integrated Care Board")
        for r in practice_map_2026()
    }
    pop = pd.Series(by_board).round()
    lists = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in zip_rows(GP_LISTS_2025)}
    practices = pd.DataFrame(practice_map_2026())
    practices["patients"] = practices["PRACTICE_CODE"].map(lists)
    per_practice = (practices.groupby("ICB_CODE")["patients"].sum() / practices.groupby("ICB_CODE").size()).round()
    cw = pd.read_csv(RAW / "ons-geography/ccg21-stp21-sicbl22-icb22-crosswalk.csv", dtype=str, encoding="utf-8-sig")
    board_of = {r["SUB_ICB_LOCATION_CODE"]: r["ICB_CODE"] for r in practice_map_2026()}
    boards_of_icb22: dict = {}
    for ccg, icb22 in zip(cw["CCG21CDH"], cw["ICB22CDH"]):
        subs = set(FRIMLEY_2026.values()) if ccg == "D4U1Y" else {ccg}
        boards_of_icb22.setdefault(icb22, set()).update(board_of[s] for s in subs if s in board_of)
    return {
        "n_divided": sum(len(b) > 1 for b in boards_of_icb22.values()),
        "n_boards": len(names),
        "residents_total_m": sum(res[lad] for lad in parts) / 1e6,
        "res_min": float(pop.min()),
        "res_min_name": names[pop.idxmin()],
        "res_max_m": float(pop.max()) / 1e6,
        "res_max_name": names[pop.idxmax()],
        "res_q1_m": float(pop.quantile(0.25)) / 1e6,
        "res_q3_m": float(pop.quantile(0.75)) / 1e6,
        "n_lads": len(parts),
        "split_lads": sum(len(s) > 1 for s in parts.values()),
        "coterminous": len(names) - len(split_boards),
        "practices": len(practices),
        "ppp_england": practices["patients"].sum() / len(practices),
        "ppp_min": float(per_practice.min()),
        "ppp_min_name": names[per_practice.idxmin()],
        "ppp_max": float(per_practice.max()),
        "ppp_max_name": names[per_practice.idxmax()],
    }
