"""nhsreport: the shared data module of the report *Joining up the NHS in England*.

Data flow: official files (``data/raw/``, see :mod:`nhsreport.build.sources`) -> builders
(:mod:`nhsreport.build.datasets`) -> ``data/processed/`` + ``data/datapackage.json`` ->
:func:`nhsreport.data.load` -> chapters and briefings.
"""

# the release (semantic versioning); CHANGELOG.md, CITATION.cff and pyproject.toml repeat it, and a
# test checks that they agree
__version__ = "2.0.0"
RELEASED = "2026-12-06"
