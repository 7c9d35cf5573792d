"""Study decks: the questions as an Anki deck (.apkg) and as CSV and JSON, written to decks/ after the build (the
home page's study panel, written by hooks/study.py, links them).

- One Anki note per question: front = the question, back = the short answer and a link to the full answer; tagged
  with its theme and its level (core or advanced). Formulas stay TeX in \\( \\) delimiters, which Anki's own MathJax renders (desktop and mobile).
  The note's GUID is derived from the question id, and the note type and deck ids are fixed, so importing a newer
  deck updates the cards already imported instead of adding copies.
- CSV and JSON: id, theme, level, question, short answer and URL of every question, in navigation order; formulas as the
  readable text search results show (hooks/formula_text.py). JSON adds the short answer with its TeX.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import genanki

from model import SITE, plain_text

DECKS_DIR = "decks"
BASENAME = "llm-interview-qa"
FIELDS = ("id", "theme", "level", "question", "short_answer", "url")  # CSV; JSON adds "short_answer_tex"

# Fixed for good: Anki matches an imported note type and deck by these ids (and each note by its GUID).
MODEL_ID = 1_734_019_251
DECK_ID = 1_734_019_252
DECK_NAME = "LLM Training & Fine-tuning — Interview Q&A"
TAG_ROOT = "llm-interview-qa"

MODEL = genanki.Model(
    MODEL_ID,
    "LLM Interview Q&A",
    fields=[{"name": "Question"}, {"name": "ShortAnswer"}, {"name": "URL"}],
    templates=[
        {
            "name": "Question → answer",
            "qfmt": '<div class="question">{{Question}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{ShortAnswer}}</div>'
            '<p class="link"><a href="{{URL}}">Full answer on the site</a></p>',
        }
    ],
    css=".card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.45; text-align: left; }\n"
    ".question { font-weight: 600; }\n.link { font-size: 16px; }\n",
)

def rows(site_url: str) -> list[dict[str, str]]:
    """One row per question, in navigation order: the content of every deck and export."""
    return [
        {
            "id": q.id,
            "theme": SITE.section_of(q.src_uri) or SITE.pages[q.src_uri].title,
            "level": q.level,
            "question": q.title,
            "short_answer": plain_text(q.short_answer),
            "url": site_url + SITE.urls[q.id],
            "short_answer_tex": plain_text(q.short_answer, formula=anki_math),
        }
        for q in SITE.questions()
    ]


def anki_math(tex: str) -> str:
    """A formula as Anki's MathJax reads it."""
    return f"\\({tex.strip()}\\)"


def theme_tag(theme: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", theme.lower().replace("&", " and ")).strip("-")
    return f"{TAG_ROOT}::{slug}"


def level_tag(level: str) -> str:
    return f"{TAG_ROOT}::level::{level}"


def write_apkg(questions: list[dict[str, str]], path: Path, timestamp: float | None = None) -> None:
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for row in questions:
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[html.escape(row[key], quote=key == "url") for key in ("question", "short_answer_tex", "url")],
                guid=genanki.guid_for(row["id"]),
                tags=[theme_tag(row["theme"]), level_tag(row["level"])],
            )
        )
    genanki.Package(deck).write_to_file(str(path), timestamp=timestamp)


def write_csv(questions: list[dict[str, str]], path: Path) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(questions)
    path.write_text(out.getvalue(), encoding="utf-8")


def on_post_build(config):
    out = Path(config.site_dir) / DECKS_DIR
    out.mkdir(parents=True, exist_ok=True)
    questions = rows(config.site_url or "")
    write_apkg(questions, out / f"{BASENAME}.apkg")
    write_csv(questions, out / f"{BASENAME}.csv")
    (out / f"{BASENAME}.json").write_text(json.dumps(questions, ensure_ascii=False, indent=1), encoding="utf-8")
