"""The 36 integrated care boards of 1 April 2026 at small-area level and their populations:
which board each local authority district of 2023 falls in, with its mid-2024 residents
(``lad_board_overlap``), which board(s) each 2021 CCG's area falls in (``ccg_board_overlap``),
the registered patients of August 2026 by region, board, sub-ICB location and primary care
network (``registered_patients_2026``) and each board's residents, patients, practices and
networks (``board_populations``).

The tables of areas start from the ONS LSOA lookup (every 2011 LSOA with its April 2021 CCG and
2021 district), the July 2022 ICB of each LSOA
(:func:`nhsreport.build.datasets.geography.lsoa_assignment`) and the 2026 successor of each 2022
ICB (``icbs.icb_2026_parts``). The three 2022 ICBs divided in 2026 are divided along April 2021
CCGs or districts (:data:`nhsreport.schema.SPLITS_2026`), so every LSOA has exactly one 2026
board; the August 2026 practice map then checks every LSOA's board through its sub-ICB location
(:func:`lsoa_sub_icbs`). Districts are those of 2023 (:data:`nhsreport.schema.UNITARIES_2023`).
"""

from __future__ import annotations

import pandas as pd

from nhsreport.build.datasets.geography import MOVES_2022, lsoa_assignment, sub_icb_patients
from nhsreport.build.readers.ods import read_provider_types
from nhsreport.build.readers.ons import read_crosswalk, read_lsoa_lookup, read_mid_year_districts
from nhsreport.build.readers.registrations import UNALLOCATED, read_registered_ages
from nhsreport.errors import DataError
from nhsreport.formatting import tidy_name
from nhsreport.schema import CCG_CODE, ICB_CODE, REDRAWN_2026, REGIONS, SPLITS_2026, UNITARIES_2023, Dataset, Field

#: The 2023 district of each 2021 district replaced by a unitary council on 1 April 2023.
LAD23_OF_LAD21 = {old: new for new, (_, olds) in UNITARIES_2023.items() for old in olds}
#: The age groups of the population tables: name -> youngest age in it.
AGE_GROUPS = {"65_plus": 65, "85_plus": 85}

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


def lsoa_sub_icbs(a: pd.DataFrame, sub_boards: pd.Series, label) -> pd.Series:
    """The sub-ICB location of the August 2026 practice map of every LSOA of ``a`` (columns
    ``ccg21``, ``LAD21CD``, ``board``): that of its 2021 CCG's code, the one a July 2022 move
    (:data:`nhsreport.build.datasets.geography.MOVES_2022`) took it to, or, for a CCG redrawn in
    2026, the one of its board (:data:`nhsreport.schema.REDRAWN_2026`). ``sub_boards``: the board
    of each sub-ICB location of the practice map. An LSOA whose board is not that of its sub-ICB
    location in the practice map is an error: the map decides."""
    sub = a["ccg21"].astype("object").copy()
    for ccg, lad, _name, _icb, loc, _label in MOVES_2022:
        sub[(a["ccg21"] == ccg) & (a["LAD21CD"] == lad)] = loc
    for ccg, by_board in REDRAWN_2026.items():
        sel = a["ccg21"] == ccg
        sub[sel] = a.loc[sel, "board"].map(by_board)
    for bad, expected in (
        (~sub.isin(sub_boards.index), "a sub-ICB location of the August 2026 practice map"),
        (sub.map(sub_boards) != a["board"], "the board of its sub-ICB location in the August 2026 practice map"),
    ):
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            found = (
                f"{int(bad.sum())} LSOAs, e.g. CCG {a['ccg21'].iloc[i]} -> {sub.iloc[i]}, board {a['board'].iloc[i]}"
            )
            raise DataError(label, f"LSOA {a['LSOA11CD'].iloc[i]}", expected, found)
    return sub


def _sub_icb_patients(ctx) -> pd.Series:
    """Registered patients (all ages, August 2026) of each sub-ICB location, by ODS code."""
    return sub_icb_patients(ctx.raw("gp_patients_single_age_2026_08"))


