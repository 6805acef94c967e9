"""Chapter 1, "Reorganisation and national leadership": the numbers its prose prints and its
figures and tables.

:func:`chapter_numbers` computes every number the chapter glues (``reorg_*``) from the tables of
:func:`load_tables`, with the functions of :mod:`nhsreport.analysis.reorganisation`,
:mod:`nhsreport.analysis.counting` and :mod:`nhsreport.analysis.systems`; one function draws each
figure.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from nhsreport import data, schema
from nhsreport.analysis import counting, systems
from nhsreport.analysis import reorganisation as reorg
from nhsreport.formatting import as_of_text, date_at_precision, month_year, uk_date
from nhsreport.publish.components import charts, words
from nhsreport.publish.components.tables import Table

#: The datasets the chapter reads (its notebook declares the same list).
DATASETS = (
    "timeline",
    "commissioners_over_time",
    "trusts",
    "icbs",
    "icb_allocations",
    "published_org_counts",
    "published_management_figures",
    "managers_by_org",
)

#: Datasets whose "as of" date the figure captions print (``reorg_asof_<name>``: "June 2026",
#: "1 July 2022", "2025/26").
AS_OF = ("timeline", "commissioners_over_time", "trusts", "icbs", "icb_allocations")

PLOT_WIDTH = 560
#: The timeline is drawn in two panels, the second starting on 1 January of this year.
TIMELINE_SPLIT_YEAR = 2018


def load_tables() -> dict[str, pd.DataFrame]:
    """Every dataset of :data:`DATASETS`, loaded, by name."""
    return {name: data.load(name) for name in DATASETS}


def timeline_years(timeline: pd.DataFrame) -> tuple[int, int]:
    """The first and last calendar years of the timeline."""
    years = pd.to_datetime(timeline["date"]).dt.year
    return int(years.min()), int(years.max())


# ---------------------------------------------------------------------------------------------
# numbers for the prose
# ---------------------------------------------------------------------------------------------


def timeline_numbers(timeline: pd.DataFrame) -> dict:
    """The dates of the key events (``reorg_d_<id>``) and the counts of the timeline section."""
    out = {f"reorg_d_{ev_id}": reorg.event_date_text(timeline, ev_id) for ev_id in reorg.key_events(timeline)["id"]}
    first_year, last_year = timeline_years(timeline)
    per_year = reorg.events_by_year(timeline)
    structural = reorg.structural_change_years(timeline)  # the same window as chapter 5
    out.update(
        reorg_n_events=len(timeline),
        reorg_n_key_events=len(reorg.KEY_EVENTS),
        reorg_tl_first_year=str(first_year),
        reorg_tl_last_year=str(last_year),
        reorg_busiest_year=str(int(per_year.idxmax())),
        reorg_busiest_n=int(per_year.max()),
        reorg_n_structural=structural["events"],
        reorg_years_with_structural=structural["years_with"],
        reorg_n_years=structural["n_years"],
        reorg_structural_first=str(structural["first"]),
        reorg_structural_last=str(structural["last"]),
        reorg_years_between_acts=reorg.years_between(timeline, "hsca_2012", "hca_2022"),
        reorg_years_stp_to_icb=reorg.years_between(timeline, "stp_footprints", "icbs_2022"),
    )
    return out


def commissioner_numbers(cot: pd.DataFrame) -> dict:
    """The counts of commissioners (``reorg_pct_2013``, ``reorg_ccg_2013``, … ``reorg_fall_2013_2026``),
    and the fall like for like, among CCGs alone from April 2013 to April 2021
    (``reorg_fall_ccg_2013_2021``), before the boards took on more than CCGs did."""
    out = {f"reorg_{key}": value for key, value in reorg.commissioner_counts(cot).items()}
    out["reorg_fall_ccg_2013_2021"] = 1 - out["reorg_ccg_2021"] / out["reorg_ccg_2013"]
    return out


def _merged_text(trusts: pd.DataFrame, merged: pd.DataFrame) -> str:
    names = dict(zip(trusts["org_code"], trusts["org_name"].map(systems.tidy_trust_name)))
    return "; ".join(
        f"{names[r.org_code]} merged into {names[r.successor_code]} on {uk_date(r.merged)}" for r in merged.itertuples()
    )


def _other_type_trusts(trusts: pd.DataFrame) -> tuple[list[int], list[str]]:
    """The years with trusts of a type absent from the last bar, and those trusts' names."""
    years, types = reorg.types_missing_at_end(reorg.trusts_by_type(trusts, *reorg.trust_years(trusts)))
    open_then = [counting.trusts_open_on(trusts, f"{y}-04-01", trust_type=types) for y in years]
    return years, sorted({systems.tidy_trust_name(n) for t in open_then for n in t["org_name"]})


