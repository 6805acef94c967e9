"""The PDF book: it has the chapters, a table of contents, and every chart as an image."""
from __future__ import annotations

import subprocess

import pytest

from .conftest import need_tool

pytestmark = pytest.mark.slow


def _text(pdf) -> str:
    need_tool("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_has_contents_and_chapters(pdf_book):
    text = _text(pdf_book)
    assert "Contents" in text
    for title in ["Reorganisation and national leadership"]:
        assert title in text, f"chapter {title!r} missing from the PDF"


def test_pdf_charts_are_images_not_empty_boxes(pdf_book, tmp_path):
    need_tool("pdfimages")
    out = subprocess.run(["pdfimages", "-list", str(pdf_book)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in out.splitlines()[2:] if ln.strip()]
    images = [r for r in rows if r[2] == "image"]
    assert len(images) >= 1, "no chart images in the PDF"
    # a chart is a real picture: reasonably large and not a single flat colour
    big = [r for r in images if int(r[3]) >= 300 and int(r[4]) >= 200]
    assert big, f"chart images are tiny: {images[:5]}"
    # extract the images as raw PPM and check each chart image has real content (many shades)
    subprocess.run(["pdfimages", str(pdf_book), str(tmp_path / "img")], check=True)
    flat = []
    for f in sorted(tmp_path.glob("img-*.ppm")):
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
