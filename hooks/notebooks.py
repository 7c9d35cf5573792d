"""Notebook pages: mkdocs-jupyter hands each converted notebook to MkDocs as Markdown; make it light, searchable by
its prose (hooks/search.py keeps only its title, headings and introduction in the index), rendered from its
Markdown as written, and bounded in time."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
import time
from copy import deepcopy
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs_jupyter import nbconvert2
from mkdocs_jupyter import plugin as jupyter_plugin
from mkdocs_jupyter.metadata import split_frontmatter
from nbclient.exceptions import CellTimeoutError

# nbconvert inlines ~590 KB of JupyterLab CSS and a Pygments theme into every notebook page (and, with Markdown
# cells processed by MkDocs, a stray indented copy that renders as a code block). The site styles notebooks with a
# few rules in qa.css and Material's own code highlighting instead, so the styles go before rendering.
NOTEBOOK_STYLE = re.compile(r"[ \t]*<style[^>]*>.*?</style>[ \t]*\n?", re.S)
# A notebook repeats its question's terms; search should land on the answer first, then on the notebook. At 0.3
# "QLoRA" finds the notebook before the question; at 0.2, with 57 questions, the Chinchilla notebook's own title
# found it fifth (0.1 found one sixth with 30).
NOTEBOOK_SEARCH_BOOST = 0.25


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
        # JupyterLab's collapse handles, empty and never shown here: two elements per cell for the browser to style.
        html = COLLAPSER.sub("", html)
        html = figures_as_files(html, Path(config.site_dir) / page.file.dest_uri)
    return html


# --- Figures as files ---------------------------------------------------------------------------------------------
# nbconvert writes each figure into the page as base64 (a third larger, hardly compressible): 30-95 KB of a page's
# HTML, downloaded and parsed before the first paint although every figure is below it. Each becomes a PNG file next
# to the page, loaded when scrolled near (loading="lazy"), its size in the tag so that nothing moves when it arrives.
COLLAPSER = re.compile(r'<div class="jp-Collapser [^"]*">\s*</div>\s*')
INLINE_PNG = re.compile(r'(<img\b[^>]*?)\ssrc="data:image/png;base64,([A-Za-z0-9+/=\s]+)"([^>]*>)')


def figures_as_files(html: str, page_path: Path) -> str:
    def as_file(match: re.Match) -> str:
        data = base64.b64decode(match[2])
        width, height = struct.unpack(">II", data[16:24])  # the PNG header (IHDR)
        name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.png"
        page_path.parent.mkdir(parents=True, exist_ok=True)
        (page_path.parent / name).write_bytes(data)
        size = f' width="{width}" height="{height}"' if "width=" not in match[0] else ""
        return f'{match[1]} src="{name}"{size} loading="lazy" decoding="async"{match[3]}'

    return INLINE_PNG.sub(as_file, html)


# --- Markdown cells reach Python-Markdown as written -------------------------------------------------------------
# With markdown_cell_processor: mkdocs, the plugin's template writes each Markdown cell's raw source into the page,
# but nbconvert's HTMLExporter then parses the whole page with BeautifulSoup and writes it back: Markdown read as
# HTML. A `<` in math (`x_{<t}`) opens a tag that swallows the rest of the cell, and `>` and `&` come back as
# `&gt;` and `&amp;`, which arithmatex then escapes a second time. So the exporter sees a placeholder per Markdown
# cell, and each cell's source goes back in after BeautifulSoup, exactly as the notebook has it.
_export = nbconvert2.NotebookHTMLExporter.from_notebook_node


def _export_keeping_markdown(self, nb, resources=None, **kwargs):
    if (resources or {}).get("mkdocs", {}).get("markdown_cell_processor") != "mkdocs":
        return _export(self, nb, resources=resources, **kwargs)
    nb = deepcopy(nb)
    sources = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            source = cell.source
            if not sources:  # the plugin strips page metadata from the first Markdown cell: keep doing so
                source = split_frontmatter(source)[0]
            token = f"qa-markdown-cell-{index}-{os.urandom(6).hex()}"
            sources[token] = source
            cell.source = token
    try:
        html, resources = _export(self, nb, resources=resources, **kwargs)
    except CellTimeoutError as error:
        metadata = (resources or {}).get("metadata", {})
        notebook = os.path.join(metadata.get("path", ""), metadata.get("name", "notebook") + ".ipynb")
        raise PluginError(
            f"{os.path.relpath(notebook)}: did not finish within {notebook_timeout()} s "
            f"(QA_NOTEBOOK_TIMEOUT); the cell that was running:\n{error}"
        ) from None
    for token, source in sources.items():
        html = html.replace(token, source, 1)
    return html, resources


nbconvert2.NotebookHTMLExporter.from_notebook_node = _export_keeping_markdown

# The plugin keys its cache on the notebook's path, bytes and options, not on the packages that run it: the hash of
# the lock joins the key, so new numpy or matplotlib versions run every notebook (and its asserts) again. The
# "markdown-cells-kept" tag retires entries rendered before the Markdown-cell fix above.
LOCK_HASH = hashlib.sha256((Path(__file__).resolve().parents[1] / "requirements.txt").read_bytes()).hexdigest()[:16]
_cache_key = jupyter_plugin._compute_cache_key
jupyter_plugin._compute_cache_key = lambda *args, **kwargs: hashlib.sha256(
    f"{_cache_key(*args, **kwargs)}:markdown-cells-kept:{LOCK_HASH}".encode()
).hexdigest()


# --- A notebook that never finishes fails the build ----------------------------------------------------------------
# The plugin overwrites the ExecutePreprocessor configuration and sets no timeout. Each notebook gets a deadline
# when its conversion starts; every cell may run only until then (nbclient interrupts it and shuts the kernel down).
def notebook_timeout() -> int:
    return int(os.environ.get("QA_NOTEBOOK_TIMEOUT", "120"))


_nbconvert_app = nbconvert2.get_nbconvert_app


def _app_with_deadline(*args, **kwargs):
    app = _nbconvert_app(*args, **kwargs)
    deadline = time.monotonic() + notebook_timeout()
    app.config["ExecutePreprocessor"]["timeout_func"] = lambda cell: max(1, round(deadline - time.monotonic()))
    return app


nbconvert2.get_nbconvert_app = _app_with_deadline


# --- Warm rebuilds: the plugin's link rewriting, from a cache --------------------------------------------------
# Even when a notebook comes from the plugin's cache, its HTML is parsed again with BeautifulSoup to rewrite links:
# about 0.4 s per notebook. The result depends only on the page's HTML, its address and the site's files.
LINK_CACHE = Path(".cache") / "notebook-links"
_rewrite_notebook_urls = jupyter_plugin.rewrite_notebook_urls
_link_cache_used: set[Path] = set()


def _cached_rewrite(html, current, files, **kwargs):
    site_files = sorted(f"{f.abs_src_path}\0{f.url}\0{getattr(f, '_mkdocs_jupyter_mount', '')}" for f in files)
    key = hashlib.sha256(
        "\0".join([html, str(current.abs_src_path), current.url, repr(sorted(kwargs.items())), *site_files]).encode()
    ).hexdigest()
    cached = LINK_CACHE / f"{key}.html"
    _link_cache_used.add(cached)
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    html = _rewrite_notebook_urls(html, current, files, **kwargs)
    LINK_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(html, encoding="utf-8")
    return html


jupyter_plugin.rewrite_notebook_urls = _cached_rewrite


def on_post_build(config):
    # Links cached for notebooks no longer on the site (or changed) are dropped.
    for stale in set(LINK_CACHE.glob("*.html")) - _link_cache_used:
        stale.unlink()
    _link_cache_used.clear()
