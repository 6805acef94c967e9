"""The index of the "where do I fit?" finder on the index of systems.

A reader types what they know (a trust, a council, a GP practice, a postcode) and the finder
(``publish/book/static/finder.js``) answers with the board or boards of 1 April 2026, offline. This
module builds what it searches: one record per trust open at any time since 2012 (closed and
merged ones answer with their successor and its board), per council of today and of the recent
past (old names answer with the council that replaced them), per GP practice of the August 2026
map (and of the September 2020 file, for practices closed since), and per postcode district and
sector with GP practices, weighted by the practices' registered patients (a lettered district with
no practice, such as SW1A, answers with its neighbours of the same stem, SW1P, SW1V, ...). Districts
of English postcode areas that are in Wales (CH5 to CH8, ...) and the health boards and trusts of
Wales, Scotland and Northern Ireland answer that they are outside NHS England. Hospital and clinic
sites are not in it: the official files the report reads hold no list of NHS trust sites (the
ODS ``ets`` file is not among them), so the finder's help asks for the trust that runs a site.

Every answer is written here, as text and board links, so that wording, dates and numbers come
from :mod:`nhsreport.formatting` and the data; the script only matches and lays out. The index is
shipped as a script that sets a global (``window.nhsFinderIndex``), so that the finder works from
a page opened from disk, where a fetch of a JSON file is refused.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from nhsreport import data, schema
from nhsreport.analysis.boards import divided_share_basis
from nhsreport.analysis.systems import tidy_trust_name
from nhsreport.formatting import fmt_int, fmt_pct, month_year, uk_date
from nhsreport.publish.components.words import count_phrase, noun

__all__ = [
    "GLOBAL",
    "council_changes",
    "district_families",
    "outside_items",
    "trust_code_successors",
    "welsh_districts",
    "KINDS",
    "OUTSIDE_ENGLAND",
    "finder_index",
    "index_script",
    "outward_code",
]

#: The global the index script sets.
GLOBAL = "nhsFinderIndex"

#: Trusts are listed when open on this day or later (ODS closures before about 2012 are incomplete).
OPEN_SINCE = "2012-01-01"

#: What each kind of record is called in an answer.
KINDS = {
    "board": "ICB from 1 April 2026",
    "board2022": "ICB of 2022",
    "trust": "NHS trust",
    "council": "council",
    "practice": "GP practice",
    "outside": "outside NHS England",
}


def council_changes(table: pd.DataFrame | None = None) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """Councils abolished in England's local government reorganisations since 2019, from the curated
    table ``council_changes`` (each row read in its structural change order): ``(day, [codes of the
    new council or councils], [(old code, old name), ...])``, one item per change, in the table's order."""
    t = data.load("council_changes") if table is None else table
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in t.itertuples():
        out.setdefault((pd.Timestamp(r.date).strftime("%Y-%m-%d"), str(r.new_codes)), []).append(
            (str(r.old_code), str(r.old_name))
        )
    return [(day, codes.split(";"), olds) for (day, codes), olds in out.items()]


def trust_code_successors(table: pd.DataFrame | None = None) -> dict[str, tuple[str, str]]:
    """Closed trusts whose codes start with T (former care trusts, absent from the ODS trust file),
    from the curated table ``trust_code_successors``: old code -> (successor's code, day)."""
    t = data.load("trust_code_successors") if table is None else table
    return {str(r.old_code): (str(r.new_code), pd.Timestamp(r.date).strftime("%Y-%m-%d")) for r in t.itertuples()}


#: How the share of a split council's residents in each board is estimated (``lad_board_overlap``).
SHARE_BASIS = "shares of residents in mid-2024, split between boards by registered patients in August 2026: an estimate"

#: Postcode areas wholly outside England, so outside NHS England (a district of a border area
#: with no English GP practice is treated the same way).
OUTSIDE_ENGLAND = {
    "Wales": ["CF", "LD", "LL", "NP", "SA"],
    "Scotland": "AB DD DG EH FK G HS IV KA KW KY ML PA PH ZE".split(),
    "Northern Ireland": ["BT"],
}

#: Postcode areas of England that reach into Wales or Scotland.
BORDER_AREAS = {"CH": "Wales", "HR": "Wales", "SY": "Wales", "TD": "Scotland"}

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$")


