"""Parallel execution into the execution cache: chapters run at the same time, are stored under the
key the book build looks up, run once, and a failure names the chapter and its cell."""

from __future__ import annotations

import os
import types

import nbformat
import pytest

from nhsreport.publish.book import chapter, execute, reading

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["nhsreport"] = {"datasets": []}
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter")] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def _rendezvous(me: str, other: str) -> str:
    """Code that announces ``me`` and waits for ``other``: it completes only if both run at once."""
    return (
        f"import pathlib, time\npathlib.Path({me!r}).touch()\n"
        f"deadline = time.monotonic() + 60\n"
        f"while not pathlib.Path({other!r}).exists():\n"
        f"    assert time.monotonic() < deadline, 'the other chapter never ran at the same time'\n"
        f"    time.sleep(0.05)\n"
        f"result = {me!r}"
    )


def test_chapters_run_at_the_same_time_and_are_cached_under_the_books_key(tmp_path):
    from jupyter_cache import get_cache

    a = _notebook(tmp_path / "a.ipynb", _rendezvous("a.flag", "b.flag"), "result")
    b = _notebook(tmp_path / "b.ipynb", _rendezvous("b.flag", "a.flag"), "result")
    cache_dir = tmp_path / "cache"
    messages = []
    outcomes = execute.run([a, b], cache_dir, timeout=120, n_jobs=2, log=lambda p, m: messages.append((p, m)))
    assert sorted(o.path.name for o in outcomes) == ["a.ipynb", "b.ipynb"]
    assert all(o.error is None for o in outcomes)
    assert any(p == a.resolve() and m.startswith("Executing notebook") for p, m in messages)
    # myst-nb looks chapters up by the notebook its reader gives, inputs key included
    cache = get_cache(str(cache_dir))
    for path, name in ((a, "'a.flag'"), (b, "'b.flag'")):
        record = cache.match_cache_notebook(chapter.read_notebook(path.read_text()))
        executed = cache.get_cache_bundle(record.pk).nb
        assert executed.cells[1].outputs[0]["data"]["text/plain"] == name
    # and what is cached is not executed again
    assert execute.run([a, b], cache_dir, timeout=120, n_jobs=2) == []


def test_a_changed_input_key_executes_again(tmp_path):
    a = _notebook(tmp_path / "a.ipynb", "x = 1")
    cache_dir = tmp_path / "cache"
    assert len(execute.run([a], cache_dir, timeout=120)) == 1
    nb = nbformat.read(a, as_version=4)
    nb.metadata["nhsreport"] = {"datasets": ["icbs"]}  # a declared dataset enters the key
    nbformat.write(nb, a)
    assert [o.path.name for o in execute.run([a], cache_dir, timeout=120)] == ["a.ipynb"]


def test_a_failing_chapter_is_named_with_its_cell_and_the_others_are_still_cached(tmp_path):
    from jupyter_cache import get_cache

    good = _notebook(tmp_path / "good.ipynb", "x = 1")
    bad = _notebook(tmp_path / "bad.ipynb", "y = 2", 'raise ValueError("deliberate failure in this cell")')
    cache_dir = tmp_path / "cache"
    with pytest.raises(execute.ChapterExecutionError) as err:
        execute.run([bad, good], cache_dir, timeout=120, n_jobs=2)
    msg = str(err.value)
    assert "bad.ipynb" in msg and "deliberate failure in this cell" in msg and "raise ValueError" in msg
    cache = get_cache(str(cache_dir))
    cache.match_cache_notebook(chapter.read_notebook(good.read_text()))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(chapter.read_notebook(bad.read_text()))


def test_kernels_do_their_linear_algebra_on_one_thread_and_the_environment_is_restored(tmp_path, monkeypatch):
    for name in execute.ONE_THREAD:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")  # a setting of the reader's own is kept
    nb_path = _notebook(tmp_path / "a.ipynb", f"import os\n[os.environ.get(n) for n in {execute.ONE_THREAD!r}]")
    cache_dir = tmp_path / "cache"
    assert len(execute.run([nb_path], cache_dir, timeout=120)) == 1
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    record = cache.match_cache_notebook(chapter.read_notebook(nb_path.read_text()))
    (cell,) = [c for c in cache.get_cache_bundle(record.pk).nb.cells if c.cell_type == "code"]
    shown = cell.outputs[0]["data"]["text/plain"]
    assert shown == "['1', '1', '4']"
    assert "OPENBLAS_NUM_THREADS" not in os.environ


