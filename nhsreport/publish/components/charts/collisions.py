"""Labels that run into each other: the box of every piece of text in a chart's SVG (as vl-convert
draws it), measured with the advance widths of the font the chart prints in (DejaVu Sans), and the
pairs of boxes that overlap.

vl-convert writes each text as ``<text transform="translate(x,y)" text-anchor=… font-size=…>`` on
its alphabetic baseline, inside groups that are themselves translated; a rotated text (an axis
title) says ``rotate(-90)``; a label hidden so as not to overlap another is drawn with opacity 0.
A text drawn twice at one place (a white halo under its label) is one
box."""

from __future__ import annotations

import functools
import math
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

#: where the font of the charts is looked for (the Debian package fonts-dejavu-core)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/dejavu"))
#: a character's width when the font file is not found, in em (DejaVu Sans averages about this)
FALLBACK_EM = 0.6
#: how far DejaVu Sans draws above its baseline (letters with ascenders, capitals and digits; other
#: lower-case letters) and below it (letters with descenders, brackets and commas), in em
ASCENT_EM, X_HEIGHT_EM, DESCENT_EM = 0.76, 0.56, 0.24
_TALL = re.compile(r"[A-Z0-9bdfhklt%£$&@#?!/()\[\]{}|'\"]")
_DEEP = re.compile(r"[gjpqy,;()\[\]{}|/]")
#: two texts side by side closer than this (pixels) run together ("0.0 0.2" read as one number)
MIN_GAP_PX = 3.0
#: two texts one above the other collide when they overlap by more than this (pixels)
TOLERANCE_PX = 0.5

_SVG = "{http://www.w3.org/2000/svg}"
_STEP = re.compile(r"(translate|rotate)\(([^)]*)\)")


class TextBox(NamedTuple):
    """One text of a chart: its words and its box in the chart's pixels (y downwards), and whether
    a halo wide enough to hide a line under it is drawn with it (:data:`HALO_MIN_PX`)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    haloed: bool = False


#: a white outline at least this wide under a label closes the gaps between its letters: a rule
#: under it stops at the label rather than striking through
HALO_MIN_PX = 4.0


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, int], int] | None:
    """``({code point: advance width}, units per em)`` of DejaVu Sans (Bold), read from the font
    file's ``cmap`` (format 4) and ``hmtx`` tables; ``None`` when the file is not installed."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = next((d / name for d in FONT_DIRS if (d / name).is_file()), None)
    if path is None:
        return None
    font = path.read_bytes()
    (n_tables,) = struct.unpack(">H", font[4:6])
    tables = {}
    for i in range(n_tables):
        tag, _, offset, _ = struct.unpack(">4sIII", font[12 + 16 * i : 28 + 16 * i])
        tables[tag.decode()] = offset
    (units,) = struct.unpack(">H", font[tables["head"] + 18 : tables["head"] + 20])
    (n_metrics,) = struct.unpack(">H", font[tables["hhea"] + 34 : tables["hhea"] + 36])
    widths = [
        struct.unpack(">H", font[tables["hmtx"] + 4 * i : tables["hmtx"] + 4 * i + 2])[0] for i in range(n_metrics)
    ]
    return {code: widths[min(glyph, n_metrics - 1)] for code, glyph in _cmap4(font, tables["cmap"]).items()}, units


def _cmap4(font: bytes, cmap: int) -> dict[int, int]:
    """``{code point: glyph}`` of the Unicode BMP subtable (format 4) of a font's ``cmap``."""
    (n_sub,) = struct.unpack(">H", font[cmap + 2 : cmap + 4])
    for i in range(n_sub):
        platform, encoding, offset = struct.unpack(">HHI", font[cmap + 4 + 8 * i : cmap + 12 + 8 * i])
        sub = cmap + offset
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack(">H", font[sub : sub + 2])[0] == 4:
            break
    else:
        return {}
    (seg2,) = struct.unpack(">H", font[sub + 6 : sub + 8])
    ends = struct.unpack(f">{seg2 // 2}H", font[sub + 14 : sub + 14 + seg2])
    starts = struct.unpack(f">{seg2 // 2}H", font[sub + 16 + seg2 : sub + 16 + 2 * seg2])
    deltas = struct.unpack(f">{seg2 // 2}h", font[sub + 16 + 2 * seg2 : sub + 16 + 3 * seg2])
    range_at = sub + 16 + 3 * seg2
    out = {}
    for k, (start, end) in enumerate(zip(starts, ends)):
        offset = struct.unpack(">H", font[range_at + 2 * k : range_at + 2 * k + 2])[0]
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                glyph = (code + deltas[k]) & 0xFFFF
            else:
                at = range_at + 2 * k + offset + 2 * (code - start)
                glyph = struct.unpack(">H", font[at : at + 2])[0]
                glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
            out[code] = glyph
    return out


