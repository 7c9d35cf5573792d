"""Bad input from a contributor fails the strict build with a message naming the file and the question."""

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build

PAGE = "docs/fine-tuning/lora-and-qlora.md"
OTHER_PAGE = "docs/llms/attention-and-decoding.md"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the site's sources to break (MathJax is not needed: these builds stop before rendering)."""
    for name in ("mkdocs.yml", "hooks", "overrides", "docs", "notebooks"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
        elif source.is_file():
            shutil.copy(source, tmp_path / name)
    return tmp_path


def edit(project: Path, page: str, old: str, new: str, count: int = 1):
    path = project / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def answer_line(project: Path, page: str, qid: str) -> str:
    """The first line of prose in question `qid`'s answer."""
    text = (project / page).read_text(encoding="utf-8")
    block = text.split(f"{{ #{qid} }}", 1)[1]
    return next(line for line in block.splitlines()[3:] if line.startswith("    ") and line.strip())


def build_fails(project: Path, *expected: str) -> str:
    result = mkdocs_build(project, project / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed:\n{output[-2000:]}"
    for text in expected:
        assert text in output, f"{text!r} not in the build's message:\n{output[-2000:]}"
    return output



def test_question_without_an_answer(project):
    edit(project, PAGE, "## What rank should", "## What is a rank-1 matrix? { #rank-one }\n\n## What rank should")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'rank-one'", "has no answer")


def test_question_with_an_empty_answer(project):
    edit(project, PAGE, "## What rank should", '## What is a rank-1 matrix? { #rank-one }\n\n??? answer "Answer"\n\n## What rank should')
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'rank-one'", "empty answer")


def test_answer_expanded_by_default(project):
    text = (project / PAGE).read_text(encoding="utf-8")
    head, tail = text.split("{ #lora-rank }", 1)
    (project / PAGE).write_text(head + "{ #lora-rank }" + tail.replace('??? answer "Answer"', '???+ answer "Answer"', 1))
    build_fails(project, PAGE, "'lora-rank'", "collapsed")


def test_duplicate_id(project):
    edit(project, PAGE, "{ #lora-rank }", "{ #kv-cache }")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'kv-cache'", "duplicate id", "docs/llms/attention-and-decoding.md")


def test_heading_without_an_id(project):
    edit(project, PAGE, " { #lora-rank }", "")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "What rank should you use for LoRA?", "explicit id")


def test_malformed_id(project):
    edit(project, PAGE, "{ #lora-rank }", "{ #LoRA_Rank }")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'LoRA_Rank'", "lowercase")


def test_unbalanced_inline_math(project):
    line = answer_line(project, PAGE, "lora-rank")
    edit(project, PAGE, line, line + " It costs $r(d+k) parameters.")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'lora-rank'", "unbalanced inline math")


def test_unbalanced_display_math(project):
    line = answer_line(project, PAGE, "qlora")
    edit(project, PAGE, line, line + "\n\n    $$\n    4 + 0.127 \\text{ bits}\n")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'qlora'", "unbalanced display math")


def test_link_to_a_missing_question(project):
    line = answer_line(project, PAGE, "lora-rank")
    edit(project, PAGE, line, line + " See [the KV cache](../llms/attention-and-decoding.md#kv-cach).")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'lora-rank'", "#kv-cach", "no question with id 'kv-cach'")


def test_link_to_a_missing_page(project):
    line = answer_line(project, PAGE, "lora-rank")
    edit(project, PAGE, line, line + " See [ranks](../llms/ranks.md#lora).")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "'lora-rank'", "no page docs/llms/ranks.md")


def test_text_outside_the_answer(project):
    edit(project, PAGE, "## What rank should", "A stray paragraph, not indented.\n\n## What rank should")
    build_fails(project, "docs/fine-tuning/lora-and-qlora.md", "follows the answer")
