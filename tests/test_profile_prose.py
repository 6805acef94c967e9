"""The words of the system profiles: every one of the 36 profiles rendered and read for templated
grammar ("1 trusts", "0 trusts"), the "What this means for your board" box with its trends and
questions, and the trusts serving each area from elsewhere (its ambulance trust among them)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nhsreport import data
from nhsreport.analysis import board_facts, board_services, board_trends, management
from nhsreport.publish.pages import profiles

#: A count of one with a plural noun ("1 trusts", "1 NHS trusts") or a count of nought with any
#: noun ("0 trusts"), as figures: counts in prose are written by ``words.count_phrase``.
BAD_COUNT = re.compile(r"(?<![\d.,£])(?<!Figure )(1 (?:[A-Z]{2,} )?[a-z]+s\b|0 (?:[A-Z]{2,} )?[a-z]+)")


def bad_counts(text: str) -> list[str]:
    """The templated counts in ``text`` (HTML tags and table cells left out)."""
    prose = re.sub(r"<[^>]+>", " ", text)
    return [m.group(0) for m in BAD_COUNT.finditer(prose)]


def test_bad_counts_are_found():
    assert bad_counts("1 NHS trusts open") == ["1 NHS trusts"]
    assert bad_counts("0 trusts headquartered") == ["0 trusts"]
    assert bad_counts("3.0 in November 2025, £1 million, 10 trusts, 1 April 2026, Figure 1 counts heads") == []


@pytest.fixture(scope="module")
def ctx():
    return board_facts.BoardData()


@pytest.fixture(scope="module")
def trends(ctx):
    return profiles.board_trends_of(ctx)


@pytest.fixture(scope="module")
def pages(ctx, trends):
    original = profiles._chart
    profiles._chart = lambda *args: "<svg></svg>"  # the charts are not read here
    try:
        return {code: profiles.profile_markdown(ctx, code, None, trends) for code in ctx.boards.index}
    finally:
        profiles._chart = original


def test_every_profile_counts_in_words(pages):
    assert len(pages) == 36
    found = {code: bad_counts(md) for code, md in pages.items()}
    assert not {c: f for c, f in found.items() if f}
    for md in pages.values():
        for phrase in ("of its districts are shared", "trusts serving the area from elsewhere: 0", "1 counties"):
            assert phrase not in md


def test_every_profile_opens_with_what_it_means_and_its_questions(pages):
    for code, md in pages.items():
        box = md.split("## What this means for your board", 1)[1].split("## Headline figures", 1)[0]
        assert md.index("## What this means") < md.index("## Headline figures")
        questions = re.findall(r"^\d\. .+\{ref\}`[^`]+<system-" + code + r"-(\w+)>`\)$", box, re.M)
        assert 3 <= len(questions) <= 5, code
        for section in questions:
            assert f"(system-{code}-{section})=" in md
        assert "Running cost allowance:" in box and "Managers per 100 staff on its footprint" in box


def test_every_area_has_an_ambulance_trust_and_the_partner_lists_are_dated(ctx, pages):
    for code, md in pages.items():
        ambulance = board_services.ambulance_trusts(ctx, code)
        assert ambulance, code
        assert all(t["org_code"] in set(ctx.open_trusts["org_code"]) for t in ambulance)
        assert "Ambulance service:" in md and "The lists stop in 2019" in md
    # the reviewers' examples: Somerset and Northamptonshire are served from elsewhere
    somerset = board_services.ambulance_trusts(ctx, "QSL")
    assert [t["org_code"] for t in somerset] == ["RYF"] and somerset[0]["hq_code"] == "QJK"
    assert "RX9" in [t["org_code"] for t in board_services.ambulance_trusts(ctx, "QPM")]
    assert "South Western Ambulance Service" in pages["QSL"].split("### Trusts serving")[1]


def test_allowance_trend_ends_at_the_headline_figure(ctx, trends):
    a = trends["allowances"]
    last = a[a["financial_year"] == ctx.rca_year].set_index("icb_2026_code")
    pd.testing.assert_series_equal(
        last.loc[ctx.boards.index, "rca_per_head"], ctx.boards["rca_per_head"], check_names=False
    )
    # England is the sum of the boards, each year
    alloc = data.load("icb_allocations")
    for year, g in alloc.groupby(alloc["financial_year"].astype(str)):
        eng = a[(a["icb_2026_code"] == "England") & (a["financial_year"] == year)]
        assert eng["rca_gbp"].iloc[0] == pytest.approx(g["running_cost_allowance_gbp"].sum())


def test_density_trend_on_both_bases(ctx, trends):
    d = trends["density"]
    assert sorted(d["date"].dt.year.unique()) == [2017, 2018, 2025]
    latest = d[(d["basis"] == "published") & (d["date"] == ctx.staff_date)].set_index("icb_2026_code")
    pd.testing.assert_series_equal(
        latest.loc[ctx.boards.index, "managers_per_100_staff"], ctx.boards["managers_per_100_staff"], check_names=False
    )
    # staff other than doctors: fewer staff, the same managers, on every date
    pub = d[d["basis"] == "published"].set_index(["icb_2026_code", "date"])
    excl = d[d["basis"] == "excluding_doctors"].set_index(["icb_2026_code", "date"])
    assert (excl["staff_fte"] < pub["staff_fte"]).all()
    pd.testing.assert_series_equal(excl["managers_fte"], pub["managers_fte"])
    # England as the boards add up, close to every organisation in the files (within 0.5%)
    staff = data.load("staff_by_org")
    for when in d["date"].unique():
        eng = pub.loc[("England", when), "managers_per_100_staff"]
        assert eng == pytest.approx(management.managers_per_100_staff(staff, when), rel=5e-3)


def test_staff_without_doctors_takes_doctors_out_of_all_staff_only():
    staff = pd.DataFrame(
        {
            "date": pd.to_datetime(["2017-09-30"] * 3 + ["2025-11-30"] * 2),
            "org_code": ["A"] * 3 + ["A"] * 2,
            "staff_group_std": [
                "All staff",
                "HCHS doctors",
                "Managers",
                "All staff",
                "HCHS doctors excluding resident doctors",
            ],
            "fte": [100.0, 20.0, 5.0, 90.0, 10.0],
        }
    )
    out = board_trends.staff_without_doctors(staff)
    assert list(out["fte"]) == [80.0, 20.0, 5.0, 80.0, 10.0]


def test_running_cost_cut():
    a = pd.DataFrame(
        {
            "icb_2026_code": ["X", "X"],
            "financial_year": ["2024/25", "2025/26"],
            "rca_gbp": [60e6, 40e6],
            "allocation_population": [1e6, 2e6],
        }
    )
    cut = board_trends.running_cost_cut(a, "X", 50)
    assert cut == {"year": "2025/26", "allowance_gbp": 40e6, "cut_gbp": 20e6, "after_gbp": 20e6, "after_per_head": 10.0}
    with pytest.raises(KeyError):
        board_trends.running_cost_cut(a, "Y", 50)


def _strings(value) -> list[str]:
    """Every string inside ``value`` (nested dicts and lists)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_briefing_counts_in_words_and_england_speaks_of_the_boards_of_2026():
    from nhsreport.publish.briefing import figures

    bctx = figures.load_context()
    texts = {code: " ".join(_strings(figures.board(bctx, code))) for code in bctx.boards.index}
    england = figures.england(bctx)
    texts["england"] = " ".join(_strings(england))
    assert not {c: bad_counts(t) for c, t in texts.items() if bad_counts(t)}
    findings = " ".join(england["findings"])
    n = len(bctx.boards)
    assert f"Counting each of the {n} boards of" in findings and f"The {n} boards of" in findings
    largest = bctx.boards["population"].idxmax()
    assert bctx.boards.loc[largest, "icb_2026_name"] in findings  # the largest board of 2026, not of 2022
    # the England briefing and the board briefings state the same allowance of a board
    assert england["values"]["population"]["max"] == bctx.records[largest].figures["population"]


