"""Every processed dataset, declared once. ``REGISTRY`` maps name -> declaration, in build order.

Each module below holds the declarations and builders of one family of datasets.
"""
from __future__ import annotations

from nhsreport.build.datasets import boundaries

_MODULES = [boundaries]
for _optional in ("geography", "workforce", "allocations", "organisations", "curated"):
    try:
        _MODULES.append(__import__(f"{__name__}.{_optional}", fromlist=["DATASETS"]))
    except ModuleNotFoundError as e:  # a family not written yet
        if e.name != f"{__name__}.{_optional}":
            raise

REGISTRY = {}
for _m in _MODULES:
    for _ds in _m.DATASETS:
        if _ds.name in REGISTRY:
            raise ValueError(f"dataset {_ds.name!r} declared twice")
        REGISTRY[_ds.name] = _ds
