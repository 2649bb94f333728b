// Print (assets/app.css): the comparison's chart redrawn at its printed size, and back to
// the screen's afterwards. plotly.js sizes its SVG in pixels, so CSS alone cannot reflow it,
// and the graph's own resizing comes too late for a print (it waits for the window's
// resize). The printed size is in mm (app.css, --print-chart-*): the same on paper as in a
// print preview of a window of any width.
(function () {
  const MM = 96 / 25.4; // CSS px per mm
  const CHART = "#panel-compare:not([hidden]) #compare-chart .js-plotly-plot";
  const printSize = function () {
    const css = getComputedStyle(document.documentElement);
    const mm = (name) => Math.floor(parseFloat(css.getPropertyValue(name)) * MM);
    return { width: mm("--print-chart-width"), height: mm("--print-chart-height") };
  };
  const fit = function (toPaper) {
    const gd = document.querySelector(CHART);
    if (!gd || !gd._fullLayout || !window.Plotly) return;
    if (toPaper && !gd.dataset.screenSize) {
      // the screen's size, kept on the element itself: its width the container's (null),
      // its height as drawn (plotly's autosize would take 450 px from the printed container)
      const screen = [gd.layout.width ?? null, gd.layout.height ?? gd._fullLayout.height];
      gd.dataset.screenSize = JSON.stringify(screen);
      window.Plotly.relayout(gd, printSize());
    } else if (!toPaper && gd.dataset.screenSize) {
      const [width, height] = JSON.parse(gd.dataset.screenSize);
      delete gd.dataset.screenSize;
      window.Plotly.relayout(gd, { width: width, height: height });
    }
  };
  window.matchMedia("print").addEventListener("change", (event) => fit(event.matches));
  window.addEventListener("beforeprint", () => fit(true));
  window.addEventListener("afterprint", () => fit(false));
})();
