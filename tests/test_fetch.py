"""Fetching official files: from the mirror or a publisher's URL, checked against the registry,
written atomically, and a mismatch never replaces the previous file."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
import urllib.parse
from dataclasses import replace

import pytest

from nhsreport.build import fetch, pinned, sources
from nhsreport.errors import DataError

from .conftest import MIRROR

SRC = sources.get("trust_mergers_2020_2021")


def _mirror(tmp_path, content: bytes):
    m = tmp_path / "mirror"
    (m / SRC.path).parent.mkdir(parents=True)
    (m / SRC.path).write_bytes(content)
    return m


def test_registry_is_complete_and_unique():
    ids = [s.id for s in sources.SOURCES]
    assert len(ids) == len(set(ids))
    for s in sources.SOURCES:
        assert s.url.startswith("https://") and len(s.sha256) == 64 and s.licence and s.as_of and s.publisher


@pytest.mark.skipif(not MIRROR.is_dir(), reason="the offline mirror ../shared/raw is absent")
def test_every_registered_file_is_in_the_mirror_with_its_hash():
    for s in sources.SOURCES:
        p = MIRROR / s.path
        assert p.exists(), s.path
        assert hashlib.sha256(p.read_bytes()).hexdigest() == s.sha256, s.path


def test_mismatch_names_file_and_both_hashes_and_keeps_previous(tmp_path):
    raw = tmp_path / "raw"
    (raw / SRC.path).parent.mkdir(parents=True)
    (raw / SRC.path).write_bytes(b"previous")
    m = _mirror(tmp_path, b"tampered")
    with pytest.raises(DataError) as e:
        fetch.from_mirror(SRC, m, raw)
    msg = str(e.value)
    assert SRC.path.split("/")[-1] in msg and SRC.sha256 in msg and hashlib.sha256(b"tampered").hexdigest() in msg
    assert (raw / SRC.path).read_bytes() == b"previous"


def test_download_from_url_checks_hash(tmp_path):
    """The network path, exercised against a local server standing in for the publisher."""
    content = b"trust_code_old,trust_code_new,from_date\nRBA,RH5,2020-04-01\n"
    src = replace(SRC, sha256=hashlib.sha256(content).hexdigest())
    site = tmp_path / "site"
    site.mkdir()
    (site / "mergers.csv").write_bytes(content)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/mergers.csv"
        out = fetch.from_url(src, tmp_path / "raw", url=url)
        assert out.read_bytes() == content
        with pytest.raises(DataError, match="sha256"):
            fetch.from_url(SRC, tmp_path / "raw2", url=url)
        assert not (tmp_path / "raw2" / SRC.path).exists()
    finally:
        server.shutdown()


def test_landing_page_only_sources_say_so(tmp_path):
    src = replace(SRC, download_url=None)
    with pytest.raises(DataError, match="direct download"):
        fetch.from_url(src, tmp_path)


# --- pinned addresses: every file from an address that returns the same bytes ------------------


def test_every_registered_source_has_a_pinned_address_with_its_hash():
    pins = pinned.load()
    for s in sources.SOURCES:
        assert s.path in pins, f"{s.path} has no pinned address"
        assert pins[s.path].sha256 == s.sha256, s.path
        assert pins[s.path].pinned_url.startswith("https://raw.githubusercontent.com/"), s.path


@pytest.mark.skipif(not MIRROR.is_dir(), reason="the offline mirror ../shared/raw is absent")
def test_pinned_table_agrees_with_the_mirrors_list():
    assert sorted(pinned.load().values(), key=lambda p: p.path) == pinned.from_mirror_table(MIRROR / "PINNED.csv")


def test_transform_strip_bom_lf():
    assert pinned.apply_transform(b"\xef\xbb\xbfa,b\r\n1,2\r\n", "strip-bom-lf") == b"a,b\n1,2\n"
    with pytest.raises(ValueError, match="unknown transform"):
        pinned.apply_transform(b"", "gunzip")


def test_malformed_pinned_table_names_file_and_line(tmp_path):
    bad = tmp_path / "pinned.csv"
    bad.write_text(",".join(pinned.COLUMNS) + "\nx.csv,abc,3,http://insecure/x.csv,exact,,\n")
    with pytest.raises(DataError, match=r"pinned.csv: line 2: expected a sha256"):
        pinned.load(bad)


def test_rebase_keeps_host_and_path():
    url = "https://raw.githubusercontent.com/o/r/0123/data/x.csv"
    assert fetch.rebase(url, None) == url
    assert (
        fetch.rebase(url, "http://127.0.0.1:8000/")
        == "http://127.0.0.1:8000/raw.githubusercontent.com/o/r/0123/data/x.csv"
    )


def _serve(directory):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _pinned_site(tmp_path, pins, blobs):
    """A directory laid out as ``<host>/<path>`` of each pinned address, holding ``blobs[path]``."""
    site = tmp_path / "site"
    for path, blob in blobs.items():
        parts = urllib.parse.urlsplit(pins[path].pinned_url)
        target = site / parts.netloc / urllib.parse.unquote(parts.path).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return site


def _as_published(pin, blob):
    """The bytes the pinned address returns for a registered file (undoing a conversion)."""
    if pin.transform == "strip-bom-lf":
        return b"\xef\xbb\xbf" + blob.replace(b"\n", b"\r\n")
    return blob


@pytest.mark.skipif(not MIRROR.is_dir(), reason="the offline mirror ../shared/raw is absent")
def test_every_file_fetched_from_its_pinned_address_without_a_mirror(tmp_path):
    """A machine with no mirror: every registered file comes from a server holding only the
    pinned files (as the addresses return them), and each is verified against the registry."""
    pins = pinned.load()
    blobs = {s.path: _as_published(pins[s.path], (MIRROR / s.path).read_bytes()) for s in sources.SOURCES}
    server, base = _serve(_pinned_site(tmp_path, pins, blobs))
    try:
        got = fetch.fetch_all(raw_dir=tmp_path / "raw", online=True, base=base, pins=pins)
    finally:
        server.shutdown()
    assert len(got) == len(sources.SOURCES)
    for s in sources.SOURCES:
        assert hashlib.sha256((tmp_path / "raw" / s.path).read_bytes()).hexdigest() == s.sha256


def test_a_failed_pinned_download_names_file_address_and_hash_and_keeps_the_previous_copy(tmp_path):
    content = b"trust_code_old,trust_code_new,from_date\nRBA,RH5,2020-04-01\n"
    src = replace(SRC, sha256=hashlib.sha256(content).hexdigest())
    pin = pinned.Pin(src.path, src.sha256, len(content), "https://raw.githubusercontent.com/o/r/c/m.csv", "exact")
    raw = tmp_path / "raw"
    (raw / src.path).parent.mkdir(parents=True)
    (raw / src.path).write_bytes(b"previous")
    server, base = _serve(_pinned_site(tmp_path, {src.path: pin}, {src.path: b"changed upstream"}))
    try:
        with pytest.raises(DataError) as e:
            fetch.from_pin(src, raw, pin, base)
        msg = str(e.value)
        assert "raw.githubusercontent.com/o/r/c/m.csv" in msg and src.sha256 in msg and src.path in msg
        assert (raw / src.path).read_bytes() == b"previous"
        missing = replace(pin, pinned_url="https://raw.githubusercontent.com/o/r/c/gone.csv")
        with pytest.raises(DataError, match=r"gone.csv: download: expected the bytes of .*HTTPError"):
            fetch.from_pin(src, raw, missing, base)
        assert (raw / src.path).read_bytes() == b"previous"
    finally:
        server.shutdown()


def test_fetch_summary_counts_each_kind(tmp_path):
    got = [
        fetch.Fetched(tmp_path / "a.csv", "present", "data/raw"),
        fetch.Fetched(tmp_path / "b.csv", "pinned", "https://raw.githubusercontent.com/o/r/c/b.csv"),
    ]
    md = fetch.summary_markdown(got)
    assert "2 registered files present and verified against their sha256: 1 present, 1 pinned." in md
    assert "| `b.csv` | https://raw.githubusercontent.com/o/r/c/b.csv |" in md and "a.csv" not in md
