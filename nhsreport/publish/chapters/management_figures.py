"""Chapter 2, management: the figures of its first two sections and its tables, one function for each.

The figures comparing systems, organisations, money, running costs and countries are in
:mod:`nhsreport.publish.chapters.management_comparisons`.

Each figure function takes the chapter's :class:`~nhsreport.publish.chapters.management.Management`
and returns ``(chart, description)``: the description (the figure's alt text) is written from the
same numbers the chart shows, so it follows the data. Label positions are named constants.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from nhsreport.formatting import month_year
from nhsreport.publish.chapters.management import HEADCOUNT_DATES, TYPE_LABELS, Management
from nhsreport.publish.components import charts
from nhsreport.publish.components.tables import Table

#: Grey of reference lines' labels.
NOTE_GREY = "#333"
#: Where the ratio chart's three breaks are named: the height (managers per 100 staff) of each
#: label, stepped down so the three do not collide, and the side of its rule it sits on.
RATIO_BREAKS = (
    ("2013-04-01", "Apr 2013: PCTs and SHAs abolished", 3.92, "left"),
    ("2020-03-01", "2019–20: managers shift to senior managers", 3.78, "right"),
    ("2022-07-01", "Jul 2022: ICBs replace CCGs", 3.64, "left"),
)
#: The ratio chart's vertical range (managers per 100 staff) and horizontal range, and its size.
RATIO_RANGE = [2, 4]
RATIO_DATES = ["2009-01-01", "2026-06-30"]
RATIO_SIZE = {"width": 560, "height": 330}
#: The breaks' labels: their size and how far they sit from their rule (pixels), and how far above
#: and below its baseline a label's box reaches (pixels), where another break's rule stops.
RATIO_LABEL_PX, RATIO_LABEL_DX, RATIO_LABEL_CLEAR_PX = 11, 4, 9
#: The axis of the bar chart by type (managers per 100 staff): to just past the commissioners' ratio
#: of 2017, with room for its label.
CLUSTER_RANGE = [0, 38]
#: The date of the 2019-20 recoding of managers, where the groups chart draws its rule.
RECODING = "2020-03-01"
#: The area chart's two marked changes: each rule's position on the year axis (between the
#: years on either side of it) with its label and the side the label sits on.
ORGTYPE_MARKS = (
    (2012.55, "2013: PCTs and SHAs\nabolished; CCGs and\nCSUs begin", "right"),
    (2015.5, "From 2016: trusts\nand CCGs only", "left"),
)


def _hundreds(x) -> str:
    return f"{round(float(x), -2):,.0f}"


def _ratio_points(ch: Management) -> pd.DataFrame:
    """The ratio chart's points: this report's FTE snapshots and the King's Fund's published figures."""
    pubv = ch.published_values
    notes = {
        ch.first: "Includes all doctors",
        ch.last_annual: "Includes all doctors",
        ch.latest: "Excludes resident doctors",
    }
    snapshots = [
        {
            "date": d,
            "managers_per_100_staff": row["managers_per_100_staff"],
            "staff_per_manager": row["staff_per_manager"],
            "series": "FTE, this report",
            "note": notes[d],
        }
        for d, row in zip(notes, ch.fte.values())
    ]
    kings_fund = [
        {
            "date": pd.Timestamp(f"{year}-01-01"),
            "managers_per_100_staff": 100 * pubv[managers] / pubv[staff],
            "staff_per_manager": pubv[staff] / pubv[managers],
            "series": "FTE, King's Fund (published)",
            "note": "Year as published; press report",
        }
        for year, managers, staff in ((2010, "A4c", "A4e"), (2025, "A4d", "A4f"))
    ]
    return pd.DataFrame(snapshots + kings_fund)


def break_rule_segments(breaks: pd.DataFrame) -> pd.DataFrame:
    """The ratio chart's rules, one per break (``date``), from the foot of the chart to its top,
    cut where they would cross another break's label (``label``, at height ``y`` beside its rule,
    on the side ``align`` names): one row per piece (``date``, ``y0``, ``y1``), so that no rule runs
    through a label, whatever the browser draws (a halo leaves gaps between words)."""
    from nhsreport.publish.components.charts.collisions import label_boxes, rule_pieces

    start, end = (pd.Timestamp(d) for d in RATIO_DATES)
    px = ((breaks["date"] - start).dt.total_seconds() / (end - start).total_seconds() * RATIO_SIZE["width"]).to_numpy()
    clear = RATIO_LABEL_CLEAR_PX * (RATIO_RANGE[1] - RATIO_RANGE[0]) / RATIO_SIZE["height"]
    boxes = label_boxes(px, breaks["label"], breaks["align"], breaks["y"], RATIO_LABEL_PX, RATIO_LABEL_DX, clear)
    n = len(breaks)
    rows = rule_pieces(px, breaks["date"], [RATIO_RANGE[0]] * n, [RATIO_RANGE[1]] * n, boxes)
    return pd.DataFrame(rows, columns=["date", "y0", "y1"])


def ratio_chart(ch: Management):
    """Managers per 100 staff: the headcount line, the FTE snapshots and the King's Fund's figures."""
    hc = ch.headcount
    pts = _ratio_points(ch)
    series = ["Headcount (line)", "FTE, this report", "FTE, King's Fund (published)"]
    col = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series, range=[charts.PALETTE[i] for i in (0, 5, 6)]),
        legend=alt.Legend(labelLimit=0),  # the series' names whole, never cut with "…"
    )
    yenc = alt.Y(
        "managers_per_100_staff:Q",
        title="Managers and senior managers per 100 staff",
        scale=alt.Scale(domain=RATIO_RANGE),
    )
    xenc = alt.X("date:T", title=None, scale=alt.Scale(domain=RATIO_DATES), axis=alt.Axis(format="%Y", tickCount=10))
    date_tip = alt.Tooltip("date:T", title="Date", format="%B %Y")
    ratio_tip = alt.Tooltip("managers_per_100_staff:Q", title="Managers per 100 staff", format=".2f")
    per_tip = alt.Tooltip("staff_per_manager:Q", title="Staff per manager", format=".1f")
    line = (
        alt.Chart(hc.assign(series="Headcount (line)"))
        .mark_line(point=alt.OverlayMarkDef(size=25))
        .encode(
            x=xenc,
            y=yenc,
            color=col,
            strokeDash=alt.value([1, 0]),  # one line, solid: its legend entry is the "stroke" shape below
            tooltip=[
                date_tip,
                ratio_tip,
                per_tip,
                alt.Tooltip("all_managers:Q", title="Managers (headcount)", format=",.0f"),
            ],
        )
    )
    points = (
        alt.Chart(pts)
        .mark_point(size=90, filled=True)
        .encode(
            x=xenc,
            y=yenc,
            color=col,
            # the legend draws the headcount as a line (a sample of it), the snapshots by their shapes
            shape=alt.Shape(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=["stroke", "square", "triangle-up"]),
                legend=alt.Legend(labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                date_tip,
                ratio_tip,
                per_tip,
                alt.Tooltip("note:N", title="Note"),
            ],
        )
    )
    chart = (_ratio_breaks() + line + points).properties(**RATIO_SIZE)
    return chart, _ratio_description(ch, pts)


def _ratio_breaks():
    """The series breaks of the chart of managers per 100 staff: dashed rules that stop short of
    the other breaks' labels, and the labels over white halos."""
    breaks = pd.DataFrame(
        [{"date": pd.Timestamp(d), "label": label, "y": y, "align": side} for d, label, y, side in RATIO_BREAKS]
    )
    ty = alt.Y("y:Q", scale=alt.Scale(domain=RATIO_RANGE))
    rules = (
        alt.Chart(break_rule_segments(breaks))
        .mark_rule(color="#888", strokeDash=[4, 3])
        .encode(x="date:T", y=alt.Y("y0:Q", scale=alt.Scale(domain=RATIO_RANGE)), y2="y1:Q")
    )
    # over a halo, so that the other break's rule stops at a label it passes
    labels = [
        charts.halo_text(
            alt.Chart(breaks[breaks["align"] == side]).encode(x="date:T", y=ty),
            "label:N",
            align=side,
            dx=dx,
            fontSize=RATIO_LABEL_PX,
            color=NOTE_GREY,
        )
        for side, dx in (("left", RATIO_LABEL_DX), ("right", -RATIO_LABEL_DX))
    ]
    return rules + (labels[0] + labels[1])


