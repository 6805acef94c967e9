"""Tables for chapters: sortable in the HTML book, a plain typeset table in the PDF.

:class:`Table` displays as ``text/html`` (a ``<table class="nhs-sortable">`` that the book's
small sorting script makes sortable by clicking a header) and as ``text/markdown``, which the
LaTeX builder turns into a real table.
"""
from __future__ import annotations

import html

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


PAGE_CHARS = 88  # characters of body text across an A4 page at 11 pt, less column gaps


def _pdf_widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    """Column widths for the PDF, in characters of the page: a short column (codes, types, years,
    numbers) gets its whole width so it never breaks mid-word; the long columns share what is
    left in proportion to their typical length."""
    n = len(headers)
    longest = [max([len(r[j]) for r in rows] + [max((len(w) for w in headers[j].split()), default=0)]) for j in range(n)]
    typical = []
    for j in range(n):
        values = sorted(len(r[j]) for r in rows) or [0]
        typical.append(max(values[int(0.9 * (len(values) - 1))], len(headers[j]) // 2, 4))
    short = [j for j in range(n) if longest[j] <= 16]
    widths = [0] * n
    for j in short:
        widths[j] = longest[j] + 2
    rest = [j for j in range(n) if j not in short]
    room = max(PAGE_CHARS - sum(widths), 12 * len(rest))
    total = sum(typical[j] for j in rest) or 1
    for j in rest:
        widths[j] = max(12, round(room * typical[j] / total))
    return widths


class Table:
    def __init__(self, df: pd.DataFrame, decimals: dict | int | None = None, links: dict | None = None,
                 max_latex_rows: int | None = None, pdf_columns: list | None = None, caption: str | None = None):
        """``decimals``: one number, or column -> decimals; ``links``: column -> column holding its
        URL; ``pdf_columns``: the columns to keep in the PDF, where a page is narrower than a
        scrolling HTML table (default: all); ``caption``: what the table shows, announced with it
        by screen readers (the HTML table's ``<caption>``)."""
        self.df = df.reset_index(drop=True)
        self.decimals = decimals
        self.links = links or {}
        self.max_latex_rows = max_latex_rows
        self.pdf_columns = pdf_columns
        self.caption = caption

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
        # the wrapper scrolls, so it is focusable for keyboard users, and a region named after its table
        region = f' role="region" aria-label="{html.escape(self.caption, quote=True)}"' if self.caption else ""
        return (f'<div class="nhs-table-wrap" tabindex="0"{region}>'
                f'<table class="nhs-sortable">{caption}<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')

    def _repr_markdown_(self) -> str:
        """A MyST list-table with column widths from the content, so that long columns wrap in
        the PDF (a plain Markdown table would get fixed-width columns that run off the page)."""
        cols, rows = self._cells(True)
        if self.max_latex_rows is not None:
            rows = rows[: self.max_latex_rows]
        if self.pdf_columns is not None:
            keep = [j for j, c in enumerate(cols) if c in self.pdf_columns]
            cols = [cols[j] for j in keep]
            rows = [[r[j] for j in keep] for r in rows]

        def esc(s: str) -> str:
            s = s.replace("\\", "\\\\")
            for ch in "*_`[]{}<>|#":
                s = s.replace(ch, "\\" + ch)
            return s

        def cell(text: str, url: str | None) -> str:
            return f"[{esc(text)}]({url})" if url else (esc(text) or " ")

        widths = _pdf_widths([str(c) for c in cols], [[t for t, _, _ in r] for r in rows])
        lines = ["```{list-table}", ":header-rows: 1", f":widths: {' '.join(map(str, widths))}", ""]
        lines.append("* - " + "\n  - ".join(esc(str(c)) for c in cols))
        for row in rows:
            lines.append("* - " + "\n  - ".join(cell(t, u) for t, u, _ in row))
        lines.append("```")
        return "\n".join(lines) + "\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), "text/markdown": self._repr_markdown_(),
                "text/plain": self.df.to_string(max_rows=20)}
