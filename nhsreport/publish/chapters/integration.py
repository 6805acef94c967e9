"""Chapter 4, contractual versus structural integration (``book/04_integration``): the numbers its
prose prints.

The chapter calls :func:`compute` once (the analysis of :mod:`nhsreport.analysis.integration` and
:mod:`nhsreport.analysis.mergers` on the datasets it declares) and glues :func:`chapter_numbers`;
its figures and tables are drawn from the same :class:`Results` by
:mod:`nhsreport.publish.chapters.integration_figures`. Dates become text here, through
:mod:`nhsreport.formatting`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from nhsreport import data, formatting
from nhsreport.analysis import integration as integ
from nhsreport.analysis import mergers as mz
from nhsreport.publish.components import words
from nhsreport.schema import SERVICE_TRUST_TYPES

#: The datasets the chapter reads (its notebook declares them, with ``icbs`` for the board to highlight).
DATASETS = (
    "integration_arrangements",
    "trusts",
    "trust_changes",
    "trust_beds",
    "timeline",
    "vanguards",
    "evaluations",
    "published_org_counts",
    "managers_by_org",
    "trust_finances",
)
#: Datasets whose as-of date the "Data used" section prints.
AS_OF_DATASETS = ("integration_arrangements", "trusts", "trust_changes", "trust_beds", "vanguards", "evaluations")
#: The years the chapter counts trusts between (1 April of each: the 2012 Act, the 2026 boards).
FIRST_YEAR, LAST_YEAR = 2012, 2026
#: Bootstrap samples of the merger event study and of the pre-merger deficits.
N_BOOT = 1000
#: Beds of a merged trust "within the trend" when within this many percentage points of England's.
BEDS_BAND = 5.0
#: Comparison trusts matched to each merged trust on baseline deficit and size, in the event study's check.
MATCHED_TRUSTS = 10
TRUST_TYPES = list(SERVICE_TRUST_TYPES)


@dataclass
class Results:
    """The chapter's analysis, computed once: the loaded datasets and the tables drawn from them."""

    tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame  # trust changes in effect by ``cutoff`` (later ones are planned)
    cutoff: pd.Timestamp
    spans: pd.DataFrame
    by_year: pd.DataFrame
    dissolved: pd.DataFrame
    dissolved_total: pd.Series
    effects: pd.DataFrame
    bed_panels: pd.DataFrame
    bed_summary: pd.DataFrame
    events: pd.DataFrame
    study: pd.DataFrame  # the event study's main form (``variants["main"]``)
    variants: dict[str, pd.DataFrame]  # the main form and its checks (:func:`mergers.event_study_variants`)
    deficits: pd.DataFrame


def load() -> dict[str, pd.DataFrame]:
    """The chapter's datasets by name."""
    return {name: data.load(name) for name in DATASETS}


def merger_label(successor_name: str, date) -> str:
    """A merger's label: the successor's short name and the month it took effect,
    ``'MID AND SOUTH ESSEX NHS FOUNDATION TRUST', 2020-04-01`` -> ``'Mid and South Essex (Apr 2020)'``."""
    name = " " + str(successor_name).title() + " "
    for long, short in [
        (" Nhs ", " "),
        (" Foundation Trust ", " "),
        (" Trust ", " "),
        (" And ", " and "),
        (" Of ", " of "),
        ("'S ", "'s "),
        ("University Hospitals", "Univ. Hospitals"),
    ]:
        name = name.replace(long, short)
    return f"{' '.join(name.split())} ({formatting.short_month_year(date)})"


def labelled_mergers(mergers: pd.DataFrame) -> pd.DataFrame:
    """Merger rows with their label first (``merger``) in place of the successor's name."""
    out = mergers.drop(columns="successor_name")
    out.insert(0, "merger", [merger_label(n, d) for n, d in zip(mergers["successor_name"], mergers["merger_date"])])
    return out


