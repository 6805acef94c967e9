"""Figures stated in the chapter "Management capacity" (book/02_management.ipynb).

Each key number the chapter glues is computed by a function of nhsreport.analysis.management; here it is
checked against an independent computation from the processed data (plain pandas, written
differently) and, where the project's management research notes give a published figure, against
that too (the item of the notes, e.g. "A4", is named with each check).
"""

from __future__ import annotations

import pandas as pd
import pytest

from nhsreport.analysis import management as mg

from .conftest import load_datasets

MGR = {"Managers", "Senior managers"}


@pytest.fixture(scope="module")
def d():
    return load_datasets(
        "workforce_national",
        "managers_by_org",
        "staff_by_org",
        "icbs",
        "icb_allocations",
        "published_management_figures",
        "admin_costs_international",
    )


def _fte(sbo, date, groups, org_types=None):
    x = sbo[(sbo["date"] == pd.Timestamp(date)) & sbo["staff_group_std"].isin(groups)]
    if org_types is not None:
        x = x[x["org_type"].isin(org_types)]
    return float(x["fte"].sum())


# ------------------------------------------------------------------------------------------
# 1. managers per 100 staff
# ------------------------------------------------------------------------------------------


def test_england_ratio_november_2025(d):
    sbo = d["staff_by_org"]
    managers = _fte(sbo, "2025-11-30", MGR)
    staff = _fte(sbo, "2025-11-30", {"All staff"})
    # research note A4: our Nov-2025 file gives 40,251 managers / 1,331,554 staff
    assert round(managers) == 40251
    assert round(staff) == 1331554
    assert mg.managers_per_100_staff(sbo) == pytest.approx(100 * managers / staff)
    assert mg.managers_per_100_staff(sbo, "2025-11-30") == pytest.approx(100 * managers / staff)
    # King's Fund (A4b, press report): one manager per 33 staff in 2025
    row = mg.managers_and_staff(sbo).iloc[0]
    assert round(row["staff_per_manager"]) == 33
    assert row["n_orgs"] == 247  # 205 trusts and 42 ICBs (datapackage method)


def test_ratio_2017_and_by_org_type(d):
    sbo = d["staff_by_org"]
    ind = 100 * _fte(sbo, "2017-09-30", MGR) / _fte(sbo, "2017-09-30", {"All staff"})
    assert mg.managers_per_100_staff(sbo, "2017-09-30") == pytest.approx(ind)
    by = mg.managers_per_100_staff(sbo, "2025-11-30", by="org_type").set_index("org_type")
    for ot in ["acute", "mental health", "community", "ambulance", "ICB"]:
        ind = 100 * _fte(sbo, "2025-11-30", MGR, [ot]) / _fte(sbo, "2025-11-30", {"All staff"}, [ot])
        assert by.loc[ot, "managers_per_100_staff"] == pytest.approx(ind)
    # acute trusts: most managers, lowest density (the chapter's answer to claim C03)
    assert by["all_managers_fte"].idxmax() == "acute"
    assert by["managers_per_100_staff"].idxmin() == "acute"
    # by-type totals add up to England
    assert by["all_managers_fte"].sum() == pytest.approx(_fte(sbo, "2025-11-30", MGR))


def test_unknown_snapshot_rejected(d):
    with pytest.raises(ValueError):
        mg.managers_per_100_staff(d["staff_by_org"], "2020-01-01")


def test_headcount_series(d):
    wf = d["workforce_national"]
    hc = mg.headcount_series(wf).set_index("date")
    w = wf[wf["level"].isin(["role group", "total"])]
    for date in ["2009-09-01", "2013-09-01", "2022-06-01"]:
        x = w[w["date"] == pd.Timestamp(date)].set_index("staff_group")["headcount"]
        mgrs = int(x["Managers"]) + int(x["Senior managers"])
        assert hc.loc[pd.Timestamp(date), "all_managers"] == mgrs
        assert hc.loc[pd.Timestamp(date), "managers_per_100_staff"] == pytest.approx(100 * mgrs / int(x["All staff"]))
    # IPPR (A5): 35,200 in 2010 and 34,900 in 2019 are these headcounts rounded (35,240 and 34,977)
    assert hc.loc[pd.Timestamp("2010-09-01"), "all_managers"] == 35240
    assert hc.loc[pd.Timestamp("2019-09-01"), "all_managers"] == 34977


