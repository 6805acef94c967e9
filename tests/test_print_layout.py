"""Print layout without building the book: the tables' HTML and MyST forms, the bibliography
style and the published site's address."""

from __future__ import annotations

import pandas as pd
import pytest

from nhsreport import paths
from nhsreport.errors import DataError
from nhsreport.publish.book import bibstyle, site
from nhsreport.publish.components import tables


def test_table_html_is_captioned_with_every_row():
    df = pd.DataFrame(
        {
            "Claim": [f"C{i:02d}" for i in range(1, 41)],
            "Verdict": ["supported"] * 40,
            "url": ["https://example.org/a_b"] * 40,
        }
    )
    html = tables.Table(df, links={"Claim": "url"}, caption="Every claim")._repr_html_()
    assert "<caption>Every claim</caption>" in html and html.count("<tr>") == 41
    assert html.count('<a href="https://example.org/a_b">') == 40


def test_table_html_prints_minus_signs_and_dates_in_words_that_sort_by_value():
    df = pd.DataFrame({"Start": ["2015-02", "2013-04/2022-07", "2015-04-01", "2010-11"], "Change": [-9, 3, -1.5, 0]})
    html = tables.Table(df, decimals={"Change": 1})._repr_html_()
    assert '<td data-sort="20150200">Feb 2015</td>' in html and "<td>2010-11</td>" in html, "a financial year stays"
    assert '<td data-sort="20130400">Apr 2013 to Jul 2022</td>' in html and 'data-sort="20150401">1 April 2015<' in html
    assert (
        '<td class="num" data-sort="-9.0">\u22129.0</td>' in html
        and '<td class="num" data-sort="-1.5">\u22121.5</td>' in html
    )


def test_list_table_is_captioned_and_sized_by_its_content():
    md = tables.list_table(["Field", "Description"], [["`a_b`", "One."], ["`c`", ""]], caption="Fields of x")
    assert md.startswith("```{list-table} Fields of x\n:header-rows: 1\n:widths: auto\n")
    assert md.count("* - ") == 3 and md.rstrip().endswith("```") and "latex" not in md


def test_columns_left_out_of_the_pdf_are_marked_in_the_html():
    df = pd.DataFrame({"Trust": ["A"], "Others": ["B, C"], "Staff": [12]})
    t = tables.Table(df, pdf_columns=["Trust", "Staff"])
    html = t._repr_html_()
    assert '<th scope="col" class="nhs-screen-only">Others</th>' in html
    assert '<td class="nhs-screen-only">B, C</td>' in html and '<td class="num" data-sort="12">12</td>' in html


def test_bibliography_labels_are_author_year_and_told_apart():
    from pybtex.database import parse_string

    bib = parse_string(
        """
    @misc{a, author = {{HSJ}}, title = {One}, year = {2015}, month = {mar}}
    @misc{b, author = {{HSJ}}, title = {Two}, year = {2015}}
    @misc{c, author = {Asaria, Miqdad and McGuire, Alistair and Street, Andrew}, title = {T}, year = {2018}}
    @misc{d, author = {{BMJ Open}}, title = {E}, year = {2019}}
    @misc{e, author = {{BMJ}}, title = {F}, year = {2023}}
    """,
        "bibtex",
    )
    style = bibstyle.AuthorYearStyle()
    entries = style.sort(bib.entries.values())
    labels = list(style.format_labels(entries))
    assert labels == ["Asaria et al., 2018", "BMJ, 2023", "BMJ Open, 2019", "HSJ, 2015a", "HSJ, 2015b"]
    text = style.format_entry("HSJ, 2015a", bib.entries["a"]).text.render_as("text")
    assert "March 2015" in text and "mar" not in text
    assert bibstyle.month_name("11") == "November" and bibstyle.month_name("Sept") == "September"
    note = "Data file, period 2009-09/2018-09; source registry id: consultants\\_fte; copy obtained via github.com/a/b"
    assert (
        bibstyle.reader_note(note)
        == "Data file, period September 2009 to September 2018; copy obtained via github.com/a/b"
    )
    assert bibstyle.reader_note("Data file, period 2018; source registry id: x") == "Data file, period 2018"


