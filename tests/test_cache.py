"""Builds that are never stale: a changed dataset re-executes exactly the chapters that declare it
(and no other), a changed module exactly the chapters that import it; and the book builds with
the network cut off."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import nbformat
import pytest

from nhsreport.publish.book import chapter

from .conftest import CHANGED_DATASET, ROOT

PACKAGE = ROOT / "nhsreport"

pytestmark = pytest.mark.slow
EXECUTED = re.compile(r"book/([\w-]+)\.ipynb: Executing notebook")
CACHED = re.compile(r"book/([\w-]+)\.ipynb: Using cached notebook")


def _declaring(dataset: str) -> set[str]:
    out = set()
    for p in (ROOT / "book").glob("*.ipynb"):
        if dataset in chapter.declared_datasets(nbformat.read(p, as_version=4)):
            out.add(p.stem)
    return out


def test_changed_dataset_reexecutes_exactly_the_declaring_chapters_offline(changed_copy):
    chapters = {p.stem for p in (changed_copy.root / "book").glob("*.ipynb")}
    # 1. an unchanged copy comes entirely from the cache
    assert set(EXECUTED.findall(changed_copy.unchanged_log)) == set(), "an unchanged book re-executed chapters"
    assert set(CACHED.findall(changed_copy.unchanged_log)) == chapters
    # 2. after one dataset changed, the rebuild (with no network) runs exactly the chapters that
    # declare it; the others are not even re-read
    if not changed_copy.offline:
        pytest.skip("unshare --net is not permitted here: the rebuild ran with the network")
    expected = _declaring(CHANGED_DATASET)
    assert expected and expected != chapters, "pick a dataset read by some chapters but not all"
    assert set(EXECUTED.findall(changed_copy.changed_log)) == expected
    assert not set(CACHED.findall(changed_copy.changed_log)) - expected, "chapters re-read for no reason"


def test_chapters_execute_while_the_profiles_are_written_and_each_is_read_once_cached(changed_copy):
    """The rebuild after the change starts the chapters' kernels before it writes the profiles,
    and reads each re-executed chapter after it was executed and cached (never executing it again
    while reading: myst-nb finds it in the cache)."""
    lines = re.sub(r"\x1b\[[\d;]*m", "", changed_copy.changed_log).splitlines()

    def first(pattern: str) -> int:
        return next(i for i, line in enumerate(lines) if re.search(pattern, line))

    executed = EXECUTED.findall(changed_copy.changed_log)
    assert executed
    assert first(r"Executing notebook") < first(r"\[nhsreport\] system profiles")
    for stem in executed:
        assert first(rf"book/{stem}\.ipynb: Executed notebook") < first(rf"reading sources.* book/{stem}$")
        assert first(rf"reading sources.* book/{stem}$") < first(rf"book/{stem}\.ipynb: Using cached notebook")


def test_module_change_changes_the_key_of_exactly_the_importing_chapters(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["nhsreport"] = {"datasets": []}
    nb.cells = [
        nbformat.v4.new_code_cell("from nhsreport.publish.book import chapter\nchapter.start('x')"),
        nbformat.v4.new_code_cell("from nhsreport.publish.components import charts, tables"),
    ]
    files = {f.name for f in chapter.module_closure("\n".join(c.source for c in nb.cells))}
    # charts imports data (a package: its __init__.py), which imports schema and errors
    assert {"chapter.py", "tables.py", "__init__.py", "schema.py", "errors.py", "paths.py"} <= files
    # charts is a package: the modules its __init__ re-exports from are in the key, each of them
    charts_dir = PACKAGE / "publish" / "components" / "charts"
    closure = set(chapter.module_closure("from nhsreport.publish.components import charts"))
    assert {charts_dir / f"{m}.py" for m in ("theme", "describe", "html", "print", "labels", "glue")} <= closure
    assert PACKAGE / "data" / "__init__.py" in closure
    assert not any("briefing" in f.parts or f.name == "fetch.py" for f in closure)
    nb2 = nbformat.v4.new_notebook()
    nb2.metadata["nhsreport"] = {"datasets": ["icbs"]}
    nb2.cells = [nbformat.v4.new_code_cell("import pandas as pd")]
    assert chapter.inputs_key(nb2) != chapter.inputs_key(nb), "datasets and modules must both enter the key"


def test_a_change_to_a_charts_module_changes_the_key(tmp_path, monkeypatch):
    """A chapter that imports the charts package re-executes when any module of the package changes."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["nhsreport"] = {"datasets": []}
    nb.cells = [nbformat.v4.new_code_cell("from nhsreport.publish.components import charts")]
    key = chapter.inputs_key(nb)
    copy = tmp_path / "nhsreport"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(chapter, "PACKAGE", copy)
    assert chapter.inputs_key(nb) == key
    labels = copy / "publish" / "components" / "charts" / "labels.py"
    labels.write_text(labels.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert chapter.inputs_key(nb) != key


def test_dataset_hash_enters_the_key(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["nhsreport"] = {"datasets": ["icbs"]}
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    d = tmp_path / "data"
    d.mkdir()
    (d / "datapackage.json").write_text('{"resources": [{"name": "icbs", "hash": "sha256:aa"}]}')
    k1 = chapter.inputs_key(nb, d)
    (d / "datapackage.json").write_text('{"resources": [{"name": "icbs", "hash": "sha256:bb"}]}')
    assert chapter.inputs_key(nb, d) != k1
    (d / "datapackage.json").write_text(
        '{"resources": [{"name": "icbs", "hash": "sha256:bb"}, {"name": "trusts", "hash": "sha256:cc"}]}'
    )
    assert chapter.inputs_key(nb, d) == chapter.inputs_key(nb, d), "deterministic"


def test_a_failing_cell_fails_the_build_and_names_chapter_and_cell(tmp_path):
    proj = tmp_path / "p"
    (proj / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", proj)
    shutil.copy(ROOT / "book/references.bib", proj / "book")
    (proj / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: book/broken\n")
    (proj / "book/index.md").write_text("# Index\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["nhsreport"] = {"datasets": []}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Broken"),
        nbformat.v4.new_code_cell('from nhsreport.publish.book import chapter\nchapter.start("broken")'),
        nbformat.v4.new_code_cell('total = 1\nraise ValueError("deliberate failure in this cell")'),
    ]
    nbformat.write(nb, proj / "book/broken.ipynb")
    shutil.copytree(ROOT / "data", proj / "data", ignore=shutil.ignore_patterns("raw"))
    env = dict(os.environ, NHSREPORT_ROOT=str(proj))
    cmd = [str(ROOT / ".venv/bin/jupyter-book"), "build", str(proj), "--builder", "html", "-W", "--keep-going"]
    proc = subprocess.run(
        cmd, cwd=proj, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, "a failing cell must fail the build"
    assert "broken.ipynb" in out and "deliberate failure in this cell" in out and "raise ValueError" in out


def test_builder_code_enters_no_chapter_key_through_the_read_side():
    """Chapters read datasets through nhsreport.data, which imports no builder: the declarations
    reach the key through the data package (hash and schema), so editing a builder re-executes no
    chapter unless its dataset changes."""
    files = chapter.module_closure("from nhsreport import data\nfrom nhsreport.publish import charts")
    assert not [f for f in files if "datasets" in f.parts or f.name in ("pipeline.py", "sources.py")]
    # a chapter that imports a build module itself keeps it in its key
    assert PACKAGE / "build" / "sources.py" in chapter.module_closure("from nhsreport.build import sources")


def test_declared_schema_enters_the_key(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["nhsreport"] = {"datasets": ["icbs"]}
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    d = tmp_path / "data"
    d.mkdir()
    (d / "datapackage.json").write_text(
        '{"resources": [{"name": "icbs", "hash": "sha256:aa", "schema": {"fields": []}}]}'
    )
    k1 = chapter.inputs_key(nb, d)
    (d / "datapackage.json").write_text(
        '{"resources": [{"name": "icbs", "hash": "sha256:aa", "schema": {"fields": [{"name": "x"}]}}]}'
    )
    assert chapter.inputs_key(nb, d) != k1


def test_keys_are_reused_only_while_no_input_file_changes(tmp_path):
    """A no-op build reuses the inputs keys of the last one; a change to any input file (its size
    or modification time) makes the extension compute them again."""
    from types import SimpleNamespace

    from nhsreport.publish.book import freshness

    app = SimpleNamespace(doctreedir=str(tmp_path / "_build" / ".doctrees"))
    source = tmp_path / "module.py"
    source.write_text("x = 1\n")
    calls = []

    def compute():
        calls.append(1)
        return {"key": source.read_text() if source.exists() else None}

    assert freshness.remembered(app, "test", [source], compute) == {"key": "x = 1\n"}
    assert freshness.remembered(app, "test", [source], compute) == {"key": "x = 1\n"}
    assert len(calls) == 1, "the second build recomputed although nothing changed"
    source.write_text("x = 22\n")
    assert freshness.remembered(app, "test", [source], compute) == {"key": "x = 22\n"}
    source.unlink()
    freshness.remembered(app, "test", [source], compute)
    assert len(calls) == 3, "a changed or removed input did not make the key be computed again"
