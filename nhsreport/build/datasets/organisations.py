"""Organisations: NHS trusts since 2012 and their mergers, commissioner counts over time, and
KH03 beds by trust.

Each raw file is read by its reader in :mod:`nhsreport.build.readers`; each dataset has a
``build_*(ctx)`` that combines them (raising :class:`~nhsreport.errors.DataError` on bad input).
"""

from __future__ import annotations

import re

import pandas as pd

from nhsreport.build import sources
from nhsreport.build.readers.kh03 import read_kh03_annual, read_kh03_quarterly
from nhsreport.build.readers.ods import (
    change_steps,
    read_ccg_stp_reffile,
    read_change_paths,
    read_eccg,
    read_etr,
    read_footprints_2016,
    read_mergers_2020,
    read_provider_types,
    read_successor_lookup,
)
from nhsreport.build.readers.ons import read_ccg13, read_crosswalk
from nhsreport.build.readers.workforce import read_managers_fte, read_turnover
from nhsreport.dates import is_open_on
from nhsreport.errors import DataError
from nhsreport.schema import ODS_CODE, REGIONS, TRUST_TYPES, Dataset, Field

TYPE_BASES = (
    "workforce cluster group 2025",
    "provider type file c.2018",
    "name pattern",
    "KH03 bed mix",
    "no rule matched",
)
SUCCESSOR_BASES = ("ODS successor file", "merger list 2020-21", "inferred")
CHANGE_TYPES = ("merger", "acquisition", "merger or acquisition", "split")
BODY_TYPES = ("PCT", "SHA", "CCG", "STP", "ICS", "ICB")

START = pd.Timestamp("2012-04-01")
NIGHTINGALE = "R0C"
RENAME_WINDOW_START = pd.Timestamp("2020-10-01")  # date of the earlier ODS trust file

# --------------------------------------------------------------------------------------------
# views of the raw files (each file is read in nhsreport.build.readers)
# --------------------------------------------------------------------------------------------


def cluster_groups(turnover: pd.DataFrame, path) -> dict[str, str]:
    """Organisation code -> cluster group (as published) of a turnover benchmarking file."""
    df = turnover[["org_code", "cluster_group"]].drop_duplicates()
    dup = df["org_code"].duplicated(keep=False)
    if dup.any():
        code = df.loc[dup, "org_code"].iloc[0]
        raise DataError(
            path,
            f"column 'CLUSTER_GROUP' for organisation {code!r}",
            "one cluster group per organisation",
            sorted(df.loc[df["org_code"] == code, "cluster_group"]),
        )
    return dict(zip(df["org_code"], df["cluster_group"]))


def provider_types(path) -> dict[str, str]:
    """Organisation code -> ORG_TYPE of the provider type file (c. 2018)."""
    pt = read_provider_types(path)
    return dict(zip(pt["org_code"], pt["provider_type"]))


def _trust_file(path, *, require_gor: bool = False) -> pd.DataFrame:
    etr = read_etr(path, require_gor=require_gor).drop(columns="postcode")
    return etr if require_gor else etr.drop(columns="gor")


# --------------------------------------------------------------------------------------------
# trust type
# --------------------------------------------------------------------------------------------

_CLUSTER = {
    "Acute": "acute",
    "Mental Health": "mental health",
    "Community Provider Trust": "community",
    "Ambulance": "ambulance",
}
_PROVIDER = {
    "Acute": "acute",
    "Mental Health": "mental health",
    "Community Provider Trust": "community",
    "Ambulance": "ambulance",
}
# (pattern, type), tried in order on the upper-case name
NAME_RULES = (
    (r"AMBULANCE", "ambulance"),
    (r"NHS DIRECT|ONLINE|NIGHTINGALE", "other"),
    (r"MENTAL HEALTH|LEARNING DISABILIT|PSYCHIATRIC|PARTNERSHIP|SOCIAL CARE", "mental health"),
    (r"COMMUNITY|HEALTH AND CARE|CARE SERVICES", "community"),
    (r"HOSPITALS?\b|HEALTH ?CARE", "acute"),
)


def type_from_name(name: str) -> str | None:
    for pattern, t in NAME_RULES:
        if re.search(pattern, str(name).upper()):
            return t
    return None


def bed_mix(kh03: pd.DataFrame) -> dict[str, str]:
    """Code -> type from KH03 beds summed over all periods: mental illness + learning disability
    beds over half the total -> mental health; general and acute + maternity over half -> acute."""
    cols = [
        "total_on_beds_available",
        "general_acute_on_beds_available",
        "mental_illness_on_beds_available",
        "learn_disabil_on_beds_available",
        "maternity_on_beds_available",
    ]
    s = kh03.groupby("org_code")[cols].sum(min_count=1).fillna(0)
    out = {}
    for code, r in s.iterrows():
        tot = r["total_on_beds_available"]
        if tot <= 0:
            continue
        if (r["mental_illness_on_beds_available"] + r["learn_disabil_on_beds_available"]) / tot > 0.5:
            out[code] = "mental health"
        elif (r["general_acute_on_beds_available"] + r["maternity_on_beds_available"]) / tot > 0.5:
            out[code] = "acute"
    return out


def classify(code: str, name: str, cluster: dict, provider: dict, beds: dict) -> tuple[str, str]:
    if code in cluster and cluster[code] in _CLUSTER:
        return _CLUSTER[cluster[code]], TYPE_BASES[0]
    if code in provider and provider[code] in _PROVIDER:
        return _PROVIDER[provider[code]], TYPE_BASES[1]
    t = type_from_name(name)
    if t is not None:
        return t, TYPE_BASES[2]
    if code in beds:
        return beds[code], TYPE_BASES[3]
    return "other", TYPE_BASES[4]


# --------------------------------------------------------------------------------------------
# successors after the ODS successor file and the 2020-21 merger list
# --------------------------------------------------------------------------------------------

# Changes that no file here records and no automatic rule below finds, with the reason.
# All are marked ``inferred``.
KNOWN_SUCCESSORS = {
    "R1J": (
        ("RTQ",),
        "Gloucestershire Care Services joined 2gether NHS FT (RTQ) on 1 October 2019 to form "
        "Gloucestershire Health and Care NHS FT under the RTQ code (public announcements; the "
        "trust reported no KH03 beds, so the bed rule cannot confirm it).",
    ),
    "RAP": (
        ("RAL",),
        "North Middlesex University Hospital was acquired by Royal Free London NHS FT (RAL) on "
        "1 January 2025 (public announcements; after the last KH03 quarter here).",
    ),
    "RYQ": (
        ("RJ2", "RJZ"),
        "South London Healthcare was dissolved after trust special administration: Queen "
        "Elizabeth Hospital went to Lewisham and Greenwich (RJ2), the Princess Royal to King's "
        "College Hospital (RJZ); KH03 beds of both rose by about the trust's beds in the next quarter.",
    ),
    "RJD": (
        ("RJE", "RL4"),
        "Mid Staffordshire NHS FT was dissolved after trust special administration: County "
        "Hospital, Stafford went to University Hospitals of North Midlands (RJE) and Cannock "
        "Chase Hospital to the Royal Wolverhampton (RL4) (public announcements).",
    ),
}

