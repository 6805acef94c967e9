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
    "boxplot": "box plot",
    "text": "chart of labels",
}
_DOTS = ("point", "circle", "square")
#: measures named with "the" inside a sentence ("a line chart of the number of bodies")
_NEEDS_ARTICLE = ("number", "share", "proportion", "percentage", "index", "difference", "change", "growth", "net")
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
    """An encoding's title, or else its field's name in words ("region_name" becomes "Region name")."""
    title = enc.get("title")
    if isinstance(title, list):
        title = " ".join(title)
    if title:
        return str(title)
    words = str(enc.get("field", "")).removeprefix("properties.").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _plotted(enc: dict, tips: list[dict]) -> list[dict]:
    """What a figure with tooltips plots that no tooltip shows (a measure on a quantitative axis, a
    colour), so that its table holds it too; not a layout position (an axis drawn with no axis) nor a
    field whose name is no reader's word (``q``, ``y``)."""
    shown = {t.get("field") for t in tips}
    out = []
    for channel in ("x", "y", "color"):
        d = enc.get(channel)
        if not isinstance(d, dict) or d.get("aggregate") or d.get("field") in shown:
            continue
        if d.get("type") != "quantitative" and channel != "color":
            continue
        if ("axis" in d and d["axis"] is None) or (not d.get("title") and len(str(d.get("field", ""))) <= 2):
            continue
        out.append(d)
    return out


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
            defs = defs + _plotted(enc, defs)
        for d in defs:
            field = d.get("field")
            if not field or all(_get(r, field) is None for r in rows[:50]):
                continue  # an aggregate (count()) or a field computed in the browser
            title = _title(d)
            values = [_get(r, field) for r in rows]
            if title not in cols and any(v == values for v in cols.values()):
                continue  # the same values under another title (a colour that repeats a tooltip)
            cols.setdefault(title, values)
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


def _unit_kind(mark: str, enc: dict) -> str | None:
    """What one view draws: a histogram (binned bars), a scatter plot (dots placed by two
    quantities, neither of them years), else the kind of its mark."""
    x, y = enc.get("x"), enc.get("y")
    if mark == "bar" and any(isinstance(d, dict) and d.get("bin") for d in (x, y)):
        return "histogram"
    both = all(isinstance(d, dict) and d.get("type") == "quantitative" and d.get("field") for d in (x, y))
    if mark in _DOTS and both and not _over_time(x):
        return "scatter plot"
    return _MARK_KINDS.get(mark)


def _kind(units) -> str:
    """The kinds of chart a figure draws (at most two): a map, whatever else is drawn on it (the
    dots of a map mark areas or lead to their names)."""
    kinds = list(dict.fromkeys(k for m, enc, *_ in units if m != "text" and (k := _unit_kind(m, enc))))
    if "map" in kinds:
        return "map"
    return " and ".join(kinds[:2]) if kinds else "chart"


def _plural(kind: str) -> str:
    """Kinds of chart in the plural: "bar chart and dot plot" becomes "bar charts and dot plots"."""

    def one(k: str) -> str:
        head, sep, tail = k.partition(" of ")
        return f"{head}s{sep}{tail}"

    return " and ".join(one(k) for k in kind.split(" and "))


def _over_time(d) -> bool:
    """Whether an encoding places its values in time (dates, or years by name)."""
    if not isinstance(d, dict):
        return False
    return d.get("type") == "temporal" or "year" in str(d.get("field", "")).lower()


def _nested(text: str) -> str:
    """Text to be put in brackets, with its own brackets made square (British usage)."""
    return text.replace("(", "[").replace(")", "]")


def _namer(titles: dict):
    """A function giving an encoding's name inside a sentence: its own title, or its tooltip's
    when it has none or when it is a measure whose guide rewrites its labels (values in millions,
    say, whose tooltip names the unit of the values the description prints); None when neither
    names it."""

    def name(d: dict) -> str | None:
        guide = d.get("axis") if "axis" in d else d.get("legend")
        rewritten = d.get("type") == "quantitative" and isinstance(guide, dict) and "labelExpr" in guide
        tip = titles.get(d.get("field"))
        if tip and (rewritten or not d.get("title")):
            return _lower(tip)
        return _lower(_title(d)) if d.get("title") else None

    return name


def _is_year(series: pd.Series) -> bool:
    return bool(series.dropna().between(1900, 2100).all() and (series.dropna() % 1 == 0).all())


