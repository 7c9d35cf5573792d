"""The built site, read as HTML: question markup, links and anchors, meta descriptions, no other origins."""

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import site_sources

import model

SITE_PREFIX = "http://site.invalid/"  # a stand-in origin to resolve relative URLs against


def pages(site_dir: Path) -> dict[str, BeautifulSoup]:
    return {
        path.relative_to(site_dir).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(site_dir.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def built(site_dir):
    return pages(site_dir)


def test_no_mathjax_script_is_shipped(site_dir):
    """Formulas are HTML from the build: no copy of MathJax's browser code belongs in the site."""
    shipped = [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.js") if "mathjax" in p.as_posix().lower()]
    assert shipped == []


def test_every_question_is_a_heading_with_a_collapsed_answer(built):
    questions = []
    for name, soup in built.items():
        for details in soup.select("article details.answer"):
            heading = details.find_previous_sibling()
            assert heading is not None and heading.name == "h2" and heading.get("id"), f"{name}: answer without heading"
            assert not details.has_attr("open"), f"{name}#{heading['id']}: answer is not collapsed"
            assert details.get_text(strip=True) != "Answer", f"{name}#{heading['id']}: empty answer"
            questions.append(heading["id"])
    in_model = [q.id for page in model.collect(site_sources()).values() for q in page.questions]
    assert sorted(questions) == sorted(in_model) and len(set(questions)) == len(questions)


def test_home_page_lists_every_question(built):
    home = built["index.html"].select_one("article")
    links = {a["href"].split("#")[1] for a in home.select("li a[href*='#']")}
    all_ids = {d.find_previous_sibling()["id"] for soup in built.values() for d in soup.select("article details.answer")}
    assert links == all_ids
    # The list comes first, right after the introduction: the study panel and the notation table follow it.
    sections = [h2.get_text(strip=True).rstrip("¶") for h2 in home.select("h2")]
    assert sections[-2:] == ["Study", "Notation"] and len(sections) > 2, sections


def _targets(built) -> dict[str, set[str]]:
    """URL path of every page → the ids on it."""
    ids = {}
    for name, soup in built.items():
        url = "/" + (name[: -len("index.html")] if name.endswith("index.html") else name)
        ids[url] = {el["id"] for el in soup.select("[id]")}
    return ids


def test_internal_links_and_anchors_resolve(site_dir, built):
    targets = _targets(built)
    broken = []
    for name, soup in built.items():
        base = urljoin(SITE_PREFIX, name)
        for a in soup.select("a[href]"):
            url = urljoin(base, a["href"])
            if not url.startswith(SITE_PREFIX):
                continue
            parts = urlsplit(url)
            path = unquote(parts.path)
            if path in targets:
                if parts.fragment and parts.fragment not in targets[path]:
                    broken.append(f"{name}: {a['href']} (no id '{parts.fragment}')")
            elif not (site_dir / path.lstrip("/")).is_file():
                broken.append(f"{name}: {a['href']} (no such file)")
    assert broken == []


OTHER_ORIGIN = re.compile(r"""(?:https?:)?//(?!127\.0\.0\.1[:/]|localhost[:/])[\w.-]+""")


def test_no_script_style_or_font_from_another_origin(site_dir, built):
    found = []
    for name, soup in built.items():
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")):
            for el in soup.find_all(tag):
                if tag == "link" and not {"stylesheet", "preload", "icon", "modulepreload", "manifest"} & set(el.get("rel", [])):
                    continue
                if el.get(attr) and OTHER_ORIGIN.match(el[attr]):
                    found.append(f"{name}: <{tag} {attr}={el[attr]}>")
        for style in soup.find_all("style"):
            found += [f"{name}: <style> {m}" for m in re.findall(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")]+)", style.text)]
    for css in site_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        found += [f"{css.name}: {m}" for m in re.findall(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")]+)", text)]
    assert found == []


def test_every_page_has_a_meta_description(built):
    descriptions = {}
    for name, soup in built.items():
        meta = soup.find("meta", attrs={"name": "description"})
        assert meta and len(meta.get("content", "")) >= 50, f"{name}: no meta description"
        descriptions[name] = meta["content"]
    question_pages = [n for n, s in built.items() if s.select("details.answer")]
    assert len({descriptions[n] for n in question_pages}) == len(question_pages), "question pages share a description"
