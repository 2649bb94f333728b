// The explorer's clientside callbacks (dashboard/callbacks.py): what the browser can decide
// alone costs no request.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ruhr: {
    // The filters reach an analysis panel or an area table only while it is open: closed
    // ones get no update, so a filter change sends them no request. Each open one gets the
    // explorer's values by name ("component.property", read by dashboard/state.py), and
    // each output says which consumer it feeds (its id is "gate-<consumer>", ids.gate).
    gate: function () {
      const { inputs, states, outputs_list } = window.dash_clientside.callback_context;
      const values = { ...inputs, ...states };
      const skip = window.dash_clientside.no_update;
      return outputs_list.map(({ id }) => {
        const consumer = id.replace(/^gate-/, "");
        const toggle = `${consumer}.is_open`; // an area table; else an analysis tab (ids.TABS)
        const tab = values["analysis-tabs.value"];
        const open = toggle in values ? values[toggle] : tab === consumer;
        return open ? values : skip;
      });
    },
    // Which analysis panel shows: one `hidden` per tab, in the order of the tab options.
    panels: function (activeTab, options) {
      return options.map((option) => option.value !== activeTab);
    },
    // A filter change's update (dashboard/callbacks.py, `update_view`): the maps are
    // recoloured at once, the series chart (a Patch of its figure) in the frame after, so
    // that its redraw does not hold the maps back.
    draw: async function (update) {
      for (const [graphId, message] of Object.entries(update?.maps || {})) {
        window.dash_clientside.ruhr.recolour(message, graphId);
      }
      if (!update?.series) return window.dash_clientside.no_update;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return update.series;
    },
    // A map's new values after a filter change (dashboard/callbacks.py, `_map_outputs`).
    // Plotly recalculates every trace of a map on any change of its data (features, paths,
    // colour bar: tens of milliseconds per map). When the same areas have values as before
    // and the other traces are as shown, the values are recoloured in place instead:
    // plotly's calculated points get the new values, its own trace style colours them and
    // its colour-bar drawing (Plotly.drawColorBars, dashboard/static/plotly/entry.js)
    // redraws the legend. Hover reads the same points; gd.data keeps the values for any
    // later redraw. Anything else, or another plotly.js bundle, goes through a restyle.
    recolour: function (message, graphId) {
      const Plotly = window.Plotly;
      const gd = document.getElementById(graphId)?.querySelector(".js-plotly-plot");
      if (!message || !gd?.data) return;
      const index = message.values;
      const values = message.traces[index] || {};
      const points = gd.calcdata?.[index];
      const fullTrace = gd._fullData?.[index];
      const numeric = (v) => typeof v === "number" && Number.isFinite(v);
      const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
      const inPlace =
        Plotly.drawColorBars &&
        Array.isArray(values.z) &&
        points?.length === values.z.length &&
        points[0]?.node3 &&
        fullTrace?._module?.style &&
        points.every((point, i) => numeric(point.z) === numeric(values.z[i])) &&
        Object.entries(message.traces).every(
          ([i, attrs]) =>
            Number(i) === index ||
            Object.entries(attrs).every(([key, value]) => same(gd.data[i]?.[key], value)),
        );
      if (inPlace) {
        Object.assign(gd.data[index], values);
        Object.assign(fullTrace, values, { _zmin: values.zmin, _zmax: values.zmax });
        points.forEach((point, i) => (point.z = values.z[i]));
        fullTrace._module.style(gd, points);
        Plotly.drawColorBars(gd);
        return;
      }
      const traces = Object.keys(message.traces).map(Number);
      const update = {}; // Plotly.restyle's form: one value per trace, undefined = unchanged
      traces.forEach((trace, n) => {
        for (const [key, value] of Object.entries(message.traces[trace])) {
          (update[key] ??= traces.map(() => undefined))[n] = value;
        }
      });
      Plotly.restyle(gd, update, traces);
    },
    // A single-year slider or a range slider.
    yearMode: function (mode) {
      const shown = { display: "block" };
      const hidden = { display: "none" };
      return mode === "single" ? [shown, hidden] : [hidden, shown];
    },
  },
});
