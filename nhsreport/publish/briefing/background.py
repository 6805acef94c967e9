"""The briefings of a book build, compiled by one background process while the chapters execute.

A build finds out early which of its briefings are stale: the boards' when the profiles are
written (:func:`nhsreport.publish.pages.profiles.generate`, at ``config-inited``) and the England
briefing's when the static files are staged (:mod:`nhsreport.publish.book.assets`, at
``builder-inited``). Each hands its job to :func:`submit`, which starts one process on the first
job and passes it the later ones. That process imports the briefing code and loads the data once,
draws each shared chart once (through the render cache and
:func:`~nhsreport.publish.briefing.graphics.cached_bundle`) and writes each PDF atomically.
:func:`finish` (at ``env-updated``, before Sphinx copies the static files that hold the PDFs) waits
for it, runs each job's follow-up (its stamp) once all of the job's PDFs are written, and raises
:class:`BriefingError` naming every briefing that failed, and why. A build with nothing stale
starts no process.

The process is started afresh, not forked (the build's process runs vl-convert's and Typst's
threads), at a lower priority (:data:`NICE`): the chapters' kernels are the build's critical path,
and the PDFs are not needed before the pages are read. Jobs go to it as lines of JSON on its
standard input; results come back on its standard output, one line per PDF (with the process's id
and how many times it loaded the data); anything it prints goes to the build's standard error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from nhsreport import atomic, paths

__all__ = ["NICE", "BOARDS", "ENGLAND", "BriefingError", "submit", "finish", "running", "main", "serve"]

#: How much the process lowers its priority (``os.nice``): it yields the cores to the chapters'
#: kernels, whose execution the build waits for, and uses the time they leave.
NICE = 10
#: The names of the two jobs of a build, in its log and its errors.
BOARDS = "the boards' briefings"
ENGLAND = "the England briefing"


class BriefingError(RuntimeError):
    """One or more briefings could not be compiled; the message names each and the cause."""


class _Compiler:
    """The build's background process, and the jobs handed to it (each with its follow-up)."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # the process imports the same nhsreport as this one, wherever it was imported from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(paths.PACKAGE.parent), env.get("PYTHONPATH")]))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            # as a kernel's, its path has no working directory in it: the code is the build's own
            [
                sys.executable,
                "-c",
                "import sys; del sys.path[0]; from nhsreport.publish.briefing import background; background.main()",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.jobs: dict[int, tuple[str, Callable[[list[dict]], None] | None]] = {}

    def send(self, job: dict, label: str, then: Callable[[list[dict]], None] | None) -> None:
        job_id = len(self.jobs)
        self.jobs[job_id] = (label, then)
        try:
            self.process.stdin.write(json.dumps(dict(job, id=job_id)) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # the process has ended: finish() says so
            pass

    def wait(self) -> dict:
        """Let the process finish its jobs; run the follow-up of each job done; raise the failures."""
        try:
            self.process.stdin.write(json.dumps({"end": True}) + "\n")
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        lines = self.process.stdout.read().splitlines()
        code = self.process.wait()
        results = [json.loads(line) for line in lines if line.strip()]
        return _settle(self.jobs, results, code, time.perf_counter() - self.started)


def _settle(jobs: dict, results: list[dict], exit_code: int, seconds: float) -> dict:
    """Run the follow-up of each job the process finished without a failure; raise
    :class:`BriefingError` naming every briefing that failed and every job left unfinished."""
    done = {r["job"] for r in results if r.get("done")}
    items = [r for r in results if "item" in r]
    failed = [f"{r['item']}: {r['error']}" for r in items if not r["ok"]]
    followed, took = {}, {}
    for job_id, (label, then) in jobs.items():
        own = [r for r in items if r["job"] == job_id]
        took[label] = max((r["at"] for r in own), default=0.0)
        if job_id not in done:
            failed.append(f"{label}: the briefings' process ended (exit code {exit_code}) before finishing them")
        elif then is not None and all(r["ok"] for r in own):
            followed[label] = then(own)
    if failed:
        raise BriefingError("briefings not compiled: " + "; ".join(failed))
    return {
        "seconds": seconds,
        "items": items,
        "followed": followed,
        "took": took,
        "pids": sorted({r["pid"] for r in items}),
        "loads": max((r["loads"] for r in items), default=0),
        "cpu_seconds": max((r["cpu"] for r in items), default=0.0),
    }


_CURRENT: dict = {}  # the build's compiler, once a job has been submitted


def submit(job: dict, label: str, then: Callable[[list[dict]], None] | None = None) -> None:
    """Hand ``job`` to the build's background process, starting it on the first job:
    ``{"kind": "england", "target": <PDF path>}`` or ``{"kind": "boards", "out_dir": <folder>,
    "codes": <codes, or None for every board>}``, named ``label`` in errors. ``then(results)`` runs
    in :func:`finish` once every PDF of the job is written (each result: ``item``, ``path``,
    ``pid``, ``loads``, ``cpu``, ``at``)."""
    if "compiler" not in _CURRENT:
        _CURRENT["compiler"] = _Compiler()
    _CURRENT["compiler"].send(job, label, then)


def running() -> bool:
    """Whether this build has started the background process (and not yet waited for it)."""
    return "compiler" in _CURRENT


def finish() -> dict | None:
    """Wait for the background process; ``None`` when none was started, else ``dict(seconds,
    items, followed, took, pids, loads, cpu_seconds)``: the seconds since it started, the result of
    each PDF, what each job's follow-up returned and when the process had written its last PDF
    (seconds after it started; both by the job's label), the ids of the processes that wrote
    the PDFs, how many times the data were loaded and the CPU seconds of the process. Raises
    :class:`BriefingError` naming what failed."""
    compiler = _CURRENT.pop("compiler", None)
    return compiler.wait() if compiler else None


# ---------------------------------------------------------------------------------------------
# the process
# ---------------------------------------------------------------------------------------------

ERROR_CHARS = 1000  # of a failure's message: the results stay well within the pipe's buffer
_LOADS = {"contexts": 0}  # how many times this process loaded the data (once)


def main() -> None:
    """The background process: at priority :data:`NICE`, :func:`serve` the jobs of its standard
    input, with its standard output for the results only (what the briefing code prints goes to
    standard error)."""
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    if NICE:
        os.nice(NICE)
    serve(sys.stdin, results)


def serve(jobs, results) -> None:
    """Compile the jobs read from ``jobs``, one line of JSON each, until ``{"end": true}``; write
    to ``results`` a line of JSON for each PDF and one when a job is done."""
    state: dict = {}
    start = time.perf_counter()
    for line in jobs:
        job = json.loads(line)
        if job.get("end"):
            break
        for item, compile_one in _items(job, state):
            report = {"job": job["id"], "item": item, "pid": os.getpid()}
            try:
                report.update(ok=True, path=str(compile_one()))
            except Exception as exc:  # reported to the build, which names it
                report.update(ok=False, error=f"{type(exc).__name__}: {exc}"[:ERROR_CHARS])
            report.update(loads=_LOADS["contexts"], cpu=time.process_time(), at=time.perf_counter() - start)
            results.write(json.dumps(report) + "\n")
            results.flush()
        results.write(json.dumps({"job": job["id"], "done": True}) + "\n")
        results.flush()


def _context(state: dict):
    """The briefings' data, loaded once in this process."""
    if "ctx" not in state:
        from nhsreport.publish.briefing import figures

        state["ctx"] = figures.load_context()
        _LOADS["contexts"] += 1
    return state["ctx"]


def _items(job: dict, state: dict):
    """(name, function writing its PDF and returning its path) for each briefing of ``job``."""

    ctx = _context(state)
    if job["kind"] == "england":
        yield ENGLAND, lambda: _england(ctx, Path(job["target"]))
        return
    names = ctx.boards["icb_2026_name"]
    for code in job.get("codes") or sorted(ctx.boards.index.astype(str)):
        label = f"the briefing of board {code}" + (f" ({names[code]})" if code in names.index else "")
        yield label, lambda code=code: _board(ctx, state, code, Path(job["out_dir"]))


def _england(ctx, target: Path) -> Path:
    """Write the England briefing to ``target`` (unless it already holds it); returns ``target``."""
    from nhsreport.publish.briefing import render

    atomic.write_if_changed(target, render.england_pdf(ctx))
    return target


def _board(ctx, state: dict, code: str, out_dir: Path) -> Path:
    """Write the briefing of board ``code``, drawing the boards' shared charts on the first."""
    from nhsreport.publish.briefing import graphics, render

    if "base" not in state:
        state["base"] = graphics.board_base_svgs(ctx)
    return render.write_board(ctx, code, state["base"], out_dir)