def compute(tables: dict[str, pd.DataFrame], n_boot: int = N_BOOT) -> Results:
    """Every table the chapter's numbers and figures are drawn from."""
    cutoff = integ.as_of_end("trust_changes")
    changes = integ.changes_up_to(tables["trust_changes"], cutoff)
    spans = integ.arrangement_spans(
        tables["integration_arrangements"], as_of=integ.as_of_end("integration_arrangements")
    )
    dissolved_total = integ.dissolutions_by_year(changes, range(2000, LAST_YEAR + 1), by=None)
    beds = tables["trust_beds"]
    panels = integ.merger_bed_panels(beds, integ.major_mergers(beds, changes), window=8)
    events = mz.merger_events(changes)
    years = mz.trust_years(tables["trust_finances"], tables["managers_by_org"], beds)
    variants = mz.event_study_variants(events, years, n_boot=n_boot, matched=MATCHED_TRUSTS)
    return Results(
        tables=tables,
        changes=changes,
        cutoff=cutoff,
        spans=spans,
        by_year=integ.trusts_on_1_april(tables["trusts"], range(FIRST_YEAR, LAST_YEAR + 1)),
        dissolved=integ.dissolutions_by_year(changes, range(2000, LAST_YEAR + 1), by="trust_type"),
        dissolved_total=dissolved_total.set_index("year")["dissolved"],
        effects=integ.evaluation_effects(tables["evaluations"]),
        bed_panels=panels,
        bed_summary=integ.merger_bed_summary(panels),
        events=events,
        study=variants["main"],
        variants=variants,
        deficits=mz.pre_merger_deficits(events, tables["trust_finances"], n_boot=n_boot).set_index("group"),
    )


# ---------------------------------------------------------------------------------------------
# numbers for the prose
# ---------------------------------------------------------------------------------------------


def _row(table: pd.DataFrame, column: str, value) -> pd.Series:
    return table[table[column] == value].iloc[0]


def arrangement_numbers(res: Results) -> dict:
    """The named arrangements: counts by form and fate, UnitingCare, Dudley, the Northern Care
    Alliance and the phased paths from a looser to a tighter arrangement."""
    arr = res.tables["integration_arrangements"]
    forms = integ.form_summary(arr)
    out = {"int_n_arr": len(arr)}
    for form in ["contractual", "structural"]:
        for col in ["arrangements", "live", "superseded", "failed", "national"]:
            out[f"int_{form}_{col}"] = int(forms.loc[form, col])
    out["int_contractual_local"] = int(forms.loc["contractual", "arrangements"] - forms.loc["contractual", "national"])
    unitingcare = arr[arr["arrangement"].str.startswith("UnitingCare")].iloc[0]
    out["int_uc_months"] = integ.months_between(unitingcare["start"], unitingcare["end"])
    out["int_uc_start"] = formatting.month_year(unitingcare["start"])
    out["int_uc_end"] = formatting.month_year(unitingcare["end"])
    dudley = arr[arr["arrangement"].str.startswith("Dudley")].iloc[0]
    out["int_dudley_start"] = formatting.month_year(dudley["start"])
    out["int_dudley_end"] = formatting.month_year(dudley["end"])
    out["int_dudley_end_date"] = formatting.uk_date(dudley["end"])
    out |= fate_numbers(arr)
    nca_group = pd.Timestamp(_row(arr, "arrangement", "Northern Care Alliance NHS Group")["start"])
    nca_ft = pd.Timestamp(_row(arr, "arrangement", "Northern Care Alliance NHS Foundation Trust")["start"])
    out["int_nca_group_start"] = formatting.month_year(nca_group)
    out["int_nca_ft_start"] = formatting.month_year(nca_ft)
    out["int_nca_years"] = float((nca_ft - nca_group).days / 365.25)
    paths = integ.phased_paths(arr)
    same = paths[paths["same_partners"]]
    # the text says all the pairs are in Greater Manchester: check it still holds
    if paths["icb_code"].unique().tolist() != ["QOP"]:
        raise ValueError(f"phased paths outside Greater Manchester: {paths['icb_code'].unique()}")
    out["int_paths_pairs"] = len(paths)
    out["int_paths_icbs"] = paths["icb_code"].nunique()
    out["int_paths_same"] = len(same)
    out["int_paths_pairs_text"] = words.count_phrase(len(paths), "time")
    out["int_paths_same_text"] = (
        "only " + words.count_phrase(len(same), "case") if len(same) < len(paths) else "every case"
    )
    contractual_to_structural = same[(same["earlier_form"] == "contractual") & (same["later_form"] == "structural")]
    out["int_paths_same_c2s"] = len(contractual_to_structural)
    out["int_paths_same_forms"] = " and ".join(sorted(set(same["earlier_form"]) | set(same["later_form"])))
    return out


