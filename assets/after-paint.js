// Dash's scripts, loaded once the page's first paint is on screen (dashboard/dashapp.py puts
// their tags in the inert template #ruhr-scripts; Dash does not count this file among its
// own). Fetched and compiled while the page is first drawn, on the same cores, their 1.5 MB
// put the server-drawn maps off by ~0.2 s (README, Speed). They run in their order
// (async = false: each as soon as it and those before it are there); then
// "ruhr:scripts-loaded" starts Dash's renderer (the inline script after this one waits).
(function () {
  const held = document.getElementById("ruhr-scripts");
  const tags = held ? [...held.content.querySelectorAll("script")] : [];
  let started = false;
  function startDash() {
    const fire = () => window.dispatchEvent(new Event("ruhr:scripts-loaded"));
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fire);
    else fire();
  }
  function load() {
    if (started) return;
    started = true;
    if (!tags.length) return startDash();
    let last = null;
    for (const tag of tags) {
      last = document.createElement("script");
      for (const { name, value } of tag.attributes) last.setAttribute(name, value);
      last.async = false;
      document.body.append(last);
    }
    // a script that fails is skipped, as a failed <script> tag would be
    last.addEventListener("load", startDash);
    last.addEventListener("error", startDash);
  }
  // A hidden page paints nothing until shown, and a browser without paint timing never says
  // it has painted: their scripts load at once.
  const paintTiming = (window.PerformanceObserver?.supportedEntryTypes || []).includes("paint");
  if (document.visibilityState !== "visible" || !paintTiming) return load();
  new PerformanceObserver((entries, observer) => {
    if (entries.getEntries().some((entry) => entry.name === "first-contentful-paint")) {
      observer.disconnect();
      load();
    }
  }).observe({ type: "paint", buffered: true });
  document.addEventListener("visibilitychange", load);
  setTimeout(load, 1500); // no paint by then (a very slow device): the scripts anyway
})();
