"""The PDF briefings: built by the command users run, checked as a reader would read them.

Each key figure is recomputed here from ``data.load`` with plain pandas (written independently of
``nhsreport.analysis.management`` and friends), formatted as the briefing formats it, and looked for in
the PDF's text. Published figures are checked where the research notes give them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from nhsreport import data
from nhsreport.analysis import management
from nhsreport.publish.briefing import figures

from .conftest import ROOT, need_tool, pdf_objects
from .helpers import assert_fonts_embedded, pdf_pages, pdf_text, run_briefing

# ---------------------------------------------------------------------------------------------
# independent computations (plain pandas)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables():
    return {n: data.load(n) for n in ("staff_by_org", "icbs", "icb_allocations", "trusts", "commissioners_over_time")}


def staff_nov25(staff: pd.DataFrame) -> pd.DataFrame:
    s = staff[staff["date"] == staff["date"].max()]
    return s.assign(
        mgr=s["staff_group_std"].isin(["Managers", "Senior managers"]), all_=s["staff_group_std"] == "All staff"
    )


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


def rank_words(rank: int, n: int) -> str:
    """A rank as a reader says it: "the highest", "the lowest", else "12th highest"."""
    if rank == 1:
        return "the highest"
    if rank == n:
        return "the lowest"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix} highest"


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
    proc = run_briefing("--out", str(out_dir))
    assert proc.returncode == 0, proc.stderr
    path = out_dir / "england.pdf"
    assert path.exists()
    return path


def test_england_pages_and_fonts(england_pdf):
    assert 1 <= pdf_pages(england_pdf) <= 4
    assert_fonts_embedded(england_pdf)


def assert_pdf_ua(path: Path) -> None:
    """PDF/UA-1 as declared by the file, with what assistive technology needs: tags, the language
    and a title that viewers display."""
    pdf = pdf_objects(path)
    assert re.search(rb"pdfuaid:part(>|=\")1", pdf), f"{path.name}: not declared PDF/UA-1"
    assert re.search(rb"/StructTreeRoot", pdf) and re.search(rb"/Marked\s*true", pdf), f"{path.name}: not tagged"
    assert re.search(rb"/Lang\s*\(en", pdf), f"{path.name}: no document language"
    assert re.search(rb"/DisplayDocTitle\s*true", pdf), f"{path.name}: viewers would show the file name"
    assert re.search(rb"/Alt\s*\(", pdf) or re.search(rb"/Alt\s*<", pdf), f"{path.name}: figures without alt text"


def test_england_is_pdf_ua(england_pdf):
    assert_pdf_ua(england_pdf)


def test_england_key_figures(england_pdf, tables):
    text = pdf_text(england_pdf)
    per100, mgr, allstaff = england_per100(tables["staff_by_org"])
    assert (
        f"{mgr:,.0f} managers and senior managers (FTE) among {allstaff:,.0f} FTE staff: {per100:.1f} per 100" in text
    )
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
    assert "\u00a31,108.8 million in 2023/24" in text and "\u00a3874.0 million in 2025/26" in text

    # the smallest and largest of the 36 boards of 2026, not of the 42 of 2022
    boards26 = figures.load_context().boards.set_index("icb_2026_name")["population"]
    assert f"from {boards26.min():,} people ({boards26.idxmin()}) to {boards26.max():,} ({boards26.idxmax()})" in text
    assert "The 36 boards of 1 April 2026 are unequal in size" in text
    assert "Questions for the board" in text and "Where do we fit in an integrated care system?" in text
    assert "Open Government Licence v3.0" in text


def test_england_agrees_with_management_module(tables):
    ctx = figures.load_context()
    v = figures.england(ctx)["values"]
    staff, icbs = tables["staff_by_org"], tables["icbs"]
    assert v["managers_per_100_staff"] == pytest.approx(management.managers_per_100_staff(staff))
    boards26 = ctx.boards["managers_per_100_staff"]
    assert v["spread"]["n"] == 36
    assert (v["spread"]["min"], v["spread"]["max"]) == (boards26.min(), boards26.max())
    e = management.england_running_cost_per_head(tables["icb_allocations"], icbs).set_index("financial_year")
    assert v["rca_per_head"] == pytest.approx(e.loc["2025/26", "gbp_per_head"])
    # and the independent computation agrees with the module
    assert v["managers_per_100_staff"] == pytest.approx(england_per100(staff)[0])


# ---------------------------------------------------------------------------------------------
# a 2022 system gives the briefing of its 2026 board (the 42 briefings of 2022 are retired)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query, code", [("QOP", "QOP"), ("frimley", "S0E4D"), ("E54000008", "QYG")])
def test_a_2022_system_gives_its_board_briefing(query, code, out_dir):
    proc = run_briefing("--ics", query, "--out", str(out_dir))
    assert proc.returncode == 0, proc.stderr
    path = out_dir / "boards" / f"{code}.pdf"
    assert path.exists() and not (out_dir / "ics").exists()
    assert 1 <= pdf_pages(path) <= 4
    assert_pdf_ua(path)
    text = pdf_text(path)
    assert figures.load_context().boards.loc[code, "icb_2026_name"] in text


def test_2026_change_texts():
    from nhsreport.publish.components.board_text import predecessor_change

    ctx = figures.load_context()

    def change(icb22, board26):
        pred = next(p for p in ctx.records[board26].predecessors if p["icb_code"] == icb22)
        return predecessor_change(pred, "1 April 2026")

    assert "continued unchanged" in change("QOP", "QOP")
    assert "merged with" in change("QMJ", "Z9B2Z") and "West and North London" in change("QMJ", "Z9B2Z")
    split = change("QNQ", "S0E4D")
    assert "divided" in split and "Thames Valley" in split and "Hampshire and Isle of Wight" in split
    assert "took in" in change("QRL", "QRL")


def test_bad_name_lists_closest_and_writes_nothing(tmp_path):
    proc = run_briefing("--ics", "Greater Manchestr", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "closest names" in proc.stderr and "Greater Manchester" in proc.stderr
    assert list(tmp_path.rglob("*")) == []
    proc = run_briefing("--ics", "zzzz nowhere", "--out", str(tmp_path))
    assert proc.returncode == 2 and "matches" in proc.stderr
    assert list(tmp_path.rglob("*")) == []


def test_highlight_recolours_one_system():
    from nhsreport.publish.briefing import graphics

    svg = (
        '<svg><g><path aria-label="icb:AAA" aria-roledescription="bar" fill="#ccc" d="M0,0"/>'
        '<path aria-label="icb:BBB" aria-roledescription="bar" fill="#ccc" d="M1,1"/></g></svg>'
    )
    out = graphics.highlight(svg, "AAA")
    assert out.count('fill="#D55E00"') == 1
    assert out.index("icb:BBB") < out.index("icb:AAA")  # drawn last, on top
    with pytest.raises(ValueError):
        graphics.highlight(svg, "ZZZ")


def page_fill(path: Path) -> list[float]:
    """Per page, how far down the text block (15 mm top, 22 mm bottom margins) the last ink
    reaches, as a fraction of its height (a greyscale render at 30 dpi)."""
    import tempfile

    need_tool("pdftoppm")
    fills = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", "30", str(path), f"{tmp}/p"], check=True, capture_output=True)
        for f in sorted(Path(tmp).glob("p-*.pgm")):
            blob = f.read_bytes()
            w, h = (int(v) for v in blob.split(maxsplit=3)[1:3])
            px = blob[len(blob) - w * h :]
            top, bottom = int(h * 15 / 297), int(h * (297 - 22) / 297)
            inked = [y for y in range(top, bottom) if min(px[y * w + w // 10 : y * w + 9 * w // 10]) < 200]
            fills.append((inked[-1] - top) / (bottom - top) if inked else 0.0)
    return fills


def pdf_links(path: Path) -> list[str]:
    """The URIs of the PDF's link annotations."""
    blob = path.read_bytes()
    return [u.decode("latin-1") for u in re.findall(rb"/URI\s*\(([^)]*)\)", blob)]


