"""Names on maps: kept at their areas, moved apart only where they would overlap."""

from __future__ import annotations

import pandas as pd

from nhsreport.analysis import systems
from nhsreport.publish.components import maplabels

ENGLAND = (-6.4, 49.9, 1.8, 55.8)


def test_names_stay_where_they_do_not_overlap():
    pts = pd.DataFrame({"lon": [-3.0, 0.5], "lat": [54.5, 51.0], "label": ["Cumbria", "Kent"]})
    out = maplabels.place(pts, ENGLAND)
    assert list(out["name_lat"]) == list(pts["lat"]) and list(out["name_lon"]) == list(pts["lon"])


def test_overlapping_names_are_moved_apart_about_their_middle():
    pts = pd.DataFrame({"lon": [-1.3, -0.8], "lat": [51.8, 51.8], "label": ["Oxfordshire", "Buckinghamshire"]})
    out = maplabels.place(pts, ENGLAND)
    assert out["name_lat"].nunique() == 2
    assert abs(out["name_lat"].mean() - 51.8) < 0.01  # moved up and down, not away
    gap = abs(out["name_lat"].diff().iloc[1])
    assert 0.1 < gap < 0.4  # a line of text apart at 540 pixels for England, no more


def test_extent_of_a_topology():
    topo = {
        "type": "Topology",
        "arcs": [[[0, 0], [0, 1], [2, 1], [2, 0], [0, 0]]],
        "objects": {"areas": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]]}]}},
    }
    assert systems.extent(topo) == (0.0, 0.0, 2.0, 1.0)


def _marks(layer, kind: str) -> list[tuple[dict, list]]:
    """The marks of ``kind`` in a layer, each with its rows."""
    spec = layer.to_dict()
    out = []
    for c in spec["layer"]:
        mark = c["mark"] if isinstance(c["mark"], dict) else {"type": c["mark"]}
        if mark["type"] == kind:
            out.append((mark, spec["datasets"][c["data"]["name"]]))
    return out


def test_names_go_west_of_the_map_or_south_of_their_areas():
    pts = pd.DataFrame({"lon": [-1.1], "lat": [51.7], "label": ["Thames Valley"]})
    west = maplabels.names_beside(pts, -3.2, side="west")
    assert {m["align"] for m, _ in _marks(west, "text")} == {"right"}, "a name west of the map ends at the column"
    ((_, rows),) = _marks(west, "rule")
    assert rows[0]["name_lon"] == -3.2 and rows[0]["name_lat"] == 51.7
    south = maplabels.names_below(pts, 50.4)
    assert {(m["align"], m["baseline"]) for m, _ in _marks(south, "text")} == {("center", "top")}
    ((_, rows),) = _marks(south, "rule")
    assert (rows[0]["name_lon"], rows[0]["name_lat"]) == (-1.1, 50.4), "straight down from its area"
