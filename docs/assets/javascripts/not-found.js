// The 404 page's search button opens Material's search with words from the stale address. (A stale link whose
// #fragment names a question is sent on to it by answers.js, as on any page.)
function offerSearch() {
  const button = document.querySelector(".qa-open-search");
  if (!button) return;
  let address = location.pathname + " " + location.hash.slice(0, 200);
  try {
    address = decodeURIComponent(address);
  } catch {
    // a malformed escape: use the address as it is
  }
  const words = address
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && word.length < 40 && !/^(index|html?)$/.test(word));
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

document$.subscribe(offerSearch);
