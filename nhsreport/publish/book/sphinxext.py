"""Sphinx extension for the book (listed in ``_config.yml``).

* Tells chart code it runs inside a book build (``NHSREPORT_BOOK=1`` for the kernels it starts).
* Serves, once per site, everything charts and tables need with no network: the vega,
  vega-lite and vega-embed JavaScript shipped by vl-convert (wrapped in a function scope so it
  cannot clash with Sphinx's globals), the report's small script and style sheet, and the
  boundary files maps refer to.
* Publishes every processed dataset and the data package descriptor under ``_static/downloads/`` so
  that readers can download them from the methods appendix.
* Executes, before Sphinx reads, the chapters it will read that are not in the execution cache, in
  parallel (:mod:`nhsreport.publish.book.execute`), and skips recomputing figure numbers and citations
  when a build read no page.
* Shows the release (``nhsreport.__version__`` and its date) on the front page, in every footer and
  on the PDF title page.
* Generates the system profiles before anything is read (:func:`nhsreport.publish.pages.profiles.generate`):
  one page per 2026 board under ``book/systems/`` (orphans, outside the table of contents, so the
  sidebar keeps a single "Systems" entry), their CSVs and briefings, and the finder's index; and
  fills the index of systems into ``book/systems.md``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path, PurePosixPath

from sphinx.util import logging as _logging

from nhsreport import atomic, paths
from nhsreport.publish.book import site

logger = _logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
VEGA_FILE = "nhsreport-vega.js"
PDF_BOOK = "nhs-integration-report.pdf"  # latex_documents targetname in _config.yml
BRIEFING = "england-briefing.pdf"
DOWNLOADS_MARKER = "<!-- downloads -->"
CITE_MARKER = "<!-- how-to-cite -->"

os.environ["NHSREPORT_BOOK"] = "1"


def _write_if_changed(target: Path, blob: bytes) -> None:
    if not target.exists() or target.read_bytes() != blob:
        atomic.write_bytes(target, blob)


# ---------------------------------------------------------------------------------------------
# keys remembered between builds
# ---------------------------------------------------------------------------------------------


def _inputs_fingerprint(files) -> str:
    """Size and modification time of each of ``files``: what a no-op build checks instead of
    hashing the files again (as make and git do)."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(files):
        try:
            st = f.stat()
        except FileNotFoundError:
            h.update(f"{f} missing\n".encode())
            continue
        h.update(f"{f} {st.st_mtime_ns} {st.st_size}\n".encode())
    return h.hexdigest()


def _key_inputs(*extra) -> list[Path]:
    """Every file an inputs key can read: the nhsreport code, the data package descriptor, and ``extra``."""
    package = paths.PACKAGE
    return [*package.rglob("*.py"), paths.DATAPACKAGE, *extra]


