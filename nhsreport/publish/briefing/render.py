"""Assemble a briefing's data and charts, compile its Typst template, write the PDF atomically.

A briefing is compiled in a temporary directory holding the template, ``common.typ``,
``data.json`` (every number and sentence, from :mod:`.figures`) and the charts as SVG files
(from :mod:`.graphics`); the template reads them with ``json()`` and ``image()``, so no text is
ever spliced into Typst source. The PDF is compiled to bytes and only then written over the
target (:func:`nhsreport.atomic.write_bytes`), so a failure leaves nothing half-written.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from nhsreport import atomic, data, paths
from nhsreport.formatting import month_year, period_text, uk_date
from nhsreport.publish.book import site
from nhsreport.publish.briefing import figures, graphics
from nhsreport.publish.components import words
from nhsreport.publish.components.board_text import dateline

__all__ = [
    "OUT_DIR",
    "england_pdf",
    "build_england",
    "font_paths",
    "board_pdf",
    "write_board",
    "build_board",
    "build_all_boards",
]

HERE = Path(__file__).resolve().parent
OUT_DIR = paths.BUILD / "briefing"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

LICENCE = (
    "Data \u00a9 NHS England and Office for National Statistics, Open Government Licence v3.0; boundaries contain "
    "OS data \u00a9 Crown copyright and database right 2022. Text CC BY 4.0; code MIT."
)
ENGLAND_DATASETS = (
    "workforce_national",
    "staff_by_org",
    "icb_allocations",
    "icbs",
    "trusts",
    "commissioners_over_time",
    "lad_board_overlap",
    "gp_practices_2026",
    "geo_icb_2026",
)


def font_paths() -> list[str]:
    """Font directories passed to Typst: Debian's DejaVu (the charts' font) when installed; Typst's
    own embedded fonts (Libertinus Serif and others) are always available as the fallback."""
    return [str(DEJAVU)] if DEJAVU.is_dir() else []


#: Where the England briefing points its reader in the published book (nhsreport.publish.book.site).
BOOK_PAGE = ("book/index", None)


def profile_page(code26: str) -> tuple[str, None]:
    """The profile page of board ``code26`` (of 1 April 2026) in the published book."""
    return (f"book/systems/{code26}", None)


def _book_link(page: tuple[str, str | None]) -> tuple[str | None, str | None]:
    """The address of ``page`` in the published book, and the text that shows it (printed, so
    that a reader of a paper copy can type it); ``(None, None)`` when no address is configured."""
    url = site.page_url(*page)
    return url, url


def licences(*datasets: str) -> str:
    """The licences of ``datasets``, as the data package states them (their titles, each once)."""
    titles = (lic["title"] for name in datasets for lic in data.resource(name)["licenses"])
    return "; ".join(dict.fromkeys(titles))


def report_author(root: Path | None = None) -> str:
    """The publisher of the report, as ``author`` in ``_config.yml`` names it (the PDFs' Author)."""
    import yaml

    conf = yaml.safe_load((Path(root or paths.ROOT) / site.CONFIG).read_text(encoding="utf-8")) or {}
    return str(conf.get("author") or "").strip()


def reader_sources(ctx: figures.BriefingData, kind: str) -> list[str]:
    """The sources of a briefing as a reader cites them: publisher, title and date (UK style),
    one line each; ``kind`` is ``"england"`` or ``"board"``. Every date comes from the data."""
    when = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    ons = "Office for National Statistics"
    staff = f"NHS England, NHS Workforce Statistics, {when['staff']}."
    alloc = f"NHS England, Allocation of resources {ctx.rca_year}."
    trusts = f"NHS England Organisation Data Service, NHS trusts, {when['trusts_file']}."
    population = f"{ons}, mid-year population estimates, {when['population']}."
    boundaries = f"{ons}, integrated care board boundaries, {month_year(ctx.as_of('geo_icb_2026'))}."
    if kind == "england":
        return [
            staff,
            f"Cabinet Office Race Disparity Unit, Ethnicity facts and figures: NHS workforce, September 2009 to "
            f"{month_year(ctx.as_of('workforce_national'))}.",
            f"NHS England, Allocation of resources, 2023/24 to {ctx.rca_year}.",
            population,
            trusts,
            f"{ons} and NHS Organisation Data Service, lists of commissioning bodies, 2013 to {when['boards']}.",
            boundaries,
        ]
    return [
        staff,
        alloc,
        trusts,
        population,
        f"NHS England, Patients registered at a GP practice, {when['registered']}.",
        f"NHS Digital, Sustainability and transformation partnerships: partner mapping, {when['partners']}.",
        boundaries,
        "The report's lists of integration arrangements and of management figures, with their publishers.",
    ]


def _common(ctx: figures.BriefingData, d: dict, datasets, page: tuple[str, str | None], kicker: str) -> dict:
    url, label = _book_link(page)
    boards_day = period_text(ctx.periods["boards"].date, "day")
    d.update(
        kicker=kicker,
        author=report_author(),
        dateline=dateline(ctx.now),
        footer=f"Joining up the NHS in England \u00b7 {d['short_title']} briefing \u00b7 data: {licences(*datasets)}",
        questions=[list(q) for q in figures.board_questions(boards_day)],
        questions_source=figures.BOARD_QUESTIONS_SOURCE,
        sources=reader_sources(ctx, d["kind"]),
        licence=LICENCE,
        book_url=url,
        book_label=label,
    )
    return d


# ---------------------------------------------------------------------------------------------
# the documents
# ---------------------------------------------------------------------------------------------


def england_doc(ctx: figures.BriefingData, svgs: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """(data.json content, {file name: SVG}) of the England briefing."""
    d = figures.england(ctx)
    staff = uk_date(ctx.staff_date)
    boards_day = uk_date(ctx.periods["boards"].date)
    trusts_file = period_text(ctx.periods["trusts_file"].date, "month")
    national = month_year(ctx.as_of("workforce_national"))
    boards_2022 = month_year(ctx.formed[0])
    d["figures"] = [
        {
            "number": 1,
            "file": "managers_over_time.svg",
            "width_mm": graphics.ENGLAND_WIDTH_MM["managers_over_time"],
            "title": "Managers per 100 staff, NHS trusts and commissioners, 2009\u20132022",
            "caption": "Managers and senior managers per 100 staff (headcount), September of each year to 2020, then "
            "quarterly to June 2022. The 2019\u201320 change partly reflects staff moving between groups. "
            "Staff with no recorded ethnicity are left out of both counts.",
            "source": f"Cabinet Office Race Disparity Unit, Ethnicity facts and figures: NHS workforce (from NHS "
            f"Digital workforce statistics), {licences('workforce_national')}. As of {national}.",
            "alt": "Line chart of managers per 100 staff in NHS trusts and commissioners, 2009 to 2022.",
        },
        {
            "number": 2,
            "file": "density_map.svg",
            "width_mm": graphics.ENGLAND_WIDTH_MM["density_map"],
            "title": f"Managers per 100 staff by integrated care board, {month_year(ctx.staff_date)}",
            "caption": f"The {len(ctx.boards)} boards of {boards_day}: managers and senior managers (FTE) per 100 FTE "
            "staff of each board's predecessors together with the NHS trusts headquartered in its area; darker areas "
            "have more. London is enlarged in the box. Staff totals of "
            f"{ctx.staff_date.year} exclude resident doctors.",
            "source": f"NHS England, NHS Workforce Statistics (turnover benchmarking); ONS, ICB boundaries "
            f"({month_year(ctx.as_of('geo_icb_2026'))}), containing OS data \u00a9 Crown copyright; "
            f"{licences('staff_by_org', 'geo_icb_2026')}. As of {staff}.",
            "alt": f"Map of the {len(ctx.boards)} integrated care boards of {boards_day} shaded by managers per 100 "
            "staff, London enlarged in an inset naming its boards.",
        },
        {
            "number": 3,
            "file": "trusts.svg",
            "width_mm": graphics.ENGLAND_WIDTH_MM["trusts"],
            "title": "NHS trusts open on 1 April, by type, 2012\u20132026",
            "caption": "Trusts and foundation trusts in the ODS trust file open on 1 April of each year (care trusts "
            "excluded), by their latest type, named beside the last bar." + _vanished_types(ctx),
            "source": f"NHS England Organisation Data Service, trust files (October 2020, {trusts_file}) and successor "
            f"files; type from NHS Workforce Statistics; {licences('trusts', 'staff_by_org')}. As of {trusts_file}.",
            "alt": "Stacked bar chart of NHS trusts by type on 1 April of each year from 2012 to 2026.",
        },
        {
            "number": 4,
            "file": "commissioners.svg",
            "width_mm": graphics.ENGLAND_WIDTH_MM["commissioners"],
            "title": "Commissioning bodies, 2013\u20132026",
            "caption": "Primary care trusts before April 2013, clinical commissioning groups 2013\u20132021 and "
            f"integrated care boards from {boards_2022}, at the dates the files allow (no CCG count for "
            "2014\u20132017). The PCT count is as published.",
            "source": f"ONS code lists and lookups; NHS Organisation Data Service files; Health Foundation (PCTs); "
            f"{licences('commissioners_over_time')}. As of {boards_day}.",
            "alt": "Chart of the number of PCTs, CCGs and ICBs between 2013 and 2026.",
        },
    ]
    return _common(ctx, d, ENGLAND_DATASETS, BOOK_PAGE, "Briefing for NHS boards"), svgs


def _vanished_types(ctx: figures.BriefingData) -> str:
    """A sentence on the trust types of Figure 3 that no longer exist in its last year (so are not
    named beside its last bar), or nothing."""
    from nhsreport.analysis import reorganisation

    by = reorganisation.trusts_by_type(ctx.trusts).pivot(index="year", columns="trust_type", values="trusts").fillna(0)
    out = []
    for t in by.columns[(by.iloc[-1] == 0) & (by.max() > 0)]:
        years = [str(y) for y in by.index[by[t] > 0]]
        n = int(by[t].max())
        out.append(
            f" The {'one' if n == 1 else n} trust{'s' if n > 1 else ''} of type \u201c{t}\u201d in "
            f"{words.and_list(years)} "
            f"{'are' if n > 1 else 'is'} the thin band at the top of {'that bar' if len(years) == 1 else 'those bars'}."
        )
    return "".join(out)


def _highlighted(base: dict[str, str], code: str) -> dict[str, str]:
    """The map and the two ranking charts of a board's briefing, with ``code`` highlighted and named."""
    return {f"{k}.svg": v for k, v in graphics.highlighted(base, code).items()}


# ---------------------------------------------------------------------------------------------
# compiling
# ---------------------------------------------------------------------------------------------

PDF_STANDARDS = ["ua-1"]


def compile_pdf(template: str, doc: dict, svgs: dict[str, str], when: pd.Timestamp) -> bytes:
    """Compile ``template`` (a ``.typ`` file of this package) with ``doc`` as ``data.json`` and
    ``svgs`` beside it; returns the PDF bytes, dated ``when`` in its metadata (so the same inputs
    give the same bytes)."""
    import typst

    with tempfile.TemporaryDirectory(prefix="nhsreport-briefing-") as tmp:
        t = Path(tmp)
        for f in ("common.typ", template):
            shutil.copyfile(HERE / f, t / f)
        (t / "data.json").write_text(json.dumps(doc, ensure_ascii=False, default=str), encoding="utf-8")
        for name, svg in svgs.items():
            (t / name).write_text(svg, encoding="utf-8")
        # PDF/UA-1: tagged, every figure with its alternative text, the title displayed and the
        # language declared (Typst refuses to write a document that does not conform)
        pdf, warnings = typst.compile_with_warnings(
            str(t / template),
            root=str(t),
            font_paths=font_paths(),
            ignore_system_fonts=True,
            pdf_standards=PDF_STANDARDS,
            timestamp=int(pd.Timestamp(when).timestamp()),
        )
    for w in warnings or []:
        print(f"typst warning ({template}): {w}", file=sys.stderr)
    if not pdf or not pdf.startswith(b"%PDF"):
        raise RuntimeError(f"Typst produced no PDF for {template}")
    return pdf


def england_pdf(ctx: figures.BriefingData | None = None) -> bytes:
    ctx = ctx or figures.load_context()
    doc, svgs = england_doc(ctx, graphics.england_svgs(ctx))
    return compile_pdf("england.typ", doc, {f"{k}.svg": v for k, v in svgs.items()}, ctx.now)


def build_england(out_dir: Path | None = None, ctx: figures.BriefingData | None = None) -> Path:
    """Write ``england.pdf`` in ``out_dir`` (default ``_build/briefing``); returns its path."""
    out = Path(out_dir or OUT_DIR) / "england.pdf"
    atomic.write_bytes(out, england_pdf(ctx))
    return out


# ---------------------------------------------------------------------------------------------
# the boards of 2026
# ---------------------------------------------------------------------------------------------

#: The datasets behind the figures of the boards (profiles and briefings), listed as sources.
BOARD_DATASETS = (
    "icbs",
    "staff_by_org",
    "icb_allocations",
    "trusts",
    "lad_board_overlap",
    "gp_practices_2026",
    "board_populations",
    "specialist_trusts",
    "integration_arrangements",
    "geo_icb_2026",
    "stp_trust_partners_2019",
    "lad_upper_tier_2023",
    "published_management_figures",
)


def board_doc(ctx: figures.BriefingData, code: str, base: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """(data.json content, {file name: SVG}) of the briefing for 2026 board ``code``."""
    d = figures.board(ctx, code)
    name = d["title"]
    staff = uk_date(ctx.staff_date)
    n = len(ctx.boards)
    boards_day = uk_date(ctx.periods["boards"].date)
    trusts_file = period_text(ctx.periods["trusts_file"].date, "month")
    est = " Estimates where a board took in part of a divided 2022 board."
    d.update(
        n_systems=str(n),
        staff_month=month_year(ctx.staff_date),
        map={
            "file": "map.svg",
            "width_mm": graphics.MAP_WIDTH_MM,
            "alt": f"Map of England's {n} integrated care boards, London enlarged in an inset, with {name} "
            f"highlighted and named.",
            "caption": f"The board (highlighted) among the {n} boards of {boards_day}; London enlarged in the box.",
            "source": f"ONS, integrated care board boundaries ({month_year(ctx.as_of('geo_icb_2026'))}), containing OS "
            "data \u00a9 Crown copyright.",
        },
        figures=[
            {
                "number": 1,
                "file": "density.svg",
                "width_mm": graphics.BARS_WIDTH_MM,
                "title": f"Managers per 100 staff, {month_year(ctx.staff_date)}",
                "caption": "Each bar is a 2026 board with the trusts headquartered in it, highest first; this board "
                "highlighted; dashed line: England." + est,
                "source": f"NHS England, NHS Workforce Statistics, {staff}; ODS trust file, {trusts_file}.",
                "alt": f"Bar chart ranking the {n} boards by managers per 100 staff, with {name} highlighted.",
            },
            {
                "number": 2,
                "file": "rca.svg",
                "width_mm": graphics.BARS_WIDTH_MM,
                "title": f"Running cost allowance per head, {ctx.rca_year}",
                "caption": "The predecessor boards' allowances per head of allocation population, highest first; this "
                "board highlighted; dashed line: England. The allowance is a cap on running costs, not spending." + est,
                "source": f"NHS England, Allocation of resources {ctx.rca_year}.",
                "alt": f"Bar chart ranking the {n} boards by running cost allowance per head, with {name} highlighted.",
            },
        ],
        trusts_note=(
            f"Each trust counts where its headquarters is (ODS, {trusts_file}); many serve several areas. "
            "Managers and senior managers, FTE; staff exclude resident doctors."
        ),
        **figures.ARRANGEMENT_TEXTS,
    )
    svgs = _highlighted(base, code)
    return _common(ctx, d, BOARD_DATASETS, profile_page(code), "Integrated care board briefing"), svgs


def board_pdf(ctx: figures.BriefingData, code: str, base: dict[str, str]) -> bytes:
    doc, svgs = board_doc(ctx, code, base)
    return compile_pdf("board.typ", doc, svgs, ctx.now)


def write_board(ctx: figures.BriefingData, code: str, base: dict[str, str], out_dir: Path) -> Path:
    """Write ``boards/<code>.pdf`` in ``out_dir`` (atomically, once compiled); returns its path."""
    out = Path(out_dir) / "boards" / f"{code}.pdf"
    atomic.write_bytes(out, board_pdf(ctx, code, base))
    return out


def build_board(query: str, out_dir: Path | None = None, ctx: figures.BriefingData | None = None) -> Path:
    """Write ``boards/<ODS code>.pdf`` for the 2026 board matching ``query`` (a 2026 or 2022 ODS
    code or name; a 2022 board divided in 2026 gives the board taking its largest part).

    Raises :class:`~nhsreport.briefing.figures.IcsNotFoundError` before anything is written when
    nothing matches."""
    ctx = ctx or figures.load_context()
    code = figures.resolve_board(query, ctx.icbs)
    return write_board(ctx, code, graphics.board_base_svgs(ctx), Path(out_dir or OUT_DIR))


def build_all_boards(out_dir: Path | None = None, codes=None) -> list[Path]:
    """Write the briefing of every 2026 board (or of ``codes``), in this process: the data are
    loaded and the shared graphics drawn once, then each board is only highlighted, filled in and
    compiled (about a twentieth of a second each)."""
    ctx = figures.load_context()
    codes = list(codes) if codes is not None else sorted(ctx.boards.index.astype(str))
    base = graphics.board_base_svgs(ctx)
    return [write_board(ctx, code, base, Path(out_dir or OUT_DIR)) for code in codes]
