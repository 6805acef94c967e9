"""nhsreport.geometry on small hand-made topologies: winding, areas, centroids and label points."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nhsreport import geometry

# a 2 x 2 square from (0, 0), as one unquantised arc, wound anticlockwise (wrong for d3-geo)
SQUARE = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]


def _topology(arcs, geometries) -> dict:
    return {
        "type": "Topology",
        "arcs": arcs,
        "objects": {"areas": {"type": "GeometryCollection", "geometries": geometries}},
    }


def _area(code, arcs, kind="Polygon") -> dict:
    return {"type": kind, "arcs": arcs, "properties": {"code": code, "name": code}}


def test_rewind_winds_outer_rings_clockwise():
    topo = _topology([SQUARE], [_area("A", [[0]])])
    assert geometry.misoriented_areas(topo) == ["A"]
    fixed = copy.deepcopy(topo)
    assert geometry.rewind(fixed) == ["A"]
    assert fixed["objects"]["areas"]["geometries"][0]["arcs"] == [[~0]]
    assert geometry.misoriented_areas(fixed) == []
    assert geometry.rewind(fixed) == []  # nothing left to correct


def test_quantised_arcs_are_decoded_to_longitude_and_latitude():
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-2.0, 50.0]},
        "arcs": [[[0, 0], [4, 0], [0, 8]]],
        "objects": {},
    }
    (arc,) = geometry.lonlat_arcs(topo)
    np.testing.assert_allclose(arc, [[-2.0, 50.0], [0.0, 50.0], [0.0, 52.0]])


def test_area_centroid_and_points_inside():
    ring = np.asarray(SQUARE)
    area, centre = geometry.area_centroid(ring)
    assert area == pytest.approx(4.0) and centre == pytest.approx((1.0, 1.0))
    assert geometry.inside((1.0, 1.0), ring) and not geometry.inside((3.0, 1.0), ring)
    hole = np.asarray([[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]])
    assert not geometry.in_polygons((1.0, 1.0), [[ring, hole]])
    x, y = geometry.interior_point(ring, [hole])  # the centroid is in the hole: a point beside it
    assert geometry.in_polygons((x, y), [[ring, hole]]) and y == pytest.approx(1.0)


def test_label_point_is_inside_the_largest_polygon():
    small = [[5.0, 5.0], [5.0, 5.5], [5.5, 5.5], [5.5, 5.0], [5.0, 5.0]]
    topo = _topology([SQUARE, small], [_area("A", [[[0]], [[1]]], "MultiPolygon")])
    arcs = geometry.lonlat_arcs(topo)
    geom = topo["objects"]["areas"]["geometries"][0]
    assert [len(p) for p in geometry.rings(geom, arcs)] == [1, 1]
    assert geometry.label_point(geom, arcs) == pytest.approx((1.0, 1.0))
