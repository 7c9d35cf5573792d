"""Nothing counts the questions by hand: with one more question planted, every count the site shows or ships
follows (the home page's text, study progress, decks and exports, levels, the feed)."""

from __future__ import annotations

import json
import re

import feedparser
from conftest import site_sources

import model


def counts(site) -> dict[str, int]:
    home = (site / "index.html").read_text(encoding="utf-8")
    return {
        "home text": int(re.search(r"The (\d+) questions below", home)[1]),
        "study total": int(re.search(r'data-qa-study-total="(\d+)"', home)[1]),
        "study overall": int(re.search(r"0 of (\d+) known overall", home)[1]),
        "home list": len(re.findall(r'<li><a href="[^"]*#[a-z0-9-]+">', home)),
        "JSON export": len(json.loads((site / "decks" / "llm-interview-qa.json").read_text(encoding="utf-8"))),
        "CSV export": (site / "decks" / "llm-interview-qa.csv").read_bytes().count(b"\r\n") - 1,
        "levels": len(json.loads((site / "q" / "levels.json").read_text(encoding="utf-8"))),
        "feed entries": len(feedparser.parse((site / "feed.xml").read_bytes()).entries),
    }


def test_every_count_follows_the_question_model(site_dir, variant_site):
    total = len([q for page in model.collect(site_sources()).values() for q in page.questions])
    assert counts(site_dir) == dict.fromkeys(counts(site_dir), total)
    _, variant = variant_site
    assert counts(variant) == dict.fromkeys(counts(variant), total + 1), "a planted question changed no count"
