"""The management chapter's package code (nhsreport.publish.chapters.management*): its reporting
periods come from the data, its figure descriptions follow the numbers, and the board a reader
names is ringed in the dot plot of systems. Also the helpers it added to analysis and formatting."""

from __future__ import annotations

import pandas as pd
import pytest

from nhsreport.analysis import management as mg
from nhsreport.formatting import short_month_year
from nhsreport.publish.chapters import management as M
from nhsreport.publish.chapters import management_comparisons as comparisons
from nhsreport.publish.chapters import management_figures as figures

from .conftest import load_datasets


def test_short_month_year():
    assert short_month_year("2025-11-30") == "Nov 2025"
    assert short_month_year(pd.Timestamp("2009-09-30")) == "Sep 2009"


def test_ratio_with_residents():
    row = pd.Series({"all_managers_fte": 30.0, "staff_fte": 1000.0, "managers_per_100_staff": 3.0})
    # 30 managers over 1,000 + 1,000 staff is 1.5 per 100
    assert mg.ratio_with_residents(row, 1000) == pytest.approx(1.5)
    assert mg.ratio_with_residents(row, 0) == pytest.approx(3.0)
    lo, hi = mg.RESIDENT_DOCTORS_FTE
    assert 0 < lo < hi


@pytest.fixture(scope="module")
def ch():
    names = [
        "workforce_national",
        "managers_by_org",
        "staff_by_org",
        "icbs",
        "icb_allocations",
        "published_management_figures",
        "admin_costs_international",
        "consultants_by_org",
        "trust_finances",
        "commissioners_over_time",
        "trusts",
        "lad_board_overlap",
        "claims",
    ]
    d = load_datasets(*names)
    fields = ["workforce", "managers", "staff", "icbs", "allocations", "published", "international"]
    fields += ["consultants", "finances", "commissioners", "trusts", "lad_board_overlap", "claims"]
    return M.Management(M.Tables(**{f: d[n] for f, n in zip(fields, names)}), board="West and North London")


def test_snapshots_read_from_the_data(ch):
    dates = sorted(ch.t.staff["date"].unique())
    assert ch.latest == dates[-1] and ch.first == dates[0]
    assert ch.last_annual.year == ch.t.managers["year"].max()
    assert list(ch.fte) == [str(ch.first.year), str(ch.last_annual.year), str(ch.latest.year)]
    assert short_month_year(ch.latest) in set(ch.shares["period"]) and short_month_year(ch.latest) in set(
        ch.per_org["period"]
    )


def test_descriptions_follow_the_numbers(ch):
    numbers = M.chapter_numbers(ch)
    _, text = figures.ratio_chart(ch)
    assert f"{numbers['mgmt_hc_2009_per100']:.1f} in 2009" in text
    _, text = figures.cluster_chart(ch)
    assert f"{numbers['mgmt_acute_per100_2025']:.1f}" in text and f"{numbers['mgmt_icb_per100_2025']:.0f} (ICBs" in text
    _, text = comparisons.ics_dots_chart(ch)
    assert f"{numbers['mgmt_ics_max']:.1f} in {numbers['mgmt_ics_max_name']}" in text
    assert f"{numbers['mgmt_ics_min']:.1f} in {numbers['mgmt_ics_min_name']}" in text
    _, text = comparisons.international_chart(ch)
    assert f"{numbers['mgmt_intl_uk']:g} per cent for the UK" in text
    _, text = comparisons.running_cost_chart(ch)
    assert f"{numbers['mgmt_rca_first_year']} and {numbers['mgmt_rca_last_year']}" in text


def test_board_ringed_in_the_dot_plot(ch):
    icbs = ch.t.icbs
    assert set(ch.board_systems) == set(icbs.loc[icbs["icb_2026_name"] == "West and North London", "icb_code"])
    assert len(ch.board_systems) == 2  # formed from two systems of 2022
    chart, text = comparisons.ics_dots_chart(ch)
    assert len(chart.layer) == 5 and "North Central London" in text and "North West London" in text
    plain = M.Management(ch.t)  # no board: the default build's four layers
    chart, text = comparisons.ics_dots_chart(plain)
    assert len(chart.layer) == 4 and "ringed" not in text


def test_no_rule_of_the_ratio_chart_runs_through_a_label(ch):
    """fig-mgmt-ratio as the browser draws it: no break's dashed rule crosses another break's label
    ("Apr 2013" ran through "2019–20: managers shift to senior managers"), halo or not: the rules
    stop short of the labels (:func:`figures.break_rule_segments`)."""
    import vl_convert as vlc

    from nhsreport.publish.components.charts import collisions

    chart, _ = figures.ratio_chart(ch)
    svg = vlc.vegalite_to_svg(chart.to_dict())
    boxes, lines = collisions.text_boxes(svg), collisions.rule_segments(svg)
    labels = {label for _, label, _, _ in figures.RATIO_BREAKS}
    assert labels <= {b.text for b in boxes}
    assert len(lines) > len(figures.RATIO_BREAKS), "no rule was cut: the check checked nothing"
    struck = {b.text for s in lines for b in boxes if collisions._crosses(s, b, 1.0) and not collisions._ends_in(s, b)}
    assert not struck, struck
