"""Analysis helpers for the management-capacity chapter and the briefings.

Every function takes processed tables as returned by :func:`nhsreport.data.load` and returns a
plain number, a dict or a small DataFrame, so the chapter's text, its charts and the PDF
briefings all compute the same figures in the same way.

Definitions used throughout
---------------------------
*Managers* are the two ESR staff groups "Managers" and "Senior managers" added together (the
narrow definition used by NHS Digital and NHS England; it leaves out clinicians in management
roles and administrative and clerical staff).

Denominators:

* ``staff_by_org`` (FTE): "All staff" is the published "All staff groups" row of each
  organisation. In 2017/18 it includes all doctors; in the 2025 files it **excludes resident
  doctors** (doctors in training), so the 2025 ratio is higher than it would be on the 2017/18
  basis. Organisations are NHS trusts and CCGs (2017/18) or NHS trusts and ICBs (2025).
* ``workforce_national`` (headcount): "All staff" is the sum of the 13 role groups (staff
  with a recorded ethnicity unless ``column="headcount_incl_unknown_ethnicity"``), NHS trusts
  and commissioners only.
* Population for ICSs: ONS mid-2020 estimate summed to the July 2022 ICBs (``icbs.population``).
* Population for running costs: by default each year's *allocation population* (the recurrent
  core allocation divided by its published £ per head, i.e. the population NHS England uses for
  allocations, which is close to the GP-registered list and larger than the ONS resident
  population); ``population="ons_mid2020"`` uses the ONS mid-2020 population instead.
"""

from __future__ import annotations

import pandas as pd

from nhsreport.formatting import month_year, short_month_year
from nhsreport.schema import SERVICE_TRUST_TYPES

__all__ = [
    "MANAGER_GROUPS",
    "COMMISSIONER_TYPES",
    "TRUST_TYPES",
    "ORG_TYPE_ORDER",
    "snapshot_date",
    "managers_and_staff",
    "managers_per_100_staff",
    "density_by_ics",
    "ics_spread",
    "headcount_series",
    "adjacent_steps",
    "reclassification_2019_2020",
    "fte_by_org_type",
    "commissioners_vs_trusts",
    "running_cost_per_head",
    "england_running_cost_per_head",
    "admin_cost_families",
    "published_comparison",
    "org_type_shares",
    "org_density",
    "outlying_trusts",
    "spread_without_extremes",
    "density_excluding_doctors",
    "RESIDENT_DOCTORS_FTE",
    "ratio_with_residents",
]

MANAGER_GROUPS = ("Managers", "Senior managers")
ALL_STAFF = "All staff"
COMMISSIONER_TYPES = ("SHA", "PCT", "CCG", "ICB")
TRUST_TYPES = SERVICE_TRUST_TYPES  # the trusts of the staff tables
ORG_TYPE_ORDER = ["SHA", "PCT", "CCG", "ICB", "CSU/other", "other", "acute", "mental health", "community", "ambulance"]


def _group_of(org_type: str) -> str:
    if org_type in COMMISSIONER_TYPES:
        return "commissioners"
    if org_type in TRUST_TYPES:
        return "trusts"
    return "other"


# ---------------------------------------------------------------------------------------------
# staff_by_org: FTE cross-sections 2017, 2018, 2025
# ---------------------------------------------------------------------------------------------


def snapshot_date(staff_by_org: pd.DataFrame, date=None) -> pd.Timestamp:
    """The snapshot date to use: ``date`` if it is in the table, the latest one if ``None``."""
    dates = pd.DatetimeIndex(staff_by_org["date"].unique()).sort_values()
    if date is None:
        return dates[-1]
    d = pd.Timestamp(date)
    if d not in dates:
        raise ValueError(
            f"no staff_by_org snapshot on {d.date()}; snapshots: {', '.join(str(x.date()) for x in dates)}"
        )
    return d