def test_reclassification_2019_2020(d):
    rc = mg.reclassification_2019_2020(d["workforce_national"])
    # datapackage caveat of workforce_national: Managers 24,152 -> 21,600; Senior managers 10,825 -> 11,265
    assert (rc["managers_2019"], rc["managers_2020"]) == (24152, 21600)
    assert (rc["senior_2019"], rc["senior_2020"]) == (10825, 11265)
    assert rc["total_change"] == rc["managers_change"] + rc["senior_change"] == -2112


def test_adjacent_steps():
    s = pd.DataFrame({"date": [3, 1, 2], "v": [6.0, 1.0, 4.0]})
    st = mg.adjacent_steps(s, "v")
    assert st["change"].tolist() == [3.0, 2.0]
    assert st["pct_change"].tolist() == [3.0, 0.5]


# ------------------------------------------------------------------------------------------
# 2. where management sits
# ------------------------------------------------------------------------------------------


def test_commissioners_vs_trusts(d):
    m = d["managers_by_org"]
    cvt = mg.commissioners_vs_trusts(m).set_index("year")
    tot = m.groupby("year")["managers_fte"].sum()
    comm = m[m["org_type"].isin(["PCT", "SHA", "CCG"])].groupby("year")["managers_fte"].sum()
    trusts = (
        m[m["org_type"].isin(["acute", "mental health", "community", "ambulance"])]
        .groupby("year")["managers_fte"]
        .sum()
    )
    for y in range(2009, 2019):
        assert cvt.loc[y, "total"] == pytest.approx(tot[y])
        assert cvt.loc[y, "commissioners"] == pytest.approx(comm[y])
        assert cvt.loc[y, "commissioner_share"] == pytest.approx(comm[y] / (comm[y] + trusts[y]))
    # NHS Digital (A10): 21,000 managers + 9,610 senior managers = 30,610 FTE, September 2016
    assert cvt.loc[2016, "total"] == pytest.approx(30610, abs=50)
    # King's Fund "Managers and the NHS" (A1): 42,509 FTE in 2009 (all bodies)
    assert cvt.loc[2009, "total"] == pytest.approx(42509, rel=0.01)
    # the 2013 reforms: commissioners lost most of their managers
    assert cvt.loc[2013, "commissioners"] < 0.25 * cvt.loc[2009, "commissioners"]


def test_org_type_shares(d):
    sh = mg.org_type_shares(d["managers_by_org"], d["staff_by_org"])
    assert sh.groupby("date")["share"].sum().round(9).eq(1).all()
    assert sh["date"].max() == mg.snapshot_date(d["staff_by_org"])  # the latest snapshot, read from the data
    s25 = sh[sh["date"] == sh["date"].max()].set_index("org_type")["managers_fte"]
    sbo = d["staff_by_org"]
    assert s25["acute"] == pytest.approx(_fte(sbo, "2025-11-30", MGR, ["acute"]))
    assert s25.sum() == pytest.approx(_fte(sbo, "2025-11-30", MGR))


# ------------------------------------------------------------------------------------------
# 3. by integrated care system
# ------------------------------------------------------------------------------------------


def test_density_by_ics(d):
    sbo, icbs = d["staff_by_org"], d["icbs"]
    dens = mg.density_by_ics(sbo, icbs).set_index("icb_code")
    assert len(dens) == 42
    x = sbo[sbo["date"] == pd.Timestamp("2025-11-30")]
    mgr = x[x["staff_group_std"].isin(MGR)].groupby("icb_code")["fte"].sum()
    staff = x[x["staff_group_std"] == "All staff"].groupby("icb_code")["fte"].sum()
    pop = icbs.set_index("icb_code")["population"]
    for code in ["QRV", "QSL", "QOP", "QHM"]:
        assert dens.loc[code, "managers_per_100_staff"] == pytest.approx(100 * mgr[code] / staff[code])
        assert dens.loc[code, "managers_per_100k_population"] == pytest.approx(1e5 * mgr[code] / pop[code])
    # every organisation is in one system, so systems add up to England
    assert dens["managers_fte"].sum() == pytest.approx(40251, abs=1)
    ranks = (100 * mgr / staff).rank(ascending=False, method="min")
    assert (dens["rank"] == ranks.reindex(dens.index)).all()
    assert dens["rank"].min() == 1 and dens.loc[dens["rank"] == 1].index[0] == (100 * mgr / staff).idxmax()