def fate_numbers(arr: pd.DataFrame) -> dict:
    """Arrangements that ended in failure by form and by the confidence of their source, and what is
    left of each count when the low-confidence sources are set aside."""
    fates = integ.fates_by_confidence(arr).set_index(["form", "confidence"])
    out = {}
    for form in ("contractual", "structural"):
        for level in ("high", "medium", "low"):
            out[f"int_{form}_failed_{level}"] = int(fates.loc[(form, level), "failed"])
        firm = fates.loc[(form, "high"), "failed"] + fates.loc[(form, "medium"), "failed"]
        out[f"int_{form}_failed_text"] = words.count_phrase(int(fates.xs(form)["failed"].sum()), f"{form} arrangement")
        out[f"int_{form}_failed_firm"] = int(firm)
        out[f"int_{form}_failed_firm_text"] = words.count_phrase(int(firm), f"{form} arrangement")
        high = fates.loc[(form, "high"), "failed_names"]
        out[f"int_{form}_failed_high_names"] = words.and_list(high) if high else "none"
        low = fates.loc[(form, "low"), "failed_names"]
        out[f"int_{form}_failed_low_names"] = words.and_list([integ.short_name(n) for n in low]) if low else "none"
    return out


def trust_numbers(res: Results) -> dict:
    """Trusts open on 1 April: all and by type, first and last year, and the largest fall."""
    change = integ.trust_count_change(res.tables["trusts"], FIRST_YEAR, LAST_YEAR)
    out = {
        f"int_trusts_{FIRST_YEAR}": change["first"],
        f"int_trusts_{LAST_YEAR}": change["last"],
        "int_trusts_fall": -change["change"],
        "int_trusts_pct": -change["pct"],
    }
    for trust_type in TRUST_TYPES:
        series = res.by_year[res.by_year["trust_type"] == trust_type].set_index("year")["trusts"]
        key = trust_type.replace(" ", "_")
        out[f"int_trusts_{key}_{FIRST_YEAR}"] = int(series[FIRST_YEAR])
        out[f"int_trusts_{key}_{LAST_YEAR}"] = int(series[LAST_YEAR])
    outside = integ.trusts_outside_ods_file(res.tables["trusts"], f"{FIRST_YEAR}-04-01")
    out[f"int_trusts_{FIRST_YEAR}_ods"] = change["first"] - len(outside)
    out[f"int_trusts_{FIRST_YEAR}_outside_ods"] = words.and_list([formatting.tidy_name(n) for n in outside["org_name"]])
    out[f"int_trusts_{FIRST_YEAR}_outside_ods_n"] = len(outside)
    fall, year = integ.largest_annual_fall(res.by_year)
    out |= {"int_trusts_maxfall": fall, "int_trusts_maxfall_year": year, "int_trusts_maxfall_prev": year - 1}
    return out


