"""Fill ``data/raw/`` with the registered source files, from a mirror directory or the network.

Every file is checked against the sha256 in :mod:`nhsreport.build.sources` before it replaces
anything: a mismatch is an error naming the file and both hashes, and the previous file stays.
"""

from __future__ import annotations

import hashlib
import io
import logging
import urllib.request
import zipfile
from pathlib import Path

from nhsreport import atomic, paths
from nhsreport.build.sources import SOURCES, Source
from nhsreport.errors import DataError

log = logging.getLogger("nhsreport.build.fetch")


def _check(blob: bytes, src: Source, origin: str) -> None:
    got = hashlib.sha256(blob).hexdigest()
    if got != src.sha256:
        raise DataError(origin, "sha256", f"{src.sha256} (registered for {src.path})", got)


def from_mirror(src: Source, mirror: Path, raw_dir: Path) -> Path:
    origin = Path(mirror) / src.path
    if not origin.exists():
        raise DataError(origin, "file", f"the mirror copy of {src.id}", "no such file")
    blob = origin.read_bytes()
    _check(blob, src, origin)
    target = Path(raw_dir) / src.path
    atomic.write_bytes(target, blob)
    return target


def download(url: str, timeout: float = 60) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "nhsreport-fetch"})
    with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (official https URLs)
        return r.read()


def from_url(src: Source, raw_dir: Path, url: str | None = None) -> Path:
    """Download ``src`` from its publisher (``download_url``; a zip's single member is taken)."""
    url = url or src.download_url
    if not url:
        raise DataError(
            src.url,
            "download",
            f"a direct download address for {src.id}",
            "only a landing page: download the file by hand, or use --mirror",
        )
    blob = download(url)
    if url.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            members = [n for n in z.namelist() if not n.endswith("/")]
            blob = z.read(members[0])
    _check(blob, src, url)
    target = Path(raw_dir) / src.path
    atomic.write_bytes(target, blob)
    return target


def fetch_all(mirror: Path | None = None, raw_dir: Path | None = None, ids=None, online: bool = False) -> list[Path]:
    """Make every registered file present and verified; from ``mirror`` (default: the offline
    mirror when it exists) or, with ``online`` or no mirror, from the publisher."""
    raw_dir = Path(raw_dir or paths.RAW)
    mirror = None if online else (mirror if mirror is not None else paths.default_mirror())
    out = []
    for src in SOURCES:
        if ids is not None and src.id not in ids:
            continue
        target = raw_dir / src.path
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == src.sha256:
            log.info("present %s", src.path)
            out.append(target)
            continue
        if mirror is not None:
            out.append(from_mirror(src, mirror, raw_dir))
            log.info("copied  %s from the mirror", src.path)
        else:
            out.append(from_url(src, raw_dir))
            log.info("fetched %s from %s", src.path, src.download_url)
    return out
