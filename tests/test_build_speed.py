"""What makes the book build faster changes nothing it builds: figure numbers resolved from one
copy of each page are the numbers Sphinx resolves itself, and the drawings the render cache gives
are those vl-convert draws afresh."""

from __future__ import annotations

import re

from .conftest import ROOT

CONF = """
numfig = True
extensions = []
def setup(app):
    if {hooked}:
        from nhsreport.publish.book import html
        app.connect("builder-inited", html.numref_reads_each_page_once)
"""
FIGURES = """Figures
=======

.. _fig-one:

.. figure:: one.svg

   The first figure

.. _fig-two:

.. figure:: one.svg

   The second figure
"""
CITING = "Citing\n======\n\n" + "\n\n".join(f"See :numref:`fig-{n}` ({i})." for i in range(5) for n in ("one", "two"))
INDEX = "Book\n====\n\n.. toctree::\n\n   figures\n   citing\n"


def _build(tmp_path, hooked: bool, monkeypatch) -> tuple[str, dict]:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    src = tmp_path / ("hooked" if hooked else "plain")
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(hooked=hooked))
    (src / "index.rst").write_text(INDEX)
    (src / "figures.rst").write_text(FIGURES)
    (src / "citing.rst").write_text(CITING)
    (src / "one.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    reads: dict[str, int] = {}
    original = BuildEnvironment.get_doctree

    def counted(env, docname):
        reads[docname] = reads.get(docname, 0) + 1
        return original(env, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", counted)
    app = Sphinx(str(src), str(src), str(src / "_build"), str(src / "_doctrees"), "html", status=None, warning=None)
    app.build()
    page = (src / "_build" / "citing.html").read_text(encoding="utf-8")
    return re.search(r'<section id="citing">.*?</section>', page, re.S).group(0), reads


def test_figure_numbers_come_from_one_read_of_each_page_and_are_sphinxs_own(tmp_path, monkeypatch):
    plain, plain_reads = _build(tmp_path, False, monkeypatch)
    hooked, hooked_reads = _build(tmp_path, True, monkeypatch)
    assert "Fig. 1" in plain and "Fig. 2" in plain
    assert hooked == plain
    # ten references to the page's figures: Sphinx alone reads the page for each; hooked, once
    # (and once or twice for other things: writing the page itself, its table of contents)
    assert plain_reads["figures"] >= 10
    assert hooked_reads["figures"] <= 2


_STATIC = re.compile(r'<div class="nhs-chart-static">(<svg\b.*?</svg>)</div>', re.S)
_SPEC = re.compile(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', re.S)


def _glued_charts(executed_chapters) -> dict[str, tuple[dict, str]]:
    """name -> (the chart's spec as its page carries it, the drawing on its page) of every chart
    the book's chapters glued."""
    import json

    out = {}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = executed_chapters.notebook(path.stem)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                data = {k.removeprefix("application/papermill.record/"): v for k, v in output.get("data", {}).items()}
                page = data.get("text/html", "")
                spec, static = _SPEC.search(page), _STATIC.search(page)
                if name and spec and static:
                    out[name] = (json.loads(spec.group(1)), static.group(1))
    return out


def test_a_sample_of_the_books_charts_drawn_afresh_are_the_drawings_the_render_cache_gave(executed_chapters):
    """The render cache changes no page: every chart's drawing on its page is one the render cache
    holds (the build drew it through the cache), and for a sample of the charts (every sixth by
    name, and every one with gradients or clip paths, whose ids vl-convert numbers per process)
    the cache gives the drawing vl-convert makes afresh of the spec on the page."""
    from nhsreport.publish.components.charts import html as chart_html
    from nhsreport.publish.components.charts import renders

    charts = _glued_charts(executed_chapters)
    assert len(charts) >= 30
    # ids renamed alike on both sides (a page's are scoped by its figure's name)
    held = {
        chart_html.scoped_ids(chart_html.compact_svg(svg.read_text(encoding="utf-8")), "id")
        for svg in (ROOT / "_build" / ".render_cache").glob("*.svg")
    }
    for name, (_, on_page) in charts.items():
        assert chart_html.scoped_ids(on_page, "id") in held, (
            f"{name}: the drawing on the page is not one the cache holds"
        )
    names = sorted(charts)
    sample = set(names[::6]) | {n for n in names if "url(#" in charts[n][1]}
    for name in sorted(sample):
        spec = charts[name][0]
        chart_html.to_svg(spec)  # drawn once, then held
        hits = renders.COUNTS["svg_hit"]
        cached = chart_html.to_svg(spec)
        assert renders.COUNTS["svg_hit"] == hits + 1, f"{name}: a second drawing of one spec missed the cache"
        fresh = renders._draw(chart_html._inline_geometry(spec), "svg", None, chart_html._vl_version(spec))
        # vl-convert numbers clip and gradient ids per process: compared as a page shows them
        as_shown = [chart_html.scoped_ids(chart_html.compact_svg(svg), "id") for svg in (cached, fresh.decode())]
        assert as_shown[0] == as_shown[1], f"{name}: the cached drawing differs from a fresh one"


def test_the_boards_allowance_and_staff_alone_are_their_headline_figures_exactly():
    """The boards' trends compute the allowance and the staff alone, for every year and snapshot:
    the numbers are those of the headline figures, to the last digit."""
    import pandas as pd

    from nhsreport.analysis import board_facts, board_trends, boards

    ctx = board_facts.BoardData()
    years = sorted(ctx.alloc["financial_year"].astype(str).unique())
    # the staff files as the trends read them: before 2022 the commissioners were CCGs
    staff = ctx.staff.assign(org_type=ctx.staff["org_type"].replace({"CCG": "ICB"}))
    snapshots = sorted(pd.to_datetime(board_trends.density_trend(ctx)["date"].unique()))
    for year, when in ((years[0], snapshots[0]), (years[-1], snapshots[-1])):
        full = boards.board_figures(
            ctx.icbs, staff, ctx.alloc, ctx.trusts, ctx.lad_boards, staff_date=when, rca_year=year, formed=ctx.formed
        )
        alone = boards.board_allowances(ctx.alloc, ctx.icbs, rca_year=year)
        pd.testing.assert_frame_equal(alone, full[list(alone.columns)], check_exact=True)
        alone = boards.board_staff(staff, ctx.icbs, ctx.trusts, staff_date=when)
        pd.testing.assert_frame_equal(alone, full[list(alone.columns)], check_exact=True)


SMALL_BOOK_CONFIG = "title: Small\nauthor: Test\nhtml:\n  use_multitoc_numbering: true\n"
SMALL_BOOK_PAGES = 8  # Sphinx reads in parallel only more than five pages


def _small_book(root) -> None:
    """A book of eight numbered pages, one a figure that another refers to."""
    root.mkdir()
    (root / "_config.yml").write_text(SMALL_BOOK_CONFIG)
    pages = "".join(f"      - file: page{i}\n" for i in range(1, SMALL_BOOK_PAGES))
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: index\nparts:\n  - numbered: true\n    chapters:\n{pages}")
    (root / "index.md").write_text("# Small book\n\nThe front page.\n")
    for i in range(1, SMALL_BOOK_PAGES):
        (root / f"page{i}.md").write_text(f"# Page {i}\n\n## A section\n\nText of page {i}, see {{numref}}`fig-a`.\n")
    (root / "page1.md").write_text(
        "# Page 1\n\n```{figure} one.svg\n:name: fig-a\n\nA figure\n```\n\nSee {numref}`fig-a`.\n"
    )
    (root / "one.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')


def _pages(html) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(html.glob("*.html"))}


def test_the_build_command_reads_and_writes_in_parallel_and_builds_what_jupyter_book_builds(tmp_path):
    """``make html``'s command (``python -m nhsreport.publish.book.build``): Sphinx reads and
    writes in parallel with no warning (``-W``: every extension declared safe), and the pages are
    those plain ``jupyter-book build`` writes, one page at a time."""
    import os
    import subprocess
    import sys

    from .conftest import BIN

    env = dict(os.environ, NHSREPORT_JOBS="2", PYTHONPATH=str(ROOT))
    logs, pages = {}, {}
    for name, command in {
        "plain": [str(BIN / "jupyter-book"), "build"],
        "parallel": [sys.executable, "-m", "nhsreport.publish.book.build"],
    }.items():
        book = tmp_path / name
        _small_book(book)
        args = [*command, str(book), "--builder", "html", "-W", "--keep-going"]
        proc = subprocess.run(args, cwd=book, capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        logs[name] = re.sub(r"\x1b\[[\d;]*m", "", proc.stdout + proc.stderr)  # no colours
        pages[name] = _pages(book / "_build" / "html")
    assert "doing serial read" not in logs["parallel"]
    # in parallel Sphinx reads and writes pages in batches, and its progress names each batch "first .. last"
    for step in ("reading sources", "writing output"):
        batch = re.compile(rf"{step}\.\.\. \[[ \d]+%\] \S+ \.\. \S+")
        assert batch.search(logs["parallel"]) and not batch.search(logs["plain"]), step
    assert len(pages["parallel"]) >= SMALL_BOOK_PAGES
    assert pages["parallel"] == pages["plain"]
    assert "Fig. 1.1" in pages["parallel"]["page2.html"]


def test_the_search_index_stems_each_word_once_and_the_same():
    from types import SimpleNamespace

    from sphinx.search.en import SearchEnglish

    from nhsreport.publish.book import html

    language = SearchEnglish({})
    words = ["integration", "integrated", "boards", "board", "integration"]
    expected = [language.stem(w) for w in words]
    app = SimpleNamespace(builder=SimpleNamespace(indexer=SimpleNamespace(lang=language)))
    for _ in range(2):  # once per page: wrapped once
        html.search_stems_each_word_once(app, None, "page")
    assert [language.stem(w) for w in words] == expected
    assert language.stem.cache_info().misses == 4 and language.stem.cache_info().hits == 1
    html.search_stems_each_word_once(SimpleNamespace(builder=SimpleNamespace()), None, "page")  # no index: nothing


def test_the_plain_text_bibliography_backend_is_found_without_a_search_and_is_pybtexs_own():
    from importlib.metadata import entry_points

    from pybtex.plugin import _RUNTIME_PLUGINS, find_plugin

    from nhsreport.publish.book import bibstyle

    bibstyle.register()
    (entry_point,) = entry_points(group="pybtex.backends", name="plaintext")
    assert _RUNTIME_PLUGINS["pybtex.backends"]["plaintext"] is entry_point.load()
    assert find_plugin("pybtex.backends", "plaintext") is entry_point.load()


def test_the_books_extension_imports_neither_pandas_nor_altair():
    """A build with nothing to do imports neither (about a second): the extension and the
    bibliography style import them only in the hooks that draw or format."""
    import subprocess
    import sys

    code = (
        "import sys; import nhsreport.publish.book.sphinxext as x, nhsreport.publish.book.bibstyle as b; "
        "b.register(); print(sorted(m for m in ('pandas', 'altair', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_book_is_read_in_one_process_and_written_by_as_many_writers_as_the_build_has():
    from types import SimpleNamespace

    from nhsreport.publish.book import reading

    app = SimpleNamespace(parallel=2)
    reading.read_serially(app, None, ["index"])
    assert app.parallel == 1
    reading.write_in_parallel(app, None)
    assert app.parallel == 3  # Sphinx writes with one process fewer than it is given: two writers
    serial = SimpleNamespace(parallel=1)
    reading.read_serially(serial, None, ["index"])
    reading.write_in_parallel(serial, None)
    assert serial.parallel == 1


def test_the_writers_batches_share_the_heavy_pages_and_the_lightest_is_written_first():
    from sphinx.util.parallel import make_chunks

    from nhsreport.publish.book import reading

    weights = {f"chapter{i}": 1000 * (i + 1) for i in range(7)} | {f"profile{i:02}": 10 for i in range(40)}
    weights["glossary"] = 1
    docnames = sorted(weights)
    ordered = reading.balanced_order(docnames, 2, weights.get)
    assert sorted(ordered) == docnames and ordered[0] == "glossary"
    batches = make_chunks(ordered[1:], 2)
    assert [len(b) for b in batches] == [len(b) for b in make_chunks(docnames[1:], 2)]
    loads = [sum(weights[d] for d in batch) for batch in batches]
    # in alphabetical order one batch holds every chapter; balanced, no batch holds twice another's share
    assert max(loads) < 2 * sum(loads) / len(loads)


def test_the_build_command_ends_with_jupyter_books_status_and_all_its_output():
    """The build's process ends without the interpreter's teardown, yet with the command's exit
    status and everything it printed (``build.exit_without_teardown``)."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "nhsreport.publish.book.build"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    helped = subprocess.run([*command, "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert helped.returncode == 0 and "Usage: jupyter-book build" in helped.stdout
    wrong = subprocess.run([*command, "--no-such-option"], capture_output=True, text=True, env=env, timeout=120)
    assert wrong.returncode == 2 and "No such option" in wrong.stderr


def test_the_index_of_systems_is_made_once_a_build(monkeypatch):
    """The index page's Markdown is the one the profiles step made in the same process (same
    inputs key); under another key it is made again."""
    import pytest

    from nhsreport.publish.pages import profiles

    monkeypatch.setitem(profiles._INDEX, "key-of-this-build", "the index")
    assert profiles.index_source("key-of-this-build") == "the index"

    def made_again(*args):
        raise LookupError("made again")

    monkeypatch.setattr(profiles.board_facts, "BoardData", made_again)
    with pytest.raises(LookupError, match="made again"):
        profiles.index_source("another key")
