"""The builders of the 2026 map on small fixtures: the mid-year district reader, the GeoJSON to
TopoJSON conversion, the practice map's check of every LSOA's board, and the whole-number
apportioning of a split district."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from nhsreport.build.datasets.boards import lsoa_sub_icbs, lsoa_weights, split_count
from nhsreport.build.readers.ons import read_mid_year_districts
from nhsreport.build.topology import geojson_topology, normalise_topology
from nhsreport.errors import DataError


def _mye(tmp_path, all_ages: int, ages: list[int]) -> str:
    head = "Code,Name,Geography,All ages," + ",".join([str(a) for a in range(90)] + ["90+"])
    row = f"E06000066,Somerset,Unitary Authority,{all_ages}," + ",".join(str(a) for a in ages)
    p = tmp_path / "mye.csv"
    p.write_text(head + "\r\n" + row + "\r\n", encoding="utf-8-sig")
    return p


def test_mid_year_districts(tmp_path):
    df = read_mid_year_districts(_mye(tmp_path, 91, [1] * 91))
    assert df.loc[0, "all_ages"] == 91 and df.loc[0, "90"] == 1 and df.loc[0, "name"] == "Somerset"


def test_mid_year_districts_that_do_not_add_up(tmp_path):
    with pytest.raises(DataError) as e:
        read_mid_year_districts(_mye(tmp_path, 92, [1] * 91))
    assert "line 2" in str(e.value) and "adding up" in str(e.value)


def test_geojson_topology(tmp_path):
    square = [[-1.0, 52.0], [-1.0, 52.1], [-0.9, 52.1], [-0.9, 52.0], [-1.0, 52.0]]
    gj = {
        "type": "FeatureCollection",
        "features": [
            {
                "properties": {"CD": "E54000099", "NM": "A board"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    p = tmp_path / "b.geojson"
    p.write_text(json.dumps(gj), encoding="utf-8")
    topo = normalise_topology(geojson_topology(p, code_prop="CD", name_prop="NM"), p)
    g = topo["objects"]["areas"]["geometries"][0]
    assert g["properties"]["code"] == "E54000099" and g["properties"]["name"] == "A board"
    assert -1.0 < g["properties"]["label_lon"] < -0.9 and 52.0 < g["properties"]["label_lat"] < 52.1
    gj["features"][0]["properties"] = {"NM": "no code"}
    p.write_text(json.dumps(gj), encoding="utf-8")
    with pytest.raises(DataError, match="feature 1 properties"):
        geojson_topology(p, code_prop="CD", name_prop="NM")


def _lsoas(ccgs, lads, boards):
    return pd.DataFrame(
        {"LSOA11CD": [f"E0100000{i}" for i in range(len(ccgs))], "ccg21": ccgs, "LAD21CD": lads, "board": boards}
    )


def test_lsoa_sub_icbs_follow_the_practice_map():
    a = _lsoas(["16C", "D4U1Y", "D4U1Y"], ["E06000001", "E06000036", "E07000089"], ["QHM", "S0E4D", "QRL"])
    sub_boards = pd.Series({"16C": "QHM", "U2G6B": "S0E4D", "D9Y0V": "QRL"})
    assert list(lsoa_sub_icbs(a, sub_boards, "map")) == ["16C", "U2G6B", "D9Y0V"]
    # an LSOA whose board is not that of its sub-ICB location in the map stops the build
    a.loc[0, "board"] = "QYG"
    with pytest.raises(DataError, match="board of its sub-ICB location"):
        lsoa_sub_icbs(a, sub_boards, "map")


def test_lsoa_weights_and_split_count():
    w = lsoa_weights(pd.Series(["A", "A", "B"]), pd.Series({"A": 100, "B": 30}))
    assert list(w) == [50.0, 50.0, 30.0]
    parts = split_count(10, [1 / 3, 1 / 3, 1 / 3])
    assert sum(parts) == 10 and sorted(parts) == [3, 3, 4]
    assert split_count(7, [1.0]) == [7]


def test_rank_label_shows_ties():
    from nhsreport.formatting import rank_label

    assert rank_label(3, 36) == "3rd of 36"
    assert rank_label(1, 36, 30) == "joint 1st of 36"


def test_density_drivers():
    from nhsreport.analysis.boards import density_drivers

    figures = pd.DataFrame(
        {"managers_fte": [40.0, 30.0, 20.0], "staff_fte": [1000.0, 1000.0, 1000.0]}, index=["A", "B", "C"]
    )
    figures["managers_per_100_staff"] = 100 * figures["managers_fte"] / figures["staff_fte"]
    by_trust = pd.DataFrame(
        {
            "org_code": ["AMB", "ACU", "SPE"],
            "org_name": ["Ambulance", "Acute", "Specialist"],
            "org_type": ["ambulance", "acute", "acute"],
            "board": ["A", "A", "B"],
            "all_managers_fte": [20.0, 10.0, 1.0],
            "staff_fte": [200.0, 500.0, 100.0],
        }
    )
    out = density_drivers(figures, by_trust, {"AMB", "SPE"})
    # without its ambulance trust board A has 20 managers per 800 staff: 2.5, from 1st to 2nd
    assert out.loc["A", "driver_code"] == "AMB" and out.loc["A", "density_without_driver"] == pytest.approx(2.5)
    assert out.loc["A", "rank_without_driver"] == 2 and out.loc["A", "density_driven"]
    # the specialist trust barely moves board B (29/900 = 3.22 against 3.0)
    assert out.loc["B", "driver_code"] == "SPE" and not out.loc["B", "density_driven"]
    assert not out.loc["C", "density_driven"]  # no candidate trust
