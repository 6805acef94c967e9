"""Tests of the merger event study: known answers on synthetic trusts, and the chapter's figures
recomputed from the raw files by a second route."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from nhsreport.analysis import mergers as mz
from nhsreport.build import sources

from .conftest import ROOT, load_datasets

RAW = ROOT / "data" / "raw"


def test_financial_year():
    assert mz.financial_year("2015-02-01") == 2014
    assert mz.financial_year("2015-04-01") == 2015
    assert mz.financial_year("2017-10-01") == 2017


def _changes():
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2014-04-01", "2014-04-01", "2016-07-01", "2013-10-01"]),
            "year": [2014, 2014, 2016, 2013],
            "old_code": ["RA1", "RA2", "RB1", "RC1"],
            "old_name": ["a", "b", "c", "d"],
            "new_code": ["RAN", "RAN", "RB2", "RC2"],
            "new_name": ["NEW", "NEW", "B2", "C2"],
            "change_type": ["merger", "merger", "acquisition", "split"],
            "trust_type": ["acute"] * 4,
        }
    )


def test_merger_events():
    ev = mz.merger_events(_changes()).set_index("successor_code")
    assert list(ev.index) == ["RAN", "RB2"]  # the split is not an event
    assert ev.at["RAN", "codes"] == ["RA1", "RA2", "RAN"] and pd.isna(ev.at["RAN", "acquirer"])
    assert ev.at["RB2", "acquirer"] == "RB2" and ev.at["RB2", "t0"] == 2016


def _trust_years(effect_pct: float, n_comp: int = 12, seed: int = 0):
    """Two acute trusts merge into RAN in 2014; comparison trusts grow 2% a year. After the merger
    the merged trust's managers are ``effect_pct`` away from that path."""
    rng = np.random.default_rng(seed)
    rows = []
    for y in range(2010, 2019):
        grow = 1.02 ** (y - 2013)
        for i in range(n_comp):
            rows.append(
                {
                    "year": y,
                    "org_code": f"RX{i:02d}",
                    "org_type": "acute",
                    "cost_gbp_k": 2e5 * grow,
                    "surplus_gbp_k": 1000.0 * grow,
                    "managers_fte": 100 * grow * (1 + rng.normal(0, 0.005)),
                    "beds": 500.0,
                }
            )
        if y < 2014:
            for c in ("RA1", "RA2"):
                rows.append(
                    {
                        "year": y,
                        "org_code": c,
                        "org_type": "acute",
                        "cost_gbp_k": 1e5 * grow,
                        "surplus_gbp_k": -500.0 * grow,
                        "managers_fte": 50 * grow,
                        "beds": 250.0,
                    }
                )
        else:
            rows.append(
                {
                    "year": y,
                    "org_code": "RAN",
                    "org_type": "acute",
                    "cost_gbp_k": 2e5 * grow,
                    "surplus_gbp_k": 1000.0 * grow,
                    "managers_fte": 100 * grow * (1 + effect_pct / 100),
                    "beds": 500.0,
                }
            )
    return pd.DataFrame(rows)


def test_event_study_recovers_a_known_difference():
    ev = mz.merger_events(_changes()[lambda d: d["new_code"] == "RAN"])
    p = mz.event_panels(ev, _trust_years(-10.0))
    m = p[(p["outcome"] == "managers_fte") & (p["k"] == 2)].iloc[0]
    assert m["n_comparison"] == 12
    assert m["did"] == pytest.approx(-10.0, abs=0.5)
    s = p[(p["outcome"] == "surplus_pct") & (p["k"] == 1)].iloc[0]
    # before: -1,000 on 200,000 (-0.5%); after: +0.5%; comparison unchanged
    assert s["merged"] == pytest.approx(1.0) and s["did"] == pytest.approx(1.0)
    assert set(p["k"]) == {-3, -2, 0, 1, 2, 3}  # k = -1 is the baseline


def test_missing_partner_year_is_left_out():
    ty = _trust_years(0.0)
    ty = ty[~((ty["org_code"] == "RA2") & (ty["year"] == 2011))]
    ev = mz.merger_events(_changes()[lambda d: d["new_code"] == "RAN"])
    p = mz.event_panels(ev, ty)
    assert not ((p["outcome"] == "managers_fte") & (p["year"] == 2011)).any()
    assert ((p["outcome"] == "managers_fte") & (p["year"] == 2012)).any()  # k = -3 is 2011, k = -2 is 2012


def test_event_study_interval_contains_estimate():
    ev = mz.merger_events(_changes()[lambda d: d["new_code"] == "RAN"])
    p = mz.event_panels(ev, _trust_years(-10.0))
    es = mz.event_study(p, n_boot=200).set_index(["outcome", "k"])
    r = es.loc[("managers_fte", 2)]
    assert r["n_events"] == 1 and r["did"] == pytest.approx(-10.0, abs=0.5)


