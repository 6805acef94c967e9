"""The report's chart theme and the one switch that renders charts for each context.

:func:`setup` (called by :func:`nhsreport.publish.book.chapter.start` in each chapter's hidden first cell)
picks the output:

* **book build** (``NHSREPORT_BOOK=1``, set by :mod:`nhsreport.publish.book.sphinxext` for the kernels it
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
import math
import os
import re
from urllib.parse import quote

import altair as alt
import pandas as pd

from nhsreport import data as _data
from nhsreport.dates import MONTHS

# Categorical colours. Okabe & Ito's hues, with orange, sky blue and yellow (below 3:1 against
# white) replaced by darker colours, so that every mark has at least 3:1 against the page (WCAG
# 1.4.11), and any two colours of a palette stay apart for the common colour-vision deficiencies
# (tests/test_colours.py simulates them).
PALETTE = ["#0072B2", "#8B2F00", "#009E73", "#CC79A7", "#6E6E6E", "#D55E00", "#000000", "#004B87"]
# Fixed colours for the report's recurring categories, so a category looks the same everywhere.
ORG_COLOURS = {
    "acute": "#0072B2",
    "mental health": "#8B2F00",
    "community": "#009E73",
    "ambulance": "#CC79A7",
    "ICB": "#D55E00",
    "CCG": "#D55E00",
    "PCT": "#004B87",
    "SHA": "#000000",
    "CSU/other": "#6E6E6E",
    "other": "#6E6E6E",
}
# The timeline's categories of event, each with one colour and one shape wherever the report
# draws them (chapter 1's timeline, chapter 5's changes to the national structure), so that a
# category reads the same in every figure and in greyscale.
TIMELINE_STYLE = {
    "legislation": (PALETTE[6], "circle"),
    "policy": (PALETTE[0], "square"),
    "structure": (PALETTE[5], "triangle-up"),
    "national body": (PALETTE[3], "diamond"),
    "programme": (PALETTE[2], "cross"),
    "merger": (PALETTE[1], "triangle-down"),
}
# a category that is context rather than data ("unchanged", "all trusts"): light, and always
# named in the legend and the figure's data table
BACKGROUND = "#DDDDDD"
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
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": "normal",
                "gridColor": "#e6e6e6",
                "domainColor": "#888",
                "tickColor": "#888",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal", "orient": "bottom"},
            "title": {
                "fontSize": 14,
                "anchor": "start",
                "fontWeight": "bold",
                "subtitleFontSize": 12,
                "subtitleColor": "#444",
            },
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


# ---------------------------------------------------------------------------------------------
# a figure's data: the table behind its tooltips, and a short description computed from it
# ---------------------------------------------------------------------------------------------

ALT_TEXT_MAX = 250  # a short alternative text: the description and the table hold the rest
TABLE_ROWS = 400  # up to this many rows, a figure's data is also shown as a table on the page
_MARK_KINDS = {
    "bar": "bar chart",
    "line": "line chart",
    "trail": "line chart",
    "area": "area chart",
    "point": "dot plot",
    "circle": "dot plot",
    "square": "dot plot",
    "tick": "strip plot",
    "geoshape": "map",
    "rect": "grid of cells",
    "arc": "pie chart",
    "text": "chart of labels",
}
_POSITIONAL = ("x", "y", "theta", "color", "size", "shape", "text")


def _rows_of(data: dict | None, datasets: dict) -> list[dict] | None:
    """The rows of a Vega-Lite data definition, or None when they are not in the spec (a URL)."""
    if not data:
        return None
    if "values" in data and isinstance(data["values"], list):
        return data["values"]
    if "name" in data and data["name"] in datasets:
        return datasets[data["name"]]
    url = data.get("url")
    if isinstance(url, str) and url.startswith("_static/geo/"):
        # a map: one row per area, its properties as "properties.<name>" fields
        name = url.rsplit("/", 1)[1].removesuffix(".topo.json")
        topo = _data.geo(name)
        obj = topo["objects"][data.get("format", {}).get("feature", "areas")]
        return [{f"properties.{k}": v for k, v in (g.get("properties") or {}).items()} for g in obj["geometries"]]
    return None


def _get(row: dict, field: str):
    """A field of a data row, following Vega's dotted paths into nested objects."""
    if field in row:
        return row[field]
    value = row
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _units(node: dict, datasets: dict, data=None, encoding=None, transforms=()):
    """Every single view of a spec as (mark type, encoding, rows, transforms), with the data,
    layer encodings and transforms that it inherits from the views that hold it."""
    data = node.get("data", data)
    encoding = {**(encoding or {}), **node.get("encoding", {})}
    transforms = [*transforms, *node.get("transform", [])]
    if "mark" in node:
        mark = node["mark"]
        yield (mark["type"] if isinstance(mark, dict) else mark), encoding, data, transforms
    for child in node.get("layer", []):
        yield from _units(child, datasets, data, encoding, transforms)
    for key in ("vconcat", "hconcat", "concat"):
        for child in node.get(key, []):
            yield from _units(child, datasets, data, None, transforms)
    if isinstance(node.get("spec"), dict):  # facet or repeat
        yield from _units(node["spec"], datasets, data, None, transforms)


