"""Generated appendices: the claims ledger (Appendix A) and methods and data (Appendix B).

The appendix notebooks display MyST markdown built here (cells with the metadata
``"mystnb": {"markdown_format": "myst"}``, so that roles such as ``{numref}`` and ``{ref}``
resolve) and tables built with :class:`nhsreport.publish.components.tables.Table`.

* Claims ledger: :func:`verdict_counts`, :func:`evidence_roles`, :func:`claim_markdown`,
  :func:`ledger_markdown`.
* Methods and data: :func:`ordered_resources`, :func:`dataset_markdown`, :func:`catalog_bundle`,
  :func:`sources_table`, :func:`functions_markdown`.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pandas as pd

from nhsreport.analysis import consolidation
from nhsreport.formatting import date_at_precision, month_year, uk_date, year_spans
from nhsreport.publish.components.tables import Table, list_table
from nhsreport.publish.components.words import count_phrase

#: Verdicts a claim can have, in the order the ledger reports them ("pending" only while a claim
#: is being judged: the claims dataset itself allows the first four).
VERDICTS = ["supported", "partly supported", "not supported", "not testable with these data", "pending"]

#: The verdicts evidence reached: a finding of the report may rest on a claim only with one of these.
DECIDED_BY_EVIDENCE = ("supported", "partly supported", "not supported")

#: The rubric every verdict of the claims ledger follows: (verdict, what it requires).
RUBRIC_VERDICTS = [
    (
        "supported",
        "the claim's own measure, for the place and time the claim is about, agrees with the claim, and no material "
        "part of the claim is contradicted.",
    ),
    (
        "partly supported",
        "the claim's measure agrees with one part of the claim and contradicts another; or it agrees on one of two "
        "measures the claim's words allow and not on the other; or the evidence covers only part of the claim, and "
        "that part agrees.",
    ),
    ("not supported", "the claim's measure contradicts the claim, or its main part."),
    (
        "not testable with these data",
        "the claim is normative (what should be), a judgement with no agreed measure, or a forecast not yet "
        "observable; or it is factual but nothing in the report's data or sources measures what it is about.",
    ),
]

#: The rules that apply to every verdict.
RUBRIC_RULES = [
    "A claim is judged on the measure the claim itself uses: headcount or FTE, volume or density, the organisations, "
    "place and time it names. Where its words allow two measures, both are shown and the verdict says which it rests "
    "on; every verdict names its measure.",
    "Evidence must address the claim, not a neighbour of it: an outcome is not evidence about a pace, a national "
    "selection is not evidence about local progress, and the time a reorganisation took is not evidence about how long "
    "local developments take.",
    "Finding no source is not evidence of absence: an example the report could not trace neither confirms nor "
    "refutes a claim. Counts from a hand-picked list are not a census, and are not compared with one.",
    "A forecast whose date has passed is judged as a factual claim about what happened; one not yet observable is not "
    "testable.",
    "Advice (what will need to be done) and hedged possibilities (what could or might happen) that no measure here can "
    "contradict are not testable; what they take for granted is shown as context, not counted as part-support.",
    "No trend may cross a break in a series unless it is shown both ways, across the break and like for like; if the "
    "two disagree the verdict says so.",
    "Associations are not called effects; estimates are called estimates.",
    "Restatements keep the author's qualifiers, and quotations are word for word.",
]

#: Where the HTML book publishes each processed dataset (relative to a page in ``book/``).
DOWNLOAD_PREFIX = "../_static/downloads/"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$])")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


def md_escape(text) -> str:
    """``text`` with the characters that MyST would read as markup escaped."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def md_escape_prose(text) -> str:
    """Like :func:`md_escape`, but code spans written with backticks are kept as code, and spans of
    years are in the report's style (:func:`nhsreport.formatting.year_spans`)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    parts = _CODE_SPAN.split(year_spans(str(text)))
    return "".join(p if i % 2 else md_escape(p) for i, p in enumerate(parts)).replace("\n", " ")


def _blank(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v)) or str(v).strip() == ""


# ---------------------------------------------------------------------------------------------
# claims ledger
# ---------------------------------------------------------------------------------------------


def rubric_markdown() -> str:
    """The rubric of the claims ledger as MyST markdown: a definition list of verdicts and a list of
    the rules that apply to all of them (from :data:`RUBRIC_VERDICTS` and :data:`RUBRIC_RULES`)."""
    lines = ["A verdict requires:", ""]
    for verdict, needs in RUBRIC_VERDICTS:
        lines += [verdict, f": {needs}", ""]
    lines += ["Every verdict follows these rules:", ""]
    lines += [f"{i}. {rule}" for i, rule in enumerate(RUBRIC_RULES, 1)]
    return "\n".join(lines) + "\n"


def normalise_verdict(v) -> str:
    """A verdict in :data:`VERDICTS` (blank counts as ``pending``); unknown verdicts raise."""
    if _blank(v):
        return "pending"
    s = str(v).strip().lower()
    if s not in VERDICTS:
        raise ValueError(f"unknown verdict {v!r}; expected one of {VERDICTS}")
    return s


def verdict_counts(claims: pd.DataFrame) -> dict[str, int]:
    """Number of claims per verdict, every verdict of :data:`VERDICTS` present (zeros included)."""
    counts = claims["verdict"].map(normalise_verdict).value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def claims_numbers(claims: pd.DataFrame, as_of: str) -> dict:
    """The numbers the claims appendix prints: how many claims, from how many articles and years,
    how many of each verdict, how many evidence decided, how many are pending, and the ledger's
    date (``as_of``, "YYYY-MM" or a full date) as a month in words."""
    counts = verdict_counts(claims)
    years = pd.to_datetime(claims["date"]).dt.year
    pending = counts["pending"]
    by_evidence = sum(counts[v] for v in DECIDED_BY_EVIDENCE)
    out = {
        "claims_n": len(claims),
        "claims_n_seeds": claims["seed"].nunique(),
        "claims_first_year": str(int(years.min())),
        "claims_last_year": str(int(years.max())),
        **{"claims_" + verdict.replace(" ", "_"): int(n) for verdict, n in counts.items()},
        "claims_decided": len(claims) - pending,
        "claims_decided_by_evidence": by_evidence,
        "claims_decided_by_evidence_text": count_phrase(by_evidence, "claim"),
        "claims_pending_text": count_phrase(pending, "claim") + (" is" if pending == 1 else " are"),
        # "no claim is judged not supported", never "0 not supported"
        "claims_not_supported_text": (
            "no claim is judged not supported"
            if counts["not supported"] == 0
            else count_phrase(counts["not supported"], "claim")
            + (" is" if counts["not supported"] == 1 else " are")
            + " judged not supported"
        ),
        "claims_asof": month_year(as_of) if not _blank(as_of) else "",
    }
    # the front page's closing words on the tally: the pending claims named only when there are any
    out["claims_closing_text"] = out["claims_not_supported_text"] + (
        f", and {out['claims_pending_text']} still to be decided" if pending else ""
    )
    return out


def consolidation_numbers(lineage: pd.DataFrame, changes: pd.DataFrame, trusts: pd.DataFrame) -> dict:
    """The numbers the ledger prints for claim C35 (commissioning consolidation and later trust
    mergers, by system), from :func:`nhsreport.analysis.consolidation.consolidation_association`."""
    found = consolidation.consolidation_association(lineage, changes, trusts)
    return {
        "claims_cons_since": uk_date(found["since"]),
        "claims_cons_one_text": count_phrase(found["n_systems_one"], "system"),
        "claims_cons_one_with": found["n_with_trust_change_one"],
        "claims_cons_several_text": count_phrase(found["n_systems_several"], "system"),
        "claims_cons_several_with": found["n_with_trust_change_several"],
        "claims_cons_changes_text": count_phrase(
            found["n_trust_changes"], "trust merger or acquisition", "trust mergers and acquisitions"
        ),
        "claims_cons_unplaced": found["n_unplaced"],
        "claims_cons_reading": consolidation_reading(found["share_one"], found["share_several"]),
    }


def consolidation_reading(share_one: float, share_several: float, margin: float = 0.15) -> str:
    """How the two shares of :func:`consolidation_numbers` compare, in words: "much the same: there
    is no clear association" when they differ by less than ``margin``, else which is higher."""
    if abs(share_one - share_several) < margin:
        return "much the same: there is no clear association"
    where = "higher" if share_one > share_several else "lower"
    return f"{where} where commissioning was in one CCG, an association over few systems"


