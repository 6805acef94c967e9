"""The PDF briefings: built by the command users run, checked as a reader would read them.

Each key figure is recomputed here from ``data.load`` with plain pandas (written independently of
``nhsreport.analysis.management`` and friends), formatted as the briefing formats it, and looked for in
the PDF's text. Published figures are checked where the research notes give them.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from nhsreport import data
from nhsreport.analysis import management
from nhsreport.publish.briefing import figures

from .conftest import ROOT, need_tool

SCRIPT = ROOT / "scripts" / "briefing.py"


def run(*args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def pdf_text(path: Path) -> str:
    need_tool("pdftotext")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def pdf_pages(path: Path) -> int:
    need_tool("pdfinfo")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def assert_fonts_embedded(path: Path) -> None:
    need_tool("pdffonts")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, f"{path.name}: no fonts listed"
    for row in rows:
        # columns: name type encoding emb sub uni object-id; the name may contain no spaces
        cols = row.split()
        emb = cols[-5]
        assert emb == "yes", f"{path.name}: font not embedded: {row}"


# ---------------------------------------------------------------------------------------------
# independent computations (plain pandas)
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tables():
    return {n: data.load(n) for n in ("staff_by_org", "icbs", "icb_allocations", "trusts", "commissioners_over_time")}


def staff_nov25(staff: pd.DataFrame) -> pd.DataFrame:
    s = staff[staff["date"] == staff["date"].max()]
    return s.assign(mgr=s["staff_group_std"].isin(["Managers", "Senior managers"]),
                    all_=s["staff_group_std"] == "All staff")


def england_per100(staff) -> tuple[float, float, float]:
    s = staff_nov25(staff)
    m, a = s.loc[s["mgr"], "fte"].sum(), s.loc[s["all_"], "fte"].sum()
    return 100 * m / a, m, a


def ics_per100(staff, code) -> float:
    s = staff_nov25(staff)
    s = s[s["icb_code"] == code]
    return 100 * s.loc[s["mgr"], "fte"].sum() / s.loc[s["all_"], "fte"].sum()


def ics_ranks(staff, alloc, icbs) -> tuple[pd.Series, pd.Series]:
    dens = pd.Series({c: ics_per100(staff, c) for c in icbs["icb_code"]})
    a = alloc[alloc["financial_year"] == "2025/26"].set_index("icb_code")
    per_head = a["running_cost_allowance_gbp"] / a["allocation_population"].astype(float)
    return dens, per_head


def trusts_open(trusts, day) -> int:
    d = pd.Timestamp(day)
    return int(((trusts["opened"] <= d) & (trusts["closed"].isna() | (trusts["closed"] >= d))).sum())


# ---------------------------------------------------------------------------------------------
# England
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("briefing")


@pytest.fixture(scope="module")
def england_pdf(out_dir) -> Path:
    proc = run("--out", str(out_dir))
    assert proc.returncode == 0, proc.stderr
    path = out_dir / "england.pdf"
    assert path.exists()
    return path


def test_england_pages_and_fonts(england_pdf):
    assert 1 <= pdf_pages(england_pdf) <= 4
    assert_fonts_embedded(england_pdf)


def test_england_key_figures(england_pdf, tables):
    text = pdf_text(england_pdf)
    per100, mgr, allstaff = england_per100(tables["staff_by_org"])
    assert f"{mgr:,.0f} managers and senior managers (FTE) among {allstaff:,.0f} FTE staff: {per100:.1f} per 100" in text
    assert f"one for every {allstaff / mgr:.1f}" in text
    # published: the November 2025 turnover file sums to 40,251 managers among 1,331,554 FTE
    # (research notes, management-facts.md A4, and the staff_by_org method note)
    assert "40,251" in text and "1,331,554" in text

    t = tables["trusts"]
    n12, n26 = trusts_open(t, "2012-04-01"), trusts_open(t, "2026-04-01")
    assert f"{n12} NHS trusts were open on 1 April 2012 and {n26} on 1 April 2026" in text
    # ODS-derived series 243 in 2012, 199 in 2026, plus Great Western Ambulance (RX5), which the ODS trust
    # file omits (managers-fte-by-org-2009-2018.csv 2009-2012; dissolved into RYF on 2013-02-01)
    assert (n12, n26) == (244, 199)

    icbs = tables["icbs"]
    n22 = icbs["icb_code"].nunique()
    n26_icb = len({p.split(":")[0] for parts in icbs["icb_2026_parts"] for p in parts.split(";")})
    assert f"{n22} \u2192 {n26_icb}" in text
    assert (n22, n26_icb) == (42, 36)  # published: 42 less 12 closed plus 6 new (structure-facts.md)

    a = tables["icb_allocations"]
    y = a[a["financial_year"] == "2025/26"]
    per_head = y["running_cost_allowance_gbp"].sum() / y["allocation_population"].astype(float).sum()
    assert f"\u00a3{per_head:.2f}" in text
    # published totals (allocations datapackage caveat; management-facts.md C9): £1,108.8m and £874.0m
    assert "\u00a31,108.8m in 2023/24" in text and "\u00a3874.0m in 2025/26" in text

    pops = icbs.set_index("icb_name")["population"]
    assert f"{pops.min():,} people ({pops.idxmin()})" in text
    assert "Questions for the board" in text and "Where do we fit in an integrated care system?" in text
    assert "Open Government Licence v3.0" in text


def test_england_agrees_with_management_module(tables):
    ctx = figures.load_context()
    v = figures.england(ctx)["values"]
    staff, icbs = tables["staff_by_org"], tables["icbs"]
    assert v["managers_per_100_staff"] == pytest.approx(management.managers_per_100_staff(staff))
    spread = management.ics_spread(management.density_by_ics(staff, icbs))
    assert v["spread"] == spread
    e = management.england_running_cost_per_head(tables["icb_allocations"], icbs).set_index("financial_year")
    assert v["rca_per_head"] == pytest.approx(e.loc["2025/26", "gbp_per_head"])
    # and the independent computation agrees with the module
    assert v["managers_per_100_staff"] == pytest.approx(england_per100(staff)[0])


# ---------------------------------------------------------------------------------------------
# one system
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, code", [("QOP", "QOP"), ("frimley", "QNQ"), ("E54000008", "QYG")])
def test_ics_briefing(query, code, out_dir, tables):
    t0 = time.perf_counter()
    proc = run("--ics", query, "--out", str(out_dir))
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    path = out_dir / "ics" / f"{code}.pdf"
    assert path.exists()
    print(f"{code}: {elapsed:.1f} s")
    assert 1 <= pdf_pages(path) <= 4
    assert_fonts_embedded(path)
    text = pdf_text(path)

    icbs = tables["icbs"].set_index("icb_code")
    staff, alloc = tables["staff_by_org"], tables["icb_allocations"]
    row = icbs.loc[code]
    assert row["icb_name"] in text
    assert f"{row['population']:,}" in text
    dens, per_head = ics_ranks(staff, alloc, tables["icbs"])
    rank_d = int((dens > dens[code]).sum()) + 1
    rank_r = int((per_head > per_head[code]).sum()) + 1
    assert f"{dens[code]:.1f} managers and senior managers per 100 staff" in text
    assert f"England {england_per100(staff)[0]:.1f}" in text
    assert re.search(rf"\b{rank_d}(st|nd|rd|th) highest of 42 systems", text)
    assert f"\u00a3{per_head[code]:.2f} per head" in text
    assert re.search(rf"\b{rank_r}(st|nd|rd|th) highest of 42\.", text)
    # its trusts, as published in the November 2025 workforce file
    s = staff_nov25(staff)
    trusts = s[(s["icb_code"] == code) & s["all_"] & (s["org_type"] != "ICB")]
    assert f"headquarters of {len(trusts)} NHS trusts" in text
    for name in trusts["org_name"]:
        assert " ".join(str(name).split()[:2]) in text
    assert "1 April 2026" in text


def test_ics_2026_change_texts():
    ctx = figures.load_context()
    assert "continued unchanged" in figures.change_2026(ctx, "QOP")
    assert "merged with" in figures.change_2026(ctx, "QMJ") and "West and North London" in figures.change_2026(ctx, "QMJ")
    split = figures.change_2026(ctx, "QNQ")
    assert "divided" in split and "Thames Valley" in split and "Hampshire and Isle of Wight" in split
    assert "took in" in figures.change_2026(ctx, "QRL")


def test_bad_name_lists_closest_and_writes_nothing(tmp_path):
    proc = run("--ics", "Greater Manchestr", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "closest names" in proc.stderr and "Greater Manchester" in proc.stderr
    assert list(tmp_path.rglob("*")) == []
    proc = run("--ics", "zzzz nowhere", "--out", str(tmp_path))
    assert proc.returncode == 2 and "no ICB matches" in proc.stderr
    assert list(tmp_path.rglob("*")) == []


def test_resolve_ics_variants():
    icbs = data.load("icbs")
    assert figures.resolve_ics("qop", icbs)["icb_code"] == "QOP"
    assert figures.resolve_ics("E54000057", icbs)["icb_code"] == "QOP"
    assert figures.resolve_ics("NHS Greater Manchester Integrated Care Board", icbs)["icb_code"] == "QOP"
    with pytest.raises(figures.IcsNotFoundError) as e:
        figures.resolve_ics("london", icbs)
    assert len(e.value.candidates) == 5  # five London ICBs match


def test_highlight_recolours_one_system():
    from nhsreport.publish.briefing import graphics
    svg = ('<svg><g><path aria-label="icb:AAA" aria-roledescription="bar" fill="#ccc" d="M0,0"/>'
           '<path aria-label="icb:BBB" aria-roledescription="bar" fill="#ccc" d="M1,1"/></g></svg>')
    out = graphics.highlight(svg, "AAA")
    assert out.count('fill="#D55E00"') == 1
    assert out.index("icb:BBB") < out.index("icb:AAA")  # drawn last, on top
    with pytest.raises(ValueError):
        graphics.highlight(svg, "ZZZ")


@pytest.mark.slow
def test_all_42_briefings(tmp_path):
    t0 = time.perf_counter()
    proc = run("--all", "--out", str(tmp_path), timeout=600)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted((tmp_path / "ics").glob("*.pdf"))
    assert [p.stem for p in pdfs] == sorted(data.load("icbs")["icb_code"])
    for p in pdfs:
        assert 1 <= pdf_pages(p) <= 4, p.name
    assert_fonts_embedded(pdfs[0])
    print(f"all 42 briefings: {elapsed:.1f} s")
    assert elapsed <= 90, f"all 42 briefings took {elapsed:.0f} s (budget 90 s)"