def dissolution_numbers(res: Results) -> dict:
    """Trust codes dissolved into other trusts: by year, since 2012, in the King's Fund's window,
    and the planned changes after the trust file's date."""
    total, diss = res.dissolved_total, res.dissolved
    published, evaluations = res.tables["published_org_counts"], res.tables["evaluations"]
    out = {
        "int_diss_total": int(total.sum()),
        "int_diss_peak_year": int(total.idxmax()),
        "int_diss_peak": int(total.max()),
        "int_diss_2006": int(total[2006]),
        "int_diss_2006_amb": int(diss[(diss["year"] == 2006) & (diss["trust_type"] == "ambulance")]["dissolved"].sum()),
        "int_diss_2000_02": int(total.loc[2000:2002].sum()),
    }
    since = integ.dissolutions_between(res.changes, "2012-04-02", res.cutoff)
    out["int_diss_since2012"] = since["codes"]
    out["int_diss_since2012_merger"] = since["merger_codes"]
    out["int_diss_since2012_acq"] = since["acquisition_codes"]
    out["int_diss_since2012_inferred"] = since["inferred_codes"]
    out["int_diss_since2012_split"] = since["split_codes"]
    splits = res.changes[
        (res.changes["change_type"] == "split") & (pd.to_datetime(res.changes["date"]) >= pd.Timestamp("2012-04-02"))
    ]
    out["int_diss_split_names"] = words.and_list(
        [formatting.tidy_name(n) for n in splits.drop_duplicates("old_code").sort_values("date")["old_name"]]
    )
    # against every change in the file, planned ones too (a trust closing the day before its planned merger has a successor)
    closed = integ.closed_without_successor(res.tables["trusts"], res.tables["trust_changes"], "2012-04-02", res.cutoff)
    first_closed = closed.iloc[0]
    out["int_closed_nosucc_n"] = len(closed)
    out["int_closed_nosucc_first"] = formatting.tidy_name(first_closed["org_name"])
    out["int_closed_nosucc_first_year"] = int(first_closed["closed"].year)
    kings_fund = integ.dissolutions_between(res.changes, "2010-01-01", "2015-06-30")
    out["int_diss_kf_codes"] = kings_fund["codes"]
    out["int_diss_kf_events"] = kings_fund["events"]
    out["int_kf_mergers"] = float(_row(published, "source_key", "kingsfund2015mergerspress")["value"])
    out["int_kf_subject"] = _row(evaluations, "source_key", "kingsfund2015mergers")["subject"]
    out |= gaynor_numbers(_row(evaluations, "source_key", "gaynor2012mergers")["subject"])
    changes_all = res.tables["trust_changes"]
    planned = changes_all[pd.to_datetime(changes_all["date"]) > res.cutoff]
    out["int_diss_planned"] = planned["old_code"].nunique()
    out["int_diss_planned_text"] = words.count_phrase(planned["old_code"].nunique(), "further change")
    out["int_changes_cutoff"] = formatting.uk_date(res.cutoff)
    return out


def en_dash_ranges(text: str) -> str:
    """Ranges of numbers in published text with an en dash: '1-3%' -> '1–3%', '2010-2015' -> '2010–2015'."""
    return re.sub(r"(?<=\d)-(?=\d)", "\u2013", str(text))


def gaynor_numbers(subject: str) -> dict:
    """The study of hospital mergers by Gaynor and others, from its curated subject
    ('acute hospital mergers 1997-2006 (106 merged, 109 never merged)'): its years and the numbers
    of trusts that merged and never merged."""
    years = re.search(r"(\d{4})-(\d{4})", subject)
    counts = re.search(r"(\d+) merged, (\d+) never merged", subject)
    if not years or not counts:
        raise ValueError(f"unexpected subject of the merger study: {subject!r}")
    return {
        "int_gaynor_years": f"{years.group(1)}\u2013{years.group(2)}",
        "int_gaynor_merged": int(counts.group(1)),
        "int_gaynor_never": int(counts.group(2)),
    }


def vanguard_waves(vanguards: pd.DataFrame) -> list[str]:
    """The announcement waves, in the order they were announced."""
    return vanguards.sort_values("announced")["wave"].drop_duplicates().tolist()


def vanguard_regions(vanguards: pd.DataFrame) -> pd.Series:
    """Vanguards by NHS region (those in several regions left out), most first."""
    return vanguards[vanguards["region"] != "multiple"]["region"].value_counts()


#: Vanguard types in the national evaluation of emergency admissions (Morciano et al., 2020): care homes
#: (EHCH) and the population models (PACS, MCP); urgent and emergency care and acute care collaboration were not in it.
EVALUATED_VANGUARD_TYPES = ("EHCH", "PACS", "MCP")


def vanguard_numbers(res: Results) -> dict:
    """The vanguards of 2015: by type, first wave and region."""
    vanguards = res.tables["vanguards"]
    out = {"int_vg_total": len(vanguards)}
    for vanguard_type, n in vanguards["type"].value_counts().items():
        out[f"int_vg_{vanguard_type.lower()}"] = int(n)
    out["int_vg_march"] = int((vanguards["wave"] == vanguard_waves(vanguards)[0]).sum())
    # the national evaluation (Morciano et al.) covers the care home and population (PACS, MCP) sites only
    evaluated = vanguards["type"].isin(EVALUATED_VANGUARD_TYPES)
    out["int_vg_evaluated"] = int(evaluated.sum())
    out["int_vg_not_evaluated"] = int((~evaluated).sum())
    regions = vanguard_regions(vanguards)
    out["int_vg_topregion_n"] = int(regions.iloc[0])
    out["int_vg_topregions"] = " and ".join(regions[regions == regions.iloc[0]].index)
    for key, region in (("london", "London"), ("eoe", "East of England"), ("sw", "South West")):
        out[f"int_vg_{key}"] = int(regions.get(region, 0))
    return out


