// The filters as a drawer below Bootstrap's lg breakpoint (dashboard/controls.py, `drawer`):
// Bootstrap's offcanvas-lg styles without Bootstrap's script. The toggle opens it, the close
// button, the backdrop and Escape close it; focus moves into it on opening, stays inside
// while it is open (a modal dialog then) and goes back to the toggle on closing. From lg the
// drawer is a plain column and none of this applies.
(() => {
  const DRAWER = "filter-drawer";
  const TOGGLE = "filter-toggle";
  const CLOSE = "filter-close";
  const BACKDROP = "filter-backdrop";
  const wide = window.matchMedia("(min-width: 992px)");
  const byId = (id) => document.getElementById(id);
  const isOpen = () => byId(DRAWER)?.classList.contains("show") ?? false;

  function open() {
    const drawer = byId(DRAWER);
    if (!drawer || wide.matches) return;
    drawer.classList.add("show");
    drawer.setAttribute("role", "dialog");
    drawer.setAttribute("aria-modal", "true");
    byId(TOGGLE)?.setAttribute("aria-expanded", "true");
    const backdrop = document.createElement("div");
    backdrop.id = BACKDROP;
    backdrop.className = "offcanvas-backdrop fade show";
    document.body.appendChild(backdrop);
    document.body.classList.add("drawer-open"); // the page behind does not scroll
    byId(CLOSE)?.focus();
  }

  function close(returnFocus) {
    const drawer = byId(DRAWER);
    if (!drawer) return;
    drawer.classList.remove("show");
    drawer.removeAttribute("role");
    drawer.removeAttribute("aria-modal");
    byId(TOGGLE)?.setAttribute("aria-expanded", "false");
    byId(BACKDROP)?.remove();
    document.body.classList.remove("drawer-open");
    if (returnFocus) byId(TOGGLE)?.focus();
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest(`#${TOGGLE}`)) {
      isOpen() ? close(true) : open();
    } else if (isOpen() && (target.closest(`#${CLOSE}`) || target.id === BACKDROP)) {
      close(true);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      close(true);
    }
  });
  // Tab past the drawer's last control (or Shift+Tab before its first) stays inside.
  document.addEventListener("focusin", (event) => {
    const drawer = byId(DRAWER);
    if (isOpen() && drawer && !drawer.contains(event.target)) byId(CLOSE)?.focus();
  });
  wide.addEventListener("change", () => wide.matches && isOpen() && close(false));
})();