def _unit_rows(data, transforms, datasets) -> list[dict] | None:
    rows = _rows_of(data, datasets)
    for t in transforms:
        if "lookup" in t and isinstance(t.get("from"), dict):
            frm = t["from"]
            other = _rows_of(frm.get("data"), datasets) or []
            index = {r.get(frm["key"]): r for r in other}
            fields = frm.get("fields") or []
            if rows is None:
                rows = other
            else:
                rows = [{**r, **{f: index.get(_get(r, t["lookup"]), {}).get(f) for f in fields}} for r in rows]
    return rows


def _channel_defs(encoding: dict) -> list[dict]:
    tips = encoding.get("tooltip")
    if tips is None:
        return []
    return tips if isinstance(tips, list) else [tips]


def _title(enc: dict) -> str:
    title = enc.get("title")
    if isinstance(title, list):
        title = " ".join(title)
    return str(title) if title else str(enc.get("field", "")).removeprefix("properties.").replace("_", " ")


def figure_data(spec: dict) -> tuple[pd.DataFrame, dict]:
    """The data a figure shows, one column per tooltip field under the tooltip's title (or, for a
    figure with no tooltips, per encoded field under its axis or legend title), and the d3
    format of each column. Rows come from every view that has tooltips, duplicates dropped."""
    datasets = spec.get("datasets", {})
    units = list(_units(spec, datasets))
    with_tips = [u for u in units if _channel_defs(u[1])]
    frames, formats, types = [], {}, {}
    for _mark, enc, data, transforms in with_tips or units:
        defs = _channel_defs(enc) if with_tips else [enc[c] for c in _POSITIONAL if isinstance(enc.get(c), dict)]
        rows = _unit_rows(data, transforms, datasets)
        if not rows:
            continue
        cols = {}
        if with_tips:  # what the chart plots, when no tooltip shows it
            defs = defs + [
                enc[c]
                for c in ("x", "y", "color")
                if isinstance(enc.get(c), dict)
                and (enc[c].get("type") == "quantitative" or c == "color")
                and not enc[c].get("aggregate")
                and enc[c].get("field") not in {t.get("field") for t in defs}
            ]
        for d in defs:
            field = d.get("field")
            if not field or all(_get(r, field) is None for r in rows[:50]):
                continue  # an aggregate (count()) or a field computed in the browser
            title = _title(d)
            cols.setdefault(title, [_get(r, field) for r in rows])
            if d.get("format"):
                formats.setdefault(title, d["format"])
            types.setdefault(title, d.get("type"))
        if cols:
            frames.append(pd.DataFrame(cols))
    if not frames:
        return pd.DataFrame(), {}
    df = pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)
    df = df.dropna(axis=1, how="all")
    for col, typ in types.items():
        if typ in ("nominal", "ordinal") and col in df and pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].map(lambda v: "" if pd.isna(v) else format_value(v))  # years are labels, not amounts
        if typ == "temporal" and col in df:
            df[col] = pd.to_datetime(df[col], errors="coerce", utc=False, format="mixed").dt.date
    return df, formats


