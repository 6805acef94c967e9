"""Management heft in volume, a wider definition of management, and management against money.

Pure functions of processed tables (``managers_by_org``, ``staff_by_org``, ``consultants_by_org``,
``trust_finances``), used by the management chapter and its tests.

Definitions
-----------
*Managers* are the ESR staff groups "Managers" and "Senior managers" (the narrow definition of
:mod:`nhsreport.analysis.management`). The *wider definition* adds the staff group "Central
functions" (finance, HR, IT, estates management, corporate administration and the like).
*Surplus* is a trust's net financial position as a percentage of its operating cost. *Managers per
£10m* divides managers FTE (September of year ``t``) by operating cost in financial year ``t``
(April ``t`` to March ``t+1``) in units of £10 million, as the replication data of Asaria, McGuire
and Street do.

Uncertainty
-----------
Associations are given with percentile intervals from a bootstrap that resamples *trusts* (all of
a trust's years together), so the years of one trust are not treated as independent evidence.
They are associations across trusts, not effects of management on finances.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhsreport.analysis import management

TRUST_TYPES = ("acute", "mental health", "community", "ambulance")
HEFT_TYPES = ("acute", "mental health", "community", "ambulance", "CCG", "ICB")
CENTRAL = "Central functions"
N_BOOT = 2000
SEED = 20261201
#: The first financial year (2016 = 2016/17) whose surpluses include Sustainability and
#: Transformation Fund payments, which depended on meeting financial control totals: a policy
#: date, not a reporting period.
STF_FIRST_YEAR = 2016


# ---------------------------------------------------------------------------------------------
# heft in volume: managers per organisation
# ---------------------------------------------------------------------------------------------


def managers_per_org(managers_by_org: pd.DataFrame, staff_by_org: pd.DataFrame, date=None) -> pd.DataFrame:
    """Managers + senior managers FTE of each trust and commissioner: every September 2009-2018
    (``managers_by_org``; CCGs from 2013) and one ``staff_by_org`` snapshot (default the latest,
    trusts and ICBs).

    Columns: ``year`` (the snapshot's year for its rows), ``snapshot`` (the snapshot's date;
    missing for the September rows), ``org_code``, ``org_type``, ``managers_fte``.
    Organisations with no managers are left out."""
    m = managers_by_org[managers_by_org["org_type"].isin(HEFT_TYPES) & (managers_by_org["managers_fte"] > 0)]
    a = pd.DataFrame(
        {
            "year": m["year"].astype("int64"),
            "snapshot": pd.NaT,
            "org_code": m["org_code"],
            "org_type": m["org_type"],
            "managers_fte": m["managers_fte"].astype("float64"),
        }
    )
    d = management.snapshot_date(staff_by_org, date)
    s = density_per_org(staff_by_org, d)
    s = s[s["managers_fte"] > 0]
    b = pd.DataFrame(
        {
            "year": d.year,
            "snapshot": d,
            "org_code": s["org_code"],
            "org_type": s["org_type"],
            "managers_fte": s["managers_fte"].astype("float64"),
        }
    )
    return pd.concat([a, b], ignore_index=True)


def heft_summary(per_org: pd.DataFrame) -> pd.DataFrame:
    """Distribution of managers per organisation by year and type: ``n``, ``total``, ``mean``,
    ``median``, ``q1``, ``q3``, ``min``, ``max`` (FTE)."""
    g = per_org.groupby(["year", "org_type"], observed=True)["managers_fte"]
    out = g.agg(n="size", total="sum", mean="mean", median="median", min="min", max="max")
    out["q1"] = g.quantile(0.25)
    out["q3"] = g.quantile(0.75)
    return out.reset_index().sort_values(["year", "org_type"]).reset_index(drop=True)


def density_per_org(staff_by_org: pd.DataFrame, date) -> pd.DataFrame:
    """Managers per 100 staff of each trust, CCG or ICB at one snapshot, on the narrow and the
    wider definition. Columns: ``date, org_code, org_name, org_type, managers_fte, central_fte,
    staff_fte, managers_per_100_staff, wide_per_100_staff``."""
    d = pd.Timestamp(date)
    s = staff_by_org[(staff_by_org["date"] == d) & staff_by_org["org_type"].isin(HEFT_TYPES)]
    groups = {"Managers": "m", "Senior managers": "s", CENTRAL: "central_fte", "All staff": "staff_fte"}
    s = s[s["staff_group_std"].isin(list(groups))]
    w = (
        s.pivot_table(
            index=["org_code", "org_type"], columns="staff_group_std", values="fte", aggfunc="sum", observed=True
        )
        .rename(columns=groups)
        .reindex(columns=list(groups.values()))
        .fillna(0.0)
    )
    w = w.reset_index()
    w.columns.name = None
    names = s.drop_duplicates("org_code").set_index("org_code")["org_name"]
    w["org_name"] = w["org_code"].map(names)
    w["managers_fte"] = w["m"] + w["s"]
    w = w[w["staff_fte"] > 0]
    w["managers_per_100_staff"] = 100 * w["managers_fte"] / w["staff_fte"]
    w["wide_per_100_staff"] = 100 * (w["managers_fte"] + w["central_fte"]) / w["staff_fte"]
    w.insert(0, "date", d)
    return w[
        [
            "date",
            "org_code",
            "org_name",
            "org_type",
            "managers_fte",
            "central_fte",
            "staff_fte",
            "managers_per_100_staff",
            "wide_per_100_staff",
        ]
    ].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# a wider definition
# ---------------------------------------------------------------------------------------------


def wider_definition(staff_by_org: pd.DataFrame, dates=None) -> pd.DataFrame:
    """Managers per 100 staff on the narrow and the wider definition (adding Central functions),
    for England and each organisation type, at each of ``dates`` (default the first and the
    latest snapshot of ``staff_by_org``).

    Columns: ``date, org_type`` ("England" for all), ``managers_fte, central_fte, staff_fte,
    narrow_per_100, wide_per_100, narrow_rank, wide_rank`` (ranks among the types, 1 = densest)."""
    if dates is None:
        known = pd.DatetimeIndex(staff_by_org["date"].unique()).sort_values()
        dates = (known[0], known[-1])
    rows = []
    for date in dates:
        p = density_per_org(staff_by_org, date)
        for t, g in [("England", p)] + list(p.groupby("org_type", observed=True)):
            rows.append(
                {
                    "date": pd.Timestamp(date),
                    "org_type": t,
                    "managers_fte": g["managers_fte"].sum(),
                    "central_fte": g["central_fte"].sum(),
                    "staff_fte": g["staff_fte"].sum(),
                }
            )
    out = pd.DataFrame(rows)
    out["narrow_per_100"] = 100 * out["managers_fte"] / out["staff_fte"]
    out["wide_per_100"] = 100 * (out["managers_fte"] + out["central_fte"]) / out["staff_fte"]
    types = out["org_type"] != "England"
    for c in ("narrow", "wide"):
        out[f"{c}_rank"] = pd.NA
        out.loc[types, f"{c}_rank"] = (
            out[types].groupby("date")[f"{c}_per_100"].rank(ascending=False, method="min").astype("int64")
        )
    return out


# ---------------------------------------------------------------------------------------------
# managers per consultant
# ---------------------------------------------------------------------------------------------


def managers_per_consultant(managers_by_org: pd.DataFrame, consultants_by_org: pd.DataFrame) -> pd.DataFrame:
    """Managers FTE per consultant FTE in NHS trusts by year (2009-2018) and trust type, and for all
    trusts. Only trusts with both counts that year are used.

    Columns: ``year, org_type`` ("All trusts" for the total), ``managers_fte, consultants_fte,
    n_trusts, managers_per_consultant``."""
    m = managers_by_org[managers_by_org["org_type"].isin(TRUST_TYPES)][["year", "org_code", "org_type", "managers_fte"]]
    c = consultants_by_org[["year", "org_code", "consultants_fte"]]
    j = m.merge(c, on=["year", "org_code"], how="inner")
    j = j[j["consultants_fte"] > 0]
    by_type = (
        j.groupby(["year", "org_type"], observed=True)
        .agg(
            managers_fte=("managers_fte", "sum"),
            consultants_fte=("consultants_fte", "sum"),
            n_trusts=("org_code", "nunique"),
        )
        .reset_index()
    )
    allt = (
        j.groupby("year")
        .agg(
            managers_fte=("managers_fte", "sum"),
            consultants_fte=("consultants_fte", "sum"),
            n_trusts=("org_code", "nunique"),
        )
        .reset_index()
        .assign(org_type="All trusts")
    )
    out = pd.concat([allt, by_type], ignore_index=True)
    out["managers_per_consultant"] = out["managers_fte"] / out["consultants_fte"]
    return out[["year", "org_type", "managers_fte", "consultants_fte", "n_trusts", "managers_per_consultant"]]


# ---------------------------------------------------------------------------------------------
# management and money
# ---------------------------------------------------------------------------------------------


def sector_position(trust_finances: pd.DataFrame) -> pd.DataFrame:
    """The trust sector's finances by financial year (2010 = 2010/11).

    Columns: ``year, label`` ("2010/11"), ``n_trusts`` (with accounts), ``income_bn, cost_bn,
    net_bn`` (net financial position, £bn), ``net_pct_cost``, ``n_deficit``, ``share_deficit``
    (of trusts with accounts), ``gross_deficit_bn`` (the deficits alone) and ``gross_surplus_bn``."""
    f = trust_finances[trust_finances["reported"].astype(bool)]
    g = f.groupby("year")
    out = pd.DataFrame(
        {
            "n_trusts": g["org_code"].nunique(),
            "income_bn": g["income_gbp_k"].sum() / 1e6,
            "cost_bn": g["cost_gbp_k"].sum() / 1e6,
            "net_bn": g["surplus_gbp_k"].sum() / 1e6,
            "n_deficit": g["surplus_gbp_k"].apply(lambda s: int((s < 0).sum())),
            "gross_deficit_bn": g["surplus_gbp_k"].apply(lambda s: s[s < 0].sum()) / 1e6,
            "gross_surplus_bn": g["surplus_gbp_k"].apply(lambda s: s[s > 0].sum()) / 1e6,
        }
    ).reset_index()
    out["net_pct_cost"] = 100 * out["net_bn"] / out["cost_bn"]
    out["share_deficit"] = out["n_deficit"] / out["n_trusts"]
    out.insert(1, "label", [f"{y}/{(y + 1) % 100:02d}" for y in out["year"]])
    return out


def trust_panel(
    trust_finances: pd.DataFrame,
    managers_by_org: pd.DataFrame,
    consultants_by_org: pd.DataFrame,
    staff_by_org: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per trust and financial year 2010-2018 with finances, managers and consultants.

    Columns: ``year, org_code, org_name, org_type, cost_gbp_k, surplus_gbp_k, surplus_pct`` (net
    position, % of operating cost), ``in_deficit``, ``managers_fte``, ``consultants_fte``,
    ``managers_per_10m`` (managers per £10m of operating cost), ``managers_per_consultant``
    (trusts with at least 10 FTE consultants), ``log_cost`` and, given ``staff_by_org``,
    ``managers_per_100_staff`` in the financial years that hold a staff snapshot
    (:func:`density_snapshots`: September 2017 for 2017/18, June 2018 for 2018/19; managers and
    staff both from that snapshot). Trust-years without accounts or without a managers count are
    left out."""
    f = trust_finances[trust_finances["reported"].astype(bool) & trust_finances["org_type"].isin(TRUST_TYPES)]
    f = f[f["cost_gbp_k"] > 0]
    m = managers_by_org[["year", "org_code", "managers_fte"]]
    c = consultants_by_org[["year", "org_code", "consultants_fte"]]
    p = f.merge(m, on=["year", "org_code"], how="inner").merge(c, on=["year", "org_code"], how="left")
    p = p[p["managers_fte"] > 0].copy()
    p["surplus_pct"] = 100 * p["surplus_gbp_k"] / p["cost_gbp_k"]
    p["in_deficit"] = p["surplus_gbp_k"] < 0
    p["managers_per_10m"] = p["managers_fte"] / (p["cost_gbp_k"] / 1e4)
    p["managers_per_consultant"] = (p["managers_fte"] / p["consultants_fte"]).where(p["consultants_fte"] >= 10)
    p["log_cost"] = np.log(p["cost_gbp_k"].astype("float64"))
    cols = [
        "year",
        "org_code",
        "org_name",
        "org_type",
        "cost_gbp_k",
        "surplus_gbp_k",
        "surplus_pct",
        "in_deficit",
        "managers_fte",
        "consultants_fte",
        "managers_per_10m",
        "managers_per_consultant",
        "log_cost",
    ]
    if staff_by_org is not None:
        p["managers_per_100_staff"] = np.nan
        for year, date in density_snapshots(staff_by_org, p["year"].unique()).items():
            dens = density_per_org(staff_by_org, date).set_index("org_code")["managers_per_100_staff"]
            in_year = p["year"] == year
            p.loc[in_year, "managers_per_100_staff"] = p.loc[in_year, "org_code"].map(dens)
        cols.append("managers_per_100_staff")
    return p[cols].sort_values(["year", "org_code"]).reset_index(drop=True)