def test_briefing_links_go_to_the_published_site(tmp_path):
    """The "full report" link is an absolute address on the published site (a relative path is
    dead once the PDF is emailed), printed in full on page 1; a system's briefing points at its
    own profile page (that of its board of 2026), which the HTML book has. The address is the one
    the publishing workflow gives; with none, no address (and no placeholder) is printed."""
    from nhsreport.publish.book import site

    base = "https://nhs-report.test/joining-up/"
    address = {site.ENV: base}
    for args in ((), ("--ics", "QRV")):
        proc = run_briefing(*args, "--out", str(tmp_path), env=address)
        assert proc.returncode == 0, proc.stderr
    code26 = str(data.load("icbs").set_index("icb_code").loc["QRV", "icb_2026_code"])
    ics = tmp_path / "boards" / f"{code26}.pdf"
    england = tmp_path / "england.pdf"
    for path, page in ((england, base + "book/index.html"), (ics, base + f"book/systems/{code26}.html")):
        links = pdf_links(path)
        assert page in links, f"{path.name}: no link to {page}: {links}"
        assert all(u.startswith(("https://", "http://")) for u in links), f"{path.name}: relative links {links}"
        first = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert base.removeprefix("https://").split("/")[0] in "".join(first.split()), "address not printed on page 1"
        assert "build folder" not in pdf_text(path)
    profiles = ROOT / "_build" / "html" / "book" / "systems"
    if profiles.is_dir():  # in a built book, the system's own profile is one of its pages
        assert (profiles / f"{code26}.html").exists(), f"no profile page for {code26}"
    unset = tmp_path / "no-address"
    proc = run_briefing("--out", str(unset), env={site.ENV: None})
    assert proc.returncode == 0, proc.stderr
    if site.base_url() is None:  # the repository configures none: the workflow gives it
        assert not pdf_links(unset / "england.pdf"), "a link printed with no published address"
    assert "example" not in pdf_text(unset / "england.pdf"), "a placeholder address is printed"


