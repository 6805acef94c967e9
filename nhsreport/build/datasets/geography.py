"""Geography of the NHS in England: integrated care boards, the CCG → STP → ICB lineage,
local authority districts against ICBs, and the 44 original STP footprints.

Each raw file is read by its reader in :mod:`nhsreport.build.readers`; the ``build_*`` functions
combine them through the pipeline context.
"""

from __future__ import annotations

import re

import pandas as pd

from nhsreport.build.readers.ods import (
    ccg_mergers_2019,
    read_ccg_stp_reffile,
    read_change_paths,
    read_closed_stps,
    read_current_stps,
    read_eccg,
    read_etr,
    read_footprints_2016,
    read_stp_change_log,
)
from nhsreport.build.readers.ons import (
    NHSER21_TO_ODS,
    read_ccg13,
    read_ccg13_area_teams,
    read_crosswalk,
    read_lsoa_lookup,
    read_population,
    read_topo_names,
)
from nhsreport.build.readers.registrations import read_registered_ages
from nhsreport.errors import DataError
from nhsreport.schema import CCG_CODE, ICB_CODE, REGIONS, SPLITS_2026, Dataset, Field

# --------------------------------------------------------------------------------------------
# reference knowledge used by the builders (each item says where it comes from)
# --------------------------------------------------------------------------------------------

# The July 2022 ICB boundary moves that cut across April 2021 CCGs. The LSOA lookup is on
# April 2021 CCGs, so these parts are reassigned at LSOA level: every LSOA of `lad` that lay in
# CCG `ccg21` goes to ICB `to_icb`. The ONS crosswalk flags exactly these six sub-ICB locations
# (both sides of each move) as changed; the builder checks that.
MOVES_2022 = (
    # (ccg21 ODS code, LAD21 code, LAD name, to ICB22 ODS code, to sub-ICB location, label)
    ("D2P2L", "E08000025", "Birmingham", "QHL", "15E", "West Birmingham (Black Country to Birmingham and Solihull)"),
    ("01Y", "E07000037", "High Peak", "QJ2", "15M", "Glossop (Greater Manchester to Derby and Derbyshire)"),
    (
        "06H",
        "E06000061",
        "North Northamptonshire",
        "QPM",
        "78H",
        "North Northamptonshire part of Cambridgeshire and Peterborough (to Northamptonshire)",
    ),
)

# ICBs established on 1 April 2026 (ODS codes; names as in the ODS-based list of the six new
# boards, see the methods note).
NEW_ICBS_2026 = {
    "S1Y5D": "Central East",
    "D7T5G": "Essex",
    "T6Y0W": "Norfolk and Suffolk",
    "S0E4D": "Thames Valley",
    "S9B9J": "Surrey and Sussex",
    "Z9B2Z": "West and North London",
}


# --------------------------------------------------------------------------------------------
# views of the raw files (each file is read in nhsreport.build.readers)
# --------------------------------------------------------------------------------------------


def open_english_trusts(etr: pd.DataFrame) -> pd.DataFrame:
    """Trusts with no close date, outside Wales (region W00 or government office region W)."""
    welsh = (etr["region"] == "W00") | (etr["gor"] == "W")
    return etr[etr["closed"].isna() & ~welsh].reset_index(drop=True)


def ccgs_in_eccg(path) -> pd.DataFrame:
    """The CCG rows (column 14 = C) of the ODS eccg file: code, name, opened, closed."""
    df = read_eccg(path)
    df = df[df["org_sub_type"] == "C"]
    return df[["code", "name", "opened", "closed"]].reset_index(drop=True)


def ccg_code_changes(paths: pd.DataFrame) -> pd.DataFrame:
    """CCG code changes (predecessor → final successor) of the ODS change paths."""
    cols = ["old_code", "new_code_1", "date_change_1", "change_type_1", "final_code"]
    ccg = paths[
        paths["old_code"].str.fullmatch(CCG_CODE)
        & paths["final_code"].str.fullmatch(CCG_CODE)
        & (paths["old_code"] != paths["final_code"])
    ]
    return ccg[cols].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def short_icb_name(full: str) -> str:
    """ "NHS Cheshire and Merseyside Integrated Care Board" → "Cheshire and Merseyside"."""
    s = re.sub(r"^NHS\s+", "", full.strip())
    return re.sub(r"\s+Integrated Care Board$", "", s)


def ccg_display_name(name: str) -> str:
    """Uniform "NHS <place> CCG" form of the several spellings in the raw files."""
    s = " ".join(str(name).split())
    s = re.sub(r"\s*Clinical Commissioning Group$", " CCG", s, flags=re.I)
    if not s.upper().startswith("NHS "):
        s = "NHS " + s
    if not s.endswith(" CCG"):
        s += " CCG"
    return s


def _norm(name: str) -> str:
    s = str(name).upper().replace("&", " AND ")
    s = re.sub(r"CLINICAL COMMISSIONING GROUP", " ", s)
    s = re.sub(r"[^A-Z ]", " ", s)
    s = re.sub(r"\b(NHS|CCG)\b", " ", s)
    return " ".join(s.split())


def match_gss(names: pd.Series, topo: dict[str, str], path) -> pd.Series:
    """ONS codes for CCG names by normalised name (unique prefix match as a fallback, for the
    truncated "NHS Bradford District")."""
    tn = {_norm(k): v for k, v in topo.items()}
    out = []
    for n in names:
        k = _norm(n)
        if k in tn:
            out.append(tn[k])
            continue
        cand = [v for t, v in tn.items() if t.startswith(k + " ") or k.startswith(t + " ")]
        if len(cand) != 1:
            raise DataError(path, "area names", f"one area named like {n!r}", f"{len(cand)} candidates")
        out.append(cand[0])
    return pd.Series(out, index=names.index)


def _region(code: str) -> str:
    return REGIONS[code]


def lsoa_assignment(lookup: pd.DataFrame, crosswalk: pd.DataFrame, path_cw, moves=None) -> pd.DataFrame:
    """Every LSOA with its LAD, STP21 (ODS code) and ICB22 (ODS code): ICB22 by the crosswalk,
    then the July 2022 moves (default :data:`MOVES_2022`) applied."""
    mv = MOVES_2022 if moves is None else moves
    flagged = set(crosswalk.loc[crosswalk["boundaries_changed_ccg_loc"], "CCG21CDH"])
    expected = {m[0] for m in mv} | {m[4] for m in mv}
    if flagged != expected:
        raise DataError(
            path_cw,
            "column 'boundaries_changed_ccg_loc'",
            f"the sub-ICB locations changed by the known July 2022 moves {sorted(expected)}",
            sorted(flagged),
        )
    cw = crosswalk.set_index("CCG21CD")
    missing = ~lookup["CCG21CD"].isin(cw.index)
    if missing.any():
        raise DataError(
            path_cw, "column 'CCG21CD'", "every CCG of the LSOA lookup", repr(lookup.loc[missing, "CCG21CD"].iloc[0])
        )
    a = lookup.copy()
    a["ccg21"] = a["CCG21CD"].map(cw["CCG21CDH"])
    a["stp21"] = a["CCG21CD"].map(cw["STP21CDH"])
    a["icb22"] = a["CCG21CD"].map(cw["ICB22CDH"])
    for ccg, lad, lad_name, to_icb, _loc, _label in mv:
        sel = (a["ccg21"] == ccg) & (a["LAD21CD"] == lad)
        if not sel.any():
            raise DataError(
                path_cw, f"LSOAs of {lad_name} ({lad}) in CCG {ccg}", "at least one (a July 2022 move)", "none"
            )
        a.loc[sel, "icb22"] = to_icb
    return a


