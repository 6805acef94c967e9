"""Shared test fixtures: project paths, the venv's tools, one book build per test session (whose
executed chapters every test that needs one reads), and the browser tests' local site."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nhsreport.publish.book.execute import ONE_THREAD

# Linear algebra on one thread in the test process, as in the chapters' kernels (set before NumPy
# is first imported): the analysis tests' bootstraps are thousands of small least-squares fits, and
# a BLAS thread per core on cores the build's kernels and other work share spends its time waiting
# (three analysis test files: 70 s -> 15 s on two busy cores). The results are the same.
for _name in ONE_THREAD:
    os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MIRROR = ROOT.parent / "shared" / "raw"
IN_CI = bool(os.environ.get("CI"))


def need_tool(name: str) -> str:
    """The path of a system tool; skipped locally when missing, a failure in CI (which installs it)."""
    path = shutil.which(name)
    if path is None:
        msg = f"{name} is not installed (Debian package: see README)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return path


def pdf_objects(path: Path) -> bytes:
    """A PDF's bytes with every Flate-compressed stream (object streams included) decompressed
    beside them, so that catalog entries such as ``/Lang`` can be looked for as text."""
    import re
    import zlib

    raw = path.read_bytes()
    parts = [raw]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass  # not Flate (images, fonts in other filters)
    return b"\n".join(parts)


def load_datasets(*names: str) -> dict:
    """The processed tables ``names``, loaded outside any chapter (no declaration applies)."""
    from nhsreport import data

    data.declare(None)
    return {n: data.load(n) for n in names}


def jupyter_book(*args, root: Path = ROOT, env=None, timeout=1800) -> subprocess.CompletedProcess:
    cmd = [str(BIN / "jupyter-book"), "build", str(root), *args, "-W", "--keep-going"]
    proc = subprocess.run(
        cmd, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env, timeout=timeout
    )
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}")
    return proc


@pytest.fixture(scope="session")
def html_book() -> Path:
    """The HTML book, built once per session (the execution cache keeps rebuilds quick)."""
    jupyter_book("--builder", "html")
    return ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def pdf_book(html_book) -> Path:
    """The PDF book as ``make pdf`` builds it: the one-page HTML book printed by Chromium."""
    need_tool("chromium")
    from nhsreport.publish.book import printbook

    jupyter_book("--builder", "singlehtml", "--path-output", str(printbook.PRINT_ROOT))

    return printbook.build()


@pytest.fixture(scope="session")
def executed_chapters(html_book):
    """The chapters as the session's book build executed them (see ``helpers.ExecutedChapters``):
    ``executed_chapters.notebook(stem)`` and ``executed_chapters.glued(stem)``. No test executes a
    chapter again."""
    from .helpers import ExecutedChapters

    return ExecutedChapters(ROOT)


@pytest.fixture(scope="module")
def site(html_book):
    """The built HTML book served on a free local port: ``(folder, base URL)``."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html_book))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield html_book, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, driven by Playwright."""
    exe = need_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=exe,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


# the dataset the changed copy changes, and how: the largest system's population, tenfold
CHANGED_DATASET = "icbs"


@pytest.fixture(scope="session")
def changed_copy(html_book, tmp_path_factory):
    """A copy of the project, built as it is and then again (by ``scripts/changes.py``, which
    ``make changes`` runs, with the network cut off where permitted) after one dataset changed:
    the largest system's population in ``icbs``, tenfold. Shared by test_cache and test_changes, so
    that the chapters reading the dataset execute again once a session, not once a test.

    Holds ``root``, ``env`` (pointing ``nhsreport`` at the copy), ``unchanged_log`` (the first
    build's output), ``as_built_report`` (``changes.md`` comparing the first build with itself),
    ``changed_log`` (the output of the build after the change) and ``offline`` (whether that build
    ran with the network cut off)."""
    import csv
    import types

    from nhsreport.build import pipeline

    from .helpers import offline_prefix

    copy = tmp_path_factory.mktemp("changed") / "project"
    anywhere = shutil.ignore_patterns(".venv", ".git", "raw", ".pytest_cache", "__pycache__")
    # of the build folder, only the execution cache (and the keys): not the outputs, not Sphinx's environment
    outputs = shutil.ignore_patterns(
        "html",
        "latex",
        "singlehtml",
        "print",
        "briefing",
        "nhsreport_static",
        "jupyter_execute",
        ".doctrees",
        "changes-baseline.json",
        "changes.md",
    )

    def ignored(folder, names):
        return anywhere(folder, names) | (outputs(folder, names) if Path(folder) == ROOT / "_build" else set())

    shutil.copytree(ROOT, copy, symlinks=True, ignore=ignored)  # a fresh Sphinx environment: every page is read
    env = dict(os.environ, NHSREPORT_ROOT=str(copy))
    env.pop("NHSREPORT_BOOK", None)
    unchanged_log = jupyter_book("--builder", "html", root=copy, env=env).stdout
    changes_script = [sys.executable, str(ROOT / "scripts" / "changes.py")]
    proc = subprocess.run([*changes_script, "--no-build"], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    as_built_report = (copy / "_build" / "changes.md").read_text(encoding="utf-8")

    path = copy / "data" / "processed" / f"{CHANGED_DATASET}.csv"
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    largest = max(rows, key=lambda r: int(r["population"]))
    largest["population"] = str(int(largest["population"]) * 10)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    pipeline.write_datapackage(copy / "data")

    prefix = offline_prefix()
    proc = subprocess.run(
        [*(prefix or []), *changes_script],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return types.SimpleNamespace(
        root=copy,
        env=env,
        unchanged_log=unchanged_log,
        as_built_report=as_built_report,
        changed_log=proc.stdout,
        offline=prefix is not None,
    )
