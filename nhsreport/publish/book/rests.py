"""The ``{rests}`` role: what a finding of the front page or of the conclusions rests on.

A finding ends with ``{rests}`C01,C14 fig-int-arrangements```: the claims of the ledger (``C`` and a
number) and the figures (their ``fig-`` labels) it rests on, separated by commas or spaces. The
book prints "(Claims C01, C14 · Figure 4.2)", each claim a link to its row of the claims ledger
(label ``claim-<id>``) and each figure a numbered link to the figure. :func:`parse` is the one
reading of the marker: the role uses it, and ``tests/test_key_findings.py`` uses it to check each
finding against the ledger's verdicts.
"""

from __future__ import annotations

import re

from docutils import nodes

__all__ = ["CLAIM", "FIGURE", "parse", "rests_role", "MARKER"]

#: A claim of the ledger, e.g. ``C07``.
CLAIM = re.compile(r"^C\d{2,}$")
#: A figure's label, e.g. ``fig-mgmt-ratio``.
FIGURE = re.compile(r"^fig-[A-Za-z0-9_-]+$")
#: The marker as it is written in MyST, its content in group 1.
MARKER = re.compile(r"\{rests\}`([^`]*)`")


def parse(text: str) -> tuple[list[str], list[str]]:
    """The claims and figure labels of a marker's content, in the order written:
    ``parse("C01, C02 fig-mgmt-ratio")`` -> ``(["C01", "C02"], ["fig-mgmt-ratio"])``. Raises
    ``ValueError`` for any other word, and when the marker names nothing."""
    tokens = [token for token in re.split(r"[\s,;]+", text.strip()) if token]
    claims = [token for token in tokens if CLAIM.match(token)]
    figures = [token for token in tokens if FIGURE.match(token)]
    unknown = [token for token in tokens if token not in claims and token not in figures]
    if unknown:
        raise ValueError(f"not a claim (C01) or a figure label (fig-…): {', '.join(unknown)}")
    if not tokens:
        raise ValueError("names no claim and no figure")
    return claims, figures


def _xref(reftype: str, target: str, title: str, docname: str):
    from sphinx import addnodes

    ref = addnodes.pending_xref(
        "", refdomain="std", reftype=reftype, reftarget=target, refexplicit=True, refwarn=True, refdoc=docname
    )
    ref += nodes.inline(title, title)
    return ref


def _group(singular: str, refs: list) -> list:
    """The noun ("Claim" or "Claims", :func:`words.noun`) and the references, separated by commas."""
    from nhsreport.publish.components.words import noun

    out = [nodes.Text(noun(len(refs), singular) + " ")]
    for i, ref in enumerate(refs):
        if i:
            out.append(nodes.Text(", "))
        out.append(ref)
    return out


def rests_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """The docutils role: "(Claims C01, C02 · Figures 2.1, 2.3)" with links to the ledger's rows
    and the figures; a warning (an error in a ``-W`` build) for a marker :func:`parse` refuses."""
    try:
        claims, figures = parse(text)
    except ValueError as err:
        msg = inliner.reporter.warning(f"{{rests}}`{text}`: {err}", line=lineno)
        return [], [msg]
    env = getattr(inliner.document.settings, "env", None)
    docname = env.docname if env is not None else ""
    groups = []
    if claims:
        groups.append(_group("Claim", [_xref("ref", f"claim-{c.lower()}", c, docname) for c in claims]))
    if figures:
        groups.append(_group("Figure", [_xref("numref", f, "{number}", docname) for f in figures]))
    node = nodes.inline(rawtext, "", classes=["rests-on"])
    node += nodes.Text("(")
    for i, group in enumerate(groups):
        if i:
            node += nodes.Text(" · ")
        node.extend(group)
    node += nodes.Text(")")
    return [node], []
