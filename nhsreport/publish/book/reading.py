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
from nhsreport.publish.book.freshness import key_inputs, notebook_keys, remembered


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


#: The execution cache's database file (``jupyter_cache.cache.db.DB_NAME``, which imports SQLAlchemy:
#: a build with nothing to do does without it)
CACHE_DATABASE = "global.db"


def _execution_options(config) -> dict | None:
    """How myst-nb is configured to execute (``execute:`` in ``_config.yml``), as
    :func:`nhsreport.publish.book.execute.start` takes it; ``None`` unless chapters are executed
    into the cache."""
    if config.nb_execution_mode != "cache":
        return None
    return {
        "timeout": config.nb_execution_timeout,
        "allow_errors": config.nb_execution_allow_errors,
        "in_temp": config.nb_execution_in_temp,
    }


def _cache_path(app, config) -> Path:
    """The execution cache's folder, where myst-nb looks (``execute.cache``, relative to the
    folder the build runs in, else ``.jupyter_cache`` beside the output folder)."""
    return Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def _executed_here(config, path: Path) -> bool:
    excluded = any(PurePosixPath(path.as_posix()).match(p) for p in config.nb_execution_excludepatterns)
    return path.suffix == ".ipynb" and path.exists() and not excluded


def _log_execution(app):
    """The build log's lines about executing chapters, as Sphinx writes a page's (``<file>: ...``;
    written without Sphinx's location, which needs the environment: the kernels start before it exists)."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)

    def log(path, msg):
        logger.info(f"{path}: {msg}" if path else msg)

    return log


def start_executing(app, config) -> None:
    """As soon as the configuration is read (``config-inited``, after sphinx-external-toc has read
    the table of contents): start executing, in the background, the chapters of the table of
    contents that the execution cache does not hold (:func:`nhsreport.publish.book.execute.start`),
    so that the kernels run while the build writes the profiles and sets itself up. Whether any
    is missing is remembered with the inputs it was checked against (the notebooks, the code, the
    data package and the cache's database): a build with nothing to do does not open the cache."""
    options = _execution_options(config)
    site_map = getattr(config, "external_site_map", None)
    if options is None or site_map is None:
        return
    srcdir = Path(app.srcdir).resolve()
    notebooks = [srcdir / f"{docname}.ipynb" for docname in site_map]
    notebooks = [p for p in notebooks if _executed_here(config, p)]
    cache_path = _cache_path(app, config)
    batches = app.nhsreport_executions = []

    def start() -> bool:
        from nhsreport.publish.book import execute

        batch = execute.start(notebooks, cache_path, log=_log_execution(app), **options)
        batches.append(batch) if batch else None
        return batch is not None

    if (
        remembered(app, "unexecuted-chapters", key_inputs(*notebooks, cache_path / CACHE_DATABASE), start)
        and not batches
    ):
        start()  # the last build found some unexecuted and stopped before caching them


def execute_in_parallel(app, env, docnames) -> None:
    """Before Sphinx reads: start executing the chapters it will read that are neither in the
    execution cache nor already executing (those :func:`start_executing` did not see), and order the
    reading: first the pages no kernel is working on, then each executing chapter as soon as it has
    finished and been cached (:func:`read_in_order_of_completion`)."""
    app.nhsreport_read = bool(docnames)
    batches = getattr(app, "nhsreport_executions", None)
    if batches is None:  # not executing into the cache (see start_executing)
        return
    executing = {path for batch in batches for path in batch.paths}
    others = []
    for docname in docnames:
        path = Path(env.doc2path(docname)).resolve()
        if path not in executing and _executed_here(app.config, path):
            others.append(path)
    if others:
        from nhsreport.publish.book import execute

        cache_path = _cache_path(app, app.config)
        batch = execute.start(others, cache_path, log=_log_execution(app), **_execution_options(app.config))
        batches.append(batch) if batch else None


def read_in_order_of_completion(app) -> None:
    """Sphinx reads, one after the other (:func:`read_serially`), first the pages no kernel is
    working on, then each executing chapter as soon as its kernel has finished and the main thread
    has cached it; a chapter that failed stops the build with its notebook and traceback (once the
    others have finished and been cached). Wraps the builder's serial reading (Sphinx 7's
    ``Builder._read_serial``, which iterates over the names it is given)."""
    builder = app.builder
    read = builder._read_serial

    def in_order_of_completion(docnames):
        batches = getattr(app, "nhsreport_executions", None) or []
        by_path = {Path(app.env.doc2path(d)).resolve(): d for d in docnames}
        executing = {by_path[p] for batch in batches for p in batch.paths if p in by_path}
        read(_ReadingOrder(app, docnames, executing, batches, by_path))

    builder._read_serial = in_order_of_completion


class _ReadingOrder:
    """The names of the pages to read, in the order of :func:`read_in_order_of_completion`."""

    def __init__(self, app, docnames, executing, batches, by_path):
        self.app, self.docnames, self.executing, self.batches, self.by_path = app, docnames, executing, batches, by_path

    def __len__(self) -> int:
        return len(self.docnames)

    def __iter__(self):
        from sphinx.errors import SphinxError

        from nhsreport.publish.book.execute import ChapterExecutionError

        yield from (d for d in self.docnames if d not in self.executing)
        try:
            for batch in self.batches:
                for path in batch.completed():
                    if path in self.by_path:
                        yield self.by_path[path]
        except ChapterExecutionError as exc:
            raise SphinxError(str(exc)) from None


def executions_done(app, env) -> None:
    """Once the pages are read, wait for any chapter still executing (one Sphinx did not read)
    and cache it."""
    from sphinx.errors import SphinxError

    from nhsreport.publish.book.execute import ChapterExecutionError

    for batch in getattr(app, "nhsreport_executions", None) or []:
        try:
            batch.wait_all()
        except ChapterExecutionError as exc:
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
    """After reading, give Sphinx back the processes the build has (see :func:`read_serially`),
    and one more: Sphinx writes with one process fewer than it is given, its main process being
    busy resolving the pages it hands to the writers; on two cores, two writers and a main process
    that mostly waits keep both cores busy."""
    jobs = getattr(app, "nhsreport_jobs", app.parallel)
    app.parallel = jobs + 1 if jobs > 1 else jobs


def write_in_balanced_batches(app) -> None:
    """Sphinx writes the first page in its main process, then hands the others to its writers in
    batches of consecutive names (``sphinx.util.parallel.make_chunks``); in alphabetical order the
    chapters, each ten to a hundred times a profile's work, fall into the first batch, which then
    takes as long as all the others. Wraps the builder's ``_write_parallel`` (Sphinx 7) to order the
    pages so that each batch holds a like share of the work (:func:`balanced_order`, weighing each
    page by the size of its saved document tree)."""
    builder = app.builder
    write = builder._write_parallel

    def balanced(docnames, nproc):
        write(balanced_order(list(docnames), nproc, _doctree_bytes(app)), nproc)

    builder._write_parallel = balanced


def _doctree_bytes(app):
    def size(docname: str) -> int:
        try:
            return (Path(app.doctreedir) / f"{docname}.doctree").stat().st_size
        except OSError:
            return 0

    return size


def balanced_order(docnames: list[str], nproc: int, weight) -> list[str]:
    """``docnames`` ordered so that the lightest (by ``weight``) comes first and the batches that
    ``sphinx.util.parallel.make_chunks`` cuts from the rest for ``nproc`` writers hold like shares of
    the total weight: heaviest first, each page goes to the batch with the least weight so far that
    still has room (the batches keep make_chunks's sizes)."""
    from sphinx.util.parallel import make_chunks

    if len(docnames) < 3:
        return docnames
    by_weight = sorted(docnames, key=lambda d: (weight(d), d))
    first, rest = by_weight[0], by_weight[:0:-1]  # the lightest first; the rest heaviest first
    batches = [[] for _ in make_chunks(rest, nproc)]
    sizes = [len(b) for b in make_chunks(rest, nproc)]
    loads = [0] * len(batches)
    for docname in rest:
        open_batches = [i for i in range(len(batches)) if len(batches[i]) < sizes[i]]
        i = min(open_batches, key=lambda j: (loads[j], j))
        batches[i].append(docname)
        loads[i] += weight(docname)
    return [first, *(d for batch in batches for d in batch)]


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
