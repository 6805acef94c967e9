"""Chapter 2, management: the tables it reads, the numbers its prose prints and its tables.

:class:`Management` holds the chapter's datasets and computes each intermediate table once
(:mod:`nhsreport.analysis.management` and :mod:`nhsreport.analysis.finance` do the counting);
:func:`chapter_numbers` is every number and phrase the prose prints, under the names it is glued
by; the figures are drawn by :mod:`nhsreport.publish.chapters.management_figures`.

The reporting periods are read from the data: the staff snapshots of ``staff_by_org`` (the
first, the one in the last year of ``managers_by_org`` and the latest), never typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from nhsreport import data
from nhsreport.analysis import boards, finance
from nhsreport.analysis import management as mg
from nhsreport.formatting import short_month_year, uk_date
from nhsreport.publish.components import words

#: The headcount census dates the prose quotes (``mgmt_hc_<year>_*``): September, but June 2022.
HEADCOUNT_DATES = {
    "2009": "2009-09-01",
    "2010": "2010-09-01",
    "2012": "2012-09-01",
    "2013": "2013-09-01",
    "2019": "2019-09-01",
    "2020": "2020-09-01",
    "2022": "2022-06-01",
}
#: The March 2021 headcount of all staff the prose compares with.
HEADCOUNT_2021 = "2021-03-01"
#: The short names of organisation types in glued names.
SHORT = {"acute": "acute", "mental health": "mh", "community": "comm", "ambulance": "amb", "ICB": "icb", "CCG": "ccg"}
#: How organisation types are named in figures and tables.
TYPE_LABELS = {
    "SHA": "SHA",
    "PCT": "PCT",
    "CCG": "CCG",
    "CSU/other": "CSU and national bodies",
    "acute": "Acute trust",
    "mental health": "Mental health trust",
    "community": "Community trust",
    "ambulance": "Ambulance trust",
    "ICB": "ICB",
}
#: Bootstrap resamples for the associations of management with money.
N_BOOT = 1000
#: The financial year whose trusts the scatter of management against money shows.
MONEY_YEAR = 2017


@dataclass
class Tables:
    """The datasets the chapter declares, loaded."""

    workforce: pd.DataFrame
    managers: pd.DataFrame
    staff: pd.DataFrame
    icbs: pd.DataFrame
    allocations: pd.DataFrame
    published: pd.DataFrame
    international: pd.DataFrame
    consultants: pd.DataFrame
    finances: pd.DataFrame
    commissioners: pd.DataFrame
    trusts: pd.DataFrame
    lad_board_overlap: pd.DataFrame
    claims: pd.DataFrame


def load_tables() -> Tables:
    """Load the chapter's datasets (each declared in the notebook's metadata)."""
    return Tables(
        workforce=data.load("workforce_national"),
        managers=data.load("managers_by_org"),
        staff=data.load("staff_by_org"),
        icbs=data.load("icbs"),
        allocations=data.load("icb_allocations"),
        published=data.load("published_management_figures"),
        international=data.load("admin_costs_international"),
        consultants=data.load("consultants_by_org"),
        finances=data.load("trust_finances"),
        commissioners=data.load("commissioners_over_time"),
        trusts=data.load("trusts"),
        lad_board_overlap=data.load("lad_board_overlap"),
        claims=data.load("claims"),
    )


class Management:
    """The chapter's intermediate tables, each computed once from :class:`Tables`.

    ``board`` (a 2026 board's code or name, or a 2022 ICB's; ``None`` for none) is the board the
    figures highlight."""

    def __init__(self, tables: Tables, board: str | None = None):
        self.t = tables
        self.board = boards.find_board(board, tables.icbs) if board else None

    # --- snapshots, read from the data -----------------------------------------------------
    @cached_property
    def snapshots(self) -> pd.DatetimeIndex:
        """The dates of the staff snapshots, in order."""
        return pd.DatetimeIndex(self.t.staff["date"].unique()).sort_values()

    @property
    def first(self) -> pd.Timestamp:
        """The first staff snapshot (September 2017)."""
        return self.snapshots[0]

    @property
    def latest(self) -> pd.Timestamp:
        """The latest staff snapshot: the chapter's reporting period."""
        return mg.snapshot_date(self.t.staff)

    @property
    def last_annual(self) -> pd.Timestamp:
        """The last snapshot in the last year of the annual file ``managers_by_org``."""
        year = int(self.t.managers["year"].max())
        return self.snapshots[self.snapshots.year == year][-1]

    @cached_property
    def fte(self) -> dict:
        """England's managers and staff at the three snapshots the prose compares, by year."""
        dates = [self.first, self.last_annual, self.latest]
        return {str(d.year): mg.managers_and_staff(self.t.staff, d).iloc[0] for d in dates}

    # --- national series ---------------------------------------------------------------------
    @cached_property
    def headcount(self) -> pd.DataFrame:
        """Managers, senior managers and all staff (headcount), every census of ``workforce_national``."""
        return mg.headcount_series(self.t.workforce)

    @cached_property
    def published_values(self) -> pd.Series:
        """The published figures of ``published_management_figures``, by id."""
        return self.t.published.set_index("id")["value"]

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """Published counts of managers beside this report's figures."""
        return mg.published_comparison(self.t.published, self.t.workforce, self.t.managers, self.t.staff)

    @cached_property
    def by_year(self) -> pd.DataFrame:
        """Commissioners against trusts, every September (indexed by year)."""
        return mg.commissioners_vs_trusts(self.t.managers).set_index("year")

    @cached_property
    def fte_by_type(self) -> pd.DataFrame:
        """Managers (FTE) by type of organisation, every September."""
        return mg.fte_by_org_type(self.t.managers)

    @cached_property
    def shares(self) -> pd.DataFrame:
        """Each type's share of managers, with its period named (``period``, e.g. "Sep 2009")."""
        shares = mg.org_type_shares(self.t.managers, self.t.staff)
        return shares.drop(columns="date").assign(period=shares["date"].map(short_month_year))[
            ["period", "org_type", "group", "managers_fte", "share"]
        ]

    def by_type(self, date) -> pd.DataFrame:
        """Managers, staff and their ratios by type of organisation at the snapshot ``date``."""
        return mg.managers_per_100_staff(self.t.staff, date, by="org_type").set_index("org_type")

    @cached_property
    def by_type_first(self) -> pd.DataFrame:
        """:meth:`by_type` at the first snapshot."""
        return self.by_type(self.first)

    @cached_property
    def by_type_latest(self) -> pd.DataFrame:
        """:meth:`by_type` at the latest snapshot."""
        return self.by_type(self.latest)

    # --- systems -----------------------------------------------------------------------------
    @cached_property
    def density(self) -> pd.DataFrame:
        """Managers per 100 staff (and per 100,000 people) in each system at the latest snapshot."""
        return mg.density_by_ics(self.t.staff, self.t.icbs, self.latest)

    @cached_property
    def board_systems(self) -> list[str]:
        """The 2022 systems (ICB codes) that the highlighted board was formed from."""
        if self.board is None:
            return []
        return list(self.t.icbs.loc[self.t.icbs["icb_2026_code"] == self.board, "icb_code"])

    @cached_property
    def board_name(self) -> str | None:
        """The highlighted board's name (``None`` for none)."""
        if self.board is None:
            return None
        names = self.t.icbs.loc[self.t.icbs["icb_2026_code"] == self.board, "icb_2026_name"]
        return str(names.iloc[0])

    # --- heft, density of each organisation, wider definition, consultants -------------------
    @cached_property
    def per_org(self) -> pd.DataFrame:
        """Managers per organisation with each period named (``period``: the year, or e.g. "Nov 2025")."""
        per_org = finance.managers_per_org(self.t.managers, self.t.staff, self.latest)
        label = (
            per_org["year"]
            .astype(str)
            .where(per_org["snapshot"].isna(), per_org["snapshot"].map(short_month_year, na_action="ignore"))
        )
        per_org = per_org.drop(columns="snapshot")
        per_org.insert(0, "period", label)
        return per_org

    @cached_property
    def heft(self) -> pd.DataFrame:
        """The spread of managers per organisation, by year and type."""
        return finance.heft_summary(self.per_org).set_index(["year", "org_type"])

    @property
    def heft_years(self) -> list[int]:
        """The years the heft figure shows: 2009, 2013, the last of the annual file and the latest snapshot's."""
        return [2009, 2013, int(self.t.managers["year"].max()), self.latest.year]

    @cached_property
    def org_density(self) -> pd.DataFrame:
        """Managers per 100 staff of each organisation at the first and the latest snapshot."""
        dens = pd.concat(
            [finance.density_per_org(self.t.staff, d) for d in (self.first, self.latest)], ignore_index=True
        )
        return dens.assign(snapshot=dens["date"].map(short_month_year))

    @cached_property
    def wider(self) -> pd.DataFrame:
        """The narrow and the wider definition of management at the first and the latest snapshot."""
        return finance.wider_definition(self.t.staff, (self.first, self.latest)).set_index(["date", "org_type"])

    @cached_property
    def per_consultant(self) -> pd.DataFrame:
        """Managers per consultant in trusts, every September."""
        return finance.managers_per_consultant(self.t.managers, self.t.consultants)

    # --- money -------------------------------------------------------------------------------
    @cached_property
    def sector(self) -> pd.DataFrame:
        """The trust sector's finances, by financial year."""
        return finance.sector_position(self.t.finances).set_index("year")

    @cached_property
    def panel(self) -> pd.DataFrame:
        """Each trust's managers and finances, one row a year."""
        return finance.trust_panel(self.t.finances, self.t.managers, self.t.consultants, self.t.staff)

    @cached_property
    def associations(self) -> pd.DataFrame:
        """Each measure of management against trusts' surpluses (bootstrap intervals)."""
        return finance.association_table(self.panel, n_boot=N_BOOT)

    @cached_property
    def spread_robustness(self) -> dict:
        """The spread between systems with and without the organisations that code jobs differently."""
        return mg.spread_without_extremes(self.t.staff, self.t.icbs, self.latest)

    @cached_property
    def robustness(self) -> pd.DataFrame:
        """The associations with trusts' surpluses under other specifications (within trusts, each
        year of density, without outlying trusts, acute trusts, before the STF)."""
        fence = self.spread_robustness["fences"][1]
        return finance.robustness_table(self.panel, fence, n_boot=N_BOOT).set_index("key")

    @cached_property
    def constant_panel(self) -> pd.DataFrame:
        """The finances of the trusts with accounts in every year, by financial year."""
        return finance.constant_panel_position(self.t.finances).set_index("year")

    # --- the boards of 2026, running costs, international ------------------------------------
    @cached_property
    def boards_2026(self) -> pd.DataFrame:
        """The figures of the boards of 1 April 2026, staff at the latest snapshot."""
        t = self.t
        return boards.board_figures(
            t.icbs, t.staff, t.allocations, t.trusts, t.lad_board_overlap, staff_date=self.latest
        )

    @cached_property
    def running_costs(self) -> pd.DataFrame:
        """Each ICB's running cost allowance per head, by financial year."""
        return mg.running_cost_per_head(self.t.allocations, self.t.icbs)

    @cached_property
    def england_running_costs(self) -> pd.DataFrame:
        """England's running cost allowance per head, by financial year."""
        return mg.england_running_cost_per_head(self.t.allocations, self.t.icbs)

    @cached_property
    def international(self) -> pd.DataFrame:
        """Published shares of health spending that go on administration, by family of definitions."""
        return mg.admin_cost_families(self.t.international)

    def international_share(self, country: str, source_key: str, below: float | None = None) -> float:
        """The published share (%) of ``country`` in the source ``source_key`` (the first one under
        ``below`` when a source gives several)."""
        ic = self.international
        rows = ic[(ic["country"] == country) & (ic["source_key"] == source_key)]
        if below is not None:
            rows = rows[rows["share_pct"] < below]
        return float(rows["share_pct"].iloc[0])


