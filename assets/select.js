// Shift-, ctrl- or cmd-click adds an area to those compared (dashboard/state.py, `clicked`):
// plotly's click data do not say which keys were held, so the press that precedes the
// click records it in a store the click's callback reads (no request of its own).
document.addEventListener(
  "mousedown",
  (event) => {
    // only on the explorer, which has the store (a store has no element of its own):
    // Dash throws for a component the page lacks
    if (!document.getElementById("ruhr-map")) return;
    const add = event.shiftKey || event.ctrlKey || event.metaKey;
    window.dash_clientside?.set_props?.("click-modifier", { data: add });
  },
  true,
);