def _ratio_description(ch: Management, pts: pd.DataFrame) -> str:
    hcd = ch.headcount.set_index("date")["managers_per_100_staff"]

    def at(year):
        return f"{hcd.loc[pd.Timestamp(HEADCOUNT_DATES[year])]:.1f}"

    fte = pts[pts["series"] == "FTE, this report"]
    ratios = fte["managers_per_100_staff"]
    years = [str(d.year) for d in fte["date"]]
    if ratios.max() - ratios.min() < 0.1:  # within a tenth of each other: one value, "about"
        fte_text = f"about {ratios.mean():.1f} in {', '.join(years[:-1])} and {years[-1]}"
    else:
        fte_text = ", ".join(f"{v:.1f} in {y}" for v, y in zip(fte["managers_per_100_staff"], years))
    kf = pts[pts["series"] == "FTE, King's Fund (published)"]
    kf_text = " and ".join(f"{v:.1f} in {d.year}" for v, d in zip(kf["managers_per_100_staff"], kf["date"]))
    return (
        "Line chart of managers and senior managers per 100 staff in England, falling from about "
        f"{at('2009')} in 2009 to {at('2013')} in 2013, rising to {at('2019')} in 2019, dropping "
        f"to {at('2020')} in 2020 and reaching {at('2022')} in 2022; FTE points show {fte_text}, "
        f"and King's Fund figures of {kf_text}."
    )


