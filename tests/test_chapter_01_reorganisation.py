"""Figures stated in the chapter "Reorganisation and national leadership, 2010–2026"
(book/01_reorganisation.ipynb).

The chapter's numbers come from nhsreport.analysis.reorganisation (and nhsreport.analysis.counting /
nhsreport.analysis.systems). Each is checked here against an independent computation from the processed
data (plain pandas, written differently) and, where the project's research notes give a
published or separately computed figure, against that too (the note is named with each check).
The executed chapter's glued values are compared with the same independent figures.
"""

from __future__ import annotations

import pandas as pd
import pytest

from nhsreport.analysis import counting
from nhsreport.analysis import reorganisation as reorg
from nhsreport.formatting import date_at_precision
from nhsreport.publish.chapters import conclusions as chapter_05
from nhsreport.publish.chapters import reorganisation as chapter_01
from nhsreport.publish.components import charts

from .conftest import ROOT, load_datasets

CHAPTER = ROOT / "book" / "01_reorganisation.ipynb"


@pytest.fixture(scope="module")
def d():
    return load_datasets(
        "timeline",
        "commissioners_over_time",
        "trusts",
        "icbs",
        "icb_allocations",
        "published_org_counts",
        "published_management_figures",
        "managers_by_org",
    )


def _open_on(trusts: pd.DataFrame, day: str) -> pd.DataFrame:
    day = pd.Timestamp(day)
    opened = pd.to_datetime(trusts["opened"])
    closed = pd.to_datetime(trusts["closed"])
    keep = [(o <= day) and (pd.isna(c) or c >= day) for o, c in zip(opened, closed)]
    return trusts[keep]


@pytest.fixture(scope="module")
def glued(executed_chapters):
    """The values the chapter glues, as the book build executed it."""
    return executed_chapters.glued(CHAPTER.stem)


# ------------------------------------------------------------------------------------------
# commissioners
# ------------------------------------------------------------------------------------------


def _independent_count(cot, body, year, month=None):
    dates = pd.to_datetime(cot["date"])
    m = (cot["body_type"] == body) & (dates.dt.year == year)
    if month is not None:
        m &= dates.dt.month == month
    vals = cot.loc[m, "count"].tolist()
    assert len(vals) == 1, (body, year, vals)
    return int(vals[0])


def test_commissioner_counts(d):
    cot = d["commissioners_over_time"]
    got = reorg.commissioner_counts(cot)
    assert (
        got["ccg_2013"] == _independent_count(cot, "CCG", 2013) == 211
    )  # Health Foundation navigator; ONS 2013 list (structure notes §4)
    assert (
        got["pct_2013"] == _independent_count(cot, "PCT", 2013) == 152
    )  # Health Foundation navigator (integration notes §6)
    assert got["sha_2012"] == _independent_count(cot, "SHA", 2012) == 10
    assert got["ccg_2019"] == _independent_count(cot, "CCG", 2019) == 191  # structure notes §4
    assert got["ccg_2020"] == _independent_count(cot, "CCG", 2020) == 135  # structure notes §4
    assert got["ccg_2021"] == _independent_count(cot, "CCG", 2021) == 106  # structure notes §4
    assert got["icb_2022"] == _independent_count(cot, "ICB", 2022) == 42  # NHS England (structure notes §3)
    assert got["icb_2026"] == _independent_count(cot, "ICB", 2026) == 36  # RCPCH/ODS: 42 - 12 + 6 (structure notes §3)
    assert got["stp_2016"] == _independent_count(cot, "STP", 2016) == 44  # NHS England footprints (structure notes §1)
    assert got["fall_2013_2022"] == pytest.approx((211 - 42) / 211)
    assert got["fall_2013_2026"] == pytest.approx((211 - 36) / 211)


def test_commissioner_counts_agree_with_published_counts(d):
    pub = d["published_org_counts"]
    got = reorg.commissioner_counts(d["commissioners_over_time"])

    def p(measure, year):
        m = pub[(pub["measure"] == measure) & (pd.to_datetime(pub["date"]).dt.year == year)]
        return int(m["value"].iloc[0])

    assert got["ccg_2013"] == p("clinical commissioning groups", 2013)
    assert got["pct_2013"] == p("primary care trusts abolished", 2013)
    assert got["icb_2022"] == p("integrated care boards", 2022)
    assert got["icb_2026"] == p("integrated care boards", 2026)


def test_icb_mergers_2026(d):
    icbs = d["icbs"]
    got = reorg.icb_mergers_2026(icbs)
    old = set(icbs["icb_code"])
    new = set()
    for parts in icbs["icb_2026_parts"]:
        for item in str(parts).split(";"):
            new.add(item.split(":")[0])
    assert got == {"n_2022": len(old), "n_2026": len(new), "closed": len(old - new), "opened": len(new - old)}
    # RCPCH's ODS-checked table: 12 ICBs close and 6 open on 1 April 2026 (structure notes §3)
    assert (got["closed"], got["opened"], got["n_2026"]) == (12, 6, 36)


