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
    if isinstance(v, int) or (hasattr(v, "is_integer") and isinstance(v, float) and v.is_integer() and decimals in (None, 0)):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:,.{decimals if decimals is not None else 1}f}"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)


#: Characters of body text across the page at each table font size (A4, 1in margins, TeX Gyre
#: Termes; bold headers and digits run wider, so these are kept on the safe side).
PAGE_CHARS = {"small": 92, "footnotesize": 104, "scriptsize": 120}
COLUMN_GAP = 2.5  # characters taken by the space between two columns
#: Where a word may break in a PDF table cell, which is never hyphenated: after a hyphen, and
#: after an underscore (the LaTeX preamble in _config.yml makes underscores break points).
_BREAKABLE = re.compile(r"(?<=[_-])(?=[^\s_-])")


def _words(text: str) -> list[str]:
    """The pieces a cell's text can be broken into: words, split again after "-" and "_"."""
    return [w for part in text.split() for w in _BREAKABLE.split(part) if w]


def _pdf_widths(headers: list[str], rows: list[list[str]], code: set[int] = frozenset()) -> tuple[list[int], str]:
    """Column widths for the PDF, in characters, and the font size that fits them.

    No column is narrower than its longest word (table cells are not hyphenated, so a narrower
    column would push the word into its neighbour); columns of short values (codes, types, years,
    numbers) get their whole width; long columns share the rest in proportion to their typical
    length. The font size is the largest at which the columns' minimum widths fit the page.
    ``code``: columns set in the typewriter font, which is wider."""
    n = len(headers)
    factor = [1.15 if j in code else 1.0 for j in range(n)]
    cells = [[headers[j]] + [r[j] for r in rows] for j in range(n)]
    longest_word = [max((len(w) for c in cells[j] for w in _words(c)), default=1) * factor[j] for j in range(n)]
    longest = [max(len(c) for c in cells[j]) * factor[j] for j in range(n)]
    typical = []
    for j in range(n):
        values = sorted(len(r[j]) for r in rows) or [0]
        typical.append(max(values[int(0.9 * (len(values) - 1))] * factor[j], len(headers[j]) / 2, 4))
    size = next((sz for sz, chars in PAGE_CHARS.items() if sum(longest_word) + COLUMN_GAP * n <= chars),
                "scriptsize")
    room = PAGE_CHARS[size] - COLUMN_GAP * n
    widths = [max(w, min(lng, 16 * factor[j])) for j, (w, lng) in enumerate(zip(longest_word, longest))]
    if sum(widths) > room:  # even the words do not fit: share the page in proportion to them
        return [max(1, round(w)) for w in widths], size
    # short columns keep their whole width; long ones share what is left
    short = [j for j in range(n) if longest[j] <= widths[j]]
    rest = [j for j in range(n) if j not in short]
    left = room - sum(widths[j] for j in short)
    total = sum(typical[j] for j in rest) or 1
    for j in rest:
        widths[j] = max(widths[j], left * typical[j] / total)
    # the long columns may now be too wide (a minimum raised above its share): scale them back
    excess = sum(widths) - room
    if excess > 0 and rest:
        slack = {j: widths[j] - longest_word[j] for j in rest}
        free = sum(slack.values()) or 1
        for j in rest:
            widths[j] -= excess * slack[j] / free
    return [max(1, round(w + COLUMN_GAP)) for w in widths], size


def list_table(headers: list[str], rows: list[list[str]], caption: str | None = None, label: str | None = None,
               code: set[int] = frozenset()) -> str:
    """A MyST list-table for the PDF from cells already in MyST markup: a ``longtable`` (it breaks
    across pages, repeating its header), column widths from the content and a font size that
    fits them, and a numbered caption when given."""
    plain = [[_plain(c) for c in r] for r in rows]
    widths, size = _pdf_widths([_plain(h) for h in headers], plain, code)
    lines = ["```{raw} latex", f"\\begingroup\\{size}", "```", "",
             f"```{{list-table}}{(' ' + caption) if caption else ''}", ":header-rows: 1", ":class: longtable",
             f":widths: {' '.join(map(str, widths))}"]
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


class Table:
    def __init__(self, df: pd.DataFrame, decimals: dict | int | None = None, links: dict | None = None,
                 pdf_columns: list | None = None, caption: str | None = None, label: str | None = None):
        """``decimals``: one number, or column -> decimals; ``links``: column -> column holding its
        URL; ``pdf_columns``: the columns to keep in the PDF, where a page is narrower than a
        scrolling HTML table (default: all); ``caption``: the table's title (numbered in the PDF
        book), plain text; ``label``: a name to refer to it by."""
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
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in cols)
        body = []
        for row in rows:
            tds = []
            for txt, url, raw in row:
                numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool) and not pd.isna(raw)
                sort = f' data-sort="{raw}"' if numeric else ""
                cls = ' class="num"' if numeric else ""
                cell = html.escape(txt)
                if url:
                    cell = f'<a href="{html.escape(url, quote=True)}">{cell}</a>'
                tds.append(f"<td{cls}{sort}>{cell}</td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        ident = f' id="{html.escape(self.label, quote=True)}"' if self.label else ""
        return (f'<div class="nhs-table-wrap"><table class="nhs-sortable"{ident}>{caption}<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')

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

        return list_table([md_escape(str(c)) for c in cols], [[cell(t, u) for t, u, _ in r] for r in rows],
                          caption=self.caption, label=self.label)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), "text/markdown": self._repr_markdown_(),
                "text/plain": self.df.to_string(max_rows=20)}
