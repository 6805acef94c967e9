"""PDF briefings: England (default), one board of April 2026 (--board) or all 36 (--boards), or a 2022 system.

python scripts/briefing.py                       # _build/briefing/england.pdf
python scripts/briefing.py --board S0E4D         # _build/briefing/boards/S0E4D.pdf (Thames Valley)
python scripts/briefing.py --board frimley       # a 2022 code or name gives its 2026 board
python scripts/briefing.py --boards              # _build/briefing/boards/*.pdf, the 36 boards of 2026
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
    g.add_argument(
        "--board",
        metavar="CODE_OR_NAME",
        help="one integrated care board of 1 April 2026: its code or name, or a 2022 code or name",
    )
    g.add_argument("--boards", action="store_true", help="all 36 briefings of the boards of 1 April 2026")
    g.add_argument("--ics", metavar="CODE_OR_NAME", help="one 2022 integrated care system: ODS code, ONS code or name")
    g.add_argument("--all", action="store_true", help="all 42 briefings of the 2022 systems")
    g.add_argument("--list", action="store_true", help="list the systems' codes and names")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: _build/briefing)")
    p.add_argument("--workers", type=int, default=2, help="processes for --all (default 2)")
    a = p.parse_args(argv)

    from nhsreport.publish import briefing

    t0 = time.perf_counter()
    if a.list:
        icbs = briefing.load_context().icbs.sort_values("icb_name")
        for r in icbs.itertuples():
            print(
                f"{r.icb_code}  {r.icb_gss_code}  {r.icb_name}  (2022; from 1 April 2026: {r.icb_2026_code} "
                f"{r.icb_2026_name})"
            )
        return 0
    try:
        if a.boards:
            paths = briefing.build_all_boards(a.out, workers=a.workers)
            print(f"{len(paths)} briefings in {paths[0].parent} ({time.perf_counter() - t0:.1f} s)")
            return 0
        if a.board:
            ctx = briefing.load_context()
            code = briefing.resolve_board(a.board, ctx.icbs)
            divided = ctx.icbs[ctx.icbs["icb_2026_parts"].str.contains(";") & (ctx.icbs["icb_2026_code"] == code)]
            for r in divided.itertuples():
                if (
                    a.board.strip().upper() in (r.icb_code, r.icb_gss_code)
                    or a.board.strip().lower() in r.icb_name.lower()
                ):
                    print(
                        f"note: {r.icb_name} ({r.icb_code}) was divided on 1 April 2026; this is the board taking its "
                        f"largest part (parts: {r.icb_2026_parts})",
                        file=sys.stderr,
                    )
            path = briefing.build_board(code, a.out, ctx)
            print(f"{path} ({time.perf_counter() - t0:.1f} s)")
            return 0
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
