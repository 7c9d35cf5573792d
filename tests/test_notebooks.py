"""The notebooks: each one runs (its asserts are the checks), is committed without outputs, and is linked both
ways with the answers it illustrates; a raising cell fails the site build with the notebook named."""

import gzip
import json
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_with_planted_cells, site_sources

import model as qa

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
QUESTION_LINK = re.compile(r"\]\(\.\./([\w/-]+\.md)#([\w-]+)\)")
NOTEBOOK_LINK = re.compile(r"\]\(\.\./notebooks/([\w-]+)\.ipynb\)")


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 9


# Running them is the build's job: `make build` executes every notebook (its cache is keyed on the notebook and the
# lock) with allow_errors off, so a failing assert fails the build naming the notebook and the cell (tested below).
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_asserts_its_formulas(path):
    notebook = nbformat.read(path, as_version=4)
    asserts = sum(cell.source.count("assert ") for cell in notebook.cells if cell.cell_type == "code")
    assert asserts >= 3, f"notebooks/{path.name}: {asserts} asserts; tie the code to the answer's formula and a published number"


def test_the_built_notebook_pages_hold_their_outputs(site_dir):
    """Executed at build: every code cell's output is on the page, and no cell raised."""
    for path in NOTEBOOKS:
        html = (site_dir / "notebooks" / path.stem / "index.html").read_text(encoding="utf-8")
        assert "jp-OutputArea-output" in html, f"{path.name}: no outputs on its page (not executed?)"
        assert "Traceback (most recent call last)" not in html, f"{path.name}: a cell raised"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(notebook["cells"]) if c.get("outputs") or c.get("execution_count")]
    assert dirty == [], f"notebooks/{path.name}: cells {dirty} carry outputs; clear them before committing"
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cites_a_paper(path):
    text = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", text), f"notebooks/{path.name} cites no paper"


def test_notebooks_and_answers_link_both_ways():
    sources = site_sources()
    questions = [q for page in qa.collect(sources).values() for q in page.questions]
    answer_links = {(m, q.id) for q in questions for m in NOTEBOOK_LINK.findall(q.answer)}
    notebook_links = set()
    for path in NOTEBOOKS:
        first_cell = "".join(nbformat.read(path, as_version=4).cells[0].source)
        notebook_links |= {(path.stem, qid) for _, qid in QUESTION_LINK.findall(first_cell)}
    assert {n for n, _ in answer_links} == {p.stem for p in NOTEBOOKS}, "a notebook no answer links to"
    assert answer_links == notebook_links


def test_overview_page_lists_every_notebook():
    overview = (ROOT / "docs" / "notebooks" / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\]\(([\w-]+)\.ipynb\)", overview))
    assert listed == {p.stem for p in NOTEBOOKS}


def test_notebook_pages_are_light_and_their_figures_described(site_dir):
    for path in NOTEBOOKS:
        html = (site_dir / "notebooks" / path.stem / "index.html").read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        article = page.select_one("article")
        assert not article.find_all("style"), f"{path.name}: inline notebook CSS is back"
        images = article.select(".jupyter-wrapper img")
        assert images, f"{path.name}: no figure"
        assert all(len(img.get("alt", "").split()) >= 5 for img in images), f"{path.name}: a figure without alt text"
        # Figures are files, loaded when scrolled near, with their size reserved (nothing moves when they arrive).
        for img in images:
            figure = site_dir / "notebooks" / path.stem / img["src"]
            assert figure.is_file() and figure.suffix == ".png", f"{path.name}: figure {img['src'][:40]} is not a file"
            assert img.get("loading") == "lazy" and int(img["width"]) > 0 and int(img["height"]) > 0, img.attrs
        assert article.select_one(f"a[href$='{path.name}']"), f"{path.name}: no download link"
        size = len(gzip.compress(html.encode(), 6))  # as GitHub Pages serves it
        assert size < 100_000, f"{path.name}: {size} bytes of HTML, gzipped"


def test_a_raising_cell_fails_the_build_naming_the_notebook(tmp_path):
    """Notebooks are executed with allow_errors: false."""
    cells = [
        nbformat.v4.new_code_cell("bytes_per_token = 2 * 32 * 32 * 128 * 2"),
        nbformat.v4.new_code_cell("assert bytes_per_token == 1, 'planted failure'"),
    ]
    output = build_with_planted_cells(tmp_path, "kv-cache-memory", cells)
    assert "kv-cache-memory.ipynb" in output and "planted failure" in output, output[-2000:]


