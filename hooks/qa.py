"""Q&A site logic: read every question from the pages, refuse bad input, generate the lists built from them.

A question page is a Markdown page with level-2 headings of the form

    ## What is LoRA? { #lora-matrices }

    ??? answer "Answer"

        The answer, indented by four spaces.

The pages are the single source of truth: the home page's list of questions and the corrections page are
generated from them here. Every problem is raised as a PluginError naming the file and the question.
"""

from __future__ import annotations

import json
import posixpath
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

QUESTION_HEADING = re.compile(r"^## +(?P<title>.+?) *\{ *#(?P<id>[^\s}]+) *\} *$")
LEVEL_2_HEADING = re.compile(r"^## ")
PAGE_TITLE = re.compile(r"^# +(?P<title>.+?) *$", re.M)
ANSWER_START = re.compile(r'^\?\?\?(?P<expanded>\+?) +answer +"Answer" *$')
ID_FORM = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CORRECTION_START = re.compile(r'^!!! +correction\b.*$')
REFERENCES_LINE = "**References**"
MARKDOWN_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?: +\"[^\"]*\")?\)")
FENCED_CODE = re.compile(r"^(?P<fence>```|~~~).*?^(?P=fence)", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)

INDEX_MARKER = "<!-- questions -->"
CORRECTIONS_MARKER = "<!-- corrections -->"


@dataclass
class Question:
    id: str
    title: str
    src_uri: str
    answer: str  # Markdown, dedented
    references: list[str] = field(default_factory=list)  # Markdown list items
    corrections: list[str] = field(default_factory=list)  # Markdown bodies of `!!! correction` blocks


@dataclass
class QuestionPage:
    src_uri: str
    title: str
    questions: list[Question]


class ContentError(PluginError):
    """Bad input from a contributor; the message names the file and the question."""


def _where(src_uri: str, title: str | None = None, qid: str | None = None) -> str:
    where = f"docs/{src_uri}"
    if qid:
        where += f", question '{qid}'"
    if title:
        where += f" (“{title}”)"
    return where


def is_question_page(markdown: str) -> bool:
    """A page with at least one answer block; every level-2 heading on it must then be a question."""
    return any(ANSWER_START.match(line) for line in markdown.splitlines())


def _indented_block(lines: list[str], start: int) -> tuple[str, int]:
    """The block of blank or 4-space-indented lines from `start`, dedented, and the index after it."""
    end = start
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
        end += 1
    return textwrap.dedent("\n".join(lines[start:end])).strip("\n"), end


def _math_problem(answer: str) -> str | None:
    text = INLINE_CODE.sub("", FENCED_CODE.sub("", answer))
    if text.count("$$") % 2:
        return f"unbalanced display math: {text.count('$$')} '$$' delimiters"
    text = DISPLAY_MATH.sub("", text).replace(r"\$", "")
    if text.count("$") % 2:
        return f"unbalanced inline math: {text.count('$')} '$' delimiters"
    return None


def _references(answer: str) -> list[str]:
    lines = answer.splitlines()
    if REFERENCES_LINE not in lines:
        return []
    items = []
    for line in lines[lines.index(REFERENCES_LINE) + 1 :]:
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        elif line.strip():
            break
    return items


def _corrections(answer: str) -> list[str]:
    lines = answer.splitlines()
    found = []
    for index, line in enumerate(lines):
        if CORRECTION_START.match(line):
            body, _ = _indented_block(lines, index + 1)
            found.append(body)
    return found