def groups_chart(ch: Management):
    """Headcount of managers and of senior managers over time."""
    hc = ch.headcount
    grp = hc.melt(id_vars="date", value_vars=["managers", "senior_managers"], var_name="group", value_name="headcount")
    grp["group"] = grp["group"].map({"managers": "Managers", "senior_managers": "Senior managers"})
    lines = (
        alt.Chart(grp)
        .mark_line(point=alt.OverlayMarkDef(size=25))
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y")),
            y=alt.Y("headcount:Q", title="Headcount", axis=alt.Axis(format=",.0f")),
            color=alt.Color("group:N", title=None, scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1]])),
            tooltip=[
                alt.Tooltip("group:N", title="Staff group"),
                alt.Tooltip("date:T", title="Date", format="%B %Y"),
                alt.Tooltip("headcount:Q", title="Headcount", format=",.0f"),
            ],
        )
    )
    rule = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(RECODING)], "label": ["2019–20 recoding"]}))
    chart = (
        lines
        + rule.mark_rule(color="#888", strokeDash=[4, 3]).encode(x="date:T")
        + rule.mark_text(align="right", dx=-4, color=NOTE_GREY).encode(x="date:T", y=alt.value(8), text="label:N")
    ).properties(width=540, height=280)
    hcd = hc.set_index("date")

    def at(col, year):
        return _hundreds(hcd.loc[pd.Timestamp(HEADCOUNT_DATES[year]), col])

    description = (
        f"Two lines: managers fall from about {at('managers', '2009')} in 2009 to "
        f"{at('managers', '2013')} in 2013, recover to {at('managers', '2019')} in 2019 and drop to "
        f"{at('managers', '2020')} in 2020; senior managers fall from {at('senior_managers', '2009')} to "
        f"{at('senior_managers', '2013')} and then rise steadily to {at('senior_managers', '2022')} in "
        "2022, with a rise in 2020 when managers fell."
    )
    return chart, description


def _inside_labels(area: pd.DataFrame, order: list, y_top: float, height: int) -> pd.DataFrame:
    """Where to name each layer that ends before the last year: inside it, in the middle of the
    years when it was near its largest (three quarters or more)."""
    type_order = [TYPE_LABELS[o] for o in order]
    inside = []
    for o in order:
        rows = area[(area["org_type"] == o) & (area["managers_fte"] > 0)]
        if rows["year"].max() < area["year"].max():
            big = rows.loc[rows["managers_fte"] >= 0.75 * rows["managers_fte"].max(), "year"]
            mid = big.mean()
            at = int(big.iloc[(big - mid).abs().argmin()])
            pos = charts.stack_labels(
                area, "year", "managers_fte", "type_label", type_order, at=at, y_max=y_top, height_px=height
            )
            inside.append(pos[pos["type_label"] == TYPE_LABELS[o]].assign(year=mid))
    return pd.concat(inside, ignore_index=True)


