"""Colours that hold for every reader: each categorical colour of the report has at least 3:1
contrast against the white page (WCAG 1.4.11), and any two colours of one palette stay apart in
CAM02-UCS for normal vision and for simulated deuteranopia, protanopia and tritanopia (Machado,
Oliveira and Fernandes 2009, at full severity, as colorspacious implements it) — on the report's
shared palettes, and on every categorical colour scale of every chart in the built book."""

from __future__ import annotations

import functools
import itertools
import json
import re

import numpy as np
import pytest

from nhsreport.publish.components import charts
from tests.helpers import spec_units

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


HOLLOW = "#FFFFFF"


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
        # white is a hollow mark, drawn inside an outline that the check of the marks as drawn
        # (test_every_mark_in_the_site_has_3_to_1_as_drawn) requires to have 3:1
        bad += problems(where, rng, exempt=(charts.BACKGROUND, HOLLOW))
    assert not bad, "\n".join(bad)


def _light_fills(mark: dict, enc: dict) -> list[str]:
    """The explicit fill colours of a mark (its own, its encoding's values and conditions, the range
    of its colour scale) that have less than 3:1 against the page."""
    return [c for c in _fills(mark, enc) if contrast(c) < MIN_CONTRAST]


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


# Vega-Lite draws these marks at 0.7 opacity unless the mark or the config says otherwise
_DEFAULT_OPACITY = {"point": 0.7, "circle": 0.7, "square": 0.7, "tick": 0.7}
_WHITE = np.ones(3)


def _alpha(mark: dict, enc: dict, config: dict) -> float:
    """How opaque a mark's fill is drawn: its opacity (the mark's, its encoding's smallest value, the
    config's for its type, or Vega-Lite's default) times its fill opacity."""
    kind = mark.get("type")
    opacity = mark.get("opacity", (config.get(kind) or {}).get("opacity", _DEFAULT_OPACITY.get(kind, 1.0)))
    o = enc.get("opacity")
    if isinstance(o, dict):
        values = [o.get("value"), (o.get("condition") or {}).get("value")]
        opacity = min([v for v in values if isinstance(v, (int, float))], default=opacity)
    return float(opacity) * float(mark.get("fillOpacity", 1.0))


def composited(colour: str, alpha: float) -> str:
    """``colour`` drawn at ``alpha`` over the white page, as a hex colour."""
    rgb = alpha * _rgb(colour) + (1 - alpha) * _WHITE
    return "#" + "".join(f"{round(255 * c):02X}" for c in rgb)


def _fills(mark: dict, enc: dict) -> list[str]:
    """The explicit colours a mark is filled (or, for a line, drawn) with."""
    found = [mark.get("fill"), mark.get("color")]
    for channel in ("color", "fill"):
        c = enc.get(channel)
        if isinstance(c, dict):
            found += [c.get("value"), (c.get("condition") or {}).get("value")]
            found += (c.get("scale") or {}).get("range") or [] if isinstance(c.get("scale"), dict) else []
    return [c for c in found if isinstance(c, str) and c.startswith("#")]


def _rule_problems(mark: dict, enc: dict, config: dict, where: str) -> list[str]:
    """A rule (a stem, a connector, a zero line) drawn in a colour under 3:1 against the page."""
    colours = [mark.get("stroke"), mark.get("color"), (config.get("rule") or {}).get("color")]
    colours += [(enc.get(c) or {}).get("value") for c in ("color", "stroke") if isinstance(enc.get(c), dict)]
    colours = [c for c in colours if isinstance(c, str) and c.startswith("#")][:1]
    opacity = float(mark.get("opacity", mark.get("strokeOpacity", 1.0)))
    return [
        f"{where}: rule drawn in {composited(c, opacity)} ({c} at opacity {opacity:g}), under 3:1"
        for c in colours
        if contrast(composited(c, opacity)) < MIN_CONTRAST
    ]


