"""General practices: each practice with its primary care network, CCG, STP and region in
September 2020 (``gp_practices``), and with its network, sub-ICB location and board of the 36
boards of April 2026 on 1 August 2026, with its registered patients of April 2025
(``gp_practices_2026``), from NHS England's files "Patients registered at a GP practice" and the
ODS practice file of June 2026."""

from __future__ import annotations

import pandas as pd

from nhsreport.build.readers.ods import read_practice_map
from nhsreport.build.readers.registrations import (
    GP_PRACTICE_ROLE,
    read_epraccur_2026,
    read_practice_map_2026,
    read_practice_patients,
)
from nhsreport.errors import DataError
from nhsreport.formatting import tidy_name
from nhsreport.schema import ICB_CODE, REGIONS, Dataset, Field

ICB26_CODE = r"Q[A-Z0-9]{2}|[A-Z][0-9][A-Z][0-9][A-Z]"


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


def board_short_name(name: str) -> str:
    """A board's name without "NHS " and " Integrated Care Board", as the report prints it
    ("NHS Central East Integrated Care Board" -> "Central East")."""
    out = " ".join(str(name).split())
    out = out.removeprefix("NHS ")
    return out.removesuffix(" Integrated Care Board").removesuffix(" ICB")


def build_gp_practices_2026(ctx) -> pd.DataFrame:
    df = read_practice_map_2026(ctx.raw("gp_practice_mapping_2026_08"))
    patients = read_practice_patients(ctx.raw("gp_patients_practice_2025_04"))
    ods = read_epraccur_2026(ctx.raw("ods_epraccur_2026_06"))
    ods = ods[ods["role"] == GP_PRACTICE_ROLE].set_index("code")
    out = pd.DataFrame(
        {
            "practice_code": df["practice_code"],
            "practice_name": df["practice_name"].map(tidy_name),
            "postcode": df["postcode"],
            "pcn_code": df["pcn_code"],
            "pcn_name": df["pcn_name"].map(tidy_name).str.replace(r"\bPcn\b", "PCN", regex=True),
            "sub_icb_code": df["sub_icb_code"],
            "sub_icb_gss_code": df["sub_icb_gss_code"],
            "sub_icb_name": df["sub_icb_name"],
            "icb_2026_code": df["icb_code"],
            "icb_2026_gss_code": df["icb_gss_code"],
            "icb_2026_name": df["icb_name"].map(board_short_name),
            "region_code": df["region_code"],
            "patients_2025_04": df["practice_code"].map(patients.set_index("practice_code")["patients"]),
            "ods_status": df["practice_code"].map(ods["status"]),
            "ods_open_date": df["practice_code"].map(ods["open_date"]).dt.strftime("%Y-%m-%d"),
        }
    )
    return out.sort_values("practice_code").reset_index(drop=True)


def _check_counts_2026(df: pd.DataFrame, label: str) -> None:
    """Every practice in exactly one of the 36 boards: 6,129 practices, 1,299 PCN codes (the
    'Unallocated' code 'U' among them, kept empty here), 106 sub-ICB locations, 36 boards."""
    got = (len(df), df["practice_code"].nunique(), df["sub_icb_code"].nunique(), df["icb_2026_code"].nunique())
    if got != (6129, 6129, 106, 36) or df["icb_2026_code"].isna().any():
        raise DataError(
            label,
            "rows",
            "6,129 practices, each once, in 106 sub-ICB locations and 36 boards",
            "{:,} rows, {:,} practices, {} sub-ICB locations, {} boards".format(*got),
        )


FIELDS_2026 = (
    Field("practice_code", "string", "ODS code of the GP practice.", pattern=r"[A-Z]\d{5}"),
    Field("practice_name", "string", "Name of the practice (title case)."),
    Field("postcode", "string", "Postcode of the practice.", required=False),
    Field(
        "pcn_code",
        "string",
        "ODS code of the primary care network (empty where the file gives 'U', Unallocated).",
        required=False,
        pattern=r"U\d{5}",
    ),
    Field("pcn_name", "string", "Name of the primary care network.", required=False),
    Field(
        "sub_icb_code",
        "string",
        "ODS code of the sub-ICB location (a former CCG area).",
        pattern=r"[0-9]{2}[A-Z]|[A-Z0-9]{3,5}",
    ),
    Field("sub_icb_gss_code", "string", "ONS code of the sub-ICB location.", pattern=r"E38\d{6}"),
    Field("sub_icb_name", "string", "Name of the sub-ICB location, as published."),
    Field(
        "icb_2026_code", "string", "ODS code of the practice's board (the 36 ICBs of 1 April 2026).", pattern=ICB26_CODE
    ),
    Field("icb_2026_gss_code", "string", "ONS code of the board.", pattern=r"E54\d{6}"),
    Field("icb_2026_name", "string", "Short name of the board (without 'NHS' and 'Integrated Care Board')."),
    Field("region_code", "string", "ODS code of the NHS England region.", enum=tuple(REGIONS)),
    Field(
        "patients_2025_04",
        "integer",
        "Patients registered at the practice on 1 April 2025 (empty for a practice not in that file).",
        unit="people",
        required=False,
        minimum=0,
    ),
    Field(
        "ods_status",
        "string",
        "Status of the practice in the ODS practice file of June 2026.",
        required=False,
        enum=("ACTIVE", "INACTIVE", "DORMANT"),
    ),
    Field("ods_open_date", "date", "Open date of the practice in the ODS practice file.", required=False),
)


