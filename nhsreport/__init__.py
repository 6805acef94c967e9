"""nhsreport: the shared data module of the report *Joining up the NHS in England*.

Data flow: official files (``data/raw/``, see :mod:`nhsreport.build.sources`) -> builders
(:mod:`nhsreport.build.datasets`) -> ``data/processed/`` + ``data/datapackage.json`` ->
:func:`nhsreport.data.load` -> chapters and briefings.
"""
__version__ = "0.1.0"
