// Answers open from the address: a link to page/#question opens that question's answer, on the first load,
// after every instant navigation, on hash change and from a search result. Also the reveal-all button.
// Shared helpers live on window.qa for study.js.

const qa = (window.qa = window.qa || {});

// The site root, resolved once while this script runs (this file is assets/javascripts/answers.js).
qa.root = new URL("../../", document.currentScript.src);

// The question id in the address, or null. The address is untrusted input: a malformed escape, a huge or
// HTML-looking fragment yields null instead of an exception.
qa.hashId = (hash = location.hash) => {
  if (!hash || hash.length > 201) return null;
  let id;
  try {
    id = decodeURIComponent(hash.slice(1));
  } catch {
    return null;
  }
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id) ? id : null;
};

// Every question id and alias -> its address relative to the site root (written by hooks/permalinks.py).
let addresses;
qa.addresses = () => {
  addresses = addresses || fetch(new URL("q/index.json", qa.root)).then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  return addresses;
};

// The answer that belongs to a question heading is the <details> right after it.
qa.answerOf = (heading) => {
  const next = heading && heading.nextElementSibling;
  return next && next.matches("details.answer") ? next : null;
};

const answers = () => [...document.querySelectorAll("article details.answer")];

// Idempotent: called whenever the content or the hash may have changed; reads the current state, not an event.
function openAnswerInAddress() {
  const id = qa.hashId();
  if (!id) return;
  const target = document.getElementById(id);
  if (target) {
    const details = qa.answerOf(target);
    if (details && !details.open) details.open = true;
    // Material's own jump to the target can run before an instant navigation's content is in place, leaving the
    // previous page's scroll position: show the question, below the fixed header, if it is not on screen.
    const header = document.querySelector(".md-header");
    const below = header ? header.getBoundingClientRect().bottom : 0;
    const { top, bottom } = target.getBoundingClientRect();
    if (top < below - 1 || bottom > innerHeight) scrollBy(0, top - below - 8);
    return;
  }
  // Not on this page: an id that moved to another page, an alias of a renamed question, or a stale link on the
  // 404 page.
  qa.addresses().then((map) => {
    const address = Object.hasOwn(map, id) ? map[id] : null;
    if (!address || qa.hashId() !== id) return;
    const url = new URL(address, qa.root);
    if (url.pathname !== location.pathname || url.hash !== location.hash) location.replace(url.href);
  });
}

// The page's reveal-all button (written by hooks/questions.py) reveals or hides every answer, and follows manual
// toggles.
function wireRevealAll() {
  const button = document.querySelector("article .qa-reveal-all");
  const all = answers();
  if (!button || !all.length || button.dataset.wired) return;
  button.dataset.wired = "true";
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
}

// document$ emits once the new page's content is in place (first load and every instant navigation), so the
// answer is opened from the address then; hashchange covers same-page links; target$ covers Material's own
// jumps (search results, table of contents). Each call re-reads the address, so order and repeats don't matter.
document$.subscribe(() => {
  wireRevealAll();
  openAnswerInAddress();
});
window.addEventListener("hashchange", openAnswerInAddress);
target$.subscribe(openAnswerInAddress);