def lsoa_weights(sub: pd.Series, patients: pd.Series) -> pd.Series:
    """Each LSOA's share of its sub-ICB location's registered patients, spread evenly over the
    location's LSOAs: the weight that apportions a district divided between boards."""
    n = sub.map(sub.value_counts())
    return sub.map(patients).astype("float64") / n


def split_count(total: int, shares: list[float]) -> list[int]:
    """``total`` divided in proportion to ``shares`` into whole numbers that add up to it: each
    part rounded, the difference put on the largest part."""
    parts = [round(total * s) for s in shares]
    if parts:
        parts[max(range(len(shares)), key=lambda i: shares[i])] += total - sum(parts)
    return parts


def district_ages(districts: pd.DataFrame) -> pd.DataFrame:
    """Residents of all ages (``all_ages``) and of each of :data:`AGE_GROUPS`, with ``name``, by
    district code, from the single years of :func:`nhsreport.build.readers.ons.read_mid_year_districts`."""
    d = districts.set_index("code")
    out = d[["name", "all_ages"]].copy()
    for group, youngest in AGE_GROUPS.items():
        out[group] = d[[str(a) for a in range(youngest, 91)]].sum(axis=1)
    return out


def build_lad_board_overlap(ctx) -> pd.DataFrame:
    a = _lsoas_with_boards(ctx)
    practices = ctx.dataset("gp_practices_2026")
    sub_boards = practices.drop_duplicates("sub_icb_code").set_index("sub_icb_code")["icb_2026_code"]
    label = ctx.raw("gp_practice_mapping_2026_08")
    a["weight"] = lsoa_weights(lsoa_sub_icbs(a, sub_boards, label), _sub_icb_patients(ctx)).to_numpy()
    districts = read_mid_year_districts(ctx.raw("mye24_persons_lad23"))
    districts = districts[districts["code"].str.fullmatch(r"E0[6-9]\d{6}")]
    return lad_board_overlap(a, ctx.dataset("icbs"), district_ages(districts))


def lad_board_overlap(a: pd.DataFrame, icbs: pd.DataFrame, residents: pd.DataFrame) -> pd.DataFrame:
    """Each 2023 district and board of 2026 sharing LSOAs of ``a`` (with ``LAD21CD``, ``board``
    and ``weight``), with the district's mid-2024 ``residents`` (:func:`district_ages`) divided
    between its boards in proportion to the weights (:func:`split_count`)."""
    names26 = dict(zip(icbs["icb_2026_code"], icbs["icb_2026_name"]))
    a = a.assign(lad_code=a["LAD21CD"].map(LAD23_OF_LAD21).fillna(a["LAD21CD"]))
    o = a.groupby(["lad_code", "board"]).agg(n_lsoas=("weight", "size"), weight=("weight", "sum")).reset_index()
    o = o.rename(columns={"board": "icb_2026_code"})
    differ = sorted(set(o["lad_code"]) ^ set(residents.index))
    if differ:
        raise ValueError(f"districts of the LSOA lookup and of the mid-year estimates differ: {differ[:5]}")
    o["lad_name"] = o["lad_code"].map(residents["name"])
    o["icb_2026_name"] = o["icb_2026_code"].map(names26)
    o["share_of_lad_lsoas"] = (o["n_lsoas"] / o["lad_code"].map(o.groupby("lad_code")["n_lsoas"].sum())).round(6)
    o["share_of_lad_patients"] = (o["weight"] / o["lad_code"].map(o.groupby("lad_code")["weight"].sum())).round(6)
    o["lad_split"] = o["lad_code"].map(o.groupby("lad_code").size()) > 1
    o = o.sort_values(["lad_code", "icb_2026_code"], kind="mergesort").reset_index(drop=True)
    shares = o.groupby("lad_code", sort=False)["share_of_lad_patients"].agg(list)
    for col, src in [("residents", "all_ages")] + [(f"residents_{g}", g) for g in AGE_GROUPS]:
        o[col] = [n for code, sh in shares.items() for n in split_count(int(residents.at[code, src]), sh)]
    return o[[f.name for f in LAD_BOARD_FIELDS]]


