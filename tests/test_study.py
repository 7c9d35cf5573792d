"""Study mode: the Anki deck in a real Anki collection, the CSV and JSON exports, and marks, progress, the review
filter, Quiz me and Reset in real Chromium against the built site."""

from __future__ import annotations

import csv
import html
import json
import re
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT
from reader import TEX_SOURCE, open_for_instant_navigation, question_addresses
from test_browser import wait_for_math

import decks

LORA = "fine-tuning/lora-and-qlora/"
# The LoRA page's questions in page order, from the question model (the page grows and shrinks with the content).
LORA_IDS = [qid for qid, address in question_addresses().items() if address.startswith(LORA + "#")]
N = len(LORA_IDS)
TOTAL = len(question_addresses())  # every question on the site, counted by the question model
DECK = f"decks/{decks.BASENAME}"
KEY = "qa-study"


# ---------------------------------------------------------------------------------------------------------------
# Decks and exports
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported(site_dir) -> list[dict[str, str]]:
    return json.loads((site_dir / f"{DECK}.json").read_text(encoding="utf-8"))


def import_package(collection, path):
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    return collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(path)))


def test_anki_deck_imports_one_note_per_question_and_reimports_as_updates(site_dir, exported, tmp_path):
    from anki.collection import Collection

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(collection, site_dir / f"{DECK}.apkg")
        assert collection.note_count() == TOTAL
        by_guid = {decks.genanki.guid_for(row["id"]): row for row in exported}
        for note_id in collection.find_notes(""):
            note = collection.get_note(note_id)
            row = by_guid[note.guid]  # each note's GUID is derived from its question's id
            question, answer, url = (html.unescape(field) for field in note.fields)
            assert question == row["question"] and answer == row["short_answer_tex"] and url == row["url"]
            assert len(answer.split()) >= 5, f"{row['id']}: no short answer on the back of the card"
            assert sorted(note.tags) == sorted([decks.theme_tag(row["theme"]), decks.level_tag(row["level"])])
        themes = {r["theme"] for r in exported}
        assert sum(len(collection.find_notes(f'"tag:{decks.theme_tag(t)}"')) for t in themes) == TOTAL

        # The same deck again, then a newer build with changed answers: the notes are updated, never duplicated.
        import_package(collection, site_dir / f"{DECK}.apkg")
        assert collection.note_count() == TOTAL
        newer = [{**row, "short_answer_tex": f"Revised: {row['short_answer_tex']}"} for row in exported]
        decks.write_apkg(newer, tmp_path / "newer.apkg", timestamp=time.time() + 3600)
        log = import_package(collection, tmp_path / "newer.apkg").log
        assert (len(log.new), len(log.updated)) == (0, TOTAL)
        assert collection.note_count() == TOTAL
        answers = [collection.get_note(n).fields[1] for n in collection.find_notes("")]
        assert all(answer.startswith("Revised: ") for answer in answers)
    finally:
        collection.close()


ANKI_MATH = re.compile(r"\\\((.+?)\\\)")


def test_cards_keep_tex_for_anki_and_exports_read_formulas_as_text(site_dir, exported, tmp_path):
    """Anki renders math itself (its MathJax reads \\( \\)), so a card keeps the formula's TeX in those delimiters; the
    CSV and JSON read as the search results do ("ΔW = BA = 0"), with no TeX source anywhere."""
    from anki.collection import Collection

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(collection, site_dir / f"{DECK}.apkg")
        backs = {}
        for note_id in collection.find_notes(""):
            note = collection.get_note(note_id)
            backs[note.guid] = html.unescape(note.fields[1])
    finally:
        collection.close()
    zero_init = backs[decks.genanki.guid_for("lora-zero-init")]
    assert r"\(\Delta W = BA = 0\)" in zero_init, zero_init
    with_math = 0
    for guid, back in backs.items():
        outside = ANKI_MATH.sub(" ", back)
        assert not TEX_SOURCE.search(outside), f"TeX outside Anki's delimiters: {back}"
        with_math += bool(ANKI_MATH.search(back))
    assert with_math >= 5
    rows = {row["id"]: row for row in exported}
    assert "ΔW = BA = 0" in rows["lora-zero-init"]["short_answer"]
    csv_text = (site_dir / f"{DECK}.csv").read_text(encoding="utf-8")
    for row in exported:
        found = TEX_SOURCE.search(row["short_answer"] + row["question"])
        assert not found, f"{row['id']}: TeX in the export: {row['short_answer']}"
    assert not TEX_SOURCE.search(csv_text), "TeX in the CSV export"


