// Formulas are drawn when the site is built (hooks/render_math.py): no MathJax runs here.
// A display formula or a table wider than the column scrolls sideways; give it a tab stop so the keyboard can scroll
// it too, as Material does for code blocks (Material wraps tables in .md-typeset__scrollwrap when it mounts the page).
// A ResizeObserver reports each block once it is laid out (and again when an answer opens or the window resizes):
// reading its width then forces no layout, and blocks in closed answers cost nothing until they open.
const wideMath = new ResizeObserver((entries) => {
  // A formula in a closed answer is not laid out (width 0): reading its scroll width would lay it out.
  const blocks = entries.filter((entry) => entry.contentRect.width > 0).map((entry) => entry.target);
  const wide = blocks.map((block) => block.scrollWidth > block.clientWidth); // every read before any write
  blocks.forEach((block, i) => {
    if (wide[i]) block.tabIndex = 0;
    else block.removeAttribute("tabindex");
  });
});

document$.subscribe(() => {
  wideMath.disconnect(); // the previous page's formulas (instant navigation)
  for (const block of document.querySelectorAll("article :is(div.arithmatex, .md-typeset__scrollwrap)")) wideMath.observe(block);
});
