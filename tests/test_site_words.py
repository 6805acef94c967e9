"""What the book prints for its address and contact, with and without a configured site (defects 1,
2 and N4 of the print review): the real address where one is given, and nowhere a placeholder or a
sentence that reads as a gap."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nhsreport.publish.book import content, site

ROOT = Path(__file__).resolve().parent.parent
GAP = re.compile(r"example\.(org|com)|No contact given|adds one here|\{\{|TODO|placeholder", re.I)


@pytest.fixture
def unconfigured(tmp_path, monkeypatch):
    monkeypatch.delenv(site.ENV, raising=False)
    monkeypatch.delenv(site.CONTACT_ENV, raising=False)
    monkeypatch.delenv(site.SOURCE_ENV, raising=False)
    (tmp_path / site.CONFIG).write_text("html:\n  baseurl: ''\n", encoding="utf-8")
    monkeypatch.setattr(site.paths, "ROOT", tmp_path)
    return tmp_path


@pytest.fixture
def configured(unconfigured, monkeypatch):
    monkeypatch.setenv(site.ENV, "https://nhs.example.net/report")
    monkeypatch.setenv(site.CONTACT_ENV, "report-team@nhs.example.net")
    return unconfigured


def test_a_build_without_a_contact_sends_readers_to_the_publisher_of_their_copy(unconfigured):
    words = site.contact_markdown()
    assert words.startswith("contact the organisation that published this copy")
    assert not GAP.search(words) and "http" not in words and "@" not in words
    assert content.contact_markdown() == words


def test_a_build_with_a_contact_prints_it_as_a_link(configured, monkeypatch):
    assert site.contact_markdown() == (
        "contact the report team: [report-team@nhs.example.net](mailto:report-team@nhs.example.net)."
    )
    monkeypatch.setenv(site.CONTACT_ENV, "https://forms.nhs.example.net/report")
    assert site.contact_markdown() == (
        "contact the report team through [its page for requests and comments](https://forms.nhs.example.net/report)."
    )


def test_an_issue_tracker_as_contact_is_called_public_with_a_private_route(configured, monkeypatch):
    """N9: a public issue tracker is named as one, and a private request has somewhere to go."""
    monkeypatch.setenv(site.CONTACT_ENV, "https://github.com/nhs/report/issues")
    words = site.contact_markdown()
    assert words.startswith(
        "contact the report team through [its public issue tracker on GitHub](https://github.com/nhs/report/issues)."
    )
    assert "can be read by anyone" in words and "for a request you would rather not make in public" in words
    assert (
        "[its public issue tracker on GitHub](https://github.com/nhs/report/issues)" in site.general_contact_markdown()
    )
    assert not site.is_issue_tracker("mailto:a@b.net") and not site.is_issue_tracker(None)


def test_front_page_has_one_line_of_general_contact(unconfigured, monkeypatch):
    assert site.general_contact_markdown().startswith(
        "To report an error or ask about the report, contact the organisation"
    )
    monkeypatch.setenv(site.CONTACT_ENV, "report-team@nhs.example.net")
    assert site.general_contact_markdown() == (
        "To report an error or ask about the report, write to "
        "[report-team@nhs.example.net](mailto:report-team@nhs.example.net)."
    )
    assert "{{ general_contact }}" in _markdown("index.md")


def test_response_times_and_enforcement_name_who_answers(unconfigured, monkeypatch):
    """N10: a build with no contact promises no response times on an unnamed organisation's behalf
    and does not say the report team answers; a build with a contact keeps both."""
    assert "working days" not in site.response_markdown() and "report team" not in site.responder_text()
    monkeypatch.setenv(site.CONTACT_ENV, "report-team@nhs.example.net")
    assert "within 5 working days" in site.response_markdown()
    assert site.responder_text() == "how the report team responds to"
    text = _markdown("accessibility.md")
    assert "{{ response }}" in text and "{{ responder }} your" in text and "working days" not in text


def test_how_to_rerun_says_where_the_code_is_and_promises_nothing_a_local_copy_cannot_keep(unconfigured, monkeypatch):
    """N11: the code's address when the workflow gives it; otherwise no claim that it is published."""
    assert "published" not in site.code_markdown() and "kept with the report’s sources" in site.code_markdown()
    monkeypatch.setenv(site.SOURCE_ENV, "https://github.com/nhs/report/")
    assert site.code_markdown().endswith("is published in [its repository](https://github.com/nhs/report)")
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert f"{site.SOURCE_ENV}: ${{{{ format('{{0}}/{{1}}', github.server_url, github.repository) }}}}" in workflow
    assert "{{ code_where }}, and each chapter" in _markdown("index.md")


