"""Notebook pages: mkdocs-jupyter hands each converted notebook to MkDocs as Markdown; make it light and searchable
by its prose only."""

from __future__ import annotations

import re

# nbconvert inlines ~590 KB of JupyterLab CSS and a Pygments theme into every notebook page (and, with Markdown
# cells processed by MkDocs, a stray indented copy that renders as a code block). The site styles notebooks with a
# few rules in qa.css and Material's own code highlighting instead, so the styles go before rendering.
NOTEBOOK_STYLE = re.compile(r"[ \t]*<style[^>]*>.*?</style>[ \t]*\n?", re.S)
# A notebook repeats its question's terms; search should land on the answer first, then on the notebook.
NOTEBOOK_SEARCH_BOOST = 0.1


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_markdown(markdown, page, config, files):
    if not _is_notebook(page):
        return markdown
    page.meta.setdefault("search", {"boost": NOTEBOOK_SEARCH_BOOST})
    return NOTEBOOK_STYLE.sub("", markdown)


def on_page_content(html, page, config, files):
    if _is_notebook(page):
        # Code and output blocks scroll sideways: make them reachable from the keyboard, as Material does.
        html = html.replace("<pre>", '<pre tabindex="0">')
        # Search indexes a notebook's prose, not its code and printed output.
        html = html.replace('<div class="jp-Cell jp-CodeCell', '<div data-search-exclude class="jp-Cell jp-CodeCell')
    return html
