"""The PDF book: it has the chapters, a table of contents, and every chart as an image."""

from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import ROOT, need_tool, pdf_objects

pytestmark = pytest.mark.slow


def _text(pdf) -> str:
    need_tool("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


CHAPTERS = [
    "Reorganisation and national leadership",
    "Management capacity",
    "The shape of integrated care systems",
    "Contractual versus structural integration",
    "Conclusions: questions for every NHS board",
]


def _chapter_pages(pdf) -> dict[str, int]:
    """The first-level headings of the PDF's outline (the chapters, the front matter, the
    appendices) and the page each opens on, counted from 0."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return {
        " ".join(item.title.split()): reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }


def test_pdf_has_a_table_of_contents_and_numbered_chapters(pdf_book):
    import re

    text = _text(pdf_book)
    pages = text.split("\f")
    toc = text[: text.index("About this report", text.index("Contents") + 200)]
    openings = _chapter_pages(pdf_book)
    for n, title in enumerate(CHAPTERS, start=1):
        found = re.search(rf"^\s*{n}\.\s+{re.escape(title)}.*?\s(\d+)\s*$", toc, re.M | re.S)
        assert found, f"chapter {n} {title!r} not in the contents"
        opening = next((page for name, page in openings.items() if name.startswith(f"{n}. {title}")), None)
        assert opening is not None, f"chapter {n} is not in the outline"
        assert int(found.group(1)) == opening + 1, f"chapter {n}: the contents say p.{found.group(1)}"
        assert re.match(rf"\s*{n}\.\s+{re.escape(title.split()[0])}", pages[opening]), f"chapter {n} opens no page"
    for title in ["Appendix A: Claims ledger", "Appendix B: Methods and data", "Glossary"]:
        assert title in text
    assert re.search(r"Fig\. 2\.1", text), "figures are not numbered by chapter"


def test_pdf_charts_are_images_not_empty_boxes(pdf_book, tmp_path):
    need_tool("pdfimages")
    out = subprocess.run(["pdfimages", "-list", str(pdf_book)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in out.splitlines()[2:] if ln.strip()]
    images = [r for r in rows if r[2] == "image"]  # not the "smask" transparency masks beside them
    import nbformat

    from .conftest import ROOT

    figures = sum(
        c.source.count("{glue:figure}")
        for p in (ROOT / "book").glob("*.ipynb")
        for c in nbformat.read(p, as_version=4).cells
        if c.cell_type == "markdown"
    )
    assert len(images) >= figures, f"{len(images)} images in the PDF for {figures} figures"
    # a chart is a real picture: reasonably large and not a single flat colour
    big = [r for r in images if int(r[3]) >= 300 and int(r[4]) >= 200]
    assert big, f"chart images are tiny: {images[:5]}"
    # extract the images as raw PPM and check each chart image has real content (many shades)
    subprocess.run(["pdfimages", str(pdf_book), str(tmp_path / "img")], check=True)
    flat = []
    for r in images:
        f = tmp_path / f"img-{int(r[1]):03d}.ppm"
        pixels = _ppm_pixels(f.read_bytes())
        if len(set(pixels[:: max(1, len(pixels) // 20000)])) < 8:
            flat.append(f.name)
    assert not flat, f"images with (almost) no content: {flat}"


def _ppm_pixels(blob: bytes) -> bytes:
    """Pixel bytes of a binary PPM/PGM (P6/P5): skip the header's four tokens."""
    fields, i = [], 0
    while len(fields) < 4:
        while blob[i : i + 1].isspace():
            i += 1
        if blob[i : i + 1] == b"#":
            i = blob.index(b"\n", i) + 1
            continue
        j = i
        while not blob[j : j + 1].isspace():
            j += 1
        fields.append(blob[i:j])
        i = j
    return blob[i + 1 :]


# ---------------------------------------------------------------------------------------------
# nothing lost off the page: every table row, every cell whole, every word inside the margins
# ---------------------------------------------------------------------------------------------


def _raw_text(pdf) -> str:
    """The PDF's text in content-stream order: a table cell's lines stay together."""
    need_tool("pdftotext")
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# the print sets a range of numbers with an en dash and a negative number with a true minus
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2212": "-", "\u2013": "-"})


def _squash(text: str) -> str:
    """Text compared without white space, with typographic quotes and ligatures undone."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def _html_tables(html_dir):
    """(page, header cells, rows of cells) of every table of the HTML book's chapters (not the
    data tables that stand in for charts, which the PDF prints as charts); the cells of columns
    marked ``nhs-screen-only`` (left out of the PDF on purpose) are blank."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell, self.row, self.skip, self.caption = [], None, None, False, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "table":
                self.tables.append({"head": [], "rows": []})
            elif tag == "tr" and self.tables:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell, self.skip = [], "nhs-screen-only" in (a.get("class") or "")
            elif tag == "caption" and self.tables:
                self.caption = []

        def handle_endtag(self, tag):
            if tag == "caption" and self.caption is not None:
                self.tables[-1]["caption"] = "".join(self.caption).strip()
                self.caption = None
            elif tag in ("td", "th") and self.cell is not None and self.row is not None:
                self.row.append("" if self.skip else " ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr" and self.row is not None and self.tables:
                t = self.tables[-1]
                (t["rows"] if t["head"] else t["head"]).append(self.row) if self.row else None
                self.row = None

        def handle_data(self, data):
            if self.caption is not None:
                self.caption.append(data)
            elif self.cell is not None:
                self.cell.append(data)

    import yaml

    toc = yaml.safe_load((html_dir.parents[1] / "_toc.yml").read_text(encoding="utf-8"))
    order = [toc["root"].removeprefix("book/")]
    order += [c["file"].removeprefix("book/") for part in toc["parts"] for c in part["chapters"]]
    # in the order of the table of contents, which the PDF book follows
    for page in sorted(
        (html_dir / "book").glob("*.html"),
        key=lambda f: (order.index(f.stem) if f.stem in order else len(order), f.stem),
    ):
        p = Tables()
        p.feed(page.read_text(encoding="utf-8"))
        for t in p.tables:
            # a chart's data table is the HTML's text alternative to the chart, which the PDF prints;
            # the fields of each dataset are on screen only (printbook.methods_in_print)
            caption = t.get("caption", "")
            if t["head"] and not caption.startswith("Data of the figure") and "Fields of" not in caption:
                yield page.stem, t["head"][0], t["rows"]


def _find_in_order(text: str, cells: list[str], start: int, window: int = 800) -> int | None:
    """Position after the last of ``cells`` found one after another in ``text`` from ``start``,
    each within ``window`` characters of the one before; None if one is missing."""
    pos = start
    for i, c in enumerate(cells):
        at = text.find(c, pos)
        if at < 0 or (i and at - pos > window):
            return None
        pos = at + len(c)
    return pos


def test_every_row_of_every_html_table_is_whole_in_the_pdf(html_book, pdf_book):
    """Every row of every table the HTML book has (the claims of the ledger, the arrangements, the
    datasets and their fields, ...) is in the PDF book, each of its cells whole and in order."""
    from nhsreport.formatting import dates_in_words

    text = _squash(_raw_text(pdf_book))
    missing, n_rows, n_tables = [], 0, 0
    start = 0  # the chapters, and their tables, come in the same order in both books
    for page, head, rows in _html_tables(html_book):
        n_tables += 1
        head_cells = [_squash(h) for h in head if _squash(h)]
        while True:  # the table's header row: its cells one after another
            first = text.find(head_cells[0], start)
            if first < 0 or _find_in_order(text, head_cells, first, window=60) is not None:
                break
            start = first + 1
        assert first >= 0, f"{page}: table with header {head} is not in the PDF (or not in order)"
        pos = first
        for row in rows:
            n_rows += 1
            cells = [_squash(dates_in_words(c, short=True)) for c in row if _squash(c)]  # dates print in words
            end = _find_in_order(text, cells, pos)
            if end is None:
                missing.append(f"{page}: {row}")
                continue
            pos = text.find(cells[0], pos)  # rows follow one another (a repeated header may come between)
        start = pos + 1  # the next table starts after this one
    assert n_tables >= 20 and n_rows >= 500, f"only {n_tables} tables and {n_rows} rows found in the HTML book"
    assert not missing, f"{len(missing)} table rows missing or cut short in the PDF, e.g. {missing[:5]}"


A4 = (595.28, 841.89)
MARGIN = 72.0  # 1 inch, Sphinx's default


def _word_boxes(pdf):
    """Per page: (width, height, [(x0, y0, x1, y1, word)]) from ``pdftotext -bbox``."""
    import re

    need_tool("pdftotext")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', m.group(3)
            )
        ]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    return pages


