"""System profiles: one HTML page per integrated care board of 1 April 2026, an index of the 36
with a map and a sortable table, the "where do I fit?" finder's index, a CSV of each profile's
figures and the boards' PDF briefings.

Everything is generated in one process by :func:`generate`, which the Sphinx extension calls
when an HTML build starts (:mod:`nhsreport.publish.book.sphinxext`): the pages are written as MyST Markdown
into ``book/systems/`` (not committed; HTML only, excluded from the PDF book) and read by Sphinx
like any other page. The figures come from the boards' records
(:func:`nhsreport.analysis.board_facts.board_record`), which the briefings print too, and the charts from the shared briefing graphics
(:mod:`nhsreport.publish.briefing.graphics`), drawn once for all boards, with each board highlighted in
its own copy (the static fallback) and in its Vega-Lite spec (the interactive chart).

Outputs are rewritten only when their content changes, and the whole step is skipped when its
inputs (the datasets, this code, the briefing code) have not changed since the last build.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
from pathlib import Path

import pandas as pd

from nhsreport import atomic, paths
from nhsreport.analysis import board_facts, boards
from nhsreport.formatting import fmt_1dp, fmt_gbp, fmt_int, fmt_pct, month_year, ordinal, period_text
from nhsreport.publish.briefing import graphics
from nhsreport.publish.components import board_text, words
from nhsreport.publish.components.charts import chart_element, compact_svg
from nhsreport.publish.pages.profile_inputs import (
    BRIEFINGS,
    FINDER_FILE,
    INDEX_MARKER,
    PAGE_DIR,
    STAMP,
    inputs_key,
    is_current,
)

__all__ = [
    "PAGE_DIR",
    "INDEX_MARKER",
    "FINDER_FILE",
    "generate",
    "profile_rows",
    "index_markdown",
    "finder_index",
    "inputs_key",
]

DOWNLOADS = "downloads/systems"
HIGHLIGHT = graphics.HIGHLIGHT
BASE_FILL = graphics.BASE_FILL


def _esc(x) -> str:
    return html.escape(str(x), quote=True)


# ---------------------------------------------------------------------------------------------
# charts: drawn once (spec + static SVG), highlighted per board
# ---------------------------------------------------------------------------------------------


def _base_charts(ctx) -> dict[str, tuple[dict, str]]:
    """(Vega-Lite spec, SVG) of the shared charts: ``map`` (districts by board), ``density``,
    ``rca`` and ``population`` (the 36 boards ranked), and ``index_map`` (boards shaded by
    managers per 100 staff, each area a link to its profile)."""

    def build():
        alt, charts = graphics.themed_altair()
        b = graphics.board_frame(ctx)
        eng = ctx.boards_england
        out = {}
        m = graphics.board_map(alt, charts, ctx, width=300, height=360)
        bars = {
            "density": graphics.rank_bars(
                alt, b, "managers_per_100_staff", "Managers per 100 staff", eng["managers_per_100_staff"], ".1f"
            ),
            "rca": graphics.rank_bars(alt, b, "rca_per_head", "\u00a3 per head", eng["rca_per_head"], ".0f"),
            "population": graphics.rank_bars(
                alt,
                b.assign(population_m=b["population"] / 1e6),
                "population_m",
                "Million people",
                eng["population"] / 1e6 / len(b),
                ".1f",
            ),
        }
        for k, c in [("map", m)] + [(k, c.properties(width=560, height=150)) for k, c in bars.items()]:
            spec = c.to_dict()
            out[k] = (spec, graphics.render_svg(c))
        d = graphics.district_frame(ctx).merge(
            b[["icb_code", "managers_per_100_staff"]], left_on="icb_2026_code", right_on="icb_code"
        )
        d["url"] = d["icb_2026_code"].map(lambda c: f"book/systems/{c}.html")  # from the site root (vega's base URL)
        geo = alt.Data(
            url=charts.GEO_URL.format(name="geo_lad_2022"), format=alt.DataFormat(type="topojson", feature="areas")
        )
        im = (
            alt.Chart(geo)
            .mark_geoshape(stroke="white", strokeWidth=0.25, cursor="pointer")
            .transform_lookup(
                lookup="properties.code",
                from_=alt.LookupData(d, "lad_code", ["icb_2026_name", "managers_per_100_staff", "url", "lad_name"]),
            )
            .encode(
                color=alt.Color(
                    "managers_per_100_staff:Q",
                    title="Managers per 100 staff",
                    scale=alt.Scale(scheme=charts.SEQUENTIAL),
                    legend=alt.Legend(orient="right", direction="vertical", gradientLength=160),
                ),
                href="url:N",
                tooltip=[
                    alt.Tooltip("icb_2026_name:N", title="Board"),
                    alt.Tooltip("lad_name:N", title="District"),
                    alt.Tooltip("managers_per_100_staff:Q", title="Managers per 100 staff", format=".1f"),
                ],
            )
            .project("mercator")
            .properties(width=440, height=520)
        )
        out["index_map"] = (im.to_dict(), graphics.render_svg(im))
        return {k: {"spec": s, "svg": v} for k, (s, v) in out.items()}

    raw = graphics.cached_bundle("profile-charts", graphics.BOARD_INPUTS + ("geo_lad_2022",), build)
    # compacted once, keeping the marks' labels that each profile's highlight looks for
    return {k: (v["spec"], compact_svg(v["svg"], keep_labels=True)) for k, v in raw.items()}


def _highlight_spec(spec: dict, code: str, kind: str) -> dict:
    """The shared spec with board ``code``'s marks in the highlight colour and a tooltip."""
    s = copy.deepcopy(spec)
    test = f"datum.key === 'icb:{code}'"
    colour = {"condition": {"test": test, "value": HIGHLIGHT}, "value": BASE_FILL}
    if kind == "map":
        s["encoding"] = dict(
            s.get("encoding", {}),
            fill=colour,
            tooltip=[
                {"field": "lad_name", "type": "nominal", "title": "District"},
                {"field": "icb_2026_name", "type": "nominal", "title": "Board"},
            ],
        )
    else:
        layer = s["layer"][0]
        value = layer["encoding"]["y"]["field"]
        layer["encoding"]["color"] = colour
        layer["encoding"]["tooltip"] = [
            {"field": "icb_name", "type": "nominal", "title": "Board"},
            {"field": value, "type": "quantitative", "format": ".2f"},
        ]
        # a marker above the board's bar, so that it is found by shape as well as by colour
        marker = {
            "mark": {
                "type": "text",
                "text": "\u25bc",
                "baseline": "bottom",
                "dy": -2,
                "fontSize": 12,
                "color": "#000000",
            },
            "transform": [{"filter": test}],
            "encoding": {"x": layer["encoding"]["x"], "y": layer["encoding"]["y"]},
        }
        if "data" in layer:
            marker["data"] = layer["data"]
        s["layer"].append(marker)
    return s


