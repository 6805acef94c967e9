"""Tests of gp_practices: the parser on a fixture, bad input, and the counts from the raw file by a second route."""

from __future__ import annotations

import csv

import pytest

from nhsreport.build import sources
from nhsreport.build.readers import ods
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
