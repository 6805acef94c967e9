"""Commissioners and providers consolidating in the same systems: whether the systems whose CCGs
merged also saw trusts merge afterwards (an association over a few dozen systems, not a cause)."""

from __future__ import annotations

import pandas as pd

#: Changes to trusts that bring organisations under one roof (a split does the opposite).
CONSOLIDATING = ("merger", "acquisition")


def trust_change_systems(changes: pd.DataFrame, trusts: pd.DataFrame) -> pd.Series:
    """The system (2020 STP code, as the 2022 boards kept it) of each trust change: the absorbed
    trust's system in October 2020, or else its successor's; missing where neither is known."""
    stp = trusts.set_index("org_code")["hq_stp_2020"]
    old = changes["old_code"].map(stp)
    new = changes["new_code"].map(stp)
    return old.fillna(new)


def consolidation_by_system(lineage: pd.DataFrame, changes: pd.DataFrame, trusts: pd.DataFrame, since) -> pd.DataFrame:
    """One row per system of 2022 (``icb_code`` of the CCG lineage): its CCGs in April 2019 and
    April 2021, whether commissioning was in one CCG by April 2021 (``one_ccg_2021``), and the trust
    mergers and acquisitions in it on or after ``since`` (``trust_consolidations``)."""
    ccgs = lineage.groupby("icb_code").agg(ccgs_2019=("exists_2019", "sum"), ccgs_2021=("exists_2021", "sum"))
    ccgs["one_ccg_2021"] = ccgs["ccgs_2021"] == 1
    later = changes[changes["change_type"].isin(CONSOLIDATING) & (changes["date"] >= pd.Timestamp(since))]
    per_system = trust_change_systems(later, trusts).value_counts()
    ccgs["trust_consolidations"] = per_system.reindex(ccgs.index).fillna(0).astype(int)
    return ccgs.astype({"ccgs_2019": int, "ccgs_2021": int}).reset_index()


def last_ccg_merger(lineage: pd.DataFrame) -> pd.Timestamp:
    """The date of the last CCG merger in the lineage (1 April 2021): commissioning's final form
    before CCGs were abolished, from which later trust mergers are counted."""
    return pd.Timestamp(lineage["successor_date"].max())


def consolidation_association(lineage: pd.DataFrame, changes: pd.DataFrame, trusts: pd.DataFrame) -> dict:
    """How often trusts merged from the last CCG merger (:func:`last_ccg_merger`) on, in systems
    whose commissioning was in one CCG by then (``one``) and in the others (``several``): the number
    of systems of each kind, how many saw a trust merger or acquisition, the changes counted and
    those that could not be placed in a system."""
    since = last_ccg_merger(lineage)
    table = consolidation_by_system(lineage, changes, trusts, since)
    later = changes[changes["change_type"].isin(CONSOLIDATING) & (changes["date"] >= since)]
    out = {
        "since": since,
        "n_trust_changes": len(later),
        "n_unplaced": int(trust_change_systems(later, trusts).isna().sum()),
    }
    for name, group in (("one", table[table["one_ccg_2021"]]), ("several", table[~table["one_ccg_2021"]])):
        with_trusts = int((group["trust_consolidations"] > 0).sum())
        out[f"n_systems_{name}"] = len(group)
        out[f"n_with_trust_change_{name}"] = with_trusts
        out[f"share_{name}"] = with_trusts / len(group) if len(group) else float("nan")
    return out
