"""PDF briefings: England (default), one ICS (--ics CODE-OR-NAME) or all 42 (--all).

    python scripts/briefing.py                       # _build/briefing/england.pdf
    python scripts/briefing.py --ics QOP             # _build/briefing/ics/QOP.pdf
    python scripts/briefing.py --ics "greater manchester"
    python scripts/briefing.py --all                 # _build/briefing/ics/*.pdf
    python scripts/briefing.py --list                # codes and names of the 42 systems
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--ics", metavar="CODE_OR_NAME", help="one integrated care system: ODS code, ONS code or name")
    g.add_argument("--all", action="store_true", help="all 42 ICS briefings")
    g.add_argument("--list", action="store_true", help="list the systems' codes and names")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: _build/briefing)")
    p.add_argument("--workers", type=int, default=2, help="processes for --all (default 2)")
    a = p.parse_args(argv)

    from nhsreport.publish import briefing
    t0 = time.perf_counter()
    if a.list:
        icbs = briefing.load_context().icbs.sort_values("icb_name")
        for r in icbs.itertuples():
            print(f"{r.icb_code}  {r.icb_gss_code}  {r.icb_name}")
        return 0
    try:
        if a.all:
            paths = briefing.build_all(a.out, workers=a.workers)
            print(f"{len(paths)} briefings in {paths[0].parent} ({time.perf_counter() - t0:.1f} s)")
            return 0
        path = briefing.build_ics(a.ics, a.out) if a.ics else briefing.build_england(a.out)
    except briefing.IcsNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{path} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