@functools.cache
def palest_shade(scheme: str) -> str:
    """The palest colour Vega draws from a colour scheme (named, or a dict with its extent)."""
    import vl_convert as vlc

    spec = {
        "data": {"values": [{"v": i / 20} for i in range(21)]},
        "mark": "rect",
        "encoding": {
            "x": {"field": "v", "type": "ordinal"},
            "color": {"field": "v", "type": "quantitative", "scale": {"scheme": json.loads(scheme), "domain": [0, 1]}},
        },
    }
    fills = re.findall(r'fill="rgb\((\d+), (\d+), (\d+)\)"', vlc.vegalite_to_svg(json.dumps(spec)))
    shades = ["#" + "".join(f"{int(c):02X}" for c in f) for f in fills]
    return min(shades, key=contrast)


def _scheme_fills(mark: dict, enc: dict) -> list[str]:
    """The palest shade of a rect (a heat map's cell) shaded by a quantity from a colour scheme."""
    colour = enc.get("color") or enc.get("fill")
    if mark.get("type") != "rect" or not isinstance(colour, dict) or colour.get("type") != "quantitative":
        return []
    scheme = (colour.get("scale") or {}).get("scheme", charts.SEQUENTIAL)
    return [palest_shade(json.dumps(scheme))]


def mark_contrast_problems(spec: dict, where: str) -> list[str]:
    """Marks of a Vega-Lite spec that, as drawn on the white page (their colour at their opacity),
    have less than 3:1 against it without an outline that makes up for it (3:1, at least one pixel
    wide); and outlines of context marks thinner than a pixel (WCAG 1.4.11)."""
    bad, config = [], spec.get("config", {})
    for mark, enc in _marks(spec):
        kind = mark.get("type")
        if kind == "rule":
            bad += _rule_problems(mark, enc, config, where)
            continue
        if kind == "text" or mark.get("fill") is None and "fill" in mark and kind == "geoshape":
            continue
        alpha = _alpha(mark, enc, config)
        faint = [(c, composited(c, alpha)) for c in _fills(mark, enc) + _scheme_fills(mark, enc)]
        faint = [(c, drawn) for c, drawn in faint if contrast(drawn) < MIN_CONTRAST]
        width = mark.get("strokeWidth", 1)
        outlines = [s for s in _outlines(mark, enc) if s.startswith("#") and contrast(s) >= MIN_CONTRAST]
        if faint and kind in ("line", "trail"):
            bad.append(f"{where}: {kind} drawn in {faint[0][1]} ({faint[0][0]} at opacity {alpha:g})")
        elif faint and not (outlines and width >= charts.MIN_OUTLINE_PX):
            c, drawn = faint[0]
            bad.append(
                f"{where}: {kind} mark drawn in {drawn} ({c} at opacity {alpha:g}) "
                f"has no outline of 3:1 at least {charts.MIN_OUTLINE_PX:g} px wide"
            )
        elif outlines and faint and width < charts.MIN_OUTLINE_PX:
            bad.append(f"{where}: {kind} mark's outline is {width} px wide")
    return bad


def context_mark_problems(spec: dict, where: str) -> list[str]:
    """Marks drawn under 3:1 against the page (context such as "the other boards", or data drawn
    semi-transparent) without an outline of 3:1 at least a pixel wide (:func:`mark_contrast_problems`)."""
    return mark_contrast_problems(spec, where)


def _shaded_map_problems(spec: dict, where: str) -> list[str]:
    """Maps shaded by a quantity: drawn from :data:`charts.SEQUENTIAL_MAP` (every shade 3:1 against
    white) with borders of :data:`charts.MAP_BORDER`."""
    bad = []
    for mark, enc in _marks(spec):
        colour = enc.get("color") or enc.get("fill")
        if mark.get("type") != "geoshape" or not isinstance(colour, dict) or colour.get("type") != "quantitative":
            continue
        scheme = (colour.get("scale") or {}).get("scheme")
        if scheme != charts.SEQUENTIAL_MAP:
            bad.append(f"{where}: map shaded in {scheme!r}, not the scheme with 3:1 against its white borders")
        if mark.get("stroke") != charts.MAP_BORDER["stroke"] or mark.get("strokeWidth", 1) < charts.MIN_OUTLINE_PX:
            bad.append(f"{where}: map borders {mark.get('stroke')} at {mark.get('strokeWidth')} px")
    return bad