# ------------------------------------------------------------------------------------------
# trusts
# ------------------------------------------------------------------------------------------

# ODS-derived count of trusts open on 1 April (integration notes §1, computed from the June 2026 etr), with
# Great Western Ambulance Service (RX5) in 2012: the etr omits it, but managers-fte-by-org-2009-2018.csv has it
# for 2009-2012 and org-change-paths-2000-2018.csv dissolves it into RYF on 2013-02-01
PUBLISHED_TRUSTS = {
    2012: 244,
    2013: 242,
    2014: 240,
    2015: 236,
    2016: 234,
    2017: 230,
    2018: 227,
    2019: 222,
    2020: 214,
    2021: 211,
    2022: 208,
    2023: 207,
    2024: 206,
    2025: 202,
    2026: 199,
}


def test_trust_counts(d):
    trusts = d["trusts"]
    got = reorg.trust_counts(trusts)
    independent = {y: len(_open_on(trusts, f"{y}-04-01")) for y in range(2012, 2027)}
    assert independent == PUBLISHED_TRUSTS
    assert got["first"] == independent[2012] and got["last"] == independent[2026]
    assert got["change"] == independent[2026] - independent[2012] == -45  # a net fall of 45 trusts
    assert round(100 * got["pct_change"], 1) == -18.4
    falls = {y: independent[y - 1] - independent[y] for y in range(2013, 2027)}
    worst = max(falls, key=falls.get)
    assert (got["largest_fall_year"], got["largest_fall"]) == (worst, falls[worst]) == (2020, 8)  # "2019/20 (-8)"
    acute = {y: int((_open_on(trusts, f"{y}-04-01")["trust_type"] == "acute").sum()) for y in (2012, 2026)}
    assert (got["acute_first"], got["acute_last"]) == (acute[2012], acute[2026])
    # 11 ambulance trusts in 2012 (with RX5), 10 from 2013 (the notes' "10 throughout" missed RX5)
    assert (got["ambulance_first"], got["ambulance_last"], got["ambulance_max"], got["ambulance_min"]) == (
        11,
        10,
        11,
        10,
    )


def test_trusts_by_type_adds_up(d):
    by = reorg.trusts_by_type(d["trusts"])
    assert by.groupby("year")["trusts"].sum().to_dict() == PUBLISHED_TRUSTS


def test_trust_years_end_at_the_last_april_the_file_covers(d):
    trusts = d["trusts"]
    latest = max(pd.to_datetime(trusts["opened"]).max(), pd.to_datetime(trusts["closed"]).max())
    first, last = reorg.trust_years(trusts)
    assert first == 2012 and pd.Timestamp(f"{last}-04-01") <= latest < pd.Timestamp(f"{last + 1}-04-01")


def test_ambulance_mergers(d):
    trusts = d["trusts"]
    got = reorg.ambulance_mergers(trusts, 2012, 2026)
    amb = trusts[trusts["trust_type"] == "ambulance"]
    gone = set(_open_on(amb, "2012-04-01")["org_code"]) - set(_open_on(amb, "2026-04-01")["org_code"])
    assert set(got["org_code"]) == gone == {"RX5"}  # Great Western Ambulance Service, into RYF
    row = got.iloc[0]
    assert row["successor_code"] == "RYF" and row["merged"] == pd.Timestamp("2013-02-01")


def test_care_trusts_and_the_published_count(d):
    year, care = counting.care_trusts_reporting(d["managers_by_org"])
    assert (year, care) == (2018, ["TAD", "TAF", "TAH", "TAJ"])
    gap = reorg.care_trust_gap(d["trusts"], d["published_org_counts"], care)
    assert gap == {"year": 2020, "counted": 214, "published": 217, "with_care": 218, "gap": 1}


def test_published_value_needs_one_row(d):
    pub = d["published_org_counts"]
    assert reorg.published_value(pub, "integrated care boards", 2026) == 36
    with pytest.raises(LookupError):
        reorg.published_value(pub, "integrated care boards")  # 2022 and 2026


def test_types_missing_at_end():
    by_type = pd.DataFrame(
        {
            "year": [2012, 2012, 2013, 2013, 2014, 2014],
            "trust_type": ["acute", "other", "acute", "other", "acute", "other"],
            "trusts": [5, 1, 5, 1, 4, 0],
        }
    )
    assert reorg.types_missing_at_end(by_type) == ([2012, 2013], ["other"])


