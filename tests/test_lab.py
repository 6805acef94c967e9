"""`make lab`: a chapter run in a real JupyterLab draws its charts, interactively and offline."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from .conftest import BIN, ROOT, need_tool

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_chapter_charts_render_in_jupyterlab_offline(tmp_path):
    exe = need_tool("chromium")
    work = tmp_path / "book"
    shutil.copytree(ROOT / "book", work)  # a copy: Lab's autosave must not touch the committed notebooks
    port = _free_port()
    env = dict(os.environ)
    env.pop("NHSREPORT_BOOK", None)
    # render every cell, not only those in view, so that the whole chapter's prose can be read
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "lab-settings")
    # a workspace of its own: JupyterLab otherwise restores the notebooks a reader (or an earlier run)
    # left open, and their unrun cells would be read with this chapter's
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "lab-workspaces")
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip",
        "127.0.0.1",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--notebook-dir={work}",
    ]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            page = b.new_page(viewport={"width": 1280, "height": 1600})
            remote = []
            page.on(
                "request",
                lambda r: (
                    remote.append(r.url)
                    if not r.url.startswith((base, "data:", "blob:", "ws://127.0.0.1", "http://127.0.0.1"))
                    else None
                ),
            )
            page.goto(f"{base}/lab/tree/01_reorganisation.ipynb", wait_until="networkidle")
            # the visible notebook: a workspace JupyterLab restores may hold a hidden one too
            page.wait_for_selector(".jp-Notebook >> visible=true", timeout=60000)
            # the notebook's cells are shown and its kernel has started and waits for code (the
            # status bar reads "Python 3 (ipykernel) | Idle", not "No Kernel | Initializing")
            page.wait_for_selector(".jp-Notebook .jp-Cell >> visible=true", timeout=60000)
            page.wait_for_function(
                "() => { const bar = document.getElementById('jp-main-statusbar');"
                " const text = bar ? bar.textContent : '';"
                " return /\\| *Idle/.test(text) && !text.includes('No Kernel'); }",
                timeout=60000,
            )
            page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=10000)
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=10000)
            page.wait_for_selector(
                ".jp-OutputArea-output .vega-embed svg, .jp-OutputArea-output .vega-embed canvas", timeout=120000
            )
            drawn = page.locator(".jp-OutputArea-output .vega-embed").count()
            # the prose shows the chapter's numbers, evaluated by the kernel: every {eval} of every
            # Markdown cell, once Run All has finished (no cell still waiting, "[*]")
            page.wait_for_function(
                "() => ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.innerText.includes('*'))",
                timeout=300000,
            )
            cells = page.locator(".jp-Notebook >> visible=true").first.locator(".jp-MarkdownCell").all_inner_texts()
            prose = "\n".join(cells)
            b.close()
        assert drawn >= 1
        assert "Key points" in prose
        failed = re.findall(r"\w+Error: [^\n]{0,80}", prose)
        assert not failed, f"numbers the kernel could not evaluate: {failed[:5]}"
        # jupyterlab-myst shows a figure's caption as written, in the box of a directive it does not
        # know ({glue:figure}); the prose outside captions is all evaluated
        key_points = next(c for c in cells if "Key points" in c)
        assert "{eval}" not in key_points and "{glue" not in key_points
        assert not remote, f"JupyterLab requested other hosts: {remote[:3]}"
    finally:
        server.terminate()
        server.wait(timeout=20)
