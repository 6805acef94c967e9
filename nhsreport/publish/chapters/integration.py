"""Chapter 4, contractual versus structural integration (``book/04_integration``): the numbers its
prose prints, its figures and its tables.

The chapter calls :func:`compute` once (the analysis of :mod:`nhsreport.analysis.integration` and
:mod:`nhsreport.analysis.mergers` on the datasets it declares), glues :func:`chapter_numbers`, and
draws each figure with one ``*_chart`` function and its description with the matching
``*_alt_text``. Dates become text here, through :mod:`nhsreport.formatting`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from nhsreport import data, formatting
from nhsreport.analysis import integration as integ
from nhsreport.analysis import mergers as mz
from nhsreport.publish.components import charts, words
from nhsreport.publish.components.tables import Table
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
    study: pd.DataFrame
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


def _labelled(mergers: pd.DataFrame) -> pd.DataFrame:
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
        study=mz.event_study(mz.event_panels(events, years), n_boot=n_boot),
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
    arr, evaluations = res.tables["integration_arrangements"], res.tables["evaluations"]
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
    out["int_uc_finding"] = integ.pounds(_row(evaluations, "source_key", "nao2016unitingcare")["estimate_text"])
    dudley = arr[arr["arrangement"].str.startswith("Dudley")].iloc[0]
    out["int_dudley_start"] = formatting.month_year(dudley["start"])
    out["int_dudley_end"] = formatting.month_year(dudley["end"])
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
    kings_fund = integ.dissolutions_between(res.changes, "2010-01-01", "2015-06-30")
    out["int_diss_kf_codes"] = kings_fund["codes"]
    out["int_diss_kf_events"] = kings_fund["events"]
    out["int_kf_mergers"] = float(_row(published, "source_key", "kingsfund2015mergerspress")["value"])
    out["int_kf_subject"] = _row(evaluations, "source_key", "kingsfund2015mergers")["subject"]
    out["int_gaynor_subject"] = _row(evaluations, "source_key", "gaynor2012mergers")["subject"]
    changes_all = res.tables["trust_changes"]
    planned = changes_all[pd.to_datetime(changes_all["date"]) > res.cutoff]
    out["int_diss_planned"] = planned["old_code"].nunique()
    out["int_changes_cutoff"] = formatting.uk_date(res.cutoff)
    return out


def _waves(vanguards: pd.DataFrame) -> list[str]:
    """The announcement waves, in the order they were announced."""
    return vanguards.sort_values("announced")["wave"].drop_duplicates().tolist()


def _regions(vanguards: pd.DataFrame) -> pd.Series:
    """Vanguards by NHS region (those in several regions left out), most first."""
    return vanguards[vanguards["region"] != "multiple"]["region"].value_counts()


def vanguard_numbers(res: Results) -> dict:
    """The vanguards of 2015: by type, first wave and region."""
    vanguards = res.tables["vanguards"]
    out = {"int_vg_total": len(vanguards)}
    for vanguard_type, n in vanguards["type"].value_counts().items():
        out[f"int_vg_{vanguard_type.lower()}"] = int(n)
    out["int_vg_march"] = int((vanguards["wave"] == _waves(vanguards)[0]).sum())
    regions = _regions(vanguards)
    out["int_vg_topregion_n"] = int(regions.iloc[0])
    out["int_vg_topregions"] = " and ".join(regions[regions == regions.iloc[0]].index)
    for key, region in (("london", "London"), ("eoe", "East of England"), ("sw", "South West")):
        out[f"int_vg_{key}"] = int(regions.get(region, 0))
    return out


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
    out["int_nao_funding"] = integ.pounds(texts[("nao2018vanguards", "direct funding")])
    out["int_nao_savings"] = integ.pounds(texts[("wilmington2018nao", "forecast net savings")])
    out["int_hsj_worst"] = texts["hsj2018bestworst"].iloc[0]
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
    """How a difference from the comparison group reads, from its 95% interval."""
    if lo > 0:
        return "higher than in the comparison group, and the interval excludes no difference"
    if hi < 0:
        return "lower than in the comparison group, and the interval excludes no difference"
    return "not distinguishable from the comparison group"


def _reading(res: Results, outcome: str, k: int) -> str:
    row = res.study.set_index(["outcome", "k"]).loc[(outcome, k)]
    return difference_reading(row["lo"], row["hi"])


def event_study_numbers(res: Results) -> dict:
    """The merger event study: the mergers seen, each outcome's difference two years before and
    one to three years after, how each reads, and the pre-merger deficits."""
    events, study = res.events, res.study.set_index(["outcome", "k"])
    out = {
        "int_es_n_events": len(events),
        "int_es_n_mergers": int((events["change_type"] == "merger").sum()),
        "int_es_n_acquisitions": int((events["change_type"] == "acquisition").sum()),
        "int_es_n_acute": int((events["trust_type"] == "acute").sum()),
        "int_es_window": mz.WINDOW,
    }
    for outcome, short in EVENT_OUTCOMES.items():
        for k in (-2, 1, 2, 3):
            if (outcome, k) in study.index:
                row, when = study.loc[(outcome, k)], f"km{-k}" if k < 0 else f"k{k}"
                for col in ("did", "lo", "hi", "merged", "comparison"):
                    out[f"int_es_{short}_{when}_{col}"] = float(row[col])
                out[f"int_es_{short}_{when}_n"] = int(row["n_events"])
    for outcome in ("managers_fte", "surplus_pct", "cost_gbp_k", "beds"):
        out[f"int_es_{EVENT_OUTCOMES[outcome]}_k3_reading"] = _reading(res, outcome, 3)
    pre = study.loc[("managers_fte", -2)]
    out["int_es_mgr_pre_reading"] = (
        "they were already shedding managers as the merger was prepared, so the year before is not an untouched baseline"
        if pre["lo"] > 0
        else "they were adding managers before the merger"
        if pre["hi"] < 0
        else "before the merger they moved with the comparison group"
    )
    for group, short in (("all partners", "all"), ("dissolved trusts", "dis")):
        row = res.deficits.loc[group]
        for col in ("share", "share_same_type", "difference", "lo", "hi"):
            out[f"int_es_def_{short}_{col}"] = float(row[col])
        out[f"int_es_def_{short}_n"] = int(row["n_trusts"])
        for col in ("difference", "lo", "hi"):
            out[f"int_es_def_{short}_{col}_pp"] = 100 * float(row[col])
        out[f"int_es_def_{short}_n_deficit"] = int(row["n_deficit"])
    out["int_es_def_reading"] = (
        "more often in deficit than other trusts of their type, and the interval excludes no difference"
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
        "int_vi_note": practices["notes"][0].lower() + practices["notes"][1:].rstrip("."),
        "int_kf_text": integ.pounds(_row(evaluations, "source_key", "kingsfund2015mergers")["estimate_text"]),
        "int_monitor_text": _row(evaluations, "source_key", "monitor_mergerbenefits")["estimate_text"],
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


# ---------------------------------------------------------------------------------------------
# figure: the named arrangements on a timeline
# ---------------------------------------------------------------------------------------------

#: Statuses of the named arrangements, in the order the description lists them, and their colours.
STATUS_ORDER = ["live", "template", "superseded", "wound down", "collapsed"]
STATUS_COLOURS = [
    charts.PALETTE[2],
    charts.ORG_COLOURS["other"],
    charts.PALETTE[0],
    charts.PALETTE[1],
    charts.PALETTE[5],
]
TIMELINE_WIDTH = 330


def timeline_spans(res: Results) -> pd.DataFrame:
    """The arrangements' spans with the labels the timeline and its tooltips show."""
    spans = res.spans.copy()
    spans["label"] = spans["arrangement"].map(integ.short_name)
    unknown_end = spans["end_unknown"].map({True: "ended, date not known", False: "no end date"})
    spans["end_text"] = spans["end"].map(formatting.short_month_year).where(spans["end"].notna(), unknown_end)
    spans["start_text"] = spans["start"].map(formatting.short_month_year)
    spans["status_text"] = spans["status"].where(~spans["end_unknown"], spans["status"] + ", date not known")
    return spans


