"""The publishing layer: what readers see.

``chapter`` (each chapter's first cell and execution-cache key), ``sphinxext`` (the book build's
extension), ``charts`` and ``tables`` (interactive HTML with static fallbacks), ``appendices``
(claims ledger and methods), ``briefing/`` (PDF briefings, compiled with Typst) and ``static/``.
Imports every layer below it; nothing below imports it.
"""

import sys

# Chapters import this package first (``from nhsreport.publish import chapter``). jsonschema, which
# nbformat and altair import, checks the "iri" formats with rfc3987-syntax when it is installed
# (JupyterLab's event system requires it), and that package compiles 39 Earley parsers on import:
# about half of a chapter kernel's start-up. No chapter checks IRIs, so jsonschema is told it is
# absent (it imports it optionally).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
