"""The HTML book, opened page by page in a real browser (Debian's chromium driven by Playwright):
every chart draws, no page logs a JavaScript error, and nothing is requested from another host."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import need_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(html_book):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html_book))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield html_book, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    exe = need_tool("chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic"])
        yield b
        b.close()


def _pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not any(part.startswith((".", "_")) for part in p.relative_to(root).parts))


def test_every_page_draws_its_charts_without_errors_or_remote_requests(site, browser):
    root, base = site
    pages = _pages(root)
    assert any(p.startswith("book/") for p in pages)
    problems, n_charts = [], 0
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
        charts = page.locator(".nhs-chart")
        count = charts.count()
        if count:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.nhs-chart')].every(e => ['done','failed'].includes(e.dataset.embedded))",
                timeout=30000)
        for i in range(count):
            c = charts.nth(i)
            state = c.get_attribute("data-embedded")
            marks = c.locator(".nhs-chart-live svg [class*='mark-']").count()
            label = c.get_attribute("aria-label") or ""
            if state != "done" or marks == 0:
                problems.append(f"{rel}: chart {i + 1} not drawn (state {state}, {marks} mark groups)")
            if len(label) < 20:
                problems.append(f"{rel}: chart {i + 1} has no alt text")
        n_charts += count
        if errors:
            problems.append(f"{rel}: JavaScript errors {errors[:3]}")
        if remote:
            problems.append(f"{rel}: requests to other hosts {remote[:3]}")
        page.close()
    assert not problems, "\n".join(problems)
    assert n_charts >= 1


def test_tooltips_work(site, browser):
    root, base = site
    page = browser.new_page()
    page.goto(f"{base}/book/01_reorganisation.html", wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.nhs-chart')].every(e => e.dataset.embedded === 'done')", timeout=30000)
    path = page.locator(".nhs-chart-live svg path[role='graphics-symbol']").first
    path.hover(force=True)
    page.wait_for_timeout(300)
    tip = page.locator("#vg-tooltip-element")
    assert tip.count() == 1 and tip.inner_text().strip(), "hovering a map area shows no tooltip"
    page.close()


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
