"""Chapter "The shape of integrated care systems" (``book/03_systems.ipynb``): the numbers its prose
prints.

:func:`load_tables` reads the datasets the chapter declares; :func:`chapter_numbers` computes every
number the prose prints (glued under the same names as before, ``sys_*`` and ``sys26_*``). The
computations are those of :mod:`nhsreport.analysis.systems`, :mod:`nhsreport.analysis.footprints`
and :mod:`nhsreport.analysis.boards`. The chapter's maps, charts and tables are drawn by
:mod:`nhsreport.publish.chapters.systems_figures`.
"""

from __future__ import annotations

import pandas as pd

from nhsreport import data, formatting
from nhsreport.analysis import board_facts, boards, systems
from nhsreport.analysis import footprints as fpt
from nhsreport.publish.components import words

#: The datasets the chapter reads as tables (its boundaries are read by the maps).
TABLES = (
    "icbs",
    "lad_icb_overlap",
    "ccg_lineage",
    "stp_footprints_2016",
    "commissioners_over_time",
    "ics_waves",
    "trusts",
    "trust_changes",
    "lad_upper_tier",
    "stp_trust_partners_2019",
    "gp_practices",
    "icb_allocations",
    "lad_board_overlap",
    "staff_by_org",
    "board_populations",
    "specialist_trusts",
    "gp_practices_2026",
    "lad_upper_tier_2023",
)


def load_tables() -> dict[str, pd.DataFrame]:
    """Every dataset of :data:`TABLES`, by name."""
    return {name: data.load(name) for name in TABLES}


def millions_in_words(people: float) -> str:
    """A population to the nearest half million, in words: "half a million", "three million"."""
    whole, half = divmod(round(people / 500_000), 2)
    if not whole:
        return "half a million"
    return f"{words.number_words(whole)}{' and a half' if half else ''} million"


def region_phrase(region: str) -> str:
    """An NHS England region as prose: "London", "the South East"."""
    return region if region == "London" else f"the {region}"


def joined_names(names) -> str:
    """Names joined for the prose: "Essex; Hampshire"."""
    return "; ".join(names)


# ---------------------------------------------------------------------------------------------
# numbers for the prose
# ---------------------------------------------------------------------------------------------


def size_numbers(icbs: pd.DataFrame) -> dict:
    """The 42 systems: population, trusts and districts per system, and how they go together."""
    pop = systems.population_range(icbs)
    trusts = systems.measure_range(icbs, "n_trusts")
    lads = systems.measure_range(icbs, "n_local_authorities")
    per_trust = icbs["population"] / icbs["n_trusts"]
    return {
        "sys_n_icbs": pop["n"],
        "sys_n_regions": int(icbs["region_code"].nunique()),
        "sys_pop_total": pop["total"] / 1e6,
        "sys_pop_min": pop["min"],
        "sys_pop_min_name": pop["min_name"],
        "sys_pop_max": pop["max"],
        "sys_pop_max_name": pop["max_name"],
        "sys_pop_ratio": pop["ratio"],
        "sys_pop_median": pop["median"] / 1e6,
        "sys_n_approx": int(icbs["population_approximate"].sum()),
        "sys_n_over_2m": int((icbs["population"] >= 2_000_000).sum()),
        "sys_n_under_1m": int((icbs["population"] < 1_000_000).sum()),
        "sys_trusts_min": trusts["min"],
        "sys_trusts_n_min": trusts["n_min"],
        "sys_trusts_max": trusts["max"],
        "sys_trusts_max_name": joined_names(trusts["max_names"]),
        "sys_trusts_median": trusts["median"],
        "sys_trusts_total": trusts["total"],
        "sys_las_min": lads["min"],
        "sys_las_n_min": lads["n_min"],
        "sys_las_max": lads["max"],
        "sys_las_max_name": joined_names(lads["max_names"]),
        "sys_las_median": lads["median"],
        "sys_rho_trusts": systems.rank_correlation(icbs["population"], icbs["n_trusts"]),
        "sys_rho_las": systems.rank_correlation(icbs["population"], icbs["n_local_authorities"]),
        "sys_pop_per_trust_min": float(per_trust.min()) / 1e3,
        "sys_pop_per_trust_max": float(per_trust.max()) / 1e3,
    }


