"""Chapters as files and as a user runs them: committed without outputs, declaring their data,
and executing top to bottom in Jupyter with every glued value they display."""

from __future__ import annotations

import ast
import os
import re

import nbformat
import pytest

from nhsreport.build.datasets import REGISTRY
from nhsreport.publish.book.chapter import declared_datasets

from .conftest import ROOT

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
GLUE_REF = re.compile(r"\{glue(?::[a-z]+)?\}`([^`:]+)(?::[^`]*)?`|```\{glue:figure\}\s+(\S+)")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_declares_its_data(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {i + 1} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {i + 1} has an execution count"
    names = declared_datasets(nb)
    unknown = [n for n in names if n not in REGISTRY]
    assert not unknown, f"{path.name} declares unknown datasets {unknown}"
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert f'chapter.start("{path.stem}")' in first.source, f"{path.name}: first code cell must call chapter.start"
    assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: the start-up cell must be hidden"


def _glue_value(output):
    text = output.get("data", {}).get("text/plain", "")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


@pytest.fixture(scope="session")
def executed():
    """Every chapter executed as in Jupyter (no book build: interactive chart renderer)."""
    from nbclient import NotebookClient

    env_book = os.environ.pop("NHSREPORT_BOOK", None)
    out = {}
    try:
        for path in CHAPTERS:
            nb = nbformat.read(path, as_version=4)
            NotebookClient(
                nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}}
            ).execute()
            glued = {}
            for cell in nb.cells:
                for o in cell.get("outputs", []):
                    name = o.get("metadata", {}).get("scrapbook", {}).get("name")
                    if name:
                        glued[name] = _glue_value(o)
            out[path.stem] = (nb, glued)
    finally:
        if env_book is not None:
            os.environ["NHSREPORT_BOOK"] = env_book
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_executes_in_jupyter_and_glues_what_it_shows(executed, path):
    nb, glued = executed[path.stem]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    referenced = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for a, b in GLUE_REF.findall(cell.source):
                key = a or b
                if "::" not in key:
                    referenced.add(key)
    missing = sorted(referenced - set(glued))
    assert not missing, f"{path.name} displays glue keys it never glues: {missing}"


@pytest.fixture(scope="session")
def glued(executed):
    """glued(stem) -> {key: value} of an executed chapter (for the chapters' own tests)."""
    return lambda stem: executed[stem][1]
