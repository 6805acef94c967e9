"""Numbers for the tables that chapters print from their code ("Table 2.3"), like figures.

Sphinx numbers a table written in the text (``{list-table}`` with a caption), but a table a code
cell prints (:class:`nhsreport.publish.components.tables.Table`) reaches it as raw HTML, which it
cannot number. :class:`NumberTables` wraps each such output, when its HTML starts with a captioned
table, in a :class:`numbered_table` node that Sphinx numbers in the same sequence as its own
tables, chapter by chapter; the HTML writer puts the number in the table's caption. A label just
before the cell (``(tab-mgmt-outliers)=``) names the table for ``{numref}`` ("Table 2.4"). The
HTML book and the one-page book the PDF is printed from are numbered by the same code; an
appendix's tables are numbered by its letter (:func:`letter_appendix_tables`).

A chapter writes what a table shows in the paragraph just before it, opening with its title in
bold ("**Trusts far above most trusts ..., November 2025.** Trusts with more than ..."). That
paragraph becomes the table's one caption (:func:`caption_paragraph`): its number, the bold lead as
its title, the rest as its text, so that a reader sees one caption and the print keeps it with
the table's header and first rows.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

#: the raw HTML of a code cell's output that is a captioned table
CAPTIONED_TABLE = re.compile(r"^\s*(?:<div\b[^>]*>\s*)?<table\b[^>]*>\s*<caption>(?P<caption>.*?)</caption>", re.S)


class numbered_table(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A code cell's output that is a captioned table, numbered with the tables."""


def caption_of(node: nodes.Element) -> str | None:
    """The caption's text of the first captioned table of raw HTML in ``node`` (its title for a
    ``{ref}``), or None."""
    for raw in node.findall(nodes.raw):
        found = CAPTIONED_TABLE.match(raw.astext())
        if found:
            return re.sub(r"<[^>]+>", "", found.group("caption")).strip()
    return None


#: the class of a paragraph that is its table's caption (moved into the table's node)
CAPTION_PARAGRAPH = "nhs-table-caption"


def caption_paragraph(cell: nodes.Element) -> nodes.paragraph | None:
    """The paragraph just before ``cell`` (targets aside) that writes what its table shows: it
    opens with a bold lead, a sentence of its own ("**Trusts far above ..., November 2025.**");
    or None."""
    before = cell.parent.index(cell) - 1 if cell.parent is not None else -1
    while before >= 0 and isinstance(cell.parent[before], nodes.target):
        before -= 1
    paragraph = cell.parent[before] if before >= 0 else None
    if not isinstance(paragraph, nodes.paragraph):
        return None
    while paragraph.children and isinstance(paragraph[0], nodes.Text) and not paragraph[0].astext().strip():
        paragraph.remove(paragraph[0])
    lead = paragraph[0] if paragraph.children else None
    if not isinstance(lead, nodes.strong) or not lead.astext().rstrip().endswith("."):
        return None
    return paragraph


class NumberTables(SphinxTransform):
    """Wrap each code cell's table output in a :class:`numbered_table`, with the ids of a label
    just before the cell (or one of its own), before Sphinx registers the labels (priority 850)
    and numbers the figures and tables (after the documents are read)."""

    default_priority = 800

    def apply(self, **kwargs) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if "cell" not in cell.get("classes", []) or cell.next_node(nodes.figure) is not None:
                continue
            for output in [n for n in cell.children if "cell_output" in n.get("classes", [])]:
                if caption_of(output) is None:
                    continue
                wrapper = numbered_table()
                output.replace_self(wrapper)
                paragraph = caption_paragraph(cell)
                if paragraph is not None:
                    paragraph.parent.remove(paragraph)
                    paragraph["classes"].append(CAPTION_PARAGRAPH)
                    wrapper.append(paragraph)
                wrapper.append(output)
                ids, cell["ids"] = cell["ids"], []
                for name in ids:
                    self.document.ids[name] = wrapper
                wrapper["ids"] = ids
                if not ids:
                    self.document.set_id(wrapper)
                break


