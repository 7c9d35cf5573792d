// Material adds a <nav> of code actions (copy) to each code block when it mounts a page, without a name: with two
// code blocks on a page (the one-page bank has several) the landmarks are indistinguishable. Name each after its block.
document$.subscribe(() => {
  document.querySelectorAll(".md-code__nav").forEach((nav, index) => {
    nav.setAttribute("aria-label", `Code block ${index + 1}: actions`);
  });
});
