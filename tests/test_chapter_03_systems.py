"""Figures stated in the chapter "The shape of integrated care systems" (book/03_systems.ipynb).

Each key number the chapter glues is computed by a function of nhsreport.analysis.systems; here it is
checked against an independent computation from the processed data (plain pandas, written
differently) and, where the project's research notes on ICS structure give a published or
separately computed figure, against that too (the section of the notes is named with each check).
"""

from __future__ import annotations

import pandas as pd
import pytest

from nhsreport.analysis import systems

from .conftest import ROOT, load_datasets


@pytest.fixture(scope="module")
def d():
    return load_datasets(
        "icbs",
        "lad_icb_overlap",
        "ccg_lineage",
        "stp_footprints_2016",
        "commissioners_over_time",
        "ics_waves",
        "trusts",
        "trust_changes",
    )


# ------------------------------------------------------------------------------------------
# number of systems and commissioners
# ------------------------------------------------------------------------------------------


def test_number_of_icbs(d):
    icbs = d["icbs"]
    assert len(icbs) == icbs["icb_code"].nunique() == 42  # NHS England: 42 ICBs from 1 July 2022 (notes §3)
    assert icbs["region_code"].nunique() == 7  # seven regions from April 2019 (notes §1)
    assert len(systems.icbs_2026(icbs)) == icbs["icb_2026_code"].nunique() == 36  # 42 - 12 + 6 (notes §3)


def test_ccg_counts_per_year(d):
    lin = d["ccg_lineage"]
    got = systems.ccg_counts(lin)
    independent = {y: int((lin[f"exists_{y}"] == True).sum()) for y in (2013, 2019, 2020, 2021)}  # noqa: E712
    independent[2022] = len(set(lin.loc[lin["exists_2021"] == True, "icb_code"]))  # noqa: E712
    assert got == independent
    # research notes §4: 211 (2013), 191 (2019), 135 (2020), 106 (2021), 42 ICBs (2022)
    assert got == {2013: 211, 2019: 191, 2020: 135, 2021: 106, 2022: 42}
    bodies = d["commissioners_over_time"]
    ccg = bodies[bodies["body_type"] == "CCG"].set_index(bodies.loc[bodies["body_type"] == "CCG", "date"].dt.year)[
        "count"
    ]
    assert {y: int(ccg[y]) for y in (2013, 2019, 2020, 2021)} == {y: got[y] for y in (2013, 2019, 2020, 2021)}
    assert int(ccg[2018]) == 195  # notes §4: 195 CCGs in the ODS file of November 2018


def test_ccgs_per_system(d):
    lin = d["ccg_lineage"]
    got = systems.ccgs_per_system(lin).set_index("year")
    for y in (2013, 2021):
        sub = lin[lin[f"exists_{y}"].fillna(False).astype(bool)]
        per = {}
        for code, icb in zip(sub["ccg_code"], sub["icb_code"]):
            per.setdefault(icb, set()).add(code)
        sizes = sorted(len(v) for v in per.values())
        assert got.loc[y, "one_ccg"] == sizes.count(1)
        assert got.loc[y, "max"] == sizes[-1]
        assert got.loc[y, "median"] == pd.Series(sizes).median()
    assert got.loc[2021, "one_ccg"] == 26 and got.loc[2021, "median"] == 1


def test_stp_footprints(d):
    fp = d["stp_footprints_2016"]
    assert len(fp) == 44  # notes §1: 44 footprints, March 2016
    assert fp["merged_into"].notna().sum() == 3 and set(fp["merged_into"].dropna()) == {"QHM"}  # notes §1
    assert fp["icb_code"].nunique() == 42
    assert set(d["icbs"]["icb_code"]) <= set(fp["icb_code"])


# ------------------------------------------------------------------------------------------
# size of systems
# ------------------------------------------------------------------------------------------


def test_population_range(d):
    icbs = d["icbs"]
    r = systems.population_range(icbs)
    ordered = icbs.sort_values("population")
    assert (r["min"], r["min_name"]) == (int(ordered["population"].iloc[0]), ordered["icb_name"].iloc[0])
    assert (r["max"], r["max_name"]) == (int(ordered["population"].iloc[-1]), ordered["icb_name"].iloc[-1])
    assert r["ratio"] == pytest.approx(ordered["population"].iloc[-1] / ordered["population"].iloc[0])
    # research notes §5: 506,737 (Shropshire, Telford and Wrekin) to 3,000,432 (NENC), 5.9 times; total 56,550,138
    assert r["min"] == 506_737 and r["max"] == 3_000_432 and round(r["ratio"], 1) == 5.9
    assert r["total"] == 56_550_138


