"""What a reader sees, in real Chromium against the built site on 127.0.0.1."""

import pytest

LORA = "fine-tuning/lora-and-qlora/"
ATTENTION = "llms/attention-and-decoding/"

OPEN_ANSWERS = "[...document.querySelectorAll('article details.answer')].filter(d => d.open).map(d => d.previousElementSibling.id)"


def wait_for_math(page):
    """Formulas are HTML from the build (hooks/render_math.py): present as soon as the content is, nothing to wait
    for; fails if a formula is not rendered math."""
    assert page.evaluate("[...document.querySelectorAll('.arithmatex')].every(el => el.querySelector('mjx-container'))")


def test_deep_link_opens_its_answer(watched):
    page = watched.page
    page.goto(LORA + "#lora-rank")
    page.wait_for_function(f"{OPEN_ANSWERS}.length > 0")
    assert page.evaluate(OPEN_ANSWERS) == ["lora-rank"]
    assert page.locator("#lora-rank").is_visible()
    box = page.locator("#lora-rank").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2, "the question is not scrolled into view"
    watched.assert_clean()


def open_for_instant_navigation(page, path=""):
    """Load a page and wait until Material has read sitemap.xml: before that, links do full page loads."""
    with page.expect_response("**/sitemap.xml"):
        page.goto(path)


def test_instant_navigation_to_a_question_opens_its_answer(watched):
    page = watched.page
    open_for_instant_navigation(page)
    page.evaluate("window.__sameDocument = true")
    page.locator("article a[href$='#kv-cache']").click()
    page.wait_for_url("**/" + ATTENTION + "#kv-cache")
    page.wait_for_function(f"{OPEN_ANSWERS}.includes('kv-cache')")
    assert page.evaluate("window.__sameDocument") is True, "the link did a full reload, not instant navigation"
    assert page.evaluate(OPEN_ANSWERS) == ["kv-cache"]
    wait_for_math(page)
    watched.assert_clean()


@pytest.mark.parametrize(
    "query, question",
    [
        ("chinchilla", "chinchilla-scaling-laws"),
        ("GQA", "grouped-query-attention"),
        ("RoPE", "rope"),
        ("Bradley-Terry", "bradley-terry"),
        ("catastrophic forgetting", "catastrophic-forgetting"),
        ("QLoRA", "qlora"),
        ("reward hacking", "reward-hacking"),
        ("KV cache", "kv-cache"),
        ("DPO", "rlhf-vs-dpo"),
        ("PPO", "why-ppo"),
        ("in-context learning", "in-context-learning"),
        ("emergent abilities", "emergent-abilities"),
        ("instruction tuning", "instruction-tuning"),
        ("overoptimization", "overoptimization"),
        ("Constitutional AI", "alignment-methods-compared"),
    ],
)
def test_search_lands_on_the_question_and_opens_it(watched, query, question):
    page = watched.page
    page.goto("")
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.keyboard.type(query)
    # Results update as the reader types: wait for the ones that highlight the last word typed.
    last_word = query.lower().split()[-1].split("-")[-1]
    page.wait_for_function(
        "word => [...document.querySelectorAll('.md-search-result__link')].some(a => "
        "new URL(a.href).searchParams.get('h')?.split(' ').includes(word))",
        arg=last_word,
    )
    # Material groups results by page: the page itself, then its best-matching sections (questions).
    first = page.locator(".md-search-result__item").first.locator("a.md-search-result__link[href*='#']").first
    first.wait_for()
    assert first.get_attribute("href").endswith(f"#{question}"), first.get_attribute("href")
    first.click()
    page.wait_for_function(f"{OPEN_ANSWERS}.includes('{question}')")
    assert page.url.split("#")[1] == question
    watched.assert_clean()


def test_every_formula_is_typeset_once(watched, built_pages):
    page = watched.page
    typeset = 0
    for path in built_pages:
        page.goto(path)
        wait_for_math(page)
        result = page.evaluate(
            """() => {
              const math = [...document.querySelectorAll('.arithmatex')];
              return {
                count: math.length,
                once: math.every(el => el.querySelectorAll('mjx-container').length === 1),
                assistive: document.querySelectorAll('mjx-assistive-mml').length,
                containers: document.querySelectorAll('mjx-container').length,
                raw: math.filter(el => /\\\\[()\\[\\]]|\\$/.test([...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(''))).length,
                errors: document.querySelectorAll('mjx-merror').length,
              };
            }"""
        )
        assert result["once"] and result["raw"] == 0 and result["errors"] == 0, (path, result)
        assert result["assistive"] == result["containers"] == result["count"], (path, result)  # one each, no duplicates
        typeset += result["count"]
    assert typeset > 20
    watched.assert_clean()