def ranking_text(cells: str) -> str:
    """A published ranking pasted as table cells, ``"A +15.6%; B +10.8%"``, as prose:
    ``"A (+15.6%) and B (+10.8%)"``."""
    items = [item.strip().rsplit(" ", 1) for item in cells.split(";") if item.strip()]
    return words.and_list(f"{name} ({value})" for name, value in items)


def evaluation_numbers(res: Results) -> dict:
    """Published effects of the vanguards and other integrated care, as the prose quotes them."""
    effects, evaluations = res.effects, res.tables["evaluations"]
    morciano_ch = integ.one_effect(effects, "Morciano", "care home")
    morciano_pop = integ.one_effect(effects, "Morciano", "population")
    out = {"int_morciano_ch": float(-morciano_ch["effect_pct"]), "int_morciano_pop": float(-morciano_pop["effect_pct"])}
    for group in ["neither", "vanguard only", "pioneer only", "both"]:
        row, key = integ.one_effect(effects, "BMC", group), group.split()[0]
        out[f"int_bmc_{key}"] = float(row["effect_pct"])
        out[f"int_bmc_{key}_lo"] = float(row["ci_low_pct"])
        out[f"int_bmc_{key}_hi"] = float(row["ci_high_pct"])
    wakefield = integ.one_effect(effects, "Improvement Analytics Unit: Wakefield", "potentially avoidable")
    out["int_wake"] = float(-wakefield["effect_pct"])
    out["int_wake_lo"] = float(-wakefield["ci_high_pct"])
    out["int_wake_hi"] = float(-wakefield["ci_low_pct"])
    out["int_rush"] = float(
        -integ.one_effect(effects, "Improvement Analytics Unit: Principia", "emergency admissions")["effect_pct"]
    )
    out["int_ltp"] = float(integ.one_effect(effects, "NHS Long Term Plan", "growth")["effect_pct"])
    out["int_wolv"] = float(-integ.one_effect(effects, "Royal Wolverhampton", "emergency")["effect_pct"])
    texts = evaluations.set_index(["source_key", "outcome"])["estimate_text"]
    out["int_nao_funding"] = formatting.year_spans(integ.pounds(texts[("nao2018vanguards", "direct funding")]))
    out["int_nao_savings"] = formatting.year_spans(integ.pounds(texts[("wilmington2018nao", "forecast net savings")]))
    out["int_hsj_worst"] = ranking_text(texts["hsj2018bestworst"].iloc[0])
    out["int_hsj_worst_n"] = words.number_words(len(texts["hsj2018bestworst"].iloc[0].split("; ")))
    out["int_morciano_cost"] = integ.programme_cost(evaluations)
    return out


def bed_numbers(res: Results) -> dict:
    """Beds of the major mergers against England, and the Northern Care Alliance's special case."""
    summary, panels = res.bed_summary, res.bed_panels
    out = {
        "int_beds_n": len(summary),
        "int_beds_band": BEDS_BAND,
        "int_beds_small_n": int((summary["relative_pp"].abs() <= BEDS_BAND).sum()),
        "int_beds_median_pp": float(summary["relative_pp"].median()),
        "int_beds_min_partner": float(integ.MAJOR_MIN_PARTNER_BEDS),
        "int_beds_min_combined": float(integ.MAJOR_MIN_COMBINED_BEDS),
    }
    nca = _row(summary, "successor_code", "RM3")
    out["int_beds_nca_fall"] = float(-nca["change_pct"])
    out["int_beds_nca_eng"] = float(nca["england_change_pct"])
    nca_alt = integ.merger_bed_summary(panels[panels["successor_code"] == "RM3"], before=(-2, -1)).iloc[0]
    out["int_beds_nca_alt_pct"] = float(nca_alt["change_pct"])
    out["int_beds_nca_alt_pp"] = float(nca_alt["relative_pp"])
    shift = integ.bed_shift(res.tables["trust_beds"], ["RW6", "R0A"], "2021-06-30").set_index("org_code")
    out["int_beds_rw6_drop"] = float(-shift.loc["RW6", "change"])
    out["int_beds_r0a_gain"] = float(shift.loc["R0A", "change"])
    out["int_beds_mft_pp"] = float(_row(summary, "successor_code", "R0A")["relative_pp"])
    others = summary[summary["successor_code"] != "RM3"]
    out["int_beds_others_min"] = float(others["relative_pp"].min())
    out["int_beds_others_max"] = float(others["relative_pp"].max())
    return out


