"""The report's chart theme and the one switch that renders charts for each context.

:func:`setup` (called by :func:`nhsreport.publish.chapter.start` in each chapter's hidden first cell)
picks the output:

* **book build** (``NHSREPORT_BOOK=1``, set by :mod:`nhsreport.publish.sphinxext` for the kernels it
  starts): each chart becomes one display bundle holding
  ``text/html`` — a ``<div class="nhs-chart">`` carrying the Vega-Lite spec, which the shared,
  locally served vega-embed bundle turns into an interactive chart, with a static SVG inside as
  the fallback — and ``image/png``, which the LaTeX builder picks for the PDF book;
* **interactive Jupyter**: Altair's ``jupyter`` renderer in offline mode (anywidget, with the
  JavaScript bundled by vl-convert), so charts are interactive in JupyterLab with no network.

Boundaries are referenced by URL in the book (``_static/geo/<name>.topo.json``, copied once by
the Sphinx extension) so that a map's geometry is not embedded in every page; for static
renders the geometry is inlined just before conversion.
"""
from __future__ import annotations

import base64
import html
import json
import os
import re

import altair as alt

from nhsreport import data as _data

# Okabe & Ito's palette: distinct for the common colour-vision deficiencies, and with a spread of
# lightness that survives greyscale print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
# Fixed colours for the report's recurring categories, so a category looks the same everywhere.
ORG_COLOURS = {
    "acute": "#0072B2",
    "mental health": "#E69F00",
    "community": "#009E73",
    "ambulance": "#CC79A7",
    "ICB": "#D55E00",
    "CCG": "#D55E00",
    "PCT": "#56B4E9",
    "SHA": "#000000",
    "CSU/other": "#999999",
    "other": "#999999",
}
SEQUENTIAL = "blues"  # monotonic in lightness: readable in greyscale
WIDTH = 620
FONT = "DejaVu Sans, Verdana, sans-serif"
GEO_URL = "_static/geo/{name}.topo.json"


def theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 320, "stroke": None},
            "range": {"category": PALETTE, "ramp": {"scheme": SEQUENTIAL}, "ordinal": {"scheme": SEQUENTIAL}},
            # at print size a 620-pixel chart is ~73% of its pixel size: 12 px labels print at about 8.7 pt
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal", "gridColor": "#e6e6e6",
                     "domainColor": "#888", "tickColor": "#888"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal", "orient": "bottom"},
            "title": {"fontSize": 14, "anchor": "start", "fontWeight": "bold", "subtitleFontSize": 12,
                      "subtitleColor": "#444"},
            "header": {"labelFontSize": 12, "titleFontSize": 13},
            "line": {"strokeWidth": 2},
            "point": {"filled": True, "size": 45},
        }
    }


alt.theme.register("nhsreport", enable=False)(theme)


def in_book() -> bool:
    return os.environ.get("NHSREPORT_BOOK") == "1"


def setup() -> None:
    """Enable the report's theme and the renderer for the current context."""
    alt.theme.enable("nhsreport")
    alt.data_transformers.disable_max_rows()
    if in_book():
        alt.renderers.register("nhsreport-book", _book_bundle)
        alt.renderers.enable("nhsreport-book")
    else:
        alt.renderers.enable("jupyter", offline=True)


# ---------------------------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# static renders
# ---------------------------------------------------------------------------------------------

def _vl_version(spec: dict) -> str | None:
    schema = spec.get("$schema", "")
    # e.g. https://vega.github.io/schema/vega-lite/v6.1.1.json -> "6.1"
    if "/v" in schema:
        ver = schema.rsplit("/v", 1)[1].removesuffix(".json")
        return ".".join(ver.split(".")[:2])
    return None


def to_svg(spec: dict) -> str:
    import vl_convert as vlc
    return vlc.vegalite_to_svg(_inline_geometry(spec), vl_version=_vl_version(spec))


def to_png(spec: dict, scale: float = 2.0) -> bytes:
    import vl_convert as vlc
    return vlc.vegalite_to_png(_inline_geometry(spec), vl_version=_vl_version(spec), scale=scale)


_NUM = re.compile(r"-?\d*\.?\d+(?:e-?\d+)?")
_SEGMENT = re.compile(r"[A-Za-z][^A-Za-z]*")
_PATH = re.compile(r'(\sd=")([^"]*)(")')


def _fmt(v: float) -> str:
    v = round(v, 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def _compact_path(d: str, tolerance: float) -> str:
    out, last = [], None
    for seg in _SEGMENT.findall(d):
        cmd, nums = seg[0], [float(x) for x in _NUM.findall(seg[1:])]
        if cmd in "ML" and len(nums) == 2:
            x, y = nums
            if cmd == "L" and last is not None and abs(x - last[0]) < tolerance and abs(y - last[1]) < tolerance:
                continue
            last = (x, y)
            out.append(f"{cmd}{_fmt(x)},{_fmt(y)}")
        else:
            if cmd not in "Zz":
                last = None  # other commands move the pen: stop decimating until the next M/L
            out.append(cmd + " ".join(_fmt(n) for n in nums) if nums else cmd)
    return "".join(out)


_MARK_ATTRS = re.compile(r' (?:aria-label|aria-roledescription|role)="[^"]*"| transform="translate\(0,0\)"')


def compact_svg(svg: str, tolerance: float = 1.0) -> str:
    """Shrink a static SVG fallback for the page: path coordinates to 0.1 px, line points closer
    than ``tolerance`` px to the previous one dropped, and the per-mark accessibility attributes
    removed (the fallback is one image whose description is the container's ``aria-label``; the
    interactive chart that replaces it carries its own).

    Maps drawn by vl-convert carry every boundary vertex at full precision; at screen size such
    detail is invisible, and this cuts a page of small-multiple maps several-fold."""
    svg = _PATH.sub(lambda m: m.group(1) + _compact_path(m.group(2), tolerance) + m.group(3), svg)
    head, sep, body = svg.partition(">")  # keep the root <svg> element's own attributes
    return head + sep + _MARK_ATTRS.sub("", body)


def _book_bundle(spec: dict, **_metadata) -> dict:
    alt_text = spec.get("description") or ""
    payload = json.dumps(spec, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    svg = compact_svg(to_svg(spec))
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    html_out = (
        f'<div class="nhs-chart" role="img" aria-label="{html.escape(alt_text, quote=True)}">'
        f'<script type="application/json" class="nhs-chart-spec">{payload}</script>'
        f'<div class="nhs-chart-static">{svg}</div></div>'
    )
    return {
        "text/html": html_out,
        "image/png": base64.b64encode(to_png(spec)).decode("ascii"),
        "text/plain": f"<chart: {alt_text[:80]}>",
    }


# ---------------------------------------------------------------------------------------------
# figures for chapters
# ---------------------------------------------------------------------------------------------

def glue_chart(name: str, chart, alt_text: str) -> None:
    """Glue ``chart`` under ``name`` for a ``{glue:figure}`` with the given alt text.

    The alt text becomes the chart's description (read by screen readers in HTML, and checked by
    the tests). In interactive Jupyter the chart is also shown where the cell runs.
    """
    if not alt_text or len(alt_text) < 20:
        raise ValueError(f"figure {name!r}: give alt text that describes what the chart shows")
    from myst_nb import glue

    chart = chart.properties(description=alt_text)
    glue(name, chart, display=not in_book())
