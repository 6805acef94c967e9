"""Chapters: the hidden first cell, and what keys each chapter's execution cache.

Every chapter notebook declares what it reads in its metadata::

    "nhsreport": {"datasets": ["workforce_national", "icbs", "geo_icb_2022"]}

and its hidden first cell is ``from nhsreport import chapter; chapter.start("<notebook stem>")``.

:func:`inputs_key` is the chapter's cache key beyond its own code: the hashes of the declared
datasets (from ``data/datapackage.json``) and the code of every ``nhsreport`` module the chapter
imports, followed through the modules' own imports. :func:`read_notebook` is the reader the book
build uses: it writes that key into the first code cell's metadata, which jupyter-cache hashes,
so a changed dataset re-executes exactly the chapters that declare it, and a change to a module
re-executes exactly the chapters that run it.
"""

from __future__ import annotations

import ast
import functools
import gc
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from nhsreport import paths

if TYPE_CHECKING:
    import nbformat

PACKAGE = paths.PACKAGE  # the nhsreport package


def declared_datasets(nb) -> list[str]:
    meta = nb.get("metadata", {}).get("nhsreport", {})
    names = meta.get("datasets")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError("notebook metadata 'nhsreport.datasets' must list the datasets the chapter reads")
    return names


def start(name: str) -> None:
    """Run at the top of every chapter: declare its datasets, set up charts and display."""
    import pandas as pd

    from nhsreport import data
    from nhsreport.publish.components import charts

    nb_path = paths.BOOK / f"{name}.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    data.declare(declared_datasets(nb), chapter=name)
    charts.setup()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    # what is loaded so far (the libraries, some 200,000 objects) stays: the garbage collector's full
    # passes, which big boundary files and chart specifications set off, then no longer walk it
    # (they took 0.5-1 s of each chapter's CPU time)
    gc.freeze()


# ---------------------------------------------------------------------------------------------
# numbers for the prose
# ---------------------------------------------------------------------------------------------


class _Shown(str):
    """Text that a kernel shows as itself (no quotes), so that ``{eval}`name``` in JupyterLab
    prints the words and not their Python repr."""

    def __repr__(self) -> str:
        return str(self)


