"""Levels: each question's declared level ("core": any LLM interview may ask it; "advanced": specialist or research
roles) shown as text beside it, on its page and in the home page's list, and q/levels.json for study mode's
"core only" quiz (study.js).

The label is kept out of the search index and the table of contents: it is added after both are made from the
heading.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from model import SITE

HEADING = re.compile(r'(<h2\b[^>]*\bid="(?P<id>[a-z0-9-]+)"[^>]*>)(?P<inner>.*?)(?P<end><a class="headerlink"|</h2>)', re.S)
LIST_LINK = re.compile(r'(<li><a href="[^"]*#(?P<id>[a-z0-9-]+)">.*?</a>)(?=</li>)', re.S)


def badge(level: str) -> str:
    # No <span> inside the excluded <span>: Material's search parser matches elements by tag name, and the inner
    # span's end would end the exclusion.
    return (
        f'<span class="qa-level qa-level--{level}" data-search-exclude>'
        f'<small class="qa-visually-hidden">Level: </small>{level}</span>'
    )


def on_page_content(html, page, config, files):
    levels = {q.id: q.level for q in SITE.questions()}
    if page.file.src_uri in SITE.pages:
        return HEADING.sub(
            lambda m: m[1] + m["inner"] + badge(levels[m["id"]]) + m["end"] if m["id"] in levels else m[0], html
        )
    if page.is_homepage:
        return LIST_LINK.sub(lambda m: m[1] + " " + badge(levels[m["id"]]) if m["id"] in levels else m[0], html)
    return html


def on_post_build(config):
    out = Path(config.site_dir) / "q" / "levels.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({q.id: q.level for q in SITE.questions()}, separators=(",", ":")), encoding="utf-8")
