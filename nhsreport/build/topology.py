"""Boundary files: normalise the ONS TopoJSON layers (and GeoJSON layers, converted to
TopoJSON by :func:`geojson_topology`) and check them.

Processed boundaries have one object, ``areas``, whose geometries carry only ``code`` (ONS
code), ``name`` and a label point inside the area (``label_lon``, ``label_lat``, where a map
names it), with every ring wound as the map library expects. Areas outside the wanted set (e.g. Welsh and Scottish districts) are
dropped together with the arcs only they used, so the files stay small. The geometry itself
(winding, label points) is :mod:`nhsreport.geometry`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nhsreport.errors import DataError
from nhsreport.geometry import label_point, lonlat_arcs, misoriented_areas, rewind


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


def _read_json(path: Path, what: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(path, f"line {e.lineno}", f"valid {what}", e.msg) from None


def normalise(path: Path, *, code_prop: str = "AREACD", name_prop: str = "AREANM", keep=lambda code: True) -> dict:
    """Read a raw ONS TopoJSON (object ``data``) and return the processed topology."""
    path = Path(path)
    return normalise_topology(_read_json(path, "TopoJSON"), path, code_prop=code_prop, name_prop=name_prop, keep=keep)


#: Quantisation of converted GeoJSON: a grid of about 1 m (1e-5 degrees), far finer than the
#: 200 m generalisation of the layers.
GRID = 1e-5


def _quantised_ring(ring, x0: float, y0: float) -> list[list[int]]:
    """A ring of longitude/latitude pairs on the grid, delta-encoded, repeated points dropped and
    the ring closed."""
    pts = []
    for lon, lat, *_ in ring:
        q = (round((lon - x0) / GRID), round((lat - y0) / GRID))
        if not pts or q != pts[-1]:
            pts.append(q)
    if pts and pts[0] != pts[-1]:
        pts.append(pts[0])
    deltas = [list(pts[0])] if pts else []
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        deltas.append([bx - ax, by - ay])
    return deltas


def geojson_topology(path: Path, *, code_prop: str, name_prop: str) -> dict:
    """A GeoJSON FeatureCollection of polygons (WGS84) as a quantised TopoJSON topology with one
    object ``data`` whose geometries carry ``AREACD`` and ``AREANM``, each ring its own arc (the
    layers are drawn area by area, so no arc is shared)."""
    path = Path(path)
    gj = _read_json(path, "GeoJSON")
    if gj.get("type") != "FeatureCollection" or not isinstance(gj.get("features"), list):
        raise DataError(path, "type", "a GeoJSON FeatureCollection", gj.get("type"))
    x0, y0 = -10.0, 49.0  # south-west of England's bounding box
    arcs, geoms = [], []
    for i, f in enumerate(gj["features"]):
        props, geom = f.get("properties") or {}, f.get("geometry") or {}
        if code_prop not in props or name_prop not in props:
            raise DataError(path, f"feature {i + 1} properties", f"{code_prop!r} and {name_prop!r}", sorted(props))
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataError(path, f"feature {i + 1} geometry", "a Polygon or MultiPolygon", geom.get("type"))
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        out_polys = []
        for poly in polygons:
            ids = []
            for ring in poly:
                q = _quantised_ring(ring, x0, y0)
                if len(q) >= 4:
                    arcs.append(q)
                    ids.append(len(arcs) - 1)
            if ids:
                out_polys.append([[a] for a in ids])
        geoms.append(
            {
                "type": "MultiPolygon",
                "arcs": out_polys,
                "properties": {"AREACD": props[code_prop], "AREANM": props[name_prop]},
            }
        )
    return {
        "type": "Topology",
        "transform": {"scale": [GRID, GRID], "translate": [x0, y0]},
        "objects": {"data": {"type": "GeometryCollection", "geometries": geoms}},
        "arcs": arcs,
    }


def normalise_topology(
    topo: dict, path: Path, *, code_prop: str = "AREACD", name_prop: str = "AREANM", keep=lambda code: True
) -> dict:
    """The processed topology of a raw one (object ``data``) read from ``path``."""
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


def validate_topology(topo: dict, ds, label: str) -> None:
    """Raise :class:`DataError` unless ``topo`` is a processed topology of ``ds``: one object
    ``areas`` with the declared number of areas, each with a unique code of the declared pattern,
    a name, arcs and its outer rings wound as d3-geo draws them."""
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
