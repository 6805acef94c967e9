#!/usr/bin/env python3
"""Fill data/raw/ with the registered official files, checked against their sha256 (``make data-raw``).

By default files are copied from the offline mirror (../shared/raw, or $NHSREPORT_MIRROR) when it
exists; otherwise, or with --online, they are downloaded from the publishers' addresses.
"""

import argparse
import sys
from pathlib import Path

from nhsreport import log
from nhsreport.build import fetch
from nhsreport.errors import DataError

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--mirror", type=Path, help="directory laid out like data/raw/")
p.add_argument("--online", action="store_true", help="download from the publishers, ignoring any mirror")
args = p.parse_args()
log.configure()
try:
    got = fetch.fetch_all(mirror=args.mirror, online=args.online)
except DataError as e:
    print(f"error: {e}\nthe previous file, if any, was kept", file=sys.stderr)
    sys.exit(1)
print(f"{len(got)} raw files present and verified in data/raw/")
