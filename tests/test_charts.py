"""Charts and tables for every reader: a figure's data table and CSV come from the chart itself,
its short alternative text is computed from that data, and nothing focusable sits inside the
chart's image."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import unquote

import altair as alt
import pandas as pd
import pytest

from nhsreport.publish.components import charts
from nhsreport.publish.components.tables import Table


@pytest.fixture()
def trusts_chart():
    df = pd.DataFrame(
        {
            "year": [2012, 2013, 2014] * 2,
            "trust_type": ["acute"] * 3 + ["ambulance"] * 3,
            "trusts": [160, 158, 150, 11, 10, 10],
            "type_order": [0, 0, 0, 1, 1, 1],
        }
    )
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("trusts:Q", title="Number of trusts"),
            color=alt.Color("trust_type:N", title="Type of trust"),
            tooltip=[
                alt.Tooltip("year:O", title="1 April"),
                alt.Tooltip("trust_type:N", title="Type"),
                alt.Tooltip("trusts:Q", title="Trusts", format=",.0f"),
            ],
        )
    )
    labels = alt.Chart(df).mark_text(dy=-6).encode(x="year:O", y="trusts:Q", text="trusts:Q")
    return bars + labels


def test_figure_data_is_the_tooltip_table(trusts_chart):
    df, formats = charts.figure_data(trusts_chart.to_dict())
    assert list(df.columns) == ["1 April", "Type", "Trusts"]  # not type_order: no tooltip shows it
    assert len(df) == 6 and df["Trusts"].sum() == 160 + 158 + 150 + 11 + 10 + 10
    assert formats == {"Trusts": ",.0f"}


def test_figure_data_of_a_map_joins_its_lookup():
    lookup = pd.DataFrame({"code": ["E1", "E2"], "name": ["North", "South"], "staff": [1.25, 2.5]})
    spec = (
        alt.Chart(alt.Data(values=[{"properties": {"code": "E1"}}, {"properties": {"code": "E2"}}]))
        .mark_geoshape()
        .transform_lookup(lookup="properties.code", from_=alt.LookupData(lookup, "code", ["name", "staff"]))
        .encode(
            color=alt.Color("staff:Q", title="Managers per 100 staff"),
            tooltip=[
                alt.Tooltip("name:N", title="System"),
                alt.Tooltip("staff:Q", title="Per 100 staff", format=".2f"),
            ],
        )
        .to_dict()
    )
    df, formats = charts.figure_data(spec)
    assert df.to_dict("list") == {"System": ["North", "South"], "Per 100 staff": [1.25, 2.5]}
    text = charts.describe(spec, df, formats)
    assert text.startswith("Map of managers per 100 staff") or "shaded by managers per 100 staff" in text
    assert "from 1.25 (North) to 2.50 (South)" in text


def test_alt_text_is_computed_from_the_data(trusts_chart):
    spec = trusts_chart.to_dict()
    df, formats = charts.figure_data(spec)
    text = charts.describe(spec, df, formats)
    assert text == (
        "Bar chart of the number of trusts by year, coloured by type of trust (2 categories). "
        "It ranges from 10 (2013, ambulance) to 160 (2012, acute)."
    )
    assert len(text) <= 200


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        (1234567, ",", "1,234,567"),
        (0.1234, ".1%", "12.3%"),
        (3.14159, ".2f", "3.14"),
        (1234.4, ",.0f", "1,234"),
        (5, None, "5"),
        (None, ".2f", ""),
        ("text", ".2f", "text"),
        (pd.Timestamp("2020-03-01").date(), "%B %Y", "March 2020"),
    ],
)
def test_format_value_follows_the_tooltip_format(value, fmt, expected):
    assert charts.format_value(value, fmt) == expected


def test_book_bundle_offers_description_table_and_csv(trusts_chart):
    charts.setup()
    spec = trusts_chart.properties(
        description="A longer description of the trusts chart for readers.",
        usermeta={"nhsreport": {"name": "fig-test", "description": "The long one."}},
    ).to_dict()
    out = charts.book_bundle(spec)["text/html"]
    graphic = re.search(r'<div class="nhs-chart-graphic"(.*?)<div class="nhs-chart-tools">', out, re.S).group(0)
    assert 'role="img"' in graphic and 'aria-label="Bar chart of the number of trusts' in graphic
    # nothing focusable inside the image (axe: nested-interactive)
    assert not re.search(r"<(a|button|summary|details|input)\b|tabindex=", graphic.split("</script>", 1)[1])
    desc_id = re.search(r'aria-describedby="([^"]+)"', graphic).group(1)
    assert f'<p id="{desc_id}">The long one.</p>' in out
    assert "<details" in out and "<caption>Data of the figure: Bar chart of the number of trusts" in out
    href = re.search(r'<a class="nhs-chart-csv" href="([^"]+)" download="fig-test.csv">', out).group(1)
    rows = list(csv.reader(io.StringIO(unquote(href.replace("&amp;", "&").split(",", 1)[1]))))
    assert rows[0] == ["1 April", "Type", "Trusts"] and len(rows) == 7
    # the interactive chart's marks are not announced one by one
    assert '"aria":false' in out


def test_glue_chart_needs_a_description():
    with pytest.raises(ValueError, match="fig-x"):
        charts.glue_chart("fig-x", alt.Chart(pd.DataFrame({"a": [1]})).mark_bar(), alt_text="short")


def test_table_caption_names_its_scrolling_region():
    out = Table(pd.DataFrame({"a": [1, 2]}), caption="Two numbers")._repr_html_()
    assert "<caption>Two numbers</caption>" in out
    assert 'tabindex="0" role="region" aria-label="Two numbers"' in out
    plain = Table(pd.DataFrame({"a": [1, 2]}))._repr_html_()
    assert "<caption>" not in plain and "role=" not in plain and 'tabindex="0"' in plain


def test_alt_text_names_panels_and_histograms():
    df = pd.DataFrame({"pop": [0.5, 1.2, 1.3, 2.9], "name": list("abcd")})
    hist = (
        alt.Chart(df, title="Population")
        .mark_bar()
        .encode(
            x=alt.X("pop:Q", bin=alt.Bin(step=0.5), title="Population, millions"),
            y="count():Q",
            tooltip=[alt.Tooltip("count():Q", title="ICBs")],
        )
    )
    dots = (
        alt.Chart(df, title="Each ICB")
        .mark_point()
        .encode(
            x=alt.X("pop:Q", title="Population, millions"),
            y=alt.Y("name:N", title=None),
            tooltip=[alt.Tooltip("name:N", title="ICB"), alt.Tooltip("pop:Q", title="Population (m)", format=".2f")],
        )
    )
    spec = alt.vconcat(hist, dots).to_dict()
    data, formats = charts.figure_data(spec)
    text = charts.describe(spec, data, formats)
    assert text.startswith("Histograms and dot plots of population, millions in 2 panels (Population; Each ICB)."), text
    assert set(data["Population (m)"].dropna()) == {0.5, 1.2, 1.3, 2.9}
    one = charts.describe(dots.to_dict(), *charts.figure_data(dots.to_dict()))
    assert one == "Dot plot of population, millions by ICB. It ranges from 0.50 (a) to 2.90 (d)."


def test_book_bundle_spec_is_valid_json_with_missing_values():
    """A missing value written as NaN would stop the browser's JSON.parse, and the chart with it."""
    import json

    charts.setup()
    chart = (
        alt.Chart(alt.Data(values=[{"a": "x", "n": float("nan")}, {"a": "y", "n": 2.0}]))
        .mark_bar()
        .encode(x="a:N", y="n:Q", tooltip=[alt.Tooltip("a:N", title="A"), alt.Tooltip("n:Q", title="N")])
    )
    spec = chart.properties(description="A chart with one value missing, for the JSON test.").to_dict()
    out = charts.book_bundle(spec)["text/html"]
    payload = re.search(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', out, re.S).group(1)
    parsed = json.loads(payload, parse_constant=lambda c: pytest.fail(f"{c} in the chart's JSON"))
    assert parsed["data"]["values"][0]["n"] is None


def test_segment_labels_name_each_category_beside_its_segment():
    from nhsreport.publish.components.charts import segment_labels

    rows = [(2000, "a", 10), (2000, "b", 2), (2001, "a", 1), (2001, "b", 8), (2002, "a", 1), (2002, "b", 1)]
    df = pd.DataFrame(rows, columns=["year", "type", "n"])
    got = segment_labels(df, "year", "n", "type", ["a", "b"], y_max=20, width_px=300, height_px=200)
    assert list(got.columns) == ["year", "label_y", "type"]
    assert set(got["type"]) == {"a", "b"}
    placed = got.set_index("type")
    # each label is level with a segment of its category: "a" in 2000 (0 to 10), "b" in 2001 (1 to 9)
    assert placed.loc["a", "year"] == 2000 and 0 <= placed.loc["a", "label_y"] <= 10
    assert placed.loc["b", "year"] == 2001 and 1 <= placed.loc["b", "label_y"] <= 9


def test_boundary_script_holds_the_same_json_under_the_charts_address():
    import json

    from nhsreport.publish.book.assets import geo_script

    topo = b'{"type":"Topology","objects":{}}\n'
    js = geo_script("geo_icb_2026.topo.json", topo).decode()
    prefix = '(window.NHS_GEO = window.NHS_GEO || {})["_static/geo/geo_icb_2026.topo.json"] = '
    assert js.startswith(prefix) and js.endswith(";\n")
    assert json.loads(js[len(prefix) : -2]) == json.loads(topo)


def test_alt_text_names_each_extreme_once_by_its_row_and_tables_hold_no_field_names():
    """A strip plot coloured by the same field as its axis: each extreme is named by the
    organisation (the name that tells its rows apart), its type once, never "(CCG, CCG)"; a
    layout position (an axis drawn with no axis) and an untitled one-letter field are not in the
    table; a negative value is written with a minus sign."""
    df = pd.DataFrame(
        {
            "org_name": ["North CCG", "South CCG", "East Trust", "West Trust"],
            "org_type": ["CCG", "CCG", "acute", "acute"],
            "per_100": [-1.5, 9.25, 2.5, 3.0],
            "y": [1, 2, 3, 4],
            "q": [0, 1, 2, 3],
        }
    )
    tips = [alt.Tooltip("org_name:N", title="Organisation"), alt.Tooltip("org_type:N", title="Type")]
    strip = (
        alt.Chart(df)
        .mark_tick()
        .encode(
            x=alt.X("per_100:Q", title="Managers per 100 staff"),
            y=alt.Y("org_type:N", title=None),
            color=alt.Color("org_type:N", title=None),
            size=alt.Size("q:Q"),
            tooltip=[*tips, alt.Tooltip("per_100:Q", title="Per 100 staff", format=".2f")],
        )
    )
    layout = alt.Chart(df).mark_point().encode(x="q:Q", y=alt.Y("y:Q", axis=None), tooltip=tips)
    for chart in (strip, layout):
        spec = chart.to_dict()
        data, formats = charts.figure_data(spec)
        assert not {"y", "q", "Y", "Q", "org_type", "Org type"} & set(data.columns), list(data.columns)
    spec = strip.to_dict()
    text = charts.describe(spec, *charts.figure_data(spec))
    assert "(CCG, CCG)" not in text and "org" not in text.lower().replace("organisation", "")
    assert "from \u22121.50 (North CCG" in text and "to 9.25 (South CCG" in text


def test_lean_spec_keeps_the_columns_a_chart_names_and_six_figures():
    """The page's copy of a chart keeps the columns named outside its data (encodings,
    tooltips, expressions), every column when a tooltip shows the whole datum, and numbers to six
    significant figures; the drawing is unchanged."""
    from nhsreport.publish.components.charts.html import lean_spec, to_svg

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
        "data": {"name": "d"},
        "mark": "bar",
        "transform": [{"calculate": "datum.value * 2", "as": "twice"}],
        "encoding": {"x": {"field": "name", "type": "nominal"}, "y": {"field": "twice", "type": "quantitative"}},
        "datasets": {"d": [{"name": "A", "value": 1.23456789, "unused": "x" * 50}, {"name": "B", "value": 0.0}]},
    }
    lean = lean_spec(spec)
    assert lean["datasets"]["d"] == [{"name": "A", "value": 1.23457}, {"name": "B", "value": 0.0}]

    def drawn(svg):  # the marks' geometry to a tenth of a pixel (aria labels print the values)
        return re.sub(r"\d+\.\d+", lambda m: f"{float(m.group()):.1f}", re.sub(r'aria-label="[^"]*"', "", svg))

    assert drawn(to_svg(lean)) == drawn(to_svg(spec))
    whole = {**spec, "mark": {"type": "bar", "tooltip": True}}
    assert "unused" in lean_spec(whole)["datasets"]["d"][0]


