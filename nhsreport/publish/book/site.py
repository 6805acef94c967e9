"""The published site: its address, and the addresses of its pages.

The address comes from the publishing workflow (``NHSREPORT_SITE_URL``: GitHub Pages gives the
site's URL) or, for a site published by hand, from ``html.baseurl`` in ``_config.yml``. The
briefings link to it (to a board's own profile where there is one) and the PDF book prints it, so a
PDF that is emailed or printed still points somewhere real. A build with no address configured
prints none: no placeholder domain ever reaches a reader.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from nhsreport import paths
from nhsreport.errors import DataError

CONFIG = "_config.yml"
ENV = "NHSREPORT_SITE_URL"
#: Where readers ask for help or another format (the accessibility statement prints it): an
#: http(s) address or an email address, given by the publishing workflow (its repository's issue
#: tracker unless the publisher sets another). A build without one sends readers to the publisher of
#: their copy (:data:`NO_CONTACT`), which is true of any copy, wherever it came from.
CONTACT_ENV = "NHSREPORT_CONTACT"
#: the page that lists every board and links each board's profile
SYSTEMS_PAGE = "book/systems"
#: how readers reach the publisher when the build was given no contact: as a public body's
#: document says it, the organisation that published or sent the copy answers for it
NO_CONTACT = (
    "contact the organisation that published this copy of the report or sent it to you: it is "
    "responsible for the copy and answers requests about it, including for another format."
)


def _checked(url: str, origin, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DataError(origin, where, "the published site's address, an http(s) URL", url)
    return url.rstrip("/") + "/"


def _configured(config: Path) -> str | None:
    import yaml

    try:
        conf = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise DataError(config, "the whole file", "a readable YAML book configuration", e) from e
    url = str((conf.get("html") or {}).get("baseurl") or "").strip()
    return _checked(url, config, "html.baseurl") if url else None


def base_url(root: Path | None = None) -> str | None:
    """The published site's address, ending in ``/``: ``$NHSREPORT_SITE_URL`` when set, else
    ``html.baseurl`` of ``_config.yml``; ``None`` when neither gives one."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return _checked(env, f"${ENV}", "its value")
    return _configured(Path(root or paths.ROOT) / CONFIG)


def page_url(docname: str = "book/index", anchor: str | None = None, root: Path | None = None) -> str | None:
    """The address of page ``docname`` (e.g. ``book/03_systems``) of the published site, with
    ``#anchor`` when given; ``None`` when no address is configured."""
    base = base_url(root)
    if base is None:
        return None
    return base + docname + ".html" + (f"#{anchor}" if anchor else "")


def contact() -> str | None:
    """Where readers ask for help or another format: ``$NHSREPORT_CONTACT`` (an http(s) address
    or an email address), or ``None`` when the build was given none."""
    value = os.environ.get(CONTACT_ENV, "").strip()
    if not value:
        return None
    if "@" in value and "/" not in value and " " not in value:
        return "mailto:" + value.removeprefix("mailto:")
    return _checked(value, f"${CONTACT_ENV}", "its value").rstrip("/")


def version() -> str:
    """The report's version (``nhsreport.__version__``, as the book's title page prints it)."""
    from nhsreport import __version__

    return __version__


#: how a reader makes a request privately when the contact is a public issue tracker
PRIVATE_REQUEST = (
    "Anything written there can be read by anyone: for a request you would rather not make in "
    "public, contact the organisation that published this copy of the report or sent it to you."
)


def is_issue_tracker(where: str | None) -> bool:
    """Whether the contact ``where`` is a public issue tracker (a web address ending in
    ``/issues``, as the publishing workflow's default is)."""
    return bool(where) and not where.startswith("mailto:") and urlsplit(where).path.rstrip("/").endswith("/issues")


def _tracker_name(where: str) -> str:
    host = urlsplit(where).netloc.removeprefix("www.")
    return "its public issue tracker on GitHub" if host == "github.com" else "its public issue tracker"


