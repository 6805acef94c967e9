"""Chapter 5, "Conclusions: questions for every NHS board": the numbers its prose prints
(``concl_*``, computed with the functions the other chapters use) and its figure of the changes
to the national structure."""

from __future__ import annotations

import altair as alt
import pandas as pd

from nhsreport import data
from nhsreport.analysis import board_facts, boards, management, reorganisation
from nhsreport.formatting import as_of_text, date_at_precision, period_text
from nhsreport.publish.components import charts, words
from nhsreport.publish.components.tables import Table

#: The datasets the chapter reads (its notebook declares the same list).
DATASETS = (
    "icbs",
    "staff_by_org",
    "icb_allocations",
    "trusts",
    "timeline",
    "claims",
)


def load_tables() -> dict[str, pd.DataFrame]:
    """Every dataset of :data:`DATASETS`, loaded, by name."""
    return {name: data.load(name) for name in DATASETS}


#: The claims of the ledger whose verdicts the chapter prints (``concl_verdict_<id>``), so that its
#: answers follow the ledger whatever it decides.
CITED_CLAIMS = ("C01", "C02", "C03", "C06", "C07", "C08", "C11", "C14", "C16", "C19", "C21", "C23", "C29", "C32")


def fit_numbers(icbs: pd.DataFrame, facts: board_facts.BoardData) -> dict:
    """For "Where do I fit?": the boards of 2022 and of 2026, and for the boards of 2026 those that
    share all their boundaries with district councils, the districts split between boards and the
    range of population (largest over smallest)."""
    mergers = reorganisation.icb_mergers_2026(icbs)
    england = facts.boards_england
    population = facts.boards["population"].astype("float64")
    return {
        "concl_n_icbs_2022": mergers["n_2022"],
        "concl_n_icbs_2026": mergers["n_2026"],
        "concl_cot_2026": england["n_coterminous"],
        "concl_split_2026": england["n_split_districts"],
        "concl_pop_ratio_2026": float(population.max() / population.min()),
    }


def ready_numbers(staff: pd.DataFrame, icbs: pd.DataFrame, alloc: pd.DataFrame) -> dict:
    """For "How do I become integration-ready?": managers per 100 staff (on the latest count, and
    like for like with 2017 with an assumed number of resident doctors added back), the middle half of the
    systems (their quartiles and the ratio of the upper to the lower, the summary chapter 2 prefers
    to the extremes: :func:`management.spread_without_extremes`), and the cash fall in the running
    cost allowance."""
    spread = management.spread_without_extremes(staff, icbs)["all"]
    costs = reorganisation.running_costs(alloc)
    england = management.managers_and_staff(staff).iloc[0]
    fewer, more = sorted(management.RESIDENT_DOCTORS_FTE)
    return {
        "concl_mgmt_per100": float(management.managers_per_100_staff(staff)),
        # like for like with 2017: the resident doctors the latest staff count leaves out added back
        "concl_mgmt_per100_residents_lo": management.ratio_with_residents(england, more),
        "concl_mgmt_per100_residents_hi": management.ratio_with_residents(england, fewer),
        "concl_mgmt_q1": spread["q1"],
        "concl_mgmt_q3": spread["q3"],
        "concl_mgmt_iq_ratio": spread["iq_ratio"],
        "concl_rca_cut": float(-costs["change_on_first"].iloc[-1]),
        "concl_rca_first_year": str(costs["financial_year"].iloc[0]),
        "concl_rca_last_year": str(costs["financial_year"].iloc[-1]),
    }


def sustain_numbers(trusts: pd.DataFrame) -> dict:
    """For "What can I do to make integration sustainable?": the fall in the number of trusts."""
    counts = reorganisation.trust_counts(trusts, *reorganisation.trust_years(trusts))
    return {"concl_trusts_first": counts["first"], "concl_trusts_last": counts["last"]}


def verdict_numbers(claims: pd.DataFrame, cited=CITED_CLAIMS) -> dict:
    """The ledger's verdict of each claim of ``cited``, as the chapter prints it
    (``concl_verdict_c11``: "partly supported"; :func:`words.ledger_verdicts`)."""
    return words.ledger_verdicts(claims, cited, "concl_verdict_")


#: The claims whose verdicts the chapter writes as one sentence, in the order its prose names them
#: (``concl_verdicts_c06_c07_c32``: "The ledger judges all three claims supported."), and the
#: labels that name them where they are not "the first", "the second" and so on.
VERDICT_SENTENCES = {
    ("C06", "C07", "C32"): None,
    ("C01", "C02", "C03"): None,
    ("C11", "C14", "C16"): None,
    ("C21", "C23"): ("the first", "the last"),
}


def verdict_sentences(claims: pd.DataFrame, groups=VERDICT_SENTENCES) -> dict:
    """The ledger's verdicts of each group of claims in ``groups`` as one sentence
    (:func:`words.verdict_sentence`), glued as ``concl_verdicts_<ids>``."""
    verdicts = verdict_numbers(claims, tuple(c for group in groups for c in group))
    out = {}
    for group, labels in groups.items():
        name = "concl_verdicts_" + "_".join(c.lower() for c in group)
        what = "claim" if labels is None else "lesson"
        out[name] = words.verdict_sentence(
            [verdicts[f"concl_verdict_{c.lower()}"] for c in group], labels=labels, what=what
        )
    return out


