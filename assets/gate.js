// The filters reach an analysis panel or an area table only while it is open: closed ones get
// no update, so a filter change sends them no request (see dashboard/callbacks.py, `gate`).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ruhr: {
    gate: function (activeTab, ruhrTableOpen, originTableOpen, ...state) {
      const skip = window.dash_clientside.no_update;
      const tabs = ["diversity", "remittances", "needs", "flows"].map(
        (tab) => (tab === activeTab ? state : skip),
      );
      return [...tabs, ruhrTableOpen ? state : skip, originTableOpen ? state : skip];
    },
  },
});
