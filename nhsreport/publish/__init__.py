"""The publishing layer: what readers see. Imports every layer below it; nothing below imports it.

- ``book/``: the book's Sphinx plumbing: ``chapter`` (each chapter's first cell, the numbers it
  glues for its prose, its execution-cache key), ``sphinxext`` (the build's extension, which
  connects the hooks of ``assets``, ``freshness``, ``reading``, ``content`` and ``html``),
  ``printbook`` (the PDF book), ``execute``, ``bibstyle``, ``site``, ``changes`` (what moved between
  builds) and ``static/``.
- ``components/``: parts figures and pages are made of: ``charts`` (a package: ``theme``,
  ``describe``, ``html``, ``print``, ``labels``, ``glue``), ``tables``, ``maplabels``,
  ``words`` and ``board_text`` (sentences shared by the board pages and briefings).
- ``chapters/``: each chapter's numbers for its prose, its figures and its tables.
- ``pages/``: pages that are not chapters: ``profiles`` (the 36 board profiles, their index, the
  finder's index), ``profile_inputs`` and ``appendices`` (claims ledger and methods).
- ``briefing/``: the PDF briefings, compiled with Typst.
"""

import sys

# Chapters import this package first (``from nhsreport.publish.book import chapter``). jsonschema, which
# nbformat and altair import, checks the "iri" formats with rfc3987-syntax when it is installed
# (JupyterLab's event system requires it), and that package compiles 39 Earley parsers on import:
# about half of a chapter kernel's start-up. No chapter checks IRIs, so jsonschema is told it is
# absent (it imports it optionally).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
