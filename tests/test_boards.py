"""The 36 boards of 1 April 2026: the new datasets, the board figures, and the one function that
gives the profiles and the briefings their numbers.

Several figures are checked by a second route: recomputed here from the raw official files with
plain pandas, without the report's parsers or analysis modules."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nhsreport.analysis import boards
from nhsreport.build.datasets.boards import lsoa_boards
from nhsreport.errors import DataError
from nhsreport.publish.briefing import figures

from .conftest import ROOT, load_datasets
from .helpers import assert_fonts_embedded, pdf_pages, pdf_text, run_briefing

RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def ctx():
    return figures.load_context()


@pytest.fixture(scope="module")
def b(ctx):
    return ctx.boards


def raw_csv(rel: str, **kw) -> pd.DataFrame:
    p = RAW / rel
    if not p.exists():
        pytest.skip(f"raw file {rel} not present (make data-raw)")
    return pd.read_csv(p, dtype=str, encoding="utf-8-sig", **kw)


# ---------------------------------------------------------------------------------------------
# the board figures
# ---------------------------------------------------------------------------------------------


def test_36_boards_and_england_totals(b, ctx):
    assert len(b) == 36
    # population is conserved by the apportioning: the boards' mid-2024 residents add up to
    # England's estimate in the raw file
    mye = raw_csv("ons-population/mye24-persons-lad23.csv").set_index("Code")
    assert b["population"].sum() == int(mye.loc["E92000001", "All ages"]) == ctx.boards_england["population"]
    eng = ctx.boards_england
    # England's managers per 100 staff is the same on 36 boards as on 42
    assert eng["managers_per_100_staff"] == pytest.approx(ctx.england_per100)
    assert eng["rca_per_head"] == pytest.approx(float(ctx.england_rca.loc["2025/26", "gbp_per_head"]))
    assert eng["n_below_floor"] == int((b["population"] < 1_000_000).sum())
    # the six new boards formed on 1 April 2026, every other code existed in 2022
    new = set(b.index[b["formed"] == boards.formation_dates()[1]])
    assert new == {"S1Y5D", "D7T5G", "T6Y0W", "S0E4D", "S9B9J", "Z9B2Z"}


def test_divided_boards_are_split_and_flagged(b, ctx):
    s = boards.split_boards(ctx.icbs)
    assert sorted(set(s["icb_code"])) == ["QJG", "QM7", "QNQ"]
    assert s.groupby("icb_code")["share"].sum().tolist() == pytest.approx([1, 1, 1], abs=1e-5)
    receiving = set(s["icb_2026_code"])
    assert receiving == {"T6Y0W", "D7T5G", "S1Y5D", "S0E4D", "QRL", "S9B9J"}
    assert set(b.index[b["estimate"]]) == receiving
    # populations are estimates only where a district is split between boards
    split = set(ctx.lad_boards.loc[ctx.lad_boards["lad_split"], "icb_2026_code"])
    assert set(b.index[b["population_estimate"]]) == split
    assert not b.loc["QOP", "estimate"]


def test_trust_staff_are_not_apportioned(b, ctx):
    """Every trust of the November 2025 staff file is counted once, in one board."""
    staff = ctx.staff[
        (ctx.staff["date"] == ctx.staff_date)
        & (ctx.staff["org_type"] != "ICB")
        & (ctx.staff["staff_group_std"] == "All staff")
    ]
    assert b["trust_staff_fte"].sum() == pytest.approx(staff["fte"].sum())
    icb = ctx.staff[
        (ctx.staff["date"] == ctx.staff_date)
        & (ctx.staff["org_type"] == "ICB")
        & (ctx.staff["staff_group_std"] == "All staff")
    ]
    assert b["icb_staff_fte"].sum() == pytest.approx(icb["fte"].sum())


def test_coterminosity_2026(ctx):
    eng = ctx.boards_england
    lb = ctx.lad_boards
    split = sorted(lb.loc[lb["lad_split"], "lad_name"].unique())
    assert split == [
        "Buckinghamshire",
        "Cumberland",
        "North Yorkshire",
        "Vale of White Horse",
        "Westmorland and Furness",
    ]
    assert eng["n_split_districts"] == 5 and eng["n_districts"] == 296


def test_upper_tier_councils_split_between_boards(ctx):
    ut = ctx.upper_tier
    assert sorted(ut.loc[ut["split"], "upper_name"].unique()) == [
        "Buckinghamshire",
        "Cumberland",
        "North Yorkshire",
        "Oxfordshire",
        "Westmorland and Furness",
    ]
    assert ut.groupby("upper_code")["share"].sum().round(9).eq(1).all()
    assert ut.groupby("upper_code")["share_residents"].sum().round(9).eq(1).all()


def test_find_board_takes_2022_and_2026_codes_and_names(ctx):
    icbs = ctx.icbs
    assert boards.find_board("QOP", icbs) == "QOP"
    assert boards.find_board("s0e4d", icbs) == "S0E4D"
    assert boards.find_board("Thames Valley", icbs) == "S0E4D"
    assert boards.find_board("frimley", icbs) == "S0E4D"  # the largest part of Frimley
    assert boards.find_board("QMJ", icbs) == "Z9B2Z"  # North Central London -> West and North London
    assert boards.find_board("E54000057", icbs) == "QOP"  # ONS code of a 2022 board
    with pytest.raises(figures.IcsNotFoundError) as e:
        figures.resolve_board("Thames Valey", icbs)
    assert "Thames Valley" in e.value.candidates
    with pytest.raises(figures.IcsNotFoundError):
        figures.resolve_board("zzzz nowhere", icbs)


# ---------------------------------------------------------------------------------------------
# second route: from the raw files, with plain pandas
# ---------------------------------------------------------------------------------------------


def test_population_of_new_boards_from_raw_files(b):
    """Residents of two boards made of whole districts, from the raw LSOA lookup, crosswalk and
    mid-2024 file; the full second route for every board is in tests/test_board_populations.py."""
    mye = raw_csv("ons-population/mye24-persons-lad23.csv").set_index("Code")["All ages"].astype(int)
    lk = raw_csv("ons-geography/lsoa11-ccg21-lad21-lookup-2021-04.csv")
    cw = raw_csv("ons-geography/ccg21-stp21-sicbl22-icb22-crosswalk.csv")
    icb22 = lk["CCG21CD"].map(cw.set_index("CCG21CD")["ICB22CDH"])
    # West and North London: the boroughs of North Central and North West London, whole
    boroughs = set(lk.loc[icb22.isin(["QMJ", "QRV"]), "LAD21CD"])
    assert b.loc["Z9B2Z", "population"] == sum(mye[c] for c in boroughs)
    assert b.loc["QSL", "population"] == mye["E06000066"]  # Somerset, one unitary council since 2023
    assert not b.loc[["Z9B2Z", "QSL"], "population_estimate"].any()


def test_trusts_of_new_boards_from_raw_etr():
    etr = raw_csv("nhs-ods/etr-2026-06.csv", header=None)
    opened, closed = etr[10], etr[11]
    open_ = etr[(opened <= "20260401") & (closed.isna() | (closed >= "20260401"))]
    counts = open_.groupby(3).size()
    b = figures.load_context().boards
    for code in ("Z9B2Z", "S9B9J", "QOP"):
        assert b.loc[code, "n_trusts"] == counts[code], code


def test_management_density_of_an_unchanged_and_a_merged_board_from_raw_workforce(b):
    t = raw_csv("nhs-workforce/turnover-benchmarking-staff-group-org-2025-11.csv")
    t = t[t["TYPE"] == "Denominator at end of period"].copy()
    t["FTE"] = t["FTE"].astype(float)

    def per100(ics_codes):
        s = t[t["ICS_CODE"].isin(ics_codes)]
        mgr = s[s["STAFF_GROUP_1_NAME"].isin(["Managers", "Senior managers"])]["FTE"].sum()
        return 100 * mgr / s[s["STAFF_GROUP_1_NAME"] == "All staff groups"]["FTE"].sum()

    # the workforce file places each organisation in its 2022 ICS; unchanged and wholly merged
    # boards need no apportioning
    assert b.loc["QOP", "managers_per_100_staff"] == pytest.approx(per100(["QOP"]), rel=1e-9)
    assert b.loc["Z9B2Z", "managers_per_100_staff"] == pytest.approx(per100(["QMJ", "QRV"]), rel=1e-9)


def test_running_cost_allowance_of_merged_board_from_processed_allocations(b):
    a = load_datasets("icb_allocations")["icb_allocations"]
    a = a[a["financial_year"] == "2025/26"].set_index("icb_code")
    rca = a.loc[["QMJ", "QRV"], "running_cost_allowance_gbp"].sum()
    pop = a.loc[["QMJ", "QRV"], "allocation_population"].sum()
    assert b.loc["Z9B2Z", "rca_per_head"] == pytest.approx(rca / pop)
    # a divided board's allowance is shared out by the registered patients of its sub-ICB locations
    # (August 2026: 06T of 06L, 07K and 06T; 07H of 06K, 06N and 07H): Essex takes parts of two
    share = {"QJG": 0.353306, "QM7": 0.202699}
    rca = a.loc["QH8", "running_cost_allowance_gbp"] + sum(
        a.loc[k, "running_cost_allowance_gbp"] * v for k, v in share.items()
    )
    pop = a.loc["QH8", "allocation_population"] + sum(a.loc[k, "allocation_population"] * v for k, v in share.items())
    assert b.loc["D7T5G", "rca_per_head"] == pytest.approx(rca / pop, rel=1e-5)


def test_trusts_serving_several_boards_from_raw_partner_mapping(ctx):
    p = RAW / "nhs-ods" / "stp-partner-mapping-2019-04.xlsx"
    if not p.exists():
        pytest.skip("raw partner mapping not present (make data-raw)")
    raw = pd.read_excel(p, sheet_name="Current STPs", header=4, engine="openpyxl")
    raw["stp"] = raw["ODS STP Code"].ffill()
    raw = raw.dropna(subset=["Trusts"])
    links = ctx.trust_links
    assert len(links) == len(raw) == 286  # the 286 trust-system links of the issue
    ambulance = sorted(raw.loc[raw["ODS Trust Code"] == "RX9", "stp"])
    assert sorted(links.loc[links["trust_code"] == "RX9", "stp_code"]) == ambulance
    served = ctx.trusts_served["RX9"]
    assert served[0] == "QT1"  # headquarters: Nottingham
    parts = ctx.icbs.set_index("icb_code")["icb_2026_parts"]
    expected = {"QT1"} | {x.split(":")[0] for stp in ambulance for x in parts[stp].split(";")}
    assert set(served) == expected and len(served) == len(expected)


# ---------------------------------------------------------------------------------------------
# one function for the profile and the briefing
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["QOP", "S0E4D", "D7T5G", "QSL"])
def test_profile_and_briefing_state_the_same_numbers(ctx, code):
    from nhsreport.publish.pages import profiles

    brief = figures.board(ctx, code)
    from nhsreport.publish.pages import profile_csv

    trends = profiles.board_trends_of(ctx)
    rows = profile_csv.profile_rows(ctx, code, trends, profiles.serving_trusts(ctx, code))
    rows = [r for r in rows if r["section"] == "headline"]
    heads = ctx.records[code].headlines
    assert [r["value"] for r in rows] == [h["value"] for h in heads] == list(brief["values"].values())
    # and both equal the board table of the analysis module
    row = ctx.boards.loc[code]
    for h in heads:
        assert h["value"] == pytest.approx(float(row[h["key"]]))
    # the briefing's key figures are the profile's headline texts
    texts = {h["key"]: h["text"] for h in heads}
    kf = [k["value"] for k in brief["key_figures"]]
    assert kf == [texts["population"], texts["n_trusts"], texts["managers_per_100_staff"], texts["rca_per_head"]]
    md = profiles.profile_markdown(ctx, code, profiles._base_charts(ctx), trends)
    for h in heads:
        assert f'<td class="num">{h["text"]}</td>' in md.replace("&#x27;", "'"), h["key"]


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def test_practices_placed_in_boards(ctx):
    p = ctx.practices
    assert len(p) == 6129 and p["icb_2026_code"].nunique() == 36
    # second route: Somerset's practices straight from the raw August 2026 map
    import zipfile

    path = RAW / "nhs-gp-registrations" / "gp-reg-pat-prac-map-2026-08.zip"
    if not path.exists():
        pytest.skip("raw practice map not present (make data-raw)")
    with zipfile.ZipFile(path) as z:
        raw = pd.read_csv(z.open(z.namelist()[0]), dtype=str)
    assert ctx.boards.loc["QSL", "n_practices"] == int((raw["ICB_CODE"] == "QSL").sum())


def test_lsoa_boards_refuses_an_undocumented_split():
    icbs = pd.DataFrame({"icb_code": ["QAA"], "icb_2026_parts": ["QBB:0.5;QCC:0.5"]})
    a = pd.DataFrame({"LSOA11CD": ["E01"], "icb22": ["QAA"], "ccg21": ["00A"], "LAD21CD": ["E06000001"]})
    with pytest.raises(DataError, match=r"icbs row QAA, column 'icb_2026_parts': expected one 2026 board"):
        lsoa_boards(a, icbs, "icbs.csv")


# ---------------------------------------------------------------------------------------------
# the boards' briefings
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query, code", [("S0E4D", "S0E4D"), ("frimley", "S0E4D"), ("Greater Manchester", "QOP")])
def test_board_briefing_states_the_profile_figures(tmp_path, ctx, query, code):
    proc = run_briefing("--board", query, "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "boards" / f"{code}.pdf"
    assert 1 <= pdf_pages(path) <= 4
    assert_fonts_embedded(path)
    text = pdf_text(path)
    row = ctx.boards.loc[code]
    assert row["icb_2026_name"] in text
    for h in ctx.records[code].headlines[:4]:
        assert h["text"] in text, h["key"]
        if h["key"] in ("managers_per_100_staff", "rca_per_head"):
            assert re.search(rf"\b{h['rank']}(st|nd|rd|th) (highest )?of 36", text), h["key"]
    for t in ctx.records[code].trusts:
        assert " ".join(t["trust"].split()[:2]) in text
    if query == "frimley":
        assert "was divided on 1 April 2026" in proc.stderr


def test_board_briefing_unknown_name_writes_nothing(tmp_path):
    proc = run_briefing("--board", "Thames Valey", "--out", str(tmp_path))
    assert proc.returncode == 2 and "Thames Valley" in proc.stderr
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.slow
def test_all_36_board_briefings(tmp_path, ctx):
    proc = run_briefing("--boards", "--out", str(tmp_path), timeout=600)
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted((tmp_path / "boards").glob("*.pdf"))
    assert [p.stem for p in pdfs] == sorted(ctx.boards.index)
    for p in pdfs:
        assert 1 <= pdf_pages(p) <= 4, p.name


# ---------------------------------------------------------------------------------------------
# reporting periods, read from the data package
# ---------------------------------------------------------------------------------------------


def test_periods_come_from_the_data_package():
    from nhsreport import data
    from nhsreport.analysis import board_facts
    from nhsreport.formatting import period_text

    when = board_facts.periods()
    assert when["staff"].iso == data.resource("staff_by_org")["x_as_of"]
    assert when["boards"].iso == data.resource("lad_board_overlap")["x_as_of"]
    assert when["practices"].iso == data.resource("gp_practices_2026")["x_as_of"]
    assert period_text(when["allowances"].date, "financial year") == data.resource("icb_allocations")["x_as_of"]
    assert period_text(when["population"].date, "mid-year") in data.resource("lad_board_overlap")["description"]
    assert period_text(pd.Timestamp("2026-04-01"), "day") == "1 April 2026"
    assert period_text(pd.Timestamp("2025-11-30"), "month") == "November 2025"
    with pytest.raises(ValueError):
        period_text(pd.Timestamp("2025-11-30"), "week")


def test_the_midlands_boards_have_the_ambulance_trust_whose_area_holds_them(ctx):
    """The four Midlands boards that neither hold an ambulance trust's headquarters nor were listed
    as its partners in 2019 take the trust whose published area holds their councils: West Midlands
    for Birmingham and Solihull, Coventry and Warwickshire, Staffordshire and Stoke-on-Trent; East
    Midlands for Northamptonshire. The curated areas name councils of the ONS files of 2023, each in
    one trust's area."""
    from nhsreport.analysis import board_services

    want = {"QHL": "RYA", "QWU": "RYA", "QNC": "RYA", "QPM": "RX9"}
    for code, trust in want.items():
        got = board_services.ambulance_trusts(ctx, code)
        assert [(t["org_code"], t["basis"]) for t in got] == [(trust, "published_area")], (code, got)
    (areas,) = load_datasets("ambulance_areas").values()
    assert not areas["council_code"].duplicated().any()
    p = RAW / "ons-geography" / "ctyua-dec2023-uk-buc.topo.json"
    if not p.exists():
        pytest.skip("raw council boundaries not present (make data-raw)")
    text = p.read_text(encoding="utf-8")
    for r in areas.itertuples():
        assert f'"{r.council_code}"' in text and f'"{r.council_name}"' in text, r.council_code
    # no board of England is left with "one of" two trusts
    for code in ctx.boards.index:
        assert {t["basis"] for t in board_services.ambulance_trusts(ctx, code)} != {"region_candidate"}, code


