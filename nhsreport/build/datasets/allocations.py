"""ICB revenue allocations and running cost allowances, 2023/24 to 2025/26 (NHS England)."""

from __future__ import annotations

import pandas as pd

from nhsreport.build.readers.allocations import read_allocation_sheet
from nhsreport.errors import DataError
from nhsreport.schema import ICB_CODE, REGIONS, Dataset, Field

YEARS = ("2023/24", "2024/25", "2025/26")

# (source, sheet, {output column: header in the sheet}) for every measure and year.
# Headers are matched after collapsing whitespace (the workbooks put line breaks inside them).
_SRC_2325 = "icb_allocations_2023_2025"
_SRC_2526 = "icb_allocations_2025_26"
LAYOUT = {
    "2023/24": [
        (_SRC_2325, "ICB running cost allowance", {"running_cost_allowance": "2023/24 £k"}),
        (
            _SRC_2325,
            "ICB Core Allocations 2023-24",
            {
                "core_allocation": "2023/24 Recurrent allocation (£k)",
                "core_allocation_per_head": "2023/24 Recurrent allocation £/head",
                "core_total_allocation": "2023/24 Total allocation (£k)",
            },
        ),
        (_SRC_2325, "PMC Allocations 2023-24", {"primary_medical_care": "2023/24 Recurrent allocation (£k)"}),
        (_SRC_2325, "Other Primary Care", {"other_primary_care": "2023/24 Recurrent allocation £k"}),
    ],
    "2024/25": [
        (_SRC_2325, "ICB running cost allowance", {"running_cost_allowance": "2024/25 £k"}),
        (
            _SRC_2325,
            "ICB Core Allocations 2024-25",
            {
                "core_allocation": "2024/25 Recurrent allocation (£k)",
                "core_allocation_per_head": "2024/25 Recurrent allocation £/head",
                "core_total_allocation": "2024/25 Total allocation (£k)",
            },
        ),
        (_SRC_2325, "PMC Allocations 2024-25", {"primary_medical_care": "2024/25 Recurrent allocation (£k)"}),
        (_SRC_2325, "Other Primary Care", {"other_primary_care": "2024/25 Recurrent allocation £k"}),
    ],
    "2025/26": [
        (_SRC_2526, "ICB running cost allowance", {"running_cost_allowance": "2025/26 (£k)"}),
        (
            _SRC_2526,
            "ICB Core Allocations 2025-26",
            {
                "core_allocation": "2025/26 Recurrent allocation (£k)",
                "core_allocation_per_head": "2025/26 Recurrent allocation £/head",
                "core_total_allocation": "2025/26 Total allocation (£k)",
            },
        ),
        (_SRC_2526, "PMC Allocation 2025-26", {"primary_medical_care": "Revised recurrent allocation (£k)"}),
        (_SRC_2526, "POD Allocation 2025-26", {"other_primary_care": "2025/26 Recurrent allocation (£k)"}),
        (
            _SRC_2526,
            "Specialised Allocations 2025-26",
            {
                "specialised": "2025/26 Physical health services + HCDD recurrent allocation (£k)",
                "specialised_mental_health": "2025/26 Delegated MH resource allocation (£k)",
            },
        ),
    ],
}
MONEY = (
    "running_cost_allowance",
    "core_allocation",
    "core_total_allocation",
    "primary_medical_care",
    "other_primary_care",
    "specialised",
    "specialised_mental_health",
)