_D3 = re.compile(r"^(?P<comma>,)?(?:\.(?P<prec>\d+))?(?P<kind>[fd%]?)$")


def format_value(v, fmt: str | None = None) -> str:
    """A value as the figure's tooltip writes it: the d3 formats used in the report (``,``,
    ``.2f``, ``,.0f``, ``.1%``, ``%B %Y`` for dates); anything else as it is."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if hasattr(v, "strftime"):
        return v.strftime(fmt) if fmt and "%" in fmt and not _D3.match(fmt) else v.isoformat()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()  # a numpy scalar
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, float) and math.isnan(v):
        return ""
    m = _D3.match(fmt or "")
    if not fmt or not m:
        # no format: whole numbers as they are, others to three significant figures
        if float(v).is_integer():
            return str(int(v))
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:#.3g}"
    comma, prec, kind = "," if m["comma"] else "", m["prec"], m["kind"]
    if kind == "%":
        return f"{100 * v:{comma}.{prec or 0}f}%"
    if prec is not None or kind == "f":
        return f"{v:{comma}.{prec or 6}f}"
    return f"{round(v):{comma}d}" if float(v).is_integer() or kind == "d" else f"{v:{comma}}"


_PROPER = {"England", "England's", "NHS", *MONTHS}


def _lower(title: str) -> str:
    """A title inside a sentence: its first letter in lower case, unless it starts an acronym."""
    first = title.split(" ", 1)[0]
    if title[1:2].isupper() or first in _PROPER:
        return title
    return title[:1].lower() + title[1:]


def _panel_titles(spec: dict) -> list[str]:
    """The titles of a concatenated figure's panels (empty for a single view)."""
    views = []

    def walk(node):
        subs = [c for k in ("vconcat", "hconcat", "concat") for c in node.get(k, [])]
        if subs:
            for c in subs:
                walk(c)
        else:
            t = node.get("title")
            t = t.get("text") if isinstance(t, dict) else t
            views.append(" ".join(t) if isinstance(t, list) else str(t or ""))

    walk(spec)
    return [v for v in views if v] if len(views) > 1 else []


def _kind(units) -> str:
    kinds = list(dict.fromkeys(_MARK_KINDS[m] for m, *_ in units if m in _MARK_KINDS and m != "text"))
    return " and ".join(kinds[:2]) if kinds else "chart"


