// Formulas are HTML rendered when the site is built (hooks/render_math.py): no MathJax runs here.
// A formula or a table wider than the column scrolls sideways; give it a tab stop so the keyboard can scroll it too,
// as Material does for code blocks (Material wraps tables in .md-typeset__scrollwrap when it mounts the page).
// Widths change when an answer opens or the window resizes.
function markWideBlocks() {
  for (const block of document.querySelectorAll("div.arithmatex, .md-typeset__scrollwrap")) {
    if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
    else block.removeAttribute("tabindex");
  }
}
document.addEventListener("toggle", markWideBlocks, true);
window.addEventListener("resize", markWideBlocks);
document$.subscribe(markWideBlocks);