#: an appendix's title, and its letter
APPENDIX = re.compile(r"^Appendix ([A-Z])\b")
#: the caption of each dataset's field-by-field table in Appendix B: reference tables of the HTML
#: version (the print leaves them out), not numbered
FIELD_TABLES = "Fields of"


def _caption_text(node: nodes.Element) -> str:
    caption = node.next_node(nodes.caption) or node.next_node(nodes.title)
    return caption.astext() if caption is not None else (caption_of(node) or "")


def letter_appendix_tables(app, env) -> list[str]:
    """The tables of an appendix numbered by its letter, in its own sequence ("Table A.1", as
    figures are numbered by chapter), its field-by-field tables (:data:`FIELD_TABLES`) left
    unnumbered. Sphinx numbers the tables of an unnumbered page in one run through the book.
    Connected to ``env-get-updated`` after Sphinx's numbering; no page to rewrite besides."""
    domain = env.get_domain("std")
    for docname, numbers in env.toc_fignumbers.items():
        title = env.titles.get(docname)
        letter = APPENDIX.match(title.astext()) if title is not None else None
        if letter is None or "table" not in numbers:
            continue
        doctree = env.get_doctree(docname)
        order = [
            node
            for node in doctree.findall(nodes.Element)
            if domain.get_enumerable_node_type(node) == "table" and node["ids"] and node["ids"][0] in numbers["table"]
        ]
        lettered, count = {}, 0
        for node in order:
            if not _caption_text(node).startswith(FIELD_TABLES):
                count += 1
                lettered[node["ids"][0]] = (letter.group(1), count)
        numbers["table"] = lettered
    return []


def _html_of(self, children) -> str:
    """The HTML of inline nodes ``children``, written by the translator ``self``."""
    start = len(self.body)
    for child in children:
        child.walkabout(self)
    written = "".join(self.body[start:])
    del self.body[start:]
    return written


def _caption_html(self, node: numbered_table) -> str | None:
    """The caption written from the paragraph that is the table's caption (its bold lead as the
    title, the rest as its text), taken out of ``node`` so that it is written once; or None."""
    paragraph = next((c for c in node.children if CAPTION_PARAGRAPH in c.get("classes", [])), None)
    if paragraph is None:
        return None
    node.remove(paragraph)
    title = _html_of(self, paragraph[0].children)
    rest = list(paragraph.children[1:])
    if rest and isinstance(rest[0], nodes.Text):
        rest[0] = nodes.Text(rest[0].astext().lstrip())
    text = _html_of(self, rest)
    return f'<span class="nhs-caption-title">{title}</span>' + (
        f' <span class="nhs-caption-text">{text}</span>' if text else ""
    )


def visit_numbered_table(self, node: numbered_table) -> None:
    """HTML: the table's number at the head of its caption (Sphinx's own ``caption-number``), and
    the paragraph that writes what it shows as the rest of the caption (:func:`caption_paragraph`)."""
    start = len(self.body)
    self.add_fignumber(node)
    number = "".join(self.body[start:])
    del self.body[start:]
    written = _caption_html(self, node)
    self.body.append(f'<div class="nhs-numbered-table" id="{node["ids"][0]}">')
    for raw in node.findall(nodes.raw):
        text = raw.astext()
        if CAPTIONED_TABLE.match(text) and (number or written):
            if written:
                text = re.sub(
                    r"<caption>.*?</caption>", lambda _: f"<caption>{written}</caption>", text, count=1, flags=re.S
                )
            new = text.replace("<caption>", f"<caption>{number}", 1)
            raw.replace_self(nodes.raw(new, new, format=raw.get("format", "html"), classes=raw.get("classes", [])))
            break


def depart_numbered_table(self, node: numbered_table) -> None:
    self.body.append("</div>")


def _skip(self, node) -> None:
    """Other writers: the table as it is."""


def setup(app) -> None:
    """Register the node as a table Sphinx numbers, and the transform that makes them."""
    app.add_enumerable_node(
        numbered_table,
        "table",
        caption_of,
        html=(visit_numbered_table, depart_numbered_table),
        latex=(_skip, _skip),
        text=(_skip, _skip),
    )
    app.add_transform(NumberTables)
    app.connect("env-get-updated", letter_appendix_tables, priority=900)  # after Sphinx numbers (500)
