"""The deeper-evidence sections of chapters 2, 3 and 4: each chapter as the book build executed it,
and the figures it glues checked against an independent computation from the processed data
(plain pandas, written differently from nhsreport.analysis), with every stated interval containing
its estimate and every glued reading agreeing with its interval."""

from __future__ import annotations

import pandas as pd
import pytest

from .conftest import ROOT, load_datasets


@pytest.fixture(scope="module")
def ch2(executed_chapters):
    return executed_chapters.glued("02_management")


@pytest.fixture(scope="module")
def ch3(executed_chapters):
    return executed_chapters.glued("03_systems")


@pytest.fixture(scope="module")
def ch4(executed_chapters):
    return executed_chapters.glued("04_integration")


def _interval(g, prefix, est="did"):
    assert g[f"{prefix}_lo"] <= g[f"{prefix}_{est}"] <= g[f"{prefix}_hi"], prefix


# ------------------------------------------------------------------------------------------
# chapter 2
# ------------------------------------------------------------------------------------------


def test_ch2_heft_in_volume(ch2):
    d = load_datasets("managers_by_org", "staff_by_org")
    m = d["managers_by_org"]
    ccg13 = m[(m["year"] == 2013) & (m["org_type"] == "CCG") & (m["managers_fte"] > 0)]["managers_fte"]
    assert ch2["mgmt_heft_ccg_2013_median"] == pytest.approx(ccg13.median())
    assert ch2["mgmt_heft_ccg_2013_n"] == len(ccg13)
    s = d["staff_by_org"]
    icb = (
        s[
            (s["date"] == pd.Timestamp("2025-11-30"))
            & (s["org_type"] == "ICB")
            & s["staff_group_std"].isin(["Managers", "Senior managers"])
        ]
        .groupby("org_code")["fte"]
        .sum()
    )
    assert ch2["mgmt_heft_icb_2025_median"] == pytest.approx(icb.median())
    assert ch2["mgmt_heft_icb_2025_n"] == 42


def test_ch2_wider_definition_and_consultants(ch2):
    d = load_datasets("staff_by_org", "managers_by_org", "consultants_by_org")
    s = d["staff_by_org"]
    n = s[s["date"] == pd.Timestamp("2025-11-30")].groupby("staff_group_std")["fte"].sum()
    wide = 100 * (n["Managers"] + n["Senior managers"] + n["Central functions"]) / n["All staff"]
    assert ch2["mgmt_wide_eng_2025"] == pytest.approx(wide)
    assert ch2["mgmt_wide_multiple_2025"] == pytest.approx(
        wide / (100 * (n["Managers"] + n["Senior managers"]) / n["All staff"])
    )
    assert ch2["mgmt_wide_acute_last"] == "the fewest"
    j = d["managers_by_org"].merge(
        d["consultants_by_org"][["year", "org_code", "consultants_fte"]], on=["year", "org_code"]
    )
    j = j[j["org_type"].isin(["acute", "mental health", "community", "ambulance"]) & (j["consultants_fte"] > 0)]
    y18 = j[j["year"] == 2018]
    assert ch2["mgmt_mpc_all_2018"] == pytest.approx(y18["managers_fte"].sum() / y18["consultants_fte"].sum())
    assert ch2["mgmt_mpc_all_2018"] < ch2["mgmt_mpc_all_2009"]


def test_ch2_money(ch2):
    f = load_datasets("trust_finances")["trust_finances"]
    f = f[f["reported"]]
    by = f.groupby("year")["surplus_gbp_k"]
    assert ch2["mgmt_fin_2010_net_bn"] == pytest.approx(by.sum()[2010] / 1e6)
    assert ch2["mgmt_fin_worst_label"] == "2015/16" and ch2["mgmt_fin_worst_deficit_bn"] == pytest.approx(
        -by.sum()[2015] / 1e6
    )
    assert ch2["mgmt_fin_2017_share_deficit"] == pytest.approx((f[f["year"] == 2017]["surplus_gbp_k"] < 0).mean())
    assert ch2["mgmt_fin_2018_cost_bn"] == pytest.approx(f[f["year"] == 2018]["cost_gbp_k"].sum() / 1e6)
    for m in ("per10m", "perconsultant"):
        assert ch2[f"mgmt_assoc_{m}_rho_lo"] <= ch2[f"mgmt_assoc_{m}_rho"] <= ch2[f"mgmt_assoc_{m}_rho_hi"]
        assert ch2[f"mgmt_assoc_{m}_coef_lo"] <= ch2[f"mgmt_assoc_{m}_coef_per_sd"] <= ch2[f"mgmt_assoc_{m}_coef_hi"]
    covers = ch2["mgmt_assoc_per10m_coef_lo"] < 0 < ch2["mgmt_assoc_per10m_coef_hi"]
    assert (ch2["mgmt_assoc_per10m_reading"] == "no clear association") == covers
    covers100 = ch2["mgmt_assoc_per100_coef_lo"] < 0 < ch2["mgmt_assoc_per100_coef_hi"]
    assert (ch2["mgmt_assoc_per100_reading"] == "no clear association") == covers100
    assert ch2["mgmt_assoc_per100_coef_lo"] <= ch2["mgmt_assoc_per100_coef_per_sd"] <= ch2["mgmt_assoc_per100_coef_hi"]
    # the other specifications: each interval holds its estimate, and the within-trust reading agrees with it
    for key in ("per10m_within", "per100_2017", "per100_2018", "per100_2017_acute", "per10m_rank_pre_stf"):
        assert ch2[f"mgmt_rob_{key}_lo"] <= ch2[f"mgmt_rob_{key}"] <= ch2[f"mgmt_rob_{key}_hi"]
    covers_within = ch2["mgmt_rob_per10m_within_lo"] < 0 < ch2["mgmt_rob_per10m_within_hi"]
    assert (ch2["mgmt_rob_within_reading"] == "no clear association") == covers_within


