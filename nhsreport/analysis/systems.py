"""Analysis helpers for the ICS structure chapter and the briefings.

They take the processed tables (``load("icbs")``, ``load("lad_icb_overlap")``,
``load("ccg_lineage")``) and return plain numbers or small tables, so a chapter's text and its
tables are computed from the same place.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from nhsreport import geometry

__all__ = [
    "IcbLookupError",
    "population_range",
    "spread",
    "by_region",
    "split_districts",
    "districts_per_icb",
    "find_icb",
    "icbs_2026",
    "ccg_counts",
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
        "min_name": str(names[lo]),
        "min_code": lo,
        "min": int(s[lo]),
        "max_name": str(names[hi]),
        "max_code": hi,
        "max": int(s[hi]),
        "ratio": float(s[hi] / s[lo]),
        "median": float(s.median()),
        "total": int(s.sum()),
        "n": int(len(s)),
    }


def by_region(icbs: pd.DataFrame, column: str = "population") -> pd.DataFrame:
    """Per NHS England region: number of ICBs, summed ``column`` and its share of England,
    largest region first."""
    g = (
        icbs.groupby(["region_code", "region_name"], observed=True)
        .agg(n_icbs=("icb_code", "size"), total=(column, "sum"))
        .reset_index()
    )
    g["share"] = g["total"] / g["total"].sum()
    return (
        g.rename(columns={"total": column})
        .sort_values(column, ascending=False, kind="mergesort")
        .reset_index(drop=True)
    )


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
        rows.append(
            {
                "lad_code": code,
                "lad_name": name,
                "n_areas": len(g),
                "largest_share": float(g[share_col].iloc[0]),
                "areas": "; ".join(f"{n} {s:.0%}" for n, s in zip(g["icb_name"], g[share_col])),
            }
        )
    out = pd.DataFrame(rows, columns=["lad_code", "lad_name", "n_areas", "largest_share", "areas"])
    return out.sort_values("lad_name", kind="mergesort").reset_index(drop=True)


def districts_per_icb(overlap: pd.DataFrame, basis: str = "icb22") -> pd.Series:
    """Number of districts with any LSOA in each ICB (``icb22``) or STP footprint (``stp21``),
    indexed by ICB code."""
    n_col, _ = _basis(basis)
    return overlap[overlap[n_col] > 0].groupby("icb_code", observed=True)["lad_code"].nunique().rename("n_districts")


def normalise_name(s: str) -> str:
    """A system name for matching: lower case, "&" as "and", without "NHS", "ICB" or punctuation."""
    s = str(s).lower().replace("&", " and ")
    s = re.sub(r"\b(nhs|integrated care board|icb)\b", " ", s)
    s = re.sub(r"[^a-z0-9 ]", " ", s)
    return " ".join(s.split())


def _similarity(q: str, name: str) -> tuple[float, float]:
    """Best match of the query against any run of as many words of the name, then against the
    whole name (the tie-breaker)."""
    n = normalise_name(name)
    whole = difflib.SequenceMatcher(None, q, n).ratio()
    best = whole
    words, k = n.split(), max(1, len(q.split()))
    for i in range(len(words) - k + 1):
        best = max(best, difflib.SequenceMatcher(None, q, " ".join(words[i : i + k])).ratio())
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
    nq = normalise_name(q)
    short = icbs["icb_name"].map(normalise_name)
    full = icbs["icb_name_full"].map(normalise_name)
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
            rows.append(
                {
                    "icb_2026_code": code,
                    "icb_name": r["icb_name"],
                    "share": float(share),
                    "population": float(r["population"]) * float(share),
                }
            )
    parts = pd.DataFrame(rows)
    unknown = sorted(set(parts["icb_2026_code"]) - set(names26))
    if unknown:
        raise ValueError(f"icb_2026_parts names 2026 ICBs that are no row's icb_2026_code: {unknown}")
    parts["label"] = parts["icb_name"] + parts["share"].map(lambda x: "" if x >= 1 else " (part)")
    g = parts.groupby("icb_2026_code")
    out = (
        pd.DataFrame(
            {
                "icb_2026_name": pd.Series(names26),
                "n_icbs_2022": g.size(),
                "icbs_2022": g["label"].agg(lambda s: "; ".join(sorted(s))),
                "population": g["population"].sum().round().astype("int64"),
                "includes_split": g["share"].agg(lambda s: bool((s < 1).any())),
            }
        )
        .rename_axis("icb_2026_code")
        .reset_index()
    )
    return out.sort_values("icb_2026_code", kind="mergesort").reset_index(drop=True)


def ccg_counts(lineage: pd.DataFrame) -> dict:
    """Number of CCGs in April 2013, 2019, 2020 and 2021, and of ICBs in July 2022."""
    out = {year: int(lineage[f"exists_{year}"].sum()) for year in (2013, 2019, 2020, 2021)}
    out[2022] = int(lineage["icb_code"].nunique())
    return out


# ---------------------------------------------------------------------------------------------
# Chapter "The shape of integrated care systems": size, coterminosity, designation waves and the
# trust lookup. Each returns plain numbers or a small table for the chapter, its tests and the
# briefings.
# ---------------------------------------------------------------------------------------------

__all__ += [
    "measure_range",
    "coterminosity",
    "WAVE_FOOTPRINTS",
    "ics_coverage",
    "tidy_trust_name",
    "short_trust_name",
    "trust_icb_2022",
    "trust_lookup",
    "rank_correlation",
]


def measure_range(icbs: pd.DataFrame, column: str) -> dict:
    """Smallest, largest and median of an ICB measure such as ``n_trusts`` or
    ``n_local_authorities``, with the names of every ICB at the smallest and largest value
    (ties are common for counts).

    Returns ``dict(min, max, median, mean, min_names, max_names, n_min, n_max, total)``; the
    name lists are sorted alphabetically."""
    s = icbs.set_index("icb_name")[column].astype("float64")
    if s.empty or s.isna().any():
        raise ValueError(f"column {column!r} is empty or has missing values")
    lo, hi = s.min(), s.max()
    return {
        "min": int(lo),
        "max": int(hi),
        "median": float(s.median()),
        "mean": float(s.mean()),
        "min_names": sorted(str(n) for n in s.index[s == lo]),
        "max_names": sorted(str(n) for n in s.index[s == hi]),
        "n_min": int((s == lo).sum()),
        "n_max": int((s == hi).sum()),
        "total": int(s.sum()),
    }


def rank_correlation(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rank correlation of two equally long series (average ranks for ties)."""
    x = pd.Series(x, dtype="float64").reset_index(drop=True)
    y = pd.Series(y, dtype="float64").reset_index(drop=True)
    return float(x.rank().corr(y.rank()))


