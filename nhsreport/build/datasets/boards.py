"""The 36 integrated care boards of 1 April 2026 at small-area level: which board each local
authority district falls in, and which board each GP practice's area falls in.

Both tables start from the ONS LSOA lookup (every 2011 LSOA with its April 2021 CCG and 2021
district), the July 2022 ICB of each LSOA (:func:`nhsreport.build.datasets.geography.lsoa_assignment`) and the 2026
successor of each 2022 ICB (``icbs.icb_2026_parts``). The three 2022 ICBs divided in 2026 are
divided along April 2021 CCGs or districts (:data:`.geography.SPLITS_2026`), so every LSOA has
exactly one 2026 board.
"""

from __future__ import annotations

import pandas as pd

from nhsreport.build.datasets.geography import SPLITS_2026, lsoa_assignment
from nhsreport.build.readers.ods import read_gp_mapping, read_stp_partner_trusts
from nhsreport.build.readers.ons import read_crosswalk, read_lsoa_lookup
from nhsreport.errors import DataError
from nhsreport.schema import CCG_CODE, ICB_CODE, Dataset, Field

ICB26_CODE = r"Q[A-Z0-9]{2}|[A-Z][0-9][A-Z][0-9][A-Z]"


# --------------------------------------------------------------------------------------------
# LSOA -> 2026 board
# --------------------------------------------------------------------------------------------


def lsoa_boards(a: pd.DataFrame, icbs: pd.DataFrame, label) -> pd.Series:
    """The 2026 board (ODS code) of every LSOA of ``a`` (:func:`nhsreport.build.datasets.geography.lsoa_assignment`):
    the single successor of its July 2022 ICB, or, for the three ICBs divided in 2026, the board
    its April 2021 CCG or its district went to."""
    single = {}
    for code, parts in zip(icbs["icb_code"], icbs["icb_2026_parts"]):
        items = [p.split(":")[0] for p in str(parts).split(";")]
        if code in SPLITS_2026:
            _, mapping, _ = SPLITS_2026[code]
            if set(items) != set(mapping.values()):
                raise DataError(
                    label,
                    f"icbs row {code}, column 'icb_2026_parts'",
                    f"the boards of the documented split {sorted(set(mapping.values()))}",
                    sorted(items),
                )
        elif len(items) != 1:
            raise DataError(
                label, f"icbs row {code}, column 'icb_2026_parts'", "one 2026 board (or a documented split)", parts
            )
        else:
            single[code] = items[0]
    out = a["icb22"].map(single)
    for code, (kind, mapping, _) in SPLITS_2026.items():
        sel = a["icb22"] == code
        key = a.loc[sel, "ccg21" if kind == "ccg" else "LAD21CD"]
        out.loc[sel] = key.map(mapping)
    if out.isna().any():
        i = out.isna().to_numpy().nonzero()[0][0]
        raise DataError(
            label, f"LSOA {a['LSOA11CD'].iloc[i]}", "a 2026 board for every LSOA", f"none for ICB {a['icb22'].iloc[i]}"
        )
    return out


def _lsoas_with_boards(ctx) -> pd.DataFrame:
    cw_path = ctx.raw("ccg21_icb22_crosswalk")
    cw = read_crosswalk(cw_path)
    lk = read_lsoa_lookup(ctx.raw("lsoa11_ccg21_lad21_lookup"))
    a = lsoa_assignment(lk, cw, cw_path)
    a["board"] = lsoa_boards(a, ctx.dataset("icbs"), cw_path).to_numpy()
    return a


def build_lad_board_overlap(ctx) -> pd.DataFrame:
    return lad_board_overlap(_lsoas_with_boards(ctx), ctx.dataset("icbs"))


def lad_board_overlap(a: pd.DataFrame, icbs: pd.DataFrame) -> pd.DataFrame:
    names26 = dict(zip(icbs["icb_2026_code"], icbs["icb_2026_name"]))
    total = a.groupby("LAD21CD").size()
    o = a.groupby(["LAD21CD", "board"]).size().rename("n_lsoas").reset_index()
    o = o.rename(columns={"LAD21CD": "lad_code", "board": "icb_2026_code"})
    o["lad_name"] = o["lad_code"].map(a.groupby("LAD21CD")["LAD21NM"].first())
    o["icb_2026_name"] = o["icb_2026_code"].map(names26)
    o["share_of_lad_lsoas"] = (o["n_lsoas"] / o["lad_code"].map(total)).round(6)
    o["lad_split"] = o["lad_code"].map(o.groupby("lad_code").size()) > 1
    cols = ["lad_code", "lad_name", "icb_2026_code", "icb_2026_name", "n_lsoas", "share_of_lad_lsoas", "lad_split"]
    return o[cols].sort_values(["lad_code", "icb_2026_code"], kind="mergesort").reset_index(drop=True)


