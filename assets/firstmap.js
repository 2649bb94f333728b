// The first paint (dashboard/firstpaint.py): the page as the server drew it, shown while the
// scripts load. When Dash has drawn the page, the drawn page goes and each server-drawn map
// lies over its live map's box (the same size) until plotly has drawn that map. The maps
// lie in a layer of their own outside Dash's tree: React re-rendering a graph never takes
// one away, and nothing of Dash's is changed.
(function () {
  const shell = document.getElementById("first-paint");
  if (!shell) return;
  const drawn = (graph) => graph.querySelector(".js-plotly-plot path.choroplethlocation");
  const liveOf = (over) => document.querySelector(`#react-entry-point ${over.dataset.firstMap}`);
  const layer = document.createElement("div");
  layer.className = "first-map-layer";
  function place(over, graph) {
    const box = graph.getBoundingClientRect();
    Object.assign(over.style, {
      left: `${box.left + window.scrollX}px`, top: `${box.top + window.scrollY}px`,
      width: `${box.width}px`, height: `${box.height}px`,
    });
  }
  function step(observer) {
    if (shell.isConnected) {
      const boxes = [...shell.querySelectorAll("[data-first-map]")];
      if (!boxes.length || boxes.some((box) => !liveOf(box))) return;
      for (const box of boxes) {
        const over = document.createElement("div");
        over.className = "first-map-over";
        over.dataset.firstMap = box.dataset.firstMap;
        over.append(...box.childNodes);
        layer.append(over);
      }
      document.body.append(layer);
      shell.remove();
    }
    for (const over of [...layer.children]) {
      const graph = liveOf(over);
      if (graph && drawn(graph)) over.remove();
      else if (graph) place(over, graph); // a graph Dash has taken away: the map stays
    }
    if (!layer.children.length) {
      observer.disconnect();
      layer.remove();
      window.removeEventListener("resize", onResize);
    }
  }
  const observer = new MutationObserver(() => step(observer));
  const onResize = () => step(observer);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true,
    attributeFilter: ["class", "style", "hidden"] });
  window.addEventListener("resize", onResize);
  step(observer);
})();
