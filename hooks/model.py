"""The question model: every question parsed once from the pages, bad input refused. Not a hook itself.

A question page is a Markdown page with level-2 headings of the form

    ## What is LoRA? { #lora-matrices data-level="core" data-search-keywords="low-rank adaptation; adapters" }

    ??? answer "Answer"

        !!! short-answer "Short answer"

            What a candidate says first: at most 60 words, no links.

        The depth, indented by four spaces, ending with **References**.

Every question declares its level on its heading: `core` (any LLM interview may ask it) or `advanced` (specialist or
research roles). An answer may carry dated notes of substantive changes, `!!! updated "Updated 2026-12-07"`.

The pages are the single source of truth; the hooks (questions, search, permalinks, decks, ...) read `SITE`, which
`hooks/questions.py` fills once per build. Every problem is raised as a PluginError naming the file and the question.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

import formula_text

QUESTION_HEADING = re.compile(r"^## +(?P<title>.+?) *\{ *#(?P<id>[^\s}]+)(?P<attrs>[^}]*)\} *$")
KEYWORDS_ATTR = re.compile(r'data-search-keywords="(?P<keywords>[^"]*)"')
LEVEL_ATTR = re.compile(r'\bdata-level="(?P<level>[^"]*)"')
LEVELS = {"core": "any LLM interview may ask it", "advanced": "specialist or research roles"}
UPDATED_START = re.compile(r"^!!! +updated\b(?P<rest>.*)$")
UPDATED_TITLE = re.compile(r'^ +"Updated (?P<date>\d{4}-\d{2}-\d{2})" *$')
SHORT_ANSWER_START = re.compile(r'^!!! +short-answer +"Short answer" *$')
SHORT_ANSWER_MAX_WORDS = 60
INLINE_MATH = re.compile(r"\$[^$\n]+\$")
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
# A question in a page's HTML (on_page_content): its heading (id wherever it stands among the heading's attributes)
# and its answer up to, not including, the answer's closing tag.
ANSWER_HTML = re.compile(
    r'(?P<answer><h2\b[^>]*\bid="(?P<id>[a-z0-9-]+)"[^>]*>(?P<heading>.*?)</h2>\s*<details class="answer">.*?)(?P<end></details>)',
    re.S,
)



@dataclass
class Question:
    id: str
    title: str
    src_uri: str
    answer: str  # Markdown, dedented
    short_answer: str = ""  # Markdown of the `!!! short-answer` block, dedented
    keywords: list[str] = field(default_factory=list)  # search keywords declared on the heading
    references: list[str] = field(default_factory=list)  # Markdown list items
    corrections: list[str] = field(default_factory=list)  # Markdown bodies of `!!! correction` blocks
    level: str = "core"  # "core" or "advanced", declared on the heading
    updates: list[tuple[date, str]] = field(default_factory=list)  # dated `!!! updated` notes: (date, Markdown)


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


def count_words(markdown: str) -> int:
    """Words as a reader says them: a formula counts as one word, link targets and markup not at all."""
    text = INLINE_MATH.sub(" F ", DISPLAY_MATH.sub(" F ", markdown))
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"[^\s*_\[\]()`>#|]+", text.replace(" - ", " ").replace(" — ", " ")))


def _short_answer(answer: str) -> tuple[str, str | None]:
    """The `!!! short-answer` block that must open every answer, and what is wrong with it (or None)."""
    lines = answer.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not SHORT_ANSWER_START.match(lines[first]):
        where = f"it starts with {lines[first].strip()[:60]!r}" if first is not None else "it is empty"
        return "", (
            f"the answer must open with a short answer ('!!! short-answer \"Short answer\"' block, "
            f"at most {SHORT_ANSWER_MAX_WORDS} words); {where}"
        )
    body, _ = _indented_block(lines, first + 1)
    words = count_words(body)
    if not 1 <= words <= SHORT_ANSWER_MAX_WORDS:
        return body, f"the short answer has {words} words; it must have 1 to {SHORT_ANSWER_MAX_WORDS}"
    if MARKDOWN_LINK.search(body) or "<a " in body or "://" in body:
        return body, "the short answer must not contain a link (put links in the depth below it)"
    if "$$" in body:
        return body, "the short answer must not contain display math ($$); inline $...$ only"
    return body, None


def _updates(answer: str) -> tuple[list[tuple[date, str]], list[str]]:
    """The dated `!!! updated "Updated YYYY-MM-DD"` notes, and what is wrong with any of them."""
    lines = answer.splitlines()
    found, problems = [], []
    for index, line in enumerate(lines):
        start = UPDATED_START.match(line)
        if not start:
            continue
        title = UPDATED_TITLE.match(start["rest"])
        try:
            when = date.fromisoformat(title["date"]) if title else None
        except ValueError:
            when = None
        body, _ = _indented_block(lines, index + 1)
        if when is None:
            problems.append(f"an updated note needs a real date in its title: '!!! updated \"Updated YYYY-MM-DD\"', not {line.strip()!r}")
        elif not body.strip():
            problems.append(f"the updated note of {when} says nothing: say what changed, in its indented body")
        else:
            found.append((when, body))
    return found, problems


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
        short_answer, short_problem = _short_answer(answer)
        if answer.strip() and short_problem:
            problems.append(f"{where}: {short_problem}")
        stray = next((i for i in range(index, len(lines)) if lines[i].strip()), None)
        if stray is not None and not LEVEL_2_HEADING.match(lines[stray]):
            problems.append(
                f"{where}: line {stray + 1} follows the answer without being part of it; "
                "indent it by four spaces or start a new question"
            )
        keywords = KEYWORDS_ATTR.search(heading["attrs"])
        level = LEVEL_ATTR.search(heading["attrs"])
        if not level:
            problems.append(
                f"{where}: needs a level on its heading: data-level=\"core\" ({LEVELS['core']}) or "
                f"data-level=\"advanced\" ({LEVELS['advanced']})"
            )
        elif level["level"] not in LEVELS:
            problems.append(f"{where}: unknown level {level['level']!r}; write data-level=\"core\" or data-level=\"advanced\"")
        updates, update_problems = _updates(answer)
        problems += [f"{where}: {problem}" for problem in update_problems]
        questions.append(
            Question(
                qid,
                title,
                src_uri,
                answer,
                short_answer=short_answer,
                keywords=[k.strip() for k in keywords["keywords"].split(";") if k.strip()] if keywords else [],
                references=_references(answer),
                corrections=_corrections(answer),
                level=level["level"] if level else "core",
                updates=updates,
            )
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
# Plain text, for places that show no Markdown or math: link previews, search snippets, flashcards, exports
# ---------------------------------------------------------------------------------------------------------------
def plain_text(markdown: str, formula: Callable[[str], str] = formula_text.text_of) -> str:
    """Markdown of a short answer as one line of plain text; each formula as readable text (linearised from its
    rendered MathML), or as `formula(tex)` makes it (the Anki deck keeps TeX for Anki's MathJax)."""
    text = INLINE_MATH.sub(lambda m: formula(m[0][1:-1]), markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------------------------
# The site's questions, filled once per build by hooks/questions.py and read by every other hook
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Site:
    pages: dict[str, QuestionPage] = field(default_factory=dict)  # src_uri -> page
    sections: list[tuple[str | None, list[str]]] = field(default_factory=list)  # (nav section, [src_uri]) in order
    urls: dict[str, str] = field(default_factory=dict)  # question id -> page URL + "#id", relative to the site root
    published: dict[str, date] = field(default_factory=dict)  # question id -> the date it was first published

    def questions(self) -> list[Question]:
        """Every question, in navigation order."""
        return [q for _, uris in self.sections for uri in uris for q in self.pages[uri].questions]

    def section_of(self, src_uri: str) -> str | None:
        return next((title for title, uris in self.sections if src_uri in uris), None)


SITE = Site()
