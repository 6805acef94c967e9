"""Locator maps for the briefings: England with a London inset, and the area a briefing is about
named on the map.

Boundaries come from the processed TopoJSON (:func:`nhsreport.data.geo`). They are projected here
with the spherical Mercator projection Vega uses (d3's ``geoMercator``) and a scale and translation
fixed here, which the Vega-Lite charts are given too, so the position of every area in the
rendered SVG is known without reading the SVG. That lets the label of each area be placed once,
for all the briefings, where it covers least of the map (:func:`place_label`), and written into
the SVG of each briefing as plain SVG text (:func:`label_svg`). Nothing here draws with Altair;
the labels' font and the width of a rendered SVG are the charts' (:mod:`nhsreport.publish.components.charts`).
"""

from __future__ import annotations

import math
import re
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

from nhsreport.publish.components.charts.print import svg_width
from nhsreport.publish.components.charts.theme import FONT

__all__ = [
    "PT_PER_MM",
    "PX_PER_PT",
    "Projection",
    "project_rings",
    "fill_mask",
    "text_width",
    "wrap",
    "place_label",
    "label_svg",
    "px_for_pt",
    "printed_pt",
    "svg_size",
    "svg_width",
    "label_size",
]

PT_PER_MM = 72 / 25.4
PX_PER_PT = 4 / 3  # CSS pixels per point (an SVG placed at its own size)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height of an SVG document, in its pixels."""
    root = re.search(r"<svg[^>]*>", svg).group(0)
    return tuple(float(re.search(rf'\s{a}="([\d.]+)', root).group(1)) for a in ("width", "height"))


def printed_pt(font_px: float, svg_width_px: float, width_mm: float) -> float:
    """How large text of ``font_px`` prints when an SVG ``svg_width_px`` wide is set ``width_mm``
    wide on the page: the SVG is scaled by the placed width over its own, so a pixel of it
    becomes ``width_mm`` × 72 / 25.4 / ``svg_width_px`` points."""
    return font_px * width_mm * PT_PER_MM / svg_width_px


def px_for_pt(pt: float, svg_width_px: float, width_mm: float) -> float:
    """The font size, in the SVG's pixels, that prints at ``pt`` points when an SVG
    ``svg_width_px`` wide is set ``width_mm`` wide on the page."""
    return pt * svg_width_px / (width_mm * PT_PER_MM)


# ---------------------------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------------------------


class Projection:
    """Spherical Mercator as d3 draws it: ``x = tx + k·λ``, ``y = ty − k·ln tan(π/4 + φ/2)``."""

    def __init__(self, k: float, tx: float, ty: float):
        self.k, self.tx, self.ty = k, tx, ty

    @staticmethod
    def _raw(lonlat: np.ndarray) -> np.ndarray:
        lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
        return np.column_stack([lon, -np.log(np.tan(math.pi / 4 + lat / 2))])

    @classmethod
    def fit(cls, lonlat: np.ndarray, box: tuple[float, float, float, float]) -> Projection:
        """The projection that fits the points ``lonlat`` in ``box`` (x, y, width, height), centred
        (d3's ``fitExtent``)."""
        x, y, w, h = box
        p = cls._raw(lonlat)
        (x0, y0), (x1, y1) = p.min(axis=0), p.max(axis=0)
        k = min(w / (x1 - x0), h / (y1 - y0))
        return cls(k, x + (w - k * (x0 + x1)) / 2, y + (h - k * (y0 + y1)) / 2)

    def __call__(self, lonlat: np.ndarray) -> np.ndarray:
        return self._raw(np.atleast_2d(lonlat)) * self.k + [self.tx, self.ty]

    def vega(self) -> dict:
        """The Vega-Lite ``projection`` that draws exactly this."""
        return {"type": "mercator", "scale": self.k, "translate": [self.tx, self.ty]}


def project_rings(rings: list[np.ndarray], proj: Projection) -> list[np.ndarray]:
    return [proj(r) for r in rings]


