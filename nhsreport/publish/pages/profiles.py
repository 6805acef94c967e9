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
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from nhsreport import atomic, data, paths
from nhsreport.analysis import board_facts, board_services, board_trends, boards
from nhsreport.formatting import (
    fmt_1dp,
    fmt_gbp,
    fmt_int,
    fmt_pct,
    month_year,
    period_text,
    short_month_year,
    uk_date,
)
from nhsreport.publish.briefing import graphics
from nhsreport.publish.components import board_text, words
from nhsreport.publish.components.charts import chart_element, compact_svg, figure_data
from nhsreport.publish.pages import finder, profile_csv, templating
from nhsreport.publish.pages.profile_inputs import (
    BRIEFINGS,
    FINDER_FILE,
    INDEX_MARKER,
    PAGE_DIR,
    STAMP,
    inputs_key,
    is_current,
    stamp_text,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PAGE_DIR",
    "INDEX_MARKER",
    "FINDER_FILE",
    "generate",
    "index_markdown",
    "inputs_key",
]

DOWNLOADS = "downloads/systems"
#: The CSV of all the boards' headline figures, in :data:`DOWNLOADS`, linked from the index.
ALL_BOARDS_CSV = "all-boards.csv"
HIGHLIGHT = graphics.HIGHLIGHT
BASE_FILL = graphics.BASE_FILL
BASE_STROKE = graphics.BASE_STROKE
#: What each ranking chart's bars measure, as its tooltip and data table name it.
VALUE_TITLES = {
    "density": "Managers per 100 staff",
    "rca": "Running cost allowance (£ per head)",
    "population": "People (millions)",
}


# ---------------------------------------------------------------------------------------------
# charts: drawn once (spec + static SVG), highlighted per board
# ---------------------------------------------------------------------------------------------


def _base_charts(ctx) -> dict[str, tuple[dict, str]]:
    """(Vega-Lite spec, SVG) of the shared charts: ``map`` (the boards' ONS boundaries), ``density``,
    ``rca`` and ``population`` (the 36 boards ranked), and ``index_map`` (boards shaded by
    managers per 100 staff, each area a link to its profile), all maps from the boards' ONS boundaries."""

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
        d = graphics.board_areas(ctx).merge(b[["icb_code", "managers_per_100_staff"]], on="icb_code")
        d["url"] = d["icb_code"].map(lambda c: f"book/systems/{c}.html")  # from the site root (vega's base URL)
        geo = alt.Data(
            url=charts.GEO_URL.format(name=graphics.BOARDS_GEO), format=alt.DataFormat(type="topojson", feature="areas")
        )
        im = (
            alt.Chart(geo)
            .mark_geoshape(**charts.MAP_BORDER, cursor="pointer")
            .transform_lookup(
                lookup="properties.code",
                from_=alt.LookupData(d, "gss_code", ["icb_2026_name", "managers_per_100_staff", "url"]),
            )
            .encode(
                color=alt.Color(
                    "managers_per_100_staff:Q",
                    title="Managers per 100 staff",
                    scale=alt.Scale(scheme=charts.SEQUENTIAL_MAP),
                    legend=alt.Legend(orient="right", direction="vertical", gradientLength=160),
                ),
                href="url:N",
                tooltip=[
                    alt.Tooltip("icb_2026_name:N", title="Board"),
                    alt.Tooltip("managers_per_100_staff:Q", title="Managers per 100 staff", format=".1f"),
                ],
            )
            .project("mercator")
            .properties(width=440, height=520)
        )
        out["index_map"] = (im.to_dict(), graphics.render_svg(im))
        return {k: {"spec": s, "svg": v} for k, (s, v) in out.items()}

    raw = graphics.cached_bundle("profile-charts", graphics.BOARD_INPUTS, build)
    # compacted once, keeping the marks' labels that each profile's highlight looks for
    return {k: (v["spec"], compact_svg(v["svg"], keep_labels=True)) for k, v in raw.items()}


def chart_data(base, kind: str) -> tuple:
    """The data of the shared chart ``kind`` as every profile's copy shows it (``(rows, formats)``
    of :func:`~nhsreport.publish.components.charts.figure_data`): the same for every board, whose
    highlight changes colours and a marker, not rows; computed once per build, not once a board."""
    spec = base[kind][0]
    key = (id(spec), kind)
    if key not in _CHART_DATA:
        if len(_CHART_DATA) > 16:  # a long-lived process making several builds' profiles
            _CHART_DATA.clear()
        _CHART_DATA[key] = (spec, figure_data(_highlight_spec(spec, "", kind)))
    return _CHART_DATA[key][1]