# ---------------------------------------------------------------------------------------------
# numbers for the prose
# ---------------------------------------------------------------------------------------------


def national_numbers(ch: Management) -> dict:
    """Section 1: managers per 100 staff over time, the 2019-20 recoding, the FTE snapshots and
    the published figures they are compared with."""
    out = {}
    hcd = ch.headcount.set_index("date")
    for label, d in HEADCOUNT_DATES.items():
        row = hcd.loc[pd.Timestamp(d)]
        out[f"mgmt_hc_{label}_per100"] = row["managers_per_100_staff"]
        out[f"mgmt_hc_{label}_managers"] = int(row["all_managers"])
        out[f"mgmt_hc_{label}_staff_per_manager"] = row["staff_per_manager"]
    y2010, y2019 = pd.Timestamp(HEADCOUNT_DATES["2010"]), pd.Timestamp(HEADCOUNT_DATES["2019"])
    out["mgmt_hc_staff_growth_2010_2019"] = hcd.loc[y2019, "all_staff"] / hcd.loc[y2010, "all_staff"] - 1
    out["mgmt_hc_mgr_growth_2010_2019"] = hcd.loc[y2019, "all_managers"] / hcd.loc[y2010, "all_managers"] - 1
    # like for like: 2013 onwards, after primary care trusts and strategic health authorities left the series
    y2013 = pd.Timestamp(HEADCOUNT_DATES["2013"])
    out["mgmt_hc_staff_growth_2013_2019"] = hcd.loc[y2019, "all_staff"] / hcd.loc[y2013, "all_staff"] - 1
    out["mgmt_hc_mgr_growth_2013_2019"] = hcd.loc[y2019, "all_managers"] / hcd.loc[y2013, "all_managers"] - 1
    steps = mg.adjacent_steps(ch.headcount[ch.headcount["annual"]], "all_managers")
    fall_2013 = steps[steps["to"] == pd.Timestamp(HEADCOUNT_DATES["2013"])].iloc[0]
    out["mgmt_hc_fall_2013"] = int(-fall_2013["change"])
    out["mgmt_hc_fall_2013_pct"] = -fall_2013["pct_change"]
    recoding = mg.reclassification_2019_2020(ch.t.workforce)
    out["mgmt_reclass_mgr_fall"] = -recoding["managers_change"]
    out["mgmt_reclass_senior_rise"] = recoding["senior_change"]
    out["mgmt_reclass_net_fall"] = -recoding["total_change"]
    out["mgmt_reclass_staff_growth"] = recoding["staff_change_pct"]
    for key, row in ch.fte.items():
        out[f"mgmt_fte_{key}_per100"] = row["managers_per_100_staff"]
        out[f"mgmt_fte_{key}_staff_per_manager"] = row["staff_per_manager"]
        out[f"mgmt_fte_{key}_managers"] = int(round(row["all_managers_fte"]))
        out[f"mgmt_fte_{key}_staff"] = int(round(row["staff_fte"]))
    latest = ch.fte[str(ch.latest.year)]
    out["mgmt_fte_2025_n_orgs"] = int(latest["n_orgs"])
    return out | like_for_like_numbers(ch) | published_numbers(ch)


