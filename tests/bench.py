"""`make bench`: build times (cold: no caches; warm: every cache hit), the bytes a reader's browser loads, and
Lighthouse scores next to a plain Material page's, from the same run.

The site is served as GitHub Pages serves it: text (HTML, CSS, JS, JSON, SVG) gzip-compressed, fonts and images as
they are, `Cache-Control: max-age=600`. Lighthouse (npm, pinned in package-lock.json) runs against Debian's Chromium
with its default mobile settings, each page LIGHTHOUSE_RUNS times, taking turns, and prints the medians.

The baseline is a plain Material page built in the same run: the LoRA page's prose with its formulas as plain text,
the site's theme settings and Material version, none of its hooks, CSS or JavaScript. Each page type is compared with
it (TBT and Style & Layout as a ratio); a page with its answers open (`?open`: the server opens every <details>) with
the baseline's open too. Timings on a shared machine are noisy: compare numbers from one run only.

Options: `--no-lighthouse` skips Lighthouse; `--runs N` (default 3); `--no-cold` skips the cold build (keeps the
caches); `--against REF` also builds git REF (e.g. `main`) and measures its pages in the same run, for a before/after.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, mkdocs_build  # noqa: E402

# One page of each type; "?open" serves it with every answer open.
PAGES = {
    "home": "",
    "Q&A, answers closed": "fine-tuning/lora-and-qlora/",
    "Q&A, answers open": "fine-tuning/lora-and-qlora/?open",
    "notebook": "notebooks/chinchilla-compute-optimal/",
    "404": "404.html",  # what GitHub Pages serves for a missing address (Lighthouse won't audit a 404 status)
}
BASELINE = {"plain Material": "", "plain Material, answers open": "?open"}
BASELINE_SOURCE = "docs/fine-tuning/lora-and-qlora.md"
SEARCH_INDEX = "search/search_index.json"
COMPRESSED_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_RUNS = 3
CACHES = (ROOT / ".cache" / "mkdocs-jupyter", ROOT / ".cache" / "math")
AGAINST_DIR = ROOT / ".cache" / "bench"  # git REF's sources for --against, one folder per commit (keeps its caches)


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


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's `!ENV` tags read as nothing: the baseline takes only the theme and the extensions."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
FORMULA = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
OTHER_PAGE_LINK = re.compile(r"\]\((?!https?:|#)[^)#]*(#[^)]*)?\)")


def formula_as_plain_text(tex: str) -> str:
    return " ".join(re.sub(r"\\[A-Za-z]+|[{}^_\\&]", " ", tex).split())


def build_baseline(dest: Path, port: int) -> Path:
    """A plain Material site of one page: BASELINE_SOURCE's prose, formulas as plain text, links to other pages
    made links within the page; the site's theme settings and Markdown extensions (no math), Material's search,
    and nothing else of the site (no hooks, overrides, extra CSS or JavaScript)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    extensions = [e for e in config["markdown_extensions"] if "arithmatex" not in (e if isinstance(e, str) else next(iter(e)))]
    text = (ROOT / BASELINE_SOURCE).read_text(encoding="utf-8")
    text = FORMULA.sub(lambda m: formula_as_plain_text(m[1] or m[2]), text)
    text = OTHER_PAGE_LINK.sub(lambda m: f"]({m[1] or '#'})", text)
    (dest / "docs").mkdir(parents=True)
    (dest / "docs" / "index.md").write_text(text, encoding="utf-8")
    baseline = {"site_name": config["site_name"], "site_url": f"http://127.0.0.1:{port}/", "theme": theme,
                "markdown_extensions": extensions, "plugins": ["search"]}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(baseline, allow_unicode=True), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(dest / "site")],
                            cwd=dest, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode:
        sys.exit(f"the baseline did not build:\n{result.stderr[-2000:]}")
    return dest / "site"


def build_ref(ref: str, port: int) -> Path:
    """git REF's site, built from its own sources (git archive) in .cache/bench/<commit>/, where its caches stay."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    project = AGAINST_DIR / commit[:12]
    if not (project / "mkdocs.yml").is_file():
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
        project.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(project, filter="data")
        (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    result = mkdocs_build(project, project / "site", env={"SITE_URL": f"http://127.0.0.1:{port}/"})
    if result.returncode:
        sys.exit(f"{ref} did not build:\n{result.stderr[-2000:]}")
    return project / "site"


# --- Serving like GitHub Pages ----------------------------------------------------------------------------------
CLOSED_DETAILS = re.compile(rb"<details(?![^>]*\bopen\b)")


class PagesHandler(SimpleHTTPRequestHandler):
    """Gzip for text, max-age=600 for everything, the site's 404.html for missing paths; `?open` opens every
    <details> of a page (a Q&A page with its answers open, as "Reveal all answers" shows it)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        open_answers = urlsplit(self.path).query == "open"
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
        body = path.read_bytes()
        if open_answers and path.suffix == ".html":
            body = CLOSED_DETAILS.sub(b"<details open", body)
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
COLUMNS = ("performance", "TBT ms", "LCP ms", "CLS", "Style & Layout ms", "KB", "accessibility")