def _timeline_panel(spans: pd.DataFrame, form: str, title: str, highlight: Iterable[str]) -> alt.LayerChart:
    """One form's arrangements: a bar from start to end followed by the status (a second cue beside
    colour, so no legend); an arrangement that ended on a date the sources do not give is a dotted
    line from its start to the latest source read, ending in an open circle, its status on the line.
    The labels of the arrangements in ``highlight`` are bold."""
    rows = spans[spans["form"] == form]
    order = rows.sort_values("start")["label"].tolist()
    axis = alt.Axis(labelLimit=320)
    bold = [label for label, name in zip(rows["label"], rows["arrangement"]) if name in set(highlight)]
    if bold:
        axis = alt.Axis(
            labelLimit=320, labelFontWeight=alt.expr(f"indexof({bold!r}, datum.value) >= 0 ? 'bold' : 'normal'")
        )
    base = alt.Chart(rows, title=title).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=axis),
        tooltip=[
            alt.Tooltip("arrangement:N", title="Arrangement"),
            alt.Tooltip("mechanism:N", title="Mechanism"),
            alt.Tooltip("area:N", title="Area"),
            alt.Tooltip("start_text:N", title="Start"),
            alt.Tooltip("end_text:N", title="End"),
            alt.Tooltip("status:N", title="Status"),
        ],
    )
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(domain=["2012-01-01", "2027-01-01"]),
        axis=alt.Axis(format="%Y", tickCount=8),
    )
    colour = alt.Color(
        "status:N", title="Status", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), legend=None
    )
    known, unknown = base.transform_filter("!datum.end_unknown"), base.transform_filter("datum.end_unknown")
    bars = known.mark_bar(height=9, cornerRadius=2).encode(x=x, x2="end_drawn:T", color=colour)
    dotted = unknown.mark_rule(strokeWidth=2, strokeDash=[2, 3]).encode(x=x, x2="end_drawn:T", color=colour)
    ends = unknown.mark_point(shape="circle", size=40, filled=False, strokeWidth=1.5, color="#333").encode(
        x="end_drawn:T"
    )
    starts = base.mark_point(shape="circle", size=40, filled=True, color="#333").encode(x="start:T")
    status = known.mark_text(align="left", dx=6, fontSize=12, color="#222").encode(x="end_drawn:T", text="status:N")
    text = {"align": "left", "dx": 8, "fontSize": 12, "color": "#222"}
    halo = {"stroke": "white", "strokeWidth": 8, "strokeJoin": "round", "strokeOpacity": 1}
    status_on_line = unknown.mark_text(**text, **halo).encode(x="start:T", text="status_text:N")
    status_fill = unknown.mark_text(**text).encode(x="start:T", text="status_text:N")
    return (bars + dotted + ends + starts + status + status_on_line + status_fill).properties(
        width=TIMELINE_WIDTH, height=alt.Step(17)
    )