def test_trusts_and_districts_per_system(d):
    icbs = d["icbs"]
    tr = systems.measure_range(icbs, "n_trusts")
    assert (tr["min"], tr["max"]) == (icbs["n_trusts"].min(), icbs["n_trusts"].max())
    assert tr["median"] == icbs["n_trusts"].median()
    assert tr["n_min"] == int((icbs["n_trusts"] == icbs["n_trusts"].min()).sum())
    # research notes §5: 2 to 18 trusts (Cheshire and Merseyside), median 4.5, 220 trusts
    assert (tr["min"], tr["max"], tr["median"], tr["total"]) == (2, 18, 4.5, 220)
    assert tr["max_names"] == ["Cheshire and Merseyside"]
    la = systems.measure_range(icbs, "n_local_authorities")
    # research notes §5: 2 to 18 districts (Lancashire and South Cumbria), median 7.5 (on STP21 footprints)
    assert (la["min"], la["max"], la["median"]) == (2, 18, 7.5)
    assert la["max_names"] == ["Lancashire and South Cumbria"]
    # districts per ICB from the overlap table agree with the icbs column
    o = d["lad_icb_overlap"]
    per = o[o["n_lsoas"] > 0].groupby("icb_code")["lad_code"].nunique()
    assert per.sort_index().tolist() == icbs.set_index("icb_code")["n_local_authorities"].sort_index().tolist()


def test_rank_correlation():
    assert systems.rank_correlation(pd.Series([1, 2, 3, 4]), pd.Series([10, 20, 30, 40])) == pytest.approx(1.0)
    assert systems.rank_correlation(pd.Series([1, 2, 3]), pd.Series([3, 2, 1])) == pytest.approx(-1.0)


def test_2026_populations_add_up(d):
    i26 = systems.icbs_2026(d["icbs"])
    assert abs(int(i26["population"].sum()) - int(d["icbs"]["population"].sum())) <= len(i26)


# ------------------------------------------------------------------------------------------
# coterminosity
# ------------------------------------------------------------------------------------------


def test_split_districts(d):
    o = d["lad_icb_overlap"]
    assert o["lad_code"].nunique() == 309
    for col, expected in (("n_lsoas", 12), ("n_lsoas_stp21", 15)):  # dataset caveats / notes §5: 15 on STP21
        live = o[o[col] > 0]
        n_icbs = live.drop_duplicates(["lad_code", "icb_code"]).groupby("lad_code").size()
        assert int((n_icbs > 1).sum()) == expected
    assert len(systems.split_districts(o, "icb22")) == 12
    assert len(systems.split_districts(o, "stp21")) == 15


def test_coterminosity(d):
    o, icbs = d["lad_icb_overlap"], d["icbs"]
    c = systems.coterminosity(o, icbs)
    live = o[o["n_lsoas"] > 0]
    split = set(live.groupby("lad_code")["icb_code"].nunique().loc[lambda s: s > 1].index)
    touched = live.groupby("icb_code")["lad_code"].apply(set)
    independent = sorted(code for code, lads in touched.items() if not (lads & split))
    assert sorted(c.loc[c["coterminous"], "icb_code"]) == independent
    assert int(c["coterminous"].sum()) == 28
    assert (c["n_whole"] + c["n_part"] == c["n_districts"]).all()


# ------------------------------------------------------------------------------------------
# designation waves
# ------------------------------------------------------------------------------------------