def coterminosity(overlap: pd.DataFrame, icbs: pd.DataFrame, basis: str = "icb22") -> pd.DataFrame:
    """How each ICB's boundary fits the local authority districts it touches.

    One row per ICB (``icb_code, icb_name``) with ``n_districts`` (districts with any LSOA in
    it), ``n_whole`` (districts lying wholly inside it), ``n_part`` (districts it shares with
    another ICB) and ``coterminous`` (True when every district it touches lies wholly inside it,
    so its boundary follows district boundaries all the way round). Only rows with LSOAs on the
    chosen basis count (``n_lsoas > 0``): the table keeps rows for pairs that exist on the other
    basis only."""
    n_col, _ = _basis(basis)
    o = overlap[overlap[n_col] > 0]
    n_areas = o.groupby("lad_code", observed=True)["icb_code"].nunique()
    o = o.assign(split=o["lad_code"].map(n_areas) > 1)
    g = o.groupby("icb_code", observed=True).agg(n_districts=("lad_code", "nunique"), n_part=("split", "sum"))
    g["n_part"] = g["n_part"].astype("int64")
    g["n_whole"] = g["n_districts"] - g["n_part"]
    g["coterminous"] = g["n_part"] == 0
    out = icbs[["icb_code", "icb_name"]].merge(g.reset_index(), on="icb_code", how="left", validate="1:1")
    if out["n_districts"].isna().any():
        raise ValueError("some ICBs have no district in the overlap table")
    return (
        out[["icb_code", "icb_name", "n_districts", "n_whole", "n_part", "coterminous"]]
        .sort_values("icb_name", kind="mergesort")
        .reset_index(drop=True)
    )


# The STP footprints of April 2021 (by ODS code, which the July 2022 ICBs kept) that each
# designation wave covered, in whole or in part. Waves 1 and 2 named some systems smaller than
# a footprint (Blackpool and Fylde Coast in Lancashire and South Cumbria; Buckinghamshire and
# Berkshire West in Buckinghamshire, Oxfordshire and Berkshire West; West, North and East
# Cumbria in what became North East and North Cumbria; West Yorkshire and Harrogate), marked
# False ("part"). Wave 5 (December 2020) is not listed by name in the sources: it is every
# footprint not covered by the other waves, which gives 11, the published number.
WAVE_FOOTPRINTS: dict[str, list[tuple[str, bool]]] = {
    "1": [
        ("QHG", True),
        ("QE1", False),
        ("QU9", False),
        ("QVV", True),
        ("QNQ", True),
        ("QT1", True),
        ("QF7", True),
        ("QOP", True),
        ("QXU", True),
    ],
    "2": [("QR1", True), ("QJG", True), ("QHM", False), ("QWO", True)],
    "3": [("QHM", True), ("QKK", True), ("QU9", True)],
    "4": [("QM7", True), ("QOQ", True), ("QWE", True), ("QNX", True)],
    "6": [
        ("QUE", True),
        ("QH8", True),
        ("QUA", True),
        ("QGH", True),
        ("QPM", True),
        ("QWU", True),
        ("QK1", True),
        ("QJM", True),
        ("QOC", True),
        ("QNC", True),
        ("QYG", True),
        ("QKS", True),
        ("QJK", True),
    ],
}


