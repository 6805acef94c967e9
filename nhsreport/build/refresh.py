"""Newer editions of registered sources (``make refresh``): look for them, download them
(hash-checked, atomic), and register them in ``data/editions.json``.

Only sources whose official address follows a known pattern can be looked for. Two kinds:

* a **monthly series** (:class:`Monthly`): each edition has its own page, whose address carries
  the month (NHS Workforce Statistics, ``.../nhs-workforce-statistics/november-2025``); the file
  is the link on that page that matches a pattern. Editions after the latest registered one, up to
  the current month, are looked for.
* a **rolling file** (:class:`Rolling`): one address always serves the current edition (the ODS
  ``current/etr.zip``); it is a new edition when its content differs from the latest registered one.

A new edition is downloaded in full (its length checked against ``Content-Length``), must have
the same columns as the edition it follows, and is written atomically to ``data/raw/`` and read
back against its sha256. Only when every new edition passed is ``data/editions.json`` rewritten
(atomically): a failure registers nothing and leaves the raw files already registered untouched.
:mod:`nhsreport.build.sources` adds the registered editions to the registry, so ``make data-raw``
fetches them (from their recorded download address) and checks their hashes like any other file.
A builder reads a new edition only once it is changed to; ``make changes`` then shows what moved.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import hashlib
import http.client
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from nhsreport import atomic, paths
from nhsreport.build import sources
from nhsreport.errors import DataError

WORKFORCE_PAGE = "https://digital.nhs.uk/data-and-information/publications/statistical/nhs-workforce-statistics"


@dataclass(frozen=True)
class Monthly:
    """A monthly series: ``id``, ``path``, ``title`` and ``page`` are templates of ``{year}``, ``{mm}``
    (two digits) and ``{month}`` (lower-case month name); ``link`` is a regular expression whose first
    group is the file's address on the edition's page."""

    series: str
    id: str
    page: str
    link: str
    path: str
    title: str
    publisher: str
    url: str  # the series' official page, recorded with each edition


@dataclass(frozen=True)
class Rolling:
    """One address that always serves the current edition (a zip's single member is the file)."""

    series: str
    id: str
    download_url: str
    path: str
    title: str
    publisher: str
    url: str


SERIES: tuple[Monthly | Rolling, ...] = (
    Monthly(
        "turnover_benchmarking",
        "turnover_benchmarking_{year}_{mm}",
        WORKFORCE_PAGE + "/{month}-{year}",
        r'href="([^"]*turnover[^"]*benchmark[^"]*\.csv)"',
        "nhs-workforce/turnover-benchmarking-staff-group-org-{year}-{mm}.csv",
        "NHS Workforce Statistics: turnover benchmarking 2, staff group and organisation ({Month} {year})",
        "NHS England",
        WORKFORCE_PAGE,
    ),
    Rolling(
        "ods_etr",
        "ods_etr_{year}_{mm}",
        "https://files.digital.nhs.uk/assets/ods/current/etr.zip",
        "nhs-ods/etr-{year}-{mm}.csv",
        "NHS trusts (etr), {Month} {year}",
        "NHS England Organisation Data Service",
        "https://digital.nhs.uk/services/organisation-data-service/export-data-files/csv-downloads",
    ),
)


@dataclass
class Found:
    series: str
    source: sources.Source
    blob: bytes
    follows: str  # id of the edition it follows


@dataclass
class Report:
    found: list[Found] = dataclasses.field(default_factory=list)
    checked: list[str] = dataclasses.field(default_factory=list)  # one line per series
    registered: bool = False

    def markdown(self) -> str:
        lines = ["# Newer editions of the official files", ""]
        lines += [f"- {line}" for line in self.checked]
        if self.found:
            lines += ["", "| series | new edition | follows | file | sha256 |", "|---|---|---|---|---|"]
            lines += [
                f"| {f.series} | {f.source.id} ({f.source.as_of}) | {f.follows} | `data/raw/{f.source.path}` | "
                f"`{f.source.sha256[:16]}…` |"
                for f in self.found
            ]
            lines += [
                "",
                "Registered in `data/editions.json`."
                if self.registered
                else "Not registered (`--check`: report only).",
            ]
            lines += [
                "",
                "Next: point the builders that should read a new edition at it, add its citation "
                "(`references.bib`, `RAW_BIBKEYS`), run `make data`, then `make changes`.",
            ]
        else:
            lines += ["", "No newer edition found."]
        return "\n".join(lines) + "\n"


def _fields(year: int, month: int) -> dict:
    return {
        "year": year,
        "mm": f"{month:02d}",
        "month": calendar.month_name[month].lower(),
        "Month": calendar.month_name[month],
    }


def _month_end(year: int, month: int) -> str:
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _id_pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.escape(template).replace(r"\{year\}", r"(\d{4})").replace(r"\{mm\}", r"(\d{2})") + "$")


