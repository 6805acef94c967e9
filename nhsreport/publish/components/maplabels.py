"""Names on maps, for print: the areas a chapter discusses named where a reader looks for them.

Built on :func:`nhsreport.publish.components.charts.area_labels` and the label point every processed
boundary carries (``properties.label_lon``/``label_lat``, inside its area):

* :func:`named_areas`: names at the areas' label points, in the report's short names (looked up
  by code) rather than the boundary file's;
* :func:`names_placed`: the same, except that names which would overlap are moved apart up and
  down, each with a line to its area;
* :func:`names_beside`: names in a column beside the map (east or west), each with a line to its
  area, for areas too small or too close together to hold their names;
* :func:`names_below`: names south of the map (in the sea), each under its area with a line up to it.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from nhsreport import data
from nhsreport.publish.components import charts

FONT_PX = 12
# width of a character of the report's sans-serif font, as a share of its size (for overlap tests)
_CHAR_WIDTH = 0.6


def named_areas(geo_name: str, names: pd.DataFrame, field: str = "label") -> alt.LayerChart:
    """Names (column ``field``) at the label points of the areas ``names["code"]`` of ``geo_name``
    (:func:`charts.area_labels`, with its halo)."""
    layer = charts.area_labels(geo_name, codes=list(names["code"]), font_px=FONT_PX)
    lookup = alt.LookupData(names, "code", [field])
    return alt.layer(
        *[
            c.transform_lookup(lookup="properties.code", from_=lookup).encode(text=alt.Text(f"{field}:N"))
            for c in layer.layer
        ],
        data=layer.data,
    )


def label_points(geo_name: str, codes, names, field: str = "label") -> pd.DataFrame:
    """The label points (``lon``, ``lat``) of the areas ``codes`` of ``geo_name``, with their
    names (``names``, in the same order) in column ``field``."""
    props = pd.DataFrame([g["properties"] for g in data.geo(geo_name)["objects"]["areas"]["geometries"]])
    at = props.set_index("code").loc[list(codes), ["label_lon", "label_lat"]]
    return pd.DataFrame({"lon": at["label_lon"].to_numpy(), "lat": at["label_lat"].to_numpy(), field: list(names)})


def _layer(points: pd.DataFrame, field: str, align: str, dx: float, **text) -> alt.LayerChart:
    """A dot at each moved name's area, a line from it to the name, and the names on a pale halo
    (``text``: more properties of the names, such as a baseline)."""
    moved = points[(points["name_lon"] != points["lon"]) | (points["name_lat"] != points["lat"])]
    where = {"longitude": "name_lon:Q", "latitude": "name_lat:Q", "text": f"{field}:N"}
    names = alt.Chart(points)
    return alt.layer(
        alt.Chart(moved)
        .mark_rule(color="#333333", strokeWidth=0.8)
        .encode(longitude="lon:Q", latitude="lat:Q", longitude2="name_lon:Q", latitude2="name_lat:Q"),
        alt.Chart(moved).mark_circle(color="#000000", size=14, opacity=1).encode(longitude="lon:Q", latitude="lat:Q"),
        names.mark_text(
            align=align, dx=dx, fontSize=FONT_PX, stroke="white", strokeWidth=3, strokeOpacity=0.85, **text
        ).encode(**where),
        names.mark_text(align=align, dx=dx, fontSize=FONT_PX, color="#111111", **text).encode(**where),
    )


def names_beside(
    points: pd.DataFrame, lon: float, field: str = "label", gap: float = 0.2, side: str = "east"
) -> alt.LayerChart:
    """The names of ``points`` (:func:`label_points`) in a column at longitude ``lon``, starting
    there east of the map (``side="east"``) or ending there west of it (``"west"``), each level with
    its area as far as the others allow (``gap`` degrees of latitude apart), with a line to its area."""
    points = points.assign(name_lon=lon, name_lat=charts.spread(list(points["lat"]), gap))
    return _layer(points, field, "left", 3) if side == "east" else _layer(points, field, "right", -3)


def names_below(points: pd.DataFrame, lat: float, field: str = "label") -> alt.LayerChart:
    """The names of ``points`` (:func:`label_points`) south of the map (or of their areas), each
    centred under its area with its top at latitude ``lat`` and a line up to its area."""
    return _layer(points.assign(name_lon=points["lon"], name_lat=lat), field, "center", 0, baseline="top", dy=2)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _groups(boxes: list[tuple[float, float, float]], height: float) -> list[list[int]]:
    """The names whose boxes (centre x, centre y, half width) overlap, in groups (transitively)."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (xi, yi, wi) in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            xj, yj, wj = boxes[j]
            if abs(xi - xj) < wi + wj and abs(yi - yj) < height - 0.01:
                parent[root(j)] = root(i)
    out: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def place(points: pd.DataFrame, extent, field: str = "label", width: float = 460, height: float = 540) -> pd.DataFrame:
    """``points`` with ``name_lon``/``name_lat``: where each name goes on a Mercator map of
    ``width`` by ``height`` pixels fitted to ``extent`` (west, south, east, north). A name stays at
    its point unless it would overlap another; overlapping names are moved apart up and down about
    their middle, as little as lets them all be read."""
    west, south, east, north = extent
    top = _mercator_y(north)
    k = min(width / math.radians(east - west), height / (top - _mercator_y(south)))
    x = [math.radians(lon - west) * k for lon in points["lon"]]
    y = [(top - _mercator_y(lat)) * k for lat in points["lat"]]
    half = [_CHAR_WIDTH * FONT_PX * len(str(n)) / 2 + 2 for n in points[field]]
    line = FONT_PX + 3
    for _ in range(20):
        groups = [g for g in _groups(list(zip(x, y, half)), line) if len(g) > 1]
        if not groups:
            break
        for g in groups:
            ys = charts.spread([y[i] for i in g], line)
            shift = (sum(y[i] for i in g) - sum(ys)) / len(g)
            for i, v in zip(g, ys):
                y[i] = v + shift
    lat = [math.degrees(2 * math.atan(math.exp(top - v / k)) - math.pi / 2) for v in y]
    kept = [abs(a - b) < 1e-6 for a, b in zip(lat, points["lat"])]
    return points.assign(name_lon=points["lon"], name_lat=[b if s else a for a, b, s in zip(lat, points["lat"], kept)])


def names_placed(points: pd.DataFrame, extent, field: str = "label", width: float = 460, height: float = 540):
    """The names of ``points`` (:func:`label_points`) at their areas, moved apart where they would
    overlap (:func:`place`), each moved name with a line to its area."""
    return _layer(place(points, extent, field, width, height), field, "center", 0)
