"""Math rendered at build time: every formula arithmatex marked becomes MathJax's SVG (one path per formula, drawn in
the text's colour, sized in ex so it follows the text's x-height) with the hidden assistive MathML for screen readers,
before the page is written; no MathJax runs in the browser, and no font is loaded for math.

- One Node process per build (tools/render-math.mjs, mathjax-full from npm) renders the formulas the cache lacks;
  the cache (.cache/math/formulas.json) is keyed by the TeX source, so a rebuild renders only what changed.
- Formulas are rendered in on_page_content, so a TeX error stops the build early, naming the file, the question id
  (or notebook cell) and the formula; they are written into the page in on_post_page, after Material's search
  plugin has read the page: the search index keeps the TeX source, readable words included.
- One site-wide stylesheet (assets/stylesheets/math.css, listed in extra_css) holds the CSS of every formula
  rendered (a few rules: SVG needs no fonts). CHTML, which this replaced, drew each character as an element with a
  web font: five times the elements, 30 KB of CSS and up to nine fonts, each relaying out the page when it arrived.
- Every formula's MathML is registered with hooks/formula_text.py, which linearises it for the places that show no
  math (search results, link previews, CSV and JSON).
- A built page whose article still shows a math delimiter (`$$`, `\\(`, `\\[`, or `$` around TeX) fails the build.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import formula_text

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "render-math.mjs"
CACHE = Path(".cache") / "math" / "formulas.json"
STYLESHEET = "assets/stylesheets/math.css"  # listed in mkdocs.yml extra_css

# pymdownx.arithmatex (generic): <span class="arithmatex">\(…\)</span>, <div class="arithmatex">\[…\]</div>.
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*(?P<open>\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*</(?P=tag)>', re.S
)
# An SVG formula is one box to the line breaker, so a line could end at "(" before it or start with the "," after it;
# the punctuation touching an inline formula is kept on its line (qa.css: .qa-nowrap).
TOUCHING = re.compile(
    r"""(?P<before>[(\[“‘"']*)<span class="arithmatex"><mjx-container.*?</mjx-container></span>(?P<after>[)\]”’"'.,;:!?]*)""",
    re.S,
)
HEADING_ID = re.compile(r'<h2\b[^>]*\bid="([^"]+)"')
NOTEBOOK_CELL = re.compile(r'<div\b[^>]*\bclass="(?:[^"]*\s)?jp-Cell[\s"][^>]*>')
# mkdocs-jupyter adds its MathJax loader to every page; the formulas are already rendered.
NOTEBOOK_MATHJAX = re.compile(r"\s*<script data-mkdocs-jupyter-mathjax=.*?</script>", re.S)


class Renderer:
    """The Node process (started on first need) and the formula cache."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.cache: dict[str, dict] = {}
        self.used: dict[str, dict] = {}  # this build's formulas, in page order
        self.version = ""

    def load(self):
        self.version = hashlib.sha256(SCRIPT.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:16]
        self.used = {}
        try:
            data = json.loads(CACHE.read_text(encoding="utf-8"))
            rules = data["rules"]
            self.cache = {
                key: {"html": markup, "rules": [rules[i] for i in numbers]}
                for key, (markup, numbers) in data["formulas"].items()
            } if data.get("version") == self.version else {}
        except (OSError, ValueError, KeyError, IndexError):
            self.cache = {}

    def save(self):
        """The formulas this build used; each formula's CSS rules as numbers into one shared list."""
        rules: dict[str, int] = {}
        formulas = {
            key: [f["html"], [rules.setdefault(rule, len(rules)) for rule in f["rules"]]] for key, f in self.used.items()
        }
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": self.version, "rules": list(rules), "formulas": formulas}
        CACHE.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    @staticmethod
    def key(tex: str, display: bool) -> str:
        return hashlib.sha256(f"{int(display)}\0{tex}".encode()).hexdigest()

    def render(self, formulas: list[tuple[str, bool]]) -> dict[tuple[str, bool], dict | str]:
        """{(tex, display): rendered dict, or the TeX error message}; renders only what the cache lacks."""
        results: dict[tuple[str, bool], dict | str] = {}
        missing = []
        for formula in dict.fromkeys(formulas):
            cached = self.cache.get(self.key(*formula))
            if cached:
                results[formula] = cached
            else:
                missing.append(formula)
        if missing:
            process = self._start()
            for number, (tex, display) in enumerate(missing):
                process.stdin.write(json.dumps({"id": number, "tex": tex, "display": display}) + "\n")
            process.stdin.flush()
            for _ in missing:
                line = process.stdout.readline()
                if not line:
                    raise PluginError(f"math: {SCRIPT.name} stopped: {process.stderr.read()[-2000:]}")
                reply = json.loads(line)
                formula = missing[reply["id"]]
                if "error" in reply:
                    results[formula] = reply["error"]
                else:
                    rendered = {"html": reply["html"], "rules": css_rules(reply["css"])}
                    results[formula] = self.cache[self.key(*formula)] = rendered
        for formula, result in results.items():
            if isinstance(result, dict):
                self.used[self.key(*formula)] = result
        return results

    def _start(self) -> subprocess.Popen:
        if self.process is None:
            if not (ROOT / "node_modules" / "mathjax-full").is_dir():
                raise PluginError("math: node_modules/mathjax-full is missing: run `npm ci` (or `make setup`)")
            self.process = subprocess.Popen(
                ["node", str(SCRIPT)], cwd=ROOT, text=True, encoding="utf-8",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
            ready = self.process.stdout.readline()
            if not ready.startswith('{"ready":true'):
                raise PluginError(f"math: {SCRIPT.name} did not start: {ready}{self.process.stderr.read()[-2000:]}")
        return self.process

    def stop(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None


RENDERER = Renderer()


def _formulas(html: str) -> list[tuple[re.Match, str, bool]]:
    return [(m, htmllib.unescape(m["tex"]).strip(), m["open"] == "\\[") for m in ARITHMATEX.finditer(html)]


def _place(page, html: str, position: int) -> str:
    """Where a formula is: the question (nearest h2 id above it) or, in a notebook, its cell."""
    before = html[:position]
    if page.file.src_uri.endswith(".ipynb"):
        # The template wraps a code cell in two jp-Cell divs, one right inside the other: count the outer one.
        starts = list(NOTEBOOK_CELL.finditer(before))
        cell = sum(1 for i, m in enumerate(starts) if i == 0 or before[starts[i - 1].end() : m.start()].strip()) - 1
        return f"notebook cell {cell} (0-based, as in the .ipynb)"
    heading = HEADING_ID.findall(before)
    return f"question '{heading[-1]}'" if heading else "page introduction"


def _source(page) -> str:
    path = page.file.abs_src_path or page.file.src_uri
    try:
        return Path(path).relative_to(ROOT).as_posix()
    except ValueError:
        return page.file.src_uri


def on_config(config):
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    return config


def on_pre_build(config):
    RENDERER.load()


@event_priority(-50)  # after the other hooks have shaped the content
def on_page_content(html, page, config, files):
    formulas = _formulas(html)
    if not formulas:
        return html
    results = RENDERER.render([(tex, display) for _, tex, display in formulas])
    errors = [
        f"  {_place(page, html, m.start())}: {results[(tex, display)]}\n      {tex}"
        for m, tex, display in formulas if isinstance(results[(tex, display)], str)
    ]
    if errors:
        raise PluginError(f"TeX error in {_source(page)}:\n" + "\n".join(errors))
    for (tex, _display), result in results.items():
        formula_text.register(tex, result["html"])  # its MathML, linearised where no math is shown
    return html


@event_priority(-50)
def on_post_page(output, page, config):
    def rendered(match: re.Match) -> str:
        # Rendered (and checked) in on_page_content: this is a cache lookup.
        tex = htmllib.unescape(match["tex"]).strip()
        result = RENDERER.render([(tex, match["open"] == "\\[")]).popitem()[1]
        if isinstance(result, str):  # a formula only the template added, never checked in on_page_content
            raise PluginError(f"TeX error in {_source(page)}: {result}\n      {tex}")
        return f'<{match["tag"]} class="arithmatex">{result["html"]}</{match["tag"]}>'

    output = ARITHMATEX.sub(rendered, NOTEBOOK_MATHJAX.sub("", output))
    output = TOUCHING.sub(
        lambda m: f'<span class="qa-nowrap">{m[0]}</span>' if m["before"] or m["after"] else m[0], output
    )
    output = navigation_formulas_as_text(output)
    check_no_raw_math(output, _source(page))
    return output


# What no reader should see: TeX delimiters left in the article's text (code excluded).
ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
NOT_TEXT = re.compile(
    r'<(pre|code|script|style|mjx-container)\b.*?</\1>|<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.S
)  # code, and the hidden copy of a notebook code cell for its copy button
TAG = re.compile(r"<[^>]+>")
RAW_MATH = re.compile(r"\$\$|\\\(|\\\[|\$[^$\n]{0,200}?(?:\\[A-Za-z]+|[\^_{}])[^$\n]{0,200}?\$")


# A heading's formula reaches the navigation and the table of contents as TeX (the toc extension keeps its text):
# there, where no math is drawn, it reads as text ("near E when it collapses", "1/τ^2").
NAV_FORMULA = re.compile(r"\\\((.+?)\\\)", re.S)
BODY = re.compile(r"<body\b.*</body>", re.S)


def navigation_formulas_as_text(output: str) -> str:
    article = ARTICLE.search(output)
    start, end = (article.start(), article.end()) if article else (len(output), len(output))
    as_text = lambda m: htmllib.escape(formula_text.text_of(htmllib.unescape(m[1])), quote=False)  # noqa: E731
    return NAV_FORMULA.sub(as_text, output[:start]) + output[start:end] + NAV_FORMULA.sub(as_text, output[end:])


def check_no_raw_math(output: str, source: str):
    """No TeX delimiter in what a reader sees: the article, the navigation, the table of contents."""
    body = BODY.search(output)
    if not body:
        return
    text = htmllib.unescape(TAG.sub(" ", NOT_TEXT.sub(" ", body.group())))
    found = RAW_MATH.search(text)
    if found:
        start = max(0, found.start() - 60)
        context = " ".join(text[start : found.end() + 60].split())
        raise PluginError(f"{source}: raw TeX is left in the built page's text at: …{context}…")


CSS_RULE = re.compile(r'\s*([^{}]+?)\s*\{((?:"(?:\\.|[^"\\])*"|[^{}"])*)\}', re.S)  # content: "{" is a rule body


def css_rules(css: str) -> list[str]:
    """MathJax's stylesheet as one compact `selector{declarations}` string per rule."""
    rules = []
    for selector, body in CSS_RULE.findall(css):
        selector = " ".join(selector.split())
        rules.append(f"{selector}{{{' '.join(body.split())}}}")
    return rules


def site_stylesheet(formulas: list[dict]) -> str:
    """One stylesheet for every formula of the site: each rule once."""
    rules: dict[str, str] = {}
    for formula in formulas:
        for rule in formula["rules"]:
            selector, _, body = rule.partition("{")
            rules.setdefault(selector, body[:-1])
    return "".join(f"{selector}{{{body}}}\n" for selector, body in rules.items())


def on_post_build(config):
    RENDERER.stop()
    RENDERER.save()
    path = Path(config.site_dir) / STYLESHEET
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(site_stylesheet(list(RENDERER.used.values())), encoding="utf-8")


def on_build_error(error):
    if RENDERER.process is not None:
        RENDERER.process.kill()
        RENDERER.process = None
