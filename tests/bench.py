"""`make bench`: build times (cold: no caches; warm: every cache hit), the bytes a reader's browser loads, and
Lighthouse scores.

The site is served as GitHub Pages serves it: text (HTML, CSS, JS, JSON, SVG) gzip-compressed, fonts and images as
they are, `Cache-Control: max-age=600`. Lighthouse (npm, pinned in package-lock.json) runs against Debian's Chromium
with its default mobile settings; each number is the median of LIGHTHOUSE_RUNS runs. Timings on a shared machine are
noisy: compare numbers from one run. `--no-lighthouse` skips Lighthouse.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, mkdocs_build  # noqa: E402

PAGES = {
    "home page": "",
    "Q&A page (fine-tuning/lora-and-qlora/, answers open)": "fine-tuning/lora-and-qlora/",
    "notebook page (notebooks/chinchilla-compute-optimal/)": "notebooks/chinchilla-compute-optimal/",
}
NOT_FOUND_PAGE = "404.html"  # what GitHub Pages serves for a missing address (Lighthouse won't audit a 404 status)
SEARCH_INDEX = "search/search_index.json"
COMPRESSED_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_RUNS = 3
CACHES = (ROOT / ".cache" / "mkdocs-jupyter", ROOT / ".cache" / "math")


# --- Builds -----------------------------------------------------------------------------------------------------
def timed_build(site_dir: Path, port: int) -> float:
    start = time.perf_counter()
    result = mkdocs_build(ROOT, site_dir, env={"SITE_URL": f"http://127.0.0.1:{port}/"})
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(result.stderr)
    return elapsed


def build_times(site_dir: Path, port: int) -> tuple[float, float]:
    """Cold (notebooks executed, every formula rendered), then warm (both from the cache)."""
    for cache in CACHES:
        shutil.rmtree(cache, ignore_errors=True)
    return timed_build(site_dir, port), timed_build(site_dir, port)


# --- Serving like GitHub Pages ----------------------------------------------------------------------------------
class PagesHandler(SimpleHTTPRequestHandler):
    """Gzip for text, max-age=600 for everything, the site's 404.html for missing paths."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
        body = path.read_bytes()
        compressed = path.suffix in COMPRESSED_TYPES
        if compressed:
            body = gzip.compress(body, compresslevel=6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site_dir: Path, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(PagesHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- Bytes at load ----------------------------------------------------------------------------------------------
def kind_of(url: str) -> str:
    if url.startswith("data:"):  # an image or icon inside the page or a stylesheet: no request of its own
        return "data: URLs"
    path = url.split("?")[0]
    if path.endswith(SEARCH_INDEX):
        return "search index"
    if "/fonts/" in path or path.endswith((".woff", ".woff2")):
        return "fonts"
    if path.endswith("/") or path.endswith(".html"):
        return "HTML"
    return path.rsplit(".", 1)[-1]


def page_weight(browser, url: str) -> dict:
    """Bytes transferred (as served: gzipped text) by kind, and the request count, for one page with every answer
    open. Encoded sizes come from the Network domain (Playwright reports decoded bodies)."""
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.close()
    groups: dict[str, int] = defaultdict(int)
    for request, size in sizes.items():
        if request in urls:
            groups[kind_of(urls[request])] += size
    total = sum(groups.values())
    return {"total": total, "without index": total - groups.get("search index", 0), "requests": len(sizes),
            "groups": dict(groups)}


def print_weight(label: str, weight: dict):
    parts = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(weight["groups"].items(), key=lambda kv: -kv[1]))
    print(f"{label}: {weight['total'] / 1024:.0f} KB in {weight['requests']} requests, "
          f"{weight['without index'] / 1024:.0f} KB without the search index ({parts})")


# --- Lighthouse -------------------------------------------------------------------------------------------------
def lighthouse_once(url: str, categories: str) -> dict:
    result = subprocess.run(
        [str(LIGHTHOUSE), url, f"--only-categories={categories}", "--output=json", "--output-path=stdout",
         "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
    )
    if result.returncode:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    scores = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    if "performance" in report["categories"]:
        scores |= {
            "TBT ms": audits["total-blocking-time"]["numericValue"],
            "LCP ms": audits["largest-contentful-paint"]["numericValue"],
            "CLS": audits["cumulative-layout-shift"]["numericValue"],
        }
    return scores


def lighthouse(url: str, categories: str = "performance,accessibility") -> dict:
    runs = [lighthouse_once(url, categories) for _ in range(LIGHTHOUSE_RUNS)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def print_lighthouse(label: str, scores: dict):
    parts = []
    for key, value in scores.items():
        parts.append(f"{key} {value:.3f}" if key == "CLS" else f"{key} {value:.0f}")
    print(f"    Lighthouse (mobile, median of {LIGHTHOUSE_RUNS}): {', '.join(parts)}")


# --- Main -------------------------------------------------------------------------------------------------------
def print_word_counts():
    """Words in each short answer and in the depth after it (a formula counts as one word), so growth stays visible."""
    from conftest import site_sources  # puts hooks/ on the path

    import model

    total_short = total_depth = 0
    print("Words per answer (short answer / depth, references excluded):")
    for page in model.collect(site_sources()).values():
        for q in page.questions:
            depth = q.answer.replace(q.short_answer, "").split("**References**")[0]
            short, rest = model.count_words(q.short_answer), model.count_words(depth)
            total_short, total_depth = total_short + short, total_depth + rest
            print(f"  {q.id:32} {short:4} / {rest:5}")
    print(f"  {'total':32} {total_short:4} / {total_depth:5}")


def print_search_hits(browser, base: str):
    """hit@1 and hit@3 of the public query set (tests/search_queries.tsv), typed into the search box."""
    from reader import question_addresses, search
    from test_search import query_set

    addresses = question_addresses()
    page = browser.new_page()
    page.goto(base)
    page.keyboard.press("/")
    queries = query_set()
    hit1 = hit3 = 0
    for query, qid in queries:
        results = search(page, query)
        hit1 += results[:1] == [addresses[qid]]
        hit3 += addresses[qid] in results[:3]
    print(f"Search: hit@1 {hit1}/{len(queries)}, hit@3 {hit3}/{len(queries)}")
    page.close()


def print_pdfs(browser, site_dir: Path):
    """`make pdf`'s two files: time to print them, size and page count."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_pdf

    start = time.perf_counter()
    written = make_pdf.print_pdfs(site_dir, browser)
    print(f"PDFs, printed in {time.perf_counter() - start:.1f} s:")
    for name, path in written.items():
        print(f"  {name}:{make_pdf.describe(path)}")


def main():
    print_word_counts()
    from playwright.sync_api import sync_playwright

    run_lighthouse = "--no-lighthouse" not in sys.argv
    port = free_port()
    site_dir = Path(tempfile.mkdtemp(prefix="bench-site-"))
    cold, warm = build_times(site_dir, port)
    print(f"build, cold (notebooks executed, formulas rendered): {cold:6.1f} s")
    print(f"build, warm (every cache hit):                       {warm:6.1f} s")
    index = (site_dir / SEARCH_INDEX).read_bytes()
    print(f"search index: {len(gzip.compress(index, 6)) / 1024:.1f} KB gzipped ({len(index) / 1024:.0f} KB raw)")

    server = serve(site_dir, port)
    base = f"http://127.0.0.1:{port}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print_search_hits(browser, base)
        print_pdfs(browser, site_dir)
        for label, path in PAGES.items():
            print_weight(label, page_weight(browser, base + path))
            if run_lighthouse:
                print_lighthouse(label, lighthouse(base + path))
        browser.close()
    if run_lighthouse:
        print("404 page:")
        print_lighthouse("404 page", lighthouse(base + NOT_FOUND_PAGE, "accessibility"))
    server.shutdown()
    shutil.rmtree(site_dir)


if __name__ == "__main__":
    main()
