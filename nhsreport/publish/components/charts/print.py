"""Charts for the PDF book: fonts scaled until the smallest prints at 8 pt or more, no label cut
short, and a PNG that says its own print resolution.

The PDF book (:mod:`nhsreport.publish.book.printbook`) draws each chart's print version from the
spec the HTML book's chart element carries (:func:`print_png`, through the render cache), so an
HTML build draws no print version at all."""

from __future__ import annotations

import re

from nhsreport.publish.components.charts.html import to_png, to_svg
from nhsreport.publish.components.charts.theme import WIDTH

# the PDF book prints a chart across the text block (A4 less 1 inch margins: 451 pt), whatever its width
PRINT_WIDTH_PT = 451.0
PRINT_PT_PER_PX = 0.75  # a chart's pixel prints as a CSS pixel does: 12 px text at 9 pt
PRINT_MIN_PT = 8.0
_PRINT_AIM_PT = 8.6  # a margin for the chart growing as its labels grow
# beyond this the labels, not the plot, fill the page: such a chart is drawn narrower in its chapter
PRINT_MAX_SCALE = 1.4
PNG_SCALE = 2.0
_TEXT_DEFAULT_PX = 11
#: the least gap between two labels of an axis in print, in pixels ("0.0 0.2" reads as one number)
PRINT_LABEL_GAP_PX = 4  # Vega-Lite's size for a text mark that sets none


def _font_sizes(node, out: list, in_text_mark=False) -> list:
    if isinstance(node, dict):
        for k, v in node.items():
            if (k == "fontSize" or k.endswith("FontSize")) and isinstance(v, (int, float)):
                out.append(float(v))
            else:
                _font_sizes(v, out)
        mark = node.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" not in mark):
            out.append(float((node.get("config") or {}).get("text", {}).get("fontSize", _TEXT_DEFAULT_PX)))
    elif isinstance(node, list):
        for v in node:
            _font_sizes(v, out)
    return out


def smallest_font_px(spec: dict) -> float:
    """The smallest font size a spec sets or leaves at Vega-Lite's default (text marks), in pixels."""
    sizes = _font_sizes(spec, [])
    text_default = (spec.get("config") or {}).get("text", {}).get("fontSize")
    if text_default is not None:
        sizes.append(float(text_default))
    return min(sizes, default=_TEXT_DEFAULT_PX)


def _scale_fonts(node, k: float):
    if isinstance(node, dict):
        out = {}
        for key, v in node.items():
            if (key == "fontSize" or key.endswith("FontSize")) and isinstance(v, (int, float)):
                out[key] = round(v * k, 1)
            else:
                out[key] = _scale_fonts(v, k)
        mark = out.get("mark")
        if mark == "text":
            out["mark"] = {"type": "text", "fontSize": round(_TEXT_DEFAULT_PX * k, 1)}
        elif isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" not in mark:
            out["mark"] = {**mark, "fontSize": round(_TEXT_DEFAULT_PX * k, 1)}
        return out
    if isinstance(node, list):
        return [_scale_fonts(v, k) for v in node]
    return node


def svg_width(svg: str) -> float:
    """The width of a rendered SVG in its pixels (the theme's chart width when it states none)."""
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)', svg)
    return float(m.group(1)) if m else float(WIDTH)


def printed_pt(font_px: float, chart_width_px: float) -> float:
    """How large a font of ``font_px`` prints in the PDF book, where a chart ``chart_width_px`` wide
    is printed at 0.75 pt a pixel (the PNG says so: :func:`with_print_resolution`), shrunk to fit
    the text block when it is wider."""
    return font_px * min(PRINT_PT_PER_PX, PRINT_WIDTH_PT / chart_width_px)


def with_print_resolution(png: bytes, scale: float = PNG_SCALE) -> bytes:
    """``png`` with a pHYs chunk saying that ``scale`` of its pixels make one of the chart's, at 96
    to the inch: a viewer or a page layout that reads it shows a narrow chart at its own size
    (0.75 pt a pixel) rather than stretching it, and its text, across the page."""
    import struct
    import zlib

    per_metre = round(96 * scale / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    out, i = [png[:8]], 8
    while i < len(png):  # every chunk as it is, but any resolution the renderer wrote (72 to the inch)
        (n,) = struct.unpack(">I", png[i : i + 4])
        kind = png[i + 4 : i + 8]
        if kind != b"pHYs":
            out.append(png[i : i + 12 + n])
        if kind == b"IHDR":
            out.append(chunk)
        i += 12 + n
    return b"".join(out)


def _unlimited(node):
    """``node`` with no label cut short: every label limit (axes, legends, text marks) lifted."""
    if isinstance(node, dict):
        out = {k: _unlimited(v) for k, v in node.items()}
        for key in ("labelLimit", "limit"):
            if key in out and isinstance(out[key], (int, float)):
                out[key] = 0
        return out
    if isinstance(node, list):
        return [_unlimited(v) for v in node]
    return node


def print_spec(spec: dict, k: float) -> dict:
    """``spec`` for the PDF book: every font scaled by ``k``, no label cut short, axis and legend
    labels never truncated (the tooltip that completes them on screen does not exist on paper),
    and an axis's labels at least :data:`PRINT_LABEL_GAP_PX` apart (Vega hides every other label
    of an axis whose labels would come closer, as larger type needs more room)."""
    out = _unlimited(_scale_fonts(spec, k) if k > 1 else spec)
    config = dict(out.get("config", {}))
    config["axis"] = {**config.get("axis", {}), "labelLimit": 0, "labelSeparation": PRINT_LABEL_GAP_PX}
    config["legend"] = {**config.get("legend", {}), "labelLimit": 0}
    out["config"] = config
    return out


def print_png(spec: dict, screen_width_px: float) -> tuple[bytes, dict]:
    """The chart as the PDF book prints it (a PNG at twice the size in pixels), and its spec.
    Fonts are scaled up by one factor until the smallest prints at 8 pt or more once the chart is
    fitted to the text block (the chart widens as its labels grow, so the factor is refined)."""
    f = smallest_font_px(spec)
    k = max(1.0, _PRINT_AIM_PT / printed_pt(f, screen_width_px))
    for _ in range(3):
        ps = print_spec(spec, k)
        size = printed_pt(smallest_font_px(ps), svg_width(to_svg(ps)))
        if size >= PRINT_MIN_PT or k >= PRINT_MAX_SCALE:
            break
        k = min(PRINT_MAX_SCALE, k * _PRINT_AIM_PT / size)
    return with_print_resolution(to_png(ps, scale=PNG_SCALE)), ps
