"""Chapters as files and as executed: committed without outputs, declaring their data, and executing
top to bottom (in the session's book build) with every glued value they display."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from nhsreport.build.datasets import REGISTRY
from nhsreport.publish.book.chapter import declared_datasets

from .conftest import ROOT

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
GLUE_REF = re.compile(r"\{glue(?::[a-z]+)?\}`([^`:]+(?:::[^`:]+)?)(?::[^`]*)?`|```\{glue:figure\}\s+(\S+)")


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


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_executes_and_glues_what_it_shows(executed_chapters, path):
    nb = executed_chapters.notebook(path.stem)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    referenced = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for a, b in GLUE_REF.findall(cell.source):
                key = a or b
                if "::" in key:  # pasted from another chapter: that chapter must glue it
                    other, name = key.split("::")
                    if name not in executed_chapters.glued(Path(other).stem):
                        referenced.add(key)
                else:
                    referenced.add(key)
    missing = sorted(referenced - set(executed_chapters.glued(path.stem)))
    assert not missing, f"{path.name} displays glue keys it never glues: {missing}"


def test_outside_the_book_charts_render_for_jupyter_with_maps_inlined(monkeypatch):
    """As a reader runs a chapter in Jupyter (``make lab``; tests/test_lab.py runs one in a real
    JupyterLab): Altair's offline Jupyter renderer, and map boundaries inlined rather than fetched
    from the book's ``_static/geo``."""
    import altair as alt

    from nhsreport import data
    from nhsreport.publish.components import charts

    monkeypatch.delenv("NHSREPORT_BOOK", raising=False)
    data.declare(None)
    try:
        charts.setup()
        assert alt.renderers.active == "jupyter"
        boundaries = charts.boundaries("geo_icb_2022").to_dict()
        assert "url" not in boundaries and boundaries["values"]["type"] == "Topology"
    finally:
        alt.renderers.enable("default")
