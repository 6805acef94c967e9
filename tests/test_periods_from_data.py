"""Reporting periods are read from the data, never typed: after `make refresh` and `make data` the
words "November 2025" or "2025/26" must move with the numbers. So no string the analysis, the
publishing code or a chapter's code holds may name the period of the latest edition of a dataset
that is refreshed (its ``x_as_of`` in ``data/datapackage.json``), in any of the ways the report
writes it. Docstrings may (they explain, they are not printed)."""

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
    forms = _period_forms()
    pattern = re.compile(
        r"(?<![\w/-])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w/-])"
    )
    typed = [(line, m.group(1)) for line, text in _strings(source) for m in pattern.finditer(text)]
    assert not typed, f"{where}: periods typed instead of read from the data: {typed}"
