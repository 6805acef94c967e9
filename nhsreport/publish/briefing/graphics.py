"""The briefings' charts: Altair charts in the report's theme, rendered to SVG for Typst.

England-wide graphics are rendered once (:func:`england_svgs`,
:func:`board_base_svgs`). Each board's briefing then gets its map and its two "where
does it stand" bar charts by recolouring the marks of its own system in the shared SVGs
(:func:`highlight`) and adding the label that names it, placed once for every system when the
shared SVGs are drawn (:func:`locator_map`, :func:`ranked_bars`; :mod:`.maps`), so building a
system's briefing needs no chart rendering at all. Marks are found by their accessible label (the
Vega-Lite ``description`` channel, written ``icb:<ODS code>``), which Vega writes as
``aria-label`` on every mark.

For print, every figure is drawn for the width its template sets it at (``width_mm`` in the
briefing's data: :data:`ENGLAND_WIDTH_MM`, :data:`MAP_WIDTH_MM`, :data:`BARS_WIDTH_MM`), so that
its smallest text prints at 8 pt or more, and nothing in it is told apart by hue alone.

Rendered graphics are cached twice over: each set in ``_build/briefing/.cache/`` under a key
made of the hashes of the datasets it draws, the source of the drawing modules and the Altair and
vl-convert versions (so a warm run imports neither), and each chart in the report's one render
cache (``_build/.render_cache/``, shared with the chapters and the system profiles) under the
SHA-256 of its Vega-Lite spec and the renderer's version.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nhsreport import atomic, paths
from nhsreport.schema import TRUST_TYPES

__all__ = [
    "HIGHLIGHT",
    "BASE_FILL",
    "BASE_STROKE",
    "england_svgs",
    "highlight",
    "render_svg",
    "themed_altair",
    "cached_bundle",
    "rank_bars",
    "board_frame",
    "district_frame",
    "board_map",
    "board_areas",
    "BOARDS_GEO",
    "board_base_svgs",
    "highlighted",
    "name_on_map",
    "locator_map",
    "ranked_bars",
    "TEXT_WIDTH_MM",
    "ENGLAND_WIDTH_MM",
    "MAP_WIDTH_MM",
    "BARS_WIDTH_MM",
]

#: The width of the text block of a briefing (A4 less margins of 17 mm, common.typ), and the width
#: each England figure is set at (england.typ), in millimetres.
TEXT_WIDTH_MM = 176.0
ENGLAND_WIDTH_MM = {"managers_over_time": 176.0, "density_map": 128.0, "trusts": 176.0, "commissioners": 176.0}

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermilion: the system the briefing is about
BASE_FILL = "#DDDDDD"  # the other systems: charts.BACKGROUND, far lighter than HIGHLIGHT (CIELAB L* 88 and 54)
BASE_STROKE = "#767676"  # their outline: charts.BACKGROUND_OUTLINE, 4.5:1 against the page (WCAG 1.4.11)
ENGLAND_RULE = "#000000"
CACHE = paths.BUILD / "briefing" / ".cache"
_KEY = "icb:{code}"


def themed_altair():
    """Altair with the report's theme (imported lazily: the worker processes never need it).

    Before the first import of Altair, jsonschema's optional IRI format checker
    (``rfc3987_syntax``, which compiles a grammar for about three seconds at import) is switched
    off for this process: Altair does not check IRI formats, and the briefings must start fast."""
    if "altair" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
    import altair as alt

    from nhsreport.publish.components import charts

    alt.theme.enable("nhsreport")
    alt.data_transformers.disable_max_rows()
    return alt, charts


def render_svg(chart) -> str:
    """SVG of an Altair chart via :func:`nhsreport.publish.components.charts.to_svg`: drawn once
    per specification, through the report's one render cache (shared with the chapters and the
    system profiles, :mod:`nhsreport.publish.components.charts.renders`)."""
    from nhsreport.publish.components import charts

    return charts.to_svg(chart.to_dict())


def _bundle_key(name: str, datasets) -> str:
    """A key for a set of rendered graphics that changes whenever their inputs can: the hashes
    of the datasets (from the data package), the source of every module they import and the
    versions of Altair and vl-convert. Computing it needs no Altair import."""
    from importlib.metadata import version

    from nhsreport import data
    from nhsreport.publish.book.chapter import module_closure

    h = hashlib.sha256(name.encode())
    for ds in datasets:
        h.update(data.resource(ds)["hash"].encode())
    # every nhsreport module the graphics run, followed through imports (as chapters' keys are)
    for f in module_closure("from nhsreport.publish.briefing import graphics"):
        h.update(f.read_bytes())
    for pkg in ("altair", "vl-convert-python"):
        h.update(version(pkg).encode())
    return h.hexdigest()[:32]


def cached_bundle(name: str, datasets, build) -> dict[str, str]:
    """``build()`` (a dict of SVGs), or its copy cached under :func:`_bundle_key`."""
    path = CACHE / f"{name}-{_bundle_key(name, datasets)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    out = build()
    atomic.write_text(path, json.dumps(out))
    return out


def _geo(alt, charts):
    # Referenced by URL: charts.to_svg inlines the geometry just before conversion, so the
    # (large) TopoJSON is not walked by Altair.
    return alt.Data(
        url=charts.GEO_URL.format(name="geo_icb_2022"), format=alt.DataFormat(type="topojson", feature="areas")
    )


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["key"] = df["icb_code"].map(lambda c: _KEY.format(code=c))
    return df


# ---------------------------------------------------------------------------------------------
# England briefing
# ---------------------------------------------------------------------------------------------

ENGLAND_INPUTS = (
    "workforce_national",
    "staff_by_org",
    "icbs",
    "trusts",
    "commissioners_over_time",
    "icb_allocations",
    "lad_board_overlap",
    "gp_practices_2026",
    "geo_icb_2026",
)


def england_svgs(ctx) -> dict[str, str]:
    """The four England charts as SVG: ``managers_over_time``, ``density_map``, ``trusts``,
    ``commissioners`` (cached, see :func:`cached_bundle`)."""
    return cached_bundle("england", ENGLAND_INPUTS, lambda: _england_svgs(ctx))


def _england_svgs(ctx) -> dict[str, str]:
    """Draw the four England charts (see :func:`england_svgs`)."""
    alt, charts = themed_altair()
    return {
        "managers_over_time": _managers_over_time_svg(alt, charts, ctx),
        "density_map": _density_map_svg(alt, charts, ctx),
        "trusts": _trusts_svg(alt, charts, ctx),
        "commissioners": _commissioners_svg(alt, charts, ctx),
    }


def _managers_over_time_svg(alt, charts, ctx) -> str:
    """Figure 1: managers per 100 staff (headcount) in England over time, a line with its points."""
    from nhsreport.analysis import management

    hc = management.headcount_series(ctx.workforce)
    hc = hc.assign(basis=hc["annual"].map({True: "September (annual)", False: "Quarterly, 2021\u201322"}))
    line = (
        alt.Chart(hc)
        .mark_line(color=charts.PALETTE[0], point=alt.OverlayMarkDef(size=30, color=charts.PALETTE[0], opacity=1))
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount=8)),
            y=alt.Y("managers_per_100_staff:Q", title="Per 100 staff (headcount)", scale=alt.Scale(zero=True)),
        )
        .properties(width=520, height=200)
    )
    return render_svg(line)


def _density_map_svg(alt, charts, ctx) -> str:
    """Figure 2: managers per 100 staff by board of 2026, shaded on England with London enlarged
    in an inset, its boards named there (a lighter or darker shade reads in greyscale: the scale
    rises in lightness)."""
    dens = board_areas(ctx).merge(board_frame(ctx)[["icb_code", "managers_per_100_staff", "region_name"]])
    dens = dens.rename(columns={"gss_code": "icb_gss_code", "icb_2026_name": "icb_name"})
    lo, hi = float(dens["managers_per_100_staff"].min()), float(dens["managers_per_100_staff"].max())
    london = dens[dens["region_name"] == LONDON]
    svg, _ = locator_map(
        alt,
        charts,
        BOARDS_GEO,
        dict(zip(dens["icb_gss_code"], dens["key"])),
        None,
        set(london["key"]),
        stroke_width=0.5,
        layout=ENGLAND_MAP_LAYOUT,
        shade={
            "values": dict(zip(dens["icb_gss_code"], dens["managers_per_100_staff"])),
            "domain": [lo, hi],
            "title": "Managers per 100 staff",
            "legend": (6, 4),
        },
        inset_names={k: n.removesuffix(" London") for k, n in zip(london["key"], london["icb_name"])},
    )
    return svg


def _trusts_svg(alt, charts, ctx) -> str:
    """Figure 3: NHS trusts open on 1 April of each year, stacked by type, each type named beside
    the last bar (no legend: categories read by position in greyscale), segments parted by white
    lines."""
    from nhsreport.analysis import reorganisation

    tb = reorganisation.trusts_by_type(ctx.trusts)
    order = [t for t in TRUST_TYPES if t in set(tb["trust_type"])]
    colours = [charts.ORG_COLOURS[t] for t in order]
    bw, bh, font = 520, 200, 12
    totals = tb.groupby("year")["trusts"].sum()
    y_max = int(math.ceil(totals.max() / 50) * 50)
    names = charts.stack_labels(tb, "year", "trusts", "trust_type", order, y_max=y_max, height_px=bh, font_px=font)
    step = bw / tb["year"].nunique()
    x = alt.X(
        "year:O",
        title="1 April of each year",
        scale=alt.Scale(paddingInner=0.1),
        axis=alt.Axis(labelAngle=0, labelExpr="datum.value % 2 == 0 ? datum.value : ''"),
    )
    bars = (
        alt.Chart(tb)
        .mark_bar(stroke="white", strokeWidth=0.6)
        .encode(
            x=x,
            y=alt.Y("trusts:Q", title="NHS trusts open", scale=alt.Scale(domain=[0, y_max])),
            color=alt.Color("trust_type:N", title=None, scale=alt.Scale(domain=order, range=colours), legend=None),
            order=alt.Order("type_order:Q"),
        )
        .transform_calculate(type_order=f"indexof({json.dumps(order)}, datum.trust_type)")
    )
    type_names = (
        alt.Chart(names)
        .mark_text(align="left", baseline="middle", dx=step * 0.45 + 5, fontSize=font, color=ENGLAND_RULE)
        .encode(x=x, y=alt.Y("label_y:Q"), text="trust_type:N")
    )
    return render_svg((bars + type_names).properties(width=bw, height=bh))


def _commissioners_svg(alt, charts, ctx) -> str:
    """Figure 4: primary care trusts, CCGs and ICBs over time, in steps as in the book, with no
    line across the years without a count (2014-2017): a line is drawn only between counts less
    than about a year apart. Each series is named on the chart (no legend)."""
    from nhsreport.analysis import reorganisation

    cs = reorganisation.commissioning_series(ctx.commissioners)
    cs = cs[cs["body_type"].isin(["PCT", "CCG", "ICB"])].copy()
    cs["count"] = cs["count"].astype("int64")
    body = ["PCT", "CCG", "ICB"]
    body_colours = [charts.ORG_COLOURS["PCT"], charts.PALETTE[1], charts.ORG_COLOURS["ICB"]]
    base = alt.Chart(cs).encode(
        x=alt.X(
            "date:T",
            title=None,
            axis=alt.Axis(format="%Y", tickCount=8),
            scale=alt.Scale(domain=["2012-06-01", "2026-12-31"]),
        ),
        y=alt.Y("count:Q", title="Commissioning bodies", scale=alt.Scale(domain=[0, 240])),
        color=alt.Color("body_type:N", title=None, scale=alt.Scale(domain=body, range=body_colours), legend=None),
    )
    cs = cs.sort_values(["body_type", "date"])
    gap = cs.groupby("body_type")["date"].diff() > pd.Timedelta(days=400)
    cs["segment"] = cs["body_type"] + gap.astype("int64").groupby(cs["body_type"]).cumsum().astype(str)
    base = base.properties(data=cs)
    shape = alt.Shape(
        "body_type:N", title=None, scale=alt.Scale(domain=body, range=["square", "circle", "triangle-up"]), legend=None
    )
    comm = alt.layer(
        base.mark_line(strokeWidth=1.8, interpolate="step-after").encode(detail="segment:N"),
        base.mark_point(size=60, filled=True, opacity=1).encode(shape=shape),
        base.mark_text(align="left", dx=6, dy=-9, fontSize=12).encode(text="count:Q", color=alt.value(ENGLAND_RULE)),
        *_series_names(alt, cs),
    ).properties(width=560, height=190)
    return render_svg(comm)


def _series_names(alt, cs: pd.DataFrame) -> list:
    """Text layers naming the series of :func:`_commissioners_svg`: primary care trusts below
    their one count, CCGs after their last, ICBs below their first."""
    first, last = cs.groupby("body_type").head(1), cs.groupby("body_type").tail(1)
    named = pd.concat(
        [
            first[first["body_type"] == "PCT"].assign(name="Primary care trusts", dy=16),
            last[last["body_type"] == "CCG"].assign(name="Clinical commissioning groups", dy=16),
            first[first["body_type"] == "ICB"].assign(name="Integrated care boards", dy=18),
        ]
    )
    return [
        alt.Chart(named[named["dy"] == dy])
        .mark_text(align="left", dx=6, dy=dy, fontSize=12, fontWeight="bold", color=ENGLAND_RULE)
        .encode(x="date:T", y="count:Q", text="name:N")
        for dy in sorted(set(named["dy"]))
    ]


# ---------------------------------------------------------------------------------------------
# boards' briefings: shared graphics, highlighted per board
# ---------------------------------------------------------------------------------------------


def rank_bars(alt, df: pd.DataFrame, value: str, title: str, england: float, fmt: str):
    """The systems as bars, highest first, with England as a dashed rule."""
    df = _keyed(df)[["icb_code", "icb_name", value, "key"]].sort_values(value, ascending=False, kind="mergesort")
    df["order"] = range(1, len(df) + 1)
    bars = (
        alt.Chart(df)
        .mark_bar(color=BASE_FILL, stroke=BASE_STROKE, strokeWidth=1, width=7)
        .encode(
            x=alt.X(
                "order:O",
                title=f"The {len(df)} systems, highest first",
                axis=alt.Axis(labels=False, ticks=False, domain=False),
            ),
            y=alt.Y(f"{value}:Q", title=title, axis=alt.Axis(format=fmt, tickCount=4)),
            description="key:N",
        )
    )
    rule = alt.Chart(pd.DataFrame({"england": [england], "label": ["England"]})).encode(y="england:Q")
    return (
        bars
        + rule.mark_rule(color=ENGLAND_RULE, strokeDash=[4, 3])
        + rule.mark_text(align="right", baseline="bottom", dx=0, dy=-2, fontSize=10, x="width").encode(text="label:N")
    ).properties(width=330, height=80)


#: Each of the two ranking charts on page 1 of a board's briefing: half the text block
#: (176 mm) less the gutter (board.typ); its plot in pixels and the size of its text.
BARS_WIDTH_MM = 86.0
BARS_SIZE = (236, 52)
BARS_FONT_PX = 10.5
_BAR = re.compile(
    r'<path aria-label="(?P<key>icb:[^"]+)"[^>]*?\sd="M(?P<x>[-\d.]+),(?P<y>[-\d.]+)h(?P<w>[-\d.]+)v(?P<h>[-\d.]+)'
)
_ROOT = re.compile(r'<g fill="none" stroke-miterlimit="10" transform="translate\((?P<x>[-\d.]+),(?P<y>[-\d.]+)\)"')
_RULE = re.compile(r'aria-roledescription="rule mark" transform="translate\((?P<x>[-\d.]+),(?P<y>[-\d.]+)\)"')


def ranked_bars(
    alt, df: pd.DataFrame, value: str, england: float, fmt: str, text, prefix: str = "", room: int = 2
) -> tuple[str, dict]:
    """The systems as bars, highest first, with England as a dashed rule, drawn for the page of a
    briefing (text of :data:`BARS_FONT_PX`); and for each system the SVG of a label naming it with
    its value (``text(value)``), placed over the empty part of the chart with a leader to its bar.
    The axis labels are numbers in ``fmt`` after ``prefix`` (a currency sign); ``room`` lines of
    label fit above the plot (where the bars leave no room below the top of the axis).

    Returns ``(svg, {key: label SVG})``."""
    from nhsreport.publish.briefing import maps

    df = _keyed(df)[["icb_code", "icb_name", value, "key"]].sort_values(value, ascending=False, kind="mergesort")
    df["order"] = range(1, len(df) + 1)
    f = BARS_FONT_PX
    bars = (
        alt.Chart(df)
        .mark_bar(color=BASE_FILL, stroke=BASE_STROKE, strokeWidth=1)
        .encode(
            x=alt.X("order:O", title=None, scale=alt.Scale(paddingInner=0.15), axis=None),
            # no axis title: the figure's title names the measure and its unit
            y=alt.Y(
                f"{value}:Q",
                title=None,
                axis=alt.Axis(format=fmt, tickCount=4, labelFontSize=f, labelExpr=f"'{prefix}' + datum.label"),
            ),
            description="key:N",
        )
    )
    rule = alt.Chart(pd.DataFrame({"england": [england], "label": ["England"]})).encode(y="england:Q")
    w, h = BARS_SIZE
    chart = (
        bars
        + rule.mark_rule(color=ENGLAND_RULE, strokeDash=[4, 3])
        + rule.mark_text(align="right", baseline="bottom", dy=-2, fontSize=f, x="width").encode(text="label:N")
    ).properties(width=w, height=h, padding={"top": int(room * 1.15 * f + 6), "left": 5, "right": 5, "bottom": 5})
    svg = render_svg(chart)

    # the geometry of the drawn chart, read back from its SVG
    root = _ROOT.search(svg)
    ox, oy = float(root["x"]), float(root["y"])
    size = tuple(int(v) for v in maps.svg_size(svg))
    rects = {m["key"]: tuple(float(m[k]) for k in "xywh") for m in _BAR.finditer(svg)}
    land = np.zeros((size[1], size[0]), dtype=bool)
    for x, y, bw, bh in rects.values():
        land[int(oy + y) : int(math.ceil(oy + y + bh)), int(ox + x) : int(math.ceil(ox + x + bw))] = True
    rule_y = oy + float(_RULE.search(svg)["y"])
    land[int(rule_y) - 1 : int(rule_y) + 2, int(ox) : int(ox + w)] = True
    avoid = np.ones_like(land)
    avoid[1 : int(oy + h), int(ox) : int(ox + w) + 1] = False  # the plot, and the space above it
    ew = maps.text_width("England", f)
    england = np.zeros_like(land)
    # the England label, with a margin of half a character all round, kept clear of the board's label
    england[int(rule_y - 3 - 1.5 * f) : int(rule_y), int(ox + w - ew - 0.5 * f - 3) : int(ox + w) + 1] = True
    avoid |= england
    labels = {}
    for key, v in zip(df["key"], df[value]):
        x, y, bw, bh = rects[key]
        area = np.zeros_like(land)
        area[int(oy + y) : int(math.ceil(oy + y + bh)), int(ox + x) : int(math.ceil(ox + x + bw))] = True
        name = str(df.loc[df["key"] == key, "icb_name"].iloc[0])
        lines = maps.wrap(f"{name} {text(v)}", f, w * 0.8, bold=True)
        box = maps.label_size(lines, f, 1)
        anchor = (ox + x + bw / 2, oy + y)
        at = maps.place_label(box, anchor, area, land, avoid, leader_avoid=england, hide_cost=80, cross_cost=200)
        labels[key] = maps.label_svg(lines, f, at, box, anchor, 1)
    return svg, labels


def _bars(alt, density: pd.DataFrame, rca: pd.DataFrame, rca_value: str, eng: float, eng_rca: float) -> dict[str, str]:
    """The two ranking charts of page 1 (``density``, ``rca``) and their labels (``*_labels``)."""
    from nhsreport.formatting import fmt_1dp, fmt_gbp

    out = {}
    # densities fall away from the first few, leaving room for a label inside the plot; allowances
    # per head are all close to the top of the axis, so their labels go above it
    for name, df, value, england, fmt, text, prefix, room in (
        ("density", density, "managers_per_100_staff", eng, ".1f", fmt_1dp, "", 1),
        ("rca", rca, rca_value, eng_rca, ".0f", fmt_gbp, "\u00a3", 2),
    ):
        svg, labels = ranked_bars(alt, df, value, england, fmt, text, prefix, room)
        out[name], out[f"{name}_labels"] = svg, json.dumps(labels)
    return out


# ---------------------------------------------------------------------------------------------
# locator maps: England with a London inset, each briefing's area named on it
# ---------------------------------------------------------------------------------------------

LONDON = "London"
#: The map's column on page 1 of a board's briefing (board.typ), its size in
#: pixels, where England is fitted and where the London inset goes (over the sea west of Wales).
MAP_WIDTH_MM = 60.0
MAP_SIZE = (230, 228)
MAP_ENGLAND = (30, 0, 200, 228)
MAP_INSET = (2, 58, 98, 86)
#: The size the map labels print at (tests/test_briefing.py holds every figure text to 8 pt or more).
MAP_LABEL_PT = 8.5
#: The England briefing's map (Figure 2): canvas, England, the inset, its width on the page.
ENGLAND_MAP_LAYOUT = ((420, 340), (120, 0, 300, 340), (4, 96, 180, 146), ENGLAND_WIDTH_MM["density_map"])
_LABEL_PAD = 2


def _mark_svg(chart) -> str:
    """The inner content (everything inside the root element) of a chart's SVG."""
    svg = render_svg(chart)
    return svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")]


