"""Chapter 4 (contractual versus structural integration): the figures its text states.

Each number from :mod:`nhsreport.analysis.integration` is checked against an independent computation from
the processed data (plain pandas, written differently), and against published figures where the
research notes give them.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from nhsreport import data
from nhsreport.analysis import integration as integ

from .conftest import ROOT

NOTEBOOK = ROOT / "book" / "04_integration.ipynb"


@pytest.fixture(scope="module")
def d():
    names = [
        "integration_arrangements",
        "trusts",
        "trust_changes",
        "trust_beds",
        "timeline",
        "vanguards",
        "evaluations",
        "published_org_counts",
    ]
    return {n: data.load(n) for n in names}


def _open_count(trusts: pd.DataFrame, day: str, types=None) -> int:
    """Trusts open on a day, counted row by row (independent of nhsreport.analysis.counting)."""
    t = pd.Timestamp(day)
    n = 0
    for _, r in trusts.iterrows():
        opened = pd.Timestamp(r["opened"])
        closed = pd.Timestamp(r["closed"]) if pd.notna(r["closed"]) else None
        if opened <= t and (closed is None or closed >= t) and (types is None or r["trust_type"] in types):
            n += 1
    return n


# --- trusts on 1 April ---------------------------------------------------------------------------


def test_trusts_on_1_april_2012_and_2026(d):
    chg = integ.trust_count_change(d["trusts"], 2012, 2026)
    assert chg["first"] == _open_count(d["trusts"], "2012-04-01")
    assert chg["last"] == _open_count(d["trusts"], "2026-04-01")
    # research/integration-facts.md §1 gives 243 in 2012 from the ODS trust file, which omits Great Western
    # Ambulance Service (RX5): in managers-fte-by-org-2009-2018.csv for 2009-2012, dissolved into RYF on
    # 2013-02-01 (org-change-paths-2000-2018.csv). With it: 244, and a fall of 45 (-18.4%).
    assert (chg["first"], chg["last"]) == (244, 199)
    assert chg["change"] == -45


def test_trusts_series_matches_research_notes(d):
    # research/integration-facts.md §1, trusts open on 1 April 2012-2026 (ODS, excluding care trusts), with
    # Great Western Ambulance (RX5, open until 31 January 2013) added to 2012
    published = [244, 242, 240, 236, 234, 230, 227, 222, 214, 211, 208, 207, 206, 202, 199]
    by_year = integ.trusts_on_1_april(d["trusts"], range(2012, 2027))
    total = by_year[by_year["trust_type"] == "all"].sort_values("year")["trusts"].tolist()
    assert total == published
    # the types add up to the total in every year
    parts = by_year[by_year["trust_type"] != "all"].groupby("year")["trusts"].sum().tolist()
    assert parts == published


def test_trusts_by_type_independent(d):
    by_year = integ.trusts_on_1_april(d["trusts"], [2012, 2026]).set_index(["year", "trust_type"])["trusts"]
    for y in (2012, 2026):
        for t in ("acute", "mental health", "community", "ambulance"):
            assert by_year[(y, t)] == _open_count(d["trusts"], f"{y}-04-01", {t})
    # the research notes say 10 throughout; on 1 April 2012 Great Western Ambulance (RX5) was still open
    assert (by_year[(2012, "ambulance")], by_year[(2026, "ambulance")]) == (11, 10)


def test_trusts_before_2012_refused(d):
    with pytest.raises(ValueError):
        integ.trusts_on_1_april(d["trusts"], [2011])


# --- dissolutions per year ---------------------------------------------------------------------


def test_dissolutions_per_year_independent(d):
    cutoff = integ.as_of_end("trust_changes")
    ch = integ.changes_up_to(d["trust_changes"], cutoff)
    got = integ.dissolutions_by_year(ch, range(2000, 2027), by=None).set_index("year")["dissolved"]
    # independent: sets of dissolved codes per year
    expected = {}
    for _, r in d["trust_changes"].iterrows():
        if pd.Timestamp(r["date"]) <= cutoff:
            expected.setdefault(int(r["year"]), set()).add(r["old_code"])
    for y in range(2000, 2027):
        assert got[y] == len(expected.get(y, set())), y
    # by type sums to the total
    by_type = integ.dissolutions_by_year(ch, range(2000, 2027)).groupby("year")["dissolved"].sum()
    assert (by_type == got).all()


def test_dissolutions_match_research_notes(d):
    # research/integration-facts.md §2, ODS successor file 2000-2018 (R->R steps, de-duplicated)
    notes = {
        2000: 21,
        2001: 45,
        2002: 47,
        2003: 9,
        2004: 1,
        2005: 3,
        2006: 36,
        2007: 4,
        2009: 5,
        2010: 1,
        2011: 2,
        2012: 8,
        2014: 4,
        2015: 3,
        2016: 1,
        2018: 5,
    }
    got = integ.dissolutions_by_year(d["trust_changes"], range(2000, 2019), by=None).set_index("year")["dissolved"]
    for y, n in notes.items():
        assert got[y] == n, y
    # 2013 and 2017 differ from the notes by the two splits of trusts in special administration
    # (South London Healthcare 2013, Mid Staffordshire 2017), which the notes' source lacks
    splits = d["trust_changes"][d["trust_changes"]["change_type"] == "split"]
    assert got[2013] == 1 + splits[splits["year"] == 2013]["old_code"].nunique()
    assert got[2017] == 6 + splits[splits["year"] == 2017]["old_code"].nunique()


def test_planned_changes_excluded(d):
    cutoff = integ.as_of_end("trust_changes")
    later = d["trust_changes"][pd.to_datetime(d["trust_changes"]["date"]) > cutoff]
    kept = integ.changes_up_to(d["trust_changes"], cutoff)
    assert len(kept) + len(later) == len(d["trust_changes"])
    assert set(later["old_code"]) == {"RVJ"}  # North Bristol, close date in the future when the file was taken


def test_dissolutions_since_2012(d):
    cutoff = integ.as_of_end("trust_changes")
    got = integ.dissolutions_between(d["trust_changes"], "2012-04-02", cutoff)
    c = d["trust_changes"]
    dt = pd.to_datetime(c["date"])
    sub = c[(dt > pd.Timestamp("2012-04-01")) & (dt <= cutoff)]
    first = sub.groupby("old_code").first()
    assert got["codes"] == sub["old_code"].nunique()
    assert got["merger_codes"] == int((first["change_type"] == "merger").sum())
    assert got["acquisition_codes"] == int((first["change_type"] == "acquisition").sum())
    assert got["merger_codes"] + got["acquisition_codes"] + got["split_codes"] == got["codes"]
    # the trust count fell by 45 while 49 codes were dissolved: the difference is new codes opened
    # (new trusts from mergers) less closures without successor, so the dissolutions are the larger
    assert got["codes"] >= 45


# --- cross-check with published counts -------------------------------------------------------------


def test_crosscheck_with_published(d):
    xc = integ.trust_count_crosscheck(d["published_org_counts"], d["trusts"])
    # (the Wikipedia row "extant NHS trusts" was dropped; NHS Providers' own page gives the same 217)
    row = xc[(xc["measure"] == "NHS provider trusts")].iloc[0]
    # published_org_counts note: the ODS trust file gives 214 English trusts on 1 April 2020
    assert row["computed"] == 214 == _open_count(d["trusts"], "2020-04-01")
    assert row["published"] == 217 and row["difference"] == 3
    pre2012 = xc[xc["date"] < pd.Timestamp("2012-04-01")]
    assert pre2012["computed"].isna().all()
    acute = xc[xc["measure"] == "acute NHS trusts and foundation trusts"].iloc[0]
    assert acute["computed"] == _open_count(d["trusts"], acute["date"].strftime("%Y-%m-%d"), {"acute"})
    assert xc["source_url"].str.match(r"https?://").all()


# --- vanguards ---------------------------------------------------------------------------------------


def test_fifty_vanguards_by_type(d):
    v = d["vanguards"]
    vc = integ.vanguard_counts(v)
    by_type = vc["type_wave"].groupby("type")["vanguards"].sum().to_dict()
    independent = {t: int(sum(1 for x in v["type"] if x == t)) for t in set(v["type"])}
    assert by_type == independent
    # research/integration-facts.md §3: 9 PACS, 14 MCP, 6 EHCH in March; 8 UEC in July; 13 ACC in September
    assert by_type == {"PACS": 9, "MCP": 14, "EHCH": 6, "UEC": 8, "ACC": 13}
    assert sum(by_type.values()) == 50
    pub = d["published_org_counts"]
    assert float(pub[pub["measure"] == "vanguards"]["value"].iloc[0]) == 50
    assert vc["region_type"]["vanguards"].sum() == 50


# --- evaluations ---------------------------------------------------------------------------------------


def test_evaluation_effects(d):
    eff = integ.evaluation_effects(d["evaluations"])
    assert len(eff) == d["evaluations"]["effect_pct"].notna().sum()
    m = eff[eff["source_key"] == "morciano2020vanguards"].set_index("outcome")["effect_pct"]
    # research notes §3: 4.2% reduction at care home sites, 3.1% at population sites
    assert m["emergency admissions (care home sites)"] == -4.2
    assert m["emergency admissions (population sites)"] == -3.1
    kinds = eff.set_index("source_key")["kind"]
    assert (eff[eff["source_key"] == "bmchsr2021pioneersvanguards"]["kind"] == "growth in the group").all()
    assert kinds["hsj2017forecasts"] == "forecast"
    assert kinds["hsj2018wolverhampton"] == "change before and after"
    with_ci = eff[eff["has_interval"]]
    assert ((with_ci["ci_low_pct"] <= with_ci["effect_pct"]) & (with_ci["effect_pct"] <= with_ci["ci_high_pct"])).all()
    assert integ.programme_cost(d["evaluations"]) == "£389m"  # research notes §3: about £389m


# --- arrangements ---------------------------------------------------------------------------------------


def test_form_summary_independent(d):
    a = d["integration_arrangements"]
    fs = integ.form_summary(a)
    for form in ("contractual", "structural"):
        rows = [r for _, r in a.iterrows() if r["form"] == form]
        assert fs.loc[form, "arrangements"] == len(rows)
        assert fs.loc[form, "failed"] == sum(r["status"] in ("collapsed", "wound down") for r in rows)
        assert fs.loc[form, "live"] == sum(r["status"] == "live" for r in rows)
    # Dudley Integrated Health and Care NHS Trust: a statutory trust created in 2020 and dissolved in 2024
    assert fs.loc["structural", "failed"] == 1


def test_fates_by_confidence_independent(d):
    a = d["integration_arrangements"]
    got = integ.fates_by_confidence(a).set_index(["form", "confidence"])
    assert len(got) == 6  # both forms, all three levels, zeros included
    for (form, level), row in got.iterrows():
        rows = [r for _, r in a.iterrows() if r["form"] == form and r["confidence"] == level]
        failed = [r["arrangement"] for r in rows if r["status"] in ("collapsed", "wound down")]
        assert row["arrangements"] == len(rows) and row["failed"] == len(failed)
        assert row["failed_names"] == sorted(failed)
    # the Wirral contract, reported wound down by a campaigning news site, is the one low-confidence failure
    assert got.loc[("contractual", "low"), "failed_names"] == ["Wirral integrated health and social care contract"]
    assert got.loc[("structural", "high"), "failed_names"] == ["Dudley Integrated Health and Care NHS Trust"]


def test_unitingcare_months(d):
    uc = d["integration_arrangements"]
    uc = uc[uc["arrangement"].str.startswith("UnitingCare")].iloc[0]
    s, e = pd.Timestamp(uc["start"]), pd.Timestamp(uc["end"])
    # research notes §4: collapsed after 8 months
    assert (e.year - s.year) * 12 + e.month - s.month == 8


def test_phased_paths(d):
    p = integ.phased_paths(d["integration_arrangements"])
    same = p[p["same_partners"]]
    assert len(same) == 1
    assert same.iloc[0]["earlier"] == "Northern Care Alliance NHS Group"
    assert same.iloc[0]["later"] == "Northern Care Alliance NHS Foundation Trust"
    assert p["icb_code"].unique().tolist() == ["QOP"]
    # a group model is structural: the one same-partner step is structural to structural
    assert (same["earlier_form"] == "structural").all() and (same["later_form"] == "structural").all()
    assert not ((same["earlier_form"] == "contractual") & (same["later_form"] == "structural")).any()


def test_closed_without_successor(d):
    cutoff = integ.as_of_end("trust_changes")
    got = integ.closed_without_successor(d["trusts"], d["trust_changes"], "2012-04-02", cutoff)
    # NHS Direct (2014), Dudley Integrated Health and Care (2024), Tavistock and Portman (2026): ODS close dates;
    # North Bristol (planned merger after the file's date) has a successor in the file and is not among them
    assert got["org_code"].tolist() == ["RYH", "RYK", "RNK"]


def test_trusts_outside_ods_file(d):
    got = integ.trusts_outside_ods_file(d["trusts"], "2012-04-01")
    # 243 trusts from the ODS trust file on 1 April 2012, plus Great Western Ambulance Service from the workforce files
    assert got["org_code"].tolist() == ["RX5"]
    assert integ.trust_count_change(d["trusts"])["first"] - len(got) == 243


def test_typology_examples_exist(d):
    """Every example in the chapter's typology table is a named arrangement in the data."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    block = md[md.index("```{list-table} Forms of integration") :]
    block = block[: block.index("\n```", 10)]
    rows = block.split("\n* - ")[2:]  # skip the header row
    names = set(d["integration_arrangements"]["arrangement"])
    short = {integ.short_name(n): n for n in names}
    assert len(rows) >= 6
    for row in rows:
        examples = row.strip().split("\n  - ")[-1]
        for ex in examples.split(";"):
            ex = re.sub(r"\s*\(form unconfirmed\)", "", ex.strip())
            assert ex in short or ex in names, ex