def test_ics_coverage(d):
    waves, icbs = d["ics_waves"], d["icbs"]
    cov = systems.ics_coverage(waves, icbs)
    for _, g in cov.groupby("dating"):
        assert g["share"].is_monotonic_increasing
        assert g["share"].iloc[-1] == pytest.approx(1.0)
        assert g["n_footprints"].iloc[-1] == 42
    nhse = cov[cov["dating"] == "NHS England's dates"].set_index("wave_no")
    # the footprint counts match the published cumulative number of systems after waves 4, 5 and 6
    assert [int(nhse.loc[w, "n_footprints"]) for w in (4, 5, 6)] == [18, 29, 42]
    # the final 13 (published 14.9 m; notes §2) computed from the footprints named in the source
    final13 = [
        "Cambridgeshire and Peterborough",
        "Mid and South Essex",
        "Black Country",
        "Herefordshire and Worcestershire",
        "Northamptonshire",
        "Coventry and Warwickshire",
        "Leicester, Leicestershire and Rutland",
        "Lincolnshire",
        "Shropshire, Telford and Wrekin",
        "Staffordshire and Stoke-on-Trent",
        "Cheshire and Merseyside",
        "Kent and Medway",
        "Devon",
    ]
    pop13 = icbs.loc[icbs["icb_name"].isin(final13), "population_stp21"].sum()
    assert icbs["icb_name"].isin(final13).sum() == 13
    assert nhse.loc[6, "population"] - nhse.loc[5, "population"] == pop13
    assert pop13 / 1e6 == pytest.approx(14.9, abs=0.5)
    # May 2020: "around half" (NHS England, notes §2)
    assert 0.45 < nhse.loc[4, "share"] < 0.55
    # the two datings differ only for the December 2020 wave
    hl = cov[cov["dating"] != "NHS England's dates"].set_index("wave_no")
    assert hl.loc[5, "date"] == pd.Timestamp("2021-04-01") and nhse.loc[5, "date"] == pd.Timestamp("2020-12-01")


# ------------------------------------------------------------------------------------------
# trust lookup
# ------------------------------------------------------------------------------------------


def test_trust_lookup(d):
    t, icbs = d["trusts"], d["icbs"]
    date = t["opened"].max()
    lk = systems.trust_lookup(t, icbs, date)
    open_ = t[(t["opened"] <= date) & (t["closed"].isna() | (t["closed"] >= date))]
    assert len(lk) == len(open_) == 200
    assert lk["icb_2026"].nunique() == open_["icb_code"].nunique() == 36  # notes §3: 36 distinct ICB codes
    assert lk[["icb_2022", "icb_2026", "region"]].notna().all().all()
    # "other trusts" is symmetric and its count is the system's size less one
    size = lk.groupby("icb_2026")["trust"].transform("size")
    assert (lk["n_others"] == size - 1).all()
    mft = lk[lk["org_code"] == "R0A"].iloc[0]
    assert mft["icb_2022"] == "Greater Manchester" and mft["trust"] == "Manchester University NHS Foundation Trust"
    # every trust whose 2026 board is a 2022 board unchanged keeps its 2022 board: both columns are ODS headquarters
    parts = systems.icbs_2026(icbs)
    whole = parts[(parts["n_icbs_2022"] == 1) & ~parts["includes_split"]]
    kept = lk[lk["icb_2026"].isin(whole["icb_2026_name"])]
    assert len(kept) > 100
    assert (kept["icb_2022"] == kept["icb_2026"]).all()
    # etr-2020-10.csv and etr-2026-06.csv both put Oxleas (RPG, HQ Dartford DA2) in QKS, Kent and Medway, and
    # Sandwell and West Birmingham (RXK) in QUA, the Black Country; the workforce file's ICS (QKK, QHL) is not used
    by = lk.set_index("org_code")
    assert by.loc["RPG", ["icb_2022", "icb_2026"]].tolist() == ["Kent and Medway"] * 2
    assert by.loc["RXK", ["icb_2022", "icb_2026"]].tolist() == ["Black Country"] * 2
    # trusts in a board that changed in 2026: 53 on the ODS basis (55 when the 2022 column came from the workforce file)
    assert int((lk["icb_2022"] != lk["icb_2026"]).sum()) == 53
    # 1 to 15 trusts per 2026 board (Somerset; Cheshire and Merseyside), against 2 to 18 per 2022 board in October 2020
    per = lk.groupby("icb_2026").size()
    assert (per.min(), per.idxmin(), per.max(), per.idxmax()) == (1, "Somerset", 15, "Cheshire and Merseyside")
    assert (icbs["n_trusts"].min(), icbs["n_trusts"].max()) == (2, 18)
    # "The Online NHS Trust" keeps its full name in the lists of other trusts
    assert "The Online NHS Trust" in by.loc["RJZ", "others"].split("; ")  # King's College Hospital, South East London
    assert not any(o == "The Online" for o in "; ".join(lk["others"]).split("; "))