def _prefix_ids(svg: str, prefix: str) -> str:
    """``svg`` with its element ids (Vega's clip paths) prefixed, so that two charts can share a document."""
    return re.sub(r'\b(id="|url\(#)', lambda m: m.group(1) + prefix, svg)


def locator_map(
    alt,
    charts,
    geo: str,
    key_of: dict,
    names: dict | None,
    london: set,
    stroke_width: float = 0.6,
    layout: tuple = (MAP_SIZE, MAP_ENGLAND, MAP_INSET, MAP_WIDTH_MM),
    shade: dict | None = None,
    inset_names: dict | None = None,
):
    """England drawn from boundaries ``geo``, with London again in an inset, every area labelled
    with the key ``key_of[code]`` (for :func:`highlight`); and, for each key, the SVG of a label
    naming it (``names[key]``), placed where it hides least of the map, with a leader line to the
    area (to the area in the inset for the keys in ``london``).

    ``layout``: the canvas (w, h) in pixels, the boxes (x, y, w, h) England and the inset are
    fitted in, and the width in millimetres the map is printed at (which sets the size of its
    text). ``shade``: ``values`` ({code: value}), ``title`` and ``domain`` of a sequential colour
    scale filling the areas instead of grey, with its legend at ``legend`` (x, y). ``inset_names``:
    {key: name} written on the areas of the inset, in black or white, whichever reads on the fill.

    Returns ``(svg, {key: label SVG})``. The projections are computed here and given to Vega, so
    that the labels can be placed from the geometry alone."""
    m = _locator_geometry(geo, key_of, london, layout)
    frame = pd.DataFrame({"code": list(key_of), "key": list(key_of.values())})
    if shade:
        frame["value"] = frame["code"].map(shade["values"])
    style = (alt, charts, geo, frame, shade, stroke_width)
    inset_svg = _prefix_ids(_mark_svg(_map_layer(*style, m.inset, m.inset_box, m.in_london)), "inset-")
    names_svg = _inset_names_svg(inset_svg, inset_names or {}, m, key_of)
    main_svg = _mark_svg(_map_layer(*style, m.main, (0, 0, *m.size), legend=_shade_legend(alt, shade, m.px)))
    svg = _locator_svg(main_svg, inset_svg, names_svg, m)
    if not names:
        return svg, {}
    return svg, _locator_labels(m, key_of, names, london)


