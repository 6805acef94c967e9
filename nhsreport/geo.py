"""Boundary files: normalise the ONS TopoJSON layers and check them.

Processed boundaries have one object, ``areas``, whose geometries carry only ``code`` (ONS
code) and ``name``. Areas outside the wanted set (e.g. Welsh and Scottish districts) are
dropped together with the arcs only they used, so the files stay small.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import DataError


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


def normalise(path: Path, *, code_prop: str = "AREACD", name_prop: str = "AREANM",
              keep=lambda code: True, rename: dict | None = None) -> dict:
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
        name = (rename or {}).get(code, props[name_prop])
        geoms.append({"type": g["type"], "arcs": g["arcs"], "properties": {"code": code, "name": name.strip()}})
    used = sorted({a for g in geoms for a in _arc_ids(g)})
    mapping = {old: new for new, old in enumerate(used)}
    for g in geoms:
        g["arcs"] = _remap(g["arcs"], mapping)
    geoms.sort(key=lambda g: g["properties"]["code"])
    out = {"type": "Topology", "transform": topo["transform"], "objects": {"areas": {"type": "GeometryCollection", "geometries": geoms}},
           "arcs": [topo["arcs"][i] for i in used]}
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