def build_gp_practices_ods_2026(ctx) -> pd.DataFrame:
    """The GP practices (role RO76) of the ODS practice file of June 2026 that are not in the
    practice map of August 2026, with their status, dates and the board ODS gives them."""
    mapped = set(read_practice_map_2026(ctx.raw("gp_practice_mapping_2026_08"))["practice_code"])
    ods = read_epraccur_2026(ctx.raw("ods_epraccur_2026_06"))
    ods = ods[(ods["role"] == GP_PRACTICE_ROLE) & ~ods["code"].isin(mapped)]
    out = pd.DataFrame(
        {
            "practice_code": ods["code"],
            "practice_name": ods["name"].map(tidy_name),
            "postcode": ods["postcode"],
            "icb_2026_code": ods["icb"].where(ods["icb"].str.fullmatch(ICB26_CODE, na=False)),
            "sub_icb_code": ods["sub_icb"],
            "ods_status": ods["status"],
            "ods_open_date": ods["open_date"].dt.strftime("%Y-%m-%d"),
            "ods_close_date": ods["close_date"].dt.strftime("%Y-%m-%d"),
        }
    )
    return out.sort_values("practice_code").reset_index(drop=True)


FIELDS_ODS_2026 = (
    Field("practice_code", "string", "ODS code of the GP practice.", pattern=r"[A-Z]\d{5}|Y\d{5}"),
    Field("practice_name", "string", "Name of the practice (title case where published in capitals)."),
    Field("postcode", "string", "Postcode of the practice.", required=False),
    Field(
        "icb_2026_code",
        "string",
        "ODS code of the board ODS gives the practice (column 4, April 2026 codes); empty where it gives none.",
        required=False,
        pattern=ICB26_CODE,
    ),
    Field("sub_icb_code", "string", "ODS code of its sub-ICB location (commissioner).", required=False),
    Field("ods_status", "string", "Status in the ODS practice file.", enum=("ACTIVE", "INACTIVE", "DORMANT")),
    Field("ods_open_date", "date", "Open date in the ODS practice file."),
    Field("ods_close_date", "date", "Close date in the ODS practice file (empty while open).", required=False),
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
            "Black Country to Birmingham and Solihull, Glossop from Greater Manchester to Derbyshire) are not "
            "applied, so a few dozen practices sit in their 2020 system. Practices open and close every month; "
            "the count is that of one extract."
        ),
    ),
    Dataset(
        name="gp_practices_2026",
        title="GP practices with their primary care network, sub-ICB location and board, 1 August 2026",
        description="The 6,129 GP practices of NHS England's mapping file for patients registered at a GP practice "
        "(1 August 2026), each with its primary care network, sub-ICB location and board (the 36 integrated care "
        "boards of 1 April 2026, ODS and ONS codes), the patients registered with it on 1 April 2025 and its "
        "status in the ODS practice file of June 2026.",
        fields=FIELDS_2026,
        primary_key=("practice_code",),
        sources=("gp_practice_mapping_2026_08", "gp_patients_practice_2025_04", "ods_epraccur_2026_06"),
        build=build_gp_practices_2026,
        as_of="2026-08-01",
        rows=(5500, 7000),
        checks=(_check_counts_2026,),
        method=(
            "The August 2026 mapping file is read as published: a practice listed twice, a sub-ICB location in two "
            "boards or a board in two regions stops the build. It places every practice in exactly one board, so "
            "board, sub-ICB and network counts of practices are exact, not estimated. Registered patients are "
            "those of the practice-level file of 1 April 2025 (16 months older than the map; every practice of the "
            "map is in it). The ODS status and open date come from the ODS practice file of June 2026 (role RO76, "
            "GP practice). Names published in capitals are put in title case; board names drop 'NHS' and "
            "'Integrated Care Board'. The PCN code 'U' (Unallocated) is kept as an empty network. Check: 6,129 "
            "practices in 106 sub-ICB locations and 36 boards."
        ),
        caveats=(
            "Patients per practice are of April 2025, the practices of August 2026: a practice that merged or "
            "changed list in between keeps its April 2025 list. The ODS practice file puts 17 of these practices "
            "in a different board (its 'high-level health geography', column 4) from the mapping file, with the "
            "same sub-ICB location: the report follows the mapping file, which is the one the registered-patient "
            "statistics use."
        ),
    ),
    Dataset(
        name="gp_practices_ods_2026",
        title="GP practices of the ODS practice file of June 2026 that are not in the practice map of August 2026",
        description="Every GP practice (ODS role RO76) in the ODS practice file of June 2026 but not in NHS England's "
        "practice map of 1 August 2026: closed, dormant or not listing patients in the map, with its ODS status, "
        "dates and board, so that the finder can answer for it.",
        fields=FIELDS_ODS_2026,
        primary_key=("practice_code",),
        sources=("ods_epraccur_2026_06", "gp_practice_mapping_2026_08"),
        build=build_gp_practices_ods_2026,
        as_of="2026-06",
        rows=(100, 20000),
        method="The ODS practice file is read as published (role RO76, GP practice) and the practices of the "
        "August 2026 map are left out. The board is ODS's high-level health geography (column 4), on the April "
        "2026 codes.",
        caveats="The ODS file is of about mid-June 2026 and the map of 1 August 2026: a practice that opened or "
        "closed in between may be in one and not the other. A practice in ODS but not in the map is not counted in "
        "any board's practices.",
    ),
]
