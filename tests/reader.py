"""What a reader's browser shows: helpers shared by the browser tests and `make bench`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))
import model  # noqa: E402

# TeX a reader should never see where no math is drawn (search results, exports, the navigation): a delimiter, a
# dollar sign, a command, or a command word left behind ("big(", "frac(").
TEX_SOURCE = re.compile(r"\\[()\[\]]|\$|\\[A-Za-z]+|\b(?:big|Big|left|right|frac|mathrm|text)\(")

OPEN_ANSWERS = (
    "[...document.querySelectorAll('article details.answer')].filter(d => d.open).map(d => d.previousElementSibling.id)"
)

# Real visibility, as a reader's eye sees it: not only "in the layout" as Playwright's is_visible() means.
# Size, opacity through every ancestor, on screen, not covered, and a 3:1 contrast of what draws the control
# (text colour, or background colour for a masked icon) against what is behind it (WCAG 1.4.11).
_VISIBILITY = """el => {
  const rect = el.getBoundingClientRect();
  let opacity = 1;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden' || style.display === 'none') return 'hidden by CSS';
    opacity *= parseFloat(style.opacity);
  }
  if (opacity < 0.9) return `opacity ${opacity}`;
  if (rect.width < 12 || rect.height < 12) return `too small: ${rect.width}x${rect.height}`;
  if (rect.right < 0 || rect.bottom < 0 || rect.left > innerWidth || rect.top > innerHeight) return 'off screen';
  const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
  if (!hit || !(el === hit || el.contains(hit))) return 'covered by ' + (hit && hit.outerHTML.slice(0, 80));
  const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = (node) => {
    for (; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const style = getComputedStyle(el);
  const masked = style.maskImage && style.maskImage !== 'none';
  let fg = rgba(masked ? style.backgroundColor : style.color);
  const bg = behind(el.parentElement);
  if (fg.length === 4) fg = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  const ratio = (a + 0.05) / (b + 0.05);
  return ratio >= 3 ? 'visible' : `contrast ${ratio.toFixed(2)}:1`;
}"""


def assert_really_visible(locator, name: str = "control"):
    locator.scroll_into_view_if_needed()
    verdict = locator.evaluate(_VISIBILITY)
    assert verdict == "visible", f"{name} is not really visible: {verdict}"


# A question is in view when all of its heading is on screen below Material's fixed header.
IN_VIEW = """id => {
  const r = document.getElementById(id).getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect();
  return r.top >= header.bottom - 1 && r.bottom <= innerHeight;
}"""


def heading_in_view(page, qid: str) -> bool:
    return page.evaluate(IN_VIEW, qid)


def wait_for_open_answer(page, qid: str):
    """Waits on a value (the list of open answers), never on a Promise object."""
    page.wait_for_function(f"{OPEN_ANSWERS}.includes({qid!r})")


def open_for_instant_navigation(page, path=""):
    """Load a page and wait until Material has read sitemap.xml: before that, links do full page loads. Marks the
    document, so a test can tell that a later click did not reload it."""
    with page.expect_response("**/sitemap.xml"):
        page.goto(path)
    page.evaluate("window.__sameDocument = true")


def open_search(page):
    """Open Material's search as its own toggle does, if it is closed (after a followed result, Material closes it,
    possibly a moment after the new page is in place). test_search.py tests the keyboard shortcuts themselves."""
    page.evaluate(
        """() => { const toggle = document.getElementById('__search');
                   if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event('change')); } }"""
    )


def search(page, query: str) -> list[str]:
    """Type `query` into Material's search box and return the results in order: each a
    location relative to the site root; the empty header entry of a question page's group is skipped."""
    box = page.locator(".md-search__input")
    open_search(page)
    box.fill("")
    box.press("Backspace")  # Material searches on key events: an empty query resets the results
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Type to start')")
    # All but the last character at once, then one key press: one search for the whole query, and no half-typed
    # operator (a trailing "-" is lunr's "prohibited" prefix and Material logs it as an invalid query).
    box.fill(query[:-1])
    box.press(query[-1] if query[-1] != " " else "Space")
    # The results box said "Type to start" before this query: whatever it says now answers this query.
    page.wait_for_function("!document.querySelector('.md-search-result__meta').textContent.includes('Type to start')")
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('.md-search-result__link')].map(a => { const u = new URL(a.href); u.search = ''; return u.href; })"
    )
    root = page.evaluate("window.qa.root.href")
    found = [href[len(root):] for href in hrefs if href.startswith(root)]
    return [location for location in found if "#" in location or location not in QUESTION_PAGES]


def _question_pages() -> set[str]:
    """URLs of the themed pages (directory URLs), whose empty own entry only heads their group of results."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    return {
        p.relative_to(docs).with_suffix("").as_posix() + "/"
        for p in docs.rglob("*.md")
        if model.is_question_page(p.read_text(encoding="utf-8"))
    }


QUESTION_PAGES = _question_pages()


def question_addresses() -> dict[str, str]:
    """question id -> its page URL + #id relative to the site root, from the same model the build uses."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    sources = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    sources.update({f"notebooks/{p.stem}.ipynb": "" for p in docs.parent.joinpath("notebooks").glob("*.ipynb")})
    site = model.collect(sources)
    return {q.id: uri.removesuffix(".md") + "/#" + q.id for uri, page in site.items() for q in page.questions}
