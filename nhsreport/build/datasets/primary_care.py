"""General practices, September 2020: each practice with its primary care network, CCG, STP and
region, from NHS Digital's mapping file for "Patients registered at a GP practice"."""
from __future__ import annotations

import pandas as pd

from nhsreport.build.datasets.workforce import ICB_PATTERN, tidy_name
from nhsreport.build.rawio import read_csv, require_values
from nhsreport.errors import DataError
from nhsreport.schema import REGIONS, Dataset, Field

UNALLOCATED = "U"
_COLS = ["PRACTICE_CODE", "PRACTICE_NAME", "PRACTICE_POSTCODE", "PCN_CODE", "PCN_NAME", "CCG_CODE", "ONS_CCG_CODE",
         "STP_CODE", "ONS_STP_CODE", "COMM_REGION_CODE", "EXTRACT_DATE"]


def parse_practice_map(path) -> pd.DataFrame:
    df = read_csv(path, columns=_COLS)
    require_values(df, [c for c in _COLS if c != "PRACTICE_POSTCODE"], path)
    dates = df["EXTRACT_DATE"].unique()
    if len(dates) != 1:
        raise DataError(path, "column 'EXTRACT_DATE'", "one extract date for every practice", list(dates)[:3])
    dup = df["PRACTICE_CODE"].duplicated(keep=False)
    if dup.any():
        pos = dup.to_numpy().nonzero()[0][:2]
        raise DataError(path, f"lines {pos[0] + 2} and {pos[1] + 2}, column 'PRACTICE_CODE'", "each practice once",
                        repr(df["PRACTICE_CODE"].iloc[pos[0]]))
    # practices in no network carry the code "U" ("Unallocated")
    df["PCN_CODE"] = df["PCN_CODE"].str.strip()
    unallocated = df["PCN_CODE"] == UNALLOCATED
    df.loc[unallocated, ["PCN_CODE", "PCN_NAME"]] = None
    # a CCG lies in one STP, an STP in one region: a file that breaks this is not the published mapping
    # (a few PCNs span two CCGs, as published)
    for child, parent in (("CCG_CODE", "STP_CODE"), ("STP_CODE", "COMM_REGION_CODE")):
        n = df.groupby(child)[parent].nunique()
        if (n > 1).any():
            code = n[n > 1].index[0]
            line = int((df[child] == code).to_numpy().nonzero()[0][0]) + 2
            raise DataError(path, f"line {line}, column {parent!r}", f"one {parent} for each {child}",
                            f"{code} in {sorted(df.loc[df[child] == code, parent].unique())}")
    return pd.DataFrame({
        "practice_code": df["PRACTICE_CODE"].str.strip(),
        "practice_name": df["PRACTICE_NAME"].map(tidy_name),
        "postcode": df["PRACTICE_POSTCODE"].str.strip(),
        "pcn_code": df["PCN_CODE"],
        "pcn_name": df["PCN_NAME"].map(tidy_name).str.replace(r"\bPcn\b", "PCN", regex=True),
        "ccg_code": df["CCG_CODE"].str.strip(),
        "ccg_gss_code": df["ONS_CCG_CODE"].str.strip(),
        "icb_code": df["STP_CODE"].str.strip(),
        "region_code": df["COMM_REGION_CODE"].str.strip(),
    })


def build_gp_practices(ctx) -> pd.DataFrame:
    return parse_practice_map(ctx.raw("gp_practice_mapping_2020_09"))


def _check_counts(df: pd.DataFrame, label: str) -> None:
    """6,708 practices, 6,577 of them in 1,251 PCNs, 135 CCGs (the CCGs of April 2020) and 42 STPs."""
    got = (len(df), int(df["pcn_code"].notna().sum()), df["pcn_code"].nunique(), df["ccg_code"].nunique(),
           df["icb_code"].nunique())
    if got != (6708, 6577, 1251, 135, 42):
        raise DataError(label, "rows", "6,708 practices, 6,577 of them in 1,251 PCNs, 135 CCGs and 42 STPs",
                        "{:,} practices, {:,} of them in {:,} PCNs, {} CCGs and {} STPs".format(*got))


FIELDS = (
    Field("practice_code", "string", "ODS code of the GP practice.", pattern=r"[A-Z]\d{5}"),
    Field("practice_name", "string", "Name of the practice (title case)."),
    Field("postcode", "string", "Postcode of the practice.", required=False),
    Field("pcn_code", "string", "ODS code of the primary care network the practice belongs to (empty where the "
          "file gives 'U', Unallocated).", required=False, pattern=r"U\d{5}"),
    Field("pcn_name", "string", "Name of the primary care network.", required=False),
    Field("ccg_code", "string", "ODS code of the practice's CCG (April 2020 CCGs)."),
    Field("ccg_gss_code", "string", "ONS code of the CCG.", pattern=r"E38\d{6}"),
    Field("icb_code", "string", "ODS code of the practice's STP in September 2020, which is the code of the 2022 ICB "
          "of the same footprint.", pattern=ICB_PATTERN),
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
        method=("The mapping file is read as published. A practice listed twice, a PCN in two CCGs, a CCG in two STPs or "
                "an STP in two regions stops the build, as does more than one extract date. Names published in "
                "capitals are put in title case. Fifteen PCNs have practices in two CCGs and three in two STPs, as "
                "published. The STP code (ODS Qxx) is kept as `icb_code`: each of the 42 STPs of "
                "2020 became the ICB with the same code in July 2022. The PCN code 'U' (name 'Unallocated') marks practices in no network; "
                "they are kept with an empty PCN. Check: 6,708 practices, 6,577 of them in 1,251 PCNs, 135 CCGs, "
                "42 STPs."),
        caveats=("The file has no patient counts: the registered list sizes are published in separate monthly files "
                 "that are not among the report's inputs, so patients per practice cannot be computed here. "
                 "Footprints are those of September 2020: the moves of April and July 2022 (West Birmingham from the "
                 "Black Country to Birmingham and Solihull, Glossop from Derbyshire to Greater Manchester) are not "
                 "applied, so a few dozen practices sit in their 2020 system. Practices open and close every month; "
                 "the count is that of one extract."),
    ),
]
