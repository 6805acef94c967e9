"""Tests of the workforce datasets: builders on tiny fixtures, bad input, and published figures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from nhsreport import formatting
from nhsreport.build.datasets import REGISTRY
from nhsreport.build.datasets import workforce as wf
from nhsreport.build.pipeline import Context
from nhsreport.build.readers import workforce as rw
from nhsreport.errors import DataError
from nhsreport.schema import validate

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

ETH_SHEET = "nhs-workforce-data-june-2022"
ETH_COLS = ["Time", "Ethnicity", "Ethnicity_type", "Staff_Group", "Role_Group", "Grade", "Value"]
ALL = "All"
ALL_INCL = "All - Including Unknown, Not Stated And Discontinued Codes"


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(xw, sheet_name=name, header=False, index=False)
    return path


def _eth_rows():
    rows = [ETH_COLS]
    for t in ("2019-09-01", "2020-09-01"):
        ts = pd.Timestamp(t)
        for eth, add in ((ALL, 0), (ALL_INCL, 5)):
            rows += [
                [ts, eth, "All", "NHS Infrastructure Support", "Managers", "All Grades", 100 + add],
                [ts, eth, "All", "NHS Infrastructure Support", "Senior Managers", "All Grades", 50 + add],
                [ts, eth, "All", "Professionally Qualified Clinical Staff", "Hchs Doctors", "All Grades", 300 + add],
                [ts, eth, "All", "Support To Clinical Staff", "Support To St&T Staff", "All Grades", 20 + add],
            ]
        rows.append([ts, ALL, "All", "NHS Infrastructure Support", "Managers", "Band 8a", 7])  # a grade row: ignored
        rows.append([ts, "White", "ONS 6+1", "NHS Infrastructure Support", "Managers", "All Grades", 90])  # ignored
    return rows


# ------------------------------------------------------------------------------------------
# names
# ------------------------------------------------------------------------------------------


def test_sentence_case():
    assert formatting.sentence_case("Senior Managers") == "Senior managers"
    assert formatting.sentence_case("Hchs Doctors") == "HCHS doctors"
    assert formatting.sentence_case("Support To St&T Staff") == "Support to ST&T staff"
    assert formatting.sentence_case("NHS Infrastructure Support") == "NHS infrastructure support"


def test_tidy_name():
    assert formatting.tidy_name("SOUTH GLOUCESTERSHIRE PCT") == "South Gloucestershire PCT"
    assert formatting.tidy_name("NHS NORTH DURHAM CCG") == "NHS North Durham CCG"
    assert (
        formatting.tidy_name("King's College Hospital NHS Foundation Trust")
        == "King's College Hospital NHS Foundation Trust"
    )
    assert formatting.tidy_name(None) is None


# ------------------------------------------------------------------------------------------
# workforce_national
# ------------------------------------------------------------------------------------------


def test_national_table_from_fixture(tmp_path):
    p = _xlsx(tmp_path / "eth.xlsx", {ETH_SHEET: _eth_rows()})
    df = wf.national_table(rw.read_ethnicity_workforce(p))
    d = df[df["date"] == pd.Timestamp("2019-09-01")].set_index("staff_group")
    assert d.loc["Managers", "headcount"] == 100
    assert d.loc["Senior managers", "parent"] == "NHS infrastructure support"
    assert d.loc["HCHS doctors", "level"] == "role group"
    assert d.loc["Support to ST&T staff", "headcount_incl_unknown_ethnicity"] == 25
    assert d.loc["NHS infrastructure support", "headcount"] == 150
    assert d.loc["NHS infrastructure support", "level"] == "staff group"
    assert d.loc["All staff", "headcount"] == 470
    assert d.loc["All staff", "headcount_incl_unknown_ethnicity"] == 490
    assert pd.isna(d.loc["All staff", "parent"])
    assert len(df) == 2 * (4 + 3 + 1)


def test_national_renamed_sheet(tmp_path):
    p = _xlsx(tmp_path / "eth.xlsx", {"data": _eth_rows()})
    with pytest.raises(DataError) as e:
        rw.read_ethnicity_workforce(p)
    assert "eth.xlsx" in str(e.value) and ETH_SHEET in str(e.value) and "'data'" in str(e.value)


def test_national_renamed_column(tmp_path):
    rows = _eth_rows()
    rows[0] = ["Time", "Ethnicity", "Ethnicity_type", "Staff_Group", "Role", "Grade", "Value"]
    p = _xlsx(tmp_path / "eth.xlsx", {ETH_SHEET: rows})
    with pytest.raises(DataError) as e:
        rw.read_ethnicity_workforce(p)
    assert "eth.xlsx" in str(e.value) and "Role_Group" in str(e.value)


def test_national_wrong_type(tmp_path):
    rows = _eth_rows()
    rows[2][6] = "lots"
    p = _xlsx(tmp_path / "eth.xlsx", {ETH_SHEET: rows})
    with pytest.raises(DataError) as e:
        rw.read_ethnicity_workforce(p)
    assert (
        "eth.xlsx" in str(e.value) and "'Value'" in str(e.value) and "line 3" in str(e.value) and "lots" in str(e.value)
    )


# ------------------------------------------------------------------------------------------
# managers_by_org
# ------------------------------------------------------------------------------------------


def test_parse_provider_types_strips_codes(tmp_path):
    p = tmp_path / "types.csv"
    p.write_text(
        "ORG_CODE,ORG_NAME,ORG_TYPE,HEE_REGION_CODE,SPECIALIST\n"
        "00J ,NHS North Durham CCG ,Clinical Commissioning Group,YDF30,FALSE\n"
        "RX8 ,Yorkshire Ambulance Service NHS Trust,Ambulance,YDF31,FALSE\n",
        encoding="utf-8",
    )
    df = wf.provider_types(p)
    assert list(df["org_code"]) == ["00J", "RX8"]
    assert list(df["org_type"]) == ["CCG", "ambulance"]
    assert df["org_name"].iloc[0] == "NHS North Durham CCG"


def test_classify_org_rules():
    types = {"RX8": "ambulance", "R1K": "acute"}
    succ = {"RC3": "R1K"}
    kh03 = pd.DataFrame(
        {
            "general_acute_on_beds_available": [10.0, 0.0],
            "mental_illness_on_beds_available": [0.0, 30.0],
            "learn_disabil_on_beds_available": [0.0, 5.0],
        },
        index=["RYQ", "RZZ"],
    )

    def c(code):
        return wf.classify_org(code, types, succ, kh03)[0]

    assert c("RX8") == "ambulance"
    assert c("5A3") == "PCT"
    assert c("Q31") == "SHA"
    assert c("00C") == "CCG" and c("99X") == "CCG"
    assert c("0AA") == "CSU/other"
    assert c("X24") == "CSU/other" and c("T1150") == "CSU/other" and c("NAX") == "CSU/other"
    assert c("RC3") == "acute"
    assert c("RYQ") == "acute" and c("RZZ") == "mental health"
    assert c("TAL") == "PCT"


def test_parse_managers_bad_number(tmp_path):
    p = tmp_path / "managers.csv"
    p.write_text("YEAR,ORG_CODE,SIMPLE_MANAGERS_FTE\n2009,5A3,40.6\n2009,5A4,lots\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        rw.read_managers_fte(p)
    msg = str(e.value)
    assert "managers.csv" in msg and "line 3" in msg and "SIMPLE_MANAGERS_FTE" in msg


def test_parse_managers_truncated(tmp_path):
    p = tmp_path / "managers.csv"
    p.write_text("YEAR,ORG_CODE,SIMPLE_MANAGERS_FTE\n2009,5A3,40.6\n2009,5A4\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        rw.read_managers_fte(p)
    assert "managers.csv" in str(e.value) and "line 3" in str(e.value)


def test_parse_managers_renamed_column(tmp_path):
    p = tmp_path / "managers.csv"
    p.write_text("YEAR,ORG_CODE,MANAGERS_FTE\n2009,5A3,40.6\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        rw.read_managers_fte(p)
    assert "managers.csv" in str(e.value) and "SIMPLE_MANAGERS_FTE" in str(e.value)


def test_managers_table(tmp_path):
    mgr = pd.DataFrame(
        {
            "year": pd.array([2012, 2012, 2016], dtype="Int64"),
            "org_code": ["5A3", "Q30", "00C"],
            "managers_fte": [40.0, 80.0, 10.0],
        }
    )
    provider = pd.DataFrame({"org_code": ["00C"], "org_name": ["NHS Darlington CCG"], "org_type": ["CCG"]})
    kh03 = pd.DataFrame(columns=list(wf._BEDS))
    out = wf.managers_table(mgr, provider, {}, kh03, {"00C": "NHS Darlington CCG", "Q30": "North East SHA"})
    validate(out, dataclasses.replace(REGISTRY["managers_by_org"], rows=None, checks=()), "t")
    assert list(out["org_type"]) == ["PCT", "SHA", "CCG"]
    assert pd.isna(out["org_name"].iloc[0])


# ------------------------------------------------------------------------------------------
# staff_by_org
# ------------------------------------------------------------------------------------------

TURNOVER_HEADER = (
    "PERIOD,TYPE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,REPORTING_ORG_NAME,REPORTING_ORG_CODE,"
    "CLUSTER_GROUP,BENCHMARK_GROUP,STAFF_GROUP_1_NAME,HC,FTE\n"
)


def _turnover(tmp_path, rows, header=TURNOVER_HEADER):
    p = tmp_path / "turnover.csv"
    lines = [header]
    for typ, org, cluster, group, hc, fte in rows:
        lines.append(
            f"202510 to 202511,{typ},Y56,London,QKK,South East London,Org {org},{org},{cluster},x,{group},{hc},{fte}\n"
        )
    p.write_text("".join(lines), encoding="utf-8")
    return p


def test_parse_turnover(tmp_path):
    end = "Denominator at end of period"
    p = _turnover(
        tmp_path,
        [
            (end, "RJ1", "Acute", "All staff groups", 100, 90.5),
            (end, "RJ1", "Acute", "Managers", 10, 9.5),
            (end, "RJ1", "Acute", "Senior managers", "*", "*"),
            ("Leavers", "RJ1", "Acute", "Managers", 1, 1.0),
            (end, "QKK", "Integrated Care Board", "Managers", 20, 19),
        ],
    )
    df = rw.read_turnover(p)
    assert len(df) == 4
    assert (df["date"] == pd.Timestamp("2025-11-30")).all()
    assert set(df["org_type"]) == {"acute", "ICB"}
    sm = df[df["staff_group"] == "Senior managers"]
    assert sm["fte"].isna().all() and sm["headcount"].isna().all()
    assert df.loc[df["staff_group"] == "Managers", "fte"].sum() == 28.5


def test_parse_turnover_wrong_type(tmp_path):
    end = "Denominator at end of period"
    p = _turnover(tmp_path, [(end, "RJ1", "Acute", "Managers", 10, 9.5), (end, "RJ1", "Acute", "Midwives", 3, "three")])
    with pytest.raises(DataError) as e:
        rw.read_turnover(p)
    assert "turnover.csv" in str(e.value) and "line 3" in str(e.value) and "'FTE'" in str(e.value)


def test_parse_turnover_renamed_column(tmp_path):
    p = _turnover(
        tmp_path,
        [("Denominator at end of period", "RJ1", "Acute", "Managers", 10, 9.5)],
        header=TURNOVER_HEADER.replace("STAFF_GROUP_1_NAME", "STAFF_GROUP"),
    )
    with pytest.raises(DataError) as e:
        rw.read_turnover(p)
    assert "turnover.csv" in str(e.value) and "STAFF_GROUP_1_NAME" in str(e.value)


def test_parse_turnover_truncated(tmp_path):
    p = tmp_path / "turnover.csv"
    p.write_text(
        TURNOVER_HEADER + "202510 to 202511,Denominator at end of period,Y56,London,QKK,South East London,"
        "Org,RJ1,Acute,x,Managers,10,9.5\n202510 to 202511,Denominator at end of period,Y56,London\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as e:
        rw.read_turnover(p)
    assert "turnover.csv" in str(e.value) and "line 3" in str(e.value)


def _hchs_rows():
    return [
        ["Month", "Organisation code", "Organisation name", "Staff group", "Nationality", "FTE"],
        ["2017-SEP", "RJ1", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Managers", "British", 10.5],
        ["2017-SEP", "RJ1", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Managers", "Irish", 1.5],
        ["2017-SEP", "RJ1", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Midwives", "British", 5.0],
        ["2018-JUN", "00J", "NHS North Durham CCG", "Senior managers", "Unknown", 2.0],
    ]


def test_parse_hchs(tmp_path):
    p = _xlsx(tmp_path / "hchs.xlsx", {"Notes": [["notes"]], "Data": _hchs_rows()})
    df = rw.read_hchs_fte(p).set_index(["date", "org_code", "staff_group"])
    assert df.loc[(pd.Timestamp("2017-09-30"), "RJ1", "Managers"), "fte"] == 12.0
    assert df.loc[(pd.Timestamp("2017-09-30"), "RJ1", "All staff groups"), "fte"] == 17.0
    assert df.loc[(pd.Timestamp("2018-06-30"), "00J", "Senior managers"), "fte"] == 2.0
    assert df["headcount"].isna().all()


def test_parse_hchs_renamed_sheet(tmp_path):
    p = _xlsx(tmp_path / "hchs.xlsx", {"Notes": [["notes"]], "Data 2018": _hchs_rows()})
    with pytest.raises(DataError) as e:
        rw.read_hchs_fte(p)
    assert "hchs.xlsx" in str(e.value) and "'Data'" in str(e.value) and "Data 2018" in str(e.value)


def test_staff_table_std_groups(tmp_path):
    p = _xlsx(tmp_path / "hchs.xlsx", {"Notes": [["notes"]], "Data": _hchs_rows()})
    hchs = rw.read_hchs_fte(p)
    provider = pd.DataFrame({"org_code": ["RJ1"], "org_name": ["x"], "org_type": ["acute"]})
    out = wf.staff_table(hchs, [], provider, {"RJ1": "QKK", "00J": "QHM"}, {"QKK": "Y56", "QHM": "Y63"})
    assert set(out["staff_group_std"]) == {"Managers", "Midwives", "Senior managers", "All staff"}
    assert out.loc[out["org_code"] == "00J", "org_type"].iloc[0] == "CCG"
    assert out.loc[out["org_code"] == "RJ1", "region_code"].iloc[0] == "Y56"


def _hchs_with_new_trust(tmp_path):
    rows = _hchs_rows() + [
        ["2018-JUN", "R0A", "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", "Managers", "British", 400.0]
    ]
    return rw.read_hchs_fte(_xlsx(tmp_path / "hchs.xlsx", {"Notes": [["notes"]], "Data": rows}))


def test_staff_table_types_trusts_formed_after_the_list(tmp_path):
    # R0A (formed October 2017) is not in the organisation list of about 2018: its type comes from the trusts table
    provider = pd.DataFrame({"org_code": ["RJ1"], "org_name": ["x"], "org_type": ["acute"]})
    out = wf.staff_table(_hchs_with_new_trust(tmp_path), [], provider, {}, {}, {"R0A": "acute", "RJ1": "mental health"})
    assert out.loc[out["org_code"] == "R0A", "org_type"].unique().tolist() == ["acute"]
    assert out.loc[out["org_code"] == "RJ1", "org_type"].unique().tolist() == ["acute"]  # the 2018 list comes first


def test_staff_table_staff_without_type_fails(tmp_path):
    provider = pd.DataFrame({"org_code": ["RJ1"], "org_name": ["x"], "org_type": ["acute"]})
    with pytest.raises(DataError) as e:
        wf.staff_table(_hchs_with_new_trust(tmp_path), [], provider, {}, {}, {}, "hchs.xlsx")
    msg = str(e.value)
    assert "hchs.xlsx" in msg and "R0A" in msg and "June 2018" in msg and "organisation type" in msg


# ------------------------------------------------------------------------------------------
# the real files: published figures
# ------------------------------------------------------------------------------------------


def _built(name):
    ctx = Context(RAW, ROOT / "data" / "curated", REGISTRY)
    df = ctx.dataset(name)
    return df


needs_eth = pytest.mark.skipif(
    not (RAW / "nhs-workforce/ethnicity-facts-nhs-workforce-2009-2022.xls").exists(),
    reason="data/raw not present (run `make data-raw`)",
)
needs_mgr = pytest.mark.skipif(
    not (RAW / "nhs-workforce/managers-fte-by-org-2009-2018.csv").exists(),
    reason="data/raw not present (run `make data-raw`)",
)
needs_turnover = pytest.mark.skipif(
    not (RAW / "nhs-workforce/turnover-benchmarking-staff-group-org-2025-11.csv").exists(),
    reason="data/raw not present (run `make data-raw`)",
)


@needs_eth
def test_national_managers_match_ippr():
    df = _built("workforce_national")
    m = df[df["staff_group"].isin(["Managers", "Senior managers"])].groupby("date")["headcount"].sum()
    # IPPR (BMJ 2023;381:p1313): 35,200 managers in 2010 and 34,900 in 2019; the unrounded figures
    # in the Race Disparity Unit series are 35,240 and 34,977 (research note management-facts A5).
    assert m[pd.Timestamp("2010-09-01")] == 35240
    assert m[pd.Timestamp("2019-09-01")] == 34977
    # the Sep 2019 -> Sep 2020 reclassification step recorded in the caveats
    d = df.set_index(["date", "staff_group"])["headcount"]
    assert d[(pd.Timestamp("2019-09-01"), "Managers")] == 24152
    assert d[(pd.Timestamp("2020-09-01"), "Managers")] == 21600
    assert d[(pd.Timestamp("2019-09-01"), "Senior managers")] == 10825
    assert d[(pd.Timestamp("2020-09-01"), "Senior managers")] == 11265
    assert df["date"].nunique() == 19


@needs_mgr
def test_managers_2016_matches_nhs_digital():
    df = _built("managers_by_org")
    t = df.groupby("year")["managers_fte"].sum()
    # NHS Digital press release, 29 Mar 2017: at 30 Sep 2016, managers 21,000 FTE + senior managers
    # 9,610 FTE = 30,610 in trusts and CCGs (research note management-facts A10).
    assert abs(t[2016] - 30610) / 30610 < 0.001
    assert set(df.loc[df["year"] >= 2016, "org_type"]) <= {"acute", "mental health", "community", "ambulance", "CCG"}
    assert not (df.loc[df["year"] >= 2014, "org_type"] == "PCT").any()


@needs_turnover
def test_staff_nov_2025_managers_share():
    df = _built("staff_by_org")
    d = df[df["date"] == pd.Timestamp("2025-11-30")]
    # research note management-facts A4: the Nov-2025 turnover file gives 40,251 managers and senior
    # managers (FTE) out of 1,331,554 staff (all 205 trusts and 42 ICBs, staff in post at end of period).
    mgr = d.loc[d["staff_group"].isin(["Managers", "Senior managers"]), "fte"].sum()
    allf = d.loc[d["staff_group"] == "All staff groups", "fte"].sum()
    assert round(mgr) == 40251 and round(allf) == 1331554
    assert d["org_code"].nunique() == 247
    assert (d.drop_duplicates("org_code")["org_type"] == "ICB").sum() == 42
    # NHS Digital, 28 Feb 2018 (research note A11): trusts and CCGs 1.05m FTE at 30 Sep 2017
    s17 = df[(df["date"] == pd.Timestamp("2017-09-30")) & (df["staff_group"] == "All staff groups")]["fte"].sum()
    assert abs(s17 - 1.05e6) < 0.01e6
    assert df["icb_code"].notna().mean() > 0.99


@needs_turnover
def test_staff_june_2018_keeps_manchester_university():
    # hchs-staff-by-group-nationality-org-2017-09_2018-06.xlsx, sheet Data, 2018-JUN: R0A (Manchester University
    # NHS FT, formed 1 October 2017) has 17,975.7 FTE summed over staff groups and nationality; it is not in
    # provider-org-types.csv, and used to be typed "other", leaving it out of trust staff.
    df = _built("staff_by_org")
    d = df[(df["date"] == pd.Timestamp("2018-06-30")) & (df["staff_group_std"] == "All staff")].set_index("org_code")
    assert d.at["R0A", "org_type"] == "acute"
    assert round(d.at["R0A", "fte"]) == 17976
    assert set(df["org_type"]) <= {"acute", "mental health", "community", "ambulance", "CCG", "ICB"}
    trusts = d[d["org_type"].isin(["acute", "mental health", "community", "ambulance"])]["fte"].sum()
    assert round(trusts) == 1043913
