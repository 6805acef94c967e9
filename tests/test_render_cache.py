"""The render cache: a chart is drawn once per specification, renderer version, format and scale;
a changed dataset or renderer draws it again; a damaged file in the cache is drawn again, not
trusted; a chapter's chart draws one SVG in the book build and no print version."""

from __future__ import annotations

import re
from collections import Counter

import altair as alt
import pytest
import vl_convert

from nhsreport.publish.components import charts
from nhsreport.publish.components.charts import renders


@pytest.fixture
def calls(tmp_path, monkeypatch):
    """A fresh render cache in ``tmp_path``, and the count of vl-convert's renders by format."""
    monkeypatch.setenv("NHSREPORT_RENDER_CACHE", str(tmp_path / "renders"))
    counted: Counter = Counter()
    for fmt in ("svg", "png"):
        real = getattr(vl_convert, f"vegalite_to_{fmt}")

        def counting(*args, _real=real, _fmt=fmt, **kwargs):
            counted[_fmt] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(vl_convert, f"vegalite_to_{fmt}", counting)
    return counted


def _spec(values=(1, 2, 3)) -> dict:
    return {
        "$schema": alt.SCHEMA_URL,
        "data": {"values": [{"x": i, "y": v} for i, v in enumerate(values)]},
        "mark": "bar",
        "encoding": {"x": {"field": "x", "type": "ordinal"}, "y": {"field": "y", "type": "quantitative"}},
    }


def test_the_same_spec_is_drawn_once(calls):
    first = charts.to_svg(_spec())
    assert charts.to_svg(_spec()) == first
    assert calls["svg"] == 1
    png = charts.to_png(_spec(), scale=2.0)
    assert charts.to_png(_spec(), scale=2.0) == png
    assert calls["png"] == 1
    charts.to_png(_spec(), scale=1.0)  # another scale is another render
    assert calls["png"] == 2


def test_changed_data_is_a_new_render(calls):
    before = charts.to_svg(_spec((1, 2, 3)))
    after = charts.to_svg(_spec((1, 2, 30)))
    assert calls["svg"] == 2
    assert before != after
    assert renders.render_key(_spec((1, 2, 3)), "svg") != renders.render_key(_spec((1, 2, 30)), "svg")


def test_the_renderer_version_is_part_of_the_key(calls, monkeypatch):
    key = renders.render_key(_spec(), "svg")
    charts.to_svg(_spec())
    monkeypatch.setattr(renders, "renderer_version", lambda: "0.0.0-another")
    assert renders.render_key(_spec(), "svg") != key
    charts.to_svg(_spec())
    assert calls["svg"] == 2


@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("damage", ["empty", "cut short", "garbage"])
def test_a_damaged_cache_file_is_drawn_again(calls, fmt, damage):
    draw = charts.to_svg if fmt == "svg" else charts.to_png
    good = draw(_spec())
    (path,) = renders.cache_dir().glob(f"*.{fmt}")
    blob = path.read_bytes()
    path.write_bytes({"empty": b"", "cut short": blob[: len(blob) // 2], "garbage": b"\xff\x00 not a render"}[damage])
    assert draw(_spec()) == good
    assert calls[fmt] == 2
    assert path.read_bytes() == blob  # and the whole render replaces the damaged one


def test_the_book_bundle_draws_one_svg_and_no_print_version(calls, monkeypatch):
    monkeypatch.setenv("NHSREPORT_BOOK", "1")
    alt.theme.enable("nhsreport")
    chart = alt.Chart(alt.Data(values=_spec()["data"]["values"])).mark_bar().encode(x="x:O", y="y:Q")
    spec = chart.properties(usermeta={"nhsreport": {"name": "fig-test", "description": "Three bars."}}).to_dict()
    bundle = charts.book_bundle(spec)
    assert calls == {"svg": 1}
    assert not any(k.startswith("image/") for k in bundle)
    assert "text/markdown" not in bundle, "the PDF book draws its print version from the HTML's spec"
    charts.book_bundle(spec)  # a second build of the same chart draws nothing
    assert calls == {"svg": 1}


def test_svg_ids_are_scoped_and_numbered_by_position():
    """Two renders that differ only in vl-convert's per-process numbering give the same page, and
    two charts of one page never share an id."""
    drawn_first = '<svg><clipPath id="clip3"/><g clip-path="url(#clip3)"><rect fill="url(#gradient_7)"/></g><linearGradient id="gradient_7"/></svg>'
    drawn_later = drawn_first.replace("clip3", "clip1").replace("gradient_7", "gradient_0")
    scoped = charts.scoped_ids(drawn_first, "nhs-fig-a")
    assert scoped == charts.scoped_ids(drawn_later, "nhs-fig-a")
    assert 'id="nhs-fig-a-0"' in scoped and "url(#nhs-fig-a-0)" in scoped and "url(#nhs-fig-a-1)" in scoped
    assert 'id="nhs-fig-a-1"' in scoped and "clip3" not in scoped
    other = charts.scoped_ids(drawn_later, "nhs-fig-b")
    assert not set(re.findall(r'id="([^"]+)"', scoped)) & set(re.findall(r'id="([^"]+)"', other))