def test_manchester_merger(d):
    ch = d["trust_changes"]
    m = ch[ch["new_code"] == "R0A"]
    assert len(m) == 2 and set(m["trust_type"]) == {"acute"} and set(m["date"]) == {pd.Timestamp("2017-10-01")}


def test_tidy_trust_name():
    assert systems.tidy_trust_name("THE ROYAL WOLVERHAMPTON NHS TRUST") == "The Royal Wolverhampton NHS Trust"
    assert (
        systems.tidy_trust_name("BARKING, HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST")
        == "Barking, Havering and Redbridge University Hospitals NHS Trust"
    )


def test_short_trust_name():
    assert systems.short_trust_name("Frimley Health NHS Foundation Trust") == "Frimley Health"
    assert systems.short_trust_name("Yorkshire Ambulance Service NHS Trust") == "Yorkshire Ambulance Service"
    assert systems.short_trust_name("The Royal Marsden NHS Foundation Trust") == "The Royal Marsden"
    assert systems.short_trust_name("The Online NHS Trust") == "The Online NHS Trust"  # not "The Online"


def test_misoriented_areas():
    # a unit square wound clockwise (good for d3-geo) and one wound anticlockwise (bad)
    topo = {
        "type": "Topology",
        "arcs": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]], [[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]],
        "objects": {
            "areas": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"code": "A", "name": "a"}},
                    {"type": "Polygon", "arcs": [[1]], "properties": {"code": "B", "name": "b"}},
                ],
            }
        },
    }
    assert systems.misoriented_areas(topo) == ["B"]


# ------------------------------------------------------------------------------------------
# the chapter's maps of split areas, shared trusts, and its numbers
# ------------------------------------------------------------------------------------------


def test_split_status(d):
    o = d["lad_icb_overlap"]
    split = systems.split_districts(o, "icb22")
    status = systems.split_status(o, split)
    assert list(status.columns) == ["lad_code", "lad_name", "n_icbs", "icbs", "areas", "status"]
    assert status["lad_code"].is_unique and len(status) == o.loc[o["n_lsoas"] > 0, "lad_code"].nunique()
    is_split = status["status"] == "Split between ICBs"
    assert sorted(status.loc[is_split, "lad_code"]) == sorted(split["lad_code"])
    # a split district shows its shares, a whole one the name of its one ICB
    assert status.loc[is_split, "areas"].str.contains("%").all()
    assert (status.loc[~is_split, "areas"] == status.loc[~is_split, "icbs"]).all()


def test_split_status_of_councils():
    from nhsreport.analysis import footprints

    t = load_datasets("lad_icb_overlap", "lad_upper_tier")
    o, upper = t["lad_icb_overlap"], t["lad_upper_tier"]
    split = footprints.split_councils(o, upper)
    status = systems.split_status(
        footprints.upper_tier_overlap(o, upper),
        split,
        keys=("lad_code", "lad_name", "upper_type"),
        split_code="upper_code",
    )
    assert len(status) == upper["upper_code"].nunique()
    assert sorted(status.loc[status["n_icbs"] > 1, "lad_code"]) == sorted(split["upper_code"])
    assert status.loc[status["lad_name"] == "Essex", "areas"].iloc[0].startswith("Mid and South Essex")


def test_shared_trusts_by_type():
    from nhsreport.analysis import footprints

    t = load_datasets("stp_trust_partners_2019", "trusts")
    shared = footprints.shared_trusts_by_type(t["stp_trust_partners_2019"], t["trusts"])
    partners = t["stp_trust_partners_2019"]
    per_trust = partners.groupby("trust_code")["stp_code"].nunique()
    assert sorted(shared["trust_code"]) == sorted(per_trust[per_trust > 1].index)
    assert shared["type"].notna().all()
    assert int((shared["type"] == "ambulance").sum()) == 8


