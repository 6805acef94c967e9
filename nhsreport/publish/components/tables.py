"""Tables for chapters: sortable in the HTML book, and the same table in the PDF book.

:class:`Table` displays as ``text/html``: a ``<table class="nhs-sortable">`` that the book's small
sorting script makes sortable by clicking a header. Negative numbers have a true minus sign, and
dates are in words ("Feb 2015", "1 July 2022"), each sorting by its value. The PDF book prints the HTML book, so it prints
the same table (:mod:`nhsreport.publish.book.printbook`), less the columns marked screen-only.
:func:`list_table` writes a table inside MyST Markdown (the appendices' datasets).
"""

from __future__ import annotations

import html

import pandas as pd

from nhsreport.formatting import ISO_DATES, dates_in_words


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


def list_table(
    headers: list[str],
    rows: list[list[str]],
    caption: str | None = None,
    label: str | None = None,
) -> str:
    """A MyST list-table from cells already in MyST markup, its columns as wide as their content
    needs, with a numbered caption when given."""
    lines = [
        f"```{{list-table}}{(' ' + caption) if caption else ''}",
        ":header-rows: 1",
        ":widths: auto",
    ]
    if label:
        lines.append(f":name: {label}")
    lines.append("")
    lines.append("* - " + "\n  - ".join(h for h in headers))
    for row in rows:
        lines.append("* - " + "\n  - ".join(c or " " for c in row))
    lines.append("```")
    return "\n".join(lines) + "\n"


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
        scrolling HTML table (default: all; the others are marked screen-only, and the PDF book
        names them under the table); ``caption``: what the table shows, plain text: the table's
        ``<caption>`` (announced with it by screen readers); ``label``: a name to refer to it by."""
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
                if numeric and txt.startswith("-"):
                    txt = "\u2212" + txt[1:]  # a true minus sign, as the prose has it
                dated = None if numeric else ISO_DATES.fullmatch(txt)
                if dated and dates_in_words(txt, short=True) != txt:  # a date in words, sorting by the date
                    sort = f' data-sort="{dated.group(1).replace("-", "").ljust(8, "0")}"'
                    txt = dates_in_words(txt, short=True)
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

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self._repr_html_(),
            "text/plain": self.df.to_string(max_rows=20),
        }
