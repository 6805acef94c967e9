"""Reporting periods are read from the data, never typed: after `make refresh` and `make data` the
words "November 2025" or "2025/26" must move with the numbers. So no string the analysis, the
publishing code or a chapter's code holds may name the period of the latest edition of a dataset
that is refreshed (its ``x_as_of`` in ``data/datapackage.json``), in any of the ways the report
writes it. Docstrings may (they explain, they are not printed). Nor may the prose of the chapters
and pages (the Markdown of ``book/*.ipynb`` and ``book/*.md``), which writes them as
``{eval}`period_staff``` and the like (:func:`nhsreport.publish.components.words.period_numbers`),
except where the words mean something else (:data:`NOT_PERIODS`)."""

from __future__ import annotations

import ast
import json
import re

import pandas as pd
import pytest

from nhsreport.formatting import MONTHS

from .conftest import ROOT

#: Datasets whose latest edition moves: the monthly workforce statistics and the ODS trust file,
#: which `make refresh` brings in, and the allocations, republished for each financial year. (The
#: headcount series and the by-organisation series of managers ended in 2022 and 2018.)
REFRESHED = ("staff_by_org", "trusts", "icb_allocations")


#: Phrases of the prose that write a period's words but do not mean the period of the data: policy
#: targets set for a year. Each is quoted with enough context that a period typed anywhere else
#: (even in the same paragraph) still fails.
NOT_PERIODS = (
    # chapter 1: the target of 2023 for ICBs' running costs, cut by 30% in real terms by 2025/26
    '`f"{reorg_cut_2026_target:.0f}"`% in real terms by 2025/26; in cash',
    '`f"{reorg_cut_2026_target:.0f}"`% by 2025/26, both in real terms {cite:p}`pa_icbcosts`',
    # chapter 2: the same target, 20% by 2024/25 and 30% by 2025/26 in real terms
    '`f"{mgmt_cut_2023_30:.0%}"` by 2025/26 in real terms',
)


def _period_forms() -> dict[str, str]:
    """Every way the report writes the refreshed datasets' periods: form -> dataset."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    forms = {}
    for r in package["resources"]:
        as_of = str(r.get("x_as_of") or "")
        if r["name"] not in REFRESHED or not as_of:
            continue
        if re.fullmatch(r"\d{4}/\d{2}", as_of):  # a financial year
            forms[as_of] = r["name"]
            continue
        d = pd.Timestamp(as_of if len(as_of) > 7 else as_of + "-01")
        month = MONTHS[d.month - 1]
        for form in (f"{month} {d.year}", f"{month[:3]} {d.year}", d.strftime("%Y-%m")):
            forms[form] = r["name"]
        if len(as_of) > 7:
            forms[as_of] = r["name"]
    return forms


def _strings(source: str):
    """(line, text) of every string constant of ``source`` that is not a docstring."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def _sources():
    for folder in ("analysis", "publish"):
        for path in sorted((ROOT / "nhsreport" / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells, start=1):
            if cell["cell_type"] == "code":
                yield f"{path.relative_to(ROOT).as_posix()} cell {i}", "".join(cell["source"])


def test_the_forms_of_the_periods_are_known():
    forms = _period_forms()
    assert "November 2025" in forms or any(v == "staff_by_org" for v in forms.values())
    assert any(re.fullmatch(r"\d{4}/\d{2}", f) for f in forms), forms


@pytest.mark.parametrize(
    "where, source", list(_sources()), ids=lambda x: x if isinstance(x, str) and len(x) < 80 else ""
)
def test_no_reporting_period_is_typed(where, source):
    pattern = _period_pattern()
    typed = [(line, m.group(1)) for line, text in _strings(source) for m in pattern.finditer(text)]
    assert not typed, f"{where}: periods typed instead of read from the data: {typed}"


def _prose():
    """(where, text) of the Markdown of every chapter and page, its line breaks made spaces."""
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells, start=1):
            if cell["cell_type"] == "markdown":
                yield f"{path.relative_to(ROOT).as_posix()} cell {i}", " ".join("".join(cell["source"]).split())
    for path in sorted((ROOT / "book").glob("*.md")):
        yield path.relative_to(ROOT).as_posix(), " ".join(path.read_text(encoding="utf-8").split())


def _period_pattern() -> re.Pattern:
    forms = sorted(_period_forms(), key=len, reverse=True)
    return re.compile(r"(?<![\w/-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w/-])")


def test_no_reporting_period_is_typed_in_the_prose():
    pattern = _period_pattern()
    typed = []
    for where, text in _prose():
        for phrase in NOT_PERIODS:
            text = text.replace(phrase, "")
        typed += [(where, text[max(0, m.start() - 40) : m.end() + 20]) for m in pattern.finditer(text)]
    assert not typed, "periods typed in the prose instead of glued from the data:\n" + "\n".join(map(str, typed))


def test_the_phrases_allowed_are_in_the_prose():
    """An allowed phrase no longer in the prose is removed from :data:`NOT_PERIODS`."""
    prose = " ".join(text for _, text in _prose())
    assert [phrase for phrase in NOT_PERIODS if phrase not in prose] == []


def test_the_prose_check_finds_a_typed_period():
    pattern = _period_pattern()
    forms = _period_forms()
    month = next(f for f, name in forms.items() if name == "staff_by_org" and not f[0].isdigit())
    assert pattern.search(f"As of {month}.")
    assert not pattern.search("As of {eval}`period_staff`.")


def test_a_chapter_that_names_a_period_declares_its_dataset():
    """A chapter printing ``{eval}`period_staff``` declares ``staff_by_org``, so that a new edition
    of the dataset re-executes the chapter (its cache key covers only the datasets it declares)."""
    from nhsreport.publish.components.words import PERIOD_NAMES

    dataset_of = dict(PERIOD_NAMES.values())
    undeclared = []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        declared = set(nb["metadata"].get("nhsreport", {}).get("datasets", []))
        prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        for name in sorted(set(re.findall(r"\{eval\}`(period_\w+)`", prose))):
            if dataset_of.get(name) not in declared:
                undeclared.append((path.name, name, dataset_of.get(name)))
    assert not undeclared, undeclared
