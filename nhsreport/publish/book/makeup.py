"""Make-up of the PDF book: what a first print shows needs setting again.

:mod:`nhsreport.publish.book.printbook` prints the book once, asks these functions what went wrong
on the page, and prints it again with the fixes: a chapter whose last page holds only a few lines
is set a little closer (:func:`short_chapter_ends`), and a table that leaves one row alone at the
foot or the head of a page, or its caption and header row at a page's foot without its body,
breaks elsewhere (:func:`lone_rows`), and a figure that did not fit under the text before it,
leaving that page half empty, is noted (:func:`figure_gaps`) to be set before some of that text.
Chromium has no widow or orphan
control for table rows, and no way to pull a chapter's last lines back by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

#: a chapter's last page filled less than this far down the text block is set again, closer
SHORT_END = 0.2
#: in :func:`lone_rows`, a table that starts with one row at a page's foot moves whole
WHOLE_TABLE = -1


def page_fills(pdf: Path, top: float, bottom: float) -> list[float]:
    """How far down the text block (``top`` to ``bottom``, in points from the page's top) the
    last word of each page of ``pdf`` reaches, from 0 (an empty page) to 1 (poppler's ``pdftotext``)."""
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fills = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        lows = [float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', page)]
        lows = [y for y in lows if top < y < bottom]
        fills.append((max(lows) - top) / (bottom - top) if lows else 0.0)
    return fills


def short_chapter_ends(fills: list[float], chapters: list[str], pages: dict[str, int]) -> frozenset[str]:
    """The ``chapters`` (keys of their titles, in book order, with their first pages in ``pages``)
    whose last page is filled less than :data:`SHORT_END` (per ``fills``, from
    :func:`page_fills`) and is not also their first."""
    starts = [pages.get(key) for key in chapters] + [len(fills) + 1]
    short = set()
    for n, key in enumerate(chapters):
        first, last = starts[n], starts[n + 1] - 1 if starts[n + 1] else None
        if first and last and last > first and fills[last - 1] < SHORT_END:
            short.add(key)
    return frozenset(short)


def _kids(node) -> list:
    kids = node.get("/K")
    kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
    return [k.get_object() if hasattr(k, "get_object") else k for k in kids]


def _page_of(node, pages: dict[int, int]) -> int | None:
    """The page (from 1) the first marked content of structure element ``node`` is on."""
    ref = node.raw_get("/Pg") if "/Pg" in node else None
    if ref is not None and hasattr(ref, "idnum"):
        return pages.get(ref.idnum)
    for kid in _kids(node):
        if isinstance(kid, dict):
            found = _page_of(kid, pages)
            if found:
                return found
    return None


def table_rows(pdf: Path) -> list[list[int]]:
    """For each table of ``pdf``'s structure tree, in reading order, the page of each of its body
    rows (a row of data cells; header rows left out)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    tables: list[list[int]] = []

    def walk(node, rows: list[int] | None) -> None:
        kind = node.get("/S")
        if kind == "/Table":
            rows = []
            tables.append(rows)
        elif kind == "/TR" and rows is not None:
            if any(isinstance(k, dict) and k.get("/S") == "/TD" for k in _kids(node)):
                rows.append(_page_of(node, pages))
            return
        for kid in _kids(node):
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid, rows)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return tables


#: a page before a figure filled less than this far down is a gap the figure left
FIGURE_GAP = 0.6


def structure_pages(pdf: Path, tag: str) -> list[int | None]:
    """The page each element ``tag`` (e.g. ``/Figure``, ``/Table``) of ``pdf``'s structure tree
    starts on, in reading order."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    found: list[int | None] = []

    def walk(node) -> None:
        if node.get("/S") == tag:
            found.append(_page_of(node, pages))
            return
        for kid in _kids(node):
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def figure_pages(pdf: Path) -> list[int | None]:
    """The page of each figure (``/Figure``) of ``pdf``'s structure tree, in reading order."""
    return structure_pages(pdf, "/Figure")


def figure_gaps(fills: list[float], figures: list[int | None], openings: set[int]) -> dict[int, float]:
    """The figures (by index, from :func:`figure_pages`) that open a page after one filled less
    than :data:`FIGURE_GAP` (``fills``, :func:`page_fills`) in the same chapter (``openings``: the
    chapters' first pages), with the share of the text block left empty there: the figure did not
    fit under the text before it. A page's first figure only."""
    gaps = {}
    for n, page in enumerate(figures):
        if page is None or page < 2 or page in openings or (n and figures[n - 1] == page):
            continue
        if fills[page - 2] < FIGURE_GAP:
            gaps[n] = 1 - fills[page - 2]
    return gaps


def table_heads(pdf: Path) -> list[int | None]:
    """For each table of ``pdf``'s structure tree, in reading order, the page its caption (or its
    first row, when it has none) starts on."""
    return structure_pages(pdf, "/Table")


def lone_rows(tables: list[list[int]], heads: list[int | None] | None = None) -> dict[int, int]:
    """Where each table that leaves a row alone on a page should break instead, from the pages of
    its rows (:func:`table_rows`) and of its caption (``heads``, :func:`table_heads`): ``{table's
    index: body row to break before}``, or :data:`WHOLE_TABLE` for a table whose first page holds
    only its first row, or only its caption and header row (the body starting on the next page)."""
    breaks = {}
    for n, head in enumerate(heads or []):
        rows = tables[n] if n < len(tables) else []
        if head is not None and rows and rows[0] is not None and rows[0] > head:
            breaks[n] = WHOLE_TABLE
    for n, rows in enumerate(tables):
        if n in breaks:
            continue
        if None in rows or len(set(rows)) < 2 or len(rows) < 4:
            continue
        if rows.count(rows[0]) == 1:
            breaks[n] = WHOLE_TABLE
        elif rows.count(rows[-1]) == 1 and rows.count(rows[-2]) >= 3:  # two rows go over, two stay
            breaks[n] = len(rows) - 2
    return breaks


def merge_breaks(old: dict[int, frozenset[int]], new: dict[int, int]) -> dict[int, frozenset[int]]:
    """The table breaks of an earlier print (``old``) with those a later one asks for (``new``,
    from :func:`lone_rows`): a table may need a break at its head and another at its foot."""
    out = dict(old)
    for table, row in new.items():
        out[table] = out.get(table, frozenset()) | {row}
    return out