def describe(spec: dict, df: pd.DataFrame, formats: dict) -> str:
    """A one- or two-sentence alternative text computed from the figure: its kind, what it
    measures against what, and the range of the measure with where it is lowest and highest."""
    datasets = spec.get("datasets", {})
    units = [u for u in _units(spec, datasets) if u[0] not in ("rule", "text")] or list(_units(spec, datasets))
    main = next((u for u in units if _channel_defs(u[1])), units[0])
    enc = main[1]
    titles = {d.get("field"): _title(d) for d in _channel_defs(enc)}

    def name(d: dict) -> str:  # an encoding's title, or its tooltip's when the axis has none
        return _lower(_title(d) if d.get("title") else titles.get(d.get("field")) or _title(d))

    panels = _panel_titles(spec)
    kind = _kind(units)
    # an axis drawn with no axis (a layout position, such as a timeline's rows) measures nothing
    shown = {c: d for c, d in enc.items() if isinstance(d, dict) and not ("axis" in d and d["axis"] is None)}
    quantitative = [
        c
        for c in ("x", "y", "color")
        if c in shown and shown[c].get("type") == "quantitative" and shown[c].get("field")
    ]
    if "x" in quantitative and "y" in quantitative:
        quantitative.remove("x")  # a measure against a number (years, positions): the vertical one
    measure = shown[quantitative[0]] if quantitative else None
    if measure is not None and measure.get("bin"):
        kind, measure = "histogram", None
        others = [d for d in (enc.get("x"), enc.get("y")) if isinstance(d, dict) and d.get("bin")]
    else:
        others = [shown[c] for c in ("y", "x") if c in shown and shown[c] is not measure and shown[c].get("field")]
    colour = enc.get("color") if isinstance(enc.get("color"), dict) and enc["color"] is not measure else None
    prefix = "Small multiples: " if "facet" in spec else f"{len(panels)} panels: " if len(panels) > 1 else ""
    parts = [f"{prefix}{kind[0].upper()}{kind[1:]}"]
    if measure is not None:
        parts.append(f" of {name(measure)}")
        if others and others[0].get("type") == "temporal":
            parts.append(" over time")
        elif others:
            parts.append(f" by {name(others[0])}")
    elif kind == "histogram" and others:
        parts.append(f" of {name(others[0])}")
    if colour is not None and colour.get("field"):
        parts.append(f", {'shaded' if colour.get('type') == 'quantitative' else 'coloured'} by {name(colour)}")
        col = titles.get(colour["field"], _title(colour))
        if colour.get("type") != "quantitative" and col in df and df[col].notna().any():
            counts = df[col].value_counts()
            domain = (colour.get("scale") or {}).get("domain")
            n = len(domain) if isinstance(domain, list) else len(counts)
            parts.append(f" ({n} {'category' if n == 1 else 'categories'}")
            if measure is None:  # a map or chart of categories: which is the largest
                parts.append(f"; the most common, {counts.index[0]}, has {counts.iloc[0]} of {int(counts.sum())}")
            parts.append(")")
    text = "".join(parts) + "."
    if len(panels) > 1:
        text += " Panels: " + "; ".join(panels) + "."
    # the main pattern: where the measure is lowest and highest, from the figure's data
    if measure is not None and not measure.get("aggregate") and len(df):
        col = titles.get(measure["field"], _title(measure))
        # each extreme is named by the values that place it: its category, series or date
        keys = [d for d in (others[:1] + [colour]) if d is not None and d.get("field")]
        labels = [c for c in (titles.get(d["field"], _title(d)) for d in keys) if c in df and c != col]
        if not labels:
            labels = [c for c in df.columns if c != col and not pd.api.types.is_numeric_dtype(df[c])][:1]
        if col in df and pd.api.types.is_numeric_dtype(df[col]) and df[col].notna().any():
            lo, hi = df[col].idxmin(), df[col].idxmax()
            fmt = formats.get(col)

            def at(i, names):
                where = ", ".join(v for v in (format_value(df.at[i, c], formats.get(c)) for c in names) if v)
                return format_value(df.at[i, col], fmt) + (f" ({where})" if where else "")

            span = f" It ranges from {at(lo, labels)} to {at(hi, labels)}."
            if len(text + span) > ALT_TEXT_MAX:  # long category names: each extreme by its first label only
                span = f" It ranges from {at(lo, labels[:1])} to {at(hi, labels[:1])}."
            text += span
    return text


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
        m = _D3.match(fmt)
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
    live = {**spec, "config": {**spec.get("config", {}), "aria": False}}
    payload = json.dumps(_json_safe(live), separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    svg = strip_mark_labels(svg) if compacted else compact_svg(svg)
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    if links:
        svg = re.sub(r"</?a\b[^>]*>", "", svg)
    desc_id = f"nhs-desc-{re.sub(r'[^A-Za-z0-9_-]', '-', name)}"
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


# ---------------------------------------------------------------------------------------------
# greyscale and print: a second cue beside colour, and labels of at least 8 pt on paper
# ---------------------------------------------------------------------------------------------

# the PDF book prints a chart across the text block (A4 less 1 inch margins: 451 pt), whatever its width
PRINT_WIDTH_PT = 451.0
PRINT_PT_PER_PX = 0.75  # a chart's pixel prints as a CSS pixel does: 12 px text at 9 pt
PRINT_MIN_PT = 8.0
_PRINT_AIM_PT = 8.6  # a margin for the chart growing as its labels grow
# beyond this the labels, not the plot, fill the page: such a chart is drawn narrower in its chapter
PRINT_MAX_SCALE = 1.4
PNG_SCALE = 2.0
_TEXT_DEFAULT_PX = 11  # Vega-Lite's size for a text mark that sets none
_CUE_CHANNEL = {"line": "strokeDash", "trail": "strokeDash", "point": "shape", "circle": "shape", "square": "shape"}
_POSITION_CHANNELS = ("x", "y", "row", "column", "facet", "detail", "yOffset", "xOffset")


def _categorical_colour(enc: dict) -> dict | None:
    for channel in ("color", "fill", "stroke"):
        c = enc.get(channel)
        if isinstance(c, dict) and c.get("type") in ("nominal", "ordinal") and c.get("field"):
            return c
    return None


def _cue_for(colour: dict, channel: str) -> dict:
    """The encoding of a second channel that repeats ``colour``'s categories (its legend merges with
    the colour legend, since field, title and domain are the same)."""
    cue = {"field": colour["field"], "type": colour["type"]}
    for key in ("title", "sort", "legend"):
        if key in colour:
            cue[key] = colour[key]
    domain = (colour.get("scale") or {}).get("domain")
    if isinstance(domain, list):
        cue["scale"] = {"domain": domain}
    if channel == "strokeDash":
        cue.setdefault("scale", {})["range"] = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2], [1, 3], [10, 4], [4, 2, 1, 2]]
    return cue


