"""Figures on paper: every chart of the book reads in greyscale, prints its labels at 8 pt or more
and cuts none short.

The charts are taken from the built HTML book (the spec each page carries); the print version of
each is the one the PDF book holds, whose size on the page is read from the PDF itself
(``pdfimages -list``: pixels and pixels per inch of every image)."""

from __future__ import annotations

import re
import struct
import subprocess

import numpy as np
import pytest
from colorspacious import cspace_convert

from nhsreport.publish.components import charts
from tests.conftest import need_tool
from tests.helpers import book_charts
from tests.helpers import spec_units as _units

POSITION = ("x", "y", "row", "column", "facet", "yOffset", "xOffset")
# two greys a reader tells apart on paper: CIELAB lightness at least this far apart
GREY_STEP = 20.0


def lightness(hex_colour: str) -> float:
    rgb = np.array([int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]) / 255
    return float(cspace_convert(rgb, "sRGB1", "CIELab")[0])


def _determines(rows: list, finer: str, coarser: str) -> bool:
    """Whether each value of ``finer`` goes with one value of ``coarser`` in ``rows``."""
    seen: dict = {}
    for r in rows:
        if seen.setdefault(r.get(finer), r.get(coarser)) != r.get(coarser):
            return False
    return bool(seen)


def colour_only(spec: dict) -> list[str]:
    """The categories of a chart told apart by colour alone: a colour encoding whose field no
    position, shape or dash pattern repeats, that no text labels name, and whose colours are not
    far enough apart in lightness to tell apart in greyscale."""
    units = list(_units(spec))
    labelled = set()
    for mark, enc, rows in units:
        if mark == "text" and isinstance(enc.get("text"), dict):
            field = enc["text"].get("field")
            labelled.add(field)
            labelled.update(str(r.get(field)) for r in rows or [] if isinstance(r, dict))
    problems = []
    for mark, enc, rows in units:
        if mark in ("text", "rule"):
            continue
        colour = next(
            (
                enc[c]
                for c in ("color", "fill", "stroke")
                if isinstance(enc.get(c), dict) and enc[c].get("type") in ("nominal", "ordinal") and enc[c].get("field")
            ),
            None,
        )
        if colour is None:
            continue
        field = colour["field"]
        if rows and len({r.get(field) for r in rows if isinstance(r, dict)}) <= 1:
            continue  # the mark draws one category (a single line beside points of others)
        cues = {enc[c].get("field") for c in (*POSITION, "shape", "strokeDash") if isinstance(enc.get(c), dict)}
        if field in cues or field in labelled:
            continue
        finer = [
            enc[c]["field"] for c in ("shape", "strokeDash") if isinstance(enc.get(c), dict) and enc[c].get("field")
        ]
        if rows and any(_determines(rows, g, field) for g in finer):
            continue  # a finer cue (a shape for each kind of body, within each colour)
        scale = colour.get("scale") or {}
        domain, rng = scale.get("domain"), scale.get("range")
        if isinstance(domain, list) and all(str(d) in labelled for d in domain):
            continue  # direct labels name every category
        if isinstance(rng, list) and all(isinstance(c, str) and c.startswith("#") for c in rng):
            n = len(domain) if isinstance(domain, list) else len(rng)
            if n <= 1:
                continue
            ls = sorted(lightness(c) for c in rng[:n])
            if min(b - a for a, b in zip(ls, ls[1:])) >= GREY_STEP:
                continue  # a lightness ramp reads in greyscale
        problems.append(f"{mark} coloured by {field!r}")
    return problems


