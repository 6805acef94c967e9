"""The front page's key findings and chapter 5's conclusions follow the claims ledger.

Each finding (a bullet of the front page's "Key findings", a bullet of chapter 5's key points, and
every paragraph or bullet of chapter 5 that carries a ``{rests}`` marker) names the claims and
figures it rests on with the ``{rests}`` role (:mod:`nhsreport.publish.book.rests`). The test fails
a finding that

* names no claim and no figure, or names a claim the ledger does not have or a figure the book
  does not have;
* rests on a claim the ledger judges "not testable" or "not supported" without saying so, in words
  (:data:`SAYS_NOT_TESTABLE`, :data:`SAYS_NOT_SUPPORTED`) or by printing the ledger's verdict of that
  claim (``{eval}`concl_verdict_c14```);
* prints a number that is not glued: any digit left once the roles (``{glue:text}``, ``{eval}``,
  references, citations), years ("2013", "2025/26") and labels ("C07", "chapter 2") are taken out.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from nhsreport import data
from nhsreport.publish.book import rests

from .conftest import ROOT

BOOK = ROOT / "book"

#: Words that say a claim cannot be tested with these data.
SAYS_NOT_TESTABLE = re.compile(
    r"not testable|cannot be (tested|measured|shown|settled)|cannot (test|measure|show|settle|say|tell|answer)"
    r"|no measure|not measured",
    re.I,
)
#: Words that say a claim is not supported (or not shown) by the evidence.
SAYS_NOT_SUPPORTED = re.compile(r"not supported|not borne out|not shown|cannot be shown|contradict", re.I)

#: Roles whose content is glued, a reference or a citation: never a typed number.
ROLE = re.compile(r"\{[a-z:-]+\}`[^`]*`")
#: What may hold digits in a finding's own words: years, financial years, spans of years, labels,
#: and the units of a rate ("per 100 staff", "for every 100,000 people").
ALLOWED_DIGITS = re.compile(
    r"\b(19|20)\d\d(/\d\d)?(\s*[–-]\s*(19|20)?\d\d)?\b|\bC\d{2,}\b|\b(chapters?|figures?|tables?|sections?|§)\s*[\d.]+"
    r"|\b(per|every) 100(,000)?\b",
    re.I,
)


def _cells(name: str) -> list[str]:
    nb = nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _items(text: str) -> list[str]:
    """The bullets and paragraphs of a block of Markdown, each as one line of text."""
    items, current = [], []
    for line in text.splitlines():
        starts_item = re.match(r"^\s*[-*] ", line) or not line.strip()
        if starts_item and current:
            items.append(" ".join(current))
            current = []
        if line.strip() and not line.startswith(("```", ":class:", "(", "#")):
            current.append(re.sub(r"^\s*[-*] ", "", line).strip())
    if current:
        items.append(" ".join(current))
    return items


def _bullets(section: str) -> list[str]:
    return _items("\n".join(line for line in _bullet_lines(section)))


def _bullet_lines(section: str):
    inside = False
    for line in section.splitlines():
        if line.startswith("- "):
            inside = True
        elif line.strip() and not line.startswith("  "):
            inside = False
        if inside:
            yield line


def front_page_text() -> str:
    text = (BOOK / "index.md").read_text(encoding="utf-8")
    return re.search(r"^## Key findings\n(.*?)(?=^## )", text, re.S | re.M).group(1)


def chapter_5_findings() -> list[str]:
    """Chapter 5's key points, and each of its paragraphs or bullets with a ``{rests}`` marker."""
    cells = _cells("05_conclusions")
    keypoints = next(c for c in cells if ":class: keypoints" in c)
    points = list(_bullets(keypoints))
    marked = [item for c in cells if c is not keypoints for item in _items(c) if rests.MARKER.search(item)]
    return points + marked


def _findings():
    return [("front page", f) for f in _bullets(front_page_text())] + [("chapter 5", f) for f in chapter_5_findings()]