#: Event-study outcomes and the short names of their glued numbers.
EVENT_OUTCOMES = {
    "managers_fte": "mgr",
    "managers_per_10m": "per10m",
    "surplus_pct": "surplus",
    "cost_gbp_k": "cost",
    "beds": "beds",
}


def difference_reading(lo: float, hi: float) -> str:
    """How a difference from the comparison group reads, from its 95% interval, in plain words."""
    if lo > 0:
        return "higher than in the comparison group, and the whole of the likely range is above zero"
    if hi < 0:
        return "lower than in the comparison group, and the whole of the likely range is below zero"
    return "not distinguishable from the comparison group, as the likely range includes no difference"


def event_reading(res: Results, outcome: str, k: int, variant: str = "main") -> str:
    """How the merged trusts compare with the comparison group on ``outcome`` ``k`` years after merging."""
    row = res.variants[variant].set_index(["outcome", "k"]).loc[(outcome, k)]
    return difference_reading(row["lo"], row["hi"])


def _study_row_numbers(study: pd.DataFrame, prefix: str, outcomes, ks) -> dict:
    """Each outcome's difference (mean), median, interval, merged and comparison change and number of
    mergers at each ``k``, glued as ``{prefix}_{short}_{k1|km2}_{column}``."""
    study, out = study.set_index(["outcome", "k"]), {}
    for outcome in outcomes:
        for k in ks:
            if (outcome, k) in study.index:
                row, when = study.loc[(outcome, k)], f"km{-k}" if k < 0 else f"k{k}"
                for col in ("did", "median", "lo", "hi", "merged", "comparison"):
                    out[f"{prefix}_{EVENT_OUTCOMES[outcome]}_{when}_{col}"] = float(row[col])
                out[f"{prefix}_{EVENT_OUTCOMES[outcome]}_{when}_n"] = int(row["n_events"])
    return out


def event_study_numbers(res: Results) -> dict:
    """The merger event study: the mergers seen, each outcome's difference two years before and
    up to three years after, how each reads, how far the managers figure rests on single mergers,
    and the checks of it (other baselines, matched comparison trusts, complete partner sets)."""
    events = res.events
    incomplete = mz.incomplete_partner_events(events)
    out = {
        "int_es_n_events": len(events),
        "int_es_n_mergers": int((events["change_type"] == "merger").sum()),
        "int_es_n_acquisitions": int((events["change_type"] == "acquisition").sum()),
        "int_es_n_acute": int((events["trust_type"] == "acute").sum()),
        "int_es_window": mz.WINDOW,
        "int_es_n_incomplete": len(incomplete),
        "int_es_incomplete_names": words.and_list(
            merger_label(n, d) for n, d in zip(incomplete["successor_name"], incomplete["date"])
        ),
    }
    out |= _study_row_numbers(res.study, "int_es", EVENT_OUTCOMES, (-2, 0, 1, 2, 3))
    for outcome in ("managers_fte", "surplus_pct", "cost_gbp_k", "beds"):
        out[f"int_es_{EVENT_OUTCOMES[outcome]}_k3_reading"] = event_reading(res, outcome, 3)
    out["int_es_mgr_k2_reading"] = event_reading(res, "managers_fte", 2)
    # the key points say how many points less the managers grew, so the gap is glued as a positive number
    out["int_es_mgr_k3_gap"] = -out["int_es_mgr_k3_did"]
    # the beds range in words: "cannot rule out a fall of up to 14 points or a rise of up to 5"
    out["int_es_beds_k3_fall_max"] = -out["int_es_beds_k3_lo"]
    out["int_es_mgr_k3_relative"] = mz.relative_change(out["int_es_mgr_k3_merged"], out["int_es_mgr_k3_comparison"])
    spread = mz.event_spread(res.variants["panels"], "managers_fte", 3)
    out["int_es_mgr_k3_loo_min"], out["int_es_mgr_k3_loo_max"] = spread["loo_min"], spread["loo_max"]
    out["int_es_mgr_k3_n_largest"] = spread["n_largest"]
    out["int_es_mgr_k3_n_largest_text"] = words.number_words(spread["n_largest"])
    out["int_es_mgr_k3_without_largest"] = spread["mean_without_largest"]
    pre = res.study.set_index(["outcome", "k"]).loc[("managers_fte", -2)]
    out["int_es_mgr_pre_reading"] = (
        # k = -2 above k = -1: the merging trusts' managers fell, against the comparison, in the year before
        "the merging trusts were already shedding managers, against the comparison, as the merger was prepared, "
        "so the year before is not an untouched starting point"
        if pre["lo"] > 0
        else "the merging trusts were already adding managers, against the comparison, before the merger"
        if pre["hi"] < 0
        else "before the merger the merging trusts moved with the comparison group"
    )
    for variant, prefix in (("baseline_m2", "int_esb2"), ("baseline_m3", "int_esb3"), ("matched", "int_esm")):
        out |= _study_row_numbers(res.variants[variant], prefix, ("managers_fte", "surplus_pct"), (3,))
    out |= _study_row_numbers(res.variants["complete"], "int_esc", ("managers_fte", "surplus_pct", "cost_gbp_k"), (3,))
    out["int_esm_n_matched"] = MATCHED_TRUSTS
    out["int_esm_surplus_k3_reading"] = event_reading(res, "surplus_pct", 3, "matched")
    out["int_esm_mgr_k3_reading"] = event_reading(res, "managers_fte", 3, "matched")
    out |= deficit_numbers(res)
    return out