def test_chapter_numbers():
    from nhsreport.publish.chapters import systems as page

    numbers = page.chapter_numbers(load_datasets(*page.TABLES))
    import nbformat

    from nhsreport.publish.book.chapter import prose_numbers

    nb = nbformat.read(ROOT / "book" / "03_systems.ipynb", as_version=4)
    printed = {
        key for c in nb.cells if c.cell_type == "markdown" for _, doc, key, _ in prose_numbers(c.source) if not doc
    }
    assert printed and printed <= set(numbers), sorted(printed - set(numbers))  # every name the prose prints
    assert (numbers["sys_n_icbs"], numbers["sys_n_icbs_2026"], numbers["sys26_n"]) == (42, 36, 36)
    assert numbers["sys_lookup_asof"] == "1 April 2026" and numbers["sys_stp_merged_date"] == "7 June 2018"
    assert numbers["sys_pop_max_name"] == "North East and North Cumbria"
    assert numbers["sys_split_22"] == 12 and numbers["sys_cot_n"] == 28


def test_millions_in_words():
    from nhsreport.publish.chapters import systems as page

    assert page.millions_in_words(506_737) == "half a million"
    assert page.millions_in_words(3_000_432) == "three million"
    assert page.millions_in_words(1_600_000) == "one and a half million"


def test_highlighted_icbs(d):
    from nhsreport.publish.chapters import systems_figures as page

    icbs = d["icbs"]
    assert page.highlighted_icbs(icbs, "North East and North Cumbria") == ["QHM"]
    # a board formed by merger names each 2022 ICB that went into it
    assert sorted(page.highlighted_icbs(icbs, "West and North London")) == ["QMJ", "QRV"]


# ------------------------------------------------------------------------------------------
# the 36 boards of 2026: populations, spread, the table of boards
# ------------------------------------------------------------------------------------------


def test_spread():
    s = systems.spread([1, 2, 3, 4, 10])
    assert s["ratio"] == 10 and s["median"] == 3 and s["q1"] == 2 and s["q3"] == 4 and s["iqr_ratio"] == 2
    assert s["cv"] == pytest.approx(pd.Series([1, 2, 3, 4, 10]).std(ddof=0) / 4)
    with pytest.raises(ValueError):
        systems.spread([1, 0])


def test_board_numbers_on_the_2026_map():
    from nhsreport.publish.chapters import systems as page

    t = load_datasets(*page.TABLES)
    n = page.board_numbers(t) | page.board_population_numbers(t) | page.board_council_numbers(t)
    # England's residents: the ONS England figure, once
    assert round(n["sys26_res_total_m"] * 1e6) == 58_620_101
    assert (n["sys26_n_lads"], n["sys26_split_lads"], n["sys26_cot_n"]) == (296, 5, 29)
    assert n["sys26_split_lad_names"] == (
        "Buckinghamshire, Cumberland, North Yorkshire, Vale of White Horse and Westmorland and Furness"
    )
    assert n["sys26_res_n_estimate"] == 7 and n["sys26_gp_practices"] == 6129
    assert n["sys26_upper_n"] == 153 and n["sys26_upper_split_n"] == 5
    # independent: the quartiles and the coefficient of variation of the boards' residents
    res = t["board_populations"]["residents"].astype(float)
    assert n["sys26_res_q1_m"] == pytest.approx(res.quantile(0.25) / 1e6)
    assert n["sys26_res_cv"] == pytest.approx(res.std(ddof=0) / res.mean())


def test_table_of_boards_prints_the_profiles_digits():
    """Each figure of the table is rounded once, from its exact value, to the digits the profiles
    and the index print (no 3.447 -> 3.45 -> 3.5)."""
    import re

    from nhsreport.analysis import board_facts
    from nhsreport.publish.chapters import systems as page
    from nhsreport.publish.chapters import systems_figures as fig

    table = fig.boards_table_shown(load_datasets(*page.TABLES))
    html = table._repr_html_()
    bd = board_facts.BoardData(load=lambda name: load_datasets(name)[name])
    title = fig._boards_columns()["board"]
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert len(rows) == 36
    names = list(table.df[title])
    by_name = {r["icb_2026_name"]: code for code, r in bd.boards.iterrows()}
    for name, row in zip(names, rows):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        heads = {h["key"]: h["text"] for h in bd.records[by_name[name]].headlines}
        for key in ("managers_per_100_staff", "trust_managers_per_100_staff", "population", "registered_patients"):
            assert heads[key] in cells, (name, key, heads[key])
        assert heads["rca_per_head"].lstrip("£") in cells, (name, "rca_per_head")