def ordered_catalog(catalog: pd.DataFrame) -> pd.DataFrame:
    """The catalogue of datasets with the tables first, then the boundaries (order kept within each)."""
    return catalog.sort_values("kind", key=lambda k: k != "table", kind="mergesort")


def methods_numbers(catalog: pd.DataFrame, package: dict, n_sources: int) -> dict:
    """The numbers the methods appendix prints: datasets, tables, boundaries, official files, and the
    data package's version."""
    tables = int((catalog["kind"] == "table").sum())
    return {
        "methods_n_datasets": len(catalog),
        "methods_n_tables": tables,
        "methods_n_boundaries": len(catalog) - tables,
        "methods_n_sources": n_sources,
        "methods_version": str(package.get("version", "")),
    }


def evidence_labels(evidence) -> list[str]:
    """The MyST labels in an ``evidence`` cell (comma- or semicolon-separated; blank: none)."""
    if _blank(evidence):
        return []
    labels = [s.strip() for s in re.split(r"[,;]", str(evidence)) if s.strip()]
    bad = [s for s in labels if not _LABEL.match(s)]
    if bad:
        raise ValueError(f"evidence labels must be MyST labels, not {bad}")
    return labels


def evidence_roles(evidence) -> str:
    """MyST roles linking each evidence label: ``{numref}`` for figures and tables (labels
    starting ``fig-``, ``tbl-`` or ``tab-``), ``{ref}`` for sections; an empty string if there are none."""
    parts = []
    for lab in evidence_labels(evidence):
        role = "numref" if lab.startswith(("fig-", "tbl-", "tab-")) else "ref"
        parts.append(f"{{{role}}}`{lab}`")
    return ", ".join(parts)


