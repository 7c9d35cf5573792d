// MathJax is loaded only on pages that have math, and only once; later pages are re-typeset.
// Resolved once, while this script is being executed (currentScript is null later).
const mathjaxUrl = new URL("../vendor/mathjax/startup.js", document.currentScript.src).href;

function typesetMath() {
  if (!document.querySelector(".arithmatex")) return;
  if (window.MathJax.startup) {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise().then(markWideMath);
  } else if (!document.querySelector(`script[src="${mathjaxUrl}"]`)) {
    const script = document.createElement("script");
    script.src = mathjaxUrl;
    script.async = true;
    script.addEventListener("load", () => MathJax.startup.promise.then(markWideMath));
    document.head.appendChild(script); // typesets the page when ready
  }
}

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

document$.subscribe(typesetMath);
