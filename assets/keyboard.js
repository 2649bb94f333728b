// Keyboard and screen readers, on every page:
// - the skip link (dashboard/layout.py, `skip_link`) moves the focus to <main>, not only the
//   view (an in-page link alone leaves focus behind in some browsers);
// - every picker (a single <select>: area, metric, classes, scatter axes …) commits on
//   Enter, a click or leaving it, not on each arrow key: Chrome fires "change" for every
//   option an arrow key passes on a closed select, and each would be a request. Such a
//   change is held back from React (a capture listener on window runs before React's on
//   its root) until then;
// - the number boxes of dcc's sliders get the names in their wrapper's data-input-labels
//   ("first|last"), and their handles (role=slider) those of data-thumb-labels: dcc
//   offers no prop for them.
(() => {
  const NAV_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
    "PageUp", "PageDown"]);
  const held = new WeakSet(); // selects with a change held back
  const byKeys = new WeakSet(); // selects whose next change comes from an arrow key
  let replaying = false;

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest(".skip-link");
    const main = link && document.getElementById(link.hash.slice(1));
    if (!main) return;
    event.preventDefault(); // no hash in the address (the explorer's state lives there)
    main.setAttribute("tabindex", "-1");
    main.focus();
    main.scrollIntoView();
  });

  const picker = (target) => target instanceof HTMLSelectElement && !target.multiple;

  function commit(select) {
    if (!held.has(select)) return;
    held.delete(select);
    replaying = true;
    try {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    } finally {
      replaying = false;
    }
  }

  window.addEventListener("keydown", (event) => {
    const select = event.target;
    if (!picker(select)) return;
    // Alt+arrow opens the list: a choice made there is a choice, as by the mouse
    if (NAV_KEYS.has(event.key) && !event.altKey) byKeys.add(select);
    else if (event.key === "Enter") commit(select);
  }, true);
  window.addEventListener("pointerdown", (event) => {
    if (picker(event.target)) byKeys.delete(event.target); // a choice by mouse or touch
  }, true);
  window.addEventListener("change", (event) => {
    const select = event.target;
    if (replaying || !picker(select) || !byKeys.has(select)) return;
    byKeys.delete(select);
    held.add(select);
    event.stopImmediatePropagation();
  }, true);
  window.addEventListener("focusout", (event) => picker(event.target) && commit(event.target),
    true);

  function nameSliderInputs(root) {
    for (const wrapper of root.querySelectorAll("[data-input-labels]")) {
      const labels = wrapper.dataset.inputLabels.split("|");
      wrapper.querySelectorAll("input[type=number]").forEach((input, i) => {
        const label = labels[Math.min(i, labels.length - 1)];
        if (input.getAttribute("aria-label") !== label) input.setAttribute("aria-label", label);
      });
      const thumbs = (wrapper.dataset.thumbLabels || "").split("|").filter(Boolean);
      wrapper.querySelectorAll("[role=slider]").forEach((thumb, i) => {
        const label = thumbs[Math.min(i, thumbs.length - 1)];
        if (label && thumb.getAttribute("aria-label") !== label) {
          thumb.setAttribute("aria-label", label);
        }
      });
    }
  }
  // The sliders are drawn after this script runs (then only they are watched), and may be
  // drawn again.
  const page = new MutationObserver(() => {
    nameSliderInputs(document);
    const wrappers = [...document.querySelectorAll("[data-input-labels]")];
    if (!wrappers.length || !wrappers.every((w) => w.querySelector("input[type=number]"))) {
      return;
    }
    page.disconnect();
    const sliders = new MutationObserver(() => nameSliderInputs(document));
    wrappers.forEach((w) => sliders.observe(w, { childList: true, subtree: true }));
  });
  page.observe(document.documentElement, { childList: true, subtree: true });
})();
