"""The "where do I fit?" finder: its index (``nhsreport.publish.pages.finder``) checked against the
data by a second route, and the finder itself driven in a real browser (Debian's chromium and
Playwright, as in test_book_html), served and opened from disk."""

from __future__ import annotations

import gzip
import html
import json
import re

import pandas as pd
import pytest

from nhsreport.publish.pages import finder

from .conftest import ROOT, load_datasets

# ---------------------------------------------------------------------------------------------
# the index
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ctx():
    from nhsreport.analysis import board_facts

    load_datasets()  # declares nothing: the index is built outside any chapter
    return board_facts.BoardData()


@pytest.fixture(scope="module")
def index(ctx):
    return finder.finder_index(ctx)


def _items(index, kind):
    return {it[1]: it for it in index["items"] if it[0] == kind}


def _text(parts, index) -> str:
    return "".join(
        p if isinstance(p, str) else index["boards"][p[0]][0] + (f" ({p[1]})" if p[1] else "") for p in parts
    )


def test_outward_code():
    assert finder.outward_code("ls2 9jt") == ("LS2", "LS2 9")
    assert finder.outward_code("EC1A 1BB") == ("EC1A", "EC1A 1")
    assert finder.outward_code("LS2") is None
    assert finder.outward_code("") is None


def test_every_practice_of_the_map_answers_with_its_one_board(index):
    (gp,) = load_datasets("gp_practices_2026").values()
    practices = _items(index, "practice")
    for r in gp.itertuples():
        it = practices[r.practice_code]
        links = [p[0] for p in it[4] if isinstance(p, list)]
        assert links == [r.icb_2026_code], (r.practice_code, it[4])
        assert it[3] == r.postcode


def test_postcode_districts_weigh_boards_by_registered_patients(index):
    """A second route to one split district: the registered patients of its practices, by board."""
    (gp,) = load_datasets("gp_practices_2026").values()
    col = next(c for c in gp.columns if c.startswith("patients_"))
    gp = gp.assign(district=gp["postcode"].str.split().str[0])
    by_district = gp.groupby("district")["icb_2026_code"].nunique()
    split = by_district[by_district > 1].index[0]
    expected = gp[gp["district"] == split].groupby("icb_2026_code")[col].sum()
    expected = (expected / expected.sum()).sort_values(ascending=False)
    name, parts = index["areas"][split]
    assert name == f"Postcode district {split}"
    links = [p for p in parts if isinstance(p, list)]
    assert [p[0] for p in links] == list(expected.index[expected > 0])
    assert [p[1] for p in links] == [f"{v * 100:.0f}%" for v in expected[expected > 0]]
    assert "registered patients" in _text(parts, index)


def test_every_trust_open_since_2012_is_there_and_closed_ones_name_their_successor(index):
    (trusts,) = load_datasets("trusts").values()
    found = _items(index, "trust")
    since = trusts[trusts["closed"].isna() | (trusts["closed"] >= finder.OPEN_SINCE)]
    assert set(since["org_code"]) <= set(found)
    rrp = _text(found["RRP"][4], index)  # merged into North London NHS Foundation Trust in 2024
    assert rrp.startswith("Merged into North London NHS Foundation Trust (G6V2S) on 1 November 2024, today in ")
    rjd = _text(found["RJD"][4], index)  # Mid Staffordshire, split in 2017
    assert rjd.startswith("Split on 1 November 2017 between ") and "(RJE)" in rjd and "(RL4)" in rjd


def test_t_coded_foundation_trusts_are_there(index):
    found = _items(index, "trust")
    t_codes = {c for c in found if re.fullmatch(r"T[A-Z]{2}", c)}
    assert {"TAD", "TAH", "TAJ", "TAF"} <= t_codes
    assert "West Yorkshire" in _text(found["TAD"][4], index)
    assert "North London NHS Foundation Trust" in _text(found["TAF"][4], index)