def test_a_clean_build_starts_the_larger_chapter_first(tmp_path):
    small = _notebook(tmp_path / "a_small.ipynb", "x = 1")
    large = _notebook(tmp_path / "b_large.ipynb", "y = 2", "# " + "a long chapter " * 400)
    messages = []
    execute.run([small, large], tmp_path / "cache", timeout=120, n_jobs=1, log=lambda p, m: messages.append((p, m)))
    started = [p.name for p, m in messages if p is not None and m.startswith("Executing")]
    assert started == ["b_large.ipynb", "a_small.ipynb"]


def test_jobs_follow_the_environment(monkeypatch):
    monkeypatch.setenv("NHSREPORT_JOBS", "3")
    assert execute.jobs() == 3
    monkeypatch.delenv("NHSREPORT_JOBS")
    assert execute.jobs() >= 1
    monkeypatch.setenv("NHSREPORT_JOBS", "many")
    with pytest.raises(ValueError, match="NHSREPORT_JOBS.*whole number.*'many'"):
        execute.jobs()


def test_numbering_and_citations_are_recomputed_only_after_reading():
    calls = []

    def handler(app, env):
        calls.append(env)
        return ["page"]

    wrapped = reading.only_after_reading(handler)
    app = types.SimpleNamespace(nhsreport_read=False, nhsreport_removed=False)
    assert wrapped(app, "env") == [] and calls == []
    app.nhsreport_read = True
    assert wrapped(app, "env") == ["page"] and calls == ["env"]
    app.nhsreport_read, app.nhsreport_removed = False, True
    assert wrapped(app, "env") == ["page"]
    # a build that never reported what it read recomputes
    assert wrapped(types.SimpleNamespace(), "env") == ["page"]


def test_a_chapter_kernel_does_not_compile_the_iri_grammars():
    """Chapters import nhsreport.publish.book.chapter first; altair's jsonschema then skips rfc3987-syntax,
    whose 39 parsers took about half of a kernel's start-up."""
    import subprocess
    import sys

    code = (
        "from nhsreport.publish.book import chapter\nimport altair, sys\n"
        "assert 'jsonschema' in sys.modules and 'rfc3987_syntax.syntax_helpers' not in sys.modules"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_chapters_execute_in_the_background_and_are_collected_as_each_finishes(tmp_path):
    """``execute.start`` returns while the kernels work; ``completed`` gives each chapter as soon as
    it has finished and been cached, whatever the order they started in."""
    import time

    from jupyter_cache import get_cache

    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(4)\nresult = 'slow'", "result")
    quick = _notebook(tmp_path / "quick.ipynb", "result = 'quick'", "result")
    cache_dir = tmp_path / "cache"
    t0 = time.perf_counter()
    batch = execute.start([slow, quick], cache_dir, timeout=120, n_jobs=2)
    assert time.perf_counter() - t0 < 3, "start waited for the chapters"
    assert batch.paths == [slow.resolve(), quick.resolve()]  # the larger first
    order = []
    for path in batch.completed():
        order.append(path.name)
        # each is in the cache when it is handed over
        record = get_cache(str(cache_dir)).match_cache_notebook(chapter.read_notebook(path.read_text()))
        assert record.uri == str(path)
    assert order == ["quick.ipynb", "slow.ipynb"]
    assert [o.error for o in batch.wait_all()] == [None, None]
    assert execute.start([slow, quick], cache_dir, timeout=120) is None  # nothing left to execute


def test_the_cache_database_a_build_checks_is_jupyter_caches():
    from jupyter_cache.cache.db import DB_NAME

    assert reading.CACHE_DATABASE == DB_NAME
