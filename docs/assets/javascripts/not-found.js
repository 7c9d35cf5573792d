// The 404 page: a stale link whose #fragment is a question id (or an alias) goes to that question's current
// page; otherwise the search button opens Material's search with words from the stale address.
function rescueStaleLink() {
  const data = document.getElementById("qa-question-urls");
  if (!data) return;
  let map = {};
  try {
    map = JSON.parse(data.textContent);
  } catch {
    // a broken map must not break the search button below
  }
  const id = window.qa.hashId();
  if (id && Object.hasOwn(map, id)) {
    location.replace(new URL(map[id], window.qa.root).href);
    return;
  }
  let address = location.pathname + " " + location.hash.slice(0, 200);
  try {
    address = decodeURIComponent(address);
  } catch {
    // a malformed escape: use the address as it is
  }
  const words = address
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && word.length < 40 && !/^(index|html?)$/.test(word));
  const button = document.querySelector(".qa-open-search");
  if (!button) return;
  button.addEventListener("click", () => {
    const toggle = document.getElementById("__search");
    const input = document.querySelector(".md-search__input");
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    input.value = words.slice(-3).join(" ");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus();
  });
}

document$.subscribe(rescueStaleLink);
