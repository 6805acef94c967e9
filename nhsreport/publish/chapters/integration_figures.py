"""Chapter 4, contractual versus structural integration: its figures and tables, one function for each.

Each figure is drawn by one ``*_chart`` function and described by the matching ``*_alt_text``, both
from the chapter's :class:`~nhsreport.publish.chapters.integration.Results` (computed by
:func:`nhsreport.publish.chapters.integration.compute`), so that the description follows the data;
each ``*_table`` function returns one of the chapter's tables.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from nhsreport import formatting
from nhsreport.analysis import integration as integ
from nhsreport.analysis import mergers as mz
from nhsreport.publish.chapters.integration import (
    EVENT_OUTCOMES,
    FIRST_YEAR,
    LAST_YEAR,
    TRUST_TYPES,
    Results,
    event_reading,
    labelled_mergers,
    vanguard_regions,
    vanguard_waves,
)
from nhsreport.publish.components import charts, words
from nhsreport.publish.components.tables import Table

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
    table["source_url"] = table["source_url"].map(official_address)
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
    # over a halo, so that the next event's rule stops at a label it passes
    labels = [
        charts.halo_text(
            alt.Chart(events[events["right"] == right]).encode(x="date:T", y=alt.Y("y:Q", scale=TRUSTS_Y)),
            "label:N",
            align=align,
            dx=dx,
            fontSize=10,
            color="#444",
        )
        for right, align, dx in ((False, "left", 3), (True, "right", -3))
    ]
    return alt.layer(rules, *labels, line, pubs).properties(
        width=560, height=260, title="All trusts, with published counts (diamonds)"
    )


def trusts_chart(res: Results) -> alt.LayerChart:
    """Trusts open on 1 April, with policy events and published counts (the counts by type are
    chapter 1's figure of trusts by type, not drawn twice)."""
    return _trusts_panel(res)


def trusts_alt_text(res: Results) -> str:
    """The description of :func:`trusts_chart`."""
    change = integ.trust_count_change(res.tables["trusts"], FIRST_YEAR, LAST_YEAR)
    return (
        f"Line chart of NHS trusts in England open on 1 April each year, falling from {change['first']} in {FIRST_YEAR} "
        f"to {change['last']} in {LAST_YEAR}, with dashed lines marking policy events and diamonds for published counts "
        "a few above the line."
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


def dissolved_chart(res: Results) -> alt.FacetChart:
    """Trust codes dissolved into another trust each year, one row of bars for each type of successor,
    the type named above its row (so that no reader needs the colours, which repeat the type)."""
    dissolved = res.dissolved[res.dissolved["trust_type"].isin(TRUST_TYPES)].copy()
    y_max = 10 * -(-int(dissolved.groupby(["year", "trust_type"])["dissolved"].sum().max()) // 10)
    return (
        alt.Chart(dissolved)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-90, values=list(range(2000, 2027, 2)))),
            y=alt.Y(
                "sum(dissolved):Q",
                title="Codes dissolved",
                scale=alt.Scale(domain=[0, y_max], nice=False),
                axis=alt.Axis(tickCount=2),
            ),
            color=alt.Color(
                "trust_type:N",
                title="Type of the successor trust",
                scale=alt.Scale(domain=TRUST_TYPES, range=[charts.ORG_COLOURS[k] for k in TRUST_TYPES]),
                legend=None,
            ),
            row=alt.Row(
                "trust_type:N",
                sort=TRUST_TYPES,
                title=None,
                header=alt.Header(
                    labelExpr="'Into ' + datum.value + ' trusts'",
                    labelAngle=0,
                    labelAlign="left",
                    labelAnchor="start",
                    labelOrient="top",
                    labelFontSize=DISSOLVED_FONT,
                ),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("trust_type:N", title="Successor type"),
                alt.Tooltip("sum(dissolved):Q", title="Codes dissolved"),
            ],
        )
        .properties(width=DISSOLVED_WIDTH, height=DISSOLVED_HEIGHT / len(TRUST_TYPES))
    )