# --------------------------------------------------------------------------------------------
# builders
# --------------------------------------------------------------------------------------------


def _icb_core(ctx):
    cw_path = ctx.raw("ccg21_icb22_crosswalk")
    cw = read_crosswalk(cw_path)
    pop = read_population(ctx.raw("ccg21_population_mid2020"))
    lk = read_lsoa_lookup(ctx.raw("lsoa11_ccg21_lad21_lookup"))
    return cw, cw_path, pop, lk


def build_icbs(ctx) -> pd.DataFrame:
    cw, cw_path, pop, lk = _icb_core(ctx)
    pop_path = ctx.raw("ccg21_population_mid2020")
    missing = set(cw["CCG21CD"]) ^ set(pop["ccg_gss"])
    if missing:
        raise DataError(
            pop_path, "column 'CCG Code'", "the 106 April 2021 CCGs of the crosswalk", f"differences {sorted(missing)}"
        )
    p = pop.merge(
        cw[["CCG21CD", "CCG21CDH", "STP21CDH", "ICB22CDH", "boundaries_changed_ccg_loc"]],
        left_on="ccg_gss",
        right_on="CCG21CD",
    )
    icb = (
        cw.groupby("ICB22CDH")
        .agg(
            icb_gss_code=("ICB22CD", "first"),
            icb_name_full=("ICB22NM", "first"),
            n_sub_icb_locations=("LOC22CDH", "nunique"),
        )
        .reset_index()
    )
    icb = icb.rename(columns={"ICB22CDH": "icb_code"})
    icb["icb_name"] = icb["icb_name_full"].map(short_icb_name)
    # region: the NHS England region of the STP21 with the same ODS code
    stp_region = p.groupby("STP21CDH")["nhser21"].agg(lambda s: sorted(set(s)))
    if (stp_region.map(len) != 1).any():
        raise DataError(
            pop_path, "column 'NHSER21 Code'", "one region per STP21", stp_region[stp_region.map(len) != 1].to_dict()
        )
    icb["region_code"] = icb["icb_code"].map(stp_region.map(lambda v: NHSER21_TO_ODS[v[0]]))
    icb["region_name"] = icb["region_code"].map(_region)
    icb["population"] = icb["icb_code"].map(p.groupby("ICB22CDH")["population"].sum()).astype("int64")
    icb["population_stp21"] = icb["icb_code"].map(p.groupby("STP21CDH")["population"].sum()).astype("int64")
    icb["population_approximate"] = icb["icb_code"].isin(set(p.loc[p["boundaries_changed_ccg_loc"], "ICB22CDH"]))
    # trusts: HQ's STP code in the ODS etr of October 2020
    etr_path = ctx.raw("ods_etr_2020_10")
    t20 = open_english_trusts(read_etr(etr_path))
    unknown = ~t20["icb"].isin(icb["icb_code"])
    if unknown.any():
        raise DataError(
            etr_path,
            f"trust {t20.loc[unknown, 'code'].iloc[0]}, column 4",
            "an STP code equal to an ICB22 code",
            repr(t20.loc[unknown, "icb"].iloc[0]),
        )
    icb["n_trusts"] = icb["icb_code"].map(t20.groupby("icb").size()).fillna(0).astype("int64")
    # local authority districts with any LSOA in the area
    a = lsoa_assignment(lk, cw, cw_path)
    icb["n_local_authorities"] = icb["icb_code"].map(a.groupby("icb22")["LAD21CD"].nunique()).astype("int64")
    icb["n_local_authorities_stp21"] = icb["icb_code"].map(a.groupby("stp21")["LAD21CD"].nunique()).astype("int64")
    # April 2026 successor
    t26_path = ctx.raw("ods_etr_2026_06")
    t26 = open_english_trusts(read_etr(t26_path))
    succ = icbs_2026(icb, t20, t26, sub_icb_patients(ctx.raw("gp_patients_single_age_2026_08")), a, t26_path)
    icb = icb.merge(succ, on="icb_code")
    names26 = dict(zip(icb["icb_code"], icb["icb_name"])) | NEW_ICBS_2026
    icb["icb_2026_name"] = icb["icb_2026_code"].map(names26)
    return icb


def sub_icb_patients(path) -> pd.Series:
    """Registered patients (all ages, 1 August 2026) of each sub-ICB location, by ODS code (the
    April 2021 CCG codes the locations kept)."""
    ages = read_registered_ages(path)
    total = ages[(ages["level"] == "sub_icb") & (ages["sex"] == "ALL") & ages["age"].isna()]
    return total.set_index("org_code")["patients"].astype("int64")


def icbs_2026(icb, t20, t26, patients, lsoas, t26_path) -> pd.DataFrame:
    """Map each 2022 ICB to the ICB it belongs to from 1 April 2026 (see the dataset's method);
    ``patients``: registered patients of each sub-ICB location (:func:`sub_icb_patients`)."""
    both = t20[["code", "icb"]].merge(t26[["code", "icb"]], on="code", suffixes=("_20", "_26"))
    rows = []
    for code in icb["icb_code"]:
        seen = both.loc[both["icb_20"] == code, "icb_26"].value_counts()
        if code in SPLITS_2026:
            rows.append(_split_icb_2026(code, seen, patients, lsoas, t26_path))
        else:
            rows.append(_whole_icb_2026(code, seen, t26_path))
    out = pd.DataFrame(rows)
    expected = set(t26["icb"])
    got = set(out["icb_2026_code"])
    if got != expected:
        raise DataError(t26_path, "column 4 (ICB)", f"the ICBs of the open trusts {sorted(expected)}", sorted(got))
    return out