def test_the_greyscale_check_catches_colour_only_categories():
    lines = {
        "mark": "line",
        "encoding": {"x": {"field": "y", "type": "quantitative"}, "color": {"field": "g", "type": "nominal"}},
    }
    assert colour_only(lines) == ["line coloured by 'g'"]
    assert colour_only(charts.second_cues(lines)) == []
    bars = {
        "mark": "bar",
        "encoding": {
            "x": {"field": "year", "type": "ordinal"},
            "color": {
                "field": "g",
                "type": "nominal",
                "scale": {"domain": ["a", "b"], "range": ["#0072B2", "#009E73"]},
            },
        },
    }
    assert colour_only(bars) == ["bar coloured by 'g'"], "two mid-dark colours look alike in grey"
    bars["encoding"]["color"]["scale"]["range"] = ["#004B87", charts.BACKGROUND]
    assert colour_only(bars) == [], "dark against light reads in grey"
    labelled = {"layer": [dict(bars, encoding={**bars["encoding"], "color": {"field": "g", "type": "nominal"}})]}
    labelled["layer"].append(
        {"mark": "text", "data": {"values": [{"g": "a"}, {"g": "b"}]}, "encoding": {"text": {"field": "g"}}}
    )
    assert colour_only(labelled) == []


@pytest.mark.slow
def test_every_figure_reads_in_greyscale(html_book):
    found = book_charts(html_book)
    assert len(found) >= 30
    bad = [f"{where}: {p}" for where, spec in found for p in colour_only(spec)]
    assert not bad, "told apart by colour alone:\n" + "\n".join(bad)


def _png_size(blob: bytes) -> tuple[int, int]:
    return struct.unpack(">II", blob[16:24])


def _pdf_images(pdf) -> dict[tuple[int, int], list[float]]:
    need_tool("pdfimages")
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images: dict[tuple[int, int], list[float]] = {}
    for line in out.splitlines()[2:]:
        cells = line.split()
        if len(cells) > 12 and cells[2] == "image":
            images.setdefault((int(cells[3]), int(cells[4])), []).append(float(cells[12]))
    return images


@pytest.mark.slow
def test_every_chart_prints_its_labels_at_8_pt_and_whole(html_book, pdf_book):
    """Each chart's print version is in the PDF book; at the size it is printed there (pixels per
    inch from the PDF), its smallest text is 8 pt or more, no label is cut short ("…"), and no
    narrow chart is stretched across the page (at most 0.75 pt a pixel, as on screen)."""
    images = _pdf_images(pdf_book)
    small, missing, cut, large = [], [], [], []
    for where, spec in book_charts(html_book):
        if where.startswith("systems:"):
            continue  # the systems index's map is in the HTML book only (the PDF prints its table)
        spec = charts.second_cues(spec)
        png, printed = charts.print_png(spec, charts.svg_width(charts.to_svg(spec)))
        size = _png_size(png)
        if size not in images:
            missing.append(f"{where} ({size[0]}x{size[1]} px)")
            continue
        ppi = max(images[size])
        if ppi < 96 * charts.PNG_SCALE - 1:
            large.append(f"{where}: {ppi:.0f} ppi")
        pt = charts.smallest_font_px(printed) * charts.PNG_SCALE * 72 / ppi
        if pt < charts.PRINT_MIN_PT - 0.05:
            small.append(f"{where}: {pt:.1f} pt")
        texts = re.findall(r">([^<]*…)<", charts.to_svg(printed))
        if texts:
            cut.append(f"{where}: {texts[:3]}")
    assert not missing, f"charts not found in the PDF book: {missing}"
    assert not small, "labels printed under 8 pt:\n" + "\n".join(small)
    assert not cut, "labels cut short:\n" + "\n".join(cut)
    assert not large, "charts printed larger than 0.75 pt a pixel (stretched, text and all):\n" + "\n".join(large)


def _svg(*texts: str) -> str:
    return '<svg xmlns="http://www.w3.org/2000/svg"><g transform="translate(10,20)">' + "".join(texts) + "</g></svg>"