def dissolved_alt_text(res: Results) -> str:
    """The description of :func:`dissolved_chart`."""
    total = res.dissolved_total
    return (
        "Bar chart of NHS trust codes dissolved into another trust each year from 2000 to 2026, one row of bars for "
        "each type of successor trust, named above its row. Peaks of "
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
    waves = vanguard_waves(res.tables["vanguards"])
    bars = (
        alt.Chart(by_type, title="By type and wave")
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("vanguards:Q", title="Vanguards"),
            color=alt.Color(
                "wave:N",
                title="Announcement wave",
                scale=alt.Scale(domain=waves, range=charts.PALETTE[:3]),
                legend=None,
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
    regions = vanguard_regions(res.tables["vanguards"])
    grid = alt.Chart(integ.vanguard_counts(res.tables["vanguards"])["region_type"], title="By region and type").encode(
        x=alt.X("type:N", sort=integ.VANGUARD_TYPES, title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("region:N", sort=[*regions.index, "multiple"], title=None),
    )
    cells = grid.mark_rect(stroke=charts.BACKGROUND_OUTLINE, strokeWidth=charts.MIN_OUTLINE_PX).encode(
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
        for w in vanguard_waves(vanguards)
        if (type_wave == w).any()
    )
    regions = vanguard_regions(vanguards)
    top = regions[regions == regions.iloc[0]].index
    return (
        f"Two charts of the {len(vanguards)} vanguards of 2015. Left: bars by type, coloured by announcement wave "
        f"({wave_text}). Right: a grid of counts by NHS region and type, with the most in "
        f"{' and in '.join(r if r == 'London' else 'the ' + r for r in top)}."
    )


EFFECT_KINDS = ["growth in the group", "difference from comparison", "change before and after", "forecast"]
EFFECT_COLOURS = [charts.PALETTE[0], charts.PALETTE[5], charts.PALETTE[1], charts.ORG_COLOURS["other"]]
EFFECT_SHAPES = ["circle", "diamond", "square", "triangle-down"]


#: the effects' axes run between multiples of this (percentage points), with room beyond the widest interval
EFFECT_AXIS_STEP = 5


def effects_domain(effects: pd.DataFrame) -> list[int]:
    """The percentage axis of a panel of effects: zero and every dot and whole interval, out to the
    next multiple of :data:`EFFECT_AXIS_STEP` beyond them (an interval never ends at the axis's
    edge, where it would look cut short)."""
    values = pd.concat([effects["effect_pct"], effects["ci_low_pct"], effects["ci_high_pct"]]).dropna()
    lo, hi = min(0.0, float(values.min())), max(0.0, float(values.max()))
    step = EFFECT_AXIS_STEP
    return [
        int(step * math.floor((lo - 1) / step)) if lo < 0 else 0,
        int(step * math.ceil((hi + 1) / step)) if hi > 0 else 0,
    ]


def effects_ticks(domain: list[int]) -> list[int]:
    """The labelled values of an axis of effects: zero and every multiple of 5, 10, 20, 25 or 50
    within ``domain`` (the least step that leaves at most five labels), preferring a step that
    labels both ends, so that a reader sees the axis runs past the widest interval (Fig 4.5's
    Wakefield interval, −45 to −2, on an axis labelled −50, −25, 0)."""
    lo, hi = domain
    steps = [s for s in (5, 10, 20, 25, 50) if (hi - lo) // s + 1 <= 5]
    step = next((s for s in steps if lo % s == 0 and hi % s == 0), steps[0])
    return [v for v in range(lo, hi + 1) if v % step == 0]


def _effects_panel(effects: pd.DataFrame, title: str, x_title: str) -> alt.LayerChart:
    """Published percentages as dots with their 95% intervals, coloured and shaped by kind, on an
    axis that holds every interval whole (:func:`effects_domain`)."""
    order = effects.sort_values("effect_pct")["label"].tolist()
    domain = effects_domain(effects)
    base = alt.Chart(effects, title=title).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
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
        x=alt.X(
            "effect_pct:Q",
            title=x_title,
            scale=alt.Scale(domain=domain, nice=False),
            axis=alt.Axis(values=effects_ticks(domain)),
        ),
        color=alt.Color(
            "kind:N", title="What the number is", scale=alt.Scale(domain=EFFECT_KINDS, range=EFFECT_COLOURS)
        ),
        shape=alt.Shape(
            "kind:N", title="What the number is", scale=alt.Scale(domain=EFFECT_KINDS, range=EFFECT_SHAPES)
        ),
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=charts.BACKGROUND_OUTLINE).encode(x="x:Q")
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
        .configure_legend(orient="bottom", columns=1, labelLimit=0)
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


#: document-sharing sites that keep copies of official papers: never printed as a source's address
#: (the references cite such a work by publisher, title and date, saying no official copy was found)
DOCUMENT_MIRRORS = ("fdocuments.in", "dokumen.tips", "vdocuments.site")


def official_address(url):
    """``url``, or ``None`` where it is a copy on a document-sharing site (:data:`DOCUMENT_MIRRORS`)."""
    return None if isinstance(url, str) and any(host in url for host in DOCUMENT_MIRRORS) else url


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
    table["estimate_text"] = table["estimate_text"].map(integ.pounds).map(formatting.year_spans)
    table["outcome"] = table["outcome"].map(formatting.year_spans)
    table["source_url"] = table["source_url"].map(official_address)
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
    panels = labelled_mergers(res.bed_panels)
    long = pd.concat(
        [
            panels.assign(series=BED_SERIES[0], value=panels["index"]),
            panels.assign(series=BED_SERIES[1], value=panels["england_index"]),
        ],
        ignore_index=True,
    )
    long["quarter"] = long["quarter_end"].dt.to_period("Q").astype(str)
    long["panel"] = long["merger"].map(lambda m: wrapped_title(m, 16))
    order = [wrapped_title(m, 16) for m in labelled_mergers(res.bed_summary).sort_values("merger_date")["merger"]]
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
    table = labelled_mergers(res.bed_summary).sort_values("merger_date")
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
        alt.Chart()
        .mark_area(fillOpacity=0.25, color=charts.PALETTE[0], stroke=charts.PALETTE[0], strokeWidth=1)
        .encode(x=x, y=alt.Y("lo:Q", title=None), y2="hi:Q")
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
                subtitle="Change from the last full year before the merger (year −1); 0 is the year it took effect",
            )
        )
    )


def event_alt_text(res: Results) -> str:
    """The description of :func:`event_chart`."""
    return (
        f"Five small charts, one per outcome, of the difference between {len(res.events)} merged trusts and comparison "
        "trusts of the same type, from three years before to three years after the merger, with 95% interval bands. "
        f"Three years after, managers were {event_reading(res, 'managers_fte', 3)}; the surplus was "
        f"{event_reading(res, 'surplus_pct', 3)}; operating cost was {event_reading(res, 'cost_gbp_k', 3)}; beds were "
        f"{event_reading(res, 'beds', 3)}."
    )