def _figure_labels() -> set[str]:
    names = set()
    for path in BOOK.glob("*.ipynb"):
        for source in _cells(path.stem):
            names |= set(re.findall(r"^:name: (fig-[\w-]+)", source, re.M))
    return names


@pytest.fixture(scope="module")
def verdicts() -> dict[str, str]:
    claims = data.load("claims")
    return dict(zip(claims["claim_id"].astype(str), claims["verdict"].astype(str)))


def test_there_are_findings_to_check():
    places = [place for place, _ in _findings()]
    assert places.count("front page") >= 4
    assert places.count("chapter 5") >= 4


@pytest.mark.parametrize("place,finding", _findings(), ids=lambda v: v[:40] if isinstance(v, str) else v)
def test_each_finding_names_what_it_rests_on(place, finding, verdicts):
    markers = rests.MARKER.findall(finding)
    assert markers, f"{place}: a finding names no claim or figure: {finding[:120]}"
    figures = _figure_labels()
    for marker in markers:
        claims, figs = rests.parse(marker)
        assert not (missing := [c for c in claims if c not in verdicts]), f"{place}: no such claim {missing}"
        assert not (missing := [f for f in figs if f not in figures]), f"{place}: no such figure {missing}"


@pytest.mark.parametrize("place,finding", _findings(), ids=lambda v: v[:40] if isinstance(v, str) else v)
def test_a_finding_says_when_its_claims_are_not_testable_or_not_supported(place, finding, verdicts):
    claims = [c for marker in rests.MARKER.findall(finding) for c in rests.parse(marker)[0]]
    for claim in claims:
        verdict = verdicts[claim]
        if f"concl_verdict_{claim.lower()}" in finding or claim.lower() in _sentence_claims(finding):
            continue  # the finding prints the ledger's verdict of the claim
        if verdict.startswith("not testable"):
            assert SAYS_NOT_TESTABLE.search(finding), f"{place}: {claim} is '{verdict}', unsaid: {finding[:160]}"
        elif verdict in ("not supported", "not shown"):
            assert SAYS_NOT_SUPPORTED.search(finding), f"{place}: {claim} is '{verdict}', unsaid: {finding[:160]}"


def _sentence_claims(finding: str) -> set[str]:
    """The claims whose verdicts a finding prints as one sentence (``{eval}`concl_verdicts_c11_c14```)."""
    return {claim for ids in re.findall(r"concl_verdicts((?:_c\d+)+)", finding) for claim in ids.strip("_").split("_")}


def test_a_verdict_sentence_names_its_claims():
    assert _sentence_claims("{eval}`concl_verdicts_c11_c14_c16` and more") == {"c11", "c14", "c16"}


def typed_numbers(text: str) -> list[str]:
    """The digits of ``text`` that are neither glued nor a year or a label."""
    words = ALLOWED_DIGITS.sub(" ", ROLE.sub(" ", text))
    return re.findall(r"\S*\d\S*", words)


def test_no_typed_numbers_in_the_front_pages_findings_or_the_conclusions():
    found = {f: typed_numbers(f) for f in _items(front_page_text())}
    found |= {f: typed_numbers(f) for f in chapter_5_findings()}
    typed = {f[:80]: n for f, n in found.items() if n}
    assert not typed, typed


def test_typed_numbers_are_found():
    assert typed_numbers("fell by 30% in {eval}`x` (2013 to 2025/26, claim C07, chapter 2)") == ["30%"]
    assert typed_numbers("{glue:text}`a.ipynb::n:d` trusts in 2012–2026, per 100 staff") == []
    assert typed_numbers("one in 100 staff, on 1 April") == ["100", "1"]


def test_the_marker_reads_claims_and_figures():
    assert rests.parse("C01, C14 fig-int-arrangements") == (["C01", "C14"], ["fig-int-arrangements"])
    with pytest.raises(ValueError):
        rests.parse("C01 Table 4.1")
    with pytest.raises(ValueError):
        rests.parse(" ")


