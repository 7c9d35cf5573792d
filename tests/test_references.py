"""Every answer is sourced, and the Corrections page is exactly the set of corrected answers."""

import re

import pytest
import model as qa
from conftest import ROOT, site_sources

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


# ---------------------------------------------------------------------------------------------------------------
# Correction notes describe the original text only (../shared/content/llm-training-interview-qa.md)
# ---------------------------------------------------------------------------------------------------------------
ORIGINAL = ROOT.parent / "shared" / "content" / "llm-training-interview-qa.md"
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”')
# How a note recording this site's own history reads; the git history keeps those, the notes do not.
SITE_HISTORY = re.compile(
    r"\b(previous|earlier) (version|revision|edit|site version)|\bthe pointer (and reference )?said\b|\ban earlier\b",
    re.I,
)


def squeeze(text: str) -> str:
    """Text compared letter for letter: lower case, × as x, no spaces, punctuation or Markdown."""
    return re.sub(r"[\W_]+", "", text.lower().replace("×", "x"))


def original_sections() -> dict[str, str]:
    """{squeezed title: title and text} of the original's questions."""
    sections, title = {}, None
    for line in ORIGINAL.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            title = squeeze(line[4:])
            sections[title] = line[4:] + "\n"
        elif title:
            sections[title] += line + "\n"
    return sections


def section_of(question, sections: dict[str, str]) -> str | None:
    """The original's section for a question: same title, or (for a retitled question) the original title its
    correction note quotes."""
    if squeeze(question.title) in sections:
        return sections[squeeze(question.title)]
    quoted = {squeeze(a or b) for note in question.corrections for a, b in QUOTED.findall(note)}
    return next((sections[t] for t in sections if t in quoted), None)


@pytest.mark.skipif(not ORIGINAL.is_file(), reason="the original text is outside this repository")
def test_correction_notes_quote_only_what_the_original_says(questions):
    sections = original_sections()
    problems = []
    for q in questions:
        if not q.corrections:
            continue
        original = section_of(q, sections)
        if original is None:
            problems.append(f"{q.id}: has correction notes but no question of the original matches its title")
            continue
        whole = squeeze(original)
        for note in q.corrections:
            for a, b in QUOTED.findall(note):
                for piece in re.split(r"…|\.\.\.", a or b):
                    if squeeze(piece) and squeeze(piece) not in whole:
                        problems.append(f"{q.id}: quotes “{piece.strip()}”, which its question in the original does not say")
    assert problems == [], "\n".join(problems)


def test_correction_notes_do_not_record_this_sites_own_revisions(questions):
    found = [f"{q.id}: …{m.group()}…" for q in questions for note in q.corrections for m in SITE_HISTORY.finditer(note)]
    assert found == [], "a correction note describes an earlier revision of this site, not the original:\n" + "\n".join(found)
