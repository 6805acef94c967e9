"""The system profiles' charts: the shared charts' data is computed once a build and is what each
board's highlighted copy shows."""

from __future__ import annotations

import pytest

from nhsreport.publish.components.charts import figure_data
from nhsreport.publish.pages import profiles


@pytest.fixture(scope="module")
def base():
    from nhsreport.analysis import board_facts

    ctx = board_facts.BoardData()
    return ctx, profiles._base_charts(ctx)


@pytest.mark.parametrize("kind", ["map", "density", "rca", "population"])
def test_the_shared_data_is_each_boards_data(base, kind):
    ctx, charts = base
    shared, formats = profiles.chart_data(charts, kind)
    assert profiles.chart_data(charts, kind)[0] is shared  # computed once
    for code in list(ctx.boards.index)[:3] + list(ctx.boards.index)[-2:]:
        rows, own_formats = figure_data(profiles._highlight_spec(charts[kind][0], code, kind))
        assert own_formats == formats
        assert rows.equals(shared)
