#!/usr/bin/env python3
"""Benchmark (``make bench``): a record, not a timed test. Writes _build/bench.json and prints a table.

Every build figure is given in seconds and as a ratio to a trivial two-page Jupyter Book that the
bench builds itself: each measured build is paired with a no-op build of the trivial book made just
before it, since absolute times move from minute to minute on a shared machine. Measures: a
trivial book (clean and no-op); a clean HTML build of the report; a no-op rebuild; a rebuild after
one dataset changes (which chapters re-executed); the PDF build from a warm cache; the data
pipeline raw -> processed; load() of each dataset; the weight of every HTML page (the shared chart
bundle counted once, separately) and the largest system profile; the finder's index and how fast
it answers each keystroke; one briefing, all 42 and the 36
of the boards of 2026.
Builds run in a scratch copy of the project, so the working tree's execution cache is left alone.
Medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from nhsreport import data, paths  # noqa: E402
from nhsreport.build import pipeline  # noqa: E402
from nhsreport.build.datasets import REGISTRY  # noqa: E402

# seconds are for the record; the build targets are ratios to the trivial book (see ``ratio_targets``)
TARGETS = {
    "pipeline_s": 60,
    "load_median_ms": 100,
    "briefing_one_s": 3,
    "page_max_bytes": 1_000_000,
    "briefing_boards_s": 20,
    "profile_max_bytes": 400 * 1024,
    "finder_max_ms": 50,
    "finder_index_gzip_bytes": 1_000_000,
}
RATIO_TARGETS = {"clean_html_s": 10, "dataset_change_rebuild_s": 8, "noop_rebuild_s": 1.1}
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "_build", "raw", ".pytest_cache", "__pycache__", ".ipynb_checkpoints"
)
TRIVIAL_CONFIG = "title: Trivial\nauthor: Bench\nexecute:\n  execute_notebooks: cache\n"
TRIVIAL_TOC = "format: jb-book\nroot: index\nchapters:\n  - file: page\n"


def timed(fn, runs=1):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def jb(root: Path, builder: str, env=None, command=None) -> str:
    """Build the book at ``root`` with ``command`` (default: plain ``jupyter-book build``); return the log."""
    cmd = [*(command or [str(BIN / "jupyter-book"), "build"]), str(root), "--builder", builder, "-W", "--keep-going"]
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env)
    if p.returncode:
        sys.exit(f"build of {root} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p.stdout


def executed(log: str) -> list[str]:
    return sorted(set(re.findall(r"book/([\w-]+)\.ipynb: Executing notebook", log)))


def book_command(project: Path) -> list[str]:
    """The command ``make html`` of ``project`` builds with: the report's own build command
    (Sphinx in parallel) where the project has one, else plain ``jupyter-book build``."""
    if (project / "nhsreport" / "publish" / "book" / "build.py").exists():
        return [sys.executable, "-m", "nhsreport.publish.book.build"]
    return [str(BIN / "jupyter-book"), "build"]


def project_env(project: Path) -> dict:
    """The environment of a build of ``project``: its own nhsreport code and data."""
    env = dict(os.environ, NHSREPORT_ROOT=str(project), PYTHONPATH=str(project))
    env.pop("NHSREPORT_BOOK", None)
    return env


def trivial_book(tmp: Path, runs: int, res: dict):
    """Build the trivial two-page book (clean, then no-op); return a function that times one more
    no-op build of it, which each measure of the report is paired with."""
    book = tmp / "trivial"
    book.mkdir()
    (book / "_config.yml").write_text(TRIVIAL_CONFIG)
    (book / "_toc.yml").write_text(TRIVIAL_TOC)
    (book / "index.md").write_text("# Trivial book\n\nThe first of two pages.\n")
    (book / "page.md").write_text("# A page\n\nThe second page.\n")
    env = dict(os.environ)
    env.pop("NHSREPORT_BOOK", None)
    cleans = []
    for _ in range(runs):
        shutil.rmtree(book / "_build", ignore_errors=True)
        cleans.append(timed(lambda: jb(book, "html", env))[0])
    med, times, _ = timed(lambda: jb(book, "html", env), runs)
    res["trivial_clean_s"] = round(statistics.median(cleans), 2)
    res["trivial_noop_s"] = round(med, 2)
    res["trivial_noop_runs_s"] = [round(t, 2) for t in times]
    return lambda: timed(lambda: jb(book, "html", env))[0]


def change_icbs(project: Path, step: int) -> None:
    """Change one population figure of the icbs dataset (a new value each step) and describe the package again."""
    csv = project / "data/processed/icbs.csv"
    lines = csv.read_text().splitlines()
    cells = lines[1].split(",")
    i = lines[0].split(",").index("population")
    cells[i] = str(int(cells[i]) + step)
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n")
    # described by the built project's own code (its registry may differ from this one's)
    code = (
        "from pathlib import Path; from nhsreport.build import pipeline; "
        f"pipeline.write_datapackage(Path({str(project / 'data')!r}))"
    )
    subprocess.run([sys.executable, "-c", code], env=project_env(project), check=True, capture_output=True)


def children_cpu() -> float:
    """CPU seconds (user and system) of the processes this one has waited for: a build and every
    process it waited for in turn (kernels, Sphinx's workers, the briefings' compiler)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def paired(key: str, runs: int, trivial, build, res: dict, prepare=None) -> str:
    """Time ``build`` ``runs`` times, each right after a no-op build of the trivial book: the load of
    a shared machine moves within minutes, so each ratio compares two builds made moments apart.
    Records the median seconds and the median of the ratios; returns the last build's log."""
    seconds, ratios, cpu, log = [], [], [], ""
    for i in range(runs):
        unit = trivial()
        if prepare:
            prepare(i)
        before = children_cpu()
        t, _, log = timed(build)
        cpu.append(children_cpu() - before)
        seconds.append(t)
        ratios.append(t / unit)
    res[key] = round(statistics.median(seconds), 2)
    res[f"{key.removesuffix('_s')}_runs_s"] = [round(t, 2) for t in seconds]
    res[f"{key.removesuffix('_s')}_ratio"] = round(statistics.median(ratios), 2)
    res[f"{key.removesuffix('_s')}_ratio_runs"] = [round(r, 2) for r in ratios]
    res[f"{key.removesuffix('_s')}_cpu_s"] = round(statistics.median(cpu), 2)
    res[f"{key.removesuffix('_s')}_cpu_runs_s"] = [round(c, 2) for c in cpu]
    return log