def _wave_number(label) -> str:
    return str(label).split()[0]


def ics_coverage(waves: pd.DataFrame, icbs: pd.DataFrame, column: str = "population_stp21") -> pd.DataFrame:
    """Share of England's population living in footprints with a designated integrated care
    system, after each wave, under each source's dating.

    ``waves`` is the ``ics_waves`` table (one row per wave and source), ``icbs`` gives the
    footprint populations (mid-2020, April 2021 footprints by default). A footprint counts from
    the first wave that named it or part of it, so the shares of 2017 and 2018 are upper bounds
    (see :data:`WAVE_FOOTPRINTS`). Wave 5 is the footprints no other wave names.

    Returns one row per wave and dating: ``dating`` ("as announced" uses each wave's effective
    date where given, else its announcement; "effective 1 April 2021" differs only for the
    December 2020 wave, whose effective date the sources dispute), ``date``, ``wave``,
    ``n_footprints`` (cumulative footprints touched), ``population`` (cumulative),
    ``share``, ``published_cumulative`` (systems, as published) and ``source_key``."""
    codes = set(icbs["icb_code"])
    named = {c for lst in WAVE_FOOTPRINTS.values() for c, _ in lst}
    unknown = sorted(named - codes)
    if unknown:
        raise ValueError(f"WAVE_FOOTPRINTS names footprints that are not ICB codes: {unknown}")
    plan = {w: [c for c, _ in lst] for w, lst in WAVE_FOOTPRINTS.items()}
    plan["5"] = sorted(codes - named)
    pop = icbs.set_index("icb_code")[column].astype("float64")
    total = float(pop.sum())
    w = waves.copy()
    w["wave_no"] = w["wave"].map(_wave_number)
    missing = sorted(set(w["wave_no"]) - set(plan))
    if missing:
        raise ValueError(f"waves with no footprint list: {missing}")
    w["date"] = w["effective"].fillna(w["announced"])
    disputed = w.groupby("wave_no")["date"].nunique()
    disputed = set(disputed[disputed > 1].index)
    rows = []
    for dating in ("NHS England's dates", "Healthcare Leader's date"):
        chosen = []
        for wave_no, g in w.groupby("wave_no", sort=True):
            if wave_no in disputed:
                g = g.sort_values("date")
                g = g.iloc[[-1]] if dating.startswith("Healthcare") else g.iloc[[0]]
            chosen.append(g.iloc[0])
        seen: set[str] = set()
        for r in sorted(chosen, key=lambda r: (r["date"], int(r["wave_no"]))):
            seen |= set(plan[r["wave_no"]])
            p = float(pop[sorted(seen)].sum())
            rows.append(
                {
                    "dating": dating,
                    "date": r["date"],
                    "wave": str(r["wave"]),
                    "wave_no": int(r["wave_no"]),
                    "n_footprints": len(seen),
                    "population": int(round(p)),
                    "share": p / total,
                    "published_cumulative": r["cumulative_systems"],
                    "source_key": r["source_key"],
                }
            )
    return pd.DataFrame(rows)


_SMALL = {"and", "of", "the", "for", "in", "on", "with"}
_UPPER = {"NHS", "NHS,", "UK"}


def tidy_trust_name(name: str) -> str:
    """An ODS trust name (in capitals) in title case, keeping "NHS" and small words:
    "THE ROYAL WOLVERHAMPTON NHS TRUST" -> "The Royal Wolverhampton NHS Trust"."""
    words = str(name).split()
    out = []
    for i, w in enumerate(words):
        if w in _UPPER:
            out.append(w)
        elif i > 0 and w.lower() in _SMALL:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def short_trust_name(name: str) -> str:
    """A trust's name without "NHS Trust" or "NHS Foundation Trust", unless only "The" and one word
    would be left: "Frimley Health NHS Foundation Trust" -> "Frimley Health", but "The Online NHS
    Trust" stays whole. Takes a name tidied with :func:`tidy_trust_name`."""
    short = re.sub(r"\s+NHS( Foundation)? Trust$", "", str(name))
    return str(name) if re.fullmatch(r"The \S+", short) else short