def test_the_two_boards_divided_along_sub_icb_lines_are_shared_by_registered_patients(ctx):
    """Suffolk and North East Essex and Hertfordshire and West Essex were divided in 2026 along the
    lines of their sub-ICB locations, which the practice map of August 2026 still counts: their
    parts are shared by those registered patients (not by the ONS mid-2020 estimates), and the texts
    say so; Frimley, divided along district lines, by its small census areas."""
    (reg,) = load_datasets("registered_patients_2026").values()
    sub = reg[reg["level"] == "sub_icb"].set_index("org_code")["patients"]
    parts = ctx.parts.set_index(["icb_code", "icb_2026_code"])["share"]
    for icb, split in {
        "QJG": {"T6Y0W": ["06L", "07K"], "D7T5G": ["06T"]},
        "QM7": {"S1Y5D": ["06K", "06N"], "D7T5G": ["07H"]},
    }.items():
        total = sum(sub[c] for codes in split.values() for c in codes)
        for board, codes in split.items():
            assert parts[(icb, board)] == pytest.approx(sum(sub[c] for c in codes) / total, abs=1e-6)
    assert boards.divided_share_basis(["QJG"]) == "its registered patients in each part"
    assert "small census areas" in boards.divided_share_basis(["QNQ"])
    essex = figures.board(ctx, "D7T5G")["change_2026"]
    assert "registered patients in each part" in essex and "mid-2020" not in essex


def test_basis_differences_lists_unchanged_boards_whose_rounded_figures_differ():
    systems = pd.DataFrame({"icb_code": ["A", "B", "C"], "managers_per_100_staff": [2.71, 3.04, 4.0]})
    boards_2026 = pd.DataFrame(
        {
            "icb_2026_code": ["A", "B", "N"],
            "icb_2026_name": ["Alpha", "Beta", "New"],
            "changed_2026": [False, False, True],
            "managers_per_100_staff": [2.77, 3.01, 9.9],
        }
    )
    out = boards.basis_differences(systems, boards_2026)
    # Alpha rounds to 2.7 against 2.8; Beta to 3.0 both ways; the new board is not compared
    assert list(out["icb_name"]) == ["Alpha"]
    assert out.loc[0, ["by_statistics", "by_headquarters"]].tolist() == [2.71, 2.77]
    with pytest.raises(ValueError, match="N"):
        boards.basis_differences(systems, boards_2026.assign(changed_2026=False))
