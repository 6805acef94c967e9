"""The bibliography: real titles, primary addresses, secondary copies said to be such, UK dates,
and a references page that lists only the works the book cites."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from pybtex.database import parse_file, parse_string

from nhsreport.publish.book import bibstyle

from .conftest import ROOT

BIB = ROOT / "book" / "references.bib"

#: Addresses the report does not cite: campaign sites, encyclopaedia copies, textbook chapters
#: standing in for an Act, development and preview copies of a publisher's site, developer
#: documentation standing in for NHS England's records. A primary exists for each.
BANNED = (
    "studylib.net",
    "theadsfoundation.org",
    "taylorfrancis.com",
    "healthsystemsfacts.org",
    "sochealth.co.uk",
    "nhsp-production.azurewebsites.net",
    "dev.nhs-providers.vercel.app",
    "github.com/rcpch",
    "alumni.health.org.uk",
    "?preview=1",
    "wikipedia.org",
    "lexology.com",
    "wilmingtonhealthcare.com",
    "civilserviceworld.com",
    "digitalhealth.net",
    "bmj.com/content/381/bmj.p1313",
    "mills-reeve.com",
    "johnredwoodsdiary.com",
    "yumpu.com",
)

#: Hosts of document-sharing sites, campaign and trade sites and unofficial copies of official
#: records: an entry may point at one only when no primary could be read, and its note must say so.
SECONDARY = (
    "vdocuments.site",
    "paperzz.com",
    "fdocuments.in",
    "pdfslide.net",
    "readkong.com",
    "dokumen.tips",
    "nhsfunding.info",
    "lowdownnhs.info",
    "parallelparliament.co.uk",
    "the-independent.com",
    "healthcare-management.uk",
    "paconsulting.com",
    "wired-gov.net",
)


def _entries():
    return parse_file(str(BIB)).entries


def _plain(text: str) -> str:
    return re.sub(r"[{}]", "", text).strip()


def test_no_title_is_a_bracketed_placeholder():
    bad = [k for k, e in _entries().items() if _plain(e.fields.get("title", "")).startswith("[")]
    assert not bad, f"placeholder titles: {bad}"


def test_no_curated_table_names_a_source_by_a_placeholder():
    import csv

    for path in sorted((ROOT / "data" / "curated").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f), start=2):
                title = row.get("source_title") or ""
                assert "[" not in title, f"{path.name} line {n}: {title}"
                assert not any(b in (row.get("source_url") or "") for b in BANNED), f"{path.name} line {n}"


def test_no_entry_points_at_a_banned_address():
    bad = {k: e.fields["url"] for k, e in _entries().items() if any(b in e.fields.get("url", "") for b in BANNED)}
    assert not bad, bad


def test_an_entry_on_a_secondary_copy_says_so():
    for key, e in _entries().items():
        host = urlparse(e.fields.get("url", "")).netloc.removeprefix("www.")
        if host in SECONDARY:
            note = e.fields.get("note", "")
            assert re.search(r"secondary|copy", note, re.I), f"{key} ({host}) does not say it is a secondary copy"


def test_notes_write_dates_in_uk_style():
    for key, e in _entries().items():
        note = e.fields.get("note", "")
        assert not re.search(r"\b\d{4}-(0[1-9]|1[0-2])(-\d{2})?\b", note), f"{key}: ISO date in note"
        assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", note), key


def test_references_page_lists_only_cited_works():
    text = (ROOT / "book" / "references.md").read_text(encoding="utf-8")
    assert "{bibliography}" in text and ":all:" not in text


def test_the_date_an_address_was_read_is_printed_in_uk_style():
    assert bibstyle.accessed_text("2026-11") == "November 2026"
    assert bibstyle.accessed_text("2026-11-03") == "3 November 2026"
    assert bibstyle.accessed_text("November 2026") == "November 2026"
    bib = parse_string(
        "@misc{a, author = {{NHS England}}, title = {T}, year = {2020}, url = {https://x.org}, urldate = {2026-11}}",
        "bibtex",
    )
    text = bibstyle.AuthorYearStyle().format_entry("NHS England, 2020", bib.entries["a"]).text.render_as("text")
    assert "(accessed November 2026)" in text and "2026-11" not in text


@pytest.mark.slow
def test_built_references_page_has_no_uncited_entry(html_book):
    """Every entry of the built references page is the target of a citation on some page."""
    page = (html_book / "book" / "references.html").read_text(encoding="utf-8")
    entries = set(re.findall(r'<div class="citation" id="([\w-]+)"', page))
    assert entries, "no entries on the references page"
    cited = set()
    for p in html_book.rglob("*.html"):
        cited |= set(re.findall(r'href="[^"]*references\.html#([\w-]+)"', p.read_text(encoding="utf-8")))
    uncited = entries - cited
    assert not uncited, f"{len(uncited)} entries nobody cites, e.g. {sorted(uncited)[:5]}"


def test_data_file_entries_name_their_source_for_readers_not_the_registry():
    for key, e in _entries().items():
        note = e.fields.get("note", "")
        assert "registry" not in note and "copy obtained via" not in note, key
        if "registry" in e.fields:
            assert note.startswith("Data file, "), key