def outward_code(postcode: str) -> tuple[str, str] | None:
    """``"LS2 9JT"`` -> ``("LS2", "LS2 9")`` (the postcode district and sector); None for a
    string that is not a full UK postcode."""
    m = _POSTCODE.match(" ".join(str(postcode).upper().split()))
    return (m.group(1), f"{m.group(1)} {m.group(2)}") if m else None


def _link(code: str, share: float | None = None) -> list:
    """A board link of an answer: its code, and its share as text where the answer divides."""
    if share is None:
        return [code, ""]
    return [code, "under 1%" if share < 0.005 else fmt_pct(share)]


def _links(codes, shares=None, sep=", ", last=" and ") -> list:
    """Board links separated as prose ("A, B and C")."""
    out = []
    codes = list(codes)
    for i, c in enumerate(codes):
        if i:
            out.append(last if i == len(codes) - 1 else sep)
        out.append(_link(c, None if shares is None else shares[i]))
    return out


# ---------------------------------------------------------------------------------------------
# boards
# ---------------------------------------------------------------------------------------------


def board_items(ctx) -> list[list]:
    """The 36 boards of 2026 and the 42 boards of 2022 (which board or boards each became, with
    the share of its population in each where it was divided)."""
    items = [["board", c, str(r["icb_2026_name"]), "", [_link(c)], []] for c, r in ctx.boards.iterrows()]
    formed = uk_date(ctx.formed[1])
    for code, g in ctx.parts.groupby("icb_code", sort=True):
        g = g.sort_values("share", ascending=False, kind="mergesort")
        if len(g) > 1:
            parts = [f"Divided on {formed} between "] + _links(g["icb_2026_code"], list(g["share"]))
            parts.append(f" (shares of {divided_share_basis([code])})")
        else:
            parts = [f"Part of the board from {formed}: ", _link(g["icb_2026_code"].iloc[0])]
        items.append(["board2022", code, str(g["icb_name"].iloc[0]), "", parts, []])
    return items


# ---------------------------------------------------------------------------------------------
# trusts
# ---------------------------------------------------------------------------------------------


def _trust_names(ctx) -> dict[str, set[str]]:
    """Every name each trust code has had in the datasets (ODS, workforce, beds, changes)."""
    names: dict[str, set[str]] = {}

    def add(codes, labels):
        for c, n in set(zip(codes, labels)):
            if isinstance(n, str) and n.strip():
                names.setdefault(str(c), set()).add(tidy_trust_name(" ".join(n.upper().split())))

    add(ctx.trusts["org_code"], ctx.trusts["org_name"])
    ch = data.load("trust_changes")
    add(ch["old_code"], ch["old_name"])
    add(ch["new_code"], ch["new_name"])
    add(ctx.staff["org_code"], ctx.staff["org_name"])
    beds = data.load("trust_beds")
    add(beds["org_code"], beds["org_name"])
    return names


def _plain(name: str) -> str:
    """A name as the finder compares names: lower case, "&" as "and", no punctuation."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ").replace("'", "")).split())


def _formerly(current: str, names: set[str]) -> tuple[list[str], list[str]]:
    """The other names of a trust: as an answer's tail, and as names it is found by."""
    seen = {_plain(current)}
    others = []
    for n in sorted(names):
        if _plain(n) not in seen:
            seen.add(_plain(n))
            others.append(n)
    return ([f". Formerly: {'; '.join(others)}."] if others else []), others


_VERBS = {"merger": "Merged into", "acquisition": "Taken over by"}


def _successor_parts(ctx, changes: pd.DataFrame, code: str, closed) -> list:
    """What became of a closed trust (its rows of ``trust_changes``): how and when it went, into
    which trust, and the board that trust (or its own successor) is in today."""
    ch = changes[changes["old_code"] == code]
    t = ctx.trusts.set_index("org_code")
    if ch.empty:
        board = t.loc[code, "icb_code"] if code in t.index else None
        tail = ["; its headquarters' area is in ", _link(board)] if isinstance(board, str) else []
        return [f"Closed on {uk_date(closed)}; the official files name no successor"] + tail
    when = uk_date(ch["date"].iloc[0])
    how = ch["change_type"].iloc[0]
    parts = [f"Split on {when} between "] if how == "split" else [f"{_VERBS.get(how, 'Succeeded by')} "]
    for i, (new, name) in enumerate(zip(ch["new_code"], ch["new_name"])):
        if i:
            parts.append("; and ")
        final = t["final_successor_code"].get(new)
        final = final if isinstance(final, str) else new
        parts.append(f"{tidy_trust_name(name)} ({new})" + ("" if how == "split" else f" on {when}"))
        if final != new and final in t.index:
            parts.append(f", now part of {tidy_trust_name(t.loc[final, 'org_name'])} ({final})")
        if final in ctx.trusts_served:
            parts += [", today in ", _link(ctx.trusts_served[final][0])]
    if (ch["basis"] == "inferred").all():
        parts.append(" (a successor the official files imply rather than name)")
    return parts