def test_briefing_list_names_the_boards_of_2026(capsys):
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("briefing_script", ROOT / "scripts" / "briefing.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--list"]) == 0
    out = capsys.readouterr().out
    ctx = board_facts.BoardData()
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert len(rows) == 36
    assert {r[0] for r in rows} == set(ctx.boards.index)
    for code, name in ctx.boards["icb_2026_name"].items():
        assert f"{code:<6} {name}  (" in out


def test_profile_csvs_name_the_board_on_every_row_and_open_in_excel(ctx, trends):
    import csv
    import io

    from nhsreport.publish.pages import profile_csv

    for code in ("S1Y5D", "QSL"):
        blob = profile_csv.profile_csv(ctx, code, trends, profiles.serving_trusts(ctx, code))
        assert blob.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(blob.decode("utf-8-sig"))))
        assert {r["board_code"] for r in rows} == {code}
        assert {r["board_name"] for r in rows} == {ctx.records[code].name}
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["as_of_date"]) for r in rows)
        sections = {r["section"] for r in rows}
        assert {"headline", "trend", "peer", "council", "district", "trust", "2025 instruction"} <= sections
        assert {r["item_code"] for r in rows if r["section"] == "peer"} == set(ctx.records[code].peers)
        assert all(r["unit"] != "FTE" or r["figure"] == "Staff" for r in rows)
    serving = [r for r in rows if r["section"] == "trust serving the area from elsewhere"]
    assert [r["item_code"] for r in serving] == ["RYF"]  # Somerset: South Western Ambulance Service
    every = list(csv.DictReader(io.StringIO(profile_csv.boards_csv(ctx).decode("utf-8-sig"))))
    assert [r["board_code"] for r in every] == list(ctx.boards.index)
    assert all(r["ambulance_trusts"] for r in every)
