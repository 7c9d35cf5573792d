// Per-page behaviour of the Q&A site. Everything runs on Material's document$,
// so it works on the first load and after every instant navigation.

// Resolved once, while this script is being executed (currentScript is null later).
const mathjaxUrl = new URL("../vendor/mathjax/startup.js", document.currentScript.src).href;

const answers = () => [...document.querySelectorAll("article details.answer")];

// The answer that belongs to a question heading is the <details> right after it.
const answerOf = (heading) => {
  const next = heading && heading.nextElementSibling;
  return next && next.matches("details.answer") ? next : null;
};

// MathJax is loaded only on pages that have math, and only once; later pages are re-typeset.
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

// A visible copy-link button in each question heading. Material's clipboard handler
// copies data-clipboard-text and announces "Copied to clipboard".
function addCopyLinks() {
  for (const details of answers()) {
    const heading = details.previousElementSibling;
    if (!heading || !heading.id || heading.querySelector(".qa-copy-link")) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "qa-copy-link";
    button.title = "Copy link to this answer";
    button.setAttribute("aria-label", "Copy link to this answer");
    button.dataset.clipboardText = `${location.origin}${location.pathname}#${heading.id}`;
    heading.appendChild(button);
  }
}

// One button per page that reveals or hides every answer, and follows manual toggles.
function addRevealAll() {
  const all = answers();
  const title = document.querySelector("article h1");
  if (!all.length || !title) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button qa-reveal-all";
  const update = () => {
    const allOpen = all.every((details) => details.open);
    button.textContent = allOpen ? "Hide all answers" : "Reveal all answers";
    button.setAttribute("aria-expanded", String(allOpen));
  };
  button.addEventListener("click", () => {
    const open = !all.every((details) => details.open);
    for (const details of all) details.open = open;
    update();
  });
  for (const details of all) details.addEventListener("toggle", update);
  update();
  title.after(button);
}

// The 404 page: a stale link whose #fragment is a question id goes to that question's current page;
// otherwise the search button opens Material's search with words from the stale address.
function rescueStaleLink() {
  const data = document.getElementById("qa-question-urls");
  if (!data) return;
  const target = JSON.parse(data.textContent)[decodeURIComponent(location.hash.slice(1))];
  if (target) {
    location.replace(new URL(target, new URL(data.dataset.base, location.href)).href);
    return;
  }
  const words = decodeURIComponent(location.pathname + " " + location.hash)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !/^(index|html?)$/.test(word));
  document.querySelector(".qa-open-search").addEventListener("click", () => {
    const toggle = document.getElementById("__search");
    const input = document.querySelector(".md-search__input");
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    input.value = words.slice(-3).join(" ");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus();
  });
}

document$.subscribe(() => {
  rescueStaleLink();
  addCopyLinks();
  addRevealAll();
  typesetMath();
});

// Material opens a <details> only when the link target is inside it; a question's
// target is its heading, just above its answer. target$ fires on load, on hash
// change and after instant navigation (including a click on a search result).
target$.subscribe((target) => {
  const details = answerOf(target);
  if (details) details.open = true;
});