_CHART_DATA: dict = {}  # (id of a shared spec, kind) -> (the spec, kept alive; its figure data)


def _highlight_spec(spec: dict, code: str, kind: str) -> dict:
    """The shared spec with board ``code``'s marks in the highlight colour and a tooltip."""
    s = copy.deepcopy(spec)
    test = f"datum.key === 'icb:{code}'"
    colour = {"condition": {"test": test, "value": HIGHLIGHT}, "value": BASE_FILL}
    # the other boards outlined in grey (3:1 against the page), the board itself in black
    outline = {"condition": {"test": test, "value": "#000000"}, "value": BASE_STROKE}
    if kind == "map":
        s["encoding"] = dict(
            s.get("encoding", {}),
            fill=colour,
            stroke=outline,
            tooltip=[{"field": "icb_2026_name", "type": "nominal", "title": "Board"}],
        )
    else:
        layer = s["layer"][0]
        value = layer["encoding"]["y"]["field"]
        layer["encoding"]["color"] = colour
        layer["encoding"]["stroke"] = outline
        layer["encoding"]["tooltip"] = [
            {"field": "icb_name", "type": "nominal", "title": "Board"},
            {"field": value, "type": "quantitative", "format": ".2f", "title": VALUE_TITLES[kind]},
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
        data=chart_data(base, kind),
    )


# ---------------------------------------------------------------------------------------------
# one profile
# ---------------------------------------------------------------------------------------------


def _cell(text, sort=None, href=None) -> dict:
    """A table cell for the templates' ``table`` macro: its text, the value it sorts by, its link."""
    cell = {"text": text}
    if sort is not None:
        cell["sort"] = sort
    if href is not None:
        cell["href"] = href
    return cell


def _yes_no(flag) -> str:
    return "yes" if flag else "no"


def _headline_rows(rec) -> list[list]:
    return [
        [
            h["label"],
            h["text"],
            h["rank_text"],
            h["england_text"],
            h["unit"],
            period_text(h["period"].date, h["period"].precision),
            "estimate" if h["estimate"] else "",
        ]
        for h in rec.headlines
    ]


def _board_cells(r) -> list[dict]:
    """The population, managers per 100 staff, allowance per head and trusts of board row ``r``,
    each with the value it sorts by."""
    return [
        _cell(fmt_int(r["population"]), int(r["population"])),
        _cell(fmt_1dp(r["managers_per_100_staff"]), round(float(r["managers_per_100_staff"]), 4)),
        _cell(fmt_gbp(r["rca_per_head"]), round(float(r["rca_per_head"]), 4)),
        _cell(str(int(r["n_trusts"])), int(r["n_trusts"])),
    ]


def _peer_rows(ctx, code: str, peers: list[str]) -> list[list]:
    """Board ``code`` (first, unlinked) and its peers (linked to their profiles)."""
    rows = []
    for c in [code] + peers:
        r = ctx.boards.loc[c]
        name = str(r["icb_2026_name"])
        label = _cell(f"{name} (this board)") if c == code else _cell(name, href=f"{c}.html")
        rows.append([label] + _board_cells(r))
    return rows


def _place_rows(rec) -> dict[str, list[list]]:
    """The board's ``predecessor_rows`` (2022 boards), ``district_rows`` and ``council_rows``."""
    districts = rec.districts.sort_values("lad_name", kind="mergesort")
    councils = rec.councils.sort_values("upper_name", kind="mergesort")
    return {
        "predecessor_rows": [
            [p["icb_name"], p["icb_code"], p["gss_code"], fmt_pct(p["share"]), fmt_int(p["population"])]
            for p in rec.predecessors
        ],
        "district_rows": [
            [r.lad_name, r.lad_code, fmt_pct(r.share_of_lad_lsoas), _yes_no(r.lad_split)]
            for r in districts.itertuples()
        ],
        "council_rows": [
            [r.upper_name, r.upper_code, r.upper_type, fmt_pct(r.share), fmt_pct(r.share_residents), _yes_no(r.split)]
            for r in councils.itertuples()
        ],
        "n_split_councils": int(councils["split"].sum()),
    }


