"""Levels: every question declares "core" or "advanced" on its heading; the level shows beside it as text (its page,
the home list), the decks and exports carry it, and study mode can show only the core questions."""

from __future__ import annotations

import csv
import json

import pytest
from bs4 import BeautifulSoup
from conftest import site_sources
from reader import open_for_instant_navigation

import model

LORA = "fine-tuning/lora-and-qlora/"
KEY = "qa-study"


@pytest.fixture(scope="module")
def questions() -> dict[str, model.Question]:
    return {q.id: q for page in model.collect(site_sources()).values() for q in page.questions}


def test_each_question_shows_its_level_as_text_on_its_page_and_in_the_home_list(site_dir, questions):
    for uri in {q.src_uri for q in questions.values()}:
        html = (site_dir / uri.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for q in (q for q in questions.values() if q.src_uri == uri):
            label = soup.select_one(f"h2#{q.id} .qa-level")
            assert label is not None, f"{q.id}: no level beside the question on {uri}"
            assert label.get_text(" ", strip=True) == f"Level: {q.level}", (q.id, label.get_text())
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    for q in questions.values():
        item = home.select_one(f"article li:has(> a[href$='#{q.id}'])")
        assert item is not None and item.select_one(".qa-level").get_text(strip=True).endswith(q.level), q.id
    # The label is not part of the question's title in search.
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["location"].split("#")[-1]: doc["title"] for doc in index["docs"] if "#" in doc["location"]}
    assert all(titles[qid] == q.title for qid, q in questions.items()), "a level leaked into a search title"
    assert {q.level for q in questions.values()} == {"core", "advanced"}


def test_decks_and_exports_carry_every_questions_level(site_dir, questions):
    rows = json.loads((site_dir / "decks" / "llm-interview-qa.json").read_text(encoding="utf-8"))
    assert {row["id"]: row["level"] for row in rows} == {qid: q.level for qid, q in questions.items()}
    with open(site_dir / "decks" / "llm-interview-qa.csv", newline="", encoding="utf-8") as handle:
        assert {row["id"]: row["level"] for row in csv.DictReader(handle)} == {qid: q.level for qid, q in questions.items()}
    levels = json.loads((site_dir / "q" / "levels.json").read_text(encoding="utf-8"))
    assert levels == {qid: q.level for qid, q in questions.items()}


VISIBLE = "[...document.querySelectorAll('article h2')].filter(h => h.checkVisibility()).map(h => h.id)"
VISIBLE_TOC = (
    "[...document.querySelectorAll('.md-nav--secondary a.md-nav__link')].filter(a => a.checkVisibility())"
    ".map(a => a.hash.slice(1))"
)


def test_core_only_hides_every_advanced_question_survives_a_reload_and_counts_core(watched, questions):
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})  # the table of contents beside the page
    lora = [qid for qid, q in questions.items() if q.src_uri == "fine-tuning/lora-and-qlora.md"]
    core = [qid for qid in lora if questions[qid].level == "core"]
    assert len(core) < len(lora), "the LoRA page needs an advanced question for this test"
    open_for_instant_navigation(page, LORA)
    assert page.evaluate(VISIBLE) == lora
    page.locator(f".qa-study-marks[data-qa-study-id='{core[0]}'] .qa-study-mark--known").click()
    assert page.locator(".qa-study-core-progress").inner_text() == f"1 of {len(core)} core known"
    toggle = page.locator(".qa-study-toolbar .qa-study-core")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate(VISIBLE) == page.evaluate(VISIBLE_TOC) == core
    assert page.locator("article details.answer:visible").count() == len(core)
    hidden = len(lora) - len(core)
    assert page.locator(".qa-study-hidden-note").inner_text() == (
        "1 advanced question is hidden." if hidden == 1 else f"{hidden} advanced questions are hidden."
    )
    page.reload()
    assert page.evaluate(VISIBLE) == core, "the core-only filter did not survive a reload"
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", KEY))["core"] is True

    # The home page follows: its list shows only core questions, its panel counts them, Quiz me picks one.
    page.locator(".md-header a.md-logo").click()
    page.wait_for_selector(".qa-study-actions")
    all_core = [qid for qid, q in questions.items() if q.level == "core"]
    shown = page.evaluate(
        "[...document.querySelectorAll('article li > a[href*=\"#\"]')].filter(a => a.checkVisibility()).map(a => a.hash.slice(1))"
    )
    assert sorted(shown) == sorted(all_core)
    assert page.locator(".qa-study-core-overall").inner_text() == f"1 of {len(all_core)} core questions known"
    assert page.locator(".qa-study-actions .qa-study-core").get_attribute("aria-pressed") == "true"
    for _ in range(3):
        before = page.url
        page.locator(".qa-study-quiz").first.click()
        page.wait_for_function("before => location.href !== before && location.hash.length > 1 && !location.search", arg=before)
        landed = page.evaluate("location.hash.slice(1)")
        assert questions[landed].level == "core", f"Quiz me opened {landed}, an advanced question"
        page.go_back()
        page.wait_for_selector(".qa-study-actions")
    page.locator(".qa-study-actions .qa-study-core").click()
    page.goto(LORA)
    assert page.evaluate(VISIBLE) == lora
    watched.assert_clean()
