"""Accessibility fixes to Material's own markup, at the smallest depth: names for landmarks axe finds unnamed or
named twice. Material renders the table of contents twice (in the navigation drawer for small screens, and in
the sidebar), and on the home page the contents' sections share their names with the navigation's sections."""

from __future__ import annotations

import re

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NESTED_NAV_LABEL = re.compile(r'(<nav class="md-nav" aria-label=")([^"]*)(">)')
PRIMARY_NAV = '<nav class="md-nav md-nav--primary"'
# A section with an index page (navigation.indexes) shows its title in the link to that page; the label its nav is
# named by (aria-labelledby) holds only the expand icon, so the nav has no name. It is named by the title instead.
INDEXED_SECTION = re.compile(
    r'<a href="[^"]*" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>\s*</a>\s*'
    r'<label class="md-nav__link[^"]*" for="__nav_\d+" id="(__nav_\d+_label)"'
)


def on_post_page(output, page, config):
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'))
    for title, label in INDEXED_SECTION.findall(output):
        output = output.replace(f'aria-labelledby="{label}"', f'aria-label="{title}"')
    start = output.find(PRIMARY_NAV)
    secondary = output.find('<div class="md-sidebar md-sidebar--secondary"')
    if start == -1 or secondary == -1:
        return output
    # Inside the navigation drawer: its copy of the contents is "Table of contents (menu)", its sections likewise.
    drawer = output[start:secondary]
    drawer = drawer.replace('aria-label="Table of contents"', 'aria-label="Table of contents (menu)"')
    drawer = NESTED_NAV_LABEL.sub(lambda m: f"{m[1]}{m[2]} (contents, menu){m[3]}", drawer)
    # In the sidebar: the contents' sections are named as such, apart from the navigation's sections.
    sidebar = NESTED_NAV_LABEL.sub(lambda m: f"{m[1]}{m[2]} (contents){m[3]}", output[secondary:])
    return output[:start] + drawer + sidebar


def on_post_template(output_content, template_name, config):
    # The 404 page is a static template, not a page: it gets the same names.
    if template_name == "404.html":
        return on_post_page(output_content, None, config)
    return output_content
