"""Content hashes: the sha256 that the source registry records for every raw file and the data
package for every processed dataset (the builders write them, the read side checks them)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_bytes(blob: bytes) -> str:
    """The sha256 of ``blob``, as 64 hexadecimal digits."""
    return hashlib.sha256(blob).hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of the file at ``path``, as 64 hexadecimal digits."""
    return sha256_bytes(Path(path).read_bytes())