def test_site_address_comes_from_the_workflow_or_the_config_and_is_never_a_placeholder(tmp_path, monkeypatch):
    monkeypatch.delenv(site.ENV, raising=False)
    (tmp_path / "_config.yml").write_text('html:\n  baseurl: ""\n', encoding="utf-8")
    assert site.base_url(tmp_path) is None and site.page_url("book/index", root=tmp_path) is None
    (tmp_path / "_config.yml").write_text('html:\n  baseurl: "https://nhs.example/report"\n', encoding="utf-8")
    assert site.base_url(tmp_path) == "https://nhs.example/report/"
    url = site.base_url(tmp_path)
    assert site.page_url("book/03_systems", "where-do-i-fit", tmp_path) == url + "book/03_systems.html#where-do-i-fit"
    monkeypatch.setenv(site.ENV, "https://someone.github.io/nhs-report")
    assert site.base_url(tmp_path) == "https://someone.github.io/nhs-report/"
    monkeypatch.setenv(site.ENV, "not a url")
    with pytest.raises(DataError, match="NHSREPORT_SITE_URL"):
        site.base_url(tmp_path)
    monkeypatch.delenv(site.ENV)
    (tmp_path / "_config.yml").write_text("html:\n  baseurl: html/index.html\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        site.base_url(tmp_path)
    assert "html.baseurl" in str(e.value) and "_config.yml" in str(e.value)
    # the repository's own configuration holds no placeholder address
    assert "example" not in (paths.ROOT / "_config.yml").read_text(encoding="utf-8")


# the PDF book's print page (nhsreport.publish.book.printbook), from a small one-page book

ONE_PAGE_BOOK = """<html><head><title>Joining up the NHS in England</title></head><body>
<article class="bd-article"><section id="joining-up">
<h1>Joining up the NHS in England<a class="headerlink" href="#joining-up">#</a></h1>
<p><strong>An executable report on the NHS.</strong></p><p>Version 1.0.0, 1 December 2026.</p>
<p>Intro text.</p><p><strong>Downloads:</strong> <a href="../_static/downloads/x.pdf">PDF</a>.</p>
<section id="how-to-read-it"><h2>How to read it</h2><p>See <a href="systems/QE1.html">a profile</a>
and <a href="https://www.gov.uk/a">the plan</a> [<a href="book/index.html#cite-1">Wickware, 2017</a>]; see
<a class="reference internal" href="#s-1-1"><span class="std std-ref">A timeline</span></a>; the chapter
<a class="reference internal" href="#document-book/01_reorganisation"><span class="doc">Reorganisation</span></a>.</p></section>
<div class="toctree-wrapper compound"><span id="document-book/01_reorganisation"></span>
<section id="chapter-one"><h2>1. Reorganisation</h2><section id="s-1-1"><h3>1.1. A timeline</h3>
<table class="nhs-sortable"><caption>Arrangements; select a column header to sort</caption>
<thead><tr><th>Name</th><th class="nhs-screen-only">Others</th><th>Start</th></tr></thead>
<tbody><tr><td><a href="https://nhs.example/one">One</a></td><td class="nhs-screen-only">x</td><td>2015-04</td></tr>
<tr><td><a href="https://nhs.example/two">Two_trust_id</a></td><td class="nhs-screen-only">y</td><td>2013-04/2022-07</td></tr>
<tr><td>-13% admissions, 2015-16</td><td class="nhs-screen-only">z</td><td>-9</td></tr></tbody>
</table><p>As of 2026-11; from 2014-04-01 (<code>load("x", as_of="2022-07-01")</code>), in 2010-11 and
<a href="https://nhs.example/2015-02-01">https://nhs.example/2015-02-01</a>.</p>
<p class="nhs-print-only" hidden>On paper only.</p><p><strong>Download:</strong> <a href="../_static/downloads/x.csv">the figures (CSV)</a></p>
</section></section></div>
<div class="toctree-wrapper compound"><span id="document-book/references"></span>
<section id="references"><h2>References</h2><div class="citation" id="cite-1"><span class="label">[Wickware, 2017]</span>
<p>Wickware. URL: <a href="https://www.hsj.co.uk/x">https://www.hsj.co.uk/x</a></p></div></section></div>
</section></article></body></html>"""


def _print_page(pages=None, base_url=None, tmp_path=None, tight=frozenset(), breaks=None, table_pages=None):
    import bs4

    from nhsreport.publish.book import printbook

    html = printbook.print_page(ONE_PAGE_BOOK, pages, base_url, tight, breaks, table_pages)
    return html, bs4.BeautifulSoup(html, "html.parser")


def test_print_page_has_a_title_page_contents_and_chapters_as_first_level_headings(tmp_path):
    html, page = _print_page(tmp_path=tmp_path)
    assert page.html["lang"] == "en-GB" and page.title.get_text() == "Joining up the NHS in England"
    title = page.select_one(".nhs-title-page")
    assert "Joining up the NHS in England" in title.get_text() and "Version 1.0.0" in title.get_text()
    assert "A report on the NHS." in title.get_text() and "executable" not in title.get_text()
    assert [h.get_text() for h in page.main.find_all("h1")] == ["About this report", "1. Reorganisation", "References"]
    assert [h.get_text() for h in page.main.find_all("h2")] == ["How to read it", "1.1. A timeline"]
    toc = page.select_one("nav.nhs-contents")
    assert [a["href"] for a in toc.find_all("a")][:2] == ["#about-this-report", "#how-to-read-it"]
    assert "000" in toc.get_text(), "the first pass holds a placeholder for each page number"
    html, page = _print_page({"Aboutthisreport": 3, "1.Reorganisation": 5}, tmp_path=tmp_path)
    numbers = [s.get_text() for s in page.select(".nhs-toc-page")]
    assert numbers[0] == "3" and "5" in numbers
    assert "headerlink" not in html and "toctree-wrapper" not in html


def test_print_page_prints_addresses_and_leaves_out_what_works_only_on_screen(tmp_path):
    html, page = _print_page(tmp_path=tmp_path)
    assert "nhs-screen-only" not in html and "select a column header" not in html
    # the columns left out follow in a second table, with the first column again
    table, continued = page.find_all("table")
    assert table.find("caption").get_text() == "Arrangements. Continued in one further table on pages 000\u2013000."
    assert continued.find("caption").get_text() == "Arrangements (continued): Others"
    assert [[td.get_text() for td in tr.find_all("td")] for tr in continued.find_all("tr")][1:] == [
        ["One1", "x"],
        ["Two_trust_id2", "y"],
        ["\u221213% admissions, 2015-16", "z"],
    ]
    # a table's link addresses are numbered notes under it
    notes = page.select_one("ol.nhs-table-notes")
    assert [li.get_text() for li in notes.find_all("li")] == ["https://nhs.example/one", "https://nhs.example/two"]
    assert [s.get_text() for s in table.select("sup.nhs-note-ref")] == ["1", "2"]
    # dates in UK style, each kept on one line in a table; identifiers may break after "_"
    assert [s.get_text() for s in table.select("td .nhs-nowrap")] == ["Apr 2015", "Apr 2013", "Jul 2022"]
    assert table.find_all("td")[-3].get_text() == "Apr 2013 to Jul 2022"
    # numbers in tables with a true minus sign; spans of years keep their hyphen
    assert [td.get_text() for td in table.find_all("td")[-2:]] == ["\u221213% admissions, 2015-16", "\u22129"]
    assert "Two_<wbr/>trust_<wbr/>id" in html and "Two_trust_id" in page.get_text()
    text = " ".join(page.get_text().split())
    assert "As of November 2026; from 1 April 2014" in text and "in 2010-11 and" in text
    assert 'as_of="2022-07-01"' in text and "https://nhs.example/2015-02-01" in text, "code and addresses kept"
    # what is marked for print only is shown; a download with no address is left out
    assert "On paper only." in text and "hidden" not in str(page.find(string="On paper only.").parent)
    assert "the figures (CSV)" not in text
    # in the text, an address follows its link; a citation links to its entry in the book
    assert "the plan (https://www.gov.uk/a)" in " ".join(page.get_text().split())
    assert page.find("a", string="Wickware, 2017")["href"] == "#cite-1"
    # with no published address, links to other pages of the site print as text only
    assert page.find("a", string="a profile") is None and "a profile" in page.get_text()
    assert "The HTML version of this report has interactive charts" in text and "Downloads:" not in text
    _, page = _print_page(base_url="https://nhs.example/report/", tmp_path=tmp_path)
    assert page.find("a", string="a profile")["href"] == "https://nhs.example/report/book/systems/QE1.html"
    assert "published at https://nhs.example/report/" in page.get_text()
    assert page.select_one(".nhs-title-page a")["href"] == "https://nhs.example/report/"


def test_every_chapter_has_its_title_as_running_head_and_the_title_page_none(tmp_path):
    from nhsreport.publish.book import printbook

    html, page = _print_page(tmp_path=tmp_path)
    chapters = page.main.find_all("section", recursive=False)
    names = [s["style"].removeprefix("page: ") for s in chapters]
    assert names == ["nhs-chapter-1", "nhs-chapter-2", "nhs-chapter-3"]
    style = page.style.get_text()
    for name, title in zip(names, ["About this report", "1. Reorganisation", "References"]):
        assert f'@page {name} {{ @top-center {{ content: "{title}"; }} }}' in style
    assert '@page nhs-contents { @top-center { content: "Contents"; } }' in style
    assert "@page nhs-cover { @top-center { content: none; } @bottom-center { content: none; } }" in style
    assert ".nhs-title-page { page: nhs-cover; }" in style and "counter(page)" in style
    assert printbook._css_string('Say "no" \\ yes') == '"Say \\"no\\" \\\\ yes"'


def test_dates_read_in_words_except_financial_years_and_non_dates():
    from nhsreport.formatting import dates_in_words as uk_dates_text

    assert uk_dates_text("As of: 2022-07-01. As of 2026-11.") == "As of: 1 July 2022. As of November 2026."
    assert uk_dates_text("2013-04/2022-07") == "April 2013 to July 2022"
    assert uk_dates_text("2015-02", short=True) == "Feb 2015"
    for kept in ("in 2010-11", "2019-2022", "2010-13", "(000-004)", "geo_2022-07", "2025-26-to-lay", "v2022-07-01a"):
        assert uk_dates_text(kept) == kept


def test_long_ids_are_shortened_for_pdf_destinations():
    import bs4

    from nhsreport.publish.book import printbook

    long = "c01-" + "x" * 150
    page = bs4.BeautifulSoup(f'<main><h2 id="{long}">C01</h2><a href="#{long}">C01</a></main>', "html.parser")
    printbook.short_ids(page)
    new = page.h2["id"]
    assert len(new) <= printbook.MAX_ID and page.a["href"] == "#" + new and new.startswith("c01-")


def test_the_pdf_book_is_published_where_the_site_offers_it(tmp_path):
    from nhsreport.publish.book import printbook

    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(b"%PDF-1.7 the book")
    assert printbook.publish(pdf, tmp_path) == [], "no site built: nothing to publish into"
    site_downloads = tmp_path / "html" / "_static" / "downloads"
    site_downloads.mkdir(parents=True)
    assert printbook.publish(pdf, tmp_path) == [site_downloads / printbook.PDF_BOOK]
    assert (site_downloads / printbook.PDF_BOOK).read_bytes() == pdf.read_bytes()


def test_a_chapter_is_set_closer_only_when_its_last_page_holds_a_few_lines(tmp_path):
    from nhsreport.publish.book import makeup

    fills = [0.5, 0.9, 0.1, 0.8, 0.15, 0.9, 0.05]  # pages 1-7
    chapters = ["A", "B", "C", "D"]  # A on p.1-3 (ends at 10%), B p.4-5, C p.6 alone, D p.7
    pages = {"A": 1, "B": 4, "C": 6, "D": 7}
    assert makeup.short_chapter_ends(fills, chapters, pages) == {"A", "B"}
    _, page = _print_page(tight=frozenset({"1.Reorganisation"}), tmp_path=tmp_path)
    tight = [s.find("h1").get_text() for s in page.select("main > section.nhs-tight")]
    assert tight == ["1. Reorganisation"]


def test_a_table_never_leaves_one_row_alone_on_a_page(tmp_path):
    from nhsreport.publish.book import makeup

    tables = [
        [3, 4, 4, 4, 4],  # its first row alone at the foot of p.3: the table moves whole
        [5, 5, 5, 5, 6],  # its last row alone on p.6: the last two rows go over
        [7, 7, 8, 8],  # two and two: fine
        [9, 9, 10],  # too short to matter
        [11, 11, 12],
        [13, 13, 14, 14, 15],  # one row would stay alone on p.14 if one more went over: left as it is
    ]
    assert makeup.lone_rows(tables) == {0: makeup.WHOLE_TABLE, 1: 3}
    assert makeup.merge_breaks({0: frozenset({-1})}, {0: 3, 2: 1}) == {0: frozenset({-1, 3}), 2: frozenset({1})}
    _, page = _print_page(breaks={0: frozenset({1})}, tmp_path=tmp_path)
    rows = page.find("table").find_all("tr")
    assert rows[2].get("style") == "break-before: page" and rows[1].get("style") is None
    _, page = _print_page(breaks={0: frozenset({makeup.WHOLE_TABLE})}, tmp_path=tmp_path)
    assert page.find("table").get("style") == "break-before: page"


def test_appendix_b_in_print_leaves_fields_code_and_commands_to_the_html():
    import bs4

    from nhsreport.publish.book import printbook

    appendix = """<article><section id="appendix-b"><span id="methods"></span><h1>Appendix B</h1>
    <section id="the-datasets"><h2>The datasets</h2><p>Kind: table.</p>
    <div class="pst-scrollable-table-container"><table><caption><span class="caption-number">Table 1 </span>
    <span class="caption-text">Fields of icbs</span></caption><tr><td>x</td></tr></table></div></section>
    <section id="derived"><h2>How</h2><ul><li>Counting.</li></ul>
    <p><strong><code>nhsreport.analysis.counting</code></strong>: helpers.</p><ul><li>count: counts.</li></ul></section>
    <section id="refresh"><span id="methods-refresh"></span><h2>Refreshing the data</h2><p>make data</p></section>
    </section></article>"""
    page = bs4.BeautifulSoup(appendix, "html.parser")
    printbook.methods_in_print(page, None)
    text = " ".join(page.get_text().split())
    assert "Fields of" not in text and "nhsreport.analysis" not in text and "make data" not in text
    assert "Kind: table." in text and "Counting." in text and "count: counts" not in text
    assert text.startswith("Appendix BThe HTML version of this report also gives each dataset’s fields")
    page = bs4.BeautifulSoup(appendix, "html.parser")
    printbook.methods_in_print(page, "https://nhs.example/")
    assert "The HTML version of this report at https://nhs.example/ also gives" in page.get_text()


def test_a_reference_to_a_section_prints_its_number_and_page(tmp_path):
    _, page = _print_page(tmp_path=tmp_path)
    text = " ".join(page.get_text().split())
    assert "see A timeline (section 1.1, page 000);" in text, "a placeholder on the first print"
    _, page = _print_page({"1.1.Atimeline": 7}, tmp_path=tmp_path)
    assert "see A timeline (section 1.1, page 7);" in " ".join(page.get_text().split())


def test_a_reference_to_a_chapter_leads_to_it_and_prints_its_number_and_page(tmp_path):
    _, page = _print_page(tmp_path=tmp_path)
    text = " ".join(page.get_text().split())
    assert "the chapter Reorganisation (chapter 1, page 000)." in text
    link = page.find("a", string="Reorganisation")
    assert link["href"] == "#chapter-one" and page.find(id="chapter-one") is not None
    _, page = _print_page({"1.Reorganisation": 4}, tmp_path=tmp_path)
    assert "the chapter Reorganisation (chapter 1, page 4)." in " ".join(page.get_text().split())


def test_a_link_whose_text_is_the_chapter_number_gets_its_page_once():
    """N12: "(chapter 1 (chapter 1, page 7))" prints as "(chapter 1, page 7)", and "in chapter 4
    (chapter 4, page 66)" as "in chapter 4 (page 66)"."""
    import bs4

    from nhsreport.publish.book import printbook

    main = bs4.BeautifulSoup(
        '<main><section data-doc="document-a" id="a"><h1>1. Reorganisation</h1></section>'
        '<section data-doc="document-b" id="b"><h1>4. Integration</h1>'
        '<p>a "monolith" (<a class="reference internal" href="#document-a">chapter 1</a>) and the study in '
        '<a class="reference internal" href="#document-b">chapter 4</a> finds.</p></section></main>',
        "html.parser",
    ).main
    assert printbook.chapter_references(main, {"1.Reorganisation": 7, "4.Integration": 66}) == 2
    text = " ".join(main.get_text(" ").split()).replace(" ,", ",").replace(" )", ")").replace("( ", "(")
    assert 'a "monolith" (chapter 1, page 7) and the study in chapter 4 (page 66) finds.' in text


def test_a_link_to_an_appendix_entry_in_other_words_says_where_it_is_on_paper():
    """N17: "(the report's timeline)" points at Appendix B's entry with its page."""
    import bs4

    from nhsreport.publish.book import printbook

    main = bs4.BeautifulSoup(
        '<main><section id="c"><h1>1. Reorganisation</h1><p>Source: the timeline (<a class="reference internal" '
        'href="#data-timeline"><span class="std std-ref">the report’s timeline</span></a>). See the '
        '<a class="reference internal" href="#data-timeline"><span class="std std-ref">timeline</span></a>.</p>'
        '</section><section id="b"><h1>Appendix B: Methods and data</h1>'
        '<h3><span id="data-timeline"></span>Timeline of NHS reorganisation</h3></section></main>',
        "html.parser",
    ).main
    printbook.cross_references(main, {"TimelineofNHSreorganisation": 130})
    text = " ".join(main.get_text(" ").split()).replace(" ,", ",").replace(" )", ")").replace("( ", "(")
    assert "(the report’s timeline, Appendix B, page 130)" in text
    assert "See the timeline (Appendix B, page 130) ." in text


def test_appendix_b_in_print_names_no_data_files_or_checks_in_the_codes_terms():
    """Defect 11's residue: the print says "a table compiled for this report", not
    "data/curated/x.csv", and describes the checks in words; ranges take an en dash (defect 16)."""
    import bs4

    from nhsreport.publish.book import printbook

    article = bs4.BeautifulSoup(
        f'<article><section><span id="{printbook.METHODS}"></span><h1>Appendix B</h1><ul><li><p>Curated table '
        "data/curated/ics_waves.csv (each row names its source) (compiled for this report from the publications "
        "it cites)</p></li></ul><p><strong>Method.</strong> Read by researchers. The builder checks every cell "
        "(required values, allowed categories, ISO dates, numbers, one http(s) address per row) and that dates of "
        "month or year precision are written as the 1st of the month or 1 January. Codes checked against the "
        "boundaries by tests/test_finder.py). Staff fell (-2,552), 4.5-5.5% higher.</p></section></article>",
        "html.parser",
    ).article
    printbook.appendix_words(article)
    printbook.number_ranges_in_print(article)
    text = " ".join(article.get_text(" ").split())
    for gone in ("data/curated", "builder", "tests/", "ISO", "(-2,552)", "4.5-5.5"):
        assert gone not in text
    assert "A table compiled for this report from the publications it cites, each row naming its source" in text
    assert "(\u22122,552)" in text and "4.5\u20135.5%" in text and "by the report’s tests)" in text


def test_a_table_whose_caption_or_header_is_apart_from_its_body_moves_whole():
    from nhsreport.publish.book import makeup

    tables = [[69, 69, 69, 69], [26, 26, 27], [32, 32, 32, 33, 33]]
    heads = [68, 26, 32]  # the first table's caption and header at the foot of p.68, its body on p.69
    assert makeup.lone_rows(tables, heads) == {0: makeup.WHOLE_TABLE}
    assert makeup.lone_rows(tables) == {}


def test_a_long_table_names_the_columns_it_leaves_out():
    import bs4

    from nhsreport.publish.book import printbook

    rows = "".join(f'<tr><td>T{i}</td><td class="nhs-screen-only">o</td></tr>' for i in range(61))
    page = bs4.BeautifulSoup(
        f'<main><table><caption>Trusts</caption><thead><tr><th>Trust</th><th class="nhs-screen-only">Others</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></main>",
        "html.parser",
    )
    printbook.columns_left_out(page)
    assert len(page.find_all("table")) == 1
    assert " ".join(page.caption.get_text().split()) == "Trusts. Column in the HTML version only: Others."


def test_a_tables_title_ends_with_a_full_stop_before_its_note_and_its_text_stays_out_of_continuations():
    """N14: "Table 3.4 NHS trusts and their ICBs. Column in the HTML version only: ..."; a table
    continued in further tables repeats its number and title, not the text of its caption."""
    import bs4

    from nhsreport.publish.book import printbook

    caption = bs4.BeautifulSoup(
        '<caption><span class="caption-number">Table 3.4 </span><span class="caption-text">NHS trusts</span>'
        '<a class="headerlink" href="#t">#</a></caption>',
        "html.parser",
    ).caption
    printbook.end_sentence(caption)
    assert caption.get_text() == "Table 3.4 NHS trusts.#"
    printbook.end_sentence(caption)
    assert caption.get_text().count(".") == 2  # "3.4" and the one full stop
    merged = bs4.BeautifulSoup(
        '<caption><span class="caption-number">Table 3.2 </span><span class="nhs-caption-title">The 36 boards.'
        '</span> <span class="nhs-caption-text">Residents (ONS).</span></caption>',
        "html.parser",
    ).caption
    assert printbook.caption_title(merged) == "Table 3.2 The 36 boards"


def test_the_pdf_states_its_title_language_and_author_in_xmp_and_claims_no_conformance(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from nhsreport.publish.book import printbook

    pdf = tmp_path / "book.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Joining up the NHS in England"})
    writer.write(pdf)
    printbook.finish(pdf, [])
    reader = PdfReader(pdf)
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": "Joining up the NHS in England"}
    assert xmp.dc_language == ["en-GB"] and xmp.dc_creator == ["NHS Integration Report team"]
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert stream["/Type"] == "/Metadata" and stream["/Subtype"] == "/XML"
    assert b"pdfuaid:part" not in stream.get_data() and b"pdfaid:part" not in stream.get_data()