def managers_and_staff(staff_by_org: pd.DataFrame, date=None, by=None) -> pd.DataFrame:
    """Managers, senior managers and all staff (FTE) at one snapshot, for England or by group.

    ``by``: ``None`` (one row for England), a column name (``"org_type"``, ``"icb_code"``,
    ``"org_code"``, ``"region_code"``) or a list of them. Columns: the ``by`` columns,
    ``managers_fte``, ``senior_managers_fte``, ``all_managers_fte`` (the two added),
    ``staff_fte`` ("All staff"), ``n_orgs``, ``managers_per_100_staff``, ``staff_per_manager``
    and ``managers_per_org`` (volume: managers per organisation; the two measures of "management
    heft" are density, per 100 staff, and volume). See the module docstring for what "All staff" covers.
    """
    d = snapshot_date(staff_by_org, date)
    s = staff_by_org[staff_by_org["date"] == d]
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    wanted = {"Managers": "managers_fte", "Senior managers": "senior_managers_fte", ALL_STAFF: "staff_fte"}
    s = s[s["staff_group_std"].isin(list(wanted))]
    idx = keys + ["org_code"]
    wide = (
        s.pivot_table(index=idx, columns="staff_group_std", values="fte", aggfunc="sum", observed=True)
        .rename(columns=wanted)
        .reindex(columns=list(wanted.values()))
        .fillna(0.0)
        .reset_index()
    )
    wide.columns.name = None
    if keys:
        out = (
            wide.groupby(keys, observed=True, dropna=False)
            .agg(
                managers_fte=("managers_fte", "sum"),
                senior_managers_fte=("senior_managers_fte", "sum"),
                staff_fte=("staff_fte", "sum"),
                n_orgs=("org_code", "nunique"),
            )
            .reset_index()
        )
    else:
        out = pd.DataFrame(
            [
                {
                    "managers_fte": wide["managers_fte"].sum(),
                    "senior_managers_fte": wide["senior_managers_fte"].sum(),
                    "staff_fte": wide["staff_fte"].sum(),
                    "n_orgs": wide["org_code"].nunique(),
                }
            ]
        )
    out["all_managers_fte"] = out["managers_fte"] + out["senior_managers_fte"]
    out["managers_per_100_staff"] = 100 * out["all_managers_fte"] / out["staff_fte"]
    out["staff_per_manager"] = out["staff_fte"] / out["all_managers_fte"]
    out["managers_per_org"] = out["all_managers_fte"] / out["n_orgs"]
    out.insert(0, "date", d)
    cols = (
        ["date"]
        + keys
        + [
            "managers_fte",
            "senior_managers_fte",
            "all_managers_fte",
            "staff_fte",
            "n_orgs",
            "managers_per_100_staff",
            "staff_per_manager",
            "managers_per_org",
        ]
    )
    return out[cols]


def managers_per_100_staff(staff_by_org: pd.DataFrame, date=None, by=None):
    """Managers + senior managers FTE per 100 FTE staff ("All staff") at one snapshot.

    ``date``: a snapshot in the table (default: the latest). ``by=None`` returns
    one float for England (all organisations in the file); ``by="org_type"`` or
    ``by="icb_code"`` (or any column of ``staff_by_org``) returns a DataFrame as
    :func:`managers_and_staff` does. In 2025 the denominator excludes resident doctors.
    """
    t = managers_and_staff(staff_by_org, date, by)
    if by is None:
        return float(t["managers_per_100_staff"].iloc[0])
    return t


def density_by_ics(staff_by_org: pd.DataFrame, icbs: pd.DataFrame, date=None) -> pd.DataFrame:
    """Management density of each of the 42 integrated care systems at one snapshot.

    An ICS's organisations are its ICB and the NHS trusts whose ``icb_code`` in ``staff_by_org``
    is that ICB (the trust's published ICS, i.e. where it is headquartered; a trust serving several
    systems, such as an ambulance trust, is counted once, in its own). For 2017/18 snapshots the
    "ICB" is the CCGs mapped to the 2022 footprint.

    Columns: ``icb_code, icb_gss_code, icb_name, region_name, population`` (ONS mid-2020),
    ``n_trusts``, ``managers_fte`` (managers + senior managers), ``staff_fte``,
    ``commissioner_managers_fte``, ``commissioner_staff_fte``, ``trust_managers_fte``,
    ``trust_staff_fte``, ``managers_per_100_staff``, ``trust_managers_per_100_staff``,
    ``commissioner_managers_per_100_staff``, ``managers_per_100k_population``, ``rank``
    (1 = most managers per 100 staff) and ``rank_per_100k`` (1 = most managers per 100,000
    people). Sorted by ``rank``.
    """
    t = managers_and_staff(staff_by_org, date, ["icb_code", "org_type"])
    t["group"] = t["org_type"].map(_group_of)
    agg = lambda frame: frame.groupby("icb_code", observed=True).agg(  # noqa: E731
        managers_fte=("all_managers_fte", "sum"), staff_fte=("staff_fte", "sum"), n_orgs=("n_orgs", "sum")
    )
    allorgs = agg(t)
    comm = agg(t[t["group"] == "commissioners"]).add_prefix("commissioner_")
    trust = agg(t[t["group"] == "trusts"]).add_prefix("trust_")
    out = icbs[["icb_code", "icb_gss_code", "icb_name", "region_name", "population"]].merge(
        allorgs[["managers_fte", "staff_fte"]], left_on="icb_code", right_index=True, how="left"
    )
    out = out.merge(
        comm[["commissioner_managers_fte", "commissioner_staff_fte"]], left_on="icb_code", right_index=True, how="left"
    )
    out = out.merge(
        trust[["trust_n_orgs", "trust_managers_fte", "trust_staff_fte"]],
        left_on="icb_code",
        right_index=True,
        how="left",
    ).rename(columns={"trust_n_orgs": "n_trusts"})
    num = [
        "managers_fte",
        "staff_fte",
        "commissioner_managers_fte",
        "commissioner_staff_fte",
        "trust_managers_fte",
        "trust_staff_fte",
    ]
    out[num] = out[num].astype("float64").fillna(0.0)
    out["n_trusts"] = out["n_trusts"].fillna(0).astype("int64")
    out["population"] = out["population"].astype("int64")
    out["managers_per_100_staff"] = 100 * out["managers_fte"] / out["staff_fte"]
    out["trust_managers_per_100_staff"] = 100 * out["trust_managers_fte"] / out["trust_staff_fte"]
    out["commissioner_managers_per_100_staff"] = 100 * out["commissioner_managers_fte"] / out["commissioner_staff_fte"]
    out["managers_per_100k_population"] = 1e5 * out["managers_fte"] / out["population"]
    out["rank"] = out["managers_per_100_staff"].rank(ascending=False, method="min").astype("int64")
    out["rank_per_100k"] = out["managers_per_100k_population"].rank(ascending=False, method="min").astype("int64")
    cols = [
        "icb_code",
        "icb_gss_code",
        "icb_name",
        "region_name",
        "population",
        "n_trusts",
        "managers_fte",
        "staff_fte",
        "commissioner_managers_fte",
        "commissioner_staff_fte",
        "trust_managers_fte",
        "trust_staff_fte",
        "managers_per_100_staff",
        "trust_managers_per_100_staff",
        "commissioner_managers_per_100_staff",
        "managers_per_100k_population",
        "rank",
        "rank_per_100k",
    ]
    return out[cols].sort_values(["rank", "icb_name"], kind="mergesort").reset_index(drop=True)