def test_every_shown_curated_row_has_a_source(d):
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for name in ("integration_arrangements", "evaluations", "vanguards", "timeline", "published_org_counts"):
        df = d[name]
        assert df["source_url"].str.match(r"https?://\S+$").all(), name
        assert set(df["source_key"]) <= keys, (name, set(df["source_key"]) - keys)
    ev = integ.policy_events(d["timeline"])
    assert ev["source_url"].str.match(r"https?://").all()


# --- beds around mergers ---------------------------------------------------------------------------------


def test_major_mergers_selection(d):
    mm = integ.major_mergers(d["trust_beds"], d["trust_changes"])
    codes = mm["successor_code"].tolist()
    # the four mergers the brief names are selected by the rule
    for c in ("R1H", "R0A", "REM", "RM3"):
        assert c in codes
    assert (mm["smallest_partner_beds"] >= integ.MAJOR_MIN_PARTNER_BEDS).all()
    assert (mm["beds_before"] >= integ.MAJOR_MIN_COMBINED_BEDS).all()


def test_merger_beds_independent(d):
    b = d["trust_beds"]
    q = b[b["period_type"] == "quarter"].copy()
    q["pe"] = pd.to_datetime(q["period_end"])
    mm = integ.major_mergers(b, d["trust_changes"])
    summ = integ.merger_bed_summary(integ.merger_bed_panels(b, mm)).set_index("successor_code")
    # Manchester University NHS FT, merged 1 October 2017 from RW3 and RM2
    codes = ["RW3", "RM2", "R0A"]
    before_q = pd.date_range("2016-10-01", periods=4, freq="QE")  # Dec 2016 .. Sep 2017
    after_q = pd.date_range("2018-10-01", periods=4, freq="QE")  # Dec 2018 .. Sep 2019

    def sel(qs):
        return q[q["org_code"].isin(codes) & q["pe"].isin(qs)].groupby("pe")["beds_available_total"].sum()

    before, after = sel(before_q).mean(), sel(after_q).mean()
    assert summ.loc["R0A", "beds_before"] == pytest.approx(before)
    assert summ.loc["R0A", "beds_after"] == pytest.approx(after)

    def eng(qs):
        return q[q["pe"].isin(qs)].groupby("pe")["beds_available_total"].sum().mean()

    rel = 100 * ((after / before - 1) - (eng(after_q) / eng(before_q) - 1))
    assert summ.loc["R0A", "relative_pp"] == pytest.approx(rel)


