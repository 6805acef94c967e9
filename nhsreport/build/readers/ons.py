"""Readers of the Office for National Statistics files: CCG, STP and ICB lookups, the LSOA
lookup, CCG populations, the mid-2024 district populations, the 2013 CCG list and area-name
lists of boundary layers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from nhsreport.build.rawio import read_csv, require_values, to_number
from nhsreport.errors import DataError
from nhsreport.schema import first_bad

# NHS England regions (2021) in the ONS population file: ONS E40 code -> ODS Y code.
NHSER21_TO_ODS = {
    "E40000003": "Y56",  # London
    "E40000006": "Y58",  # South West
    "E40000005": "Y59",  # South East
    "E40000008": "Y60",  # Midlands
    "E40000007": "Y61",  # East of England
    "E40000010": "Y62",  # North West
    "E40000009": "Y63",  # North East and Yorkshire
}


def read_crosswalk(path: Path) -> pd.DataFrame:
    """CCG (2021) → STP (2021) → sub-ICB location (2022) → ICB (2022), 106 rows, with the two
    boundary-change flags as booleans."""
    cols = [
        "CCG21CD",
        "CCG21CDH",
        "CCG21NM",
        "STP21CD",
        "STP21CDH",
        "STP21NM",
        "LOC22CD",
        "LOC22CDH",
        "ICB22CD",
        "ICB22CDH",
        "ICB22NM",
        "boundaries_changed_ccg_loc",
        "boundaries_changed_stp_icb",
    ]
    df = read_csv(path, columns=cols)
    require_values(df, cols, path)
    for c in ("boundaries_changed_ccg_loc", "boundaries_changed_stp_icb"):
        pos = first_bad(~df[c].isin(["True", "False"]))
        if pos is not None:
            raise DataError(path, f"line {pos + 2}, column {c!r}", "True or False", repr(df[c].iloc[pos]))
        df[c] = df[c] == "True"
    return df


def read_population(path: Path) -> pd.DataFrame:
    """ONS mid-2020 population of the 106 April 2021 CCGs, with STP21 and NHS region (2021):
    ``ccg_gss``, ``stp21_gss``, ``nhser21``, ``nhser21_name``, ``population`` (and the other
    published columns)."""
    cols = ["CCG Code", "CCG Name", "STP21 Code", "STP21 Name", "NHSER21 Code", "NHSER21 Name", "All Ages"]
    df = read_csv(path, columns=cols)
    require_values(df, cols, path)
    df["All Ages"] = to_number(df["All Ages"], path, "All Ages", integer=True)
    pos = first_bad(~df["NHSER21 Code"].isin(list(NHSER21_TO_ODS)))
    if pos is not None:
        raise DataError(
            path,
            f"line {pos + 2}, column 'NHSER21 Code'",
            f"one of the seven NHS England region codes {sorted(NHSER21_TO_ODS)}",
            repr(df["NHSER21 Code"].iloc[pos]),
        )
    return df.rename(
        columns={
            "CCG Code": "ccg_gss",
            "STP21 Code": "stp21_gss",
            "NHSER21 Code": "nhser21",
            "NHSER21 Name": "nhser21_name",
            "All Ages": "population",
        }
    )


MYE_TOP_AGE = "90+"


def read_mid_year_districts(path: Path) -> pd.DataFrame:
    """ONS mid-year population estimates, persons (table MYE2 saved as CSV): one row per area
    with ``code, name, geography``, ``all_ages`` and one integer column per single year of age
    ``0`` … ``89`` and ``90`` (90 and over). The single years must add up to all ages."""
    ages = [str(a) for a in range(90)] + [MYE_TOP_AGE]
    df = read_csv(path, columns=["Code", "Name", "Geography", "All ages", *ages])
    require_values(df, ["Code", "Name", "Geography", "All ages", *ages], path)
    out = pd.DataFrame({"code": df["Code"].str.strip(), "name": df["Name"].str.strip(), "geography": df["Geography"]})
    out["all_ages"] = to_number(df["All ages"], path, "All ages", integer=True)
    for a in ages:
        out[a.rstrip("+")] = to_number(df[a], path, a, integer=True)
    gap = out[[a.rstrip("+") for a in ages]].sum(axis=1) != out["all_ages"]
    if gap.any():
        pos = first_bad(gap)
        raise DataError(path, f"line {pos + 2}", "single years of age adding up to 'All ages'", out["code"].iloc[pos])
    return out


def read_lsoa_lookup(path: Path) -> pd.DataFrame:
    """LSOA (2011) → CCG (April 2021) → LAD (2021), 32,844 rows."""
    cols = ["LSOA11CD", "CCG21CD", "CCG21CDH", "LAD21CD", "LAD21NM"]
    df = read_csv(path, columns=cols, usecols=lambda c: c in cols)
    require_values(df, cols, path)
    return df


def read_ccg13(path: Path) -> pd.DataFrame:
    """The 211 CCGs of April 2013 (cp1252-encoded): ``CCG13CD``, ``CCG13CDH``, ``CCG13NM``."""
    cols = ["CCG13CD", "CCG13CDH", "CCG13NM"]
    df = read_csv(path, columns=cols, encoding="cp1252")
    require_values(df, cols, path)
    return df


def read_ccg13_area_teams(path: Path) -> pd.DataFrame:
    """The English CCGs of 2013 with their NHS England area team and commissioning region."""
    cols = ["CCG13CD", "NHSAT13NM", "NHSCR13NM"]
    df = read_csv(path, columns=cols)
    require_values(df, cols, path)
    return df[df["CCG13CD"].str.startswith("E")].reset_index(drop=True)


def read_topo_names(path: Path) -> dict[str, str]:
    """Area name → ONS code from an ONS TopoJSON layer (properties AREANM/AREACD)."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file", "the raw file to be present (run `make data-raw`)", "no such file")
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        geoms = topo["objects"]["data"]["geometries"]
    except json.JSONDecodeError as e:
        raise DataError(path, f"line {e.lineno}", "valid TopoJSON", e.msg) from None
    except (KeyError, TypeError):
        raise DataError(path, "objects", "a Topology with an object named 'data'", "something else") from None
    out = {}
    for i, g in enumerate(geoms):
        p = g.get("properties", {})
        if "AREACD" not in p or "AREANM" not in p:
            raise DataError(path, f"geometry {i + 1} properties", "'AREACD' and 'AREANM'", sorted(p))
        out[p["AREANM"]] = p["AREACD"]
    return out


def read_topology(path) -> tuple[dict, list[dict]]:
    """A TopoJSON layer (object ``data``): the topology and its geometries, checked."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file", "the raw file to be present (run `make data-raw`)", "no such file")
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        geoms = topo["objects"]["data"]["geometries"]
        topo["arcs"]
    except json.JSONDecodeError as e:
        raise DataError(path, f"line {e.lineno}", "valid TopoJSON", e.msg) from None
    except (KeyError, TypeError):
        raise DataError(path, "objects", "a Topology with arcs and an object named 'data'", "something else") from None
    for i, g in enumerate(geoms):
        p = g.get("properties") or {}
        if "AREACD" not in p or "AREANM" not in p:
            raise DataError(path, f"geometry {i + 1} properties", "'AREACD' and 'AREANM'", sorted(p))
    return topo, geoms
