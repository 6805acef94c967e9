"""Chapter 2, management: the figures that compare systems, organisations, money, running
costs and countries, one function for each.

Each takes the chapter's :class:`~nhsreport.publish.chapters.management.Management` and returns
``(chart, description)``, the description written from the numbers the chart shows.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from nhsreport import data
from nhsreport.analysis import finance, systems
from nhsreport.formatting import month_year, short_month_year
from nhsreport.publish.chapters.management import MONEY_YEAR, Management, half_running_cost
from nhsreport.publish.chapters.management_figures import NOTE_GREY
from nhsreport.publish.components import charts
from nhsreport.publish.components.maplabels import label_points, named_areas, names_beside

#: The organisation types of the heft, density and wider-definition figures, in their order.
HEFT_TYPES = ["acute", "mental health", "community", "ambulance", "CCG", "ICB"]
#: Height (px) of each system's row in the dot plot of systems, and of each ICB's (with England's)
#: in the dumbbell chart of running costs.
ROW_PX = 15
RCA_ROW_PX = 14
#: The running-cost axis (£ per head): from zero to just past the £25 cap on CCGs' running costs.
RCA_RANGE = [0, 27]


def ics_dots_chart(ch: Management):
    """Managers per 100 staff in each system's trusts and ICB, and in its trusts alone, ranked;
    the systems the highlighted board was formed from (if any) ringed."""
    dd = ch.density.assign(label=ch.density["icb_name"])
    long = dd.melt(
        id_vars=["icb_code", "label", "region_name", "rank", "managers_per_100k_population", "n_trusts"],
        value_vars=["managers_per_100_staff", "trust_managers_per_100_staff"],
        var_name="measure",
        value_name="value",
    )
    long["measure"] = long["measure"].map(
        {"managers_per_100_staff": "Trusts and ICB", "trust_managers_per_100_staff": "Trusts only"}
    )
    measures = ["Trusts and ICB", "Trusts only"]
    sort = list(dd.sort_values("managers_per_100_staff", ascending=False)["label"])
    ybase = alt.Y("label:N", title=None, sort=sort, axis=alt.Axis(labelLimit=340))
    rules = (
        alt.Chart(dd)
        .mark_rule(color=charts.BACKGROUND_OUTLINE)
        .encode(y=ybase, x="trust_managers_per_100_staff:Q", x2="managers_per_100_staff:Q")
    )
    dots = (
        alt.Chart(long)
        .mark_point(filled=True, size=55)
        .encode(
            y=ybase,
            x=alt.X(
                "value:Q",
                title=["Managers and senior managers per 100 staff", f"(FTE), {month_year(ch.latest)}"],
                axis=alt.Axis(values=list(range(math.ceil(long["value"].max()) + 1)), format=".0f"),
            ),
            color=alt.Color(
                "measure:N", title=None, scale=alt.Scale(domain=measures, range=[charts.PALETTE[0], charts.PALETTE[1]])
            ),
            shape=alt.Shape("measure:N", title=None, scale=alt.Scale(domain=measures, range=["circle", "triangle"])),
            tooltip=[
                alt.Tooltip("label:N", title="System"),
                alt.Tooltip("measure:N", title="Organisations"),
                alt.Tooltip("value:Q", title="Managers per 100 staff", format=".2f"),
                alt.Tooltip("rank:Q", title="Rank (trusts and ICB)"),
                alt.Tooltip("managers_per_100k_population:Q", title="Managers per 100,000 people", format=".0f"),
                alt.Tooltip("n_trusts:Q", title="Trusts"),
                alt.Tooltip("region_name:N", title="Region"),
            ],
        )
    )
    england = ch.fte[str(ch.latest.year)]["managers_per_100_staff"]
    eng = alt.Chart(pd.DataFrame({"x": [england], "label": ["England"]}))
    layers = [
        rules,
        dots,
        eng.mark_rule(color=NOTE_GREY, strokeDash=[4, 3]).encode(x="x:Q"),
        eng.mark_text(align="left", dx=3, dy=-6, fontSize=12, color=NOTE_GREY).encode(
            x="x:Q", y=alt.value(0), text="label:N"
        ),
    ]
    ringed = dd[dd["icb_code"].isin(ch.board_systems)]
    if len(ringed):
        layers.append(
            alt.Chart(ringed)
            .mark_point(shape="circle", size=260, strokeWidth=2, color="#111111", filled=False)
            .encode(y=ybase, x="managers_per_100_staff:Q", tooltip=[alt.Tooltip("label:N", title="System")])
        )
    chart = alt.layer(*layers).properties(width=340, height=len(dd) * ROW_PX)
    top, bottom = dd.loc[dd["managers_per_100_staff"].idxmax()], dd.loc[dd["managers_per_100_staff"].idxmin()]
    lower = (dd["trust_managers_per_100_staff"] < dd["managers_per_100_staff"]).sum()
    where = "in every system" if lower == len(dd) else f"in {lower} of the {len(dd)} systems"
    description = (
        f"Dot plot of the {len(dd)} integrated care systems ranked by managers per 100 staff in their trusts and ICB "
        f"in {month_year(ch.latest)}, from about {top['managers_per_100_staff']:.1f} in {top['icb_name']} down to "
        f"{bottom['managers_per_100_staff']:.1f} in {bottom['icb_name']}, with a second marker for trusts alone, which "
        f"is lower {where}, and a dashed line at the England figure of {england:.1f}."
    )
    if len(ringed):
        description += f" The systems that formed {ch.board_name} are ringed: {', '.join(ringed['icb_name'])}."
    return chart, description


#: How far east of England's eastern edge (degrees of longitude) a name that does not fit its
#: area is written on the map.
BESIDE_MAP = 0.15


def ics_map(ch: Management):
    """A map of the 42 systems shaded by managers per 100 staff, the extremes named."""
    dens = ch.density
    shaded = (
        alt.Chart(charts.boundaries("geo_icb_2022"))
        .mark_geoshape(**charts.MAP_BORDER)
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(
                dens,
                "icb_gss_code",
                ["icb_name", "managers_per_100_staff", "managers_per_100k_population", "rank", "region_name"],
            ),
        )
        .encode(
            color=alt.Color(
                "managers_per_100_staff:Q",
                title="Managers per 100 staff",
                scale=alt.Scale(scheme=charts.SEQUENTIAL_MAP),
                legend=alt.Legend(orient="right", format=".1f"),
            ),
            tooltip=[
                alt.Tooltip("icb_name:N", title="System"),
                alt.Tooltip("region_name:N", title="Region"),
                alt.Tooltip("managers_per_100_staff:Q", title="Managers per 100 staff", format=".2f"),
                alt.Tooltip("managers_per_100k_population:Q", title="Managers per 100,000 people", format=".0f"),
                alt.Tooltip("rank:Q", title="Rank (1 = most)"),
            ],
        )
    )
    # the systems with the most and the fewest managers per 100 staff, named (the text compares them); a
    # London system is too small to hold its name, which goes beside the map
    ends = dens.loc[[dens["managers_per_100_staff"].idxmax(), dens["managers_per_100_staff"].idxmin()]]
    small = ends["region_name"] == "London"
    chart = (
        (
            shaded
            + named_areas(
                "geo_icb_2022", pd.DataFrame({"code": ends["icb_gss_code"], "label": ends["icb_name"]})[~small]
            )
            + names_beside(
                label_points("geo_icb_2022", ends.loc[small, "icb_gss_code"], ends.loc[small, "icb_name"]),
                systems.extent(data.geo("geo_icb_2022"))[2] + BESIDE_MAP,
            )
        )
        .project("mercator")
        .properties(width=480, height=520)
    )
    description = (
        f"Map of England's {len(dens)} integrated care systems shaded by managers per 100 staff in "
        f"{month_year(ch.latest)}; the darkest areas are in London and the East of England, the lightest in the "
        "South West and the Midlands; the systems with the most and the fewest managers per 100 staff are named."
    )
    return chart, description


def _by_period_rows(chart: alt.Chart, field: str, sort: list) -> alt.Chart:
    return chart.encode(
        row=alt.Row(f"{field}:N", title=None, sort=sort, header=alt.Header(labelAngle=0, labelAlign="left"))
    )


def _type_colour() -> alt.Color:
    return alt.Color(
        "org_type:N",
        title="Type",
        legend=None,
        scale=alt.Scale(domain=HEFT_TYPES, range=[charts.ORG_COLOURS[t] for t in HEFT_TYPES]),
    )


def heft_chart(ch: Management):
    """Managers per organisation by type: box plots in four years."""
    years = ch.heft_years
    periods = [str(y) for y in years[:-1]] + [short_month_year(ch.latest)]
    hp = ch.per_org[ch.per_org["period"].isin(periods)].copy()
    hp["commissioner"] = hp["org_type"].isin(["CCG", "ICB"])
    chart = (
        alt.Chart(hp)
        .mark_boxplot(extent="min-max", size=14)
        .encode(
            y=alt.Y("org_type:N", title="Type", axis=alt.Axis(title=None), sort=HEFT_TYPES),
            x=alt.X(
                "managers_fte:Q",
                title="Managers and senior managers per organisation (FTE, log scale)",
                scale=alt.Scale(type="log", domain=[1, 1000], clamp=True),
            ),
            color=_type_colour(),
        )
    )
    chart = _by_period_rows(chart, "period", periods).properties(width=500, height=110)
    median = ch.heft["median"]
    first, ccg_first, ccg_last, latest = years[0], years[1], years[2], years[3]
    description = (
        f"Box plots of managers per organisation by type in September {', '.join(periods[:-1])} and "
        f"{month_year(ch.latest)}, on a log scale. "
        f"The median CCG had {median[(ccg_first, 'CCG')]:.0f} managers in {ccg_first} and "
        f"{median[(ccg_last, 'CCG')]:.0f} in {ccg_last}; the median ICB had {median[(latest, 'ICB')]:.0f} "
        f"in {latest}; the median acute trust {median[(first, 'acute')]:.0f} in {first} and "
        f"{median[(latest, 'acute')]:.0f} in {latest}."
    )
    return chart, description


def org_density_chart(ch: Management):
    """Managers per 100 staff of each trust, CCG and ICB, at the first and the latest snapshot."""
    dens = ch.org_density
    snapshots = [short_month_year(ch.first), short_month_year(ch.latest)]
    chart = (
        alt.Chart(dens)
        .mark_tick(thickness=1.5, size=16, opacity=1)
        .encode(
            y=alt.Y("org_type:N", title=None, sort=HEFT_TYPES),
            x=alt.X(
                "managers_per_100_staff:Q",
                title="Managers and senior managers per 100 staff (FTE, log scale)",
                scale=alt.Scale(type="log", domain=[0.5, 100], clamp=True),
            ),
            color=_type_colour(),
            tooltip=[
                alt.Tooltip("org_name:N", title="Organisation"),
                alt.Tooltip("org_type:N", title="Type"),
                alt.Tooltip("managers_fte:Q", title="Managers (FTE)", format=",.0f"),
                alt.Tooltip("managers_per_100_staff:Q", title="Per 100 staff", format=".2f"),
            ],
        )
    )
    chart = _by_period_rows(chart, "snapshot", snapshots).properties(width=500, height=110)
    median = dens.groupby(["date", "org_type"])["managers_per_100_staff"].median()
    description = (
        "Strip plots of managers per 100 staff in each trust, CCG and ICB, "
        f"{month_year(ch.first)} and {month_year(ch.latest)}, log scale. "
        f"Trusts cluster between about 1 and 6 per 100; the median CCG had {median[(ch.first, 'CCG')]:.0f} and the "
        f"median ICB {median[(ch.latest, 'ICB')]:.0f}."
    )
    return chart, description


def wider_chart(ch: Management):
    """Managers per 100 staff by type, on the narrow definition and with central functions added."""
    wl = ch.wider.reset_index()
    wl = wl[wl["org_type"] != "England"].melt(
        id_vars=["date", "org_type"],
        value_vars=["narrow_per_100", "wide_per_100"],
        var_name="definition",
        value_name="per_100",
    )
    definitions = ["Managers and senior managers", "Adding central functions"]
    wl["definition"] = wl["definition"].map(dict(zip(["narrow_per_100", "wide_per_100"], definitions)))
    wl["snapshot"] = wl["date"].map(short_month_year)
    chart = (
        alt.Chart(wl)
        .mark_point(filled=True, size=70)
        .encode(
            y=alt.Y("org_type:N", title=None, sort=HEFT_TYPES),
            x=alt.X(
                "per_100:Q",
                title="Managers per 100 staff (FTE, log scale)",
                scale=alt.Scale(type="log", domain=[1, 100], clamp=True),
            ),
            shape=alt.Shape(
                "definition:N", title=None, scale=alt.Scale(domain=definitions, range=["circle", "square"])
            ),
            color=alt.Color(
                "definition:N",
                title=None,
                scale=alt.Scale(domain=definitions, range=[charts.PALETTE[0], charts.PALETTE[5]]),
                legend=alt.Legend(labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("org_type:N", title="Type"),
                alt.Tooltip("definition:N", title="Definition"),
                alt.Tooltip("per_100:Q", title="Per 100 staff", format=".2f"),
            ],
        )
    )
    snapshots = [short_month_year(ch.first), short_month_year(ch.latest)]
    chart = _by_period_rows(chart, "snapshot", snapshots).properties(width=500, height=110)
    e17, e25 = ch.wider.loc[(ch.first, "England")], ch.wider.loc[(ch.latest, "England")]
    description = (
        "Dot chart of managers per 100 staff by organisation type on the narrow definition and with central functions "
        f"added, {month_year(ch.first)} and {month_year(ch.latest)}. In England the narrow ratio was "
        f"{e17['narrow_per_100']:.1f} and {e25['narrow_per_100']:.1f}, the wider one {e17['wide_per_100']:.1f} and "
        f"{e25['wide_per_100']:.1f}; acute trusts are the least densely managed on both."
    )
    return chart, description


def consultants_chart(ch: Management):
    """Managers per consultant in trusts, every September."""
    mpc = ch.per_consultant
    shown = ["All trusts", "acute", "mental health"]
    chart = (
        alt.Chart(mpc[mpc["org_type"].isin(shown)])
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("managers_per_consultant:Q", title="Managers per consultant (FTE)", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "org_type:N",
                title=None,
                scale=alt.Scale(
                    domain=shown, range=["#444444", charts.ORG_COLOURS["acute"], charts.ORG_COLOURS["mental health"]]
                ),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="September"),
                alt.Tooltip("org_type:N", title="Trusts"),
                alt.Tooltip("managers_per_consultant:Q", title="Managers per consultant", format=".2f"),
                alt.Tooltip("n_trusts:Q", title="Trusts"),
            ],
        )
        .properties(height=260)
    )
    mpi = mpc.set_index(["year", "org_type"])["managers_per_consultant"]
    first, last = int(mpc["year"].min()), int(mpc["year"].max())
    names = {"All trusts": "all trusts", "acute": "acute trusts", "mental health": "mental health trusts"}
    lines = ", ".join(f"{names[t]} from {mpi[(first, t)]:.2f} to {mpi[(last, t)]:.2f}" for t in shown)
    return chart, f"Line chart of managers per consultant in NHS trusts, {first} to {last}: {lines}."


def sector_chart(ch: Management):
    """The trust sector's net position each year (bars) and the share of trusts in deficit (line)."""
    sec = ch.sector
    sp = sec.reset_index()
    year = alt.X("label:O", title=None)
    bars = (
        alt.Chart(sp)
        .mark_bar()
        .encode(
            x=year,
            y=alt.Y("net_bn:Q", title="Net surplus or deficit (£bn, cash)"),
            color=alt.condition(alt.datum.net_bn < 0, alt.value(charts.PALETTE[5]), alt.value(charts.PALETTE[0])),
            tooltip=[
                alt.Tooltip("label:N", title="Year"),
                alt.Tooltip("net_bn:Q", title="Net position (£bn)", format=".2f"),
                alt.Tooltip("cost_bn:Q", title="Operating cost (£bn)", format=".1f"),
                alt.Tooltip("n_trusts:Q", title="Trusts"),
            ],
        )
        .properties(width=560, height=180)
    )
    in_deficit = (
        alt.Chart(sp)
        .mark_line(point=True, color="#444444")
        .encode(
            x=year,
            y=alt.Y(
                "share_deficit:Q", title="Trusts in deficit", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Year"),
                alt.Tooltip("share_deficit:Q", title="In deficit", format=".0%"),
                alt.Tooltip("n_deficit:Q", title="Trusts in deficit"),
            ],
        )
        .properties(width=560, height=150)
    )
    first, worst = sec.index.min(), sec["net_bn"].idxmin()
    description = (
        "Bar chart of the NHS trust sector's net financial position by year, from a surplus of "
        f"£{sec.loc[first, 'net_bn']:.2f}bn in {sec.loc[first, 'label']} to a deficit of £{-sec.loc[worst, 'net_bn']:.2f}bn "
        f"in {sec.loc[worst, 'label']}, and a line of the share of trusts in deficit, from "
        f"{sec.loc[first, 'share_deficit']:.0%} to {sec.loc[worst, 'share_deficit']:.0%}."
    )
    return alt.vconcat(bars, in_deficit), description