def question_ids_in(html_path) -> set[str]:
    """Ids of the question headings on a built page: an <h2 id> followed by its answer."""
    html = html_path.read_text(encoding="utf-8")
    return set(re.findall(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>.*?</h2>\s*<details class="answer">', html))


def test_csv_and_json_exports_list_every_question_with_a_working_url(site_dir, exported):
    with open(site_dir / f"{DECK}.csv", newline="", encoding="utf-8") as handle:
        from_csv = list(csv.DictReader(handle))
    assert from_csv == [{key: row[key] for key in decks.FIELDS} for row in exported]
    assert len(exported) == TOTAL and len({row["id"] for row in exported}) == TOTAL
    site_url = re.search(r"<loc>(http://[^<]+?/)</loc>", (site_dir / "sitemap.xml").read_text())[1]
    for row in exported:
        assert list(row) == [*decks.FIELDS, "short_answer_tex"] and all(row.values()), row
        assert row["url"].startswith(site_url), row["url"]
        address = urlsplit(row["url"])
        page = site_dir / address.path.lstrip("/") / "index.html"
        assert page.is_file(), f"{row['id']}: {row['url']} is no built page"
        assert address.fragment == row["id"] and row["id"] in question_ids_in(page), row["url"]
    nav_sections = set(re.findall(r"^  - ([^:\n]+):\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M))
    assert {row["theme"] for row in exported} <= nav_sections and len({row["theme"] for row in exported}) >= 3
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    for ext in ("apkg", "csv", "json"):
        assert f'href="{DECK}.{ext}"' in home, f"the home page does not link the .{ext} export"


# ---------------------------------------------------------------------------------------------------------------
# In the browser
# ---------------------------------------------------------------------------------------------------------------
VISIBLE_QUESTIONS = "[...document.querySelectorAll('article h2')].filter(h => h.checkVisibility()).map(h => h.id)"
VISIBLE_TOC = (
    "[...document.querySelectorAll('.md-nav--secondary a.md-nav__link')].filter(a => a.checkVisibility())"
    ".map(a => a.hash.slice(1))"
)
PRESSED = (
    "Object.fromEntries([...document.querySelectorAll('.qa-study-marks')].map(g => [g.dataset.qaStudyId, "
    "[...g.querySelectorAll('[aria-pressed=true]')].map(b => b.dataset.mark).join()]).filter(([, m]) => m))"
)


def mark(page, qid, which):
    page.locator(f".qa-study-marks[data-qa-study-id='{qid}'] .qa-study-mark--{which}").click()


def progress(page) -> str:
    return page.locator(".qa-study-progress").inner_text()


def home_counts(page) -> dict[str, str]:
    counts = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('[data-qa-study-ids]')].map(li => "
        "[li.querySelector('.qa-study-theme').textContent, li.querySelector('.qa-study-count').textContent]))"
    )
    return {**counts, "overall": page.locator(".qa-study-overall").inner_text()}


def store(page, value: str):
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, value])


def stored(page):
    raw = page.evaluate("key => localStorage.getItem(key)", KEY)
    return None if raw is None else json.loads(raw)


def test_marks_are_labelled_toggles_reachable_from_the_keyboard(watched):
    page = watched.page
    page.goto(LORA)
    toggles = page.locator(".qa-study-marks[data-qa-study-id='lora-rank'] button")
    assert toggles.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))") == [
        "Got it: What rank should you use for LoRA?",
        "Review again: What rank should you use for LoRA?",
    ]
    assert toggles.evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed'))") == ["false", "false"]
    toggles.first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(PRESSED) == {"lora-rank": "known"}
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.evaluate(PRESSED) == {"lora-rank": "review"}, "Review again replaces Got it"
    page.keyboard.press("Space")
    assert page.evaluate(PRESSED) == {}, "pressing a pressed mark clears it"
    assert stored(page) is None
    watched.assert_clean()


def theme_counts(exported, known: dict[str, int]) -> dict[str, str]:
    """What the home page's panel should say per theme, with `known` marked questions in some themes."""
    sizes = Counter(row["theme"] for row in exported)
    return {theme: f"{known.get(theme, 0)} of {n} known" for theme, n in sizes.items()}