def like_for_like_numbers(ch: Management) -> dict:
    """Managers per 100 staff (FTE) in 2017 and 2025 counted the same way, two ways: with no doctor
    in either year's staff (from the data alone), and with resident doctors, whom the 2025 total
    leaves out, added back to it (an assumed range, ``RESIDENT_DOCTORS_FTE``)."""
    first, latest = ch.fte[str(ch.first.year)], ch.fte[str(ch.latest.year)]
    nd_first = mg.density_excluding_doctors(ch.t.staff, ch.first).iloc[0]["managers_per_100_staff"]
    nd_latest = mg.density_excluding_doctors(ch.t.staff, ch.latest).iloc[0]["managers_per_100_staff"]
    lo, hi = mg.RESIDENT_DOCTORS_FTE
    with_lo, with_hi = mg.ratio_with_residents(latest, hi), mg.ratio_with_residents(latest, lo)
    staff = ch.t.staff
    other_doctors = staff[(staff["date"] == ch.latest) & (staff["staff_group_std"] == mg.DOCTOR_GROUPS[1])]
    return {
        "mgmt_fte_2017_per100_nondoctors": nd_first,
        "mgmt_fte_2025_per100_nondoctors": nd_latest,
        "mgmt_fte_fall_nondoctors": 1 - nd_latest / nd_first,
        "mgmt_resident_fte_lo": lo,
        "mgmt_resident_fte_hi": hi,
        "mgmt_other_doctors_2025": float(other_doctors["fte"].sum()),
        "mgmt_fte_2025_per100_residents_lo": with_lo,
        "mgmt_fte_2025_per100_residents_hi": with_hi,
        "mgmt_fte_fall_residents_lo": 1 - with_hi / first["managers_per_100_staff"],
        "mgmt_fte_fall_residents_hi": 1 - with_lo / first["managers_per_100_staff"],
    }