#: The scatter's vertical range: surpluses and deficits beyond it (% of operating cost) are drawn at its edge.
SURPLUS_SHOWN = (-15, 15)


def money_chart(ch: Management):
    """Managers per £10m of operating cost against the surplus, each trust in one year."""
    year = ch.panel[ch.panel["year"] == MONEY_YEAR]
    p17 = year.assign(surplus_shown=lambda d: d["surplus_pct"].clip(*SURPLUS_SHOWN))
    chart = (
        alt.Chart(p17)
        .mark_circle(size=40, opacity=1, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "managers_per_10m:Q",
                title="Managers per £10m of operating cost (log scale)",
                scale=alt.Scale(type="log"),
            ),
            y=alt.Y(
                "surplus_shown:Q",
                title="Surplus or deficit, % of operating cost",
                scale=alt.Scale(domain=list(SURPLUS_SHOWN)),
            ),
            color=alt.Color(
                "org_type:N",
                title=None,
                scale=alt.Scale(
                    domain=list(finance.TRUST_TYPES), range=[charts.ORG_COLOURS[t] for t in finance.TRUST_TYPES]
                ),
            ),
            tooltip=[
                alt.Tooltip("org_name:N", title="Trust"),
                alt.Tooltip("org_type:N", title="Type"),
                alt.Tooltip("managers_fte:Q", title="Managers (FTE)", format=",.0f"),
                alt.Tooltip("managers_per_10m:Q", title="Per £10m", format=".2f"),
                alt.Tooltip("surplus_pct:Q", title="Surplus, % of cost", format=".1f"),
            ],
        )
        .properties(width=560, height=300)
    )
    right = p17.groupby("org_type")["managers_per_10m"].median().idxmax()
    description = (
        f"Scatter plot of {len(p17)} NHS trusts in {MONEY_YEAR}/{(MONEY_YEAR + 1) % 100:02d}: managers per £10m of "
        "operating cost against the surplus or deficit as a share of operating cost, coloured by trust type. The "
        f"points form a wide cloud; {right} trusts sit to the right, with more managers per pound."
    )
    return chart, description


