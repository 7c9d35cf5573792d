"""axe-core in real Chromium: every rule, with every answer open, on every page in both palettes and at both widths:
each page in the light palette at desktop width and in the dark palette at phone width, and one page of each kind in
the other two combinations too (what a palette changes is colour, what a width changes is layout; both are the same
on every page of a kind). Nothing is excluded: Material's own landmarks are named by hooks/a11y.py."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import Watched

AXE = Axe()
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def axe_violations(page, label: str) -> list[str]:
    found = []
    # Every rule runs; only the violations are reported node by node (axe's passes are summarised): ~40% faster.
    for violation in AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        found.append(f"{label} {violation['id']}: {violation['help']} — {targets[:5]}")
    return found


# One page of each kind: home, a Q&A page (formulas, a level label, study controls), one with a wide table, a notebook,
# the generated lists, the one-page bank, and the 404 page.
ONE_OF_EACH_KIND = [
    "",
    "fine-tuning/lora-and-qlora/",
    "training/memory-and-precision/",
    "notebooks/moe-routing/",
    "short-answers/",
    "whats-new/",
    "corrections/",
    "print/all-answers/",
]


@pytest.mark.parametrize(
    "scheme, width, every_page",
    [("light", "desktop", True), ("dark", "phone", True), ("light", "phone", False), ("dark", "desktop", False)],
)
def test_no_accessibility_violations(browser, base_url, built_pages, scheme, width, every_page):
    context = browser.new_context(base_url=base_url, color_scheme=scheme, viewport=WIDTHS[width])
    watched = Watched(context.new_page(), base_url.rstrip("/"))
    page = watched.page
    found = []
    pages = built_pages if every_page else [p for p in ONE_OF_EACH_KIND if p in built_pages]
    assert every_page or len(pages) == len(ONE_OF_EACH_KIND), "a page of ONE_OF_EACH_KIND is no longer built"
    for path in pages + ["no-such-page/"]:
        page.goto(path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
        found += axe_violations(page, f"{path or '/'} [{scheme}, {width}]")
    assert found == [], "\n".join(found)
    watched.assert_clean(expected_404="no-such-page/")
    context.close()