def test_math_is_typeset_after_instant_navigation(watched):
    page = watched.page
    open_for_instant_navigation(page, "notebooks/")  # a page without math
    assert page.evaluate("!window.MathJax")  # and none is ever loaded: the formulas come with the content
    page.locator("nav.md-nav a[href$='lora-and-qlora/']").first.click()
    page.wait_for_url("**/" + LORA)
    page.locator("#lora-matrices + details > summary").click()
    wait_for_math(page)
    page.locator("nav.md-nav a[href$='attention-and-decoding/']").first.click()
    page.wait_for_url("**/" + ATTENTION)
    wait_for_math(page)
    assert page.locator("article .arithmatex mjx-container").count() > 0
    watched.assert_clean()


def test_copy_link_copies_the_full_url_of_the_answer(watched, base_url):
    page = watched.page
    page.goto(LORA + "?h=lora")
    page.locator("#qlora .qa-copy-link").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}{LORA}#qlora"
    page.get_by_text("Copied to clipboard").wait_for()
    watched.assert_clean()


def test_copy_link_works_from_the_keyboard(watched, base_url):
    page = watched.page
    page.goto(ATTENTION)
    page.locator("#rope .qa-copy-link").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.endsWith('#rope'))")
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}{ATTENTION}#rope"


def test_reveal_all_opens_and_hides_every_answer(watched):
    page = watched.page
    page.goto(LORA)
    button = page.get_by_role("button", name="Reveal all answers")
    total = page.locator("article details.answer").count()
    button.click()
    assert len(page.evaluate(OPEN_ANSWERS)) == total == 5
    page.get_by_role("button", name="Hide all answers").click()
    assert page.evaluate(OPEN_ANSWERS) == []
    watched.assert_clean()


def test_printing_shows_every_answer(watched):
    page = watched.page
    page.goto(LORA)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert len(page.evaluate(OPEN_ANSWERS)) == 5
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(OPEN_ANSWERS) == []


def test_stale_link_to_a_question_finds_its_current_page(watched):
    page = watched.page
    response = page.goto("an-old-page-that-moved/#lora-rank")
    assert response.status == 404  # served like GitHub Pages: the site's 404.html
    page.wait_for_url("**/" + LORA + "#lora-rank")
    page.wait_for_function(f"{OPEN_ANSWERS}.includes('lora-rank')")
    watched.assert_clean(expected_404="an-old-page-that-moved/")


def test_not_found_page_offers_home_and_search(watched, base_url):
    page = watched.page
    page.goto("old/grouped-query-attention/")
    page.get_by_role("heading", name="Page not found").wait_for()
    page.get_by_role("button", name="Search the questions").click()
    assert page.locator(".md-search__input").input_value() == "grouped query attention"
    result = page.locator(".md-search-result__item a.md-search-result__link[href*='#grouped-query-attention']").first
    result.wait_for()
    page.goto("old/grouped-query-attention/")
    page.get_by_role("link", name="All questions, by theme").click()
    page.wait_for_url(base_url)
    watched.assert_clean(expected_404="old/grouped-query-attention/")


def test_run_it_link_opens_the_notebook_with_its_math(watched):
    page = watched.page
    open_for_instant_navigation(page, LORA + "#lora-zero-init")
    page.wait_for_function(f"{OPEN_ANSWERS}.includes('lora-zero-init')")
    page.evaluate("window.__sameDocument = true")
    page.locator("#lora-zero-init + details a[href*='notebooks/lora-low-rank-update']").click()
    page.wait_for_url("**/notebooks/lora-low-rank-update/")
    assert page.evaluate("window.__sameDocument") is True
    wait_for_math(page)
    assert page.evaluate("document.querySelectorAll('.jupyter-wrapper mjx-container').length") > 5
    assert page.evaluate("[...document.querySelectorAll('.arithmatex')].every(el => el.querySelectorAll('mjx-container').length === 1)")
    assert page.locator("a.qa-download[download]").get_attribute("href").endswith("lora-low-rank-update.ipynb")
    watched.assert_clean()