def fall_by_type(trusts: pd.DataFrame, first: int, last: int) -> pd.Series:
    """How many fewer trusts of each type (their type as at their latest record) were open on 1
    April of ``last`` than of ``first``, by ``trust_type``, largest fall first (a rise is negative);
    the values add up to the fall in all trusts."""
    by_type = reorg.trusts_by_type(trusts, first, last).pivot(index="year", columns="trust_type", values="trusts")
    by_type = by_type.fillna(0).astype(int)
    return (by_type.loc[first] - by_type.loc[last]).sort_values(ascending=False)


def acute_community_numbers(trusts: pd.DataFrame, first: int, last: int) -> dict:
    """The part of the fall in trusts among acute and community trusts: the count
    (``reorg_fall_acute_community``), its share of the whole fall and the fall in mental health trusts."""
    fall = fall_by_type(trusts, first, last)
    acute_community = int(fall.get("acute", 0) + fall.get("community", 0))
    return {
        "reorg_fall_acute_community": acute_community,
        "reorg_fall_acute_community_share": acute_community / int(fall.sum()),
        "reorg_fall_mental_health": int(fall.get("mental health", 0)),
    }


def trust_numbers(trusts: pd.DataFrame, managers: pd.DataFrame, published: pd.DataFrame) -> dict:
    """The counts of trusts, the ambulance mergers and the care trusts (``reorg_trusts_*``,
    ``reorg_acute_*``, ``reorg_ambulance_*``, ``reorg_care_trusts_*``); the day of the last count
    (1 April of the last year the trust file covers) as ``reorg_trusts_last_day`` and its month
    as ``reorg_trusts_last_month``."""
    first, last = reorg.trust_years(trusts)
    counts = reorg.trust_counts(trusts, first, last)
    merged = reorg.ambulance_mergers(trusts, first, last)
    if len(merged) != counts["ambulance_first"] - counts["ambulance_last"]:
        raise ValueError("ambulance trusts: closures and counts disagree")
    care_year, care = counting.care_trusts_reporting(managers)
    gap = reorg.care_trust_gap(trusts, published, care)
    other_years, other_names = _other_type_trusts(trusts)
    return {
        "reorg_trusts_first": counts["first"],
        "reorg_trusts_first_day": uk_date(pd.Timestamp(first, 4, 1)),
        "reorg_trusts_last": counts["last"],
        "reorg_trusts_last_day": uk_date(pd.Timestamp(last, 4, 1)),
        "reorg_trusts_last_month": month_year(pd.Timestamp(last, 4, 1)),
        "reorg_trusts_change_abs": abs(counts["change"]),
        "reorg_trusts_pct_abs": abs(counts["pct_change"]),
        "reorg_trusts_worst_year": str(counts["largest_fall_year"]),
        "reorg_trusts_worst_fall": counts["largest_fall"],
        "reorg_acute_first": counts["acute_first"],
        "reorg_acute_last": counts["acute_last"],
        "reorg_ambulance_first": counts["ambulance_first"],
        "reorg_ambulance_last": counts["ambulance_last"],
        "reorg_ambulance_merged": _merged_text(trusts, merged),
        "reorg_care_trusts_n": len(care),
        "reorg_care_trusts_year": str(care_year),
        "reorg_care_trusts_codes": ", ".join(care),
        "reorg_trusts_2020": gap["counted"],
        "reorg_trusts_2020_pub": gap["published"],
        "reorg_trusts_2020_with_care": gap["with_care"],
        "reorg_trusts_2020_gap": abs(gap["gap"]),
        "reorg_trusts_2020_gap_text": words.count_phrase(abs(gap["gap"]), "trust")
        + (" more" if gap["gap"] > 0 else " fewer"),
        "reorg_care_trusts_text": words.count_phrase(len(care), "care trust"),
        "reorg_trusts_other_names": " and ".join(other_names),
        "reorg_trusts_other_years": " and ".join(str(y) for y in other_years),
    } | acute_community_numbers(trusts, first, last)