# Trusts open on 1 April 2012 or later that neither ODS trust file lists. Every R-coded organisation
# reporting staff in the workforce statistics in a September from 2012 and missing from both ODS files
# must be here (else the build fails); its close date comes from the ODS successor file, its region and
# ICB are those of its successor. Name and opening date are from public announcements (see the note).
MISSING_FROM_ODS = {
    "RX5": (
        "GREAT WESTERN AMBULANCE SERVICE NHS TRUST",
        "2006-07-01",
        "Not in the ODS trust files of 2020 or 2026. It reports managers in the NHS workforce statistics for "
        "September 2009-2012 and merged into South Western Ambulance Service NHS FT (RYF) on 1 February 2013 "
        "according to the ODS successor file; it was formed on 1 July 2006 in the ambulance trust mergers "
        "(public announcements). Region and ICB are those of its successor.",
    ),
}

_COSMETIC = {"THE", "TEACHING", "UNIVERSITY", "NATIONAL", "HEALTH", "SERVICE", "NHS"}
_STOP = {
    "NHS",
    "TRUST",
    "FOUNDATION",
    "AND",
    "THE",
    "OF",
    "HEALTH",
    "CARE",
    "SERVICES",
    "HOSPITAL",
    "HOSPITALS",
    "UNIVERSITY",
    "TEACHING",
    "HEALTHCARE",
    "NORTH",
    "SOUTH",
    "EAST",
    "WEST",
    "ENGLAND",
}


def _nice(name: str) -> str:
    """ODS upper-case name in title case, with NHS and small words as usually written."""
    small = {"And", "Of", "The", "For", "On", "Upon"}
    words = str(name).title().split()
    words = [w.lower() if i and w in small else w for i, w in enumerate(words)]
    return " ".join(words).replace("Nhs", "NHS")


def _words(name: str) -> set[str]:
    return set(re.findall(r"[A-Z]+", str(name).upper()))


def substantive_rename(old: str, new: str) -> bool:
    """A change of name beyond adding/removing 'Teaching', 'University', 'The' etc."""
    return (_words(old) - _COSMETIC) != (_words(new) - _COSMETIC)


def infer_successors(etr: pd.DataFrame, names_2020: dict, kh03q: pd.DataFrame, todo: list[str]) -> dict:
    """Code -> (successor codes, note) for closed trusts in ``todo``, by these rules in order:

    0. the documented list ``KNOWN_SUCCESSORS`` (takeovers and splits no file records);
    1. a new trust code opened the day after the closure in the same NHS region;
    2. KH03: in the quarter after the trust's last return, one trust of the same region gained
       available beds equal to at least half of the closed trust's beds;
    3. an open trust in the same ICB (or, failing that, in the same region with a distinctive
       word of the closed trust's name in common) was substantively renamed between the October
       2020 and June 2026 ODS files, and no earlier closure already explains the rename (only for
       closures after October 2020).
    Rule 1 also requires the same ICB or a distinctive word of the name in common.
    """
    etr = etr.set_index("code")
    beds = kh03q.pivot_table(index="org_code", columns="period_end", values="total_on_beds_available", aggfunc="sum")
    quarters = list(beds.columns)
    found: dict[str, tuple] = {}
    renamed = {c for c, n in names_2020.items() if c in etr.index and substantive_rename(n, etr.at[c, "name"])}
    for code in sorted(todo, key=lambda c: (etr.at[c, "closed"], c)):
        if code in KNOWN_SUCCESSORS:
            found[code] = KNOWN_SUCCESSORS[code]
            continue
        r = etr.loc[code]
        day = r["closed"] + pd.Timedelta(days=1)
        cand = etr[(etr["region"] == r["region"]) & is_open_on(etr["opened"], etr["closed"], day).to_numpy()]
        cand = cand[cand.index != code]
        own = _words(r["name"]) - _STOP
        related = [c for c in cand.index if cand.at[c, "icb"] == r["icb"] or own & (_words(cand.at[c, "name"]) - _STOP)]
        new = cand[(cand["opened"] == day) & cand.index.isin(related)]
        if len(new) == 1:
            found[code] = (
                (new.index[0],),
                f"{new.index[0]} opened on {day.date()}, the day after the closure, in the same region.",
            )
            continue
        if code in beds.index:
            s = beds.loc[code].dropna()
            s = s[s > 0]
            if not s.empty:
                last = s.index.max()
                i = quarters.index(last)
                if i + 1 < len(quarters) and last >= r["closed"] - pd.Timedelta(days=92):
                    nxt = quarters[i + 1]
                    sub = beds.reindex(cand.index)
                    gain = (sub[nxt].fillna(0) - sub[last].fillna(0)).sort_values(ascending=False, kind="mergesort")
                    if len(gain) and gain.iloc[0] >= 0.5 * s[last]:
                        top = gain.index[0]
                        found[code] = (
                            (top,),
                            f"KH03: {top} gained {gain.iloc[0]:.0f} available beds between "
                            f"{last.date()} and {nxt.date()}, against {s[last]:.0f} at the closed trust.",
                        )
                        continue
        if r["closed"] < RENAME_WINDOW_START:
            continue
        used = {c for v in found.values() for c in v[0]}
        pool = [c for c in cand.index if c in renamed and c not in used]
        same_icb = [c for c in pool if etr.at[c, "icb"] == r["icb"]]
        shared = [c for c in pool if (_words(r["name"]) - _STOP) & (_words(etr.at[c, "name"]) - _STOP)]
        pick = same_icb if len(same_icb) == 1 else (shared if not same_icb and len(shared) == 1 else [])
        if pick:
            c = pick[0]
            found[code] = (
                (c,),
                f"{c} was renamed from '{_nice(names_2020[c])}' (ODS, Oct 2020) to "
                f"'{_nice(etr.at[c, 'name'])}' (ODS, Jun 2026), consistent with taking over this trust.",
            )
    return found


# --------------------------------------------------------------------------------------------
# builders
# --------------------------------------------------------------------------------------------