def claim_date_text(row) -> str:
    """When a claim was made, at the precision known ("May 2019", "24 May 2018"), with the later
    update date its page shows, if any: "May 2019 (page updated 30 March 2021)"."""
    if _blank(row.get("date")):
        return ""
    precision = row.get("date_precision")
    text = date_at_precision(row["date"], "day" if _blank(precision) else str(precision))
    if not _blank(row.get("updated")):
        text += f" (page updated {uk_date(row['updated'])})"
    return text


def sources_roles(keys) -> str:
    """A ``{cite:p}`` role for the bibliography keys in an ``evidence_sources`` cell (separated by
    semicolons or commas); an empty string if there are none."""
    if _blank(keys):
        return ""
    found = [k.strip() for k in re.split(r"[;,]", str(keys)) if k.strip()]
    bad = [k for k in found if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_:-]*", k)]
    if bad:
        raise ValueError(f"evidence sources must be bibliography keys, not {bad}")
    return f"{{cite:p}}`{','.join(found)}`"


def claim_markdown(row) -> str:
    """One claim as a block of MyST markdown: a labelled heading (``claim-<id>``), the quotation
    with author, publisher, date and link, the paraphrase, the evidence, verdict and reasoning with
    the documents it rests on, and the kind of claim and the measure the verdict rests on."""
    cid = str(row["claim_id"])
    verdict = normalise_verdict(row.get("verdict"))
    source = (
        f"[{md_escape(row['publisher'])}]({row['source_url']})"
        if not _blank(row.get("source_url"))
        else md_escape(row["publisher"])
    )
    cite = f" {{cite:p}}`{row['source_key']}`" if not _blank(row.get("source_key")) else ""
    evidence = evidence_roles(row.get("evidence")) or "not yet assigned"
    reasoning = (
        md_escape(year_spans(row.get("reasoning")))
        if not _blank(row.get("reasoning"))
        else ("To be decided." if verdict == "pending" else "")
    )
    documents = sources_roles(row.get("evidence_sources"))
    if documents:
        reasoning = f"{reasoning} Documents: {documents}."
    lines = [
        f"(claim-{cid})=",
        f"### {cid}: {md_escape(year_spans(row['claim']))}",
        "",
        f"> “{md_escape(row['quote'])}”",
        "",
        f"{md_escape(row['author'])}, {source}, {claim_date_text(row)}{cite}. Theme: {md_escape(row['theme'])}.",
        "",
        f"**Evidence:** {evidence}. **Verdict:** *{verdict}*." + (f" {reasoning}" if reasoning else ""),
        "",
        f"**Kind of claim:** {md_escape(row.get('claim_type') or 'factual')}."
        + (f" {measure_markdown(row.get('measure'))}" if not _blank(row.get("measure")) else ""),
        "",
    ]
    return "\n".join(lines)


def measure_markdown(measure) -> str:
    """The measure line of a claim: "**Measure:** managers per 100 staff." or, where the ledger says
    there is none ("None: culture is not measured here"), "**No measure:** culture is not measured
    here." rather than a measure called "None"."""
    text = str(measure).strip().rstrip(".")
    if text.startswith("None"):
        rest = text.removeprefix("None").lstrip(":").strip()
        label = "**No measure**" if rest.startswith("for ") else "**No measure:**"
        return f"{label} {md_escape(rest)}."
    return f"**Measure:** {md_escape(text)}."