def fill_mask(rings_xy: list[np.ndarray], width: int, height: int) -> np.ndarray:
    """A ``height`` × ``width`` boolean mask of the pixels whose centres lie inside ``rings_xy``
    (even-odd rule, so holes stay empty)."""
    mask = np.zeros((height, width), dtype=bool)
    if not rings_xy:
        return mask
    a = np.concatenate([r[:-1] for r in rings_xy])
    b = np.concatenate([r[1:] for r in rings_xy])
    lo, hi = max(0, int(math.floor(min(a[:, 1].min(), b[:, 1].min())))), min(height, int(math.ceil(a[:, 1].max())) + 1)
    cols = np.arange(width) + 0.5
    for row in range(lo, hi):
        yc = row + 0.5
        cross = (a[:, 1] <= yc) != (b[:, 1] <= yc)
        if not cross.any():
            continue
        pa, pb = a[cross], b[cross]
        xs = np.sort(pa[:, 0] + (yc - pa[:, 1]) * (pb[:, 0] - pa[:, 0]) / (pb[:, 1] - pa[:, 1]))
        for x0, x1 in zip(xs[0::2], xs[1::2]):
            mask[row, (cols >= x0) & (cols < x1)] = True
    return mask


# ---------------------------------------------------------------------------------------------
# text: advance widths from the font the charts use (DejaVu Sans), for wrapping and placing labels
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _advances(bold: bool) -> tuple[dict[int, int], int] | None:
    """{code point: advance width} and units per em of DejaVu Sans (or its bold), read from the
    font's ``cmap`` (format 4) and ``hmtx`` tables; None when the font is not installed."""
    path = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not path.exists():
        return None
    f = path.read_bytes()
    n = struct.unpack(">H", f[4:6])[0]
    tables = {
        f[12 + 16 * i : 16 + 16 * i].decode("latin-1"): struct.unpack(">II", f[20 + 16 * i : 28 + 16 * i])
        for i in range(n)
    }
    head, hhea, hmtx, cmap = (tables[t][0] for t in ("head", "hhea", "hmtx", "cmap"))
    upem = struct.unpack(">H", f[head + 18 : head + 20])[0]
    n_metrics = struct.unpack(">H", f[hhea + 34 : hhea + 36])[0]
    adv = [struct.unpack(">H", f[hmtx + 4 * i : hmtx + 4 * i + 2])[0] for i in range(n_metrics)]
    sub = None
    for i in range(struct.unpack(">H", f[cmap + 2 : cmap + 4])[0]):
        pid, eid, off = struct.unpack(">HHI", f[cmap + 4 + 8 * i : cmap + 12 + 8 * i])
        if (pid, eid) == (3, 1) and struct.unpack(">H", f[cmap + off : cmap + off + 2])[0] == 4:
            sub = cmap + off
    if sub is None:
        return None
    segs = struct.unpack(">H", f[sub + 6 : sub + 8])[0] // 2
    arr = lambda at: struct.unpack(f">{segs}H", f[at : at + 2 * segs])  # noqa: E731
    ends, starts = arr(sub + 14), arr(sub + 16 + 2 * segs)
    deltas, ro_at = arr(sub + 16 + 4 * segs), sub + 16 + 6 * segs
    ranges = arr(ro_at)
    widths = {}
    for s, (start, end, delta, ro) in enumerate(zip(starts, ends, deltas, ranges)):
        for c in range(start, min(end, 0x2FFF) + 1):
            if ro == 0:
                g = (c + delta) & 0xFFFF
            else:
                at = ro_at + 2 * s + ro + 2 * (c - start)
                g = struct.unpack(">H", f[at : at + 2])[0]
                g = (g + delta) & 0xFFFF if g else 0
            widths[c] = adv[min(g, n_metrics - 1)]
    return widths, upem


def text_width(text: str, px: float, bold: bool = False) -> float:
    """The width of ``text`` set in DejaVu Sans at ``px`` (an estimate of 0.65 em a character
    when the font is not installed)."""
    a = _advances(bold)
    if a is None:
        return 0.65 * px * len(text)
    widths, upem = a
    return px * sum(widths.get(ord(c), upem * 0.65) for c in text) / upem


