"""Math rendered at build time (hooks/render_math.py): every formula is HTML in the built page, with its hidden
assistive MathML; no MathJax runs in the browser; no TeX delimiter is left for a reader to see."""

import json
import re

import nbformat
import pytest
from conftest import ROOT, build_with_planted_cells
from reader import TEX_SOURCE

FENCED_CODE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# What the browser reports for a page: its formulas, and any TeX left in the article's text (code excluded).
PAGE_MATH = r"""() => {
  const math = [...document.querySelectorAll('article .arithmatex')];
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('pre, code, script, style, mjx-container, .clipboard-copy-txt').forEach(el => el.remove());
  const raw = article.textContent.match(/\$\$|\\\(|\\\[|\$[^$\n]{0,200}?(\\[A-Za-z]+|[\^_{}])[^$\n]{0,200}?\$/);
  return {
    formulas: math.length,
    rendered: math.filter(el => el.querySelectorAll(':scope > mjx-container').length === 1).length,
    assistive: math.filter(el => el.querySelectorAll('mjx-assistive-mml > math').length === 1).length,
    containers: document.querySelectorAll('mjx-container').length,
    errors: document.querySelectorAll('mjx-merror').length,
    // The site stylesheet applies to its last rule: formulas scaled to the text's x-height.
    unscaled: math.filter(el => parseFloat(getComputedStyle(el.querySelector('mjx-container') || el).fontSize) <= parseFloat(getComputedStyle(el).fontSize)).length,
    raw: raw && article.textContent.slice(Math.max(0, raw.index - 40), raw.index + 60),
    mathjaxScripts: [...document.scripts].filter(s => /mathjax/i.test(s.src + ' ' + [...s.attributes].map(a => a.name).join(' '))).length,
    mathjaxGlobal: 'MathJax' in window,
  };
}"""


def formulas_in(markdown: str) -> int:
    """How many formulas a Markdown text holds: $$…$$ blocks and $…$ spans, code excluded."""
    text = INLINE_CODE.sub("", FENCED_CODE.sub("", markdown))
    display = len(DISPLAY_MATH.findall(text))
    return display + DISPLAY_MATH.sub("", text).replace(r"\$", "").count("$") // 2


