"""Counts written as prose: "one area", "three cases", "12 trusts" (style: numbers below ten in words).

The one home for plurals: text that puts a count next to a noun uses :func:`count_phrase` (or
:func:`noun` for the noun alone), so that a count of one reads "one area" rather than "1 areas"
whatever the data give; ``tests/test_words.py`` looks for plurals made any other way. The reporting periods a chapter
names ("November 2025", "2025/26") are glued by :func:`period_numbers`, read from the data."""

from __future__ import annotations

from nhsreport import data
from nhsreport.analysis.board_facts import reporting_periods

__all__ = [
    "number_words",
    "noun",
    "count_phrase",
    "and_list",
    "verdict_sentence",
    "ledger_verdicts",
    "rank_text",
    "PERIOD_NAMES",
    "period_numbers",
]

#: The name a chapter glues each reporting period of
#: :func:`nhsreport.analysis.board_facts.reporting_periods` under, and the dataset it is read from
#: (which the chapter must declare, so that a new edition of it re-executes the chapter).
PERIOD_NAMES = {
    "staff": ("period_staff", "staff_by_org"),
    "trusts_file": ("period_ods", "trusts"),
    "allowances": ("period_allowance", "icb_allocations"),
    "boards": ("period_boards", "lad_board_overlap"),
}

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_words(n: int) -> str:
    """``n`` in words below ten ("no" for zero), in figures from ten."""
    n = int(n)
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    return _WORDS[n] if n < 10 else f"{n:,}"


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun alone in the number ``n`` calls for: ``noun(1, "Claim")`` -> "Claim",
    ``noun(2, "Claim")`` -> "Claims", ``noun(0, "county", "counties")`` -> "counties"."""
    return singular if int(n) == 1 else (plural or singular + "s")


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in the right number: ``count_phrase(1, "area")`` -> "one area",
    ``count_phrase(3, "case")`` -> "three cases", ``count_phrase(12, "trust")`` -> "12 trusts"."""
    return f"{number_words(n)} {noun(n, singular, plural)}"


def and_list(items) -> str:
    """Items as prose: ``["a"]`` -> "a", ``["a", "b", "c"]`` -> "a, b and c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def verdict_sentence(verdicts, labels=None, what: str = "claim", subject: str = "The ledger judges") -> str:
    """The ledger's verdicts of claims named just before, as one sentence, claims with the same
    verdict together: ``verdict_sentence(["supported", "supported", "partly supported"])`` -> "The
    ledger judges the first and second claims supported and the third claim partly supported.";
    two or more alike read "both claims" or "all three claims". ``labels`` ("the first", "the
    last") name the claims instead of their places; ``what`` is the noun for them."""
    verdicts = [str(v) for v in verdicts]
    if not verdicts:
        raise ValueError("no verdicts to write")
    if labels is None:
        if len(verdicts) > len(_ORDINAL_WORDS):
            raise ValueError(f"too many verdicts for one sentence: {len(verdicts)}")
        if len(verdicts) > 1 and len(set(verdicts)) == 1:
            everyone = "both" if len(verdicts) == 2 else f"all {number_words(len(verdicts))}"
            return f"{subject} {everyone} {noun(2, what)} {verdicts[0]}."
        labels = ["the"] if len(verdicts) == 1 else [f"the {place}" for place in _ORDINAL_WORDS[: len(verdicts)]]
    if len(labels) != len(verdicts):
        raise ValueError("one label for each verdict")
    groups: dict[str, list[str]] = {}
    for label, verdict in zip(labels, verdicts):
        groups.setdefault(verdict, []).append(label)
    parts = []
    for verdict, named in groups.items():
        # "the first" and "the second" together read "the first and second"
        joined = named[0] + "".join(
            (", " if i < len(named) - 1 else " and ") + label.removeprefix("the ")
            for i, label in enumerate(named[1:], start=1)
        )
        parts.append(f"{joined} {noun(len(named), what)} {verdict}")
    return f"{subject} {and_list(parts)}."


def ledger_verdicts(claims, cited, prefix: str) -> dict[str, str]:
    """The ledger's verdict of each claim of ``cited``, glued as ``<prefix><id>``:
    ``ledger_verdicts(claims, ["C03"], "mgmt_verdict_")`` -> ``{"mgmt_verdict_c03": "not testable
    with these data"}``, so that a chapter prints the ledger's word rather than its own. A claim
    the ledger (``claims``, with ``claim_id`` and ``verdict``) does not have is an error."""
    verdicts = claims.set_index("claim_id")["verdict"].astype(str)
    missing = [claim for claim in cited if claim not in verdicts.index]
    if missing:
        raise KeyError(f"claims not in the ledger: {', '.join(missing)}")
    return {f"{prefix}{claim.lower()}": verdicts[claim] for claim in cited}


def rank_text(rank: int, n: int, what: str = "") -> str:
    """A rank in words: "the highest of 42", "the lowest of 42", or "12th highest of 42" (never
    "1st highest" or "42nd highest of 42")."""
    from nhsreport.formatting import ordinal

    tail = f" of {n}{(' ' + what) if what else ''}"
    if rank == 1:
        return "the highest" + tail
    if rank == n:
        return "the lowest" + tail
    return f"{ordinal(rank)} highest" + tail


def period_numbers(*keys: str, resource=None) -> dict[str, str]:
    """The reporting periods ``keys`` (of :data:`PERIOD_NAMES`) as a chapter glues them, read from
    the data package: ``period_numbers("staff", "allowances")`` -> ``{"period_staff": "November
    2025", "period_allowance": "2025/26"}``. ``resource`` reads a dataset's entry of the package
    (:func:`nhsreport.data.resource` by default)."""
    texts = reporting_periods(resource or data.resource)
    return {PERIOD_NAMES[key][0]: texts[key] for key in keys}
