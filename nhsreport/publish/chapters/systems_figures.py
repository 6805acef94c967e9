"""Chapter 3, the shape of integrated care systems: its maps, charts and tables, one function for each.

Each ``*_map`` or ``*_chart`` function returns one figure with its description, computed from the
datasets the chapter reads (:func:`nhsreport.publish.chapters.systems.load_tables`); each
``*_table`` function one of the chapter's tables. The chapter's numbers are in
:mod:`nhsreport.publish.chapters.systems`.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from nhsreport import data
from nhsreport.analysis import board_facts, boards, systems
from nhsreport.analysis import footprints as fpt
from nhsreport.publish.chapters.systems import (
    boards_2026,
    joined_names,
    lookup_date,
    millions_in_words,
    region_phrase,
)
from nhsreport.publish.components import charts, words
from nhsreport.publish.components.maplabels import label_points, named_areas, names_below, names_beside, names_placed
from nhsreport.publish.components.tables import Table

#: Seven colours of the report's palette without black, for categories that fill areas or bars.
FILLS = [c for c in charts.PALETTE if c != "#000000"]
SPLIT = "Split between ICBs"
WHOLE = "Wholly within one ICB"
UNCHANGED = "Unchanged (or renamed)"
MAP_SIZE = {"width": 460, "height": 540}

# ---------------------------------------------------------------------------------------------
# figures: each returns the chart and its description
# ---------------------------------------------------------------------------------------------


def highlighted_icbs(icbs: pd.DataFrame, board: str) -> list[str]:
    """The ODS codes of the 2022 ICBs that went, whole or in part, into ``board`` (a 2026 or
    2022 board's code or name, :func:`nhsreport.analysis.boards.find_board`)."""
    code = boards.find_board(board, icbs)
    parts = boards.board_parts(icbs)
    return list(parts.loc[parts["icb_2026_code"] == code, "icb_code"])


def population_map(icbs: pd.DataFrame, board: str) -> tuple[alt.Chart, str]:
    """The 42 ICBs of July 2022 shaded by population, with the regions outlined; the largest and
    the smallest ICB are named, and so are the 2022 ICBs that went into ``board``."""
    pop = systems.population_range(icbs)
    columns = ["icb_gss_code", "icb_code", "icb_name", "region_name", "population"]
    geo_df = icbs[[*columns, "n_trusts", "n_local_authorities", "icb_2026_name"]].copy()
    geo_df["population"] = geo_df["population"].astype("int64")
    tooltip = [
        alt.Tooltip("icb_name:N", title="ICB"),
        alt.Tooltip("icb_code:N", title="ODS code"),
        alt.Tooltip("properties.code:N", title="ONS code"),
        alt.Tooltip("region_name:N", title="Region"),
        alt.Tooltip("population:Q", title="Population (mid-2020)", format=","),
        alt.Tooltip("n_trusts:Q", title="Trusts (headquarters)"),
        alt.Tooltip("n_local_authorities:Q", title="Local authority districts"),
        alt.Tooltip("icb_2026_name:N", title="ICB from April 2026"),
    ]
    areas = (
        alt.Chart(charts.boundaries("geo_icb_2022"))
        .mark_geoshape(**charts.MAP_BORDER)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(geo_df, "icb_gss_code", [c for c in geo_df.columns if c != "icb_gss_code"]),
        )
        .encode(
            color=alt.Color(
                "population:Q",
                title="Population, millions (mid-2020)",
                scale=alt.Scale(scheme=charts.SEQUENTIAL_MAP),
                legend=alt.Legend(labelExpr="datum.value / 1000000", gradientLength=260, titleLimit=400),
            ),
            tooltip=tooltip,
        )
    )
    regions = alt.Chart(charts.boundaries("geo_nhser_2022")).mark_geoshape(fill=None, stroke="#000000", strokeWidth=1.4)
    named = list(dict.fromkeys([pop["max_code"], pop["min_code"], *highlighted_icbs(icbs, board)]))
    named = icbs.set_index("icb_code").loc[named]
    named = pd.DataFrame({"code": named["icb_gss_code"], "label": named["icb_name"]})
    chart = (areas + regions + named_areas("geo_icb_2022", named)).project("mercator").properties(**MAP_SIZE)
    n_regions = words.number_words(icbs["region_code"].nunique())
    alt_text = (
        f"Map of England's {pop['n']} integrated care boards shaded by population, from about {millions_in_words(pop['min'])} "
        f"in {pop['min_name']} to {millions_in_words(pop['max'])} in {pop['max_name']}, with the {n_regions} NHS England regions "
        "outlined in black and the largest and the smallest named. The largest populations are in the big "
        "conurbations of the north and London."
    )
    return chart, alt_text