def _split_icb_2026(code: str, seen: pd.Series, patients: pd.Series, lsoas, t26_path) -> dict:
    """The 2026 row of a 2022 ICB split on 1 April 2026 (:data:`SPLITS_2026`): assigned to the
    part with the larger share of its registered patients of August 2026 (a split along the lines
    of its sub-ICB locations, which the practice map of 2026 still counts) or of its LSOAs (a split
    by district). ``seen`` counts its trusts by their 2026 ICB, which must be among the parts."""
    kind, parts, text = SPLITS_2026[code]
    if kind == "ccg":
        missing = sorted(set(parts) - set(patients.index))
        if missing:
            raise DataError(
                t26_path, f"2022 ICB {code}", f"registered patients of sub-ICB locations {sorted(parts)}", missing
            )
        weights = patients[list(parts)].groupby(pd.Series(parts)).sum()
        unit = "registered patients, August 2026"
    else:
        sub = lsoas[lsoas["icb22"] == code]
        if set(sub["LAD21CD"]) != set(parts):
            raise DataError(t26_path, f"2022 ICB {code}", f"districts {sorted(parts)}", sorted(sub["LAD21CD"]))
        weights = sub.groupby(sub["LAD21CD"].map(parts)).size()
        unit = "LSOAs"
    if not set(seen.index) <= set(weights.index):
        raise DataError(
            t26_path,
            f"trusts of 2022 ICB {code}",
            f"2026 ICB codes among {sorted(weights.index)}",
            sorted(seen.index),
        )
    share = (weights / weights.sum()).sort_values(ascending=False, kind="mergesort")
    best = share.index[0]
    return {
        "icb_code": code,
        "icb_2026_code": best,
        "icb_2026_share": round(float(share[best]), 4),
        "icb_2026_parts": ";".join(f"{k}:{v:.6f}" for k, v in share.items()),
        "icb_2026_basis": "split_largest_part",
        "icb_2026_note": f"Split on 1 April 2026: {text}. Assigned to the part with the larger share "
        f"({share[best]:.0%} of its {unit}); trust HQs in the June 2026 ODS file agree.",
    }


def _whole_icb_2026(code: str, seen: pd.Series, t26_path) -> dict:
    """The 2026 row of a 2022 ICB not split in 2026: the ICB all its trusts report to in June
    2026, or itself when most do and the others' HQs lie in the part moved in July 2022. ``seen``
    counts its trusts by their 2026 ICB."""
    if len(seen) == 1:
        return {
            "icb_code": code,
            "icb_2026_code": seen.index[0],
            "icb_2026_share": 1.0,
            "icb_2026_parts": f"{seen.index[0]}:1",
            "icb_2026_basis": "ods_trusts",
            "icb_2026_note": (
                f"The one trust with HQ in the area in Oct 2020 and still open in June 2026 reports to {seen.index[0]}."
                if int(seen.iloc[0]) == 1
                else f"All {int(seen.iloc[0])} trusts with HQ in the area in Oct 2020 and still open in "
                f"June 2026 report to {seen.index[0]}."
            ),
        }
    if len(seen) > 1 and seen.index[0] == code:
        return {
            "icb_code": code,
            "icb_2026_code": code,
            "icb_2026_share": 1.0,
            "icb_2026_parts": f"{code}:1",
            "icb_2026_basis": "ods_trusts_majority",
            "icb_2026_note": f"{int(seen.iloc[0])} of {int(seen.sum())} trusts report to {code} in June 2026; "
            f"the other ({', '.join(seen.index[1:])}) has its HQ in the part moved by the July 2022 "
            "boundary change, not by the 2026 mergers.",
        }
    raise DataError(
        t26_path,
        f"trusts of 2022 ICB {code}",
        "a single 2026 ICB or a documented split",
        dict(seen) if len(seen) else "no trust present in both files",
    )


def build_ccg_lineage(ctx) -> pd.DataFrame:
    p13 = ctx.raw("ccg13_names_codes")
    c13 = read_ccg13(p13)
    at = read_ccg13_area_teams(ctx.raw("ccg13_area_team_region"))
    ref_path = ctx.raw("ccg_stp_reffile_2020")
    ref = read_ccg_stp_reffile(ref_path)
    cw = read_crosswalk(ctx.raw("ccg21_icb22_crosswalk"))
    oc_path = ctx.raw("org_change_paths_2000_2018")
    oc = ccg_code_changes(read_change_paths(oc_path))
    log_path = ctx.raw("ods_stp_partner_mapping_2019")
    m19 = ccg_mergers_2019(read_stp_change_log(log_path), log_path)
    eccg_path = ctx.raw("ods_eccg_2018_11")
    eccg = ccgs_in_eccg(eccg_path)
    t19 = read_topo_names(ctx.raw("geo_ccg_2019"))
    t20 = read_topo_names(ctx.raw("geo_ccg_2020"))
    return lineage(
        c13,
        at,
        ref,
        cw,
        oc,
        m19,
        eccg,
        t19,
        t20,
        paths={
            "ccg13": p13,
            "ref": ref_path,
            "cw": ctx.raw("ccg21_icb22_crosswalk"),
            "oc": oc_path,
            "eccg": eccg_path,
            "geo19": ctx.raw("geo_ccg_2019"),
            "geo20": ctx.raw("geo_ccg_2020"),
        },
    )


def lineage(c13, at, ref, cw, oc, m19, eccg, t19, t20, paths, counts=(211, 191, 135, 106)) -> pd.DataFrame:
    """Follow every CCG code of the four snapshots to its April 2021 successor (see the method
    of :data:`CCG_LINEAGE`). ``counts`` are the expected numbers of CCGs per snapshot."""
    pre, post, mer = ref["pre"], ref["post"], ref["mergers"]
    snapshots = (set(c13["CCG13CDH"]), set(pre["CCG Code"]), set(post["CCG Code"]), set(cw["CCG21CDH"]))
    _check_snapshot_sizes(snapshots, counts, paths)
    s13, s19, s20, s21 = snapshots
    steps = (
        _successors_2013_to_2019(oc, m19, eccg, s13, s19, paths),
        _successors_2019_to_2020(mer, s19, s20, paths),
        _successors_2020_to_2021(post, cw, s20, s21, paths),
    )
    out = pd.DataFrame(_lineage_rows(c13, at, pre, post, cw, t19, t20, snapshots, steps, paths))
    out["successor_date"] = pd.to_datetime(out["successor_date"])
    return out


def _check_snapshot_sizes(snapshots: tuple[set, ...], counts: tuple[int, ...], paths: dict) -> None:
    """Raise unless the CCG codes of April 2013, 2019, 2020 and 2021 number ``counts``."""
    labels = ("April 2013", "April 2019", "April 2020", "April 2021")
    files = (paths["ccg13"], paths["ref"], paths["ref"], paths["cw"])
    for label, s, n, path in zip(labels, snapshots, counts, files, strict=True):
        if len(s) != n:
            raise DataError(path, f"CCGs of {label}", f"{n} distinct codes", len(s))


