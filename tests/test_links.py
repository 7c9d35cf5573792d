"""Links open their answer every time: a sweep over every question, in real Chromium against the built site.

(a) a direct load of page/#id, (b) instant navigation from the home list (rounds over every question, at least 90
navigations: the race it guards against failed 1 in 60), (c) a link from an answer on one page to a question on
another, one per pair of pages, (d) each question's permalink q/<id>/. In each case the answer
is open, it is the only one open, and the heading is in view.
"""

from __future__ import annotations

import re

import pytest
from reader import IN_VIEW, OPEN_ANSWERS, heading_in_view, open_for_instant_navigation, question_addresses, wait_for_open_answer


@pytest.fixture(scope="module")
def addresses() -> dict[str, str]:
    return question_addresses()


def assert_lands_on(page, qid: str, how: str):
    wait_for_open_answer(page, qid)
    assert page.evaluate(OPEN_ANSWERS) == [qid], f"{how}: open answers {page.evaluate(OPEN_ANSWERS)}"
    page.wait_for_function(IN_VIEW, arg=qid)
    assert heading_in_view(page, qid), f"{how}: the question is not in view"


def test_direct_load_of_every_question_opens_its_answer(watched, addresses):
    page = watched.page
    page.set_default_timeout(10_000)
    for qid, address in addresses.items():
        page.goto("about:blank")  # a new document each time, not a same-page jump
        page.goto(address)
        assert_lands_on(page, qid, f"direct load of {address}")
    watched.assert_clean()


NAVIGATIONS = 90


def test_instant_navigation_from_the_home_list_opens_every_answer_again_and_again(watched, addresses):
    page = watched.page
    page.set_default_timeout(10_000)
    open_for_instant_navigation(page)
    failures = []
    rounds = -(-NAVIGATIONS // len(addresses))
    for round_ in range(rounds):
        for qid, address in addresses.items():
            page.locator(f"article a[href$='#{qid}']").first.click()
            try:
                page.wait_for_url(re.compile(re.escape(address) + "$"))
                assert_lands_on(page, qid, f"round {round_ + 1}: home → {address}")
            except AssertionError as error:  # a timeout is an AssertionError subclass too in Playwright
                failures.append(str(error).splitlines()[0])
            except Exception as error:  # noqa: BLE001 — a wait that timed out: the answer never opened
                failures.append(f"round {round_ + 1}: home → {address}: {type(error).__name__}")
            page.locator("a.md-header__button.md-logo").click()  # back home, still instant
            page.wait_for_function("document.querySelector('article a[href$=\"#kv-cache\"]') !== null")
    assert page.evaluate("window.__sameDocument") is True, "a click did a full page load, not instant navigation"
    assert failures == [], f"{len(failures)} of {rounds * len(addresses)} navigations failed:\n" + "\n".join(failures)
    watched.assert_clean()


def test_links_between_answers_on_different_pages_open_their_answer(watched, addresses, base_url):
    page = watched.page
    page.set_default_timeout(10_000)
    pages = sorted({address.split("#")[0] for address in addresses.values()})
    checked = 0
    for start in pages:
        open_for_instant_navigation(page, start)
        # [href as written, address relative to the site root] of every link from an answer to a question elsewhere
        links = page.evaluate(
            """root => [...document.querySelectorAll('article details.answer a[href*="#"]')]
                 .filter(a => a.href.startsWith(root) && new URL(a.href).pathname !== location.pathname)
                 .map(a => [a.getAttribute('href'), a.href.slice(root.length)])""",
            base_url,
        )
        targets = set()  # one link to each other page is enough: the mechanism is the same for every link
        for href, address in sorted(set(map(tuple, links))):
            qid = address.split("#")[1]
            if addresses.get(qid) != address or address.split("#")[0] in targets:
                continue  # a notebook section or a permalink, not a question; or a page already reached
            targets.add(address.split("#")[0])
            open_for_instant_navigation(page, start)  # a fresh page with every answer closed
            page.evaluate("document.querySelectorAll('article details.answer').forEach(d => d.open = true)")
            page.locator(f"article details.answer a[href='{href}']").first.click()
            page.wait_for_url(re.compile(re.escape(address) + "$"))
            assert_lands_on(page, qid, f"{start} → {href}")
            assert page.evaluate("window.__sameDocument") is True
            checked += 1
    assert checked >= 10, f"only {checked} cross-page links between answers"
    watched.assert_clean()


def test_every_permalink_lands_on_its_open_answer(watched, addresses):
    page = watched.page
    page.set_default_timeout(10_000)
    for qid, address in addresses.items():
        page.goto(f"q/{qid}/")
        page.wait_for_url(re.compile(re.escape(address) + "$"))
        assert_lands_on(page, qid, f"q/{qid}/")
    watched.assert_clean()
