"""Boundary files: normalise the ONS TopoJSON layers and check them.

Processed boundaries have one object, ``areas``, whose geometries carry only ``code`` (ONS
code) and ``name``, with every ring wound as the map library expects. Areas outside the wanted set (e.g. Welsh and Scottish districts) are
dropped together with the arcs only they used, so the files stay small.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

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
    return out


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
