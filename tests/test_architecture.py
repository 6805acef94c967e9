"""The package's layers, checked from the source: imports point down, never into another
module's private names, and official files are parsed only by the readers.

Layers, bottom to top: the core modules (errors, paths, log, schema, atomic, dates, formatting,
hashing, geometry), ``build`` (official files to processed datasets), ``data`` (the read side),
``analysis`` and ``publish``. A module may import its own layer and the layers below it, except
that nothing above ``build`` imports it: the read side is driven by ``data/datapackage.json``, and
only the pipeline and its scripts run the builders.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nhsreport"
LAYERS = {"core": 0, "build": 1, "data": 2, "analysis": 3, "publish": 4}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "core"


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path):
    """(line, imported module, imported names) of every nhsreport import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "nhsreport":
            assert node.level == 0, f"{path}:{node.lineno}: relative import (use absolute nhsreport imports)"
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "nhsreport":
                    yield node.lineno, a.name, []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module):
    mine = LAYERS[_layer(module)]
    for line, target, names in _imports(MODULES[module]):
        targets = [target] + [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
        for t in targets:
            assert LAYERS[_layer(t)] <= mine, f"{module} (line {line}) imports {t}, a layer above it"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if LAYERS[_layer(m)] > LAYERS["build"]))
def test_only_the_pipeline_imports_the_builders(module):
    """data, analysis and publish import nothing of ``nhsreport.build``."""
    for line, target, names in _imports(MODULES[module]):
        targets = [target] + [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
        for t in targets:
            if _layer(t) == "build":
                pytest.fail(f"{module} (line {line}) imports {t}: only the pipeline and its scripts import build")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_across_modules(module):
    path = MODULES[module]
    bound = {}
    for line, target, names in _imports(path):
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not private, f"{module} (line {line}) imports private names {private} from {target}"
        for n in names:
            if f"{target}.{n}" in MODULES:
                bound[n] = f"{target}.{n}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            assert not node.attr.startswith("_"), (
                f"{module} (line {node.lineno}) uses {bound[node.value.id]}.{node.attr}, a private name"
            )


# Modules allowed to read files with the raw readers' primitives: the readers themselves, and the
# curated builder (hand-maintained tables in data/curated, not official files).
RAW_READERS_ALLOWED = {"nhsreport.build.rawio", "nhsreport.build.datasets.curated"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("nhsreport.build")))
def test_official_files_are_parsed_only_by_readers(module):
    if module.startswith("nhsreport.build.readers") or module in RAW_READERS_ALLOWED:
        return
    for line, target, names in _imports(MODULES[module]):
        if target == "nhsreport.build.rawio":
            used = {"read_csv", "read_excel"} & set(names)
            assert not used, (
                f"{module} (line {line}) parses files itself ({sorted(used)}): use a reader in nhsreport.build.readers"
            )


def test_every_reader_module_is_documented():
    from nhsreport.build import readers

    for m in sorted(n for n in MODULES if n.startswith("nhsreport.build.readers.")):
        assert f"``{m.rsplit('.', 1)[1]}``" in readers.__doc__, f"{m} missing from the readers package docstring"


def test_make_help_lists_every_target():
    """``make help`` is made from the ``##`` comments on the targets: every target has one."""
    import re

    makefile = (PACKAGE.parent / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):(?!=)(.*)$", makefile, re.M)
    assert targets
    missing = [name for name, rest in targets if "## " not in rest]
    assert not missing, f"Makefile targets without a '## ' description (so missing from make help): {missing}"


#: The longest a function of the package may be, in lines (``def`` to its last line).
MAX_FUNCTION_LINES = 80


def _long_functions() -> list[tuple[str, int, str, int]]:
    """(path under nhsreport/, line, name, length) of every function of the package of
    :data:`MAX_FUNCTION_LINES` lines or more."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length >= MAX_FUNCTION_LINES:
                    found.append((path.relative_to(PACKAGE).as_posix(), node.lineno, node.name, length))
    return found


def test_no_function_of_80_lines_or_more():
    too_long = _long_functions()
    assert not too_long, f"functions of {MAX_FUNCTION_LINES} lines or more:\n" + "\n".join(
        f"  nhsreport/{path}:{line} {name} {length}" for path, line, name, length in too_long
    )


def test_test_modules_share_helpers_not_each_other():
    """Fixtures live in tests/conftest.py and helpers in tests/helpers.py (or a helper module that
    is not a test module): no test module imports from another test module."""
    tests = PACKAGE.parent / "tests"
    found = []
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module or ''}.{a.name}".strip(".") for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n.rsplit(".", 1)[-1].startswith("test_") for n in names):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, f"imports from test modules: {found}"
