"""Tests of lad_upper_tier, stp_trust_partners_2019 and the footprint analysis: builders on fixtures,
bad input, and the chapter's figures by a second route from the raw files."""

from __future__ import annotations

import json
from collections import defaultdict

import pandas as pd
import pytest

from nhsreport.analysis import footprints as fpt
from nhsreport.build import sources
from nhsreport.build.datasets import councils
from nhsreport.build.readers import ods, ons
from nhsreport.errors import DataError

from .conftest import ROOT, load_datasets

RAW = ROOT / "data" / "raw"


def _square(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def _topo(path, areas):
    """An unquantized topology: one arc per area (its outer ring)."""
    topo = {"type": "Topology", "arcs": [], "objects": {"data": {"type": "GeometryCollection", "geometries": []}}}
    for code, name, ring in areas:
        topo["arcs"].append(ring)
        topo["objects"]["data"]["geometries"].append(
            {"type": "Polygon", "arcs": [[len(topo["arcs"]) - 1]], "properties": {"AREACD": code, "AREANM": name}}
        )
    path.write_text(json.dumps(topo), encoding="utf-8")
    return path


def test_upper_tier_from_fixture(tmp_path):
    # a county of two districts, one of them a C shape whose centroid lies outside it, and a unitary
    c_shape = [[0, 0], [4, 0], [4, 1], [1, 1], [1, 3], [4, 3], [4, 4], [0, 4], [0, 0]]
    lad = _topo(
        tmp_path / "lad.json",
        [
            ("E07000001", "Hook", c_shape),
            ("E07000002", "Eye", _square(1.5, 1.5, 4, 2.5)),
            ("E06000001", "Town", _square(10, 10, 11, 11)),
            ("W06000001", "Welsh", _square(20, 20, 21, 21)),
        ],
    )
    cty = _topo(
        tmp_path / "cty.json",
        [("E10000001", "Shire", _square(0, 0, 4, 4)), ("E06000001", "Town", _square(10, 10, 11, 11))],
    )
    out = councils.upper_tier_table(lad, cty).set_index("lad_code")
    assert list(out.index) == ["E06000001", "E07000001", "E07000002"]  # Wales dropped
    assert out.at["E07000001", "upper_code"] == "E10000001" and out.at["E07000002", "upper_name"] == "Shire"
    assert out.at["E06000001", "basis"] == "own" and out.at["E06000001", "upper_type"] == "unitary authority"


def test_upper_tier_district_in_no_county(tmp_path):
    lad = _topo(tmp_path / "lad.json", [("E07000001", "Lost", _square(5, 5, 6, 6))])
    cty = _topo(tmp_path / "cty.json", [("E10000001", "Shire", _square(0, 0, 4, 4))])
    with pytest.raises(DataError) as e:
        councils.upper_tier_table(lad, cty)
    assert "cty.json" in str(e.value) and "E07000001" in str(e.value) and "exactly one county" in str(e.value)


def test_upper_tier_bad_properties(tmp_path):
    p = tmp_path / "lad.json"
    p.write_text(
        json.dumps(
            {
                "type": "Topology",
                "arcs": [],
                "objects": {
                    "data": {
                        "type": "GeometryCollection",
                        "geometries": [{"type": "Polygon", "arcs": [], "properties": {"code": "E07000001"}}],
                    }
                },
            }
        )
    )
    with pytest.raises(DataError) as e:
        ons.read_topology(p)
    assert "lad.json" in str(e.value) and "geometry 1" in str(e.value) and "AREACD" in str(e.value)


HEADER = ["NHS England Region", "ODS STP Code", "STP Name", "Trusts", "ODS Trust Code"]


def _partners_xlsx(path, rows, trusts=None):
    trusts = trusts or [
        ["ORGANISATION NAME", "ORG CODE", "HLHG"],
        ["YORKSHIRE AMBULANCE SERVICE NHS TRUST", "RX8", "QWO"],
    ]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        pd.DataFrame([["PARTNER MAPPING"] + [None] * 4, [None] * 5, HEADER] + rows).to_excel(
            xw, sheet_name="Current STPs", header=False, index=False
        )
        pd.DataFrame(trusts).to_excel(xw, sheet_name="Trusts", header=False, index=False)
    return path


def test_trust_partners_fill_blank_between_same_stp(tmp_path):
    p = _partners_xlsx(
        tmp_path / "p.xlsx",
        [
            ["Y63", "QF7", "SYB", "Trust A", "RHQ"],
            ["Y63", None, None, "YAS", "RX8"],
            ["Y63", "QF7", None, "Trust B", "RFS"],
            ["Y63", "QWO", "WY", "YAS", "RX8"],
        ],
    )
    t = ods.read_stp_trust_partners(p)
    assert len(t) == 4 and t.loc[t["trust_code"] == "RX8", "stp_code"].tolist() == ["QF7", "QWO"]
    assert t["stp_code_filled"].tolist() == [False, True, False, False]


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            [["Y63", "QF7", "x", "A", "RHQ"], ["Y63", None, None, "YAS", "RX8"], ["Y63", "QWO", None, "B", "RFS"]],
            ["p.xlsx", "'Current STPs'", "row 5", "'ODS STP Code'", "blank between different STPs"],
        ),
        (
            [["Y63", "QF7", "x", "A", "RHQ"], ["Y63", "QF7", None, "B", "12345"]],
            ["p.xlsx", "row 5", "'ODS Trust Code'", "a trust code"],
        ),
        (
            [["Y63", "QF7", "x", "A", "RHQ"], ["Y63", "QF7", None, "A again", "RHQ"]],
            ["p.xlsx", "rows 4 and 5", "each trust once per STP"],
        ),
    ],
)
def test_trust_partners_bad_input(tmp_path, rows, expected):
    p = _partners_xlsx(tmp_path / "p.xlsx", rows)
    with pytest.raises(DataError) as e:
        ods.read_stp_trust_partners(p)
    for part in expected:
        assert part in str(e.value), f"{part!r} not in {e.value}"