def test_no_word_runs_past_the_margins_or_into_another(pdf_book):
    """No word box lies outside the text block (1 inch margins), none runs under the footer, and
    no two words overprint each other (a table cell spilling into the next)."""
    past, under, clash = [], [], []
    for n, (w, h, words) in enumerate(_word_boxes(pdf_book), start=1):
        if not words:
            continue
        for x0, _, x1, _, word in words:
            if x0 < MARGIN - 2 or x1 > w - MARGIN + 2:
                past.append(f"p.{n} {word!r} x={x0:.0f}-{x1:.0f}")
        # the footer is the lowest line of the page: nothing else may reach down into it
        foot = max(y0 for _, y0, _, _, _ in words)
        body = [b for b in words if b[1] < foot - 2]
        if foot > h - MARGIN - 30:  # the page has a footer line
            under += [f"p.{n} {b[4]!r}" for b in body if b[3] > foot - 0.5]
        lines, line = [], []
        for b in sorted(body, key=lambda b: b[1]):  # words of one line share their top, within 1pt
            if line and b[1] - line[0][1] >= 1:
                lines.append(line)
                line = []
            line.append(b)
        for row in [*lines, line]:
            row.sort(key=lambda b: b[0])
            clash += [f"p.{n} {a[4]!r}/{b[4]!r}" for a, b in zip(row, row[1:]) if b[0] < a[2] - 1.0]
    assert not past, f"{len(past)} words past the margins, e.g. {past[:8]}"
    assert not under, f"{len(under)} words run under the footer, e.g. {under[:8]}"
    assert not clash, f"{len(clash)} words printed over one another, e.g. {clash[:8]}"