def test_a_log_scale_is_described_by_the_values_it_draws():
    """A measure on a log scale is described from its positive values only: a zero is not drawn."""
    import pandas as pd

    from nhsreport.publish.components.charts.describe import describe

    spec = {
        "mark": "point",
        "encoding": {
            "x": {"field": "org", "type": "nominal", "title": "Organisation"},
            "y": {"field": "v", "type": "quantitative", "title": "Managers", "scale": {"type": "log"}},
        },
    }
    df = pd.DataFrame({"Organisation": ["A", "B", "C"], "Managers": [0.0, 2.5, 40.0]})
    text = describe(spec, df, {})
    assert "from 2.50 (B) to 40 (C)" in text and "(A)" not in text


def test_lines_told_apart_by_dash_have_line_samples_in_their_legend():
    """A line chart's legend shows a sample of each line with its dash pattern, not a blob (the
    print review's line-style legends); a legend that also shows points' shapes keeps its shapes,
    and a legend switched off stays off."""
    lines = {
        "mark": "line",
        "encoding": {"x": {"field": "t", "type": "quantitative"}, "color": {"field": "g", "type": "nominal"}},
    }
    cued = charts.second_cues(lines)["encoding"]
    for channel in ("color", "strokeDash"):
        assert cued[channel]["legend"]["symbolType"] == "stroke", channel
    off = charts.second_cues(
        {**lines, "encoding": {**lines["encoding"], "color": {**lines["encoding"]["color"], "legend": None}}}
    )
    assert off["encoding"]["color"]["legend"] is None
    points = {"mark": "point", "encoding": {"shape": {"field": "g", "type": "nominal"}}}
    mixed = charts.second_cues({"layer": [lines, points]})
    assert "legend" not in mixed["layer"][0]["encoding"]["color"]


