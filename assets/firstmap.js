// The first paint (dashboard/firstpaint.py): the page as the server drew it, shown while the
// scripts load. When Dash has drawn the page, each server-drawn map goes over its live map's
// box (the same size) and the drawn page goes; when plotly has drawn a map, its SVG goes.
(function () {
  const shell = document.getElementById("first-paint");
  if (!shell) return;
  const drawn = (graph) => graph.querySelector(".js-plotly-plot path.choroplethlocation");
  function step(observer) {
    if (shell.isConnected) {
      const boxes = [...shell.querySelectorAll("[data-first-map]")];
      const live = boxes.map((box) =>
        document.querySelector(`#react-entry-point ${box.dataset.firstMap}`),
      );
      if (!boxes.length || live.some((graph) => !graph)) return;
      boxes.forEach((box, i) => {
        const over = document.createElement("div");
        over.className = "first-map-over";
        over.append(...box.childNodes);
        live[i].append(over);
      });
      shell.remove();
    }
    const waiting = [...document.querySelectorAll(".first-map-over")].filter((over) => {
      if (!drawn(over.parentElement)) return true;
      over.remove();
      return false;
    });
    if (!waiting.length) observer.disconnect();
  }
  const observer = new MutationObserver(() => step(observer));
  observer.observe(document.body, { childList: true, subtree: true });
  step(observer);
})();