# A notebook may quote an answer only with words that answer still contains; otherwise the site contradicts
# itself when an answer is rewritten. Quotes from papers are allowed here, each naming its source.
PAPER_QUOTES = {
    # Ouyang et al. 2022, InstructGPT (arXiv:2203.02155), §3.5
    "since the RM loss is invariant to shifts in reward, we normalize the reward model using a bias so that the "
    "labeler demonstrations achieve a mean score of 0 before doing RL",
    "we present labelers with anywhere between $K = 4$ and $K = 9$ responses to rank. This produces "
    "$\\binom{K}{2}$ comparisons for each prompt",
    # Schulman et al. 2017, PPO (arXiv:1707.06347), §3
    "say, $\\epsilon = 0.2$",
    # Hoffmann et al. 2022, Chinchilla (arXiv:2203.15556): abstract and §4; §3.3; §4
    "the same compute budget as Gopher",
    "somewhere between 40 and 70 billion parameters",
    "between 40 and 70 billion parameters",
    # Kwon et al. 2023, vLLM / PagedAttention (arXiv:2309.06180), §3
    "the KV cache of a single token demands 800 KB of space, calculated as 2 (key and value vectors) × 5120 "
    "(hidden state size) × 40 (number of layers) × 2 (bytes per FP16)",
    "can be as much as 1.6 GB",
    # Touvron et al. 2023, Llama 2 (arXiv:2307.09288), Appendix A.2.1
    "a grouped-query attention variant with 8 KV projections",
    # Ainslie et al. 2023, GQA (arXiv:2305.13245), §2.2
    "GQA-1 ... is equivalent to MQA, while GQA-H ... is equivalent to MHA",
    # Hu et al. 2021, LoRA (arXiv:2106.09685): abstract; §4.2; §4.2 before Table 5; §7.2 (Table 6)
    "can reduce the number of trainable parameters by 10,000 times and the GPU memory requirement by 3 times",
    "with $r = 4$ and only the query and value projection matrices being adapted, the checkpoint size is reduced "
    "by roughly 10,000× (from 350GB to 35MB)",
    "a parameter budget of 18M (roughly 35MB if stored in FP16)",
    "a rank as small as one suffices for adapting both $W_q$ and $W_v$",
    # Dettmers et al. 2023, QLoRA (arXiv:2305.14314): §1; abstract
    "approximately 3 GB for a 65B model",
    "reduces memory usage enough to finetune a 65B parameter model on a single 48GB GPU",
}
QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”')
EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")


def _normalised(text: str) -> str:
    return " ".join(EMPHASIS.sub("", text).casefold().split())


def _answer_without_corrections(answer: str) -> str:
    """The answer as it stands: its `!!! correction` boxes quote the original's wording, which it no longer claims."""
    kept, in_box = [], False
    for line in answer.splitlines():
        if qa.CORRECTION_START.match(line):
            in_box = True
        elif in_box and line.strip() and not line.startswith("    "):
            in_box = False
        if not in_box:
            kept.append(line)
    return "\n".join(kept)


def test_notebook_quotes_of_answers_are_verbatim():
    """Every quoted phrase of 3+ words in a notebook's prose occurs in an answer the notebook links to, or is a
    listed quote from a paper; a rewritten answer must not leave notebooks quoting words it no longer has."""
    answers = {(page, q.id): _answer_without_corrections(q.answer) for page, parsed in qa.collect(site_sources()).items() for q in parsed.questions}
    allowed = {_normalised(quote) for quote in PAPER_QUOTES}
    stale = []
    for path in NOTEBOOKS:
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
        linked = [answers[link] for link in QUESTION_LINK.findall(cells[0].source)]
        assert linked, f"notebooks/{path.name} links to no answer"
        haystack = _normalised("\n".join(linked))
        for cell in cells:
            prose = re.sub(r"`[^`\n]*`", "", cell.source)
            for match in QUOTE.finditer(prose):
                quote = _normalised(match[1] or match[2])
                if len(re.findall(r"\w+", quote)) >= 3 and quote not in haystack and quote not in allowed:
                    stale.append(f"notebooks/{path.name}: {quote!r}")
    assert not stale, "notebook prose quotes words its answers do not contain:\n" + "\n".join(stale)