def running_cost_chart(ch: Management):
    """Each ICB's running cost allowance per head in the first and the last year (a dumbbell)."""
    rca, eng_rca, pubv = ch.running_costs, ch.england_running_costs, ch.published_values
    years = list(eng_rca["financial_year"])
    england = "England (all ICBs)"
    ends = rca[rca["financial_year"].isin([years[0], years[-1]])][
        ["icb_name", "region_code", "financial_year", "rca_gbp", "population", "gbp_per_head"]
    ]
    e = eng_rca[eng_rca["financial_year"].isin([years[0], years[-1]])].assign(icb_name=england, region_code="")
    ends = pd.concat([ends, e[ends.columns]], ignore_index=True)
    last = ends[(ends["financial_year"] == years[-1]) & (ends["icb_name"] != england)]
    srt = [england] + list(last.sort_values("gbp_per_head", ascending=False)["icb_name"])
    wide = ends.pivot(index="icb_name", columns="financial_year", values="gbp_per_head").reset_index()
    wide.columns = ["icb_name", "first", "last"]
    yb = alt.Y("icb_name:N", title=None, sort=srt, axis=alt.Axis(labelLimit=0, labelFontSize=10))
    seg = (
        alt.Chart(wide).mark_rule(color=charts.BACKGROUND_OUTLINE, strokeWidth=2).encode(y=yb, x="last:Q", x2="first:Q")
    )
    pts = (
        alt.Chart(ends)
        .mark_point(filled=True, size=55)
        .encode(
            y=yb,
            x=alt.X(
                "gbp_per_head:Q", title="Running cost allowance, £ per head (cash)", scale=alt.Scale(domain=RCA_RANGE)
            ),
            color=alt.Color(
                "financial_year:N",
                title=None,
                scale=alt.Scale(domain=[years[0], years[-1]], range=[charts.PALETTE[4], charts.PALETTE[0]]),
            ),
            tooltip=[
                alt.Tooltip("icb_name:N", title="ICB"),
                alt.Tooltip("financial_year:N", title="Year"),
                alt.Tooltip("gbp_per_head:Q", title="£ per head", format=".2f"),
                alt.Tooltip("rca_gbp:Q", title="Allowance (£)", format=",.0f"),
                alt.Tooltip("population:Q", title="Allocation population", format=",.0f"),
            ],
        )
    )
    refs = pd.DataFrame(
        {"x": [pubv["C1a"], half_running_cost(ch)], "label": ["CCG cap, 2013/14", f"Half of {years[-1]}"]}
    )
    rr = alt.Chart(refs)
    chart = (
        seg
        + pts
        + rr.mark_rule(color=NOTE_GREY, strokeDash=[4, 3]).encode(x="x:Q")
        + rr.mark_text(align="right", dx=-3, dy=-6, fontSize=10, color=NOTE_GREY).encode(
            x="x:Q", y=alt.value(0), text="label:N"
        )
    ).properties(width=340, height=len(srt) * RCA_ROW_PX)
    return chart, _running_cost_description(wide[wide["icb_name"] != england], eng_rca, years, pubv["C1a"])


