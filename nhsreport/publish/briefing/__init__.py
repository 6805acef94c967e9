"""PDF briefings: one for England and one per integrated care system, built with Typst.

Numbers come from the same functions the chapters use (:mod:`nhsreport.analysis.management`,
:mod:`nhsreport.analysis.systems`, :mod:`nhsreport.analysis.counting`, :mod:`nhsreport.analysis.reorganisation`);
:mod:`.figures` turns them into formatted text, :mod:`.graphics` draws the charts (Altair ->
SVG, in the report's theme) and :mod:`.render` fills the Typst templates (``england.typ``,
``ics.typ``, sharing ``common.typ``) and writes each PDF atomically.

Command line: ``scripts/briefing.py`` (``make briefing``, ``make briefing ICS=...``,
``make briefings``). From Python::

    from nhsreport.publish import briefing
    briefing.build_england()                 # _build/briefing/england.pdf
    briefing.build_ics("Greater Manchester") # _build/briefing/ics/QOP.pdf
    briefing.build_all()                     # all 42, two processes
    briefing.build_board("frimley")          # _build/briefing/boards/S0E4D.pdf (2026 board)
    briefing.build_all_boards()              # the 36 boards of 1 April 2026
"""

from nhsreport.publish.briefing.figures import IcsNotFoundError, load_context, resolve_board, resolve_ics
from nhsreport.publish.briefing.render import (
    OUT_DIR,
    build_all,
    build_all_boards,
    build_board,
    build_england,
    build_ics,
)

__all__ = [
    "IcsNotFoundError",
    "load_context",
    "resolve_ics",
    "resolve_board",
    "OUT_DIR",
    "build_all",
    "build_england",
    "build_ics",
    "build_board",
    "build_all_boards",
]
