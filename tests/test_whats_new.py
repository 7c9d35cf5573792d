"""What's new: the page lists every question newest first, grouped by day, with its short answer and link; the Atom
feed (read by a real feed parser) has one entry per question with its permanent q/<id>/ address and dates; every
page names the feed; a question published later comes first in both."""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import PLANTED, PLANTED_PUBLISHED, PLANTED_UPDATED, ROOT, site_sources

import model


@pytest.fixture(scope="module")
def questions() -> dict[str, model.Question]:
    return {q.id: q for page in model.collect(site_sources()).values() for q in page.questions}


def published() -> dict[str, datetime.date]:
    return yaml.safe_load((ROOT / "published-ids.yml").read_text(encoding="utf-8"))["ids"]


def test_the_feed_has_one_valid_entry_per_question(site_dir, questions):
    feed = feedparser.parse((site_dir / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title and feed.feed.updated
    exported = {row["id"]: row for row in json.loads((site_dir / "decks" / "llm-interview-qa.json").read_text(encoding="utf-8"))}
    dates = published()
    seen = []
    for entry in feed.entries:
        path = urlsplit(entry.link).path
        assert path.startswith("/q/") and entry.id == entry.link, entry.link
        qid = path.split("/")[2]
        assert (site_dir / "q" / qid / "index.html").is_file(), f"{entry.link} is no page of the built site"
        question = questions[qid]
        assert entry.title == question.title
        assert entry.summary.startswith(exported[qid]["short_answer"])
        assert datetime.date(*entry.published_parsed[:3]) == dates[qid]
        assert {tag.term for tag in entry.tags} >= {question.level}
        seen.append(qid)
    assert sorted(seen) == sorted(questions), "the feed must have exactly one entry per question"
    updated = [datetime.date(*entry.updated_parsed[:3]) for entry in feed.entries]
    assert updated == sorted(updated, reverse=True), "the feed must list the newest first"


def test_every_page_names_the_feed_and_the_whats_new_page_links_it(site_dir):
    pages = [p for p in site_dir.rglob("*.html") if "/q/" not in p.as_posix()]
    assert len(pages) > 10
    for path in pages:
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").head
        link = head.select_one('link[rel="alternate"][type="application/atom+xml"]')
        assert link is not None, f"{path.relative_to(site_dir)} does not name the feed"
        target = urlsplit(link["href"]).path
        resolved = (path.parent / target).resolve() if not target.startswith("/") else site_dir / target.lstrip("/")
        assert resolved == (site_dir / "feed.xml").resolve(), (path, link["href"])
    page = BeautifulSoup((site_dir / "whats-new" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('article a[href="../feed.xml"]')


def sections(page_html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(day heading id, [(New/Updated, question id), ...]), ...] in page order."""
    article = BeautifulSoup(page_html, "html.parser").select_one("article")
    out = []
    for heading in article.select("h2"):
        items = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            for item in sibling.select(":scope > li") if sibling.name == "ul" else []:
                link = item.select_one("a[href*='#']")
                items.append((item.get_text(" ", strip=True).split(":")[0], link["href"].split("#")[1]))
        out.append((heading["id"], items))
    return out


def test_whats_new_lists_every_question_once_newest_first_with_its_short_answer(site_dir, questions):
    html = (site_dir / "whats-new" / "index.html").read_text(encoding="utf-8")
    found = sections(html)
    days = [day for day, _ in found]
    assert days == sorted(days, reverse=True) and all(day.startswith("on-") for day in days)
    new = [qid for _, items in found for kind, qid in items if kind == "New"]
    assert sorted(new) == sorted(questions), "every question appears once as new"
    dates = published()
    for day, items in found:
        assert all(dates[qid].isoformat() == day[3:] for kind, qid in items if kind == "New")
    assert "mjx-container" in html, "the short answers' formulas are rendered"


def test_a_question_published_later_comes_first_on_the_page_and_in_the_feed(variant_site):
    _, site = variant_site
    found = sections((site / "whats-new" / "index.html").read_text(encoding="utf-8"))
    assert found[0] == (f"on-{PLANTED_UPDATED}", [("Updated", PLANTED)])
    assert found[1] == (f"on-{PLANTED_PUBLISHED}", [("New", PLANTED)])
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    first = feed.entries[0]
    assert urlsplit(first.link).path == f"/q/{PLANTED}/"
    assert datetime.date(*first.published_parsed[:3]).isoformat() == PLANTED_PUBLISHED
    assert datetime.date(*first.updated_parsed[:3]).isoformat() == PLANTED_UPDATED
    assert "update note" in first.summary
