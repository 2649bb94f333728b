// Print (assets/app.css): the comparison's chart redrawn at its printed size and the maps'
// place names thinned out, and back to the screen's afterwards. plotly.js sizes its SVG in pixels, so CSS alone cannot reflow it,
// and the graph's own resizing comes too late for a print (it waits for the window's
// resize). The printed size is in mm (app.css, --print-chart-*): the same on paper as in a
// print preview of a window of any width. A short chart beside a table (four or five
// areas) has its legend on the right, where it takes width instead of height.
(function () {
  const MM = 96 / 25.4; // CSS px per mm
  // the comparison's chart, or a curated view's (dashboard/pages.py)
  const CHART =
    "#panel-compare:not([hidden]) #compare-chart .js-plotly-plot, .view-page .view-chart .js-plotly-plot";
  // from the plot's top down, past its bottom if need be (not scrolled: six entries are
  // taller than a short plot), at 8 pt
  const LEGEND_RIGHT = {
    orientation: "v",
    x: 1.02,
    xanchor: "left",
    yref: "paper",
    y: 1,
    yanchor: "top",
    maxheight: 400,
    font: { size: 11 },
  };
  const LEGEND_BELOW = { orientation: "h", font: { size: 11 } };
  const printLayout = function (gd) {
    const css = getComputedStyle(document.documentElement);
    const mm = (name) => Math.floor(parseFloat(css.getPropertyValue(name)) * MM);
    const layout = { width: mm("--print-chart-width"), height: mm("--print-chart-height") };
    const legend = css.getPropertyValue("--print-chart-legend").trim();
    if (legend === "right") {
      layout.legend = LEGEND_RIGHT;
      layout.margin = { ...gd.layout.margin, t: 35, b: 25 };
    } else if (legend === "below") {
      // a curated view's chart: the legend under it as on screen, at 8 pt
      layout.legend = { ...gd.layout.legend, ...LEGEND_BELOW };
      layout["title.font.size"] = 16; // its subtitle (<sup>, 70 %) at 8 pt
      // room for the axis title beside five-digit ticks
      layout.margin = { ...gd.layout.margin, l: Math.max(gd.layout.margin?.l ?? 0, 70) };
      notesBelow(gd, layout);
    }
    return layout;
  };
  // A note under a view's chart (the remittances' sources) in lines that fit the printed
  // width, below the legend: both placed in px under the smaller plot.
  const LINE = 95; // characters at 8 pt in the printed width
  const wrap = (text) =>
    text
      .split("<br>")
      .map((part) =>
        part.split(" ").reduce((lines, word) => {
          const last = lines[lines.length - 1];
          if (last && (last + " " + word).length <= LINE) lines[lines.length - 1] += " " + word;
          else lines.push(word);
          return lines;
        }, []).join("<br>"),
      )
      .join("<br>");
  const notesBelow = function (gd, layout) {
    const notes = (gd.layout.annotations || []).filter((a) => a.yref === "paper" && a.y < 0);
    if (!notes.length) return;
    const margin = { ...layout.margin, b: 135 };
    const plot = layout.height - (margin.t ?? 40) - margin.b;
    layout.margin = margin;
    layout.legend = { ...layout.legend, y: -32 / plot, yanchor: "top" };
    layout.annotations = gd.layout.annotations.map((a) => {
      if (a.yref === "paper" && a.y < 0) return { ...a, text: wrap(a.text), y: -55 / plot };
      // the panels' titles over the narrower panels
      return a.yref === "paper" && a.y >= 1 ? { ...a, font: { ...a.font, size: 13 } } : a;
    });
  };
  const fit = function (toPaper) {
    const gd = document.querySelector(CHART);
    if (!gd || !gd._fullLayout || !window.Plotly) return;
    if (toPaper && !gd.dataset.screenLayout) {
      // the screen's layout, kept on the element itself: its width the container's (null),
      // its height as drawn (plotly's autosize would take 450 px from the printed container)
      const { width = null, height = gd._fullLayout.height, legend, margin } = gd.layout;
      const titleSize = gd._fullLayout.title?.font?.size ?? null;
      const { annotations = [] } = gd.layout;
      gd.dataset.screenLayout = JSON.stringify({
        width, height, legend, margin, annotations, "title.font.size": titleSize,
      });
      window.Plotly.relayout(gd, printLayout(gd));
    } else if (!toPaper && gd.dataset.screenLayout) {
      const screen = JSON.parse(gd.dataset.screenLayout);
      delete gd.dataset.screenLayout;
      window.Plotly.relayout(gd, screen);
    }
  };
  // The explorer on paper at its screen size (no zoom): each map as wide as its card and
  // as high as the first page leaves room for (--print-map-height), the open tab's charts
  // as wide as the page; the screen's sizes put back afterwards (null: the container's).
  const DRAWN = "main .map-graph .js-plotly-plot, main [id^='panel-']:not([hidden]):not(#panel-compare) .js-plotly-plot";
  const explorer = function (toPaper) {
    // --print-map-height is outside @media print (app.css): beforeprint comes while the
    // screen's styles still hold, the print medium's change after them; each fits again
    const css = getComputedStyle(document.documentElement);
    const mapHeight = Math.floor(parseFloat(css.getPropertyValue("--print-map-height")) * MM);
    for (const gd of document.querySelectorAll(DRAWN)) {
      if (!gd._fullLayout || !window.Plotly) continue;
      if (toPaper && gd.getClientRects().length) {
        if (!gd.dataset.screenSize) {
          const { width = null, height = null } = gd.layout;
          gd.dataset.screenSize = JSON.stringify({ width, height });
        }
        const size = { width: Math.floor(gd.parentElement.getBoundingClientRect().width) };
        if (gd.closest(".map-graph") && mapHeight) size.height = mapHeight;
        const drawn = gd._fullLayout;
        if (size.width !== drawn.width || (size.height && size.height !== drawn.height)) {
          window.Plotly.relayout(gd, size);
        }
      } else if (!toPaper && gd.dataset.screenSize) {
        const screen = JSON.parse(gd.dataset.screenSize);
        delete gd.dataset.screenSize;
        window.Plotly.relayout(gd, screen);
      }
    }
  };
  const both = function (toPaper) {
    fit(toPaper);
    explorer(toPaper);
  };
  window.matchMedia("print").addEventListener("change", (event) => both(event.matches));
  window.addEventListener("beforeprint", () => both(true));
  // not while the print media still holds: a headless print to PDF (an emulated print
  // medium) sends afterprint before it has painted the pages
  window.addEventListener("afterprint", () => both(window.matchMedia("print").matches));
})();