def expected_formulas() -> dict[str, int]:
    """{page path: formula count} for the pages whose formulas all come from one source file."""
    expected = {}
    for path in (ROOT / "docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "<!--" in text:  # a page generated from other pages' questions (home, Corrections)
            continue
        rel = path.relative_to(ROOT / "docs").with_suffix("").as_posix()
        expected["" if rel == "index" else rel.removesuffix("/index") + "/"] = formulas_in(text)
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        expected[f"notebooks/{path.stem}/"] = sum(formulas_in(c.source) for c in cells if c.cell_type == "markdown")
    return expected


def test_every_page_has_its_formulas_rendered_and_no_mathjax(watched, built_pages):
    page = watched.page
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    expected = expected_formulas()
    assert sum(expected.values()) > 300 and {f"notebooks/{p.stem}/" for p in NOTEBOOKS} <= set(expected)
    total = 0
    for path in built_pages:
        page.goto(path)
        result = page.evaluate(PAGE_MATH)
        where = (path, result)
        assert result["rendered"] == result["assistive"] == result["formulas"] == result["containers"], where
        assert result["errors"] == 0 and result["raw"] is None and result["unscaled"] == 0, where
        assert result["mathjaxScripts"] == 0 and not result["mathjaxGlobal"], where
        if path in expected:
            assert result["formulas"] == expected[path], f"{path}: {result['formulas']} formulas, source has {expected[path]}"
        total += result["formulas"]
    assert total > 300
    scripts = [url for url in requests if "mathjax" in url.lower() and not url.endswith(".woff")]
    assert not scripts, scripts
    watched.assert_clean()


def test_the_404_page_loads_no_mathjax(watched):
    page = watched.page
    page.goto("no-such-page/")
    assert page.evaluate(PAGE_MATH)["mathjaxScripts"] == 0
    watched.assert_clean(expected_404="no-such-page/")


def test_less_than_and_greater_than_in_notebook_math(site_dir):
    """nbconvert used to read notebook Markdown as HTML: `x_{<t}` became a tag that ate the rest of the cell."""
    source = "".join(nbformat.read(ROOT / "notebooks" / "next-token-loss.ipynb", as_version=4).cells[0].source)
    assert "$$" in source and "x_{<t}" in source.split("$$")[1], "the case this test guards is gone from the notebook"
    html = (site_dir / "notebooks" / "next-token-loss" / "index.html").read_text(encoding="utf-8")
    first = html.split('<div class="arithmatex">', 1)[1].split("</mjx-container>", 1)[0]
    assert "<mo>&lt;</mo><mi>t</mi>" in first and "PPL" in first.replace("<mi>", "").replace("</mi>", "")
    assert "<p>The answer writes the sum without the factor" in html, "the text after the formula was swallowed"
    source = json.dumps(nbformat.read(ROOT / "notebooks" / "lora-low-rank-update.ipynb", as_version=4).dict())
    assert "i > r" in source and r"\gt" not in source
    html = (site_dir / "notebooks" / "lora-low-rank-update" / "index.html").read_text(encoding="utf-8")
    assert "<mi>i</mi><mo>&gt;</mo><mi>r</mi>" in html




def test_search_index_shows_formulas_as_readable_text(site_dir):
    """The search hook writes every formula into the index as text linearised from its MathML: no TeX source,
    no MathJax markup."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "mjx-" not in doc["text"], doc["location"]
        found = TEX_SOURCE.search(doc["text"])
        assert not found, f"{doc['location']}: TeX in the index: …{doc['text'][max(0, found.start() - 60):found.end() + 60]}…"
    text = {doc["location"].split("#")[-1]: doc["text"] for doc in index["docs"]}
    assert "ΔW = BA = 0" in text["lora-zero-init"], text["lora-zero-init"][:300]
    assert "(K choose 2)" in text["bradley-terry"] and "σ(r(x, y_w) − r(x, y_l))" in text["bradley-terry"]


def test_site_stylesheet_and_only_the_fonts_it_uses(site_dir):
    css = (site_dir / "assets" / "stylesheets" / "math.css").read_text(encoding="utf-8")
    fonts = sorted(p.name for p in (site_dir / "assets" / "fonts" / "mathjax").iterdir())
    assert fonts == sorted(re.findall(r'url\("\.\./fonts/mathjax/([^"]+)"\)', css))
    # The zero-width font that sets every formula's line height is inline: there at the first paint.
    assert 'font-family: MJXZERO; src: url("data:font/woff;base64,' in css
    assert "MathJax_Main-Regular.woff" in fonts and len(fonts) < 23  # MathJax ships 23


@pytest.mark.parametrize("path", ["", "notebooks/chinchilla-compute-optimal/", "fine-tuning/lora-and-qlora/"])
def test_the_fonts_of_formulas_shown_at_first_paint_are_preloaded(watched, path):
    """A font that arrives after the first paint changes the height of lines with inline math (a layout shift); the
    formulas in closed answers need none until an answer opens, and get no preload (no bytes spent early)."""
    page = watched.page
    fonts = []
    page.on("request", lambda request: request.url.endswith(".woff") and fonts.append(request.url.rsplit("/", 1)[1]))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    preloaded = page.eval_on_selector_all(
        "link[rel=preload][as=font]", "links => links.map(l => l.href.split('/').pop())"
    )
    assert sorted(set(fonts)) == sorted(preloaded), (path, fonts, preloaded)
    assert bool(preloaded) == (path != "fine-tuning/lora-and-qlora/"), (path, preloaded)
    watched.assert_clean()


def test_a_notebook_that_never_finishes_fails_the_build(tmp_path):
    """Each notebook has a deadline (QA_NOTEBOOK_TIMEOUT, 120 s by default; 8 s here)."""
    loop = nbformat.v4.new_code_cell("while True:\n    pass")
    output = build_with_planted_cells(tmp_path, "temperature-sampling", [loop], env={"QA_NOTEBOOK_TIMEOUT": "8"})
    assert "notebooks/temperature-sampling.ipynb: did not finish within 8 s" in output, output[-2000:]
    assert "while True" in output, output[-2000:]


def test_a_tex_error_in_a_notebook_names_the_cell(tmp_path):
    cell = nbformat.v4.new_markdown_cell("Bytes per token:\n\n$$\n\\kvbytes{L} < 1\n$$")
    output = build_with_planted_cells(tmp_path, "kv-cache-memory", [cell])
    for text in ("notebooks/kv-cache-memory.ipynb", "notebook cell 1", r"Undefined control sequence \kvbytes", r"\kvbytes{L} < 1"):
        assert text in output, f"{text!r} not in:\n{output[-2000:]}"


def test_formulas_in_headings_read_as_text_in_the_navigation(site_dir):
    """A heading's formula is drawn in the page, and reads as text in the navigation and table of contents."""
    from bs4 import BeautifulSoup

    for path in site_dir.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for nav in soup.select("nav.md-nav"):
            text = nav.get_text(" ")
            assert not TEX_SOURCE.search(text), f"{path.relative_to(site_dir)}: TeX in the navigation: {TEX_SOURCE.search(text)[0]}"
    toc = BeautifulSoup((site_dir / "notebooks" / "moe-routing" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "near E when it collapses" in toc.select_one("nav.md-nav--secondary").get_text(" ")
