"""The content model: every question on the site, read from docs/ by the same code the build uses."""

import pytest
import model as qa
from conftest import ROOT, site_sources

SOURCE = ROOT.parent / "shared" / "content" / "llm-training-interview-qa.md"


@pytest.fixture(scope="module")
def site():
    sources = site_sources()
    return qa.collect(sources)


@pytest.fixture(scope="module")
def questions(site):
    return [q for page in site.values() for q in page.questions]


def test_the_original_thirty_and_more(questions):
    assert len(questions) >= 30


def test_ids_unique_and_well_formed(questions):
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)
    assert all(qa.ID_FORM.match(i) and len(i) <= 40 for i in ids), ids


def test_every_question_has_an_answer(questions):
    assert all(len(q.answer.split()) >= 20 for q in questions), [q.id for q in questions if len(q.answer.split()) < 20]


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source document is outside this repository")
def test_every_source_question_is_on_the_site(questions):
    """Nothing of the source is lost: each of its questions is on the site (wording may be cleaned); a question
    retitled because its premise was wrong quotes its original title in its correction note."""
    source_titles = [line[4:].strip() for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.startswith("### ")]

    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    site_titles = {norm(q.title) for q in questions}
    notes = [norm(note) for q in questions for note in q.corrections]
    assert len(source_titles) == 30
    missing = [t for t in source_titles if norm(t) not in site_titles and not any(norm(t) in n for n in notes)]
    assert missing == []


# One spelling per concept across pages and notebooks (the notation table on the home page).
NOTATION = {
    r"\pi_{ref}": r"\pi_{\text{ref}}",
    r"\pi_{\rm ref}": r"\pi_{\text{ref}}",
    r"\pi_{\mathrm{ref}}": r"\pi_{\text{ref}}",
    r"\pi_{SFT}": r"\pi_{\text{ref}} (the SFT model)",
    r"\mathbb{D}_{KL}": r"\mathrm{KL}",
}


def test_notation_is_consistent():
    import json

    texts = {f"docs/{uri}": text for uri, text in site_sources().items() if text}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[f"notebooks/{path.name}"] = "".join("".join(c["source"]) for c in cells)
    found = [f"{name}: {wrong!r} (write {right!r})" for name, text in texts.items() for wrong, right in NOTATION.items() if wrong in text]
    assert found == []
