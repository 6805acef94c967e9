"""Print every glued value of every executed chapter, one ``chapter<TAB>key<TAB>value`` line each.

Reads the glue records the book build writes beside the executed notebooks (``_build/jupyter_execute``);
charts are shown as their description and a hash of their specification (see
:func:`nhsreport.publish.book.changes.value_of`). Two dumps taken before and after a change that should
not move any number compare with ``diff``::

    python scripts/dump_glue.py > before.tsv   # ... change ...   python scripts/dump_glue.py > after.tsv

``make changes`` does this comparison for a data rebuild, with the claims whose evidence moved.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nhsreport.publish.book.changes import snapshot

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--build", type=Path, default=ROOT / "_build" / "jupyter_execute", help="folder of executed notebooks"
    )
    args = ap.parse_args(argv)
    values = snapshot(args.build)
    if not values:
        print(f"{args.build}: no executed notebooks (build the book first)", file=sys.stderr)
        return 1
    for chapter, glued in values.items():
        for name, value in glued.items():
            print(f"{chapter}\t{name}\t{value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