def published_numbers(ch: Management) -> dict:
    """The King's Fund's, the IPPR's and NHS Digital's published figures, and ours beside them."""
    pubv, cmp = ch.published_values, ch.comparison.set_index("ids")
    return {
        "mgmt_kf_2010_ratio": pubv["A4a"],
        "mgmt_kf_2025_ratio": pubv["A4b"],
        "mgmt_kf_2010_managers": pubv["A4c"],
        "mgmt_kf_2010_staff": pubv["A4e"],
        "mgmt_kf_2025_managers": pubv["A4d"],
        "mgmt_kf_2025_staff": pubv["A4f"],
        "mgmt_kf_2010_per100": 100 * pubv["A4c"] / pubv["A4e"],
        "mgmt_kf_2025_per100": 100 * pubv["A4d"] / pubv["A4f"],
        "mgmt_ippr_2010": pubv["A5a"],
        "mgmt_ippr_2019": pubv["A5b"],
        "mgmt_nhsd_2016": cmp.loc["A10a+A10b", "published"],
        "mgmt_ours_2016": cmp.loc["A10a+A10b", "ours"],
        "mgmt_ours_2010_fte_tc": cmp.loc["A4c", "ours"],
        "mgmt_ours_2010_fte_ratio_kfstaff": pubv["A4e"] / cmp.loc["A4c", "ours"],
        "mgmt_fte_2017_file2": ch.by_year.loc[2017, "total"],
    }


def where_numbers(ch: Management) -> dict:
    """Section 2: commissioners against trusts every September, and each type's share."""
    cvt, out = ch.by_year, {}
    for key, year in (("comm", 2009), ("comm", 2012), ("ccg", 2013), ("ccg", 2018)):
        out[f"mgmt_{key}_{year}"] = cvt.loc[year, "commissioners"]
    for year in (2009, 2012, 2013, 2018):
        out[f"mgmt_comm_share_{year}"] = cvt.loc[year, "commissioner_share"]
    out["mgmt_other_2012"] = cvt.loc[2012, "other"]
    out["mgmt_other_2013"] = cvt.loc[2013, "other"]
    return out | commissioner_coverage_numbers(ch) | share_numbers(ch)


def commissioner_coverage_numbers(ch: Management) -> dict:
    """The fall in commissioners' managers across 2013 shown both ways (commissioners alone, and
    with commissioning support units and national bodies), and what the 2013 file covers."""
    cvt, out = ch.by_year, {}
    for year in (2009, 2012, 2013):
        out[f"mgmt_comm_wide_{year}"] = cvt.loc[year, "commissioners"] + cvt.loc[year, "other"]
    out["mgmt_comm_wide_fall_2009_2013"] = 1 - out["mgmt_comm_wide_2013"] / out["mgmt_comm_wide_2009"]
    out["mgmt_comm_wide_fall_2012_2013"] = 1 - out["mgmt_comm_wide_2013"] / out["mgmt_comm_wide_2012"]
    out["mgmt_comm_fall_2009_2013"] = 1 - cvt.loc[2013, "commissioners"] / cvt.loc[2009, "commissioners"]
    m13 = ch.t.managers[ch.t.managers["year"] == 2013]
    out["mgmt_ccg_n_2013"] = int(m13.loc[m13["org_type"] == "CCG", "org_code"].nunique())
    out["mgmt_ccg_only_2013"] = float(m13.loc[m13["org_type"] == "CCG", "managers_fte"].sum())
    out["mgmt_pctsha_2013"] = float(m13.loc[m13["org_type"].isin(["PCT", "SHA"]), "managers_fte"].sum())
    ccgs = ch.t.commissioners[ch.t.commissioners["body_type"] == "CCG"].sort_values("date")
    out["mgmt_ccg_open_2013"] = int(ccgs["count"].iloc[0])
    out["mgmt_ccg_open_2013_date"] = uk_date(ccgs["date"].iloc[0])
    return out


def share_numbers(ch: Management) -> dict:
    """The largest steps in the FTE series, the community trusts of the 2010 transfer, and each
    type's share of the managers of trusts and commissioners (whose commissioners change: PCTs and
    SHAs, then CCGs, then ICBs)."""
    cvt, out = ch.by_year, {}
    out["mgmt_trusts_2009"] = cvt.loc[2009, "trusts"]
    out["mgmt_trusts_2018"] = cvt.loc[2018, "trusts"]
    out["mgmt_trusts_growth_2009_2018"] = cvt.loc[2018, "trusts"] / cvt.loc[2009, "trusts"] - 1
    tc_steps = mg.adjacent_steps(cvt.reset_index(), "trusts_and_commissioners", date="year")
    out["mgmt_fte_step_2013"] = tc_steps.loc[tc_steps["to"] == 2013, "change"].iloc[0]
    tr_steps = mg.adjacent_steps(cvt.reset_index(), "trusts", date="year")
    big = tr_steps.loc[tr_steps["change"].abs().idxmax()]
    out["mgmt_trust_step_from"] = str(int(big["from"]))
    out["mgmt_trust_step_to"] = str(int(big["to"]))
    out["mgmt_trust_step"] = big["change"]
    t = ch.fte_by_type
    community = t[t["org_type"] == "community"].set_index("year")["managers_fte"]
    out["mgmt_community_2010"] = community.loc[2010]
    out["mgmt_community_2012"] = community.loc[2012]
    shares = ch.shares.set_index(["period", "org_type"])["share"]
    latest = short_month_year(ch.latest)
    out["mgmt_acute_share_2009"] = shares.loc[("Sep 2009", "acute")]
    out["mgmt_acute_share_2018"] = shares.loc[("Sep 2018", "acute")]
    out["mgmt_acute_share_2025"] = shares.loc[(latest, "acute")]
    out["mgmt_mh_share_2025"] = shares.loc[(latest, "mental health")]
    out["mgmt_icb_share_2025"] = shares.loc[(latest, "ICB")]
    return out


