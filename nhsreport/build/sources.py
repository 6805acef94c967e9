"""The source registry: every raw file the pipeline reads, where it officially comes from.

Each entry names the publisher, the official page (``url``), a direct download address where
the publisher offers one (``download_url``), the licence, the period the file covers (``as_of``),
the sha256 of the exact file the processed data were built from, and its path under
``data/raw/`` (the same relative path as in the offline mirror).
"""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

from nhsreport import paths
from nhsreport.errors import DataError

OGL = "Open Government Licence v3.0"
NHS_ATTRIBUTION = "© NHS England (formerly NHS Digital / HSCIC), Open Government Licence v3.0."
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2022."
)


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str
    licence: str
    as_of: str
    sha256: str
    path: str  # relative to data/raw/ (and to the mirror)
    download_url: str | None = None
    via: str | None = None
    notes: str = ""


_ODS_DOC = "https://digital.nhs.uk/services/organisation-data-service/export-data-files/csv-downloads"
_GEOPORTAL = "https://geoportal.statistics.gov.uk/"
_TOPO_VIA = "github.com/henryjameslau/geoportal-boundaries-as-topojson"
_ASARIA = "github.com/miqdadasaria/hospital_management (replication data of Asaria, McGuire & Street)"
_PIPELINE = "github.com/SamanthaBurn/nhs-data-pipeline"
_OPENPRESCRIBING = "github.com/ebmdatalab/openprescribing"
_GP_REGISTRATIONS = (
    "https://digital.nhs.uk/data-and-information/publications/statistical/patients-registered-at-a-gp-practice"
)


def _geo(id, title, as_of, sha, fname):
    return Source(
        id,
        "Office for National Statistics",
        title,
        _GEOPORTAL,
        OGL,
        as_of,
        sha,
        f"ons-geography/{fname}",
        via=_TOPO_VIA,
    )


