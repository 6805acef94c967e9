"""Categories told apart by more than colour: a second cue (dash or shape) for lines and points,
and direct labels beside stacks and bars and on the areas of maps, so that no reader needs the
legend's colours."""

from __future__ import annotations

import altair as alt
import pandas as pd

from nhsreport.publish.components.charts.html import boundaries

_CUE_CHANNEL = {"line": "strokeDash", "trail": "strokeDash", "point": "shape", "circle": "shape", "square": "shape"}
_POSITION_CHANNELS = ("x", "y", "row", "column", "facet", "detail", "yOffset", "xOffset")
#: the white outline drawn under a label over marks (wide enough to close the gaps between its
#: letters and words, so that no line or rule shows through the label)
HALO = {"stroke": "white", "strokeWidth": 5, "strokeJoin": "round", "strokeOpacity": 1}
#: a line's legend entry drawn as a short sample of the line, its dash pattern included (not a blob)
LINE_SAMPLE = {"symbolType": "stroke", "symbolStrokeWidth": 2, "symbolSize": 400}


def halo_text(chart: alt.Chart, text, *, tooltip=alt.Undefined, halo_px: float | None = None, **mark) -> alt.LayerChart:
    """Labels of ``chart`` (its data, transforms and positions) drawn over a white halo
    (:data:`HALO`, or ``halo_px`` wide: wide enough, labels in rows close together merge their
    halos): a rule, line or grid line under the labels stops at them rather than striking through.
    ``text`` is the text encoding, ``mark`` the text mark's properties; the halo carries no
    tooltip, so the figure's data holds each label once."""
    halo = chart.mark_text(**mark, **{**HALO, **({"strokeWidth": halo_px} if halo_px else {})}).encode(text=text)
    return alt.layer(halo, chart.mark_text(**mark).encode(text=text, tooltip=tooltip))


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


def _line_samples(enc: dict, own: dict) -> dict:
    """``own`` (a line's encoding) with the legend of its colour and dash pattern drawing line
    samples (:data:`LINE_SAMPLE`); a legend switched off stays off."""
    out = dict(own)
    for channel in ("color", "stroke", "strokeDash"):
        c = enc.get(channel)
        if isinstance(c, dict) and c.get("field") and c.get("legend", {}) is not None:
            out[channel] = {**c, "legend": {**(c.get("legend") or {}), **LINE_SAMPLE}}
    return out


def second_cues(spec: dict) -> dict:
    """``spec`` with a second cue wherever lines or points are told apart by colour alone: lines get
    a dash pattern, points a shape, each for the same categories as the colour (so a chart reads in
    greyscale and for readers who cannot tell the colours apart). Bars, areas and maps take direct
    labels in the chapter instead, since no channel other than colour distinguishes their fills.
    A line told apart by its dash pattern has a legend of line samples, so that the dash shows in it."""

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
        enc = {**inherited, **node.get("encoding", {})}
        dash = enc.get("strokeDash")
        if kind in ("line", "trail") and isinstance(dash, dict) and dash.get("field") not in shaped:
            node["encoding"] = _line_samples(enc, node.get("encoding", {}))
        for key in ("layer",):
            if key in node:
                node[key] = [walk(c, enc) for c in node[key]]
        for key in ("vconcat", "hconcat", "concat"):
            if key in node:
                node[key] = [walk(c, {}) for c in node[key]]
        if isinstance(node.get("spec"), dict):
            node["spec"] = walk(node["spec"], {})
        return node

    # a legend that also shows points' shapes keeps its symbols (a line among them is drawn as a
    # "stroke" shape by the chapter)
    shaped = {e.get("field") for e in _encodings(spec, "shape")}
    return walk(spec, {})


def _encodings(node, channel: str) -> list[dict]:
    """Every encoding of ``channel`` in a spec and its layers and views."""
    found = []
    if isinstance(node, dict):
        c = node.get("encoding", {}).get(channel)
        if isinstance(c, dict):
            found.append(c)
        for key in ("layer", "vconcat", "hconcat", "concat"):
            for child in node.get(key, []):
                found += _encodings(child, channel)
        if isinstance(node.get("spec"), dict):
            found += _encodings(node["spec"], channel)
    return found


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
