"""Numbers in the built text follow one style: "−5%", "4.2%", "£1,109", "+5" (true minus sign, no
space inside a number). :func:`nhsreport.formatting.number_style` is the one home of the rule; the
book applies it to every glued number it prints (``content.number_style_of_pasted_text``)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from nhsreport.formatting import NUMBER_STYLE_FAULT, number_ranges, number_style

from .conftest import ROOT

HTML = ROOT / "_build" / "html" / "book"
EXECUTED = ROOT / "_build" / "jupyter_execute" / "book"
CHAPTERS = ("01_reorganisation", "02_management", "03_systems", "04_integration", "05_conclusions")


def test_number_ranges_take_an_en_dash_and_a_bracketed_negative_a_minus_outside_quotations():
    """Defect 16 of the print review: "4.5–5.5%", "5–6 years", "(−2,552)"; a quotation, a span of
    years, an identifier and an age band are left alone."""
    assert number_ranges("which is 4.5-5.5% higher") == "which is 4.5\u20135.5% higher"
    assert (
        number_ranges("after up to 5-6 years; 1-3% of turnover") == "after up to 5\u20136 years; 1\u20133% of turnover"
    )
    assert number_ranges("fell to 21,600 (-2,552) while") == "fell to 21,600 (\u22122,552) while"
    for same in ("2014-15 and 2010-2015", "he said \u201cin 5-6 years\u201d", "v1.2-3 years", "ages 16-64"):
        assert number_ranges(same) == same


def test_number_style():
    assert number_style("- 5 %") == "\u22125%"
    assert number_style("£ 1,109") == "£1,109"
    assert number_style("+ 5") == "+5"
    assert number_style("4.2 %") == "4.2%"
    assert number_style("-14 to +5") == "\u221214 to +5"
    assert number_style("(-3.0%)") == "(\u22123.0%)"
    # hyphens inside spans of years and words are not minus signs
    assert number_style("2015-16 and A-1") == "2015-16 and A-1"


def test_the_faults_are_found():
    for fault in ("+ 5", "4.2 %", "£ 1,109", "fell by -5%", "(-14"):
        assert NUMBER_STYLE_FAULT.search(fault), fault
    for good in ("+5", "4.2%", "£1,109", "fell by \u22125%", "2015-16", "2010/11 to 2018/19"):
        assert not NUMBER_STYLE_FAULT.search(good), good


class _Text(HTMLParser):
    """The text a reader sees in a page: no scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _pasted(page: str) -> list[str]:
    """The glued numbers a built page prints (its ``pasted-text`` spans)."""
    return re.findall(r'<span class="pasted-text">([^<]*)</span>', page)


@pytest.mark.parametrize("chapter", (*CHAPTERS, "index"))
def test_built_pages_print_numbers_in_one_style(chapter, html_book):
    page = (HTML / f"{chapter}.html").read_text(encoding="utf-8")
    bad = [text for text in _pasted(page) if NUMBER_STYLE_FAULT.search(text)]
    assert not bad, f"{chapter}: {bad[:5]}"
    parser = _Text()
    parser.feed(page)
    text = re.sub(r"\s+", " ", "".join(parser.parts))
    spaced = re.findall(r".{30}(?:\d %|\u00a3 \d|(?<![\w\d=] )[+\u2212] \d).{10}", text)
    assert not spaced, f"{chapter}: {spaced[:5]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glued_strings_print_numbers_in_one_style(chapter, executed_chapters):
    glued = json.loads((EXECUTED / f"{chapter}.glue.json").read_text(encoding="utf-8"))
    texts = {name: rec.get("data", {}).get("text/plain", "") for name, rec in glued.items()}
    bad = {name: t for name, t in texts.items() if t.startswith("'") and re.search(r"\d %|\u00a3 \d|[+\u2212] \d", t)}
    assert not bad, bad
