"""PDF briefings: England (default), one integrated care board of 2026 (--board or --ics) or all (--boards).

python scripts/briefing.py                       # _build/briefing/england.pdf
python scripts/briefing.py --board S0E4D         # _build/briefing/boards/S0E4D.pdf (Thames Valley)
python scripts/briefing.py --board frimley       # a 2022 code or name gives its 2026 board
python scripts/briefing.py --ics QOP             # the same as --board (kept for the 2022 codes and names)
python scripts/briefing.py --boards              # _build/briefing/boards/*.pdf, every board of 2026
python scripts/briefing.py --list                # codes and names of the 36 boards of 2026 (and the 2022 boards they came from)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _note_divided(ctx, query: str, code: str) -> None:
    """Tell the reader when ``query`` named a 2022 board divided in 2026 (``code`` takes its largest part)."""
    from nhsreport.formatting import uk_date

    divided = ctx.icbs[ctx.icbs["icb_2026_parts"].str.contains(";") & (ctx.icbs["icb_2026_code"] == code)]
    for r in divided.itertuples():
        if query.strip().upper() in (r.icb_code, r.icb_gss_code) or query.strip().lower() in r.icb_name.lower():
            print(
                f"note: {r.icb_name} ({r.icb_code}) was divided on {uk_date(ctx.periods['boards'].date)}; this is "
                f"the board taking its largest part (parts: {r.icb_2026_parts})",
                file=sys.stderr,
            )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--board",
        metavar="CODE_OR_NAME",
        help="one integrated care board of 2026: its code or name, or a 2022 code or name",
    )
    g.add_argument("--ics", metavar="CODE_OR_NAME", help="a 2022 system's ODS code, ONS code or name: its 2026 board")
    g.add_argument("--boards", action="store_true", help="the briefings of every board of 2026")
    g.add_argument("--list", action="store_true", help="list the boards of 2026: codes and names")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: _build/briefing)")
    a = p.parse_args(argv)

    from nhsreport.publish import briefing

    t0 = time.perf_counter()
    if a.list:
        print("\n".join(briefing.board_list(briefing.load_context())))
        return 0
    try:
        if a.boards:
            paths = briefing.build_all_boards(a.out)
            print(f"{len(paths)} briefings in {paths[0].parent} ({time.perf_counter() - t0:.1f} s)")
            return 0
        query = a.board or a.ics
        if query:
            ctx = briefing.load_context()
            code = briefing.resolve_board(query, ctx.icbs)
            _note_divided(ctx, query, code)
            path = briefing.build_board(code, a.out, ctx)
        else:
            path = briefing.build_england(a.out)
    except briefing.IcsNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{path} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
