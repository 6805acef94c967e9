"""Changes to the HTML pages: their context (no canonical link, no thebe scripts, bibliography
markup that passes accessibility checks) and the site's root redirect."""

from __future__ import annotations

from pathlib import Path

from nhsreport.publish.book.assets import write_if_changed


def no_canonical_link(app, pagename, templatename, context, doctree) -> None:
    """No ``<link rel="canonical">`` to the published address: a page served from a copy of the
    build (a reader's offline copy, the test server) names no other host."""
    context["pageurl"] = None


def drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """The book uses no live code cells: drop sphinx-thebe's scripts (jupyter-book adds them,
    sometimes twice, which is a JavaScript error on every page)."""
    files = context.get("script_files")
    if files is None:
        return
    keep = [
        js
        for js in files
        if "thebe" not in str(js) and "THEBE" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]
    files[:] = keep


def accessible_body(app, pagename, templatename, context, doctree) -> None:
    """Repair docutils' bibliography markup: ``doc-biblioentry`` is a deprecated ARIA role, and
    a ``role="list"`` must hold list items."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="_static/favicon.svg">
<meta http-equiv="Refresh" content="0; url={target}"></head>
<body><main><h1>{title}</h1><p><a href="{target}">Go to the report</a></p></main></body>
</html>
"""


def root_redirect(app, exception) -> None:
    """The site's root ``index.html``: a redirect to the front page that is a whole document,
    with a language and a title (sphinx-external-toc, which runs later, writes a bare one only
    when none exists)."""
    if exception is not None or app.builder.format != "html" or app.config.master_doc == "index":
        return
    import html

    target = f"{app.config.master_doc}.html"
    title = html.escape(app.config.html_title or app.config.project)
    text = REDIRECT.format(lang=app.config.language or "en", title=title, target=target)
    write_if_changed(Path(app.outdir) / "index.html", text.encode("utf-8"))
