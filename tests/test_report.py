"""Report a problem: with the repository GitHub Actions names given to the build, every answer ends with a link to a
new issue in that repository, prefilled with the question's id, title and permanent address; without it, no link."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from conftest import PLANTED, PLANTED_REPOSITORY, Watched

LORA = "fine-tuning/lora-and-qlora/"


def answers(site):
    """{question id: its answer's <details>} on every question page of a built site."""
    found = {}
    for path in site.rglob("index.html"):
        for details in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("article details.answer"):
            found[details.find_previous_sibling("h2")["id"]] = (details, path)
    return found


def test_a_build_not_told_its_repository_shows_no_report_link(site_dir):
    if os.environ.get("GITHUB_REPOSITORY"):  # GitHub Actions names it: the links are checked below on that build
        assert all(d.select_one(".qa-report a") for d, _ in answers(site_dir).values())
        return
    assert not any(d.select(".qa-report") for d, _ in answers(site_dir).values())


def test_each_answer_reports_to_the_repository_the_build_was_given(variant_site):
    url, site = variant_site
    repository, server = PLANTED_REPOSITORY
    found = answers(site)
    assert PLANTED in found and len(found) > 30
    for qid, (details, _) in found.items():
        links = details.select(".qa-report a")
        assert len(links) == 1, f"{qid}: {len(links)} report links"
        title = details.find_previous_sibling("h2").find(string=True, recursive=False).strip()
        address = urlsplit(links[0]["href"])
        assert f"{address.scheme}://{address.netloc}{address.path}" == f"{server}/{repository}/issues/new"
        query = parse_qs(address.query)
        assert qid in query["title"][0] and title in query["title"][0], query["title"]
        body = query["body"][0]
        assert f"Id: {qid}\n" in body and f"Permanent address: {url}q/{qid}/\n" in body and title in body
        assert links[0]["aria-label"] == f"Report a problem with this answer: {title}"
        assert details.select_one(".qa-permalink").find_next_sibling() is links[0].parent, "after the permalink"


def test_the_report_link_is_reachable_by_keyboard_and_passes_axe(browser, variant_site):
    url, _ = variant_site
    context = browser.new_context(base_url=url)
    watched = Watched(context.new_page(), url.rstrip("/"))
    page = watched.page
    page.goto(LORA + "#lora-matrices")
    link = page.locator("#lora-matrices + details .qa-report a")
    link.wait_for()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.qa-report') !== null"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == link.get_attribute("aria-label")
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    watched.assert_clean()
    context.close()