@dataclass(frozen=True)
class _LocatorGeometry:
    """What a locator map is drawn and labelled from: the canvas ``size`` (w, h) in pixels, each
    area's ``rings`` (lon/lat) and topology ``props`` by code, the ``main`` and ``inset``
    projections, the ``inset_box`` (x, y, w, h), the codes ``in_london`` (drawn in the inset), the
    size of text ``px`` in pixels and the height ``title_h`` of the inset's title."""

    size: tuple[int, int]
    rings: dict
    props: dict
    main: object
    inset: object
    inset_box: tuple[int, int, int, int]
    in_london: list
    px: float
    title_h: int

    def london_frame(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the frame around London on the main map."""
        xy = self.main(np.concatenate([r for c in self.in_london for r in self.rings[c]]))
        lx0, ly0 = xy.min(axis=0) - 1.5
        lx1, ly1 = xy.max(axis=0) + 1.5
        return lx0, ly0, lx1, ly1


def _locator_geometry(geo: str, key_of: dict, london: set, layout: tuple) -> _LocatorGeometry:
    """The areas of boundaries ``geo`` that ``key_of`` names, projected to fit England and (the
    areas whose key is in ``london``) the inset of ``layout`` (see :func:`locator_map`)."""
    from nhsreport import data, geometry
    from nhsreport.publish.briefing import maps

    (W, H), england_box, inset_box, width_mm = layout
    topo = data.geo(geo)
    arcs = geometry.lonlat_arcs(topo)
    geoms = [g for g in topo["objects"]["areas"]["geometries"] if g["properties"]["code"] in key_of]
    rings = {g["properties"]["code"]: [r for poly in geometry.rings(g, arcs) for r in poly] for g in geoms}
    main = maps.Projection.fit(np.concatenate([r for rs in rings.values() for r in rs]), england_box)
    ix, iy, iw, ih = inset_box
    px = maps.px_for_pt(MAP_LABEL_PT, W, width_mm)
    title_h = int(px * 1.4)
    in_london = [c for c in rings if key_of[c] in london]
    inset = maps.Projection.fit(
        np.concatenate([r for c in in_london for r in rings[c]]), (ix + 3, iy + 3, iw - 6, ih - title_h - 3)
    )
    props = {g["properties"]["code"]: g["properties"] for g in geoms}
    return _LocatorGeometry((W, H), rings, props, main, inset, inset_box, in_london, px, title_h)


def _map_layer(alt, charts, geo, frame, shade, stroke_width, proj, box, codes=None, legend=None):
    """The areas of ``geo`` (those of ``codes``, or all) as a Vega-Lite geoshape drawn with
    projection ``proj`` into ``box`` (x, y, w, h), each described by its key in ``frame`` and, if
    ``shade``, filled by its value on the sequential scale (with ``legend``), else grey."""
    base = alt.Chart(
        alt.Data(url=charts.GEO_URL.format(name=geo), format=alt.DataFormat(type="topojson", feature="areas"))
    )
    if codes is not None:
        base = base.transform_filter(alt.FieldOneOfPredicate(field="properties.code", oneOf=sorted(codes)))
    ox, oy, bw, bh = box
    enc = {"description": "key:N"}
    if shade:
        enc["color"] = alt.Color(
            "value:Q",
            scale=alt.Scale(scheme=charts.SEQUENTIAL, domain=shade["domain"]),
            legend=legend,
        )
    return (
        base.mark_geoshape(
            stroke="white" if shade else BASE_STROKE,
            strokeWidth=stroke_width,
            **({} if shade else {"fill": BASE_FILL}),
        )
        .transform_lookup(
            lookup="properties.code", from_=alt.LookupData(frame, "code", [c for c in frame if c != "code"])
        )
        .encode(**enc)
        .project(type="mercator", scale=proj.k, translate=[proj.tx - ox, proj.ty - oy])
        .properties(width=bw, height=bh, padding=0, autosize="none")
    )


def _shade_legend(alt, shade: dict | None, px: float):
    """The horizontal legend of a shaded map at ``shade["legend"]`` with text of ``px`` pixels
    (``None`` for a map in grey)."""
    if not shade:
        return None
    lx, ly = shade["legend"]
    return alt.Legend(
        title=shade["title"],
        orient="none",
        legendX=lx,
        legendY=ly,
        direction="horizontal",
        gradientLength=150,
        gradientThickness=10,
        titleLimit=0,
        titleFontSize=px,
        labelFontSize=px,
        titleFontWeight="normal",
    )


def _inset_names_svg(inset_svg: str, inset_names: dict, m: _LocatorGeometry, key_of: dict) -> str:
    """SVG text naming the areas of the inset (``inset_names``, {key: name}) at their label
    points, in black or white, whichever reads on the area's fill in ``inset_svg``."""
    from nhsreport.publish.briefing import maps

    iw = m.inset_box[2]
    px = m.px
    names_svg = ""
    for key, name in inset_names.items():
        codes = [c for c in m.in_london if key_of[c] == key]
        fill = re.search(rf'<path aria-label="{key}"[^>]*?fill="([^"]+)"', inset_svg)
        ink = _ink_on(fill.group(1)) if fill else ENGLAND_RULE
        x, y = m.inset(np.array([[m.props[codes[0]]["label_lon"], m.props[codes[0]]["label_lat"]]]))[0]
        lines = maps.wrap(name, px, iw * 0.3)
        top = y - px * 1.15 * (len(lines) - 1) / 2 + px * 0.35
        names_svg += "".join(
            f'<text x="{x:.1f}" y="{top + i * px * 1.15:.1f}" text-anchor="middle" font-family="{maps.FONT}" '
            f'font-size="{px:.1f}px" fill="{ink}">{line}</text>'
            for i, line in enumerate(lines)
        )
    return names_svg


def _locator_svg(main_svg: str, inset_svg: str, names_svg: str, m: _LocatorGeometry) -> str:
    """The whole map: England, the frame around London on it, the inset with its names, frame and
    title."""
    from nhsreport.publish.briefing import maps

    W, H = m.size
    ix, iy, iw, ih = m.inset_box
    px = m.px
    lx0, ly0, lx1, ly1 = m.london_frame()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        f'width="{W}" height="{H}" viewBox="0 0 {W} {H}"><rect width="{W}" height="{H}" fill="white"/>'
        + main_svg
        + f'<rect x="{lx0:.1f}" y="{ly0:.1f}" width="{lx1 - lx0:.1f}" height="{ly1 - ly0:.1f}" fill="none" '
        f'stroke="{ENGLAND_RULE}" stroke-width="0.7"/>'
        + f'<g transform="translate({ix},{iy})">{inset_svg}</g>{names_svg}'
        + f'<rect x="{ix}" y="{iy}" width="{iw}" height="{ih}" fill="none" stroke="{ENGLAND_RULE}" stroke-width="0.7"/>'
        + f'<text x="{ix + 3}" y="{iy + ih - px * 0.4:.1f}" font-family="{maps.FONT}" font-size="{px:.1f}px" '
        f'fill="{ENGLAND_RULE}">London</text></svg>'
    )


