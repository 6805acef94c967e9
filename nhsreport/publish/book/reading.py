"""What Sphinx reads, and what it recomputes after reading: the chapters whose datasets or code
changed are re-read (Sphinx looks only at their files), executed beforehand in parallel when the
execution cache does not hold them (:mod:`nhsreport.publish.book.execute`), and figure numbers and
citations are not recomputed by a build that read no page.
"""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath

from nhsreport.publish.book.assets import STATIC, pdf_book_built
from nhsreport.publish.book.content import DOWNLOADS_MARKER
from nhsreport.publish.book.freshness import notebook_keys


def outdated_inputs(app, env, added, changed, removed) -> list[str]:
    """Re-read the chapters whose datasets or nhsreport code changed even though their own file
    did not (Sphinx only looks at the file), and the pages that paste glued values from them."""
    app.nhsreport_removed = bool(removed)
    keys = notebook_keys(app)
    previous = getattr(env, "nhsreport_input_keys", {})
    stale = [d for d, k in keys.items() if previous.get(d) != k and d not in added and d not in changed]
    env.nhsreport_input_keys = keys
    # the front page's download links depend on whether the PDF book exists
    built = pdf_book_built()
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


def execute_in_parallel(app, env, docnames) -> None:
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


def read_serially(app, env, docnames) -> None:
    """Sphinx reads the pages in one process even when the build has several (``make html``
    gives it one a core: :mod:`nhsreport.publish.book.build`), and writes them with all of them
    (:func:`write_in_parallel`, once reading is done). Each batch read in parallel sends the whole
    environment back to be merged: on two shared cores that cost 1.5 s of CPU more than it saved,
    and made reading slower; writing in parallel sends only the pages, at no cost in CPU."""
    app.nhsreport_jobs = app.parallel
    app.parallel = min(app.parallel, 1)


def write_in_parallel(app, env) -> None:
    """After reading, give Sphinx back the processes the build has (see :func:`read_serially`)."""
    app.parallel = getattr(app, "nhsreport_jobs", app.parallel)


def only_after_reading(handler):
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


def skip_recomputing_when_nothing_was_read(app) -> None:
    """Wrap Sphinx's toctree collector and sphinxcontrib-bibtex's handlers that recompute after
    reading in :func:`only_after_reading`."""
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
                listeners[i] = listener._replace(handler=only_after_reading(listener.handler))
