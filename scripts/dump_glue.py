"""Print every glued value of every executed chapter, one ``chapter<TAB>key<TAB>value`` line each.

Reads the glue records the book build writes beside the executed notebooks (``_build/jupyter_execute``). Two dumps taken before
and after a change that should not move any number compare with ``diff``::

    python scripts/dump_glue.py > before.tsv   # ... change ...   python scripts/dump_glue.py > after.tsv
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def glued(glue_path: Path):
    """(key, value) of every glued output; figures as a hash of their content."""
    for name, out in sorted(json.loads(glue_path.read_text(encoding="utf-8")).items()):
        data = {k.split("/", 1)[-1] if k.startswith("application/papermill.record/") else k: v
                for k, v in out.get("data", {}).items()}
        text = data.get("text/markdown") or data.get("text/plain")
        if text is None:
            blob = json.dumps(data, sort_keys=True).encode("utf-8")
            text = "<figure sha256:" + hashlib.sha256(blob).hexdigest()[:16] + ">"
        if isinstance(text, list):
            text = "".join(text)
        yield name, " ".join(str(text).split())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=Path, default=ROOT / "_build" / "jupyter_execute", help="folder of executed notebooks")
    args = ap.parse_args(argv)
    files = sorted(args.build.rglob("*.glue.json"))
    if not files:
        print(f"{args.build}: no executed notebooks (build the book first)", file=sys.stderr)
        return 1
    for f in files:
        for name, value in glued(f):
            print(f"{f.name.removesuffix('.glue.json')}\t{name}\t{value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