def _locator_labels(m: _LocatorGeometry, key_of: dict, names: dict, london: set) -> dict[str, str]:
    """For each key, the SVG of a label naming it (``names[key]``) placed where it hides least of
    the land, never over the inset or London's frame, with a leader line to its area (in the
    inset for the keys in ``london``) that avoids the inset's title."""
    from nhsreport.publish.briefing import maps

    W, H = m.size
    ix, iy, iw, ih = m.inset_box
    lx0, ly0, lx1, ly1 = m.london_frame()

    def mask(proj, codes):
        return maps.fill_mask([r for c in codes for r in maps.project_rings(m.rings[c], proj)], W, H)

    land = mask(m.main, m.rings)
    avoid = np.zeros_like(land)
    avoid[max(0, iy - 3) : iy + ih + 3, max(0, ix - 3) : ix + iw + 3] = True
    avoid[max(0, int(ly0) - 2) : int(ly1) + 3, max(0, int(lx0) - 2) : int(lx1) + 3] = True
    title = np.zeros_like(land)
    title[iy + ih - m.title_h : iy + ih, ix : ix + int(maps.text_width("London", m.px)) + 6] = True
    labels = {}
    for key in sorted(set(key_of.values())):
        codes = [c for c in m.rings if key_of[c] == key]
        proj = m.inset if key in london else m.main
        area = mask(proj, codes)
        if not area.any():
            continue
        # the anchor: of the area's label points, the one nearest its middle
        cy, cx = (v.mean() for v in np.nonzero(area))
        points = proj(np.array([[m.props[c]["label_lon"], m.props[c]["label_lat"]] for c in codes]))
        anchor = tuple(points[np.argmin(np.hypot(points[:, 0] - cx, points[:, 1] - cy))])
        lines = maps.wrap(names[key], m.px, 104, bold=True)
        size = maps.label_size(lines, m.px, _LABEL_PAD)
        at = maps.place_label(size, anchor, area, land, avoid, leader_avoid=title)
        labels[key] = maps.label_svg(lines, m.px, at, size, anchor, _LABEL_PAD)
    return labels