def report_builds(project: Path, tmp: Path, args, res: dict, trivial) -> Path:
    copy = tmp / "project"
    shutil.copytree(project, copy, ignore=COPY_IGNORE)
    env = project_env(copy)
    command = book_command(copy)
    res["build_command"] = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))
    log = paired(
        "clean_html_s",
        args.clean_runs,
        trivial,
        lambda: jb(copy, "html", env, command),
        res,
        prepare=lambda i: shutil.rmtree(copy / "_build", ignore_errors=True),
    )
    res["clean_html_executed"] = executed(log)
    made = re.search(r"system profiles: (\d+) files written in ([\d.]+) s(?: \(([\d.]+) s of CPU)?", log)
    if made:  # the clean build includes writing the profiles; the time spent making them, for the record
        res["profiles_files"], res["profiles_generate_s"] = int(made.group(1)), float(made.group(2))
        if made.group(3):  # and its CPU (the step runs while the chapters' kernels share the cores)
            res["profiles_generate_cpu_s"] = float(made.group(3))
    briefed = re.search(r"board briefings: (\d+) files written in ([\d.]+) s", log)
    if briefed:  # compiled alongside the chapters' execution, so not all of it adds to the build's time
        res["profiles_briefings_s"] = float(briefed.group(2))
    # charts drawn by the clean build: one file of the render cache each (HTML: no print version)
    res["clean_html_renders"] = sum(1 for _ in (copy / "_build" / ".render_cache").glob("*.*"))
    log = paired("noop_rebuild_s", args.runs, trivial, lambda: jb(copy, "html", env, command), res)
    res["noop_rebuild_executed"] = executed(log)
    log = paired(
        "dataset_change_rebuild_s",
        args.runs,
        trivial,
        lambda: jb(copy, "html", env, command),
        res,
        prepare=lambda i: change_icbs(copy, i + 1),
    )
    res["dataset_change_dataset"] = "icbs"
    res["dataset_change_executed"] = executed(log)
    return copy / "_build" / "html"