def test_the_context_check_catches_an_unoutlined_light_mark():
    light = {"mark": {"type": "geoshape", "fill": charts.BACKGROUND, "stroke": "white"}}
    outlined = {"mark": {"type": "geoshape", "fill": charts.BACKGROUND, "stroke": charts.BACKGROUND_OUTLINE}}
    assert context_mark_problems(light, "old") and not context_mark_problems(outlined, "new")
    assert contrast(charts.BACKGROUND_OUTLINE) >= MIN_CONTRAST
    thin = {
        "mark": {"type": "geoshape", "fill": charts.BACKGROUND, "stroke": charts.BACKGROUND_OUTLINE, "strokeWidth": 0.3}
    }
    assert context_mark_problems(thin, "thin"), "an outline of 0.3 px draws paler than its colour"


def test_the_contrast_check_composites_semi_transparent_marks_over_white():
    assert composited("#000000", 0.5) == "#808080"
    assert composited("#D55E00", 1.0) == "#D55E00"
    # Vega-Lite's default 0.7 opacity for points: orange drawn at 2.6:1
    points = {"mark": {"type": "point"}, "encoding": {"color": {"value": "#D55E00"}}}
    assert context_mark_problems(points, "default opacity")
    points["config"] = {"point": {"opacity": 1}}
    assert not context_mark_problems(points, "opaque by the theme")
    band = {"mark": {"type": "area", "fillOpacity": 0.25, "color": charts.PALETTE[0]}}
    assert context_mark_problems(band, "a pale band")
    band["mark"].update(stroke=charts.PALETTE[0], strokeWidth=1)
    assert not context_mark_problems(band, "a pale band with its edges drawn")
    faint_line = {"mark": {"type": "line", "opacity": 0.4, "color": "#0072B2"}}
    assert context_mark_problems(faint_line, "a faint line")


def test_the_contrast_check_catches_pale_rules_and_heat_map_cells():
    """Rules (timeline stems, connectors, zero lines) need 3:1 against the page; so do the cells of a
    heat map shaded from a scheme whose palest shade is pale, unless an outline of 3:1 draws them."""
    for pale in ("#bbbbbb", "#999"):
        assert context_mark_problems({"mark": {"type": "rule", "color": pale}}, "pale rule")
    assert not context_mark_problems({"mark": {"type": "rule", "color": charts.BACKGROUND_OUTLINE}}, "grey rule")
    assert context_mark_problems({"mark": {"type": "rule", "color": "#000", "opacity": 0.2}}, "faint rule")
    shaded = {"type": "quantitative", "field": "n", "scale": {"scheme": charts.SEQUENTIAL}}
    cells = {"mark": {"type": "rect", "stroke": "white"}, "encoding": {"color": shaded}}
    assert context_mark_problems(cells, "pale cells, white edges")
    cells["mark"].update(stroke=charts.BACKGROUND_OUTLINE, strokeWidth=charts.MIN_OUTLINE_PX)
    assert not context_mark_problems(cells, "pale cells outlined in grey")
    dark = {
        "mark": {"type": "rect", "stroke": "white"},
        "encoding": {"color": {**shaded, "scale": {"scheme": charts.SEQUENTIAL_MAP}}},
    }
    assert not context_mark_problems(dark, "the darker part of the scheme")


def test_every_shade_of_the_map_scheme_has_3_to_1_against_white():
    """The palest shade of :data:`charts.SEQUENTIAL_MAP`, as Vega draws it, has 3:1 against white
    (so against the maps' white borders and the page); the full scheme's palest does not."""

    def palest(scheme) -> str:
        return palest_shade(json.dumps(scheme))

    assert contrast(palest(charts.SEQUENTIAL_MAP)) >= MIN_CONTRAST
    assert contrast(palest(charts.SEQUENTIAL)) < MIN_CONTRAST
    assert charts.MAP_BORDER["stroke"] == "white"  # as the page around the map