def by_type_numbers(ch: Management) -> dict:
    """Section 2: managers per 100 staff and per organisation by type, 2017 and 2025."""
    by17, by25, out = ch.by_type_first, ch.by_type_latest, {}
    for ot in ("acute", "mental health", "community", "ambulance", "ICB"):
        out[f"mgmt_{SHORT[ot]}_per100_2025"] = by25.loc[ot, "managers_per_100_staff"]
        out[f"mgmt_{SHORT[ot]}_managers_2025"] = by25.loc[ot, "all_managers_fte"]
    for ot in ("acute", "mental health", "community", "ambulance", "CCG"):
        out[f"mgmt_{SHORT[ot]}_per100_2017"] = by17.loc[ot, "managers_per_100_staff"]
        out[f"mgmt_{SHORT[ot]}_per_org_2017"] = by17.loc[ot, "managers_per_org"]
    for ot in ("acute", "mental health", "community", "ambulance", "ICB"):
        out[f"mgmt_{SHORT[ot]}_per_org_2025"] = by25.loc[ot, "managers_per_org"]
    # the two measures of "heft", volume (managers per organisation) and density (per 100 staff), ranked in 2017
    trust17 = by17.loc[list(mg.TRUST_TYPES)]
    out["mgmt_top_per_org_2017"] = str(trust17["managers_per_org"].idxmax())
    out["mgmt_acute_rank_per_org_2017"] = int(trust17["managers_per_org"].rank(ascending=False).loc["acute"])
    out["mgmt_acute_rank_per100_2017"] = int(trust17["managers_per_100_staff"].rank(ascending=False).loc["acute"])
    out["mgmt_n_trust_types"] = int(len(trust17))
    out["mgmt_acute_vs_ccg_per_org_2017"] = by17.loc["acute", "managers_per_org"] / by17.loc["CCG", "managers_per_org"]
    out["mgmt_icb_staff_2025"] = by25.loc["ICB", "staff_fte"]
    out["mgmt_ccg_managers_2017"] = by17.loc["CCG", "all_managers_fte"]
    out["mgmt_ccg_staff_2017"] = by17.loc["CCG", "staff_fte"]
    out["mgmt_ccg_n_2017"] = int(by17.loc["CCG", "n_orgs"])
    out["mgmt_icb_n_2025"] = int(by25.loc["ICB", "n_orgs"])
    cot = ch.t.commissioners
    ccg_open = cot[(cot["body_type"] == "CCG") & (pd.to_datetime(cot["date"]) == ch.first)]["count"]
    out["mgmt_ccg_open_2017"] = int(ccg_open.iloc[0])
    out["mgmt_icb_vs_2009"] = by25.loc["ICB", "all_managers_fte"] / ch.by_year.loc[2009, "commissioners"]
    out["mgmt_comm_share_2017"] = ch.by_year.loc[2017, "commissioner_share"]
    by18 = ch.by_type(ch.last_annual)
    out["mgmt_trust_fte_2018"] = by18.loc[by18.index.isin(mg.TRUST_TYPES), "staff_fte"].sum()
    out["mgmt_trust_fte_2025"] = by25.loc[list(mg.TRUST_TYPES), "staff_fte"].sum()
    hcd = ch.headcount.set_index("date")
    out["mgmt_hc_2021_staff"] = int(hcd.loc[pd.Timestamp(HEADCOUNT_2021), "all_staff"])
    staff = ch.t.staff
    trusts25 = mg.managers_and_staff(staff[staff["org_type"].isin(mg.TRUST_TYPES)], ch.latest).iloc[0]
    out["mgmt_trusts_per100_2025"] = trusts25["managers_per_100_staff"]
    out["mgmt_acute_staff_share_2025"] = by25.loc["acute", "staff_fte"] / by25["staff_fte"].sum()
    return out


