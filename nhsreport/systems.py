"""Analysis helpers for the ICS structure chapter and the briefings.

They take the processed tables (``load("icbs")``, ``load("lad_icb_overlap")``,
``load("ccg_lineage")``) and return plain numbers or small tables, so a chapter's text and its
tables are computed from the same place.
"""
from __future__ import annotations

import difflib
import re

import pandas as pd

__all__ = [
    "IcbLookupError", "population_range", "by_region", "split_districts", "districts_per_icb",
    "find_icb", "icbs_2026", "ccg_counts",
]

_BASES = {
    "icb22": ("n_lsoas", "share_of_lad_lsoas"),
    "stp21": ("n_lsoas_stp21", "share_of_lad_lsoas_stp21"),
}


class IcbLookupError(LookupError):
    """No ICB, or more than one, matches a query. ``candidates`` lists the closest names (no
    match) or the matching names (ambiguous)."""

    def __init__(self, query: str, message: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        super().__init__(message)


def _basis(basis: str) -> tuple[str, str]:
    if basis not in _BASES:
        raise ValueError(f"basis must be one of {sorted(_BASES)}, not {basis!r}")
    return _BASES[basis]


def population_range(icbs: pd.DataFrame, column: str = "population") -> dict:
    """Smallest, largest and median ICB by ``column`` (``population`` on July 2022 ICBs,
    ``population_stp21`` on the April 2021 STP footprints).

    Returns ``dict(min_name, min_code, min, max_name, max_code, max, ratio, median, total, n)``;
    ``ratio`` is max / min."""
    s = icbs.set_index("icb_code")[column].astype("float64")
    if s.empty or s.isna().any():
        raise ValueError(f"column {column!r} is empty or has missing values")
    names = icbs.set_index("icb_code")["icb_name"]
    lo, hi = s.idxmin(), s.idxmax()
    return {
        "min_name": str(names[lo]), "min_code": lo, "min": int(s[lo]),
        "max_name": str(names[hi]), "max_code": hi, "max": int(s[hi]),
        "ratio": float(s[hi] / s[lo]), "median": float(s.median()), "total": int(s.sum()), "n": int(len(s)),
    }


def by_region(icbs: pd.DataFrame, column: str = "population") -> pd.DataFrame:
    """Per NHS England region: number of ICBs, summed ``column`` and its share of England,
    largest region first."""
    g = icbs.groupby(["region_code", "region_name"], observed=True).agg(
        n_icbs=("icb_code", "size"), total=(column, "sum")).reset_index()
    g["share"] = g["total"] / g["total"].sum()
    return g.rename(columns={"total": column}).sort_values(column, ascending=False, kind="mergesort").reset_index(drop=True)


def split_districts(overlap: pd.DataFrame, basis: str = "icb22") -> pd.DataFrame:
    """Local authority districts with LSOAs in more than one area.

    ``basis="icb22"``: the ICBs of July 2022; ``basis="stp21"``: the STP/ICS footprints of
    April 2021. One row per district: ``lad_code, lad_name, n_areas, largest_share, areas``
    (``areas`` reads e.g. "Sussex 94%; Surrey Heartlands 6%"), sorted by district name."""
    n_col, share_col = _basis(basis)
    o = overlap[overlap[n_col] > 0]
    rows = []
    for (code, name), g in o.groupby(["lad_code", "lad_name"], observed=True, sort=False):
        if len(g) < 2:
            continue
        g = g.sort_values([share_col, "icb_code"], ascending=[False, True], kind="mergesort")
        rows.append({"lad_code": code, "lad_name": name, "n_areas": len(g),
                     "largest_share": float(g[share_col].iloc[0]),
                     "areas": "; ".join(f"{n} {s:.0%}" for n, s in zip(g["icb_name"], g[share_col]))})
    out = pd.DataFrame(rows, columns=["lad_code", "lad_name", "n_areas", "largest_share", "areas"])
    return out.sort_values("lad_name", kind="mergesort").reset_index(drop=True)


def districts_per_icb(overlap: pd.DataFrame, basis: str = "icb22") -> pd.Series:
    """Number of districts with any LSOA in each ICB (``icb22``) or STP footprint (``stp21``),
    indexed by ICB code."""
    n_col, _ = _basis(basis)
    return overlap[overlap[n_col] > 0].groupby("icb_code", observed=True)["lad_code"].nunique().rename("n_districts")


def _norm(s: str) -> str:
    s = str(s).lower().replace("&", " and ")
    s = re.sub(r"\b(nhs|integrated care board|icb)\b", " ", s)
    s = re.sub(r"[^a-z0-9 ]", " ", s)
    return " ".join(s.split())


def _similarity(q: str, name: str) -> tuple[float, float]:
    """Best match of the query against any run of as many words of the name, then against the
    whole name (the tie-breaker)."""
    n = _norm(name)
    whole = difflib.SequenceMatcher(None, q, n).ratio()
    best = whole
    words, k = n.split(), max(1, len(q.split()))
    for i in range(len(words) - k + 1):
        best = max(best, difflib.SequenceMatcher(None, q, " ".join(words[i:i + k])).ratio())
    return best, whole


def _closest(q: str, names: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    scored = sorted(((_similarity(q, x), x) for x in names), key=lambda t: (-t[0][0], -t[0][1], t[1]))
    return [x for s, x in scored[:n] if s[0] >= cutoff]


def find_icb(query: str, icbs: pd.DataFrame) -> pd.Series:
    """The row of ``icbs`` for an ODS code ("QYG"), an ONS code ("E54000008") or a name,
    matched case-insensitively on the short or full name, whole or in part ("merseyside").

    Raises :class:`IcbLookupError` when nothing matches, listing the closest names, or when a
    partial name matches several ICBs, listing them."""
    q = str(query).strip()
    if not q:
        raise IcbLookupError(query, "empty ICB query", [])
    up = q.upper()
    for col in ("icb_code", "icb_gss_code"):
        hit = icbs[icbs[col].astype(str).str.upper() == up]
        if len(hit) == 1:
            return hit.iloc[0]
    nq = _norm(q)
    short = icbs["icb_name"].map(_norm)
    full = icbs["icb_name_full"].map(_norm)
    exact = icbs[(short == nq) | (full == nq)]
    if len(exact) == 1:
        return exact.iloc[0]
    if nq:
        part = icbs[short.str.contains(nq, regex=False) | full.str.contains(nq, regex=False)]
        if len(part) == 1:
            return part.iloc[0]
        if len(part) > 1:
            names = sorted(part["icb_name"].astype(str))
            raise IcbLookupError(query, f"{query!r} matches {len(names)} ICBs: {', '.join(names)}", names)
    suggestions = _closest(nq, list(dict.fromkeys(icbs["icb_name"].astype(str))))
    hint = f"; closest names: {', '.join(suggestions)}" if suggestions else ""
    raise IcbLookupError(query, f"no ICB matches {query!r} (by ODS code, ONS code or name){hint}", suggestions)


def icbs_2026(icbs: pd.DataFrame) -> pd.DataFrame:
    """The ICBs from 1 April 2026, built up from the 2022 ICBs and the parts of the three
    divided in 2026 (column ``icb_2026_parts`` of ``icbs``).

    One row per 2026 ICB: ``icb_2026_code, icb_2026_name, n_icbs_2022`` (2022 ICBs contributing
    the whole or a part), ``icbs_2022`` (their names, "(part)" marking parts), ``population``
    (mid-2020, parts allocated by their share) and ``includes_split`` (True where a part enters:
    that population is an estimate for Frimley's parts, whose shares are of LSOAs)."""
    names26 = dict(zip(icbs["icb_2026_code"], icbs["icb_2026_name"]))
    rows = []
    for _, r in icbs.iterrows():
        for item in str(r["icb_2026_parts"]).split(";"):
            code, share = item.split(":")
            rows.append({"icb_2026_code": code, "icb_name": r["icb_name"], "share": float(share),
                         "population": float(r["population"]) * float(share)})
    parts = pd.DataFrame(rows)
    unknown = sorted(set(parts["icb_2026_code"]) - set(names26))
    if unknown:
        raise ValueError(f"icb_2026_parts names 2026 ICBs that are no row's icb_2026_code: {unknown}")
    parts["label"] = parts["icb_name"] + parts["share"].map(lambda x: "" if x >= 1 else " (part)")
    g = parts.groupby("icb_2026_code")
    out = pd.DataFrame({
        "icb_2026_name": pd.Series(names26),
        "n_icbs_2022": g.size(),
        "icbs_2022": g["label"].agg(lambda s: "; ".join(sorted(s))),
        "population": g["population"].sum().round().astype("int64"),
        "includes_split": g["share"].agg(lambda s: bool((s < 1).any())),
    }).rename_axis("icb_2026_code").reset_index()
    return out.sort_values("icb_2026_code", kind="mergesort").reset_index(drop=True)


def ccg_counts(lineage: pd.DataFrame) -> dict:
    """Number of CCGs in April 2013, 2019, 2020 and 2021, and of ICBs in July 2022."""
    out = {year: int(lineage[f"exists_{year}"].sum()) for year in (2013, 2019, 2020, 2021)}
    out[2022] = int(lineage["icb_code"].nunique())
    return out
