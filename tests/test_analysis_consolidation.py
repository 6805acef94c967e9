"""CCG and trust mergers by system (nhsreport.analysis.consolidation), on small made-up tables and
on the processed data."""

from __future__ import annotations

import pandas as pd

from nhsreport import data
from nhsreport.analysis import consolidation as co


def _tables():
    lineage = pd.DataFrame(
        {
            "icb_code": ["QA", "QA", "QB", "QB", "QC"],
            "exists_2019": [True, True, True, True, True],
            "exists_2021": [True, False, True, True, True],
            "successor_date": pd.to_datetime(["2021-04-01", "2021-04-01", None, None, None]),
        }
    )
    changes = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-04-01", "2020-04-01", "2023-04-01", "2024-04-01"]),
            "old_code": ["T1", "T2", "T3", "T5"],
            "new_code": ["T9", "T9", "T4", "T6"],
            "change_type": ["acquisition", "merger", "split", "merger"],
        }
    )
    trusts = pd.DataFrame(
        {
            "org_code": ["T1", "T2", "T3", "T4", "T5", "T6", "T9"],
            "hq_stp_2020": ["QA", "QA", "QB", "QB", None, "QC", "QA"],
        }
    )
    return lineage, changes, trusts


def test_consolidation_by_system_counts_later_mergers_in_the_absorbed_trusts_system():
    lineage, changes, trusts = _tables()
    table = co.consolidation_by_system(lineage, changes, trusts, "2021-04-01").set_index("icb_code")
    assert table["one_ccg_2021"].to_dict() == {"QA": True, "QB": False, "QC": True}
    # T1 -> T9 counts in QA; T2 -> T9 is too early; T3 splits; T5 has no system of its own, so its successor's (QC)
    assert table["trust_consolidations"].to_dict() == {"QA": 1, "QB": 0, "QC": 1}


def test_consolidation_association_from_the_last_ccg_merger():
    lineage, changes, trusts = _tables()
    found = co.consolidation_association(lineage, changes, trusts)
    assert found["since"] == pd.Timestamp("2021-04-01") and found["n_trust_changes"] == 2
    assert (found["n_systems_one"], found["n_with_trust_change_one"], found["share_one"]) == (2, 2, 1.0)
    assert (found["n_systems_several"], found["n_with_trust_change_several"]) == (1, 0)
    assert found["n_unplaced"] == 0


def test_every_later_trust_merger_is_placed_in_a_system_of_2022():
    data.declare(None)
    lineage, changes, trusts = data.load("ccg_lineage"), data.load("trust_changes"), data.load("trusts")
    found = co.consolidation_association(lineage, changes, trusts)
    assert found["n_unplaced"] == 0
    assert found["n_systems_one"] + found["n_systems_several"] == lineage["icb_code"].nunique() == 42