def page_weights(html: Path, res: dict) -> None:
    pages = {
        p.relative_to(html).as_posix(): p.stat().st_size
        for p in sorted(html.rglob("*.html"))
        if not any(part.startswith((".", "_")) for part in p.relative_to(html).parts)
    }
    res["page_bytes"] = pages
    res["page_max_bytes"] = max(pages.values())
    profiles = [v for k, v in pages.items() if k.startswith("book/systems/")]
    if profiles:
        res["profile_max_bytes"] = max(profiles)
        res["profile_median_bytes"] = statistics.median(profiles)
    static = html / "_static"
    res["shared_bytes"] = {
        "vega_bundle": (static / "nhsreport-vega.js").stat().st_size,
        "geometry": sum(p.stat().st_size for p in (static / "geo").glob("*.json")),
        "downloads": sum(p.stat().st_size for p in (static / "downloads").glob("*")),
    }


#: What the finder bench types, one keystroke at a time: trusts, councils, practices, postcodes,
#: misspellings, nonsense and a very long string.
FINDER_SAMPLE = (
    "Leeds Teaching Hospitals",
    "kings college hospital",
    "Guys and St Thomas",
    "RR8",
    "Buckinghamshire",
    "Taunton Deane",
    "Allerdale",
    "A81001",
    "TS18 1HU",
    "LS2 9JT",
    "Manchster Univrsity",
    "the surgery",
    "medical centre",
    "zzzzqqq",
    "x" * 120,
)


