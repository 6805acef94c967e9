"""Systems against the councils that run social care, the trusts they share, and their general practices.

Pure functions of ``lad_icb_overlap``, ``lad_upper_tier``, ``icbs``, ``stp_trust_partners_2019`` and
``gp_practices``. Coterminosity uses the same rule as :func:`nhsreport.analysis.systems.coterminosity`
(an area is split when its LSOAs fall in more than one ICB), applied to upper-tier councils.
"""

from __future__ import annotations

import pandas as pd

from nhsreport.analysis.systems import coterminosity, split_districts


def upper_tier_overlap(overlap: pd.DataFrame, lad_upper: pd.DataFrame) -> pd.DataFrame:
    """``lad_icb_overlap`` summed to upper-tier councils: one row per council and ICB, with the
    council's code and name in ``lad_code`` and ``lad_name`` so that the district functions of
    :mod:`nhsreport.analysis.systems` apply unchanged, plus ``upper_type``."""
    up = lad_upper.set_index("lad_code")
    o = overlap.assign(upper_code=overlap["lad_code"].map(up["upper_code"]))
    if o["upper_code"].isna().any():
        missing = sorted(o.loc[o["upper_code"].isna(), "lad_code"].unique())
        raise ValueError(f"districts without an upper-tier council: {missing[:5]}")
    g = (
        o.groupby(["upper_code", "icb_code", "icb_name"], observed=True)[["n_lsoas", "n_lsoas_stp21"]]
        .sum()
        .reset_index()
    )
    for n, share in (("n_lsoas", "share_of_lad_lsoas"), ("n_lsoas_stp21", "share_of_lad_lsoas_stp21")):
        g[share] = g[n] / g.groupby("upper_code")[n].transform("sum")
    names = lad_upper.drop_duplicates("upper_code").set_index("upper_code")
    g["lad_name"] = g["upper_code"].map(names["upper_name"])
    g["upper_type"] = g["upper_code"].map(names["upper_type"])
    return g.rename(columns={"upper_code": "lad_code"})


def upper_tier_coterminosity(
    overlap: pd.DataFrame, lad_upper: pd.DataFrame, icbs: pd.DataFrame, basis: str = "icb22"
) -> pd.DataFrame:
    """Per ICB: ``n_councils`` (upper-tier councils with any LSOA in it), ``n_whole``, ``n_part``
    and ``coterminous``, beside the district-level ``n_districts`` and ``district_coterminous``."""
    up = coterminosity(upper_tier_overlap(overlap, lad_upper), icbs, basis).rename(
        columns={"n_districts": "n_councils"}
    )
    lad = coterminosity(overlap, icbs, basis)[["icb_code", "n_districts", "coterminous"]].rename(
        columns={"coterminous": "district_coterminous"}
    )
    return up.merge(lad, on="icb_code", validate="1:1")


def split_councils(overlap: pd.DataFrame, lad_upper: pd.DataFrame, basis: str = "icb22") -> pd.DataFrame:
    """Upper-tier councils whose area falls in more than one ICB (as :func:`split_districts`)."""
    out = split_districts(upper_tier_overlap(overlap, lad_upper), basis)
    return out.rename(columns={"lad_code": "upper_code", "lad_name": "upper_name"})


def shared_trusts(partners: pd.DataFrame) -> pd.DataFrame:
    """Each trust partner of the 2019 STPs with the number of STPs it partners, largest first:
    ``trust_code, trust_name, n_stps, stps`` (codes joined with ', ')."""
    g = partners.groupby("trust_code").agg(
        trust_name=("trust_name", "first"),
        n_stps=("stp_code", "nunique"),
        stps=("stp_code", lambda s: ", ".join(sorted(s))),
    )
    return (
        g.reset_index()
        .sort_values(["n_stps", "trust_name"], ascending=[False, True], kind="mergesort")
        .reset_index(drop=True)
    )


def shared_trust_summary(partners: pd.DataFrame) -> dict:
    """``links, trusts, shared`` (trusts partnering more than one STP), ``shared_links`` (their
    links), ``max_stps``, ``max_names`` and per-STP partner counts ``partners_min/median/max``."""
    t = shared_trusts(partners)
    per_stp = partners.groupby("stp_code")["trust_code"].nunique()
    top = t[t["n_stps"] == t["n_stps"].max()]
    return {
        "links": int(len(partners)),
        "trusts": int(len(t)),
        "shared": int((t["n_stps"] > 1).sum()),
        "shared_links": int(t.loc[t["n_stps"] > 1, "n_stps"].sum()),
        "max_stps": int(t["n_stps"].max()),
        "max_names": sorted(top["trust_name"]),
        "partners_min": int(per_stp.min()),
        "partners_median": float(per_stp.median()),
        "partners_max": int(per_stp.max()),
        "stps_with_shared": int(partners[partners["n_stps"] > 1]["stp_code"].nunique()),
    }


def primary_care_by_system(
    gp_practices: pd.DataFrame, icbs: pd.DataFrame, population: str = "population_stp21"
) -> pd.DataFrame:
    """Per system (September 2020 footprints): ``n_practices``, ``n_pcns``, ``n_unallocated``
    (practices in no network), ``practices_per_pcn``, ``population`` (ONS mid-2020 on the April 2021
    footprints by default), ``practices_per_100k`` and ``residents_per_practice``. Residents, not
    registered patients: the practice file has no list sizes."""
    g = gp_practices.groupby("icb_code").agg(
        n_practices=("practice_code", "nunique"),
        n_pcns=("pcn_code", "nunique"),
        n_unallocated=("pcn_code", lambda s: int(s.isna().sum())),
    )
    out = (
        icbs[["icb_code", "icb_name", "region_name", population]]
        .rename(columns={population: "population"})
        .merge(g.reset_index(), on="icb_code", how="left", validate="1:1")
    )
    out["practices_per_pcn"] = (out["n_practices"] - out["n_unallocated"]) / out["n_pcns"]
    out["practices_per_100k"] = 1e5 * out["n_practices"] / out["population"]
    out["residents_per_practice"] = out["population"] / out["n_practices"]
    return out.sort_values("icb_name", kind="mergesort").reset_index(drop=True)


def shared_trusts_by_type(partners: pd.DataFrame, trusts: pd.DataFrame) -> pd.DataFrame:
    """The trusts that partnered more than one STP in April 2019 (:func:`shared_trusts`), with
    ``type``: the trust's type in the ``trusts`` table, or "other" for a trust it does not list."""
    shared = shared_trusts(partners)
    kind = trusts.drop_duplicates("org_code").set_index("org_code")["trust_type"]
    shared["type"] = shared["trust_code"].map(kind).fillna("other")
    return shared[shared["n_stps"] > 1].copy()