@functools.lru_cache(maxsize=64)
def _ambulance_trusts(ctx, code: str) -> tuple[dict, ...]:
    """:func:`~nhsreport.analysis.board_services.ambulance_trusts` of board ``code``, found once a
    build (its page lists them twice and its CSV once)."""
    return tuple(board_services.ambulance_trusts(ctx, code))


def serving_trusts(ctx, code: str) -> list[dict]:
    """The trusts headquartered in another board that serve board ``code``: its ambulance trusts
    (:func:`~nhsreport.analysis.board_services.ambulance_trusts`) first, then the other partners
    of April 2019 (:attr:`BoardRecord.partner_trusts`), each with ``why`` it is listed."""
    rec = ctx.records[code]
    ambulance = [dict(t, type="ambulance") for t in _ambulance_trusts(ctx, code)]
    listed = {t["org_code"] for t in ambulance}
    out = [dict(t, why=board_services.BASIS_TEXT[t["basis"]]) for t in ambulance if t["basis"] != "headquarters"]
    period = period_text(ctx.periods["partners"].date, ctx.periods["partners"].precision)
    out += [
        dict(t, why=f"partner of a system of the area in {period}")
        for t in rec.partner_trusts
        if t["org_code"] not in listed
    ]
    return out


def _organisation_rows(rec, serving: list[dict]) -> dict[str, list[list]]:
    """The board's ``trust_rows``, ``partner_rows`` (trusts serving it from elsewhere,
    ``serving``: :func:`serving_trusts`) and ``arrangement_rows`` (curated integration
    arrangements, each linked to its source)."""
    return {
        "trust_rows": [[t["trust"], t["org_code"], t["type"], t["staff_text"], t["per100_text"]] for t in rec.trusts],
        "partner_rows": [[t["trust"], t["org_code"], t["type"], t["hq_board"], t["why"]] for t in serving],
        "arrangement_rows": [
            [a["arrangement"], a["form"], a["start"], a["status"], _cell(a["source_title"], href=a["source_url"])]
            for a in rec.arrangements
        ],
    }


#: Where on a profile each question of "What this means for your board" is answered: the
#: section's label suffix and its title.
SECTIONS = {
    "ranks": "Where it stands among the boards",
    "trusts": "NHS trusts",
    "councils": "Population and councils",
    "partners": "Trusts serving the area from elsewhere",
    "who": "Who it is",
}


def board_trends_of(ctx) -> dict:
    """The boards' trends (:mod:`nhsreport.analysis.board_trends`), computed once for all
    profiles: ``allowances``, ``density`` and ``cut_pct``, the cut in the running cost allowance
    ministers described for the 2025 instruction (the published figure ``C6a``)."""
    published = data.load("published_management_figures").set_index("id")
    return {
        "allowances": board_trends.allowance_trend(ctx),
        "density": board_trends.density_trend(ctx),
        "cut_pct": float(published.loc["C6a", "value"]),
    }


def what_it_means(ctx, code: str, trends: dict) -> dict:
    """The box that opens the profile of board ``code``: ``points`` (its trend and position, one
    sentence each) and ``questions`` (each with its ``section`` label suffix and ``title``)."""
    rec = ctx.records[code]
    cut = board_trends.running_cost_cut(trends["allowances"], code, trends["cut_pct"])
    points = [
        board_text.allowance_trend_text(code, trends["allowances"], cut, trends["cut_pct"]),
        board_text.density_trend_text(code, trends["density"], len(ctx.boards)),
        " ".join(filter(None, [board_text.density_place_text(rec), board_text.driver_text(rec, len(ctx.boards))])),
        board_text.peer_position_text(rec.name, rec.peer_ranges, ctx.boards_england),
    ]
    questions = [dict(q, title=SECTIONS[q["section"]]) for q in board_text.board_questions(rec, len(ctx.boards), cut)]
    return {"points": points, "questions": questions}


@functools.lru_cache(maxsize=2)
def _networks_and_boards(ctx) -> tuple[pd.Series, pd.Series, int]:
    """The boards of each primary care network (sorted codes), the networks' names and their number
    in England: the same for every profile, so computed once a build."""
    gp = ctx.practices.dropna(subset=["pcn_code"])
    boards_of = gp.groupby("pcn_code")["icb_2026_code"].agg(lambda b: sorted(set(b)))
    names = gp.drop_duplicates("pcn_code").set_index("pcn_code")["pcn_name"]
    return boards_of, names, int(gp["pcn_code"].nunique())


