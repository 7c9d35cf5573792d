"""Permalinks: one page per question at q/<id>/ with its own link preview, and published ids that never break.

- q/<id>/ carries the question as title, its short answer as description, and og:url pointing at itself (link
  previews never see a #fragment); it sends the reader on to the question with its answer open. It is noindex and
  written after the build, so it is in no sitemap and no search index.
- published-ids.yml lists every id ever published, with the date it was first published (read into the model for
  the What's new page and feed): each must stay a current id or be declared an alias of one.
  Aliases work wherever an id does: q/<alias>/, #<alias> on any page and on the 404 page.
- q/index.json maps every id and alias to its question's address, for links whose #id is not on the page (a moved
  question, an alias, a stale link on the 404 page: answers.js reads it).
"""

from __future__ import annotations

import html
import json
import posixpath
from datetime import date
from pathlib import Path

import yaml

from model import ANSWER_HTML, SITE, ContentError, plain_text

REGISTRY = "published-ids.yml"

_aliases: dict[str, str] = {}


def _registry(config) -> tuple[dict[str, date], dict[str, str], list[str]]:
    """{id: date first published}, {old id: current id}, and what is wrong with the file."""
    path = Path(config.config_file_path).parent / REGISTRY
    if not path.is_file():
        raise ContentError(f"{REGISTRY} is missing: it lists every published question id")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    ids = data.get("ids") or {}
    if not isinstance(ids, dict):
        raise ContentError(f"{REGISTRY}: 'ids' must map each published id to the date it was first published (id: YYYY-MM-DD)")
    problems = [
        f"{REGISTRY}: '{qid}' needs the date it was first published, as YYYY-MM-DD (got {when!r})"
        for qid, when in ids.items()
        if not isinstance(when, date)
    ]
    return {qid: when for qid, when in ids.items() if isinstance(when, date)}, dict(data.get("aliases") or {}), problems


def on_nav(nav, config, files):
    published, aliases, problems = _registry(config)
    current = {q.id: q for q in SITE.questions()}
    for old, new in aliases.items():
        if old in current:
            problems.append(f"{REGISTRY}: '{old}' is declared an alias but is a current question's id")
        if new not in current:
            problems.append(f"{REGISTRY}: alias '{old}' leads to '{new}', which is no current question's id")
    for qid in published:
        if qid not in current and qid not in aliases:
            problems.append(
                f"{REGISTRY}: published id '{qid}' is no longer on any page. Restore it, or declare it an alias "
                f"of the question that replaces it (aliases: {{{qid}: new-id}})"
            )
    for qid, question in current.items():
        if qid not in published:
            problems.append(
                f"docs/{question.src_uri}, question '{qid}' (“{question.title}”): its id is not in {REGISTRY}; "
                "add it there (a published id is permanent)"
            )
    if problems:
        raise ContentError("\n".join(problems))
    _aliases.clear()
    _aliases.update(aliases)
    SITE.published = {qid: published[qid] for qid in current}
    return nav


def address_map() -> dict[str, str]:
    """Every id and alias -> its question's address relative to the site root (page URL + #id)."""
    return {**SITE.urls, **{old: SITE.urls[new] for old, new in _aliases.items()}}


PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title} — {site_name}</title>
<meta name="description" content="{description}">
<meta name="robots" content="noindex, follow">
<link rel="canonical" href="{target_abs}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{site_name}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{description}">
<meta property="og:url" content="{permalink}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{title}">
<meta name="twitter:description" content="{description}">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace(new URL({target_js}, location.href).href)</script>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}a{{color:#3949ab}}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{description}</p>
<p><a href="{target}">Open the answer on {page_title}</a></p>
</main>
</body>
</html>
"""


def _page(config, qid: str, question, address: str) -> str:
    depth = posixpath.relpath(".", f"q/{qid}")  # "../.."
    target = f"{depth}/{address}"
    site_url = config.site_url or ""
    esc = lambda text: html.escape(text, quote=True)  # noqa: E731
    return PAGE.format(
        lang=config.theme.get("language", "en"),
        title=esc(question.title),
        site_name=esc(config.site_name),
        description=esc(plain_text(question.short_answer)),
        permalink=esc(f"{site_url}q/{qid}/"),
        target=esc(target),
        target_abs=esc(site_url + address),
        target_js=json.dumps(target).replace("<", "\\u003c"),
        page_title=esc(SITE.pages[question.src_uri].title),
    )


def on_page_content(html_text, page, config, files):
    """Each question's heading gets a copy-link button (Material's clipboard handler copies data-clipboard-text and
    says so), and each answer ends with its permalink, visible and selectable."""
    if page.file.src_uri not in SITE.pages:
        return html_text
    root = "" if page.url in ("", "/") else posixpath.relpath(".", page.url.rstrip("/")) + "/"
    titles = {q.id: q.title for q in SITE.pages[page.file.src_uri].questions}

    def add_links(match):
        qid = match["id"]
        permalink = html.escape((config.site_url or "") + f"q/{qid}/")
        button = (
            f'<button type="button" class="qa-copy-link" title="Copy the link to this answer" '
            f'aria-label="Copy the link to this answer: {html.escape(titles.get(qid, qid))}" '
            f'data-clipboard-text="{permalink}"></button>'
        )
        answer = match["answer"].replace("</h2>", button + "</h2>", 1)
        link = f'<p class="qa-permalink" data-search-exclude>Link to this answer: <a href="{root}q/{qid}/">{permalink}</a></p>\n'
        return answer + link + match["end"]

    return ANSWER_HTML.sub(add_links, html_text)


def on_post_build(config):
    site = Path(config.site_dir)
    by_id = {q.id: q for q in SITE.questions()}
    addresses = address_map()
    for qid, address in addresses.items():
        question = by_id[_aliases.get(qid, qid)]
        out = site / "q" / qid / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_page(config, qid, question, address), encoding="utf-8")
    (site / "q" / "index.json").write_text(json.dumps(addresses, separators=(",", ":")), encoding="utf-8")