def wrap(text: str, px: float, max_width: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``max_width`` (a word longer than that
    keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, px, bold) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


# ---------------------------------------------------------------------------------------------
# labels
# ---------------------------------------------------------------------------------------------


def _box_sums(mask: np.ndarray, w: int, h: int) -> np.ndarray:
    """For every top-left corner (y, x), the number of set pixels in the ``w`` × ``h`` box there."""
    s = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1))
    s[1:, 1:] = mask.cumsum(0).cumsum(1)
    return s[h:, w:] - s[:-h, w:] - s[h:, :-w] + s[:-h, :-w]


def place_label(
    size: tuple[int, int],
    anchor: tuple[float, float],
    area: np.ndarray,
    land: np.ndarray,
    avoid: np.ndarray,
    leader_avoid: np.ndarray | None = None,
    margin: int = 1,
    hide_cost: float = 1.0,
    cross_cost: float = 1e4,
) -> tuple[int, int]:
    """Where a label box of ``size`` (w, h) goes: the top-left corner minimising what it hides
    (pixels of ``land``; ``avoid`` and the ``area`` it names far more) plus the length of the
    leader line to ``anchor``, which should not cross ``leader_avoid``. A box may sit inside the
    area it names when the area is well over twice its size, which needs no leader."""
    w, h = size
    H, W = land.shape
    land_n, area_n, avoid_n = (_box_sums(m.astype(float), w, h) for m in (land, area, avoid))
    ys, xs = np.mgrid[0 : H - h + 1, 0 : W - w + 1]
    ax, ay = anchor
    dx = np.maximum(0, np.maximum(xs - ax, ax - (xs + w)))
    dy = np.maximum(0, np.maximum(ys - ay, ay - (ys + h)))
    dist = np.hypot(dx, dy)
    inside = (area_n >= w * h) & (area.sum() >= 2.5 * w * h)
    cost = hide_cost * (land_n - area_n) + np.where(inside, 0, 12 * area_n) + 1e6 * avoid_n + 6 * dist
    if leader_avoid is not None and leader_avoid.any():
        # the leader runs from the nearest point of the box to the anchor: sample it
        nx, ny = np.clip(ax, xs, xs + w), np.clip(ay, ys, ys + h)
        for t in np.linspace(0, 1, 24):
            px_ = np.clip((nx + t * (ax - nx)).astype(int), 0, W - 1)
            py_ = np.clip((ny + t * (ay - ny)).astype(int), 0, H - 1)
            cost += cross_cost * leader_avoid[py_, px_]
    # inside the canvas, clear of its edges
    cost[:margin, :] = cost[:, :margin] = np.inf
    cost[H - h - margin + 1 :, :] = cost[:, W - w - margin + 1 :] = np.inf
    y, x = np.unravel_index(np.argmin(cost), cost.shape)
    return int(x), int(y)


def label_svg(
    lines: list[str],
    px: float,
    at: tuple[int, int],
    size: tuple[int, int],
    anchor: tuple[float, float],
    pad: float,
    ink: str = "#000000",
) -> str:
    """SVG of a label: its lines (bold, centred) on a white box at ``at``, and a leader line to
    ``anchor`` when the box does not hold it."""
    (x, y), (w, h) = at, size
    ax, ay = anchor
    out = []
    nx, ny = min(max(ax, x), x + w), min(max(ay, y), y + h)
    if math.hypot(ax - nx, ay - ny) > 2:
        out.append(
            f'<line x1="{nx:.1f}" y1="{ny:.1f}" x2="{ax:.1f}" y2="{ay:.1f}" stroke="{ink}" stroke-width="0.9"/>'
            f'<circle cx="{ax:.1f}" cy="{ay:.1f}" r="1.6" fill="{ink}"/>'
        )
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="1.5" fill="#ffffff" fill-opacity="0.9"/>')
    step = px * 1.15
    for i, line in enumerate(lines):
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{y + pad + px * 0.8 + i * step:.1f}" text-anchor="middle" '
            f'font-family="{FONT}" font-size="{px:.1f}px" font-weight="bold" fill="{ink}">{_esc(line)}</text>'
        )
    return '<g class="area-label">' + "".join(out) + "</g>"


def label_size(lines: list[str], px: float, pad: float) -> tuple[int, int]:
    w = max(text_width(s, px, bold=True) for s in lines) + 2 * pad
    return int(math.ceil(w)), int(math.ceil(px * 1.15 * len(lines) - px * 0.15 + 2 * pad))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