def test_baseline_two_years_before():
    ev = mz.merger_events(_changes()[lambda d: d["new_code"] == "RAN"])
    p = mz.event_panels(ev, _trust_years(-10.0), baseline=-2)
    assert set(p["k"]) == {-3, -1, 0, 1, 2, 3}  # k = -2 is now the baseline
    m = p[(p["outcome"] == "managers_fte") & (p["k"] == 2)].iloc[0]
    # 10% below a path that grew 2% a year for the four years from the baseline: 10.8 points below
    assert m["did"] == pytest.approx(-10.0 * 1.02**4, abs=0.5)


def test_matched_comparison_keeps_nearest_on_the_same_side_of_break_even():
    ty = _trust_years(-10.0)
    # four comparison trusts in deficit in 2013 (the merged trust's baseline year is not: +1,000 on 200,000)
    deficit = ty["org_code"].isin(["RX00", "RX01", "RX02", "RX03"]) & (ty["year"] == 2013)
    ty.loc[deficit, "surplus_gbp_k"] = -1.0
    # and comparison trusts of different sizes: RX04..RX11 cost 100,000 x (1 + i/10) in 2013
    for i in range(4, 12):
        ty.loc[(ty["org_code"] == f"RX{i:02d}") & (ty["year"] == 2013), "cost_gbp_k"] = 1e5 * (1 + i / 10)
    merged = pd.Series({"cost_gbp_k": 2e5, "surplus_gbp_k": 1000.0})
    codes = [f"RX{i:02d}" for i in range(12)]
    got = mz.matched_codes(mz._ratios(ty), codes, merged, 2013, 3)
    assert got == ["RX10", "RX11", "RX09"]  # nearest to 200,000 in log cost, none of those in deficit
    assert (
        mz.matched_codes(mz._ratios(ty), codes, pd.Series({"cost_gbp_k": np.nan, "surplus_gbp_k": 1.0}), 2013, 3) == []
    )
    ev = mz.merger_events(_changes()[lambda d: d["new_code"] == "RAN"])
    p = mz.event_panels(ev, ty, matched=3)
    assert (p["n_comparison"] <= 3).all()


def test_relative_change():
    assert mz.relative_change(-7.0, 14.0) == pytest.approx(100 * (0.93 / 1.14 - 1))
    assert mz.relative_change(10.0, 10.0) == pytest.approx(0.0)


def test_event_spread():
    panels = pd.DataFrame(
        {
            "outcome": "managers_fte",
            "k": 3,
            "successor_code": ["A", "B", "C", "D"],
            "did": [-40.0, -10.0, 0.0, 10.0],
        }
    )
    got = mz.event_spread(panels, "managers_fte", 3, n_largest=1)
    assert got["n"] == 4 and got["mean"] == pytest.approx(-10.0) and got["median"] == pytest.approx(-5.0)
    assert got["loo_min"] == pytest.approx(-50 / 3) and got["loo_max"] == pytest.approx(0.0)
    assert got["mean_without_largest"] == pytest.approx(0.0) and got["largest"] == [("A", -40.0)]
    with pytest.raises(ValueError):
        mz.event_spread(panels.iloc[:1], "managers_fte", 3)


def test_incomplete_partner_events():
    one = _changes().iloc[[0]].assign(new_code="RAN")  # a "merger" into a new trust with one dissolved trust
    ev = mz.merger_events(pd.concat([one, _changes().iloc[[2]]]))
    got = mz.incomplete_partner_events(ev)
    assert got["successor_code"].tolist() == ["RAN"]  # the acquisition has two partners, the acquirer and RB1


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
def test_pre_merger_deficits_from_raw():
    d = load_datasets("trust_changes", "trust_finances")
    ev = mz.merger_events(d["trust_changes"])
    got = mz.pre_merger_deficits(ev, d["trust_finances"], n_boot=200).set_index("group")
    fin = {
        (r["ORG_CODE"], int(r["YEAR"])): float(r["FINANCIAL_POSITION"])
        for r in _rows("trust_financial_positions_2010_2018")
        if not (float(r["OP_INCOME"]) == 0 and float(r["OP_COST"]) == 0)
    }
    flags = [fin[(c, e["t0"] - 1)] < 0 for _, e in ev.iterrows() for c in e["dissolved"] if (c, e["t0"] - 1) in fin]
    assert got.at["dissolved trusts", "n_trusts"] == len(flags)
    assert got.at["dissolved trusts", "n_deficit"] == sum(flags)
    r = got.loc["dissolved trusts"]
    assert r["lo"] < r["difference"] < r["hi"]


@needs_raw
def test_merged_managers_from_raw():
    """Manchester University NHS FT (R0A, October 2017): its managers in September 2018 against those of
    Central Manchester (RW3) and UHSM (RM2) in September 2016, from the raw managers file."""
    d = load_datasets("trust_changes", "trust_finances", "managers_by_org", "trust_beds")
    ev = mz.merger_events(d["trust_changes"])
    ty = mz.trust_years(d["trust_finances"], d["managers_by_org"], d["trust_beds"])
    p = mz.event_panels(ev[ev["successor_code"] == "R0A"], ty)
    mgr = {
        (int(r["YEAR"]), r["ORG_CODE"].strip()): float(r["SIMPLE_MANAGERS_FTE"])
        for r in _rows("managers_fte_by_org_2009_2018")
    }
    want = 100 * (mgr[(2018, "R0A")] / (mgr[(2016, "RW3")] + mgr[(2016, "RM2")]) - 1)
    got = p[(p["outcome"] == "managers_fte") & (p["k"] == 1)].iloc[0]["merged"]
    assert got == pytest.approx(want)


