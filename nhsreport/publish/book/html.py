"""Changes to the HTML pages: their context (no canonical link, no thebe scripts, bibliography
markup that passes accessibility checks) and the site's root redirect."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from nhsreport.atomic import write_if_changed


def no_canonical_link(app, pagename, templatename, context, doctree) -> None:
    """No ``<link rel="canonical">`` to the published address: a page served from a copy of the
    build (a reader's offline copy, the test server) names no other host."""
    context["pageurl"] = None


CHART_FILES = "_static/charts"  # the static drawings of the charts, one file each, named by content
_STATIC_SVG = re.compile(r'<div class="nhs-chart-static">(<svg\b.*?</svg>)</div></div>', re.S)
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)"[^>]*?\bheight="([0-9.]+)"')


def static_charts_as_files(app, pagename, templatename, context, doctree) -> None:
    """Each chart's static drawing (the SVG drawn beside the interactive chart, for readers
    without JavaScript and for the print edition) moves out of the page into its own file under
    ``_static/charts/``, named by the SHA-256 of its content, and the page loads it with a lazy
    ``<img>``: the page carries the chart's specification once, not its drawing twice, and a
    reader whose browser draws the interactive chart never fetches the file. It works from disk
    (``file://``) like any image. The chart's container keeps its name and description (the image
    itself is ``alt=""``)."""
    body = context.get("body")
    if not body or 'class="nhs-chart-static"><svg' not in body:
        return
    folder = Path(app.outdir) / CHART_FILES

    def to_file(match: re.Match) -> str:
        svg = match.group(1)
        name = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:24] + ".svg"
        write_if_changed(folder / name, svg.encode("utf-8"))
        size = _SVG_SIZE.search(svg)
        dims = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
        src = context["pathto"](f"{CHART_FILES}/{name}", 1)
        return (
            f'<div class="nhs-chart-static"><img src="{src}" alt=""{dims} loading="lazy" decoding="async"></div></div>'
        )

    context["body"] = _STATIC_SVG.sub(to_file, body)


def numref_reads_each_page_once(app) -> None:
    """Resolve ``{numref}`` references ("Figure 2.3") reading each target page's doctree once a
    build, not once a reference. Sphinx's standard domain unpickles the whole target page for every
    reference to one of its figures; a chapter's doctree holds its charts (megabytes), so the
    book's 146 references made writing the pages unpickle chapters 146 times, about half the
    time of writing. The references only read the target figure and its number, so one copy of
    each page serves them all; what they produce is the same. Connected when the builder starts
    (the domain's objects are made afresh for every build and never pickled)."""
    domain = app.env.get_domain("std")
    resolve = domain._resolve_numref_xref
    doctrees: dict = {}

    def read_once(docname: str):
        if docname not in doctrees:
            doctrees[docname] = type(app.env).get_doctree(app.env, docname)
        return doctrees[docname]

    def resolve_numref(env, *args):
        env.get_doctree = read_once
        try:
            return resolve(env, *args)
        finally:
            del env.get_doctree

    domain._resolve_numref_xref = resolve_numref
    app.connect("build-finished", lambda app, exception: doctrees.clear())


def search_stems_each_word_once(app, doctree, docname) -> None:
    """The search index stems each distinct word once a build, not once per page. Sphinx
    remembers the stems of one page's words while it indexes that page and forgets them after:
    the book's pages repeat their words (47,000 stems a clean build, 2.5 s of writing the pages).
    The stemmer gives a word the same stem whatever page it is on, so the index is the same.
    Connected to ``doctree-resolved``: each page is resolved before it is indexed, after the
    builder made its index."""
    indexer = getattr(app.builder, "indexer", None)
    language = getattr(indexer, "lang", None)
    if language is not None and not hasattr(language.stem, "cache_info"):
        language.stem = functools.cache(language.stem)


def drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """The book uses no live code cells: drop sphinx-thebe's scripts (jupyter-book adds them,
    sometimes twice, which is a JavaScript error on every page)."""
    files = context.get("script_files")
    if files is None:
        return
    keep = [
        js
        for js in files
        if "thebe" not in str(js) and "THEBE" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]
    files[:] = keep


def accessible_body(app, pagename, templatename, context, doctree) -> None:
    """Repair docutils' bibliography markup: ``doc-biblioentry`` is a deprecated ARIA role, and
    a ``role="list"`` must hold list items."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


#: The words the toolbar's "Download this page" menu shows for each of its items, by the theme's text
DOWNLOAD_WORDS = {".ipynb": "Notebook (.ipynb)", ".md": "Markdown (.md)", ".pdf": "Print or save as PDF"}


def download_menu_in_words(app, pagename, templatename, context, doctree) -> None:
    """The toolbar's "Download this page" menu names its items in words ("Notebook (.ipynb)",
    "Print or save as PDF"), not by a file suffix alone (WCAG 2.4.6). Connected after the theme
    fills its header buttons (priority 501)."""
    for group in context.get("header_buttons") or ():
        for button in group.get("buttons") or ():
            button["text"] = DOWNLOAD_WORDS.get(button.get("text"), button.get("text"))


TEMPLATES = Path(__file__).parent / "templates"  # the theme's page layout, titled once on the front page


def page_templates(app, config) -> None:
    """The book's own page template (``templates/layout.html``, which extends the theme's) goes
    before the project's: the front page, whose title is the site's name, is titled once."""
    config.templates_path = [str(TEMPLATES), *(config.templates_path or [])]


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="_static/favicon.svg">
<meta http-equiv="Refresh" content="0; url={target}"></head>
<body><main><h1>{title}</h1><p><a href="{target}">Go to the report</a></p></main></body>
</html>
"""


def root_redirect(app, exception) -> None:
    """The site's root ``index.html``: a redirect to the front page that is a whole document,
    with a language and a title (sphinx-external-toc, which runs later, writes a bare one only
    when none exists)."""
    if exception is not None or app.builder.format != "html" or app.config.master_doc == "index":
        return
    import html

    target = f"{app.config.master_doc}.html"
    title = html.escape(app.config.html_title or app.config.project)
    text = REDIRECT.format(lang=app.config.language or "en", title=title, target=target)
    write_if_changed(Path(app.outdir) / "index.html", text.encode("utf-8"))