def test_marks_and_progress_survive_reload_and_instant_navigation(watched, base_url, exported):
    page = watched.page
    open_for_instant_navigation(page, LORA)
    assert progress(page) == f"0 of {N} known"
    mark(page, "lora-rank", "known")
    mark(page, "qlora", "known")
    mark(page, "lora-matrices", "review")
    expected = {"lora-rank": "known", "qlora": "known", "lora-matrices": "review"}
    assert page.evaluate(PRESSED) == expected
    assert progress(page) == f"2 of {N} known"
    assert stored(page) == {"v": 1, "marks": expected, "filter": False}

    with page.expect_response("**/sitemap.xml"):
        page.reload()
    assert page.evaluate(PRESSED) == expected and progress(page) == f"2 of {N} known"

    page.evaluate("window.__sameDocument = true")
    page.locator(".md-header a.md-logo").click()
    page.wait_for_url(base_url)
    page.wait_for_selector(".qa-study-actions")
    assert home_counts(page) == {**theme_counts(exported, {"Fine-tuning & PEFT": 2}), "overall": f"2 of {TOTAL} known overall"}
    page.locator("article a[href$='lora-and-qlora/#lora-zero-init']").click()
    page.wait_for_url(f"**/{LORA}#lora-zero-init")
    page.wait_for_function(f"document.querySelectorAll('.qa-study-marks').length === {N}")
    assert page.evaluate("window.__sameDocument") is True, "a link did a full reload, not instant navigation"
    assert page.evaluate(PRESSED) == expected and progress(page) == f"2 of {N} known"
    page.go_back()
    page.wait_for_selector(".qa-study-actions")
    assert home_counts(page)["overall"] == f"2 of {TOTAL} known overall"
    assert page.evaluate("window.__sameDocument") is True
    watched.assert_clean()


def test_review_filter_hides_exactly_the_known_questions_and_their_toc_entries(watched):
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})  # the table of contents is shown beside the page
    page.goto(LORA)
    mark(page, "lora-rank", "known")
    mark(page, "qlora", "known")
    mark(page, "lora-matrices", "review")
    assert page.evaluate(VISIBLE_QUESTIONS) == page.evaluate(VISIBLE_TOC) == LORA_IDS
    filter_button = page.locator(".qa-study-filter")
    filter_button.click()
    shown = [qid for qid in LORA_IDS if qid not in ("lora-rank", "qlora")]
    assert page.evaluate(VISIBLE_QUESTIONS) == page.evaluate(VISIBLE_TOC) == shown
    assert page.locator("article details.answer:visible").count() == len(shown)
    assert filter_button.get_attribute("aria-pressed") == "true"
    assert page.locator(".qa-study-hidden-note").inner_text() == "2 questions you marked “Got it” are hidden."
    assert progress(page) == f"2 of {N} known"

    mark(page, "lora-zero-init", "known")  # hidden at once; the focus moves on to a question still shown
    shown.remove("lora-zero-init")
    assert page.evaluate(VISIBLE_QUESTIONS) == shown
    assert page.evaluate("document.activeElement.checkVisibility()")
    page.reload()  # the filter stays on
    assert page.evaluate(VISIBLE_QUESTIONS) == page.evaluate(VISIBLE_TOC) == shown

    page.emulate_media(media="print")  # printing shows every question, without the study controls
    assert page.evaluate(VISIBLE_QUESTIONS) == LORA_IDS
    assert page.locator(".qa-study-marks:visible, .qa-study-toolbar:visible").count() == 0
    page.emulate_media(media="screen")

    filter_button.click()
    assert page.evaluate(VISIBLE_QUESTIONS) == page.evaluate(VISIBLE_TOC) == LORA_IDS
    assert page.locator(".qa-study-hidden-note").inner_text() == ""
    watched.assert_clean()


def test_quiz_me_opens_an_unknown_question_with_its_answer_collapsed(watched, exported):
    page = watched.page
    unknown = {"kv-cache", "lora-rank", "why-ppo"}
    page.goto("")
    store(page, json.dumps({"v": 1, "marks": {r["id"]: "known" for r in exported if r["id"] not in unknown}}))
    open_for_instant_navigation(page)
    landed = []
    for _ in range(6):  # from the home page and from each question page's toolbar
        before = page.url
        page.locator(".qa-study-quiz").first.click()
        page.wait_for_function("before => location.href !== before && location.hash.length > 1 && !location.search", arg=before)
        qid = page.evaluate("location.hash.slice(1)")
        assert qid in unknown, f"Quiz me opened {qid}, a question marked Got it"
        assert page.evaluate("id => document.getElementById(id).nextElementSibling.open", qid) is False
        assert page.evaluate("id => document.activeElement.id", qid) == qid
        box = page.locator(f"#{qid}").bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert header["height"] <= box["y"] < page.viewport_size["height"] / 2, "the question is not in view"
        landed.append(qid)
    assert all(a != b for a, b in zip(landed, landed[1:])), f"the same question twice in a row: {landed}"

    store(page, json.dumps({"v": 1, "marks": {r["id"]: "known" for r in exported}}))
    page.locator(".qa-study-quiz").first.click()
    assert "You know every question" in page.locator(".qa-study-message").first.inner_text()
    watched.assert_clean()