def trust_icb_2022(trusts: pd.DataFrame, icbs: pd.DataFrame) -> pd.Series:
    """The July 2022 ICB (ODS code) of each trust in ``trusts``, indexed by ``org_code``, on the same
    basis as its 2026 ICB: the ICB of the trust's headquarters in the Organisation Data Service.

    ``trusts.icb_code`` is the ICB of the headquarters in the ODS file of June 2026. Where that 2026
    board is a single 2022 board, whole (unchanged or renamed), the 2022 ICB is that board. Otherwise
    (the trust is in a board formed by merger, or one that took part of a divided board) it is the
    headquarters' code in the ODS file of October 2020 (``hq_stp_2020``: STP codes became the ICB codes
    of July 2022), or, for a trust formed after October 2020, the code its predecessors in ``trusts``
    shared there. Trusts for which none applies get <NA>. The NHS workforce statistics assign some
    trusts to a different system (e.g. Oxleas to South East London, whose headquarters is in Kent and
    Medway); they are not used, so that both columns of the lookup rest on one basis."""
    parts = icbs_2026(icbs)
    one = parts[(parts["n_icbs_2022"] == 1) & ~parts["includes_split"]]
    whole = icbs.set_index("icb_2026_code").loc[lambda d: d.index.isin(one["icb_2026_code"]), "icb_code"]
    codes22 = set(icbs["icb_code"])
    hq20 = trusts.set_index("org_code")["hq_stp_2020"] if "hq_stp_2020" in trusts else pd.Series(dtype=object)
    pred = {}
    if "successor_code" in trusts:
        for old, new in zip(trusts["org_code"], trusts["successor_code"]):
            if pd.notna(new) and pd.notna(hq20.get(old)):
                pred.setdefault(new, set()).add(hq20[old])

    def icb22(code, icb26):
        if pd.notna(icb26) and icb26 in whole.index:
            return whole[icb26]
        h = hq20.get(code)
        if pd.notna(h) and h in codes22:
            return h
        p = pred.get(code, set()) & codes22
        return next(iter(p)) if len(p) == 1 else pd.NA

    out = pd.Series([icb22(c, i) for c, i in zip(trusts["org_code"], trusts["icb_code"])], index=trusts["org_code"])
    return out.astype("string").rename("icb_2022_code")


def trust_lookup(trusts: pd.DataFrame, icbs: pd.DataFrame, date) -> pd.DataFrame:
    """Every trust open on ``date`` with its type, region, July 2022 ICB, ICB from April 2026
    and the other trusts open on that date whose headquarters are in the same 2026 ICB. Both
    ICBs are those of the trust's headquarters in ODS (:func:`trust_icb_2022`).

    Columns: ``org_code, trust, trust_type, region, icb_2022, icb_2026, others, n_others``,
    sorted by trust name. Names are tidied with :func:`tidy_trust_name`; ``others`` lists the
    other trusts' names without "NHS Trust"/"NHS Foundation Trust" (kept where the rest would be
    "The" and one word, as in "The Online NHS Trust"), separated by semicolons."""
    from nhsreport.analysis.counting import trusts_open_on

    t = trusts_open_on(trusts, date)
    t = t.assign(icb_2022_code=trust_icb_2022(trusts, icbs).reindex(t["org_code"]).to_numpy())
    names22 = icbs.set_index("icb_code")["icb_name"]
    names26 = dict(zip(icbs["icb_2026_code"], icbs["icb_2026_name"]))
    regions = dict(zip(icbs["region_code"], icbs["region_name"]))
    unknown = sorted(set(t["icb_code"].dropna()) - set(names26))
    if unknown:
        raise ValueError(f"trusts report to ICB codes unknown in icbs.icb_2026_code: {unknown}")
    t["trust"] = t["org_name"].map(tidy_trust_name)
    t["short"] = t["trust"].map(short_trust_name)
    others = {}
    for _, g in t.groupby("icb_code", observed=True):
        for org in g["org_code"]:
            rest = sorted(s for o, s in zip(g["org_code"], g["short"]) if o != org)
            others[org] = (rest, len(rest))
    out = pd.DataFrame(
        {
            "org_code": t["org_code"].astype(str),
            "trust": t["trust"],
            "trust_type": t["trust_type"].astype(str),
            "region": t["region_code"].map(regions),
            "icb_2022": t["icb_2022_code"].map(lambda c: names22.get(c, pd.NA) if pd.notna(c) else pd.NA),
            "icb_2026": t["icb_code"].map(names26),
            "others": t["org_code"].map(lambda o: "; ".join(others[o][0])),
            "n_others": t["org_code"].map(lambda o: others[o][1]).astype("int64"),
        }
    )
    return out.sort_values("trust", key=lambda s: s.str.casefold(), kind="mergesort").reset_index(drop=True)


