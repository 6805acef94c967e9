"""make refresh against a publisher served from 127.0.0.1: newer editions of a monthly series and of
a rolling file are found, downloaded whole, hash-checked, written atomically and registered; a bad
download or a reshaped file registers nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import json
import os
import subprocess
import sys
import threading
import zipfile

import pytest

from nhsreport.build import refresh, sources
from nhsreport.errors import DataError

from .conftest import ROOT

HEADER = b"Org code,Staff group,Leavers,Joiners\n"
ETR_ROW = b'"RAA","A TRUST","Y56","Q71","1 ROAD","","","","","AA1 1AA","20000401"' + b',""' * 16 + b"\n"


class Publisher(http.server.BaseHTTPRequestHandler):
    """Serves ``self.server.pages``: path -> body, or (body, Content-Length to announce)."""

    def do_GET(self):  # noqa: N802
        item = self.server.pages.get(self.path)
        if item is None:
            self.send_error(404)
            return
        body, length = item if isinstance(item, tuple) else (item, len(item))
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)
        self.server.requests.append(self.path)

    def log_message(self, *args):
        pass


@pytest.fixture
def publisher():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    server.pages, server.requests = {}, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    server.hosts = {"https://digital.nhs.uk": origin, "https://files.digital.nhs.uk": origin + "/files"}
    yield server
    server.shutdown()
    server.server_close()


def _source(id, path, blob, raw, notes=""):
    (raw / path).parent.mkdir(parents=True, exist_ok=True)
    (raw / path).write_bytes(blob)
    return sources.Source(
        id,
        "NHS England",
        f"title of {id}",
        "https://digital.nhs.uk/x",
        sources.OGL,
        "2025",
        hashlib.sha256(blob).hexdigest(),
        path,
        notes=notes,
    )


def _zip(blob: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("etr.csv", blob)
    return buf.getvalue()


@pytest.fixture
def project(tmp_path):
    raw = tmp_path / "raw"
    registry = [
        _source(
            "turnover_benchmarking_2025_11",
            "nhs-workforce/turnover-benchmarking-staff-group-org-2025-11.csv",
            HEADER + b"RAA,Managers,1,2\n",
            raw,
        ),
        _source("ods_etr_2026_06", "nhs-ods/etr-2026-06.csv", ETR_ROW, raw, notes="No header row."),
    ]
    return {"raw_dir": raw, "editions_file": tmp_path / "editions.json", "registry": registry}


WORKFORCE = "/data-and-information/publications/statistical/nhs-workforce-statistics"


def _serve_turnover(publisher, month_year: str, name: str, body: bytes):
    publisher.pages[f"{WORKFORCE}/{month_year}"] = (
        f'<html><a href="/files/other.xlsx">other</a> <a href="https://files.digital.nhs.uk/AB/{name}">'
        f"Turnover benchmarking</a></html>"
    ).encode()
    publisher.pages[f"/files/AB/{name}"] = body


def test_newer_monthly_editions_and_a_changed_rolling_file_are_downloaded_and_registered(publisher, project):
    dec = HEADER + b"RAA,Managers,3,4\n"
    feb = HEADER + b"RAA,Managers,5,6\n"
    _serve_turnover(publisher, "december-2025", "turnover-benchmarking-dec-2025.csv", dec)
    _serve_turnover(publisher, "february-2026", "turnover-benchmarking-feb-2026.csv", feb)  # January: none
    etr = ETR_ROW.replace(b"A TRUST", b"A MERGED TRUST")
    publisher.pages["/files/assets/ods/current/etr.zip"] = _zip(etr)

    report = refresh.run(**project, hosts=publisher.hosts, today=dt.date(2026, 7, 15))

    assert [f.source.id for f in report.found] == [
        "turnover_benchmarking_2025_12",
        "turnover_benchmarking_2026_02",
        "ods_etr_2026_07",
    ]
    assert f"{WORKFORCE}/january-2026" not in publisher.requests
    raw = project["raw_dir"]
    for f, blob in zip(report.found, (dec, feb, etr)):
        assert (raw / f.source.path).read_bytes() == blob
        assert f.source.sha256 == hashlib.sha256(blob).hexdigest()
    dec_source = report.found[0].source
    assert dec_source.as_of == "2025-12-31" and "(December 2025)" in dec_source.title
    assert dec_source.download_url == "https://files.digital.nhs.uk/AB/turnover-benchmarking-dec-2025.csv"
    assert report.found[1].follows == "turnover_benchmarking_2025_12"
    # registered: the registry reads them back as sources
    entries = sources.read_editions(project["editions_file"])
    assert [sources.Source(**e).id for e in entries] == [f.source.id for f in report.found]
    md = report.markdown()
    assert "turnover_benchmarking_2026_02 (2026-02-28)" in md and "Registered in `data/editions.json`" in md

    # a second look finds nothing new: the registered editions are the latest
    again = refresh.run(
        **{**project, "registry": project["registry"] + [sources.Source(**e) for e in entries]},
        hosts=publisher.hosts,
        today=dt.date(2026, 7, 15),
    )
    assert again.found == [] and "No newer edition found." in again.markdown()
    assert len(sources.read_editions(project["editions_file"])) == 3


def test_an_unchanged_rolling_file_is_no_new_edition(publisher, project):
    publisher.pages["/files/assets/ods/current/etr.zip"] = _zip(ETR_ROW)
    report = refresh.run(**project, hosts=publisher.hosts, today=dt.date(2025, 11, 20), series=refresh.SERIES[1:])
    assert report.found == [] and "same sha256" in report.checked[0]
    assert not project["editions_file"].exists()


def test_check_only_reports_without_writing(publisher, project):
    _serve_turnover(publisher, "december-2025", "turnover-benchmarking.csv", HEADER + b"RAA,Managers,3,4\n")
    report = refresh.run(
        **project, hosts=publisher.hosts, today=dt.date(2025, 12, 31), check_only=True, series=refresh.SERIES[:1]
    )
    assert [f.source.id for f in report.found] == ["turnover_benchmarking_2025_12"]
    assert "Not registered" in report.markdown()
    assert not project["editions_file"].exists()
    assert not (project["raw_dir"] / report.found[0].source.path).exists()


@pytest.mark.parametrize("case", ["incomplete", "reshaped", "not a zip"])
def test_a_bad_edition_is_an_error_naming_it_and_nothing_is_registered(publisher, project, case):
    good = HEADER + b"RAA,Managers,3,4\n"
    _serve_turnover(publisher, "december-2025", "turnover-benchmarking.csv", good)
    publisher.pages["/files/assets/ods/current/etr.zip"] = _zip(ETR_ROW.replace(b"A TRUST", b"B TRUST"))
    if case == "incomplete":
        publisher.pages["/files/AB/turnover-benchmarking.csv"] = (good, len(good) + 100)
        expected = r"turnover-benchmarking\.csv: download: expected \d+ bytes .*incomplete download"
    elif case == "reshaped":
        publisher.pages["/files/AB/turnover-benchmarking.csv"] = b"Org code,Leavers\nRAA,3\n"
        expected = r"turnover-benchmarking\.csv: first line: expected the columns of turnover_benchmarking_2025_11"
    else:
        publisher.pages["/files/assets/ods/current/etr.zip"] = b"<html>maintenance</html>"
        expected = r"etr\.zip: zip: expected a zip archive"
    before = sorted(p.relative_to(project["raw_dir"]) for p in project["raw_dir"].rglob("*"))
    with pytest.raises(DataError, match=expected):
        refresh.run(**project, hosts=publisher.hosts, today=dt.date(2026, 1, 10))
    assert not project["editions_file"].exists()
    assert sorted(p.relative_to(project["raw_dir"]) for p in project["raw_dir"].rglob("*")) == before


def test_make_refresh_script_registers_beside_the_data_and_writes_its_report(publisher, tmp_path):
    copy = tmp_path / "project"
    (copy / "data").mkdir(parents=True)
    _serve_turnover(publisher, "december-2025", "turnover-benchmarking.csv", HEADER + b"RAA,Managers,3,4\n")
    registered = next(s for s in sources.SOURCES if s.id == "ods_etr_2026_06")
    etr = ROOT / "data/raw" / registered.path
    if etr.exists():  # the real current file: no new edition of it
        publisher.pages["/files/assets/ods/current/etr.zip"] = _zip(etr.read_bytes())
    env = dict(os.environ, NHSREPORT_ROOT=str(copy))
    hosts = [a for prefix, origin in publisher.hosts.items() for a in ("--host", f"{prefix}={origin}")]
    args = [sys.executable, str(ROOT / "scripts/refresh.py"), *hosts, "--today", "2025-12-31"]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    if not etr.exists():  # no offline copy of the real file to serve: the rolling file cannot be checked
        assert proc.returncode == 1 and "etr.zip" in proc.stderr and "nothing was registered" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    entries = json.loads((copy / "data/editions.json").read_text())["editions"]
    assert [e["id"] for e in entries] == ["turnover_benchmarking_2025_12"]
    assert (copy / "data/raw" / entries[0]["path"]).exists()
    assert "turnover_benchmarking_2025_12" in (copy / "_build/refresh.md").read_text()