def _ink_extent(pdf) -> list[float]:
    """Per page, how far down the text block (below the running head, above the footer) the
    last ink reaches, as a fraction of its height: a greyscale render at 30 dpi."""
    import tempfile
    from pathlib import Path

    need_tool("pdftoppm")
    fills = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", "30", str(pdf), f"{tmp}/p"], check=True)
        for f in sorted(Path(tmp).glob("p-*.pgm")):
            blob = f.read_bytes()
            w, h = (int(v) for v in blob.split(maxsplit=3)[1:3])
            px = _ppm_pixels(blob)
            top, bottom = int(h * 90 / A4[1]), int(h * 770 / A4[1])
            inked = [y for y in range(top, bottom) if min(px[y * w + w // 10 : y * w + 9 * w // 10]) < 200]
            fills.append((inked[-1] - top) / (bottom - top) if inked else 0.0)
    return fills


def test_no_page_is_less_than_a_fifth_full(pdf_book):
    """Every page but the title page, chapter openings and a chapter's last page is at least a
    fifth full: no table or figure pushed to the next page leaves a gap behind it, and no page
    is blank (a chapter's last page too must hold more than a line or two)."""
    import re

    need_tool("pdftotext")
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf_book), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    starts = set(_chapter_pages(pdf_book).values())
    opening = [i in starts for i in range(len(pages))]
    # the contents run on until they end, like a chapter: their last page may be short
    contents = [
        bool(p.strip())
        and all(re.search(r"(^|\s)(\d+|[ivxlc]+)$", line.rstrip()) for line in p.splitlines() if line.strip())
        for p in pages
    ]
    fills = _ink_extent(pdf_book)
    short = []
    for i, fill in enumerate(fills):
        last_of_chapter = i + 1 < len(fills) and opening[i + 1] or i == len(fills) - 1 or contents[i]
        if i == 0 or opening[i] or (last_of_chapter and fill > 0.03):  # a chapter's last lines, not a blank
            continue
        if fill < 0.2:
            short.append(f"p.{i + 1} ({fill:.0%}): {' '.join(pages[i].split()[:12])}")
    assert not short, f"pages less than a fifth full: {short}"


def test_front_matter_and_references_read_as_print(pdf_book):
    """UK date on the title page; the contents are "Contents" and list the opening page; the
    citation gives the version and the published address; no note about the build is left in;
    the references are labelled author-year, as the text cites them, in one alphabetical run."""
    import re

    from nhsreport.publish.book import site

    text = _text(pdf_book)
    pages = text.split("\f")
    assert re.search(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
        r"December) \d{4}\b",
        pages[0],
    ), f"no UK date on the title page: {pages[0].split()}"
    contents = "\n".join(pages[1:4])
    assert "Contents" in contents and "CHAPTERS" not in contents
    assert re.search(r"^\s*About this report\s+\d+\s*$", contents, re.M), "the opening page is not in the contents"
    flat = " ".join(text.split())
    assert f"Version {site.version()}" in flat
    if site.base_url():
        assert site.base_url() in flat.replace(" ", "")
    assert "example.org" not in flat and "example.com" not in flat, "a placeholder address is printed"
    assert "make book" not in flat.split("How to rerun it")[0] and "once it has been built" not in flat
    assert "PCT s" not in flat
    # the bibliography: author-year labels ("[Wickware, 2017]"), sorted as one run, months in words
    openings = sorted(_chapter_pages(pdf_book).items(), key=lambda item: item[1])
    first = next(n for n, (name, _) in enumerate(openings) if name == "References")
    last = openings[first + 1][1] if first + 1 < len(openings) else len(pages)
    bib = " ".join(" ".join(pages[openings[first][1] : last]).split())
    labels = re.findall(r"\[([^\]\[]+?, (?:\d{4}[a-z]?|n\.d\.))\]", bib)
    assert len(labels) > 60, f"only {len(labels)} author-year labels in the bibliography (cited works only)"
    keys = [tuple(lab.casefold().rsplit(", ", 1)) for lab in labels]  # by author, then year
    assert keys == sorted(keys), "the bibliography is not in one alphabetical run"
    assert not re.search(r"\b(jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec) \d{4}\b", bib), "lower-case months"


def test_pdf_declares_its_language_and_shows_its_title(pdf_book):
    """The PDF book declares its language and has viewers show its title rather than the file name."""
    import re

    from pypdf import PdfReader

    catalog = PdfReader(pdf_book).trailer["/Root"]
    assert catalog.get("/Lang") == "en-GB", f"/Lang in the catalog: {catalog.get('/Lang')!r}"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]), "no DisplayDocTitle"
    need_tool("pdfinfo")
    info = subprocess.run(["pdfinfo", str(pdf_book)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Joining up the NHS", info, re.M), info
    assert re.search(r"^Tagged:\s+yes", info, re.M), info
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 120 <= pages <= 260, f"{pages} pages"


def _structure(pdf) -> list[tuple[str, str | None, int]]:
    """The PDF's structure tree in reading order: ``(type, alternative text, depth)`` of each element."""
    from pypdf import PdfReader

    root = PdfReader(pdf).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "not marked as tagged"
    out = []

    def walk(node, depth):
        node = node.get_object()
        if "/S" in node:
            out.append((str(node["/S"]).lstrip("/"), node.get("/Alt"), depth))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"], 0)
    return out


def test_pdf_is_tagged_with_headings_paragraphs_lists_tables_and_figures(pdf_book):
    """A structure tree in reading order: the chapters and the front matter as first-level
    headings with their sections under them, paragraphs, lists, tables with header cells, and the
    figures; an outline (bookmarks) of the chapters."""
    from collections import Counter

    kinds = Counter(kind for kind, _, _ in _structure(pdf_book))
    assert kinds["H1"] >= 12, f"{kinds['H1']} first-level headings"
    assert kinds["H2"] >= 60, f"{kinds['H2']} second-level headings"
    assert kinds["P"] >= 1000 and kinds["L"] >= 40 and kinds["LI"] >= 300, kinds
    assert kinds["Table"] >= 20 and kinds["TH"] >= 100 and kinds["TD"] >= 1000, kinds
    assert kinds["Figure"] >= 37 and kinds["Caption"] >= 37, kinds
    chapters = _chapter_pages(pdf_book)
    assert "About this report" in chapters and "Appendix B: Methods and data" in chapters, list(chapters)
    assert list(chapters.values()) == sorted(chapters.values()), "the outline is not in page order"


def _chart_descriptions(html_dir) -> list[str]:
    """The description of every chart of the HTML book's chapters and appendices, in book order:
    the accessible name of its image (what a screen reader announces)."""
    import html
    import re

    import yaml

    toc = yaml.safe_load((html_dir.parents[1] / "_toc.yml").read_text(encoding="utf-8"))
    order = [toc["root"], *(c["file"] for part in toc["parts"] for c in part["chapters"])]
    order.remove("book/systems")  # its map opens the boards' pages: the PDF prints its table instead
    found = []
    for doc in order:
        page = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
        found += [
            html.unescape(m) for m in re.findall(r'class="nhs-chart-graphic" role="\w+" aria-label="([^"]*)"', page)
        ]
    return found


def test_every_figure_has_its_charts_description_as_alternative_text(html_book, pdf_book):
    """Each figure of the structure carries the description its chart has in the HTML book, in
    the same order; no figure is without one."""
    figures = [alt for kind, alt, _ in _structure(pdf_book) if kind == "Figure"]
    assert all(alt and str(alt).strip() for alt in figures), f"{sum(not a for a in figures)} figures without /Alt"
    expected = _chart_descriptions(html_book)
    assert len(expected) >= 37
    assert [str(a) for a in figures] == expected


def test_no_page_prints_or_links_to_a_placeholder_address(pdf_book):
    """No page prints a placeholder domain, and no link points to one."""
    import re

    text = _text(pdf_book)
    assert not re.search(r"example\.(org|com)", text), "a placeholder address is printed"
    assert not re.search(rb"example\.(org|com)", pdf_objects(pdf_book)), "a link points to a placeholder address"


def test_printed_chapters_never_send_the_reader_to_a_mouse(pdf_book):
    """On paper there is no tooltip to hover over and no column heading to click: the chapters
    and the systems index (chapters one to six of the PDF) say in print what the web version
    leaves to one. Only the front matter and the accessibility statement describe the HTML
    version's interactions, and they say so."""
    import re

    need_tool("pdftotext")
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf_book), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    openings = _chapter_pages(pdf_book)
    first = next(page for name, page in openings.items() if name.startswith("1. "))
    chapters = " ".join(" ".join(pages[first : openings["Appendix A: Claims ledger"]]).split())
    mouse = re.compile(r"[^.]*\b(hover\w*|tooltips?|click\w*|select a column heading)\b[^.]*\.", re.I)
    found = [m.group(0).strip() for m in mouse.finditer(chapters)]
    assert not found, f"printed chapters that rely on the mouse: {found[:5]}"


def test_the_site_offers_this_pdf_book(html_book, pdf_book):
    """The PDF the HTML site offers for download is the PDF book of the same build, byte for byte."""
    offered = html_book / "_static" / "downloads" / pdf_book.name
    assert offered.read_bytes() == pdf_book.read_bytes(), "the site offers another PDF book"


# ---------------------------------------------------------------------------------------------
# running heads, page numbers, dates and type size as a publications editor checks them
# ---------------------------------------------------------------------------------------------


def _head_and_foot(pdf) -> list[tuple[str, str]]:
    """Per page, the words above the text block (the running head) and below it (the page number)."""
    from nhsreport.publish.book.printbook import MARGINS_MM

    pt = 72 / 25.4
    out = []
    for _, h, words in _word_boxes(pdf):
        head = " ".join(w for _, _, _, y1, w in words if y1 < MARGINS_MM["top"] * pt)
        foot = " ".join(w for _, y0, _, _, w in words if y0 > h - MARGINS_MM["bottom"] * pt)
        out.append((head, foot))
    return out


def test_every_page_is_headed_by_its_chapter_and_numbered_but_the_title_page(pdf_book):
    """The title page has no running head and no number; every other page is headed by the title
    of the chapter it belongs to ("Contents" for the contents), but a chapter's opening page, which
    has its title in full, and numbered at its foot, the number being the one the contents give."""
    heads = _head_and_foot(pdf_book)
    assert heads[0] == ("", ""), f"the title page has a head or a number: {heads[0]}"
    openings = sorted((page, " ".join(name.split())) for name, page in _chapter_pages(pdf_book).items())
    opening_pages = {page for page, _ in openings}
    wrong = []
    for i, (head, foot) in enumerate(heads[1:], start=1):
        before = [name for page, name in openings if page <= i]
        expected = "" if i in opening_pages else before[-1] if before else "Contents"
        if " ".join(head.split()) != expected or foot != str(i + 1):
            wrong.append(f"p.{i + 1}: head {head!r}, foot {foot!r} (expected {expected!r}, {i + 1})")
    assert not wrong, f"{len(wrong)} pages with a wrong running head or number, e.g. {wrong[:5]}"


_ISO = re.compile(r"(?<![\w/.\-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\w/\-])")


def _iso_dates(text: str) -> list[str]:
    """The ISO dates and months in ``text`` (not "2010-11", a financial year, nor "2019-2022")."""
    found = []
    for m in _ISO.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if 1 <= month <= 12 and (day is not None or month != (year + 1) % 100):
            found.append(m.group(0))
    return found


def test_print_has_no_iso_dates_outside_addresses_and_code(pdf_book):
    """Dates print in UK style ("1 July 2022", "November 2026", "Feb 2015" in a table): no ISO
    date or month is left in the text, captions, tables or references, except inside a web
    address or a piece of code (a literal value in Appendix B's list of functions)."""
    import re

    from nhsreport.publish.book.printbook import SINGLE_HTML

    assert _iso_dates("As of 2026-11, 2022-07-01; 2010-11; 2019-2022; x_2022-07") == ["2026-11", "2022-07-01"]
    text = re.sub(r"https?://\S+", " ", _raw_text(pdf_book))
    page = SINGLE_HTML.with_name("print.html").read_text(encoding="utf-8")
    in_code = {d for code in re.findall(r"<code[^>]*>(.*?)</code>", page, re.S) for d in _iso_dates(code)}
    left = [d for d in _iso_dates(text) if d not in in_code]
    assert not left, f"{len(left)} ISO dates in print, e.g. {left[:10]}"


def test_print_is_not_shrunk_to_fit_a_wide_table(pdf_book):
    """Body text prints at its own size (9.5 pt: DejaVu Sans words 1.16 em high): nothing wider
    than the text block makes Chromium shrink every page, and every chart's text with it."""
    import statistics

    heights = [y1 - y0 for _, _, words in _word_boxes(pdf_book) for _, y0, _, y1, _ in words]
    assert statistics.median(heights) > 9.5 * 1.164 - 0.2, f"median word height {statistics.median(heights):.2f} pt"


def test_the_one_page_book_has_its_own_sphinx_environment(pdf_book):
    """``make pdf`` and the tests build the one-page book under its own root, so its doctrees
    never make the HTML build think a page it has not rewritten is up to date."""
    from nhsreport.publish.book import printbook

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"--builder singlehtml --path-output {printbook.PRINT_ROOT.relative_to(ROOT).as_posix()}" in makefile
    assert (printbook.PRINT_ROOT / "_build" / ".doctrees" / "environment.pickle").exists()
    assert printbook.SINGLE_HTML.exists()


def test_a_table_has_one_caption_and_it_starts_on_the_page_of_its_first_row(pdf_book):
    """N1 and N15 of the third print review: a table's caption (its number, title and text) is
    printed once and never at the foot of a page apart from its header and first rows."""
    from nhsreport.publish.book import makeup

    heads, rows = makeup.table_heads(pdf_book), makeup.table_rows(pdf_book)
    apart = [n for n, head in enumerate(heads) if head is not None and rows[n] and rows[n][0] != head]
    assert not apart, f"tables whose caption is on another page than their first row: {apart}"
    flat = " ".join(_text(pdf_book).split())
    assert flat.count("Trusts far above most trusts in managers per 100 staff (FTE)") == 1
    assert re.search(
        r"Table 2\.4 Trusts far above most trusts in managers per 100 staff \(FTE\), \w+ \d{4}\. Trusts", flat
    )
    assert "Table 3.4 NHS trusts and their ICBs. Column in the HTML version only" in flat  # N14


def test_references_in_print_are_given_once_and_the_timeline_is_found_on_paper(pdf_book):
    """N12: no "(chapter 1 (chapter 1, page 7))"; N17: the report's timeline is pointed to in
    Appendix B with its page."""
    flat = " ".join(_text(pdf_book).split())
    assert not re.search(r"chapter \d+ \(chapter \d+", flat), "a chapter named twice"
    assert re.search(r"the report’s timeline, Appendix B, page \d+\)", flat)


def test_no_page_ends_with_a_label_apart_from_its_list(pdf_book):
    """N13: "Sources:" is never the last line of a page (its list on the next)."""
    ends = []
    for n, page in enumerate(_text(pdf_book).split("\f"), start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip() and not line.strip().isdigit()]
        if lines and lines[-1].endswith(":") and len(lines[-1]) < 20:
            ends.append(f"p.{n}: {lines[-1]}")
    assert not ends, ends


def test_appendix_b_and_the_front_matter_in_print_speak_to_readers(pdf_book):
    """Defects 11 and 16 (residue), N10, N11: no data file paths or code checks in Appendix B,
    ranges with an en dash, the code's whereabouts and the contact consistent with the build."""
    from nhsreport.publish.book import site

    flat = " ".join(_text(pdf_book).split())
    for gone in ("data/curated/", "The builder checks", "tests/test_finder", "(-2,552)", "4.5-5.5%", "5-6 years"):
        assert gone not in flat, gone
    assert "(\u22122,552)" in flat and "4.5\u20135.5%" in flat
    assert "Corrections and questions" in flat
    if site.source_url() is None:
        assert "kept with the report’s sources" in flat and "is published with it" not in flat
    if site.contact() is None:
        assert "working days" not in flat and "how the report team responds" not in flat
