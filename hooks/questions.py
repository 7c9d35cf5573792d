"""Questions: parse every page into the question model once per build, and generate the pages built from it
(the home page's list of questions and their count, the Short answers page, the Corrections page)."""

from __future__ import annotations

import posixpath

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

import model
from model import SITE

INDEX_MARKER = "<!-- questions -->"
COUNT_MARKER = "<!-- question-count -->"  # nothing counts the questions by hand
SHORT_ANSWERS_MARKER = "<!-- short-answers -->"
CORRECTIONS_MARKER = "<!-- corrections -->"


def on_files(files, config):
    sources = {f.src_uri: f.content_string for f in files.documentation_pages() if f.src_uri.endswith(".md")}
    sources.update({f.src_uri: "" for f in files.documentation_pages() if not f.src_uri.endswith(".md")})
    SITE.pages = model.collect(sources)
    return files


def on_nav(nav, config, files):
    sections: list[tuple[str | None, list[str]]] = []

    def walk(items, section_title):
        for item in items:
            if isinstance(item, Section):
                walk(item.children, item.title)
            elif isinstance(item, Page) and item.file.src_uri in SITE.pages:
                if not sections or sections[-1][0] != section_title:
                    sections.append((section_title, []))
                sections[-1][1].append(item.file.src_uri)

    walk(nav.items, None)
    SITE.sections = sections
    SITE.urls = {
        q.id: f"{files.get_file_from_path(uri).url}#{q.id}" for uri, page in SITE.pages.items() for q in page.questions
    }
    return nav


def _relative(from_uri: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def question_index(from_uri: str, short_answers: bool = False) -> str:
    """Markdown list of every question, grouped by navigation section and page; with `short_answers`, each
    question's short answer under it (the Short answers page)."""
    out = []
    for section_title, uris in SITE.sections:
        if section_title:
            out.append(f"## {section_title}\n")
        for uri in uris:
            page = SITE.pages[uri]
            link = _relative(from_uri, uri)
            out.append(f"### [{page.title}]({link})\n")
            for q in page.questions:
                if short_answers:
                    out.append(f"- **[{q.title}]({link}#{q.id})** ({q.level})\n")
                    out.append("\n".join(f"    {line}" if line.strip() else "" for line in q.short_answer.splitlines()) + "\n")
                else:
                    out.append(f"- [{q.title}]({link}#{q.id})")
            out.append("")
    return "\n".join(out)


def corrections_list(from_uri: str) -> str:
    """Markdown section per corrected question, with the text of its correction notes."""
    out = []
    for question in SITE.questions():
        if question.corrections:
            link = _relative(from_uri, question.src_uri)
            out.append(f"## [{question.title}]({link}#{question.id}) {{ #{question.id} }}\n")
            out += [body + "\n" for body in question.corrections]
    return "\n".join(out)


REVEAL_ALL = (
    '<button type="button" class="md-button qa-reveal-all" aria-expanded="false" data-search-exclude>'
    "Reveal all answers</button>"
)


def on_page_content(html, page, config, files):
    # The reveal-all button is in the page from the start (answers.js wires it): nothing shifts when it loads.
    if page.file.src_uri in SITE.pages:
        html = html.replace("</h1>", "</h1>\n" + REVEAL_ALL, 1)
    return html


def on_page_markdown(markdown, page, config, files):
    markdown = markdown.replace(COUNT_MARKER, str(len(SITE.questions())))
    markers = (
        (INDEX_MARKER, question_index),
        (SHORT_ANSWERS_MARKER, lambda uri: question_index(uri, short_answers=True)),
        (CORRECTIONS_MARKER, corrections_list),
    )
    for marker, generate in markers:
        if marker in markdown:
            markdown = markdown.replace(marker, generate(page.file.src_uri))
    return markdown