@pytest.mark.slow
def test_every_briefing_page_is_at_least_half_full_and_back_pages_are_the_systems_own(tmp_path):
    """No page of any briefing (England and the 36 boards) is under half full; each board's back
    page names its own peers, and page 1 says which base each figure uses and how old it is."""
    for args in (("--boards",), ()):
        proc = run_briefing(*args, "--out", str(tmp_path), timeout=600)
        assert proc.returncode == 0, proc.stderr
    short = []
    pdfs = [tmp_path / "england.pdf", *sorted((tmp_path / "boards").glob("*.pdf"))]
    assert len(pdfs) == 1 + 36
    for p in pdfs:
        short += [f"{p.name} p.{i + 1} ({f:.0%})" for i, f in enumerate(page_fill(p)) if f < 0.5]
    assert not short, f"briefing pages under half full: {short}"
    ctx = figures.load_context()
    backs = {}
    for code in ("Z9B2Z", "QOP", "QYG"):
        text = " ".join(pdf_text(tmp_path / "boards" / f"{code}.pdf").split())
        back = figures.board_back(ctx, code)
        for peer in back["peers"][1:]:
            assert peer["name"] in text, f"{code}: peer {peer['name']} not named"
        assert "years old" in text
        backs[code] = text[text.index("closest in population") : text.index("Sources, licences")]
    assert len(set(backs.values())) == 3
    england = pdf_text(tmp_path / "england.pdf")
    assert "Figure 1 counts heads, not FTE" in england


def test_ranks_read_as_words_in_every_briefing():
    """No board's briefing says "1st highest" or "36th highest of 36": the first is "the highest",
    the last "the lowest", the others "12th highest of 36"."""
    ctx = figures.load_context()
    docs = [figures.board(ctx, c) for c in sorted(ctx.boards.index)]
    bad = re.compile(r"\b1st (highest|of)\b|\b(\d+)(st|nd|rd|th) (highest )?of \2\b")
    for d in docs:
        texts = [*d["summary"], *(k["note"] for k in d["key_figures"])]
        for t in texts:
            assert not bad.search(t), f"{d['code']}: {t}"
        assert any("highest" in t or "lowest" in t for t in texts), d["code"]


# ---------------------------------------------------------------------------------------------
# print: every figure's text at 8 pt or more on paper, and nothing told apart by hue alone
# ---------------------------------------------------------------------------------------------

PT_PER_MM = 72 / 25.4
TEXT_BLOCK_MM = 210 - 2 * 17  # A4 less the margins of common.typ
_TEXT = re.compile(r"<text\b(?P<attrs>[^>]*)>(?P<body>[^<]*)</text>")