def second_cues(spec: dict) -> dict:
    """``spec`` with a second cue wherever lines or points are told apart by colour alone: lines get
    a dash pattern, points a shape, each for the same categories as the colour (so a chart reads in
    greyscale and for readers who cannot tell the colours apart). Bars, areas and maps take direct
    labels in the chapter instead, since no channel other than colour distinguishes their fills."""

    def walk(node, inherited):
        if not isinstance(node, dict):
            return node
        node = dict(node)
        enc = {**inherited, **node.get("encoding", {})}
        mark = node.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        colour = _categorical_colour(enc)
        channel = _CUE_CHANNEL.get(kind)
        placed = {enc[c].get("field") for c in _POSITION_CHANNELS if isinstance(enc.get(c), dict)}
        if channel and colour and channel not in enc and colour["field"] not in placed:
            node["encoding"] = {**node.get("encoding", {}), channel: _cue_for(colour, channel)}
            if kind in ("circle", "square"):  # only the point mark takes a shape
                props = mark if isinstance(mark, dict) else {}
                node["mark"] = {**props, "type": "point", "filled": True}
        for key in ("layer",):
            if key in node:
                node[key] = [walk(c, enc) for c in node[key]]
        for key in ("vconcat", "hconcat", "concat"):
            if key in node:
                node[key] = [walk(c, {}) for c in node[key]]
        if isinstance(node.get("spec"), dict):
            node["spec"] = walk(node["spec"], {})
        return node

    return walk(spec, {})


def _font_sizes(node, out: list, in_text_mark=False) -> list:
    if isinstance(node, dict):
        for k, v in node.items():
            if (k == "fontSize" or k.endswith("FontSize")) and isinstance(v, (int, float)):
                out.append(float(v))
            else:
                _font_sizes(v, out)
        mark = node.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" not in mark):
            out.append(float((node.get("config") or {}).get("text", {}).get("fontSize", _TEXT_DEFAULT_PX)))
    elif isinstance(node, list):
        for v in node:
            _font_sizes(v, out)
    return out