def _remembered(app, name: str, files, compute):
    """``compute()``, or the value it gave in an earlier build when none of ``files`` has changed
    since (kept in the build folder, beside Sphinx's own environment)."""
    import json

    store = Path(app.doctreedir).parent / "nhsreport-keys.json"
    try:
        memo = json.loads(store.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        memo = {}
    fingerprint = _inputs_fingerprint(files)
    entry = memo.get(name)
    if entry and entry.get("fingerprint") == fingerprint:
        return entry["value"]
    value = compute()
    memo[name] = {"fingerprint": fingerprint, "value": value}
    store.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(store, json.dumps(memo, indent=1, sort_keys=True))
    return value


def vega_bundle() -> bytes:
    import vl_convert as vlc

    js = vlc.javascript_bundle()
    return (
        "/* vega, vega-lite and vega-embed, bundled by vl-convert-python; see their licences (BSD-3-Clause) */\n"
        "(function () {\n" + js + "\n})();\n"
    ).encode("utf-8")


def _stale(stamp: Path, key: str) -> bool:
    """Whether the output recorded in ``stamp`` was made from other inputs than ``key``."""
    return not stamp.exists() or stamp.read_text(encoding="utf-8") != key


def _prepare_static(app) -> None:
    import hashlib
    from importlib.metadata import version

    out = Path(app.doctreedir).parent / "nhsreport_static"
    (out / "geo").mkdir(parents=True, exist_ok=True)
    # "downloads", not "data": Sphinx applies exclude_patterns (which list the project's data/)
    # to static folders too
    (out / "downloads").mkdir(parents=True, exist_ok=True)
    # regenerated only when vl-convert (which ships the JavaScript) changes: it takes seconds
    stamp = out / f".{VEGA_FILE}.key"
    key = f"vl-convert-python {version('vl-convert-python')}"
    if _stale(stamp, key) or not (out / VEGA_FILE).exists():
        _write_if_changed(out / VEGA_FILE, vega_bundle())
        atomic.write_text(stamp, key)
    for f in STATIC.iterdir():
        _write_if_changed(out / f.name, f.read_bytes())
    for f in sorted((paths.PROCESSED / "geo").glob("*.topo.json")):
        _write_if_changed(out / "geo" / f.name, f.read_bytes())
    for f in sorted(paths.PROCESSED.glob("*.csv")):
        _write_if_changed(out / "downloads" / f.name, f.read_bytes())
    if paths.DATAPACKAGE.exists():
        _write_if_changed(out / "downloads" / "datapackage.json", paths.DATAPACKAGE.read_bytes())
    # the England briefing, compiled from the same data as this build (about a second), so the
    # book and the briefing it offers cannot disagree
    # (again only when the data or the briefing code changed)
    templates = sorted((paths.PACKAGE / "publish" / "briefing").glob("*.typ"))

    def briefing_key() -> str:
        from nhsreport.publish.book.chapter import module_closure

        h = hashlib.sha256(paths.DATAPACKAGE.read_bytes() if paths.DATAPACKAGE.exists() else b"")
        for f in module_closure("from nhsreport.publish.briefing import render"):
            h.update(f.read_bytes())
        for f in templates:
            h.update(f.read_bytes())
        return h.hexdigest()

    key = _remembered(app, "england-briefing", _key_inputs(*templates), briefing_key)
    stamp = out / f".{BRIEFING}.key"
    if _stale(stamp, key) or not (out / "downloads" / BRIEFING).exists():
        from nhsreport.publish.briefing.render import england_pdf

        _write_if_changed(out / "downloads" / BRIEFING, england_pdf())
        atomic.write_text(stamp, key)
    pdf = paths.BUILD / "latex" / PDF_BOOK
    if pdf.exists():
        _write_if_changed(out / "downloads" / PDF_BOOK, pdf.read_bytes())
    elif (out / "downloads" / PDF_BOOK).exists():
        (out / "downloads" / PDF_BOOK).unlink()
    if str(out) not in app.config.html_static_path:
        app.config.html_static_path.append(str(out))


def _pdf_book_built() -> bool:
    return (paths.BUILD / "latex" / PDF_BOOK).exists()


def _downloads_markdown(builder_format: str) -> str:
    """The download links of the front page. HTML: the England briefing always (it is compiled
    by the build), the PDF book when it has been built (`make book` builds it first). PDF: where
    the HTML book, with the downloads, is published."""
    if builder_format != "html":
        url = site.base_url()
        return (
            f"**The HTML version** of this report, with interactive charts, the England and system briefings "
            f"and every dataset to download, is published at <{url}>."
        )
    # plain anchors: MyST would read a relative Markdown link as a reference to a document
    links = [f'<a href="../_static/downloads/{BRIEFING}">England briefing (PDF, three pages)</a>']
    if _pdf_book_built():
        links.insert(0, f'<a href="../_static/downloads/{PDF_BOOK}">The whole report as a PDF book</a>')
    return "**Downloads:** " + " · ".join(links) + "."


def _cite_markdown() -> str:
    """How to cite the report: authors, year, title, version, date and the published address."""
    from nhsreport import RELEASED

    return (
        f"NHS Integration Report team ({RELEASED[:4]}). *Joining up the NHS in England: an executable report.* "
        f"Version {site.version()}, released {release_date_text()}. <{site.base_url()}>"
    )


def _config_inited(app, config) -> None:
    """Write the profile pages before Sphinx looks for source files (only when their inputs
    changed: the check needs neither pandas nor Altair), and keep them in the build:
    sphinx-external-toc (``only_build_toc_files``) excludes every file the ToC does not list."""
    from nhsreport.publish.pages import profile_inputs

    out = Path(app.doctreedir).parent / "nhsreport_static"
    templates = (paths.PACKAGE / "publish" / "briefing").glob("*.typ")
    key = _remembered(app, "profiles", _key_inputs(*templates), profile_inputs.inputs_key)
    app.nhsreport_profiles_key = key
    if not profile_inputs.is_current(out, key):
        from nhsreport.publish.pages import profiles

        result = profiles.generate(out, key=key, force=True)
        logger.info("[nhsreport] system profiles: %d files written in %.1f s", result["written"], result["seconds"])
    prefix = profile_inputs.PAGE_DIR + "/"
    config.exclude_patterns = [p for p in config.exclude_patterns if not str(p).startswith(prefix)]


def _source_read(app, docname, source) -> None:
    from nhsreport.publish.pages.profile_inputs import INDEX_MARKER

    if INDEX_MARKER in source[0]:
        from nhsreport.publish.pages import profiles

        source[0] = source[0].replace(INDEX_MARKER, profiles.index_source())
    if DOWNLOADS_MARKER in source[0]:
        source[0] = source[0].replace(DOWNLOADS_MARKER, _downloads_markdown(app.builder.format))
    if CITE_MARKER in source[0]:
        source[0] = source[0].replace(CITE_MARKER, _cite_markdown())


def _notebook_keys(app) -> dict[str, str]:
    """Inputs key (datasets + nhsreport code) of every notebook in the project, by docname."""
    notebooks = {
        d: Path(app.env.doc2path(d))
        for d in sorted(app.env.found_docs)
        if Path(app.env.doc2path(d)).suffix == ".ipynb" and Path(app.env.doc2path(d)).exists()
    }

    def compute():
        import nbformat

        from nhsreport.publish.book.chapter import inputs_key

        return {d: inputs_key(nbformat.read(path, as_version=4)) for d, path in notebooks.items()}

    keys = _remembered(app, "notebooks", _key_inputs(*notebooks.values()), compute)
    return keys if set(keys) == set(notebooks) else compute()


def _outdated_inputs(app, env, added, changed, removed) -> list[str]:
    """Re-read the chapters whose datasets or nhsreport code changed even though their own file
    did not (Sphinx only looks at the file), and the pages that paste glued values from them."""
    app.nhsreport_removed = bool(removed)
    keys = _notebook_keys(app)
    previous = getattr(env, "nhsreport_input_keys", {})
    stale = [d for d, k in keys.items() if previous.get(d) != k and d not in added and d not in changed]
    env.nhsreport_input_keys = keys
    # the front page's download links depend on whether the PDF book exists
    built = _pdf_book_built()
    if getattr(env, "nhsreport_pdf_built", None) != built:
        env.nhsreport_pdf_built = built
        stale += [
            d
            for d in env.found_docs
            if Path(env.doc2path(d)).suffix == ".md"
            and DOWNLOADS_MARKER in Path(env.doc2path(d)).read_text(encoding="utf-8")
        ]
    # Sphinx copies static files only when some page is out of date: when the report's own
    # scripts or styles change, re-read the front page so that the new ones are published
    import hashlib

    static_key = hashlib.sha256(
        b"".join(f.name.encode() + f.read_bytes() for f in sorted(STATIC.iterdir()))
    ).hexdigest()
    if getattr(env, "nhsreport_static_key", None) != static_key:
        env.nhsreport_static_key = static_key
        stale += [d for d in env.found_docs if d == app.config.root_doc]
    # the index of systems is filled in from the data when it is read
    key = getattr(app, "nhsreport_profiles_key", None)
    if getattr(env, "nhsreport_profiles_key", None) != key:
        env.nhsreport_profiles_key = key
        stale += [d for d in env.found_docs if d == "book/systems"]
    # a changed bibliography: sphinxcontrib-bibtex parses it again but marks no page for reading
    bibs = {
        b: (Path(app.srcdir) / b).stat().st_mtime_ns
        for b in app.config.bibtex_bibfiles
        if (Path(app.srcdir) / b).exists()
    }
    if getattr(env, "nhsreport_bib_mtimes", bibs) != bibs:
        stale += [
            d
            for d in env.found_docs
            if Path(env.doc2path(d)).exists()
            and any(m in Path(env.doc2path(d)).read_text(encoding="utf-8") for m in ("{cite", "{bibliography}"))
        ]
    env.nhsreport_bib_mtimes = bibs
    if not stale:
        return []
    pasting = []
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix == ".md" and path.exists() and ".ipynb::" in path.read_text(encoding="utf-8"):
            pasting.append(docname)
    return sorted(set(stale) | set(pasting))


def _execute_in_parallel(app, env, docnames) -> None:
    """Before Sphinx reads: execute the chapters it will read that are not in the execution cache,
    one kernel per core at a time (see :mod:`nhsreport.publish.book.execute`); reading then finds them cached."""
    from sphinx.util import logging

    app.nhsreport_read = bool(docnames)
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    by_path = {}
    for docname in docnames:
        path = Path(env.doc2path(docname)).resolve()
        excluded = any(PurePosixPath(path.as_posix()).match(p) for p in config.execution_excludepatterns)
        if path.suffix == ".ipynb" and path.exists() and not excluded:
            by_path[path] = docname
    if not by_path:
        return
    from nhsreport.publish.book.execute import ChapterExecutionError, run

    logger = logging.getLogger(__name__)

    def log(path, msg):
        logger.info(msg, location=by_path.get(path))

    try:
        run(
            list(by_path),
            Path(config.execution_cache_path),
            timeout=config.execution_timeout,
            allow_errors=config.execution_allow_errors,
            in_temp=config.execution_in_temp,
            log=log,
        )
    except ChapterExecutionError as exc:
        from sphinx.errors import SphinxError

        raise SphinxError(str(exc)) from None


def release_date_text() -> str:
    """The release date as the book prints it, e.g. "1 December 2026"."""
    from datetime import date

    from nhsreport import RELEASED

    d = date.fromisoformat(RELEASED)
    return f"{d.day} {d:%B %Y}"


def _release(app, config) -> None:
    """The release (``nhsreport.__version__`` and its date) everywhere the book shows it: the
    ``{{ release }}`` and ``{{ release_date }}`` substitutions, the footer of every HTML page, and
    the title page of the PDF book (Sphinx's ``release`` and ``today``)."""
    from nhsreport import __version__

    when = release_date_text()
    config.version = config.release = __version__
    config.today = when
    config.myst_substitutions = {**(config.myst_substitutions or {}), "release": __version__, "release_date": when}
    options = dict(config.html_theme_options or {})
    footer = f"Version {__version__}, {when}."
    if footer not in options.get("extra_footer", ""):
        options["extra_footer"] = f"{footer} {options.get('extra_footer', '')}".strip()
    config.html_theme_options = options


def _only_after_reading(handler):
    """``handler`` of an event that follows reading, run only when this build read or removed a page.

    Two handlers recompute, on every build, results that depend on nothing but the pages read:
    Sphinx's figure and section numbers (which unpickle every page) and sphinxcontrib-bibtex's
    formatted citations (which format every reference twice); both results are kept in the saved
    environment. When no page was read or removed they cannot have changed, and the handlers take
    most of the time of a build that has nothing to do."""

    @functools.wraps(handler)
    def wrapper(app, *args):
        if getattr(app, "nhsreport_read", True) or getattr(app, "nhsreport_removed", True):
            return handler(app, *args)
        return []

    wrapper.nhsreport_wrapped = True
    return wrapper


def _skip_recomputing_when_nothing_was_read(app) -> None:
    from sphinx.environment.collectors.toctree import TocTreeCollector

    def recomputes(event, handler) -> bool:
        if getattr(handler, "nhsreport_wrapped", False):
            return False
        if event == "env-get-updated":
            return getattr(handler, "__name__", "") == "get_updated_docs" and isinstance(
                getattr(handler, "__self__", None), TocTreeCollector
            )
        return getattr(handler, "__module__", "") == "sphinxcontrib.bibtex" and handler.__name__ == "env_updated"

    for event in ("env-get-updated", "env-updated"):
        listeners = app.events.listeners.get(event, [])
        for i, listener in enumerate(listeners):
            if recomputes(event, listener.handler):
                listeners[i] = listener._replace(handler=_only_after_reading(listener.handler))


def _builder_inited(app) -> None:
    _skip_recomputing_when_nothing_was_read(app)
    if app.builder.format == "html":
        _prepare_static(app)


def _no_canonical_link(app, pagename, templatename, context, doctree) -> None:
    """No ``<link rel="canonical">`` to the published address: a page served from a copy of the
    build (a reader's offline copy, the test server) names no other host."""
    context["pageurl"] = None


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
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


def _printable_tables(app, doctree, docname) -> None:
    """In the PDF book every table may break across pages (a LaTeX ``longtable``, its header
    repeated): a table that cannot break is pushed whole to the next page, leaving a gap, or runs
    off the foot of the page when it is longer than one."""
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for table in doctree.findall(nodes.table):
        if "longtable" not in table["classes"]:
            table["classes"].append("longtable")


def _drop_empty_references_chapter(app, doctree, docname) -> None:
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


def _accessible_body(app, pagename, templatename, context, doctree) -> None:
    """Repair docutils' bibliography markup: ``doc-biblioentry`` is a deprecated ARIA role, and
    a ``role="list"`` must hold list items."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="_static/favicon.svg">
<meta http-equiv="Refresh" content="0; url={target}"></head>
<body><main><h1>{title}</h1><p><a href="{target}">Go to the report</a></p></main></body>
</html>
"""


def _root_redirect(app, exception) -> None:
    """The site's root ``index.html``: a redirect to the front page that is a whole document,
    with a language and a title (sphinx-external-toc, which runs later, writes a bare one only
    when none exists)."""
    if exception is not None or app.builder.format != "html" or app.config.master_doc == "index":
        return
    import html

    target = f"{app.config.master_doc}.html"
    title = html.escape(app.config.html_title or app.config.project)
    text = REDIRECT.format(lang=app.config.language or "en", title=title, target=target)
    _write_if_changed(Path(app.outdir) / "index.html", text.encode("utf-8"))


def _eval_role():
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


def setup(app):
    from nhsreport.publish.book import bibstyle

    app.add_role("eval", _eval_role(), override=True)

    bibstyle.register()
    app.connect("config-inited", _release)
    app.connect("config-inited", _config_inited, priority=950)  # after sphinx-external-toc (900)
    app.connect("doctree-resolved", _printable_tables)
    app.connect("doctree-resolved", _drop_empty_references_chapter)
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _accessible_body)
    app.connect("html-page-context", _no_canonical_link)
    app.connect("build-finished", _root_redirect, priority=400)
    app.connect("env-get-outdated", _outdated_inputs)
    app.connect("env-before-read-docs", _execute_in_parallel)
    app.connect("source-read", _source_read)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.add_js_file(VEGA_FILE)
    app.add_js_file("nhsreport.js")
    app.add_js_file("finder.js")
    app.add_css_file("nhsreport.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
