"""The report's charts, one module per job:

- :mod:`.theme`: the theme, the colours (:data:`PALETTE`, :data:`ORG_COLOURS`, :data:`BACKGROUND`,
  :data:`BACKGROUND_OUTLINE`, :data:`TIMELINE_STYLE`, :data:`SEQUENTIAL_MAP` and :data:`MAP_BORDER`
  for maps shaded by a quantity, :data:`MIN_OUTLINE_PX`) and :func:`setup`, which picks the
  renderer for the context;
- :mod:`.describe`: a figure's data from its tooltips (:func:`figure_data`), its short
  alternative text (:func:`describe`) and the d3 number formats (:func:`format_value`);
- :mod:`.html`: map boundaries by URL, static SVG and PNG renders, the book's chart element;
- :mod:`.renders`: the one render cache (a render keyed by what it draws and the renderer's version);
- :mod:`.print`: the chart for the PDF book (text of at least 8 pt, the PNG's print resolution);
- :mod:`.labels`: second cues for lines and points, direct labels for stacks, bars and maps, labels
  over a white halo (:func:`halo_text`);
- :mod:`.collisions`: the boxes of a drawn chart's texts and the pairs that print over each other;
- :mod:`.glue`: :func:`glue_chart` for the chapters and the book build's display bundle.

Chapters use the names re-exported here (``charts.glue_chart``, ``charts.PALETTE``, ...).
"""

from nhsreport.publish.components.charts.describe import ALT_TEXT_MAX, describe, figure_data, format_value
from nhsreport.publish.components.charts.glue import book_bundle, glue_chart
from nhsreport.publish.components.charts.html import (
    TABLE_ROWS,
    boundaries,
    chart_element,
    compact_svg,
    scoped_ids,
    strip_mark_labels,
    to_png,
    to_svg,
)
from nhsreport.publish.components.charts.labels import (
    HALO,
    area_labels,
    halo_text,
    second_cues,
    segment_labels,
    spread,
    stack_labels,
)
from nhsreport.publish.components.charts.print import (
    PNG_SCALE,
    PRINT_MAX_SCALE,
    PRINT_MIN_PT,
    PRINT_PT_PER_PX,
    PRINT_WIDTH_PT,
    print_png,
    print_spec,
    printed_pt,
    smallest_font_px,
    svg_width,
    with_print_resolution,
)
from nhsreport.publish.components.charts.theme import (
    BACKGROUND,
    BACKGROUND_OUTLINE,
    FONT,
    GEO_URL,
    MAP_BORDER,
    MIN_OUTLINE_PX,
    ORG_COLOURS,
    PALETTE,
    SEQUENTIAL,
    SEQUENTIAL_MAP,
    TIMELINE_STYLE,
    WIDTH,
    in_book,
    setup,
    theme,
    timeline_encodings,
)

__all__ = [
    "ALT_TEXT_MAX",
    "BACKGROUND",
    "BACKGROUND_OUTLINE",
    "FONT",
    "GEO_URL",
    "HALO",
    "MAP_BORDER",
    "MIN_OUTLINE_PX",
    "ORG_COLOURS",
    "PALETTE",
    "PNG_SCALE",
    "PRINT_MAX_SCALE",
    "PRINT_MIN_PT",
    "PRINT_PT_PER_PX",
    "PRINT_WIDTH_PT",
    "SEQUENTIAL",
    "SEQUENTIAL_MAP",
    "TABLE_ROWS",
    "TIMELINE_STYLE",
    "WIDTH",
    "area_labels",
    "book_bundle",
    "boundaries",
    "chart_element",
    "compact_svg",
    "describe",
    "figure_data",
    "format_value",
    "glue_chart",
    "halo_text",
    "in_book",
    "print_png",
    "print_spec",
    "printed_pt",
    "scoped_ids",
    "second_cues",
    "segment_labels",
    "setup",
    "smallest_font_px",
    "spread",
    "stack_labels",
    "strip_mark_labels",
    "svg_width",
    "theme",
    "timeline_encodings",
    "to_png",
    "to_svg",
    "with_print_resolution",
]