def orgtype_chart(ch: Management):
    """Managers (FTE) by type of organisation, every September, stacked."""
    t = ch.fte_by_type
    order = ["SHA", "PCT", "CCG", "CSU/other", "acute", "mental health", "community", "ambulance"]
    type_order = [TYPE_LABELS[o] for o in order]
    area = t.assign(
        type_label=t["org_type"].map(TYPE_LABELS), stack_order=t["org_type"].map({o: i for i, o in enumerate(order)})
    )
    y_top = 10_000 * math.ceil(area.groupby("year")["managers_fte"].sum().max() * 1.1 / 10_000)
    height = 330
    chart = (
        alt.Chart(area)
        .mark_area(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "year:Q",
                title="September of each year",
                axis=alt.Axis(format="d", values=sorted(area["year"].unique())),
            ),
            y=alt.Y(
                "managers_fte:Q",
                title="Managers and senior managers (FTE)",
                stack="zero",
                axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(domain=[0, y_top]),
            ),
            color=alt.Color(
                "type_label:N",
                title=None,
                sort=type_order,
                scale=alt.Scale(domain=type_order, range=[charts.ORG_COLOURS[o] for o in order]),
                legend=None,
            ),
            order=alt.Order("stack_order:Q"),
            tooltip=[
                alt.Tooltip("type_label:N", title="Organisation type"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("managers_fte:Q", title="Managers (FTE)", format=",.0f"),
                alt.Tooltip("n_orgs:Q", title="Organisations"),
                alt.Tooltip("share:Q", title="Share of all", format=".1%"),
            ],
        )
    )
    # every type named on the chart: beside the last year if it is still there, otherwise inside its
    # layer (the legend's colours are not needed, and the chart reads in grey)
    beside = charts.stack_labels(area, "year", "managers_fte", "type_label", type_order, y_max=y_top, height_px=height)
    inside = alt.Chart(_inside_labels(area, order, y_top, height)).encode(
        x="year:Q", y="label_y:Q", text="type_label:N"
    )
    type_names = alt.Chart(beside).mark_text(align="left", dx=6, fontSize=12, color="#111111").encode(
        x="year:Q", y="label_y:Q", text="type_label:N"
    ) + charts.halo_text(inside, "type_label:N", fontSize=12, color="#111111")
    marks = pd.DataFrame(
        {
            "year": [m[0] for m in ORGTYPE_MARKS],
            "label": [m[1] for m in ORGTYPE_MARKS],
            "y": [y_top] * len(ORGTYPE_MARKS),
            "align": [m[2] for m in ORGTYPE_MARKS],
        }
    )
    marked = alt.Chart(marks).encode(x="year:Q", y="y:Q", text="label:N")
    chart = (
        chart
        + alt.Chart(marks).mark_rule(color=NOTE_GREY, strokeDash=[4, 3]).encode(x="year:Q")
        + marked.transform_filter("datum.align == 'right'").mark_text(
            align="right", dx=-4, fontSize=12, color=NOTE_GREY, lineBreak="\n", baseline="top"
        )
        + marked.transform_filter("datum.align == 'left'").mark_text(
            align="left", dx=4, fontSize=12, color=NOTE_GREY, lineBreak="\n", baseline="top"
        )
        + type_names
    ).properties(width=440, height=height)
    return chart, _orgtype_description(t)


def _orgtype_description(t: pd.DataFrame) -> str:
    fte = t.pivot_table(index="year", columns="org_type", values="managers_fte", aggfunc="sum")
    first, last = fte.index.min(), fte.index.max()
    pct_sha = round(fte.loc[first, ["PCT", "SHA"]].sum(), -3)
    gone = fte.index[fte[["PCT", "SHA"]].sum(axis=1) < 0.01 * pct_sha].min()
    ccg = fte["CCG"].dropna()
    csu = fte["CSU/other"].dropna()
    swell = csu.index[csu > csu.iloc[0] * 1.5]
    return (
        f"Stacked area chart of manager FTE by organisation type, {first} to {last}. PCT and SHA layers of about "
        f"{pct_sha:,.0f} FTE shrink to nothing in {gone} and are replaced by a much smaller CCG layer of about "
        f"{_hundreds(ccg.iloc[0])} rising to {_hundreds(ccg.iloc[-1])}; CSUs and national bodies swell in "
        f"{swell.min()} to {swell.max()} and leave the file in {csu.index.max() + 1}; acute trusts are the largest "
        f"layer throughout, growing from about {_hundreds(fte.loc[first, 'acute'])} to {_hundreds(fte.loc[last, 'acute'])}."
    )


