"""Search lands on the right question: the public query set (tests/search_queries.tsv), typed into Material's search
box in real Chromium, must put its question first, and the keyboard alone must reach it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from reader import OPEN_ANSWERS, TEX_SOURCE, open_search, question_addresses, search, wait_for_open_answer


QUERIES = Path(__file__).with_name("search_queries.tsv")


def query_set() -> list[tuple[str, str]]:
    with QUERIES.open(encoding="utf-8") as file:
        rows = [row for row in csv.reader(file, delimiter="\t") if row and not row[0].startswith("#")]
    return [(query.strip(), qid.strip()) for query, qid in rows]


def home_with_search_open(watched):
    """The home page, with the search box opened by its shortcut `/`."""
    watched.page.goto("")
    watched.page.keyboard.press("/")
    return watched.page


@pytest.fixture(scope="module")
def addresses() -> dict[str, str]:
    return question_addresses()


def test_the_query_set_covers_every_question(addresses):
    queries = query_set()
    assert len(queries) >= 90
    assert {qid for _, qid in queries} == set(addresses), "every question needs queries, and only questions"
    counts = {qid: sum(1 for _, q in queries if q == qid) for qid in addresses}
    assert min(counts.values()) >= 3, {qid: n for qid, n in counts.items() if n < 3}
    assert len({query.lower() for query, _ in queries}) == len(queries), "duplicate queries"


def test_every_query_puts_its_question_first(watched, addresses):
    page = home_with_search_open(watched)
    queries = query_set()
    misses = []
    for query, qid in queries:
        results = search(page, query)
        if not results or results[0] != addresses[qid]:
            misses.append(f"{query!r}: wanted {qid}, got {results[:3]}")
    assert not misses, f"{len(misses)} of {len(queries)} queries miss their question:\n" + "\n".join(misses)
    # Clicking a result opens its answer: the first query of each question.
    clicked = set()
    for query, qid in queries:
        if qid in clicked:
            continue
        clicked.add(qid)
        search(page, query)
        open_search(page)
        page.locator(f".md-search-result__link[href$='#{qid}']:visible").first.click()
        wait_for_open_answer(page, qid)
        assert qid in page.evaluate(OPEN_ANSWERS)
    assert clicked == set(addresses)
    watched.assert_clean()


def exported_short_answers(site_dir) -> dict[str, str]:
    """Each question's short answer as plain text, formulas linearised: the JSON export, written by the same code."""
    rows = json.loads((site_dir / "decks" / "llm-interview-qa.json").read_text(encoding="utf-8"))
    return {row["id"]: row["short_answer"] for row in rows}


def test_result_snippet_is_the_short_answer(watched, site_dir):
    page = home_with_search_open(watched)
    search(page, "lora rank")
    snippet = page.locator(".md-search-result__link[href*='#lora-rank'] .md-search-result__article p").first.inner_text()
    short = exported_short_answers(site_dir)["lora-rank"]
    assert "r = 8" in short and snippet.split()[:20] == short.split()[:20], (snippet[:160], short[:160])
    watched.assert_clean()


# Queries whose first results carry formulas in their short answers or depth.
FORMULA_QUERIES = ["zero init lora", "bradley terry loss", "kl penalty beta", "dpo loss", "kv cache bytes formula",
                   "rope rotation relative position", "lora parameter count", "temperature softmax"]


def test_search_results_show_formulas_as_text_not_tex(watched):
    """No result shows TeX source: formulas read as text ("ΔW = BA = 0"), and the words typed are highlighted."""
    page = home_with_search_open(watched)
    seen_formula = 0
    for query in FORMULA_QUERIES:
        assert search(page, query), f"{query!r} found nothing"
        for result in page.locator(".md-search-result__item").all_inner_texts():
            found = TEX_SOURCE.search(result)
            assert not found, f"{query!r}: a result shows TeX: …{result[max(0, found.start() - 60):found.end() + 60]}…"
            seen_formula += any(symbol in result for symbol in "ΔσβτπΣ∝≈")
        assert page.locator(".md-search-result mark").count(), f"{query!r}: nothing highlighted"
    assert seen_formula >= 5, "the queries should reach results that carry formulas"
    watched.assert_clean()


@pytest.mark.parametrize("key", ["/", "s"])
def test_keyboard_only_search_opens_the_answer(watched, key):
    page = watched.page
    page.goto("")
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("grouped query")
    page.locator(".md-search-result__link[href*='#grouped-query-attention']").first.wait_for()
    # Arrow keys move through the results; Enter follows the focused one.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
    assert "#" in focused, f"the arrow keys did not reach a question result: {focused!r}"
    qid = focused.split("#")[1]
    page.keyboard.press("Enter")
    wait_for_open_answer(page, qid)
    assert page.evaluate(OPEN_ANSWERS) == [qid]
    watched.assert_clean()


# The index holds stems (mkdocs.yml: the search plugin's pipeline) and the site's search worker stems each query the
# same way before Material's worker searches (docs/assets/javascripts/workers/stemmed-search.js).
def test_spellings_of_a_word_find_the_same_results(watched, addresses):
    page = home_with_search_open(watched)
    spellings = ["reward modeling", "reward modelling", "reward models"]
    found = {query: search(page, query)[:3] for query in spellings}
    assert found[spellings[0]][:1] == [addresses["bradley-terry"]], found
    assert all(results == found[spellings[0]] for results in found.values()), found
    watched.assert_clean()


@pytest.mark.parametrize("word, qid", [("overoptimization", "overoptimization"), ("catastrophic", "catastrophic-forgetting")])
def test_a_word_being_typed_keeps_its_question_first(watched, addresses, word, qid):
    # Letter by letter: past its stem ("overoptim"), the word is cut back to the stem, so the results don't vanish.
    page = home_with_search_open(watched)
    for n in range(5, len(word) + 1):
        results = search(page, word[:n])
        assert results[:1] == [addresses[qid]], (word[:n], results[:3])
    watched.assert_clean()


def test_the_suggestion_completes_the_word_not_its_stem(watched):
    page = home_with_search_open(watched)
    search(page, "overoptim")
    suggestion = page.locator(".md-search__suggest")
    expect(suggestion).to_have_text("overoptimization")
    watched.assert_clean()


def test_a_notebook_is_found_by_its_title(watched):
    """Typed, a notebook's title lists the notebook among the first four pages of results (each page is one
    group of results); the question it illustrates, which shares its terms, may come first."""
    page = home_with_search_open(watched)
    titles = page.evaluate(
        "async () => (await (await fetch(new URL('search/search_index.json', window.qa.root))).json()).docs"
        ".filter(d => /^notebooks\\/[^/#]+\\/$/.test(d.location)).map(d => [d.location, d.title])"
    )
    assert len(titles) >= 9
    late = []
    for location, title in titles:
        pages = list(dict.fromkeys(result.split("#")[0] for result in search(page, title)))
        if location not in pages[:4]:
            late.append(f"{title!r}: {pages[:5]}")
    assert not late, "notebooks not among the first four pages of results for their own titles:\n" + "\n".join(late)
    watched.assert_clean()
