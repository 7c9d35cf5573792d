// Study mode: "Got it" / "Review again" on every question, progress per page and on the home page (all questions and
// the core ones), a review filter (only the questions not yet known) and a core-only filter (no advanced questions),
// the table of contents and the home list following, Quiz me and Reset. The controls are
// in the page from the build (hooks/study.py), so nothing moves when this script runs; it wires them up.
// Everything stays in this browser's localStorage; nothing is sent anywhere. What is stored there is untrusted:
// anything malformed is dropped (and the stored copy reset), unknown ids are dropped or mapped through the aliases
// in q/index.json.

(() => {
  const qa = window.qa;
  const KEY = "qa-study";
  const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  const MARKS = ["known", "review"];
  const MAX_RAW = 64 * 1024; // characters; far above 30 marks, far below what could slow a page down
  const MAX_MARKS = 1000;

  const empty = () => ({ marks: Object.create(null), filter: false, core: false });
  const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

  function write(state) {
    try {
      if (!Object.keys(state.marks).length && !state.filter && !state.core) localStorage.removeItem(KEY);
      else {
        const saved = { v: 1, marks: state.marks, filter: state.filter, ...(state.core ? { core: true } : {}) };
        localStorage.setItem(KEY, JSON.stringify(saved));
      }
    } catch {
      // Storage full or disabled: the marks last until the page is left.
    }
  }

  // The stored state, validated; whatever is malformed is dropped and the stored copy rewritten or removed.
  function read() {
    let raw;
    try {
      raw = localStorage.getItem(KEY);
    } catch {
      return empty();
    }
    if (raw === null) return empty();
    let data = null;
    try {
      if (typeof raw === "string" && raw.length <= MAX_RAW) data = JSON.parse(raw);
    } catch {
      data = null;
    }
    const state = empty();
    if (!isObject(data) || data.v !== 1 || !isObject(data.marks)) {
      write(state);
      return state;
    }
    let clean = true;
    for (const [id, mark] of Object.entries(data.marks)) {
      if (Object.keys(state.marks).length < MAX_MARKS && id.length <= 200 && ID.test(id) && MARKS.includes(mark)) {
        state.marks[id] = mark;
      } else clean = false;
    }
    state.filter = data.filter === true;
    state.core = data.core === true;
    const malformed = (value) => value !== undefined && typeof value !== "boolean";
    if (!clean || malformed(data.filter) || malformed(data.core)) write(state);
    return state;
  }

  // Once per page load: ids that are no longer a question's are mapped through their alias or dropped.
  let reconciled = null;
  function reconcile() {
    reconciled =
      reconciled ||
      qa.addresses().then((map) => {
        const current = currentQuestions(map);
        if (!current.size) return; // the map did not load: keep everything rather than guess
        const state = read();
        let changed = false;
        for (const [id, mark] of Object.entries(state.marks)) {
          if (current.has(id)) continue;
          delete state.marks[id];
          changed = true;
          const target = Object.hasOwn(map, id) && typeof map[id] === "string" ? map[id].split("#")[1] : null;
          if (target && current.has(target) && !state.marks[target]) state.marks[target] = mark;
        }
        if (changed) {
          write(state);
          render();
        }
      });
    return reconciled;
  }

  // Current question id -> its address relative to the site root (the part after '#' of every address).
  function currentQuestions(map) {
    const current = new Map();
    if (!isObject(map)) return current;
    for (const address of Object.values(map)) {
      const id = typeof address === "string" ? address.split("#")[1] : null;
      if (id && ID.test(id)) current.set(id, address);
    }
    return current;
  }

  // Every current question's level (written by hooks/levels.py), fetched once when the core-only quiz needs it.
  let levels;
  const levelsOf = () => {
    levels =
      levels ||
      fetch(new URL("q/levels.json", qa.root))
        .then((r) => (r.ok ? r.json() : {}))
        .then((map) => (isObject(map) ? map : {}))
        .catch(() => ({}));
    return levels;
  };
  const isAdvanced = (heading) => heading.dataset.level === "advanced";

  const questionHeadings = () =>
    [...document.querySelectorAll("article details.answer")]
      .map((details) => details.previousElementSibling)
      .filter((heading) => heading && heading.id && ID.test(heading.id));

  function setMark(id, mark) {
    const state = read();
    if (state.marks[id] === mark) delete state.marks[id];
    else state.marks[id] = mark;
    write(state);
    const focused = document.activeElement;
    render();
    // The filter may just have hidden the question whose button has the focus: move on to the next one shown.
    if (focused && focused.closest(".qa-study-hidden")) {
      const next = [...document.querySelectorAll(".qa-study-marks:not(.qa-study-hidden) .qa-study-mark")];
      const after = next.find((el) => focused.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
      (after || document.querySelector(".qa-study-filter") || document.body).focus();
    }
  }

  // Once per control: the same page's content can be announced again.
  function wire(element, onClick) {
    if (!element || element.dataset.wired) return;
    element.dataset.wired = "true";
    element.addEventListener("click", onClick);
  }

  // The two toggle buttons after each answer.
  function wireMarks() {
    for (const group of document.querySelectorAll(".qa-study-marks")) {
      const id = group.dataset.qaStudyId;
      for (const toggle of group.querySelectorAll(".qa-study-mark")) wire(toggle, () => setMark(id, toggle.dataset.mark));
    }
  }

  function quiz(status) {
    const { core } = read();
    Promise.all([qa.addresses(), core ? levelsOf() : null]).then(([map, levelMap]) => {
      const current = currentQuestions(map);
      const { marks } = read();
      const here = new URLSearchParams(location.search).get("quiz") || qa.hashId();
      let pool = [...current.keys()].filter((id) => marks[id] !== "known");
      if (core) pool = pool.filter((id) => Object.hasOwn(levelMap, id) && levelMap[id] === "core");
      if (pool.length > 1) pool = pool.filter((id) => id !== here);
      if (!pool.length) {
        status.textContent = !current.size
          ? "The list of questions could not be loaded."
          : core
            ? "You know every core question. Turn off “Core questions only”, or reset your marks."
            : "You know every question. Reset your marks to start over.";
        return;
      }
      const id = pool[Math.floor(Math.random() * pool.length)];
      const url = new URL(current.get(id), qa.root);
      url.hash = "";
      url.searchParams.set("quiz", id);
      // A link click, so that Material's instant navigation handles it (or the browser, if it does not).
      const link = document.createElement("a");
      link.href = url.href;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
    });
  }

  // After Quiz me: the question is shown with its answer collapsed; the address becomes page/#id without the
  // query (history.replaceState fires no hashchange, so answers.js does not open the answer).
  function landQuiz() {
    const params = new URLSearchParams(location.search);
    const id = params.get("quiz");
    if (id === null) return;
    params.delete("quiz");
    const query = params.toString();
    const heading = id.length <= 200 && ID.test(id) ? document.getElementById(id) : null;
    history.replaceState(history.state, "", location.pathname + (query ? `?${query}` : "") + (heading ? `#${id}` : ""));
    if (!heading) return;
    const details = qa.answerOf(heading);
    if (details) details.open = false;
    heading.setAttribute("tabindex", "-1");
    heading.classList.add("qa-study-quiz-target");
    const show = () => {
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    };
    show();
    requestAnimationFrame(show); // after Material's own scroll reset on instant navigation
  }

  // The page's toolbar (filter, Quiz me) and the home page's panel (Quiz me, Reset).
  function wireControls() {
    wire(document.querySelector(".qa-study-filter"), () => {
      const state = read();
      state.filter = !state.filter;
      write(state);
      render();
    });
    for (const coreOnly of document.querySelectorAll(".qa-study-core")) {
      wire(coreOnly, () => {
        const state = read();
        state.core = !state.core;
        write(state);
        render();
      });
    }
    for (const quizMe of document.querySelectorAll(".qa-study-quiz")) {
      wire(quizMe, () => quiz(quizMe.nextElementSibling));
    }
    wire(document.querySelector(".qa-study-reset"), () => {
      if (!window.confirm("Clear your marks on every question? This cannot be undone.")) return;
      write(empty());
      render();
    });
  }

  const countKnown = (ids, marks) => ids.filter((id) => marks[id] === "known").length;

  const plural = (n, one, many) => (n === 1 ? one : many.replace("{n}", n));

  function render() {
    const { marks, filter, core } = read();
    const headings = questionHeadings();
    for (const group of document.querySelectorAll(".qa-study-marks")) {
      for (const toggle of group.querySelectorAll(".qa-study-mark")) {
        toggle.setAttribute("aria-pressed", String(marks[group.dataset.qaStudyId] === toggle.dataset.mark));
      }
    }
    // Review filter: the known questions (heading, answer, marks) and their table-of-contents entries.
    let hiddenKnown = 0;
    let hiddenAdvanced = 0;
    // Table-of-contents links, by the question they lead to (Material makes their href absolute).
    const tocLinks = new Map();
    for (const link of document.querySelectorAll(".md-nav--secondary a.md-nav__link")) {
      const id = link.pathname === location.pathname ? qa.hashId(link.hash) : null;
      if (id) tocLinks.set(id, [...(tocLinks.get(id) || []), link]);
    }
    for (const heading of headings) {
      const known = filter && marks[heading.id] === "known";
      const advanced = core && isAdvanced(heading);
      const hide = known || advanced;
      hiddenKnown += known;
      hiddenAdvanced += advanced && !known;
      const group = qa.answerOf(heading) && qa.answerOf(heading).nextElementSibling;
      for (const element of [heading, qa.answerOf(heading), group && group.matches(".qa-study-marks") ? group : null]) {
        if (element) element.classList.toggle("qa-study-hidden", hide);
      }
      for (const link of tocLinks.get(heading.id) || []) link.closest("li").classList.toggle("qa-study-hidden", hide);
    }
    for (const toggle of document.querySelectorAll(".qa-study-core")) toggle.setAttribute("aria-pressed", String(core));
    const bar = document.querySelector(".qa-study-toolbar");
    if (bar) {
      const ids = headings.map((heading) => heading.id);
      const coreIds = headings.filter((heading) => !isAdvanced(heading)).map((heading) => heading.id);
      bar.querySelector(".qa-study-progress").textContent = `${countKnown(ids, marks)} of ${ids.length} known`;
      bar.querySelector(".qa-study-core-progress").textContent = `${countKnown(coreIds, marks)} of ${coreIds.length} core known`;
      bar.querySelector(".qa-study-filter").setAttribute("aria-pressed", String(filter));
      const notes = [];
      if (filter) notes.push(plural(hiddenKnown, "1 question you marked “Got it” is hidden.", "{n} questions you marked “Got it” are hidden."));
      if (core) notes.push(plural(hiddenAdvanced, "1 advanced question is hidden.", "{n} advanced questions are hidden."));
      bar.querySelector(".qa-study-hidden-note").textContent = notes.join(" ");
    }
    // The home page's list: its advanced questions, when only the core ones are shown.
    for (const label of document.querySelectorAll("article li > .qa-level--advanced")) {
      label.parentElement.classList.toggle("qa-study-hidden", core);
    }
    const panel = document.querySelector("[data-qa-study-panel]");
    if (panel) {
      let known = 0;
      for (const theme of panel.querySelectorAll("[data-qa-study-ids]")) {
        const ids = theme.dataset.qaStudyIds.split(" ").filter(Boolean);
        const n = countKnown(ids, marks);
        known += n;
        theme.querySelector(".qa-study-count").textContent = `${n} of ${ids.length} known`;
        theme.style.setProperty("--qa-study-share", ids.length ? n / ids.length : 0);
      }
      const total = Number(panel.dataset.qaStudyTotal) || 0;
      panel.querySelector(".qa-study-overall").textContent = `${known} of ${total} known overall`;
      const coreIds = (panel.dataset.qaStudyCore || "").split(" ").filter(Boolean);
      panel.querySelector(".qa-study-core-overall").textContent =
        `${countKnown(coreIds, marks)} of ${coreIds.length} core questions known`;
    }
  }

  document$.subscribe(() => {
    wireMarks();
    wireControls();
    render();
    landQuiz();
    if (document.querySelector(".qa-study-marks, [data-qa-study-panel]")) reconcile();
  });
  // Another tab changed the marks.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) render();
  });
})();