def test_reset_clears_every_mark_after_confirmation(watched, exported):
    page = watched.page
    page.goto(LORA)
    mark(page, "lora-rank", "known")
    mark(page, "qlora", "review")
    page.locator(".qa-study-filter").click()
    page.goto("")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator(".qa-study-reset").click()
    assert home_counts(page)["overall"] == f"1 of {TOTAL} known overall", "reset without confirmation"
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator(".qa-study-reset").click()
    assert dialogs and "every question" in dialogs[0]
    assert home_counts(page) == {**theme_counts(exported, {}), "overall": f"0 of {TOTAL} known overall"}
    assert stored(page) is None
    page.goto(LORA)
    assert page.evaluate(PRESSED) == {} and progress(page) == f"0 of {N} known"
    assert page.evaluate(VISIBLE_QUESTIONS) == LORA_IDS
    watched.assert_clean()


HUGE = json.dumps({"v": 1, "marks": {f"q{i}": "known" for i in range(50_000)}})


@pytest.mark.parametrize(
    "raw, kept",
    [
        ("{not json", None),
        ("null", None),
        ("[]", None),
        ('"lora-rank"', None),
        ('{"v": 2, "marks": {"lora-rank": "known"}}', None),  # a future or foreign format
        ('{"v": 1, "marks": ["lora-rank"]}', None),
        ('{"v": 1, "marks": {"lora-rank": 1, "qlora": {"x": 1}, "lora-matrices": "known"}, "filter": "yes"}',
         {"v": 1, "marks": {"lora-matrices": "known"}, "filter": False}),
        ('{"v": 1, "marks": {"__proto__": "known", "constructor": "known", "<img src=x onerror=alert(1)>": "known"}}', None),
        ('{"v": 1, "marks": {"no-such-question": "known", "qlora": "review"}}', {"v": 1, "marks": {"qlora": "review"}, "filter": False}),
        ("x" * 1_000_000, None),
        (HUGE, None),
    ],
    ids=["invalid-json", "null", "array", "string", "other-version", "marks-array", "wrong-types", "hostile-keys",
         "unknown-id", "huge-garbage", "huge-valid"],
)
def test_garbage_in_local_storage_is_dropped_without_breaking_a_page(watched, raw, kept):
    page = watched.page
    page.goto("")
    store(page, raw)
    want = json.dumps(kept, separators=(",", ":")) if kept else None
    for path in (LORA, ""):
        page.goto(path)
        page.wait_for_function("document.querySelector('.qa-study-progress, .qa-study-actions')")
        # Malformed data is dropped at once; ids that are no question's once the list of questions has loaded.
        page.wait_for_function("([key, want]) => localStorage.getItem(key) === want", arg=[KEY, want])
    assert stored(page) == kept
    known = 1 if kept and "lora-matrices" in kept["marks"] else 0
    assert home_counts(page)["overall"] == f"{known} of {TOTAL} known overall"
    page.goto(LORA)
    assert page.evaluate(VISIBLE_QUESTIONS) == LORA_IDS
    assert page.locator(".qa-study-marks").count() == N
    watched.assert_clean()


def test_an_old_id_is_carried_over_to_the_question_it_became(watched, site_dir):
    page = watched.page
    addresses = json.loads((site_dir / "q" / "index.json").read_text())
    addresses["lora-rank-old"] = addresses["lora-rank"]  # as published-ids.yml would declare an alias
    page.route("**/q/index.json", lambda route: route.fulfill(json=addresses))
    page.goto("")
    store(page, json.dumps({"v": 1, "marks": {"lora-rank-old": "known"}}))
    page.goto(LORA)
    page.wait_for_function(f"document.querySelector('.qa-study-progress').textContent === '1 of {N} known'")
    assert page.evaluate(PRESSED) == {"lora-rank": "known"}
    assert stored(page) == {"v": 1, "marks": {"lora-rank": "known"}, "filter": False}
    watched.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_with_marks_and_the_filter_on(watched, scheme):
    page = watched.page
    page.emulate_media(color_scheme=scheme)
    page.goto("")
    store(page, json.dumps({"v": 1, "marks": {"lora-rank": "known", "qlora": "review", "kv-cache": "known"}, "filter": True}))
    found = []
    for path in ("", LORA):
        page.goto(path)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
        page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
        wait_for_math(page)
        for violation in Axe().run(page).response["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            found.append(f"{path or '/'} [{scheme}] {violation['id']}: {violation['help']} — {targets[:5]}")
    assert page.evaluate(VISIBLE_QUESTIONS) == [qid for qid in LORA_IDS if qid != "lora-rank"]
    assert found == [], "\n".join(found)
    watched.assert_clean()
