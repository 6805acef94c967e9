"""The briefings of a book build: compiled by one background process, which loads the data once;
a briefing that fails names itself when the build waits for them (``env-updated``); a build with
nothing stale starts no process."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from nhsreport import paths
from nhsreport.publish.book import assets, content
from nhsreport.publish.briefing import background
from nhsreport.publish.pages import profile_inputs


@pytest.fixture(autouse=True)
def no_process_left():
    """Each test waits for the process it started (or starts none)."""
    assert not background.running()
    yield
    if background.running():
        background.finish()
        pytest.fail("a background process was left running")


def test_a_clean_builds_briefings_come_from_one_process_that_loads_the_data_once(tmp_path):
    englands = []
    england = tmp_path / "downloads" / assets.BRIEFING
    background.submit({"kind": "boards", "out_dir": str(tmp_path), "codes": None}, background.BOARDS, len)
    background.submit({"kind": "england", "target": str(england)}, background.ENGLAND, englands.append)
    assert background.running()
    done = background.finish()
    assert not background.running()
    boards = sorted(tmp_path.glob("boards/*.pdf"))
    assert len(boards) == 36 and england.exists()
    assert {Path(r["path"]) for r in done["items"]} == {*boards, england}
    # one process, not this one, loading the data once, for all 37 PDFs
    assert len(done["pids"]) == 1 and done["pids"][0] != os.getpid()
    assert done["loads"] == 1 and {r["loads"] for r in done["items"]} == {1}
    # each job's follow-up run once, with its own results
    assert done["followed"][background.BOARDS] == 36
    assert [[r["path"] for r in results] for results in englands] == [[str(england)]]
    for pdf in [*boards, england]:
        assert pdf.read_bytes().startswith(b"%PDF")


def test_a_failing_board_names_itself_when_the_build_waits_and_leaves_no_pdf_or_stamp(tmp_path):
    stamps = []
    job = {"kind": "boards", "out_dir": str(tmp_path), "codes": ["S0E4D", "ZZZ99"]}
    background.submit(job, background.BOARDS, stamps.append)
    with pytest.raises(background.BriefingError, match=r"the briefing of board ZZZ99: \w+Error: .*ZZZ99"):
        content.briefings_done(None, None)  # env-updated
    assert not background.running()
    assert stamps == []  # the job's follow-up (its stamp) is not run
    assert [p.name for p in (tmp_path / "boards").iterdir()] == ["S0E4D.pdf"]  # nothing half-written


def test_a_process_that_ends_without_finishing_names_the_jobs_left():
    results = [{"job": 0, "item": "the England briefing", "ok": True, "path": "x.pdf", "pid": 1, "at": 1.0}]
    jobs = {0: (background.ENGLAND, None), 1: (background.BOARDS, None)}
    with pytest.raises(background.BriefingError, match="the boards' briefings: the briefings' process ended"):
        background._settle(jobs, results, -9, 2.0)


def _app(tmp_path) -> SimpleNamespace:
    return SimpleNamespace(
        doctreedir=str(tmp_path / "_build" / ".doctrees"), config=SimpleNamespace(exclude_patterns=[])
    )


def test_a_no_op_build_starts_no_process(tmp_path, monkeypatch):
    app = _app(tmp_path)
    out = tmp_path / "_build" / "nhsreport_static"
    # the England briefing and its stamp as a build left them
    (out / "downloads").mkdir(parents=True)
    (out / "downloads" / assets.BRIEFING).write_bytes(b"%PDF")
    handed = []
    monkeypatch.setattr(background, "submit", lambda job, label, then: handed.append(then))
    assets._stage_england_briefing(app, out)  # no stamp: stale
    assert len(handed) == 1
    handed[0]([])  # compiled: its stamp written
    monkeypatch.undo()
    # the profiles, their briefings and their stamp as a build left them
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    (tmp_path / profile_inputs.PAGE_DIR).mkdir(parents=True)
    (tmp_path / profile_inputs.PAGE_DIR / "QYG.md").write_text("page")
    (out / profile_inputs.BRIEFINGS).mkdir(parents=True)
    (out / profile_inputs.BRIEFINGS / "QYG.pdf").write_bytes(b"%PDF")
    (out / profile_inputs.FINDER_FILE).write_text("index")
    (out / profile_inputs.STAMP).write_text(profile_inputs.stamp_text(profile_inputs.inputs_key(), ["QYG"]))

    content.write_profiles(app, app.config)  # config-inited
    assets._stage_england_briefing(app, out)  # builder-inited
    assert not background.running()
    assert content.briefings_done(app, None) is None