def networks_across_boards(ctx, code: str) -> str:
    """A footnote to the board's practices: its primary care networks with practices in other boards
    too (U41591, in Devon and in Cornwall and the Isles of Scilly), each counted once in every board
    it is in and once in England, so the boards' counts add up to more than England's; "" if none."""
    boards_of, names, n_networks = _networks_and_boards(ctx)
    shared = boards_of[boards_of.map(lambda b: len(b) > 1 and code in b)]
    if shared.empty:
        return ""
    board_names = ctx.boards["icb_2026_name"]
    each = [
        f"{names[n]} ({n}) has practices in this board and in "
        + words.and_list(board_names[b] for b in shared[n] if b != code)
        for n in shared.index
    ]
    extra = int(sum(len(b) - 1 for b in boards_of))
    return (
        f" {'; '.join(each)}: {words.noun(len(shared), 'it is', 'each is')} counted once in each of those boards and "
        f"once in England's total, so the {fmt_int(len(ctx.boards))} boards' counts of primary care networks add up "
        f"to {fmt_int(n_networks + extra)}, {words.number_words(extra)} more than England's "
        f"{fmt_int(n_networks)}."
    )


def profile_context(ctx, code: str, base, trends: dict | None = None) -> dict:
    """What the profile page of board ``code`` shows (``templates/profile.md.j2`` writes it):
    the board's facts from its record, its tables as rows of cells, and ``chart``, which draws
    one of the shared charts with the board highlighted."""
    rec = ctx.records[code]
    row = rec.figures
    when = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    hk = {h["key"]: h for h in rec.headlines}
    trends = trends or board_trends_of(ctx)
    serving = serving_trusts(ctx, code)

    def chart(kind: str, alt_text: str, long_text: str) -> Markup:
        return Markup(_chart(base, code, kind, alt_text, long_text))

    return {
        "code": code,
        "name": rec.name,
        "n": len(ctx.boards),
        "means": what_it_means(ctx, code, trends),
        "when": when,
        "region": row["region_name"],
        "formed": uk_date(rec.formed),
        "formed_2022": ctx.formed[0],
        "n_boards_2022": len(ctx.icbs),
        "briefings": BRIEFINGS,
        "downloads": DOWNLOADS,
        "headline_rows": _headline_rows(rec),
        "estimate": bool(row["estimate"]),
        "rank_charts": [
            ("density", hk["managers_per_100_staff"], "managers per 100 staff"),
            ("rca", hk["rca_per_head"], "running cost allowance per head"),
            ("population", hk["population"], "population"),
        ],
        "chart": chart,
        "staff_month": month_year(ctx.staff_date),
        "staff_year": ctx.staff_date.year,
        "n_peers": len(rec.peers),
        "peer_rows": _peer_rows(ctx, code, rec.peers),
        "board_change": board_text.board_change(rec, when["boards"]),
        "boards_england": ctx.boards_england,
        "n_districts": int(row["n_districts"]),
        "population": hk["population"],
        "coterminous": bool(row["coterminous"]),
        "n_part": int(row["n_part"]),
        **_place_rows(rec),
        **_organisation_rows(rec, serving),
        "ambulance_text": board_text.ambulance_text(list(_ambulance_trusts(ctx, code))),
        "population_text": board_text.population_text(rec, ctx.periods),
        "population_2022": period_text(profile_csv.population_2022().date, "mid-year"),
        "practices_text": board_text.practices_text(rec, ctx.periods) + networks_across_boards(ctx, code),
        "density_place_text": board_text.density_place_text(rec),
        "driver_text": board_text.driver_text(rec, len(ctx.boards)),
        "partners_text": board_text.partners_text(
            rec.name, sum(t["type"] != "ambulance" for t in serving), when["partners"]
        ),
        "practices": rec.practices,
        "no_arrangements": board_text.ARRANGEMENT_TEXTS["no_arrangements"],
        "boards_year": ctx.periods["boards"].date.year,
        "predecessors": [dict(p, change=board_text.predecessor_change(p, when["boards"])) for p in rec.predecessors],
    }