def region_numbers(icbs: pd.DataFrame) -> dict:
    """The regions' count, the regions with most and fewest ICBs and the most and least populous."""
    regions = systems.by_region(icbs)
    by_icbs = regions.sort_values("n_icbs")
    by_pop = regions.sort_values("population")
    return {
        "reorg_n_regions": len(regions),
        "reorg_region_most": str(by_icbs.iloc[-1]["region_name"]),
        "reorg_region_most_n": int(regions["n_icbs"].max()),
        "reorg_region_fewest": str(by_icbs.iloc[0]["region_name"]),
        "reorg_region_fewest_n": int(regions["n_icbs"].min()),
        "reorg_region_big": str(by_pop.iloc[-1]["region_name"]),
        "reorg_region_big_pop": float(by_pop.iloc[-1]["population"]) / 1e6,
        "reorg_region_small": str(by_pop.iloc[0]["region_name"]),
        "reorg_region_small_pop": float(by_pop.iloc[0]["population"]) / 1e6,
    }


def formed_icbs(icbs: pd.DataFrame) -> pd.DataFrame:
    """The boards of 2026 formed from more than one 2022 ICB, or from part of one."""
    new = systems.icbs_2026(icbs)
    return new[(new["n_icbs_2022"] > 1) | new["includes_split"]].copy()


def after_2022_numbers(tables: dict) -> dict:
    """Running cost allowances, the cuts asked of ICBs and the ICB mergers of 2026."""
    icbs, published = tables["icbs"], tables["published_org_counts"]
    costs = reorg.running_costs(tables["icb_allocations"])
    mergers = reorg.icb_mergers_2026(icbs)
    management = tables["published_management_figures"].set_index("id")["value"]
    n_formed = len(formed_icbs(icbs))
    return {
        "reorg_rca_first": float(costs["rca_gbp_m"].iloc[0]),
        "reorg_rca_last": float(costs["rca_gbp_m"].iloc[-1]),
        "reorg_rca_first_year": str(costs["financial_year"].iloc[0]),
        "reorg_rca_last_year": str(costs["financial_year"].iloc[-1]),
        "reorg_rca_cut": float(-costs["change_on_first"].iloc[-1]),
        "reorg_rca_head_first": float(costs["per_head_gbp"].iloc[0]),
        "reorg_rca_head_last": float(costs["per_head_gbp"].iloc[-1]),
        "reorg_icb_closed": mergers["closed"],
        "reorg_icb_opened": mergers["opened"],
        "reorg_icb_teams": int(reorg.published_value(published, "ICB senior leadership teams")),
        "reorg_icb_divided": int((icbs["icb_2026_share"].astype("float64") < 1).sum()),
        "reorg_cut_2025_first": float(management["C5a"]),
        "reorg_cut_2026_target": float(management["C5b"]),
        "reorg_cut_2025_target": float(management["C6a"]),
        "reorg_blueprint_head": float(management["C7a"]),
        "reorg_icb_formed": n_formed,
        "reorg_icb_kept_code": n_formed - mergers["opened"],
    }


def chapter_numbers(tables: dict) -> dict:
    """Every number the chapter's prose prints, by glued name."""
    out = timeline_numbers(tables["timeline"])
    out.update({f"reorg_asof_{name}": as_of_text(data.resource(name).get("x_as_of", "")) for name in AS_OF})
    out.update(commissioner_numbers(tables["commissioners_over_time"]))
    out.update(trust_numbers(tables["trusts"], tables["managers_by_org"], tables["published_org_counts"]))
    out.update(region_numbers(tables["icbs"]))
    out.update(after_2022_numbers(tables))
    return out


