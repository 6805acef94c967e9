"""Execute the chapters of a build in parallel, in the background, into the execution cache.

myst-nb executes notebooks one after the other while Sphinx reads them. Instead, as soon as the
build's configuration is read, the book's extension (:mod:`nhsreport.publish.book.reading`) hands
this module the chapters of the table of contents; those with no match in the jupyter-cache start
executing here (:func:`start`), up to one kernel per core at a time, while the build goes on with
the profiles and its other work, and each is stored in the cache under the very key myst-nb looks
up (the notebook as the chapter reader :func:`nhsreport.publish.book.chapter.read_notebook` gives
it, inputs key included) as Sphinx collects it, just before reading it (:meth:`Executions.completed`).
Sphinx then finds every chapter in the cache. So the cache keys stay exactly those of a serial
build, and a chapter whose datasets or code did not change is not executed at all.

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


class Executions:
    """Chapters executing in the background, ``n_jobs`` kernels at a time, from the moment they are
    started. The thread that started them (Sphinx's main thread) caches each result as it collects
    it (:meth:`completed`, :meth:`wait_all`): jupyter-cache's database is used from that thread
    alone. The kernels start with one BLAS thread each (:func:`one_thread_per_kernel`, in force
    until the last chapter has been collected)."""

    def __init__(self, cache, todo, *, n_jobs, timeout, allow_errors, in_temp, log):
        from jupyter_cache.executors.utils import single_nb_execution

        self._cache, self._log, self.n_jobs = cache, log, n_jobs
        self.outcomes: dict[Path, Outcome] = {}
        self._t0 = time.perf_counter()

        def execute(path: Path, nb):
            log(path, f"Executing notebook ({n_jobs} at a time)")
            # like myst-nb: in the notebook's folder, or in a temporary one (``execute.run_in_temp``)
            with tempfile.TemporaryDirectory() if in_temp else contextlib.nullcontext(str(path.parent)) as cwd:
                return nb, single_nb_execution(
                    nb,
                    cwd=cwd,
                    timeout=timeout,
                    allow_errors=allow_errors,
                    meta_override=True,
                    kernel_manager_class=manager,
                )

        # in force until the last chapter is collected: one BLAS thread per kernel, and kernels
        # forked from one server that has imported what every chapter imports (:mod:`.kernels`)
        self._environment = contextlib.ExitStack()
        self._environment.enter_context(one_thread_per_kernel())
        manager = self._environment.enter_context(kernels.kernel_manager_class())
        pool = ThreadPoolExecutor(max_workers=n_jobs)
        self._futures = {path: pool.submit(execute, path, nb) for path, nb in todo}
        pool.shutdown(wait=False)  # its threads end with the last chapter

    @property
    def paths(self) -> list[Path]:
        """The chapters of this batch, in the order they start."""
        return list(self._futures)

    def _collect(self, path: Path) -> Outcome:
        """The outcome of ``path`` (waiting for it), cached on success; once per chapter."""
        if path not in self.outcomes:
            from jupyter_cache.base import CacheBundleIn

            try:
                nb, result = self._futures[path].result()
            except Exception as exc:  # the kernel died, or could not start
                self.outcomes[path] = Outcome(path, 0.0, f"{type(exc).__name__}: {exc}")
            else:
                self._record(path, nb, result, CacheBundleIn)
            if len(self.outcomes) == len(self._futures):
                self._finished()
        return self.outcomes[path]

    def _record(self, path: Path, nb, result, bundle_class) -> None:
        """Keep the outcome of ``path``; cache its executed notebook when it succeeded."""
        if result.err is not None:
            self.outcomes[path] = Outcome(path, result.time, result.exc_string or repr(result.err))
            return
        bundle = bundle_class(nb, str(path), data={"execution_seconds": result.time})
        self._cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        self.outcomes[path] = Outcome(path, result.time)
        self._log(path, f"Executed notebook in {result.time:.2f} seconds and cached it")

    def _finished(self) -> None:
        self._environment.close()
        busy = sum(o.seconds for o in self.outcomes.values())
        self._log(
            None,
            f"executed {len(self.outcomes)} chapter(s) in {time.perf_counter() - self._t0:.1f} s with "
            f"{self.n_jobs} kernel(s) at a time ({busy:.1f} s of execution)",
        )

    def completed(self):
        """The chapters of this batch, each as soon as it has finished and been cached; raises
        :class:`ChapterExecutionError` at the first that failed, once every other has finished."""
        from concurrent.futures import as_completed

        by_future = {future: path for path, future in self._futures.items()}
        for future in as_completed(by_future):
            if self._collect(by_future[future]).error:
                self.wait_all()
            yield by_future[future]

    def wait_all(self) -> list[Outcome]:
        """Wait for every chapter and cache those that succeeded; returns the outcomes in starting
        order. Raises :class:`ChapterExecutionError` for the first (in starting order) that failed."""
        outcomes = [self._collect(path) for path in self._futures]
        failed = [o for o in outcomes if o.error]
        if failed:
            raise ChapterExecutionError(failed[0].path, failed[0].error)
        return outcomes


def start(
    paths: list[Path],
    cache_path: Path,
    *,
    timeout: int | None = None,
    allow_errors: bool = False,
    in_temp: bool = False,
    n_jobs: int | None = None,
    log=None,
) -> Executions | None:
    """Start executing, in the background, those of ``paths`` that are not in the cache at
    ``cache_path``, ``n_jobs`` at a time, the longest first; ``None`` when every one is cached."""
    from jupyter_cache import get_cache

    log = log or (lambda path, msg: None)
    cache = get_cache(str(cache_path))
    todo = pending(cache, [Path(p).resolve() for p in paths])
    if not todo:
        return None
    todo.sort(key=lambda item: _longest_first(cache, item[0]))
    n_jobs = min(n_jobs or jobs(), len(todo))
    return Executions(cache, todo, n_jobs=n_jobs, timeout=timeout, allow_errors=allow_errors, in_temp=in_temp, log=log)


def run(paths: list[Path], cache_path: Path, **options) -> list[Outcome]:
    """Execute those of ``paths`` that are not in the cache at ``cache_path`` (options as
    :func:`start`) and cache every success; returns their outcomes, in starting order. Raises
    :class:`ChapterExecutionError` for the first chapter that failed (after the others have
    finished and been cached)."""
    executions = start(paths, cache_path, **options)
    return executions.wait_all() if executions else []
