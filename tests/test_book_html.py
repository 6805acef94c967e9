"""The HTML book, opened page by page in a real browser (Debian's chromium driven by Playwright):
every chart draws, no page logs a JavaScript error, nothing is requested from another host, and
every page passes axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules, reflows at 320 CSS pixels and
can be used from the keyboard."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from nhsreport.publish.components.charts.html import TABLE_ROWS

pytestmark = pytest.mark.slow


def _pages(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not any(part.startswith((".", "_")) for part in p.relative_to(root).parts)
    )


def _chart_problems(page, rel: str) -> tuple[list[str], int]:
    """Charts of the open page that did not draw or have no alternative text; and how many."""
    problems = []
    charts = page.locator(".nhs-chart")
    count = charts.count()
    for i in range(count):
        c = charts.nth(i)
        state = c.get_attribute("data-embedded")
        marks = c.locator(".nhs-chart-live svg [class*='mark-']").count()
        label = c.locator(".nhs-chart-graphic").get_attribute("aria-label") or ""
        if state != "done" or marks == 0:
            problems.append(f"{rel}: chart {i + 1} not drawn (state {state}, {marks} mark groups)")
        if len(label) < 20:
            problems.append(f"{rel}: chart {i + 1} has no alt text")
    return problems, count


def _figure_data_problems(page, rel: str) -> list[str]:
    """Every chart of the open page: a short alternative text, a longer description, a CSV of its
    data, a table of it and the save buttons."""
    problems = []
    for fig in page.locator(".nhs-chart").all():
        name = fig.get_attribute("data-figure")
        graphic = fig.locator(".nhs-chart-graphic")
        label = graphic.get_attribute("aria-label") or ""
        desc = page.locator(f"#{graphic.get_attribute('aria-describedby')}")
        csv = fig.locator("a.nhs-chart-csv")
        if not 40 <= len(label) <= 260:
            problems.append(f"{rel} {name}: alt text of {len(label)} characters: {label!r}")
        if desc.count() != 1 or len(desc.text_content()) <= len(label) // 2:
            problems.append(f"{rel} {name}: no longer description")
        if csv.count() != 1 or not csv.get_attribute("href").startswith("data:text/csv"):
            problems.append(f"{rel} {name}: no data download")
            continue
        rows = fig.locator("details table tbody tr").count()
        lines = len(unquote(csv.get_attribute("href").split(",", 1)[1]).strip().splitlines()) - 1
        if rows and rows != lines:
            problems.append(f"{rel} {name}: table has {rows} rows, the CSV {lines}")
        if not rows and lines <= TABLE_ROWS:
            problems.append(f"{rel} {name}: no table view of {lines} rows")
        if fig.locator(".nhs-chart-tools button").count() != 2:
            problems.append(f"{rel} {name}: no save buttons")
    return problems


@pytest.fixture(scope="module")
def visited(site, browser) -> dict:
    """Every page of the book opened once, its charts drawn, and what the checks below read of it:
    ``pages``, ``charts`` (how many), and the problems found of each kind (``drawing``,
    ``figure_data``, ``axe``, and ``reflow`` once the page is narrowed to 320 px). One visit a
    page serves the four checks."""
    root, base = site
    pages = _pages(root)
    found = {"pages": pages, "charts": 0, "drawing": [], "figure_data": [], "axe": [], "reflow": []}
    for rel in pages:
        page = browser.new_page()
        errors, remote = [], []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))

        def on_request(req, remote=remote):
            u = urlparse(req.url)
            if u.scheme in ("http", "https", "ws", "wss") and u.hostname not in ("127.0.0.1", "localhost"):
                remote.append(req.url)

        page.on("request", on_request)
        page.goto(f"{base}/{rel}", wait_until="load")
        redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', (root / rel).read_text(encoding="utf-8"))
        if redirect:  # the site's root page sends the reader on at once: check the page it opens, loaded
            page.wait_for_url(f"**/{redirect.group(1)}", wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.nhs-chart')].every(e => ['done','failed'].includes(e.dataset.embedded))",
            timeout=30000,
        )
        problems, count = _chart_problems(page, rel)
        found["drawing"] += problems
        found["charts"] += count
        if errors:
            found["drawing"].append(f"{rel}: JavaScript errors {errors[:3]}")
        if remote:
            found["drawing"].append(f"{rel}: requests to other hosts {remote[:3]}")
        found["figure_data"] += _figure_data_problems(page, rel)
        if _has_axe():
            for v in axe_violations(page):
                targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
                found["axe"].append(f"{rel}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements) {targets}")
        found["reflow"] += _too_wide(page, rel)
        page.close()
    return found


def _has_axe() -> bool:
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        return False
    return True


def test_every_page_draws_its_charts_without_errors_or_remote_requests(visited, html_book):
    assert any(p.startswith("book/") for p in visited["pages"])
    assert not visited["drawing"], "\n".join(visited["drawing"])
    assert visited["charts"] >= 1
    assert (html_book / "_static" / "downloads" / "datapackage.json").exists()


TIP = "#nhs-tooltip:not([hidden])"


def test_tooltips_can_be_hovered_dismissed_and_stay(site, browser):
    """WCAG 1.4.13: a mark's tooltip appears beside it and stays put, so the pointer can move onto
    it without it vanishing; it goes when the pointer has left both, or with Escape."""
    root, base = site
    page = _open(browser, base, "book/01_reorganisation.html")
    bar = page.locator(".nhs-chart-live svg g.mark-rect path").first
    bar.hover(force=True)
    tip = page.locator(TIP)
    assert page.evaluate("() => document.querySelectorAll('#vg-tooltip-element.visible').length") == 0
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(900)
    assert page.locator(TIP).count() == 1, "the tooltip vanishes when the pointer moves onto it"
    page.mouse.move(2, 2)
    page.wait_for_timeout(900)
    assert page.locator(TIP).count() == 0, "the tooltip stays after the pointer has left"
    bar.hover(force=True)
    tip.wait_for(state="visible", timeout=10000)
    page.keyboard.press("Escape")
    assert page.locator(TIP).count() == 0, "Escape does not close the tooltip"


def test_focus_is_never_hidden_under_a_sticky_table_header(site, browser):
    """WCAG 2.4.11: moving up the index's table of all boards with Shift+Tab, every focused link
    shows (nothing else is drawn at its place: not the sticky header, not the page's header)."""
    root, base = site
    covered = []
    for width, height in ((1280, 800), (800, 600)):
        page = _open(browser, base, "book/systems.html", viewport={"width": width, "height": height})
        page.evaluate(
            "() => { const w = [...document.querySelectorAll('.nhs-table-wrap')].find(w => w.querySelectorAll('tbody a').length > 30);"
            " const links = w.querySelectorAll('tbody a'); links[links.length - 1].focus(); }"
        )
        for _ in range(40):
            page.keyboard.press("Shift+Tab")
            page.wait_for_timeout(40)
            seen = page.evaluate(
                """() => { const el = document.activeElement; if (!el.closest('.nhs-table-wrap tbody')) return 'ok';
                   const r = el.getBoundingClientRect(); const s = document.elementFromPoint(r.left + Math.min(4, r.width / 2), r.top + r.height / 2);
                   return s && (s === el || el.contains(s) || s.contains(el)) ? 'ok' : (el.textContent + ' under ' + (s ? s.tagName : 'nothing')); }"""
            )
            if seen != "ok":
                covered.append(f"{width}px: {seen}")
        page.close()
    assert not covered, covered


def test_every_local_link_and_download_resolves(html_book):
    """No broken internal links: every local href/src in every page points at a built file, and
    every processed dataset is downloadable from the methods appendix."""
    import re
    from urllib.parse import unquote, urlsplit

    broken = []
    for page in html_book.rglob("*.html"):
        rel = page.relative_to(html_book)
        if any(part.startswith((".", "_")) for part in rel.parts):
            continue
        for url in re.findall(r'(?:href|src)="([^"#?]+)', page.read_text(encoding="utf-8")):
            if urlsplit(url).scheme or url.startswith(("//", "mailto:", "data:")):
                continue
            target = (page.parent / unquote(url)).resolve()
            if not target.exists():
                broken.append(f"{rel}: {url}")
    assert not broken, "\n".join(sorted(set(broken))[:30])
    methods = (html_book / "book" / "a2_methods.html").read_text(encoding="utf-8")
    from nhsreport.build.datasets import REGISTRY

    for name, ds in REGISTRY.items():
        if ds.kind == "table":
            assert f"_static/downloads/{name}.csv" in methods, f"no download link for {name}"
            assert (html_book / "_static" / "downloads" / f"{name}.csv").exists()
    assert (html_book / "_static" / "downloads" / "datapackage.json").exists()


def _open(browser, base, rel, **context):
    page = browser.new_context(**context).new_page() if context else browser.new_page()
    page.goto(f"{base}/{rel}", wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.nhs-chart')].every(e => ['done','failed'].includes(e.dataset.embedded))",
        timeout=30000,
    )
    return page


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """axe-core (shipped inside the axe-playwright-python package, injected from disk: nothing is
    downloaded) on the page as drawn: every violation of a WCAG A/AA rule, and every serious or
    critical violation of a best-practice rule."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    res = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS + ["best-practice"],
    )
    return [v for v in res["violations"] if set(v["tags"]) & set(WCAG_TAGS) or v["impact"] in ("serious", "critical")]


def test_every_page_passes_axe(visited):
    pytest.importorskip("axe_playwright_python")
    assert not visited["axe"], "\n".join(visited["axe"])


def _too_wide(page, rel: str) -> list[str]:
    """The open page, narrowed to 320 CSS px (as a reader zooming to 400% sees it): its width when
    it scrolls sideways, and the last element that sticks out (charts and tables scroll in their
    own box and do not count)."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_function("() => window.innerWidth === 320")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= 320:
        return []
    culprit = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.nhs-chart-graphic, .nhs-table-wrap, pre, .table-wrapper, .bd-sidebar-primary, .bd-sidebar-secondary'))
        .slice(-1).map(e => e.tagName + '.' + e.className).join()""")
    return [f"{rel}: {width} px wide ({culprit})"]


def test_pages_reflow_at_320_css_pixels(visited):
    """WCAG 1.4.10: no horizontal page scroll at 320 CSS px; charts and tables scroll in their box."""
    assert not visited["reflow"], "\n".join(visited["reflow"])


def test_every_figure_offers_its_data(visited):
    """Every chart: a short alternative text, a longer description, a CSV of its data and a
    table of it (the tooltip's Escape is checked with the keyboard below)."""
    assert visited["charts"] >= 20
    assert not visited["figure_data"], "\n".join(visited["figure_data"])


def test_keyboard_sorts_tables_and_closes_tooltips(site, browser):
    root, base = site
    page = _open(browser, base, "book/01_reorganisation.html")
    table = page.locator(".text_html > .nhs-table-wrap table.nhs-sortable").first  # a table of the text, not a figure's
    button = table.locator("thead th button.nhs-sort").nth(1)
    name = button.inner_text().strip()
    button.focus()
    page.keyboard.press("Shift+Tab")  # reach it from the keyboard, as a reader would
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('nhs-sort')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "a focused sort button shows no focus"
    page.keyboard.press("Enter")
    th = table.locator("thead th").nth(1)
    assert th.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Enter")
    assert th.get_attribute("aria-sort") == "descending"
    assert button.inner_text().strip() == name, "the sort arrow is read as part of the header"
    # every control of the page's header shows where the focus is
    for sel in ["button.sidebar-toggle.primary-toggle.btn", "button.dropdown-toggle[aria-label='Download this page']"]:
        el = page.locator(sel).first
        if el.count():
            el.focus()
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")
            style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert style not in ("none", ""), f"{sel}: no visible focus"
    path = page.locator(".nhs-chart-live svg g.mark-rect path").first
    path.hover(force=True)
    page.locator(TIP).wait_for(state="visible", timeout=10000)
    assert page.locator(TIP).count() == 1
    page.keyboard.press("Escape")
    assert page.locator(TIP).count() == 0, "Escape does not close the tooltip"
    page.close()


def test_every_table_has_a_caption(html_book):
    """Screen readers announce a table by its caption: every report table has one."""
    import re

    missing = []
    for page in sorted(html_book.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        n = len(re.findall(r'<table class="nhs-sortable"><thead>', text))
        if n:
            missing.append(f"{page.relative_to(html_book)}: {n} tables without a caption")
    assert not missing, "\n".join(missing)


def test_a_table_has_one_caption_its_number_title_and_text(html_book):
    """N1 and N15 of the third print review: the paragraph that writes what a table shows (a bold
    lead, then its text) is the table's caption, not a second caption above a numbered title."""
    import bs4

    page = bs4.BeautifulSoup((html_book / "book" / "02_management.html").read_text(encoding="utf-8"), "html.parser")
    merged = 0
    for box in page.select("div.nhs-numbered-table"):
        before = box.find_previous_sibling()
        while before is not None and before.name == "span":  # a label's anchor
            before = before.find_previous_sibling()
        lead = before.find(recursive=False) if before is not None and before.name == "p" else None
        assert lead is None or lead.name != "strong", f"a second caption above {box.get('id')}"
        merged += box.select_one("caption .nhs-caption-title") is not None
    captions = [" ".join(c.get_text().split()) for c in page.select("div.nhs-numbered-table caption")]
    words = next(c for c in captions if c.startswith("Table 2.4 "))
    assert re.match(
        r"Table 2\.4 Trusts far above most trusts in managers per 100 staff \(FTE\), \w+ \d{4}\. Trusts", words
    )
    assert words.count("Trusts far above") == 1 and "Source: NHS England" in words
    assert merged >= 6


def test_charts_and_maps_draw_when_the_site_is_opened_from_disk(html_book, browser):
    """A downloaded copy of the site, opened from disk (file://): every chart and map draws (a
    browser will not fetch() a file address, so the boundaries come from their script copies)."""
    for rel in ("book/03_systems.html", "book/systems.html"):
        page = browser.new_page()
        page.goto((html_book / rel).as_uri(), wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.nhs-chart')].every(e => ['done','failed'].includes(e.dataset.embedded))",
            timeout=30000,
        )
        states = page.evaluate(
            "() => [...document.querySelectorAll('.nhs-chart')].map(e => [e.dataset.figure, e.dataset.embedded,"
            " e.querySelectorAll('.nhs-chart-live svg path').length])"
        )
        assert any("map" in name for name, _, _ in states), f"{rel}: no map to check"
        blank = [name for name, state, marks in states if state != "done" or marks == 0]
        assert not blank, f"{rel} from disk: not drawn {blank}"
        page.close()


def test_charts_draw_from_disk_without_javascript(html_book, browser):
    """With scripts off (a locked-down browser) and the site opened from disk, every chart still
    shows its static drawing: the image file beside the page loads and has a size."""
    context = browser.new_context(java_script_enabled=False)
    for rel in ("book/03_systems.html", "book/02_management.html", "book/systems/QE1.html"):
        page = context.new_page()
        page.goto((html_book / rel).as_uri(), wait_until="load")
        images = page.evaluate(
            "() => [...document.querySelectorAll('.nhs-chart')].map(e => {"
            " const img = e.querySelector('.nhs-chart-static img, .nhs-chart-static svg');"
            " return [e.dataset.figure, img ? (img.tagName === 'svg' ? 1 : img.naturalWidth) : 0]; })"
        )
        assert images, f"{rel}: no chart"
        blank = [name for name, width in images if not width]
        assert not blank, f"{rel} without JavaScript: no drawing for {blank}"
        page.close()
    context.close()


PAGE_MAX_BYTES = 1_000_000  # issue: the largest page at most 1 MB, every chart still drawn


def test_every_page_weighs_at_most_a_megabyte_and_its_drawings_exist(html_book):
    """No HTML page is over 1 MB (a chart's static drawing is a file of its own, loaded only where
    the interactive chart is not drawn), and every drawing a page names exists."""
    heavy, missing = [], []
    for page in sorted((html_book / "book").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if len(text.encode("utf-8")) > PAGE_MAX_BYTES:
            heavy.append((page.name, len(text.encode("utf-8"))))
        for src in re.findall(r'class="nhs-chart-static"><img src="([^"]+)"', text):
            if not (page.parent / src).resolve().exists():
                missing.append((page.name, src))
    assert not heavy, f"pages over {PAGE_MAX_BYTES:,} bytes: {heavy}"
    assert not missing, f"static drawings missing: {missing[:5]}"


# ---------------------------------------------------------------------------------------------
# WCAG 1.4.12, 1.4.11, 2.4.7/2.4.11/2.5.8, descriptions and sorting
# ---------------------------------------------------------------------------------------------

#: The text-spacing bookmarklet's style sheet (WCAG 1.4.12's required spacing).
TEXT_SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
#: The check run in the page: the text boxes of the HTML around charts and tables (captions,
#: descriptions, data tables, links and buttons, the finder) that are cut or overlap one another
#: (a line inside a box that scrolls counts only where it shows). The charts' own SVG text is
#: text in an image of the chart, declared in the accessibility statement.
TEXT_SPACING_CHECK = (Path(__file__).parent / "text_spacing_check.js").read_text(encoding="utf-8")


def test_html_around_charts_takes_the_text_spacing_of_wcag_1_4_12(site, browser):
    root, base = site
    pages = ["book/02_management.html", "book/04_integration.html", "book/systems.html", "book/index.html"]
    pages.append(sorted((root / "book" / "systems").glob("*.html"))[0].relative_to(root).as_posix())
    found = []
    for width in (1280, 320):
        for rel in pages:
            page = _open(browser, base, rel, viewport={"width": width, "height": 900})
            page.add_style_tag(content=TEXT_SPACING_CSS)
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.wait_for_timeout(200)
            found += [f"{rel} at {width}px: {p}" for p in page.evaluate(TEXT_SPACING_CHECK)]
            if rel == pages[0] and width == 1280:  # the check sees a caption that is cut
                page.evaluate(
                    "() => { const c = document.querySelector('.nhs-chart-details p');"
                    " c.style.height = '1em'; c.style.overflow = 'hidden'; }"
                )
                assert any(p.startswith("clipped") for p in page.evaluate(TEXT_SPACING_CHECK))
            page.close()
    assert not found, "\n".join(found[:20])


def test_each_board_on_the_systems_map_shows_its_focus_at_24_pixels(site, browser):
    """WCAG 2.4.7 and 2.4.11: each board's keyboard stop on the index map shows a focus indicator
    (a black and white outline drawn over its neighbours, and a ring for a small board) at least
    24 CSS pixels each way; 2.5.8: every board is also a link in the table of all boards."""
    root, base = site
    page = _open(browser, base, "book/systems.html")
    stops = page.locator('.nhs-systems-map path[tabindex="0"]')
    assert stops.count() >= 30
    small = []
    for i in range(stops.count()):
        stops.nth(i).focus()
        box = page.evaluate(
            "() => { const g = document.querySelector('.nhs-map-focus'); if (!g) return null;"
            " const r = g.getBoundingClientRect(); return [r.width, r.height]; }"
        )
        if box is None or min(box) < 24:
            small.append(f"{stops.nth(i).get_attribute('aria-label')}: {box}")
    assert not small, small
    page.evaluate("() => document.activeElement.blur()")
    assert page.locator(".nhs-map-focus").count() == 0
    names = page.evaluate(
        "() => [...document.querySelectorAll('.nhs-systems-map path[tabindex=\"0\"]')].map(p => p.getAttribute('aria-label').replace('Open the profile of ', ''))"
    )
    table_links = page.evaluate(
        "() => [...document.querySelectorAll('.nhs-table-wrap tbody a')].map(a => a.textContent.trim())"
    )
    assert set(names) <= set(table_links), set(names) - set(table_links)
    page.close()


def test_tables_sort_figures_by_their_value(site, browser):
    """Every column of figures in the sortable tables of chapter 2 ("2,150", "£12.50", "4.5%",
    "−2.4") sorts by value, not as text."""
    root, base = site
    page = _open(browser, base, "book/02_management.html")
    bad = page.evaluate(
        r"""() => {
        const num = t => { const s = t.replace(/[\u2212\u2013]/g, '-').replace(/[,\s\u00a0£%]/g, '');
                           return /^[+-]?\d+(\.\d+)?$/.test(s) ? parseFloat(s) : null; };
        const bad = []; let checked = 0;
        document.querySelectorAll('table.nhs-sortable').forEach((table, t) => {
          const heads = table.querySelectorAll('thead th');
          heads.forEach((th, i) => {
            const cells = () => [...table.tBodies[0].rows].map(r => r.cells[i] ? r.cells[i].textContent.trim() : '');
            const values = cells().map(num);
            if (values.length < 3 || values.some(v => v === null) || !cells().some(c => /[,£%\u2212]/.test(c))) return;
            checked++;
            th.querySelector('button').click();
            const after = cells().map(num);
            for (let k = 1; k < after.length; k++) if (after[k] < after[k - 1]) {
              bad.push(`table ${t + 1} column ${i + 1}: ${after[k - 1]} before ${after[k]}`); break; }
          });
        });
        return {bad, checked}; }"""
    )
    assert bad["checked"] >= 3 and not bad["bad"], bad
    page.close()


IDENTIFIER = re.compile(r"_|^\w$|\brca\b|\(([^,()]+), \1\)", re.I)


def test_chart_descriptions_tooltips_and_tables_name_no_fields(html_book):
    """Every chart's short description (its aria-label), the headings of its data table and the
    titles of its tooltips are words for a reader: no field names ("managers_per_100_staff",
    "q", "y", "rca per head") and no place named twice ("(CCG, CCG)")."""
    import html as html_lib
    import json

    specs = re.compile(r'<script type="application/json" class="nhs-chart-spec">(.*?)</script>', re.S)
    found, charts = [], 0
    pages = sorted((html_book / "book").glob("*.html")) + sorted((html_book / "book" / "systems").glob("*.html"))[:3]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for label in re.findall(r'class="nhs-chart-graphic" role="\w+" aria-label="([^"]*)"', text):
            charts += 1
            words = re.sub(r"\d[\d,.]*", "", html_lib.unescape(label))
            if IDENTIFIER.search(words.replace("-", " ")):
                found.append(f"{page.name}: description {label!r}")
        for details in re.findall(r'<details class="nhs-chart-details">(.*?)</details>', text, re.S):
            for th in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', details, re.S):
                heading = html_lib.unescape(re.sub(r"<[^>]+>", "", th)).strip()
                if IDENTIFIER.search(heading) or heading.lower() == "rca per head":
                    found.append(f"{page.name}: table heading {heading!r}")
        for payload in specs.findall(text):
            for tip in _tooltips(json.loads(payload.replace("<\\/", "</"))):
                if not tip.get("title") or IDENTIFIER.search(str(tip["title"])):
                    found.append(f"{page.name}: tooltip of {tip.get('field')!r} titled {tip.get('title')!r}")
    assert charts >= 40
    assert not found, "\n".join(sorted(set(found))[:30])


def _tooltips(node):
    if isinstance(node, dict):
        tips = (node.get("encoding") or {}).get("tooltip")
        for tip in tips if isinstance(tips, list) else [tips] if isinstance(tips, dict) else []:
            if "field" in tip:
                yield tip
        for v in node.values():
            yield from _tooltips(v)
    elif isinstance(node, list):
        for v in node:
            yield from _tooltips(v)


def test_the_statement_gives_a_contact_or_the_copys_publisher_and_no_placeholder(html_book):
    """The accessibility statement prints the configured contact, or in a build given none sends
    readers to the publisher of their copy; never a gap, a placeholder address or an unfilled
    substitution."""
    import os

    text = (html_book / "book" / "accessibility.html").read_text(encoding="utf-8")
    assert "{{" not in text and "example.org" not in text and "example.com" not in text
    if os.environ.get("NHSREPORT_CONTACT"):
        assert os.environ["NHSREPORT_CONTACT"].removeprefix("mailto:") in text
    else:
        assert "organisation that published this copy" in text and "No contact given" not in text
    for needed in ("Equality Advisory and Support Service", "Equality and Human Rights Commission", "1.4.12"):
        assert needed in text


def test_sidebars_open_from_the_keyboard_on_a_narrow_screen(site, browser):
    """At 700 CSS px (a phone, or 400% zoom) the chapters and the page contents are behind two
    buttons: each opens its sidebar from the keyboard, with its links, and Escape closes it and
    gives the focus back to the button (WCAG 1.4.10, 2.1.1)."""
    _, base = site
    page = browser.new_page(viewport={"width": 700, "height": 900})
    page.goto(f"{base}/book/02_management.html", wait_until="load")
    for side in ("primary", "secondary"):
        button = page.locator(f".{side}-toggle:visible").first
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        dialog = f"#pst-{side}-sidebar-modal"
        assert page.evaluate(f"() => document.querySelector('{dialog}').open"), f"{side} sidebar did not open"
        assert page.locator(f"{dialog} a").count() >= 5, f"{side} sidebar has no links"
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert not page.evaluate(f"() => document.querySelector('{dialog}').open")
        assert page.evaluate(f"() => document.activeElement.classList.contains('{side}-toggle')")
    page.close()


def test_toolbar_labels_are_the_browsers_own(site, browser):
    """The toolbar's buttons keep their names and their title, which the browser shows as its own
    tooltip; the theme's Bootstrap tooltips, which vanished when the pointer moved onto them (WCAG
    1.4.13), are never shown, on hover or on focus."""
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/book/02_management.html", wait_until="load")
    page.wait_for_timeout(300)
    assert page.locator("[data-bs-toggle='tooltip']").count() == 0
    buttons = page.locator(".bd-header-article button:visible, .search-button__button:visible")
    assert buttons.count() >= 3
    shown = "() => [...document.querySelectorAll('.tooltip')].filter(t => t.getClientRects().length).length"
    for i in range(buttons.count()):
        button = buttons.nth(i)
        assert button.get_attribute("title"), f"no title (no tooltip on hover): {button.get_attribute('aria-label')}"
        page.mouse.move(0, 0)
        button.hover()
        page.wait_for_timeout(800)
        assert page.evaluate(shown) == 0, f"a Bootstrap tooltip on hover: {button.get_attribute('title')}"
        button.focus()
        page.wait_for_timeout(800)
        assert page.evaluate(shown) == 0, f"a Bootstrap tooltip on focus: {button.get_attribute('title')}"
    # the "Download this page" menu names its items in words, not by a file suffix alone
    items = page.locator(".dropdown-download-buttons .dropdown-item").all_text_contents()
    assert [t.strip() for t in items] == ["Notebook (.ipynb)", "Print or save as PDF"], items
    page.close()


def test_sort_buttons_show_whole_when_shift_tab_reaches_them(site, browser):
    """Chapter 3's table of the boards scrolls sideways at 1,280 pixels: moving back through its
    heading's sort buttons with Shift+Tab, each focused button and its ring lie inside the box
    (WCAG 2.4.7, 2.4.11)."""
    _, base = site
    page = _open(browser, base, "book/03_systems.html", viewport={"width": 1280, "height": 800})
    wide = page.evaluate(
        """() => { const w = [...document.querySelectorAll('.nhs-table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1
             && w.querySelectorAll('thead button.nhs-sort').length > 5);
           w.forEach((x, i) => { x.dataset.wide = i; }); return w.length; }"""
    )
    assert wide >= 1
    cut = []
    for i in range(wide):
        buttons = page.locator(f".nhs-table-wrap[data-wide='{i}'] thead button.nhs-sort")
        buttons.last.focus()
        for _ in range(buttons.count() - 1):
            page.keyboard.press("Shift+Tab")
            page.wait_for_timeout(40)
            outside = page.evaluate(
                """() => { const b = document.activeElement, w = b.closest('.nhs-table-wrap'); if (!w) return null;
                   const r = b.getBoundingClientRect(), box = w.getBoundingClientRect(), left = box.left + w.clientLeft;
                   return r.left - 5 < left || r.right + 5 > left + w.clientWidth ? b.textContent.trim() : null; }"""
            )
            if outside:
                cut.append(outside)
    page.close()
    assert not cut, cut


def test_links_keep_their_contrast_on_hover(site, browser):
    """On hover, a link's text (body text, the sidebars, the page's contents, a heading's "#"
    permalink) keeps 4.5:1 against the white page and stays underlined (WCAG 1.4.3)."""
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/book/02_management.html", wait_until="load")
    selectors = [
        ".bd-article p a.reference",
        ".bd-sidebar-primary a.reference",
        ".bd-toc a",
        ".bd-article h2 a.headerlink",
    ]
    bad = []
    for selector in selectors:
        link = page.locator(f"{selector}:visible").first if selector != selectors[-1] else page.locator(selector).first
        heading = page.locator(".bd-article h2").first
        (heading if selector == selectors[-1] else link).hover()
        page.wait_for_timeout(300)
        colour, underline = link.evaluate(
            "a => { const s = getComputedStyle(a); return [s.color, s.textDecorationLine]; }"
        )
        rgb = [int(c) for c in re.findall(r"\d+", colour)[:3]]
        ratio = _contrast_on_white(rgb)
        if ratio < 4.5:
            bad.append(f"{selector}: {colour} {ratio:.2f}:1")
        if selector == selectors[0] and "underline" not in underline:
            bad.append(f"{selector}: not underlined on hover")
    page.close()
    assert not bad, bad


def _contrast_on_white(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (lum + 0.05)


def test_closing_the_search_returns_the_focus_to_its_button(site, browser):
    """Search opened from its button and closed with Escape: the focus is on the button again, not
    at the top of the page (WCAG 2.4.3); at a desktop width and a narrow one."""
    _, base = site
    for width in (1280, 700):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base}/book/03_systems.html", wait_until="load")
        button = page.locator(".search-button__button:visible, .search-button:visible").first
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('pst-search-dialog').open", timeout=3000)
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        assert not page.evaluate("() => document.getElementById('pst-search-dialog').open")
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a && a.closest('.search-button__button, .search-button') ? 'search button' : a.tagName; }"
        )
        assert focused == "search button", f"at {width} px the focus went to {focused}"
        page.close()


def test_the_site_is_light_whatever_the_reader_prefers(site, browser):
    """One colour scheme: the light one the charts are drawn for, with no switcher, even when the
    system prefers dark or an earlier visit saved a choice of dark (WCAG 1.4.3)."""
    _, base = site
    context = browser.new_context(color_scheme="dark")
    context.add_init_script(
        "window.localStorage.setItem('mode', 'dark'); window.localStorage.setItem('theme', 'dark');"
    )
    page = context.new_page()
    for rel in ("book/02_management.html", "book/systems.html"):
        page.goto(f"{base}/{rel}", wait_until="load")
        page.wait_for_timeout(200)
        assert page.evaluate("() => document.documentElement.dataset.theme") == "light", rel
        assert page.locator(".theme-switch-button:visible").count() == 0, f"{rel}: a colour scheme switcher"
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"{rel}: page background {background}"
    context.close()


#: The check of the text inside the charts' SVG (tests/chart_text_spacing_check.js).
CHART_TEXT_CHECK = (Path(__file__).parent / "chart_text_spacing_check.js").read_text(encoding="utf-8")
#: Texts that touch once the spacing is set, by figure, declared in the accessibility statement:
#: tick labels and labels placed at fixed positions, which do not move apart.
CHART_TEXT_TOUCHING = {
    "fig-mgmt-orgtype",
    "fig-mgmt-rca",
    "fig-int-trusts",
    "fig-int-dissolved",
    "fig-reorg-timeline",
    "fig-reorg-commissioners",
    "fig-sys-distributions",
    "fig-sys-practices",
}


def _drawn(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.nhs-chart')].every(e => ['done','failed'].includes(e.dataset.embedded))",
        timeout=30000,
    )


def test_chart_text_takes_the_text_spacing_of_wcag_1_4_12(site, browser):
    """With the text-spacing bookmarklet's style sheet added to a drawn page, the charts are drawn
    again with their text measured at that spacing: no chart text leaves its chart, none is cut
    short with an ellipsis that was whole before, and no two texts touch that did not touch
    before, but in the declared figures."""
    _, base = site
    pages = ["book/01_reorganisation.html", "book/02_management.html", "book/03_systems.html"]
    pages += ["book/04_integration.html", "book/systems/QE1.html"]
    outside, touching, cut, redrawn = [], [], [], 0
    for rel in pages:
        page = _open(browser, base, rel, viewport={"width": 1280, "height": 900})
        _drawn(page)
        before = set(page.evaluate(CHART_TEXT_CHECK))
        page.evaluate("() => document.querySelectorAll('.nhs-chart-live').forEach(e => { e.dataset.before = '1'; })")
        page.add_style_tag(content=TEXT_SPACING_CSS)
        page.wait_for_function("() => !document.querySelector('.nhs-chart-live[data-before]')", timeout=10000)
        _drawn(page)
        redrawn += page.locator(".nhs-chart-live").count()
        for problem in page.evaluate(CHART_TEXT_CHECK):
            figure, kind = problem.split(": ")[:2]
            if kind == "outside":
                outside.append(f"{rel} {problem}")
            elif kind == "cut" and problem not in before:
                cut.append(f"{rel} {problem}")
            elif problem not in before and figure not in CHART_TEXT_TOUCHING:
                touching.append(f"{rel} {problem}")
        page.close()
    assert redrawn >= 30
    assert not outside, "chart text cut at the edge of its chart:\n" + "\n".join(outside[:20])
    assert not touching, "chart text touching once spaced:\n" + "\n".join(touching[:20])
    assert not cut, "chart text cut short with an ellipsis once spaced:\n" + "\n".join(cut[:20])


def test_every_table_box_that_scrolls_is_a_named_region(site, browser):
    """A table box that scrolls, down or across, is a tab stop (to scroll it from the keyboard), and
    every tab stop is a region named after its table, whichever page wrote it (a board's profile:
    "Headline figures", "Local authority districts"; a chapter). One that does not scroll is not a
    tab stop."""
    _, base = site
    bad, scrolling = [], 0
    for rel, width in (("book/systems/QE1.html", 1280), ("book/systems/QE1.html", 320), ("book/03_systems.html", 1280)):
        page = _open(browser, base, rel, viewport={"width": width, "height": 900})
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.nhs-table-wrap')].map(w => ({
                scrolls: w.scrollHeight > w.clientHeight + 1 || w.scrollWidth > w.clientWidth + 1,
                tabindex: w.getAttribute('tabindex'), role: w.getAttribute('role'),
                label: (w.getAttribute('aria-label') || '').trim(),
                caption: ((w.querySelector('caption') || {}).textContent || '').trim()}))"""
        )
        for box in boxes:
            name = f"{rel} at {width} px: {box['caption'][:50]!r}"
            if box["scrolls"]:
                scrolling += 1
                if box["tabindex"] != "0":
                    bad.append(f"{name} scrolls but is no tab stop")
            elif box["tabindex"] is not None:
                bad.append(f"{name} is a tab stop but does not scroll")
            if box["tabindex"] == "0" and (box["role"] != "region" or not box["label"]):
                bad.append(f"{name} is a tab stop with role {box['role']!r} and label {box['label']!r}")
        page.close()
    assert scrolling >= 2, "no table box scrolls: the check checked nothing"
    assert not bad, "\n".join(bad)


def _contrast(rgb_a, rgb_b) -> float:
    def luminance(rgb):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])

    hi, lo = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_search_fields_border_stands_out_3_to_1(site, browser):
    """The sidebar's Search field is drawn by its border alone (its fill is as light as the page):
    the border has 3:1 against the fill and against the sidebar behind it (WCAG 1.4.11)."""
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/book/02_management.html", wait_until="load")
    border, fill, behind = page.locator(".search-button-field:visible").first.evaluate(
        """e => { const s = getComputedStyle(e); let p = e.parentElement, bg = 'rgba(0, 0, 0, 0)';
            while (p && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { bg = getComputedStyle(p).backgroundColor; p = p.parentElement; }
            return [s.borderTopColor, s.backgroundColor, /rgba\\(0, 0, 0, 0\\)/.test(bg) ? 'rgb(255, 255, 255)' : bg]; }"""
    )
    page.close()
    rgb = {
        k: [int(c) for c in re.findall(r"\d+", v)[:3]]
        for k, v in (("border", border), ("fill", fill), ("behind", behind))
    }
    assert _contrast(rgb["border"], rgb["fill"]) >= 3, (border, fill)
    assert _contrast(rgb["border"], rgb["behind"]) >= 3, (border, behind)


def test_page_titles_name_the_site_once(html_book):
    """Each page's <title> names the site once: the front page, whose own title is the site's
    name, is not "X — X"; the other pages are "page — site"."""
    titles = {
        rel: re.search(r"<title>(.*?)</title>", (html_book / rel).read_text(encoding="utf-8"), re.S).group(1)
        for rel in ("book/index.html", "book/01_reorganisation.html", "book/systems/QE1.html")
    }
    site_name = titles["book/index.html"]
    assert "&#8212;" not in site_name and "\u2014" not in site_name, site_name
    for rel in ("book/01_reorganisation.html", "book/systems/QE1.html"):
        assert titles[rel].endswith(f"&#8212; {site_name}") and titles[rel].count(site_name) == 1, titles[rel]


def test_chapters_link_each_mention_of_a_boards_profile(html_book):
    """In the HTML chapters every mention of a board's profile ("the profile of each board", "its
    profile", "your board's profile") is a link to the Systems page, which lists the profiles."""
    from bs4 import BeautifulSoup

    unlinked, linked = [], 0
    for name in ("01_reorganisation", "02_management", "04_integration"):
        soup = BeautifulSoup((html_book / "book" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select(".nhs-print-only"):
            tag.decompose()
        for para in soup.select("article p, article li"):
            for match in re.finditer(r"(?:profile of each board|(?:its|board's|board’s) profile)\b", para.get_text()):
                links = [a for a in para.find_all("a") if match.group(0) in a.get_text()]
                if not links or not any("systems.html" in a.get("href", "") for a in links):
                    unlinked.append(f"{name}: {match.group(0)!r} in {para.get_text()[:80]!r}")
                else:
                    linked += 1
    assert linked >= 6, linked
    assert not unlinked, "\n".join(unlinked)
