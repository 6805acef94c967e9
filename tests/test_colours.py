"""Colours that hold for every reader: each categorical colour of the report has at least 3:1
contrast against the white page (WCAG 1.4.11), and any two colours of one palette stay apart in
CAM02-UCS for normal vision and for simulated deuteranopia, protanopia and tritanopia (Machado,
Oliveira and Fernandes 2009, at full severity, as colorspacious implements it) — on the report's
shared palettes, and on every categorical colour scale of every chart in the built book."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest

from nhsreport.publish.components import charts

colorspacious = pytest.importorskip("colorspacious")

MIN_CONTRAST = 3.0
# CAM02-UCS distance below which two colours are hard to tell apart at chart mark size; Okabe
# and Ito's palette, designed for colour-blind readers, keeps at least 11 under every deficiency
MIN_DISTANCE = 10.0
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)]) / 255


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def lum(c):
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(c @ np.array([0.2126, 0.7152, 0.0722]))

    la, lb = sorted((lum(_rgb(a)), lum(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def distances(palette: list[str]) -> dict[str, tuple[float, str, str]]:
    """For normal vision and each simulated deficiency: the smallest CAM02-UCS distance between
    two colours of ``palette``, and which two."""
    rgb = np.array([_rgb(c) for c in palette])
    views = {"normal vision": rgb}
    for cvd in DEFICIENCIES:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        views[cvd] = np.clip(colorspacious.cspace_convert(rgb, space, "sRGB1"), 0, 1)
    out = {}
    for name, view in views.items():
        ucs = colorspacious.cspace_convert(view, "sRGB1", "CAM02-UCS")
        out[name] = min(
            (float(np.linalg.norm(ucs[i] - ucs[j])), palette[i], palette[j])
            for i, j in itertools.combinations(range(len(palette)), 2)
        )
    return out


def problems(name: str, palette: list[str], exempt=(charts.BACKGROUND,)) -> list[str]:
    palette = list(dict.fromkeys(c.upper() for c in palette))
    found = [
        f"{name}: {c} has contrast {contrast(c):.2f} against white (needs {MIN_CONTRAST})"
        for c in palette
        if c not in exempt and contrast(c) < MIN_CONTRAST
    ]
    if len(palette) > 1:
        for view, (d, a, b) in distances(palette).items():
            if d < MIN_DISTANCE:
                found.append(f"{name}: {a} and {b} are {d:.1f} apart for {view} (needs {MIN_DISTANCE})")
    return found


def test_the_checks_catch_what_they_should():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)
    # red and green merge for deuteranopes; blue and orange do not
    assert distances(["#D00000", "#00A000"])["deuteranomaly"][0] < MIN_DISTANCE
    assert distances(["#D00000", "#00A000"])["normal vision"][0] > MIN_DISTANCE
    assert distances(["#0072B2", "#D55E00"])["deuteranomaly"][0] > MIN_DISTANCE
    # the colours that failed before: yellow, orange and sky blue are too light for a white page
    assert problems("old", ["#F0E442", "#E69F00", "#56B4E9"]) and len(problems("old", ["#F0E442"])) == 1


@pytest.mark.parametrize(
    "name,palette",
    [
        ("PALETTE", charts.PALETTE),
        ("ORG_COLOURS", list(charts.ORG_COLOURS.values())),
        ("areas (PALETTE without black)", [c for c in charts.PALETTE if c != "#000000"]),
    ],
)
def test_shared_palettes(name, palette):
    assert not problems(name, palette), "\n".join(problems(name, palette))


def _colour_scales(node, found, where=""):
    """Every explicit range of a nominal or ordinal colour scale in a Vega-Lite spec."""
    if isinstance(node, dict):
        enc = node.get("encoding", {})
        for channel in ("color", "fill", "stroke"):
            c = enc.get(channel)
            if isinstance(c, dict) and c.get("type") in ("nominal", "ordinal") and isinstance(c.get("scale"), dict):
                rng = c["scale"].get("range")
                if isinstance(rng, list) and all(isinstance(x, str) and x.startswith("#") for x in rng):
                    n = len(c["scale"].get("domain", rng))
                    found.append((f"{where} {c.get('field')}", rng[:n]))
        for v in node.values():
            _colour_scales(v, found, where)
    elif isinstance(node, list):
        for v in node:
            _colour_scales(v, found, where)
    return found


@pytest.mark.slow
def test_every_categorical_scale_in_the_book(html_book):
    specs = re.compile(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', re.S)
    scales, bad = [], []
    for page in sorted((html_book / "book").glob("*.html")):
        for i, payload in enumerate(specs.findall(page.read_text(encoding="utf-8"))):
            spec = json.loads(payload.replace("<\\/", "</"))
            _colour_scales(spec, scales, f"{page.name} chart {i + 1}")
    assert len(scales) >= 10
    for where, rng in scales:
        bad += problems(where, rng)
    assert not bad, "\n".join(bad)


def _light_fills(mark: dict, enc: dict) -> list[str]:
    """The explicit fill colours of a mark (its own, its encoding's values and conditions, the range
    of its colour scale) that have less than 3:1 against the page."""
    found = [mark.get("fill"), mark.get("color")]
    for channel in ("color", "fill"):
        c = enc.get(channel)
        if isinstance(c, dict):
            found += [c.get("value"), (c.get("condition") or {}).get("value")]
            found += (c.get("scale") or {}).get("range") or [] if isinstance(c.get("scale"), dict) else []
    return [c for c in found if isinstance(c, str) and c.startswith("#") and contrast(c) < MIN_CONTRAST]


def _outlines(mark: dict, enc: dict) -> list[str]:
    """The stroke colours a mark is drawn with (its own, or its stroke encoding's values)."""
    s = enc.get("stroke")
    if isinstance(s, dict):
        return [v for v in (s.get("value"), (s.get("condition") or {}).get("value")) if isinstance(v, str)]
    return [mark["stroke"]] if isinstance(mark.get("stroke"), str) and mark.get("strokeWidth", 1) > 0 else []


def _marks(node: dict, encoding=None):
    """Every mark of a spec as ``(mark, encoding)``, with the encoding its layers inherit."""
    encoding = {**(encoding or {}), **node.get("encoding", {})}
    if "mark" in node:
        yield (node["mark"] if isinstance(node["mark"], dict) else {"type": node["mark"]}), encoding
    for child in node.get("layer", []):
        yield from _marks(child, encoding)
    for key in ("vconcat", "hconcat", "concat"):
        for child in node.get(key, []):
            yield from _marks(child)
    if isinstance(node.get("spec"), dict):
        yield from _marks(node["spec"])


def context_mark_problems(spec: dict, where: str) -> list[str]:
    """Marks of a Vega-Lite spec filled in a colour under 3:1 against the page (context, such as
    "the other boards") whose outline does not make up for it (an outline of at least 3:1)."""
    bad = []
    for mark, enc in _marks(spec):
        if mark.get("type") in ("text", "rule"):
            continue
        light = _light_fills(mark, enc)
        outlines = [s for s in _outlines(mark, enc) if s.startswith("#")]  # "white", "none": no outline
        if light and not any(contrast(s) >= MIN_CONTRAST for s in outlines):
            bad.append(f"{where}: {mark.get('type')} mark filled in {light[0]} has no outline of 3:1")
    return bad


def test_the_context_check_catches_an_unoutlined_light_mark():
    light = {"mark": {"type": "geoshape", "fill": charts.BACKGROUND, "stroke": "white"}}
    outlined = {"mark": {"type": "geoshape", "fill": charts.BACKGROUND, "stroke": charts.BACKGROUND_OUTLINE}}
    assert context_mark_problems(light, "old") and not context_mark_problems(outlined, "new")
    assert contrast(charts.BACKGROUND_OUTLINE) >= MIN_CONTRAST


@pytest.mark.slow
def test_every_context_mark_in_the_site_has_3_to_1(html_book):
    """Every light mark ("the other boards", "unchanged") of every chart of the chapters and the
    system profiles has an outline of at least 3:1 against the page (WCAG 1.4.11)."""
    specs = re.compile(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', re.S)
    pages = sorted((html_book / "book").glob("*.html")) + sorted((html_book / "book" / "systems").glob("*.html"))
    bad, checked = [], 0
    for page in pages:
        for i, payload in enumerate(specs.findall(page.read_text(encoding="utf-8"))):
            checked += 1
            bad += context_mark_problems(json.loads(payload.replace("<\\/", "</")), f"{page.name} chart {i + 1}")
    assert checked > 100
    assert not bad, "\n".join(bad[:20])
