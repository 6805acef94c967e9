"""The briefings' charts: Altair charts in the report's theme, rendered to SVG for Typst.

England-wide graphics are rendered once (:func:`england_svgs`, :func:`ics_base_svgs`). Each ICS
briefing then gets its map and its two "where does it stand" bar charts by recolouring the marks
of its own system in the shared SVGs (:func:`highlight`), so building a system's briefing needs no
chart rendering at all. Marks are found by their accessible label (the Vega-Lite ``description``
channel, written ``icb:<ODS code>``), which Vega writes as ``aria-label`` on every mark.

Rendered graphics are cached in ``_build/briefing/.cache/``: each set under a key made of the
hashes of the datasets it draws, the source of the drawing modules and the Altair and
vl-convert versions (so a warm run imports neither), and each chart under the SHA-256 of its
Vega-Lite spec.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys

import pandas as pd

from nhsreport import atomic, paths
from nhsreport.schema import TRUST_TYPES

__all__ = [
    "HIGHLIGHT",
    "BASE_FILL",
    "england_svgs",
    "ics_base_svgs",
    "highlight",
    "render_svg",
    "themed_altair",
    "cached_bundle",
    "rank_bars",
    "board_frame",
    "district_frame",
    "board_map",
    "board_base_svgs",
]

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermilion: the system the briefing is about
BASE_FILL = "#c9c9c9"  # the other systems
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

    from nhsreport.publish import charts

    alt.theme.enable("nhsreport")
    alt.data_transformers.disable_max_rows()
    return alt, charts


def render_svg(chart) -> str:
    """SVG of an Altair chart via :func:`nhsreport.publish.charts.to_svg`, cached on disk by spec hash."""
    import vl_convert as vlc

    from nhsreport.publish import charts

    spec = chart.to_dict()
    blob = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str).encode()
    digest = hashlib.sha256(blob + vlc.__version__.encode()).hexdigest()[:32]
    path = CACHE / f"{digest}.svg"
    if path.exists():
        return path.read_text(encoding="utf-8")
    svg = charts.to_svg(spec)
    atomic.write_text(path, svg)
    return svg


def _bundle_key(name: str, datasets) -> str:
    """A key for a set of rendered graphics that changes whenever their inputs can: the hashes
    of the datasets (from the data package), the source of every module they import and the
    versions of Altair and vl-convert. Computing it needs no Altair import."""
    from importlib.metadata import version

    from nhsreport import data
    from nhsreport.publish.chapter import module_closure

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

ENGLAND_INPUTS = ("workforce_national", "staff_by_org", "icbs", "trusts", "commissioners_over_time", "geo_icb_2022")
ICS_INPUTS = ("icbs", "staff_by_org", "icb_allocations", "geo_icb_2022")


def england_svgs(ctx) -> dict[str, str]:
    """The four England charts as SVG: ``managers_over_time``, ``density_map``, ``trusts``,
    ``commissioners`` (cached, see :func:`cached_bundle`)."""
    return cached_bundle("england", ENGLAND_INPUTS, lambda: _england_svgs(ctx))


def _england_svgs(ctx) -> dict[str, str]:
    from nhsreport.analysis import management, reorganisation

    alt, charts = themed_altair()
    out = {}

    hc = management.headcount_series(ctx.workforce)
    hc = hc.assign(basis=hc["annual"].map({True: "September (annual)", False: "Quarterly, 2021\u201322"}))
    line = (
        alt.Chart(hc)
        .mark_line(color=charts.PALETTE[0], point=alt.OverlayMarkDef(size=30))
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount=8)),
            y=alt.Y("managers_per_100_staff:Q", title="Per 100 staff (headcount)", scale=alt.Scale(zero=True)),
        )
        .properties(width=520, height=200)
    )
    out["managers_over_time"] = render_svg(line)

    dens = _keyed(ctx.density)
    dmap = (
        alt.Chart(_geo(alt, charts))
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(dens, "icb_gss_code", ["icb_name", "managers_per_100_staff", "key"]),
        )
        .encode(
            color=alt.Color(
                "managers_per_100_staff:Q",
                title="Managers per 100 staff, November 2025",
                scale=alt.Scale(scheme=charts.SEQUENTIAL),
                legend=alt.Legend(
                    orient="right",
                    gradientLength=140,
                    titleFontSize=11,
                    labelFontSize=11,
                    direction="vertical",
                    title=["Managers per", "100 staff"],
                ),
            ),
            description="key:N",
        )
        .project("mercator")
        .properties(width=300, height=340)
    )
    out["density_map"] = render_svg(dmap)

    tb = reorganisation.trusts_by_type(ctx.trusts)
    order = [t for t in TRUST_TYPES if t in set(tb["trust_type"])]
    colours = [charts.ORG_COLOURS[t] for t in order]
    bars = (
        alt.Chart(tb)
        .mark_bar()
        .encode(
            x=alt.X(
                "year:O",
                title="1 April of each year",
                axis=alt.Axis(labelAngle=0, labelExpr="datum.value % 2 == 0 ? datum.value : ''"),
            ),
            y=alt.Y("trusts:Q", title="NHS trusts open"),
            color=alt.Color(
                "trust_type:N",
                title=None,
                scale=alt.Scale(domain=order, range=colours),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            order=alt.Order("type_order:Q"),
        )
        .transform_calculate(type_order=f"indexof({json.dumps(order)}, datum.trust_type)")
        .properties(width=520, height=200)
    )
    out["trusts"] = render_svg(bars)

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
        color=alt.Color(
            "body_type:N",
            title=None,
            scale=alt.Scale(domain=body, range=body_colours),
            legend=alt.Legend(
                orient="bottom",
                direction="horizontal",
                labelLimit=260,
                labelExpr="{'PCT': 'Primary care trusts', 'CCG': 'Clinical commissioning groups', 'ICB': 'Integrated care boards'}[datum.label]",
            ),
        ),
    )
    # steps, as in the book, and no line across the years without a count (2014-2017): a line is
    # drawn only between counts less than about a year apart
    cs = cs.sort_values(["body_type", "date"])
    gap = cs.groupby("body_type")["date"].diff() > pd.Timedelta(days=400)
    cs["segment"] = cs["body_type"] + gap.astype("int64").groupby(cs["body_type"]).cumsum().astype(str)
    base = base.properties(data=cs)
    shape = alt.Shape(
        "body_type:N", title=None, scale=alt.Scale(domain=body, range=["square", "circle", "triangle-up"]), legend=None
    )
    comm = (
        base.mark_line(strokeWidth=1.5, interpolate="step-after").encode(detail="segment:N")
        + base.mark_point(size=40, filled=True).encode(shape=shape)
        + base.mark_text(align="left", dx=6, dy=-8, fontSize=10).encode(text="count:Q")
    ).properties(width=520, height=190)
    out["commissioners"] = render_svg(comm)
    return out


# ---------------------------------------------------------------------------------------------
# ICS briefings: shared graphics, highlighted per system
# ---------------------------------------------------------------------------------------------


def rank_bars(alt, df: pd.DataFrame, value: str, title: str, england: float, fmt: str):
    """The systems as bars, highest first, with England as a dashed rule."""
    df = _keyed(df)[["icb_code", "icb_name", value, "key"]].sort_values(value, ascending=False, kind="mergesort")
    df["order"] = range(1, len(df) + 1)
    bars = (
        alt.Chart(df)
        .mark_bar(color=BASE_FILL, width=7)
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


def ics_base_svgs(ctx) -> dict[str, str]:
    """The three England-wide graphics every ICS briefing highlights: ``map`` (the 42 ICBs),
    ``density`` (managers per 100 staff) and ``rca`` (running cost allowance per head); cached,
    see :func:`cached_bundle`."""
    return cached_bundle("ics-base", ICS_INPUTS, lambda: _ics_base_svgs(ctx))


def _ics_base_svgs(ctx) -> dict[str, str]:
    from nhsreport.publish.briefing.figures import RCA_YEAR

    alt, charts = themed_altair()
    keyed = _keyed(ctx.icbs[["icb_code", "icb_gss_code", "icb_name"]])
    m = (
        alt.Chart(_geo(alt, charts))
        .mark_geoshape(fill=BASE_FILL, stroke="white", strokeWidth=0.6)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(keyed, "icb_gss_code", ["key"]),
        )
        .encode(description="key:N")
        .project("mercator")
        .properties(width=190, height=230)
    )
    eng = ctx.england_per100
    eng_rc = ctx.england_rca
    return {
        "map": render_svg(m),
        "density": render_svg(rank_bars(alt, ctx.density, "managers_per_100_staff", "Per 100 staff", eng, ".1f")),
        "rca": render_svg(
            rank_bars(
                alt, ctx.rca, "gbp_per_head", "\u00a3 per head", float(eng_rc.loc[RCA_YEAR, "gbp_per_head"]), ".0f"
            )
        ),
    }


_ELEMENT = re.compile(r'<path aria-label="(?P<label>[^"]*)"[^>]*?/>')


def highlight(svg: str, code: str, colour: str = HIGHLIGHT) -> str:
    """``svg`` with the marks labelled ``icb:<code>`` filled in ``colour`` and moved after the
    last mark of their kind, so that they are drawn on top of their neighbours.

    Raises ``ValueError`` if no mark carries that label."""
    key = _KEY.format(code=code)
    hits = [m for m in _ELEMENT.finditer(svg) if m.group("label") == key]
    if not hits:
        raise ValueError(f"no mark labelled {key!r} in the SVG")
    for m in reversed(hits):  # remove from the end so earlier offsets stay valid
        svg = svg[: m.start()] + svg[m.end() :]
    for m in hits:
        el = re.sub(r'\sfill="[^"]*"', "", m.group(0)).replace("<path ", f'<path fill="{colour}" ', 1)
        role = re.search(r'aria-roledescription="([^"]+)"', el).group(1)
        last = svg.rfind(f'aria-roledescription="{role}"')
        at = svg.find("/>", last) + 2
        svg = svg[:at] + el + svg[at:]
    return svg


# ---------------------------------------------------------------------------------------------
# the 36 boards of 1 April 2026: shared graphics for their briefings and profiles
# ---------------------------------------------------------------------------------------------

BOARD_INPUTS = (
    "icbs",
    "staff_by_org",
    "icb_allocations",
    "trusts",
    "lad_board_overlap",
    "gp_practices",
    "geo_lad_2022",
)


def board_frame(ctx) -> pd.DataFrame:
    """The board table (:attr:`~nhsreport.briefing.figures.Context.boards`) keyed for the charts:
    ``icb_code`` holds the 2026 code and ``icb_name`` the 2026 name."""
    b = ctx.boards.reset_index()
    return b.assign(icb_code=b["icb_2026_code"], icb_name=b["icb_2026_name"])


def district_frame(ctx) -> pd.DataFrame:
    """Each district with the board holding most of its LSOAs (all but four districts lie wholly
    in one board), keyed for the charts."""
    o = ctx.lad_boards.sort_values(["lad_code", "n_lsoas"], ascending=[True, False], kind="mergesort")
    o = o.drop_duplicates("lad_code")
    return o.assign(key=o["icb_2026_code"].map(lambda c: _KEY.format(code=c)))


def board_map(alt, charts, ctx, width: int = 190, height: int = 230):
    """England's districts, each labelled with the key of its board (for :func:`highlight`)."""
    d = district_frame(ctx)[["lad_code", "lad_name", "icb_2026_name", "key"]]
    geo = alt.Data(
        url=charts.GEO_URL.format(name="geo_lad_2022"), format=alt.DataFormat(type="topojson", feature="areas")
    )
    return (
        alt.Chart(geo)
        .mark_geoshape(fill=BASE_FILL, stroke="white", strokeWidth=0.3)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(d, "lad_code", ["key", "lad_name", "icb_2026_name"]),
        )
        .encode(description="key:N")
        .project("mercator")
        .properties(width=width, height=height)
    )


def board_base_svgs(ctx) -> dict[str, str]:
    """The three England-wide graphics every 2026 board briefing highlights: ``map`` (districts
    by board), ``density`` and ``rca`` (the 36 boards ranked); cached like :func:`ics_base_svgs`."""
    return cached_bundle("board-base", BOARD_INPUTS, lambda: _board_base_svgs(ctx))


def _board_base_svgs(ctx) -> dict[str, str]:
    alt, charts = themed_altair()
    b = board_frame(ctx)
    eng = ctx.boards_england
    return {
        "map": render_svg(board_map(alt, charts, ctx)),
        "density": render_svg(
            rank_bars(alt, b, "managers_per_100_staff", "Per 100 staff", eng["managers_per_100_staff"], ".1f")
        ),
        "rca": render_svg(rank_bars(alt, b, "rca_per_head", "\u00a3 per head", eng["rca_per_head"], ".0f")),
    }