def test_bed_shift_north_manchester(d):
    s = integ.bed_shift(d["trust_beds"], ["RW6", "R0A"], "2021-06-30").set_index("org_code")
    # a hospital moved from Pennine Acute to Manchester University: roughly equal and opposite
    assert s.loc["RW6", "change"] < -300
    assert s.loc["R0A", "change"] > 300


# --- helpers of the chapter's numbers and figures --------------------------------------------------


def test_months_between():
    assert integ.months_between("2014-04-01", "2015-12-03") == 20
    assert integ.months_between("2015-12-31", "2016-01-01") == 1


def test_one_effect_refuses_ambiguous(d):
    effects = integ.evaluation_effects(d["evaluations"])
    row = integ.one_effect(effects, "Morciano", "care home")
    assert row["study"].startswith("Morciano")
    with pytest.raises(LookupError):
        integ.one_effect(effects, "Morciano", "")


def test_largest_annual_fall():
    by_year = pd.DataFrame({"year": [2012, 2013, 2014, 2015], "trust_type": "all", "trusts": [250, 240, 210, 205]})
    assert integ.largest_annual_fall(by_year) == (30, 2014)


def test_arrangements_in_board(d):
    arr = d["integration_arrangements"]
    icbs = pd.DataFrame({"icb_code": ["QOP", "QKK"], "icb_2026_code": ["QOP", "QKK"]})
    got = integ.arrangements_in_board(arr, icbs, "QOP")
    expected = arr.loc[arr["icb_code"] == "QOP", "arrangement"].tolist()
    assert got == expected and got
    assert integ.arrangements_in_board(arr, icbs, "QXX") == []


