#!/usr/bin/env python3
"""Write the registry's pinned addresses (``nhsreport/build/pinned.csv``) from a ``PINNED.csv``.

``PINNED.csv`` (beside the offline mirror's files) gives, for each raw file, its sha256 and an
address that returns exactly those bytes: the raw file at a fixed commit of a public repository,
or a transform of such a file (``status`` = ``converted``). This script keeps what the fetch step
needs — path, sha256, size, address, and for a converted file the transform and the sha256 of the
bytes the address returns — so that ``make data-raw`` can fetch and verify every file without the
mirror. Rerun it when the mirror's ``PINNED.csv`` changes; ``tests/test_fetch.py`` checks the two
agree whenever the mirror is present.
"""

import argparse
import sys
from pathlib import Path

from nhsreport import paths
from nhsreport.build import pinned

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("pinned_csv", type=Path, nargs="?", help="the mirror's PINNED.csv (default: the offline mirror's)")
args = p.parse_args()
source = args.pinned_csv or (paths.default_mirror() and paths.default_mirror() / "PINNED.csv")
if not source or not Path(source).exists():
    sys.exit("error: no PINNED.csv given and no offline mirror found")
rows = pinned.from_mirror_table(Path(source))
pinned.write(rows)
print(f"{len(rows)} pinned addresses written to {pinned.TABLE.relative_to(paths.ROOT)}")
