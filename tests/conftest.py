"""Shared fixtures: the built site, served on 127.0.0.1, and real Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import datetime
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

# Debian's Chromium here and in CI; GitHub's runners set QA_CHROMIUM to their Google Chrome.
CHROMIUM = os.environ.get("QA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def mkdocs_build(project: Path, site_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project` into `site_dir`; returns the finished process (never raises)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def copy_sources(dest: Path, notebooks: bool = True) -> Path:
    """A copy of what the build reads, to break in a test; node_modules (MathJax, which renders the formulas) is
    linked, not copied."""
    for name in ("mkdocs.yml", "published-ids.yml", "requirements.txt", "hooks", "tools", "overrides", "docs") + (("notebooks",) if notebooks else ()):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def build_with_planted_cells(dest: Path, stem: str, cells: list, env: dict | None = None) -> str:
    """Build a copy of the site whose notebooks are one-cell stand-ins, but notebook `stem` gets `cells` after its
    first cell; the build must fail. Returns its output (so only the planted cells take time)."""
    import nbformat

    copy_sources(dest, notebooks=False)
    (dest / "notebooks").mkdir()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = notebook.cells[:1] + (cells if path.stem == stem else [])
        nbformat.write(notebook, dest / "notebooks" / path.name)
    result = mkdocs_build(dest, dest / "site", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed:\n{output[-2000:]}"
    return output


def site_sources() -> dict[str, str]:
    """{src_uri: Markdown} of the site's pages as the build sees them: docs/*.md, plus the mounted notebooks."""
    sources = {p.relative_to(ROOT / "docs").as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")}
    sources.update({f"notebooks/{p.name}": "" for p in (ROOT / "notebooks").glob("*.ipynb")})
    return sources


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The built site: $QA_SITE_DIR when `make test` has just built it, else a fresh strict build."""
    if given := os.environ.get("QA_SITE_DIR"):
        path = (ROOT / given).resolve()
        assert (path / "index.html").is_file(), f"{path} holds no built site"
        return path
    path = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, path, env={"SITE_URL": f"http://127.0.0.1:{free_port()}/"})
    assert result.returncode == 0, result.stderr
    return path


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site like GitHub Pages does: quietly, and with the site's 404.html for missing paths."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    """Serve the site at the address it was built for (its site_url): Material's instant navigation only
    takes over links whose port matches the one in sitemap.xml."""
    loc = re.search(r"<loc>(http://127\.0\.0\.1:\d+/)", (site_dir / "sitemap.xml").read_text())
    assert loc, "the site was not built for a 127.0.0.1 address: build it with SITE_URL=http://127.0.0.1:PORT/"
    port = urlsplit(loc[1]).port
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        pytest.fail(f"cannot serve the site at {loc[1]} (is something else on port {port}?): {error}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield loc[1]
    server.shutdown()


# --- A variant of the site, built once per session: what the real content cannot show -------------------------
# One question renamed with its old id as an alias; one question planted, dated after every other and later updated,
# on the LoRA page; the repository GitHub Actions would name, so the report links appear.
RENAMED = ("lora-rank", "lora-rank-choice")
PLANTED = "planted-question"
PLANTED_PAGE = "docs/fine-tuning/lora-and-qlora.md"
PLANTED_PUBLISHED, PLANTED_UPDATED = "2099-01-01", "2099-01-02"
PLANTED_REPOSITORY = ("example-owner/qa-fork", "https://github.example")
PLANTED_QUESTION = f"""
## What is a planted question? {{ #{PLANTED} data-level="advanced" }}

??? answer "Answer"

    !!! short-answer "Short answer"

        A question the tests plant to see every count, list, deck and feed follow the question model, with a
        formula, $\\Delta W = BA$.

    The depth of the planted question.

    !!! updated "Updated {PLANTED_UPDATED}"

        The planted question's update note.

    **References**

    - Hu et al., *LoRA: Low-Rank Adaptation of Large Language Models*, 2021 — [arXiv:2106.09685](https://arxiv.org/abs/2106.09685)
"""


@pytest.fixture(scope="session")
def variant_site(tmp_path_factory):
    """The variant site (above), built with its notebooks cut to their first cell and served on 127.0.0.1: yields
    (address, built site directory)."""
    import nbformat
    import yaml

    project = copy_sources(tmp_path_factory.mktemp("variant"), notebooks=False)
    (project / "notebooks").mkdir()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = notebook.cells[:1]
        nbformat.write(notebook, project / "notebooks" / path.name)
    old, new = RENAMED
    for md in [*(project / "docs").rglob("*.md"), *(project / "notebooks").glob("*.ipynb")]:
        text = md.read_text(encoding="utf-8")
        md.write_text(re.sub(rf"\{{ *#{old}\b", f"{{ #{new}", text).replace(f"#{old})", f"#{new})"), encoding="utf-8")
    page = project / PLANTED_PAGE
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + "\n" + PLANTED_QUESTION, encoding="utf-8")
    registry = yaml.safe_load((project / "published-ids.yml").read_text(encoding="utf-8"))
    registry["ids"][new] = registry["ids"][old]
    registry["ids"][PLANTED] = datetime.date.fromisoformat(PLANTED_PUBLISHED)
    registry["aliases"] = {old: new}
    (project / "published-ids.yml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    port = free_port()
    repository, server_url = PLANTED_REPOSITORY
    env = {"SITE_URL": f"http://127.0.0.1:{port}/", "GITHUB_REPOSITORY": repository, "GITHUB_SERVER_URL": server_url}
    result = mkdocs_build(project, project / "site", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(SiteHandler, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/", project / "site"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page plus everything that went wrong on it: console errors, page errors, requests to other origins."""

    def __init__(self, page, origin: str):
        self.page = page
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        # Chromium reports a font it cannot decode (the formula then draws in a fallback) as a warning.
        broken = lambda m: m.type == "error" or (m.type == "warning" and "Failed to decode downloaded font" in m.text)  # noqa: E731
        page.on("console", lambda m: broken(m) and self.console_errors.append(f"{m.text} ({page.url})"))
        page.on("pageerror", lambda e: self.console_errors.append(f"{e} ({page.url})"))

        def guard(route):
            url = route.request.url
            if url.startswith(origin) or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.foreign_requests.append(url)
                route.abort()

        page.context.route("**/*", guard)

    def assert_clean(self, expected_404: str | None = None):
        """No request left 127.0.0.1 and nothing was logged as an error (but the 404 a test asked for)."""
        errors = [e for e in self.console_errors if not (expected_404 and "404 (Not Found)" in e and expected_404 in e)]
        assert not self.foreign_requests, f"requests left 127.0.0.1: {self.foreign_requests}"
        assert not errors, f"console errors: {errors}"


@pytest.fixture
def watched(browser, base_url):
    context = browser.new_context(base_url=base_url, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield Watched(page, base_url.rstrip("/"))
    context.close()


@pytest.fixture(scope="session")
def built_pages(site_dir) -> list[str]:
    """URL path of every built page (directory URLs), relative to the site root; the 404 page excluded."""
    paths = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if not rel.startswith(("assets", "q/")):  # q/<id>/ pages only forward to the question (test_permalinks)
            paths.append("" if rel == "." else rel + "/")
    return paths
