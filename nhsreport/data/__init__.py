"""What chapters and briefings call: :func:`load`, :func:`geo` and :func:`catalog`.

Driven by the data package, ``data/datapackage.json``, which the pipeline writes: each dataset's
path, hash and (for tables) Table Schema, whose field types give the columns their types. The read
side imports nothing of the builders (``nhsreport.build``).

A chapter declares the datasets it reads in its notebook metadata (``nhsreport.datasets``);
:func:`nhsreport.publish.book.chapter.start` passes that list to :func:`declare`, after which loading
anything else is an error. That declaration is also what keys the chapter's execution cache
(:mod:`nhsreport.publish.book.sphinxext`), so a chapter cannot read data its cache key does not cover.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from nhsreport import paths
from nhsreport.errors import DataError, UndeclaredDatasetError
from nhsreport.hashing import sha256_bytes
from nhsreport.schema import read_typed

_declared: set[str] | None = None
_declared_by: str | None = None


def declare(names, chapter: str | None = None) -> None:
    """Restrict :func:`load` and :func:`geo` to ``names`` (``None`` lifts the restriction)."""
    global _declared, _declared_by
    _declared = None if names is None else set(names)
    _declared_by = chapter


def check_declared(name: str) -> None:
    """Raise :class:`UndeclaredDatasetError` unless ``name`` may be read (see :func:`declare`)."""
    if _declared is not None and name not in _declared:
        notebook = f"book/{_declared_by}.ipynb" if _declared_by else "this session's declaration"
        raise UndeclaredDatasetError(
            notebook,
            'notebook metadata "nhsreport" -> "datasets"',
            f'{name!r} in that list before it is loaded. To declare it, add "{name}" to the list '
            '"datasets" under "nhsreport" in the notebook\'s metadata (JupyterLab: the gear icon of the '
            'right sidebar, "Notebook metadata"; or edit the .ipynb file\'s "metadata"), save, restart '
            "the kernel and run all cells; the book then re-executes the chapter when that dataset changes",
            f"only {sorted(_declared)}",
        )


@lru_cache(maxsize=1)
def _package_cached(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def package(data_dir: Path | None = None) -> dict:
    """The data package descriptor, ``data/datapackage.json`` (read once while the file is unchanged)."""
    p = Path(data_dir or paths.DATA) / "datapackage.json"
    if not p.exists():
        raise DataError(p, "file", "the data package descriptor (run `make data`)", "no such file")
    return _package_cached(str(p), p.stat().st_mtime)


def resource(name: str, data_dir: Path | None = None) -> dict:
    """The data package's resource (dataset) ``name``: path, hash, schema, sources, licence."""
    for r in package(data_dir)["resources"]:
        if r["name"] == name:
            return r
    known = [r["name"] for r in package(data_dir)["resources"]]
    raise DataError(
        Path(data_dir or paths.DATA) / "datapackage.json",
        "resources",
        f"a resource named {name!r}",
        f"resources {known}",
    )


def _resource_of(name: str, fmt: str, what: str, data_dir: Path | None) -> dict:
    """The data package's resource ``name``, which must be of format ``fmt`` (``KeyError``
    naming the resources of that format otherwise)."""
    resources = package(data_dir)["resources"]
    for r in resources:
        if r["name"] == name and r["format"] == fmt:
            return r
    known = [r["name"] for r in resources if r["format"] == fmt]
    raise KeyError(f"unknown {what} {name!r}; {what}: {', '.join(known)}")


def _verified_bytes(res: dict, data_dir: Path | None) -> tuple[Path, bytes]:
    p = Path(data_dir or paths.DATA) / res["path"]
    if not p.exists():
        raise DataError(p, "file", f"the processed dataset {res['name']!r} (run `make data`)", "no such file")
    blob = p.read_bytes()
    got = "sha256:" + sha256_bytes(blob)
    if got != res["hash"]:
        raise DataError(p, "sha256", f"{res['hash']} (as recorded in datapackage.json; run `make data`)", got)
    return p, blob


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The processed table ``name`` after checking its hash, with the column types its schema in
    ``data/datapackage.json`` declares."""
    check_declared(name)
    res = _resource_of(name, "csv", "tables", data_dir)
    p, _ = _verified_bytes(res, data_dir)
    return read_typed(p, res["schema"]["fields"])


def geo(name: str, data_dir: Path | None = None) -> dict:
    """The processed TopoJSON boundaries ``name`` (object ``areas``; properties ``code``, ``name``)."""
    check_declared(name)
    res = _resource_of(name, "topojson", "boundaries", data_dir)
    _, blob = _verified_bytes(res, data_dir)
    return json.loads(blob)


def catalog(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per processed dataset: name, title, kind, rows, as-of, sources, licence, path."""
    rows = []
    for r in package(data_dir)["resources"]:
        rows.append(
            {
                "name": r["name"],
                "title": r["title"],
                "kind": "table" if r["format"] == "csv" else "boundaries",
                "rows": r.get("x_rows", r.get("x_features")),
                "as_of": r.get("x_as_of", ""),
                "sources": "; ".join(s["title"] for s in r["sources"]),
                "source_urls": " ".join(s["path"] for s in r["sources"] if s["path"].startswith("http")),
                "licence": r["licenses"][0]["title"],
                "path": r["path"],
                "description": r["description"],
            }
        )
    return pd.DataFrame(rows)