def test_print_spaces_axis_labels_and_labels_stop_rules_with_a_halo():
    spec = {"mark": "point", "encoding": {"x": {"field": "v", "type": "quantitative"}}}
    axis = charts.print_spec(spec, 1.2)["config"]["axis"]
    assert axis["labelSeparation"] >= 3, "numbers on an axis never run together in print"
    labels = charts.halo_text(alt.Chart(pd.DataFrame({"v": [1], "t": ["a"]})).encode(x="v:Q"), "t:N", tooltip="t:N")
    halo, text = labels.to_dict()["layer"]
    assert halo["mark"]["stroke"] == "white" and halo["mark"]["strokeWidth"] >= 3
    assert "tooltip" not in halo["encoding"] and "tooltip" in text["encoding"], (
        "the figure's data holds each label once"
    )


def test_the_axis_of_effects_holds_every_interval_whole():
    from nhsreport.publish.chapters.integration_figures import effects_domain, effects_ticks

    cut = pd.DataFrame({"effect_pct": [-27.0, -3.0], "ci_low_pct": [-45.0, None], "ci_high_pct": [-2.0, None]})
    lo, hi = effects_domain(cut)
    assert lo < -45 and hi == 0, "an interval ending at the axis's edge looks cut short"
    assert effects_ticks([lo, hi]) == [-50, -25, 0], "the axis's labelled end shows it holds the interval"
    growth = pd.DataFrame({"effect_pct": [1.6, 12.0], "ci_low_pct": [-0.4, 9.5], "ci_high_pct": [7.2, 13.6]})
    assert effects_domain(growth) == [-5, 15] and 0 in effects_ticks([-5, 15])