def test_ch2_claims_judged():
    c = load_datasets("claims")["claims"].set_index("claim_id")
    assert c.at["C18", "verdict"] == "partly supported" and "fig-mgmt-sector" in c.at["C18", "evidence"]
    # C30: whether the risk was "significantly" more than trusts believed appropriate is their view
    assert c.at["C30", "verdict"] == "not testable with these data" and c.at["C30", "seed"] == "004"
    seed = next((ROOT.parent / "shared" / "seeds").glob("004_*.txt"), None)
    if seed is not None:
        assert c.at["C30", "quote"] in seed.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------
# chapter 3
# ------------------------------------------------------------------------------------------


def test_ch3_upper_tier(ch3):
    d = load_datasets("lad_icb_overlap", "lad_upper_tier")
    o = d["lad_icb_overlap"].merge(d["lad_upper_tier"][["lad_code", "upper_code"]], on="lad_code")
    o = o[o["n_lsoas"] > 0]
    per_council = o.groupby("upper_code")["icb_code"].nunique()
    assert ch3["sys_upper_split_n"] == int((per_council > 1).sum())
    split = set(per_council[per_council > 1].index)
    icb_split = o[o["upper_code"].isin(split)].groupby("icb_code").size()
    assert ch3["sys_upper_cot_n"] == 42 - len(icb_split)
    assert ch3["sys_upper_cot_n"] <= ch3["sys_cot_n"]  # coterminous with councils implies with their districts


def test_ch3_shared_trusts_and_practices(ch3):
    d = load_datasets("stp_trust_partners_2019", "gp_practices")
    p = d["stp_trust_partners_2019"]
    per = p.groupby("trust_code")["stp_code"].nunique()
    assert ch3["sys_partners_links"] == len(p) == 286
    assert ch3["sys_partners_shared"] == int((per > 1).sum())
    assert ch3["sys_partners_max_stps"] == int(per.max())
    g = d["gp_practices"]
    assert ch3["sys_gp_practices"] == len(g) and ch3["sys_gp_pcns"] == g["pcn_code"].nunique()
    assert ch3["sys_gp_n_max"] == g.groupby("icb_code").size().max()


# ------------------------------------------------------------------------------------------
# chapter 4
# ------------------------------------------------------------------------------------------


def test_ch4_event_study(ch4):
    c = load_datasets("trust_changes")["trust_changes"]
    c = c[c["change_type"].isin(["merger", "acquisition"])]
    fy = c["date"].map(lambda d: d.year if d.month >= 4 else d.year - 1)
    events = c[fy.between(2010, 2018)].drop_duplicates(["new_code", "date"])
    assert ch4["int_es_n_events"] == len(events)
    for prefix in (
        "int_es_mgr_k3",
        "int_es_surplus_k3",
        "int_es_cost_k3",
        "int_es_beds_k3",
        "int_es_per10m_k1",
        "int_es_mgr_km2",
    ):
        _interval(ch4, prefix)
    for short in ("mgr", "surplus", "cost", "beds"):
        lo, hi, reading = ch4[f"int_es_{short}_k3_lo"], ch4[f"int_es_{short}_k3_hi"], ch4[f"int_es_{short}_k3_reading"]
        assert ("not distinguishable" in reading) == (lo <= 0 <= hi), short
    assert ch4["int_es_mgr_k3_did"] == pytest.approx(
        ch4["int_es_mgr_k3_merged"] - ch4["int_es_mgr_k3_comparison"], abs=2
    )


def test_ch4_pre_merger_deficits(ch4):
    d = load_datasets("trust_changes", "trust_finances")
    c = d["trust_changes"][d["trust_changes"]["change_type"].isin(["merger", "acquisition"])].copy()
    c["t0"] = c["date"].map(lambda x: x.year if x.month >= 4 else x.year - 1)
    c = c[c["t0"].between(2010, 2018)]
    f = d["trust_finances"]
    f = f[f["reported"]].set_index(["org_code", "year"])["surplus_gbp_k"]
    flags = [f[(o, t - 1)] < 0 for o, t in zip(c["old_code"], c["t0"]) if (o, t - 1) in f.index]
    assert ch4["int_es_def_dis_n"] == len(flags) and ch4["int_es_def_dis_n_deficit"] == sum(flags)
    _interval(ch4, "int_es_def_dis", "difference")
    assert ("more often in deficit" in ch4["int_es_def_reading"]) == (ch4["int_es_def_dis_lo"] > 0)