def smallest_font_px(spec: dict) -> float:
    """The smallest font size a spec sets or leaves at Vega-Lite's default (text marks), in pixels."""
    sizes = _font_sizes(spec, [])
    text_default = (spec.get("config") or {}).get("text", {}).get("fontSize")
    if text_default is not None:
        sizes.append(float(text_default))
    return min(sizes, default=_TEXT_DEFAULT_PX)


def _scale_fonts(node, k: float):
    if isinstance(node, dict):
        out = {}
        for key, v in node.items():
            if (key == "fontSize" or key.endswith("FontSize")) and isinstance(v, (int, float)):
                out[key] = round(v * k, 1)
            else:
                out[key] = _scale_fonts(v, k)
        mark = out.get("mark")
        if mark == "text":
            out["mark"] = {"type": "text", "fontSize": round(_TEXT_DEFAULT_PX * k, 1)}
        elif isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" not in mark:
            out["mark"] = {**mark, "fontSize": round(_TEXT_DEFAULT_PX * k, 1)}
        return out
    if isinstance(node, list):
        return [_scale_fonts(v, k) for v in node]
    return node


def svg_width(svg: str) -> float:
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)', svg)
    return float(m.group(1)) if m else float(WIDTH)


def printed_pt(font_px: float, chart_width_px: float) -> float:
    """How large a font of ``font_px`` prints in the PDF book, where a chart ``chart_width_px`` wide
    is printed at 0.75 pt a pixel (the PNG says so: :func:`with_print_resolution`), shrunk to fit
    the text block when it is wider."""
    return font_px * min(PRINT_PT_PER_PX, PRINT_WIDTH_PT / chart_width_px)