def test_a_table_continued_in_further_tables_says_on_which_pages(tmp_path):
    _, page = _print_page(tmp_path=tmp_path)
    first, further = page.find_all("table")[:2]
    note = " ".join(first.caption.get_text().split())
    assert note.endswith("Continued in one further table on pages 000\u2013000."), note
    assert further["data-continued"] == first["data-continues"]
    _, page = _print_page(tmp_path=tmp_path, table_pages=[4, 5])
    assert page.find("table").caption.get_text().endswith("Continued in one further table on page 5.")


def test_a_captions_citation_of_several_sources_reads_as_part_of_its_sentence():
    import bs4

    from nhsreport.publish.book import printbook

    page = bs4.BeautifulSoup(
        '<figure><figcaption><p>Source: files <span class="bibtex-citation">[<a href="#a">NHS Digital, 2018</a>, '
        '<a href="#b">NHS England, 2026</a>]</span>.</p></figcaption></figure>',
        "html.parser",
    )
    printbook.caption_citations(page)
    assert page.get_text() == "Source: files [NHS Digital, 2018; NHS England, 2026]."
    assert "nhs-in-caption" in page.select_one(".bibtex-citation")["class"]


def test_a_figure_that_leaves_half_a_page_empty_is_set_before_the_text_before_it():
    import bs4

    from nhsreport.publish.book import makeup, printbook

    fills = [0.9, 0.5, 0.95, 0.3, 0.9]
    # figure 0 opens p.3 after a half-empty p.2; figure 1 shares p.3; figure 2 opens a chapter on p.5
    assert makeup.figure_gaps(fills, [3, 3, 5], openings={5}) == {0: 0.5}
    paragraphs = "".join(f"<p>{'word ' * 200}</p>" for _ in range(3))
    page = bs4.BeautifulSoup(
        f'<main><section><h2 id="h">Heading</h2>{paragraphs}<figure id="f"><img class="nhs-print-chart" '
        'src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">'
        "<figcaption>Fig. 1</figcaption></figure></section></main>",
        "html.parser",
    )
    # a 1-pixel chart needs only its caption's room: one paragraph set after it is enough
    moves = printbook.figure_moves(page.main, {0: 0.01}, {})
    assert moves == {0: 1}
    printbook.move_figures(page.main, moves)
    order = [node.name for node in page.section.find_all(recursive=False)]
    assert order == ["h2", "p", "p", "figure", "p"]
    assert printbook.figure_moves(page.main, {0: 0.5}, {}) == {}, "it fits in half a page: nothing to move"


