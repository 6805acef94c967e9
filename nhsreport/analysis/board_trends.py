"""How each board of 1 April 2026 has changed on its own footprint, and what the 2025 instruction
to cut running costs means for it: the running cost allowance in every financial year of the
allocations, and managers per 100 staff at the last staff snapshot of each year the workforce
files hold (2017, 2018 and 2025), with England beside each.

Every figure is computed by the steps of :func:`nhsreport.analysis.boards.board_figures`, the
function of the boards' headline figures, taken alone (:func:`~nhsreport.analysis.boards.board_allowances`,
:func:`~nhsreport.analysis.boards.board_staff`), for another year or snapshot, so that the last
point of each trend is the headline figure itself. Before 2022 the commissioners were CCGs: their staff are counted in
the 2022 board their area became part of, and apportioned like a board's own staff where that
board was divided in 2026.

The published "All staff" total includes resident doctors in 2017 and 2018 and leaves them out
in 2025 (a break in the series), so managers per 100 staff is given on both bases: as published,
and per 100 staff other than doctors, which counts every year the same way.
"""

from __future__ import annotations

import pandas as pd

from nhsreport.analysis import boards, management

__all__ = ["BASES", "allowance_trend", "density_trend", "running_cost_cut", "staff_without_doctors"]

#: The two bases of managers per 100 staff: as published, and per 100 staff other than doctors.
BASES = ("published", "excluding_doctors")


def allowance_trend(bd) -> pd.DataFrame:
    """The running cost allowance of every board in every financial year of the allocations,
    summed over its predecessor boards (divided ones apportioned). Columns: ``icb_2026_code,
    financial_year, rca_gbp, allocation_population, rca_per_head, estimate``; England has the code
    ``"England"``. Sorted by code and year."""
    frames = []
    for year in sorted(bd.alloc["financial_year"].astype(str).unique()):
        f = boards.board_allowances(bd.alloc, bd.icbs, rca_year=year).assign(financial_year=year)
        england = {
            "icb_2026_code": "England",
            "rca_gbp": f["rca_gbp"].sum(),
            "allocation_population": f["allocation_population"].sum(),
            "estimate": False,
            "financial_year": year,
        }
        frames += [f, pd.DataFrame([england])]
    out = pd.concat(frames, ignore_index=True)
    out["rca_per_head"] = out["rca_gbp"] / out["allocation_population"]
    out["estimate"] = out["estimate"].astype(bool)
    cols = ["icb_2026_code", "financial_year", "rca_gbp", "allocation_population", "rca_per_head", "estimate"]
    return out[cols].sort_values(["icb_2026_code", "financial_year"], kind="mergesort").reset_index(drop=True)


def staff_without_doctors(staff: pd.DataFrame) -> pd.DataFrame:
    """``staff_by_org`` with each organisation's "All staff" FTE less its doctors
    (:data:`nhsreport.analysis.management.DOCTOR_GROUPS`), so that every year counts staff other
    than doctors; the other rows unchanged."""
    doctors = staff[staff["staff_group_std"].isin(management.DOCTOR_GROUPS)].groupby(["date", "org_code"])["fte"].sum()
    out = staff.copy()
    rows = out["staff_group_std"] == management.ALL_STAFF
    key = pd.MultiIndex.from_arrays([out.loc[rows, "date"], out.loc[rows, "org_code"]])
    less = doctors.reindex(key).fillna(0.0).to_numpy()
    out.loc[rows, "fte"] = out.loc[rows, "fte"].to_numpy() - less
    return out


def _year_snapshots(staff: pd.DataFrame) -> list[pd.Timestamp]:
    """The last staff snapshot of each calendar year in ``staff``."""
    dates = pd.Series(sorted(pd.to_datetime(staff["date"].unique())))
    return list(dates.groupby(dates.dt.year).max())


def density_trend(bd) -> pd.DataFrame:
    """Managers per 100 staff of every board (on its 2026 footprint: the trusts headquartered in
    it, or whose successor is, and its predecessors' commissioners) at the last snapshot of each
    year of the workforce files, on both :data:`BASES`. Columns: ``icb_2026_code, date, basis,
    managers_fte, staff_fte, managers_per_100_staff, rank, estimate``; England has the code
    ``"England"`` (no rank). Sorted by code, basis and date."""
    # CCGs (2017, 2018) take the place of ICBs: their staff are counted in their 2022 board's area
    commissioners = bd.staff.assign(org_type=bd.staff["org_type"].replace({"CCG": "ICB"}))
    tables = {"published": commissioners, "excluding_doctors": staff_without_doctors(commissioners)}
    frames = []
    for basis, staff in tables.items():
        for when in _year_snapshots(staff):
            f = boards.board_staff(staff, bd.icbs, bd.trusts, staff_date=when).assign(date=when, basis=basis)
            f["rank"] = (100 * f["managers_fte"] / f["staff_fte"]).rank(ascending=False, method="min")
            england = {
                "icb_2026_code": "England",
                "managers_fte": f["managers_fte"].sum(),
                "staff_fte": f["staff_fte"].sum(),
                "estimate": False,
                "date": when,
                "basis": basis,
            }
            frames += [f, pd.DataFrame([england])]
    out = pd.concat(frames, ignore_index=True)
    out["managers_per_100_staff"] = 100 * out["managers_fte"] / out["staff_fte"]
    out["rank"] = out["rank"].astype("Int64")
    out["estimate"] = out["estimate"].astype(bool)
    cols = ["icb_2026_code", "date", "basis", "managers_fte", "staff_fte", "managers_per_100_staff", "rank", "estimate"]
    return out[cols].sort_values(["icb_2026_code", "basis", "date"], kind="mergesort").reset_index(drop=True)


def running_cost_cut(allowances: pd.DataFrame, code: str, cut_pct: float) -> dict:
    """What a cut of ``cut_pct`` per cent in the running cost allowance of the last financial year
    means for board ``code`` (a row of :func:`allowance_trend`): ``year``, ``allowance_gbp``,
    ``cut_gbp`` (the cut, in pounds a year) and ``after_gbp``, ``after_per_head`` (what is left)."""
    rows = allowances[allowances["icb_2026_code"] == code].sort_values("financial_year")
    if rows.empty:
        raise KeyError(f"no running cost allowance for board {code!r}")
    last = rows.iloc[-1]
    cut = float(last["rca_gbp"]) * cut_pct / 100
    return {
        "year": str(last["financial_year"]),
        "allowance_gbp": float(last["rca_gbp"]),
        "cut_gbp": cut,
        "after_gbp": float(last["rca_gbp"]) - cut,
        "after_per_head": (float(last["rca_gbp"]) - cut) / float(last["allocation_population"]),
    }