def _successors_2013_to_2019(oc, m19, eccg, s13: set, s19: set, paths: dict) -> dict:
    """Successor, date and basis of every 2013 CCG gone by April 2019: the ODS successor chains
    for 2015-2018, the partner-mapping change log for April 2019. The 2018 closures of the eccg
    file must agree with the successor-file dates."""
    step = {}
    for _, r in oc.iterrows():
        if r["old_code"] in s13 and r["old_code"] not in s19:
            step[r["old_code"]] = (r["final_code"], str(r["date_change_1"])[:10], "ods_successor_file")
    for _, r in m19.iterrows():
        if r["old"] in s13 and r["old"] not in s19:
            step[r["old"]] = (r["new"], "2019-04-01", "stp_partner_mapping_change_log")
    gone13 = sorted(s13 - s19)
    untraced = [c for c in gone13 if c not in step or step[c][0] not in s19]
    if untraced:
        raise DataError(
            paths["oc"],
            "CCG codes",
            "a successor in the April 2019 list for every 2013 CCG gone by then",
            f"none for {untraced}",
        )
    closed18 = set(eccg.loc[eccg["closed"] == pd.Timestamp("2018-03-31"), "code"])
    dated18 = {c for c, v in step.items() if v[1] == "2018-04-01"}
    if closed18 != dated18:
        raise DataError(
            paths["eccg"],
            "column 12 (close date)",
            f"the CCGs merged on 1 April 2018 {sorted(dated18)}",
            sorted(closed18),
        )
    return step


def _successors_2019_to_2020(mer, s19: set, s20: set, paths: dict) -> dict:
    """Successor, date and basis of every CCG closed in April 2020 (RefFile sheet "CCG Mergers")."""
    step = {r["old"]: (r["new"], "2020-04-01", "reffile_ccg_mergers") for _, r in mer.iterrows()}
    bad = [c for c in s19 - s20 if c not in step or step[c][0] not in s20]
    if bad:
        raise DataError(
            paths["ref"], "sheet 'CCG Mergers'", "every CCG closed in April 2020 with a new code", f"missing {bad}"
        )
    return step


def _successors_2020_to_2021(post, cw, s20: set, s21: set, paths: dict) -> dict:
    """Successor, date and basis of every CCG closed in April 2021. There is no merger list here:
    the successor is the only new April 2021 CCG in the same STP."""
    stp20 = dict(zip(post["CCG Code"], post["STP Code"]))
    new21 = cw[~cw["CCG21CDH"].isin(s20)]
    step = {}
    for c in sorted(s20 - s21):
        cand = sorted(new21.loc[new21["STP21CDH"] == stp20[c], "CCG21CDH"])
        if len(cand) != 1:
            raise DataError(
                paths["ref"],
                f"sheet 'Post-Apr 2020', CCG {c}",
                f"exactly one new April 2021 CCG in STP {stp20[c]}",
                cand,
            )
        step[c] = (cand[0], "2021-04-01", "same_stp_new_ccg_2021")
    return step


def _successor_2021(code: str, snapshots: tuple[set, ...], steps: tuple[dict, ...], paths: dict):
    """The April 2021 CCG that ``code`` became, the date of its last change (``None`` if it never
    changed) and the bases of its steps, following ``steps`` from one snapshot to the next."""
    cur, date, bases = code, None, []
    for s_next, step in zip(snapshots[1:], steps):
        if cur in s_next:
            continue
        if cur not in step:
            break
        cur, d, b = step[cur]
        date, bases = d, bases + [b]
    if cur not in snapshots[3]:
        raise DataError(
            paths["ref"], f"CCG {code}", "a chain of successors ending in an April 2021 CCG", f"stops at {cur}"
        )
    return cur, date, bases


def _lineage_rows(c13, at, pre, post, cw, t19, t20, snapshots, steps, paths) -> list[dict]:
    """One row of :data:`CCG_LINEAGE` for every CCG code of the four snapshots: its names and
    codes in the latest snapshot it is in, and its April 2021 successor."""
    s13, s19, s20, s21 = snapshots
    c13i = c13.set_index("CCG13CDH")
    at_i = at.set_index("CCG13CD")
    cwi = cw.set_index("CCG21CDH")
    prei, posti = pre.set_index("CCG Code"), post.set_index("CCG Code")
    gss19 = match_gss(pre["CCG Name"], t19, paths["geo19"]).set_axis(pre["CCG Code"])
    gss20 = match_gss(post["CCG Name"], t20, paths["geo20"]).set_axis(post["CCG Code"])
    rows = []
    for c in sorted(s13 | s19 | s20 | s21):
        cur, date, bases = _successor_2021(c, snapshots, steps, paths)
        if c in s21:
            name, gss, stp = cwi.loc[c, "CCG21NM"], cwi.loc[c, "CCG21CD"], cwi.loc[c, "STP21CDH"]
        elif c in s20:
            name, gss, stp = posti.loc[c, "CCG Name"], gss20[c], posti.loc[c, "STP Code"]
        elif c in s19:
            name, gss, stp = prei.loc[c, "CCG Name"], gss19[c], prei.loc[c, "STP Code"]
        else:
            name, gss, stp = c13i.loc[c, "CCG13NM"], c13i.loc[c, "CCG13CD"], None
        gss13 = c13i.loc[c, "CCG13CD"] if c in s13 else None
        rows.append(
            {
                "ccg_code": c,
                "ccg_gss_code": gss,
                "ccg_gss_code_2013": gss13,
                "ccg_name": ccg_display_name(name),
                "exists_2013": c in s13,
                "exists_2019": c in s19,
                "exists_2020": c in s20,
                "exists_2021": c in s21,
                "area_team_2013": at_i.loc[gss13, "NHSAT13NM"] if gss13 in at_i.index else None,
                "stp_code": stp,
                "successor_2021_code": cur,
                "successor_date": date,
                "successor_basis": "+".join(bases) if bases else "unchanged",
                "successor_exact": "same_stp_new_ccg_2021" not in bases,
                "stp21_code": cwi.loc[cur, "STP21CDH"],
                "icb_code": cwi.loc[cur, "ICB22CDH"],
            }
        )
    return rows


def build_lad_icb_overlap(ctx) -> pd.DataFrame:
    cw_path = ctx.raw("ccg21_icb22_crosswalk")
    cw = read_crosswalk(cw_path)
    lk = read_lsoa_lookup(ctx.raw("lsoa11_ccg21_lad21_lookup"))
    return overlap(lsoa_assignment(lk, cw, cw_path), cw)


