// The ranking tab (dashboard/ranking.py): the grid's cell formatting and numeric sort, and
// its search and CSV export, which need no request.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// An indicator's cell: its text in the page language, formatted by the server.
dagfuncs.rankingText = function (params) {
  return params.data ? params.data[params.colDef.field + "__text"] : "";
};

// The rank; areas without a value of the ranked indicator have none.
dagfuncs.rankingRank = function (params) {
  return params.value === null || params.value === undefined ? "–" : String(params.value);
};

// Numeric order; values not shown (not published, not defined) last in either direction.
dagfuncs.rankingCompare = function (a, b, nodeA, nodeB, isDescending) {
  const missingA = a === null || a === undefined;
  const missingB = b === null || b === undefined;
  if (missingA || missingB) {
    if (missingA === missingB) return 0;
    return (missingA ? 1 : -1) * (isDescending ? -1 : 1);
  }
  return a - b;
};

// The grid library (dash_ag_grid.min.js, ~520 KB compressed with its chunk) is not in the
// page's first HTML (dashboard/dashapp.py): loaded here, once, when the ranking tab opens.
// Its URL is Dash's own, so webpack finds its chunk (async-community.js) beside it.
function loadGridLibrary() {
  const url = document.querySelector('meta[name="ruhr-grid-script"]')?.content;
  if (window.dash_ag_grid || !url) return Promise.resolve(); // loaded, or left in the page
  let script = document.querySelector(`script[src="${url}"]`);
  if (!script) {
    script = Object.assign(document.createElement("script"), { src: url });
    document.head.appendChild(script);
  }
  return new Promise((resolve, reject) => {
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => {
      script.remove(); // the next opening of the tab tries again
      reject(new Error(`could not load ${url}`));
    });
  });
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ranking: {
    // The ranking tab opens: its content (controls and grid, dashboard/ranking.py `panel`)
    // goes into its place once the grid library is there. The renderer looks up
    // window.dash_ag_grid when it draws the grid, so not before.
    mount: async function (tab, content, mounted) {
      if (tab !== "ranking" || mounted) return window.dash_clientside.no_update;
      await loadGridLibrary();
      return content;
    },
    // The search box filters the grid's rows (AG Grid's quick filter).
    search: function (text, options) {
      return Object.assign({}, options, { quickFilterText: text || "" });
    },
    // The grid's sort as the address writes it (dashboard/state.py, rank_sort): "net"
    // ascending, "-net" descending, "" by rank; unchanged: no update (no loop with the
    // server, which sends the same sort back in the column definitions).
    sort: function (columnState, current) {
      // A grid without columns yet (it has just entered the page) has no sort to report.
      if (!columnState?.length) return window.dash_clientside.no_update;
      const sorted = (columnState || [])
        .filter((column) => column.sort)
        .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))[0];
      let value = sorted ? (sorted.sort === "desc" ? "-" : "") + sorted.colId : "";
      if (value === "rank") value = "";
      return value === (current || "") ? window.dash_clientside.no_update : value;
    },
    // The CSV button: the grid exports the rows and columns it shows, as sorted and filtered.
    csv: function () {
      return true;
    },
  },
});
