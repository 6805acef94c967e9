"""Counts written as prose: "one area", "three cases", "12 trusts" (style: numbers below ten in words).

Chapter text that glues a count next to a noun uses :func:`count_phrase`, so that a count of one
reads "one area" rather than "1 areas" whatever the data give."""

from __future__ import annotations

__all__ = ["number_words", "count_phrase", "and_list", "rank_text"]

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_words(n: int) -> str:
    """``n`` in words below ten ("no" for zero), in figures from ten."""
    n = int(n)
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    return _WORDS[n] if n < 10 else f"{n:,}"


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in the right number: ``count_phrase(1, "area")`` -> "one area",
    ``count_phrase(3, "case")`` -> "three cases", ``count_phrase(12, "trust")`` -> "12 trusts"."""
    noun = singular if int(n) == 1 else (plural or singular + "s")
    return f"{number_words(n)} {noun}"


def and_list(items) -> str:
    """Items as prose: ``["a"]`` -> "a", ``["a", "b", "c"]`` -> "a, b and c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