def plain(value):
    """``value`` as a plain Python ``int``, ``float`` or ``str`` (NumPy and pandas scalars
    included): what the prose prints, and what the book's glue records hold."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "item"):  # NumPy and pandas scalars
        value = value.item()
    if isinstance(value, int):
        return int(value)
    return float(value)


def glue(name: str, value) -> None:
    """Give the prose the number or text ``value`` under ``name``.

    The chapter's Markdown writes it as ``{eval}`name``` (or ``{eval}`f"{name:.1f}"``` with a
    format). In the book the ``eval`` role reads the glued value from the executed notebook (see
    :mod:`nhsreport.publish.book.sphinxext`), so the execution cache still decides what re-runs; in
    JupyterLab (with jupyterlab-myst) the kernel evaluates the same expression, so the text shows
    the numbers after "Run all".
    """
    from myst_nb import glue as nb_glue

    if not name.isidentifier():
        raise ValueError(f"glued name {name!r}: use a Python identifier, so that {{eval}} can name it")
    value = plain(value)
    nb_glue(name, value, display=False)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every kernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.user_ns[name] = _Shown(value) if isinstance(value, str) else value


#: A number in a page's prose: ``{glue:text}`[doc.ipynb::]key[:format]``` (Markdown pages that
#: quote a chapter), ``{eval}`key``` or ``{eval}`f"{key:format}"``` (chapters).
PROSE_NUMBER = re.compile(
    r"\{glue(?::text)?\}`(?:(?P<doc>[\w.-]+)\.ipynb::)?(?P<key>\w+)(?::(?P<spec>[^`]*))?`"
    r"|\{eval\}`\s*(?:(?P<ekey>[A-Za-z_]\w*)"
    r"|f(?P<q>[\"'])\{(?P<fkey>[A-Za-z_]\w*)(?::(?P<fspec>[^{}`]+))?\}(?P=q))\s*`"
)


def prose_numbers(text: str):
    """Every number that ``text`` (a chapter's Markdown) prints, as ``(match, doc, key, format)``:
    ``doc`` is the chapter it is glued in (``None`` for the page's own), ``format`` is ``""``
    when the value is printed as it is."""
    for m in PROSE_NUMBER.finditer(text):
        if m["key"]:
            yield m, m["doc"], m["key"], m["spec"] or ""
        else:
            yield m, None, m["ekey"] or m["fkey"], m["fspec"] or ""


def glue_all(values) -> None:
    """:func:`glue` every ``name: value`` of the mapping ``values``, in its order."""
    for name, value in values.items():
        glue(name, value)


# ---------------------------------------------------------------------------------------------
# cache key
# ---------------------------------------------------------------------------------------------


def _module_file(modname: str) -> Path | None:
    parts = modname.split(".")
    if parts[0] != "nhsreport":
        return None
    base = PACKAGE.joinpath(*parts[1:]) if len(parts) > 1 else PACKAGE
    if base.is_dir() and (base / "__init__.py").exists():
        return base / "__init__.py"
    f = base.with_suffix(".py")
    return f if f.exists() else None


def _imports(source: str, current: str | None = None, is_pkg: bool = False) -> set[str]:
    """Names of nhsreport modules imported by ``source`` (module ``current``, for relative imports)."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "nhsreport":
                    found.add(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if current is None:
                    continue
                pkg = current.split(".") if is_pkg else current.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                mod = ".".join(pkg + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "nhsreport":
                continue
            found.add(mod)
            for a in node.names:
                found.add(f"{mod}.{a.name}")  # may be a submodule; non-modules are dropped later
    # importing a submodule runs its parent packages' __init__
    for m in list(found):
        parts = m.split(".")
        for i in range(1, len(parts)):
            found.add(".".join(parts[:i]))
    return found


@functools.cache
def _module_imports(modname: str, file: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """The nhsreport modules that module ``modname`` imports, parsed once per version of its file
    (a build computes the key of every chapter, and they share most modules)."""
    return frozenset(_imports(file.read_text(encoding="utf-8"), modname, file.name == "__init__.py"))


def module_closure(code: str) -> list[Path]:
    """Files of the nhsreport modules that ``code`` imports, directly or through other modules."""
    todo = [m for m in _imports(code) if _module_file(m)]
    seen: dict[str, Path] = {}
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        f = _module_file(m)
        if f is None:
            continue
        seen[m] = f
        st = f.stat()
        for dep in _module_imports(m, f, st.st_mtime_ns, st.st_size):
            if dep not in seen and _module_file(dep):
                todo.append(dep)
    return sorted(set(seen.values()))


def inputs_key(nb, data_dir: Path | None = None) -> str:
    """Hash of the chapter's declared datasets (content and declared schema) and the nhsreport
    code it runs."""
    h = hashlib.sha256()
    try:
        datasets = declared_datasets(nb)
    except ValueError:
        datasets = []
    pkg_file = Path(data_dir or paths.DATA) / "datapackage.json"
    resources = {}
    if pkg_file.exists():
        resources = {r["name"]: r for r in json.loads(pkg_file.read_text(encoding="utf-8"))["resources"]}
    for name in sorted(datasets):
        r = resources.get(name, {})
        schema = hashlib.sha256(json.dumps(r.get("schema"), sort_keys=True).encode()).hexdigest()
        h.update(f"dataset {name} {r.get('hash', 'missing')} schema {schema}\n".encode())
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for f in module_closure(code):
        rel = f.relative_to(PACKAGE.parent).as_posix()
        h.update(f"module {rel} {hashlib.sha256(f.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()


def read_notebook(text: str) -> nbformat.NotebookNode:
    """myst-nb reader for chapters: the notebook, with its inputs key in the first code cell."""
    import nbformat  # here, not at the top: the chapters' kernels import this module and never read notebooks

    nb = nbformat.reads(text, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata["nhsreport_inputs"] = inputs_key(nb)
            break
    return nb