def svg_texts(svg: str) -> list[tuple[str, float]]:
    """Every text of an SVG with its font size in pixels (a text without one fails: its size on
    paper would be unknown)."""
    out = []
    for m in _TEXT.finditer(svg):
        size = re.search(r'font-size="([\d.]+)px"', m["attrs"]) or re.search(r"font-size:\s*([\d.]+)px", m["attrs"])
        assert size, f"text without a font size: {m.group(0)[:120]}"
        out.append((m["body"].replace("&amp;", "&"), float(size.group(1))))
    return out


def svg_width_px(svg: str) -> float:
    return float(re.search(r'<svg[^>]*\swidth="([\d.]+)', svg).group(1))


def printed_size(px: float, svg: str, width_mm: float) -> float:
    """Points on paper of text ``px`` high in ``svg``, set ``width_mm`` wide: Typst scales the SVG
    by the placed width over its own (in pixels), so a pixel prints at width_mm × 72/25.4 /
    svg width points."""
    return px * width_mm * PT_PER_MM / svg_width_px(svg)


def lightness(colour: str) -> float:
    """CIELAB L* of ``#rrggbb``, ``#rgb`` or ``rgb(r, g, b)``."""
    from colorspacious import cspace_convert

    if colour.startswith("rgb("):
        rgb = [float(v) / 255 for v in colour[4:-1].split(",")]
    else:
        h = colour.lstrip("#")
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    return float(cspace_convert(rgb, "sRGB1", "CIELab")[0])


@pytest.fixture(scope="module")
def briefing_figures():
    """(briefing, figure, its width on the page in mm, its SVG, the briefing's data) for every
    figure of the England briefing and the 36 board briefings."""
    from nhsreport.publish.briefing import graphics, render

    ctx = figures.load_context()
    docs = [("england", *render.england_doc(ctx, graphics.england_svgs(ctx)))]
    base = graphics.board_base_svgs(ctx)
    docs += [(f"boards/{c}", *render.board_doc(ctx, c, base)) for c in sorted(ctx.boards.index)]
    out = []
    for name, doc, svgs in docs:
        for f in doc["figures"] + ([doc["map"]] if "map" in doc else []):
            svg = svgs.get(f["file"]) or svgs[f["file"].removesuffix(".svg")]
            out.append((name, f["file"].removesuffix(".svg"), float(f["width_mm"]), svg, doc))
    return out


def test_every_briefing_figure_prints_its_text_at_8pt_or_more(briefing_figures):
    """The smallest text of every figure of every briefing, at the width its template sets it,
    is 8 pt or more on paper; and the figures set side by side fit the text block."""
    small, smallest = [], {}
    for name, fig, width_mm, svg, doc in briefing_figures:
        texts = svg_texts(svg)
        assert texts, f"{name} {fig}: no text"
        pt = min(printed_size(px, svg, width_mm) for _, px in texts)
        smallest[(name.split("/")[0], fig)] = min(pt, smallest.get((name.split("/")[0], fig), 99))
        if pt < 8.0:
            small.append(f"{name} {fig}: {pt:.1f} pt")
        assert width_mm <= TEXT_BLOCK_MM, f"{name} {fig}: {width_mm} mm is wider than the page"
        if "map" in doc:  # page 1: the two ranking charts side by side, the map beside the text
            assert sum(f["width_mm"] for f in doc["figures"]) < TEXT_BLOCK_MM
            assert doc["map"]["width_mm"] < TEXT_BLOCK_MM / 2
    print({k: round(v, 1) for k, v in sorted(smallest.items())})
    assert not small, f"figure text under 8 pt on paper: {small}"


def test_printed_sizes_agree_with_the_pdf(england_pdf, out_dir, briefing_figures):
    """The sizes computed from the SVGs are the sizes Typst prints: each figure's texts appear in
    the PDF's text at that size (pdftotext's word boxes are as high as the font is large)."""
    need_tool("pdftotext")
    proc = run_briefing("--board", "Z9B2Z", "--out", str(out_dir))
    assert proc.returncode == 0, proc.stderr
    for pdf, name in ((england_pdf, "england"), (out_dir / "boards" / "Z9B2Z.pdf", "boards/Z9B2Z")):
        html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        boxes: dict[str, list[float]] = {}
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            boxes.setdefault(m.group(5).replace("&amp;", "&"), []).extend([y1 - y0, x1 - x0])  # upright or turned
        for fname, fig, width_mm, svg, _ in briefing_figures:
            if fname != name:
                continue
            checked = 0
            for text, px in svg_texts(svg):
                words = text.split()
                if not words or words[0] not in boxes:
                    continue
                want = printed_size(px, svg, width_mm)
                assert any(abs(h - want) < 0.3 for h in boxes[words[0]]), (
                    f"{name} {fig}: {text!r} should print at {want:.2f} pt; word boxes {sorted(boxes[words[0]])}"
                )
                checked += 1
            assert checked, f"{name} {fig}: none of its texts found in the PDF"


