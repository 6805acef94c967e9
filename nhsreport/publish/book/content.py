"""What the build writes into the book: the release (``nhsreport.__version__`` and its date) on the
front page, in every footer and on the PDF title page; the front page's downloads and how to cite
the report; the system profiles, generated before anything is read
(:func:`nhsreport.publish.pages.profiles.generate`: one page per 2026 board under ``book/systems/``,
orphans outside the table of contents, their CSVs and briefings, the finder's index) and the index
of systems in ``book/systems.md``; and the ``{eval}`` role of the chapters' prose.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging as _logging

from nhsreport import paths
from nhsreport.publish.book import site
from nhsreport.publish.book.assets import BRIEFING, PDF_BOOK, pdf_book_built
from nhsreport.publish.book.freshness import key_inputs, remembered

logger = _logging.getLogger(__name__)

DOWNLOADS_MARKER = "<!-- downloads -->"
CITE_MARKER = "<!-- how-to-cite -->"


def downloads_markdown(builder_format: str) -> str:
    """The download links of the front page. HTML: the England briefing always (it is compiled
    by the build), the PDF book when it has been built (`make book` builds it first). PDF: where
    the HTML book, with the downloads, is published."""
    if builder_format != "html":
        url = site.base_url()
        where = f", is published at <{url}>." if url else "."
        return (
            "**The HTML version** of this report has interactive charts, the England and system briefings "
            f"and every dataset to download{where}"
        )
    # plain anchors: MyST would read a relative Markdown link as a reference to a document
    links = [f'<a href="../_static/downloads/{BRIEFING}">England briefing (PDF, three pages)</a>']
    if pdf_book_built():
        links.insert(0, f'<a href="../_static/downloads/{PDF_BOOK}">The whole report as a PDF book</a>')
    return "**Downloads:** " + " · ".join(links) + "."


def cite_markdown() -> str:
    """How to cite the report: authors, year, title, version, date and the published address."""
    from nhsreport import RELEASED

    return (
        f"NHS Integration Report team ({RELEASED[:4]}). *Joining up the NHS in England.* "
        f"Version {site.version()}, released {release_date_text()}."
        + (f" <{site.base_url()}>" if site.base_url() else "")
    )


def release_date_text() -> str:
    """The release date as the book prints it, e.g. "1 December 2026"."""
    from datetime import date

    from nhsreport import RELEASED

    d = date.fromisoformat(RELEASED)
    return f"{d.day} {d:%B %Y}"


def contact_markdown() -> str:
    """How readers reach the publisher (the accessibility statement's contact):
    :func:`site.contact_markdown`."""
    return site.contact_markdown()


def set_release(app, config) -> None:
    """The release (``nhsreport.__version__`` and its date) everywhere the book shows it: the
    ``{{ release }}`` and ``{{ release_date }}`` substitutions, the footer of every HTML page, and
    the title page of the PDF book (Sphinx's ``release`` and ``today``)."""
    from nhsreport import __version__

    when = release_date_text()
    config.version = config.release = __version__
    config.today = when
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "release": __version__,
        "release_date": when,
        "contact": contact_markdown(),
        "general_contact": site.general_contact_markdown(),
        "response": site.response_markdown(),
        "responder": site.responder_text(),
        "code_where": site.code_markdown(),
        "on_website": site.on_website_markdown(),
        "in_html": site.in_html_markdown(),
        "website": site.website_text(),
    }
    options = dict(config.html_theme_options or {})
    footer = f"Version {__version__}, {when}."
    if footer not in options.get("extra_footer", ""):
        options["extra_footer"] = f"{footer} {options.get('extra_footer', '')}".strip()
    config.html_theme_options = options


def write_profiles(app, config) -> None:
    """Write the profile pages before Sphinx looks for source files (only when their inputs
    changed: the check needs neither pandas nor Altair), and keep them in the build:
    sphinx-external-toc (``only_build_toc_files``) excludes every file the ToC does not list."""
    from nhsreport.publish.pages import profile_inputs

    out = Path(app.doctreedir).parent / "nhsreport_static"
    templates = (paths.PACKAGE / "publish" / "briefing").glob("*.typ")
    key = remembered(app, "profiles", key_inputs(*templates), profile_inputs.inputs_key)
    app.nhsreport_profiles_key = key
    if not profile_inputs.is_current(out, key):
        # the boards' briefings are compiled by a background process; briefings_done waits for it
        import time

        from nhsreport.publish.pages import profiles

        cpu = time.thread_time()  # this thread's: the chapters' kernels run meanwhile, in threads of this process
        result = profiles.generate(out, key=key, force=True)
        logger.info(
            "[nhsreport] system profiles: %d files written in %.1f s (%.1f s of CPU, beside the chapters' kernels)",
            result["written"],
            result["seconds"],
            time.thread_time() - cpu,
        )
    prefix = profile_inputs.PAGE_DIR + "/"
    config.exclude_patterns = [p for p in config.exclude_patterns if not str(p).startswith(prefix)]


def briefings_done(app, env) -> None:
    """Once the pages are read, wait for the briefings that :func:`write_profiles` and
    :func:`~nhsreport.publish.book.assets.prepare_static` handed to the background process (before
    Sphinx copies the static files that hold them); an error names each briefing that failed."""
    import sys

    background = sys.modules.get("nhsreport.publish.briefing.background")  # not imported: none started
    result = background.finish() if background else None
    if not result:
        return
    if background.BOARDS in result["followed"]:
        written, seconds = result["followed"][background.BOARDS], result["took"][background.BOARDS]
        logger.info("[nhsreport] board briefings: %d files written in %.1f s", written, seconds)
    if background.ENGLAND in result["followed"]:
        logger.info("[nhsreport] England briefing: written in %.1f s", result["took"][background.ENGLAND])
    logger.info(
        "[nhsreport] briefings compiled in the background: %d (processes: %d; %.1f s of CPU; waited for after %.1f s)",
        len(result["items"]),
        len(result["pids"]),
        result["cpu_seconds"],
        result["seconds"],
    )


def fill_markers(app, docname, source) -> None:
    """Replace the markers of a page's source with what they stand for: the index of systems,
    the front page's downloads, how to cite the report."""
    from nhsreport.publish.pages.profile_inputs import INDEX_MARKER

    if INDEX_MARKER in source[0]:
        from nhsreport.publish.pages import profiles

        source[0] = source[0].replace(INDEX_MARKER, profiles.index_source(getattr(app, "nhsreport_profiles_key", None)))
    if DOWNLOADS_MARKER in source[0]:
        source[0] = source[0].replace(DOWNLOADS_MARKER, downloads_markdown(app.builder.format))
    if CITE_MARKER in source[0]:
        source[0] = source[0].replace(CITE_MARKER, cite_markdown())


def number_style_of_pasted_text(app, doctree, docname) -> None:
    """Every glued number the page prints (``{eval}`` and ``{glue:text}``, pasted as inline nodes
    of class ``pasted-text``) in the report's one style (:func:`nhsreport.formatting.number_style`):
    a true minus sign, no space inside "+5", "4.2%" or "£1,109"."""
    from docutils import nodes

    from nhsreport.formatting import number_style

    for node in list(doctree.findall(nodes.inline)):
        if "pasted-text" not in node.get("classes", []):
            continue
        text = node.astext()
        styled = number_style(text)
        if styled != text:
            node.children = [nodes.Text(styled)]


def eval_role():
    """The ``{eval}`` role of the chapters' prose, read from the glued values.

    A chapter writes a number as ``{eval}`name``` or ``{eval}`f"{name:,.0f}"```: Python that
    JupyterLab (jupyterlab-myst) evaluates in the kernel after "Run all". myst-nb evaluates
    ``{eval}`` only when it executes a notebook inline, which would bypass the execution cache, so
    in the book the role is replaced by this one: it prints the value the chapter glued under that
    name (:func:`nhsreport.publish.book.chapter.glue`) with the same format, exactly as
    ``{glue:text}`name:format``` would.
    """
    import re

    from myst_nb.ext.glue.roles import PasteTextRole

    name_only = re.compile(r"^\s*([A-Za-z_]\w*)\s*$")
    formatted = re.compile(r"""^\s*f(["'])\{([A-Za-z_]\w*)(?::([^{}]+))?\}\1\s*$""")

    class EvalGluedRole(PasteTextRole):
        def run(self):
            m = name_only.match(self.text)
            if m:
                self.text = m.group(1)
            else:
                m = formatted.match(self.text)
                if not m:
                    msg = self.inliner.reporter.warning(
                        f'{{eval}}`{self.text}`: write a glued name, or f"{{name:format}}"', line=self.lineno
                    )
                    return [], [msg]
                self.text = m.group(2) + (f":{m.group(3)}" if m.group(3) else "")
            return super().run()

    return EvalGluedRole()
