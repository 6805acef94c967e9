"""The system profiles, the index of systems and the "where do I fit?" finder, in a real browser
(Debian's chromium driven by Playwright, as in test_book_html)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from nhsreport.publish.briefing import figures

pytestmark = pytest.mark.slow

PAGE_BUDGET = 400 * 1024


@pytest.fixture(scope="module")
def ctx():
    return figures.load_context()


def _open(browser, url):
    page = browser.new_page()
    errors, remote = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_request(req):
        u = urlparse(req.url)
        if u.scheme in ("http", "https", "ws", "wss") and u.hostname not in ("127.0.0.1", "localhost"):
            remote.append(req.url)

    page.on("request", on_request)
    page.goto(url, wait_until="load")
    return page, errors, remote


def _wait_charts(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.nhs-chart')].every(e => ['done','failed'].includes(e.dataset.embedded))",
        timeout=30000,
    )


def test_every_profile_draws_states_the_briefing_figures_and_stays_light(site, browser, ctx):
    root, base = site
    codes = sorted(ctx.boards.index)
    pages = sorted((root / "book" / "systems").glob("*.html"))
    assert [p.stem for p in pages] == codes
    problems = []
    for code in codes:
        path = root / "book" / "systems" / f"{code}.html"
        size = path.stat().st_size
        if size > PAGE_BUDGET:
            problems.append(f"{code}: {size / 1024:.0f} KB > 400 KB")
        page, errors, remote = _open(browser, f"{base}/book/systems/{code}.html")
        _wait_charts(page)
        charts = page.locator(".nhs-chart")
        n = charts.count()
        if n != 4:
            problems.append(f"{code}: {n} charts, expected 4")
        for i in range(n):
            c = charts.nth(i)
            marks = c.locator(".nhs-chart-live svg [class*='mark-']").count()
            if c.get_attribute("data-embedded") != "done" or marks == 0:
                problems.append(f"{code}: chart {i + 1} not drawn")
            if ctx.boards.loc[code, "icb_2026_name"] not in (
                c.locator(".nhs-chart-graphic").get_attribute("aria-label") or ""
            ):
                problems.append(f"{code}: chart {i + 1} alt text does not name the board")
        if errors:
            problems.append(f"{code}: JavaScript errors {errors[:2]}")
        if remote:
            problems.append(f"{code}: requests to other hosts {remote[:2]}")
        # the headline table states the briefing's numbers
        text = " ".join(page.locator("main").inner_text().split())
        brief = figures.board(ctx, code)
        for k in brief["key_figures"]:
            if k["value"] not in text:
                problems.append(f"{code}: briefing figure {k['value']} ({k['label']}) not on the page")
        # one h1, headings in order, every table captioned
        levels = [
            int(h.evaluate("e => e.tagName")[1]) for h in page.locator("article.bd-article :is(h1, h2, h3)").all()
        ]
        if levels.count(1) != 1 or any(b - a > 1 for a, b in zip(levels, levels[1:])):
            problems.append(f"{code}: heading levels {levels}")
        if page.locator("article.bd-article table:not(:has(caption))").count():
            problems.append(f"{code}: a table without a caption")
        page.close()
    assert not problems, "\n".join(problems)


def test_profiles_offer_their_briefing_and_csv(site, ctx):
    root, _ = site
    for code in ("QOP", "S0E4D"):
        page = (root / "book" / "systems" / f"{code}.html").read_text(encoding="utf-8")
        for href in (f"../../_static/downloads/briefings/{code}.pdf", f"../../_static/downloads/systems/{code}.csv"):
            assert f'href="{href}"' in page
            assert (root / "book" / "systems" / href).resolve().exists(), href
        blob = (root / "_static" / "downloads" / "systems" / f"{code}.csv").read_bytes()
        assert blob.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
        header = blob.decode("utf-8-sig").splitlines()[0]
        assert (
            header
            == "board_code,board_name,section,item_code,item,figure,value,unit,as_of_date,period,rank,of,england,estimate,source"
        )
    index = (root / "book" / "systems.html").read_text(encoding="utf-8")
    assert 'href="../_static/downloads/systems/all-boards.csv"' in index
    assert (root / "_static" / "downloads" / "systems" / "all-boards.csv").exists()


def _dataset_periods() -> dict[str, str]:
    """The ISO date each kind of figure of a profile refers to: the reporting periods of the boards'
    facts, three of them checked here against the data package read directly (a financial year by
    its first day, a month by its last day where the package gives it)."""
    import json

    from nhsreport.analysis import board_facts

    from .conftest import ROOT

    res = {r["name"]: r for r in json.loads((ROOT / "data" / "datapackage.json").read_text())["resources"]}
    when = {k: p.iso for k, p in board_facts.periods().items()}
    assert when["staff"] == str(res["staff_by_org"]["x_as_of"])
    assert when["allowances"] == f"{str(res['icb_allocations']['x_as_of'])[:4]}-04-01"
    assert when["boards"] == str(res["lad_board_overlap"]["x_as_of"])
    return when


def test_profile_csvs_date_every_figure_by_its_period(site):
    import csv

    from nhsreport.analysis import boards
    from nhsreport.analysis.board_facts import FIGURE_PERIOD

    root, _ = site
    when = _dataset_periods()
    headline = {label: FIGURE_PERIOD[key] for key, (label, _, _) in boards.FIGURES.items()}
    files = sorted((root / "_static" / "downloads" / "systems").glob("Q*.csv"))
    files += sorted((root / "_static" / "downloads" / "systems").glob("[DSTZ]*.csv"))
    assert len(files) == 36
    for f in files:
        for r in csv.DictReader(f.open(encoding="utf-8-sig")):
            sec, fig = r["section"], r["figure"]
            assert r["board_code"] == f.stem and r["board_name"]
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["as_of_date"]), (f.name, fig, r["as_of_date"])
            if sec in ("headline", "peer"):
                period = headline[fig]
            elif sec == "trust":
                period = "staff"
            elif sec in ("district", "council"):
                period = "population" if "residents" in fig else "boards"
            elif sec == "2022 board":
                period = "boards" if fig.endswith("in this board") else "population_2022"
                if period == "population_2022":
                    continue  # the 2022 boards' own populations, of the icbs dataset
            elif sec == "practices":
                period = "practices"
            else:  # trends, the 2025 cut and the trusts serving the area: dated row by row
                continue
            assert r["as_of_date"] == when[period], (f.name, fig, r["as_of_date"], when[period])


def test_profiles_are_not_in_the_sidebar_but_the_index_is(site):
    root, _ = site
    page = (root / "book" / "02_management.html").read_text(encoding="utf-8")
    nav = page[page.index('class="bd-sidebar-primary') :]
    assert "systems.html" in nav
    assert "systems/QOP.html" not in nav


def test_index_map_areas_open_profiles_by_keyboard(site, browser):
    _, base = site
    page, errors, remote = _open(browser, f"{base}/book/systems.html")
    _wait_charts(page)
    stops = page.locator(".nhs-systems-map path[tabindex='0']")
    page.wait_for_function("() => document.querySelectorAll(\".nhs-systems-map path[tabindex='0']\").length === 36")
    label = stops.first.get_attribute("aria-label")
    assert label.startswith("Open the profile of ")
    stops.first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/book/systems/[A-Z0-9]{3,5}\.html$", page.url)
    assert page.locator("article.bd-article h1").inner_text().strip().rstrip("#").strip() in label
    assert not errors and not remote


def test_each_focused_board_on_the_map_shows_in_its_box_at_320_pixels(site, browser):
    """At 320 CSS pixels (400% zoom) the map scrolls in its own box; Tab to each of the 36 boards
    brings it into the box, at least mostly (WCAG 2.4.7, 2.4.11)."""
    _, base = site
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{base}/book/systems.html", wait_until="load")
    _wait_charts(page)
    page.wait_for_function("() => document.querySelectorAll(\".nhs-systems-map path[tabindex='0']\").length === 36")
    page.locator(".nhs-systems-map path[tabindex='0']").first.focus()
    page.keyboard.press("Shift+Tab")
    hidden, seen = [], 0
    for _ in range(40):
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)
        shown = page.evaluate(
            """() => { const p = document.activeElement; if (!p.matches('.nhs-systems-map path')) return null;
               const box = p.closest('.nhs-chart-graphic').getBoundingClientRect(), r = p.getBoundingClientRect();
               const w = Math.max(0, Math.min(r.right, box.right) - Math.max(r.left, box.left));
               const h = Math.max(0, Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top));
               return [p.getAttribute('aria-label'), (w * h) / (r.width * r.height)]; }"""
        )
        if shown is None:
            continue
        seen += 1
        if shown[1] < 0.5:
            hidden.append(f"{shown[0]}: {shown[1]:.0%} in the box")
    page.close()
    assert seen == 36
    assert not hidden, hidden


def test_each_profile_map_describes_the_table_under_it(site):
    """The description of the map on each profile says what its table lists: the boards, one a row
    (it used to speak of districts, WCAG 1.1.1)."""
    root, _ = site
    wrong = []
    for page in sorted((root / "book" / "systems").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        start = html.index("nhs-profile-map")
        figure = html[start : html.index("</figure>", start)]
        said = re.search(r"The table below lists the (\d+) boards", figure)
        headings = re.findall(r'<th scope="col">([^<]*)</th>', figure)
        rows = figure.count("<tr") - 1
        if not said or headings != ["Board"] or int(said.group(1)) != rows:
            wrong.append(f"{page.name}: {said and said.group(0)}; {headings}; {rows} rows")
    assert len(list((root / "book" / "systems").glob("*.html"))) >= 36
    assert not wrong, wrong[:5]
