"""Shared test helpers: project paths, the venv's tools, and one book build per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