# ---------------------------------------------------------------------------------------------
# the timeline
# ---------------------------------------------------------------------------------------------


#: the timeline's labels: their size and their distance from their event's dot (pixels), and how far
#: (in rows of the chart) an event's stem stops short of a label it would otherwise cross
TIMELINE_LABEL_PX, TIMELINE_LABEL_DX, TIMELINE_LABEL_CLEAR = 11, 7, 0.36


def stem_segments(lay: pd.DataFrame, start, end, plot_width: float = PLOT_WIDTH) -> pd.DataFrame:
    """The stems of the timeline's events, from the axis (``y`` 0) up to each dot (``y``), cut
    where they would cross another event's label: one row per piece (``date``, ``y0``, ``y1``).
    A label spans its text's width (:func:`charts.collisions.text_width`) beside its dot and
    :data:`TIMELINE_LABEL_CLEAR` rows above and below its row, so that no stem runs through it."""
    from nhsreport.publish.components.charts.collisions import label_boxes, rule_pieces

    s, e = pd.Timestamp(start), pd.Timestamp(end)
    px = ((lay["date"] - s).dt.total_seconds() / (e - s).total_seconds() * plot_width).to_numpy()
    boxes = label_boxes(
        px, lay["label"], lay["align"], lay["y"], TIMELINE_LABEL_PX, TIMELINE_LABEL_DX, TIMELINE_LABEL_CLEAR
    )
    rows = rule_pieces(px, lay["date"], [0.0] * len(lay), lay["y"], boxes)
    return pd.DataFrame(rows, columns=["date", "y0", "y1"])


def _timeline_panel(events: pd.DataFrame, start, end, title: str) -> alt.LayerChart:
    lay = reorg.timeline_layout(events, start, end, plot_width=PLOT_WIDTH)
    lay["y"] = lay["tier"] + 1
    lay["date_text"] = [date_at_precision(d, p) for d, p in zip(lay["date"], lay["date_precision"])]
    x = alt.X(
        "date:T",
        scale=alt.Scale(domain=[pd.Timestamp(start).isoformat(), pd.Timestamp(end).isoformat()]),
        axis=alt.Axis(format="%Y", tickCount="year", title=None, grid=False, labelFontSize=11),
    )
    y_scale = alt.Scale(domain=[0, int(lay["y"].max()) + 0.6], nice=False)
    y = alt.Y("y:Q", axis=None, scale=y_scale)
    colour, shape = charts.timeline_encodings(
        reorg.CATEGORY_ORDER,
        title="Type of event",
        legend=alt.Legend(orient="bottom", direction="horizontal", columns=6),
    )
    tips = [
        alt.Tooltip("date_text:N", title="Date"),
        alt.Tooltip("category:N", title="Type"),
        alt.Tooltip("event:N", title="Event"),
        alt.Tooltip("source_title:N", title="Source"),
    ]
    base = alt.Chart(lay).encode(x=x, y=y)
    # each stem stops short of any label it would cross and resumes above it (stem_segments)
    stems = (
        alt.Chart(stem_segments(lay, start, end))
        .mark_rule(color=charts.BACKGROUND_OUTLINE, strokeWidth=1)
        .encode(x=x, y=alt.Y("y0:Q", axis=None, scale=y_scale), y2=alt.Y2("y1:Q"))
    )
    dots = base.mark_point(filled=True, size=70, opacity=1).encode(color=colour, shape=shape, tooltip=tips)
    # labels over a halo, which also keeps them clear of the axis's ticks
    left, right = (
        charts.halo_text(
            base.transform_filter(alt.datum.align == side),
            "label:N",
            tooltip=tips,
            align=side,
            dx=dx,
            fontSize=TIMELINE_LABEL_PX,
        )
        for side, dx in (("left", TIMELINE_LABEL_DX), ("right", -TIMELINE_LABEL_DX))
    )
    height = 22 * (int(lay["y"].max()) + 1)
    return alt.layer(stems, dots, left, right).properties(width=PLOT_WIDTH, height=height, title=title)