def test_alt_text_reads_as_plain_english():
    """The patterns a reader of the PDF found garbled: a map with leader dots called a "map and
    dot plot", a measure without its noun or article, a scatter plot called a dot plot "by" its
    other quantity, brackets inside brackets, panels listed after the sentence."""
    df = pd.DataFrame(
        {"code": ["A (old)", "B (new)"], "lon": [0.0, 1.0], "lat": [51.0, 52.0], "v": [1.0, 3.0], "pop": [0.5, 2.0]}
    )
    area = alt.Chart(df).mark_circle().encode(longitude="lon:Q", latitude="lat:Q")
    dots = (
        alt.Chart(df)
        .mark_point()
        .encode(
            x=alt.X("pop:Q", title="Population (millions)"),
            y=alt.Y("v:Q", title="Practices per 100,000 residents"),
            tooltip=[alt.Tooltip("code:N", title="Board (2022 list)"), alt.Tooltip("v:Q", title="Practices")],
        )
    )
    text = charts.describe(dots.to_dict(), *charts.figure_data(dots.to_dict()))
    assert text.startswith("Scatter plot of practices per 100,000 residents against population (millions)."), text
    assert "from 1 (A [old]) to 3 (B [new])" in text, "brackets inside brackets are square"
    geo = alt.layer(
        alt.Chart(charts.boundaries("geo_icb_2022")).mark_geoshape().encode(tooltip="properties.name:N"), area
    )
    assert charts.describe(geo.to_dict(), *charts.figure_data(geo.to_dict())).startswith("Map")
    assert "dot plot" not in charts.describe(geo.to_dict(), *charts.figure_data(geo.to_dict()))
    counts = (
        alt.Chart(pd.DataFrame({"year": [2012, 2013], "n": [5, 7]}))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Trusts open on 1 April of each year"),
            y=alt.Y("n:Q", title="Number of trusts"),
            tooltip=["year:O", "n:Q"],
        )
    )
    assert charts.describe(counts.to_dict(), *charts.figure_data(counts.to_dict())).startswith(
        "Bar chart of the number of trusts by year."
    )
    panels = alt.vconcat(counts.properties(title="All (with counts)"), counts.properties(title="By type")).to_dict()
    text = charts.describe(panels, *charts.figure_data(panels))
    assert text.startswith("Bar charts of the number of trusts by year in 2 panels (All [with counts]; By type)."), text