def text_width(text: str, size_px: float, bold: bool = False) -> float:
    """The width of ``text`` set in DejaVu Sans at ``size_px`` (its advance widths; a character
    the font lacks, or every character when the font is not installed, at :data:`FALLBACK_EM`)."""
    metrics = _advances(bold)
    if metrics is None:
        return len(text) * FALLBACK_EM * size_px
    widths, units = metrics
    return sum(widths.get(ord(ch), FALLBACK_EM * units) for ch in text) * size_px / units


def label_boxes(
    xs, texts, aligns, ys, size_px: float, dx: float, clear: float
) -> list[tuple[float, float, float, float]]:
    """The boxes ``(left, right, low, high)`` of labels set beside their marks: a label of text
    ``texts[i]`` at pixel ``xs[i]``, ``dx`` pixels to the right of it (``aligns[i]`` "left") or to its
    left ("right"), at height ``ys[i]`` in data units, ``clear`` data units above and below."""
    boxes = []
    for x, text, align, y in zip(xs, texts, aligns, ys):
        width = text_width(str(text), size_px) + 2
        left = x + dx if align == "left" else x - dx - width
        boxes.append((left, left + width, y - clear, y + clear))
    return boxes


def rule_pieces(xs, keys, bottoms, tops, boxes) -> list[dict]:
    """Vertical rules at pixels ``xs`` from ``bottoms`` to ``tops`` (data units), cut where they
    would cross one of ``boxes`` (:func:`label_boxes`): one dict per piece (``date``: the rule's
    ``keys`` value, ``y0``, ``y1``), so that no rule runs through a label."""
    rows = []
    for x, key, bottom, top in zip(xs, keys, bottoms, tops):
        bottom, top = float(bottom), float(top)
        cuts = sorted((lo, hi) for left, right, lo, hi in boxes if left <= x <= right and hi > bottom and lo < top)
        for lo, hi in cuts:
            if lo > bottom:
                rows.append({"date": key, "y0": bottom, "y1": lo})
            bottom = max(bottom, hi)
        if top > bottom:
            rows.append({"date": key, "y0": bottom, "y1": top})
    return rows


def _matrix(transform: str) -> tuple[float, ...]:
    """The affine matrix ``(a, b, c, d, e, f)`` of an SVG ``transform`` of translations and rotations."""
    a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    for kind, args in _STEP.findall(transform):
        nums = [float(v) for v in re.split(r"[ ,]+", args.strip()) if v]
        if kind == "translate":
            tx, ty = nums[0], nums[1] if len(nums) > 1 else 0.0
            e, f = a * tx + c * ty + e, b * tx + d * ty + f
        else:
            cos, sin = math.cos(math.radians(nums[0])), math.sin(math.radians(nums[0]))
            a, b, c, d = a * cos + c * sin, b * cos + d * sin, c * cos - a * sin, d * cos - b * sin
    return a, b, c, d, e, f


def _height(line: str) -> float:
    """How far ``line`` rises above its baseline, in em."""
    return ASCENT_EM if _TALL.search(line) else X_HEIGHT_EM


def _box(node: ET.Element, x: float, y: float) -> list[TextBox]:
    """The boxes of one ``<text>`` whose group starts at ``(x, y)``: one a line (``tspan``), each
    the upright box around the line as its ``transform`` places it (rotated or not)."""
    size = float(re.sub(r"px$", "", node.get("font-size", "11")))
    bold = node.get("font-weight") in ("bold", "700", "800", "900")
    a, b, c, d, e, f = _matrix(node.get("transform", ""))
    spans = node.findall(f"{_SVG}tspan")
    lines = [(t.text or "", float(t.get("dy", 0))) for t in spans] or [(node.text or "", 0.0)]
    anchor = node.get("text-anchor", "start")
    out, baseline = [], 0.0
    for line, dy in lines:
        baseline += dy
        if not line.strip():
            continue
        width = text_width(line, size, bold)
        left = {"middle": -width / 2, "end": -width}.get(anchor, 0.0)
        corners = [
            (x + a * u + c * v + e, y + b * u + d * v + f)
            for u in (left, left + width)
            for v in (baseline - _height(line) * size, baseline + (DESCENT_EM * size if _DEEP.search(line) else 0.0))
        ]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        out.append(TextBox(line, min(xs), min(ys), max(xs), max(ys)))
    return out


