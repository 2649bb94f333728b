// The hatching of areas below their indicator's minimum base (issue 16.1): their trace is a
// white veil (dashboard/figures.py, LOW_BASE_VEIL) that assets/app.css fills with this one
// pattern instead, so such an area reads as hatched over its colour, not only lighter. In a
// plotly PNG (no page styles) the veil stays.
(function () {
  const NS = "http://www.w3.org/2000/svg";
  function addPattern() {
    if (document.getElementById("low-base-hatch")) return;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.style.position = "absolute";
    svg.innerHTML =
      '<defs><pattern id="low-base-hatch" width="5" height="5" patternUnits="userSpaceOnUse"' +
      ' patternTransform="rotate(45)"><rect width="5" height="5" fill="rgba(255,255,255,0.35)"/>' +
      '<line x1="0" y1="0" x2="0" y2="5" stroke="rgba(255,255,255,0.9)" stroke-width="2.2"/>' +
      "</pattern>" +
      // suppressed areas (issue 16.4): dark lines on grey, unlike plain "not in the filter"
      '<pattern id="suppressed-hatch" width="5" height="5" patternUnits="userSpaceOnUse"' +
      ' patternTransform="rotate(45)"><rect width="5" height="5" fill="#bdbdbd"/>' +
      '<line x1="0" y1="0" x2="0" y2="5" stroke="#525252" stroke-width="1.5"/>' +
      "</pattern></defs>";
    document.body.appendChild(svg);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addPattern);
  } else {
    addPattern();
  }
})();
