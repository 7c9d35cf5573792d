"""What a reader sees, in real Chromium against the built site on 127.0.0.1."""

from conftest import site_sources
from reader import OPEN_ANSWERS, assert_really_visible, open_for_instant_navigation

import model

LORA = "fine-tuning/lora-and-qlora/"
ATTENTION = "llms/attention-and-decoding/"

LORA_QUESTIONS = sum(1 for q in model.collect(site_sources())["fine-tuning/lora-and-qlora.md"].questions)


def wait_for_math(page):
    """Formulas are HTML from the build (hooks/render_math.py): present as soon as the content is, nothing to wait
    for; fails if a formula is not rendered math."""
    assert page.evaluate("[...document.querySelectorAll('.arithmatex')].every(el => el.querySelector('mjx-container'))")


# Links that open answers: tests/test_links.py (every question); search: tests/test_search.py.


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


def test_reveal_all_opens_and_hides_every_answer(watched):
    page = watched.page
    page.goto(LORA)
    button = page.get_by_role("button", name="Reveal all answers")
    assert_really_visible(button, "the reveal-all button")
    total = page.locator("article details.answer").count()
    assert total == LORA_QUESTIONS
    button.click()
    assert len(page.evaluate(OPEN_ANSWERS)) == total
    page.get_by_role("button", name="Hide all answers").click()
    assert page.evaluate(OPEN_ANSWERS) == []
    watched.assert_clean()


def test_printing_shows_every_answer_and_no_controls(watched):
    page = watched.page
    page.goto(LORA)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert len(page.evaluate(OPEN_ANSWERS)) == LORA_QUESTIONS
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('.qa-copy-link, .qa-reveal-all, .md-header, .md-sidebar, .md-footer')]
             .filter(el => getComputedStyle(el).display !== 'none').map(el => el.className)"""
    )
    assert hidden == [], f"shown in print: {hidden}"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.evaluate(OPEN_ANSWERS) == []
    watched.assert_clean()


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


def test_run_it_link_opens_the_notebook_with_its_math(watched, site_dir):
    page = watched.page
    open_for_instant_navigation(page, LORA + "#lora-zero-init")
    page.wait_for_function(f"{OPEN_ANSWERS}.includes('lora-zero-init')")
    page.evaluate("window.__sameDocument = true")
    page.locator("#lora-zero-init + details a[href*='notebooks/lora-low-rank-update']").click()
    page.wait_for_url("**/notebooks/lora-low-rank-update/")
    page.locator(".jupyter-wrapper").first.wait_for()  # the address changes before the new content is in place
    assert page.evaluate("window.__sameDocument") is True
    wait_for_math(page)
    built = (site_dir / "notebooks" / "lora-low-rank-update" / "index.html").read_text(encoding="utf-8")
    formulas = built.count('class="arithmatex"')
    assert formulas > 5
    assert page.evaluate("document.querySelectorAll('.jupyter-wrapper .arithmatex > mjx-container').length") == formulas
    assert page.evaluate("[...document.querySelectorAll('.arithmatex')].every(el => el.querySelectorAll('mjx-container').length === 1)")
    assert page.locator("a.qa-download[download]").get_attribute("href").endswith("lora-low-rank-update.ipynb")
    watched.assert_clean()
