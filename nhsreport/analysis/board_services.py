"""The ambulance trust of each board of 1 April 2026.

Every area is served by an ambulance trust, often headquartered in another board. The files the
report holds name none of their areas directly, so the ambulance trust of a board is found in
two steps:

1. the ambulance trusts headquartered in the board (open on the day the boards took over), and
   those listed, in the partner mapping of April 2019, as partners of a system whose area is now
   wholly or partly in the board (through their successors where they merged);
2. where neither names one, the ambulance trusts headquartered in the board's NHS region. Where a region holds several
   (the Midlands: West Midlands and East Midlands), the trust whose published area (the curated
   table ``ambulance_areas``: the county and unitary councils each trust says it serves) holds the
   board's councils; each trust whose area holds some of them where they are shared, and all of
   the region's, marked as candidates, where no published area holds any.
"""

from __future__ import annotations

import pandas as pd

from nhsreport import data
from nhsreport.analysis import systems

__all__ = ["BASIS_TEXT", "ambulance_trusts"]

#: How each ambulance trust of a board was found, in words (the keys are the ``basis`` values).
BASIS_TEXT = {
    "headquarters": "headquartered in the area",
    "partner_2019": "partner of a system of the area in April 2019",
    "region": "the only ambulance trust headquartered in the region",
    "region_candidate": "one of the ambulance trusts of the region (the files do not say which)",
    "published_area": "its published area holds the councils of the board's area",
}


def _regions(bd, code: str) -> set[str]:
    """The NHS region codes of the 2022 boards that board ``code`` was made from."""
    mine = bd.parts.loc[bd.parts["icb_2026_code"] == code, "icb_code"]
    return set(bd.icbs.set_index("icb_code").loc[list(mine), "region_code"].astype(str))


def _row(bd, trust: pd.Series, basis: str) -> dict:
    hq = str(trust["icb_code"])
    return {
        "org_code": str(trust["org_code"]),
        "trust": systems.tidy_trust_name(trust["org_name"]),
        "hq_code": hq,
        "hq_board": str(bd.boards.loc[hq, "icb_2026_name"]) if hq in bd.boards.index else hq,
        "basis": basis,
    }


def _by_published_area(bd, code: str, candidates: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The ``candidates`` (ambulance trusts of the region) whose published area (``areas``: the
    ``ambulance_areas`` table) holds any of the county and unitary councils of board ``code``."""
    councils = set(bd.upper_tier.loc[bd.upper_tier["icb_2026_code"] == code, "upper_code"])
    serving = set(areas.loc[areas["council_code"].isin(councils), "trust_code"])
    return candidates[candidates["org_code"].isin(serving)]


def ambulance_trusts(bd, code: str, areas: pd.DataFrame | None = None) -> list[dict]:
    """The ambulance trusts of board ``code`` (``bd``:
    :class:`~nhsreport.analysis.board_facts.BoardData`), by the steps of the module's docstring:
    ``org_code, trust, hq_code, hq_board`` (the board of its headquarters) and ``basis`` (a key of
    :data:`BASIS_TEXT`), by name. Never empty while the region has an ambulance trust. ``areas``: the
    curated ``ambulance_areas`` table (loaded when not given)."""
    amb = bd.open_trusts[bd.open_trusts["trust_type"].astype(str) == "ambulance"]
    served = bd.trusts_served
    here = amb["icb_code"] == code
    partners = pd.Series([code in served.get(o, [])[1:] for o in amb["org_code"]], index=amb.index) & ~here
    if here.any() or partners.any():
        found = amb[here | partners].assign(basis=here.map({True: "headquarters", False: "partner_2019"}))
        return [_row(bd, t, t["basis"]) for _, t in found.sort_values("org_name").iterrows()]
    region = amb[amb["region_code"].astype(str).isin(_regions(bd, code))]
    if len(region) > 1:
        found = _by_published_area(bd, code, region, data.load("ambulance_areas") if areas is None else areas)
        if len(found):
            return [_row(bd, t, "published_area") for _, t in found.sort_values("org_name").iterrows()]
    basis = "region" if len(region) == 1 else "region_candidate"
    return [_row(bd, t, basis) for _, t in region.sort_values("org_name").iterrows()]
