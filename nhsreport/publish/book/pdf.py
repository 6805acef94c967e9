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


# ---------------------------------------------------------------------------------------------
# charts: the print version of each chart is drawn by the PDF build, once, through the render cache
# ---------------------------------------------------------------------------------------------

try:  # Sphinx and docutils are there in a book build; the package imports without them
    from docutils import nodes as _nodes
    from docutils.parsers.rst import Directive as _Directive
    from sphinx.transforms.post_transforms import SphinxPostTransform as _PostTransform
except ImportError:  # pragma: no cover
    _nodes = _Directive = _PostTransform = None


class print_chart(_nodes.General, _nodes.Element):
    """A chart of the PDF book, not yet drawn: ``body`` holds its spec and its width on screen
    (:func:`nhsreport.publish.components.charts.print.print_markdown`)."""


def skip_node(self, node) -> None:
    """Writers other than LaTeX's show nothing for a chart's print version."""
    raise _nodes.SkipNode


class PrintChartDirective(_Directive):
    """``nhs-print-chart``: read when a chart's display bundle is parsed (for every builder, as
    myst-nb reads each output once); it only keeps the body, which the LaTeX build draws."""

    has_content = True

    def run(self):
        return [print_chart(body="\n".join(self.content))]


def print_png_file(app, body: str) -> str:
    """Draw the chart of a :class:`print_chart` ``body`` for print (each render through the render
    cache) into ``_build/jupyter_execute/<sha256 of the PNG>.png``, beside the notebooks' own
    outputs; returns its path relative to the source folder, as Sphinx names images."""
    import os
    from pathlib import Path

    from nhsreport import atomic
    from nhsreport.hashing import sha256_bytes
    from nhsreport.publish.components.charts.print import print_png, read_print_body

    spec, screen_width = read_print_body(body)
    png = print_png(spec, screen_width)[0]
    target = Path(app.outdir).parent / "jupyter_execute" / f"{sha256_bytes(png)}.png"
    if not target.exists() or target.read_bytes() != png:
        atomic.write_bytes(target, png)
    return os.path.relpath(target, app.srcdir).replace(os.sep, "/")


class DrawPrintCharts(_PostTransform):
    """In the PDF book (LaTeX) each chart's :class:`print_chart` becomes the image of its print
    version, registered with the build's images so that LaTeX finds it. Runs after myst-nb has
    picked each output's format (``text/markdown`` for a chart in LaTeX, ``text/html`` in HTML,
    where no print version is drawn)."""

    default_priority = 50
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(print_chart)):
            uri = print_png_file(self.app, node["body"])
            self.env.images.add_file(self.env.docname, uri)
            node.replace_self(_nodes.image(uri=uri, candidates={"*": uri}))


def setup_print_charts(app) -> None:
    """Register the chart directive, its node and the LaTeX build's drawing of it."""
    from nhsreport.publish.components.charts.print import PRINT_DIRECTIVE

    app.add_directive(PRINT_DIRECTIVE, PrintChartDirective)
    skip = (skip_node, None)
    app.add_node(print_chart, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_post_transform(DrawPrintCharts)
