"""The HTML book's build command (``make html``): ``jupyter-book build`` with Sphinx writing the
pages in parallel (the book's extension has it read them in one process:
:func:`nhsreport.publish.book.reading.read_serially`).

``python -m nhsreport.publish.book.build . --builder html -W --keep-going`` takes the arguments of
``jupyter-book build`` and runs that command, with these differences, which change how long it
takes, never what it writes:

* Sphinx is given :func:`sphinx_jobs` processes (Jupyter Book 1's command
  line passes no jobs setting to Sphinx, whose ``-j`` this is). The chapters are executed before
  reading, by :mod:`nhsreport.publish.book.execute`, so reading is parsing only.
* Two extensions that jupyter-book loads declare nothing about parallel builds, so Sphinx would
  warn (an error with ``-W``) and build one page at a time: they are declared safe here (:data:`UNDECLARED`, with the reason).
* The chapters' kernel server starts before jupyter-book does (:func:`prestart_kernel_server`).
* The process ends without the interpreter's teardown (:func:`exit_without_teardown`).
* jupyter-book validates its configuration with jsonschema, which, when ``rfc3987-syntax`` is
  installed (the workflow check's ``check-jsonschema`` brings it), compiles that package's grammar
  of web addresses on import: about 1.2 s of every build's start. jupyter-book's schema checks no
  address formats, so the build does without that module.
"""

from __future__ import annotations

import functools
import importlib
import sys

#: Extensions jupyter-book loads that declare nothing about parallel builds, and why each is safe:
#: nothing of theirs depends on which process reads or writes a page.
UNDECLARED = {
    "sphinx_multitoc_numbering": "replaces the method that numbers the sections, which Sphinx calls "
    "once every page is read, in the main process",
    "sphinx_jupyterbook_latex": "transforms that change only the nodes of the page they transform, and LaTeX settings",
}


def sphinx_jobs() -> int:
    """Processes Sphinx reads and writes with: as many as kernels execute the chapters at once
    (one per core, or ``NHSREPORT_JOBS``)."""
    from nhsreport.publish.book.execute import jobs

    return jobs()


def _declared_parallel_safe(setup):
    """``setup`` of an extension that returns, besides its own metadata, that it is safe for
    parallel reading and writing."""

    @functools.wraps(setup)
    def declared(app):
        return {**(setup(app) or {}), "parallel_read_safe": True, "parallel_write_safe": True}

    return declared


def main(argv: list[str] | None = None) -> int:
    """Run ``jupyter-book build`` with ``argv`` (default: the command line), Sphinx in parallel;
    returns the command's exit status."""
    prestart_kernel_server()
    sys.modules.setdefault("rfc3987_syntax", None)  # an import of it fails: jsonschema skips the "iri" format
    from jupyter_book import sphinx as book_sphinx
    from jupyter_book.cli.main import main as book_command

    book_sphinx.build_sphinx = functools.partial(book_sphinx.build_sphinx, jobs=sphinx_jobs())
    for name in UNDECLARED:
        extension = importlib.import_module(name)
        extension.setup = _declared_parallel_safe(extension.setup)
    args = sys.argv[1:] if argv is None else argv
    try:
        book_command(["build", *args], prog_name="jupyter-book")
    except SystemExit as done:  # click ends its commands so
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
            return 1
        return done.code or 0
    finally:
        from nhsreport.publish.book import kernels

        kernels.stop_prestarted()
    return 0


def prestart_kernel_server() -> None:
    """Start the chapters' kernel server (:mod:`nhsreport.publish.book.kernels`) before
    jupyter-book and Sphinx start, so that its imports (about 0.8 s) are done when the first chapter
    asks for a kernel, with the environment the chapters' kernels will have: the book build's
    (``NHSREPORT_BOOK=1``, as the book's extension sets it) and one BLAS thread
    (:func:`nhsreport.publish.book.execute.one_thread_per_kernel`). A build with nothing to execute
    stops it unused (its imports ran on the core Sphinx's start-up leaves free)."""
    import os

    from nhsreport.publish.book import execute, kernels

    os.environ["NHSREPORT_BOOK"] = "1"
    with execute.one_thread_per_kernel():
        kernels.prestart()


def exit_without_teardown(status: int) -> None:
    """End the build's process with ``status`` once its exit handlers have run and its output is
    flushed, without the interpreter's teardown: freeing the objects of a whole build, one at a time
    (the environment of every page, the chapters' outputs), took 1.2 s of a clean build's 27 s.
    Everything the build writes is closed by then (every file is written in a ``with`` block, or
    atomically); only the memory is left to the operating system."""
    import atexit
    import logging
    import os

    atexit._run_exitfuncs()  # what the interpreter runs at its exit (CPython's own hook)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_without_teardown(main())