def test_profile_references_name_the_website_and_its_address_in_print_only(unconfigured, monkeypatch):
    words = site.on_website_markdown()
    assert 'class="nhs-print-only" hidden' in words and "report’s website" in words
    assert "http" not in words and not GAP.search(words)
    monkeypatch.setenv(site.ENV, "https://nhs.example.net/report")
    assert "(https://nhs.example.net/report/book/systems.html)" in site.on_website_markdown()
    assert site.website_text() == "on the report’s website at https://nhs.example.net/report/"
    assert (
        "(in the HTML version, on the report’s website at https://nhs.example.net/report/)" in site.in_html_markdown()
    )


def test_the_citation_is_a_reader_s_title_with_the_address_when_configured(unconfigured, monkeypatch):
    assert "executable" not in content.cite_markdown() and "http" not in content.cite_markdown()
    monkeypatch.setenv(site.ENV, "https://nhs.example.net/report")
    assert content.cite_markdown().endswith("<https://nhs.example.net/report/>")


def _markdown(name: str) -> str:
    path = ROOT / "book" / name
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


CHAPTERS = [
    "01_reorganisation.ipynb",
    "02_management.ipynb",
    "03_systems.ipynb",
    "04_integration.ipynb",
    "05_conclusions.ipynb",
]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_profile_reference_of_a_chapter_says_where_the_profiles_are_in_print(name):
    """A chapter that sends a board to its profile says, in print, that the profiles are on the
    report's website (with the address when configured), in the same sentence."""
    for part in re.split(r"\n\s*\n|\n\s*(?:-|\d+\.) ", _markdown(name)):  # paragraphs and list items
        for sentence in re.split(r"(?<=[.?!;])\s+", part):
            if re.search(r"\bprofiles?\b", sentence):
                assert "{{ on_website }}" in sentence, f"{name}: {sentence[:160]}"


def test_the_front_page_speaks_to_readers_and_points_at_what_the_print_holds():
    text = _markdown("index.md")
    assert "The report is executable" not in text
    rerun = text.split("## How to rerun it")[1].split("\n## ")[0]
    assert "{ref}`methods-refresh`{{ in_html }}" in rerun  # a section the PDF leaves out (N4) says where it is


def test_the_accessibility_statement_says_what_a_pdf_reader_gets():
    text = _markdown("accessibility.md")
    assert "{{ contact }}" in text and "In the PDF book you should be able to" in text
    assert "without telling colours apart" not in text
    for needed in ("tagged", "British English", "text alternative"):
        assert needed in text


def test_the_systems_page_says_in_print_where_the_profiles_are(unconfigured, monkeypatch):
    from nhsreport.publish.pages import profiles

    assert "has a profile{{ on_website }}:" in _markdown("systems.md")

    note = profiles.index_print_note("QE1", "Lancashire and South Cumbria")
    assert "profile page on the report’s website" in note and "http" not in note and not GAP.search(note)
    assert "printed profile" not in note  # the briefings are not in the book
    monkeypatch.setenv(site.ENV, "https://nhs.example.net/report")
    note = profiles.index_print_note("QE1", "Lancashire and South Cumbria")
    assert "https://nhs.example.net/report/book/systems/QE1.html" in note
    template = (ROOT / "nhsreport/publish/pages/templates/index.md.j2").read_text(encoding="utf-8")
    assert '<p class="nhs-print-only" hidden>{{ print_note }}</p>' in template


def test_no_reference_is_cited_through_a_document_mirror():
    """Defect 12: a work read only on a document-sharing site is cited by publisher, title and date,
    saying no official online copy was found; the mirror's address is not printed."""
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    for host in ("fdocuments.in", "dokumen.tips", "vdocuments.site"):
        assert host not in bib
    for key in ("millsreeve2021collab", "monitor_mergerbenefits", "nhse2016alliancetemplate"):
        entry = bib.split("{" + key + ",", 1)[1].split("\n}", 1)[0]
        assert "No official online copy was found" in entry and "url = " not in entry, key


def test_data_file_references_say_in_words_where_the_copy_came_from():
    """Defect 21: no "a copy read from github.com/..."; the note says the report read a copy shared
    on GitHub, and where the official copy is gone, that no official copy was found online."""
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    notes = re.findall(r"note = \{(Data file, [^\n]*)\},", bib)
    assert notes
    for note in notes:
        assert "copy read from" not in note and "github.com" not in note, note


