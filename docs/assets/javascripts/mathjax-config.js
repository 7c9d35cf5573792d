// MathJax 3 configuration, read by tex-chtml.js when qa.js loads it.
// Only what pymdownx.arithmatex (generic mode) marks is typeset: \( \) inline and \[ \] display.
window.MathJax = {
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
