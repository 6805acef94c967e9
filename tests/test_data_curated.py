"""Tests of the curated tables of published facts (data/curated/*.csv), the bibliography and the glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from nhsreport import data
from nhsreport.build import sources
from nhsreport.build.datasets import REGISTRY
from nhsreport.build.datasets import curated as cu
from nhsreport.build.pipeline import Context
from nhsreport.build.rawio import read_csv
from nhsreport.errors import DataError
from nhsreport.schema import to_csv_bytes, validate

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "data" / "curated"
RAW = ROOT / "data" / "raw"
SEEDS = ROOT.parent / "shared" / "seeds"
BIB = ROOT / "book" / "references.bib"
GLOSSARY = ROOT / "book" / "glossary.md"
NAMES = [d.name for d in cu.DATASETS]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """Every curated dataset, built and validated by the pipeline from data/curated."""
    ctx = Context(RAW, CURATED, REGISTRY)
    return {n: ctx.dataset(n) for n in NAMES}


def _copy(tmp_path: Path, name: str, edit=None) -> Path:
    """A copy of one curated CSV in tmp_path, optionally edited as text."""
    text = (CURATED / f"{name}.csv").read_text(encoding="utf-8")
    if edit is not None:
        text = edit(text)
    p = tmp_path / f"{name}.csv"
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------------------------
# every table builds, and every row has a source
# --------------------------------------------------------------------------------------------


def test_all_declared_and_registered():
    assert NAMES == [
        "timeline",
        "vanguards",
        "integration_arrangements",
        "evaluations",
        "published_org_counts",
        "admin_costs_international",
        "published_management_figures",
        "claims",
        "ics_waves",
        "council_changes",
        "trust_code_successors",
        "ambulance_areas",
        "council_other_names",
        "outside_nhs_england",
    ]
    for n in NAMES:
        assert REGISTRY[n].sources == (f"curated:{n}.csv",)


@pytest.mark.parametrize("name", NAMES)
def test_builds_and_is_deterministic(tables, name):
    ds = REGISTRY[name]
    df = tables[name]
    lo, hi = ds.rows
    assert lo <= len(df) <= hi
    again = cu.parse_curated(CURATED / f"{name}.csv", ds)
    assert to_csv_bytes(df, ds) == to_csv_bytes(again, ds)


@pytest.mark.parametrize("name", NAMES)
def test_every_row_has_a_source(tables, name):
    df = tables[name]
    assert df["source_title"].map(lambda s: isinstance(s, str) and s.strip() != "").all()
    assert df["source_url"].map(lambda s: bool(re.fullmatch(r"https?://\S+", s))).all()
    assert df["confidence"].isin(["high", "medium", "low"]).all()


@pytest.mark.parametrize("name", NAMES)
def test_low_confidence_rows_say_why(tables, name):
    df = tables[name]
    if "notes" not in df.columns:  # integration_arrangements explains in its summary
        return
    low = df[df["confidence"] == "low"]
    assert low["notes"].map(lambda s: isinstance(s, str) and len(s) > 10).all(), low


# --------------------------------------------------------------------------------------------
# table-specific requirements
# --------------------------------------------------------------------------------------------


def test_vanguards_fifty_by_type(tables):
    v = tables["vanguards"]
    assert len(v) == 50 and sorted(v["vanguard_id"]) == list(range(1, 51))
    assert v["type"].value_counts().to_dict() == {"PACS": 9, "MCP": 14, "EHCH": 6, "UEC": 8, "ACC": 13}
    # 29 announced on 10 March 2015, 8 in July, 13 on 25 September (ADASS; NHS England; Healthcare Leader)
    assert v.groupby("wave").size().to_dict() == {"March 2015": 29, "July 2015": 8, "September 2015": 13}
    assert v["location_assigned"].all()


def test_timeline_span_and_categories(tables):
    t = tables["timeline"]
    assert 40 <= len(t) <= 60
    assert t["date"].min() >= "2010-01-01" and t["date"].max() <= "2026-12-31"
    assert set(t["category"]) == {"legislation", "policy", "structure", "programme", "national body", "merger"}


def test_ics_waves_keep_both_dates_for_december_2020(tables):
    w = tables["ics_waves"]
    dec = w[w["wave"].str.startswith("5 ")]
    # NHS England: designated "from December 2020"; Healthcare Leader: "from 1 April 2021"
    assert sorted(dec["effective"]) == ["2020-12-01", "2021-04-01"]
    assert w["cumulative_systems"].dropna().astype(int).tolist()[-1] == 42


def test_arrangements_include_seed_examples(tables):
    names = " ".join(tables["integration_arrangements"]["arrangement"])
    for word in (
        "UnitingCare",
        "Wakefield",
        "Manchester Local Care Organisation",
        "Manchester University",
        "Northern Care Alliance",
        "Wolverhampton",
        "Dudley",
        "Lambeth",
        "Torbay",
        "Greater Manchester",
    ):
        assert word in names, word


def test_claims_ledger(tables):
    c = tables["claims"]
    assert len(c) >= 14
    assert set(c["seed"]) == {"000", "001", "002", "003", "004"}
    assert c["quote"].map(lambda q: len(q.split()) <= 25).all()
    decided = c[c["verdict"] != "pending"]
    # no claim is pending: the last one, the financial risk claim of seed 004 (C30), is judged on trust_finances
    assert c.loc[c["verdict"] == "pending", "claim_id"].tolist() == []
    assert (
        decided["verdict"]
        .isin(["supported", "partly supported", "not supported", "not testable with these data"])
        .all()
    )
    assert decided["evidence"].notna().all() and decided["reasoning"].notna().all(), (
        "every verdict names its evidence and reasoning"
    )
    assert decided["measure"].notna().all(), "every verdict names its measure"
    # rubric: normative claims, judgements and forecasts are not testable
    untestable = c[c["claim_type"] != "factual"]
    assert len(untestable) >= 5 and (untestable["verdict"] == "not testable with these data").all()
    by = c.set_index("claim_id")
    # C05 and C17 are the same claim by the same speaker: one verdict
    assert by.at["C05", "verdict"] == by.at["C17", "verdict"]
    # C03 keeps the speaker's qualifier
    assert "that's just not how hospitals work" in by.at["C03", "claim"]
    assert "GBP" not in " ".join(c["claim"])


def test_claims_rubric_check_fails_on_a_normative_verdict(tables):
    from nhsreport.build.datasets import curated as cur

    bad = tables["claims"].copy()
    i = bad.index[bad["claim_id"] == "C16"][0]
    bad.loc[i, "verdict"] = "supported"
    with pytest.raises(DataError) as e:
        cur._check_rubric(bad, "claims.csv")
    assert "C16" in str(e.value) and "normative" in str(e.value)
    bad = tables["claims"].copy()
    bad.loc[bad.index[bad["claim_id"] == "C06"][0], "measure"] = None
    with pytest.raises(DataError) as e:
        cur._check_rubric(bad, "claims.csv")
    assert "C06" in str(e.value) and "measure" in str(e.value)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not available (../shared/seeds)")
def test_claim_quotes_are_verbatim(tables):
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for row in tables["claims"].itertuples():
        assert row.quote in texts[row.seed], (row.claim_id, row.quote)


def _plain(text: str) -> str:
    """Text with curly quotation marks made straight, runs of whitespace (no-break spaces too) made
    one space, and case folded: how a quoted phrase is compared with its article."""
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"\s+", " ", text).strip().casefold()


#: A phrase in single quotation marks: opened after a space, a bracket or the start, closed before a
#: space, punctuation or the end (so that the apostrophes of "trusts'" and "don't" are not quotes).
_QUOTED = re.compile(r"(?:^|(?<=[\s(\[]))'(\S(?:.*?\S)?)'(?=[\s.,;:)!?]|$)")


def test_quoted_phrases_are_read_as_quotes():
    found = _QUOTED.findall("the speaker's 'sheer management heft', and trusts' view; 'that's just it'.")
    assert found == ["sheer management heft", "that's just it"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not available (../shared/seeds)")
def test_phrases_quoted_in_the_ledger_are_in_the_article(tables):
    """Every phrase a restatement, measure or reasoning puts in quotation marks occurs in the
    article the claim comes from (after :func:`_plain`), so no quotation is invented or altered."""
    texts = {p.name[:3]: _plain(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    checked = 0
    for row in tables["claims"].itertuples():
        for column in ("claim", "measure", "reasoning"):
            cell = getattr(row, column)
            if not isinstance(cell, str):
                continue
            for phrase in _QUOTED.findall(_plain(cell)):
                checked += 1
                assert phrase in texts[row.seed], (row.claim_id, column, phrase)
    assert checked >= 10


# --------------------------------------------------------------------------------------------
# figures as published (expected values are those of the research notes and the sources named)
# --------------------------------------------------------------------------------------------


def _fig(tables, id_):
    m = tables["published_management_figures"]
    return float(m.loc[m["id"] == id_, "value"].iloc[0])


def test_management_figures_as_published(tables):
    # King's Fund analysis (The Independent, 10 Nov 2025): one manager per 33 staff in 2025, 27 in 2010;
    # managers 35,696 -> 40,021; staff 975,298 -> 1,334,011
    assert (_fig(tables, "A4a"), _fig(tables, "A4b")) == (27, 33)
    assert (_fig(tables, "A4c"), _fig(tables, "A4d")) == (35696, 40021)
    assert (_fig(tables, "A4e"), _fig(tables, "A4f")) == (975298, 1334011)
    # the ratios agree with the counts they come from
    assert round(_fig(tables, "A4e") / _fig(tables, "A4c")) == 27
    assert round(_fig(tables, "A4f") / _fig(tables, "A4d")) == 33
    # IPPR via BMJ 2023;381:p1313: 35,200 (2010) -> 34,900 (2019)
    assert (_fig(tables, "A5a"), _fig(tables, "A5b")) == (35200, 34900)
    # NHS Digital, 29 Mar 2017: managers 21,000 FTE, senior managers 9,610 FTE at 30 Sep 2016
    assert (_fig(tables, "A10a"), _fig(tables, "A10b")) == (21000, 9610)
    # NHS CB/NHS England running cost allowances: GBP 25 (2013/14), 24.73 (2014/15), 22.07 (2015/16)
    assert (_fig(tables, "C1a"), _fig(tables, "C3a"), _fig(tables, "C3b")) == (25, 24.73, 22.07)
    # ICB cuts: 20% and 30% (March 2023, PA Consulting), 50% (2025, PQ 45937); GBP 18.76 blueprint
    assert (_fig(tables, "C5a"), _fig(tables, "C5b"), _fig(tables, "C6a"), _fig(tables, "C7a")) == (20, 30, 50, 18.76)


def test_admin_costs_as_published(tables):
    a = tables["admin_costs_international"]

    def share(
        country,
        year,
        key,
        measure_starts="",
    ):
        rows = a[
            (a["country"] == country)
            & (a["year"] == year)
            & (a["source_key"] == key)
            & a["measure"].str.startswith(measure_starts)
        ]
        assert len(rows) == 1, (country, year, key)
        return rows["share_pct"].iloc[0]

    # CHPI 2017 (OECD data): UK 1.2% of current health expenditure, OECD average 3%
    assert share("United Kingdom", "not stated", "chpi2017admin", "administration share of current") == 1.2
    assert share("OECD average", "not stated", "chpi2017admin") == 3.0
    # Hagenaars et al. 2018: 1.3% Iceland to 8.3% United States
    assert share("Iceland", "not stated", "hagenaars2018admin") == 1.3
    assert share("United States", "not stated", "hagenaars2018admin") == 8.3
    # PQ 212936: DHSC administration costs 4.3% (2010-11), 2.9% (2013-14)
    assert share("England", "2010-11", "pq212936") == 4.3
    assert share("England", "2013-14", "pq212936") == 2.9


def test_org_counts_as_published(tables):
    c = tables["published_org_counts"]

    def value(body, date):
        rows = c[(c["body_type"] == body) & (c["date"] == date)]
        assert len(rows) >= 1, (body, date)
        return set(rows["value"])

    assert value("PCT", "2013-03-31") == {152}  # Health Foundation Policy Navigator
    assert value("CCG", "2013-04-01") == {211}  # Health Foundation Policy Navigator
    assert value("STP", "2016-03-15") == {44}  # NHS England, March 2016
    assert value("ICS", "2020-05-01") == {18}  # NHS England
    assert value("ICS", "2020-12-01") == {29}  # NHS England, December 2020
    assert value("ICB", "2022-07-01") == {42}  # NHS England
    assert value("ICB", "2026-04-01") == {36}  # RCPCH table of ODS changes
    assert value("vanguard", "2015-09-25") == {50}


def test_evaluation_estimates_as_published(tables):
    e = tables["evaluations"].set_index(["study", "outcome"])
    morciano = e.xs("Morciano et al. 2020 (Health Policy)")
    # Morciano et al. 2020: -4.2% care home sites, -3.1% population sites
    assert morciano.loc["emergency admissions (care home sites)", "effect_pct"] == -4.2
    assert morciano.loc["emergency admissions (population sites)", "effect_pct"] == -3.1
    # IAU Wakefield: 27% fewer (95% CI 45% to 2% fewer)
    wake = e.xs("Improvement Analytics Unit: Wakefield care homes vanguard").iloc[0]
    assert (wake["effect_pct"], wake["ci_low_pct"], wake["ci_high_pct"]) == (-27.0, -45.0, -2.0)


@pytest.mark.skipif(
    not (RAW / "nhs-workforce/turnover-benchmarking-staff-group-org-2025-11.csv").exists(),
    reason="data/raw not fetched (run `make data-raw`)",
)
def test_kings_fund_2025_counts_match_workforce_file(tables):
    """The published 2025 figures (40,021 managers, 1,334,011 staff) agree with NHS England's
    November 2025 file (FTE, trusts and ICBs) to within 1%, which is why their unit is read as FTE."""
    df = read_csv(
        RAW / "nhs-workforce/turnover-benchmarking-staff-group-org-2025-11.csv",
        columns=["TYPE", "STAFF_GROUP_1_NAME", "FTE"],
    )
    df = df[df["TYPE"] == "Denominator at end of period"]
    fte = pd.to_numeric(df["FTE"], errors="coerce").groupby(df["STAFF_GROUP_1_NAME"]).sum()
    managers = fte["Managers"] + fte["Senior managers"]
    staff = fte["All staff groups"]
    assert abs(managers / _fig(tables, "A4d") - 1) < 0.01
    assert abs(staff / _fig(tables, "A4f") - 1) < 0.01


def test_arrangement_icb_codes_are_checked_against_the_icbs_dataset():
    """The ICB of an arrangement is a foreign key into ``icbs`` (whose codes come from the ONS
    crosswalk), not a list of codes typed in the code."""
    assert cu.INTEGRATION_ARRANGEMENTS.foreign_keys == {"icb_code": ("icbs", "icb_code")}
    arr, icbs = data.load("integration_arrangements"), data.load("icbs")
    assert set(arr["icb_code"].dropna()) <= set(icbs["icb_code"])


# --------------------------------------------------------------------------------------------
# bibliography and glossary
# --------------------------------------------------------------------------------------------


def _bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,]+),", BIB.read_text(encoding="utf-8"), flags=re.M))


def test_every_source_key_is_in_the_bibliography(tables):
    keys = _bib_keys()
    for name, df in tables.items():
        missing = set(df["source_key"]) - keys
        assert not missing, (name, missing)


def test_every_raw_source_has_a_bibliography_entry():
    text = BIB.read_text(encoding="utf-8")
    keys = _bib_keys()
    assert set(cu.RAW_BIBKEYS) == set(sources.BY_ID), "add new registry ids to curated.RAW_BIBKEYS and references.bib"
    for sid, key in cu.RAW_BIBKEYS.items():
        assert key in keys, key
        assert f"registry = {{{sid}}}" in text, sid
        assert sources.BY_ID[sid].url in text


def test_seeds_are_in_the_bibliography():
    keys = _bib_keys()
    assert {
        "wickware2017heft",
        "copps2021threequestions",
        "hopson2021joinup",
        "kissen2011trafford",
        "nhsproviders2018newstructure",
    } <= keys


def test_bibliography_entries_have_url_and_urldate():
    """Every work gives the address it was read at and when; a work whose publisher no longer
    publishes it (the report read a copy on a document-sharing site, which it does not link) says
    so in its note instead."""
    entries = re.split(r"(?m)^(?=@)", BIB.read_text(encoding="utf-8"))[1:]
    assert len(entries) == len(_bib_keys())
    unpublished = [e for e in entries if "No official online copy was found" in e]
    assert 1 <= len(unpublished) <= 3, [e[:60] for e in unpublished]
    for e in entries:
        if e in unpublished:
            assert not re.search(r"^\s+url = ", e, re.M), e[:80]
            continue
        assert re.search(r"^\s+url = \{https?://", e, re.M), e[:80]
        assert re.search(r"urldate = \{2026-1[12]\}", e), e[:80]


REQUIRED_TERMS = [
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
    "NHS England",
    "NHS Improvement",
    "Vanguard",
    "PACS",
    "MCP",
    "EHCH",
    "UEC",
    "ACC",
    "RCA",
    "FTE",
    "Headcount",
    "ESR",
    "ODS",
    "ONS",
    "KH03",
    "SICBL",
    "LSOA",
    "LAD",
    "Coterminosity",
    "Foundation trust",
    "Provider collaborative",
    "Alliance agreement",
    "Lead provider",
    "Group model",
    "Vertical integration",
    "Integrated Care Provider contract",
    "Region",
]


def test_glossary_defines_required_terms():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert text.startswith("# Glossary")
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, flags=re.S).group(1)
    terms = {line.strip() for line in block.splitlines() if line and not line.startswith((" ", ":"))}
    missing = [t for t in REQUIRED_TERMS if t not in terms]
    assert not missing, missing
    # each term has a definition of one or a few sentences
    for term, body in re.findall(r"^(\S[^\n]*)\n((?:  [^\n]*\n?)+)", block, flags=re.M):
        assert 1 <= body.count(".") <= 5, term


# --------------------------------------------------------------------------------------------
# bad input: errors name the file, the line or row and the column
# --------------------------------------------------------------------------------------------


def test_renamed_column(tmp_path):
    p = _copy(tmp_path, "vanguards", lambda t: t.replace("vanguard_id,name,type", "vanguard_id,name,kind", 1))
    with pytest.raises(DataError) as e:
        cu.parse_curated(p, cu.VANGUARDS)
    msg = str(e.value)
    assert "vanguards.csv" in msg and "'type'" in msg


def test_extra_column(tmp_path):
    p = _copy(tmp_path, "ics_waves", lambda t: t.replace("notes\n", "notes,extra\n", 1))
    with pytest.raises(DataError) as e:
        cu.parse_curated(p, cu.ICS_WAVES)
    assert "ics_waves.csv" in str(e.value) and "'extra'" in str(e.value)


def test_wrong_type_in_number_column(tmp_path):
    p = _copy(tmp_path, "admin_costs_international", lambda t: t.replace(",1.2,", ",1.2 per cent,", 1))
    with pytest.raises(DataError) as e:
        cu.parse_curated(p, cu.ADMIN_COSTS_INTERNATIONAL)
    msg = str(e.value)
    assert "admin_costs_international.csv" in msg and "line 2" in msg and "'share_pct'" in msg


def test_truncated_file(tmp_path):
    def cut(text):
        lines = text.splitlines(keepends=True)
        return "".join(lines[:-1]) + lines[-1].split(",")[0] + ",\n"  # the last row stops after its id

    p = _copy(tmp_path, "vanguards", cut)
    n = len((CURATED / "vanguards.csv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataError) as e:
        cu.parse_curated(p, cu.VANGUARDS)
    msg = str(e.value)
    assert "vanguards.csv" in msg and f"line {n}" in msg and "'name'" in msg


def test_bad_date(tmp_path):
    p = _copy(tmp_path, "timeline", lambda t: t.replace("2012-03-01,month", "March 2012,month", 1))
    with pytest.raises(DataError) as e:
        cu.parse_curated(p, cu.TIMELINE)
    msg = str(e.value)
    assert "timeline.csv" in msg and "'date'" in msg and "line 3" in msg


def test_category_not_allowed(tmp_path):
    p = _copy(tmp_path, "timeline", lambda t: t.replace(",legislation,", ",law,", 1))
    with pytest.raises(DataError) as e:
        cu.parse_curated(p, cu.TIMELINE)
    assert "'category'" in str(e.value) and "timeline.csv" in str(e.value)


def test_source_url_must_be_a_url(tmp_path):
    p = _copy(tmp_path, "evaluations", lambda t: t.replace("https://kar.kent.ac.uk/81492/", "kar.kent.ac.uk/81492", 1))
    df = cu.parse_curated(p, cu.EVALUATIONS)
    with pytest.raises(DataError) as e:
        validate(df, cu.EVALUATIONS, "processed/evaluations.csv")
    assert "'source_url'" in str(e.value) and "Morciano" in str(e.value)


def test_month_precision_date_on_the_first(tmp_path):
    p = _copy(tmp_path, "timeline", lambda t: t.replace("2012-03-01,month", "2012-03-27,month", 1))
    df = cu.parse_curated(p, cu.TIMELINE)
    with pytest.raises(DataError) as e:
        validate(df, cu.TIMELINE, "processed/timeline.csv")
    assert "1st of the month" in str(e.value) and "'date'" in str(e.value)


def test_vanguard_type_counts_checked(tmp_path):
    p = _copy(tmp_path, "vanguards", lambda t: t.replace(",Wirral Partners,PACS,", ",Wirral Partners,MCP,", 1))
    df = cu.parse_curated(p, cu.VANGUARDS)
    with pytest.raises(DataError) as e:
        validate(df, cu.VANGUARDS, "processed/vanguards.csv")
    assert "'type'" in str(e.value) and "9 vanguards of type PACS" in str(e.value)


def test_long_quote_rejected():
    df = cu.parse_curated(CURATED / "claims.csv", cu.CLAIMS)
    df.loc[df["claim_id"] == "C01", "quote"] = " ".join(["word"] * 26)
    with pytest.raises(DataError) as e:
        validate(df, cu.CLAIMS, "processed/claims.csv")
    assert "C01" in str(e.value) and "25 words" in str(e.value)


def test_estimate_outside_interval(tmp_path):
    p = _copy(tmp_path, "evaluations", lambda t: t.replace(",-27,-45,-2,", ",-50,-45,-2,", 1))
    assert p.read_text(encoding="utf-8").count(",-50,-45,-2,") == 1
    df = cu.parse_curated(p, cu.EVALUATIONS)
    with pytest.raises(DataError) as e:
        validate(df, cu.EVALUATIONS, "processed/evaluations.csv")
    assert "'effect_pct'" in str(e.value) and "interval" in str(e.value)


def test_live_arrangement_has_no_end(tmp_path):
    def edit(t):
        lines = t.splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith("Manchester Local Care Organisation,"):
                lines[i] = line.replace(",2018-04-01,month,,,live,", ",2018-04-01,month,2020-01-01,day,live,", 1)
        return "".join(lines)

    p = _copy(tmp_path, "integration_arrangements", edit)
    df = cu.parse_curated(p, cu.INTEGRATION_ARRANGEMENTS)
    with pytest.raises(DataError) as e:
        validate(df, cu.INTEGRATION_ARRANGEMENTS, "processed/integration_arrangements.csv")
    assert "Manchester Local Care Organisation" in str(e.value) and "'end'" in str(e.value)


def test_build_through_context_on_fixture_tree(tmp_path):
    """The builder reads through ctx.curated, so a mini tree with only the curated file works."""
    cur = tmp_path / "curated"
    cur.mkdir()
    _copy(cur, "ics_waves")
    ctx = Context(tmp_path / "raw", cur, REGISTRY)
    df = ctx.dataset("ics_waves")
    assert len(df) == 7
    with pytest.raises(DataError) as e:
        Context(tmp_path / "raw", cur, REGISTRY).dataset("claims")
    assert "claims.csv" in str(e.value)
