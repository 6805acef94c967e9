"""Changes to the pages of the PDF book (the LaTeX builder) only."""

from __future__ import annotations


def printable_tables(app, doctree, docname) -> None:
    """In the PDF book every table may break across pages (a LaTeX ``longtable``, its header
    repeated): a table that cannot break is pushed whole to the next page, leaving a gap, or runs
    off the foot of the page when it is longer than one."""
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for table in doctree.findall(nodes.table):
        if "longtable" not in table["classes"]:
            table["classes"].append("longtable")


def drop_empty_references_chapter(app, doctree, docname) -> None:
    """In the PDF book LaTeX gathers the bibliography at the end under its own heading
    ("References"): drop the heading of the references page, which would print as an empty
    chapter before it."""
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for section in list(doctree.findall(nodes.section)):
        title = section.next_node(nodes.title)
        rest = [c for c in section.children if not isinstance(c, (nodes.title, nodes.target))]
        if (
            title is not None
            and title.astext() == "References"
            and all(
                not c.astext().strip() or isinstance(c, nodes.citation) or c.next_node(nodes.citation) is not None
                for c in rest
            )
        ):
            section.replace_self(rest)
