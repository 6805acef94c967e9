"""Tests of nhsreport.analysis.finance: the functions on small frames with known answers, and the
chapter's headline figures recomputed from the raw files by a second route."""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from nhsreport.analysis import finance as fi
from nhsreport.build import sources

from .conftest import ROOT, load_datasets

RAW = ROOT / "data" / "raw"


def _staff(rows):
    return pd.DataFrame(
        [
            {"date": pd.Timestamp(d), "org_code": c, "org_name": c, "org_type": t, "staff_group_std": gname, "fte": v}
            for d, c, t, gname, v in rows
        ]
    )


SBO = _staff(
    [
        ("2025-11-30", "RA1", "acute", "Managers", 20),
        ("2025-11-30", "RA1", "acute", "Senior managers", 5),
        ("2025-11-30", "RA1", "acute", "Central functions", 75),
        ("2025-11-30", "RA1", "acute", "All staff", 1000),
        ("2025-11-30", "RM1", "mental health", "Managers", 30),
        ("2025-11-30", "RM1", "mental health", "All staff", 500),
        ("2025-11-30", "QXX", "ICB", "Managers", 60),
        ("2025-11-30", "QXX", "ICB", "Senior managers", 40),
        ("2025-11-30", "QXX", "ICB", "Central functions", 50),
        ("2025-11-30", "QXX", "ICB", "All staff", 200),
    ]
)


def test_density_and_wider_definition():
    d = fi.density_per_org(SBO, "2025-11-30").set_index("org_code")
    assert d.at["RA1", "managers_per_100_staff"] == 2.5 and d.at["RA1", "wide_per_100_staff"] == 10.0
    assert d.at["QXX", "managers_per_100_staff"] == 50.0 and d.at["RM1", "central_fte"] == 0
    w = fi.wider_definition(SBO, dates=("2025-11-30",)).set_index("org_type")
    assert w.at["England", "narrow_per_100"] == pytest.approx(100 * 155 / 1700)
    assert w.at["England", "wide_per_100"] == pytest.approx(100 * 280 / 1700)
    assert w.at["ICB", "narrow_rank"] == 1 and w.at["acute", "narrow_rank"] == 3 and w.at["acute", "wide_rank"] == 2


def test_managers_per_org_and_summary():
    mbo = pd.DataFrame(
        {
            "year": [2013, 2013, 2013, 2013],
            "org_code": ["01A", "02B", "03C", "5AB"],
            "org_type": ["CCG", "CCG", "CCG", "PCT"],
            "managers_fte": [10.0, 20.0, 0.0, 5.0],
        }
    )
    po = fi.managers_per_org(mbo, SBO)
    assert set(po["year"]) == {2013, 2025}
    assert po.loc[po["year"] == 2013, "snapshot"].isna().all()  # September rows: no snapshot date
    assert set(po.loc[po["year"] == 2025, "snapshot"]) == {pd.Timestamp("2025-11-30")}  # the latest snapshot
    assert "03C" not in set(po["org_code"]) and "5AB" not in set(po["org_code"])  # no managers; PCTs not shown
    h = fi.heft_summary(po).set_index(["year", "org_type"])
    assert h.at[(2013, "CCG"), "median"] == 15.0 and h.at[(2013, "CCG"), "n"] == 2
    assert h.at[(2025, "ICB"), "total"] == 100.0


def test_managers_per_consultant_uses_trusts_with_both():
    mbo = pd.DataFrame(
        {
            "year": [2009, 2009, 2009],
            "org_code": ["RA1", "RA2", "01A"],
            "org_type": ["acute", "acute", "CCG"],
            "managers_fte": [50.0, 30.0, 10.0],
        }
    )
    cons = pd.DataFrame({"year": [2009, 2009], "org_code": ["RA1", "01A"], "consultants_fte": [100.0, 1.0]})
    m = fi.managers_per_consultant(mbo, cons).set_index("org_type")
    assert m.at["All trusts", "managers_per_consultant"] == 0.5 and m.at["All trusts", "n_trusts"] == 1


def test_sector_position_ignores_unreported_years():
    f = pd.DataFrame(
        {
            "year": [2015, 2015, 2015],
            "org_code": ["RA1", "RA2", "RA3"],
            "income_gbp_k": [100.0, 200.0, 0],
            "cost_gbp_k": [110.0, 190.0, 0],
            "surplus_gbp_k": [-10.0, 5.0, 0],
            "reported": [True, True, False],
        }
    )
    s = fi.sector_position(f).iloc[0]
    assert s["label"] == "2015/16" and s["n_trusts"] == 2 and s["n_deficit"] == 1 and s["share_deficit"] == 0.5
    assert s["net_bn"] == pytest.approx(-5e-6) and s["gross_deficit_bn"] == pytest.approx(-1e-5)


