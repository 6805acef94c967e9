"""What moved (``make changes``): every glued figure whose value changed between two builds of the
book, and every claim of the ledger whose evidence moved.

A build leaves beside each executed chapter (``_build/jupyter_execute/book/<chapter>.glue.json``)
every value the chapter glued. :func:`snapshot` reads them: numbers and text as the book prints
them, charts as their description and a hash of their specification (which carries their data).
:func:`evidence_map` reads the chapters themselves: which glued values each section target
(``(label)=``) and each figure (``:name:``) shows. The claims ledger (``data/processed/claims.csv``)
names the sections and figures that are each claim's evidence, so a changed value leads to the
claims it bears on. :func:`report` writes it all as Markdown.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nhsreport.publish.book.chapter import prose_numbers

GLUE_FIGURE = re.compile(r"^\s*[`:]{3,}\{glue(?::figure)?\}\s+(?:([\w-]+)\.ipynb::)?([\w-]+)\s*$")
TARGET = re.compile(r"^\(([\w-]+)\)=\s*$")
HEADING = re.compile(r"^(#{1,6})\s")
NAME = re.compile(r"^:name:\s*([\w-]+)\s*$")


def _text(v) -> str:
    return "".join(v) if isinstance(v, list) else str(v)


def value_of(output: dict) -> str:
    """A glued output as the book prints it; a chart as its description and a hash of its
    specification, so that a chart whose data moved changes value."""
    data = {
        k.split("/", 1)[-1] if k.startswith("application/papermill.record/") else k: v
        for k, v in output.get("data", {}).items()
    }
    shown = data.get("text/markdown") or data.get("text/plain")
    rich = {k: v for k, v in data.items() if k not in ("text/plain", "text/markdown") and not k.startswith("image/")}
    if rich:
        blob = json.dumps({k: _text(v) for k, v in sorted(rich.items())}, sort_keys=True).encode("utf-8")
        return f"{' '.join(_text(shown or '').split())} [chart {hashlib.sha256(blob).hexdigest()[:12]}]".strip()
    if shown is None:
        blob = json.dumps(data, sort_keys=True).encode("utf-8")
        return f"[figure {hashlib.sha256(blob).hexdigest()[:12]}]"
    return " ".join(_text(shown).split())


def snapshot(executed: Path) -> dict[str, dict[str, str]]:
    """``{chapter: {key: value}}`` of every glue record under ``executed`` (``_build/jupyter_execute``)."""
    out = {}
    for f in sorted(Path(executed).rglob("*.glue.json")):
        records = json.loads(f.read_text(encoding="utf-8"))
        out[f.name.removesuffix(".glue.json")] = {k: value_of(v) for k, v in sorted(records.items())}
    return out


def evidence_map(book: Path) -> dict[str, set[tuple[str, str]]]:
    """``{label: {(chapter, key), ...}}``: the glued values shown in each labelled section (and its
    subsections) and in each named figure of the chapters and pages under ``book``."""
    shows: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(Path(book).glob("*.ipynb")) + sorted(Path(book).glob("*.md")):
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            lines = [ln for c in nb.cells if c.cell_type == "markdown" for ln in c.source.splitlines()]
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
        chapter = path.stem
        stack: list[tuple[str, int]] = []  # open sections: (label, heading level)
        pending: list[str] = []  # targets waiting for their heading
        figure: tuple[str, str] | None = None  # the glue figure whose options are being read
        for line in lines:
            if m := TARGET.match(line):
                pending.append(m[1])
                continue
            if m := HEADING.match(line):
                level = len(m[1])
                stack = [(lbl, lv) for lbl, lv in stack if lv < level] + [(lbl, level) for lbl in pending]
                pending = []
                continue
            refs = [((doc or chapter), key) for _, doc, key, _ in prose_numbers(line)]
            if m := GLUE_FIGURE.match(line):
                figure = ((m[1] or chapter), m[2])
                refs.append(figure)
            elif figure and (m := NAME.match(line.strip())):
                shows.setdefault(m[1], set()).add(figure)
                figure = None
            elif figure and line.strip().startswith(("```", ":::")):
                figure = None
            for label, _ in stack:
                shows.setdefault(label, set()).update(refs)
    return shows


@dataclass
class Change:
    chapter: str
    key: str
    old: str | None
    new: str | None


def compare(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Change]:
    """Every glued value added, removed or changed, by chapter and key. A chapter absent from one
    side (not built there) is not compared."""
    out = []
    for chapter in sorted(set(old) & set(new)):
        a, b = old[chapter], new[chapter]
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                out.append(Change(chapter, key, a.get(key), b.get(key)))
    return out


def claims_moved(changes: list[Change], shows: dict[str, set[tuple[str, str]]], claims) -> list[dict]:
    """The claims (rows of the ledger) with an evidence label that shows a changed value."""
    moved = {(c.chapter, c.key) for c in changes}
    out = []
    for row in claims:
        labels = [s.strip() for s in str(row.get("evidence") or "").split(",") if s.strip()]
        hits = {lbl: sorted(shows.get(lbl, set()) & moved) for lbl in labels}
        hits = {lbl: v for lbl, v in hits.items() if v}
        if hits:
            out.append(
                {
                    "claim_id": row["claim_id"],
                    "verdict": row.get("verdict", ""),
                    "claim": row.get("claim", ""),
                    "evidence": hits,
                }
            )
    return out


def _cell(s: str | None) -> str:
    if s is None:
        return "—"
    s = s if len(s) <= 160 else s[:157] + "…"
    return s.replace("|", "\\|")


def report(changes: list[Change], moved_claims: list[dict], *, baseline: str, compared: list[str]) -> str:
    lines = [
        "# What changed",
        "",
        f"Glued values of the book compared with {baseline}; chapters compared: {', '.join(compared) or 'none'}.",
        "",
    ]
    if not changes:
        lines += ["No glued figure changed.", ""]
    else:
        lines += [
            f"## Figures that changed ({len(changes)})",
            "",
            "| chapter | label | old | new |",
            "|---|---|---|---|",
        ]
        lines += [f"| {c.chapter} | `{c.key}` | {_cell(c.old)} | {_cell(c.new)} |" for c in changes]
        lines += [""]
    if moved_claims:
        lines += [
            f"## Claims whose evidence moved ({len(moved_claims)})",
            "",
            "The verdicts were not changed: read the evidence again and revise the ledger where it no longer holds.",
            "",
            "| claim | verdict | evidence that moved |",
            "|---|---|---|",
        ]
        for c in moved_claims:
            ev = "; ".join(f"`{lbl}`: " + ", ".join(f"{ch} `{k}`" for ch, k in v) for lbl, v in c["evidence"].items())
            lines.append(f"| {c['claim_id']}: {_cell(c['claim'])} | {c['verdict']} | {ev} |")
        lines += [""]
    elif changes:
        lines += ["No claim's evidence moved.", ""]
    return "\n".join(lines)