def test_a_figure_with_no_text_before_it_to_move_lets_the_next_sections_text_fill_the_gap():
    import base64
    import struct

    import bs4

    from nhsreport.publish.book import printbook

    # the head of a PNG of 900 by 800 pixels: a chart 300 pt high in print
    head = (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 900, 800) + b"\x08\x06\x00\x00\x00"
    )
    src = "data:image/png;base64," + base64.b64encode(head).decode()
    chart = f'<figure><img class="nhs-print-chart" src="{src}"><figcaption>Fig. 1</figcaption></figure>'

    page = bs4.BeautifulSoup(
        f"<main><section><h1>Chapter</h1><section><h2>A</h2>{chart}</section>"
        f"<section><h2>B</h2><p>{'word ' * 100}</p><p>{'word ' * 100}</p><h3>C</h3><p>x</p></section>"
        "</section></main>",
        "html.parser",
    )
    moves = printbook.figure_moves(page.main, {0: 0.3}, {})
    assert moves == {0: -3}, "the heading B and both paragraphs fill the gap; C is not left last"
    printbook.move_figures(page.main, moves)
    second = page.main.section.find_all("section", recursive=False)[1]
    assert [node.name for node in second.find_all(recursive=False)] == ["h2", "p", "p", "figure", "h3", "p"]
