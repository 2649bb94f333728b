// Image downloads (dashboard/export.py): each graph's "PNG" and "SVG" buttons draw a copy of
// the figure as shown, with the chart's title and the filters above it and the map's legend,
// the sources and the data notice below it, in the page's language. Everything is read from
// the page: the figure (gd.data/gd.layout), the headings, the address (the explorer's
// filters) and the words the server put into #export-texts; the callbacks send nothing more.
// Also: plotly's modebar buttons are <button>s, one Tab stop each; they are taken out of the
// keyboard's order (the mouse keeps them: zoom and pan on the maps).
(function () {
  const TYPES = ["immigrant", "return", "circular", "transnational"]; // layers/vocab.py
  const SPELLED = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "Ae", Ö: "Oe", Ü: "Ue" };
  const PAD = 12; // px around the added texts
  const LINE = 1.3; // plotly's line spacing
  const INK = "#212529";

  // the rule of dashboard/export.py, slug: ASCII, lower case, words joined by "-"
  const slug = (text) =>
    text
      .replace(/[äöüßÄÖÜ]/g, (c) => SPELLED[c])
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  const esc = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const textOf = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");

  // The explorer's filters as its address states them (dashboard/address.py; a value the
  // page did not accept falls back to its default there, and here).
  const addressState = function (words) {
    const query = new URLSearchParams(window.location.search);
    const [first, last] = words.years;
    const span = (query.get("year") ? `${query.get("year")}-${query.get("year")}` : query.get("years") || "")
      .split("-")
      .map(Number);
    const valid = span.length === 2 && span[0] >= first && span[0] <= span[1] && span[1] <= last;
    const given = query.has("type") ? query.get("type").split(",") : TYPES;
    const country = ["RO", "BG"].includes(query.get("country")) ? query.get("country") : "both";
    const picker = document.getElementById("area-picker");
    const area = picker && picker.value ? textOf(picker.selectedOptions[0]) : "";
    // the areas compared, as the page names them ("Dortmund + Bochum + Gelsenkirchen")
    const clear = document.getElementById("selection-clear");
    const label = document.getElementById("selection-label");
    const selection = clear && !clear.disabled && label ? label.textContent.trim() : "";
    const metric = document.getElementById("metric");
    return {
      years: valid ? span : [first, last],
      types: TYPES.filter((x) => given.includes(x)),
      country,
      area,
      selection: selection || area,
      metric: metric ? metric.value : "",
      tab: query.get("tab") || "",
    };
  };

  const filterLine = function (words, state) {
    const [from, to] = state.years;
    const types =
      state.types.length === TYPES.length
        ? words.all_types
        : state.types.map((x) => words.types[x]).join(", ") || "–";
    const parts = [
      `${words.year} ${from === to ? from : `${from}–${to}`}`,
      types,
      `${words.country}: ${words.countries[state.country]}`,
    ];
    if (state.selection) parts.push(`${words.selection}: ${state.selection}`);
    return `${words.filters}: ${parts.join(" · ")}`;
  };

  // as dashboard/export.py, filename
  const fileName = function (prefix, state, withMetric) {
    const [from, to] = state.years;
    const types =
      state.types.length === TYPES.length ? "" : state.types.join("-") || "no-types";
    const parts = [
      prefix,
      withMetric ? state.metric : "",
      withMetric ? "" : state.area,
      from === to ? `${from}` : `${from}-${to}`,
      types,
      state.country === "both" ? "" : state.country,
    ];
    return slug(parts.filter(Boolean).join("-"));
  };

  // A panel's chart: named and titled by its tab (and the heading just above it, if any).
  const panelOf = function (box) {
    const region = box.closest("[role=region]");
    const tab = region ? region.id.replace(/^panel-/, "") : "";
    const frame = box.closest(".export-frame");
    const above = frame && frame.previousElementSibling;
    const heading = above && /^H[1-6]$/.test(above.tagName) ? textOf(above) : "";
    const title = [region ? region.getAttribute("aria-label") : "", heading].filter(Boolean);
    const chart = box.dataset.exportGraph.replace(/-chart$/, "");
    const prefix = chart === tab || chart.startsWith(`${tab}-`) ? chart : `${tab}-${chart}`;
    return { title: title.join(" – "), prefix };
  };

  // Words into lines of at most ``width`` px; ``pieces``: [html, characters] that stay whole.
  const wrap = function (pieces, size, width, bold) {
    const perLine = Math.max(20, Math.floor(width / (size * (bold ? 0.62 : 0.56))));
    const lines = [];
    let line = [];
    let used = 0;
    for (const [html, n] of pieces) {
      if (line.length && used + 1 + n > perLine) {
        lines.push(line.join(" "));
        line = [];
        used = 0;
      }
      line.push(html);
      used += (line.length > 1 ? 1 : 0) + n;
    }
    if (line.length) lines.push(line.join(" "));
    return lines;
  };
  const words = (text) =>
    text
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => [esc(w), w.length]);

  // A map's legend (assets/legend.js) as lines of text: its classes with their colours.
  const legendPieces = function (id) {
    const legend = id && document.getElementById(id);
    if (!legend) return [];
    const pieces = [...words(textOf(legend.querySelector(".legend-title")) + ":")];
    for (const item of legend.querySelectorAll(".legend-class, .legend-circle")) {
      const swatch = item.querySelector(".swatch");
      const colour = swatch ? swatch.style.background : "";
      const label = textOf(item);
      const mark = colour ? `<span style="color:${colour}">■</span>` : "○";
      pieces.push([`${mark} ${esc(label)}`, label.length + 2]);
    }
    for (const note of legend.querySelectorAll(".legend-note, .legend-notes li")) {
      pieces.push(...words(`· ${textOf(note)}`));
    }
    return pieces;
  };

  // How far the chart's texts (an axis' title, a colour bar) reach below its bottom edge.
  const overflow = function (gd) {
    const bottom = gd.getBoundingClientRect().top + gd._fullLayout.height;
    const reach = Array.from(gd.querySelectorAll(".infolayer, .xaxislayer-above"), (g) =>
      Math.ceil(g.getBoundingClientRect().bottom - bottom),
    );
    // an x axis' title is drawn lower in the image than on the screen (by ~20 px)
    return Math.max(0, ...reach) + (gd.querySelector(".xtitle") ? 24 : 0);
  };

  const copyOf = (value) => (window.structuredClone ? structuredClone(value) : JSON.parse(JSON.stringify(value)));

  // The figure with the texts around it: margins grown by their heights, the plot as large
  // as drawn. Texts are annotations placed in pixels from the plot's top edge.
  const decorate = function (gd, texts) {
    const full = gd._fullLayout;
    const width = Math.max(Math.round(full.width), 640);
    const inner = width - 2 * PAD;
    const family = (full.font && full.font.family) || "Arial, sans-serif";
    const block = (pieces, size, bold) => {
      const lines = wrap(pieces, size, inner, bold);
      const text = bold ? lines.map((l) => `<b>${l}</b>`).join("<br>") : lines.join("<br>");
      return { text, size, height: Math.ceil(lines.length * size * LINE) };
    };
    const head = [block(words(texts.title), 16, true), block(words(texts.filters), 12)];
    const foot = [
      ...(texts.legend.length ? [block(texts.legend, 12)] : []),
      block(words(texts.source), 11),
      block(words(texts.notice), 11, true),
    ];
    const stack = (blocks) => blocks.reduce((sum, b) => sum + b.height + 4, 0);
    const headHeight = PAD + stack(head) + PAD / 2;
    const footHeight = PAD / 2 + stack(foot) + PAD;
    // the margins as drawn (grown for the axes' labels), kept: the added texts are placed
    // from them, and the plot keeps its size
    const { l, r, t, b } = full._size;
    const margin = { l, r, t, b };
    const plotTop = margin.t + headHeight;
    const drawn = Math.round(full.height) + overflow(gd);
    const height = drawn + headHeight + footHeight;
    const annotations = [...copyOf((gd.layout && gd.layout.annotations) || [])];
    const place = (blocks, top) => {
      for (const b of blocks) {
        annotations.push({
          text: b.text, xref: "paper", yref: "paper", x: 0, y: 1, xanchor: "left",
          yanchor: "top", align: "left", showarrow: false, xshift: PAD - margin.l,
          yshift: plotTop - top, font: { size: b.size, color: INK, family },
        });
        top += b.height + 4;
      }
    };
    place(head, PAD);
    place(foot, headHeight + drawn + PAD / 2);
    const layout = copyOf(gd.layout || {});
    Object.assign(layout, {
      width, height, autosize: false, annotations, paper_bgcolor: full.paper_bgcolor,
      margin: { ...margin, t: plotTop, b: margin.b + drawn - full.height + footHeight },
    });
    const title = gd.querySelector(".gtitle");
    if (title && layout.title) {
      // the chart's own title where it was, below the added texts
      const top = title.getBoundingClientRect().top - gd.getBoundingClientRect().top;
      const own = typeof layout.title === "string" ? { text: layout.title } : layout.title;
      layout.title = { ...own, yref: "container", yanchor: "top", y: 1 - (headHeight + top) / height };
    }
    return { figure: { data: copyOf(gd.data), layout }, width, height };
  };

  const download = async function (box, format) {
    const id = box.dataset.exportGraph; // a curated view's graphs: a class (dashboard/export.py)
    const graph = document.getElementById(id) || document.querySelector(`.${id}`);
    const gd = graph && (graph.classList.contains("js-plotly-plot") ? graph : graph.querySelector(".js-plotly-plot"));
    if (!gd || !gd._fullLayout || !window.Plotly || box.dataset.exporting) return;
    const dictionary = JSON.parse(document.getElementById("export-texts").dataset.exportTexts);
    const state = addressState(dictionary);
    const panel = box.dataset.exportPrefix ? null : panelOf(box);
    const heading = box.dataset.exportHeading && document.getElementById(box.dataset.exportHeading);
    const notice = document.querySelector(".synthetic-notice, .data-notice");
    const texts = {
      title: box.dataset.exportTitle || textOf(heading) || (panel ? panel.title : ""),
      filters: box.dataset.exportFilters || filterLine(dictionary, state),
      legend: legendPieces(box.dataset.exportLegend),
      source: dictionary.source,
      notice: textOf(notice) || dictionary.notice,
    };
    const name =
      box.dataset.exportName ||
      fileName(box.dataset.exportPrefix || panel.prefix, state, !!box.dataset.exportPrefix);
    const { figure, width, height } = decorate(gd, texts);
    box.dataset.exporting = "1";
    try {
      await window.Plotly.downloadImage(figure, {
        format, filename: name, width, height, scale: format === "png" ? 2 : 1,
      });
    } finally {
      delete box.dataset.exporting;
    }
  };

  // On paper the explorer's filter column gives way to one line (assets/app.css): the
  // filters as the address states them, written when the page is printed.
  const printFilters = function () {
    const line = document.getElementById("print-filters");
    const texts = document.getElementById("export-texts");
    if (!line || !texts) return;
    const words = JSON.parse(texts.dataset.exportTexts);
    line.textContent = filterLine(words, addressState(words));
  };
  window.matchMedia("print").addEventListener("change", (event) => event.matches && printFilters());
  window.addEventListener("beforeprint", printFilters);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-export-format]");
    const box = button && button.closest("[data-export-graph]");
    if (box) download(box, button.dataset.exportFormat);
  });

  // The two buttons are one Tab stop (a toolbar): the arrow keys move between them.
  document.addEventListener("keydown", (event) => {
    const box = event.target.closest && event.target.closest(".export-buttons");
    if (!box || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    const all = Array.from(box.querySelectorAll("button"));
    const at = all.indexOf(event.target);
    const step = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: all.length - 1 };
    const next = all[(step[event.key] + all.length) % all.length];
    all.forEach((b) => (b.tabIndex = b === next ? 0 : -1));
    next.focus();
    event.preventDefault();
  });

  // plotly draws (and redraws) its modebar after Dash mounts a graph
  const quiet = () => {
    for (const button of document.querySelectorAll(".modebar-btn:not([tabindex='-1'])")) {
      button.tabIndex = -1;
    }
  };
  const hasModebar = (node) =>
    node instanceof HTMLElement &&
    (node.className.includes?.("modebar") || !!node.querySelector(".modebar-btn"));
  const watch = () => {
    quiet();
    new MutationObserver((records) => {
      if (records.some((r) => Array.from(r.addedNodes).some(hasModebar))) quiet();
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.body) watch();
  else document.addEventListener("DOMContentLoaded", watch);
})();
