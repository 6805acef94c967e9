"""A second route from the raw files to each board's populations, practices, patients and the
shares of split councils: plain ``csv`` and ``zipfile``, none of the report's readers, builders or
analysis functions. The only facts typed here are the official boundary moves the raw README names
(West Birmingham, Glossop, the North Northamptonshire part of Cambridgeshire and Peterborough, in
July 2022) and the division of Frimley in 2026, district by district."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from functools import cache

import pytest

from .conftest import ROOT, load_datasets

RAW = ROOT / "data" / "raw"

MAP = "nhs-gp-registrations/gp-reg-pat-prac-map-2026-08.zip"
AGES = "nhs-gp-registrations/gp-reg-pat-prac-sing-age-regions-2026-08.zip"
LISTS = "nhs-gp-registrations/gp-reg-pat-prac-all-2025-04.zip"
MYE = "ons-population/mye24-persons-lad23.csv"
LSOA = "ons-geography/lsoa11-ccg21-lad21-lookup-2021-04.csv"

# (2021 CCG, 2021 district) -> the 2026 sub-ICB location its LSOAs are in: the July 2022 moves
MOVED = {("D2P2L", "E08000025"): "15E", ("01Y", "E07000037"): "15M", ("06H", "E06000061"): "78H"}
# Frimley (CCG D4U1Y, divided in 2026), by district -> 2026 sub-ICB location
FRIMLEY = {"E06000036": "U2G6B", "E06000039": "U2G6B", "E06000040": "U2G6B", "E07000089": "D9Y0V"}
FRIMLEY |= {"E07000092": "D9Y0V", "E07000209": "92A", "E07000212": "92A", "E07000214": "92A", "E07000216": "92A"}
# the unitary councils of April 2023, from the 2021 districts they replaced
UNITARY_2023 = {c: "E06000063" for c in ("E07000026", "E07000028", "E07000029")}
UNITARY_2023 |= {c: "E06000064" for c in ("E07000027", "E07000030", "E07000031")}
UNITARY_2023 |= {f"E07000{n}": "E06000065" for n in range(163, 170)}
UNITARY_2023 |= {c: "E06000066" for c in ("E07000187", "E07000188", "E07000189", "E07000246")}


def _need(*rels):
    for rel in rels:
        if not (RAW / rel).exists():
            pytest.skip(f"raw file {rel} not present (make data-raw)")


def _zip_rows(rel: str) -> list[dict]:
    with zipfile.ZipFile(RAW / rel) as z:
        return list(csv.DictReader(io.TextIOWrapper(z.open(z.namelist()[0]), encoding="utf-8-sig")))


@cache
def practice_map() -> list[dict]:
    _need(MAP)
    return _zip_rows(MAP)


@cache
def registered() -> dict[tuple[str, str], int]:
    """(ORG_TYPE, ORG_CODE) -> all-ages patients, and (ORG_TYPE, ORG_CODE, '65+'/'85+') -> older."""
    _need(AGES)
    out: dict = defaultdict(int)
    for r in _zip_rows(AGES):
        n = int(r["NUMBER_OF_PATIENTS"])
        key = (r["ORG_TYPE"], r["ORG_CODE"])
        if r["SEX"] == "ALL" and r["AGE"] == "ALL":
            out[key] += n
        elif r["SEX"] != "ALL" and r["AGE"] != "ALL":
            age = 95 if r["AGE"] == "95+" else int(r["AGE"])
            out[key + ("65+",)] += n if age >= 65 else 0
            out[key + ("85+",)] += n if age >= 85 else 0
    return dict(out)


@cache
def residents() -> dict[str, int]:
    _need(MYE)
    with open(RAW / MYE, encoding="utf-8-sig", newline="") as f:
        return {r["Code"]: int(r["All ages"]) for r in csv.DictReader(f)}


@cache
def district_parts() -> dict[str, dict[str, float]]:
    """2023 district -> {board: registered-patient weight of its LSOAs in that board}, each LSOA
    weighing its 2026 sub-ICB location's patients divided by that location's LSOAs."""
    _need(LSOA)
    board_of = {r["SUB_ICB_LOCATION_CODE"]: r["ICB_CODE"] for r in practice_map()}
    with open(RAW / LSOA, encoding="utf-8-sig", newline="") as f:
        lsoas = list(csv.DictReader(f))
    sub = []
    for r in lsoas:
        ccg, lad = r["CCG21CDH"], r["LAD21CD"]
        sub.append(FRIMLEY[lad] if ccg == "D4U1Y" else MOVED.get((ccg, lad), ccg))
    n_lsoas: dict = defaultdict(int)
    for s in sub:
        n_lsoas[s] += 1
    pats = registered()
    out: dict = defaultdict(lambda: defaultdict(float))
    for r, s in zip(lsoas, sub):
        lad = UNITARY_2023.get(r["LAD21CD"], r["LAD21CD"])
        out[lad][board_of[s]] += pats[("SUB_ICB_LOCATION_CODE", s)] / n_lsoas[s]
    return {lad: dict(parts) for lad, parts in out.items()}


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
    lists = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in _zip_rows(LISTS)}
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