SOURCES: tuple[Source, ...] = (
    # --- NHS workforce -------------------------------------------------------------------
    Source(
        "workforce_ethnicity_2009_2022",
        "Cabinet Office Race Disparity Unit (from NHS Digital NHS Workforce Statistics)",
        "Ethnicity facts and figures: NHS workforce (headcount by staff group, role and grade)",
        "https://www.ethnicity-facts-figures.service.gov.uk/workforce-and-business/workforce-diversity/nhs-workforce/latest",
        OGL,
        "2009-09/2022-06",
        "d63a8cb3d26dab8cd69737c49555fd489a273b3b4795b8de7f25490758aa656c",
        "nhs-workforce/ethnicity-facts-nhs-workforce-2009-2022.xls",
        notes="Legacy .xls; Ethnicity = All and Grade = All Grades give totals; people in several roles counted in each.",
    ),
    Source(
        "hchs_fte_by_org_2017_2018",
        "NHS Digital",
        "HCHS staff by staff group, nationality and organisation, September 2017 and June 2018",
        "https://digital.nhs.uk/data-and-information/find-data-and-publications/supplementary-information/2018-supplementary-information-files/staff-numbers/hchs-staff-by-staff-group-nationality-and-organisation-september-2017-and-june-2018",
        OGL,
        "2017-09-30/2018-06-30",
        "f3b3327ef7e7ea76e52b805342106ef94318831fb167f2a3c033a45c50c27706",
        "nhs-workforce/hchs-staff-by-group-nationality-org-2017-09_2018-06.xlsx",
    ),
    Source(
        "turnover_benchmarking_2025_10",
        "NHS England",
        "NHS Workforce Statistics: turnover benchmarking 2, staff group and organisation (October 2025)",
        "https://digital.nhs.uk/data-and-information/publications/statistical/nhs-workforce-statistics",
        OGL,
        "2025-10-31",
        "1807a12131bde06639118046346f1589baa8d975a9b0dff084188c3e93fb22a8",
        "nhs-workforce/turnover-benchmarking-staff-group-org-2025-10.csv",
    ),
    Source(
        "turnover_benchmarking_2025_11",
        "NHS England",
        "NHS Workforce Statistics: turnover benchmarking 2, staff group and organisation (November 2025)",
        "https://digital.nhs.uk/data-and-information/publications/statistical/nhs-workforce-statistics",
        OGL,
        "2025-11-30",
        "66170ffcef39e8a46829fc2d64fbf0f01fae1d06cd4794237302cc4ab25dd0a1",
        "nhs-workforce/turnover-benchmarking-staff-group-org-2025-11.csv",
    ),
    Source(
        "managers_fte_by_org_2009_2018",
        "NHS Digital (ESR workforce statistics)",
        "Managers and senior managers FTE by organisation, September 2009-2018",
        "https://digital.nhs.uk/data-and-information/publications/statistical/nhs-workforce-statistics",
        OGL,
        "2009-09/2018-09",
        "389fa6b4f774387e5ddc816a74f4c938f0ab49318f68a7102e28defb78642345",
        "nhs-workforce/managers-fte-by-org-2009-2018.csv",
        via=_ASARIA,
    ),
    Source(
        "consultants_fte_by_org_2009_2018",
        "NHS Digital (ESR workforce statistics)",
        "Consultant FTE by organisation, September 2009-2018",
        "https://digital.nhs.uk/data-and-information/publications/statistical/nhs-workforce-statistics",
        OGL,
        "2009-09/2018-09",
        "57d1c519eb64361b579676bf3449b2fd4f66c677e0b55b4da0dce82a3a49ef7e",
        "nhs-workforce/consultants-fte-by-org-2009-2018.csv",
        via=_ASARIA,
    ),
    Source(
        "provider_org_types",
        "NHS Digital (ESR workforce statistics)",
        "Organisation code to name, type, HEE region and specialist flag (c. 2018)",
        "https://digital.nhs.uk/data-and-information/publications/statistical/nhs-workforce-statistics",
        OGL,
        "2018",
        "838c160ab542f027d840aebd05a4d6e619a41758a55a01f1d6e73d8c01480524",
        "nhs-workforce/provider-org-types.csv",
        via=_ASARIA,
    ),
    Source(
        "trust_financial_positions_2010_2018",
        "NHS trust annual accounts",
        "Trust operating income, operating cost and surplus/deficit, 2010-2018 (£ thousand)",
        "https://github.com/miqdadasaria/hospital_management",
        OGL,
        "2010/2018",
        "2b95e392946b0b817b9423972bd1a41fa6c537d0af9eb323519cdbc8622790e9",
        "nhs-workforce/trust-financial-positions-2010-2018.csv",
        via=_ASARIA,
    ),
    Source(
        "managers_fte_variable_definitions",
        "Asaria, McGuire & Street",
        "Variable definitions of the hospital management replication data",
        "https://github.com/miqdadasaria/hospital_management",
        OGL,
        "2018",
        "942e9fedb2810fbb59dd41eed6d8d40e26db12adae12547b697dd1d4605e9d24",
        "nhs-workforce/managers-fte-variable-definitions.csv",
        via=_ASARIA,
    ),
    # --- allocations -------------------------------------------------------------------------
    Source(
        "icb_allocations_2023_2025",
        "NHS England",
        "Allocation of resources 2023/24 to 2024/25 (v1.2)",
        "https://www.england.nhs.uk/publication/allocation-of-resources-2023-24-to-2024-25/",
        OGL,
        "2023/24-2024/25",
        "04388f69fb2cbbfe65b29f73c26305930c947584d8afa7e0ab7cf5ab80e4040b",
        "nhs-allocations/icb-allocations-2023-24_2024-25.xlsx",
        notes="£ thousand; title rows above each table.",
    ),
    Source(
        "icb_allocations_2025_26",
        "NHS England",
        "Allocation of resources 2025/26 (v1.4, revised for ENICs)",
        "https://www.england.nhs.uk/allocations/",
        OGL,
        "2025/26",
        "4199abdd0aa553e14d6442d0b1c0572295b95a570fb102b51a5e6687292ccdc0",
        "nhs-allocations/icb-allocations-2025-26.xlsx",
        notes="£ thousand; the RCA is a cap, not spending.",
    ),
    # --- ONS geography ------------------------------------------------------------------------
    _geo(
        "geo_icb_2022",
        "Integrated Care Boards (July 2022) boundaries, BUC",
        "2022-07",
        "0411bae2fee0aa866f96a6c8c83399e56620218eab9b2240c2e83426bc45a792",
        "icb-jul2022-en-buc.topo.json",
    ),
    _geo(
        "geo_icb_2023",
        "Integrated Care Boards (April 2023) boundaries, BSC",
        "2023-04",
        "8d88c7d76e365f42ad6cec3e29f59f7a0130a10834f0234be5e111c31fe45126",
        "icb-apr2023-en-bsc.topo.json",
    ),
    _geo(
        "geo_nhser_2022",
        "NHS England regions (July 2022) boundaries, BUC",
        "2022-07",
        "8e7ff11f64c92740659cc96cdfc62ca0203754d6b7030e6071ca7b301f19e3e5",
        "nhser-jul2022-en-buc.topo.json",
    ),
    _geo(
        "geo_sicbl_2022",
        "Sub-ICB locations (July 2022) boundaries, BUC",
        "2022-07",
        "720633e24cc0397c074d29c8bf0ed33575052f190f3a5785dad8f40d386a689f",
        "sicbl-jul2022-en-buc.topo.json",
    ),
    _geo(
        "geo_stp_2018",
        "Sustainability and Transformation Partnerships (April 2018) boundaries, BUC",
        "2018-04",
        "e3e6380e3fcb8357493ea7fbadea1847bcb5c9bc66c1771641f3772ea43a7b1d",
        "stp-apr2018-en-buc.topo.json",
    ),
    _geo(
        "geo_stp_2019",
        "Sustainability and Transformation Partnerships (April 2019) boundaries, BUC",
        "2019-04",
        "792ff68df48744b78e12bff213937d9b04b43154899753724d1bebb1d20cde0d",
        "stp-apr2019-en-buc.topo.json",
    ),
    _geo(
        "geo_stp_2021",
        "Sustainability and Transformation Partnerships (April 2021) boundaries, BUC",
        "2021-04",
        "c73013f01c3ce9cf2de20ba6d65fffac075c668caff06882695204ef81747922",
        "stp-apr2021-en-buc.topo.json",
    ),
    _geo(
        "geo_ccg_2013",
        "Clinical Commissioning Groups (April 2013) boundaries, BSC",
        "2013-04",
        "cf42f38e56fdb09e45697e307bf13fba3665911a289ff910a8d4f0fb11ce1bcc",
        "ccg-2013-en-bsc.topo.json",
    ),
    _geo(
        "geo_ccg_2019",
        "Clinical Commissioning Groups (April 2019) boundaries, BUC",
        "2019-04",
        "1231a9e2d217a63a13a5b9c26e3a30d762ea3c9055aabfdf08097f88f96a5d1c",
        "ccg-apr2019-en-buc.topo.json",
    ),
    _geo(
        "geo_ccg_2020",
        "Clinical Commissioning Groups (April 2020) boundaries, BUC",
        "2020-04",
        "48cf5b7a88398a6871cb5785177b6daaf9ab8ef3f7525f7af7885a11c1a78b00",
        "ccg-apr2020-en-buc.topo.json",
    ),
    _geo(
        "geo_ccg_2021",
        "Clinical Commissioning Groups (April 2021) boundaries, BUC",
        "2021-04",
        "d88b13cf512fd1388eb46fb056939382d46ad3e7f8be2fd0c929f0605d89fe69",
        "ccg-apr2021-en-buc.topo.json",
    ),
    _geo(
        "geo_lad_2022",
        "Local Authority Districts (December 2022) boundaries, UK, BUC",
        "2022-12",
        "fb1bf947565903ff7b6d1b59978c8951bc5a585fdf51ff44867a1cb3b155c62d",
        "lad-dec2022-uk-buc.topo.json",
    ),
    _geo(
        "geo_ctyua_2022",
        "Counties and Unitary Authorities (December 2022) boundaries, England, BUC",
        "2022-12",
        "8b93c87152541422a38c2138115fb2ffa8e8baacb8b8dc5d897c628fc04c4a33",
        "ctyua-dec2022-en-buc.topo.json",
    ),
    _geo(
        "geo_lad_2023",
        "Local Authority Districts (December 2023) boundaries, UK, BUC",
        "2023-12",
        "4a7635d80fdc0b232f7f4960aae98743fd56a989ae3826840e271141b4194d63",
        "lad-dec2023-uk-buc.topo.json",
    ),
    _geo(
        "geo_ctyua_2023",
        "Counties and Unitary Authorities (December 2023) boundaries, UK, BUC",
        "2023-12",
        "c22c242a68c6d370d97ebfe6d26f85b1fdc17d9478565860e8f830470a910a85",
        "ctyua-dec2023-uk-buc.topo.json",
    ),
    Source(
        "geo_icb_2026",
        "Office for National Statistics",
        "Integrated Care Boards (April 2026) boundaries, EN, BSC",
        _GEOPORTAL,
        OGL,
        "2026-04",
        "f51158a85c1a2797002c1147c165b2ca1a6998c9b7a76230d679134d3abd1b91",
        "ons-geography/icb-apr2026-en-bsc.geojson",
        via="github.com/edgehealth/genomic-activity-dashboard",
        notes="GeoJSON (WGS84) with the properties ICB26CD and ICB26NM only; 200 m generalised.",
    ),
    Source(
        "lsoa11_ccg21_lad21_lookup",
        "Office for National Statistics",
        "LSOA (2011) to Clinical Commissioning Group to Local Authority District (April 2021) lookup in England",
        _GEOPORTAL,
        OGL,
        "2021-04",
        "7db6836356dc26510a3a0e4d10b7328088aa7ae2cd5a751f7a0c1c33fe1895ec",
        "ons-geography/lsoa11-ccg21-lad21-lookup-2021-04.csv",
        via="github.com/open-innovations/mental-health-data-map",
        notes="UTF-8 with byte-order mark.",
    ),
    Source(
        "ccg21_icb22_crosswalk",
        "Office for National Statistics",
        "CCG (2021) to STP (2021) to sub-ICB location (2022) to ICB (2022) lookups (CCG21_STP21_EN_LU, LOC22_ICB22_NHSER22_EN_LU)",
        _GEOPORTAL,
        OGL,
        "2022-07",
        "e1c5cfbbe6c6bbb69fc326f793bb237b1f3f2d05d8d104128d7f49fb0adaa827",
        "ons-geography/ccg21-stp21-sicbl22-icb22-crosswalk.csv",
        via="github.com/samuel-book/geography_data (MIT)",
    ),
    Source(
        "ccg13_names_codes",
        "Office for National Statistics",
        "Clinical Commissioning Groups (April 2013) names and codes",
        _GEOPORTAL,
        OGL,
        "2013-04",
        "1380bcfb177871cb9e9300ba78709aa99e8d6652b460eb384b4c94d1e0abb729",
        "ons-geography/ccg-names-codes-2013-04.csv",
        via=_OPENPRESCRIBING,
        notes="cp1252 encoded.",
    ),
    Source(
        "ccg13_area_team_region",
        "Office for National Statistics",
        "CCG (2013) to NHS England area team to commissioning region lookup (CCG13_NHSAT13_NHSCR13_EW_LU)",
        _GEOPORTAL,
        OGL,
        "2013-04",
        "3f2f6d52b33ec6fd4f0bdab83a6f37009eb75bdecb432d67a9c943d14c08c77d",
        "ons-geography/ccg13-area-team-region-lookup.csv",
        via=_OPENPRESCRIBING,
    ),
    Source(
        "ccg21_population_mid2020",
        "Office for National Statistics",
        "Clinical commissioning group mid-year population estimates, mid-2020 (April 2021 CCGs)",
        "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/clinicalcommissioninggroupmidyearpopulationestimates",
        OGL,
        "2020-06-30",
        "f9fca752c8e5a4244c7ceede15aaa45c84c5ee07f5ad9d8066705a3a8e86a340",
        "ons-population/ccg21-population-mid2020-agebands.csv",
        via="github.com/open-innovations/mental-health-data-map",
        notes="Single years collapsed into six bands; UTF-8 with byte-order mark.",
    ),
    Source(
        "mye24_persons_lad23",
        "Office for National Statistics",
        "Estimates of the population for England and Wales, mid-2024 (2023 local authority boundaries), MYE2 persons",
        "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/estimatesofthepopulationforenglandandwales",
        OGL,
        "2024-06-30",
        "c5b1e9c0a28b0ed7731f49ddb7b491d9757514fadb83d91f24bd038a4aa572c2",
        "ons-population/mye24-persons-lad23.csv",
        via="github.com/LibrariesHacked/public-libraries-activity-dataset",
        notes="The persons sheet saved as CSV; UTF-8 with byte-order mark; single years 0-89 and 90+.",
    ),
    # --- NHS ODS ----------------------------------------------------------------------------
    Source(
        "ods_etr_2020_10",
        "NHS Digital Organisation Data Service",
        "NHS trusts (etr), October 2020",
        _ODS_DOC,
        OGL,
        "2020-10",
        "8a365fa92c0e698d77e73bb7ff2230c6a62f84c5c52159b032d61689c13801a9",
        "nhs-ods/etr-2020-10.csv",
        download_url="https://files.digital.nhs.uk/assets/ods/current/etr.zip",
        via="github.com/ebmdatalab/open-nhs-hospital-use-data",
        notes="No header row.",
    ),
    Source(
        "ods_etr_2026_06",
        "NHS England Organisation Data Service",
        "NHS trusts (etr), June 2026",
        _ODS_DOC,
        OGL,
        "2026-06",
        "50c34139a3ddbf8cce579c07edea74d2d3a0341a0e5145c95f0c20dd0b8005cb",
        "nhs-ods/etr-2026-06.csv",
        download_url="https://files.digital.nhs.uk/assets/ods/current/etr.zip",
        via="github.com/Riyaburman-analytics/UK-healthcare-analysis",
        notes="No header row; includes 3 Welsh trusts; closures before about 2012 incomplete.",
    ),
    Source(
        "ods_eccg_2018_11",
        "NHS Digital Organisation Data Service",
        "CCGs and commissioning hubs (eccg), November 2018",
        _ODS_DOC,
        OGL,
        "2018-11",
        "d1d451516ff971a0ae4d7bae55e02b05bb51e99616e9dae2ea7464ca42589f00",
        "nhs-ods/eccg-2018-11.csv",
        via=_OPENPRESCRIBING,
        notes="No header row; CCGs closed before 2018 absent.",
    ),
    Source(
        "ods_stp_partner_mapping_2019",
        "NHS Digital Organisation Data Service",
        "Sustainability and Transformation Partnerships: partner mapping (3 April 2019)",
        "https://digital.nhs.uk/services/organisation-data-service",
        OGL,
        "2019-04-03",
        "aa8d76ae8d811e233f292fd7606d4b09c79db6a50428ced2491ee6e0727dbc92",
        "nhs-ods/stp-partner-mapping-2019-04.xlsx",
        via=_OPENPRESCRIBING,
    ),
    Source(
        "ccg_stp_reffile_2020",
        "NHS England",
        "CCG_STP_RefFile_Apr20.xlsx: CCG to STP to region before and after the April 2020 mergers",
        "https://digital.nhs.uk/services/organisation-data-service",
        OGL,
        "2020-04",
        "d0195b8f98e71e33849f499092d8391b91f9972128828881f0422234bd9415dd",
        "nhs-ods/ccg-stp-reffile-2020-04.xlsx",
        via="github.com/ebmdatalab/open-nhs-hospital-use-data",
    ),
    Source(
        "gp_practice_mapping_2020_09",
        "NHS Digital",
        "Patients registered at a GP practice: practice to PCN, CCG, STP and region mapping, September 2020",
        "https://digital.nhs.uk/data-and-information/publications/statistical/patients-registered-at-a-gp-practice",
        OGL,
        "2020-09",
        "67ed707d7fca790206750e70dc9367fa61a9c90cf025ae29157585e8245a145d",
        "nhs-ods/gp-reg-pat-prac-map-2020-09.csv",
        download_url="https://files.digital.nhs.uk/BA/206EF1/gp-reg-pat-prac-map.csv",
    ),
    Source(
        "ods_epraccur_2026_06",
        "NHS England Organisation Data Service",
        "GP practices and prescribing cost centres (epraccur), June 2026",
        _ODS_DOC,
        OGL,
        "2026-06",
        "4201b65e3cf6b970c5865872758d442d56fad2bcf5df778a737f674c07b03206",
        "nhs-ods/epraccur-2026-06.csv",
        download_url="https://www.odsdatasearchandexport.nhs.uk/api/getReport?report=epraccur",
        via="github.com/Lyra-cb/NHS_Data_Explorer",
        notes="Data Search and Export layout: no header, 27 quoted columns; status as a word; column 26 the role (RO76 GP practice).",
    ),
    Source(
        "gp_practice_mapping_2026_08",
        "NHS England",
        "Patients registered at a GP practice: practice to PCN, sub-ICB location, ICB and region mapping, 1 August 2026",
        _GP_REGISTRATIONS,
        OGL,
        "2026-08-01",
        "0990db504aba548e41e4aa3d6ef59103176a1def87823524f58cd0ce39217b75",
        "nhs-gp-registrations/gp-reg-pat-prac-map-2026-08.zip",
        download_url="https://files.digital.nhs.uk/26/656B2E/gp-reg-pat-prac-map.zip",
        via="github.com/robg-test/icb-map",
        notes="Zip holding one CSV; header row; ICBs on the April 2026 codes; no patient counts.",
    ),
    Source(
        "gp_patients_single_age_2026_08",
        "NHS England",
        "Patients registered at a GP practice: single year of age, regions, ICBs, sub-ICB locations and PCNs, 1 August 2026",
        _GP_REGISTRATIONS,
        OGL,
        "2026-08-01",
        "2b28dd56f48964300c66971e9db16cece6c2c20d45795ba5d78a274c2061f862",
        "nhs-gp-registrations/gp-reg-pat-prac-sing-age-regions-2026-08.zip",
        download_url="https://files.digital.nhs.uk/14/D21F56/gp-reg-pat-prac-sing-age-regions.zip",
        via="github.com/robg-test/icb-map",
        notes="Zip holding one CSV; ages 0 to 95+ by sex; the same total at every level.",
    ),
    Source(
        "gp_patients_practice_2025_04",
        "NHS England",
        "Patients registered at a GP practice: all persons by practice, 1 April 2025",
        _GP_REGISTRATIONS,
        OGL,
        "2025-04-01",
        "8632b9bc178cedbf2d53d558a96513fa34f80dfcbf54c1bef7806464a2db07d2",
        "nhs-gp-registrations/gp-reg-pat-prac-all-2025-04.zip",
        via="github.com/Lyra-cb/NHS_Data_Explorer",
        notes="Zip holding one CSV; one row a practice.",
    ),
    # --- organisation changes -----------------------------------------------------------------
    Source(
        "org_change_paths_2000_2018",
        "NHS Digital Organisation Data Service (successor file)",
        "Predecessor to successor chains for NHS organisation codes, 2000-2018",
        "https://digital.nhs.uk/services/organisation-data-service",
        OGL,
        "2000/2018",
        "f343389fd7747d3510ef6b1df75992e4bb2880658d57ed80dbf95235fa438c6e",
        "nhs-org-changes/org-change-paths-2000-2018.csv",
        via=_PIPELINE,
    ),
    Source(
        "trust_successor_lookup_2000_2018",
        "NHS Digital Organisation Data Service (successor file)",
        "Trust code to final successor, 2000-2018",
        "https://digital.nhs.uk/services/organisation-data-service",
        OGL,
        "2000/2018",
        "76bba1ef758fcf4d1795af4df72e70f2a0a36faf359de621187832b7d86b6cae",
        "nhs-org-changes/trust-successor-lookup-2000-2018.csv",
        via=_PIPELINE,
    ),
    Source(
        "trust_mergers_2020_2021",
        "NHS Digital Organisation Data Service (successor file)",
        "Trust mergers, April 2020 to October 2021",
        "https://digital.nhs.uk/services/organisation-data-service",
        OGL,
        "2020-04/2021-10",
        "b55648c9a74df89607e241ce0b4c8120b02f7ff22e30ba43097c755bc9c3accc",
        "nhs-org-changes/trust-mergers-2020-2021.csv",
        via="github.com/epiforecasts/covid19.nhs.data (MIT)",
    ),
    # --- beds -----------------------------------------------------------------------------------
    Source(
        "kh03_beds_2000_2010",
        "NHS England",
        "Bed availability and occupancy (KH03), annual 2000-2010",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/bed-availability-and-occupancy/",
        OGL,
        "2000/2010",
        "4fdf8325fe64590542225efe8d61b5e29ff1fd81ead7007d3dfec23e820f43af",
        "nhs-beds-kh03/overnight-day-beds-2000-2010.csv",
        via=_PIPELINE,
    ),
    Source(
        "kh03_beds_2010_2024",
        "NHS England",
        "Bed availability and occupancy (KH03), quarterly June 2010 - September 2024",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/bed-availability-and-occupancy/",
        OGL,
        "2010-06/2024-09",
        "981951d09516eabcf69b1b3f6d47deff2ff149a859437343cce3ef2fd30bf0ed",
        "nhs-beds-kh03/overnight-day-beds-2010-2024.csv",
        via=_PIPELINE,
    ),
)