def _label_columns(df: pd.DataFrame, col: str, keys: list[str], tips: list[dict]) -> list[str]:
    """The columns that say where a value of ``col`` lies: the first name its tooltips show that
    tells more rows apart than the colours do (an organisation, a merger), then the columns of the
    figure's categories (``keys``: its axis and colour), then the other words its tooltips show;
    no column of amounts or codes, none twice."""
    named = [_title(t) for t in tips if t.get("type") in ("nominal", "ordinal", "temporal")]
    candidates = [c for c in dict.fromkeys(keys + named) if c in df and c != col and "code" not in c.lower()]
    words = [c for c in candidates if not pd.api.types.is_numeric_dtype(df[c]) or _is_year(df[c])]
    colours = df[keys[-1]].nunique() if keys and keys[-1] in df else 1
    names = [
        c
        for c in words
        if c in named[:2]
        and not pd.api.types.is_numeric_dtype(df[c])
        and df[c].nunique() > max(colours, 2)
        and df[c].astype(str).str.len().median() <= 60
    ]
    return list(dict.fromkeys(names[:1] + words))[:2]


def _extremes(df: pd.DataFrame, col: str, labels: list[str], formats: dict) -> str:
    """The sentence giving the lowest and the highest value of ``col`` and where each lies."""
    lo, hi = df[col].idxmin(), df[col].idxmax()

    def at(i, names):
        where = []
        for v in (format_value(df.at[i, c], formats.get(c)) for c in names):
            if v and not any(v in w for w in where):  # "2012" says nothing after "March 2012"
                where.append(v)
        value = format_value(df.at[i, col], formats.get(col)).replace("-", "\u2212", 1)
        return value + (f" ({_nested(', '.join(where))})" if where else "")

    span = f" It ranges from {at(lo, labels)} to {at(hi, labels)}."
    if len(span) > ALT_TEXT_MAX // 2:  # long names: each extreme by its first label only
        span = f" It ranges from {at(lo, labels[:1])} to {at(hi, labels[:1])}."
    return span


def _article(name: str) -> str:
    """A measure's name inside a sentence, with "the" where English needs it ("the number of bodies")."""
    return f"the {name}" if name.split(" ", 1)[0] in _NEEDS_ARTICLE else name


def _what(kind: str, measure, others: list, name, figure_kind: str = "") -> str:
    """What the figure (its main view of ``kind``) plots against what: "of managers per 100 staff
    by system", "of the number of trusts by year", "of practices per 100,000 residents against
    population", "of headcount over time" (dates, or years on a figure of lines or areas)."""
    if measure is not None and name(measure):
        text = f" of {_article(name(measure))}"
        if others and _over_time(others[0]):
            lines = others[0].get("type") == "temporal" or (figure_kind or kind).startswith(("line", "area"))
            return text + (" over time" if lines else " by year")
        if not others or not name(others[0]):
            return text
        return text + (" against " if kind.startswith("scatter") else " by ") + name(others[0])
    if kind == "histogram" and others and name(others[0]):
        return f" of {_article(name(others[0]))}"
    return ""


def _colours(colour, name, titles: dict, df: pd.DataFrame, measure, by=None) -> str:
    """How the figure is coloured, with the number of categories (and the commonest, for a
    figure of categories); ``by``: the category the figure is already drawn by."""
    if colour is None or not colour.get("field") or not name(colour):
        return ""
    if by is not None and by.get("field") == colour["field"]:
        text = ", each in its own colour"
    else:
        text = f", {'shaded' if colour.get('type') == 'quantitative' else 'coloured'} by {name(colour)}"
    col = titles.get(colour["field"], _title(colour))
    if colour.get("type") == "quantitative" or col not in df or not df[col].notna().any():
        return text
    counts = df[col].value_counts()
    domain = (colour.get("scale") or {}).get("domain")
    n = len(domain) if isinstance(domain, list) else len(counts)
    text += f" ({n} {'category' if n == 1 else 'categories'}"
    if measure is None:  # a map or chart of categories: which is the largest
        text += f"; the most common, {_nested(str(counts.index[0]))}, has {counts.iloc[0]} of {int(counts.sum())}"
    return text + ")"