def _chart(base, code: str, kind: str, alt_text: str, long_text: str) -> str:
    spec, svg = base[kind]
    return chart_element(
        _highlight_spec(spec, code, kind),
        graphics.highlight(svg, code),
        f"system-{code}-{kind}",
        alt_text,
        long_text,
        compacted=True,
    )


# ---------------------------------------------------------------------------------------------
# one profile
# ---------------------------------------------------------------------------------------------


def profile_rows(ctx, code: str) -> list[dict]:
    """Every figure of the profile of board ``code``, one row each (the profile's CSV):
    ``section, figure, value, unit, as_of, rank, of, england, estimate, source``."""
    rows = []
    rec = ctx.records[code]
    when = {k: p.iso for k, p in ctx.periods.items()}
    text = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    src = {
        "population": f"ONS {text['population']} population estimates",
        "managers_per_100_staff": f"NHS England, NHS Workforce Statistics ({text['staff']}); ODS trust file "
        f"({text['trusts_file']})",
        "rca_per_head": f"NHS England, ICB allocations {text['allowances']}",
        "n_trusts": f"ODS trust file ({text['trusts_file']})",
        "n_districts": "ONS LSOA (2011) to CCG and district (2021) lookup",
        "share_districts_whole": "ONS LSOA (2011) to CCG and district (2021) lookup",
        "n_practices": f"NHS Digital, GP practice mapping ({text['practices']})",
    }
    for h in rec.headlines:
        rows.append(
            {
                "section": "headline",
                "figure": h["label"],
                "value": h["value"],
                "unit": h["unit"],
                "as_of": h["period"].iso,
                "rank": h["rank"],
                "of": h["n"],
                "england": h["england"],
                "estimate": h["estimate"],
                "source": src[h["key"]],
            }
        )
    for t in rec.trusts:
        for fig, v in (("staff (FTE)", t["staff"]), ("managers per 100 staff", t["per100"])):
            rows.append(
                {
                    "section": f"trust {t['org_code']}",
                    "figure": f"{t['trust']}: {fig}",
                    "value": v,
                    "unit": "FTE" if fig.startswith("staff") else "per 100 FTE staff",
                    "as_of": when["staff"],
                    "rank": "",
                    "of": "",
                    "england": "",
                    "estimate": False,
                    "source": "NHS England, NHS Workforce Statistics",
                }
            )
    lb = ctx.lad_boards[ctx.lad_boards["icb_2026_code"] == code]
    for r in lb.itertuples():
        rows.append(
            {
                "section": f"district {r.lad_code}",
                "figure": f"{r.lad_name}: share of its LSOAs in the board",
                "value": float(r.share_of_lad_lsoas),
                "unit": "share",
                "as_of": when["boards"],
                "rank": "",
                "of": "",
                "england": "",
                "estimate": False,
                "source": "ONS LSOA (2011) to CCG and district (2021) lookup",
            }
        )

    def row(section, figure, value, unit, as_of, source, estimate=False):
        return {
            "section": section,
            "figure": figure,
            "value": value,
            "unit": unit,
            "as_of": as_of,
            "rank": "",
            "of": "",
            "england": "",
            "estimate": estimate,
            "source": source,
        }

    src = (
        f"ONS {text['population']} population estimates; 2026 parts: ODS {text['trusts_file']} and the ICB "
        f"table's method"
    )
    for p in rec.predecessors:
        section = f"2022 board {p['icb_code']}"
        rows.append(
            row(
                section,
                f"{p['icb_name']}: share of it in this board",
                p["share"],
                "share",
                when["boards"],
                src,
                estimate=p["divided"],
            )
        )
        rows.append(row(section, f"{p['icb_name']}: population", p["population"], "people", when["population"], src))
    gp = rec.practices
    src = f"NHS Digital, GP practice mapping ({text['practices']})"
    rows.append(row("practices", "primary care networks", gp["n_networks"], "networks", when["practices"], src))
    rows.append(
        row(
            "practices",
            "practices whose CCG area is divided between boards",
            gp["n_uncertain"],
            "practices",
            when["practices"],
            src,
        )
    )
    rows.append(
        row(
            "trusts",
            "trusts headquartered elsewhere serving the area",
            len(rec.partner_trusts),
            "trusts",
            when["partners"],
            f"ODS, STP partner mapping ({text['partners']})",
        )
    )
    return rows


