"""The 36 integrated care boards of 1 April 2026: population, registered patients, practices,
management density, running-cost allowance per head, trusts and coterminosity.

Populations are on the 2026 map itself: mid-2024 residents summed over the board's 2023 districts
(``lad_board_overlap``; a district split between boards is apportioned, and the board's figure
flagged ``population_estimate``), and registered patients, practices and networks of the August
2026 practice map (``board_populations``), exact. The ICBs' own staff and the allowances are
published on the 42 boards of July 2022: a 2026 board's figure is the sum of its predecessors'
figures; for the three 2022 boards divided in 2026 (Suffolk and North East Essex, Hertfordshire
and West Essex, Frimley) each part takes the share of the 2022 figure given by
``icbs.icb_2026_parts`` (registered patients of August 2026; small areas for Frimley:
:data:`DIVIDED_SHARE_BASIS`), and those figures are **estimates** (``estimate``). Trusts are placed by
their headquarters in the ODS file of June 2026, which already uses the 2026 codes, so trust
figures need no apportioning.

:func:`board_figures` is the one function that produces each 2026 board figure; the chapters, the
system profiles and the briefings all read it.
"""

from __future__ import annotations

import difflib

import pandas as pd

from nhsreport import data
from nhsreport.analysis import management, systems
from nhsreport.analysis.counting import trusts_open_on
from nhsreport.dates import day
from nhsreport.schema import SPLITS_2026

__all__ = [
    "formation_dates",
    "FLOOR",
    "DIVIDED_SHARE_BASIS",
    "divided_share_basis",
    "board_parts",
    "board_figures",
    "england_figures",
    "board_coterminosity",
    "split_boards",
    "find_board",
    "FIGURES",
    "DRIVER_RANK_PLACES",
    "DRIVER_DENSITY_CHANGE",
    "density_drivers",
    "N_PEERS",
    "peer_boards",
    "practice_boards",
    "trust_boards_served",
    "upper_tier_boards",
]

#: The population threshold reported for each board (boards under it are counted).
FLOOR = 1_000_000
#: How the figures of a 2022 board divided in 2026 are shared between its parts
#: (``icbs.icb_2026_parts``), in words for a reader, by how it was divided (:data:`nhsreport.schema.SPLITS_2026`):
#: along the lines of its sub-ICB locations, by their registered patients of August 2026; along
#: district lines (Frimley), by its small census areas.
DIVIDED_SHARE_BASIS = {
    "ccg": "its registered patients in each part",
    "lad": "its small census areas in each part",
}


def divided_share_basis(icb_codes) -> str:
    """How the 2022 boards ``icb_codes`` (each divided in 2026) are shared between their parts, in
    words: "its registered patients in each part" (:data:`DIVIDED_SHARE_BASIS`)."""
    kinds = dict.fromkeys(SPLITS_2026[c][0] for c in icb_codes)
    return " or ".join(DIVIDED_SHARE_BASIS[k] for k in kinds)


#: The headline figures, in the order the profile and the briefing show them:
#: column -> (label, unit, number format); the period each refers to is in
#: :data:`nhsreport.analysis.board_facts.FIGURE_PERIOD`.
FIGURES = {
    "population": ("Population (residents)", "people", "int"),
    "managers_per_100_staff": ("Managers per 100 staff", "FTE", "1dp"),
    "rca_per_head": ("Running cost allowance per head", "\u00a3 per head of allocation population", "gbp"),
    "n_trusts": ("NHS trusts headquartered in the area", "trusts", "int"),
    "n_districts": ("Local authority districts", "districts (2023)", "int"),
    "share_districts_whole": ("Districts wholly inside the board", "share of its districts", "pct"),
    "n_practices": ("GP practices", "practices", "int"),
    "trust_managers_per_100_staff": ("Managers per 100 staff, trusts only", "FTE", "1dp"),
    "registered_patients": ("Registered patients", "people", "int"),
    "share_65_plus": ("Registered patients aged 65 or over", "share of registered patients", "pct"),
    "share_85_plus": ("Registered patients aged 85 or over", "share of registered patients", "pct1"),
    "n_pcns": ("Primary care networks", "networks", "int"),
    "patients_per_practice": ("Registered patients per practice", "patients", "int"),
}
#: A trust "drives" a board's management density when taking it out alone would move the board
#: :data:`DRIVER_RANK_PLACES` places or more in the ranking of the 36 boards, or change its
#: managers per 100 staff by :data:`DRIVER_DENSITY_CHANGE` or more (:func:`density_drivers`).
DRIVER_RANK_PLACES = 3
DRIVER_DENSITY_CHANGE = 0.3
#: The peer rule: a board's peers are the ``N_PEERS`` boards nearest to it in population, on a
#: log scale (:func:`peer_boards`).
N_PEERS = 5


