"""Tests of the ICB allocations dataset: parsing on tiny workbooks, bad input, published totals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nhsreport.build.datasets import REGISTRY
from nhsreport.build.datasets import allocations as al
from nhsreport.build.pipeline import Context
from nhsreport.build.readers import allocations as rd_alloc
from nhsreport.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
REGIONS7 = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]


def _codes(n=42):
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return [f"Q{letters[i // 10]}{i % 10}" for i in range(n)]


def _sheet(values: dict[str, list], title="ICB_running_cost_allowance", n=42, name_header="System Name"):
    """A table laid out like the NHS England workbooks: title rows, header, blank row, ICB rows, total."""
    codes = _codes(n)
    header = ["R23", "Region", "ICB23", name_header] + list(values)
    rows = [[title] + [None] * (len(header) - 2) + ["v1.2"], [None] * len(header), header, [None] * len(header)]
    for i, c in enumerate(codes):
        rows.append([REGIONS7[i % 7], "Region", c, f"NHS ICB {c}"] + [v[i] for v in values.values()])
    rows.append(
        [None, None, "Total", "England"] + [sum(x for x in v if isinstance(x, (int, float))) for v in values.values()]
    )
    return rows


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(xw, sheet_name=name, header=False, index=False)
    return path


def test_parse_sheet(tmp_path):
    p = _xlsx(
        tmp_path / "alloc.xlsx",
        {"ICB running cost allowance": _sheet({"2023/24 £k": list(range(1, 43)), "2024/25 £k": [2.5] * 42})},
    )
    df = rd_alloc.read_allocation_sheet(p, "ICB running cost allowance", {"running_cost_allowance": "2024/25 £k"})
    assert len(df) == 42 and list(df.columns) == ["icb_code", "icb_name", "region_code", "running_cost_allowance"]
    assert df["running_cost_allowance"].sum() == 105.0
    assert df["icb_name"].iloc[0] == f"NHS ICB {_codes()[0]}"


def test_parse_sheet_header_with_line_breaks(tmp_path):
    p = _xlsx(
        tmp_path / "alloc.xlsx",
        {
            "Core": _sheet(
                {"2023/24 Recurrent allocation \n(£k)": [1.0] * 42}, name_header="Integrated Care Board (ICB)"
            )
        },
    )
    df = rd_alloc.read_allocation_sheet(p, "Core", {"core_allocation": "2023/24 Recurrent allocation (£k)"})
    assert df["core_allocation"].sum() == 42.0


def test_renamed_sheet(tmp_path):
    p = _xlsx(tmp_path / "alloc.xlsx", {"RCA": _sheet({"2023/24 £k": [1] * 42})})
    with pytest.raises(DataError) as e:
        rd_alloc.read_allocation_sheet(p, "ICB running cost allowance", {"running_cost_allowance": "2023/24 £k"})
    assert "alloc.xlsx" in str(e.value) and "ICB running cost allowance" in str(e.value) and "RCA" in str(e.value)


def test_renamed_column(tmp_path):
    p = _xlsx(tmp_path / "alloc.xlsx", {"RCA": _sheet({"2023-24 £000": [1] * 42})})
    with pytest.raises(DataError) as e:
        rd_alloc.read_allocation_sheet(p, "RCA", {"running_cost_allowance": "2023/24 £k"})
    assert "alloc.xlsx" in str(e.value) and "'RCA'" in str(e.value) and "2023/24 £k" in str(e.value)


def test_wrong_type(tmp_path):
    vals = [1] * 42
    vals[5] = "tbc"
    p = _xlsx(tmp_path / "alloc.xlsx", {"RCA": _sheet({"2023/24 £k": vals})})
    with pytest.raises(DataError) as e:
        rd_alloc.read_allocation_sheet(p, "RCA", {"running_cost_allowance": "2023/24 £k"})
    msg = str(e.value)
    assert "alloc.xlsx" in msg and "'RCA'" in msg and _codes()[5] in msg and "tbc" in msg


def test_missing_icb_rows(tmp_path):
    p = _xlsx(tmp_path / "alloc.xlsx", {"RCA": _sheet({"2023/24 £k": [1] * 40}, n=40)})
    with pytest.raises(DataError) as e:
        rd_alloc.read_allocation_sheet(p, "RCA", {"running_cost_allowance": "2023/24 £k"})
    assert "alloc.xlsx" in str(e.value) and "42 ICB rows" in str(e.value)


def test_bad_region(tmp_path):
    rows = _sheet({"2023/24 £k": [1] * 42})
    rows[4][0] = "Y54"
    p = _xlsx(tmp_path / "alloc.xlsx", {"RCA": rows})
    with pytest.raises(DataError) as e:
        rd_alloc.read_allocation_sheet(p, "RCA", {"running_cost_allowance": "2023/24 £k"})
    assert "'R23'" in str(e.value) and "Y54" in str(e.value)


def test_combine_converts_thousands():
    codes = _codes()
    base = pd.DataFrame({"icb_code": codes, "icb_name": [f"ICB {c}" for c in codes], "region_code": ["Y56"] * 42})
    tables = {}
    for y in al.YEARS:
        rca = base.assign(running_cost_allowance=1.5)
        core = base[["icb_code", "icb_name", "region_code"]].assign(
            core_allocation=2000.0, core_allocation_per_head=2.0, core_total_allocation=2100.0
        )
        tables[y] = [rca, core]
    df = al.combine(tables)
    assert len(df) == 126
    assert (df["running_cost_allowance_gbp"] == 1500).all()
    assert (df["allocation_population"] == 1_000_000).all()
    assert df["specialised_gbp"].isna().all()


needs_raw = pytest.mark.skipif(
    not (RAW / "nhs-allocations/icb-allocations-2025-26.xlsx").exists(),
    reason="data/raw not present (run `make data-raw`)",
)


@needs_raw
def test_rca_totals_match_published():
    ctx = Context(RAW, ROOT / "data" / "curated", REGISTRY)
    df = ctx.dataset("icb_allocations")
    t = df.groupby("financial_year")["running_cost_allowance_gbp"].sum() / 1e6
    # research note management-facts C9 (computed from NHS England's allocation workbooks):
    # £1,108.8m (2023/24) -> £908.8m (2024/25) -> £874.0m (2025/26, v1.4)
    assert round(t["2023/24"], 1) == 1108.8
    assert round(t["2024/25"], 1) == 908.8
    assert round(t["2025/26"], 1) == 874.0
    # and 0.88% of the 2024/25 core recurrent allocation (same note); £14.62 per head in 2024/25
    y = df[df["financial_year"] == "2024/25"]
    assert round(100 * y["running_cost_allowance_gbp"].sum() / y["core_allocation_gbp"].sum(), 2) == 0.88
    assert round(y["running_cost_allowance_gbp"].sum() / y["allocation_population"].sum(), 2) == 14.62
    # England core recurrent allocation as in the workbooks' total rows: £101,260,119k and £103,817,368k
    c = df.groupby("financial_year")["core_allocation_gbp"].sum()
    assert c["2023/24"] == 101_260_119_000 and c["2024/25"] == 103_817_368_000
    cross = pd.read_csv(RAW / "ons-geography/ccg21-stp21-sicbl22-icb22-crosswalk.csv", dtype=str)
    assert set(df["icb_code"]) == set(cross["ICB22CDH"])
    assert df.groupby("financial_year")["icb_code"].nunique().eq(42).all()