def merger_numbers(icbs: pd.DataFrame) -> dict:
    """The boards of 1 April 2026 against those of 2022."""
    i26 = systems.icbs_2026(icbs)
    merged = i26[i26["n_icbs_2022"] > 1]
    pop22 = systems.population_range(icbs)
    pop26 = systems.population_range(i26.rename(columns={"icb_2026_code": "icb_code", "icb_2026_name": "icb_name"}))
    return {
        "sys_n_icbs_2026": int(len(i26)),
        "sys_n_2026_groups": int(len(merged)),
        "sys_n_divided": int((icbs["icb_2026_share"] < 1).sum()),
        "sys_n_unchanged_2026": int(len(i26) - len(merged)),
        "sys_pop26_min": pop26["min"],
        "sys_pop26_min_name": pop26["min_name"],
        "sys_pop26_max_m": pop26["max"] / 1e6,
        "sys_pop26_max_name": pop26["max_name"],
        "sys_pop26_ratio": pop26["ratio"],
        "sys_pop26_more_uneven": "more" if pop26["ratio"] > pop22["ratio"] else "less",
        "sys_n26_under_1m": int((i26["population"] < 1_000_000).sum()),
    } | spread_numbers(icbs["population"], i26["population"])


def spread_numbers(pop22: pd.Series, pop26: pd.Series) -> dict:
    """How uneven the boards of 2022 and of 2026 are on the same population estimates: the ratio
    of the largest to the smallest, the coefficient of variation and the ratio of the quartiles
    (:func:`nhsreport.analysis.systems.spread`)."""
    s22, s26 = systems.spread(pop22), systems.spread(pop26)
    return {
        "sys_pop22_cv": s22["cv"],
        "sys_pop26_cv": s26["cv"],
        "sys_pop22_iqr": s22["iqr_ratio"],
        "sys_pop26_iqr": s26["iqr_ratio"],
        "sys_pop26_cv_more_uneven": "more" if s26["cv"] > s22["cv"] else "less",
        "sys_pop26_iqr_more_uneven": "more" if s26["iqr_ratio"] > s22["iqr_ratio"] else "less",
    }


def coterminosity_numbers(overlap: pd.DataFrame, icbs: pd.DataFrame) -> dict:
    """Districts split between ICBs, and ICBs whose boundary follows districts all the way round."""
    split22 = systems.split_districts(overlap, "icb22")
    split21 = systems.split_districts(overlap, "stp21")
    cot = systems.coterminosity(overlap, icbs)
    n_lads = int(overlap["lad_code"].nunique())
    most = cot["n_part"] == cot["n_part"].max()
    return {
        "sys_n_lads": n_lads,
        "sys_split_22": int(len(split22)),
        "sys_split_21": int(len(split21)),
        "sys_split_reunited": int(len(set(split21["lad_name"]) - set(split22["lad_name"]))),
        "sys_split_share": len(split22) / n_lads,
        "sys_cot_n": int(cot["coterminous"].sum()),
        "sys_noncot_n": int((~cot["coterminous"]).sum()),
        "sys_cot_worst_n": int(cot["n_part"].max()),
        "sys_cot_worst_names": " and ".join(sorted(cot.loc[most, "icb_name"])),
        "sys_split_even": joined_names(split22.loc[split22["largest_share"] <= 0.55, "lad_name"]),
        "sys_split_small_n": int((split22["largest_share"] >= 0.9).sum()),
    }