def systems_numbers(ch: Management) -> dict:
    """Section 3: the spread of managers per 100 staff (and per 100,000 people) across the systems."""
    dens, out = ch.density, {}
    sp = mg.ics_spread(dens)
    for k in ["min", "max", "median", "q1", "q3", "ratio", "min_name", "max_name", "n"]:
        out[f"mgmt_ics_{k}"] = sp[k]
    spk = mg.ics_spread(dens, "managers_per_100k_population")
    for k in ["min", "max", "median", "ratio", "min_name", "max_name"]:
        out[f"mgmt_ics100k_{k}"] = spk[k]
    spt = mg.ics_spread(dens, "trust_managers_per_100_staff")
    for k in ["min", "max", "ratio"]:
        out[f"mgmt_icstrust_{k}"] = spt[k]
    spc = mg.ics_spread(dens, "commissioner_managers_per_100_staff")
    for k in ["min", "max", "min_name", "max_name"]:
        out[f"mgmt_icsicb_{k}"] = spc[k]
    # how much of the spread survives without the organisations most likely to code jobs differently
    rob = ch.spread_robustness
    variants = [rob[k] for k in ("trusts", "all_but_outliers", "trusts_but_outliers")]
    out["mgmt_ics_iq_ratio"] = rob["all"]["iq_ratio"]
    out["mgmt_ics_iq_ratio_lo"] = min(v["iq_ratio"] for v in variants)
    out["mgmt_ics_iq_ratio_hi"] = max(v["iq_ratio"] for v in variants)
    out["mgmt_ics_ratio_lo"] = min(v["ratio"] for v in variants)
    out["mgmt_ics_ratio_hi"] = max(v["ratio"] for v in variants)
    out["mgmt_ics_n_outliers"] = len(rob["outliers"])
    out["mgmt_ics_outlier_fence"] = rob["fences"][1]
    out["mgmt_ics_outliers"] = "; ".join(
        f"{o['org_name']} ({o['managers_per_100_staff']:.1f})" for o in rob["outliers"]
    )
    out["mgmt_ics_without_max_name"] = rob["trusts_but_outliers"]["max_name"]
    out["mgmt_ics_without_min_name"] = rob["trusts_but_outliers"]["min_name"]
    london = dens[dens["region_name"] == "London"]
    out["mgmt_ics_london_in_top10"] = int((london["rank"] <= 10).sum())
    out["mgmt_ics_n_london"] = int(len(london))
    latest = ch.fte[str(ch.latest.year)]
    out["mgmt_eng_per100k"] = 1e5 * latest["all_managers_fte"] / ch.t.icbs["population"].sum()
    return out


def heft_numbers(ch: Management) -> dict:
    """Section 3b: managers per organisation, each organisation's density, the wider definition."""
    heft, out = ch.heft, {}
    for year in ch.heft_years:
        for ot in ("acute", "mental health", "CCG", "ICB"):
            if (year, ot) in heft.index:
                row = heft.loc[(year, ot)]
                for stat in ("median", "q1", "q3", "min", "max", "n"):
                    out[f"mgmt_heft_{SHORT[ot]}_{year}_{stat}"] = int(row[stat]) if stat == "n" else row[stat]
    out["mgmt_heft_ccg_growth_2013_2018"] = heft.loc[(2018, "CCG"), "median"] / heft.loc[(2013, "CCG"), "median"]
    out["mgmt_heft_icb_vs_ccg_2018"] = heft.loc[(ch.latest.year, "ICB"), "median"] / heft.loc[(2018, "CCG"), "median"]
    dens = ch.org_density
    median = dens.groupby(["date", "org_type"])["managers_per_100_staff"].median()
    out["mgmt_orgdens_ccg_2017_median"] = median[(ch.first, "CCG")]
    out["mgmt_orgdens_icb_2025_median"] = median[(ch.latest, "ICB")]
    out["mgmt_orgdens_acute_2025_median"] = median[(ch.latest, "acute")]
    tr25 = dens[(dens["date"] == ch.latest) & dens["org_type"].isin(finance.TRUST_TYPES)]
    out["mgmt_orgdens_trust_2025_min"] = tr25["managers_per_100_staff"].min()
    out["mgmt_orgdens_trust_2025_max"] = tr25["managers_per_100_staff"].max()
    out["mgmt_orgdens_trust_2025_max_name"] = tr25.loc[tr25["managers_per_100_staff"].idxmax(), "org_name"]
    return out | wider_numbers(ch)


def wider_numbers(ch: Management) -> dict:
    """Section 3b: managers per 100 staff with central functions added, and managers per consultant."""
    wide, out = ch.wider, {}
    for d in (ch.first, ch.latest):
        for ot, short in (("England", "eng"), ("acute", "acute"), ("mental health", "mh")):
            out[f"mgmt_wide_{short}_{d.year}"] = wide.loc[(d, ot), "wide_per_100"]
            out[f"mgmt_narrow_{short}_{d.year}"] = wide.loc[(d, ot), "narrow_per_100"]
        for ot, short in (("community", "community"), ("ambulance", "amb")):
            out[f"mgmt_wide_{short}_{d.year}"] = wide.loc[(d, ot), "wide_per_100"]
            out[f"mgmt_narrow_{short}_{d.year}"] = wide.loc[(d, ot), "narrow_per_100"]
    e17, e25 = wide.loc[(ch.first, "England")], wide.loc[(ch.latest, "England")]
    out["mgmt_central_2025"] = e25["central_fte"]
    out["mgmt_wide_multiple_2025"] = e25["wide_per_100"] / e25["narrow_per_100"]
    out["mgmt_wide_change_2017_2025"] = e25["wide_per_100"] - e17["wide_per_100"]
    # like for like: the resident doctors the 2025 staff total leaves out added back (an assumed range)
    wide_managers = e25["managers_fte"] + e25["central_fte"]
    for end, resident_fte in zip(("lo", "hi"), sorted(mg.RESIDENT_DOCTORS_FTE, reverse=True)):
        with_residents = 100 * wide_managers / (e25["staff_fte"] + resident_fte)
        out[f"mgmt_wide_change_residents_{end}"] = with_residents - e17["wide_per_100"]
    out["mgmt_narrow_change_2017_2025"] = e25["narrow_per_100"] - e17["narrow_per_100"]
    # acute trusts the least densely managed type (the last rank) on both definitions, at both snapshots
    acute_last = all(
        wide.loc[(d, "acute"), f"{c}_rank"] == len(wide.loc[d].drop(index="England"))
        for d in (ch.first, ch.latest)
        for c in ("narrow", "wide")
    )
    out["mgmt_wide_acute_last"] = "the fewest" if acute_last else "not the fewest"
    mpi = ch.per_consultant.set_index(["year", "org_type"])["managers_per_consultant"]
    for ot, short in (("All trusts", "all"), ("acute", "acute"), ("mental health", "mh")):
        out[f"mgmt_mpc_{short}_2009"] = mpi[(2009, ot)]
        out[f"mgmt_mpc_{short}_2018"] = mpi[(2018, ot)]
    allt = ch.per_consultant[ch.per_consultant["org_type"] == "All trusts"].set_index("year")
    out["mgmt_cons_growth_2009_2018"] = allt.loc[2018, "consultants_fte"] / allt.loc[2009, "consultants_fte"] - 1
    out["mgmt_mgr_growth_2009_2018"] = allt.loc[2018, "managers_fte"] / allt.loc[2009, "managers_fte"] - 1
    return out