def _synthetic_panel(slope: float, n_trusts=60, years=range(2010, 2016), seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_trusts):
        t = "acute" if i % 3 else "mental health"
        level = rng.normal(4, 1)
        for y in years:
            x = level + rng.normal(0, 0.3)
            rows.append(
                {
                    "year": y,
                    "org_code": f"R{i:02d}",
                    "org_type": t,
                    "managers_per_10m": x,
                    "log_cost": 12 + rng.normal(0, 0.5),
                    "surplus_pct": slope * x + (1.0 if t == "mental health" else 0) + rng.normal(0, 1),
                }
            )
    return pd.DataFrame(rows)


def test_regression_recovers_a_known_slope_with_an_interval():
    p = _synthetic_panel(0.8)
    b = fi.regression(p, "managers_per_10m", n_boot=300)
    assert b["lo"] < 0.8 < b["hi"] and b["lo"] > 0.4
    assert b["coef_per_sd"] == pytest.approx(b["coef"] * p["managers_per_10m"].std())
    r = fi.rank_correlation(p, "managers_per_10m", n_boot=300)
    assert r["lo"] < r["rho"] < r["hi"] and r["lo"] > 0
    # no relation: the interval covers zero
    null = fi.regression(_synthetic_panel(0.0, seed=2), "managers_per_10m", n_boot=300)
    assert null["lo"] < 0 < null["hi"]


def test_bootstrap_resamples_trusts_not_rows():
    p = _synthetic_panel(0.5, n_trusts=5)
    for idx in fi._cluster_draws(p["org_code"].to_numpy(), 20, 3):
        counts = p.iloc[idx].groupby("org_code").size()
        assert (counts % 6 == 0).all()  # whole trusts, six years each


# ------------------------------------------------------------------------------------------
# second route from the raw files
# ------------------------------------------------------------------------------------------

needs_raw = pytest.mark.skipif(
    not (RAW / "nhs-workforce/trust-financial-positions-2010-2018.csv").exists(),
    reason="data/raw not present (run `make data-raw`)",
)


