"""Sphinx extension for the book (listed in ``_config.yml``): :func:`setup` connects the hooks of
the modules beside it, each with one job.

* Tells chart code it runs inside a book build (``NHSREPORT_BOOK=1`` for the kernels it starts).
* :mod:`.assets`: serves, once per site, everything charts and tables need with no network (the
  vega JavaScript, the report's scripts and style sheet, the boundary files maps refer to) and the
  downloads (every processed dataset, the data package descriptor, the England briefing, the PDF
  book).
* :mod:`.freshness`: the keys a build remembers, so that a build with nothing to do does little.
* :mod:`.reading`: starts executing, as soon as the configuration is read and in parallel, the
  chapters the execution cache does not hold (:mod:`nhsreport.publish.book.execute`); re-reads the
  chapters whose datasets or code changed; reads each executing chapter as soon as it is done, the
  other pages first; and skips recomputing figure numbers and citations when a build read no page.
* :mod:`.content`: the release on the front page, in every footer and on the PDF title page; the
  front page's downloads and citation; the system profiles, generated before anything is read, and
  the index of systems; the ``{eval}`` role.
* :mod:`.rests`: the ``{rests}`` role, the claims and figures a finding rests on.
* :mod:`.tablenumbers`: numbers the tables the chapters' code prints, with Sphinx's own tables.
* :mod:`.html`: changes to the pages of the HTML book, and the search index's stems found once a
  build. The PDF book is printed from the one-page HTML book (:mod:`.printbook`, ``make pdf``),
  with no hook here.

``make html`` runs ``jupyter-book build`` through :mod:`.build`, with Sphinx writing the pages in
parallel (reading them in one process, :func:`.reading.read_serially`): every hook here is safe in
a parallel build (those that keep something for later run in the main process: ``builder-inited``,
``env-*``, ``doctree-resolved``, ``build-finished``; ``source-read``, the transforms, the HTML
writer's visitors and ``html-page-context`` change only their own page).
"""

from __future__ import annotations

import os

from nhsreport.publish.book import assets, content, html, reading, rests, tablenumbers

os.environ["NHSREPORT_BOOK"] = "1"


def _builder_inited(app) -> None:
    reading.skip_recomputing_when_nothing_was_read(app)
    reading.read_in_order_of_completion(app)
    reading.write_in_balanced_batches(app)
    html.numref_reads_each_page_once(app)
    if app.builder.format == "html":
        assets.prepare_static(app)


def setup(app):
    """Connect the book's hooks, and add its role, scripts and style sheet."""
    from nhsreport.publish.book import bibstyle

    app.add_role("eval", content.eval_role(), override=True)
    app.add_role("rests", rests.rests_role)

    bibstyle.register()
    tablenumbers.setup(app)
    app.connect("config-inited", content.set_release)
    app.connect("config-inited", html.page_templates)
    # the chapters start executing first, after sphinx-external-toc (900) has read the table of contents
    app.connect("config-inited", reading.start_executing, priority=940)
    app.connect("config-inited", content.write_profiles, priority=950)
    app.connect("env-updated", reading.executions_done)
    app.connect("env-updated", content.briefings_done)
    app.connect("doctree-resolved", content.number_style_of_pasted_text)
    app.connect("doctree-resolved", html.search_stems_each_word_once)
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", html.accessible_body)
    app.connect("html-page-context", html.no_canonical_link)
    app.connect("html-page-context", html.static_charts_as_files)
    app.connect("html-page-context", html.download_menu_in_words, priority=600)  # after the theme (501)
    app.connect("build-finished", html.root_redirect, priority=400)
    app.connect("env-get-outdated", reading.outdated_inputs)
    app.connect("env-before-read-docs", reading.execute_in_parallel)
    app.connect("env-before-read-docs", reading.read_serially)
    app.connect("env-updated", reading.write_in_parallel)
    app.connect("source-read", content.fill_markers)
    app.connect("html-page-context", html.drop_thebe, priority=900)
    app.add_js_file(assets.VEGA_FILE)
    app.add_js_file("nhsreport.js")
    app.add_js_file("finder.js")
    app.add_css_file("nhsreport.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