def money_numbers(ch: Management) -> dict:
    """Section 3c: the trust sector's finances, and management against trusts' surpluses."""
    sec, out = ch.sector, {}
    for y in (2010, 2013, 2015, 2017, 2018):
        r = sec.loc[y]
        out[f"mgmt_fin_{y}_label"] = r["label"]
        out[f"mgmt_fin_{y}_net_bn"] = r["net_bn"]
        out[f"mgmt_fin_{y}_cost_bn"] = r["cost_bn"]
        out[f"mgmt_fin_{y}_share_deficit"] = r["share_deficit"]
        out[f"mgmt_fin_{y}_n_deficit"] = int(r["n_deficit"])
        out[f"mgmt_fin_{y}_n_trusts"] = int(r["n_trusts"])
        out[f"mgmt_fin_{y}_gross_deficit_bn"] = -r["gross_deficit_bn"]
    worst = sec["net_bn"].idxmin()
    out["mgmt_fin_worst_label"] = sec.loc[worst, "label"]
    out["mgmt_fin_worst_deficit_bn"] = -sec.loc[worst, "net_bn"]
    out["mgmt_fin_worst_share_deficit"] = sec.loc[worst, "share_deficit"]
    out["mgmt_fin_cost_growth_pa"] = (sec.loc[2018, "cost_bn"] / sec.loc[2010, "cost_bn"]) ** (1 / 8) - 1
    out["mgmt_fin_cost_to_90_pct"] = 90 / sec.loc[2018, "cost_bn"] - 1
    out["mgmt_fin_last_label"] = sec.loc[sec.index.max(), "label"]
    ai = ch.associations.set_index("measure")
    for m, short in (
        ("managers_per_10m", "per10m"),
        ("managers_per_consultant", "perconsultant"),
        ("managers_per_100_staff", "per100"),
    ):
        for c in ("rho", "rho_lo", "rho_hi", "coef_per_sd", "coef_lo", "coef_hi"):
            out[f"mgmt_assoc_{short}_{c}"] = ai.loc[m, c]
    out["mgmt_assoc_n"] = int(ai.loc["managers_per_10m", "n"])
    out["mgmt_assoc_n_trusts"] = int(ai.loc["managers_per_10m", "n_trusts"])
    out["mgmt_assoc_sd_per10m"] = float(ch.panel["managers_per_10m"].std())
    out["mgmt_assoc_per10m_reading"] = association_reading(
        ai.loc["managers_per_10m", "coef_lo"], ai.loc["managers_per_10m", "coef_hi"]
    )
    out |= robustness_numbers(ch)
    out["mgmt_assoc_n_2017"] = int(ai.loc["managers_per_100_staff", "n"])
    lo100, hi100 = ai.loc["managers_per_100_staff", "coef_lo"], ai.loc["managers_per_100_staff", "coef_hi"]
    out["mgmt_assoc_per100_reading"] = association_reading(lo100, hi100)
    out["mgmt_assoc_per100_direction"] = "better" if ai.loc["managers_per_100_staff", "coef_per_sd"] > 0 else "worse"
    out["mgmt_assoc_2017_n"] = int((ch.panel["year"] == MONEY_YEAR).sum())
    out["mgmt_n_boot"] = N_BOOT
    return out


def association_reading(lo: float, hi: float) -> str:
    """An association in words, from the 95% interval of its estimate: "no clear association"
    when the interval holds zero, else "a positive association" or "a negative association"."""
    if lo <= 0 <= hi:
        return "no clear association"
    return "a positive association" if lo > 0 else "a negative association"


def per100_years_reading(robustness: pd.DataFrame) -> str:
    """What the years with managers per 100 staff by trust show, in words: one reading when they
    agree ("a positive association in both years"), each year's otherwise."""
    rows = robustness[robustness["kind"].eq("regression") & robustness.index.str.fullmatch(r"per100_\d{4}")]
    readings = [association_reading(r["lo"], r["hi"]) for _, r in rows.iterrows()]
    years = [finance.year_label(int(k[-4:])) for k in rows.index]
    if len(set(readings)) == 1:
        return f"{readings[0]} in {'both years' if len(years) == 2 else words.and_list(years)}"
    return words.and_list([f"{r} in {y}" for r, y in zip(readings, years)])


def robustness_numbers(ch: Management) -> dict:
    """The associations under other specifications, each with its interval and its count, and
    the deficits of the trusts with accounts in every year."""
    out = {}
    for key, row in ch.robustness.iterrows():
        out[f"mgmt_rob_{key}"] = row["estimate"]
        out[f"mgmt_rob_{key}_lo"] = row["lo"]
        out[f"mgmt_rob_{key}_hi"] = row["hi"]
        out[f"mgmt_rob_{key}_n"] = int(row["n"])
    within = ch.robustness.loc["per10m_within"]
    out["mgmt_rob_within_reading"] = association_reading(within["lo"], within["hi"])
    out["mgmt_rob_per100_years_reading"] = per100_years_reading(ch.robustness)
    cp = ch.constant_panel
    out["mgmt_fin_panel_n"] = int(cp["n_trusts"].iloc[0])
    for y in (2010, 2015, 2017):
        out[f"mgmt_fin_panel_{y}_n_deficit"] = int(cp.loc[y, "n_deficit"])
        out[f"mgmt_fin_panel_{y}_share_deficit"] = cp.loc[y, "share_deficit"]
    return out


