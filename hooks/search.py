"""Search: each question is its own result, found by its declared keywords, shown with its short answer.

Material's search plugin writes search/search_index.json; this hook edits it after the build:
- a `keywords` field on each question, weighted like the title (declared under the search plugin's `fields` in
  mkdocs.yml; Material's worker indexes every field listed there and shows only title and text);
- a question's text starts with its short answer (its snippet), without the labels, links lists and references
  that on_page_content keeps out of the index;
- a question page's own entry (its title and introduction) weighs little, so the questions are the results;
- a notebook is found by its title, its headings and its introduction: its prose repeats the answers' terms and
  weighed about half of the index, which every reader downloads.

The index holds stems (the search plugin's pipeline in mkdocs.yml); every page names the site's search worker,
which stems each query the same way, in place of Material's, which it wraps.

Formulas in the index are readable text, linearised from their rendered MathML (hooks/formula_text.py): a result
shows "ΔW = BA = 0", not TeX source, and what a reader types is what gets highlighted.

Material removes the `data-search-keywords` attribute from the page itself once it has indexed the page.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import formula_text
from model import SITE

# Search ranks a page's own entry (its title and introduction) above its questions, since a short title that
# contains the query outscores a long question; Material then folds the questions under "more on this page".
# A low boost on that one entry lets the question itself be the visible result.
PAGE_ENTRY_BOOST = 0.1
NOTEBOOK_INTRO_PARAGRAPHS = 2  # "Illustrates: <question>" and the paragraph that says what the notebook shows


# Parts of an answer that name other questions, notebooks or papers: indexed, they make a question a result for
# other questions' terms. The short answer's label and the details' "Answer" label carry no meaning either.
NOT_INDEXED = [
    (re.compile(r'<summary>Answer</summary>'), '<summary data-search-exclude>Answer</summary>'),
    (re.compile(r'<p class="admonition-title">Short answer</p>'), '<p class="admonition-title" data-search-exclude>Short answer</p>'),
    (re.compile(r'<div class="admonition correction">'), '<div class="admonition correction" data-search-exclude>'),
    (re.compile(r'<p><strong>Run it:</strong>'), '<p data-search-exclude><strong>Run it:</strong>'),
    (re.compile(r'<p><strong>(Likely follow-ups|References)</strong></p>\s*<ul>'), r'<p data-search-exclude><strong>\1</strong></p>\n<ul data-search-exclude>'),
]


_notebook_urls: set[str] = set()

# What pymdownx.arithmatex leaves in the text Material indexes: \(…\) inline, \[…\] display (HTML-escaped).
INDEXED_FORMULA = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def readable_formulas(text: str) -> str:
    return INDEXED_FORMULA.sub(lambda m: html.escape(formula_text.text_of(html.unescape(m[1] or m[2])), quote=False), text)

# Material's configuration names its search worker; every page and the 404 page name the site's wrapper instead,
# which stems the query before Material's worker (imported from `?material=`) searches the stemmed index.
MATERIAL_WORKER = re.compile(r'("search": "(?:[^"]*/)?)(search\.[0-9a-f]+\.min\.js)"')
STEMMED_WORKER = r'\1stemmed-search.js?material=\2"'


def on_files(files, config):
    _notebook_urls.clear()
    _notebook_urls.update(f.url for f in files.documentation_pages() if f.src_uri.endswith(".ipynb"))
    return files


def on_page_content(html, page, config, files):
    if page.file.src_uri in SITE.pages:
        for pattern, replacement in NOT_INDEXED:
            html = pattern.sub(replacement, html)
    return html


def on_post_page(output, page, config):
    output, found = MATERIAL_WORKER.subn(STEMMED_WORKER, output)
    if found != 1:
        raise PluginError(f"{page.file.src_uri if page else '404.html'}: Material's search worker is not in the page's configuration")
    return output


def on_post_template(output_content, template_name, config):
    return on_post_page(output_content, None, config) if template_name == "404.html" else output_content


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    by_location = {url: q for q in SITE.questions() if (url := SITE.urls.get(q.id))}
    page_urls = {url.partition("#")[0] for url in by_location}
    introduced = set()
    for entry in index["docs"]:
        entry["text"] = readable_formulas(entry["text"])
        question = by_location.get(entry["location"])
        page_url, _, anchor = entry["location"].partition("#")
        if page_url in _notebook_urls:
            if anchor and page_url not in introduced:  # the first heading's section: the title and introduction
                introduced.add(page_url)
                entry["text"] = "</p>".join(entry["text"].split("</p>")[:NOTEBOOK_INTRO_PARAGRAPHS]) + "</p>"
            else:
                entry["text"] = ""
        elif question:
            entry["keywords"] = " ".join(question.keywords)
        elif entry["location"] in page_urls:
            # The page's own entry heads its group of results; its introduction would only compete with the
            # questions for their own terms.
            entry["boost"] = PAGE_ENTRY_BOOST
            entry["text"] = ""
    index_path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
