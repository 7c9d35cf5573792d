"""Search: each question is its own result, found by its declared keywords, shown with its short answer.

Material's search plugin writes search/search_index.json; this hook edits it after the build:
- a `keywords` field, weighted like the title (Material's worker indexes every field listed in the index's config);
- a question's snippet starts with its short answer;
- a question page's own entry (its title and introduction) weighs little, so the questions are the results.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

import model
from model import SITE

# Search ranks a page's own entry (its title and introduction) above its questions, since a short title that
# contains the query outscores a long question; Material then folds the questions under "more on this page".
# A low boost on that one entry lets the question itself be the visible result.
PAGE_ENTRY_BOOST = 0.1
TITLE_BOOST = 1e3  # Material's weight for the title field
KEYWORDS_ATTR = re.compile(r' data-search-keywords="[^"]*"')


def on_page_content(html, page, config, files):
    # The keywords live in the index, not on the page.
    return KEYWORDS_ATTR.sub("", html)


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["config"].setdefault("fields", {})["keywords"] = {"boost": TITLE_BOOST}
    by_location = {url: q for q in SITE.questions() if (url := SITE.urls.get(q.id))}
    page_urls = {url.partition("#")[0] for url in by_location}
    for entry in index["docs"]:
        question = by_location.get(entry["location"])
        if question:
            entry["keywords"] = " ".join(question.keywords)
        elif entry["location"] in page_urls:
            entry["boost"] = PAGE_ENTRY_BOOST
    index_path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
