"""Councils that run social care, and the trusts that partner several systems.

* ``lad_upper_tier``: each local authority district (December 2022) with its upper-tier council
  (county or unitary authority), the level that runs adult social care. Unitary authorities,
  metropolitan districts and London boroughs are their own upper tier; a non-metropolitan district
  lies in the county whose boundary contains a point inside the district (ONS boundaries).
* ``stp_trust_partners_2019``: the trust partners of each of the 42 STPs in the ODS partner mapping
  of 3 April 2019, one row per trust and STP.
"""

from __future__ import annotations

import pandas as pd

from nhsreport import geometry
from nhsreport.build.readers.ods import read_stp_trust_hq, read_stp_trust_partners
from nhsreport.build.readers.ons import read_topology
from nhsreport.errors import DataError
from nhsreport.formatting import tidy_name
from nhsreport.schema import ICB_CODE, Dataset, Field

UPPER_TYPES = {"E06": "unitary authority", "E08": "metropolitan district", "E09": "London borough", "E10": "county"}

# --------------------------------------------------------------------------------------------
# lad_upper_tier
# --------------------------------------------------------------------------------------------


def upper_tier_table(lad_path, ctyua_path) -> pd.DataFrame:
    lad_topo, lads = read_topology(lad_path)
    cty_topo, ctys = read_topology(ctyua_path)
    cty_arcs, lad_arcs = geometry.lonlat_arcs(cty_topo), geometry.lonlat_arcs(lad_topo)
    upper = {
        g["properties"]["AREACD"]: g["properties"]["AREANM"] for g in ctys if g["properties"]["AREACD"].startswith("E")
    }
    counties = {
        g["properties"]["AREACD"]: geometry.rings(g, cty_arcs)
        for g in ctys
        if g["properties"]["AREACD"].startswith("E10")
    }
    rows = []
    for i, g in enumerate(lads):
        code, name = g["properties"]["AREACD"], g["properties"]["AREANM"]
        if not code.startswith("E"):
            continue
        if code in upper:
            rows.append((code, name, code, "own"))
            continue
        if not code.startswith("E07"):
            raise DataError(
                lad_path,
                f"geometry {i + 1} ({code} {name})",
                "a unitary, metropolitan or London code in the county and unitary layer, or a district code E07",
                "neither",
            )
        polys = geometry.rings(g, lad_arcs)
        if not polys:
            raise DataError(lad_path, f"geometry {i + 1} ({code} {name})", "a polygon", g.get("type"))
        largest = max(polys, key=lambda p: geometry.area_centroid(p[0])[0])
        pt = geometry.interior_point(largest[0])
        hits = [c for c, cp in counties.items() if geometry.in_polygons(pt, cp)]
        if len(hits) != 1:
            raise DataError(ctyua_path, f"counties containing district {code} ({name})", "exactly one county", hits)
        rows.append((code, name, hits[0], "county containing the district"))
    out = pd.DataFrame(rows, columns=["lad_code", "lad_name", "upper_code", "basis"])
    out["upper_name"] = out["upper_code"].map(upper)
    out["upper_type"] = out["upper_code"].str[:3].map(UPPER_TYPES)
    return out[[f.name for f in UPPER_FIELDS]].sort_values("lad_code").reset_index(drop=True)


def build_lad_upper_tier(ctx) -> pd.DataFrame:
    return upper_tier_table(ctx.raw("geo_lad_2022"), ctx.raw("geo_ctyua_2022"))


def build_lad_upper_tier_2023(ctx) -> pd.DataFrame:
    return upper_tier_table(ctx.raw("geo_lad_2023"), ctx.raw("geo_ctyua_2023"))


def _upper_check(expected: tuple[int, int, int, int]):
    """A check of a district → council table: ``expected`` = (districts, councils, counties,
    districts in counties)."""

    def check(df: pd.DataFrame, label: str) -> None:
        counties = df[df["upper_type"] == "county"]
        got = (len(df), df["upper_code"].nunique(), counties["upper_code"].nunique(), len(counties))
        if got != expected:
            raise DataError(
                label,
                "rows",
                "{:,} districts in {} upper-tier councils ({} counties holding {} districts)".format(*expected),
                "{:,} districts in {} councils ({} counties holding {} districts)".format(*got),
            )

    return check


_check_upper = _upper_check((309, 152, 24, 181))


UPPER_FIELDS = (
    Field("lad_code", "string", "Local authority district ONS code.", pattern=r"E0[6-9]\d{6}"),
    Field("lad_name", "string", "Local authority district name."),
    Field(
        "upper_code",
        "string",
        "ONS code of the upper-tier council (county or unitary authority) the district is in.",
        pattern=r"E(06|08|09|10)\d{6}",
    ),
    Field("upper_name", "string", "Name of the upper-tier council's area."),
    Field("upper_type", "string", "Kind of upper-tier council.", enum=tuple(UPPER_TYPES.values())),
    Field("basis", "string", "How the upper tier was found.", enum=("own", "county containing the district")),
)

# --------------------------------------------------------------------------------------------
# stp_trust_partners_2019
# --------------------------------------------------------------------------------------------


def build_trust_partners(ctx) -> pd.DataFrame:
    path = ctx.raw("ods_stp_partner_mapping_2019")
    t = read_stp_trust_partners(path)
    t["trust_name"] = t["trust_name"].map(tidy_name)
    hq = read_stp_trust_hq(path)
    t["hq_stp_code"] = t["trust_code"].map(hq)
    t["n_stps"] = t.groupby("trust_code")["stp_code"].transform("nunique").astype("int64")
    return t[[f.name for f in PARTNER_FIELDS]].sort_values(["stp_code", "trust_code"]).reset_index(drop=True)


