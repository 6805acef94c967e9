"""The facts of the 36 integrated care boards of 1 April 2026, one record per board.

Profiles, the index of systems, the finder index and the boards' briefings all read these
records; nothing above this module computes a figure of a board. The reporting periods the
figures refer to come from the data package (each dataset's ``x_as_of``), never from text typed
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from nhsreport import data
from nhsreport.analysis import boards, management, reorganisation, systems
from nhsreport.analysis.counting import trusts_open_on
from nhsreport.dates import day
from nhsreport.formatting import fmt_1dp, fmt_gbp, fmt_int, fmt_pct, period_text, rank_label
from nhsreport.schema import TRUST_TYPES

__all__ = [
    "Period",
    "periods",
    "reporting_periods",
    "financial_year_start",
    "FIGURE_PERIOD",
    "BoardData",
    "BoardRecord",
    "headlines",
    "board_trusts",
    "partner_trusts",
    "board_arrangements",
    "predecessors",
    "peer_ranges",
    "board_record",
]


@dataclass(frozen=True)
class Period:
    """The date a figure refers to and how precisely: ``precision`` is ``"day"``, ``"month"``,
    ``"mid-year"`` or ``"financial year"`` (``date`` its first day)."""

    date: pd.Timestamp
    precision: str

    @property
    def iso(self) -> str:
        """The date as ``YYYY-MM-DD``."""
        return self.date.date().isoformat()


def financial_year_start(year: str) -> pd.Timestamp:
    """The first day of a financial year written ``2025/26``: 1 April 2025."""
    return pd.Timestamp(int(str(year)[:4]), 4, 1)


def _as_of(resource: dict) -> pd.Timestamp:
    """A dataset's ``x_as_of`` (``2025-11-30`` or ``2026-06``) as a date (the first of a month)."""
    return day(str(resource["x_as_of"]))


def _population_year(resource: dict) -> int:
    """The year of the ONS mid-year population estimate a dataset is built on, from the title of
    its source ("... mid-year population estimates, mid-2020 ...", "..., mid-2024 (2023 ...")."""
    for src in resource["sources"]:
        m = re.search(r"mid-(\d{4})", src["title"])
        if m:
            return int(m.group(1))
    raise ValueError("the dataset names no mid-year population estimate among its sources")


#: The title of the practice-level registered-patient file among a dataset's sources ends with its date.
_PRACTICE_LISTS = re.compile(r"all persons by practice, (\d{1,2} \w+ \d{4})$")


def _practice_lists_date(resource: dict) -> pd.Timestamp:
    """The date of the practices' registered lists (the practice-level file among the sources of
    ``gp_practices_2026``, "... all persons by practice, 1 April 2025")."""
    for src in resource["sources"]:
        m = _PRACTICE_LISTS.search(src["title"])
        if m:
            return pd.Timestamp(pd.to_datetime(m.group(1), format="%d %B %Y"))
    raise ValueError("the dataset names no practice-level file of registered patients among its sources")


def periods(resource=data.resource) -> dict[str, Period]:
    """The reporting periods of the boards' figures, read from the data package:

    ``population`` (the ONS mid-year estimate of the boards' districts, 30 June), ``staff`` (the
    workforce snapshot), ``allowances`` (the financial year of the running cost allowances),
    ``boards`` (the day the 36 boards took over), ``practices`` (the GP practice map, a day),
    ``registered`` (the registered-patient counts), ``practice_lists`` (the practices' lists used
    for patients per practice), ``partners`` (the trust-system partner mapping) and
    ``trusts_file`` (the ODS trust file)."""
    year = _population_year(resource("lad_board_overlap"))
    practices = resource("gp_practices_2026")
    return {
        "population": Period(pd.Timestamp(year, 6, 30), "mid-year"),
        "staff": Period(_as_of(resource("staff_by_org")), "month"),
        "allowances": Period(financial_year_start(resource("icb_allocations")["x_as_of"]), "financial year"),
        "boards": Period(_as_of(resource("lad_board_overlap")), "day"),
        "practices": Period(_as_of(practices), "day"),
        "registered": Period(_as_of(resource("registered_patients_2026")), "day"),
        "practice_lists": Period(_practice_lists_date(practices), "day"),
        "partners": Period(_as_of(resource("stp_trust_partners_2019")), "month"),
        "trusts_file": Period(_as_of(resource("trusts")), "month"),
    }


def reporting_periods(resource=data.resource) -> dict[str, str]:
    """The reporting periods of :func:`periods` as the report writes them
    (:func:`nhsreport.formatting.period_text`), by the same keys: ``staff`` "November 2025",
    ``trusts_file`` "June 2026", ``allowances`` "2025/26", ``boards`` "1 April 2026", and so on.
    The one home of the periods' words in the prose, which moves them with the data."""
    return {key: period_text(p.date, p.precision) for key, p in periods(resource).items()}