def council_numbers(overlap: pd.DataFrame, upper: pd.DataFrame, icbs: pd.DataFrame) -> dict:
    """Upper-tier councils (which run social care) split between ICBs, and ICBs coterminous with them."""
    ucot = fpt.upper_tier_coterminosity(overlap, upper, icbs)
    usplit = fpt.split_councils(overlap, upper)
    only_lad = ucot["district_coterminous"] & ~ucot["coterminous"]
    one = ucot[ucot["n_councils"] == 1]
    most_split = usplit.sort_values("largest_share").iloc[0]
    return {
        "sys_upper_n": int(upper["upper_code"].nunique()),
        "sys_upper_n_counties": int((upper.drop_duplicates("upper_code")["upper_type"] == "county").sum()),
        "sys_upper_split_n": int(len(usplit)),
        "sys_upper_split_names": joined_names(usplit["upper_name"]),
        "sys_upper_cot_n": int(ucot["coterminous"].sum()),
        "sys_upper_only_lad_cot": joined_names(ucot.loc[only_lad, "icb_name"]),
        "sys_upper_only_lad_cot_n": int(only_lad.sum()),
        "sys_upper_one_n": int(len(one)),
        "sys_upper_one_cot_n": int(one["coterminous"].sum()),
        "sys_upper_max": int(ucot["n_councils"].max()),
        "sys_upper_max_name": joined_names(ucot.loc[ucot["n_councils"] == ucot["n_councils"].max(), "icb_name"]),
        "sys_upper_median": float(ucot["n_councils"].median()),
        "sys_upper_most_split_name": str(most_split["upper_name"]),
        "sys_upper_most_split_share": float(most_split["largest_share"]),
        "sys_upper_most_split_n": int(most_split["n_areas"]),
    }


def partner_numbers(partners: pd.DataFrame, trusts: pd.DataFrame) -> dict:
    """Trusts listed as partners of more than one STP in April 2019."""
    summary = fpt.shared_trust_summary(partners)
    keys = ("links", "trusts", "shared", "shared_links", "max_stps", "partners_min", "partners_max")
    out = {f"sys_partners_{k}": summary[k] for k in (*keys, "stps_with_shared")}
    out["sys_partners_median"] = summary["partners_median"]
    out["sys_partners_max_names"] = " and ".join(systems.tidy_trust_name(n) for n in summary["max_names"])
    shared = fpt.shared_trusts_by_type(partners, trusts)
    for kind, key in (("ambulance", "amb"), ("mental health", "mh"), ("acute", "acute"), ("community", "comm")):
        out[f"sys_partners_shared_{key}"] = int((shared["type"] == kind).sum())
    return out


def practice_numbers(practices: pd.DataFrame, icbs: pd.DataFrame) -> dict:
    """GP practices and primary care networks per system (September 2020)."""
    per_system = fpt.primary_care_by_system(practices, icbs)
    out = {
        "sys_gp_practices": int(practices["practice_code"].nunique()),
        "sys_gp_pcns": int(practices["pcn_code"].nunique()),
        "sys_gp_unallocated": int(practices["pcn_code"].isna().sum()),
    }
    measures = {"n_practices": "n", "practices_per_100k": "per100k", "residents_per_practice": "res", "n_pcns": "pcns"}
    for column, short in measures.items():
        values = per_system.set_index("icb_name")[column]
        out[f"sys_gp_{short}_min"] = float(values.min())
        out[f"sys_gp_{short}_max"] = float(values.max())
        out[f"sys_gp_{short}_median"] = float(values.median())
        out[f"sys_gp_{short}_min_name"] = str(values.idxmin())
        out[f"sys_gp_{short}_max_name"] = str(values.idxmax())
    out["sys_gp_rho_pop"] = systems.rank_correlation(per_system["population"], per_system["n_practices"])
    return out


def boards_2026(tables: dict) -> pd.DataFrame:
    """:func:`nhsreport.analysis.boards.board_figures` with the boards' populations and practices,
    indexed by 2026 code."""
    t = tables
    figures = boards.board_figures(
        t["icbs"],
        t["staff_by_org"],
        t["icb_allocations"],
        t["trusts"],
        t["lad_board_overlap"],
        t["gp_practices_2026"],
        populations=t["board_populations"],
        specialists=t["specialist_trusts"],
    )
    return figures.set_index("icb_2026_code")


