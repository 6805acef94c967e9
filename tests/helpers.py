"""Helpers shared by the test modules. A test module imports them from here (or fixtures from
``conftest.py``), never from another test module."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from .conftest import ROOT, need_tool

BRIEFING_SCRIPT = ROOT / "scripts" / "briefing.py"

# ---------------------------------------------------------------------------------------------
# executed chapters
# ---------------------------------------------------------------------------------------------


def glue_value(bundle: dict):
    """The Python value of a glued output: its ``text/plain`` read as a literal, else the text."""
    text = next((v for k, v in bundle.get("data", {}).items() if k.endswith("text/plain")), "")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def glued_values(nb) -> dict:
    """glue key -> value of every output a notebook glued (scrapbook records)."""
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = glue_value(output)
    return out


def outputs(nb, mime: str) -> list[str]:
    """The ``mime`` payloads of every output of a notebook's code cells, in order."""
    return [
        o["data"][mime]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if mime in o.get("data", {})
    ]


class ExecutedChapters:
    """The chapters as a book build executed them, read back from its execution cache.

    The book build (``html_book``) executes every chapter once into ``_build/.jupyter_cache``;
    a chapter's executed notebook is its cached outputs merged into the notebook the book's reader
    gives (so looked up under exactly the key the build used). Nothing here executes a chapter.
    """

    def __init__(self, root: Path = ROOT):
        self.root = root
        self._notebooks: dict[str, nbformat.NotebookNode] = {}

    def notebook(self, stem: str) -> nbformat.NotebookNode:
        """The executed chapter ``stem`` (e.g. ``"02_management"``), with its outputs."""
        if stem not in self._notebooks:
            from jupyter_cache import get_cache

            from nhsreport.publish.book.chapter import read_notebook

            nb = read_notebook((self.root / "book" / f"{stem}.ipynb").read_text(encoding="utf-8"))
            cache = get_cache(str(self.root / "_build" / ".jupyter_cache"))
            try:
                _, merged = cache.merge_match_into_notebook(nb)
            except KeyError:
                raise AssertionError(f"{stem} is not in the book's execution cache (build the book first)") from None
            self._notebooks[stem] = merged
        return self._notebooks[stem]

    def glued(self, stem: str) -> dict:
        """glue key -> value of the executed chapter ``stem``."""
        return glued_values(self.notebook(stem))


# ---------------------------------------------------------------------------------------------
# briefings and PDFs
# ---------------------------------------------------------------------------------------------


def run_briefing(*args, timeout=300, env: dict | None = None) -> subprocess.CompletedProcess:
    """``scripts/briefing.py`` with ``args``, as users run it (``env``: variables to set, or to
    remove where the value is None)."""
    import os

    environ = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    return subprocess.run(
        [sys.executable, str(BRIEFING_SCRIPT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
    )


def pdf_text(path: Path) -> str:
    """A PDF's text, its whitespace collapsed to single spaces (pdftotext)."""
    need_tool("pdftotext")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def pdf_pages(path: Path) -> int:
    """A PDF's number of pages (pdfinfo)."""
    need_tool("pdfinfo")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def assert_fonts_embedded(path: Path) -> None:
    """Fail unless every font pdffonts lists for the PDF is embedded."""
    need_tool("pdffonts")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, f"{path.name}: no fonts listed"
    for row in rows:
        # columns: name type encoding emb sub uni object-id; the name may contain no spaces
        cols = row.split()
        emb = cols[-5]
        assert emb == "yes", f"{path.name}: font not embedded: {row}"


# ---------------------------------------------------------------------------------------------
# builds with the network cut off
# ---------------------------------------------------------------------------------------------


def offline_prefix() -> list[str] | None:
    """A command prefix that runs a command with no network but loopback (``unshare --net`` and
    tests/offline.py; root in CI may do this), or ``None`` where that is not permitted (a failure
    in CI, which must be able to)."""
    import os
    import shutil

    import pytest

    helper = str(Path(__file__).with_name("offline.py"))
    prefix = ["unshare", "--net", "--", sys.executable, helper]
    if shutil.which("unshare") and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"],
            capture_output=True,
        )
        assert probe.returncode != 0, "the network was not cut off"
        return prefix
    if os.environ.get("CI"):
        pytest.fail("cannot cut the network off with unshare --net")
    return None


# ---------------------------------------------------------------------------------------------
# chart specs
# ---------------------------------------------------------------------------------------------


def spec_units(node, enc=None, data=None, datasets=None):
    """Every single view: (mark type, encoding with what it inherits, rows when in the spec)."""
    datasets = datasets if datasets is not None else node.get("datasets", {})
    enc = {**(enc or {}), **node.get("encoding", {})}
    data = node.get("data", data)
    if "mark" in node:
        m = node["mark"]
        rows = None
        if isinstance(data, dict):
            rows = data.get("values") if isinstance(data.get("values"), list) else datasets.get(data.get("name"))
        yield (m["type"] if isinstance(m, dict) else m), enc, rows
    for c in node.get("layer", []):
        yield from spec_units(c, enc, data, datasets)
    for k in ("vconcat", "hconcat", "concat"):
        for c in node.get(k, []):
            yield from spec_units(c, None, data, datasets)
    if isinstance(node.get("spec"), dict):
        yield from spec_units(node["spec"], None, data, datasets)


#: a chart's specification as the built page carries it
SPEC = re.compile(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', re.S)


def book_charts(html_dir):
    """Every chart of the built book's pages: (page and chart name, specification)."""
    out = []
    for page in sorted((html_dir / "book").glob("*.html")):
        for payload in SPEC.findall(page.read_text(encoding="utf-8")):
            spec = json.loads(payload.replace("<\\/", "</"))
            spec.get("config", {}).pop("aria", None)
            name = spec.get("usermeta", {}).get("nhsreport", {}).get("name", "?")
            out.append((f"{page.stem}: {name}", spec))
    return out