def test_dates_at_their_precision():
    assert date_at_precision("2025-03-13", "day") == "13 March 2025"
    assert date_at_precision("2025-03-01", "month") == "March 2025"
    assert date_at_precision("2025-01-01", "year") == "2025"


def test_the_board_parameter_outlines_its_2022_icbs(d):
    icbs = d["icbs"]
    assert len(chapter_01.board_icbs_2022(icbs, "QOP")) == 1  # Greater Manchester kept its code
    central_east = icbs.loc[icbs["icb_2026_name"] == "Central East", "icb_2026_code"].iloc[0]
    assert len(chapter_01.board_icbs_2022(icbs, central_east)) == 3
    plain = chapter_01.regions_map(icbs).to_dict()
    outlined = chapter_01.regions_map(icbs, board="QOP").to_dict()
    assert len(outlined["layer"]) == len(plain["layer"]) + 1


def test_timeline_categories_look_the_same_in_chapters_1_and_5(d):
    """One colour and one shape per category of event (charts.TIMELINE_STYLE) in both chapters."""

    def styles(spec):
        found = {}
        for node in [spec, *spec.get("vconcat", []), *[lay for v in spec.get("vconcat", []) for lay in v["layer"]]]:
            enc = node.get("encoding", {})
            if "color" in enc and "shape" in enc:
                colour, shape = enc["color"]["scale"], enc["shape"]["scale"]
                found.update({c: (colour["range"][i], shape["range"][i]) for i, c in enumerate(colour["domain"])})
        return found

    timeline = d["timeline"]
    ch1 = styles(chapter_01.timeline_chart(timeline).to_dict())
    ch5 = styles(chapter_05.churn_chart(timeline).to_dict())
    assert set(ch5) == set(reorg.STRUCTURAL_CATEGORIES)
    assert all(ch5[c] == ch1[c] == charts.TIMELINE_STYLE[c] for c in ch5)
    assert ch1["legislation"] == ("#000000", "circle")


# ------------------------------------------------------------------------------------------
# running costs
# ------------------------------------------------------------------------------------------


def test_running_costs(d):
    a = d["icb_allocations"]
    got = reorg.running_costs(a).set_index("financial_year")
    for fy in a["financial_year"].unique():
        rows = a[a["financial_year"] == fy]
        total_m = sum(rows["running_cost_allowance_gbp"]) / 1_000_000
        pop = int(sum(int(x) for x in rows["allocation_population"]))
        assert got.loc[fy, "rca_gbp_m"] == pytest.approx(total_m)
        assert got.loc[fy, "per_head_gbp"] == pytest.approx(total_m * 1e6 / pop)
    # NHS England allocations, computed in the management notes C9: £1,108.8m, £908.8m, £874.0m
    assert round(got.loc["2023/24", "rca_gbp_m"], 1) == 1108.8
    assert round(got.loc["2024/25", "rca_gbp_m"], 1) == 908.8
    assert round(got.loc["2025/26", "rca_gbp_m"], 1) == 874.0
    assert got.loc["2025/26", "change_on_first"] == pytest.approx(874.0 / 1108.8 - 1, abs=1e-3)


# ------------------------------------------------------------------------------------------
# timeline
# ------------------------------------------------------------------------------------------


def test_key_events_are_in_the_timeline(d):
    tl = d["timeline"]
    ev = reorg.key_events(tl)
    assert len(ev) == len(reorg.KEY_EVENTS)
    assert ev["date"].is_monotonic_increasing
    keys = set(zip(pd.to_datetime(tl["date"]).dt.strftime("%Y-%m-%d"), tl["category"]))
    for k in reorg.KEY_EVENTS:
        assert (k.date, k.category) in keys, k
        assert not any(ch.isdigit() for ch in k.label.replace("10 Year", "")), "labels carry no typed figures"


def test_event_dates_and_intervals(d):
    tl = d["timeline"]
    assert reorg.event_date_text(tl, "nhse_abolition") == "13 March 2025"
    assert reorg.event_date_text(tl, "hsca_2012") == "March 2012"  # month precision in the table
    assert reorg.event_date_text(tl, "icbs_2022") == "1 July 2022"
    days = (pd.Timestamp("2022-07-01") - pd.Timestamp("2016-03-15")).days
    assert reorg.years_between(tl, "stp_footprints", "icbs_2022") == pytest.approx(days / 365.25)


def test_events_by_year(d):
    tl = d["timeline"]
    got = reorg.events_by_year(tl)
    years = [pd.Timestamp(x).year for x in tl["date"]]
    assert int(got.sum()) == len(tl)
    for y in set(years):
        assert got[y] == years.count(y)
    assert got.index.min() == min(years) and got.index.max() == max(years)