def profile_csv(ctx, code: str) -> bytes:
    buf = io.StringIO()
    rows = profile_rows(ctx, code)
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _table(
    caption: str, headers: list[str], rows: list[list], numeric: set[int] = frozenset(), sortable: bool = False
) -> str:
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    body = []
    for r in rows:
        cells = []
        for j, c in enumerate(r):
            raw, text = c if isinstance(c, tuple) else (None, c)
            attrs = (' class="num"' if j in numeric else "") + (f' data-sort="{_esc(raw)}"' if raw is not None else "")
            tag = "th" if j == 0 else "td"
            scope = ' scope="row"' if j == 0 else ""
            cells.append(f"<{tag}{scope}{attrs}>{text}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls = ' class="nhs-sortable"' if sortable else ' class="nhs-profile-table"'
    return (
        f'<div class="nhs-table-wrap"><table{cls}><caption>{_esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _raw(block: str) -> str:
    return "```{raw} html\n" + block + "\n```\n"


def profile_markdown(ctx, code: str, base) -> str:
    """The MyST source of the profile page of board ``code``."""
    rec = ctx.records[code]
    row = rec.figures
    name = rec.name
    heads = rec.headlines
    hk = {h["key"]: h for h in heads}
    n = len(ctx.boards)
    staff_month = month_year(ctx.staff_date)
    when = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    peers = rec.peers
    n_peers = words.number_words(len(peers))
    out = ["---", "orphan: true", "---", "", f"(system-{code})=", f"# {name}", ""]
    formed = when["boards"] if rec.formed == ctx.periods["boards"].date else "1 July 2022"
    out.append(
        _raw(
            f'<p class="nhs-profile-meta">Integrated care board from {when["boards"]} · ODS code <strong>{_esc(code)}</strong>'
            f" · {_esc(row['region_name'])} region · code in use since {formed}.</p>"
            f'<p class="nhs-profile-downloads"><strong>Downloads:</strong> '
            f'<a href="../../_static/{BRIEFINGS}/{_esc(code)}.pdf">briefing for {_esc(name)} (PDF)</a> · '
            f'<a href="../../_static/{DOWNLOADS}/{_esc(code)}.csv">every figure on this page (CSV)</a> · '
            f'<a href="../systems.html">all {n} systems</a></p>'
        )
    )
    out += ["## Headline figures", ""]
    out.append(
        _raw(
            _table(
                f"Headline figures of {name} with its rank among the {n} boards (1 = largest) and the England value",
                ["Figure", "Value", f"Rank of {n}", "England", "Unit", "As of", "Note"],
                [
                    [
                        _esc(h["label"]),
                        _esc(h["text"]),
                        _esc(ordinal(h["rank"])),
                        _esc(h["england_text"]),
                        _esc(h["unit"]),
                        _esc(period_text(h["period"].date, h["period"].precision)),
                        "estimate" if h["estimate"] else "",
                    ]
                    for h in heads
                ],
                numeric={1, 2, 3},
            )
        )
    )
    out.append(
        "England: totals for counts; all managers over all staff, and the total allowance over the total "
        "allocation population, for the rates; for districts, the share of England's districts lying wholly in "
        "one board. "
        + (
            f"*Estimate*: this board took in part of a 2022 board divided on {when['boards']}, whose "
            "ICB staff and allowance are apportioned by population (or by LSOAs for Frimley)."
            if bool(row["estimate"])
            else ""
        )
        + "\n"
    )
    out += [f"## Where it stands among the {n} boards", ""]
    for kind, h, what in (
        ("density", hk["managers_per_100_staff"], "managers per 100 staff"),
        ("rca", hk["rca_per_head"], "running cost allowance per head"),
        ("population", hk["population"], "population"),
    ):
        alt_text = (
            f"Bar chart ranking the {n} boards by {what}, highest first: {name} is {words.rank_text(h['rank'], n)}, "
            f"with {h['text']} (England {h['england_text'] if kind != 'population' else 'average ' + fmt_int(h['england'] / n)})."
        )
        caption = {
            "density": f"Managers and senior managers per 100 staff (FTE, {staff_month}), board and the trusts "
            f"headquartered in its area; dashed line: England.",
            "rca": f"Running cost allowance per head of allocation population, {when['allowances']}, summed over the "
            "predecessor boards; dashed line: England. A cap on running costs, not spending.",
            "population": f"Population, ONS {when['population']} estimates; dashed line: the average board.",
        }[kind]
        out.append(
            _raw(
                '<figure class="nhs-profile-figure">'
                + _chart(base, code, kind, alt_text, f"{alt_text} {caption} The table lists the value of every board.")
                + f"<figcaption>{_esc(caption)} {_esc(name)} highlighted (and marked \u25bc in the interactive chart).</figcaption></figure>"
            )
        )
    out += [
        "### Against its peers",
        "",
        f"Peers are the {n_peers} boards closest to {name} in population (on a logarithmic scale, so that a board of "
        f"one million is as near one of two million as one of half a million).",
        "",
    ]
    peer_rows = []
    for c in [code] + peers:
        r = ctx.boards.loc[c]
        label = _esc(r["icb_2026_name"]) if c == code else f'<a href="{_esc(c)}.html">{_esc(r["icb_2026_name"])}</a>'
        peer_rows.append(
            [
                label + (" (this board)" if c == code else ""),
                (int(r["population"]), fmt_int(r["population"])),
                (round(float(r["managers_per_100_staff"]), 4), fmt_1dp(r["managers_per_100_staff"])),
                (round(float(r["rca_per_head"]), 4), fmt_gbp(r["rca_per_head"])),
                (int(r["n_trusts"]), str(int(r["n_trusts"]))),
            ]
        )
    out.append(
        _raw(
            _table(
                f"{name} and its {n_peers} peers by population",
                ["Board", "Population", "Managers per 100 staff", "Allowance per head", "Trusts"],
                peer_rows,
                numeric={1, 2, 3, 4},
                sortable=True,
            )
        )
    )
    out += ["## Who it is", ""]
    out.append(board_text.board_change(rec, when["boards"]) + "\n")
    pred_rows = [
        [
            _esc(p["icb_name"]),
            _esc(p["icb_code"]),
            _esc(p["gss_code"]),
            _esc(fmt_pct(p["share"])),
            _esc(fmt_int(p["population"])),
        ]
        for p in rec.predecessors
    ]
    out.append(
        _raw(
            _table(
                f"The 2022 boards {name} came from",
                [
                    "2022 board",
                    "ODS code",
                    "ONS code",
                    "Share of it in this board",
                    f"Its population ({when['population']})",
                ],
                pred_rows,
                numeric={3, 4},
            )
        )
    )
    out.append(
        _raw(
            '<figure class="nhs-profile-figure nhs-profile-map">'
            + _chart(
                base,
                code,
                "map",
                f"Map of England by local authority district with the districts of {name} highlighted.",
                f"Each of England's {ctx.boards_england['n_districts']} districts (2021) is drawn in the board holding most of its small areas; the "
                f"{int(row['n_districts'])} districts with part of their area in {name} are highlighted. The table lists "
                f"every district with its board.",
            )
            + f"<figcaption>{_esc(name)} (highlighted) among the {n} boards, drawn from 2021 districts; "
            f"{words.number_words(ctx.boards_england['n_split_districts'])} districts split between boards are drawn in the board holding most of them.</figcaption></figure>"
        )
    )
    out += ["## Population and councils", ""]
    lb = rec.districts.sort_values("lad_name", kind="mergesort")
    cot = (
        "coterminous with district boundaries: every district it touches lies wholly inside it"
        if bool(row["coterminous"])
        else f"not coterminous: {int(row['n_part'])} of its districts are shared with another board"
    )
    out.append(
        f"{hk['population']['text']} people (ONS {when['population']}{', estimate' if hk['population']['estimate'] else ''}) "
        f"in {int(row['n_districts'])} local authority districts. The board is {cot}.\n"
    )
    out.append(
        _raw(
            _table(
                f"Local authority districts of {name} (2021), counted in LSOAs",
                ["District", "ONS code", "Share of the district in this board", "Shared with another board"],
                [
                    [
                        _esc(r.lad_name),
                        _esc(r.lad_code),
                        _esc(fmt_pct(r.share_of_lad_lsoas)),
                        "yes" if r.lad_split else "no",
                    ]
                    for r in lb.itertuples()
                ],
                numeric={2},
            )
        )
    )
    ut = rec.councils.sort_values("upper_name", kind="mergesort")
    n_split = int(ut["split"].sum())
    out.append(
        f"Adult social care is run by the upper tier: {len(ut)} counties and unitary authorities have part of their "
        f"area in {name}, "
        + (f"{n_split} of them shared with another board." if n_split else "each of them wholly inside it.")
        + "\n"
    )
    out.append(
        _raw(
            _table(
                f"Upper-tier councils (counties and unitary authorities) of {name}, counted in LSOAs",
                ["Council", "ONS code", "Type", "Share of the council in this board", "Shared with another board"],
                [
                    [
                        _esc(r.upper_name),
                        _esc(r.upper_code),
                        _esc(r.upper_type),
                        _esc(fmt_pct(r.share)),
                        "yes" if r.split else "no",
                    ]
                    for r in ut.itertuples()
                ],
                numeric={3},
            )
        )
    )
    out += ["## NHS trusts", ""]
    trusts = rec.trusts
    out.append(
        f"{len(trusts)} NHS trusts open on {when['boards']} have their headquarters in the area (ODS, "
        f"{when['trusts_file']}). "
        f"Staff and managers are from the workforce statistics of {staff_month}.\n"
    )
    out.append(
        _raw(
            _table(
                f"NHS trusts headquartered in {name}",
                ["Trust", "ODS code", "Type", "Staff (FTE)", "Managers per 100 staff"],
                [
                    [
                        _esc(t["trust"]),
                        _esc(t["org_code"]),
                        _esc(t["type"]),
                        _esc(t["staff_text"]),
                        _esc(t["per100_text"]),
                    ]
                    for t in trusts
                ],
                numeric={3, 4},
            )
        )
    )
    partners = rec.partner_trusts
    out += ["### Trusts serving the area from elsewhere", ""]
    out.append(
        f"{len(partners)} trusts headquartered in another board were partners, in {when['partners']}, of a system whose area "
        f"is now wholly or partly in {name} (ODS partner mapping; partnerships may have changed since).\n"
    )
    if partners:
        out.append(
            _raw(
                _table(
                    f"Trusts headquartered elsewhere that serve {name}",
                    ["Trust", "ODS code", "Type", "Headquarters in"],
                    [[_esc(t["trust"]), _esc(t["org_code"]), _esc(t["type"]), _esc(t["hq_board"])] for t in partners],
                )
            )
        )
    out += ["## GP practices", ""]
    gp = rec.practices
    uncertain = gp["n_uncertain"]
    out.append(
        f"{gp['n']:,} GP practices in {gp['n_networks']:,} primary care networks ({when['practices']}, the "
        f"latest practice file the report holds; practices placed by their CCG's area)."
        + (
            f" {uncertain} of them were in a CCG area later divided between boards and may belong to a "
            f"neighbouring board."
            if uncertain
            else ""
        )
        + " The file gives no patient numbers.\n"
    )
    out += ["## Integration arrangements recorded in the area", ""]
    arr = rec.arrangements
    if arr:
        out.append(
            _raw(
                _table(
                    f"Named integration arrangements in the area of {name} (curated examples, not a census)",
                    ["Arrangement", "Form", "Start", "Status", "Source"],
                    [
                        [
                            _esc(a["arrangement"]),
                            _esc(a["form"]),
                            _esc(a["start"]),
                            _esc(a["status"]),
                            f'<a href="{_esc(a["source_url"])}">{_esc(a["source_title"])}</a>',
                        ]
                        for a in arr
                    ],
                )
            )
        )
    else:
        out.append(board_text.ARRANGEMENT_TEXTS["no_arrangements"] + "\n")
    out += [f"## What changed in 2022 and {ctx.periods['boards'].date.year}", ""]
    for p in rec.predecessors:
        out.append(
            f"- **{p['icb_name']}** ({p['icb_code']}), set up on 1 July 2022: "
            f"{board_text.predecessor_change(p, when['boards'])}"
        )
    out.append("")
    out += ["## Caveats", ""]
    out += [
        "- Official figures below England are published for the 42 boards of 2022; this board's figures add up its "
        "predecessors', and the parts of a board divided in 2026 are apportioned by population (by LSOAs for "
        "Frimley), which makes them estimates.",
        "- A trust is counted in the board of its headquarters, although many serve several boards.",
        f"- Staff totals of {ctx.staff_date.year} exclude resident doctors; managers are the two ESR groups \u201cmanagers\u201d and "
        "\u201csenior managers\u201d (FTE).",
        "- The running cost allowance is a cap on running costs, not spending, in cash terms.",
        "",
    ]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# the index of systems and the finder
# ---------------------------------------------------------------------------------------------


def index_markdown(ctx, base) -> str:
    """The index of systems: the finder and the map (HTML only), and the table of all boards (a
    sortable table in HTML, a typeset one in the PDF book). The same source serves both builders
    (they share one environment): HTML-only parts are raw HTML, the PDF table an ``only`` block."""
    b = ctx.boards
    eng = ctx.boards_england
    n = len(b)
    from nhsreport.publish.components.tables import Table

    when = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    staff_short = f"{when['staff'][:3]} {ctx.staff_date.year}"

    im_spec, im_svg = base["index_map"]
    alt_text = (
        f"Map of England's {n} integrated care boards of {when['boards']}, drawn by district and shaded by managers "
        f"per 100 staff, from {fmt_1dp(b['managers_per_100_staff'].min())} to "
        f"{fmt_1dp(b['managers_per_100_staff'].max())}; select an area to open its profile."
    )
    long_map = (
        f"{alt_text} Each of England's {eng['n_districts']} districts (2021) is drawn in the board holding most of "
        f"its small areas and shaded by that board's managers per 100 staff (FTE, {when['staff']}, the board with the trusts "
        f"headquartered in its area). The table lists every district with its board and figure."
    )
    finder = (
        '<form class="nhs-finder" role="search" onsubmit="return false;">'
        '<label for="nhs-finder-input">Find a trust, council or GP practice</label> '
        '<input type="search" id="nhs-finder-input" autocomplete="off" spellcheck="false" maxlength="200" '
        'aria-describedby="nhs-finder-help" aria-controls="nhs-finder-results" '
        'placeholder="e.g. Leeds, RR8, Y02933 or a postcode">'
        '<p id="nhs-finder-help" class="nhs-finder-help">Type a trust name or ODS code, a council name, or a GP practice '
        f"name, code or postcode. The answer is the board or boards of {when['boards']}.</p>"
        '<div id="nhs-finder-results" class="nhs-finder-results" role="status" aria-live="polite"></div></form>'
    )
    rows = []
    for c, r in b.sort_values("icb_2026_name").iterrows():
        rows.append(
            [
                f'<a href="systems/{_esc(c)}.html">{_esc(r["icb_2026_name"])}</a>',
                _esc(c),
                _esc(r["region_name"]),
                (int(r["population"]), fmt_int(r["population"]) + ("*" if r["population_estimate"] else "")),
                (
                    round(float(r["managers_per_100_staff"]), 4),
                    fmt_1dp(r["managers_per_100_staff"]) + ("*" if r["estimate"] else ""),
                ),
                (round(float(r["rca_per_head"]), 4), fmt_gbp(r["rca_per_head"]) + ("*" if r["estimate"] else "")),
                (int(r["n_trusts"]), str(int(r["n_trusts"]))),
                (int(r["n_districts"]), str(int(r["n_districts"]))),
                "yes" if r["coterminous"] else "no",
            ]
        )
    headers = [
        "Board",
        "Code",
        "Region",
        f"Population ({when['population']})",
        f"Managers per 100 staff ({staff_short})",
        f"Allowance per head ({when['allowances']})",
        "Trusts",
        "Districts",
        "Coterminous",
    ]
    # the PDF book prints the same table, cell for cell (names without their links)
    plain = [
        [str(b.loc[c, "icb_2026_name"])] + [x[1] if isinstance(x, tuple) else x for x in r[1:]]
        for c, r in zip(b.sort_values("icb_2026_name").index, rows)
    ]
    pdf_table = Table(
        pd.DataFrame(plain, columns=headers), caption=f"The {n} integrated care boards of {when['boards']} (* estimate)"
    )._repr_markdown_()
    table = _table(
        f"The {n} integrated care boards of {when['boards']} (* estimate); select a column header to sort",
        headers,
        rows,
        numeric={3, 4, 5, 6, 7},
        sortable=True,
    )
    return "\n".join(
        [
            _raw(
                '<h2 id="where-do-i-fit">Where do I fit?</h2>' + finder + '<h2 id="the-map">The map</h2>'
                f'<figure class="nhs-profile-figure nhs-systems-map">{chart_element(im_spec, im_svg, "systems-map", alt_text, long_map, compacted=True, links=True)}'
                f"<figcaption>Managers and senior managers per 100 staff (FTE, {when['staff']}) of each board with the "
                f"trusts headquartered in it; England {_esc(fmt_1dp(eng['managers_per_100_staff']))}. Select an area, "
                f"or tab to it and press Enter, to open its profile. Drawn from 2021 districts.</figcaption></figure>"
            ),
            "## All boards",
            "",
            _raw(table),
            "````{only} latex",
            "The HTML edition has a profile page for each of these boards, a map and a finder; the boards' PDF "
            "briefings are their printed form.",
            "",
            pdf_table,
            "````",
            "",
            f"{eng['n_below_floor']} of the {n} boards have fewer than {fmt_int(boards.FLOOR)} people, the floor "
            f"planning guidance set for merged boards ([chapter 3](03_systems.ipynb)), and {eng['n_coterminous']} are "
            f"coterminous with district boundaries. An asterisk marks an estimate: a figure that apportions a 2022 board "
            f"divided in 2026, or the population of an area whose boundary moved in July 2022 (counted before the move).",
            "",
        ]
    )


def finder_index(ctx) -> dict:
    """The finder's index: ``boards`` (code -> [name, page under book/]) and ``items``, each
    ``[kind, code, name, postcode, [board codes]]``, kind one of ``board`` (2026), ``board2022``,
    ``trust`` (board of its headquarters), ``council`` (districts and unitary authorities, every
    board with part of its area, largest first) and ``practice`` (September 2020; several boards
    where its CCG's area was divided)."""
    b = ctx.boards
    out = {"boards": {c: [str(r["icb_2026_name"]), f"systems/{c}.html"] for c, r in b.iterrows()}, "items": []}
    items = out["items"]
    for c, r in b.iterrows():
        items.append(["board", c, str(r["icb_2026_name"]), "", [c]])
    parts = boards.board_parts(ctx.icbs)
    for code, g in parts.groupby("icb_code", sort=True):
        g = g.sort_values("share", ascending=False, kind="mergesort")
        items.append(["board2022", code, str(g["icb_name"].iloc[0]), "", list(g["icb_2026_code"])])
    open26 = ctx.open_trusts
    from nhsreport.analysis.systems import tidy_trust_name

    served = ctx.trusts_served
    for r in open26.sort_values("org_code").itertuples():
        items.append(["trust", r.org_code, tidy_trust_name(r.org_name), "", served[r.org_code]])
    lb = ctx.lad_boards.sort_values(["lad_code", "n_lsoas"], ascending=[True, False], kind="mergesort")
    for code, g in lb.groupby("lad_code", sort=True):
        items.append(["council", code, str(g["lad_name"].iloc[0]), "", list(g["icb_2026_code"])])
    ut = ctx.upper_tier[ctx.upper_tier["upper_type"] == "county"]
    for code, g in ut.groupby("upper_code", sort=True):
        items.append(["council", code, f"{g['upper_name'].iloc[0]} County Council", "", list(g["icb_2026_code"])])
    for r in ctx.practices.itertuples():
        items.append(
            [
                "practice",
                r.practice_code,
                " ".join(str(r.practice_name).split()),
                "" if pd.isna(r.postcode) else str(r.postcode),
                str(r.icb_2026_codes).split(";"),
            ]
        )
    return out


# ---------------------------------------------------------------------------------------------
# the whole step
# ---------------------------------------------------------------------------------------------


def _write_if_changed(target: Path, blob: bytes) -> bool:
    if target.exists() and target.read_bytes() == blob:
        return False
    atomic.write_bytes(target, blob)
    return True


def generate(
    static_dir: Path, root: Path | None = None, briefings: bool = True, force: bool = False, key: str | None = None
) -> dict:
    """Write the profile pages (``book/systems/<code>.md``), their CSVs and briefings (under
    ``static_dir/downloads``) and the finder index (``static_dir/finder-index.json``).

    Skipped when the inputs key (:func:`~nhsreport.publish.pages.profile_inputs.inputs_key`, or ``key``)
    is unchanged and every output exists. Returns
    ``dict(skipped, written, seconds)``."""
    import time

    t0 = time.perf_counter()
    root = Path(root or paths.ROOT)
    page_dir = root / PAGE_DIR
    static_dir = Path(static_dir)
    key = key or inputs_key()
    if not force and is_current(static_dir, key, root):
        return {"skipped": True, "written": 0, "seconds": time.perf_counter() - t0}
    ctx = board_facts.BoardData()
    base = _base_charts(ctx)
    written = 0
    codes = list(ctx.boards.index)
    for code in codes:
        written += _write_if_changed(page_dir / f"{code}.md", profile_markdown(ctx, code, base).encode("utf-8"))
        written += _write_if_changed(static_dir / DOWNLOADS / f"{code}.csv", profile_csv(ctx, code))
    for stale in page_dir.glob("*.md"):
        if stale.stem not in codes:
            stale.unlink()
    idx = json.dumps(finder_index(ctx), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    written += _write_if_changed(static_dir / FINDER_FILE, idx)
    if briefings:
        from nhsreport.publish.briefing import render

        for p in render.build_all_boards(out_dir=paths.BUILD / "briefing", workers=2):
            written += _write_if_changed(static_dir / BRIEFINGS / p.name, p.read_bytes())
    atomic.write_text(static_dir / STAMP, key)
    return {"skipped": False, "written": written, "seconds": time.perf_counter() - t0}


def index_source() -> str:
    """The index's generated Markdown (for the ``source-read`` hook)."""
    ctx = board_facts.BoardData()
    return index_markdown(ctx, _base_charts(ctx))