@needs_raw
def test_every_event_is_in_the_window_and_the_study_is_reproducible():
    d = load_datasets("trust_changes", "trust_finances", "managers_by_org", "trust_beds")
    ev = mz.merger_events(d["trust_changes"])
    assert ev["t0"].between(2010, 2018).all() and len(ev) >= 20
    ty = mz.trust_years(d["trust_finances"], d["managers_by_org"], d["trust_beds"])
    p = mz.event_panels(ev, ty)
    a = mz.event_study(p, n_boot=300)
    b = mz.event_study(p, n_boot=300)
    pd.testing.assert_frame_equal(a, b)
    assert (a["lo"] <= a["did"]).all() and (a["did"] <= a["hi"]).all()


@needs_raw
def test_managers_three_years_on_from_raw():
    """The key figure, managers three years after the merger: each event's change and its comparison trusts'
    median change recomputed from the raw managers file, then the mean, median and the leave-one-out range."""
    d = load_datasets("trust_changes", "trust_finances", "managers_by_org", "trust_beds")
    ev = mz.merger_events(d["trust_changes"])
    ty = mz.trust_years(d["trust_finances"], d["managers_by_org"], d["trust_beds"])
    panels = mz.event_panels(ev, ty)
    mgr = {}
    for r in _rows("managers_fte_by_org_2009_2018"):
        key = (int(r["YEAR"]), r["ORG_CODE"].strip())
        mgr[key] = mgr.get(key, 0.0) + float(r["SIMPLE_MANAGERS_FTE"])
    org_type = d["managers_by_org"].drop_duplicates("org_code").set_index("org_code")["org_type"].to_dict()
    org_type |= d["trust_finances"].drop_duplicates("org_code").set_index("org_code")["org_type"].to_dict()
    involved = [(c, e["t0"]) for _, e in ev.iterrows() for c in e["codes"]]
    differences = []
    for _, e in ev.iterrows():
        t0 = e["t0"]
        before = [(t0 - 1, c) for c in mz._partners(e)]
        after = (t0 + 3, e["successor_code"])
        if not all(k in mgr for k in before) or after not in mgr:
            continue
        merged = 100 * (mgr[after] / sum(mgr[k] for k in before) - 1)
        pool = {
            c
            for (_, c) in mgr
            if org_type.get(c) == e["trust_type"] and not any(o == c and abs(y - t0) <= 3 for o, y in involved)
        }
        comp = [
            100 * (mgr[(t0 + 3, c)] / mgr[(t0 - 1, c)] - 1)
            for c in pool
            if mgr.get((t0 - 1, c), 0) > 0 and (t0 + 3, c) in mgr
        ]
        if len(comp) < 3:  # too few comparison trusts (the community trusts of 2011)
            continue
        differences.append(merged - float(np.median(comp)))
    got = panels[(panels["outcome"] == "managers_fte") & (panels["k"] == 3)]
    assert len(differences) == len(got)
    assert np.mean(differences) == pytest.approx(got["did"].mean(), abs=0.01)
    assert np.median(differences) == pytest.approx(got["did"].median(), abs=0.01)
    spread = mz.event_spread(panels, "managers_fte", 3)
    loo = [(sum(differences) - x) / (len(differences) - 1) for x in differences]
    assert spread["loo_min"] == pytest.approx(min(loo), abs=0.01) and spread["loo_max"] == pytest.approx(
        max(loo), abs=0.01
    )


def test_comparison_changes_keep_trusts_with_both_years_in_row_order():
    cw = pd.DataFrame(
        {2014: [10.0, 0.0, np.nan, 4.0], 2015: [11.0, 5.0, 3.0, np.nan], 2016: [np.nan, 1.0, 2.0, 6.0]},
        index=["RA1", "RA2", "RA3", "RA4"],
    )
    pct = mz._comparison_changes(cw, 2014, "pct")  # RA2 has no base above zero, RA3 none at all
    assert np.allclose(pct[2015], [10.0]) and np.allclose(pct[2016], [50.0]) and len(pct[2014]) == 2
    points = mz._comparison_changes(cw, 2014, "points")
    assert points[2015].tolist() == [1.0, 5.0] and points[2016].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("n", [1, 2, 5, 8, 137, 140])
def test_resampled_medians_are_numpys_medians_of_the_same_draws(n):
    values = np.round(np.random.default_rng(n).normal(0, 10, n), 1)  # rounded: ties among the values
    got_rng, want_rng = np.random.default_rng(7), np.random.default_rng(7)
    got = mz.resampled_medians(values, got_rng, 300)
    want = np.median(values[want_rng.integers(0, n, (300, n))], axis=1)
    assert got.tobytes() == want.tobytes()  # to the last bit
    assert got_rng.integers(0, 1000, 5).tolist() == want_rng.integers(0, 1000, 5).tolist()  # the same draws used
