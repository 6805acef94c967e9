#!/usr/bin/env python3
"""Build every processed dataset from data/raw/ and data/curated/ (``make data``)."""

import argparse
import sys

from nhsreport import log
from nhsreport.build import pipeline
from nhsreport.errors import DataError

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("names", nargs="*", help="datasets to build (default: all)")
args = p.parse_args()
log.configure()
try:
    written = pipeline.run(args.names or None)
except DataError as e:
    print(f"error: {e}\nnothing was written", file=sys.stderr)
    sys.exit(1)
print(f"{len(written)} datasets valid and written; data/datapackage.json updated")