def ics_spread(density: pd.DataFrame, column: str = "managers_per_100_staff") -> dict:
    """Spread of ``column`` across systems (a table from :func:`density_by_ics`).

    Returns ``dict(n, min, min_name, min_code, max, max_name, max_code, ratio, median, q1, q3)``;
    ``ratio`` is max / min."""
    s = density.set_index("icb_code")[column].astype("float64")
    names = density.set_index("icb_code")["icb_name"]
    lo, hi = s.idxmin(), s.idxmax()
    return {
        "n": int(s.size),
        "min": float(s[lo]),
        "min_name": str(names[lo]),
        "min_code": str(lo),
        "max": float(s[hi]),
        "max_name": str(names[hi]),
        "max_code": str(hi),
        "ratio": float(s[hi] / s[lo]),
        "median": float(s.median()),
        "q1": float(s.quantile(0.25)),
        "q3": float(s.quantile(0.75)),
    }


DOCTOR_GROUPS = ("HCHS doctors", "HCHS doctors excluding resident doctors")


def org_density(staff_by_org: pd.DataFrame, date=None) -> pd.DataFrame:
    """Each organisation's own managers and senior managers per 100 staff (FTE) at one snapshot.

    Columns: ``org_code, org_name, org_type, icb_code, managers_fte`` (managers + senior
    managers), ``staff_fte``, ``managers_per_100_staff``; sorted by the last."""
    d = snapshot_date(staff_by_org, date)
    s = staff_by_org[(staff_by_org["date"] == d) & staff_by_org["staff_group_std"].isin([*MANAGER_GROUPS, ALL_STAFF])]
    s = s.assign(kind=s["staff_group_std"].map(lambda g: "staff_fte" if g == ALL_STAFF else "managers_fte"))
    names = s.groupby("org_code")[["org_name", "org_type", "icb_code"]].first()
    wide = s.pivot_table(index="org_code", columns="kind", values="fte", aggfunc="sum", observed=True).fillna(0.0)
    out = names.join(wide).reset_index()
    out["managers_per_100_staff"] = 100 * out["managers_fte"] / out["staff_fte"]
    cols = ["org_code", "org_name", "org_type", "icb_code", "managers_fte", "staff_fte", "managers_per_100_staff"]
    return out[cols].sort_values("managers_per_100_staff", kind="mergesort").reset_index(drop=True)


def outlying_trusts(orgs: pd.DataFrame, k: float = 1.5) -> tuple[pd.DataFrame, tuple[float, float]]:
    """The trusts of ``orgs`` (a table from :func:`org_density`) whose managers per 100 staff lie
    outside Tukey's fences, ``k`` interquartile ranges beyond the quartiles of all trusts; and
    the fences. Such values more likely reflect how jobs are coded than how many managers work."""
    t = orgs[orgs["org_type"].isin(TRUST_TYPES)]
    q1, q3 = t["managers_per_100_staff"].quantile([0.25, 0.75])
    lo, hi = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    out = t[(t["managers_per_100_staff"] < lo) | (t["managers_per_100_staff"] > hi)]
    return out.reset_index(drop=True), (float(lo), float(hi))


