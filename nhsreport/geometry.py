"""Geometry of TopoJSON boundaries, in longitude and latitude: how rings are wound (as d3-geo, the
map library of vega, expects them), areas and centroids of rings, points inside an area and where a
map names it.

Used by the boundary builders (:mod:`nhsreport.build.topology` normalises and checks boundary files
with it) and by the analysis of the processed boundaries (:mod:`nhsreport.analysis.systems`).
"""

from __future__ import annotations

import numpy as np


def _decoded_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Arc coordinates (quantized positions, delta-decoded when the topology is quantized)."""
    quantized = bool(topo.get("transform"))
    out = []
    for arc in topo["arcs"]:
        x = y = 0.0
        pts = []
        for dx, dy, *_ in arc:
            x, y = (x + dx, y + dy) if quantized else (dx, dy)
            pts.append((x, y))
        out.append(pts)
    return out


def _ring_area(ring: list[int], arcs) -> float:
    """Signed planar area (longitude/latitude) of a ring of arc ids: > 0 when anticlockwise."""
    pts: list[tuple[float, float]] = []
    for i in ring:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return sum(pts[k][0] * pts[k + 1][1] - pts[k + 1][0] * pts[k][1] for k in range(len(pts) - 1)) / 2


def _polygons(geom: dict) -> list:
    """The polygons (each a list of rings of arc ids) of a Polygon or MultiPolygon; none otherwise."""
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def rewind(topo: dict) -> list[str]:
    """Wind every ring as d3-geo (the map library of vega) expects: outer rings clockwise, holes
    anticlockwise. d3-geo reads a ring's winding on the sphere to tell inside from outside, so an
    outer ring wound the other way is drawn as the whole globe minus the area, which floods the
    map. Returns the codes of the areas that were corrected."""
    arcs = _decoded_arcs(topo)
    fixed = []
    for g in topo["objects"]["areas"]["geometries"]:
        changed = False
        for poly in _polygons(g):
            for k, ring in enumerate(poly):
                area = _ring_area(ring, arcs)
                if (k == 0 and area > 0) or (k > 0 and area < 0):
                    poly[k] = [~i for i in reversed(ring)]
                    changed = True
        if changed:
            fixed.append(g["properties"]["code"])
    return fixed


def misoriented_areas(topo: dict) -> list[str]:
    """Codes of areas with an outer ring wound anticlockwise (drawn by d3-geo as the whole globe)."""
    arcs = _decoded_arcs(topo)
    return sorted(
        g["properties"]["code"]
        for g in topo["objects"]["areas"]["geometries"]
        if any(poly and _ring_area(poly[0], arcs) > 0 for poly in _polygons(g))
    )


def lonlat_arcs(topo: dict) -> list[np.ndarray]:
    """Arc coordinates in longitude/latitude (delta-decoded and transformed when quantized)."""
    t = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        a = np.asarray([p[:2] for p in arc], dtype="float64")
        if t:
            a = np.cumsum(a, axis=0) * np.asarray(t["scale"]) + np.asarray(t["translate"])
        out.append(a)
    return out


def _ring_points(ids, arcs) -> np.ndarray:
    """A ring's points from its arc ids (a negative id is the arc reversed), shared ends once."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in ids]
    return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])


def rings(geom: dict, arcs) -> list[list[np.ndarray]]:
    """The polygons of a geometry, each as its rings' points (outer ring first)."""
    return [[_ring_points(r, arcs) for r in poly] for poly in _polygons(geom)]


def area_centroid(ring: np.ndarray) -> tuple[float, tuple[float, float]]:
    """A ring's planar area (in square degrees) and its centroid."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    a = cross.sum() / 2
    if a == 0:
        return 0.0, (float(x.mean()), float(y.mean()))
    return abs(a), (
        float(((x[:-1] + x[1:]) * cross).sum() / (6 * a)),
        float(((y[:-1] + y[1:]) * cross).sum() / (6 * a)),
    )


def inside(pt, ring: np.ndarray) -> bool:
    """Whether the point ``pt`` lies inside the closed ``ring`` (even-odd rule)."""
    x, y = pt
    xi, yi, xj, yj = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    crosses = ((yi > y) != (yj > y)) & (x < (xj - xi) * (y - yi) / np.where(yj == yi, 1e-300, yj - yi) + xi)
    return bool(crosses.sum() % 2)


def interior_point(ring: np.ndarray, holes: list[np.ndarray] = ()) -> tuple[float, float]:
    """A point inside ``ring`` and outside its ``holes``: its centroid when that is inside (most
    areas), else the middle of the widest stretch of the horizontal line through the centroid that
    lies inside (crossings of every ring, read pairwise: the even-odd rule)."""
    _, c = area_centroid(ring)
    if inside(c, ring) and not any(inside(c, h) for h in holes):
        return c
    y = c[1]
    xs = []
    for r in (ring, *holes):
        xi, yi, xj, yj = r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]
        cross = (yi > y) != (yj > y)
        xs.extend(xi[cross] + (y - yi[cross]) * (xj[cross] - xi[cross]) / (yj[cross] - yi[cross]))
    pairs = np.sort(np.asarray(xs)).reshape(-1, 2)
    widest = pairs[np.argmax(pairs[:, 1] - pairs[:, 0])]
    return float(widest.mean()), float(y)


def in_polygons(pt, polys) -> bool:
    """Whether ``pt`` lies in one of the polygons (as :func:`rings` gives them), outside its holes."""
    return any(inside(pt, poly[0]) and not any(inside(pt, h) for h in poly[1:]) for poly in polys)


def label_point(geom: dict, arcs) -> tuple[float, float]:
    """Where a map names an area: a point inside its largest polygon."""
    largest = max(rings(geom, arcs), key=lambda p: area_centroid(p[0])[0])
    return interior_point(largest[0], largest[1:])
