"""Tables for chapters: sortable in the HTML book, a plain typeset table in the PDF.

:class:`Table` displays as ``text/html`` (a ``<table class="nhs-sortable">`` that the book's
small sorting script makes sortable by clicking a header) and as ``text/markdown``, which the
LaTeX builder turns into a real table.
"""

from __future__ import annotations

import html
import re

import pandas as pd


def _fmt(v, decimals: int | None) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int) or (
        hasattr(v, "is_integer") and isinstance(v, float) and v.is_integer() and decimals in (None, 0)
    ):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:,.{decimals if decimals is not None else 1}f}"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)


#: Characters of table text across the page at each table font size (A4, 1in margins, TeX Gyre
#: Termes; digits and capitals run wider than the average letter, so these are on the safe side).
PAGE_CHARS = {"small": 90, "footnotesize": 100, "scriptsize": 112}
HEADER_FACTOR = 1.25  # headers are set in bold sans serif (TeX Gyre Heros), wider than the body
COLUMN_GAP = 2  # characters taken by the space between two columns (\\tabcolsep 4pt each side)
#: Where a word may break in a PDF table cell, which is never hyphenated nor broken after a
#: hyphen: after an underscore (the LaTeX preamble makes underscores break points).
_BREAKABLE = re.compile(r"(?<=_)(?=[^\s_])")


def _words(text: str) -> list[str]:
    """The pieces a cell's text can be broken into: words, split again after "_"."""
    return [w for part in text.split() for w in _BREAKABLE.split(part) if w]


def _pdf_widths(headers: list[str], rows: list[list[str]], code: set[int] = frozenset()) -> tuple[list[int], str]:
    """Column widths for the PDF, in characters, and the font size that fits them.

    No column is narrower than its longest word (table cells are not hyphenated, so a narrower
    column would push the word into its neighbour or past the margin); a column of short values
    (codes, types, dates, numbers) gets its whole width where the page allows, so that it reads on
    one line; long columns share what is left in proportion to their typical length. The font
    size is the largest at which that fits. ``code``: columns set in the (wider) typewriter font."""
    n = len(headers)
    factor = [1.15 if j in code else 1.0 for j in range(n)]
    body = [[r[j] for r in rows] for j in range(n)]
    least = [
        max(
            [len(w) * factor[j] for c in body[j] for w in _words(c)]
            + [len(w) * HEADER_FACTOR for w in _words(headers[j])]
            + [1]
        )
        for j in range(n)
    ]
    longest = [max([len(c) * factor[j] for c in body[j]] + [len(headers[j]) * HEADER_FACTOR]) for j in range(n)]
    typical = []
    for j in range(n):
        values = sorted(len(c) for c in body[j]) or [0]
        typical.append(max(values[int(0.9 * (len(values) - 1))] * factor[j], least[j]))
    whole = [max(least[j], min(longest[j], 16 * factor[j])) for j in range(n)]
    rooms = {size: chars - COLUMN_GAP * n for size, chars in PAGE_CHARS.items()}
    size = next((sz for sz, room in rooms.items() if sum(whole) <= room), None)
    base = whole
    if size is None:
        size = next((sz for sz, room in rooms.items() if sum(least) <= room), "scriptsize")
        base = least
    room = rooms[size]
    widths = list(base)
    # long columns share what is left, in proportion to their typical length, up to their longest
    for _ in range(n):
        grow = [j for j in range(n) if widths[j] < longest[j]]
        left = room - sum(widths)
        if left <= 0.5 or not grow:
            break
        total = sum(typical[j] for j in grow)
        for j in grow:
            widths[j] = min(longest[j], widths[j] + left * typical[j] / total)
    return [max(1, round(w + COLUMN_GAP)) for w in widths], size


def list_table(
    headers: list[str],
    rows: list[list[str]],
    caption: str | None = None,
    label: str | None = None,
    code: set[int] = frozenset(),
) -> str:
    """A MyST list-table for the PDF from cells already in MyST markup: a ``longtable`` (it breaks
    across pages, repeating its header), column widths from the content and a font size that
    fits them, and a numbered caption when given."""
    plain = [[_plain(c) for c in r] for r in rows]
    widths, size = _pdf_widths([_plain(h) for h in headers], plain, code)
    lines = [
        "```{raw} latex",
        f"\\begingroup\\{size}",
        "```",
        "",
        f"```{{list-table}}{(' ' + caption) if caption else ''}",
        ":header-rows: 1",
        ":class: longtable",
        f":widths: {' '.join(map(str, widths))}",
    ]
    if label:
        lines.append(f":name: {label}")
    lines.append("")
    lines.append("* - " + "\n  - ".join(h for h in headers))
    for row in rows:
        lines.append("* - " + "\n  - ".join(c or " " for c in row))
    lines += ["```", "", "```{raw} latex", "\\endgroup", "```"]
    return "\n".join(lines) + "\n"


