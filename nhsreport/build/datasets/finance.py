"""Trust finances 2010-2018 and consultants FTE by organisation 2009-2018, from the replication
data of Asaria, McGuire & Street, checked against that repository's own variable definitions."""

from __future__ import annotations

import pandas as pd

from nhsreport.build.datasets.workforce import MANAGER_ORG_TYPES
from nhsreport.build.readers.workforce import read_consultants_fte, read_trust_finances, read_variable_definitions
from nhsreport.errors import DataError
from nhsreport.schema import Dataset, Field

# What the replication repository's definitions file must say about the variables read here:
# a changed definition is a changed meaning, and the build stops.
DEFINITIONS = {
    "SIMPLE_MANAGERS_FTE": "Managers (FTE - basic definition)",
    "CONSULTANTS": "Senior doctors (FTE)",
    "NET_FINANCIAL_POSITION": "Net financial position (£ million)",
    "OPERATING_COST": "Total budget (£ million)",
    "YEAR": "Financial Year",
    # the definitions label the 2017-to-2018 change as "17/18 to 18/19": YEAR is the year a financial year begins
    "CHANGE_2017_2018_OPERATING_COST": "Change 17/18 to 18/19 in Total Operating Cost (£ million)",
}


def check_definitions(path, wanted: dict[str, str] = DEFINITIONS) -> dict[str, str]:
    """The definitions file read, with each ``wanted`` variable labelled as expected."""
    df = read_variable_definitions(path)
    labels = dict(zip(df["variable"], df["label"]))
    lines = dict(zip(df["variable"], df["line"]))
    for var, label in wanted.items():
        if var not in labels:
            raise DataError(path, "column 'variable'", f"a row defining {var}", "none")
        if labels[var] != label:
            raise DataError(path, f"line {lines[var]}, column 'label'", f"{label!r} for {var}", repr(labels[var]))
    return labels


# --------------------------------------------------------------------------------------------
# consultants_by_org
# --------------------------------------------------------------------------------------------


def _org_types(ctx) -> dict[str, str]:
    """Organisation type of every code in the managers file (its derivation, reused)."""
    m = ctx.dataset("managers_by_org")
    return dict(zip(m["org_code"], m["org_type"]))


def build_consultants_by_org(ctx) -> pd.DataFrame:
    check_definitions(ctx.raw("managers_fte_variable_definitions"))
    c = read_consultants_fte(ctx.raw("consultants_fte_by_org_2009_2018"))
    types = _org_types(ctx)
    c["org_type"] = c["org_code"].map(types)
    return c[[f.name for f in CONSULTANTS_FIELDS]].sort_values(["year", "org_code"]).reset_index(drop=True)


def _check_consultants(df: pd.DataFrame, label: str) -> None:
    """Consultants in NHS trusts grew every year 2009-2018 (34,156 FTE in all bodies in 2009, 47,308 in 2018)."""
    tot = df.groupby("year")["consultants_fte"].sum()
    for year, want in ((2009, 34155.5), (2018, 47308.0)):
        if abs(tot.get(year, 0.0) - want) > 1:
            raise DataError(
                label,
                f"year {year}, column 'consultants_fte'",
                f"a total of {want:,.0f} FTE",
                f"{tot.get(year, 0.0):,.1f}",
            )


CONSULTANTS_FIELDS = (
    Field("year", "integer", "Year of the September snapshot.", minimum=2009, maximum=2018),
    Field("org_code", "string", "ODS code of the employing organisation, as in the source."),
    Field(
        "org_type",
        "string",
        "Type of organisation, as derived for managers_by_org (empty where the code is not in that file).",
        required=False,
        enum=MANAGER_ORG_TYPES,
    ),
    Field("consultants_fte", "number", "Consultants (senior doctors), full-time equivalent.", unit="FTE", minimum=0),
)

# --------------------------------------------------------------------------------------------
# trust_finances
# --------------------------------------------------------------------------------------------


def build_trust_finances(ctx) -> pd.DataFrame:
    check_definitions(ctx.raw("managers_fte_variable_definitions"))
    f = read_trust_finances(ctx.raw("trust_financial_positions_2010_2018"))
    m = ctx.dataset("managers_by_org")
    types = dict(zip(m["org_code"], m["org_type"]))
    names = dict(zip(m["org_code"], m["org_name"]))
    f["org_type"] = f["org_code"].map(types)
    f["org_name"] = f["org_code"].map(names)
    # a trust with no accounts that year (zero income and zero cost): kept, flagged
    f["reported"] = ~((f["income_gbp_k"] == 0) & (f["cost_gbp_k"] == 0))
    return f[[x.name for x in FINANCE_FIELDS]].sort_values(["year", "org_code"]).reset_index(drop=True)


