#!/usr/bin/env python3
"""Run the publishing workflow's steps, as written, on a fresh clone with no mirror (``make workflow-check``).

A GitHub runner has no offline mirror: every official file must come from its pinned address. This
script proves the whole path on this machine. It clones the repository into a temporary folder
(where no ``../shared/raw`` sits beside it), serves every pinned address from a local HTTP server
that holds only the pinned files (laid out as ``<host>/<path>``, bytes as the addresses return
them), points the fetch step at it (``NHSREPORT_FETCH_BASE``), and runs, in order, each ``run:``
step of the workflow's build job (the system-packages step and scheduled-only steps excepted),
with ``make data`` after the fetch. It then checks that the processed data rebuilt byte for byte,
and that the folder the workflow uploads holds the site, the PDF book and every briefing. Each
step's time and the run summary the workflow would show are printed; the first failure stops the
run with the step's name.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import yaml

from nhsreport import paths
from nhsreport.build import pinned

WORKFLOW = paths.ROOT / ".github" / "workflows" / "publish.yml"


def pinned_site(mirror: Path, site: Path) -> int:
    """Lay out every pinned file of ``mirror`` under ``site`` as its address returns it."""
    pins = pinned.load()
    for pin in pins.values():
        blob = (mirror / pin.path).read_bytes()
        if pin.transform == "strip-bom-lf":
            blob = b"\xef\xbb\xbf" + blob.replace(b"\n", b"\r\n")
        parts = urllib.parse.urlsplit(pin.pinned_url)
        target = site / parts.netloc / urllib.parse.unquote(parts.path).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return len(pins)


def serve(site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def workflow_commands() -> list[tuple[str, str]]:
    """(name, script) of each run step of the build job, as the runner would run them."""
    job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]
    steps = []
    for step in job["steps"]:
        if "run" not in step or "apt-get" in step["run"] or "schedule" in str(step.get("if", "")):
            continue
        steps.append((step.get("name", step["run"].splitlines()[0]), step["run"]))
        if "make data-raw" in step["run"]:
            steps.append(("Processed data from the fetched files", "make data"))
    return steps


def check_published(folder: Path, n_boards: int) -> list[str]:
    """What is missing from the folder the workflow uploads."""
    missing = []
    if not (folder / "index.html").exists():
        missing.append("index.html")
    briefings = list((folder / "_static" / "downloads" / "briefings").glob("*.pdf"))
    if len(briefings) != n_boards:
        missing.append(f"{n_boards} board briefings (found {len(briefings)})")
    if not (folder / "_static" / "downloads" / "england-briefing.pdf").exists():
        missing.append("the England briefing")
    if not (folder / "_static" / "downloads" / "nhs-integration-report.pdf").exists():
        missing.append("the PDF book")
    return missing


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mirror", type=Path, default=paths.default_mirror(), help="where the pinned files are taken from")
    p.add_argument("--keep", action="store_true", help="keep the temporary clone")
    a = p.parse_args()
    if not a.mirror:
        print("error: no mirror to serve the pinned files from (--mirror DIR)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="workflow-check-"))
    clone = work / "repo"
    subprocess.run(["git", "clone", "-q", str(paths.ROOT), str(clone)], check=True)
    n = pinned_site(a.mirror, work / "site")
    server, base = serve(work / "site")
    env = {k: v for k, v in os.environ.items() if k not in ("NHSREPORT_MIRROR", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NHSREPORT_FETCH_BASE=base, GITHUB_STEP_SUMMARY=str(work / "summary.md"), CI="true")
    print(f"clone {clone}; {n} pinned files served at {base}")
    try:
        for name, script in workflow_commands():
            t0 = time.perf_counter()
            run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=clone, env=env)
            print(f"{time.perf_counter() - t0:8.0f} s  {name}  (exit {run.returncode})", flush=True)
            if run.returncode:
                print(f"error: step {name!r} failed", file=sys.stderr)
                return 1
        changed = subprocess.run(
            ["git", "status", "--porcelain", "data/processed", "data/datapackage.json"],
            cwd=clone,
            capture_output=True,
            text=True,
        ).stdout
        if changed.strip():
            print(f"error: the processed data did not rebuild byte for byte:\n{changed}", file=sys.stderr)
            return 1
        job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]
        (upload,) = [s["with"]["path"] for s in job["steps"] if s.get("uses", "").startswith("actions/upload-pages")]
        n_boards = len(list((clone / "book" / "systems").glob("*.md")))
        missing = check_published(clone / upload, n_boards)
        if missing:
            print(f"error: {upload} lacks {', '.join(missing)}", file=sys.stderr)
            return 1
        print(f"{upload}: site, PDF book, {n_boards} board briefings and the England briefing present")
        print((work / "summary.md").read_text(encoding="utf-8") if (work / "summary.md").exists() else "")
        return 0
    finally:
        server.shutdown()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