def _render(text: str) -> nodes.inline:
    document = new_document("<test>", get_default_settings(Parser))
    inliner = type("Inliner", (), {"document": document, "reporter": document.reporter})()
    result, messages = rests.rests_role("rests", f"{{rests}}`{text}`", text, 1, inliner)
    assert not messages
    return result[0]


def test_the_marker_reads_as_claims_and_figures_with_links():
    node = _render("C01,C02 fig-mgmt-ratio")
    assert node.astext() == "(Claims C01, C02 · Figure {number})"
    refs = [n for n in node.findall() if n.tagname == "pending_xref"]
    assert [(r["reftype"], r["reftarget"]) for r in refs] == [
        ("ref", "claim-c01"),
        ("ref", "claim-c02"),
        ("numref", "fig-mgmt-ratio"),
    ]
    assert _render("fig-a fig-b").astext() == "(Figures {number}, {number})"


#: A verdict a chapter states for a claim: "(claim C03): not testable with these data", the word typed
#: or the ledger's verdict glued (``{eval}`mgmt_verdict_c03```).
CHAPTER_VERDICT = re.compile(r"\(claims? (C\d{2})\):\s*(\{eval\}`(\w+)`|[a-z][a-z ]*?)\s*\.?\*\*")
#: The verdicts of the rubric, longest first, so that "not supported" is not read as "supported".
VERDICT_WORDS = ("not testable with these data", "partly supported", "not supported", "not shown", "supported")


def chapter_verdicts() -> list[tuple[str, str, str]]:
    """Every verdict a chapter or appendix states for a named claim, as (page, claim, what it prints):
    the glued name (``mgmt_verdict_c03``) or the typed words."""
    found = []
    for path in sorted(BOOK.glob("*.ipynb")):
        for source in _cells(path.stem):
            for claim, printed, glued in CHAPTER_VERDICT.findall(source):
                found.append((path.stem, claim, glued or printed.strip()))
    return found


def test_chapter_verdicts_are_found():
    text = "- **The NHS (claim C01): {eval}`mgmt_verdict_c01`.** and **Only acute (claim C03): not supported.**"
    assert CHAPTER_VERDICT.findall(text) == [
        ("C01", "{eval}`mgmt_verdict_c01`", "mgmt_verdict_c01"),
        ("C03", "not supported", ""),
    ]
    assert any(page == "02_management" for page, _, _ in chapter_verdicts())


@pytest.mark.parametrize("page,claim,printed", chapter_verdicts())
def test_a_chapter_states_the_ledgers_verdict_of_a_claim(page, claim, printed, verdicts):
    """A chapter that gives a claim a verdict prints the ledger's, glued from it (a name ending in the
    claim's id) or typed in the ledger's own words."""
    if re.fullmatch(r"\w+_verdict_c\d{2}", printed):
        assert printed.endswith(claim.lower()), f"{page}: {claim} prints the verdict of another claim ({printed})"
        return
    typed = next((word for word in VERDICT_WORDS if printed.startswith(word)), printed)
    assert typed == verdicts[claim], f"{page}: {claim} is '{verdicts[claim]}' in the ledger, '{printed}' in the chapter"


def test_the_glued_verdicts_are_the_ledgers(verdicts):
    """The chapters' glued verdicts are read from the ledger (:func:`words.ledger_verdicts`)."""
    from nhsreport.publish.components import words

    glued = words.ledger_verdicts(data.load("claims"), ["C03", "C14"], "mgmt_verdict_")
    assert glued == {"mgmt_verdict_c03": verdicts["C03"], "mgmt_verdict_c14": verdicts["C14"]}
    with pytest.raises(KeyError):
        words.ledger_verdicts(data.load("claims"), ["C99"], "x_")
