"""Offline copies: the one-page bank (every question with its whole answer open, a table of contents and each
question's permanent address), generated from the question model through the site's own Markdown and math, and the
links to the PDFs. `make pdf` (tools/make_pdf.py) prints the bank and the Short answers page (hooks/questions.py)
with Chromium; the home page and the Short answers page link the PDFs.

Nothing is retyped: the bank takes each answer's Markdown as written, opened (no `??? answer` wrapper), its links
rewritten to point inside the bank (another question) or at the published site (a notebook, a page).
"""

from __future__ import annotations

import posixpath
import re
import textwrap

from model import MARKDOWN_LINK, SITE

BANK_MARKER = "<!-- bank -->"
PDF_DIR = "pdf"
BANK_PDF = "llm-interview-qa.pdf"
SHORT_ANSWERS_PDF = "llm-interview-qa-short-answers.pdf"
PDF_SIZE = '<span class="qa-pdf-size" data-pdf="{name}"></span>'  # filled in by `make pdf` with size and pages


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def pdf_link(page_url: str, name: str, label: str) -> str:
    """A link to one of the PDFs from the page at `page_url` (\"\" for home, \"short-answers/\"), with the span
    `make pdf` fills with its size."""
    href = posixpath.relpath(f"{PDF_DIR}/{name}", page_url.rstrip("/") or ".")
    return f'<a href="{href}" download>{label}</a>' + PDF_SIZE.format(name=name)


def _bank_links(question, files, site_url: str) -> str:
    """The answer's links, rewritten for a page that holds every question."""
    questions = {q.id for q in SITE.questions()}

    def rewrite(match):
        target = match["target"]
        if "://" in target or target.startswith(("mailto:", "#")):
            return match[0]
        path, _, anchor = target.partition("#")
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(question.src_uri), path))
        if anchor in questions and uri.endswith(".md"):
            return f"](#{anchor})"
        file = files.get_file_from_path(uri)
        url = site_url + (file.url if file else uri) + (f"#{anchor}" if anchor else "")
        return f"]({url})"

    return MARKDOWN_LINK.sub(rewrite, question.answer)


def bank(files, site_url: str) -> str:
    """Markdown: contents, then per section (h2), page (h3) and question (h4) the whole answer, opened."""
    contents, body = ["## Contents { #contents }\n"], []
    for section, uris in SITE.sections:
        part = f"part-{_slug(section or 'questions')}"
        contents.append(f"- [{section or 'Questions'}](#{part})")
        body.append(f"## {section or 'Questions'} {{ #{part} .qa-bank-part }}\n")
        for uri in uris:
            page = SITE.pages[uri]
            anchor = f"page-{_slug(uri.removesuffix('.md'))}"
            contents.append(f"    - [{page.title}](#{anchor})")
            body.append(f"### {page.title} {{ #{anchor} }}\n")
            for q in page.questions:
                contents.append(f"        - [{q.title}](#{q.id})")
                permalink = f"{site_url}q/{q.id}/"
                body.append(f"#### {q.title} {{ #{q.id} }}\n")
                body.append(
                    f'<p class="qa-bank-address">{q.level} · permanent address: '
                    f'<a href="{permalink}">{permalink}</a></p>\n'
                )
                body.append(textwrap.dedent(_bank_links(q, files, site_url)) + "\n")
    return "\n".join(contents) + "\n\n" + "\n".join(body)


PDF_MARKERS = {
    "<!-- pdf-bank -->": (BANK_PDF, "every answer as a PDF"),
    "<!-- pdf-short-answers -->": (SHORT_ANSWERS_PDF, "the short answers as a PDF"),
}


def on_page_markdown(markdown, page, config, files):
    for marker, (name, label) in PDF_MARKERS.items():
        markdown = markdown.replace(marker, pdf_link(page.url, name, label))
    if BANK_MARKER in markdown:
        markdown = markdown.replace(BANK_MARKER, bank(files, config.site_url or ""))
    return markdown