def _share_names(sh2: pd.DataFrame, periods: list, type_order: list, height: int) -> pd.DataFrame:
    """Every type named beside the last bar in which it holds a visible share (1% or more)."""
    visible = sh2[sh2["share"] >= 0.01]
    last_seen = visible.loc[visible.groupby("type_label")["rank"].idxmax(), ["type_label", "period"]]
    names = []
    for period, shown in last_seen.groupby("period")["type_label"]:
        here = sh2["type_label"].isin(visible.loc[visible["period"] == period, "type_label"])
        pos = charts.stack_labels(
            sh2.assign(share=sh2["share"].where(here, 0)),
            "period",
            "share",
            "type_label",
            type_order,
            at=period,
            y_max=1,
            height_px=height,
        )
        names.append(pos[pos["type_label"].isin(shown)])
    return pd.concat(names, ignore_index=True)


def share_chart(ch: Management):
    """Each type's share of managers in selected years and at the latest snapshot."""
    order = ["SHA", "PCT", "CCG", "ICB", "acute", "mental health", "community", "ambulance"]
    type_order = [TYPE_LABELS[o] for o in order]
    sh = ch.shares
    sh2 = sh.assign(
        type_label=sh["org_type"].map(TYPE_LABELS), stack_order=sh["org_type"].map({o: i for i, o in enumerate(order)})
    )
    periods = list(dict.fromkeys(sh2["period"]))
    sh2["rank"] = sh2["period"].map({p: i for i, p in enumerate(periods)})
    height, bar_px = 260, 40
    xper = alt.X("period:N", title=None, sort=periods, axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(sh2)
        .mark_bar(size=bar_px, stroke="white", strokeWidth=charts.MIN_OUTLINE_PX)  # white edges between the layers
        .encode(
            x=xper,
            y=alt.Y("share:Q", title="Share of managers (FTE)", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color(
                "type_label:N",
                title=None,
                scale=alt.Scale(domain=type_order, range=[charts.ORG_COLOURS[o] for o in order]),
                legend=None,
            ),
            order=alt.Order("stack_order:Q"),
            tooltip=[
                alt.Tooltip("period:N", title="Date"),
                alt.Tooltip("type_label:N", title="Organisation type"),
                alt.Tooltip("managers_fte:Q", title="Managers (FTE)", format=",.0f"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )
    names = (
        alt.Chart(_share_names(sh2, periods, type_order, height))
        .mark_text(align="left", dx=bar_px / 2 + 4, fontSize=12, color="#111111")
        .encode(x=xper, y="label_y:Q", text="type_label:N")
    )
    chart = (bars + names).properties(width=480, height=height)
    comm = sh[sh["group"] == "commissioners"].groupby("period", sort=False)["share"].sum().reindex(periods)
    acute = sh[sh["org_type"] == "acute"].set_index("period")["share"].reindex(periods)
    reform = periods.index("Sep 2013")  # the year commissioners were reorganised
    after = comm.iloc[reform + 1 :]
    years = [p.split()[-1] for p in periods]
    description = (
        "Stacked 100 per cent columns of the share of managers by organisation type for "
        f"{', '.join(years[:-1])} and {years[-1]}, each type named beside the last column in which it appears. "
        f"Commissioners' share falls from about {100 * comm.iloc[0]:.0f} per cent in {years[0]} to "
        f"{100 * comm.iloc[reform]:.0f} per cent in {years[reform]} and is about {100 * after.min():.0f} to "
        f"{100 * after.max():.0f} per cent afterwards; acute trusts' share rises from {100 * acute.iloc[0]:.0f} to "
        f"about {100 * acute.iloc[-1]:.0f} per cent."
    )
    return chart, description


def cluster_chart(ch: Management):
    """Managers per 100 staff by type of organisation at the first and the latest snapshot."""
    first, latest = month_year(ch.first), month_year(ch.latest)
    cl = pd.concat(
        [ch.by_type_first.reset_index().assign(snapshot=first), ch.by_type_latest.reset_index().assign(snapshot=latest)]
    )
    commissioners = f"CCG ({ch.first.year}) / ICB ({ch.latest.year})"
    cl["type_label"] = cl["org_type"].map({**TYPE_LABELS, "CCG": commissioners, "ICB": commissioners})
    cl_order = ["Acute trust", "Community trust", "Mental health trust", "Ambulance trust", commissioners]
    base = alt.Chart(cl).encode(
        y=alt.Y("type_label:N", title=None, sort=cl_order),
        yOffset=alt.YOffset("snapshot:N", sort=[first, latest]),
        x=alt.X(
            "managers_per_100_staff:Q",
            title="Managers and senior managers per 100 staff (FTE)",
            scale=alt.Scale(domain=CLUSTER_RANGE),
        ),
        tooltip=[
            alt.Tooltip("org_type:N", title="Organisation type"),
            alt.Tooltip("snapshot:N", title="Date"),
            alt.Tooltip("managers_per_100_staff:Q", title="Managers per 100 staff", format=".2f"),
            alt.Tooltip("all_managers_fte:Q", title="Managers (FTE)", format=",.0f"),
            alt.Tooltip("staff_fte:Q", title="All staff (FTE)", format=",.0f"),
            alt.Tooltip("n_orgs:Q", title="Organisations"),
        ],
    )
    # the first year's bars hollow (white inside a dark outline), the latest filled: told apart in
    # greyscale and without colour (WCAG 1.4.1), the outline giving the hollow bars 3:1 (1.4.11)
    outline = charts.PALETTE[7]
    bars = base.mark_bar(stroke=outline, strokeWidth=1.5).encode(
        color=alt.Color(
            "snapshot:N",
            title=None,
            sort=[first, latest],
            scale=alt.Scale(range=["#FFFFFF", outline]),
            legend=alt.Legend(symbolStrokeColor=outline, symbolStrokeWidth=1.5, symbolType="square"),
        )
    )
    txt = base.mark_text(align="left", dx=3, fontSize=10).encode(
        text=alt.Text("managers_per_100_staff:Q", format=".1f")
    )
    chart = (bars + txt).properties(width=460, height=260)
    by17, by25 = ch.by_type_first["managers_per_100_staff"], ch.by_type_latest["managers_per_100_staff"]
    trusts = ", ".join(
        f"{TYPE_LABELS[t].lower()}s{' about' if i == 0 else ''} {by17[t]:.1f} and {by25[t]:.1f}"
        for i, t in enumerate(["acute", "community", "mental health", "ambulance"])
    )
    description = (
        f"Horizontal bar chart of managers per 100 staff by organisation type in {ch.first.year} and "
        f"{ch.latest.year}: {trusts}, and commissioners far higher at {by17['CCG']:.0f} (CCGs, {ch.first.year}) and "
        f"{by25['ICB']:.0f} (ICBs, {ch.latest.year})."
    )
    return chart, description


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------


def comparison_table(ch: Management) -> Table:
    """Published counts of managers beside this report's figures."""
    tab = ch.comparison
    is_ratio = tab["figure"].str.startswith("Staff per manager")

    def shown(values):
        return [f"{v:,.1f}" if ratio else f"{v:,.0f}" for v, ratio in zip(values, is_ratio)]

    tab = tab.assign(Source=tab["publisher"], Published=shown(tab["published"]), Ours=shown(tab["ours"]))
    tab = tab[["figure", "Source", "Published", "Ours", "basis", "source_url"]].rename(
        columns={"figure": "Figure", "Ours": "This report", "basis": "Our basis"}
    )
    return Table(
        tab, links={"Source": "source_url"}, caption="Published counts of NHS managers and this report's figures"
    )


def by_type_table(ch: Management) -> Table:
    """Managers by type of organisation at the first and the latest snapshot."""
    two = pd.concat(
        [
            ch.by_type_first.reset_index().assign(snapshot=month_year(ch.first)),
            ch.by_type_latest.reset_index().assign(snapshot=month_year(ch.latest)),
        ]
    )
    two = two.assign(type_label=two["org_type"].map(TYPE_LABELS))
    two = two[["snapshot", "type_label", "n_orgs", "all_managers_fte", "managers_per_org", "managers_per_100_staff"]]
    two = two.rename(
        columns={
            "snapshot": "Date",
            "type_label": "Type of organisation",
            "n_orgs": "Organisations",
            "all_managers_fte": "Managers (FTE)",
            "managers_per_org": "Managers per organisation",
            "managers_per_100_staff": "Managers per 100 staff",
        }
    )
    return Table(
        two,
        decimals={"Managers (FTE)": 0, "Managers per organisation": 0, "Managers per 100 staff": 1},
        caption=f"Managers by type of organisation, {ch.first.year} and {ch.latest.year}",
    )


def systems_table(ch: Management) -> Table:
    """Managers by integrated care system at the latest snapshot, ranked."""
    columns = {
        "rank": "Rank",
        "icb_name": "System",
        "managers_fte": "Managers (FTE)",
        "managers_per_100_staff": "Per 100 staff",
        "trust_managers_per_100_staff": "Trusts only, per 100 staff",
        "managers_per_100k_population": "Per 100,000 people",
    }
    return Table(
        ch.density[list(columns)].rename(columns=columns),
        decimals={"Managers (FTE)": 0, "Per 100 staff": 1, "Trusts only, per 100 staff": 1, "Per 100,000 people": 0},
        caption=(
            f"Managers and senior managers by integrated care system of 2022, {month_year(ch.latest)}: each ICB "
            "with the NHS trusts the workforce statistics assign to its system"
        ),
    )


def associations_table(ch: Management) -> Table:
    """Each measure of management against trusts' surpluses: correlation and regression."""
    assoc = ch.associations
    shown = assoc.assign(
        corr=[f"{r:.2f} ({lo:.2f} to {hi:.2f})" for r, lo, hi in zip(assoc["rho"], assoc["rho_lo"], assoc["rho_hi"])],
        reg=[
            f"{c:+.2f} ({lo:+.2f} to {hi:+.2f})"
            for c, lo, hi in zip(assoc["coef_per_sd"], assoc["coef_lo"], assoc["coef_hi"])
        ],
    )[["label", "corr", "reg", "n", "n_trusts"]].rename(
        columns={
            "label": "Measure of management",
            "corr": "Rank correlation with surplus (95% interval)",
            "reg": "Surplus per standard deviation, points (95% interval)",
            "n": "Trust-years",
            "n_trusts": "Trusts",
        }
    )
    return Table(shown, caption="Measures of management and trusts' surpluses: associations")


def robustness_table(ch: Management) -> Table:
    """The association of management with trusts' surpluses under other specifications."""
    rob = ch.robustness
    shown = pd.DataFrame(
        {
            "Specification": rob["label"],
            "Measure of association": [
                "Surplus per standard deviation, points" if k == "regression" else "Rank correlation"
                for k in rob["kind"]
            ],
            "Estimate (95% interval)": [
                f"{e:{f}} ({lo:{f}} to {hi:{f}})"
                for e, lo, hi, f in zip(
                    rob["estimate"], rob["lo"], rob["hi"], ["+.2f" if k == "regression" else ".2f" for k in rob["kind"]]
                )
            ],
            "Trust-years": [f"{n:,}" for n in rob["n"]],
        }
    )
    return Table(shown, caption="Management and trusts' surpluses: other specifications")


def outliers_table(ch: Management) -> Table:
    """The trusts whose own managers per 100 staff lie far above most trusts' (left out in the
    robustness check of the spread between systems)."""
    out = pd.DataFrame(ch.spread_robustness["outliers"])
    shown = pd.DataFrame(
        {
            "Trust": out["org_name"],
            "Type": out["org_type"].map(TYPE_LABELS),
            "Managers per 100 staff": [f"{v:.1f}" for v in out["managers_per_100_staff"]],
        }
    ).sort_values("Managers per 100 staff", key=lambda s: s.astype(float), ascending=False)
    return Table(shown.reset_index(drop=True), caption="Trusts far above most trusts in managers per 100 staff")