def build_ccg_board_overlap(ctx) -> pd.DataFrame:
    return ccg_board_overlap(_lsoas_with_boards(ctx), ctx.dataset("icbs"))


def ccg_board_overlap(a: pd.DataFrame, icbs: pd.DataFrame) -> pd.DataFrame:
    """Each April 2021 CCG with the July 2022 ICB(s) and 2026 board(s) of its LSOAs."""
    o = a.groupby(["ccg21", "icb22", "board"]).size().rename("n_lsoas").reset_index()
    o = o.rename(columns={"ccg21": "ccg_code", "icb22": "icb_code", "board": "icb_2026_code"})
    o["share_of_ccg_lsoas"] = (o["n_lsoas"] / o["ccg_code"].map(a.groupby("ccg21").size())).round(6)
    return o.sort_values(["ccg_code", "icb_code", "icb_2026_code"], kind="mergesort").reset_index(drop=True)


def _check_lad_boards(df, label):
    """All 36 boards, the 296 English districts of 2023, shares summing to 1 in every district, and
    the residents adding up to England's mid-2024 estimate (checked against the file's England row
    by the board table)."""
    if df["icb_2026_code"].nunique() != 36:
        raise DataError(label, "column 'icb_2026_code'", "all 36 boards of 1 April 2026", df["icb_2026_code"].nunique())
    if df["lad_code"].nunique() != 296:
        raise DataError(label, "column 'lad_code'", "the 296 English districts of 2023", df["lad_code"].nunique())
    for col in ("share_of_lad_lsoas", "share_of_lad_patients"):
        s = df.groupby("lad_code")[col].sum()
        if ((s - 1).abs() > 1e-5).any():
            raise DataError(
                label,
                f"column {col!r}",
                "shares summing to 1 in every district",
                s[(s - 1).abs() > 1e-5].head(3).to_dict(),
            )


LAD_BOARD_FIELDS = (
    Field("lad_code", "string", "Local authority district (2023) ONS code", pattern=r"E0[6-9]\d{6}"),
    Field("lad_name", "string", "Local authority district name (as in the mid-2024 estimates)"),
    Field("icb_2026_code", "string", "ICB of 1 April 2026 (ODS code)", pattern=ICB26_CODE),
    Field("icb_2026_name", "string", "Short name of that ICB"),
    Field("n_lsoas", "integer", "LSOAs (2011) of the district in the ICB", unit="LSOAs", minimum=1),
    Field("share_of_lad_lsoas", "number", "n_lsoas as a share of the district's LSOAs", minimum=0, maximum=1),
    Field(
        "share_of_lad_patients",
        "number",
        "The part's share of the district by registered patients (August 2026): each LSOA weighted by its sub-ICB "
        "location's patients per LSOA; an estimate where the district is split",
        minimum=0,
        maximum=1,
    ),
    Field("lad_split", "boolean", "The district has LSOAs in more than one 2026 ICB"),
    Field(
        "residents",
        "integer",
        "Residents (ONS mid-2024 estimate) of the district in the ICB: all of them where the district is whole, "
        "else the district's residents times share_of_lad_patients (an estimate)",
        unit="people",
        minimum=0,
    ),
    Field("residents_65_plus", "integer", "Of them aged 65 or over (apportioned alike)", unit="people", minimum=0),
    Field("residents_85_plus", "integer", "Of them aged 85 or over (apportioned alike)", unit="people", minimum=0),
)

