"""Pinned addresses: for every raw file, an address that returns exactly the registered bytes.

A publisher's download address often points at the *current* edition of a file ("…/current/etr.zip"),
whose bytes change with each edition, and many of the raw files were taken from faithful copies in
public repositories. So the registry's sha256 can be checked for ever only against an address fixed
in time: the raw file at a given commit of the repository it was copied from. ``pinned.csv`` (beside
this module) lists those addresses; ``scripts/pin_sources.py`` writes it from the mirror's
``PINNED.csv``. For a file that is a faithful transform of the pinned bytes (``transform`` =
``strip-bom-lf``: the byte-order mark removed and CRLF line endings changed to LF), the table also
gives the sha256 of the bytes the address returns, and the fetch step checks both.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nhsreport import atomic
from nhsreport.errors import DataError

TABLE = Path(__file__).with_name("pinned.csv")
COLUMNS = ("path", "sha256", "bytes", "pinned_url", "status", "transform", "source_sha256")
TRANSFORMS = ("", "strip-bom-lf")


@dataclass(frozen=True)
class Pin:
    path: str
    sha256: str
    bytes: int
    pinned_url: str
    status: str  # "exact": the address returns the file; "converted": a transform of what it returns
    transform: str = ""
    source_sha256: str = ""


def apply_transform(blob: bytes, transform: str) -> bytes:
    """The registered bytes from the bytes an address returns (``transform`` from :data:`TRANSFORMS`)."""
    if transform == "":
        return blob
    if transform == "strip-bom-lf":
        return blob.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    raise ValueError(f"unknown transform {transform!r}; expected one of {TRANSFORMS}")


def load(table: Path = TABLE) -> dict[str, Pin]:
    """The pinned addresses by raw path; an error names the file and line of a malformed row."""
    out = {}
    with open(table, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DataError(table, "header", ",".join(COLUMNS), ",".join(reader.fieldnames or ()))
        for line, row in enumerate(reader, start=2):
            if not re.fullmatch(r"[0-9a-f]{64}", row["sha256"]) or not row["pinned_url"].startswith("https://"):
                raise DataError(table, f"line {line}", "a sha256 of 64 hex digits and an https address", row)
            if row["transform"] not in TRANSFORMS:
                raise DataError(table, f"line {line}", f"transform in {TRANSFORMS}", row["transform"])
            out[row["path"]] = Pin(**{**row, "bytes": int(row["bytes"])})
    return out


_CONVERTED_SOURCE = re.compile(r"\(blob [0-9a-f]+, \d+ bytes, sha256 ([0-9a-f]{64})")


def from_mirror_table(pinned_csv: Path) -> list[Pin]:
    """Rows of :data:`TABLE` from the mirror's ``PINNED.csv`` (columns path, sha256, bytes,
    repository, commit, repo_path, pinned_url, status, note)."""
    rows = []
    with open(pinned_csv, newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            url, transform, source_sha = row["pinned_url"], "", ""
            if row["status"] == "converted":
                # the note gives the source blob's sha256; the address is the file at the pinned commit
                found = _CONVERTED_SOURCE.search(row["note"])
                if not found:
                    raise DataError(pinned_csv, f"line {line}", "a note giving the source file's sha256", row["note"])
                url = f"https://raw.githubusercontent.com/{row['repository']}/{row['commit']}/{row['repo_path']}"
                transform, source_sha = "strip-bom-lf", found.group(1)
            elif row["status"] != "exact":
                raise DataError(pinned_csv, f"line {line}", "status exact or converted", row["status"])
            rows.append(Pin(row["path"], row["sha256"], int(row["bytes"]), url, row["status"], transform, source_sha))
    return sorted(rows, key=lambda p: p.path)


def write(rows: list[Pin], table: Path = TABLE) -> None:
    """Write ``rows`` to ``table`` atomically."""
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for p in rows:
        w.writerow([p.path, p.sha256, p.bytes, p.pinned_url, p.status, p.transform, p.source_sha256])
    atomic.write_text(table, buf.getvalue())
