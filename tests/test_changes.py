"""make changes: glued values compared by chapter and label, charts by their data, the claims whose
evidence shows a changed value; and, end to end, a dataset changed in a copy of the project."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import nbformat
import pytest

from nhsreport.publish.book import changes, chapter

from .conftest import ROOT

CHAPTER = [
    "# A chapter\n\n(ch-size)=\n## How big?\n\nThe largest is {glue:text}`size_max:,.0f`, the ratio "
    "{glue:text}`size_ratio:.1f`.\n\n(ch-size-detail)=\n### Detail\n\n```{glue:figure} fig-size\n:name: fig-size\n\n"
    "Sizes.\n```\n",
    "(ch-other)=\n## Something else\n\nSee {glue:text}`other.ipynb::elsewhere`, and {glue}`count`.\n",
]


def _record(plain, html=None):
    data = {"text/plain": plain}
    if html is not None:
        data["text/html"] = html
        data["image/png"] = "iVBOR..."
    return {"data": data, "metadata": {"scrapbook": {"name": "x"}}, "output_type": "display_data"}


def test_evidence_map_follows_sections_subsections_and_figures(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in CHAPTER] + [nbformat.v4.new_code_cell("glue('x', 1)")]
    nbformat.write(nb, tmp_path / "ch.ipynb")
    (tmp_path / "index.md").write_text("(home)=\n# Home\n\n{glue:text}`ch.ipynb::size_ratio:.1f`\n")
    shows = changes.evidence_map(tmp_path)
    assert shows["ch-size"] == {("ch", "size_max"), ("ch", "size_ratio"), ("ch", "fig-size")}
    assert shows["ch-size-detail"] == {("ch", "fig-size")}
    assert shows["fig-size"] == {("ch", "fig-size")}
    assert shows["ch-other"] == {("other", "elsewhere"), ("ch", "count")}
    assert shows["home"] == {("ch", "size_ratio")}


def test_values_compare_as_printed_and_charts_by_their_specification():
    assert changes.value_of(_record("12.5")) == "12.5"
    chart = changes.value_of(_record("<chart: sizes>", '<div>{"data": [1, 2]}</div>'))
    assert chart.startswith("<chart: sizes> [chart ")
    assert changes.value_of(_record("<chart: sizes>", '<div>{"data": [1, 3]}</div>')) != chart
    # a new rendering of the same chart (another PNG) is no change
    same = _record("<chart: sizes>", '<div>{"data": [1, 2]}</div>')
    same["data"]["image/png"] = "other"
    assert changes.value_of(same) == chart


def test_snapshot_compare_and_claims_whose_evidence_moved(tmp_path):
    ex = tmp_path / "jupyter_execute" / "book"
    ex.mkdir(parents=True)
    (ex / "ch.glue.json").write_text(
        json.dumps({"size_max": _record("100"), "size_ratio": _record("2.0"), "count": _record("7")})
    )
    (ex / "gone.glue.json").write_text(json.dumps({"k": _record("1")}))
    old = changes.snapshot(tmp_path / "jupyter_execute")
    (ex / "ch.glue.json").write_text(
        json.dumps(
            {"size_max": _record("300"), "size_ratio": _record("2.0"), "count": _record("7"), "new_key": _record("5")}
        )
    )
    (ex / "gone.glue.json").unlink()
    new = changes.snapshot(tmp_path / "jupyter_execute")
    found = changes.compare(old, new)
    assert [(c.chapter, c.key, c.old, c.new) for c in found] == [
        ("ch", "new_key", None, "5"),
        ("ch", "size_max", "100", "300"),
    ]
    shows = {"ch-size": {("ch", "size_max"), ("ch", "size_ratio")}, "ch-other": {("ch", "count")}}
    claims = [
        {"claim_id": "C1", "verdict": "supported", "claim": "Big.", "evidence": "ch-size, ch-other"},
        {"claim_id": "C2", "verdict": "not supported", "claim": "Other.", "evidence": "ch-other"},
        {"claim_id": "C3", "verdict": "pending", "claim": "None.", "evidence": ""},
    ]
    moved = changes.claims_moved(found, shows, claims)
    assert moved == [
        {"claim_id": "C1", "verdict": "supported", "claim": "Big.", "evidence": {"ch-size": [("ch", "size_max")]}}
    ]
    md = changes.report(found, moved, baseline="the previous build", compared=["ch"])
    assert "| ch | `size_max` | 100 | 300 |" in md and "| ch | `new_key` | — | 5 |" in md
    assert "| C1: Big. | supported | `ch-size`: ch `size_max` |" in md and "C2" not in md


@pytest.mark.slow
def test_changing_a_dataset_in_a_copy_lists_what_moved(changed_copy):
    """The copy as built: nothing moved, and the values are recorded; after the largest system
    grew tenfold, ``scripts/changes.py`` rebuilt the book and lists what moved."""
    copy, env = changed_copy.root, changed_copy.env
    script = [sys.executable, str(ROOT / "scripts/changes.py")]
    assert "No glued figure changed." in changed_copy.as_built_report
    assert "glued value(s) changed" in changed_copy.changed_log
    md = (copy / "_build/changes.md").read_text()
    rows = [line.split(" | ") for line in md.splitlines() if line.startswith("| ") and "`" in line.split(" | ")[1]]
    moved = {(r[0].lstrip("| "), r[1].strip("`")) for r in rows}
    assert ("03_systems", "sys_pop_ratio") in moved, md
    declaring = {
        p.stem
        for p in (copy / "book").glob("*.ipynb")
        if "icbs" in chapter.declared_datasets(nbformat.read(p, as_version=4))
    }
    assert {ch for ch, _ in moved} <= declaring, "only chapters that read the dataset can move"
    # the claims listed are exactly those whose evidence shows a moved value
    shows = changes.evidence_map(copy / "book")
    with (copy / "data/processed/claims.csv").open(encoding="utf-8", newline="") as fh:
        claims = list(csv.DictReader(fh))
    expected = {
        c["claim_id"] for c in claims if any(shows.get(lbl.strip(), set()) & moved for lbl in c["evidence"].split(","))
    }
    assert expected, "a tenfold population must move some claim's evidence"
    section = md.split("## Claims whose evidence moved", 1)[1]
    assert {line.split(":", 1)[0].lstrip("| ") for line in section.splitlines() if line.startswith("| C")} == expected

    # recorded: asking again reports nothing new
    proc = subprocess.run([*script, "--no-build"], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "No glued figure changed." in (copy / "_build/changes.md").read_text()