_LINK = re.compile(r"^\[(.*)\]\((\S+)\)$")
_PLAIN = re.compile(r"\\(.)|`")


def _plain(cell: str) -> str:
    """The text a MyST cell prints: escapes, code marks and link targets removed."""
    m = _LINK.match(cell)
    return _PLAIN.sub(lambda g: g.group(1) or "", m.group(1) if m else cell)


def md_escape(s: str) -> str:
    """``s`` with the characters MyST would read as markup escaped."""
    s = s.replace("\\", "\\\\")
    for ch in "*_`[]{}<>|#$":
        s = s.replace(ch, "\\" + ch)
    return s


SCREEN_ONLY = ' class="nhs-screen-only"'


class Table:
    def __init__(
        self,
        df: pd.DataFrame,
        decimals: dict | int | None = None,
        links: dict | None = None,
        pdf_columns: list | None = None,
        caption: str | None = None,
        label: str | None = None,
    ):
        """``decimals``: one number, or column -> decimals; ``links``: column -> column holding its
        URL; ``pdf_columns``: the columns to keep in the PDF, where a page is narrower than a
        scrolling HTML table (default: all); ``caption``: what the table shows, plain text: the
        HTML table's ``<caption>`` (announced with it by screen readers) and the PDF table's
        numbered caption; ``label``: a name to refer to it by."""
        self.df = df.reset_index(drop=True)
        self.decimals = decimals
        self.links = links or {}
        self.pdf_columns = pdf_columns
        self.caption = caption
        self.label = label

    def _dec(self, col):
        if isinstance(self.decimals, dict):
            return self.decimals.get(col)
        return self.decimals

    def _cells(self, with_links: bool):
        cols = [c for c in self.df.columns if c not in self.links.values()]
        rows = []
        for _, r in self.df.iterrows():
            row = []
            for c in cols:
                txt = _fmt(r[c], self._dec(c))
                url = r[self.links[c]] if c in self.links else None
                row.append((txt, url if with_links and isinstance(url, str) and url else None, r[c]))
            rows.append(row)
        return cols, rows

    def _repr_html_(self) -> str:
        cols, rows = self._cells(True)
        # columns left out of the PDF are marked, so that a browser's print leaves them out too
        screen = [self.pdf_columns is not None and c not in self.pdf_columns for c in cols]
        head = "".join(
            f'<th scope="col"{SCREEN_ONLY if s else ""}>{html.escape(str(c))}</th>' for c, s in zip(cols, screen)
        )
        body = []
        for row in rows:
            tds = []
            for (txt, url, raw), only in zip(row, screen):
                numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool) and not pd.isna(raw)
                sort = f' data-sort="{raw}"' if numeric else ""
                cls = (
                    ' class="num nhs-screen-only"'
                    if numeric and only
                    else ' class="num"'
                    if numeric
                    else (SCREEN_ONLY if only else "")
                )
                cell = html.escape(txt)
                if url:
                    cell = f'<a href="{html.escape(url, quote=True)}">{cell}</a>'
                tds.append(f"<td{cls}{sort}>{cell}</td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        ident = f' id="{html.escape(self.label, quote=True)}"' if self.label else ""
        # the wrapper scrolls, so it is focusable for keyboard users, and a region named after its table
        region = f' role="region" aria-label="{html.escape(self.caption, quote=True)}"' if self.caption else ""
        return (
            f'<div class="nhs-table-wrap" tabindex="0"{region}>'
            f'<table class="nhs-sortable"{ident}>{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
            f'<p class="nhs-table-hint">Select a column heading to sort the table.</p></div>'
        )

    def _repr_markdown_(self) -> str:
        """The table for the PDF book: a :func:`list_table` (a plain Markdown table would get
        fixed-width columns that run off the page, and would not break across pages)."""
        cols, rows = self._cells(True)
        if self.pdf_columns is not None:
            keep = [j for j, c in enumerate(cols) if c in self.pdf_columns]
            cols = [cols[j] for j in keep]
            rows = [[r[j] for j in keep] for r in rows]

        def cell(text: str, url: str | None) -> str:
            return f"[{md_escape(text)}]({url})" if url else md_escape(text)

        return list_table(
            [md_escape(str(c)) for c in cols],
            [[cell(t, u) for t, u, _ in r] for r in rows],
            caption=self.caption,
            label=self.label,
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self._repr_html_(),
            "text/markdown": self._repr_markdown_(),
            "text/plain": self.df.to_string(max_rows=20),
        }
