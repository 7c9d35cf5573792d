// MathJax 3 configuration, read by startup.js when qa.js loads it.
// Only what pymdownx.arithmatex (generic mode) marks is typeset: \( \) inline and \[ \] display.
window.MathJax = {
  // The components of tex-chtml.js without its context menu (108 KB of the 264 KB gzipped). Hidden
  // assistive MathML stays, for screen readers; TeX extensions still autoload from input/tex/extensions.
  loader: { load: ["input/tex", "output/chtml", "a11y/assistive-mml"] },
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};