@pytest.mark.parametrize(
    ("path", "compacted"),
    [
        ("M1.04,2.06L1.5,2.5L5.25,5.96Z", "M1,2.1L5.2,6Z"),  # a line to within 1 px of the last point dropped
        ("M0,0h540v300h-540Z", "M0,0h540v300h-540Z"),
        ("M10.44,3L10.9,3.2L12,3A2,2,0,1,1,4.05,4L4.5,4.5", "M10.4,3L12,3A2 2 0 1 1 4 4L4.5,4.5"),  # an arc stops it
        ("M 1 2 L 3.333 4", "M1,2L3.3,4"),
        ("L1-2,3", "L1 -2 3"),
    ],
)
def test_compacted_paths(path, compacted):
    from nhsreport.publish.components.charts.html import _compact_path

    assert _compact_path(path, 1.0) == compacted


@pytest.mark.slow
def test_no_label_of_a_chapter_chart_is_cut_at_normal_spacing(html_book):
    """Every chart of the book, drawn at normal spacing: no axis label, legend entry or title is cut
    with "…" (a board's or a study's name lost; the full text is in the figure's data table, but the
    chart should not need it)."""
    from nhsreport.publish.components.charts.collisions import text_boxes
    from tests.helpers import book_charts

    found = book_charts(html_book)
    cut = [
        f"{where}: {texts[:3]}"
        for where, spec in found
        if (texts := [b.text for b in text_boxes(charts.to_svg(spec)) if b.text.endswith("…")])
    ]
    assert len(found) > 30
    assert not cut, "\n".join(cut)