LAD_BOARD_OVERLAP = Dataset(
    name="lad_board_overlap",
    title="Local authority districts (2023) and the ICBs of April 2026, with mid-2024 residents",
    description="How the 296 local authority districts of England (December 2023 boundaries, with the unitary "
    "councils of April 2023) fall into the 36 integrated care boards of 1 April 2026, counted in 2011 LSOAs, with "
    "the district's ONS mid-2024 residents in each board.",
    fields=LAD_BOARD_FIELDS,
    primary_key=("lad_code", "icb_2026_code"),
    sources=(
        "lsoa11_ccg21_lad21_lookup",
        "ccg21_icb22_crosswalk",
        "gp_practice_mapping_2026_08",
        "gp_patients_single_age_2026_08",
        "mye24_persons_lad23",
    ),
    build=build_lad_board_overlap,
    as_of="2026-04-01",
    rows=(296, 330),
    checks=(_check_lad_boards,),
    depends=("icbs", "gp_practices_2026"),
    method=(
        "Each 2011 LSOA gets its July 2022 ICB as in the district and ICB table (ONS lookup and crosswalk, with the "
        "three July 2022 moves applied), then the board it belongs to from 1 April 2026: the single successor of its "
        "2022 ICB (icbs.icb_2026_parts), or, for the three ICBs divided in 2026, the board its April 2021 CCG "
        "(Suffolk and North East Essex; Hertfordshire and West Essex) or its district (Frimley) went to. The August "
        "2026 practice map then decides: each LSOA's sub-ICB location (its 2021 CCG's code; the location a July 2022 "
        "move took it to; for Frimley, redrawn in 2026, the location of its board) must lie in the same board in the "
        "map, or the build stops; all 32,844 LSOAs agree. The 17 districts of 2021 that became the four unitary "
        "councils of April 2023 (Cumberland, Westmorland and Furness, North Yorkshire, Somerset) are put together, "
        "giving the 296 districts of the mid-2024 estimates. A district lying wholly in one board (most) brings all "
        "its mid-2024 residents; a district split between boards is divided in proportion to registered patients: "
        "each LSOA counts for its sub-ICB location's registered patients (August 2026) divided by that location's "
        "LSOAs, and the parts are rounded to whole people that add up to the district's estimate."
    ),
    caveats=(
        "The residents of a split district's parts are estimates (the same weighting for every age group). LSOAs are "
        "those of 2011 and the CCG lookup of April 2021, the finest official lookup the report holds: a district "
        "counts as split when any of its LSOAs lies in another board, which an LSOA on the edge of a sub-ICB location "
        "can cause (Buckinghamshire, Vale of White Horse). The Frimley division is applied along whole districts, "
        "as the practice map confirms for the practices of Surrey Heath, Farnham and North East Hampshire. The "
        "April 2023 boundary move between Surrey Heartlands and Sussex lies inside one board of 2026."
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

# --------------------------------------------------------------------------------------------
# registered patients (August 2026) and the boards' populations
# --------------------------------------------------------------------------------------------

#: The levels of the registered-patient table, in order.
LEVELS = ("region", "board", "sub_icb", "pcn")


def registered_by_org(ages: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation of :func:`nhsreport.build.readers.registrations.read_registered_ages`:
    ``level, org_code, gss_code, patients`` (all ages) and ``patients_<group>`` for each of
    :data:`AGE_GROUPS` (men and women of that age or older; 95 stands for 95 and over)."""
    keys = ["level", "org_code"]
    total = ages[(ages["sex"] == "ALL") & ages["age"].isna()]
    out = total.set_index(keys)[["gss_code", "patients"]].copy()
    by_age = ages[(ages["sex"] != "ALL") & ages["age"].notna()]
    for group, youngest in AGE_GROUPS.items():
        older = by_age[by_age["age"] >= youngest].groupby(keys)["patients"].sum()
        out[f"patients_{group}"] = older.reindex(out.index).fillna(0)
    out = out.reset_index()
    for col in out.columns:
        if col.startswith("patients"):
            out[col] = out[col].astype("int64")
    return out


def _org_names(practices: pd.DataFrame, regions: dict) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(level, code) -> (name, board code) from the practice map; a network with practices in
    several boards (or the 'Unallocated' code) has no board."""
    out = {("region", code): (name, None) for code, name in regions.items()}
    for code, name in practices.drop_duplicates("icb_2026_code")[["icb_2026_code", "icb_2026_name"]].itertuples(
        index=False
    ):
        out[("board", code)] = (name, code)
    for code, name, board in practices.drop_duplicates("sub_icb_code")[
        ["sub_icb_code", "sub_icb_name", "icb_2026_code"]
    ].itertuples(index=False):
        out[("sub_icb", code)] = (name, board)
    pcn = practices.dropna(subset=["pcn_code"]).groupby("pcn_code")
    for code, group in pcn:
        boards26 = group["icb_2026_code"].unique()
        out[("pcn", code)] = (group["pcn_name"].iloc[0], boards26[0] if len(boards26) == 1 else None)
    return out


def build_registered_patients(ctx) -> pd.DataFrame:
    path = ctx.raw("gp_patients_single_age_2026_08")
    out = registered_by_org(read_registered_ages(path))
    practices = ctx.dataset("gp_practices_2026")
    regions = dict(zip(practices["region_code"], practices["region_code"].map(REGIONS)))
    names = _org_names(practices, regions)
    known = [(lv, c) in names or (lv == "pcn" and c == UNALLOCATED) for lv, c in zip(out["level"], out["org_code"])]
    if not all(known):
        i = known.index(False)
        raise DataError(
            path, f"{out['level'].iloc[i]} {out['org_code'].iloc[i]}", "an organisation of the practice map", "none"
        )
    pairs = list(zip(out["level"], out["org_code"]))
    out["org_name"] = [names.get(p, ("Unallocated", None))[0] for p in pairs]
    out["icb_2026_code"] = [names.get(p, ("", None))[1] for p in pairs]
    return out[[f.name for f in REGISTERED_FIELDS]]


def _check_registered(df: pd.DataFrame, label: str) -> None:
    """7 regions, 36 boards, 106 sub-ICB locations, every level adding up to the same England total."""
    got = tuple(int((df["level"] == lv).sum()) for lv in LEVELS[:3])
    totals = df.groupby("level")["patients"].sum()
    if got != (7, 36, 106) or totals.nunique() != 1:
        raise DataError(
            label,
            "rows",
            "7 regions, 36 boards and 106 sub-ICB locations, each level the same total",
            f"{got}, {totals.to_dict()}",
        )


REGISTERED_FIELDS = (
    Field("level", "string", "Kind of organisation", enum=LEVELS),
    Field(
        "org_code",
        "string",
        "ODS code (region Y.., board, sub-ICB location, network U.....; 'U' for practices in no network)",
    ),
    Field("gss_code", "string", "ONS code (empty for networks)", required=False),
    Field("org_name", "string", "Name: short for boards, as published for the others"),
    Field(
        "icb_2026_code",
        "string",
        "Board of 1 April 2026 the organisation lies in (empty for regions and for networks with practices in several boards)",
        required=False,
        pattern=ICB26_CODE,
    ),
    Field("patients", "integer", "Patients registered on 1 August 2026", unit="people", minimum=0),
    Field("patients_65_plus", "integer", "Of them aged 65 or over", unit="people", minimum=0),
    Field("patients_85_plus", "integer", "Of them aged 85 or over", unit="people", minimum=0),
)

REGISTERED_PATIENTS = Dataset(
    name="registered_patients_2026",
    title="Patients registered at a GP practice by region, board, sub-ICB location and network, 1 August 2026",
    description="Patients registered at a GP practice in England on 1 August 2026, with those aged 65 and over and 85 "
    "and over, for the 7 NHS England regions, the 36 integrated care boards of April 2026, the 106 sub-ICB locations "
    "and the primary care networks.",
    fields=REGISTERED_FIELDS,
    primary_key=("level", "org_code"),
    sources=("gp_patients_single_age_2026_08", "gp_practice_mapping_2026_08"),
    build=build_registered_patients,
    as_of="2026-08-01",
    rows=(1400, 1500),
    checks=(_check_registered,),
    depends=("gp_practices_2026",),
    method=(
        "The single-year-of-age file is read as published: the all-ages total of each organisation, and the men and "
        "women of each single year summed from 65 (and from 85) up, the top year being 95 and over. Names and the "
        "board each sub-ICB location and network lies in come from the practice map of the same date. Check: every "
        "level adds up to the same England total."
    ),
    caveats=(
        "Registered patients exceed residents: people stay registered after moving away or abroad, and some are "
        "registered twice (list inflation). A per-head figure says which base it uses."
    ),
)


def build_board_populations(ctx) -> pd.DataFrame:
    districts = read_mid_year_districts(ctx.raw("mye24_persons_lad23"))
    england = district_ages(districts[districts["code"] == ENGLAND_CODE]).iloc[0]
    return board_populations(
        ctx.dataset("lad_board_overlap"),
        ctx.dataset("registered_patients_2026"),
        ctx.dataset("gp_practices_2026"),
        england,
        ctx.raw("mye24_persons_lad23"),
    )


ENGLAND_CODE = "E92000001"


def board_populations(
    lads: pd.DataFrame, registered: pd.DataFrame, practices: pd.DataFrame, england, label
) -> pd.DataFrame:
    """One row per board: mid-2024 residents (the sum of its districts' parts, an estimate where
    one is split), registered patients of August 2026, practices, networks and sub-ICB locations,
    and the practices' April 2025 patients. The residents of all boards must add up to England's
    (``england``: :func:`district_ages` of the England row)."""
    res_cols = ["residents"] + [f"residents_{g}" for g in AGE_GROUPS]
    out = lads.groupby("icb_2026_code")[res_cols].sum()
    for col, src in zip(res_cols, ["all_ages", *AGE_GROUPS]):
        if int(out[col].sum()) != int(england[src]):
            raise DataError(
                label,
                f"England, {src}",
                f"{int(england[src]):,} (the England row)",
                f"{int(out[col].sum()):,} over the boards",
            )
    out["residents_estimate"] = lads.groupby("icb_2026_code")["lad_split"].any()
    reg = registered[registered["level"] == "board"].set_index("org_code")
    out["icb_2026_gss_code"] = reg["gss_code"]
    out["icb_2026_name"] = reg["org_name"]
    out["registered_patients"] = reg["patients"]
    for g in AGE_GROUPS:
        out[f"registered_{g}"] = reg[f"patients_{g}"]
    by_board = practices.groupby("icb_2026_code")
    out["n_sub_icb_locations"] = by_board["sub_icb_code"].nunique()
    out["n_pcns"] = by_board["pcn_code"].nunique()
    out["n_practices"] = by_board.size()
    out["practice_patients_2025_04"] = by_board["patients_2025_04"].sum().astype("int64")
    return out.reset_index()[[f.name for f in POPULATION_FIELDS]]


POPULATION_FIELDS = (
    Field("icb_2026_code", "string", "Board of 1 April 2026 (ODS code)", pattern=ICB26_CODE),
    Field("icb_2026_gss_code", "string", "Its ONS code", pattern=r"E54\d{6}"),
    Field("icb_2026_name", "string", "Short name of the board"),
    Field(
        "residents",
        "integer",
        "Residents, ONS mid-2024 estimate (30 June 2024), summed over its districts",
        unit="people",
        minimum=0,
    ),
    Field("residents_65_plus", "integer", "Of them aged 65 or over", unit="people", minimum=0),
    Field("residents_85_plus", "integer", "Of them aged 85 or over", unit="people", minimum=0),
    Field(
        "residents_estimate",
        "boolean",
        "Part of a district split between boards enters, so the residents are an estimate",
    ),
    Field(
        "registered_patients",
        "integer",
        "Patients registered at its GP practices, 1 August 2026",
        unit="people",
        minimum=0,
    ),
    Field("registered_65_plus", "integer", "Of them aged 65 or over", unit="people", minimum=0),
    Field("registered_85_plus", "integer", "Of them aged 85 or over", unit="people", minimum=0),
    Field("n_sub_icb_locations", "integer", "Sub-ICB locations in the board (August 2026 map)", minimum=1),
    Field("n_pcns", "integer", "Primary care networks with practices in the board (August 2026 map)", minimum=1),
    Field("n_practices", "integer", "GP practices in the board (August 2026 map)", minimum=1),
    Field(
        "practice_patients_2025_04",
        "integer",
        "Patients registered at those practices on 1 April 2025",
        unit="people",
        minimum=0,
    ),
)

BOARD_POPULATIONS = Dataset(
    name="board_populations",
    title="The 36 boards of April 2026: residents (mid-2024), registered patients (August 2026), practices and networks",
    description="For each of the 36 integrated care boards of 1 April 2026: its ONS mid-2024 residents (all ages, 65 "
    "and over, 85 and over), its registered patients on 1 August 2026 (the same ages), and its GP practices, primary "
    "care networks and sub-ICB locations in the August 2026 practice map, with the practices' patients of April 2025.",
    fields=POPULATION_FIELDS,
    primary_key=("icb_2026_code",),
    sources=(
        "mye24_persons_lad23",
        "gp_patients_single_age_2026_08",
        "gp_practice_mapping_2026_08",
        "gp_patients_practice_2025_04",
    ),
    build=build_board_populations,
    as_of="2026-08-01",
    rows=(36, 36),
    depends=("lad_board_overlap", "registered_patients_2026", "gp_practices_2026"),
    method=(
        "Residents: the sum of the board's rows of lad_board_overlap (whole districts, and the apportioned parts of "
        "split ones); the boards add up exactly to England's mid-2024 estimate, or the build stops. Registered "
        "patients: the board's own rows of the single-age file (registered_patients_2026), exact. Practices, networks "
        "and sub-ICB locations: counted in the practice map (gp_practices_2026), where each practice is in exactly "
        "one board; a network with practices in two boards counts in each."
    ),
    caveats=(
        "Two bases, two dates: residents are ONS estimates for 30 June 2024, registered patients are counts for "
        "1 August 2026, higher because of list inflation. The residents of a board that shares a district with "
        "another are estimates (residents_estimate). Patients per practice use the April 2025 lists of the practices "
        "of August 2026."
    ),
)


def build_specialist_trusts(ctx) -> pd.DataFrame:
    pt = read_provider_types(ctx.raw("provider_org_types"))
    pt = pt[pt["specialist"] & (pt["provider_type"] != "Clinical Commissioning Group")]
    return pd.DataFrame({"org_code": pt["org_code"], "org_name": pt["org_name"].map(tidy_name)}).reset_index(drop=True)


SPECIALIST_TRUSTS = Dataset(
    name="specialist_trusts",
    title="Specialist trusts (c. 2018)",
    description="The NHS trusts flagged as specialist in the provider type file of the NHS workforce statistics "
    "(c. 2018): single-specialty or national hospitals such as Royal Papworth, Moorfields or the Royal Marsden, "
    "whose staff serve patients far beyond the board where they are headquartered.",
    fields=(
        Field("org_code", "string", "ODS code of the trust", pattern=r"R[A-Z0-9]{2}"),
        Field("org_name", "string", "Name of the trust as in the file (title case)"),
    ),
    primary_key=("org_code",),
    sources=("provider_org_types",),
    build=build_specialist_trusts,
    as_of="2018",
    rows=(10, 30),
    method="The rows of the provider type file whose SPECIALIST flag is TRUE, CCGs left out.",
    caveats="The flag is of about 2018; a specialist trust that merged since keeps its old code here.",
)

DATASETS = [LAD_BOARD_OVERLAP, CCG_BOARD_OVERLAP, REGISTERED_PATIENTS, BOARD_POPULATIONS, SPECIALIST_TRUSTS]
