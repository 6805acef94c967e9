"""A figure's data and its short description: the table behind its tooltips, the alternative text
computed from it, and the d3 number formats the tooltips use (:func:`format_value`)."""

from __future__ import annotations

import math
import re

import pandas as pd

from nhsreport import data as _data
from nhsreport.dates import MONTHS

ALT_TEXT_MAX = 250  # a short alternative text: the description and the table hold the rest
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


# the d3 number formats the report's tooltips use: an optional thousands comma, a precision, a kind
D3_FORMAT = re.compile(r"^(?P<comma>,)?(?:\.(?P<prec>\d+))?(?P<kind>[fd%]?)$")


def format_value(v, fmt: str | None = None) -> str:
    """A value as the figure's tooltip writes it: the d3 formats used in the report (``,``,
    ``.2f``, ``,.0f``, ``.1%``, ``%B %Y`` for dates); anything else as it is."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if hasattr(v, "strftime"):
        return v.strftime(fmt) if fmt and "%" in fmt and not D3_FORMAT.match(fmt) else v.isoformat()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()  # a numpy scalar
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, float) and math.isnan(v):
        return ""
    m = D3_FORMAT.match(fmt or "")
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