__all__ += ["ccgs_per_system"]


def ccgs_per_system(lineage: pd.DataFrame, years=(2013, 2019, 2020, 2021)) -> pd.DataFrame:
    """CCGs per system on the July 2022 ICB footprints, for each April snapshot.

    A CCG counts in the ICB of its April 2021 successor (``ccg_lineage.icb_code``). One row per
    year: ``year, n_ccgs, n_systems, one_ccg`` (systems with a single CCG), ``median``,
    ``max``."""
    rows = []
    for y in years:
        g = lineage[lineage[f"exists_{y}"].astype(bool)].groupby("icb_code", observed=True)["ccg_code"].nunique()
        rows.append(
            {
                "year": int(y),
                "n_ccgs": int(g.sum()),
                "n_systems": int(len(g)),
                "one_ccg": int((g == 1).sum()),
                "median": float(g.median()),
                "max": int(g.max()),
            }
        )
    return pd.DataFrame(rows)


__all__ += ["misoriented_areas"]


def misoriented_areas(topology: dict) -> list[str]:
    """Codes of the areas of a processed TopoJSON whose outer ring is wound the wrong way for
    d3-geo. The boundary builder rewinds every ring (:func:`nhsreport.geometry.rewind`), so this is
    empty for the processed files; maps keep the check as a guard."""
    return geometry.misoriented_areas(topology)


__all__ += ["extent"]


def extent(topology: dict) -> tuple[float, float, float, float]:
    """The bounding box of a processed TopoJSON's boundaries: ``(west, south, east, north)`` in
    degrees, for placing names beside a map."""
    points = pd.DataFrame([p for arc in geometry.lonlat_arcs(topology) for p in arc], columns=["lon", "lat"])
    return (
        float(points["lon"].min()),
        float(points["lat"].min()),
        float(points["lon"].max()),
        float(points["lat"].max()),
    )


__all__ += ["split_status"]


def split_status(
    overlap: pd.DataFrame, split: pd.DataFrame, keys=("lad_code", "lad_name"), split_code: str = "lad_code"
) -> pd.DataFrame:
    """Every area of ``overlap`` with the ICBs it has small areas in (July 2022), for a map of the
    areas split between ICBs.

    ``overlap`` is ``lad_icb_overlap`` (districts) or :func:`nhsreport.analysis.footprints.upper_tier_overlap`
    (councils); ``split`` the split areas of the same kind (:func:`split_districts`, or
    :func:`nhsreport.analysis.footprints.split_councils`, whose code column ``split_code`` names).
    One row per area: the columns ``keys``, ``n_icbs``, ``icbs`` (the ICBs' names, "; "),
    ``areas`` (a split area's shares, "Sussex 94%; Surrey Heartlands 6%", else its one ICB) and
    ``status`` ("Split between ICBs" or "Wholly within one ICB")."""
    out = (
        overlap[overlap["n_lsoas"] > 0]
        .groupby(list(keys), observed=True)
        .agg(n_icbs=("icb_code", "nunique"), icbs=("icb_name", lambda s: "; ".join(sorted(s))))
        .reset_index()
    )
    out = out.merge(split[[split_code, "areas"]], left_on="lad_code", right_on=split_code, how="left")
    out["areas"] = out["areas"].fillna(out["icbs"])
    out["status"] = out["n_icbs"].map(lambda n: "Split between ICBs" if n > 1 else "Wholly within one ICB")
    return out


def spread(values) -> dict:
    """How uneven a set of sizes is: ``ratio`` (largest over smallest), ``cv`` (coefficient of
    variation: the standard deviation, over all values, divided by the mean), ``q1``, ``median``,
    ``q3`` and ``iqr_ratio`` (upper over lower quartile: the middle half's spread, which one very
    large or very small area does not move)."""
    s = pd.Series(values, dtype="float64")
    if s.empty or s.isna().any() or (s <= 0).any():
        raise ValueError("spread needs positive values")
    q1, median, q3 = (float(s.quantile(q)) for q in (0.25, 0.5, 0.75))
    return {
        "ratio": float(s.max() / s.min()),
        "cv": float(s.std(ddof=0) / s.mean()),
        "q1": q1,
        "median": median,
        "q3": q3,
        "iqr_ratio": q3 / q1,
    }
