"""The PDF book: it has the chapters, a table of contents, and every chart as an image."""
from __future__ import annotations

import subprocess

import pytest

from .conftest import need_tool, pdf_objects

pytestmark = pytest.mark.slow


def _text(pdf) -> str:
    need_tool("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


CHAPTERS = ["Reorganisation and national leadership", "Management capacity", "The shape of integrated care systems",
            "Contractual versus structural integration", "Conclusions: questions for every NHS board"]


def test_pdf_has_a_table_of_contents_and_numbered_chapters(pdf_book):
    import re
    text = _text(pdf_book)
    toc = text[: text.index("Appendix A")] if "Appendix A" in text else text[:20000]
    for n, title in enumerate(CHAPTERS, start=1):
        assert re.search(rf"^\s*{n}\s+{re.escape(title)}.*\s\d+\s*$", toc, re.M), f"chapter {n} {title!r} not in the contents"
        assert re.search(rf"CHAPTER\s*\n+\s*{['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'][n - 1]}", text), f"chapter {n} heading missing"
    for title in ["Appendix A: Claims ledger", "Appendix B: Methods and data", "Glossary"]:
        assert title in text
    assert re.search(r"Fig\. 2\.1", text), "figures are not numbered by chapter"


def test_pdf_charts_are_images_not_empty_boxes(pdf_book, tmp_path):
    need_tool("pdfimages")
    out = subprocess.run(["pdfimages", "-list", str(pdf_book)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in out.splitlines()[2:] if ln.strip()]
    images = [r for r in rows if r[2] == "image"]  # not the "smask" transparency masks beside them
    import nbformat
    from .conftest import ROOT
    figures = sum(c.source.count("{glue:figure}") for p in (ROOT / "book").glob("*.ipynb")
                  for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")
    assert len(images) >= figures, f"{len(images)} images in the PDF for {figures} figures"
    # a chart is a real picture: reasonably large and not a single flat colour
    big = [r for r in images if int(r[3]) >= 300 and int(r[4]) >= 200]
    assert big, f"chart images are tiny: {images[:5]}"
    # extract the images as raw PPM and check each chart image has real content (many shades)
    subprocess.run(["pdfimages", str(pdf_book), str(tmp_path / "img")], check=True)
    flat = []
    for r in images:
        f = tmp_path / f"img-{int(r[1]):03d}.ppm"
        pixels = _ppm_pixels(f.read_bytes())
        if len(set(pixels[:: max(1, len(pixels) // 20000)])) < 8:
            flat.append(f.name)
    assert not flat, f"images with (almost) no content: {flat}"


def _ppm_pixels(blob: bytes) -> bytes:
    """Pixel bytes of a binary PPM/PGM (P6/P5): skip the header's four tokens."""
    fields, i = [], 0
    while len(fields) < 4:
        while blob[i:i + 1].isspace():
            i += 1
        if blob[i:i + 1] == b"#":
            i = blob.index(b"\n", i) + 1
            continue
        j = i
        while not blob[j:j + 1].isspace():
            j += 1
        fields.append(blob[i:j])
        i = j
    return blob[i + 1:]


def test_pdf_declares_its_language_and_shows_its_title(pdf_book):
    """The PDF book cannot be tagged (pdfLaTeX); it declares its language and has viewers show
    its title rather than the file name."""
    import re
    pdf = pdf_objects(pdf_book)
    assert re.search(rb"/Lang\s*\(en-GB\)", pdf), "no /Lang in the catalog"
    assert re.search(rb"/DisplayDocTitle\s*true", pdf), "no DisplayDocTitle"
    need_tool("pdfinfo")
    info = subprocess.run(["pdfinfo", str(pdf_book)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Joining up the NHS", info, re.M), info
