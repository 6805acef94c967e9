"""Chapters read as chapters, in the book and in JupyterLab: thin notebooks that call the package,
a parameters cell a reader can change, and every number of the prose known to the kernel before the
Markdown that prints it (JupyterLab evaluates each ``{eval}`` when it reaches that cell)."""

from __future__ import annotations

import ast

import nbformat
import pytest

from nhsreport.publish.book import chapter

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if p.stem[:2].isdigit()]
MAX_CELL_LINES = 30
MAX_NOTEBOOK_CODE_LINES = 800  # all notebooks together


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _lines(cell) -> int:
    return len(cell.source.splitlines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_function_and_no_long_cell_in_a_notebook(path):
    for i, cell in enumerate(_code_cells(path), start=1):
        tree = ast.parse(cell.source)
        defined = [
            type(n).__name__ for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.Lambda | ast.ClassDef)
        ]
        assert not defined, f"{path.name} code cell {i} defines {defined}: put it in the package"
        assert _lines(cell) <= MAX_CELL_LINES, f"{path.name} code cell {i} has {_lines(cell)} lines"


def test_the_notebooks_hold_little_code():
    total = sum(_lines(c) for p in NOTEBOOKS for c in _code_cells(p))
    assert total < MAX_NOTEBOOK_CODE_LINES, f"{total} lines of code in book/*.ipynb"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_a_chapter_starts_with_a_parameters_cell_a_reader_can_change(path):
    cells = _code_cells(path)
    params = cells[1]
    assert "parameters" in params.metadata.get("tags", []), (
        f"{path.name}: the second code cell is not tagged 'parameters'"
    )
    names = [t.id for n in ast.parse(params.source).body if isinstance(n, ast.Assign) for t in n.targets]
    assert names, f"{path.name}: the parameters cell assigns nothing"
    prose = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    assert any(f"`{n}`" in prose for n in names), f"{path.name}: no Markdown tells the reader about {names}"


def _executed(html_book, path):
    """The chapter as the book build executed it (from the execution cache), outputs included."""
    from jupyter_cache import get_cache

    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    nb = chapter.read_notebook(path.read_text(encoding="utf-8"))
    record = cache.match_cache_notebook(nb)
    return cache.get_cache_bundle(record.pk).nb


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_is_glued_before_the_prose_that_prints_it(html_book, path):
    nb = _executed(html_book, path)
    known: set[str] = set()
    late = []
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    known.add(name)
        elif cell.cell_type == "markdown":
            for _, doc, key, _ in chapter.prose_numbers(cell.source):
                if doc is None and key not in known:
                    late.append((i, key))
    assert not late, f"{path.name}: cells print numbers not yet glued above them: {late[:10]}"


@pytest.mark.parametrize(
    "module, stem",
    [
        ("reorganisation", "01_reorganisation"),
        ("systems", "03_systems"),
        ("integration", "04_integration"),
        ("conclusions", "05_conclusions"),
    ],
)
def test_a_chapter_module_loads_only_what_its_notebook_declares(module, stem):
    """The datasets a chapter's module loads are among those its notebook declares (the
    declaration keys the chapter's execution cache; loading another is refused in the kernel)."""
    import importlib

    mod = importlib.import_module(f"nhsreport.publish.chapters.{module}")
    loads = set(getattr(mod, "DATASETS", ()) or getattr(mod, "TABLES", ()))
    declared = set(chapter.declared_datasets(nbformat.read(ROOT / "book" / f"{stem}.ipynb", as_version=4)))
    assert loads and loads <= declared, sorted(loads - declared)