def editions_of(series, registry) -> list[tuple[int, int, sources.Source]]:
    """Registered editions of ``series`` as (year, month, source), oldest first."""
    pat = _id_pattern(series.id)
    out = [(int(m[1]), int(m[2]), s) for s in registry if (m := pat.match(s.id))]
    return sorted(out, key=lambda t: (t[0], t[1]))


def _months_after(year: int, month: int, today: dt.date):
    while (year, month) < (today.year, today.month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        yield year, month


class Fetcher:
    """GET with a timeout, addresses rewritten through ``hosts`` (publisher prefix -> another
    origin, for a mirror or a test server); the body must be as long as ``Content-Length`` says."""

    def __init__(self, hosts: dict[str, str] | None = None, timeout: float = 60):
        self.hosts = hosts or {}
        self.timeout = timeout

    def address(self, url: str) -> str:
        for prefix, origin in self.hosts.items():
            if url.startswith(prefix):
                return origin + url[len(prefix) :]
        return url

    def get(self, url: str) -> bytes | None:
        """The body at ``url``; None if the publisher says there is nothing there (404 or 410)."""
        real = self.address(url)
        req = urllib.request.Request(real, headers={"User-Agent": "nhsreport-refresh"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:  # noqa: S310 (registered https addresses)
                blob = r.read()
                length = r.headers.get("Content-Length")
        except urllib.error.HTTPError as e:
            if e.code in (404, 410):
                return None
            raise DataError(url, "download", "HTTP 200", f"HTTP {e.code}") from None
        except http.client.IncompleteRead as e:
            raise DataError(
                url,
                "download",
                f"{len(e.partial) + (e.expected or 0)} bytes (Content-Length)",
                f"{len(e.partial)} bytes: an incomplete download",
            ) from None
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as e:
            raise DataError(url, "download", "an answer from the publisher", str(getattr(e, "reason", e))) from None
        if length is not None and length.isdigit() and int(length) != len(blob):
            raise DataError(
                url, "download", f"{length} bytes (Content-Length)", f"{len(blob)} bytes: an incomplete download"
            )
        return blob


def _unzip(blob: bytes, url: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            members = [n for n in z.namelist() if not n.endswith("/")]
            if len(members) != 1:
                raise DataError(url, "zip members", "exactly one file", ", ".join(members) or "none")
            return z.read(members[0])
    except zipfile.BadZipFile:
        raise DataError(url, "zip", "a zip archive", "not a zip file") from None


def _same_columns(new: bytes, previous: sources.Source, raw_dir: Path, where: str) -> None:
    """A CSV edition has the same header as the one it follows (or, with no header row, as many fields)."""
    if not previous.path.endswith(".csv"):
        return
    old_file = raw_dir / previous.path
    if not old_file.exists():
        return

    def first(b: bytes) -> str:
        return b.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")

    old, got = first(old_file.read_bytes()), first(new)
    if "no header row" in previous.notes.lower():
        old, got = f"{old.count(',') + 1} fields", f"{got.count(',') + 1} fields"
    if old != got:
        raise DataError(where, "first line", f"the columns of {previous.id} ({old})", got)


def _edition(series, year: int, month: int, blob: bytes, download_url: str, previous: sources.Source) -> sources.Source:
    f = _fields(year, month)
    return sources.Source(
        id=series.id.format(**f),
        publisher=series.publisher,
        title=series.title.format(**f),
        url=series.url,
        licence=previous.licence,
        as_of=_month_end(year, month) if isinstance(series, Monthly) else f"{year}-{f['mm']}",
        sha256=hashlib.sha256(blob).hexdigest(),
        path=series.path.format(**f),
        download_url=download_url,
        notes=previous.notes,
    )


def look(series, registry, fetcher: Fetcher, raw_dir: Path, today: dt.date) -> tuple[list[Found], str]:
    """New editions of one series, downloaded and checked (not written), and a line saying what was looked at."""
    known = editions_of(series, registry)
    if not known:
        return [], f"{series.series}: no registered edition to follow"
    year, month, latest = known[-1]
    found = []
    if isinstance(series, Monthly):
        tried = 0
        for y, m in _months_after(year, month, today):
            tried += 1
            page_url = series.page.format(**_fields(y, m))
            page = fetcher.get(page_url)
            if page is None:
                continue
            links = re.findall(series.link, page.decode("utf-8", "replace"), flags=re.I)
            if not links:
                raise DataError(page_url, "links", f"a link matching {series.link}", "none on the edition's page")
            file_url = urllib.parse.urljoin(page_url, links[0])
            blob = fetcher.get(file_url)
            if blob is None:
                raise DataError(file_url, "download", "the file the edition's page links to", "HTTP 404")
            _same_columns(blob, latest, raw_dir, file_url)
            new = _edition(series, y, m, blob, file_url, latest)
            found.append(Found(series.series, new, blob, latest.id))
            latest = new
        line = f"{series.series}: latest registered {known[-1][2].id}; looked for {tried} later month(s)"
    else:
        y, m = today.year, today.month
        blob = fetcher.get(series.download_url)
        if blob is None:
            raise DataError(series.download_url, "download", "the current edition", "HTTP 404")
        if series.download_url.endswith(".zip"):
            blob = _unzip(blob, series.download_url)
        digest = hashlib.sha256(blob).hexdigest()
        if digest == latest.sha256:
            line = f"{series.series}: the current file is {latest.id} (same sha256)"
        elif (y, m) <= (year, month):
            raise DataError(
                series.download_url,
                "edition",
                f"a month after {latest.id} for content that differs from it",
                f"{y}-{m:02d}",
            )
        else:
            _same_columns(blob, latest, raw_dir, series.download_url)
            new = _edition(series, y, m, blob, series.download_url, latest)
            found.append(Found(series.series, new, blob, latest.id))
            line = f"{series.series}: the current file differs from {latest.id}"
    return found, line


def run(
    *,
    raw_dir: Path | None = None,
    editions_file: Path | None = None,
    hosts: dict[str, str] | None = None,
    today: dt.date | None = None,
    check_only: bool = False,
    series=SERIES,
    registry=None,
) -> Report:
    """Look for newer editions of every series; unless ``check_only``, write and register them."""
    raw_dir = Path(raw_dir or paths.RAW)
    editions_file = Path(editions_file or sources.EDITIONS)
    today = today or dt.date.today()
    fetcher = Fetcher(hosts)
    registry = list(registry if registry is not None else sources.SOURCES)
    registered = sources.read_editions(editions_file)
    ids = {s.id for s in registry}
    report = Report()
    for s in series:
        found, line = look(s, registry, fetcher, raw_dir, today)
        for f in found:
            if f.source.id in ids:
                raise DataError(
                    editions_file, f"source {f.source.id}", "a new id for a new edition", "already registered"
                )
            ids.add(f.source.id)
        report.found += found
        report.checked.append(line)
    if check_only or not report.found:
        return report
    for f in report.found:
        target = raw_dir / f.source.path
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != f.source.sha256:
            raise DataError(target, "file", f"no file, or the file with sha256 {f.source.sha256}", "another file")
    for f in report.found:
        target = raw_dir / f.source.path
        atomic.write_bytes(target, f.blob)
        got = hashlib.sha256(target.read_bytes()).hexdigest()
        if got != f.source.sha256:
            target.unlink()
            raise DataError(target, "sha256 after writing", f.source.sha256, got)
    entries = registered + [dataclasses.asdict(f.source) for f in report.found]
    atomic.write_text(editions_file, json.dumps({"editions": entries}, indent=2, ensure_ascii=False) + "\n")
    report.registered = True
    return report