def profile_markdown(ctx, code: str, base, trends: dict | None = None) -> str:
    """The MyST source of the profile page of board ``code`` (``trends``: :func:`board_trends_of`)."""
    return templating.render("profile.md.j2", **profile_context(ctx, code, base, trends))


# ---------------------------------------------------------------------------------------------
# the index of systems and the finder
# ---------------------------------------------------------------------------------------------


def _index_rows(ctx) -> list[list]:
    """One row of cells per board, by name: its name linked to its profile, code, region and
    figures (``*`` marks an estimate), each figure with the value it sorts by."""
    rows = []
    for c, r in ctx.boards.sort_values("icb_2026_name").iterrows():
        population, density, allowance, trusts = _board_cells(r)
        population["text"] += "*" if r["population_estimate"] else ""
        density["text"] += "*" if r["estimate"] else ""
        allowance["text"] += "*" if r["estimate"] else ""
        rows.append(
            [
                _cell(str(r["icb_2026_name"]), href=f"systems/{c}.html"),
                c,
                r["region_name"],
                population,
                density,
                allowance,
                trusts,
                _cell(str(int(r["n_districts"])), int(r["n_districts"])),
                _yes_no(r["coterminous"]),
            ]
        )
    return rows


def index_print_note(example_code: str, example_name: str) -> str:
    """What the PDF book prints under the table of all boards in place of the profiles: where the
    profiles are (with the address of one, and the pattern of the others, when the build has an
    address) and what each holds."""
    from nhsreport.publish.book import site

    holds = (
        "Each board has a profile page on the report’s website, with its charts and map, its trusts, "
        "districts and councils, the integration arrangements recorded in its area and a PDF briefing to print"
    )
    base = site.base_url()
    if base is None:
        return holds + "; the HTML version also has a finder for trusts, councils, GP practices and postcodes."
    example = site.page_url(f"book/systems/{example_code}")
    return (
        f"{holds}. A board’s page is at {base}book/systems/ followed by its code and “.html” "
        f"(for {example_name}, {example}); the HTML version also has a finder for trusts, councils, "
        "GP practices and postcodes."
    )


def index_context(ctx, base) -> dict:
    """What the index of systems shows (``templates/index.md.j2`` writes it): ``rows``, the
    table of all boards (which the PDF book prints too); and ``map``, which draws the shaded map
    of boards."""
    b = ctx.boards
    rows = _index_rows(ctx)
    im_spec, im_svg = base["index_map"]

    def draw_map(alt_text: str, long_text: str) -> Markup:
        return Markup(chart_element(im_spec, im_svg, "systems-map", alt_text, long_text, compacted=True, links=True))

    return {
        "n": len(b),
        "when": {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()},
        "staff_short": short_month_year(ctx.staff_date),
        "density_min": b["managers_per_100_staff"].min(),
        "density_max": b["managers_per_100_staff"].max(),
        "boards_england": ctx.boards_england,
        "floor": boards.FLOOR,
        "formed_2022": ctx.formed[0],
        "boards_year": ctx.periods["boards"].date.year,
        "rows": rows,
        "downloads": DOWNLOADS,
        "all_boards_csv": ALL_BOARDS_CSV,
        "map": draw_map,
        "print_note": index_print_note(*_first_board(ctx)),
    }


def _first_board(ctx) -> tuple[str, str]:
    """The code and name of the first board of the table of all boards (by name)."""
    first = ctx.boards.sort_values("icb_2026_name").iloc[0]
    return str(first.name), str(first["icb_2026_name"])


def index_markdown(ctx, base) -> str:
    """The index of systems: the finder and the map (HTML only), and the table of all boards (a
    sortable table in HTML, a typeset one in the PDF book). The same source serves both builders
    (they share one environment): HTML-only parts are raw HTML, the PDF table an ``only`` block."""
    return templating.render("index.md.j2", **index_context(ctx, base))


# ---------------------------------------------------------------------------------------------
# the whole step
# ---------------------------------------------------------------------------------------------


def _write_if_changed(target: Path, blob: bytes) -> bool:
    if target.exists() and target.read_bytes() == blob:
        return False
    atomic.write_bytes(target, blob)
    return True