def density_snapshots(staff_by_org: pd.DataFrame, years) -> dict[int, pd.Timestamp]:
    """The staff snapshot used for each financial year of ``years`` (2017 = 2017/18) that holds
    one: the first snapshot of ``staff_by_org`` in that calendar year, e.g. ``{2017: 30 September
    2017, 2018: 30 June 2018}``, both inside their financial year."""
    known = pd.DatetimeIndex(staff_by_org["date"].unique()).sort_values()
    wanted = {int(y) for y in years}
    out: dict[int, pd.Timestamp] = {}
    for date in known:
        if date.year in wanted and date.year not in out:
            out[date.year] = date
    return out


def average_ranks(x: np.ndarray) -> np.ndarray:
    """The ranks of ``x`` (1 = smallest), ties sharing the average of their places: pandas'
    ``Series.rank()`` without NaN, the same numbers without a Series for each of the bootstrap's
    thousands of draws."""
    order = np.argsort(x, kind="mergesort")
    ordered = x[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, len(x)])
    ranks = np.empty(len(x), dtype=float)
    ranks[order] = np.repeat(starts + (counts + 1) / 2, counts)
    return ranks


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(average_ranks(x), average_ranks(y))[0, 1])


def _tie_groups(x: np.ndarray) -> tuple[np.ndarray, int]:
    """For each value of ``x`` (no NaN), the number of its tie group (0 = the smallest value), and
    the number of groups."""
    values, group = np.unique(x, return_inverse=True)
    return group.reshape(-1), len(values)