def arrangements_chart(res: Results, highlight: Iterable[str] = ()) -> alt.VConcatChart:
    """The named arrangements on a timeline, contractual above structural; the names of those in
    ``highlight`` (e.g. :func:`nhsreport.analysis.integration.arrangements_in_board`) in bold."""
    spans = timeline_spans(res)
    return alt.vconcat(
        _timeline_panel(spans, "contractual", "Contractual", highlight),
        _timeline_panel(spans, "structural", "Structural", highlight),
    ).resolve_scale(color="shared")


def arrangements_alt_text(res: Results) -> str:
    """The description of :func:`arrangements_chart`."""
    spans = timeline_spans(res)
    counts = spans["form"].value_counts()
    unitingcare = spans[spans["arrangement"].str.startswith("UnitingCare")].iloc[0]
    dudley = spans[spans["arrangement"].str.startswith("Dudley")].iloc[0]
    undated = spans[spans["end_unknown"]]
    structural_ended = spans[(spans["form"] == "structural") & (spans["status"] != "live")]
    return (
        f"Timeline of {len(spans)} named integration arrangements from {spans['start'].dt.year.min()} to "
        f"{spans['end_drawn'].dt.year.max()}, {counts['contractual']} contractual ones above and "
        f"{counts['structural']} structural ones below, each a bar from its start to its end or to the latest "
        "source read, followed by its status: " + ", ".join(STATUS_ORDER[:-1]) + f" or {STATUS_ORDER[-1]}. "
        f"{unitingcare['label']} is a short bar in {unitingcare['start'].year} ending in {unitingcare['status']}; the "
        f"{dudley['label']} runs from {dudley['start'].year} to {dudley['end'].year} and was "
        f"{dudley['status']}. "
        + " and ".join(f"{r.label} ({r.status})" for r in undated.itertuples())
        + " ended on dates the sources do not give and are drawn as dotted lines ending in an open circle. "
        "All structural arrangements are still live except "
        + " and ".join(f"the {r.label}, {r.status} in {r.end.year}" for r in structural_ended.itertuples())
        + "."
    )


def arrangements_table(res: Results) -> Table:
    """The named arrangements with their sources, by form and start."""
    columns = {
        "arrangement": "Arrangement",
        "form": "Form",
        "mechanism": "Mechanism",
        "area": "Area",
        "start": "Start",
        "end": "End",
        "status": "Status",
        "confidence": "Confidence",
    }
    table = res.spans.sort_values(["form", "start"])[[*columns, "source_url"]].rename(columns=columns)
    table["Start"] = table["Start"].map(formatting.year_month)
    table["End"] = table["End"].map(formatting.year_month)
    return Table(table, links={"Arrangement": "source_url"}, caption="Named integration arrangements, 2012 to 2026")


# ---------------------------------------------------------------------------------------------
# figures: trusts on 1 April, and trust codes dissolved
# ---------------------------------------------------------------------------------------------

TRUSTS_X = alt.Scale(domain=["2011-10-01", "2026-09-30"])
TRUSTS_Y = alt.Scale(domain=[150, 250], zero=False)
#: Policy events from this date on are labelled to the left of their line (no room to the right).
EVENTS_LABELLED_LEFT = pd.Timestamp("2025-01-01")


def _published_counts(res: Results) -> pd.DataFrame:
    """Published counts of all trusts, beside the count from the trust file."""
    xcheck = integ.trust_count_crosscheck(res.tables["published_org_counts"], res.tables["trusts"])
    counts = xcheck[xcheck["measure"].map(integ.TRUST_POPULATION_MEASURES).isna()].copy()
    counts["date_text"] = counts["date"].map(formatting.short_month_year)
    return counts