def test_council_changes_agree_with_the_boundaries():
    """The councils of today named in the reorganisations exist in the 2023 districts or counties,
    and each district abolished in 2023 lies (by its label point) in the council said to replace it."""
    from nhsreport import data, geometry

    lad23 = data.geo("geo_lad_2023")
    arcs = geometry.lonlat_arcs(lad23)
    areas23 = {g["properties"]["code"]: g for g in lad23["objects"]["areas"]["geometries"]}
    lad22 = {
        g["properties"]["code"]: g["properties"] for g in data.geo("geo_lad_2022")["objects"]["areas"]["geometries"]
    }
    (lb,) = load_datasets("lad_board_overlap").values()
    changes = finder.council_changes()
    replaced = finder._replaced_by(changes)
    for code, (_, final) in replaced.items():
        assert all(c in set(lb["lad_code"]) for c in final), (code, final)
    for day, new, olds in changes:
        for old, name in olds:
            if day.startswith("2023") and old.startswith("E07"):
                assert lad22[old]["name"] == name
                point = (lad22[old]["label_lon"], lad22[old]["label_lat"])
                assert geometry.in_polygons(point, geometry.rings(areas23[new[0]], arcs)), (old, new)


RAW = ROOT / "data" / "raw"


def _raw_text(rel: str) -> str:
    p = RAW / rel
    if not p.exists():
        pytest.skip(f"raw file {rel} not present (make data-raw)")
    return p.read_text(encoding="utf-8-sig", errors="replace")


def test_curated_council_changes_name_codes_of_the_raw_files():
    """Every row of data/curated/council_changes.csv: the new councils' codes are in the ONS files
    of December 2023 (boundaries and mid-2024 population); a council abolished in 2023 is in the
    December 2022 boundaries, under its name; one abolished earlier is in none of the files held
    (they begin in 2021 and 2022), as the table's caveat says."""
    (t,) = load_datasets("council_changes").values()
    new23 = _raw_text("ons-geography/lad-dec2023-uk-buc.topo.json") + _raw_text(
        "ons-geography/ctyua-dec2023-uk-buc.topo.json"
    )
    mye = _raw_text("ons-population/mye24-persons-lad23.csv")
    old22 = _raw_text("ons-geography/lad-dec2022-uk-buc.topo.json") + _raw_text(
        "ons-geography/ctyua-dec2022-en-buc.topo.json"
    )
    abolished = set(t["old_code"])
    for r in t.itertuples():
        for code in r.new_codes.split(";"):  # a council itself abolished later is in the 2022 files
            assert (f'"{code}"' in new23 and code in mye) or (code in abolished and f'"{code}"' in old22), code
        if pd.Timestamp(r.date).year == 2023:
            assert f'"{r.old_code}"' in old22, r.old_code
            assert f'"{r.old_name.removesuffix(" County Council")}"' in old22, r.old_name
        else:
            assert f'"{r.old_code}"' not in old22 + new23, r.old_code
        assert r.source_url.startswith("https://www.legislation.gov.uk/")


def test_curated_trust_successors_name_codes_of_the_raw_files():
    """Every row of data/curated/trust_code_successors.csv: the successor is in the June 2026 ODS
    trust file, opening on the row's day; the closed trust is in the workforce files."""
    (t,) = load_datasets("trust_code_successors").values()
    etr = _raw_text("nhs-ods/etr-2026-06.csv")
    orgs = _raw_text("nhs-workforce/provider-org-types.csv")
    for r in t.itertuples():
        row = next(line for line in etr.splitlines() if line.startswith(f'"{r.new_code}"'))
        assert f'"{pd.Timestamp(r.date):%Y%m%d}"' in row, row
        assert re.search(rf"^{r.old_code}\s*,", orgs, re.M), r.old_code


def test_the_finder_says_it_holds_no_sites():
    """The official files hold no list of hospital sites (no ODS ets file): the finder's help says
    so and asks for the trust instead."""
    assert not list(RAW.glob("**/ets*")) if RAW.exists() else True
    help_text = (ROOT / "nhsreport/publish/pages/templates/index.md.j2").read_text(encoding="utf-8")
    assert "Hospital and clinic sites are not listed" in help_text