def _ink_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (``#rrggbb`` or ``rgb(r, g, b)``)."""
    if fill.startswith("rgb("):
        rgb = [float(v) / 255 for v in fill[4:-1].split(",")]
    else:
        rgb = [int(fill.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#ffffff" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else ENGLAND_RULE


def name_on_map(svg: str, labels: dict[str, str], code: str) -> str:
    """``svg`` (a :func:`locator_map` or :func:`ranked_bars`) with the label of ``code`` drawn on top."""
    key = _KEY.format(code=code)
    at = svg.rindex("</svg>")
    return svg[:at] + labels[key] + svg[at:]


def highlighted(base: dict[str, str], code: str) -> dict[str, str]:
    """The map and the two ranking charts of a board's briefing (``base``: :func:`board_base_svgs`)
    with ``code`` highlighted and named: filled in :data:`HIGHLIGHT`, far darker than the others,
    outlined (a board's districts merge into one shape) and labelled."""
    out = {}
    for name in ("map", "density", "rca"):
        if name == "map":
            svg = highlight(base[name], code, stroke=HIGHLIGHT, stroke_width=0.3)
        else:
            svg = highlight(base[name], code, stroke=ENGLAND_RULE)
        out[name] = name_on_map(svg, json.loads(base[f"{name}_labels"]), code)
    return out


_ELEMENT = re.compile(r'<path aria-label="(?P<label>[^"]*)"[^>]*?/>')


def highlight(
    svg: str, code: str, colour: str = HIGHLIGHT, stroke: str | None = None, stroke_width: float = 0.8
) -> str:
    """``svg`` with the marks labelled ``icb:<code>`` filled in ``colour`` (and outlined in ``stroke``,
    if given) and moved after the last mark of their group, so that they are drawn on top of their
    neighbours (a map with an inset keeps each mark in its own map).

    Raises ``ValueError`` if no mark carries that label."""
    key = _KEY.format(code=code)
    hits = [m for m in _ELEMENT.finditer(svg) if m.group("label") == key]
    if not hits:
        raise ValueError(f"no mark labelled {key!r} in the SVG")
    paint = f'fill="{colour}"' + (f' stroke="{stroke}" stroke-width="{stroke_width}"' if stroke else "")
    for m in reversed(hits):  # from the end, so that the offsets of earlier marks stay valid
        el = m.group(0)
        if stroke:
            el = re.sub(r'\sstroke(-width)?="[^"]*"', "", el)
        el = re.sub(r'\sfill="[^"]*"', "", el).replace("<path ", f"<path {paint} ", 1)
        close = svg.find("</g>", m.end())
        svg = svg[: m.start()] + svg[m.end() : close] + el + svg[close:]
    return svg


# ---------------------------------------------------------------------------------------------
# the 36 boards of 1 April 2026: shared graphics for their briefings and profiles
# ---------------------------------------------------------------------------------------------

#: The boundaries of the boards of 1 April 2026 (ONS), keyed by ONS code.
BOARDS_GEO = "geo_icb_2026"

BOARD_INPUTS = (
    "icbs",
    "staff_by_org",
    "icb_allocations",
    "trusts",
    "lad_board_overlap",
    "gp_practices_2026",
    "board_populations",
    "specialist_trusts",
    "lad_upper_tier_2023",
    BOARDS_GEO,
)


def board_frame(ctx) -> pd.DataFrame:
    """The board table (:attr:`nhsreport.analysis.board_facts.BoardData.boards`) keyed for the charts:
    ``icb_code`` holds the 2026 code and ``icb_name`` the 2026 name."""
    b = ctx.boards.reset_index()
    return b.assign(icb_code=b["icb_2026_code"], icb_name=b["icb_2026_name"])


def district_frame(ctx) -> pd.DataFrame:
    """Each district with the board holding most of its LSOAs (all but four districts lie wholly
    in one board), keyed for the charts."""
    o = ctx.lad_boards.sort_values(["lad_code", "n_lsoas"], ascending=[True, False], kind="mergesort")
    o = o.drop_duplicates("lad_code")
    return o.assign(key=o["icb_2026_code"].map(lambda c: _KEY.format(code=c)))


def board_areas(ctx) -> pd.DataFrame:
    """Each board of 2026 with its ONS code (``gss_code``, the code of its boundary in
    :data:`BOARDS_GEO`), ODS code (``icb_code``), name (``icb_2026_name``) and chart ``key``, from
    the boards' populations (:attr:`~nhsreport.analysis.board_facts.BoardData.populations`), which
    give both codes of every board."""
    codes = ctx.populations[["icb_2026_gss_code", "icb_2026_code"]]
    if codes["icb_2026_code"].duplicated().any() or set(codes["icb_2026_code"]) != set(ctx.boards.index):
        raise ValueError("the boards' populations do not give one ONS code for each board of 2026")
    out = codes.rename(columns={"icb_2026_gss_code": "gss_code", "icb_2026_code": "icb_code"})
    out["icb_2026_name"] = out["icb_code"].map(ctx.boards["icb_2026_name"])
    out["key"] = out["icb_code"].map(lambda c: _KEY.format(code=c))
    return out.sort_values("icb_code").reset_index(drop=True)


def board_map(alt, charts, ctx, width: int = 190, height: int = 230):
    """England's boards of 2026 from their ONS boundaries, each labelled with its key (for
    :func:`highlight`)."""
    d = board_areas(ctx)[["gss_code", "icb_2026_name", "key"]]
    geo = alt.Data(url=charts.GEO_URL.format(name=BOARDS_GEO), format=alt.DataFormat(type="topojson", feature="areas"))
    return (
        alt.Chart(geo)
        .mark_geoshape(fill=BASE_FILL, stroke=BASE_STROKE, strokeWidth=1)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(d, "gss_code", ["key", "icb_2026_name"]),
        )
        .encode(description="key:N")
        .project("mercator")
        .properties(width=width, height=height)
    )


def board_base_svgs(ctx) -> dict[str, str]:
    """The three England-wide graphics every 2026 board briefing highlights: ``map`` (districts
    by board), ``density`` and ``rca`` (the boards ranked); cached, see :func:`cached_bundle`."""
    return cached_bundle("board-base", BOARD_INPUTS, lambda: _board_base_svgs(ctx))


def _board_base_svgs(ctx) -> dict[str, str]:
    alt, charts = themed_altair()
    b = board_frame(ctx)
    eng = ctx.boards_england
    areas = board_areas(ctx)
    key_of = dict(zip(areas["gss_code"], areas["key"]))
    names = {_KEY.format(code=c): str(n) for c, n in zip(b["icb_code"], b["icb_name"])}
    london = {_KEY.format(code=c) for c in b.loc[b["region_name"] == LONDON, "icb_code"]}
    svg, labels = locator_map(alt, charts, BOARDS_GEO, key_of, names, london, stroke_width=0.5)
    return {
        "map": svg,
        "map_labels": json.dumps(labels),
        **_bars(alt, b, b, "rca_per_head", eng["managers_per_100_staff"], eng["rca_per_head"]),
    }
