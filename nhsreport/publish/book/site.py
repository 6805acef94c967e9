"""The published site: its address, and the addresses of its pages.

One setting, ``html.baseurl`` in ``_config.yml``, says where the HTML book is published. The
briefings link to it (to a system's own section where there is one) and the PDF book prints it,
so a PDF that is emailed or printed still points somewhere real. The default is a placeholder
(README, "Publishing"): set it to the real address before publishing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from nhsreport import paths
from nhsreport.errors import DataError

CONFIG = "_config.yml"


def _base_url(config: Path) -> str:
    import yaml

    try:
        conf = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise DataError(config, "the whole file", "a readable YAML book configuration", e) from e
    url = (conf.get("html") or {}).get("baseurl")
    parts = urlsplit(str(url or ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DataError(config, "html.baseurl", "the published site's address, an http(s) URL", url)
    return str(url).rstrip("/") + "/"


def base_url(root: Path | None = None) -> str:
    """The published site's address, ending in ``/`` (``html.baseurl`` of ``_config.yml``)."""
    return _base_url(Path(root or paths.ROOT) / CONFIG)


def page_url(docname: str = "book/index", anchor: str | None = None, root: Path | None = None) -> str:
    """The address of page ``docname`` (e.g. ``book/03_systems``) of the published site, with
    ``#anchor`` when given."""
    return base_url(root) + docname + ".html" + (f"#{anchor}" if anchor else "")


def version() -> str:
    """The report's version (``nhsreport.__version__``, as the book's title page prints it)."""
    from nhsreport import __version__

    return __version__