def test_upper_tier_coterminosity_on_a_fixture():
    overlap = pd.DataFrame(
        {
            "lad_code": ["E07000001", "E07000002", "E07000002", "E06000001"],
            "lad_name": ["A", "B", "B", "U"],
            "icb_code": ["QAA", "QAA", "QBB", "QBB"],
            "icb_name": ["Aa", "Aa", "Bb", "Bb"],
            "n_lsoas": [10, 5, 5, 8],
            "n_lsoas_stp21": [10, 5, 5, 8],
            "share_of_lad_lsoas": [1, 0.5, 0.5, 1],
            "share_of_lad_lsoas_stp21": [1, 0.5, 0.5, 1],
        }
    )
    upper = pd.DataFrame(
        {
            "lad_code": ["E07000001", "E07000002", "E06000001"],
            "lad_name": ["A", "B", "U"],
            "upper_code": ["E10000001", "E10000001", "E06000001"],
            "upper_name": ["Shire", "Shire", "U"],
            "upper_type": ["county", "county", "unitary authority"],
            "basis": ["x"] * 3,
        }
    )
    icbs = pd.DataFrame({"icb_code": ["QAA", "QBB"], "icb_name": ["Aa", "Bb"]})
    c = fpt.upper_tier_coterminosity(overlap, upper, icbs).set_index("icb_code")
    assert c.at["QAA", "n_councils"] == 1 and not c.at["QAA", "coterminous"]  # Shire is split
    assert c.at["QBB", "n_councils"] == 2 and c.at["QBB", "n_part"] == 1
    s = fpt.split_councils(overlap, upper)
    assert s["upper_name"].tolist() == ["Shire"] and s["largest_share"].iloc[0] == pytest.approx(15 / 20)


# ------------------------------------------------------------------------------------------
# second route from the raw files
# ------------------------------------------------------------------------------------------

needs_raw = pytest.mark.skipif(
    not (RAW / sources.get("ods_stp_partner_mapping_2019").path).exists(),
    reason="data/raw not present (run `make data-raw`)",
)


@needs_raw
def test_partner_counts_from_raw_workbook():
    raw = pd.read_excel(
        RAW / sources.get("ods_stp_partner_mapping_2019").path, sheet_name="Current STPs", header=4, engine="calamine"
    )
    codes = raw["ODS Trust Code"].dropna().astype(str).str.strip()
    per_trust = codes.value_counts()
    p = load_datasets("stp_trust_partners_2019")["stp_trust_partners_2019"]
    sh = fpt.shared_trust_summary(p)
    assert sh["links"] == len(codes) == 286
    assert sh["trusts"] == codes.nunique() == 225
    assert sh["shared"] == int((per_trust > 1).sum())
    assert sh["max_stps"] == int(per_trust.max()) and set(per_trust[per_trust == per_trust.max()].index) == {
        "RX9",
        "RYF",
    }


@needs_raw
def test_known_districts_in_their_counties():
    u = load_datasets("lad_upper_tier")["lad_upper_tier"].set_index("lad_name")["upper_name"]
    for district, county in (
        ("Maldon", "Essex"),
        ("Harrogate", "North Yorkshire"),
        ("Carlisle", "Cumbria"),
        ("Waverley", "Surrey"),
        ("Hart", "Hampshire"),
        ("Chichester", "West Sussex"),
        ("East Suffolk", "Suffolk"),
        ("Vale of White Horse", "Oxfordshire"),
    ):
        assert u[district] == county, district
    assert u["Birmingham"] == "Birmingham" and u["Cornwall"] == "Cornwall"


@needs_raw
def test_practice_counts_per_system_from_raw():
    import csv

    with open(RAW / sources.get("gp_practice_mapping_2020_09").path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    n = defaultdict(int)
    pcns = defaultdict(set)
    for r in rows:
        n[r["STP_CODE"]] += 1
        if r["PCN_CODE"] != "U":
            pcns[r["STP_CODE"]].add(r["PCN_CODE"])
    d = load_datasets("gp_practices", "icbs")
    pc = fpt.primary_care_by_system(d["gp_practices"], d["icbs"]).set_index("icb_code")
    for code in pc.index:
        assert pc.at[code, "n_practices"] == n[code] and pc.at[code, "n_pcns"] == len(pcns[code])
    assert pc["practices_per_100k"].between(5, 25).all()