def _own_area_board(ctx, r) -> list:
    """For a closed trust (``r``: its row of the trusts table) whose successor is in another board:
    the board of the area of its own headquarters, so that a reader learns where it served."""
    own = r.icb_code if isinstance(r.icb_code, str) and r.icb_code in ctx.boards.index else None
    final = r.final_successor_code if isinstance(r.final_successor_code, str) else None
    if own is None or final is None or own == ctx.trusts_served.get(final, [None])[0]:
        return []  # no successor: its answer names its own area already
    return ["; the area of its own headquarters is in ", _link(own)]


def trust_items(ctx) -> list[list]:
    """Every trust of the ODS file open at any time since 2012: open ones with the board of their
    headquarters and those they served as partners in 2019; closed ones with their successor."""
    names = _trust_names(ctx)
    since = pd.Timestamp(OPEN_SINCE)
    changes = data.load("trust_changes")
    items = []
    for r in ctx.trusts.sort_values("org_code").itertuples():
        closed = pd.Timestamp(r.closed) if pd.notna(r.closed) else None
        if closed is not None and closed < since:
            continue
        current = tidy_trust_name(r.org_name)
        tail, aliases = _formerly(current, names.get(r.org_code, set()))
        if r.org_code in ctx.trusts_served:
            served = ctx.trusts_served[r.org_code]
            parts = ["Headquarters in ", _link(served[0])]
            if len(served) > 1:
                parts += ["; it was also a partner of the systems now in "] + _links(served[1:])
                parts.append(" (partner lists of April 2019)")
            if closed is not None:  # open when the boards of 2026 began, closed since
                then = _successor_parts(ctx, changes, r.org_code, closed)
                parts += [f". Closed on {uk_date(closed)}: {then[0][:1].lower()}{then[0][1:]}"] + then[1:]
        elif closed is None:
            parts = [f"Opened on {uk_date(r.opened)}; headquarters in ", _link(r.icb_code)]
        else:
            parts = _successor_parts(ctx, changes, r.org_code, closed) + _own_area_board(ctx, r)
        items.append(["trust", r.org_code, current, "", parts + tail, aliases])
    return items + t_coded_trust_items(ctx, names)


def t_coded_trust_items(ctx, names: dict[str, set[str]]) -> list[list]:
    """NHS foundation trusts whose codes start with T (former care trusts, absent from the ODS
    trust file): the board of their area in the latest workforce statistics, or their successor."""
    is_t = ctx.staff["org_code"].str.fullmatch(schema.CARE_TRUST_CODE)
    staff = ctx.staff[is_t & ctx.staff["org_type"].isin(schema.TRUST_TYPES)]
    boards_of = ctx.parts.groupby("icb_code")["icb_2026_code"].agg(list)
    latest = ctx.staff_date
    successors = trust_code_successors()
    items = []
    for code, g in staff.sort_values("date").groupby("org_code", sort=True):
        last = g.iloc[-1]
        current = tidy_trust_name(str(last["org_name"]).upper())
        tail, aliases = _formerly(current, names.get(code, set()))
        if pd.Timestamp(last["date"]) == latest and last["icb_code"] in boards_of.index:
            parts = ["In "] + _links(boards_of[last["icb_code"]], last=" or ")
            parts.append(
                f" (the board of its area in the workforce statistics of {month_year(latest)};"
                " it is not in the ODS file of trusts, which leaves out former care trusts)"
            )
        elif code in successors:
            new, day = successors[code]
            new_name = tidy_trust_name(ctx.trusts.set_index("org_code").loc[new, "org_name"])
            parts = [f"Merged into {new_name} ({new}) on {uk_date(day)}, in ", _link(ctx.trusts_served[new][0])]
        else:
            parts = [f"Not in the workforce statistics since {month_year(last['date'])}"]
        items.append(["trust", code, current, "", parts + tail, aliases])
    return items