# editions registered by `make refresh` (nhsreport.build.refresh), kept beside the data
EDITIONS = paths.DATA / "editions.json"


def read_editions(file: Path = EDITIONS) -> list[dict]:
    """The entries of ``data/editions.json`` (none when the file is absent), each checked for the
    fields of a :class:`Source`."""
    file = Path(file)
    if not file.exists():
        return []
    try:
        entries = json.loads(file.read_text(encoding="utf-8"))["editions"]
    except (ValueError, KeyError, TypeError) as e:
        raise DataError(file, "top level", 'a JSON object {"editions": [...]}', e) from None
    names = {f.name for f in fields(Source)}
    required = {f.name for f in fields(Source) if f.default is MISSING}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not required <= set(entry) or not set(entry) <= names:
            raise DataError(
                file,
                f"editions[{i}]",
                f"an object with the fields {', '.join(sorted(required))}",
                sorted(entry) if isinstance(entry, dict) else entry,
            )
    return entries


SOURCES = SOURCES + tuple(Source(**e) for e in read_editions())
BY_ID: dict[str, Source] = {s.id: s for s in SOURCES}


def get(source_id: str) -> Source:
    try:
        return BY_ID[source_id]
    except KeyError:
        raise KeyError(f"unknown source id {source_id!r}; known: {', '.join(sorted(BY_ID))}") from None
