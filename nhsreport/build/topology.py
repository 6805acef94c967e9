"""Boundary files: normalise the ONS TopoJSON layers and check them.

Processed boundaries have one object, ``areas``, whose geometries carry only ``code`` (ONS
code), ``name`` and a label point inside the area (``label_lon``, ``label_lat``, where a map
names it), with every ring wound as the map library expects. Areas outside the wanted set (e.g. Welsh and Scottish districts) are
dropped together with the arcs only they used, so the files stay small.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from nhsreport.errors import DataError


def _arc_ids(geom: dict):
    def walk(a):
        if isinstance(a, int):
            yield a if a >= 0 else ~a
        else:
            for x in a:
                yield from walk(x)

    yield from walk(geom.get("arcs", []))


def _remap(arcs, mapping):
    if isinstance(arcs, int):
        return mapping[arcs] if arcs >= 0 else ~mapping[~arcs]
    return [_remap(a, mapping) for a in arcs]


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


def normalise(path: Path, *, code_prop: str = "AREACD", name_prop: str = "AREANM", keep=lambda code: True) -> dict:
    """Read a raw ONS TopoJSON (object ``data``) and return the processed topology."""
    path = Path(path)
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(path, f"line {e.lineno}", "valid TopoJSON", e.msg) from None
    if topo.get("type") != "Topology" or "data" not in topo.get("objects", {}):
        raise DataError(path, "objects", "a Topology with an object named 'data'", list(topo.get("objects", {})))
    geoms = []
    for i, g in enumerate(topo["objects"]["data"]["geometries"]):
        props = g.get("properties", {})
        if code_prop not in props or name_prop not in props:
            raise DataError(path, f"geometry {i + 1} properties", f"{code_prop!r} and {name_prop!r}", sorted(props))
        code = props[code_prop]
        if not keep(code):
            continue
        geoms.append(
            {"type": g["type"], "arcs": g["arcs"], "properties": {"code": code, "name": props[name_prop].strip()}}
        )
    used = sorted({a for g in geoms for a in _arc_ids(g)})
    mapping = {old: new for new, old in enumerate(used)}
    for g in geoms:
        g["arcs"] = _remap(g["arcs"], mapping)
    geoms.sort(key=lambda g: g["properties"]["code"])
    out = {
        "type": "Topology",
        "transform": topo["transform"],
        "objects": {"areas": {"type": "GeometryCollection", "geometries": geoms}},
        "arcs": [topo["arcs"][i] for i in used],
    }
    rewind(out)
    arcs = lonlat_arcs(out)
    for g in geoms:
        lon, lat = label_point(g, arcs)
        g["properties"]["label_lon"], g["properties"]["label_lat"] = round(lon, 4), round(lat, 4)
    return out


# --------------------------------------------------------------------------------------------
# rings in longitude/latitude: areas' centroids and label points
# --------------------------------------------------------------------------------------------


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
    return any(inside(pt, poly[0]) and not any(inside(pt, h) for h in poly[1:]) for poly in polys)


def label_point(geom: dict, arcs) -> tuple[float, float]:
    """Where a map names an area: a point inside its largest polygon."""
    largest = max(rings(geom, arcs), key=lambda p: area_centroid(p[0])[0])
    return interior_point(largest[0], largest[1:])


def validate_topology(topo: dict, ds, label: str) -> None:
    if not isinstance(topo, dict) or topo.get("type") != "Topology":
        raise DataError(label, "type", "a TopoJSON Topology", type(topo).__name__)
    geoms = topo.get("objects", {}).get("areas", {}).get("geometries")
    if geoms is None:
        raise DataError(label, "objects", "an object named 'areas'", list(topo.get("objects", {})))
    if len(geoms) != ds.n_features:
        raise DataError(label, "objects.areas", f"{ds.n_features} areas", len(geoms))
    rx = re.compile(ds.code_pattern)
    seen = set()
    for i, g in enumerate(geoms):
        p = g.get("properties", {})
        code, name = p.get("code"), p.get("name")
        if not isinstance(code, str) or not rx.fullmatch(code):
            raise DataError(label, f"area {i + 1}, property 'code'", f"a code matching {ds.code_pattern}", repr(code))
        if not name:
            raise DataError(label, f"area {i + 1} ({code}), property 'name'", "a name", repr(name))
        if code in seen:
            raise DataError(label, f"area {i + 1}", "unique codes", f"{code} twice")
        seen.add(code)
        if not g.get("arcs"):
            raise DataError(label, f"area {i + 1} ({code})", "a geometry", "no arcs")
    wrong = misoriented_areas(topo)
    if wrong:
        raise DataError(
            label, f"areas {wrong[:5]}", "outer rings wound clockwise (as d3-geo draws them)", "anticlockwise rings"
        )
