// What plotly.js leaves to the page (issue 17.1): it neither wraps a title, a note or an
// axis title to the chart's width nor keeps the maps' place names apart once a map is
// drawn smaller than the server planned for (dashboard/mapmarks.py). After each drawing,
// lines wider than their chart are wrapped at spaces (the text as sent is kept on the
// chart, so a narrower or wider window wraps it afresh) and a name that would cover a more
// populous area's name (the names come most populous first) is hidden.
(function () {
  const ctx = document.createElement("canvas").getContext("2d");
  const SMALL = 0.7; // plotly's <sup> and <sub>: 70 % of the font
  const PAD = 12;

  // The text with <br> where a line would pass `room` px; tags kept where they were.
  const wrap = function (text, size, family, room) {
    // at spaces, not at no-break spaces ("1. Juli 2025" stays whole)
    const parts = text.split(/(<[^>]+>|[ \t\n]+)/).filter((p) => p !== "");
    let scale = 1;
    let line = 0;
    let out = "";
    let pending = ""; // the space before the next word: dropped at a line break
    for (const part of parts) {
      if (part.startsWith("<")) {
        const tag = part.toLowerCase();
        if (/^<br\s*\/?>$/.test(tag)) {
          line = 0;
          pending = "";
        } else if (/^<(sup|sub)/.test(tag)) scale = SMALL;
        else if (/^<\/(sup|sub)/.test(tag)) scale = 1;
        out += part;
        continue;
      }
      if (/^[ \t\n]+$/.test(part)) {
        pending = " ";
        continue;
      }
      ctx.font = `${size * scale}px ${family}`;
      const word = ctx.measureText(part).width;
      const space = pending ? ctx.measureText(" ").width : 0;
      if (line > 0 && line + space + word > room) {
        // inside a <sup>, closed and opened again: plotly's new line would be full size
        out += scale === SMALL ? "</sup><br><sup>" + part : "<br>" + part;
        line = word;
      } else {
        out += pending + part;
        line += space + word;
      }
      pending = "";
    }
    return out;
  };

  // The room a drawn text has on its line: to the chart's edge on the side it grows
  // towards (both sides when centred).
  const roomOf = function (gd, el) {
    // the drawn SVG, which may be wider than its box just before plotly's resize
    const outer = gd.getBoundingClientRect();
    const svg = gd.querySelector(".main-svg")?.getBoundingClientRect() || outer;
    const chart = { left: Math.max(outer.left, svg.left), right: Math.min(outer.right, svg.right) };
    const box = el.getBoundingClientRect();
    const anchor = el.getAttribute("text-anchor") || "start";
    if (anchor === "start") return chart.right - box.left - PAD;
    if (anchor === "end") return box.right - chart.left - PAD;
    const centre = (box.left + box.right) / 2;
    return 2 * Math.min(centre - chart.left, chart.right - centre) - PAD;
  };

  // [path in the layout, its drawn text element, the room it has]
  const wrappable = function (gd) {
    const full = gd._fullLayout;
    const found = [];
    const title = gd.querySelector(".g-gtitle text");
    if (full.title?.text && title) found.push([["title"], title, roomOf(gd, title)]);
    (full.annotations || []).forEach((a, i) => {
      const el = gd.querySelector(`.annotation[data-index="${i}"] text`);
      if (a.text && a.xref === "paper" && el) found.push([["annotations", i], el, roomOf(gd, el)]);
    });
    for (const axis of Object.keys(full).filter((k) => /^[xy]axis\d*$/.test(k))) {
      const el = gd.querySelector(`.g-${axis.replace("axis", "")}title text`);
      // centred on the plot area: as long as its side of it
      const room = (axis[0] === "x" ? full._size.w : full._size.h) - PAD;
      if (full[axis].title?.text && el) found.push([[axis, "title"], el, room]);
    }
    return found;
  };

  const fitTexts = function (gd) {
    const sent = (gd._textsAsSent = gd._textsAsSent || {});
    const update = {};
    for (const [path, el, room] of wrappable(gd)) {
      const key = path.join(".");
      const source = path.reduce((o, k) => o?.[k], gd.layout);
      const now = typeof source === "string" ? source : source?.text;
      if (typeof now !== "string") continue;
      // a callback's new text replaces the one kept; a text wrapped here is not new
      if (now !== sent[key]?.wrapped) {
        sent[key] = { text: now, wrapped: now };
        if (key === "title") delete sent.height; // a new figure: its own height
      }
      const box = el.getBBox();
      const font = getComputedStyle(el);
      const wrapped = wrap(sent[key].text, parseFloat(font.fontSize), font.fontFamily, room);
      if (wrapped !== now && (box.width > room || wrapped !== sent[key].wrapped)) {
        sent[key].wrapped = wrapped;
        update[path[0] === "annotations" ? `annotations[${path[1]}].text` : `${key}.text`] =
          wrapped;
        if (key === "title") Object.assign(update, tallerBy(gd, sent, wrapped, font));
      }
    }
    Object.assign(update, titleClear(gd));
    Object.assign(update, roomBelow(gd));
    if (!Object.keys(update).length) return;
    // three fits a second at most: a chart whose box does not follow its layout (or
    // texts that never settle) must not keep the page redrawing
    const now = performance.now();
    gd._fitTimes = (gd._fitTimes || []).filter((t) => now - t < 1000);
    if (gd._fitTimes.length >= 3) {
      // once more when the second is over: the last drawing (after a resize) still fits
      clearTimeout(gd._fitRetry);
      gd._fitRetry = setTimeout(() => afterDrawing(gd), 1000);
      return;
    }
    gd._fitTimes.push(now);
    // a chart redrawn while its tab or the window changes may refuse (plotly throws on
    // an axis of no length): its next drawing is fitted again
    Promise.resolve(window.Plotly.relayout(gd, update)).catch(() => {});
  };

  // A title wrapped onto more lines than sent: the chart as much taller (the plot keeps
  // its height; a short chart had none left on a phone).
  const breaks = (text) => (text.match(/<br\s*\/?>/gi) || []).length;
  const tallerBy = function (gd, sent, wrapped, font) {
    const base = (sent.height = sent.height || gd._fullLayout.height);
    const added = breaks(wrapped) - breaks(sent.title.text);
    return { height: base + Math.max(0, added) * 1.3 * parseFloat(font.fontSize) };
  };

  // A title of several lines that reaches into the plot (plotly places a wrapped title's
  // lines from its first): lifted clear of it by its padding (the margin grows with it).
  const titleClear = function (gd) {
    const title = gd.querySelector(".g-gtitle text");
    const svg = gd.querySelector(".main-svg");
    if (!title || !svg) return {};
    const full = gd._fullLayout;
    const pad = full.title.pad?.b || 0;
    const box = title.getBoundingClientRect();
    const svgTop = svg.getBoundingClientRect().top;
    const sentText = gd._textsAsSent?.title?.text;
    // a lift that left the title above its chart (plotly places a title differently once
    // its margin has grown): undone; lifted again from there, twice at most per drawing
    const drawing = `${sentText}@${full.width}`; // a new title or width: lifted afresh
    if (gd._titleLifts?.drawing !== drawing) gd._titleLifts = { drawing, count: 0 };
    if (box.top < svgTop - 1 && gd._titlePadSent !== undefined && pad !== gd._titlePadSent) {
      return { "title.pad.b": gd._titlePadSent };
    }
    if (gd._titleLifts.count >= 2) return {};
    const over = box.bottom - (svgTop + full._size.t) + 4;
    // never at the plot's cost below 120 px (plotly fails on an axis of no length)
    // once (a title anchored to the plot moves with it: lifting again would run away)
    if (over <= 1 || pad > 12 || full._size.h - over < 120) return {};
    gd._titlePadSent = pad;
    gd._titleLifts.count += 1;
    return { "title.pad.b": pad + over };
  };

  // A note under the plot that has wrapped onto more lines than its margin holds: the
  // chart grows by the lines' height (the plot keeps its size).
  const roomBelow = function (gd) {
    const svg = gd.querySelector(".main-svg");
    if (!svg) return {};
    const full = gd._fullLayout;
    const bottom = svg.getBoundingClientRect().top + full.height; // the layout's, not the box's
    let over = 0;
    for (const note of gd.querySelectorAll(".annotation text")) {
      over = Math.max(over, note.getBoundingClientRect().bottom - bottom + PAD / 2);
    }
    if (over <= 1) return {};
    return { "margin.b": full.margin.b + over, height: full.height + over };
  };

  const overlaps = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

  const declutter = function (gd) {
    const frame = gd.querySelector(".geo .bglayer rect, .geo")?.getBoundingClientRect();
    for (const group of gd.querySelectorAll(".scattergeo.trace")) {
      if (group.__data__?.[0]?.trace?.name !== "labels") continue;
      const kept = [];
      for (const text of group.querySelectorAll("text")) {
        text.style.visibility = "";
        const box = text.getBoundingClientRect();
        const inside = !frame || (box.left >= frame.left && box.right <= frame.right &&
          box.top >= frame.top && box.bottom <= frame.bottom);
        if (!box.width || !inside || kept.some((k) => overlaps(k, box))) {
          text.style.visibility = "hidden";
        } else kept.push(box);
      }
    }
  };

  // Drawn at a width the chart no longer has (its tab was closed while the window
  // changed): its texts would be measured against the old drawing, so it is resized
  // first and fitted after that drawing.
  const stale = (gd) => Math.abs(gd.getBoundingClientRect().width - gd._fullLayout.width) > 1;

  const afterDrawing = function (gd) {
    // a chart in a closed tab has no size to fit to: it is fitted when it is shown
    if (!gd._fullLayout || !window.Plotly || !gd.getClientRects().length || stale(gd)) return;
    declutter(gd);
    fitTexts(gd);
  };

  // A chart given a height (all of ours) is not resized by dcc.Graph when its box is: its
  // width follows the box here (a phone turned, a window made narrower, a tab opened
  // after the window changed).
  const resize = function (gd) {
    clearTimeout(gd._fitResize);
    gd._fitResize = setTimeout(() => {
      if (gd._fullLayout && gd.getClientRects().length && window.Plotly && stale(gd)) {
        Promise.resolve(window.Plotly.Plots.resize(gd)).catch(() => {});
      }
    }, 100);
  };
  const watch = function (gd) {
    if (gd._fitWatched || typeof gd.on !== "function") return;
    gd._fitWatched = true;
    for (const event of ["plotly_afterplot", "plotly_relayout"]) {
      gd.on(event, () => afterDrawing(gd));
    }
    new ResizeObserver(() => resize(gd)).observe(gd);
    afterDrawing(gd);
  };
  new MutationObserver(() => {
    document.querySelectorAll(".js-plotly-plot").forEach(watch);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
