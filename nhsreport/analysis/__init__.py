"""The analysis layer: pure functions of processed tables (as returned by :func:`nhsreport.data.load`).

``counting`` (organisations open on a date, changes by year), ``reorganisation``, ``management``,
``systems`` and ``integration``. Chapters, profiles and briefings call these, so every figure has
one definition. Imports the core modules and, for read-side checks, ``nhsreport.data``.
"""
