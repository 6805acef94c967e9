"""The one render cache of the report's charts: each static render (SVG or PNG) is stored under a
key computed from what it draws, so that a chart whose data did not change is drawn once, however
many chapters, profiles, briefings and builds ask for it.

The key is the sha256 of the chart's canonical specification as vl-convert receives it (map
geometry inlined, so a new boundary file is a new key), the renderer's name and version, the output
format and the PNG scale. A changed dataset changes the specification and so the key: a render is
never stale by construction, and nothing is ever invalidated. Files are written atomically
(:mod:`nhsreport.atomic`); one that is unreadable or cut short is drawn again, never trusted.

The store is ``_build/.render_cache/`` (``NHSREPORT_RENDER_CACHE`` points elsewhere). A clean
build (``_build`` removed) starts with an empty store. :data:`COUNTS` counts this process's cache
hits and the renders it made (``svg``/``png``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from nhsreport import atomic, paths
from nhsreport.hashing import sha256_bytes

RENDERER = "vl-convert-python"
#: ``{"svg": renders, "png": renders, "svg_hit": hits, "png_hit": hits}`` of this process
COUNTS: Counter = Counter()
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def cache_dir() -> Path:
    """The folder of the render cache: ``NHSREPORT_RENDER_CACHE``, else ``_build/.render_cache``."""
    return Path(os.environ.get("NHSREPORT_RENDER_CACHE") or paths.BUILD / ".render_cache")


def renderer_version() -> str:
    """The version of vl-convert, part of every key (a new renderer draws everything again)."""
    import vl_convert as vlc

    return vlc.__version__


def render_key(spec: dict, fmt: str, scale: float | None = None, vl_version: str | None = None) -> str:
    """The cache key of drawing ``spec`` (as vl-convert receives it) as ``fmt`` at ``scale``."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    head = json.dumps([RENDERER, renderer_version(), fmt, scale, vl_version])
    return sha256_bytes(f"{head}\n{canonical}".encode())


def _valid(blob: bytes, fmt: str) -> bool:
    """Whether ``blob`` is a whole render of ``fmt`` (not empty, cut short or another format)."""
    if fmt == "png":
        return blob.startswith(_PNG_MAGIC) and blob.endswith(_PNG_END)
    try:
        text = blob.decode("utf-8").strip()
    except UnicodeDecodeError:
        return False
    return "<svg" in text[:200] and text.endswith("</svg>")


def _draw(spec: dict, fmt: str, scale: float | None, vl_version: str | None) -> bytes:
    import vl_convert as vlc

    if fmt == "svg":
        return vlc.vegalite_to_svg(spec, vl_version=vl_version).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec, vl_version=vl_version, scale=scale)
    raise ValueError(f"unknown render format {fmt!r}: expected 'svg' or 'png'")


def cached_render(spec: dict, fmt: str, scale: float | None = None, vl_version: str | None = None) -> bytes:
    """``spec`` drawn as ``fmt`` (``"svg"`` or ``"png"`` at ``scale``) by vl-convert, read from the
    render cache when it holds a whole render of the same key, else drawn and stored."""
    path = cache_dir() / f"{render_key(spec, fmt, scale, vl_version)}.{fmt}"
    try:
        blob = path.read_bytes()
    except OSError:
        blob = b""
    if _valid(blob, fmt):
        COUNTS[f"{fmt}_hit"] += 1
        return blob
    blob = _draw(spec, fmt, scale, vl_version)
    COUNTS[fmt] += 1
    atomic.write_bytes(path, blob)
    return blob
