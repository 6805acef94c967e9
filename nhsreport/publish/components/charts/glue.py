"""Figures for chapters: :func:`glue_chart` glues a chart for a ``{glue:figure}``, and in the book
build :func:`book_bundle` turns it into the display bundle of the HTML and PDF books."""

from __future__ import annotations

from nhsreport.publish.components.charts.describe import describe, figure_data
from nhsreport.publish.components.charts.html import chart_element, to_svg
from nhsreport.publish.components.charts.labels import second_cues
from nhsreport.publish.components.charts.theme import in_book


def book_bundle(spec: dict, **_metadata) -> dict:
    """The display bundle of a chart in the book build (the renderer :func:`.theme.setup` enables):
    the HTML chart element with its data and computed description (one SVG render, from the render
    cache when drawn before). The PDF book draws its print version from the element's spec
    (:mod:`nhsreport.publish.book.printbook`): an HTML build draws no print version."""
    spec = second_cues(spec)
    meta = spec.get("usermeta", {}).get("nhsreport", {})
    name = meta.get("name", "figure")
    long_text = meta.get("description") or spec.get("description") or ""
    df, formats = figure_data(spec)
    alt_text = describe(spec, df, formats)
    svg = to_svg(spec)
    return {
        "text/html": chart_element(spec, svg, name, alt_text, long_text, data=(df, formats)),
        "text/plain": f"<chart: {alt_text[:80]}>",
    }


def glue_chart(name: str, chart, alt_text: str) -> None:
    """Glue ``chart`` under ``name`` for a ``{glue:figure}``.

    ``alt_text`` is the figure's longer description, shown with its data under the chart in
    HTML; the short alternative text screen readers announce is computed from the figure's data
    (:func:`.describe.describe`), as are the table and the CSV download offered with it (:func:`.describe.figure_data`).
    In interactive Jupyter the chart is also shown where the cell runs.
    """
    if not alt_text or len(alt_text) < 20:
        raise ValueError(f"figure {name!r}: give alt text that describes what the chart shows")
    from myst_nb import glue

    chart = chart.properties(description=alt_text, usermeta={"nhsreport": {"name": name, "description": alt_text}})
    glue(name, chart, display=not in_book())