def _trusts_panel(res: Results) -> alt.LayerChart:
    """All trusts open on 1 April, with policy events and published counts (diamonds)."""
    events = integ.policy_events(res.tables["timeline"])
    events["row"] = [i % 3 for i in range(len(events))]
    events["y"] = 185 - 11 * events["row"]
    events["right"] = events["date"] >= EVENTS_LABELLED_LEFT
    total = res.by_year[res.by_year["trust_type"] == "all"].copy()
    line = (
        alt.Chart(total)
        .mark_line(point=True, color=charts.PALETTE[0])
        .encode(
            x=alt.X("date:T", title=None, scale=TRUSTS_X, axis=alt.Axis(format="%Y", tickCount=8)),
            y=alt.Y("trusts:Q", title="Trusts open on 1 April", scale=TRUSTS_Y),
            tooltip=[alt.Tooltip("year:O", title="1 April"), alt.Tooltip("trusts:Q", title="Trusts (ODS)")],
        )
    )
    pubs = (
        alt.Chart(_published_counts(res))
        .mark_point(shape="diamond", size=90, filled=True, color=charts.PALETTE[5])
        .encode(
            x="date:T",
            y=alt.Y("published:Q", scale=TRUSTS_Y),
            tooltip=[
                alt.Tooltip("measure:N", title="Published count"),
                alt.Tooltip("date_text:N", title="Date"),
                alt.Tooltip("published:Q", title="Published"),
                alt.Tooltip("computed:Q", title="ODS count"),
                alt.Tooltip("source_title:N", title="Source"),
            ],
        )
    )
    rules = (
        alt.Chart(events)
        .mark_rule(color="#888", strokeDash=[3, 3])
        .encode(x="date:T", tooltip=[alt.Tooltip("label:N", title="Event"), alt.Tooltip("event:N", title="Detail")])
    )
    labels = alt.Chart(events[~events["right"]]).mark_text(align="left", dx=3, fontSize=10, color="#444").encode(
        x="date:T", y=alt.Y("y:Q", scale=TRUSTS_Y), text="label:N"
    ) + alt.Chart(events[events["right"]]).mark_text(align="right", dx=-3, fontSize=10, color="#444").encode(
        x="date:T", y=alt.Y("y:Q", scale=TRUSTS_Y), text="label:N"
    )
    return (rules + labels + line + pubs).properties(
        width=560, height=260, title="All trusts, with published counts (diamonds)"
    )


def trusts_chart(res: Results) -> alt.VConcatChart:
    """Trusts open on 1 April: all (with events and published counts), then by type."""
    types = res.by_year[res.by_year["trust_type"].isin(TRUST_TYPES)]
    by_type = (
        alt.Chart(types, title="By type of trust")
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("date:T", title=None, scale=TRUSTS_X, axis=alt.Axis(format="%Y", tickCount=8)),
            y=alt.Y("trusts:Q", title="Trusts"),
            color=alt.Color(
                "trust_type:N",
                title="Type of trust",
                scale=alt.Scale(domain=TRUST_TYPES, range=[charts.ORG_COLOURS[k] for k in TRUST_TYPES]),
            ),
            tooltip=[
                alt.Tooltip("trust_type:N", title="Type"),
                alt.Tooltip("year:O", title="1 April"),
                alt.Tooltip("trusts:Q", title="Trusts"),
            ],
        )
        .properties(width=560, height=170)
    )
    return alt.vconcat(_trusts_panel(res), by_type)


def trusts_alt_text(res: Results) -> str:
    """The description of :func:`trusts_chart`."""
    change = integ.trust_count_change(res.tables["trusts"], FIRST_YEAR, LAST_YEAR)
    return (
        f"Line chart of NHS trusts in England open on 1 April each year, falling from {change['first']} in {FIRST_YEAR} "
        f"to {change['last']} in {LAST_YEAR}, with dashed lines marking policy events and diamonds for published counts "
        "a few above the line. A second panel splits the count by type: acute trusts fall most; mental health and "
        "community trusts fall slowly; ambulance trusts stay level."
    )


def crosscheck_table(res: Results) -> Table:
    """Published counts of trusts and mergers beside the counts from the trust file."""
    xcheck = integ.trust_count_crosscheck(res.tables["published_org_counts"], res.tables["trusts"])
    xcheck["Date"] = xcheck["date"].map(formatting.year_month)
    columns = {
        "measure": "Published count of",
        "published": "Published",
        "computed": "From ODS trust file",
        "difference": "Difference",
        "source_title": "Source",
        "notes": "Notes",
    }
    table = xcheck[["measure", "Date", "published", "computed", "difference", "source_title", "source_url", "notes"]]
    table = table.rename(columns=columns)
    for col in ("From ODS trust file", "Difference"):
        table[col] = table[col].astype(object).where(table[col].notna(), None)
    return Table(
        table, decimals=0, links={"Source": "source_url"}, caption="Published merger counts and trust codes dissolved"
    )