# ---------------------------------------------------------------------------------------------
# councils
# ---------------------------------------------------------------------------------------------


def _share_parts(rows: pd.DataFrame, one: str = "In ", several: str = "Shared between ") -> list:
    """Board links of a council (its rows of ``lad_board_overlap`` or of the upper-tier table,
    with ``residents`` in each board): one board, or several with the share of its residents in
    each, largest first."""
    g = rows.groupby("icb_2026_code", sort=False)["residents"].sum().sort_values(ascending=False, kind="mergesort")
    if len(g) == 1:
        return [one, _link(g.index[0])]
    return [several] + _links(g.index, list(g / g.sum())) + [f" ({SHARE_BASIS})"]


def _council_areas(ctx, changes) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The board rows (``icb_2026_code``, ``residents``) and name of every council of today
    (districts and unitary councils of 2023, counties) and the names of those abolished since
    2019 (``changes``: :func:`council_changes`), by ONS code."""
    lb = ctx.lad_boards
    rows = {c: g for c, g in lb.groupby("lad_code", sort=True)}
    names = dict(zip(lb["lad_code"], lb["lad_name"]))
    ut = ctx.upper_tier[ctx.upper_tier["upper_type"] == "county"]
    for c, g in ut.groupby("upper_code", sort=True):
        rows[c] = g
        names[c] = f"{g['upper_name'].iloc[0]} County Council"
    for _, _, olds in changes:
        for old, name in olds:
            names.setdefault(old, name)
    return rows, names


def _replaced_by(changes) -> dict[str, tuple[str, list[str]]]:
    """Old council code -> (day abolished, codes of the council or councils of today that
    cover it), following chains (Taunton Deane -> Somerset West and Taunton -> Somerset);
    ``changes``: :func:`council_changes`."""
    first = {old: (day, new) for day, new, olds in changes for old, _ in olds}
    out = {}
    for old, (day, new) in first.items():
        final = list(new)
        while any(c in first for c in final):
            final = [n for c in final for n in (first[c][1] if c in first else [c])]
        out[old] = (day, list(dict.fromkeys(final)))
    return out


def _district_areas_2021(ctx) -> dict[str, pd.Series]:
    """Each district of 2021 (``lad_icb_overlap``: its small census areas in the boards of 2022),
    by code: its share of small areas in each board of 2026, where every 2022 board it touches
    went whole to one board of 2026."""
    overlap = data.load("lad_icb_overlap")
    whole = ctx.parts[~ctx.parts["divided"]].set_index("icb_code")["icb_2026_code"]
    overlap = overlap[overlap["icb_code"].isin(whole.index)].assign(board=lambda o: o["icb_code"].map(whole))
    return {
        code: g.groupby("board")["n_lsoas"].sum().sort_values(ascending=False, kind="mergesort") / g["n_lsoas"].sum()
        for code, g in overlap.groupby("lad_code", sort=True)
    }


def _own_area_parts(shares: pd.Series) -> list:
    """Board links of a former district's own area (``shares`` of its small areas by board)."""
    if len(shares) == 1:
        return ["in ", _link(shares.index[0])]
    return ["shared between "] + _links(shares.index, list(shares)) + [" (shares of its small census areas)"]


def council_items(ctx) -> list[list]:
    """Every council of today (districts, unitary and county councils) with its board or boards,
    and every council abolished since 2019 with the council that replaced it and its boards."""
    changes = council_changes()
    rows, names = _council_areas(ctx, changes)
    replaced = _replaced_by(changes)
    first = {old: new for _, new, olds in changes for old, _ in olds}
    took_over = {code: day for day, new, _ in changes for code in new}
    own_areas = _district_areas_2021(ctx)
    others = {c: g for c, g in data.load("council_other_names").groupby("council_code")}
    items = []
    for code in sorted(names):
        if code in replaced:
            day, final = replaced[code]
            direct = first[code]
            parts = [f"Abolished on {uk_date(day)}; now part of {' and '.join(names[c] for c in direct)}"]
            if direct != final:
                parts.append(
                    f", itself part of {' and '.join(names[c] for c in final)} since {uk_date(took_over[final[0]])}"
                )
            own = own_areas.get(code)
            if own is not None:  # a district of 2021: its own area, before the council that replaced it
                parts += [". Its own area is "] + _own_area_parts(own)
                parts += [f". {' and '.join(names[c] for c in final)} as a whole is "]
            else:
                parts += [noun(len(final), ". That council is ", ". Those councils are ")]
            parts += _share_parts(pd.concat([rows[c] for c in final]), "in ", "shared between ")
        elif code in rows:
            parts = _share_parts(rows[code])
        else:
            continue
        tail, aliases = _council_other_names(others.get(code))
        items.append(["council", code, names[code], "", parts + tail, aliases])
    return items


