"""Share one answer: q/<id>/ pages read by a real link-preview parser, the copy-link button, ids that never
break (aliases), and addresses that are untrusted input."""

from __future__ import annotations

import json
import re

import extruct
import pytest
from conftest import RENAMED, Watched, site_sources
from reader import OPEN_ANSWERS, assert_really_visible, wait_for_open_answer

import model

LORA = "fine-tuning/lora-and-qlora/"


@pytest.fixture(scope="module")
def questions():
    return {q.id: q for page in model.collect(site_sources()).values() for q in page.questions}


def preview(html: str, url: str) -> dict[str, str]:
    """What a chat app's link preview reads: Open Graph properties, as extruct parses them."""
    data = extruct.extract(html, base_url=url, syntaxes=["opengraph"], uniform=True)["opengraph"]
    assert len(data) == 1, data
    return data[0]


def test_every_permalink_previews_as_its_question(site_dir, questions):
    # The short answer as plain text, formulas linearised from their MathML: as the JSON export has it.
    exported = {row["id"]: row["short_answer"] for row in json.loads((site_dir / "decks" / "llm-interview-qa.json").read_text(encoding="utf-8"))}
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    site_url = re.search(r"<loc>(http://[^<]+?/)</loc>", sitemap)[1]
    assert "/q/" not in sitemap, "permalink pages must stay out of the sitemap"
    for qid, question in questions.items():
        path = site_dir / "q" / qid / "index.html"
        assert path.is_file(), f"no permalink page for {qid}"
        html = path.read_text(encoding="utf-8")
        url = f"{site_url}q/{qid}/"
        og = preview(html, url)
        short = exported[qid]
        assert og["og:title"] == question.title
        assert og["og:description"] == short and short, (qid, og.get("og:description"))
        assert og["og:url"] == url
        assert og.get("og:type", og.get("@type")) == "article" and og["og:site_name"]
        head = html.split("</head>")[0]
        assert f"<title>{question.title.replace('&', '&amp;')} — " in head.replace("&#x27;", "'")
        assert '<meta name="robots" content="noindex' in head
        assert '<meta name="twitter:card" content="summary' in head
        assert re.search(r'<meta name="description" content="[^"]+">', head)
        assert re.search(r'<meta http-equiv="refresh" content="0; url=[^"]+#' + qid + '">', head)
        assert "location.replace" in head
        assert re.search(r'<a href="[^"]+#' + qid + '">', html), "no visible link for readers without JavaScript"


def test_each_answer_shows_its_permalink(site_dir, questions):
    html = (site_dir / LORA / "index.html").read_text(encoding="utf-8")
    for qid in ("lora-matrices", "lora-rank", "qlora"):
        assert re.search(rf'<p class="qa-permalink"[^>]*>[^<]*<a href="\.\./\.\./q/{qid}/">http://[^<]+/q/{qid}/</a>', html), qid


def test_copy_link_copies_the_permalink(watched, base_url):
    page = watched.page
    page.goto(LORA + "?h=lora")
    button = page.locator("#qlora .qa-copy-link")
    assert_really_visible(button, "the copy-link button")
    button.click()
    page.get_by_text("Copied to clipboard").wait_for()  # Material announces the copy once it is done
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}q/qlora/"
    watched.assert_clean()


def test_copy_link_works_from_the_keyboard(watched, base_url):
    page = watched.page
    page.goto("llms/attention-and-decoding/")
    page.locator("#rope .qa-copy-link").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Copied to clipboard").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}q/rope/"
    watched.assert_clean()


HOSTILE_FRAGMENTS = [
    "#%E0%A4%A",  # a malformed percent-escape ("URI malformed")
    "#no-such-question",
    "#" + "a" * 5000,
    "#%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "#<script>alert(1)</script>",
]


@pytest.mark.parametrize("where", [LORA, "an-old-page/", "q/lora-rank/"])
def test_hostile_addresses_break_nothing(watched, base_url, where):
    page = watched.page
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    for fragment in HOSTILE_FRAGMENTS:
        page.goto("about:blank")  # each address loads a new document
        page.goto(where + fragment)
        page.wait_for_load_state("load")
        # Search still works.
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").fill("kv")
        page.locator(".md-search__input").press("Space")
        page.locator(".md-search-result__item").first.wait_for()
        page.keyboard.press("Escape")
        if where == LORA:
            page.get_by_role("button", name="Reveal all answers").click()
            assert len(page.evaluate(OPEN_ANSWERS)) == page.locator("article details.answer").count()
    watched.assert_clean(expected_404="an-old-page/")


# --- Published ids: aliases work everywhere an id does (conftest's variant site renames one question) ----------
@pytest.fixture(scope="module")
def renamed_site(variant_site):
    return variant_site[0]


@pytest.mark.parametrize("start", ["q/lora-rank/", LORA + "#lora-rank", "llms/attention-and-decoding/#lora-rank", "gone/#lora-rank"])
def test_an_alias_lands_on_the_renamed_question(browser, renamed_site, start):
    context = browser.new_context(base_url=renamed_site)
    watched = Watched(context.new_page(), renamed_site.rstrip("/"))
    page = watched.page
    page.goto(start)
    page.wait_for_url(f"**/{LORA}#{RENAMED[1]}")
    wait_for_open_answer(page, RENAMED[1])
    assert page.evaluate(OPEN_ANSWERS) == [RENAMED[1]]
    watched.assert_clean(expected_404="gone/")
    context.close()
