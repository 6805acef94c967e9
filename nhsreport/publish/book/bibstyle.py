"""The bibliography's style: entries labelled author–year, as the text cites them.

The text cites "[Wickware, 2017]" (``bibtex_reference_style: author_year``); pybtex's stock
styles would number the list [1]–[183] instead. :class:`AuthorYearStyle` (registered as the
pybtex style ``nhsreport``, used through ``bibtex_default_style`` in ``_config.yml``) labels each
entry with the same author and year, sorts the list in one alphabetical run by that label
(organisations and people together, ignoring case and braces), writes months in full with a
capital ("March 2015", not "mar 2015") and the date an address was read in UK style ("accessed
November 2026", not "visited on 2026-11"); a data file's note reads for a reader (:func:`reader_note`).
"""

from __future__ import annotations

import re

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, optional, sentence

from nhsreport.dates import MONTHS

_BY_PREFIX = {m[:3].lower(): m for m in MONTHS}


def month_name(value: str) -> str:
    """``"mar"``, ``"3"`` or ``"March"`` -> ``"March"``; anything else unchanged."""
    v = str(value).strip()
    if v.isdigit() and 1 <= int(v) <= 12:
        return MONTHS[int(v) - 1]
    return _BY_PREFIX.get(v[:3].lower(), v) if len(v) >= 3 else v


def accessed_text(value: str) -> str:
    """The date an address was read, as the bibliography prints it: ``"2026-11"`` -> ``"November
    2026"``, ``"2026-11-03"`` -> ``"3 November 2026"``; anything else (already text) unchanged."""
    from nhsreport import formatting  # pandas: only when a build formats the bibliography

    v = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", v):
        return formatting.date_at_precision(f"{v}-01", "month")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return formatting.date_at_precision(v, "day")
    return v


def _plain(text: str) -> str:
    return re.sub(r"[{}\\]", "", str(text)).strip()


def author_text(entry) -> str:
    """The authors as the text cites them: "Last", "Last and Last" or "Last et al."; an
    organisation's name as written; the editors, or the key, when there is no author."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_plain(" ".join(p.prelast_names + p.last_names)) or _plain(str(p)) for p in persons]
    if not names:
        return _plain(entry.fields.get("organization", entry.key))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def label(entry) -> str:
    year = _plain(entry.fields.get("year", "n.d."))
    return f"{author_text(entry)}, {year}"


class AuthorYearLabels(BaseLabelStyle):
    """Author and year; works by one author in one year are told apart as 2015a, 2015b, ...
    in the order of the list."""

    def format_labels(self, sorted_entries):
        from collections import Counter

        entries = list(sorted_entries)
        labels = [label(e) for e in entries]
        total, seen = Counter(labels), Counter()
        for lab in labels:
            if total[lab] > 1:
                seen[lab] += 1
                yield lab + "abcdefghijklmnopqrstuvwxyz"[seen[lab] - 1]
            else:
                yield lab


class AuthorYearSorting(BaseSortingStyle):
    def sorting_key(self, entry):
        return (
            author_text(entry).casefold(),
            _plain(entry.fields.get("year", "")),
            _plain(entry.fields.get("title", "")).casefold(),
        )


_REGISTRY_ID = re.compile(r"(?:;\s*)?source registry id: [^;]*(?=;|$)")


def reader_note(note: str) -> str:
    """A note as a reader wants it: without the report's own name for the source ("source registry
    id: kh03_beds_2010_2024"), its periods in words ("period September 2009 to September 2018",
    not "2009-09/2018-09")."""
    from nhsreport import formatting

    note = _REGISTRY_ID.sub("", note).strip()
    note = re.sub(r"^;\s*", "", note)
    return formatting.dates_in_words(note)


class AuthorYearStyle(PlainStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting

    def format_entry(self, label, entry, bib_data=None):
        if "month" in entry.fields:
            entry.fields["month"] = month_name(entry.fields["month"])
        if "urldate" in entry.fields:
            entry.fields["urldate"] = accessed_text(entry.fields["urldate"])
        if "note" in entry.fields:
            entry.fields["note"] = reader_note(entry.fields["note"])
        return super().format_entry(label, entry, bib_data=bib_data)

    def format_web_refs(self, e):
        """The address and when it was read: "URL: … (accessed November 2026)"."""
        return sentence[
            optional[self.format_url(e), optional[" (accessed ", field("urldate"), ")"]],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]


def register() -> None:
    """Make the style available to sphinxcontrib-bibtex as ``nhsreport``; and pybtex's plain-text
    backend as a plugin found at once: sphinxcontrib-bibtex looks it up for every citation it
    resolves, and pybtex looks for a plugin not registered this way among the entry points of every
    installed package (13 ms a time, 165 citations: 2 s of writing the pages). It is the class the
    entry point names."""
    from pybtex.backends.plaintext import Backend as PlainTextBackend

    register_plugin("pybtex.style.formatting", "nhsreport", AuthorYearStyle, force=True)
    register_plugin("pybtex.backends", "plaintext", PlainTextBackend, force=True)