def _system_spread(orgs: pd.DataFrame, icbs: pd.DataFrame) -> dict:
    g = orgs.groupby("icb_code")[["managers_fte", "staff_fte"]].sum()
    r = (100 * g["managers_fte"] / g["staff_fte"]).reindex(icbs["icb_code"]).dropna()
    names = icbs.set_index("icb_code")["icb_name"]
    lo, hi = r.idxmin(), r.idxmax()
    q1, q3 = r.quantile([0.25, 0.75])
    return {
        "n_systems": int(r.size),
        "n_orgs": int(len(orgs)),
        "min": float(r[lo]),
        "min_name": str(names[lo]),
        "max": float(r[hi]),
        "max_name": str(names[hi]),
        "ratio": float(r[hi] / r[lo]),
        "q1": float(q1),
        "q3": float(q3),
        "iq_ratio": float(q3 / q1),
        "median": float(r.median()),
    }


def spread_without_extremes(staff_by_org: pd.DataFrame, icbs: pd.DataFrame, date=None) -> dict:
    """How much of the spread of managers per 100 staff between systems survives without the
    organisations most likely to code jobs differently.

    Four ways of counting each system: ``all`` (its ICB and trusts, as :func:`density_by_ics`),
    ``trusts`` (its trusts only: ICBs' own staff are mostly managers, from 9 to 53 per 100),
    ``all_but_outliers`` (without the trusts of :func:`outlying_trusts`) and
    ``trusts_but_outliers``. Each gives :func:`_system_spread`: the range between the extreme
    systems (``ratio``, max / min) and between the quartiles (``iq_ratio``, q3 / q1), which does
    not rest on two systems. Also ``outliers`` (the trusts left out, as records) and ``fences``."""
    orgs = org_density(staff_by_org, date)
    orgs = orgs[orgs["icb_code"].isin(icbs["icb_code"])]
    out_t, fences = outlying_trusts(orgs)
    trusts = orgs[orgs["org_type"].isin(TRUST_TYPES)]
    keep = ~orgs["org_code"].isin(out_t["org_code"])
    return {
        "all": _system_spread(orgs, icbs),
        "trusts": _system_spread(trusts, icbs),
        "all_but_outliers": _system_spread(orgs[keep], icbs),
        "trusts_but_outliers": _system_spread(trusts[~trusts["org_code"].isin(out_t["org_code"])], icbs),
        "outliers": out_t[["org_code", "org_name", "org_type", "managers_per_100_staff"]].to_dict("records"),
        "fences": fences,
        "icb_range": (
            float(orgs.loc[orgs["org_type"] == "ICB", "managers_per_100_staff"].min()),
            float(orgs.loc[orgs["org_type"] == "ICB", "managers_per_100_staff"].max()),
        ),
    }


def density_excluding_doctors(staff_by_org: pd.DataFrame, date=None, by=None) -> pd.DataFrame:
    """Managers and senior managers per 100 staff other than doctors (FTE), at one snapshot.

    The published "All staff" total includes resident doctors in 2017/18 but not in 2025, a
    break in the series; leaving every doctor out of the denominator counts both years the same
    way. Columns as :func:`managers_and_staff`, with ``staff_fte`` the staff other than doctors
    and ``managers_per_100_staff`` on that basis."""
    t = managers_and_staff(staff_by_org, date, by)
    d = t["date"].iloc[0]
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    s = staff_by_org[(staff_by_org["date"] == d) & staff_by_org["staff_group_std"].isin(DOCTOR_GROUPS)]
    doctors = s.groupby(keys, observed=True)["fte"].sum() if keys else pd.Series([s["fte"].sum()])
    if keys:
        t = t.merge(doctors.rename("doctors_fte").reset_index(), on=keys, how="left")
    else:
        t["doctors_fte"] = float(doctors.iloc[0])
    t["doctors_fte"] = t["doctors_fte"].fillna(0.0)
    t["staff_fte"] = t["staff_fte"] - t["doctors_fte"]
    t["managers_per_100_staff"] = 100 * t["all_managers_fte"] / t["staff_fte"]
    t["staff_per_manager"] = t["staff_fte"] / t["all_managers_fte"]
    return t


# ---------------------------------------------------------------------------------------------
# workforce_national: headcount series 2009-2022
# ---------------------------------------------------------------------------------------------


