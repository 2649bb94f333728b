// The maps' legends (dashboard/classes.py, `legend`): the classes with their colour, range and
// number of areas, or a count's reference circles; then what hatching and grey mean. The
// server sends them as data (a few hundred bytes per filter change), drawn here as HTML so
// that they print and screen readers read them.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  maplegend: {
    // After the frame that shows the maps' new colours (as the series chart, gate.js):
    // drawing the legends first would hold the maps back.
    draw: async function (data) {
      if (!data) return window.dash_clientside.no_update;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const el = (type, props, children) => ({
        type,
        namespace: "dash_html_components",
        props: { ...props, children },
      });
      const swatch = (style, className) =>
        el("Span", { className: `swatch ${className || ""}`, style, "aria-hidden": "true" });
      const parts = [el("P", { className: "legend-title" }, data.title)];
      if (data.rows?.length) {
        const rows = data.rows.map(([colour, range, count]) =>
          el("Li", { className: "legend-class" }, [
            swatch({ background: colour }),
            el("Span", { className: "legend-range" }, range),
            el("Span", { className: "legend-count" }, ` (${count})`),
          ]),
        );
        parts.push(el("Ul", { className: "legend-classes" }, rows));
        if (data.count_note) parts.push(el("P", { className: "legend-note" }, data.count_note));
      }
      if (data.circles?.length) {
        const circles = data.circles.map(([diameter, count]) =>
          el("Li", { className: "legend-circle" }, [
            el("Span", {
              className: "circle",
              style: { width: `${diameter}px`, height: `${diameter}px` },
              "aria-hidden": "true",
            }),
            el("Span", { className: "legend-range" }, count),
          ]),
        );
        parts.push(el("Ul", { className: "legend-circles" }, circles));
      }
      const notes = [
        ...(data.signs || []).map(([colour, text]) =>
          el("Li", {}, [swatch({ background: colour }, "sign"), text]),
        ),
        ...(data.notes || []).map(([key, text]) =>
          el("Li", { className: `legend-${key}` }, [swatch({}, `note-${key}`), text]),
        ),
      ];
      if (notes.length) parts.push(el("Ul", { className: "legend-notes" }, notes));
      return parts;
    },
  },
});
