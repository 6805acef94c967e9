"""What the system profiles are made from, and whether those made last time are still current.

Kept apart from :mod:`nhsreport.publish.pages.profiles` and free of pandas and Altair, so that the Sphinx
extension can tell in a fraction of a second, on every build, that nothing needs regenerating.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from nhsreport import paths

__all__ = ["PAGE_DIR", "INDEX_MARKER", "STAMP", "FINDER_FILE", "BRIEFINGS", "inputs_key", "stamp_text", "is_current"]

#: Where the profile pages are written, relative to the project root (docnames book/systems/<code>).
PAGE_DIR = "book/systems"
#: Replaced by the index of systems in ``book/systems.md`` (see :mod:`nhsreport.publish.book.sphinxext`).
INDEX_MARKER = "<!-- systems-index -->"
#: The stamp holding the inputs key of the profiles last written and the boards they were written
#: for (:func:`stamp_text`), in the static folder.
STAMP = ".profiles.key"
#: The finder's index (:mod:`nhsreport.publish.pages.finder`): a script, so that it loads from disk too.
FINDER_FILE = "finder-index.js"
BRIEFINGS = "downloads/briefings"


def inputs_key() -> str:
    """Changes whenever anything a profile shows can change: any processed dataset (the data
    package descriptor holds every dataset's hash), the code of the profiles module and of every
    nhsreport module it imports, the briefing templates and the pages' templates."""
    from nhsreport.publish.book.chapter import module_closure

    h = hashlib.sha256(paths.DATAPACKAGE.read_bytes() if paths.DATAPACKAGE.exists() else b"")
    for f in module_closure("import nhsreport.publish.pages.profiles"):
        h.update(f.read_bytes())
    for f in sorted((paths.PACKAGE / "publish" / "briefing").glob("*.typ")):
        h.update(f.read_bytes())
    for f in sorted((paths.PACKAGE / "publish" / "pages" / "templates").glob("*.j2")):
        h.update(f.read_bytes())
    return h.hexdigest()


def stamp_text(key: str, codes) -> str:
    """What the stamp holds: the inputs ``key`` on its first line, then the codes of the boards
    the profiles were written for (as many as the data held), one line."""
    return f"{key}\n{' '.join(sorted(codes))}\n"


def is_current(static_dir: Path, key: str, root: Path | None = None) -> bool:
    """Whether the profiles written under ``root`` and ``static_dir`` were made from ``key`` and
    are all there: a page and a briefing for every board named in the stamp, no other page, and
    the finder's index."""
    page_dir = Path(root or paths.ROOT) / PAGE_DIR
    stamp = Path(static_dir) / STAMP
    if not (stamp.exists() and page_dir.is_dir()):
        return False
    stamped_key, _, codes = stamp.read_text(encoding="utf-8").partition("\n")
    codes = set(codes.split())
    return (
        stamped_key == key
        and bool(codes)
        and {p.stem for p in page_dir.glob("*.md")} == codes
        and (Path(static_dir) / FINDER_FILE).exists()
        and all((Path(static_dir) / BRIEFINGS / f"{c}.pdf").exists() for c in codes)
    )
