"""A chart on the book's pages: map geometry by URL, static SVG renders, and the chart element.

Boundaries are referenced by URL in the book (``_static/geo/<name>.topo.json``, copied once by
the Sphinx extension) so that a map's geometry is not embedded in every page; for static
renders the geometry is inlined just before conversion. The static SVG, compacted, is the
fallback inside the chart element (:func:`chart_element`), under the interactive chart.
"""

from __future__ import annotations

import html
import json
import math
import re
from urllib.parse import quote

import altair as alt
import pandas as pd

from nhsreport import data as _data
from nhsreport.publish.components.charts.describe import D3_FORMAT, describe, figure_data, format_value
from nhsreport.publish.components.charts.renders import cached_render
from nhsreport.publish.components.charts.theme import GEO_URL, in_book

TABLE_ROWS = 500  # up to this many rows, a figure's data is also shown as a table on the page


def boundaries(name: str) -> alt.Data:
    """Boundaries for a map layer (a processed ``geo_*`` dataset, declared by the chapter)."""
    fmt = alt.DataFormat(type="topojson", feature="areas")
    if in_book():
        _data.check_declared(name)
        return alt.Data(url=GEO_URL.format(name=name), format=fmt)
    return alt.Data(values=_data.geo(name), format=fmt)


def _inline_geometry(node):
    """Replace ``_static/geo`` URLs with the geometry itself (for vl-convert)."""
    if isinstance(node, dict):
        url = node.get("url")
        if isinstance(url, str) and url.startswith("_static/geo/"):
            name = url.rsplit("/", 1)[1].removesuffix(".topo.json")
            out = {k: _inline_geometry(v) for k, v in node.items() if k != "url"}
            out["values"] = _data.geo(name)
            return out
        return {k: _inline_geometry(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_geometry(v) for v in node]
    return node


def _vl_version(spec: dict) -> str | None:
    schema = spec.get("$schema", "")
    # e.g. https://vega.github.io/schema/vega-lite/v6.1.1.json -> "6.1"
    if "/v" in schema:
        ver = schema.rsplit("/v", 1)[1].removesuffix(".json")
        return ".".join(ver.split(".")[:2])
    return None


def to_svg(spec: dict) -> str:
    """The chart as a static SVG (vl-convert), its map geometry inlined; drawn once per
    specification (:mod:`.renders`)."""
    return cached_render(_inline_geometry(spec), "svg", vl_version=_vl_version(spec)).decode("utf-8")


def to_png(spec: dict, scale: float = 2.0) -> bytes:
    """The chart as a PNG of ``scale`` pixels to each of its own (vl-convert), its map geometry
    inlined; drawn once per specification and scale (:mod:`.renders`)."""
    return cached_render(_inline_geometry(spec), "png", scale=scale, vl_version=_vl_version(spec))


_NUM = re.compile(r"-?\d*\.?\d+(?:e-?\d+)?")
_SEGMENT = re.compile(r"[A-Za-z][^A-Za-z]*")
# a segment of a path: a command letter with everything up to the next letter (as _SEGMENT), and
# first the common case of a move or line to one point, "L12.3,45.6", whose two numbers are then
# exactly what _NUM finds in it
_PATH_SEGMENT = re.compile(r"([ML])(-?\d*\.?\d+),(-?\d*\.?\d+)(?=[A-Za-z]|\Z)|([A-Za-z])([^A-Za-z]*)")
_PATH = re.compile(r'(\sd=")([^"]*)(")')


def _fmt(v: float) -> str:
    v = round(v, 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def _compact_path(d: str, tolerance: float) -> str:
    out, last = [], None
    shown: dict[str, str] = {}  # each number's text as _fmt writes it (neighbouring areas share points)
    for cmd, x_text, y_text, other, args in _PATH_SEGMENT.findall(d):
        if not cmd:
            numbers = _NUM.findall(args)
            if other not in "ML" or len(numbers) != 2:
                if other not in "Zz":
                    last = None  # other commands move the pen: stop decimating until the next M/L
                out.append(other + " ".join(_fmt(float(n)) for n in numbers) if numbers else other)
                continue
            cmd, (x_text, y_text) = other, numbers
        # a move or line to one point: a line to within ``tolerance`` of the last point is dropped
        x, y = float(x_text), float(y_text)
        if cmd == "L" and last is not None and abs(x - last[0]) < tolerance and abs(y - last[1]) < tolerance:
            continue
        last = (x, y)
        x_shown = shown.get(x_text)
        if x_shown is None:
            x_shown = shown[x_text] = _fmt(x)
        y_shown = shown.get(y_text)
        if y_shown is None:
            y_shown = shown[y_text] = _fmt(y)
        out.append(f"{cmd}{x_shown},{y_shown}")
    return "".join(out)


_MARK_ATTRS = re.compile(r' (?:aria-label|aria-roledescription|role)="[^"]*"| transform="translate\(0,0\)"')


def compact_svg(svg: str, tolerance: float = 1.0, keep_labels: bool = False) -> str:
    """Shrink a static SVG fallback for the page: path coordinates to 0.1 px, line points closer
    than ``tolerance`` px to the previous one dropped, and the per-mark accessibility attributes
    removed (the fallback is one image whose description is the container's ``aria-label``; the
    interactive chart that replaces it carries its own).

    Maps drawn by vl-convert carry every boundary vertex at full precision; at screen size such
    detail is invisible, and this cuts a page of small-multiple maps several-fold. ``keep_labels``
    keeps the marks' labels, for an SVG compacted once and then highlighted many times (the system
    profiles, which then call :func:`strip_mark_labels`)."""
    svg = _PATH.sub(lambda m: m.group(1) + _compact_path(m.group(2), tolerance) + m.group(3), svg)
    return svg if keep_labels else strip_mark_labels(svg)


def strip_mark_labels(svg: str) -> str:
    """``svg`` without the per-mark accessibility attributes (see :func:`compact_svg`)."""
    head, sep, body = svg.partition(">")  # keep the root <svg> element's own attributes
    return head + sep + _MARK_ATTRS.sub("", body)


_SVG_ID = re.compile(r'(\sid="|url\(#|href="#)([^"\)]+)')


def scoped_ids(svg: str, scope: str) -> str:
    """``svg`` with its element ids (Vega's clip paths and gradients), and the references to them,
    renamed ``<scope>-<n>`` in their order of appearance. vl-convert numbers them per process
    (``gradient_3`` is the process's fourth gradient), so two charts of one page drawn by different
    processes or builds (the render cache) could share an id and paint with each other's gradient,
    and a chart's page would change with what its process happened to draw before. Scoped by the
    figure's name and numbered by position, a page's ids are unique and depend on the chart alone."""
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        new = names.setdefault(m.group(2), f"{scope}-{len(names)}")
        return m.group(1) + new

    return _SVG_ID.sub(rename, svg)


def _csv_link(name: str, df: pd.DataFrame) -> str:
    csv = df.to_csv(index=False, lineterminator="\n")
    href = "data:text/csv;charset=utf-8," + quote(csv, safe=" ,.-_()/:")
    return (
        f'<a class="nhs-chart-csv" href="{html.escape(href, quote=True)}" download="{name}.csv">'
        f"Data (CSV, {len(df)} rows)</a>"
    )


def _data_table(caption: str, df: pd.DataFrame, formats: dict) -> str:
    from nhsreport.publish.components.tables import Table

    shown = df.copy()
    for col, fmt in formats.items():
        if col in shown and not pd.api.types.is_numeric_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v, fmt=fmt: format_value(v, fmt))
    decimals = {}
    for col, fmt in formats.items():
        m = D3_FORMAT.match(fmt)
        if m and m["prec"] is not None and pd.api.types.is_numeric_dtype(shown[col]):
            if m["kind"] == "%":
                shown[col] = 100 * shown[col]
                shown = shown.rename(columns={col: f"{col} (%)"})
                col = f"{col} (%)"
            decimals[col] = int(m["prec"])
    return Table(shown, decimals=decimals or None, caption=caption)._repr_html_()


def _json_safe(node):
    """The spec with NaN and infinite numbers as null: the browser's JSON.parse refuses them."""
    if isinstance(node, float) and not math.isfinite(node):
        return None
    if isinstance(node, dict):
        return {k: _json_safe(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_json_safe(v) for v in node]
    return node


def lean_spec(spec: dict, digits: int = 6) -> dict:
    """The spec the page carries for the interactive chart: each inline dataset keeps only the
    columns the chart names somewhere outside its data (an encoding, a transform, a tooltip or an
    expression), and numbers keep ``digits`` significant figures (more than any axis, label or
    tooltip prints). The drawing is the same; the page is lighter."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)
    # a tooltip of the whole datum shows every column: keep them all
    every_column = '"tooltip": true' in rest or '"content": "data"' in rest

    def used(column: str) -> bool:
        return every_column or column in rest or any(c in column for c in '.[]\\"')

    def number(value):
        if isinstance(value, float) and math.isfinite(value) and value != 0:
            return float(f"{value:.{digits}g}")
        return value

    lean = {
        name: [{k: number(v) for k, v in row.items() if used(k)} if isinstance(row, dict) else row for row in rows]
        for name, rows in datasets.items()
    }
    return {**spec, "datasets": lean}


def chart_element(
    spec: dict,
    svg: str,
    name: str,
    alt_text: str | None = None,
    long_text: str = "",
    compacted: bool = False,
    data: tuple | None = None,
    links: bool = False,
) -> str:
    """The book's chart element for ``spec`` with ``svg`` as its static fallback: the image (the
    Vega-Lite spec, drawn interactively by ``nhsreport.js``, over the fallback), described by
    ``alt_text`` (default: computed from the figure's data), its data as CSV, and a details box
    with ``long_text`` and the data as a table. Chapters get it through the book renderer; the
    system profiles call it with an SVG already compacted (``compacted=True``). ``data``: the
    figure's ``(rows, formats)`` when already computed (:func:`figure_data`). ``links``: the marks
    are links (a map whose areas open pages), so the chart is a labelled group of controls, not an
    image, and the static fallback keeps no links of its own."""
    df, formats = data if data is not None else figure_data(spec)
    alt_text = alt_text or describe(spec, df, formats)
    # the interactive chart is one image with a description: its marks and axes are not read out
    # one by one (the table below holds the same information)
    live = lean_spec({**spec, "config": {**spec.get("config", {}), "aria": False}})
    payload = json.dumps(_json_safe(live), separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    svg = strip_mark_labels(svg) if compacted else compact_svg(svg)
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    if links:
        svg = re.sub(r"</?a\b[^>]*>", "", svg)
    scope = re.sub(r"[^A-Za-z0-9_-]", "-", name)
    svg = scoped_ids(svg, f"nhs-{scope}")
    desc_id = f"nhs-desc-{scope}"
    if len(df) == 0:
        table = ""
    elif len(df) <= TABLE_ROWS:
        table = _data_table(f"Data of the figure: {alt_text.split('. ')[0].rstrip('.')}", df, formats)
    else:
        table = f"<p>The figure's data has {len(df):,} rows: download them as CSV.</p>"
    return (
        f'<div class="nhs-chart" data-figure="{html.escape(name, quote=True)}">'
        f'<div class="nhs-chart-graphic" role="{"group" if links else "img"}" aria-label="{html.escape(alt_text, quote=True)}" '
        f'aria-describedby="{desc_id}">'
        f'<script type="application/json" class="nhs-chart-spec">{payload}</script>'
        f'<div class="nhs-chart-static">{svg}</div></div>'
        f'<div class="nhs-chart-tools">{_csv_link(name, df) if len(df) else ""}</div>'
        f'<details class="nhs-chart-details"><summary>Description and data</summary>'
        f'<p id="{desc_id}">{html.escape(long_text)}</p>{table}</details></div>'
    )