def headcount_series(workforce_national: pd.DataFrame, column: str = "headcount") -> pd.DataFrame:
    """Managers and senior managers per 100 staff (headcount), each snapshot September 2009 to June 2022.

    ``column``: ``"headcount"`` (staff with a recorded ethnicity, the basis of the IPPR figures)
    or ``"headcount_incl_unknown_ethnicity"``. Columns: ``date, managers, senior_managers,
    all_managers, all_staff, managers_per_100_staff, staff_per_manager, annual`` (True for the
    September snapshots, which are a year apart)."""
    w = workforce_national[workforce_national["staff_group"].isin([*MANAGER_GROUPS, ALL_STAFF])]
    p = w.pivot_table(index="date", columns="staff_group", values=column, aggfunc="sum").astype("float64")
    out = pd.DataFrame(
        {
            "date": p.index,
            "managers": p["Managers"].to_numpy(),
            "senior_managers": p["Senior managers"].to_numpy(),
            "all_staff": p[ALL_STAFF].to_numpy(),
        }
    )
    out["all_managers"] = out["managers"] + out["senior_managers"]
    out["managers_per_100_staff"] = 100 * out["all_managers"] / out["all_staff"]
    out["staff_per_manager"] = out["all_staff"] / out["all_managers"]
    out["annual"] = out["date"].dt.month == 9
    return out[
        [
            "date",
            "managers",
            "senior_managers",
            "all_managers",
            "all_staff",
            "managers_per_100_staff",
            "staff_per_manager",
            "annual",
        ]
    ].reset_index(drop=True)


def adjacent_steps(series: pd.DataFrame, value: str, date: str = "date") -> pd.DataFrame:
    """Change in ``value`` between adjacent rows of ``series`` (sorted by ``date``).

    Columns: ``from``, ``to``, ``before``, ``after``, ``change``, ``pct_change``. Use it on
    the annual rows of :func:`headcount_series` or on :func:`commissioners_vs_trusts`."""
    s = series.sort_values(date)[[date, value]].reset_index(drop=True)
    out = pd.DataFrame({"from": s[date].shift(1), "to": s[date], "before": s[value].shift(1), "after": s[value]})
    out = out.iloc[1:].reset_index(drop=True)
    out["change"] = out["after"] - out["before"]
    out["pct_change"] = out["change"] / out["before"]
    return out


def reclassification_2019_2020(workforce_national: pd.DataFrame, column: str = "headcount") -> dict:
    """The September 2019 to September 2020 shift between "Managers" and "Senior managers" (headcount).

    Returns ``dict(managers_2019, managers_2020, managers_change, senior_2019, senior_2020,
    senior_change, total_change, staff_change_pct)``."""
    h = headcount_series(workforce_national, column).set_index("date")
    a, b = h.loc[pd.Timestamp("2019-09-01")], h.loc[pd.Timestamp("2020-09-01")]
    return {
        "managers_2019": int(a["managers"]),
        "managers_2020": int(b["managers"]),
        "managers_change": int(b["managers"] - a["managers"]),
        "senior_2019": int(a["senior_managers"]),
        "senior_2020": int(b["senior_managers"]),
        "senior_change": int(b["senior_managers"] - a["senior_managers"]),
        "total_change": int(b["all_managers"] - a["all_managers"]),
        "staff_change_pct": float(b["all_staff"] / a["all_staff"] - 1),
    }


# ---------------------------------------------------------------------------------------------
# managers_by_org: FTE by organisation type 2009-2018
# ---------------------------------------------------------------------------------------------


def fte_by_org_type(managers_by_org: pd.DataFrame) -> pd.DataFrame:
    """Managers + senior managers FTE by year and organisation type, September 2009-2018.

    Columns: ``year, org_type, group`` (commissioners: SHA, PCT, CCG; trusts: acute, mental
    health, community, ambulance; other: CSU/other), ``managers_fte``, ``n_orgs``,
    ``share`` (of all FTE that year, all types) and ``share_of_trusts_and_commissioners`` (of the
    FTE in trusts and commissioners only, the scope that is comparable across the 2013 and 2016
    breaks). Before 2016 CSU/other includes commissioning support units and, in 2013-2015,
    national bodies such as NHS England."""
    g = (
        managers_by_org.groupby(["year", "org_type"], observed=True)
        .agg(managers_fte=("managers_fte", "sum"), n_orgs=("org_code", "nunique"))
        .reset_index()
    )
    g = g[g["managers_fte"] > 0].copy()
    g["group"] = g["org_type"].map(_group_of)
    g["share"] = g["managers_fte"] / g.groupby("year")["managers_fte"].transform("sum")
    core = g["group"] != "other"
    denom = g[core].groupby("year")["managers_fte"].sum()
    g["share_of_trusts_and_commissioners"] = (g["managers_fte"] / g["year"].map(denom)).where(core)
    g["year"] = g["year"].astype("int64")
    order = {t: i for i, t in enumerate(ORG_TYPE_ORDER)}
    g = g.sort_values(["year", "org_type"], key=lambda c: c.map(order) if c.name == "org_type" else c)
    return g[
        ["year", "org_type", "group", "managers_fte", "n_orgs", "share", "share_of_trusts_and_commissioners"]
    ].reset_index(drop=True)