def with_print_resolution(png: bytes, scale: float = PNG_SCALE) -> bytes:
    """``png`` with a pHYs chunk saying that ``scale`` of its pixels make one of the chart's, at 96
    to the inch: LaTeX then prints a narrow chart at its own size (0.75 pt a pixel) rather than
    stretching it, and its text, across the page."""
    import struct
    import zlib

    per_metre = round(96 * scale / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    out, i = [png[:8]], 8
    while i < len(png):  # every chunk as it is, but any resolution the renderer wrote (72 to the inch)
        (n,) = struct.unpack(">I", png[i : i + 4])
        kind = png[i + 4 : i + 8]
        if kind != b"pHYs":
            out.append(png[i : i + 12 + n])
        if kind == b"IHDR":
            out.append(chunk)
        i += 12 + n
    return b"".join(out)


def _unlimited(node):
    """``node`` with no label cut short: every label limit (axes, legends, text marks) lifted."""
    if isinstance(node, dict):
        out = {k: _unlimited(v) for k, v in node.items()}
        for key in ("labelLimit", "limit"):
            if key in out and isinstance(out[key], (int, float)):
                out[key] = 0
        return out
    if isinstance(node, list):
        return [_unlimited(v) for v in node]
    return node


def print_spec(spec: dict, k: float) -> dict:
    """``spec`` for the PDF book: every font scaled by ``k``, no label cut short, axis and legend
    labels never truncated (the tooltip that completes them on screen does not exist on paper)."""
    out = _unlimited(_scale_fonts(spec, k) if k > 1 else spec)
    config = dict(out.get("config", {}))
    config["axis"] = {**config.get("axis", {}), "labelLimit": 0}
    config["legend"] = {**config.get("legend", {}), "labelLimit": 0}
    out["config"] = config
    return out


def print_png(spec: dict, screen_width_px: float) -> tuple[bytes, dict]:
    """The chart as the PDF book prints it (a PNG at twice the size in pixels), and its spec.
    Fonts are scaled up by one factor until the smallest prints at 8 pt or more once the chart is
    fitted to the text block (the chart widens as its labels grow, so the factor is refined)."""
    f = smallest_font_px(spec)
    k = max(1.0, _PRINT_AIM_PT / printed_pt(f, screen_width_px))
    for _ in range(3):
        ps = print_spec(spec, k)
        size = printed_pt(smallest_font_px(ps), svg_width(to_svg(ps)))
        if size >= PRINT_MIN_PT or k >= PRINT_MAX_SCALE:
            break
        k = min(PRINT_MAX_SCALE, k * _PRINT_AIM_PT / size)
    return with_print_resolution(to_png(ps, scale=PNG_SCALE)), ps


def _book_bundle(spec: dict, **_metadata) -> dict:
    spec = second_cues(spec)
    meta = spec.get("usermeta", {}).get("nhsreport", {})
    name = meta.get("name", "figure")
    long_text = meta.get("description") or spec.get("description") or ""
    df, formats = figure_data(spec)
    alt_text = describe(spec, df, formats)
    svg = to_svg(spec)
    return {
        "text/html": chart_element(spec, svg, name, alt_text, long_text, data=(df, formats)),
        "image/png": base64.b64encode(print_png(spec, svg_width(svg))[0]).decode("ascii"),
        "text/plain": f"<chart: {alt_text[:80]}>",
    }


# ---------------------------------------------------------------------------------------------
# figures for chapters
# ---------------------------------------------------------------------------------------------


def glue_chart(name: str, chart, alt_text: str) -> None:
    """Glue ``chart`` under ``name`` for a ``{glue:figure}``.

    ``alt_text`` is the figure's longer description, shown with its data under the chart in
    HTML; the short alternative text screen readers announce is computed from the figure's data
    (:func:`describe`), as are the table and the CSV download offered with it (:func:`figure_data`).
    In interactive Jupyter the chart is also shown where the cell runs.
    """
    if not alt_text or len(alt_text) < 20:
        raise ValueError(f"figure {name!r}: give alt text that describes what the chart shows")
    from myst_nb import glue

    chart = chart.properties(description=alt_text, usermeta={"nhsreport": {"name": name, "description": alt_text}})
    glue(name, chart, display=not in_book())


def timeline_encodings(categories, *, title: str, legend=alt.Undefined) -> tuple[alt.Color, alt.Shape]:
    """The colour and shape encodings of the field ``category`` for the timeline ``categories``
    (in legend order), from :data:`TIMELINE_STYLE`."""
    categories = list(categories)
    colour = alt.Color(
        "category:N",
        title=title,
        scale=alt.Scale(domain=categories, range=[TIMELINE_STYLE[c][0] for c in categories]),
        legend=legend,
    )
    shape = alt.Shape(
        "category:N",
        title=title,
        scale=alt.Scale(domain=categories, range=[TIMELINE_STYLE[c][1] for c in categories]),
    )
    return colour, shape


# ---------------------------------------------------------------------------------------------
# direct labels: categories named on the chart, so that no reader needs the legend's colours
# ---------------------------------------------------------------------------------------------


def spread(values, min_gap: float, lo: float | None = None, hi: float | None = None) -> list[float]:
    """Positions as close to ``values`` as they can be while at least ``min_gap`` apart (in the
    values' order; between ``lo`` and ``hi`` when given): where labels go beside a stack or the
    ends of lines. A plain pass up then down, which is enough for a handful of labels."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    pos = [float(values[i]) for i in order]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + min_gap)
    if hi is not None and pos and pos[-1] > hi:
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - min_gap)
    if lo is not None and pos and pos[0] < lo:
        pos[0] = lo
        for i in range(1, len(pos)):
            pos[i] = max(pos[i], pos[i - 1] + min_gap)
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = pos[rank]
    return out


def stack_labels(
    df: pd.DataFrame,
    x: str,
    y: str,
    category: str,
    order: list,
    *,
    at=None,
    y_max: float,
    height_px: float,
    font_px: float = 12,
) -> pd.DataFrame:
    """Where to name each category of a stacked bar or area chart: beside the stack at ``at``
    (default: the last ``x``), level with the middle of the category's segment, moved apart so
    that no two labels overlap. Returns one row per category present there: ``x``, ``label_y``
    (the label's height, in data units), ``segment_y`` (the segment's middle), ``category``.
    Stacked bottom to top in ``order``."""
    at = df[x].max() if at is None else at
    last = df[df[x] == at].set_index(category)[y].reindex(order).fillna(0)
    tops = last.cumsum()
    mids = (tops - last / 2)[last > 0]
    gap = (font_px + 2) * y_max / height_px
    placed = spread(list(mids.values), gap, lo=gap / 2, hi=y_max - gap / 2)
    return pd.DataFrame({x: at, "label_y": placed, "segment_y": mids.values, category: list(mids.index)})


def segment_labels(
    df: pd.DataFrame,
    x: str,
    y: str,
    category: str,
    order: list,
    *,
    y_max: float,
    width_px: float,
    height_px: float,
    font_px: float = 12,
) -> pd.DataFrame:
    """Where to name each category of a stacked bar chart with many bars (one per ``x``), when
    :func:`stack_labels` beside the last bar would not reach every category: beside (right of) a
    bar in which the category has a segment, level with that segment and clear of the bars the
    label passes over and of the other labels. The largest segments are tried first (of equal
    size, the later); the last bar, with nothing to its right, always has room. Returns one row
    per category placed: ``x``, ``label_y`` (in data units), ``category``. Stacked bottom to top
    in ``order``."""
    stack = df.pivot_table(index=x, columns=category, values=y, aggfunc="sum")
    stack = stack.reindex(columns=order).fillna(0)
    bars, tops = list(stack.index), stack.cumsum(axis=1)
    step, unit = width_px / len(bars), y_max / height_px
    half = (font_px / 2 + 3) * unit
    placed = []
    for name in order:
        segments = stack[name][stack[name] > 0].sort_index(ascending=False)
        for bar in segments.sort_values(ascending=False, kind="stable").index:
            i, width = bars.index(bar), 0.6 * font_px * len(name) + 4
            passed = stack.iloc[i + 1 : i + 1 + int(width // step) + 1].sum(axis=1)
            lo, hi = tops.at[bar, name] - stack.at[bar, name], tops.at[bar, name]
            floor = max(lo, (passed.max() if len(passed) else 0) + half)
            level = min(max((lo + hi) / 2, floor), y_max - half)
            clash = any(
                abs(level - py) < 2 * half and i <= pi + pw / step and pi <= i + width / step
                for pi, py, pw, _ in placed
            )
            if level <= hi and not clash:
                placed.append((i, level, width, name))
                break
    return pd.DataFrame([{x: bars[i], "label_y": level, category: name} for i, level, _, name in placed])


def area_labels(name: str, *, codes=None, field: str = "properties.name", font_px: float = 11):
    """A map layer that names areas of ``name`` (all, or those in ``codes``) at their label points
    (``label_lon``/``label_lat``, inside each area), dark text on a pale halo so that it reads over
    any fill."""
    base = alt.Chart(boundaries(name))
    if codes is not None:
        base = base.transform_filter(alt.FieldOneOfPredicate(field="properties.code", oneOf=list(codes)))
    enc = {
        "longitude": alt.Longitude("properties.label_lon:Q"),
        "latitude": alt.Latitude("properties.label_lat:Q"),
        "text": alt.Text(f"{field}:N"),
    }
    halo = base.mark_text(fontSize=font_px, stroke="white", strokeWidth=3, strokeOpacity=0.85, fill="white").encode(
        **enc
    )
    return halo + base.mark_text(fontSize=font_px, fill="#111111").encode(**enc)
