"""Tests of gp_practices: the parser on a fixture, bad input, and the counts from the raw file by a second route."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from nhsreport.build import sources
from nhsreport.build.readers import ods, registrations
from nhsreport.errors import DataError

from .conftest import ROOT, load_datasets

RAW = ROOT / "data" / "raw"
HEADER = (
    "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,"
    "CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME\n"
)
ROW = "GP_PRAC_PAT_LIST,01-Sep-20,{code},THE {code} SURGERY,TS18 1HU,{pcn},{pcn_name},E38000247,{ccg},NHS X CCG,E54000050,{stp},X,E40000009,{reg},NE\n"


def _file(tmp_path, rows):
    p = tmp_path / "map.csv"
    p.write_text(HEADER + "".join(ROW.format(**r) for r in rows), encoding="utf-8")
    return p


def _r(code, pcn="U89141", pcn_name="STOCKTON PCN", ccg="16C", stp="QHM", reg="Y63"):
    return dict(code=code, pcn=pcn, pcn_name=pcn_name, ccg=ccg, stp=stp, reg=reg)


def test_parse_practice_map(tmp_path):
    df = ods.read_practice_map(_file(tmp_path, [_r("A81001"), _r("A81002", pcn="U", pcn_name="Unallocated")]))
    d = df.set_index("practice_code")
    assert d.at["A81001", "pcn_name"] == "STOCKTON PCN"  # the reader keeps names as published
    assert d.at["A81001", "icb_code"] == "QHM" and d.at["A81001", "region_code"] == "Y63"
    assert d["pcn_code"].isna().tolist() == [False, True]  # 'U' = no network


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([_r("A81001"), _r("A81001")], ["map.csv", "lines 2 and 3", "'PRACTICE_CODE'", "each practice once"]),
        (
            [_r("A81001"), _r("A81002", stp="QYG")],
            ["map.csv", "line 2", "'STP_CODE'", "one STP_CODE for each CCG_CODE"],
        ),
        ([_r("A81001"), _r("A81002", ccg="")], ["map.csv", "line 3", "'CCG_CODE'", "a value"]),
    ],
)
def test_parse_practice_map_bad_input(tmp_path, rows, expected):
    with pytest.raises(DataError) as e:
        ods.read_practice_map(_file(tmp_path, rows))
    for part in expected:
        assert part in str(e.value), f"{part!r} not in {e.value}"


def test_renamed_column(tmp_path):
    p = tmp_path / "map.csv"
    p.write_text(HEADER.replace("STP_CODE", "ICB_CODE") + ROW.format(**_r("A81001")), encoding="utf-8")
    with pytest.raises(DataError) as e:
        ods.read_practice_map(p)
    assert "map.csv" in str(e.value) and "'STP_CODE'" in str(e.value)


@pytest.mark.skipif(not (RAW / sources.get("gp_practice_mapping_2020_09").path).exists(), reason="data/raw not present")
def test_counts_from_raw_file():
    with open(RAW / sources.get("gp_practice_mapping_2020_09").path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    g = load_datasets("gp_practices")["gp_practices"]
    assert len(g) == len(rows) == 6708
    assert "Stockton PCN" in set(g["pcn_name"])  # names in capitals put in title case by the builder
    assert g["pcn_code"].nunique() == len({r["PCN_CODE"] for r in rows if r["PCN_CODE"] != "U"}) == 1251
    per_stp = {}
    for r in rows:
        per_stp[r["STP_CODE"]] = per_stp.get(r["STP_CODE"], 0) + 1
    assert g.groupby("icb_code").size().to_dict() == per_stp


# --- the August 2026 map, the April 2025 patients and gp_practices_2026 --------------------------

HEADER_2026 = (
    "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,"
    "ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,ICB_CODE,ICB_NAME,"
    "ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME,SUPPLIER_NAME\n"
)
ROW_2026 = (
    "GP_PRAC_PAT_LIST,01Aug2026,{code},THE {code} SURGERY,TS18 1HU,{pcn},STOCKTON PCN,E38000247,{sub},"
    "NHS X ICB - {sub},E54000050,{icb},NHS X Integrated Care Board,E40000012,Y63,North East and Yorkshire,TPP\n"
)


def _map_2026(tmp_path, rows):
    p = tmp_path / "map26.csv"
    p.write_text(HEADER_2026 + "".join(ROW_2026.format(**r) for r in rows), encoding="utf-8")
    return p


def _r26(code, pcn="U89141", sub="16C", icb="QHM"):
    return dict(code=code, pcn=pcn, sub=sub, icb=icb)


def test_parse_practice_map_2026(tmp_path):
    df = registrations.read_practice_map_2026(_map_2026(tmp_path, [_r26("A81001"), _r26("A81002", pcn="U")]))
    d = df.set_index("practice_code")
    assert d.at["A81001", "icb_code"] == "QHM" and d.at["A81001", "sub_icb_code"] == "16C"
    assert d["pcn_code"].isna().tolist() == [False, True]
    assert str(d["extract_date"].iloc[0].date()) == "2026-08-01"


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([_r26("A81001"), _r26("A81001")], ["map26.csv", "lines 2 and 3", "'PRACTICE_CODE'", "each code once"]),
        ([_r26("A81001"), _r26("A81002", icb="QYG")], ["map26.csv", "line 2", "'ICB_CODE'", "one ICB_CODE"]),
        ([_r26("A81001"), _r26("A81002", sub="")], ["map26.csv", "line 3", "SUB_ICB_LOCATION_CODE", "a value"]),
    ],
)
def test_parse_practice_map_2026_bad_input(tmp_path, rows, expected):
    with pytest.raises(DataError) as e:
        registrations.read_practice_map_2026(_map_2026(tmp_path, rows))
    for part in expected:
        assert part in str(e.value), f"{part!r} not in {e.value}"


def test_parse_practice_patients_bad_count(tmp_path):
    p = tmp_path / "all.csv"
    head = "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
    row = "GP_PRAC_PAT_LIST,2025-04-01,GP,16C,E38000247,{code},TS18 1HU,ALL,ALL,{n}\n"
    p.write_text(head + row.format(code="A81001", n="3904"), encoding="utf-8")
    assert registrations.read_practice_patients(p)["patients"].tolist() == [3904]
    p.write_text(head + row.format(code="A81001", n="3904") + row.format(code="A81002", n="many"), encoding="utf-8")
    with pytest.raises(DataError) as e:
        registrations.read_practice_patients(p)
    assert "line 3" in str(e.value) and "NUMBER_OF_PATIENTS" in str(e.value)


def test_parse_epraccur_unknown_status(tmp_path):
    cells = ['"A81001"', '"X SURGERY"', '"Y63"', '"QHM"'] + ['""'] * 5 + ['"TS18 1HU"', '"19740401"', '""']
    cells += ['"OPEN"', '"B"', '"16C"'] + ['""'] * 10 + ['"RO76"', '""']
    p = tmp_path / "epraccur.csv"
    p.write_text(",".join(cells) + "\r\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        registrations.read_epraccur_2026(p)
    assert "line 1" in str(e.value) and "status" in str(e.value)


@pytest.mark.skipif(not (RAW / sources.get("gp_practice_mapping_2026_08").path).exists(), reason="data/raw not present")
def test_2026_practices_from_raw_file():
    """Second route (plain zipfile and csv): every practice of the August 2026 map in exactly one of
    the 36 boards, with its April 2025 patients."""
    with zipfile.ZipFile(RAW / sources.get("gp_practice_mapping_2026_08").path) as z:
        rows = list(csv.DictReader(io.TextIOWrapper(z.open(z.namelist()[0]), encoding="utf-8-sig")))
    with zipfile.ZipFile(RAW / sources.get("gp_patients_practice_2025_04").path) as z:
        patients = {
            r["CODE"]: int(r["NUMBER_OF_PATIENTS"])
            for r in csv.DictReader(io.TextIOWrapper(z.open(z.namelist()[0]), encoding="utf-8-sig"))
        }
    g = load_datasets("gp_practices_2026")["gp_practices_2026"]
    assert len(g) == len(rows) == g["practice_code"].nunique() == 6129
    boards = {}
    for r in rows:
        boards.setdefault(r["PRACTICE_CODE"], set()).add(r["ICB_CODE"])
    assert all(len(b) == 1 for b in boards.values())
    assert dict(zip(g["practice_code"], g["icb_2026_code"])) == {k: next(iter(v)) for k, v in boards.items()}
    assert g["icb_2026_code"].nunique() == 36
    assert int(g["patients_2025_04"].sum()) == sum(patients[r["PRACTICE_CODE"]] for r in rows)