def commissioners_vs_trusts(managers_by_org: pd.DataFrame) -> pd.DataFrame:
    """Managers + senior managers FTE per year in commissioners, trusts and other bodies.

    One row per year 2009-2018: ``year, commissioners, trusts, other, total,
    trusts_and_commissioners, commissioner_share`` (of trusts + commissioners)."""
    t = fte_by_org_type(managers_by_org)
    w = t.pivot_table(index="year", columns="group", values="managers_fte", aggfunc="sum").fillna(0.0)
    w = w.reindex(columns=["commissioners", "trusts", "other"], fill_value=0.0)
    w["total"] = w.sum(axis=1)
    w["trusts_and_commissioners"] = w["commissioners"] + w["trusts"]
    w["commissioner_share"] = w["commissioners"] / w["trusts_and_commissioners"]
    w.columns.name = None
    return w.reset_index()


# ---------------------------------------------------------------------------------------------
# icb_allocations: running-cost allowances per head
# ---------------------------------------------------------------------------------------------


def _populations(icb_allocations: pd.DataFrame, icbs: pd.DataFrame | None, population: str) -> pd.Series:
    if population == "allocation":
        return icb_allocations["allocation_population"].astype("float64")
    if population == "ons_mid2020":
        if icbs is None:
            raise ValueError("population='ons_mid2020' needs the icbs table")
        return icb_allocations["icb_code"].map(icbs.set_index("icb_code")["population"]).astype("float64")
    raise ValueError(f"population must be 'allocation' or 'ons_mid2020', not {population!r}")


def running_cost_per_head(
    icb_allocations: pd.DataFrame, icbs: pd.DataFrame | None = None, population: str = "allocation"
) -> pd.DataFrame:
    """Each ICB's running cost allowance per head, by financial year (2023/24 to 2025/26).

    ``population="allocation"`` (default): the year's allocation population (see the module
    docstring); ``"ons_mid2020"``: ONS mid-2020 population on the 2022 ICB boundaries (needs
    ``icbs``). Columns: ``icb_code, icb_name`` (the short name from ``icbs`` when given, else the
    workbook's), ``region_code, financial_year, rca_gbp, population, population_basis,
    gbp_per_head``. The allowance is a cap on running costs, not spending, in cash terms."""
    a = icb_allocations
    out = pd.DataFrame(
        {
            "icb_code": a["icb_code"],
            "icb_name": a["icb_name"],
            "region_code": a["region_code"],
            "financial_year": a["financial_year"],
            "rca_gbp": a["running_cost_allowance_gbp"].astype("float64"),
            "population": _populations(a, icbs, population),
            "population_basis": population,
        }
    )
    if icbs is not None:
        out["icb_name"] = out["icb_code"].map(icbs.set_index("icb_code")["icb_name"]).fillna(out["icb_name"])
    out["gbp_per_head"] = out["rca_gbp"] / out["population"]
    return out.sort_values(["financial_year", "icb_code"]).reset_index(drop=True)


def england_running_cost_per_head(
    icb_allocations: pd.DataFrame, icbs: pd.DataFrame | None = None, population: str = "allocation"
) -> pd.DataFrame:
    """England's total ICB running cost allowance per head, by financial year.

    Columns: ``financial_year, rca_gbp, population, gbp_per_head, change_from_first``
    (proportional change in the total allowance since the first year, cash terms). The
    population is summed over the 42 ICBs on the same basis as :func:`running_cost_per_head`."""
    r = running_cost_per_head(icb_allocations, icbs, population)
    e = r.groupby("financial_year").agg(rca_gbp=("rca_gbp", "sum"), population=("population", "sum")).reset_index()
    e["gbp_per_head"] = e["rca_gbp"] / e["population"]
    e["change_from_first"] = e["rca_gbp"] / e["rca_gbp"].iloc[0] - 1
    return e


# ---------------------------------------------------------------------------------------------
# published figures and international comparisons
# ---------------------------------------------------------------------------------------------

_SHORT_PUBLISHERS = {
    "International Journal of Health Planning and Management": "Int J Health Plann Manage",
    "UK Parliament": "Parliament",
    "Socialist Health Association": "Socialist Health Assn",
    "House of Commons Health Committee": "Health Committee",
    "Centre for Health and the Public Interest": "CHPI",
}


_SHORT_COUNTRIES = {"United Kingdom": "UK", "United States": "US"}