def _names_at(figures: pd.DataFrame, values: pd.Series, value) -> str:
    """The 2026 boards whose figure ``values`` equals ``value``, by name: "Somerset and Surrey"."""
    return " and ".join(sorted(figures.loc[values == value, "icb_2026_name"]))


def board_numbers(tables: dict) -> dict:
    """The 36 boards of 1 April 2026 (:func:`nhsreport.analysis.boards.board_figures`): staff,
    allowances, trusts, districts and the divided boards."""
    figures = boards_2026(tables)
    lad_boards = tables["lad_board_overlap"]
    england = boards.england_figures(figures.reset_index(), lad_boards, tables["gp_practices_2026"])
    out = {"sys26_n": int(len(figures)), "sys26_staff_month": formatting.month_year(figures.attrs["staff_date"])}
    for column, key in (
        ("managers_per_100_staff", "dens"),
        ("trust_managers_per_100_staff", "tdens"),
        ("rca_per_head", "rca"),
        ("n_trusts", "trusts"),
    ):
        values = figures[column]
        out[f"sys26_{key}_min"] = float(values.min())
        out[f"sys26_{key}_max"] = float(values.max())
        out[f"sys26_{key}_min_name"] = _names_at(figures, values, values.min())
        out[f"sys26_{key}_max_name"] = _names_at(figures, values, values.max())
    split = boards.split_boards(tables["icbs"])
    frimley_tv = split.query("icb_code == 'QNQ' and icb_2026_code == 'S0E4D'")["share"].iloc[0]
    driven = figures[figures["density_driven"].astype(bool)].sort_values("icb_2026_name")
    return out | {
        "sys26_dens_england": england["managers_per_100_staff"],
        "sys26_tdens_england": england["trust_managers_per_100_staff"],
        "sys26_driven_n": int(len(driven)),
        "sys26_driven_names": words.and_list(
            f"{r.icb_2026_name} ({systems.tidy_trust_name(r.driver_name)})" for r in driven.itertuples()
        ),
        "sys26_driver_change": boards.DRIVER_DENSITY_CHANGE,
        "sys26_driver_places": boards.DRIVER_RANK_PLACES,
        "sys26_rca_england": england["rca_per_head"],
        "sys26_cot_n": england["n_coterminous"],
        "sys26_n_lads": england["n_districts"],
        "sys26_split_lads": england["n_split_districts"],
        "sys26_split_lad_names": words.and_list(sorted(lad_boards.loc[lad_boards["lad_split"], "lad_name"].unique())),
        "sys26_under_floor": england["n_below_floor"],
        "sys26_n_estimate": int(figures["estimate"].sum()),
        "sys26_frimley_tv": float(frimley_tv),
    }


def board_population_numbers(tables: dict) -> dict:
    """The populations of the 36 boards on the 2026 map: mid-2024 residents (how uneven, and how
    many are estimates), registered patients, the share aged 65 and over, practices and networks,
    and patients per practice."""
    figures = boards_2026(tables)
    england = boards.england_figures(figures.reset_index(), tables["lad_board_overlap"], tables["gp_practices_2026"])
    res = figures["population"]
    spread = systems.spread(res)
    periods = board_facts.reporting_periods()
    out = {
        "sys26_period_population": periods["population"],
        "sys26_period_registered": periods["registered"],
        "sys26_period_lists": periods["practice_lists"],
        "sys26_res_total_m": england["population"] / 1e6,
        "sys26_res_min": float(res.min()),
        "sys26_res_min_name": _names_at(figures, res, res.min()),
        "sys26_res_max_m": float(res.max()) / 1e6,
        "sys26_res_max_name": _names_at(figures, res, res.max()),
        "sys26_res_ratio": spread["ratio"],
        "sys26_res_cv": spread["cv"],
        "sys26_res_q1_m": spread["q1"] / 1e6,
        "sys26_res_q3_m": spread["q3"] / 1e6,
        "sys26_res_n_estimate": int(figures["population_estimate"].sum()),
        "sys26_reg_total_m": england["registered_patients"] / 1e6,
        "sys26_reg_over_res": england["registered_patients"] / england["population"] - 1,
        "sys26_65_england": england["share_65_plus"],
        "sys26_gp_practices": england["n_practices"],
        "sys26_gp_pcns": england["n_pcns"],
        "sys26_gp_unallocated": int(tables["gp_practices_2026"]["pcn_code"].isna().sum()),
        "sys26_ppp_england": england["patients_per_practice"],
    }
    for column, key in (("share_65_plus", "65"), ("patients_per_practice", "ppp"), ("n_practices", "gp")):
        values = figures[column]
        out[f"sys26_{key}_min"] = float(values.min())
        out[f"sys26_{key}_max"] = float(values.max())
        out[f"sys26_{key}_min_name"] = _names_at(figures, values, values.min())
        out[f"sys26_{key}_max_name"] = _names_at(figures, values, values.max())
    return out


