"""Execute the chapters a build is about to read in parallel, into the execution cache.

myst-nb executes notebooks one after the other while Sphinx reads them. Before Sphinx reads, the
book's extension (:mod:`nhsreport.publish.book.sphinxext`) hands this module the notebooks it will read; those
with no match in the jupyter-cache are executed here, up to one kernel per core at a time, and
stored in the cache under the very key myst-nb looks up (the notebook as the chapter reader
:func:`nhsreport.publish.book.chapter.read_notebook` gives it, inputs key included). Sphinx then finds every
chapter in the cache. So the cache keys stay exactly those of a serial build, and a chapter whose
datasets or code did not change is not executed at all.

The number of kernels at once is the number of cores, or ``NHSREPORT_JOBS``. Each kernel does
its linear algebra on one thread (:data:`ONE_THREAD`): the kernels are the parallelism, and a
BLAS library that starts a thread per core in each of several kernels, on cores other work shares,
spends its time waiting for them (on two cores chapter 2's bootstrap took ten times its CPU
time). The results are the same on one thread.

Kernels are forked from one server that has already imported what every chapter imports
(:mod:`nhsreport.publish.book.kernels`; ``NHSREPORT_FORK_KERNELS=0`` starts ordinary ones).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nhsreport.publish.book import chapter, kernels


class ChapterExecutionError(RuntimeError):
    """A chapter failed to execute: names the notebook and carries the failing cell and traceback."""

    def __init__(self, path: Path, detail: str):
        self.path = Path(path)
        super().__init__(f"{self.path}: executing the chapter failed:\n{detail}")


# the thread pools of the BLAS and OpenMP libraries NumPy may be linked against
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def one_thread_per_kernel():
    """Within the block, kernels start with one BLAS thread each (:data:`ONE_THREAD` set to 1
    where the environment does not already set them); the environment is restored afterwards."""
    added = [name for name in ONE_THREAD if name not in os.environ]
    os.environ.update(dict.fromkeys(added, "1"))
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


@dataclass
class Outcome:
    path: Path
    seconds: float
    error: str | None = None


def jobs() -> int:
    """How many kernels run at once: ``NHSREPORT_JOBS``, else one per core."""
    value = os.environ.get("NHSREPORT_JOBS", "")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"NHSREPORT_JOBS: expected a whole number of at least 1; found {value!r}")
        return int(value)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _previous_seconds(cache, uri: str) -> float:
    """Execution time of the last cached run of ``uri`` (0 if none), to start the longest first."""
    seconds = [r.data.get("execution_seconds") or 0.0 for r in cache.list_cache_records() if r.uri == uri]
    return float(seconds[-1]) if seconds else 0.0


def _longest_first(cache, path: Path) -> tuple[float, int]:
    """The order chapters start in: the longest first, by their last execution time in the cache,
    and, for those never executed (every chapter of a clean build), the larger notebook first (its
    cells and prose: a rough guide to its work), so that the longest chapter does not start last."""
    return (-_previous_seconds(cache, str(path)), -Path(path).stat().st_size)


def pending(cache, paths: list[Path]) -> list[tuple[Path, nbformat.NotebookNode]]:
    """The notebooks among ``paths`` that the cache holds no execution of, as the book reads them."""
    todo = []
    for path in paths:
        nb = chapter.read_notebook(Path(path).read_text(encoding="utf-8"))
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            todo.append((Path(path), nb))
    return todo


def run(
    paths: list[Path],
    cache_path: Path,
    *,
    timeout: int | None = None,
    allow_errors: bool = False,
    in_temp: bool = False,
    n_jobs: int | None = None,
    log=None,
) -> list[Outcome]:
    """Execute those of ``paths`` that are not in the cache at ``cache_path``, ``n_jobs`` at a time,
    and cache every success. Raises :class:`ChapterExecutionError` for the first chapter that failed
    (after the others have finished and been cached)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    log = log or (lambda path, msg: None)
    cache = get_cache(str(cache_path))
    todo = pending(cache, [Path(p).resolve() for p in paths])
    if not todo:
        return []
    todo.sort(key=lambda item: _longest_first(cache, item[0]))
    n_jobs = min(n_jobs or jobs(), len(todo))

    def execute(item):
        path, nb = item
        log(path, f"Executing notebook ({n_jobs} at a time)")
        # like myst-nb: in the notebook's folder, or in a temporary one (``execute.run_in_temp``)
        with tempfile.TemporaryDirectory() if in_temp else contextlib.nullcontext(str(path.parent)) as cwd:
            result = single_nb_execution(
                nb,
                cwd=cwd,
                timeout=timeout,
                allow_errors=allow_errors,
                meta_override=True,
                kernel_manager_class=manager,
            )
        return path, nb, result

    outcomes = []
    t0 = time.perf_counter()
    # kernels forked from one server that has imported what every chapter imports (:mod:`.kernels`)
    with one_thread_per_kernel(), kernels.kernel_manager_class() as manager, ThreadPoolExecutor(n_jobs) as pool:
        for path, nb, result in pool.map(execute, todo):
            if result.err is not None:
                outcomes.append(Outcome(path, result.time, result.exc_string or repr(result.err)))
                continue
            # the main thread alone writes to the cache (an SQLite database)
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": result.time}),
                check_validity=False,
                overwrite=True,
            )
            outcomes.append(Outcome(path, result.time))
            log(path, f"Executed notebook in {result.time:.2f} seconds and cached it")
    wall = time.perf_counter() - t0
    busy = sum(o.seconds for o in outcomes)
    log(
        None,
        f"executed {len(outcomes)} chapter(s) in {wall:.1f} s with {n_jobs} kernel(s) at a time "
        f"({busy:.1f} s of execution)",
    )
    failed = [o for o in outcomes if o.error]
    if failed:
        raise ChapterExecutionError(failed[0].path, failed[0].error)
    return outcomes