def overlap(a: pd.DataFrame, cw: pd.DataFrame) -> pd.DataFrame:
    names = a.groupby("LAD21CD")["LAD21NM"].first()
    total = a.groupby("LAD21CD").size()
    n22 = a.groupby(["LAD21CD", "icb22"]).size().rename("n_lsoas")
    n21 = a.groupby(["LAD21CD", "stp21"]).size().rename("n_lsoas_stp21")
    n21.index = n21.index.set_names(["LAD21CD", "icb22"])
    o = pd.concat([n22, n21], axis=1).fillna(0).astype("int64").reset_index()
    o = o.rename(columns={"LAD21CD": "lad_code", "icb22": "icb_code"})
    o["lad_name"] = o["lad_code"].map(names)
    icb_names = dict(zip(cw["ICB22CDH"], cw["ICB22NM"].map(short_icb_name)))
    o["icb_name"] = o["icb_code"].map(icb_names)
    o["share_of_lad_lsoas"] = (o["n_lsoas"] / o["lad_code"].map(total)).round(6)
    o["share_of_lad_lsoas_stp21"] = (o["n_lsoas_stp21"] / o["lad_code"].map(total)).round(6)
    o["lad_split"] = o["lad_code"].map(o[o["n_lsoas"] > 0].groupby("lad_code").size()) > 1
    o["lad_split_stp21"] = o["lad_code"].map(o[o["n_lsoas_stp21"] > 0].groupby("lad_code").size()) > 1
    o["moved_2022"] = o["n_lsoas"] != o["n_lsoas_stp21"]
    return o


def build_stp_footprints(ctx) -> pd.DataFrame:
    path = ctx.raw("ods_stp_partner_mapping_2019")
    fp = read_footprints_2016(path)
    cur = read_current_stps(path)
    closed = read_closed_stps(path)
    log = read_stp_change_log(path)
    cw = read_crosswalk(ctx.raw("ccg21_icb22_crosswalk"))
    return footprints(fp, cur, closed, log, cw, path)


