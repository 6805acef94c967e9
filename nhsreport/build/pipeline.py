"""raw -> processed: run the builders, validate every result, then write them all atomically,
and generate ``data/datapackage.json`` from the declarations and the written files.

Nothing is written unless every requested dataset built and validated, so a failure leaves
``data/processed/`` byte-identical to before.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from nhsreport import atomic, paths
from nhsreport.build import sources
from nhsreport.errors import DataError
from nhsreport.hashing import sha256_bytes, sha256_file
from nhsreport.schema import Dataset, to_csv_bytes, validate

log = logging.getLogger("nhsreport.build.pipeline")

LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


class Context:
    """What a builder sees: the raw files (hash-checked), the curated tables, and the other
    datasets built in this run."""

    def __init__(self, raw_dir: Path, curated_dir: Path, registry: dict):
        self.raw_dir = Path(raw_dir)
        self.curated_dir = Path(curated_dir)
        self.registry = registry
        self._built: dict = {}
        self._checked: set[str] = set()
        self.read: list[str] = []

    def raw(self, source_id: str) -> Path:
        src = sources.get(source_id)
        p = self.raw_dir / src.path
        if not p.exists():
            raise DataError(p, "file", f"the raw file of source {source_id!r} (run `make data-raw`)", "no such file")
        if source_id not in self._checked:
            got = sha256_file(p)
            if got != src.sha256:
                raise DataError(p, "sha256", src.sha256, got)
            self._checked.add(source_id)
            self.read.append(src.path)
            log.info("read   %s (sha256 ok)", src.path)
        return p

    def curated(self, filename: str) -> Path:
        p = self.curated_dir / filename
        if not p.exists():
            raise DataError(p, "file", "the curated table to be present", "no such file")
        self.read.append(f"curated/{filename}")
        return p

    def dataset(self, name: str):
        if name not in self._built:
            self._built[name] = _build_one(self, self.registry[name])
        return self._built[name]


def _build_one(ctx: Context, ds):
    for dep in ds.depends:
        ctx.dataset(dep)
    t0 = time.perf_counter()
    result = ds.build(ctx)
    label = ds.path
    if isinstance(ds, Dataset):
        others = {k: v for k, v in ctx._built.items() if isinstance(ctx.registry.get(k), Dataset)}
        for other, _ in ds.foreign_keys.values():
            if other != ds.name and other not in others:
                others[other] = ctx.dataset(other)
        validate(result, ds, label, others)
        log.info(
            "built  %-34s %6d rows, checked %d fields, key %s (%.2fs)",
            ds.name,
            len(result),
            len(ds.fields),
            list(ds.primary_key),
            time.perf_counter() - t0,
        )
    else:
        from nhsreport.build.topology import validate_topology

        validate_topology(result, ds, label)
        log.info("built  %-34s %6d features (%.2fs)", ds.name, ds.n_features, time.perf_counter() - t0)
    return result


def serialise(ds, result) -> bytes:
    if isinstance(ds, Dataset):
        return to_csv_bytes(result, ds)
    return (json.dumps(result, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def run(
    names=None,
    *,
    raw_dir: Path | None = None,
    curated_dir: Path | None = None,
    data_dir: Path | None = None,
    registry: dict | None = None,
) -> dict[str, Path]:
    """Build ``names`` (default: every declared dataset). Returns the written paths."""
    if registry is None:
        from nhsreport.build.datasets import REGISTRY
    else:
        REGISTRY = registry

    raw_dir = Path(raw_dir or paths.RAW)
    curated_dir = Path(curated_dir or paths.CURATED)
    data_dir = Path(data_dir or paths.DATA)
    wanted = list(REGISTRY) if names is None else list(names)
    for n in wanted:
        if n not in REGISTRY:
            raise KeyError(f"unknown dataset {n!r}; known: {', '.join(REGISTRY)}")
    ctx = Context(raw_dir, curated_dir, REGISTRY)
    blobs: dict[str, bytes] = {}
    for n in wanted:
        ds = REGISTRY[n]
        blobs[n] = serialise(ds, ctx.dataset(n))
    # every dataset built and validated: now write, each atomically
    written = {}
    for n, blob in blobs.items():
        target = data_dir / REGISTRY[n].path
        if not target.exists() or target.read_bytes() != blob:
            atomic.write_bytes(target, blob)
            log.info("wrote  %s (%d bytes)", target.relative_to(data_dir), len(blob))
        else:
            log.info("same   %s", target.relative_to(data_dir))
        written[n] = target
    write_datapackage(data_dir, REGISTRY)
    return written


def descriptor(data_dir: Path | None = None, registry: dict | None = None) -> dict:
    """The Frictionless Data Package descriptor of every declared dataset present on disk."""
    if registry is None:
        from nhsreport.build.datasets import REGISTRY
    else:
        REGISTRY = registry

    data_dir = Path(data_dir or paths.DATA)
    resources = []
    for ds in REGISTRY.values():
        p = data_dir / ds.path
        if not p.exists():
            continue
        blob = p.read_bytes()
        res = {
            "name": ds.name,
            "path": ds.path,
            "title": ds.title,
            "description": ds.description,
            "profile": "tabular-data-resource" if ds.kind == "table" else "data-resource",
            "format": "csv" if ds.kind == "table" else "topojson",
            "mediatype": "text/csv" if ds.kind == "table" else "application/json",
            "encoding": "utf-8",
            "hash": f"sha256:{sha256_bytes(blob)}",
            "bytes": len(blob),
            "licenses": [LICENCE],
            "sources": _sources(ds),
            "x_as_of": ds.as_of,
        }
        if ds.caveats:
            res["x_caveats"] = ds.caveats
        if ds.method:
            res["x_method"] = ds.method
        if ds.kind == "table":
            res["x_rows"] = blob.count(b"\n") - 1
            schema = {"fields": [f.descriptor() for f in ds.fields], "primaryKey": list(ds.primary_key)}
            if ds.foreign_keys:
                schema["foreignKeys"] = [
                    {"fields": col, "reference": {"resource": other, "fields": ocol}}
                    for col, (other, ocol) in ds.foreign_keys.items()
                ]
            res["schema"] = schema
        else:
            res["x_features"] = ds.n_features
        resources.append(res)
    return {
        "profile": "data-package",
        "name": "nhs-integration-england",
        "title": "Joining up the NHS in England: processed datasets",
        "description": "Tidy, validated datasets built from official NHS England, NHS Digital and ONS "
        "statistics and from curated tables of published facts, for the report on NHS "
        "integration in England.",
        "version": _version(),
        "licenses": [LICENCE],
        "resources": resources,
    }


def _version() -> str:
    from nhsreport import __version__

    return __version__


def _sources(ds) -> list[dict]:
    out = []
    for sid in ds.sources:
        if sid.startswith("curated:"):
            out.append(
                {
                    "title": f"Curated table data/curated/{sid.split(':', 1)[1]} (each row names its source)",
                    "path": f"curated/{sid.split(':', 1)[1]}",
                }
            )
            continue
        s = sources.get(sid)
        entry = {"title": f"{s.publisher}: {s.title}", "path": s.url}
        if s.via:
            entry["x_via"] = s.via
        out.append(entry)
    return out


def write_datapackage(data_dir: Path | None = None, registry: dict | None = None) -> Path:
    data_dir = Path(data_dir or paths.DATA)
    text = json.dumps(descriptor(data_dir, registry), indent=2, ensure_ascii=False) + "\n"
    target = data_dir / "datapackage.json"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        atomic.write_text(target, text)
        log.info("wrote  datapackage.json")
    return target
