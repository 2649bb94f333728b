// What a reader would see as broken, measured on the rendered page (issue 17.1):
// text cut by its chart or by the page, labels on top of each other, type too small,
// controls whose chosen text does not fit, and a page wider than the screen.
// Called as a function of {minPx, scope}; returns a list of findings, each a short sentence.
({ minPx, scope }) => {
  const root = scope ? document.querySelector(scope) : document.body;
  const findings = [];
  const pageWidth = document.documentElement.clientWidth;
  const shown = (el) => {
    if (!el.getClientRects().length) return false;
    for (let node = el; node && node.nodeType === 1; node = node.parentNode) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return false;
      if (Number(style.opacity) === 0 || node.hidden) return false;
    }
    return true;
  };
  // inside a box that scrolls or clips (a grid, a wide table): reached by scrolling it
  const inScroller = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") return true;
    }
    return false;
  };
  // the size as drawn: CSS zoom (the printed explorer's) scales the computed size
  const zoomOf = (el) => el.currentCSSZoom || 1;
  const label = (el) => (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
  const where = (el) => {
    const owner = el.closest("[id]");
    return owner ? `#${owner.id}` : el.tagName;
  };
  const overlap = (a, b) =>
    Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
    Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));

  if (document.scrollingElement.scrollWidth > window.innerWidth + 1) {
    findings.push(`page scrolls sideways: ${document.scrollingElement.scrollWidth} px wide`);
  }
  for (const plot of root.querySelectorAll(".js-plotly-plot")) {
    if (!shown(plot)) continue;
    const box = plot.getBoundingClientRect();
    const texts = Array.from(plot.querySelectorAll(".main-svg text")).filter(
      (t) => label(t) && shown(t) && !t.closest(".hoverlayer, .modebar"),
    );
    const rects = texts.map((t) => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const r = rects[i];
      const cut = r.left < box.left - 1 || r.right > box.right + 1 ||
        r.top < box.top - 1 || r.bottom > box.bottom + 1;
      if (cut) findings.push(`${where(plot)}: "${label(t)}" cut by its chart`);
      else if (r.left < -1 || r.right > pageWidth + 1) {
        findings.push(`${where(plot)}: "${label(t)}" cut by the page`);
      }
      // the text's own size and its parts' (a <sup> subtitle is 70 % of it)
      const parts = [t, ...Array.from(t.querySelectorAll("tspan")).filter((p) => label(p))];
      const size = Math.min(...parts.map((p) => parseFloat(getComputedStyle(p).fontSize)));
      if (size * zoomOf(t) < minPx - 0.01) {
        findings.push(`${where(plot)}: "${label(t)}" at ${(size * zoomOf(t)).toFixed(1)} px`);
      }
      // A legend clipped to a scroll box hides entries behind its edge.
      const clip = t.closest(".legend")?.querySelector(".scrollbox")?.getBoundingClientRect();
      if (clip && (r.bottom > clip.bottom + 1 || r.right > clip.right + 1)) {
        findings.push(`${where(plot)}: legend entry "${label(t)}" scrolled out of sight`);
      }
    });
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const shared = overlap(rects[i], rects[j]);
        const smaller = Math.min(
          rects[i].width * rects[i].height, rects[j].width * rects[j].height,
        );
        if (shared > 0.1 * smaller && shared > 4) {
          findings.push(
            `${where(plot)}: "${label(texts[i])}" overlaps "${label(texts[j])}"`,
          );
        }
      }
    }
  }
  // HTML text: too small, cut by an ellipsis or a box, or off the page.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (el.closest("svg, script, style, option, .visually-hidden") || !shown(el)) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize) * zoomOf(el);
    if (size < minPx - 0.01) findings.push(`${where(el)}: "${label(el)}" at ${size.toFixed(1)} px`);
    const r = el.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.right > pageWidth + 1) && !inScroller(el)) {
      findings.push(`${where(el)}: "${label(el)}" runs off the page`);
    }
    const hides = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    if (hides && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1) {
      findings.push(`${where(el)}: "${label(el)}" cut (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
  }
  // A closed select shows its chosen option: each option, once chosen, must fit beside
  // the arrow (not only the one chosen now).
  const canvas = document.createElement("canvas").getContext("2d");
  for (const select of root.querySelectorAll("select")) {
    if (!shown(select)) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const option of select.options) {
      if (option.disabled || canvas.measureText(option.text).width <= room + 1) continue;
      const chosen = option.selected ? "chosen" : "option";
      findings.push(`${where(select)}: ${chosen} "${option.text.slice(0, 60)}" does not fit its box`);
    }
  }
  return findings;
};
