"""What makes the book build faster changes nothing it builds: figure numbers resolved from one
copy of each page are the numbers Sphinx resolves itself."""

from __future__ import annotations

import re

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