def ledger_markdown(claims: pd.DataFrame) -> str:
    """Every claim of ``claims`` as :func:`claim_markdown` blocks, in claim order."""
    rows = claims.sort_values("claim_id", kind="mergesort")
    return "\n".join(claim_markdown(r) for _, r in rows.iterrows())


def verdict_table(claims: pd.DataFrame) -> Table:
    """A sortable table: claim, seed's author, theme and verdict."""
    df = pd.DataFrame(
        {
            "Claim": claims["claim_id"].astype(str),
            "In short": claims["claim"].astype(str),
            "Theme": claims["theme"].astype(str),
            "Verdict": claims["verdict"].map(normalise_verdict),
        }
    )
    return Table(df.sort_values("Claim", kind="mergesort"), caption="Every claim and its verdict")


# ---------------------------------------------------------------------------------------------
# methods and data
# ---------------------------------------------------------------------------------------------


def _cell(text) -> str:
    """Text for a table cell: prose escaped, and "|" escaped inside code spans too."""
    if _blank(text):
        return ""
    parts = _CODE_SPAN.split(str(text).replace("\n", " "))
    return "".join(p.replace("|", "\\|") if i % 2 else md_escape(p) for i, p in enumerate(parts))


def fields_markdown(resource: dict) -> str:
    """The fields of a tabular resource as a MyST table (field, type, unit, description)."""
    fields = resource.get("schema", {}).get("fields", [])
    if not fields:
        return ""
    rows = [[f"`{f['name']}`", _cell(f.get("type")), _cell(f.get("unit")), _cell(f.get("description"))] for f in fields]
    return list_table(
        ["Field", "Type", "Unit", "Description"], rows, caption=f"Fields of {md_escape(resource['name'])}"
    )


def download_name(resource: dict) -> str:
    """The file name a resource is published under in the HTML book's ``_static/downloads/``
    (processed CSVs only; boundaries are served from ``_static/geo/``)."""
    return resource["path"].rsplit("/", 1)[-1]


_REPOSITORY = re.compile(r"^(?:github\.com|gitlab\.com)/([^\s/]+)/([^\s]+)\s*(?:\((.*)\))?\s*$")


def source_markdown(source: dict) -> str:
    """One source of a dataset in words a reader understands: its title (which names the publisher)
    linked to the publisher's page of the official copy; where the report read the file from a copy
    shared elsewhere (``x_via``, a code repository), it says so, and where no official copy is
    online (the source's address is that repository) it says that too. No module names, no
    "obtained via github.com/..."."""
    title = md_escape(year_spans(source["title"]))
    path = str(source.get("path", ""))
    via = source.get("x_via")
    if not path.startswith("http"):
        return f"{title} (compiled for this report from the publications it cites)"
    m = _REPOSITORY.match(str(via or ""))
    if not m:
        return f"[{title}]({path})"
    owner, name, note = m.groups()
    shared = f"shared on GitHub by {md_escape(owner)} ({md_escape(owner)}/{md_escape(name)})"
    whose = f", the {md_escape(note)}" if note and not re.fullmatch(r"[A-Z]+( licence)?", note) else ""
    if re.match(r"https?://(www\.)?(github|gitlab)\.com/", path):
        return f"{title}: no official copy of this file was found online; the report read the copy {shared}{whose}"
    return f"[{title}]({path}): the publisher's page of the official file; the report read a copy {shared}{whose}"


_MODULE = re.compile(r"\s*\(\s*(nhsreport\.[\w.\\]+)\s*\)")


def screen_only_modules(text: str) -> str:
    """``text`` with each parenthesised name of the report's code ("(nhsreport.analysis.x)") marked
    for the screen only: the HTML version names the function, the print does not."""
    return _MODULE.sub(lambda m: f'<span class="nhs-screen-only"> (`{m.group(1).replace(chr(92), "")}`)</span>', text)


