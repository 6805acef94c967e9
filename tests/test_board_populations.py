"""A second route from the raw files to each board's populations, practices, patients and the
shares of split councils: plain ``csv``, ``zipfile`` and pandas (:mod:`tests.second_route`), none
of the report's readers, builders or analysis functions. The only facts typed there are the
official boundary moves the raw README names (West Birmingham, Glossop, the North Northamptonshire
part of Cambridgeshire and Peterborough, in July 2022), the division of Frimley in 2026, district by
district, and the districts the unitary councils of April 2023 replaced."""

from __future__ import annotations

from collections import defaultdict

import pytest

from . import second_route as sr
from .conftest import load_datasets

MAP, AGES, LISTS, MYE, LSOA = sr.GP_MAP_2026, sr.GP_AGES_2026, sr.GP_LISTS_2025, sr.MYE_2024, sr.LSOA_LOOKUP


def _need(*rels):
    for rel in rels:
        if not (sr.RAW / rel).exists():
            pytest.skip(f"raw file {rel} not present (make data-raw)")


def practice_map() -> list[dict]:
    _need(MAP)
    return sr.practice_map_2026()


def registered() -> dict:
    _need(AGES)
    return sr.registered_2026()


def residents() -> dict[str, int]:
    _need(MYE)
    return sr.residents_2024()


def district_parts() -> dict[str, dict[str, float]]:
    _need(MAP, AGES, LSOA)
    return sr.district_parts_2026()


@pytest.fixture(scope="module")
def pops():
    return load_datasets("board_populations")["board_populations"].set_index("icb_2026_code")


def test_registered_patients_of_every_board(pops):
    pats = registered()
    for code, row in pops.iterrows():
        assert row["registered_patients"] == pats[("ICB", code)], code
        assert row["registered_65_plus"] == pats[("ICB", code, "65+")], code
        assert row["registered_85_plus"] == pats[("ICB", code, "85+")], code
    assert pops["registered_patients"].sum() == sum(v for (t, _), v in _totals(pats, "Comm Region"))


def _totals(pats, org_type):
    return [(k, v) for k, v in pats.items() if len(k) == 2 and k[0] == org_type]


def test_practices_networks_and_lists_of_every_board(pops):
    _need(LISTS)
    lists = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in sr.zip_rows(LISTS)}
    practices: dict = defaultdict(set)
    networks: dict = defaultdict(set)
    for r in practice_map():
        practices[r["ICB_CODE"]].add(r["PRACTICE_CODE"])
        if r["PCN_CODE"] != "U":
            networks[r["ICB_CODE"]].add(r["PCN_CODE"])
    assert sum(len(p) for p in practices.values()) == len(practice_map())  # each practice in one board
    for code, row in pops.iterrows():
        assert row["n_practices"] == len(practices[code]), code
        assert row["n_pcns"] == len(networks[code]), code
        assert row["practice_patients_2025_04"] == sum(lists[p] for p in practices[code]), code


def test_residents_of_every_board(pops):
    """Whole districts bring all their residents, split ones their registered-patient share; each
    board within one person per split district of its rounding."""
    res = residents()
    parts = district_parts()
    assert sum(res[lad] for lad in parts) == res["E92000001"]  # every English district, once
    by_board: dict = defaultdict(float)
    n_split: dict = defaultdict(int)
    for lad, shares in parts.items():
        total = sum(shares.values())
        for board, weight in shares.items():
            by_board[board] += res[lad] * weight / total
            n_split[board] += len(shares) > 1
    for code, row in pops.iterrows():
        assert row["residents"] == pytest.approx(by_board[code], abs=1 + n_split[code]), code
        assert bool(row["residents_estimate"]) == (n_split[code] > 0), code
    assert pops["residents"].sum() == res["E92000001"]


def test_registered_patient_share_of_split_councils():
    """Each split council's share in each board: its districts' registered-patient weights."""
    from nhsreport.analysis import board_facts

    ut = board_facts.BoardData().upper_tier
    upper = load_datasets("lad_upper_tier_2023")["lad_upper_tier_2023"].set_index("lad_code")["upper_code"]
    res, parts = residents(), district_parts()
    council: dict = defaultdict(lambda: defaultdict(float))
    for lad, shares in parts.items():
        total = sum(shares.values())
        for board, weight in shares.items():
            council[upper[lad]][board] += res[lad] * weight / total
    split = ut[ut["split"]]
    assert sorted(split["upper_name"].unique()) == [
        "Buckinghamshire",
        "Cumberland",
        "North Yorkshire",
        "Oxfordshire",
        "Westmorland and Furness",
    ]
    for r in split.itertuples():
        expected = council[r.upper_code][r.icb_2026_code] / sum(council[r.upper_code].values())
        assert r.share_residents == pytest.approx(expected, abs=1e-5), (r.upper_name, r.icb_2026_code)
