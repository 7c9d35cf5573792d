"""Math rendered at build time (hooks/render_math.py): every formula is SVG in the built page, with its hidden
assistive MathML; no MathJax runs in the browser and no font is loaded for it; no TeX delimiter is left for a reader
to see."""

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
    errors: document.querySelectorAll('mjx-merror, [data-mml-node="merror"]').length,
    // Sized in ex, so a formula follows the x-height of the text around it.
    unsized: math.filter(el => ![...el.querySelectorAll('mjx-container > svg')].every(svg =>
      svg.width.baseVal.unitType === SVGLength.SVG_LENGTHTYPE_EXS && svg.height.baseVal.unitType === SVGLength.SVG_LENGTHTYPE_EXS)).length,
    // Drawn where MathJax laid it out: the ink fills the formula's box (MathJax's viewBox) and stays inside it. A
    // glyph moved or scaled wrongly when the build joined the paths lands outside, or leaves the box half empty.
    misdrawn: math.filter(el => {
      const svg = el.querySelector('mjx-container > svg');
      if (!svg) return true;
      const box = svg.viewBox.baseVal;
      const ink = [...svg.querySelectorAll('path')].map(p => p.getBBox()).filter(b => b.width || b.height);
      if (svg.querySelector('g') || !ink.length) return !ink.length;  // MathJax's own SVG (not joined): as drawn
      const left = Math.min(...ink.map(b => b.x)), right = Math.max(...ink.map(b => b.x + b.width));
      const top = Math.min(...ink.map(b => b.y)), bottom = Math.max(...ink.map(b => b.y + b.height));
      const [w, h] = [box.width, box.height];
      return left < box.x - 0.1 * w || right > box.x + 1.1 * w || top < box.y - 0.1 * h || bottom > box.y + 1.1 * h
        || right - left < 0.75 * w || bottom - top < 0.6 * h;
    }).length,
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
        assert result["errors"] == 0 and result["raw"] is None and result["unsized"] == result["misdrawn"] == 0, where
        assert result["mathjaxScripts"] == 0 and not result["mathjaxGlobal"], where
        if path in expected:
            assert result["formulas"] == expected[path], f"{path}: {result['formulas']} formulas, source has {expected[path]}"
        total += result["formulas"]
    assert total > 300
    mathjax = [url for url in requests if "mathjax" in url.lower() or url.endswith((".woff", ".woff2"))]
    assert not mathjax, mathjax
    watched.assert_clean()


# Formulas drawn smaller or larger than MathJax laid them out (Material fits every svg in the text to the column: a
# display formula wider than a phone was drawn 1 px wide), and inline formulas split from the punctuation they touch.
PHONE_MATH = r"""() => {
  document.querySelectorAll('article details').forEach(d => d.open = true);
  const name = svg => svg.parentElement.querySelector('mjx-assistive-mml').textContent.replace(/\s+/g, ' ').slice(0, 50);
  const resized = [...document.querySelectorAll('article mjx-container > svg')]
    .filter(svg => Math.abs(svg.getBoundingClientRect().width - svg.width.baseVal.value) > 1).map(name);
  // Split: a part of the group begins below the bottom of its first part, on a later line.
  const split = [...document.querySelectorAll('article .qa-nowrap')].filter(group => {
    const parts = [...group.getClientRects()];
    return parts.some(part => part.top >= parts[0].bottom - 1);
  }).map(group => group.textContent.slice(0, 50));
  return {resized, split};
}"""


def test_formulas_keep_their_size_and_their_punctuation_on_a_phone(browser, base_url, built_pages):
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = {}
    for path in built_pages:
        page.goto(path)
        found = page.evaluate(PHONE_MATH)
        if found["resized"] or found["split"]:
            problems[path] = found
    context.close()
    assert problems == {}, problems


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


def test_formulas_need_no_fonts_and_are_one_path_each(site_dir):
    """SVG draws the glyphs: no font in the site or its stylesheet. Each formula is one <svg> with one path for its
    glyphs and one for its rules (MathJax's own markup nests a group per node and a path per glyph: five times the
    elements for the browser to style and lay out); only a formula whose stretched glyph is clipped by a nested <svg>
    keeps it."""
    css = (site_dir / "assets" / "stylesheets" / "math.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "url(" not in css
    assert not (site_dir / "assets" / "fonts").exists()
    formulas = nested = 0
    for path in site_dir.rglob("*.html"):
        for svg in re.findall(r"<mjx-container\b[^>]*>(<svg\b.*?</svg>)<mjx-assistive-mml", path.read_text(encoding="utf-8"), re.S):
            formulas += 1
            if "<g" in svg:
                nested += 1
                assert svg.count("<svg") > 1, f"{path.relative_to(site_dir)}: a formula was not joined into one path: {svg[:300]}"
            else:
                assert 1 <= svg.count("<path") <= 2 and svg.count("<") == svg.count("<path") * 2 + 2, svg[:300]
    assert formulas > 1000 and nested < formulas / 100, (formulas, nested)


@pytest.mark.parametrize("path", ["", "notebooks/chinchilla-compute-optimal/", "fine-tuning/lora-and-qlora/?open"])
def test_no_font_is_loaded_or_preloaded_for_math(watched, path):
    """Fonts that arrive after the first paint change the height of lines with inline math (a layout shift) and
    relayout the page; SVG formulas need none."""
    page = watched.page
    fonts = []
    page.on("request", lambda request: request.resource_type == "font" and fonts.append(request.url))
    page.goto(path.removesuffix("?open"))
    if path.endswith("?open"):
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_load_state("networkidle")
    assert page.locator("article mjx-container svg").count() > 0
    assert fonts == [] and page.locator("link[rel=preload][as=font]").count() == 0, fonts
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