DISSOLVED_WIDTH, DISSOLVED_HEIGHT, DISSOLVED_FONT = 520, 260, 12


def dissolved_chart(res: Results) -> alt.LayerChart:
    """Trust codes dissolved into another trust each year, stacked by the successor's type, each
    type named beside a bar in which it appears (:func:`charts.segment_labels`)."""
    dissolved = res.dissolved[res.dissolved["trust_type"].isin(TRUST_TYPES)].copy()
    dissolved["type_order"] = dissolved["trust_type"].map(TRUST_TYPES.index)
    y_max = 10 * -(-int(dissolved.groupby("year")["dissolved"].sum().max()) // 10)
    names = charts.segment_labels(
        dissolved,
        "year",
        "dissolved",
        "trust_type",
        TRUST_TYPES,
        y_max=y_max,
        width_px=DISSOLVED_WIDTH,
        height_px=DISSOLVED_HEIGHT,
        font_px=DISSOLVED_FONT,
    )
    if set(names["trust_type"]) != set(TRUST_TYPES):
        raise ValueError("every type of successor must be named on the chart")
    bars = (
        alt.Chart(dissolved)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-90, values=list(range(2000, 2027, 2)))),
            y=alt.Y(
                "sum(dissolved):Q",
                title="Trust codes dissolved into another trust",
                scale=alt.Scale(domain=[0, y_max], nice=False),
            ),
            color=alt.Color(
                "trust_type:N",
                title="Type of the successor trust",
                scale=alt.Scale(domain=TRUST_TYPES, range=[charts.ORG_COLOURS[k] for k in TRUST_TYPES]),
                legend=None,
            ),
            order=alt.Order("type_order:Q"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("trust_type:N", title="Successor type"),
                alt.Tooltip("sum(dissolved):Q", title="Codes dissolved"),
            ],
        )
    )
    labels = (
        alt.Chart(names)
        .mark_text(align="left", dx=3, fontSize=DISSOLVED_FONT, color="#222")
        .encode(x=alt.X("year:O", bandPosition=1), y="label_y:Q", text="trust_type:N")
    )
    return (bars + labels).properties(width=DISSOLVED_WIDTH, height=DISSOLVED_HEIGHT)


def dissolved_alt_text(res: Results) -> str:
    """The description of :func:`dissolved_chart`."""
    total = res.dissolved_total
    return (
        "Bar chart of NHS trust codes dissolved into another trust each year from 2000 to 2026, coloured by the "
        "successor's type, each type named beside a bar where it appears. Peaks of "
        f"{total.loc[2000:2002].max()} a year in 2000 to 2002 and {total[2006]} in 2006 (mostly into "
        f"ambulance trusts) are followed by at most {total.loc[2007:].max()} a year from 2007 onwards, mostly "
        "into acute trusts."
    )


# ---------------------------------------------------------------------------------------------
# figures: the vanguards, and the published effects of integrated care
# ---------------------------------------------------------------------------------------------

VANGUARD_TYPE_NAMES = {
    "PACS": "PACS: primary and acute care systems",
    "MCP": "MCP: multispecialty community providers",
    "EHCH": "EHCH: enhanced health in care homes",
    "UEC": "UEC: urgent and emergency care",
    "ACC": "ACC: acute care collaborations",
}


def _vanguard_types(res: Results) -> alt.LayerChart:
    """Vanguards by type, each bar coloured by its announcement wave, the wave written at its end
    (a second cue beside colour, so no legend)."""
    by_type = integ.vanguard_counts(res.tables["vanguards"])["type_wave"].copy()
    by_type["type_label"] = by_type["type"].map(VANGUARD_TYPE_NAMES)
    if by_type.groupby("type")["wave"].nunique().max() != 1:
        raise ValueError("a type announced in several waves needs a label per segment")
    y = alt.Y("type:N", sort=integ.VANGUARD_TYPES, title=None)
    waves = _waves(res.tables["vanguards"])
    bars = (
        alt.Chart(by_type, title="By type and wave")
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("vanguards:Q", title="Vanguards"),
            color=alt.Color(
                "wave:N", title="Announced", scale=alt.Scale(domain=waves, range=charts.PALETTE[:3]), legend=None
            ),
            tooltip=[
                alt.Tooltip("type_label:N", title="Type"),
                alt.Tooltip("wave:N", title="Announced"),
                alt.Tooltip("vanguards:Q", title="Vanguards"),
            ],
        )
    ) + alt.Chart(by_type).mark_text(align="left", dx=4, fontSize=12, color="#222").encode(
        y=y, x="vanguards:Q", text="wave:N"
    )
    return bars.properties(width=100, height=alt.Step(26))


