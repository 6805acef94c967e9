"""The PDF book: the HTML book on one page (Sphinx's ``singlehtml`` builder), laid out for A4 and
printed by Chromium as a tagged PDF.

Chromium writes the structure a screen reader needs: the language (``<html lang>``), headings,
paragraphs, lists, tables and figures in reading order, each figure with the text of its image's
``alt`` (the chart's description, the same as the HTML book's), and an outline from the
headings. :func:`print_page` turns the one-page HTML book into the print page: a title page, the
contents with page numbers, the chapters opening on new pages (their headings one level up, so that
a chapter is a first-level heading), each interactive chart replaced by its print rendering
(:func:`nhsreport.publish.components.charts.print.print_png`: the image the LaTeX book printed,
its smallest text at 8 pt) and the web-only parts (data tables under the charts, CSV links,
sorting hints, columns marked ``nhs-screen-only``) left out. :func:`build` prints it twice, the
second time with the contents' page numbers read from the first, and :func:`finish` has viewers
show the title. ``make pdf`` runs it after the ``singlehtml`` build.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

from nhsreport import paths
from nhsreport.publish.book.assets import PDF_BOOK, PDF_BOOK_FILE
from nhsreport.publish.book.tablenumbers import FIELD_TABLES

# the one-page book is built apart from the HTML book (``jupyter-book build --path-output``), with its
# own Sphinx environment: sharing one would leave the HTML build thinking a page it has not
# rewritten is up to date once the one-page build has read the page's new source
PRINT_ROOT = paths.BUILD / "print"
SINGLE_HTML = PRINT_ROOT / "_build" / "singlehtml" / "book" / "index.html"
LANG = "en-GB"
FRONT_TITLE = "About this report"
# margins of an inch at the sides leave a text block 451 pt wide, the width charts are drawn for
# (charts.print.PRINT_WIDTH_PT): a chart prints at its own size (0.75 pt a pixel) up to it
MARGINS_MM = {"top": 20, "bottom": 22, "left": 25.4, "right": 25.4}
STYLE = Path(__file__).with_name("printbook.css")


def _soup(html: str):
    import bs4

    return bs4.BeautifulSoup(html, "html.parser")


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def shift_headings(section, by: int = 1) -> None:
    """Every heading in ``section`` ``by`` levels up (``h2`` to ``h1``): its title becomes the one
    first-level heading, and no other heading rises above the second level (a page's own HTML
    headings may sit at the level of its title)."""
    for n, h in enumerate(section.find_all(re.compile(r"^h[1-6]$"))):
        h.name = f"h{max(1 if n == 0 else 2, int(h.name[1]) - by)}"


def split_book(article):
    """The one-page book's ``(front, chapters)``: the front page's section, without the pages the
    table of contents brings in, and the section of each of those pages in order."""
    front = article.find("section")
    chapters = []
    for marker in front.find_all("span", id=re.compile(r"^document-")):
        section = marker.find_next_sibling("section")
        if section is not None:
            section["data-doc"] = marker["id"]  # the page it was: links to the page lead to it
            chapters.append(section.extract())
    for wrapper in front.select("div.toctree-wrapper"):
        wrapper.decompose()
    return front, chapters


def chart_image(chart) -> str:
    """The ``<img>`` that prints chart element ``chart`` (the HTML book's ``div.nhs-chart``): its
    print rendering as a PNG data URL, its ``alt`` the chart's description, its width the chart's
    own (0.75 pt a pixel, the PNG holding two pixels for each). Renders come from the one render
    cache (:mod:`nhsreport.publish.components.charts.renders`), keyed by what they draw and the
    renderer's version."""
    import struct

    from nhsreport.publish.components.charts.html import to_svg
    from nhsreport.publish.components.charts.print import print_png, svg_width

    graphic = chart.select_one(".nhs-chart-graphic")
    alt = graphic.get("aria-label", "") if graphic else ""
    payload = chart.select_one("script.nhs-chart-spec").string
    spec = json.loads(payload)
    static = chart.select_one(".nhs-chart-static svg")
    drawing = chart.select_one(".nhs-chart-static img[width]")
    if static is not None:
        width = svg_width(str(static))
    elif drawing is not None:  # the drawing moved to its own file (html.static_charts_as_files)
        width = float(drawing["width"])
    else:
        width = svg_width(to_svg(spec))
    png = print_png(spec, width)[0]
    (px_width,) = struct.unpack(">I", png[16:20])  # the IHDR chunk's width
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    alt_attr = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<img class="nhs-print-chart" src="{src}" alt="{alt_attr}" style="width:{px_width / 2:.0f}px">'


def print_charts(article) -> int:
    """Replace every chart element of ``article`` by its print image; how many were replaced. A
    figure is a group of its image and caption: the image is the one figure of the structure, with
    the chart's description, its caption beside it (``<figure>`` itself would be a second figure
    element, without a description)."""
    charts = article.select("div.nhs-chart")
    for chart in charts:
        chart.replace_with(_soup(chart_image(chart)))
    for figure in article.find_all("figure"):
        figure["role"] = "group"
    return len(charts)


MAX_ID = 64  # a PDF name (a destination of the outline) holds at most 127 bytes


def short_ids(article) -> None:
    """Shorten the ids (and the links to them) too long to be the name of a PDF destination: the
    claims' headings are whole sentences."""
    renamed = {}
    for node in article.find_all(id=True):
        if len(node["id"]) > MAX_ID:
            new = node["id"][: MAX_ID - 9] + "-" + hashlib.sha256(node["id"].encode()).hexdigest()[:8]
            renamed[node["id"]] = new
            node["id"] = new
    for a in article.find_all("a", href=True):
        if a["href"].startswith("#") and a["href"][1:] in renamed:
            a["href"] = "#" + renamed[a["href"][1:]]


def table_link_notes(article) -> None:
    """The addresses of the external links in a table, printed under it as numbered notes (each
    link marked with its number), not in its cells, which they would lengthen several-fold."""
    for table in article.find_all("table"):
        urls: list[str] = []
        for a in table.find_all("a", href=re.compile(r"^https?://")):
            if _text(a) == a["href"]:
                continue
            if a["href"] not in urls:
                urls.append(a["href"])
            a.insert_after(_soup(f'<sup class="nhs-note-ref">{urls.index(a["href"]) + 1}</sup>'))
        if urls:
            box = table.find_parent("div", class_=["nhs-table-wrap", "pst-scrollable-table-container"]) or table
            notes = "".join(f'<li><span class="nhs-url">{url}</span></li>' for url in urls)
            box.insert_after(
                _soup(f'<ol class="nhs-table-notes" aria-label="Addresses of the table\'s links">{notes}</ol>')
            )


SPLIT_MAX_ROWS = 60  # a table up to this long prints its screen-only columns in further tables
SPLIT_COLUMNS = 4  # screen-only columns in each of those tables, beside the first column


def _continued(table, keep: list[int], caption: str):
    """A copy of ``table`` with only its columns ``keep`` (shown in print), under ``caption``."""
    import copy

    part = copy.copy(table)
    for node in part.find_all(id=True):
        del node["id"]
    part.attrs.pop("id", None)
    for row in part.find_all("tr"):
        for j, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
            if j not in keep:
                cell.decompose()
            elif "nhs-screen-only" in cell.get("class", []):
                cell["class"].remove("nhs-screen-only")
    if part.caption is not None:
        part.caption.clear()
        part.caption.append(caption)
    return part


def caption_title(caption) -> str:
    """A table's number and title from its ``caption``, without the text after the title (the
    paragraph that became its caption, :mod:`.tablenumbers`) or a trailing full stop."""
    parts = [_text(part) for part in caption.select(".caption-number, .nhs-caption-title")]
    return " ".join(parts).rstrip(".") if caption.select_one(".nhs-caption-title") else _text(caption)


def end_sentence(caption) -> None:
    """A full stop at the end of ``caption`` (a title alone has none) before a note is added to it."""
    words = [s for s in caption.find_all(string=True) if s.strip() and s.find_parent(class_="headerlink") is None]
    if words and not words[-1].rstrip().endswith((".", "!", "?")):
        words[-1].replace_with(words[-1].rstrip() + ".")


def columns_left_out(article) -> None:
    """The columns of a table the HTML version alone shows (marked ``nhs-screen-only``, where a
    page is narrower than a scrolling table): a table of at most :data:`SPLIT_MAX_ROWS` rows in the
    chapters prints them in further tables after it (:data:`SPLIT_COLUMNS` at a time), each with
    its first column again, its caption saying on which pages (:func:`continuation_pages`); a longer one, or one in Appendix B (the files' checksums), names them
    in its caption."""
    from nhsreport.publish.components.words import and_list, count_phrase, noun

    split = 0
    label = article.find(id=METHODS)
    appendix = label.find_parent("section") if label is not None else None
    for table in article.find_all("table"):
        heads = table.select("thead tr th")
        hidden = [j for j, th in enumerate(heads) if "nhs-screen-only" in th.get("class", [])]
        names = [_text(heads[j]) for j in hidden if _text(heads[j])]
        caption = table.find("caption")
        if not names or caption is None:
            continue
        rows = [tr for tr in table.find_all("tr") if tr.find("td") is not None]
        in_appendix = appendix is not None and table in appendix.find_all("table")
        if len(rows) <= SPLIT_MAX_ROWS and not in_appendix and 0 not in hidden:
            box = table.find_parent("div", class_=["nhs-table-wrap", "pst-scrollable-table-container"]) or table
            after = box.find_next_sibling()
            notes = after is not None and after.name == "ol" and "nhs-table-notes" in after.get("class", [])
            anchor = after if notes else box
            groups = -(-len(hidden) // SPLIT_COLUMNS)
            size = -(-len(hidden) // groups)  # as even as they can be: 3, 3 and 3 rather than 4, 4 and 1
            title = caption_title(caption)
            split += 1
            for start in range(0, len(hidden), size):
                part = hidden[start : start + size]
                following = _continued(
                    table, [0, *part], f"{title} (continued): {and_list(_text(heads[j]) for j in part)}"
                )
                following["data-continued"] = str(split)
                anchor.insert_after(following)
                anchor = following
            table["data-continues"] = str(split)
            further = count_phrase(groups, "further table")
            end_sentence(caption)
            caption.append(
                _soup(f' <span class="nhs-continued-note">Continued in {further} on {PAGES_TO_COME}.</span>')
            )
            continue
        what = noun(len(names), "Column")
        end_sentence(caption)
        caption.append(_soup(f' <span class="nhs-left-out">{what} in the HTML version only: {and_list(names)}.</span>'))


PAGES_TO_COME = "pages 000\u2013000"  # the pages of a table's continuation, until a print gives them


def continuation_pages(main, table_pages: list[int | None] | None) -> None:
    """The pages of the further tables that continue a table (:func:`columns_left_out`) in its
    caption's note, "on pages 52\u201355" ("on page 52" when there is one), from the page of
    each table of ``main`` in the print before (:func:`.makeup.table_heads`; a placeholder of the
    same width on the first print)."""
    tables = main.find_all("table")
    for table in tables:
        note = table.select_one("caption .nhs-continued-note") if table.get("data-continues") else None
        if note is None:
            continue
        found = [
            table_pages[n]
            for n, other in enumerate(tables)
            if other.get("data-continued") == table["data-continues"] and table_pages and n < len(table_pages)
        ]
        if not found or None in found:
            continue
        first, last = min(found), max(found)
        where = f"page {first}" if first == last else f"pages {first}\u2013{last}"
        note.string = note.get_text().replace(PAGES_TO_COME, where)


def caption_citations(article) -> None:
    """A caption's citation of several sources reads as part of its sentence: the sources parted
    by semicolons (each label holds a comma already: "[A, 2018; B, 2021]"), and free to break
    between words (``printbook.css``), not each label on a line of its own."""
    from bs4 import NavigableString

    for cite in article.select("figcaption .bibtex-citation, caption .bibtex-citation"):
        cite["class"] = [*cite.get("class", []), "nhs-in-caption"]
        for text in list(cite.find_all(string=True, recursive=False)):
            if type(text) is NavigableString and text.strip() == ",":
                text.replace_with("; ")


NOT_PROSE = ("code", "pre", "kbd", "samp", "script", "style")


def uk_dates(article) -> None:
    """Dates in print in UK style: every ISO date or month in the text, captions and table cells
    (not in code, addresses or identifiers) in words, each date in a table cell kept on one line.
    The HTML version keeps its sortable ISO dates."""
    from bs4 import NavigableString

    from nhsreport.formatting import ISO_DATES, dates_in_words

    def cell_words(dates: list[str]) -> str:
        return " to ".join(f"<span class='nhs-nowrap'>{d}</span>" for d in dates)

    for text in list(article.find_all(string=ISO_DATES)):
        if type(text) is not NavigableString:
            continue  # comments, doctypes
        if text.find_parent(NOT_PROSE) is not None or text.find_parent(class_="nhs-url") is not None:
            continue
        link = text.find_parent("a")
        if link is not None and _text(link).startswith(("http://", "https://")):
            continue
        if text.find_parent(["td", "th"]) is not None:
            new = dates_in_words(html.escape(str(text), quote=False), short=True, join=cell_words)
            if new != html.escape(str(text), quote=False):
                text.replace_with(_soup(new))
            continue
        new = dates_in_words(str(text))
        if new != str(text):
            text.replace_with(new)


def minus_signs(article) -> None:
    """Numbers in table cells in the report's one style (:func:`nhsreport.formatting.number_style`):
    a true minus sign ("−13%", as the prose has it), not a hyphen."""
    from bs4 import NavigableString

    from nhsreport.formatting import number_style

    for cell in article.find_all("td"):
        for text in list(cell.find_all(string=re.compile(r"-\d"))):
            if type(text) is NavigableString and text.find_parent(NOT_PROSE) is None:
                styled = number_style(str(text))
                if styled != str(text):
                    text.replace_with(styled)


def break_identifiers(article) -> None:
    """Let identifiers in table cells ("turnover_benchmarking_2025_10") break after an underscore
    (a ``<wbr>``, no character in the text): a cell wider than its share of the page would widen
    its table past the text block, and Chromium would then shrink every page to fit it."""
    for cell in article.find_all(["td", "th"]):
        for text in list(cell.find_all(string=re.compile(r"_\w"))):
            parts = re.split(r"(?<=_)(?=\w)", str(text))
            text.replace_with(_soup("<wbr>".join(html.escape(part, quote=False) for part in parts)))


SORT_HINT = re.compile(r";?\s*select a column head(?:er|ing) to sort(?: it)?", re.I)
WEB_ONLY = [
    "form.nhs-finder",  # the systems index's finder and its map, which open the boards' pages
    "figure.nhs-systems-map",
    "h2#where-do-i-fit",
    "h2#the-map",
    "a.headerlink",
    ".nhs-chart-tools",
    "details.nhs-chart-details",
    ".nhs-table-hint",
    ".nhs-screen-only",
    "script",
    "style",
]


def drop_web_only(article, base_url: str | None) -> None:
    """Leave out what only works on screen, and make the links print: a link to another page of
    the site becomes its published address (or plain text when none is configured), and an
    external address is printed after its link text."""
    for selector in WEB_ONLY:
        for node in article.select(selector):
            node.decompose()
    for caption in article.select("table.nhs-sortable caption"):
        for text in caption.find_all(string=SORT_HINT):
            text.replace_with(SORT_HINT.sub("", text))
    for node in article.select(".nhs-print-only[hidden]"):
        del node["hidden"]
    for p in article.find_all("p"):
        if _text(p).startswith("Downloads:"):
            offers = "interactive charts, the England and system briefings and every dataset to download"
            text = (
                f"<strong>The HTML version</strong> of this report, with {offers}, is published at {base_url}."
                if base_url
                else f"<strong>The HTML version</strong> of this report has {offers}."
            )
            p.replace_with(_soup(f"<p>{text}</p>"))
        elif _text(p).startswith("Download:") and not base_url:
            p.decompose()  # a file to download, with no address to print
    ids = {node["id"] for node in article.find_all(id=True)}
    for a in article.find_all("a", href=True):
        href = a["href"]
        if "#" in href and href.split("#", 1)[1] in ids:  # a place in the book itself
            a["href"] = "#" + href.split("#", 1)[1]
            continue
        if href.startswith("mailto:"):
            continue
        if href.startswith(("http://", "https://")):
            noted = a.find_parent("table") is not None or a.find_parent("div", class_="citation") is not None
            if _text(a) != href and not noted:
                a.insert_after(_soup(f'<span class="nhs-url"> ({href})</span>'))
            continue
        page = href.split("#")[0].removeprefix("../").removeprefix("./")
        if base_url and page:
            a["href"] = base_url + ("book/" if not page.startswith(("book/", "_static/")) else "") + page
            if page.startswith("_static/") and a.find_parent("p", class_="nhs-profile-downloads") is not None:
                a.insert_after(_soup(f'<span class="nhs-url"> ({a["href"]})</span>'))  # a file: its address
        else:
            a.unwrap()


#: labels of Appendix B (the methods notebook, ``book/a2_methods.ipynb``): the appendix, and its
#: sections the print leaves to the HTML version
METHODS = "methods"
METHODS_WEB_ONLY = ("methods-refresh",)


#: Appendix B's words for the people who maintain the data, and the words a reader of the print
#: gets instead (the HTML version keeps the files' names)
APPENDIX_WORDS = (
    (
        re.compile(
            r"Curated table data/curated/[\w.-]+\.csv \(each row names its source\)"
            r"(?: \(compiled for this report from the publications it cites\))?"
        ),
        "A table compiled for this report from the publications it cites, each row naming its source",
    ),
    (re.compile(r"data/curated/[\w.-]+\.csv"), "a table compiled for this report"),
    (
        re.compile(
            r"The builder checks every cell \(required values, allowed categories, ISO dates, numbers, one "
            r"http\(s\) address per row\) and that dates of month or year precision are written as the 1st of "
            r"the month or 1 January\."
        ),
        "Each row is checked when the data are built: no required value is missing, each category and "
        "date is one the table allows, each row gives one web address, and a date known only to the "
        "month or the year is entered as the first of that month or 1 January.",
    ),
    (re.compile(r"\bThe builder checks\b"), "Building the data checks"),
    (re.compile(r" by tests/test_finder\.py\)"), " by the report’s tests)"),
)


def appendix_words(article) -> None:
    """Appendix B in print in words a reader understands (:data:`APPENDIX_WORDS`): no file paths
    of the data's own tables, no description of the code's checks in its terms."""
    label = article.find(id=METHODS)
    appendix = label.find_parent("section") if label is not None else None
    if appendix is None:
        return
    for text in list(appendix.find_all(string=re.compile(r"data/curated/|The builder checks|tests/"))):
        if text.find_parent(NOT_PROSE) is not None:
            continue
        new = str(text)
        for pattern, words in APPENDIX_WORDS:
            new = pattern.sub(words, new)
        if new != str(text):
            text.replace_with(new)


def number_ranges_in_print(article) -> None:
    """Ranges of numbers with an en dash and negative numbers in brackets with a true minus in the
    print's prose and table cells (:func:`nhsreport.formatting.number_ranges`), but not in a link's
    text (a publication's own title) or code."""
    from bs4 import NavigableString

    from nhsreport.formatting import number_ranges

    for text in list(article.find_all(string=re.compile(r"\d-\d|\(-\d"))):
        if type(text) is not NavigableString or text.find_parent([*NOT_PROSE, "a", "q", "blockquote"]) is not None:
            continue
        styled = number_ranges(str(text))
        if styled != str(text):
            text.replace_with(styled)


def methods_in_print(article, base_url: str | None) -> None:
    """Appendix B in print is the data's sources and methods: each dataset's field-by-field table,
    the functions of the code that compute the figures and the commands that refresh the data are
    left to the HTML version (as are the files' checksums, a column marked screen-only), which a
    first sentence says (with its address when one is configured)."""
    label = article.find(id=METHODS)
    appendix = label.find_parent("section") if label is not None else None
    if appendix is None:
        return
    for name in METHODS_WEB_ONLY:
        node = appendix.find(id=name)
        section = node.find_parent("section") if node is not None else None
        if section is not None and section is not appendix:
            section.decompose()
    for caption in appendix.find_all("caption"):
        if _text(caption.select_one(".caption-text") or caption).startswith(FIELD_TABLES):
            table = caption.find_parent("table")
            (table.find_parent("div", class_="pst-scrollable-table-container") or table).decompose()
    for code in appendix.find_all("code"):  # a module's functions, listed after its name
        if _text(code).startswith("nhsreport.") and code.parent.name == "strong":
            paragraph = code.find_parent("p")
            listed = paragraph.find_next_sibling() if paragraph is not None else None
            if listed is not None and listed.name == "ul":
                listed.decompose()
            if paragraph is not None:
                paragraph.decompose()
    where = f" at {base_url}" if base_url else ""
    note = (
        f"<p><em>The HTML version of this report{where} also gives each dataset’s fields one by one, "
        "the functions of the report’s code that compute the figures, the commands that refresh the "
        "data and a checksum of each official file.</em></p>"
    )
    appendix.find(re.compile(r"^h[1-6]$")).insert_after(_soup(note))


#: the report as the title page and the PDF's subject describe it to a reader (the front page
#: calls it "executable", a word for its makers)
IN_PRINT = ((re.compile(r"\bAn executable report\b"), "A report"),)


def for_readers(text: str) -> str:
    """``text`` (the front page's subtitle) in the print's words (:data:`IN_PRINT`)."""
    for pattern, words in IN_PRINT:
        text = pattern.sub(words, text)
    return text


def title_page(front, base_url: str | None = None) -> str:
    """The title page: the report's title, its subtitle and version (the front page's first two
    paragraphs, taken from it), its published address when one is configured, and its authors."""
    title = front.find("h1")
    intro = [p for p in front.find_all("p", recursive=False)[:2]]
    lines = "".join(f'<p class="nhs-title-line">{for_readers(p.decode_contents())}</p>' for p in intro)
    if base_url:
        lines += f'<p class="nhs-title-line"><a href="{base_url}">{base_url}</a></p>'
    for p in intro:
        p.decompose()
    text = title.get_text().strip()
    title.decompose()
    return (
        f'<div class="nhs-title-page"><p class="nhs-book-title">{text}</p>{lines}'
        '<p class="nhs-title-author">NHS Integration Report team</p></div>'
    )


def _key(text: str) -> str:
    """A heading's text as a key: without white space (the outline loses it at line breaks)."""
    return "".join(text.split())


def contents(headings: list[tuple[int, str, str]], pages: dict[str, int] | None) -> str:
    """The printed contents: each first- and second-level heading ``(level, id, text)`` with its
    page number (``pages``, by heading text; a placeholder of the same width on the first pass)."""
    rows = []
    for level, anchor, text in headings:
        page = (pages or {}).get(_key(text))
        number = str(page) if page else "000"
        rows.append(
            f'<li class="nhs-toc-{level}"><a href="#{anchor}"><span class="nhs-toc-text">{text}</span>'
            f'<span class="nhs-toc-page">{number}</span></a></li>'
        )
    return f'<nav class="nhs-contents" aria-labelledby="nhs-contents-title"><h1 id="nhs-contents-title">Contents</h1><ul>{"".join(rows)}</ul></nav>'


TOC_MAX_SECTIONS = 12  # a chapter with more second-level headings (the appendices) lists only its title


def toc_headings(main) -> list[tuple[int, str, str]]:
    """The headings the contents list, ``(level, id, text)``: every chapter's title, and its
    sections unless it has more than ``TOC_MAX_SECTIONS``."""
    out = []
    for chapter in main.find_all("section", recursive=False):
        found = chapter.find_all(["h1", "h2"])
        if len(found) - 1 > TOC_MAX_SECTIONS:
            found = found[:1]
        for h in found:
            section = h.find_parent("section")
            anchor = h.get("id") or (section.get("id") if section is not None else None)
            if anchor:
                out.append((int(h.name[1]), anchor, _text(h)))
    return out


SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\.?\s+")


def _target_heading(main, anchor: str):
    """The heading a link to ``#anchor`` leads to: the target's own, or its section's first."""
    target = main.find(id=anchor)
    if target is None:
        return None
    if re.fullmatch(r"h[1-6]", target.name or ""):
        return target
    if target.parent is not None and re.fullmatch(r"h[1-6]", target.parent.name or ""):
        return target.parent  # an anchor inside a heading (an appendix's dataset entry)
    section = target if target.name == "section" else target.find_parent("section")
    if target.name != "section" and target.find_next_sibling(re.compile(r"^h[1-6]$")) is not None:
        return target.find_next_sibling(re.compile(r"^h[1-6]$"))
    return section.find(re.compile(r"^h[1-6]$")) if section is not None else None


def cross_references(main, pages: dict[str, int] | None) -> int:
    """On paper a link to a section of the book is only its title: each one (a reference whose
    text is its target's title) is followed by the section's number and page, "(section 2.3,
    page 20)" (the page from the print before; "000" on the first). How many were given one."""
    done = 0
    for link in main.select('a.reference.internal[href^="#"]'):
        if link.select_one("span.std-ref") is None:
            continue
        heading = _target_heading(main, link["href"][1:])
        if heading is None:
            continue
        title = _text(heading)
        number = SECTION_NUMBER.match(title)
        bare = title[number.end() :] if number else title
        page = (pages or {}).get(_key(title))
        where = str(page) if page else "000"
        if _key(_text(link)) != _key(bare):
            done += _appendix_reference(main, link, heading, where)
            continue
        what = f"section {number.group(1)}, page {where}" if number else f"page {where}"
        link.insert_after(_soup(f'<span class="nhs-xref"> ({what})</span>'))
        done += 1
    return done


CHAPTER_NUMBER = re.compile(r"^(\d+)\.\s+|^Appendix ([A-Z])\b")


def _appendix_reference(main, link, heading, where: str) -> int:
    """A link in other words than its target's title ("the report's timeline") to an entry of an
    appendix: followed by the appendix and the page, "(Appendix B, page 130)", or inside the
    brackets it stands in, "(the report's timeline, Appendix B, page 130)". 1 when one was given."""
    chapter = next((s for s in heading.parents if s.parent is main), None)
    opening = chapter.find("h1") if chapter is not None else None
    number = CHAPTER_NUMBER.match(_text(opening)) if opening is not None else None
    if number is None or not number.group(2) or chapter.find(id=link["href"][1:]) is None or chapter in link.parents:
        return 0
    what = f"Appendix {number.group(2)}, page {where}"
    bracketed = str(link.next_sibling or "").startswith(")") and str(link.previous_sibling or "").endswith("(")
    link.insert_after(_soup(f'<span class="nhs-xref">{", " + what if bracketed else " (" + what + ")"}</span>'))
    return 1


def chapter_references(main, pages: dict[str, int] | None) -> int:
    """A link to a whole chapter, part or appendix (a page of the HTML book, ``#document-…`` in the
    one-page book) leads to the chapter's section and is followed by its number and page, "(chapter
    2, page 14)", "(appendix A, page 95)" or, for a part without a number, "(page 93)" (the page
    from the print before; "000" on the first). How many were given one."""
    chapters = {s["data-doc"]: s for s in main.find_all("section", recursive=False) if s.get("data-doc")}
    done = 0
    for link in main.select('a.reference.internal[href^="#document-"]'):
        section = chapters.get(link["href"][1:])
        heading = section.find("h1") if section is not None else None
        if heading is None:
            continue
        link["href"] = "#" + (section.get("id") or heading.get("id") or "")
        title = _text(heading)
        page = (pages or {}).get(_key(title))
        where = f"page {page if page else '000'}"
        number = CHAPTER_NUMBER.match(title)
        names = {f"chapter {number.group(1)}", f"appendix {number.group(2)}"} if number else set()
        named = _text(link).casefold() in names
        if named:  # the link's text is "chapter 4": only the page is added, in the same brackets
            bracketed = str(link.next_sibling or "").startswith(")") and str(link.previous_sibling or "").endswith("(")
            link.insert_after(
                _soup(f'<span class="nhs-xref">{", " if bracketed else " ("}{where}{"" if bracketed else ")"}</span>')
            )
            done += 1
            continue
        if number and number.group(1):
            where = f"chapter {number.group(1)}, {where}"
        elif number and not _text(link).startswith("Appendix"):
            where = f"appendix {number.group(2)}, {where}"
        link.insert_after(_soup(f'<span class="nhs-xref"> ({where})</span>'))
        done += 1
    return done


#: estimates of the height of the text (points): a line of the body and of a caption, and their
#: characters; a paragraph's space after it; a figure's margins
LINE_PT, LINE_CHARS, CAPTION_LINE_PT, CAPTION_CHARS, PARAGRAPH_PT, FIGURE_MARGIN_PT = 13.5, 88, 11.0, 100, 6.2, 28.0
HEADING_PT = 36.0  # a second- or third-level heading with its space
MOVABLE = ("p", "ul", "ol", "dl")  # what a figure may be set before: text of its own section


def _height(node) -> float:
    """An estimate of the height of text block ``node`` in print, in points."""
    import math

    items = node.find_all("li") or [node]
    lines = sum(math.ceil(max(len(_text(item)), 1) / LINE_CHARS) for item in items)
    return lines * LINE_PT + PARAGRAPH_PT


def _figure_height(figure) -> float:
    """An estimate of the height of ``figure`` (its chart and caption) in print, in points."""
    import math
    import struct

    img = figure.select_one("img.nhs-print-chart")
    height = 0.0
    if img is not None and img.get("src", "").startswith("data:image/png;base64,"):
        png = base64.b64decode(img["src"].split(",", 1)[1][:64])
        width_px, height_px = struct.unpack(">II", png[16:24])
        width_pt = width_px / 2 * 0.75
        height = height_px / 2 * 0.75 * min(1.0, text_width_pt() / width_pt)
    caption = figure.find("figcaption")
    lines = math.ceil(len(_text(caption)) / CAPTION_CHARS) if caption is not None else 0
    return height + lines * CAPTION_LINE_PT + FIGURE_MARGIN_PT


def print_figures(main) -> list:
    """The figures of ``main`` that hold a chart, in order (the structure's figures)."""
    return [img.find_parent("figure") or img for img in main.select("img.nhs-print-chart")]


HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _blocks_after(figure) -> list:
    """The text blocks after ``figure`` it may be set after: the rest of its section's paragraphs
    and lists, then, at the end of a section within a chapter, the next section's heading and
    text up to its first figure, table or subsection."""
    blocks, node, crossed = [], figure, False
    while True:
        following = node.find_next_sibling()
        if following is None:
            section = node.parent
            nxt = section.find_next_sibling() if section is not None and section.name == "section" else None
            if crossed or nxt is None or nxt.name != "section" or section.parent.name == "main":
                return blocks
            crossed, following = True, nxt.find(recursive=False)
            if following is None:
                return blocks
        node = following
        if following.name == "span" and not _text(following):
            continue  # a label's anchor
        if following.name not in (*MOVABLE, *HEADINGS):
            return blocks
        blocks.append(following)


def figure_moves(main, gaps: dict[int, float], moves: dict[int, int]) -> dict[int, int]:
    """Where each figure is to be set (``moves``, with those the print of ``main`` asks for): a
    figure that left the part ``gaps[n]`` of the page before it empty (:func:`.makeup.figure_gaps`)
    goes before as many of the paragraphs just before it, in its own section, as let it fit there
    (a count of blocks); failing that, the text after it that fills the gap comes before it (a
    negative count: the blocks it is set after, the next section's heading and first paragraphs
    at most; never a heading left last)."""
    figures = print_figures(main)
    top, bottom = text_block()
    out = dict(moves)
    for n, gap in gaps.items():
        if n >= len(figures):
            continue
        figure, room = figures[n], gap * (bottom - top)
        short = _figure_height(figure) - room  # what must leave the page for it to fit
        if short <= 0:
            continue  # it would fit: the gap is not its doing
        count, before = 0, figure.find_previous_sibling()
        while short > 0 and before is not None and before.name in MOVABLE and moves.get(n, 0) >= 0:
            short -= _height(before)
            count += 1
            before = before.find_previous_sibling()
        if count and short <= 0:
            out[n] = moves.get(n, 0) + count
            continue
        if moves.get(n, 0) > 0:
            continue
        taken, fits = 0, 0
        for k, block in enumerate(_blocks_after(figure), start=1):
            room -= HEADING_PT if block.name in HEADINGS else _height(block)
            if room < 0:
                break
            if block.name not in HEADINGS:
                fits = k
        taken = fits
        if taken:
            out[n] = moves.get(n, 0) - taken
    return out


def move_figures(main, moves: dict[int, int]) -> None:
    """Set figure ``n`` of ``main`` before the ``moves[n]`` text blocks just before it, or after
    the ``-moves[n]`` blocks after it (:func:`figure_moves`)."""
    figures = print_figures(main)
    for n, count in moves.items():
        if n >= len(figures):
            continue
        figure, target = figures[n], figures[n]
        if count < 0:
            after = _blocks_after(figure)[:-count]
            if after:
                after[-1].insert_after(figure.extract())
            continue
        for _ in range(count):
            before = target.find_previous_sibling()
            if before is None or before.name not in MOVABLE:
                break
            target = before
        if target is not figure:
            target.insert_before(figure.extract())


def break_tables(main, breaks: dict[int, frozenset[int]]) -> None:
    """Start a new page before each body row in ``breaks[n]`` of the ``n``-th table of ``main``, or
    before the whole table (:data:`.makeup.WHOLE_TABLE`), so that no row is alone on a page."""
    from nhsreport.publish.book.makeup import WHOLE_TABLE

    tables = main.find_all("table")
    for n, rows in breaks.items():
        table = tables[n]
        body = [tr for tr in table.find_all("tr") if tr.find("td") is not None]
        for row in rows:
            if row == WHOLE_TABLE:
                box = table.find_parent("div", class_=["nhs-table-wrap", "pst-scrollable-table-container"]) or table
                box["style"] = "break-before: page"
            else:
                body[row]["style"] = "break-before: page"


def print_page(
    single_html: str,
    pages: dict[str, int] | None,
    base_url: str | None,
    tight: frozenset[str] = frozenset(),
    breaks: dict[int, frozenset[int]] | None = None,
    table_pages: list[int | None] | None = None,
    moves: dict[int, int] | None = None,
) -> str:
    """The print page of the book from the ``singlehtml`` build's page (see the module's text);
    the chapters whose titles are in ``tight`` set a little closer, tables broken where
    ``breaks`` say and figures set before the text ``moves`` say (:mod:`.makeup`), and the
    pages of the tables of the print before in ``table_pages``."""
    from nhsreport.publish.book.content import release_date_text

    page = _soup(single_html)
    article = page.select_one("article.bd-article")
    print_charts(article)
    table_link_notes(article)
    columns_left_out(article)
    methods_in_print(article, base_url)
    appendix_words(article)
    drop_web_only(article, base_url)
    uk_dates(article)
    caption_citations(article)
    minus_signs(article)
    number_ranges_in_print(article)
    break_identifiers(article)
    short_ids(article)
    front, chapters = split_book(article)
    cover = title_page(front, base_url)
    front.insert(0, _soup(f'<h1 id="about-this-report">{FRONT_TITLE}</h1>'))
    for chapter in chapters:
        shift_headings(chapter)
    body = _soup("<main></main>")
    main = body.main
    main.append(front)
    for chapter in chapters:
        main.append(chapter)
    for section in main.find_all("section", recursive=False):
        section["class"] = [*section.get("class", []), "nhs-chapter"]
        heading = section.find("h1")
        if heading is not None and _key(_text(heading)) in tight:
            section["class"].append("nhs-tight")
    break_tables(main, breaks or {})
    move_figures(main, moves or {})
    cross_references(main, pages)
    chapter_references(main, pages)
    continuation_pages(main, table_pages)
    toc = contents(toc_headings(main), pages)
    title = page.title.get_text() if page.title else FRONT_TITLE
    title = title.split(" — ")[0].split(" | ")[0].strip()
    style = STYLE.read_text(encoding="utf-8") + page_style(main)
    return (
        f'<!DOCTYPE html>\n<html lang="{LANG}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="NHS Integration Report team">'
        f'<meta name="date" content="{release_date_text()}">'
        f"<style>{style}</style></head><body>{cover}{toc}{main}</body></html>"
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string, quoted."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_style(main) -> str:
    """The page layout (A4, :data:`MARGINS_MM`) and the running heads: each chapter of ``main`` is
    a named page whose head is the chapter's title; the contents are headed "Contents". The page
    number at the foot and the title page without either come from ``printbook.css``."""
    margins = " ".join(f"{MARGINS_MM[side]}mm" for side in ("top", "right", "bottom", "left"))
    rules = [f"@page {{ size: 210mm 297mm; margin: {margins}; }}"]
    rules.append(f"@page nhs-contents {{ @top-center {{ content: {_css_string('Contents')}; }} }}")
    for n, section in enumerate(main.find_all("section", recursive=False), start=1):
        heading = section.find("h1")
        if heading is None:
            continue
        section["style"] = f"page: nhs-chapter-{n}"
        rules.append(f"@page nhs-chapter-{n} {{ @top-center {{ content: {_css_string(_text(heading))}; }} }}")
    return "\n" + "\n".join(rules) + "\n"


def render(html_file: Path, pdf: Path) -> None:
    """Print ``html_file`` to ``pdf`` with Debian's Chromium: tagged, with an outline; the page
    size, margins, running heads and page numbers are the print page's own (CSS paged media)."""
    import shutil

    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe) if exe else p.chromium.launch()
        try:
            page = browser.new_page()
            page.goto(html_file.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            pdf.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(pdf),
                prefer_css_page_size=True,  # A4 exactly, from the print page's @page rule
                tagged=True,
                outline=True,
                print_background=True,
            )
        finally:
            browser.close()


def heading_pages(pdf: Path) -> dict[str, int]:
    """The page (from 1) of each heading of ``pdf``'s outline, by its text."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    out: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.setdefault(_key(item.title), reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return out


def _fix_outline_titles(writer, titles: list[str]) -> None:
    """Restore the spaces the outline's titles lost where their heading broke across lines
    ("structuralintegration"), from ``titles``, the headings' texts."""
    from pypdf.generic import NameObject, TextStringObject

    by_key = {_key(text): text for text in titles}
    outlines = writer._root_object.get("/Outlines")
    stack = [outlines.get_object()["/First"]] if outlines is not None and "/First" in outlines.get_object() else []
    while stack:
        item = stack.pop().get_object()
        title = str(item.get("/Title", ""))
        if _key(title) in by_key and by_key[_key(title)] != title:
            item[NameObject("/Title")] = TextStringObject(by_key[_key(title)])
        for link in ("/First", "/Next"):
            if link in item:
                stack.append(item[link])


AUTHOR = "NHS Integration Report team"


def xmp_metadata(writer, described: dict[str, str]) -> None:
    """The document's XMP metadata stream (the catalogue's ``/Metadata``): its title, author,
    subject and language as the document information gives them (``described``), for the tools
    that read XMP only. It claims no conformance (no PDF/UA or PDF/A identifier): none has been
    checked with a validator."""
    from pypdf.generic import NameObject
    from pypdf.xmp import XmpInformation

    xmp = XmpInformation.create()
    xmp.dc_title = {"x-default": described["/Title"]}
    xmp.dc_creator = [described["/Author"]]
    xmp.dc_description = {"x-default": described["/Subject"]}
    xmp.dc_language = [LANG]
    xmp.dc_format = "application/pdf"
    writer.xmp_metadata = xmp
    stream = writer._root_object["/Metadata"].get_object()
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")


def _times(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices ``[a b c d e f]``: ``a`` applied first."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def drop_running_head(page, reader) -> int:
    """Take the running head off ``page`` (a chapter's opening page): the text Chromium draws above
    the text block, outside the document's structure (an artefact). How many runs of text went."""
    from pypdf.generic import ContentStream

    content = ContentStream(page.get_contents(), reader)
    height = float(page.mediabox.height)
    margin = MARGINS_MM["top"] * 72 / 25.4
    ctm, saved, kept, dropped = [1.0, 0, 0, 1.0, 0, 0], [], [], 0
    block: list | None = None
    for operands, op in content.operations:
        if block is not None:
            block.append((operands, op))
            if op == b"ET":
                first = next(((o, p) for o, p in block if p == b"Tm"), None)
                y = _times([1, 0, 0, 1, float(first[0][4]), float(first[0][5])], ctm)[5] if first else None
                if y is not None and height - y < margin:
                    dropped += 1
                else:
                    kept.extend(block)
                block = None
            continue
        if op == b"BT":
            block = [(operands, op)]
            continue
        if op == b"q":
            saved.append(ctm)
        elif op == b"Q" and saved:
            ctm = saved.pop()
        elif op == b"cm":
            ctm = _times([float(x) for x in operands], ctm)
        kept.append((operands, op))
    if dropped:
        content.operations = kept
        page.replace_contents(content)
    return dropped


def finish(pdf: Path, titles: list[str], openings: frozenset[int] = frozenset()) -> None:
    """Have viewers show the document's title rather than its file name, state its language and
    authors in the catalogue, the document information and the XMP metadata (Chromium sets the
    title and the language of the structure only), and give the outline its headings' own
    ``titles``; the chapters' opening pages (``openings``, from 1) lose their running head."""
    from pypdf import PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    from nhsreport.publish.book.content import release_date_text

    writer = PdfWriter(clone_from=pdf)
    writer.pdf_header = b"%PDF-1.7"  # tagged PDF (1.4 at least), as Chromium writes it
    root = writer._root_object
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    root[NameObject("/Lang")] = TextStringObject(LANG)
    _fix_outline_titles(writer, titles)
    for number in openings:
        drop_running_head(writer.pages[number - 1], writer)
    info = writer.metadata or {}
    described = {
        "/Title": str(info.get("/Title") or FRONT_TITLE),
        "/Author": AUTHOR,
        "/Subject": f"A report on integration in the NHS in England, {release_date_text()}",
    }
    writer.add_metadata(described)
    xmp_metadata(writer, described)
    tmp = pdf.with_suffix(".tmp.pdf")
    with tmp.open("wb") as f:
        writer.write(f)
    tmp.replace(pdf)


def publish(pdf: Path, build_dir: Path = paths.BUILD) -> list[Path]:
    """Put ``pdf`` where the HTML site offers it for download, when the site has been built
    (``_build/html/_static/downloads``) and in the folder the next HTML build copies from: the
    site's PDF is then this one even when the next HTML build has no page to rewrite (Sphinx then
    copies no static file). The copies written."""
    import shutil

    written = []
    for folder in (build_dir / "html" / "_static" / "downloads", build_dir / "nhsreport_static" / "downloads"):
        if folder.is_dir():
            shutil.copyfile(pdf, folder / PDF_BOOK)
            written.append(folder / PDF_BOOK)
    return written


def text_width_pt() -> float:
    """The width of the text block, in points."""
    return (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4


def text_block() -> tuple[float, float]:
    """The top and the bottom of the text block, in points from the top of the page."""
    pt = 72 / 25.4  # points in a millimetre
    return MARGINS_MM["top"] * pt, (297 - MARGINS_MM["bottom"]) * pt


MAX_PRINTS = 6  # prints of the book at most, until the make-up and the page numbers settle


def build(single_html: Path = SINGLE_HTML, out: Path = PDF_BOOK_FILE) -> Path:
    """The PDF book ``out`` from the ``singlehtml`` build's page, printed until it settles: each
    print gives the page of every heading (for the contents and the cross-references of the next)
    and what the make-up must fix (:mod:`.makeup`: chapters whose last page holds only a few lines,
    tables leaving a row alone on a page or their caption apart from their body); the book is done when a print needs no new fix and its
    pages are those it was given (three prints, usually)."""
    from nhsreport.publish.book import makeup, site

    if not single_html.exists():
        raise FileNotFoundError(f"{single_html}: build the one-page book first (make pdf does)")
    book_html = single_html.read_text(encoding="utf-8")
    print_file = single_html.with_name("print.html")

    def print_once(pages, tight, breaks, table_pages, moves) -> str:
        page = print_page(book_html, pages, site.base_url(), tight, breaks, table_pages, moves)
        print_file.write_text(page, encoding="utf-8")
        render(print_file, out)
        return page

    pages, tight, breaks, table_pages, moves = None, frozenset(), {}, None, {}
    for _ in range(MAX_PRINTS):
        page = print_once(pages, tight, breaks, table_pages, moves)
        found, found_tables, fills = heading_pages(out), makeup.table_heads(out), makeup.page_fills(out, *text_block())
        main = _soup(page).main
        chapters = [_key(_text(s.find("h1"))) for s in main.find_all("section", recursive=False)]
        more_tight = tight | makeup.short_chapter_ends(fills, chapters, found)
        more_breaks = makeup.merge_breaks(breaks, makeup.lone_rows(makeup.table_rows(out), found_tables))
        openings = {found[key] for key in [_key("Contents"), *chapters] if key in found}
        more_moves = figure_moves(main, makeup.figure_gaps(fills, makeup.figure_pages(out), openings), moves)
        settled = more_tight == tight and more_breaks == breaks and more_moves == moves
        if settled and found == pages and found_tables == table_pages:
            break
        pages, tight, breaks, table_pages, moves = found, more_tight, more_breaks, found_tables, more_moves
    finish(out, [_text(h) for h in _soup(page).find_all(re.compile(r"^h[1-6]$"))], frozenset(openings))
    if out == PDF_BOOK_FILE:
        publish(out)
    return out


def main() -> None:
    """``python -m nhsreport.publish.book.printbook``: print the PDF book (``make pdf``)."""
    pdf = build()
    print(f"PDF book: {pdf}")


if __name__ == "__main__":
    main()