def combine(tables: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
    """Merge the per-sheet tables into one row per ICB and year, converting £ thousand to £."""
    frames = []
    names = None
    for year in YEARS:
        parts = tables[year]
        df = parts[0]
        for p in parts[1:]:
            df = df.merge(
                p.drop(columns=["icb_name", "region_code"]), on="icb_code", how="outer", validate="one_to_one"
            )
        df["financial_year"] = year
        frames.append(df)
        if year == YEARS[-1]:
            names = parts[0].set_index("icb_code")[["icb_name", "region_code"]]
    out = pd.concat(frames, ignore_index=True)
    # one name and region per ICB: those of the latest file
    out["icb_name"] = out["icb_code"].map(names["icb_name"])
    out["region_code"] = out["icb_code"].map(names["region_code"])
    for m in MONEY:
        if m not in out.columns:
            out[m] = float("nan")
        out[f"{m}_gbp"] = (out[m] * 1000).round(0)
    out["core_allocation_gbp_per_head"] = out["core_allocation_per_head"]
    out["allocation_population"] = (
        (out["core_allocation_gbp"] / out["core_allocation_per_head"]).round(0).astype("Int64")
    )
    return out[[f.name for f in FIELDS]].sort_values(["icb_code", "financial_year"]).reset_index(drop=True)


def build(ctx) -> pd.DataFrame:
    tables = {}
    for year, specs in LAYOUT.items():
        tables[year] = [read_allocation_sheet(ctx.raw(src), sheet, wanted) for src, sheet, wanted in specs]
    return combine(tables)


def _check_totals(df: pd.DataFrame, label: str) -> None:
    """Running cost allowance summed over the 42 ICBs: £1,108.8m, £908.8m, £874.0m in the three years (a guard
    against a changed or misread sheet)."""
    expected = {"2023/24": 1108.8e6, "2024/25": 908.8e6, "2025/26": 874.0e6}
    for year, want in expected.items():
        got = df.loc[df["financial_year"] == year, "running_cost_allowance_gbp"].sum()
        if abs(got - want) > 0.1e6:
            raise DataError(
                label,
                f"financial_year {year}, column 'running_cost_allowance_gbp'",
                f"a national total of about £{want / 1e6:,.1f}m",
                f"£{got / 1e6:,.1f}m",
            )
    per_year = df.groupby("financial_year")["icb_code"].nunique()
    if not (per_year == 42).all():
        raise DataError(label, "column 'icb_code'", "42 ICBs in every year", per_year.to_dict())


def _money(name, desc, required=False):
    return Field(name, "number", desc, unit="GBP", required=required, minimum=-1e12)


FIELDS = (
    Field("icb_code", "string", "ODS code of the integrated care board.", pattern=ICB_CODE),
    Field("icb_name", "string", "Name of the ICB as in the 2025/26 allocations workbook."),
    Field("region_code", "string", "ODS code of the NHS England region of the ICB.", enum=tuple(REGIONS)),
    Field("financial_year", "string", "Financial year (April to March).", enum=YEARS),
    Field(
        "running_cost_allowance_gbp",
        "number",
        "Running cost allowance: the cap on the ICB's own administrative running costs.",
        unit="GBP",
        minimum=0,
    ),
    Field(
        "core_allocation_gbp",
        "number",
        "Recurrent allocation for ICB core services (excludes primary medical care, other primary care, specialised services and the running cost allowance).",
        unit="GBP",
        minimum=0,
    ),
    _money(
        "core_total_allocation_gbp",
        "Total allocation for core services: the recurrent allocation plus the non-recurrent elements the table adds in that year (elective recovery, COVID, etc.).",
    ),
    Field(
        "core_allocation_gbp_per_head",
        "number",
        "Recurrent core allocation per head of population, as published.",
        unit="GBP per person",
        minimum=0,
    ),
    Field(
        "allocation_population",
        "integer",
        "Population implied by the recurrent core allocation and its published £ per head (derived).",
        unit="persons",
        minimum=0,
    ),
    _money(
        "primary_medical_care_gbp",
        "Recurrent allocation for primary medical care (GP services) delegated to the ICB (2025/26: the revised recurrent allocation).",
    ),
    _money(
        "other_primary_care_gbp", "Recurrent allocation for other primary care: pharmacy, optometry and dental (POD)."
    ),
    _money(
        "specialised_gbp",
        "Recurrent allocation for delegated specialised physical health services including high-cost drugs and devices (2025/26 only).",
    ),
    _money("specialised_mental_health_gbp", "Delegated specialised mental health resource allocation (2025/26 only)."),
)

DATASETS = [
    Dataset(
        name="icb_allocations",
        title="ICB revenue allocations and running cost allowances, 2023/24 to 2025/26",
        description="For each of the 42 integrated care boards and financial year: the running cost allowance and the "
        "allocations for core services, primary medical care, other primary care (POD) and, in 2025/26, "
        "delegated specialised services, in pounds.",
        fields=FIELDS,
        primary_key=("icb_code", "financial_year"),
        sources=(_SRC_2325, _SRC_2526),
        build=build,
        as_of="2025/26",
        rows=(126, 126),
        foreign_keys={"icb_code": ("icbs", "icb_code")},
        checks=(_check_totals,),
        method=(
            "The allocation workbooks publish one table per sheet, with title rows above the header. Each sheet is read "
            "from its header row (the row holding the `ICB23` column); the ICB rows are those whose `ICB23` cell is an "
            "ODS ICB code (Qxx), which drops the regional and England total rows. Figures are published in £ thousand "
            "and are multiplied by 1,000 and rounded to the pound. 2023/24 and 2024/25 come from the 2023/24 to 2024/25 "
            "workbook (v1.2) and 2025/26 from the 2025/26 workbook (v1.4). The core, primary medical care, other primary "
            "care and specialised figures are the recurrent allocations; `core_total_allocation_gbp` adds the "
            "non-recurrent elements of each year's table. `allocation_population` is the recurrent core allocation "
            "divided by the published core £ per head, rounded to a whole person. Names and regions are those of the "
            "2025/26 workbook."
        ),
        caveats=(
            "The running cost allowance is a cap on administrative running costs, not a measure of what ICBs spent. "
            "The 2023/24 to 2024/25 workbook also shows an indicative 2025/26 allowance (£828.3m in total); it is not "
            "used, because the 2025/26 workbook (v1.4, revised for the employer national insurance rise) gives £874.0m. "
            "National totals of the allowance: £1,108.8m (2023/24), £908.8m (2024/25), £874.0m (2025/26). "
            "Other primary care is the 'Other Primary Care' table in 2023/24 and 2024/25 and the 'POD' (pharmacy, "
            "optometry and dental) table in 2025/26, whose scope may differ slightly; the per-ICB figures exclude "
            "amounts the workbook shows as held by NHS England's regions (£111.9m in 2023/24 and £114.3m in 2024/25), "
            "so they sum to less than the table's England total. Specialised services were "
            "delegated to ICBs from 2025/26 (some earlier, for a few services in some regions) and are only given for "
            "2025/26, so `specialised_gbp` and `specialised_mental_health_gbp` are empty for earlier years. "
            "The 2023/24 core and primary care figures are allocations to the ICB footprints of 2023/24, after the "
            "April 2023 boundary move between Surrey Heartlands and Sussex."
        ),
    )
]
