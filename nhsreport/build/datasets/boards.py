"""The 36 integrated care boards of 1 April 2026 at small-area level: which board each local
authority district falls in, and which board(s) each 2021 CCG's area falls in (which places GP
practices).

Both tables start from the ONS LSOA lookup (every 2011 LSOA with its April 2021 CCG and 2021
district), the July 2022 ICB of each LSOA (:func:`nhsreport.build.datasets.geography.lsoa_assignment`) and the 2026
successor of each 2022 ICB (``icbs.icb_2026_parts``). The three 2022 ICBs divided in 2026 are
divided along April 2021 CCGs or districts (:data:`nhsreport.schema.SPLITS_2026`), so every LSOA has
exactly one 2026 board.
"""

from __future__ import annotations

import pandas as pd

from nhsreport.build.datasets.geography import lsoa_assignment
from nhsreport.build.readers.ons import read_crosswalk, read_lsoa_lookup
from nhsreport.errors import DataError
from nhsreport.schema import CCG_CODE, ICB_CODE, SPLITS_2026, Dataset, Field

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


def build_ccg_board_overlap(ctx) -> pd.DataFrame:
    return ccg_board_overlap(_lsoas_with_boards(ctx), ctx.dataset("icbs"))


def ccg_board_overlap(a: pd.DataFrame, icbs: pd.DataFrame) -> pd.DataFrame:
    """Each April 2021 CCG with the July 2022 ICB(s) and 2026 board(s) of its LSOAs."""
    o = a.groupby(["ccg21", "icb22", "board"]).size().rename("n_lsoas").reset_index()
    o = o.rename(columns={"ccg21": "ccg_code", "icb22": "icb_code", "board": "icb_2026_code"})
    o["share_of_ccg_lsoas"] = (o["n_lsoas"] / o["ccg_code"].map(a.groupby("ccg21").size())).round(6)
    return o.sort_values(["ccg_code", "icb_code", "icb_2026_code"], kind="mergesort").reset_index(drop=True)


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

CCG_BOARD_OVERLAP = Dataset(
    name="ccg_board_overlap",
    title="CCGs of 2021 and the ICBs of 2022 and 2026",
    description="How the 106 clinical commissioning groups of April 2021 fall into the ICBs of July 2022 and the "
    "boards of 1 April 2026, counted in 2011 LSOAs (most lie wholly in one of each).",
    fields=(
        Field("ccg_code", "string", "April 2021 CCG (ODS code)", pattern=CCG_CODE),
        Field("icb_code", "string", "July 2022 ICB (ODS code)", pattern=ICB_CODE),
        Field("icb_2026_code", "string", "ICB of 1 April 2026 (ODS code)", pattern=ICB26_CODE),
        Field("n_lsoas", "integer", "LSOAs of the CCG in both", unit="LSOAs", minimum=1),
        Field("share_of_ccg_lsoas", "number", "n_lsoas as a share of the CCG's LSOAs", minimum=0, maximum=1),
    ),
    primary_key=("ccg_code", "icb_code", "icb_2026_code"),
    sources=("lsoa11_ccg21_lad21_lookup", "ccg21_icb22_crosswalk"),
    build=build_ccg_board_overlap,
    as_of="2026-04-01",
    rows=(106, 130),
    foreign_keys={"icb_code": ("icbs", "icb_code")},
    depends=("icbs",),
    method="As the district table, grouped by the LSOAs' April 2021 CCG instead of their district. It places GP "
    "practices, whose file gives their CCG but no finer location, in the ICBs and boards of their CCG's area.",
    caveats="Four CCG areas were divided: three by the July 2022 moves (Black Country and West Birmingham, Tameside "
    "and Glossop, Cambridgeshire and Peterborough) and Frimley in 2026.",
)

DATASETS = [LAD_BOARD_OVERLAP, CCG_BOARD_OVERLAP]
