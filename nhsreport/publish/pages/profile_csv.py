"""The CSV files of the system profiles: every figure of one profile (:func:`profile_csv`) and
the headline figures of all the boards, one row each (:func:`boards_csv`).

Each file is UTF-8 with a byte-order mark, so that Excel reads its £ signs and accents; dates are
ISO (``YYYY-MM-DD``) in the columns whose names end in ``_date``, with the period as the report
writes it ("mid-2020", "2025/26") beside them; shares are fractions from 0 to 1; money is in
pounds. Every row of a profile's file names the board, and the period and source of its figure.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from nhsreport import data
from nhsreport.analysis import board_services
from nhsreport.analysis.board_facts import Period
from nhsreport.formatting import period_text

__all__ = ["population_2022", "COLUMNS", "profile_rows", "profile_csv", "boards_rows", "boards_csv", "to_csv"]

#: The columns of a profile's CSV.
COLUMNS = [
    "board_code",
    "board_name",
    "section",
    "item_code",
    "item",
    "figure",
    "value",
    "unit",
    "as_of_date",
    "period",
    "rank",
    "of",
    "england",
    "estimate",
    "source",
]

SHARE = "share (0 to 1)"


def population_2022() -> Period:
    """The ONS mid-year estimate the populations of the 2022 boards (the ``icbs`` dataset) are
    from, named in the title of its source ("... mid-2020 ...")."""
    titles = " ".join(src["title"] for src in data.resource("icbs")["sources"])
    year = re.search(r"mid-(\d{4})", titles)
    if not year:
        raise ValueError("the icbs dataset names no mid-year population estimate among its sources")
    return Period(pd.Timestamp(int(year.group(1)), 6, 30), "mid-year")


def _row(section, figure, value, unit, period: Period, source, *, item=("", ""), estimate=False, **extra) -> dict:
    """One row of a profile's CSV (without the board's code and name); ``item``: the code and
    name of the organisation or area the figure is of; ``extra``: ``rank``, ``of``, ``england``."""
    return {
        "section": section,
        "item_code": item[0],
        "item": item[1],
        "figure": figure,
        "value": value,
        "unit": unit,
        "as_of_date": period.iso,
        "period": period_text(period.date, period.precision),
        "rank": extra.get("rank", ""),
        "of": extra.get("of", ""),
        "england": extra.get("england", ""),
        "estimate": "yes" if estimate else "no",
        "source": source,
    }


def _sources(ctx) -> dict[str, str]:
    """The source of each kind of figure, naming its period."""
    text = {k: period_text(p.date, p.precision) for k, p in ctx.periods.items()}
    lsoa_lookup = "ONS lookup of small areas (LSOAs) to districts (2023); NHS England GP practice mapping"
    practices = f"NHS England, GP practice mapping ({text['practices']})"
    registered = f"NHS England, patients registered at a GP practice ({text['registered']})"
    workforce = f"NHS England, NHS Workforce Statistics; ODS trust file ({text['trusts_file']})"
    return {
        "population": f"ONS {text['population']} population estimates (2023 districts)",
        "registered_patients": registered,
        "share_65_plus": registered,
        "share_85_plus": registered,
        "n_pcns": practices,
        "patients_per_practice": f"{practices}; patients registered at a GP practice ({text['practice_lists']})",
        "trust_managers_per_100_staff": workforce,
        "managers_per_100_staff": workforce,
        "rca_per_head": "NHS England, ICB allocations",
        "n_trusts": f"ODS trust file ({text['trusts_file']})",
        "n_districts": lsoa_lookup,
        "share_districts_whole": lsoa_lookup,
        "n_practices": practices,
        "districts": lsoa_lookup,
        "councils": f"{lsoa_lookup}; ONS districts and counties",
        "workforce": workforce,
        "predecessors": f"2026 parts: ODS {text['trusts_file']} and the ICB table's method",
        "predecessors_population": f"ONS {period_text(population_2022().date, 'mid-year')} population estimates "
        f"(boards of 2022)",
        "practices": practices,
        "partners": f"ODS, STP partner mapping ({text['partners']}); ODS trust file ({text['trusts_file']})",
        "cut": "Written answer to parliamentary question 45937 (April 2025); NHS England, ICB allocations",
    }


def _unit(h: dict) -> str:
    """The unit of headline figure ``h`` in the CSV's one style: rates per 100 FTE staff, shares
    from 0 to 1."""
    if h["key"].endswith("managers_per_100_staff"):
        return "per 100 FTE staff"
    return f"{h['unit']} (0 to 1)" if h["unit"].startswith("share") else h["unit"]


def _headline_rows(ctx, rec, src) -> list[dict]:
    return [
        _row(
            "headline",
            h["label"],
            h["value"],
            _unit(h),
            h["period"],
            src[h["key"]],
            estimate=h["estimate"],
            rank=h["rank"],
            of=h["n"],
            england=h["england"],
        )
        for h in rec.headlines
    ]


def _trend_rows(ctx, code: str, trends: dict, src) -> list[dict]:
    """The board's running cost allowance each year, managers per 100 staff at each snapshot on
    both bases, and what the 2025 cut takes off the allowance."""
    from nhsreport.analysis import board_trends
    from nhsreport.analysis.board_facts import financial_year_start

    rows = []
    a = trends["allowances"]
    for r in a[a["icb_2026_code"] == code].itertuples():
        when = Period(financial_year_start(r.financial_year), "financial year")
        rows += [
            _row(
                "trend", "Running cost allowance", r.rca_gbp, "£ a year", when, src["rca_per_head"], estimate=r.estimate
            ),
            _row(
                "trend",
                "Running cost allowance per head",
                r.rca_per_head,
                "£ per head of allocation population",
                when,
                src["rca_per_head"],
                estimate=r.estimate,
            ),
        ]
    d = trends["density"]
    label = {"published": "as published", "excluding_doctors": "staff other than doctors"}
    for r in d[d["icb_2026_code"] == code].itertuples():
        england = d[(d["icb_2026_code"] == "England") & (d["date"] == r.date) & (d["basis"] == r.basis)]
        rows.append(
            _row(
                "trend",
                f"Managers per 100 staff ({label[r.basis]})",
                r.managers_per_100_staff,
                "per 100 FTE staff",
                Period(pd.Timestamp(r.date), "month"),
                src["workforce"],
                estimate=r.estimate,
                rank=int(r.rank),
                of=len(ctx.boards),
                england=float(england["managers_per_100_staff"].iloc[0]),
            )
        )
    cut = board_trends.running_cost_cut(a, code, trends["cut_pct"])
    when = Period(financial_year_start(cut["year"]), "financial year")
    figure = f"Running cost allowance: a cut of {trends['cut_pct']:.0f}%"
    rows += [
        _row("2025 instruction", f"{figure}, the cut", cut["cut_gbp"], "£ a year", when, src["cut"]),
        _row("2025 instruction", f"{figure}, what is left", cut["after_gbp"], "£ a year", when, src["cut"]),
    ]
    return rows


def _driver_rows(ctx, rec, src) -> list[dict]:
    """Where one ambulance or specialist trust drives the board's managers per 100 staff: the
    figure and the rank without it."""
    row = rec.figures
    if not bool(row.get("density_driven", False)):
        return []
    item, when = (str(row["driver_code"]), str(row["driver_name"])), ctx.periods["staff"]
    return [
        _row(
            "density without the trust that drives it",
            "Managers per 100 staff",
            float(row["density_without_driver"]),
            "per 100 FTE staff",
            when,
            src["workforce"],
            item=item,
            rank=int(row["rank_without_driver"]),
            of=len(ctx.boards),
        ),
    ]


def _peer_rows(ctx, rec, src) -> list[dict]:
    """The headline population, managers per 100 staff, allowance per head and trusts of each peer."""
    rows = []
    for peer in rec.peers:
        other = ctx.records[peer]
        for h in other.headlines:
            if h["key"] in ("population", "managers_per_100_staff", "rca_per_head", "n_trusts"):
                rows.append(
                    _row(
                        "peer",
                        h["label"],
                        h["value"],
                        _unit(h),
                        h["period"],
                        src[h["key"]],
                        item=(peer, other.name),
                        estimate=h["estimate"],
                        rank=h["rank"],
                        of=h["n"],
                    )
                )
    return rows


def _area_rows(ctx, rec, src) -> list[dict]:
    """The board's districts, upper-tier councils and 2022 predecessor boards."""
    when, rows = ctx.periods, []
    for r in rec.districts.sort_values("lad_name", kind="mergesort").itertuples():
        item = (r.lad_code, r.lad_name)
        rows.append(
            _row(
                "district",
                "Share of the district in the board (in LSOAs)",
                float(r.share_of_lad_lsoas),
                SHARE,
                when["boards"],
                src["districts"],
                item=item,
            )
        )
    for r in rec.councils.sort_values("upper_name", kind="mergesort").itertuples():
        item = (r.upper_code, f"{r.upper_name} ({r.upper_type})")
        rows.append(
            _row(
                "council",
                "Share of the council's residents in the board",
                float(r.share_residents),
                SHARE,
                when["population"],
                src["population"],
                item=item,
                estimate=bool(r.split),
            )
        )
        rows.append(
            _row(
                "council",
                "Share of the council in the board (in LSOAs)",
                float(r.share),
                SHARE,
                when["boards"],
                src["councils"],
                item=item,
            )
        )
    for p in rec.predecessors:
        item = (p["icb_code"], p["icb_name"])
        rows += [
            _row(
                "2022 board",
                "Share of it in this board",
                p["share"],
                SHARE,
                when["boards"],
                src["predecessors"],
                item=item,
                estimate=p["divided"],
            ),
            _row(
                "2022 board",
                "Its population",
                p["population"],
                "people",
                population_2022(),
                src["predecessors_population"],
                item=item,
            ),
        ]
    return rows


