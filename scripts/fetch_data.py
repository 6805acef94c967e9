#!/usr/bin/env python3
"""Fill data/raw/ with the registered official files, checked against their sha256 (``make data-raw``).

By default files are copied from the offline mirror (../shared/raw, or $NHSREPORT_MIRROR) when it
exists; otherwise, or with --online, each is downloaded from its pinned address (the file at a fixed
commit, so the bytes never change), or from the publisher where no pinned address exists.
--base-url (or $NHSREPORT_FETCH_BASE) serves every address from another server holding the same
files under <host>/<path>.
"""

import argparse
import os
import sys
from pathlib import Path

from nhsreport import atomic, log, paths
from nhsreport.build import fetch
from nhsreport.errors import DataError

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--mirror", type=Path, help="directory laid out like data/raw/")
p.add_argument("--online", action="store_true", help="download from the publishers, ignoring any mirror")
p.add_argument(
    "--base-url",
    default=os.environ.get("NHSREPORT_FETCH_BASE") or None,
    help="fetch every address from this server instead (files under <host>/<path>)",
)
args = p.parse_args()
log.configure()
try:
    got = fetch.fetch_all(mirror=args.mirror, online=args.online, base=args.base_url)
except DataError as e:
    print(f"error: {e}\nthe previous copy of each file that failed, if any, was kept", file=sys.stderr)
    sys.exit(1)
summary = fetch.summary_markdown(got)
atomic.write_text(paths.BUILD / "fetch.md", summary)
print(f"{len(got)} raw files present and verified in data/raw/ (summary: _build/fetch.md)")
