"""Counts written as prose (nhsreport.publish.components.words)."""

from __future__ import annotations

import pytest

from nhsreport.publish.components import words


def test_count_phrase_singular_and_plural():
    # §5.3 printed "in 1 area ... in only 1 of them"; a count of one must read as prose
    assert words.count_phrase(1, "local area") == "one local area"
    assert words.count_phrase(7, "time") == "seven times"
    assert words.count_phrase(0, "case") == "no cases"
    assert words.count_phrase(12, "trust") == "12 trusts"
    assert words.count_phrase(2, "body", "bodies") == "two bodies"
    assert words.count_phrase(1_250, "trust") == "1,250 trusts"


def test_number_words_rejects_negative():
    with pytest.raises(ValueError):
        words.number_words(-1)


def test_no_article_before_a_glued_number():
    # "a {glue:text}`reorg_fall_2013_2026:.0%` fall" printed "a 83% fall": the article cannot follow the number
    import json
    import re
    from pathlib import Path

    book = Path(__file__).resolve().parents[1] / "book"
    texts = {
        p.name: "".join("".join(c["source"]) for c in json.loads(p.read_text(encoding="utf-8"))["cells"])
        for p in book.glob("*.ipynb")
    }
    texts.update({p.name: p.read_text(encoding="utf-8") for p in book.glob("*.md")})
    from nhsreport.publish.book.chapter import prose_numbers

    article = re.compile(r"\b[Aa]n? $")
    bad = {
        name: [
            m.group(0)
            for m, _, _, spec in prose_numbers(t)
            if spec[-1:] in "%fde" and spec and article.search(t[: m.start()])
        ]
        for name, t in texts.items()
    }
    bad = {name: found for name, found in bad.items() if found}
    assert not bad, bad


def test_ranks_read_as_words():
    from nhsreport.publish.components.words import rank_text

    assert rank_text(1, 42) == "the highest of 42"
    assert rank_text(42, 42) == "the lowest of 42"
    assert rank_text(12, 36, "boards") == "12th highest of 36 boards"
    assert rank_text(2, 42) == "2nd highest of 42"


def test_lists_read_as_prose():
    from nhsreport.publish.components.words import and_list

    assert and_list([]) == "" and and_list(["a"]) == "a"
    assert and_list(["a", "b", "c"]) == "a, b and c"


def test_short_dates():
    import pandas as pd

    from nhsreport.formatting import short_month_year, year_month

    assert short_month_year("2017-10-01") == "Oct 2017"
    assert short_month_year(pd.Timestamp("2020-09-30")) == "Sep 2020"
    assert year_month("2017-10-01") == "2017-10"
    assert short_month_year(pd.NaT) is None and year_month(None) is None


def _next_edition(name: str) -> dict:
    """A data package's entries as they would read after the datasets' next editions."""
    return {
        "icbs": {"sources": [{"title": "ONS mid-year population estimates, mid-2021"}]},
        "staff_by_org": {"x_as_of": "2026-01-31"},
        "icb_allocations": {"x_as_of": "2026/27"},
        "lad_board_overlap": {
            "x_as_of": "2027-04-01",
            "sources": [{"title": "ONS: Estimates of the population for England and Wales, mid-2025"}],
        },
        "gp_practices_2026": {
            "x_as_of": "2027-02-01",
            "sources": [
                {"title": "NHS England: Patients registered at a GP practice: all persons by practice, 1 May 2026"}
            ],
        },
        "registered_patients_2026": {"x_as_of": "2027-02-01"},
        "stp_trust_partners_2019": {"x_as_of": "2019-04-03"},
        "trusts": {"x_as_of": "2027-02"},
    }[name]


def test_period_numbers_move_with_the_data_package():
    glued = words.period_numbers("staff", "trusts_file", "allowances", "boards", resource=_next_edition)
    assert glued == {
        "period_staff": "January 2026",
        "period_ods": "February 2027",
        "period_allowance": "2026/27",
        "period_boards": "1 April 2027",
    }
    assert set(words.period_numbers("staff", resource=_next_edition)) == {"period_staff"}