def test_ics_spread(d):
    dens = mg.density_by_ics(d["staff_by_org"], d["icbs"])
    sp = mg.ics_spread(dens)
    v = dens["managers_per_100_staff"]
    assert sp["min"] == pytest.approx(v.min()) and sp["max"] == pytest.approx(v.max())
    assert sp["ratio"] == pytest.approx(v.max() / v.min())
    assert sp["median"] == pytest.approx(v.median())


# ------------------------------------------------------------------------------------------
# 4. running costs
# ------------------------------------------------------------------------------------------


def test_running_cost_per_head(d):
    a, icbs = d["icb_allocations"], d["icbs"]
    eng = mg.england_running_cost_per_head(a, icbs).set_index("financial_year")
    # datapackage caveats: national totals £1,108.8m (2023/24), £908.8m (2024/25), £874.0m (2025/26)
    assert eng["rca_gbp"].round(-5).tolist() == [1108.8e6, 908.8e6, 874.0e6]
    # research note C9: £14.62 per head of allocation population in 2024/25
    assert eng.loc["2024/25", "gbp_per_head"] == pytest.approx(14.62, abs=0.005)
    for fy, g in a.groupby("financial_year"):
        assert eng.loc[fy, "gbp_per_head"] == pytest.approx(
            g["running_cost_allowance_gbp"].sum() / g["allocation_population"].astype(float).sum()
        )
    per = mg.running_cost_per_head(a, icbs)
    row = a[(a["icb_code"] == "QRV") & (a["financial_year"] == "2025/26")].iloc[0]
    got = per[(per["icb_code"] == "QRV") & (per["financial_year"] == "2025/26")]["gbp_per_head"].iloc[0]
    assert got == pytest.approx(row["running_cost_allowance_gbp"] / row["allocation_population"])
    ons = mg.england_running_cost_per_head(a, icbs, population="ons_mid2020").set_index("financial_year")
    assert ons.loc["2025/26", "gbp_per_head"] == pytest.approx(874.0e6 / icbs["population"].sum(), rel=1e-3)
    with pytest.raises(ValueError):
        mg.running_cost_per_head(a, None, population="ons_mid2020")


# ------------------------------------------------------------------------------------------
# published figures
# ------------------------------------------------------------------------------------------


def test_published_comparison(d):
    cmp = mg.published_comparison(
        d["published_management_figures"], d["workforce_national"], d["managers_by_org"], d["staff_by_org"]
    ).set_index("ids")
    # A4d/A4f: King's Fund 2025 counts within 1% of the November 2025 file
    assert abs(cmp.loc["A4d", "difference"]) / cmp.loc["A4d", "published"] < 0.01
    assert abs(cmp.loc["A4f", "difference"]) / cmp.loc["A4f", "published"] < 0.01
    # A5: IPPR headcounts match to rounding
    assert abs(cmp.loc["A5a", "difference"]) < 100 and abs(cmp.loc["A5b", "difference"]) < 100
    assert cmp["source_url"].str.startswith("http").all()


def test_published_comparison_reads_its_periods_from_the_data(d):
    """Each figure is named by the published row's period and our figure by its own date: the
    September headcount or the latest FTE snapshot of the published year."""
    pub = d["published_management_figures"].set_index("id")
    cmp = mg.published_comparison(
        pub.reset_index(), d["workforce_national"], d["managers_by_org"], d["staff_by_org"]
    ).set_index("ids")
    assert len(cmp) == len(mg.PUBLISHED_COMPARISONS)
    year = pub.loc["A4d", "date"].year
    dates = pd.DatetimeIndex(d["staff_by_org"]["date"].unique())
    latest = dates[dates.year == year].max()
    assert cmp.loc["A4d", "figure"] == f"Managers and senior managers, {year} (FTE)"
    assert cmp.loc["A4d", "basis"] == f"FTE, {latest.strftime('%B %Y')}, trusts and ICBs"
    assert cmp.loc["A4d", "ours"] == pytest.approx(
        mg.managers_and_staff(d["staff_by_org"], latest)["all_managers_fte"].iloc[0]
    )
    assert cmp.loc["A5a", "basis"].startswith(f"Headcount, September {pub.loc['A5a', 'date'].year},")
    assert cmp.loc["A10a+A10b", "published"] == pub.loc["A10a", "value"] + pub.loc["A10b", "value"]
    assert cmp.loc["A10a+A10b", "figure"].endswith(f"{pub.loc['A10a', 'date'].strftime('%B %Y')} (FTE)")
    assert not cmp.loc["A4b", "figure"].endswith(")")  # a ratio has no unit