def board_council_numbers(tables: dict) -> dict:
    """The councils of today (December 2023) and the boards of 2026: councils that run social care
    split between boards, and boards whose area follows them all the way round."""
    ut = boards.upper_tier_boards(tables["lad_board_overlap"], tables["lad_upper_tier_2023"])
    split = ut[ut["split"]]
    touched = ut.groupby("icb_2026_code")["split"].any()
    return {
        "sys26_upper_n": int(tables["lad_upper_tier_2023"]["upper_code"].nunique()),
        "sys26_upper_split_n": int(split["upper_code"].nunique()),
        "sys26_upper_split_names": words.and_list(sorted(split["upper_name"].unique())),
        "sys26_upper_cot_n": int((~touched).sum()),
    }


def history_numbers(lineage: pd.DataFrame, bodies: pd.DataFrame, footprints: pd.DataFrame, icbs) -> dict:
    """Commissioners from 2013 to 2022, and the STP footprints of 2016."""
    counts = systems.ccg_counts(lineage)
    out = {(f"sys_ccg_{y}" if y < 2022 else "sys_icb_2022"): n for y, n in counts.items()}
    per_system = systems.ccgs_per_system(lineage).set_index("year")
    ccgs = bodies[bodies["body_type"] == "CCG"]
    ccg_2018 = int(ccgs.loc[ccgs["date"].dt.year == 2018, "count"].iloc[0])
    merged = footprints[footprints["merged_into"].notna()]
    return out | {
        "sys_one_ccg_2013": int(per_system.loc[2013, "one_ccg"]),
        "sys_one_ccg_2021": int(per_system.loc[2021, "one_ccg"]),
        "sys_ccg_median_2013": float(per_system.loc[2013, "median"]),
        "sys_ccg_median_2021": float(per_system.loc[2021, "median"]),
        "sys_ccg_max_2021": int(per_system.loc[2021, "max"]),
        "sys_ccg_fall": 1 - counts[2021] / counts[2013],
        "sys_ccg_merged_2020": counts[2019] - counts[2020],
        "sys_ccg_merged_2021": counts[2020] - counts[2021],
        "sys_ccg_2018": ccg_2018,
        "sys_ccg_net_2013_2018": counts[2013] - ccg_2018,
        "sys_pct_2013": int(bodies.loc[bodies["body_type"] == "PCT", "count"].iloc[0]),
        "sys_stp_2016": int(len(footprints)),
        "sys_stp_merged_n": int(len(merged)),
        "sys_stp_merged_date": formatting.uk_date(merged["date_merged"].iloc[0]),
        "sys_stp_2019": int(footprints["icb_code"].nunique()),
        "sys_stp_recoded": int(footprints["gss_code_changed"].sum()),
        "sys_stp_same_ods": int(icbs["icb_code"].isin(footprints["icb_code"]).sum()),
    }