def test_spans_of_years_in_house_style():
    """Defect 16: en dashes for spans of years, a slash for financial years; addresses, code and
    ISO dates left alone."""
    from nhsreport.formatting import year_spans

    assert year_spans("mergers, 2000-2026; waves, 2017-2021") == "mergers, 2000–2026; waves, 2017–2021"
    assert year_spans("from 4.3% in 2010-11 to 2.9% in 2013-14") == "from 4.3% in 2010/11 to 2.9% in 2013/14"
    assert year_spans("the 2010-13 pioneers") == "the 2010–13 pioneers"
    for kept in ("2025-11", "2025-11-30", "https://x.org/2010-2018/a", "`geo_2019-2020`", "[a](https://x/2010-2012)"):
        assert year_spans(kept) == kept


def test_shares_of_a_divided_board_add_up_to_100_at_one_decimal_place():
    """Defect 16: the shares of each divided board, at one decimal place, add up to 100."""
    import pandas as pd

    from nhsreport.publish.chapters.systems_figures import shares_to_one_decimal

    shares = shares_to_one_decimal(pd.Series([0.5551, 0.2304, 0.2145]))
    assert shares.tolist() == [55.5, 23.0, 21.5] and round(shares.sum(), 6) == 100
    assert shares_to_one_decimal(pd.Series([0.647, 0.353])).tolist() == [64.7, 35.3]
    assert round(shares_to_one_decimal(pd.Series([1 / 3] * 3)).sum(), 6) == 100


def test_timeline_stems_stop_short_of_every_label():
    """Defect 6: in Fig 1.1 no event's stem runs through another event's label."""
    import pandas as pd
    import vl_convert as vlc

    from nhsreport import data
    from nhsreport.publish.chapters import reorganisation
    from nhsreport.publish.components.charts import collisions

    lay = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2020-02-01"]),
            "label": ["A long label that runs right", "Later"],
            "align": ["left", "left"],
            "y": [1, 2],
        }
    )
    pieces = reorganisation.stem_segments(lay, "2020-01-01", "2021-01-01")
    later = pieces[pieces["date"] == pd.Timestamp("2020-02-01")]
    assert len(later) == 2 and later["y0"].min() == 0 and later["y1"].max() == 2  # cut round the first label
    assert later["y1"].min() < 1 - 0.3 and later["y0"].max() > 1 + 0.3
    svg = vlc.vegalite_to_svg(reorganisation.timeline_chart(data.load("timeline")).to_dict())
    boxes, lines = collisions.text_boxes(svg), collisions.rule_segments(svg)
    struck = {b.text for s in lines for b in boxes if collisions._crosses(s, b, 1.0) and not collisions._ends_in(s, b)}
    assert not struck, struck  # halos aside: no stem crosses a label at all


@pytest.mark.slow
def test_the_printed_book_has_no_gap_and_says_where_the_web_only_parts_are(pdf_book):
    """The PDF book as built (with or without a configured address): no placeholder or gap line, no
    developer words, no mirror or "obtained via" sources; each chapter's profile references say the
    profiles are on the report's website, with the address when one is configured."""
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf_book), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert not GAP.search(flat), GAP.search(flat)
    for gone in (
        "The report is executable",
        "an executable report",
        "obtained via",
        "a copy read from",
        "fdocuments.in",
        "dokumen.tips",
        "vdocuments.site",
        "nhsreport.analysis",
        "(year -1)",
    ):
        assert gone not in flat, gone
    assert "organisation that published this copy" in flat or (site.contact() or "").removeprefix("mailto:") in flat
    base = site.base_url()
    assert flat.count("profile on the report’s website") + flat.count("profiles on the report’s website") >= 10
    if base:
        assert base + "book/systems.html" in flat.replace(" ", "")


def test_chapter_4_tables_print_no_document_mirror_and_years_in_house_style():
    """Defects 12 and 16 in chapter 4's tables: no source linked to a document-sharing site, and the
    published results with financial years written "2014/15"."""
    from nhsreport.publish.chapters import integration as chapter4
    from nhsreport.publish.chapters import integration_figures as figures

    assert figures.official_address("https://dokumen.tips/x.html") is None
    assert figures.official_address("https://www.england.nhs.uk/x/") == "https://www.england.nhs.uk/x/"
    results = chapter4.compute(chapter4.load())
    for table in (figures.arrangements_table(results), figures.evaluations_table(results)):
        urls = " ".join(str(u) for u in table.df["source_url"])
        assert not any(host in urls for host in figures.DOCUMENT_MIRRORS)
    shown = figures.evaluations_table(results).df
    results_text = " ".join(shown["Result as published"]) + " ".join(shown["Outcome"])
    assert not re.search(r"\b20\d\d-\d\d\b", results_text)