def footprints(fp, cur, closed, log, cw, path, n=44) -> pd.DataFrame:
    """One row per 2016 footprint, traced to its STP code, merger and April 2021 STP/ICS."""
    if len(fp) != n:
        raise DataError(path, "sheet 'ONS STP-CCG mapping'", "44 footprints (E54000001-E54000044)", len(fp))
    # merged STP codes: "STP code closed (merger)" rows naming "merged into QXX"
    merged = {}
    for _, r in log.iterrows():
        if "closed" in r["Type of Change"].lower() and "merger" in r["Type of Change"].lower():
            m = re.search(r"merged into (Q[A-Z0-9]{2})", r["Details"])
            if not m:
                raise DataError(
                    path, f"sheet 'Change Log', {r['Date']:%Y-%m-%d} {r['STP Code']}", "'merged into Q..'", r["Details"]
                )
            merged[r["STP Code"]] = (m.group(1), r["Date"])
    # a closed STP keeps the footprint number of the original footprint; the merged STP reuses one
    by_no = pd.concat([closed, cur]).drop_duplicates("footprint_no")
    by_no = by_no.set_index("footprint_no")
    stp21 = cw.drop_duplicates("STP21CDH").set_index("STP21CDH")["STP21CD"]
    rows = []
    for _, f in fp.iterrows():
        no = int(f["gss"][-2:])
        if no not in by_no.index:
            raise DataError(
                path, "sheets 'Current STPs' and 'Closed STP codes'", f"an STP with footprint number {no}", "none"
            )
        s = by_no.loc[no]
        ods = s["ods"]
        into, when = merged.get(ods, (None, None))
        later = into or ods
        if later not in stp21.index:
            raise DataError(path, f"footprint {f['gss']}", "an STP code that still existed in April 2021", later)
        rows.append(
            {
                "stp_gss_code": f["gss"],
                "stp_name": f["name"],
                "region_2016": f["region"],
                "n_ccgs": len(f["ccgs"]),
                "n_ccgs_stated": f["n_stated"],
                "ccg_codes": ";".join(f["ccgs"]),
                "stp_ods_code": ods,
                "merged_into": into,
                "date_merged": when,
                "stp21_gss_code": stp21[later],
                "icb_code": later,
                "gss_code_changed": stp21[later] != f["gss"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------


def _check_icbs(df, label):
    if df["icb_2026_code"].nunique() != 36:
        raise DataError(
            label, "column 'icb_2026_code'", "36 distinct ICBs from 1 April 2026", df["icb_2026_code"].nunique()
        )
    if set(df["region_code"]) != set(REGIONS):
        raise DataError(
            label, "column 'region_code'", f"all seven regions {sorted(REGIONS)}", sorted(set(df["region_code"]))
        )
    for col in ("population", "population_stp21"):
        if df[col].sum() != df["population_stp21"].sum():
            raise DataError(label, f"column {col!r}", "the same England total on both bases", int(df[col].sum()))


def _check_lineage(df, label):
    for col, n in (("exists_2013", 211), ("exists_2019", 191), ("exists_2020", 135), ("exists_2021", 106)):
        if int(df[col].sum()) != n:
            raise DataError(label, f"column {col!r}", f"{n} CCGs", int(df[col].sum()))
    s21 = set(df.loc[df["exists_2021"], "ccg_code"])
    bad = ~df["successor_2021_code"].isin(s21)
    if bad.any():
        raise DataError(
            label, "column 'successor_2021_code'", "an April 2021 CCG", repr(df.loc[bad, "successor_2021_code"].iloc[0])
        )


def _check_overlap(df, label):
    if df["lad_code"].nunique() != 309:
        raise DataError(label, "column 'lad_code'", "309 local authority districts", df["lad_code"].nunique())
    for col in ("share_of_lad_lsoas", "share_of_lad_lsoas_stp21"):
        s = df.groupby("lad_code")[col].sum()
        if ((s - 1).abs() > 1e-4).any():
            raise DataError(
                label,
                f"column {col!r}",
                "shares summing to 1 for each district",
                s[(s - 1).abs() > 1e-4].head(3).to_dict(),
            )


def _check_footprints(df, label):
    if df["icb_code"].nunique() != 42:
        raise DataError(
            label, "column 'icb_code'", "the 44 footprints tracing to 42 STPs/ICBs", df["icb_code"].nunique()
        )


# --------------------------------------------------------------------------------------------
# declarations
# --------------------------------------------------------------------------------------------

_REGION_ENUM = tuple(REGIONS)
_ICB26 = r"Q[A-Z0-9]{2}|[A-Z][0-9][A-Z][0-9][A-Z]"

ICBS = Dataset(
    name="icbs",
    title="Integrated care boards, July 2022",
    description="The 42 integrated care boards established on 1 July 2022: codes, names, region, population "
    "(ONS mid-2020), NHS trusts with their headquarters in the area, local authority districts, and the "
    "ICB each belongs to from 1 April 2026.",
    fields=(
        Field("icb_code", "string", "ICB ODS code (equal to the STP/ICS code of April 2021)", pattern=ICB_CODE),
        Field("icb_gss_code", "string", "ICB ONS code (July 2022)", pattern=r"E54\d{6}"),
        Field("icb_name", "string", "Short name, e.g. 'Cheshire and Merseyside'"),
        Field("icb_name_full", "string", "Official name, e.g. 'NHS Cheshire and Merseyside Integrated Care Board'"),
        Field("region_code", "string", "NHS England region (ODS code)", enum=_REGION_ENUM),
        Field("region_name", "string", "NHS England region", enum=tuple(REGIONS.values())),
        Field(
            "population",
            "integer",
            "ONS mid-2020 population summed over the April 2021 CCGs mapped to the ICB by "
            "the ONS crosswalk (Bassetlaw counted in Nottingham and Nottinghamshire)",
            unit="people",
            minimum=0,
        ),
        Field(
            "population_stp21",
            "integer",
            "ONS mid-2020 population of the April 2021 STP/ICS with the same ODS code "
            "(Bassetlaw counted in South Yorkshire and Bassetlaw)",
            unit="people",
            minimum=0,
        ),
        Field(
            "population_approximate",
            "boolean",
            "True where a July 2022 boundary move cut across an April 2021 CCG, "
            "so the CCG-based population is not that of the ICB's exact area",
        ),
        Field("n_sub_icb_locations", "integer", "Sub-ICB locations (the April 2021 CCGs) in the ICB", minimum=1),
        Field(
            "n_trusts",
            "integer",
            "Open English NHS trusts whose headquarters lay in the area, ODS etr file of "
            "October 2020 (by the trust's STP code)",
            unit="trusts",
            minimum=0,
        ),
        Field(
            "n_local_authorities",
            "integer",
            "Local authority districts (2021) with at least one LSOA in the ICB (July 2022 boundaries)",
            unit="districts",
            minimum=1,
        ),
        Field(
            "n_local_authorities_stp21",
            "integer",
            "Local authority districts (2021) with at least one LSOA in the April 2021 STP/ICS with the same ODS code",
            unit="districts",
            minimum=1,
        ),
        Field(
            "icb_2026_code",
            "string",
            "ODS code of the ICB the area belongs to from 1 April 2026 (for ICBs split in "
            "2026, the one taking the larger part)",
            pattern=_ICB26,
        ),
        Field("icb_2026_name", "string", "Short name of that 2026 ICB"),
        Field(
            "icb_2026_share",
            "number",
            "Share of the 2022 ICB going to icb_2026_code (1 unless split)",
            minimum=0,
            maximum=1,
        ),
        Field(
            "icb_2026_parts",
            "string",
            "Every 2026 ICB receiving part of the area with its share, e.g. "
            "'T6Y0W:0.650998;D7T5G:0.349002' (shares of registered patients, August 2026, or LSOA shares for "
            "Frimley); 'QE1:1' if whole",
            pattern=r"[A-Z0-9]{3,5}:[0-9.]+(;[A-Z0-9]{3,5}:[0-9.]+)*",
        ),
        Field(
            "icb_2026_basis",
            "string",
            "How icb_2026_code was derived",
            enum=("ods_trusts", "ods_trusts_majority", "split_largest_part"),
        ),
        Field("icb_2026_note", "string", "The evidence for icb_2026_code, in words"),
    ),
    primary_key=("icb_code",),
    sources=(
        "ccg21_icb22_crosswalk",
        "ccg21_population_mid2020",
        "lsoa11_ccg21_lad21_lookup",
        "ods_etr_2020_10",
        "ods_etr_2026_06",
        "gp_patients_single_age_2026_08",
    ),
    build=build_icbs,
    as_of="2022-07-01",
    rows=(42, 42),
    checks=(_check_icbs,),
    method=(
        "ICB codes and names come from the ONS lookup of April 2021 CCGs to July 2022 sub-ICB locations and ICBs. "
        "Population is the ONS mid-2020 estimate for the 106 April 2021 CCGs, summed to ICBs through that lookup "
        "(`population`) and, for comparison, to the April 2021 STP/ICS footprints (`population_stp21`). The region is "
        "that of the April 2021 STP with the same ODS code, converted from the ONS E40 code to the ODS Y code. "
        "`n_trusts` counts the English NHS trusts open in the ODS etr file of October 2020, each under the STP code of "
        "its headquarters (the ODS STP codes are the later ICB codes). `n_local_authorities` counts the 2021 local "
        "authority districts with at least one 2011 LSOA in the ICB, using the ONS LSOA to CCG to district lookup with "
        "the three July 2022 boundary moves applied (see the local-authority overlap table). The 2026 ICB is derived "
        "from the ODS etr file of June 2026: for the trusts open in both files, the October 2020 STP code is mapped to "
        "the June 2026 ICB code. Where all such trusts of a 2022 ICB report to one 2026 ICB, that is its successor "
        "(`ods_trusts`). For Black Country one of six trusts reports to Birmingham and Solihull because its headquarters "
        "lay in West Birmingham, which moved in July 2022 (`ods_trusts_majority`). Three 2022 ICBs were divided on "
        "1 April 2026 between new boards, as listed in the published record of the 2026 changes (six new ICBs: S1Y5D "
        "Central East, D7T5G Essex, T6Y0W Norfolk and Suffolk, S0E4D Thames Valley, S9B9J Surrey and Sussex, Z9B2Z West "
        "and North London; Hampshire and Isle of Wight gains part of Frimley): Suffolk and North East Essex, "
        "Hertfordshire and West Essex, and Frimley. Each is assigned to the new board taking the larger part, measured by "
        "registered patients of 1 August 2026 where the split follows the lines of its April 2021 CCGs (the sub-ICB "
        "locations of 2026 keep their codes and areas, so the shares are counts, not estimates; patients rather than "
        "residents because what the shares divide, the ICB's own staff and its running cost allowance, serve and are "
        "set by registered patients, and because no ONS estimate on those lines is later than mid-2020), and by LSOA "
        "counts for Frimley (one CCG, divided along district lines that no published count follows); `icb_2026_share` "
        "gives that part (`split_largest_part`). The trust headquarters agree in every case."
    ),
    caveats=(
        "The population is on April 2021 CCG boundaries. England totals 56,550,138 on both bases. The smallest area is "
        "Shropshire, Telford and Wrekin (506,737) and the largest Cumbria and North East, the later North East and North "
        "Cumbria (3,000,432), on both bases. The median is 1,159,763 on the April 2021 STP footprints and 1,175,103 on the "
        "July 2022 ICBs. On the July 2022 ICBs the only whole-CCG move, Bassetlaw (118,280 people) from South Yorkshire "
        "and Bassetlaw to Nottingham and Nottinghamshire, is exact. The other moves split CCGs: West Birmingham went from "
        "the Black Country to Birmingham and Solihull, Glossop from Greater Manchester to Derby and Derbyshire, and small "
        "areas between Northamptonshire and Cambridgeshire and Peterborough. For the six ICBs concerned "
        "(`population_approximate`), the figure is the population of the CCGs before the move; ONS publishes no mid-2020 "
        "estimate on the July 2022 boundaries. Trust counts are of October 2020 and precede later trust mergers. A trust "
        "is counted once, where its headquarters is, although many serve several ICBs. The 2026 mapping gives a single "
        "successor to the three ICBs that were divided in 2026; use `icb_2026_share` and `icb_2026_note` before adding "
        "2022 figures up to 2026 boards."
    ),
)

CCG_LINEAGE = Dataset(
    name="ccg_lineage",
    title="CCG lineage, April 2013 to July 2022",
    description="Every clinical commissioning group that existed in April 2013, April 2019, April 2020 or April 2021, "
    "with the April 2021 CCG it became part of, its STP and the ICB of July 2022.",
    fields=(
        Field("ccg_code", "string", "CCG ODS code", pattern=CCG_CODE),
        Field(
            "ccg_gss_code",
            "string",
            "ONS code at the last of the April 2013/2019/2020/2021 snapshots in which the CCG existed",
            pattern=r"E38\d{6}",
        ),
        Field(
            "ccg_gss_code_2013",
            "string",
            "ONS code of April 2013 (CCGs of 2013 only; ONS recoded CCGs whose boundary changed)",
            required=False,
            pattern=r"E38\d{6}",
        ),
        Field("ccg_name", "string", "CCG name at its last snapshot, as 'NHS <name> CCG'"),
        Field("exists_2013", "boolean", "One of the 211 CCGs of April 2013"),
        Field("exists_2019", "boolean", "One of the 191 CCGs of April 2019"),
        Field("exists_2020", "boolean", "One of the 135 CCGs of April 2020"),
        Field("exists_2021", "boolean", "One of the 106 CCGs of April 2021"),
        Field("area_team_2013", "string", "NHS England area team of April 2013", required=False),
        Field(
            "stp_code",
            "string",
            "STP (ODS code) of the CCG at its last snapshot from April 2019 on; empty for CCGs gone by April 2019",
            required=False,
            pattern=ICB_CODE,
        ),
        Field(
            "successor_2021_code",
            "string",
            "The April 2021 CCG the CCG became part of (itself if it still existed)",
            pattern=CCG_CODE,
        ),
        Field(
            "successor_date",
            "date",
            "Date of the last merger on the way to successor_2021_code (empty if none)",
            required=False,
        ),
        Field(
            "successor_basis",
            "string",
            "Source of each merger step, joined by '+': ods_successor_file, "
            "stp_partner_mapping_change_log, reffile_ccg_mergers, same_stp_new_ccg_2021; 'unchanged' if none",
        ),
        Field(
            "successor_exact",
            "boolean",
            "False where a step was inferred (same_stp_new_ccg_2021) rather than read from a list of mergers",
        ),
        Field("stp21_code", "string", "STP/ICS of April 2021 (ODS code) of the successor", pattern=ICB_CODE),
        Field("icb_code", "string", "ICB of July 2022 (ODS code) of the successor", pattern=ICB_CODE),
    ),
    primary_key=("ccg_code",),
    sources=(
        "ccg13_names_codes",
        "ccg13_area_team_region",
        "ods_eccg_2018_11",
        "org_change_paths_2000_2018",
        "ods_stp_partner_mapping_2019",
        "ccg_stp_reffile_2020",
        "ccg21_icb22_crosswalk",
        "geo_ccg_2019",
        "geo_ccg_2020",
    ),
    build=build_ccg_lineage,
    as_of="2013-04/2022-07",
    rows=(248, 248),
    foreign_keys={"icb_code": ("icbs", "icb_code")},
    checks=(_check_lineage,),
    method=(
        "The CCGs of each snapshot are the 211 of the ONS April 2013 list, the 191 and 135 of the NHS reference file "
        "CCG_STP_RefFile_Apr20 (sheets 'Pre-Apr 2020' and 'Post-Apr 2020') and the 106 of the ONS April 2021 to July "
        "2022 lookup. Each code is followed forward one snapshot at a time. From 2013 to 2019, the mergers of April 2015, "
        "2017 and 2018 come from the ODS successor file (predecessor to successor chains), and the Derbyshire and Devon "
        "mergers of April 2019 come from the change log of the ODS STP partner mapping. The CCGs that the ODS eccg file "
        "shows closing on 31 March 2018 are checked against the successor file. The April 2020 mergers come from the "
        "reference file's 'CCG Mergers' sheet. No merger list for April 2021 is among the sources. Each CCG that closed "
        "then is assigned to the one new April 2021 CCG in the same STP, and there was exactly one in every case. ONS "
        "codes of CCGs that closed between 2019 and 2021 come from matching names with the ONS April 2019 and April 2020 "
        "CCG boundary layers."
    ),
    caveats=(
        "The lineage follows ODS codes. Boundary transfers between CCGs that kept their codes are not shown. For example, "
        "South Cumbria moved from Cumbria CCG (01H, later North Cumbria) to Lancashire North CCG (01K, later Morecambe "
        "Bay) before April 2019, and ONS gave both new E38 codes. The April 2021 mergers (the 38 CCGs that closed then) are inferred from STP membership, "
        "not read from a merger list (`successor_exact` = false). The inference has no ambiguity: each of the nine STPs "
        "concerned formed exactly one new CCG. The July 2022 ICB is that of the April 2021 successor, so the parts that "
        "moved in July 2022 (Glossop, West Birmingham) count with their 2021 CCG's ICB. CCGs created and dissolved "
        "between two snapshots would not appear. The successor file shows none; its other codes are commissioning hubs. The intermediate totals (209 in "
        "2015, 207 in 2017) are not checked, because the eccg extract leaves out CCGs that closed before 2018."
    ),
)

LAD_ICB_OVERLAP = Dataset(
    name="lad_icb_overlap",
    title="Local authority districts and ICBs",
    description="How the 309 local authority districts (2021) of England fall into ICBs (July 2022) and into the "
    "STP/ICS footprints of April 2021, counted in 2011 LSOAs.",
    fields=(
        Field("lad_code", "string", "Local authority district (2021) ONS code", pattern=r"E0[6-9]\d{6}"),
        Field("lad_name", "string", "Local authority district name"),
        Field("icb_code", "string", "ICB (ODS code; the STP/ICS of April 2021 had the same code)", pattern=ICB_CODE),
        Field("icb_name", "string", "ICB short name"),
        Field(
            "n_lsoas",
            "integer",
            "LSOAs of the district in the ICB (July 2022); 0 where the district's part moved out in July 2022",
            unit="LSOAs",
            minimum=0,
        ),
        Field("share_of_lad_lsoas", "number", "n_lsoas as a share of the district's LSOAs", minimum=0, maximum=1),
        Field(
            "n_lsoas_stp21",
            "integer",
            "LSOAs of the district in the April 2021 STP/ICS with this code",
            unit="LSOAs",
            minimum=0,
        ),
        Field(
            "share_of_lad_lsoas_stp21",
            "number",
            "n_lsoas_stp21 as a share of the district's LSOAs",
            minimum=0,
            maximum=1,
        ),
        Field("lad_split", "boolean", "The district has LSOAs in more than one ICB (July 2022)"),
        Field("lad_split_stp21", "boolean", "The district had LSOAs in more than one STP/ICS (April 2021)"),
        Field(
            "moved_2022",
            "boolean",
            "The July 2022 boundary changes moved LSOAs of the district into or out of this area",
        ),
    ),
    primary_key=("lad_code", "icb_code"),
    sources=("lsoa11_ccg21_lad21_lookup", "ccg21_icb22_crosswalk"),
    build=build_lad_icb_overlap,
    as_of="2022-07-01",
    rows=(320, 345),
    foreign_keys={"icb_code": ("icbs", "icb_code")},
    checks=(_check_overlap,),
    method=(
        "Each 2011 LSOA has an April 2021 CCG and a 2021 local authority district in the ONS lookup. The CCG gives the "
        "April 2021 STP/ICS and, through the ONS crosswalk, the July 2022 ICB. The crosswalk works at CCG level, so three "
        "July 2022 moves that cut across CCGs are applied to LSOAs. The Birmingham LSOAs of the Black Country and West "
        "Birmingham CCG go to Birmingham and Solihull, the High Peak LSOAs of Tameside and Glossop CCG to Derby and "
        "Derbyshire, and the North Northamptonshire LSOAs of Cambridgeshire and Peterborough CCG to Northamptonshire. "
        "These are exactly the six sub-ICB locations the crosswalk flags as changed, and the builder fails if the flags "
        "change. A row is kept for every district and area pair with LSOAs on either basis."
    ),
    caveats=(
        "LSOA counts stand in for population: LSOAs hold roughly equal numbers of people (about 1,500 in 2011). On the "
        "April 2021 STP footprints, 15 districts were split: Birmingham, Buckinghamshire, Chichester, Copeland, Craven, "
        "East Suffolk, Guildford, Hart, High Peak, North Hertfordshire, North Northamptonshire, Runnymede, Surrey Heath, "
        "Vale of White Horse and Waverley. The July 2022 moves reunited Birmingham, High Peak and North Northamptonshire, "
        "which leaves 12. The Bassetlaw move changed no split because the whole district moved. The three moves are "
        "applied to whole district parts. This follows the principle of the 2022 establishment order (areas built from "
        "whole districts plus LSOAs) but is not a copy of that order's LSOA lists. The Cambridgeshire and Peterborough "
        "part of North Hertfordshire (Royston) is left unchanged, because the crosswalk does not flag Hertfordshire and "
        "West Essex as changed. Surrey Heartlands and Sussex moved a boundary again in April 2023; that change is not "
        "shown here."
    ),
)

STP_FOOTPRINTS_2016 = Dataset(
    name="stp_footprints_2016",
    title="The 44 STP footprints of March 2016",
    description="The original sustainability and transformation plan footprints (ONS codes E54000001-E54000044) with "
    "their CCGs and what became of them.",
    fields=(
        Field("stp_gss_code", "string", "Footprint ONS code (2016)", pattern=r"E540000[0-4]\d"),
        Field("stp_name", "string", "Footprint name (2016)"),
        Field("region_2016", "string", "NHS England region of the time, with its ODS code"),
        Field(
            "n_ccgs",
            "integer",
            "CCGs in the footprint per the ONS mapping (a CCG split between footprints counts in each)",
            minimum=1,
        ),
        Field("n_ccgs_stated", "integer", "Number of CCGs stated in the ODS column of the same sheet", minimum=1),
        Field("ccg_codes", "string", "ODS codes of those CCGs, separated by ';'"),
        Field(
            "stp_ods_code",
            "string",
            "ODS code of the STP for this footprint (matched on footprint number)",
            pattern=ICB_CODE,
        ),
        Field(
            "merged_into",
            "string",
            "ODS code of the STP it merged into; empty if unchanged",
            required=False,
            pattern=ICB_CODE,
        ),
        Field("date_merged", "date", "Date of that merger", required=False),
        Field("stp21_gss_code", "string", "ONS code of the April 2021 STP/ICS it is part of", pattern=r"E54\d{6}"),
        Field("icb_code", "string", "ODS code of that STP/ICS, equal to the July 2022 ICB code", pattern=ICB_CODE),
        Field("gss_code_changed", "boolean", "The ONS code had changed by April 2021 (merger or boundary change)"),
    ),
    primary_key=("stp_gss_code",),
    sources=("ods_stp_partner_mapping_2019", "ccg21_icb22_crosswalk"),
    build=build_stp_footprints,
    as_of="2016-03-15",
    rows=(44, 44),
    foreign_keys={"icb_code": ("icbs", "icb_code")},
    checks=(_check_footprints,),
    method=(
        "Footprints and their CCGs come from the ONS columns of the sheet 'ONS STP-CCG mapping' of the ODS STP partner "
        "mapping (April 2019). Names, regions and stated CCG counts come from the ODS columns beside them. Each footprint "
        "is linked to its STP ODS code by footprint number, using the sheets 'Current STPs' and 'Closed STP codes'. "
        "Mergers come from the 'Change Log' rows of type 'STP code closed (merger)'. The April 2021 ONS code is that of "
        "the STP with the same ODS code (or of the STP it merged into) in the ONS crosswalk."
    ),
    caveats=(
        "The 44 became 42 when three northern footprints (Northumberland, Tyne and Wear; West, North and East Cumbria; "
        "Durham, Darlington, Tees, Hambleton, Richmondshire and Whitby) merged into Cumbria and North East (QHM) on 7 June "
        "2018. ONS first recoded two of them (E54000045, E54000046) to move North Durham between footprints, and the "
        "merged STP was later E54000049 and then E54000050. Cumbria CCG (01H) was split between the Cumbria and "
        "Lancashire footprints and counts in both. A changed ONS code by 2021 can also mean a boundary change without a "
        "merger: Lancashire and South Cumbria, West Yorkshire, Humber Coast and Vale, Surrey Heartlands and Sussex."
    ),
)

DATASETS = [ICBS, CCG_LINEAGE, LAD_ICB_OVERLAP, STP_FOOTPRINTS_2016]
