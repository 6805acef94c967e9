"""What a build remembers so that a build with nothing to do does little: keys computed from the
inputs (the nhsreport code, the data package, templates), kept in the build folder
(``nhsreport-keys.json``) with the size and modification time of every input, and computed again
only when one of those changes; and the stamps beside generated files that name the inputs they
were made from.
"""

from __future__ import annotations

from pathlib import Path

from nhsreport import atomic, paths


def inputs_fingerprint(files) -> str:
    """Size and modification time of each of ``files``: what a no-op build checks instead of
    hashing the files again (as make and git do)."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(files):
        try:
            st = f.stat()
        except FileNotFoundError:
            h.update(f"{f} missing\n".encode())
            continue
        h.update(f"{f} {st.st_mtime_ns} {st.st_size}\n".encode())
    return h.hexdigest()


def key_inputs(*extra) -> list[Path]:
    """Every file an inputs key can read: the nhsreport package's files (its code and the
    templates, styles and scripts it ships), the data package descriptor, and ``extra``."""
    package = [f for f in sorted(paths.PACKAGE.rglob("*")) if f.is_file() and "__pycache__" not in f.parts]
    return [*package, paths.DATAPACKAGE, *extra]


def remembered(app, name: str, files, compute):
    """``compute()``, or the value it gave in an earlier build when none of ``files`` has changed
    since (kept in the build folder, beside Sphinx's own environment)."""
    import json

    store = Path(app.doctreedir).parent / "nhsreport-keys.json"
    try:
        memo = json.loads(store.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        memo = {}
    fingerprint = inputs_fingerprint(files)
    entry = memo.get(name)
    if entry and entry.get("fingerprint") == fingerprint:
        return entry["value"]
    value = compute()
    memo[name] = {"fingerprint": fingerprint, "value": value}
    store.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(store, json.dumps(memo, indent=1, sort_keys=True))
    return value


def stale(stamp: Path, key: str) -> bool:
    """Whether the output recorded in ``stamp`` was made from other inputs than ``key``."""
    return not stamp.exists() or stamp.read_text(encoding="utf-8") != key


def notebook_keys(app) -> dict[str, str]:
    """Inputs key (datasets + nhsreport code) of every notebook in the project, by docname."""
    notebooks = {
        d: Path(app.env.doc2path(d))
        for d in sorted(app.env.found_docs)
        if Path(app.env.doc2path(d)).suffix == ".ipynb" and Path(app.env.doc2path(d)).exists()
    }

    def compute():
        import nbformat

        from nhsreport.publish.book.chapter import inputs_key

        return {d: inputs_key(nbformat.read(path, as_version=4)) for d, path in notebooks.items()}

    keys = remembered(app, "notebooks", key_inputs(*notebooks.values()), compute)
    return keys if set(keys) == set(notebooks) else compute()
