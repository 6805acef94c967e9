"""The pipeline's contract: validation with clear errors, atomic all-or-nothing writes,
deterministic output, a descriptor that matches the files, and load() that checks hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from nhsreport import data
from nhsreport.build import pipeline, rawio
from nhsreport.errors import DataError, UndeclaredDatasetError
from nhsreport.schema import REGIONS, Dataset, Field

from .conftest import MIRROR, ROOT


def _icbs_builder(ctx):
    df = rawio.read_csv(ctx.raw_dir / "icbs.csv", columns=["icb_code", "region_code", "population"])
    rawio.require_values(df, ["icb_code", "region_code", "population"], ctx.raw_dir / "icbs.csv")
    df["population"] = rawio.to_number(df["population"], ctx.raw_dir / "icbs.csv", "population", integer=True)
    return df


def _trusts_builder(ctx):
    return rawio.read_csv(ctx.raw_dir / "trusts.csv", columns=["org_code", "icb_code"])


ICBS = Dataset(
    name="icbs_fixture",
    title="ICBs",
    description="fixture",
    primary_key=("icb_code",),
    sources=(),
    as_of="2022",
    fields=(
        Field("icb_code", "string", "ICB", pattern=r"Q[A-Z0-9]{2}"),
        Field("region_code", "string", "region", enum=tuple(REGIONS)),
        Field("population", "integer", "people", minimum=0),
    ),
    build=_icbs_builder,
    rows=(1, 50),
)
TRUSTS = Dataset(
    name="trusts_fixture",
    title="Trusts",
    description="fixture",
    primary_key=("org_code",),
    sources=(),
    as_of="2022",
    fields=(Field("org_code", "string", "trust"), Field("icb_code", "string", "ICB")),
    build=_trusts_builder,
    foreign_keys={"icb_code": ("icbs_fixture", "icb_code")},
    depends=("icbs_fixture",),
)
REGISTRY = {"icbs_fixture": ICBS, "trusts_fixture": TRUSTS}

GOOD_ICBS = "icb_code,region_code,population\nQOP,Y62,2881890\nQYG,Y62,2503902\n"
GOOD_TRUSTS = "org_code,icb_code\nR0A,QOP\nRBL,QYG\n"


def _tree(tmp_path: Path, icbs=GOOD_ICBS, trusts=GOOD_TRUSTS) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / "icbs.csv").write_text(icbs, encoding="utf-8")
    (raw / "trusts.csv").write_text(trusts, encoding="utf-8")
    return raw, tmp_path / "data"


def _snapshot(d: Path) -> dict:
    return (
        {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()} if d.exists() else {}
    )


def _run(raw, out):
    return pipeline.run(raw_dir=raw, data_dir=out, curated_dir=raw, registry=REGISTRY)


def test_good_input_builds_validates_and_describes(tmp_path):
    raw, out = _tree(tmp_path)
    written = _run(raw, out)
    assert set(written) == {"icbs_fixture", "trusts_fixture"}
    pkg = json.loads((out / "datapackage.json").read_text())
    res = {r["name"]: r for r in pkg["resources"]}
    blob = (out / "processed/icbs_fixture.csv").read_bytes()
    assert res["icbs_fixture"]["hash"] == "sha256:" + hashlib.sha256(blob).hexdigest()
    assert res["icbs_fixture"]["x_rows"] == 2
    assert res["trusts_fixture"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "icbs_fixture"
    # sorted by primary key, canonical form
    assert blob.decode().splitlines()[1].startswith("QOP,")


def test_two_runs_are_byte_identical(tmp_path):
    raw, out = _tree(tmp_path)
    _run(raw, out)
    first = _snapshot(out)
    _run(raw, out)
    assert _snapshot(out) == first


BAD_INPUTS = {
    "missing column": (GOOD_ICBS.replace("population", "pop"), GOOD_TRUSTS, ["icbs.csv", "'population'"]),
    "wrong type": (
        GOOD_ICBS.replace("2881890", "lots"),
        GOOD_TRUSTS,
        ["icbs.csv", "line 2", "'population'", "a number"],
    ),
    "empty file": ("", GOOD_TRUSTS, ["icbs.csv", "empty file"]),
    "duplicate keys": (
        GOOD_ICBS + "QOP,Y62,1\n",
        GOOD_TRUSTS,
        ["icbs_fixture.csv", "rows 1 and 3", "unique primary key"],
    ),
    "unknown region code": (
        GOOD_ICBS.replace("Y62,2503902", "Y99,2503902"),
        GOOD_TRUSTS,
        ["icbs_fixture", "'region_code'", "Y99"],
    ),
    "malformed ICB code": (GOOD_ICBS.replace("QYG", "XX1"), GOOD_TRUSTS, ["icbs_fixture", "'icb_code'", "XX1"]),
    "unknown ICB code in another dataset": (
        GOOD_ICBS,
        GOOD_TRUSTS + "RXX,QZZ\n",
        ["trusts_fixture", "'icb_code'", "QZZ", "icbs_fixture.icb_code"],
    ),
    "truncated CSV": (GOOD_ICBS + "QKK,Y5", GOOD_TRUSTS, ["icbs.csv", "line 4", "'population'"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_file_and_place_and_writes_nothing(tmp_path, case):
    raw, out = _tree(tmp_path)
    _run(raw, out)  # a good build first
    before = _snapshot(out)
    icbs, trusts, expected = BAD_INPUTS[case]
    _tree(tmp_path, icbs, trusts)
    with pytest.raises(DataError) as e:
        _run(raw, out)
    for part in expected:
        assert part in str(e.value), f"{case}: {part!r} not in {e.value}"
    assert "expected" in str(e.value)
    assert _snapshot(out) == before, "a failed run changed data/"


def test_excel_sheet_renamed(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        pd.DataFrame({"Title": ["Allocations 2025/26", None, "ICB code"], "b": [None, None, "RCA"]}).to_excel(
            w, sheet_name="RCA renamed", index=False, header=False
        )
    with pytest.raises(DataError) as e:
        rawio.read_excel(path, "ICB running cost allowance", header_contains=["ICB code"])
    msg = str(e.value)
    assert "book.xlsx" in msg and "'ICB running cost allowance'" in msg and "RCA renamed" in msg


def test_excel_header_found_below_title_rows(tmp_path):
    path = tmp_path / "book.xlsx"
    rows = [["Allocation of resources", None], [None, None], ["ICB code", "RCA £000"], ["QOP", 100], ["QYG", 50]]
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        pd.DataFrame(rows).to_excel(w, sheet_name="RCA", index=False, header=False)
    df = rawio.read_excel(path, "RCA", header_contains=["ICB code"])
    assert list(df.columns) == ["ICB code", "RCA £000"] and len(df) == 2 and df.attrs["header_row"] == 3


def test_load_checks_hash_and_declaration(tmp_path):
    raw, out = _tree(tmp_path)
    _run(raw, out)
    # the read side needs only the data package the pipeline wrote (its schema types the columns)
    df = data.load("icbs_fixture", data_dir=out)
    assert str(df["population"].dtype) == "Int64" and df["population"].sum() == 2881890 + 2503902
    data.declare(["trusts_fixture"], chapter="test")
    try:
        with pytest.raises(UndeclaredDatasetError, match="icbs_fixture") as err:
            data.load("icbs_fixture", data_dir=out)
        # the message names the notebook, where the declaration goes, and how to add it
        message = str(err.value)
        assert message.startswith("book/test.ipynb: ")
        assert '"nhsreport"' in message and '"datasets"' in message and "Notebook metadata" in message
        assert "['trusts_fixture']" in message
    finally:
        data.declare(None)
    p = out / "processed/icbs_fixture.csv"
    p.write_bytes(p.read_bytes().replace(b"2881890", b"2881891"))
    with pytest.raises(DataError, match="sha256"):
        data.load("icbs_fixture", data_dir=out)


def test_committed_descriptor_matches_committed_files():
    pkg = json.loads((ROOT / "data/datapackage.json").read_text())
    from nhsreport.build.datasets import REGISTRY as real

    assert {r["name"] for r in pkg["resources"]} == set(real), "datapackage.json and the declarations disagree"
    for r in pkg["resources"]:
        blob = (ROOT / "data" / r["path"]).read_bytes()
        assert r["hash"] == "sha256:" + hashlib.sha256(blob).hexdigest(), r["path"]
        assert r["sources"] and r["licenses"] and r["title"] and r["description"]
        if r["format"] == "csv":
            assert r["x_rows"] == blob.count(b"\n") - 1
            assert all(f.get("description") for f in r["schema"]["fields"])
            # what data.load types the columns by: every declared field, in order, with its type
            declared = [(f.name, f.type) for f in real[r["name"]].fields]
            assert [(f["name"], f["type"]) for f in r["schema"]["fields"]] == declared, r["name"]


def test_every_dataset_loads_with_its_declared_columns():
    """Every dataset loads (how fast is ``make bench``'s business: ``load()`` there)."""
    from nhsreport.build.datasets import REGISTRY as real

    for name, ds in real.items():
        if ds.kind == "table":
            df = data.load(name)
            assert list(df.columns) == ds.columns and len(df) > 0
        else:
            topo = data.geo(name)
            assert len(topo["objects"]["areas"]["geometries"]) == ds.n_features


@pytest.mark.mirror
@pytest.mark.skipif(
    not MIRROR.is_dir(), reason="the offline mirror ../shared/raw is absent: cannot rebuild from official files"
)
def test_rebuild_from_official_files_equals_committed(tmp_path):
    """Every processed dataset, rebuilt from the mirror of official files, equals the committed one byte for byte."""
    out = tmp_path / "data"
    pipeline.run(raw_dir=MIRROR, data_dir=out)
    committed = ROOT / "data"
    for p in sorted((out / "processed").rglob("*")):
        if p.is_file():
            rel = p.relative_to(out)
            assert p.read_bytes() == (committed / rel).read_bytes(), f"{rel} differs from the committed file"
    assert (out / "datapackage.json").read_text() == (committed / "datapackage.json").read_text()