def generate(
    static_dir: Path,
    root: Path | None = None,
    briefings: bool | str = True,
    force: bool = False,
    key: str | None = None,
) -> dict:
    """Write the profile pages (``book/systems/<code>.md``), their CSVs and briefings (under
    ``static_dir/downloads``) and the finder's index (``static_dir/finder-index.js``, :mod:`.finder`).

    Skipped when the inputs key (:func:`~nhsreport.publish.pages.profile_inputs.inputs_key`, or ``key``)
    is unchanged and every output exists. ``briefings="background"`` compiles the boards' briefings
    in a thread, once the pages are written, while the caller goes on (the book build executes its chapters meanwhile);
    :func:`wait_for_briefings` waits for them, and the step's stamp is written only when they are
    done. Returns ``dict(skipped, written, seconds)`` (the pages, and the briefings unless in the
    background)."""
    import threading
    import time

    t0 = time.perf_counter()
    root = Path(root or paths.ROOT)
    page_dir = root / PAGE_DIR
    static_dir = Path(static_dir)
    key = key or inputs_key()
    if not force and is_current(static_dir, key, root):
        return {"skipped": True, "written": 0, "seconds": time.perf_counter() - t0}
    ctx = board_facts.BoardData()
    codes = list(ctx.boards.index)
    finish = functools.partial(_finish, static_dir, key, codes, briefings=bool(briefings))
    written = _write_pages(ctx, codes, page_dir, static_dir)
    seconds = time.perf_counter() - t0
    if briefings == "background":  # once the pages are written, not competing with them for the cores
        _BACKGROUND.clear()
        _BACKGROUND["thread"] = threading.Thread(target=_in_background, args=(finish,), daemon=True)
        _BACKGROUND["thread"].start()
    else:
        written += finish()["written"]
        seconds = time.perf_counter() - t0
    return {"skipped": False, "written": written, "seconds": seconds}


def _write_pages(ctx, codes: list[str], page_dir: Path, static_dir: Path) -> int:
    """Write the profile pages, their CSVs and the finder's index; remove pages of boards gone."""
    base = _base_charts(ctx)
    written = 0
    trends = board_trends_of(ctx)
    for code in codes:
        page = profile_markdown(ctx, code, base, trends)
        written += _write_if_changed(page_dir / f"{code}.md", page.encode("utf-8"))
        table = profile_csv.profile_csv(ctx, code, trends, serving_trusts(ctx, code))
        written += _write_if_changed(static_dir / DOWNLOADS / f"{code}.csv", table)
    written += _write_if_changed(static_dir / DOWNLOADS / ALL_BOARDS_CSV, profile_csv.boards_csv(ctx))
    for stale in page_dir.glob("*.md"):
        if stale.stem not in codes:
            stale.unlink()
    written += _write_if_changed(static_dir / FINDER_FILE, finder.index_script(ctx))
    return written


def _finish(static_dir: Path, key: str, codes: list[str], briefings: bool) -> dict:
    """Compile the boards' briefings (when asked) into ``static_dir``, then write the step's stamp."""
    import time

    t0 = time.perf_counter()
    written = 0
    if briefings:
        from nhsreport.publish.briefing import render

        for p in render.build_all_boards(out_dir=paths.BUILD / "briefing", workers=2):
            written += _write_if_changed(static_dir / BRIEFINGS / p.name, p.read_bytes())
    atomic.write_text(static_dir / STAMP, stamp_text(key, codes))
    return {"written": written, "seconds": time.perf_counter() - t0}


_BACKGROUND: dict = {}  # the briefings compiled in the background: thread, then result or error


def _in_background(finish) -> None:
    try:
        _BACKGROUND["result"] = finish()
    except BaseException as exc:  # handed to the caller of wait_for_briefings
        _BACKGROUND["error"] = exc


def wait_for_briefings() -> dict | None:
    """Wait for the briefings :func:`generate` compiles in the background; ``dict(written,
    seconds)``, or ``None`` when none were being compiled. Raises the error that stopped them."""
    thread = _BACKGROUND.pop("thread", None)
    if thread is None:
        return None
    thread.join()
    if "error" in _BACKGROUND:
        raise _BACKGROUND.pop("error")
    return _BACKGROUND.pop("result")


def index_source() -> str:
    """The index's generated Markdown (for the ``source-read`` hook)."""
    ctx = board_facts.BoardData()
    return index_markdown(ctx, _base_charts(ctx))
