// A visible copy-link button in each question heading; it copies the question's permalink (…/q/<id>/), whose
// link preview is the question itself. Material's clipboard handler copies data-clipboard-text and announces it.
function addCopyLinks() {
  for (const details of document.querySelectorAll("article details.answer")) {
    const heading = details.previousElementSibling;
    if (!heading || !heading.id || heading.querySelector(".qa-copy-link")) continue;
    const title = heading.firstChild ? heading.firstChild.textContent.trim() : heading.id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "qa-copy-link";
    button.title = "Copy the link to this answer";
    button.setAttribute("aria-label", `Copy the link to this answer: ${title}`);
    button.dataset.clipboardText = new URL(`q/${heading.id}/`, window.qa.root).href;
    heading.appendChild(button);
  }
}

document$.subscribe(addCopyLinks);
