#!/usr/bin/env python3
"""Look for newer editions of the registered official files, download and register them (``make refresh``).

Writes the report to _build/refresh.md. With --check, only reports. --host PREFIX=ORIGIN sends
requests for addresses starting with PREFIX to ORIGIN instead (a mirror, or a test server).
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

from nhsreport import atomic, log, paths
from nhsreport.build import refresh
from nhsreport.errors import DataError

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--check", action="store_true", help="report newer editions without downloading them into data/raw/")
p.add_argument("--host", action="append", default=[], metavar="PREFIX=ORIGIN", help="rewrite addresses (repeatable)")
p.add_argument("--today", type=dt.date.fromisoformat, help="look for editions up to this date (default: today)")
p.add_argument("--report", type=Path, default=paths.BUILD / "refresh.md")
args = p.parse_args()
hosts = {}
for h in args.host:
    prefix, sep, origin = h.partition("=")
    if not sep:
        p.error(f"--host {h!r}: expected PREFIX=ORIGIN")
    hosts[prefix] = origin
log.configure()
try:
    report = refresh.run(hosts=hosts, today=args.today, check_only=args.check)
except DataError as e:
    print(f"error: {e}\nnothing was registered", file=sys.stderr)
    sys.exit(1)
atomic.write_text(args.report, report.markdown())
print(report.markdown(), end="")
print(f"written {args.report}")