def _check_partners(df: pd.DataFrame, label: str) -> None:
    """286 trust-STP links, 225 trusts, 42 STPs (research note structure-facts §5)."""
    got = (len(df), df["trust_code"].nunique(), df["stp_code"].nunique())
    if got != (286, 225, 42):
        raise DataError(
            label,
            "rows",
            "286 trust-STP links of 225 trusts in 42 STPs",
            "{} links of {} trusts in {} STPs".format(*got),
        )


PARTNER_FIELDS = (
    Field(
        "stp_code",
        "string",
        "ODS code of the STP (the 2022 ICB of the same footprint has the same code, except where "
        "footprints merged or moved).",
        pattern=ICB_CODE,
    ),
    Field(
        "trust_code",
        "string",
        "ODS code of the partner trust (NHS trust, foundation trust or care trust).",
        pattern=r"[RT][A-Z0-9]{2}",
    ),
    Field("trust_name", "string", "Name of the trust as given in the partner list (title case)."),
    Field(
        "hq_stp_code",
        "string",
        "The trust's own STP in the workbook's trust list (column HLHG); empty for trusts not in that list.",
        required=False,
        pattern=ICB_CODE,
    ),
    Field("n_stps", "integer", "Number of STPs the trust is a partner of.", minimum=1),
    Field(
        "stp_code_filled", "boolean", "True where the STP code cell was blank and was taken from the rows either side."
    ),
)

DATASETS = [
    Dataset(
        name="lad_upper_tier",
        title="Local authority districts and their upper-tier councils, December 2022",
        description="The 309 local authority districts of England, each with the county or unitary authority it lies in "
        "(the upper-tier council, which runs adult social care).",
        fields=UPPER_FIELDS,
        primary_key=("lad_code",),
        sources=("geo_lad_2022", "geo_ctyua_2022"),
        build=build_lad_upper_tier,
        as_of="2022-12",
        rows=(309, 309),
        checks=(_check_upper,),
        method=(
            "Districts whose code is also an area of the counties and unitary authorities layer (unitary "
            "authorities E06, metropolitan districts E08, London boroughs E09) are their own upper tier. Each "
            "non-metropolitan district (E07) is placed in the county (E10) whose boundary contains a point inside "
            "the district's largest polygon (its centroid, or for a district whose centroid falls outside it, as on "
            "a coast, the middle of the widest stretch across it), computed from the ONS boundaries; a district in no county or in two stops the build. "
            "Check: 309 districts in 152 upper-tier councils, of which 24 counties holding 181 districts."
        ),
        caveats=(
            "The boundaries are generalised (500 m), which could misplace a district only if "
            "the point used lay within a few hundred metres of a county boundary; the check that every county gets its districts and "
            "no district two guards against this. Councils as of December 2022: the April 2023 unitary councils "
            "of Cumberland, Westmorland and Furness, North Yorkshire and Somerset are still counties and districts "
            "here."
        ),
    ),
    Dataset(
        name="stp_trust_partners_2019",
        title="Trust partners of each STP, April 2019",
        description="The NHS trusts listed as partners of each of the 42 sustainability and transformation partnerships "
        "in the ODS partner mapping of 3 April 2019, one row per trust and STP, with the trust's own STP.",
        fields=PARTNER_FIELDS,
        primary_key=("stp_code", "trust_code"),
        sources=("ods_stp_partner_mapping_2019",),
        build=build_trust_partners,
        as_of="2019-04-03",
        rows=(250, 320),
        checks=(_check_partners,),
        method=(
            "Sheet 'Current STPs': the columns 'ODS STP Code' and 'ODS Trust Code' of every row with a trust. One row "
            "(Yorkshire Ambulance Service in South Yorkshire and Bassetlaw) has a blank STP code between rows of the "
            "same STP and takes that STP (`stp_code_filled`); a blank between two different STPs, a malformed code or "
            "a trust listed twice in one STP stops the build. The trust's own STP is the HLHG column of sheet "
            "'Trusts'. Check: 286 links, 225 trusts, 42 STPs."
        ),
        caveats=(
            "The partner lists were compiled by ODS from STP plans and websites and are as complete as those; "
            "partnership does not say how much of a trust's work is in each system. Trusts formed after the "
            "sheet 'Trusts' was compiled (e.g. R0A, R0B, R1L) have no own STP there. Footprints are those of "
            "April 2019, before the 2020-2022 boundary moves."
        ),
    ),
    Dataset(
        name="lad_upper_tier_2023",
        title="Local authority districts and their upper-tier councils, December 2023",
        description="The 296 local authority districts of England in December 2023 (with the unitary councils of April "
        "2023: Cumberland, Westmorland and Furness, North Yorkshire, Somerset), each with the county or unitary "
        "authority it lies in (the upper-tier council, which runs adult social care): the councils of today.",
        fields=UPPER_FIELDS,
        primary_key=("lad_code",),
        sources=("geo_lad_2023", "geo_ctyua_2023"),
        build=build_lad_upper_tier_2023,
        as_of="2023-12",
        rows=(296, 296),
        checks=(_upper_check((296, 153, 21, 164)),),
        method=(
            "As lad_upper_tier, on the ONS layers of December 2023. Check: 296 districts in 153 upper-tier councils, "
            "of which 21 counties holding 164 districts."
        ),
        caveats=(
            "The boundaries are generalised (500 m); the check that every county gets its districts and no district "
            "two guards against a misplaced point."
        ),
    ),
]
