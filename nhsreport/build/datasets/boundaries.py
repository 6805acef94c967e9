"""Boundaries as TopoJSON (ONS Open Geography Portal layers), properties normalised to code/name."""

from __future__ import annotations

from nhsreport.build.topology import geojson_topology, normalise, normalise_topology
from nhsreport.schema import GeoDataset

_METHOD = (
    "The ONS layer is read as published (WGS84, generalised), its properties reduced to "
    "`code` and `name`, areas outside England dropped with the arcs only they used."
)


def _geo(
    name,
    title,
    description,
    source,
    n,
    pattern,
    code_prop="AREACD",
    name_prop="AREANM",
    keep=lambda c: True,
    as_of="",
    caveats="",
    geojson=False,
):
    def build(ctx):
        path = ctx.raw(source)
        if geojson:
            raw = geojson_topology(path, code_prop=code_prop, name_prop=name_prop)
            return normalise_topology(raw, path, keep=keep)
        return normalise(path, code_prop=code_prop, name_prop=name_prop, keep=keep)

    return GeoDataset(
        name=name,
        title=title,
        description=description,
        sources=(source,),
        build=build,
        as_of=as_of,
        n_features=n,
        code_pattern=pattern,
        method=_METHOD + (_GEOJSON_METHOD if geojson else ""),
        caveats=caveats,
    )


_GEOJSON_METHOD = (
    " The layer is published here as GeoJSON: it is converted to TopoJSON on a grid of about 1 m (each ring its own "
    "arc), far finer than its 200 m generalisation."
)

DATASETS = [
    _geo(
        "geo_icb_2022",
        "ICB boundaries, July 2022",
        "The 42 integrated care boards established on 1 July 2022 (ultra-generalised, 500 m).",
        "geo_icb_2022",
        42,
        r"E54\d{6}",
        as_of="2022-07-01",
    ),
    _geo(
        "geo_icb_2023",
        "ICB boundaries, April 2023",
        "The 42 ICBs after the April 2023 Surrey Heartlands/Sussex boundary move (super-generalised, 200 m).",
        "geo_icb_2023",
        42,
        r"E54\d{6}",
        as_of="2023-04-01",
    ),
    _geo(
        "geo_nhser_2022",
        "NHS England regions, July 2022",
        "The seven NHS England regions.",
        "geo_nhser_2022",
        7,
        r"E40\d{6}",
        as_of="2022-07-01",
    ),
    _geo(
        "geo_sicbl_2022",
        "Sub-ICB locations, July 2022",
        "The 106 sub-ICB locations (the former CCGs of April 2021).",
        "geo_sicbl_2022",
        106,
        r"E38\d{6}",
        as_of="2022-07-01",
    ),
    _geo(
        "geo_stp_2018",
        "STP boundaries, April 2018",
        "The 42 sustainability and transformation partnerships of April 2018.",
        "geo_stp_2018",
        42,
        r"E54\d{6}",
        code_prop="stp18cd",
        name_prop="stp18nm",
        as_of="2018-04-01",
    ),
    _geo(
        "geo_stp_2019",
        "STP boundaries, April 2019",
        "The 42 STPs of April 2019, the footprints of the ODS partner mapping of 3 April 2019.",
        "geo_stp_2019",
        42,
        r"E54\d{6}",
        as_of="2019-04-01",
    ),
    _geo(
        "geo_stp_2021",
        "STP boundaries, April 2021",
        "The 42 STPs / integrated care systems of April 2021.",
        "geo_stp_2021",
        42,
        r"E54\d{6}",
        as_of="2021-04-01",
    ),
    _geo(
        "geo_ccg_2013",
        "CCG boundaries, April 2013",
        "The 211 clinical commissioning groups of April 2013 (super-generalised, 200 m).",
        "geo_ccg_2013",
        211,
        r"E38\d{6}",
        as_of="2013-04-01",
    ),
    _geo(
        "geo_ccg_2019",
        "CCG boundaries, April 2019",
        "The 191 CCGs of April 2019.",
        "geo_ccg_2019",
        191,
        r"E38\d{6}",
        as_of="2019-04-01",
    ),
    _geo(
        "geo_ccg_2020",
        "CCG boundaries, April 2020",
        "The 135 CCGs after the April 2020 mergers.",
        "geo_ccg_2020",
        135,
        r"E38\d{6}",
        as_of="2020-04-01",
    ),
    _geo(
        "geo_ccg_2021",
        "CCG boundaries, April 2021",
        "The 106 CCGs of April 2021, the last before ICBs.",
        "geo_ccg_2021",
        106,
        r"E38\d{6}",
        as_of="2021-04-01",
    ),
    _geo(
        "geo_lad_2022",
        "Local authority districts, December 2022 (England)",
        "The 309 English local authority districts (Welsh, Scottish and Northern Irish areas dropped).",
        "geo_lad_2022",
        309,
        r"E0[6-9]\d{6}",
        keep=lambda c: c.startswith("E"),
        as_of="2022-12",
    ),
    _geo(
        "geo_ctyua_2022",
        "Counties and unitary authorities, December 2022",
        "The 152 upper-tier local authorities of England.",
        "geo_ctyua_2022",
        152,
        r"E(06|08|09|10|11)\d{6}",
        keep=lambda c: c.startswith("E"),
        as_of="2022-12",
    ),
    _geo(
        "geo_icb_2026",
        "ICB boundaries, April 2026",
        "The 36 integrated care boards of 1 April 2026 (super-generalised, 200 m).",
        "geo_icb_2026",
        36,
        r"E54\d{6}",
        code_prop="ICB26CD",
        name_prop="ICB26NM",
        as_of="2026-04-01",
        geojson=True,
    ),
    _geo(
        "geo_lad_2023",
        "Local authority districts, December 2023 (England)",
        "The 296 English local authority districts of December 2023, with the unitary councils of April 2023 "
        "(Cumberland, Westmorland and Furness, North Yorkshire, Somerset); the boundaries of the mid-2024 "
        "population estimates.",
        "geo_lad_2023",
        296,
        r"E0[6-9]\d{6}",
        keep=lambda c: c.startswith("E"),
        as_of="2023-12",
    ),
    _geo(
        "geo_ctyua_2023",
        "Counties and unitary authorities, December 2023",
        "The 153 upper-tier local authorities of England in December 2023, the councils that run adult social care.",
        "geo_ctyua_2023",
        153,
        r"E(06|08|09|10|11)\d{6}",
        keep=lambda c: c.startswith("E"),
        as_of="2023-12",
    ),
]