def _running_cost_description(icbs: pd.DataFrame, eng_rca: pd.DataFrame, years: list, cap: float) -> str:
    def pounds(x, step):
        return f"£{round(x / step) * step:.2f}".replace(".00", "")

    falls = "every ICB falls" if (icbs["last"] < icbs["first"]).all() else "most ICBs fall"
    eng = eng_rca["gbp_per_head"]
    return (
        f"Dumbbell chart of each ICB's running cost allowance per head in {years[0]} and {years[-1]}: {falls}, from "
        f"about {pounds(icbs['first'].min(), 1)} to {pounds(icbs['first'].max(), 1)} to about "
        f"{pounds(icbs['last'].min(), 0.5)} to {pounds(icbs['last'].max(), 0.5)}; England falls from about "
        f"{pounds(eng.iloc[0], 0.1)} to {pounds(eng.iloc[-1], 0.1)}. Dashed reference lines mark the "
        f"{pounds(cap, 1)} CCG cap of 2013/14 and half of the {years[-1]} England figure."
    )


def international_chart(ch: Management):
    """Published shares of health spending that go on administration, one panel for each family of definitions."""
    ic = ch.international
    fams = [
        "OECD-type: governance and financing administration",
        "England: national administration budget",
        "Broad estimates of management and administration",
    ]
    # one panel for each family of definitions, named in its header (the definitions are not comparable)
    chart = (
        alt.Chart(ic)
        .mark_bar()
        .encode(
            y=alt.Y(
                "short_label:N",
                title=None,
                sort=alt.EncodingSortField("share_pct", order="descending"),
                axis=alt.Axis(labelLimit=400),
            ),
            x=alt.X("share_pct:Q", title="Administration, % of health spending (as published)"),
            color=alt.Color(
                "family:N",
                title=None,
                scale=alt.Scale(domain=fams, range=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[6]]),
                legend=None,
            ),
            row=alt.Row(
                "family:N",
                title=None,
                sort=fams,
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelPadding=2
                ),
            ),
            tooltip=[
                alt.Tooltip("short_label:N", title="Estimate"),
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("year:N", title="Year"),
                alt.Tooltip("share_pct:Q", title="Share (%)", format=".1f"),
                alt.Tooltip("family:N", title="Definition"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("source_title:N", title="Source"),
                alt.Tooltip("confidence:N", title="Confidence"),
            ],
        )
        .properties(width=260, height=alt.Step(16))
        .resolve_scale(y="independent")
    )
    share = ch.international_share
    england = ic[ic["family"] == fams[1]].set_index("year")["share_pct"]
    broad = ic.loc[ic["family"] == fams[2], "share_pct"]
    description = (
        "Horizontal bar chart of published shares of health spending that go on administration: OECD-type measures "
        f"from {share('United Kingdom', 'chpi2017admin', below=2):g} per cent for the UK and "
        f"{share('Iceland', 'hagenaars2018admin'):g} for Iceland to {share('OECD average', 'hagenaars2018admin'):g} "
        f"for the OECD average and about {share('United States', 'hagenaars2018admin'):.0f} for the United States; "
        f"England's national administration budget at {england['2010-11']:g} per cent in 2010-11 and "
        f"{england['2013-14']:g} in 2013-14; and broad estimates of management and administration of "
        f"{broad.min():g} to {broad.max():g} per cent."
    )
    return chart, description