def boards_numbers(ch: Management) -> dict:
    """The spread of managers per 100 staff across the boards of 1 April 2026."""
    b26 = ch.boards_2026
    sp26 = mg.ics_spread(b26.rename(columns={"icb_2026_code": "icb_code", "icb_2026_name": "icb_name"}))
    out = {f"mgmt_b26_{k}": sp26[k] for k in ["min", "max", "median", "ratio", "min_name", "max_name", "n"]}
    out["mgmt_b26_n_estimate"] = int(b26["estimate"].sum())
    differ = boards.basis_differences(ch.density, b26)
    out["mgmt_b26_n_unchanged"] = int((~b26["changed_2026"].astype(bool)).sum())
    out["mgmt_b26_basis_n"] = words.number_words(len(differ))
    out["mgmt_b26_basis_names"] = words.and_list(list(differ["icb_name"]))
    return out


def running_cost_numbers(ch: Management) -> dict:
    """Section 4: the ICBs' running cost allowances per head, and the published caps and cuts."""
    eng = ch.england_running_costs
    eng_ons = mg.england_running_cost_per_head(ch.t.allocations, ch.t.icbs, population="ons_mid2020")
    years = list(eng["financial_year"])
    pubv = ch.published_values
    last = ch.running_costs[ch.running_costs["financial_year"] == years[-1]].set_index("icb_code")
    return {
        "mgmt_rca_first_year": years[0],
        "mgmt_rca_last_year": years[-1],
        "mgmt_rca_eng_first": eng["gbp_per_head"].iloc[0],
        "mgmt_rca_eng_mid": eng["gbp_per_head"].iloc[1],
        "mgmt_rca_eng_last": eng["gbp_per_head"].iloc[-1],
        "mgmt_rca_total_first_m": eng["rca_gbp"].iloc[0] / 1e6,
        "mgmt_rca_total_last_m": eng["rca_gbp"].iloc[-1] / 1e6,
        "mgmt_rca_total_change": -eng["change_from_first"].iloc[-1],
        "mgmt_rca_eng_last_ons": eng_ons["gbp_per_head"].iloc[-1],
        "mgmt_rca_min": last["gbp_per_head"].min(),
        "mgmt_rca_max": last["gbp_per_head"].max(),
        "mgmt_rca_min_name": last.loc[last["gbp_per_head"].idxmin(), "icb_name"],
        "mgmt_rca_max_name": last.loc[last["gbp_per_head"].idxmax(), "icb_name"],
        "mgmt_ccg_rca_2013": pubv["C1a"],
        "mgmt_ccg_rca_2015": pubv["C3b"],
        "mgmt_cut_2025": pubv["C6a"] / 100,
        "mgmt_half_rca": half_running_cost(ch),
        "mgmt_blueprint_per_head": pubv["C7a"],
        "mgmt_mackey_high": pubv["C7b"],
        "mgmt_mackey_low": pubv["C7c"],
        "mgmt_cut_2023_20": pubv["C5a"] / 100,
        "mgmt_cut_2023_30": pubv["C5b"] / 100,
    }


def half_running_cost(ch: Management) -> float:
    """England's running cost allowance per head in the last year, after the announced cut."""
    return ch.england_running_costs["gbp_per_head"].iloc[-1] * (1 - ch.published_values["C6a"] / 100)


def international_numbers(ch: Management) -> dict:
    """Section 5: published shares of health spending that go on administration."""
    ic = ch.international
    england = ic[(ic["country"] == "England") & (ic["family"] == "England: national administration budget")]
    england = england.set_index("year")["share_pct"]
    return {
        "mgmt_intl_uk": ch.international_share("United Kingdom", "chpi2017admin", below=2),
        "mgmt_intl_oecd": ch.international_share("OECD average", "hagenaars2018admin"),
        "mgmt_intl_iceland": ch.international_share("Iceland", "hagenaars2018admin"),
        "mgmt_intl_us": ch.international_share("United States", "hagenaars2018admin"),
        "mgmt_intl_eng_2010": england.loc["2010-11"],
        "mgmt_intl_eng_2013": england.loc["2013-14"],
    }


#: The claims whose verdicts the chapter's verdict section prints (``mgmt_verdict_<id>``), read
#: from the ledger so that the chapter cannot disagree with it.
VERDICT_CLAIMS = ("C01", "C02", "C03", "C18", "C26", "C30")


def verdict_numbers(ch: Management) -> dict:
    """The ledger's verdicts of :data:`VERDICT_CLAIMS` (:func:`words.ledger_verdicts`)."""
    return words.ledger_verdicts(ch.t.claims, VERDICT_CLAIMS, "mgmt_verdict_")


def chapter_numbers(ch: Management) -> dict:
    """Every number and phrase the chapter's prose prints, by the name it is glued under."""
    parts = (national_numbers, where_numbers, by_type_numbers, systems_numbers, heft_numbers, money_numbers)
    out = words.period_numbers("staff", "trusts_file", "allowances")
    for part in parts + (boards_numbers, running_cost_numbers, international_numbers, verdict_numbers):
        out |= part(ch)
    return out