def test_the_collision_check_measures_text_as_printed():
    from nhsreport.publish.components.charts.collisions import collisions, struck_labels, text_boxes, text_width

    assert 60 < text_width("0", 100) < 66, "a digit of DejaVu Sans is 0.64 em wide"
    one = '<text text-anchor="start" transform="translate(0,12)" font-size="12px">10 ICSs</text>'
    over = '<text text-anchor="start" transform="translate(12,14)" font-size="12px">14 ICSs</text>'
    assert collisions(_svg(one, over)) == [("10 ICSs", "14 ICSs")]
    below = '<text text-anchor="start" transform="translate(12,28)" font-size="12px">14 ICSs</text>'
    assert collisions(_svg(one, below)) == []
    ticks = [
        f'<text text-anchor="middle" transform="translate({x},12)" font-size="12px">{v}</text>'
        for x, v in ((0, "0.0"), (20, "0.2"))
    ]
    assert collisions(_svg(*ticks)) == [("0.0", "0.2")], "two numbers a space apart read as one"
    hidden = ticks[1].replace('font-size="12px"', 'font-size="12px" opacity="0"')
    assert collisions(_svg(ticks[0], hidden)) == [], "a label Vega hid is not printed"
    halo = one.replace('font-size="12px"', 'font-size="12px" stroke="white"')
    assert collisions(_svg(one, halo)) == [], "a halo under its own label"
    rule = '<g class="mark-rule role-mark"><line transform="translate(20,0)" x2="0" y2="40"/></g>'
    assert struck_labels(_svg(one, rule)) == ["10 ICSs"], "a rule through a label"
    assert struck_labels(_svg(one, halo.replace('stroke="white"', 'stroke="white" stroke-width="5"'), rule)) == []
    leader = '<g class="mark-rule role-mark"><line transform="translate(20,40)" x2="0" y2="-32"/></g>'
    assert struck_labels(_svg(one, leader)) == [], "a leader line ending under its own label"
    turned = (
        '<text text-anchor="end" transform="translate(0,0) rotate(270) translate(0,4)" font-size="12px">2009</text>'
    )
    (box,) = text_boxes(_svg(turned))
    assert box.bottom - box.top > box.right - box.left, "a label turned upright is taller than wide"


#: charts whose texts may touch, and why (none at present)
COLLISIONS_ALLOWED: dict[str, str] = {}


@pytest.mark.slow
def test_no_chart_prints_labels_over_each_other(html_book):
    """In the print version of every chart no two texts overlap or run together (marks' labels,
    axis labels and annotations alike), measured in DejaVu Sans on the SVG vl-convert draws, and
    no rule (a median, an event's line, a leader) strikes through a label."""
    from nhsreport.publish.components.charts.collisions import collisions, struck_labels

    bad, struck = [], []
    for where, spec in book_charts(html_book):
        spec = charts.second_cues(spec)
        _, printed = charts.print_png(spec, charts.svg_width(charts.to_svg(spec)))
        svg = charts.to_svg(printed)
        if where.split(": ")[-1] in COLLISIONS_ALLOWED:
            continue
        if found := collisions(svg):
            bad.append(f"{where}: {found[:4]}")
        if found := struck_labels(svg):
            struck.append(f"{where}: {found[:4]}")
    assert not bad, "labels printed over each other or run together:\n" + "\n".join(bad)
    assert not struck, "labels struck through by a rule (draw them over a halo: charts.halo_text):\n" + "\n".join(
        struck
    )


#: what a reader of the printed book found garbled in the charts' descriptions, never to return
GARBLED_ALT_TEXT = {
    r"\bof per\b": "a measure without its noun",
    r"\bmap and dot plot\b": "a map's leader dots or markers taken for a dot plot",
    r"\bdated \(": "a legend title that is no phrase",
    r"^\d+ panels:|Panels:": "panels listed apart from the sentence",
    r"\((?:[^()]*)\([^()]*\)": "brackets inside brackets",
    r"\b(?:of|by) (?:number|share) of\b": "a measure without its article",
    r"\bby (?:September|trusts open)\b": "a time axis's title read as a category",
    r"^Chart of\b": "a kind of chart the description does not know",
}


@pytest.mark.slow
def test_every_description_of_the_book_reads_as_plain_english(html_book):
    bad = []
    for where, spec in book_charts(html_book):
        text = charts.describe(spec, *charts.figure_data(spec))
        bad += [
            f"{where}: {why}: {text}" for pattern, why in GARBLED_ALT_TEXT.items() if re.search(pattern, text, re.I)
        ]
    assert not bad, "\n".join(bad)