def timeline_chart(timeline: pd.DataFrame) -> alt.VConcatChart:
    """The key events of the timeline in two panels, split at :data:`TIMELINE_SPLIT_YEAR`, each
    event a point in its category's colour and shape (:data:`charts.TIMELINE_STYLE`), labelled."""
    events = reorg.key_events(timeline)
    first_year, last_year = timeline_years(timeline)
    split = TIMELINE_SPLIT_YEAR
    return alt.vconcat(
        _timeline_panel(events, f"{first_year}-01-01", f"{split}-01-01", f"{first_year} to {split - 1}"),
        _timeline_panel(events, f"{split}-01-01", f"{last_year + 1}-01-01", f"{split} to {last_year}"),
        spacing=18,
    ).resolve_scale(color="shared")


def timeline_alt_text(timeline: pd.DataFrame) -> str:
    """The timeline's description: its panels and categories from the data."""
    first_year, last_year = timeline_years(timeline)
    split = TIMELINE_SPLIT_YEAR
    kinds = reorg.CATEGORY_ORDER
    return (
        f"Timeline in two panels, {first_year} to {split - 1} and {split} to {last_year}, of key events in NHS "
        f"reorganisation, coloured by type: {', '.join(kinds[:-1])} and {kinds[-1]}. "
        "Labels include the 2012 Act, CCGs replacing PCTs in 2013, NHS Improvement in 2016, "
        "NHS England and NHS Improvement working as one from 2019, the 2022 Act, ICBs replacing CCGs, "
        "the 2025 announcement that NHS England will be abolished and the first ICB mergers in 2026."
    )


# ---------------------------------------------------------------------------------------------
# commissioners and systems
# ---------------------------------------------------------------------------------------------

#: The lines of the commissioners' figure, by the group of :data:`reorg.BODY_GROUPS`.
COMMISSIONER_LINES = {
    "commissioners": "Commissioners (PCTs, then CCGs, then ICBs)",
    "systems (footprints)": "Systems (STP footprints, then ICSs)",
}
#: The commissioners' figure starts before the first count, to leave room for its label.
COMMISSIONERS_FROM = "2012-06-01"
#: Labels placed elsewhere than their line's side (above the commissioners' line, above the
#: footprints' and below the systems'), clear of the steps, markers and labels around them:
#: (body, date) -> place.
LABEL_PLACES = {
    ("CCG", "2018-04-01"): "below-left",
    ("ICS", "2017-06-19"): "left",
    ("ICS", "2018-05-01"): "above",
}
#: Where a label sits from its point: (dy, dx, text alignment), in pixels.
LABEL_OFFSETS = {
    "above": (-12, 4, "left"),
    "below": (14, 4, "left"),
    "left": (1, -8, "right"),
    "below-left": (13, -7, "right"),
}


def commissioner_series(cot: pd.DataFrame) -> pd.DataFrame:
    """The figure's points: commissioners and systems (no SHAs), each with its label, date
    text, where its label goes and whether the count changed there (only changes are labelled)."""
    series = reorg.commissioning_series(cot)
    series = series[series["body_type"] != "SHA"].copy()
    series["plural"] = [words.noun(n, body) for n, body in zip(series["count"], series["body_type"])]
    series["label"] = series["count"].astype(str) + " " + series["plural"]
    series["date_text"] = series["date"].map(uk_date)
    series["basis_text"] = series["computed"].map({True: "computed from a data file", False: "as published"})
    series["changed"] = series.groupby("body_type")["count"].diff().fillna(1) != 0
    series["pos"] = series["body_type"].map(lambda body: "below" if body == "ICS" else "above")
    for (body, day), place in LABEL_PLACES.items():
        series.loc[(series["body_type"] == body) & (series["date"] == pd.Timestamp(day)), "pos"] = place
    series["line"] = series["group"].map(COMMISSIONER_LINES)
    return series