def _council_other_names(rows: pd.DataFrame | None) -> tuple[list[str], list[str]]:
    """A council's other names (its rows of ``council_other_names``): as an answer's tail (former
    names, with the day the present name was taken) and as names it is found by."""
    if rows is None:
        return [], []
    former = [
        f"{r.other_name} until {uk_date(pd.Timestamp(r.date) - pd.Timedelta(days=1))}"
        for r in rows.itertuples()
        if r.kind == "former name"
    ]
    return ([f". Formerly: {'; '.join(former)}."] if former else []), list(rows["other_name"])


# ---------------------------------------------------------------------------------------------
# practices and postcodes
# ---------------------------------------------------------------------------------------------


def _patients_month(frame: pd.DataFrame) -> tuple[str, str]:
    """The column of registered patients of the practice map and its month as text, read from
    its name (``patients_2025_04`` -> April 2025)."""
    col = next(c for c in frame.columns if re.fullmatch(r"patients_\d{4}_\d{2}", c))
    return col, month_year(pd.Timestamp(f"{col[9:13]}-{col[14:16]}-01"))


def _ods_practice_parts(r, month: str, map_month: str) -> list:
    """The answer for a GP practice of the ODS practice file that is not in the practice map
    (``r``: a row of ``gp_practices_ods_2026``; ``month``, ``map_month``: the months of the ODS file
    and of the practice map, as text): its status and
    dates in ODS and the board ODS gives it."""
    board = [", in ", _link(r.icb_2026_code)] if isinstance(r.icb_2026_code, str) else []
    where = f" (sub-ICB location {r.sub_icb_code})" if isinstance(r.sub_icb_code, str) and board else ""
    if r.ods_status == "INACTIVE" and pd.notna(r.ods_close_date):
        return [f"Closed on {uk_date(r.ods_close_date)} (ODS practice file, {month})", *board, where]
    state = "open" if r.ods_status == "ACTIVE" else "dormant"
    return [f"Listed as {state} in the ODS practice file of {month}", *board, where] + [
        f"; not in the GP practice map of {map_month}, so not counted among the board's practices"
    ]


def practice_items(
    practices: pd.DataFrame, practices_2020: pd.DataFrame, areas: dict, ods: pd.DataFrame | None = None
) -> list[list]:
    """Every GP practice of the August 2026 map, in its one board, with its network, sub-ICB
    location and registered patients; every other GP practice of the ODS practice file of June 2026
    (``ods``: ``gp_practices_ods_2026``) open, dormant or closed since September 2020, with its
    status and the board ODS gives it; practices of the September 2020 file in neither say so and
    answer with the boards of their postcode district."""
    col, month = _patients_month(practices)
    items = []
    for r in practices.sort_values("practice_code").itertuples():
        network = f"primary care network {r.pcn_name}" if isinstance(r.pcn_name, str) else "no primary care network"
        n = getattr(r, col)
        patients = f"; {fmt_int(n)} registered patients in {month}" if pd.notna(n) else ""
        parts = ["In ", _link(r.icb_2026_code), f" ({network}; sub-ICB location {r.sub_icb_code}{patients})"]
        items.append(["practice", r.practice_code, " ".join(str(r.practice_name).split()), str(r.postcode), parts, []])
    ods = ods if ods is not None else data.load("gp_practices_ods_2026")
    ods_month = month_year(str(data.resource("gp_practices_ods_2026")["x_as_of"]) + "-01")
    map_month = month_year(str(data.resource("gp_practices_2026")["x_as_of"]))
    since = pd.Timestamp(str(data.resource("gp_practices")["x_as_of"]))  # the date of the 2020 file
    recent = (ods["ods_status"] != "INACTIVE") | (pd.to_datetime(ods["ods_close_date"]) >= since)
    ods = ods[recent | ods["practice_code"].isin(set(practices_2020["practice_code"]))]
    for r in ods.sort_values("practice_code").itertuples():
        postcode = r.postcode if isinstance(r.postcode, str) else ""
        name = " ".join(str(r.practice_name).split())
        items.append(["practice", r.practice_code, name, postcode, _ods_practice_parts(r, ods_month, map_month), []])
    known = set(practices["practice_code"]) | set(ods["practice_code"])
    gone = practices_2020[~practices_2020["practice_code"].isin(known)]
    for r in gone.sort_values("practice_code").itertuples():
        postcode = r.postcode if isinstance(r.postcode, str) else ""
        parts = [
            f"Not in the GP practice map of {map_month}, nor a GP practice in the ODS practice file of {ods_month}"
        ]
        district = (outward_code(postcode) or ("", ""))[0]
        if district in areas:
            parts += [f". Practices with a postcode in {district}: "] + areas[district][1]
        items.append(["practice", r.practice_code, " ".join(str(r.practice_name).split()), postcode, parts, []])
    return items


