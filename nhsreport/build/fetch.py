"""Fill ``data/raw/`` with the registered source files: from a mirror directory, or over the network
from each file's pinned address.

Every file is checked against the sha256 in :mod:`nhsreport.build.sources` before it replaces
anything: a mismatch is an error naming the file, the address and both hashes, and the previous
file stays. Over the network a file comes from its pinned address (:mod:`nhsreport.build.pinned`:
the raw file at a fixed commit, which returns the same bytes for ever); a publisher's own download
address is used only for a file with no pinned address, and is often a moving "current" edition
whose bytes change (``make refresh`` is how a new edition enters). ``base`` replaces the scheme and
host of every address with another server that holds the same files under ``<host>/<path>`` (a
local server in the tests, or an internal cache).
"""

from __future__ import annotations

import hashlib
import io
import logging
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import NamedTuple

from nhsreport import atomic, paths
from nhsreport.build import pinned
from nhsreport.build.sources import SOURCES, Source
from nhsreport.errors import DataError

log = logging.getLogger("nhsreport.build.fetch")


def _check(blob: bytes, expected: str, what: str, origin: str) -> None:
    got = hashlib.sha256(blob).hexdigest()
    if got != expected:
        raise DataError(origin, "sha256", f"{expected} ({what})", got)


def from_mirror(src: Source, mirror: Path, raw_dir: Path) -> Path:
    origin = Path(mirror) / src.path
    if not origin.exists():
        raise DataError(origin, "file", f"the mirror copy of {src.id}", "no such file")
    blob = origin.read_bytes()
    _check(blob, src.sha256, f"registered for {src.path}", origin)
    target = Path(raw_dir) / src.path
    atomic.write_bytes(target, blob)
    return target


def download(url: str, timeout: float = 60) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "nhsreport-fetch"})
    with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (https addresses from the registry)
        return r.read()


def rebase(url: str, base: str | None) -> str:
    """``url`` served from ``base`` instead: ``https://host/a/b`` → ``<base>/host/a/b``."""
    if not base:
        return url
    parts = urllib.parse.urlsplit(url)
    return f"{base.rstrip('/')}/{parts.netloc}{parts.path}"


def _get(url: str, path: str) -> bytes:
    try:
        return download(url)
    except OSError as e:  # URLError, HTTPError and timeouts are all OSErrors
        raise DataError(url, "download", f"the bytes of {path}", f"{type(e).__name__}: {e}") from None


def from_pin(src: Source, raw_dir: Path, pin: pinned.Pin, base: str | None = None) -> Path:
    """Download ``src`` from its pinned address (through ``base`` if given), check and write it."""
    url = rebase(pin.pinned_url, base)
    blob = _get(url, src.path)
    if pin.transform:
        _check(blob, pin.source_sha256, f"the pinned file behind {src.path}", url)
        blob = pinned.apply_transform(blob, pin.transform)
    _check(blob, src.sha256, f"registered for {src.path}", url)
    target = Path(raw_dir) / src.path
    atomic.write_bytes(target, blob)
    return target


def from_url(src: Source, raw_dir: Path, url: str | None = None) -> Path:
    """Download ``src`` from its publisher (``download_url``; a zip's single member is taken
    unless the registered file is itself the zip)."""
    url = url or src.download_url
    if not url:
        raise DataError(
            src.url,
            "download",
            f"a pinned or direct download address for {src.id}",
            "only a landing page: download the file by hand, or use --mirror",
        )
    blob = _get(url, src.path)
    if url.endswith(".zip") and not src.path.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            members = [n for n in z.namelist() if not n.endswith("/")]
            blob = z.read(members[0])
    _check(blob, src.sha256, f"registered for {src.path}", url)
    target = Path(raw_dir) / src.path
    atomic.write_bytes(target, blob)
    return target


class Fetched(NamedTuple):
    """One registered file made present: where it is, how (present, mirror, pinned, publisher), from where."""

    target: Path
    how: str
    origin: str


def summary_markdown(fetched: list[Fetched]) -> str:
    """A short Markdown account of a fetch, for a workflow's run summary."""
    counts = {how: sum(f.how == how for f in fetched) for how in ("present", "mirror", "pinned", "publisher")}
    lines = [
        "### Official files",
        "",
        f"{len(fetched)} registered files present and verified against their sha256: "
        + ", ".join(f"{n} {how}" for how, n in counts.items() if n)
        + ".",
        "",
    ]
    new = [f for f in fetched if f.how != "present"]
    if new:
        lines += ["| file | from |", "|---|---|"] + [f"| `{f.target.name}` | {f.origin} |" for f in new] + [""]
    return "\n".join(lines)


def _present(target: Path, sha256: str) -> bool:
    return target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256


def fetch_all(
    mirror: Path | None = None,
    raw_dir: Path | None = None,
    ids=None,
    online: bool = False,
    base: str | None = None,
    pins: dict[str, pinned.Pin] | None = None,
) -> list[Fetched]:
    """Make every registered file present and verified: from ``mirror`` (default: the offline
    mirror when it exists) or, with ``online`` or no mirror, from its pinned address (else the
    publisher's). Every file is tried; a failure leaves the previous copy, and the error raised at
    the end names each file that failed, its address and what was expected."""
    raw_dir = Path(raw_dir or paths.RAW)
    mirror = None if online else (mirror if mirror is not None else paths.default_mirror())
    pins = pinned.load() if pins is None else pins
    out: list[Fetched] = []
    failures = []
    for src in SOURCES:
        if ids is not None and src.id not in ids:
            continue
        target = raw_dir / src.path
        if _present(target, src.sha256):
            log.info("present %s", src.path)
            out.append(Fetched(target, "present", "data/raw"))
            continue
        try:
            if mirror is not None:
                out.append(Fetched(from_mirror(src, mirror, raw_dir), "mirror", "the offline mirror"))
            elif src.path in pins:
                address = rebase(pins[src.path].pinned_url, base)
                out.append(Fetched(from_pin(src, raw_dir, pins[src.path], base), "pinned", address))
            else:
                out.append(Fetched(from_url(src, raw_dir), "publisher", src.download_url or src.url))
            log.info("%-9s %s from %s", out[-1].how, src.path, out[-1].origin)
        except DataError as e:
            log.error("%s", e)
            failures.append(e)
    if failures:
        raise DataError(
            "; ".join(f.file for f in failures),
            f"{len(failures)} of the registered files",
            "each file's registered bytes",
            " | ".join(str(f) for f in failures),
        )
    return out
