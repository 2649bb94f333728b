// Back/forward: hand the new address to the explorer's state callback (dashboard/callbacks.py,
// `apply_event`) through the store "url-popped" (dashboard/ids.py, URL_POPPED). The
// callback does not read the URL component itself: see the comment above `write_url`.
window.addEventListener("popstate", function () {
  if (!(window.dash_clientside && window.dash_clientside.set_props)) {
    return;
  }
  try {
    window.dash_clientside.set_props("url-popped", {
      data: { search: window.location.search, at: Date.now() },
    });
  } catch (error) {
    // Pages without the explorer (curated views) have no such store: nothing to restore.
  }
});
