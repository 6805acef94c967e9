"""PDF briefings: one for England and one per integrated care system, built with Typst.

Numbers come from the same functions the chapters use (:mod:`nhsreport.management`,
:mod:`nhsreport.systems`, :mod:`nhsreport.organisations`, :mod:`nhsreport.reorganisation`);
:mod:`.figures` turns them into formatted text, :mod:`.graphics` draws the charts (Altair ->
SVG, in the report's theme) and :mod:`.render` fills the Typst templates (``england.typ``,
``ics.typ``, sharing ``common.typ``) and writes each PDF atomically.

Command line: ``scripts/briefing.py`` (``make briefing``, ``make briefing ICS=...``,
``make briefings``). From Python::

    from nhsreport import briefing
    briefing.build_england()                 # _build/briefing/england.pdf
    briefing.build_ics("Greater Manchester") # _build/briefing/ics/QOP.pdf
    briefing.build_all()                     # all 42, two processes
"""
from .figures import IcsNotFoundError, load_context, resolve_ics
from .render import OUT_DIR, build_all, build_england, build_ics

__all__ = ["IcsNotFoundError", "load_context", "resolve_ics", "OUT_DIR", "build_all", "build_england", "build_ics"]
