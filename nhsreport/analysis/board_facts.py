"""The facts of the 36 integrated care boards of 1 April 2026, one record per board.

Profiles, the index of systems, the finder index and the boards' briefings all read these
records; nothing above this module computes a figure of a board. The reporting periods the
figures refer to come from the data package (each dataset's ``x_as_of``), never from text typed
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from nhsreport import data
from nhsreport.dates import day

__all__ = ["Period", "periods", "financial_year_start"]


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
    """The year of the ONS mid-year population estimate in the ``icbs`` dataset, from the title of
    its source ("... mid-year population estimates, mid-2020 ...")."""
    for src in resource["sources"]:
        m = re.search(r"mid-(\d{4})", src["title"])
        if m:
            return int(m.group(1))
    raise ValueError("the icbs dataset names no mid-year population estimate among its sources")


def periods(resource=data.resource) -> dict[str, Period]:
    """The reporting periods of the boards' figures, read from the data package:

    ``population`` (the ONS mid-year estimate, 30 June), ``staff`` (the workforce snapshot),
    ``allowances`` (the financial year of the running cost allowances), ``boards`` (the day the
    36 boards took over), ``practices`` (the GP practice file), ``partners`` (the trust-system
    partner mapping) and ``trusts_file`` (the ODS trust file)."""
    year = _population_year(resource("icbs"))
    return {
        "population": Period(pd.Timestamp(year, 6, 30), "mid-year"),
        "staff": Period(_as_of(resource("staff_by_org")), "month"),
        "allowances": Period(financial_year_start(resource("icb_allocations")["x_as_of"]), "financial year"),
        "boards": Period(_as_of(resource("lad_board_overlap")), "day"),
        "practices": Period(_as_of(resource("gp_practices")), "month"),
        "partners": Period(_as_of(resource("stp_trust_partners_2019")), "month"),
        "trusts_file": Period(_as_of(resource("trusts")), "month"),
    }