def build_gp_practices(ctx) -> pd.DataFrame:
    path = ctx.raw("gp_practice_mapping_2020_09")
    return gp_practices(
        read_gp_mapping(path), ctx.dataset("ccg_lineage"), _lsoas_with_boards(ctx), ctx.dataset("icbs"), path
    )


def gp_practices(gp: pd.DataFrame, lineage: pd.DataFrame, a: pd.DataFrame, icbs: pd.DataFrame, path) -> pd.DataFrame:
    """Each practice of September 2020 with its CCG's April 2021 successor, and the July 2022
    ICB and 2026 board(s) whose LSOAs that CCG area covers (largest first)."""
    succ = lineage[lineage["exists_2020"].astype(bool)].set_index("ccg_code")["successor_2021_code"]
    unknown = ~gp["CCG_CODE"].isin(succ.index)
    if unknown.any():
        pos = int(unknown.to_numpy().nonzero()[0][0])
        raise DataError(
            path,
            f"line {pos + 2}, column 'CCG_CODE'",
            "a CCG open in 2020 (ccg_lineage)",
            repr(gp["CCG_CODE"].iloc[pos]),
        )

    def ranked(col: str) -> pd.Series:
        n = a.groupby(["ccg21", col]).size().rename("n").reset_index()
        n = n.sort_values(["ccg21", "n", col], ascending=[True, False, True], kind="mergesort")
        return n.groupby("ccg21")[col].agg(list)

    icb22, boards = ranked("icb22"), ranked("board")
    ccg21 = gp["CCG_CODE"].map(succ)
    out = pd.DataFrame(
        {
            "practice_code": gp["PRACTICE_CODE"],
            "practice_name": gp["PRACTICE_NAME"].str.strip(),
            "postcode": gp["PRACTICE_POSTCODE"].fillna("").str.strip(),
            "pcn_code": gp["PCN_CODE"].fillna(""),
            "pcn_name": gp["PCN_NAME"].fillna("").str.strip(),
            "ccg_code": gp["CCG_CODE"],
            "ccg_2021_code": ccg21,
            "icb_code": ccg21.map(lambda c: icb22[c][0]),
            "icb_2026_code": ccg21.map(lambda c: boards[c][0]),
            "icb_2026_codes": ccg21.map(lambda c: ";".join(boards[c])),
        }
    )
    out["board_certain"] = ~out["icb_2026_codes"].str.contains(";", regex=False)
    out = out.replace({"postcode": {"": pd.NA}, "pcn_code": {"": pd.NA}, "pcn_name": {"": pd.NA}})
    return out.sort_values("practice_code", kind="mergesort").reset_index(drop=True)


def build_trust_system_links(ctx) -> pd.DataFrame:
    path = ctx.raw("ods_stp_partner_mapping_2019")
    return trust_system_links(read_stp_partner_trusts(path), ctx.dataset("trusts"), ctx.dataset("icbs"), path)


def trust_system_links(links: pd.DataFrame, trusts: pd.DataFrame, icbs: pd.DataFrame, path) -> pd.DataFrame:
    """Each trust-system partnership of April 2019 with the trust's code today (its final
    successor where it has merged since) and the 2026 board(s) of that system's area."""
    unknown = ~links["stp"].isin(icbs["icb_code"])
    if unknown.any():
        i = unknown[unknown].index[0]
        raise DataError(
            path,
            "sheet 'Current STPs', column 'ODS STP Code'",
            "the code of a July 2022 ICB",
            repr(links.loc[i, "stp"]),
        )
    succ = trusts.set_index("org_code")["final_successor_code"]
    parts = icbs.set_index("icb_code")["icb_2026_parts"].map(
        lambda p: ";".join(c for c, _ in sorted((x.split(":") for x in str(p).split(";")), key=lambda t: -float(t[1])))
    )
    current = links["trust_code"].map(lambda c: succ.get(c) if isinstance(succ.get(c), str) else c)
    open26 = trusts[(trusts["opened"] <= "2026-04-01") & (trusts["closed"].isna() | (trusts["closed"] >= "2026-04-01"))]
    out = pd.DataFrame(
        {
            "trust_code": links["trust_code"],
            "trust_name": links["trust_name"],
            "icb_code": links["stp"],
            "current_code": current,
            "open_2026": current.isin(open26["org_code"]),
            "icb_2026_codes": links["stp"].map(parts),
        }
    )
    return out.sort_values(["trust_code", "icb_code"], kind="mergesort").reset_index(drop=True)