def board_parts(icbs: pd.DataFrame) -> pd.DataFrame:
    """One row per (2022 ICB, 2026 board) pair: ``icb_code, icb_name, icb_2026_code, share``
    (the share of the 2022 area going to the board; 1 unless divided) and ``divided`` (the 2022
    ICB was divided between several boards)."""
    rows = []
    for code, name, parts in zip(icbs["icb_code"], icbs["icb_name"], icbs["icb_2026_parts"]):
        items = [p.split(":") for p in str(parts).split(";")]
        for c26, share in items:
            rows.append(
                {
                    "icb_code": code,
                    "icb_name": name,
                    "icb_2026_code": c26,
                    "share": float(share),
                    "divided": len(items) > 1,
                }
            )
    out = pd.DataFrame(rows)
    total = out.groupby("icb_code")["share"].sum()
    if ((total - 1).abs() > 1e-4).any():
        raise ValueError(f"icb_2026_parts shares do not sum to 1 for {sorted(total[(total - 1).abs() > 1e-4].index)}")
    return out


def _apportion(values: pd.Series, parts: pd.DataFrame) -> pd.Series:
    """Sum a figure indexed by 2022 ICB code onto the 2026 boards, splitting divided ICBs by share."""
    v = parts["icb_code"].map(values).astype("float64") * parts["share"]
    return v.groupby(parts["icb_2026_code"]).sum()


def _trust_boards(staff_orgs: pd.DataFrame, trusts: pd.DataFrame, icbs: pd.DataFrame) -> pd.Series:
    """The 2026 board of each trust in ``staff_orgs`` (org_code, icb_code of 2022): the board of
    its headquarters in the June 2026 ODS file, or of its final successor; trusts the ODS trust
    file does not list (care trusts) take the single successor of their 2022 ICB."""
    hq = trusts.set_index("org_code")["icb_code"]
    succ = trusts.set_index("org_code")["final_successor_code"]
    single = board_parts(icbs).query("not divided").set_index("icb_code")["icb_2026_code"]

    def board(org, icb22):
        s = succ.get(org)
        if isinstance(s, str) and s in hq.index:
            return hq[s]
        if org in hq.index and pd.notna(hq[org]):
            return hq[org]
        if icb22 in single.index:
            return single[icb22]
        raise ValueError(f"trust {org} is not in the ODS trust file and its 2022 ICB {icb22} was divided in 2026")

    return pd.Series(
        [board(o, i) for o, i in zip(staff_orgs["org_code"], staff_orgs["icb_code"])],
        index=staff_orgs.index,
        dtype="string",
    )


