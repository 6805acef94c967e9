"""The Jinja2 environment the generated pages (the system profiles and their index) are written with.

The templates are MyST Markdown (``templates/*.md.j2``) with raw HTML blocks, and HTML fragments
(``templates/*.html.j2``). Escaping has one home, :func:`escape`, the environment's ``finalize``:
every value a template prints inside HTML (an ``*.html.j2`` template, or an
``{% autoescape true %}`` block of a Markdown template) is escaped by it, unless it is already HTML
(a :class:`markupsafe.Markup`, such as a chart element or a rendered table); values printed in
Markdown are left as they are. Numbers, dates and ranks become text through filters that are the
functions of :mod:`nhsreport.formatting` and :mod:`nhsreport.publish.components.words`.
"""

from __future__ import annotations

import html
from functools import cache

import jinja2
from markupsafe import Markup

from nhsreport import paths
from nhsreport.formatting import fmt_1dp, fmt_gbp, fmt_int, fmt_pct, month_year, ordinal, uk_date
from nhsreport.publish.components import words

__all__ = ["TEMPLATES", "escape", "environment", "render"]

#: Where the templates are, inside the package.
TEMPLATES = paths.PACKAGE / "publish" / "pages" / "templates"

#: The filters the templates format with, each the one home of its rule.
FILTERS = {
    "fmt_int": fmt_int,
    "fmt_1dp": fmt_1dp,
    "fmt_gbp": fmt_gbp,
    "fmt_pct": fmt_pct,
    "ordinal": ordinal,
    "uk_date": uk_date,
    "month_year": month_year,
    "number_words": words.number_words,
    "rank_text": words.rank_text,
    "count": words.count_phrase,
}


def escape(value) -> Markup:
    """``value`` as HTML text: ``&``, ``<``, ``>``, ``"`` and ``'`` escaped (as :func:`html.escape`
    does); HTML already marked safe is returned as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


@jinja2.pass_eval_context
def _finalize(eval_ctx, value):
    """Every printed value: escaped where the template is HTML, as it is in Markdown."""
    return escape(value) if eval_ctx.autoescape else value


@cache
def environment() -> jinja2.Environment:
    """The environment: templates from :data:`TEMPLATES`, HTML templates (``*.html.j2``) escaped
    throughout, undefined names an error, block tags taking no line of their own."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render(template: str, **context) -> str:
    """Template ``template`` (a file name in :data:`TEMPLATES`) rendered with ``context``."""
    return environment().get_template(template).render(**context)
