"""Chapter 5: the reader's own board, shown when the chapter's ``board`` parameter is set."""

from __future__ import annotations

import pytest

from nhsreport import data
from nhsreport.analysis import board_facts, boards
from nhsreport.publish.chapters import conclusions


@pytest.fixture(scope="module")
def facts():
    data.declare(None)
    return board_facts.BoardData()


def test_no_board_no_table():
    assert conclusions.board_table(None) is None
    assert conclusions.board_table("") is None


def test_a_board_by_name_shows_each_headline_with_its_rank_and_england(facts):
    table = conclusions.board_table("Kent and Medway")
    code = boards.find_board("Kent and Medway", facts.icbs)
    heads = board_facts.headlines(facts, code)
    df = table.df
    assert len(df) == len(heads) == len(boards.FIGURES)
    for (_, row), h in zip(df.iterrows(), heads):
        assert row["Board"].startswith(h["text"])
        assert row["England"] == h["england_text"]
        assert row["Rank"].endswith(f"of {len(facts.boards)} boards")
    assert "Kent and Medway" in table.caption


def test_an_unknown_board_is_a_clear_error():
    with pytest.raises(LookupError):
        conclusions.board_table("Atlantis")


def test_the_changes_to_the_national_structure_are_listed_in_date_order():
    from nhsreport import data
    from nhsreport.publish.chapters import conclusions

    changes = conclusions.structural_changes(data.load("timeline"))
    assert changes["date"].is_monotonic_increasing
    # the stacking number still counts within each year
    assert (changes.groupby("year")["n"].max() == changes.groupby("year").size()).all()