def parse_page(src_uri: str, source: str) -> QuestionPage:
    """Parse one question page; raise ContentError listing every problem found in it."""
    markdown, _meta = get_data(source)
    lines = markdown.splitlines()
    problems: list[str] = []
    title_match = PAGE_TITLE.search(markdown)
    if not title_match:
        problems.append(f"{_where(src_uri)}: a question page needs a '# Title' line")
    questions: list[Question] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not LEVEL_2_HEADING.match(line):
            if ANSWER_START.match(line):
                problems.append(f"{_where(src_uri)}: line {index}: an answer with no question heading above it")
            continue
        heading = QUESTION_HEADING.match(line)
        if not heading:
            problems.append(
                f"{_where(src_uri)}: line {index}: question heading {line!r} needs an explicit id, "
                "e.g. '## What is LoRA? { #lora-matrices }'"
            )
            continue
        qid, title = heading["id"], heading["title"]
        where = _where(src_uri, title, qid)
        if not ID_FORM.match(qid):
            problems.append(f"{where}: the id must be lowercase words joined by hyphens, e.g. 'lora-rank'")
        while index < len(lines) and not lines[index].strip():
            index += 1
        start = ANSWER_START.match(lines[index]) if index < len(lines) else None
        if not start:
            problems.append(f"{where}: has no answer; put it under the heading in a '??? answer \"Answer\"' block")
            continue
        if start["expanded"]:
            problems.append(f"{where}: the answer must start collapsed: use '???', not '???+'")
        answer, index = _indented_block(lines, index + 1)
        if not answer.strip():
            problems.append(f"{where}: has an empty answer")
        if problem := _math_problem(answer):
            problems.append(f"{where}: {problem}")
        stray = next((i for i in range(index, len(lines)) if lines[i].strip()), None)
        if stray is not None and not LEVEL_2_HEADING.match(lines[stray]):
            problems.append(
                f"{where}: line {stray + 1} follows the answer without being part of it; "
                "indent it by four spaces or start a new question"
            )
        questions.append(
            Question(qid, title, src_uri, answer, references=_references(answer), corrections=_corrections(answer))
        )
    if problems:
        raise ContentError("\n".join(problems))
    return QuestionPage(src_uri, title_match["title"], questions)


def collect(pages: dict[str, str]) -> dict[str, QuestionPage]:
    """Parse every question page among {src_uri: source}; check ids and links across pages."""
    parsed: dict[str, QuestionPage] = {}
    problems: list[str] = []
    for src_uri, source in sorted(pages.items()):
        if not is_question_page(source):
            continue
        try:
            parsed[src_uri] = parse_page(src_uri, source)
        except ContentError as error:
            problems.append(str(error))
    seen: dict[str, Question] = {}
    for page in parsed.values():
        for question in page.questions:
            if first := seen.get(question.id):
                problems.append(
                    f"{_where(question.src_uri, question.title, question.id)}: duplicate id, "
                    f"already used by {_where(first.src_uri, first.title)}"
                )
            seen.setdefault(question.id, question)
    for page in parsed.values():
        for question in page.questions:
            problems += _link_problems(question, pages, parsed)
    if problems:
        raise ContentError("\n".join(problems))
    return parsed


def _link_problems(question: Question, pages: dict[str, str], parsed: dict[str, QuestionPage]) -> list[str]:
    """Links from an answer to a missing page or to a missing question on a question page."""
    problems = []
    for match in MARKDOWN_LINK.finditer(INLINE_CODE.sub("", FENCED_CODE.sub("", question.answer))):
        target = match["target"]
        if "://" in target or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        if path and not path.endswith((".md", ".ipynb")):
            continue  # assets and other files: MkDocs' own validation checks them
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(question.src_uri), path)) if path else question.src_uri
        where = _where(question.src_uri, question.title, question.id)
        if target_uri not in pages:
            problems.append(f"{where}: links to '{target}', but there is no page docs/{target_uri}")
        elif anchor and target_uri in parsed and anchor not in {q.id for q in parsed[target_uri].questions}:
            problems.append(f"{where}: links to '{target}', but docs/{target_uri} has no question with id '{anchor}'")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# MkDocs events
# ---------------------------------------------------------------------------------------------------------------
_site: dict[str, QuestionPage] = {}
_nav_sections: list[tuple[str, list[str]]] = []  # (section title, [src_uri of question pages]) in navigation order


