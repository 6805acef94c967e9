"""Where things live. One place, so that tests can point the pipeline elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

# NHSREPORT_ROOT points the module at another copy of the project (the cache tests use it).
PACKAGE = Path(__file__).resolve().parent  # the nhsreport package itself (its code and templates)
ROOT = Path(os.environ.get("NHSREPORT_ROOT") or Path(__file__).resolve().parent.parent)
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
CURATED = DATA / "curated"
DATAPACKAGE = DATA / "datapackage.json"
BOOK = ROOT / "book"
BUILD = ROOT / "_build"


def default_mirror() -> Path | None:
    """The offline mirror of official files, if present (``NHSREPORT_MIRROR`` or ``../shared/raw``)."""
    env = os.environ.get("NHSREPORT_MIRROR")
    if env:
        return Path(env)
    candidate = ROOT.parent / "shared" / "raw"
    return candidate if candidate.is_dir() else None