def _check_finances(df: pd.DataFrame, label: str) -> None:
    """Sector totals from the source: operating cost £87.3bn and a net deficit of £866m in 2018/19."""
    d = df[df["year"] == 2018]
    cost, net = d["cost_gbp_k"].sum() / 1e6, d["surplus_gbp_k"].sum() / 1e3
    if round(cost, 1) != 87.3 or round(net) != -866:
        raise DataError(
            label,
            "year 2018",
            "operating cost £87.3bn and a net position of -£866m",
            f"£{cost:,.1f}bn and £{net:,.0f}m",
        )


FINANCE_FIELDS = (
    Field(
        "year",
        "integer",
        "Financial year, by the year it begins (2018 = April 2018 to March 2019).",
        minimum=2010,
        maximum=2018,
    ),
    Field("org_code", "string", "ODS code of the trust."),
    Field(
        "org_name",
        "string",
        "Name of the trust (from managers_by_org; empty where the code is not there).",
        required=False,
    ),
    Field(
        "org_type",
        "string",
        "Type of trust, as derived for managers_by_org (empty where the code is not there).",
        required=False,
        enum=MANAGER_ORG_TYPES,
    ),
    Field("income_gbp_k", "number", "Operating income.", unit="GBP thousand", minimum=0),
    Field(
        "cost_gbp_k",
        "number",
        "Operating cost (published as a negative number; here positive).",
        unit="GBP thousand",
        minimum=0,
    ),
    Field(
        "surplus_gbp_k",
        "number",
        "Net financial position: surplus (positive) or deficit (negative).",
        unit="GBP thousand",
    ),
    Field("reported", "boolean", "False where the source gives zero income and zero cost (no accounts for that year)."),
)

_ASARIA_METHOD = (
    "The replication repository's variable definitions are read first and must define "
    + ", ".join(f"{k} as {v!r}" for k, v in DEFINITIONS.items())
    + "; otherwise the build stops. "
)

DATASETS = [
    Dataset(
        name="consultants_by_org",
        title="Consultants (FTE) by organisation, September 2009 to 2018",
        description="Full-time equivalent consultants in each NHS organisation at each September 2009-2018, with the "
        "organisation type derived for managers_by_org.",
        fields=CONSULTANTS_FIELDS,
        primary_key=("year", "org_code"),
        sources=("consultants_fte_by_org_2009_2018", "managers_fte_variable_definitions"),
        build=build_consultants_by_org,
        depends=("managers_by_org",),
        as_of="2018-09",
        rows=(3000, 3300),
        checks=(_check_consultants,),
        method=_ASARIA_METHOD
        + (
            "FTE values are the replication data's SIMPLE_CONSULTANTS_FTE (ESR consultants, the 'senior doctors' of the "
            "definitions). Codes are stripped of spaces; the organisation type is the one managers_by_org derives for the "
            "same code."
        ),
        caveats=(
            "PCTs, CCGs and a few other bodies employ small numbers of consultants and appear in the file; managers "
            "per consultant is meaningful only for trusts that employ many (acute and mental health trusts). "
            "Codes follow the organisation as it was that year: a merged trust appears under its new code only "
            "from the year of the merger."
        ),
    ),
    Dataset(
        name="trust_finances",
        title="NHS trust operating income, operating cost and surplus or deficit, 2010/11 to 2018/19",
        description="Each NHS trust's operating income, operating cost and net financial position (£ thousand) by "
        "financial year, from trust annual accounts as compiled by the replication data of Asaria, "
        "McGuire & Street, with the trust's type.",
        fields=FINANCE_FIELDS,
        primary_key=("year", "org_code"),
        sources=("trust_financial_positions_2010_2018", "managers_fte_variable_definitions"),
        build=build_trust_finances,
        depends=("managers_by_org",),
        as_of="2019-03",
        rows=(2100, 2300),
        checks=(_check_finances,),
        method=_ASARIA_METHOD
        + (
            "So YEAR is the year in which the financial year begins (YEAR 2017 is 2017/18). FINANCIAL_POSITION is the "
            "net financial position, OP_INCOME operating income and OP_COST operating cost, which the source gives as a "
            "negative number and is stored here as a positive one; a cost above zero in the source, a negative income "
            "or a repeated trust and year stops the build. The trust type and name are those derived for "
            "managers_by_org. Check: in 2018/19 the trusts' operating costs total £87.3bn and their net position "
            "-£866m."
        ),
        caveats=(
            "The net position is after non-operating items (interest, dividends on public dividend capital, "
            "impairments), so it is not income minus cost. Year-end sector support payments (the Sustainability "
            "and Transformation Fund from 2016/17) are included as they were booked, so the sector's position is "
            "not like for like across years. Four trust-years have zero income (trusts in their final or first "
            "year); they are flagged `reported = false`. About 25 codes, most of them trusts formed after 2012, "
            "are not in the managers file and have no type."
        ),
    ),
]