def _weighted_parts(rows: pd.DataFrame, where: str, month: str) -> list:
    """Board links of GP practices (``rows`` with ``icb_2026_code`` and registered patients ``n``)
    weighted by their registered patients, with what that rests on (``where``: "in LS2")."""
    by_board = rows.groupby("icb_2026_code")["n"].sum()
    return _parts_of_sums(list(by_board.items()), len(rows), where, month)


def _parts_of_sums(by_board: list[tuple[str, float]], n_practices: int, where: str, month: str) -> list:
    """:func:`_weighted_parts` from the registered patients of ``n_practices`` practices summed by
    board (``(board, patients)`` in the order of the boards' codes)."""
    w = sorted((-n, b) for b, n in by_board)
    total = -sum(n for n, _ in w)
    w = [(n, b) for n, b in w if n < 0] or w
    parts = _links([b for _, b in w], [-n / total for n, _ in w] if len(w) > 1 else None)
    parts.append(
        f" (by the {fmt_int(total)} registered patients, {month}, of the"
        f" {count_phrase(n_practices, 'GP practice')} with a postcode {where};"
        " patients often live near their practice, but not always)"
    )
    return parts


def _with_places(practices: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The practices with their postcode area, district and sector and registered patients ``n``,
    and the month of those patients as text."""
    col, month = _patients_month(practices)
    codes = practices["postcode"].map(outward_code)
    p = practices.assign(district=codes.str[0], sector=codes.str[1], n=practices[col].fillna(0))
    p["area"] = p["district"].str.extract(r"^([A-Z]+)", expand=False)
    return p, month


def postcode_areas(practices: pd.DataFrame) -> dict[str, list]:
    """Each postcode area ("LS"), district ("LS2") and sector ("LS2 9") with GP practices: its name and the
    boards of those practices, weighted by their registered patients, with what that rests on.
    (The patients are summed by place and board in one grouping per level, not one per place.)"""
    p, month = _with_places(practices)
    out = {}
    for level, what in (("area", "Postcode area"), ("district", "Postcode district"), ("sector", "Postcode sector")):
        n_practices = p.groupby(level).size()
        by_place: dict[str, list] = {}
        for (place, board), n in p.groupby([level, "icb_2026_code"])["n"].sum().items():
            by_place.setdefault(place, []).append((board, n))
        for key in sorted(n_practices.index):
            parts = _parts_of_sums(by_place.get(key, []), int(n_practices[key]), f"in {key}", month)
            out[key] = [f"{what} {key}", parts]
    return out


_LETTERED = re.compile(r"^([A-Z]{1,2}[0-9]{1,2})[A-Z]$")


def district_families(practices: pd.DataFrame) -> dict[str, list]:
    """Postcode districts that share a stem once their last letter is dropped (SW1A, SW1E, ...,
    SW1Y: "SW1"), for each stem with a lettered district (and the plain district of that stem, as
    E1 beside E1W): its name and the boards of their GP practices, weighted by registered patients.
    A lettered district with no practice of its own answers with these neighbours first."""
    p, month = _with_places(practices)
    lettered = p["district"].str.extract(_LETTERED, expand=False)
    p = p.assign(stem=lettered.fillna(p["district"]))
    p = p[p["stem"].isin(set(lettered.dropna()))]
    out = {}
    for stem, rows in sorted(p.groupby("stem"), key=lambda kv: kv[0]):
        members = ", ".join(sorted(set(rows["district"])))
        out[stem] = [f"Postcode districts {stem}\u2026 ({members})", _weighted_parts(rows, f"in {stem}\u2026", month)]
    return out


def welsh_districts(ods: pd.DataFrame, practices: pd.DataFrame) -> dict[str, str]:
    """Postcode districts of English postcode areas that are in Wales (CH5 to CH8, parts of SY, ...):
    those with no GP practice in the August 2026 map whose GP practices in the ODS practice file
    (``gp_practices_ods_2026``) all have Welsh codes (beginning with W). District -> the answer."""
    month = month_year(str(data.resource("gp_practices_ods_2026")["x_as_of"]) + "-01")
    in_map = set(practices["postcode"].map(outward_code).str[0].dropna())
    welsh_areas = set(OUTSIDE_ENGLAND["Wales"])
    district = ods["postcode"].map(lambda pc: (outward_code(pc) or ("", ""))[0] if isinstance(pc, str) else "")
    is_welsh = ods["practice_code"].str.startswith("W")
    out = {}
    for d, welsh in is_welsh.groupby(district):
        area = re.match(r"^[A-Z]+", d).group(0) if d else ""
        if d and welsh.all() and d not in in_map and area not in welsh_areas:
            out[d] = (
                "In Wales, outside NHS England, so no integrated care board serves it (every GP practice with a"
                f" postcode in {d} in the ODS practice file of {month} is a Welsh practice:"
                f" {count_phrase(len(welsh), 'practice')})"
            )
    return out


def outside_items(table: pd.DataFrame | None = None) -> list[list]:
    """The health boards and trusts of Wales, Scotland and Northern Ireland (curated table
    ``outside_nhs_england``): each answers that it is outside NHS England, with no board."""
    t = data.load("outside_nhs_england") if table is None else table
    items = []
    for r in t.itertuples():
        other = (
            [n.strip() for n in str(r.other_names).split(";") if n.strip()] if isinstance(r.other_names, str) else []
        )
        parts = [
            f"A body of {r.country} ({r.kind}), so in no integrated care board: the boards are NHS England's alone"
        ]
        items.append(["outside", r.country, str(r.name), "", parts, other])
    return items


# ---------------------------------------------------------------------------------------------
# the whole index
# ---------------------------------------------------------------------------------------------


def finder_index(ctx) -> dict:
    """The finder's index: ``boards`` (code -> [name, page under book/]), ``kinds`` (what each
    kind of record is called), ``items`` (each ``[kind, code, name, postcode, answer, other
    names]``, the answer a list of text pieces and board links ``[code, share]``), ``areas``
    (postcode area, district or sector -> [name, answer]), ``families`` (stems of lettered postcode
    districts, "SW1" -> [name, answer]: :func:`district_families`), ``outside`` (postcode areas of
    Wales, Scotland and Northern Ireland), ``outside_districts`` (districts of English postcode
    areas that are in Wales -> the answer: :func:`welsh_districts`) and ``border`` (areas of
    England reaching into them)."""
    practices = ctx.practices
    areas = postcode_areas(practices)
    ods = data.load("gp_practices_ods_2026")
    items = board_items(ctx) + trust_items(ctx) + council_items(ctx)
    items += practice_items(practices, data.load("gp_practices"), areas, ods) + outside_items()
    return {
        "boards": {c: [str(r["icb_2026_name"]), f"systems/{c}.html"] for c, r in ctx.boards.iterrows()},
        "kinds": KINDS,
        "items": items,
        "areas": areas,
        "families": district_families(practices),
        "outside": OUTSIDE_ENGLAND,
        "outside_districts": welsh_districts(ods, practices),
        "border": BORDER_AREAS,
    }


def index_script(ctx) -> bytes:
    """The index as a script that sets ``window.nhsFinderIndex`` (loaded by a script element, so
    that it loads from disk too), UTF-8."""
    body = json.dumps(finder_index(ctx), separators=(",", ":"), ensure_ascii=False)
    return f"window.{GLOBAL}={body};\n".encode()