def vanguards_chart(res: Results) -> alt.HConcatChart:
    """The vanguards by type and wave, and a grid of counts by region and type."""
    regions = _regions(res.tables["vanguards"])
    grid = alt.Chart(integ.vanguard_counts(res.tables["vanguards"])["region_type"], title="By region and type").encode(
        x=alt.X("type:N", sort=integ.VANGUARD_TYPES, title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("region:N", sort=[*regions.index, "multiple"], title=None),
    )
    cells = grid.mark_rect(stroke="white").encode(
        color=alt.Color("vanguards:Q", title="Vanguards", scale=alt.Scale(scheme=charts.SEQUENTIAL), legend=None),
        tooltip=[
            alt.Tooltip("region:N", title="Region"),
            alt.Tooltip("type:N", title="Type"),
            alt.Tooltip("vanguards:Q", title="Vanguards"),
        ],
    )
    counts = grid.mark_text(fontSize=12).encode(
        text="vanguards:Q", color=alt.condition("datum.vanguards >= 4", alt.value("white"), alt.value("black"))
    )
    # columns wide enough for the type codes at print size (the codes, not the cells, set the width)
    return alt.hconcat(
        _vanguard_types(res), (cells + counts).properties(width=alt.Step(42), height=alt.Step(22)), spacing=15
    )


def vanguards_alt_text(res: Results) -> str:
    """The description of :func:`vanguards_chart`."""
    vanguards = res.tables["vanguards"]
    type_wave = vanguards.drop_duplicates("type").set_index("type")["wave"]
    wave_text = "; ".join(
        f"{words.and_list([t for t in integ.VANGUARD_TYPES if type_wave.get(t) == w])} in {w.split()[0]}"
        for w in _waves(vanguards)
        if (type_wave == w).any()
    )
    regions = _regions(vanguards)
    top = regions[regions == regions.iloc[0]].index
    return (
        f"Two charts of the {len(vanguards)} vanguards of 2015. Left: bars by type, coloured by announcement wave "
        f"({wave_text}). Right: a grid of counts by NHS region and type, with the most in "
        f"{' and in '.join(r if r == 'London' else 'the ' + r for r in top)}."
    )


EFFECT_KINDS = ["growth in the group", "difference from comparison", "change before and after", "forecast"]
EFFECT_COLOURS = [charts.PALETTE[0], charts.PALETTE[5], charts.PALETTE[1], charts.ORG_COLOURS["other"]]
EFFECT_SHAPES = ["circle", "diamond", "square", "triangle-down"]


def _effects_panel(effects: pd.DataFrame, title: str, x_title: str) -> alt.LayerChart:
    """Published percentages as dots with their 95% intervals, coloured and shaped by kind."""
    order = effects.sort_values("effect_pct")["label"].tolist()
    base = alt.Chart(effects, title=title).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=290)),
        tooltip=[
            alt.Tooltip("study:N", title="Study"),
            alt.Tooltip("outcome:N", title="Outcome"),
            alt.Tooltip("estimate_text:N", title="Published result"),
            alt.Tooltip("interval:N", title="95% interval"),
            alt.Tooltip("design:N", title="Design"),
            alt.Tooltip("source:N", title="Source"),
        ],
    )
    interval = base.mark_rule(strokeWidth=2, color="#555").encode(x="ci_low_pct:Q", x2="ci_high_pct:Q")
    dots = base.mark_point(filled=True, size=70).encode(
        x=alt.X("effect_pct:Q", title=x_title),
        color=alt.Color(
            "kind:N", title="What the number is", scale=alt.Scale(domain=EFFECT_KINDS, range=EFFECT_COLOURS)
        ),
        shape=alt.Shape(
            "kind:N", title="What the number is", scale=alt.Scale(domain=EFFECT_KINDS, range=EFFECT_SHAPES)
        ),
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#999").encode(x="x:Q")
    return (zero + interval + dots).properties(width=190, height=alt.Step(20))


def _effects(res: Results) -> pd.DataFrame:
    effects = res.effects.copy()
    effects["interval"] = effects.apply(
        lambda r: f"{r['ci_low_pct']:+.1f}% to {r['ci_high_pct']:+.1f}%" if r["has_interval"] else "not published",
        axis=1,
    )
    effects["source"] = effects["source_title"]
    return effects


def effects_chart(res: Results) -> alt.VConcatChart:
    """Published effects: growth within each group above, reductions and forecasts below."""
    effects = _effects(res)
    growth = effects["kind"] == "growth in the group"
    return (
        alt.vconcat(
            _effects_panel(
                effects[growth], "Growth in emergency admissions within each group", "Growth over the period (%)"
            ),
            _effects_panel(
                effects[~growth], "Reductions against a comparison, before and after, or forecast", "Change (%)"
            ),
        )
        .resolve_scale(color="shared", shape="shared")
        .configure_legend(orient="bottom", columns=1)
    )


def effects_alt_text(res: Results) -> str:
    """The description of :func:`effects_chart`."""
    effects = res.effects
    neither = integ.one_effect(effects, "BMC", "neither")
    care_homes = integ.one_effect(effects, "Morciano", "care home")
    population = integ.one_effect(effects, "Morciano", "population")
    other = effects[effects["kind"] != "growth in the group"]
    return (
        "Dot-and-interval chart of published percentages from evaluations of integrated care. Top panel: growth in "
        f"emergency admissions, highest ({neither['effect_pct']:.0f}%) in CCGs in neither the pioneer nor the "
        "vanguard programme and lowest in areas in both, with 95% intervals where published. Bottom panel: reductions, "
        f"from {-population['effect_pct']:.1f}% and {-care_homes['effect_pct']:.1f}% in the national vanguard evaluation to "
        f"{-other['effect_pct'].min():.0f}% in a single care home study, some with no comparison group."
    )


def evaluations_table(res: Results) -> Table:
    """The evaluations and their published results, by programme and date."""
    columns = {
        "study": "Study",
        "programme": "Programme",
        "date": "Year",
        "design": "Design",
        "outcome": "Outcome",
        "estimate_text": "Result as published",
        "confidence": "Confidence",
    }
    table = res.tables["evaluations"].sort_values(["programme", "date"])[[*columns, "source_url"]].copy()
    table["date"] = pd.to_datetime(table["date"]).dt.year.astype(str)
    table["estimate_text"] = table["estimate_text"].map(integ.pounds)
    return Table(
        table.rename(columns=columns),
        links={"Study": "source_url"},
        caption="Evaluations of integrated care and their published results",
    )


# ---------------------------------------------------------------------------------------------
# figures: beds around major mergers, and the merger event study
# ---------------------------------------------------------------------------------------------

BED_SERIES = ["Merging trusts", "All trusts in England"]


def wrapped_title(label: str, width: int) -> str:
    """A small multiple's heading on short lines ("|" between lines, split by the chart's
    ``labelExpr``): ``"Name (detail)"`` becomes the name wrapped at ``width`` characters, then the
    detail on its own line."""
    name, detail = label.rsplit(" (", 1)
    return "|".join([*textwrap.wrap(name, width), detail.rstrip(")")])


def beds_chart(res: Results) -> alt.FacetChart:
    """One panel per major merger: the merging trusts' beds by quarter from the merger, indexed to
    the year before, beside the same index for all trusts in England."""
    panels = _labelled(res.bed_panels)
    long = pd.concat(
        [
            panels.assign(series=BED_SERIES[0], value=panels["index"]),
            panels.assign(series=BED_SERIES[1], value=panels["england_index"]),
        ],
        ignore_index=True,
    )
    long["quarter"] = long["quarter_end"].dt.to_period("Q").astype(str)
    long["panel"] = long["merger"].map(lambda m: wrapped_title(m, 16))
    order = [wrapped_title(m, 16) for m in _labelled(res.bed_summary).sort_values("merger_date")["merger"]]
    lines = (
        alt.Chart()
        .encode(x=alt.X("q:Q", title=None, scale=alt.Scale(domain=[-8, 8]), axis=alt.Axis(values=[-8, -4, 0, 4, 8])))
        .mark_line()
        .encode(
            y=alt.Y("value:Q", title=None, scale=alt.Scale(domain=[60, 130], clamp=True)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=BED_SERIES, range=[charts.PALETTE[0], charts.ORG_COLOURS["other"]]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", title=None, scale=alt.Scale(domain=BED_SERIES, range=[[1, 0], [4, 3]])
            ),
            tooltip=[
                alt.Tooltip("merger:N", title="Merger"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("quarter:N", title="Quarter"),
                alt.Tooltip("beds:Q", title="Beds (merging trusts)", format=",.0f"),
                alt.Tooltip("value:Q", title="Index", format=".1f"),
            ],
        )
    )
    zero = alt.Chart().mark_rule(color="#333", strokeDash=[2, 2]).encode(x=alt.datum(0))
    return (
        alt.layer(zero, lines, data=long)
        .properties(width=125, height=120)
        .facet(
            facet=alt.Facet("panel:N", title=None, sort=order, header=alt.Header(labelExpr="split(datum.label, '|')")),
            columns=4,
            spacing={"row": 14, "column": 10},
        )
        # the axes' titles, said once for all the panels (an axis title per row would not fit the rows)
        .properties(
            title=alt.Title(
                "Beds, indexed to the four quarters before the merger (= 100)",
                subtitle="By quarter from the merger (0 = the first quarter under the merged trust)",
            )
        )
    )


def beds_alt_text(res: Results) -> str:
    """The description of :func:`beds_chart`."""
    return (
        f"Small multiples, one per merger ({len(res.bed_summary)} mergers of large trusts since {FIRST_YEAR}), of "
        "available beds in the eight quarters before and after the merger, indexed to the year before, beside the same "
        "index for all trusts in England. Most lines stay close to the England trend; the Northern Care Alliance line "
        "drops two quarters before its merger, when a hospital moved to another trust, and all lines dip in 2020."
    )


def beds_table(res: Results) -> Table:
    """Beds before and after each major merger, against England."""
    table = _labelled(res.bed_summary).sort_values("merger_date")
    table["Merger"] = table["merger"]
    table = table[["Merger", "beds_before", "beds_after", "change_pct", "england_change_pct", "relative_pp"]]
    table["change_pct"] = 100 * table["change_pct"]
    table["england_change_pct"] = 100 * table["england_change_pct"]
    columns = {
        "beds_before": "Beds, year before",
        "beds_after": "Beds, second year after",
        "change_pct": "Change (%)",
        "england_change_pct": "England change (%)",
        "relative_pp": "Difference (points)",
    }
    decimals = {"Beds, year before": 0, "Beds, second year after": 0, "Change (%)": 1, "England change (%)": 1}
    return Table(
        table.rename(columns=columns),
        decimals=decimals | {"Difference (points)": 1},
        caption="Beds before and after each merger, against England",
    )


def _unit_label(unit: str) -> str:
    return "% change" if unit in ("%", "pct") else "change in points"


def event_study_data(res: Results) -> pd.DataFrame:
    """The event study's differences by outcome and year from the merger, with the base year
    (-1, zero by construction) added, and each outcome's panel heading."""
    study = res.study.copy()
    study["outcome_label"] = study["label"] + " (" + study["unit"].map(_unit_label) + ")"
    base = pd.DataFrame(
        [
            {"outcome_label": o, "k": -1, "did": 0.0, "lo": 0.0, "hi": 0.0, "n_events": len(res.events)}
            for o in _event_outcome_labels()
        ]
    )
    study = pd.concat([study, base], ignore_index=True)[["outcome_label", "k", "did", "lo", "hi", "n_events"]]
    study["panel"] = study["outcome_label"].map(lambda o: wrapped_title(o, 26))
    if study.isna().any().any():
        raise ValueError("the chart data must have no missing values (NaN is not valid JSON)")
    return study


def _event_outcome_labels() -> list[str]:
    return [f"{mz.OUTCOMES[c][0]} ({_unit_label(mz.OUTCOMES[c][1])})" for c in EVENT_OUTCOMES]


def event_chart(res: Results) -> alt.FacetChart:
    """One panel per outcome: merged trusts minus comparison trusts by year from the merger, with
    the 95% interval as a band."""
    x = alt.X(
        "k:Q",
        title="Years from the merger",
        scale=alt.Scale(domain=[-mz.WINDOW, mz.WINDOW]),
        axis=alt.Axis(values=list(range(-3, 4))),
    )
    band = (
        alt.Chart().mark_area(opacity=0.25, color=charts.PALETTE[0]).encode(x=x, y=alt.Y("lo:Q", title=None), y2="hi:Q")
    )
    line = (
        alt.Chart()
        .mark_line(point=True, color=charts.PALETTE[0])
        .encode(
            x="k:Q",
            y="did:Q",
            tooltip=[
                alt.Tooltip("outcome_label:N", title="Outcome"),
                alt.Tooltip("k:Q", title="Year"),
                alt.Tooltip("did:Q", title="Difference", format="+.2f"),
                alt.Tooltip("lo:Q", title="95% from", format="+.2f"),
                alt.Tooltip("hi:Q", title="95% to", format="+.2f"),
                alt.Tooltip("n_events:Q", title="Mergers"),
            ],
        )
    )
    zero = alt.Chart().mark_rule(color="#333", strokeDash=[2, 2]).encode(y=alt.datum(0))
    headings = [wrapped_title(o, 26) for o in _event_outcome_labels()]
    return (
        alt.layer(band, zero, line, data=event_study_data(res))
        .properties(width=225, height=150)
        .facet(
            facet=alt.Facet(
                "panel:N", title=None, sort=headings, header=alt.Header(labelExpr="split(datum.label, '|')")
            ),
            columns=2,
        )
        .resolve_scale(y="independent")
        # what the vertical axes measure, said once (an axis title per panel would be longer than the panel)
        .properties(
            title=alt.Title(
                "Merged trusts minus comparison trusts",
                subtitle="Change from the last full year before the merger (year -1); 0 is the year it took effect",
            )
        )
    )


def event_alt_text(res: Results) -> str:
    """The description of :func:`event_chart`."""
    return (
        f"Five small charts, one per outcome, of the difference between {len(res.events)} merged trusts and comparison "
        "trusts of the same type, from three years before to three years after the merger, with 95% interval bands. "
        f"Three years after, managers were {_reading(res, 'managers_fte', 3)}; the surplus was "
        f"{_reading(res, 'surplus_pct', 3)}; operating cost was {_reading(res, 'cost_gbp_k', 3)}; beds were "
        f"{_reading(res, 'beds', 3)}."
    )
