"""The generated appendices: the claims ledger (book/a1_claims.ipynb) and methods and data
(book/a2_methods.ipynb).

Both notebooks are read as the book build executed them; the MyST they display must hold every
claim of the ``claims`` dataset and every dataset of the data package, with the labels chapters
link to. The helpers in nhsreport.publish.pages.appendices are tested on small inputs.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from nhsreport import data
from nhsreport.formatting import year_spans
from nhsreport.publish.book.chapter import declared_datasets
from nhsreport.publish.pages import appendices

from .conftest import ROOT
from .helpers import glued_values, outputs

BOOK = ROOT / "book"


@pytest.fixture(scope="module")
def claims_nb(executed_chapters):
    return executed_chapters.notebook("a1_claims")


@pytest.fixture(scope="module")
def methods_nb(executed_chapters):
    return executed_chapters.notebook("a2_methods")


# ------------------------------------------------------------------------------------------
# claims ledger
# ------------------------------------------------------------------------------------------


def test_every_claim_is_rendered(claims_nb):
    data.declare(None)
    claims = data.load("claims")
    md = "\n".join(outputs(claims_nb, "text/markdown"))
    for cid in claims["claim_id"]:
        assert f"(claim-{cid})=" in md, cid
    html = "\n".join(outputs(claims_nb, "text/html"))
    for cid in claims["claim_id"]:
        assert f">{cid}<" in html, cid
    # the ledger cell is parsed as MyST so that {numref}/{ref} roles resolve
    cell = next(c for c in claims_nb.cells if "ledger_markdown" in c.source)
    assert cell.metadata.get("mystnb", {}).get("markdown_format") == "myst"


def test_verdict_counts_are_glued_and_add_up(claims_nb):
    data.declare(None)
    claims = data.load("claims")
    g = glued_values(claims_nb)
    assert g["claims_n"] == len(claims)
    verdicts = claims["verdict"].fillna("pending").str.strip().str.lower()
    for v in appendices.VERDICTS:
        assert g["claims_" + v.replace(" ", "_")] == int((verdicts == v).sum()), v
    assert sum(g["claims_" + v.replace(" ", "_")] for v in appendices.VERDICTS) == len(claims)
    assert g["claims_n_seeds"] == claims["seed"].nunique() == 5  # the five seed articles


def test_evidence_roles():
    assert appendices.evidence_roles("fig-mgmt-ratio, mgmt-heft") == "{numref}`fig-mgmt-ratio`, {ref}`mgmt-heft`"
    assert appendices.evidence_roles("tbl-x;reorg-leadership") == "{numref}`tbl-x`, {ref}`reorg-leadership`"
    assert appendices.evidence_roles(None) == ""
    assert appendices.evidence_roles(pd.NA) == ""
    assert appendices.evidence_roles("  ") == ""
    with pytest.raises(ValueError):
        appendices.evidence_roles("fig one")


def test_verdicts_pending_and_decided():
    df = pd.DataFrame({"verdict": ["pending", None, "Supported", "not testable with these data"]})
    assert appendices.verdict_counts(df) == {
        "supported": 1,
        "partly supported": 0,
        "not supported": 0,
        "not testable with these data": 1,
        "pending": 2,
    }
    with pytest.raises(ValueError):
        appendices.verdict_counts(pd.DataFrame({"verdict": ["maybe"]}))


def test_claim_markdown_with_and_without_evidence():
    row = {
        "claim_id": "C99",
        "claim": "A claim with * and _ in it.",
        "quote": "words [sic]",
        "author": "A. Author",
        "publisher": "Publisher",
        "date": pd.Timestamp("2018-05-24"),
        "source_url": "https://example.org/a",
        "source_key": "key2018",
        "theme": "leadership",
        "verdict": "partly supported",
        "evidence": "fig-reorg-regions, reorg-leadership",
        "reasoning": "Because.",
    }
    md = appendices.claim_markdown(row)
    assert "(claim-C99)=" in md and "24 May 2018" in md and "{cite:p}`key2018`" in md
    assert "{numref}`fig-reorg-regions`" in md and "{ref}`reorg-leadership`" in md
    assert "\\*" in md and "\\[sic\\]" in md  # markup in the text is escaped
    row.update(verdict=None, evidence=None, reasoning=None)
    md = appendices.claim_markdown(row)
    assert "*pending*" in md and "not yet assigned" in md


# ------------------------------------------------------------------------------------------
# methods and data
# ------------------------------------------------------------------------------------------


def test_methods_appendix_declares_every_dataset():
    nb = nbformat.read(BOOK / "a2_methods.ipynb", as_version=4)
    names = {r["name"] for r in data.package()["resources"]}
    assert set(declared_datasets(nb)) == names, "update the a2_methods notebook metadata"


def test_every_dataset_appears_in_the_methods_appendix(methods_nb):
    pkg = data.package()
    md = "\n".join(outputs(methods_nb, "text/markdown"))
    html = "\n".join(outputs(methods_nb, "text/html"))
    for r in pkg["resources"]:
        name = r["name"]
        assert f"(data-{name})=" in md, name
        assert f"(data-{name})=\n### {appendices.md_escape(year_spans(r['title']))}\n" in md, name  # the title, no id
        assert r.get("x_as_of", "") in md
        if r["path"].endswith(".csv"):
            fname = r["path"].rsplit("/", 1)[-1]
            assert f'href="../_static/downloads/{fname}"' in html, name
            for f in r["schema"]["fields"]:
                assert f"`{f['name']}`" in md, (name, f["name"])
    for label in ("(methods)=", "(methods-refresh)=", "(methods-sources)="):
        assert any(label in c.source for c in methods_nb.cells if c.cell_type == "markdown"), label


def test_source_registry_is_listed(methods_nb):
    from nhsreport.build.sources import SOURCES

    html = "\n".join(outputs(methods_nb, "text/html"))
    for s in SOURCES:
        assert s.id in html and s.sha256[:12] in html, s.id


def test_dataset_markdown_escapes_and_lists_fields():
    res = {
        "name": "x",
        "title": "A *title*",
        "description": "Desc | pipe",
        "path": "processed/x.csv",
        "format": "csv",
        "x_rows": 1234,
        "x_as_of": "2024-01",
        "x_method": "Method $5",
        "x_caveats": "",
        "licenses": [{"title": "Open Government Licence v3.0"}],
        "sources": [{"title": "Src", "path": "https://example.org"}, {"title": "Curated", "path": "curated/x.csv"}],
        "schema": {"fields": [{"name": "a", "type": "integer", "unit": "GBP", "description": "An | amount"}]},
    }
    md = appendices.dataset_markdown(res)
    assert md.startswith("(data-x)=\n### A \\*title\\*\n")  # the title only: no dataset id in print (defect 11)
    assert "1,234 rows" in md and "[Src](https://example.org)" in md and "Curated (compiled for this report" in md
    assert "`" not in md.split("**Method.**")[0]  # no monospace ids or paths in the running text
    assert "\\$5" in md and "* - `a`\n  - integer\n  - GBP\n  - An \\| amount" in md  # a list-table row
    assert "Caveats" not in md


def test_sources_say_who_published_the_file_and_where_the_official_copy_is():
    """Defects 11 and 21: no "obtained via github.com/..."; a copy read elsewhere is said in words."""
    geo = {
        "title": "Office for National Statistics: Integrated Care Boards (July 2022) boundaries",
        "path": "https://geoportal.statistics.gov.uk/",
        "x_via": "github.com/henryjameslau/geoportal-boundaries-as-topojson",
    }
    md = appendices.source_markdown(geo)
    assert md.startswith("[Office for National Statistics: Integrated Care Boards (July 2022) boundaries]")
    assert "publisher's page of the official file" in md and "copy shared on GitHub by henryjameslau" in md
    assert "obtained via" not in md and "github.com" not in md
    gone = {
        "title": "NHS trust annual accounts: Trust operating income",
        "path": "https://github.com/miqdadasaria/hospital_management",
        "x_via": "github.com/miqdadasaria/hospital_management (replication data of Asaria, McGuire & Street)",
    }
    md = appendices.source_markdown(gone)
    assert "no official copy of this file was found online" in md and "replication data of Asaria" in md
    assert "(MIT)" not in appendices.source_markdown({**geo, "x_via": "github.com/a/b (MIT)"})
    text = appendices.screen_only_modules("the rubric (nhsreport.publish.pages.appendices.RUBRIC), then")
    assert text == 'the rubric<span class="nhs-screen-only"> (`nhsreport.publish.pages.appendices.RUBRIC`)</span>, then'


def test_evidence_roles_number_tables():
    # a {ref} to a table label printed its whole caption in the ledger ("...how easily each is undone., Forms of ...")
    assert (
        appendices.evidence_roles("tab-int-typology, int-typology") == "{numref}`tab-int-typology`, {ref}`int-typology`"
    )


def test_rubric_markdown_states_every_verdict_and_rule():
    md = appendices.rubric_markdown()
    for verdict in appendices.VERDICTS[:4]:  # every verdict a claim of the dataset can have
        assert f"\n{verdict}\n: " in md, verdict
    assert "\npending\n: " not in md
    assert "measure the claim itself uses" in md and "not evidence of absence" in md and "shown both ways" in md
    assert md.count("\n1. ") == 1 and f"{len(appendices.RUBRIC_RULES)}. " in md


def test_claim_markdown_names_kind_and_measure():
    row = {
        "claim_id": "C99",
        "claim": "A claim.",
        "quote": "a quote",
        "author": "A",
        "publisher": "P",
        "source_url": "https://example.org",
        "date": "2020-01-01",
        "theme": "management",
        "verdict": "supported",
        "evidence": "mgmt-ratio",
        "reasoning": "Because.",
        "claim_type": "factual",
        "measure": "Managers per 100 staff.",
    }
    md = appendices.claim_markdown(row)
    assert "**Kind of claim:** factual. **Measure:** Managers per 100 staff." in md


def test_claim_date_at_its_precision_with_the_page_update():
    row = {"date": pd.Timestamp("2019-05-01"), "date_precision": "month", "updated": pd.Timestamp("2021-03-30")}
    assert appendices.claim_date_text(row) == "May 2019 (page updated 30 March 2021)"
    assert (
        appendices.claim_date_text({"date": "2018-05-24", "date_precision": "day", "updated": pd.NA}) == "24 May 2018"
    )
    assert appendices.claim_date_text({"date": "2018-05-24"}) == "24 May 2018"


def test_claim_markdown_cites_the_documents_a_verdict_rests_on():
    row = {
        "claim_id": "C98",
        "claim": "A claim.",
        "quote": "a quote",
        "author": "A",
        "publisher": "P",
        "source_url": "https://example.org",
        "date": "2019-05-01",
        "date_precision": "month",
        "updated": "2021-03-30",
        "theme": "leadership",
        "verdict": "not supported",
        "evidence": "reorg-timeline",
        "reasoning": "Because.",
        "evidence_sources": "ltp2019engaging; nhse_nhsassembly",
    }
    md = appendices.claim_markdown(row)
    assert "May 2019 (page updated 30 March 2021)" in md
    assert "Because. Documents: {cite:p}`ltp2019engaging,nhse_nhsassembly`." in md
    assert appendices.sources_roles(None) == "" and appendices.sources_roles(" ") == ""
    with pytest.raises(ValueError):
        appendices.sources_roles("not a key")


def test_claims_numbers_count_what_evidence_decided_and_date_the_ledger_in_words():
    claims = pd.DataFrame(
        {
            "claim_id": ["C01", "C02", "C03", "C04"],
            "seed": ["000", "000", "001", "001"],
            "date": pd.to_datetime(["2017-05-25", "2017-05-25", "2019-05-01", "2019-05-01"]),
            "verdict": ["supported", "partly supported", "not supported", "not testable with these data"],
        }
    )
    g = appendices.claims_numbers(claims, "2026-11")
    assert g["claims_decided_by_evidence"] == 3 and g["claims_decided_by_evidence_text"] == "three claims"
    assert g["claims_not_testable_with_these_data"] == 1 and g["claims_pending"] == 0
    assert g["claims_asof"] == "November 2026"
    assert g["claims_first_year"] == "2017" and g["claims_last_year"] == "2019"


def test_claims_dataset_exposes_id_and_a_clean_verdict():
    """Other pages test their key findings against the ledger: each claim has an id and one of four
    verdicts, of which a finding may rest only on the first three."""
    data.declare(None)
    claims = data.load("claims")
    assert claims["claim_id"].is_unique and claims["claim_id"].str.fullmatch(r"C\d{2}").all()
    assert set(claims["verdict"]) <= set(appendices.VERDICTS[:4])
    assert set(appendices.DECIDED_BY_EVIDENCE) == set(appendices.VERDICTS[:3])
    assert len(claims) >= 45


def test_consolidation_reading_follows_the_shares():
    assert appendices.consolidation_reading(0.23, 0.25) == "much the same: there is no clear association"
    assert appendices.consolidation_reading(0.6, 0.2).startswith("higher where commissioning was in one CCG")
    assert appendices.consolidation_reading(0.1, 0.5).startswith("lower")


def test_a_claim_with_no_measure_says_so_in_words():
    assert (
        appendices.measure_markdown("None: culture is not measured here.")
        == "**No measure:** culture is not measured here."
    )
    assert (
        appendices.measure_markdown("None for potential, a judgement.") == "**No measure** for potential, a judgement."
    )
    assert appendices.measure_markdown("Managers per 100 staff") == "**Measure:** Managers per 100 staff."


def test_the_tally_names_pending_claims_only_when_there_are_some():
    claims = pd.DataFrame(
        {
            "claim_id": ["C01", "C02"],
            "seed": ["000", "000"],
            "date": ["2017-05-25"] * 2,
            "verdict": ["supported", "supported"],
        }
    )
    assert appendices.claims_numbers(claims, "2026-11")["claims_closing_text"] == "no claim is judged not supported"
    claims.loc[1, "verdict"] = ""
    closing = appendices.claims_numbers(claims, "2026-11")["claims_closing_text"]
    assert closing == "no claim is judged not supported, and one claim is still to be decided"
