"""Study mode's controls, written into the pages at build time so that nothing moves when a page appears; study.js
wires them to the reader's marks in localStorage (progress, review filter, Quiz me, Reset).

- On a question page: a toolbar under the title (progress, core progress, the review filter, the core-only filter,
  Quiz me) and, after each answer, "Got it" and "Review again", each labelled with its question.
- On the home page (<!-- study -->): progress per theme, overall and for the core questions, the core-only filter,
  Quiz me, Reset, and the decks (hooks/decks.py).
Kept out of the search index: they repeat on every question.
"""

from __future__ import annotations

import html

from decks import BASENAME, DECKS_DIR
from model import ANSWER_HTML, SITE
from offline import BANK_PDF, SHORT_ANSWERS_PDF, pdf_link

STUDY_MARKER = "<!-- study -->"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _quiz() -> str:
    return (
        '<button type="button" class="md-button qa-study-quiz" '
        'title="Open a random question you have not marked “Got it”">Quiz me</button>'
        '<span class="qa-study-message" role="status"></span>'
    )


def _core_filter() -> str:
    return (
        '<button type="button" class="md-button qa-study-core" aria-pressed="false" '
        'title="Hide the advanced questions (specialist or research roles)">Core questions only</button>'
    )


def toolbar(count: int, core: int) -> str:
    return (
        '<div class="qa-study-toolbar" data-search-exclude>'
        f'<p class="qa-study-progress" role="status">0 of {count} known</p>'
        f'<p class="qa-study-core-progress">0 of {core} core known</p>'
        '<button type="button" class="md-button qa-study-filter" aria-pressed="false">'
        "Show only questions to review</button>"
        f"{_core_filter()}"
        f"{_quiz()}"
        '<p class="qa-study-hidden-note" role="status"></p>'
        "</div>"
    )


def marks(qid: str, title: str) -> str:
    buttons = "".join(
        f'<button type="button" class="md-button qa-study-mark qa-study-mark--{mark}" data-mark="{mark}" '
        f'aria-pressed="false" aria-label="{label}: {_esc(title)}">{label}</button>'
        for mark, label in (("known", "Got it"), ("review", "Review again"))
    )
    return f'<div class="qa-study-marks" data-qa-study-id="{qid}" data-search-exclude>{buttons}</div>'


def on_page_content(html_text, page, config, files):
    questions = SITE.pages.get(page.file.src_uri)
    if not questions:
        return html_text
    titles = {q.id: q.title for q in questions.questions}
    html_text = ANSWER_HTML.sub(lambda m: m[0] + "\n" + marks(m["id"], titles.get(m["id"], m["id"])), html_text)
    # Under the title, after the reveal-all button (hooks/questions.py).
    anchor = "Reveal all answers</button>"
    where = html_text.find(anchor)
    where = where + len(anchor) if where != -1 else html_text.find("</h1>") + len("</h1>")
    core = sum(q.level == "core" for q in questions.questions)
    return html_text[:where] + "\n" + toolbar(len(titles), core) + html_text[where:]


def panel() -> str:
    """The home page's study panel: Markdown heading, then raw HTML in one block (Markdown leaves it as it is)."""
    themes = []
    for title, uris in SITE.sections:
        ids = [q.id for uri in uris for q in SITE.pages[uri].questions]
        themes.append(
            f'<li data-qa-study-ids="{_esc(" ".join(ids))}"><span class="qa-study-theme">{_esc(title or "Questions")}</span> '
            f'<span class="qa-study-count">0 of {len(ids)} known</span></li>'
        )
    total = len(SITE.questions())
    core = [q.id for q in SITE.questions() if q.level == "core"]
    base = f"{DECKS_DIR}/{BASENAME}"
    return "\n".join(
        [
            "## Study { #study }",
            "",
            f'<div class="qa-study-panel" data-qa-study-panel data-qa-study-total="{total}" '
            f'data-qa-study-core="{_esc(" ".join(core))}" data-search-exclude>',
            '<p>Mark questions “Got it” or “Review again” as you go: your marks stay in this browser. Each question '
            "is <strong>core</strong> (any LLM interview may ask it) or <strong>advanced</strong> (specialist or "
            "research roles).</p>",
            f'<p class="qa-study-overall" role="status">0 of {total} known overall</p>',
            f'<p class="qa-study-core-overall">0 of {len(core)} core questions known</p>',
            '<ul class="qa-study-themes">',
            *themes,
            "</ul>",
            f'<p class="qa-study-actions">{_core_filter()}{_quiz()}'
            '<button type="button" class="md-button qa-study-reset">Reset all marks</button></p>',
            '<p class="qa-study-decks">Take the questions with you: '
            f'<a href="{base}.apkg" download>Anki deck (.apkg)</a> · '
            f'<a href="{base}.csv" download>CSV</a> · <a href="{base}.json">JSON</a> · '
            f'{pdf_link("", BANK_PDF, "PDF of every answer")} · '
            f'{pdf_link("", SHORT_ANSWERS_PDF, "PDF of the short answers")}</p>',
            "</div>",
            "",
        ]
    )


def on_page_markdown(markdown, page, config, files):
    if STUDY_MARKER in markdown:
        markdown = markdown.replace(STUDY_MARKER, panel())
    return markdown