def on_files(files, config):
    sources = {file.src_uri: file.content_string for file in files.documentation_pages() if file.src_uri.endswith(".md")}
    sources.update({file.src_uri: "" for file in files.documentation_pages() if not file.src_uri.endswith(".md")})
    _site.clear()
    _site.update(collect(sources))
    return files


def on_nav(nav, config, files):
    _nav_sections.clear()

    def walk(items, section_title):
        for item in items:
            if isinstance(item, Section):
                walk(item.children, item.title)
            elif isinstance(item, Page) and item.file.src_uri in _site:
                if not _nav_sections or _nav_sections[-1][0] != section_title:
                    _nav_sections.append((section_title, []))
                _nav_sections[-1][1].append(item.file.src_uri)

    walk(nav.items, None)
    # For the 404 page: a stale link's #id still finds its question (see overrides/404.html).
    config.extra["question_urls"] = {
        q.id: f"{files.get_file_from_path(uri).url}#{q.id}" for uri, page in _site.items() for q in page.questions
    }
    return nav


def _relative(from_uri: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def question_index(from_uri: str) -> str:
    """Markdown list of every question, grouped by navigation section and page."""
    out = []
    for section_title, uris in _nav_sections:
        if section_title:
            out.append(f"## {section_title}\n")
        for uri in uris:
            page = _site[uri]
            link = _relative(from_uri, uri)
            out.append(f"### [{page.title}]({link})\n")
            out += [f"- [{q.title}]({link}#{q.id})" for q in page.questions]
            out.append("")
    return "\n".join(out)


def corrections_list(from_uri: str) -> str:
    """Markdown section per corrected question, with the text of its correction notes."""
    out = []
    for _, uris in _nav_sections:
        for uri in uris:
            for question in _site[uri].questions:
                if question.corrections:
                    out.append(f"## [{question.title}]({_relative(from_uri, uri)}#{question.id}) {{ #{question.id} }}\n")
                    out += [body + "\n" for body in question.corrections]
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return _notebook_markdown(markdown, page)
    for marker, generate in ((INDEX_MARKER, question_index), (CORRECTIONS_MARKER, corrections_list)):
        if marker in markdown:
            markdown = markdown.replace(marker, generate(page.file.src_uri))
    return markdown


# ---------------------------------------------------------------------------------------------------------------
# Notebook pages (mkdocs-jupyter hands the converted notebook to MkDocs as Markdown)
# ---------------------------------------------------------------------------------------------------------------
# nbconvert inlines ~590 KB of JupyterLab CSS and a Pygments theme into every notebook page (and, with Markdown
# cells processed by MkDocs, a stray indented copy that renders as a code block). The site styles notebooks with a
# few rules in qa.css and Material's own code highlighting instead, so the styles go before rendering.
NOTEBOOK_STYLE = re.compile(r"[ \t]*<style[^>]*>.*?</style>[ \t]*\n?", re.S)
# A notebook repeats its question's terms; search should land on the answer first, then on the notebook.
NOTEBOOK_SEARCH_BOOST = 0.1


def _notebook_markdown(markdown, page):
    page.meta.setdefault("search", {"boost": NOTEBOOK_SEARCH_BOOST})
    return NOTEBOOK_STYLE.sub("", markdown)


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        # Code and output blocks scroll sideways: make them reachable from the keyboard, as Material does.
        html = html.replace("<pre>", '<pre tabindex="0">')
        # Search indexes a notebook's prose, not its code and printed output.
        html = html.replace('<div class="jp-Cell jp-CodeCell', '<div data-search-exclude class="jp-Cell jp-CodeCell')
    return html


# Search ranks a page's own entry (its title and introduction) above its questions, since a short title that
# contains the query outscores a long question; Material then folds the questions under "more on this page".
# A low boost on that one entry lets the question itself be the visible result.
PAGE_ENTRY_BOOST = 0.1


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    page_urls = {url.partition("#")[0] for url in config.extra["question_urls"].values()}
    for entry in index["docs"]:
        if entry["location"] in page_urls:
            entry["boost"] = PAGE_ENTRY_BOOST
    index_path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")

