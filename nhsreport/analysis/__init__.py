"""The analysis layer: pure functions of processed tables (as returned by :func:`nhsreport.data.load`).

``counting`` (organisations open on a date, changes by year), ``reorganisation``, ``management``,
``finance`` (heft in volume, a wider definition, management and money), ``systems``, ``footprints``
(upper-tier councils, shared trusts, general practice per system), ``integration``, ``mergers``
(the event study of trust mergers) and ``consolidation`` (CCG and trust mergers by system). Chapters, profiles and briefings call these, so every figure has
one definition. Imports the core modules and, for read-side checks, ``nhsreport.data``.
"""