def _trust_rows(ctx, rec, serving, src) -> list[dict]:
    """The trusts headquartered in the area (staff, managers per 100 staff) and those serving it
    from elsewhere (the board of their headquarters)."""
    when, rows = ctx.periods, []
    for t in rec.trusts:
        item = (t["org_code"], t["trust"])
        rows += [
            _row("trust", "Staff", t["staff"], "FTE", when["staff"], src["workforce"], item=item),
            _row(
                "trust",
                "Managers per 100 staff",
                t["per100"],
                "per 100 FTE staff",
                when["staff"],
                src["workforce"],
                item=item,
            ),
        ]
    for t in serving:
        rows.append(
            _row(
                "trust serving the area from elsewhere",
                f"Board of its headquarters ({t['why']})",
                t["hq_board"],
                "board",
                when["trusts_file"],
                src["partners"],
                item=(t["org_code"], t["trust"]),
            )
        )
    return rows


def profile_rows(ctx, code: str, trends: dict, serving: list[dict]) -> list[dict]:
    """Every figure of the profile of board ``code``, one row each, in :data:`COLUMNS`
    (``trends``: :func:`nhsreport.publish.pages.profiles.board_trends_of`; ``serving``:
    :func:`nhsreport.publish.pages.profiles.serving_trusts`)."""
    rec = ctx.records[code]
    src = _sources(ctx)
    gp, when = rec.practices, ctx.periods["practices"]
    rows = (
        _headline_rows(ctx, rec, src)
        + _driver_rows(ctx, rec, src)
        + _trend_rows(ctx, code, trends, src)
        + _peer_rows(ctx, rec, src)
        + _area_rows(ctx, rec, src)
        + _trust_rows(ctx, rec, serving, src)
        + [
            _row("practices", "Primary care networks", gp["n_networks"], "networks", when, src["practices"]),
            _row(
                "practices",
                "Practices whose CCG area is divided between boards",
                gp["n_uncertain"],
                "practices",
                when,
                src["practices"],
            ),
        ]
    )
    return [{"board_code": code, "board_name": rec.name, **r} for r in rows]


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    """``rows`` as CSV in ``columns``, UTF-8 with a byte-order mark (for Excel)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def profile_csv(ctx, code: str, trends: dict, serving: list[dict]) -> bytes:
    """The CSV of the profile of board ``code`` (:func:`profile_rows`)."""
    return to_csv(profile_rows(ctx, code, trends, serving), COLUMNS)


def boards_rows(ctx) -> list[dict]:
    """One row per board: its code, name and region, each headline figure with its rank, as-of
    date and estimate flag, its ambulance trusts and its peers."""
    rows = []
    for code in ctx.boards.index:
        rec = ctx.records[code]
        row = {"board_code": code, "board_name": rec.name, "region": rec.region}
        for h in rec.headlines:
            row[h["key"]] = h["value"]
            row[f"{h['key']}_rank"] = h["rank"]
            row[f"{h['key']}_as_of_date"] = h["period"].iso
            row[f"{h['key']}_estimate"] = "yes" if h["estimate"] else "no"
        row["coterminous"] = "yes" if bool(rec.figures["coterminous"]) else "no"
        row["ambulance_trusts"] = "; ".join(t["org_code"] for t in board_services.ambulance_trusts(ctx, code))
        row["peers"] = "; ".join(rec.peers)
        rows.append(row)
    return rows


def boards_csv(ctx) -> bytes:
    """The CSV of all the boards (:func:`boards_rows`)."""
    rows = boards_rows(ctx)
    return to_csv(rows, list(rows[0]))
