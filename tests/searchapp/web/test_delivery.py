"""How responses leave the app (``delivery.py``): static files under their content hash with a
long max-age, text responses gzip-compressed for clients that take it."""

from __future__ import annotations

import gzip
import hashlib

from bs4 import BeautifulSoup

from searchapp.web.delivery import LONG_MAX_AGE, file_versions
from tests.support import REPO

STATIC = REPO / "searchapp" / "web" / "static"


def test_pages_link_static_files_by_content_hash(client):
    soup = BeautifulSoup(client.get("/").data, "html.parser")
    css = soup.select_one("link[rel=stylesheet]")["href"]
    js = soup.select_one("script[src]")["src"]
    for url, name in ((css, "style.css"), (js, "app.js")):
        digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
        assert url == f"/static/{name}?v={digest}"
        with client.get(url) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == LONG_MAX_AGE
            assert response.data == (STATIC / name).read_bytes()


def test_static_without_the_current_hash_is_revalidated(client):
    for url in ("/static/style.css", "/static/style.css?v=000000000000"):
        with client.get(url) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
            assert response.headers["ETag"]


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "a.css").write_text("a {}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.js").write_text("1")
    before = file_versions(str(tmp_path))
    assert set(before) == {"a.css", "sub/b.js"}
    (tmp_path / "a.css").write_text("a { color: red }")
    after = file_versions(str(tmp_path))
    assert after["a.css"] != before["a.css"] and after["sub/b.js"] == before["sub/b.js"]


def test_pages_and_json_are_compressed_when_the_client_takes_gzip(client):
    for path in ("/search?q=税", "/api/search?q=税", "/"):
        plain = client.get(path)
        packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
        text = gzip.decompress(packed.data)
        assert text[:300] == plain.data[:300]                     # the same page (its timing aside)


def test_no_compression_when_refused_or_too_small(client):
    refused = client.get("/search?q=税", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    small = client.get("/api/suggest?q=税", headers={"Accept-Encoding": "gzip"})
    assert len(small.data) < 1024 and "Content-Encoding" not in small.headers