def lighthouse_once(url: str) -> dict:
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--only-categories=performance,accessibility", "--output=json", "--output-path=stdout",
         "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
    )
    if result.returncode:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    main_thread = {item["group"]: item["duration"] for item in audits["mainthread-work-breakdown"]["details"]["items"]}
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "TBT ms": audits["total-blocking-time"]["numericValue"],
        "LCP ms": audits["largest-contentful-paint"]["numericValue"],
        "CLS": audits["cumulative-layout-shift"]["numericValue"],
        "Style & Layout ms": main_thread.get("styleLayout", 0),
        "KB": audits["total-byte-weight"]["numericValue"] / 1024,  # transferred: gzipped text
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
    }


def lighthouse_medians(urls: dict[str, str], runs: int) -> dict[str, dict]:
    """{label: median of each column}; the pages take turns, so a burst of load on the machine hits them alike."""
    results = defaultdict(list)
    for _ in range(runs):
        for label, url in urls.items():
            results[label].append(lighthouse_once(url))
    return {label: {key: statistics.median(run[key] for run in rows) for key in COLUMNS} for label, rows in results.items()}


def baseline_of(label: str) -> str:
    return "plain Material, answers open" if label.endswith("answers open") else "plain Material"


def print_table(medians: dict[str, dict], runs: int):
    print(f"\nLighthouse 12 (mobile, simulated throttling; median of {runs}; ratios against the plain page "
          "of the same run, answers open against answers open):")
    header = f"{'page':40} {'perf':>4} {'TBT':>6} {'LCP':>6} {'CLS':>6} {'S&L':>6} {'KB':>6} {'a11y':>4}  TBT×  S&L×"
    print(header)
    print("-" * len(header))
    for label, row in medians.items():
        base = medians.get(baseline_of(label.split(": ", 1)[-1]))
        ratios = ""
        if base and not label.startswith("plain"):
            ratios = "  ".join(f"{row[k] / base[k]:4.1f}" if base[k] else "   -" for k in ("TBT ms", "Style & Layout ms"))
        print(f"{label:40} {row['performance']:4.0f} {row['TBT ms']:6.0f} {row['LCP ms']:6.0f} {row['CLS']:6.3f} "
              f"{row['Style & Layout ms']:6.0f} {row['KB']:6.0f} {row['accessibility']:4.0f}  {ratios}")
    aims = "performance >= 95, TBT <= 1.5x the plain page's, CLS 0, LCP <= 2000 ms"
    missed = [
        label for label, row in medians.items() if not label.startswith(("plain", "before"))
        and not (row["performance"] >= 95 and row["CLS"] == 0 and row["LCP ms"] <= 2000
                 and row["TBT ms"] <= 1.5 * medians[baseline_of(label)]["TBT ms"])
    ]
    print(f"aims ({aims}): " + ("met by every page" if not missed else "missed by " + ", ".join(missed)))


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--runs", type=int, default=LIGHTHOUSE_RUNS, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold build (keep the caches)")
    parser.add_argument("--against", metavar="REF", help="also measure git REF's pages (e.g. main), same run")
    args = parser.parse_args()
    print_word_counts()
    from playwright.sync_api import sync_playwright

    port = free_port()
    site_dir = Path(tempfile.mkdtemp(prefix="bench-site-"))
    if args.no_cold:
        print(f"build (caches kept):                                 {timed_build(site_dir, port):6.1f} s")
    else:
        cold, warm = build_times(site_dir, port)
        print(f"build, cold (notebooks executed, formulas rendered): {cold:6.1f} s")
        print(f"build, warm (every cache hit):                       {warm:6.1f} s")
    index = (site_dir / SEARCH_INDEX).read_bytes()
    print(f"search index: {len(gzip.compress(index, 6)) / 1024:.1f} KB gzipped ({len(index) / 1024:.0f} KB raw)")

    servers = [serve(site_dir, port)]
    base = f"http://127.0.0.1:{port}/"
    urls = {label: base + path for label, path in PAGES.items()}
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as baseline_project:
        baseline_port = free_port()
        servers.append(serve(build_baseline(Path(baseline_project), baseline_port), baseline_port))
        urls |= {label: f"http://127.0.0.1:{baseline_port}/{path}" for label, path in BASELINE.items()}
        if args.against:
            against_port = free_port()
            servers.append(serve(build_ref(args.against, against_port), against_port))
            urls |= {f"before ({args.against}): {label}": f"http://127.0.0.1:{against_port}/{path}"
                     for label, path in PAGES.items()}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print_search_hits(browser, base)
            print_pdfs(browser, site_dir)
            print("Bytes loaded (gzipped as served), every answer open:")
            for label, url in urls.items():
                if not url.endswith("?open"):
                    print_weight(f"  {label}", page_weight(browser, url))
            browser.close()
        if not args.no_lighthouse:
            print_table(lighthouse_medians(urls, args.runs), args.runs)
    for server in servers:
        server.shutdown()
    shutil.rmtree(site_dir)


if __name__ == "__main__":
    main()
