"""The publishing layer: what readers see.

``chapter`` (each chapter's first cell and execution-cache key), ``sphinxext`` (the book build's
extension), ``charts`` and ``tables`` (interactive HTML with static fallbacks), ``appendices``
(claims ledger and methods), ``briefing/`` (PDF briefings, compiled with Typst) and ``static/``.
Imports every layer below it; nothing below imports it.
"""
