"""General practices, September 2020: each practice with its primary care network, CCG, STP and
region, from NHS Digital's mapping file for "Patients registered at a GP practice"."""

from __future__ import annotations

import pandas as pd

from nhsreport.build.readers.ods import read_practice_map
from nhsreport.errors import DataError
from nhsreport.formatting import tidy_name
from nhsreport.schema import ICB_CODE, REGIONS, Dataset, Field


def build_gp_practices(ctx) -> pd.DataFrame:
    df = read_practice_map(ctx.raw("gp_practice_mapping_2020_09"))
    df["practice_name"] = df["practice_name"].map(tidy_name)
    df["pcn_name"] = df["pcn_name"].map(tidy_name).str.replace(r"\bPcn\b", "PCN", regex=True)
    return df


def _check_counts(df: pd.DataFrame, label: str) -> None:
    """6,708 practices, 6,577 of them in 1,251 PCNs, 135 CCGs (the CCGs of April 2020) and 42 STPs."""
    got = (
        len(df),
        int(df["pcn_code"].notna().sum()),
        df["pcn_code"].nunique(),
        df["ccg_code"].nunique(),
        df["icb_code"].nunique(),
    )
    if got != (6708, 6577, 1251, 135, 42):
        raise DataError(
            label,
            "rows",
            "6,708 practices, 6,577 of them in 1,251 PCNs, 135 CCGs and 42 STPs",
            "{:,} practices, {:,} of them in {:,} PCNs, {} CCGs and {} STPs".format(*got),
        )


FIELDS = (
    Field("practice_code", "string", "ODS code of the GP practice.", pattern=r"[A-Z]\d{5}"),
    Field("practice_name", "string", "Name of the practice (title case)."),
    Field("postcode", "string", "Postcode of the practice.", required=False),
    Field(
        "pcn_code",
        "string",
        "ODS code of the primary care network the practice belongs to (empty where the file gives 'U', Unallocated).",
        required=False,
        pattern=r"U\d{5}",
    ),
    Field("pcn_name", "string", "Name of the primary care network.", required=False),
    Field("ccg_code", "string", "ODS code of the practice's CCG (April 2020 CCGs)."),
    Field("ccg_gss_code", "string", "ONS code of the CCG.", pattern=r"E38\d{6}"),
    Field(
        "icb_code",
        "string",
        "ODS code of the practice's STP in September 2020, which is the code of the 2022 ICB of the same footprint.",
        pattern=ICB_CODE,
    ),
    Field("region_code", "string", "ODS code of the NHS England region.", enum=tuple(REGIONS)),
)

DATASETS = [
    Dataset(
        name="gp_practices",
        title="GP practices with their primary care network, CCG and STP, September 2020",
        description="The 6,708 GP practices in NHS Digital's mapping file for patients registered at a GP practice "
        "(September 2020), each with its primary care network, CCG, STP and NHS England region.",
        fields=FIELDS,
        primary_key=("practice_code",),
        sources=("gp_practice_mapping_2020_09",),
        build=build_gp_practices,
        as_of="2020-09-01",
        rows=(6000, 7500),
        foreign_keys={"icb_code": ("icbs", "icb_code")},
        checks=(_check_counts,),
        method=(
            "The mapping file is read as published. A practice listed twice, a PCN in two CCGs, a CCG in two STPs or "
            "an STP in two regions stops the build, as does more than one extract date. Names published in "
            "capitals are put in title case. Fifteen PCNs have practices in two CCGs and three in two STPs, as "
            "published. The STP code (ODS Qxx) is kept as `icb_code`: each of the 42 STPs of "
            "2020 became the ICB with the same code in July 2022. The PCN code 'U' (name 'Unallocated') marks practices in no network; "
            "they are kept with an empty PCN. Check: 6,708 practices, 6,577 of them in 1,251 PCNs, 135 CCGs, "
            "42 STPs."
        ),
        caveats=(
            "The file has no patient counts: the registered list sizes are published in separate monthly files "
            "that are not among the report's inputs, so patients per practice cannot be computed here. "
            "Footprints are those of September 2020: the moves of April and July 2022 (West Birmingham from the "
            "Black Country to Birmingham and Solihull, Glossop from Derbyshire to Greater Manchester) are not "
            "applied, so a few dozen practices sit in their 2020 system. Practices open and close every month; "
            "the count is that of one extract."
        ),
    ),
]
