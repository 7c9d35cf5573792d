"""What's new: the questions newest first, grouped by the day each was first published (published-ids.yml) or
updated (an answer's dated `!!! updated` note), each with its short answer and permanent link; and the same as an Atom
feed, feed.xml (feedgen), which every page names in its head (overrides/main.html).

One feed entry per question: its title, its short answer as text (formulas as the search results show them), its
permanent q/<id>/ address, the day it was published and, if the answer declares one, the day it was last updated
with what changed.
"""

from __future__ import annotations

import posixpath
from datetime import date, datetime, time, timezone
from pathlib import Path

from feedgen.feed import FeedGenerator

from model import SITE, plain_text

MARKER = "<!-- whats-new -->"
FEED = "feed.xml"
PAGE = "whats-new.md"


def _timestamp(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def events() -> list[tuple[date, str, object, str]]:
    """(day, "added" or "updated", question, note) for every question, newest first, then in site order."""
    order = {q.id: i for i, q in enumerate(SITE.questions())}
    found = [(SITE.published[q.id], "added", q, "") for q in SITE.questions()]
    found += [(when, "updated", q, note) for q in SITE.questions() for when, note in q.updates]
    return sorted(found, key=lambda e: (-e[0].toordinal(), e[1] != "updated", order[e[2].id]))


def _indent(markdown: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in markdown.splitlines())


def whats_new(from_uri: str) -> str:
    """Markdown: a section per day, newest first; under it each question added or updated that day."""
    out, day = [], None
    for when, kind, question, note in events():
        if when != day:
            day = when
            out.append(f"## {when:%-d %B %Y} {{ #on-{when.isoformat()} }}\n")
        link = posixpath.relpath(question.src_uri, posixpath.dirname(from_uri) or ".") + "#" + question.id
        label = "Updated" if kind == "updated" else "New"
        out.append(f"- **{label}: [{question.title}]({link})** ({question.level})\n")
        out.append(_indent(note if kind == "updated" else question.short_answer) + "\n")
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, whats_new(page.file.src_uri))
    return markdown


def on_post_build(config):
    site_url = config.site_url or ""
    feed = FeedGenerator()
    feed.id(site_url)
    feed.title(f"{config.site_name} — What's new")
    feed.subtitle("New and updated interview questions, each with its short answer and permanent link.")
    feed.author({"name": config.site_name})
    feed.link(href=f"{site_url}{FEED}", rel="self")
    feed.link(href=f"{site_url}whats-new/", rel="alternate")
    feed.language(config.theme.get("language", "en"))
    latest = {}
    for when, _kind, question, note in events():
        latest.setdefault(question.id, (when, note))
    order = {q.id: i for i, q in enumerate(SITE.questions())}
    # feedgen prepends each new entry: add the oldest first, so the feed reads newest first, then in site order.
    for question in sorted(SITE.questions(), key=lambda q: (latest[q.id][0], -order[q.id])):
        updated, note = latest[question.id]
        permalink = f"{site_url}q/{question.id}/"
        entry = feed.add_entry()
        entry.id(permalink)
        entry.title(question.title)
        entry.link(href=permalink)
        entry.published(_timestamp(SITE.published[question.id]))
        entry.updated(_timestamp(updated))
        summary = plain_text(question.short_answer)
        if note:
            summary += f" (Updated {updated.isoformat()}: {plain_text(note)})"
        entry.summary(summary)
        entry.category(term=question.level)
        entry.category(term=SITE.section_of(question.src_uri) or SITE.pages[question.src_uri].title)
    feed.updated(_timestamp(max(when for when, *_ in events())))
    feed.atom_file(str(Path(config.site_dir) / FEED), pretty=True)