def test_label_tiers_never_overlap():
    xs = [0, 10, 20, 200, 205, 480, 500, 550]
    ws = [150, 90, 60, 120, 100, 150, 80, 90]
    tier, align = reorg.label_tiers(xs, ws, plot_width=560, gap=10)
    spans = [((x - w, x) if a == "right" else (x, x + w)) for x, w, a in zip(xs, ws, align)]
    for s in spans:
        assert s[0] >= 0 and s[1] <= 560, s  # every label stays inside the plot
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if tier[i] == tier[j]:
                a, b = spans[i], spans[j]
                assert a[1] + 10 < b[0] or b[1] + 10 < a[0], (i, j)


# ------------------------------------------------------------------------------------------
# the executed chapter states the same figures
# ------------------------------------------------------------------------------------------


def test_glued_figures_equal_independent_computations(d, glued):
    trusts = d["trusts"]
    cot = d["commissioners_over_time"]
    assert glued["reorg_ccg_2013"] == _independent_count(cot, "CCG", 2013)
    assert glued["reorg_pct_2013"] == _independent_count(cot, "PCT", 2013)
    assert glued["reorg_icb_2022"] == _independent_count(cot, "ICB", 2022)
    assert glued["reorg_icb_2026"] == _independent_count(cot, "ICB", 2026)
    assert glued["reorg_trusts_first"] == len(_open_on(trusts, "2012-04-01"))
    assert glued["reorg_trusts_last"] == len(_open_on(trusts, "2026-04-01"))
    assert (glued["reorg_trusts_last_day"], glued["reorg_trusts_last_month"]) == ("1 April 2026", "April 2026")
    assert glued["reorg_trusts_2020"] == len(_open_on(trusts, "2020-04-01"))
    assert glued["reorg_trusts_pct_abs"] == pytest.approx(1 - 199 / 244)
    assert (glued["reorg_ambulance_first"], glued["reorg_ambulance_last"]) == (11, 10)
    assert "Great Western Ambulance Service" in glued["reorg_ambulance_merged"]
    # care trusts: TAD, TAF, TAH, TAJ report managers in 2018 (managers-fte-by-org-2009-2018.csv); 214 + 4 = 218,
    # one more than NHS Providers' 217, so care trusts more than explain the difference
    assert (glued["reorg_care_trusts_n"], glued["reorg_care_trusts_codes"]) == (4, "TAD, TAF, TAH, TAJ")
    assert (glued["reorg_trusts_2020_with_care"], glued["reorg_trusts_2020_gap"]) == (218, 1)
    # one window for the years with structural change in chapters 1 and 5
    assert (glued["reorg_years_with_structural"], glued["reorg_n_years"]) == (12, 17)
    assert glued["reorg_rca_first"] == pytest.approx(1108.76, abs=0.01)
    assert glued["reorg_icb_closed"] == 12 and glued["reorg_icb_opened"] == 6
    icbs = d["icbs"]
    per_region = icbs.groupby("region_name").size()
    assert glued["reorg_n_regions"] == len(per_region) == 7  # seven regions since April 2019 (structure notes §1)
    assert glued["reorg_region_most_n"] == per_region.max()
    assert glued["reorg_region_fewest_n"] == per_region.min()
    assert glued["reorg_n_events"] == len(d["timeline"])
    assert glued["reorg_d_nhse_abolition"] == "13 March 2025"
    mg = d["published_management_figures"].set_index("id")["value"]
    assert glued["reorg_cut_2025_target"] == mg["C6a"] == 50  # PQ 45937 (management notes C6)
    assert glued["reorg_blueprint_head"] == pytest.approx(18.76)  # Healthcare Leader (management notes C7)


def test_the_fall_by_type_adds_up_to_the_fall_in_trusts(d):
    trusts = d["trusts"]
    fall = chapter_01.fall_by_type(trusts, 2012, 2026)
    independent = {
        kind: int((_open_on(trusts, "2012-04-01")["trust_type"] == kind).sum())
        - int((_open_on(trusts, "2026-04-01")["trust_type"] == kind).sum())
        for kind in ("acute", "community", "mental health")
    }
    assert (
        {kind: int(fall[kind]) for kind in independent}
        == independent
        == {
            "acute": 30,
            "community": 7,
            "mental health": 6,
        }
    )
    assert fall.sum() == 244 - 199
    numbers = chapter_01.acute_community_numbers(trusts, 2012, 2026)
    assert numbers["reorg_fall_acute_community"] == 37  # the review's "37 of 45 (82%)"
    assert numbers["reorg_fall_acute_community_share"] == pytest.approx(37 / 45)


def test_captions_give_as_of_dates_in_uk_style():
    from nhsreport.formatting import as_of_text

    assert as_of_text("2022-07-01") == "1 July 2022"
    assert as_of_text("2026-06") == "June 2026"
    assert as_of_text("2025/26") == "2025/26"