def admin_cost_families(admin_costs_international: pd.DataFrame) -> pd.DataFrame:
    """The international table with a ``family`` column grouping its incompatible definitions.

    Families: "OECD-type: governance and financing administration" (health-accounts concepts,
    which leave out providers' own administration), "England: national administration budget"
    (DHSC and earlier management-cost series) and "Broad estimates of management and
    administration" (crude, historical or second-hand whole-system estimates). Also adds
    ``label`` (country, year as published, and the publisher of the page read), ``publisher``
    (that publisher, short) and ``short_label`` (the same, shorter, for a chart's axis: "UK", "US",
    and no "year not stated")."""

    def fam(row) -> str:
        text = f"{row['measure']} {row['definition']}".lower()
        if "oecd" in text or "governance" in text or "voluntary health insurance" in text:
            return "OECD-type: governance and financing administration"
        if "dhsc" in text or "management costs" in text:
            return "England: national administration budget"
        return "Broad estimates of management and administration"

    out = admin_costs_international.copy()
    out["family"] = out.apply(fam, axis=1)
    short = out["source_title"].astype(str).str.split(r"[:(]", n=1, regex=True).str[0].str.strip()
    short = short.replace(_SHORT_PUBLISHERS)
    year = (
        out["year"]
        .astype(str)
        .str.replace(r"^not stated \((.*)\)$", r"\1", regex=True)
        .str.replace("not stated", "year not stated", regex=False)
    )
    label = out["country"] + ", " + year + " (" + short + ")"
    dup = label.duplicated(keep=False)
    qualifier = out["measure"].str.replace(r"^administration share\s*", "", regex=True).str.slice(0, 40)
    out["label"] = label.where(~dup, label + ", " + qualifier)
    out["publisher"] = short
    # for a chart's axis: UK and US for the two long country names, no "year not stated", and the
    # qualifier only where one publisher gives two figures for the same country and year
    country = out["country"].replace(_SHORT_COUNTRIES)
    when = year.where(year != "year not stated", "")
    axis = country + when.map(lambda y: f", {y}" if y else "") + " (" + short + ")"
    out["short_label"] = axis.where(~axis.duplicated(keep=False), axis + ", " + qualifier)
    return out


#: How each published count is set against this report's own, one comparison a row: the rows of
#: ``published_management_figures`` compared (``+`` adds their values), what they count, the
#: series of this report that counts the same in the published figure's year, its column, and
#: what our figure is (``{period}``: the date of our figure). The series: ``"headcount"``, the
#: September headcount (:func:`headcount_series`); ``"fte_by_org"``, the September FTE by
#: organisation (:func:`commissioners_vs_trusts`); ``"snapshot"``, the year's latest FTE snapshot
#: of ``staff_by_org`` (:func:`managers_and_staff`).
PUBLISHED_COMPARISONS = (
    (
        "A5a",
        "Managers and senior managers",
        "headcount",
        "all_managers",
        "Headcount, {period}, trusts and commissioners",
    ),
    ("A5b", "Managers and senior managers", "headcount", "all_managers", "Headcount, {period}, trusts and CCGs"),
    ("A10a+A10b", "Managers and senior managers", "fte_by_org", "total", "FTE by organisation, trusts and CCGs"),
    (
        "A1a",
        "Managers and senior managers",
        "fte_by_org",
        "total",
        "FTE by organisation, all bodies in the file (incl. PCTs, SHAs, others)",
    ),
    (
        "A4c",
        "Managers and senior managers",
        "fte_by_org",
        "trusts_and_commissioners",
        "FTE by organisation, trusts, PCTs and SHAs",
    ),
    ("A4d", "Managers and senior managers", "snapshot", "all_managers_fte", "FTE, {period}, trusts and ICBs"),
    ("A4f", "All staff", "snapshot", "staff_fte", "FTE 'All staff groups', {period} (excludes resident doctors)"),
    ("A4b", "Staff per manager", "snapshot", "staff_per_manager", "FTE, {period}, trusts and ICBs"),
    ("A4a", "Staff per manager", "headcount", "staff_per_manager", "Headcount, {period}"),
)


def published_comparison(
    published: pd.DataFrame, workforce_national: pd.DataFrame, managers_by_org: pd.DataFrame, staff_by_org: pd.DataFrame
) -> pd.DataFrame:
    """Published counts of managers set against this report's figures for the same date and scope
    (the comparisons of :data:`PUBLISHED_COMPARISONS`).

    One row per comparison: ``ids`` (rows of ``published_management_figures``), ``figure``,
    ``publisher``, ``published``, ``ours``, ``difference`` (ours - published), ``basis`` (what
    our figure is), ``source_key`` and ``source_url``. Ratios are staff per manager."""
    pub = published.set_index("id")
    series = {
        "headcount": headcount_series(workforce_national),
        "fte_by_org": commissioners_vs_trusts(managers_by_org).set_index("year"),
    }
    rows = []
    for ids, what, kind, column, basis in PUBLISHED_COMPARISONS:
        first = pub.loc[ids.split("+")[0]]
        year = pd.Timestamp(first["date"]).year
        ours, when = _our_figure(series, staff_by_org, kind, column, year)
        rows.append(
            {
                "ids": ids,
                "figure": f"{what}, {_published_period(first)}"
                + ("" if first["unit"] == "ratio" else f" ({first['unit']})"),
                "publisher": first["publisher"],
                "published": float(sum(pub.loc[i, "value"] for i in ids.split("+"))),
                "ours": ours,
                "basis": basis.format(period=month_year(when) if when is not None else ""),
                "source_key": first["source_key"],
                "source_url": first["source_url"],
            }
        )
    out = pd.DataFrame(rows)
    out.insert(5, "difference", out["ours"] - out["published"])
    return out