_PATH = re.compile(r"<path\b[^>]*>")
_FILL = re.compile(r'\sfill="(#[0-9A-Fa-f]{3,6}|rgb\([\d., ]+\))"')


def svg_marks(svg: str) -> list[tuple[str, str]]:
    """(accessible label, fill) of every labelled, filled path of an SVG (Vega's marks)."""
    out = []
    for m in _PATH.finditer(svg):
        label, fill = re.search(r'aria-label="([^"]*)"', m.group(0)), _FILL.search(m.group(0))
        if label and fill:
            out.append((label.group(1), fill.group(1)))
    return out


def test_no_briefing_figure_relies_on_hue_alone(briefing_figures):
    """Read in greyscale, every figure still works: the highlighted system's marks are far darker
    than the others' (CIELAB L* apart by 20 or more) and it is named on the figure; categories
    whose fills are close in lightness are named on the figure (or its caption); the England map's
    shades darken as the figure rises."""
    ctx = figures.load_context()
    dens = ctx.boards["managers_per_100_staff"]  # the England map shades the boards of 2026
    checked = set()
    for name, fig, _, svg, doc in briefing_figures:
        marks = svg_marks(svg)
        texts = " ".join(t for t, _ in svg_texts(svg))
        if name != "england":
            code = doc["code"]
            mine = {lightness(f) for lab, f in marks if lab == f"icb:{code}"}
            others = {lightness(f) for lab, f in marks if lab.startswith("icb:") and lab != f"icb:{code}"}
            assert mine and others, f"{name} {fig}: highlighted or other marks not found"
            gap = min(o for o in others) - max(mine)
            assert gap >= 20, f"{name} {fig}: highlight only {gap:.0f} L* darker than the rest"
            assert doc["title"] in " ".join(texts.split()) or all(w in texts for w in doc["title"].split()), (
                f"{name} {fig}: {doc['title']} is not named on the figure"
            )
            checked.add(fig)
            continue
        if fig == "density_map":
            shade = {lab.removeprefix("icb:"): lightness(f) for lab, f in marks if lab.startswith("icb:")}
            pairs = sorted((dens[c], L) for c, L in shade.items())
            assert len(pairs) == len(dens)
            assert all(b[1] <= a[1] + 1e-6 for a, b in zip(pairs, pairs[1:])), "map shades do not darken as it rises"
            checked.add(fig)
            continue
        # categories: the value after the last "name: " of each mark's label that names a type
        cats: dict[str, str] = {}
        for lab, f in marks:
            cat = re.search(r"(?:trust_type|body_type): ([^;]+)", lab)
            if cat:
                cats[cat.group(1)] = f
        names = {"PCT": "Primary care trusts", "CCG": "Clinical commissioning groups", "ICB": "Integrated care boards"}
        caption = next(f["caption"] for f in doc["figures"] if f["file"].removesuffix(".svg") == fig)
        for a in cats:
            close = [b for b in cats if b != a and abs(lightness(cats[a]) - lightness(cats[b])) < 20]
            if close:
                named = names.get(a, a)
                assert named in texts or f"\u201c{named}\u201d" in caption, (
                    f"england {fig}: {a} is as light as {close} and is not named on the figure"
                )
        checked.add(fig)
    assert {"map", "density", "rca", "density_map", "trusts", "commissioners"} <= checked