def contact_markdown() -> str:
    """How the accessibility statement tells readers to reach the publisher, as the end of the
    sentence "If you need ..., ": the configured contact as a link, or, in a build given none, the
    publisher of the reader's copy (:data:`NO_CONTACT`). A public issue tracker is called one, with
    what to do for a private request (:data:`PRIVATE_REQUEST`). Never a gap or a placeholder."""
    where = contact()
    if where is None:
        return NO_CONTACT
    if where.startswith("mailto:"):
        return f"contact the report team: [{where.removeprefix('mailto:')}]({where})."
    # a web address: named in words (the PDF book prints the address after it, and the HTML would
    # shorten a GitHub address shown as its own text to "owner/repo#issues")
    if is_issue_tracker(where):
        return f"contact the report team through [{_tracker_name(where)}]({where}). {PRIVATE_REQUEST}"
    return f"contact the report team through [its page for requests and comments]({where})."


def general_contact_markdown() -> str:
    """The front matter's one line on where to send corrections and questions: the configured
    contact, or the publisher of the reader's copy."""
    where = contact()
    if where is None:
        return "To report an error or ask about the report, contact the organisation that published this copy or sent it to you."
    if where.startswith("mailto:"):
        return f"To report an error or ask about the report, write to [{where.removeprefix('mailto:')}]({where})."
    name = _tracker_name(where) if is_issue_tracker(where) else "its page for requests and comments"
    return f"To report an error or ask about the report, contact the report team through [{name}]({where})."


def response_markdown() -> str:
    """The accessibility statement's promise of response times: made by the report team when the
    build names a contact; in a build given none, the organisation that answers the request sets
    its own times, so no promise is made on its behalf."""
    ask = "Say which page or figure you need and the format you would like."
    if contact() is None:
        return ask
    return (
        f"{ask} Requests are acknowledged within 5 working days, and the content, or the date when "
        "it can be provided, is given within 10 working days."
    )


def responder_text() -> str:
    """Who answers a complaint, as the Enforcement paragraph names them: the report team when the
    build names a contact, otherwise whoever the reader asked."""
    return "how the report team responds to" if contact() is not None else "the answer to"


#: where the report's code is published, given by the publishing workflow (its repository)
SOURCE_ENV = "NHSREPORT_SOURCE_URL"


def source_url() -> str | None:
    """The address of the report's code (``$NHSREPORT_SOURCE_URL``), or ``None`` when not given."""
    value = os.environ.get(SOURCE_ENV, "").strip()
    return _checked(value, f"${SOURCE_ENV}", "its value").rstrip("/") if value else None


def code_markdown() -> str:
    """Where the code that builds the report is, for "How to rerun it": its published address when
    the build was given one, else with the report's sources (no promise a local copy cannot keep)."""
    url = source_url()
    if url is None:
        return "The code that builds the report from the official files is kept with the report’s sources"
    # named in words: the HTML would shorten a GitHub address shown as its own text to "owner/repo"
    # (the PDF book prints the address after the words)
    return f"The code that builds the report from the official files is published in [its repository]({url})"


def profiles_url(root: Path | None = None) -> str | None:
    """The address of the page that lists every board and links its profile, or ``None``."""
    return page_url(SYSTEMS_PAGE, root=root)


def on_website_markdown(root: Path | None = None) -> str:
    """The words a printed page adds where the text sends a reader to a board's profile (the
    profiles are web pages): " on the report's website" and, when one is configured, the address
    of the page that lists the boards. Marked print-only: the HTML version links the profile itself.
    """
    url = profiles_url(root)
    words = " on the report’s website" + (f" ({url})" if url else "")
    return f'<span class="nhs-print-only" hidden>{words}</span>'


def website_text(root: Path | None = None) -> str:
    """Where the HTML version is, for a printed page: "on the report's website at <address>", or
    "on the report's website" when no address is configured."""
    base = base_url(root)
    return "on the report’s website" + (f" at {base}" if base else "")


def in_html_markdown(root: Path | None = None) -> str:
    """The words a printed page adds after a reference to a part of the book that only the HTML
    version holds: " (in the HTML version, on the report's website ...)". Print-only."""
    return f'<span class="nhs-print-only" hidden> (in the HTML version, {website_text(root)})</span>'
