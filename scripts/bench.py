#!/usr/bin/env python3
"""Benchmark (``make bench``): a record, not a timed test. Writes _build/bench.json and prints a table.

Measures: the data pipeline raw -> processed; load() of each dataset; a clean HTML build; a no-op
rebuild; a rebuild after one dataset changes (in a scratch copy: which chapters re-executed); the
PDF build from a warm cache; the weight of every HTML page (the shared chart bundle counted once,
separately); one briefing and all 42. Medians of several runs where a run is cheap enough.
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

from nhsreport import data, paths
from nhsreport.build import pipeline  # noqa: E402
from nhsreport.build.datasets import REGISTRY  # noqa: E402

TARGETS = {"clean_html_s": 120, "noop_rebuild_s": 10, "pipeline_s": 60, "load_median_ms": 100,
           "briefing_one_s": 3, "briefing_all_s": 90, "page_max_bytes": 1_500_000}


def timed(fn, runs=1):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def jb(root: Path, builder: str, env=None) -> str:
    cmd = [str(BIN / "jupyter-book"), "build", str(root), "--builder", builder, "-W", "--keep-going"]
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env)
    if p.returncode:
        sys.exit(f"build failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p.stdout


def executed(log: str) -> list[str]:
    return sorted(set(re.findall(r"book/([\w-]+)\.ipynb: Executing notebook", log)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pdf", action="store_true")
    args = ap.parse_args()
    res: dict = {"machine": {"cpus": os.cpu_count()}, "targets": TARGETS}

    raw = paths.RAW if paths.RAW.is_dir() else paths.default_mirror()
    if raw:
        with tempfile.TemporaryDirectory() as tmp:
            med, times, _ = timed(lambda: pipeline.run(raw_dir=raw, data_dir=Path(tmp)), args.runs)
        res["pipeline_s"] = round(med, 2)
        res["pipeline_runs_s"] = [round(t, 2) for t in times]

    loads = {}
    for name, ds in REGISTRY.items():
        fn = (lambda n=name: data.load(n)) if ds.kind == "table" else (lambda n=name: data.geo(n))
        med, _, _ = timed(fn, 5)
        loads[name] = round(med * 1000, 1)
    res["load_ms"] = loads
    res["load_median_ms"] = statistics.median(loads.values())
    res["load_max_ms"] = max(loads.values())

    build = ROOT / "_build"
    shutil.rmtree(build / "html", ignore_errors=True)
    shutil.rmtree(build / ".jupyter_cache", ignore_errors=True)
    shutil.rmtree(build / ".doctrees", ignore_errors=True)
    med, _, log = timed(lambda: jb(ROOT, "html"))
    res["clean_html_s"] = round(med, 1)
    res["clean_html_executed"] = executed(log)
    med, times, log = timed(lambda: jb(ROOT, "html"), args.runs)
    res["noop_rebuild_s"] = round(med, 1)
    res["noop_rebuild_runs_s"] = [round(t, 1) for t in times]
    res["noop_rebuild_executed"] = executed(log)

    # one dataset changes: rebuild in a scratch copy of the project with the warm cache
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "html", "latex", "briefing", "raw", "__pycache__", "nhsreport_static"))
        env = dict(os.environ, NHSREPORT_ROOT=str(copy))
        env.pop("NHSREPORT_BOOK", None)
        jb(copy, "html", env)
        csv = copy / "data/processed/icbs.csv"
        lines = csv.read_text().splitlines()
        cells = lines[1].split(",")
        i = lines[0].split(",").index("population")
        cells[i] = str(int(cells[i]) + 1)
        lines[1] = ",".join(cells)
        csv.write_text("\n".join(lines) + "\n")
        pipeline.write_datapackage(copy / "data")
        med, _, log = timed(lambda: jb(copy, "html", env))
        res["dataset_change_rebuild_s"] = round(med, 1)
        res["dataset_change_dataset"] = "icbs"
        res["dataset_change_executed"] = executed(log)

    if not args.skip_pdf and shutil.which("latexmk"):
        med, _, _ = timed(lambda: jb(ROOT, "pdflatex"))
        res["pdf_warm_s"] = round(med, 1)

    html = build / "html"
    pages = {p.relative_to(html).as_posix(): p.stat().st_size for p in sorted(html.rglob("*.html"))
             if not any(part.startswith((".", "_")) for part in p.relative_to(html).parts)}
    res["page_bytes"] = pages
    res["page_max_bytes"] = max(pages.values())
    static = html / "_static"
    res["shared_bytes"] = {
        "vega_bundle": (static / "nhsreport-vega.js").stat().st_size,
        "geometry": sum(p.stat().st_size for p in (static / "geo").glob("*.json")),
        "downloads": sum(p.stat().st_size for p in (static / "downloads").glob("*")),
    }

    if (ROOT / "scripts/briefing.py").exists():
        def one():
            subprocess.run([sys.executable, str(ROOT / "scripts/briefing.py")], check=True, capture_output=True)
        med, times, _ = timed(one, args.runs)
        res["briefing_one_s"] = round(med, 2)

        def all42():
            subprocess.run([sys.executable, str(ROOT / "scripts/briefing.py"), "--all"], check=True, capture_output=True)
        med, _, _ = timed(all42)
        res["briefing_all_s"] = round(med, 1)

    out = build / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    rows = [("data pipeline raw → processed", "pipeline_s", "s"), ("load(), median over datasets", "load_median_ms", "ms"),
            ("clean HTML build", "clean_html_s", "s"), ("no-op rebuild", "noop_rebuild_s", "s"),
            ("rebuild after one dataset change", "dataset_change_rebuild_s", "s"), ("PDF build, warm cache", "pdf_warm_s", "s"),
            ("largest HTML page", "page_max_bytes", "bytes"), ("one briefing", "briefing_one_s", "s"),
            ("all 42 briefings", "briefing_all_s", "s")]
    print(f"{'measure':40} {'value':>12} {'target':>10}")
    for label, key, unit in rows:
        if key in res:
            tgt = TARGETS.get(key)
            print(f"{label:40} {res[key]:>10} {unit:<3} {('≤ ' + str(tgt)) if tgt else '':>8}")
    print(f"re-executed after changing 'icbs': {', '.join(res.get('dataset_change_executed', [])) or 'none'}")
    print(f"shared assets: vega bundle {res['shared_bytes']['vega_bundle']:,} bytes; geometry {res['shared_bytes']['geometry']:,} bytes")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