def test_old_and_split_councils_answer_with_todays_boards(index):
    councils = _items(index, "council")
    taunton = _text(councils["E07000190"][4], index)
    assert taunton.startswith(
        "Abolished on 1 April 2019; now part of Somerset West and Taunton, itself part of Somerset"
    )
    assert "Somerset" in taunton
    allerdale = _text(councils["E07000026"][4], index)
    assert "now part of Cumberland" in allerdale and "North East and North Cumbria (" in allerdale
    bucks = _text(councils["E06000060"][4], index)
    assert bucks.startswith("Shared between Thames Valley (") and "registered patients" in bucks


def test_answers_are_written_as_the_report_writes(index):
    """No ISO dates, no "1 practices", no internal field names in any answer."""
    texts = [_text(it[4], index) for it in index["items"]] + [_text(a[1], index) for a in index["areas"].values()]
    bad = [t for t in texts if re.search(r"\d{4}-\d{2}-\d{2}|\b1 [a-z]+s\b|\b0 [a-z]+s\b|_\w+_", t)]
    assert not bad, bad[:5]


def test_index_is_a_script_and_light(ctx):
    blob = finder.index_script(ctx)
    assert blob.startswith(f"window.{finder.GLOBAL}=".encode())
    json.loads(blob[len(f"window.{finder.GLOBAL}=") :].rstrip().rstrip(b";"))
    assert len(gzip.compress(blob)) < 1_000_000


# ---------------------------------------------------------------------------------------------
# the finder in the browser
# ---------------------------------------------------------------------------------------------


def _open(browser, url):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.locator("#nhs-finder-input").focus()
    page.wait_for_function("() => window.nhsFinder && true")
    page.evaluate("() => window.nhsFinder.load()")
    return page, errors


def _ask(page, text):
    box = page.locator("#nhs-finder-input")
    box.fill("")
    box.fill(text)  # the box takes at most 200 characters, the search the first 100
    page.wait_for_function("() => document.getElementById('nhs-finder-results').textContent.length > 0")
    return page.locator("#nhs-finder-results")


@pytest.fixture(scope="module")
def finder_page(site, browser):
    _, base = site
    page, errors = _open(browser, f"{base}/book/systems.html")
    yield page, errors
    page.close()


SAMPLE = [
    ("RR8", ["Leeds Teaching Hospitals", "West Yorkshire"]),  # a trust by ODS code
    ("leeds teaching", ["Leeds Teaching Hospitals", "West Yorkshire"]),  # ... by name
    ("Kings College Hospital", ["King's College Hospital", "South East London"]),  # no apostrophe
    ("Guys and St Thomas", ["Guy's and St Thomas'"]),
    ("Manchster Univrsity", ["Manchester University NHS Foundation Trust", "Greater Manchester"]),  # misspelt
    ("RRP", ["Merged into North London NHS Foundation Trust", "1 November 2024"]),  # a merged trust
    ("TAD", ["Bradford District Care NHS Foundation Trust", "West Yorkshire"]),  # a T-coded foundation trust
    ("Buckinghamshire", ["Thames Valley (", "Central East ("]),  # a split council, with shares
    ("Taunton Deane", ["Abolished on 1 April 2019", "Somerset"]),  # a renamed council
    ("Allerdale", ["Cumberland", "North East and North Cumbria"]),
    ("Leeds City Council", ["Leeds (council", "West Yorkshire"]),
    ("kent county", ["Kent and Medway"]),  # a county council
    ("A81001", ["North East and North Cumbria"]),  # a GP practice by code
    ("ts18 1hu", ["The Densham Surgery", "North East and North Cumbria"]),  # ... by postcode
    ("LS2", ["Postcode district LS2", "West Yorkshire", "registered patients"]),  # a postcode district
    ("LS2 9JT", ["Postcode sector LS2 9", "West Yorkshire"]),  # a home postcode
    (
        "M60 1AA",
        ["Postcode area M", "No GP practice in England has a postcode in M60"],
    ),  # no practice there
    ("frimley", ["Thames Valley", "Hampshire and Isle of Wight", "Surrey and Sussex"]),  # 2022 board divided
    ("Shepway", ["Folkestone and Hythe", "Kent and Medway", "Formerly: Shepway until 31 March 2018"]),  # renamed 2018
    ("South Cambs", ["South Cambridgeshire", "Central East"]),  # a short form the council uses
    ("Craven", ["Its own area is shared between West Yorkshire"]),  # abolished 2023, its own area first
    ("A82613", ["Wraysdale House Surgery", "Lancashire and South Cumbria"]),  # open in ODS, not in the map
]