def commissioners_chart(cot: pd.DataFrame) -> alt.LayerChart:
    """Step lines of the number of commissioners and of systems, each change labelled."""
    series = commissioner_series(cot)
    group_colour = alt.Color(
        "line:N",
        title=None,
        scale=alt.Scale(domain=list(COMMISSIONER_LINES.values()), range=[charts.ORG_COLOURS["CCG"], charts.PALETTE[0]]),
        legend=alt.Legend(labelLimit=400, direction="vertical", orient="bottom"),
    )
    tips = [
        alt.Tooltip("plural:N", title="Bodies"),
        alt.Tooltip("line:N", title="Series"),
        alt.Tooltip("date_text:N", title="Date"),
        alt.Tooltip("count:Q", title="Number"),
        alt.Tooltip("basis_text:N", title="Count"),
        alt.Tooltip("note:N", title="Note"),
    ]
    xs = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0),
        scale=alt.Scale(domain=[COMMISSIONERS_FROM, f"{series['date'].max().year}-12-31"]),
    )
    ys = alt.Y("count:Q", title="Number of bodies", scale=alt.Scale(domain=[0, 240]))
    base = alt.Chart(series).encode(x=xs, y=ys)
    lines = base.mark_line(interpolate="step-after", strokeWidth=2).encode(color=group_colour, detail="body_type:N")
    points = base.mark_point(filled=True, size=70).encode(
        color=group_colour,
        shape=alt.Shape("body_type:N", title="Body", scale=alt.Scale(domain=["PCT", "CCG", "ICB", "STP", "ICS"])),
        tooltip=tips,
    )
    labelled = base.transform_filter(alt.datum.changed)
    labels = [
        charts.halo_text(
            labelled.transform_filter(alt.datum.pos == pos), "label:N", dy=dy, dx=dx, fontSize=11, align=align
        )
        for pos, (dy, dx, align) in LABEL_OFFSETS.items()
    ]
    return alt.layer(lines, points, *labels).properties(width=560, height=300).resolve_scale(shape="independent")


def commissioners_alt_text(cot: pd.DataFrame, numbers: dict) -> str:
    """The commissioners' figure's description, from the chapter's numbers and the series."""
    n = {key.removeprefix("reorg_"): value for key, value in numbers.items()}
    series = commissioner_series(cot)
    systems_all = series[series["body_type"] == "ICS"].iloc[-1]
    return (
        "Step chart of the number of local commissioning bodies and of system footprints, "
        f"{pd.Timestamp(COMMISSIONERS_FROM).year} to {series['date'].max().year}. "
        f"Commissioners: {n['pct_2013']} PCTs, then {n['ccg_2013']} CCGs in 2013 falling through mergers to "
        f"{n['ccg_2021']} in 2021, then {n['icb_2022']} ICBs in 2022 and {n['icb_2026']} in 2026. "
        f"Systems: {n['stp_2016']} STP footprints in 2016, fewer from 2018, and integrated care systems designated "
        f"in waves until all {systems_all['count']} areas were covered in {month_year(systems_all['date'])}."
    )


# ---------------------------------------------------------------------------------------------
# trusts
# ---------------------------------------------------------------------------------------------

TRUSTS_HEIGHT = 300