def text_boxes(svg: str) -> list[TextBox]:
    """Every text of ``svg`` (a chart as vl-convert draws it) as a box in the chart's pixels; a
    text drawn more than once at one place (a halo and its label) counts once."""
    root = ET.fromstring(svg)
    found: dict[tuple, TextBox] = {}

    def walk(node: ET.Element, x: float, y: float) -> None:
        if node.tag == f"{_SVG}text":
            if node.get("opacity") == "0" or node.get("fill") in ("none", "transparent"):
                return  # a label Vega hid (labelOverlap) stays in the SVG, unseen
            halo = node.get("stroke") not in (None, "none") and float(node.get("stroke-width", 1)) >= HALO_MIN_PX
            for box in _box(node, x, y):
                key = (box.text, round(box.left, 1), round(box.top, 1))
                if key not in found or halo:
                    found[key] = box._replace(haloed=halo or (key in found and found[key].haloed))
            return
        dx, dy = _matrix(node.get("transform", ""))[4:] if node.tag == f"{_SVG}g" else (0.0, 0.0)
        for child in node:
            walk(child, x + dx, y + dy)

    walk(root, 0.0, 0.0)
    return list(found.values())


def collisions(svg: str, min_gap: float = MIN_GAP_PX, tolerance: float = TOLERANCE_PX) -> list[tuple[str, str]]:
    """The pairs of texts in ``svg`` that print over each other or run together: boxes that overlap
    by more than ``tolerance`` pixels down and come closer than ``min_gap`` pixels across."""
    boxes = sorted(text_boxes(svg), key=lambda b: b.left)
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if b.left >= a.right + min_gap:
                break
            if min(a.bottom, b.bottom) - max(a.top, b.top) > tolerance:
                pairs.append((a.text, b.text))
    return pairs


def rule_segments(svg: str) -> list[tuple[float, float, float, float]]:
    """The lines of the rule marks of ``svg`` (not axes, ticks or grid lines), as
    ``(x1, y1, x2, y2)`` in the chart's pixels."""
    root = ET.fromstring(svg)
    found = []

    def walk(node: ET.Element, x: float, y: float, in_rule: bool) -> None:
        in_rule = in_rule or ("mark-rule" in node.get("class", "") and "role-mark" in node.get("class", ""))
        if node.tag == f"{_SVG}line" and in_rule:
            a, b, c, d, e, f = _matrix(node.get("transform", ""))
            ends = [(float(node.get(f"x{i}", 0)), float(node.get(f"y{i}", 0))) for i in (1, 2)]
            (x1, y1), (x2, y2) = [(x + a * u + c * v + e, y + b * u + d * v + f) for u, v in ends]
            found.append((x1, y1, x2, y2))
            return
        dx, dy = _matrix(node.get("transform", ""))[4:] if node.tag == f"{_SVG}g" else (0.0, 0.0)
        for child in node:
            walk(child, x + dx, y + dy, in_rule)

    walk(root, 0.0, 0.0, False)
    return found


def _crosses(segment: tuple[float, float, float, float], box: TextBox, inset: float) -> bool:
    """Whether a line passes through ``box`` shrunk by ``inset`` on every side (Liang–Barsky)."""
    x1, y1, x2, y2 = segment
    lo, hi = 0.0, 1.0
    for p, q in (
        (x1 - x2, x1 - (box.left + inset)),
        (x2 - x1, (box.right - inset) - x1),
        (y1 - y2, y1 - (box.top + inset)),
        (y2 - y1, (box.bottom - inset) - y1),
    ):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            lo = max(lo, q / p)
        else:
            hi = min(hi, q / p)
    return lo <= hi


def struck_labels(svg: str, inset: float = 1.0) -> list[str]:
    """The texts of ``svg`` that a rule mark (a median, an event's stem, another label's leader
    line) strikes through: lines that cross a text's box (shrunk by ``inset`` pixels, so that a line
    ending at its label's edge does not count; a leader ending inside its own label is drawn under
    it) where no halo (:data:`HALO_MIN_PX`) stops them."""
    boxes = [b for b in text_boxes(svg) if not b.haloed]
    return sorted(
        {b.text for seg in rule_segments(svg) for b in boxes if _crosses(seg, b, inset) and not _ends_in(seg, b)}
    )


def _ends_in(segment: tuple[float, float, float, float], box: TextBox) -> bool:
    """Whether a line ends inside ``box``: a leader line drawn to its own label, under it."""
    x1, y1, x2, y2 = segment
    return any(box.left <= x <= box.right and box.top <= y <= box.bottom for x, y in ((x1, y1), (x2, y2)))