def _check_lad_boards(df, label):
    if df["icb_2026_code"].nunique() != 36:
        raise DataError(label, "column 'icb_2026_code'", "all 36 boards of 1 April 2026", df["icb_2026_code"].nunique())
    if df["lad_code"].nunique() != 309:
        raise DataError(label, "column 'lad_code'", "the 309 English districts of 2021", df["lad_code"].nunique())
    s = df.groupby("lad_code")["share_of_lad_lsoas"].sum()
    if ((s - 1).abs() > 1e-5).any():
        raise DataError(
            label,
            "column 'share_of_lad_lsoas'",
            "shares summing to 1 in every district",
            s[(s - 1).abs() > 1e-5].head(3).to_dict(),
        )


def _check_practices(df, label):
    if df["icb_2026_code"].nunique() != 36:
        raise DataError(label, "column 'icb_2026_code'", "practices in all 36 boards", df["icb_2026_code"].nunique())


LAD_BOARD_OVERLAP = Dataset(
    name="lad_board_overlap",
    title="Local authority districts and the ICBs of April 2026",
    description="How the 309 local authority districts (2021) of England fall into the 36 integrated care boards of "
    "1 April 2026, counted in 2011 LSOAs.",
    fields=(
        Field("lad_code", "string", "Local authority district (2021) ONS code", pattern=r"E0[6-9]\d{6}"),
        Field("lad_name", "string", "Local authority district name"),
        Field("icb_2026_code", "string", "ICB of 1 April 2026 (ODS code)", pattern=ICB26_CODE),
        Field("icb_2026_name", "string", "Short name of that ICB"),
        Field("n_lsoas", "integer", "LSOAs of the district in the ICB", unit="LSOAs", minimum=1),
        Field("share_of_lad_lsoas", "number", "n_lsoas as a share of the district's LSOAs", minimum=0, maximum=1),
        Field("lad_split", "boolean", "The district has LSOAs in more than one 2026 ICB"),
    ),
    primary_key=("lad_code", "icb_2026_code"),
    sources=("lsoa11_ccg21_lad21_lookup", "ccg21_icb22_crosswalk"),
    build=build_lad_board_overlap,
    as_of="2026-04-01",
    rows=(309, 340),
    checks=(_check_lad_boards,),
    depends=("icbs",),
    method=(
        "Each 2011 LSOA gets its July 2022 ICB as in the district and ICB table (ONS lookup and crosswalk, with the "
        "three July 2022 moves applied), then the board it belongs to from 1 April 2026: the single successor of its "
        "2022 ICB (icbs.icb_2026_parts), or, for the three ICBs divided in 2026, the board its April 2021 CCG "
        "(Suffolk and North East Essex; Hertfordshire and West Essex) or its district (Frimley) went to. Districts "
        "are then counted in LSOAs."
    ),
    caveats=(
        "LSOA counts stand in for population. The Frimley division is applied along whole districts; its exact lines "
        "are in the 2026 establishment orders, which the report does not hold. Boundary changes after July 2022 other "
        "than the 2026 mergers (Surrey Heartlands and Sussex, April 2023) are not applied."
    ),
)

