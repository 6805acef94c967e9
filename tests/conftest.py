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
    need_tool("latexmk")
    jupyter_book("--builder", "pdflatex")
    pdfs = sorted((ROOT / "_build" / "latex").glob("*.pdf"))
    assert pdfs, "no PDF in _build/latex"
    return pdfs[0]


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
