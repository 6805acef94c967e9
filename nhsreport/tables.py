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


class Table:
    def __init__(self, df: pd.DataFrame, decimals: dict | int | None = None, links: dict | None = None,
                 max_latex_rows: int | None = None):
        """``decimals``: one number, or column -> decimals; ``links``: column -> column holding its URL."""
        self.df = df.reset_index(drop=True)
        self.decimals = decimals
        self.links = links or {}
        self.max_latex_rows = max_latex_rows

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
        return (f'<div class="nhs-table-wrap"><table class="nhs-sortable"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')

    def _repr_markdown_(self) -> str:
        cols, rows = self._cells(True)
        if self.max_latex_rows is not None:
            rows = rows[: self.max_latex_rows]

        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")

        lines = ["| " + " | ".join(esc(str(c)) for c in cols) + " |", "|" + "---|" * len(cols)]
        for row in rows:
            cells = [f"[{esc(t)}]({u})" if u else esc(t) for t, u, _ in row]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), "text/markdown": self._repr_markdown_(),
                "text/plain": self.df.to_string(max_rows=20)}
