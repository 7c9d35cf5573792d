"""Report a problem: every answer ends with a link that opens a new issue in the site's GitHub repository, its title
and body prefilled with the question's id, title and permanent address, so a report names the exact answer.

The repository is what GitHub Actions provides at build time (GITHUB_REPOSITORY, GITHUB_SERVER_URL), so a fork's site
reports to the fork. A build without it (a local build) shows no link rather than a wrong one. The link is in the
page from the build: nothing moves when the page appears.
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import urlencode

from model import ANSWER_HTML, SITE

REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
SERVER = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?$")


def new_issue_base() -> str | None:
    """https://github.com/owner/name/issues/new, or None when the build was not told its repository."""
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").strip().rstrip("/")
    if not REPOSITORY.match(repository) or not SERVER.match(server):
        return None
    return f"{server}/{repository}/issues/new"


def report_url(base: str, qid: str, title: str, permalink: str) -> str:
    body = (
        f"Question: {title}\n"
        f"Id: {qid}\n"
        f"Permanent address: {permalink}\n\n"
        "What is wrong (quote the sentence, and give a source if you have one):\n\n"
    )
    return f"{base}?{urlencode({'title': f'Problem in the answer to “{title}” ({qid})', 'body': body})}"


def on_page_content(html_text, page, config, files):
    base = new_issue_base()
    if not base or page.file.src_uri not in SITE.pages:
        return html_text
    titles = {q.id: q.title for q in SITE.pages[page.file.src_uri].questions}

    def add_link(match):
        qid = match["id"]
        title = titles.get(qid, qid)
        url = report_url(base, qid, title, f"{config.site_url or ''}q/{qid}/")
        link = (
            f'<p class="qa-report" data-search-exclude><a href="{html.escape(url)}" '
            f'aria-label="Report a problem with this answer: {html.escape(title)}">Report a problem with this answer</a></p>\n'
        )
        return match["answer"] + link + match["end"]

    return ANSWER_HTML.sub(add_link, html_text)
