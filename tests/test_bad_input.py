"""Bad input from a contributor fails the strict build with a message naming the file and the question."""

import re
from pathlib import Path

import pytest
from conftest import copy_sources, mkdocs_build

PAGE = "docs/fine-tuning/lora-and-qlora.md"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the site's sources to break; these builds stop before anything renders."""
    return copy_sources(tmp_path)


def edit(project: Path, page: str, old: str, new: str, count: int = 1):
    path = project / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def answer_line(project: Path, page: str, qid: str) -> str:
    """The first line of the depth (the prose after the short answer) in question `qid`'s answer."""
    text = (project / page).read_text(encoding="utf-8")
    block = re.split(rf"\{{ *#{qid}\b[^}}]*\}}", text, maxsplit=1)[1]
    return next(line for line in block.splitlines() if re.match(r"    [^ !]", line) and "??? answer" not in line)


def short_answer_line(project: Path, page: str, qid: str) -> str:
    text = (project / page).read_text(encoding="utf-8")
    block = re.split(rf"\{{ *#{qid}\b[^}}]*\}}", text, maxsplit=1)[1]
    return next(line for line in block.splitlines() if re.match(r"        \S", line))


def build_fails(project: Path, *expected: str) -> str:
    result = mkdocs_build(project, project / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed:\n{output[-2000:]}"
    for text in expected:
        assert text in output, f"{text!r} not in the build's message:\n{output[-2000:]}"
    return output


NEXT_QUESTION = "## What rank should"
NEW_QUESTION = "## What is a rank-1 matrix? { #rank-one }\n\n"

# name: (text to replace — or (qid,) for the first line of that question's answer —, replacement or text to
#        append to that line, what the build's message must contain besides the file's name)
CASES = {
    "question without an answer": (NEXT_QUESTION, NEW_QUESTION + NEXT_QUESTION, ["'rank-one'", "has no answer"]),
    "empty answer": (NEXT_QUESTION, NEW_QUESTION + '??? answer "Answer"\n\n' + NEXT_QUESTION, ["'rank-one'", "empty answer"]),
    "duplicate id": ("{ #lora-rank", "{ #kv-cache", ["'kv-cache'", "duplicate id", "docs/llms/attention-and-decoding.md"]),
    "heading without an id": (re.compile(r" \{ #lora-rank[^}]*\}"), "", ["What rank should you use for LoRA?", "explicit id"]),
    "malformed id": ("{ #lora-rank", "{ #LoRA_Rank", ["'LoRA_Rank'", "lowercase"]),
    "answer without a short answer": ('!!! short-answer "Short answer"', "!!! note", ["'lora-matrices'", "must open with a short answer"]),
    "short answer too long": (("short", "lora-rank"), " And" + " more" * 60 + ".", ["'lora-rank'", "the short answer has", "words"]),
    "link in the short answer": (("short", "lora-rank"), " See [it](../llms/attention-and-decoding.md#kv-cache).", ["'lora-rank'", "must not contain a link"]),
    "published id removed": (re.compile(r"#lora-zero-init\b"), "#lora-zero-start", ["'lora-zero-init'", "published-ids.yml", "alias"]),
    "text outside the answer": (NEXT_QUESTION, "A stray paragraph, not indented.\n\n" + NEXT_QUESTION, ["follows the answer"]),
    "unbalanced inline math": (("lora-rank",), " It costs $r(d+k) parameters.", ["'lora-rank'", "unbalanced inline math"]),
    "unbalanced display math": (("qlora",), "\n\n    $$\n    4 + 0.127 \\text{ bits}\n", ["'qlora'", "unbalanced display math"]),
    "undefined TeX macro": (("lora-rank",), r" It costs $\rankcost{r}$ parameters.", ["'lora-rank'", r"\rankcost{r}", "Undefined control sequence"]),
    "link to a missing question": (
        ("lora-rank",),
        " See [the KV cache](../llms/attention-and-decoding.md#kv-cach).",
        ["'lora-rank'", "#kv-cach", "no question with id 'kv-cach'"],
    ),
    "link to a missing page": (("lora-rank",), " See [ranks](../llms/ranks.md#lora).", ["'lora-rank'", "no page docs/llms/ranks.md"]),
    "question without a level": ('{ #lora-rank data-level="core"', "{ #lora-rank", ["'lora-rank'", "needs a level", 'data-level="advanced"']),
    "unknown level": ('{ #lora-rank data-level="core"', '{ #lora-rank data-level="expert"', ["'lora-rank'", "unknown level 'expert'"]),
    "updated note without a date": (
        ("lora-rank",),
        '\n\n    !!! updated "Updated soon"\n\n        Changed.\n',
        ["'lora-rank'", "an updated note needs a real date"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_fails_the_build_naming_file_and_question(project, case):
    old, new, expected = CASES[case]
    if isinstance(old, re.Pattern):
        text = (project / PAGE).read_text(encoding="utf-8")
        assert old.search(text), f"{old.pattern} not in {PAGE}"
        (project / PAGE).write_text(old.sub(new, text), encoding="utf-8")
    else:
        if isinstance(old, tuple):
            old = short_answer_line(project, PAGE, old[1]) if old[0] == "short" else answer_line(project, PAGE, old[0])
            new = old + new
        edit(project, PAGE, old, new)
    build_fails(project, PAGE, *expected)


def test_a_published_id_without_its_date_fails_the_build(project):
    edit(project, "published-ids.yml", "  lora-rank: 2026-12-06", "  lora-rank: soon")
    build_fails(project, "published-ids.yml", "'lora-rank' needs the date it was first published")


def test_answer_expanded_by_default(project):
    text = (project / PAGE).read_text(encoding="utf-8")
    head, tail = text.split("{ #lora-rank", 1)
    (project / PAGE).write_text(head + "{ #lora-rank" + tail.replace('??? answer "Answer"', '???+ answer "Answer"', 1))
    build_fails(project, PAGE, "'lora-rank'", "collapsed")
