"""The book as one publication: the claims ledger points at real evidence, every glossary term
used is defined, and each theme's claims point at that theme's chapter."""

from __future__ import annotations

import re

import nbformat
import pytest

from nhsreport import data

from .conftest import ROOT

BOOK = ROOT / "book"


def _sources() -> dict[str, str]:
    out = {}
    for p in sorted(BOOK.glob("*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        out[p.stem] = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for p in sorted(BOOK.glob("*.md")):
        out[p.stem] = p.read_text(encoding="utf-8")
    return out


def _labels(text: str) -> set[str]:
    return set(re.findall(r"^\(([\w-]+)\)=", text, re.M)) | set(re.findall(r"^:name: ([\w-]+)", text, re.M))


@pytest.fixture(scope="module")
def sources():
    return _sources()


def test_every_claim_has_a_verdict_and_links_to_existing_evidence(sources):
    labels_by_doc = {doc: _labels(text) for doc, text in sources.items()}
    all_labels = set().union(*labels_by_doc.values())
    claims = data.load("claims")
    assert len(claims) >= 12
    for _, c in claims.iterrows():
        assert c["verdict"] != "pending", f"{c['claim_id']} is still pending"
        assert c["verdict"] in ("supported", "partly supported", "not supported", "not testable with these data"), c[
            "claim_id"
        ]
        labels = [x.strip() for x in str(c["evidence"]).split(",") if x.strip()]
        assert labels, f"{c['claim_id']} names no evidence"
        missing = [x for x in labels if x not in all_labels]
        assert not missing, f"{c['claim_id']} points at missing labels {missing}"
        assert isinstance(c["reasoning"], str) and len(c["reasoning"]) > 30


@pytest.mark.parametrize(
    "theme,prefixes",
    [
        ("management", ("mgmt-", "fig-mgmt-")),
        ("structure", ("sys-", "fig-sys-", "concl-", "reorg-")),
        ("integration", ("int-", "fig-int-", "tab-int-", "concl-")),
    ],
)
def test_theme_claims_point_at_their_chapter(theme, prefixes):
    claims = data.load("claims")
    for _, c in claims[claims["theme"] == theme].iterrows():
        labels = [x.strip() for x in str(c["evidence"]).split(",")]
        if theme == "management" and c["claim_id"] in ("C26",):
            continue  # about the national bodies: evidence is in the reorganisation chapter
        assert any(x.startswith(prefixes) for x in labels), (
            f"{c['claim_id']} ({theme}) does not cite its chapter: {labels}"
        )


def test_every_glossary_term_used_is_defined(sources):
    glossary = (BOOK / "glossary.md").read_text(encoding="utf-8")
    block = glossary.split("```{glossary}", 1)[1].rsplit("```", 1)[0]
    defined = {ln.strip() for ln in block.splitlines() if ln and not ln[0].isspace()}
    used = set()
    for text in sources.values():
        for term in re.findall(r"\{term\}`([^`]+)`", text):
            m = re.match(r".*<(.+)>$", term)  # {term}`text <Term>`
            used.add((m.group(1) if m else term).strip())
    undefined = sorted(t for t in used if t not in defined and t.lower() not in {d.lower() for d in defined})
    assert not undefined, f"glossary terms used but not defined: {undefined}"
    required = [
        "ICS",
        "ICB",
        "ICP",
        "CCG",
        "STP",
        "PCT",
        "SHA",
        "CSU",
        "PCN",
        "NHSE/I",
        "Vanguard",
        "PACS",
        "MCP",
        "RCA",
        "FTE",
        "ESR",
        "ODS",
    ]
    assert not [t for t in required if t not in defined]
