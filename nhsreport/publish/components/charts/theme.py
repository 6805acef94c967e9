"""The report's chart theme, its colours, and the one switch that renders charts for each context.

:func:`setup` (called by :func:`nhsreport.publish.book.chapter.start` in each chapter's hidden first cell)
picks the output:

* **book build** (``NHSREPORT_BOOK=1``, set by :mod:`nhsreport.publish.book.sphinxext` for the kernels it
  starts): each chart becomes one display bundle (:func:`.glue.book_bundle`) holding
  ``text/html`` — a ``<div class="nhs-chart">`` carrying the Vega-Lite spec, which the shared,
  locally served vega-embed bundle turns into an interactive chart, with a static SVG inside as
  the fallback, which the PDF book (:mod:`nhsreport.publish.book.printbook`) replaces by its print
  rendering;
* **interactive Jupyter**: Altair's ``jupyter`` renderer in offline mode (anywidget, with the
  JavaScript bundled by vl-convert), so charts are interactive in JupyterLab with no network.
"""

from __future__ import annotations

import os

import altair as alt

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
# Context rather than data ("unchanged", "the other boards"): filled light, so that the marks of
# the data stand out from it (also in greyscale: CIELAB L* 88 against 54 for the highlight), always
# named in the legend and the figure's data table, and outlined in BACKGROUND_OUTLINE (4.5:1
# against the white page), so that each context mark has a boundary of at least 3:1 (WCAG 1.4.11).
BACKGROUND = "#DDDDDD"
BACKGROUND_OUTLINE = "#767676"
SEQUENTIAL = "blues"  # monotonic in lightness: readable in greyscale
# Maps shaded by a quantity: the darker part of the same blues, in which every shade has at least
# 3:1 contrast against white (the palest 3.2:1, the darkest 8.8:1), so that the white borders between
# areas, and the page around England, have 3:1 against every area (WCAG 1.4.11). A dark border
# cannot do this for the whole scheme: no grey has 3:1 against both its palest and its darkest shade.
SEQUENTIAL_MAP = {"name": "blues", "extent": [0.57, 1.0]}
MAP_BORDER = {"stroke": "white", "strokeWidth": 1}  # between the areas of a map shaded by a quantity
# Outlines of marks (context marks' grey outlines, map borders) are at least one pixel wide: thinner
# lines are drawn anti-aliased, paler than their colour.
MIN_OUTLINE_PX = 1.0
WIDTH = 620
FONT = "DejaVu Sans, Verdana, sans-serif"
GEO_URL = "_static/geo/{name}.topo.json"


def theme() -> dict:
    """The report's Altair theme (registered as ``nhsreport``)."""
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
            # data marks opaque (Vega-Lite draws points, circles, squares and ticks at 0.7 opacity
            # unless told otherwise): as drawn, every colour keeps its 3:1 against the page
            "point": {"filled": True, "size": 45, "opacity": 1},
            "circle": {"opacity": 1},
            "square": {"opacity": 1},
            "tick": {"opacity": 1},
        }
    }


alt.theme.register("nhsreport", enable=False)(theme)


def in_book() -> bool:
    """Whether the code runs in a kernel of the book build."""
    return os.environ.get("NHSREPORT_BOOK") == "1"


def setup() -> None:
    """Enable the report's theme and the renderer for the current context."""
    alt.theme.enable("nhsreport")
    alt.data_transformers.disable_max_rows()
    if in_book():
        from nhsreport.publish.components.charts.glue import book_bundle  # glue draws with this theme

        alt.renderers.register("nhsreport-book", book_bundle)
        alt.renderers.enable("nhsreport-book")
    else:
        alt.renderers.enable("jupyter", offline=True)


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
