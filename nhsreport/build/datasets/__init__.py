"""Every processed dataset, declared once. ``REGISTRY`` maps name -> declaration, in build order.

Each module below holds the declarations and builders of one family of datasets.
"""

from __future__ import annotations

from nhsreport.build.datasets import (
    allocations,
    boards,
    boundaries,
    councils,
    curated,
    finance,
    geography,
    organisations,
    primary_care,
    workforce,
)

_MODULES = [
    boundaries,
    geography,
    councils,
    workforce,
    finance,
    primary_care,
    allocations,
    organisations,
    curated,
    boards,
]

REGISTRY = {}
for _m in _MODULES:
    for _ds in _m.DATASETS:
        if _ds.name in REGISTRY:
            raise ValueError(f"dataset {_ds.name!r} declared twice")
        REGISTRY[_ds.name] = _ds