def _published_period(row: pd.Series) -> str:
    """The period of a published figure as its label gives it: the month of a figure dated to the
    day or month, else the year."""
    if row["date_precision"] in ("day", "month"):
        return month_year(row["date"])
    return str(pd.Timestamp(row["date"]).year)


def _our_figure(series: dict, staff_by_org: pd.DataFrame, kind: str, column: str, year: int):
    """This report's figure ``column`` of series ``kind`` (see :data:`PUBLISHED_COMPARISONS`) in
    ``year``, and the date it refers to (``None`` for a yearly series)."""
    if kind == "headcount":
        hc = series["headcount"]
        september = hc[hc["annual"] & (hc["date"].dt.year == year)]
        if len(september) != 1:
            raise ValueError(f"no single September headcount snapshot in {year}")
        return float(september[column].iloc[0]), september["date"].iloc[0]
    if kind == "fte_by_org":
        return float(series["fte_by_org"].loc[year, column]), None
    if kind == "snapshot":
        dates = pd.DatetimeIndex(staff_by_org["date"].unique())
        latest = dates[dates.year == year].max()
        return float(managers_and_staff(staff_by_org, latest).iloc[0][column]), latest
    raise ValueError(f"unknown series {kind!r}")


def org_type_shares(
    managers_by_org: pd.DataFrame, staff_by_org: pd.DataFrame, years=(2009, 2012, 2013, 2016, 2018), date=None
) -> pd.DataFrame:
    """Each organisation type's share of managers in trusts and commissioners, selected years.

    Years from ``managers_by_org`` (September FTE, dated 30 September; CSUs and national bodies
    left out so that years on either side of the 2013 and 2016 breaks compare like with like) and
    one snapshot of ``staff_by_org`` (default the latest). Columns: ``date`` (the period),
    ``org_type``, ``group``, ``managers_fte``, ``share``."""
    t = fte_by_org_type(managers_by_org)
    t = t[t["year"].isin(list(years)) & (t["group"] != "other")]
    a = pd.DataFrame(
        {
            "date": pd.to_datetime(t["year"].astype(str) + "-09-30"),
            "org_type": t["org_type"],
            "group": t["group"],
            "managers_fte": t["managers_fte"],
        }
    )
    d = snapshot_date(staff_by_org, date)
    s = managers_and_staff(staff_by_org, d, "org_type")
    s = s[s["org_type"].map(_group_of) != "other"]
    b = pd.DataFrame(
        {
            "date": d,
            "org_type": s["org_type"],
            "group": s["org_type"].map(_group_of),
            "managers_fte": s["all_managers_fte"],
        }
    )
    out = pd.concat([a, b], ignore_index=True)
    # grouped by the month's short name and year, as earlier editions did: the order of the groups
    # sets the last bit of pandas' grouped sums, and the book's glued shares stay identical
    period = out["date"].map(short_month_year)
    out["share"] = out["managers_fte"] / out.groupby(period)["managers_fte"].transform("sum")
    return out.reset_index(drop=True)


#: Resident doctors (doctors in training) in NHS trusts, FTE, 2025: the range the chapter assumes
#: when it adds them back to the 2025 staff total, which leaves them out. The turnover files used
#: here do not count them; NHS England's monthly NHS Workforce Statistics (doctors by grade) do.
#: An assumption, stated as one wherever it is used; the like-for-like comparison that needs no
#: assumption is :func:`density_excluding_doctors`.
RESIDENT_DOCTORS_FTE = (70_000, 75_000)


def ratio_with_residents(snapshot: pd.Series, resident_fte: float) -> float:
    """Managers per 100 staff with ``resident_fte`` FTE of resident doctors added to the staff.

    ``snapshot`` is one England row of :func:`managers_and_staff` (``all_managers_fte``,
    ``staff_fte``). From 2025 the "All staff" total of ``staff_by_org`` leaves out resident
    doctors, which the 2017 and 2018 totals include: adding them back puts the 2025 ratio on the
    2017 basis."""
    return float(100 * snapshot["all_managers_fte"] / (snapshot["staff_fte"] + resident_fte))