@pytest.mark.slow
@pytest.mark.parametrize("query, expect", SAMPLE)
def test_finder_answers(finder_page, query, expect):
    page, errors = finder_page
    out = _ask(page, query)
    first = out.locator("li").first
    first.wait_for(timeout=5000)
    text = first.inner_text()
    for name in expect:
        assert name in text, (query, text)
    links = [a.get_attribute("href") for a in first.locator("a").all()]
    assert links and all(re.search(r"book/systems/[A-Z0-9]{3,5}\.html$", h) for h in links), links
    assert not errors


@pytest.mark.slow
def test_practice_in_a_divided_2022_board_has_one_board(finder_page, ctx):
    """Frimley was divided between three boards in 2026; each of its practices is in exactly one."""
    tables = load_datasets("gp_practices_2026", "gp_practices")
    gp, gp20 = tables["gp_practices_2026"], tables["gp_practices"]
    in_frimley_2020 = gp20.loc[gp20["icb_code"] == "QNQ", "practice_code"]  # Frimley, September 2020
    frimley = gp[gp["practice_code"].isin(in_frimley_2020)]
    assert frimley["icb_2026_code"].nunique() > 1
    r = frimley.iloc[0]
    page, _ = finder_page
    text = _ask(page, r["practice_code"]).locator("li").first.inner_text()
    assert f"In {r['icb_2026_name']} (" in text
    assert " or " not in text and "divided" not in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "hostile, says",
    [
        ("<script>window.__pwned = 1</script>", "It answers:"),
        ('<img src=x onerror="window.__pwned=1">', "It answers:"),
        ("x" * 10000, "It answers:"),
        ("W06000015", "Wales"),  # Cardiff (a Welsh council code)
        ("W91011", "Wales"),  # a Welsh practice code
        ("CF10 1AA", "Wales"),  # a Cardiff postcode
        ("EH1 1YZ", "Scotland"),
        ("BT1 5GS", "Northern Ireland"),
        ("\u0645\u0633\u062a\u0634\u0641\u0649", "It answers:"),  # Arabic
    ],
)
def test_hostile_and_foreign_input_is_answered_safely(finder_page, hostile, says):
    page, errors = finder_page
    out = _ask(page, hostile)
    text = out.inner_text()
    assert text.startswith("Nothing in the finder matches"), text[:200]
    assert says in text and "outside NHS England" in text
    assert out.locator("script, img").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")
    assert html.unescape(hostile[:100]) in text
    assert not errors


@pytest.mark.slow
def test_count_is_announced_politely_not_the_list(finder_page):
    page, _ = finder_page
    results = page.locator("#nhs-finder-results")
    status = page.locator("#nhs-finder-count")
    assert results.get_attribute("aria-live") is None and results.get_attribute("role") is None
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    # while the reader types, the status is not rewritten at every key: once, when the typing pauses
    page.evaluate(
        """() => { window.__said = [];
        new MutationObserver(() => window.__said.push(document.getElementById('nhs-finder-count').textContent))
          .observe(document.getElementById('nhs-finder-count'), {childList: true, characterData: true, subtree: true}); }"""
    )
    page.locator("#nhs-finder-input").fill("")
    page.locator("#nhs-finder-input").press_sequentially("surgery", delay=40)
    page.wait_for_function("() => /answers/.test(document.getElementById('nhs-finder-count').textContent)")
    assert re.fullmatch(r"[\d,]+ answers for \u201csurgery\u201d, the first 8 shown\.", status.inner_text().strip())
    said = [s for s in page.evaluate("() => window.__said") if s]
    assert len(said) == 1, said