def test_merger_label():
    from nhsreport.publish.chapters.integration import merger_label

    assert merger_label("MID AND SOUTH ESSEX NHS FOUNDATION TRUST", "2020-04-01") == "Mid and South Essex (Apr 2020)"
    assert (
        merger_label("UNIVERSITY HOSPITALS SUSSEX NHS FOUNDATION TRUST", pd.Timestamp("2021-04-01"))
        == "Univ. Hospitals Sussex (Apr 2021)"
    )


def test_wrapped_title_and_difference_reading():
    from nhsreport.publish.chapters.integration import difference_reading
    from nhsreport.publish.chapters.integration_figures import wrapped_title

    assert wrapped_title("Manchester University (Oct 2017)", 16) == "Manchester|University|Oct 2017"
    assert difference_reading(0.5, 2.0).startswith("higher")
    assert difference_reading(-2.0, -0.5).startswith("lower")
    assert difference_reading(-1.0, 1.0).startswith("not distinguishable from the comparison group")
    assert "excludes" not in difference_reading(0.5, 2.0)


def test_prose_helpers():
    from nhsreport.publish.chapters.integration import en_dash_ranges, gaynor_numbers, ranking_text

    assert (
        ranking_text("South Somerset Symphony +15.6%; Dudley +10.8%")
        == "South Somerset Symphony (+15.6%) and Dudley (+10.8%)"
    )
    assert en_dash_ranges("about 1-3% of turnover, 4-5 years") == "about 1\u20133% of turnover, 4\u20135 years"
    assert gaynor_numbers("acute hospital mergers 1997-2006 (106 merged, 109 never merged)") == {
        "int_gaynor_years": "1997\u20132006",
        "int_gaynor_merged": 106,
        "int_gaynor_never": 109,
    }
    with pytest.raises(ValueError):
        gaynor_numbers("hospital mergers")