GP_PRACTICES = Dataset(
    name="gp_practices",
    title="GP practices and their systems",
    description="Every GP practice with registered patients in September 2020, with its primary care network, its CCG, "
    "and the July 2022 ICB and April 2026 board(s) of its CCG's area.",
    fields=(
        Field("practice_code", "string", "ODS practice code", pattern=r"[A-Z][0-9A-Z]{5}"),
        Field("practice_name", "string", "Practice name (as published, in capitals)"),
        Field("postcode", "string", "Practice postcode", required=False),
        Field("pcn_code", "string", "Primary care network ODS code", required=False),
        Field("pcn_name", "string", "Primary care network name", required=False),
        Field("ccg_code", "string", "CCG of September 2020 (ODS code)", pattern=CCG_CODE),
        Field("ccg_2021_code", "string", "That CCG or its April 2021 successor (ODS code)", pattern=CCG_CODE),
        Field("icb_code", "string", "July 2022 ICB holding most of the CCG's LSOAs (ODS code)", pattern=ICB_CODE),
        Field(
            "icb_2026_code", "string", "April 2026 ICB holding most of the CCG's LSOAs (ODS code)", pattern=ICB26_CODE
        ),
        Field(
            "icb_2026_codes", "string", "Every April 2026 ICB with LSOAs of the CCG, largest first, separated by ';'"
        ),
        Field(
            "board_certain", "boolean", "The CCG's area lies in one April 2026 ICB, so the practice's board is certain"
        ),
    ),
    primary_key=("practice_code",),
    sources=("gp_practice_mapping_2020_09", "lsoa11_ccg21_lad21_lookup", "ccg21_icb22_crosswalk"),
    build=build_gp_practices,
    as_of="2020-09-01",
    rows=(6000, 7500),
    foreign_keys={"icb_code": ("icbs", "icb_code")},
    checks=(_check_practices,),
    depends=("icbs", "ccg_lineage"),
    method=(
        "The practice file gives each practice's CCG of September 2020; the CCG lineage gives its April 2021 "
        "successor. The 2021 CCG's LSOAs (ONS lookup) give the July 2022 ICB and 2026 board(s) of its area, as in "
        "the district table. The file has no practice location finer than the postcode, so where a CCG area was "
        "divided (Frimley in 2026; Black Country and West Birmingham, Tameside and Glossop and Cambridgeshire and "
        "Peterborough in July 2022), the practice is assigned to the part with most LSOAs and the other parts are listed."
    ),
    caveats=(
        "Practices as of September 2020: practices that opened, merged or closed since are not reflected. Practices "
        "of divided CCG areas (board_certain false) may belong to another of the listed boards."
    ),
)

TRUST_SYSTEM_LINKS = Dataset(
    name="trust_system_links",
    title="Trusts and the systems they serve",
    description="Every NHS trust named as a partner of a sustainability and transformation partnership in April 2019 "
    "(one row per trust and system), with its code today and the boards of 1 April 2026 of that system's area.",
    fields=(
        Field("trust_code", "string", "Trust ODS code in April 2019", pattern=r"R[A-Z0-9]{1,2}|T[A-Z0-9]{2}"),
        Field("trust_name", "string", "Trust name as written in the partner mapping"),
        Field("icb_code", "string", "The STP of April 2019 (ODS code; the July 2022 ICB kept it)", pattern=ICB_CODE),
        Field(
            "current_code", "string", "The trust's code in the June 2026 ODS file (its final successor where it merged)"
        ),
        Field("open_2026", "boolean", "That trust is open on 1 April 2026"),
        Field("icb_2026_codes", "string", "The board(s) of 1 April 2026 of the system's area, largest part first, ';'"),
    ),
    primary_key=("trust_code", "icb_code"),
    sources=("ods_stp_partner_mapping_2019",),
    build=build_trust_system_links,
    as_of="2019-04-03",
    rows=(250, 330),
    foreign_keys={"icb_code": ("icbs", "icb_code")},
    depends=("icbs", "trusts"),
    method=(
        "Sheet 'Current STPs' of the ODS partner mapping lists, for each of the 42 STPs of April 2019, the NHS trusts "
        "among its partners; a trust serving several systems (ambulance trusts, most mental health trusts) is listed "
        "under each. Trust codes are carried forward to their final successor (trust table); each STP code is that of "
        "the July 2022 ICB, whose 2026 board(s) come from icbs.icb_2026_parts."
    ),
    caveats=(
        "Partnerships as recorded in April 2019, from published plans: trusts may have joined or left systems since. "
        "For a system divided in 2026 every board that took part of its area is listed."
    ),
)

DATASETS = [LAD_BOARD_OVERLAP, GP_PRACTICES, TRUST_SYSTEM_LINKS]
