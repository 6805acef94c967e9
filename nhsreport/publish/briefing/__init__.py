"""PDF briefings: one for England and one per integrated care board of 2026, built with Typst.

Numbers come from the same functions the chapters use (:mod:`nhsreport.analysis.management`,
:mod:`nhsreport.analysis.board_facts`, :mod:`nhsreport.analysis.reorganisation`, ...);
:mod:`.figures` turns them into formatted text, :mod:`.graphics` draws the charts (Altair ->
SVG, in the report's theme) and :mod:`.render` fills the Typst templates (``england.typ``,
``board.typ``, sharing ``common.typ``) and writes each PDF atomically.

Command line: ``scripts/briefing.py`` (``make briefing``, ``make briefing ICS=...``,
``make briefings``). From Python::

    from nhsreport.publish import briefing
    briefing.build_england()                 # _build/briefing/england.pdf
    briefing.build_board("frimley")          # _build/briefing/boards/S0E4D.pdf (a 2022 name gives its 2026 board)
    briefing.build_all_boards()              # the boards of 2026, in one process
"""

from nhsreport.publish.briefing.figures import IcsNotFoundError, board_list, load_context, resolve_board
from nhsreport.publish.briefing.render import OUT_DIR, build_all_boards, build_board, build_england

__all__ = [
    "IcsNotFoundError",
    "load_context",
    "resolve_board",
    "board_list",
    "OUT_DIR",
    "build_england",
    "build_board",
    "build_all_boards",
]