def churn_numbers(timeline: pd.DataFrame) -> dict:
    """The years of the report's timeline in which the national structure changed, over the same
    window and categories as chapter 1 (:func:`reorganisation.structural_change_years`)."""
    structural = reorganisation.structural_change_years(timeline)
    return {
        "concl_churn_years": structural["years_with"],
        "concl_churn_span": structural["n_years"],
        "concl_churn_first": structural["first"],
        "concl_churn_last": structural["last"],
        "concl_churn_events": structural["events"],
        "concl_asof_timeline": as_of_text(data.resource("timeline").get("x_as_of", "")),
    }


def chapter_numbers(tables: dict, facts: board_facts.BoardData | None = None) -> dict:
    """Every number the chapter's prose prints, by glued name; ``facts`` are the boards of 2026
    (:class:`board_facts.BoardData`, read from the data by default)."""
    out = words.period_numbers("staff", "boards")
    out.update(fit_numbers(tables["icbs"], facts or board_facts.BoardData()))
    out.update(ready_numbers(tables["staff_by_org"], tables["icbs"], tables["icb_allocations"]))
    out.update(sustain_numbers(tables["trusts"]))
    out.update(verdict_numbers(tables["claims"]))
    out.update(verdict_sentences(tables["claims"]))
    out.update(churn_numbers(tables["timeline"]))
    return out


def structural_changes(timeline: pd.DataFrame) -> pd.DataFrame:
    """The structural events of the timeline (:data:`reorganisation.STRUCTURAL_CATEGORIES`), one
    row each in date order, numbered ``n`` within their year (by kind, then date) so that they stack."""
    kinds = list(reorganisation.STRUCTURAL_CATEGORIES)
    structural = reorganisation.structural_change_years(timeline)
    changes = timeline.assign(year=timeline["date"].dt.year)
    changes = changes[
        changes["category"].isin(kinds) & changes["year"].between(structural["first"], structural["last"])
    ].copy()
    changes["kind_order"] = changes["category"].map(kinds.index)
    changes = changes.sort_values(["year", "kind_order", "date"])
    changes["n"] = changes.groupby("year").cumcount() + 1
    changes["date_text"] = [date_at_precision(d, p) for d, p in zip(changes["date"], changes["date_precision"])]
    # rows in date order, so that the figure's data table reads as a chronology (the stacking is set above)
    return changes.sort_values(["date", "kind_order"], kind="mergesort")


def churn_chart(timeline: pd.DataFrame) -> alt.Chart:
    """One symbol per change to the national structure, stacked in its year; the kind of change
    has the colour and shape it has on chapter 1's timeline (:data:`charts.TIMELINE_STYLE`)."""
    changes = structural_changes(timeline)
    structural = reorganisation.structural_change_years(timeline)
    first, last = structural["first"], structural["last"]
    top = int(changes["n"].max())
    colour, shape = charts.timeline_encodings(reorganisation.STRUCTURAL_CATEGORIES, title="Kind of change")
    return (
        alt.Chart(changes)
        .mark_point(filled=True, size=170, opacity=1)
        .encode(
            x=alt.X(
                "year:O",
                title=None,
                scale=alt.Scale(domain=list(range(first, last + 1))),
                axis=alt.Axis(labelAngle=0, labelExpr="datum.value % 2 == 0 ? datum.value : ''"),
            ),
            y=alt.Y(
                "n:Q",
                title="Changes to the national structure",
                scale=alt.Scale(domain=[0, top + 0.5], nice=False),
                axis=alt.Axis(values=list(range(top + 1)), format="d"),
            ),
            color=colour,
            shape=shape,
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("date_text:N", title="Date"),
                alt.Tooltip("category:N", title="Kind"),
                alt.Tooltip("event:N", title="What changed"),
            ],
        )
        .properties(width=560, height=200)
    )


def churn_alt_text(timeline: pd.DataFrame) -> str:
    """The figure's description, from the changes it shows."""
    changes = structural_changes(timeline)
    structural = reorganisation.structural_change_years(timeline)
    per_year = changes.groupby("year").size()
    return (
        f"Chart of the {len(changes)} dated changes to national legislation, NHS structures and national bodies "
        f"from {structural['first']} to {structural['last']}, one symbol per change stacked in its year, with a "
        f"shape and a colour for each kind; {structural['years_with']} of the {structural['n_years']} years have "
        f"at least one, and the most, {int(per_year.max())}, were in {int(per_year.idxmax())}."
    )


def board_table(board: str | None) -> Table | None:
    """The report's headline figures for the reader's own board (``board``: its 2026 or 2022 code
    or name), each with the date it refers to, its rank among the boards and England's figure: the
    chapter's answer to "where do I fit?" for one board. ``None`` when no board is chosen."""
    if not board:
        return None
    facts = board_facts.BoardData()
    code = boards.find_board(board, facts.icbs)
    name = facts.icbs.set_index("icb_code").loc[code, "icb_name"]
    rows = [
        {
            "Figure": f"{h['label']} ({h['unit']})",
            "Refers to": period_text(h["period"].date, h["period"].precision),
            "Board": h["text"] + (" (estimate)" if h["estimate"] else ""),
            "Rank": words.rank_text(h["rank"], h["n"], "boards"),
            "England": h["england_text"],
        }
        for h in board_facts.headlines(facts, code)
    ]
    return Table(pd.DataFrame(rows), caption=f"{name}: the report's headline figures for the board")