def finder_speed(html: Path, res: dict) -> None:
    """The finder's index (bytes, and gzip-compressed) and how long it takes to answer each
    keystroke of :data:`FINDER_SAMPLE` in headless Chromium (its own ``performance.now`` timing,
    ``data-ms``), on the index of systems opened from disk."""
    import gzip

    index = html / "_static" / "finder-index.js"
    chromium = shutil.which("chromium")
    if not index.exists() or not chromium:
        return
    res["finder_index_bytes"] = index.stat().st_size
    res["finder_index_gzip_bytes"] = len(gzip.compress(index.read_bytes(), 9))
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto((html / "book" / "systems.html").resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.nhsFinder")
        page.evaluate("() => window.nhsFinder.load()")
        box = page.locator("#nhs-finder-input")
        for q in FINDER_SAMPLE:
            box.fill("")
            for i in range(1, len(q) + 1):
                box.fill(q[:i])
                times.append(float(page.locator("#nhs-finder-results").get_attribute("data-ms") or 0))
        browser.close()
    times.sort()
    res["finder_keystrokes"] = len(times)
    res["finder_median_ms"] = round(statistics.median(times), 1)
    res["finder_p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 1)
    res["finder_max_ms"] = round(times[-1], 1)


def data_and_briefings(args, res: dict) -> None:
    raw = paths.RAW if paths.RAW.is_dir() else paths.default_mirror()
    if raw:
        with tempfile.TemporaryDirectory() as tmp:
            med, times, _ = timed(lambda: pipeline.run(raw_dir=raw, data_dir=Path(tmp)), args.runs)
        res["pipeline_s"] = round(med, 2)
        res["pipeline_runs_s"] = [round(t, 2) for t in times]

    loads = {}
    data.declare(None)
    for name, ds in REGISTRY.items():
        fn = (lambda n=name: data.load(n)) if ds.kind == "table" else (lambda n=name: data.geo(n))
        med, _, _ = timed(fn, 5)
        loads[name] = round(med * 1000, 1)
    res["load_ms"] = loads
    res["load_median_ms"] = statistics.median(loads.values())
    res["load_max_ms"] = max(loads.values())

    def one():
        subprocess.run([sys.executable, str(ROOT / "scripts/briefing.py")], check=True, capture_output=True)

    med, _, _ = timed(one, args.runs)
    res["briefing_one_s"] = round(med, 2)

    def all36():
        subprocess.run([sys.executable, str(ROOT / "scripts/briefing.py"), "--boards"], check=True, capture_output=True)

    med, _, _ = timed(all36)
    res["briefing_boards_s"] = round(med, 1)


ROWS = [
    ("trivial two-page book, clean", "trivial_clean_s", "s"),
    ("trivial two-page book, no-op", "trivial_noop_s", "s"),
    ("clean HTML build (with the profiles)", "clean_html_s", "s"),
    ("  CPU of it, all processes", "clean_html_cpu_s", "s"),
    ("  of which: making the profiles", "profiles_generate_s", "s"),
    ("    CPU of it (beside the kernels)", "profiles_generate_cpu_s", "s"),
    ("  the boards' briefings (alongside)", "profiles_briefings_s", "s"),
    ("  charts drawn (render cache files)", "clean_html_renders", ""),
    ("no-op rebuild", "noop_rebuild_s", "s"),
    ("  CPU of it, all processes", "noop_rebuild_cpu_s", "s"),
    ("rebuild after one dataset change", "dataset_change_rebuild_s", "s"),
    ("  CPU of it, all processes", "dataset_change_rebuild_cpu_s", "s"),
    ("data pipeline raw → processed", "pipeline_s", "s"),
    ("load(), median over datasets", "load_median_ms", "ms"),
    ("largest HTML page", "page_max_bytes", "bytes"),
    ("one briefing", "briefing_one_s", "s"),
    ("all 36 board briefings", "briefing_boards_s", "s"),
    ("largest system profile", "profile_max_bytes", "bytes"),
    ("finder index, gzip-compressed", "finder_index_gzip_bytes", "bytes"),
    ("finder answer, median keystroke", "finder_median_ms", "ms"),
    ("finder answer, slowest keystroke", "finder_max_ms", "ms"),
]
BUILD_KEYS = {"trivial_clean_s", "clean_html_s", "noop_rebuild_s", "dataset_change_rebuild_s"}


def table(res: dict) -> str:
    unit = res.get("trivial_noop_s")
    lines = [f"{'measure':36} {'value':>10}       {'× trivial':>9} {'target':>10}"]
    for label, key, u in ROWS:
        if key not in res:
            continue
        paired_ratio = res.get(f"{key.removesuffix('_s')}_ratio")
        plain = f"{res[key] / unit:.2f}" if unit and key in BUILD_KEYS else ""
        ratio = f"{paired_ratio:.2f}" if paired_ratio else plain
        tgt = f"≤ {RATIO_TARGETS[key]}×" if key in RATIO_TARGETS else f"≤ {TARGETS[key]}" if key in TARGETS else ""
        lines.append(f"{label:36} {res[key]:>10} {u:<5} {ratio:>9} {tgt:>10}")
    for key in ("clean_html", "dataset_change"):
        if f"{key}_executed" in res:
            lines.append(f"executed ({key.replace('_', ' ')}): {', '.join(res[f'{key}_executed']) or 'none'}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs of each cheap measure (median)")
    ap.add_argument("--clean-runs", type=int, default=2, help="clean builds of the report (median)")
    ap.add_argument("--project", type=Path, default=ROOT, help="the project to build (default: this one)")
    ap.add_argument("--builds-only", action="store_true", help="only the book builds (no pipeline, load, briefings)")
    ap.add_argument("--out", type=Path, default=ROOT / "_build" / "bench.json")
    ap.add_argument(
        "--finder-only", type=Path, metavar="HTML", help="only the finder, on a built site (e.g. _build/html)"
    )
    args = ap.parse_args(argv)
    if args.finder_only:
        res = {"targets": TARGETS}
        finder_speed(args.finder_only, res)
        print(table(res))
        return
    res: dict = {
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "project": "this" if args.project.resolve() == ROOT else str(args.project),
        "targets": TARGETS,
        "ratio_targets": RATIO_TARGETS,
    }
    with tempfile.TemporaryDirectory() as tmp:
        trivial = trivial_book(Path(tmp), args.runs, res)
        html = report_builds(args.project.resolve(), Path(tmp), args, res, trivial)
        page_weights(html, res)
        finder_speed(html, res)
    if not args.builds_only:
        data_and_briefings(args, res)
    res["machine"]["load_average_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print(table(res))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
