"""Fetching official files: from the mirror or a publisher's URL, checked against the registry,
written atomically, and a mismatch never replaces the previous file."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from dataclasses import replace

import pytest

from nhsreport.build import fetch, sources
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