def wave_numbers(waves: pd.DataFrame, icbs: pd.DataFrame) -> dict:
    """How the designation waves covered England (:func:`nhsreport.analysis.systems.ics_coverage`)."""
    coverage = systems.ics_coverage(waves, icbs)
    nhse = coverage[coverage["dating"] == "NHS England's dates"].set_index("wave_no")
    published = waves.drop_duplicates("wave")
    published = published.set_index(published["wave"].str.split().str[0].astype(int))["population_m"]
    return {
        "sys_wave1_share": float(nhse.loc[1, "share"]),
        "sys_wave4_share": float(nhse.loc[4, "share"]),
        "sys_wave5_share": float(nhse.loc[5, "share"]),
        "sys_wave4_n": int(nhse.loc[4, "n_footprints"]),
        "sys_wave5_n": int(nhse.loc[5, "n_footprints"]),
        "sys_wave5_pop": float(nhse.loc[5, "population"] - nhse.loc[4, "population"]) / 1e6,
        "sys_wave6_pop": float(nhse.loc[6, "population"] - nhse.loc[5, "population"]) / 1e6,
        "sys_wave5_pub": float(published.loc[5]),
        "sys_wave6_pub": float(published.loc[6]),
        "sys_n_waves": int(coverage["wave_no"].nunique()),
    }


def lookup_date(trusts: pd.DataFrame) -> pd.Timestamp:
    """1 April of the latest year a trust opened: the date every trust count in the report uses."""
    return pd.Timestamp(trusts["opened"].max().year, 4, 1)


def lookup_numbers(trusts: pd.DataFrame, icbs: pd.DataFrame, changes: pd.DataFrame) -> dict:
    """The trust lookup (:func:`nhsreport.analysis.systems.trust_lookup`) and the Manchester merger."""
    asof = lookup_date(trusts)
    lookup = systems.trust_lookup(trusts, icbs, asof)
    per_board = lookup.groupby("icb_2026")["org_code"].size()
    manchester = changes[changes["new_code"] == "R0A"]
    return {
        "sys_lookup_asof": formatting.uk_date(asof),
        "sys_lookup_n": int(len(lookup)),
        "sys_lookup_n_icbs": int(lookup["icb_2026"].nunique()),
        "sys_lookup_n_amb": int((lookup["trust_type"] == "ambulance").sum()),
        "sys_lookup_moved": int((lookup["icb_2022"] != lookup["icb_2026"]).sum()),
        "sys_lookup_max_n": int(per_board.max()),
        "sys_lookup_min_n": int(per_board.min()),
        "sys_lookup_max_names": joined_names(sorted(per_board[per_board == per_board.max()].index)),
        "sys_lookup_min_names": joined_names(sorted(per_board[per_board == per_board.min()].index)),
        "sys_lookup_max_names_2020": joined_names(systems.measure_range(icbs, "n_trusts")["max_names"]),
        "sys_mft_n": int(len(manchester)),
        "sys_mft_date": formatting.uk_date(manchester["date"].iloc[0]),
        "sys_mft_type": "acute" if (manchester["trust_type"] == "acute").all() else "mixed",
    }


def chapter_numbers(tables: dict) -> dict:
    """Every number and name the chapter's prose prints, by its glued name."""
    t = tables
    icbs, overlap = t["icbs"], t["lad_icb_overlap"]
    return (
        words.period_numbers("staff", "trusts_file", "allowances", "boards")
        | size_numbers(icbs)
        | merger_numbers(icbs)
        | coterminosity_numbers(overlap, icbs)
        | council_numbers(overlap, t["lad_upper_tier"], icbs)
        | partner_numbers(t["stp_trust_partners_2019"], t["trusts"])
        | practice_numbers(t["gp_practices"], icbs)
        | board_numbers(t)
        | board_population_numbers(t)
        | board_council_numbers(t)
        | history_numbers(t["ccg_lineage"], t["commissioners_over_time"], t["stp_footprints_2016"], icbs)
        | wave_numbers(t["ics_waves"], icbs)
        | lookup_numbers(t["trusts"], icbs, t["trust_changes"])
    )
