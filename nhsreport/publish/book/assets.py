"""What the HTML book serves from ``_static``, staged once per site: the vega, vega-lite and
vega-embed JavaScript shipped by vl-convert (wrapped in a function scope so it cannot clash with
Sphinx's globals), the report's own scripts and style sheet, the boundary files maps refer to, every
processed dataset and the data package descriptor (under ``downloads/``, for the methods
appendix), the England briefing compiled from the same data (in the background), and the PDF book
when it was built.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from nhsreport import atomic, paths
from nhsreport.publish.book.freshness import key_inputs, remembered, stale

STATIC = Path(__file__).resolve().parent / "static"
VEGA_FILE = "nhsreport-vega.js"
PDF_BOOK = "nhs-integration-report.pdf"
PDF_BOOK_FILE = paths.BUILD / "pdf" / PDF_BOOK  # where make pdf writes it (nhsreport.publish.book.printbook)
BRIEFING = "england-briefing.pdf"


def geo_script(name: str, topojson: bytes) -> bytes:
    """A boundary file as a script that stores it in ``window.NHS_GEO`` under the address the
    charts use (``_static/geo/<name>``): a page opened from disk (``file://``) cannot fetch the
    JSON, but it can load a script (``nhsreport.js`` does so only then)."""
    key = json.dumps(f"_static/geo/{name}")
    return b"(window.NHS_GEO = window.NHS_GEO || {})[" + key.encode() + b"] = " + topojson.strip() + b";\n"


def vega_bundle() -> bytes:
    """The vega, vega-lite and vega-embed JavaScript shipped by vl-convert, in a function scope."""
    import vl_convert as vlc

    js = vlc.javascript_bundle()
    return (
        "/* vega, vega-lite and vega-embed, bundled by vl-convert-python; see their licences (BSD-3-Clause) */\n"
        "(function () {\n" + js + "\n})();\n"
    ).encode("utf-8")


def pdf_book_built() -> bool:
    """Whether the PDF book has been built (the HTML book then offers it for download)."""
    return PDF_BOOK_FILE.exists()


def prepare_static(app) -> None:
    """Stage the book's static files under the build folder and add it to ``html_static_path``."""
    out = Path(app.doctreedir).parent / "nhsreport_static"
    (out / "geo").mkdir(parents=True, exist_ok=True)
    # "downloads", not "data": Sphinx applies exclude_patterns (which list the project's data/)
    # to static folders too
    (out / "downloads").mkdir(parents=True, exist_ok=True)
    _stage_vega(out)
    for f in STATIC.iterdir():
        atomic.write_if_changed(out / f.name, f.read_bytes())
    for f in sorted((paths.PROCESSED / "geo").glob("*.topo.json")):
        atomic.write_if_changed(out / "geo" / f.name, f.read_bytes())
        atomic.write_if_changed(out / "geo" / f.name.replace(".json", ".js"), geo_script(f.name, f.read_bytes()))
    for f in sorted(paths.PROCESSED.glob("*.csv")):
        atomic.write_if_changed(out / "downloads" / f.name, f.read_bytes())
    if paths.DATAPACKAGE.exists():
        atomic.write_if_changed(out / "downloads" / "datapackage.json", paths.DATAPACKAGE.read_bytes())
    _stage_england_briefing(app, out)
    pdf = PDF_BOOK_FILE
    if pdf.exists():
        atomic.write_if_changed(out / "downloads" / PDF_BOOK, pdf.read_bytes())
    elif (out / "downloads" / PDF_BOOK).exists():
        (out / "downloads" / PDF_BOOK).unlink()
    if str(out) not in app.config.html_static_path:
        app.config.html_static_path.append(str(out))


def _stage_vega(out: Path) -> None:
    """The vega JavaScript, regenerated only when vl-convert (which ships it) changes: it takes seconds."""
    stamp = out / f".{VEGA_FILE}.key"
    key = f"vl-convert-python {version('vl-convert-python')}"
    if stale(stamp, key) or not (out / VEGA_FILE).exists():
        atomic.write_if_changed(out / VEGA_FILE, vega_bundle())
        atomic.write_text(stamp, key)


def _stage_england_briefing(app, out: Path) -> None:
    """The England briefing, compiled from the same data as this build, so the book and the
    briefing it offers cannot disagree (again only when the data or the briefing code changed):
    handed to the build's background process
    (:func:`nhsreport.publish.briefing.background.submit`, which compiles it while the chapters
    execute; its stamp is written once it is)."""
    templates = sorted((paths.PACKAGE / "publish" / "briefing").glob("*.typ"))

    def briefing_key() -> str:
        from nhsreport.publish.book.chapter import module_closure

        h = hashlib.sha256(paths.DATAPACKAGE.read_bytes() if paths.DATAPACKAGE.exists() else b"")
        for f in module_closure("from nhsreport.publish.briefing import background, render"):
            h.update(f.read_bytes())
        for f in templates:
            h.update(f.read_bytes())
        return h.hexdigest()

    key = remembered(app, "england-briefing", key_inputs(*templates), briefing_key)
    stamp = out / f".{BRIEFING}.key"
    if stale(stamp, key) or not (out / "downloads" / BRIEFING).exists():
        from nhsreport.publish.briefing import background

        job = {"kind": "england", "target": str(out / "downloads" / BRIEFING)}
        background.submit(job, background.ENGLAND, lambda results: atomic.write_text(stamp, key))