def basis_differences(systems_2022: pd.DataFrame, boards_2026: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """The boards whose area did not change in 2026 whose managers per 100 staff, rounded to
    ``decimals`` places, differ between the two ways of counting a system's trusts: as the
    workforce statistics assign each trust to a system (``systems_2022``, one row per 2022 ICB:
    icb_code, managers_per_100_staff) and by the board of each trust's headquarters
    (``boards_2026``: icb_2026_code, icb_2026_name, changed_2026, managers_per_100_staff).
    Columns: icb_code, icb_name, by_statistics, by_headquarters, in the order of ``boards_2026``."""
    unchanged = boards_2026.loc[~boards_2026["changed_2026"].astype(bool)]
    by_statistics = systems_2022.set_index("icb_code")["managers_per_100_staff"]
    out = pd.DataFrame(
        {
            "icb_code": unchanged["icb_2026_code"].to_numpy(),
            "icb_name": unchanged["icb_2026_name"].to_numpy(),
            "by_statistics": by_statistics.reindex(unchanged["icb_2026_code"]).to_numpy(),
            "by_headquarters": unchanged["managers_per_100_staff"].to_numpy(),
        }
    )
    if out["by_statistics"].isna().any():
        missing = ", ".join(out.loc[out["by_statistics"].isna(), "icb_code"])
        raise ValueError(f"boards unchanged in 2026 without a 2022 system of the same code: {missing}")
    differs = out["by_statistics"].round(decimals).ne(out["by_headquarters"].round(decimals))
    return out.loc[differs].reset_index(drop=True)


def board_coterminosity(lad_boards: pd.DataFrame) -> pd.DataFrame:
    """Per 2026 board: ``n_districts`` (districts with LSOAs in it), ``n_whole`` (wholly inside),
    ``n_part`` (shared with another board), ``coterminous`` (every district whole)."""
    o = lad_boards.assign(split=lad_boards["lad_split"].astype(bool))
    g = o.groupby("icb_2026_code").agg(n_districts=("lad_code", "nunique"), n_part=("split", "sum"))
    g["n_part"] = g["n_part"].astype("int64")
    g["n_whole"] = g["n_districts"] - g["n_part"]
    g["coterminous"] = g["n_part"] == 0
    return g


def formation_dates(resource=data.resource) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The day the boards of 2022 were set up and the day the boards of 2026 took over, read from
    the data package: the ``x_as_of`` of ``icbs`` (the July 2022 boards) and of
    ``lad_board_overlap`` (the boards of 2026)."""
    return day(str(resource("icbs")["x_as_of"])), day(str(resource("lad_board_overlap")["x_as_of"]))


def split_boards(icbs: pd.DataFrame) -> pd.DataFrame:
    """The 2022 ICBs divided in 2026, one row per part: ``icb_code, icb_name, icb_2026_code,
    icb_2026_name, share, basis`` (``"population"`` for the two divided along CCGs,
    ``"LSOAs"`` for Frimley, divided along districts)."""
    p = board_parts(icbs)
    p = p[p["divided"]].copy()
    names26 = dict(zip(icbs["icb_2026_code"], icbs["icb_2026_name"]))
    p["icb_2026_name"] = p["icb_2026_code"].map(names26)
    p["basis"] = p["icb_code"].map(lambda c: "population" if SPLITS_2026[c][0] == "ccg" else "LSOAs")
    return p.sort_values(["icb_code", "share"], ascending=[True, False], kind="mergesort").reset_index(drop=True)[
        ["icb_code", "icb_name", "icb_2026_code", "icb_2026_name", "share", "basis"]
    ]


def _board_identity(icbs: pd.DataFrame, parts: pd.DataFrame, formed: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    """Who each board of 2026 is, by code: ``icb_2026_name, region_name, n_icbs_2022, icbs_2022,
    changed_2026, formed, estimate`` (see :func:`board_figures`); ``formed``: the days the boards
    of 2022 and of 2026 were set up."""
    names26 = dict(zip(icbs["icb_2026_code"], icbs["icb_2026_name"]))
    out = pd.DataFrame(index=pd.Index(sorted(names26), name="icb_2026_code"))
    out["icb_2026_name"] = out.index.map(names26)
    region = icbs.set_index("icb_code")["region_name"]
    out["region_name"] = parts.groupby("icb_2026_code")["icb_code"].agg(lambda s: " / ".join(sorted(set(region[s]))))
    label = parts["icb_name"] + parts["share"].map(lambda x: "" if x >= 1 else " (part)")
    out["n_icbs_2022"] = parts.groupby("icb_2026_code").size()
    out["icbs_2022"] = label.groupby(parts["icb_2026_code"]).agg(lambda s: "; ".join(sorted(s)))
    same = parts.groupby("icb_2026_code").apply(
        lambda g: len(g) == 1 and g["icb_code"].iloc[0] == g.name and g["share"].iloc[0] >= 1, include_groups=False
    )
    out["changed_2026"] = ~same
    formed_2022, formed_2026 = formed
    out["formed"] = pd.Series(out.index.isin(icbs["icb_code"]), index=out.index).map(
        {True: formed_2022, False: formed_2026}
    )
    out["estimate"] = parts.groupby("icb_2026_code")["divided"].any()
    return out


def _board_staff(
    staff: pd.DataFrame, trusts: pd.DataFrame, icbs: pd.DataFrame, parts: pd.DataFrame, when: pd.Timestamp
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Managers and staff (FTE) on ``when`` of each board of 2026, by code: of the trusts
    headquartered in it (``trust_managers_fte, trust_staff_fte``) and of its predecessor boards,
    apportioned (``icb_managers_fte, icb_staff_fte``); and the trusts' own rows (``org_code,
    org_name, org_type, board, all_managers_fte, staff_fte``)."""
    codes = sorted(set(icbs["icb_2026_code"]))
    # one row per organisation ("org": managers_and_staff keeps org_code for itself)
    keys = ["org", "org_name", "icb_code", "org_type"]
    orgs = management.managers_and_staff(staff.assign(org=staff["org_code"]), when, keys)
    orgs = orgs.rename(columns={"org": "org_code"})
    is_icb = orgs["org_type"] == "ICB"
    by_trust = orgs[~is_icb].copy()
    by_trust["board"] = _trust_boards(by_trust, trusts, icbs).to_numpy()
    icb_staff = orgs[is_icb].groupby("icb_code")[["all_managers_fte", "staff_fte"]].sum()
    trust_staff = by_trust.groupby("board")[["all_managers_fte", "staff_fte"]].sum()
    out = pd.DataFrame(index=pd.Index(codes, name="icb_2026_code"))
    out["trust_managers_fte"] = trust_staff["all_managers_fte"].reindex(codes).fillna(0.0)
    out["trust_staff_fte"] = trust_staff["staff_fte"].reindex(codes).fillna(0.0)
    out["icb_managers_fte"] = _apportion(icb_staff["all_managers_fte"], parts)
    out["icb_staff_fte"] = _apportion(icb_staff["staff_fte"], parts)
    return out, by_trust.reset_index(drop=True)


def density_drivers(figures: pd.DataFrame, by_trust: pd.DataFrame, candidates: set[str]) -> pd.DataFrame:
    """For each board of ``figures`` (indexed by code, with ``managers_fte, staff_fte,
    managers_per_100_staff``): of the ``candidates`` (ODS codes: the ambulance and specialist
    trusts, which serve far beyond the board) headquartered in it (``by_trust``: ``org_code,
    org_name, org_type, board, all_managers_fte, staff_fte``), the one whose removal would change
    its managers per 100 staff most (``driver_code, driver_name, driver_type``), the board's
    density without it (``density_without_driver``), its rank then among the boards, the others
    unchanged (``rank_without_driver``, 1 = highest), and ``density_driven``: the change reaches
    :data:`DRIVER_DENSITY_CHANGE` or the rank moves :data:`DRIVER_RANK_PLACES` places or more."""
    rows = []
    dens = figures["managers_per_100_staff"]
    for code, fig in figures.iterrows():
        mine = by_trust[(by_trust["board"] == code) & by_trust["org_code"].isin(candidates)]
        if mine.empty:
            rows.append({"icb_2026_code": code, "density_driven": False})
            continue
        without = 100 * (fig["managers_fte"] - mine["all_managers_fte"]) / (fig["staff_fte"] - mine["staff_fte"])
        top = (without - fig["managers_per_100_staff"]).abs().idxmax()
        value = float(without[top])
        rank_now = int((dens > fig["managers_per_100_staff"]).sum()) + 1
        rank_then = int((dens.drop(code) > value).sum()) + 1
        rows.append(
            {
                "icb_2026_code": code,
                "driver_code": mine.at[top, "org_code"],
                "driver_name": mine.at[top, "org_name"],
                "driver_type": mine.at[top, "org_type"],
                "density_without_driver": value,
                "rank_without_driver": rank_then,
                "density_driven": abs(value - fig["managers_per_100_staff"]) >= DRIVER_DENSITY_CHANGE
                or abs(rank_then - rank_now) >= DRIVER_RANK_PLACES,
            }
        )
    return pd.DataFrame(rows).set_index("icb_2026_code")


def _allowances(alloc: pd.DataFrame, icbs: pd.DataFrame, rca_year: str | None) -> tuple[pd.DataFrame, str]:
    """The running cost allowance and allocation population of every 2022 board for ``rca_year``
    (by default the latest in ``alloc``), by code, and that year."""
    rca = management.running_cost_per_head(alloc, icbs)
    rca_year = rca_year or str(max(rca["financial_year"].astype(str)))
    rca = rca[rca["financial_year"] == rca_year].set_index("icb_code")
    if set(rca.index) != set(icbs["icb_code"]):
        raise ValueError(f"expected a {rca_year} running cost allowance for every 2022 ICB")
    return rca, rca_year


def board_figures(
    icbs: pd.DataFrame,
    staff: pd.DataFrame,
    alloc: pd.DataFrame,
    trusts: pd.DataFrame,
    lad_boards: pd.DataFrame,
    practices: pd.DataFrame | None = None,
    *,
    populations: pd.DataFrame | None = None,
    specialists: pd.DataFrame | None = None,
    staff_date=None,
    rca_year: str | None = None,
    formed: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """The headline figures of the 36 boards of 1 April 2026, one row per board, sorted by code.

    Columns: ``icb_2026_code, icb_2026_name, region_name, formed`` (1 July 2022 for a board whose
    code existed in 2022, else 1 April 2026), ``changed_2026`` (its area changed on 1 April
    2026), ``n_icbs_2022, icbs_2022`` (predecessors, "(part)" marking parts), ``population``
    (ONS mid-2024 residents of its 2023 districts, from ``lad_boards``) with
    ``population_estimate`` (a split district's part enters) and ``below_floor`` (under
    :data:`FLOOR`); ``trust_managers_fte, trust_staff_fte`` (trusts headquartered in the area,
    November 2025), ``icb_managers_fte, icb_staff_fte`` (the predecessor boards' own staff),
    ``managers_fte, staff_fte, managers_per_100_staff``, ``trust_managers_per_100_staff`` (trusts
    only) and the columns of :func:`density_drivers` (candidates: the ambulance trusts and the
    ``specialists``, the ``specialist_trusts`` table, when given); ``rca_gbp, allocation_population,
    rca_per_head`` (``rca_year``, by default the latest in ``alloc``), ``n_trusts`` (open on 1
    April 2026), ``n_districts, n_whole, n_part, coterminous, share_districts_whole``,
    ``n_practices`` (practices of ``practices`` by ``icb_2026_code``, when given), and with
    ``populations`` (the ``board_populations`` table): ``registered_patients``,
    ``registered_65_plus``, ``registered_85_plus``, ``share_65_plus``, ``share_85_plus``,
    ``n_pcns``, ``n_sub_icb_locations``, ``n_practices``, ``practice_patients_2025_04`` and
    ``patients_per_practice`` (April 2025 lists of the August 2026 practices, to the whole patient). ``estimate`` is
    True when a part of a divided 2022 board enters, so ICB staff and allowance are apportioned;
    ``rank_<figure>`` (1 = largest, ties sharing the best place) for each figure of
    :data:`FIGURES`. ``formed``: the days the boards of 2022 and of 2026 were set up (default:
    :func:`formation_dates`)."""
    parts = board_parts(icbs)
    formed = formed or formation_dates()
    when = management.snapshot_date(staff, staff_date)
    rca, rca_year = _allowances(alloc, icbs, rca_year)
    staff_by_board, by_trust = _board_staff(staff, trusts, icbs, parts, when)
    out = _board_identity(icbs, parts, formed).join(staff_by_board)
    codes = list(out.index)
    out = out.join(_board_population(lad_boards))
    out["managers_fte"] = out["trust_managers_fte"] + out["icb_managers_fte"]
    out["staff_fte"] = out["trust_staff_fte"] + out["icb_staff_fte"]
    out["managers_per_100_staff"] = 100 * out["managers_fte"] / out["staff_fte"]
    out["trust_managers_per_100_staff"] = 100 * out["trust_managers_fte"] / out["trust_staff_fte"]
    ambulance = set(trusts.loc[trusts["trust_type"] == "ambulance", "org_code"])
    specialist = set(specialists["org_code"]) if specialists is not None else set()
    out = out.join(density_drivers(out, by_trust, ambulance | specialist))
    out["driver_type"] = out["driver_type"].mask(out["driver_code"].isin(specialist), "specialist")
    out["rank_without_driver"] = out["rank_without_driver"].astype("Int64")
    out["rca_gbp"] = _apportion(rca["rca_gbp"], parts)
    out["allocation_population"] = _apportion(rca["population"], parts)
    out["rca_per_head"] = out["rca_gbp"] / out["allocation_population"]
    open26 = trusts_open_on(trusts, formed[1])
    out["n_trusts"] = open26.groupby("icb_code").size().reindex(codes).fillna(0).astype("int64")
    cot = board_coterminosity(lad_boards)
    out = out.join(cot[["n_districts", "n_whole", "n_part", "coterminous"]])
    out["share_districts_whole"] = out["n_whole"] / out["n_districts"]
    if practices is not None:
        out["n_practices"] = practices.groupby("icb_2026_code").size().reindex(codes).fillna(0).astype("int64")
    if populations is not None:
        out = _with_registrations(out, populations)
    for col in FIGURES:
        if col in out:
            out[f"rank_{col}"] = out[col].rank(ascending=False, method="min").astype("int64")
    out.attrs.update(staff_date=when, rca_year=rca_year)
    return out.reset_index()


def board_staff(staff: pd.DataFrame, icbs: pd.DataFrame, trusts: pd.DataFrame, staff_date=None) -> pd.DataFrame:
    """The managers and staff of :func:`board_figures` alone, for the boards' trends, which need them
    at every snapshot: ``icb_2026_code, managers_fte, staff_fte, estimate``, one row per board,
    sorted by code (the same numbers as :func:`board_figures`, without its other figures)."""
    parts = board_parts(icbs)
    out, _ = _board_staff(staff, trusts, icbs, parts, management.snapshot_date(staff, staff_date))
    out["managers_fte"] = out["trust_managers_fte"] + out["icb_managers_fte"]
    out["staff_fte"] = out["trust_staff_fte"] + out["icb_staff_fte"]
    out["estimate"] = parts.groupby("icb_2026_code")["divided"].any()
    return out[["managers_fte", "staff_fte", "estimate"]].reset_index()


def board_allowances(alloc: pd.DataFrame, icbs: pd.DataFrame, rca_year: str | None = None) -> pd.DataFrame:
    """The running cost allowance of :func:`board_figures` alone, for the boards' trends, which need
    it in every year: ``icb_2026_code, rca_gbp, allocation_population, estimate``, one row per board,
    sorted by code (the same numbers as :func:`board_figures`)."""
    parts = board_parts(icbs)
    rca, _ = _allowances(alloc, icbs, rca_year)
    out = pd.DataFrame(index=pd.Index(sorted(set(icbs["icb_2026_code"])), name="icb_2026_code"))
    out["rca_gbp"] = _apportion(rca["rca_gbp"], parts)
    out["allocation_population"] = _apportion(rca["population"], parts)
    out["estimate"] = parts.groupby("icb_2026_code")["divided"].any()
    return out.reset_index()


def _board_population(lad_boards: pd.DataFrame) -> pd.DataFrame:
    """Mid-2024 residents of each board (``population``, ``residents_65_plus``,
    ``residents_85_plus``), ``population_estimate`` and ``below_floor``, by code."""
    g = lad_boards.groupby("icb_2026_code")
    out = g[["residents", "residents_65_plus", "residents_85_plus"]].sum().astype("int64")
    out = out.rename(columns={"residents": "population"})
    out["population_estimate"] = g["lad_split"].any().astype(bool)
    out["below_floor"] = out["population"] < FLOOR
    return out


def _with_registrations(out: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """``out`` (by code) with the registered patients, practices and networks of ``populations``."""
    p = populations.set_index("icb_2026_code")
    cols = ["registered_patients", "registered_65_plus", "registered_85_plus", "n_pcns", "n_sub_icb_locations"]
    cols += ["n_practices", "practice_patients_2025_04"]
    out = out.drop(columns=[c for c in cols if c in out]).join(p[cols])
    out["share_65_plus"] = out["registered_65_plus"] / out["registered_patients"]
    out["share_85_plus"] = out["registered_85_plus"] / out["registered_patients"]
    out["patients_per_practice"] = (out["practice_patients_2025_04"] / out["n_practices"]).round()
    return out


def england_figures(boards: pd.DataFrame, lad_boards: pd.DataFrame, practices: pd.DataFrame | None = None) -> dict:
    """England's value of each figure of :func:`board_figures`: totals for counts, ratios of
    totals for rates (so England's managers per 100 staff is all managers over all staff), and
    for districts the number of England's districts and the share lying wholly in one board.
    England's population is the sum of the boards' residents, which is ONS's England estimate;
    England's networks are counted once each in ``practices`` (the practice map), when given."""
    b = boards
    split = lad_boards.loc[lad_boards["lad_split"].astype(bool), "lad_code"].nunique()
    n_lads = lad_boards["lad_code"].nunique()
    out = {
        "population": int(b["population"].sum()),
        "managers_per_100_staff": float(100 * b["managers_fte"].sum() / b["staff_fte"].sum()),
        "trust_managers_per_100_staff": float(100 * b["trust_managers_fte"].sum() / b["trust_staff_fte"].sum()),
        "rca_per_head": float(b["rca_gbp"].sum() / b["allocation_population"].sum()),
        "n_trusts": int(b["n_trusts"].sum()),
        "n_districts": int(n_lads),
        "share_districts_whole": float((n_lads - split) / n_lads),
        "n_split_districts": int(split),
        "n_boards": int(len(b)),
        "n_below_floor": int(b["below_floor"].sum()),
        "n_coterminous": int(b["coterminous"].sum()),
        "residents_65_plus": int(b["residents_65_plus"].sum()),
        "residents_85_plus": int(b["residents_85_plus"].sum()),
    }
    if "n_practices" in b:
        out["n_practices"] = int(b["n_practices"].sum())
    if "n_pcns" in b:
        out["n_pcns"] = int(practices["pcn_code"].nunique() if practices is not None else b["n_pcns"].sum())
    if "registered_patients" in b:
        out["registered_patients"] = int(b["registered_patients"].sum())
        out["share_65_plus"] = float(b["registered_65_plus"].sum() / b["registered_patients"].sum())
        out["share_85_plus"] = float(b["registered_85_plus"].sum() / b["registered_patients"].sum())
        out["patients_per_practice"] = float(b["practice_patients_2025_04"].sum() / b["n_practices"].sum())
        out["practice_patients_2025_04"] = int(b["practice_patients_2025_04"].sum())
    return out


def peer_boards(boards: pd.DataFrame, code: str, n: int = N_PEERS) -> list[str]:
    """The ``n`` boards closest in population to ``code`` (on a log scale, so that a board of one
    million is as near one of two million as one of half a million): its peer group."""
    import math

    pop = boards["population"].astype("float64")
    d = (pop.map(math.log) - math.log(pop[code])).abs().drop(code)
    return list(d.sort_values(kind="mergesort").index[:n])


def find_board(query: str, icbs: pd.DataFrame) -> str:
    """The 2026 board code for a 2026 code or name, or for a 2022 ICB code or name (the board it
    became, or, for a 2022 ICB divided in 2026, the board taking its largest part).

    Raises :class:`nhsreport.analysis.systems.IcbLookupError` (with the closest names) when nothing or
    several boards match."""
    q = str(query).strip()
    boards = icbs.drop_duplicates("icb_2026_code")[["icb_2026_code", "icb_2026_name"]]
    up = q.upper()
    if up in set(boards["icb_2026_code"]):
        return up
    nq = systems.normalise_name(q)
    norm = boards["icb_2026_name"].map(systems.normalise_name)
    exact = boards[norm == nq]
    if len(exact) == 1:
        return str(exact["icb_2026_code"].iloc[0])
    try:
        row = systems.find_icb(q, icbs)
        return str(row["icb_2026_code"])
    except systems.IcbLookupError as e:
        part = boards[norm.str.contains(nq, regex=False)] if nq else boards.iloc[0:0]
        if len(part) == 1:
            return str(part["icb_2026_code"].iloc[0])
        names = list(dict.fromkeys(list(boards["icb_2026_name"].astype(str)) + list(icbs["icb_name"].astype(str))))
        by_norm = {systems.normalise_name(n): n for n in names}
        cands = [by_norm[m] for m in difflib.get_close_matches(nq, list(by_norm), n=3, cutoff=0.6)] or e.candidates
        hint = f"; closest names: {', '.join(cands)}" if cands else ""
        raise systems.IcbLookupError(query, f"no ICB of 2026 or 2022 matches {query!r}{hint}", cands) from None


def practice_boards(practices: pd.DataFrame, lineage: pd.DataFrame, ccg_boards: pd.DataFrame) -> pd.DataFrame:
    """``practices`` (the ``gp_practices`` table, September 2020) with the board(s) of 1 April 2026
    of each practice's CCG area: ``ccg_2021_code`` (its CCG's April 2021 successor),
    ``icb_2026_code`` (the board holding most of that area), ``icb_2026_codes`` (every board with
    part of it, largest first, ";") and ``board_certain`` (the area lies in one board). The file
    places practices no finer than their CCG, so for the four divided CCG areas the board is the
    likeliest, not a certainty."""
    succ = lineage[lineage["exists_2020"].astype(bool)].set_index("ccg_code")["successor_2021_code"]
    unknown = sorted(set(practices["ccg_code"]) - set(succ.index))
    if unknown:
        raise ValueError(f"practices in CCGs that the lineage has no April 2020 row for: {unknown}")
    by_board = ccg_boards.groupby(["ccg_code", "icb_2026_code"])["n_lsoas"].sum().reset_index()
    by_board = by_board.sort_values(
        ["ccg_code", "n_lsoas", "icb_2026_code"], ascending=[True, False, True], kind="mergesort"
    )
    ranked = by_board.groupby("ccg_code")["icb_2026_code"].agg(list)
    out = practices.copy()
    out["ccg_2021_code"] = out["ccg_code"].map(succ)
    lists = out["ccg_2021_code"].map(ranked)
    if lists.isna().any():
        raise ValueError(
            f"CCGs of 2021 with no LSOAs in ccg_board_overlap: {sorted(set(out.loc[lists.isna(), 'ccg_2021_code']))}"
        )
    out["icb_2026_code"] = lists.map(lambda x: x[0])
    out["icb_2026_codes"] = lists.map(";".join)
    out["board_certain"] = lists.map(len) == 1
    return out


def trust_boards_served(
    trusts: pd.DataFrame, partners: pd.DataFrame, icbs: pd.DataFrame, on=None
) -> dict[str, list[str]]:
    """For each trust open on 1 April 2026 (ODS code): the board of its headquarters first, then
    the other boards whose area (wholly or in part) it served as a partner of a system in April
    2019 (``stp_trust_partners_2019``; a trust that has merged since counts through its final
    successor). ``on``: the day the boards took over (default: from :func:`formation_dates`)."""
    open26 = trusts_open_on(trusts, on if on is not None else formation_dates()[1])
    out = {str(c): [str(b)] for c, b in zip(open26["org_code"], open26["icb_code"])}
    succ = trusts.set_index("org_code")["final_successor_code"]
    parts = board_parts(icbs).sort_values(["icb_code", "share"], ascending=[True, False], kind="mergesort")
    boards_of = parts.groupby("icb_code")["icb_2026_code"].agg(list)
    for trust, stp in zip(partners["trust_code"], partners["stp_code"]):
        code = succ.get(trust) if isinstance(succ.get(trust), str) else trust
        if code in out and stp in boards_of.index:
            out[code] += [b for b in boards_of[stp] if b not in out[code]]
    return out


def upper_tier_boards(lad_boards: pd.DataFrame, lad_upper: pd.DataFrame) -> pd.DataFrame:
    """Upper-tier councils (counties and unitary authorities, which run adult social care) in the
    36 boards: one row per council and board with ``upper_code, upper_name, upper_type,
    icb_2026_code, n_lsoas, share`` (of the council's LSOAs), ``split`` (the council is shared
    between boards) and, where ``lad_boards`` has mid-2024 ``residents``, ``residents`` and
    ``share_residents`` (of the council's residents: an estimate for a split council), largest
    part first."""
    o = lad_boards.merge(
        lad_upper[["lad_code", "upper_code", "upper_name", "upper_type"]], on="lad_code", how="left", validate="m:1"
    )
    if o["upper_code"].isna().any():
        raise ValueError(f"districts with no upper-tier council: {sorted(o.loc[o['upper_code'].isna(), 'lad_code'])}")
    cols = ["n_lsoas"] + (["residents"] if "residents" in o else [])
    g = o.groupby(["upper_code", "upper_name", "upper_type", "icb_2026_code"], observed=True)[cols].sum()
    g = g.reset_index()
    g["share"] = g["n_lsoas"] / g["upper_code"].map(g.groupby("upper_code")["n_lsoas"].sum())
    if "residents" in g:
        g["share_residents"] = g["residents"] / g["upper_code"].map(g.groupby("upper_code")["residents"].sum())
    g["split"] = g["upper_code"].map(g.groupby("upper_code").size()) > 1
    return g.sort_values(["upper_code", "n_lsoas"], ascending=[True, False], kind="mergesort").reset_index(drop=True)
