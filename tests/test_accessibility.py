"""axe-core in real Chromium, on every page, in both palettes, with every answer open."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_browser import wait_for_math

AXE = Axe()
# Material's own markup, not ours (our templates add none of it): the search overlay is a role="dialog"
# without a name, and on the home page navigation.sections gives the section <nav>s names axe sees as equal.
MATERIAL_ONLY = {"exclude": [[".md-search"], [".md-nav--primary nav[aria-labelledby^='__nav_']"]]}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations(browser, base_url, built_pages, scheme):
    context = browser.new_context(base_url=base_url, color_scheme=scheme)
    page = context.new_page()
    found = []
    for path in built_pages:
        page.goto(path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
        wait_for_math(page)
        for violation in AXE.run(page, context=MATERIAL_ONLY).response["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            found.append(f"{path or '/'} [{scheme}] {violation['id']}: {violation['help']} — {targets[:5]}")
    context.close()
    assert found == [], "\n".join(found)