def dataset_markdown(resource: dict) -> str:
    """One dataset of the data package as MyST markdown, under a rubric labelled
    ``data-<name>``: description, sources with links, licence, as-of date, size, method,
    caveats and (for tables) the fields."""
    name = resource["name"]
    size = (
        f"{resource['x_rows']:,} rows"
        if resource.get("x_rows") is not None
        else f"{resource['x_features']:,} areas"
        if resource.get("x_features") is not None
        else ""
    )
    srcs = [f"- {source_markdown(s)}" for s in resource.get("sources", [])]
    licence = ", ".join(md_escape(lic.get("title", lic.get("name", ""))) for lic in resource.get("licenses", []))
    kind = "table (CSV)" if resource.get("format") == "csv" else "boundaries (TopoJSON)"
    out = [
        f"(data-{name})=",
        f"### {md_escape(year_spans(resource['title']))}",
        "",
        screen_only_modules(md_escape_prose(resource.get("description", ""))),
        "",
        f"**Kind:** {kind}. **As of:** {md_escape(resource.get('x_as_of', ''))}. "
        f"**Size:** {size}. **Licence:** {licence}. **File:** {md_escape(download_name(resource))}.",
        "",
        "**Sources:**",
        "",
        *srcs,
        "",
        f"**Method.** {screen_only_modules(md_escape_prose(resource.get('x_method', '')))}",
        "",
    ]
    if not _blank(resource.get("x_caveats")):
        out += [f"**Caveats.** {screen_only_modules(md_escape_prose(resource['x_caveats']))}", ""]
    fm = fields_markdown(resource)
    if fm:
        out += [fm, ""]
    return "\n".join(out)


def catalog_bundle(catalog: pd.DataFrame, package: dict) -> Table:
    """The list of datasets as a sortable table, each dataset's name a link to its file under
    ``_static/downloads/`` (boundaries: ``_static/geo/``); the PDF book prints the link as the
    file's published address, or as plain text when no address is configured."""
    paths = {r["name"]: r["path"] for r in package["resources"]}
    df = pd.DataFrame(
        {
            "Dataset": catalog["name"],
            "Title": catalog["title"].map(year_spans),
            "Rows or areas": catalog["rows"].astype("Int64"),
            "As of": catalog["as_of"].astype(str),
        }
    )
    urls = []
    for n in catalog["name"]:
        fname = paths[n].rsplit("/", 1)[-1]
        urls.append((DOWNLOAD_PREFIX if fname.endswith(".csv") else "../_static/geo/") + fname)
    df["_url"] = urls
    caption = "The processed datasets"
    return Table(df, links={"Dataset": "_url"}, caption=caption)


def ordered_resources(package: dict) -> list[dict]:
    """The package's resources, tables first and then boundaries, each group in package order."""
    res = package["resources"]
    return [r for r in res if r.get("format") == "csv"] + [r for r in res if r.get("format") != "csv"]


def sources_table(sources) -> Table:
    """The source registry (:data:`nhsreport.build.sources.SOURCES`) as a sortable table with links;
    the files' checksums are on screen only (the PDF book names the column it leaves out)."""
    df = pd.DataFrame(
        {
            "Source id": [s.id for s in sources],
            "Publisher": [s.publisher for s in sources],
            "Title": [year_spans(s.title) for s in sources],
            "Period": [s.as_of for s in sources],
            "sha256 (first 12)": [s.sha256[:12] for s in sources],
            "_url": [s.url for s in sources],
        }
    )
    shown = ["Source id", "Publisher", "Title", "Period"]
    return Table(df, links={"Title": "_url"}, pdf_columns=shown, caption="The official files the data are built from")


def _rst_literals(text: str) -> str:
    """reStructuredText literals and roles in a docstring as Markdown code spans."""
    text = re.sub(r":(?:func|class|mod|data|meth|attr):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def functions_markdown(module_names) -> str:
    """For each module of ``module_names``: its name, the first paragraph of its
    docstring and its public functions with the first line of their docstrings (MyST)."""
    out = []
    for mod_name in module_names:
        mod = importlib.import_module(mod_name)
        doc = inspect.getdoc(mod) or ""
        first = _rst_literals(doc.split("\n\n")[0].replace("\n", " "))
        out += [f"**`{mod_name}`**: {md_escape_prose(first)}", ""]
        names = getattr(mod, "__all__", None) or [n for n in dir(mod) if not n.startswith("_")]
        for n in names:
            obj = getattr(mod, n, None)
            if not inspect.isfunction(obj) or obj.__module__ != mod.__name__:
                continue
            line = _rst_literals((inspect.getdoc(obj) or "").split("\n\n")[0].replace("\n", " "))
            out.append(f"- `{n}`: {md_escape_prose(line)}")
        out.append("")
    return "\n".join(out)