def trusts_chart(trusts: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars of the trusts open on 1 April of each year by type, with the total on top and
    each type named beside the last bar (so that the chart reads without the legend's colours)."""
    types = list(schema.TRUST_TYPES)
    by_type = reorg.trusts_by_type(trusts, *reorg.trust_years(trusts))
    totals = by_type.groupby("year", as_index=False)["trusts"].sum()
    y_max = 50 * -(-int(totals["trusts"].max()) // 50)
    labels = charts.stack_labels(by_type, "year", "trusts", "trust_type", types, y_max=y_max, height_px=TRUSTS_HEIGHT)
    x_year = alt.X(
        "year:O",
        title="Trusts open on 1 April of each year",
        axis=alt.Axis(labelAngle=0, labelExpr="datum.value % 2 == 0 ? datum.value : ''"),
    )
    bars = (
        alt.Chart(by_type)
        .mark_bar(stroke="white", strokeWidth=charts.MIN_OUTLINE_PX)  # white edges between the layers (1.4.11)
        .encode(
            x=x_year,
            y=alt.Y("trusts:Q", title="Number of trusts", stack="zero", scale=alt.Scale(domain=[0, y_max], nice=False)),
            color=alt.Color(
                "trust_type:N",
                title="Type of trust",
                sort=types,
                scale=alt.Scale(domain=types, range=[charts.ORG_COLOURS[t] for t in types]),
                legend=None,
            ),
            order=alt.Order("type_order:Q"),
            tooltip=[
                alt.Tooltip("year:O", title="1 April"),
                alt.Tooltip("trust_type:N", title="Type"),
                alt.Tooltip("trusts:Q", title="Trusts"),
            ],
        )
        .transform_calculate(type_order=f"indexof({types!r}, datum.trust_type)")
    )
    return alt.layer(
        bars,
        alt.Chart(totals).mark_text(dy=-6, fontSize=12).encode(x="year:O", y="trusts:Q", text="trusts:Q"),
        alt.Chart(labels)
        .mark_text(align="left", dx=4, fontSize=12)
        .encode(x=alt.X("year:O", bandPosition=1), y="label_y:Q", text="trust_type:N"),
    ).properties(width=480, height=TRUSTS_HEIGHT)


def trusts_alt_text(trusts: pd.DataFrame) -> str:
    """The trusts figure's description, from the counts."""
    first, last = reorg.trust_years(trusts)
    counts = reorg.trust_counts(trusts, first, last)
    return (
        f"Stacked bar chart of NHS trusts open on 1 April each year from {first} to {last} by type, each type named "
        f"beside the last bar. The total falls from {counts['first']} in {first} to {counts['last']} in {last}; "
        f"acute trusts fall from {counts['acute_first']} to {counts['acute_last']}, while ambulance trusts go from "
        f"{counts['ambulance_first']} in {first} to {counts['ambulance_last']}."
    )


# ---------------------------------------------------------------------------------------------
# regions
# ---------------------------------------------------------------------------------------------

#: Region label points moved (degrees of longitude, latitude) where two regions' names would
#: touch: the South East's name goes south, into Sussex, clear of London's.
REGION_LABEL_SHIFT = {"E40000005": (0.07, -0.28)}


def _shifted_label(axis: str, index: int) -> str:
    """A Vega expression: the region's label point on ``axis`` (``"lon"``/``"lat"``), moved by
    :data:`REGION_LABEL_SHIFT` (``index`` 0 for longitude, 1 for latitude)."""
    cases = "".join(f"datum.properties.code === '{code}' ? {d[index]} : " for code, d in REGION_LABEL_SHIFT.items())
    return f"datum.properties.label_{axis} + ({cases}0)"


def board_icbs_2022(icbs: pd.DataFrame, board: str) -> list[str]:
    """The GSS codes of the 2022 ICBs that form (all or part of) the 2026 board ``board``."""
    parts = icbs["icb_2026_parts"].astype(str).str.split(";")
    in_board = parts.map(lambda items: any(item.split(":")[0] == board for item in items))
    return sorted(icbs.loc[in_board | (icbs["icb_2026_code"] == board), "icb_gss_code"])


def regions_map(icbs: pd.DataFrame, board: str | None = None) -> alt.LayerChart:
    """The NHS England regions, each in its colour and named, over the 2022 ICBs; with ``board``
    (a 2026 board's code) the 2022 ICBs it was formed from are outlined."""
    regions = systems.by_region(icbs)
    region_order = regions.sort_values("region_name")["region_name"].tolist()
    region_colours = [c for c in charts.PALETTE if c != "#000000"]  # no black areas under black borders
    icb_map_df = icbs[["icb_gss_code", "icb_name", "region_name", "population"]].copy()
    icb_map_df["population"] = icb_map_df["population"].astype("float64")
    icb_layer = (
        alt.Chart(charts.boundaries("geo_icb_2022"))
        .mark_geoshape(**charts.MAP_BORDER)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(icb_map_df, "icb_gss_code", ["icb_name", "region_name", "population"]),
        )
        .encode(
            color=alt.Color(
                "region_name:N",
                title="NHS England region",
                scale=alt.Scale(domain=region_order, range=region_colours),
                legend=alt.Legend(orient="right", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("icb_name:N", title="ICB"),
                alt.Tooltip("region_name:N", title="Region"),
                alt.Tooltip("population:Q", title="Population (mid-2020)", format=",.0f"),
            ],
        )
    )
    region_layer = alt.Chart(charts.boundaries("geo_nhser_2022")).mark_geoshape(
        filled=False, stroke="#222222", strokeWidth=1.6
    )
    names = charts.area_labels("geo_nhser_2022", font_px=12)
    names.layer = [layer.encode(longitude="lon:Q", latitude="lat:Q", text="region_name:N") for layer in names.layer]
    names = names.transform_calculate(
        lon=_shifted_label("lon", 0),
        lat=_shifted_label("lat", 1),
        # the region's name, on two lines where it joins two names ("North East and Yorkshire")
        region_name="indexof(datum.properties.name, ' and ') > 0 ? "
        "[slice(datum.properties.name, 0, indexof(datum.properties.name, ' and ')), "
        "slice(datum.properties.name, indexof(datum.properties.name, ' and ') + 1)] : datum.properties.name",
    )
    layers = [icb_layer, region_layer]
    if board is not None:
        outline = alt.Chart(charts.boundaries("geo_icb_2022")).transform_filter(
            alt.FieldOneOfPredicate(field="properties.code", oneOf=board_icbs_2022(icbs, board))
        )
        layers.append(outline.mark_geoshape(filled=False, stroke="#000000", strokeWidth=3))
    return alt.layer(*layers, names).project("mercator").properties(width=400, height=480)


def regions_alt_text(icbs: pd.DataFrame, board: str | None = None) -> str:
    """The map's description, from the regions' counts (and the board outlined, if any)."""
    regions = systems.by_region(icbs).sort_values("n_icbs")
    text = (
        f"Map of England showing the {len(regions)} NHS England regions, each in its own colour and named, divided "
        f"into the {len(icbs)} integrated care boards of July 2022, whose borders are drawn in white. "
        f"{regions.iloc[-1]['region_name']} has the most ICBs ({int(regions['n_icbs'].max())}), "
        f"{regions.iloc[0]['region_name']} the fewest ({int(regions['n_icbs'].min())})."
    )
    if board is not None:
        name = icbs.loc[icbs["icb_2026_code"] == board, "icb_2026_name"].iloc[0]
        text += f" The 2022 ICBs that formed {name} in 2026 are outlined in black."
    return text


def region_table(icbs: pd.DataFrame) -> Table:
    """The regions with their ICBs, population and share of England."""
    columns = {
        "region_name": "Region",
        "n_icbs": "ICBs",
        "population": "Population (mid-2020)",
        "share": "Share of England (%)",
    }
    table = systems.by_region(icbs).rename(columns=columns)[list(columns.values())]
    table["Share of England (%)"] = table["Share of England (%)"].astype("float64") * 100
    return Table(table, decimals={"Share of England (%)": 1}, caption="NHS England regions: ICBs and population")


def formed_icbs_table(icbs: pd.DataFrame) -> Table:
    """The boards of 2026 formed from more than one 2022 ICB (:func:`formed_icbs`)."""
    columns = {
        "icb_2026_name": "ICB from April 2026",
        "n_icbs_2022": "2022 ICBs (whole or part)",
        "icbs_2022": "Formed from",
        "population": "Population (mid-2020, estimated)",
    }
    table = formed_icbs(icbs).rename(columns=columns)[list(columns.values())]
    return Table(table, caption="ICBs from April 2026 and the 2022 ICBs they were formed from")
