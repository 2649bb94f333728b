// The explorer's clientside callbacks (dashboard/callbacks.py): what the browser can decide
// alone costs no request.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ruhr: {
    // The filters reach an analysis panel or an area table only while it is open: closed
    // ones get no update, so a filter change sends them no request.
    gate: function (activeTab, ruhrTableOpen, originTableOpen, ...state) {
      const skip = window.dash_clientside.no_update;
      const tabs = ["diversity", "remittances", "needs", "flows"].map(
        (tab) => (tab === activeTab ? state : skip),
      );
      return [...tabs, ruhrTableOpen ? state : skip, originTableOpen ? state : skip];
    },
    // Which analysis panel shows: one `hidden` per tab, in the order of the tab options.
    panels: function (activeTab, options) {
      return options.map((option) => option.value !== activeTab);
    },
    // A single-year slider or a range slider.
    yearMode: function (mode) {
      const shown = { display: "block" };
      const hidden = { display: "none" };
      return mode === "single" ? [shown, hidden] : [hidden, shown];
    },
  },
});