#: The reporting period (a key of :func:`periods`) of each headline figure of :data:`boards.FIGURES`.
FIGURE_PERIOD = {
    "population": "population",
    "registered_patients": "registered",
    "share_65_plus": "registered",
    "share_85_plus": "registered",
    "managers_per_100_staff": "staff",
    "trust_managers_per_100_staff": "staff",
    "rca_per_head": "allowances",
    "n_trusts": "boards",
    "n_districts": "boards",
    "share_districts_whole": "boards",
    "n_practices": "practices",
    "n_pcns": "practices",
    "patients_per_practice": "practice_lists",
}

_FORMAT = {"int": fmt_int, "1dp": fmt_1dp, "gbp": fmt_gbp, "pct": fmt_pct, "pct1": lambda x: fmt_pct(x, 1)}
#: The figures whose value is printed with decimals (the others are whole numbers).
_DECIMAL_KINDS = ("1dp", "gbp", "pct", "pct1")


class BoardData:
    """The datasets and derived tables behind the facts of the boards, each loaded (with
    ``load``, :func:`nhsreport.data.load` by default) or computed once, when first used."""

    def __init__(self, load=data.load, resource=data.resource):
        self._load = load
        self._resource = resource

    @cached_property
    def icbs(self) -> pd.DataFrame:
        return self._load("icbs")

    @cached_property
    def staff(self) -> pd.DataFrame:
        return self._load("staff_by_org")

    @cached_property
    def alloc(self) -> pd.DataFrame:
        return self._load("icb_allocations")

    @cached_property
    def trusts(self) -> pd.DataFrame:
        return self._load("trusts")

    @cached_property
    def arrangements(self) -> pd.DataFrame:
        return self._load("integration_arrangements")

    @cached_property
    def lad_boards(self) -> pd.DataFrame:
        return self._load("lad_board_overlap")

    @cached_property
    def trust_links(self) -> pd.DataFrame:
        return self._load("stp_trust_partners_2019")

    def as_of(self, name: str) -> pd.Timestamp:
        """The as-of date of dataset ``name`` (its ``x_as_of``; a month as its first day)."""
        return _as_of(self._resource(name))

    @cached_property
    def periods(self) -> dict[str, Period]:
        """:func:`periods`: the reporting periods of the figures."""
        return periods(self._resource)

    @cached_property
    def staff_date(self) -> pd.Timestamp:
        """The latest staff snapshot."""
        return management.snapshot_date(self.staff)

    @cached_property
    def rca_year(self) -> str:
        """The latest financial year of the running cost allowances (``2025/26``)."""
        return str(max(self.alloc["financial_year"].astype(str)))

    @cached_property
    def parts(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.boards.board_parts`."""
        return boards.board_parts(self.icbs)

    @cached_property
    def practices(self) -> pd.DataFrame:
        """The GP practices of the August 2026 map, each in its board (``gp_practices_2026``)."""
        return self._load("gp_practices_2026")

    @cached_property
    def populations(self) -> pd.DataFrame:
        """Residents, registered patients, practices and networks of each board (``board_populations``)."""
        return self._load("board_populations")

    @cached_property
    def org_staff(self) -> pd.DataFrame:
        """Managers and staff of each organisation at the latest snapshot, indexed by ODS code."""
        s = self.staff.assign(org=self.staff["org_code"])
        return management.managers_and_staff(s, self.staff_date, ["org"]).set_index("org")

    @cached_property
    def upper_tier(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.boards.upper_tier_boards`: counties and unitary authorities in the boards."""
        return boards.upper_tier_boards(self.lad_boards, self._load("lad_upper_tier_2023"))

    @cached_property
    def formed(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """:func:`nhsreport.analysis.boards.formation_dates`: the days the boards of 2022 and of 2026 were set up."""
        return boards.formation_dates(self._resource)

    @cached_property
    def trusts_served(self) -> dict[str, list[str]]:
        """:func:`nhsreport.analysis.boards.trust_boards_served`."""
        return boards.trust_boards_served(self.trusts, self.trust_links, self.icbs, on=self.formed[1])

    @cached_property
    def open_trusts(self) -> pd.DataFrame:
        """The trusts open on the day the boards took over (:func:`nhsreport.dates.is_open_on`)."""
        return trusts_open_on(self.trusts, self.periods["boards"].date)

    @cached_property
    def boards(self) -> pd.DataFrame:
        """:func:`nhsreport.analysis.boards.board_figures`: the 36 boards, indexed by code."""
        return boards.board_figures(
            self.icbs,
            self.staff,
            self.alloc,
            self.trusts,
            self.lad_boards,
            self.practices,
            populations=self.populations,
            specialists=self._load("specialist_trusts"),
            staff_date=self.staff_date,
            rca_year=self.rca_year,
            formed=self.formed,
        ).set_index("icb_2026_code")

    @cached_property
    def boards_england(self) -> dict:
        """:func:`nhsreport.analysis.boards.england_figures`."""
        return boards.england_figures(self.boards.reset_index(), self.lad_boards, self.practices)

    @cached_property
    def records(self) -> dict[str, BoardRecord]:
        """:func:`board_record` of every board, by code."""
        return {code: board_record(self, code) for code in self.boards.index}


def headlines(bd: BoardData, code: str) -> list[dict]:
    """The headline figures of board ``code``, in :data:`nhsreport.analysis.boards.FIGURES` order.

    Each item: ``key, label, unit``, ``period`` (its :class:`Period`), ``value`` (the number),
    ``text`` (it formatted), ``rank`` (1 = largest; boards with the same value share the best
    place), ``tied`` (boards sharing that place, itself included), ``n`` (boards ranked),
    ``rank_text`` ("joint 1st of 36", :func:`nhsreport.formatting.rank_label`), ``england`` and
    ``england_text``, and ``estimate`` (the figure is estimated: a population with part of a
    split district, or staff and allowance apportioning a 2022 board divided in 2026)."""
    row = bd.boards.loc[code]
    eng = bd.boards_england
    out = []
    for key, (label, unit, kind) in boards.FIGURES.items():
        fmt = _FORMAT[kind]
        if key == "population":
            estimate = bool(row["population_estimate"])
        else:
            estimate = bool(row["estimate"]) and key in ("managers_per_100_staff", "rca_per_head")
        rank = int(row[f"rank_{key}"])
        tied = int((bd.boards[f"rank_{key}"] == rank).sum())
        out.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "period": bd.periods[FIGURE_PERIOD[key]],
                "value": float(row[key]) if kind in _DECIMAL_KINDS else int(round(float(row[key]))),
                "text": fmt(row[key]),
                "rank": rank,
                "tied": tied,
                "n": len(bd.boards),
                "rank_text": rank_label(rank, len(bd.boards), tied),
                "england": eng[key],
                "england_text": fmt(eng[key]),
                "estimate": estimate,
            }
        )
    return out


def board_trusts(bd: BoardData, code: str) -> list[dict]:
    """The trusts open on the day the boards took over and headquartered in board ``code``, with
    their staff and managers per 100 staff at the latest snapshot (FTE), largest first within
    each type (:data:`nhsreport.schema.TRUST_TYPES` order)."""
    mine = bd.open_trusts[bd.open_trusts["icb_code"] == code]
    o = bd.org_staff
    rows = []
    for r in mine.itertuples():
        staff = o["staff_fte"].get(r.org_code)
        per100 = o["managers_per_100_staff"].get(r.org_code)
        rows.append(
            {
                "org_code": r.org_code,
                "trust": systems.tidy_trust_name(r.org_name),
                "type": str(r.trust_type),
                "staff": None if staff is None else float(staff),
                "per100": None if per100 is None else float(per100),
                "staff_text": "" if staff is None else fmt_int(staff),
                "per100_text": "" if per100 is None else fmt_1dp(per100),
            }
        )
    order = {t: i for i, t in enumerate(TRUST_TYPES)}
    return sorted(rows, key=lambda r: (order.get(r["type"], len(order)), -(r["staff"] or 0), r["trust"]))


def partner_trusts(bd: BoardData, code: str) -> list[dict]:
    """The trusts headquartered in another board that were partners (in the partner mapping) of
    a system whose area is now, in whole or part, board ``code``."""
    names = bd.trusts.set_index("org_code")
    rows = []
    for org, boards26 in bd.trusts_served.items():
        if code in boards26[1:]:
            hq = bd.boards.loc[boards26[0], "icb_2026_name"] if boards26[0] in bd.boards.index else boards26[0]
            rows.append(
                {
                    "org_code": org,
                    "trust": systems.tidy_trust_name(names.loc[org, "org_name"]),
                    "type": str(names.loc[org, "trust_type"]),
                    "hq_board": str(hq),
                }
            )
    return sorted(rows, key=lambda r: r["trust"])


def board_arrangements(bd: BoardData, code: str) -> list[dict]:
    """The curated integration arrangements recorded in the 2022 areas that make up board ``code``."""
    mine = set(bd.parts.loc[bd.parts["icb_2026_code"] == code, "icb_code"])
    arr = bd.arrangements[bd.arrangements["icb_code"].isin(mine)].sort_values("start", kind="mergesort")
    return [
        {
            "arrangement": str(r.arrangement),
            "form": f"{r.form}: {r.mechanism}",
            "start": reorganisation.format_date(r.start, r.start_precision) if pd.notna(r.start) else "",
            "status": str(r.status),
            "area": str(r.area),
            "source_title": str(r.source_title),
            "source_url": str(r.source_url),
        }
        for r in arr.itertuples()
    ]


def predecessors(bd: BoardData, code: str) -> list[dict]:
    """The 2022 boards whose area (or part of it) is board ``code``: ``icb_code, icb_name,
    gss_code, share`` (of it in this board), ``divided``, ``population`` (mid-year estimate) and
    what became of each in 2026: ``parts`` (``(2026 code, 2026 name, share)``, largest first) and
    ``merged_with`` (the other 2022 boards or parts its successor took in)."""
    icbs = bd.icbs.set_index("icb_code")
    parts = bd.parts
    names26 = bd.boards["icb_2026_name"]
    out = []
    for r in parts[parts["icb_2026_code"] == code].itertuples():
        fate = parts[parts["icb_code"] == r.icb_code].sort_values("share", ascending=False, kind="mergesort")
        successor = str(fate["icb_2026_code"].iloc[0])
        labels = str(bd.boards.loc[successor, "icbs_2022"]).split("; ")
        out.append(
            {
                "icb_code": r.icb_code,
                "icb_name": r.icb_name,
                "gss_code": str(icbs.loc[r.icb_code, "icb_gss_code"]),
                "share": float(r.share),
                "divided": bool(r.divided),
                "population": int(icbs.loc[r.icb_code, "population"]),
                "parts": [(str(c), str(names26[c]), float(s)) for c, s in zip(fate["icb_2026_code"], fate["share"])],
                "merged_with": [x for x in labels if x.removesuffix(" (part)") != r.icb_name],
            }
        )
    return out


def peer_ranges(bd: BoardData, code: str, peers: list[str]) -> dict[str, dict]:
    """For managers per 100 staff and the allowance per head: board ``code``'s ``value``, its
    ``peers``' ``min`` and ``max``, and ``place`` ("above", "below" or "within" that range)."""
    out = {}
    for key in ("managers_per_100_staff", "rca_per_head"):
        value = float(bd.boards.loc[code, key])
        vals = bd.boards.loc[peers, key].astype(float)
        place = "above" if value > vals.max() else "below" if value < vals.min() else "within"
        out[key] = {"value": value, "min": float(vals.min()), "max": float(vals.max()), "place": place}
    return out


@dataclass
class BoardRecord:
    """Everything the report states about one board of 2026: ``figures`` is its row of
    :func:`nhsreport.analysis.boards.board_figures`; the lists are those of the functions of this
    module; ``districts`` and ``councils`` its rows of ``lad_board_overlap`` and
    :func:`nhsreport.analysis.boards.upper_tier_boards`."""

    code: str
    name: str
    region: str
    formed: pd.Timestamp
    figures: pd.Series
    headlines: list[dict]
    peers: list[str]
    peer_ranges: dict[str, dict]
    trusts: list[dict]
    partner_trusts: list[dict]
    arrangements: list[dict]
    predecessors: list[dict]
    districts: pd.DataFrame
    councils: pd.DataFrame
    practices: dict = field(default_factory=dict)

    @property
    def kept_code(self) -> bool:
        """The board's code existed in 2022."""
        return any(p["icb_code"] == self.code for p in self.predecessors)


def board_record(bd: BoardData, code: str) -> BoardRecord:
    """The :class:`BoardRecord` of board ``code``; peers by :func:`nhsreport.analysis.boards.peer_boards`."""
    row = bd.boards.loc[code]
    gp = bd.practices[bd.practices["icb_2026_code"] == code]
    lb = bd.lad_boards[bd.lad_boards["icb_2026_code"] == code]
    ut = bd.upper_tier[bd.upper_tier["icb_2026_code"] == code]
    peers = boards.peer_boards(bd.boards, code)
    return BoardRecord(
        code=code,
        name=str(row["icb_2026_name"]),
        region=str(row["region_name"]),
        formed=pd.Timestamp(row["formed"]),
        figures=row,
        headlines=headlines(bd, code),
        peers=peers,
        peer_ranges=peer_ranges(bd, code, peers),
        trusts=board_trusts(bd, code),
        partner_trusts=partner_trusts(bd, code),
        arrangements=board_arrangements(bd, code),
        predecessors=predecessors(bd, code),
        districts=lb,
        councils=ut,
        practices={
            "n": len(gp),
            "n_networks": int(gp["pcn_code"].nunique()),
            "n_uncertain": 0,  # the August 2026 map places every practice in one board
            "patients_2025_04": int(gp["patients_2025_04"].sum()),
        },
    )
