"""Tests of the geography datasets (ICBs, CCG lineage, district overlap, 2016 footprints) and of
the analysis helpers in nhsreport.analysis.systems.

Unit and bad-input tests run on tiny fixture files written to tmp_path. The checks against
published figures need data/raw and skip without it; the expected numbers come from the
project's research notes on ICS structure (section and source given with each test).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from nhsreport.analysis import systems
from nhsreport.build import pipeline
from nhsreport.build.datasets import REGISTRY
from nhsreport.build.datasets import geography as geo
from nhsreport.build.readers import ods, ons
from nhsreport.errors import DataError
from nhsreport.schema import to_csv_bytes

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

CW_HEADER = [
    "CCG21CD",
    "CCG21CDH",
    "CCG21NM",
    "STP21CD",
    "STP21CDH",
    "STP21NM",
    "LOC22CD",
    "LOC22CDH",
    "LOC22NM",
    "ICB22CD",
    "ICB22CDH",
    "ICB22NM",
    "boundaries_changed_ccg_loc",
    "boundaries_changed_stp_icb",
]


def _write_csv(path: Path, header, rows, encoding="utf-8", newline="\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator=newline)
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


def _cw_row(ccg_gss, ccg, stp, icb, changed=False, icb_gss="E54000001", icb_name="NHS Alpha Integrated Care Board"):
    return [
        ccg_gss,
        ccg,
        f"NHS {ccg} CCG",
        "E54000001",
        stp,
        f"STP {stp}",
        ccg_gss,
        ccg,
        f"NHS ICB - {ccg}",
        icb_gss,
        icb,
        icb_name,
        str(changed),
        str(changed),
    ]


@pytest.fixture
def mini_crosswalk(tmp_path):
    rows = [
        _cw_row("E38000001", "01A", "QAA", "QAA", icb_gss="E54000001", icb_name="NHS Alpha Integrated Care Board"),
        _cw_row(
            "E38000002",
            "02B",
            "QAA",
            "QBB",
            changed=True,
            icb_gss="E54000002",
            icb_name="NHS Beta Integrated Care Board",
        ),
        _cw_row(
            "E38000003",
            "03C",
            "QBB",
            "QBB",
            changed=True,
            icb_gss="E54000002",
            icb_name="NHS Beta Integrated Care Board",
        ),
    ]
    return _write_csv(tmp_path / "ons-geography" / "ccg21-stp21-sicbl22-icb22-crosswalk.csv", CW_HEADER, rows)


@pytest.fixture
def mini_lookup(tmp_path):
    header = ["FID", "LSOA11CD", "LSOA11NM", "CCG21CD", "CCG21CDH", "CCG21NM", "LAD21CD", "LAD21NM"]
    rows = [
        [1, "E01000001", "A 001A", "E38000001", "01A", "NHS 01A CCG", "E06000001", "Town, North"],
        [2, "E01000002", "A 001B", "E38000001", "01A", "NHS 01A CCG", "E06000001", "Town, North"],
        [3, "E01000003", "A 001C", "E38000002", "02B", "NHS 02B CCG", "E06000001", "Town, North"],
        [4, "E01000004", "B 001A", "E38000002", "02B", "NHS 02B CCG", "E07000002", "Shire"],
        [5, "E01000005", "B 001B", "E38000003", "03C", "NHS 03C CCG", "E07000002", "Shire"],
        [6, "E01000006", "C 001A", "E38000003", "03C", "NHS 03C CCG", "E07000003", "Dale"],
    ]
    return _write_csv(
        tmp_path / "ons-geography" / "lsoa11-ccg21-lad21-lookup-2021-04.csv",
        header,
        rows,
        encoding="utf-8-sig",
        newline="\r\n",
    )


# a July 2022 move for the fixture: Shire's LSOAs of CCG 02B go to QBB via location 03C
MINI_MOVES = (("02B", "E07000002", "Shire", "QBB", "03C", "fixture move"),)


# ------------------------------------------------------------------------------------------
# parsers and builders on fixtures
# ------------------------------------------------------------------------------------------


def test_parse_crosswalk(mini_crosswalk):
    cw = ons.read_crosswalk(mini_crosswalk)
    assert list(cw["CCG21CDH"]) == ["01A", "02B", "03C"]
    assert cw["boundaries_changed_ccg_loc"].tolist() == [False, True, True]


def test_parse_crosswalk_renamed_column(tmp_path):
    header = [("ICB22_CODE" if c == "ICB22CDH" else c) for c in CW_HEADER]
    p = _write_csv(tmp_path / "cw.csv", header, [_cw_row("E38000001", "01A", "QAA", "QAA")])
    with pytest.raises(DataError) as e:
        ons.read_crosswalk(p)
    assert "cw.csv" in str(e.value) and "'ICB22CDH'" in str(e.value)


def test_parse_crosswalk_bad_flag(tmp_path):
    row = _cw_row("E38000001", "01A", "QAA", "QAA")
    row[-2] = "yes"
    p = _write_csv(tmp_path / "cw.csv", CW_HEADER, [row])
    with pytest.raises(DataError, match=r"cw\.csv: line 2, column 'boundaries_changed_ccg_loc'"):
        ons.read_crosswalk(p)


def test_parse_lsoa_lookup_bom_and_quotes(mini_lookup):
    lk = ons.read_lsoa_lookup(mini_lookup)
    assert list(lk.columns)[0] == "LSOA11CD"  # no byte-order mark left in the first name
    assert lk.loc[0, "LAD21NM"] == "Town, North"


def test_parse_lsoa_lookup_truncated(tmp_path, mini_lookup):
    text = mini_lookup.read_text(encoding="utf-8-sig")
    cut = text[: text.rindex("E38000003")]  # the last line stops in the middle of the CCG code column
    p = tmp_path / "truncated.csv"
    p.write_text(cut, encoding="utf-8-sig")
    with pytest.raises(DataError) as e:
        ons.read_lsoa_lookup(p)
    msg = str(e.value)
    assert "truncated.csv" in msg and "line 7" in msg and "column" in msg


def test_parse_population_wrong_type(tmp_path):
    header = ["CCG Code", "CCG Name", "STP21 Code", "STP21 Name", "NHSER21 Code", "NHSER21 Name", "All Ages"]
    rows = [
        ["E38000001", "NHS A CCG", "E54000001", "A", "E40000003", "London", "1000"],
        ["E38000002", "NHS B CCG", "E54000001", "A", "E40000003", "London", "1,2x0"],
    ]
    p = _write_csv(tmp_path / "pop.csv", header, rows)
    with pytest.raises(DataError, match=r"pop\.csv: line 3, column 'All Ages': expected a number"):
        ons.read_population(p)
    rows[1][-1] = "2,000"
    rows[1][4] = "E40000099"
    p = _write_csv(tmp_path / "pop2.csv", header, rows)
    with pytest.raises(DataError, match=r"pop2\.csv: line 3, column 'NHSER21 Code'"):
        ons.read_population(p)


def _etr_row(code, region, hlhg, closed="", gor="A"):
    r = [""] * 27
    r[0], r[1], r[2], r[3], r[9], r[10], r[11], r[23] = (
        code,
        f"{code} NHS TRUST",
        region,
        hlhg,
        "AB1 2CD",
        "20000401",
        closed,
        gor,
    )
    return r


def test_parse_etr_and_open_trusts(tmp_path):
    rows = [
        _etr_row("RAA", "Y56", "QAA"),
        _etr_row("RBB", "Y56", "QAA", closed="20200331"),
        _etr_row("RQF", "", "", gor="W"),
        _etr_row("RCC", "W00", "Q99"),
    ]
    p = _write_csv(tmp_path / "etr.csv", None, rows)
    t = geo.open_english_trusts(ods.read_etr(p))
    assert t["code"].tolist() == ["RAA"]


def test_parse_etr_missing_icb(tmp_path):
    rows = [_etr_row("RAA", "Y56", "QAA"), _etr_row("RBB", "Y56", "")]
    p = _write_csv(tmp_path / "etr.csv", None, rows)
    with pytest.raises(DataError, match=r"etr\.csv: line 2, column 4"):
        ods.read_etr(p)


def test_lsoa_assignment_and_overlap(mini_crosswalk, mini_lookup):
    cw = ons.read_crosswalk(mini_crosswalk)
    lk = ons.read_lsoa_lookup(mini_lookup)
    a = geo.lsoa_assignment(lk, cw, mini_crosswalk, moves=MINI_MOVES)
    assert a.set_index("LSOA11CD").loc["E01000004", "icb22"] == "QBB"  # by the crosswalk
    o = geo.overlap(a, cw).set_index(["lad_code", "icb_code"])
    # Town: 2 LSOAs in STP QAA and ICB QAA, 1 LSOA of CCG 02B in STP QAA but ICB QBB
    assert o.loc[("E06000001", "QAA"), "n_lsoas"] == 2
    assert o.loc[("E06000001", "QAA"), "n_lsoas_stp21"] == 3
    assert o.loc[("E06000001", "QBB"), "n_lsoas"] == 1
    assert o.loc[("E06000001", "QBB"), "n_lsoas_stp21"] == 0
    assert bool(o.loc[("E06000001", "QAA"), "lad_split"]) and not bool(o.loc[("E06000001", "QAA"), "lad_split_stp21"])
    assert o.loc[("E06000001", "QAA"), "share_of_lad_lsoas"] == pytest.approx(2 / 3, abs=1e-6)
    # Shire: split on STP21 (QAA/QBB), whole in QBB on ICB22
    assert not bool(o.loc[("E07000002", "QBB"), "lad_split"]) and bool(o.loc[("E07000002", "QBB"), "lad_split_stp21"])
    assert o.groupby(level=0)["share_of_lad_lsoas"].sum().round(6).eq(1).all()


def test_lsoa_assignment_refuses_unknown_boundary_change(mini_crosswalk, mini_lookup):
    cw = ons.read_crosswalk(mini_crosswalk)
    lk = ons.read_lsoa_lookup(mini_lookup)
    with pytest.raises(DataError, match="boundaries_changed_ccg_loc"):
        geo.lsoa_assignment(lk, cw, mini_crosswalk, moves=())


def test_build_overlap_through_context(tmp_path, mini_crosswalk, mini_lookup, monkeypatch):
    """The builder reads its files through the pipeline context (hash check stubbed out)."""
    from nhsreport.build import sources

    monkeypatch.setattr(
        pipeline,
        "sha256_file",
        lambda p: sources.get("ccg21_icb22_crosswalk" if "crosswalk" in str(p) else "lsoa11_ccg21_lad21_lookup").sha256,
    )
    monkeypatch.setattr(geo, "MOVES_2022", MINI_MOVES)
    ctx = pipeline.Context(tmp_path, tmp_path / "curated", REGISTRY)
    df = geo.build_lad_icb_overlap(ctx)
    assert set(df.columns) == set(geo.LAD_ICB_OVERLAP.columns)
    assert df["lad_code"].nunique() == 3
    assert len(ctx.read) == 2


def _xlsx(path: Path, sheets: dict[str, list[list]]):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _reffile(tmp_path, pre_name="Pre-Apr 2020"):
    pre = [
        ["Title row"],
        [],
        ["CCG Code", "CCG Name", "STP Code", "STP Name", "Region Code", "Region Name"],
        ["01A", "NHS A CCG", "QAA", "A", "Y56", "London"],
        ["01B", "NHS B CCG", "QAA", "A", "Y56", "London"],
        ["02C", "NHS C CCG", "QAA", "A", "Y56", "London"],
        ["03D", "NHS D CCG", "QBB", "B", "Y56", "London"],
    ]
    post = [
        ["CCG Code", "CCG Name", "STP Code", "STP Name", "Region Code", "Region Name"],
        ["05E", "NHS E CCG", "QAA", "A", "Y56", "London"],
        ["02C", "NHS C CCG", "QAA", "A", "Y56", "London"],
        ["03D", "NHS D CCG", "QBB", "B", "Y56", "London"],
    ]
    mer = [
        ["Legacy (closing) CCG Code", "Legacy (closing) CCG Name", "New CCG Name", "New CCG Code"],
        ["01A", "A CCG", "NHS E CCG", "05E"],
        ["01B", "B CCG", "NHS E CCG", "05E"],
    ]
    return _xlsx(tmp_path / "ref.xlsx", {"Title Sheet": [[]], pre_name: pre, "Post-Apr 2020": post, "CCG Mergers": mer})


def test_parse_reffile_and_renamed_sheet(tmp_path):
    ref = ods.read_ccg_stp_reffile(_reffile(tmp_path))
    assert ref["pre"]["CCG Code"].tolist() == ["01A", "01B", "02C", "03D"]
    assert ref["mergers"][["old", "new"]].values.tolist() == [["01A", "05E"], ["01B", "05E"]]
    bad = _reffile(tmp_path / "bad", pre_name="Pre April 2020")
    with pytest.raises(DataError) as e:
        ods.read_ccg_stp_reffile(bad)
    msg = str(e.value)
    assert "ref.xlsx" in msg and "sheet 'Pre-Apr 2020'" in msg and "Pre April 2020" in msg


def test_lineage_on_fixture(tmp_path):
    """2013: 01A, 01B, 09Z. 09Z merged into 02C in 2016 (successor file); 01A and 01B into 05E
    in April 2020 (RefFile); 02C closed in April 2021, when A1B2C was the only new CCG of its STP."""
    ref = ods.read_ccg_stp_reffile(_reffile(tmp_path))
    c13 = pd.DataFrame(
        {
            "CCG13CD": ["E38000001", "E38000002", "E38000009"],
            "CCG13CDH": ["01A", "01B", "09Z"],
            "CCG13NM": ["NHS A", "NHS B", "NHS Z"],
        }
    )
    at = pd.DataFrame(
        {"CCG13CD": ["E38000001", "E38000002", "E38000009"], "NHSAT13NM": ["AT"] * 3, "NHSCR13NM": ["R"] * 3}
    )
    cw = pd.DataFrame(
        [
            _cw_row("E38000050", "05E", "QAA", "QAA"),
            _cw_row("E38000070", "A1B2C", "QAA", "QAA"),
            _cw_row("E38000004", "03D", "QBB", "QBB"),
        ],
        columns=CW_HEADER,
    )
    oc = pd.DataFrame(
        {
            "old_code": ["09Z"],
            "new_code_1": ["02C"],
            "date_change_1": ["2016-04-01"],
            "change_type_1": ["merger"],
            "final_code": ["02C"],
        }
    )
    m19 = pd.DataFrame(columns=["old", "new", "logged"])
    eccg = pd.DataFrame({"code": ["02C"], "name": ["NHS C CCG"], "opened": ["20160401"], "closed": [None]})
    t19 = {"NHS A CCG": "E38000001", "NHS B CCG": "E38000002", "NHS C CCG": "E38000003", "NHS D CCG": "E38000004"}
    t20 = {"NHS E CCG": "E38000050", "NHS C Clinical Commissioning Group": "E38000003", "NHS D CCG": "E38000004"}
    paths = {k: f"{k}.csv" for k in ("ccg13", "ref", "cw", "oc", "eccg", "geo19", "geo20")}
    df = geo.lineage(c13, at, ref, cw, oc, m19, eccg, t19, t20, paths, counts=(3, 4, 3, 3)).set_index("ccg_code")
    assert df.loc["09Z", "successor_2021_code"] == "A1B2C"
    assert df.loc["09Z", "successor_basis"] == "ods_successor_file+same_stp_new_ccg_2021"
    assert not bool(df.loc["09Z", "successor_exact"])
    assert df.loc["01A", "successor_2021_code"] == "05E" and df.loc["01A", "successor_basis"] == "reffile_ccg_mergers"
    assert df.loc["02C", "ccg_gss_code"] == "E38000003" and df.loc["02C", "ccg_name"] == "NHS C CCG"
    assert df.loc["03D", "successor_basis"] == "unchanged" and pd.isna(df.loc["03D", "successor_date"])
    assert df.loc["09Z", "ccg_name"] == "NHS Z CCG"
    with pytest.raises(DataError, match="April 2013"):
        geo.lineage(c13, at, ref, cw, oc, m19, eccg, t19, t20, paths, counts=(211, 4, 3, 3))


def test_change_log_mergers_and_bad_text(tmp_path):
    ok = pd.DataFrame(
        {
            "Date": pd.to_datetime(["2019-04-03", "2019-04-03"]),
            "STP Code": ["QJK", "QAA"],
            "Type of Change": ["Partner merger.", "Partner name change"],
            "Details": ["North CCG (99P) and South CCG (99Q) have merged to form NHS Devon CCG (15N)", "x"],
        }
    )
    m = ods.ccg_mergers_2019(ok, "log.xlsx")
    assert m[["old", "new"]].values.tolist() == [["99P", "15N"], ["99Q", "15N"]]
    bad = ok.iloc[:1].assign(Details="Two CCGs merged")
    with pytest.raises(DataError, match=r"log\.xlsx: sheet 'Change Log', 2019-04-03 QJK"):
        ods.ccg_mergers_2019(bad, "log.xlsx")


def _mapping_xlsx(tmp_path, bad_code=False):
    ons = [
        [None] * 10,
        [
            "ONS Mapping",
            None,
            None,
            None,
            "ONS STP Code",
            "Footprint name",
            "Number of CCGs",
            "Region",
            "CCG",
            "ODS CCG Code",
        ],
        ["E54000001", "00L", None, None, "E54000001", "Alpha", 2, "North (Y54)", "A CCG", "00L"],
        [None, "X1" if bad_code else "00N", None, None, None, None, None, None, "B CCG", "00N"],
        [None] * 10,
        ["E54000002", "01H", None, None, "E54000002", "Beta\n", 1, "North (Y54)", "C CCG", "01H"],
    ]
    head = ["NHS England Region", "ODS STP Code", "STP Footprint no", "ONS STP Code", "STP Name"]
    current = [["title"], head, ["North (Y54)", "QHM", 1, "E54000049", "Merged STP"]]
    closed = [
        head,
        ["North (Y54)", "QVP", 1, "E54000046", "Alpha STP"],
        ["North (Y54)", "QT8", 2, "E54000002", "Beta STP"],
    ]
    log = [
        ["Change Log"],
        [],
        ["Date", "STP Code", "STP Name", "Type of Change", "Details"],
        [pd.Timestamp("2018-06-07"), "QVP", "Alpha", "STP code closed (merger)", "Code closed, merged into QHM"],
        [pd.Timestamp("2018-06-07"), "QT8", "Beta", "STP code closed (merger)", "Code closed, merged into QHM"],
    ]
    return _xlsx(
        tmp_path / "stp.xlsx",
        {"Change Log": log, "Current STPs": current, "Closed STP codes": closed, "ONS STP-CCG mapping": ons},
    )


def test_footprints_on_fixture(tmp_path):
    p = _mapping_xlsx(tmp_path)
    fp = ods.read_footprints_2016(p)
    assert fp["ccgs"].tolist() == [["00L", "00N"], ["01H"]]
    assert fp["name"].tolist() == ["Alpha", "Beta"]
    cw = pd.DataFrame([_cw_row("E38000001", "00L", "QHM", "QHM")], columns=CW_HEADER).assign(STP21CD="E54000050")
    out = geo.footprints(fp, ods.read_current_stps(p), ods.read_closed_stps(p), ods.read_stp_change_log(p), cw, p, n=2)
    assert out["stp_ods_code"].tolist() == ["QVP", "QT8"]
    assert out["merged_into"].tolist() == ["QHM", "QHM"]
    assert out["stp21_gss_code"].tolist() == ["E54000050", "E54000050"]
    assert str(out["date_merged"].iloc[0].date()) == "2018-06-07"


def test_footprints_bad_ccg_code(tmp_path):
    p = _mapping_xlsx(tmp_path, bad_code=True)
    with pytest.raises(DataError) as e:
        ods.read_footprints_2016(p)
    msg = str(e.value)
    assert "stp.xlsx" in msg and "sheet 'ONS STP-CCG mapping'" in msg and "'X1'" in msg


def test_parse_topo_names_damaged(tmp_path):
    p = tmp_path / "ccg.topo.json"
    p.write_text('{"type": "Topology", "objects": {"data": {"geometries": [{"properties": {"AREACD": "E38000001"}}]}}}')
    with pytest.raises(DataError, match=r"ccg\.topo\.json: geometry 1 properties"):
        ons.read_topo_names(p)
    p.write_text('{"type": "Topology", ')
    with pytest.raises(DataError, match="valid TopoJSON"):
        ons.read_topo_names(p)


def test_names():
    assert geo.short_icb_name("NHS Cheshire and Merseyside Integrated Care Board") == "Cheshire and Merseyside"
    assert geo.ccg_display_name("NHS Devon Clinical Commissioning Group") == "NHS Devon CCG"
    assert geo.ccg_display_name("NHS Ashford") == "NHS Ashford CCG"
    assert geo.ccg_display_name("Darlington CCG") == "NHS Darlington CCG"


# ------------------------------------------------------------------------------------------
# nhsreport.analysis.systems on small frames
# ------------------------------------------------------------------------------------------


@pytest.fixture
def small_icbs():
    return pd.DataFrame(
        {
            "icb_code": ["QAA", "QBB", "QCC", "QDD"],
            "icb_gss_code": ["E54000001", "E54000002", "E54000003", "E54000004"],
            "icb_name": ["North West London", "South West London", "Cheshire and Merseyside", "Frimley"],
            "icb_name_full": [
                "NHS North West London Integrated Care Board",
                "NHS South West London Integrated Care Board",
                "NHS Cheshire and Merseyside Integrated Care Board",
                "NHS Frimley Integrated Care Board",
            ],
            "region_code": ["Y56", "Y56", "Y62", "Y59"],
            "region_name": ["London", "London", "North West", "South East"],
            "population": [2_000_000, 1_500_000, 2_500_000, 500_000],
            "icb_2026_code": ["Z9B2Z", "QBB", "QCC", "S0E4D"],
            "icb_2026_name": ["West and North London", "South West London", "Cheshire and Merseyside", "Thames Valley"],
            "icb_2026_share": [1.0, 1.0, 1.0, 0.6],
            "icb_2026_parts": ["Z9B2Z:1", "QBB:1", "QCC:1", "S0E4D:0.6;QCC:0.4"],
        }
    )


def test_population_range(small_icbs):
    r = systems.population_range(small_icbs)
    assert (r["min_name"], r["min"], r["max_name"], r["max"]) == (
        "Frimley",
        500_000,
        "Cheshire and Merseyside",
        2_500_000,
    )
    assert r["ratio"] == 5.0 and r["median"] == 1_750_000 and r["total"] == 6_500_000


def test_by_region(small_icbs):
    g = systems.by_region(small_icbs).set_index("region_code")
    assert g.loc["Y56", "n_icbs"] == 2 and g.loc["Y56", "population"] == 3_500_000
    assert g["share"].sum() == pytest.approx(1)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("QCC", "Cheshire and Merseyside"),
        ("qcc", "Cheshire and Merseyside"),
        ("E54000004", "Frimley"),
        ("merseyside", "Cheshire and Merseyside"),
        ("NHS Frimley Integrated Care Board", "Frimley"),
        ("  north WEST london ", "North West London"),
    ],
)
def test_find_icb(small_icbs, query, expected):
    assert systems.find_icb(query, small_icbs)["icb_name"] == expected


def test_find_icb_errors(small_icbs):
    with pytest.raises(systems.IcbLookupError) as e:
        systems.find_icb("Chesire", small_icbs)
    assert isinstance(e.value, LookupError)
    assert e.value.candidates[0] == "Cheshire and Merseyside" and "closest names: Cheshire and Merseyside" in str(
        e.value
    )
    with pytest.raises(systems.IcbLookupError) as e:
        systems.find_icb("London", small_icbs)
    assert e.value.candidates == ["North West London", "South West London"] and "matches 2 ICBs" in str(e.value)
    with pytest.raises(systems.IcbLookupError, match="no ICB matches 'qzx'"):
        systems.find_icb("qzx", small_icbs)


def test_icbs_2026_on_a_small_table(small_icbs):
    t = systems.icbs_2026(small_icbs).set_index("icb_2026_code")
    assert t.loc["QCC", "population"] == 2_500_000 + 200_000
    assert bool(t.loc["QCC", "includes_split"]) and not bool(t.loc["QBB", "includes_split"])
    assert t.loc["QCC", "icbs_2022"] == "Cheshire and Merseyside; Frimley (part)"


def test_split_districts_and_counts():
    o = pd.DataFrame(
        {
            "lad_code": ["E1", "E1", "E2", "E3", "E3"],
            "lad_name": ["One", "One", "Two", "Three", "Three"],
            "icb_code": ["QAA", "QBB", "QAA", "QAA", "QBB"],
            "icb_name": ["A", "B", "A", "A", "B"],
            "n_lsoas": [3, 1, 5, 0, 4],
            "share_of_lad_lsoas": [0.75, 0.25, 1, 0, 1],
            "n_lsoas_stp21": [3, 1, 5, 1, 3],
            "share_of_lad_lsoas_stp21": [0.75, 0.25, 1, 0.25, 0.75],
        }
    )
    s = systems.split_districts(o)
    assert s["lad_name"].tolist() == ["One"] and s["areas"].iloc[0] == "A 75%; B 25%"
    assert systems.split_districts(o, "stp21")["lad_name"].tolist() == ["One", "Three"]
    assert systems.districts_per_icb(o).to_dict() == {"QAA": 2, "QBB": 2}
    with pytest.raises(ValueError):
        systems.split_districts(o, "ccg")


# ------------------------------------------------------------------------------------------
# the real files: checks against published figures
# ------------------------------------------------------------------------------------------

needs_raw = pytest.mark.skipif(
    not (RAW / "ons-geography" / "ccg21-stp21-sicbl22-icb22-crosswalk.csv").exists(),
    reason="data/raw is absent (run `make data-raw`)",
)


@pytest.fixture(scope="module")
def built():
    ctx = pipeline.Context(RAW, ROOT / "data" / "curated", REGISTRY)
    return {n: ctx.dataset(n) for n in ("icbs", "ccg_lineage", "lad_icb_overlap", "stp_footprints_2016")}


@needs_raw
def test_icb_population_against_published(built):
    """structure-facts §5 (ONS mid-2020 on April 2021 CCGs, aggregated to STP21)."""
    i = built["icbs"]
    assert len(i) == 42
    assert i["population"].sum() == 56_550_138 == i["population_stp21"].sum()
    r = systems.population_range(i, "population_stp21")
    assert (r["min_name"], r["min"]) == ("Shropshire, Telford and Wrekin", 506_737)
    assert (r["max_code"], r["max"]) == ("QHM", 3_000_432)
    assert r["median"] == pytest.approx(1.16e6, rel=0.01)  # "about 1.16m"
    assert round(r["ratio"], 1) == 5.9
    s = i.set_index("icb_code")["population_stp21"]
    assert (s["QSL"], s["QT6"], s["QOP"], s["QYG"]) == (563_851, 575_525, 2_881_890, 2_503_902)
    # by region, millions to 2 dp, and systems per region
    reg = systems.by_region(i, "population_stp21").set_index("region_name")
    published = {
        "Midlands": (10.66, 11),
        "London": (9.00, 5),
        "South East": (8.93, 6),
        "North East and Yorkshire": (8.64, 4),
        "North West": (7.09, 3),
        "East of England": (6.56, 6),
        "South West": (5.67, 7),
    }
    for name, (m, n) in published.items():
        assert round(reg.loc[name, "population_stp21"] / 1e6, 2) == m and reg.loc[name, "n_icbs"] == n


@needs_raw
def test_icb22_population_differs_by_bassetlaw_only(built):
    i = built["icbs"].set_index("icb_code")
    diff = i[i["population"] != i["population_stp21"]]
    assert sorted(diff.index) == ["QF7", "QT1"]
    moved = i.loc["QT1", "population"] - i.loc["QT1", "population_stp21"]
    assert moved == i.loc["QF7", "population_stp21"] - i.loc["QF7", "population"] == 118_280
    # the six ICBs whose July 2022 boundary cut across a CCG (structure-facts §5 caveat)
    assert sorted(i.index[i["population_approximate"]]) == ["QHL", "QJ2", "QOP", "QPM", "QUA", "QUE"]


@needs_raw
def test_trust_counts_against_published(built):
    """structure-facts §5: 220 open English trusts (ODS etr Oct 2020), mean 5.2, median 4.5,
    fewest 2 (LLR, SNEE, Gloucestershire among them), most 18 (C&M), then GM and C&NE with 11."""
    n = built["icbs"].set_index("icb_code")["n_trusts"]
    assert n.sum() == 220 and round(n.mean(), 1) == 5.2 and n.median() == 4.5
    assert n.min() == 2 and {"QK1", "QJG", "QR1"} <= set(n.index[n == 2])
    assert (n["QYG"], n["QOP"], n["QHM"]) == (18, 11, 11)


@needs_raw
def test_icbs_2026(built):
    """structure-facts §3: 42 - 12 + 6 = 36 ICBs from 1 April 2026."""
    i = built["icbs"].set_index("icb_code")
    assert i["icb_2026_code"].nunique() == 36
    assert set(geo.NEW_ICBS_2026) <= set(i["icb_2026_code"])
    closed = sorted(i.index[i["icb_2026_code"] != i.index])
    assert len(closed) == 12
    assert (i.loc["QJG", "icb_2026_code"], i.loc["QM7", "icb_2026_code"], i.loc["QNQ", "icb_2026_code"]) == (
        "T6Y0W",
        "S1Y5D",
        "S0E4D",
    )
    assert (i.loc["QMJ", "icb_2026_code"], i.loc["QRV", "icb_2026_code"]) == ("Z9B2Z", "Z9B2Z")
    assert "QRL" in i.loc["QNQ", "icb_2026_parts"]  # Hampshire and Isle of Wight gains part of Frimley
    t = systems.icbs_2026(built["icbs"])
    assert len(t) == 36 and abs(t["population"].sum() - 56_550_138) < 10


@needs_raw
def test_lineage_counts(built):
    """structure-facts §4: 211 (2013), 191 (2019), 135 (2020), 106 (2021); 74 CCGs merged into 18
    in April 2020; 42 ICBs."""
    lin = built["ccg_lineage"]
    assert systems.ccg_counts(lin) == {2013: 211, 2019: 191, 2020: 135, 2021: 106, 2022: 42}
    m20 = lin[lin["successor_basis"] == "reffile_ccg_mergers"]
    assert len(m20) == 74 and m20["successor_2021_code"].nunique() <= 18
    assert lin[lin["exists_2013"] & ~lin["exists_2019"]]["successor_2021_code"].notna().all()
    assert lin.set_index("ccg_code").loc["02Q", "icb_code"] == "QT1"  # Bassetlaw moved QF7 -> QT1


@needs_raw
def test_eccg_2018_count():
    """structure-facts §4: the eccg extract of Nov 2018 has 213 CCG rows, 18 closed on 2018-03-31: 195 CCGs."""
    e = geo.ccgs_in_eccg(RAW / "nhs-ods" / "eccg-2018-11.csv")
    assert len(e) == 213 and (e["closed"] == "20180331").sum() == 18


@needs_raw
def test_split_districts_against_published(built):
    """structure-facts §5: 309 LADs; 15 split across STP/ICS footprints (April 2021); LADs per
    STP from 2 to 18 (Lancashire and South Cumbria), median 7.5."""
    o = built["lad_icb_overlap"]
    assert o["lad_code"].nunique() == 309
    published = [
        "Birmingham",
        "Buckinghamshire",
        "Chichester",
        "Copeland",
        "Craven",
        "East Suffolk",
        "Guildford",
        "Hart",
        "High Peak",
        "North Hertfordshire",
        "North Northamptonshire",
        "Runnymede",
        "Surrey Heath",
        "Vale of White Horse",
        "Waverley",
    ]
    assert systems.split_districts(o, "stp21")["lad_name"].tolist() == published
    fixed = {"Birmingham", "High Peak", "North Northamptonshire"}  # reunited by the July 2022 moves
    assert systems.split_districts(o, "icb22")["lad_name"].tolist() == [n for n in published if n not in fixed]
    d = systems.districts_per_icb(o, "stp21")
    assert (d.min(), d.max(), d.idxmax(), d.median()) == (2, 18, "QE1", 7.5)
    assert {"QOC", "QHL", "QPM", "QT6", "QVV"} == set(d.index[d == 2])
    i = built["icbs"].set_index("icb_code")
    assert (i["n_local_authorities_stp21"] == d.reindex(i.index)).all()
    assert (i["n_local_authorities"] == systems.districts_per_icb(o).reindex(i.index)).all()


@needs_raw
def test_ccg21_split_districts():
    """structure-facts §5: 32 LADs are split across more than one April 2021 CCG."""
    lk = ons.read_lsoa_lookup(RAW / "ons-geography" / "lsoa11-ccg21-lad21-lookup-2021-04.csv")
    assert len(lk) == 32_844 and (lk.groupby("LAD21CD")["CCG21CD"].nunique() > 1).sum() == 32


@needs_raw
def test_footprints_2016(built):
    """structure-facts §1: 44 footprints E54000001-E54000044; three merged into QHM on 2018-06-07,
    leaving 42."""
    f = built["stp_footprints_2016"].set_index("stp_gss_code")
    assert list(f.index) == [f"E540000{i:02d}" for i in range(1, 45)]
    merged = f[f["merged_into"].notna()]
    assert sorted(merged["stp_ods_code"]) == ["QMK", "QT8", "QVP"]
    assert set(merged["merged_into"]) == {"QHM"} and {str(d.date()) for d in merged["date_merged"]} == {"2018-06-07"}
    assert f["icb_code"].nunique() == 42
    assert (f["n_ccgs"] == f["n_ccgs_stated"]).all()
    assert f.loc["E54000007", "n_ccgs"] == 12


@needs_raw
def test_deterministic(built):
    ctx = pipeline.Context(RAW, ROOT / "data" / "curated", REGISTRY)
    for name, df in built.items():
        ds = REGISTRY[name]
        assert to_csv_bytes(ctx.dataset(name), ds) == to_csv_bytes(df, ds)


@pytest.mark.parametrize("name", sorted(n for n, ds in REGISTRY.items() if ds.kind == "geo"))
def test_every_area_has_a_label_point_inside_it(name):
    """Maps name areas at ``label_lon``/``label_lat``: a point inside the area's largest polygon,
    checked here against the area's own outline (a ray-casting test on every polygon and hole)."""
    from nhsreport import data, geometry

    topo = data.geo(name)
    arcs = geometry.lonlat_arcs(topo)
    outside = []
    for g in topo["objects"]["areas"]["geometries"]:
        p = g["properties"]
        pt = (p["label_lon"], p["label_lat"])
        if not geometry.in_polygons(pt, geometry.rings(g, arcs)):
            outside.append(f"{p['code']} {p['name']} {pt}")
    assert not outside, f"label points outside their area: {outside[:5]}"