def test_period_numbers_of_the_current_data_package():
    from nhsreport import data
    from nhsreport.analysis import board_facts

    texts = board_facts.reporting_periods()
    assert texts["allowances"] == data.resource("icb_allocations")["x_as_of"]
    glued = words.period_numbers(*words.PERIOD_NAMES)
    assert glued["period_staff"] == texts["staff"]
    assert glued["period_ods"] == texts["trusts_file"]
    for key, (name, dataset) in words.PERIOD_NAMES.items():
        assert key in texts and name.startswith("period_") and data.resource(dataset)


def test_noun_alone():
    assert words.noun(1, "Claim") == "Claim"
    assert words.noun(2, "Claim") == "Claims"
    assert words.noun(0, "county", "counties") == "counties"
    assert words.count_phrase(1, "county", "counties") == "one county"


#: Plurals made by hand that are still to move to :func:`words.count_phrase` / :func:`words.noun`,
#: in files other parts of the report own (each a known case; a new one fails the test below).
HAND_MADE_PLURALS_ELSEWHERE = {
    "nhsreport/analysis/board_services.py": "a basis code ('region' or 'region_candidate'), not a plural",
    "nhsreport/formatting.py": "'joint' before a tied rank (rank_label), not a plural",
    "nhsreport/publish/components/board_text.py": "'a month old' / 'a year old' (profiles)",
    "nhsreport/publish/components/charts/describe.py": "'1 category' and 'N panels' in alt texts (charts)",
    "nhsreport/publish/briefing/render.py": "'trust(s) of type', 'is/are', 'that bar/those bars' (briefings)",
    "nhsreport/publish/briefing/figures.py": "'board(s) it succeeds' (briefings)",
    "nhsreport/publish/pages/appendices.py": "'is'/'are' after claims_pending_text (ledger)",
    "nhsreport/analysis/systems.py": "a status ('Split between ICBs'), not a plural",
}

_HAND_MADE_PLURAL = r"""(['"])s\1 if |(==|!=|>) ?1 else ['"f]|if [^\n]*(==|!=|>) ?1 else ['"f]"""


def test_plurals_come_from_one_home():
    """No module makes a plural with its own ``"s" if n > 1`` or ``... if n == 1 else ...``:
    counts next to nouns go through :func:`words.count_phrase` or :func:`words.noun`."""
    import re

    from .conftest import ROOT

    pattern = re.compile(_HAND_MADE_PLURAL)
    found = {}
    for path in sorted((ROOT / "nhsreport").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "nhsreport/publish/components/words.py" or rel in HAND_MADE_PLURALS_ELSEWHERE:
            continue
        lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
        if lines:
            found[rel] = lines
    assert not found, f"plurals made by hand (use words.count_phrase or words.noun): {found}"


def test_verdict_sentence_reads_as_a_sentence():
    # chapter 5 printed "the first supported , the second supported": one sentence, from one helper
    mixed = words.verdict_sentence(["supported", "partly supported", "supported"])
    assert mixed == "The ledger judges the first and third claims supported and the second claim partly supported."
    three = words.verdict_sentence(["a", "b", "c"])
    assert three == "The ledger judges the first claim a, the second claim b and the third claim c."
    assert words.verdict_sentence(["x", "x", "x"]) == "The ledger judges all three claims x."
    assert words.verdict_sentence(["x", "x"]) == "The ledger judges both claims x."
    assert words.verdict_sentence(["x"]) == "The ledger judges the claim x."
    lessons = words.verdict_sentence(["y", "y"], labels=["the first", "the last"], what="lesson")
    assert lessons == "The ledger judges the first and last lessons y."
    for text in (mixed, three, lessons):
        assert " ," not in text and "  " not in text
        assert text.endswith(".") and text[0].isupper()
    assert ", the third claim c" not in three and " and the third claim c" in three
    with pytest.raises(ValueError):
        words.verdict_sentence([])