def deficit_numbers(res: Results) -> dict:
    """Were the merging trusts in deficit the year before? All partners, and the dissolved trusts alone."""
    out = {}
    for group, short in (("all partners", "all"), ("dissolved trusts", "dis")):
        row = res.deficits.loc[group]
        for col in ("share", "share_same_type", "difference", "lo", "hi"):
            out[f"int_es_def_{short}_{col}"] = float(row[col])
        out[f"int_es_def_{short}_n"] = int(row["n_trusts"])
        for col in ("difference", "lo", "hi"):
            out[f"int_es_def_{short}_{col}_pp"] = 100 * float(row[col])
        out[f"int_es_def_{short}_n_deficit"] = int(row["n_deficit"])
    out["int_es_def_reading"] = (
        "more often in deficit than other trusts of their type, and the whole of the likely range of the difference "
        "is above zero"
        if res.deficits.loc["dissolved trusts", "lo"] > 0
        else "not distinguishably more often in deficit than other trusts of their type"
    )
    return out


def spread_numbers(res: Results) -> dict:
    """Group models, vertical integration and the published merger reviews the last section quotes."""
    published, evaluations = res.tables["published_org_counts"], res.tables["evaluations"]
    practices = _row(published, "source_key", "bjgpopen2024vertical")
    return {
        "int_groups_share": float(_row(published, "source_key", "nhsconfed2024groups")["value"]) / 100,
        "int_groups_join_share": float(_row(published, "source_key", "hcm_modelleadership")["value"]) / 100,
        "int_vi_trusts": float(practices["value"]),
        "int_vi_note": "between them " + practices["notes"][0].lower() + practices["notes"][1:].rstrip("."),
        "int_kf_text": en_dash_ranges(
            integ.pounds(_row(evaluations, "source_key", "kingsfund2015mergers")["estimate_text"])
        ),
        "int_monitor_text": en_dash_ranges(_row(evaluations, "source_key", "monitor_mergerbenefits")["estimate_text"]),
    }


def chapter_numbers(res: Results) -> dict:
    """Every number and phrase the chapter's prose prints, by its glued name."""
    out = {f"int_asof_{name}": integ.as_of_label(name) for name in AS_OF_DATASETS}
    for part in (
        arrangement_numbers,
        trust_numbers,
        dissolution_numbers,
        vanguard_numbers,
        evaluation_numbers,
        bed_numbers,
        event_study_numbers,
        spread_numbers,
    ):
        out |= part(res)
    return out