@pytest.mark.slow
def test_finder_is_keyboard_usable_and_axe_clean(finder_page):
    page, _ = finder_page
    _ask(page, "Buckinghamshire")
    page.locator("#nhs-finder-input").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('#nhs-finder-results') !== null")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == "nhs-finder-input"
    _ask(page, "Leeds")
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    res = page.evaluate("() => axe.run('form.nhs-finder', {resultTypes: ['violations']})")
    found = [
        v
        for v in res["violations"]
        if v["impact"] in ("serious", "critical") or any(t.startswith("wcag") for t in v["tags"])
    ]
    assert not found, found


@pytest.mark.slow
def test_finder_works_from_disk(site, browser):
    root, _ = site
    page, errors = _open(browser, (root / "book" / "systems.html").resolve().as_uri())
    text = _ask(page, "Taunton Deane").locator("li").first.inner_text()
    assert "Somerset" in text and "could not be loaded" not in text
    # a page opened from disk may not fetch the map's boundaries; the finder must load all it needs
    assert not [e for e in errors if "finder-index" in e or "finder.js" in e or "nhsFinder" in e], errors
    page.close()


def test_an_abolished_district_answers_with_its_own_area_first(index):
    """Board-member check: Craven (abolished 2023) is 91% West Yorkshire and 9% Lancashire and South
    Cumbria by its small census areas, none of it in Humber and North Yorkshire, which holds most of
    North Yorkshire; the answer gives Craven's own split first, then its successor's."""
    from nhsreport.formatting import fmt_pct

    (overlap,) = load_datasets("lad_icb_overlap").values()
    councils = _items(index, "council")
    craven = councils["E07000163"][4]
    links = [p for p in craven if isinstance(p, list)]
    own = overlap[overlap["lad_code"] == "E07000163"].set_index("icb_code")["share_of_lad_lsoas"]
    assert links[0] == ["QWO", fmt_pct(own["QWO"])] and links[1] == ["QE1", fmt_pct(own["QE1"])]
    text = _text(craven, index)
    assert "Its own area is shared between West Yorkshire" in text and "North Yorkshire as a whole is" in text
    harrogate = _text(councils["E07000165"][4], index)
    assert "Its own area is in Humber and North Yorkshire." in harrogate


def test_a_practice_outside_the_map_answers_from_the_ods_file(index):
    """Board-member check: Wraysdale House Surgery (A82613) is active in the ODS practice file, in
    Lancashire and South Cumbria, though not in the August 2026 map; 49 Marine Avenue Surgery
    (A87006) closed on 30 April 2026; Leeds VPS (Y00848, not a GP practice in ODS) is not called one."""
    (ods,) = load_datasets("gp_practices_ods_2026").values()
    ods = ods.set_index("practice_code")
    practices = _items(index, "practice")
    wraysdale = practices["A82613"][4]
    assert ods.loc["A82613", "ods_status"] == "ACTIVE" and ods.loc["A82613", "icb_2026_code"] == "QE1"
    assert [p[0] for p in wraysdale if isinstance(p, list)] == ["QE1"]
    assert _text(wraysdale, index).startswith("Listed as open in the ODS practice file of June 2026, in Lancashire")
    assert _text(practices["A87006"][4], index).startswith("Closed on 30 April 2026")
    assert "Y00848" not in ods.index
    assert "nor a GP practice in the ODS practice file" in _text(practices["Y00848"][4], index)


# ---------------------------------------------------------------------------------------------
# the remaining partly-right answers of the board-member check
# ---------------------------------------------------------------------------------------------