def _rows(source_id):
    with open(RAW / sources.get(source_id).path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@needs_raw
def test_sector_deficits_from_raw():
    s = fi.sector_position(load_datasets("trust_finances")["trust_finances"]).set_index("year")
    rows = [
        r
        for r in _rows("trust_financial_positions_2010_2018")
        if not (float(r["OP_INCOME"]) == 0 and float(r["OP_COST"]) == 0)
    ]
    for y in (2010, 2015, 2017):
        yr = [r for r in rows if int(r["YEAR"]) == y]
        assert s.at[y, "n_trusts"] == len(yr)
        assert s.at[y, "n_deficit"] == sum(float(r["FINANCIAL_POSITION"]) < 0 for r in yr)
        assert s.at[y, "gross_deficit_bn"] == pytest.approx(
            sum(min(float(r["FINANCIAL_POSITION"]), 0) for r in yr) / 1e6
        )
    assert s["net_bn"].idxmin() == 2015 and s.at[2010, "net_bn"] > 0


@needs_raw
def test_managers_per_consultant_from_raw():
    d = load_datasets("managers_by_org", "consultants_by_org")
    types = dict(zip(d["managers_by_org"]["org_code"], d["managers_by_org"]["org_type"]))
    mgr = {
        (int(r["YEAR"]), r["ORG_CODE"].strip()): float(r["SIMPLE_MANAGERS_FTE"])
        for r in _rows("managers_fte_by_org_2009_2018")
    }
    con = {
        (int(r["YEAR"]), r["ORG_CODE"].strip()): float(r["SIMPLE_CONSULTANTS_FTE"])
        for r in _rows("consultants_fte_by_org_2009_2018")
    }
    tot = defaultdict(lambda: [0.0, 0.0])
    for (y, c), m in mgr.items():
        if types.get(c) in fi.TRUST_TYPES and con.get((y, c), 0) > 0:
            tot[y][0] += m
            tot[y][1] += con[(y, c)]
    got = fi.managers_per_consultant(d["managers_by_org"], d["consultants_by_org"])
    got = got[got["org_type"] == "All trusts"].set_index("year")["managers_per_consultant"]
    for y in (2009, 2018):
        assert got[y] == pytest.approx(tot[y][0] / tot[y][1])
    assert got[2018] < got[2009]


@needs_raw
def test_wider_definition_from_raw_turnover_file():
    sbo = load_datasets("staff_by_org")["staff_by_org"]
    w = fi.wider_definition(sbo, dates=("2025-11-30",)).set_index("org_type")
    sums = defaultdict(float)
    for r in _rows("turnover_benchmarking_2025_11"):
        if r["TYPE"] == "Denominator at end of period" and r["FTE"] not in ("", "*"):
            sums[r["STAFF_GROUP_1_NAME"].strip().lower()] += float(r["FTE"])
    narrow = sums["managers"] + sums["senior managers"]
    assert w.at["England", "narrow_per_100"] == pytest.approx(100 * narrow / sums["all staff groups"])
    assert w.at["England", "wide_per_100"] == pytest.approx(
        100 * (narrow + sums["central functions"]) / sums["all staff groups"]
    )
    assert w.at["acute", "narrow_rank"] == w.at["acute", "wide_rank"] == 5  # acute trusts least dense on both


@needs_raw
def test_association_is_stated_with_its_interval():
    d = load_datasets("trust_finances", "managers_by_org", "consultants_by_org")
    p = fi.trust_panel(d["trust_finances"], d["managers_by_org"], d["consultants_by_org"])
    assert p["org_type"].isin(fi.TRUST_TYPES).all() and (p["managers_fte"] > 0).all()
    a = fi.association_table(p, n_boot=200).set_index("measure")
    for m in ("managers_per_10m", "managers_per_consultant"):
        assert a.at[m, "rho_lo"] < a.at[m, "rho"] < a.at[m, "rho_hi"]
        assert a.at[m, "coef_lo"] < a.at[m, "coef_per_sd"] < a.at[m, "coef_hi"]
    # the chapter says no association is distinguishable once type, size and year are compared
    assert a.at["managers_per_10m", "coef_lo"] < 0 < a.at["managers_per_10m", "coef_hi"]


@needs_raw
def test_density_joins_the_panel_in_the_two_years_with_staff_snapshots():
    d = load_datasets("trust_finances", "managers_by_org", "consultants_by_org", "staff_by_org")
    p = fi.trust_panel(d["trust_finances"], d["managers_by_org"], d["consultants_by_org"], d["staff_by_org"])
    have = p[p["managers_per_100_staff"].notna()]
    assert set(have["year"]) == {2017, 2018} and (have.groupby("year").size() > 200).all()
    for year, date in ((2017, "2017-09-30"), (2018, "2018-06-30")):
        dens = fi.density_per_org(d["staff_by_org"], date).set_index("org_code")["managers_per_100_staff"]
        r = have[have["year"] == year].iloc[0]
        assert r["managers_per_100_staff"] == pytest.approx(dens[r["org_code"]])
    # the association table keeps the first year; the robustness table has both
    a = fi.association_table(p, n_boot=200).set_index("measure")
    assert a.at["managers_per_100_staff", "n"] == (have["year"] == 2017).sum()
    assert a.at["managers_per_100_staff", "label"].endswith("(2017/18)")
    r = fi.robustness_table(p, fence=5.3, n_boot=200).set_index("key")
    assert r.at["per100_2018", "n"] == (have["year"] == 2018).sum()
    assert r.at["per100_2017_acute", "n"] < r.at["per100_2017_below_fence", "n"] < r.at["per100_2017", "n"]
    assert (r["lo"] <= r["estimate"]).all() and (r["estimate"] <= r["hi"]).all()
    # before the Sustainability and Transformation Fund: 2010/11 to 2015/16 only
    assert r.at["per10m_rank_pre_stf", "n"] == (p["year"] < fi.STF_FIRST_YEAR).sum()


def _fe_panel(seed=1):
    """A panel where trusts with more managers are richer for good (a trust effect), but within a
    trust one more manager per £10m goes with 0.5 points more surplus."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(40):
        level = rng.normal(0, 3)
        for year in range(2010, 2016):
            x = 5 + level + rng.normal(0, 1)
            rows.append(
                {
                    "org_code": f"T{i}",
                    "org_type": "acute",
                    "year": year,
                    "managers_per_10m": x,
                    "log_cost": 10 + rng.normal(0, 0.1),
                    "surplus_pct": 2.0 * level + 0.5 * x + 0.3 * (year - 2010) + rng.normal(0, 0.2),
                }
            )
    return pd.DataFrame(rows)


def test_within_trust_regression_recovers_the_within_slope():
    p = _fe_panel()
    w = fi.within_trust_regression(p, "managers_per_10m", n_boot=200)
    assert w["coef"] == pytest.approx(0.5, abs=0.05)
    assert w["lo"] < 0.5 < w["hi"] and w["n"] == 240 and w["n_trusts"] == 40
    assert w["coef_per_sd"] == pytest.approx(w["coef"] * p["managers_per_10m"].std())
    # the cross-section mixes in the trust effect and is far off
    assert fi.regression(p, "managers_per_10m", n_boot=50)["coef"] > 1.0


def test_within_trust_regression_agrees_with_trust_indicators():
    """Second route: the same coefficient from a plain least squares with one indicator per trust
    and per year (an unbalanced panel: a year of some trusts is missing)."""
    p = _fe_panel(seed=2)
    p = p.drop(index=p.index[::7]).reset_index(drop=True)
    w = fi.within_trust_regression(p, "managers_per_10m", n_boot=10)
    trusts = pd.get_dummies(p["org_code"], dtype=float)
    years = pd.get_dummies(p["year"], dtype=float).iloc[:, 1:]
    X = np.column_stack([p["managers_per_10m"], p["log_cost"], trusts, years])
    coef = np.linalg.lstsq(X, p["surplus_pct"].to_numpy(float), rcond=None)[0][0]
    assert w["coef"] == pytest.approx(coef, rel=1e-9)


@needs_raw
def test_within_trust_association_on_the_trust_panel():
    d = load_datasets("trust_finances", "managers_by_org", "consultants_by_org")
    p = fi.trust_panel(d["trust_finances"], d["managers_by_org"], d["consultants_by_org"])
    w = fi.within_trust_regression(p, "managers_per_10m", n_boot=200)
    trusts = pd.get_dummies(p["org_code"], dtype=float)
    years = pd.get_dummies(p["year"], dtype=float).iloc[:, 1:]
    X = np.column_stack([p["managers_per_10m"], p["log_cost"], trusts, years])
    coef = np.linalg.lstsq(X, p["surplus_pct"].to_numpy(float), rcond=None)[0][0]
    assert w["coef"] == pytest.approx(coef, rel=1e-6)
    assert w["n"] == len(p) == 2150
    # small and positive, with an interval that includes no association
    assert 0 < w["coef_per_sd"] < 0.5 and w["lo_per_sd"] < 0 < w["hi_per_sd"]


def test_constant_panel_keeps_the_trusts_of_every_year():
    tf = pd.DataFrame(
        [
            {"org_code": c, "year": y, "reported": True, "income_gbp_k": 100, "cost_gbp_k": 100, "surplus_gbp_k": s}
            for c, y, s in [("A", 2010, 5), ("A", 2011, -5), ("B", 2010, -5), ("B", 2011, -5), ("C", 2010, -5)]
        ]
    )
    whole = fi.sector_position(tf).set_index("year")
    fixed = fi.constant_panel_position(tf).set_index("year")
    assert whole.loc[2010, "n_trusts"] == 3 and whole.loc[2010, "n_deficit"] == 2
    # C (in deficit, then gone) is left out: the panel holds A and B in both years
    assert list(fixed["n_trusts"]) == [2, 2] and list(fixed["n_deficit"]) == [1, 2]


def test_average_ranks_are_pandas_ranks_ties_included():
    rng = np.random.default_rng(7)
    for values in (
        rng.integers(0, 12, 300).astype(float),  # many ties
        rng.normal(size=257),
        np.array([0.0, -0.0, 2.5, 2.5, 2.5, -1.0]),
        np.array([3.0]),
    ):
        expected = pd.Series(values).rank().to_numpy()
        assert np.array_equal(fi.average_ranks(values), expected)


def test_resample_ranks_are_the_ranks_of_the_resample():
    rng = np.random.default_rng(11)
    for values in (rng.integers(0, 12, 300).astype(float), rng.normal(size=257), np.array([0.0, -0.0, 2.5, 2.5, -1.0])):
        groups, n_groups = fi._tie_groups(values)
        for _ in range(5):
            rows = rng.integers(0, len(values), len(values) + 3)
            assert fi._resample_ranks(groups, n_groups, rows).tobytes() == fi.average_ranks(values[rows]).tobytes()


def test_cluster_draws_are_the_drawn_clusters_rows_in_order():
    clusters = np.array(["B", "A", "C", "B", "A", "B", "D"])
    members = {c: np.flatnonzero(clusters == c) for c in np.unique(clusters)}
    rng = np.random.default_rng(5)
    for idx in fi._cluster_draws(clusters, 30, 5):
        pick = np.unique(clusters)[rng.integers(0, 4, 4)]  # the same draws, from the same seed
        assert idx.tolist() == np.concatenate([members[c] for c in pick]).tolist()