def _resample_ranks(group: np.ndarray, n_groups: int, rows: np.ndarray) -> np.ndarray:
    """``average_ranks(x[rows])`` from the tie groups of ``x`` (:func:`_tie_groups`), by counting
    each group's values in the resample rather than sorting them: a value's rank is the number of
    smaller values plus the average place among its ties, the same numbers exactly."""
    drawn = group[rows]
    counts = np.bincount(drawn, minlength=n_groups)
    below = np.cumsum(counts) - counts
    return below[drawn] + (counts[drawn] + 1) / 2


def _cluster_draws(clusters: np.ndarray, n_boot: int, seed: int):
    """Row indices of ``n_boot`` bootstrap samples that resample whole clusters: each sample is
    the rows of its drawn clusters, cluster by cluster in the order drawn, each cluster's rows in
    table order."""
    rng = np.random.default_rng(seed)
    codes, inv = np.unique(clusters, return_inverse=True)
    inv = inv.reshape(-1)
    by_cluster = np.argsort(inv, kind="stable")  # the rows of cluster 0, then of cluster 1, ...
    sizes = np.bincount(inv, minlength=len(codes))
    firsts = np.cumsum(sizes) - sizes  # where each cluster's rows start in ``by_cluster``
    for _ in range(n_boot):
        pick = rng.integers(0, len(codes), len(codes))
        lengths = sizes[pick]
        # position in ``by_cluster`` of each row of the sample: its cluster's first + its place in it
        offsets = np.repeat(firsts[pick] - (np.cumsum(lengths) - lengths), lengths)
        yield by_cluster[offsets + np.arange(len(offsets))]


