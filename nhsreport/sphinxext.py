"""Sphinx extension for the book (listed in ``_config.yml``).

* Tells chart code it runs inside a book build (``NHSREPORT_BOOK=1`` for the kernels it starts).
* Serves, once per site, everything charts and tables need with no network: the vega,
  vega-lite and vega-embed JavaScript shipped by vl-convert (wrapped in a function scope so it
  cannot clash with Sphinx's globals), the report's small script and style sheet, and the
  boundary files maps refer to.
* Publishes every processed dataset and the data package descriptor under ``_static/data/`` so
  that readers can download them from the methods appendix.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import atomic, paths

STATIC = Path(__file__).resolve().parent / "static"
VEGA_FILE = "nhsreport-vega.js"

os.environ["NHSREPORT_BOOK"] = "1"


def _write_if_changed(target: Path, blob: bytes) -> None:
    if not target.exists() or target.read_bytes() != blob:
        atomic.write_bytes(target, blob)


def vega_bundle() -> bytes:
    import vl_convert as vlc

    js = vlc.javascript_bundle()
    return ("/* vega, vega-lite and vega-embed, bundled by vl-convert-python; see their licences (BSD-3-Clause) */\n"
            "(function () {\n" + js + "\n})();\n").encode("utf-8")


def _prepare_static(app) -> None:
    out = Path(app.doctreedir).parent / "nhsreport_static"
    (out / "geo").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    _write_if_changed(out / VEGA_FILE, vega_bundle())
    for f in STATIC.iterdir():
        _write_if_changed(out / f.name, f.read_bytes())
    for f in sorted((paths.PROCESSED / "geo").glob("*.topo.json")):
        _write_if_changed(out / "geo" / f.name, f.read_bytes())
    for f in sorted(paths.PROCESSED.glob("*.csv")):
        _write_if_changed(out / "data" / f.name, f.read_bytes())
    if paths.DATAPACKAGE.exists():
        _write_if_changed(out / "data" / "datapackage.json", paths.DATAPACKAGE.read_bytes())
    if str(out) not in app.config.html_static_path:
        app.config.html_static_path.append(str(out))


def _builder_inited(app) -> None:
    if app.builder.format == "html":
        _prepare_static(app)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """The book uses no live code cells: drop sphinx-thebe's scripts (jupyter-book adds them,
    sometimes twice, which is a JavaScript error on every page)."""
    files = context.get("script_files")
    if files is None:
        return
    keep = [js for js in files if "thebe" not in str(js) and "THEBE" not in str(getattr(js, "attributes", {}).get("body", ""))]
    files[:] = keep


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.add_js_file(VEGA_FILE)
    app.add_js_file("nhsreport.js")
    app.add_css_file("nhsreport.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