def _changes_from_files(ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """R-to-R steps of the ODS successor file and the 2020-21 merger list."""
    path = ctx.raw("org_change_paths_2000_2018")
    steps = change_steps(read_change_paths(path), path)
    steps = steps[steps["old"].str.startswith("R") & steps["new"].str.startswith("R")].copy()
    steps["basis"] = SUCCESSOR_BASES[0]
    m = read_mergers_2020(ctx.raw("trust_mergers_2020_2021"))
    m["ods_type"] = None
    m["basis"] = SUCCESSOR_BASES[1]
    return steps, m


def _trust_frame(ctx):
    etr = _trust_file(ctx.raw("ods_etr_2026_06"), require_gor=True)
    e20 = _trust_file(ctx.raw("ods_etr_2020_10"))
    missing = sorted(set(e20["code"]) - set(etr["code"]))
    if missing:
        raise DataError(
            ctx.raw("ods_etr_2026_06"), "trust codes", "every trust code of the October 2020 file", f"missing {missing}"
        )
    etr = etr[etr["gor"] != "W"].drop(columns="gor").reset_index(drop=True)
    return etr, e20


def missing_trusts(
    etr: pd.DataFrame, e20: pd.DataFrame, steps: pd.DataFrame, managers: pd.DataFrame, managers_path
) -> pd.DataFrame:
    """Rows in the layout of :func:`~nhsreport.build.readers.ods.read_etr` for the trusts of
    :data:`MISSING_FROM_ODS`: R-coded
    organisations reporting staff in a September from 2012 that neither ODS trust file lists.

    ``steps`` are the R-to-R changes of the ODS successor file (the close date is the day before the
    change), ``managers`` the managers FTE file (year, org_code). An organisation found this way with no
    entry in :data:`MISSING_FROM_ODS`, or with no change in the successor file, stops the build."""
    known = set(etr["code"]) | set(e20["code"])
    seen = managers[(managers["year"] >= START.year) & managers["org_code"].str.fullmatch(r"R[A-Z0-9]{2}")]
    rows = []
    for code in sorted(set(seen["org_code"]) - known):
        if code not in MISSING_FROM_ODS:
            years = sorted(seen.loc[seen["org_code"] == code, "year"].unique())
            raise DataError(
                managers_path,
                f"organisation {code} (years {years[0]}-{years[-1]})",
                "a trust listed in the ODS trust files, or documented in MISSING_FROM_ODS",
                "neither",
            )
        name, opened, _ = MISSING_FROM_ODS[code]
        step = steps[steps["old"] == code]
        if len(step) != 1:
            raise DataError(
                managers_path,
                f"organisation {code}",
                "exactly one change in the ODS successor file giving its close date",
                f"{len(step)} changes",
            )
        succ = step["new"].iloc[0]
        home = etr[etr["code"] == succ]
        if home.empty:
            raise DataError(
                managers_path, f"organisation {code}", f"its successor {succ} in the ODS trust file", "none"
            )
        rows.append(
            {
                "code": code,
                "name": name,
                "region": home["region"].iloc[0],
                "icb": home["icb"].iloc[0],
                "opened": pd.Timestamp(opened),
                "closed": step["date"].iloc[0] - pd.Timedelta(days=1),
            }
        )
    return pd.DataFrame(rows, columns=["code", "name", "region", "icb", "opened", "closed"])


def build_trusts(ctx) -> pd.DataFrame:
    etr, e20 = _trust_frame(ctx)
    steps, m = _changes_from_files(ctx)
    mgr_path = ctx.raw("managers_fte_by_org_2009_2018")
    extra = missing_trusts(etr, e20, steps, read_managers_fte(mgr_path), mgr_path)
    if not extra.empty:
        etr = pd.concat([etr, extra], ignore_index=True)
    names_2020 = dict(zip(e20["code"], e20["name"]))
    cluster = cluster_groups(
        read_turnover(ctx.raw("turnover_benchmarking_2025_11")), ctx.raw("turnover_benchmarking_2025_11")
    )
    provider = provider_types(ctx.raw("provider_org_types"))
    kh03a = read_kh03_annual(ctx.raw("kh03_beds_2000_2010"))
    kh03q = read_kh03_quarterly(ctx.raw("kh03_beds_2010_2024"))
    beds = bed_mix(pd.concat([kh03a, kh03q]))

    t = etr[(etr["closed"].isna() | (etr["closed"] >= START)) & (etr["code"] != NIGHTINGALE)].copy()
    types = [classify(c, n, cluster, provider, beds) for c, n in zip(t["code"], t["name"])]
    t["trust_type"] = [x[0] for x in types]
    t["trust_type_basis"] = [x[1] for x in types]

    succ, basis, note = {}, {}, {}
    for src in (steps, m):
        for old, grp in src.groupby("old"):
            if old in succ:
                continue
            news = sorted(grp["new"].unique())
            if len(news) == 1:
                succ[old], basis[old], note[old] = news[0], grp["basis"].iloc[0], None
    closed = t[t["closed"].notna()]
    todo = [c for c in closed["code"] if c not in succ]
    for code, (news, why) in infer_successors(etr, names_2020, kh03q, todo).items():
        basis[code] = SUCCESSOR_BASES[2]
        if len(news) == 1:
            succ[code], note[code] = news[0], why
        else:
            note[code] = f"Split between {' and '.join(news)}. {why}"
    out = pd.DataFrame(
        {
            "org_code": t["code"],
            "org_name": t["name"],
            "trust_type": t["trust_type"],
            "trust_type_basis": t["trust_type_basis"],
            "region_code": t["region"],
            "icb_code": t["icb"],
            "opened": t["opened"],
            "closed": t["closed"],
        }
    )
    out["successor_code"] = [succ.get(c) if pd.notna(cl) else None for c, cl in zip(t["code"], t["closed"])]
    out["successor_basis"] = [basis.get(c) if pd.notna(cl) else None for c, cl in zip(t["code"], t["closed"])]
    out["successor_note"] = [note.get(c) if pd.notna(cl) else None for c, cl in zip(t["code"], t["closed"])]
    for c in ("successor_code", "successor_basis", "successor_note"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    nxt = dict(zip(out["org_code"], out["successor_code"]))

    def final(c):
        seen = {c}
        while nxt.get(c):
            c = nxt[c]
            if c in seen:
                break
            seen.add(c)
        return c

    out["final_successor_code"] = [final(c) if s else None for c, s in zip(out["org_code"], out["successor_code"])]
    hq20 = dict(zip(e20["code"], e20["icb"]))
    out["hq_stp_2020"] = out["org_code"].map(hq20)
    out["hq_stp_2020"] = out["hq_stp_2020"].astype(object).where(out["hq_stp_2020"].notna(), None)
    out["record_note"] = [
        MISSING_FROM_ODS[c][2] if c in MISSING_FROM_ODS and c in set(extra["code"]) else None for c in out["org_code"]
    ]
    return out.reset_index(drop=True)


def _check_trusts(df: pd.DataFrame, label) -> None:
    codes = set(df["org_code"])
    bad = df["successor_code"].notna() & ~df["successor_code"].isin(codes)
    if bad.any():
        r = df[bad].iloc[0]
        raise DataError(
            label,
            f"org_code={r['org_code']!r}, column 'successor_code'",
            "a code listed in trusts.org_code",
            repr(r["successor_code"]),
        )
    both = df["successor_code"].notna() != df["successor_basis"].notna()
    split = df["successor_note"].fillna("").str.startswith("Split")
    if (both & ~split).any():
        r = df[both & ~split].iloc[0]
        raise DataError(
            label,
            f"org_code={r['org_code']!r}",
            "a successor_basis exactly when there is a successor_code",
            "a mismatch",
        )
    early = df["closed"].notna() & (pd.to_datetime(df["closed"]) < pd.to_datetime(df["opened"]))
    if early.any():
        r = df[early].iloc[0]
        raise DataError(
            label, f"org_code={r['org_code']!r}", "closed on or after opened", f"{r['opened']} > {r['closed']}"
        )
    open_now = df[df["closed"].isna()]
    if (open_now["successor_code"].notna()).any():
        raise DataError(label, "successor_code", "no successor for an open trust", "one")


def _names(ctx, etr: pd.DataFrame, e20: pd.DataFrame) -> dict:
    """Latest known name of every trust code: ODS 2026, then ODS 2020, then the latest KH03 return."""
    names: dict[str, str] = {}
    for kh in (read_kh03_annual(ctx.raw("kh03_beds_2000_2010")), read_kh03_quarterly(ctx.raw("kh03_beds_2010_2024"))):
        kh = kh.sort_values("period_end", kind="mergesort")
        names.update(dict(zip(kh["org_code"], kh["org_name"].str.strip().str.upper())))
    names.update({c: v[0] for c, v in MISSING_FROM_ODS.items()})
    names.update(dict(zip(e20["code"], e20["name"])))
    names.update(dict(zip(etr["code"], etr["name"])))
    return names


def build_trust_changes(ctx) -> pd.DataFrame:
    """Every change of trust code (old code -> successor) with its date, basis, whether it was a
    merger, an acquisition or a split, and the successor's trust type."""
    trusts = ctx.dataset("trusts")
    etr, e20 = _trust_frame(ctx)
    names = _names(ctx, etr, e20)
    steps, m = _changes_from_files(ctx)
    ch = _with_inferred_changes(_dated_changes((steps, m), etr), trusts)
    kh = read_kh03_annual(ctx.raw("kh03_beds_2000_2010"))
    ch["change_type"] = _change_types(ch, etr, e20, kh)
    successor_type = _successor_type_rule(ctx, trusts, names, kh)
    out = pd.DataFrame(
        {
            "date": ch["date"],
            "year": ch["date"].dt.year.astype("int64"),
            "old_code": ch["old_code"],
            "old_name": ch["old_code"].map(names),
            "new_code": ch["new_code"],
            "new_name": ch["new_code"].map(names),
            "change_type": ch["change_type"],
            "trust_type": ch["new_code"].map(successor_type),
            "basis": ch["basis"],
            "ods_change_type": ch["ods_type"],
        }
    )
    for c in ("old_name", "new_name", "trust_type", "ods_change_type"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    _check_against_lookup(ctx, out)
    return out


def _dated_changes(sources_of_changes: tuple[pd.DataFrame, ...], etr: pd.DataFrame) -> pd.DataFrame:
    """The changes of the ODS successor file and the merger list, each pair of codes once (the
    first source wins). The ODS/merger-list close date is the last day under the old code, so a
    change within a day of it is dated the day after."""
    close = dict(zip(etr["code"], etr["closed"]))
    rows = []
    for src in sources_of_changes:
        for r in src.itertuples():
            date = r.date
            c = close.get(r.old)
            if c is not None and pd.notna(c) and abs((c + pd.Timedelta(days=1) - date).days) <= 1:
                date = c + pd.Timedelta(days=1)
            rows.append({"date": date, "old_code": r.old, "new_code": r.new, "basis": r.basis, "ods_type": r.ods_type})
    return pd.DataFrame(rows).drop_duplicates(["old_code", "new_code"], keep="first")


def _with_inferred_changes(ch: pd.DataFrame, trusts: pd.DataFrame) -> pd.DataFrame:
    """``ch`` with a change, dated the day after closure, from every trust whose successor was
    inferred to that successor (or to its known successors), each pair of codes once."""
    inferred = trusts[trusts["successor_basis"] == SUCCESSOR_BASES[2]]
    for r in inferred.itertuples():
        news = [r.successor_code] if pd.notna(r.successor_code) else list(KNOWN_SUCCESSORS.get(r.org_code, ((),))[0])
        for n in news:
            row = {
                "date": pd.Timestamp(r.closed) + pd.Timedelta(days=1),
                "old_code": r.org_code,
                "new_code": n,
                "basis": SUCCESSOR_BASES[2],
                "ods_type": None,
            }
            ch = pd.concat([ch, pd.DataFrame([row])], ignore_index=True)
    return ch.drop_duplicates(["old_code", "new_code"], keep="first").reset_index(drop=True)


def _change_types(ch: pd.DataFrame, etr: pd.DataFrame, e20: pd.DataFrame, kh: pd.DataFrame) -> list[str]:
    """Type of each change of ``ch``: a split (one old code, several successors), a merger (the
    successor code new at the change), an acquisition (the successor already there) or, when the
    files cannot tell, a merger or acquisition. ``kh`` is the annual KH03 file (2000-2010)."""
    opened = dict(zip(e20["code"], e20["opened"]))
    opened.update(dict(zip(etr["code"], etr["opened"])))
    first_kh = kh.groupby("org_code")["period_end"].min().to_dict()
    earliest_step = ch.groupby("new_code")["date"].min().to_dict()
    n_old = ch.groupby("old_code")["new_code"].nunique().to_dict()
    types = []
    for r in ch.itertuples():
        if n_old[r.old_code] > 1 or r.ods_type == "split":
            types.append("split")
            continue
        o = opened.get(r.new_code)
        if o is not None and pd.notna(o):
            types.append(
                "merger" if abs((o - r.date).days) <= 1 else ("acquisition" if o < r.date else "merger or acquisition")
            )
        elif earliest_step.get(r.new_code, r.date) < r.date:
            types.append("acquisition")  # the successor had already absorbed another code before
        elif r.new_code in first_kh and first_kh[r.new_code] < r.date - pd.Timedelta(days=1):
            types.append("acquisition")  # reported KH03 beds in a year ending before the change
        elif (
            r.new_code in first_kh
            and r.date >= pd.Timestamp("2001-04-01")
            and first_kh[r.new_code] <= r.date + pd.DateOffset(years=1)
        ):
            types.append("merger")  # first KH03 return in the year of the change
        else:
            types.append("merger or acquisition")
    return types


def _successor_type_rule(ctx, trusts: pd.DataFrame, names: dict, kh: pd.DataFrame):
    """A function giving the trust type of a successor code: its type in ``trusts`` if it is
    there, else the type the classification rules give its latest name (``None`` when no rule
    matches or the code has no known name). ``kh`` is the annual KH03 file (2000-2010)."""
    cluster = cluster_groups(
        read_turnover(ctx.raw("turnover_benchmarking_2025_11")), ctx.raw("turnover_benchmarking_2025_11")
    )
    provider = provider_types(ctx.raw("provider_org_types"))
    beds = bed_mix(pd.concat([kh, read_kh03_quarterly(ctx.raw("kh03_beds_2010_2024"))]))
    ttype = dict(zip(trusts["org_code"], trusts["trust_type"]))

    def successor_type(code):
        if code in ttype:
            return ttype[code]
        if code in names:
            trust_type, basis = classify(code, names[code], cluster, provider, beds)
            return trust_type if basis != TYPE_BASES[4] else None
        return None

    return successor_type


def _check_against_lookup(ctx, changes: pd.DataFrame) -> None:
    """The final successor of every code in the ODS trust successor lookup (R codes, single path,
    not flagged problematic) must be where our chain of changes dated up to 2018 ends."""
    path = ctx.raw("trust_successor_lookup_2000_2018")
    lk = read_successor_lookup(path)
    lk = lk[
        lk["old_code"].str.startswith("R")
        & lk["final_code"].str.startswith("R")
        & (lk["problematic"] == 0)
        & (lk["experiences_split"] == 0)
    ]
    lk = lk[~lk["old_code"].duplicated(keep=False)]
    early = changes[changes["date"] <= pd.Timestamp("2018-12-31")]
    single = early[~early["old_code"].duplicated(keep=False)]
    nxt = dict(zip(single["old_code"], single["new_code"]))
    bad = []
    for old, final in zip(lk["old_code"], lk["final_code"]):
        c, seen = old, {old}
        while c in nxt and nxt[c] not in seen:
            c = nxt[c]
            seen.add(c)
        if c != final:
            bad.append(f"{old}: {c} (lookup {final})")
    if bad:
        raise DataError(path, "column 'final_code'", "the final successors reached by the change paths", "; ".join(bad))


# --- commissioners ---------------------------------------------------------------------------


def _url(source_id: str) -> str:
    return sources.get(source_id).url


def _computed(source_id: str) -> str:
    return f"computed from data: {sources.get(source_id).path}"


def sha_count(managers: pd.DataFrame, year: int) -> int:
    """Strategic health authorities (ODS codes Q30-Q39) reporting managers in September of ``year``."""
    codes = managers.loc[managers["year"] == year, "org_code"]
    return int(codes[codes.str.fullmatch(r"Q3\d")].nunique())


def ccgs_open_on(path, date) -> int:
    """CCGs (column 14 = C) of the ODS eccg file open on ``date``."""
    df = read_eccg(path)
    df = df[df["org_sub_type"] == "C"]
    return int(is_open_on(df["opened"], df["closed"], date).sum())


def published_counts(ctx) -> list[dict]:
    """The counts no data file here gives, from the curated tables (one home for each published
    figure): the primary care trusts abolished on 1 April 2013 (``published_org_counts``) and the
    running total of integrated care systems after each designation wave (``ics_waves``,
    ``cumulative_systems``). NHS England's running total counts the two devolution areas named
    with the first wave (Greater Manchester, Surrey Heartlands) beside the eight shadow accountable
    care systems: ten in June 2017, the base of the fourteen of May 2018."""
    from nhsreport.build.datasets.curated import ICS_WAVES, PUBLISHED_ORG_COUNTS, parse_curated

    path = ctx.curated("published_org_counts.csv")
    counts = parse_curated(path, PUBLISHED_ORG_COUNTS)
    pct = counts[(counts["body_type"] == "PCT") & (counts["measure"] == "primary care trusts abolished")]
    if len(pct) != 1:
        raise DataError(path, "column 'measure'", "one row 'primary care trusts abolished'", f"{len(pct)} rows")
    r = pct.iloc[0]
    rows = [
        {
            "date": pd.Timestamp(r["date"]),
            "body_type": "PCT",
            "count": int(r["value"]),
            "basis": f"published: {r['source_title']}",
            "source_url": r["source_url"],
            "note": "Primary care trusts abolished on 1 April 2013 and replaced by clinical commissioning groups.",
        }
    ]
    path = ctx.curated("ics_waves.csv")
    waves = parse_curated(path, ICS_WAVES)
    waves = waves[waves["cumulative_systems"].notna()].drop_duplicates("wave", keep="first")
    for _, w in waves.iterrows():
        first = int(w["cumulative_systems"]) == int(w["n_systems"])
        note = (
            f"Integrated care systems after designation wave {w['wave']}: {int(w['n_systems'])} named"
            + (
                " (eight shadow accountable care systems and the two devolution areas named with them)"
                if first
                else f", {int(w['cumulative_systems'])} in all"
            )
            + "; dated at the announcement."
        )
        rows.append(
            {
                "date": pd.Timestamp(w["announced"]),
                "body_type": "ICS",
                "count": int(w["cumulative_systems"]),
                "basis": f"published: {w['source_title']}",
                "source_url": w["source_url"],
                "note": note,
            }
        )
    return rows


def build_commissioners(ctx) -> pd.DataFrame:
    """Counts of commissioning bodies (SHAs, PCTs, CCGs, STPs, ICSs, ICBs) on dates from 2012,
    each computed from an official file or, where no file gives it, published."""
    rows = (
        _commissioners_2012_to_2018(ctx)
        + _commissioners_2016_to_2020(ctx)
        + _commissioners_2021_to_2026(ctx)
        + published_counts(ctx)
    )
    return pd.DataFrame(rows)


def _commissioner_count(date, body: str, count, source_id: str, note: str) -> dict:
    """One row of ``commissioners_over_time``: ``count`` bodies of type ``body`` on ``date``,
    computed from the official file ``source_id``."""
    return {
        "date": pd.Timestamp(date),
        "body_type": body,
        "count": int(count),
        "basis": _computed(source_id),
        "source_url": _url(source_id),
        "note": note,
    }


def _commissioners_2012_to_2018(ctx) -> list[dict]:
    """The strategic health authorities of September 2012 and the CCGs of 2013, 2017 and 2018."""
    return [
        _commissioner_count(
            "2012-09-30",
            "SHA",
            sha_count(read_managers_fte(ctx.raw("managers_fte_by_org_2009_2018")), 2012),
            "managers_fte_by_org_2009_2018",
            "Strategic health authorities (ODS codes Q30-Q39) reporting staff in September 2012, the last September before their abolition on 1 April 2013.",
        ),
        _commissioner_count(
            "2013-04-01",
            "CCG",
            read_ccg13(ctx.raw("ccg13_names_codes"))["CCG13CD"].nunique(),
            "ccg13_names_codes",
            "Clinical commissioning groups at their establishment.",
        ),
        _commissioner_count(
            "2017-09-30",
            "CCG",
            ccgs_open_on(ctx.raw("ods_eccg_2018_11"), "2017-09-30"),
            "ods_eccg_2018_11",
            "CCGs open on 30 September 2017 in the ODS file of November 2018 (the date of the September 2017 workforce "
            "statistics, in which fewer CCGs report staff). A CCG closed between that date and 1 January 2018 would be "
            "missing from the file; CCG mergers took effect on 1 April.",
        ),
        _commissioner_count(
            "2018-04-01",
            "CCG",
            ccgs_open_on(ctx.raw("ods_eccg_2018_11"), "2018-04-01"),
            "ods_eccg_2018_11",
            "CCGs open on 1 April 2018 in the ODS file of November 2018 (which drops CCGs closed before 2018, so earlier dates cannot be counted from it).",
        ),
    ]


def _commissioners_2016_to_2020(ctx) -> list[dict]:
    """The CCGs and STPs before and after the April 2020 mergers (the reference file of 2020)
    and the original STP footprints of March 2016."""
    reffile = read_ccg_stp_reffile(ctx.raw("ccg_stp_reffile_2020"))
    pre, post = reffile["pre"], reffile["post"]
    return [
        _commissioner_count(
            "2019-04-01",
            "CCG",
            pre["CCG Code"].nunique(),
            "ccg_stp_reffile_2020",
            "CCGs before the April 2020 mergers (sheet 'Pre-Apr 2020').",
        ),
        _commissioner_count(
            "2020-04-01",
            "CCG",
            post["CCG Code"].nunique(),
            "ccg_stp_reffile_2020",
            "CCGs after the April 2020 mergers (sheet 'Post-Apr 2020').",
        ),
        _commissioner_count(
            "2019-04-01",
            "STP",
            pre["STP Code"].nunique(),
            "ccg_stp_reffile_2020",
            "Distinct STP codes of the CCGs in sheet 'Pre-Apr 2020'.",
        ),
        _commissioner_count(
            "2020-04-01",
            "STP",
            post["STP Code"].nunique(),
            "ccg_stp_reffile_2020",
            "Distinct STP codes of the CCGs in sheet 'Post-Apr 2020'.",
        ),
        _commissioner_count(
            "2016-03-15",
            "STP",
            len(read_footprints_2016(ctx.raw("ods_stp_partner_mapping_2019"))),
            "ods_stp_partner_mapping_2019",
            "The original STP footprints (ONS codes E54000001-E54000044, sheet 'ONS STP-CCG mapping'), published 15 March 2016.",
        ),
    ]


def _commissioners_2021_to_2026(ctx) -> list[dict]:
    """The CCGs and STPs of April 2021, the ICBs of July 2022 (the 2021-22 crosswalk) and the ICBs
    of the English trusts open on 1 April 2026."""
    xw = read_crosswalk(ctx.raw("ccg21_icb22_crosswalk"))
    etr, _ = _trust_frame(ctx)
    open26 = etr[is_open_on(etr["opened"], etr["closed"], "2026-04-01").to_numpy()]
    return [
        _commissioner_count(
            "2021-04-01",
            "CCG",
            xw["CCG21CD"].nunique(),
            "ccg21_icb22_crosswalk",
            "CCGs of April 2021, the last before ICBs.",
        ),
        _commissioner_count(
            "2021-04-01",
            "STP",
            xw["STP21CD"].nunique(),
            "ccg21_icb22_crosswalk",
            "STPs of April 2021 (all also designated ICSs).",
        ),
        _commissioner_count(
            "2022-07-01",
            "ICB",
            xw["ICB22CD"].nunique(),
            "ccg21_icb22_crosswalk",
            "Integrated care boards established on 1 July 2022.",
        ),
        _commissioner_count(
            "2026-04-01",
            "ICB",
            open26["icb"].nunique(),
            "ods_etr_2026_06",
            "Distinct ICB codes of the English trusts open on 1 April 2026, after the first ICB mergers.",
        ),
    ]


# --- beds -----------------------------------------------------------------------------------


def build_trust_beds(ctx) -> pd.DataFrame:
    a = read_kh03_annual(ctx.raw("kh03_beds_2000_2010"))
    q = read_kh03_quarterly(ctx.raw("kh03_beds_2010_2024"))
    df = pd.concat([a, q], ignore_index=True)
    df = df[df["org_code"].str.startswith("R")]
    return pd.DataFrame(
        {
            "period_end": df["period_end"],
            "period_type": df["period_type"],
            "org_code": df["org_code"].str.strip(),
            "org_name": df["org_name"].str.strip(),
            "beds_available_total": df["total_on_beds_available"],
            "beds_available_general_acute": df["general_acute_on_beds_available"],
            "beds_occupied_total": df["total_on_beds_occupied"],
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# declarations
# --------------------------------------------------------------------------------------------

_TRUST_TYPE_METHOD = (
    "Trust type is taken, in this order, from the organisation cluster of the NHS workforce statistics of "
    "November 2025 (Acute, Mental Health, Community Provider Trust, Ambulance: trusts open in 2025), from "
    "the provider type file of about 2018 (trusts open then but gone by 2025), from the trust's name "
    "(ambulance; NHS Direct/online/Nightingale as other; mental health, learning disability, psychiatric, "
    "partnership or social care as mental health; community, 'health and care' or 'care services' as "
    "community; hospital(s), healthcare or health care as acute), and lastly from the trust's KH03 beds "
    "(mental illness and learning disability beds over half the total: mental health; general and acute "
    "plus maternity over half: acute). The column trust_type_basis records which rule applied. The type is "
    "that of the trust's latest record: trusts that absorbed another service (e.g. Somerset, North Cumbria "
    "Integrated Care, Isle of Wight) are classed as they are now."
)

TRUSTS = Dataset(
    name="trusts",
    title="NHS trusts in England open at any time since 1 April 2012",
    description="Every English NHS trust and foundation trust in the ODS trust file (etr) open on or after 1 April "
    "2012, with its type, region, ICB, open and close dates and the trust that took it over.",
    fields=(
        Field("org_code", "string", "ODS trust code", pattern=ODS_CODE),
        Field("org_name", "string", "Trust name at its latest ODS record"),
        Field("trust_type", "string", "Type of trust at its latest record", enum=TRUST_TYPES),
        Field("trust_type_basis", "string", "Which source or rule gave trust_type", enum=TYPE_BASES),
        Field(
            "region_code",
            "string",
            "NHS England region (ODS national grouping) at the latest record",
            enum=tuple(REGIONS),
        ),
        Field(
            "icb_code",
            "string",
            "ODS code of the ICB (earlier the STP) of the trust's headquarters at the latest record",
            pattern=ODS_CODE,
        ),
        Field("opened", "date", "ODS open date"),
        Field("closed", "date", "ODS close date (last day of operation); empty if open", required=False),
        Field(
            "successor_code",
            "string",
            "The trust that took it over; empty if open, dissolved without a single successor, or not known",
            required=False,
            pattern=ODS_CODE,
        ),
        Field("successor_basis", "string", "Where successor_code comes from", required=False, enum=SUCCESSOR_BASES),
        Field(
            "successor_note",
            "string",
            "Evidence for an inferred successor, or the trusts a split trust was divided between",
            required=False,
        ),
        Field(
            "final_successor_code",
            "string",
            "The trust at the end of the chain of successors",
            required=False,
            pattern=ODS_CODE,
        ),
        Field(
            "hq_stp_2020",
            "string",
            "STP code (ODS) of the trust's headquarters in the ODS trust file of October 2020; "
            "the STP codes became the ICB codes of 1 July 2022. Empty for trusts not in that file",
            required=False,
            pattern=ODS_CODE,
        ),
        Field(
            "record_note",
            "string",
            "For a trust that no ODS trust file lists: why it is included and where its record comes from",
            required=False,
        ),
    ),
    primary_key=("org_code",),
    sources=(
        "ods_etr_2026_06",
        "ods_etr_2020_10",
        "org_change_paths_2000_2018",
        "trust_successor_lookup_2000_2018",
        "trust_mergers_2020_2021",
        "turnover_benchmarking_2025_11",
        "provider_org_types",
        "kh03_beds_2000_2010",
        "kh03_beds_2010_2024",
        "managers_fte_by_org_2009_2018",
    ),
    build=build_trusts,
    as_of="2026-06",
    rows=(240, 265),
    checks=(_check_trusts,),
    method=(
        "The ODS trust file of June 2026 is the list of trusts: every trust with no close date or a close date on or "
        "after 1 April 2012, less the three Welsh trusts (government office region W) and the temporary Project "
        "Nightingale NHS Trust (R0C, open 1-26 March 2020). Every code of the October 2020 ODS file is checked to be "
        "present. Trusts that reported staff in the workforce statistics in a September from 2012 but are in neither "
        "ODS trust file are added from a short documented list (record_note): Great Western Ambulance Service (RX5), "
        "dissolved into South Western Ambulance Service on 1 February 2013 according to the ODS successor file; the "
        "build stops if another such code appears. A trust counts as open on a day when it opened on or before that "
        "day and closed on or after it "
        "(ODS close dates are the last day of operation). " + _TRUST_TYPE_METHOD + " Successors come from the ODS "
        "successor file (changes to 2018), then from the list of eleven trust mergers of April 2020 to October 2021, "
        "and otherwise are inferred: first from a short documented list of publicly announced takeovers and splits "
        "that no file records, then by these rules in order: a new trust opening the next day in the same region "
        "(and ICB, or with a distinctive word of the name in common); the KH03 beds of a trust in the same region "
        "rising by at least half of the closed trust's beds in the next quarter; for closures after October 2020, "
        "an open trust in the same ICB (or in the same region, sharing a distinctive word of the name) substantively "
        "renamed between the October 2020 and June 2026 ODS files. The evidence for each inferred successor is in "
        "successor_note."
    ),
    caveats=(
        "Counts of trusts open on 1 April reproduce the published ODS-derived series (227 in 2018, 214 in 2020, 199 "
        "in 2026) except in 2012, where Great Western Ambulance Service, missing from the ODS trust file, makes 244 "
        "against 243. They exclude care trusts (ODS T codes, not in the trust file): four of them (TAD, TAF, TAH, TAJ) "
        "reported staff in 2018, so with them the count of April 2020 would be 218, one more than the 217 'trusts and "
        "foundation trusts' NHS Providers published for that date. "
        "Successors marked inferred are not recorded in any ODS successor file here and should be read as "
        "well-supported but unofficial; trusts dissolved without a single successor (NHS Direct in 2014, Dudley "
        "Integrated Health and Care in 2024) or whose successor could not be established (Tavistock and Portman, "
        "March 2026) have none. North Bristol NHS Trust's close date of 30 June 2026 was in the future when the "
        "file was taken. Camden and Islington NHS FT, a care trust, merged into North London NHS FT in November 2024 "
        "but is not in this table. Trust type is a single label per trust: several trusts run acute, community "
        "and mental health services together."
    ),
)

TRUST_CHANGES = Dataset(
    name="trust_changes",
    title="NHS trust mergers and acquisitions, 2000-2026",
    description="One row per trust code dissolved into another trust (and per successor where a trust was split), "
    "with the date, the successor and whether a new code was created.",
    fields=(
        Field(
            "date", "date", "First day under the successor (the day after the old code's ODS close date where known)"
        ),
        Field("year", "integer", "Calendar year of date", minimum=2000, maximum=2026),
        Field("old_code", "string", "Dissolved trust code", pattern=ODS_CODE),
        Field("old_name", "string", "Latest known name of the dissolved trust", required=False),
        Field("new_code", "string", "Successor trust code", pattern=ODS_CODE),
        Field("new_name", "string", "Latest known name of the successor", required=False),
        Field(
            "change_type",
            "string",
            "merger (successor code new at the change), acquisition (successor code already "
            "existed), split (divided between several successors) or merger or acquisition (cannot tell)",
            enum=CHANGE_TYPES,
        ),
        Field("trust_type", "string", "Type of the successor trust where known", required=False, enum=TRUST_TYPES),
        Field("basis", "string", "Where the change comes from", enum=SUCCESSOR_BASES),
        Field(
            "ods_change_type",
            "string",
            "The change type label of the ODS successor file (merger, name_change, split)",
            required=False,
        ),
    ),
    primary_key=("old_code", "new_code"),
    sources=(
        "org_change_paths_2000_2018",
        "trust_successor_lookup_2000_2018",
        "trust_mergers_2020_2021",
        "ods_etr_2026_06",
        "ods_etr_2020_10",
        "kh03_beds_2000_2010",
        "kh03_beds_2010_2024",
        "turnover_benchmarking_2025_11",
        "provider_org_types",
    ),
    build=build_trust_changes,
    as_of="2026-06",
    rows=(200, 280),
    depends=("trusts",),
    method=(
        "The ODS successor file's chains of predecessor and successor codes are unrolled into single steps and "
        "only steps from one trust (R) code to another are kept; the eleven mergers of April 2020 to October 2021 "
        "are added from the merger list, and the successors inferred in the trusts table (and the two splits of "
        "trusts in special administration) after that. A change is dated the day after the old code's ODS close "
        "date where the ODS trust files have it, else by the date in the successor file. It is a merger when the "
        "successor's code opened on that date (ODS open date, or for codes no longer in ODS, a first KH03 return in "
        "that year), an acquisition when the successor code existed before (an earlier ODS open date, an earlier "
        "change into it or an earlier KH03 return), and otherwise 'merger or acquisition'. The final successor of "
        "every R code in the ODS successor lookup is checked to be where the chain of changes ends. To count "
        "dissolved codes per year, count distinct old_code (nhsreport.analysis.counting.count_changes_by_year)."
    ),
    caveats=(
        "The merger/acquisition split follows the codes, not the legal form: several mergers of equals kept one "
        "partner's code (e.g. Gloucestershire Health and Care, North Cumbria Integrated Care) and appear as "
        "acquisitions. The 2001-2002 and 2006 peaks include splits and reorganisations (e.g. the 2006 ambulance "
        "trust mergers). The successor file misses a few dissolutions before 2018, and the changes of 2019 and of "
        "November 2021 onwards are inferred (basis 'inferred'): no official successor file for them is among the sources. Names of codes closed before 2010 come from KH03 returns and may be "
        "abbreviated. Changes into care trusts and primary care trusts are not included."
    ),
)

COMMISSIONERS = Dataset(
    name="commissioners_over_time",
    title="Number of commissioning and system bodies over time",
    description="Counts of primary care trusts, strategic health authorities, CCGs, STPs, ICSs and ICBs at dated "
    "points, 2012-2026, computed from data files where they allow and otherwise as published.",
    fields=(
        Field("date", "date", "Date the count refers to (first of the month where only the month is known)"),
        Field("body_type", "string", "Kind of body", enum=BODY_TYPES),
        Field("count", "integer", "Number of bodies in England", minimum=1),
        Field(
            "basis",
            "string",
            "'computed from data: <raw file>' or 'published: <source title>'",
            pattern=r"(computed from data|published): .+",
        ),
        Field("source_url", "string", "Official page of the data file, or of the publication", pattern=r"https?://.+"),
        Field("note", "string", "What exactly is counted", required=False),
    ),
    primary_key=("date", "body_type"),
    sources=(
        "ccg13_names_codes",
        "ods_eccg_2018_11",
        "ccg_stp_reffile_2020",
        "ods_stp_partner_mapping_2019",
        "ccg21_icb22_crosswalk",
        "ods_etr_2026_06",
        "managers_fte_by_org_2009_2018",
        "curated:published_org_counts.csv",
        "curated:ics_waves.csv",
    ),
    build=build_commissioners,
    as_of="2026-06",
    rows=(15, 30),
    method=(
        "CCGs: rows of the ONS April 2013 code list; CCGs open on 30 September 2017 and on 1 April 2018 in the ODS "
        "file of November 2018; the "
        "'Pre-Apr 2020' and 'Post-Apr 2020' sheets of the April 2020 CCG-STP reference file; the April 2021 CCGs of the "
        "ONS CCG-to-ICB lookup. STPs: the 44 ONS footprint codes of March 2016 in the ODS partner-mapping workbook, "
        "then distinct STP codes in the reference file and the ONS lookup. ICBs: distinct ICB codes in the ONS lookup "
        "(July 2022), and distinct ICB codes of the trusts open on 1 April 2026 in the ODS trust file. SHAs: distinct "
        "SHA codes reporting staff in September 2012. PCTs and the running total of ICSs after each designation wave "
        "are as published, from the curated tables published_org_counts and ics_waves (basis gives the title)."
    ),
    caveats=(
        "The 2026 ICB count counts the ICBs that host at least one trust headquarters; it agrees with the published "
        "count of 36 (42 less 12 closed plus 6 new on 1 April 2026). ICS counts before April 2021 are announcements: dates are the month of the "
        "announcement, and sources differ on whether the December 2020 wave took effect then or in April 2021. "
        "ICS totals count the two devolution areas named with the first wave (Greater Manchester, Surrey Heartlands) "
        "as ICSs, as NHS England's running total does: ten in June 2017, of which eight were shadow accountable care "
        "systems. No file here gives the 2014-2016 CCG counts, "
        "and the "
        "September 2017 count rests on a file that leaves out CCGs closed before 2018."
    ),
)

TRUST_BEDS = Dataset(
    name="trust_beds",
    title="Available and occupied overnight beds by NHS trust (KH03), 2000/01 to September 2024",
    description="Average daily available and occupied overnight beds of R-coded (trust) organisations: annual to "
    "2009/10, then quarterly from June 2010.",
    fields=(
        Field(
            "period_end",
            "date",
            "Last day of the period: 31 March of the financial year's end for the annual "
            "returns (2000/01 to 2009/10), the quarter's last day from June 2010",
        ),
        Field("period_type", "string", "annual or quarter", enum=("annual", "quarter")),
        Field("org_code", "string", "ODS trust code as reported", pattern=r"R[A-Z0-9]{2}"),
        Field("org_name", "string", "Organisation name as reported"),
        Field(
            "beds_available_total",
            "number",
            "Average daily available overnight beds, all specialties",
            unit="beds",
            minimum=0,
        ),
        Field(
            "beds_available_general_acute",
            "number",
            "Average daily available overnight general and acute beds",
            unit="beds",
            minimum=0,
        ),
        Field(
            "beds_occupied_total",
            "number",
            "Average daily occupied overnight beds, all specialties",
            unit="beds",
            minimum=0,
        ),
    ),
    primary_key=("period_end", "org_code"),
    sources=("kh03_beds_2000_2010", "kh03_beds_2010_2024"),
    build=build_trust_beds,
    as_of="2024-09",
    rows=(12000, 14500),
    method=(
        "Both KH03 files are read, organisations whose code does not start with R (primary care trusts, care trusts, "
        "independent sector) and England totals are dropped, and three bed measures kept. In the annual file, the "
        "year column is the first calendar year of the financial year (a trust merged away on 1 April 2001 reports "
        "only for 2000), so 2000 is dated 31 March 2001. In the quarterly file the year is that of the quarter's "
        "last month."
    ),
    caveats=(
        "Annual figures are averages over the financial year and quarterly figures over the quarter, so the two "
        "series are comparable in level but not in volatility. The quarter ending December 2024 and later are not "
        "in the source. Organisations report under the code in use at the time: use trust_changes to follow a "
        "trust across mergers. Day-only beds are not included."
    ),
)

DATASETS = [TRUSTS, TRUST_CHANGES, COMMISSIONERS, TRUST_BEDS]
