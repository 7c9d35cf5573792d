"""axe-core in real Chromium: every rule, on every page, in both palettes, at phone and desktop widths, with every
answer open. Nothing is excluded: Material's own landmarks are named by hooks/a11y.py."""

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


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations(browser, base_url, built_pages, scheme, width):
    context = browser.new_context(base_url=base_url, color_scheme=scheme, viewport=WIDTHS[width])
    watched = Watched(context.new_page(), base_url.rstrip("/"))
    page = watched.page
    found = []
    for path in built_pages + ["no-such-page/"]:
        page.goto(path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
        found += axe_violations(page, f"{path or '/'} [{scheme}, {width}]")
    assert found == [], "\n".join(found)
    watched.assert_clean(expected_404="no-such-page/")
    context.close()