def _data_units(spec: dict, datasets: dict) -> list:
    """The views that draw the figure's data: not rules and labels, nor dots without a tooltip
    beside marks that have one (the dot a leader line starts from, an arrangement's start)."""
    units = [u for u in _units(spec, datasets) if u[0] not in ("rule", "text")] or list(_units(spec, datasets))
    if any(_channel_defs(u[1]) for u in units):
        units = [u for u in units if _channel_defs(u[1]) or u[0] not in _DOTS]
    return units


def _panel_kinds(spec: dict, datasets: dict) -> list[str]:
    """The kind of each panel of a concatenated figure (one entry for a single view)."""
    subs = [c for k in ("vconcat", "hconcat", "concat") for c in spec.get(k, [])]
    if not subs:
        return [_kind(_data_units(spec, datasets))]
    return [kind for c in subs for kind in _panel_kinds(c, datasets)]


def _panel_measures(spec: dict) -> list:
    """The quantity each panel of a concatenated figure places (its first quantitative field)."""
    subs = [c for k in ("vconcat", "hconcat", "concat") for c in spec.get(k, [])]
    if subs:
        return [m for c in subs for m in _panel_measures(c)]
    for _mark, enc, *_ in _data_units(spec, spec.get("datasets", {})):
        for channel in ("y", "x"):
            d = enc.get(channel)
            if isinstance(d, dict) and d.get("type") == "quantitative" and d.get("field"):
                return [d["field"]]
    return [None]


def _layout(spec: dict, kind: str, units) -> tuple[str, str]:
    """The figure's kind as the sentence starts it, and how it is laid out: "in 2 panels (A; B)",
    "in small multiples", or nothing for a single view. Panels of different kinds are named
    together ("histograms and scatter plots") and the measure of the first is not given."""
    panels = _panel_titles(spec)
    if "facet" in spec:
        return _plural(kind), " in small multiples"
    if len(panels) > 1:
        return _plural(kind), f" in {len(panels)} panels ({_nested('; '.join(panels))})"
    return kind, ""


def describe(spec: dict, df: pd.DataFrame, formats: dict) -> str:
    """A one- or two-sentence alternative text computed from the figure: its kind, what it
    measures against what, how it is laid out and coloured, and the range of the measure with
    where it is lowest and highest (each extreme named by the row's name, category or date, each
    name once)."""
    datasets = spec.get("datasets", {})
    units = _data_units(spec, datasets)
    main = next((u for u in units if _channel_defs(u[1])), units[0])
    enc = main[1]
    tips = _channel_defs(enc)
    titles = {d.get("field"): _title(d) for d in tips}
    name = _namer(titles)
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
        measure = None
        others = [d for d in (enc.get("x"), enc.get("y")) if isinstance(d, dict) and d.get("bin")]
    else:
        others = [shown[c] for c in ("y", "x") if c in shown and shown[c] is not measure and shown[c].get("field")]
    colour = enc.get("color") if isinstance(enc.get("color"), dict) and enc["color"] is not measure else None
    if others and colour and not name(others[0]) and colour.get("field") == others[0].get("field"):
        others = [colour, *others[1:]]  # an untitled axis of the categories the legend names
    said, layout = _layout(spec, kind, units)
    # panels named, of different kinds and measures: none is given as the figure's
    mixed = bool(layout) and len(set(_panel_kinds(spec, datasets))) > 1 and len(set(_panel_measures(spec))) > 1
    what = "" if mixed else _what(_unit_kind(main[0], enc) or kind, measure, others, name, kind)
    text = f"{said[0].upper()}{said[1:]}{what}{layout}"
    text += _colours(colour, name, titles, df, measure, others[0] if measure is not None and others else None) + "."
    # the main pattern: where the measure is lowest and highest, from the figure's data
    if measure is not None and not measure.get("aggregate") and len(df) and not mixed:
        col = titles.get(measure["field"], _title(measure))
        drawn = df
        if (measure.get("scale") or {}).get("type") == "log" and col in df:
            drawn = df[df[col] > 0]  # a log scale draws no zero or negative value
        if main[0] in ("bar", "area") and colour is not None and col in df:
            drawn = drawn[drawn[col] != 0]  # a stack draws no segment of nothing
        if col in drawn and pd.api.types.is_numeric_dtype(drawn[col]) and drawn[col].notna().any():
            keys = [titles.get(d["field"], _title(d)) for d in (others[:1] + [colour]) if d and d.get("field")]
            text += _extremes(drawn, col, _label_columns(drawn, col, keys, tips), formats)
    return text