def test_a_lettered_district_without_practices_answers_with_its_neighbours(index):
    """SW1A has no GP practice: it answers with SW1E ... SW1Y (second route: the map's practices whose
    district is SW1 and a letter, weighted by their registered patients), not the whole SW area."""
    (gp,) = load_datasets("gp_practices_2026").values()
    district = gp["postcode"].str.split().str[0]
    assert "SW1A" not in set(district) and "SW1A" not in index["areas"]
    sw1 = gp[district.str.fullmatch(r"SW1[A-Z]")]
    name, parts = index["families"]["SW1"]
    assert name == f"Postcode districts SW1\u2026 ({', '.join(sorted(set(district[sw1.index])))})"
    by_board = sw1.groupby("icb_2026_code")["patients_2025_04"].sum().sort_values(ascending=False)
    assert [p[0] for p in parts if isinstance(p, list)] == list(by_board.index)
    assert f"of the {finder.count_phrase(len(sw1), 'GP practice')} with a postcode in SW1\u2026" in _text(parts, index)
    # the areas of the SW area answer: the board that has the most patients there differs
    assert [p for p in index["areas"]["SW"][1] if isinstance(p, list)][0][0] != by_board.index[0]


def test_welsh_districts_of_english_postcode_areas_are_outside_nhs_england(index):
    """CH5 to CH8 (Flintshire) are in the CH area, which is mostly English: every GP practice with a
    postcode there in the ODS practice file has a Welsh code, and none is in the August 2026 map."""
    tables = load_datasets("gp_practices_ods_2026", "gp_practices_2026")
    ods, gp = tables["gp_practices_ods_2026"], tables["gp_practices_2026"]
    ods_district = ods["postcode"].fillna("").str.split().str[0]
    map_districts = set(gp["postcode"].str.split().str[0])
    for d in ("CH5", "CH6", "CH7", "CH8"):
        codes = ods.loc[ods_district == d, "practice_code"]
        assert len(codes) and codes.str.startswith("W").all() and d not in map_districts
        assert index["outside_districts"][d].startswith("In Wales, outside NHS England")
    for d in ("CH1", "CH4", "SY1", "HR5"):  # English districts, or shared with Wales, answer with boards
        assert d not in index["outside_districts"] and d in index["areas"]
    assert not set(index["outside_districts"]) & map_districts


@pytest.mark.parametrize(
    "name, country",
    [
        ("Cardiff and Vale University Health Board", "Wales"),
        ("Velindre University NHS Trust", "Wales"),
        ("Betsi Cadwaladr University Health Board", "Wales"),
        ("Hywel Dda University Health Board", "Wales"),
        ("Aneurin Bevan University Health Board", "Wales"),
        ("Swansea Bay University Health Board", "Wales"),
        ("Powys Teaching Health Board", "Wales"),
        ("Cwm Taf Morgannwg University Health Board", "Wales"),
        ("NHS Lothian", "Scotland"),
        ("NHS Greater Glasgow and Clyde", "Scotland"),
        ("Belfast Health and Social Care Trust", "Northern Ireland"),
        ("Northern Ireland Ambulance Service Health and Social Care Trust", "Northern Ireland"),
    ],
)
def test_bodies_of_wales_scotland_and_northern_ireland_have_no_board(index, name, country):
    outside = {it[2]: it for it in index["items"] if it[0] == "outside"}
    it = outside[name]
    assert it[1] == country and not [p for p in it[4] if isinstance(p, list)]
    assert "no integrated care board" in _text(it[4], index)


def test_the_curated_table_of_bodies_outside_england_is_complete():
    """Seven Welsh health boards and three trusts, Scotland's 14 regional boards, Northern Ireland's
    five trusts and its ambulance trust; each row names its source."""
    (t,) = load_datasets("outside_nhs_england").values()
    assert t.groupby("country").size().to_dict() == {"Wales": 10, "Scotland": 14, "Northern Ireland": 6}
    assert t["source_url"].str.startswith("https://").all()


