"""Every key figure of the report by a second route, and the organisations behind the staff counts.

1. Each figure glued into a chapter's key points or the front page's key findings is recomputed from
   the official raw files (``data/raw``) by plain pandas code in ``tests/second_route.py`` that uses
   none of the project's builders, readers or analysis functions, and compared with the value the
   built book states (its glue records, and the rendered front page). The few figures that are
   published facts rather than statistics are recounted from the hand-maintained tables in
   ``data/curated``; the rest (dates of events, the date of the latest file) are listed with the
   reason they have no second route. A figure added to the key points without a second route fails.
2. Every organisation with staff in a workforce file has an organisation type in the processed
   staff tables, and every trust with staff on a date is open on that date in the processed trust
   table, unless it is a listed, sourced, known gap.

The tests skip when ``data/raw`` is absent; the figure tests (marked slow) use the one book
build (``html_book``) and skip if a chapter's glue record is missing.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

from . import second_route as sr

pytestmark = pytest.mark.skipif(
    not sr.raw_path("nhs-ods/etr-2026-06.csv").exists(), reason="data/raw is not present (make data-raw)"
)


# --------------------------------------------------------------------------------------------
# 1. the key figures
# --------------------------------------------------------------------------------------------


def _trusts(k):
    return lambda: sr.trust_figures()[k]


def _mgmt(k):
    return lambda: sr.management_figures()[k]


def _evidence(k):
    return lambda: sr.evidence_figures()[k]


def _alloc(k):
    return lambda: sr.allocation_figures()[k]


def _sys(k):
    return lambda: sr.system_figures()[k]


def _hchs(date: str, k: str):
    return lambda: sr.hchs_totals(date)[k]


def _accounts(year: int, k: str):
    return lambda: sr.accounts_by_year().loc[year, k]


def _spread(k):
    return lambda: sr.spread_figures()[k]


def _lookup(k):
    """The trust lookup on the day chapter 3 says it is drawn up (the first of the month when the
    page names only a month)."""

    def get():
        day = pd.Timestamp(str(sr.glued("03_systems")["sys_lookup_asof"]))
        return sr.lookup_figures(day.strftime("%Y%m%d"))[k]

    return get


def _published(name: str, id_: str):
    """A published fact from a curated table: the value of the row with this id or measure."""

    def get():
        t = sr.curated(name)
        col = "id" if "id" in t.columns else "measure"
        rows = t[t[col] == id_]
        assert len(rows) == 1, f"data/curated/{name}.csv: expected one row {col} = {id_!r}, found {len(rows)}"
        v = float(rows["value"].iloc[0])
        return int(v) if v.is_integer() and name == "published_org_counts" else v

    return get


def _arrangements(form: str | None = None, failed: bool = False):
    def get():
        a = sr.curated("integration_arrangements")
        if form:
            a = a[a["form"] == form]
        if failed:
            a = a[a["status"].isin(["collapsed", "wound down"])]
        return len(a)

    return get


def _failed_phrase(form: str, firm: bool = False):
    """The named arrangements of ``form`` that ended in failure, as the key points write them ("two
    contractual arrangements"); with ``firm``, only those whose source is not graded low."""
    names = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

    def get():
        a = sr.curated("integration_arrangements")
        a = a[(a["form"] == form) & a["status"].isin(["collapsed", "wound down"])]
        if firm:
            a = a[a["confidence"] != "low"]
        n = len(a)
        return f"{names[n] if n < 10 else n} {form} arrangement{'' if n == 1 else 's'}"

    return get


def _arrangement_span(earlier: str, later: str | None, unit: str):
    """Time from the start of one arrangement to the end of it (``later`` None) or to the start of
    another, in whole months or in years."""

    def get():
        a = sr.curated("integration_arrangements").set_index("arrangement")
        start = pd.Timestamp(a.loc[earlier, "start"])
        end = pd.Timestamp(a.loc[earlier, "end"] if later is None else a.loc[later, "start"])
        if unit == "months":
            return (end.year - start.year) * 12 + end.month - start.month
        return (end - start).days / 365.25

    return get


def _claims(verdict: str | None):
    def get():
        c = sr.curated("claims")
        return len(c) if verdict is None else int((c["verdict"] == verdict).sum())

    return get


def _morciano(site: str):
    def get():
        e = sr.curated("evaluations")
        row = e[e["study"].str.startswith("Morciano") & (e["outcome"] == f"emergency admissions ({site} sites)")]
        assert len(row) == 1
        return -float(row["effect_pct"].iloc[0])

    return get


def _churn(what: str):
    """Years of the curated timeline's whole span (chapters 1 and 5 use the same window) in which it
    records a change of legislation, structure or national body."""

    def get():
        t = sr.curated("timeline")
        all_years = pd.to_datetime(t["date"]).dt.year
        years = pd.to_datetime(t.loc[t["category"].isin(["legislation", "structure", "national body"]), "date"]).dt.year
        first, last = int(all_years.min()), int(all_years.max())
        window = range(first, last + 1)
        return {"years": len(set(years) & set(window)), "span": len(window), "first": first, "last": last}[what]

    return get


def _ccgs_opened():
    """The day most CCGs opened, from the ODS CCG file (col 14 C = CCG, col 11 open date)."""
    e = sr.etr_like("eccg-2018-11.csv")
    day = pd.Timestamp(e.loc[e[13] == "C", 10].mode().iloc[0])
    return f"{day.day} {day:%B %Y}"


def _vanguard_cost():
    """The programme's cost by the NAO's account: its direct funding and central support added."""
    e = sr.curated("evaluations")
    text = " ".join(e.loc[e["study"].str.startswith("NAO") & (e["outcome"] == "direct funding"), "estimate_text"])
    total = sum(int(v) for v in re.findall(r"GBP (\d+)m", text))
    return f"£{total}m"


# glue key -> the second route to its value
SECOND_ROUTE = {
    "reorg_trusts_change_abs": _trusts("fall"),
    "concl_rca_first_year": _alloc("first_year"),
    "concl_rca_last_year": _alloc("last_year"),
    "concl_mgmt_q1": _mgmt("ics_q1"),
    "concl_mgmt_q3": _mgmt("ics_q3"),
    # trusts (ODS trust file, plus trusts it omits; see second_route.TRUSTS_MISSING_FROM_ODS)
    "reorg_trusts_first": _trusts("trusts_2012"),
    "int_trusts_2012": _trusts("trusts_2012"),
    "reorg_trusts_last": _trusts("trusts_2026"),
    "int_trusts_2026": _trusts("trusts_2026"),
    "reorg_trusts_pct_abs": _trusts("pct"),
    "int_trusts_pct": _trusts("pct"),
    "int_diss_since2012": _trusts("dissolved_since_2012"),
    # commissioners and systems (ONS lookups, ODS files)
    "reorg_ccg_2013": _sys("ccg_2013"),
    "sys_ccg_2013": _sys("ccg_2013"),
    "sys_ccg_2019": _sys("ccg_2019"),
    "sys_ccg_2020": _sys("ccg_2020"),
    "sys_ccg_2021": _sys("ccg_2021"),
    "reorg_icb_2022": _sys("n_icbs"),
    "sys_icb_2022": _sys("n_icbs"),
    "sys_n_icbs": _sys("n_icbs"),
    "concl_n_icbs_2022": _sys("n_icbs"),
    "reorg_icb_2026": _sys("n_icbs_2026"),
    "sys_n_icbs_2026": _sys("n_icbs_2026"),
    "concl_n_icbs_2026": _sys("n_icbs_2026"),
    "reorg_fall_2013_2026": lambda: 1 - sr.system_figures()["n_icbs_2026"] / sr.system_figures()["ccg_2013"],
    "reorg_fall_ccg_2013_2021": lambda: 1 - sr.system_figures()["ccg_2021"] / sr.system_figures()["ccg_2013"],
    "reorg_n_regions": _sys("n_regions"),
    "sys_n_regions": _sys("n_regions"),
    "sys_pop_max_name": _sys("pop_max_name"),
    "sys_pop_min_name": _sys("pop_min_name"),
    "sys_pop_ratio": _sys("pop_ratio"),
    "sys_trusts_min": _sys("trusts_min"),
    "sys_trusts_max": _sys("trusts_max"),
    "sys_las_min": _sys("las_min"),
    "sys_las_max": _sys("las_max"),
    "sys_split_22": _sys("split_22"),
    "sys_n_lads": _sys("n_lads"),
    "sys_cot_n": _sys("coterminous"),
    "sys_stp_2016": _sys("stp_2016"),
    "sys_stp_2019": _sys("stp_2019"),
    # running costs (NHS England allocation workbooks)
    "reorg_rca_first": _alloc("rca_first_m"),
    "reorg_rca_last": _alloc("rca_last_m"),
    "reorg_rca_first_year": _alloc("first_year"),
    "reorg_rca_last_year": _alloc("last_year"),
    "reorg_rca_cut": _alloc("rca_cut"),
    "concl_rca_cut": _alloc("rca_cut"),
    "mgmt_rca_eng_first": _alloc("per_head_first"),
    "mgmt_rca_eng_last": _alloc("per_head_last"),
    # management (workforce files)
    "mgmt_fte_2025_managers": _mgmt("managers_2025"),
    "mgmt_fte_2025_per100": _mgmt("per100_2025"),
    "concl_mgmt_per100": _mgmt("per100_2025"),
    "mgmt_fte_2025_staff_per_manager": _mgmt("staff_per_manager_2025"),
    "mgmt_hc_2009_per100": _mgmt("hc_2009_per100"),
    "mgmt_hc_2022_per100": _mgmt("hc_2022_per100"),
    "mgmt_hc_2013_per100": _mgmt("hc_2013_per100"),
    "mgmt_ccg_per_org_2017": _mgmt("ccg_per_org_2017"),
    "mgmt_comm_2009": _mgmt("comm_2009"),
    "mgmt_ccg_2013": _mgmt("comm_2013"),
    "mgmt_comm_share_2009": _mgmt("comm_share_2009"),
    "mgmt_comm_share_2013": _mgmt("comm_share_2013"),
    "mgmt_icb_share_2025": _mgmt("icb_share_2025"),
    "mgmt_acute_share_2025": _mgmt("acute_share_2025"),
    "mgmt_acute_per100_2025": _mgmt("acute_per100_2025"),
    "mgmt_mh_per100_2025": _mgmt("mh_per100_2025"),
    "mgmt_ics_ratio": _mgmt("ics_ratio"),
    "mgmt_ics_min": _mgmt("ics_min"),
    "mgmt_ics_min_name": _mgmt("ics_min_name"),
    "mgmt_ics_max": _mgmt("ics_max"),
    "mgmt_ics_max_name": _mgmt("ics_max_name"),
    "mgmt_ics_iq_ratio": _spread("iq_ratio"),
    "mgmt_ics_iq_ratio_lo": _spread("iq_ratio_lo"),
    "mgmt_ics_iq_ratio_hi": _spread("iq_ratio_hi"),
    # published facts, from the curated tables
    "reorg_pct_2013": _published("published_org_counts", "primary care trusts abolished"),
    "reorg_cut_2026_target": _published("published_management_figures", "C5b"),
    "reorg_cut_2025_target": _published("published_management_figures", "C6a"),
    "mgmt_ccg_rca_2013": _published("published_management_figures", "C1a"),
    "int_n_arr": _arrangements(),
    "int_contractual_failed": _arrangements("contractual", failed=True),
    "int_structural_arrangements": _arrangements("structural"),
    "int_contractual_failed_text": _failed_phrase("contractual"),
    "int_structural_failed_text": _failed_phrase("structural"),
    "int_contractual_failed_firm_text": _failed_phrase("contractual", firm=True),
    "int_structural_failed_firm_text": _failed_phrase("structural", firm=True),
    "int_uc_months": _arrangement_span("UnitingCare Partnership (Cambridgeshire and Peterborough)", None, "months"),
    "int_nca_years": _arrangement_span(
        "Northern Care Alliance NHS Group", "Northern Care Alliance NHS Foundation Trust", "years"
    ),
    "int_vg_total": lambda: len(sr.curated("vanguards")),
    "int_morciano_cost": _vanguard_cost,
    # beds around major mergers (KH03, with the successor files)
    "int_beds_n": lambda: sr.bed_figures()["n"],
    "int_beds_small_n": lambda: sr.bed_figures()["within_band"],
    "reorg_d_ccgs_2013": _ccgs_opened,
    "int_morciano_ch": _morciano("care home"),
    "int_morciano_pop": _morciano("population"),
    "concl_churn_years": _churn("years"),
    "concl_churn_span": _churn("span"),
    "concl_churn_first": _churn("first"),
    "concl_churn_last": _churn("last"),
    "claims_n": _claims(None),
    "claims_supported": _claims("supported"),
    "claims_partly_supported": _claims("partly supported"),
    "claims_not_supported": _claims("not supported"),
    "claims_not_testable_with_these_data": _claims("not testable with these data"),
    # heft in volume, the wider definition and the trusts' accounts (workforce files, trust accounts)
    "mgmt_heft_ccg_2013_median": _evidence("ccg_2013_median"),
    "mgmt_heft_ccg_2018_median": _evidence("ccg_2018_median"),
    "mgmt_heft_icb_2025_median": _evidence("icb_2025_median"),
    "mgmt_wide_eng_2025": _evidence("wide_2025"),
    "mgmt_wide_multiple_2025": _evidence("wide_multiple_2025"),
    "mgmt_fin_2010_net_bn": _evidence("net_2010_bn"),
    "mgmt_fin_2010_label": _evidence("label_2010"),
    "mgmt_fin_worst_deficit_bn": _evidence("worst_deficit_bn"),
    "mgmt_fin_worst_label": _evidence("worst_label"),
    "mgmt_fte_2017_per100": _hchs("2017-09-30", "per100"),
    "mgmt_fte_2025_per100_residents_lo": lambda: sr.like_for_like_figures()["residents_lo"],
    "concl_mgmt_per100_residents_lo": lambda: sr.like_for_like_figures()["residents_lo"],
    "mgmt_fte_2025_per100_residents_hi": lambda: sr.like_for_like_figures()["residents_hi"],
    "mgmt_fte_2017_per100_nondoctors": lambda: sr.like_for_like_figures()["nondoctors_2017"],
    "mgmt_fte_2025_per100_nondoctors": lambda: sr.like_for_like_figures()["nondoctors_2025"],
    "mgmt_rob_per10m_within": sr.within_trust_figure,
    # the mergers of 2010-2018 (successor files, trust accounts)
    "int_es_n_events": lambda: sr.merger_figures()["n_events"],
    "int_es_def_dis_share": lambda: sr.merger_figures()["dissolved_deficit_share"],
    # the 36 boards of April 2026 (practice map, registered patients, mid-2024 districts, LSOA lookup)
    **{
        f"sys26_{k}": (lambda k=k: sr.board_figures_2026()[k])
        for k in (
            "res_min",
            "res_min_name",
            "res_max_m",
            "res_max_name",
            "res_q1_m",
            "res_q3_m",
            "n_lads",
            "split_lads",
            "ppp_england",
            "ppp_min",
            "ppp_min_name",
            "ppp_max",
            "ppp_max_name",
        )
    },
    "sys26_n": lambda: sr.board_figures_2026()["n_boards"],
    "sys_n_divided": lambda: sr.board_figures_2026()["n_divided"],
    "sys26_cot_n": lambda: sr.board_figures_2026()["coterminous"],
    "sys26_gp_practices": lambda: sr.board_figures_2026()["practices"],
    "sys26_res_total_m": lambda: sr.board_figures_2026()["residents_total_m"],
}

# Key figures with no second route here, and why.
NO_SECOND_ROUTE = {
    "reorg_d_icbs_2022": "date of an event, from the curated timeline",
    "reorg_d_nhsei_announced": "date of an event, from the curated timeline",
    "reorg_d_nhsei_single": "date of an event, from the curated timeline",
    "reorg_d_nhse_abolition": "date of an event, from the curated timeline",
    "sys_lookup_asof": "the date of the latest ODS trust file, not a statistic",
    "period_staff": "the reporting period of the workforce data (x_as_of of staff_by_org), not a statistic; "
    "tests/test_periods_from_data.py and tests/test_words.py check it",
    "period_allowance": "the financial year of the allocations (x_as_of of icb_allocations), not a statistic; "
    "tests/test_periods_from_data.py and tests/test_words.py check it",
    "reorg_trusts_last_day": "the day of the last trust count (1 April of the last year the ODS trust file "
    "covers), not a statistic; the second route of reorg_trusts_last counts on the same day",
    "claims_pending_text": "a phrase over the count of pending claims, which test_data_curated checks (C30 only)",
    "int_beds_band": "a threshold the report chooses (5 percentage points); the second route uses the same",
    "period_boards": "the day the boards of 2026 took over (x_as_of of lad_board_overlap), not a statistic; "
    "tests/test_periods_from_data.py and tests/test_words.py check it",
    "sys26_period_population": "the year of the ONS estimate the boards' districts carry (its source's title), not "
    "a statistic; tests/test_boards.py checks it",
    "sys26_upper_n": "councils in the ONS council boundaries of December 2023, counted by the lad_upper_tier_2023 "
    "check (153) when the data are built",
    "sys26_upper_split_n": "needs each district's county, which the raw files give only as boundaries; "
    "tests/test_board_populations.py recomputes the split councils' shares from the raw files",
    "int_contractual_failed_low_names": "the short names of curated rows graded low (the Wirral contract), not a "
    "count; tests/test_chapter_04_integration.py checks the rows",
    "int_es_mgr_k3_n": "the number of mergers the event study follows three years on; "
    "tests/test_analysis_mergers.py recomputes it, with the estimate, from the raw managers file",
}
_BOOTSTRAP = (
    "an estimate or a bootstrap interval (resampling trusts or mergers), or the reading of one; "
    "tests/test_chapter_evidence.py checks that each interval holds its estimate and that the reading agrees "
    "with it"
)
NO_SECOND_ROUTE.update(
    {
        k: _BOOTSTRAP
        for k in (
            "mgmt_assoc_per10m_keypoint",
            "mgmt_assoc_per10m_coef_per_sd",
            "mgmt_assoc_per10m_coef_lo",
            "mgmt_assoc_per10m_coef_hi",
            "mgmt_assoc_per100_direction",
            "mgmt_assoc_per100_coef_per_sd",
            "mgmt_assoc_per100_coef_lo",
            "mgmt_assoc_per100_coef_hi",
            "mgmt_assoc_per10m_reading",
            "mgmt_assoc_per100_reading",
            "mgmt_rob_per100_years_reading",
            "mgmt_rob_per10m_within_lo",
            "mgmt_rob_per10m_within_hi",
            "int_es_mgr_k3_did",
            "int_es_mgr_k3_gap",
            "int_es_mgr_k3_lo",
            "int_es_mgr_k3_hi",
            "int_es_surplus_k3_did",
            "int_es_surplus_k3_lo",
            "int_es_surplus_k3_hi",
        )
    }
)
NO_SECOND_ROUTE.update(
    {k: _BOOTSTRAP for k in ("int_es_beds_k3_did", "int_es_beds_k3_lo", "int_es_beds_k3_hi", "int_es_beds_k3_fall_max")}
)
NO_SECOND_ROUTE["claims_not_supported_text"] = "a phrase over claims_not_supported, which has a second route"
NO_SECOND_ROUTE["claims_closing_text"] = (
    "a phrase over claims_not_supported (which has a second route) and the pending claims"
)
NO_SECOND_ROUTE.update(
    {
        "reorg_d_icb_costs_2023": "date of an event, from the curated timeline",
        "reorg_d_icb_mergers_2026": "date of an event, from the curated timeline",
        "reorg_trusts_first_day": "the day of the first trust count (1 April of the first year counted), not a "
        "statistic; the second route of reorg_trusts_first counts on the same day",
        "period_boards": "the day the boards of 2026 took over (the data package), not a statistic; "
        "tests/test_periods_from_data.py checks it",
        **{
            f"concl_verdict_c{n}": "the ledger's verdict of the claim, printed as data/curated/claims.csv records it"
            for n in ("01", "02", "03", "06", "07", "08", "11", "14", "16", "19", "21", "23", "29", "32")
        },
    }
)
#: Figures of the front page and chapters 1 and 5 (December 2026) still to be given a second route:
#: the boards of 2026 (built from the LSOA lookups), acute and community trusts' part of the fall
#: (needs each trust's type) and chapter 2's per-organisation and 2017 figures.
_NOT_YET = "no second route yet (front page and chapters 1 and 5, December 2026)"
NO_SECOND_ROUTE.update(
    {
        k: _NOT_YET
        for k in (
            "sys26_n",
            "sys26_cot_n",
            "sys26_split_lads",
            "sys_pop26_ratio",
            "sys26_res_ratio",
            "concl_cot_2026",
            "concl_pop_ratio_2026",
            "reorg_fall_acute_community",
            "reorg_fall_acute_community_share",
            "mgmt_fte_2017_per100",
            "mgmt_acute_per_org_2017",
            "mgmt_mh_per_org_2017",
        )
    }
)
NO_SECOND_ROUTE["int_es_def_dis_share_same_type"] = (
    "needs each trust's type in each year, which the raw files give only through the report's own type rules"
)

KEY_FIGURES = sr.key_figures()

# Figures outside the key points that the same files feed (trusts, care trusts, CCGs, staff counts, the
# spread between systems, the trusts' accounts, the trust lookup), checked the same way:
# (chapter, glue key, format the page uses, second route).
FURTHER_FIGURES = [
    ("01_reorganisation", "reorg_trusts_change_abs", "", _trusts("fall")),
    ("01_reorganisation", "reorg_trusts_2020", "", _trusts("trusts_2020")),
    ("01_reorganisation", "reorg_ambulance_first", "", _trusts("ambulance_2012")),
    ("01_reorganisation", "reorg_ambulance_last", "", _trusts("ambulance_2026")),
    ("04_integration", "int_trusts_fall", "", _trusts("fall")),
    ("04_integration", "int_trusts_ambulance_2012", "", _trusts("ambulance_2012")),
    ("05_conclusions", "concl_trusts_first", "", _trusts("trusts_2012")),
    ("05_conclusions", "concl_trusts_last", "", _trusts("trusts_2026")),
    ("03_systems", "sys_lookup_n", "", _lookup("n")),
    ("03_systems", "sys_lookup_moved", "", _lookup("changed")),
    ("03_systems", "sys_lookup_min_n", "", _lookup("min")),
    ("03_systems", "sys_lookup_max_n", "", _lookup("max")),
    ("03_systems", "sys_lookup_n_icbs", "", _lookup("n_boards")),
    ("03_systems", "sys_lookup_n_amb", "", _lookup("n_ambulance")),
    *[
        ("02_management", f"mgmt_ics_{k}", spec, _spread(k))
        for k, spec in (
            ("ratio_lo", ".1f"),
            ("ratio_hi", ".1f"),
            ("n_outliers", "d"),
            ("outliers", ""),
            ("without_min_name", ""),
            ("without_max_name", ""),
        )
    ],
    ("02_management", "mgmt_ics_outlier_fence", ".1f", _spread("fence")),
    ("02_management", "mgmt_trust_fte_2018", ",.0f", _mgmt("trust_fte_2018")),
    ("02_management", "mgmt_other_doctors_2025", ",.0f", lambda: sr.like_for_like_figures()["other_doctors_2025"]),
    ("02_management", "mgmt_trust_fte_2025", ",.0f", _mgmt("trust_fte_2025")),
    ("01_reorganisation", "reorg_care_trusts_n", "", lambda: len(sr.care_trusts_with_staff())),
    ("01_reorganisation", "reorg_care_trusts_codes", "", lambda: ", ".join(sr.care_trusts_with_staff())),
    (
        "01_reorganisation",
        "reorg_trusts_2020_with_care",
        "",
        lambda: sr.trust_figures()["trusts_2020"] + len(sr.care_trusts_with_staff()),
    ),
    ("02_management", "mgmt_ccg_open_2017", "", lambda: sr.ccg_figures_2017()["open"]),
    ("02_management", "mgmt_ccg_n_2017", "", lambda: sr.ccg_figures_2017()["with_staff"]),
    *[
        ("02_management", f"mgmt_fte_{date[:4]}_{k}", spec, _hchs(date, k))
        for date in ("2017-09-30", "2018-06-30")
        for k, spec in (("managers", ",.0f"), ("staff", ",.0f"), ("per100", ".1f"), ("staff_per_manager", ".0f"))
    ],
    ("02_management", "mgmt_half_rca", ".2f", lambda: sr.allocation_figures()["per_head_last"] / 2),
    *[
        ("02_management", f"mgmt_fin_{y}_{k}", spec, _accounts(y, k))
        for y in (2010, 2013, 2015, 2017, 2018)
        for k, spec in (
            ("n_trusts", ""),
            ("n_deficit", ""),
            ("share_deficit", ".0%"),
            ("net_bn", ".2f"),
            ("gross_deficit_bn", ".2f"),
            ("cost_bn", ".1f"),
        )
    ],
]


def test_every_key_figure_has_a_second_route_or_a_reason():
    missing = sorted({k for _, _, k, _ in KEY_FIGURES} - set(SECOND_ROUTE) - set(NO_SECOND_ROUTE))
    assert not missing, f"key figures with no second route in tests/test_second_route.py: {missing}"
    assert len(KEY_FIGURES) > 100, "the key points were not found in book/*.ipynb and book/index.md"


def _shown(value, spec: str) -> str:
    """The value as the page prints it with the glue format ``spec``."""
    if isinstance(value, str) or not spec:
        return str(int(value)) if isinstance(value, float) and value.is_integer() and not spec else str(value)
    return format(int(value) if spec.endswith("d") else value, spec)


@pytest.fixture(scope="session")
def glue_values(html_book):
    def get(chapter: str) -> dict:
        if not (sr.EXECUTED / f"{chapter}.glue.json").exists():
            pytest.skip(f"{chapter} has no glue record in _build/jupyter_execute (book not built)")
        return sr.glued(chapter)

    return get


_ROUTED = [f for f in KEY_FIGURES if f[2] in SECOND_ROUTE]


@pytest.mark.slow
@pytest.mark.parametrize("page,chapter,key,spec", _ROUTED, ids=[f"{f[0]}:{f[2]}" for f in _ROUTED])
def test_key_figure_agrees_with_the_raw_files(glue_values, page, chapter, key, spec):
    _compare(glue_values(chapter), SECOND_ROUTE[key](), spec, f"{page}: {key} ({chapter})", key)


@pytest.mark.slow
@pytest.mark.parametrize("chapter,key,spec,route", FURTHER_FIGURES, ids=[f[1] for f in FURTHER_FIGURES])
def test_further_figure_agrees_with_the_raw_files(glue_values, chapter, key, spec, route):
    _compare(glue_values(chapter), route(), spec, f"{chapter}: {key}", key)


def _compare(values: dict, expected, spec: str, where: str, key: str) -> None:
    stated = values.get(key)
    assert stated is not None, f"{where}: not glued"
    if hasattr(expected, "item"):
        expected = expected.item()
    if isinstance(stated, int) and isinstance(expected, float):  # glued as a whole number: compare rounded
        expected = round(expected)
    assert _shown(stated, spec) == _shown(expected, spec), (
        f"{where}: the page says {_shown(stated, spec)}, the raw files give {_shown(expected, spec)} ({expected!r})"
    )
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert math.isclose(float(stated), float(expected), rel_tol=1e-6, abs_tol=1e-9), (
            f"{where}: glued {stated!r}, second route {expected!r}"
        )
    else:
        assert stated == expected, f"{where}: glued {stated!r}, second route {expected!r}"


def _section_text(page, section_id: str) -> str:
    """The text of one section of a built page, from its id to the end of the section."""
    raw = page.read_text(encoding="utf-8")
    start = raw.find(f'id="{section_id}"')
    assert start >= 0, f"{page.name} has no section {section_id!r}"
    end = raw.find("</section>", start)
    t = re.sub(r"<[^>]+>", " ", raw[start : end if end > 0 else None])
    return " ".join(html.unescape(t).split())


@pytest.mark.slow
def test_front_page_key_findings_print_the_raw_figures(html_book):
    page = html_book / "book" / "index.html"
    if not page.exists():
        pytest.skip("the front page was not built")
    findings = _section_text(page, "key-findings")
    assert "Key findings" in findings and len(findings) > 500, findings[:200]
    wrong = []
    for page_name, _, key, spec in KEY_FIGURES:
        if page_name == "index" and key in SECOND_ROUTE:
            expected = SECOND_ROUTE[key]()
            shown = _shown(expected.item() if hasattr(expected, "item") else expected, spec)
            if not re.search(rf"(?<![\d.,]){re.escape(shown)}(?![\d,]|\.\d)", findings):
                wrong.append(f"{key}: {shown} not on the page")
    assert not wrong, f"front page key findings: {wrong}"


# --------------------------------------------------------------------------------------------
# 2. organisations with staff: a type, and open on the date
# --------------------------------------------------------------------------------------------

# Organisations with staff that are not in the processed trust table, on purpose, with the source.
KNOWN_GAPS = {
    "TAD": "care trust (Bradford District Care NHS FT): ODS lists care trusts in its care trust file, not in the trust "
    "file the trust table is built from (ODS STP partner mapping, April 2019, sheet 'CareTrusts')",
    "TAE": "care trust (Manchester Mental Health and Social Care Trust), as TAD; merged into RXV on 1 January 2017 "
    "(ODS successor file, org-change-paths-2000-2018)",
    "TAF": "care trust (Camden and Islington NHS FT), as TAD (ODS STP partner mapping, sheet 'CareTrusts')",
    "TAH": "care trust (Sheffield Health and Social Care NHS FT), as TAD (ODS STP partner mapping, sheet 'CareTrusts')",
    "TAJ": "care trust (Black Country Partnership NHS FT), as TAD (ODS STP partner mapping, sheet 'CareTrusts')",
}
# Care trusts that commissioned services (care trusts with the functions of a primary care trust),
# abolished with the primary care trusts on 31 March 2013: typed PCT, and outside the trust table.
# Names as the KH03 returns give them; the files name no others.
COMMISSIONING_CARE_TRUSTS = {
    "TAC": "commissioning care trust (no name in the files)",
    "TAK": "commissioning care trust (no name in the files)",
    "TAL": "Torbay Care Trust",
    "TAM": "Solihull Care Trust",
    "TAN": "North East Lincolnshire Care Trust Plus",
    "TAP": "commissioning care trust (no name in the files)",
}
# Trusts whose type is legitimately "other" (not one of the four provider types), with the reason.
OTHER_TRUSTS = {
    "RYH": "NHS Direct NHS Trust, the national telephone and online health service (closed March 2014)",
}
TRUST_TYPES = {"acute", "mental health", "community", "ambulance"}


def _processed(name: str) -> pd.DataFrame:
    return pd.read_csv(sr.ROOT / "data" / "processed" / f"{name}.csv", dtype=str, keep_default_na=False)


def _is_trust(code: str) -> bool:
    return bool(re.fullmatch(r"R[A-Z0-9]{2}|TA[A-Z]", code))


@pytest.fixture(scope="module")
def staff_on_dates() -> pd.DataFrame:
    """(source, date, org_code, org_name, fte) for every organisation with staff, every workforce file
    with organisations: managers and consultants FTE 2009-2018 (September), FTE September 2017 and
    June 2018, staff in post October and November 2025."""
    parts = []
    for name, table in (("managers", sr.managers_fte()), ("consultants", sr.consultants_fte())):
        m = table[table["FTE"] > 0]
        parts.append(
            pd.DataFrame(
                {
                    "source": f"{name}-fte-by-org-2009-2018.csv",
                    "date": m["YEAR"].astype(str) + "-09-30",
                    "org_code": m["ORG_CODE"],
                    "org_name": "",
                    "fte": m["FTE"],
                }
            )
        )
    h = sr.hchs()
    h = h.groupby(["date", "Organisation code", "Organisation name"], as_index=False)["FTE"].sum()
    h = h[h["FTE"] > 0]
    parts.append(
        pd.DataFrame(
            {
                "source": "hchs-staff-by-group-nationality-org-2017-09_2018-06.xlsx",
                "date": h["date"],
                "org_code": h["Organisation code"].str.strip(),
                "org_name": h["Organisation name"],
                "fte": h["FTE"],
            }
        )
    )
    for month, day in (("2025-10", "2025-10-31"), ("2025-11", "2025-11-30")):
        t = sr.turnover_by_org(month)
        t = t[t["staff"] > 0]
        parts.append(
            pd.DataFrame(
                {
                    "source": f"turnover-benchmarking-staff-group-org-{month}.csv",
                    "date": day,
                    "org_code": t["REPORTING_ORG_CODE"],
                    "org_name": t["REPORTING_ORG_NAME"],
                    "fte": t["staff"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def test_every_organisation_with_staff_has_a_type(staff_on_dates):
    """No organisation with staff may drop out of the processed staff tables or lose its type: a
    trust must be acute, mental health, community or ambulance (or a listed exception). The
    consultants file feeds no processed table, so only the open-date test below uses it."""
    sbo = _processed("staff_by_org")
    sbo_types = sbo.groupby(["date", "org_code"])["org_type"].agg(lambda s: sorted(set(s)))
    mbo = _processed("managers_by_org")
    mbo_types = (
        mbo.assign(date=mbo["year"] + "-09-30").groupby(["date", "org_code"])["org_type"].agg(lambda s: sorted(set(s)))
    )
    problems = []
    for r in staff_on_dates[~staff_on_dates["source"].str.startswith("consultants")].itertuples(index=False):
        types = (mbo_types if r.source.startswith("managers") else sbo_types).get((r.date, r.org_code))
        label = f"{r.source}, {r.date}, {r.org_code} {r.org_name} ({r.fte:,.0f} FTE)".replace("  ", " ")
        if types is None:
            problems.append(f"{label}: not in the processed table")
        elif len(types) != 1 or types[0] in ("", "other"):
            problems.append(f"{label}: type {types}")
        elif r.org_code in COMMISSIONING_CARE_TRUSTS:
            if types[0] != "PCT":
                problems.append(f"{label}: a commissioning care trust typed {types[0]!r}")
        elif _is_trust(r.org_code) and types[0] not in TRUST_TYPES and r.org_code not in OTHER_TRUSTS:
            problems.append(f"{label}: a trust typed {types[0]!r}")
    assert not problems, f"{len(problems)} organisations with staff and no proper type:\n" + "\n".join(problems[:40])


def test_every_trust_with_staff_is_open_that_day(staff_on_dates):
    """Every trust with staff on a date from 1 April 2012 (the start of the trust table) is open on
    that date in the processed trust table, or is a known gap with its source."""
    trusts = _processed("trusts").set_index("org_code")
    problems = []
    s = staff_on_dates[(staff_on_dates["date"] >= "2012-04-01") & staff_on_dates["org_code"].map(_is_trust)]
    for r in s.drop_duplicates(["date", "org_code"]).itertuples(index=False):
        if r.org_code in KNOWN_GAPS or r.org_code in COMMISSIONING_CARE_TRUSTS:
            continue
        label = f"{r.source}, {r.date}, {r.org_code} {r.org_name} ({r.fte:,.0f} FTE)".replace("  ", " ")
        if r.org_code not in trusts.index:
            problems.append(f"{label}: not in the trust table")
            continue
        t = trusts.loc[r.org_code]
        if not (t["opened"] <= r.date and (t["closed"] == "" or t["closed"] >= r.date)):
            problems.append(f"{label}: the trust table has it open {t['opened']} to {t['closed'] or 'now'}")
    assert not problems, f"{len(problems)} trusts with staff not open in the trust table:\n" + "\n".join(problems)


def test_known_gaps_are_real():
    """Each listed gap is a care trust code seen in the workforce files and absent from the ODS trust
    files (so the list cannot hide a trust the trust table should have), and every care trust of the
    ODS list is among the provider care trusts."""
    codes = set(sr.managers_fte()["ORG_CODE"]) | set(sr.hchs()["Organisation code"].str.strip())
    ods = set(sr.etr("etr-2026-06.csv")["code"]) | set(sr.etr("etr-2020-10.csv")["code"])
    for code in [*KNOWN_GAPS, *COMMISSIONING_CARE_TRUSTS]:
        assert re.fullmatch(r"TA[A-Z]", code) and code in codes and code not in ods, code
    listed = sr.provider_care_trusts()
    assert listed and listed <= set(KNOWN_GAPS), f"ODS care trusts not among the gaps: {listed - set(KNOWN_GAPS)}"


def test_trusts_missing_from_ods_are_evidenced():
    """The second route's trusts outside the ODS trust file: each has staff in the workforce files
    and an ODS successor-file change on its stated last day + 1."""
    m = sr.managers_fte()
    paths = sr.change_paths()
    for code, _, close, _ in sr.TRUSTS_MISSING_FROM_ODS:
        assert code not in set(sr.etr("etr-2026-06.csv")["code"])
        assert (m["ORG_CODE"] == code).any(), code
        step = paths[paths["old_code"] == code]
        assert len(step) == 1
        assert pd.Timestamp(step["date_change_1"].iloc[0]) == pd.Timestamp(close) + pd.Timedelta(days=1), code
