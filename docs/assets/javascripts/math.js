// Formulas are HTML rendered when the site is built (hooks/render_math.py): no MathJax runs here.
// A formula wider than the column scrolls sideways; give it a tab stop so the keyboard can scroll it too,
// as Material does for code blocks. Widths change when an answer opens or the window resizes.
function markWideMath() {
  for (const block of document.querySelectorAll("div.arithmatex")) {
    if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
    else block.removeAttribute("tabindex");
  }
}
document.addEventListener("toggle", markWideMath, true);
window.addEventListener("resize", markWideMath);
document$.subscribe(markWideMath);