def test_admin_cost_families(d):
    ic = mg.admin_cost_families(d["admin_costs_international"])
    assert ic["label"].is_unique  # bars must not stack
    assert set(ic["family"]) <= {
        "OECD-type: governance and financing administration",
        "England: national administration budget",
        "Broad estimates of management and administration",
    }
    us = ic[(ic["country"] == "United States") & (ic["source_key"] == "hagenaars2018admin")]
    assert us["share_pct"].iloc[0] == pytest.approx(8.3)  # research note B4
    # the chart's axis labels: unique too, and short enough to print (UK and US, no "year not stated")
    assert ic["short_label"].is_unique
    assert ic["short_label"].str.len().max() <= 60
    assert not ic["short_label"].str.contains("not stated|United Kingdom|United States").any()
    assert set(ic["publisher"]) <= {p for p in ic["label"].str.extract(r"\(([^)]*)\)")[0]}


def test_spread_between_systems_without_extreme_organisations(d):
    """The ICBs' own staff run from 9 to 53 managers per 100 and a handful of trusts lie far
    beyond the rest (Tavistock 15.7, Royal National Orthopaedic 9.3, East of England Ambulance
    7.0): the interquartile difference between systems survives leaving them out, the range
    between the extremes does not. Recomputed here with plain pandas."""
    sbo, icbs = d["staff_by_org"], d["icbs"]
    rob = mg.spread_without_extremes(sbo, icbs, "2025-11-30")
    s = sbo[sbo["date"] == "2025-11-30"]
    w = (
        s.pivot_table(
            index=["org_code", "org_type", "icb_code"],
            columns="staff_group_std",
            values="fte",
            aggfunc="sum",
            observed=True,
        )
        .fillna(0)
        .reset_index()
    )
    w["m"] = w["Managers"] + w["Senior managers"]
    w["r"] = 100 * w["m"] / w["All staff"]
    icb = w[w["org_type"] == "ICB"]["r"]
    assert rob["icb_range"] == pytest.approx((icb.min(), icb.max()))
    assert round(icb.min()) == 9 and round(icb.max()) == 53
    trusts = w[w["org_type"] != "ICB"]
    q1, q3 = trusts["r"].quantile([0.25, 0.75])
    out = set(trusts.loc[trusts["r"] > q3 + 1.5 * (q3 - q1), "org_code"])
    assert {o["org_code"] for o in rob["outliers"]} == out
    names = {o["org_name"]: round(o["managers_per_100_staff"], 1) for o in rob["outliers"]}
    assert names["Tavistock and Portman NHS Foundation Trust"] == 15.7
    assert names["East of England Ambulance Service NHS Trust"] == 7.0

    def spread(frame):
        g = frame.groupby("icb_code")[["m", "All staff"]].sum()
        r = 100 * g["m"] / g["All staff"]
        return r.max() / r.min(), r.quantile(0.75) / r.quantile(0.25)

    for key, frame in [("all", w), ("trusts", trusts), ("trusts_but_outliers", trusts[~trusts["org_code"].isin(out)])]:
        ratio, iq = spread(frame)
        assert rob[key]["ratio"] == pytest.approx(ratio) and rob[key]["iq_ratio"] == pytest.approx(iq)
    # the finding: the range moves a long way, the interquartile difference hardly at all
    assert round(rob["all"]["ratio"], 1) == 2.4 and rob["trusts_but_outliers"]["ratio"] > 3
    iqs = [rob[k]["iq_ratio"] for k in ("all", "trusts", "all_but_outliers", "trusts_but_outliers")]
    assert max(iqs) - min(iqs) < 0.2


def test_density_excluding_doctors_compares_like_with_like(d):
    """Across the 2025 break (resident doctors left out of the published total) the ratio to
    staff other than doctors counts both years the same way."""
    sbo = d["staff_by_org"]
    for date, doctors in (("2017-09-30", "HCHS doctors"), ("2025-11-30", "HCHS doctors excluding resident doctors")):
        s = sbo[sbo["date"] == date]
        m = s.loc[s["staff_group_std"].isin(["Managers", "Senior managers"]), "fte"].sum()
        base = (
            s.loc[s["staff_group_std"] == "All staff", "fte"].sum()
            - s.loc[s["staff_group_std"] == doctors, "fte"].sum()
        )
        got = mg.density_excluding_doctors(sbo, date)["managers_per_100_staff"].iloc[0]
        assert got == pytest.approx(100 * m / base)
