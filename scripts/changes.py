#!/usr/bin/env python3
"""After a data rebuild (``make data``), what moved in the book (``make changes``): every glued figure
whose value changed (old -> new, chapter, label) and every claim whose evidence moved, written to
_build/changes.md.

The values are compared with those recorded the last time this ran (_build/changes-baseline.json)
or, the first time, with those of the last book build. The book is rebuilt first (only the chapters
whose data or code changed are executed again); --no-build compares the current build as it is.
"""

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

from nhsreport import atomic, paths
from nhsreport.publish.book import changes

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--no-build", action="store_true", help="do not rebuild the book first")
p.add_argument("--baseline", type=Path, default=paths.BUILD / "changes-baseline.json")
p.add_argument("--out", type=Path, default=paths.BUILD / "changes.md")
args = p.parse_args()
executed = paths.BUILD / "jupyter_execute"

if args.baseline.exists():
    old = json.loads(args.baseline.read_text(encoding="utf-8"))
    since = f"the values recorded by the previous `make changes` ({args.baseline.name})"
else:
    old = changes.snapshot(executed)
    since = "the previous build of the book"
if not old:
    sys.exit(f"error: {executed}: no glued values to compare with; build the book first (make html)")

if not args.no_build:
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(paths.ROOT), "--builder", "html", "-W", "--keep-going"]
    proc = subprocess.run(cmd, cwd=paths.ROOT)
    if proc.returncode:
        sys.exit("error: the book build failed (see above); nothing was compared and the baseline was kept")

new = changes.snapshot(executed)
found = changes.compare(old, new)
with (paths.PROCESSED / "claims.csv").open(encoding="utf-8", newline="") as fh:
    claims = list(csv.DictReader(fh))
moved = changes.claims_moved(found, changes.evidence_map(paths.BOOK), claims)
text = changes.report(found, moved, baseline=since, compared=sorted(set(old) & set(new)))
atomic.write_text(args.out, text)
atomic.write_text(args.baseline, json.dumps(new, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
print(f"{len(found)} glued value(s) changed, {len(moved)} claim(s) with evidence that moved: {args.out}")
