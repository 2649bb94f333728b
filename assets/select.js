// Shift-, ctrl- or cmd-click adds an area to those compared (dashboard/state.py, `clicked`):
// plotly's click data do not say which keys were held, so the press that precedes the
// click records it in a store the click's callback reads (no request of its own).
document.addEventListener(
  "mousedown",
  (event) => {
    const add = event.shiftKey || event.ctrlKey || event.metaKey;
    // the explorer's store: a curated view's page (dashboard/pages.py) has none
    if (document.querySelector(".view-page")) return;
    window.dash_clientside?.set_props?.("click-modifier", { data: add });
  },
  true,
);
