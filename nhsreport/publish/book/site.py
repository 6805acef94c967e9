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
#: tracker unless the publisher sets another). A build without one prints a marked gap, not an address.
CONTACT_ENV = "NHSREPORT_CONTACT"


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