#: boards of 2026 named elsewhere than east of the map, where their lines would cross the other new
#: boards: west of the map (over Wales, at :data:`NAMES_WEST_LON`) or south of it (in the Channel,
#: at :data:`NAMES_SOUTH_LAT`)
NAMES_2026_PLACED = {"Thames Valley": "west", "Hampshire and Isle of Wight": "south"}
NAMES_WEST_LON = -3.2
NAMES_SOUTH_LAT = 50.45


def map_2026(icbs: pd.DataFrame) -> tuple[alt.Chart, str]:
    """The 2022 ICBs coloured by the board they belong to from 1 April 2026; each board that gained
    area is named beside the map, with a line to its most populous 2022 ICB, and outlined in black
    (its own boundary); the divided ICBs are outlined with a dashed line."""
    i26 = systems.icbs_2026(icbs)
    merged = i26[i26["n_icbs_2022"] > 1]
    columns = ["icb_gss_code", "icb_name", "icb_2026_code", "icb_2026_name", "icb_2026_share", "icb_2026_note"]
    g26 = icbs[columns].copy()
    groups = sorted(merged["icb_2026_name"])
    g26["group"] = g26["icb_2026_name"].where(g26["icb_2026_code"].isin(merged["icb_2026_code"]), UNCHANGED)
    g26["divided"] = (g26["icb_2026_share"] < 1).map({True: "Divided between new boards", False: ""})
    g26["note"] = g26["icb_2026_note"].where(g26["icb_2026_share"] < 1, "")
    lookup26 = alt.LookupData(g26, "icb_gss_code", ["icb_name", "icb_2026_name", "group", "divided", "note"])
    base26 = alt.Chart(charts.boundaries("geo_icb_2022")).transform_lookup(lookup="properties.code", from_=lookup26)
    fill26 = base26.mark_geoshape(stroke=charts.BACKGROUND_OUTLINE, strokeWidth=charts.MIN_OUTLINE_PX).encode(
        color=alt.Color(
            "group:N",
            title="ICB from 1 April 2026",
            scale=alt.Scale(domain=groups + [UNCHANGED], range=FILLS[: len(groups)] + [charts.BACKGROUND]),
            legend=alt.Legend(columns=2, symbolType="square", labelLimit=0),  # names whole, never cut with "…"
        ),
        tooltip=[
            alt.Tooltip("icb_name:N", title="ICB (July 2022)"),
            alt.Tooltip("icb_2026_name:N", title="ICB from April 2026"),
            alt.Tooltip("divided:N", title="Divided?"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    split26 = base26.transform_filter("datum.divided != ''").mark_geoshape(
        fill=None, stroke="#000000", strokeWidth=1.6, strokeDash=[3, 2]
    )
    # each new board named beside the map, with a line to the label point of its most populous 2022
    # board (the colours alone do not tell the seven apart in greyscale): east of the coast, except
    # those whose line would cross the other new boards
    reps = (
        g26[g26["group"] != UNCHANGED]
        .merge(icbs[["icb_gss_code", "population"]], on="icb_gss_code")
        .sort_values("population", ascending=False)
        .drop_duplicates("group")
    )
    points = label_points("geo_icb_2022", reps["icb_gss_code"], reps["group"], field="group")
    east = systems.extent(data.geo("geo_icb_2022"))[2]
    placed = points["group"].map(NAMES_2026_PLACED).fillna("east")
    named26 = alt.layer(
        names_beside(points[placed == "east"], east + 0.15, field="group"),
        names_beside(points[placed == "west"], NAMES_WEST_LON, field="group", side="west"),
        names_below(points[placed == "south"], NAMES_SOUTH_LAT, field="group"),
    )
    # the new boards' own boundaries in black, so that neighbouring boards of like shades stay apart
    # in greyscale (their ONS boundaries, named "NHS <board> Integrated Care Board")
    bounds26 = (
        alt.Chart(charts.boundaries("geo_icb_2026"))
        .transform_calculate(board="replace(replace(datum.properties.name, 'NHS ', ''), ' Integrated Care Board', '')")
        .transform_filter(alt.FieldOneOfPredicate(field="board", oneOf=groups))
        .mark_geoshape(fill=None, stroke="#000000", strokeWidth=2.2, strokeJoin="round")
    )
    chart = (fill26 + bounds26 + split26 + named26).project("mercator").properties(**MAP_SIZE)
    # the regions of the boards that gained area, the one with the fewest people in them first
    gained = icbs[icbs["icb_2026_code"].isin(merged["icb_2026_code"])].groupby("region_name")["population"].sum()
    regions = words.and_list(region_phrase(r) for r in gained.sort_values().index)
    n_divided = words.number_words(int((icbs["icb_2026_share"] < 1).sum()))
    alt_text = (
        f"Map of the {len(icbs)} ICBs of 2022 coloured by the board they belong to from April 2026. {len(groups)} new or "
        f"enlarged boards in {regions} are coloured and named; the rest of "
        f"England, unchanged, is grey. {n_divided.capitalize()} ICBs divided between new boards are outlined with a dashed line."
    )
    return chart, alt_text


def _ranked(icbs: pd.DataFrame) -> pd.DataFrame:
    """The ICBs' population (also in millions), trusts and districts, for the charts of size."""
    ranked = icbs[["icb_name", "region_name", "population", "n_trusts", "n_local_authorities"]].copy()
    ranked["population_m"] = ranked["population"] / 1e6
    return ranked


#: the height of each board's row in the ranked chart, in pixels
RANKED_STEP = 14


def ranked_chart(icbs: pd.DataFrame) -> tuple[alt.Chart, str]:
    """The ICBs ranked by population, coloured by region (named at the end of each bar), with the
    median marked."""
    pop = systems.population_range(icbs)
    ranked = _ranked(icbs)
    region_order = sorted(ranked["region_name"].unique())
    region_scale = alt.Scale(domain=region_order, range=FILLS[: len(region_order)])
    ybar = alt.Y(
        "icb_name:N",
        sort=list(ranked.sort_values("population", ascending=False)["icb_name"]),
        title=None,
        axis=alt.Axis(labelLimit=340),
    )
    bars = (
        alt.Chart(ranked)
        .mark_bar()
        .encode(
            y=ybar,
            x=alt.X(
                "population_m:Q",
                title="Population, millions (mid-2020)",
                axis=alt.Axis(values=[0, 1, 2, 3], format=".0f"),
            ),
            color=alt.Color("region_name:N", title="NHS England region", scale=region_scale, legend=None),
            tooltip=[
                alt.Tooltip("icb_name:N", title="ICB"),
                alt.Tooltip("region_name:N", title="Region"),
                alt.Tooltip("population:Q", title="Population", format=","),
                alt.Tooltip("n_trusts:Q", title="Trusts"),
                alt.Tooltip("n_local_authorities:Q", title="Districts"),
            ],
        )
    )
    # each bar names its region (colour alone would not tell the seven apart in greyscale)
    # over a thin halo, so that the grid lines do not strike through the names of the regions
    named = alt.Chart(ranked).encode(y=ybar, x="population_m:Q")
    regions_named = charts.halo_text(
        named, "region_name:N", halo_px=3, align="left", dx=5, fontSize=12, color="#333333"
    )
    # the median's rule runs down the bars that reach it and stops above the first that does not,
    # so that it never strikes through the names beside the shorter bars
    reach = int((ranked["population"] >= pop["median"]).sum())
    median = alt.Chart(pd.DataFrame({"m": [pop["median"] / 1e6], "label": ["Median"]}))
    median_rule = median.mark_rule(color="#000000", strokeDash=[4, 3]).encode(
        x="m:Q", y=alt.value(0), y2=alt.value(reach * RANKED_STEP)
    ) + median.mark_text(align="center", dy=-8, fontSize=12, color="#333333").encode(
        x="m:Q", y=alt.value(0), text="label:N"
    )
    chart = (bars + median_rule + regions_named).properties(width=240, height=alt.Step(RANKED_STEP))
    alt_text = (
        f"Bar chart ranking the {pop['n']} ICBs by population, from {pop['max_name']} "
        f"({pop['max'] / 1e6:.1f} million) down to {pop['min_name']} ({pop['min'] / 1e6:.2f} million), "
        "coloured by NHS England region and with each bar's region named at its end, and a dashed line at the median "
        "through the bars that reach it."
    )
    return chart, alt_text


def _histogram(ranked: pd.DataFrame, field: str, step: float, colour: str, titles: tuple[str, str, str | None]):
    """One histogram of the ICBs: ``titles`` are the x axis's, the tooltip's and the y axis's."""
    axis_title, tooltip_title, y_title = titles
    return (
        alt.Chart(ranked)
        .mark_bar(color=colour)
        .encode(
            x=alt.X(f"{field}:Q", bin=alt.Bin(step=step), title=axis_title),
            y=alt.Y("count():Q", title=y_title),
            tooltip=[
                alt.Tooltip(f"{field}:Q", bin=alt.Bin(step=step), title=tooltip_title),
                alt.Tooltip("count():Q", title="ICBs"),
            ],
        )
    )


def distributions_chart(icbs: pd.DataFrame) -> tuple[alt.Chart, str]:
    """Histograms of the ICBs' population, trusts and districts, and the last two against population."""
    ranked = _ranked(icbs)
    long = ranked.melt(
        id_vars=["icb_name", "population_m"],
        value_vars=["n_trusts", "n_local_authorities"],
        var_name="measure",
        value_name="count",
    )
    long["measure"] = long["measure"].map(
        {"n_trusts": "NHS trusts (by headquarters)", "n_local_authorities": "Local authority districts"}
    )
    panel = {"width": 175, "height": 150}
    hist_pop = _histogram(
        ranked,
        "population_m",
        0.25,
        charts.PALETTE[0],
        ("Population, millions", "Population (millions)", "Number of ICBs"),
    ).properties(**panel, title="Population")
    hist_trusts = _histogram(ranked, "n_trusts", 2, charts.PALETTE[1], ("NHS trusts", "Trusts", None)).properties(
        **panel, title="Trusts"
    )
    hist_lads = _histogram(
        ranked, "n_local_authorities", 2, charts.PALETTE[2], ("Local authority districts", "Districts", None)
    ).properties(**panel, title="Local authority districts")
    scatter = (
        alt.Chart(long)
        .mark_point(filled=True, size=50, opacity=1, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("population_m:Q", title="Population, millions (mid-2020)"),
            y=alt.Y("count:Q", title="Number in the ICB"),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(range=[charts.PALETTE[1], charts.PALETTE[2]]),
                legend=alt.Legend(labelLimit=400),
            ),
            shape=alt.Shape("measure:N", title=None, legend=alt.Legend(labelLimit=400)),
            tooltip=[
                alt.Tooltip("icb_name:N", title="ICB"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("count:Q", title="Number"),
                alt.Tooltip("population_m:Q", title="Population (m)", format=".2f"),
            ],
        )
        .properties(width=580, height=240, title="Size and number of organisations")
    )
    chart = alt.vconcat(alt.hconcat(hist_pop, hist_trusts, hist_lads), scatter).resolve_scale(
        color="independent", shape="independent"
    )
    alt_text = (
        f"Three histograms of the {len(icbs)} ICBs: population, mostly between 0.5 and 2 million; NHS trusts, mostly two "
        "to six; local authority districts, mostly two to thirteen. Below, a scatter plot shows that larger "
        "systems host more trusts, while the number of districts depends more on local government structure."
    )
    return chart, alt_text


def _england_underneath() -> alt.Chart:
    """England in grey (the ICBs' area), under a map of districts or councils."""
    return alt.Chart(charts.boundaries("geo_icb_2022")).mark_geoshape(
        fill=charts.BACKGROUND, stroke=charts.BACKGROUND_OUTLINE, strokeWidth=charts.MIN_OUTLINE_PX
    )


def _icb_lines() -> alt.Chart:
    """The ICBs' boundaries in black, over a map of districts or councils."""
    return alt.Chart(charts.boundaries("geo_icb_2022")).mark_geoshape(
        fill=None, stroke="#000000", strokeWidth=1.6, strokeJoin="round"
    )


def _split_areas(geo_name: str, status: pd.DataFrame, fields: list[str], style: dict, tooltip: list) -> alt.Chart:
    """The areas of ``geo_name`` coloured by whether they are split between ICBs (``status``, from
    :func:`nhsreport.analysis.systems.split_status`), each split area also marked with a black dot
    (so that the map reads without its colours); ``style`` holds the stroke width and the colour of
    the areas lying in one ICB."""
    base = alt.Chart(charts.boundaries(geo_name)).transform_lookup(
        lookup="properties.code", from_=alt.LookupData(status, "lad_code", fields)
    )
    areas = base.mark_geoshape(stroke=charts.BACKGROUND_OUTLINE, strokeWidth=style["stroke_width"]).encode(
        color=alt.Color(
            "status:N",
            title=None,
            scale=alt.Scale(domain=[SPLIT, WHOLE], range=[charts.PALETTE[5], style["whole"]]),
        ),
        tooltip=tooltip,
    )
    dots = (
        base.transform_filter(alt.FieldEqualPredicate(field="status", equal=SPLIT))
        .mark_point(filled=True, size=30, color="#000000", strokeWidth=0)
        .encode(
            longitude="properties.label_lon:Q",
            latitude="properties.label_lat:Q",
            shape=alt.Shape("status:N", title=None, scale=alt.Scale(domain=[SPLIT, WHOLE], range=["circle", "square"])),
            tooltip=tooltip,
        )
    )
    return areas + dots


def split_districts_map(overlap: pd.DataFrame, icbs: pd.DataFrame) -> tuple[alt.Chart, str]:
    """The districts split between ICBs, with the ICBs outlined; the district split half and half and
    the ICBs that share the most districts are named beside the map."""
    split22 = systems.split_districts(overlap, "icb22")
    cot = systems.coterminosity(overlap, icbs)
    status = systems.split_status(overlap, split22)
    tooltip = [
        alt.Tooltip("lad_name:N", title="District"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("areas:N", title="ICB (share of its small areas)"),
    ]
    districts = _split_areas(
        "geo_lad_2022",
        status,
        ["lad_name", "status", "areas"],
        {"stroke_width": charts.MIN_OUTLINE_PX, "whole": charts.BACKGROUND},
        tooltip,
    )
    # named beside the map: the district split half and half, and the ICBs that share the most districts
    # (the text discusses them)
    even = split22[split22["largest_share"] <= 0.55]
    worst_icbs = icbs[icbs["icb_name"].isin(cot.loc[cot["n_part"] == cot["n_part"].max(), "icb_name"])]
    named = names_beside(
        pd.concat(
            [
                label_points("geo_lad_2022", even["lad_code"], even["lad_name"]),
                label_points("geo_icb_2022", worst_icbs["icb_gss_code"], worst_icbs["icb_name"]),
            ],
            ignore_index=True,
        ),
        systems.extent(data.geo("geo_icb_2022"))[2] + 0.15,
    )
    layers = _england_underneath() + districts + _icb_lines() + named
    chart = layers.project("mercator").properties(**MAP_SIZE)
    alt_text = (
        f"Map of England's {overlap['lad_code'].nunique()} local authority districts: the {len(split22)} districts "
        "split between two ICBs are highlighted in orange-red, mostly in Surrey, Hampshire and Berkshire around the "
        "Frimley system, with a few in Suffolk, Hertfordshire, Oxfordshire, Cumbria and North Yorkshire. The district "
        "split half and half and the ICBs that share the most districts are named."
    )
    return chart, alt_text


def upper_tier_map(overlap: pd.DataFrame, upper: pd.DataFrame) -> tuple[alt.Chart, str]:
    """The counties and unitary authorities split between ICBs, named, with the ICBs outlined."""
    usplit = fpt.split_councils(overlap, upper)
    status = systems.split_status(
        fpt.upper_tier_overlap(overlap, upper),
        usplit,
        keys=("lad_code", "lad_name", "upper_type"),
        split_code="upper_code",
    )
    tooltip = [
        alt.Tooltip("lad_name:N", title="Council area"),
        alt.Tooltip("upper_type:N", title="Kind"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("areas:N", title="ICB (share of its small areas)"),
    ]
    fields = ["lad_name", "upper_type", "status", "areas"]
    councils = _split_areas(
        "geo_ctyua_2022", status, fields, {"stroke_width": charts.MIN_OUTLINE_PX, "whole": charts.BACKGROUND}, tooltip
    )
    # the councils split between ICBs, named (the text lists them)
    named = names_placed(
        label_points("geo_ctyua_2022", usplit["upper_code"], usplit["upper_name"]),
        systems.extent(data.geo("geo_ctyua_2022")),
    )
    chart = (_england_underneath() + councils + _icb_lines() + named).project("mercator").properties(**MAP_SIZE)
    alt_text = (
        f"Map of England's {upper['upper_code'].nunique()} counties and unitary authorities: the {len(usplit)} split "
        f"between integrated care boards are highlighted and named ({joined_names(usplit['upper_name'])}); the others lie "
        "wholly within one ICB."
    )
    return chart, alt_text


def _panel_label(types: list[str], counts: pd.Series) -> str:
    """A Vega expression naming each type's panel: "Ambulance trusts (8)"."""
    cases = (
        f"datum.value == {json.dumps(t)} ? {json.dumps(f'{t[:1].upper()}{t[1:]} trusts ({counts[t]})')}" for t in types
    )
    return " : ".join(cases) + " : datum.value"


def shared_trusts_chart(partners: pd.DataFrame, trusts: pd.DataFrame) -> tuple[alt.Chart, str]:
    """The trusts that partnered more than one STP in April 2019, in one panel for each type of
    trust, most partnerships first."""
    summary = fpt.shared_trust_summary(partners)
    shared = fpt.shared_trusts_by_type(partners, trusts)
    shared["label"] = shared["trust_name"].map(lambda n: systems.short_trust_name(systems.tidy_trust_name(n)))
    types = [t for t in ["ambulance", "mental health", "community", "acute", "other"] if t in set(shared["type"])]
    header = alt.Header(
        labelAngle=0,
        labelAlign="left",
        labelAnchor="start",
        labelOrient="top",
        labelPadding=2,
        labelBaseline="bottom",
        labelExpr=_panel_label(types, shared["type"].value_counts()),
    )
    chart = (
        alt.Chart(shared)
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                title=None,
                sort=alt.EncodingSortField("n_stps", order="descending"),
                axis=alt.Axis(labelLimit=340),
            ),
            x=alt.X("n_stps:Q", title="STPs the trust is a partner of (April 2019)", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "type:N",
                title=None,
                legend=None,
                scale=alt.Scale(domain=types, range=[charts.ORG_COLOURS[t] for t in types]),
            ),
            row=alt.Row("type:N", title=None, sort=types, header=header),
            tooltip=[
                alt.Tooltip("label:N", title="Trust"),
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("n_stps:Q", title="STPs"),
                alt.Tooltip("stps:N", title="STP codes"),
            ],
        )
        .properties(width=300, height=alt.Step(14))
        .resolve_scale(y="independent")
    )
    leaders = " and ".join(systems.tidy_trust_name(n) for n in summary["max_names"])
    alt_text = (
        f"Horizontal bar chart of the {len(shared)} trusts listed as partners of more than one STP in April 2019, led by "
        f"{leaders} with {summary['max_stps']} each; most of the longest bars are ambulance trusts."
    )
    return chart, alt_text


def practices_chart(practices: pd.DataFrame, icbs: pd.DataFrame) -> tuple[alt.Chart, str]:
    """GP practices per 100,000 residents in each system against its population, by region."""
    per_system = fpt.primary_care_by_system(practices, icbs)
    chart = (
        alt.Chart(per_system)
        .mark_circle(size=60, opacity=1, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("population:Q", title="Population (ONS mid-2020, millions)", axis=alt.Axis(format="~s")),
            y=alt.Y("practices_per_100k:Q", title="GP practices per 100,000 residents", scale=alt.Scale(zero=False)),
            color=alt.Color("region_name:N", title=None, scale=alt.Scale(range=FILLS), legend=alt.Legend(columns=3)),
            tooltip=[
                alt.Tooltip("icb_name:N", title="System"),
                alt.Tooltip("region_name:N", title="Region"),
                alt.Tooltip("population:Q", title="Population", format=","),
                alt.Tooltip("n_practices:Q", title="Practices"),
                alt.Tooltip("n_pcns:Q", title="Primary care networks"),
                alt.Tooltip("practices_per_100k:Q", title="Per 100,000", format=".1f"),
                alt.Tooltip("residents_per_practice:Q", title="Residents per practice", format=",.0f"),
            ],
        )
        .properties(width=540, height=300)
    )
    rate = per_system["practices_per_100k"]
    alt_text = (
        f"Scatter plot of the {len(per_system)} systems: population against GP practices per 100,000 residents, which "
        f"range from {rate.min():.1f} to {rate.max():.1f}, coloured by region."
    )
    return chart, alt_text


def ccg_maps(lineage: pd.DataFrame) -> tuple[alt.Chart, str]:
    """Five small maps of the commissioning areas: the CCGs of April 2013, 2019, 2020 and 2021 and
    the ICBs of July 2022."""
    counts = systems.ccg_counts(lineage)
    panels = []
    for name, label in [
        ("geo_ccg_2013", f"April 2013: {counts[2013]} CCGs"),
        ("geo_ccg_2019", f"April 2019: {counts[2019]} CCGs"),
        ("geo_ccg_2020", f"April 2020: {counts[2020]} CCGs"),
        ("geo_ccg_2021", f"April 2021: {counts[2021]} CCGs"),
        ("geo_icb_2022", f"July 2022: {counts[2022]} ICBs"),
    ]:
        colour = charts.ORG_COLOURS["ICB"] if name.startswith("geo_icb") else charts.PALETTE[4]
        areas = (
            alt.Chart(charts.boundaries(name))
            .mark_geoshape(fill=colour, **charts.MAP_BORDER)
            .encode(
                tooltip=[
                    alt.Tooltip("properties.name:N", title="Area"),
                    alt.Tooltip("properties.code:N", title="ONS code"),
                ],
            )
        )
        title = alt.TitleParams(label, fontSize=12)
        panels.append(areas.project("mercator").properties(width=180, height=215, title=title))
    chart = alt.vconcat(alt.hconcat(*panels[:3], spacing=8), alt.hconcat(*panels[3:], spacing=8), spacing=6)
    alt_text = (
        f"Five small maps of England showing commissioning areas getting larger: {counts[2013]} CCGs in 2013, "
        f"{counts[2019]} in 2019, {counts[2020]} in 2020, {counts[2021]} in 2021 and {counts[2022]} ICBs in 2022."
    )
    return chart, alt_text


#: The two datings of the December 2020 wave, as the chart's legend names them.
DATINGS = {
    "NHS England's dates": "December 2020 (NHS England)",
    "Healthcare Leader's date": "April 2021 (Healthcare Leader)",
}


def waves_chart(waves: pd.DataFrame, icbs: pd.DataFrame) -> tuple[alt.Chart, str]:
    """The share of England's population in footprints with a designated system, after each wave,
    under both datings of the December 2020 wave, to the ICBs of July 2022."""
    plot = systems.ics_coverage(waves, icbs)
    plot["dating"] = plot["dating"].map(DATINGS)
    end = plot.groupby("dating", as_index=False).last()
    end["date"] = pd.Timestamp("2022-07-01")  # the ICBs took over
    plot = pd.concat([plot, end], ignore_index=True)
    datings = list(DATINGS.values())
    chart = (
        alt.Chart(plot)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X(
                "date:T",
                title=None,
                scale=alt.Scale(domain=["2017-01-01", "2022-07-01"]),
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
            ),
            y=alt.Y(
                "share:Q",
                title="Share of England's population",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "dating:N",
                title="Date given to the December 2020 wave",
                scale=alt.Scale(domain=datings, range=[charts.PALETTE[0], charts.PALETTE[1]]),
                legend=alt.Legend(orient="top", labelLimit=400, titleLimit=400),
            ),
            strokeDash=alt.StrokeDash("dating:N", legend=None, scale=alt.Scale(domain=datings, range=[[1, 0], [5, 3]])),
            tooltip=[
                alt.Tooltip("wave:N", title="Wave"),
                alt.Tooltip("date:T", title="Date", format="%B %Y"),
                alt.Tooltip("n_footprints:Q", title="2021 footprints covered"),
                alt.Tooltip("share:Q", title="Share of population", format=".0%"),
                alt.Tooltip("published_cumulative:Q", title="Systems (published)"),
            ],
        )
        .properties(width=560, height=280)
    )
    alt_text = (
        "Step chart of the share of England's population living in areas with a designated integrated care "
        "system, rising from about a fifth in June 2017 to about half in May 2020, three quarters after the "
        "December 2020 wave and all of England in April 2021. A dashed line shows the December 2020 wave "
        "dated April 2021, as one source has it."
    )
    return chart, alt_text


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------


def split_districts_table(overlap: pd.DataFrame) -> pd.DataFrame:
    """The districts split between ICBs, with each ICB's share of the district's small areas."""
    split22 = systems.split_districts(overlap, "icb22")
    return split22[["lad_name", "areas"]].rename(
        columns={"lad_name": "District", "areas": "ICBs (share of the district's small areas)"}
    )


def _boards_columns() -> dict[str, str]:
    """The boards table's column titles that name a period, with the periods read from the data."""
    when = board_facts.reporting_periods()
    return {
        "board": f"Board ({when['boards']})",
        "population": f"Residents ({when['population']})",
        "registered": f"Registered patients ({when['registered']})",
        "practices": f"GP practices ({when['practices']})",
        "per_practice": f"Patients per practice ({when['practice_lists']} lists)",
        "allowance": f"Allowance per head (£, {when['allowances']})",
        "trusts": f"Trusts (HQ, {when['boards']})",
    }


#: Decimals of the boards table's columns: each figure rounded once, from its exact value, as the
#: profiles print it (:data:`nhsreport.analysis.boards.FIGURES`).
BOARD_TABLE_DECIMALS = {"Managers per 100 staff": 1, "Managers per 100 staff, trusts only": 1}


def boards_table(tables: dict) -> pd.DataFrame:
    """The boards of 2026 with their headline figures, by name, each at its exact value (the
    table rounds once, :data:`BOARD_TABLE_DECIMALS`)."""
    figures = boards_2026(tables)
    title = _boards_columns()
    shown = pd.DataFrame(
        {
            title["board"]: figures["icb_2026_name"],
            "Code": figures.index,
            "Formed from (2022)": figures["icbs_2022"],
            title["population"]: figures["population"].astype("int64"),
            "Below 1 million": figures["below_floor"].map({True: "yes", False: ""}),
            title["registered"]: figures["registered_patients"].astype("int64"),
            title["practices"]: figures["n_practices"].astype("int64"),
            title["per_practice"]: figures["patients_per_practice"].astype("int64"),
            "Managers per 100 staff": figures["managers_per_100_staff"],
            "Managers per 100 staff, trusts only": figures["trust_managers_per_100_staff"],
            title["allowance"]: figures["rca_per_head"],
            title["trusts"]: figures["n_trusts"],
            "Districts": figures["n_districts"],
            "Districts shared": figures["n_part"],
            "Estimated": [
                "; ".join(x for x, flag in (("residents", pop), ("staff and allowance", staff)) if flag)
                for pop, staff in zip(figures["population_estimate"], figures["estimate"])
            ],
        }
    )
    return shown.sort_values(title["board"]).reset_index(drop=True)


def boards_table_shown(tables: dict) -> Table:
    """:func:`boards_table` as the chapter shows it: every column on screen, the main ones in print."""
    shown = boards_table(tables)
    title = _boards_columns()
    columns = [
        title["board"],
        title["population"],
        title["registered"],
        "Managers per 100 staff",
        title["allowance"],
        "Estimated",
    ]
    when = board_facts.reporting_periods()["boards"]
    decimals = BOARD_TABLE_DECIMALS | {title["allowance"]: 2}
    return Table(
        shown, pdf_columns=columns, decimals=decimals, caption=f"The {len(shown)} integrated care boards of {when}"
    )


def boards_2026_map(tables: dict, board: str) -> tuple[alt.Chart, str]:
    """The 36 boards of 1 April 2026 (their ONS boundaries) shaded by mid-2024 residents; the
    largest and the smallest board are named, and so is ``board``."""
    figures = boards_2026(tables).reset_index()
    when = board_facts.reporting_periods()
    geo_df = figures[["icb_2026_code", "icb_2026_name", "region_name", "population", "registered_patients"]].copy()
    geo_df["gss"] = geo_df["icb_2026_code"].map(
        tables["board_populations"].set_index("icb_2026_code")["icb_2026_gss_code"]
    )
    geo_df["estimate"] = figures["population_estimate"].map({True: "yes (a district is split)", False: "no"})
    tooltip = [
        alt.Tooltip("icb_2026_name:N", title="Board"),
        alt.Tooltip("icb_2026_code:N", title="ODS code"),
        alt.Tooltip("properties.code:N", title="ONS code"),
        alt.Tooltip("region_name:N", title="Region"),
        alt.Tooltip("population:Q", title=f"Residents ({when['population']})", format=","),
        alt.Tooltip("estimate:N", title="Residents estimated"),
        alt.Tooltip("registered_patients:Q", title=f"Registered patients ({when['registered']})", format=","),
    ]
    areas = (
        alt.Chart(charts.boundaries("geo_icb_2026"))
        .mark_geoshape(**charts.MAP_BORDER)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(geo_df, "gss", [c for c in geo_df.columns if c != "gss"]),
        )
        .encode(
            color=alt.Color(
                "population:Q",
                title=f"Residents, millions ({when['population']})",
                scale=alt.Scale(scheme=charts.SEQUENTIAL_MAP),
                legend=alt.Legend(labelExpr="datum.value / 1000000", gradientLength=260, titleLimit=400),
            ),
            tooltip=tooltip,
        )
    )
    pop = geo_df.set_index("icb_2026_code")["population"]
    named_codes = list(dict.fromkeys([pop.idxmax(), pop.idxmin(), boards.find_board(board, tables["icbs"])]))
    named = geo_df.set_index("icb_2026_code").loc[named_codes]
    named = pd.DataFrame({"code": named["gss"], "label": named["icb_2026_name"]})
    chart = (areas + named_areas("geo_icb_2026", named)).project("mercator").properties(**MAP_SIZE)
    alt_text = (
        f"Map of England's {len(geo_df)} integrated care boards of {when['boards']} shaded by residents "
        f"({when['population']}), from about {millions_in_words(pop.min())} in {geo_df.set_index('icb_2026_code').loc[pop.idxmin(), 'icb_2026_name']} "
        f"to {millions_in_words(pop.max())} in {geo_df.set_index('icb_2026_code').loc[pop.idxmax(), 'icb_2026_name']}, "
        "which are named on the map."
    )
    return chart, alt_text


def shares_to_one_decimal(shares: pd.Series) -> pd.Series:
    """Fractions that add up to 1 as per cent at one decimal place that add up to exactly 100
    (largest remainder: each is rounded down to a tenth, and the tenths left over go to the
    parts whose remainders are largest), e.g. 0.5551, 0.2304, 0.2145 -> 55.5, 23.0, 21.5."""
    tenths = shares.astype("float64") * 1000
    floor = tenths.apply(int)
    left = int(round(tenths.sum())) - int(floor.sum())
    order = (tenths - floor).sort_values(ascending=False, kind="mergesort").index[:left]
    floor.loc[order] += 1
    return floor / 10


def divided_boards_table(icbs: pd.DataFrame) -> pd.DataFrame:
    """How the three 2022 boards divided in 2026 were shared out, in per cent at one decimal place,
    each board's parts adding up to 100 (:func:`shares_to_one_decimal`)."""
    split = boards.split_boards(icbs)
    share = split.groupby("icb_code", group_keys=False)["share"].apply(shares_to_one_decimal)
    return split.assign(share=share).rename(
        columns={
            "icb_name": "Divided 2022 board",
            "icb_2026_name": "Part went to",
            "share": "Share (%)",
            "basis": "Share of",
        }
    )[["Divided 2022 board", "Part went to", "Share (%)", "Share of"]]


def lookup_table(trusts: pd.DataFrame, icbs: pd.DataFrame) -> pd.DataFrame:
    """Every trust open on :func:`lookup_date` with its type, region, ICB (July 2022, and from April
    2026 where that differs) and the other trusts in its 2026 board."""
    lookup = systems.trust_lookup(trusts, icbs, lookup_date(trusts))
    lookup["icb"] = [
        a if a == b else f"{a} (from April 2026: {b})" for a, b in zip(lookup["icb_2022"], lookup["icb_2026"])
    ]
    return lookup[["trust", "trust_type", "region", "icb", "others"]].rename(
        columns={
            "trust": "Trust",
            "trust_type": "Type",
            "region": "Region",
            "icb": "ICB (July 2022)",
            "others": "Other trusts in the same ICB (2026)",
        }
    )
