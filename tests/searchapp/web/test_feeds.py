"""The Atom feed of a search and its 订阅 page (``feeds.py``): what the page says, the feed's
address (absolute, under PUBLIC_URL when set), feeds of filters alone, escaping."""

from __future__ import annotations

from bs4 import BeautifulSoup

XSS = "<script>alert(1)</script>"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_subscribe_page_gives_the_feed_address_and_its_entries(client):
    soup = soup_of(client.get("/subscribe?q=税&sort=date&page=3&per_page=1&source=国务院"))
    assert soup.h1.get_text() == "订阅“税”"
    address = soup.select_one("input#feed-url")
    assert address.has_attr("readonly")
    # Page, order and page size are not part of what is followed.
    assert address["value"] == "http://localhost/feed?q=%E7%A8%8E&source=%E5%9B%BD%E5%8A%A1%E9%99%A2"
    feed = client.get(address["value"].removeprefix("http://localhost"))
    entries = BeautifulSoup(feed.data, "xml").find_all("entry")
    preview = [li.a.get_text() for li in soup.select("ol.feed-preview li")]
    assert preview == [e.title.get_text() for e in entries]
    assert len(entries) == 2


def test_feed_addresses_use_the_public_url(app):
    app.config["PUBLIC_URL"] = "https://policy.example.org/"
    client = app.test_client()
    soup = soup_of(client.get("/subscribe?q=税"))
    assert soup.select_one("#feed-url")["value"] == "https://policy.example.org/feed?q=%E7%A8%8E"
    feed = BeautifulSoup(client.get("/feed?q=税").data, "xml")
    assert feed.find("link", rel="self")["href"] == "https://policy.example.org/feed?q=%E7%A8%8E"
    links = [e.link["href"] for e in feed.find_all("entry")]
    assert links and all(link.startswith("https://policy.example.org/articles/") for link in links)


def test_a_feed_of_filters_alone(client):
    feed = BeautifulSoup(client.get("/feed?source=国务院").data, "xml")
    assert feed.title.get_text() == "政策文章搜索：国务院"
    assert len(feed.find_all("entry")) == 2
    assert BeautifulSoup(client.get("/feed").data, "xml").find_all("entry") == []


def test_subscribe_page_escapes_the_query(client):
    soup = soup_of(client.get("/subscribe", query_string={"q": XSS}))
    assert soup.h1.get_text() == f"订阅“{XSS}”"
    assert [s.get("src").split("?v=")[0] for s in soup.find_all("script")] == ["/static/app.js"]
    assert "<script>alert" not in client.get("/subscribe", query_string={"q": XSS}).get_data(as_text=True)
