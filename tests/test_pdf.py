"""Offline copies: the short-answers page and the two PDFs `make pdf` prints from the built site (the whole bank; the
short answers), read back with poppler's pdftotext and pdffonts and with pypdf: every question with its short answer
in site order, no TeX source, an outline entry per question, internal links that land on a page of the file, the
permanent addresses, embedded fonts; and a planted question in all three."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import PLANTED, ROOT, site_sources
from pypdf import PdfReader

import model

sys.path.insert(0, str(ROOT / "tools"))
import make_pdf  # noqa: E402

BANK, SHORT = make_pdf.BANK_PDF, make_pdf.SHORT_ANSWERS_PDF


@pytest.fixture(scope="module")
def questions() -> list[model.Question]:
    pages = model.collect(site_sources())
    order = re.findall(r"^\s+- ([\w/-]+\.md)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return [q for uri in order if uri in pages for q in pages[uri].questions]


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def words(text: str) -> str:
    # pdftotext joins a word hyphenated at a line end ("self-" + "supervised"): compare words without hyphens.
    return " ".join(re.findall(r"[A-Za-z0-9]+", text.replace("-", "")))


def prose_of(question: model.Question) -> list[str]:
    """The stretches of the short answer's words between its formulas (formulas are checked on their own, below)."""
    return [words(s) for s in model.plain_text(question.short_answer, formula=lambda tex: "|").split("|")]


def assert_in_site_order(text: str, questions, with_short_answer: bool = True):
    flat, position, missing = words(text), 0, []
    for q in questions:
        found = flat.find(words(q.title), position)
        if found < 0:
            missing.append(f"{q.id}: title not found after the previous question")
            continue
        position = found
        if with_short_answer:
            # The words of each stretch of prose between formulas, in order.
            for stretch in [s for s in prose_of(q) if len(s.split()) >= 3]:
                at = flat.find(stretch, position)
                if at < 0:
                    missing.append(f"{q.id}: short answer words missing: {stretch[:60]!r}")
                    break
    assert missing == [], "\n".join(missing)


@pytest.fixture(scope="module")
def pdfs(site_dir):
    paths = {name: site_dir / make_pdf.PDF_DIR / name for name in (BANK, SHORT)}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    assert not missing, f"no PDF: {missing}; `make pdf` (part of `make test`) prints them"
    return paths


def test_the_bank_pdf_has_every_question_in_order_with_its_short_answer_and_address(pdfs, questions, site_dir):
    text = pdf_text(pdfs[BANK])
    assert_in_site_order(text, questions)
    site_url = re.search(r"<loc>(http[^<]+?/)</loc>", (site_dir / "sitemap.xml").read_text())[1]
    absent = [q.id for q in questions if f"{site_url}q/{q.id}/" not in text]
    assert absent == [], f"permanent addresses not printed under: {absent}"
    for tex in (r"\frac", r"\(", r"\[", "$$", r"\mathrm", r"\big"):
        assert tex not in text, f"TeX source {tex!r} in the PDF"


def test_the_bank_pdf_has_an_outline_entry_per_question_and_links_that_land_in_it(pdfs, questions):
    reader = PdfReader(pdfs[BANK])

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    outline = [" ".join(t.split()) for t in titles(reader.outline)]
    counts = {q.id: outline.count(q.title) for q in questions}
    assert all(n == 1 for n in counts.values()), {qid: n for qid, n in counts.items() if n != 1}

    internal = 0
    pages = {page.indirect_reference.idnum for page in reader.pages}
    named = reader.named_destinations
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or "/Dest" not in link and link.get("/A", {}).get("/S") != "/GoTo":
                continue
            dest = link["/Dest"] if "/Dest" in link else link["/A"]["/D"]
            if isinstance(dest, str) or hasattr(dest, "encode"):
                assert str(dest) in named, f"link to an unknown destination {dest!r}"
                dest = named[str(dest)]
                target = dest.page
            else:
                target = dest[0]
            assert target.idnum in pages, "an internal link lands on no page of the file"
            internal += 1
    assert internal >= 2 * len(questions), f"only {internal} internal links (contents and follow-ups)"


def test_the_pdfs_embed_their_fonts(pdfs):
    for path in pdfs.values():
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert listing and all(line.split()[-5] == "yes" for line in listing), f"{path.name}: a font is not embedded"


def test_the_pdfs_carry_every_formula_as_text_where_it_stands(pdfs, site_dir):
    """Formulas are drawn as paths; the text laid over them (qa.css, make_pdf.py) lets a reader search and copy them.
    Each short answer, formulas linearised as in the JSON export, reads through unbroken in both files."""

    def letters(text: str) -> str:  # math italic (𝜏, 𝑁) compares as plain letters; spacing and symbols do not count
        return re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKC", text).replace("-", ""))

    rows = json.loads((site_dir / "decks" / "llm-interview-qa.json").read_text(encoding="utf-8"))
    assert any("\\(" in row["short_answer_tex"] for row in rows), "no short answer has a formula to check"
    for path in pdfs.values():
        text = letters(pdf_text(path))
        missing = [row["id"] for row in rows if letters(row["short_answer"]) not in text]
        assert missing == [], f"{path.name}: short answers whose formulas are not text where they stand: {missing}"


def test_the_short_answers_pdf_has_every_short_answer_in_order(pdfs, questions):
    assert_in_site_order(pdf_text(pdfs[SHORT]), questions)


def test_the_short_answers_page_lists_every_question_once_with_a_working_link(site_dir, questions):
    page = BeautifulSoup((site_dir / "short-answers" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.select(".qa-short-answers li > p:first-child a[href*='#']")]
    assert sorted(urlsplit(h).fragment for h in links) == sorted(q.id for q in questions)
    for href in links:
        path = (site_dir / "short-answers" / urlsplit(href).path / "index.html").resolve()
        built = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert built.select_one(f"h2#{urlsplit(href).fragment} + details.answer"), href
    assert page.select("mjx-container"), "the short answers' formulas are rendered"


def test_the_home_page_links_both_pdfs_with_their_size(site_dir):
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    for name in (BANK, SHORT):
        assert f'href="pdf/{name}"' in home
        sizes = re.findall(rf'data-pdf="{re.escape(name)}">([^<]*)</span>', home)
        assert sizes and all(re.fullmatch(r" \(\d+(\.\d)? [KM]B, \d+ pages\)", s) for s in sizes), sizes


def test_a_planted_question_is_on_the_short_answers_page_and_in_both_pdfs(variant_site, browser):
    _, site = variant_site
    page = (site / "short-answers" / "index.html").read_text(encoding="utf-8")
    assert f"#{PLANTED}" in page
    written = make_pdf.print_pdfs(site, browser)
    for name in (BANK, SHORT):
        assert "planted question" in pdf_text(written[name]), f"{name} lacks the planted question"
