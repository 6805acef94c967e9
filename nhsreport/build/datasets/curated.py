"""Curated tables of published facts: hand-maintained CSVs under ``data/curated/``.

Each table holds facts read in a named publication (title and URL on every row, plus a
``source_key`` into ``book/references.bib``) and a ``confidence`` grade. The builders read the
CSV with :func:`nhsreport.build.rawio.read_csv`, check it cell by cell (so an error names the file, the
line and the column), convert the numbers and return the table for the pipeline to validate
against the declaration below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from nhsreport.build.rawio import read_csv, require_values, to_number
from nhsreport.errors import DataError
from nhsreport.schema import REGIONS, Dataset, Field, first_bad

AS_OF = "2026-11"
#: The verdicts a claim of the ledger can have (the ``verdict`` column's categories).
CLAIM_VERDICTS = ("supported", "partly supported", "not supported", "not testable with these data")
CONFIDENCE = ("high", "medium", "low")
PRECISION = ("day", "month", "year")
URL = r"https?://\S+"
DATE = r"\d{4}-\d{2}-\d{2}"
SOURCE_KEY = r"[a-z][a-z0-9_]*"

# Bibliography key (book/references.bib) of each raw source in nhsreport.build.sources, so that
# chapters and the methods appendix can cite the official files the same way as publications.
RAW_BIBKEYS = {
    "workforce_ethnicity_2009_2022": "rdu2022nhsworkforce",
    "hchs_fte_by_org_2017_2018": "nhsd2018hchsnationality",
    "turnover_benchmarking_2025_10": "nhse2025turnoveroct",
    "turnover_benchmarking_2025_11": "nhse2025turnovernov",
    "managers_fte_by_org_2009_2018": "nhsd2018managersfte",
    "consultants_fte_by_org_2009_2018": "nhsd2018consultantsfte",
    "provider_org_types": "nhsd2018orgtypes",
    "trust_financial_positions_2010_2018": "asaria2018trustfinance",
    "managers_fte_variable_definitions": "asaria2018definitions",
    "icb_allocations_2023_2025": "nhse2023allocations",
    "icb_allocations_2025_26": "nhse2025allocations",
    "geo_icb_2022": "ons2022icbboundaries",
    "geo_icb_2023": "ons2023icbboundaries",
    "geo_nhser_2022": "ons2022nhserboundaries",
    "geo_sicbl_2022": "ons2022sicblboundaries",
    "geo_stp_2018": "ons2018stpboundaries",
    "geo_stp_2019": "ons2019stpboundaries",
    "geo_stp_2021": "ons2021stpboundaries",
    "geo_ccg_2013": "ons2013ccgboundaries",
    "geo_ccg_2019": "ons2019ccgboundaries",
    "geo_ccg_2020": "ons2020ccgboundaries",
    "geo_ccg_2021": "ons2021ccgboundaries",
    "geo_lad_2022": "ons2022ladboundaries",
    "geo_ctyua_2022": "ons2022ctyuaboundaries",
    "lsoa11_ccg21_lad21_lookup": "ons2021lsoaccglad",
    "ccg21_icb22_crosswalk": "ons2022ccgicblookup",
    "ccg13_names_codes": "ons2013ccgnames",
    "ccg13_area_team_region": "ons2013ccgareateam",
    "ccg21_population_mid2020": "ons2021ccgpop",
    "ods_etr_2020_10": "ods2020etr",
    "ods_etr_2026_06": "ods2026etr",
    "ods_eccg_2018_11": "ods2018eccg",
    "ods_stp_partner_mapping_2019": "ods2019stppartners",
    "ccg_stp_reffile_2020": "nhse2020ccgstpref",
    "gp_practice_mapping_2020_09": "nhsd2020gppracticemap",
    "org_change_paths_2000_2018": "ods2018changepaths",
    "trust_successor_lookup_2000_2018": "ods2018trustsuccessors",
    "trust_mergers_2020_2021": "ods2021trustmergers",
    "kh03_beds_2000_2010": "nhse2010kh03",
    "kh03_beds_2010_2024": "nhse2024kh03",
    "geo_lad_2023": "ons2023ladboundaries",
    "geo_ctyua_2023": "ons2023ctyuaboundaries",
    "geo_icb_2026": "ons2026icbboundaries",
    "mye24_persons_lad23": "ons2025mye24lad23",
    "ods_epraccur_2026_06": "ods2026epraccur",
    "gp_practice_mapping_2026_08": "nhse2026gppracticemap",
    "gp_patients_single_age_2026_08": "nhse2026gpsingleage",
    "gp_patients_practice_2025_04": "nhse2025gppracticepatients",
}

VANGUARD_TYPES = {"PACS": 9, "MCP": 14, "EHCH": 6, "UEC": 8, "ACC": 13}


# --------------------------------------------------------------------------------------------
# shared fields
# --------------------------------------------------------------------------------------------


def _source_fields() -> tuple[Field, ...]:
    return (
        Field(
            "source_key",
            "string",
            "Key of the source's entry in the report's bibliography (book/references.bib).",
            pattern=SOURCE_KEY,
        ),
        Field("source_title", "string", "Publisher and title of the source the row was read in."),
        Field("source_url", "string", "Address of the source (one http or https URL).", pattern=URL),
    )


def _confidence() -> Field:
    return Field(
        "confidence",
        "string",
        "How far the row can be relied on: high (read in the publisher's own or an official page), "
        "medium (reliable secondary report, or a figure needing interpretation), low (second-hand, "
        "uncertain or marked for checking; the notes say why).",
        enum=CONFIDENCE,
    )


def _notes(description="Caveats on the row, in the curators' words.") -> Field:
    return Field("notes", "string", description, required=False)


def _precision(name="date_precision", of="date", required=True, extra=()) -> Field:
    return Field(
        name,
        "string",
        f"Precision of `{of}`: day; month (the date is the 1st of the month); year (1 January)"
        + ("".join(f"; {e}" for e in extra))
        + ".",
        enum=PRECISION + tuple(x.split(" (")[0] for x in extra),
        required=required,
    )


# --------------------------------------------------------------------------------------------
# reading and checking a curated CSV
# --------------------------------------------------------------------------------------------


def parse_curated(path: Path, ds: Dataset) -> pd.DataFrame:
    """Read one curated CSV and return it with the declared columns, numbers converted and text
    trimmed. Errors name the file, the line and the column."""
    path = Path(path)
    df = read_csv(path, columns=ds.columns, encoding="utf-8")
    extra = [c for c in df.columns if c not in ds.columns]
    if extra:
        raise DataError(
            path, f"header, column {extra[0]!r}", f"only the columns {ds.columns}", f"extra columns {extra}"
        )
    df = df[ds.columns].copy()
    for f in ds.fields:
        if f.type in ("string", "date", "boolean"):
            df[f.name] = pd.Series([_text(x) for x in df[f.name]], index=df.index, dtype=object)
    require_values(df, [f.name for f in ds.fields if f.required], path)
    for f in ds.fields:
        s = df[f.name]
        if f.type == "integer":
            df[f.name] = to_number(s, path, f.name, integer=True)
        elif f.type == "number":
            df[f.name] = to_number(s, path, f.name)
        elif f.type == "date":
            for pos, v in enumerate(s):
                if v is None:
                    continue
                ok = bool(re.fullmatch(DATE, v))
                if ok:
                    try:
                        pd.Timestamp(v)
                    except ValueError:
                        ok = False
                if not ok:
                    raise DataError(path, f"line {pos + 2}, column {f.name!r}", "a date YYYY-MM-DD", repr(v))
        elif f.type == "boolean":
            bad = ~s.isin(["true", "false", None])
            if bad.any():
                pos = first_bad(bad)
                raise DataError(path, f"line {pos + 2}, column {f.name!r}", "true or false", repr(s.iloc[pos]))
            df[f.name] = s.map(lambda x: None if x is None else x == "true")
        if f.enum is not None and f.type == "string":
            bad = df[f.name].notna() & ~df[f.name].isin(list(f.enum))
            if bad.any():
                pos = first_bad(bad)
                raise DataError(
                    path, f"line {pos + 2}, column {f.name!r}", f"one of {list(f.enum)}", repr(df[f.name].iloc[pos])
                )
    return df


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def _text(x):
    """A cell as trimmed text, or None when empty."""
    if _missing(x):
        return None
    x = str(x).strip()
    return x or None


def _builder(ds_name: str, filename: str):
    def build(ctx):
        return parse_curated(ctx.curated(filename), _BY_NAME[ds_name])

    return build


# --------------------------------------------------------------------------------------------
# checks beyond the field constraints
# --------------------------------------------------------------------------------------------


def _where(df, pos, key):
    return f"row {pos + 1} ({key}={df[key].iloc[pos]!r})"


def _check_precision(date_col: str, prec_col: str, key: str):
    """A month-precision date falls on the 1st; a year-precision date on 1 January."""

    def check(df, label):
        for pos, (d, p) in enumerate(zip(df[date_col], df[prec_col])):
            if _missing(d) or _missing(p):
                continue
            txt = d.strftime("%Y-%m-%d") if isinstance(d, pd.Timestamp) else str(d)
            if p == "month" and not txt.endswith("-01"):
                raise DataError(
                    label,
                    f"{_where(df, pos, key)}, column {date_col!r}",
                    "the 1st of the month for month precision",
                    txt,
                )
            if p == "year" and not txt.endswith("-01-01"):
                raise DataError(
                    label, f"{_where(df, pos, key)}, column {date_col!r}", "1 January for year precision", txt
                )

    return check


def _check_vanguard_types(df, label):
    got = df["type"].value_counts().to_dict()
    for t, n in VANGUARD_TYPES.items():
        if got.get(t, 0) != n:
            raise DataError(label, f"column 'type', value {t!r}", f"{n} vanguards of type {t}", got.get(t, 0))
    ids = sorted(int(x) for x in df["vanguard_id"])
    if ids != list(range(1, 51)):
        raise DataError(label, "column 'vanguard_id'", "the numbers 1 to 50, once each", ids)


def _check_quote_length(df, label):
    for pos, q in enumerate(df["quote"]):
        n = len(str(q).split())
        if n > 25:
            raise DataError(
                label, f"{_where(df, pos, 'claim_id')}, column 'quote'", "a quotation of at most 25 words", f"{n} words"
            )


def _check_rubric(df, label):
    """The ledger's rubric, as far as it can be checked mechanically: a normative claim, a judgement or
    a forecast is 'not testable with these data'; every decided verdict names its measure, its
    evidence and its reasoning."""
    for pos in range(len(df)):
        kind, verdict = df["claim_type"].iloc[pos], df["verdict"].iloc[pos]
        if kind in ("normative", "judgement", "forecast") and verdict != "not testable with these data":
            raise DataError(
                label,
                f"{_where(df, pos, 'claim_id')}, column 'verdict'",
                f"'not testable with these data' for a {kind} claim (rubric)",
                repr(verdict),
            )
        if verdict != "pending":
            for col in ("measure", "evidence", "reasoning"):
                if _missing(df[col].iloc[pos]):
                    raise DataError(
                        label,
                        f"{_where(df, pos, 'claim_id')}, column {col!r}",
                        f"a {col} for the verdict {verdict!r} (rubric)",
                        "an empty cell",
                    )


def _check_intervals(df, label):
    for pos in range(len(df)):
        e, lo, hi = (df[c].iloc[pos] for c in ("effect_pct", "ci_low_pct", "ci_high_pct"))
        if pd.isna(lo) != pd.isna(hi):
            raise DataError(
                label,
                f"{_where(df, pos, 'study')}, columns 'ci_low_pct'/'ci_high_pct'",
                "both bounds or neither",
                (lo, hi),
            )
        if not pd.isna(lo):
            if lo > hi:
                raise DataError(
                    label,
                    f"{_where(df, pos, 'study')}, column 'ci_low_pct'",
                    "a lower bound below the upper bound",
                    (lo, hi),
                )
            if pd.isna(e) or not lo <= e <= hi:
                raise DataError(
                    label,
                    f"{_where(df, pos, 'study')}, column 'effect_pct'",
                    "an estimate inside its interval",
                    (e, lo, hi),
                )


def _check_arrangement_dates(df, label):
    for pos in range(len(df)):
        start, end, status = df["start"].iloc[pos], df["end"].iloc[pos], df["status"].iloc[pos]
        has_end = not _missing(end)
        if has_end and status == "live":
            raise DataError(
                label, f"{_where(df, pos, 'arrangement')}, column 'end'", "no end date for a live arrangement", end
            )
        if has_end and str(end) < str(start):
            raise DataError(
                label, f"{_where(df, pos, 'arrangement')}, column 'end'", "an end on or after the start", (start, end)
            )


def _check_waves(df, label):
    for pos in range(len(df)):
        a, e = df["announced"].iloc[pos], df["effective"].iloc[pos]
        if not _missing(e) and str(e) < str(a):
            raise DataError(
                label, f"{_where(df, pos, 'wave')}, column 'effective'", "a date on or after the announcement", (a, e)
            )
    if df["cumulative_systems"].dropna().astype(int).max() != 42:
        raise DataError(
            label,
            "column 'cumulative_systems'",
            "the last wave to bring the total to 42",
            df["cumulative_systems"].max(),
        )


# --------------------------------------------------------------------------------------------
# declarations
# --------------------------------------------------------------------------------------------

_CURATED_METHOD = (
    "Hand-maintained from the publications named on each row, read by the project's researchers; "
    "every description is written in the curators' own words. The builder checks every cell "
    "(required values, allowed categories, ISO dates, numbers, one http(s) address per row) and "
    "that dates of month or year precision are written as the 1st of the month or 1 January."
)

TIMELINE = Dataset(
    name="timeline",
    title="Timeline of NHS reorganisation and integration in England, 2010-2026",
    description="Dated events in legislation, policy, NHS structures, national bodies, integration programmes and provider mergers, each with its source.",
    fields=(
        Field(
            "date",
            "date",
            "Date of the event (the 1st of the month or 1 January when only the month or year is known).",
        ),
        _precision(),
        Field("event", "string", "What happened, in the curators' words."),
        Field(
            "category",
            "string",
            "legislation; policy (white papers, plans, guidance, national instructions); structure (commissioners, "
            "STPs, ICSs, ICBs); programme (national programmes such as vanguards and pioneers, and named local "
            "contractual arrangements); national body (NHS England, NHS Improvement and their mergers); merger "
            "(trust mergers, acquisitions, groups and other structural integration of providers).",
            enum=("legislation", "policy", "structure", "programme", "national body", "merger"),
        ),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("date", "event"),
    sources=("curated:timeline.csv",),
    build=_builder("timeline", "timeline.csv"),
    as_of=AS_OF,
    rows=(40, 70),
    checks=(_check_precision("date", "date_precision", "event"),),
    method=_CURATED_METHOD + " Events come from the research notes' timeline and the structure and integration notes; "
    "a few dates of structural change (STP and CCG mergers, trust openings and closures) are read in the official "
    "ODS and NHS England reference files named as their source.",
    caveats="Where only the month or year of an event was confirmed, the date is the 1st of that month or 1 January and "
    "date_precision says so; such dates must not be read as exact days. A few events rest on secondary sources "
    "(trade press, or a copy of a document on a document-sharing site where no copy from its publisher was found) "
    "and are graded low or medium. Local contractual arrangements are filed "
    "under 'programme' and structural integration of providers under 'merger'.",
)

VANGUARDS = Dataset(
    name="vanguards",
    title="The 50 new care model vanguards of 2015",
    description="Every vanguard of the New Care Models programme, by type and announcement wave, with the area it covers.",
    fields=(
        Field(
            "vanguard_id",
            "integer",
            "Number of the vanguard in NHS England's lists (1-50, ordered by type).",
            minimum=1,
            maximum=50,
        ),
        Field("name", "string", "Name of the vanguard as published by NHS England."),
        Field(
            "type",
            "string",
            "PACS (integrated primary and acute care system), MCP (multispecialty community provider), EHCH (enhanced "
            "health in care homes), UEC (urgent and emergency care network), ACC (acute care collaboration).",
            enum=tuple(VANGUARD_TYPES),
        ),
        Field("wave", "string", "Announcement wave.", enum=("March 2015", "July 2015", "September 2015")),
        Field("announced", "date", "Date the wave was announced."),
        _precision("announced_precision", "announced"),
        Field("area", "string", "Place the vanguard covers, assigned by the curators from its name and partners."),
        Field(
            "region",
            "string",
            "NHS England region (2019 boundaries) of the area, assigned by the curators; 'multiple' for networks spanning regions.",
            enum=tuple(REGIONS.values()) + ("multiple",),
        ),
        Field(
            "location_assigned",
            "boolean",
            "True where area and region were assigned by the curators from the vanguard's name rather than read in the source (all rows).",
        ),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("vanguard_id",),
    sources=("curated:vanguards.csv",),
    build=_builder("vanguards", "vanguards.csv"),
    as_of="2015-09-25",
    rows=(50, 50),
    checks=(_check_vanguard_types, _check_precision("announced", "announced_precision", "vanguard_id")),
    method=_CURATED_METHOD
    + " Names and types come from NHS England's vanguard pages (one per type); the first 29 were "
    "announced on 10 March 2015, the eight urgent and emergency care vanguards in late July 2015 and the 13 acute "
    "care collaborations on 25 September 2015.",
    caveats="Area and region are not published fields: the curators assigned them from each vanguard's name and partners "
    "(location_assigned is true on every row), so they are approximate, especially for networks. The July 2015 wave "
    "is dated to the month only. Several vanguards appear under different names in different versions of NHS "
    "England's pages; the notes give the variants.",
)

INTEGRATION_ARRANGEMENTS = Dataset(
    name="integration_arrangements",
    title="Named contractual and structural integration arrangements",
    description="Named examples of contractual integration (alliances, lead providers, partnering agreements, the ICP contract, provider collaboratives) and structural integration (mergers, acquisitions, groups, vertical integration) in England.",
    fields=(
        Field("arrangement", "string", "Name of the arrangement."),
        Field(
            "form",
            "string",
            "contractual (separate organisations bound by agreements) or structural (organisations merged, acquired or run as one).",
            enum=("contractual", "structural"),
        ),
        Field(
            "mechanism",
            "string",
            "The legal or organisational mechanism.",
            enum=(
                "alliance",
                "lead provider",
                "ICP contract",
                "partnering agreement",
                "provider collaborative",
                "merger",
                "acquisition",
                "group model",
                "vertical integration",
                "new trust",
            ),
        ),
        Field("area", "string", "Place covered ('England' for national templates and programmes)."),
        Field(
            "icb_code",
            "string",
            "ODS code of the July 2022 integrated care board covering the area, where one clearly applies.",
            required=False,
        ),
        Field("start", "date", "When the arrangement began (for the ICP contract, the opening of consultation)."),
        _precision("start_precision", "start"),
        Field("end", "date", "When it ended or was replaced; empty if live or not known.", required=False),
        _precision("end_precision", "end", required=False),
        Field(
            "status",
            "string",
            "Status at the latest source read.",
            enum=("live", "superseded", "collapsed", "paused", "wound down", "template"),
        ),
        Field("summary", "string", "What the arrangement is and what happened to it, in the curators' words."),
        *_source_fields(),
        _confidence(),
    ),
    primary_key=("arrangement",),
    sources=("curated:integration_arrangements.csv",),
    build=_builder("integration_arrangements", "integration_arrangements.csv"),
    as_of=AS_OF,
    rows=(10, 80),
    checks=(
        _check_precision("start", "start_precision", "arrangement"),
        _check_precision("end", "end_precision", "arrangement"),
        _check_arrangement_dates,
    ),
    method=_CURATED_METHOD
    + " ICB codes are the ODS codes (ICB22CDH) of the ONS CCG-to-ICB lookup of July 2022, assigned "
    "by the curators from the area named; arrangements covering all of England have none.",
    caveats="A list of named examples, not a census: many local alliances and collaboratives are not included, and the "
    "status is as of the latest source read. Some examples cited in the articles the report tests could not be matched to a "
    "source describing the arrangement (Redbridge) or only to a related programme (Wakefield), and are graded low or omitted.",
    foreign_keys={"icb_code": ("icbs", "icb_code")},
)

EVALUATIONS = Dataset(
    name="evaluations",
    title="Evaluations of vanguards, pioneers, mergers and other integration",
    description="Published evaluation results and audit findings on integration programmes, with the published estimate and, where a single percentage was published, the number.",
    fields=(
        Field("study", "string", "Short name of the study or report."),
        Field("publisher", "string", "Publisher, journal or organisation responsible."),
        Field("date", "date", "Publication date."),
        _precision(),
        Field(
            "programme",
            "string",
            "Programme or form of integration evaluated.",
            enum=(
                "vanguards",
                "pioneers",
                "pioneers and vanguards",
                "integrated care",
                "mergers",
                "contractual integration",
                "vertical integration",
            ),
        ),
        Field("subject", "string", "Sites, people or organisations studied."),
        Field("design", "string", "Study design as described by the source."),
        Field("outcome", "string", "Outcome measured (unique within a study)."),
        Field("estimate_text", "string", "The result as published (figures as given; wording the curators')."),
        Field(
            "effect_pct",
            "number",
            "The single percentage published for this outcome: an effect against the comparison or, where the "
            "design or notes say so, the change within the group; negative means a reduction.",
            unit="per cent",
            required=False,
        ),
        Field(
            "ci_low_pct",
            "number",
            "Lower bound of the published 95% confidence interval.",
            unit="per cent",
            required=False,
        ),
        Field(
            "ci_high_pct",
            "number",
            "Upper bound of the published 95% confidence interval.",
            unit="per cent",
            required=False,
        ),
        Field("comparison", "string", "What the result is compared with.", required=False),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("study", "outcome"),
    sources=("curated:evaluations.csv",),
    build=_builder("evaluations", "evaluations.csv"),
    as_of=AS_OF,
    rows=(15, 80),
    checks=(_check_precision("date", "date_precision", "study"), _check_intervals),
    method=_CURATED_METHOD
    + " effect_pct is filled only where one percentage was published for the outcome; intervals only "
    "where the source gave them. The builder checks that each estimate lies inside its interval.",
    caveats="Results are not comparable with each other: designs range from randomised-style matched comparisons to "
    "before-after changes and local unadjusted reports, and several percentages are growth within a group rather "
    "than an effect (see design and notes). NHS England's own analyses and providers' reports are not independent.",
)

PUBLISHED_ORG_COUNTS = Dataset(
    name="published_org_counts",
    title="Published counts of NHS organisations",
    description="Counts of trusts, commissioners, STPs, ICSs, ICBs and vanguards as published, for checking the counts the report computes from official files.",
    fields=(
        Field("measure", "string", "What is counted, as described by the source."),
        Field(
            "body_type",
            "string",
            "Kind of body counted.",
            enum=(
                "trust",
                "acute trust",
                "trust group",
                "PCT",
                "SHA",
                "CCG",
                "CSU",
                "STP",
                "ICS",
                "ICB",
                "ICB cluster",
                "region",
                "vanguard",
            ),
        ),
        Field("geography", "string", "Area covered."),
        Field("date", "date", "Date the count refers to."),
        _precision(extra=("financial year (the year starting on the date)", "circa (approximate; see notes)")),
        Field("value", "number", "The published number."),
        Field(
            "unit",
            "string",
            "organisations, events (mergers), applications or per cent (a share of trusts).",
            enum=("organisations", "events", "applications", "per cent"),
        ),
        Field(
            "value_type",
            "string",
            "exact or approx (published as 'about', 'around', 'a third'...).",
            enum=("exact", "approx"),
        ),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("measure", "date", "source_key"),
    sources=("curated:published_org_counts.csv",),
    build=_builder("published_org_counts", "published_org_counts.csv"),
    as_of=AS_OF,
    rows=(15, 80),
    checks=(_check_precision("date", "date_precision", "measure"),),
    method=_CURATED_METHOD + " Where two sources give different counts for the same date both rows are kept.",
    caveats="Published counts differ in what they include (care trusts, Welsh bodies, trusts that closed in the year), so "
    "small differences from counts computed from ODS files are expected; the notes give known differences. Shares "
    "published in words ('about a third') are stored as approximate percentages.",
)

ADMIN_COSTS_INTERNATIONAL = Dataset(
    name="admin_costs_international",
    title="Administration's share of health spending: published comparisons",
    description="Published estimates of the share of health spending that goes on administration, for the UK, England and other OECD countries.",
    fields=(
        Field("country", "string", "Country, or 'OECD average'."),
        Field("measure", "string", "What the share measures."),
        Field(
            "year",
            "string",
            "Year or period the figure refers to, as published ('not stated' where the source gives none).",
        ),
        Field("share_pct", "number", "The published share.", unit="per cent", minimum=0, maximum=100),
        Field("definition", "string", "Definition of administration used by the source."),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("country", "measure", "year", "source_key"),
    sources=("curated:admin_costs_international.csv",),
    build=_builder("admin_costs_international", "admin_costs_international.csv"),
    as_of=AS_OF,
    rows=(8, 40),
    method=_CURATED_METHOD + " Only figures given with a named source in the management research notes are included.",
    caveats="The figures use different definitions (OECD governance and financing administration, DHSC administration "
    "budgets, management and administration salaries) and are not comparable with each other; several are "
    "second-hand and undated. The England series (4.3% in 2010-11, 2.9% in 2013-14) is a national budget "
    "measure, not the OECD concept.",
)

PUBLISHED_MANAGEMENT_FIGURES = Dataset(
    name="published_management_figures",
    title="Published figures on NHS management capacity and commissioners' running costs",
    description="The published figures the management chapter compares its own counts with: managers and their share of staff, staff per manager, CCG and ICB running-cost allowances and required cuts.",
    fields=(
        Field(
            "id",
            "string",
            "Identifier: the research notes' item (A = managers, C = commissioners' running costs, D = sector size) and a letter.",
            pattern=r"[A-D]\d{1,2}[a-z]",
        ),
        Field("measure", "string", "What the figure measures."),
        Field("date", "date", "Date or period start the figure refers to."),
        _precision(extra=("financial year (the year starting on the date)",)),
        Field("value", "number", "The published figure (negative for a fall)."),
        Field(
            "unit",
            "string",
            "Unit of the value; 'ratio' is staff per manager.",
            enum=("headcount", "FTE", "per cent", "GBP per head", "GBP million", "ratio"),
        ),
        Field("publisher", "string", "Who produced the figure (the source may be a report of it)."),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("id",),
    sources=("curated:published_management_figures.csv",),
    build=_builder("published_management_figures", "published_management_figures.csv"),
    as_of=AS_OF,
    rows=(15, 80),
    checks=(_check_precision("date", "date_precision", "id"),),
    method=_CURATED_METHOD
    + " Where the unit (FTE or headcount) is not stated by the source the notes say how it was inferred.",
    caveats="Counts of managers depend on the definition (ESR staff groups 'managers' and 'senior managers', or wider "
    "administrative and infrastructure staff) and on the organisations covered (trusts and commissioners only, "
    "or national bodies too). The King's Fund 2010-2025 figures were read only in press reports. Two NHS England "
    "per-head running cost figures for 2014/15 and 2015/16 disagree slightly; both are kept.",
)

CLAIMS = Dataset(
    name="claims",
    title="Claims ledger: the claims in the five articles the report starts from, and whether evidence can decide them",
    description="Each claim made in the five articles the report starts from, with a short quotation, a paraphrase, the evidence and a verdict.",
    fields=(
        Field("claim_id", "string", "Claim identifier (C01, C02...).", pattern=r"C\d{2}"),
        Field(
            "seed", "string", "The article the claim comes from (000-004).", enum=("000", "001", "002", "003", "004")
        ),
        Field("author", "string", "Author or speaker."),
        Field("publisher", "string", "Where the article was published."),
        Field(
            "date",
            "date",
            "When the claim was made: the article's publication date, or the date its text shows it was written "
            "(the 1st of the month when only the month is known).",
        ),
        _precision(),
        Field(
            "updated",
            "date",
            "A later update date the article's page shows, where it differs from when the claim was made.",
            required=False,
        ),
        Field("quote", "string", "Short quotation (at most 25 words), exactly as in the article."),
        Field("claim", "string", "The claim in the curators' words."),
        Field("theme", "string", "Theme of the claim.", enum=("management", "structure", "integration", "leadership")),
        Field(
            "claim_type",
            "string",
            "Kind of claim: factual (about what is or was, including a forecast whose date has "
            "passed), normative (what should be), judgement (an evaluation with no agreed measure) or forecast (what "
            "will be, not yet observable). Only factual claims are testable.",
            enum=("factual", "normative", "judgement", "forecast"),
        ),
        Field(
            "verdict",
            "string",
            "Verdict reached by the report under the rubric of the claims ledger: one of supported, partly "
            "supported, not supported, or not testable with these data. A finding of the report may rest only on "
            "the first three.",
            enum=CLAIM_VERDICTS,
        ),
        Field(
            "measure",
            "string",
            "The measure the verdict rests on: the claim's own measure, and any other shown beside it.",
            required=False,
        ),
        Field(
            "evidence",
            "string",
            "MyST cross-reference targets (sections, figures) holding the evidence.",
            required=False,
        ),
        Field("reasoning", "string", "Why the verdict was reached.", required=False),
        Field(
            "evidence_sources",
            "string",
            "Bibliography keys (book/references.bib) of the documents the verdict rests on besides the report's "
            "data, separated by semicolons; the primary source where one exists.",
            required=False,
        ),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("claim_id",),
    sources=("curated:claims.csv",),
    build=_builder("claims", "claims.csv"),
    as_of=AS_OF,
    rows=(14, 60),
    checks=(_check_quote_length, _check_rubric, _check_precision("date", "date_precision", "claim_id")),
    method="Every claim in the five articles was listed, with a quotation checked word for word against the "
    "article, a paraphrase in the curators' words that keeps the author's qualifiers, and whether evidence "
    "can decide it. Each claim is classed as factual, "
    "normative, judgement or forecast; verdicts follow the written rubric of the claims ledger "
    "(nhsreport.publish.pages.appendices."
    "RUBRIC), name the measure they rest on, and give the evidence in the chapters and any primary documents "
    "they rest on. The build checks that normative claims, judgements and forecasts are 'not testable with "
    "these data' and "
    "that every decided verdict has a measure, evidence and reasoning.",
    caveats="The selection of claims and their paraphrases is the curators' judgement. John Copps's article shows only its update date "
    "(30 March 2021); its text was written about four months after the Long Term Plan of 7 January 2019, so its "
    "claims are dated May 2019 (month precision) with the update date beside them, and its forecasts are judged "
    "from 2019.",
)

ICS_WAVES = Dataset(
    name="ics_waves",
    title="Integrated care system designation waves, 2017-2021",
    description="The waves in which STP areas became (shadow) accountable care systems and then integrated care systems, until all 42 were covered in April 2021.",
    fields=(
        Field("wave", "string", "Wave number and month."),
        Field("announced", "date", "Date the wave was announced."),
        _precision("announced_precision", "announced"),
        Field(
            "effective",
            "date",
            "Date the designation took effect, where the source gives one distinct from the announcement.",
            required=False,
        ),
        _precision("effective_precision", "effective", required=False),
        Field("n_systems", "integer", "Number of systems named in the wave.", minimum=1),
        Field(
            "systems",
            "string",
            "Systems named, separated by semicolons (empty where the source's list was not captured).",
            required=False,
        ),
        Field(
            "population_m",
            "number",
            "Population served by the wave's systems, in millions, where published.",
            unit="million people",
            required=False,
        ),
        Field(
            "cumulative_systems",
            "integer",
            "Total number of systems after the wave, as stated by the source.",
            required=False,
        ),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("wave", "source_key"),
    sources=("curated:ics_waves.csv",),
    build=_builder("ics_waves", "ics_waves.csv"),
    as_of="2021-04-01",
    rows=(6, 12),
    checks=(
        _check_precision("announced", "announced_precision", "wave"),
        _check_precision("effective", "effective_precision", "wave"),
        _check_waves,
    ),
    method=_CURATED_METHOD + " One row per wave and source: where sources give different dates for the same wave, each "
    "keeps its own row.",
    caveats="Sources disagree on when the December 2020 wave took effect: NHS England says from December 2020, Healthcare "
    "Leader from 1 April 2021; both rows are kept, so n_systems must not be summed over all rows. Later waves "
    "absorbed some earlier systems (for example Buckinghamshire and Berkshire West into Buckinghamshire, "
    "Oxfordshire and Berkshire West), so counts per wave do not add up to the cumulative totals.",
)

ONS_COUNCIL_CODE = r"E0[678]\d{6}|E10\d{6}"


def _check_council_changes(df, label):
    """Each new council code is a list of ONS codes; an abolished council is replaced once on a day."""
    for pos, codes in enumerate(df["new_codes"]):
        if not all(re.fullmatch(ONS_COUNCIL_CODE, c) for c in str(codes).split(";")):
            raise DataError(
                label, f"{_where(df, pos, 'old_code')}, column 'new_codes'", "ONS council codes split by ';'", codes
            )
    dup = df.duplicated(["old_code"])
    if dup.any():
        pos = first_bad(dup)
        raise DataError(label, _where(df, pos, "old_code"), "each abolished council once", "a second row")


COUNCIL_CHANGES = Dataset(
    name="council_changes",
    title="Councils abolished in England's local government reorganisations, 2019-2023",
    description="Each district or county council abolished since April 2019, with the council or councils that "
    "took over its area and the day they did, from the structural change orders.",
    fields=(
        Field("date", "date", "The day the new council or councils took over (the old one was abolished)."),
        Field("old_code", "string", "ONS code of the abolished council.", pattern=ONS_COUNCIL_CODE),
        Field("old_name", "string", "Name of the abolished council or district, as ONS wrote it."),
        Field(
            "new_codes",
            "string",
            "ONS codes of the council or councils that took over its area, separated by semicolons (a county "
            "divided between two new unitary councils has two).",
        ),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("old_code",),
    sources=("curated:council_changes.csv",),
    build=_builder("council_changes", "council_changes.csv"),
    as_of="2023-04-01",
    rows=(40, 60),
    checks=(_check_council_changes,),
    method=_CURATED_METHOD + " One row per abolished council, read in the structural change order that abolished it; "
    "the codes are ONS's (checked against the ONS boundaries of December 2022 and 2023 by tests/test_finder.py).",
    caveats="The codes of councils abolished before 2022 are not in the boundary files the report holds (the "
    "earliest are of December 2022), so only their successors' codes can be checked against ONS files here. "
    "Chains are kept as two rows (Taunton Deane to Somerset West and Taunton in 2019, then to Somerset in 2023).",
)


TRUST_CODE_SUCCESSORS = Dataset(
    name="trust_code_successors",
    title="Successors of NHS trusts absent from the ODS trust file (former care trusts, codes starting with T)",
    description="NHS foundation trusts whose codes start with T (former care trusts, not in the ODS trust "
    "file) that have closed, with the trust that took them over and the day.",
    fields=(
        Field("old_code", "string", "ODS code of the closed trust.", pattern=r"T[A-Z0-9]{2}"),
        Field("old_name", "string", "Its name."),
        Field("new_code", "string", "ODS code of the trust that took it over.", pattern=r"[A-Z0-9]{3,5}"),
        Field("new_name", "string", "Name of the trust that took it over."),
        Field("date", "date", "The day the successor took over (its ODS record opens on that day)."),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("old_code",),
    sources=("curated:trust_code_successors.csv",),
    build=_builder("trust_code_successors", "trust_code_successors.csv"),
    as_of="2026-06",
    rows=(1, 20),
    method=_CURATED_METHOD + " The successor and its opening day are read in the ODS trust file; the predecessor "
    "in the workforce statistics, which list former care trusts that the ODS trust file leaves out.",
    caveats="Only the T-coded trusts that closed after the workforce files' period are listed; trusts in the ODS "
    "trust file take their successors from it and from the ODS successor files.",
)

AMBULANCE_AREAS = Dataset(
    name="ambulance_areas",
    title="The councils served by the two ambulance trusts of the Midlands, as each trust publishes its area",
    description="West Midlands and East Midlands Ambulance Service: the county and unitary councils of 2023 making up "
    "the area each trust says it serves, so that a board of the Midlands can be given its ambulance trust.",
    fields=(
        Field("trust_code", "string", "ODS code of the ambulance trust.", pattern=r"R[A-Z0-9]{2}"),
        Field("trust_name", "string", "Its name."),
        Field(
            "council_code",
            "string",
            "ONS code of a county or unitary council (2023) in its area.",
            pattern=ONS_COUNCIL_CODE,
        ),
        Field("council_name", "string", "The council's name, as ONS writes it."),
        Field("area_as_published", "string", "The trust's area in its own words, in brief."),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("trust_code", "council_code"),
    sources=("curated:ambulance_areas.csv",),
    build=_builder("ambulance_areas", "ambulance_areas.csv"),
    as_of="2026-12",
    rows=(20, 40),
    method=_CURATED_METHOD + " Each trust's published list of counties is written as the councils of 2023 that make "
    "them up (the West Midlands metropolitan boroughs for 'Coventry and the Birmingham and Black Country "
    "conurbation'; North and North East Lincolnshire for the East Midlands trust, as it says).",
    caveats="Whole councils only: Glossop, Hadfield and Tintwistle in Derbyshire are served by the North West "
    "Ambulance Service (see the Derbyshire row's note).",
)

COUNCIL_OTHER_NAMES = Dataset(
    name="council_other_names",
    title="Other names of councils of today: former names and short forms",
    description="Names a reader may type for a council of today that ONS does not use: a former name (a council "
    "renamed, keeping its code) or a short form the council uses itself.",
    fields=(
        Field("council_code", "string", "ONS code of the council of today.", pattern=ONS_COUNCIL_CODE),
        Field("other_name", "string", "The other name."),
        Field("kind", "string", "What the other name is.", enum=("former name", "short form")),
        Field("date", "date", "For a former name, the day the council took its present name.", required=False),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("council_code", "other_name"),
    sources=("curated:council_other_names.csv",),
    build=_builder("council_other_names", "council_other_names.csv"),
    as_of="2026-12",
    rows=(1, 100),
    method=_CURATED_METHOD + " Only names a reader is likely to type are kept; each row names where the name is used.",
    caveats="Not a complete list of former names or abbreviations.",
)

OUTSIDE_NHS_ENGLAND = Dataset(
    name="outside_nhs_england",
    title="Health boards and trusts of Wales, Scotland and Northern Ireland",
    description="Bodies of NHS Wales, NHS Scotland and Health and Social Care in Northern Ireland a reader may "
    "type into the finder: outside NHS England, so in no integrated care board.",
    fields=(
        Field("name", "string", "The body's name."),
        Field("country", "string", "Where it is.", enum=("Wales", "Scotland", "Northern Ireland")),
        Field("kind", "string", "What kind of body it is."),
        Field("other_names", "string", "Short or former names a reader may type, separated by ';'.", required=False),
        *_source_fields(),
        _confidence(),
        _notes(),
    ),
    primary_key=("name",),
    sources=("curated:outside_nhs_england.csv",),
    build=_builder("outside_nhs_england", "outside_nhs_england.csv"),
    as_of="2026-12",
    rows=(20, 60),
    method=_CURATED_METHOD + " The seven local health boards and three trusts of NHS Wales, the 14 regional health "
    "boards of NHS Scotland, and the five health and social care trusts and the ambulance trust of Northern Ireland.",
    caveats="National special boards of Scotland and Wales are not listed.",
)

DATASETS = [
    TIMELINE,
    VANGUARDS,
    INTEGRATION_ARRANGEMENTS,
    EVALUATIONS,
    PUBLISHED_ORG_COUNTS,
    ADMIN_COSTS_INTERNATIONAL,
    PUBLISHED_MANAGEMENT_FIGURES,
    CLAIMS,
    ICS_WAVES,
    COUNCIL_CHANGES,
    TRUST_CODE_SUCCESSORS,
    AMBULANCE_AREAS,
    COUNCIL_OTHER_NAMES,
    OUTSIDE_NHS_ENGLAND,
]
_BY_NAME = {d.name: d for d in DATASETS}
