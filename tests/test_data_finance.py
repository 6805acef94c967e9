"""Tests of trust_finances and consultants_by_org: parsers on tiny fixtures, bad input that names
the file, line and column and leaves data/processed untouched, and the published totals
recomputed from the raw files by a second route."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from nhsreport.build import pipeline, sources
from nhsreport.build.datasets import finance as fin
from nhsreport.build.readers import workforce as wfr
from nhsreport.errors import DataError

from .conftest import ROOT

RAW = ROOT / "data" / "raw"
FIN_HEADER = "ORG_CODE,YEAR,FINANCIAL_POSITION,OP_INCOME,OP_COST\n"
DEFS = (
    "code,variable,label\n"
    "simple_fte,SIMPLE_MANAGERS_FTE,Managers (FTE - basic definition)\n"
    "consultants,CONSULTANTS,Senior doctors (FTE)\n"
    "fin_pos,NET_FINANCIAL_POSITION,Net financial position (£ million)\n"
    "op_cost,OPERATING_COST,Total budget (£ million)\n"
    "year,YEAR,Financial Year\n"
    "change_18_op_cost,CHANGE_2017_2018_OPERATING_COST,Change 17/18 to 18/19 in Total Operating Cost (£ million)\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------
# parsers on fixtures
# ------------------------------------------------------------------------------------------


def test_parse_trust_finances_signs(tmp_path):
    p = _write(tmp_path, "fin.csv", FIN_HEADER + "RA2,2010,5982,233898,-223686\nRBB,2015,0,0,0\n")
    df = wfr.read_trust_finances(p).set_index("org_code")
    assert df.at["RA2", "cost_gbp_k"] == 223686 and df.at["RA2", "income_gbp_k"] == 233898
    assert df.at["RA2", "surplus_gbp_k"] == 5982 and df.at["RA2", "year"] == 2010


@pytest.mark.parametrize(
    "body, expected",
    [
        ("RA2,2010,5982,233898,223686\n", ["fin.csv", "line 2", "'OP_COST'", "zero or less"]),
        ("RA2,2010,5982,-5,-223686\n", ["fin.csv", "line 2", "'OP_INCOME'", "zero or more"]),
        (
            "RA2,2010,5982,233898,-223686\nRA3,2010,n/a,93199,-88779\n",
            ["fin.csv", "line 3", "'FINANCIAL_POSITION'", "a number"],
        ),
        (
            "RA2,2010,5982,233898,-223686\nRA2,2010,1,2,-1\n",
            ["fin.csv", "lines 2 and 3", "one row per ORG_CODE and YEAR"],
        ),
        ("RA2,2010,5982,233898\n", ["fin.csv", "line 2", "'OP_COST'", "a value"]),
    ],
)
def test_parse_trust_finances_bad_input(tmp_path, body, expected):
    p = _write(tmp_path, "fin.csv", FIN_HEADER + body)
    with pytest.raises(DataError) as e:
        wfr.read_trust_finances(p)
    for part in expected:
        assert part in str(e.value), f"{part!r} not in {e.value}"


def test_parse_trust_finances_renamed_column(tmp_path):
    p = _write(tmp_path, "fin.csv", FIN_HEADER.replace("OP_COST", "OPERATING_COST") + "RA2,2010,1,2,-1\n")
    with pytest.raises(DataError) as e:
        wfr.read_trust_finances(p)
    assert "fin.csv" in str(e.value) and "'OP_COST'" in str(e.value)


def test_parse_consultants(tmp_path):
    p = _write(tmp_path, "cons.csv", "YEAR,ORG_CODE,SIMPLE_CONSULTANTS_FTE\n2009,RA2 ,3.2\n2009,5A3,0\n")
    df = wfr.read_consultants_fte(p)
    assert df["org_code"].tolist() == ["RA2", "5A3"] and df["consultants_fte"].tolist() == [3.2, 0.0]
    bad = _write(tmp_path, "cons2.csv", "YEAR,ORG_CODE,SIMPLE_CONSULTANTS_FTE\n2009,RA2,3.2\n2009,RA3,-1\n")
    with pytest.raises(DataError) as e:
        wfr.read_consultants_fte(bad)
    assert "cons2.csv" in str(e.value) and "line 3" in str(e.value) and "SIMPLE_CONSULTANTS_FTE" in str(e.value)


def test_definitions_checked(tmp_path):
    good = _write(tmp_path, "defs.csv", DEFS)
    assert fin.check_definitions(good)["CONSULTANTS"] == "Senior doctors (FTE)"
    changed = _write(tmp_path, "defs2.csv", DEFS.replace("Total budget (£ million)", "Total budget (£ thousand)"))
    with pytest.raises(DataError) as e:
        fin.check_definitions(changed)
    msg = str(e.value)
    assert "defs2.csv" in msg and "line 5" in msg and "'label'" in msg and "OPERATING_COST" in msg
    gone = _write(tmp_path, "defs3.csv", "\n".join(DEFS.splitlines()[:3]) + "\n")
    with pytest.raises(DataError) as e:
        fin.check_definitions(gone)
    assert "defs3.csv" in str(e.value) and "NET_FINANCIAL_POSITION" in str(e.value)


# ------------------------------------------------------------------------------------------
# a malformed official file stops the build and leaves data/ untouched
# ------------------------------------------------------------------------------------------

needs_raw = pytest.mark.skipif(
    not (RAW / "nhs-workforce/trust-financial-positions-2010-2018.csv").exists(),
    reason="data/raw not present (run `make data-raw`)",
)


def _snapshot(d: Path) -> dict:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


FIN = ["trust_finances", "consultants_by_org"]


@needs_raw
@pytest.mark.parametrize(
    "source_id, damage, names, expected",
    [
        (
            "trust_financial_positions_2010_2018",
            lambda t: t.replace("RA2,2010,5982,233898,-223686", "RA2,2010,5982,233898,223686"),
            FIN,
            ["trust-financial-positions-2010-2018.csv", "line 2", "'OP_COST'"],
        ),
        (
            "consultants_fte_by_org_2009_2018",
            lambda t: t.replace("2009,5A3,2.2", "2009,5A3,two"),
            FIN,
            ["consultants-fte-by-org-2009-2018.csv", "line 3", "'SIMPLE_CONSULTANTS_FTE'", "a number"],
        ),
        (
            "managers_fte_variable_definitions",
            lambda t: t.replace("Senior doctors (FTE)", "Consultants (headcount)"),
            FIN,
            ["managers-fte-variable-definitions.csv", "'label'", "CONSULTANTS"],
        ),
        (
            "gp_practice_mapping_2020_09",
            lambda t: t.replace(",A81002,", ",A81001,", 1),
            ["gp_practices"],
            ["gp-reg-pat-prac-map-2020-09.csv", "lines 2 and 3", "'PRACTICE_CODE'", "each practice once"],
        ),
        (
            "gp_practice_mapping_2020_09",
            lambda t: t.replace("STP_CODE", "ICB_CODE"),
            ["gp_practices"],
            ["gp-reg-pat-prac-map-2020-09.csv", "'STP_CODE'", "a column of that name"],
        ),
        (
            "geo_ctyua_2022",
            lambda t: t.replace('"AREANM":"Essex"', '"NAME":"Essex"'),
            ["lad_upper_tier"],
            ["ctyua-dec2022-en-buc.topo.json", "properties", "'AREACD' and 'AREANM'"],
        ),
    ],
)
def test_damaged_official_file_fails_and_writes_nothing(tmp_path, monkeypatch, source_id, damage, names, expected):
    raw = tmp_path / "raw"
    for s in sources.SOURCES:
        src = RAW / s.path
        if src.exists():
            (raw / s.path).parent.mkdir(parents=True, exist_ok=True)
            (raw / s.path).symlink_to(src)
    target = raw / sources.get(source_id).path
    text = (RAW / sources.get(source_id).path).read_text(encoding="utf-8-sig")
    assert damage(text) != text, "the damage must change the file"
    target.unlink()
    target.write_text(damage(text), encoding="utf-8")
    # the registry is updated to the new file's hash, as a refresh would: the parser must catch it
    real = pipeline.sha256_file
    monkeypatch.setattr(
        pipeline, "sha256_file", lambda p: sources.get(source_id).sha256 if Path(p) == target else real(p)
    )
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "processed", out / "processed")
    shutil.copy(ROOT / "data" / "datapackage.json", out / "datapackage.json")
    before = _snapshot(out)
    with pytest.raises(DataError) as e:
        pipeline.run(names, raw_dir=raw, data_dir=out)
    for part in expected:
        assert part in str(e.value), f"{part!r} not in {e.value}"
    assert _snapshot(out) == before


# ------------------------------------------------------------------------------------------
# second route: the stated figures from the raw files with the csv module
# ------------------------------------------------------------------------------------------


def _raw_rows(source_id):
    with open(RAW / sources.get(source_id).path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@needs_raw
def test_sector_totals_from_raw_file():
    from .conftest import load_datasets

    tf = load_datasets("trust_finances")["trust_finances"]
    rows = _raw_rows("trust_financial_positions_2010_2018")
    for year in range(2010, 2019):
        r = [x for x in rows if int(x["YEAR"]) == year]
        cost = -sum(float(x["OP_COST"]) for x in r)
        net = sum(float(x["FINANCIAL_POSITION"]) for x in r)
        deficits = sum(float(x["FINANCIAL_POSITION"]) < 0 for x in r)
        d = tf[tf["year"] == year]
        assert abs(d["cost_gbp_k"].sum() - cost) < 1 and abs(d["surplus_gbp_k"].sum() - net) < 1
        assert (d["surplus_gbp_k"] < 0).sum() == deficits
    # the figures the chapter states: £87.3bn of operating cost in 2018/19, the deepest deficit in 2015/16
    net_by_year = {
        y: sum(float(x["FINANCIAL_POSITION"]) for x in rows if int(x["YEAR"]) == y) for y in range(2010, 2019)
    }
    assert min(net_by_year, key=net_by_year.get) == 2015
    assert round(net_by_year[2015] / 1e6, 2) == -2.44
    assert round(-sum(float(x["OP_COST"]) for x in rows if x["YEAR"] == "2018") / 1e6, 1) == 87.3


@needs_raw
def test_consultants_totals_from_raw_file():
    from .conftest import load_datasets

    c = load_datasets("consultants_by_org")["consultants_by_org"]
    rows = _raw_rows("consultants_fte_by_org_2009_2018")
    for year in (2009, 2013, 2018):
        want = sum(float(x["SIMPLE_CONSULTANTS_FTE"]) for x in rows if int(x["YEAR"]) == year)
        assert abs(c.loc[c["year"] == year, "consultants_fte"].sum() - want) < 0.01
    assert len(c) == len(rows)
    trusts = c[c["org_type"].isin(["acute", "mental health", "community", "ambulance"])]
    assert trusts.groupby("year")["consultants_fte"].sum().is_monotonic_increasing


def test_declared_year_is_financial_year_start():
    f = next(d for d in fin.DATASETS if d.name == "trust_finances")
    assert "2018 = April 2018 to March 2019" in f.field("year").description
    assert "CHANGE_2017_2018_OPERATING_COST" in fin.DEFINITIONS  # the evidence for that reading


def test_every_registered_file_is_read_by_a_dataset():
    from nhsreport.build.datasets import REGISTRY

    read = {s for d in REGISTRY.values() for s in d.sources}
    unread = [s.id for s in sources.SOURCES if s.id not in read]
    assert unread == [], f"registered raw files no dataset reads: {unread}"