def _site_specs(html_book):
    specs = re.compile(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', re.S)
    pages = sorted((html_book / "book").glob("*.html")) + sorted((html_book / "book" / "systems").glob("*.html"))
    for page in pages:
        for i, payload in enumerate(specs.findall(page.read_text(encoding="utf-8"))):
            yield f"{page.name} chart {i + 1}", json.loads(payload.replace("<\\/", "</"))


@pytest.mark.slow
def test_every_mark_in_the_site_has_3_to_1_as_drawn(html_book):
    """Every mark of every chart of the chapters and the system profiles, as drawn (its colour at
    its opacity, over the white page), has 3:1 against the page or an outline of 3:1 at least a
    pixel wide; every map shaded by a quantity has white borders with 3:1 against every shade
    (WCAG 1.4.11)."""
    bad, checked = [], 0
    for where, spec in _site_specs(html_book):
        checked += 1
        bad += mark_contrast_problems(spec, where) + _shaded_map_problems(spec, where)
    assert checked > 100
    assert not bad, "\n".join(bad[:20])


def unedged_stacks(spec: dict) -> list[str]:
    """Stacked bars and areas (two or more categories of a colour field at one place) whose layers
    meet with no edge: adjacent colours may have under 3:1 against each other, so each layer needs
    an edge (white, as the page) at least a pixel wide (WCAG 1.4.11)."""
    bad = []
    for (mark, enc), (_, _, rows) in zip(_marks(spec), spec_units(spec)):
        colour = next((enc[c] for c in ("color", "fill") if isinstance(enc.get(c), dict)), None)
        if mark.get("type") not in ("bar", "area") or not colour or colour.get("type") not in ("nominal", "ordinal"):
            continue
        places = [
            enc[c]["field"]
            for c in ("x", "y", "xOffset", "yOffset", "row", "column")
            if isinstance(enc.get(c), dict) and enc[c].get("field") and enc[c].get("type") != "quantitative"
        ]
        layers: dict = {}
        for r in rows or []:
            layers.setdefault(tuple(r.get(f) for f in places), set()).add(r.get(colour.get("field")))
        stacked = any(len(v) > 1 for v in layers.values())
        edged = isinstance(mark.get("stroke"), str) and mark.get("strokeWidth", 1) >= charts.MIN_OUTLINE_PX
        if stacked and not edged:
            bad.append(f"stacked {mark.get('type')} coloured by {colour.get('field')!r} with no edge between layers")
    return bad


def test_the_edge_check_catches_stacked_bars_without_edges():
    rows = [{"year": 1, "kind": "a", "n": 2}, {"year": 1, "kind": "b", "n": 3}]
    enc = {
        "x": {"field": "year", "type": "ordinal"},
        "y": {"field": "n", "type": "quantitative"},
        "color": {"field": "kind", "type": "nominal"},
    }
    stack = {"data": {"values": rows}, "mark": {"type": "bar"}, "encoding": enc}
    assert unedged_stacks(stack)
    assert not unedged_stacks({**stack, "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1}})
    side_by_side = {**stack, "encoding": {**enc, "xOffset": {"field": "kind", "type": "nominal"}}}
    assert not unedged_stacks(side_by_side), "bars side by side are not stacked"


@pytest.mark.slow
def test_stacked_bars_and_areas_have_edges_between_their_layers(html_book):
    bad = []
    for where, spec in _site_specs(html_book):
        name = spec.get("usermeta", {}).get("nhsreport", {}).get("name", "")
        bad += [f"{where} ({name}): {p}" for p in unedged_stacks(spec)]
    assert not bad, "\n".join(bad[:20])


def _cell_fills(colour: dict, values: list[float]) -> list[str]:
    """The fill Vega draws for each value of a heat map's quantitative colour encoding."""
    import vl_convert as vlc

    spec = {
        "data": {"values": [{"i": i, "v": v} for i, v in enumerate(values)]},
        "mark": "rect",
        "encoding": {"x": {"field": "i", "type": "ordinal"}, "color": {**colour, "field": "v"}},
    }
    fills = re.findall(r'fill="rgb\((\d+), (\d+), (\d+)\)"', vlc.vegalite_to_svg(json.dumps(spec)))
    return ["#" + "".join(f"{int(c):02X}" for c in f) for f in fills[-len(values) :]]


@pytest.mark.slow
def test_the_counts_in_the_vanguards_grid_keep_4_5_to_1_on_their_cells(html_book):
    """The heat map of vanguards by region and type prints each cell's count in black or white
    (by a threshold): each count has 4.5:1 against the fill of its cell (WCAG 1.4.3)."""
    spec = next(
        s
        for _, s in _site_specs(html_book)
        if s.get("usermeta", {}).get("nhsreport", {}).get("name") == "fig-int-vanguards"
    )
    units = list(spec_units(spec))
    cells = next(enc for mark, enc, _ in units if mark == "rect")
    text = next(enc for mark, enc, _ in units if mark == "text" and (enc.get("color") or {}).get("condition"))
    rows = next(rows for mark, _, rows in units if mark == "rect" and rows)
    field = cells["color"]["field"]
    values = [r[field] for r in rows]
    test = text["color"]["condition"]["test"]
    threshold = float(re.search(r">=\s*([\d.]+)", test).group(1))
    on, off = text["color"]["condition"]["value"], text["color"]["value"]
    colour = {k: v for k, v in cells["color"].items() if k in ("type", "scale")}
    bad = []
    for value, fill in zip(values, _cell_fills(colour, values)):
        ink = on if value >= threshold else off
        ink = {"white": "#FFFFFF", "black": "#000000"}.get(ink, ink)
        ratio = max(contrast(ink), contrast(fill)) / min(contrast(ink), contrast(fill))
        if ratio < 4.5:
            bad.append(f"{value} in {ink} on {fill}: {ratio:.2f}:1")
    assert len(values) >= 10
    assert not bad, bad


# Charts allowed to tell categories apart by colour alone, each with its reason (none today).
COLOUR_ALONE_EXCEPTIONS: dict[str, str] = {}
# an offset (xOffset, yOffset) is no second cue: it orders the bars within a group, but nothing on
# the chart says which place is which category
_SECOND_CHANNELS = ("x", "y", "row", "column", "facet", "shape", "strokeDash")


def _lightness_apart(colour: dict, domain) -> bool:
    """Whether every two colours of a scale's range differ in lightness by 3:1 or more (as a hollow
    bar and a filled one do): a difference WCAG's Understanding of 1.4.1 counts as a second cue."""
    rng = (colour.get("scale") or {}).get("range")
    if not isinstance(rng, list) or not all(isinstance(c, str) and c.startswith("#") for c in rng):
        return False
    used = rng[: len(domain)] if domain else rng
    lum = sorted(used, key=contrast)
    return len(used) > 1 and all(contrast(b) / contrast(a) >= MIN_CONTRAST for a, b in zip(lum, lum[1:]))


def colour_alone(spec: dict) -> list[str]:
    """Marks of a chart that encode a field of two or more categories in colour with no second cue
    for it (WCAG 1.4.1): a position or facet, a shape or dash pattern (on the mark, or on a layer of
    markers for the same field), or text that names every category on the chart."""
    units = list(spec_units(spec))
    cued, labelled = set(), set()
    for node in (spec, spec.get("facet")):
        if isinstance(node, dict):
            cued |= {f.get("field") for f in (node.get(k) for k in ("row", "column")) if isinstance(f, dict)}
            cued.add(node.get("field"))
    for mark, enc, rows in units:
        cued |= {enc[c].get("field") for c in ("shape", "strokeDash") if isinstance(enc.get(c), dict)}
        if mark == "text" and isinstance(enc.get("text"), dict):
            field = enc["text"].get("field")
            cued.add(field)  # text of the same field names the categories where they are drawn
            labelled.update(str(r.get(field)) for r in rows or [] if isinstance(r, dict))
    problems = []
    for mark, enc, rows in units:
        colour = next(
            (
                enc[c]
                for c in ("color", "fill", "stroke")
                if isinstance(enc.get(c), dict) and enc[c].get("type") in ("nominal", "ordinal") and enc[c].get("field")
            ),
            None,
        )
        if mark in ("text", "rule") or colour is None:
            continue
        field = colour["field"]
        own = {enc[c].get("field") for c in _SECOND_CHANNELS if isinstance(enc.get(c), dict)}
        domain = (colour.get("scale") or {}).get("domain")
        drawn = {str(r.get(field)) for r in rows or [] if isinstance(r, dict)}
        if drawn:  # the categories the mark draws (a scale's domain may name more)
            domain = sorted(drawn if not isinstance(domain, list) else drawn & {str(d) for d in domain})
        elif not isinstance(domain, list):
            domain = None
        if domain is not None and len(domain) <= 1:
            continue
        if field in own or field in cued or (domain and all(str(d) in labelled for d in domain)):
            continue
        if _lightness_apart(colour, domain):
            continue
        problems.append(f"{mark} coloured by {field!r} alone")
    return problems


def test_the_colour_alone_check_catches_colour_only_categories():
    bars = {
        "mark": "bar",
        "encoding": {
            "x": {"field": "year", "type": "ordinal"},
            "color": {"field": "g", "type": "nominal", "scale": {"domain": ["a", "b"]}},
        },
    }
    assert colour_alone(bars) == ["bar coloured by 'g' alone"]
    assert colour_alone(charts.second_cues({**bars, "mark": "line"})) == [], "lines take a dash pattern"
    one = {
        **bars,
        "encoding": {**bars["encoding"], "color": {"field": "g", "type": "nominal", "scale": {"domain": ["a"]}}},
    }
    assert colour_alone(one) == [], "one category needs no cue"
    names = {"mark": "text", "data": {"values": [{"g": "a"}, {"g": "b"}]}, "encoding": {"text": {"field": "g"}}}
    assert colour_alone({"layer": [bars, names]}) == [], "every category named on the chart"
    marker = {"mark": "point", "encoding": {"shape": {"field": "g", "type": "nominal"}}}
    assert colour_alone({"layer": [bars, marker]}) == [], "a layer of markers for the same categories"
    rows = {**bars, "encoding": {**bars["encoding"], "row": {"field": "g", "type": "nominal"}}}
    assert colour_alone(rows) == [], "one row of bars for each category"
    # two years side by side in each group: the offset orders them, but only the colour says which is which
    grouped = {**bars, "encoding": {**bars["encoding"], "yOffset": {"field": "g", "type": "nominal"}}}
    grouped["encoding"]["color"] = {**grouped["encoding"]["color"], "scale": {"range": ["#6E6E6E", "#0072B2"]}}
    assert colour_alone(grouped) == ["bar coloured by 'g' alone"], "an offset names nothing"
    grouped["encoding"]["color"]["scale"]["range"] = ["#FFFFFF", "#004B87"]
    assert colour_alone(grouped) == [], "one year hollow, the other filled"


@pytest.mark.slow
def test_no_chart_in_the_site_tells_categories_apart_by_colour_alone(html_book):
    """Every chart of the chapters and the system profiles gives the categories it colours a
    second cue (WCAG 1.4.1), but for the named exceptions."""
    bad, checked = [], 0
    for where, spec in _site_specs(html_book):
        checked += 1
        name = spec.get("usermeta", {}).get("nhsreport", {}).get("name", "")
        if name not in COLOUR_ALONE_EXCEPTIONS:
            bad += [f"{where} ({name}): {p}" for p in colour_alone(spec)]
    assert checked > 100
    assert not bad, "\n".join(bad[:20])