def test_a_trust_closed_after_april_2026_says_so(index, ctx):
    """North Bristol (RVJ) was open when the boards of 2026 began and closed on 30 June 2026 (ODS)."""
    from nhsreport.formatting import uk_date

    closed = ctx.trusts.set_index("org_code").loc["RVJ", "closed"]
    assert pd.Timestamp(closed) > pd.Timestamp("2026-04-01")
    text = _text(_items(index, "trust")["RVJ"][4], index)
    assert text.startswith("Headquarters in Bristol, North Somerset and South Gloucestershire.")
    assert f"Closed on {uk_date(closed)}: taken over by Bristol NHS Foundation Trust (RA7)" in text


def test_a_closed_trust_names_the_board_of_its_own_area(index, ctx):
    """Cambridgeshire Community Services (RYV) served Central East; its successor is in Norfolk and
    Suffolk. A trust with no successor names its own area once."""
    text = _text(_items(index, "trust")["RYV"][4], index)
    assert "today in Norfolk and Suffolk" in text and text.endswith("its own headquarters is in Central East")
    tavistock = _text(_items(index, "trust")["RNK"][4], index)
    assert tavistock.count("West and North London") == 1


def test_a_network_in_two_boards_is_explained_in_both_profiles(ctx):
    """U41591 has practices in Devon and in Cornwall and the Isles of Scilly: the boards' counts of
    networks add up to one more than England's, and both profiles say why."""
    from nhsreport.publish.pages import profiles

    gp = ctx.practices.dropna(subset=["pcn_code"])
    per_board = gp.groupby("icb_2026_code")["pcn_code"].nunique().sum()
    england = gp["pcn_code"].nunique()
    assert per_board == england + 1
    for code, other in (("QJK", "Cornwall and the Isles of Scilly"), ("QT6", "Devon")):
        note = profiles.networks_across_boards(ctx, code)
        assert f"(U41591) has practices in this board and in {other}:" in note
        assert f"add up to {per_board:,}, one more than England's {england:,}." in note
    assert profiles.networks_across_boards(ctx, "QWO") == ""


LOOK_ALIKES = [
    ("SW1A", ["Postcode districts SW1", "No GP practice in England has a postcode in SW1A", "West and North London"]),
    ("North Bristol", ["North Bristol NHS Trust", "Closed on 30 June 2026", "Bristol NHS Foundation Trust (RA7)"]),
    ("Cambridgeshire Community Services", ["Norfolk and Suffolk", "its own headquarters is in Central East"]),
    ("Royal Free", ["Royal Free London NHS Foundation Trust", "West and North London"]),
]


@pytest.mark.slow
@pytest.mark.parametrize("query, expect", LOOK_ALIKES)
def test_exact_answers_come_first_and_look_alikes_apart(finder_page, query, expect):
    """The exact answer is the only one in the first list; look-alikes follow under "Other names
    like this" (at most three), or are left out with a count."""
    page, errors = finder_page
    before = len(errors)  # the page is shared with the tests before
    out = _ask(page, query)
    lists = out.locator("ul")
    first = lists.first.locator("li")
    assert first.count() == 1, out.inner_text()
    text = first.first.inner_text()
    for words in expect:
        assert words in text, (query, text)
    whole = out.inner_text()
    if lists.count() > 1:
        assert "Other names like this" in whole and lists.nth(1).locator("li").count() <= 3
    assert errors[before:] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "query, country",
    [
        ("CH5", "Wales"),
        ("CH7 1AA", "Wales"),
        ("Velindre", "Wales"),
        ("Cardiff and Vale", "Wales"),
        ("Betsi Cadwaladr", "Wales"),
        ("NHS Lothian", "Scotland"),
        ("Belfast Health and Social Care Trust", "Northern Ireland"),
    ],
)
def test_bodies_and_districts_outside_england_answer_so(finder_page, query, country):
    page, errors = finder_page
    before = len(errors)
    text = _ask(page, query).locator("li").first.inner_text()
    assert country in text and ("outside NHS England" in text or "NHS England's alone" in text), text
    assert "integrated care board" in text
    assert errors[before:] == []