def test_a_board_briefing_is_reproducible(tmp_path):
    """The same inputs give the same bytes: one board's briefing built twice, into two folders."""
    pdfs = []
    for folder in ("one", "two"):
        proc = run_briefing("--board", "QSL", "--out", str(tmp_path / folder))
        assert proc.returncode == 0, proc.stderr
        pdfs.append((tmp_path / folder / "boards" / "QSL.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]


def test_one_age_rule_and_the_release_date():
    """Ages count whole months day to day (nhsreport.formatting), so that two dates a day apart
    never read 9 and 8 months old; a briefing is dated, and its ages counted from, the release date."""
    from nhsreport import RELEASED
    from nhsreport.formatting import age_text, whole_months
    from nhsreport.publish.components import board_text

    assert whole_months("2026-03-31", "2026-12-06") == whole_months("2026-04-01", "2026-12-06") == 8
    assert whole_months("2026-03-31", "2026-08-01") == whole_months("2026-04-01", "2026-08-01") == 4
    assert whole_months("2026-01-31", "2026-02-28") == 1  # the month's last day completes it
    assert age_text("2020-06-30", "2026-06-01") == "5 years old"
    assert age_text("2026-11-30", "2026-12-01") == "this month's"
    assert board_text.ended_ago("2026-03-31", "2026-06-01") == "ended 2 months ago"
    assert board_text.reference_date("2026-06-01") == pd.Timestamp(RELEASED)
    assert board_text.dateline(pd.Timestamp(RELEASED)).startswith("Produced 6 December 2026.")


# ---------------------------------------------------------------------------------------------
# the print review's briefing items: text boxes, sizes, sources, metadata (read from the PDFs)
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(
    r'<page width="[\d.]+" height="[\d.]+">|xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
)


def pdf_words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word of a PDF with its page and box (pdftotext -bbox): ``(page, x0, y0, x1, y1, word)``;
    a box is as high as its font is large."""
    need_tool("pdftotext")
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    out, page = [], 0
    for m in _WORD.finditer(html):
        if m.group(5) is None:
            page += 1
            continue
        x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
        out.append((page, x0, y0, x1, y1, m.group(5).replace("&amp;", "&")))
    return out


@pytest.fixture(scope="module")
def review_pdfs(england_pdf, out_dir) -> dict[str, Path]:
    """England, a 2026 merger (Essex, D7T5G), a London board (West and North London) and Somerset
    (one trust), built as users build them."""
    out = {"england": england_pdf}
    for code in ("D7T5G", "Z9B2Z", "QSL"):
        proc = run_briefing("--board", code, "--out", str(out_dir))
        assert proc.returncode == 0, proc.stderr
        out[code] = out_dir / "boards" / f"{code}.pdf"
    return out


def test_the_title_never_overprints_the_subtitle(review_pdfs):
    """B2: on page 1, no word of the title (19 pt) overlaps a word of the lines under it."""
    for name, path in review_pdfs.items():
        words = [w for w in pdf_words(path) if w[0] == 1]
        title = [w for w in words if w[4] - w[2] > 18]  # 19 pt (the key figures are 16 pt)
        assert title, f"{name}: no title found"
        top, bottom = min(w[2] for w in title), max(w[4] for w in title)
        under = [w for w in words if w[4] - w[2] <= 18 and w[2] > top]
        first = min(under, key=lambda w: w[2])
        assert first[2] >= bottom, f"{name}: {first[5]!r} starts {bottom - first[2]:.1f} pt inside the title's line"


def test_no_two_words_overlap_on_page_one(review_pdfs):
    """B2 and the key figures: outside the figures, no two word boxes of page 1 overlap (a long
    note in a key figure makes its row taller instead of running into the paragraph below)."""
    for name, path in review_pdfs.items():
        words = [w for w in pdf_words(path) if w[0] == 1 and w[4] - w[2] >= 8.4]
        clashes = []
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5:
                    clashes.append((a[5], b[5]))
        assert not clashes, f"{name}: overlapping words {clashes[:6]}"


def test_every_text_outside_the_figures_is_at_least_8_5pt(review_pdfs):
    """B3: the only words under 8.5 pt are the figures' own (drawn at 8 pt or more: see above);
    notes, captions, rank lines, sources and the footer are 8.5 pt or more."""
    for name, path in review_pdfs.items():
        small = [w for w in pdf_words(path) if w[4] - w[2] < 8.45]
        assert all(w[4] - w[2] > 7.9 for w in small), f"{name}: text under 8 pt {[w[5] for w in small][:8]}"
        text = pdf_text(path)
        for needle in ("Which figures, and how old", "Source:", "Sources, licences"):
            assert needle in text
        # the small words are the charts' labels and ticks, never a sentence of the page
        sentences = [w[5] for w in small if w[5].endswith(".") and len(w[5]) > 3]
        assert not sentences, f"{name}: a sentence under 8.5 pt: {sentences[:5]}"


def test_ages_agree_within_a_briefing(review_pdfs):
    """B6: the financial year that ended on 31 March and the boards of 1 April are the same age."""
    text = pdf_text(review_pdfs["D7T5G"])
    ended = re.search(r"ended (\d+) months ago", text)
    boards_age = re.search(r"the boards of 1 April 2026 \((\d+) months old\)", text)
    assert ended and boards_age and ended.group(1) == boards_age.group(1)


def test_the_trusts_table_is_kept_together(review_pdfs):
    """B7: the heading, every row and the note of the trusts' table are on one page."""
    ctx = figures.load_context()
    for code in ("D7T5G", "Z9B2Z", "QSL"):
        pages = subprocess.run(
            ["pdftotext", "-layout", str(review_pdfs[code]), "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")
        page = next(p for p in pages if "NHS trusts headquartered in the area (" in p)
        for t in ctx.records[code].trusts:
            assert t["trust"].split()[0] in page and t["staff_text"] in page, f"{code}: {t['trust']} apart"
        assert "Each trust counts where its headquarters is" in page


def test_sources_are_written_for_a_reader(review_pdfs):
    """B8: publisher, title and a UK date; no repository path, file name or ISO date."""
    for name, path in review_pdfs.items():
        text = pdf_text(path)
        tail = text[text.index("Sources, licences") :]
        assert not re.search(r"\b\d{4}-\d{2}(-\d{2})?\b", text), f"{name}: an ISO date"
        assert "data/curated" not in text and ".csv" not in text and "As of" not in tail
        assert "NHS England, NHS Workforce Statistics, November 2025." in tail
        assert "Office for National Statistics" in tail


def test_the_divided_board_sentence_only_where_one_is_involved(review_pdfs):
    """B10: West and North London (two whole 2022 boards) says nothing about divided boards;
    Essex (parts of two divided boards) says how the shares are measured; no "LSOAs" anywhere."""
    london, essex = (pdf_text(review_pdfs[c]) for c in ("Z9B2Z", "D7T5G"))
    assert "divided board is shared" not in london and "LSOA" not in london
    assert "a divided board is shared by" in essex and "LSOA" not in essex


def test_metadata_and_dateline_name_the_publisher_and_the_release(review_pdfs):
    """B11: Author = the publisher in _config.yml, the production date = the release date; no
    developer wording."""
    import yaml

    from nhsreport import RELEASED

    author = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["author"]
    for name, path in review_pdfs.items():
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(rf"^Author:\s+{re.escape(author)}$", info, re.M), f"{name}: {info}"
        assert pd.Timestamp(RELEASED).strftime("%b %e").replace("  ", " ") in " ".join(
            re.search(r"^CreationDate:\s+(.*)$", info, re.M).group(1).split()
        )
        text = pdf_text(path)
        assert "data module" not in text
        assert "Produced 6 December 2026." in text


def test_board_texts_the_board_member_check_flagged():
    """Board-member check: a board that continued unchanged does not "succeed" a board; the floor is
    "the 1,000,000 mark" both ways; the halving question does not print one sum twice as two."""
    from nhsreport.analysis import board_trends
    from nhsreport.publish.components import board_text

    ctx = figures.load_context()
    nenc = " ".join(figures.board(ctx, "QHM")["summary"])
    assert "they and the board itself employed" in nenc and "it succeeds" not in nenc
    assert "above the 1,000,000 mark" in " ".join(figures.board(ctx, "QWO")["summary"])
    assert "the boards it succeeds employed" in " ".join(figures.board(ctx, "D7T5G")["summary"])
    rec = ctx.records["QWO"]
    allowance = pd.DataFrame(
        [
            {
                "icb_2026_code": "QWO",
                "financial_year": ctx.rca_year,
                "rca_gbp": ctx.boards.loc["QWO", "rca_gbp"],
                "allocation_population": ctx.boards.loc["QWO", "allocation_population"],
            }
        ]
    )
    cut = board_trends.running_cost_cut(allowance, "QWO", 50.0)
    question = board_text.board_questions(rec, len(ctx.boards), cut)[0]["question"]
    assert "down from its 2025/26 running cost allowance of £37.4 million" in question
    assert question.count("£18.7 million") == 1
