"""Every answer is sourced, and the Corrections page is exactly the set of corrected answers."""

import re

import pytest
import model as qa
from conftest import site_sources

REFERENCE_LINK = re.compile(
    r"\]\((?:https://arxiv\.org/abs/\d{4}\.\d{4,5}(?:v\d+)?|https://doi\.org/10\.\d{4,9}/[^\s)]+)\)"
)
LABELS = ("**Corrected**", "**Qualified**", "**Sourced**")


@pytest.fixture(scope="module")
def questions():
    sources = site_sources()
    return [q for page in qa.collect(sources).values() for q in page.questions]


def test_every_answer_ends_with_references(questions):
    missing = [q.id for q in questions if not q.references]
    assert missing == [], f"answers without a **References** list: {missing}"


def test_every_reference_is_a_well_formed_arxiv_or_doi_link(questions):
    bad = [(q.id, ref) for q in questions for ref in q.references if not REFERENCE_LINK.search(ref)]
    assert bad == []


def test_every_change_is_labelled(questions):
    unlabelled = []
    for q in questions:
        for note in q.corrections:
            items = [line.strip() for line in note.splitlines() if line.startswith("- ")]
            assert items, f"{q.id}: empty correction note"
            unlabelled += [(q.id, item[:60]) for item in items if not item[2:].startswith(LABELS)]
    assert unlabelled == []


def test_corrections_page_lists_exactly_the_corrected_questions(site_dir, questions):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((site_dir / "corrections" / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = [a["href"].split("#")[1] for a in page.select("article h2 > a:not(.headerlink)")]
    corrected = [q.id for q in questions if q.corrections]
    assert sorted(listed) == sorted(corrected) and len(listed) == len(set(listed))
    assert len(corrected) >= 20