def rank_correlation(
    panel: pd.DataFrame,
    x: str,
    y: str = "surplus_pct",
    *,
    within_year: bool = True,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> dict:
    """Spearman's rank correlation between ``x`` and ``y`` across trust-years, with a 95% interval
    from a bootstrap over trusts. With ``within_year`` both are first ranked within each year (so
    the sector-wide swings between years do not drive the result).

    Returns ``dict(rho, lo, hi, n, n_trusts)``."""
    d = panel.dropna(subset=[x, y]).reset_index(drop=True)
    if within_year:
        xs = d.groupby("year")[x].rank(pct=True).to_numpy()
        ys = d.groupby("year")[y].rank(pct=True).to_numpy()
    else:
        xs, ys = d[x].to_numpy(float), d[y].to_numpy(float)
    rho = _spearman(xs, ys)
    (x_groups, n_x), (y_groups, n_y) = _tie_groups(xs), _tie_groups(ys)
    boots = [
        float(np.corrcoef(_resample_ranks(x_groups, n_x, i), _resample_ranks(y_groups, n_y, i))[0, 1])
        for i in _cluster_draws(d["org_code"].to_numpy(), n_boot, seed)
    ]
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return {"rho": rho, "lo": float(lo), "hi": float(hi), "n": int(len(d)), "n_trusts": int(d["org_code"].nunique())}


def _design(d: pd.DataFrame, x: str) -> tuple[np.ndarray, list[str]]:
    cols = [np.ones(len(d)), d[x].to_numpy(float), d["log_cost"].to_numpy(float)]
    names = ["const", x, "log_cost"]
    for t in sorted(d["org_type"].unique())[1:]:
        cols.append((d["org_type"] == t).to_numpy(float))
        names.append(f"type: {t}")
    for yr in sorted(d["year"].unique())[1:]:
        cols.append((d["year"] == yr).to_numpy(float))
        names.append(f"year: {yr}")
    return np.column_stack(cols), names


def regression(panel: pd.DataFrame, x: str, y: str = "surplus_pct", *, n_boot: int = N_BOOT, seed: int = SEED) -> dict:
    """Least squares of ``y`` on ``x``, controlling for size (log operating cost), trust type and
    year, with a 95% interval for the coefficient of ``x`` from a bootstrap over trusts.

    Returns ``dict(coef, lo, hi, n, n_trusts, sd_x, coef_per_sd, lo_per_sd, hi_per_sd)``: the change
    in ``y`` associated with one unit of ``x``, and with one standard deviation of ``x``."""
    d = panel.dropna(subset=[x, y]).reset_index(drop=True)
    X, _ = _design(d, x)
    yv = d[y].to_numpy(float)
    coef = float(np.linalg.lstsq(X, yv, rcond=None)[0][1])
    boots = []
    for i in _cluster_draws(d["org_code"].to_numpy(), n_boot, seed):
        Xi = X[i]
        keep = Xi.any(axis=0)  # a type or year missing from the resample: drop its column
        boots.append(np.linalg.lstsq(Xi[:, keep], yv[i], rcond=None)[0][int(keep[:2].sum()) - 1])
    lo, hi = np.percentile(boots, [2.5, 97.5])
    sd = float(d[x].std())
    return {
        "coef": coef,
        "lo": float(lo),
        "hi": float(hi),
        "n": int(len(d)),
        "n_trusts": int(d["org_code"].nunique()),
        "sd_x": sd,
        "coef_per_sd": coef * sd,
        "lo_per_sd": float(lo) * sd,
        "hi_per_sd": float(hi) * sd,
    }


def association_table(panel: pd.DataFrame, n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """The associations the chapter reports, one row per measure of management (managers per 100
    staff too when the panel has it, in its first year): rank correlation
    (within years) with the surplus, and the regression coefficient per standard deviation, each
    with its 95% bootstrap interval. Columns: ``measure, label, rho, rho_lo, rho_hi, coef_per_sd,
    coef_lo, coef_hi, n, n_trusts``."""
    rows = []
    measures = [
        ("managers_per_10m", "Managers per £10m of operating cost"),
        ("managers_per_consultant", "Managers per consultant"),
    ]
    first_density = None
    if "managers_per_100_staff" in panel.columns:
        first_density = int(panel.dropna(subset=["managers_per_100_staff"])["year"].min())
        measures.append(("managers_per_100_staff", f"Managers per 100 staff ({year_label(first_density)})"))
    for x, label in measures:
        d = panel if x != "managers_per_100_staff" else panel[panel["year"] == first_density]
        r = rank_correlation(d, x, n_boot=n_boot, seed=seed)
        b = regression(d, x, n_boot=n_boot, seed=seed)
        rows.append(
            {
                "measure": x,
                "label": label,
                "rho": r["rho"],
                "rho_lo": r["lo"],
                "rho_hi": r["hi"],
                "coef_per_sd": b["coef_per_sd"],
                "coef_lo": b["lo_per_sd"],
                "coef_hi": b["hi_per_sd"],
                "n": r["n"],
                "n_trusts": r["n_trusts"],
            }
        )
    return pd.DataFrame(rows)


def year_label(year: int) -> str:
    """A financial year as text: 2017 -> "2017/18"."""
    return f"{year}/{(year + 1) % 100:02d}"


def within_trust_regression(
    panel: pd.DataFrame,
    x: str,
    y: str = "surplus_pct",
    *,
    controls: tuple[str, ...] = ("log_cost",),
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> dict:
    """Least squares of ``y`` on ``x`` with trust and year fixed effects (and ``controls``): how a
    trust's surplus moved with its own management from year to year, whatever sets trusts apart
    for good. Every column is centred on its trust's mean (which removes the trust effects
    exactly, even in an unbalanced panel) and regressed with year indicators; the 95% interval
    comes from a bootstrap over trusts, as in :func:`regression`.

    Returns the keys of :func:`regression`; ``coef_per_sd`` uses the standard deviation of ``x``
    across all trust-years, as there."""
    d = panel.dropna(subset=[x, y, *controls]).reset_index(drop=True)
    years = sorted(d["year"].unique())[1:]
    design = pd.concat(
        [d[[x, *controls]].astype("float64")]
        + [(d["year"] == yr).astype("float64").rename(f"year {yr}") for yr in years],
        axis=1,
    )
    trust = d["org_code"]
    X = (design - design.groupby(trust).transform("mean")).to_numpy(float)
    yv = (d[y] - d.groupby(trust)[y].transform("mean")).to_numpy(float)
    coef = float(np.linalg.lstsq(X, yv, rcond=None)[0][0])
    boots = [np.linalg.lstsq(X[i], yv[i], rcond=None)[0][0] for i in _cluster_draws(trust.to_numpy(), n_boot, seed)]
    lo, hi = np.percentile(boots, [2.5, 97.5])
    sd = float(d[x].std())
    return {
        "coef": coef,
        "lo": float(lo),
        "hi": float(hi),
        "n": int(len(d)),
        "n_trusts": int(trust.nunique()),
        "sd_x": sd,
        "coef_per_sd": coef * sd,
        "lo_per_sd": float(lo) * sd,
        "hi_per_sd": float(hi) * sd,
    }


def robustness_table(panel: pd.DataFrame, fence: float, *, n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """The associations of management with trusts' surpluses under other specifications, one row
    each: ``key, label, kind`` ("regression" or "rank correlation"), ``estimate, lo, hi`` (the
    surplus in points of operating cost per standard deviation of the measure, or Spearman's rho),
    ``n, n_trusts``.

    - ``per10m_within``: managers per £10m within trusts (trust and year fixed effects);
    - ``per100_<year>``: managers per 100 staff across trusts, each year with a staff snapshot;
    - ``per100_<first>_below_fence``: the first of those years without the trusts above ``fence``
      managers per 100 staff (the chapter passes the outlier fence of its systems section);
    - ``per100_<first>_acute``: the first year, acute trusts only;
    - ``per10m_rank_pre_stf``: the rank correlation of managers per £10m with the surplus in the
      years before the Sustainability and Transformation Fund (to 2015/16), whose payments from
      2016/17 depended on meeting financial control totals."""
    rows = []

    def add(key, label, res, kind="regression"):
        if kind == "regression":
            est, lo, hi = res["coef_per_sd"], res["lo_per_sd"], res["hi_per_sd"]
        else:
            est, lo, hi = res["rho"], res["lo"], res["hi"]
        rows.append(
            {"key": key, "label": label, "kind": kind, "estimate": est, "lo": lo, "hi": hi}
            | {"n": res["n"], "n_trusts": res["n_trusts"]}
        )

    add(
        "per10m_within",
        "Managers per £10m, within trusts",
        within_trust_regression(panel, "managers_per_10m", n_boot=n_boot, seed=seed),
    )
    dens = panel.dropna(subset=["managers_per_100_staff"])
    years = sorted(int(y) for y in dens["year"].unique())
    for year in years:
        res = regression(dens[dens["year"] == year], "managers_per_100_staff", n_boot=n_boot, seed=seed)
        add(f"per100_{year}", f"Managers per 100 staff, {year_label(year)}", res)
    first = dens[dens["year"] == years[0]]
    below = first[first["managers_per_100_staff"] <= fence]
    res = regression(below, "managers_per_100_staff", n_boot=n_boot, seed=seed)
    add(f"per100_{years[0]}_below_fence", f"Managers per 100 staff, {year_label(years[0])}, without outliers", res)
    acute = first[first["org_type"] == "acute"]
    res = regression(acute, "managers_per_100_staff", n_boot=n_boot, seed=seed)
    add(f"per100_{years[0]}_acute", f"Managers per 100 staff, {year_label(years[0])}, acute trusts", res)
    pre = panel[panel["year"] < STF_FIRST_YEAR]
    res = rank_correlation(pre, "managers_per_10m", n_boot=n_boot, seed=seed)
    add(
        "per10m_rank_pre_stf",
        f"Managers per £10m, {year_label(int(pre['year'].min()))} to {year_label(STF_FIRST_YEAR - 1)}",
        res,
        kind="rank correlation",
    )
    return pd.DataFrame(rows)


def constant_panel_position(trust_finances: pd.DataFrame) -> pd.DataFrame:
    """:func:`sector_position` for the trusts with accounts in every year only (a constant panel).

    The whole sector's count of trusts in deficit mixes two things: trusts' finances changing, and
    trusts leaving (most by merger, and trusts taken over were more often in deficit) or joining.
    Holding the trusts fixed removes the second. Same columns as :func:`sector_position`."""
    f = trust_finances[trust_finances["reported"].astype(bool)]
    n_years = f["year"].nunique()
    every_year = f.groupby("org_code")["year"].nunique()
    keep = every_year[every_year == n_years].index
    return sector_position(trust_finances[trust_finances["org_code"].isin(keep)])
