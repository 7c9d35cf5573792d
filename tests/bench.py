"""`make bench`: build times (cold: no notebook cache; warm: cache hit) and the bytes a reader's browser loads.

Bytes are counted as GitHub Pages serves them: text (HTML, CSS, JS, JSON, SVG) gzip-compressed, fonts and images
as they are. Timings on a shared machine are noisy: compare numbers from one run.
"""

import gzip
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, SiteHandler, free_port, mkdocs_build  # noqa: E402

PAGES = {
    "Q&A page (fine-tuning/lora-and-qlora/, answers open)": "fine-tuning/lora-and-qlora/",
    "home page": "",
}
NOTEBOOK_PAGE = "notebooks/chinchilla-compute-optimal/"
COMPRESSED_ALREADY = (".woff", ".woff2", ".png", ".jpg", ".gif")


def timed_build(site_dir: Path, port: int) -> float:
    start = time.perf_counter()
    result = mkdocs_build(ROOT, site_dir, env={"SITE_URL": f"http://127.0.0.1:{port}/"})
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(result.stderr)
    return elapsed


def served_bytes(url: str, body: bytes) -> int:
    path = url.split("?")[0]
    return len(body) if path.endswith(COMPRESSED_ALREADY) else len(gzip.compress(body, compresslevel=6))


def page_weight(browser, base_url: str, path: str) -> dict:
    page = browser.new_page()
    loaded: dict[str, int] = {}

    def record(response):
        try:
            loaded[response.url] = served_bytes(response.url, response.body())
        except Exception:  # redirects and aborted requests have no body
            pass

    page.on("response", record)
    page.goto(base_url + path, wait_until="networkidle")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_load_state("networkidle")
    page.close()
    groups = defaultdict(int)
    for url, size in loaded.items():
        kind = "MathJax" if "/vendor/mathjax/" in url else "HTML" if url.endswith("/") else url.rsplit(".", 1)[-1]
        groups[kind] += size
    return {"total": sum(loaded.values()), "requests": len(loaded), "groups": dict(groups)}


def main():
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    port = free_port()
    site_dir = Path(tempfile.mkdtemp(prefix="bench-site-"))
    shutil.rmtree(ROOT / ".cache" / "mkdocs-jupyter", ignore_errors=True)
    cold = timed_build(site_dir, port)
    warm = timed_build(site_dir, port)
    print(f"build, cold (notebooks executed): {cold:6.1f} s")
    print(f"build, warm (notebook cache hit): {warm:6.1f} s")

    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = dict(PAGES)
    if (site_dir / NOTEBOOK_PAGE / "index.html").is_file():
        pages[f"notebook page ({NOTEBOOK_PAGE})"] = NOTEBOOK_PAGE
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, path in pages.items():
            weight = page_weight(browser, f"http://127.0.0.1:{port}/", path)
            parts = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(weight["groups"].items(), key=lambda kv: -kv[1]))
            print(f"{label}: {weight['total'] / 1024:.0f} KB gzipped in {weight['requests']} requests ({parts})")
            html = (site_dir / path / "index.html").read_bytes()
            print(f"    its HTML alone: {len(html) / 1024:.0f} KB raw, {len(gzip.compress(html)) / 1024:.0f} KB gzipped")
        browser.close()
    server.shutdown()
    shutil.rmtree(site_dir)


if __name__ == "__main__":
    main()
